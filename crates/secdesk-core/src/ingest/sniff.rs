//! Reading a user's file as it is: encoding (UTF-8, BOMs, UTF-16, Windows-1252),
//! delimiter, header row(s), quoting and blank rows, into a lossless table of
//! text cells. Owns the first, raw stage of every import; it knows nothing of
//! tickets or surveys and never drops a row without counting it.

use std::path::Path;

use csv::StringRecord;

use super::workbook::{read_sheet, workbook_source};
use crate::error::ImportError;

/// The text of a file, decoded to UTF-8, with what was detected about it.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `UTF-16BE`, `Windows-1252`.
    pub encoding: &'static str,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Lines (1-based) whose bytes were not UTF-8 in an otherwise UTF-8
    /// file, read as Windows-1252.
    pub repaired_lines: Vec<usize>,
    /// What reading the file decided that the report should say (the sheet
    /// of a workbook read, what the file really is).
    pub notes: Vec<String>,
}

/// What the user says about a file when detection got it wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadAs {
    /// Forces the encoding (a byte-order mark is still skipped).
    pub encoding: Option<Encoding>,
    /// Forces the delimiter.
    pub delimiter: Option<u8>,
    /// The sheet of a workbook to read (default: the first with cells).
    pub sheet: Option<String>,
}

/// The encodings a file can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// `utf-8`, `utf-16le`, `utf-16be`, `windows-1252` (also `cp1252`, `latin1`), any case.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-16le" | "utf16le" | "utf-16" => Some(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(Encoding::Utf16Be),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Some(Encoding::Windows1252),
            _ => None,
        }
    }
}

/// `comma`, `semicolon`, `tab`, `pipe`, or the character itself.
pub fn parse_delimiter(name: &str) -> Option<u8> {
    match name {
        "comma" | "," => Some(b','),
        "semicolon" | ";" => Some(b';'),
        "tab" | "\t" | "\\t" => Some(b'\t'),
        "pipe" | "|" => Some(b'|'),
        other if other.len() == 1 && other.is_ascii() => Some(other.as_bytes()[0]),
        _ => None,
    }
}

/// Decodes raw bytes; refuses empty and binary ones (a workbook is read by
/// [`RawTable::open_as`] before it gets here).
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<SourceText, ImportError> {
    decode_as(bytes, file, None)
}

/// Decodes raw bytes in the encoding given, or the one detected.
pub fn decode_as(
    bytes: Vec<u8>,
    file: &str,
    forced: Option<Encoding>,
) -> Result<SourceText, ImportError> {
    let refuse_empty = || ImportError::Empty {
        file: file.to_string(),
    };
    if bytes.is_empty() {
        return Err(refuse_empty());
    }
    // The digest of a large file takes as long as checking its UTF-8: do both at once.
    let (sha256, is_utf8) = std::thread::scope(|scope| {
        let digest = scope.spawn(|| {
            use sha2::Digest;
            sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        });
        let is_utf8 = std::str::from_utf8(&bytes).is_ok();
        (digest.join(), is_utf8)
    });
    let sha256 = sha256.map_err(|_| ImportError::Io {
        file: file.to_string(),
        message: "could not compute the file's digest".to_string(),
    })?;
    let bom = |b: &[u8]| bytes.starts_with(b);
    let forced_text = forced.map(|e| match e {
        Encoding::Utf8 => {
            let body = if bom(&[0xEF, 0xBB, 0xBF]) {
                &bytes[3..]
            } else {
                &bytes[..]
            };
            (
                String::from_utf8_lossy(body).into_owned(),
                "UTF-8 (as chosen)",
            )
        }
        Encoding::Utf16Le => {
            let body = if bom(&[0xFF, 0xFE]) {
                &bytes[2..]
            } else {
                &bytes[..]
            };
            (decode_utf16(body, true), "UTF-16LE (as chosen)")
        }
        Encoding::Utf16Be => {
            let body = if bom(&[0xFE, 0xFF]) {
                &bytes[2..]
            } else {
                &bytes[..]
            };
            (decode_utf16(body, false), "UTF-16BE (as chosen)")
        }
        Encoding::Windows1252 => (
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
            "Windows-1252 (as chosen)",
        ),
    });
    let mut repaired_lines = Vec::new();
    let (text, encoding) = if let Some(t) = forced_text {
        t
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        let s = String::from_utf8(bytes[3..].to_vec())
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        (s, "UTF-8 (BOM)")
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        (decode_utf16(&bytes[2..], true), "UTF-16LE")
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        (decode_utf16(&bytes[2..], false), "UTF-16BE")
    } else if looks_utf16_without_bom(&bytes) == Some(true) {
        (decode_utf16(&bytes, true), "UTF-16LE")
    } else if looks_utf16_without_bom(&bytes) == Some(false) {
        (decode_utf16(&bytes, false), "UTF-16BE")
    } else if is_utf8 {
        match String::from_utf8(bytes) {
            Ok(s) => (s, "UTF-8"),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), "UTF-8"),
        }
    } else if let Some((text, lines)) = utf8_with_stray_bytes(&bytes) {
        repaired_lines = lines;
        (text, "UTF-8 (with Windows-1252 bytes)")
    } else {
        let (cow, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        (cow.into_owned(), "Windows-1252")
    };
    if is_binary(&text) {
        return Err(ImportError::NotText {
            file: file.to_string(),
        });
    }
    if text.trim().is_empty() {
        return Err(refuse_empty());
    }
    Ok(SourceText {
        text,
        encoding,
        sha256,
        repaired_lines,
        notes: Vec::new(),
    })
}

