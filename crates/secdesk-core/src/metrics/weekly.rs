//! The periods a report covers and its series by week, month or quarter:
//! created, resolved and response cohorts by their period, the open state
//! at the end of each.

use polars::prelude::*;

use super::dataset::Dataset;
use super::families::{Families, Family, Rows, CREATED, RESOLVED, STATE, SURVEYS};
use super::rows::{done_untimed, period_expr, state_flags_with};
use super::{MetricSet, MetricsConfig};
use crate::calendar::{Period, SourceZone};
use crate::error::MetricsError;
use crate::model::Instant;

/// The weeks `by_week` covers for a config: from the period's start (or the
/// first ticket or response) to its end (or the week of as_of), every week.
/// Cheap: no metric is computed.
pub fn week_span(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
) -> Result<Vec<i64>, MetricsError> {
    period_span(ds, cfg, as_of, Period::Week)
}

/// [`week_span`] for any period (weeks, months, quarters).
pub fn period_span(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    period: Period,
) -> Result<Vec<i64>, MetricsError> {
    if ds.tickets.height() == 0 && ds.surveys.height() == 0 {
        return Ok(Vec::new());
    }
    let f = &cfg.filters;
    let first = match f.from {
        Some(from) => period.index(from, cfg.zone),
        None => {
            let t = ds.tickets.column("created")?.i64()?.min();
            let s = ds.surveys.column("submitted")?.i64()?.min();
            match (t, s) {
                (Some(a), Some(b)) => period.index(a.min(b), cfg.zone),
                (Some(a), None) | (None, Some(a)) => period.index(a, cfg.zone),
                (None, None) => return Ok(Vec::new()),
            }
        }
    };
    let end = f.to.map_or(as_of, |t| t.min(as_of));
    let last = period.index(
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

/// The column (or, for months and quarters, the expression) holding the
/// period each cohort's rows count in.
fn period_key(family: &Family, period: Period, zone: SourceZone) -> Expr {
    match (period, family.at) {
        (Period::Week, _) | (_, "") => col(family.week),
        (_, at) => period_expr(col(at), zone, period),
    }
}

/// Median and p90 of a cohort's durations by polars, for groupings without
/// duration orders (months, quarters).
fn quantile_aggs(family: &Family) -> Vec<Expr> {
    family
        .durations
        .iter()
        .flat_map(|(value, prefix)| {
            [
                col(*value).median().alias(format!("{prefix}_median")),
                col(*value)
                    .quantile(lit(0.9), QuantileMethod::Linear)
                    .alias(format!("{prefix}_p90")),
            ]
        })
        .collect()
}

/// The series by period: created, resolved and response cohorts by their
/// period, the open state at the end of each. `quantiles` are the weeks'
/// (from the duration orders); without them polars computes each period's.
#[allow(clippy::too_many_arguments)]
pub(super) fn periodic(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    period: Period,
    created: &LazyFrame,
    resolved: &LazyFrame,
    quantiles: Option<Vec<Vec<DataFrame>>>,
    base: &LazyFrame,
    surveys: &LazyFrame,
    silence_ms: i64,
) -> Result<Vec<(i64, MetricSet)>, MetricsError> {
    let periods = period_span(ds, cfg, as_of, period)?;
    let (Some(&first), Some(&last)) = (periods.first(), periods.last()) else {
        return Ok(Vec::new());
    };
    // A ticket can be open at the end of periods [created, until]: the
    // period before its resolution at the latest (the end of the period it
    // was resolved in is after it); explode those.
    let cutoffs: Vec<i64> = periods
        .iter()
        .map(|p| period.bounds(*p, cfg.zone).1.min(as_of))
        .collect();
    let cutoff_df = DataFrame::new_infer_height(vec![
        Column::new("week".into(), periods.clone()),
        Column::new("cutoff".into(), cutoffs),
    ])?;
    let as_of_period = period.index(as_of, cfg.zone);
    let (created_at, resolved_at) = match period {
        Period::Week => (col("created_week"), col("res_week")),
        _ => (
            period_expr(col("created"), cfg.zone, period),
            period_expr(col("res"), cfg.zone, period),
        ),
    };
    let until = when(col("res").is_null())
        .then(lit(as_of_period.min(last)))
        .otherwise((resolved_at - lit(1i64)).clip_max(lit(last)));
    // Only what the state at a cut-off reads is repeated for every period
    // a ticket was open in (whether it is done without a time is read once).
    let spans = base
        .clone()
        .with_columns([created_at.alias("p0")])
        .filter(col("p0").lt_eq(lit(last)))
        .with_columns([
            col("p0").clip_min(lit(first)).alias("w0"),
            until.alias("w1"),
            done_untimed().alias("done_untimed"),
        ])
        .filter(col("w1").gt_eq(col("w0")))
        .select([
            col("created"),
            col("res"),
            col("fr"),
            col("lu"),
            col("lu_known"),
            col("done_untimed"),
            col("w0"),
            col("w1"),
        ])
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
    // Planned together so that polars runs them at once, in `compute`'s
    // cohort order (which `quantiles` follows).
    let cohorts = [
        (created.clone(), &CREATED),
        (resolved.clone(), &RESOLVED),
        (
            spans.with_columns(state_flags_with(col("done_untimed"), silence_ms)),
            &STATE,
        ),
        (surveys.clone(), &SURVEYS),
    ];
    let mut quantiles = quantiles.map(Vec::into_iter);
    let plans: Vec<DslPlan> = cohorts
        .into_iter()
        .map(|(lf, family)| {
            let mut aggs = (family.sums)();
            let given = match quantiles.as_mut() {
                Some(q) => q.next().unwrap_or_default(),
                None => {
                    aggs.extend(quantile_aggs(family));
                    Vec::new()
                }
            };
            let sums = lf
                .group_by([period_key(family, period, cfg.zone).alias("key")])
                .agg(aggs);
            family.finish(sums, given).logical_plan
        })
        .collect();
    let mut rows = LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())?
        .into_iter()
        .map(Rows::new);
    let mut next = || {
        rows.next().unwrap_or_else(|| {
            Err(MetricsError::Polars(PolarsError::ComputeError(
                "missing figures by period".into(),
            )))
        })
    };
    let fam = Families {
        created: next()?,
        resolved: next()?,
        state: next()?,
        surveys: next()?,
    };
    Ok(periods
        .into_iter()
        .map(|p| (p, fam.metric_set(&p.to_string(), cfg.hourly_cost)))
        .collect())
}
