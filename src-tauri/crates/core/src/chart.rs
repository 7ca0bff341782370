//! Every chart secdesk draws, with plotters, to SVG or PNG: the same renderer
//! for the window and for exported files. Each picture carries its title,
//! period, filters, data source and as_of. Chart data comes from
//! [`crate::metrics`] only; nothing here computes a metric.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use crate::calendar::week_label;
use crate::error::ChartError;
use crate::json::instant_text;
use crate::metrics::{self, Dataset, MetricsConfig, MetricsReport, PointKey};
use crate::model::MS_PER_HOUR;

/// A chart's name and title.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ChartInfo {
    pub name: &'static str,
    pub title: &'static str,
}

pub const CHARTS: [ChartInfo; 6] = [
    ChartInfo {
        name: "first-response-weekly",
        title: "First response per week vs SLA target",
    },
    ChartInfo {
        name: "reopen-rate-weekly",
        title: "Reopen rate per week",
    },
    ChartInfo {
        name: "follow-ups-weekly",
        title: "Follow-ups per open day and silent open tickets per week",
    },
    ChartInfo {
        name: "csat-weekly",
        title: "Customer satisfaction per week",
    },
    ChartInfo {
        name: "csat-by-first-response",
        title: "Satisfaction by first-response delay",
    },
    ChartInfo {
        name: "impact-weekly",
        title: "Business impact: blocked hours and cost per week",
    },
];

/// Output format.
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
}

/// The app's palette, shared by the window and the exports.
pub mod palette {
    use plotters::style::RGBColor;
    pub const PRIMARY: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
    pub const ACCENT: RGBColor = RGBColor(0xe0, 0x7b, 0x39);
    pub const GOOD: RGBColor = RGBColor(0x3a, 0x9e, 0x6f);
    pub const BAD: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
    pub const MUTED: RGBColor = RGBColor(0x88, 0x88, 0x88);
    pub const TEXT: RGBColor = RGBColor(0x22, 0x2b, 0x33);
    pub const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xeb);
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
}

static FONT: OnceLock<bool> = OnceLock::new();

fn ensure_font() -> Result<(), ChartError> {
    let ok = *FONT.get_or_init(|| {
        plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../assets/DejaVuSans.ttf"),
        )
        .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Render(
            "the bundled font could not be loaded".into(),
        ))
    }
}

