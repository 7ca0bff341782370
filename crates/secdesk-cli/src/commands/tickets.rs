//! `secdesk tickets`: the tickets behind one chart point.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use secdesk_core::calendar::instant_text;
use secdesk_core::metrics::{self, PointKey};
use secdesk_core::options;

use super::{config, load, require_data};
use crate::args::{MetricArgs, TableArgs};
use crate::print::{self, outln};

pub fn run(
    db: &Option<PathBuf>,
    bucket: Option<String>,
    limit: usize,
    (json, tables): (bool, &TableArgs),
    opts: &MetricArgs,
) -> Result<ExitCode> {
    let key = match (&bucket, &opts.week) {
        (Some(b), None) => PointKey::Bucket(b.clone()),
        (None, Some(w)) => PointKey::Week(options::week(w)?),
        _ => bail!("tickets needs one of --week WEEK or --bucket BUCKET"),
    };
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let cfg = config(opts, &store, &ds)?;
    let (total, rows) = metrics::tickets_behind(&ds, &cfg, &key, limit)?;
    super::write_tables(
        tables,
        &[secdesk_core::export::tickets(&rows)],
        json,
        &store,
    )?;
    if json {
        print::json(&serde_json::json!({ "total": total, "tickets": rows }))?;
    } else {
        outln!("{total} tickets");
        for t in &rows {
            outln!(
                "{:<14} {} {:<4} {:<22} {:<18} first response {:>8} {}{}",
                t.ticket_id,
                &instant_text(t.created_at)[..16],
                t.priority.as_deref().unwrap_or("-"),
                t.category.as_deref().unwrap_or("-"),
                t.assignee.as_deref().unwrap_or("-"),
                secdesk_core::format::format_value(
                    t.first_response_minutes,
                    secdesk_core::format::Unit::Minutes,
                    ""
                ),
                if t.breached { "breached " } else { "" },
                if t.open { "open" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
