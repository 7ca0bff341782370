//! A report as a list of blocks (title, headings, text, tables, charts), and
//! its two renderings: one self-contained HTML page, and A4 pages of SVG that
//! `pdf` turns into a vector PDF. Every text is escaped here, once.

/// How a table cell is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Near,
    Bad,
    Muted,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub tone: Tone,
    pub right: bool,
}

impl Cell {
    pub fn text(t: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            tone: Tone::Plain,
            right: false,
        }
    }

    pub fn number(t: impl Into<String>) -> Cell {
        Cell {
            text: t.into(),
            tone: Tone::Plain,
            right: true,
        }
    }

    pub fn toned(mut self, tone: Tone) -> Cell {
        self.tone = tone;
        self
    }
}

/// One block of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title {
        title: String,
        lines: Vec<String>,
    },
    Heading(String),
    Text(String),
    Table {
        header: Vec<String>,
        /// Relative column widths.
        widths: Vec<f32>,
        rows: Vec<Vec<Cell>>,
    },
    Chart {
        svg: String,
        width: u32,
        height: u32,
    },
}

/// A report ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// Printed at the foot of every PDF page.
    pub footer: String,
    pub blocks: Vec<Block>,
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const PAPER: &str = "#ffffff";
const TEXT: &str = "#222b33";
const MUTED: &str = "#6b7580";
const RULE: &str = "#d5dbe1";
const PRIMARY: &str = "#1f4e79";
const GOOD: &str = "#2f855a";
const NEAR: &str = "#b7791f";
const BAD: &str = "#c0392b";

fn tone_colour(t: Tone) -> &'static str {
    match t {
        Tone::Plain => TEXT,
        Tone::Good => GOOD,
        Tone::Near => NEAR,
        Tone::Bad => BAD,
        Tone::Muted => MUTED,
    }
}

fn tone_class(t: Tone) -> &'static str {
    match t {
        Tone::Plain => "",
        Tone::Good => "good",
        Tone::Near => "near",
        Tone::Bad => "bad",
        Tone::Muted => "muted",
    }
}

/// Columns whose cells are right-aligned numbers (from the first full row).
fn numeric_columns(rows: &[Vec<Cell>]) -> Vec<bool> {
    rows.iter()
        .find(|r| r.len() > 1)
        .map(|r| r.iter().map(|c| c.right).collect())
        .unwrap_or_default()
}

/// The chart's SVG without its XML prolog, for inline use.
fn inline_svg(svg: &str) -> &str {
    let start = svg.find("<svg").unwrap_or(0);
    &svg[start..]
}

/// One self-contained HTML page: styles inline, charts as inline SVG.
pub fn render_html(doc: &Document) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    h.push_str(&format!("<title>{}</title>", escape(&doc.title)));
    h.push_str(&format!(
        "<style>body{{font-family:'DejaVu Sans',Verdana,sans-serif;color:{TEXT};background:{PAPER};max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.4}}\
h1{{color:{PRIMARY};margin-bottom:.2em}}h2{{color:{PRIMARY};border-bottom:1px solid {RULE};padding-bottom:.2em;margin-top:1.6em}}\
.lines{{color:{MUTED};margin:0}}table{{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}}\
th,td{{border-bottom:1px solid {RULE};padding:.3em .5em;text-align:left;vertical-align:top}}th{{color:{MUTED};font-weight:normal}}\
th.num{{text-align:right}}tr.section td{{color:{PRIMARY};font-weight:bold;padding-top:.8em}}td.num{{text-align:right;font-variant-numeric:tabular-nums}}.good{{color:{GOOD}}}.near{{color:{NEAR}}}.bad{{color:{BAD};font-weight:bold}}.muted{{color:{MUTED}}}\
figure{{margin:1em 0}}figure svg{{width:100%;height:auto;border:1px solid {RULE}}}footer{{color:{MUTED};margin-top:2em;font-size:.85em}}</style></head><body>\n"
    ));
    for b in &doc.blocks {
        match b {
            Block::Title { title, lines } => {
                h.push_str(&format!("<h1>{}</h1>\n", escape(title)));
                for l in lines {
                    h.push_str(&format!("<p class=\"lines\">{}</p>\n", escape(l)));
                }
            }
            Block::Heading(t) => h.push_str(&format!("<h2>{}</h2>\n", escape(t))),
            Block::Text(t) => h.push_str(&format!("<p>{}</p>\n", escape(t))),
            Block::Table { header, rows, .. } => {
                let numeric = numeric_columns(rows);
                h.push_str("<table><thead><tr>");
                for (i, c) in header.iter().enumerate() {
                    if numeric.get(i).copied().unwrap_or(false) {
                        h.push_str(&format!("<th class=\"num\">{}</th>", escape(c)));
                    } else {
                        h.push_str(&format!("<th>{}</th>", escape(c)));
                    }
                }
                h.push_str("</tr></thead><tbody>\n");
                for r in rows {
                    if let [only] = r.as_slice() {
                        h.push_str(&format!(
                            "<tr class=\"section\"><td colspan=\"{}\">{}</td></tr>\n",
                            header.len().max(1),
                            escape(&only.text)
                        ));
                        continue;
                    }
                    h.push_str("<tr>");
                    for c in r {
                        let mut class = tone_class(c.tone).to_string();
                        if c.right {
                            class = format!("{class} num").trim().to_string();
                        }
                        if class.is_empty() {
                            h.push_str(&format!("<td>{}</td>", escape(&c.text)));
                        } else {
                            h.push_str(&format!("<td class=\"{class}\">{}</td>", escape(&c.text)));
                        }
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody></table>\n");
            }
            Block::Chart { svg, .. } => {
                h.push_str("<figure>");
                h.push_str(inline_svg(svg));
                h.push_str("</figure>\n");
            }
        }
    }
    h.push_str(&format!(
        "<footer>{}</footer>\n</body></html>\n",
        escape(&doc.footer)
    ));
    h
}

/// A4 in PostScript points.
pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 40.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const BOTTOM: f32 = PAGE_H - 50.0;

/// Approximate advance of a DejaVu Sans character, in ems.
fn char_em(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.32,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
        c if c.is_uppercase() => 0.7,
        c if c.is_ascii_digit() => 0.64,
        _ => 0.6,
    }
}

