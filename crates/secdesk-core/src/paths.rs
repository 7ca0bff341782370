//! Where secdesk keeps its database by default: the platform's data directory
//! (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/Application
//! Support` on macOS, `%APPDATA%` on Windows), overridable with `SECDESK_DB`.

use std::path::PathBuf;

/// The default database file.
pub fn default_database_path() -> PathBuf {
    if let Some(p) = std::env::var_os("SECDESK_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_dir().join("secdesk").join("secdesk.db")
}

fn data_dir() -> PathBuf {
    let home = || {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    if cfg!(target_os = "windows") {
        if let Some(p) = std::env::var_os("APPDATA") {
            return PathBuf::from(p);
        }
    }
    if cfg!(target_os = "macos") {
        return home().join("Library").join("Application Support");
    }
    match std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => home().join(".local").join("share"),
    }
}
