//! The Tauri shell of secdesk: window, state and commands. Each command takes
//! the state and the UI's arguments, calls secdesk-core and maps its error to
//! `{ code, message }`. No SQL, no polars and no metric logic here.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use secdesk_core::calendar;
use secdesk_core::chart::{self, ChartFormat, ChartRequest};
use secdesk_core::import::{self, ImportOptions};
use secdesk_core::json::{metrics_document, ImportCounts};
use secdesk_core::mapping::TicketField;
use secdesk_core::metrics::{
    self, Dataset, Filters, MetricsConfig, MetricsReport, PointKey, DIMENSIONS,
};
use secdesk_core::model::MS_PER_DAY;
use secdesk_core::report::{self, ReportFormat, ReportOptions};
use secdesk_core::settings::Settings;
use secdesk_core::sniff::{parse_delimiter, Encoding, ReadAs};
use secdesk_core::store::{Store, SurveyColumns, TicketColumns};
use secdesk_core::survey::{self, SurveyOptions};
use secdesk_core::timeparse::{parse_timestamp, DateOrder, SourceZone};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The error the UI receives: it branches on `code`, shows `message`.
#[derive(Debug, Serialize)]
pub struct ShellError {
    code: &'static str,
    message: String,
}

impl ShellError {
    fn new(code: &'static str, e: impl std::fmt::Display) -> ShellError {
        ShellError {
            code,
            message: e.to_string(),
        }
    }
}

macro_rules! from_core {
    ($t:ty, $code:expr) => {
        impl From<$t> for ShellError {
            fn from(e: $t) -> ShellError {
                ShellError::new($code, e)
            }
        }
    };
}
from_core!(secdesk_core::ImportError, "import");
from_core!(secdesk_core::StoreError, "store");
from_core!(secdesk_core::MetricsError, "metrics");
from_core!(secdesk_core::error::ChartError, "chart");
from_core!(secdesk_core::ReportError, "report");
from_core!(secdesk_core::SettingsError, "settings");

/// What the app holds while it runs.
pub struct Desk {
    store: Store,
    dataset: Dataset,
    /// The saved settings every computation starts from.
    settings: Settings,
    sample_data: bool,
    /// The rejected rows of the last import, for "save the rejected rows".
    last_rejects: Vec<import::RowReject>,
    /// The last metrics computed, with the configuration they were computed
    /// for: the cards and the chart of one view share one computation.
    last_report: Option<(MetricsConfig, Arc<MetricsReport>)>,
    /// At start-up the stored data is read on another thread while the
    /// window opens; the first command waits for it (see [`lock`]).
    loading: Option<std::thread::JoinHandle<Result<Dataset, ShellError>>>,
}

impl Desk {
    /// Takes the data read at start-up, once it is there.
    fn finish_loading(&mut self) -> Result<(), ShellError> {
        if let Some(loading) = self.loading.take() {
            self.dataset = loading
                .join()
                .map_err(|_| ShellError::new("load", "reading the stored data failed"))??;
            startup_mark("stored data read");
        }
        Ok(())
    }

    fn reload(&mut self) -> Result<(), ShellError> {
        self.dataset = Dataset::load(&self.store)?;
        self.last_report = None;
        Ok(())
    }

    /// What drawing a chart takes: the configuration with the UI's filters,
    /// its metrics (shared with the other views), and the request.
    fn chart_parts(
        &mut self,
        filters: &FilterArgs,
        name: String,
        (width, height): (u32, u32),
        format: ChartFormat,
    ) -> Result<(MetricsConfig, Arc<MetricsReport>, ChartRequest), ShellError> {
        let cfg = self.config(filters)?;
        let report = self.report(&cfg)?;
        let req = ChartRequest {
            name,
            width,
            height,
            format,
            source_label: self.sources()?,
        };
        Ok((cfg, report, req))
    }

    /// The metrics for a configuration, computed once while data and
    /// configuration stay the same.
    fn report(&mut self, cfg: &MetricsConfig) -> Result<Arc<MetricsReport>, ShellError> {
        if let Some((c, r)) = &self.last_report {
            if c == cfg {
                return Ok(r.clone());
            }
        }
        let report = Arc::new(metrics::compute(&self.dataset, cfg)?);
        startup_mark("metrics computed");
        self.last_report = Some((cfg.clone(), report.clone()));
        Ok(report)
    }

