//! Turning a sniffed ticket file into canonical tickets and events: format
//! detection, column mapping, per-column date order, value parsing, event-log
//! collapse and Jira comment histories. Every row ends up stored, rejected with
//! its row/column/value/reason, or counted as skipped. Writes nothing to disk.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::error::ImportError;
use crate::mapping::{normalize_header, ColumnMapping, TicketField, TicketFormat};
use crate::model::{EventKind, Instant, Status, Ticket, TicketEvent, MS_PER_MINUTE};
use crate::sniff::{RawRow, RawTable};
use crate::timeparse::{
    is_missing, parse_timestamp, DateColumnProfile, DateDecision, DateOrder, SourceZone,
};
use crate::values::{self, DurationUnit};

/// What the user chose for an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The source tickets are keyed by (default: the detected tool).
    pub source: Option<String>,
    /// Time zone of timestamps without offset.
    pub source_zone: SourceZone,
    /// `field=Header` overrides.
    pub overrides: Vec<(String, String)>,
    /// Forces the day/month order of every ambiguous date column.
    pub date_order: Option<DateOrder>,
    /// Refuse the whole file when any row would be rejected.
    pub strict: bool,
    /// Encoding and delimiter, when detection got them wrong.
    pub read_as: crate::sniff::ReadAs,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            source: None,
            source_zone: SourceZone::Utc,
            overrides: Vec::new(),
            date_order: None,
            strict: false,
            read_as: crate::sniff::ReadAs::default(),
        }
    }
}

/// A row that was not stored, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RowReject {
    /// Row number as a spreadsheet shows it (header = 1).
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A value that could not be read in an optional column: the row was stored without it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueWarning {
    pub column: String,
    pub count: usize,
    /// The first example: row, value, reason.
    pub example_row: usize,
    pub example_value: String,
    pub reason: String,
}

/// Everything an import decided and found, shown to the user and stored with it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub kind: &'static str,
    pub format: String,
    pub format_label: String,
    pub source: String,
    pub encoding: String,
    pub delimiter: String,
    pub header_rows: usize,
    pub preamble_rows: usize,
    pub sha256: String,
    pub mapping: Vec<String>,
    /// (header, decision) for every timestamp column.
    pub date_columns: Vec<(String, DateDecision)>,
    pub source_time_zone: String,
    /// Data rows read (blank rows excluded).
    pub rows_read: usize,
    /// Canonical records produced (tickets, or survey responses).
    pub records: usize,
    pub events: usize,
    pub rejected: Vec<RowReject>,
    pub skipped_blank_rows: usize,
    /// Totals/summary rows at the bottom, skipped.
    pub skipped_total_rows: Vec<usize>,
    /// Rows that were not ratings (`offered`, `unoffered`, unanswered), skipped.
    pub skipped_unrated_rows: usize,
    /// Ids that appeared on several rows: the last row wins.
    pub duplicate_ids: usize,
    pub warnings: Vec<ValueWarning>,
    pub notes: Vec<String>,
}

