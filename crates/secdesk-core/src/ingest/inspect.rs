//! How a file would be read, without storing anything: format, encoding,
//! delimiter, header rows, date decisions, mapping, and each column's first
//! values with what they are read as.

use serde::Serialize;

use super::options::ImportOptions;
use super::report::ImportReport;
use super::saved::{describe_overrides, remembered_mapping};
use super::sniff::RawTable;
use super::surveys::{read_surveys, survey_format_name, SurveyOptions};
use super::tickets::read_tickets;
use crate::calendar::instant_text;
use crate::error::ImportError;
use crate::model::{Instant, SurveyResponse, Ticket};
use crate::store::Store;

/// What `inspect` shows before anything is stored.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub report: ImportReport,
    /// Per column: header, the field it feeds (or "ignored"), up to 5 sample values.
    pub columns: Vec<InspectedColumn>,
    /// A field the user must choose a column for before the file can be
    /// imported (a survey's rating, never guessed), with the candidates.
    pub choose: Option<ColumnChoice>,
}

/// A column the user must choose.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ColumnChoice {
    pub field: String,
    /// Columns whose values fit (answers on a scale); any column may be chosen.
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InspectedColumn {
    pub header: String,
    pub field: String,
    /// The first values of the column, as written.
    pub samples: Vec<String>,
    /// What the field holds in the first records once read (canonical
    /// priority and status, UTC instants, numbers); empty for ignored columns.
    pub parsed: Vec<String>,
}

/// The values a field holds in the first records read.
pub(super) type ValuesOfField = Box<dyn Fn(&str) -> Vec<String>>;

/// A ticket's value of a field, as secdesk stores it.
pub(super) fn ticket_value(t: &Ticket, field: &str) -> Option<String> {
    let instant = |v: Option<Instant>| v.map(instant_text);
    let number = |v: Option<i64>| v.map(|n| n.to_string());
    match field {
        "ticket_id" => Some(t.ticket_id.clone()),
        "created_at" => instant(Some(t.created_at)),
        "first_response_at" | "first_response_minutes" | "first_response_hours" => {
            instant(t.first_response_at)
        }
        "resolved_at" | "resolution_minutes" | "resolution_hours" | "resolution_seconds" => {
            instant(t.resolved_at)
        }
        "closed_at" => instant(t.closed_at),
        "last_update_at" => instant(t.last_update_at),
        "status" => Some(t.status.as_str().to_string()),
        "priority" => t.priority.map(|p| p.as_str().to_string()),
        "category" => t.category.clone(),
        "team" => t.team.clone(),
        "assignee" => t.assignee.clone(),
        "requester" => t.requester.clone(),
        "department" => t.department.clone(),
        "channel" => t.channel.clone(),
        "reopen_count" => number(Some(t.reopen_count)),
        "follow_ups" => number(t.follow_ups),
        "affected_users" => number(Some(t.affected_users)),
        "reassignment_count" => number(t.reassignment_count),
        "knowledge" => t.knowledge.map(|k| k.to_string()),
        _ => None,
    }
}

/// A survey response's value of a field, as secdesk stores it.
pub(super) fn response_value(r: &SurveyResponse, field: &str) -> Option<String> {
    match field {
        "ticket_id" => r.ticket_id.clone(),
        "submitted_at" => Some(instant_text(r.submitted_at)),
        "rating" => Some(format!("{} ({})", r.rating, r.scale.label())),
        "comment" => r.comment.clone(),
        "respondent" => r.respondent.clone(),
        "response_key" => Some(r.response_key.clone()),
        _ => None,
    }
}

/// Detects format, encoding, delimiter, date order and mapping of a file, without storing it.
/// With a store, the mapping saved for the file's header layout applies as it
/// would on import.
pub fn inspect_file(
    path: &std::path::Path,
    surveys: bool,
    options: &ImportOptions,
    store: Option<&Store>,
) -> Result<Inspection, ImportError> {
    let table = RawTable::open_as(path, &options.read_as)?;
    let kind = if surveys { "surveys" } else { "tickets" };
    let (options, reused) = match store {
        Some(store) => remembered_mapping(store, kind, &table.headers, options)?,
        None => (options.clone(), false),
    };
    let options = &options;
    // What each field holds in the first five records, once read.
    let mut choose = None;
    let (mut report, parsed_of): (ImportReport, ValuesOfField) = if surveys {
        let read = read_surveys(
            &table,
            &SurveyOptions {
                common: options.clone(),
                scale: None,
            },
        );
        match read {
            Ok(batch) => {
                let first: Vec<SurveyResponse> = batch.responses.into_iter().take(5).collect();
                (
                    batch.report,
                    Box::new(move |field| {
                        first
                            .iter()
                            .map(|r| response_value(r, field).unwrap_or_default())
                            .collect()
                    }),
                )
            }
            // No column asks for a rating: the user picks one.
            Err(ImportError::NoRatingColumn { candidates, .. }) => {
                let mut report = ImportReport::new(&table, "surveys", options.source_zone);
                report.format = survey_format_name(&table).to_string();
                report.format_label = format!("{} survey export", report.format);
                let mut rows = 0;
                table.for_each_row(|_| {
                    rows += 1;
                    Ok(())
                })?;
                report.rows_read = rows;
                report.notes.push(
                    "no column asks for a rating or satisfaction: choose the column that holds the rating"
                        .to_string(),
                );
                report.mapping = table
                    .headers
                    .iter()
                    .map(|h| format!("{h} → (ignored)"))
                    .collect();
                choose = Some(ColumnChoice {
                    field: "rating".to_string(),
                    candidates,
                });
                (report, Box::new(|_| Vec::new()))
            }
            Err(e) => return Err(e),
        }
    } else {
        let batch = read_tickets(&table, options)?;
        let first: Vec<Ticket> = batch.tickets.into_iter().take(5).collect();
        (
            batch.report,
            Box::new(move |field| {
                first
                    .iter()
                    .map(|t| ticket_value(t, field).unwrap_or_default())
                    .collect()
            }),
        )
    };
    if reused {
        report.notes.push(format!(
            "the column mapping saved for this header layout applies: {}",
            describe_overrides(&options.overrides)
        ));
    }
    let preview = table.preview(5);
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let field = report
                .mapping
                .iter()
                .find_map(|line| line.strip_prefix(&format!("{h} → ")).map(str::to_string))
                .unwrap_or_else(|| "(ignored)".to_string());
            InspectedColumn {
                header: h.clone(),
                parsed: if field.starts_with('(') {
                    Vec::new()
                } else {
                    parsed_of(&field)
                },
                field,
                samples: preview.iter().filter_map(|r| r.get(i).cloned()).collect(),
            }
        })
        .collect();
    Ok(Inspection {
        report,
        columns,
        choose,
    })
}
