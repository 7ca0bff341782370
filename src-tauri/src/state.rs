//! What the app holds while it runs, and how a command gets at it.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};

use secdesk_core::chart::{ChartExtras, ChartFormat, ChartRequest};
use secdesk_core::coverage::{self, Coverage};
use secdesk_core::ingest::RowReject;
use secdesk_core::metrics::{self, AgeBucket, Dataset, MetricsConfig, MetricsReport};
use secdesk_core::options::{self, MetricOptions};
use secdesk_core::report::{self, PersonalStats};
use secdesk_core::settings::Settings;
use secdesk_core::store::Store;

use crate::error::ShellError;
use crate::startup::startup_mark;

/// What the start-up thread read: the data, where it came from, and the
/// metrics of the dashboard's first view (computed while the window opens).
pub struct Loaded {
    pub dataset: Dataset,
    pub origin: String,
    pub first_view: Option<(MetricsConfig, Arc<MetricsReport>)>,
}

/// The configuration of a view: the saved settings with the window's
/// filters. A date picker's "to" day is included (the period ends at its
/// midnight after).
pub fn view_config(
    settings: &Settings,
    dataset: &Dataset,
    filters: &MetricOptions,
) -> Result<MetricsConfig, ShellError> {
    let filters = MetricOptions {
        to_includes_day: true,
        ..filters.clone()
    };
    let (cfg, _notes) = options::configure(settings.config()?, &filters, dataset)?;
    Ok(cfg)
}

/// The database, the data read from it, and what the views share.
pub struct Desk {
    pub store: Store,
    pub dataset: Dataset,
    /// The saved settings every computation starts from.
    pub settings: Settings,
    pub sample_data: bool,
    /// The rejected rows of the last import, for "save the rejected rows".
    pub last_rejects: Vec<RowReject>,
    /// The last metrics computed, with the configuration they were computed
    /// for: the cards and the chart of one view share one computation.
    pub last_report: Option<(MetricsConfig, Arc<MetricsReport>)>,
    /// At start-up the stored data is read on another thread while the
    /// window opens; the first command waits for it (see [`lock`]).
    /// The data being read at start-up, and where it came from (logged
    /// when taken: the log starts after the read).
    pub loading: Option<std::thread::JoinHandle<Result<Loaded, ShellError>>>,
    /// What the stored exports can measure, read once per load of the data
    /// (it counts the stored rows of each source: not on every card refresh).
    pub coverage: Option<Coverage>,
    /// The files the exports of this session wrote: the only ones "Open" and
    /// "Show in folder" act on.
    pub written: std::collections::BTreeSet<std::path::PathBuf>,
}

impl Desk {
    /// One assignee's stats for the 12 weeks to `week` beside the team
    /// median, with the reason of each missing number, in the settings'
    /// number style.
    pub fn personal(&mut self, assignee: &str, week: &str) -> Result<PersonalStats, ShellError> {
        let mut stats = report::personal_stats(
            &self.dataset,
            &self.base_config()?,
            assignee,
            Some(week_of(week)?),
            &self.sources()?,
        )?;
        stats.explain(&self.no_data()?);
        stats.numbers = self.settings.numbers();
        Ok(stats)
    }

    /// The tickets open at the end of a week by age, oldest first.
    pub fn backlog_by_age(&self, week: &str) -> Result<Vec<AgeBucket>, ShellError> {
        let cfg = self.config(&MetricOptions {
            week: Some(week.to_string()),
            ..MetricOptions::default()
        })?;
        let mut buckets = metrics::backlog_age(&self.dataset, &cfg)?;
        buckets.reverse();
        Ok(buckets)
    }

    /// Remembers a file an export wrote (for "Open" and "Show in folder").
    pub fn wrote(&mut self, path: &std::path::Path) {
        if let Ok(p) = std::fs::canonicalize(path) {
            self.written.insert(p);
        }
    }

    /// Takes the data read at start-up, once it is there.
    fn finish_loading(&mut self) -> Result<(), ShellError> {
        if let Some(loading) = self.loading.take() {
            let loaded = loading
                .join()
                .map_err(|_| ShellError::new("load", "reading the stored data failed"))??;
            self.dataset = loaded.dataset;
            log::info!("{}", loaded.origin);
            startup_mark("stored data read");
            // Computed for the saved settings read then: kept only if they still hold.
            self.last_report = loaded.first_view.filter(|(cfg, _)| {
                self.config(&MetricOptions::default()).ok().as_ref() == Some(cfg)
            });
        }
        Ok(())
    }

    /// Reads the stored data again (after an import or a forget).
    pub fn reload(&mut self) -> Result<(), ShellError> {
        let (dataset, origin) = open_dataset(&mut self.store)?;
        self.dataset = dataset;
        log::info!("{origin}");
        self.last_report = None;
        self.coverage = None;
        Ok(())
    }

