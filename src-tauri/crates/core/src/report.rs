//! The weekly report a security manager forwards, and a staff member's
//! personal stats: figures (`WeeklyReport`, `PersonalStats`), their layout as
//! a [`Document`], and its rendering to self-contained HTML or vector PDF.
//! `--redact` replaces requester names and emails by stable pseudonyms.

mod document;
mod pdf;

use chrono::Datelike;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use document::{escape, render_html, render_svg_pages, Block, Cell, Document, Tone};
pub use pdf::pdf_from_svg_pages;

use crate::calendar::{self, week_bounds, week_index, week_label};
use crate::chart::{self, ChartFormat};
use crate::error::ReportError;
use crate::impact::{self, ContactCosts, Impact, CONTACT_COSTS_SOURCE};
use crate::json::instant_text;
use crate::metrics::{
    self, open_tickets, service_figures, what_if_by_priority, Dataset, MetricSet, MetricsConfig,
    OpenTicket, NO_VALUE,
};
use crate::model::Instant;
use crate::scorecard::{self, Better, PeriodFigures, Scorecard, Status, Targets, Trend, Unit};
use crate::store::Store;

/// Charts the weekly report carries (names of `chart::CHARTS`).
pub const REPORT_CHARTS: [&str; 3] = [
    "first-response-weekly",
    "csat-by-first-response",
    "impact-weekly",
];

/// Weeks of trend in the scorecard and headline.
pub const TREND_WEEKS: i64 = 4;
/// Weeks the charts and personal stats cover.
pub const HISTORY_WEEKS: i64 = 12;

/// How to build a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// ISO week index; `None` = the last complete week before as_of.
    pub week: Option<i64>,
    /// Replace requester names and emails by pseudonyms.
    pub redact: bool,
    /// Secret that keys the pseudonyms (stable per database).
    pub salt: String,
    /// `None` = the documented defaults for the config.
    pub targets: Option<Targets>,
    pub costs: ContactCosts,
    /// Printed after amounts of money (the hourly cost's currency).
    pub currency: String,
    /// Where the data came from (file names).
    pub sources: String,
    /// Longest action list printed (the rest is counted).
    pub list_limit: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            week: None,
            redact: false,
            salt: String::new(),
            targets: None,
            costs: ContactCosts::default(),
            currency: "$".into(),
            sources: String::new(),
            list_limit: 25,
        }
    }
}

/// Output format of a report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Html,
}

impl ReportFormat {
    pub fn from_path(p: &std::path::Path) -> Result<ReportFormat, ReportError> {
        match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pdf") => Ok(ReportFormat::Pdf),
            Some("html") | Some("htm") => Ok(ReportFormat::Html),
            _ => Err(ReportError::UnknownFormat {
                path: p.display().to_string(),
            }),
        }
    }
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
    /// The last weeks, oldest first.
    pub trend: Vec<Option<f64>>,
}

type Read = fn(&MetricSet) -> Option<f64>;

/// The headline metrics of the weekly review.
pub const HEADLINES: [(&str, &str, Unit, Better, Read); 10] = [
    (
        "tickets",
        "Tickets created",
        Unit::Count,
        Better::Neither,
        |m| Some(m.tickets as f64),
    ),
    (
        "first_response_median",
        "First response median",
        Unit::Minutes,
        Better::Lower,
        |m| m.first_response_minutes.median,
    ),
    (
        "sla_breach_rate",
        "SLA breach rate",
        Unit::Share,
        Better::Lower,
        |m| m.sla_first_response_breach_rate,
    ),
    (
        "resolution_median",
        "Resolution median",
        Unit::Hours,
        Better::Lower,
        |m| m.resolution_hours.median,
    ),
    (
        "reopen_rate",
        "Reopen rate",
        Unit::Share,
        Better::Lower,
        |m| m.reopen_rate,
    ),
    (
        "follow_ups_per_open_day",
        "Follow-ups per open day",
        Unit::PerDay,
        Better::Higher,
        |m| m.follow_ups_per_open_day,
    ),
    (
        "silent_open_share",
        "Silent open tickets",
        Unit::Share,
        Better::Lower,
        |m| m.silent_open_share,
    ),
    (
        "csat_satisfied_share",
        "CSAT (satisfied share)",
        Unit::Share,
        Better::Higher,
        |m| m.csat.satisfied_share,
    ),
    (
        "blocked_hours",
        "Blocked person-hours",
        Unit::Hours,
        Better::Lower,
        |m| m.blocked_hours,
    ),
    (
        "impact_cost",
        "Impact cost",
        Unit::Cost,
        Better::Lower,
        |m| m.impact_cost,
    ),
];

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
}

