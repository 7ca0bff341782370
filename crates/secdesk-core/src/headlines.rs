//! The headline metrics, defined once: key, label, unit, which way is better,
//! where the value sits in the `metrics --json` document, and the scorecard
//! indicator that holds its target. The weekly review's cards, the weekly
//! report's headline table and the personal stats all list them from here;
//! the window receives [`HEADLINES`] from the shell. Pure: reads figures
//! `metrics` computed.

use serde::Serialize;

use crate::format::{Better, Unit};
use crate::metrics::{MetricSet, MetricsReport};

/// One headline metric, as defined (no values).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct HeadlineDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Where the value sits in a metric set of the `metrics --json`
    /// document (dotted: `first_response_minutes.median`).
    pub path: &'static str,
    /// The scorecard indicator whose target this metric is held to.
    pub indicator: Option<&'static str>,
    /// The metric family (docs/metrics.md, "No source, no number") whose
    /// source the value needs; its coverage says why a value is missing.
    pub family: Option<&'static str>,
    #[serde(skip)]
    pub read: fn(&MetricSet) -> Option<f64>,
}

/// The headline metrics of the weekly review, in the order they are shown.
pub const HEADLINES: [HeadlineDef; 12] = [
    HeadlineDef {
        key: "tickets",
        label: "Tickets created",
        unit: Unit::Count,
        better: Better::Neither,
        path: "tickets",
        indicator: None,
        family: None,
        read: |m| Some(m.tickets as f64),
    },
    HeadlineDef {
        key: "first_response_median",
        label: "First response median",
        unit: Unit::Minutes,
        better: Better::Lower,
        path: "first_response_minutes.median",
        indicator: Some("first_response_median"),
        family: Some("first_response"),
        read: |m| m.first_response_minutes.median,
    },
    HeadlineDef {
        key: "sla_breach_rate",
        label: "First-response SLA breach rate",
        unit: Unit::Share,
        better: Better::Lower,
        path: "sla_first_response_breach_rate",
        indicator: Some("sla_breach_rate"),
        family: Some("first_response"),
        read: |m| m.sla_first_response_breach_rate,
    },
    HeadlineDef {
        key: "sla_resolution_breach_rate",
        label: "Resolution SLA breach rate",
        unit: Unit::Share,
        better: Better::Lower,
        path: "sla_resolution_breach_rate",
        indicator: Some("sla_resolution_breach_rate"),
        family: Some("resolution"),
        read: |m| m.sla_resolution_breach_rate,
    },
    HeadlineDef {
        key: "sla_met_share",
        label: "SLA targets met",
        unit: Unit::Share,
        better: Better::Higher,
        path: "sla_met_share",
        indicator: Some("sla_met_share"),
        family: None,
        read: |m| m.sla_met_share,
    },
    HeadlineDef {
        key: "resolution_median",
        label: "Resolution median",
        unit: Unit::Hours,
        better: Better::Lower,
        path: "resolution_hours.median",
        indicator: Some("resolution_median"),
        family: Some("resolution"),
        read: |m| m.resolution_hours.median,
    },
    HeadlineDef {
        key: "reopen_rate",
        label: "Reopen rate",
        unit: Unit::Share,
        better: Better::Lower,
        path: "reopen_rate",
        indicator: Some("reopen_rate"),
        family: Some("reopen"),
        read: |m| m.reopen_rate,
    },
    HeadlineDef {
        key: "follow_ups_per_open_day",
        label: "Follow-ups per open day",
        unit: Unit::PerDay,
        better: Better::Higher,
        path: "follow_ups_per_open_day",
        indicator: Some("follow_ups_per_open_day"),
        family: Some("follow_ups"),
        read: |m| m.follow_ups_per_open_day,
    },
    HeadlineDef {
        key: "silent_open_share",
        label: "Silent open tickets",
        unit: Unit::Share,
        better: Better::Lower,
        path: "silent_open_share",
        indicator: Some("silent_open_share"),
        family: Some("last_update"),
        read: |m| m.silent_open_share,
    },
    HeadlineDef {
        key: "csat_satisfied_share",
        label: "CSAT (satisfied share)",
        unit: Unit::Share,
        better: Better::Higher,
        path: "csat.satisfied_share",
        indicator: Some("csat_satisfied_share"),
        family: Some("csat"),
        read: |m| m.csat.satisfied_share,
    },
    HeadlineDef {
        key: "blocked_hours",
        label: "Blocked person-hours",
        unit: Unit::Hours,
        better: Better::Lower,
        path: "blocked_hours",
        indicator: Some("blocked_hours"),
        family: None,
        read: |m| m.blocked_hours,
    },
    HeadlineDef {
        key: "impact_cost",
        label: "Impact cost",
        unit: Unit::Cost,
        better: Better::Lower,
        path: "impact_cost",
        indicator: Some("impact_cost"),
        family: None,
        read: |m| m.impact_cost,
    },
];

