//! "Open" and "Show in folder" for a file an export of this session just
//! wrote, through the opener plugin from here: the window names the file,
//! and nothing but those files can be opened (the window gets no opener
//! permission of its own).

use std::path::{Path, PathBuf};

use tauri_plugin_opener::OpenerExt;

use crate::error::ShellError;
use crate::state::{lock, State};

/// The path, if this session's exports wrote it.
fn written(state: &State<'_>, path: &str) -> Result<PathBuf, ShellError> {
    let desk = lock(state)?;
    let p =
        std::fs::canonicalize(path).map_err(|e| ShellError::new("open", format!("{path}: {e}")))?;
    if desk.written.contains(&p) {
        Ok(p)
    } else {
        Err(ShellError::new(
            "open",
            "only a file secdesk wrote in this session opens from here",
        ))
    }
}

/// Opens a file just written with the system's application for it.
#[tauri::command]
pub fn open_written(
    app: tauri::AppHandle,
    state: State<'_>,
    path: String,
) -> Result<(), ShellError> {
    let p = written(&state, &path)?;
    app.opener()
        .open_path(p.display().to_string(), None::<&str>)
        .map_err(|e| ShellError::new("open", e))
}

/// Shows a file just written in the system's file manager: selected in its
/// folder where the desktop offers that (the FileManager1 service), else
/// the folder opened.
#[tauri::command]
pub fn show_written(
    app: tauri::AppHandle,
    state: State<'_>,
    path: String,
) -> Result<(), ShellError> {
    let p = written(&state, &path)?;
    if app.opener().reveal_item_in_dir(&p).is_ok() {
        return Ok(());
    }
    let folder = p
        .parent()
        .ok_or_else(|| ShellError::new("open", format!("{} has no folder", p.display())))?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| ShellError::new("open", e))
}

/// Refuses to replace an existing file unless the user agreed (the Save
/// dialog asked, or they pressed Replace after this refusal).
pub fn may_write(path: &Path, replace: bool) -> Result<(), ShellError> {
    if !replace && path.exists() {
        return Err(ShellError {
            code: "exists",
            message: format!("{} already exists", path.display()),
            hint: Some("Replace it, or give another name.".into()),
        });
    }
    Ok(())
}