/// The last complete week before an instant.
pub fn last_complete_week(as_of: Instant, cfg: &MetricsConfig) -> i64 {
    week_index(as_of, cfg.zone) - 1
}

fn with_period(cfg: &MetricsConfig, as_of: Instant, from: Instant, to: Instant) -> MetricsConfig {
    let mut c = cfg.clone();
    c.as_of = Some(as_of);
    c.filters.from = Some(from);
    c.filters.to = Some(to);
    c
}

/// Metrics and service figures of one week.
pub fn week_figures(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    week: i64,
) -> Result<PeriodFigures, ReportError> {
    let (from, to) = week_bounds(week, cfg.zone);
    let c = with_period(cfg, as_of, from, to);
    Ok(PeriodFigures {
        metrics: metrics::compute(ds, &c)?,
        service: service_figures(ds, &c)?,
    })
}

/// The figures of the [`TREND_WEEKS`] weeks that end with `week`, oldest first.
pub fn trend_figures(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    week: i64,
) -> Result<Vec<PeriodFigures>, ReportError> {
    (week - TREND_WEEKS + 1..=week)
        .map(|w| week_figures(ds, cfg, as_of, w))
        .collect()
}

/// The scorecard of one week, with the trend over the [`TREND_WEEKS`] weeks to it.
pub fn scorecard_for_week(
    ds: &Dataset,
    cfg: &MetricsConfig,
    week: i64,
    targets: &Targets,
) -> Result<Scorecard, ReportError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let weeks = trend_figures(ds, cfg, as_of, week)?;
    Ok(scorecard::scorecard(ds, &weeks, targets))
}

/// Scorecard targets: the documented defaults for the config, then the ones
/// saved in the database (setting [`scorecard::SAVED_TARGETS`]).
pub fn saved_targets(store: &Store, cfg: &MetricsConfig) -> Result<Targets, ReportError> {
    let mut t = Targets::defaults(cfg);
    if let Some(saved) = store.setting(scorecard::SAVED_TARGETS)? {
        let saved: Targets = serde_json::from_str(&saved).map_err(|e| ReportError::BadSetting {
            key: scorecard::SAVED_TARGETS.to_string(),
            reason: e.to_string(),
        })?;
        t.0.extend(saved.0);
    }
    Ok(t)
}

