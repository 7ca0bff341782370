//! `secdesk import tickets|surveys FILE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use secdesk_core::ingest::{self, ImportOptions, SurveyOptions};
use secdesk_core::metrics::{Dataset, SnapshotUse};
use secdesk_core::options;
use secdesk_core::store::Store;
use secdesk_core::ImportError;

use super::{now_text, open_store};
use crate::args::ImportWhat;
use crate::print;
use crate::EXIT_REJECTED;

/// An existing --rejects file stops the import before anything is stored,
/// unless --force replaces it.
fn check_rejects(rejects: Option<&std::path::Path>, force: bool) -> Result<()> {
    rejects.map_or(Ok(()), |p| super::may_write(p, force))
}

pub fn run(db: &Option<PathBuf>, what: ImportWhat) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    if super::snapshot_use() == SnapshotUse::ReadWrite {
        // A first import's frames are then built from the rows it writes.
        Dataset::watch_imports(&mut store);
    }
    let (outcome, rejects, json) = match what {
        ImportWhat::Tickets {
            file,
            read,
            rejects,
            force,
            strict,
            json,
        } => {
            check_rejects(rejects.as_deref(), force)?;
            let opts = read.options(strict)?.import_options()?;
            let outcome =
                ingest::import_ticket_file(&mut store, &file, &opts, &now_text(), &mut |_, _| {
                    true
                })?;
            (outcome, rejects, json)
        }
        ImportWhat::Surveys {
            file,
            read,
            scale,
            rejects,
            force,
            strict,
            json,
        } => {
            check_rejects(rejects.as_deref(), force)?;
            let common = read.options(false)?.import_options()?;
            let scale = scale.as_deref().map(options::scale).transpose()?;
            if strict {
                strict_check(&file, &common, &store)?;
            }
            let outcome = ingest::import_survey_file(
                &mut store,
                &file,
                &SurveyOptions { common, scale },
                &now_text(),
                &mut |_, _| true,
            )?;
            (outcome, rejects, json)
        }
    };
    if !outcome.already_imported {
        super::refresh_snapshot(&mut store)?;
    }
    if let Some(path) = rejects {
        let style = secdesk_core::settings::Settings::load(&store)?.numbers();
        ingest::write_rejects(&path, &outcome.report.rejected, style)?;
    }
    if json {
        print::json(&outcome)?;
    } else {
        print::outcome(&outcome);
    }
    Ok(
        if outcome.report.rejected.is_empty() || outcome.already_imported {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(EXIT_REJECTED)
        },
    )
}

/// Surveys with --strict: read the file first and refuse it whole when a row would be rejected.
fn strict_check(file: &Path, opts: &ImportOptions, store: &Store) -> Result<()> {
    let inspection = ingest::inspect_file(file, true, opts, Some(store))?;
    if let Some(first) = inspection.report.rejected.first() {
        return Err(ImportError::RowsRejected {
            file: file.display().to_string(),
            count: inspection.report.rejected.len(),
            row: first.row,
            column: first.column.clone(),
            value: first.value.clone(),
            reason: first.reason.clone(),
        }
        .into());
    }
    Ok(())
}
