//! Drawing a [`Plot`] with plotters into SVG or PNG (with the bundled font,
//! so every machine renders the same picture), and where its plotting area
//! lies in pixels.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette;
use super::{ChartFormat, Heat, Plot};
use crate::error::ChartError;

static FONT: OnceLock<bool> = OnceLock::new();

fn ensure_font() -> Result<(), ChartError> {
    let ok = *FONT.get_or_init(|| {
        plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../../assets/DejaVuSans.ttf"),
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

pub(super) type PixelRange = (std::ops::Range<i32>, std::ops::Range<i32>);

/// Renders a plot description; also returns its plotting area in pixels.
pub(super) fn render_mapped(
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

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &Plot,
) -> Result<PixelRange, String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let surface = if plot.dark {
        palette::DARK
    } else {
        palette::LIGHT
    };
    root.fill(&surface.background).map_err(e)?;
    let (w, h) = root.dim_in_pixel();
    let unit = (h as f64 / 1080.0).max(0.55) * (w as f64 / 1920.0).clamp(0.6, 1.6).sqrt();
    let px = |x: f64| (x * unit).round().max(8.0) as i32;
    // Text stays readable on small pictures; lines stay thin on them.
    let font = |x: f64| (x * unit).round().max(12.0) as i32;
    let line = |x: f64| (x * unit).round().max(1.0) as u32;
    let title_style = ("sans-serif", font(44.0)).into_font().color(&surface.text);
    let sub_style = ("sans-serif", font(24.0)).into_font().color(&surface.muted);
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
            ("sans-serif", font(24.0)).into_font().color(&surface.text),
        ))
        .map_err(e)?;
    }

    if let Some(heat) = &plot.heat {
        return draw_heat(&body, plot, heat, &surface, (margin, px, font));
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
    let label_style = ("sans-serif", font(22.0)).into_font().color(&surface.text);
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
                .color(&surface.muted)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(e)?;
    }
    chart
        .configure_mesh()
        .light_line_style(surface.grid)
        .bold_line_style(surface.grid)
        .axis_style(surface.muted)
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
                plot.numbers.thousands(*y, 1)
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
            let color = surface.shown(s.color);
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
        let style = ShapeStyle::from(&surface.shown(s.color)).stroke_width(if s.dashed {
            (stroke / 2).max(1)
        } else {
            stroke
        });
        let color = surface.shown(s.color);
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
        .background_style(surface.background.mix(0.85))
        .border_style(surface.grid)
        .label_font(label_style)
        .draw()
        .map_err(e)?;
    Ok(chart.plotting_area().get_pixel_range())
}

/// A grid of cells, rows top to bottom, the x labels left to right; a cell's
/// colour grows with its value, its note is printed in it where it fits.
fn draw_heat<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    plot: &Plot,
    heat: &Heat,
    surface: &palette::Surface,
    (margin, px, font): (i32, impl Fn(f64) -> i32, impl Fn(f64) -> i32),
) -> Result<PixelRange, String> {
    let e = |x: DrawingAreaErrorKind<DB::ErrorType>| x.to_string();
    let (cols, rows) = (plot.x_labels.len().max(1), heat.rows.len().max(1));
    let label_style = ("sans-serif", font(22.0)).into_font().color(&surface.text);
    let mut chart = ChartBuilder::on(body)
        .margin(margin)
        .x_label_area_size(px(70.0))
        .y_label_area_size(px(110.0))
        .build_cartesian_2d(-0.5f64..(cols as f64 - 0.5), -0.5f64..(rows as f64 - 0.5))
        .map_err(e)?;
    let (x_labels, row_labels) = (plot.x_labels.clone(), heat.rows.clone());
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(surface.muted)
        .x_labels(cols)
        .y_labels(rows)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            x_labels.get(i as usize).cloned().unwrap_or_default()
        })
        // The first row at the top.
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            row_labels
                .get(rows.saturating_sub(1 + i as usize))
                .cloned()
                .unwrap_or_default()
        })
        .x_desc("hour of creation")
        .y_desc(plot.y_label.clone())
        .label_style(label_style.clone())
        .axis_desc_style(label_style)
        .draw()
        .map_err(e)?;
    let max = heat
        .values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0f64, |m, v| m.max(*v));
    let cell_px = chart.plotting_area().get_pixel_range().0.len() as f64 / cols as f64;
    let note_style = ("sans-serif", font(18.0))
        .into_font()
        .color(&surface.text)
        .pos(Pos::new(HPos::Center, VPos::Center));
    for (r, row) in heat.values.iter().enumerate() {
        let y = (rows - 1 - r) as f64;
        for (c, v) in row.iter().enumerate() {
            let x = c as f64;
            let style = match v {
                Some(v) if max > 0.0 => surface.primary.mix(0.15 + 0.85 * v / max).filled(),
                _ => surface.grid.mix(0.35).filled(),
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.47, y - 0.45), (x + 0.47, y + 0.45)],
                    style,
                )))
                .map_err(e)?;
            let note = heat
                .notes
                .get(r)
                .and_then(|n| n.get(c))
                .filter(|n| !n.is_empty());
            if let (Some(note), true) = (note, cell_px >= 34.0) {
                // Notes are numbers written in English (the values table
                // reads them back): drawn in the settings' style.
                let shown = note
                    .parse::<f64>()
                    .map_or_else(|_| note.clone(), |v| plot.numbers.thousands(v, 1));
                chart
                    .draw_series(std::iter::once(Text::new(
                        shown,
                        (x, y),
                        note_style.clone(),
                    )))
                    .map_err(e)?;
            }
        }
    }
    Ok(chart.plotting_area().get_pixel_range())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{render_plot, PlotSeries};
    use crate::metrics::PointKey;

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
            heat: None,
            dark: false,
            numbers: crate::format::EN,
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
