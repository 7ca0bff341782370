//! The business-hours calendar (default Mon–Fri 09:00–17:00 in the reporting
//! time zone, plus holidays) and the open time it counts between two instants.
//! Also time zones (the source zone of naive timestamps, the reporting zone),
//! the reporting time zone's week arithmetic (ISO weeks, `2026-W47`), and how
//! instants are written (`instant_text`).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::Instant;

/// The time zone naive timestamps of a file are read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SourceZone {
    Utc,
    Named(Tz),
}

impl SourceZone {
    pub fn parse(name: &str) -> Option<SourceZone> {
        let n = name.trim();
        if n.eq_ignore_ascii_case("utc") || n.eq_ignore_ascii_case("z") || n.is_empty() {
            return Some(SourceZone::Utc);
        }
        n.parse::<Tz>().ok().map(SourceZone::Named)
    }

    pub fn name(&self) -> String {
        match self {
            SourceZone::Utc => "UTC".to_string(),
            SourceZone::Named(tz) => tz.name().to_string(),
        }
    }

    /// A local wall-clock time to UTC milliseconds. In a DST gap the time is
    /// read one hour later; in a fold, the earlier instant.
    pub fn to_utc(&self, naive: NaiveDateTime) -> Instant {
        match self {
            SourceZone::Utc => naive.and_utc().timestamp_millis(),
            SourceZone::Named(tz) => match tz.from_local_datetime(&naive).earliest() {
                Some(dt) => dt.timestamp_millis(),
                None => {
                    let shifted = naive + chrono::Duration::hours(1);
                    tz.from_local_datetime(&shifted)
                        .earliest()
                        .map(|d| d.timestamp_millis())
                        .unwrap_or_else(|| naive.and_utc().timestamp_millis())
                }
            },
        }
    }
}

/// RFC 3339 UTC with a `Z`, seconds precision (milliseconds when present).
pub fn instant_text(ms: i64) -> String {
    let dt = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    if ms % 1000 == 0 {
        dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

/// When the desk is open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessCalendar {
    /// Open weekdays, ISO numbers (1 = Monday … 7 = Sunday).
    pub days: Vec<u32>,
    /// Opening and closing time, minutes after midnight.
    pub open_minute: u32,
    pub close_minute: u32,
    /// Closed dates.
    pub holidays: Vec<NaiveDate>,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar {
            days: vec![1, 2, 3, 4, 5],
            open_minute: 9 * 60,
            close_minute: 17 * 60,
            holidays: Vec::new(),
        }
    }
}

impl BusinessCalendar {
    fn is_open_day(&self, d: NaiveDate) -> bool {
        self.days.contains(&d.weekday().number_from_monday()) && !self.holidays.contains(&d)
    }

    /// Open milliseconds between `start` and `end` (0 when end ≤ start).
    pub fn open_ms_between(&self, start: Instant, end: Instant, zone: SourceZone) -> i64 {
        if end <= start || self.close_minute <= self.open_minute {
            return 0;
        }
        let first = local_date(start, zone);
        let last = local_date(end, zone);
        let day_ms = i64::from(self.close_minute - self.open_minute) * 60_000;
        let mut total = 0i64;
        let mut d = first;
        while d <= last {
            // Whole days strictly inside the span: a week at a time, without time-zone work.
            if d > first && (last - d).num_days() >= 7 {
                let open_days = (0..7)
                    .filter(|k| self.is_open_day(d + chrono::Duration::days(*k)))
                    .count() as i64;
                total += open_days * day_ms;
                d += chrono::Duration::days(7);
                continue;
            }
            if self.is_open_day(d) {
                let open = local_to_utc(d, self.open_minute, zone);
                let close = local_to_utc(d, self.close_minute, zone);
                let a = start.max(open);
                let b = end.min(close);
                if b > a {
                    total += b - a;
                }
            }
            d = match d.succ_opt() {
                Some(n) => n,
                None => break,
            };
        }
        total
    }
}

/// Open time as a running total: [`BusinessClock::at`] is the open
/// milliseconds from a fixed origin to an instant, so the open time between
/// two instants is the difference of two lookups (one per ticket and event,
/// however long the span). Days are laid out once, for the dates a dataset
/// covers; instants outside them are counted with
/// [`BusinessCalendar::open_ms_between`].
#[derive(Debug, Clone)]
pub struct BusinessClock {
    calendar: BusinessCalendar,
    zone: SourceZone,
    first: NaiveDate,
    /// UTC midnight-in-zone of `first` and of the day after the last one.
    origin: Instant,
    end: Instant,
    /// Per day: the open ms before it, and its opening and closing instants
    /// (equal on a closed day).
    days: Vec<(i64, Instant, Instant)>,
}

