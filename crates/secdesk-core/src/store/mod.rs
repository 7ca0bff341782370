//! The local SQLite database: numbered migrations, WAL, one transaction per
//! import (an import lands whole or not at all), the import history,
//! forgetting an import, settings, and reading the canonical records back
//! for metrics. No metric is computed here, and nothing here knows how a file
//! is read: an import arrives as canonical records and an [`ImportEntry`].
//!
//! `tickets` writes and reads tickets and their events; `surveys` the
//! survey responses.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::StoreError;

mod deliveries;
mod surveys;
mod tickets;

pub use deliveries::DeliveryRecord;
pub use surveys::SurveyColumns;
pub use tickets::{
    ImportWatcher, StatusEvent, StoredTicket, TicketColumns, TicketKey, TicketWriter,
};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_tickets_without_rowid.sql"),
    include_str!("../../migrations/0003_ticket_measures.sql"),
    include_str!("../../migrations/0004_sla_pause.sql"),
    include_str!("../../migrations/0005_deliveries.sql"),
    include_str!("../../migrations/0006_data_generation.sql"),
];

/// Which stored data a reading of it is: this database's id and the
/// generation of its data (bumped in the transaction of every import and
/// forget), and of its tickets alone (not moved by survey imports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DataGeneration {
    pub database: String,
    pub generation: i64,
    pub tickets_generation: i64,
}

/// The data's generation as `conn` sees it (inside an open transaction:
/// what its commit will make it).
fn generation_of(conn: &Connection) -> Result<DataGeneration, StoreError> {
    Ok(conn.query_row(
        "SELECT database, generation, tickets_generation FROM data_generation WHERE id = 1",
        [],
        |r| {
            Ok(DataGeneration {
                database: r.get(0)?,
                generation: r.get(1)?,
                tickets_generation: r.get(2)?,
            })
        },
    )?)
}

/// Rows per `INSERT` of an import: SQLite's cost per statement dominates
/// single-row inserts.
const ROWS_PER_INSERT: usize = 32;

/// Writes `rows` into `table` with `INSERT OR REPLACE`, [`ROWS_PER_INSERT`]
/// per statement and the last ones singly; `bind` binds one row's `columns`
/// from a parameter offset. Rows are written in order, so a later row with
/// the same key replaces the earlier one. `keep_going(done)` is asked before
/// every 4,096 rows, the first included; `false` stops (the caller's
/// transaction is then to be dropped).
fn insert_rows<T>(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    columns: &[&str],
    rows: &[T],
    bind: impl Fn(&mut rusqlite::CachedStatement<'_>, usize, &T) -> Result<(), StoreError>,
    mut keep_going: impl FnMut(usize) -> bool,
) -> Result<bool, StoreError> {
    if !keep_going(0) {
        return Ok(false);
    }
    let mut batches = rows.chunks_exact(ROWS_PER_INSERT);
    if batches.len() > 0 {
        let mut batch = tx.prepare_cached(&insert_sql(table, columns, ROWS_PER_INSERT))?;
        for (b, chunk) in batches.by_ref().enumerate() {
            let done = b * ROWS_PER_INSERT;
            if done > 0 && done.is_multiple_of(4096) && !keep_going(done) {
                return Ok(false);
            }
            for (k, row) in chunk.iter().enumerate() {
                bind(&mut batch, k * columns.len(), row)?;
            }
            batch.raw_execute()?;
        }
    }
    let rest = batches.remainder();
    if !rest.is_empty() {
        let mut one = tx.prepare_cached(&insert_sql(table, columns, 1))?;
        for row in rest {
            bind(&mut one, 0, row)?;
            one.raw_execute()?;
        }
    }
    Ok(true)
}

/// `INSERT OR REPLACE INTO table (columns) VALUES (…), (…)` for `rows` rows
/// (in one statement, a later row with the same key replaces the earlier).
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    format!(
        "INSERT OR REPLACE INTO {table} ({}) VALUES {}",
        columns.join(", "),
        vec![one; rows].join(", ")
    )
}

/// Binds one row's values from parameter `at + 1` on.
fn bind_row(
    stmt: &mut rusqlite::CachedStatement<'_>,
    at: usize,
    values: &[&dyn rusqlite::ToSql],
) -> Result<(), StoreError> {
    for (i, v) in values.iter().enumerate() {
        stmt.raw_bind_parameter(at + i + 1, v)?;
    }
    Ok(())
}

