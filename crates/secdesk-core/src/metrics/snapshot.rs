//! The columnar snapshot: the loaded frames written beside the database as
//! Arrow IPC files, so that opening a large database does not read every
//! stored row back through SQLite.
//!
//! SQLite stays the system of record. A snapshot lives in `<database>.snapshot/`:
//! one Arrow file per frame (tickets, responses, requester-facing updates,
//! waits), named by the data's generation (the tickets' frames by the
//! tickets' generation: a survey import rewrites only the responses' file),
//! and `manifest`, written last: a
//! CRC-32 of the rest of the manifest on its first line, then JSON with the
//! snapshot's format, the secdesk version that wrote it, the database's id
//! and generation ([`DataGeneration`], bumped by the store in the same
//! transaction as every import and forget), the dictionaries, the latest
//! instant, and each file's size and CRC-32.
//!
//! A snapshot is used only when all of that matches and every byte checks;
//! otherwise (missing, stale, another version, damaged) the data is read
//! from SQLite and the snapshot written again. It never changes a number: a
//! test compares `metrics --json` with and without it.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_io::ipc::{IpcReader, IpcWriter};
use polars_io::{SerReader, SerWriter};
use serde::{Deserialize, Serialize};

use super::dataset::{survey_frame, Dataset};
use super::kept::{CalendarPart, Link};
use super::DIMENSIONS;
use crate::error::MetricsError;
use crate::model::Instant;
use crate::store::{DataGeneration, SourceRows, Store};

/// The layout of the files; a snapshot of another layout is rebuilt.
const FORMAT: u32 = 4;
pub(super) const MANIFEST: &str = "manifest";
/// The frames of a [`Dataset`] a snapshot keeps, by file name.
const PARTS: [&str; 4] = ["tickets", "surveys", "updates", "pauses"];
/// The parts that depend on the tickets and their events only: named by the
/// tickets' generation, kept as they are when only responses changed.
const TICKET_PARTS: [&str; 3] = ["tickets", "updates", "pauses"];

/// Whether a database's snapshot is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SnapshotUse {
    /// Read it when it is the data's; write it after reading the data from SQLite.
    #[default]
    ReadWrite,
    /// Read SQLite only (the snapshot is neither read nor written).
    Off,
}

/// How [`Dataset::open`] got its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// From the snapshot.
    Snapshot,
    /// The tickets from the snapshot, the responses from SQLite (only
    /// responses were imported or forgotten since it was written), and
    /// whether the snapshot was brought up to date.
    Responses { written: Result<(), String> },
    /// From SQLite: why the snapshot was not used, and whether a new one was
    /// written (`Err`: why not; the data read is right either way).
    Rebuilt {
        reason: String,
        written: Result<(), String>,
    },
    /// From the rows the import just wrote into an empty database (the same
    /// as reading them back), and whether the snapshot was written.
    Imported { written: Result<(), String> },
    /// From SQLite, without a snapshot (in-memory database, or turned off).
    Direct,
}

#[derive(Serialize, Deserialize)]
pub(super) struct Manifest {
    format: u32,
    secdesk: String,
    pub(super) data: DataGeneration,
    latest: Option<Instant>,
    ticket_latest: Option<Instant>,
    /// The tickets and responses per source (for coverage, without
    /// counting them again).
    ticket_sources: Option<Vec<SourceRows>>,
    survey_sources: Option<Vec<SourceRows>>,
    dictionaries: BTreeMap<String, Vec<String>>,
    parts: Vec<Part>,
    /// The business-clock readings and duration orders of the calendar
    /// computed last ([`super::kept`]).
    pub(super) calendar: Option<CalendarPart>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub(super) struct Part {
    pub(super) name: String,
    pub(super) file: String,
    bytes: u64,
    crc32: u32,
}

/// What a snapshot keeps beside a dataset's frames.
pub(super) struct SnapshotFacts {
    pub(super) dictionaries: BTreeMap<&'static str, Vec<String>>,
    pub(super) latest: Option<Instant>,
    pub(super) ticket_latest: Option<Instant>,
    pub(super) ticket_sources: Option<Vec<SourceRows>>,
    pub(super) survey_sources: Option<Vec<SourceRows>>,
}

/// Where a database's snapshot lives.
pub(super) fn snapshot_dir(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".snapshot");
    database.with_file_name(name)
}