impl BusinessClock {
    /// A clock laid out for the local dates of `from` to `to`.
    pub fn new(calendar: &BusinessCalendar, zone: SourceZone, from: Instant, to: Instant) -> Self {
        let first = local_date(from.min(to), zone);
        let last = local_date(from.max(to), zone).max(first);
        let mut days = Vec::with_capacity((last - first).num_days() as usize + 1);
        let mut before = 0i64;
        let mut d = first;
        while d <= last {
            let (open, close) =
                if calendar.is_open_day(d) && calendar.open_minute < calendar.close_minute {
                    (
                        local_to_utc(d, calendar.open_minute, zone),
                        local_to_utc(d, calendar.close_minute, zone),
                    )
                } else {
                    let midnight = local_to_utc(d, 0, zone);
                    (midnight, midnight)
                };
            days.push((before, open, close.max(open)));
            before += close.max(open) - open;
            d = match d.succ_opt() {
                Some(n) => n,
                None => break,
            };
        }
        let end = local_to_utc(last, 24 * 60, zone);
        BusinessClock {
            calendar: calendar.clone(),
            zone,
            first,
            origin: local_to_utc(first, 0, zone),
            end,
            days,
        }
    }

    /// Open milliseconds from the clock's origin to `t` (negative before it).
    pub fn at(&self, t: Instant) -> i64 {
        if t < self.origin {
            return -self.calendar.open_ms_between(t, self.origin, self.zone);
        }
        if t >= self.end {
            let total = self.days.last().map_or(0, |(b, o, c)| b + (c - o));
            return total + self.calendar.open_ms_between(self.end, t, self.zone);
        }
        let k = (local_date(t, self.zone) - self.first).num_days();
        match usize::try_from(k).ok().and_then(|k| self.days.get(k)) {
            Some(&(before, open, close)) => before + (t.clamp(open, close) - open),
            None => self.calendar.open_ms_between(self.origin, t, self.zone),
        }
    }

    /// Open milliseconds between two instants (0 when `end` ≤ `start`).
    pub fn between(&self, start: Instant, end: Instant) -> i64 {
        if end <= start {
            0
        } else {
            self.at(end) - self.at(start)
        }
    }
}

/// The local calendar date of an instant.
pub fn local_date(t: Instant, zone: SourceZone) -> NaiveDate {
    let utc = chrono::DateTime::from_timestamp_millis(t).unwrap_or_default();
    match zone {
        SourceZone::Utc => utc.date_naive(),
        SourceZone::Named(tz) => utc.with_timezone(&tz).date_naive(),
    }
}

/// A local date and minute of the day to UTC milliseconds.
/// Minute 1440 (a desk that closes at midnight) is the next day's 00:00.
pub fn local_to_utc(d: NaiveDate, minute: u32, zone: SourceZone) -> Instant {
    let (day, minute) = if minute >= 24 * 60 {
        (d.succ_opt().unwrap_or(d), 0)
    } else {
        (d, minute)
    };
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minute * 60, 0).unwrap_or_default();
    zone.to_utc(day.and_time(time))
}

