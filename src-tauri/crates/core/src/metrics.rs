//! Every metric of shared/docs/metrics.md, computed with polars' lazy API over
//! the loaded tickets and survey responses: overall, by week, by dimension, and
//! CSAT by first-response bucket. `as_of`, the time zone, SLA targets, the
//! business calendar and filters are arguments; nothing here reads the clock,
//! a file or the database.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use polars::prelude::*;
use serde::Serialize;

use crate::calendar::{self, BusinessCalendar};
use crate::error::MetricsError;
use crate::model::{EventKind, Instant, SurveyScale, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};
use crate::store::{Store, StoredTicket, SurveyColumns, TicketColumns};
use crate::timeparse::SourceZone;
use order::{DurationOrder, KeyColumn};

mod order;
mod service;
pub use service::{
    bucket_position, open_tickets, service_figures, tickets_behind, what_if, what_if_by_priority,
    OpenTicket, PointKey, ServiceFigures, TicketRow, WhatIf, REPEAT_WINDOW_DAYS,
};

/// Dimensions tickets can be grouped and filtered by.
pub const DIMENSIONS: [&str; 6] = [
    "priority",
    "category",
    "team",
    "assignee",
    "department",
    "channel",
];

/// Label of the group of tickets without a value in a dimension.
pub const NO_VALUE: &str = "(none)";

/// Which tickets and responses a report covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filters {
    /// Inclusive start of the period (UTC ms), on each value's attribution instant.
    pub from: Option<Instant>,
    /// Exclusive end of the period.
    pub to: Option<Instant>,
    /// Dimension → accepted values (any of).
    pub dimensions: BTreeMap<String, Vec<String>>,
}

impl Filters {
    /// An error when the period holds no instant (its start is not before
    /// its end): every figure would be empty.
    pub fn check_period(&self) -> Result<(), MetricsError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from >= to => Err(MetricsError::InvalidOption {
                option: "period".into(),
                reason: format!(
                    "the period is empty: its start ({}) is not before its end ({}, exclusive)",
                    crate::json::instant_text(from),
                    crate::json::instant_text(to)
                ),
            }),
            _ => Ok(()),
        }
    }
}

/// Everything a metric computation depends on besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsConfig {
    /// The instant the report is taken; `None` = the latest timestamp in the data.
    pub as_of: Option<Instant>,
    /// Reporting time zone (weeks, days, business hours).
    pub zone: SourceZone,
    /// First-response SLA targets for P1..P4 in milliseconds (unknown priority: P3).
    pub sla_targets_ms: [i64; 4],
    pub calendar: BusinessCalendar,
    /// Open tickets silent for more than this many days count as silent.
    pub silence_days: f64,
    /// Loaded cost of one blocked person-hour.
    pub hourly_cost: f64,
    pub filters: Filters,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            as_of: None,
            zone: SourceZone::Utc,
            sla_targets_ms: [
                MS_PER_HOUR,
                4 * MS_PER_HOUR,
                24 * MS_PER_HOUR,
                72 * MS_PER_HOUR,
            ],
            calendar: BusinessCalendar::default(),
            silence_days: 3.0,
            hourly_cost: 50.0,
            filters: Filters::default(),
        }
    }
}

/// Median, p90, mean and count of a duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DurationStats {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
    pub count: i64,
}

/// Satisfaction figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Csat {
    pub rated: i64,
    pub satisfied_share: Option<f64>,
    pub mean_rating_5: Option<f64>,
}

/// Every metric key of the contract, for one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricSet {
    pub tickets: i64,
    pub first_response_minutes: DurationStats,
    pub first_response_business_minutes: DurationStats,
    pub awaiting_first_response: i64,
    pub resolution_hours: DurationStats,
    pub resolution_business_hours: DurationStats,
    pub sla_first_response_breach_rate: Option<f64>,
    pub reopen_rate: Option<f64>,
    pub follow_ups_per_ticket: Option<f64>,
    pub follow_ups_per_open_day: Option<f64>,
    pub silent_open_share: Option<f64>,
    pub backlog: i64,
    pub csat: Csat,
    pub nps: Option<f64>,
    pub blocked_hours: Option<f64>,
    pub excess_wait_hours: Option<f64>,
    pub impact_cost: Option<f64>,
}

/// CSAT of the tickets whose first response fell in one delay bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketCsat {
    pub bucket: String,
    pub rated: i64,
    pub satisfied_share: Option<f64>,
}

/// The full result of one computation.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsReport {
    pub as_of: Instant,
    pub overall: MetricSet,
    /// (week index, metrics), continuous over the period.
    pub by_week: Vec<(i64, MetricSet)>,
    /// dimension → (group value, metrics), sorted by value.
    pub by_dimension: BTreeMap<String, Vec<(String, MetricSet)>>,
    pub csat_by_first_response_bucket: Vec<BucketCsat>,
}

pub const BUCKETS: [&str; 6] = ["<1h", "1–4h", "4–24h", "1–3d", ">3d", "none"];

/// The loaded data, as polars frames, ready for many computations.
///
/// Besides the text of each dimension, tickets carry its dictionary code
/// (`<dim>_code`, index into [`Dataset::dictionary`]): groups and filters work
/// on the integers. `tid` numbers the tickets and `s_tid` links a response to
/// its ticket's number.
#[derive(Clone)]
pub struct Dataset {
    pub tickets: DataFrame,
    pub surveys: DataFrame,
    /// Latest timestamp anywhere in the data.
    pub latest: Option<Instant>,
    /// Dimension → its distinct values, sorted (code = position).
    dictionaries: BTreeMap<&'static str, Vec<String>>,
    /// Business-hours durations of the last calendar asked for.
    business: Arc<Mutex<Option<BusinessDurations>>>,
    /// The tickets ordered by each duration, for the last calendar asked for.
    orders: Arc<Mutex<Option<Arc<DurationOrders>>>>,
    /// Each ticket's requester as a number (computed when first needed).
    requester_numbers: Arc<std::sync::OnceLock<Series>>,
    /// Requester-facing updates from event logs and comment histories:
    /// `tid` (ticket number) and `at`.
    pub updates: DataFrame,
}

/// First response (minutes) and resolution (hours) in business time, per
/// ticket, for one calendar and zone. They do not depend on anything else.
struct BusinessDurations {
    key: String,
    first_response_minutes: Series,
    resolution_hours: Series,
}

/// The tickets ordered by each duration whose quantiles a report gives, for
/// one calendar and zone (business durations and weeks depend on them).
struct DurationOrders {
    key: String,
    /// Duration column of [`ticket_rows`] → the tickets ordered by it,
    /// grouped by each dimension and by its cohort's week.
    by_column: BTreeMap<&'static str, DurationOrder>,
}

/// Runs `a` on a thread of its own and `b` on this one.
fn on_two_threads<A: Send, B>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> Result<(A, B), MetricsError> {
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a.join().map_err(|_| {
            MetricsError::Polars(PolarsError::ComputeError("a metrics thread failed".into()))
        })?;
        Ok((a, b))
    })
}

/// For each response, the number of the ticket with its id (of the first
/// source in name order when several sources have the id).
fn link_surveys(
    sources: &StringChunked,
    ticket_ids: &StringChunked,
    survey_ticket_ids: &[Option<String>],
) -> Vec<Option<u32>> {
    // Indexes the (fewer) ids responses name, then walks the tickets once.
    let mut found: FastMap<&str, Option<u32>> = survey_ticket_ids
        .iter()
        .flatten()
        .map(|id| (id.as_str(), None))
        .collect();
    let source = |i: u32| sources.get(i as usize);
    for (i, id) in ticket_ids.iter().enumerate() {
        if let Some(slot) = id.and_then(|id| found.get_mut(id)) {
            match slot {
                Some(other) if source(*other) <= source(i as u32) => {}
                _ => *slot = Some(i as u32),
            }
        }
    }
    survey_ticket_ids
        .iter()
        .map(|id| {
            id.as_deref()
                .and_then(|id| found.get(id).copied().flatten())
        })
        .collect()
}

/// A ticket's dimension codes, in [`DIMENSIONS`] order (`u32::MAX`: no value).
type Combination = [u32; DIMENSIONS.len()];

/// Rows sorted by their dimension codes (priority first, no value after
/// every value; rows with equal codes keep their order).
struct CellOrder {
    /// The rows in that order.
    order: Vec<u32>,
    /// The cell (distinct combination of codes, numbered in sorted order)
    /// at each position of `order`.
    cells: Vec<u32>,
    /// Each cell's combination.
    combinations: Vec<Combination>,
}