    fn sources(&self) -> Result<String, ShellError> {
        Ok(self.store.source_label()?)
    }

    /// The configuration of the saved settings, without filters.
    fn base_config(&self) -> Result<MetricsConfig, ShellError> {
        Ok(self.settings.config()?)
    }

    /// The saved settings with the UI's filters.
    fn config(&self, args: &FilterArgs) -> Result<MetricsConfig, ShellError> {
        with_filters(self.base_config()?, args)
    }
}

type State<'a> = tauri::State<'a, Mutex<Desk>>;

fn lock<'a>(state: &'a State<'_>) -> Result<std::sync::MutexGuard<'a, Desk>, ShellError> {
    lock_desk(state.inner())
}

/// The desk, with the data read at start-up in place.
fn lock_desk(desk: &Mutex<Desk>) -> Result<std::sync::MutexGuard<'_, Desk>, ShellError> {
    let mut desk = desk
        .lock()
        .map_err(|_| ShellError::new("state", "the app state is unavailable"))?;
    desk.finish_loading()?;
    Ok(desk)
}

/// Filters as the UI sends them.
#[derive(Debug, Default, Deserialize)]
pub struct FilterArgs {
    from: Option<String>,
    to: Option<String>,
    week: Option<String>,
    #[serde(default)]
    dimensions: BTreeMap<String, Vec<String>>,
}

fn with_filters(mut cfg: MetricsConfig, args: &FilterArgs) -> Result<MetricsConfig, ShellError> {
    let zone = cfg.zone;
    let instant = |s: &str| -> Result<i64, ShellError> {
        parse_timestamp(s, DateOrder::DayFirst, zone)
            .map_err(|e| ShellError::new("filter", format!("`{s}`: {e}")))?
            .ok_or_else(|| ShellError::new("filter", "empty date"))
    };
    let mut filters = Filters {
        dimensions: args.dimensions.clone(),
        ..Filters::default()
    };
    if let Some(w) = args.week.as_deref().filter(|w| !w.is_empty()) {
        let idx = calendar::parse_week_label(w)
            .ok_or_else(|| ShellError::new("filter", format!("not a week: {w}")))?;
        let (s, e) = calendar::week_bounds(idx, zone);
        filters.from = Some(s);
        filters.to = Some(e);
    }
    if let Some(f) = args.from.as_deref().filter(|s| !s.is_empty()) {
        filters.from = Some(instant(f)?);
    }
    if let Some(t) = args.to.as_deref().filter(|s| !s.is_empty()) {
        // A date picker's "to" day is included: the filter ends at its midnight after.
        let whole_day = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok();
        filters.to = Some(instant(t)? + if whole_day { MS_PER_DAY } else { 0 });
    }
    filters
        .check_period()
        .map_err(|e| ShellError::new("filter", e))?;
    cfg.filters = filters;
    Ok(cfg)
}

/// Counts, dimension values and weeks for the pickers; whether this is sample data.
#[tauri::command]
fn overview(state: State<'_>) -> Result<Value, ShellError> {
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
    Ok(json!({
        "tickets": desk.dataset.ticket_count(),
        "surveys": desk.dataset.survey_count(),
        "sample_data": desk.sample_data,
        "dimensions": dims,
        "weeks": weeks,
        "charts": chart::CHARTS,
        "imports": desk.store.imports()?,
        "me": desk.store.setting(ME_SETTING)?,
        "currency": desk.settings.currency,
        "fields": {
            "tickets": TicketField::ALL.map(TicketField::name),
            "surveys": survey::SURVEY_FIELDS,
        },
    }))
}

/// The `metrics --json` document for the filters.
#[tauri::command]
fn metrics(state: State<'_>, filters: FilterArgs) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let cfg = desk.config(&filters)?;
    let report = desk.report(&cfg)?;
    let counts = ImportCounts {
        tickets: desk.store.ticket_count()?,
        surveys: desk.store.survey_count()?,
        rejected_rows: desk.store.rejected_rows()?,
    };
    Ok(metrics_document(&report, &cfg, counts))
}

