//! Timestamps as exports write them: ISO 8601 with or without offset,
//! `DD-MM-YYYY HH:MM`, `MM/DD/YYYY h:mm AM`, `09/Oct/25 1:42 PM`, Excel serials.
//! The day/month order of a column is decided from its values
//! ([`DateColumnProfile`]); naive times are read in the source time zone.
//! Owns no I/O and never reads the clock.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::SourceZone;
use crate::model::Instant;

/// Order of the day and month in an all-numeric date such as `03/04/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

impl DateOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
        }
    }
}

/// The pieces of one timestamp text, before the day/month order is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Year first, or a month given by name: fully determined.
    Exact(Fields),
    /// `a/b/year`: a and b are day and month in an order decided per column.
    Ambiguous { a: u32, b: u32, rest: Fields },
    /// An Excel serial day number (days since 1899-12-30, fraction = time).
    Serial(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Fields {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    milli: u32,
    /// Offset east of UTC in minutes, when the text carries one.
    offset_minutes: Option<i32>,
}

/// A month given by name or abbreviation in any UI language (`Oct`, `oct.`,
/// `Okt`, `out`, `juil.`, `März`): the vocabulary's month table.
fn month_from_name(word: &str) -> Option<u32> {
    super::vocab::vocabulary().month(word.trim_end_matches('.'))
}

fn parse_offset(word: &str) -> Option<i32> {
    let w = word.trim();
    if w.eq_ignore_ascii_case("z") || w.eq_ignore_ascii_case("utc") || w.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let w = w
        .strip_prefix("UTC")
        .or_else(|| w.strip_prefix("GMT"))
        .unwrap_or(w);
    let (sign, digits) = match w.as_bytes().first()? {
        b'+' => (1, &w[1..]),
        b'-' => (-1, &w[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// Parses `h:mm[:ss[.fff]]` with an optional glued AM/PM and offset.
fn parse_clock(word: &str, f: &mut Fields) -> Option<Option<bool>> {
    let lower = word.to_ascii_lowercase();
    let mut core = lower.as_str();
    let mut meridiem = None;
    for (suffix, pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        if let Some(s) = core.strip_suffix(suffix) {
            core = s;
            meridiem = Some(pm);
            break;
        }
    }
    if let Some(z) = core.strip_suffix('z') {
        core = z;
        f.offset_minutes = Some(0);
    } else if let Some(pos) = core[1..].find(['+', '-']).map(|p| p + 1) {
        f.offset_minutes = Some(parse_offset(&core[pos..])?);
        core = &core[..pos];
    }
    let mut parts = core.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (s, ms) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once(['.', ',']).unwrap_or((sec, ""));
            let s: u32 = whole.parse().ok()?;
            let ms = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().take(3).collect();
                if !digits.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                format!("{digits:0<3}").parse().ok()?
            };
            (s, ms)
        }
    };
    if parts.next().is_some() || m > 59 || s > 60 {
        return None;
    }
    f.hour = h;
    f.minute = m;
    f.second = s.min(59);
    f.milli = ms;
    Some(meridiem)
}

fn apply_meridiem(f: &mut Fields, pm: Option<bool>) -> Option<()> {
    match pm {
        None => (f.hour <= 24).then_some(()),
        Some(pm) => {
            if f.hour == 0 || f.hour > 12 {
                return None;
            }
            if pm && f.hour != 12 {
                f.hour += 12;
            } else if !pm && f.hour == 12 {
                f.hour = 0;
            }
            Some(())
        }
    }
}

fn year_from(word: &str) -> Option<i32> {
    let y: i32 = word.parse().ok()?;
    match word.len() {
        4 => Some(y),
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        _ => None,
    }
}

/// `YYYY-MM-DD[T ]HH:MM[:SS][Z|±HH:MM]`, the commonest export shape, read
/// without splitting. Anything else (or out of range) goes the general way.
fn iso_fast(b: &[u8]) -> Option<Fields> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let mut f = Fields {
        year: i32::try_from(digits(0..4)?).ok()?,
        month: digits(5..7)?,
        day: digits(8..10)?,
        hour: digits(11..13)?,
        minute: digits(14..16)?,
        ..Fields::default()
    };
    let mut rest = &b[16..];
    if rest.first() == Some(&b':') {
        let (sec, tail) = (rest.get(1..3)?, &rest[3..]);
        if !sec.iter().all(u8::is_ascii_digit) {
            return None;
        }
        f.second = u32::from(sec[0] - b'0') * 10 + u32::from(sec[1] - b'0');
        rest = tail;
    }
    match rest {
        [] => {}
        [b'Z'] => f.offset_minutes = Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let d = [*h1, *h2, *m1, *m2];
            if !d.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = |i: usize| i32::from(d[i] - b'0');
            let (h, m) = (n(0) * 10 + n(1), n(2) * 10 + n(3));
            if h > 14 || m > 59 {
                return None;
            }
            let off = h * 60 + m;
            f.offset_minutes = Some(if *sign == b'-' { -off } else { off });
        }
        _ => return None,
    }
    (f.minute <= 59 && f.second <= 59 && f.hour <= 24).then_some(f)
}