/// A file of UTF-8 text with a few bytes that are not (an editor saved one
/// cell in Windows-1252 or MacRoman): the UTF-8 read as such, each stray run
/// as Windows-1252, and the lines it happened on. `None` when the file has no
/// UTF-8 multi-byte character at all (then it is a single-byte file).
fn utf8_with_stray_bytes(bytes: &[u8]) -> Option<(String, Vec<usize>)> {
    let mut text = String::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut rest = bytes;
    let mut multibyte = false;
    let mut line = 1usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte |= s.bytes().any(|b| b >= 0x80);
                text.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                let good = std::str::from_utf8(good).ok()?;
                multibyte |= good.bytes().any(|b| b >= 0x80);
                line += good.bytes().filter(|b| *b == b'\n').count();
                text.push_str(good);
                let n = e.error_len().unwrap_or(bad.len());
                let (stray, after) = bad.split_at(n);
                text.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(stray)
                        .0,
                );
                if lines.last() != Some(&line) {
                    lines.push(line);
                }
                rest = after;
            }
        }
    }
    multibyte.then_some((text, lines))
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    let enc = if little_endian {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let (cow, _) = enc.decode_without_bom_handling(bytes);
    cow.into_owned()
}

/// UTF-16 without a BOM shows as ASCII with a NUL beside every byte.
fn looks_utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let n = bytes.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let sample = &bytes[..n];
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let half = n / 2;
    if odd_nul * 10 >= half * 9 && even_nul * 10 < half {
        Some(true)
    } else if even_nul * 10 >= half * 9 && odd_nul * 10 < half {
        Some(false)
    } else {
        None
    }
}

fn is_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    if sample.is_empty() {
        return false;
    }
    let bad = sample
        .iter()
        .filter(|&&c| c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')))
        .count();
    bad > 0 && (bad * 100 / sample.len() >= 1 || sample.contains(&'\0'))
}

/// How a table was laid out in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub delimiter: u8,
    /// Records before the header (titles, report banners).
    pub preamble_rows: usize,
    /// Header records (1, or 2–3 for survey tools that write sub-headers).
    pub header_rows: usize,
}

impl Layout {
    pub fn delimiter_name(&self) -> &'static str {
        match self.delimiter {
            b',' => "comma",
            b';' => "semicolon",
            b'\t' => "tab",
            b'|' => "pipe",
            _ => "other",
        }
    }
}

/// A decoded file with its detected layout and its header names.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub file: String,
    pub source: SourceText,
    pub layout: Layout,
    /// One name per column (sub-header rows folded in, blanks named `Column N`).
    pub headers: Vec<String>,
    /// The second header row's texts where there is one (question text, sub-answers).
    pub header_details: Vec<String>,
}

/// One data record with the row number a user sees in a spreadsheet (header = row 1).
pub struct RawRow<'a> {
    pub row: usize,
    /// Bytes of the decoded text read so far (for progress).
    pub offset: u64,
    pub record: &'a StringRecord,
}

impl RawTable {
    /// Detects the layout of decoded text.
    pub fn sniff(file: &str, source: SourceText) -> Result<RawTable, ImportError> {
        RawTable::sniff_as(file, source, None)
    }

