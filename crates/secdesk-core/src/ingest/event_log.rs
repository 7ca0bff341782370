//! Tickets from histories: reply events give first response, follow-ups and
//! last update; an event log (one row per update) collapses into one ticket
//! per id, every update row an event, a reopen where the status leaves
//! resolved/closed.

use std::collections::HashMap;

use super::report::ImportReport;
use super::tickets::RowTicket;
use crate::model::{EventKind, Instant, Status, Ticket, TicketEvent};

/// Derives first response, follow-ups and last update from reply events.
pub(super) fn apply_events(t: &mut Ticket, events: &[TicketEvent]) {
    let replies: Vec<Instant> = events
        .iter()
        .filter(|e| e.kind == EventKind::Reply && e.at >= t.created_at)
        .map(|e| e.at)
        .collect();
    t.follow_ups = Some(replies.len() as i64);
    t.first_response_at = replies.iter().copied().min().or(t.first_response_at);
    if let Some(last) = replies.iter().copied().max() {
        t.last_update_at = Some(last);
    }
    let reopens = events
        .iter()
        .filter(|e| e.kind == EventKind::Reopen)
        .count() as i64;
    t.reopen_count = t.reopen_count.max(reopens);
}

/// One ticket per id from an event log: the latest row gives the fields, every
/// update row becomes an event (a reopen where the status leaves resolved/closed).
pub(super) fn collapse_event_log(
    rows: Vec<RowTicket>,
    report: &mut ImportReport,
) -> (Vec<Ticket>, Vec<TicketEvent>) {
    let mut groups: Vec<Vec<RowTicket>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in rows {
        match index.get(&r.ticket.ticket_id) {
            Some(&i) => groups[i].push(r),
            None => {
                index.insert(r.ticket.ticket_id.clone(), groups.len());
                groups.push(vec![r]);
            }
        }
    }
    let update_rows: usize = groups.iter().map(Vec::len).sum();
    report.notes.push(format!(
        "event log: {update_rows} rows collapsed into {} tickets; each update after creation counts as a follow-up",
        groups.len()
    ));
    let mut tickets = Vec::with_capacity(groups.len());
    let mut events = Vec::new();
    for mut g in groups {
        g.sort_by_key(|r| {
            (
                r.mod_count.unwrap_or(0),
                r.ticket.last_update_at.unwrap_or(0),
                r.row,
            )
        });
        let mut ticket_events = Vec::new();
        let mut prev_status: Option<Status> = None;
        let mut max_reopen = 0;
        let mut last_resolved: Option<Instant> = None;
        for (i, r) in g.iter().enumerate() {
            let is_update = match r.mod_count {
                Some(m) => m > 0,
                None => i > 0,
            };
            max_reopen = max_reopen.max(r.ticket.reopen_count);
            if r.ticket.status == Status::Resolved && prev_status != Some(Status::Resolved) {
                last_resolved = r.ticket.last_update_at.or(last_resolved);
            }
            // A status the ticket moved to (its first row: the status it was
            // created in), kept so that time waiting on the requester can
            // pause SLA clocks.
            if prev_status != Some(r.ticket.status) {
                let at = if !is_update {
                    Some(r.ticket.created_at)
                } else {
                    r.ticket.last_update_at
                };
                if let Some(at) = at {
                    ticket_events.push(TicketEvent {
                        ticket_id: r.ticket.ticket_id.clone(),
                        at,
                        kind: EventKind::Status,
                        actor: r.updated_by.clone(),
                        status: Some(r.ticket.status),
                    });
                }
            }
            if is_update {
                if let Some(at) = r.ticket.last_update_at {
                    let reopened =
                        prev_status.is_some_and(Status::is_done) && !r.ticket.status.is_done();
                    ticket_events.push(TicketEvent {
                        ticket_id: r.ticket.ticket_id.clone(),
                        at,
                        kind: EventKind::Reply,
                        actor: r.updated_by.clone(),
                        status: None,
                    });
                    if reopened {
                        ticket_events.push(TicketEvent {
                            ticket_id: r.ticket.ticket_id.clone(),
                            at,
                            kind: EventKind::Reopen,
                            actor: r.updated_by.clone(),
                            status: None,
                        });
                    }
                }
            }
            prev_status = Some(r.ticket.status);
        }
        let last = g.pop().map(|r| r.ticket);
        let Some(mut t) = last else { continue };
        t.reopen_count = max_reopen;
        if t.status.is_done() && t.resolved_at.is_none() {
            t.resolved_at = last_resolved;
        }
        t.first_response_at = None;
        t.last_update_at = None;
        apply_events(&mut t, &ticket_events);
        tickets.push(t);
        events.extend(ticket_events);
    }
    (tickets, events)
}
