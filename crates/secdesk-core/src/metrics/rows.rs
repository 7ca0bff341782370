//! The per-ticket columns every metric reads for a configuration: durations
//! by as_of, SLA target and breach, blocked and excess hours, weeks, the
//! first-response bucket, whether a report covers the ticket, and its state
//! (open, silent) at a cut-off.

use polars::prelude::*;

use super::dataset::Dataset;
use super::{Filters, MetricsConfig, DIMENSIONS, NO_VALUE};
use crate::calendar::{BusinessCalendar, SourceZone};
use crate::error::MetricsError;
use crate::model::{Instant, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};

pub(super) fn null_i64() -> Expr {
    lit(NULL).cast(DataType::Int64)
}

/// Local week index of an instant column, in the reporting zone.
pub(super) fn week_expr(e: Expr, zone: SourceZone) -> Expr {
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
            // Reopens of a ticket whose export counts none are unknown, not 0.
            when(col("reopen_known"))
                .then(col("reopen_count").gt(lit(0i64)))
                .otherwise(lit(NULL).cast(DataType::Boolean))
                .alias("reopened"),
            col("follow_ups").cast(DataType::Float64).alias("fu_f"),
        ])
        .with_columns([
            // No source, no number: a ticket whose export has no first
            // response at all is neither breached, awaiting nor measurable.
            col("fr_known")
                .and(col("delay").gt(col("target")))
                .alias("breached"),
            col("fr_known")
                .and(col("fr").is_null())
                .alias("awaiting_flag"),
            col("fr_known")
                .and(col("fr").is_not_null().or(col("delay").gt(col("target"))))
                .alias("measurable"),
            when(col("fr_known"))
                .then(
                    (col("delay") - col("target"))
                        .clip_min(lit(0i64))
                        .cast(DataType::Float64)
                        / lit(MS_PER_HOUR as f64)
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

/// Per ticket: open, and silent, at the cut-off given per row as column `cutoff`.
pub(super) fn state_flags(silence_ms: i64) -> [Expr; 2] {
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