/// A chart as SVG or PNG bytes.
#[tauri::command]
fn render_chart(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    format: String,
    filters: FilterArgs,
) -> Result<tauri::ipc::Response, ShellError> {
    let format = if format == "png" {
        ChartFormat::Png
    } else {
        ChartFormat::Svg
    };
    let (cfg, report, req) = lock(&state)?.chart_parts(&filters, name, (width, height), format)?;
    Ok(tauri::ipc::Response::new(chart::render_report(
        &report, &cfg, &req,
    )?))
}

/// The saved settings (SLA targets, calendar, silence, cost, time zone).
#[tauri::command]
fn settings(state: State<'_>) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    Ok(json!({ "settings": desk.settings, "defaults": Settings::default() }))
}

/// Checks and saves edited settings; every view computes with them from now on.
#[tauri::command]
fn save_settings(state: State<'_>, settings: Settings) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    settings.save(&desk.store)?;
    desk.settings = settings;
    Ok(json!(desk.settings))
}

fn week_of(week: &str) -> Result<i64, ShellError> {
    calendar::parse_week_label(week)
        .ok_or_else(|| ShellError::new("filter", format!("not a week: {week}")))
}

/// A chart as SVG text for the window, with where its points are.
#[tauri::command]
fn chart_view(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    filters: FilterArgs,
) -> Result<Value, ShellError> {
    let (cfg, report, req) =
        lock(&state)?.chart_parts(&filters, name, (width, height), ChartFormat::Svg)?;
    let (svg, map) = chart::render_view(&report, &cfg, &req)?;
    Ok(json!({ "svg": String::from_utf8_lossy(&svg), "map": map }))
}

/// The tickets behind one point of a chart (a week, or a first-response bucket).
#[tauri::command]
fn chart_tickets(
    state: State<'_>,
    key: PointKey,
    filters: FilterArgs,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.config(&filters)?;
    let (total, tickets) = metrics::tickets_behind(&desk.dataset, &cfg, &key, TICKET_LIST_LIMIT)?;
    Ok(json!({ "total": total, "tickets": tickets }))
}

/// Longest ticket list sent to the window (the total is always given).
const TICKET_LIST_LIMIT: usize = 500;

/// Puts a chart on the system clipboard as a PNG image.
#[tauri::command]
fn copy_chart(
    app: tauri::AppHandle,
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    filters: FilterArgs,
) -> Result<Value, ShellError> {
    let (cfg, report, req) =
        lock(&state)?.chart_parts(&filters, name, (width, height), ChartFormat::Png)?;
    let png = chart::render_report(&report, &cfg, &req)?;
    clipboard::put_png(&app, png)?;
    Ok(json!({ "width": width, "height": height }))
}

/// The system clipboard, for images.
mod clipboard {
    use super::ShellError;

    /// Hands PNG bytes to the clipboard (on the window's thread, as GTK wants).
    #[cfg(target_os = "linux")]
    pub fn put_png(app: &tauri::AppHandle, png: Vec<u8>) -> Result<(), ShellError> {
        use gtk::gdk_pixbuf::PixbufLoader;
        use gtk::prelude::*;
        let (done, result) = std::sync::mpsc::channel();
        app.run_on_main_thread(move || {
            let put = || -> Result<(), String> {
                let loader = PixbufLoader::new();
                loader.write(&png).map_err(|e| e.to_string())?;
                loader.close().map_err(|e| e.to_string())?;
                let image = loader.pixbuf().ok_or("the chart could not be decoded")?;
                let board = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
                board.set_image(&image);
                board.store();
                Ok(())
            };
            let _ = done.send(put());
        })
        .map_err(|e| ShellError::new("copy", e))?;
        result
            .recv()
            .map_err(|e| ShellError::new("copy", e))?
            .map_err(|e| ShellError::new("copy", e))
    }

    #[cfg(not(target_os = "linux"))]
    pub fn put_png(_app: &tauri::AppHandle, _png: Vec<u8>) -> Result<(), ShellError> {
        Err(ShellError::new(
            "copy",
            "copying images is not available on this system yet; use Export PNG",
        ))
    }
}

