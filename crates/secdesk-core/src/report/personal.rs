//! A staff member's personal stats: their numbers over 12 weeks beside the
//! median of their team, week by week, and their open tickets by time since
//! the last update. Names no one else and no requester.

use serde::Serialize;

use super::document::{Block, Cell, Document, Tone};
use super::text::{date_text, no_data_note, opt, value_cell};
use super::week::{last_complete_week, with_period};
use super::HISTORY_WEEKS;
use crate::calendar::{instant_text, week_bounds, week_label};
use crate::error::ReportError;
use crate::format::{Better, NumberStyle, Unit, EN};
use crate::headlines::headline;
use crate::metrics::{self, open_tickets, Dataset, MetricSet, MetricsConfig, OpenTicket, NO_VALUE};
use crate::model::Instant;

/// One line of a person's stats beside the team's median.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalRow {
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub better: Better,
    pub mine: Option<f64>,
    /// Median over the team's assignees who have a value.
    pub team_median: Option<f64>,
    /// Why `mine` has no value, where no loaded export can measure it.
    pub why: Option<String>,
}

/// One week of a person's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalWeek {
    pub week: String,
    pub tickets: i64,
    pub first_response_median: Option<f64>,
    pub follow_ups_per_open_day: Option<f64>,
    pub csat_satisfied_share: Option<f64>,
}

/// A staff member's stats: their numbers beside the team median, their open
/// tickets by time since the last update. Carries no other person's name and
/// no requester.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalStats {
    pub assignee: String,
    /// The team most of their tickets belong to (the comparison group).
    pub team: Option<String>,
    /// Assignees in the comparison group, them included.
    pub team_size: usize,
    pub from: Instant,
    pub to: Instant,
    pub as_of: Instant,
    pub rows: Vec<PersonalRow>,
    pub weekly: Vec<PersonalWeek>,
    /// Open at as_of, longest since the last update first; requester removed.
    pub open: Vec<OpenTicket>,
    pub silence_days: f64,
    pub sources: String,
    /// How the document writes numbers (English unless the caller says).
    #[serde(skip)]
    pub numbers: &'static NumberStyle,
}

impl PersonalStats {
    /// Says why a number is missing, per metric family (see
    /// `coverage::no_data_reasons`).
    pub fn explain(&mut self, no_data: &std::collections::BTreeMap<String, String>) {
        for row in self.rows.iter_mut().filter(|r| r.mine.is_none()) {
            row.why = headline(&row.key)
                .and_then(|d| d.family)
                .and_then(|f| no_data.get(f))
                .cloned();
        }
    }
}

const PERSONAL: [&str; 9] = [
    "tickets",
    "first_response_median",
    "sla_breach_rate",
    "sla_met_share",
    "resolution_median",
    "reopen_rate",
    "follow_ups_per_open_day",
    "silent_open_share",
    "csat_satisfied_share",
];

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// A person's stats over the [`HISTORY_WEEKS`] weeks ending with `week`
/// (default: the last complete week).
pub fn personal_stats(
    ds: &Dataset,
    cfg: &MetricsConfig,
    assignee: &str,
    week: Option<i64>,
    sources: &str,
) -> Result<PersonalStats, ReportError> {
    let known = ds.dimension_values("assignee")?;
    if known.binary_search(&assignee.to_string()).is_err() {
        return Err(ReportError::UnknownAssignee {
            name: assignee.to_string(),
            known: format!("{} known", known.len()),
        });
    }
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let week = week.unwrap_or_else(|| last_complete_week(as_of, cfg));
    let from = week_bounds(week - HISTORY_WEEKS + 1, cfg.zone).0;
    let to = week_bounds(week, cfg.zone).1;
    let period = with_period(cfg, as_of, from, to);
    let mut mine_cfg = period.clone();
    mine_cfg
        .filters
        .dimensions
        .insert("assignee".into(), vec![assignee.to_string()]);
    let mine = metrics::compute(ds, &mine_cfg)?;
    let team = mine
        .by_dimension
        .get("team")
        .and_then(|rows| {
            rows.iter()
                .filter(|(k, m)| k != NO_VALUE && m.tickets > 0)
                .max_by(|a, b| a.1.tickets.cmp(&b.1.tickets).then_with(|| b.0.cmp(&a.0)))
        })
        .map(|(k, _)| k.clone());
    let mut team_cfg = period.clone();
    if let Some(t) = &team {
        team_cfg
            .filters
            .dimensions
            .insert("team".into(), vec![t.clone()]);
    }
    let team_report = metrics::compute(ds, &team_cfg)?;
    let members: Vec<&MetricSet> = team_report
        .by_dimension
        .get("assignee")
        .map(|rows| {
            rows.iter()
                .filter(|(k, _)| k != NO_VALUE)
                .map(|(_, m)| m)
                .collect()
        })
        .unwrap_or_default();
    let rows = PERSONAL
        .iter()
        .filter_map(|key| headline(key))
        .map(|def| PersonalRow {
            key: def.key.to_string(),
            label: def.label.to_string(),
            unit: def.unit,
            better: def.better,
            mine: (def.read)(&mine.overall),
            team_median: median(members.iter().filter_map(|m| (def.read)(m)).collect()),
            why: None,
        })
        .collect();
    let weekly = mine
        .by_week
        .iter()
        .map(|(w, m)| PersonalWeek {
            week: week_label(*w),
            tickets: m.tickets,
            first_response_median: m.first_response_minutes.median,
            follow_ups_per_open_day: m.follow_ups_per_open_day,
            csat_satisfied_share: m.csat.satisfied_share,
        })
        .collect();
    let mut open_cfg = mine_cfg.clone();
    open_cfg.filters.from = None;
    open_cfg.filters.to = None;
    let open = open_tickets(ds, &open_cfg)?
        .into_iter()
        .map(|mut t| {
            t.requester = None;
            t
        })
        .collect();
    Ok(PersonalStats {
        assignee: assignee.to_string(),
        team,
        team_size: members.len(),
        from,
        to,
        as_of,
        rows,
        weekly,
        open,
        silence_days: cfg.silence_days,
        sources: sources.to_string(),
        numbers: EN,
    })
}