impl ImportReport {
    pub(crate) fn new(table: &RawTable, kind: &'static str, zone: SourceZone) -> ImportReport {
        ImportReport {
            file: table.file.clone(),
            kind,
            format: String::new(),
            format_label: String::new(),
            source: String::new(),
            encoding: table.source.encoding.to_string(),
            delimiter: table.layout.delimiter_name().to_string(),
            header_rows: table.layout.header_rows,
            preamble_rows: table.layout.preamble_rows,
            sha256: table.source.sha256.clone(),
            mapping: Vec::new(),
            date_columns: Vec::new(),
            source_time_zone: zone.name(),
            rows_read: 0,
            records: 0,
            events: 0,
            rejected: Vec::new(),
            skipped_blank_rows: 0,
            skipped_total_rows: Vec::new(),
            skipped_unrated_rows: 0,
            duplicate_ids: 0,
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, column: &str, row: usize, value: &str, reason: &str) {
        if let Some(w) = self
            .warnings
            .iter_mut()
            .find(|w| w.column == column && w.reason == reason)
        {
            w.count += 1;
            return;
        }
        self.warnings.push(ValueWarning {
            column: column.to_string(),
            count: 1,
            example_row: row,
            example_value: value.to_string(),
            reason: reason.to_string(),
        });
    }
}

/// The canonical content of one ticket file, ready to store.
#[derive(Debug, Clone)]
pub struct TicketBatch {
    pub source: String,
    pub tickets: Vec<Ticket>,
    pub events: Vec<TicketEvent>,
    pub report: ImportReport,
}

/// Jira's own SLA columns (`Custom field (Time to first response)`, `… (Time
/// to resolution)`) hold the time left as `h:mm`, negative when breached.
/// secdesk measures breaches against its own targets; what Jira says is
/// reported beside them, per column: breached, met and empty cells.
fn jira_sla_notes(table: &RawTable) -> Result<Vec<String>, ImportError> {
    let columns: Vec<(usize, &str)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let n = normalize_header(h);
            if n == "customfieldtimetofirstresponse" {
                Some((i, "time to first response"))
            } else if n == "customfieldtimetoresolution" {
                Some((i, "time to resolution"))
            } else {
                None
            }
        })
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    // (breached, met, unreadable) per column.
    let mut counts = vec![(0usize, 0usize, 0usize); columns.len()];
    table.for_each_row(|r| {
        for (k, (i, _)) in columns.iter().enumerate() {
            let cell = r.record.get(*i).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            match signed_hours_minutes(cell) {
                Some(m) if m < 0 => counts[k].0 += 1,
                Some(_) => counts[k].1 += 1,
                None => counts[k].2 += 1,
            }
        }
        Ok(())
    })?;
    Ok(columns
        .iter()
        .zip(counts)
        .filter(|(_, (b, m, u))| b + m + u > 0)
        .map(|((_, name), (breached, met, unreadable))| {
            let odd = if unreadable > 0 {
                format!(", {unreadable} not h:mm")
            } else {
                String::new()
            };
            format!(
                "Jira's own {name} SLA: {breached} breached (negative h:mm), {met} within{odd}; secdesk's breach rate uses its own targets"
            )
        })
        .collect())
}

/// `h:mm` or `-h:mm` as signed minutes.
fn signed_hours_minutes(cell: &str) -> Option<i64> {
    let (negative, rest) = match cell.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, cell),
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i64, i64) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if !(0..60).contains(&m) || h < 0 {
        return None;
    }
    let minutes = h * 60 + m;
    Some(if negative { -minutes } else { minutes })
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
fn timestamp_columns(mapping: &ColumnMapping) -> Vec<usize> {
    mapping
        .assigned
        .iter()
        .filter(|(f, _, _)| f.is_timestamp())
        .map(|(_, i, _)| *i)
        .collect()
}

