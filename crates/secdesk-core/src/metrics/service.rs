//! Figures beyond the contract's metric keys that the success-factor
//! scorecard, the impact panel and the action lists need: hand-offs, CSAT of
//! reopened tickets, gaps between updates, self-service and knowledge shares,
//! repeat requests, the "what if the SLA had been met" saving, and the open
//! tickets that need action. Same conventions as the metrics: attribution by
//! the completing event, `as_of` and filters from the config.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::Dataset;
use super::families::f64_at;
use super::policy::{priority_index, Clock};
use super::rows::{
    in_period, last_touch, pause_columns, period_expr, state_flags, ticket_base, ticket_rows,
};
use super::{MetricsConfig, BUCKETS};
use crate::calendar::Period;
use crate::error::MetricsError;
use crate::model::{is_self_service_channel, Instant, MS_PER_DAY, MS_PER_HOUR};

/// Window in which a second ticket of the same requester and category is a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 30;

/// Service figures of one period (the config's filters).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceFigures {
    /// Mean reassignments over tickets created in the period that carry the field.
    pub reassignments_per_ticket: Option<f64>,
    /// Satisfied share of responses about tickets that were reopened.
    pub csat_reopened: Option<f64>,
    pub rated_reopened: i64,
    /// Satisfied share of responses about tickets that were not reopened.
    pub csat_not_reopened: Option<f64>,
    pub rated_not_reopened: i64,
    /// Median hours between consecutive requester-facing touches (creation,
    /// then each public update) of tickets created in the period that have updates.
    pub median_update_gap_hours: Option<f64>,
    /// Tickets created in the period through a self-service channel ÷ tickets with a channel.
    pub self_service_share: Option<f64>,
    /// Tickets resolved in the period with a knowledge article ÷ resolved tickets that say.
    pub knowledge_share: Option<f64>,
    /// Tickets resolved in the period within 24 hours of creation ÷ resolved tickets.
    pub resolved_within_day_share: Option<f64>,
    /// P1 and P2 tickets created in the period ÷ tickets with a priority.
    pub high_priority_share: Option<f64>,
    /// Tickets created in the period whose requester opened a ticket in the same
    /// category in the 30 days before ÷ tickets with requester and category.
    pub repeat_request_share: Option<f64>,
}

