//! My stats: one assignee's numbers beside the team median.

use std::path::PathBuf;

use secdesk_core::report::{self, ReportFormat};
use serde_json::{json, Value};

use super::files::may_write;
use crate::error::ShellError;
use crate::state::{lock, State};

/// The setting that remembers who "me" is in My stats.
pub const ME_SETTING: &str = "ui.me";

/// One assignee's stats beside the team median (and remembers the choice).
#[tauri::command]
pub fn personal(state: State<'_>, assignee: String, week: String) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let stats = desk.personal(&assignee, &week)?;
    desk.store.set_setting(ME_SETTING, &assignee)?;
    Ok(json!(stats))
}

/// Writes one assignee's stats (beside the team median) to the path given.
#[tauri::command]
pub fn export_personal(
    state: State<'_>,
    assignee: String,
    week: String,
    path: String,
    replace: Option<bool>,
) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let path = PathBuf::from(path);
    ReportFormat::from_path(&path)?;
    may_write(&path, replace.unwrap_or(false))?;
    let stats = desk.personal(&assignee, &week)?;
    report::write_file(&report::personal_document(&stats), &path)?;
    desk.wrote(&path);
    log::info!("exported a personal report to {}", path.display());
    Ok(json!({ "path": path.display().to_string() }))
}