/// Observes every value of the given columns (one pass over the file).
fn profile_dates(
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
fn date_decisions(
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
struct RowTicket {
    row: usize,
    ticket: Ticket,
    mod_count: Option<i64>,
    updated_by: Option<String>,
    events: Vec<TicketEvent>,
}

/// Everything decided about a ticket file before its rows are converted:
/// format, mapping, the date order of each timestamp column, the source.
pub struct TicketPlan<'a> {
    table: &'a RawTable,
    pub format: TicketFormat,
    pub mapping: ColumnMapping,
    /// Column of each field, by `TicketField as usize`.
    fields: [Option<usize>; TicketField::ALL.len()],
    comment_cols: Vec<usize>,
    /// Mapped timestamp columns.
    date_cols: Vec<usize>,
    /// Date order by column index.
    orders: Vec<DateOrder>,
    hint: Option<DateOrder>,
    forced: Option<DateOrder>,
    comment_order: DateOrder,
    zone: SourceZone,
    pub source: String,
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
    fn decide_dates(&mut self) -> Result<(), ImportError> {
        let profiles = profile_dates(self.table, &self.date_cols)?;
        self.set_dates(&profiles);
        Ok(())
    }

    /// Format, mapping and source; date orders not decided yet (the format's hint).
    fn prepare(
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
            report,
        })
    }

    /// The decision for each timestamp column, by header, and by column index.
    fn describe_dates(
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
    fn set_dates(&mut self, profiles: &[(usize, DateColumnProfile)]) {
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
    fn read_row(
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
            (!is_missing(v)).then(|| v.trim().to_string())
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
struct KnownValues {
    status: HashMap<String, Option<Status>>,
    priority: HashMap<String, Option<crate::model::Priority>>,
}

impl KnownValues {
    /// A free-text column is not worth remembering past this many texts.
    const MAX: usize = 4096;

    fn status(&mut self, text: &str) -> Option<Status> {
        if let Some(v) = self.status.get(text) {
            return *v;
        }
        let v = values::status(text);
        if self.status.len() < KnownValues::MAX {
            self.status.insert(text.to_string(), v);
        }
        v
    }

    fn priority(&mut self, text: &str) -> Option<crate::model::Priority> {
        if let Some(v) = self.priority.get(text) {
            return *v;
        }
        let v = values::priority(text);
        if self.priority.len() < KnownValues::MAX {
            self.priority.insert(text.to_string(), v);
        }
        v
    }
}

/// Where a done ticket without a resolution time got one from.
#[derive(Default)]
struct ResolutionFallbacks {
    from_other_time: usize,
    unknown: usize,
}

impl ResolutionFallbacks {
    /// A resolved/closed ticket without a resolution time takes its closing
    /// time, else its last update.
    fn apply(&mut self, t: &mut Ticket) {
        if t.status.is_done() && t.resolved_at.is_none() {
            match t.closed_at.or(t.last_update_at) {
                Some(at) => {
                    t.resolved_at = Some(at);
                    self.from_other_time += 1;
                }
                None => self.unknown += 1,
            }
        }
    }

    fn note(&self, report: &mut ImportReport) {
        if self.unknown > 0 {
            report.notes.push(format!(
                "{} resolved/closed tickets carry no resolution, closing or update time: they count as done, not in resolution times",
                self.unknown
            ));
        }
        if self.from_other_time > 0 {
            report.notes.push(format!(
                "{} resolved/closed tickets had no resolution time; their closing (or last update) time was used",
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
fn read_planned(plan: TicketPlan<'_>) -> Result<TicketBatch, ImportError> {
    let table = plan.table;
    let mut report = plan.report.clone();
    let mut known = KnownValues::default();
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

/// Derives first response, follow-ups and last update from reply events.
fn apply_events(t: &mut Ticket, events: &[TicketEvent]) {
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

fn keep_last_per_id(
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

/// One ticket per id from an event log: the latest row gives the fields, every
/// update row becomes an event (a reopen where the status leaves resolved/closed).
fn collapse_event_log(
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
            if is_update {
                if let Some(at) = r.ticket.last_update_at {
                    let reopened =
                        prev_status.is_some_and(Status::is_done) && !r.ticket.status.is_done();
                    ticket_events.push(TicketEvent {
                        ticket_id: r.ticket.ticket_id.clone(),
                        at,
                        kind: EventKind::Reply,
                        actor: r.updated_by.clone(),
                    });
                    if reopened {
                        ticket_events.push(TicketEvent {
                            ticket_id: r.ticket.ticket_id.clone(),
                            at,
                            kind: EventKind::Reopen,
                            actor: r.updated_by.clone(),
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

/// What happened to a file given to `import`.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub report: ImportReport,
    /// The stored import, or the earlier import of the same file.
    pub record: crate::store::ImportRecord,
    /// True when the same file had been imported before and nothing changed.
    pub already_imported: bool,
}

/// Reads, maps and stores a ticket file in one transaction. `keep_going` is
/// polled with (done, total) — bytes of the file for plain exports, tickets
/// for event logs — and cancels the import (nothing stored) when it returns false.
///
/// Without `--map` overrides, the mapping last confirmed for the same header
/// layout is used (and said in the report's notes); overrides that were given
/// are saved for that layout once the import succeeds.
pub fn import_ticket_file(
    store: &mut crate::store::Store,
    path: &std::path::Path,
    options: &ImportOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let table = RawTable::open_as(path, options.read_as)?;
    let (options, reused) = remembered_mapping(store, "tickets", &table.headers, options)?;
    let mut outcome = import_ticket_table(store, &table, &options, imported_at, keep_going)?;
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

/// The settings key of the mapping saved for a kind of file and a header layout.
pub fn layout_key(kind: &str, headers: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for header in headers {
        h.update(normalize_header(header).as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("mapping.{kind}.{hex}")
}

/// The options with the mapping saved for this layout when none was given;
/// and whether a saved one was used.
pub fn remembered_mapping(
    store: &crate::store::Store,
    kind: &str,
    headers: &[String],
    options: &ImportOptions,
) -> Result<(ImportOptions, bool), ImportError> {
    if !options.overrides.is_empty() {
        return Ok((options.clone(), false));
    }
    let Some(saved) = store.setting(&layout_key(kind, headers))? else {
        return Ok((options.clone(), false));
    };
    let overrides: Vec<(String, String)> = serde_json::from_str(&saved).unwrap_or_default();
    let reused = !overrides.is_empty();
    Ok((
        ImportOptions {
            overrides,
            ..options.clone()
        },
        reused,
    ))
}

/// `field=Header, …`, as the user would type them.
fn describe_overrides(overrides: &[(String, String)]) -> String {
    overrides
        .iter()
        .map(|(f, h)| format!("{f}={h}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn remember_mapping(
    store: &crate::store::Store,
    kind: &str,
    headers: &[String],
    options: &ImportOptions,
    reused: bool,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let described = describe_overrides(&options.overrides);
    if reused {
        report.notes.push(format!(
            "the column mapping saved for this header layout was used: {described}"
        ));
    } else if !options.overrides.is_empty() {
        let text = serde_json::to_string(&options.overrides).unwrap_or_default();
        store.set_setting(&layout_key(kind, headers), &text)?;
        report.notes.push(format!(
            "column mapping saved for files with these headers: {described}"
        ));
    }
    Ok(())
}

fn import_ticket_table(
    store: &mut crate::store::Store,
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
        return match store.save_tickets(&batch, imported_at, keep_going)? {
            None => Err(ImportError::Cancelled),
            Some(crate::store::StoreOutcome::Stored(record)) => Ok(ImportOutcome {
                report: batch.report,
                record,
                already_imported: false,
            }),
            Some(crate::store::StoreOutcome::AlreadyImported(record)) => Ok(ImportOutcome {
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
fn refuse_rejects(options: &ImportOptions, report: &ImportReport) -> Result<(), ImportError> {
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
struct TicketChunk {
    tickets: Vec<Ticket>,
    events: Vec<TicketEvent>,
    /// Bytes of the file read so far.
    offset: u64,
}

const CHUNK_ROWS: usize = 8192;

/// Plain exports: one thread converts rows while this one writes them, in
/// one transaction. A later row of the same id replaces the earlier one.
fn stream_tickets(
    store: &mut crate::store::Store,
    plan: &TicketPlan<'_>,
    options: &ImportOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
    speculative: bool,
) -> Result<Option<ImportOutcome>, ImportError> {
    let table = plan.table;
    let total = table.source.text.len();
    let history = plan.has_history();
    let mut writer = store.begin_tickets(&plan.report, &plan.source, imported_at, history)?;
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
    let record = writer.finish(&report)?;
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
fn convert_rows(
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
    let mut known = KnownValues::default();
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
    store: &mut crate::store::Store,
    path: &std::path::Path,
    options: &crate::survey::SurveyOptions,
    imported_at: &str,
    keep_going: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportOutcome, ImportError> {
    let table = RawTable::open_as(path, options.common.read_as)?;
    let (common, reused) = remembered_mapping(store, "surveys", &table.headers, &options.common)?;
    let options = crate::survey::SurveyOptions {
        common,
        ..options.clone()
    };
    let batch = crate::survey::read_surveys(&table, &options)?;
    let (record, already_imported) = match store.save_surveys(&batch, imported_at, keep_going)? {
        None => return Err(ImportError::Cancelled),
        Some(crate::store::StoreOutcome::Stored(r)) => (r, false),
        Some(crate::store::StoreOutcome::AlreadyImported(r)) => (r, true),
    };
    let mut report = batch.report;
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

/// Writes rejected rows as CSV (row, column, value, reason).
pub fn write_rejects(path: &std::path::Path, rejects: &[RowReject]) -> Result<(), ImportError> {
    let io = |e: String| ImportError::Io {
        file: path.display().to_string(),
        message: e,
    };
    let mut w = csv::Writer::from_path(path).map_err(|e| io(e.to_string()))?;
    w.write_record(["row", "column", "value", "reason"])
        .map_err(|e| io(e.to_string()))?;
    for r in rejects {
        w.write_record([
            r.row.to_string(),
            r.column.clone(),
            r.value.clone(),
            r.reason.clone(),
        ])
        .map_err(|e| io(e.to_string()))?;
    }
    w.flush().map_err(|e| io(e.to_string()))
}

/// What `inspect` shows before anything is stored.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub report: ImportReport,
    /// Per column: header, the field it feeds (or "ignored"), up to 5 sample values.
    pub columns: Vec<InspectedColumn>,
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
type ValuesOfField = Box<dyn Fn(&str) -> Vec<String>>;

/// A ticket's value of a field, as secdesk stores it.
fn ticket_value(t: &Ticket, field: &str) -> Option<String> {
    let instant = |v: Option<Instant>| v.map(crate::json::instant_text);
    let number = |v: Option<i64>| v.map(|n| n.to_string());
    match field {
        "ticket_id" => Some(t.ticket_id.clone()),
        "created_at" => instant(Some(t.created_at)),
        "first_response_at" | "first_response_minutes" | "first_response_hours" => {
            instant(t.first_response_at)
        }
        "resolved_at" => instant(t.resolved_at),
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
fn response_value(r: &crate::model::SurveyResponse, field: &str) -> Option<String> {
    match field {
        "ticket_id" => r.ticket_id.clone(),
        "submitted_at" => Some(crate::json::instant_text(r.submitted_at)),
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
    store: Option<&crate::store::Store>,
) -> Result<Inspection, ImportError> {
    let table = RawTable::open_as(path, options.read_as)?;
    let kind = if surveys { "surveys" } else { "tickets" };
    let (options, reused) = match store {
        Some(store) => remembered_mapping(store, kind, &table.headers, options)?,
        None => (options.clone(), false),
    };
    let options = &options;
    // What each field holds in the first five records, once read.
    let (mut report, parsed_of): (ImportReport, ValuesOfField) = if surveys {
        let batch = crate::survey::read_surveys(
            &table,
            &crate::survey::SurveyOptions {
                common: options.clone(),
                scale: None,
            },
        )?;
        let first: Vec<crate::model::SurveyResponse> =
            batch.responses.into_iter().take(5).collect();
        (
            batch.report,
            Box::new(move |field| {
                first
                    .iter()
                    .map(|r| response_value(r, field).unwrap_or_default())
                    .collect()
            }),
        )
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
    Ok(Inspection { report, columns })
}
