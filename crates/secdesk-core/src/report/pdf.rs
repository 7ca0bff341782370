//! SVG pages → one vector PDF (svg2pdf), text set in the bundled font so the
//! PDF's text can be searched and copied.

use std::collections::HashMap;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};
use svg2pdf::usvg;

use super::document::{PAGE_H, PAGE_W};
use crate::error::ReportError;

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

fn options() -> usvg::Options<'static> {
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    db.set_serif_family("DejaVu Sans");
    db.set_monospace_family("DejaVu Sans");
    opt.font_family = "DejaVu Sans".into();
    opt
}

/// Renders SVG pages (each A4, in points) into one PDF document.
pub fn pdf_from_svg_pages(pages: &[String], title: &str) -> Result<Vec<u8>, ReportError> {
    let opt = options();
    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let tree_id = alloc.bump();
    let info_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::new();
    let mut chunks = Vec::new();
    for (i, svg) in pages.iter().enumerate() {
        let tree = usvg::Tree::from_str(svg, &opt)
            .map_err(|e| ReportError::Pdf(format!("page {}: {e}", i + 1)))?;
        let (chunk, svg_ref) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| ReportError::Pdf(format!("page {}: {e}", i + 1)))?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let svg_id = *map
            .get(&svg_ref)
            .ok_or_else(|| ReportError::Pdf("lost the page's drawing".into()))?;
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        let name = Name(b"S1");
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().x_objects().pair(name, svg_id);
        page.finish();
        let mut content = Content::new();
        content
            .transform([PAGE_W, 0.0, 0.0, PAGE_H, 0.0, 0.0])
            .x_object(name);
        pdf.stream(content_id, &content.finish());
        page_ids.push(page_id);
        chunks.push(chunk);
    }
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("secdesk"));
    for c in &chunks {
        pdf.extend(c);
    }
    Ok(pdf.finish())
}
