//! The frames of a first import built from the rows it writes: when the
//! store held nothing before a ticket import, what it stored is exactly what
//! it wrote, so the snapshot written after it needs no read-back of every
//! ticket from SQLite (the time and the peak memory of a large first import).

use std::any::Any;

use super::dataset::Dataset;
use super::frame::TicketFrameBuilder;
use crate::error::MetricsError;
use crate::model::{EventKind, Instant, Status, TicketEvent};
use crate::store::{ImportWatcher, StatusEvent, Store, StoredTicket};

/// What the ticket imports since [`Dataset::watch_imports`] wrote, while it
/// can still stand for the store.
pub(super) struct ImportedRows {
    /// `None`: not usable (the store held data before, or no import began).
    rows: Option<Rows>,
    /// The `tickets_generation` the import committed.
    committed: Option<i64>,
}

struct Rows {
    tickets: TicketFrameBuilder,
    replies: Vec<(String, String, Instant)>,
    statuses: Vec<StatusEvent>,
}

impl ImportWatcher for ImportedRows {
    fn begin(&mut self, empty: bool) {
        // Only an import into an empty store is the store's content (a second
        // import is not seen; one after a rolled-back attempt starts afresh).
        self.rows = empty.then(|| Rows {
            tickets: TicketFrameBuilder::new(0),
            replies: Vec::new(),
            statuses: Vec::new(),
        });
        self.committed = None;
    }

    fn ticket(&mut self, t: StoredTicket<'_>) {
        if let Some(rows) = &mut self.rows {
            rows.tickets.push(t);
        }
    }

    fn event(&mut self, source: &str, e: &TicketEvent) {
        let Some(rows) = &mut self.rows else {
            return;
        };
        match e.kind {
            EventKind::Reply => rows
                .replies
                .push((source.to_string(), e.ticket_id.clone(), e.at)),
            // As `Store::load_status_events` reads them: a status no longer
            // known reads as open.
            EventKind::Status => rows.statuses.push(StatusEvent {
                source: source.to_string(),
                ticket_id: e.ticket_id.clone(),
                at: e.at,
                status: e.status.unwrap_or(Status::Open),
            }),
            _ => {}
        }
    }

    fn committed(&mut self, tickets_generation: i64) {
        if self.rows.is_some() {
            self.committed = Some(tickets_generation);
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

impl Dataset {
    /// Watches the ticket imports `store` is about to make, so that
    /// [`Dataset::refresh_snapshot`] after the first import into an empty
    /// database builds the frames from the rows written instead of reading
    /// them back.
    pub fn watch_imports(store: &mut Store) {
        store.watch_imports(Box::new(ImportedRows {
            rows: None,
            committed: None,
        }));
    }

    /// The dataset of what the watched import stored, when the store holds
    /// exactly that (`tickets_generation` is still the one it committed,
    /// every ticket id written once); `None` otherwise.
    pub(super) fn from_watched_import(
        store: &mut Store,
        tickets_generation: i64,
    ) -> Result<Option<Dataset>, MetricsError> {
        let Some(watcher) = store.stop_watching() else {
            return Ok(None);
        };
        let Ok(watched) = watcher.into_any().downcast::<ImportedRows>() else {
            return Ok(None);
        };
        let (Some(rows), Some(committed)) = (watched.rows, watched.committed) else {
            return Ok(None);
        };
        if committed != tickets_generation {
            return Ok(None);
        }
        // The store reads tickets back in key order: (source, ticket id).
        let Some(tickets) = rows.tickets.in_key_order()? else {
            return Ok(None);
        };
        let mut ds = Dataset::from_parts(tickets, store.load_surveys()?)?;
        ds.set_updates(&rows.replies)?;
        let mut statuses = rows.statuses;
        // As the store orders them: by ticket and time, then as written.
        statuses
            .sort_by(|a, b| (&a.source, &a.ticket_id, a.at).cmp(&(&b.source, &b.ticket_id, b.at)));
        ds.set_pauses(&statuses)?;
        Ok(Some(ds))
    }
}
