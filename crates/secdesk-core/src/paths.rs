//! Where secdesk keeps its database by default, and how every file it writes
//! is written (whole or not at all). The database: the platform's data directory
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

/// Writes `bytes` to a temporary name beside `path` (`.NAME.PID.part`),
/// syncs it and renames it over `path`: a reader sees the old file or the
/// whole new one, never half of it. Every file secdesk writes goes through here.
pub fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole_with(path, true, |w| w.write_all(bytes))
}

/// [`write_whole`] for a writer that streams (no copy of the whole file in
/// memory); `sync: false` for files that can be made again (a checksum
/// tells a damaged one), where waiting for the disk would only cost time.
pub fn write_whole_with(
    path: &std::path::Path,
    sync: bool,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let written = (|| {
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        if sync {
            f.sync_all()?;
        }
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