    /// Detects the layout of decoded text, with the delimiter given if any.
    pub fn sniff_as(
        file: &str,
        source: SourceText,
        delimiter: Option<u8>,
    ) -> Result<RawTable, ImportError> {
        let sample = sample_of(&source.text, 256 * 1024);
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(sample));
        let head: Vec<StringRecord> = reader(sample.as_bytes(), delimiter)
            .records()
            .take(64)
            .filter_map(Result::ok)
            .collect();
        if head.is_empty() {
            return Err(ImportError::Empty {
                file: file.to_string(),
            });
        }
        let width = modal_width(&head);
        // The header is the first record that fills most columns, or one
        // with gaps that a sub-header row completes (SurveyMonkey: a question
        // spread over several columns names only the first).
        let preamble_rows = head
            .iter()
            .enumerate()
            .position(|(i, r)| {
                non_empty(r) * 2 > width
                    || non_empty(r) == width
                    || (non_empty(r) >= 3
                        && head
                            .get(i + 1)
                            .is_some_and(|r2| is_sub_header(r, r2, head.get(i + 2))))
            })
            .unwrap_or(0);
        let header = &head[preamble_rows];
        let mut headers: Vec<String> = header.iter().map(clean_header).collect();
        let mut header_details = Vec::new();
        let mut header_rows = 1;
        let next = head.get(preamble_rows + 1);
        let after = head.get(preamble_rows + 2);
        if let Some(r2) = next {
            let import_ids =
                after.map(|r| r.iter().filter(|c| c.starts_with("{\"ImportId\"")).count());
            if import_ids.is_some_and(|n| n * 2 >= non_empty(header).max(1)) {
                // Qualtrics: field names, question texts, ImportId JSON.
                header_rows = 3;
                header_details = r2.iter().map(clean_header).collect();
            } else if is_legacy_qualtrics(header, r2) {
                // Legacy Qualtrics: `V1…V10, Q1…` codes, then the field names.
                header_rows = 2;
                header_details = std::mem::take(&mut headers);
                headers = r2.iter().map(clean_header).collect();
            } else if is_sub_header(header, r2, head.get(preamble_rows + 2)) {
                // SurveyMonkey: question texts, then sub-answers with a blank first cell.
                header_rows = 2;
                let mut last = String::new();
                for (i, h) in headers.iter_mut().enumerate() {
                    let sub = r2.get(i).map(clean_header).unwrap_or_default();
                    if h.is_empty() {
                        *h = if sub.is_empty() {
                            last.clone()
                        } else {
                            format!("{last} - {sub}")
                        };
                    } else {
                        last = h.clone();
                    }
                    header_details.push(sub);
                }
            }
        }
        for (i, h) in headers.iter_mut().enumerate() {
            if h.is_empty() {
                *h = format!("Column {}", i + 1);
            }
        }
        let layout = Layout {
            delimiter,
            preamble_rows,
            header_rows,
        };
        Ok(RawTable {
            file: file.to_string(),
            source,
            layout,
            headers,
            header_details,
        })
    }

    /// Reads and sniffs a file.
    pub fn open(path: &Path) -> Result<RawTable, ImportError> {
        RawTable::open_as(path, &ReadAs::default())
    }

    /// Reads and sniffs a file, with the encoding, delimiter and sheet the
    /// user gave. A workbook (Excel, XML Spreadsheet 2003) is read as the
    /// table of its sheet, whatever the file's name says.
    pub fn open_as(path: &Path, read_as: &ReadAs) -> Result<RawTable, ImportError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ImportError::Io {
            file: file.clone(),
            message: e.to_string(),
        })?;
        if let Some((what, sheet)) = read_sheet(&file, &bytes, read_as.sheet.as_deref())? {
            let source = workbook_source(path, &bytes, what, sheet);
            return RawTable::sniff_as(&file, source, Some(b','));
        }
        if read_as.sheet.is_some() {
            return Err(ImportError::NoSuchSheet {
                file,
                sheet: read_as.sheet.clone().unwrap_or_default(),
                sheets: Vec::new(),
            });
        }
        let source = decode_as(bytes, &file, read_as.encoding)?;
        RawTable::sniff_as(&file, source, read_as.delimiter)
    }

    /// Visits every data record in file order. Blank records are counted, not visited.
    /// Returns the number of blank records skipped.
    pub fn for_each_row(
        &self,
        mut visit: impl FnMut(RawRow<'_>) -> Result<(), ImportError>,
    ) -> Result<usize, ImportError> {
        let mut rdr = reader(self.source.text.as_bytes(), self.layout.delimiter);
        let skip = self.layout.preamble_rows + self.layout.header_rows;
        let mut record = StringRecord::new();
        let mut index = 0usize;
        let mut blanks = 0usize;
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    return Err(ImportError::Malformed {
                        file: self.file.clone(),
                        row: index + 1,
                        message: e.to_string(),
                    })
                }
            }
            index += 1;
            if index <= skip {
                continue;
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                blanks += 1;
                continue;
            }
            visit(RawRow {
                row: index,
                offset: rdr.position().byte(),
                record: &record,
            })?;
        }
        Ok(blanks)
    }

    /// The first `n` data rows, as text.
    pub fn preview(&self, n: usize) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut rdr = reader(self.source.text.as_bytes(), self.layout.delimiter);
        let skip = self.layout.preamble_rows + self.layout.header_rows;
        for rec in rdr.records().skip(skip).filter_map(Result::ok) {
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            out.push(rec.iter().map(str::to_string).collect());
            if out.len() >= n {
                break;
            }
        }
        out
    }
}

fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// Trims, removes a stray BOM, folds inner white space (headers may hold newlines).
fn clean_header(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn non_empty(r: &StringRecord) -> usize {
    r.iter().filter(|c| !c.trim().is_empty()).count()
}

fn modal_width(records: &[StringRecord]) -> usize {
    let mut counts = std::collections::HashMap::new();
    for r in records {
        *counts.entry(r.len()).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(w, c)| (c, w))
        .map(|(w, _)| w)
        .unwrap_or(0)
}

/// A second header row: its first cell is blank where data rows have one,
/// and its cells are labels, not values.
fn is_sub_header(header: &StringRecord, r2: &StringRecord, r3: Option<&StringRecord>) -> bool {
    let first_blank = r2.get(0).is_some_and(|c| c.trim().is_empty());
    let data_first_filled = r3.is_none_or(|r| r.get(0).is_some_and(|c| !c.trim().is_empty()));
    // SurveyMonkey writes `Response` / `Open-Ended Response` under each question.
    let monkey_words = r2.iter().any(|c| {
        matches!(
            c.trim().to_lowercase().as_str(),
            "response" | "open-ended response" | "other (please specify)"
        )
    });
    let header_has_gaps = header.iter().any(|c| c.trim().is_empty()) || monkey_words;
    let labels = r2
        .iter()
        .filter(|c| !c.trim().is_empty())
        .filter(|c| c.trim().parse::<f64>().is_err())
        .count();
    first_blank
        && data_first_filled
        && header_has_gaps
        && labels > 0
        && labels * 10 >= non_empty(r2) * 8
}

/// Legacy Qualtrics: a first row of column codes (`V1`, `V2`, …) above the
/// row of field names (`ResponseID`, `StartDate`, …).
fn is_legacy_qualtrics(header: &StringRecord, r2: &StringRecord) -> bool {
    let codes = header
        .iter()
        .filter(|c| {
            let c = c.trim().trim_start_matches('\u{feff}');
            c.len() > 1 && c.starts_with('V') && c[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .count();
    codes >= 3
        && r2
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case("ResponseID"))
}

/// The first `max` bytes cut at a line end (and a char boundary).
fn sample_of(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(i) => &text[..i + 1],
        None => &text[..end],
    }
}

/// Picks the delimiter that splits the sample into the most consistent, widest records.
fn detect_delimiter(sample: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let records: Vec<usize> = reader(sample.as_bytes(), d)
            .records()
            .take(50)
            .filter_map(Result::ok)
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        if records.is_empty() {
            continue;
        }
        let mut counts = std::collections::HashMap::new();
        for w in &records {
            *counts.entry(*w).or_insert(0usize) += 1;
        }
        let (width, agree) = counts
            .into_iter()
            .max_by_key(|&(w, c)| (c, w))
            .unwrap_or((1, 0));
        if width < 2 {
            continue;
        }
        let score = agree * 1000 / records.len() * width;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> RawTable {
        RawTable::sniff(
            "t.csv",
            SourceText {
                text: text.to_string(),
                encoding: "UTF-8",
                sha256: String::new(),
                repaired_lines: Vec::new(),
                notes: Vec::new(),
            },
        )
        .expect("sniff")
    }

    #[test]
    fn detects_semicolon_and_quoted_newlines() {
        let t = table("ID;Titre;Statut\n1;\"a;b\nc\";Nouveau\n2;x;Clos\n");
        assert_eq!(t.layout.delimiter, b';');
        assert_eq!(t.headers, vec!["ID", "Titre", "Statut"]);
        let mut rows = Vec::new();
        t.for_each_row(|r| {
            rows.push((r.row, r.record.get(1).unwrap_or("").to_string()));
            Ok(())
        })
        .expect("rows");
        assert_eq!(rows, vec![(2, "a;b\nc".to_string()), (3, "x".to_string())]);
    }

    #[test]
    fn decodes_bom_utf16_and_windows_1252() {
        let s = decode(b"\xEF\xBB\xBFid,name\n1,x\n".to_vec(), "f").expect("bom");
        assert_eq!(s.encoding, "UTF-8 (BOM)");
        assert!(s.text.starts_with("id"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "id,nom\n1,é\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let s = decode(utf16, "f").expect("utf16");
        assert_eq!(s.encoding, "UTF-16LE");
        assert!(s.text.contains('é'));
        let s = decode(b"id,nom\n1,caf\xe9\n".to_vec(), "f").expect("1252");
        assert_eq!(s.encoding, "Windows-1252");
        assert!(s.text.contains("café"));
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert!(matches!(
            decode(Vec::new(), "f"),
            Err(ImportError::Empty { .. })
        ));
        assert!(matches!(
            decode(vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3], "f"),
            Err(ImportError::NotText { .. })
        ));
    }

    #[test]
    fn folds_surveymonkey_sub_header() {
        let t = table(
            "Respondent ID,Collector ID,How satisfied were you?,Which ticket?,\n,,Response,Open-Ended Response,Other\n101,5,Very satisfied,INC1,\n",
        );
        assert_eq!(t.layout.header_rows, 2);
        assert_eq!(t.headers[2], "How satisfied were you?");
        assert_eq!(t.headers[4], "Which ticket? - Other");
    }

    #[test]
    fn skips_preamble_lines() {
        let t =
            table("Ticket report\nGenerated 2025-01-01\nid,created,status\n1,2025-01-01,open\n");
        assert_eq!(t.layout.preamble_rows, 2);
        assert_eq!(t.headers, vec!["id", "created", "status"]);
    }

    #[test]
    fn stray_single_byte_characters_in_utf8_are_read_and_named() {
        let bytes = "id,name\n1,Jos\u{e9}\n2,Ren"
            .bytes()
            .chain([0xE9, b'\n'])
            .collect::<Vec<u8>>();
        let src = decode(bytes, "m.csv").expect("decodes");
        assert_eq!(src.text, "id,name\n1,José\n2,René\n");
        assert_eq!(src.repaired_lines, vec![3]);
        assert!(src.encoding.contains("Windows-1252"));
        // No UTF-8 character at all: a Windows-1252 file.
        let src = decode(vec![b'a', b',', 0xE9, b'\n'], "w.csv").expect("decodes");
        assert_eq!(src.encoding, "Windows-1252");
        assert!(src.repaired_lines.is_empty());
    }

    #[test]
    fn legacy_qualtrics_names_come_from_the_second_row() {
        let t = table("V1,V2,V3,Q1\nResponseID,StartDate,EndDate,Question one\nR_1,2017-07-18 08:28:09,2017-07-18 08:28:48,2\n");
        assert_eq!(t.layout.header_rows, 2);
        assert_eq!(
            t.headers,
            vec!["ResponseID", "StartDate", "EndDate", "Question one"]
        );
        assert_eq!(t.header_details[3], "Q1");
    }

    #[test]
    fn surveymonkey_response_row_without_multi_column_questions() {
        let t =
            table("Respondent ID,Start Date,How satisfied were you?\n,,Response\n1,2024-01-02,4\n");
        assert_eq!(t.layout.header_rows, 2);
        assert_eq!(t.preview(5).len(), 1);
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        let t = table("a,b\r1,2\r3,4\r");
        assert_eq!(t.headers, vec!["a", "b"]);
        assert_eq!(t.preview(5).len(), 2);
    }
}
