//! Start-up: the database opened (the bundled samples loaded into an empty
//! one), the stored data read while the window opens, and the cold-start
//! marks BENCHMARKS.md measures.

use secdesk_core::ingest::{self, ImportOptions, SurveyOptions};
use std::sync::Arc;

use secdesk_core::metrics::{self, Dataset};
use secdesk_core::options::MetricOptions;
use secdesk_core::settings::Settings;
use secdesk_core::store::{Store, SurveyColumns, TicketColumns};

use crate::error::ShellError;
use crate::state::{view_config, Desk, Loaded};

const SAMPLE_TICKETS: &[u8] = include_bytes!("../../data-samples/tickets.csv");
const SAMPLE_SURVEYS: &[u8] = include_bytes!("../../data-samples/surveys.csv");

/// Opens the database; on an empty one, loads the bundled sample data.
pub fn open_desk() -> Result<Desk, ShellError> {
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
        ingest::import_ticket_file(&mut store, &t, &opts, &now, &mut |_, _| true)?;
        let sopts = SurveyOptions {
            common: opts,
            scale: None,
        };
        ingest::import_survey_file(&mut store, &s, &sopts, &now, &mut |_, _| true)?;
        let _ = std::fs::remove_dir_all(&dir);
        sample_data = true;
    } else {
        sample_data |= store.imports()?.iter().all(|i| i.source == "sample");
    }
    // Read on its own connection while the window opens, and the metrics of
    // the dashboard's first view (the saved settings, no filter) computed
    // then too, so that the window finds them ready when it asks.
    let loading = std::thread::spawn(move || -> Result<Loaded, ShellError> {
        let mut store = Store::open(&path)?;
        let (dataset, origin) = crate::state::open_dataset(&mut store)?;
        let first_view = view_config(
            &Settings::load(&store)?,
            &dataset,
            &MetricOptions::default(),
        )
        .and_then(|cfg| Ok((cfg.clone(), Arc::new(metrics::compute(&dataset, &cfg)?))))
        .ok();
        startup_mark("first view computed");
        Ok(Loaded {
            dataset,
            origin,
            first_view,
        })
    });
    Ok(Desk {
        settings: Settings::load(&store)?,
        store,
        dataset: Dataset::from_columns(TicketColumns::default(), SurveyColumns::default())?,
        sample_data,
        last_rejects: Vec::new(),
        last_report: None,
        loading: Some(loading),
        coverage: None,
        written: Default::default(),
    })
}

/// When the process started, for the cold-start measurement.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The window says when the first dashboard is drawn; with
/// `SECDESK_STARTUP_TIMING` set, the time since the process started is
/// printed (this is how BENCHMARKS.md measures cold start).
#[tauri::command]
pub fn dashboard_drawn(app: tauri::AppHandle) {
    let handle = app.clone();
    if app
        .run_on_main_thread(move || crate::desktop::save_window(&handle))
        .is_err()
    {
        log::warn!("the window's size and place were not saved");
    }
    startup_mark("dashboard drawn");
    if let Some(t) = STARTED.get() {
        log::info!("dashboard drawn {} ms after start", t.elapsed().as_millis());
    }
}

/// With `SECDESK_STARTUP_TIMING` set, prints how long after the start
/// something happened.
pub fn startup_mark(what: &str) {
    if std::env::var_os("SECDESK_STARTUP_TIMING").is_some() {
        if let Some(t) = STARTED.get() {
            eprintln!("secdesk: {what} {} ms after start", t.elapsed().as_millis());
        }
    }
}
