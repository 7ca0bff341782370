//! The options both front ends take as text, read once: the period, filters,
//! as_of and time zone, SLA and calendar overrides of a metric computation
//! ([`MetricOptions`] → [`MetricsConfig`]), and how to read a file
//! ([`ReadOptions`] → [`ImportOptions`]). Errors name the option
//! ([`Opt`]) so that each front end words it its own way (the CLI as a flag,
//! the window as a field); notes about values that select nothing are
//! returned, never printed.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::calendar::{self, Period, SourceZone};
use crate::error::{Opt, OptionError};
use crate::ingest::sniff::{parse_delimiter, Encoding, ReadAs};
use crate::ingest::timeparse::{parse_timestamp, DateOrder};
use crate::ingest::ImportOptions;
use crate::metrics::{Dataset, MetricsConfig, DIMENSIONS, NO_VALUE};
use crate::model::{Instant, Priority, SurveyScale, MS_PER_DAY, MS_PER_HOUR};

/// The options of a metric computation, as typed. Empty texts count as absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MetricOptions {
    /// The instant the report is taken (default: the latest in the data).
    pub as_of: Option<String>,
    /// Reporting time zone (IANA name).
    pub tz: Option<String>,
    /// Period start, inclusive (a date or a timestamp).
    pub from: Option<String>,
    /// Period end, exclusive; a day includes itself when `to_includes_day`.
    pub to: Option<String>,
    /// `to` written as a day (`2026-11-20`) includes that day, as a date picker means it.
    pub to_includes_day: bool,
    /// One ISO week (`2026-W47`), for the period.
    pub week: Option<String>,
    /// Dimension → accepted values (`p1` is read as `P1`).
    pub dimensions: BTreeMap<String, Vec<String>>,
    /// First-response targets, `P1=1` (hours).
    pub sla: Vec<String>,
    pub silence_days: Option<f64>,
    pub hourly_cost: Option<f64>,
    /// `09:00-17:00`.
    pub business_hours: Option<String>,
    /// `1-5` or `1,2,3,4,5`.
    pub business_days: Option<String>,
    /// Closed dates `YYYY-MM-DD`; given, they replace the saved ones.
    pub holidays: Vec<String>,
    /// What series are grouped by: `week` (default), `month`, `quarter`.
    pub group: Option<String>,
}

impl MetricOptions {
    /// The period series are grouped by (weeks unless asked otherwise).
    pub fn period(&self) -> Result<Period, OptionError> {
        match given(&self.group) {
            None => Ok(Period::Week),
            Some(text) => Period::parse(text).ok_or_else(|| {
                bad(
                    Opt::Group,
                    text,
                    "series are grouped by week, month or quarter",
                )
            }),
        }
    }
}

/// Something about the options worth saying that is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionNote {
    /// A filter value no ticket has: it selects nothing.
    UnknownValue { dimension: String, value: String },
}

