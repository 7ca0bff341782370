//! The app's colours, defined once: charts draw with them, and the window
//! takes them as CSS custom properties (`--primary`, …) from the shell, so
//! the dashboard and its exported pictures match.

use plotters::style::RGBColor;

pub const PRIMARY: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
pub const ACCENT: RGBColor = RGBColor(0xe0, 0x7b, 0x39);
pub const GOOD: RGBColor = RGBColor(0x3a, 0x9e, 0x6f);
pub const BAD: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
pub const MUTED: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub const TEXT: RGBColor = RGBColor(0x22, 0x2b, 0x33);
pub const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xeb);
/// The SLA target lines of P1..P4, one colour each.
pub const TARGETS: [RGBColor; 4] = [
    RGBColor(0xb0, 0x3a, 0x2e),
    RGBColor(0xc9, 0x7c, 0x1e),
    RGBColor(0x2e, 0x8b, 0x8b),
    RGBColor(0x7a, 0x5c, 0xa8),
];

/// What a chart is drawn on: the light picture (exports, the light theme)
/// or the dark one (the window in the dark theme).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Surface {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    /// What the primary colour becomes on it (dark blue reads poorly on dark).
    pub primary: RGBColor,
}

pub const LIGHT: Surface = Surface {
    background: RGBColor(0xff, 0xff, 0xff),
    text: TEXT,
    muted: MUTED,
    grid: GRID,
    primary: PRIMARY,
};

/// The window's dark theme (its background is #151a1f).
pub const DARK: Surface = Surface {
    background: RGBColor(0x15, 0x1a, 0x1f),
    text: RGBColor(0xe4, 0xe8, 0xec),
    muted: RGBColor(0x9a, 0xa3, 0xab),
    grid: RGBColor(0x2b, 0x33, 0x3b),
    primary: RGBColor(0x6f, 0xa8, 0xdc),
};

impl Surface {
    /// A series colour as drawn on this surface.
    pub fn shown(&self, c: RGBColor) -> RGBColor {
        if c == PRIMARY {
            self.primary
        } else {
            c
        }
    }
}

/// The named colours as CSS custom properties: (`--primary`, `#1f4e79`), …
pub fn css_variables() -> Vec<(&'static str, String)> {
    let hex = |c: RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
    vec![
        ("--primary", hex(PRIMARY)),
        ("--accent", hex(ACCENT)),
        ("--good", hex(GOOD)),
        ("--bad", hex(BAD)),
        ("--chart-muted", hex(MUTED)),
        ("--chart-text", hex(TEXT)),
        ("--chart-grid", hex(GRID)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_variables_are_the_chart_colours() {
        let vars = css_variables();
        assert!(vars.contains(&("--primary", "#1f4e79".to_string())));
        assert!(vars
            .iter()
            .all(|(k, v)| k.starts_with("--") && v.len() == 7));
    }
}
