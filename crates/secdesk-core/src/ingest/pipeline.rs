//! Importing a file into the store in one transaction: a ticket file
//! streamed (one thread converts rows while this one writes them) or, for
//! event logs, collapsed in memory first; a survey file read whole. Progress
//! is reported and an import can be cancelled (nothing stored).

use std::collections::{HashMap, HashSet};

use super::event_log::apply_events;
use super::options::ImportOptions;
use super::report::{ImportOutcome, ImportReport};
use super::saved::{remember_mapping, remembered_mapping};
use super::sniff::RawTable;
use super::surveys::{read_surveys, SurveyOptions};
use super::ticket_ratings::store_ticket_ratings;
use super::tickets::{read_planned, KnownValues, ResolutionFallbacks, RowTicket, TicketPlan};
use super::timeparse::DateColumnProfile;
use crate::error::ImportError;
use crate::model::{Ticket, TicketEvent};
use crate::store::{Store, StoreOutcome};

/// Reads, maps and stores a ticket file in one transaction. `keep_going` is
/// polled with (done, total) — bytes of the file for plain exports, tickets
/// for event logs — and cancels the import (nothing stored) when it returns false.
///
/// Without `--map` overrides, the mapping last confirmed for the same header
/// layout is used (and said in the report's notes); overrides that were given
/// are saved for that layout once the import succeeds.
pub fn import_ticket_file(
    store: &mut Store,
    path: &std::path::Path,
    options: &ImportOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let table = RawTable::open_as(path, &options.read_as)?;
    let (options, reused) = remembered_mapping(store, "tickets", &table.headers, options)?;
    let mut outcome = import_ticket_table(store, &table, &options, imported_at, keep_going)?;
    if !outcome.already_imported {
        store_ticket_ratings(store, &table, &options, imported_at, &mut outcome)?;
    }
    remember_mapping(
        store,
        "tickets",
        &table.headers,
        &options,
        reused,
        &mut outcome.report,
    )?;
    Ok(outcome)
}

pub(super) fn import_ticket_table(
    store: &mut Store,
    table: &RawTable,
    options: &ImportOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let mut plan = TicketPlan::prepare(table, options)?;
    if let Some(record) = store.find_import(&table.source.sha256, "tickets")? {
        return Ok(ImportOutcome {
            report: plan.report,
            record,
            already_imported: true,
        });
    }
    if plan.is_event_log() {
        // Rows of one ticket are spread over the file: collapse in memory first.
        plan.decide_dates()?;
        let batch = read_planned(plan)?;
        refuse_rejects(options, &batch.report)?;
        return match store.save_tickets(
            &batch.report.entry(),
            &batch.tickets,
            &batch.events,
            imported_at,
            keep_going,
        )? {
            None => Err(ImportError::Cancelled),
            Some(StoreOutcome::Stored(record)) => Ok(ImportOutcome {
                report: batch.report,
                record,
                already_imported: false,
            }),
            Some(StoreOutcome::AlreadyImported(record)) => Ok(ImportOutcome {
                report: batch.report,
                record,
                already_imported: true,
            }),
        };
    }
    // One pass while no date is ambiguous (then the order does not matter);
    // at the first ambiguous date, decide every column from all its values
    // and read again.
    if let Some(outcome) = stream_tickets(store, &plan, options, imported_at, keep_going, true)? {
        return Ok(outcome);
    }
    plan.decide_dates()?;
    stream_tickets(store, &plan, options, imported_at, keep_going, false)?
        .ok_or(ImportError::Cancelled)
}

/// With `strict`, a file with any rejected row is refused whole.
pub(super) fn refuse_rejects(
    options: &ImportOptions,
    report: &ImportReport,
) -> Result<(), ImportError> {
    match report.rejected.first() {
        Some(first) if options.strict => Err(ImportError::RowsRejected {
            file: report.file.clone(),
            count: report.rejected.len(),
            row: first.row,
            column: first.column.clone(),
            value: first.value.clone(),
            reason: first.reason.clone(),
        }),
        _ => Ok(()),
    }
}

/// Converted rows on their way from the reading thread to the writing one.
#[derive(Default)]
pub(super) struct TicketChunk {
    pub(super) tickets: Vec<Ticket>,
    pub(super) events: Vec<TicketEvent>,
    /// Bytes of the file read so far.
    pub(super) offset: u64,
}