    /// What the stored exports can measure (see `coverage::coverage`).
    pub fn coverage(&mut self) -> Result<Coverage, ShellError> {
        if let Some(c) = &self.coverage {
            return Ok(c.clone());
        }
        let c = coverage::coverage_of(&self.store, self.dataset.sources())?;
        self.coverage = Some(c.clone());
        Ok(c)
    }

    /// Why a metric family has no number, where no stored export measures it.
    pub fn no_data(&mut self) -> Result<std::collections::BTreeMap<String, String>, ShellError> {
        Ok(coverage::no_data_reasons(&self.coverage()?))
    }

    /// What drawing a chart takes: the configuration with the window's
    /// filters, its metrics (shared with the other views), and the request.
    pub fn chart_parts(
        &mut self,
        filters: &MetricOptions,
        name: String,
        (width, height): (u32, u32),
        format: ChartFormat,
        dark: bool,
    ) -> Result<ChartParts, ShellError> {
        let cfg = self.config(filters)?;
        let report = self.report(&cfg)?;
        let period = filters.period()?;
        let extras = ChartExtras::compute(&self.dataset, &cfg, &name, period)?;
        let req = ChartRequest {
            name,
            width,
            height,
            format,
            source_label: self.sources()?,
            period,
            dark,
            numbers: self.settings.numbers(),
        };
        Ok(ChartParts {
            cfg,
            report,
            req,
            extras,
        })
    }

    /// The metrics for a configuration, computed once while data and
    /// configuration stay the same.
    pub fn report(&mut self, cfg: &MetricsConfig) -> Result<Arc<MetricsReport>, ShellError> {
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

    pub fn sources(&self) -> Result<String, ShellError> {
        Ok(self.store.source_label()?)
    }

    /// The configuration of the saved settings, without filters.
    pub fn base_config(&self) -> Result<MetricsConfig, ShellError> {
        Ok(self.settings.config()?)
    }

    /// The saved settings with the window's filters. A date picker's "to"
    /// day is included (the period ends at its midnight after).
    pub fn config(&self, filters: &MetricOptions) -> Result<MetricsConfig, ShellError> {
        view_config(&self.settings, &self.dataset, filters)
    }
}

/// Everything drawing one chart takes.
pub struct ChartParts {
    pub cfg: MetricsConfig,
    pub report: Arc<MetricsReport>,
    pub req: ChartRequest,
    pub extras: ChartExtras,
}

pub type State<'a> = tauri::State<'a, Mutex<Desk>>;

pub fn lock<'a>(state: &'a State<'_>) -> Result<MutexGuard<'a, Desk>, ShellError> {
    lock_desk(state.inner())
}

/// The desk, with the data read at start-up in place.
pub fn lock_desk(desk: &Mutex<Desk>) -> Result<MutexGuard<'_, Desk>, ShellError> {
    let mut desk = desk
        .lock()
        .map_err(|_| ShellError::new("state", "the app state is unavailable"))?;
    desk.finish_loading()?;
    Ok(desk)
}

/// The number of the import the user cancelled, which a running import
/// polls; kept apart from the desk so that cancelling does not wait for
/// the import's lock.
#[derive(Default)]
pub struct ImportControl {
    pub cancelled: AtomicU64,
}

/// A week label the window sent (`2026-W47`).
pub fn week_of(week: &str) -> Result<i64, ShellError> {
    Ok(options::week(week)?)
}

/// The stored data, from the columnar snapshot when it is the data's (after
/// an import or a forget, the snapshot is written again here), and a line
/// for the log saying where it came from.
pub fn open_dataset(
    store: &mut secdesk_core::store::Store,
) -> Result<(Dataset, String), ShellError> {
    use secdesk_core::metrics::{Opened, SnapshotUse};
    let (ds, opened) = Dataset::open_after_import(store, SnapshotUse::ReadWrite)?;
    // Whether the snapshot was brought up to date, in the log's words.
    let snapshot = |written: Result<(), String>, done: &str| match written {
        Ok(()) => format!("snapshot {done}"),
        Err(why) => format!("snapshot not {done}: {why}"),
    };
    let origin = match opened {
        Opened::Snapshot => "stored data read from the snapshot".to_string(),
        Opened::Direct => "stored data read from the database".to_string(),
        Opened::Responses { written } => format!(
            "tickets read from the snapshot, responses from the database; {}",
            snapshot(written, "updated")
        ),
        Opened::Imported { written } => format!(
            "stored data taken from the rows just imported; {}",
            snapshot(written, "written")
        ),
        Opened::Rebuilt { reason, written } => format!(
            "stored data read from the database (snapshot {reason}); {}",
            snapshot(written, "written")
        ),
    };
    Ok((ds, origin))
}