/// Computes the service figures of the config's period and filters.
pub fn service_figures(ds: &Dataset, cfg: &MetricsConfig) -> Result<ServiceFigures, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let f = &cfg.filters;
    let self_service: Vec<u32> = ds
        .dictionaries
        .get("channel")
        .map(|d| {
            d.iter()
                .enumerate()
                .filter(|(_, v)| is_self_service_channel(v))
                .map(|(i, _)| i as u32)
                .collect()
        })
        .unwrap_or_default();
    let self_codes = lit(Series::new("s".into(), self_service)).implode(false);
    let high = lit(Series::new("h".into(), ["P1", "P2"])).implode(false);
    // Only the columns read below (the tickets' rows have many more).
    let base = ticket_base(ds, cfg, as_of)?
        .select(
            [
                "tid",
                "category_code",
                "channel_code",
                "priority",
                "created",
                "res",
                "res_h",
                "reassignments",
                "knowledge",
                "reopened",
            ]
            .map(col),
        )
        .collect()?;
    // Repeat requests look back over every earlier ticket, in or out of the
    // period: the columns they need, sorted by category, requester and
    // creation, each ticket compared with the one before; then back in the
    // tickets' order.
    let same_as_previous = |c: &str| col(c).eq(col(c).shift(lit(1)));
    let repeat = base
        .clone()
        .lazy()
        .select([
            col("tid"),
            col("category_code"),
            lit(ds.requester_numbers()?)
                .gather(col("tid"), false)
                .alias("requester_no"),
            col("created"),
        ])
        .sort(
            ["category_code", "requester_no", "created"],
            Default::default(),
        )
        .select([
            col("tid"),
            when(
                col("requester_no")
                    .is_null()
                    .or(col("category_code").is_null()),
            )
            .then(lit(NULL).cast(DataType::Boolean))
            .when(same_as_previous("category_code").and(same_as_previous("requester_no")))
            .then(
                (col("created") - col("created").shift(lit(1)))
                    .lt_eq(lit(REPEAT_WINDOW_DAYS * MS_PER_DAY)),
            )
            .otherwise(lit(false))
            .alias("repeat"),
        ])
        .sort(["tid"], Default::default())
        .select([col("repeat")])
        .collect()?;
    let base = base.hstack(repeat.columns())?.lazy();
    let created = base.clone().filter(in_period(col("created"), f));
    let resolved = base.clone().filter(in_period(col("res"), f));
    let c = created
        .clone()
        .select([
            col("reassignments")
                .cast(DataType::Float64)
                .mean()
                .alias("reassign"),
            col("channel_code")
                .is_in(self_codes, false)
                .cast(DataType::Float64)
                .mean()
                .alias("self_service"),
            col("priority")
                .is_in(high, false)
                .cast(DataType::Float64)
                .mean()
                .alias("high"),
            col("repeat").cast(DataType::Float64).mean().alias("repeat"),
        ])
        .collect()?;
    let r = resolved
        .select([
            col("knowledge")
                .cast(DataType::Float64)
                .mean()
                .alias("knowledge"),
            col("res_h")
                .lt_eq(lit(24.0))
                .cast(DataType::Float64)
                .mean()
                .alias("within_day"),
        ])
        .collect()?;

    // CSAT of responses about reopened and not reopened tickets.
    let by_reopen = ds
        .surveys
        .clone()
        .lazy()
        .filter(col("submitted").lt_eq(lit(as_of)))
        .filter(in_period(col("submitted"), f))
        .join(
            base.clone().select([col("tid"), col("reopened")]),
            [col("s_tid")],
            [col("tid")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col("reopened")])
        .agg([
            len().cast(DataType::Int64).alias("rated"),
            col("satisfied")
                .cast(DataType::Float64)
                .mean()
                .alias("share"),
        ])
        .collect()?;
    let mut figures = ServiceFigures {
        reassignments_per_ticket: f64_at(&c, "reassign", 0),
        self_service_share: f64_at(&c, "self_service", 0).filter(|_| ds.has_field("channel")),
        high_priority_share: f64_at(&c, "high", 0).filter(|_| ds.has_field("priority")),
        repeat_request_share: f64_at(&c, "repeat", 0),
        knowledge_share: f64_at(&r, "knowledge", 0),
        resolved_within_day_share: f64_at(&r, "within_day", 0),
        ..ServiceFigures::default()
    };
    let flags = by_reopen.column("reopened")?.bool()?.clone();
    for (i, flag) in flags.iter().enumerate() {
        let rated = f64_at(&by_reopen, "rated", i).unwrap_or(0.0) as i64;
        let share = f64_at(&by_reopen, "share", i);
        match flag {
            Some(true) => {
                figures.rated_reopened = rated;
                figures.csat_reopened = share;
            }
            Some(false) => {
                figures.rated_not_reopened = rated;
                figures.csat_not_reopened = share;
            }
            None => {}
        }
    }

    // Gaps between touches: creation, then every public update up to as_of.
    if ds.updates.height() > 0 {
        let cohort = created.select([col("tid"), col("created").alias("at")]);
        let updates = ds
            .updates
            .clone()
            .lazy()
            .filter(col("at").lt_eq(lit(as_of)))
            .join(
                cohort.clone().select([col("tid")]),
                [col("tid")],
                [col("tid")],
                JoinArgs::new(JoinType::Inner),
            );
        let with_updates = updates
            .clone()
            .select([col("tid")])
            .unique(None, UniqueKeepStrategy::Any);
        let gaps = concat([cohort, updates], UnionArgs::default())?
            .join(
                with_updates,
                [col("tid")],
                [col("tid")],
                JoinArgs::new(JoinType::Inner),
            )
            .sort(["tid", "at"], Default::default())
            .select([((col("at") - col("at").shift(lit(1)).over([col("tid")])?)
                .cast(DataType::Float64)
                / lit(MS_PER_HOUR as f64))
            .alias("gap")])
            .select([col("gap").median().alias("gap")])
            .collect()?;
        figures.median_update_gap_hours = f64_at(&gaps, "gap", 0);
    }
    Ok(figures)
}

/// What the config's period would have looked like had every ticket of one
/// priority been answered within its first-response target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub priority: String,
    pub target_hours: f64,
    /// Tickets of that priority created in the period.
    pub tickets: i64,
    /// Of them, answered (or still waiting) beyond the target.
    pub breached: i64,
    /// Their blocked hours as they were.
    pub blocked_hours: Option<f64>,
    /// Blocked hours saved: per ticket, the wait beyond the target (at most
    /// the time it was held), × affected users.
    pub saved_blocked_hours: Option<f64>,
    pub saved_cost: Option<f64>,
}

