//! The weekly report a security manager forwards: headline numbers against
//! last week, the scorecard, the business impact, charts over 12 weeks and
//! the open tickets that need action; its figures ([`WeeklyReport`]) and
//! their layout as a [`Document`].

use serde::Serialize;

use super::document::{Block, Cell, Document, Tone};
use super::redact::Redactor;
use super::text::{
    change_words, date_text, no_data_note, opt, status_tone, trend_text, trend_word, value_cell,
};
use super::week::{
    action_lists, last_complete_week, previous_quarter, trend_figures, with_period, ActionLists,
};
use super::{ReportOptions, HISTORY_WEEKS, REPORT_CHARTS, TREND_WEEKS};
use crate::calendar::{instant_text, week_bounds, week_label};
use crate::chart::{self, ChartFormat};
use crate::error::ReportError;
use crate::format::{Better, NumberStyle, Unit};
use crate::headlines::{headline, Headline, HEADLINES};
use crate::impact::{self, Impact, CONTACT_COSTS_SOURCE};
use crate::metrics::{self, what_if_by_priority, Clock, Dataset, MetricsConfig, OpenTicket};
use crate::model::Instant;
use crate::scorecard::{self, Scorecard, Targets};

/// Everything the weekly report shows.
#[derive(Debug, Clone, Serialize)]
pub struct WeeklyReport {
    pub week: String,
    pub from: Instant,
    pub to: Instant,
    pub as_of: Instant,
    pub timezone: String,
    pub filters: String,
    pub sources: String,
    pub redacted: bool,
    pub currency: String,
    pub hourly_cost: f64,
    pub headline: Vec<Headline>,
    pub scorecard: Scorecard,
    pub impact: Impact,
    /// The quarter the "what if" looks at.
    pub what_if_period: (Instant, Instant),
    /// Open, first-response target missed; longest wait first.
    pub breached: Vec<OpenTicket>,
    pub breached_total: usize,
    /// Open, silent past the threshold; longest silence first.
    pub silent: Vec<OpenTicket>,
    pub silent_total: usize,
    pub silence_days: f64,
    /// (title, SVG) of each chart.
    #[serde(skip)]
    pub charts: Vec<(String, String)>,
    /// Why a headline without a value has none, by headline key.
    pub no_data: std::collections::BTreeMap<String, String>,
    /// How the document writes numbers.
    #[serde(skip)]
    pub numbers: &'static NumberStyle,
}

/// Builds the weekly report.
pub fn weekly_report(
    ds: &Dataset,
    cfg: &MetricsConfig,
    opts: &ReportOptions,
) -> Result<WeeklyReport, ReportError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let week = opts.week.unwrap_or_else(|| last_complete_week(as_of, cfg));
    let (from, to) = week_bounds(week, cfg.zone);
    let weeks = trend_figures(ds, cfg, as_of, week)?;
    let targets = opts
        .targets
        .clone()
        .unwrap_or_else(|| Targets::defaults(cfg));
    let scorecard = scorecard::scorecard(ds, &weeks, &targets);
    let headline = HEADLINES
        .iter()
        .map(|def| {
            let trend = weeks
                .iter()
                .map(|w| (def.read)(&w.metrics.overall))
                .collect();
            Headline::from_trend(def, trend)
        })
        .collect();

    // History for the charts and the impact by week.
    let history_from = week_bounds(week - HISTORY_WEEKS + 1, cfg.zone).0;
    let history_cfg = with_period(cfg, as_of, history_from, to);
    let history = metrics::compute(ds, &history_cfg)?;
    let mut charts = Vec::new();
    for name in REPORT_CHARTS {
        let mut plot = chart::plot_for(&history, &history_cfg, name, &opts.sources)?;
        plot.numbers = opts.numbers;
        let svg = chart::render_plot(&plot, 1600, 900, ChartFormat::Svg)?;
        charts.push((
            plot.title.clone(),
            String::from_utf8_lossy(&svg).into_owned(),
        ));
    }

    // What if each priority had met its first-response target last quarter.
    let what_if_period = previous_quarter(from, cfg);
    let quarter_cfg = with_period(cfg, as_of, what_if_period.0, what_if_period.1);
    let what_ifs = what_if_by_priority(ds, &quarter_cfg, &["P1", "P2", "P3", "P4"])?;
    let this = &weeks[weeks.len() - 1].metrics;
    let mut impact = impact::impact(this, opts.costs, what_ifs);
    impact.by_week = impact::impact(&history, opts.costs, Vec::new()).by_week;

    // The tickets that need action at the end of the week.
    let ActionLists {
        mut breached,
        breached_total,
        mut silent,
        silent_total,
    } = action_lists(ds, cfg, as_of, week, opts.list_limit)?;
    if opts.redact {
        let r = Redactor::new(&opts.salt);
        breached.iter_mut().for_each(|t| r.ticket(t));
        silent.iter_mut().for_each(|t| r.ticket(t));
    }
    Ok(WeeklyReport {
        week: week_label(week),
        from,
        to,
        as_of,
        timezone: cfg.zone.name().to_string(),
        filters: chart::describe_filters(cfg),
        sources: opts.sources.clone(),
        redacted: opts.redact,
        currency: opts.currency.clone(),
        numbers: opts.numbers,
        hourly_cost: cfg.hourly_cost,
        headline,
        scorecard,
        impact,
        what_if_period,
        breached,
        breached_total,
        silent,
        silent_total,
        silence_days: cfg.silence_days,
        charts,
        no_data: HEADLINES
            .iter()
            .filter_map(|d| {
                let reason = opts.no_data.get(d.family?)?;
                Some((d.key.to_string(), reason.clone()))
            })
            .collect(),
    })
}

