//! [`compute`]: every metric of the contract for one configuration. Each
//! cohort summed once by cell, the cells rolled up to every grouping, the
//! quantiles read from the duration orders, responses given their ticket's
//! columns by position.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::dataset::{on_two_threads, Dataset};
use super::families::{grouping, Families, Family, Rows, CREATED, RESOLVED, STATE, SURVEYS};
use super::rows::{in_period, state_flags, ticket_rows, week_expr};
use super::weekly::periodic;
use super::{BucketCsat, MetricSet, MetricsConfig, MetricsReport, BUCKETS, DIMENSIONS};
use crate::calendar::Period;
use crate::error::MetricsError;
use crate::model::{Instant, MS_PER_DAY};

/// The per-ticket columns the cohorts of a computation read (with the
/// dimensions' codes): members, periods, the families' flags and sums, the
/// durations, and what the state at a cut-off is evaluated from.
const COHORT_COLUMNS: [&str; 29] = [
    "cell",
    "kept",
    "in_created",
    "in_resolved",
    "created",
    "res",
    "fr",
    "lu",
    "resolved_at",
    "status",
    "created_week",
    "res_week",
    "bucket",
    "fr_known",
    "lu_known",
    "awaiting_flag",
    "breached",
    "measurable",
    "res_breached",
    "res_measurable",
    "reopened",
    "excess_h",
    "blocked_h",
    "fu_days",
    "fu_f",
    "frt_min",
    "frt_bmin",
    "res_h",
    "res_bh",
];

/// The per-ticket rows of a computation and its cohorts, planned.
#[derive(Clone)]
pub(super) struct Cohorts {
    as_of: Instant,
    rows: DataFrame,
    base: LazyFrame,
    created: LazyFrame,
    resolved: LazyFrame,
    surveys: LazyFrame,
    silence_ms: i64,
}

impl Cohorts {
    pub(super) fn new(ds: &Dataset, cfg: &MetricsConfig) -> Result<Cohorts, MetricsError> {
        let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
        let f = &cfg.filters;
        // Materialise the per-ticket columns once (every ticket, in the dataset's
        // order, with the cohorts it belongs to); everything reads them.
        let mut keep: Vec<Expr> = COHORT_COLUMNS.iter().map(|c| col(*c)).collect();
        keep.extend(
            DIMENSIONS
                .iter()
                .map(|d| col(Dataset::code_column(d).as_str())),
        );
        let rows = ticket_rows(ds, cfg, as_of)?
            .with_columns([
                col("kept")
                    .and(in_period(col("created"), f))
                    .alias(CREATED.member),
                col("kept")
                    .and(in_period(col("res"), f))
                    .alias(RESOLVED.member),
            ])
            // Only what the cohorts read is kept for the whole computation
            // (the clocks, targets and waits they are derived from are not).
            .select(keep)
            .collect()?;
        // Responses in the period with their ticket's dimensions and bucket.
        let surveys = surveys_with_tickets(ds, cfg, as_of, &rows)?.lazy();
        Ok(Cohorts {
            as_of,
            base: rows.clone().lazy().filter(col("kept")),
            created: rows.clone().lazy().filter(col(CREATED.member)),
            resolved: rows.clone().lazy().filter(col(RESOLVED.member)),
            rows,
            surveys,
            silence_ms: (cfg.silence_days * MS_PER_DAY as f64).round() as i64,
        })
    }

    /// Each cohort's quantiles by `period` (one frame per duration), from the
    /// tickets' order by each duration.
    fn period_quantiles(
        &self,
        ds: &Dataset,
        cfg: &MetricsConfig,
        period: Period,
    ) -> Result<CohortQuantiles, MetricsError> {
        let orders = ds.duration_orders(cfg)?;
        [&CREATED, &RESOLVED, &STATE, &SURVEYS]
            .iter()
            .map(|fam| {
                let mut frames =
                    fam.quantile_frames(&self.rows, &orders, &[grouping::period(period)])?;
                Ok(frames.pop().unwrap_or_default())
            })
            .collect()
    }
}

/// Every metric of the contract by week, month or quarter (the weeks are
/// also in [`compute`]'s `by_week`): the same attribution, the quantiles
/// read from the duration orders as the weeks' are.
pub fn compute_by_period(
    ds: &Dataset,
    cfg: &MetricsConfig,
    period: Period,
) -> Result<Vec<(i64, MetricSet)>, MetricsError> {
    let cohorts = Cohorts::new(ds, cfg)?;
    let quantiles = cohorts.period_quantiles(ds, cfg, period)?;
    periodic_from(ds, cfg, &cohorts, period, Some(quantiles))
}

