//! The local SQLite database: numbered migrations, WAL, one transaction per
//! import (an import lands whole or not at all), the import history, forgetting
//! an import, and reading the canonical records back in columns for metrics.
//! No metric is computed here.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::StoreError;
use crate::import::{ImportReport, TicketBatch};
use crate::model::{EventKind, Instant, Priority, Status, SurveyScale, Ticket, TicketEvent};
use crate::survey::SurveyBatch;

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_tickets_without_rowid.sql"),
];

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

/// The canonical tickets, column by column (what metrics read).
#[derive(Debug, Clone, Default)]
pub struct TicketColumns {
    pub source: Vec<String>,
    pub ticket_id: Vec<String>,
    pub created_at: Vec<Instant>,
    pub first_response_at: Vec<Option<Instant>>,
    pub resolved_at: Vec<Option<Instant>>,
    pub closed_at: Vec<Option<Instant>>,
    pub last_update_at: Vec<Option<Instant>>,
    pub status: Vec<String>,
    pub priority: Vec<Option<String>>,
    pub category: Vec<Option<String>>,
    pub team: Vec<Option<String>>,
    pub assignee: Vec<Option<String>>,
    pub requester: Vec<Option<String>>,
    pub department: Vec<Option<String>>,
    pub channel: Vec<Option<String>>,
    pub reopen_count: Vec<i64>,
    pub follow_ups: Vec<Option<i64>>,
    pub affected_users: Vec<i64>,
    pub reassignment_count: Vec<Option<i64>>,
    pub knowledge: Vec<Option<bool>>,
}

/// A ticket's primary key: (source, ticket id).
pub type TicketKey = (String, String);

/// One stored ticket, its texts borrowed from the database row.
#[derive(Debug, Clone, Copy)]
pub struct StoredTicket<'a> {
    pub source: &'a str,
    pub ticket_id: &'a str,
    pub created_at: Instant,
    pub first_response_at: Option<Instant>,
    pub resolved_at: Option<Instant>,
    pub closed_at: Option<Instant>,
    pub last_update_at: Option<Instant>,
    pub status: &'a str,
    pub priority: Option<&'a str>,
    pub category: Option<&'a str>,
    pub team: Option<&'a str>,
    pub assignee: Option<&'a str>,
    pub requester: Option<&'a str>,
    pub department: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub reopen_count: i64,
    pub follow_ups: Option<i64>,
    pub affected_users: i64,
    pub reassignment_count: Option<i64>,
    pub knowledge: Option<bool>,
}

/// The survey responses, column by column.
#[derive(Debug, Clone, Default)]
pub struct SurveyColumns {
    pub source: Vec<String>,
    pub ticket_id: Vec<Option<String>>,
    pub submitted_at: Vec<Instant>,
    pub rating: Vec<f64>,
    pub scale: Vec<SurveyScale>,
}

/// The database.
pub struct Store {
    conn: Connection,
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
        let mut store = Store { conn };
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

