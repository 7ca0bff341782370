//! Spreadsheets people download instead of CSV: Excel workbooks (`.xlsx`,
//! `.xlsm`, `.xlsb`, binary `.xls`, and `.ods`) through calamine, and the XML
//! Spreadsheet 2003 that Freshdesk calls "Excel". One sheet becomes the same
//! lossless table of text cells a CSV gives, with typed cells written the way
//! the value readers read them (date cells as ISO instants, whole numbers
//! without `.0`), so mapping and value parsing are the same as for CSV. What
//! a file is, is told from its bytes, not its name.

use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::sniff::SourceText;
use crate::error::ImportError;

/// What a file's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// Text (CSV, TSV…).
    Text,
    /// A zip container: `.xlsx`, `.xlsm`, `.xlsb` or `.ods`.
    Zip,
    /// An OLE compound file: binary `.xls`.
    Ole,
    /// XML Spreadsheet 2003 (`<ss:Workbook>`).
    Xml2003,
}

impl Container {
    /// Told from the first bytes.
    pub fn of(bytes: &[u8]) -> Container {
        if bytes.starts_with(b"PK\x03\x04") {
            Container::Zip
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            Container::Ole
        } else if is_xml_spreadsheet(bytes) {
            Container::Xml2003
        } else {
            Container::Text
        }
    }

    /// How the file is named to the user.
    pub fn label(self) -> &'static str {
        match self {
            Container::Text => "a text file",
            Container::Zip => "an Excel workbook (.xlsx)",
            Container::Ole => "an Excel 97-2003 workbook (.xls)",
            Container::Xml2003 => "an Excel XML workbook (XML Spreadsheet 2003)",
        }
    }
}

fn is_xml_spreadsheet(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('<') && text.contains("urn:schemas-microsoft-com:office:spreadsheet")
}

/// One sheet of a workbook as CSV text, with what was decided.
#[derive(Debug, Clone)]
pub struct SheetText {
    pub text: String,
    /// The sheet read.
    pub sheet: String,
    /// Every sheet of the workbook, in order.
    pub sheets: Vec<String>,
}

/// A whole number as a count is written; anything else as Rust writes the
/// shortest text that reads back to the same float.
fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                // A duration cell: minutes, as a duration column reads them.
                number_text(dt.as_f64() * 1440.0)
            } else {
                match dt.as_datetime() {
                    Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    None => number_text(dt.as_f64()),
                }
            }
        }
    }
}

fn workbook_error(file: &str, what: Container, message: impl std::fmt::Display) -> ImportError {
    ImportError::Workbook {
        file: file.to_string(),
        what: what.label().to_string(),
        message: message.to_string(),
    }
}

/// Chooses the sheet: the one asked for, else the first that has cells.
fn choose<'a>(
    file: &str,
    what: Container,
    names: &'a [String],
    wanted: Option<&str>,
    has_cells: impl Fn(&str) -> bool,
) -> Result<&'a String, ImportError> {
    match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
            .ok_or_else(|| ImportError::NoSuchSheet {
                file: file.to_string(),
                sheet: w.to_string(),
                sheets: names.to_vec(),
            }),
        None => names
            .iter()
            .find(|n| has_cells(n))
            .or_else(|| names.first())
            .ok_or_else(|| workbook_error(file, what, "the workbook has no sheet")),
    }
}

