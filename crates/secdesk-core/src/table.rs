//! A table as the user takes it elsewhere: named columns of typed cells,
//! written as CSV (every text cell safe from CSV injection, numbers left as
//! numbers) or as an Excel workbook with typed cells (numbers as numbers,
//! instants as dates, text as text) through rust_xlsxwriter. Files are
//! written to a temporary name and renamed.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::calendar::instant_text;
use crate::format::{csv_safe, NumberStyle};
use crate::model::Instant;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// UTC milliseconds.
    Instant(Instant),
}

impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Value {
        match v {
            Some(v) if v.is_finite() => Value::Number(v),
            _ => Value::Empty,
        }
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Some(v).into()
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Number(v as f64)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        v.map_or(Value::Empty, Value::Text)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Text(if v { "yes" } else { "no" }.into())
    }
}

/// A named table (the sheet's name in a workbook).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Why a table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {message}")]
pub struct TableError {
    pub path: String,
    pub message: String,
}

fn failed(path: &Path, message: impl ToString) -> TableError {
    TableError {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// Writes bytes whole ([`crate::paths::write_whole`]).
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), TableError> {
    crate::paths::write_whole(path, bytes).map_err(|e| failed(path, e))
}

impl Table {
    pub fn new(name: &str, columns: &[&str]) -> Table {
        Table {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    /// The CSV text: a header, then every row; texts that a spreadsheet
    /// would run as a formula get a leading `'`; instants are RFC 3339 UTC;
    /// numbers in the style's decimal mark, ungrouped, and `;` between cells
    /// where that mark is a comma (what a spreadsheet of that locale reads).
    pub fn csv(&self, style: &NumberStyle) -> Result<Vec<u8>, String> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(style.csv_delimiter())
            .from_writer(Vec::new());
        let header: Vec<String> = self
            .columns
            .iter()
            .map(|c| csv_safe(c, false).into_owned())
            .collect();
        w.write_record(&header).map_err(|e| e.to_string())?;
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| match v {
                    Value::Empty => String::new(),
                    Value::Text(t) => csv_safe(t, false).into_owned(),
                    Value::Number(n) => style.plain(*n),
                    Value::Instant(t) => instant_text(*t),
                })
                .collect();
            w.write_record(&cells).map_err(|e| e.to_string())?;
        }
        w.into_inner().map_err(|e| e.to_string())
    }

    pub fn write_csv(&self, path: &Path, style: &NumberStyle) -> Result<(), TableError> {
        write_replacing(path, &self.csv(style).map_err(|e| failed(path, e))?)
    }

    /// Writes tables as the sheets of one workbook.
    pub fn write_xlsx(tables: &[&Table], path: &Path) -> Result<(), TableError> {
        let bytes = Table::xlsx(tables).map_err(|e| failed(path, e))?;
        write_replacing(path, &bytes)
    }

    fn xlsx(tables: &[&Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        for t in tables {
            let sheet = book.add_worksheet();
            // Sheet names: at most 31 characters, none of []:*?/\.
            let name: String = t
                .name
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect();
            sheet.set_name(if name.is_empty() { "table" } else { &name })?;
            for (c, title) in t.columns.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, title, &bold)?;
            }
            for (r, row) in t.rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, v) in row.iter().enumerate() {
                    let c = c as u16;
                    match v {
                        Value::Empty => {}
                        Value::Text(s) => {
                            sheet.write_string(r, c, s)?;
                        }
                        Value::Number(n) => {
                            sheet.write_number(r, c, *n)?;
                        }
                        Value::Instant(ms) => {
                            let when = ExcelDateTime::from_timestamp(ms.div_euclid(1000))?;
                            sheet.write_datetime_with_format(r, c, &when, &date)?;
                        }
                    }
                }
            }
            sheet.autofit();
        }
        book.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook_auto, Data, Reader};

    fn table() -> Table {
        let mut t = Table::new("tickets", &["id", "created", "wait h", "note"]);
        t.push(vec![
            "T-1".into(),
            Value::Instant(1_795_597_200_000),
            Value::Number(-3.5),
            "=HYPERLINK(\"http://x\")".into(),
        ]);
        t.push(vec![
            "+T2".into(),
            Value::Empty,
            12.0.into(),
            "@SUM(A1)".into(),
        ]);
        t
    }

    #[test]
    fn csv_cells_are_safe_and_numbers_stay_numbers() {
        let text = String::from_utf8(table().csv(crate::format::EN).expect("csv")).expect("utf8");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
        assert_eq!(&rows[0][1], "2026-11-25T09:00:00Z");
        assert_eq!(&rows[0][2], "-3.5");
        assert_eq!(&rows[0][3], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&rows[1][0], "'+T2");
        assert_eq!(&rows[1][3], "'@SUM(A1)");
        for row in &rows {
            for cell in row.iter() {
                assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell}");
                assert!(
                    !cell.starts_with('-') || cell.parse::<f64>().is_ok(),
                    "{cell}"
                );
            }
        }
    }

    #[test]
    fn a_decimal_comma_locale_gets_semicolons_and_commas() {
        let de = NumberStyle::of("de").expect("de");
        let text = String::from_utf8(table().csv(de).expect("csv")).expect("utf8");
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
        assert_eq!(&rows[0][2], "-3,5");
        assert_eq!(&rows[1][2], "12");
        assert_eq!(&rows[0][3], "'=HYPERLINK(\"http://x\")");
    }

    #[test]
    fn workbook_cells_are_typed() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.xlsx");
        Table::write_xlsx(&[&table()], &path).expect("xlsx");
        let mut book = open_workbook_auto(&path).expect("open");
        let sheet = book.worksheet_range("tickets").expect("sheet");
        assert_eq!(
            sheet.get_value((0, 2)),
            Some(&Data::String("wait h".into()))
        );
        assert_eq!(sheet.get_value((1, 2)), Some(&Data::Float(-3.5)));
        assert!(matches!(sheet.get_value((1, 1)), Some(Data::DateTime(_))));
        // A formula-looking text is text in a workbook (never a formula).
        assert_eq!(
            sheet.get_value((1, 3)),
            Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }
}
