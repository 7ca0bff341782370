//! A sniffed ticket table into canonical tickets and events: format
//! detection, column mapping, per-column date order, value parsing, Jira
//! comment histories. Every row ends up converted, rejected with its
//! row/column/value/reason, or counted as skipped. Writes nothing.

use std::collections::{HashMap, HashSet};

use super::event_log::{apply_events, collapse_event_log};
use super::jira::jira_sla_notes;
use super::mapping::{normalize_header, ColumnMapping, TicketField, TicketFormat};
use super::options::ImportOptions;
use super::report::{ImportReport, RowReject};
use super::sniff::{RawRow, RawTable};
use super::timeparse::{is_missing, parse_timestamp, DateColumnProfile, DateDecision, DateOrder};
use super::values::{self, DurationUnit};
use super::vocab::vocabulary;
use crate::calendar::SourceZone;
use crate::error::ImportError;
use crate::model::{
    EventKind, Instant, Measures, Priority, Status, Ticket, TicketEvent, MS_PER_MINUTE,
};

/// The canonical content of one ticket file, ready to store.
#[derive(Debug, Clone)]
pub struct TicketBatch {
    pub source: String,
    pub tickets: Vec<Ticket>,
    pub events: Vec<TicketEvent>,
    pub report: ImportReport,
}

/// Recognises the format of a ticket table and maps its columns (no rows read).
pub fn plan_ticket_mapping(
    table: &RawTable,
    options: &ImportOptions,
) -> Result<(TicketFormat, ColumnMapping), ImportError> {
    let normalized: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    let format = TicketFormat::detect(&normalized);
    let mapping =
        ColumnMapping::for_headers(&table.file, &table.headers, format, &options.overrides)?;
    // Survey responses have an id and a time too: a file with a rating
    // question and nothing else of a ticket is refused, not stored as tickets.
    // (Survey exports often name the agent or group rated: those are not
    // signs of a ticket export.)
    let ticket_only = [
        TicketField::FirstResponseAt,
        TicketField::FirstResponseMinutes,
        TicketField::FirstResponseHours,
        TicketField::ResolvedAt,
        TicketField::ClosedAt,
        TicketField::Status,
        TicketField::Priority,
        TicketField::Category,
    ];
    if ticket_only.iter().all(|f| mapping.column(*f).is_none()) {
        let rating = normalized.iter().position(|h| {
            ["rating", "satisf", "csat", "nps", "recommend", "score"]
                .iter()
                .any(|k| h.contains(k))
        });
        if let Some(i) = rating {
            return Err(ImportError::SurveysNotTickets {
                file: table.file.clone(),
                evidence: table.headers[i].clone(),
            });
        }
    }
    Ok((format, mapping))
}

/// The mapped timestamp columns.
pub(super) fn timestamp_columns(mapping: &ColumnMapping) -> Vec<usize> {
    mapping
        .assigned
        .iter()
        .filter(|(f, _, _)| f.is_timestamp())
        .map(|(_, i, _)| *i)
        .collect()
}

/// Observes every value of the given columns (one pass over the file).
pub(super) fn profile_dates(
    table: &RawTable,
    cols: &[usize],
) -> Result<Vec<(usize, DateColumnProfile)>, ImportError> {
    let mut profiles: Vec<(usize, DateColumnProfile)> = cols
        .iter()
        .map(|&c| (c, DateColumnProfile::default()))
        .collect();
    table.for_each_row(|r| {
        for (c, p) in profiles.iter_mut() {
            if let Some(v) = r.record.get(*c) {
                p.observe(v);
            }
        }
        Ok(())
    })?;
    Ok(profiles)
}

/// Decides the date order of each column from its profile.
pub(super) fn date_decisions(
    profiles: &[(usize, DateColumnProfile)],
    hint: Option<DateOrder>,
    forced: Option<DateOrder>,
) -> HashMap<usize, DateDecision> {
    // A column without evidence follows the file's other columns before the format's hint.
    let evidence: Option<DateOrder> = profiles
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.day_first_evidence + p.month_first_evidence > 0)
        .map(|p| p.decide(None).order)
        .next();
    let mut out = HashMap::new();
    for (c, p) in profiles {
        let decision = match forced {
            Some(order) => DateDecision {
                order,
                reason: format!("{}: chosen by the user", order.as_str()),
            },
            None => p.decide(evidence.or(hint)),
        };
        out.insert(*c, decision);
    }
    out
}

