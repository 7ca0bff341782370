//! Satisfaction ratings inside ticket exports (Zendesk's `Satisfaction
//! Score`, Zendesk Explore's `Ticket satisfaction rating`, Freshdesk's
//! `Survey results`, GLPI's satisfaction survey, JSM's `Satisfaction
//! rating`): a ticket import also stores them as survey responses linked to
//! their ticket, read like any survey file with the rating column chosen by
//! the mapping, once (a second import of the same file adds nothing), and
//! says so in its report.

use super::mapping::TicketField;
use super::report::ImportOutcome;
use super::sniff::RawTable;
use super::surveys::{read_surveys_with, SurveyOptions};
use super::tickets::plan_ticket_mapping;
use super::ImportOptions;
use crate::error::ImportError;
use crate::model::Feed;
use crate::store::{Store, StoreOutcome};

/// Stores the ratings of a ticket file just imported (`outcome`), if its
/// mapping has a satisfaction column.
pub(super) fn store_ticket_ratings(
    store: &mut Store,
    table: &RawTable,
    options: &ImportOptions,
    imported_at: &str,
    outcome: &mut ImportOutcome,
) -> Result<(), ImportError> {
    let (_, mapping) = plan_ticket_mapping(table, options)?;
    let header = |f: TicketField| mapping.column(f).map(|c| table.headers[c].clone());
    let Some(rating) = header(TicketField::Satisfaction) else {
        return Ok(());
    };
    // When the rating was given: resolution, else closing, else last update, else creation.
    let times: Vec<usize> = [
        TicketField::ResolvedAt,
        TicketField::ClosedAt,
        TicketField::LastUpdateAt,
        TicketField::CreatedAt,
    ]
    .into_iter()
    .filter_map(|f| mapping.column(f))
    .collect();
    let (Some(id), Some(&first)) = (header(TicketField::TicketId), times.first()) else {
        return Ok(());
    };
    let time = table.headers[first].clone();
    // The dates of the rating's time read as the ticket import read them.
    let date_order = outcome
        .report
        .date_columns
        .iter()
        .find(|(h, _)| *h == time)
        .map(|(_, d)| d.order);
    let survey_options = SurveyOptions {
        common: ImportOptions {
            source: Some(outcome.report.source.clone()),
            overrides: vec![
                ("rating".to_string(), rating.clone()),
                ("ticket_id".to_string(), id.clone()),
                ("submitted_at".to_string(), time.clone()),
                ("response_key".to_string(), id),
            ],
            date_order,
            ..options.clone()
        },
        scale: None,
    };
    let mut batch = match read_surveys_with(table, &survey_options, &times[1..]) {
        Ok(b) => b,
        Err(e) => {
            outcome.report.notes.push(format!(
                "the satisfaction ratings in `{rating}` could not be read as survey responses: {e}"
            ));
            return Ok(());
        }
    };
    if batch.responses.is_empty() {
        return Ok(());
    }
    batch.report.format = format!("{}-satisfaction", outcome.report.format);
    batch.report.format_label =
        format!("satisfaction ratings of a {}", outcome.report.format_label);
    let stored = store.save_surveys(
        &batch.report.entry(),
        &batch.responses,
        imported_at,
        &mut |_, _| true,
    )?;
    let note = match stored {
        Some(StoreOutcome::Stored(r)) => format!(
            "{} satisfaction ratings in `{rating}` stored as survey responses linked to their tickets (import {}; {} tickets without a rating)",
            batch.responses.len(),
            r.id,
            batch.report.skipped_unrated_rows
        ),
        Some(StoreOutcome::AlreadyImported(r)) => format!(
            "the satisfaction ratings in `{rating}` were stored before (import {}); nothing added",
            r.id
        ),
        None => return Err(ImportError::Cancelled),
    };
    outcome.report.notes.push(note);
    outcome.report.coverage.push(Feed::fed_by("csat", rating));
    Ok(())
}
