//! The loaded data as polars frames (tickets, responses, requester-facing
//! updates) with each dimension's dictionary, and what is kept per business
//! calendar: business-hours durations and the tickets' order by each
//! duration. Read from the store once; many computations follow.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use polars::prelude::*;

use super::cells::FastMap;
use super::families::{Family, ORDERED_FAMILIES};
use super::frame::TicketFrameBuilder;
use super::kept::{Link, READINGS};
use super::order::{DurationOrder, GroupKeys, KeyColumn};
use super::rows::{calendar_key, period_expr, ticket_rows};
use super::snapshot::SnapshotFacts;
use super::{Filters, MetricsConfig, DIMENSIONS, NO_VALUE};
use crate::calendar::{BusinessCalendar, BusinessClock, Period, SourceZone};
use crate::error::MetricsError;
use crate::model::{EventKind, Instant, Measures, Status, SurveyScale, MS_PER_HOUR, MS_PER_MINUTE};
use crate::store::{
    LoadedSources, SourceRows, StatusEvent, Store, StoredTicket, SurveyColumns, TicketColumns,
};

/// The loaded data, as polars frames, ready for many computations.
///
/// Tickets carry each dimension as its dictionary code (`<dim>_code`, index
/// into the dimension's dictionary): groups and filters work on the
/// integers, and the per-ticket rows of a computation gather the texts
/// (`priority`, `team` …) where a plan reads them. `tid` numbers the
/// tickets and `s_tid` links a response to its ticket's number.
#[derive(Clone)]
pub struct Dataset {
    pub tickets: DataFrame,
    pub surveys: DataFrame,
    /// Latest timestamp anywhere in the data.
    pub latest: Option<Instant>,
    /// Latest timestamp of the tickets alone.
    pub(super) ticket_latest: Option<Instant>,
    /// Dimension → its distinct values, sorted (code = position).
    pub(super) dictionaries: BTreeMap<&'static str, Vec<String>>,
    /// The business clock of the last calendar asked for.
    pub(super) business: Arc<Mutex<Option<Arc<BusinessTimes>>>>,
    /// The tickets ordered by each duration, for the last calendar asked for.
    pub(super) orders: Arc<Mutex<Option<Arc<DurationOrders>>>>,
    /// Each ticket's requester as a number (computed when first needed).
    pub(super) requester_numbers: Arc<std::sync::OnceLock<Series>>,
    /// The snapshot this data was read from or written to, if any.
    pub(super) snapshot: Arc<Mutex<Option<Link>>>,
    /// Requester-facing updates from event logs and comment histories:
    /// `tid` (ticket number) and `at`.
    pub updates: DataFrame,
    /// Times tickets waited on their requester (in a pending status), from
    /// status events: `tid`, `from`, `to` (null: still waiting).
    pub pauses: DataFrame,
    /// Per source: its tickets and the latest import that stored one (read
    /// with the tickets; `None` for frames built from columns).
    pub(super) ticket_sources: Option<Vec<SourceRows>>,
    /// The same of the responses.
    pub(super) survey_sources: Option<Vec<SourceRows>>,
}

/// The business calendar's running clock for one calendar and zone, and
/// its reading at each ticket's creation, first response and resolution:
/// the open time between two of them is a difference.
pub(super) struct BusinessTimes {
    pub(super) key: String,
    pub(super) clock: BusinessClock,
    /// `b_created`, `b_fr`, `b_res` (open ms since the clock's origin), and
    /// the business durations `frt_bmin_all` (minutes to first response)
    /// and `res_bh_all` (hours to resolution), divided here, exactly.
    pub(super) columns: [Series; 5],
}

/// The tickets ordered by each duration whose quantiles a report gives, for
/// one calendar and zone (business durations and weeks depend on them).
pub(super) struct DurationOrders {
    pub(super) key: String,
    /// Duration column of [`ticket_rows`] → the tickets ordered by it,
    /// grouped by each dimension and by its cohort's week, month and quarter.
    pub(super) by_column: BTreeMap<&'static str, DurationOrder>,
}

/// Runs `a` on a thread of its own and `b` on this one.
pub(super) fn on_two_threads<A: Send, B>(
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

/// Each loaded ticket's number by (source, ticket id).
fn ticket_numbers<'a>(
    sources: &'a StringChunked,
    ids: &'a StringChunked,
) -> std::collections::HashMap<(&'a str, &'a str), u32, foldhash::fast::FixedState> {
    let mut number: std::collections::HashMap<(&str, &str), u32, foldhash::fast::FixedState> =
        std::collections::HashMap::default();
    for (i, (s, id)) in sources.iter().zip(ids.iter()).enumerate() {
        if let (Some(s), Some(id)) = (s, id) {
            number.entry((s, id)).or_insert(i as u32);
        }
    }
    number
}