/// One source's rows in a table and the latest import that stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SourceRows {
    pub source: String,
    pub rows: i64,
    pub latest_import: i64,
}

impl SourceRows {
    /// Counts `rows` rows of `source` stored by import `import_id` in `list`.
    pub fn tally(list: &mut Vec<SourceRows>, source: &str, rows: i64, import_id: i64) {
        // Rows come in key order: a source's follow one another.
        match list.iter_mut().rev().find(|s| s.source == source) {
            Some(entry) => {
                entry.rows += rows;
                entry.latest_import = entry.latest_import.max(import_id);
            }
            None => list.push(SourceRows {
                source: source.to_string(),
                rows,
                latest_import: import_id,
            }),
        }
    }
}

/// The rows per source of tickets and of responses, as whoever read them
/// all counted them (`None`: not counted; the store counts them).
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadedSources<'a> {
    pub tickets: Option<&'a [SourceRows]>,
    pub surveys: Option<&'a [SourceRows]>,
}

/// What the import history records of one import, as its reader found it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportEntry {
    /// `tickets` or `surveys`.
    pub kind: String,
    pub source: String,
    /// The file as given (its name is stored).
    pub file: String,
    pub sha256: String,
    pub format: String,
    pub rows_read: usize,
    pub records: usize,
    pub rejected: usize,
    /// The column mapping, JSON.
    pub mapping: String,
    /// The whole import report, JSON.
    pub report: String,
}

/// One row of the import history.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportRecord {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub file_name: String,
    pub sha256: String,
    pub format: String,
    pub rows_read: i64,
    pub rows_stored: i64,
    pub rows_rejected: i64,
    pub imported_at: String,
}

/// The outcome of storing a batch.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum StoreOutcome {
    /// Stored as this import.
    Stored(ImportRecord),
    /// The same file (same SHA-256) was already imported; nothing changed.
    AlreadyImported(ImportRecord),
}

/// The database.
pub struct Store {
    pub(super) conn: Connection,
    /// Sees what ticket imports write ([`Store::watch_imports`]).
    pub(super) watcher: Option<Box<dyn ImportWatcher>>,
}