/// Offset of local time from UTC at an instant, in milliseconds.
pub fn offset_ms(t: Instant, zone: SourceZone) -> i64 {
    match zone {
        SourceZone::Utc => 0,
        SourceZone::Named(tz) => {
            use chrono::Offset;
            let utc = chrono::DateTime::from_timestamp_millis(t).unwrap_or_default();
            i64::from(
                tz.offset_from_utc_datetime(&utc.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ) * 1000
        }
    }
}

/// Week number since the Monday 1969-12-29 of a local date: the key weeks are grouped by.
pub fn week_index_of_date(d: NaiveDate) -> i64 {
    let days = (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days();
    (days + 3).div_euclid(7)
}

/// The Monday that starts a week index.
pub fn week_monday(index: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Duration::days(index * 7 - 3)
}

/// `2026-W47` for a week index.
pub fn week_label(index: i64) -> String {
    let iso = week_monday(index).iso_week();
    format!("{}-W{:02}", iso.year(), iso.week())
}

/// Parses `2026-W47` into a week index.
pub fn parse_week_label(s: &str) -> Option<i64> {
    let (y, w) = s.trim().split_once("-W")?;
    let d = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)?;
    Some(week_index_of_date(d))
}

/// Start and end (exclusive) of a week in UTC milliseconds.
pub fn week_bounds(index: i64, zone: SourceZone) -> (Instant, Instant) {
    (
        local_to_utc(week_monday(index), 0, zone),
        local_to_utc(week_monday(index + 1), 0, zone),
    )
}

/// The week index of an instant in a zone.
pub fn week_index(t: Instant, zone: SourceZone) -> i64 {
    week_index_of_date(local_date(t, zone))
}

/// The calendar periods figures are grouped by besides weeks: months and
/// quarters of the reporting time zone, numbered from year 0 (`2026-11` is
/// 2026 × 12 + 10; `2026-Q4` is 2026 × 4 + 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Week,
    Month,
    Quarter,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::Quarter];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }

    pub fn parse(text: &str) -> Option<Period> {
        match text.trim().to_ascii_lowercase().as_str() {
            "week" | "weeks" | "weekly" => Some(Period::Week),
            "month" | "months" | "monthly" => Some(Period::Month),
            "quarter" | "quarters" | "quarterly" => Some(Period::Quarter),
            _ => None,
        }
    }

    /// The index of a local date's period.
    pub fn index_of_date(self, d: NaiveDate) -> i64 {
        let month = i64::from(d.year()) * 12 + i64::from(d.month0());
        match self {
            Period::Week => week_index_of_date(d),
            Period::Month => month,
            Period::Quarter => month.div_euclid(3),
        }
    }

    pub fn index(self, t: Instant, zone: SourceZone) -> i64 {
        self.index_of_date(local_date(t, zone))
    }

    /// The first local date of a period.
    pub fn first_day(self, index: i64) -> NaiveDate {
        let month = match self {
            Period::Week => return week_monday(index),
            Period::Month => index,
            Period::Quarter => index * 3,
        };
        NaiveDate::from_ymd_opt(
            month.div_euclid(12) as i32,
            month.rem_euclid(12) as u32 + 1,
            1,
        )
        .unwrap_or_default()
    }

    /// Start and end (exclusive) of a period in UTC milliseconds.
    pub fn bounds(self, index: i64, zone: SourceZone) -> (Instant, Instant) {
        (
            local_to_utc(self.first_day(index), 0, zone),
            local_to_utc(self.first_day(index + 1), 0, zone),
        )
    }

    /// `2026-W47`, `2026-11`, `2026-Q4`.
    pub fn label(self, index: i64) -> String {
        match self {
            Period::Week => week_label(index),
            Period::Month => format!("{}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1),
            Period::Quarter => format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
        }
    }
}