/// One row's reading, before event-log collapse.
pub(super) struct RowTicket {
    pub(super) row: usize,
    pub(super) ticket: Ticket,
    pub(super) mod_count: Option<i64>,
    pub(super) updated_by: Option<String>,
    pub(super) events: Vec<TicketEvent>,
}

/// Everything decided about a ticket file before its rows are converted:
/// format, mapping, the date order of each timestamp column, the source.
pub struct TicketPlan<'a> {
    pub(super) table: &'a RawTable,
    pub format: TicketFormat,
    pub mapping: ColumnMapping,
    /// Column of each field, by `TicketField as usize`.
    pub(super) fields: [Option<usize>; TicketField::ALL.len()],
    pub(super) comment_cols: Vec<usize>,
    /// Mapped timestamp columns.
    pub(super) date_cols: Vec<usize>,
    /// Date order by column index.
    pub(super) orders: Vec<DateOrder>,
    pub(super) hint: Option<DateOrder>,
    pub(super) forced: Option<DateOrder>,
    pub(super) comment_order: DateOrder,
    pub(super) zone: SourceZone,
    pub source: String,
    /// What this export can measure, given its columns.
    pub measures: Measures,
    /// The report as far as it is known before any row is converted.
    pub report: ImportReport,
}

impl<'a> TicketPlan<'a> {
    /// Recognises the format, maps the columns and decides the date orders
    /// (one pass over the timestamp columns).
    pub fn new(
        table: &'a RawTable,
        options: &ImportOptions,
    ) -> Result<TicketPlan<'a>, ImportError> {
        let mut plan = TicketPlan::prepare(table, options)?;
        plan.decide_dates()?;
        Ok(plan)
    }

    /// Decides the date order of each timestamp column from all its values
    /// (one pass over the file).
    pub(super) fn decide_dates(&mut self) -> Result<(), ImportError> {
        let profiles = profile_dates(self.table, &self.date_cols)?;
        self.set_dates(&profiles);
        Ok(())
    }

    /// Format, mapping and source; date orders not decided yet (the format's hint).
    pub(super) fn prepare(
        table: &'a RawTable,
        options: &ImportOptions,
    ) -> Result<TicketPlan<'a>, ImportError> {
        let (format, mapping) = plan_ticket_mapping(table, options)?;
        let mut report = ImportReport::new(table, "tickets", options.source_zone);
        report.format = format.name().to_string();
        report.format_label = format.label().to_string();
        let source = options
            .source
            .clone()
            .unwrap_or_else(|| format.default_source().to_string());
        report.source = source.clone();
        report.mapping = mapping.describe();
        if format == TicketFormat::JiraServiceManagement {
            report.notes.extend(jira_sla_notes(table)?);
        }
        let hint = format.date_order_hint();
        let orders =
            vec![options.date_order.or(hint).unwrap_or(DateOrder::DayFirst); table.headers.len()];
        let mut fields = [None; TicketField::ALL.len()];
        for f in TicketField::ALL {
            fields[f as usize] = mapping.column(f);
        }
        let events = format == TicketFormat::ServiceNowEventLog
            || fields[TicketField::ModCount as usize].is_some();
        let history = !mapping.columns(TicketField::Comment).is_empty();
        let (measures, coverage) = super::feeds::ticket_coverage(table, &mapping, events, history);
        report.coverage = coverage;
        Ok(TicketPlan {
            table,
            format,
            comment_cols: mapping.columns(TicketField::Comment),
            date_cols: timestamp_columns(&mapping),
            mapping,
            fields,
            orders,
            hint,
            forced: options.date_order,
            comment_order: hint.unwrap_or(DateOrder::DayFirst),
            zone: options.source_zone,
            source,
            measures,
            report,
        })
    }

    /// The decision for each timestamp column, by header, and by column index.
    pub(super) fn describe_dates(
        &self,
        profiles: &[(usize, DateColumnProfile)],
    ) -> (Vec<(String, DateDecision)>, HashMap<usize, DateDecision>) {
        let dates = date_decisions(profiles, self.hint, self.forced);
        let mut date_columns: Vec<(String, DateDecision)> = dates
            .iter()
            .map(|(c, d)| (self.table.headers[*c].clone(), d.clone()))
            .collect();
        date_columns.sort_by(|a, b| a.0.cmp(&b.0));
        (date_columns, dates)
    }

    /// Takes the date order of each timestamp column from its profile.
    pub(super) fn set_dates(&mut self, profiles: &[(usize, DateColumnProfile)]) {
        let (date_columns, dates) = self.describe_dates(profiles);
        self.report.date_columns = date_columns;
        for (c, d) in &dates {
            if let Some(o) = self.orders.get_mut(*c) {
                *o = d.order;
            }
        }
    }

    /// Event logs (one row per update) are collapsed by id before storing.
    pub fn is_event_log(&self) -> bool {
        self.format == TicketFormat::ServiceNowEventLog
            || self.fields[TicketField::ModCount as usize].is_some()
    }

    /// Comment columns carry a ticket's history (its events replace stored ones).
    pub fn has_history(&self) -> bool {
        !self.comment_cols.is_empty()
    }

    /// Converts one data row. A row that cannot be used is recorded in `report`
    /// (rejected or skipped) and gives `None`.
    pub(super) fn read_row(
        &self,
        r: &RawRow<'_>,
        report: &mut ImportReport,
        known: &mut KnownValues,
    ) -> Option<RowTicket> {
        let table = self.table;
        let header = |c: usize| table.headers[c].clone();
        let col = |f: TicketField| self.fields[f as usize];
        let comment_cols = &self.comment_cols;
        let comment_order = self.comment_order;
        let zone = self.zone;
        let cell = |c: Option<usize>| c.and_then(|i| r.record.get(i)).unwrap_or("");
        // Required: id.
        let id_col = col(TicketField::TicketId).unwrap_or(0);
        let id_text = cell(Some(id_col));
        let Some(id) = values::ticket_id(id_text) else {
            report.rejected.push(RowReject {
                row: r.row,
                column: header(id_col),
                value: id_text.to_string(),
                reason: "missing ticket id".to_string(),
            });
            return None;
        };
        let created_col = col(TicketField::CreatedAt).unwrap_or(0);
        let created_text = cell(Some(created_col));
        if id.to_lowercase().starts_with("total") && is_missing(created_text) {
            report.skipped_total_rows.push(r.row);
            return None;
        }
        let order_of = |c: usize| self.orders.get(c).copied().unwrap_or(DateOrder::DayFirst);
        let created = match parse_timestamp(created_text, order_of(created_col), zone) {
            Ok(Some(t)) => t,
            Ok(None) => {
                report.rejected.push(RowReject {
                    row: r.row,
                    column: header(created_col),
                    value: created_text.to_string(),
                    reason: "missing creation time".to_string(),
                });
                return None;
            }
            Err(reason) => {
                report.rejected.push(RowReject {
                    row: r.row,
                    column: header(created_col),
                    value: created_text.to_string(),
                    reason,
                });
                return None;
            }
        };
        let optional_time = |f: TicketField, report: &mut ImportReport| -> Option<Instant> {
            let c = col(f)?;
            let text = cell(Some(c));
            match parse_timestamp(text, order_of(c), zone) {
                Ok(v) => v,
                Err(reason) => {
                    report.warn(&header(c), r.row, text, &reason);
                    None
                }
            }
        };
        let first_response_at = optional_time(TicketField::FirstResponseAt, report);
        let resolved_at = optional_time(TicketField::ResolvedAt, report);
        let closed_at = optional_time(TicketField::ClosedAt, report);
        let last_update_at = optional_time(TicketField::LastUpdateAt, report);

        let status_text = cell(col(TicketField::Status));
        let status = match known.status(status_text) {
            Some(s) => s,
            None => {
                let derived = if closed_at.is_some() {
                    Status::Closed
                } else if resolved_at.is_some() {
                    Status::Resolved
                } else {
                    Status::Open
                };
                if let Some(c) = col(TicketField::Status) {
                    if !is_missing(status_text) {
                        report.warn(
                            &header(c),
                            r.row,
                            status_text,
                            "status not recognised; taken from the timestamps",
                        );
                    }
                }
                derived
            }
        };
        let mut t = Ticket::new(id.clone(), created, status);
        t.measures = self.measures;
        t.status_raw = if is_missing(status_text) {
            String::new()
        } else {
            status_text.trim().to_string()
        };
        t.first_response_at = first_response_at;
        t.resolved_at = resolved_at;
        t.closed_at = closed_at;
        t.last_update_at = last_update_at;
        if t.first_response_at.is_none() {
            for (f, unit) in [
                (TicketField::FirstResponseMinutes, DurationUnit::Minutes),
                (TicketField::FirstResponseHours, DurationUnit::Hours),
            ] {
                if let Some(c) = col(f) {
                    let text = cell(Some(c));
                    if values::is_placeholder_duration(text) {
                        report.warn(
                            &header(c),
                            r.row,
                            text,
                            "a zero duration written as a clock is the tool's placeholder for no response: read as no value",
                        );
                        continue;
                    }
                    match values::duration_minutes(text, unit) {
                        Ok(Some(m)) if m >= 0.0 => {
                            t.first_response_at =
                                Some(created + (m * MS_PER_MINUTE as f64).round() as i64);
                            break;
                        }
                        Ok(Some(_)) => {
                            report.warn(&header(c), r.row, text, "negative duration ignored")
                        }
                        Ok(None) => {}
                        Err(reason) => report.warn(&header(c), r.row, text, &reason),
                    }
                }
            }
        }
        // A done ticket without a resolution time: when its status last
        // changed category (Jira: to done), else its resolution duration
        // (ServiceNow's `calendar_duration`, Zendesk's full resolution time).
        if t.status.is_done() && t.resolved_at.is_none() {
            t.resolved_at = optional_time(TicketField::StatusChangedAt, report);
        }
        if t.status.is_done() && t.resolved_at.is_none() {
            for (f, unit) in [
                (TicketField::ResolutionMinutes, DurationUnit::Minutes),
                (TicketField::ResolutionHours, DurationUnit::Hours),
                (TicketField::ResolutionSeconds, DurationUnit::Seconds),
            ] {
                let Some(c) = col(f) else { continue };
                let text = cell(Some(c));
                if values::is_placeholder_duration(text) {
                    continue;
                }
                match values::duration_minutes(text, unit) {
                    Ok(Some(m)) if m > 0.0 => {
                        t.resolved_at = Some(created + (m * MS_PER_MINUTE as f64).round() as i64);
                        break;
                    }
                    Ok(_) => {}
                    Err(reason) => report.warn(&header(c), r.row, text, &reason),
                }
            }
        }
        // The total time the ticket waited on its requester, where a vendor
        // column gives it (no time of day: calendar resolution clocks only).
        for (f, unit) in [
            (TicketField::PausedMinutes, DurationUnit::Minutes),
            (TicketField::PausedSeconds, DurationUnit::Seconds),
        ] {
            let Some(c) = col(f) else { continue };
            let text = cell(Some(c));
            match values::duration_minutes(text, unit) {
                Ok(Some(m)) if m >= 0.0 => {
                    t.paused_ms = Some((m * MS_PER_MINUTE as f64).round() as i64);
                    break;
                }
                Ok(Some(_)) => report.warn(&header(c), r.row, text, "negative duration ignored"),
                Ok(None) => {}
                Err(reason) => report.warn(&header(c), r.row, text, &reason),
            }
        }
        let priority_text = cell(col(TicketField::Priority));
        if !is_missing(priority_text) {
            t.priority_raw = Some(priority_text.trim().to_string());
            t.priority = known.priority(priority_text);
            if t.priority.is_none() {
                if let Some(c) = col(TicketField::Priority) {
                    report.warn(
                        &header(c),
                        r.row,
                        priority_text,
                        "priority not recognised; treated as unknown",
                    );
                }
            }
        }
        let text_of = |f: TicketField| {
            let v = cell(col(f));
            (!is_missing(v)).then(|| values::text(v))
        };
        t.category = text_of(TicketField::Category);
        t.team = text_of(TicketField::Team);
        t.assignee = text_of(TicketField::Assignee);
        t.requester = text_of(TicketField::Requester);
        t.department = text_of(TicketField::Department);
        t.channel = text_of(TicketField::Channel);
        let count_of = |f: TicketField, report: &mut ImportReport| -> Option<i64> {
            let c = col(f)?;
            let text = cell(Some(c));
            match values::count(text) {
                Ok(v) => v,
                Err(reason) => {
                    report.warn(&header(c), r.row, text, &reason);
                    None
                }
            }
        };
        t.reopen_count = count_of(TicketField::ReopenCount, report).unwrap_or(0);
        t.follow_ups = count_of(TicketField::FollowUps, report);
        t.affected_users = count_of(TicketField::AffectedUsers, report)
            .unwrap_or(1)
            .max(1);
        t.reassignment_count = count_of(TicketField::ReassignmentCount, report);
        let mod_count = count_of(TicketField::ModCount, report);
        if let Some(c) = col(TicketField::Knowledge) {
            let text = cell(Some(c));
            if !is_missing(text) {
                t.knowledge = values::boolean(text);
                if t.knowledge.is_none() {
                    report.warn(&header(c), r.row, text, "not a yes/no value");
                }
            }
        }
        // Jira comments: `date;author;body`, public replies unless by the requester.
        let mut events = Vec::new();
        for &c in comment_cols {
            let text = cell(Some(c));
            if is_missing(text) {
                continue;
            }
            let mut parts = text.splitn(3, ';');
            let (Some(date), Some(author)) = (parts.next(), parts.next()) else {
                report.warn(&header(c), r.row, text, "comment is not `date;author;body`");
                continue;
            };
            match parse_timestamp(date, comment_order, zone) {
                Ok(Some(at)) => {
                    let author = author.trim().to_string();
                    let by_requester = t.requester.as_deref().is_some_and(|req| req == author);
                    events.push(TicketEvent {
                        ticket_id: id.clone(),
                        at,
                        kind: if by_requester {
                            EventKind::Note
                        } else {
                            EventKind::Reply
                        },
                        actor: (!author.is_empty()).then_some(author),
                        status: None,
                    });
                }
                _ => report.warn(&header(c), r.row, text, "comment date not readable"),
            }
        }
        Some(RowTicket {
            row: r.row,
            ticket: t,
            mod_count,
            updated_by: text_of(TicketField::UpdatedBy),
            events,
        })
    }
}