/// The calendar quarter before the one that holds `t` (local dates).
pub fn previous_quarter(t: Instant, cfg: &MetricsConfig) -> (Instant, Instant) {
    let d = calendar::local_date(t, cfg.zone);
    let q_month = (d.month0() / 3) * 3 + 1;
    let this_q = chrono::NaiveDate::from_ymd_opt(d.year(), q_month, 1).unwrap_or(d);
    let prev_q = if q_month == 1 {
        chrono::NaiveDate::from_ymd_opt(d.year() - 1, 10, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(d.year(), q_month - 3, 1)
    }
    .unwrap_or(this_q);
    (
        calendar::local_to_utc(prev_q, 0, cfg.zone),
        calendar::local_to_utc(this_q, 0, cfg.zone),
    )
}

/// Stable pseudonyms for requester names and emails.
pub struct Redactor {
    salt: String,
}

impl Redactor {
    pub fn new(salt: &str) -> Redactor {
        Redactor {
            salt: salt.to_string(),
        }
    }

    /// `Requester 3f9a1c`: the same person always gets the same pseudonym
    /// (case and surrounding spaces ignored).
    pub fn pseudonym(&self, name: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.salt.as_bytes());
        h.update([0]);
        h.update(name.trim().to_lowercase().as_bytes());
        let d = h.finalize();
        format!("Requester {:02x}{:02x}{:02x}", d[0], d[1], d[2])
    }

    /// Replaces every email address inside a text.
    pub fn text(&self, s: &str) -> String {
        if !s.contains('@') {
            return s.to_string();
        }
        let is_part = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '@' {
                let mut start = out.len();
                let local: Vec<char> = out.chars().rev().take_while(|c| is_part(*c)).collect();
                let mut end = i + 1;
                while end < chars.len()
                    && (chars[end].is_alphanumeric() || ".-".contains(chars[end]))
                {
                    end += 1;
                }
                if !local.is_empty() && end > i + 1 {
                    start -= local.iter().map(|c| c.len_utf8()).sum::<usize>();
                    let address: String = out[start..]
                        .chars()
                        .chain(chars[i..end].iter().copied())
                        .collect();
                    out.truncate(start);
                    out.push_str(&self.pseudonym(&address));
                    i = end;
                    continue;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    fn ticket(&self, t: &mut OpenTicket) {
        t.requester = t.requester.as_deref().map(|r| self.pseudonym(r));
        for field in [&mut t.category, &mut t.assignee, &mut t.department] {
            *field = field.as_deref().map(|v| self.text(v));
        }
        t.ticket_id = self.text(&t.ticket_id);
    }
}

/// The open tickets that need action at the end of a week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLists {
    /// Open, first-response target missed; longest wait first.
    pub breached: Vec<OpenTicket>,
    pub breached_total: usize,
    /// Open, silent past the threshold; longest silence first.
    pub silent: Vec<OpenTicket>,
    pub silent_total: usize,
}

/// The open tickets at the end of `week` whose first-response target was
/// missed, and those silent past the threshold (each list cut at `limit`,
/// with its total), under the config's filters.
pub fn action_lists(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: i64,
    week: i64,
    limit: usize,
) -> Result<ActionLists, ReportError> {
    let (from, to) = week_bounds(week, cfg.zone);
    let open = open_tickets(ds, &with_period(cfg, as_of, from, to))?;
    let mut breached: Vec<OpenTicket> = open.iter().filter(|t| t.breached).cloned().collect();
    breached.sort_by(|a, b| {
        b.first_response_wait_hours
            .total_cmp(&a.first_response_wait_hours)
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
    });
    let mut silent: Vec<OpenTicket> = open.into_iter().filter(|t| t.silent).collect();
    let (breached_total, silent_total) = (breached.len(), silent.len());
    breached.truncate(limit);
    silent.truncate(limit);
    Ok(ActionLists {
        breached,
        breached_total,
        silent,
        silent_total,
    })
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
        .map(|(key, label, unit, better, read)| {
            let trend: Vec<Option<f64>> = weeks.iter().map(|w| read(&w.metrics.overall)).collect();
            let this_week = trend.last().copied().flatten();
            let last_week = trend.iter().rev().nth(1).copied().flatten();
            Headline {
                key: key.to_string(),
                label: label.to_string(),
                unit: *unit,
                better: *better,
                this_week,
                last_week,
                change: this_week.zip(last_week).map(|(a, b)| a - b),
                trend,
            }
        })
        .collect();

    // History for the charts and the impact by week.
    let history_from = week_bounds(week - HISTORY_WEEKS + 1, cfg.zone).0;
    let history_cfg = with_period(cfg, as_of, history_from, to);
    let history = metrics::compute(ds, &history_cfg)?;
    let mut charts = Vec::new();
    for name in REPORT_CHARTS {
        let plot = chart::plot_for(&history, &history_cfg, name, &opts.sources)?;
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
    })
}

fn thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A value as people read it: `12.5 %`, `95 min`, `1,234.5 h`, `$ 12,345`.
pub fn format_value(v: Option<f64>, unit: Unit, currency: &str) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    match unit {
        Unit::Share => format!("{} %", thousands(v * 100.0, 1)),
        Unit::Count => thousands(v, 0),
        Unit::Minutes => format!("{} min", thousands(v, if v < 10.0 { 1 } else { 0 })),
        Unit::Hours => format!("{} h", thousands(v, 1)),
        Unit::PerDay => format!("{:.2} /day", v),
        Unit::PerTicket => format!("{:.2}", v),
        Unit::Cost => format!("{currency} {}", thousands(v, 0)).trim().to_string(),
        Unit::Points => format!("{:+.0}", v),
        Unit::Rating => format!("{:.2} / 5", v),
    }
}

/// A change as people read it: shares in points, others in their unit, signed.
pub fn format_change(v: Option<f64>, unit: Unit, currency: &str) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    let sign = if v > 0.0 {
        "+"
    } else if v < 0.0 {
        "−"
    } else {
        "±"
    };
    match unit {
        Unit::Share => format!("{sign}{:.1} pts", (v * 100.0).abs()),
        _ => format!(
            "{sign}{}",
            format_value(Some(v.abs()), unit, currency).trim_start_matches('−')
        ),
    }
}

fn change_tone(change: Option<f64>, better: Better) -> Tone {
    match (change, better) {
        (Some(c), Better::Lower) if c < 0.0 => Tone::Good,
        (Some(c), Better::Lower) if c > 0.0 => Tone::Bad,
        (Some(c), Better::Higher) if c > 0.0 => Tone::Good,
        (Some(c), Better::Higher) if c < 0.0 => Tone::Bad,
        _ => Tone::Plain,
    }
}

