//! The settings every number follows, saved in the database: first-response
//! SLA targets per priority, the business-hours calendar and holidays, the
//! silence threshold, the hourly cost of a blocked person and its currency,
//! and the reporting time zone. One JSON value in the `settings` table; the
//! app and the CLI both start every computation from [`Settings::config`].
//! Validates; never computes a metric.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::calendar::SourceZone;
use crate::error::SettingsError;
use crate::format::{NumberStyle, EN, NUMBER_STYLES};
use crate::metrics::{Clock, MetricsConfig, Scope, SlaKind, SlaOverride, SlaTarget};
use crate::model::MS_PER_HOUR;
use crate::store::Store;

/// The key the settings are saved under.
pub const SAVED_SETTINGS: &str = "metrics.settings";

/// What a user sets once for their desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// First-response targets for P1..P4, in hours.
    pub sla_hours: [f64; 4],
    /// Resolution targets for P1..P4, in hours.
    pub resolution_hours: [f64; 4],
    /// The clock of each first-response and resolution target.
    pub first_response_clock: [Clock; 4],
    pub resolution_clock: [Clock; 4],
    /// Targets for one team or category and priority.
    pub sla_overrides: Vec<OverrideSetting>,
    /// Open weekdays, ISO numbers (1 = Monday … 7 = Sunday).
    pub business_days: Vec<u32>,
    /// Opening and closing time, `HH:MM`.
    pub business_open: String,
    pub business_close: String,
    /// Closed dates, `YYYY-MM-DD`.
    pub holidays: Vec<String>,
    /// An open ticket without an update for more than this many days is silent.
    pub silence_days: f64,
    /// Loaded cost of one blocked person-hour.
    pub hourly_cost: f64,
    /// Label printed with amounts of money.
    pub currency: String,
    /// How numbers are written in the window, the reports and CSV exports
    /// (a code of [`NUMBER_STYLES`]: `en` 1,234.5, `fr` 1 234,5, `de` 1.234,5…).
    pub number_locale: String,
    /// Reporting time zone (IANA name or `UTC`): weeks, days, business hours.
    pub time_zone: String,
    /// Where `secdesk deliver` writes and mails reports (flags override).
    pub delivery: DeliverySettings,
}

/// What a scheduled delivery needs without flags. The SMTP password is
/// never here: it comes from the environment (`SECDESK_SMTP_PASSWORD`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliverySettings {
    pub out_dir: Option<String>,
    /// Recipients of the weekly report.
    pub mail_to: Vec<String>,
    pub mail_from: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    /// `starttls` (default), `tls` or `none`.
    pub smtp_security: Option<String>,
    pub smtp_user: Option<String>,
    /// A CSV file `assignee,email` for the personal reports.
    pub addresses: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let cfg = MetricsConfig::default();
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        Settings {
            sla_hours: cfg.sla.first_response.map(|t| t.hours()),
            resolution_hours: cfg.sla.resolution.map(|t| t.hours()),
            first_response_clock: cfg.sla.first_response.map(|t| t.clock),
            resolution_clock: cfg.sla.resolution.map(|t| t.clock),
            sla_overrides: Vec::new(),
            business_days: cfg.calendar.days.clone(),
            business_open: hm(cfg.calendar.open_minute),
            business_close: hm(cfg.calendar.close_minute),
            holidays: Vec::new(),
            silence_days: cfg.silence_days,
            hourly_cost: cfg.hourly_cost,
            currency: "$".to_string(),
            number_locale: EN.code.to_string(),
            time_zone: cfg.zone.name(),
            delivery: DeliverySettings::default(),
        }
    }
}

/// A target for one team or category and priority, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverrideSetting {
    pub scope: Scope,
    /// The team or category, as the data writes it.
    pub value: String,
    /// `P1` … `P4`.
    pub priority: String,
    pub kind: SlaKind,
    pub hours: f64,
    /// `None`: the clock of the priority's own target of that kind.
    #[serde(default)]
    pub clock: Option<Clock>,
}