impl std::fmt::Display for OptionNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionNote::UnknownValue { dimension, value } => {
                write!(
                    f,
                    "no ticket has {dimension} `{value}` (it selects nothing)"
                )
            }
        }
    }
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn bad(option: Opt, value: &str, reason: impl Into<String>) -> OptionError {
    OptionError {
        option,
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// A date or timestamp in a zone (dates are midnight).
pub fn instant(option: Opt, text: &str, zone: SourceZone) -> Result<Instant, OptionError> {
    parse_timestamp(text, DateOrder::DayFirst, zone)
        .map_err(|e| bad(option.clone(), text, e))?
        .ok_or_else(|| bad(option, text, "empty date"))
}

/// An ISO week label (`2026-W47`) as a week index.
pub fn week(text: &str) -> Result<i64, OptionError> {
    calendar::parse_week_label(text.trim())
        .ok_or_else(|| bad(Opt::Week, text, "an ISO week is written like 2026-W47"))
}

/// A time zone name (`UTC`, `Europe/Paris`).
pub fn zone(option: Opt, text: &str) -> Result<SourceZone, OptionError> {
    SourceZone::parse(text).ok_or_else(|| {
        bad(
            option,
            text,
            "unknown time zone (use an IANA name such as Europe/Paris, or UTC)",
        )
    })
}

/// `p1` → `P1`; anything else as written.
pub fn canonical_priority(p: &str) -> String {
    let upper = p.trim().to_uppercase();
    match Priority::parse_canonical(&upper) {
        Some(canonical) => canonical.as_str().to_string(),
        None => p.to_string(),
    }
}

/// One priority of the SLA targets (P1…P4, any case).
pub fn sla_priority(option: Opt, text: &str) -> Result<Priority, OptionError> {
    Priority::parse_canonical(&canonical_priority(text)).ok_or_else(|| {
        bad(
            option,
            text,
            "a priority of the SLA targets is P1, P2, P3 or P4",
        )
    })
}

/// `HH:MM-HH:MM` as minutes after midnight.
fn business_hours(text: &str) -> Result<(u32, u32), OptionError> {
    let wrong = || bad(Opt::BusinessHours, text, "business hours are HH:MM-HH:MM");
    let (o, c) = text.split_once('-').ok_or_else(wrong)?;
    let minute = |t: &str| -> Result<u32, OptionError> {
        let (hh, mm) = t.trim().split_once(':').ok_or_else(wrong)?;
        let (h, m): (u32, u32) = (
            hh.trim().parse().map_err(|_| wrong())?,
            mm.trim().parse().map_err(|_| wrong())?,
        );
        Ok(h * 60 + m)
    };
    Ok((minute(o)?, minute(c)?))
}

/// `1-5` or `1,2,3` as ISO weekday numbers.
fn business_days(text: &str) -> Result<Vec<u32>, OptionError> {
    let wrong = || {
        bad(
            Opt::BusinessDays,
            text,
            "business days are 1-5 or 1,2,3,4,5",
        )
    };
    let number = |t: &str| t.trim().parse::<u32>().map_err(|_| wrong());
    match text.split_once('-') {
        Some((a, b)) => Ok((number(a)?..=number(b)?).collect()),
        None => text.split(',').map(number).collect(),
    }
}

/// The configuration of a computation: `base` (the saved settings) with the
/// options over it. Filter values no ticket of `ds` has are noted.
pub fn configure(
    base: MetricsConfig,
    o: &MetricOptions,
    ds: &Dataset,
) -> Result<(MetricsConfig, Vec<OptionNote>), OptionError> {
    let mut cfg = base;
    let mut notes = Vec::new();
    if let Some(tz) = given(&o.tz) {
        cfg.zone = zone(Opt::TimeZone, tz)?;
    }
    let z = cfg.zone;
    if let Some(t) = given(&o.as_of) {
        cfg.as_of = Some(instant(Opt::AsOf, t, z)?);
    }
    if let Some(w) = given(&o.week) {
        let (s, e) = calendar::week_bounds(week(w)?, z);
        cfg.filters.from = Some(s);
        cfg.filters.to = Some(e);
    }
    if let Some(t) = given(&o.from) {
        cfg.filters.from = Some(instant(Opt::From, t, z)?);
    }
    if let Some(t) = given(&o.to) {
        let whole_day =
            o.to_includes_day && chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
        cfg.filters.to = Some(instant(Opt::To, t, z)? + if whole_day { MS_PER_DAY } else { 0 });
    }
    cfg.filters.check_period().map_err(|e| OptionError {
        option: Opt::Period,
        value: String::new(),
        reason: match e {
            crate::error::MetricsError::InvalidOption { reason, .. } => reason,
            other => other.to_string(),
        },
    })?;
    let mut dims = BTreeMap::new();
    for (dim, values) in &o.dimensions {
        let values: Vec<String> = values
            .iter()
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                if dim == "priority" {
                    canonical_priority(v)
                } else {
                    v.clone()
                }
            })
            .collect();
        if values.is_empty() {
            continue;
        }
        if !DIMENSIONS.contains(&dim.as_str()) {
            return Err(bad(
                Opt::Dimension(dim.clone()),
                &values.join(", "),
                format!("not a dimension; dimensions: {}", DIMENSIONS.join(", ")),
            ));
        }
        let known = ds.dimension_values(dim).unwrap_or_default();
        for value in values
            .iter()
            .filter(|v| *v != NO_VALUE && !known.contains(v))
        {
            notes.push(OptionNote::UnknownValue {
                dimension: dim.clone(),
                value: value.clone(),
            });
        }
        dims.insert(dim.clone(), values);
    }
    cfg.filters.dimensions = dims;
    for s in &o.sla {
        let (p, h) = s
            .split_once('=')
            .ok_or_else(|| bad(Opt::Sla, s, "a target is PRIORITY=HOURS, e.g. P1=1"))?;
        let p = sla_priority(Opt::Sla, p.trim())?;
        let hours: f64 = h
            .trim()
            .parse()
            .ok()
            .filter(|h: &f64| h.is_finite() && *h > 0.0)
            .ok_or_else(|| bad(Opt::Sla, s, "the hours are a number above 0"))?;
        cfg.sla.first_response[p as usize].ms = (hours * MS_PER_HOUR as f64).round() as i64;
    }
    if let Some(d) = o.silence_days {
        cfg.silence_days = d;
    }
    if let Some(c) = o.hourly_cost {
        cfg.hourly_cost = c;
    }
    if let Some(h) = given(&o.business_hours) {
        let (open, close) = business_hours(h)?;
        cfg.calendar.open_minute = open;
        cfg.calendar.close_minute = close;
    }
    if let Some(d) = given(&o.business_days) {
        cfg.calendar.days = business_days(d)?;
    }
    if !o.holidays.is_empty() {
        cfg.calendar.holidays = o
            .holidays
            .iter()
            .map(|h| {
                chrono::NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d")
                    .map_err(|_| bad(Opt::Holiday, h, "a date is YYYY-MM-DD"))
            })
            .collect::<Result<_, _>>()?;
    }
    Ok((cfg, notes))
}