pub fn describe_filters(cfg: &MetricsConfig) -> String {
    let mut parts = Vec::new();
    for (dim, values) in &cfg.filters.dimensions {
        if !values.is_empty() {
            parts.push(format!("{dim} = {}", values.join(" or ")));
        }
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

fn period_text(report: &MetricsReport, cfg: &MetricsConfig) -> String {
    let from = match (cfg.filters.from, report.by_week.first()) {
        (Some(f), _) => instant_text(f)[..10].to_string(),
        (None, Some((w, _))) => week_label(*w),
        (None, None) => "—".to_string(),
    };
    let to = match (cfg.filters.to, report.by_week.last()) {
        (Some(t), _) => instant_text(t.min(report.as_of))[..10].to_string(),
        (None, Some((w, _))) => week_label(*w),
        (None, None) => "—".to_string(),
    };
    format!("{from} – {to}")
}

/// Builds the plot description of a named chart.
pub fn plot_for(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    name: &str,
    source: &str,
) -> Result<Plot, ChartError> {
    let info = CHARTS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| ChartError::UnknownChart {
            name: name.to_string(),
            known: CHARTS.map(|c| c.name).join(", "),
        })?;
    let weeks: Vec<String> = report.by_week.iter().map(|(w, _)| week_label(*w)).collect();
    let col = |f: &dyn Fn(&metrics::MetricSet) -> Option<f64>| -> Vec<Option<f64>> {
        report.by_week.iter().map(|(_, m)| f(m)).collect()
    };
    let n = weeks.len();
    let flat = |v: f64| vec![Some(v); n];
    let subtitle = vec![
        format!(
            "Period {} · time zone {} · as of {}",
            period_text(report, cfg),
            cfg.zone.name(),
            instant_text(report.as_of)
        ),
        format!("Filters: {} · Source: {}", describe_filters(cfg), source),
    ];
    let series =
        |label: &str, color: RGBColor, values: Vec<Option<f64>>, bars: bool, dashed: bool| {
            PlotSeries {
                label: label.to_string(),
                color,
                values,
                bars,
                dashed,
            }
        };
    let mut plot = Plot {
        title: info.title.to_string(),
        subtitle,
        x_labels: weeks,
        x_keys: report
            .by_week
            .iter()
            .map(|(w, _)| PointKey::Week(*w))
            .collect(),
        series: Vec::new(),
        y_label: String::new(),
        y_percent: false,
        footnote: None,
    };
    match name {
        "first-response-weekly" => {
            plot.y_label = "hours".into();
            plot.series = vec![
                series(
                    "median",
                    palette::PRIMARY,
                    col(&|m| m.first_response_minutes.median.map(|x| x / 60.0)),
                    false,
                    false,
                ),
                series(
                    "p90",
                    palette::ACCENT,
                    col(&|m| m.first_response_minutes.p90.map(|x| x / 60.0)),
                    false,
                    false,
                ),
            ];
            // The SLA target lines of the priorities in view.
            let wanted = cfg
                .filters
                .dimensions
                .get("priority")
                .filter(|v| !v.is_empty());
            for (i, p) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
                if wanted.is_some_and(|w| !w.iter().any(|x| x == p)) {
                    continue;
                }
                let h = cfg.sla_targets_ms[i] as f64 / MS_PER_HOUR as f64;
                plot.series.push(series(
                    &format!("{p} target ({h} h)"),
                    palette::MUTED,
                    flat(h),
                    false,
                    true,
                ));
            }
        }
        "reopen-rate-weekly" => {
            plot.y_label = "share of resolved tickets".into();
            plot.y_percent = true;
            plot.series = vec![
                series(
                    "reopen rate",
                    palette::PRIMARY,
                    col(&|m| m.reopen_rate),
                    true,
                    false,
                ),
                series("target 5 %", palette::BAD, flat(0.05), false, true),
            ];
        }
        "follow-ups-weekly" => {
            plot.y_label = "follow-ups per open day / share".into();
            plot.series = vec![
                series(
                    "follow-ups per open day",
                    palette::PRIMARY,
                    col(&|m| m.follow_ups_per_open_day),
                    false,
                    false,
                ),
                series(
                    "silent open share (> threshold)",
                    palette::BAD,
                    col(&|m| m.silent_open_share),
                    false,
                    false,
                ),
                series(
                    "silent target 10 %",
                    palette::MUTED,
                    flat(0.10),
                    false,
                    true,
                ),
            ];
        }
        "csat-weekly" => {
            plot.y_label = "satisfied share".into();
            plot.y_percent = true;
            plot.series = vec![
                series(
                    "satisfied share",
                    palette::GOOD,
                    col(&|m| m.csat.satisfied_share),
                    false,
                    false,
                ),
                series("target 90 %", palette::MUTED, flat(0.9), false, true),
            ];
            let rated: i64 = report.by_week.iter().map(|(_, m)| m.csat.rated).sum();
            plot.footnote = Some(format!("{rated} rated responses in the period"));
        }
        "csat-by-first-response" => {
            plot.y_label = "satisfied share".into();
            plot.y_percent = true;
            plot.x_labels = report
                .csat_by_first_response_bucket
                .iter()
                .map(|b| format!("{} (n={})", b.bucket, b.rated))
                .collect();
            plot.x_keys = report
                .csat_by_first_response_bucket
                .iter()
                .map(|b| PointKey::Bucket(b.bucket.clone()))
                .collect();
            plot.series = vec![series(
                "satisfied share",
                palette::PRIMARY,
                report
                    .csat_by_first_response_bucket
                    .iter()
                    .map(|b| b.satisfied_share)
                    .collect(),
                true,
                false,
            )];
        }
        "impact-weekly" => {
            plot.y_label = "person-hours blocked".into();
            plot.series = vec![
                series(
                    "blocked hours",
                    palette::ACCENT,
                    col(&|m| m.blocked_hours),
                    true,
                    false,
                ),
                series(
                    "excess wait beyond SLA (h)",
                    palette::BAD,
                    col(&|m| m.excess_wait_hours),
                    false,
                    false,
                ),
            ];
            let cost: f64 = report
                .by_week
                .iter()
                .filter_map(|(_, m)| m.impact_cost)
                .sum();
            let hours: f64 = report
                .by_week
                .iter()
                .filter_map(|(_, m)| m.blocked_hours)
                .sum();
            plot.footnote = Some(format!(
                "{hours:.0} blocked person-hours in the period ≈ {cost:.0} at {:.2} per hour",
                cfg.hourly_cost
            ));
        }
        _ => {}
    }
    Ok(plot)
}

/// Computes the metrics and renders a named chart.
pub fn render(
    ds: &Dataset,
    cfg: &MetricsConfig,
    req: &ChartRequest,
) -> Result<Vec<u8>, ChartError> {
    render_report(&metrics::compute(ds, cfg)?, cfg, req)
}

/// Renders a named chart from metrics already computed with `cfg`.
pub fn render_report(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    req: &ChartRequest,
) -> Result<Vec<u8>, ChartError> {
    let plot = plot_for(report, cfg, &req.name, &req.source_label)?;
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
    write_report_file(&metrics::compute(ds, cfg)?, cfg, req, path)
}