fn status_tone(s: Status) -> Tone {
    match s {
        Status::OnTarget => Tone::Good,
        Status::Near => Tone::Near,
        Status::Off => Tone::Bad,
        Status::NoTarget | Status::NoData => Tone::Muted,
    }
}

/// `620 → 511 → 495 → 476 min`: the numbers, then the unit once.
fn trend_text(values: &[Option<f64>], unit: Unit, currency: &str) -> String {
    let number = |v: &Option<f64>| -> String {
        match v {
            None => "—".to_string(),
            Some(v) => match unit {
                Unit::Share => format!("{:.1}", v * 100.0),
                Unit::Count | Unit::Cost => thousands(*v, 0),
                Unit::Minutes => thousands(*v, if *v < 10.0 { 1 } else { 0 }),
                Unit::Hours => thousands(*v, 1),
                Unit::PerDay | Unit::PerTicket | Unit::Rating => format!("{v:.2}"),
                Unit::Points => format!("{v:+.0}"),
            },
        }
    };
    let suffix = match unit {
        Unit::Share => " %".to_string(),
        Unit::Minutes => " min".to_string(),
        Unit::Hours => " h".to_string(),
        Unit::PerDay => " /day".to_string(),
        Unit::Rating => " / 5".to_string(),
        Unit::Cost => format!(" {currency}").trim_end().to_string(),
        Unit::Count | Unit::PerTicket | Unit::Points => String::new(),
    };
    let joined = values.iter().map(number).collect::<Vec<_>>().join(" → ");
    format!("{joined}{suffix}")
}

fn trend_word(t: Option<Trend>) -> &'static str {
    match t {
        Some(Trend::Better) => "better",
        Some(Trend::Worse) => "worse",
        Some(Trend::Steady) => "steady",
        Some(Trend::Up) => "up",
        Some(Trend::Down) => "down",
        None => "",
    }
}

fn date_text(t: Instant) -> String {
    instant_text(t).chars().take(10).collect()
}

/// A ticket's optional field as shown, `(none)` when empty.
fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| NO_VALUE.to_string())
}

fn ticket_rows(list: &[OpenTicket], silence: bool) -> Vec<Vec<Cell>> {
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
                    Cell::number(format!("{:.1} d", t.days_since_update)).toned(Tone::Bad)
                } else {
                    Cell::number(format!(
                        "{} / {}",
                        format_value(Some(t.first_response_wait_hours), Unit::Hours, ""),
                        format_value(Some(t.target_hours), Unit::Hours, "")
                    ))
                    .toned(Tone::Bad)
                },
            ]
        })
        .collect()
}

fn impact_table(rows: &[impact::ImpactRow], first: &str, currency: &str) -> Block {
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
                    Cell::number(thousands(r.tickets as f64, 0)),
                    Cell::number(format_value(r.blocked_hours, Unit::Hours, currency)),
                    Cell::number(format_value(r.excess_wait_hours, Unit::Hours, currency)),
                    Cell::number(format_value(r.impact_cost, Unit::Cost, currency)),
                ]
            })
            .collect(),
    }
}

/// Lays the weekly report out.
pub fn weekly_document(r: &WeeklyReport) -> Document {
    let cur = r.currency.as_str();
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
            "last week".into(),
            "change".into(),
            format!("last {TREND_WEEKS} weeks"),
        ],
        widths: vec![2.6, 1.3, 1.3, 1.2, 4.0],
        rows: r
            .headline
            .iter()
            .map(|h| {
                vec![
                    Cell::text(h.label.clone()),
                    Cell::number(format_value(h.this_week, h.unit, cur)),
                    Cell::number(format_value(h.last_week, h.unit, cur)),
                    Cell::number(format_change(h.change, h.unit, cur))
                        .toned(change_tone(h.change, h.better)),
                    Cell::text(trend_text(&h.trend, h.unit, cur)).toned(Tone::Muted),
                ]
            })
            .collect(),
    });
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
                Some(d) => format!("{} ({d})", format_value(i.value, i.unit, cur)),
                None => format_value(i.value, i.unit, cur),
            };
            let target = i.target.map_or_else(String::new, |t| {
                let op = if i.better == Better::Higher {
                    "≥"
                } else {
                    "≤"
                };
                format!("{op} {}", format_value(Some(t.on), i.unit, cur))
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
                    trend_text(&i.trend, i.unit, cur)
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
        format_value(t.blocked_hours, Unit::Hours, cur),
        format_value(t.excess_wait_hours, Unit::Hours, cur),
        format_value(t.impact_cost, Unit::Cost, cur),
        format_value(Some(r.hourly_cost), Unit::Cost, cur),
    )));
    b.push(impact_table(&r.impact.by_priority, "priority", cur));
    b.push(impact_table(&r.impact.by_department, "department", cur));
    b.push(impact_table(&r.impact.by_category, "category", cur));
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
                    Cell::number(format_value(Some(w.target_hours), Unit::Hours, cur)),
                    Cell::number(thousands(w.tickets as f64, 0)),
                    Cell::number(thousands(w.breached as f64, 0)),
                    Cell::number(format_value(w.saved_blocked_hours, Unit::Hours, cur)),
                    Cell::number(format_value(w.saved_cost, Unit::Cost, cur)),
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
                    Cell::number(thousands(c.tickets as f64, 0)),
                    Cell::number(format_value(c.share, Unit::Share, cur)),
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
            rows: ticket_rows(&r.breached, false),
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
            rows: ticket_rows(&r.silent, true),
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

