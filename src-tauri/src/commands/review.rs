//! The weekly review: what the window needs to start (counts, pickers, the
//! registries of headlines, units, charts and colours), the headline cards,
//! the scorecard, the action lists and the weekly report.

use std::path::PathBuf;

use secdesk_core::calendar::{self, instant_text};
use secdesk_core::chart::{self, palette};
use secdesk_core::deliver::{self, DeliverOptions};
use secdesk_core::format::{NUMBER_STYLES, UNIT_FORMATS};
use secdesk_core::headlines::{weekly_headlines, HEADLINES};
use secdesk_core::ingest::{mapping::TicketField, SURVEY_FIELDS};
use secdesk_core::json::{metrics_document, ImportCounts};
use secdesk_core::metrics::{self, MetricsConfig, DIMENSIONS};
use secdesk_core::options::MetricOptions;
use secdesk_core::report::{self, ReportFormat, ReportOptions};
use secdesk_core::scorecard;
use serde_json::{json, Value};

use super::files::may_write;
use crate::commands::mystats::ME_SETTING;
use crate::error::ShellError;
use crate::startup::startup_mark;
use crate::state::{lock, week_of, Desk, State};

/// Weeks a headline card's sparkline covers.
const CARD_WEEKS: usize = 12;

/// Longest action list sent to the window (the totals are always given).
const ACTION_LIST_LIMIT: usize = 50;

/// Counts, dimension values and weeks for the pickers; whether this is
/// sample data; and the core's registries the window shows things by.
#[tauri::command]
pub fn overview(state: State<'_>) -> Result<Value, ShellError> {
    startup_mark("overview asked");
    let desk = lock(&state)?;
    let mut dims = serde_json::Map::new();
    for d in DIMENSIONS {
        dims.insert(d.to_string(), json!(desk.dataset.dimension_values(d)?));
    }
    let cfg = desk.base_config()?;
    let as_of = cfg.as_of.or(desk.dataset.latest).unwrap_or(0);
    let weeks: Vec<String> = metrics::week_span(&desk.dataset, &cfg, as_of)?
        .into_iter()
        .map(calendar::week_label)
        .collect();
    let palette: serde_json::Map<String, Value> = palette::css_variables()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    Ok(json!({
        "tickets": desk.dataset.ticket_count(),
        "surveys": desk.dataset.survey_count(),
        "sample_data": desk.sample_data,
        "dimensions": dims,
        "weeks": weeks,
        "charts": chart::CHARTS,
        "headlines": HEADLINES,
        "units": UNIT_FORMATS,
        "numbers": desk.settings.numbers(),
        "number_styles": NUMBER_STYLES,
        "palette": palette,
        "imports": desk.store.imports()?,
        "me": desk.store.setting(ME_SETTING)?,
        "currency": desk.settings.currency,
        "fields": {
            "tickets": TicketField::ALL.map(TicketField::name),
            "surveys": SURVEY_FIELDS,
        },
    }))
}

/// The `metrics --json` document for the filters.
#[tauri::command]
pub fn metrics(state: State<'_>, filters: MetricOptions) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let cfg = desk.config(&filters)?;
    let report = desk.report(&cfg)?;
    let counts = ImportCounts {
        tickets: desk.store.ticket_count()?,
        surveys: desk.store.survey_count()?,
        rejected_rows: desk.store.rejected_rows()?,
    };
    let coverage = desk.coverage()?;
    let more = metrics::more_groupings(&desk.dataset, &cfg)?;
    Ok(metrics_document(&report, &cfg, counts, &coverage, &more))
}

/// The headline cards of a week: each headline's value, last week's, and
/// the weeks before for the sparkline.
#[tauri::command]
pub fn headlines(state: State<'_>, week: String) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let cfg = desk.config(&MetricOptions::default())?;
    let report = desk.report(&cfg)?;
    // Why a family has no number, where no loaded source can measure it.
    let no_data = desk.no_data()?;
    // Each card against its scorecard target (the colour of the card).
    let targets = report::saved_targets(&desk.store, &cfg)?;
    let headlines: Vec<Value> = weekly_headlines(&report, week_of(&week)?, CARD_WEEKS)
        .into_iter()
        .zip(HEADLINES.iter())
        .map(|(h, def)| {
            let target = def.indicator.and_then(|k| targets.0.get(k).copied());
            let status = scorecard::status_of(h.this_week, target, h.better);
            let mut v = json!(h);
            v["status"] = json!(status);
            v["target"] = json!(target);
            v
        })
        .collect();
    Ok(json!({
        "as_of": instant_text(report.as_of),
        "tickets": desk.store.ticket_count()?,
        "surveys": desk.store.survey_count()?,
        "headlines": headlines,
        "no_data": no_data,
    }))
}