/// Per cohort (in [`compute`]'s order), one frame of quantiles per duration.
pub(super) type CohortQuantiles = Vec<Vec<DataFrame>>;

/// [`compute_by_period`] over cohorts already built, with the quantiles of
/// each cohort by period (`None`: polars computes them).
pub(super) fn periodic_from(
    ds: &Dataset,
    cfg: &MetricsConfig,
    c: &Cohorts,
    period: Period,
    quantiles: Option<CohortQuantiles>,
) -> Result<Vec<(i64, MetricSet)>, MetricsError> {
    periodic(
        ds,
        cfg,
        c.as_of,
        period,
        &c.created,
        &c.resolved,
        quantiles,
        &c.base,
        &c.surveys,
        c.silence_ms,
    )
}

/// Computes every metric of the contract.
pub fn compute(ds: &Dataset, cfg: &MetricsConfig) -> Result<MetricsReport, MetricsError> {
    compute_from(ds, cfg, Cohorts::new(ds, cfg)?)
}

/// [`compute`] over cohorts already built.
pub(super) fn compute_from(
    ds: &Dataset,
    cfg: &MetricsConfig,
    cohorts: Cohorts,
) -> Result<MetricsReport, MetricsError> {
    Ok(compute_with_periods(ds, cfg, cohorts, &[])?.0)
}

/// [`compute_from`], with each cohort's quantiles by each of `periods` as
/// well (read from the same duration orders in the same pass): per period,
/// per cohort, one frame per duration.
pub(super) fn compute_with_periods(
    ds: &Dataset,
    cfg: &MetricsConfig,
    cohorts: Cohorts,
    periods: &[Period],
) -> Result<(MetricsReport, Vec<CohortQuantiles>), MetricsError> {
    let Cohorts {
        as_of,
        rows,
        base,
        created,
        resolved,
        surveys: surveys_all,
        silence_ms,
    } = cohorts;
    let f = &cfg.filters;
    let cutoff = f.to.map_or(as_of, |t| t.min(as_of));
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
    // Overall, each dimension, the week, then the periods asked for.
    let wanted: Vec<usize> = (grouping::ALL..=DIMENSIONS.len())
        .chain(
            std::iter::once(Period::Week)
                .chain(periods.iter().copied())
                .map(grouping::period),
        )
        .collect();
    let (cells, quantiles) = on_two_threads(
        || LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default()),
        || -> Result<Vec<Vec<Vec<DataFrame>>>, MetricsError> {
            // The first cohort on one more thread, the others on this one.
            let families: Vec<&Family> = cohorts.iter().map(|(_, fam)| *fam).collect();
            let (first, others) = families.split_at(1);
            let frames = |families: &[&Family]| {
                families
                    .iter()
                    .map(|fam| fam.quantile_frames(&rows, &orders, &wanted))
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
    // quantiles[cohort][position in `wanted`] → per period, per cohort.
    let mut quantiles = quantiles;
    let mut by_period = (DIMENSIONS.len() + 1..wanted.len()).map(|at| {
        quantiles
            .iter_mut()
            .map(|q| q.get_mut(at).map(std::mem::take).unwrap_or_default())
            .collect::<Vec<Vec<DataFrame>>>()
    });
    let week_quantiles = by_period.next().unwrap_or_default();
    let period_quantiles: Vec<Vec<Vec<DataFrame>>> = by_period.collect();
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
    let by_week = periodic(
        ds,
        cfg,
        as_of,
        Period::Week,
        &created,
        &resolved,
        Some(week_quantiles),
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

    Ok((
        MetricsReport {
            as_of,
            overall,
            by_week,
            by_dimension,
            csat_by_first_response_bucket,
        },
        period_quantiles,
    ))
}

/// The responses submitted in the period (and by as_of), with their
/// ticket's dimension codes and first-response bucket (null for responses
/// without a covered ticket) and their week. With a dimension filter, only
/// responses to covered tickets.
pub(super) fn surveys_with_tickets(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::rows::{duration_between, null_i64};
    use crate::metrics::testdata::{sample_store, weekend_dataset};
    use crate::metrics::{DurationStats, MetricSet, NO_VALUE};
    use crate::model::{MS_PER_HOUR, MS_PER_MINUTE};

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
                    .with_columns(ds.text_exprs())
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