impl Dataset {
    /// Loads everything stored, from the snapshot when it is the data's,
    /// otherwise from SQLite (then the snapshot is written for next time).
    pub fn open(store: &Store) -> Result<Dataset, MetricsError> {
        Ok(Dataset::open_with(store, SnapshotUse::ReadWrite)?.0)
    }

    /// [`Dataset::open`], saying where the data came from.
    pub fn open_with(store: &Store, usage: SnapshotUse) -> Result<(Dataset, Opened), MetricsError> {
        let Some(database) = store.path().filter(|_| usage == SnapshotUse::ReadWrite) else {
            return Ok((Dataset::load(store)?, Opened::Direct));
        };
        let dir = snapshot_dir(&database);
        let before = store.data_generation()?;
        let reason = match read(&dir, &before) {
            Ok(Found::Whole(ds)) => return Ok((ds, Opened::Snapshot)),
            Ok(Found::Tickets(ds, kept)) => {
                let ds = ds.with_surveys(store.load_surveys()?)?;
                let written = write_if_unchanged(store, &ds, &dir, &before, &kept)?;
                return Ok((ds, Opened::Responses { written }));
            }
            Err(reason) => reason,
        };
        let ds = Dataset::load(store)?;
        let written = write_if_unchanged(store, &ds, &dir, &before, &[])?;
        Ok((ds, Opened::Rebuilt { reason, written }))
    }

    /// Writes the snapshot of the data `store` holds now (after an import):
    /// the next open reads it.
    pub fn refresh_snapshot(store: &mut Store) -> Result<Opened, MetricsError> {
        if let Some((_, opened)) = watched_import(store)? {
            return Ok(opened);
        }
        if let Some(database) = store.path() {
            let before = store.data_generation()?;
            if let Some(opened) = refresh_responses(store, &snapshot_dir(&database), &before)? {
                return Ok(opened);
            }
        }
        Ok(Dataset::open_with(store, SnapshotUse::ReadWrite)?.1)
    }
}

impl Dataset {
    /// [`Dataset::open_with`] after an import watched since
    /// [`Dataset::watch_imports`]: the first import into an empty database
    /// gives its frames from the rows it wrote (the snapshot written from
    /// them), without reading them back.
    pub fn open_after_import(
        store: &mut Store,
        usage: SnapshotUse,
    ) -> Result<(Dataset, Opened), MetricsError> {
        if usage == SnapshotUse::ReadWrite {
            if let Some(found) = watched_import(store)? {
                return Ok(found);
            }
        }
        store.stop_watching();
        Dataset::open_with(store, usage)
    }
}

/// The dataset of the watched import and the snapshot written from it, when
/// the store holds what that import wrote and nothing else.
fn watched_import(store: &mut Store) -> Result<Option<(Dataset, Opened)>, MetricsError> {
    let Some(database) = store.path() else {
        store.stop_watching();
        return Ok(None);
    };
    let before = store.data_generation()?;
    let Some(ds) = Dataset::from_watched_import(store, before.tickets_generation)? else {
        return Ok(None);
    };
    let written = write_if_unchanged(store, &ds, &snapshot_dir(&database), &before, &[])?;
    Ok(Some((ds, Opened::Imported { written })))
}

/// What [`read`] found.
enum Found {
    /// The snapshot is the data's.
    Whole(Dataset),
    /// Only responses changed since: the tickets' frames (responses empty),
    /// and their parts, kept for the next snapshot.
    Tickets(Dataset, Vec<Part>),
}

