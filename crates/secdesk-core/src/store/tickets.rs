//! Tickets in the database: written many rows per statement inside an
//! import's transaction ([`TicketWriter`]: dropped = rolled back), read back
//! row by row with borrowed texts, in key ranges for reading in parts.

use rusqlite::{params, OptionalExtension};

use super::{
    bind_row, generation_of, import_row, insert_rows, ImportEntry, ImportRecord, Store,
    StoreOutcome, SELECT_IMPORT,
};
use crate::error::StoreError;
use crate::model::{EventKind, Instant, Measures, Priority, Status, Ticket, TicketEvent};

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
    pub paused_ms: Vec<Option<i64>>,
    pub knowledge: Vec<Option<bool>>,
    pub measures: Vec<Measures>,
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
    pub measures: Measures,
    pub paused_ms: Option<i64>,
    /// The import that stored it.
    pub import_id: i64,
}

/// The columns an import writes, in [`bind_ticket`]'s order.
const TICKET_COLUMNS: [&str; 25] = [
    "source",
    "ticket_id",
    "import_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "last_update_at",
    "status",
    "status_raw",
    "priority",
    "priority_raw",
    "category",
    "team",
    "assignee",
    "requester",
    "department",
    "channel",
    "reopen_count",
    "follow_ups",
    "affected_users",
    "reassignment_count",
    "knowledge",
    "measures",
    "paused_ms",
];

/// Binds one ticket's columns from parameter `at + 1` on.
fn bind_ticket(
    stmt: &mut rusqlite::CachedStatement<'_>,
    at: usize,
    source: &str,
    import_id: i64,
    t: &Ticket,
) -> Result<(), StoreError> {
    let measures = t.measures.bits();
    let values: [&dyn rusqlite::ToSql; TICKET_COLUMNS.len()] = [
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
        &measures,
        &t.paused_ms,
    ];
    bind_row(stmt, at, &values)
}

/// Sees every ticket and event a ticket import writes, as the store will
/// read them back, in the order written: what an import stored can then be
/// used without reading it back ([`Store::watch_imports`]).
pub trait ImportWatcher: Send {
    /// A ticket import begins; `empty`: the store held no ticket and no
    /// event before it. What an earlier, rolled-back import showed is void.
    fn begin(&mut self, empty: bool);
    fn ticket(&mut self, t: StoredTicket<'_>);
    fn event(&mut self, source: &str, e: &TicketEvent);
    /// The import committed; its `tickets_generation`.
    fn committed(&mut self, tickets_generation: i64);
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any>;
}

/// A ticket as written, seen as [`Store::for_each_ticket`] reads it back.
fn stored<'a>(source: &'a str, import_id: i64, t: &'a Ticket) -> StoredTicket<'a> {
    StoredTicket {
        source,
        ticket_id: &t.ticket_id,
        created_at: t.created_at,
        first_response_at: t.first_response_at,
        resolved_at: t.resolved_at,
        closed_at: t.closed_at,
        last_update_at: t.last_update_at,
        status: t.status.as_str(),
        priority: t.priority.map(Priority::as_str),
        category: t.category.as_deref(),
        team: t.team.as_deref(),
        assignee: t.assignee.as_deref(),
        requester: t.requester.as_deref(),
        department: t.department.as_deref(),
        channel: t.channel.as_deref(),
        reopen_count: t.reopen_count,
        follow_ups: t.follow_ups,
        affected_users: t.affected_users,
        reassignment_count: t.reassignment_count,
        knowledge: t.knowledge,
        measures: t.measures,
        paused_ms: t.paused_ms,
        import_id,
    }
}

/// A ticket import being written inside one open transaction.
pub struct TicketWriter<'a> {
    tx: rusqlite::Transaction<'a>,
    import_id: i64,
    source: String,
    replace_events: bool,
    watcher: Option<&'a mut Box<dyn ImportWatcher>>,
}

