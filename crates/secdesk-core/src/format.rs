//! What a number is (its [`Unit`]), which way is better ([`Better`]), and how
//! it is written for people: `12.5 %`, `95 min`, `1,234.5 h`, `$ 12,345`.
//! The rules are data ([`UNIT_FORMATS`]): the report, the CLI and (through
//! the shell, which hands this table to the window) the UI all write numbers
//! by them. Depends on nothing else in the crate.

use serde::Serialize;

/// Which way an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Lower,
    Higher,
    /// Neither direction is better in itself (a mix, a share of effort).
    Neither,
}

/// What a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction in [0, 1], shown as a percentage.
    Share,
    /// A number of tickets.
    Count,
    Minutes,
    Hours,
    /// A number of days (how long a ticket has been silent).
    Days,
    PerDay,
    PerTicket,
    /// Money in the user's currency.
    Cost,
    /// NPS points (−100..100).
    Points,
    /// A rating on 1–5.
    Rating,
}

/// How the numbers of one unit are written.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct UnitFormat {
    pub unit: Unit,
    /// The stored value times this is the number shown (shares: 100).
    pub scale: f64,
    pub decimals: usize,
    /// Decimals for numbers below 10, when they differ (minutes: 1).
    pub small_decimals: Option<usize>,
    /// Thousands separated (`1,234`).
    pub grouped: bool,
    /// Always signed (`+12`).
    pub signed: bool,
    /// Written after the number (`" %"`, `" min"`).
    pub suffix: &'static str,
    /// Written after the currency label, which comes first (`$ 12,345`).
    pub currency: bool,
    /// A change is written in points of the unit (`−2.1 pts` for shares).
    pub change_suffix: &'static str,
}

const fn unit_format(unit: Unit, decimals: usize, suffix: &'static str) -> UnitFormat {
    UnitFormat {
        unit,
        scale: 1.0,
        decimals,
        small_decimals: None,
        grouped: true,
        signed: false,
        suffix,
        currency: false,
        change_suffix: "",
    }
}

/// The one definition of how each unit is written.
pub const UNIT_FORMATS: [UnitFormat; 10] = [
    UnitFormat {
        scale: 100.0,
        change_suffix: " pts",
        ..unit_format(Unit::Share, 1, " %")
    },
    unit_format(Unit::Count, 0, ""),
    UnitFormat {
        small_decimals: Some(1),
        ..unit_format(Unit::Minutes, 0, " min")
    },
    unit_format(Unit::Hours, 1, " h"),
    unit_format(Unit::Days, 1, " d"),
    UnitFormat {
        grouped: false,
        ..unit_format(Unit::PerDay, 2, " /day")
    },
    UnitFormat {
        grouped: false,
        ..unit_format(Unit::PerTicket, 2, "")
    },
    UnitFormat {
        currency: true,
        ..unit_format(Unit::Cost, 0, "")
    },
    UnitFormat {
        grouped: false,
        signed: true,
        ..unit_format(Unit::Points, 0, "")
    },
    UnitFormat {
        grouped: false,
        ..unit_format(Unit::Rating, 2, " / 5")
    },
];

impl Unit {
    /// How numbers of this unit are written.
    pub fn format(self) -> &'static UnitFormat {
        UNIT_FORMATS
            .iter()
            .find(|f| f.unit == self)
            .unwrap_or(&UNIT_FORMATS[1])
    }
}

/// How a locale writes numbers: its thousands separator and decimal mark.
/// Only the number changes: units, currency labels and dates do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NumberStyle {
    /// The setting's value (`en`, `fr`, `de`, `de-CH`, `sv`).
    pub code: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub decimal: &'static str,
}

/// The number styles a user chooses from (Settings, `number_locale`).
pub const NUMBER_STYLES: [NumberStyle; 5] = [
    NumberStyle {
        code: "en",
        label: "1,234.5 (English)",
        group: ",",
        decimal: ".",
    },
    NumberStyle {
        code: "fr",
        label: "1 234,5 (French)",
        group: "\u{202F}",
        decimal: ",",
    },
    NumberStyle {
        code: "de",
        label: "1.234,5 (German, Spanish, Italian, Dutch, Portuguese)",
        group: ".",
        decimal: ",",
    },
    NumberStyle {
        code: "de-CH",
        label: "1’234.5 (Swiss)",
        group: "’",
        decimal: ".",
    },
    NumberStyle {
        code: "sv",
        label: "1 234,5 (Swedish, Norwegian, Finnish, Polish, Czech)",
        group: "\u{00A0}",
        decimal: ",",
    },
];