/// The saving had first response in `priority` met its target (see [`WhatIf`]).
pub fn what_if(ds: &Dataset, cfg: &MetricsConfig, priority: &str) -> Result<WhatIf, MetricsError> {
    what_if_by_priority(ds, cfg, &[priority])?
        .pop()
        .ok_or_else(|| MetricsError::Polars(PolarsError::ComputeError("no what-if".into())))
}

/// [`what_if`] for several priorities, in one pass over the tickets; one
/// entry per priority asked, in the order asked.
pub fn what_if_by_priority(
    ds: &Dataset,
    cfg: &MetricsConfig,
    priorities: &[&str],
) -> Result<Vec<WhatIf>, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let asked = lit(Series::new("p".into(), priorities)).implode(false);
    let df = ticket_base(ds, cfg, as_of)?
        .filter(in_period(col("created"), &cfg.filters))
        .filter(col("priority").is_in(asked, false).fill_null(lit(false)))
        .with_columns([
            (polars::lazy::dsl::min_horizontal([col("fr_over"), col("held")])?
                .cast(DataType::Float64)
                / lit(MS_PER_HOUR as f64)
                * col("affected_users").cast(DataType::Float64))
            .alias("saved_h"),
        ])
        .group_by([col("priority")])
        .agg([
            len().cast(DataType::Int64).alias("tickets"),
            col("breached")
                .sum()
                .cast(DataType::Int64)
                .alias("breached"),
            col("blocked_h").sum().alias("blocked_h"),
            col("saved_h").sum().alias("saved_h"),
        ])
        .collect()?;
    let groups = df.column("priority")?.str()?.clone();
    Ok(priorities
        .iter()
        .map(|&priority| {
            let row = groups.iter().position(|g| g == Some(priority));
            let at = |name: &str| row.and_then(|i| f64_at(&df, name, i));
            let tickets = at("tickets").unwrap_or(0.0) as i64;
            let some = |name: &str| (tickets > 0).then(|| at(name).unwrap_or(0.0));
            let saved = some("saved_h");
            let target_ms = cfg.sla.first_response[priority_index(Some(priority))].ms;
            WhatIf {
                priority: priority.to_string(),
                target_hours: target_ms as f64 / MS_PER_HOUR as f64,
                tickets,
                breached: at("breached").unwrap_or(0.0) as i64,
                blocked_hours: some("blocked_h"),
                saved_blocked_hours: saved,
                saved_cost: saved.map(|h| h * cfg.hourly_cost),
            }
        })
        .collect())
}

/// A text column of a collected frame, as owned values.
pub(super) fn text_column(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>, MetricsError> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|v| v.map(str::to_string))
        .collect())
}

/// A boolean column of a collected frame, null read as false.
pub(super) fn flag_column(df: &DataFrame, name: &str) -> Result<Vec<bool>, MetricsError> {
    Ok(df
        .column(name)?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect())
}

/// A ticket open at the cut-off, with what makes it need action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenTicket {
    pub ticket_id: String,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub department: Option<String>,
    pub created_at: Instant,
    /// Hours on the first-response target's clock until the response (or
    /// the cut-off if none yet), less the time waited on the requester.
    pub first_response_wait_hours: f64,
    pub target_hours: f64,
    /// The clock the target runs on.
    pub clock: Clock,
    /// The first-response target passed before a response (or the cut-off).
    pub breached: bool,
    /// Days since the last requester-facing touch (creation if none).
    pub days_since_update: f64,
    /// Longer than the silence threshold.
    pub silent: bool,
}