/// Lays a person's stats out.
pub fn personal_document(p: &PersonalStats) -> Document {
    let n = p.numbers;
    let mut b = vec![Block::Title {
        title: format!("Personal stats — {}", p.assignee),
        lines: vec![
            format!(
                "Period {} – {} ({HISTORY_WEEKS} weeks) · as of {}",
                date_text(p.from),
                date_text(p.to - 1),
                instant_text(p.as_of)
            ),
            match &p.team {
                Some(t) => format!(
                    "Compared with the median of the {} assignees of team {t}",
                    p.team_size
                ),
                None => format!("Compared with the median of all {} assignees", p.team_size),
            },
            format!("Data sources: {}", p.sources),
        ],
    }];
    b.push(Block::Heading("My numbers beside the team median".into()));
    b.push(Block::Table {
        header: vec!["metric".into(), "me".into(), "team median".into()],
        widths: vec![3.0, 1.5, 1.5],
        rows: p
            .rows
            .iter()
            .map(|r| {
                let tone = match (r.mine, r.team_median, r.better) {
                    (Some(a), Some(b), Better::Lower) if a > b => Tone::Near,
                    (Some(a), Some(b), Better::Higher) if a < b => Tone::Near,
                    (Some(_), Some(_), Better::Lower | Better::Higher) => Tone::Good,
                    _ => Tone::Plain,
                };
                vec![
                    Cell::text(r.label.clone()),
                    value_cell(n, r.mine, r.unit, "", r.why.as_ref(), tone),
                    Cell::number(n.value(r.team_median, r.unit, "")),
                ]
            })
            .collect(),
    });
    b.extend(no_data_note(
        p.rows
            .iter()
            .filter(|r| r.mine.is_none())
            .filter_map(|r| Some(format!("{}: {}", r.label, r.why.as_ref()?)))
            .collect(),
    ));
    b.push(Block::Heading("Week by week".into()));
    b.push(Block::Table {
        header: vec![
            "week".into(),
            "tickets".into(),
            "first response median".into(),
            "follow-ups per open day".into(),
            "CSAT".into(),
        ],
        widths: vec![1.2, 1.0, 1.8, 1.8, 1.2],
        rows: p
            .weekly
            .iter()
            .map(|w| {
                vec![
                    Cell::text(w.week.clone()),
                    Cell::number(n.thousands(w.tickets as f64, 0)),
                    Cell::number(n.value(w.first_response_median, Unit::Minutes, "")),
                    Cell::number(n.value(w.follow_ups_per_open_day, Unit::PerDay, "")),
                    Cell::number(n.value(w.csat_satisfied_share, Unit::Share, "")),
                ]
            })
            .collect(),
    });
    b.push(Block::Heading(format!(
        "My open tickets, longest without an update first ({})",
        p.open.len()
    )));
    b.push(Block::Table {
        header: vec![
            "ticket".into(),
            "priority".into(),
            "category".into(),
            "created".into(),
            "since last update".into(),
            "needs a follow-up".into(),
        ],
        widths: vec![1.3, 0.8, 2.2, 1.2, 1.4, 1.4],
        rows: p
            .open
            .iter()
            .map(|t| {
                vec![
                    Cell::text(t.ticket_id.clone()),
                    Cell::text(opt(&t.priority)),
                    Cell::text(opt(&t.category)),
                    Cell::text(date_text(t.created_at)),
                    Cell::number(format!("{:.1} d", t.days_since_update)),
                    if t.silent {
                        Cell::text(format!("yes, silent > {} days", p.silence_days))
                            .toned(Tone::Bad)
                    } else {
                        Cell::text("").toned(Tone::Muted)
                    },
                ]
            })
            .collect(),
    });
    Document {
        title: format!("Personal stats {}", p.assignee),
        footer: format!("secdesk · personal stats · as of {}", instant_text(p.as_of)),
        blocks: b,
    }
}