fn shape_of(text: &str) -> Option<Shape> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(f) = iso_fast(s.as_bytes()) {
        return Some(Shape::Exact(f));
    }
    shape_general(s)
}

/// Every shape the importer knows (`s` trimmed, not empty).
fn shape_general(s: &str) -> Option<Shape> {
    // Spanish and Portuguese UIs write `9:10 a. m.`: the same as `AM`.
    let spaced = s.contains(". m.");
    let owned;
    let s = if spaced {
        owned = s
            .replace("a. m.", "AM")
            .replace("p. m.", "PM")
            .replace("A. M.", "AM")
            .replace("P. M.", "PM");
        owned.as_str()
    } else {
        s
    };
    // Excel serial: a plain positive number in a plausible range (1950..2100).
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        if let Ok(v) = s.parse::<f64>() {
            if (18_264.0..=73_051.0).contains(&v) && s.len() >= 5 {
                return Some(Shape::Serial(v));
            }
        }
    }
    let mut f = Fields::default();
    // ISO 8601: 2025-10-09[T ]13:42[:00[.000]][Z|+hh:mm]
    let b = s.as_bytes();
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && matches!(b[4], b'-' | b'/' | b'.')
    {
        let sep = b[4] as char;
        let (date, time) = match s.find(['T', ' ']) {
            Some(i) => (&s[..i], s[i + 1..].trim()),
            None => (s, ""),
        };
        let mut it = date.split(sep);
        f.year = it.next()?.parse().ok()?;
        f.month = it.next()?.parse().ok()?;
        f.day = it.next()?.parse().ok()?;
        if it.next().is_some() {
            return None;
        }
        if !time.is_empty() {
            let mut words = time.split_whitespace();
            let clock = words.next()?;
            let pm = parse_clock(clock, &mut f)?;
            let mut pm = pm;
            for w in words {
                match w.to_ascii_lowercase().as_str() {
                    "am" => pm = Some(false),
                    "pm" => pm = Some(true),
                    other => f.offset_minutes = Some(parse_offset(other)?),
                }
            }
            apply_meridiem(&mut f, pm)?;
        }
        return Some(Shape::Exact(f));
    }
    // Everything else: date words, one clock word, AM/PM, offset.
    let mut date_parts: Vec<&str> = Vec::new();
    let mut pm: Option<bool> = None;
    let mut seen_clock = false;
    for word in s.split([' ', ',']).filter(|w| !w.is_empty()) {
        let lower = word.to_ascii_lowercase();
        if lower == "am" || lower == "a.m." {
            pm = Some(false);
        } else if lower == "pm" || lower == "p.m." {
            pm = Some(true);
        } else if word.contains(':') && !seen_clock && word.as_bytes()[0].is_ascii_digit() {
            seen_clock = true;
            if let Some(p) = parse_clock(word, &mut f)? {
                pm = Some(p);
            }
        } else if seen_clock
            || word.starts_with('+')
            || lower == "utc"
            || lower == "gmt"
            || lower == "z"
        {
            f.offset_minutes = Some(parse_offset(word)?);
        } else if !matches!(lower.as_str(), "de" | "del" | "of" | "the") {
            // `3 de mayo de 2026`, `the 3rd of May`: the fillers are no part.
            date_parts.extend(word.split(['/', '-', '.']).filter(|p| !p.is_empty()));
        }
    }
    apply_meridiem(&mut f, pm)?;
    if date_parts.len() != 3 {
        return None;
    }
    let named: Vec<Option<u32>> = date_parts.iter().map(|p| month_from_name(p)).collect();
    if let Some(mi) = named.iter().position(Option::is_some) {
        f.month = named[mi]?;
        let others: Vec<&str> = date_parts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != mi)
            .map(|(_, p)| *p)
            .collect();
        // `09/Oct/25`, `9 Oct 2025` (day first) or `Oct 9 2025` (month first): year last.
        f.day = others[0].parse().ok()?;
        f.year = year_from(others[1])?;
        return Some(Shape::Exact(f));
    }
    if date_parts[0].len() == 4 {
        f.year = date_parts[0].parse().ok()?;
        f.month = date_parts[1].parse().ok()?;
        f.day = date_parts[2].parse().ok()?;
        return Some(Shape::Exact(f));
    }
    let a: u32 = date_parts[0].parse().ok()?;
    let b: u32 = date_parts[1].parse().ok()?;
    f.year = year_from(date_parts[2])?;
    Some(Shape::Ambiguous { a, b, rest: f })
}

