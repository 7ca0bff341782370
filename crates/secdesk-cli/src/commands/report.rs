//! `secdesk report`: the weekly report, or one person's stats.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use secdesk_core::coverage::{coverage_of, no_data_reasons};
use secdesk_core::impact::ContactCosts;
use secdesk_core::report::{self, ReportFormat, ReportOptions};
use secdesk_core::settings::Settings;

use super::{config, load, require_data, week_of};
use crate::args::{MetricArgs, MoneyArgs, TableArgs};
use crate::print::{self, outln};

pub fn run(
    db: &Option<PathBuf>,
    out: Option<PathBuf>,
    redact: bool,
    targets: &[String],
    money: &MoneyArgs,
    (json, tables): (bool, &TableArgs),
    opts: &MetricArgs,
) -> Result<ExitCode> {
    if opts.from.is_some() || opts.to.is_some() {
        bail!("a report covers one week (or 12 weeks for --assignee): use --week, not --from/--to");
    }
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let mut cfg = config(opts, &store, &ds)?;
    let week = week_of(opts)?;
    let sources = store.source_label()?;
    let settings = Settings::load(&store)?;
    // Refuse an unknown format before computing anything.
    out.as_deref().map(ReportFormat::from_path).transpose()?;
    if let Some(out) = &out {
        super::may_write(out, tables.force)?;
    }
    let (doc, figures) = if let [person] = opts.assignee.as_slice() {
        cfg.filters.dimensions.remove("assignee");
        let mut stats = report::personal_stats(&ds, &cfg, person, week, &sources)?;
        stats.explain(&no_data_reasons(&coverage_of(&store, ds.sources())?));
        stats.numbers = settings.numbers();
        (
            report::personal_document(&stats),
            serde_json::to_value(&stats)?,
        )
    } else {
        let options = ReportOptions {
            week,
            redact,
            salt: store.pseudonym_salt()?,
            targets: Some(super::scorecard::targets(&store, &cfg, targets)?),
            costs: ContactCosts {
                live_agent: money.cost_live_agent,
                offshore: money.cost_offshore,
                automated: money.cost_automated,
            },
            currency: match &money.currency {
                Some(c) => c.clone(),
                None => settings.currency.clone(),
            },
            sources,
            no_data: no_data_reasons(&coverage_of(&store, ds.sources())?),
            numbers: settings.numbers(),
            ..ReportOptions::default()
        };
        let weekly = report::weekly_report(&ds, &cfg, &options)?;
        super::write_tables(tables, &secdesk_core::export::weekly(&weekly), json, &store)?;
        (
            report::weekly_document(&weekly),
            serde_json::to_value(&weekly)?,
        )
    };
    if let Some(out) = out {
        report::write_file(&doc, &out)?;
        if !json {
            outln!("wrote {}", out.display());
        }
    }
    if json {
        print::json(&figures)?;
    }
    Ok(ExitCode::SUCCESS)
}