/// Writes a chart to the path the user gave, as PNG or SVG by its extension.
#[tauri::command]
fn export_chart(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    path: String,
    filters: FilterArgs,
) -> Result<Value, ShellError> {
    let path = PathBuf::from(path);
    let format = ChartFormat::from_path(&path)?;
    let (cfg, report, req) = lock(&state)?.chart_parts(&filters, name, (width, height), format)?;
    chart::write_report_file(&report, &cfg, &req, &path)?;
    Ok(json!({ "path": path.display().to_string(), "width": width, "height": height }))
}

/// The success-factor scorecard of a week.
#[tauri::command]
fn scorecard(state: State<'_>, week: String) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let targets = report::saved_targets(&desk.store, &cfg)?;
    let card = report::scorecard_for_week(&desk.dataset, &cfg, week_of(&week)?, &targets)?;
    Ok(json!(card))
}

/// The open tickets that need action at the end of a week: first-response
/// target missed, and silent past the threshold.
#[tauri::command]
fn action_lists(state: State<'_>, week: String) -> Result<Value, ShellError> {
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

/// Longest action list sent to the window (the totals are always given).
const ACTION_LIST_LIMIT: usize = 50;

/// Writes the weekly report of a week to the path the user gave (.pdf or .html).
#[tauri::command]
fn export_report(
    state: State<'_>,
    week: String,
    path: String,
    redact: bool,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let path = PathBuf::from(path);
    ReportFormat::from_path(&path)?;
    let options = ReportOptions {
        week: Some(week_of(&week)?),
        redact,
        salt: desk.store.pseudonym_salt()?,
        targets: Some(report::saved_targets(&desk.store, &cfg)?),
        currency: desk.settings.currency.clone(),
        sources: desk.sources()?,
        ..ReportOptions::default()
    };
    let weekly = report::weekly_report(&desk.dataset, &cfg, &options)?;
    report::write_file(&report::weekly_document(&weekly), &path)?;
    Ok(json!({ "path": path.display().to_string(), "week": weekly.week }))
}

/// The setting that remembers who "me" is in My stats.
const ME_SETTING: &str = "ui.me";

/// One assignee's stats beside the team median (and remembers the choice).
#[tauri::command]
fn personal(state: State<'_>, assignee: String, week: String) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let stats = report::personal_stats(
        &desk.dataset,
        &desk.base_config()?,
        &assignee,
        Some(week_of(&week)?),
        &desk.sources()?,
    )?;
    desk.store.set_setting(ME_SETTING, &assignee)?;
    Ok(json!(stats))
}

/// Writes one assignee's stats (beside the team median) to the path given.
#[tauri::command]
fn export_personal(
    state: State<'_>,
    assignee: String,
    week: String,
    path: String,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.base_config()?;
    let path = PathBuf::from(path);
    ReportFormat::from_path(&path)?;
    let stats = report::personal_stats(
        &desk.dataset,
        &cfg,
        &assignee,
        Some(week_of(&week)?),
        &desk.sources()?,
    )?;
    report::write_file(&report::personal_document(&stats), &path)?;
    Ok(json!({ "path": path.display().to_string() }))
}

/// How to read a file, as the Data view's preview lets the user correct it.
#[derive(Debug, Default, Deserialize)]
pub struct ReadArgs {
    /// `(field, header)` pairs; field `ignore` leaves a column out.
    #[serde(default)]
    overrides: Vec<(String, String)>,
    /// `day-first` or `month-first`; absent = decided from the data.
    date_order: Option<String>,
    /// Time zone of timestamps without offset; absent = UTC.
    source_tz: Option<String>,
    /// `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`; absent = detected.
    encoding: Option<String>,
    /// `comma`, `semicolon`, `tab`, `pipe`; absent = detected.
    delimiter: Option<String>,
}

