//! `secdesk imports`: the import history.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::open_store;
use crate::print;

pub fn run(db: &Option<PathBuf>, json: bool) -> Result<ExitCode> {
    let list = open_store(db)?.imports()?;
    if json {
        print::json(&list)?;
    } else {
        print::imports(&list);
    }
    Ok(ExitCode::SUCCESS)
}