impl Store {
    /// Opens (creating if needed) a database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A 256 MB page cache: large imports otherwise evict index pages on every insert.
        conn.pragma_update(None, "cache_size", -262_144)?;
        // Statement journals in memory: a statement of many rows otherwise
        // writes a copy of every page it touches to a temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        Store::init(conn)
    }

    /// A second connection to the same database file (to read on another
    /// thread); `None` for an in-memory database.
    pub fn reopen(&self) -> Result<Option<Store>, StoreError> {
        match self.conn.path().filter(|p| !p.is_empty()) {
            Some(path) => Ok(Some(Store::open(Path::new(path))?)),
            None => Ok(None),
        }
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            watcher: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Applies the numbered migrations the database has not seen.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The database file, `None` for an in-memory database.
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }

    /// The stored data's generation (see [`DataGeneration`]).
    pub fn data_generation(&self) -> Result<DataGeneration, StoreError> {
        generation_of(&self.conn)
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The latest import of a file with this SHA-256, if any.
    pub fn find_import(&self, sha: &str, kind: &str) -> Result<Option<ImportRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "{SELECT_IMPORT} WHERE sha256 = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1"
                ),
                params![sha, kind],
                import_row,
            )
            .optional()?)
    }

    pub(super) fn insert_import(
        tx: &rusqlite::Transaction<'_>,
        entry: &ImportEntry,
        imported_at: &str,
    ) -> Result<i64, StoreError> {
        let file_name = Path::new(&entry.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| entry.file.clone());
        tx.execute(
            "INSERT INTO imports (kind, source, file_name, sha256, format, rows_read, rows_stored, rows_rejected, mapping, report, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                entry.kind,
                entry.source,
                file_name,
                entry.sha256,
                entry.format,
                entry.rows_read as i64,
                entry.records as i64,
                entry.rejected as i64,
                entry.mapping,
                entry.report,
                imported_at,
            ],
        )?;
        Ok(tx.last_insert_rowid())
    }

    pub fn import(&self, id: i64) -> Result<ImportRecord, StoreError> {
        self.conn
            .query_row(
                &format!("{SELECT_IMPORT} WHERE id = ?1"),
                params![id],
                import_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchImport(id))
    }

    /// The import history, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_IMPORT} ORDER BY id"))?;
        let rows = stmt.query_map([], import_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The stored report of one import (JSON).
    pub fn import_report(&self, id: i64) -> Result<String, StoreError> {
        self.conn
            .query_row(
                "SELECT report FROM imports WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchImport(id))
    }

    /// Each source's stored rows and the report (JSON) of its latest import
    /// that still has rows there: (kind, source, rows, report), tickets first.
    pub fn source_reports(&self) -> Result<Vec<(String, String, i64, String)>, StoreError> {
        self.source_reports_with(LoadedSources::default())
    }

    /// [`Store::source_reports`] with the sources already counted (by
    /// whoever read every row): only the others are counted here.
    pub fn source_reports_with(
        &self,
        loaded: LoadedSources<'_>,
    ) -> Result<Vec<(String, String, i64, String)>, StoreError> {
        let mut out = Vec::new();
        let counted = |table: &str, given: Option<&[SourceRows]>| match given {
            Some(rows) => Ok(rows.to_vec()),
            None => self.source_rows(table),
        };
        let tickets = counted("tickets", loaded.tickets)?;
        let surveys = counted("surveys", loaded.surveys)?;
        let mut report = self
            .conn
            .prepare("SELECT report FROM imports WHERE id = ?1")?;
        for (kind, sources) in [("tickets", &tickets[..]), ("surveys", &surveys[..])] {
            let mut sources: Vec<&SourceRows> = sources.iter().filter(|s| s.rows > 0).collect();
            sources.sort_by(|a, b| a.source.cmp(&b.source));
            for s in sources {
                let text: Option<String> = report
                    .query_row(params![s.latest_import], |r| r.get(0))
                    .optional()?;
                if let Some(text) = text {
                    out.push((kind.to_string(), s.source.clone(), s.rows, text));
                }
            }
        }
        Ok(out)
    }

    /// Per source of a table (`tickets` or `surveys`): its rows and the
    /// latest import that stored one of them.
    fn source_rows(&self, table: &str) -> Result<Vec<SourceRows>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT source, count(*), max(import_id) FROM {table} GROUP BY source ORDER BY source"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(SourceRows {
                source: r.get(0)?,
                rows: r.get(1)?,
                latest_import: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Removes one import and every row it stored.
    pub fn forget(&mut self, id: i64) -> Result<ImportRecord, StoreError> {
        let record = self.import(id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM ticket_events WHERE import_id = ?1",
            params![id],
        )?;
        tx.execute("DELETE FROM tickets WHERE import_id = ?1", params![id])?;
        tx.execute("DELETE FROM surveys WHERE import_id = ?1", params![id])?;
        tx.execute("DELETE FROM imports WHERE id = ?1", params![id])?;
        tx.commit()?;
        Ok(record)
    }

    pub fn ticket_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))?)
    }

    pub fn survey_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM surveys", [], |r| r.get(0))?)
    }

    /// Rows rejected over all imports.
    pub fn rejected_rows(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(rows_rejected), 0) FROM imports",
            [],
            |r| r.get(0),
        )?)
    }

    /// A setting's stored value.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The file names of every import, for the "source" line of charts and
    /// reports ("no data imported" when there is none).
    pub fn source_label(&self) -> Result<String, StoreError> {
        let names: Vec<String> = self.imports()?.into_iter().map(|i| i.file_name).collect();
        Ok(if names.is_empty() {
            "no data imported".into()
        } else {
            names.join(", ")
        })
    }

    /// The secret that makes pseudonyms stable within this database and
    /// unguessable outside it (created on first use).
    pub fn pseudonym_salt(&self) -> Result<String, StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES ('redact.salt', lower(hex(randomblob(16))))",
            [],
        )?;
        Ok(self.conn.query_row(
            "SELECT value FROM settings WHERE key = 'redact.salt'",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Removes a setting (back to its default).
    pub fn remove_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", params![key])?;
        Ok(())
    }
}
pub(super) const SELECT_IMPORT: &str =
    "SELECT id, kind, source, file_name, sha256, format, rows_read, rows_stored, rows_rejected, imported_at FROM imports";

pub(super) fn import_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
    Ok(ImportRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        source: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        format: r.get(5)?,
        rows_read: r.get(6)?,
        rows_stored: r.get(7)?,
        rows_rejected: r.get(8)?,
        imported_at: r.get(9)?,
    })
}
