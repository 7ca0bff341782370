//! The periods a report covers and its series by week, month or quarter:
//! created, resolved and response cohorts by their period, the open state
//! at the end of each.

use polars::prelude::*;

use super::dataset::Dataset;
use super::families::{Families, Family, Rows, CREATED, RESOLVED, STATE, SURVEYS};
use super::rows::{done_untimed, period_expr};
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
    // was resolved in is after it).
    let cutoffs: Vec<i64> = periods
        .iter()
        .map(|p| period.bounds(*p, cfg.zone).1.min(as_of))
        .collect();
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
    // Only what the state at a cut-off reads (whether a ticket is done
    // without a time is read once).
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
            col("created").cast(DataType::Int64),
            col("res").cast(DataType::Int64),
            col("fr").cast(DataType::Int64),
            col("lu").cast(DataType::Int64),
            col("lu_known"),
            col("done_untimed"),
            col("w0").cast(DataType::Int64),
            col("w1").cast(DataType::Int64),
        ])
        .collect()?;
    let state = state_by_period(&spans, first, &periods, &cutoffs, silence_ms)?;
    drop(spans);
    // Planned together so that polars runs them at once, in `compute`'s
    // cohort order (which `quantiles` follows).
    // (rows, family, whether the rows are already the sums by period)
    let cohorts = [
        (created.clone(), &CREATED, false),
        (resolved.clone(), &RESOLVED, false),
        (state.lazy(), &STATE, true),
        (surveys.clone(), &SURVEYS, false),
    ];
    let mut quantiles = quantiles.map(Vec::into_iter);
    let plans: Vec<DslPlan> = cohorts
        .into_iter()
        .map(|(lf, family, summed)| {
            let mut aggs = (family.sums)();
            let given = match quantiles.as_mut() {
                Some(q) => q.next().unwrap_or_default(),
                None => {
                    aggs.extend(quantile_aggs(family));
                    Vec::new()
                }
            };
            let sums = if summed {
                lf
            } else {
                lf.group_by([period_key(family, period, cfg.zone).alias("key")])
                    .agg(aggs)
            };
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

/// [`STATE`]'s sums at the end of each period (`key`: the period; only the
/// periods some ticket's span reaches, as a grouping by period gives them):
/// each ticket is evaluated as [`super::rows::state_flags`] evaluates it at
/// each cut-off of its span of periods `[w0, w1]`, without repeating its row
/// for each.
fn state_by_period(
    spans: &DataFrame,
    first: i64,
    periods: &[i64],
    cutoffs: &[i64],
    silence_ms: i64,
) -> Result<DataFrame, MetricsError> {
    let n = periods.len();
    let (mut rows, mut open, mut silent, mut lu_known_n, mut open_lu) = (
        vec![0i64; n],
        vec![0i64; n],
        vec![0i64; n],
        vec![0i64; n],
        vec![0i64; n],
    );
    let i64s = |name: &str| -> Result<Int64Chunked, MetricsError> {
        Ok(spans.column(name)?.i64()?.clone())
    };
    let (created, res, fr, lu, w0, w1) = (
        i64s("created")?,
        i64s("res")?,
        i64s("fr")?,
        i64s("lu")?,
        i64s("w0")?,
        i64s("w1")?,
    );
    let lu_known = spans.column("lu_known")?.bool()?;
    let done = spans.column("done_untimed")?.bool()?;
    let columns = created
        .iter()
        .zip(res.iter())
        .zip(fr.iter().zip(lu.iter()))
        .zip(lu_known.iter().zip(done.iter()))
        .zip(w0.iter().zip(w1.iter()));
    for ((((created, res), (fr, lu)), (lu_known, done)), (w0, w1)) in columns {
        let (Some(created), Some(w0), Some(w1)) = (created, w0, w1) else {
            continue;
        };
        let done = done.unwrap_or(false);
        let lu_known = lu_known.unwrap_or(false);
        for w in w0..=w1 {
            let k = (w - first) as usize;
            let cutoff = cutoffs[k];
            rows[k] += 1;
            let is_open = created <= cutoff && res.is_none_or(|r| r > cutoff) && !done;
            open[k] += i64::from(is_open);
            if lu_known {
                lu_known_n[k] += 1;
                open_lu[k] += i64::from(is_open);
                let touched = [fr, lu]
                    .into_iter()
                    .flatten()
                    .filter(|&t| t <= cutoff)
                    .fold(created, i64::max);
                silent[k] += i64::from(is_open && touched < cutoff - silence_ms);
            }
        }
    }
    let reached: Vec<usize> = (0..n).filter(|&k| rows[k] > 0).collect();
    let pick = |v: &[i64]| reached.iter().map(|&k| v[k]).collect::<Vec<i64>>();
    Ok(DataFrame::new_infer_height(vec![
        Column::new("key".into(), pick(periods)),
        Column::new("open".into(), pick(&open)),
        Column::new("silent".into(), pick(&silent)),
        Column::new("lu_known_n".into(), pick(&lu_known_n)),
        Column::new("open_lu".into(), pick(&open_lu)),
    ])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::rows::state_flags;

    /// Each ticket repeated for every period of its span, with the period's
    /// cut-off, its flags as `state_flags` gives them, summed by period by
    /// polars: what `state_by_period` computes without the repeated rows.
    #[test]
    fn the_state_by_period_is_the_state_flags_of_each_ticket_at_each_cut_off() {
        let periods: Vec<i64> = (10..=14).collect();
        let cutoffs = vec![1_000i64, 1_100, 1_200, 1_300, 1_350];
        let silence = 150;
        let n = 600i64;
        let maybe = |i: i64, every: i64, v: i64| (i % every != 0).then_some(v);
        let created: Vec<i64> = (0..n).map(|i| 850 + (i * 37) % 500).collect();
        // Resolution and updates on, before and after the cut-offs.
        let res: Vec<Option<i64>> = (0..n)
            .map(|i| maybe(i, 4, created[i as usize] + (i * 53) % 400))
            .collect();
        let fr: Vec<Option<i64>> = (0..n)
            .map(|i| maybe(i, 3, created[i as usize] + (i * 29) % 300))
            .collect();
        let mut lu: Vec<Option<i64>> = (0..n)
            .map(|i| maybe(i, 5, created[i as usize] + (i * 61) % 450))
            .collect();
        // Some last updates exactly the silence before a cut-off.
        for i in (1..n as usize).step_by(11) {
            lu[i] = Some(cutoffs[(i / 11) % cutoffs.len()] - silence).filter(|&t| t >= created[i]);
        }
        let lu_known: Vec<bool> = (0..n).map(|i| i % 7 != 0).collect();
        let resolved_at: Vec<Option<i64>> = (0..n).map(|i| maybe(i, 6, 1)).collect();
        let status: Vec<&str> = (0..n)
            .map(|i| ["open", "pending", "resolved", "closed"][(i % 4) as usize])
            .collect();
        // Spans in periods 10–11 and 13–14: period 12 has no ticket.
        let w0: Vec<i64> = (0..n).map(|i| if i % 2 == 0 { 10 } else { 13 }).collect();
        let w1: Vec<i64> = (0..n).map(|i| w0[i as usize] + (i / 2) % 2).collect();
        let tickets = DataFrame::new_infer_height(vec![
            Column::new("created".into(), created),
            Column::new("res".into(), res),
            Column::new("fr".into(), fr),
            Column::new("lu".into(), lu),
            Column::new("lu_known".into(), lu_known),
            Column::new("resolved_at".into(), resolved_at),
            Column::new("status".into(), status),
            Column::new("w0".into(), w0),
            Column::new("w1".into(), w1),
        ])
        .expect("tickets");
        let spans = tickets
            .clone()
            .lazy()
            .with_columns([done_untimed().alias("done_untimed")])
            .collect()
            .expect("spans");
        let ours = state_by_period(&spans, 10, &periods, &cutoffs, silence)
            .expect("state")
            .sort(["key"], Default::default())
            .expect("sort");
        let cutoff_df = DataFrame::new_infer_height(vec![
            Column::new("week".into(), periods.clone()),
            Column::new("cutoff".into(), cutoffs.clone()),
        ])
        .expect("cut-offs");
        let theirs = tickets
            .lazy()
            .with_columns([int_ranges(
                col("w0"),
                col("w1") + lit(1i64),
                lit(1i64),
                DataType::Int64,
            )
            .alias("week")])
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
            )
            .with_columns(state_flags(silence))
            .group_by([col("week").alias("key")])
            .agg((STATE.sums)())
            .sort(["key"], Default::default())
            .collect()
            .expect("polars");
        assert_eq!(ours, theirs);
        let keys: Vec<i64> = ours
            .column("key")
            .expect("key")
            .i64()
            .expect("i64")
            .into_no_null_iter()
            .collect();
        assert_eq!(keys, vec![10, 11, 13, 14]);
        // Every case is met: open and not, silent and not.
        for name in ["open", "silent", "lu_known_n", "open_lu"] {
            let sum = ours.column(name).expect(name).i64().expect("i64").sum();
            assert!(sum.is_some_and(|s| s > 0), "{name}");
        }
        assert_ne!(
            ours.column("open").expect("open"),
            ours.column("open_lu").expect("open_lu")
        );
    }
}