/// English: `1,234.5` (the default, and what the CLI's text output uses).
pub const EN: &NumberStyle = &NUMBER_STYLES[0];

impl NumberStyle {
    /// The style of a setting's code, if it is one.
    pub fn of(code: &str) -> Option<&'static NumberStyle> {
        NUMBER_STYLES.iter().find(|s| s.code == code)
    }

    /// An English-written number (`,` groups, `.` decimals) in this style.
    fn localize(&self, en: &str) -> String {
        let mut out = String::with_capacity(en.len() + 4);
        for c in en.chars() {
            match c {
                ',' => out.push_str(self.group),
                '.' => out.push_str(self.decimal),
                c => out.push(c),
            }
        }
        out
    }

    /// `v` with `decimals` decimals and thousands grouped; negative numbers
    /// take a minus sign (−), never `−0`.
    pub fn thousands(&self, v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v.abs());
        let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push_str(self.group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push_str(self.decimal);
            out.push_str(frac);
        }
        if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.insert(0, '−');
        }
        out
    }

    /// The number of a value in its unit, without unit or currency.
    pub fn number(&self, v: f64, unit: Unit) -> String {
        let f = unit.format();
        let shown = v * f.scale;
        let decimals = match f.small_decimals {
            Some(d) if shown < 10.0 => d,
            _ => f.decimals,
        };
        if f.signed {
            self.localize(&format!("{shown:+.decimals$}"))
        } else if f.grouped {
            self.thousands(shown, decimals)
        } else {
            self.localize(&format!("{shown:.decimals$}"))
        }
    }

    /// A value as people read it; `—` for no value.
    pub fn value(&self, v: Option<f64>, unit: Unit, currency: &str) -> String {
        let Some(v) = v else {
            return "—".to_string();
        };
        let f = unit.format();
        let number = format!("{}{}", self.number(v, unit), f.suffix);
        if f.currency {
            format!("{currency} {number}").trim().to_string()
        } else {
            number
        }
    }

    /// A change: signed, shares in points, others in their unit.
    pub fn change(&self, v: Option<f64>, unit: Unit, currency: &str) -> String {
        let Some(v) = v else {
            return "—".to_string();
        };
        let sign = if v > 0.0 {
            "+"
        } else if v < 0.0 {
            "−"
        } else {
            "±"
        };
        let f = unit.format();
        if !f.change_suffix.is_empty() {
            let shown = (v * f.scale).abs();
            let number = self.localize(&format!("{shown:.*}", f.decimals));
            return format!("{sign}{number}{}", f.change_suffix);
        }
        format!(
            "{sign}{}",
            self.value(Some(v.abs()), unit, currency)
                .trim_start_matches('−')
        )
    }

    /// A number as a CSV cell of this locale: every digit, no grouping,
    /// this decimal mark (`-1234,5`).
    pub fn plain(&self, v: f64) -> String {
        let s = v.to_string();
        if self.decimal == "." {
            s
        } else {
            s.replace('.', self.decimal)
        }
    }

    /// The CSV delimiter a spreadsheet of this locale reads: `;` where the
    /// decimal mark is a comma.
    pub fn csv_delimiter(&self) -> u8 {
        if self.decimal == "," {
            b';'
        } else {
            b','
        }
    }
}

/// `v` with `decimals` decimals and thousands separated by commas; negative
/// numbers take a minus sign (−), never `−0`.
pub fn thousands(v: f64, decimals: usize) -> String {
    EN.thousands(v, decimals)
}

/// The number of a value in its unit, without unit or currency (`12.5`, `1,234`).
pub fn format_number(v: f64, unit: Unit) -> String {
    EN.number(v, unit)
}

/// A value as people read it: `12.5 %`, `95 min`, `1,234.5 h`, `$ 12,345`;
/// `—` for no value.
pub fn format_value(v: Option<f64>, unit: Unit, currency: &str) -> String {
    EN.value(v, unit, currency)
}