/// How to read a file, as typed. Empty texts and `auto` count as absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// `(field, header)` pairs; field `ignore` leaves a column out.
    pub overrides: Vec<(String, String)>,
    /// The source tickets are keyed by (default: the detected tool).
    pub source: Option<String>,
    /// Time zone of timestamps without offset (default UTC).
    pub source_tz: Option<String>,
    /// `day-first` or `month-first`.
    pub date_order: Option<String>,
    /// `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`.
    pub encoding: Option<String>,
    /// `comma`, `semicolon`, `tab`, `pipe`, or the character.
    pub delimiter: Option<String>,
    /// The sheet of a workbook to read.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Refuse the whole file when any row would be rejected.
    pub strict: bool,
}

fn chosen(text: &Option<String>) -> Option<&str> {
    given(text).filter(|t| *t != "auto")
}

/// `FIELD=HEADER` (as `--map` takes it) as a pair.
pub fn mapping(spec: &str) -> Result<(String, String), OptionError> {
    spec.split_once('=')
        .map(|(f, h)| (f.trim().to_string(), h.trim().to_string()))
        .ok_or_else(|| bad(Opt::Map, spec, "a mapping is FIELD=HEADER"))
}

/// A rating scale: `1-5`, `1-7`, `0-10`, `good-bad`.
pub fn scale(text: &str) -> Result<SurveyScale, OptionError> {
    SurveyScale::from_label(text.trim())
        .ok_or_else(|| bad(Opt::Scale, text, "a scale is 1-5, 1-7, 0-10 or good-bad"))
}