/// The definition of a headline by key.
pub fn headline(key: &str) -> Option<&'static HeadlineDef> {
    HEADLINES.iter().find(|h| h.key == key)
}

/// One headline number: this week, last week, the change and the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
    pub this_week: Option<f64>,
    pub last_week: Option<f64>,
    /// this − last (in the unit; shares as fractions).
    pub change: Option<f64>,
    /// The last weeks, oldest first, this week last.
    pub trend: Vec<Option<f64>>,
}

impl Headline {
    /// A headline from its values over the last weeks (oldest first, the
    /// week it describes last).
    pub fn from_trend(def: &HeadlineDef, trend: Vec<Option<f64>>) -> Headline {
        let this_week = trend.last().copied().flatten();
        let last_week = trend.iter().rev().nth(1).copied().flatten();
        Headline {
            key: def.key.to_string(),
            label: def.label.to_string(),
            unit: def.unit,
            better: def.better,
            this_week,
            last_week,
            change: this_week.zip(last_week).map(|(a, b)| a - b),
            trend,
        }
    }
}

/// Every headline of `week` from a report's weekly series, with the trend
/// over the `weeks` weeks up to it (fewer when the series starts later).
/// A week outside the series gives headlines without values.
pub fn weekly_headlines(report: &MetricsReport, week: i64, weeks: usize) -> Vec<Headline> {
    let end = report.by_week.iter().position(|(w, _)| *w == week);
    let rows: &[(i64, MetricSet)] = match end {
        Some(i) => &report.by_week[(i + 1).saturating_sub(weeks)..=i],
        None => &[],
    };
    HEADLINES
        .iter()
        .map(|def| Headline::from_trend(def, rows.iter().map(|(_, m)| (def.read)(m)).collect()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_paths_name_the_values_read() {
        let mut m = MetricSet {
            tickets: 7,
            ..MetricSet::default()
        };
        m.first_response_minutes.median = Some(12.0);
        m.csat.satisfied_share = Some(0.5);
        let doc = serde_json::to_value(&m).expect("json");
        for def in &HEADLINES {
            assert_eq!(
                HEADLINES.iter().filter(|h| h.key == def.key).count(),
                1,
                "{}",
                def.key
            );
            let at = def.path.split('.').fold(&doc, |v, k| &v[k]);
            assert!(!at.is_null() || (def.read)(&m).is_none(), "{}", def.path);
            assert_eq!(at.as_f64(), (def.read)(&m), "{}", def.path);
        }
    }

    #[test]
    fn weekly_headlines_take_the_week_and_the_ones_before() {
        let week = |w: i64, tickets: i64| {
            (
                w,
                MetricSet {
                    tickets,
                    ..MetricSet::default()
                },
            )
        };
        let report = MetricsReport {
            as_of: 0,
            overall: MetricSet::default(),
            by_week: vec![week(10, 1), week(11, 2), week(12, 3), week(13, 4)],
            by_dimension: Default::default(),
            csat_by_first_response_bucket: Vec::new(),
        };
        let h = &weekly_headlines(&report, 12, 2)[0];
        assert_eq!(h.trend, vec![Some(2.0), Some(3.0)]);
        assert_eq!(
            (h.this_week, h.last_week, h.change),
            (Some(3.0), Some(2.0), Some(1.0))
        );
        let first = &weekly_headlines(&report, 10, 12)[0];
        assert_eq!(first.trend, vec![Some(1.0)]);
        assert_eq!(first.last_week, None);
        assert!(weekly_headlines(&report, 40, 12)[0].trend.is_empty());
    }
}