/// Tickets open at the cut-off (the period's end, or as_of), with the
/// config's dimension filters applied; ordered by days since the last update,
/// longest first.
pub fn open_tickets(ds: &Dataset, cfg: &MetricsConfig) -> Result<Vec<OpenTicket>, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let cutoff = cfg.filters.to.map_or(as_of, |t| t.min(as_of));
    let silence_ms = (cfg.silence_days * MS_PER_DAY as f64).round() as i64;
    let answered = when(col("fr").lt_eq(col("cutoff")))
        .then(col("fr"))
        .otherwise(col("cutoff"));
    // The wait on each ticket's first-response clock up to the cut-off,
    // less the time it waited on its requester by then.
    let business = ds.business_times(&cfg.calendar, cfg.zone)?;
    let b_cutoff = business.clock.at(cutoff);
    let (p_cal, p_bus) = match pause_columns(ds, &business.clock, cutoff)? {
        Some([cal, bus, _, _]) => (lit(cal), lit(bus)),
        None => (
            lit(0i64).cast(DataType::Int64),
            lit(0i64).cast(DataType::Int64),
        ),
    };
    let answered_b = when(col("fr").lt_eq(col("cutoff")))
        .then(col("b_fr"))
        .otherwise(lit(b_cutoff));
    let wait = when(col("target_business"))
        .then((answered_b - col("b_created")).clip_min(lit(0i64)) - col("pc_bus"))
        .otherwise(answered - col("created") - col("pc_cal"));
    let df = ticket_rows(ds, cfg, as_of)?
        .with_columns([p_cal.alias("pc_cal"), p_bus.alias("pc_bus")])
        .filter(col("kept"))
        .with_columns([lit(cutoff).alias("cutoff")])
        .with_columns(state_flags(silence_ms))
        .filter(col("is_open"))
        .with_columns([
            wait.alias("wait_ms"),
            (col("cutoff") - last_touch()).alias("quiet_ms"),
        ])
        .sort(
            ["quiet_ms", "ticket_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .select([
            col("ticket_id"),
            col("priority"),
            col("category"),
            col("assignee"),
            col("requester"),
            col("department"),
            col("created"),
            col("wait_ms"),
            col("target"),
            col("target_business"),
            col("quiet_ms"),
            col("silent"),
        ])
        .collect()?;
    let text = |name: &str| text_column(&df, name);
    let ids = text("ticket_id")?;
    let priority = text("priority")?;
    let category = text("category")?;
    let assignee = text("assignee")?;
    let requester = text("requester")?;
    let department = text("department")?;
    let created = df.column("created")?.i64()?.clone();
    let wait = df.column("wait_ms")?.i64()?.clone();
    let target = df.column("target")?.i64()?.clone();
    let quiet = df.column("quiet_ms")?.i64()?.clone();
    let silent = df.column("silent")?.bool()?.clone();
    let on_business = df.column("target_business")?.bool()?.clone();
    Ok((0..df.height())
        .map(|i| {
            let wait_ms = wait.get(i).unwrap_or(0);
            let target_ms = target.get(i).unwrap_or(0);
            OpenTicket {
                ticket_id: ids[i].clone().unwrap_or_default(),
                priority: priority[i].clone(),
                category: category[i].clone(),
                assignee: assignee[i].clone(),
                requester: requester[i].clone(),
                department: department[i].clone(),
                created_at: created.get(i).unwrap_or(0),
                first_response_wait_hours: wait_ms as f64 / MS_PER_HOUR as f64,
                target_hours: target_ms as f64 / MS_PER_HOUR as f64,
                clock: if on_business.get(i).unwrap_or(false) {
                    Clock::Business
                } else {
                    Clock::Calendar
                },
                breached: wait_ms > target_ms,
                days_since_update: quiet.get(i).unwrap_or(0) as f64 / MS_PER_DAY as f64,
                silent: silent.get(i).unwrap_or(false),
            }
        })
        .collect())
}

/// One point of a chart, naming the tickets behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKey {
    /// Tickets created in this ISO week (week index of the reporting zone).
    Week(i64),
    /// Tickets created in this month (`Period::Month` index).
    Month(i64),
    /// Tickets created in this quarter (`Period::Quarter` index).
    Quarter(i64),
    /// Tickets created in the period whose first response fell in this delay
    /// bucket (`< 1h`, …, or `none`).
    Bucket(String),
}

/// One ticket in a list behind a chart point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketRow {
    pub ticket_id: String,
    pub created_at: i64,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub department: Option<String>,
    pub channel: Option<String>,
    /// Minutes to first response (as of the report), if answered.
    pub first_response_minutes: Option<f64>,
    /// First response later than the priority's target (or still waiting past it).
    pub breached: bool,
    /// Hours to resolution, if resolved.
    pub resolution_hours: Option<f64>,
    pub reopened: bool,
    pub follow_ups: Option<i64>,
    /// Open at the cut-off, and silent past the threshold.
    pub open: bool,
    pub silent: bool,
}