/// The success-factor scorecard of a week.
#[tauri::command]
pub fn scorecard(state: State<'_>, week: String) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let targets = report::saved_targets(&desk.store, &cfg)?;
    let card = report::scorecard_for_week(&desk.dataset, &cfg, week_of(&week)?, &targets)?;
    Ok(json!(card))
}

/// The open tickets that need action at the end of a week: first-response
/// target missed, and silent past the threshold.
#[tauri::command]
pub fn action_lists(state: State<'_>, week: String) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let as_of = cfg.as_of.or(desk.dataset.latest).unwrap_or(0);
    let lists = report::action_lists(
        &desk.dataset,
        &cfg,
        as_of,
        week_of(&week)?,
        ACTION_LIST_LIMIT,
    )?;
    Ok(json!({ "lists": lists, "silence_days": cfg.silence_days }))
}

/// The tickets open at the end of a week by age, oldest first, each bucket
/// with its silent share.
#[tauri::command]
pub fn backlog_age(state: State<'_>, week: String) -> Result<Value, ShellError> {
    Ok(json!({ "buckets": lock(&state)?.backlog_by_age(&week)? }))
}

/// The weekly report's options from the saved settings, targets and data.
fn weekly_options(
    desk: &mut Desk,
    cfg: &MetricsConfig,
    redact: bool,
) -> Result<ReportOptions, ShellError> {
    Ok(ReportOptions {
        redact,
        salt: desk.store.pseudonym_salt()?,
        targets: Some(report::saved_targets(&desk.store, cfg)?),
        currency: desk.settings.currency.clone(),
        numbers: desk.settings.numbers(),
        sources: desk.sources()?,
        no_data: desk.no_data()?,
        ..ReportOptions::default()
    })
}

/// Delivers a week now, as `secdesk deliver --force` would with the saved
/// delivery settings: the reports into the folder of the settings, mailed
/// (redacted) when the settings name recipients.
#[tauri::command]
pub fn deliver_now(
    state: State<'_>,
    week: String,
    per_assignee: bool,
) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let d = desk.settings.delivery.clone();
    let out_dir = d.out_dir.clone().ok_or_else(|| {
        ShellError::new(
            "deliver",
            "no folder for the reports yet: set it in Settings, Delivery",
        )
    })?;
    let password = std::env::var("SECDESK_SMTP_PASSWORD").ok();
    let mail = deliver::mail::plan_from(&d, password.filter(|p| !p.is_empty()))?;
    let report = weekly_options(&mut desk, &cfg, mail.is_some())?;
    let options = DeliverOptions {
        week: Some(week_of(&week)?),
        out_dir: PathBuf::from(out_dir),
        formats: vec![ReportFormat::Pdf],
        per_assignee,
        stale_after_ms: deliver::STALE_AFTER_MS,
        // A person asking for it now means it, as --force.
        force: true,
        now: chrono::Utc::now().timestamp_millis(),
        report,
        mail,
    };
    let outcome = deliver::deliver(&desk.store, &desk.dataset, &cfg, &options)?;
    let files = match &outcome {
        deliver::Outcome::Delivered(d) | deliver::Outcome::SendFailed { delivery: d, .. } => {
            d.files.clone()
        }
        _ => Vec::new(),
    };
    for f in files {
        log::info!("delivered {}", f.path);
        desk.wrote(std::path::Path::new(&f.path));
    }
    Ok(json!(outcome))
}

/// The last deliveries, newest first.
#[tauri::command]
pub fn deliveries(state: State<'_>) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    Ok(json!({ "deliveries": desk.store.deliveries(10)? }))
}

/// Writes the weekly report of a week to the path the user gave (.pdf or .html).
#[tauri::command]
pub fn export_report(
    state: State<'_>,
    week: String,
    path: String,
    redact: bool,
    replace: Option<bool>,
) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let path = PathBuf::from(path);
    ReportFormat::from_path(&path)?;
    may_write(&path, replace.unwrap_or(false))?;
    let options = ReportOptions {
        week: Some(week_of(&week)?),
        ..weekly_options(&mut desk, &cfg, redact)?
    };
    let weekly = report::weekly_report(&desk.dataset, &cfg, &options)?;
    report::write_file(&report::weekly_document(&weekly), &path)?;
    desk.wrote(&path);
    log::info!(
        "exported the weekly report {} to {}",
        weekly.week,
        path.display()
    );
    Ok(json!({ "path": path.display().to_string(), "week": weekly.week }))
}
