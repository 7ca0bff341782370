//! The serializable `metrics --json` shape of docs/metrics.md
//! (`"schema": 1`), built from a [`MetricsReport`]. The shape changes only with
//! a schema bump; the core's own types are free to change.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::calendar::{instant_text, week_label, Period};
use crate::coverage::Coverage;
use crate::metrics::{MetricSet, MetricsConfig, MetricsReport, MoreGroupings, SlaKind, DIMENSIONS};
use crate::model::Priority;

pub const SCHEMA: u32 = 1;

/// Counts of what is loaded, for the `import` member.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ImportCounts {
    pub tickets: i64,
    pub surveys: i64,
    pub rejected_rows: i64,
}

fn set_value(m: &MetricSet) -> Map<String, Value> {
    match serde_json::to_value(m) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

fn keyed(name: &str, key: String, m: &MetricSet) -> Value {
    let mut o = Map::new();
    o.insert(name.to_string(), Value::String(key));
    o.extend(set_value(m));
    Value::Object(o)
}

/// The SLA policy as people write it: hours, clocks, `P1`…
fn policy_value(cfg: &MetricsConfig) -> Value {
    let targets = |kind: SlaKind| -> Map<String, Value> {
        Priority::ALL
            .iter()
            .zip(cfg.sla.targets(kind))
            .map(|(p, t)| {
                (
                    p.as_str().to_string(),
                    json!({ "hours": t.hours(), "clock": t.clock }),
                )
            })
            .collect()
    };
    let overrides: Vec<Value> = cfg
        .sla
        .overrides
        .iter()
        .map(|o| {
            json!({
                "scope": o.scope,
                "value": o.value,
                "priority": Priority::ALL.get(o.priority).map(|p| p.as_str()),
                "kind": o.kind,
                "hours": o.target.hours(),
                "clock": o.target.clock,
            })
        })
        .collect();
    json!({
        "first_response": targets(SlaKind::FirstResponse),
        "resolution": targets(SlaKind::Resolution),
        "overrides": overrides,
    })
}

/// The whole `--json` document.
pub fn metrics_document(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    counts: ImportCounts,
    coverage: &Coverage,
    more: &MoreGroupings,
) -> Value {
    let mut filters = Map::new();
    if let Some(from) = cfg.filters.from {
        filters.insert("from".into(), Value::String(instant_text(from)));
    }
    if let Some(to) = cfg.filters.to {
        filters.insert("to".into(), Value::String(instant_text(to)));
    }
    for (dim, values) in &cfg.filters.dimensions {
        if !values.is_empty() {
            filters.insert(dim.clone(), json!(values));
        }
    }
    let mut doc = Map::new();
    doc.insert("schema".into(), json!(SCHEMA));
    doc.insert("as_of".into(), Value::String(instant_text(report.as_of)));
    doc.insert("timezone".into(), Value::String(cfg.zone.name()));
    doc.insert("filters".into(), Value::Object(filters));
    let hours = |kind: SlaKind| -> Map<String, Value> {
        Priority::ALL
            .iter()
            .zip(cfg.sla.targets(kind))
            .map(|(p, t)| (p.as_str().to_string(), json!(t.hours())))
            .collect()
    };
    let targets = hours(SlaKind::FirstResponse);
    doc.insert(
        "config".into(),
        json!({
            "sla_first_response_hours": targets,
            "sla_resolution_hours": hours(SlaKind::Resolution),
            "sla_policy": policy_value(cfg),
            "silence_days": cfg.silence_days,
            "hourly_cost": cfg.hourly_cost,
            "business_hours": cfg.calendar,
        }),
    );
    doc.insert("overall".into(), Value::Object(set_value(&report.overall)));
    doc.insert(
        "by_week".into(),
        Value::Array(
            report
                .by_week
                .iter()
                .map(|(w, m)| keyed("week", week_label(*w), m))
                .collect(),
        ),
    );
    for (name, period, rows) in [
        ("by_month", Period::Month, &more.by_month),
        ("by_quarter", Period::Quarter, &more.by_quarter),
    ] {
        doc.insert(
            name.into(),
            Value::Array(
                rows.iter()
                    .map(|(p, m)| keyed(period.as_str(), period.label(*p), m))
                    .collect(),
            ),
        );
    }
    for dim in DIMENSIONS {
        let rows = report
            .by_dimension
            .get(dim)
            .map(|rows| rows.iter().map(|(k, m)| keyed(dim, k.clone(), m)).collect())
            .unwrap_or_default();
        doc.insert(format!("by_{dim}"), Value::Array(rows));
    }
    doc.insert(
        "csat_by_first_response_bucket".into(),
        json!(report.csat_by_first_response_bucket),
    );
    doc.insert("backlog_age".into(), json!(more.backlog_age));
    doc.insert("arrivals_heatmap".into(), json!(more.arrivals_heatmap));
    doc.insert("import".into(), json!(counts));
    doc.insert("coverage".into(), json!(coverage));
    Value::Object(doc)
}
