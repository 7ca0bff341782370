//! `secdesk inspect FILE`: how a file would be read, storing nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use secdesk_core::ingest;
use secdesk_core::store::Store;

use super::database_path;
use crate::args::ReadArgs;
use crate::print;

pub fn run(
    db: &Option<PathBuf>,
    file: &Path,
    surveys: bool,
    read: &ReadArgs,
    json: bool,
) -> Result<ExitCode> {
    let opts = read.options(false)?.import_options()?;
    // A saved mapping for this layout applies, if the database exists.
    let path = database_path(db);
    let store = if path.exists() {
        Some(Store::open(&path)?)
    } else {
        None
    };
    let inspection = ingest::inspect_file(file, surveys, &opts, store.as_ref())?;
    if json {
        print::json(&inspection)?;
    } else {
        print::inspection(&inspection);
    }
    Ok(ExitCode::SUCCESS)
}
