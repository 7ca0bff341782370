//! Every chart secdesk draws, defined once: its name, title and how its plot
//! is built from computed metrics. The CLI's `chart --list`, the window's
//! chart picker and the weekly report all take them from [`CHARTS`].

use plotters::style::RGBColor;
use serde::Serialize;

use super::palette;
use super::{Heat, Plot, PlotSeries};
use crate::calendar::{instant_text, Period};
use crate::error::ChartError;
use crate::metrics::{
    self, AgeBucket, Clock, Dataset, HeatCell, MetricSet, MetricsConfig, MetricsReport, PointKey,
    SlaKind,
};

/// One chart, as defined.
#[derive(Clone, Copy, Serialize)]
pub struct ChartDef {
    pub name: &'static str,
    pub title: &'static str,
    /// Fills the plot's series (and y axis, footnote, x axis when it is
    /// not the weeks) from the metrics.
    #[serde(skip)]
    build: fn(&Figures<'_>, &mut Plot),
}

impl std::fmt::Debug for ChartDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChartDef")
            .field("name", &self.name)
            .field("title", &self.title)
            .finish()
    }
}

/// Every chart, in the order the pickers list them.
pub const CHARTS: [ChartDef; 8] = [
    ChartDef {
        name: "first-response-weekly",
        title: "First response per week vs SLA target",
        build: first_response_weekly,
    },
    ChartDef {
        name: "reopen-rate-weekly",
        title: "Reopen rate per week",
        build: reopen_rate_weekly,
    },
    ChartDef {
        name: "follow-ups-weekly",
        title: "Follow-ups per open day and silent open tickets per week",
        build: follow_ups_weekly,
    },
    ChartDef {
        name: "csat-weekly",
        title: "Customer satisfaction per week",
        build: csat_weekly,
    },
    ChartDef {
        name: "csat-by-first-response",
        title: "Satisfaction by first-response delay",
        build: csat_by_first_response,
    },
    ChartDef {
        name: "impact-weekly",
        title: "Business impact: blocked hours and cost per week",
        build: impact_weekly,
    },
    ChartDef {
        name: "backlog-age",
        title: "Open tickets by age at the cut-off, and how many are silent",
        build: backlog_age,
    },
    ChartDef {
        name: "arrivals-heatmap",
        title: "When tickets arrive: weekday × hour, with the median first response",
        build: arrivals_heatmap,
    },
];

/// What a chart needs beyond the weekly report: the series by month or
/// quarter when asked for, the backlog by age, the arrivals heatmap.
#[derive(Debug, Clone, Default)]
pub struct ChartExtras {
    /// The x axis of the series charts (weeks unless asked otherwise).
    pub period: Option<Period>,
    /// The series by `period` when it is not the week.
    pub by_period: Vec<(i64, MetricSet)>,
    pub backlog_age: Vec<AgeBucket>,
    pub heatmap: Vec<HeatCell>,
}

impl ChartExtras {
    /// Computes what the named chart needs, and nothing else.
    pub fn compute(
        ds: &Dataset,
        cfg: &MetricsConfig,
        name: &str,
        period: Period,
    ) -> Result<ChartExtras, ChartError> {
        let mut x = ChartExtras {
            period: Some(period),
            ..ChartExtras::default()
        };
        match name {
            "backlog-age" => x.backlog_age = metrics::backlog_age(ds, cfg)?,
            "arrivals-heatmap" => x.heatmap = metrics::arrivals_heatmap(ds, cfg)?,
            "csat-by-first-response" => {}
            _ if period != Period::Week => {
                x.by_period = metrics::compute_by_period(ds, cfg, period)?
            }
            _ => {}
        }
        Ok(x)
    }
}

/// The chart of a name.
pub fn chart(name: &str) -> Result<&'static ChartDef, ChartError> {
    CHARTS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| ChartError::UnknownChart {
            name: name.to_string(),
            known: CHARTS.map(|c| c.name).join(", "),
        })
}

/// What a chart is built from.
struct Figures<'a> {
    report: &'a MetricsReport,
    cfg: &'a MetricsConfig,
    /// The series by week (the report's) or by month or quarter.
    rows: &'a [(i64, MetricSet)],
    extras: &'a ChartExtras,
}

impl Figures<'_> {
    /// One value per period of the series.
    fn weekly(&self, f: impl Fn(&MetricSet) -> Option<f64>) -> Vec<Option<f64>> {
        self.rows.iter().map(|(_, m)| f(m)).collect()
    }

    /// The same value in every period (a target line).
    fn flat(&self, v: f64) -> Vec<Option<f64>> {
        vec![Some(v); self.rows.len()]
    }
}

fn series(
    label: &str,
    color: RGBColor,
    values: Vec<Option<f64>>,
    bars: bool,
    dashed: bool,
) -> PlotSeries {
    PlotSeries {
        label: label.to_string(),
        color,
        values,
        bars,
        dashed,
    }
}