/// Convenience for tests and generators.
pub fn utc_ms(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Instant {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, h, mi, 0)
        .single()
        .map(|x| x.timestamp_millis())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_open_ms(cal: &BusinessCalendar, start: Instant, end: Instant) -> i64 {
        // Minute by minute reference.
        let mut t = start;
        let mut total = 0;
        while t < end {
            let next = (t + 60_000).min(end);
            let dt = chrono::DateTime::from_timestamp_millis(t)
                .unwrap_or_default()
                .naive_utc();
            let minute = dt.time().hour_min();
            if cal.is_open_day(dt.date()) && minute >= cal.open_minute && minute < cal.close_minute
            {
                total += next - t;
            }
            t = next;
        }
        total
    }

    trait HourMin {
        fn hour_min(&self) -> u32;
    }
    impl HourMin for NaiveTime {
        fn hour_min(&self) -> u32 {
            use chrono::Timelike;
            self.hour() * 60 + self.minute()
        }
    }

    #[test]
    fn business_time_within_and_across_days() {
        let cal = BusinessCalendar::default();
        // Friday 16:00 to Monday 10:00 = 1 h + 1 h.
        let fri = utc_ms(2026, 11, 20, 16, 0);
        let mon = utc_ms(2026, 11, 23, 10, 0);
        assert_eq!(
            cal.open_ms_between(fri, mon, SourceZone::Utc),
            2 * 3_600_000
        );
        // Saturday only: 0.
        assert_eq!(
            cal.open_ms_between(
                utc_ms(2026, 11, 21, 9, 0),
                utc_ms(2026, 11, 21, 18, 0),
                SourceZone::Utc
            ),
            0
        );
    }

    #[test]
    fn long_spans_match_the_minute_by_minute_count() {
        let cal = BusinessCalendar {
            holidays: vec![
                NaiveDate::from_ymd_opt(2026, 12, 25).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
            ],
            ..BusinessCalendar::default()
        };
        for (a, b) in [
            (utc_ms(2026, 11, 2, 8, 30), utc_ms(2027, 1, 15, 12, 10)),
            (utc_ms(2026, 11, 4, 10, 0), utc_ms(2026, 12, 29, 16, 59)),
            (utc_ms(2026, 11, 23, 10, 0), utc_ms(2026, 12, 10, 10, 0)),
        ] {
            assert_eq!(
                cal.open_ms_between(a, b, SourceZone::Utc),
                naive_open_ms(&cal, a, b),
                "{a} {b}"
            );
        }
    }

    #[test]
    fn the_running_clock_agrees_with_the_walk_inside_and_outside_its_days() {
        let cal = BusinessCalendar {
            holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 25).unwrap_or_default()],
            ..BusinessCalendar::default()
        };
        for zone in [
            SourceZone::Utc,
            SourceZone::parse("Europe/Paris").expect("zone"),
            SourceZone::parse("America/New_York").expect("zone"),
        ] {
            let clock = BusinessClock::new(
                &cal,
                zone,
                utc_ms(2026, 10, 20, 0, 0),
                utc_ms(2026, 12, 31, 0, 0),
            );
            let points = [
                utc_ms(2026, 9, 1, 7, 13),
                utc_ms(2026, 10, 20, 16, 30),
                utc_ms(2026, 10, 24, 12, 0),
                utc_ms(2026, 11, 1, 9, 45),
                utc_ms(2026, 11, 20, 16, 30),
                utc_ms(2026, 11, 23, 9, 30),
                utc_ms(2026, 12, 24, 15, 0),
                utc_ms(2026, 12, 28, 10, 0),
                utc_ms(2027, 2, 3, 11, 1),
            ];
            for a in points {
                for b in points {
                    let walk = if b > a {
                        cal.open_ms_between(a, b, zone)
                    } else {
                        0
                    };
                    if (b - a).abs() < 7 * 86_400_000 || zone == SourceZone::Utc {
                        assert_eq!(clock.between(a, b), walk, "{} {a} {b}", zone.name());
                    }
                }
            }
        }
    }

    #[test]
    fn months_and_quarters_are_labelled_and_bounded_in_the_zone() {
        let paris = SourceZone::parse("Europe/Paris").expect("zone");
        // 2026-11-30 23:30 UTC is already December in Paris.
        let t = utc_ms(2026, 11, 30, 23, 30);
        assert_eq!(
            Period::Month.label(Period::Month.index(t, SourceZone::Utc)),
            "2026-11"
        );
        assert_eq!(
            Period::Month.label(Period::Month.index(t, paris)),
            "2026-12"
        );
        assert_eq!(
            Period::Quarter.label(Period::Quarter.index(t, SourceZone::Utc)),
            "2026-Q4"
        );
        let q = Period::Quarter.index(utc_ms(2026, 3, 31, 12, 0), SourceZone::Utc);
        assert_eq!(Period::Quarter.label(q), "2026-Q1");
        assert_eq!(
            Period::Quarter.bounds(q, SourceZone::Utc),
            (utc_ms(2026, 1, 1, 0, 0), utc_ms(2026, 4, 1, 0, 0))
        );
        let m = Period::Month.index(t, paris);
        assert_eq!(
            Period::Month.bounds(m, paris),
            (utc_ms(2026, 11, 30, 23, 0), utc_ms(2026, 12, 31, 23, 0))
        );
        assert_eq!(Period::parse("Quarter"), Some(Period::Quarter));
    }

    #[test]
    fn week_labels_are_iso() {
        let idx = week_index(utc_ms(2026, 11, 20, 17, 4), SourceZone::Utc);
        assert_eq!(week_label(idx), "2026-W47");
        assert_eq!(parse_week_label("2026-W47"), Some(idx));
        // 2027-01-01 is a Friday in ISO week 2026-W53.
        assert_eq!(
            week_label(week_index(utc_ms(2027, 1, 1, 0, 0), SourceZone::Utc)),
            "2026-W53"
        );
        let (s, e) = week_bounds(idx, SourceZone::Utc);
        assert_eq!(s, utc_ms(2026, 11, 16, 0, 0));
        assert_eq!(e, utc_ms(2026, 11, 23, 0, 0));
    }
}
