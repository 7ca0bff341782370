//! Every table the views show, as a [`Table`] a user takes to a spreadsheet:
//! the tickets behind a chart point, the metrics of every grouping, the
//! scorecard, the weekly report's headline and action lists, each ticket
//! against its SLA targets. Values keep their units in the column names
//! (`first response median (min)`), shares are fractions, instants are
//! instants: a spreadsheet computes with them.

use crate::calendar::week_label;
use crate::chart::Plot;
use crate::metrics::{AgeBucket, MetricSet, MetricsReport, OpenTicket, TicketRow, TicketSla};
use crate::report::WeeklyReport;
use crate::scorecard::Scorecard;
use crate::table::{Table, Value};

/// The tickets behind a chart point.
pub fn tickets(rows: &[TicketRow]) -> Table {
    let mut t = Table::new(
        "tickets",
        &[
            "ticket",
            "created",
            "status",
            "priority",
            "category",
            "team",
            "assignee",
            "department",
            "channel",
            "first response (min)",
            "first-response target breached",
            "resolution (h)",
            "reopened",
            "follow-ups",
            "open at the cut-off",
            "silent",
        ],
    );
    for r in rows {
        t.push(vec![
            r.ticket_id.clone().into(),
            Value::Instant(r.created_at),
            r.status.clone().into(),
            r.priority.clone().into(),
            r.category.clone().into(),
            r.team.clone().into(),
            r.assignee.clone().into(),
            r.department.clone().into(),
            r.channel.clone().into(),
            r.first_response_minutes.into(),
            r.breached.into(),
            r.resolution_hours.into(),
            r.reopened.into(),
            r.follow_ups.map(|f| f as f64).into(),
            r.open.into(),
            r.silent.into(),
        ]);
    }
    t
}

const METRIC_COLUMNS: [&str; 26] = [
    "grouping",
    "group",
    "tickets",
    "first response median (min)",
    "first response p90 (min)",
    "first response mean (min)",
    "first responses",
    "first response median, business (min)",
    "awaiting first response",
    "resolution median (h)",
    "resolution p90 (h)",
    "resolution mean (h)",
    "resolved",
    "resolution median, business (h)",
    "first-response SLA breach rate",
    "resolution SLA breach rate",
    "SLA targets met",
    "reopen rate",
    "follow-ups per ticket",
    "follow-ups per open day",
    "silent open share",
    "backlog",
    "rated responses",
    "satisfied share",
    "blocked hours",
    "excess wait hours",
];

fn metric_row(grouping: &str, group: String, m: &MetricSet) -> Vec<Value> {
    vec![
        grouping.into(),
        group.into(),
        m.tickets.into(),
        m.first_response_minutes.median.into(),
        m.first_response_minutes.p90.into(),
        m.first_response_minutes.mean.into(),
        m.first_response_minutes.count.into(),
        m.first_response_business_minutes.median.into(),
        m.awaiting_first_response.map(|a| a as f64).into(),
        m.resolution_hours.median.into(),
        m.resolution_hours.p90.into(),
        m.resolution_hours.mean.into(),
        m.resolution_hours.count.into(),
        m.resolution_business_hours.median.into(),
        m.sla_first_response_breach_rate.into(),
        m.sla_resolution_breach_rate.into(),
        m.sla_met_share.into(),
        m.reopen_rate.into(),
        m.follow_ups_per_ticket.into(),
        m.follow_ups_per_open_day.into(),
        m.silent_open_share.into(),
        m.backlog.into(),
        m.csat.rated.into(),
        m.csat.satisfied_share.into(),
        m.blocked_hours.into(),
        m.excess_wait_hours.into(),
    ]
}

/// Every metric of every grouping: overall, each week, each dimension's groups.
pub fn metrics(report: &MetricsReport) -> Table {
    let mut t = Table::new("metrics", &METRIC_COLUMNS);
    t.push(metric_row("overall", "all".into(), &report.overall));
    for (w, m) in &report.by_week {
        t.push(metric_row("week", week_label(*w), m));
    }
    for (dim, rows) in &report.by_dimension {
        for (k, m) in rows {
            t.push(metric_row(dim, k.clone(), m));
        }
    }
    t
}

/// The scorecard: each factor's indicators with value, target and status.
pub fn scorecard(card: &Scorecard) -> Table {
    let mut t = Table::new(
        "scorecard",
        &[
            "factor",
            "indicator",
            "value",
            "unit",
            "target",
            "near",
            "better",
            "status",
            "detail",
            "would be measured by",
        ],
    );
    for f in &card.factors {
        for i in &f.indicators {
            t.push(vec![
                f.name.clone().into(),
                i.label.clone().into(),
                i.value.into(),
                format!("{:?}", i.unit).to_lowercase().into(),
                i.target.map(|x| x.on).into(),
                i.target.map(|x| x.near).into(),
                format!("{:?}", i.better).to_lowercase().into(),
                i.status.label().into(),
                i.detail.clone().into(),
                i.missing.clone().into(),
            ]);
        }
    }
    t
}