/// Statuses and priorities already read: a column holds a handful of distinct texts.
#[derive(Default)]
pub(super) struct KnownValues {
    /// The tool whose words are looked up first.
    pub(super) tool: Option<&'static str>,
    pub(super) status: HashMap<String, Option<Status>>,
    pub(super) priority: HashMap<String, Option<Priority>>,
}

impl KnownValues {
    /// Values read with `format`'s own words first.
    pub(super) fn for_format(format: TicketFormat) -> KnownValues {
        KnownValues {
            tool: format.tool(),
            ..KnownValues::default()
        }
    }

    /// A free-text column is not worth remembering past this many texts.
    const MAX: usize = 4096;

    pub(super) fn status(&mut self, text: &str) -> Option<Status> {
        if let Some(v) = self.status.get(text) {
            return *v;
        }
        let v = vocabulary()
            .status(self.tool, text)
            .or_else(|| values::status(text));
        if self.status.len() < KnownValues::MAX {
            self.status.insert(text.to_string(), v);
        }
        v
    }

    pub(super) fn priority(&mut self, text: &str) -> Option<Priority> {
        if let Some(v) = self.priority.get(text) {
            return *v;
        }
        let v = vocabulary()
            .priority(self.tool, text)
            .or_else(|| values::priority(text));
        if self.priority.len() < KnownValues::MAX {
            self.priority.insert(text.to_string(), v);
        }
        v
    }
}

