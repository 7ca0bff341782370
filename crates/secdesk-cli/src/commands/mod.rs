//! One module per verb; each turns its arguments into core calls and prints
//! what comes back. Shared here: opening the database, the configuration of a
//! computation, and the "nothing stored yet" answer.

mod chart;
mod deliver;
mod forget;
mod generate;
mod import;
mod imports;
mod inspect;
mod metrics;
mod report;
mod schedule;
mod scorecard;
mod settings;
mod sla;
mod targets;
mod tickets;
mod what_if;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use secdesk_core::metrics::{Dataset, MetricsConfig, Opened, SnapshotUse};
use secdesk_core::options;
use secdesk_core::settings::Settings;
use secdesk_core::store::Store;

use crate::args::{Cli, Command, MetricArgs, TableArgs};

/// Runs one command line.
/// Whether the columnar snapshot is used (`--no-snapshot` turns it off).
static SNAPSHOT: std::sync::OnceLock<SnapshotUse> = std::sync::OnceLock::new();

fn snapshot_use() -> SnapshotUse {
    SNAPSHOT.get().copied().unwrap_or_default()
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let db = cli.db;
    let _ = SNAPSHOT.set(if cli.no_snapshot {
        SnapshotUse::Off
    } else {
        SnapshotUse::ReadWrite
    });
    match cli.command {
        Command::Import { what } => import::run(&db, what),
        Command::Inspect {
            file,
            surveys,
            read,
            json,
        } => inspect::run(&db, &file, surveys, &read, json),
        Command::Imports { json } => imports::run(&db, json),
        Command::Forget { import_id } => forget::run(&db, import_id),
        Command::Metrics { opts, json, tables } => metrics::run(&db, &opts, json, &tables),
        Command::Chart {
            name,
            out,
            width,
            height,
            list,
            force,
            opts,
        } => chart::run(&db, name, out, (width, height), list, force, &opts),
        Command::Report {
            out,
            redact,
            targets,
            money,
            json,
            tables,
            opts,
        } => report::run(&db, out, redact, &targets, &money, (json, &tables), &opts),
        Command::Scorecard {
            targets,
            json,
            tables,
            opts,
        } => scorecard::run(&db, &targets, json, &tables, &opts),
        Command::Tickets {
            bucket,
            limit,
            json,
            tables,
            opts,
        } => tickets::run(&db, bucket, limit, (json, &tables), &opts),
        Command::Deliver(a) => deliver::run(&db, &a),
        Command::Schedule { what } => schedule::run(&db, what),
        Command::Sla {
            breached,
            json,
            tables,
            opts,
        } => sla::run(&db, breached, (json, &tables), &opts),
        Command::Settings { set, reset, json } => settings::run(&db, &set, reset, json),
        Command::Targets { set, reset, json } => targets::run(&db, &set, reset, json),
        Command::WhatIf { json, opts } => what_if::run(&db, json, &opts),
        Command::Generate {
            tickets,
            out,
            seed,
            end,
        } => generate::run(tickets, &out, seed, &end),
    }
}

/// The database of `--db`, `$SECDESK_DB`, or the platform's data directory.
pub(crate) fn database_path(db: &Option<PathBuf>) -> PathBuf {
    db.clone()
        .unwrap_or_else(secdesk_core::paths::default_database_path)
}

fn open_store(db: &Option<PathBuf>) -> Result<Store> {
    Ok(Store::open(&database_path(db))?)
}

fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The configuration of a computation: the saved settings of the database,
/// then the command line's options over them. Filter values no ticket has are
/// named on standard error (they select nothing).
fn config(a: &MetricArgs, store: &Store, ds: &Dataset) -> Result<MetricsConfig> {
    let base = Settings::load(store)?.config()?;
    let (cfg, notes) = options::configure(base, &a.options(), ds)?;
    for note in notes {
        eprintln!("note: {note}");
    }
    Ok(cfg)
}

/// The database and what it holds, for commands that describe the data.
fn load(db: &Option<PathBuf>) -> Result<(Store, Dataset)> {
    let store = open_store(db)?;
    let (ds, _) = Dataset::open_with(&store, snapshot_use())?;
    Ok((store, ds))
}

/// After an import or a forget: the snapshot of the data as it is now, so
/// the next command or the app's next start reads it instead of SQLite. A
/// snapshot that cannot be written is named; the data stored is right.
fn refresh_snapshot(store: &mut Store) -> Result<()> {
    if snapshot_use() == SnapshotUse::Off {
        return Ok(());
    }
    if let Opened::Rebuilt {
        written: Err(why), ..
    }
    | Opened::Responses { written: Err(why) }
    | Opened::Imported { written: Err(why) } = Dataset::refresh_snapshot(store)?
    {
        eprintln!("note: the columnar snapshot was not written ({why}); the next command reads the database");
    }
    Ok(())
}

fn has_data(ds: &Dataset) -> bool {
    ds.ticket_count() > 0 || ds.survey_count() > 0
}

/// An error for commands that describe the data when nothing is stored yet.
fn require_data(ds: &Dataset) -> Result<()> {
    if !has_data(ds) {
        bail!("{NO_DATA}");
    }
    Ok(())
}

/// Writes a command's tables where `--csv` and `--xlsx` ask: the first
/// table to the CSV file, the others beside it (`report-silent.csv`); every
/// table as a sheet of the workbook.
fn write_tables(
    args: &TableArgs,
    tables: &[secdesk_core::table::Table],
    json: bool,
    store: &Store,
) -> Result<()> {
    let style = secdesk_core::settings::Settings::load(store)?.numbers();
    let csv_paths: Vec<PathBuf> = match &args.csv {
        None => Vec::new(),
        Some(path) => tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == 0 {
                    return path.clone();
                }
                let stem = path
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                path.with_file_name(format!(
                    "{stem}-{}.csv",
                    secdesk_core::deliver::slug(&t.name)
                ))
            })
            .collect(),
    };
    // Nothing is written when any file would replace one without --force.
    for path in csv_paths.iter().chain(&args.xlsx) {
        may_write(path, args.force)?;
    }
    for (t, path) in tables.iter().zip(&csv_paths) {
        t.write_csv(path, style)?;
        if !json {
            crate::print::outln!("wrote {}", path.display());
        }
    }
    if let Some(path) = &args.xlsx {
        let refs: Vec<&secdesk_core::table::Table> = tables.iter().collect();
        secdesk_core::table::Table::write_xlsx(&refs, path)?;
        if !json {
            crate::print::outln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// Refuses to replace an existing file unless `--force` says so.
fn may_write(path: &std::path::Path, force: bool) -> Result<()> {
    if !force && path.exists() {
        bail!(
            "{} already exists: add --force to replace it, or give another name",
            path.display()
        );
    }
    Ok(())
}

const NO_DATA: &str = "no tickets or survey responses are stored yet: import an export first \
     (secdesk import tickets FILE, secdesk import surveys FILE), or try secdesk generate";

/// The week of `--week`, if given.
fn week_of(a: &MetricArgs) -> Result<Option<i64>> {
    Ok(a.week.as_deref().map(options::week).transpose()?)
}