/// When only responses changed since the snapshot was written (a survey
/// import or forget): the responses' file and the manifest written again,
/// the tickets' files kept as they are — of them, only the ids that link
/// each response to its ticket are read (after every byte is checked).
/// `None`: not that case, or a tickets' file that does not read (the whole
/// snapshot is then rebuilt).
fn refresh_responses(
    store: &Store,
    dir: &Path,
    expected: &DataGeneration,
) -> Result<Option<Opened>, MetricsError> {
    let Ok(text) = std::fs::read(dir.join(MANIFEST)) else {
        return Ok(None);
    };
    let Ok(manifest) = parse_manifest(&text) else {
        return Ok(None);
    };
    let only_responses = current(&manifest, expected) == Ok(false);
    let tickets = manifest.parts.iter().find(|p| p.name == "tickets");
    let (true, Some(tickets)) = (only_responses, tickets) else {
        return Ok(None);
    };
    let columns = Some(vec!["source".to_string(), "ticket_id".to_string()]);
    let Ok(ids) = read_part_columns(dir, tickets, columns) else {
        return Ok(None);
    };
    let (surveys, latest, survey_sources) =
        survey_frame(&ids, store.load_surveys()?, manifest.ticket_latest)?;
    if &store.data_generation()? != expected {
        let written = Err("the data changed while it was read".to_string());
        return Ok(Some(Opened::Responses { written }));
    }
    let write = || -> std::io::Result<()> {
        let file = format!("g{}-surveys.arrow", expected.generation);
        let part = write_frame(dir, "surveys", file, &surveys)?;
        let mut parts: Vec<Part> = manifest
            .parts
            .iter()
            .filter(|p| p.name != "surveys")
            .cloned()
            .collect();
        parts.push(part);
        // The calendar's files hold while the latest instant does.
        let calendar = (manifest.calendar.clone())
            .filter(|c| c.computed_from(expected.tickets_generation, latest));
        let manifest = Manifest {
            data: expected.clone(),
            latest,
            survey_sources,
            parts,
            calendar,
            ..manifest
        };
        write_manifest(dir, &manifest)?;
        remove_others(dir, &manifest)
    };
    let written = write().map_err(|e| format!("{}: {e}", dir.display()));
    Ok(Some(Opened::Responses { written }))
}

/// An import may commit while the data is read: then the data read may be
/// either generation's, and is not written under one of them.
fn write_if_unchanged(
    store: &Store,
    ds: &Dataset,
    dir: &Path,
    before: &DataGeneration,
    kept: &[Part],
) -> Result<Result<(), String>, MetricsError> {
    let after = store.data_generation()?;
    Ok(if &after == before {
        write(ds, dir, &after, kept).map_err(|e| format!("{}: {e}", dir.display()))
    } else {
        Err("the data changed while it was read".to_string())
    })
}

/// The dataset of a snapshot that matches `expected` (or its tickets, when
/// only responses changed), or why there is none.
fn read(dir: &Path, expected: &DataGeneration) -> Result<Found, String> {
    let text = match std::fs::read(dir.join(MANIFEST)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("missing".into()),
        Err(e) => return Err(format!("unreadable: {e}")),
    };
    let manifest = parse_manifest(&text)?;
    let whole = current(&manifest, expected)?;
    let mut dictionaries = BTreeMap::new();
    for dim in DIMENSIONS {
        let values = manifest
            .dictionaries
            .get(dim)
            .ok_or_else(|| format!("damaged: no dictionary for {dim}"))?;
        dictionaries.insert(dim, values.clone());
    }
    let mut frames = BTreeMap::new();
    let mut kept = Vec::new();
    for name in PARTS {
        if !whole && !TICKET_PARTS.contains(&name) {
            continue;
        }
        let part = manifest
            .parts
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| format!("damaged: no {name} file"))?;
        frames.insert(
            name,
            read_part(dir, part).map_err(|e| format!("damaged: {}: {e}", part.file))?,
        );
        kept.push(part.clone());
    }
    let mut take = |name: &str| frames.remove(name);
    let (tickets, updates, pauses) = (take("tickets"), take("updates"), take("pauses"));
    let (Some(tickets), Some(updates), Some(pauses)) = (tickets, updates, pauses) else {
        return Err("damaged: a file is missing".into());
    };
    let surveys = match take("surveys") {
        Some(frame) => frame,
        None => {
            Dataset::from_columns(Default::default(), Default::default())
                .map_err(|e| e.to_string())?
                .surveys
        }
    };
    let facts = SnapshotFacts {
        dictionaries,
        latest: manifest.latest,
        ticket_latest: manifest.ticket_latest,
        ticket_sources: manifest.ticket_sources,
        survey_sources: manifest.survey_sources,
    };
    let ds = Dataset::from_snapshot([tickets, surveys, updates, pauses], facts)
        .map_err(|e| format!("damaged: {e}"))?;
    Ok(if whole {
        ds.set_snapshot_link(Some(Link {
            dir: dir.to_path_buf(),
            data: manifest.data,
            calendar: manifest.calendar,
        }));
        Found::Whole(ds)
    } else {
        Found::Tickets(ds, kept)
    })
}