/// Writes rows of cells as CSV text (a row with no cells as one empty cell,
/// so that row numbers stay those the spreadsheet shows).
fn csv_text<I, R>(rows: I) -> Result<String, String>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let mut cells: Vec<String> = row.into_iter().collect();
        while cells.last().is_some_and(String::is_empty) && cells.len() > 1 {
            cells.pop();
        }
        if cells.is_empty() {
            cells.push(String::new());
        }
        w.write_record(&cells).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Reads one sheet of a workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`).
fn read_calamine(
    file: &str,
    what: Container,
    bytes: Vec<u8>,
    wanted: Option<&str>,
) -> Result<SheetText, ImportError> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| workbook_error(file, what, e))?;
    let names = book.sheet_names();
    let mut ranges = Vec::with_capacity(names.len());
    for n in &names {
        ranges.push(book.worksheet_range(n).ok());
    }
    let has_cells = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .and_then(|i| ranges[i].as_ref())
            .is_some_and(|r| !r.is_empty())
    };
    let sheet = choose(file, what, &names, wanted, has_cells)?.clone();
    let i = names.iter().position(|n| *n == sheet).unwrap_or(0);
    let range = match ranges.get_mut(i).and_then(Option::take) {
        Some(r) => r,
        None => book
            .worksheet_range(&sheet)
            .map_err(|e| workbook_error(file, what, e))?,
    };
    // Rows above the used range are blank rows of the sheet.
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let blank = std::iter::repeat_n(Vec::<String>::new(), first_row);
    let rows = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect::<Vec<_>>());
    let text = csv_text(blank.chain(rows)).map_err(|e| workbook_error(file, what, e))?;
    Ok(SheetText {
        text,
        sheet,
        sheets: names,
    })
}

/// The five predefined XML entities, and character references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(';') {
            Some(j) => {
                out.push_str(&entity(&after[..j]).unwrap_or_else(|| format!("&{};", &after[..j])));
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<String> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        n if n.starts_with("#x") || n.starts_with("#X") => {
            char::from_u32(u32::from_str_radix(&n[2..], 16).ok()?)?
        }
        n if n.starts_with('#') => char::from_u32(n[1..].parse().ok()?)?,
        _ => return None,
    };
    Some(c.to_string())
}

/// Whether an element event was self-closing (`<ss:Data/>`).
enum Kind {
    Empty,
    Other,
}

/// One worksheet of an XML Spreadsheet 2003, as rows of (column, text).
#[derive(Default)]
struct XmlSheet {
    name: String,
    rows: Vec<(usize, Vec<(usize, String)>)>,
}

/// Reads every worksheet of an XML Spreadsheet 2003 (`ss:Index` gaps and
/// `ss:MergeAcross` kept, so cells stay in their columns and rows).
fn parse_xml2003(file: &str, text: &str) -> Result<Vec<XmlSheet>, ImportError> {
    use quick_xml::events::Event;
    let what = Container::Xml2003;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut sheets: Vec<XmlSheet> = Vec::new();
    let (mut row_no, mut col_no) = (0usize, 0usize);
    let mut in_data = false;
    let mut value = String::new();
    let mut data_type = String::new();
    let mut merge = 0usize;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .map(|a| unescape(&a.value))
    };
    let index = |v: Option<String>| v.and_then(|s| s.trim().parse::<usize>().ok());
    loop {
        let event = reader
            .read_event()
            .map_err(|e| workbook_error(file, what, e))?;
        let event_kind = if matches!(event, Event::Empty(_)) {
            Kind::Empty
        } else {
            Kind::Other
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event_kind, Kind::Empty);
                match e.local_name().as_ref() {
                    "Worksheet" => {
                        sheets.push(XmlSheet {
                            name: attr(&e, "Name").unwrap_or_default(),
                            rows: Vec::new(),
                        });
                        row_no = 0;
                    }
                    "Row" => {
                        row_no = index(attr(&e, "Index")).unwrap_or(row_no + 1);
                        col_no = 0;
                        if let Some(s) = sheets.last_mut() {
                            s.rows.push((row_no, Vec::new()));
                        }
                    }
                    "Cell" => {
                        col_no = index(attr(&e, "Index")).unwrap_or(col_no + 1);
                        merge = index(attr(&e, "MergeAcross")).unwrap_or(0);
                        value.clear();
                        data_type.clear();
                    }
                    "Data" => {
                        in_data = !empty;
                        data_type = attr(&e, "Type").unwrap_or_default();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_data => value.push_str(&t.xml10_content()),
            Event::CData(t) if in_data => value.push_str(&t),
            Event::GeneralRef(r) if in_data => match entity(&r) {
                Some(c) => value.push_str(&c),
                None => value.push_str(&format!("&{};", &*r)),
            },
            Event::End(e) => match e.local_name().as_ref() {
                "Data" => in_data = false,
                "Cell" => {
                    let text = if data_type == "DateTime" {
                        // `2025-10-09T13:42:00.000`: the instant as ISO.
                        value.trim_end_matches(".000").to_string()
                    } else {
                        std::mem::take(&mut value)
                    };
                    if let Some((_, cells)) = sheets.last_mut().and_then(|s| s.rows.last_mut()) {
                        cells.push((col_no, text));
                    }
                    col_no += merge;
                    value.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

/// Reads one sheet of an XML Spreadsheet 2003.
fn read_xml2003(file: &str, bytes: &[u8], wanted: Option<&str>) -> Result<SheetText, ImportError> {
    let what = Container::Xml2003;
    let text = std::str::from_utf8(bytes)
        .map_err(|e| workbook_error(file, what, format!("not UTF-8 text: {e}")))?;
    let sheets = parse_xml2003(file, text.trim_start_matches('\u{feff}'))?;
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    let has_cells = |name: &str| {
        sheets
            .iter()
            .any(|s| s.name == name && s.rows.iter().any(|(_, c)| !c.is_empty()))
    };
    let sheet = choose(file, what, &names, wanted, has_cells)?.clone();
    let Some(chosen) = sheets.iter().find(|s| s.name == sheet) else {
        return Err(workbook_error(file, what, "the workbook has no sheet"));
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (row_no, cells) in &chosen.rows {
        while rows.len() + 1 < *row_no {
            rows.push(Vec::new());
        }
        let mut line: Vec<String> = Vec::new();
        for (col, text) in cells {
            while line.len() + 1 < *col {
                line.push(String::new());
            }
            line.push(text.clone());
        }
        rows.push(line);
    }
    let text = csv_text(rows).map_err(|e| workbook_error(file, what, e))?;
    Ok(SheetText {
        text,
        sheet,
        sheets: names,
    })
}

/// Reads one sheet of a workbook of any supported kind as CSV text.
/// `None` for a text file.
pub fn read_sheet(
    file: &str,
    bytes: &[u8],
    wanted: Option<&str>,
) -> Result<Option<(Container, SheetText)>, ImportError> {
    let what = Container::of(bytes);
    let sheet = match what {
        Container::Text => return Ok(None),
        Container::Xml2003 => read_xml2003(file, bytes, wanted)?,
        Container::Zip | Container::Ole => {
            // A damaged workbook is an error, never a crash of the import.
            let owned = bytes.to_vec();
            std::panic::catch_unwind(|| read_calamine(file, what, owned, wanted)).map_err(
                |_| {
                    workbook_error(
                        file,
                        what,
                        "the workbook is damaged (its parts cannot be read)",
                    )
                },
            )??
        }
    };
    Ok(Some((what, sheet)))
}

/// The text of a workbook's sheet, with what the report should say of it.
pub(super) fn workbook_source(
    path: &Path,
    bytes: &[u8],
    what: Container,
    sheet: SheetText,
) -> SourceText {
    use sha2::Digest;
    let mut notes = Vec::new();
    let named = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let expected = match named.as_deref() {
        Some("xlsx" | "xlsm" | "xlsb" | "ods") => Some(Container::Zip),
        Some("xls") => None, // binary .xls and XML 2003 both go by .xls
        Some("xml") => Some(Container::Xml2003),
        Some(_) => Some(Container::Text),
        None => None,
    };
    if expected.is_some_and(|e| e != what) {
        notes.push(format!(
            "this is {}, whatever its name says; read as such",
            what.label()
        ));
    } else if what == Container::Xml2003 {
        notes.push(format!("this is {}", what.label()));
    }
    let others: Vec<&String> = sheet.sheets.iter().filter(|s| **s != sheet.sheet).collect();
    notes.push(if others.is_empty() {
        format!("sheet `{}` read", sheet.sheet)
    } else {
        format!(
            "sheet `{}` read; the workbook also has {}: choose another sheet to read it instead",
            sheet.sheet,
            others
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    SourceText {
        text: sheet.text,
        encoding: match what {
            Container::Xml2003 => "Excel XML (XML Spreadsheet 2003)",
            Container::Ole => "Excel 97-2003 workbook (.xls)",
            _ => "Excel workbook",
        },
        sha256: sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        repaired_lines: Vec::new(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <ss:Worksheet ss:Name="Tickets">
  <ss:Table>
   <ss:Row><ss:Cell><ss:Data ss:Type="String">Ticket ID</ss:Data></ss:Cell><ss:Cell><ss:Data ss:Type="String">Created time</ss:Data></ss:Cell><ss:Cell><ss:Data ss:Type="String">Subject</ss:Data></ss:Cell></ss:Row>
   <ss:Row><ss:Cell><ss:Data ss:Type="Number">12</ss:Data></ss:Cell><ss:Cell><ss:Data ss:Type="DateTime">2025-10-09T13:42:00.000</ss:Data></ss:Cell><ss:Cell><ss:Data ss:Type="String">VPN &amp; MFA, "urgent"</ss:Data></ss:Cell></ss:Row>
   <ss:Row ss:Index="4"><ss:Cell ss:Index="2"><ss:Data ss:Type="DateTime">2025-10-10T08:00:00.000</ss:Data></ss:Cell></ss:Row>
  </ss:Table>
 </ss:Worksheet>
 <ss:Worksheet ss:Name="Empty"><ss:Table/></ss:Worksheet>
</ss:Workbook>"#;

    #[test]
    fn xml_spreadsheet_2003_is_told_and_read() {
        assert_eq!(Container::of(XML.as_bytes()), Container::Xml2003);
        assert_eq!(Container::of(b"id,created\n1,2"), Container::Text);
        let (what, sheet) = read_sheet("f.xls", XML.as_bytes(), None)
            .expect("reads")
            .expect("a workbook");
        assert_eq!(what, Container::Xml2003);
        assert_eq!(sheet.sheet, "Tickets");
        assert_eq!(sheet.sheets, vec!["Tickets", "Empty"]);
        let lines: Vec<&str> = sheet.text.lines().collect();
        assert_eq!(lines[0], "Ticket ID,Created time,Subject");
        assert_eq!(
            lines[1],
            "12,2025-10-09T13:42:00,\"VPN & MFA, \"\"urgent\"\"\""
        );
        // Row 3 is blank; row 4 starts at column 2.
        assert_eq!(lines[2], "\"\"");
        assert_eq!(lines[3], ",2025-10-10T08:00:00");
    }

    #[test]
    fn a_sheet_is_chosen_by_name() {
        let err = read_sheet("f.xls", XML.as_bytes(), Some("Nope")).expect_err("no such sheet");
        assert!(err.to_string().contains("Tickets"), "{err}");
        let (_, s) = read_sheet("f.xls", XML.as_bytes(), Some("empty"))
            .expect("reads")
            .expect("a workbook");
        assert_eq!(s.sheet, "Empty");
    }

    #[test]
    fn damaged_workbooks_are_errors() {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&[0u8; 64]);
        assert!(read_sheet("x.xlsx", &zip, None).is_err());
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(&[7u8; 600]);
        assert!(read_sheet("x.xls", &ole, None).is_err());
        let broken = &XML[..XML.len() / 2];
        // Cut in the middle: read as far as it goes, or an error; never a panic.
        let _ = read_sheet("x.xml", broken.as_bytes(), None);
    }

    #[test]
    fn numbers_are_written_as_read() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(0.0), "0");
        assert_eq!(number_text(45678.5), "45678.5");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(unescape("a &amp; b &#233;"), "a & b é");
    }
}
