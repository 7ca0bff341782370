//! `secdesk metrics`: every metric, as a table or the documented JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use secdesk_core::calendar::Period;
use secdesk_core::json::{metrics_document, ImportCounts};

use super::{config, has_data, load, NO_DATA};
use crate::args::{MetricArgs, TableArgs};
use crate::print;

pub fn run(
    db: &Option<PathBuf>,
    opts: &MetricArgs,
    json: bool,
    tables: &TableArgs,
) -> Result<ExitCode> {
    let (store, ds) = load(db)?;
    let cfg = config(opts, &store, &ds)?;
    if !has_data(&ds) {
        eprintln!("note: {NO_DATA}");
    }
    // With --json, the month and quarter series too, from the same per-ticket columns.
    let (report, more) = if json {
        let (report, more) = secdesk_core::metrics::report_with_groupings(&ds, &cfg)?;
        (report, Some(more))
    } else {
        (secdesk_core::metrics::compute(&ds, &cfg)?, None)
    };
    super::write_tables(
        tables,
        &[secdesk_core::export::metrics(&report)],
        json,
        &store,
    )?;
    // Every stored ticket and response is loaded: counted from the frames
    // (a count in SQLite reads every row again).
    let counts = ImportCounts {
        tickets: ds.ticket_count() as i64,
        surveys: ds.survey_count() as i64,
        rejected_rows: store.rejected_rows()?,
    };
    let coverage = secdesk_core::coverage::coverage_of(&store, ds.sources())?;
    if let Some(more) = more {
        print::json(&metrics_document(&report, &cfg, counts, &coverage, &more))?;
    } else {
        let period = opts.options().period()?;
        let by_period = match period {
            Period::Week => Vec::new(),
            _ => secdesk_core::metrics::compute_by_period(&ds, &cfg, period)?,
        };
        let rows = if period == Period::Week {
            &report.by_week
        } else {
            &by_period
        };
        print::metrics_table(&report, &cfg, counts, &coverage, (period, rows));
    }
    Ok(ExitCode::SUCCESS)
}
