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
