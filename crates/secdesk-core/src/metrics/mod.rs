//! Every metric of docs/metrics.md, computed with polars' lazy API over the
//! loaded tickets and survey responses: overall, by week, by dimension, and
//! CSAT by first-response bucket. `as_of`, the time zone, SLA targets, the
//! business calendar and filters are arguments; nothing here reads the clock,
//! a file or the database (the dataset is read from the store once, by
//! [`Dataset::open`]: from the columnar snapshot beside the database when it
//! is the data's, otherwise from SQLite).
//!
//! This file holds the public API: the configuration, the result types and
//! the entry points. The parts, each with explicit imports:
//! - `dataset`: the loaded frames, dictionary codes, business-hours durations
//!   and duration orders kept per calendar;
//! - `snapshot`: the frames as Arrow files beside the database, checked
//!   against the data's generation and their checksums;
//! - `frame` and `cells`: building the ticket frame from stored rows
//!   (dictionary encoding, tickets in cell order);
//! - `rows`: the per-ticket columns every metric reads;
//! - `families`: the cohorts (created, resolved, open at the cut-off,
//!   responses), their sums, and reading grouped rows back into metric sets;
//! - `rollup`: [`compute`], cells rolled up to every grouping;
//! - `weekly`: the weeks and the weekly series;
//! - `order`: exact quantiles of a duration for every grouping in one pass;
//! - `service`: the figures the scorecard, impact and action lists need.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::calendar::{instant_text, BusinessCalendar, SourceZone};
use crate::error::MetricsError;
use crate::model::Instant;

mod cells;
mod clocks;
mod dataset;
mod families;
mod frame;
mod groupings;
mod imported;
mod kept;
mod order;
mod policy;
mod rollup;
mod rows;
mod service;
mod snapshot;
#[cfg(test)]
mod testdata;
mod weekly;

pub use clocks::{sla_by_ticket, ClockReading, TicketSla};
pub use dataset::Dataset;
pub use groupings::{
    arrivals_heatmap, backlog_age, more_groupings, report_with_groupings, AgeBucket, HeatCell,
    MoreGroupings, AGE_BUCKETS,
};
pub use policy::{priority_index, Clock, Scope, SlaKind, SlaOverride, SlaPolicy, SlaTarget};
pub use rollup::{compute, compute_by_period};
pub use service::{
    bucket_position, open_tickets, service_figures, tickets_behind, what_if, what_if_by_priority,
    OpenTicket, PointKey, ServiceFigures, TicketRow, WhatIf, REPEAT_WINDOW_DAYS,
};
pub use snapshot::{Opened, SnapshotUse};
pub use weekly::{period_span, week_span};

/// Dimensions tickets can be grouped and filtered by.
pub const DIMENSIONS: [&str; 6] = [
    "priority",
    "category",
    "team",
    "assignee",
    "department",
    "channel",
];

/// Label of the group of tickets without a value in a dimension.
pub const NO_VALUE: &str = "(none)";

/// Which tickets and responses a report covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Filters {
    /// Inclusive start of the period (UTC ms), on each value's attribution instant.
    pub from: Option<Instant>,
    /// Exclusive end of the period.
    pub to: Option<Instant>,
    /// Dimension → accepted values (any of).
    pub dimensions: BTreeMap<String, Vec<String>>,
}

impl Filters {
    /// An error when the period holds no instant (its start is not before
    /// its end): every figure would be empty.
    pub fn check_period(&self) -> Result<(), MetricsError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from >= to => Err(MetricsError::InvalidOption {
                option: "period".into(),
                reason: format!(
                    "the period is empty: its start ({}) is not before its end ({}, exclusive)",
                    instant_text(from),
                    instant_text(to)
                ),
            }),
            _ => Ok(()),
        }
    }
}

/// Everything a metric computation depends on besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsConfig {
    /// The instant the report is taken; `None` = the latest timestamp in the data.
    pub as_of: Option<Instant>,
    /// Reporting time zone (weeks, days, business hours).
    pub zone: SourceZone,
    /// First-response and resolution targets, overrides and clocks.
    pub sla: SlaPolicy,
    pub calendar: BusinessCalendar,
    /// Open tickets silent for more than this many days count as silent.
    pub silence_days: f64,
    /// Loaded cost of one blocked person-hour.
    pub hourly_cost: f64,
    pub filters: Filters,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            as_of: None,
            zone: SourceZone::Utc,
            sla: SlaPolicy::default(),
            calendar: BusinessCalendar::default(),
            silence_days: 3.0,
            hourly_cost: 50.0,
            filters: Filters::default(),
        }
    }
}

/// Median, p90, mean and count of a duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DurationStats {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
    pub count: i64,
}

/// Satisfaction figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Csat {
    pub rated: i64,
    pub satisfied_share: Option<f64>,
    pub mean_rating_5: Option<f64>,
}

/// Every metric key of the contract, for one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricSet {
    pub tickets: i64,
    pub first_response_minutes: DurationStats,
    pub first_response_business_minutes: DurationStats,
    /// `None` where no ticket's export measures first responses.
    pub awaiting_first_response: Option<i64>,
    pub resolution_hours: DurationStats,
    pub resolution_business_hours: DurationStats,
    pub sla_first_response_breach_rate: Option<f64>,
    pub sla_resolution_breach_rate: Option<f64>,
    /// Targets met ÷ targets measurable, first response and resolution together.
    pub sla_met_share: Option<f64>,
    pub reopen_rate: Option<f64>,
    pub follow_ups_per_ticket: Option<f64>,
    pub follow_ups_per_open_day: Option<f64>,
    pub silent_open_share: Option<f64>,
    pub backlog: i64,
    pub csat: Csat,
    pub nps: Option<f64>,
    pub blocked_hours: Option<f64>,
    pub excess_wait_hours: Option<f64>,
    pub impact_cost: Option<f64>,
}

/// CSAT of the tickets whose first response fell in one delay bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketCsat {
    pub bucket: String,
    pub rated: i64,
    pub satisfied_share: Option<f64>,
}

/// The full result of one computation.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsReport {
    pub as_of: Instant,
    pub overall: MetricSet,
    /// (week index, metrics), continuous over the period.
    pub by_week: Vec<(i64, MetricSet)>,
    /// dimension → (group value, metrics), sorted by value.
    pub by_dimension: BTreeMap<String, Vec<(String, MetricSet)>>,
    pub csat_by_first_response_bucket: Vec<BucketCsat>,
}

pub const BUCKETS: [&str; 6] = ["<1h", "1–4h", "4–24h", "1–3d", ">3d", "none"];
