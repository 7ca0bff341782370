//! The per-ticket columns every metric reads for a configuration: durations
//! by as_of, SLA target and breach, blocked and excess hours, weeks, the
//! first-response bucket, whether a report covers the ticket, and its state
//! (open, silent) at a cut-off.

use polars::prelude::*;

use super::dataset::Dataset;
use super::policy::{Clock, Scope, SlaKind, SlaPolicy, SlaTarget};
use super::{Filters, MetricsConfig, DIMENSIONS, NO_VALUE};
use crate::calendar::{BusinessCalendar, BusinessClock, Period, SourceZone};
use crate::error::MetricsError;
use crate::model::{Instant, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};

pub(super) fn null_i64() -> Expr {
    lit(NULL).cast(DataType::Int64)
}

/// An instant column as local wall-clock milliseconds of the reporting zone.
pub(super) fn local_ms_expr(e: Expr, zone: SourceZone) -> Expr {
    match zone {
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
    }
}

/// Local week index of an instant column, in the reporting zone.
pub(super) fn week_expr(e: Expr, zone: SourceZone) -> Expr {
    let local = local_ms_expr(e, zone);
    // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
    ((local.floor_div(lit(MS_PER_DAY))) + lit(3i64)).floor_div(lit(7i64))
}

/// Index of an instant column's period in the reporting zone (as
/// [`Period::index`] numbers them).
pub(super) fn period_expr(e: Expr, zone: SourceZone, period: Period) -> Expr {
    match period {
        Period::Week => week_expr(e, zone),
        _ => local_ms_expr(e, zone).floor_div(lit(MS_PER_DAY)).map(
            move |days| period_of_days(days, period),
            |_, field| Ok(Field::new(field.name().clone(), DataType::Int64)),
        ),
    }
}

/// The month or quarter index of each local day (days since 1970-01-01),
/// read from a table of the days the column spans: a date is worked out once
/// per day, not once per ticket.
fn period_of_days(days: Column, period: Period) -> PolarsResult<Column> {
    let days = days.cast(&DataType::Int64)?;
    let ca = days.i64()?;
    let (Some(first), Some(last)) = (ca.min(), ca.max()) else {
        return Ok(days); // no value at all
    };
    // 1970-01-01 is day 719,163 of the common era.
    let of_day = |d: i64| -> Option<i64> {
        let date = chrono::NaiveDate::from_num_days_from_ce_opt(i32::try_from(d + 719_163).ok()?)?;
        Some(period.index_of_date(date))
    };
    let out: Int64Chunked = if last - first < 1_000_000 {
        let table: Vec<Option<i64>> = (first..=last).map(of_day).collect();
        ca.iter()
            .map(|d| d.and_then(|d| table[(d - first) as usize]))
            .collect()
    } else {
        ca.iter().map(|d| d.and_then(of_day)).collect()
    };
    Ok(out.with_name(days.name().clone()).into_column())
}

/// Sum and count of a duration column (its mean is their ratio).
pub(super) fn sum_count_exprs(col_name: &str, prefix: &str) -> [Expr; 2] {
    [
        col(col_name).sum().alias(format!("{prefix}_sum")),
        col(col_name)
            .count()
            .cast(DataType::Int64)
            .alias(format!("{prefix}_count")),
    ]
}

/// `name = sum / count` (NaN, read as no value, when the count is 0).
pub(super) fn mean_expr(sum: &str, count: &str, name: &str) -> Expr {
    (col(sum) / col(count).cast(DataType::Float64)).alias(name)
}

/// Identifies a business calendar and zone (business durations depend on both).
pub(super) fn calendar_key(calendar: &BusinessCalendar, zone: SourceZone) -> String {
    format!("{calendar:?}|{}", zone.name())
}

