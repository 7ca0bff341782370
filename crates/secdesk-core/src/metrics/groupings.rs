//! The groupings of docs/metrics.md beyond weeks and dimensions: months and
//! quarters, the backlog by age at the cut-off (with each bucket's silent
//! share), and arrivals by weekday and hour with the median first response
//! of each cell.

use polars::prelude::*;
use serde::Serialize;

use super::dataset::Dataset;
use super::families::f64_at;
use super::rollup::{compute_by_period, compute_with_periods, periodic_from, Cohorts};
use super::rows::{in_period, local_ms_expr, state_flags, ticket_base};
use super::{MetricSet, MetricsConfig, MetricsReport};
use crate::calendar::Period;
use crate::error::MetricsError;
use crate::model::MS_PER_DAY;

/// Backlog age buckets: label and upper bound in days (exclusive).
pub const AGE_BUCKETS: [(&str, f64); 5] = [
    ("<1d", 1.0),
    ("1–3d", 3.0),
    ("3–7d", 7.0),
    ("7–30d", 30.0),
    (">30d", f64::INFINITY),
];

/// Open tickets of one age at the cut-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeBucket {
    pub bucket: String,
    pub open: i64,
    /// Silent ÷ open, over the open tickets whose export says when they were
    /// last updated (`None` where none does).
    pub silent_share: Option<f64>,
    /// Age of the oldest, in days.
    pub oldest_days: Option<f64>,
}

/// Tickets created in one weekday and hour of the reporting time zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatCell {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u32,
    /// 0 … 23.
    pub hour: u32,
    pub tickets: i64,
    /// Median first response (calendar minutes) of the cell's answered tickets.
    pub first_response_median_minutes: Option<f64>,
}

/// Everything of "More groupings" for one configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoreGroupings {
    pub by_month: Vec<(i64, MetricSet)>,
    pub by_quarter: Vec<(i64, MetricSet)>,
    pub backlog_age: Vec<AgeBucket>,
    pub arrivals_heatmap: Vec<HeatCell>,
}

/// Months, quarters, backlog age and the arrivals heatmap.
pub fn more_groupings(ds: &Dataset, cfg: &MetricsConfig) -> Result<MoreGroupings, MetricsError> {
    Ok(MoreGroupings {
        by_month: compute_by_period(ds, cfg, Period::Month)?,
        by_quarter: compute_by_period(ds, cfg, Period::Quarter)?,
        backlog_age: backlog_age(ds, cfg)?,
        arrivals_heatmap: arrivals_heatmap(ds, cfg)?,
    })
}

/// [`compute`](super::compute) and [`more_groupings`] together, the
/// per-ticket columns built once for both (what `metrics --json` prints).
pub fn report_with_groupings(
    ds: &Dataset,
    cfg: &MetricsConfig,
) -> Result<(MetricsReport, MoreGroupings), MetricsError> {
    let cohorts = Cohorts::new(ds, cfg)?;
    // The months' and quarters' quantiles come from the same pass over the
    // duration orders as the report's.
    let (report, mut periods) =
        compute_with_periods(ds, cfg, cohorts.clone(), &[Period::Month, Period::Quarter])?;
    let quarter = periods.pop();
    let by_month = periodic_from(ds, cfg, &cohorts, Period::Month, periods.pop())?;
    let by_quarter = periodic_from(ds, cfg, &cohorts, Period::Quarter, quarter)?;
    let backlog_age = backlog_age(ds, cfg)?;
    let arrivals_heatmap = arrivals_heatmap(ds, cfg)?;
    Ok((
        report,
        MoreGroupings {
            by_month,
            by_quarter,
            backlog_age,
            arrivals_heatmap,
        },
    ))
}

