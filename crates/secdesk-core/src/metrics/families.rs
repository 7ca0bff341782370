//! The cohorts a report sums (tickets created, resolved, open at the
//! cut-off, responses submitted), their aggregations and quantiles, and the
//! grouped rows read back into [`MetricSet`]s.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::dataset::{Dataset, DurationOrders};
use super::rows::{mean_expr, sum_count_exprs};
use super::{Csat, DurationStats, MetricSet, DIMENSIONS, NO_VALUE};
use crate::calendar::Period;
use crate::error::MetricsError;

/// The groupings of a [`DurationOrder`](super::order::DurationOrder)'s
/// quantiles: all the tickets, then each dimension of [`DIMENSIONS`] (`1 +`
/// its position), then the cohort's periods.
pub(super) mod grouping {
    use super::{Period, DIMENSIONS};

    pub(in crate::metrics) const ALL: usize = 0;

    /// The grouping of a period.
    pub(in crate::metrics) fn period(period: Period) -> usize {
        DIMENSIONS.len()
            + match period {
                Period::Week => 1,
                Period::Month => 2,
                Period::Quarter => 3,
            }
    }
}

/// The aggregations of one cohort: additive ones (sums and counts, which
/// roll up from fine groups to coarse ones by summing), means derived from
/// them, and the durations whose median and p90 it reports (quantiles do not
/// roll up: [`compute`] groups them once per grouping).
pub(super) struct Family {
    pub(super) sums: fn() -> Vec<Expr>,
    pub(super) means: fn() -> Vec<Expr>,
    /// (duration column, prefix of its figures).
    pub(super) durations: &'static [(&'static str, &'static str)],
    /// The column holding the week a row counts in.
    pub(super) week: &'static str,
    /// The instant column its other periods are read from (`""`: the
    /// period is given, as for the open state at each period's end).
    pub(super) at: &'static str,
    /// The column of [`ticket_rows`] marking the tickets of the cohort
    /// (read for its durations).
    pub(super) member: &'static str,
}