pub(super) fn ticket_rows(n: &NumberStyle, list: &[OpenTicket], silence: bool) -> Vec<Vec<Cell>> {
    list.iter()
        .map(|t| {
            vec![
                Cell::text(t.ticket_id.clone()),
                Cell::text(opt(&t.priority)),
                Cell::text(opt(&t.category)),
                Cell::text(opt(&t.assignee)),
                Cell::text(opt(&t.requester)),
                Cell::text(date_text(t.created_at)),
                if silence {
                    Cell::number(n.value(Some(t.days_since_update), Unit::Days, ""))
                        .toned(Tone::Bad)
                } else {
                    Cell::number(format!(
                        "{} / {}{}",
                        n.value(Some(t.first_response_wait_hours), Unit::Hours, ""),
                        n.value(Some(t.target_hours), Unit::Hours, ""),
                        if t.clock == Clock::Business {
                            " business"
                        } else {
                            ""
                        }
                    ))
                    .toned(Tone::Bad)
                },
            ]
        })
        .collect()
}

pub(super) fn impact_table(
    n: &NumberStyle,
    rows: &[impact::ImpactRow],
    first: &str,
    currency: &str,
) -> Block {
    Block::Table {
        header: vec![
            first.to_string(),
            "tickets".into(),
            "blocked person-hours".into(),
            "excess wait beyond SLA".into(),
            "impact cost".into(),
        ],
        widths: vec![3.0, 1.2, 1.8, 1.8, 1.6],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.group.clone()),
                    Cell::number(n.thousands(r.tickets as f64, 0)),
                    Cell::number(n.value(r.blocked_hours, Unit::Hours, currency)),
                    Cell::number(n.value(r.excess_wait_hours, Unit::Hours, currency)),
                    Cell::number(n.value(r.impact_cost, Unit::Cost, currency)),
                ]
            })
            .collect(),
    }
}