pub(super) const CHUNK_ROWS: usize = 8192;

/// Plain exports: one thread converts rows while this one writes them, in
/// one transaction. A later row of the same id replaces the earlier one.
pub(super) fn stream_tickets(
    store: &mut Store,
    plan: &TicketPlan<'_>,
    options: &ImportOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
    speculative: bool,
) -> Result<Option<ImportOutcome>, ImportError> {
    let table = plan.table;
    let total = table.source.text.len();
    let history = plan.has_history();
    let mut writer = store.begin_tickets(&plan.report.entry(), imported_at, history)?;
    let (send, receive) = std::sync::mpsc::sync_channel::<TicketChunk>(4);
    let (recycle, recycled) = std::sync::mpsc::channel::<TicketChunk>();
    let (read, written) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || convert_rows(plan, &send, &recycled, speculative));
        let mut written: Result<(), ImportError> = Ok(());
        for chunk in receive.iter() {
            if let Err(e) = writer.write(&chunk.tickets, &chunk.events) {
                written = Err(e.into());
                break;
            }
            if !keep_going(chunk.offset as usize, total) {
                written = Err(ImportError::Cancelled);
                break;
            }
            // The reader frees (and reuses) written chunks: this thread only writes.
            let _ = recycle.send(chunk);
        }
        // Stops the reader at its next chunk when the writer gave up.
        drop(receive);
        let read = reader.join().unwrap_or(Err(ImportError::Cancelled));
        (read, written)
    });
    written?;
    let Some(report) = read? else {
        return Ok(None);
    };
    if report.rows_read == 0 {
        return Err(ImportError::NoRows {
            file: table.file.clone(),
        });
    }
    refuse_rejects(options, &report)?;
    if !keep_going(total, total) {
        return Err(ImportError::Cancelled);
    }
    let record = writer.finish(&report.entry())?;
    Ok(Some(ImportOutcome {
        report,
        record,
        already_imported: false,
    }))
}