/// The filters of a config as one line (`team = SOC; priority = P1 or P2`).
pub fn describe_filters(cfg: &MetricsConfig) -> String {
    let mut parts = Vec::new();
    for (dim, values) in &cfg.filters.dimensions {
        if !values.is_empty() {
            parts.push(format!("{dim} = {}", values.join(" or ")));
        }
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

fn period_text(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    rows: &[(i64, MetricSet)],
    period: Period,
) -> String {
    let from = match (cfg.filters.from, rows.first()) {
        (Some(f), _) => instant_text(f)[..10].to_string(),
        (None, Some((w, _))) => period.label(*w),
        (None, None) => "—".to_string(),
    };
    let to = match (cfg.filters.to, rows.last()) {
        (Some(t), _) => instant_text(t.min(report.as_of))[..10].to_string(),
        (None, Some((w, _))) => period.label(*w),
        (None, None) => "—".to_string(),
    };
    format!("{from} – {to}")
}

/// Builds the plot description of a named chart: the weeks on the x axis
/// (unless the chart says otherwise), its title, and a subtitle with the
/// period, time zone, as_of, filters and data source.
pub fn plot_for(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    name: &str,
    source: &str,
) -> Result<Plot, ChartError> {
    plot_with(report, cfg, name, source, &ChartExtras::default())
}

/// [`plot_for`] with what [`ChartExtras::compute`] gave: the series by
/// month or quarter, the backlog by age, the arrivals heatmap.
pub fn plot_with(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    name: &str,
    source: &str,
    extras: &ChartExtras,
) -> Result<Plot, ChartError> {
    let def = chart(name)?;
    let period = extras.period.unwrap_or(Period::Week);
    // Charts that are not series by period (backlog age, arrivals) have
    // none by month: their period is said in weeks.
    let (period, rows): (Period, &[(i64, MetricSet)]) =
        if period == Period::Week || extras.by_period.is_empty() {
            (Period::Week, &report.by_week)
        } else {
            (period, &extras.by_period)
        };
    let key = |p: i64| match period {
        Period::Week => PointKey::Week(p),
        Period::Month => PointKey::Month(p),
        Period::Quarter => PointKey::Quarter(p),
    };
    let mut plot = Plot {
        title: def
            .title
            .replace("per week", &format!("per {}", period.as_str())),
        subtitle: vec![
            format!(
                "Period {} · time zone {} · as of {}",
                period_text(report, cfg, rows, period),
                cfg.zone.name(),
                instant_text(report.as_of)
            ),
            format!("Filters: {} · Source: {}", describe_filters(cfg), source),
        ],
        x_labels: rows.iter().map(|(w, _)| period.label(*w)).collect(),
        x_keys: rows.iter().map(|(w, _)| key(*w)).collect(),
        series: Vec::new(),
        y_label: String::new(),
        y_percent: false,
        footnote: None,
        heat: None,
        dark: false,
        numbers: crate::format::EN,
    };
    let figures = Figures {
        report,
        cfg,
        rows,
        extras,
    };
    (def.build)(&figures, &mut plot);
    Ok(plot)
}

fn first_response_weekly(f: &Figures<'_>, plot: &mut Plot) {
    plot.y_label = "hours".into();
    plot.series = vec![
        series(
            "median",
            palette::PRIMARY,
            f.weekly(|m| m.first_response_minutes.median.map(|x| x / 60.0)),
            false,
            false,
        ),
        series(
            "p90",
            palette::ACCENT,
            f.weekly(|m| m.first_response_minutes.p90.map(|x| x / 60.0)),
            false,
            false,
        ),
    ];
    // The SLA target lines of the priorities in view.
    let wanted = f
        .cfg
        .filters
        .dimensions
        .get("priority")
        .filter(|v| !v.is_empty());
    for (i, p) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
        if wanted.is_some_and(|w| !w.iter().any(|x| x == p)) {
            continue;
        }
        let target = f.cfg.sla.first_response[i];
        let h = target.hours();
        let clock = match f.cfg.sla.clock_of(SlaKind::FirstResponse, i) {
            Some(Clock::Calendar) => "",
            Some(Clock::Business) => ", business hours",
            None => ", overrides",
        };
        plot.series.push(series(
            &format!("{p} target ({h} h{clock})"),
            palette::TARGETS[i],
            f.flat(h),
            false,
            true,
        ));
    }
}

fn reopen_rate_weekly(f: &Figures<'_>, plot: &mut Plot) {
    plot.y_label = "share of resolved tickets".into();
    plot.y_percent = true;
    plot.series = vec![
        series(
            "reopen rate",
            palette::PRIMARY,
            f.weekly(|m| m.reopen_rate),
            true,
            false,
        ),
        series("target 5 %", palette::BAD, f.flat(0.05), false, true),
    ];
}

fn follow_ups_weekly(f: &Figures<'_>, plot: &mut Plot) {
    plot.y_label = "follow-ups per open day / share".into();
    plot.series = vec![
        series(
            "follow-ups per open day",
            palette::PRIMARY,
            f.weekly(|m| m.follow_ups_per_open_day),
            false,
            false,
        ),
        series(
            "silent open share (> threshold)",
            palette::BAD,
            f.weekly(|m| m.silent_open_share),
            false,
            false,
        ),
        series(
            "silent target 10 %",
            palette::MUTED,
            f.flat(0.10),
            false,
            true,
        ),
    ];
}

fn csat_weekly(f: &Figures<'_>, plot: &mut Plot) {
    plot.y_label = "satisfied share".into();
    plot.y_percent = true;
    plot.series = vec![
        series(
            "satisfied share",
            palette::GOOD,
            f.weekly(|m| m.csat.satisfied_share),
            false,
            false,
        ),
        series("target 90 %", palette::MUTED, f.flat(0.9), false, true),
    ];
    let rated: i64 = f.rows.iter().map(|(_, m)| m.csat.rated).sum();
    plot.footnote = Some(format!("{rated} rated responses in the period"));
}

fn csat_by_first_response(f: &Figures<'_>, plot: &mut Plot) {
    let buckets = &f.report.csat_by_first_response_bucket;
    plot.y_label = "satisfied share".into();
    plot.y_percent = true;
    plot.x_labels = buckets
        .iter()
        .map(|b| format!("{} (n={})", b.bucket, b.rated))
        .collect();
    plot.x_keys = buckets
        .iter()
        .map(|b| PointKey::Bucket(b.bucket.clone()))
        .collect();
    plot.series = vec![series(
        "satisfied share",
        palette::PRIMARY,
        buckets.iter().map(|b| b.satisfied_share).collect(),
        true,
        false,
    )];
}

fn impact_weekly(f: &Figures<'_>, plot: &mut Plot) {
    plot.y_label = "person-hours blocked".into();
    plot.series = vec![
        series(
            "blocked hours",
            palette::ACCENT,
            f.weekly(|m| m.blocked_hours),
            true,
            false,
        ),
        series(
            "excess wait beyond SLA (h)",
            palette::BAD,
            f.weekly(|m| m.excess_wait_hours),
            false,
            false,
        ),
    ];
    let weeks = f.rows;
    let cost: f64 = weeks.iter().filter_map(|(_, m)| m.impact_cost).sum();
    let hours: f64 = weeks.iter().filter_map(|(_, m)| m.blocked_hours).sum();
    plot.footnote = Some(format!(
        "{hours:.0} blocked person-hours in the period ≈ {cost:.0} at {:.2} per hour",
        f.cfg.hourly_cost
    ));
}

fn backlog_age(f: &Figures<'_>, plot: &mut Plot) {
    let buckets = &f.extras.backlog_age;
    plot.y_label = "open tickets".into();
    plot.x_labels = buckets.iter().map(|b| b.bucket.clone()).collect();
    plot.x_keys = Vec::new();
    plot.series = vec![
        series(
            "open",
            palette::PRIMARY,
            buckets.iter().map(|b| Some(b.open as f64)).collect(),
            true,
            false,
        ),
        series(
            "of them silent",
            palette::BAD,
            buckets
                .iter()
                .map(|b| b.silent_share.map(|s| (s * b.open as f64).round()))
                .collect(),
            true,
            false,
        ),
    ];
    let open: i64 = buckets.iter().map(|b| b.open).sum();
    let oldest = buckets
        .iter()
        .filter_map(|b| b.oldest_days)
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    plot.footnote = Some(match oldest {
        Some(d) => {
            format!("{open} open at the cut-off; the oldest was opened {d:.1} days before it")
        }
        None => "no ticket open at the cut-off".to_string(),
    });
}

fn arrivals_heatmap(f: &Figures<'_>, plot: &mut Plot) {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let cells = &f.extras.heatmap;
    plot.x_labels = (0..24).map(|h| format!("{h:02}")).collect();
    plot.x_keys = Vec::new();
    plot.y_label = format!("weekday ({})", f.cfg.zone.name());
    let mut counts = vec![vec![None; 24]; 7];
    let mut notes = vec![vec![String::new(); 24]; 7];
    for c in cells {
        let (d, h) = (
            (c.weekday.clamp(1, 7) - 1) as usize,
            c.hour.min(23) as usize,
        );
        counts[d][h] = (c.tickets > 0).then_some(c.tickets as f64);
        notes[d][h] = c
            .first_response_median_minutes
            .map(|m| format!("{:.1}", m / 60.0))
            .unwrap_or_default();
    }
    let total: i64 = cells.iter().map(|c| c.tickets).sum();
    plot.heat = Some(Heat {
        rows: DAYS.map(str::to_string).to_vec(),
        values: counts,
        notes,
    });
    plot.footnote = Some(format!(
        "{total} tickets created; colour: tickets per hour slot; number: median first response in hours"
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknown_names_list_the_known_ones() {
        for c in &CHARTS {
            assert_eq!(CHARTS.iter().filter(|d| d.name == c.name).count(), 1);
        }
        let e = chart("pie").expect_err("unknown").to_string();
        assert!(e.contains("first-response-weekly"), "{e}");
    }
}