/// Whether the snapshot of `manifest` is the data of `expected`: `true`
/// wholly, `false` but for the responses (its tickets' files are current);
/// otherwise why not.
fn current(manifest: &Manifest, expected: &DataGeneration) -> Result<bool, String> {
    if manifest.format != FORMAT || manifest.secdesk != env!("CARGO_PKG_VERSION") {
        return Err(format!("written by secdesk {}", manifest.secdesk));
    }
    if manifest.data.database != expected.database {
        return Err("of another database".into());
    }
    let whole = manifest.data.generation == expected.generation;
    if !whole && manifest.data.tickets_generation != expected.tickets_generation {
        return Err(format!(
            "stale (data generation {}, the database is at {})",
            manifest.data.generation, expected.generation
        ));
    }
    Ok(whole)
}

/// The manifest, if its checksum holds.
pub(super) fn parse_manifest(text: &[u8]) -> Result<Manifest, String> {
    let newline = text
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("damaged: the manifest has no checksum line")?;
    let (first, body) = (&text[..newline], &text[newline + 1..]);
    let stated = std::str::from_utf8(first)
        .ok()
        .and_then(|s| u32::from_str_radix(s.trim(), 16).ok())
        .ok_or("damaged: the manifest's checksum line is not a number")?;
    if crc32fast::hash(body) != stated {
        return Err("damaged: the manifest does not match its checksum".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("damaged: manifest: {e}"))
}

/// One frame, after its size and checksum are checked.
pub(super) fn read_part(dir: &Path, part: &Part) -> Result<DataFrame, String> {
    read_part_columns(dir, part, None)
}

/// [`read_part`], of the `columns` named only (every byte is checked still).
fn read_part_columns(
    dir: &Path,
    part: &Part,
    columns: Option<Vec<String>>,
) -> Result<DataFrame, String> {
    if part.file.contains(['/', '\\']) || part.file.starts_with('.') {
        return Err("not a file of the snapshot".into());
    }
    let path = dir.join(&part.file);
    let mut file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
    let bytes = file.metadata().map_err(|e| e.to_string())?.len();
    if bytes != part.bytes {
        return Err(format!("{bytes} bytes, {} written", part.bytes));
    }
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    if hasher.finalize() != part.crc32 {
        return Err("its bytes do not match the checksum written".into());
    }
    let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
    IpcReader::new(file)
        .with_columns(columns)
        .set_rechunk(true)
        .finish()
        .map_err(|e| e.to_string())
}

/// A writer that counts and checksums what passes through.
struct Checked<'a> {
    inner: &'a mut dyn Write,
    hasher: crc32fast::Hasher,
    bytes: u64,
}

