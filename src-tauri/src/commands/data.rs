//! The Data view: preview a file as it will be read, import it (off the
//! window's thread, with progress and cancel), save its rejected rows,
//! forget an import.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use secdesk_core::ingest::{self, ImportOptions, SurveyOptions};
use secdesk_core::metrics::Dataset;
use secdesk_core::options::ReadOptions;
use serde::Serialize;
use serde_json::{json, Value};

use super::files::may_write;
use crate::error::ShellError;
use crate::state::{lock, lock_desk, Desk, ImportControl, State};

/// The read options the window chose (absent or `auto`: detected).
fn import_options(read: &ReadOptions) -> Result<ImportOptions, ShellError> {
    read.import_options()
        .map_err(|e| ShellError::new("import", e))
}

/// How a file would be read (format, encoding, delimiter, dates, mapping,
/// sample values), before anything is stored.
#[tauri::command]
pub fn preview_file(
    state: State<'_>,
    kind: String,
    path: String,
    read: ReadOptions,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let options = import_options(&read)?;
    let inspection = ingest::inspect_file(
        &PathBuf::from(path),
        kind == "surveys",
        &options,
        Some(&desk.store),
    )?;
    Ok(json!(inspection))
}

/// Asks the import the window numbered `run` to stop (nothing of it is
/// stored), whether it is running already or about to start.
#[tauri::command]
pub fn cancel_import(control: tauri::State<'_, ImportControl>, run: u64) {
    control.cancelled.store(run, Ordering::SeqCst);
}

/// What the window hears while an import runs.
#[derive(Clone, Serialize)]
struct ImportProgress {
    done: usize,
    total: usize,
}

/// Imports a ticket or survey file the user chose, off the window's thread:
/// progress arrives as `import-progress` events, `cancel_import` with the
/// same `run` number stops it.
#[tauri::command]
pub async fn import_file(
    app: tauri::AppHandle,
    run: u64,
    kind: String,
    path: String,
    read: ReadOptions,
) -> Result<Value, ShellError> {
    tauri::async_runtime::spawn_blocking(move || import_now(&app, run, &kind, &path, &read))
        .await
        .map_err(|e| ShellError::new("import", e))?
}

fn import_now(
    app: &tauri::AppHandle,
    run: u64,
    kind: &str,
    path: &str,
    read: &ReadOptions,
) -> Result<Value, ShellError> {
    use tauri::{Emitter, Manager};
    let state = app.state::<Mutex<Desk>>();
    let control = app.state::<ImportControl>();
    let mut desk = lock_desk(state.inner())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let path = PathBuf::from(path);
    let options = import_options(read)?;
    let mut last = std::time::Instant::now();
    let mut progress = |done: usize, total: usize| {
        if last.elapsed().as_millis() >= 100 || done == total {
            last = std::time::Instant::now();
            let _ = app.emit("import-progress", ImportProgress { done, total });
        }
        control.cancelled.load(Ordering::SeqCst) != run
    };
    let outcome = if kind == "surveys" {
        let options = SurveyOptions {
            common: options,
            scale: None,
        };
        ingest::import_survey_file(&mut desk.store, &path, &options, &now, &mut progress)?
    } else {
        // A first import's frames are then taken from the rows it writes.
        Dataset::watch_imports(&mut desk.store);
        ingest::import_ticket_file(&mut desk.store, &path, &options, &now, &mut progress)?
    };
    desk.reload()?;
    desk.sample_data = false;
    desk.last_rejects = outcome.report.rejected.clone();
    let r = &outcome.report;
    log::info!(
        "imported {} as {} ({}): {} stored, {} rejected",
        r.file,
        r.kind,
        r.format_label,
        r.records,
        r.rejected.len()
    );
    Ok(json!(outcome))
}

/// Writes the last import's rejected rows as CSV to the path given.
#[tauri::command]
pub fn save_rejects(
    state: State<'_>,
    path: String,
    replace: Option<bool>,
) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let path = PathBuf::from(path);
    may_write(&path, replace.unwrap_or(false))?;
    ingest::write_rejects(&path, &desk.last_rejects, desk.settings.numbers())?;
    desk.wrote(&path);
    log::info!(
        "saved {} rejected rows to {}",
        desk.last_rejects.len(),
        path.display()
    );
    Ok(json!({ "path": path.display().to_string(), "rows": desk.last_rejects.len() }))
}

/// Removes one import and its rows.
#[tauri::command]
pub fn forget_import(state: State<'_>, id: i64) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let record = desk.store.forget(id)?;
    desk.reload()?;
    Ok(json!(record))
}