impl CellOrder {
    fn new(codes: &[Vec<Option<u32>>; DIMENSIONS.len()], height: usize) -> CellOrder {
        // Each row's combination, numbered as first seen.
        let mut seen: FastMap<Combination, u32> = FastMap::default();
        let mut combinations: Vec<Combination> = Vec::new();
        let first_seen: Vec<u32> = (0..height)
            .map(|row| {
                let key: Combination = std::array::from_fn(|d| codes[d][row].unwrap_or(u32::MAX));
                *seen.entry(key).or_insert_with(|| {
                    combinations.push(key);
                    combinations.len() as u32 - 1
                })
            })
            .collect();
        // Cells numbered in the combinations' sorted order.
        let mut sorted: Vec<u32> = (0..combinations.len() as u32).collect();
        sorted.sort_by_key(|&c| combinations[c as usize]);
        let mut cell_of = vec![0u32; sorted.len()];
        for (cell, &c) in sorted.iter().enumerate() {
            cell_of[c as usize] = cell as u32;
        }
        // A stable counting sort of the rows by cell.
        let mut starts = vec![0usize; sorted.len() + 1];
        for &c in &first_seen {
            starts[cell_of[c as usize] as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut order = vec![0u32; height];
        let mut cells = vec![0u32; height];
        for (row, &c) in first_seen.iter().enumerate() {
            let cell = cell_of[c as usize];
            let at = &mut starts[cell as usize];
            order[*at] = row as u32;
            cells[*at] = cell;
            *at += 1;
        }
        CellOrder {
            order,
            cells,
            combinations: sorted.iter().map(|&c| combinations[c as usize]).collect(),
        }
    }

    /// The code in dimension `dim` at each position.
    fn codes(&self, dim: usize) -> impl Iterator<Item = Option<u32>> + '_ {
        self.cells.iter().map(move |&cell| {
            let code = self.combinations[cell as usize][dim];
            (code != u32::MAX).then_some(code)
        })
    }
}

type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Dictionary codes of a text column, built row by row: distinct values in
/// the order first seen, and each row's code.
#[derive(Default)]
struct DimensionEncoder {
    index: FastMap<Box<str>, u32>,
    values: Vec<Box<str>>,
    codes: Vec<Option<u32>>,
    /// The code of the previous row's value (exports often repeat a value).
    last: Option<u32>,
}

impl DimensionEncoder {
    fn push(&mut self, value: Option<&str>) {
        let code = value.map(|v| match self.last {
            Some(c) if &*self.values[c as usize] == v => c,
            _ => {
                let c = self.intern(v);
                self.last = Some(c);
                c
            }
        });
        self.codes.push(code);
    }

    /// The code of a value, given a new one if it was not seen yet.
    fn intern(&mut self, value: &str) -> u32 {
        if let Some(&c) = self.index.get(value) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(value.into());
        self.index.insert(value.into(), c);
        c
    }

    /// Appends the rows of another encoder, recoding them to this one's values.
    fn append(&mut self, other: DimensionEncoder) {
        let recode: Vec<u32> = other.values.iter().map(|v| self.intern(v)).collect();
        self.codes.extend(
            other
                .codes
                .into_iter()
                .map(|c| c.map(|c| recode[c as usize])),
        );
        self.last = None;
    }

    /// The sorted distinct values (code = position) and each row's code.
    fn finish(self) -> (Vec<String>, Vec<Option<u32>>) {
        let mut order: Vec<u32> = (0..self.values.len() as u32).collect();
        order.sort_by(|a, b| self.values[*a as usize].cmp(&self.values[*b as usize]));
        let mut remap = vec![0u32; order.len()];
        for (sorted, &seen) in order.iter().enumerate() {
            remap[seen as usize] = sorted as u32;
        }
        let dictionary = order
            .iter()
            .map(|&i| self.values[i as usize].to_string())
            .collect();
        let codes = self
            .codes
            .into_iter()
            .map(|c| c.map(|c| remap[c as usize]))
            .collect();
        (dictionary, codes)
    }
}

/// Builds the ticket frame row by row, straight from borrowed rows: texts
/// into polars string columns, dimensions as dictionary codes (their text
/// columns are gathered from the dictionaries at the end).
struct TicketFrameBuilder {
    source: StringChunkedBuilder,
    ticket_id: StringChunkedBuilder,
    status: StringChunkedBuilder,
    requester: StringChunkedBuilder,
    created: Vec<Instant>,
    first_response_at: Vec<Option<Instant>>,
    resolved_at: Vec<Option<Instant>>,
    last_update_at: Vec<Option<Instant>>,
    dimensions: [DimensionEncoder; 6],
    reopen_count: Vec<i64>,
    follow_ups: Vec<Option<i64>>,
    affected_users: Vec<i64>,
    reassignments: Vec<Option<i64>>,
    knowledge: Vec<Option<bool>>,
    latest: Option<Instant>,
}

impl TicketFrameBuilder {
    fn new(capacity: usize) -> TicketFrameBuilder {
        let text = |name: &str| StringChunkedBuilder::new(name.into(), capacity);
        TicketFrameBuilder {
            source: text("source"),
            ticket_id: text("ticket_id"),
            status: text("status"),
            requester: text("requester"),
            created: Vec::with_capacity(capacity),
            first_response_at: Vec::with_capacity(capacity),
            resolved_at: Vec::with_capacity(capacity),
            last_update_at: Vec::with_capacity(capacity),
            dimensions: Default::default(),
            reopen_count: Vec::with_capacity(capacity),
            follow_ups: Vec::with_capacity(capacity),
            affected_users: Vec::with_capacity(capacity),
            reassignments: Vec::with_capacity(capacity),
            knowledge: Vec::with_capacity(capacity),
            latest: None,
        }
    }

    fn push(&mut self, t: StoredTicket<'_>) {
        let latest = [
            Some(t.created_at),
            t.first_response_at,
            t.resolved_at,
            t.closed_at,
            t.last_update_at,
        ]
        .into_iter()
        .flatten()
        .chain(self.latest)
        .max();
        self.latest = latest;
        self.source.append_value(t.source);
        self.ticket_id.append_value(t.ticket_id);
        self.status.append_value(t.status);
        self.requester.append_option(t.requester);
        self.created.push(t.created_at);
        self.first_response_at.push(t.first_response_at);
        self.resolved_at.push(t.resolved_at);
        self.last_update_at.push(t.last_update_at);
        let dims = [
            t.priority,
            t.category,
            t.team,
            t.assignee,
            t.department,
            t.channel,
        ];
        for (encoder, value) in self.dimensions.iter_mut().zip(dims) {
            encoder.push(value);
        }
        self.reopen_count.push(t.reopen_count);
        self.follow_ups.push(t.follow_ups);
        self.affected_users.push(t.affected_users);
        self.reassignments.push(t.reassignment_count);
        self.knowledge.push(t.knowledge);
    }

    /// Appends the tickets another builder read (they follow this one's).
    fn append(&mut self, other: TicketFrameBuilder) {
        let texts = [
            (&mut self.source, other.source),
            (&mut self.ticket_id, other.ticket_id),
            (&mut self.status, other.status),
            (&mut self.requester, other.requester),
        ];
        for (mine, theirs) in texts {
            for v in theirs.finish().iter() {
                mine.append_option(v);
            }
        }
        self.created.extend(other.created);
        self.first_response_at.extend(other.first_response_at);
        self.resolved_at.extend(other.resolved_at);
        self.last_update_at.extend(other.last_update_at);
        for (mine, theirs) in self.dimensions.iter_mut().zip(other.dimensions) {
            mine.append(theirs);
        }
        self.reopen_count.extend(other.reopen_count);
        self.follow_ups.extend(other.follow_ups);
        self.affected_users.extend(other.affected_users);
        self.reassignments.extend(other.reassignments);
        self.knowledge.extend(other.knowledge);
        self.latest = self.latest.max(other.latest);
    }

    /// The ticket frame, the dimensions' dictionaries and the latest instant.
    #[allow(clippy::type_complexity)]
    fn finish(
        self,
    ) -> Result<
        (
            DataFrame,
            BTreeMap<&'static str, Vec<String>>,
            Option<Instant>,
        ),
        MetricsError,
    > {
        let height = self.created.len();
        let mut dictionaries = BTreeMap::new();
        let mut encoders = self.dimensions.into_iter();
        let codes = DIMENSIONS.map(|dim| {
            let (dictionary, codes) = encoders
                .next()
                .map(DimensionEncoder::finish)
                .unwrap_or_default();
            dictionaries.insert(dim, dictionary);
            codes
        });
        // Tickets in cell order: the grouped sums of a cohort then read
        // contiguous slices.
        let cells = CellOrder::new(&codes, height);
        drop(codes);
        let mut text_columns = Vec::new();
        let mut code_columns = Vec::new();
        for (d, dim) in DIMENSIONS.into_iter().enumerate() {
            let codes =
                UInt32Chunked::from_iter_options(Dataset::code_column(dim).into(), cells.codes(d));
            // The text of each row, gathered from the dictionary by code.
            let values = StringChunked::from_iter_values(
                dim.into(),
                dictionaries[dim].iter().map(String::as_str),
            );
            text_columns.push(values.take(&codes)?.into_series().into_column());
            code_columns.push(codes.into_series().into_column());
        }
        let rest = DataFrame::new(
            height,
            vec![
                self.source.finish().into_series().into_column(),
                self.ticket_id.finish().into_series().into_column(),
                Column::new("created".into(), self.created),
                Column::new("first_response_at".into(), self.first_response_at),
                Column::new("resolved_at".into(), self.resolved_at),
                Column::new("last_update_at".into(), self.last_update_at),
                self.status.finish().into_series().into_column(),
                self.requester.finish().into_series().into_column(),
                Column::new("reopen_count".into(), self.reopen_count),
                Column::new("follow_ups".into(), self.follow_ups),
                Column::new("affected_users".into(), self.affected_users),
                Column::new("reassignments".into(), self.reassignments),
                Column::new("knowledge".into(), self.knowledge),
            ],
        )?
        .take(&IdxCa::from_vec("order".into(), cells.order))?;
        let mut cell = UInt32Chunked::from_vec("cell".into(), cells.cells);
        cell.set_sorted_flag(polars::series::IsSorted::Ascending);
        let mut columns = vec![Column::new(
            "tid".into(),
            (0..height as u32).collect::<Vec<u32>>(),
        )];
        columns.extend(rest.into_columns());
        columns.extend(text_columns);
        columns.extend(code_columns);
        columns.push(cell.into_series().into_column());
        Ok((DataFrame::new(height, columns)?, dictionaries, self.latest))
    }
}

impl Dataset {
    /// Loads everything stored.
    ///
    /// Large databases are read in two halves on two threads (each on its
    /// own connection), the second half appended to the first: the same
    /// rows in the same order as one read.
    pub fn load(store: &Store) -> Result<Dataset, MetricsError> {
        Dataset::load_split_from(store, 50_000)
    }