/// A change as people read it: signed, shares in points, others in their unit.
pub fn format_change(v: Option<f64>, unit: Unit, currency: &str) -> String {
    EN.change(v, unit, currency)
}

/// A cell as secdesk writes it into a CSV file someone may open in a
/// spreadsheet: a text that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula there (CSV injection), so it gets
/// a leading `'` (OWASP's advice); a number in a numeric column (`-3`,
/// `+1.5`) stays a number.
pub fn csv_safe(cell: &str, numeric_column: bool) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || (numeric_column && cell.trim().parse::<f64>().is_ok()) {
        std::borrow::Cow::Borrowed(cell)
    } else {
        std::borrow::Cow::Owned(format!("'{cell}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_changes_read_as_people_write_them() {
        assert_eq!(format_value(Some(0.1234), Unit::Share, ""), "12.3 %");
        assert_eq!(format_value(Some(12345.4), Unit::Cost, "$"), "$ 12,345");
        assert_eq!(format_value(Some(12345.4), Unit::Cost, ""), "12,345");
        assert_eq!(format_value(None, Unit::Hours, ""), "—");
        assert_eq!(format_value(Some(7.25), Unit::Minutes, ""), "7.2 min");
        assert_eq!(format_value(Some(95.4), Unit::Minutes, ""), "95 min");
        assert_eq!(format_value(Some(1.234), Unit::PerDay, ""), "1.23 /day");
        assert_eq!(format_value(Some(12.0), Unit::Points, ""), "+12");
        assert_eq!(format_value(Some(4.5), Unit::Rating, ""), "4.50 / 5");
        assert_eq!(format_change(Some(-0.021), Unit::Share, ""), "−2.1 pts");
        assert_eq!(format_change(Some(1500.0), Unit::Hours, ""), "+1,500.0 h");
        assert_eq!(format_change(Some(0.0), Unit::Count, ""), "±0");
        assert_eq!(thousands(-1234567.0, 0), "−1,234,567");
        assert_eq!(thousands(-0.01, 1), "0.0");
    }

    #[test]
    fn each_locale_writes_the_same_numbers_its_own_way() {
        let fr = NumberStyle::of("fr").expect("fr");
        let de = NumberStyle::of("de").expect("de");
        let ch = NumberStyle::of("de-CH").expect("de-CH");
        assert_eq!(fr.value(Some(1234.5), Unit::Hours, ""), "1\u{202F}234,5 h");
        assert_eq!(de.value(Some(1234.5), Unit::Hours, ""), "1.234,5 h");
        assert_eq!(ch.value(Some(1234.5), Unit::Hours, ""), "1’234.5 h");
        assert_eq!(de.value(Some(12345.4), Unit::Cost, "Fr."), "Fr. 12.345");
        assert_eq!(de.value(Some(0.1234), Unit::Share, ""), "12,3 %");
        assert_eq!(de.change(Some(-0.021), Unit::Share, ""), "−2,1 pts");
        assert_eq!(de.change(Some(1500.0), Unit::Hours, ""), "+1.500,0 h");
        assert_eq!(de.value(Some(1.234), Unit::PerDay, ""), "1,23 /day");
        assert_eq!(de.thousands(-1234567.0, 0), "−1.234.567");
        assert_eq!(de.plain(-1234.5), "-1234,5");
        assert_eq!(de.csv_delimiter(), b';');
        assert_eq!(EN.plain(-1234.5), "-1234.5");
        assert_eq!(EN.csv_delimiter(), b',');
        assert!(NumberStyle::of("xx").is_none());
    }

    #[test]
    fn every_unit_has_one_format() {
        for unit in UNIT_FORMATS.map(|f| f.unit) {
            assert_eq!(
                UNIT_FORMATS.iter().filter(|f| f.unit == unit).count(),
                1,
                "{unit:?}"
            );
        }
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(csv_safe(cell, false).starts_with('\''), "{cell}");
        }
        assert_eq!(csv_safe("-3", true), "-3");
        assert_eq!(csv_safe("+1.5", true), "+1.5");
        assert_eq!(csv_safe("-3", false), "'-3");
        assert_eq!(csv_safe("-1+cmd", true), "'-1+cmd");
        assert_eq!(csv_safe("plain", false), "plain");
    }
}