impl TicketWriter<'_> {
    /// Writes tickets (a later row of the same id replaces the earlier one)
    /// and events.
    pub fn write(&mut self, tickets: &[Ticket], events: &[TicketEvent]) -> Result<(), StoreError> {
        insert_rows(
            &self.tx,
            "tickets",
            &TICKET_COLUMNS,
            tickets,
            |stmt, at, t| bind_ticket(stmt, at, &self.source, self.import_id, t),
            |_| true,
        )?;
        if let Some(w) = self.watcher.as_deref_mut() {
            for t in tickets {
                w.ticket(stored(&self.source, self.import_id, t));
            }
            for e in events {
                w.event(&self.source, e);
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
                "INSERT INTO ticket_events (source, ticket_id, import_id, at, kind, actor, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for e in events {
                ev.execute(params![
                    self.source,
                    e.ticket_id,
                    self.import_id,
                    e.at,
                    e.kind.as_str(),
                    e.actor,
                    e.status.map(Status::as_str)
                ])?;
            }
        }
        Ok(())
    }

    /// Records the final report and commits: the import lands whole.
    pub fn finish(self, entry: &ImportEntry) -> Result<ImportRecord, StoreError> {
        self.tx.execute(
            "UPDATE imports SET rows_read = ?2, rows_stored = ?3, rows_rejected = ?4, report = ?5 WHERE id = ?1",
            params![
                self.import_id,
                entry.rows_read as i64,
                entry.records as i64,
                entry.rejected as i64,
                entry.report,
            ],
        )?;
        let record = self.tx.query_row(
            &format!("{SELECT_IMPORT} WHERE id = ?1"),
            params![self.import_id],
            import_row,
        )?;
        let generation = generation_of(&self.tx)?;
        self.tx.commit()?;
        if let Some(w) = self.watcher {
            w.committed(generation.tickets_generation);
        }
        Ok(record)
    }
}

impl Store {
    /// Stores an import's tickets and events in one transaction.
    /// `keep_going` is asked now and then with (tickets written, total);
    /// when it answers false the transaction is rolled back (`None`).
    pub fn save_tickets(
        &mut self,
        entry: &ImportEntry,
        tickets: &[Ticket],
        events: &[TicketEvent],
        imported_at: &str,
        keep_going: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<StoreOutcome>, StoreError> {
        if let Some(existing) = self.find_import(&entry.sha256, "tickets")? {
            return Ok(Some(StoreOutcome::AlreadyImported(existing)));
        }
        let total = tickets.len();
        let mut writer = self.begin_tickets(entry, imported_at, !events.is_empty())?;
        for (i, chunk) in tickets.chunks(50_000).enumerate() {
            if !keep_going(i * 50_000, total) {
                return Ok(None);
            }
            writer.write(chunk, &[])?;
        }
        writer.write(&[], events)?;
        if !keep_going(total, total) {
            return Ok(None);
        }
        Ok(Some(StoreOutcome::Stored(writer.finish(entry)?)))
    }

    /// Opens the transaction of a ticket import and records the import in it.
    /// Nothing lands until [`TicketWriter::finish`]; dropping the writer rolls back.
    /// With `replace_events`, the stored events of every written ticket are
    /// replaced by the ones written with it.
    pub fn begin_tickets(
        &mut self,
        entry: &ImportEntry,
        imported_at: &str,
        replace_events: bool,
    ) -> Result<TicketWriter<'_>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut watcher = self.watcher.as_mut();
        if let Some(w) = watcher.as_deref_mut() {
            let empty: bool = tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM tickets) AND NOT EXISTS (SELECT 1 FROM ticket_events)",
                [],
                |r| r.get(0),
            )?;
            w.begin(empty);
        }
        let import_id = Store::insert_import(&tx, entry, imported_at)?;
        Ok(TicketWriter {
            tx,
            import_id,
            source: entry.source.clone(),
            replace_events,
            watcher,
        })
    }

    /// Shows every later ticket import to `watcher` as it is written.
    pub fn watch_imports(&mut self, watcher: Box<dyn ImportWatcher>) {
        self.watcher = Some(watcher);
    }

    /// The watcher given to [`Store::watch_imports`], no longer shown imports.
    pub fn stop_watching(&mut self) -> Option<Box<dyn ImportWatcher>> {
        self.watcher.take()
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
            c.measures.push(t.measures);
            c.paused_ms.push(t.paused_ms);
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
             reassignment_count, knowledge, measures, paused_ms, import_id FROM tickets WHERE 1",
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
                measures: Measures::from_bits(r.get(20)?),
                paused_ms: r.get(21)?,
                import_id: r.get(22)?,
            });
        }
        Ok(())
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

    /// Status events, in each ticket's order: (source, ticket_id, at, status).
    /// A status no longer known reads as open (it pauses nothing).
    pub fn load_status_events(&self) -> Result<Vec<StatusEvent>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT source, ticket_id, at, status FROM ticket_events \
             WHERE kind = 'status' ORDER BY source, ticket_id, at, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            let status: Option<String> = r.get(3)?;
            Ok(StatusEvent {
                source: r.get(0)?,
                ticket_id: r.get(1)?,
                at: r.get(2)?,
                status: status
                    .as_deref()
                    .and_then(Status::parse_canonical)
                    .unwrap_or(Status::Open),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// A stored status change.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEvent {
    pub source: String,
    pub ticket_id: String,
    pub at: Instant,
    pub status: Status,
}