fn import_options(args: &ReadArgs) -> Result<ImportOptions, ShellError> {
    let source_zone = match args.source_tz.as_deref().map(str::trim) {
        None | Some("") => SourceZone::Utc,
        Some(tz) => SourceZone::parse(tz)
            .ok_or_else(|| ShellError::new("import", format!("unknown time zone `{tz}`")))?,
    };
    let date_order = match args.date_order.as_deref() {
        None | Some("") | Some("auto") => None,
        Some("day-first") => Some(DateOrder::DayFirst),
        Some("month-first") => Some(DateOrder::MonthFirst),
        Some(other) => {
            return Err(ShellError::new(
                "import",
                format!("date order `{other}`: day-first or month-first"),
            ))
        }
    };
    let chosen = |v: &Option<String>| {
        v.as_deref()
            .filter(|x| !x.is_empty() && *x != "auto")
            .map(str::to_string)
    };
    let read_as = ReadAs {
        encoding: chosen(&args.encoding)
            .map(|e| {
                Encoding::parse(&e)
                    .ok_or_else(|| ShellError::new("import", format!("unknown encoding `{e}`")))
            })
            .transpose()?,
        delimiter: chosen(&args.delimiter)
            .map(|d| {
                parse_delimiter(&d)
                    .ok_or_else(|| ShellError::new("import", format!("unknown delimiter `{d}`")))
            })
            .transpose()?,
    };
    Ok(ImportOptions {
        read_as,
        overrides: args.overrides.clone(),
        date_order,
        source_zone,
        ..ImportOptions::default()
    })
}

/// How a file would be read (format, encoding, delimiter, dates, mapping,
/// sample values), before anything is stored.
#[tauri::command]
fn preview_file(
    state: State<'_>,
    kind: String,
    path: String,
    read: ReadArgs,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let options = import_options(&read)?;
    let inspection = import::inspect_file(
        &PathBuf::from(path),
        kind == "surveys",
        &options,
        Some(&desk.store),
    )?;
    Ok(json!(inspection))
}

/// Asks the import the window numbered `run` to stop (nothing of it is
/// stored), whether it is running already or about to start.
#[tauri::command]
fn cancel_import(control: tauri::State<'_, ImportControl>, run: u64) {
    control.cancelled.store(run, Ordering::SeqCst);
}

/// The number of the import the user cancelled, which a running import
/// polls; kept apart from the desk so that cancelling does not wait for
/// the import's lock.
#[derive(Default)]
pub struct ImportControl {
    cancelled: AtomicU64,
}

/// What the window hears while an import runs.
#[derive(Clone, Serialize)]
struct ImportProgress {
    done: usize,
    total: usize,
}

/// Imports a ticket or survey file the user chose, off the window's thread:
/// progress arrives as `import-progress` events, `cancel_import` with the
/// same `run` number stops it.
#[tauri::command]
async fn import_file(
    app: tauri::AppHandle,
    run: u64,
    kind: String,
    path: String,
    read: ReadArgs,
) -> Result<Value, ShellError> {
    tauri::async_runtime::spawn_blocking(move || import_now(&app, run, &kind, &path, &read))
        .await
        .map_err(|e| ShellError::new("import", e))?
}

fn import_now(
    app: &tauri::AppHandle,
    run: u64,
    kind: &str,
    path: &str,
    read: &ReadArgs,
) -> Result<Value, ShellError> {
    use tauri::{Emitter, Manager};
    let state = app.state::<Mutex<Desk>>();
    let control = app.state::<ImportControl>();
    let mut desk = lock_desk(state.inner())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let path = PathBuf::from(path);
    let options = import_options(read)?;
    let mut last = std::time::Instant::now();
    let mut progress = |done: usize, total: usize| {
        if last.elapsed().as_millis() >= 100 || done == total {
            last = std::time::Instant::now();
            let _ = app.emit("import-progress", ImportProgress { done, total });
        }
        control.cancelled.load(Ordering::SeqCst) != run
    };
    let outcome = if kind == "surveys" {
        let options = SurveyOptions {
            common: options,
            scale: None,
        };
        import::import_survey_file(&mut desk.store, &path, &options, &now, &mut progress)?
    } else {
        import::import_ticket_file(&mut desk.store, &path, &options, &now, &mut progress)?
    };
    desk.reload()?;
    desk.sample_data = false;
    desk.last_rejects = outcome.report.rejected.clone();
    Ok(json!(outcome))
}