/// Where a done ticket without a resolution time got one from.
#[derive(Default)]
pub(super) struct ResolutionFallbacks {
    pub(super) from_other_time: usize,
    pub(super) unknown: usize,
}

impl ResolutionFallbacks {
    /// A resolved/closed ticket without a resolution time takes its closing
    /// time. Its last update is not one: a note or a survey after closing
    /// moves it, and the coverage names no column for it ("No source, no
    /// number"), so such a ticket counts as done, not in resolution times.
    pub(super) fn apply(&mut self, t: &mut Ticket) {
        if t.status.is_done() && t.resolved_at.is_none() {
            match t.closed_at {
                Some(at) => {
                    t.resolved_at = Some(at);
                    self.from_other_time += 1;
                }
                None => self.unknown += 1,
            }
        }
    }

    pub(super) fn note(&self, report: &mut ImportReport) {
        if self.unknown > 0 {
            report.notes.push(format!(
                "{} resolved/closed tickets carry no resolution or closing time: they count as done, not in resolution times",
                self.unknown
            ));
        }
        if self.from_other_time > 0 {
            report.notes.push(format!(
                "{} resolved/closed tickets had no resolution time; their closing time was used",
                self.from_other_time
            ));
        }
    }
}

/// Reads a ticket table into canonical tickets and events (all in memory).
pub fn read_tickets(table: &RawTable, options: &ImportOptions) -> Result<TicketBatch, ImportError> {
    read_planned(TicketPlan::new(table, options)?)
}