fn pause_frame(
    tid: Vec<u32>,
    from: Vec<Instant>,
    to: Vec<Option<Instant>>,
) -> Result<DataFrame, MetricsError> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new("tid".into(), tid),
        Column::new("from".into(), from),
        Column::new("to".into(), to),
    ])?)
}

/// For each response, the number of the ticket with its id (of the first
/// source in name order when several sources have the id).
pub(super) fn link_surveys(
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

/// The responses' frame, each linked to its ticket's number, the latest
/// instant of tickets and responses together, and the responses per source
/// (when the columns say which import stored each).
#[allow(clippy::type_complexity)]
pub(super) fn survey_frame(
    tickets: &DataFrame,
    s: SurveyColumns,
    ticket_latest: Option<Instant>,
) -> Result<(DataFrame, Option<Instant>, Option<Vec<SourceRows>>), MetricsError> {
    let latest = s.submitted_at.iter().copied().chain(ticket_latest).max();
    let sources = (s.import_id.len() == s.source.len()).then(|| {
        let mut list = Vec::new();
        for (source, import_id) in s.source.iter().zip(&s.import_id) {
            SourceRows::tally(&mut list, source, 1, *import_id);
        }
        list.sort_by(|a, b| a.source.cmp(&b.source));
        list
    });
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
    Ok((surveys, latest, sources))
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
    pub(super) fn load_split_from(
        store: &Store,
        min_split: usize,
    ) -> Result<Dataset, MetricsError> {
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
        ds.set_pauses(&store.load_status_events()?)?;
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
        let number = ticket_numbers(&sources, &ids);
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

    /// Turns status events (in each ticket's order) into the times tickets
    /// waited on their requester: from a move to `pending` to the next move
    /// to another status (open-ended when none followed). Events of tickets
    /// that are not loaded are left out.
    pub fn set_pauses(&mut self, events: &[StatusEvent]) -> Result<(), MetricsError> {
        if events.is_empty() && self.pauses.height() == 0 {
            return Ok(());
        }
        let sources = self.tickets.column("source")?.str()?.clone();
        let ids = self.tickets.column("ticket_id")?.str()?.clone();
        let number = ticket_numbers(&sources, &ids);
        let (mut tid, mut from, mut to) = (Vec::new(), Vec::new(), Vec::new());
        let mut open: Option<(u32, Instant)> = None;
        let mut previous: Option<(&str, &str)> = None;
        for e in events {
            let this = (e.source.as_str(), e.ticket_id.as_str());
            if previous != Some(this) {
                // Another ticket: the last one's wait, if any, is still on.
                if let Some((t, start)) = open.take() {
                    tid.push(t);
                    from.push(start);
                    to.push(None);
                }
                previous = Some(this);
            }
            let Some(&t) = number.get(&this) else {
                continue;
            };
            match (open, e.status == Status::Pending) {
                (None, true) => open = Some((t, e.at)),
                (Some((t, start)), false) => {
                    tid.push(t);
                    from.push(start);
                    to.push(Some(e.at));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some((t, start)) = open {
            tid.push(t);
            from.push(start);
            to.push(None);
        }
        self.pauses = pause_frame(tid, from, to)?;
        Ok(())
    }

    /// Whether any ticket has a value for a stored ticket column
    /// (e.g. `first_response_at`, `requester`, `knowledge`), or any response exists
    /// for `rating`, or any update for `updates`.
    pub fn has_field(&self, name: &str) -> bool {
        match name {
            "rating" => self.surveys.height() > 0,
            "updates" => self.updates.height() > 0,
            // A dimension's texts are its codes' (see `text_exprs`).
            _ if DIMENSIONS.contains(&name) => self.has_field(&Dataset::code_column(name)),
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
                measures: t.measures.get(i).copied().unwrap_or(Measures::ALL),
                paused_ms: t.paused_ms.get(i).copied().flatten(),
                import_id: 0,
            });
        }
        let mut ds = Dataset::from_parts(tickets, s)?;
        // No import stored these tickets (nor, unless they say so, the responses).
        ds.ticket_sources = None;
        Ok(ds)
    }

    pub(super) fn from_parts(
        tickets: TicketFrameBuilder,
        s: SurveyColumns,
    ) -> Result<Dataset, MetricsError> {
        let (tickets, dictionaries, ticket_latest, sources) = tickets.finish()?;
        let (surveys, latest, survey_sources) = survey_frame(&tickets, s, ticket_latest)?;
        Ok(Dataset {
            tickets,
            surveys,
            latest,
            ticket_latest,
            dictionaries,
            ticket_sources: Some(sources),
            survey_sources,
            business: Arc::new(Mutex::new(None)),
            orders: Arc::new(Mutex::new(None)),
            requester_numbers: Arc::new(std::sync::OnceLock::new()),
            snapshot: Arc::new(Mutex::new(None)),
            updates: DataFrame::new_infer_height(vec![
                Column::new("tid".into(), Vec::<u32>::new()),
                Column::new("at".into(), Vec::<i64>::new()),
            ])?,
            pauses: pause_frame(Vec::new(), Vec::new(), Vec::new())?,
        })
    }

    /// A dataset from a snapshot's frames, after checking that each has the
    /// columns and types a dataset read from the store has.
    pub(super) fn from_snapshot(
        [tickets, surveys, updates, pauses]: [DataFrame; 4],
        facts: SnapshotFacts,
    ) -> Result<Dataset, MetricsError> {
        let empty = Dataset::from_columns(TicketColumns::default(), SurveyColumns::default())?;
        // Every dimension code is a position in its dictionary.
        for dim in DIMENSIONS {
            let size = facts.dictionaries.get(dim).map_or(0, Vec::len);
            let codes = tickets.column(&Dataset::code_column(dim))?.u32()?;
            if codes.max().is_some_and(|c| c as usize >= size) {
                return Err(MetricsError::Polars(PolarsError::OutOfBounds(
                    format!("a {dim} code past its dictionary").into(),
                )));
            }
        }
        let tickets = tickets.select(empty.tickets.get_column_names_owned())?;
        let expected = [
            &empty.tickets,
            &empty.surveys,
            &empty.updates,
            &empty.pauses,
        ];
        for (frame, like) in [&tickets, &surveys, &updates, &pauses]
            .into_iter()
            .zip(expected)
        {
            if frame.schema() != like.schema() {
                return Err(MetricsError::Polars(PolarsError::SchemaMismatch(
                    "a snapshot frame's columns differ from the data's".into(),
                )));
            }
        }
        let mut tickets = tickets;
        // Written in cell order (see `frame`); the flag is not kept in the file.
        let mut cell = tickets.column("cell")?.u32()?.clone();
        cell.set_sorted_flag(polars::series::IsSorted::Ascending);
        tickets.with_column(cell.into_series().into_column())?;
        Ok(Dataset {
            tickets,
            surveys,
            latest: facts.latest,
            ticket_latest: facts.ticket_latest,
            dictionaries: facts.dictionaries,
            updates,
            pauses,
            ticket_sources: facts.ticket_sources,
            survey_sources: facts.survey_sources,
            ..empty
        })
    }

    /// This dataset's tickets with other responses (the tickets unchanged:
    /// only responses were imported or forgotten since it was read).
    pub(super) fn with_surveys(self, s: SurveyColumns) -> Result<Dataset, MetricsError> {
        let (surveys, latest, survey_sources) = survey_frame(&self.tickets, s, self.ticket_latest)?;
        Ok(Dataset {
            tickets: self.tickets,
            surveys,
            latest,
            ticket_latest: self.ticket_latest,
            dictionaries: self.dictionaries,
            updates: self.updates,
            pauses: self.pauses,
            ticket_sources: self.ticket_sources,
            survey_sources,
            business: Arc::new(Mutex::new(None)),
            orders: Arc::new(Mutex::new(None)),
            requester_numbers: Arc::new(std::sync::OnceLock::new()),
            snapshot: Arc::new(Mutex::new(None)),
        })
    }

    /// The business clock of a calendar and zone, with each ticket's
    /// creation, first response and resolution read on it (once per calendar).
    pub(super) fn business_times(
        &self,
        calendar: &BusinessCalendar,
        zone: SourceZone,
    ) -> Result<Arc<BusinessTimes>, MetricsError> {
        let key = calendar_key(calendar, zone);
        let mut cache = self
            .business
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = cache.as_ref().filter(|b| b.key == key) {
            return Ok(b.clone());
        }
        let created = self.tickets.column("created")?.i64()?;
        let first = created.min().unwrap_or(0);
        let clock = BusinessClock::new(calendar, zone, first, self.latest.unwrap_or(first));
        let [b_created, b_fr, b_res] = match self.kept_readings(&key) {
            Some(readings) => readings,
            None => {
                let read = |name: &str, out: &str| -> Result<Series, MetricsError> {
                    let ca: Int64Chunked = self
                        .tickets
                        .column(name)?
                        .i64()?
                        .iter()
                        .map(|t| t.map(|t| clock.at(t)))
                        .collect();
                    Ok(ca.with_name(out.into()).into_series())
                };
                let (a, b) = on_two_threads(
                    || read("first_response_at", READINGS[1]),
                    || -> Result<_, MetricsError> {
                        Ok((
                            read("created", READINGS[0])?,
                            read("resolved_at", READINGS[2])?,
                        ))
                    },
                )?;
                let (b_created, b_res) = b?;
                [b_created, a?, b_res]
            }
        };
        let duration = |end: &Series, unit_ms: i64, name: &str| -> Result<Series, MetricsError> {
            let ca: Float64Chunked = b_created
                .i64()?
                .iter()
                .zip(end.i64()?.iter())
                .map(|(c, e)| Some((e? - c?).max(0) as f64 / unit_ms as f64))
                .collect();
            Ok(ca.with_name(name.into()).into_series())
        };
        let frt = duration(&b_fr, MS_PER_MINUTE, "frt_bmin_all")?;
        let res = duration(&b_res, MS_PER_HOUR, "res_bh_all")?;
        let times = Arc::new(BusinessTimes {
            key,
            clock,
            columns: [b_created, b_fr, b_res, frt, res],
        });
        *cache = Some(times.clone());
        Ok(times)
    }

    /// The tickets ordered by each duration, for a config's calendar and
    /// zone (computed once per calendar; filters and as_of do not change it).
    pub(super) fn duration_orders(
        &self,
        cfg: &MetricsConfig,
    ) -> Result<Arc<DurationOrders>, MetricsError> {
        let key = calendar_key(&cfg.calendar, cfg.zone);
        let mut cache = self
            .orders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(orders) = cache.as_ref().filter(|o| o.key == key) {
            return Ok(orders.clone());
        }
        if let Some(orders) = self.kept_orders(&key) {
            let orders = Arc::new(orders);
            *cache = Some(orders.clone());
            return Ok(orders);
        }
        // Taken at the latest instant of the data, no duration is hidden.
        let whole = MetricsConfig {
            filters: Filters::default(),
            ..cfg.clone()
        };
        let families = ORDERED_FAMILIES;
        let mut columns: Vec<Expr> = DIMENSIONS
            .iter()
            .map(|d| col(Dataset::code_column(d).as_str()))
            .collect();
        for family in families {
            columns.push(col(family.week));
            for (period, name) in [(Period::Month, "month"), (Period::Quarter, "quarter")] {
                columns.push(
                    period_expr(col(family.at), cfg.zone, period)
                        .alias(format!("{}_{name}", family.at)),
                );
            }
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
            // The periods after the dimensions: week, month, quarter (see
            // `families::grouping`).
            keys.push(KeyColumn::Weeks(rows.column(family.week)?.i64()?));
            for name in ["month", "quarter"] {
                keys.push(KeyColumn::Weeks(
                    rows.column(&format!("{}_{name}", family.at))?.i64()?,
                ));
            }
            let keys = GroupKeys::new(&keys);
            family
                .durations
                .iter()
                .map(|(value, _)| {
                    Ok((
                        *value,
                        DurationOrder::with_keys(rows.column(value)?.f64()?, &keys),
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
        // Kept in the snapshot for the next open (a snapshot that cannot be
        // written is only slower next time).
        let business = self.business_times(&cfg.calendar, cfg.zone)?;
        let _ = self.keep_calendar(&business, &orders);
        Ok(orders)
    }

    /// Each ticket's requester as a number, the same for the same requester
    /// (null without one): requesters compared and sorted as integers.
    pub(super) fn requester_numbers(&self) -> Result<Series, MetricsError> {
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
    pub(super) fn code_column(dim: &str) -> String {
        format!("{dim}_code")
    }

    /// Dictionary code of a dimension value, if any ticket has it.
    pub(super) fn code(&self, dim: &str, value: &str) -> Option<u32> {
        let dictionary = self.dictionaries.get(dim)?;
        dictionary
            .binary_search_by(|v| v.as_str().cmp(value))
            .ok()
            .map(|c| c as u32)
    }

    /// Group label of a dimension code.
    pub(super) fn label(&self, dim: &str, code: Option<u32>) -> String {
        code.and_then(|c| {
            self.dictionaries
                .get(dim)
                .and_then(|d| d.get(c as usize))
                .cloned()
        })
        .unwrap_or_else(|| NO_VALUE.to_string())
    }

    /// Per source: its tickets and responses and the latest import that
    /// stored one, as read with them (`None`: not read from a store).
    pub fn sources(&self) -> LoadedSources<'_> {
        LoadedSources {
            tickets: self.ticket_sources.as_deref(),
            surveys: self.survey_sources.as_deref(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::rollup::compute;
    use crate::metrics::testdata::{sample_store, weekend_dataset};

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
}
