//! `secdesk settings`: the settings every number follows.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
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
        let [p1, p2, p3, p4] = settings.sla_hours;
        outln!("first-response targets   P1 {p1} h · P2 {p2} h · P3 {p3} h · P4 {p4} h");
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
    }
    Ok(ExitCode::SUCCESS)
}