/// Reads every row of a planned table (date orders decided).
pub(super) fn read_planned(plan: TicketPlan<'_>) -> Result<TicketBatch, ImportError> {
    let table = plan.table;
    let mut report = plan.report.clone();
    let mut known = KnownValues::for_format(plan.format);
    let mut rows: Vec<RowTicket> = Vec::new();
    let mut rows_read = 0usize;
    let blanks = table.for_each_row(|r| {
        rows_read += 1;
        if let Some(t) = plan.read_row(&r, &mut report, &mut known) {
            rows.push(t);
        }
        Ok(())
    })?;
    report.rows_read = rows_read;
    report.skipped_blank_rows = blanks;
    if rows_read == 0 {
        return Err(ImportError::NoRows {
            file: table.file.clone(),
        });
    }
    // A ServiceNow incident table has the event log's columns but one row per
    // incident: nothing to collapse, and no updates to count as follow-ups.
    let one_row_each = plan.is_event_log() && {
        let mut seen = HashSet::with_capacity(rows.len());
        rows.iter()
            .all(|r| seen.insert(r.ticket.ticket_id.as_str()))
    };
    if one_row_each && plan.format == TicketFormat::ServiceNowEventLog {
        report.format = TicketFormat::ServiceNowIncident.name().to_string();
        report.format_label = TicketFormat::ServiceNowIncident.label().to_string();
    }
    let (mut tickets, events) = if plan.is_event_log() && !one_row_each {
        collapse_event_log(rows, &mut report)
    } else {
        keep_last_per_id(rows, plan.has_history(), &mut report)
    };
    let mut fallbacks = ResolutionFallbacks::default();
    for t in &mut tickets {
        fallbacks.apply(t);
    }
    fallbacks.note(&mut report);
    report.records = tickets.len();
    report.events = events.len();
    Ok(TicketBatch {
        source: plan.source,
        tickets,
        events,
        report,
    })
}

