//! Settings: the SLA targets, calendar, silence threshold, cost and time zone.

use secdesk_core::settings::Settings;
use serde_json::{json, Value};

use crate::error::ShellError;
use crate::state::{lock, State};

/// The saved settings, with the defaults beside them.
#[tauri::command]
pub fn settings(state: State<'_>) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    Ok(json!({ "settings": desk.settings, "defaults": Settings::default() }))
}

/// Checks and saves edited settings; every view computes with them from now on.
#[tauri::command]
pub fn save_settings(state: State<'_>, settings: Settings) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    settings.save(&desk.store)?;
    desk.settings = settings;
    Ok(json!(desk.settings))
}