/// Lays the weekly report out.
pub fn weekly_document(r: &WeeklyReport) -> Document {
    let cur = r.currency.as_str();
    let n = r.numbers;
    let mut b = Vec::new();
    b.push(Block::Title {
        title: format!("Security service weekly report — {}", r.week),
        lines: vec![
            format!(
                "Period {} – {} ({}) · as of {} · time zone {}",
                date_text(r.from),
                date_text(r.to - 1),
                r.week,
                instant_text(r.as_of),
                r.timezone
            ),
            format!("Filters: {} · Data sources: {}", r.filters, r.sources),
            if r.redacted {
                "Requester names and emails are replaced by pseudonyms.".to_string()
            } else {
                "Requester names are shown; use --redact before forwarding outside the team."
                    .to_string()
            },
        ],
    });
    b.push(Block::Heading(
        "Headline: this week against last week".into(),
    ));
    b.push(Block::Table {
        header: vec![
            "metric".into(),
            "this week".into(),
            "target".into(),
            "last week".into(),
            "change".into(),
            format!("last {TREND_WEEKS} weeks"),
        ],
        widths: vec![2.5, 1.2, 1.1, 1.2, 1.6, 2.8],
        // The value's colour is where it stands against its target; the
        // change is said in words, never as a colour.
        rows: r
            .headline
            .iter()
            .map(|h| {
                let indicator = headline(&h.key).and_then(|d| d.indicator).and_then(|k| {
                    r.scorecard
                        .factors
                        .iter()
                        .flat_map(|f| &f.indicators)
                        .find(|i| i.key == k)
                });
                let tone = indicator.map_or(Tone::Plain, |i| status_tone(i.status));
                let target = indicator
                    .and_then(|i| i.target)
                    .map(|t| {
                        let sign = if h.better == Better::Higher {
                            "≥"
                        } else {
                            "≤"
                        };
                        format!("{sign} {}", n.value(Some(t.on), h.unit, cur))
                    })
                    .unwrap_or_default();
                vec![
                    Cell::text(h.label.clone()),
                    value_cell(n, h.this_week, h.unit, cur, r.no_data.get(&h.key), tone),
                    Cell::number(target).toned(Tone::Muted),
                    Cell::number(n.value(h.last_week, h.unit, cur)),
                    Cell::number(change_words(n, h.change, h.unit, cur, h.better)),
                    Cell::text(trend_text(n, &h.trend, h.unit, cur)).toned(Tone::Muted),
                ]
            })
            .collect(),
    });
    b.extend(no_data_note(
        r.headline
            .iter()
            .filter(|h| h.this_week.is_none())
            .filter_map(|h| Some(format!("{}: {}", h.label, r.no_data.get(&h.key)?)))
            .collect(),
    ));
    b.push(Block::Heading("Success-factor scorecard".into()));
    let mut rows = Vec::new();
    for f in &r.scorecard.factors {
        rows.push(vec![Cell::text(format!(
            "{} — {}",
            f.name,
            f.status.label()
        ))]);
        for i in &f.indicators {
            let value = match &i.detail {
                Some(d) => format!("{} ({d})", n.value(i.value, i.unit, cur)),
                None => n.value(i.value, i.unit, cur),
            };
            let target = i.target.map_or_else(String::new, |t| {
                let op = if i.better == Better::Higher {
                    "≥"
                } else {
                    "≤"
                };
                format!("{op} {}", n.value(Some(t.on), i.unit, cur))
            });
            let status = match &i.missing {
                Some(_) => "no data".to_string(),
                None => i.status.label().to_string(),
            };
            let trend = match &i.missing {
                Some(m) => format!("would be measured by {m}"),
                None => format!(
                    "{} {}",
                    trend_word(i.trend_direction),
                    trend_text(n, &i.trend, i.unit, cur)
                )
                .trim()
                .to_string(),
            };
            rows.push(vec![
                Cell::text(i.label.clone()),
                Cell::number(value),
                Cell::number(target).toned(Tone::Muted),
                Cell::text(status).toned(status_tone(i.status)),
                Cell::text(trend).toned(Tone::Muted),
            ]);
        }
    }
    b.push(Block::Table {
        header: vec![
            "factor / indicator".into(),
            "this week".into(),
            "target".into(),
            "status".into(),
            format!("trend, last {TREND_WEEKS} weeks"),
        ],
        widths: vec![3.9, 1.6, 1.3, 1.0, 3.2],
        rows,
    });
    let missing: Vec<String> = r
        .scorecard
        .factors
        .iter()
        .flat_map(|f| &f.indicators)
        .filter_map(|i| i.missing.as_ref().map(|m| format!("{}: {m}", i.label)))
        .collect();
    if !missing.is_empty() {
        b.push(Block::Text(format!(
            "Not measured, for want of data — {}.",
            missing.join("; ")
        )));
    }

    b.push(Block::Heading("Business impact of slow response".into()));
    let t = &r.impact.total;
    b.push(Block::Text(format!(
        "This week, tickets created kept people blocked for {} ({} beyond the first-response targets), costing {} at {} per blocked person-hour.",
        n.value(t.blocked_hours, Unit::Hours, cur),
        n.value(t.excess_wait_hours, Unit::Hours, cur),
        n.value(t.impact_cost, Unit::Cost, cur),
        n.value(Some(r.hourly_cost), Unit::Cost, cur),
    )));
    b.push(impact_table(n, &r.impact.by_priority, "priority", cur));
    b.push(impact_table(n, &r.impact.by_department, "department", cur));
    b.push(impact_table(n, &r.impact.by_category, "category", cur));
    b.push(Block::Text(format!(
        "What if first response had met its target, {} – {}:",
        date_text(r.what_if_period.0),
        date_text(r.what_if_period.1 - 1)
    )));
    b.push(Block::Table {
        header: vec![
            "priority".into(),
            "target".into(),
            "tickets".into(),
            "breached".into(),
            "blocked hours saved".into(),
            "cost saved".into(),
        ],
        widths: vec![1.0, 1.0, 1.0, 1.0, 1.8, 1.6],
        rows: r
            .impact
            .what_if
            .iter()
            .map(|w| {
                vec![
                    Cell::text(w.priority.clone()),
                    Cell::number(n.value(Some(w.target_hours), Unit::Hours, cur)),
                    Cell::number(n.thousands(w.tickets as f64, 0)),
                    Cell::number(n.thousands(w.breached as f64, 0)),
                    Cell::number(n.value(w.saved_blocked_hours, Unit::Hours, cur)),
                    Cell::number(n.value(w.saved_cost, Unit::Cost, cur)),
                ]
            })
            .collect(),
    });
    b.push(Block::Text(format!(
        "Channel mix this week beside the cost of a contact. {CONTACT_COSTS_SOURCE}."
    )));
    b.push(Block::Table {
        header: vec![
            "channel".into(),
            "tickets".into(),
            "share".into(),
            "handled as".into(),
            "cost per contact".into(),
            "contact cost".into(),
        ],
        widths: vec![2.0, 1.0, 1.0, 1.6, 1.4, 1.4],
        rows: r
            .impact
            .channel_mix
            .iter()
            .map(|c| {
                vec![
                    Cell::text(c.channel.clone()),
                    Cell::number(n.thousands(c.tickets as f64, 0)),
                    Cell::number(n.value(c.share, Unit::Share, cur)),
                    Cell::text(if c.self_service {
                        "automated / self-service"
                    } else {
                        "live agent"
                    }),
                    Cell::number(format!("{:.2}", c.cost_per_contact)),
                    Cell::number(format!("{:.2}", c.contact_cost)),
                ]
            })
            .collect(),
    });

    b.push(Block::Heading(format!(
        "Charts, {HISTORY_WEEKS} weeks to {}",
        r.week
    )));
    for (_, svg) in &r.charts {
        b.push(Block::Chart {
            svg: svg.clone(),
            width: 1600,
            height: 900,
        });
    }

    let header = |last: &str| -> Vec<String> {
        vec![
            "ticket".into(),
            "priority".into(),
            "category".into(),
            "assignee".into(),
            "requester".into(),
            "created".into(),
            last.to_string(),
        ]
    };
    let widths = vec![1.3, 0.8, 2.0, 1.5, 1.8, 1.2, 1.6];
    b.push(Block::Heading(format!(
        "Needs action: first-response target missed, still open ({})",
        r.breached_total
    )));
    if r.breached.is_empty() {
        b.push(Block::Text("None at the end of the week.".into()));
    } else {
        b.push(Block::Table {
            header: header("waited / target"),
            widths: widths.clone(),
            rows: ticket_rows(n, &r.breached, false),
        });
        if r.breached_total > r.breached.len() {
            b.push(Block::Text(format!(
                "… and {} more.",
                r.breached_total - r.breached.len()
            )));
        }
    }
    b.push(Block::Heading(format!(
        "Needs action: open and silent for more than {} days ({})",
        r.silence_days, r.silent_total
    )));
    if r.silent.is_empty() {
        b.push(Block::Text("None at the end of the week.".into()));
    } else {
        b.push(Block::Table {
            header: header("since last update"),
            widths,
            rows: ticket_rows(n, &r.silent, true),
        });
        if r.silent_total > r.silent.len() {
            b.push(Block::Text(format!(
                "… and {} more.",
                r.silent_total - r.silent.len()
            )));
        }
    }
    Document {
        title: format!("Security service weekly report {}", r.week),
        footer: format!(
            "secdesk · {} · as of {} · {}",
            r.week,
            instant_text(r.as_of),
            r.sources
        ),
        blocks: b,
    }
}