fn fields_to_instant(f: Fields, zone: SourceZone) -> Option<Instant> {
    let date = NaiveDate::from_ymd_opt(f.year, f.month, f.day)?;
    let (hour, extra_day) = if f.hour == 24 { (0, 1) } else { (f.hour, 0) };
    let naive = date.and_hms_milli_opt(hour, f.minute, f.second, f.milli)?
        + chrono::Duration::days(extra_day);
    Some(match f.offset_minutes {
        Some(off) => naive.and_utc().timestamp_millis() - i64::from(off) * 60_000,
        None => zone.to_utc(naive),
    })
}

fn serial_to_instant(v: f64, zone: SourceZone) -> Option<Instant> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let ms = (v * 86_400_000.0).round() as i64;
    Some(zone.to_utc(base + chrono::Duration::milliseconds(ms)))
}

/// How one column's timestamps are read, decided from its values.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DateDecision {
    pub order: DateOrder,
    /// Why: e.g. "day-first: 412 values have a first part above 12".
    pub reason: String,
}

/// Evidence gathered over a column's values.
#[derive(Debug, Clone, Default)]
pub struct DateColumnProfile {
    pub values: usize,
    pub ambiguous: usize,
    pub day_first_evidence: usize,
    pub month_first_evidence: usize,
    pub unreadable: usize,
    /// `/` separators hint at US month-first, `-` and `.` at day-first.
    pub slash: usize,
}

impl DateColumnProfile {
    pub fn observe(&mut self, text: &str) {
        if is_missing(text) {
            return;
        }
        self.values += 1;
        match shape_of(text) {
            Some(Shape::Ambiguous { a, b, .. }) => {
                self.ambiguous += 1;
                if a > 12 && b <= 12 {
                    self.day_first_evidence += 1;
                } else if b > 12 && a <= 12 {
                    self.month_first_evidence += 1;
                }
                if text.contains('/') {
                    self.slash += 1;
                }
            }
            Some(_) => {}
            None => self.unreadable += 1,
        }
    }

