//! The weeks a report covers and its weekly series: created, resolved and
//! response cohorts by their week, the open state at the end of each week.

use polars::prelude::*;

use super::dataset::Dataset;
use super::families::{Families, Rows, CREATED, RESOLVED, STATE, SURVEYS};
use super::rows::state_flags;
use super::{MetricSet, MetricsConfig};
use crate::calendar;
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
pub(super) fn weekly(
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
