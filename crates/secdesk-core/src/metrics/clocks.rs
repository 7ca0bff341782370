//! Each ticket against its SLA targets: the target the policy holds it to,
//! the clock it runs on, the time on that clock (less the time the ticket
//! waited on its requester) and whether it was met — the rows behind
//! `sla_first_response_breach_rate`, `sla_resolution_breach_rate` and
//! `sla_met_share`.

use polars::prelude::*;
use serde::Serialize;

use super::dataset::Dataset;
use super::policy::Clock;
use super::rows::{in_period, ticket_base};
use super::service::{flag_column, text_column};
use super::MetricsConfig;
use crate::error::MetricsError;
use crate::model::{Instant, MS_PER_HOUR};

/// One ticket against one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockReading {
    pub target_hours: f64,
    pub clock: Clock,
    /// Time on the target's clock to the event (or to as_of without one),
    /// less the time waited on the requester; `None` where the export does
    /// not measure it.
    pub elapsed_hours: Option<f64>,
    /// Time waited on the requester inside that span, on the target's clock.
    pub paused_hours: f64,
    /// `Some(true)` met, `Some(false)` breached, `None` not measurable yet
    /// (no event and the target not yet elapsed) or not measured.
    pub met: Option<bool>,
}

/// A ticket created in the period (and covered by the filters) against
/// its first-response and resolution targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketSla {
    pub source: String,
    pub ticket_id: String,
    pub created_at: Instant,
    pub priority: Option<String>,
    pub team: Option<String>,
    pub category: Option<String>,
    pub assignee: Option<String>,
    pub first_response: ClockReading,
    pub resolution: ClockReading,
}

/// Every ticket of the period against its targets, oldest first.
pub fn sla_by_ticket(ds: &Dataset, cfg: &MetricsConfig) -> Result<Vec<TicketSla>, MetricsError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let df = ticket_base(ds, cfg, as_of)?
        .filter(in_period(col("created"), &cfg.filters))
        .sort(
            ["created", "source", "ticket_id"],
            SortMultipleOptions::default(),
        )
        .select([
            col("source"),
            col("ticket_id"),
            col("created"),
            col("priority"),
            col("team"),
            col("category"),
            col("assignee"),
            col("target"),
            col("target_business"),
            col("fr_clock"),
            col("fr_known"),
            col("breached"),
            col("measurable"),
            when(col("target_business"))
                .then(col("p_fr_bus"))
                .otherwise(col("p_fr_cal"))
                .alias("fr_paused"),
            col("res_target"),
            col("res_target_business"),
            col("res_clock"),
            col("res_known"),
            col("res_breached"),
            col("res_measurable"),
            when(col("res_target_business"))
                .then(col("p_res_bus"))
                .otherwise(col("p_res_cal"))
                .alias("res_paused"),
        ])
        .collect()?;
    let text = |name: &str| text_column(&df, name);
    let ints = |name: &str| -> Result<Vec<Option<i64>>, MetricsError> {
        Ok(df.column(name)?.i64()?.iter().collect())
    };
    let flags = |name: &str| flag_column(&df, name);
    let hours = |ms: Option<i64>| ms.map_or(0.0, |ms| ms as f64 / MS_PER_HOUR as f64);
    let reading = |prefix: &str| -> Result<Vec<ClockReading>, MetricsError> {
        let (target, business, clock, known, breached, measurable, paused) = if prefix == "fr" {
            (
                ints("target")?,
                flags("target_business")?,
                ints("fr_clock")?,
                flags("fr_known")?,
                flags("breached")?,
                flags("measurable")?,
                ints("fr_paused")?,
            )
        } else {
            (
                ints("res_target")?,
                flags("res_target_business")?,
                ints("res_clock")?,
                flags("res_known")?,
                flags("res_breached")?,
                flags("res_measurable")?,
                ints("res_paused")?,
            )
        };
        Ok((0..df.height())
            .map(|i| ClockReading {
                target_hours: hours(target[i]),
                clock: if business[i] {
                    Clock::Business
                } else {
                    Clock::Calendar
                },
                elapsed_hours: known[i].then(|| hours(clock[i])),
                paused_hours: if known[i] { hours(paused[i]) } else { 0.0 },
                met: measurable[i].then_some(!breached[i]),
            })
            .collect())
    };
    let (source, id) = (text("source")?, text("ticket_id")?);
    let (priority, team) = (text("priority")?, text("team")?);
    let (category, assignee) = (text("category")?, text("assignee")?);
    let created = ints("created")?;
    let first_response = reading("fr")?;
    let resolution = reading("res")?;
    Ok(first_response
        .into_iter()
        .zip(resolution)
        .enumerate()
        .map(|(i, (first_response, resolution))| TicketSla {
            source: source[i].clone().unwrap_or_default(),
            ticket_id: id[i].clone().unwrap_or_default(),
            created_at: created[i].unwrap_or(0),
            priority: priority[i].clone(),
            team: team[i].clone(),
            category: category[i].clone(),
            assignee: assignee[i].clone(),
            first_response,
            resolution,
        })
        .collect())
}