    /// Decides the order; `hint` is what the detected format says when the values do not.
    pub fn decide(&self, hint: Option<DateOrder>) -> DateDecision {
        let (d, m) = (self.day_first_evidence, self.month_first_evidence);
        if self.ambiguous == 0 {
            let order = hint.unwrap_or(DateOrder::DayFirst);
            return DateDecision {
                order,
                reason: "unambiguous (year first or month by name)".to_string(),
            };
        }
        if d > 0 || m > 0 {
            let order = if d >= m {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            let reason = if d > 0 && m > 0 {
                format!(
                    "{}: {d} values read only day-first, {m} only month-first (mixed; the minority will be rejected)",
                    order.as_str()
                )
            } else if d > 0 {
                format!("day-first: {d} values have a first part above 12")
            } else {
                format!("month-first: {m} values have a second part above 12")
            };
            return DateDecision { order, reason };
        }
        let (order, why) = match hint {
            Some(h) => (h, "the detected format"),
            None if self.slash * 2 > self.ambiguous => (DateOrder::MonthFirst, "`/` separators"),
            None => (DateOrder::DayFirst, "`-`/`.` separators"),
        };
        DateDecision {
            order,
            reason: format!(
                "{}: assumed from {why}; no value has a part above 12 (use --date-order to change)",
                order.as_str()
            ),
        }
    }
}

/// Empty, `?`, `-`, `N/A`, `null`… count as missing everywhere.
pub fn is_missing(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || matches!(t, "?" | "-" | "--" | "—")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("na")
        || t.eq_ignore_ascii_case("null")
        || t.eq_ignore_ascii_case("none")
        || t.eq_ignore_ascii_case("nan")
        || t.eq_ignore_ascii_case("#n/a")
}

/// Parses one timestamp with a decided order. `Ok(None)` when missing.
pub fn parse_timestamp(
    text: &str,
    order: DateOrder,
    zone: SourceZone,
) -> Result<Option<Instant>, String> {
    if is_missing(text) {
        return Ok(None);
    }
    let shape = shape_of(text).ok_or_else(|| "not a date/time this importer knows".to_string())?;
    let instant = match shape {
        Shape::Exact(f) => fields_to_instant(f, zone),
        Shape::Serial(v) => serial_to_instant(v, zone),
        Shape::Ambiguous { a, b, mut rest } => {
            let (d, m) = match order {
                DateOrder::DayFirst => (a, b),
                DateOrder::MonthFirst => (b, a),
            };
            rest.day = d;
            rest.month = m;
            fields_to_instant(rest, zone)
        }
    };
    instant
        .map(Some)
        .ok_or_else(|| format!("not a valid {} date", order.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str, order: DateOrder) -> Instant {
        parse_timestamp(text, order, SourceZone::Utc)
            .expect("parses")
            .expect("present")
    }

    fn ms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Instant {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|x| x.and_hms_opt(h, mi, s))
            .expect("valid")
            .and_utc()
            .timestamp_millis()
    }

    #[test]
    fn spanish_meridiem_and_month_names() {
        let t = utc("18/jul/26 9:10 p. m.", DateOrder::DayFirst);
        assert_eq!(t, ms(2026, 7, 18, 21, 10, 0));
        let t = utc("18/jul/26 9:10 a. m.", DateOrder::DayFirst);
        assert_eq!(t, ms(2026, 7, 18, 9, 10, 0));
        assert_eq!(
            utc("3 de mayo de 2026 14:00", DateOrder::DayFirst),
            ms(2026, 5, 3, 14, 0, 0)
        );
        assert_eq!(
            utc("09 oct. 2025 08:30", DateOrder::DayFirst),
            ms(2025, 10, 9, 8, 30, 0)
        );
        assert_eq!(
            utc("18.07.26 09:10", DateOrder::DayFirst),
            ms(2026, 7, 18, 9, 10, 0)
        );
    }

    #[test]
    fn reads_the_documented_formats() {
        let d = DateOrder::DayFirst;
        assert_eq!(utc("2026-11-20T17:04:00Z", d), ms(2026, 11, 20, 17, 4, 0));
        assert_eq!(
            utc("2026-11-20T18:04:00+01:00", d),
            ms(2026, 11, 20, 17, 4, 0)
        );
        assert_eq!(utc("2026-11-20 17:04", d), ms(2026, 11, 20, 17, 4, 0));
        assert_eq!(utc("2026-11-20", d), ms(2026, 11, 20, 0, 0, 0));
        assert_eq!(utc("29-02-2016 01:16", d), ms(2016, 2, 29, 1, 16, 0));
        assert_eq!(
            utc("10/03/2025 1:42 PM", DateOrder::MonthFirst),
            ms(2025, 10, 3, 13, 42, 0)
        );
        assert_eq!(
            utc("09/Oct/25 1:42 PM", DateOrder::MonthFirst),
            ms(2025, 10, 9, 13, 42, 0)
        );
        assert_eq!(
            utc("9/1/2023 10:01:10", DateOrder::MonthFirst),
            ms(2023, 9, 1, 10, 1, 10)
        );
        assert_eq!(utc("12/Jan/26 12:05 AM", d), ms(2026, 1, 12, 0, 5, 0));
        assert_eq!(utc("45231.5", d), ms(2023, 11, 1, 12, 0, 0));
        assert_eq!(
            utc("2023-11-01 12:00:00 +0200", d),
            ms(2023, 11, 1, 10, 0, 0)
        );
        assert_eq!(utc("01.02.2024 08:00", d), ms(2024, 2, 1, 8, 0, 0));
    }

    #[test]
    fn iso_fast_path_agrees_with_the_general_reader() {
        for text in [
            "2026-11-20T17:04:00Z",
            "2026-11-20T17:04Z",
            "2026-11-20 17:04",
            "2026-11-20 17:04:59",
            "2026-11-20T18:04:00+01:00",
            "2026-11-20T18:04:00-05:30",
            "2026-02-29T10:00:00Z",
            "2026-11-20T24:00:00Z",
        ] {
            let fast = iso_fast(text.as_bytes()).map(Shape::Exact);
            assert!(fast.is_some(), "{text}");
            assert_eq!(fast, shape_general(text), "{text}");
        }
        // Not the fast shape: left to the general reader.
        for text in [
            "2026-11-20",
            "2026-11-20T17:04:60Z",
            "2026-11-20T17:04:00.250Z",
            "2026-11-20T17:04:00+0100",
            "2026-11-20 17:04 PM",
            "2026/11/20 17:04",
        ] {
            assert_eq!(iso_fast(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn source_zone_applies_to_naive_times_only() {
        let paris = SourceZone::parse("Europe/Paris").expect("tz");
        let t = parse_timestamp("2026-07-01 12:00", DateOrder::DayFirst, paris)
            .expect("ok")
            .expect("some");
        assert_eq!(t, ms(2026, 7, 1, 10, 0, 0));
        let t = parse_timestamp("2026-07-01T12:00Z", DateOrder::DayFirst, paris)
            .expect("ok")
            .expect("some");
        assert_eq!(t, ms(2026, 7, 1, 12, 0, 0));
    }

    #[test]
    fn missing_and_bad_values() {
        assert_eq!(
            parse_timestamp("?", DateOrder::DayFirst, SourceZone::Utc),
            Ok(None)
        );
        assert!(parse_timestamp("yesterday", DateOrder::DayFirst, SourceZone::Utc).is_err());
        assert!(parse_timestamp("31-02-2024 10:00", DateOrder::DayFirst, SourceZone::Utc).is_err());
        assert!(parse_timestamp("2024-01-01 25:61", DateOrder::DayFirst, SourceZone::Utc).is_err());
    }

    #[test]
    fn order_is_decided_from_the_values() {
        let mut p = DateColumnProfile::default();
        for v in ["03/04/2025 10:00", "11/25/2025 09:00"] {
            p.observe(v);
        }
        assert_eq!(p.decide(None).order, DateOrder::MonthFirst);
        let mut p = DateColumnProfile::default();
        for v in ["03-04-2025 10:00", "25-11-2025 09:00"] {
            p.observe(v);
        }
        assert_eq!(
            p.decide(Some(DateOrder::MonthFirst)).order,
            DateOrder::DayFirst
        );
        let mut p = DateColumnProfile::default();
        p.observe("03/04/2025");
        let d = p.decide(None);
        assert_eq!(d.order, DateOrder::MonthFirst);
        assert!(d.reason.contains("assumed"));
    }
}