impl Family {
    /// Grouped sums (`key` column) joined to the same grouping's quantiles,
    /// with the means.
    pub(super) fn finish(&self, sums: LazyFrame, quantiles: Vec<DataFrame>) -> LazyFrame {
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

    /// Median and p90 of each duration, per grouping `wanted` (see
    /// [`grouping`]: overall, a dimension, a period): for each, one frame per
    /// duration, keyed like the grouped sums (`key`).
    pub(super) fn quantile_frames(
        &self,
        rows: &DataFrame,
        orders: &DurationOrders,
        wanted: &[usize],
    ) -> Result<Vec<Vec<DataFrame>>, MetricsError> {
        let mut by_grouping = vec![Vec::new(); wanted.len()];
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
            let found = order.quantiles_of(&marked, &[0.5, 0.9], wanted);
            for ((frames, &g), groups) in by_grouping.iter_mut().zip(wanted).zip(found) {
                let keys = groups.iter().map(|(k, _)| *k);
                let key = if g == grouping::ALL {
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
                frames.push(DataFrame::new_infer_height(columns)?);
            }
        }
        Ok(by_grouping)
    }

    /// `lf` grouped by `key`, for cohorts without quantiles.
    pub(super) fn aggregate(&self, lf: LazyFrame, key: Expr) -> LazyFrame {
        self.finish(lf.group_by([key]).agg((self.sums)()), Vec::new())
    }
}

/// Tickets created in the period.
pub(super) const CREATED: Family = Family {
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
            col("fr_known")
                .sum()
                .cast(DataType::Int64)
                .alias("fr_known_n"),
            col("res_breached")
                .sum()
                .cast(DataType::Int64)
                .alias("res_breached"),
            col("res_measurable")
                .sum()
                .cast(DataType::Int64)
                .alias("res_measurable"),
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
    at: "created",
    member: "in_created",
};

/// Tickets resolved in the period.
pub(super) const RESOLVED: Family = Family {
    sums: || {
        let mut v = vec![
            len().cast(DataType::Int64).alias("resolved"),
            col("reopened")
                .sum()
                .cast(DataType::Int64)
                .alias("reopened_n"),
            col("reopened")
                .count()
                .cast(DataType::Int64)
                .alias("reopen_known_n"),
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
    at: "res",
    member: "in_resolved",
};

/// The cohorts whose durations the tickets are ordered by (see
/// `Dataset::duration_orders`).
pub(super) const ORDERED_FAMILIES: [&Family; 2] = [&CREATED, &RESOLVED];

/// Tickets open at the cut-off (rows carry [`state_flags`]).
pub(super) const STATE: Family = Family {
    sums: || {
        vec![
            col("is_open").sum().cast(DataType::Int64).alias("open"),
            col("silent").sum().cast(DataType::Int64).alias("silent"),
            col("silent")
                .count()
                .cast(DataType::Int64)
                .alias("lu_known_n"),
            col("is_open")
                .and(col("silent").is_not_null())
                .sum()
                .cast(DataType::Int64)
                .alias("open_lu"),
        ]
    },
    means: Vec::new,
    durations: &[],
    week: "week",
    at: "",
    member: "kept",
};

/// Survey responses submitted in the period.
pub(super) const SURVEYS: Family = Family {
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
    at: "submitted",
    // Responses, not tickets: no durations, no member column.
    member: "",
};

/// One cell of a frame as a finite f64 (None when null, missing or not finite).
pub(super) fn f64_at(df: &DataFrame, name: &str, row: usize) -> Option<f64> {
    let c = df.column(name).ok()?.cast(&DataType::Float64).ok()?;
    c.f64().ok()?.get(row).filter(|v| v.is_finite())
}

/// Reads one frame of aggregated rows into a map key → row accessor.
pub(super) struct Rows {
    pub(super) df: DataFrame,
    pub(super) index: BTreeMap<String, usize>,
}

impl Rows {
    /// Rows keyed by a dimension's codes, labelled with its values.
    pub(super) fn coded(df: DataFrame, ds: &Dataset, dim: &str) -> Result<Rows, MetricsError> {
        let keys = df.column("key")?.cast(&DataType::UInt32)?;
        let index = keys
            .u32()?
            .iter()
            .enumerate()
            .map(|(i, k)| (ds.label(dim, k), i))
            .collect();
        Ok(Rows { df, index })
    }

    pub(super) fn new(df: DataFrame) -> Result<Rows, MetricsError> {
        let keys = df.column("key")?.cast(&DataType::String)?;
        let keys = keys.str()?.clone();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.unwrap_or(NO_VALUE).to_string(), i))
            .collect();
        Ok(Rows { df, index })
    }

    pub(super) fn f64(&self, key: &str, name: &str) -> Option<f64> {
        f64_at(&self.df, name, *self.index.get(key)?)
    }

    pub(super) fn i64(&self, key: &str, name: &str) -> i64 {
        self.f64(key, name).map(|v| v as i64).unwrap_or(0)
    }

    pub(super) fn stats(&self, key: &str, prefix: &str) -> DurationStats {
        DurationStats {
            median: self.f64(key, &format!("{prefix}_median")),
            p90: self.f64(key, &format!("{prefix}_p90")),
            mean: self.f64(key, &format!("{prefix}_mean")),
            count: self.i64(key, &format!("{prefix}_count")),
        }
    }
}

pub(super) fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Aggregates all metric families by a key expression; returns one MetricSet per key.
pub(super) struct Families {
    pub(super) created: Rows,
    pub(super) resolved: Rows,
    pub(super) state: Rows,
    pub(super) surveys: Rows,
}

impl Families {
    pub(super) fn metric_set(&self, key: &str, hourly_cost: f64) -> MetricSet {
        let c = &self.created;
        let tickets = c.i64(key, "tickets");
        let blocked = (tickets > 0).then(|| c.f64(key, "blocked_h").unwrap_or(0.0));
        // First response measured for any of the group's tickets.
        let fr_known = c.i64(key, "fr_known_n") > 0;
        let excess = (tickets > 0 && fr_known).then(|| c.f64(key, "excess_h").unwrap_or(0.0));
        let open = self.state.i64(key, "open");
        let rated = self.surveys.i64(key, "rated");
        let nps_n = self.surveys.i64(key, "nps_n");
        let fu_n = c.i64(key, "fu_n");
        MetricSet {
            tickets,
            first_response_minutes: c.stats(key, "frt"),
            first_response_business_minutes: c.stats(key, "frtb"),
            awaiting_first_response: fr_known.then(|| c.i64(key, "awaiting")),
            resolution_hours: self.resolved.stats(key, "res"),
            resolution_business_hours: self.resolved.stats(key, "resb"),
            sla_first_response_breach_rate: ratio(
                c.i64(key, "breached") as f64,
                c.i64(key, "measurable") as f64,
            ),
            sla_resolution_breach_rate: ratio(
                c.i64(key, "res_breached") as f64,
                c.i64(key, "res_measurable") as f64,
            ),
            sla_met_share: {
                let measurable = c.i64(key, "measurable") + c.i64(key, "res_measurable");
                let breached = c.i64(key, "breached") + c.i64(key, "res_breached");
                ratio((measurable - breached) as f64, measurable as f64)
            },
            reopen_rate: ratio(
                self.resolved.i64(key, "reopened_n") as f64,
                self.resolved.i64(key, "reopen_known_n") as f64,
            ),
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
            silent_open_share: ratio(
                self.state.i64(key, "silent") as f64,
                self.state.i64(key, "open_lu") as f64,
            ),
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