/// Renders a document to the bytes of a file.
pub fn render(doc: &Document, format: ReportFormat) -> Result<Vec<u8>, ReportError> {
    match format {
        ReportFormat::Html => Ok(render_html(doc).into_bytes()),
        ReportFormat::Pdf => pdf_from_svg_pages(&render_svg_pages(doc), &doc.title),
    }
}

/// Renders a document in the format its path names (.pdf or .html) and writes it.
pub fn write_file(doc: &Document, path: &std::path::Path) -> Result<(), ReportError> {
    let bytes = render(doc, ReportFormat::from_path(path)?)?;
    std::fs::write(path, bytes).map_err(|e| ReportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

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
}

const PERSONAL: [&str; 8] = [
    "tickets",
    "first_response_median",
    "sla_breach_rate",
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
        .filter_map(|key| HEADLINES.iter().find(|h| h.0 == *key))
        .map(|(key, label, unit, better, read)| PersonalRow {
            key: key.to_string(),
            label: label.to_string(),
            unit: *unit,
            better: *better,
            mine: read(&mine.overall),
            team_median: median(members.iter().filter_map(|m| read(m)).collect()),
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
    })
}

/// Lays a person's stats out.
pub fn personal_document(p: &PersonalStats) -> Document {
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
                    Cell::number(format_value(r.mine, r.unit, "")).toned(tone),
                    Cell::number(format_value(r.team_median, r.unit, "")),
                ]
            })
            .collect(),
    });
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
                    Cell::number(thousands(w.tickets as f64, 0)),
                    Cell::number(format_value(w.first_response_median, Unit::Minutes, "")),
                    Cell::number(format_value(w.follow_ups_per_open_day, Unit::PerDay, "")),
                    Cell::number(format_value(w.csat_satisfied_share, Unit::Share, "")),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_and_hide_emails_inside_text() {
        let r = Redactor::new("salt");
        assert_eq!(r.pseudonym("Ann Lee"), r.pseudonym("  ann lee "));
        assert_ne!(
            r.pseudonym("Ann Lee"),
            Redactor::new("other").pseudonym("Ann Lee")
        );
        let t = r.text("ask ann.lee@example.com, or bob@corp.example.org.");
        assert!(!t.contains('@'), "{t}");
        assert!(t.starts_with("ask Requester "));
        assert_eq!(r.text("no address @ here"), "no address @ here");
    }

    #[test]
    fn values_and_changes_read_as_people_write_them() {
        assert_eq!(format_value(Some(0.1234), Unit::Share, ""), "12.3 %");
        assert_eq!(format_value(Some(12345.4), Unit::Cost, "$"), "$ 12,345");
        assert_eq!(format_value(None, Unit::Hours, ""), "—");
        assert_eq!(format_change(Some(-0.021), Unit::Share, ""), "−2.1 pts");
        assert_eq!(format_change(Some(1500.0), Unit::Hours, ""), "+1,500.0 h");
        assert_eq!(thousands(-1234567.0, 0), "−1,234,567");
    }

    #[test]
    fn the_quarter_before_a_week() {
        let cfg = MetricsConfig::default();
        let (a, b) = previous_quarter(calendar::utc_ms(2026, 11, 16, 0, 0), &cfg);
        assert_eq!(
            (a, b),
            (
                calendar::utc_ms(2026, 7, 1, 0, 0),
                calendar::utc_ms(2026, 10, 1, 0, 0)
            )
        );
        let (a, _) = previous_quarter(calendar::utc_ms(2026, 2, 1, 0, 0), &cfg);
        assert_eq!(a, calendar::utc_ms(2025, 10, 1, 0, 0));
    }
}
