//! `secdesk settings`: the settings every number follows.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use secdesk_core::metrics::Clock;
use secdesk_core::settings::Settings;

use super::open_store;
use crate::print::{self, outln};

pub fn run(db: &Option<PathBuf>, set: &[String], reset: bool, json: bool) -> Result<ExitCode> {
    let store = open_store(db)?;
    if reset {
        Settings::reset(&store)?;
    }
    let mut settings = Settings::load(&store)?;
    if !set.is_empty() {
        for spec in set {
            let (k, v) = spec
                .split_once('=')
                .ok_or_else(|| anyhow!("--set takes KEY=VALUE, got `{spec}`"))?;
            settings.set(k.trim(), v)?;
        }
        settings.save(&store)?;
    }
    if json {
        print::json(&settings)?;
    } else {
        let targets = |hours: &[f64; 4], clocks: &[Clock; 4]| -> String {
            (0..4)
                .map(|i| {
                    let business = if clocks[i] == Clock::Business {
                        " (business hours)"
                    } else {
                        ""
                    };
                    format!("P{} {} h{business}", i + 1, hours[i])
                })
                .collect::<Vec<_>>()
                .join(" · ")
        };
        outln!(
            "first-response targets   {}",
            targets(&settings.sla_hours, &settings.first_response_clock)
        );
        outln!(
            "resolution targets       {}",
            targets(&settings.resolution_hours, &settings.resolution_clock)
        );
        for o in &settings.sla_overrides {
            let clock = match o.clock {
                Some(Clock::Business) => " (business hours)",
                Some(Clock::Calendar) => " (calendar)",
                None => "",
            };
            outln!(
                "  {} {} {} {}: {} h{clock}",
                o.scope.as_str(),
                o.value,
                o.priority,
                o.kind.as_str().replace('_', " "),
                o.hours
            );
        }
        outln!(
            "business days and hours  {:?} {}-{}",
            settings.business_days,
            settings.business_open,
            settings.business_close
        );
        outln!("holidays                 {}", settings.holidays.join(", "));
        outln!("silent after             {} days", settings.silence_days);
        outln!(
            "blocked hour costs       {} {}",
            settings.hourly_cost,
            settings.currency
        );
        outln!("reporting time zone      {}", settings.time_zone);
        let d = &settings.delivery;
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        outln!("delivery folder          {}", or_none(&d.out_dir));
        if !d.mail_to.is_empty() {
            outln!(
                "delivery mail            to {} from {} through {}:{} ({}){}",
                d.mail_to.join(", "),
                or_none(&d.mail_from),
                or_none(&d.smtp_host),
                d.smtp_port
                    .map_or("default port".to_string(), |p| p.to_string()),
                d.smtp_security.as_deref().unwrap_or("starttls"),
                d.smtp_user.as_ref().map_or(String::new(), |u| format!(
                    ", user {u} (password from SECDESK_SMTP_PASSWORD)"
                ))
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
