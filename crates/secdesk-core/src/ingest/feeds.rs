//! What a ticket export can measure (docs/metrics.md, "No source, no
//! number"): per metric family, the column or events that feed it, or why
//! none does; and the `Measures` each of its tickets keeps.

use super::mapping::{ColumnMapping, TicketField};
use super::sniff::RawTable;
use crate::model::{Feed, Measures};

/// What a ticket export can measure, from its columns (and the events an
/// event log or a comment history gives), and per metric family the column
/// that feeds it or why none does.
pub(super) fn ticket_coverage(
    table: &RawTable,
    mapping: &ColumnMapping,
    events: bool,
    history: bool,
) -> (Measures, Vec<Feed>) {
    let header = |f: TicketField| mapping.column(f).map(|c| table.headers[c].clone());
    let first = |fields: &[TicketField]| fields.iter().find_map(|f| header(*f));
    let from_events = if events {
        Some("the updates of the event log".to_string())
    } else if history {
        Some("the replies in the comment history".to_string())
    } else {
        None
    };
    let feed = |family: &str, column: Option<String>, reason: &str| match column {
        Some(c) => Feed::fed_by(family, c),
        None => Feed::missing(family, reason),
    };
    let first_response = first(&[
        TicketField::FirstResponseAt,
        TicketField::FirstResponseMinutes,
        TicketField::FirstResponseHours,
    ])
    .or_else(|| from_events.clone());
    let resolution = first(&[
        TicketField::ResolvedAt,
        TicketField::ResolutionMinutes,
        TicketField::ResolutionHours,
        TicketField::ResolutionSeconds,
        TicketField::StatusChangedAt,
        TicketField::ClosedAt,
    ]);
    let reopen = header(TicketField::ReopenCount)
        .or_else(|| events.then(|| "the status changes of the event log".to_string()));
    let follow_ups = header(TicketField::FollowUps).or_else(|| from_events.clone());
    let last_update = header(TicketField::LastUpdateAt).or_else(|| from_events.clone());
    let measures = Measures {
        first_response: first_response.is_some(),
        reopens: reopen.is_some(),
        last_update: last_update.is_some(),
    };
    let feeds = vec![
        feed(
            "first_response",
            first_response,
            "no first-response column: first response, SLA breaches and excess wait show no data",
        ),
        feed(
            "resolution",
            resolution,
            "no resolution or closing time column: resolution times show no data",
        ),
        feed(
            "reopen",
            reopen,
            "no reopen count column: the reopen rate shows no data",
        ),
        feed(
            "follow_ups",
            follow_ups,
            "no follow-up (replies) count column: follow-ups show no data",
        ),
        feed(
            "last_update",
            last_update,
            "no last-update column: the silent share shows no data",
        ),
        feed(
            "pause",
            events
                .then(|| "the status changes of the event log".to_string())
                .or_else(|| {
                    first(&[TicketField::PausedMinutes, TicketField::PausedSeconds])
                }),
            "pause unknown: no status history or waiting-time column, so SLA clocks run through time waiting on the requester",
        ),
    ];
    (measures, feeds)
}