/// Tickets open at the cut-off (the period's end, or as_of) by age since
/// creation, youngest bucket first; every bucket is listed.
pub fn backlog_age(ds: &Dataset, cfg: &MetricsConfig) -> Result<Vec<AgeBucket>, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let cutoff = cfg.filters.to.map_or(as_of, |t| t.min(as_of));
    let silence_ms = (cfg.silence_days * MS_PER_DAY as f64).round() as i64;
    // A ticket's bucket: how many finite upper bounds its age reached.
    let mut bucket = lit(0u32);
    for (_, upper) in AGE_BUCKETS.iter().filter(|(_, u)| u.is_finite()) {
        bucket = bucket + col("age_days").gt_eq(lit(*upper)).cast(DataType::UInt32);
    }
    let df = ticket_base(ds, cfg, as_of)?
        .with_columns([lit(cutoff).alias("cutoff")])
        .with_columns(state_flags(silence_ms))
        .filter(col("is_open"))
        .with_columns([((col("cutoff") - col("created")).cast(DataType::Float64)
            / lit(MS_PER_DAY as f64))
        .alias("age_days")])
        .with_columns([bucket.alias("bucket")])
        .group_by([col("bucket")])
        .agg([
            len().cast(DataType::Int64).alias("open"),
            col("silent").sum().cast(DataType::Int64).alias("silent"),
            col("silent").count().cast(DataType::Int64).alias("known"),
            col("age_days").max().alias("oldest"),
        ])
        .collect()?;
    let buckets = df.column("bucket")?.u32()?.clone();
    Ok(AGE_BUCKETS
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let row = buckets.iter().position(|b| b == Some(i as u32));
            let at = |name: &str| row.and_then(|r| f64_at(&df, name, r));
            let known = at("known").unwrap_or(0.0);
            AgeBucket {
                bucket: label.to_string(),
                open: at("open").unwrap_or(0.0) as i64,
                silent_share: (known > 0.0).then(|| at("silent").unwrap_or(0.0) / known),
                oldest_days: at("oldest"),
            }
        })
        .collect())
}

/// Tickets created in the period by weekday × hour of creation in the
/// reporting time zone, with each cell's median first response: all 168
/// cells, Monday 00:00 first.
pub fn arrivals_heatmap(ds: &Dataset, cfg: &MetricsConfig) -> Result<Vec<HeatCell>, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let local = || {
        local_ms_expr(col("created"), cfg.zone)
            .cast(DataType::Datetime(TimeUnit::Milliseconds, None))
    };
    let df = ticket_base(ds, cfg, as_of)?
        .filter(in_period(col("created"), &cfg.filters))
        .with_columns([
            local()
                .dt()
                .weekday()
                .cast(DataType::UInt32)
                .alias("weekday"),
            local().dt().hour().cast(DataType::UInt32).alias("hour"),
        ])
        .group_by([col("weekday"), col("hour")])
        .agg([
            len().cast(DataType::Int64).alias("tickets"),
            col("frt_min").median().alias("median"),
        ])
        .collect()?;
    let weekday = df.column("weekday")?.u32()?.clone();
    let hour = df.column("hour")?.u32()?.clone();
    let mut cells: Vec<HeatCell> = (1..=7)
        .flat_map(|d| {
            (0..24).map(move |h| HeatCell {
                weekday: d,
                hour: h,
                tickets: 0,
                first_response_median_minutes: None,
            })
        })
        .collect();
    for r in 0..df.height() {
        let (Some(d), Some(h)) = (weekday.get(r), hour.get(r)) else {
            continue;
        };
        if let Some(cell) = cells.get_mut(((d.clamp(1, 7) - 1) * 24 + h.min(23)) as usize) {
            cell.tickets = f64_at(&df, "tickets", r).unwrap_or(0.0) as i64;
            cell.first_response_median_minutes = f64_at(&df, "median", r);
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::sample_store;
    use crate::metrics::{compute, Filters};

    #[test]
    fn built_together_the_report_and_groupings_are_what_each_gives_alone() {
        let (store, dir) = sample_store("together", 3_000, 3);
        let ds = Dataset::load(&store).expect("load");
        let _ = std::fs::remove_dir_all(&dir);
        let team = ds.dimension_values("team").expect("teams")[0].clone();
        for filters in [
            Filters::default(),
            Filters {
                dimensions: [("team".to_string(), vec![team])].into(),
                ..Filters::default()
            },
        ] {
            let cfg = MetricsConfig {
                filters,
                ..MetricsConfig::default()
            };
            let (report, more) = report_with_groupings(&ds, &cfg).expect("together");
            assert_eq!(report, compute(&ds, &cfg).expect("compute"));
            assert_eq!(more, more_groupings(&ds, &cfg).expect("groupings"));
            assert!(!more.by_month.is_empty() && !more.by_quarter.is_empty());
            // The months' and quarters' quantiles read from the duration
            // orders are polars' own, to the last bit.
            let cohorts = Cohorts::new(&ds, &cfg).expect("cohorts");
            for (period, series) in [
                (Period::Month, &more.by_month),
                (Period::Quarter, &more.by_quarter),
            ] {
                let by_polars = periodic_from(&ds, &cfg, &cohorts, period, None).expect("polars");
                assert_eq!(series, &by_polars, "{period:?}");
                assert!(series
                    .iter()
                    .any(|(_, m)| m.first_response_minutes.p90.is_some()));
            }
        }
    }
}