/// [`write_file`] from metrics already computed with `cfg`.
pub fn write_report_file(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    req: &ChartRequest,
    path: &std::path::Path,
) -> Result<(), ChartError> {
    let req = ChartRequest {
        format: ChartFormat::from_path(path)?,
        ..req.clone()
    };
    let bytes = render_report(report, cfg, &req)?;
    std::fs::write(path, bytes).map_err(|e| ChartError::Write {
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
) -> Result<(Vec<u8>, ChartMap), ChartError> {
    let plot = plot_for(report, cfg, &req.name, &req.source_label)?;
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

type PixelRange = (std::ops::Range<i32>, std::ops::Range<i32>);

/// Renders a plot description; also returns its plotting area in pixels.
fn render_mapped(
    plot: &Plot,
    width: u32,
    height: u32,
    format: ChartFormat,
) -> Result<(Vec<u8>, PixelRange), ChartError> {
    if !(200..=8192).contains(&width) || !(200..=8192).contains(&height) {
        return Err(ChartError::BadSize { width, height });
    }
    ensure_font()?;
    let area: PixelRange;
    match format {
        ChartFormat::Svg => {
            let mut out = String::new();
            {
                let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
                area = draw(&root, plot).map_err(ChartError::Render)?;
                root.present()
                    .map_err(|e| ChartError::Render(e.to_string()))?;
            }
            Ok((out.into_bytes(), area))
        }
        ChartFormat::Png => {
            let mut buf = vec![0u8; (width * height * 3) as usize];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
                area = draw(&root, plot).map_err(ChartError::Render)?;
                root.present()
                    .map_err(|e| ChartError::Render(e.to_string()))?;
            }
            let img = image::RgbImage::from_raw(width, height, buf)
                .ok_or_else(|| ChartError::Render("bitmap size mismatch".into()))?;
            let mut png = Vec::new();
            image::DynamicImage::ImageRgb8(img)
                .write_to(
                    &mut std::io::Cursor::new(&mut png),
                    image::ImageOutputFormat::Png,
                )
                .map_err(|e| ChartError::Render(e.to_string()))?;
            Ok((png, area))
        }
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot,
) -> Result<PixelRange, String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    root.fill(&WHITE).map_err(e)?;
    let (w, h) = root.dim_in_pixel();
    let unit = (h as f64 / 1080.0).max(0.55) * (w as f64 / 1920.0).clamp(0.6, 1.6).sqrt();
    let px = |x: f64| (x * unit).round().max(8.0) as i32;
    // Text stays readable on small pictures; lines stay thin on them.
    let font = |x: f64| (x * unit).round().max(12.0) as i32;
    let line = |x: f64| (x * unit).round().max(1.0) as u32;
    let title_style = ("sans-serif", font(44.0)).into_font().color(&palette::TEXT);
    let sub_style = ("sans-serif", font(24.0))
        .into_font()
        .color(&palette::MUTED);
    let margin = px(36.0);
    root.draw(&Text::new(
        plot.title.clone(),
        (margin, margin),
        title_style,
    ))
    .map_err(e)?;
    for (i, line) in plot.subtitle.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (margin, margin + px(58.0) + i as i32 * px(32.0)),
            sub_style.clone(),
        ))
        .map_err(e)?;
    }
    let header = (margin + px(58.0) + plot.subtitle.len() as i32 * px(32.0) + px(16.0)) as u32;
    let footer = if plot.footnote.is_some() {
        px(44.0) as u32
    } else {
        0
    };
    let (_, body) = root.split_vertically(header);
    let (body, foot) = body.split_vertically(body.dim_in_pixel().1.saturating_sub(footer));
    if let Some(note) = &plot.footnote {
        foot.draw(&Text::new(
            note.clone(),
            (margin, px(8.0)),
            ("sans-serif", font(24.0)).into_font().color(&palette::TEXT),
        ))
        .map_err(e)?;
    }

    let n = plot.x_labels.len();
    let values = plot
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied());
    let max = values.fold(0.0f64, f64::max);
    let y_max = if plot.y_percent {
        (max * 1.1).clamp(0.1, 1.0)
    } else {
        (max * 1.15).max(1.0)
    };
    let label_style = ("sans-serif", font(22.0)).into_font().color(&palette::TEXT);
    let mut chart = ChartBuilder::on(&body)
        .margin(margin)
        .x_label_area_size(px(70.0))
        .y_label_area_size(px(110.0))
        .build_cartesian_2d(-0.5f64..(n.max(1) as f64 - 0.5), 0.0f64..y_max)
        .map_err(e)?;
    let labels = plot.x_labels.clone();
    let step = (n / 12).max(1);
    let percent = plot.y_percent;
    if n == 0 {
        body.draw(&Text::new(
            "No data for this period and these filters".to_string(),
            ((w / 2) as i32, (body.dim_in_pixel().1 / 2) as i32),
            ("sans-serif", font(32.0))
                .into_font()
                .color(&palette::MUTED)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(e)?;
    }
    chart
        .configure_mesh()
        .light_line_style(palette::GRID)
        .bold_line_style(palette::GRID)
        .axis_style(palette::MUTED)
        .x_labels(n.clamp(1, 24))
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            let i = i as usize;
            if i.is_multiple_of(step) {
                labels.get(i).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| {
            if percent {
                format!("{:.0} %", y * 100.0)
            } else {
                format!("{y:.1}")
            }
        })
        .y_desc(plot.y_label.clone())
        .label_style(label_style.clone())
        .axis_desc_style(label_style.clone())
        .draw()
        .map_err(e)?;

    let bar_series = plot.series.iter().filter(|s| s.bars).count().max(1) as f64;
    let mut bar_index = 0.0;
    for s in &plot.series {
        let stroke = line(4.0).max(2);
        if s.bars {
            let width = 0.7 / bar_series;
            let offset = -0.35 + width * bar_index;
            bar_index += 1.0;
            let color = s.color;
            chart
                .draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                    v.map(|v| {
                        let x0 = i as f64 + offset;
                        Rectangle::new([(x0, 0.0), (x0 + width * 0.92, v)], color.filled())
                    })
                }))
                .map_err(e)?
                .label(s.label.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 18, y + 6)], color.filled())
                });
            continue;
        }
        // Lines break where a week has no value.
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => segments
                    .last_mut()
                    .map(|seg| seg.push((i as f64, *v)))
                    .unwrap_or(()),
                None => segments.push(Vec::new()),
            }
        }
        let style = ShapeStyle::from(&s.color).stroke_width(if s.dashed {
            (stroke / 2).max(1)
        } else {
            stroke
        });
        let color = s.color;
        let mut labelled = false;
        for seg in segments.into_iter().filter(|seg| !seg.is_empty()) {
            let anno = if s.dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        seg.clone(),
                        line(12.0).max(4),
                        line(8.0).max(3),
                        style,
                    ))
                    .map_err(e)?
            } else {
                if seg.len() == 1 || n <= 26 {
                    chart
                        .draw_series(
                            seg.iter()
                                .map(|p| Circle::new(*p, line(5.0).max(2), color.filled())),
                        )
                        .map_err(e)?;
                }
                chart
                    .draw_series(LineSeries::new(seg.clone(), style))
                    .map_err(e)?
            };
            if !labelled {
                anno.label(s.label.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
                labelled = true;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(palette::GRID)
        .label_font(label_style)
        .draw()
        .map_err(e)?;
    Ok(chart.plotting_area().get_pixel_range())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(title: &str) -> Plot {
        Plot {
            title: title.to_string(),
            subtitle: vec!["Period x".into()],
            x_labels: vec!["2026-W01".into(), "2026-W02".into(), "2026-W03".into()],
            x_keys: (0..3).map(PointKey::Week).collect(),
            series: vec![PlotSeries {
                label: "median".into(),
                color: palette::PRIMARY,
                values: vec![Some(1.0), None, Some(3.0)],
                bars: false,
                dashed: false,
            }],
            y_label: "hours".into(),
            y_percent: false,
            footnote: Some("note".into()),
        }
    }

    #[test]
    fn svg_escapes_text_from_data() {
        let svg = render_plot(
            &plot("<script>alert(1)</script> & \"x\""),
            800,
            450,
            ChartFormat::Svg,
        )
        .expect("svg");
        let text = String::from_utf8(svg).expect("utf8");
        assert!(!text.contains("<script>"));
        assert!(text.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_plotting_area_lies_inside_the_picture_below_the_title() {
        for format in [ChartFormat::Svg, ChartFormat::Png] {
            let (_, (x, y)) = render_mapped(&plot("t"), 1200, 700, format).expect("render");
            assert!(0 < x.start && x.start < x.end && x.end <= 1200, "{x:?}");
            assert!(60 < y.start && y.start < y.end && y.end <= 700, "{y:?}");
        }
    }

    #[test]
    fn png_has_the_requested_size() {
        let png = render_plot(&plot("t"), 1920, 1080, ChartFormat::Png).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((w, h), (1920, 1080));
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(matches!(
            render_plot(&plot("t"), 10, 10, ChartFormat::Png),
            Err(ChartError::BadSize { .. })
        ));
    }
}