/// Writes the last import's rejected rows as CSV to the path given.
#[tauri::command]
fn save_rejects(state: State<'_>, path: String) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let path = PathBuf::from(path);
    import::write_rejects(&path, &desk.last_rejects)?;
    Ok(json!({ "path": path.display().to_string(), "rows": desk.last_rejects.len() }))
}

/// Removes one import and its rows.
#[tauri::command]
fn forget_import(state: State<'_>, id: i64) -> Result<Value, ShellError> {
    let mut desk = lock(&state)?;
    let record = desk.store.forget(id)?;
    desk.reload()?;
    Ok(json!(record))
}

const SAMPLE_TICKETS: &[u8] = include_bytes!("../../data-samples/tickets.csv");
const SAMPLE_SURVEYS: &[u8] = include_bytes!("../../data-samples/surveys.csv");

/// Opens the database; on an empty one, loads the bundled sample data.
fn open_desk() -> Result<Desk, ShellError> {
    let path = secdesk_core::paths::default_database_path();
    let mut store = Store::open(&path)?;
    let mut sample_data = false;
    if store.ticket_count()? == 0 && store.imports()?.is_empty() {
        let dir = std::env::temp_dir().join(format!("secdesk-samples-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| ShellError::new("samples", e))?;
        let (t, s) = (
            dir.join("sample-tickets.csv"),
            dir.join("sample-surveys.csv"),
        );
        std::fs::write(&t, SAMPLE_TICKETS).map_err(|e| ShellError::new("samples", e))?;
        std::fs::write(&s, SAMPLE_SURVEYS).map_err(|e| ShellError::new("samples", e))?;
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let opts = ImportOptions {
            source: Some("sample".into()),
            ..ImportOptions::default()
        };
        import::import_ticket_file(&mut store, &t, &opts, &now, &mut |_, _| true)?;
        let sopts = SurveyOptions {
            common: opts,
            scale: None,
        };
        import::import_survey_file(&mut store, &s, &sopts, &now, &mut |_, _| true)?;
        let _ = std::fs::remove_dir_all(&dir);
        sample_data = true;
    } else {
        sample_data |= store.imports()?.iter().all(|i| i.source == "sample");
    }
    // Read on its own connection while the window opens.
    let loading = std::thread::spawn(move || -> Result<Dataset, ShellError> {
        Ok(Dataset::load(&Store::open(&path)?)?)
    });
    Ok(Desk {
        settings: Settings::load(&store)?,
        store,
        dataset: Dataset::from_columns(TicketColumns::default(), SurveyColumns::default())?,
        sample_data,
        last_rejects: Vec::new(),
        last_report: None,
        loading: Some(loading),
    })
}

/// When the process started, for the cold-start measurement.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The window says when the first dashboard is drawn; with
/// `SECDESK_STARTUP_TIMING` set, the time since the process started is
/// printed (this is how BENCHMARKS.md measures cold start).
#[tauri::command]
fn dashboard_drawn() {
    startup_mark("dashboard drawn");
}

/// With `SECDESK_STARTUP_TIMING` set, prints how long after the start
/// something happened.
fn startup_mark(what: &str) {
    if std::env::var_os("SECDESK_STARTUP_TIMING").is_some() {
        if let Some(t) = STARTED.get() {
            eprintln!("secdesk: {what} {} ms after start", t.elapsed().as_millis());
        }
    }
}

/// Starts the app.
pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    let desk = match open_desk() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("secdesk: {}: {}", e.code, e.message);
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .manage(Mutex::new(desk))
        .manage(ImportControl::default())
        .invoke_handler(tauri::generate_handler![
            overview,
            metrics,
            render_chart,
            chart_view,
            chart_tickets,
            export_chart,
            copy_chart,
            preview_file,
            import_file,
            cancel_import,
            save_rejects,
            forget_import,
            scorecard,
            action_lists,
            settings,
            save_settings,
            export_report,
            export_personal,
            personal,
            dashboard_drawn
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("secdesk: the window could not start: {e}");
        std::process::exit(1);
    }
}