impl ReadOptions {
    /// The import options these describe.
    pub fn import_options(&self) -> Result<ImportOptions, OptionError> {
        let source_zone = match given(&self.source_tz) {
            None => SourceZone::Utc,
            Some(tz) => zone(Opt::SourceTz, tz)?,
        };
        let date_order = match chosen(&self.date_order) {
            None => None,
            Some("day-first") => Some(DateOrder::DayFirst),
            Some("month-first") => Some(DateOrder::MonthFirst),
            Some(other) => {
                return Err(bad(
                    Opt::DateOrder,
                    other,
                    "the date order is day-first or month-first",
                ))
            }
        };
        let encoding = chosen(&self.encoding)
            .map(|e| {
                Encoding::parse(e).ok_or_else(|| {
                    bad(
                        Opt::Encoding,
                        e,
                        "an encoding is utf-8, utf-16le, utf-16be or windows-1252",
                    )
                })
            })
            .transpose()?;
        let delimiter = chosen(&self.delimiter)
            .map(|d| {
                parse_delimiter(d).ok_or_else(|| {
                    bad(
                        Opt::Delimiter,
                        d,
                        "a delimiter is comma, semicolon, tab, pipe or one character",
                    )
                })
            })
            .transpose()?;
        Ok(ImportOptions {
            source: given(&self.source).map(str::to_string),
            source_zone,
            overrides: self.overrides.clone(),
            date_order,
            strict: self.strict,
            read_as: ReadAs {
                encoding,
                delimiter,
                sheet: given(&self.sheet).map(str::to_string),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SurveyColumns, TicketColumns};

    fn empty() -> Dataset {
        Dataset::from_columns(TicketColumns::default(), SurveyColumns::default()).expect("ds")
    }

    #[test]
    fn metric_options_apply_over_the_base() {
        let o = MetricOptions {
            tz: Some("Europe/Paris".into()),
            week: Some("2026-W47".into()),
            dimensions: BTreeMap::from([("priority".into(), vec!["p1".into()])]),
            sla: vec!["P2=8".into()],
            business_hours: Some("08:30-18:00".into()),
            business_days: Some("1-4".into()),
            holidays: vec!["2026-12-25".into()],
            ..MetricOptions::default()
        };
        let (cfg, notes) = configure(MetricsConfig::default(), &o, &empty()).expect("ok");
        assert_eq!(cfg.zone.name(), "Europe/Paris");
        assert_eq!(cfg.filters.dimensions["priority"], vec!["P1"]);
        assert_eq!(cfg.sla.first_response[1].ms, 8 * MS_PER_HOUR);
        assert_eq!(
            (cfg.calendar.open_minute, cfg.calendar.close_minute),
            (510, 1080)
        );
        assert_eq!(cfg.calendar.days, vec![1, 2, 3, 4]);
        assert_eq!(cfg.calendar.holidays.len(), 1);
        let (from, to) = calendar::week_bounds(week("2026-W47").expect("week"), cfg.zone);
        assert_eq!((cfg.filters.from, cfg.filters.to), (Some(from), Some(to)));
        assert_eq!(
            notes,
            vec![OptionNote::UnknownValue {
                dimension: "priority".into(),
                value: "P1".into()
            }]
        );
    }

    #[test]
    fn a_day_given_as_the_end_includes_itself_when_asked() {
        let o = |includes| MetricOptions {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-02".into()),
            to_includes_day: includes,
            ..MetricOptions::default()
        };
        let ds = empty();
        let (a, _) = configure(MetricsConfig::default(), &o(false), &ds).expect("a");
        let (b, _) = configure(MetricsConfig::default(), &o(true), &ds).expect("b");
        assert_eq!(
            b.filters.to.expect("to") - a.filters.to.expect("to"),
            MS_PER_DAY
        );
    }

    #[test]
    fn wrong_options_name_the_option_and_the_value() {
        let ds = empty();
        let cases: Vec<(MetricOptions, Opt)> = vec![
            (
                MetricOptions {
                    week: Some("W47".into()),
                    ..Default::default()
                },
                Opt::Week,
            ),
            (
                MetricOptions {
                    tz: Some("Mars/Olympus".into()),
                    ..Default::default()
                },
                Opt::TimeZone,
            ),
            (
                MetricOptions {
                    sla: vec!["P9=1".into()],
                    ..Default::default()
                },
                Opt::Sla,
            ),
            (
                MetricOptions {
                    from: Some("2026-11-02".into()),
                    to: Some("2026-11-01".into()),
                    ..Default::default()
                },
                Opt::Period,
            ),
            (
                MetricOptions {
                    business_hours: Some("9-17".into()),
                    ..Default::default()
                },
                Opt::BusinessHours,
            ),
        ];
        for (o, want) in cases {
            let e = configure(MetricsConfig::default(), &o, &ds).expect_err("bad");
            assert_eq!(e.option, want, "{e}");
        }
        let e = ReadOptions {
            encoding: Some("ebcdic".into()),
            ..Default::default()
        }
        .import_options()
        .expect_err("encoding");
        assert_eq!((e.option, e.value.as_str()), (Opt::Encoding, "ebcdic"));
        assert!(ReadOptions {
            date_order: Some("auto".into()),
            delimiter: Some(";".into()),
            ..Default::default()
        }
        .import_options()
        .is_ok());
    }
}