/// Hours from `4`, `4h`, `0.5h`, `30m`, `2d`.
fn hours_of(field: &str, text: &str) -> Result<f64, SettingsError> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = match t.strip_suffix('h') {
        Some(n) => (n, 1.0),
        None => match t.strip_suffix('m') {
            Some(n) => (n, 1.0 / 60.0),
            None => match t.strip_suffix('d') {
                Some(n) => (n, 24.0),
                None => (t.as_str(), 1.0),
            },
        },
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| v * unit)
        .ok_or_else(|| bad(field, text, "a target is hours (4, 4h, 30m, 2d)"))
}

fn clock_of(field: &str, text: &str) -> Result<Clock, SettingsError> {
    Clock::parse(text).ok_or_else(|| bad(field, text, "a clock is calendar or business"))
}

fn priority_of(field: &str, text: &str) -> Result<usize, SettingsError> {
    match text {
        "P1" | "P2" | "P3" | "P4" => Ok(usize::from(text.as_bytes()[1] - b'1')),
        _ => Err(bad(field, text, "a priority is P1, P2, P3 or P4")),
    }
}

fn bad(field: &str, value: impl ToString, reason: &str) -> SettingsError {
    SettingsError::BadValue {
        field: field.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

fn minute_of(field: &str, text: &str) -> Result<u32, SettingsError> {
    let (h, m) = text
        .trim()
        .split_once(':')
        .ok_or_else(|| bad(field, text, "a time is HH:MM"))?;
    let (h, m): (u32, u32) = match (h.parse(), m.parse()) {
        (Ok(h), Ok(m)) if h <= 24 && m < 60 && h * 60 + m <= 24 * 60 => (h, m),
        _ => return Err(bad(field, text, "a time is HH:MM between 00:00 and 24:00")),
    };
    Ok(h * 60 + m)
}

impl Settings {
    /// The saved settings, or the defaults when none were saved.
    pub fn load(store: &Store) -> Result<Settings, SettingsError> {
        match store.setting(SAVED_SETTINGS)? {
            None => Ok(Settings::default()),
            Some(text) => {
                let s: Settings = serde_json::from_str(&text)
                    .map_err(|e| bad("saved settings", &text, &e.to_string()))?;
                s.config()?;
                Ok(s)
            }
        }
    }

    /// Checks and saves the settings; nothing is saved when a value is wrong.
    pub fn save(&self, store: &Store) -> Result<(), SettingsError> {
        self.config()?;
        let text = serde_json::to_string(self).map_err(|e| bad("settings", "", &e.to_string()))?;
        store.set_setting(SAVED_SETTINGS, &text)?;
        Ok(())
    }

    /// How numbers are written (English for a code no longer known).
    pub fn numbers(&self) -> &'static NumberStyle {
        NumberStyle::of(&self.number_locale).unwrap_or(EN)
    }

    /// Back to the defaults.
    pub fn reset(store: &Store) -> Result<(), SettingsError> {
        store.remove_setting(SAVED_SETTINGS)?;
        Ok(())
    }

    /// Sets one value from text, as `secdesk settings --set KEY=VALUE` takes it:
    /// `sla.P1` … `sla.P4` (hours), `business_days` (`1-5` or `1,2,3`),
    /// `business_hours` (`09:00-17:00`), `holidays` (`2026-12-25,2026-12-26`,
    /// empty for none), `silence_days`, `hourly_cost`, `currency`,
    /// `number_locale` (`en`, `fr`, `de`, `de-CH`, `sv`), `time_zone`.
    /// Nothing changes when the value is wrong.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let value = value.trim();
        let mut next = self.clone();
        next.set_unchecked(key, value)?;
        next.config().map_err(|e| match e {
            SettingsError::BadValue { field, reason, .. } => bad(&field, value, &reason),
            other => other,
        })?;
        *self = next;
        Ok(())
    }

    fn set_unchecked(&mut self, key: &str, value: &str) -> Result<(), SettingsError> {
        let number = |field: &str| -> Result<f64, SettingsError> {
            value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(field, value, "not a number"))
        };
        if let Some(rest) = key.strip_prefix("sla.") {
            return self.set_sla(key, rest, value);
        }
        match key {
            "business_days" => {
                self.business_days = if let Some((a, b)) = value.split_once('-') {
                    let (a, b): (u32, u32) = match (a.trim().parse(), b.trim().parse()) {
                        (Ok(a), Ok(b)) => (a, b),
                        _ => return Err(bad(key, value, "days are 1-5 or 1,2,3,4,5")),
                    };
                    (a..=b).collect()
                } else {
                    value
                        .split(',')
                        .map(|d| d.trim().parse::<u32>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| bad(key, value, "days are 1-5 or 1,2,3,4,5"))?
                };
            }
            "business_hours" => {
                let (o, c) = value
                    .split_once('-')
                    .ok_or_else(|| bad(key, value, "hours are HH:MM-HH:MM"))?;
                self.business_open = o.trim().to_string();
                self.business_close = c.trim().to_string();
            }
            "holidays" => {
                self.holidays = value
                    .split([',', ' ', '\n'])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            "silence_days" => self.silence_days = number(key)?,
            "hourly_cost" => self.hourly_cost = number(key)?,
            "currency" => self.currency = value.to_string(),
            "number_locale" => self.number_locale = value.to_string(),
            "time_zone" => self.time_zone = value.to_string(),
            k if k.starts_with("delivery.") => {
                let d = &mut self.delivery;
                let text = (!value.is_empty()).then(|| value.to_string());
                match &k["delivery.".len()..] {
                    "out_dir" => d.out_dir = text,
                    "mail_to" => {
                        d.mail_to = value
                            .split([',', ';', ' '])
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_string)
                            .collect()
                    }
                    "mail_from" => d.mail_from = text,
                    "smtp_host" => d.smtp_host = text,
                    "smtp_port" => {
                        d.smtp_port = match text {
                            None => None,
                            Some(p) => Some(
                                p.parse()
                                    .map_err(|_| bad(k, value, "a port is 1 to 65535"))?,
                            ),
                        }
                    }
                    "smtp_security" => match value {
                        "" | "starttls" | "tls" | "none" => d.smtp_security = text,
                        _ => return Err(bad(k, value, "starttls, tls or none")),
                    },
                    "smtp_user" => d.smtp_user = text,
                    "addresses" => d.addresses = text,
                    _ => {
                        return Err(bad(
                            k,
                            value,
                            "delivery settings: delivery.out_dir, delivery.mail_to, delivery.mail_from, delivery.smtp_host, delivery.smtp_port, delivery.smtp_security, delivery.smtp_user, delivery.addresses",
                        ))
                    }
                }
            }
            other => {
                return Err(bad(
                    other,
                    value,
                    "unknown setting; settings: sla.P1..sla.P4 (first response), sla.P2.resolution, sla.P2.clock, sla.team.NAME.P1.first_response, sla.category.NAME.P1.resolution, business_days, business_hours, holidays, silence_days, hourly_cost, currency, number_locale, time_zone",
                ))
            }
        }
        Ok(())
    }

    /// `sla.P2` (first response), `sla.P2.first_response`, `sla.P2.resolution`
    /// (hours), `sla.P2.clock` (both targets), `sla.P2.resolution.clock`;
    /// `sla.team.SOC.P1.first_response` (an override: hours, or empty to
    /// remove it), `sla.category.Phishing.P2.resolution.clock`.
    fn set_sla(&mut self, key: &str, rest: &str, value: &str) -> Result<(), SettingsError> {
        let unknown = || {
            bad(
                key,
                value,
                "an SLA key is sla.P2, sla.P2.first_response, sla.P2.resolution, sla.P2.clock, or sla.team.NAME.P2.first_response (also .resolution, .clock; sla.category.NAME…)",
            )
        };
        let mut parts: Vec<&str> = rest.split('.').collect();
        let clock = parts.last() == Some(&"clock");
        if clock {
            parts.pop();
        }
        let kinds: Vec<SlaKind> = match parts.last().and_then(|k| SlaKind::parse(k)) {
            Some(kind) => {
                parts.pop();
                vec![kind]
            }
            None if clock => SlaKind::ALL.to_vec(),
            None => vec![SlaKind::FirstResponse],
        };
        let priority = priority_of(key, parts.pop().ok_or_else(unknown)?).map_err(|_| unknown())?;
        if parts.is_empty() {
            for kind in kinds {
                if clock {
                    let c = clock_of(key, value)?;
                    match kind {
                        SlaKind::FirstResponse => self.first_response_clock[priority] = c,
                        SlaKind::Resolution => self.resolution_clock[priority] = c,
                    }
                } else {
                    let h = hours_of(key, value)?;
                    match kind {
                        SlaKind::FirstResponse => self.sla_hours[priority] = h,
                        SlaKind::Resolution => self.resolution_hours[priority] = h,
                    }
                }
            }
            return Ok(());
        }
        let scope = Scope::parse(parts[0]).ok_or_else(unknown)?;
        let name = parts[1..].join(".");
        if name.trim().is_empty() {
            return Err(unknown());
        }
        let p = format!("P{}", priority + 1);
        for kind in kinds {
            let at = self.sla_overrides.iter().position(|o| {
                o.scope == scope && o.value == name && o.priority == p && o.kind == kind
            });
            let remove = value.is_empty() || value.eq_ignore_ascii_case("default");
            match (at, remove, clock) {
                (Some(i), true, false) => {
                    self.sla_overrides.remove(i);
                }
                (Some(i), true, true) => self.sla_overrides[i].clock = None,
                (None, true, _) => {}
                (Some(i), false, false) => self.sla_overrides[i].hours = hours_of(key, value)?,
                (Some(i), false, true) => self.sla_overrides[i].clock = Some(clock_of(key, value)?),
                (None, false, false) => self.sla_overrides.push(OverrideSetting {
                    scope,
                    value: name.clone(),
                    priority: p.clone(),
                    kind,
                    hours: hours_of(key, value)?,
                    clock: None,
                }),
                (None, false, true) => {
                    return Err(bad(
                        key,
                        value,
                        "set the override's hours first (sla.team.NAME.P1.first_response=0.5h)",
                    ))
                }
            }
        }
        Ok(())
    }

    /// The metrics configuration these settings describe (no filters, as_of
    /// from the data).
    pub fn config(&self) -> Result<MetricsConfig, SettingsError> {
        if NumberStyle::of(&self.number_locale).is_none() {
            let codes: Vec<&str> = NUMBER_STYLES.iter().map(|s| s.code).collect();
            return Err(bad(
                "number_locale",
                &self.number_locale,
                &format!("one of {}", codes.join(", ")),
            ));
        }
        let mut cfg = MetricsConfig::default();
        let target_ms = |field: &str, h: f64| -> Result<i64, SettingsError> {
            if !(h.is_finite() && h > 0.0 && h <= 24.0 * 366.0) {
                return Err(bad(
                    field,
                    h,
                    "a target is more than 0 hours and at most a year",
                ));
            }
            Ok((h * MS_PER_HOUR as f64).round() as i64)
        };
        for i in 0..4 {
            cfg.sla.first_response[i] = SlaTarget {
                ms: target_ms(&format!("sla.P{}", i + 1), self.sla_hours[i])?,
                clock: self.first_response_clock[i],
            };
            cfg.sla.resolution[i] = SlaTarget {
                ms: target_ms(
                    &format!("sla.P{}.resolution", i + 1),
                    self.resolution_hours[i],
                )?,
                clock: self.resolution_clock[i],
            };
        }
        for o in &self.sla_overrides {
            let field = format!(
                "sla.{}.{}.{}.{}",
                o.scope.as_str(),
                o.value,
                o.priority,
                o.kind.as_str()
            );
            let priority = priority_of(&field, &o.priority)?;
            if o.value.trim().is_empty() {
                return Err(bad(
                    &field,
                    &o.value,
                    "an override names a team or category",
                ));
            }
            let base = cfg.sla.targets(o.kind)[priority];
            cfg.sla.overrides.push(SlaOverride {
                scope: o.scope,
                value: o.value.clone(),
                priority,
                kind: o.kind,
                target: SlaTarget {
                    ms: target_ms(&field, o.hours)?,
                    clock: o.clock.unwrap_or(base.clock),
                },
            });
        }
        let mut days = self.business_days.clone();
        days.sort_unstable();
        days.dedup();
        if days.is_empty() || days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(bad(
                "business_days",
                format!("{:?}", self.business_days),
                "at least one day, each 1 (Monday) to 7 (Sunday)",
            ));
        }
        let open = minute_of("business_hours", &self.business_open)?;
        let close = minute_of("business_hours", &self.business_close)?;
        if open >= close {
            return Err(bad(
                "business_hours",
                format!("{}-{}", self.business_open, self.business_close),
                "opening must be before closing",
            ));
        }
        let mut holidays = Vec::with_capacity(self.holidays.len());
        for h in &self.holidays {
            holidays.push(
                NaiveDate::parse_from_str(h.trim(), "%Y-%m-%d")
                    .map_err(|_| bad("holidays", h, "a date is YYYY-MM-DD"))?,
            );
        }
        cfg.calendar = BusinessCalendar {
            days,
            open_minute: open,
            close_minute: close,
            holidays,
        };
        if !(self.silence_days.is_finite() && self.silence_days > 0.0) {
            return Err(bad("silence_days", self.silence_days, "more than 0 days"));
        }
        cfg.silence_days = self.silence_days;
        if !(self.hourly_cost.is_finite() && self.hourly_cost >= 0.0) {
            return Err(bad("hourly_cost", self.hourly_cost, "0 or more"));
        }
        cfg.hourly_cost = self.hourly_cost;
        cfg.zone = SourceZone::parse(&self.time_zone).ok_or_else(|| {
            bad(
                "time_zone",
                &self.time_zone,
                "not a time zone name (e.g. UTC, Europe/Paris)",
            )
        })?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_config() {
        let cfg = Settings::default().config().expect("defaults are valid");
        let d = MetricsConfig::default();
        assert_eq!(cfg.sla, d.sla);
        assert_eq!(cfg.calendar, d.calendar);
        assert_eq!(cfg.silence_days, d.silence_days);
        assert_eq!(cfg.hourly_cost, d.hourly_cost);
        assert_eq!(cfg.zone.name(), d.zone.name());
    }

    #[test]
    fn set_parses_each_key() {
        let mut s = Settings::default();
        s.set("sla.P2", "2.5").expect("sla");
        s.set("business_days", "1-4").expect("days");
        s.set("business_hours", "08:30-18:00").expect("hours");
        s.set("holidays", "2026-12-25, 2026-12-26")
            .expect("holidays");
        s.set("silence_days", "2").expect("silence");
        s.set("hourly_cost", "80").expect("cost");
        s.set("currency", "€").expect("currency");
        s.set("number_locale", "de").expect("number style");
        assert_eq!(s.numbers().decimal, ",");
        assert!(s.set("number_locale", "xx").is_err());
        assert_eq!(s.number_locale, "de");
        s.set("time_zone", "Europe/Paris").expect("tz");
        let cfg = s.config().expect("valid");
        assert_eq!(cfg.sla.first_response[1].ms, 9_000_000);
        assert_eq!(cfg.calendar.days, vec![1, 2, 3, 4]);
        assert_eq!(
            (cfg.calendar.open_minute, cfg.calendar.close_minute),
            (510, 1080)
        );
        assert_eq!(cfg.calendar.holidays.len(), 2);
        assert_eq!(cfg.silence_days, 2.0);
        assert_eq!(cfg.hourly_cost, 80.0);
        assert_eq!(cfg.zone.name(), "Europe/Paris");
    }

    #[test]
    fn wrong_values_name_the_field_and_change_nothing_saved() {
        let mut s = Settings::default();
        for (k, v) in [
            ("sla.P1", "0"),
            ("sla.P1", "soon"),
            ("business_days", "0-8"),
            ("business_hours", "18:00-09:00"),
            ("business_hours", "9-17"),
            ("holidays", "25/12/2026"),
            ("silence_days", "-1"),
            ("time_zone", "Mars/Olympus"),
            ("colour", "blue"),
        ] {
            let mut t = s.clone();
            let e = t.set(k, v).expect_err(k).to_string();
            assert!(e.contains(v), "{k}={v}: {e}");
        }
        s.set("currency", "CHF").expect("currency");
        let store = Store::open_in_memory().expect("store");
        s.save(&store).expect("save");
        assert_eq!(Settings::load(&store).expect("load"), s);
        Settings::reset(&store).expect("reset");
        assert_eq!(Settings::load(&store).expect("load"), Settings::default());
    }
}
