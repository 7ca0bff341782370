//! The Charts view: a chart drawn for the window with where its points are,
//! the tickets behind a point, export to a file and copy to the clipboard.

use std::path::PathBuf;

use secdesk_core::chart::{self, ChartFormat};
use secdesk_core::metrics::{self, PointKey};
use secdesk_core::options::MetricOptions;
use serde_json::{json, Value};

use super::files::may_write;
use crate::clipboard;
use crate::error::ShellError;
use crate::state::{lock, State};

/// Longest ticket list sent to the window (the total is always given).
const TICKET_LIST_LIMIT: usize = 500;

/// A chart as SVG or PNG bytes.
#[tauri::command]
pub fn render_chart(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    format: String,
    filters: MetricOptions,
    dark: Option<bool>,
) -> Result<tauri::ipc::Response, ShellError> {
    let format = if format == "png" {
        ChartFormat::Png
    } else {
        ChartFormat::Svg
    };
    let p = lock(&state)?.chart_parts(
        &filters,
        name,
        (width, height),
        format,
        dark.unwrap_or(false),
    )?;
    Ok(tauri::ipc::Response::new(chart::render_report(
        &p.report, &p.cfg, &p.req, &p.extras,
    )?))
}

/// A chart as SVG text for the window, with where its points are.
#[tauri::command]
pub fn chart_view(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    filters: MetricOptions,
    dark: Option<bool>,
) -> Result<Value, ShellError> {
    let p = lock(&state)?.chart_parts(
        &filters,
        name,
        (width, height),
        ChartFormat::Svg,
        dark.unwrap_or(false),
    )?;
    let (svg, map) = chart::render_view(&p.report, &p.cfg, &p.req, &p.extras)?;
    Ok(json!({ "svg": String::from_utf8_lossy(&svg), "map": map }))
}

/// The tickets behind one point of a chart (a week, or a first-response bucket).
#[tauri::command]
pub fn chart_tickets(
    state: State<'_>,
    key: PointKey,
    filters: MetricOptions,
) -> Result<Value, ShellError> {
    let desk = lock(&state)?;
    let cfg = desk.config(&filters)?;
    let (total, tickets) = metrics::tickets_behind(&desk.dataset, &cfg, &key, TICKET_LIST_LIMIT)?;
    Ok(json!({ "total": total, "tickets": tickets }))
}

/// Puts a chart on the system clipboard as a PNG image.
#[tauri::command]
pub fn copy_chart(
    app: tauri::AppHandle,
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    filters: MetricOptions,
) -> Result<Value, ShellError> {
    let p = lock(&state)?.chart_parts(&filters, name, (width, height), ChartFormat::Png, false)?;
    let png = chart::render_report(&p.report, &p.cfg, &p.req, &p.extras)?;
    clipboard::put_png(&app, png)?;
    Ok(json!({ "width": width, "height": height }))
}

/// Writes a chart to the path the user gave, as PNG or SVG by its extension.
#[tauri::command]
pub fn export_chart(
    state: State<'_>,
    name: String,
    width: u32,
    height: u32,
    path: String,
    filters: MetricOptions,
    replace: Option<bool>,
) -> Result<Value, ShellError> {
    let path = PathBuf::from(path);
    let format = ChartFormat::from_path(&path)?;
    may_write(&path, replace.unwrap_or(false))?;
    let mut desk = lock(&state)?;
    let p = desk.chart_parts(&filters, name, (width, height), format, false)?;
    chart::write_report_file(&p.report, &p.cfg, &p.req, &p.extras, &path)?;
    desk.wrote(&path);
    log::info!("exported the chart {} to {}", p.req.name, path.display());
    Ok(json!({ "path": path.display().to_string(), "width": width, "height": height }))
}