/// Open tickets: an action list, or one assignee's open tickets.
pub fn open_tickets(name: &str, rows: &[OpenTicket]) -> Table {
    let mut t = Table::new(
        name,
        &[
            "ticket",
            "created",
            "priority",
            "category",
            "assignee",
            "requester",
            "department",
            "first-response wait (h)",
            "target (h)",
            "clock",
            "breached",
            "days since update",
            "silent",
        ],
    );
    for r in rows {
        t.push(vec![
            r.ticket_id.clone().into(),
            Value::Instant(r.created_at),
            r.priority.clone().into(),
            r.category.clone().into(),
            r.assignee.clone().into(),
            r.requester.clone().into(),
            r.department.clone().into(),
            r.first_response_wait_hours.into(),
            r.target_hours.into(),
            r.clock.as_str().into(),
            r.breached.into(),
            r.days_since_update.into(),
            r.silent.into(),
        ]);
    }
    t
}

/// The weekly report's tables: the headline, and the open tickets that need
/// action (first-response target missed; silent).
pub fn weekly(r: &WeeklyReport) -> Vec<Table> {
    let mut headline = Table::new(
        "headline",
        &["week", "metric", "this week", "last week", "change", "unit"],
    );
    for h in &r.headline {
        headline.push(vec![
            r.week.clone().into(),
            h.label.clone().into(),
            h.this_week.into(),
            h.last_week.into(),
            h.change.into(),
            format!("{:?}", h.unit).to_lowercase().into(),
        ]);
    }
    vec![
        headline,
        open_tickets("first-response target missed", &r.breached),
        open_tickets("silent", &r.silent),
    ]
}

/// Each ticket against its SLA targets.
pub fn sla(rows: &[TicketSla]) -> Table {
    let mut t = Table::new(
        "sla",
        &[
            "source",
            "ticket",
            "created",
            "priority",
            "team",
            "category",
            "assignee",
            "first response target (h)",
            "clock",
            "on the clock (h)",
            "waited (h)",
            "met",
            "resolution target (h)",
            "clock",
            "on the clock (h)",
            "waited (h)",
            "met",
        ],
    );
    let met = |m: Option<bool>| -> Value {
        match m {
            Some(true) => "met".into(),
            Some(false) => "breached".into(),
            None => "running".into(),
        }
    };
    for r in rows {
        let mut row: Vec<Value> = vec![
            r.source.clone().into(),
            r.ticket_id.clone().into(),
            Value::Instant(r.created_at),
            r.priority.clone().into(),
            r.team.clone().into(),
            r.category.clone().into(),
            r.assignee.clone().into(),
        ];
        for c in [&r.first_response, &r.resolution] {
            row.extend([
                c.target_hours.into(),
                c.clock.as_str().into(),
                c.elapsed_hours.into(),
                c.paused_hours.into(),
                met(c.met),
            ]);
        }
        t.push(row);
    }
    t
}

/// The tickets open at the end of a week by age, as the weekly review shows them.
pub fn backlog_age(buckets: &[AgeBucket]) -> Table {
    let mut t = Table::new(
        "backlog by age",
        &["opened", "open", "silent share", "oldest (days)"],
    );
    for b in buckets {
        t.push(vec![
            b.bucket.clone().into(),
            b.open.into(),
            b.silent_share.into(),
            b.oldest_days.into(),
        ]);
    }
    t
}

/// A chart's values as drawn: a row per x label and a column per series
/// (shares as fractions); a heatmap: a row per weekday, a column per hour,
/// the tickets counted, then the same grid of median first responses.
pub fn chart_values(name: &str, plot: &Plot) -> Table {
    if let Some(heat) = &plot.heat {
        let mut columns = vec!["weekday".to_string(), "what".to_string()];
        columns.extend(plot.x_labels.iter().cloned());
        let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
        let mut t = Table::new(name, &refs);
        for (r, row) in heat.rows.iter().enumerate() {
            let mut cells: Vec<Value> = vec![row.clone().into(), "tickets".into()];
            cells.extend(heat.values[r].iter().map(|v| Value::from(*v)));
            t.push(cells);
        }
        for (r, row) in heat.rows.iter().enumerate() {
            let mut cells: Vec<Value> =
                vec![row.clone().into(), "median first response (h)".into()];
            cells.extend(
                heat.notes[r]
                    .iter()
                    .map(|n| Value::from(n.parse::<f64>().ok())),
            );
            t.push(cells);
        }
        return t;
    }
    let unit = if plot.y_percent {
        "share".to_string()
    } else {
        plot.y_label.clone()
    };
    let mut columns = vec![String::new()];
    columns.extend(plot.series.iter().map(|s| {
        if unit.is_empty() {
            s.label.clone()
        } else {
            format!("{} ({unit})", s.label)
        }
    }));
    let refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut t = Table::new(name, &refs);
    for (i, x) in plot.x_labels.iter().enumerate() {
        let mut cells: Vec<Value> = vec![x.clone().into()];
        cells.extend(
            plot.series
                .iter()
                .map(|s| Value::from(s.values.get(i).copied().flatten())),
        );
        t.push(cells);
    }
    t
}