    fn insert_import(
        tx: &rusqlite::Transaction<'_>,
        report: &ImportReport,
        imported_at: &str,
    ) -> Result<i64, StoreError> {
        let file_name = Path::new(&report.file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| report.file.clone());
        tx.execute(
            "INSERT INTO imports (kind, source, file_name, sha256, format, rows_read, rows_stored, rows_rejected, mapping, report, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                report.kind,
                report.source,
                file_name,
                report.sha256,
                report.format,
                report.rows_read as i64,
                report.records as i64,
                report.rejected.len() as i64,
                serde_json::to_string(&report.mapping).unwrap_or_default(),
                serde_json::to_string(report).unwrap_or_default(),
                imported_at,
            ],
        )?;
        Ok(tx.last_insert_rowid())
    }

    /// Stores a ticket batch in one transaction. `keep_going` is asked now and
    /// then with (tickets written, total); when it answers false the
    /// transaction is rolled back.
    pub fn save_tickets(
        &mut self,
        batch: &TicketBatch,
        imported_at: &str,
        keep_going: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<StoreOutcome>, StoreError> {
        if let Some(existing) = self.find_import(&batch.report.sha256, "tickets")? {
            return Ok(Some(StoreOutcome::AlreadyImported(existing)));
        }
        let total = batch.tickets.len();
        let mut writer = self.begin_tickets(
            &batch.report,
            &batch.source,
            imported_at,
            !batch.events.is_empty(),
        )?;
        for (i, chunk) in batch.tickets.chunks(50_000).enumerate() {
            if !keep_going(i * 50_000, total) {
                return Ok(None);
            }
            writer.write(chunk, &[])?;
        }
        writer.write(&[], &batch.events)?;
        if !keep_going(total, total) {
            return Ok(None);
        }
        Ok(Some(StoreOutcome::Stored(writer.finish(&batch.report)?)))
    }

    /// Opens the transaction of a ticket import and records the import in it.
    /// Nothing lands until [`TicketWriter::finish`]; dropping the writer rolls back.
    /// With `replace_events`, the stored events of every written ticket are
    /// replaced by the ones written with it.
    pub fn begin_tickets(
        &mut self,
        report: &ImportReport,
        source: &str,
        imported_at: &str,
        replace_events: bool,
    ) -> Result<TicketWriter<'_>, StoreError> {
        let tx = self.conn.transaction()?;
        let import_id = Store::insert_import(&tx, report, imported_at)?;
        Ok(TicketWriter {
            tx,
            import_id,
            source: source.to_string(),
            replace_events,
        })
    }

    /// Stores a survey batch in one transaction.
    /// Stores a survey batch in one transaction. `keep_going` is polled with
    /// (responses written, responses) and cancels (nothing stored, `None`)
    /// when it returns false.
    pub fn save_surveys(
        &mut self,
        batch: &SurveyBatch,
        imported_at: &str,
        keep_going: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<StoreOutcome>, StoreError> {
        if let Some(existing) = self.find_import(&batch.report.sha256, "surveys")? {
            return Ok(Some(StoreOutcome::AlreadyImported(existing)));
        }
        let total = batch.responses.len();
        let tx = self.conn.transaction()?;
        let import_id = Store::insert_import(&tx, &batch.report, imported_at)?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO surveys (source, response_key, import_id, ticket_id, submitted_at, rating, scale, comment, respondent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for (i, r) in batch.responses.iter().enumerate() {
                if i % 4096 == 0 && !keep_going(i, total) {
                    return Ok(None); // the transaction is dropped: rolled back
                }
                ins.execute(params![
                    batch.source,
                    r.response_key,
                    import_id,
                    r.ticket_id,
                    r.submitted_at,
                    r.rating,
                    r.scale.label(),
                    r.comment,
                    r.respondent,
                ])?;
            }
        }
        tx.commit()?;
        keep_going(total, total);
        Ok(Some(StoreOutcome::Stored(self.import(import_id)?)))
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

    /// Every stored ticket, in columns.
    pub fn load_tickets(&self) -> Result<TicketColumns, StoreError> {
        let mut c = TicketColumns::default();
        let owned = |v: Option<&str>| v.map(str::to_string);
        self.for_each_ticket(|t| {
            c.source.push(t.source.to_string());
            c.ticket_id.push(t.ticket_id.to_string());
            c.created_at.push(t.created_at);
            c.first_response_at.push(t.first_response_at);
            c.resolved_at.push(t.resolved_at);
            c.closed_at.push(t.closed_at);
            c.last_update_at.push(t.last_update_at);
            c.status.push(t.status.to_string());
            c.priority.push(owned(t.priority));
            c.category.push(owned(t.category));
            c.team.push(owned(t.team));
            c.assignee.push(owned(t.assignee));
            c.requester.push(owned(t.requester));
            c.department.push(owned(t.department));
            c.channel.push(owned(t.channel));
            c.reopen_count.push(t.reopen_count);
            c.follow_ups.push(t.follow_ups);
            c.affected_users.push(t.affected_users);
            c.reassignment_count.push(t.reassignment_count);
            c.knowledge.push(t.knowledge);
        })?;
        Ok(c)
    }

    /// Calls `f` with every stored ticket, borrowed from the database row (no
    /// copy of its texts): the fast way to build columns of another kind.
    pub fn for_each_ticket(&self, f: impl FnMut(StoredTicket<'_>)) -> Result<(), StoreError> {
        self.for_each_ticket_between(None, None, f)
    }

    /// The key (source, ticket id) of the ticket at a position in key order:
    /// where to split the tickets to read them in parts.
    pub fn ticket_key_at(&self, position: usize) -> Result<Option<TicketKey>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT source, ticket_id FROM tickets ORDER BY source, ticket_id LIMIT 1 OFFSET ?1",
                params![position as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// [`Store::for_each_ticket`] for the tickets with `from <= key < to`
    /// (an absent bound is open), in key order.
    pub fn for_each_ticket_between(
        &self,
        from: Option<&TicketKey>,
        to: Option<&TicketKey>,
        mut f: impl FnMut(StoredTicket<'_>),
    ) -> Result<(), StoreError> {
        let mut sql = String::from(
            "SELECT source, ticket_id, created_at, first_response_at, resolved_at, closed_at, last_update_at, status, priority,
             category, team, assignee, requester, department, channel, reopen_count, follow_ups, affected_users,
             reassignment_count, knowledge FROM tickets WHERE 1",
        );
        let mut bounds: Vec<&str> = Vec::new();
        if let Some((source, id)) = from {
            sql.push_str(" AND (source, ticket_id) >= (?, ?)");
            bounds.extend([source.as_str(), id.as_str()]);
        }
        if let Some((source, id)) = to {
            sql.push_str(" AND (source, ticket_id) < (?, ?)");
            bounds.extend([source.as_str(), id.as_str()]);
        }
        sql.push_str(" ORDER BY source, ticket_id");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(bounds))?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> Result<Option<&str>, StoreError> {
                Ok(r.get_ref(i)?.as_str_or_null().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?)
            };
            let required = |i: usize, column: &'static str| -> Result<&str, StoreError> {
                text(i)?.ok_or(StoreError::Corrupt {
                    table: "tickets",
                    column,
                    value: "NULL".into(),
                })
            };
            let status = required(7, "status")?;
            if Status::parse_canonical(status).is_none() {
                return Err(StoreError::Corrupt {
                    table: "tickets",
                    column: "status",
                    value: status.to_string(),
                });
            }
            f(StoredTicket {
                source: required(0, "source")?,
                ticket_id: required(1, "ticket_id")?,
                created_at: r.get(2)?,
                first_response_at: r.get(3)?,
                resolved_at: r.get(4)?,
                closed_at: r.get(5)?,
                last_update_at: r.get(6)?,
                status,
                priority: text(8)?,
                category: text(9)?,
                team: text(10)?,
                assignee: text(11)?,
                requester: text(12)?,
                department: text(13)?,
                channel: text(14)?,
                reopen_count: r.get(15)?,
                follow_ups: r.get(16)?,
                affected_users: r.get(17)?,
                reassignment_count: r.get(18)?,
                knowledge: r.get(19)?,
            });
        }
        Ok(())
    }

    /// Every stored survey response, in columns.
    pub fn load_surveys(&self) -> Result<SurveyColumns, StoreError> {
        let mut c = SurveyColumns::default();
        let mut stmt = self
            .conn
            .prepare("SELECT source, ticket_id, submitted_at, rating, scale FROM surveys")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            c.source.push(r.get(0)?);
            c.ticket_id.push(r.get(1)?);
            c.submitted_at.push(r.get(2)?);
            c.rating.push(r.get(3)?);
            let label: String = r.get(4)?;
            let scale = SurveyScale::from_label(&label).ok_or(StoreError::Corrupt {
                table: "surveys",
                column: "scale",
                value: label.clone(),
            })?;
            c.scale.push(scale);
        }
        Ok(c)
    }

    /// Events of one kind: (source, ticket_id, at).
    pub fn load_events(
        &self,
        kind: EventKind,
    ) -> Result<Vec<(String, String, Instant)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT source, ticket_id, at FROM ticket_events WHERE kind = ?1")?;
        let rows = stmt.query_map(params![kind.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

const TICKET_COLUMNS: usize = 23;
const ROWS_PER_INSERT: usize = 32;

/// `INSERT OR REPLACE INTO tickets … VALUES (…), (…)` for `rows` rows.
fn ticket_insert_sql(rows: usize) -> String {
    let one = format!("({})", vec!["?"; TICKET_COLUMNS].join(", "));
    format!(
        "INSERT OR REPLACE INTO tickets (source, ticket_id, import_id, created_at, first_response_at, resolved_at, closed_at,
         last_update_at, status, status_raw, priority, priority_raw, category, team, assignee, requester, department,
         channel, reopen_count, follow_ups, affected_users, reassignment_count, knowledge) VALUES {}",
        vec![one; rows].join(", ")
    )
}

/// Binds one ticket's columns from parameter `at + 1` on.
fn bind_ticket(
    stmt: &mut rusqlite::CachedStatement<'_>,
    at: usize,
    source: &str,
    import_id: i64,
    t: &Ticket,
) -> Result<(), StoreError> {
    let values: [&dyn rusqlite::ToSql; TICKET_COLUMNS] = [
        &source,
        &t.ticket_id,
        &import_id,
        &t.created_at,
        &t.first_response_at,
        &t.resolved_at,
        &t.closed_at,
        &t.last_update_at,
        &t.status.as_str(),
        &t.status_raw,
        &t.priority.map(Priority::as_str),
        &t.priority_raw,
        &t.category,
        &t.team,
        &t.assignee,
        &t.requester,
        &t.department,
        &t.channel,
        &t.reopen_count,
        &t.follow_ups,
        &t.affected_users,
        &t.reassignment_count,
        &t.knowledge,
    ];
    for (i, v) in values.into_iter().enumerate() {
        stmt.raw_bind_parameter(at + i + 1, v)?;
    }
    Ok(())
}

/// A ticket import being written inside one open transaction.
pub struct TicketWriter<'a> {
    tx: rusqlite::Transaction<'a>,
    import_id: i64,
    source: String,
    replace_events: bool,
}

impl TicketWriter<'_> {
    /// Writes tickets (a later row of the same id replaces the earlier one)
    /// and events.
    pub fn write(&mut self, tickets: &[Ticket], events: &[TicketEvent]) -> Result<(), StoreError> {
        // Many rows per statement: SQLite's per-statement cost dominates single-row inserts.
        let mut batches = tickets.chunks_exact(ROWS_PER_INSERT);
        if batches.len() > 0 {
            let mut ins = self
                .tx
                .prepare_cached(&ticket_insert_sql(ROWS_PER_INSERT))?;
            for batch in batches.by_ref() {
                for (i, t) in batch.iter().enumerate() {
                    bind_ticket(
                        &mut ins,
                        i * TICKET_COLUMNS,
                        &self.source,
                        self.import_id,
                        t,
                    )?;
                }
                ins.raw_execute()?;
            }
        }
        let rest = batches.remainder();
        if !rest.is_empty() {
            let mut one = self.tx.prepare_cached(&ticket_insert_sql(1))?;
            for t in rest {
                bind_ticket(&mut one, 0, &self.source, self.import_id, t)?;
                one.raw_execute()?;
            }
        }
        if self.replace_events {
            let mut del = self
                .tx
                .prepare_cached("DELETE FROM ticket_events WHERE source = ?1 AND ticket_id = ?2")?;
            for t in tickets {
                del.execute(params![self.source, t.ticket_id])?;
            }
        }
        if !events.is_empty() {
            let mut ev = self.tx.prepare_cached(
                "INSERT INTO ticket_events (source, ticket_id, import_id, at, kind, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for e in events {
                ev.execute(params![
                    self.source,
                    e.ticket_id,
                    self.import_id,
                    e.at,
                    e.kind.as_str(),
                    e.actor
                ])?;
            }
        }
        Ok(())
    }

    /// Records the final report and commits: the import lands whole.
    pub fn finish(self, report: &ImportReport) -> Result<ImportRecord, StoreError> {
        self.tx.execute(
            "UPDATE imports SET rows_read = ?2, rows_stored = ?3, rows_rejected = ?4, report = ?5 WHERE id = ?1",
            params![
                self.import_id,
                report.rows_read as i64,
                report.records as i64,
                report.rejected.len() as i64,
                serde_json::to_string(report).unwrap_or_default(),
            ],
        )?;
        let record = self.tx.query_row(
            &format!("{SELECT_IMPORT} WHERE id = ?1"),
            params![self.import_id],
            import_row,
        )?;
        self.tx.commit()?;
        Ok(record)
    }
}

const SELECT_IMPORT: &str =
    "SELECT id, kind, source, file_name, sha256, format, rows_read, rows_stored, rows_rejected, imported_at FROM imports";

fn import_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
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
