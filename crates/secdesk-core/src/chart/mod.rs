//! Every chart secdesk draws, with plotters, to SVG or PNG: the same renderer
//! for the window and for exported files. Each picture carries its title,
//! period, filters, data source and as_of. Chart data comes from
//! [`crate::metrics`] only; nothing here computes a metric.
//!
//! `registry` defines the charts, `draw` renders a plot, `palette` holds the
//! colours shared with the window.

mod draw;
pub mod palette;
mod registry;

use plotters::style::RGBColor;
use serde::Serialize;

use crate::calendar::Period;
use crate::error::ChartError;
use crate::metrics::{self, Dataset, MetricsConfig, MetricsReport, PointKey};
use draw::render_mapped;
pub use registry::{chart, describe_filters, plot_for, plot_with, ChartDef, ChartExtras, CHARTS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChartFormat {
    Svg,
    Png,
}

impl ChartFormat {
    /// The format a file name's extension names (`.png`, `.svg`, any case).
    pub fn from_path(p: &std::path::Path) -> Result<ChartFormat, ChartError> {
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(ChartFormat::Svg),
            Some("png") => Ok(ChartFormat::Png),
            _ => Err(ChartError::UnknownFormat {
                path: p.display().to_string(),
            }),
        }
    }
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub format: ChartFormat,
    /// Where the data came from (file names), printed on the chart.
    pub source_label: String,
    /// The x axis of the series charts: weeks, months or quarters.
    pub period: Period,
    /// Drawn for the window's dark theme (exports are light).
    pub dark: bool,
    /// How the axes and cells write numbers (the settings' number style).
    pub numbers: &'static crate::format::NumberStyle,
}

/// One data series of a plot.
#[derive(Debug, Clone)]
pub struct PlotSeries {
    pub label: String,
    pub color: RGBColor,
    pub values: Vec<Option<f64>>,
    pub bars: bool,
    pub dashed: bool,
}

/// A backend-neutral description of one chart.
#[derive(Debug, Clone)]
pub struct Plot {
    pub title: String,
    pub subtitle: Vec<String>,
    pub x_labels: Vec<String>,
    /// What each x position stands for (empty when points lead nowhere).
    pub x_keys: Vec<PointKey>,
    pub series: Vec<PlotSeries>,
    pub y_label: String,
    pub y_percent: bool,
    /// Note printed under the plot (e.g. totals).
    pub footnote: Option<String>,
    /// A grid instead of series (rows × the x labels), e.g. weekday × hour.
    pub heat: Option<Heat>,
    /// Drawn on the dark surface (the window's dark theme).
    pub dark: bool,
    /// How the axes and cells write numbers.
    pub numbers: &'static crate::format::NumberStyle,
}

/// A heatmap: one value per row and x position, coloured by size, with a
/// short note printed in each cell.
#[derive(Debug, Clone)]
pub struct Heat {
    pub rows: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    pub notes: Vec<Vec<String>>,
}

/// Computes the metrics and renders a named chart.
pub fn render(
    ds: &Dataset,
    cfg: &MetricsConfig,
    req: &ChartRequest,
) -> Result<Vec<u8>, ChartError> {
    let extras = ChartExtras::compute(ds, cfg, &req.name, req.period)?;
    render_report(&metrics::compute(ds, cfg)?, cfg, req, &extras)
}

/// Renders a named chart from metrics already computed with `cfg` (and
/// what [`ChartExtras::compute`] gave for it).
pub fn render_report(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    req: &ChartRequest,
    extras: &ChartExtras,
) -> Result<Vec<u8>, ChartError> {
    let mut plot = plot_with(report, cfg, &req.name, &req.source_label, extras)?;
    plot.dark = req.dark;
    plot.numbers = req.numbers;
    render_plot(&plot, req.width, req.height, req.format)
}

/// Renders a named chart into the file at `path`, in the format its extension
/// names (`req.format` is ignored). The file is written only when rendering
/// succeeded.
pub fn write_file(
    ds: &Dataset,
    cfg: &MetricsConfig,
    req: &ChartRequest,
    path: &std::path::Path,
) -> Result<(), ChartError> {
    let extras = ChartExtras::compute(ds, cfg, &req.name, req.period)?;
    write_report_file(&metrics::compute(ds, cfg)?, cfg, req, &extras, path)
}

/// [`write_file`] from metrics already computed with `cfg`.
pub fn write_report_file(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    req: &ChartRequest,
    extras: &ChartExtras,
    path: &std::path::Path,
) -> Result<(), ChartError> {
    let req = ChartRequest {
        format: ChartFormat::from_path(path)?,
        ..req.clone()
    };
    let bytes = render_report(report, cfg, &req, extras)?;
    crate::paths::write_whole(path, &bytes).map_err(|e| ChartError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Where a drawn chart's points are, for turning a click into a [`PointKey`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartMap {
    /// The picture's size in pixels.
    pub width: u32,
    pub height: u32,
    /// The plotting area in pixels (x from left to right, y from top to bottom);
    /// x position `i` of `points` is centred at
    /// `left + (i + 0.5) × (right − left) / points.len()`.
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    pub points: Vec<ChartPoint>,
    /// The values drawn, per series (one per x label), for a hover's
    /// figures and the chart's text alternative.
    pub series: Vec<MapSeries>,
    /// What the y values are (`hours`, …) and whether they are shares.
    pub y_label: String,
    pub y_percent: bool,
    /// The x labels (also where points lead nowhere, e.g. backlog age).
    pub x_labels: Vec<String>,
    /// A heatmap's rows, values and notes.
    pub heat: Option<MapHeat>,
}

/// One series' values, as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapSeries {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// A heatmap's grid, as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapHeat {
    pub rows: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    pub notes: Vec<Vec<String>>,
}

/// One x position of a chart: its label and the tickets it stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartPoint {
    pub label: String,
    pub key: PointKey,
}

/// Renders a named chart from metrics computed with `cfg`, and says where its points are.
pub fn render_view(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    req: &ChartRequest,
    extras: &ChartExtras,
) -> Result<(Vec<u8>, ChartMap), ChartError> {
    let mut plot = plot_with(report, cfg, &req.name, &req.source_label, extras)?;
    plot.dark = req.dark;
    plot.numbers = req.numbers;
    let (bytes, (x, y)) = render_mapped(&plot, req.width, req.height, req.format)?;
    let points = plot
        .x_labels
        .iter()
        .zip(&plot.x_keys)
        .map(|(label, key)| ChartPoint {
            label: label.clone(),
            key: key.clone(),
        })
        .collect();
    let map = ChartMap {
        width: req.width,
        height: req.height,
        left: x.start,
        right: x.end,
        top: y.start,
        bottom: y.end,
        points,
        series: plot
            .series
            .iter()
            .map(|s| MapSeries {
                label: s.label.clone(),
                values: s.values.clone(),
            })
            .collect(),
        y_label: plot.y_label.clone(),
        y_percent: plot.y_percent,
        x_labels: plot.x_labels.clone(),
        heat: plot.heat.as_ref().map(|h| MapHeat {
            rows: h.rows.clone(),
            values: h.values.clone(),
            notes: h.notes.clone(),
        }),
    };
    Ok((bytes, map))
}

/// Renders a plot description.
pub fn render_plot(
    plot: &Plot,
    width: u32,
    height: u32,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    Ok(render_mapped(plot, width, height, format)?.0)
}