/// The position in [`BUCKETS`] of a bucket written loosely: case, spaces,
/// a hyphen for the dash and "none"/"no response" do not matter
/// (`< 1 h`, `1-4h`, `>3D`).
pub fn bucket_position(name: &str) -> Option<usize> {
    let loose = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '–' { '-' } else { c })
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = match loose(name).as_str() {
        "noresponse" | "unanswered" => "none".to_string(),
        other => other.to_string(),
    };
    BUCKETS.iter().position(|b| loose(b) == wanted)
}

/// The tickets behind one chart point, with the config's filters and period:
/// how many there are, and the first `limit` by creation time.
pub fn tickets_behind(
    ds: &Dataset,
    cfg: &MetricsConfig,
    key: &PointKey,
    limit: usize,
) -> Result<(usize, Vec<TicketRow>), MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let cutoff = cfg.filters.to.map_or(as_of, |t| t.min(as_of));
    let silence_ms = (cfg.silence_days * MS_PER_DAY as f64).round() as i64;
    let point = match key {
        PointKey::Week(w) => col("created_week").eq(lit(*w)),
        PointKey::Month(m) => period_expr(col("created"), cfg.zone, Period::Month).eq(lit(*m)),
        PointKey::Quarter(q) => period_expr(col("created"), cfg.zone, Period::Quarter).eq(lit(*q)),
        PointKey::Bucket(b) => {
            let i = bucket_position(b).ok_or_else(|| MetricsError::InvalidOption {
                option: "bucket".into(),
                reason: format!(
                    "`{b}` is not a first-response bucket; buckets: {}",
                    BUCKETS.join(", ")
                ),
            })?;
            col("bucket").eq(lit(i as u32))
        }
    };
    let df = ticket_base(ds, cfg, as_of)?
        .filter(in_period(col("created"), &cfg.filters).and(point))
        .with_columns([lit(cutoff).alias("cutoff")])
        .with_columns(state_flags(silence_ms))
        .sort(["created", "ticket_id"], SortMultipleOptions::default())
        .select([
            col("ticket_id"),
            col("created"),
            col("status"),
            col("priority"),
            col("category"),
            col("team"),
            col("assignee"),
            col("department"),
            col("channel"),
            col("frt_min"),
            col("breached"),
            col("res_h"),
            col("reopened"),
            col("follow_ups").cast(DataType::Int64),
            col("is_open"),
            col("silent"),
        ])
        .collect()?;
    let total = df.height();
    let df = df.head(Some(limit));
    let text = |name: &str| text_column(&df, name);
    let flag = |name: &str| flag_column(&df, name);
    let ids = text("ticket_id")?;
    let (status, priority, category) = (text("status")?, text("priority")?, text("category")?);
    let (team, assignee) = (text("team")?, text("assignee")?);
    let (department, channel) = (text("department")?, text("channel")?);
    let created = df.column("created")?.i64()?.clone();
    let frt = df.column("frt_min")?.f64()?.clone();
    let res = df.column("res_h")?.f64()?.clone();
    let follow_ups = df.column("follow_ups")?.i64()?.clone();
    let (breached, reopened) = (flag("breached")?, flag("reopened")?);
    let (open, silent) = (flag("is_open")?, flag("silent")?);
    Ok((
        total,
        (0..df.height())
            .map(|i| TicketRow {
                ticket_id: ids[i].clone().unwrap_or_default(),
                created_at: created.get(i).unwrap_or(0),
                status: status[i].clone(),
                priority: priority[i].clone(),
                category: category[i].clone(),
                team: team[i].clone(),
                assignee: assignee[i].clone(),
                department: department[i].clone(),
                channel: channel[i].clone(),
                first_response_minutes: frt.get(i),
                breached: breached[i],
                resolution_hours: res.get(i),
                reopened: reopened[i],
                follow_ups: follow_ups.get(i),
                open: open[i],
                silent: silent[i],
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_found_however_they_are_typed() {
        assert_eq!(bucket_position("<1h"), Some(0));
        assert_eq!(bucket_position("< 1 h"), Some(0));
        assert_eq!(bucket_position("1-4h"), Some(1));
        assert_eq!(bucket_position("1–4h"), Some(1));
        assert_eq!(bucket_position("4 - 24 H"), Some(2));
        assert_eq!(bucket_position("1-3d"), Some(3));
        assert_eq!(bucket_position(">3D"), Some(4));
        assert_eq!(bucket_position("None"), Some(5));
        assert_eq!(bucket_position("no response"), Some(5));
        assert_eq!(bucket_position("2-5h"), None);
        assert_eq!(bucket_position(""), None);
    }
}
