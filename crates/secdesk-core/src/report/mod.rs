//! The weekly report a security manager forwards, and a staff member's
//! personal stats: figures (`WeeklyReport`, `PersonalStats`), their layout as
//! a [`Document`], and its rendering to self-contained HTML or vector PDF.
//! `--redact` replaces requester names and emails by stable pseudonyms.

mod document;
mod pdf;
mod personal;
mod redact;
mod text;
mod week;
mod weekly;

pub use document::{escape, render_html, render_svg_pages, Block, Cell, Document, Tone};
pub use pdf::pdf_from_svg_pages;
pub use personal::{personal_document, personal_stats, PersonalRow, PersonalStats, PersonalWeek};
pub use redact::Redactor;
pub use week::{
    action_lists, last_complete_week, previous_quarter, saved_targets, scorecard_for_week,
    trend_figures, week_figures, ActionLists,
};
pub use weekly::{weekly_document, weekly_report, WeeklyReport};

use crate::error::ReportError;
use crate::impact::ContactCosts;
use crate::scorecard::Targets;

/// Charts the weekly report carries (names of `chart::CHARTS`).
pub const REPORT_CHARTS: [&str; 3] = [
    "first-response-weekly",
    "csat-by-first-response",
    "impact-weekly",
];

/// Weeks of trend in the scorecard and headline.
pub const TREND_WEEKS: i64 = 4;
/// Weeks the charts and personal stats cover.
pub const HISTORY_WEEKS: i64 = 12;

/// How to build a report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// ISO week index; `None` = the last complete week before as_of.
    pub week: Option<i64>,
    /// Replace requester names and emails by pseudonyms.
    pub redact: bool,
    /// Secret that keys the pseudonyms (stable per database).
    pub salt: String,
    /// `None` = the documented defaults for the config.
    pub targets: Option<Targets>,
    pub costs: ContactCosts,
    /// Printed after amounts of money (the hourly cost's currency).
    pub currency: String,
    /// How numbers are written (the setting `number_locale`).
    pub numbers: &'static crate::format::NumberStyle,
    /// Where the data came from (file names).
    pub sources: String,
    /// Longest action list printed (the rest is counted).
    pub list_limit: usize,
    /// Why a metric family has no data (see `coverage::no_data_reasons`):
    /// written instead of a number.
    pub no_data: std::collections::BTreeMap<String, String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            week: None,
            redact: false,
            salt: String::new(),
            targets: None,
            costs: ContactCosts::default(),
            currency: "$".into(),
            numbers: crate::format::EN,
            sources: String::new(),
            list_limit: 25,
            no_data: std::collections::BTreeMap::new(),
        }
    }
}

/// Output format of a report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Html,
}

impl ReportFormat {
    pub fn from_path(p: &std::path::Path) -> Result<ReportFormat, ReportError> {
        match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("pdf") => Ok(ReportFormat::Pdf),
            Some("html") | Some("htm") => Ok(ReportFormat::Html),
            _ => Err(ReportError::UnknownFormat {
                path: p.display().to_string(),
            }),
        }
    }
}

/// Renders a document to the bytes of a file.
pub fn render(doc: &Document, format: ReportFormat) -> Result<Vec<u8>, ReportError> {
    match format {
        ReportFormat::Html => Ok(render_html(doc).into_bytes()),
        ReportFormat::Pdf => pdf_from_svg_pages(&render_svg_pages(doc), &doc.title),
    }
}

/// Renders a document in the format its path names (.pdf or .html) and writes it.
pub fn write_file(doc: &Document, path: &std::path::Path) -> Result<(), ReportError> {
    let bytes = render(doc, ReportFormat::from_path(path)?)?;
    crate::paths::write_whole(path, &bytes).map_err(|e| ReportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}
