//! `secdesk what-if`: what meeting one priority's target would have saved.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use secdesk_core::calendar::instant_text;
use secdesk_core::error::Opt;
use secdesk_core::format::{format_value, Unit};
use secdesk_core::{metrics, options, report};

use super::{config, load, require_data};
use crate::args::MetricArgs;
use crate::print::{self, outln};

pub fn run(db: &Option<PathBuf>, json: bool, opts: &MetricArgs) -> Result<ExitCode> {
    let priority = match opts.priority.as_slice() {
        [] => "P1".to_string(),
        [p] => options::sla_priority(Opt::Priority, p)?
            .as_str()
            .to_string(),
        _ => bail!("what-if answers for one --priority at a time"),
    };
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let mut cfg = config(opts, &store, &ds)?;
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    cfg.as_of = Some(as_of);
    if cfg.filters.from.is_none() && cfg.filters.to.is_none() {
        let (from, to) = report::previous_quarter(as_of, &cfg);
        cfg.filters.from = Some(from);
        cfg.filters.to = Some(to);
    }
    let w = metrics::what_if(&ds, &cfg, &priority)?;
    let period = format!(
        "{} – {}",
        cfg.filters.from.map_or("start".into(), instant_text),
        cfg.filters.to.map_or("as_of".into(), instant_text)
    );
    if json {
        let mut v = serde_json::to_value(&w)?;
        v["period"] = serde_json::Value::String(period);
        print::json(&v)?;
    } else {
        outln!(
            "Period {period}: {} {} tickets, {} answered after the {} h target.",
            w.tickets,
            w.priority,
            w.breached,
            w.target_hours
        );
        outln!(
            "Had all met the target: {} blocked person-hours and {} saved (of {} blocked hours).",
            format_value(w.saved_blocked_hours, Unit::Hours, ""),
            format_value(w.saved_cost, Unit::Cost, ""),
            format_value(w.blocked_hours, Unit::Hours, ""),
        );
    }
    Ok(ExitCode::SUCCESS)
}
