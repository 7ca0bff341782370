//! The success-factor scorecard of docs/success-factors.md: the eight
//! factors, their indicators with editable targets, a status per indicator and
//! factor (on target / near / off), and the trend over the last weeks. Pure:
//! it reads figures already computed by `metrics`, and never makes a value up
//! (a factor without data names the column that would measure it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format::{Better, Unit};
use crate::metrics::{Dataset, MetricSet, MetricsConfig, MetricsReport, ServiceFigures};
use crate::model::MS_PER_MINUTE;

/// A target: `on` is the threshold for "on target", `near` the one for
/// "near" (beyond `on` in the worse direction).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub on: f64,
    pub near: f64,
}

/// Where an indicator stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTarget,
    Near,
    Off,
    /// There is a value but no target was set.
    NoTarget,
    /// No value in this period.
    NoData,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTarget => "on target",
            Status::Near => "near",
            Status::Off => "off",
            Status::NoTarget => "no target",
            Status::NoData => "no data",
        }
    }
}

/// Which way the last weeks moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Better,
    Worse,
    Steady,
    /// Moved, for an indicator where neither direction is better.
    Up,
    Down,
}

/// The figures of one week (or period) the scorecard reads.
#[derive(Debug, Clone)]
pub struct PeriodFigures {
    pub metrics: MetricsReport,
    pub service: ServiceFigures,
}

/// One indicator, as defined (no values).
struct IndicatorDef {
    key: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    /// The stored field that feeds it (for "which column would measure this").
    field: &'static str,
    read: fn(&PeriodFigures) -> (Option<f64>, Option<String>),
}

/// A factor, as defined.
struct FactorDef {
    key: &'static str,
    name: &'static str,
    asks: &'static str,
    indicators: Vec<IndicatorDef>,
}

/// One indicator of a factor, with its value this period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
    pub value: Option<f64>,
    /// What the value refers to, when it picks one group (e.g. the department).
    pub detail: Option<String>,
    pub target: Option<Target>,
    pub status: Status,
    /// Values of the last weeks, oldest first, the report's week last.
    pub trend: Vec<Option<f64>>,
    pub trend_direction: Option<Trend>,
    /// When no data could measure it: the column that would.
    pub missing: Option<String>,
}

/// One success factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    pub key: String,
    pub name: String,
    pub asks: String,
    pub status: Status,
    pub indicators: Vec<Indicator>,
    /// Columns that would measure the indicators without data.
    pub missing: Vec<String>,
}

/// The whole scorecard for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub factors: Vec<Factor>,
}

/// The setting under which edited targets are stored (JSON of [`Targets`]).
pub const SAVED_TARGETS: &str = "scorecard.targets";

/// Indicator key → target, starting from the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targets(pub BTreeMap<String, Target>);

impl Targets {
    /// The defaults of docs/success-factors.md; first-response p90 by
    /// priority is held to the SLA targets of the config (near: 1.5 × target).
    pub fn defaults(cfg: &MetricsConfig) -> Targets {
        let mut m = BTreeMap::new();
        m.insert(
            "sla_breach_rate".into(),
            Target {
                on: 0.05,
                near: 0.10,
            },
        );
        m.insert(
            "sla_resolution_breach_rate".into(),
            Target {
                on: 0.05,
                near: 0.10,
            },
        );
        m.insert(
            "sla_met_share".into(),
            Target {
                on: 0.95,
                near: 0.90,
            },
        );
        m.insert(
            "reopen_rate".into(),
            Target {
                on: 0.05,
                near: 0.10,
            },
        );
        m.insert(
            "silent_open_share".into(),
            Target {
                on: 0.10,
                near: 0.20,
            },
        );
        m.insert(
            "csat_satisfied_share".into(),
            Target {
                on: 0.90,
                near: 0.80,
            },
        );
        for (i, p) in ["p1", "p2", "p3", "p4"].iter().enumerate() {
            let minutes = cfg.sla.first_response[i].ms as f64 / MS_PER_MINUTE as f64;
            m.insert(
                format!("first_response_p90_{p}"),
                Target {
                    on: minutes,
                    near: minutes * 1.5,
                },
            );
        }
        Targets(m)
    }