fn text_width(s: &str, size: f32) -> f32 {
    s.chars().map(char_em).sum::<f32>() * size
}

/// Cuts a text to a width, ending it with "…" when cut.
fn fit(s: &str, size: f32, width: f32) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…", size);
    for c in s.chars() {
        w += char_em(c) * size;
        if w > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Splits a text into lines that fit a width.
fn wrap(s: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = fit(word, size, width);
        } else {
            line = fit(&candidate, size, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Pages {
    pages: Vec<String>,
    body: String,
    y: f32,
}

impl Pages {
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN + 1.0 {
            self.pages.push(std::mem::take(&mut self.body));
            self.y = MARGIN;
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, colour: &str, anchor_end: bool, s: &str) {
        self.body.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-family=\"DejaVu Sans\" font-size=\"{size}\" fill=\"{colour}\"{}>{}</text>\n",
            if anchor_end { " text-anchor=\"end\"" } else { "" },
            escape(s)
        ));
    }

    fn rule(&mut self, y: f32) {
        self.body.push_str(&format!(
            "<line x1=\"{MARGIN}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{RULE}\" stroke-width=\"0.6\"/>\n",
            PAGE_W - MARGIN
        ));
    }
}

/// The chart's drawing, scaled into a box of the page.
fn embed_chart(svg: &str, x: f32, y: f32, scale: f32) -> String {
    let body = inline_svg(svg);
    let inner_start = body.find('>').map_or(0, |i| i + 1);
    let inner_end = body.rfind("</svg>").unwrap_or(body.len());
    format!(
        "<g transform=\"translate({x:.2} {y:.2}) scale({scale:.5})\">{}</g>\n",
        &body[inner_start..inner_end.max(inner_start)]
    )
}

/// Lays the document out on A4 pages; each page is one SVG document.
pub fn render_svg_pages(doc: &Document) -> Vec<String> {
    let mut p = Pages {
        pages: Vec::new(),
        body: String::new(),
        y: MARGIN,
    };
    for (index, b) in doc.blocks.iter().enumerate() {
        match b {
            Block::Title { title, lines } => {
                p.ensure(30.0 + 12.0 * lines.len() as f32);
                p.y += 18.0;
                let t = fit(title, 18.0, CONTENT_W);
                p.text(MARGIN, p.y, 18.0, PRIMARY, false, &t);
                p.y += 6.0;
                for l in lines {
                    for l in wrap(l, 8.5, CONTENT_W) {
                        p.y += 12.0;
                        p.text(MARGIN, p.y, 8.5, MUTED, false, &l);
                    }
                }
                p.y += 8.0;
            }
            Block::Heading(t) => {
                // Keep a heading with the start of what follows it.
                let next = match doc.blocks.get(index + 1) {
                    Some(Block::Chart { width, height, .. }) => {
                        *height as f32 * CONTENT_W / (*width).max(1) as f32 + 12.0
                    }
                    _ => 60.0,
                };
                p.ensure(32.0 + next);
                p.y += 20.0;
                p.text(MARGIN, p.y, 12.5, PRIMARY, false, &fit(t, 12.5, CONTENT_W));
                p.y += 4.0;
                p.rule(p.y);
                p.y += 4.0;
            }
            Block::Text(t) => {
                let lines = wrap(t, 8.5, CONTENT_W);
                for l in lines {
                    p.ensure(12.0);
                    p.y += 12.0;
                    p.text(MARGIN, p.y, 8.5, TEXT, false, &l);
                }
                p.y += 4.0;
            }
            Block::Table {
                header,
                widths,
                rows,
            } => {
                let total: f32 = widths.iter().sum::<f32>().max(1.0);
                let cols: Vec<f32> = widths.iter().map(|w| w / total * CONTENT_W).collect();
                let size = 7.5;
                let row_h = 12.5;
                let numeric = numeric_columns(rows);
                let draw_header = |p: &mut Pages| {
                    p.y += row_h;
                    let mut x = MARGIN;
                    for (i, h) in header.iter().enumerate() {
                        let w = cols.get(i).copied().unwrap_or(60.0);
                        let h = fit(h, size, w - 4.0);
                        if numeric.get(i).copied().unwrap_or(false) {
                            p.text(x + w - 2.0, p.y - 3.5, size, MUTED, true, &h);
                        } else {
                            p.text(x + 2.0, p.y - 3.5, size, MUTED, false, &h);
                        }
                        x += w;
                    }
                    p.rule(p.y);
                };
                p.ensure(row_h * 3.0);
                draw_header(&mut p);
                for r in rows {
                    if p.y + row_h > BOTTOM {
                        p.ensure(row_h * 2.0);
                        draw_header(&mut p);
                    }
                    p.y += row_h;
                    if let [only] = r.as_slice() {
                        let t = fit(&only.text, size + 0.5, CONTENT_W - 4.0);
                        p.text(MARGIN + 2.0, p.y - 3.0, size + 0.5, PRIMARY, false, &t);
                        p.rule(p.y);
                        continue;
                    }
                    let mut x = MARGIN;
                    for (i, c) in r.iter().enumerate() {
                        let w = cols.get(i).copied().unwrap_or(60.0);
                        let t = fit(&c.text, size, w - 4.0);
                        if c.right {
                            p.text(x + w - 2.0, p.y - 3.5, size, tone_colour(c.tone), true, &t);
                        } else {
                            p.text(x + 2.0, p.y - 3.5, size, tone_colour(c.tone), false, &t);
                        }
                        x += w;
                    }
                    p.rule(p.y);
                }
                p.y += 6.0;
            }
            Block::Chart { svg, width, height } => {
                let scale = CONTENT_W / (*width).max(1) as f32;
                let h = *height as f32 * scale;
                p.ensure(h + 8.0);
                p.y += 4.0;
                p.body.push_str(&embed_chart(svg, MARGIN, p.y, scale));
                p.y += h + 4.0;
            }
        }
    }
    if !p.body.is_empty() || p.pages.is_empty() {
        p.pages.push(std::mem::take(&mut p.body));
    }
    let n = p.pages.len();
    p.pages
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{PAGE_W}\" height=\"{PAGE_H}\" viewBox=\"0 0 {PAGE_W} {PAGE_H}\">\n\
<rect width=\"{PAGE_W}\" height=\"{PAGE_H}\" fill=\"{PAPER}\"/>\n{body}\
<text x=\"{MARGIN}\" y=\"{:.1}\" font-family=\"DejaVu Sans\" font-size=\"7\" fill=\"{MUTED}\">{}</text>\n\
<text x=\"{:.1}\" y=\"{:.1}\" font-family=\"DejaVu Sans\" font-size=\"7\" fill=\"{MUTED}\" text-anchor=\"end\">page {} of {n}</text>\n</svg>\n",
                PAGE_H - 24.0,
                escape(&fit(&doc.footer, 7.0, CONTENT_W - 60.0)),
                PAGE_W - MARGIN,
                PAGE_H - 24.0,
                i + 1
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document {
            title: "T <1>".into(),
            footer: "foot & note".into(),
            blocks: vec![
                Block::Title {
                    title: "Weekly <report>".into(),
                    lines: vec!["line \"one\"".into()],
                },
                Block::Table {
                    header: vec!["a".into(), "b".into()],
                    widths: vec![1.0, 1.0],
                    rows: (0..200)
                        .map(|i| {
                            vec![
                                Cell::text(format!("<img src=x onerror=alert({i})>")),
                                Cell::number("1"),
                            ]
                        })
                        .collect(),
                },
            ],
        }
    }

    #[test]
    fn markup_in_data_is_text_in_both_renderings() {
        let d = doc();
        let html = render_html(&d);
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(0)&gt;"));
        let pages = render_svg_pages(&d);
        assert!(pages.iter().all(|p| !p.contains("<img")));
    }

    #[test]
    fn long_tables_flow_onto_more_pages_with_their_header() {
        let pages = render_svg_pages(&doc());
        assert!(pages.len() >= 3, "{} pages", pages.len());
        assert!(pages[1].contains(">a</text>"));
        assert!(pages
            .last()
            .is_some_and(|p| p.contains(&format!("page {n} of {n}", n = pages.len()))));
    }

    #[test]
    fn text_is_cut_to_its_column() {
        let t = fit("a very long category name that cannot fit", 8.0, 60.0);
        assert!(t.ends_with('…'));
        assert!(text_width(&t, 8.0) <= 60.0 + 0.1);
        assert_eq!(wrap("one two three", 10.0, 1000.0), vec!["one two three"]);
    }
}
