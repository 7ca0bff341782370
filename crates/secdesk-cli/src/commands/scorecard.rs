//! `secdesk scorecard`: the success-factor scorecard of one week.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use secdesk_core::calendar::{self, instant_text};
use secdesk_core::metrics::MetricsConfig;
use secdesk_core::report;
use secdesk_core::scorecard::Targets;
use secdesk_core::store::Store;

use super::{config, load, require_data, week_of};
use crate::args::{MetricArgs, TableArgs};
use crate::print;

pub fn run(
    db: &Option<PathBuf>,
    specs: &[String],
    json: bool,
    tables: &TableArgs,
    opts: &MetricArgs,
) -> Result<ExitCode> {
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let cfg = config(opts, &store, &ds)?;
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let week = week_of(opts)?.unwrap_or_else(|| report::last_complete_week(as_of, &cfg));
    let targets = targets(&store, &cfg, specs)?;
    let card = report::scorecard_for_week(&ds, &cfg, week, &targets)?;
    super::write_tables(
        tables,
        &[secdesk_core::export::scorecard(&card)],
        json,
        &store,
    )?;
    if json {
        print::json(&serde_json::json!({
            "week": calendar::week_label(week),
            "as_of": instant_text(as_of),
            "factors": card.factors,
        }))?;
    } else {
        print::scorecard(&card, &calendar::week_label(week));
    }
    Ok(ExitCode::SUCCESS)
}

/// Targets: the defaults, then those saved in the database, then `--target`.
pub fn targets(store: &Store, cfg: &MetricsConfig, specs: &[String]) -> Result<Targets> {
    let mut t = report::saved_targets(store, cfg)?;
    for s in specs {
        t.set(s).map_err(|e| anyhow!("--target {e}"))?;
    }
    Ok(t)
}