/// The tickets a report covers (created by as_of, matching the dimension
/// filters), with the per-ticket columns every metric reads.
pub(super) fn ticket_base(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<LazyFrame, MetricsError> {
    Ok(ticket_rows(ds, cfg, as_of)?.filter(col("kept")))
}

/// `to - from` (instants) in units of `unit_ms`, as a float.
pub(super) fn duration_between(from: Expr, to: Expr, unit_ms: i64) -> Expr {
    (to - from).cast(DataType::Float64) / lit(unit_ms as f64)
}

/// Every ticket, in the dataset's order, with the per-ticket columns every
/// metric reads for a config; `kept` marks those a report covers.
pub(super) fn ticket_rows(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<LazyFrame, MetricsError> {
    // The business clock read at each ticket's instants: once per calendar.
    let business = ds.business_times(&cfg.calendar, cfg.zone)?;
    let mut df = ds.tickets.clone();
    for c in &business.columns {
        df.with_column(c.clone().into_column())?;
    }
    let b_asof = business.clock.at(as_of);
    let paused = pause_columns(ds, &business.clock, as_of)?;
    let waits_known = paused.is_some();
    for c in paused.into_iter().flatten() {
        df.with_column(c.into_column())?;
    }

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
    let [fr_target, fr_business] = target_exprs(ds, &cfg.sla, SlaKind::FirstResponse);
    let [res_target, res_business] = target_exprs(ds, &cfg.sla, SlaKind::Resolution);
    // Open business time from creation to an instant column (or as_of where null).
    let open_to = |b_col: &str, at: &str| {
        (when(col(at).is_not_null())
            .then(col(b_col))
            .otherwise(lit(b_asof))
            - col("b_created"))
        .clip_min(lit(0i64))
    };
    // Time on a target's clock, less the time the ticket waited on its requester.
    let on_clock = |business: &str, open: Expr, calendar: &str, pause: &str| {
        when(col(business))
            .then(open - col(format!("{pause}_bus").as_str()))
            .otherwise(col(calendar) - col(format!("{pause}_cal").as_str()))
    };
    let mut lf = df.lazy().with_columns(ds.text_exprs());
    if !waits_known {
        // No export says the tickets waited: constant zeros, not a column per ticket.
        lf = lf.with_columns(PAUSE_COLUMNS.map(|name| lit(0i64).cast(DataType::Int64).alias(name)));
    }
    let lf = lf
        .with_columns([
            fr.alias("fr"),
            res.alias("res"),
            lu.alias("lu"),
            fr_target.alias("target"),
            fr_business.alias("target_business"),
            res_target.alias("res_target"),
            res_business.alias("res_target_business"),
        ])
        .with_columns([
            duration_between(col("created"), col("fr"), MS_PER_MINUTE).alias("frt_min"),
            duration_between(col("created"), col("res"), MS_PER_HOUR).alias("res_h"),
            (col("fr").fill_null(asof.clone()) - col("created")).alias("delay"),
            (col("res").fill_null(asof.clone()) - col("created")).alias("held"),
            // Reopens of a ticket whose export counts none are unknown, not 0.
            when(col("reopen_known"))
                .then(col("reopen_count").gt(lit(0i64)))
                .otherwise(lit(NULL).cast(DataType::Boolean))
                .alias("reopened"),
            col("follow_ups").cast(DataType::Float64).alias("fu_f"),
        ])
        .with_columns([
            on_clock("target_business", open_to("b_fr", "fr"), "delay", "p_fr").alias("fr_clock"),
            on_clock(
                "res_target_business",
                open_to("b_res", "res"),
                "held",
                "p_res",
            )
            .alias("res_clock"),
            when(col("fr").is_not_null())
                .then(col("frt_bmin_all"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("frt_bmin"),
            when(col("res").is_not_null())
                .then(col("res_bh_all"))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("res_bh"),
            // A done ticket without a resolution time cannot be measured
            // against a resolution target (one resolved after as_of can:
            // it was still running then).
            done_untimed().not().alias("res_known"),
        ])
        .with_columns([
            // No source, no number: a ticket whose export has no first
            // response at all is neither breached, awaiting nor measurable.
            col("fr_known")
                .and(col("fr_clock").gt(col("target")))
                .alias("breached"),
            col("fr_known")
                .and(col("fr").is_null())
                .alias("awaiting_flag"),
            col("fr_known")
                .and(
                    col("fr")
                        .is_not_null()
                        .or(col("fr_clock").gt(col("target"))),
                )
                .alias("measurable"),
            col("res_known")
                .and(col("res_clock").gt(col("res_target")))
                .alias("res_breached"),
            col("res_known")
                .and(
                    col("res")
                        .is_not_null()
                        .or(col("res_clock").gt(col("res_target"))),
                )
                .alias("res_measurable"),
            (col("fr_clock") - col("target"))
                .clip_min(lit(0i64))
                .alias("fr_over"),
        ])
        .with_columns([
            when(col("fr_known"))
                .then(
                    col("fr_over").cast(DataType::Float64) / lit(MS_PER_HOUR as f64)
                        * col("affected_users").cast(DataType::Float64),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
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

/// Per ticket, the target of a kind (ms) and whether it runs on business
/// hours: the priority's, unless a category + priority override applies,
/// unless a team + priority one does.
fn target_exprs(ds: &Dataset, policy: &SlaPolicy, kind: SlaKind) -> [Expr; 2] {
    // Compared on the dictionary codes (a value absent from the data matches nothing).
    let is = |dim: &str, label: &str| match ds.code(dim, label) {
        Some(c) => col(Dataset::code_column(dim).as_str())
            .eq(lit(c))
            .fill_null(lit(false)),
        None => lit(false),
    };
    let priority = |p: usize| match p {
        0 => is("priority", "P1"),
        1 => is("priority", "P2"),
        3 => is("priority", "P4"),
        // Any other priority, or none, is held to P3's target.
        _ => is("priority", "P1")
            .or(is("priority", "P2"))
            .or(is("priority", "P4"))
            .not(),
    };
    let t = policy.targets(kind);
    let business = |t: &SlaTarget| lit(t.clock == Clock::Business);
    let mut ms = when(priority(0))
        .then(lit(t[0].ms))
        .when(priority(1))
        .then(lit(t[1].ms))
        .when(priority(3))
        .then(lit(t[3].ms))
        .otherwise(lit(t[2].ms));
    let mut on_business = when(priority(0))
        .then(business(&t[0]))
        .when(priority(1))
        .then(business(&t[1]))
        .when(priority(3))
        .then(business(&t[3]))
        .otherwise(business(&t[2]));
    // Categories first, teams around them: the team's applies first.
    for scope in [Scope::Category, Scope::Team] {
        for o in policy
            .overrides
            .iter()
            .filter(|o| o.scope == scope && o.kind == kind)
        {
            let applies = is(scope.as_str(), &o.value).and(priority(o.priority));
            ms = when(applies.clone()).then(lit(o.target.ms)).otherwise(ms);
            on_business = when(applies)
                .then(business(&o.target))
                .otherwise(on_business);
        }
    }
    [ms.cast(DataType::Int64), on_business]
}

/// The columns of [`pause_columns`].
const PAUSE_COLUMNS: [&str; 4] = ["p_fr_cal", "p_fr_bus", "p_res_cal", "p_res_bus"];

/// Per ticket, the time it waited on its requester (in pending statuses)
/// before its first response and before its resolution (each by as_of, or
/// as_of when it has none), in calendar and in business milliseconds:
/// `p_fr_cal`, `p_fr_bus`, `p_res_cal`, `p_res_bus`. A ticket without status
/// events whose export gives a total waiting time has it on its calendar
/// resolution clock (a total has no time of day: it cannot be placed on
/// business hours, nor before or after the first response), when the
/// export's figure can hold by as_of (the ticket resolved by then, or as_of
/// at the end of the data). `None` when no export says the tickets waited
/// (every wait is 0).
pub(super) fn pause_columns(
    ds: &Dataset,
    clock: &BusinessClock,
    as_of: Instant,
) -> Result<Option<[Series; 4]>, MetricsError> {
    let n = ds.tickets.height();
    let totals = ds.tickets.column("paused_ms")?.i64()?;
    if ds.pauses.height() == 0 && totals.null_count() == totals.len() {
        return Ok(None);
    }
    let mut sums = [vec![0i64; n], vec![0i64; n], vec![0i64; n], vec![0i64; n]];
    let created = ds.tickets.column("created")?.i64()?.rechunk();
    let fr = ds.tickets.column("first_response_at")?.i64()?.rechunk();
    let res = ds.tickets.column("resolved_at")?.i64()?.rechunk();
    let end_of = |at: Option<Instant>| at.filter(|t| *t <= as_of).unwrap_or(as_of);
    let tid = ds.pauses.column("tid")?.u32()?;
    let from = ds.pauses.column("from")?.i64()?;
    let to = ds.pauses.column("to")?.i64()?;
    let mut timed = vec![false; n];
    for ((t, s), e) in tid.iter().zip(from.iter()).zip(to.iter()) {
        let (Some(t), Some(s)) = (t, s) else { continue };
        let i = t as usize;
        let Some(c) = created.get(i) else { continue };
        timed[i] = true;
        let e = e.unwrap_or(i64::MAX);
        for (k, end) in [(0, end_of(fr.get(i))), (2, end_of(res.get(i)))] {
            let (a, b) = (s.max(c), e.min(end));
            if b > a {
                sums[k][i] += b - a;
                sums[k + 1][i] += clock.between(a, b);
            }
        }
    }
    let at_end = ds.latest.is_none_or(|latest| as_of >= latest);
    for (i, total) in totals.iter().enumerate() {
        let (Some(total), Some(c)) = (total, created.get(i)) else {
            continue;
        };
        let resolved = res.get(i).filter(|r| *r <= as_of);
        if timed[i] || !(resolved.is_some() || at_end) {
            continue;
        }
        let span = (resolved.unwrap_or(as_of) - c).max(0);
        sums[2][i] += total.clamp(0, span);
    }
    let mut out = sums
        .into_iter()
        .zip(PAUSE_COLUMNS)
        .map(|(v, name)| Series::new(name.into(), v));
    Ok(Some(std::array::from_fn(|_| {
        out.next().unwrap_or_default()
    })))
}

/// Whether a ticket matches the dimension filters.
pub(super) fn dimension_filter(ds: &Dataset, filters: &Filters) -> Expr {
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

pub(super) fn in_period(e: Expr, f: &Filters) -> Expr {
    let mut c = e.clone().is_not_null();
    if let Some(from) = f.from {
        c = c.and(e.clone().gt_eq(lit(from)));
    }
    if let Some(to) = f.to {
        c = c.and(e.lt(lit(to)));
    }
    c
}

/// Per ticket: the last requester-facing touch (creation, first response or
/// last update) up to the cut-off given per row as column `cutoff`.
pub(super) fn last_touch() -> Expr {
    let touch_fr = when(col("fr").lt_eq(col("cutoff")))
        .then(col("fr"))
        .otherwise(null_i64());
    let touch_lu = when(col("lu").lt_eq(col("cutoff")))
        .then(col("lu"))
        .otherwise(null_i64());
    polars::lazy::dsl::max_horizontal([col("created"), touch_fr, touch_lu])
        .unwrap_or(col("created"))
}

/// Done without any known time (status only): not open at any cut-off
/// (done after as_of was open then).
pub(super) fn done_untimed() -> Expr {
    col("resolved_at").is_null().and(col("status").is_in(
        lit(Series::new("d".into(), ["resolved", "closed"])).implode(false),
        false,
    ))
}

/// Per ticket: open, and silent, at the cut-off given per row as column `cutoff`.
pub(super) fn state_flags(silence_ms: i64) -> [Expr; 2] {
    let done_untimed = done_untimed();
    let last_touch = last_touch();
    let is_open = col("created")
        .lt_eq(col("cutoff"))
        .and(col("res").is_null().or(col("res").gt(col("cutoff"))))
        .and(done_untimed.not());
    // Silence is measured only where the export says when tickets were last updated.
    let silent = when(col("lu_known"))
        .then(
            is_open
                .clone()
                .and(last_touch.lt(col("cutoff") - lit(silence_ms))),
        )
        .otherwise(lit(NULL).cast(DataType::Boolean));
    [is_open.alias("is_open"), silent.alias("silent")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::utc_ms;

    #[test]
    fn month_and_quarter_indexes_are_the_calendar_s_in_every_zone() {
        // Month and year ends, a DST change, a leap day, and no value.
        let instants: Vec<Option<i64>> = [
            utc_ms(2026, 12, 31, 22, 59),
            utc_ms(2026, 12, 31, 23, 30),
            utc_ms(2027, 1, 1, 0, 0),
            utc_ms(2026, 3, 29, 0, 30),
            utc_ms(2024, 2, 29, 23, 0),
            utc_ms(2026, 9, 30, 23, 59),
            utc_ms(1969, 12, 31, 23, 0),
        ]
        .into_iter()
        .map(Some)
        .chain([None])
        .collect();
        let df = DataFrame::new_infer_height(vec![Column::new("t".into(), &instants)]).expect("df");
        for zone in [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "Pacific/Auckland",
        ] {
            let zone = SourceZone::parse(zone).expect("zone");
            for period in [Period::Month, Period::Quarter] {
                let out = df
                    .clone()
                    .lazy()
                    .select([period_expr(col("t"), zone, period).alias("p")])
                    .collect()
                    .expect("collect");
                let got: Vec<Option<i64>> = out
                    .column("p")
                    .expect("p")
                    .i64()
                    .expect("i64")
                    .iter()
                    .collect();
                let expected: Vec<Option<i64>> = instants
                    .iter()
                    .map(|t| t.map(|t| period.index(t, zone)))
                    .collect();
                assert_eq!(got, expected, "{period:?} in {zone:?}");
            }
        }
    }
}