    /// [`Dataset::load`], reading in two parts from `min_split` tickets on.
    fn load_split_from(store: &Store, min_split: usize) -> Result<Dataset, MetricsError> {
        let count = store.ticket_count()?.max(0) as usize;
        // The second thread also reads the responses: it gets fewer tickets.
        let first_part = count / 16 * 9;
        let split = if count >= min_split.max(2) {
            store.reopen()?.zip(store.ticket_key_at(first_part)?)
        } else {
            None
        };
        let (tickets, sv) = match split {
            None => {
                let mut tickets = TicketFrameBuilder::new(count);
                store.for_each_ticket(|t| tickets.push(t))?;
                (tickets, store.load_surveys()?)
            }
            Some((other, key)) => std::thread::scope(|scope| {
                let from = key.clone();
                let second = scope.spawn(
                    move || -> Result<(TicketFrameBuilder, SurveyColumns), MetricsError> {
                        let mut tickets = TicketFrameBuilder::new(count - first_part);
                        other.for_each_ticket_between(Some(&from), None, |t| tickets.push(t))?;
                        Ok((tickets, other.load_surveys()?))
                    },
                );
                let mut tickets = TicketFrameBuilder::new(count);
                store.for_each_ticket_between(None, Some(&key), |t| tickets.push(t))?;
                let (second, surveys) = second.join().map_err(|_| {
                    MetricsError::Polars(PolarsError::ComputeError(
                        "reading the stored tickets failed".into(),
                    ))
                })??;
                tickets.append(second);
                Ok::<_, MetricsError>((tickets, surveys))
            })?,
        };
        let mut ds = Dataset::from_parts(tickets, sv)?;
        ds.set_updates(&store.load_events(EventKind::Reply)?)?;
        Ok(ds)
    }

    /// Attaches requester-facing updates `(source, ticket_id, at)` to their tickets;
    /// updates of tickets that are not loaded are left out.
    pub fn set_updates(
        &mut self,
        replies: &[(String, String, Instant)],
    ) -> Result<(), MetricsError> {
        if replies.is_empty() && self.updates.height() == 0 {
            // Nothing to link: no index of every ticket at start-up.
            return Ok(());
        }
        let sources = self.tickets.column("source")?.str()?.clone();
        let ids = self.tickets.column("ticket_id")?.str()?.clone();
        let mut number: std::collections::HashMap<(&str, &str), u32, foldhash::fast::FixedState> =
            std::collections::HashMap::default();
        for (i, (s, id)) in sources.iter().zip(ids.iter()).enumerate() {
            if let (Some(s), Some(id)) = (s, id) {
                number.entry((s, id)).or_insert(i as u32);
            }
        }
        let mut tid = Vec::with_capacity(replies.len());
        let mut at = Vec::with_capacity(replies.len());
        for (s, id, t) in replies {
            if let Some(n) = number.get(&(s.as_str(), id.as_str())) {
                tid.push(*n);
                at.push(*t);
            }
        }
        self.updates = DataFrame::new_infer_height(vec![
            Column::new("tid".into(), tid),
            Column::new("at".into(), at),
        ])?;
        Ok(())
    }

    /// Whether any ticket has a value for a stored ticket column
    /// (e.g. `first_response_at`, `requester`, `knowledge`), or any response exists
    /// for `rating`, or any update for `updates`.
    pub fn has_field(&self, name: &str) -> bool {
        match name {
            "rating" => self.surveys.height() > 0,
            "updates" => self.updates.height() > 0,
            _ => self
                .tickets
                .column(name)
                .is_ok_and(|c| c.len() > c.null_count()),
        }
    }

    /// Builds frames from columns (no I/O).
    pub fn from_columns(t: TicketColumns, s: SurveyColumns) -> Result<Dataset, MetricsError> {
        let mut tickets = TicketFrameBuilder::new(t.ticket_id.len());
        for i in 0..t.ticket_id.len() {
            tickets.push(StoredTicket {
                source: &t.source[i],
                ticket_id: &t.ticket_id[i],
                created_at: t.created_at[i],
                first_response_at: t.first_response_at[i],
                resolved_at: t.resolved_at[i],
                closed_at: t.closed_at[i],
                last_update_at: t.last_update_at[i],
                status: &t.status[i],
                priority: t.priority[i].as_deref(),
                category: t.category[i].as_deref(),
                team: t.team[i].as_deref(),
                assignee: t.assignee[i].as_deref(),
                requester: t.requester[i].as_deref(),
                department: t.department[i].as_deref(),
                channel: t.channel[i].as_deref(),
                reopen_count: t.reopen_count[i],
                follow_ups: t.follow_ups[i],
                affected_users: t.affected_users[i],
                reassignment_count: t.reassignment_count[i],
                knowledge: t.knowledge[i],
            });
        }
        Dataset::from_parts(tickets, s)
    }

    fn from_parts(tickets: TicketFrameBuilder, s: SurveyColumns) -> Result<Dataset, MetricsError> {
        let (tickets, dictionaries, latest) = tickets.finish()?;
        let latest = s.submitted_at.iter().copied().chain(latest).max();
        let s_tid = link_surveys(
            tickets.column("source")?.str()?,
            tickets.column("ticket_id")?.str()?,
            &s.ticket_id,
        );
        let satisfied: Vec<bool> = s
            .rating
            .iter()
            .zip(&s.scale)
            .map(|(r, sc)| sc.is_satisfied(*r))
            .collect();
        let r5: Vec<f64> = s
            .rating
            .iter()
            .zip(&s.scale)
            .map(|(r, sc)| sc.rescale_to_5(*r))
            .collect();
        let nps_kind: Vec<Option<i32>> = s
            .rating
            .iter()
            .zip(&s.scale)
            .map(|(r, sc): (&f64, &SurveyScale)| {
                sc.is_nps().then_some(if *r >= 9.0 {
                    1
                } else if *r <= 6.0 {
                    -1
                } else {
                    0
                })
            })
            .collect();
        let surveys = DataFrame::new_infer_height(vec![
            Column::new("s_tid".into(), s_tid),
            Column::new("submitted".into(), s.submitted_at),
            Column::new("satisfied".into(), satisfied),
            Column::new("r5".into(), r5),
            Column::new("nps_kind".into(), nps_kind),
        ])?;
        Ok(Dataset {
            tickets,
            surveys,
            latest,
            dictionaries,
            business: Arc::new(Mutex::new(None)),
            orders: Arc::new(Mutex::new(None)),
            requester_numbers: Arc::new(std::sync::OnceLock::new()),
            updates: DataFrame::new_infer_height(vec![
                Column::new("tid".into(), Vec::<u32>::new()),
                Column::new("at".into(), Vec::<i64>::new()),
            ])?,
        })
    }

    /// Business-hours durations for a calendar and zone (computed once per calendar).
    fn business_durations(
        &self,
        calendar: &BusinessCalendar,
        zone: SourceZone,
    ) -> Result<(Series, Series), MetricsError> {
        let key = calendar_key(calendar, zone);
        let mut cache = self
            .business
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = cache.as_ref().filter(|b| b.key == key) {
            return Ok((b.first_response_minutes.clone(), b.resolution_hours.clone()));
        }
        let created = self.tickets.column("created")?.i64()?;
        let fr = self.tickets.column("first_response_at")?.i64()?;
        let res = self.tickets.column("resolved_at")?.i64()?;
        // First response and resolution walked on two threads.
        let walk = |end: &Int64Chunked, unit_ms: i64| -> Vec<Option<f64>> {
            created
                .iter()
                .zip(end.iter())
                .map(|(c, e)| Some(calendar.open_ms_between(c?, e?, zone) as f64 / unit_ms as f64))
                .collect()
        };
        let (minutes, hours) =
            on_two_threads(|| walk(fr, MS_PER_MINUTE), || walk(res, MS_PER_HOUR))?;
        let b = BusinessDurations {
            key,
            first_response_minutes: Series::new("frt_bmin_all".into(), minutes),
            resolution_hours: Series::new("res_bh_all".into(), hours),
        };
        let out = (b.first_response_minutes.clone(), b.resolution_hours.clone());
        *cache = Some(b);
        Ok(out)
    }

    /// The tickets ordered by each duration, for a config's calendar and
    /// zone (computed once per calendar; filters and as_of do not change it).
    fn duration_orders(&self, cfg: &MetricsConfig) -> Result<Arc<DurationOrders>, MetricsError> {
        let key = calendar_key(&cfg.calendar, cfg.zone);
        let mut cache = self
            .orders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(orders) = cache.as_ref().filter(|o| o.key == key) {
            return Ok(orders.clone());
        }
        // Taken at the latest instant of the data, no duration is hidden.
        let whole = MetricsConfig {
            filters: Filters::default(),
            ..cfg.clone()
        };
        let families = [&CREATED, &RESOLVED];
        let mut columns: Vec<Expr> = DIMENSIONS
            .iter()
            .map(|d| col(Dataset::code_column(d).as_str()))
            .collect();
        for family in families {
            columns.push(col(family.week));
            columns.extend(family.durations.iter().map(|(value, _)| col(*value)));
        }
        let rows = ticket_rows(self, &whole, self.latest.unwrap_or(0))?
            .select(columns)
            .collect()?;
        let build = |family: &Family| -> Result<Vec<(&'static str, DurationOrder)>, MetricsError> {
            let mut keys = Vec::new();
            for dim in DIMENSIONS {
                let size = self.dictionaries.get(dim).map_or(0, Vec::len);
                keys.push(KeyColumn::Codes(
                    rows.column(&Dataset::code_column(dim))?.u32()?,
                    size,
                ));
            }
            keys.push(KeyColumn::Weeks(rows.column(family.week)?.i64()?));
            family
                .durations
                .iter()
                .map(|(value, _)| {
                    Ok((
                        *value,
                        DurationOrder::new(rows.column(value)?.f64()?, &keys),
                    ))
                })
                .collect()
        };
        let (created, resolved) = on_two_threads(|| build(families[0]), || build(families[1]))?;
        let orders = Arc::new(DurationOrders {
            key,
            by_column: created?.into_iter().chain(resolved?).collect(),
        });
        *cache = Some(orders.clone());
        Ok(orders)
    }