pub(super) fn keep_last_per_id(
    rows: Vec<RowTicket>,
    has_history: bool,
    report: &mut ImportReport,
) -> (Vec<Ticket>, Vec<TicketEvent>) {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    let mut out: Vec<(Ticket, Vec<TicketEvent>)> = Vec::with_capacity(rows.len());
    let mut duplicates: Vec<(String, usize)> = Vec::new();
    for r in rows {
        match index.get(&r.ticket.ticket_id) {
            Some(&i) => {
                duplicates.push((r.ticket.ticket_id.clone(), r.row));
                out[i] = (r.ticket, r.events);
            }
            None => {
                index.insert(r.ticket.ticket_id.clone(), out.len());
                out.push((r.ticket, r.events));
            }
        }
    }
    if !duplicates.is_empty() {
        let distinct: HashSet<&String> = duplicates.iter().map(|(id, _)| id).collect();
        report.duplicate_ids = distinct.len();
        let (id, row) = &duplicates[0];
        report.notes.push(format!(
            "{} ticket ids appear on more than one row; the last row of each is kept (e.g. {id} again on row {row})",
            distinct.len()
        ));
    }
    let mut events = Vec::new();
    let tickets = out
        .into_iter()
        .map(|(mut t, ev)| {
            if has_history || !ev.is_empty() {
                apply_events(&mut t, &ev);
                events.extend(ev);
            }
            t
        })
        .collect();
    (tickets, events)
}
