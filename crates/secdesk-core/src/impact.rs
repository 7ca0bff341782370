//! Business impact of slow security response: blocked person-hours, excess
//! wait beyond the SLA and their cost by week, priority, category and
//! department; the channel mix beside the seed's cost-per-contact figures;
//! satisfaction by first-response delay. Pure: it arranges figures that
//! `metrics` computed (the "what if" saving is `metrics::what_if`).

use serde::{Deserialize, Serialize};

use crate::calendar::week_label;
use crate::metrics::{BucketCsat, MetricSet, MetricsReport, WhatIf};
use crate::model::is_self_service_channel;

/// Cost of one contact by how it is handled. Defaults: the seed talk's
/// figures, citing Emily Yellin, "Your Call Is (Not That) Important to Us"
/// (2009), in US dollars; editable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ContactCosts {
    /// A live, in-house agent.
    pub live_agent: f64,
    /// An outsourced offshore agent.
    pub offshore: f64,
    /// An automated response (self-service, portal, bot).
    pub automated: f64,
}

impl Default for ContactCosts {
    fn default() -> Self {
        ContactCosts {
            live_agent: 7.50,
            offshore: 2.35,
            automated: 0.32,
        }
    }
}

/// Where the default contact costs come from, printed beside them.
pub const CONTACT_COSTS_SOURCE: &str = "Reference: the seed talk's 2009 figures (Emily Yellin, \"Your Call Is (Not That) Important to Us\"): live US agent $7.50, offshore $2.35, automated $0.32 per contact; editable";

/// Impact of one group of tickets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactRow {
    pub group: String,
    pub tickets: i64,
    pub blocked_hours: Option<f64>,
    pub excess_wait_hours: Option<f64>,
    pub impact_cost: Option<f64>,
}

/// One channel of the mix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelRow {
    pub channel: String,
    pub tickets: i64,
    pub share: Option<f64>,
    pub self_service: bool,
    /// The reference cost of one contact through it.
    pub cost_per_contact: f64,
    /// tickets × cost per contact.
    pub contact_cost: f64,
}

/// The impact panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub total: ImpactRow,
    pub by_week: Vec<ImpactRow>,
    pub by_priority: Vec<ImpactRow>,
    pub by_category: Vec<ImpactRow>,
    pub by_department: Vec<ImpactRow>,
    pub channel_mix: Vec<ChannelRow>,
    pub contact_costs: ContactCosts,
    pub csat_by_first_response_bucket: Vec<BucketCsat>,
    /// The saving had first response met its target, one entry per priority asked.
    pub what_if: Vec<WhatIf>,
}

fn row(group: String, m: &MetricSet) -> ImpactRow {
    ImpactRow {
        group,
        tickets: m.tickets,
        blocked_hours: m.blocked_hours,
        excess_wait_hours: m.excess_wait_hours,
        impact_cost: m.impact_cost,
    }
}

/// Groups with tickets, largest blocked hours first (ties by name).
fn ranked(report: &MetricsReport, dim: &str) -> Vec<ImpactRow> {
    let mut rows: Vec<ImpactRow> = report
        .by_dimension
        .get(dim)
        .map(|v| {
            v.iter()
                .filter(|(_, m)| m.tickets > 0)
                .map(|(k, m)| row(k.clone(), m))
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| {
        b.blocked_hours
            .unwrap_or(0.0)
            .total_cmp(&a.blocked_hours.unwrap_or(0.0))
            .then_with(|| a.group.cmp(&b.group))
    });
    rows
}

/// Arranges the impact figures of a report; `what_if` comes from `metrics::what_if`.
pub fn impact(report: &MetricsReport, costs: ContactCosts, what_if: Vec<WhatIf>) -> Impact {
    let total_tickets = report.overall.tickets;
    let mut channel_mix: Vec<ChannelRow> = report
        .by_dimension
        .get("channel")
        .map(|v| {
            v.iter()
                .filter(|(_, m)| m.tickets > 0)
                .map(|(k, m)| {
                    let self_service = is_self_service_channel(k);
                    let cost_per_contact = if self_service {
                        costs.automated
                    } else {
                        costs.live_agent
                    };
                    ChannelRow {
                        channel: k.clone(),
                        tickets: m.tickets,
                        share: (total_tickets > 0).then(|| m.tickets as f64 / total_tickets as f64),
                        self_service,
                        cost_per_contact,
                        contact_cost: m.tickets as f64 * cost_per_contact,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    channel_mix.sort_by(|a, b| {
        b.tickets
            .cmp(&a.tickets)
            .then_with(|| a.channel.cmp(&b.channel))
    });
    Impact {
        total: row("all".into(), &report.overall),
        by_week: report
            .by_week
            .iter()
            .map(|(w, m)| row(week_label(*w), m))
            .collect(),
        by_priority: ranked(report, "priority"),
        by_category: ranked(report, "category"),
        by_department: ranked(report, "department"),
        channel_mix,
        contact_costs: costs,
        csat_by_first_response_bucket: report.csat_by_first_response_bucket.clone(),
        what_if,
    }
}