    /// Each ticket's requester as a number, the same for the same requester
    /// (null without one): requesters compared and sorted as integers.
    fn requester_numbers(&self) -> Result<Series, MetricsError> {
        if let Some(numbers) = self.requester_numbers.get() {
            return Ok(numbers.clone());
        }
        let requesters = self.tickets.column("requester")?.str()?;
        let mut seen: FastMap<&str, u32> = FastMap::default();
        let numbers: UInt32Chunked = requesters
            .iter()
            .map(|r| {
                r.map(|r| {
                    let next = seen.len() as u32;
                    *seen.entry(r).or_insert(next)
                })
            })
            .collect();
        let numbers = numbers.with_name("requester_no".into()).into_series();
        Ok(self.requester_numbers.get_or_init(|| numbers).clone())
    }

    /// The dictionary code column of a dimension.
    fn code_column(dim: &str) -> String {
        format!("{dim}_code")
    }

    /// Dictionary code of a dimension value, if any ticket has it.
    fn code(&self, dim: &str, value: &str) -> Option<u32> {
        let dictionary = self.dictionaries.get(dim)?;
        dictionary
            .binary_search_by(|v| v.as_str().cmp(value))
            .ok()
            .map(|c| c as u32)
    }

    /// Group label of a dimension code.
    fn label(&self, dim: &str, code: Option<u32>) -> String {
        code.and_then(|c| {
            self.dictionaries
                .get(dim)
                .and_then(|d| d.get(c as usize))
                .cloned()
        })
        .unwrap_or_else(|| NO_VALUE.to_string())
    }

    pub fn ticket_count(&self) -> usize {
        self.tickets.height()
    }

    /// Responses that carry the id of a loaded ticket.
    pub fn linked_surveys(&self) -> usize {
        self.surveys
            .column("s_tid")
            .map_or(0, |c| c.len() - c.null_count())
    }

    /// Whether any response is on a 0–10 scale.
    pub fn has_nps(&self) -> bool {
        self.surveys
            .column("nps_kind")
            .is_ok_and(|c| c.len() > c.null_count())
    }

    pub fn survey_count(&self) -> usize {
        self.surveys.height()
    }