    /// Applies `key=ON` or `key=ON/NEAR` (e.g. `reopen_rate=0.04/0.08`); without
    /// NEAR, near is 1.5 × on for lower-is-better and 0.9 × on otherwise.
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (key, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: expected KEY=ON or KEY=ON/NEAR"))?;
        let key = key.trim();
        let def = definitions()
            .into_iter()
            .flat_map(|f| f.indicators)
            .find(|d| d.key == key)
            .ok_or_else(|| {
                format!(
                    "`{key}` is not an indicator; known: {}",
                    indicator_keys().join(", ")
                )
            })?;
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{spec}`: `{s}` is not a number"))
        };
        let (on, near) = match value.split_once('/') {
            Some((on, near)) => (number(on)?, number(near)?),
            None => {
                let on = number(value)?;
                let near = match def.better {
                    Better::Lower => on * 1.5,
                    _ => on * 0.9,
                };
                (on, near)
            }
        };
        let wrong_side = match def.better {
            Better::Lower => near < on,
            Better::Higher => near > on,
            Better::Neither => false,
        };
        if wrong_side {
            return Err(format!(
                "`{spec}`: for {key} ({} is better) the near threshold must lie beyond the target",
                match def.better {
                    Better::Lower => "lower",
                    _ => "higher",
                }
            ));
        }
        self.0.insert(key.to_string(), Target { on, near });
        Ok(())
    }
}

/// Every indicator key, in scorecard order.
pub fn indicator_keys() -> Vec<&'static str> {
    definitions()
        .into_iter()
        .flat_map(|f| f.indicators)
        .map(|d| d.key)
        .collect()
}

/// What to tell a user whose data lacks a field.
fn column_hint(field: &str) -> &'static str {
    match field {
        "first_response_at" => {
            "a first-response time column (first reply at, or first reply time in minutes)"
        }
        "resolved_at" => "a resolution time column (resolved at / solved at)",
        "reassignments" => "a reassignment count column (e.g. ServiceNow reassignment_count)",
        "rating" => "a satisfaction survey export with a rating per response",
        "rating_reopen" => "survey responses that carry the ticket id they rate",
        "follow_ups" => "a public follow-up count column, or an event log / comment history",
        "updates" => "an event log or comment history (times of public updates)",
        "nps" => "a 0–10 survey question (likelihood to recommend)",
        "channel" => "a channel / contact type / source column",
        "knowledge" => {
            "a knowledge-article column (e.g. ServiceNow knowledge, Zendesk article used)"
        }
        "department" => "a requester department / organization column",
        "requester" => "a requester column (name or email) and a category column",
        "priority" => "a priority column",
        _ => "the ticket export's timestamps",
    }
}

fn priority_p90(p: &'static str) -> fn(&PeriodFigures) -> (Option<f64>, Option<String>) {
    match p {
        "P1" => |f| {
            (
                by_priority(f, "P1").and_then(|m| m.first_response_minutes.p90),
                None,
            )
        },
        "P2" => |f| {
            (
                by_priority(f, "P2").and_then(|m| m.first_response_minutes.p90),
                None,
            )
        },
        "P3" => |f| {
            (
                by_priority(f, "P3").and_then(|m| m.first_response_minutes.p90),
                None,
            )
        },
        _ => |f| {
            (
                by_priority(f, "P4").and_then(|m| m.first_response_minutes.p90),
                None,
            )
        },
    }
}

fn by_priority<'a>(f: &'a PeriodFigures, p: &str) -> Option<&'a MetricSet> {
    f.metrics
        .by_dimension
        .get("priority")?
        .iter()
        .find(|(k, _)| k == p)
        .map(|(_, m)| m)
}

/// The department whose requesters waited longest for a first response (median).
fn slowest_department(f: &PeriodFigures) -> (Option<f64>, Option<String>) {
    let Some(rows) = f.metrics.by_dimension.get("department") else {
        return (None, None);
    };
    rows.iter()
        .filter(|(k, _)| k != crate::metrics::NO_VALUE)
        .filter_map(|(k, m)| m.first_response_minutes.median.map(|v| (k, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map_or((None, None), |(k, v)| (Some(v), Some(k.clone())))
}

fn definitions() -> Vec<FactorDef> {
    use Better::*;
    use Unit::*;
    type Read = fn(&PeriodFigures) -> (Option<f64>, Option<String>);
    fn d(
        key: &'static str,
        label: &'static str,
        unit: Unit,
        better: Better,
        field: &'static str,
        read: Read,
    ) -> IndicatorDef {
        IndicatorDef {
            key,
            label,
            unit,
            better,
            field,
            read,
        }
    }
    vec![
        FactorDef {
            key: "streamline",
            name: "Streamline business processes that impact the customer",
            asks: "Slow is bad, especially for malware response and intrusions; analyse the business impact of slow response",
            indicators: vec![
                d("first_response_median", "First response median", Minutes, Lower, "first_response_at",
                    |f| (f.metrics.overall.first_response_minutes.median, None)),
                d("first_response_p90_p1", "P1 first response p90", Minutes, Lower, "first_response_at", priority_p90("P1")),
                d("first_response_p90_p2", "P2 first response p90", Minutes, Lower, "first_response_at", priority_p90("P2")),
                d("first_response_p90_p3", "P3 first response p90", Minutes, Lower, "first_response_at", priority_p90("P3")),
                d("first_response_p90_p4", "P4 first response p90", Minutes, Lower, "first_response_at", priority_p90("P4")),
                d("sla_breach_rate", "First-response SLA breach rate", Share, Lower, "first_response_at",
                    |f| (f.metrics.overall.sla_first_response_breach_rate, None)),
                d("resolution_median", "Resolution median", Hours, Lower, "resolved_at",
                    |f| (f.metrics.overall.resolution_hours.median, None)),
                d("sla_resolution_breach_rate", "Resolution SLA breach rate", Share, Lower, "resolved_at",
                    |f| (f.metrics.overall.sla_resolution_breach_rate, None)),
                d("sla_met_share", "SLA targets met (first response and resolution)", Share, Higher, "first_response_at",
                    |f| (f.metrics.overall.sla_met_share, None)),
                d("excess_wait_hours", "Excess wait beyond SLA (person-hours)", Hours, Lower, "created_at",
                    |f| (f.metrics.overall.excess_wait_hours, None)),
                d("impact_cost", "Impact cost", Cost, Lower, "created_at",
                    |f| (f.metrics.overall.impact_cost, None)),
            ],
        },
        FactorDef {
            key: "own_experience",
            name: "Own the customer's total experience",
            asks: "Make sure the customer agrees the problem is resolved; stay in touch after a hand-off",
            indicators: vec![
                d("reopen_rate", "Reopen rate", Share, Lower, "resolved_at",
                    |f| (f.metrics.overall.reopen_rate, None)),
                d("reassignments_per_ticket", "Reassignments per ticket", PerTicket, Lower, "reassignments",
                    |f| (f.service.reassignments_per_ticket, None)),
                d("csat_reopened", "Satisfied share, reopened tickets", Share, Higher, "rating_reopen",
                    |f| (f.service.csat_reopened, None)),
                d("csat_not_reopened", "Satisfied share, tickets not reopened", Share, Higher, "rating_reopen",
                    |f| (f.service.csat_not_reopened, None)),
            ],
        },
        FactorDef {
            key: "relationship_view",
            name: "Provide a 360-degree view of the relationship",
            asks: "Tell people where they are in the process; stay in contact",
            indicators: vec![
                d("follow_ups_per_open_day", "Follow-ups per open day", PerDay, Higher, "follow_ups",
                    |f| (f.metrics.overall.follow_ups_per_open_day, None)),
                d("silent_open_share", "Silent open tickets", Share, Lower, "created_at",
                    |f| (f.metrics.overall.silent_open_share, None)),
                d("median_update_gap_hours", "Median gap between updates", Hours, Lower, "updates",
                    |f| (f.service.median_update_gap_hours, None)),
            ],
        },
        FactorDef {
            key: "personalized",
            name: "Deliver personalized service",
            asks: "Respect, speak the customer's language — smile, you'll get better tips",
            indicators: vec![
                d("csat_satisfied_share", "Satisfied share (CSAT)", Share, Higher, "rating",
                    |f| (f.metrics.overall.csat.satisfied_share, None)),
                d("csat_mean_rating", "Mean rating (1–5)", Rating, Higher, "rating",
                    |f| (f.metrics.overall.csat.mean_rating_5, None)),
                d("nps", "Net promoter score", Points, Higher, "nps",
                    |f| (f.metrics.overall.nps, None)),
            ],
        },
        FactorDef {
            key: "self_help",
            name: "Let customers help themselves",
            asks: "FAQs, guidelines and how-tos, without forcing people into the deep end",
            indicators: vec![
                d("self_service_share", "Tickets from self-service channels", Share, Higher, "channel",
                    |f| (f.service.self_service_share, None)),
                d("knowledge_share", "Resolved with a knowledge article", Share, Higher, "knowledge",
                    |f| (f.service.knowledge_share, None)),
            ],
        },
        FactorDef {
            key: "do_their_jobs",
            name: "Help customers do their jobs",
            asks: "Security supports the business: people get back to work more quickly",
            indicators: vec![
                d("blocked_hours", "Blocked person-hours", Hours, Lower, "created_at",
                    |f| (f.metrics.overall.blocked_hours, None)),
                d("resolved_within_day_share", "Resolved within a day", Share, Higher, "resolved_at",
                    |f| (f.service.resolved_within_day_share, None)),
            ],
        },
        FactorDef {
            key: "right_customers",
            name: "Target the right customers",
            asks: "Most impact to the enterprise, most business payback",
            indicators: vec![
                d("slowest_department_first_response", "Slowest department, first response median", Minutes, Lower, "department",
                    slowest_department),
                d("high_priority_share", "P1/P2 share of tickets", Share, Neither, "priority",
                    |f| (f.service.high_priority_share, None)),
            ],
        },
        FactorDef {
            key: "community",
            name: "Foster community",
            asks: "Shared knowledge, fewer oops'es",
            indicators: vec![d(
                "repeat_request_share",
                "Repeat requests (same requester and category within 30 days)",
                Share,
                Lower,
                "requester",
                |f| (f.service.repeat_request_share, None),
            )],
        },
    ]
}

/// A value against its target, in the direction that is better.
pub fn status_of(value: Option<f64>, target: Option<Target>, better: Better) -> Status {
    let Some(v) = value else {
        return Status::NoData;
    };
    let Some(t) = target else {
        return Status::NoTarget;
    };
    let (on, near) = match better {
        Better::Lower => (v <= t.on, v <= t.near),
        Better::Higher => (v >= t.on, v >= t.near),
        Better::Neither => return Status::NoTarget,
    };
    if on {
        Status::OnTarget
    } else if near {
        Status::Near
    } else {
        Status::Off
    }
}

fn trend_of(values: &[Option<f64>], better: Better) -> Option<Trend> {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let (first, last) = (*known.first()?, *known.last()?);
    if known.len() < 2 {
        return None;
    }
    let scale = first.abs().max(last.abs()).max(1e-9);
    if (last - first).abs() / scale < 0.02 {
        return Some(Trend::Steady);
    }
    let up = last > first;
    Some(match (better, up) {
        (Better::Lower, true) | (Better::Higher, false) => Trend::Worse,
        (Better::Lower, false) | (Better::Higher, true) => Trend::Better,
        (Better::Neither, true) => Trend::Up,
        (Better::Neither, false) => Trend::Down,
    })
}

/// Whether the data holds the field an indicator reads (in any period).
fn field_present(ds: &Dataset, field: &str) -> bool {
    match field {
        "created_at" => ds.ticket_count() > 0,
        "rating_reopen" => ds.has_field("rating") && ds.linked_surveys() > 0,
        "nps" => ds.has_nps(),
        "requester" => ds.has_field("requester") && ds.has_field("category"),
        "follow_ups" => ds.has_field("follow_ups"),
        other => ds.has_field(other),
    }
}

/// Builds the scorecard of the last entry of `weeks` (oldest first), with the
/// trend over all of them.
pub fn scorecard(ds: &Dataset, weeks: &[PeriodFigures], targets: &Targets) -> Scorecard {
    let factors = definitions()
        .into_iter()
        .map(|fd| {
            let indicators: Vec<Indicator> = fd
                .indicators
                .iter()
                .map(|d| {
                    let trend: Vec<Option<f64>> = weeks.iter().map(|w| (d.read)(w).0).collect();
                    let (value, detail) = weeks.last().map_or((None, None), |w| (d.read)(w));
                    let target = targets.0.get(d.key).copied();
                    let missing = (value.is_none() && !field_present(ds, d.field))
                        .then(|| column_hint(d.field).to_string());
                    Indicator {
                        key: d.key.to_string(),
                        label: d.label.to_string(),
                        unit: d.unit,
                        better: d.better,
                        value,
                        detail,
                        target,
                        status: status_of(value, target, d.better),
                        trend_direction: trend_of(&trend, d.better),
                        trend,
                        missing,
                    }
                })
                .collect();
            let judged = indicators
                .iter()
                .map(|i| i.status)
                .filter(|s| matches!(s, Status::OnTarget | Status::Near | Status::Off))
                .max();
            let status = judged.unwrap_or_else(|| {
                if indicators.iter().any(|i| i.value.is_some()) {
                    Status::NoTarget
                } else {
                    Status::NoData
                }
            });
            let mut missing: Vec<String> = indicators
                .iter()
                .filter_map(|i| i.missing.clone())
                .collect();
            missing.dedup();
            Factor {
                key: fd.key.to_string(),
                name: fd.name.to_string(),
                asks: fd.asks.to_string(),
                status,
                indicators,
                missing,
            }
        })
        .collect();
    Scorecard { factors }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_direction_of_the_indicator() {
        let t = Some(Target {
            on: 0.05,
            near: 0.10,
        });
        assert_eq!(status_of(Some(0.05), t, Better::Lower), Status::OnTarget);
        assert_eq!(status_of(Some(0.07), t, Better::Lower), Status::Near);
        assert_eq!(status_of(Some(0.11), t, Better::Lower), Status::Off);
        let t = Some(Target { on: 0.9, near: 0.8 });
        assert_eq!(status_of(Some(0.95), t, Better::Higher), Status::OnTarget);
        assert_eq!(status_of(Some(0.8), t, Better::Higher), Status::Near);
        assert_eq!(status_of(Some(0.79), t, Better::Higher), Status::Off);
        assert_eq!(status_of(None, t, Better::Higher), Status::NoData);
        assert_eq!(status_of(Some(0.5), None, Better::Higher), Status::NoTarget);
    }

    #[test]
    fn trends_compare_the_first_and_last_known_weeks() {
        let v = [Some(10.0), None, Some(8.0), Some(5.0)];
        assert_eq!(trend_of(&v, Better::Lower), Some(Trend::Better));
        assert_eq!(trend_of(&v, Better::Higher), Some(Trend::Worse));
        assert_eq!(trend_of(&v, Better::Neither), Some(Trend::Down));
        assert_eq!(
            trend_of(&[Some(1.0), Some(1.01)], Better::Lower),
            Some(Trend::Steady)
        );
        assert_eq!(trend_of(&[None, Some(1.0)], Better::Lower), None);
    }

    #[test]
    fn targets_parse_and_refuse_what_cannot_be_meant() {
        let mut t = Targets::defaults(&MetricsConfig::default());
        assert_eq!(
            t.0["first_response_p90_p2"],
            Target {
                on: 240.0,
                near: 360.0
            }
        );
        t.set("reopen_rate=0.04/0.08").expect("valid");
        assert_eq!(
            t.0["reopen_rate"],
            Target {
                on: 0.04,
                near: 0.08
            }
        );
        t.set("csat_satisfied_share=0.95").expect("valid");
        assert!((t.0["csat_satisfied_share"].near - 0.855).abs() < 1e-12);
        assert!(t.set("reopen_rate=0.08/0.04").is_err());
        assert!(t
            .set("speed=1")
            .expect_err("unknown key")
            .contains("not an indicator"));
        assert!(t.set("reopen_rate=fast").is_err());
    }
}
