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
use crate::metrics::MetricsConfig;
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
    /// Reporting time zone (IANA name or `UTC`): weeks, days, business hours.
    pub time_zone: String,
}

impl Default for Settings {
    fn default() -> Self {
        let cfg = MetricsConfig::default();
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        Settings {
            sla_hours: cfg.sla_targets_ms.map(|ms| ms as f64 / MS_PER_HOUR as f64),
            business_days: cfg.calendar.days.clone(),
            business_open: hm(cfg.calendar.open_minute),
            business_close: hm(cfg.calendar.close_minute),
            holidays: Vec::new(),
            silence_days: cfg.silence_days,
            hourly_cost: cfg.hourly_cost,
            currency: "$".to_string(),
            time_zone: cfg.zone.name(),
        }
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

    /// Back to the defaults.
    pub fn reset(store: &Store) -> Result<(), SettingsError> {
        store.remove_setting(SAVED_SETTINGS)?;
        Ok(())
    }

    /// Sets one value from text, as `secdesk settings --set KEY=VALUE` takes it:
    /// `sla.P1` … `sla.P4` (hours), `business_days` (`1-5` or `1,2,3`),
    /// `business_hours` (`09:00-17:00`), `holidays` (`2026-12-25,2026-12-26`,
    /// empty for none), `silence_days`, `hourly_cost`, `currency`, `time_zone`.
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
        match key {
            "sla.P1" | "sla.P2" | "sla.P3" | "sla.P4" => {
                let i = usize::from(key.as_bytes()[5] - b'1');
                self.sla_hours[i] = number(key)?;
            }
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
            "time_zone" => self.time_zone = value.to_string(),
            other => {
                return Err(bad(
                    other,
                    value,
                    "unknown setting; settings: sla.P1..sla.P4, business_days, business_hours, holidays, silence_days, hourly_cost, currency, time_zone",
                ))
            }
        }
        Ok(())
    }

    /// The metrics configuration these settings describe (no filters, as_of
    /// from the data).
    pub fn config(&self) -> Result<MetricsConfig, SettingsError> {
        let mut cfg = MetricsConfig::default();
        for (i, h) in self.sla_hours.iter().enumerate() {
            let field = format!("sla.P{}", i + 1);
            if !(h.is_finite() && *h > 0.0 && *h <= 24.0 * 366.0) {
                return Err(bad(
                    &field,
                    h,
                    "a target is more than 0 hours and at most a year",
                ));
            }
            cfg.sla_targets_ms[i] = (h * MS_PER_HOUR as f64).round() as i64;
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
        assert_eq!(cfg.sla_targets_ms, d.sla_targets_ms);
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
        s.set("time_zone", "Europe/Paris").expect("tz");
        let cfg = s.config().expect("valid");
        assert_eq!(cfg.sla_targets_ms[1], 9_000_000);
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