    /// Distinct values of a dimension (for pickers).
    pub fn dimension_values(&self, dim: &str) -> Result<Vec<String>, MetricsError> {
        Ok(self.dictionaries.get(dim).cloned().unwrap_or_default())
    }
}

fn null_i64() -> Expr {
    lit(NULL).cast(DataType::Int64)
}

/// Local week index of an instant column, in the reporting zone.
fn week_expr(e: Expr, zone: SourceZone) -> Expr {
    let local = match zone {
        SourceZone::Utc => e,
        SourceZone::Named(tz) => e
            .cast(DataType::Datetime(
                TimeUnit::Milliseconds,
                Some(TimeZone::UTC),
            ))
            .dt()
            .convert_time_zone(
                TimeZone::opt_try_new(Some(tz.name()))
                    .ok()
                    .flatten()
                    .unwrap_or(TimeZone::UTC),
            )
            .dt()
            .replace_time_zone(None, lit("earliest"), NonExistent::Null)
            .cast(DataType::Int64),
    };
    // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
    ((local.floor_div(lit(MS_PER_DAY))) + lit(3i64)).floor_div(lit(7i64))
}

/// Sum and count of a duration column (its mean is their ratio).
fn sum_count_exprs(col_name: &str, prefix: &str) -> [Expr; 2] {
    [
        col(col_name).sum().alias(format!("{prefix}_sum")),
        col(col_name)
            .count()
            .cast(DataType::Int64)
            .alias(format!("{prefix}_count")),
    ]
}

/// `name = sum / count` (NaN, read as no value, when the count is 0).
fn mean_expr(sum: &str, count: &str, name: &str) -> Expr {
    (col(sum) / col(count).cast(DataType::Float64)).alias(name)
}

/// Identifies a business calendar and zone (business durations depend on both).
fn calendar_key(calendar: &BusinessCalendar, zone: SourceZone) -> String {
    format!("{calendar:?}|{}", zone.name())
}

/// The tickets a report covers (created by as_of, matching the dimension
/// filters), with the per-ticket columns every metric reads.
fn ticket_base(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<LazyFrame, MetricsError> {
    Ok(ticket_rows(ds, cfg, as_of)?.filter(col("kept")))
}

/// `to - from` (instants) in units of `unit_ms`, as a float.
fn duration_between(from: Expr, to: Expr, unit_ms: i64) -> Expr {
    (to - from).cast(DataType::Float64) / lit(unit_ms as f64)
}

/// Every ticket, in the dataset's order, with the per-ticket columns every
/// metric reads for a config; `kept` marks those a report covers.
fn ticket_rows(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<LazyFrame, MetricsError> {
    // Business-hours durations: a calendar walk per ticket, once per calendar.
    let (frt_b, res_b) = ds.business_durations(&cfg.calendar, cfg.zone)?;
    let mut df = ds.tickets.clone();
    df.with_column(frt_b.into_column())?;
    df.with_column(res_b.into_column())?;

    let [p1, p2, p3, p4] = cfg.sla_targets_ms;
    let asof = lit(as_of);
    let fr = when(col("first_response_at").lt_eq(asof.clone()))
        .then(col("first_response_at"))
        .otherwise(null_i64());
    let res = when(col("resolved_at").lt_eq(asof.clone()))
        .then(col("resolved_at"))
        .otherwise(null_i64());
    let lu = when(col("last_update_at").lt_eq(asof.clone()))
        .then(col("last_update_at"))
        .otherwise(null_i64());
    // Compared on the dictionary codes (a priority absent from the data matches nothing).
    let is = |label: &str| match ds.code("priority", label) {
        Some(c) => col("priority_code").eq(lit(c)).fill_null(lit(false)),
        None => lit(false),
    };
    let target = when(is("P1"))
        .then(lit(p1))
        .when(is("P2"))
        .then(lit(p2))
        .when(is("P4"))
        .then(lit(p4))
        .otherwise(lit(p3));
    let lf = df
        .lazy()
        .with_columns([
            when(col("first_response_at").lt_eq(asof.clone()))
                .then(col("frt_bmin_all"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("frt_bmin"),
            when(col("resolved_at").lt_eq(asof.clone()))
                .then(col("res_bh_all"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("res_bh"),
            fr.alias("fr"),
            res.alias("res"),
            lu.alias("lu"),
            target.cast(DataType::Int64).alias("target"),
        ])
        .with_columns([
            duration_between(col("created"), col("fr"), MS_PER_MINUTE).alias("frt_min"),
            duration_between(col("created"), col("res"), MS_PER_HOUR).alias("res_h"),
            (col("fr").fill_null(asof.clone()) - col("created")).alias("delay"),
            (col("res").fill_null(asof.clone()) - col("created")).alias("held"),
            (col("reopen_count").gt(lit(0i64))).alias("reopened"),
            col("follow_ups").cast(DataType::Float64).alias("fu_f"),
        ])
        .with_columns([
            col("delay").gt(col("target")).alias("breached"),
            col("fr").is_null().alias("awaiting_flag"),
            (col("fr").is_not_null().or(col("delay").gt(col("target")))).alias("measurable"),
            ((col("delay") - col("target"))
                .clip_min(lit(0i64))
                .cast(DataType::Float64)
                / lit(MS_PER_HOUR as f64)
                * col("affected_users").cast(DataType::Float64))
            .alias("excess_h"),
            (col("held").cast(DataType::Float64) / lit(MS_PER_HOUR as f64)
                * col("affected_users").cast(DataType::Float64))
            .alias("blocked_h"),
            when(col("follow_ups").is_not_null())
                .then(
                    (col("held").cast(DataType::Float64) / lit(MS_PER_DAY as f64))
                        .clip_min(lit(1.0)),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("fu_days"),
            week_expr(col("created"), cfg.zone).alias("created_week"),
            week_expr(col("res"), cfg.zone).alias("res_week"),
            // Position in BUCKETS.
            when(col("fr").is_null())
                .then(lit(5u32))
                .when(col("frt_min").lt(lit(60.0)))
                .then(lit(0u32))
                .when(col("frt_min").lt(lit(240.0)))
                .then(lit(1u32))
                .when(col("frt_min").lt(lit(1440.0)))
                .then(lit(2u32))
                .when(col("frt_min").lt(lit(4320.0)))
                .then(lit(3u32))
                .otherwise(lit(4u32))
                .alias("bucket"),
            col("created")
                .lt_eq(asof)
                .and(dimension_filter(ds, &cfg.filters))
                .alias("kept"),
        ]);
    Ok(lf)
}

/// Whether a ticket matches the dimension filters.
fn dimension_filter(ds: &Dataset, filters: &Filters) -> Expr {
    let mut all = lit(true);
    for (dim, values) in &filters.dimensions {
        if values.is_empty() || !DIMENSIONS.contains(&dim.as_str()) {
            continue;
        }
        let wants_none = values.iter().any(|v| v == NO_VALUE);
        let codes: Vec<u32> = values.iter().filter_map(|v| ds.code(dim, v)).collect();
        let code_col = Dataset::code_column(dim);
        let list = Series::new("v".into(), codes);
        let mut cond = col(code_col.as_str()).is_in(lit(list).implode(false), false);
        if wants_none {
            cond = cond.or(col(code_col.as_str()).is_null());
        }
        all = all.and(cond.fill_null(lit(false)));
    }
    all
}

fn in_period(e: Expr, f: &Filters) -> Expr {
    let mut c = e.clone().is_not_null();
    if let Some(from) = f.from {
        c = c.and(e.clone().gt_eq(lit(from)));
    }
    if let Some(to) = f.to {
        c = c.and(e.lt(lit(to)));
    }
    c
}

/// The aggregations of one cohort: additive ones (sums and counts, which
/// roll up from fine groups to coarse ones by summing), means derived from
/// them, and the durations whose median and p90 it reports (quantiles do not
/// roll up: [`compute`] groups them once per grouping).
struct Family {
    sums: fn() -> Vec<Expr>,
    means: fn() -> Vec<Expr>,
    /// (duration column, prefix of its figures).
    durations: &'static [(&'static str, &'static str)],
    /// The column holding the week a row counts in.
    week: &'static str,
    /// The column of [`ticket_rows`] marking the tickets of the cohort
    /// (read for its durations).
    member: &'static str,
}

impl Family {
    /// Grouped sums (`key` column) joined to the same grouping's quantiles,
    /// with the means.
    fn finish(&self, sums: LazyFrame, quantiles: Vec<DataFrame>) -> LazyFrame {
        let mut lf = sums;
        for q in quantiles {
            lf = lf.join(
                q.lazy(),
                [col("key")],
                [col("key")],
                JoinArgs::new(JoinType::Left),
            );
        }
        lf.with_columns((self.means)())
    }

    /// Median and p90 of each duration, per grouping (overall, each
    /// dimension, then the week): one frame per duration, keyed like the
    /// grouped sums (`key`).
    fn quantile_frames(
        &self,
        rows: &DataFrame,
        orders: &DurationOrders,
    ) -> Result<Vec<Vec<DataFrame>>, MetricsError> {
        let mut by_grouping = vec![Vec::new(); DIMENSIONS.len() + 2];
        for (value, prefix) in self.durations {
            let order = orders.by_column.get(value).ok_or_else(|| {
                MetricsError::Polars(PolarsError::ComputeError(
                    format!("no order by {value}").into(),
                ))
            })?;
            // The cohort's tickets that have the duration.
            let member = rows.column(self.member)?.bool()?;
            let values = rows.column(value)?.f64()?;
            let marked: Vec<bool> = member
                .iter()
                .zip(values.iter())
                .map(|(m, v)| m == Some(true) && v.is_some())
                .collect();
            let names = [format!("{prefix}_median"), format!("{prefix}_p90")];
            for (g, groups) in order
                .quantiles(&marked, &[0.5, 0.9])
                .into_iter()
                .enumerate()
            {
                let keys = groups.iter().map(|(k, _)| *k);
                let key = if g == 0 {
                    Column::new("key".into(), vec!["all"; groups.len()])
                } else if g <= DIMENSIONS.len() {
                    let codes: Vec<Option<u32>> = keys.map(|k| k.map(|k| k as u32)).collect();
                    Column::new("key".into(), codes)
                } else {
                    Column::new("key".into(), keys.collect::<Vec<Option<i64>>>())
                };
                let mut columns = vec![key];
                for (q, name) in names.iter().enumerate() {
                    let values: Vec<f64> = groups.iter().map(|(_, v)| v[q]).collect();
                    columns.push(Column::new(name.into(), values));
                }
                by_grouping[g].push(DataFrame::new_infer_height(columns)?);
            }
        }
        Ok(by_grouping)
    }

    /// `lf` grouped by `key`, for cohorts without quantiles.
    fn aggregate(&self, lf: LazyFrame, key: Expr) -> LazyFrame {
        self.finish(lf.group_by([key]).agg((self.sums)()), Vec::new())
    }
}

/// Tickets created in the period.
const CREATED: Family = Family {
    sums: || {
        let mut v = vec![
            len().cast(DataType::Int64).alias("tickets"),
            col("awaiting_flag")
                .sum()
                .cast(DataType::Int64)
                .alias("awaiting"),
            col("breached")
                .sum()
                .cast(DataType::Int64)
                .alias("breached"),
            col("measurable")
                .sum()
                .cast(DataType::Int64)
                .alias("measurable"),
            col("fu_f").sum().alias("fu_sum"),
            col("fu_days").sum().alias("fu_days_sum"),
            col("fu_days").count().cast(DataType::Int64).alias("fu_n"),
            col("blocked_h").sum().alias("blocked_h"),
            col("excess_h").sum().alias("excess_h"),
        ];
        v.extend(sum_count_exprs("frt_min", "frt"));
        v.extend(sum_count_exprs("frt_bmin", "frtb"));
        v
    },
    means: || {
        vec![
            mean_expr("frt_sum", "frt_count", "frt_mean"),
            mean_expr("frtb_sum", "frtb_count", "frtb_mean"),
            mean_expr("fu_sum", "fu_n", "fu_mean"),
        ]
    },
    durations: &[("frt_min", "frt"), ("frt_bmin", "frtb")],
    week: "created_week",
    member: "in_created",
};

/// Tickets resolved in the period.
const RESOLVED: Family = Family {
    sums: || {
        let mut v = vec![
            len().cast(DataType::Int64).alias("resolved"),
            col("reopened")
                .sum()
                .cast(DataType::Int64)
                .alias("reopened_n"),
        ];
        v.extend(sum_count_exprs("res_h", "res"));
        v.extend(sum_count_exprs("res_bh", "resb"));
        v
    },
    means: || {
        vec![
            mean_expr("res_sum", "res_count", "res_mean"),
            mean_expr("resb_sum", "resb_count", "resb_mean"),
        ]
    },
    durations: &[("res_h", "res"), ("res_bh", "resb")],
    week: "res_week",
    member: "in_resolved",
};

/// Tickets open at the cut-off (rows carry [`state_flags`]).
const STATE: Family = Family {
    sums: || {
        vec![
            col("is_open").sum().cast(DataType::Int64).alias("open"),
            col("silent").sum().cast(DataType::Int64).alias("silent"),
        ]
    },
    means: Vec::new,
    durations: &[],
    week: "week",
    member: "kept",
};

/// Survey responses submitted in the period.
const SURVEYS: Family = Family {
    sums: || {
        vec![
            len().cast(DataType::Int64).alias("rated"),
            col("satisfied")
                .cast(DataType::Int64)
                .sum()
                .alias("satisfied_n"),
            col("r5").sum().alias("r5_sum"),
            col("nps_kind").count().cast(DataType::Int64).alias("nps_n"),
            col("nps_kind")
                .eq(lit(1))
                .sum()
                .cast(DataType::Int64)
                .alias("promoters"),
            col("nps_kind")
                .eq(lit(-1))
                .sum()
                .cast(DataType::Int64)
                .alias("detractors"),
        ]
    },
    means: || {
        vec![
            mean_expr("satisfied_n", "rated", "sat_share"),
            mean_expr("r5_sum", "rated", "r5_mean"),
        ]
    },
    durations: &[],
    week: "week",
    // Responses, not tickets: no durations, no member column.
    member: "",
};

/// One cell of a frame as a finite f64 (None when null, missing or not finite).
fn f64_at(df: &DataFrame, name: &str, row: usize) -> Option<f64> {
    let c = df.column(name).ok()?.cast(&DataType::Float64).ok()?;
    c.f64().ok()?.get(row).filter(|v| v.is_finite())
}

/// Reads one frame of aggregated rows into a map key → row accessor.
struct Rows {
    df: DataFrame,
    index: BTreeMap<String, usize>,
}

impl Rows {
    /// Rows keyed by a dimension's codes, labelled with its values.
    fn coded(df: DataFrame, ds: &Dataset, dim: &str) -> Result<Rows, MetricsError> {
        let keys = df.column("key")?.cast(&DataType::UInt32)?;
        let index = keys
            .u32()?
            .iter()
            .enumerate()
            .map(|(i, k)| (ds.label(dim, k), i))
            .collect();
        Ok(Rows { df, index })
    }

    fn new(df: DataFrame) -> Result<Rows, MetricsError> {
        let keys = df.column("key")?.cast(&DataType::String)?;
        let keys = keys.str()?.clone();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.unwrap_or(NO_VALUE).to_string(), i))
            .collect();
        Ok(Rows { df, index })
    }

    fn f64(&self, key: &str, name: &str) -> Option<f64> {
        f64_at(&self.df, name, *self.index.get(key)?)
    }

    fn i64(&self, key: &str, name: &str) -> i64 {
        self.f64(key, name).map(|v| v as i64).unwrap_or(0)
    }

    fn stats(&self, key: &str, prefix: &str) -> DurationStats {
        DurationStats {
            median: self.f64(key, &format!("{prefix}_median")),
            p90: self.f64(key, &format!("{prefix}_p90")),
            mean: self.f64(key, &format!("{prefix}_mean")),
            count: self.i64(key, &format!("{prefix}_count")),
        }
    }
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Aggregates all metric families by a key expression; returns one MetricSet per key.
struct Families {
    created: Rows,
    resolved: Rows,
    state: Rows,
    surveys: Rows,
}

impl Families {
    fn metric_set(&self, key: &str, hourly_cost: f64) -> MetricSet {
        let c = &self.created;
        let tickets = c.i64(key, "tickets");
        let blocked = (tickets > 0).then(|| c.f64(key, "blocked_h").unwrap_or(0.0));
        let excess = (tickets > 0).then(|| c.f64(key, "excess_h").unwrap_or(0.0));
        let resolved = self.resolved.i64(key, "resolved");
        let open = self.state.i64(key, "open");
        let rated = self.surveys.i64(key, "rated");
        let nps_n = self.surveys.i64(key, "nps_n");
        let fu_n = c.i64(key, "fu_n");
        MetricSet {
            tickets,
            first_response_minutes: c.stats(key, "frt"),
            first_response_business_minutes: c.stats(key, "frtb"),
            awaiting_first_response: c.i64(key, "awaiting"),
            resolution_hours: self.resolved.stats(key, "res"),
            resolution_business_hours: self.resolved.stats(key, "resb"),
            sla_first_response_breach_rate: ratio(
                c.i64(key, "breached") as f64,
                c.i64(key, "measurable") as f64,
            ),
            reopen_rate: ratio(self.resolved.i64(key, "reopened_n") as f64, resolved as f64),
            follow_ups_per_ticket: if fu_n > 0 {
                c.f64(key, "fu_mean")
            } else {
                None
            },
            follow_ups_per_open_day: if fu_n > 0 {
                ratio(
                    c.f64(key, "fu_sum").unwrap_or(0.0),
                    c.f64(key, "fu_days_sum").unwrap_or(0.0),
                )
            } else {
                None
            },
            silent_open_share: ratio(self.state.i64(key, "silent") as f64, open as f64),
            backlog: open,
            csat: Csat {
                rated,
                satisfied_share: if rated > 0 {
                    self.surveys.f64(key, "sat_share")
                } else {
                    None
                },
                mean_rating_5: if rated > 0 {
                    self.surveys.f64(key, "r5_mean")
                } else {
                    None
                },
            },
            nps: (nps_n > 0).then(|| {
                100.0
                    * (self.surveys.i64(key, "promoters") - self.surveys.i64(key, "detractors"))
                        as f64
                    / nps_n as f64
            }),
            blocked_hours: blocked,
            excess_wait_hours: excess,
            impact_cost: blocked.map(|b| b * hourly_cost),
        }
    }
}

/// Per ticket: the last requester-facing touch (creation, first response or
/// last update) up to the cut-off given per row as column `cutoff`.
fn last_touch() -> Expr {
    let touch_fr = when(col("fr").lt_eq(col("cutoff")))
        .then(col("fr"))
        .otherwise(null_i64());
    let touch_lu = when(col("lu").lt_eq(col("cutoff")))
        .then(col("lu"))
        .otherwise(null_i64());
    polars::lazy::dsl::max_horizontal([col("created"), touch_fr, touch_lu])
        .unwrap_or(col("created"))
}

/// Per ticket: open, and silent, at the cut-off given per row as column `cutoff`.
fn state_flags(silence_ms: i64) -> [Expr; 2] {
    let last_touch = last_touch();
    // Done without any known time (status only) is not open.
    let done_untimed = col("res").is_null().and(col("status").is_in(
        lit(Series::new("d".into(), ["resolved", "closed"])).implode(false),
        false,
    ));
    let is_open = col("created")
        .lt_eq(col("cutoff"))
        .and(col("res").is_null().or(col("res").gt(col("cutoff"))))
        .and(done_untimed.not());
    let silent = is_open
        .clone()
        .and(last_touch.lt(col("cutoff") - lit(silence_ms)));
    [is_open.alias("is_open"), silent.alias("silent")]
}

/// Computes every metric of the contract.
pub fn compute(ds: &Dataset, cfg: &MetricsConfig) -> Result<MetricsReport, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let f = &cfg.filters;
    // Materialise the per-ticket columns once (every ticket, in the dataset's
    // order, with the cohorts it belongs to); everything below reads them.
    let rows = ticket_rows(ds, cfg, as_of)?
        .with_columns([
            col("kept")
                .and(in_period(col("created"), f))
                .alias(CREATED.member),
            col("kept")
                .and(in_period(col("res"), f))
                .alias(RESOLVED.member),
        ])
        .collect()?;
    let base = rows.clone().lazy().filter(col("kept"));
    let silence_ms = (cfg.silence_days * MS_PER_DAY as f64).round() as i64;
    let cutoff = f.to.map_or(as_of, |t| t.min(as_of));

    // Responses in the period with their ticket's dimensions and bucket.
    let surveys_all = surveys_with_tickets(ds, cfg, as_of, &rows)?.lazy();

    // The cohorts, planned (each plan reads only the columns it needs).
    let created = rows.clone().lazy().filter(col(CREATED.member));
    let resolved = rows.clone().lazy().filter(col(RESOLVED.member));
    let mut state_cols = vec![col("is_open"), col("silent"), col("cell")];
    state_cols.extend(
        DIMENSIONS
            .iter()
            .map(|d| col(Dataset::code_column(d).as_str())),
    );
    let at_cutoff = base
        .clone()
        .with_columns([lit(cutoff).alias("cutoff")])
        .with_columns(state_flags(silence_ms))
        .select(state_cols);

    // Every grouping (overall, then each dimension) of every cohort. Sums and
    // counts: one group-by per cohort by cell (combination of dimension
    // codes; tickets are stored in cell order, so a cohort's cells are
    // contiguous slices), rolled up to each grouping from those (small)
    // cells. Quantiles: read from the tickets' order by each duration, for
    // every grouping at once, on threads of their own while polars computes
    // the sums.
    let codes: Vec<Expr> = DIMENSIONS
        .iter()
        .map(|d| col(Dataset::code_column(d).as_str()))
        .collect();
    let cohorts: [(&LazyFrame, &Family); 4] = [
        (&created, &CREATED),
        (&resolved, &RESOLVED),
        (&at_cutoff, &STATE),
        (&surveys_all, &SURVEYS),
    ];
    let groupings: Vec<Option<&str>> = std::iter::once(None)
        .chain(DIMENSIONS.iter().map(|d| Some(*d)))
        .collect();
    let group_key = |dim: Option<&str>| match dim {
        Some(d) => col(Dataset::code_column(d).as_str()).alias("key"),
        None => lit("all").alias("key"),
    };
    let plans: Vec<DslPlan> = cohorts
        .iter()
        .map(|(lf, fam)| {
            // Stable: the cells come in a fixed order (responses are not in
            // cell order), so their sums roll up in a fixed order and give
            // the same last digit on every run.
            let mut aggs = (fam.sums)();
            aggs.extend(codes.iter().map(|c| c.clone().first()));
            (*lf)
                .clone()
                .group_by_stable([col("cell")])
                .agg(aggs)
                .logical_plan
        })
        .collect();
    let orders = ds.duration_orders(cfg)?;
    let (cells, quantiles) = on_two_threads(
        || LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default()),
        || -> Result<Vec<Vec<Vec<DataFrame>>>, MetricsError> {
            // The first cohort on one more thread, the others on this one.
            let families: Vec<&Family> = cohorts.iter().map(|(_, fam)| *fam).collect();
            let (first, others) = families.split_at(1);
            let frames = |families: &[&Family]| {
                families
                    .iter()
                    .map(|fam| fam.quantile_frames(&rows, &orders))
                    .collect::<Result<Vec<_>, MetricsError>>()
            };
            let (first, others) = on_two_threads(|| frames(first), || frames(others))?;
            Ok(first?.into_iter().chain(others?).collect())
        },
    )?;
    let cells = cells?;
    // quantiles[cohort][grouping]: one frame per duration of the cohort;
    // the last grouping is the week.
    let quantiles = quantiles?;
    // Per grouping and cohort: the cells' sums rolled up, joined to the
    // grouping's quantiles, with the means.
    let mut plans: Vec<DslPlan> = Vec::new();
    for (g, dim) in groupings.iter().enumerate() {
        for (c, ((_, fam), cells)) in cohorts.iter().zip(&cells).enumerate() {
            // Every column of the cells but their dimension codes is a sum.
            let sums: Vec<Expr> = cells
                .get_column_names()
                .into_iter()
                .filter(|n| !n.ends_with("_code") && n.as_str() != "cell")
                .map(|n| col(n.as_str()).sum())
                .collect();
            let lf = cells.clone().lazy().group_by([group_key(*dim)]).agg(sums);
            plans.push(fam.finish(lf, quantiles[c][g].clone()).logical_plan);
        }
    }
    let week_quantiles: Vec<Vec<DataFrame>> = quantiles
        .into_iter()
        .map(|mut q| q.pop().unwrap_or_default())
        .collect();
    let mut frames =
        LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())?.into_iter();
    let mut next_rows = |dim: Option<&str>| -> Result<Rows, MetricsError> {
        let df = frames.next().ok_or_else(|| {
            MetricsError::Polars(PolarsError::ComputeError("missing grouping".into()))
        })?;
        match dim {
            Some(d) => Rows::coded(df, ds, d),
            None => Rows::new(df),
        }
    };
    let mut families = |dim: Option<&str>| -> Result<Families, MetricsError> {
        Ok(Families {
            created: next_rows(dim)?,
            resolved: next_rows(dim)?,
            state: next_rows(dim)?,
            surveys: next_rows(dim)?,
        })
    };
    let overall_fam = families(None)?;
    let overall = overall_fam.metric_set("all", cfg.hourly_cost);

    // By dimension.
    let mut by_dimension = BTreeMap::new();
    for dim in DIMENSIONS {
        let fam = families(Some(dim))?;
        let mut keys: Vec<String> = fam
            .created
            .index
            .keys()
            .chain(fam.resolved.index.keys())
            .chain(fam.state.index.keys())
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        let rows = keys
            .into_iter()
            .map(|k| {
                let m = fam.metric_set(&k, cfg.hourly_cost);
                (k, m)
            })
            .collect();
        by_dimension.insert(dim.to_string(), rows);
    }

    // By week: created/resolved/survey cohorts by their week; state at each week's end.
    let by_week = weekly(
        ds,
        cfg,
        as_of,
        &created,
        &resolved,
        week_quantiles,
        &base,
        &surveys_all,
        silence_ms,
    )?;

    // CSAT by first-response bucket (surveys linked to a ticket).
    let bucket_df = SURVEYS
        .aggregate(
            surveys_all.clone().filter(col("bucket").is_not_null()),
            col("bucket").alias("key"),
        )
        .collect()?;
    let bucket_rows = Rows::new(bucket_df)?;
    let csat_by_first_response_bucket = BUCKETS
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let key = i.to_string();
            let rated = bucket_rows.i64(&key, "rated");
            BucketCsat {
                bucket: b.to_string(),
                rated,
                satisfied_share: if rated > 0 {
                    bucket_rows.f64(&key, "sat_share")
                } else {
                    None
                },
            }
        })
        .collect();

    Ok(MetricsReport {
        as_of,
        overall,
        by_week,
        by_dimension,
        csat_by_first_response_bucket,
    })
}

/// The responses submitted in the period (and by as_of), with their
/// ticket's dimension codes and first-response bucket (null for responses
/// without a covered ticket) and their week. With a dimension filter, only
/// responses to covered tickets.
fn surveys_with_tickets(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    rows: &DataFrame,
) -> Result<DataFrame, MetricsError> {
    let f = &cfg.filters;
    let responses = ds
        .surveys
        .clone()
        .lazy()
        .filter(col("submitted").lt_eq(lit(as_of)))
        .filter(in_period(col("submitted"), f))
        .collect()?;
    // `s_tid` is the ticket's position in `rows`: its columns are gathered.
    let mut keys = vec!["bucket".to_string(), "kept".to_string(), "cell".to_string()];
    keys.extend(DIMENSIONS.iter().map(|d| Dataset::code_column(d)));
    let tickets = rows
        .select(keys.iter().map(String::as_str))?
        .take(responses.column("s_tid")?.u32()?)?;
    let kept = col("kept").fill_null(lit(false));
    let joined = responses.hstack(tickets.columns())?.lazy();
    let joined = if f.dimensions.values().any(|v| !v.is_empty()) {
        joined.filter(kept)
    } else {
        // Tickets created after as_of are not covered: no dimensions.
        joined.with_columns(
            keys.iter()
                .filter(|k| *k != "kept")
                .map(|k| {
                    when(kept.clone())
                        .then(col(k.as_str()))
                        .otherwise(lit(NULL))
                        .alias(k.as_str())
                })
                .collect::<Vec<_>>(),
        )
    };
    Ok(joined
        .with_columns([week_expr(col("submitted"), cfg.zone).alias("week")])
        .collect()?)
}

/// The weeks `by_week` covers for a config: from the period's start (or the
/// first ticket or response) to its end (or the week of as_of), every week.
/// Cheap: no metric is computed.
pub fn week_span(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<Vec<i64>, MetricsError> {
    if ds.tickets.height() == 0 && ds.surveys.height() == 0 {
        return Ok(Vec::new());
    }
    let f = &cfg.filters;
    let first = match f.from {
        Some(from) => calendar::week_index(from, cfg.zone),
        None => {
            let t = ds.tickets.column("created")?.i64()?.min();
            let s = ds.surveys.column("submitted")?.i64()?.min();
            match (t, s) {
                (Some(a), Some(b)) => calendar::week_index(a.min(b), cfg.zone),
                (Some(a), None) | (None, Some(a)) => calendar::week_index(a, cfg.zone),
                (None, None) => return Ok(Vec::new()),
            }
        }
    };
    let end = f.to.map_or(as_of, |t| t.min(as_of));
    let last = calendar::week_index(
        if f.to.is_some_and(|t| t <= as_of) {
            end - 1
        } else {
            end
        },
        cfg.zone,
    );
    if last < first {
        return Ok(Vec::new());
    }
    Ok((first..=last).collect())
}

#[allow(clippy::too_many_arguments)]
fn weekly(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    created: &LazyFrame,
    resolved: &LazyFrame,
    quantiles: Vec<Vec<DataFrame>>,
    base: &LazyFrame,
    surveys: &LazyFrame,
    silence_ms: i64,
) -> Result<Vec<(i64, MetricSet)>, MetricsError> {
    let weeks = week_span(ds, cfg, as_of)?;
    let (Some(&first), Some(&last)) = (weeks.first(), weeks.last()) else {
        return Ok(Vec::new());
    };
    // A ticket can be open at the end of weeks [created_week, until]: the
    // week before its resolution at the latest (the end of the week it was
    // resolved in is after it); explode those.
    let cutoffs: Vec<i64> = weeks
        .iter()
        .map(|w| calendar::week_bounds(*w, cfg.zone).1.min(as_of))
        .collect();
    let cutoff_df = DataFrame::new_infer_height(vec![
        Column::new("week".into(), weeks.clone()),
        Column::new("cutoff".into(), cutoffs),
    ])?;
    let as_of_week = calendar::week_index(as_of, cfg.zone);
    let until = when(col("res").is_null())
        .then(lit(as_of_week.min(last)))
        .otherwise((col("res_week") - lit(1i64)).clip_max(lit(last)));
    let spans = base
        .clone()
        .filter(col("created_week").lt_eq(lit(last)))
        .with_columns([
            col("created_week").clip_min(lit(first)).alias("w0"),
            until.alias("w1"),
        ])
        .filter(col("w1").gt_eq(col("w0")))
        .with_columns([
            int_ranges(col("w0"), col("w1") + lit(1i64), lit(1i64), DataType::Int64).alias("week"),
        ])
        .explode(
            cols(["week"]),
            ExplodeOptions {
                empty_as_null: false,
                keep_nulls: false,
            },
        )
        .join(
            cutoff_df.lazy(),
            [col("week")],
            [col("week")],
            JoinArgs::new(JoinType::Inner),
        );
    // Planned together so that polars runs them at once. The cohorts come in
    // `compute`'s order, which `quantiles` follows.
    let cohorts = [
        (created.clone(), &CREATED),
        (resolved.clone(), &RESOLVED),
        (spans.with_columns(state_flags(silence_ms)), &STATE),
        (surveys.clone(), &SURVEYS),
    ];
    let plans: Vec<DslPlan> = cohorts
        .into_iter()
        .zip(quantiles)
        .map(|((lf, family), quantiles)| {
            let sums = lf
                .group_by([col(family.week).alias("key")])
                .agg((family.sums)());
            family.finish(sums, quantiles).logical_plan
        })
        .collect();
    let mut rows = LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())?
        .into_iter()
        .map(Rows::new);
    let mut next = || {
        rows.next().unwrap_or_else(|| {
            Err(MetricsError::Polars(PolarsError::ComputeError(
                "missing weekly figures".into(),
            )))
        })
    };
    let fam = Families {
        created: next()?,
        resolved: next()?,
        state: next()?,
        surveys: next()?,
    };
    Ok(weeks
        .into_iter()
        .map(|w| (w, fam.metric_set(&w.to_string(), cfg.hourly_cost)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::utc_ms;

    #[test]
    fn dictionary_codes_follow_sorted_values() {
        let values = vec![
            Some("team b".to_string()),
            None,
            Some("team a".to_string()),
            Some("team b".to_string()),
        ];
        let mut encoder = DimensionEncoder::default();
        for v in &values {
            encoder.push(v.as_deref());
        }
        let (dictionary, codes) = encoder.finish();
        assert_eq!(dictionary, vec!["team a", "team b"]);
        assert_eq!(codes, vec![Some(1), None, Some(0), Some(1)]);
    }

    #[test]
    fn cells_sort_rows_by_their_codes_and_keep_ties_in_order() {
        // Rows 0..6 with codes in the first two dimensions (the others empty).
        let first = vec![Some(1), None, Some(0), Some(1), Some(0), None];
        let second = vec![Some(2), Some(0), None, Some(2), Some(1), Some(0)];
        let mut codes: [Vec<Option<u32>>; DIMENSIONS.len()] = Default::default();
        codes[0] = first;
        codes[1] = second;
        for d in codes.iter_mut().skip(2) {
            *d = vec![None; 6];
        }
        let cells = CellOrder::new(&codes, 6);
        // (0,1) (0,none) (1,2) (1,2) (none,0) (none,0): equal rows keep their order.
        assert_eq!(cells.order, vec![4, 2, 0, 3, 1, 5]);
        assert_eq!(cells.cells, vec![0, 1, 2, 2, 3, 3]);
        let first_codes: Vec<Option<u32>> = cells.codes(0).collect();
        assert_eq!(
            first_codes,
            vec![Some(0), Some(0), Some(1), Some(1), None, None]
        );
        let second_codes: Vec<Option<u32>> = cells.codes(1).collect();
        assert_eq!(
            second_codes,
            vec![Some(1), None, Some(2), Some(2), Some(0), Some(0)]
        );
    }

    #[test]
    fn responses_link_to_the_first_source_with_the_id_whatever_the_row_order() {
        let sources = StringChunked::new("source".into(), ["zendesk", "jira", "jira", "zendesk"]);
        let ids = StringChunked::new("ticket_id".into(), ["7", "7", "8", "9"]);
        let asked = vec![
            Some("7".to_string()),
            Some("9".into()),
            Some("1".into()),
            None,
        ];
        assert_eq!(
            link_surveys(&sources, &ids, &asked),
            vec![Some(1), Some(3), None, None]
        );
    }

    #[test]
    fn encoders_appended_recode_to_one_dictionary() {
        let mut a = DimensionEncoder::default();
        for v in [Some("b"), None, Some("c")] {
            a.push(v);
        }
        let mut b = DimensionEncoder::default();
        for v in [Some("a"), Some("c"), Some("b"), None] {
            b.push(v);
        }
        a.append(b);
        let (dictionary, codes) = a.finish();
        assert_eq!(dictionary, vec!["a", "b", "c"]);
        assert_eq!(
            codes,
            vec![Some(1), None, Some(2), Some(0), Some(2), Some(1), None]
        );
    }

    /// A database of generated tickets and responses in a fresh directory.
    fn sample_store(name: &str, tickets: usize, seed: u64) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("secdesk-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let data = crate::samples::generate(&crate::samples::SampleSpec {
            tickets,
            seed,
            end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
            survey_share: 0.3,
        });
        let (t, s) = (dir.join("t.csv"), dir.join("s.csv"));
        crate::samples::write_csv(&data, &t, &s).expect("csv");
        let mut store = Store::open(&dir.join("db")).expect("db");
        let opts = crate::import::ImportOptions::default();
        crate::import::import_ticket_file(&mut store, &t, &opts, "now", &mut |_, _| true)
            .expect("tickets");
        crate::import::import_survey_file(
            &mut store,
            &s,
            &crate::survey::SurveyOptions::default(),
            "now",
            &mut |_, _| true,
        )
        .expect("surveys");
        (store, dir)
    }

    #[test]
    fn reading_in_two_parts_gives_the_same_dataset_as_one_read() {
        let (store, dir) = sample_store("split", 3_000, 5);
        let whole = Dataset::load_split_from(&store, usize::MAX).expect("one read");
        let parts = Dataset::load_split_from(&store, 0).expect("two parts");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(whole.ticket_count(), 3_000);
        assert!(whole.tickets.equals_missing(&parts.tickets));
        assert!(whole.surveys.equals_missing(&parts.surveys));
        assert_eq!(whole.dictionaries, parts.dictionaries);
        assert_eq!(whole.latest, parts.latest);
        let cfg = MetricsConfig::default();
        assert_eq!(
            compute(&whole, &cfg).expect("whole"),
            compute(&parts, &cfg).expect("parts")
        );
    }

    #[test]
    fn quantiles_agree_with_polars_grouped_quantiles_under_filters() {
        let (store, dir) = sample_store("quantiles", 2_000, 11);
        let ds = Dataset::load(&store).expect("load");
        let _ = std::fs::remove_dir_all(&dir);
        let as_of = ds.latest.expect("data") - 20 * MS_PER_DAY;
        let (from, to) = (as_of - 200 * MS_PER_DAY, as_of - 10 * MS_PER_DAY);
        let team = ds.dimension_values("team").expect("teams")[0].clone();
        let mut cfg = MetricsConfig {
            as_of: Some(as_of),
            ..MetricsConfig::default()
        };
        cfg.filters.from = Some(from);
        cfg.filters.to = Some(to);
        cfg.filters
            .dimensions
            .insert("team".into(), vec![team.clone(), NO_VALUE.into()]);
        let report = compute(&ds, &cfg).expect("compute");
        let team_code = ds.code("team", &team).expect("code");

        // Median and p90 of `event - created` (by as_of) per value of `dim`, for
        // the tickets of the team (or none) whose `cohort` instant is in the period.
        let expected =
            |event: &str, unit: i64, cohort: &str, dim: &str| -> Vec<(String, f64, f64)> {
                let end = when(col(event).lt_eq(lit(as_of)))
                    .then(col(event))
                    .otherwise(null_i64());
                let df = ds
                    .tickets
                    .clone()
                    .lazy()
                    .with_columns([end.clone().alias("end")])
                    .filter(col("created").lt_eq(lit(as_of)))
                    .filter(
                        col("team_code")
                            .eq(lit(team_code))
                            .or(col("team_code").is_null()),
                    )
                    .with_columns([duration_between(col("created"), col("end"), unit).alias("d")])
                    .filter(col("d").is_not_null())
                    .filter(col(cohort).gt_eq(lit(from)).and(col(cohort).lt(lit(to))))
                    .group_by([col(dim)])
                    .agg([
                        col("d").median().alias("median"),
                        col("d")
                            .quantile(lit(0.9), QuantileMethod::Linear)
                            .alias("p90"),
                    ])
                    .sort([dim], SortMultipleOptions::default())
                    .collect()
                    .expect("polars");
                let names = df.column(dim).expect("dim").str().expect("str").clone();
                let median = df
                    .column("median")
                    .expect("median")
                    .f64()
                    .expect("f64")
                    .clone();
                let p90 = df.column("p90").expect("p90").f64().expect("f64").clone();
                (0..df.height())
                    .map(|i| {
                        (
                            names.get(i).unwrap_or(NO_VALUE).to_string(),
                            median.get(i).expect("median"),
                            p90.get(i).expect("p90"),
                        )
                    })
                    .collect()
            };
        let reported = |dim: &str, stats: &dyn Fn(&MetricSet) -> DurationStats| {
            let mut rows: Vec<(String, f64, f64)> = report.by_dimension[dim]
                .iter()
                .filter_map(|(k, m)| {
                    let s = stats(m);
                    Some((k.clone(), s.median?, s.p90?))
                })
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows
        };
        let mut by_department =
            expected("first_response_at", MS_PER_MINUTE, "created", "department");
        by_department.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(by_department.len() > 3);
        assert_eq!(
            reported("department", &|m| m.first_response_minutes),
            by_department
        );
        let mut by_priority = expected("resolved_at", MS_PER_HOUR, "end", "priority");
        by_priority.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(by_priority.len() > 2);
        assert_eq!(reported("priority", &|m| m.resolution_hours), by_priority);
    }

    /// Two tickets created Friday 16:00 UTC, answered Monday 10:00.
    fn weekend_dataset() -> Dataset {
        let created = utc_ms(2026, 11, 13, 16, 0);
        let answered = utc_ms(2026, 11, 16, 10, 0);
        let t = TicketColumns {
            source: vec!["t".into(); 2],
            ticket_id: vec!["1".into(), "2".into()],
            created_at: vec![created; 2],
            first_response_at: vec![Some(answered); 2],
            resolved_at: vec![None; 2],
            closed_at: vec![None; 2],
            last_update_at: vec![None; 2],
            status: vec!["open".into(); 2],
            priority: vec![Some("P3".into()), None],
            category: vec![None; 2],
            team: vec![Some("SOC".into()), Some("IAM".into())],
            assignee: vec![None; 2],
            requester: vec![None; 2],
            department: vec![None; 2],
            channel: vec![None; 2],
            reopen_count: vec![0; 2],
            follow_ups: vec![None; 2],
            affected_users: vec![1; 2],
            reassignment_count: vec![None; 2],
            knowledge: vec![None; 2],
        };
        Dataset::from_columns(t, SurveyColumns::default()).expect("dataset")
    }

    #[test]
    fn business_durations_follow_the_calendar_asked_for() {
        let ds = weekend_dataset();
        let office = MetricsConfig::default();
        let always = MetricsConfig {
            calendar: BusinessCalendar {
                days: vec![1, 2, 3, 4, 5, 6, 7],
                open_minute: 0,
                close_minute: 24 * 60,
                holidays: Vec::new(),
            },
            ..MetricsConfig::default()
        };
        let business = |cfg: &MetricsConfig| {
            compute(&ds, cfg)
                .expect("compute")
                .overall
                .first_response_business_minutes
                .median
        };
        // Friday 16–17 and Monday 9–10 are open: 120 minutes.
        assert_eq!(business(&office), Some(120.0));
        // Open all the time: the calendar delay, 66 hours.
        assert_eq!(business(&always), Some(66.0 * 60.0));
        // Back to the first calendar: not the other one's durations.
        assert_eq!(business(&office), Some(120.0));
    }

    #[test]
    fn dimension_filters_and_groups_use_the_values() {
        let ds = weekend_dataset();
        let mut cfg = MetricsConfig::default();
        let r = compute(&ds, &cfg).expect("compute");
        let teams: Vec<&str> = r.by_dimension["team"]
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(teams, vec!["IAM", "SOC"]);
        let priorities: Vec<&str> = r.by_dimension["priority"]
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(priorities, vec![NO_VALUE, "P3"]);
        cfg.filters
            .dimensions
            .insert("team".into(), vec!["SOC".into(), "nobody".into()]);
        assert_eq!(compute(&ds, &cfg).expect("compute").overall.tickets, 1);
        cfg.filters
            .dimensions
            .insert("priority".into(), vec![NO_VALUE.into()]);
        assert_eq!(compute(&ds, &cfg).expect("compute").overall.tickets, 0);
        cfg.filters.dimensions.remove("team");
        assert_eq!(compute(&ds, &cfg).expect("compute").overall.tickets, 1);
    }
}
