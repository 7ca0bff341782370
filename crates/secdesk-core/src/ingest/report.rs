//! What an import decided and found, shown to the user and stored with it:
//! the report, the rows it rejected (row, column, value, reason), values it
//! could not read, and the outcome of storing the file. Also the CSV of
//! rejected rows.

use serde::Serialize;

use super::sniff::RawTable;
use super::timeparse::DateDecision;
use crate::calendar::SourceZone;
use crate::error::ImportError;
use crate::format::NumberStyle;
use crate::model::Feed;
use crate::store::{ImportEntry, ImportRecord};
use crate::table::Table;

/// A row that was not stored, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RowReject {
    /// Row number as a spreadsheet shows it (header = 1).
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A value that could not be read in an optional column: the row was stored without it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueWarning {
    pub column: String,
    pub count: usize,
    /// The first example: row, value, reason.
    pub example_row: usize,
    pub example_value: String,
    pub reason: String,
}

/// Everything an import decided and found, shown to the user and stored with it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub kind: &'static str,
    pub format: String,
    pub format_label: String,
    pub source: String,
    pub encoding: String,
    pub delimiter: String,
    pub header_rows: usize,
    pub preamble_rows: usize,
    pub sha256: String,
    pub mapping: Vec<String>,
    /// (header, decision) for every timestamp column.
    pub date_columns: Vec<(String, DateDecision)>,
    pub source_time_zone: String,
    /// Data rows read (blank rows excluded).
    pub rows_read: usize,
    /// Canonical records produced (tickets, or survey responses).
    pub records: usize,
    pub events: usize,
    pub rejected: Vec<RowReject>,
    pub skipped_blank_rows: usize,
    /// Totals/summary rows at the bottom, skipped.
    pub skipped_total_rows: Vec<usize>,
    /// Rows that were not ratings (`offered`, `unoffered`, unanswered), skipped.
    pub skipped_unrated_rows: usize,
    /// Survey responses never submitted (no submission time), skipped.
    pub skipped_incomplete_rows: usize,
    /// The column survey ratings were read from.
    pub rating_column: Option<String>,
    /// Ids that appeared on several rows: the last row wins.
    pub duplicate_ids: usize,
    pub warnings: Vec<ValueWarning>,
    pub notes: Vec<String>,
    /// Per metric family, the column that feeds it or why none does.
    pub coverage: Vec<Feed>,
}

impl ImportReport {
    pub(crate) fn new(table: &RawTable, kind: &'static str, zone: SourceZone) -> ImportReport {
        let lines = &table.source.repaired_lines;
        let mut notes = table.source.notes.clone();
        if !lines.is_empty() {
            let shown: Vec<String> = lines.iter().take(10).map(usize::to_string).collect();
            notes.push(format!(
                "bytes that are not UTF-8 were read as Windows-1252 on line{} {}{}: check those cells",
                if lines.len() == 1 { "" } else { "s" },
                shown.join(", "),
                if lines.len() > 10 { " …" } else { "" }
            ));
        }
        ImportReport {
            file: table.file.clone(),
            kind,
            format: String::new(),
            format_label: String::new(),
            source: String::new(),
            encoding: table.source.encoding.to_string(),
            delimiter: table.layout.delimiter_name().to_string(),
            header_rows: table.layout.header_rows,
            preamble_rows: table.layout.preamble_rows,
            sha256: table.source.sha256.clone(),
            mapping: Vec::new(),
            date_columns: Vec::new(),
            source_time_zone: zone.name(),
            rows_read: 0,
            records: 0,
            events: 0,
            rejected: Vec::new(),
            skipped_blank_rows: 0,
            skipped_total_rows: Vec::new(),
            skipped_unrated_rows: 0,
            skipped_incomplete_rows: 0,
            rating_column: None,
            duplicate_ids: 0,
            warnings: Vec::new(),
            notes,
            coverage: Vec::new(),
        }
    }

    /// What the import history records of this import.
    pub fn entry(&self) -> ImportEntry {
        ImportEntry {
            kind: self.kind.to_string(),
            source: self.source.clone(),
            file: self.file.clone(),
            sha256: self.sha256.clone(),
            format: self.format.clone(),
            rows_read: self.rows_read,
            records: self.records,
            rejected: self.rejected.len(),
            mapping: serde_json::to_string(&self.mapping).unwrap_or_default(),
            report: serde_json::to_string(self).unwrap_or_default(),
        }
    }

    pub(crate) fn warn(&mut self, column: &str, row: usize, value: &str, reason: &str) {
        if let Some(w) = self
            .warnings
            .iter_mut()
            .find(|w| w.column == column && w.reason == reason)
        {
            w.count += 1;
            return;
        }
        self.warnings.push(ValueWarning {
            column: column.to_string(),
            count: 1,
            example_row: row,
            example_value: value.to_string(),
            reason: reason.to_string(),
        });
    }
}

/// What happened to a file given to `import`.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub report: ImportReport,
    /// The stored import, or the earlier import of the same file.
    pub record: ImportRecord,
    /// True when the same file had been imported before and nothing changed.
    pub already_imported: bool,
}

/// The rejected rows as a table: row, column, value, reason.
pub fn rejects_table(rejects: &[RowReject]) -> Table {
    let mut t = Table::new("rejected rows", &["row", "column", "value", "reason"]);
    for r in rejects {
        t.push(vec![
            (r.row as i64).into(),
            r.column.clone().into(),
            r.value.clone().into(),
            r.reason.clone().into(),
        ]);
    }
    t
}

/// Writes the rejected rows as CSV (cells a spreadsheet would run as a
/// formula neutralised; written whole or not at all).
pub fn write_rejects(
    path: &std::path::Path,
    rejects: &[RowReject],
    style: &NumberStyle,
) -> Result<(), ImportError> {
    rejects_table(rejects)
        .write_csv(path, style)
        .map_err(|e| ImportError::Io {
            file: path.display().to_string(),
            message: e.message,
        })
}