impl Write for Checked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the snapshot of `ds` as the data of `generation`: the frames under
/// new names (the tickets' parts in `kept`, already checked, stay as they
/// are), then the manifest (renamed over the old one), then the old frames
/// are removed. A reader sees the old snapshot or the new one.
fn write(
    ds: &Dataset,
    dir: &Path,
    generation: &DataGeneration,
    kept: &[Part],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let frames = [&ds.tickets, &ds.surveys, &ds.updates, &ds.pauses];
    let mut parts = Vec::with_capacity(PARTS.len());
    for (name, frame) in PARTS.into_iter().zip(frames) {
        let file = if TICKET_PARTS.contains(&name) {
            format!("t{}-{name}.arrow", generation.tickets_generation)
        } else {
            format!("g{}-{name}.arrow", generation.generation)
        };
        if let Some(part) = kept.iter().find(|p| p.name == name && p.file == file) {
            parts.push(part.clone());
            continue;
        }
        parts.push(write_frame(dir, name, file, frame)?);
    }
    let manifest = Manifest {
        format: FORMAT,
        secdesk: env!("CARGO_PKG_VERSION").to_string(),
        data: generation.clone(),
        latest: ds.latest,
        ticket_latest: ds.ticket_latest,
        ticket_sources: ds.ticket_sources.clone(),
        survey_sources: ds.survey_sources.clone(),
        dictionaries: ds
            .dictionaries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        parts,
        calendar: kept_calendar(ds, dir, generation),
    };
    write_manifest(dir, &manifest)?;
    remove_others(dir, &manifest)?;
    ds.set_snapshot_link(Some(Link {
        dir: dir.to_path_buf(),
        data: generation.clone(),
        calendar: manifest.calendar,
    }));
    Ok(())
}

/// The calendar files of the snapshot being replaced, when they still hold
/// what `ds` computes (the same tickets and latest instant).
fn kept_calendar(ds: &Dataset, dir: &Path, generation: &DataGeneration) -> Option<CalendarPart> {
    let text = std::fs::read(dir.join(MANIFEST)).ok()?;
    let manifest = parse_manifest(&text).ok()?;
    if manifest.data.database != generation.database {
        return None;
    }
    (manifest.calendar).filter(|c| c.computed_from(generation.tickets_generation, ds.latest))
}

/// Writes `frame` to `file` in the snapshot directory (whole, then renamed).
pub(super) fn write_frame(
    dir: &Path,
    name: &str,
    file: String,
    frame: &DataFrame,
) -> std::io::Result<Part> {
    let mut checked = None;
    crate::paths::write_whole_with(&dir.join(&file), false, |w| {
        let mut c = Checked {
            inner: w,
            hasher: crc32fast::Hasher::new(),
            bytes: 0,
        };
        let mut frame = frame.clone();
        IpcWriter::new(&mut c)
            .finish(&mut frame)
            .map_err(std::io::Error::other)?;
        checked = Some((c.bytes, c.hasher.finalize()));
        Ok(())
    })?;
    let (bytes, crc32) = checked.ok_or_else(|| std::io::Error::other("nothing written"))?;
    Ok(Part {
        name: name.to_string(),
        file,
        bytes,
        crc32,
    })
}

/// Writes the manifest (its checksum on the first line), renamed over the old one.
pub(super) fn write_manifest(dir: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let body = serde_json::to_vec(manifest).map_err(std::io::Error::other)?;
    let mut text = format!("{:08x}\n", crc32fast::hash(&body)).into_bytes();
    text.extend_from_slice(&body);
    crate::paths::write_whole(&dir.join(MANIFEST), &text)
}

/// Removes the files `manifest` does not name: earlier generations' frames
/// (and files left by a crash).
pub(super) fn remove_others(dir: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let calendar = manifest
        .calendar
        .iter()
        .flat_map(|c| std::iter::once(&c.readings).chain(&c.orders));
    let current: Vec<&str> = manifest
        .parts
        .iter()
        .chain(calendar)
        .map(|p| p.file.as_str())
        .collect();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && !current.contains(&name.as_str()) && !name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
