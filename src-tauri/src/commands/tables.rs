//! Every table of the window to CSV or Excel: the core builds the table
//! (`secdesk_core::export`), the file's extension picks the format, and the
//! file is written whole under a temporary name, then renamed.

use std::path::{Path, PathBuf};

use secdesk_core::chart::{self, ChartFormat};
use secdesk_core::export;
use secdesk_core::metrics::{self, PointKey};
use secdesk_core::options::MetricOptions;
use secdesk_core::report;
use secdesk_core::table::Table;
use serde::Deserialize;
use serde_json::{json, Value};

use super::files::may_write;
use crate::error::ShellError;
use crate::state::{lock, week_of, Desk, State};

/// Which table, with what the view shows it for.
#[derive(Debug, Deserialize)]
#[serde(tag = "table", rename_all = "kebab-case")]
pub enum TableRequest {
    /// The success-factor scorecard of a week.
    Scorecard { week: String },
    /// Open at the end of a week, first-response target missed (every one).
    Breached { week: String },
    /// Open at the end of a week, silent past the threshold (every one).
    Silent { week: String },
    /// The backlog at the end of a week by age.
    BacklogAge { week: String },
    /// Every ticket behind a chart point (not only those listed).
    Behind {
        key: PointKey,
        filters: MetricOptions,
    },
    /// A chart's values as drawn.
    ChartValues {
        name: String,
        filters: MetricOptions,
    },
    /// Every metric of every grouping under the chart's filters.
    Figures { filters: MetricOptions },
    /// One assignee's open tickets.
    MyOpen { assignee: String, week: String },
    /// The last import's rejected rows.
    Rejects,
}

fn build(desk: &mut Desk, request: TableRequest) -> Result<Table, ShellError> {
    Ok(match request {
        TableRequest::Scorecard { week } => {
            let cfg = desk.base_config()?;
            let targets = report::saved_targets(&desk.store, &cfg)?;
            export::scorecard(&report::scorecard_for_week(
                &desk.dataset,
                &cfg,
                week_of(&week)?,
                &targets,
            )?)
        }
        TableRequest::Breached { week } => {
            let lists = action_lists(desk, &week)?;
            export::open_tickets("first-response target missed", &lists.breached)
        }
        TableRequest::Silent { week } => {
            export::open_tickets("silent", &action_lists(desk, &week)?.silent)
        }
        TableRequest::BacklogAge { week } => export::backlog_age(&desk.backlog_by_age(&week)?),
        TableRequest::Behind { key, filters } => {
            let cfg = desk.config(&filters)?;
            let (_, rows) = metrics::tickets_behind(&desk.dataset, &cfg, &key, usize::MAX)?;
            export::tickets(&rows)
        }
        TableRequest::ChartValues { name, filters } => {
            // The values the chart draws, without drawing it.
            let p = desk.chart_parts(&filters, name.clone(), (0, 0), ChartFormat::Svg, false)?;
            let plot = chart::plot_with(&p.report, &p.cfg, &name, &p.req.source_label, &p.extras)?;
            export::chart_values(&name, &plot)
        }
        TableRequest::Figures { filters } => {
            let cfg = desk.config(&filters)?;
            export::metrics(&*desk.report(&cfg)?)
        }
        TableRequest::MyOpen { assignee, week } => {
            export::open_tickets("open tickets", &desk.personal(&assignee, &week)?.open)
        }
        TableRequest::Rejects => secdesk_core::ingest::rejects_table(&desk.last_rejects),
    })
}

/// Every open ticket that needs action at the end of a week (no limit).
fn action_lists(desk: &Desk, week: &str) -> Result<report::ActionLists, ShellError> {
    let cfg = desk.base_config()?;
    let as_of = cfg.as_of.or(desk.dataset.latest).unwrap_or(0);
    Ok(report::action_lists(
        &desk.dataset,
        &cfg,
        as_of,
        week_of(week)?,
        usize::MAX,
    )?)
}

/// Writes a table of the window to `path`: CSV for `.csv`, a workbook for
/// `.xlsx`. An existing file is replaced only when `replace` says so (the
/// Save dialog asked, or the user said Replace).
#[tauri::command]
pub fn export_table(
    state: State<'_>,
    request: TableRequest,
    path: String,
    replace: Option<bool>,
) -> Result<Value, ShellError> {
    let path = PathBuf::from(path);
    let xlsx = match extension(&path).as_deref() {
        Some("csv") => false,
        Some("xlsx") => true,
        _ => {
            return Err(ShellError::new(
                "export",
                format!("{}: a table is written as .csv or .xlsx", path.display()),
            ))
        }
    };
    may_write(&path, replace.unwrap_or(false))?;
    let mut desk = lock(&state)?;
    let table = build(&mut desk, request)?;
    if xlsx {
        Table::write_xlsx(&[&table], &path)?;
    } else {
        table.write_csv(&path, desk.settings.numbers())?;
    }
    desk.wrote(&path);
    log::info!(
        "exported the table {} ({} rows) to {}",
        table.name,
        table.rows.len(),
        path.display()
    );
    Ok(json!({ "path": path.display().to_string(), "rows": table.rows.len(), "table": table.name }))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}
