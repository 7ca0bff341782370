//! `secdesk forget ID`: remove one import and every row it stored.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::open_store;
use crate::print::outln;

pub fn run(db: &Option<PathBuf>, import_id: i64) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    let r = store.forget(import_id)?;
    super::refresh_snapshot(&mut store)?;
    outln!(
        "forgot import {} ({}, {} rows)",
        r.id,
        r.file_name,
        r.rows_stored
    );
    Ok(ExitCode::SUCCESS)
}