/// The reading side of [`stream_tickets`]: converts every row, sends them in
/// chunks, and returns the finished report. Stops when the writer hangs up.
/// `speculative`: the date orders are not decided yet; profile the timestamp
/// columns on the way and give up (`None`) at the first ambiguous date.
pub(super) fn convert_rows(
    plan: &TicketPlan<'_>,
    send: &std::sync::mpsc::SyncSender<TicketChunk>,
    recycled: &std::sync::mpsc::Receiver<TicketChunk>,
    speculative: bool,
) -> Result<Option<ImportReport>, ImportError> {
    use std::hash::BuildHasher;
    // Ids are remembered by a 64-bit hash: the store itself keeps the last row
    // of an id; this set only counts repeats for the report.
    let hasher = foldhash::quality::FixedState::with_seed(0x5ec_de5c);
    // About one row per 200 bytes: sized once instead of growing through the file.
    let mut seen: HashSet<u64, foldhash::fast::FixedState> = HashSet::with_capacity_and_hasher(
        plan.table.source.text.len() / 200,
        foldhash::fast::FixedState::default(),
    );
    let mut repeated: HashSet<u64, foldhash::fast::FixedState> = HashSet::default();
    let mut first_repeat: Option<(String, usize)> = None;
    // With comment histories: events of each ticket's latest row, by id hash.
    let mut events_of: HashMap<u64, usize, foldhash::fast::FixedState> = HashMap::default();
    let mut report = plan.report.clone();
    let mut known = KnownValues::for_format(plan.format);
    let mut fallbacks = ResolutionFallbacks::default();
    let mut chunk = TicketChunk::default();
    let mut rows_read = 0usize;
    let mut events = 0usize;
    let mut hung_up = false;
    let mut ambiguous = false;
    let mut profiles: Vec<(usize, DateColumnProfile)> = plan
        .date_cols
        .iter()
        .map(|&c| (c, DateColumnProfile::default()))
        .collect();
    let history = plan.has_history();
    let blanks = plan.table.for_each_row(|r| {
        rows_read += 1;
        if speculative {
            for (c, p) in profiles.iter_mut() {
                if let Some(v) = r.record.get(*c) {
                    p.observe(v);
                }
                if p.ambiguous > 0 && plan.forced.is_none() {
                    ambiguous = true;
                    return Err(ImportError::Cancelled);
                }
            }
        }
        let Some(row) = plan.read_row(&r, &mut report, &mut known) else {
            return Ok(());
        };
        let RowTicket {
            row: line,
            mut ticket,
            events: row_events,
            ..
        } = row;
        if history || !row_events.is_empty() {
            apply_events(&mut ticket, &row_events);
        }
        fallbacks.apply(&mut ticket);
        let key = hasher.hash_one(&ticket.ticket_id);
        if !seen.insert(key) {
            repeated.insert(key);
            if first_repeat.is_none() {
                first_repeat = Some((ticket.ticket_id.clone(), line));
            }
            if history {
                // The earlier row's events go: from this chunk here, from
                // chunks already written by the writer (it replaces a ticket's events).
                let id = &ticket.ticket_id;
                chunk.events.retain(|e| &e.ticket_id != id);
                events -= events_of.get(&key).copied().unwrap_or(0);
            }
        }
        if history {
            events_of.insert(key, row_events.len());
        }
        events += row_events.len();
        chunk.tickets.push(ticket);
        chunk.events.extend(row_events);
        if chunk.tickets.len() >= CHUNK_ROWS {
            chunk.offset = r.offset;
            let next = match recycled.try_recv() {
                Ok(mut used) => {
                    used.tickets.clear();
                    used.events.clear();
                    used
                }
                Err(_) => TicketChunk::default(),
            };
            if send.send(std::mem::replace(&mut chunk, next)).is_err() {
                hung_up = true;
                return Err(ImportError::Cancelled);
            }
        }
        Ok(())
    });
    if ambiguous {
        return Ok(None);
    }
    if hung_up {
        return Err(ImportError::Cancelled);
    }
    let blanks = blanks?;
    chunk.offset = plan.table.source.text.len() as u64;
    if send.send(chunk).is_err() {
        return Err(ImportError::Cancelled);
    }
    report.rows_read = rows_read;
    report.skipped_blank_rows = blanks;
    if let Some((id, row)) = first_repeat {
        report.duplicate_ids = repeated.len();
        report.notes.push(format!(
            "{} ticket ids appear on more than one row; the last row of each is kept (e.g. {id} again on row {row})",
            repeated.len()
        ));
    }
    fallbacks.note(&mut report);
    if speculative {
        report.date_columns = plan.describe_dates(&profiles).0;
    }
    report.records = seen.len();
    report.events = events;
    Ok(Some(report))
}

/// Reads, maps and stores a survey file in one transaction; `keep_going` is polled
/// with (responses written, responses) and cancels the import (nothing
/// stored) when it returns false.
pub fn import_survey_file(
    store: &mut Store,
    path: &std::path::Path,
    options: &SurveyOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let table = RawTable::open_as(path, &options.common.read_as)?;
    let (common, reused) = remembered_mapping(store, "surveys", &table.headers, &options.common)?;
    let options = SurveyOptions {
        common,
        ..options.clone()
    };
    let batch = read_surveys(&table, &options)?;
    let (record, already_imported) = match store.save_surveys(
        &batch.report.entry(),
        &batch.responses,
        imported_at,
        keep_going,
    )? {
        None => return Err(ImportError::Cancelled),
        Some(StoreOutcome::Stored(r)) => (r, false),
        Some(StoreOutcome::AlreadyImported(r)) => (r, true),
    };
    let mut report = batch.report;
    // Ticket references are only worth what they link to (checked on a sample).
    const SAMPLE: usize = 1000;
    let (named, linked) = store.linked_responses(record.id, SAMPLE)?;
    if named > 0 && !already_imported {
        let of = if named as usize == SAMPLE {
            format!("the first {SAMPLE}")
        } else {
            format!("the {named}")
        };
        report.notes.push(format!(
            "{linked} of {of} responses that name a ticket link to a stored ticket{}",
            if linked < named {
                " (the others count for overall and weekly CSAT only, until their tickets are imported)"
            } else {
                ""
            }
        ));
    }
    remember_mapping(
        store,
        "surveys",
        &table.headers,
        &options.common,
        reused,
        &mut report,
    )?;
    Ok(ImportOutcome {
        report,
        record,
        already_imported,
    })
}
