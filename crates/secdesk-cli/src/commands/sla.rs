//! `secdesk sla`: each ticket of the period against its SLA targets.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use secdesk_core::calendar::instant_text;
use secdesk_core::metrics::{self, Clock, ClockReading};

use super::{config, load, require_data};
use crate::args::{MetricArgs, TableArgs};
use crate::print::{self, outln};

fn cell(r: &ClockReading) -> String {
    let clock = match r.clock {
        Clock::Calendar => "",
        Clock::Business => " bh",
    };
    let elapsed = r
        .elapsed_hours
        .map_or_else(|| "no data".to_string(), |h| format!("{h:.1} h"));
    let paused = if r.paused_hours > 0.0 {
        format!(" (−{:.1} h waiting)", r.paused_hours)
    } else {
        String::new()
    };
    let verdict = match r.met {
        Some(true) => "met",
        Some(false) => "BREACHED",
        None => "running",
    };
    let target = (r.target_hours * 100.0).round() / 100.0;
    format!("{elapsed}{paused} / {target} h{clock} {verdict}")
}

pub fn run(
    db: &Option<PathBuf>,
    breached: bool,
    (json, tables): (bool, &TableArgs),
    opts: &MetricArgs,
) -> Result<ExitCode> {
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let cfg = config(opts, &store, &ds)?;
    let mut rows = metrics::sla_by_ticket(&ds, &cfg)?;
    if breached {
        rows.retain(|t| t.first_response.met == Some(false) || t.resolution.met == Some(false));
    }
    super::write_tables(tables, &[secdesk_core::export::sla(&rows)], json, &store)?;
    if json {
        print::json(&serde_json::json!({ "tickets": rows }))?;
    } else {
        outln!("{} tickets", rows.len());
        for t in &rows {
            outln!(
                "{:<14} {} {:<4} {:<14} first response {:<40} resolution {}",
                t.ticket_id,
                &instant_text(t.created_at)[..16],
                t.priority.as_deref().unwrap_or("-"),
                t.team.as_deref().unwrap_or("-"),
                cell(&t.first_response),
                cell(&t.resolution)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
