//! Survey exports (Zendesk CSAT, Google/Microsoft Forms, SurveyMonkey,
//! Qualtrics, plain CSV) into canonical survey responses: which column holds the
//! rating, the ticket reference, the time; which scale the ratings are on.
//! Rows that are not ratings (`offered`, unanswered) are counted, never dropped silently.

use std::collections::HashSet;

use serde::Serialize;

use super::mapping::{normalize_header, ColumnMapping, TicketField, TicketFormat};
use super::sniff::RawTable;
use super::timeparse::{is_missing, parse_timestamp, DateColumnProfile, DateOrder};
use super::values;
use super::{ImportOptions, ImportReport, RowReject};
use crate::error::ImportError;
use crate::model::{SurveyResponse, SurveyScale};

/// The canonical survey fields a column can feed (`--map FIELD=Header`).
pub const SURVEY_FIELDS: [&str; 6] = [
    "ticket_id",
    "submitted_at",
    "rating",
    "comment",
    "respondent",
    "response_key",
];

/// A survey layout recognised from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SurveyFormat {
    ZendeskCsat,
    GoogleForms,
    MicrosoftForms,
    SurveyMonkey,
    Qualtrics,
    Generic,
}

impl SurveyFormat {
    pub fn name(self) -> &'static str {
        match self {
            SurveyFormat::ZendeskCsat => "zendesk-csat",
            SurveyFormat::GoogleForms => "google-forms",
            SurveyFormat::MicrosoftForms => "microsoft-forms",
            SurveyFormat::SurveyMonkey => "surveymonkey",
            SurveyFormat::Qualtrics => "qualtrics",
            SurveyFormat::Generic => "generic-survey",
        }
    }

    fn detect(n: &[String], header_rows: usize) -> SurveyFormat {
        let has = |h: &str| n.iter().any(|x| x == h);
        if header_rows == 3 || (has("responseid") && has("recordeddate")) {
            SurveyFormat::Qualtrics
        } else if has("respondentid") && has("collectorid") {
            SurveyFormat::SurveyMonkey
        } else if has("completiontime") && has("starttime") {
            SurveyFormat::MicrosoftForms
        } else if n.first().is_some_and(|h| h == "timestamp") {
            SurveyFormat::GoogleForms
        } else if has("score") && (has("ticketid") || has("assignee") || has("reason")) {
            SurveyFormat::ZendeskCsat
        } else {
            SurveyFormat::Generic
        }
    }
}

const TICKET_SYNONYMS: &[&str] = &[
    "ticketid",
    "ticketnumber",
    "ticket",
    "ticketreference",
    "incident",
    "incidentnumber",
    "requestid",
    "casenumber",
    "issuekey",
    "reference",
    "ref",
    "ticketno",
    "requestnumber",
];
const TIME_SYNONYMS: &[&str] = &[
    "submittedat",
    "completiontime",
    "recordeddate",
    "enddate",
    "timestamp",
    "createdat",
    "datesubmitted",
    "responsedate",
    "submitted",
    "date",
    "updatedat",
    "starttime",
    "startdate",
];
const RATING_SYNONYMS: &[&str] = &[
    "score",
    "rating",
    "satisfaction",
    "satisfactionscore",
    "satisfactionrating",
    "csat",
    "csatscore",
    "rate",
    "overallsatisfaction",
    "npsscore",
    "nps",
];
const COMMENT_SYNONYMS: &[&str] = &[
    "comment",
    "comments",
    "feedback",
    "remarks",
    "additionalcomments",
];
const RESPONDENT_SYNONYMS: &[&str] = &[
    "respondent",
    "email",
    "emailaddress",
    "respondentemail",
    "requester",
    "requesteremail",
    "name",
];
const KEY_SYNONYMS: &[&str] = &["responseid", "respondentid", "id", "surveyresponseid"];

/// Labelled answers on a 1–5 satisfaction scale.
fn label_rating(text: &str) -> Option<f64> {
    let t = text.trim().to_lowercase();
    let t = t.as_str();
    let v = if t.contains("very dissatisfied")
        || t.contains("extremely dissatisfied")
        || t.contains("very poor")
        || t.contains("strongly disagree")
        || t.contains("très insatisfait")
        || t == "terrible"
    {
        1.0
    } else if t.contains("dissatisfied")
        || t == "poor"
        || t == "disagree"
        || t.contains("insatisfait")
        || t.contains("unsatisfied")
    {
        2.0
    } else if t.contains("neutral")
        || t.contains("neither")
        || t == "fair"
        || t == "average"
        || t == "ok"
    {
        3.0
    } else if t.contains("very satisfied")
        || t.contains("extremely satisfied")
        || t == "excellent"
        || t.contains("strongly agree")
        || t.contains("très satisfait")
    {
        5.0
    } else if t.contains("satisfied") || t == "agree" || t.contains("satisfait") || t == "very good"
    {
        4.0
    } else {
        return None;
    };
    Some(v)
}

/// How a rating column's values read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum RatingKind {
    GoodBad,
    Labelled,
    Numeric,
}

fn numeric_rating(text: &str) -> Option<f64> {
    let t = text.trim();
    // `10 - Extremely likely`, `4 (Satisfied)`.
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let lead = lead.replace(',', ".");
    if lead.is_empty() {
        return None;
    }
    let rest = t[lead.len()..].trim();
    if !rest.is_empty() && !rest.starts_with(['-', '(', '/', ' ', '–']) {
        return None;
    }
    lead.parse().ok()
}

fn is_unrated(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    is_missing(&t)
        || matches!(
            t.as_str(),
            "offered" | "unoffered" | "not offered" | "not rated"
        )
}

/// Scores a column as a rating column: share of its values that read as ratings.
fn rating_fitness(values: &[&str]) -> (f64, RatingKind) {
    let present: Vec<&&str> = values.iter().filter(|v| !is_unrated(v)).collect();
    if present.is_empty() {
        return (0.0, RatingKind::Numeric);
    }
    let n = present.len() as f64;
    let gb = present
        .iter()
        .filter(|v| matches!(v.trim().to_lowercase().as_str(), "good" | "bad"))
        .count() as f64;
    let lab = present.iter().filter(|v| label_rating(v).is_some()).count() as f64;
    let num = present
        .iter()
        .filter(|v| numeric_rating(v).is_some_and(|x| (0.0..=10.0).contains(&x)))
        .count() as f64;
    if gb >= lab && gb >= num {
        (gb / n, RatingKind::GoodBad)
    } else if lab >= num {
        (lab / n, RatingKind::Labelled)
    } else {
        (num / n, RatingKind::Numeric)
    }
}

fn scale_from_header(h: &str) -> Option<SurveyScale> {
    let l = h.to_lowercase().replace(' ', "");
    for (pat, min, max) in [
        ("0-10", 0.0, 10.0),
        ("1-10", 1.0, 10.0),
        ("1-5", 1.0, 5.0),
        ("1-7", 1.0, 7.0),
        ("0-5", 0.0, 5.0),
        ("1to5", 1.0, 5.0),
        ("0to10", 0.0, 10.0),
    ] {
        if l.contains(pat) || l.contains(&pat.replace('-', "–")) {
            return Some(SurveyScale::Numeric { min, max });
        }
    }
    if l.contains("recommend") || l.contains("likely") {
        return Some(SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        });
    }
    None
}

/// Picks the smallest usual scale that holds (almost) every value.
fn scale_from_values(ratings: &[f64]) -> SurveyScale {
    let n = ratings.len().max(1) as f64;
    let within =
        |lo: f64, hi: f64| ratings.iter().filter(|&&r| r >= lo && r <= hi).count() as f64 / n;
    let min = ratings.iter().copied().fold(f64::INFINITY, f64::min);
    for (lo, hi) in [(1.0, 5.0), (1.0, 7.0), (0.0, 10.0)] {
        let all = within(lo, hi) >= 1.0;
        let nearly = within(lo, hi) >= 0.98 && min >= lo;
        if all || nearly {
            return SurveyScale::Numeric { min: lo, max: hi };
        }
    }
    let max = ratings.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max > min {
        SurveyScale::Numeric { min, max }
    } else {
        SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        }
    }
}

/// Options specific to surveys.
#[derive(Debug, Clone, Default)]
pub struct SurveyOptions {
    pub common: ImportOptions,
    /// Forces the rating scale (`1-5`, `0-10`, `good-bad`).
    pub scale: Option<SurveyScale>,
}

/// The canonical content of one survey file.
#[derive(Debug, Clone)]
pub struct SurveyBatch {
    pub source: String,
    pub responses: Vec<SurveyResponse>,
    pub report: ImportReport,
}

fn find(n: &[String], synonyms: &[&str], taken: &HashSet<usize>) -> Option<usize> {
    synonyms
        .iter()
        .find_map(|s| (0..n.len()).find(|i| !taken.contains(i) && n[*i] == *s))
}

/// Reads a survey table into canonical responses.
pub fn read_surveys(table: &RawTable, options: &SurveyOptions) -> Result<SurveyBatch, ImportError> {
    let zone = options.common.source_zone;
    let mut report = ImportReport::new(table, "surveys", zone);
    let n: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    let format = SurveyFormat::detect(&n, table.layout.header_rows);
    report.format = format.name().to_string();
    report.format_label = format!("{} survey export", format.name());
    let source = options
        .common
        .source
        .clone()
        .unwrap_or_else(|| format.name().to_string());
    report.source = source.clone();

    let mut taken = HashSet::new();
    let override_col = |field: &str| -> Result<Option<usize>, ImportError> {
        match options.common.overrides.iter().find(|(f, _)| f == field) {
            None => Ok(None),
            Some((f, h)) => table
                .headers
                .iter()
                .position(|x| x == h || normalize_header(x) == normalize_header(h))
                .map(Some)
                .ok_or_else(|| ImportError::BadMapping {
                    file: table.file.clone(),
                    mapping: format!("{f}={h}"),
                    reason: format!("no such header; headers: {}", table.headers.join(", ")),
                }),
        }
    };
    for (f, h) in &options.common.overrides {
        if f == super::mapping::IGNORE {
            let idx = table
                .headers
                .iter()
                .position(|x| x == h || normalize_header(x) == normalize_header(h))
                .ok_or_else(|| ImportError::BadMapping {
                    file: table.file.clone(),
                    mapping: format!("{f}={h}"),
                    reason: format!("no such header; headers: {}", table.headers.join(", ")),
                })?;
            taken.insert(idx);
            continue;
        }
        if !SURVEY_FIELDS.contains(&f.as_str()) {
            return Err(ImportError::BadMapping {
                file: table.file.clone(),
                mapping: f.clone(),
                reason: "survey fields: ticket_id, submitted_at, rating, comment, respondent, response_key (or ignore=Header)".to_string(),
            });
        }
    }
    let pick = |field: &str,
                syn: &[&str],
                taken: &mut HashSet<usize>|
     -> Result<Option<usize>, ImportError> {
        let c = match override_col(field)? {
            Some(c) => Some(c),
            None => find(&n, syn, taken),
        };
        if let Some(c) = c {
            taken.insert(c);
        }
        Ok(c)
    };
    let time_col = pick("submitted_at", TIME_SYNONYMS, &mut taken)?;
    let key_col = pick("response_key", KEY_SYNONYMS, &mut taken)?;
    let mut ticket_col = pick("ticket_id", TICKET_SYNONYMS, &mut taken)?;
    let mut rating_col = pick("rating", RATING_SYNONYMS, &mut taken)?;
    let respondent_col = pick("respondent", RESPONDENT_SYNONYMS, &mut taken)?;
    let mut comment_col = pick("comment", COMMENT_SYNONYMS, &mut taken)?;

    // Forms: questions are headers. Read a sample to find the rating and ticket questions.
    let sample = table.preview(500);
    let question = |i: usize| -> String {
        let detail = table.header_details.get(i).cloned().unwrap_or_default();
        format!("{} {}", table.headers[i], detail).to_lowercase()
    };
    // Columns a ticket export would fill (counts such as reopens or
    // follow-ups read as ratings too): never guessed to be the rating.
    // (No mapping at all, e.g. no ticket id column: nothing of a ticket.)
    let ticket_columns =
        ColumnMapping::for_headers(&table.file, &table.headers, TicketFormat::detect(&n), &[])
            .map(|m| m.assigned)
            .unwrap_or_default();
    let ticket_column = |field: TicketField| {
        ticket_columns
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, c, _)| *c)
    };
    if rating_col.is_none() {
        // No rating column by name, and a ticket's fields are there: a
        // ticket export, whose numbers would only be guessed to be ratings.
        let evidence: Vec<&str> = [
            TicketField::FirstResponseAt,
            TicketField::ResolvedAt,
            TicketField::Status,
            TicketField::Priority,
        ]
        .into_iter()
        .filter_map(ticket_column)
        .map(|c| table.headers[c].as_str())
        .collect();
        if evidence.len() >= 2 {
            return Err(ImportError::TicketsNotSurveys {
                file: table.file.clone(),
                evidence: evidence.join(", "),
            });
        }
        let mut best: Option<(f64, usize)> = None;
        let guessable =
            |i: &usize| !taken.contains(i) && !ticket_columns.iter().any(|(_, c, _)| c == i);
        for i in (0..table.headers.len()).filter(guessable) {
            let vals: Vec<&str> = sample
                .iter()
                .filter_map(|r| r.get(i).map(String::as_str))
                .collect();
            let (fit, _) = rating_fitness(&vals);
            let q = question(i);
            let bonus = if [
                "satisf",
                "rate",
                "rating",
                "score",
                "recommend",
                "likely",
                "happy",
                "experience",
            ]
            .iter()
            .any(|k| q.contains(k))
            {
                0.5
            } else {
                0.0
            };
            let id_like = [
                "id",
                "duration",
                "progress",
                "latitude",
                "longitude",
                "finished",
            ]
            .iter()
            .any(|k| normalize_header(&table.headers[i]).ends_with(k));
            if fit >= 0.8 && !id_like {
                let score = fit + bonus;
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, i));
                }
            }
        }
        rating_col = best.map(|(_, i)| i);
        if let Some(i) = rating_col {
            taken.insert(i);
        }
    }
    if ticket_col.is_none() {
        ticket_col = (0..table.headers.len())
            .filter(|i| !taken.contains(i))
            .find(|&i| {
                let q = question(i);
                (q.contains("ticket")
                    || q.contains("incident")
                    || q.contains("reference")
                    || q.contains("request number"))
                    && !q.contains("satisf")
            });
        if let Some(i) = ticket_col {
            taken.insert(i);
        }
    }
    if comment_col.is_none() {
        comment_col = (0..table.headers.len())
            .filter(|i| !taken.contains(i))
            .find(|&i| {
                let q = question(i);
                [
                    "comment",
                    "anything else",
                    "improve",
                    "feedback",
                    "tell us",
                    "why",
                ]
                .iter()
                .any(|k| q.contains(k))
            });
        if let Some(i) = comment_col {
            taken.insert(i);
        }
    }
    let Some(rating_col) = rating_col else {
        return Err(ImportError::MissingColumn {
            file: table.file.clone(),
            wanted: "rating".to_string(),
            found: table.headers.join(", "),
        });
    };
    let Some(time_col) = time_col else {
        return Err(ImportError::MissingColumn {
            file: table.file.clone(),
            wanted: "submitted_at".to_string(),
            found: table.headers.join(", "),
        });
    };
    let mut mapping = vec![
        format!("{} → submitted_at", table.headers[time_col]),
        format!("{} → rating", table.headers[rating_col]),
    ];
    for (c, f) in [
        (ticket_col, "ticket_id"),
        (comment_col, "comment"),
        (respondent_col, "respondent"),
        (key_col, "response_key"),
    ] {
        if let Some(c) = c {
            mapping.push(format!("{} → {f}", table.headers[c]));
        }
    }
    for (i, h) in table.headers.iter().enumerate() {
        if !taken.contains(&i) && i != time_col && i != rating_col {
            mapping.push(format!("{h} → (ignored)"));
        }
    }
    report.mapping = mapping;
    if ticket_col.is_none() {
        report.notes.push(
            "no ticket reference column: responses count for overall and weekly CSAT only"
                .to_string(),
        );
    }

    // Date order and rating scale from the whole column.
    let mut profile = DateColumnProfile::default();
    let mut all_ratings: Vec<&str> = Vec::new();
    let mut kind_sample: Vec<String> = Vec::new();
    table.for_each_row(|r| {
        profile.observe(r.record.get(time_col).unwrap_or(""));
        if kind_sample.len() < 2000 {
            kind_sample.push(r.record.get(rating_col).unwrap_or("").to_string());
        }
        Ok(())
    })?;
    let hint = match format {
        SurveyFormat::GoogleForms
        | SurveyFormat::MicrosoftForms
        | SurveyFormat::SurveyMonkey
        | SurveyFormat::Qualtrics => Some(DateOrder::MonthFirst),
        _ => None,
    };
    let decision = match options.common.date_order {
        Some(order) => super::timeparse::DateDecision {
            order,
            reason: format!("{}: chosen by the user", order.as_str()),
        },
        None => profile.decide(hint),
    };
    report.date_columns = vec![(table.headers[time_col].clone(), decision.clone())];
    all_ratings.extend(kind_sample.iter().map(String::as_str));
    let (_, kind) = rating_fitness(&all_ratings);
    let scale = match (options.scale, kind) {
        (Some(s), _) => s,
        (None, RatingKind::GoodBad) => SurveyScale::GoodBad,
        (None, RatingKind::Labelled) => SurveyScale::Numeric { min: 1.0, max: 5.0 },
        (None, RatingKind::Numeric) => {
            let mut nums = Vec::new();
            table.for_each_row(|r| {
                if let Some(v) = r.record.get(rating_col).and_then(numeric_rating) {
                    nums.push(v);
                }
                Ok(())
            })?;
            scale_from_header(&question(rating_col)).unwrap_or_else(|| scale_from_values(&nums))
        }
    };
    report.notes.push(format!(
        "ratings read from `{}` on the {} scale",
        table.headers[rating_col],
        scale.label()
    ));

    let mut responses = Vec::new();
    let mut rows_read = 0;
    let mut keys: HashSet<String> = HashSet::new();
    let mut duplicates = 0;
    let blanks = table.for_each_row(|r| {
        rows_read += 1;
        let cell = |c: Option<usize>| c.and_then(|i| r.record.get(i)).unwrap_or("");
        let rating_text = cell(Some(rating_col));
        if is_unrated(rating_text) {
            report.skipped_unrated_rows += 1;
            return Ok(());
        }
        let rating = match scale {
            SurveyScale::GoodBad => match rating_text.trim().to_lowercase().as_str() {
                "good" => Some(1.0),
                "bad" => Some(0.0),
                _ => None,
            },
            SurveyScale::Numeric { .. } => {
                numeric_rating(rating_text).or_else(|| label_rating(rating_text))
            }
        };
        let reject = |reason: String| RowReject {
            row: r.row,
            column: table.headers[rating_col].clone(),
            value: rating_text.to_string(),
            reason,
        };
        let Some(rating) = rating else {
            report.rejected.push(reject("not a rating".to_string()));
            return Ok(());
        };
        if !scale.contains(rating) {
            report
                .rejected
                .push(reject(format!("rating out of the {} scale", scale.label())));
            return Ok(());
        }
        let time_text = cell(Some(time_col));
        let submitted_at = match parse_timestamp(time_text, decision.order, zone) {
            Ok(Some(t)) => t,
            Ok(None) => {
                report.rejected.push(RowReject {
                    row: r.row,
                    column: table.headers[time_col].clone(),
                    value: time_text.to_string(),
                    reason: "missing submission time".to_string(),
                });
                return Ok(());
            }
            Err(reason) => {
                report.rejected.push(RowReject {
                    row: r.row,
                    column: table.headers[time_col].clone(),
                    value: time_text.to_string(),
                    reason,
                });
                return Ok(());
            }
        };
        let ticket_id = values::ticket_id(cell(ticket_col));
        let respondent = Some(cell(respondent_col).trim())
            .filter(|s| !is_missing(s) && !s.eq_ignore_ascii_case("anonymous"))
            .map(str::to_string);
        let comment = Some(cell(comment_col).trim())
            .filter(|s| !is_missing(s))
            .map(str::to_string);
        let response_key = match key_col
            .map(|c| cell(Some(c)).trim())
            .filter(|k| !k.is_empty())
        {
            Some(k) => k.to_string(),
            None => {
                use sha2::Digest;
                let digest = sha2::Sha256::digest(
                    format!("{submitted_at}|{rating}|{ticket_id:?}|{respondent:?}|{comment:?}")
                        .as_bytes(),
                );
                digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
            }
        };
        if !keys.insert(response_key.clone()) {
            duplicates += 1;
        }
        responses.push(SurveyResponse {
            response_key,
            ticket_id,
            submitted_at,
            rating,
            scale,
            comment,
            respondent,
        });
        Ok(())
    })?;
    if rows_read == 0 {
        return Err(ImportError::NoRows {
            file: table.file.clone(),
        });
    }
    if duplicates > 0 {
        report.duplicate_ids = duplicates;
        report.notes.push(format!(
            "{duplicates} responses repeat an earlier response id; the last one is kept"
        ));
    }
    report.rows_read = rows_read;
    report.skipped_blank_rows = blanks;
    report.records = responses.len();
    Ok(SurveyBatch {
        source,
        responses,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ratings_with_labels() {
        assert_eq!(numeric_rating("10 - Extremely likely"), Some(10.0));
        assert_eq!(numeric_rating("4"), Some(4.0));
        assert_eq!(numeric_rating("4 stars"), None);
        assert_eq!(label_rating("Very satisfied"), Some(5.0));
        assert_eq!(label_rating("Dissatisfied"), Some(2.0));
    }

    #[test]
    fn scales_from_values() {
        assert_eq!(
            scale_from_values(&[1.0, 5.0, 3.0]),
            SurveyScale::Numeric { min: 1.0, max: 5.0 }
        );
        assert_eq!(
            scale_from_values(&[1.0, 6.0, 7.0]),
            SurveyScale::Numeric { min: 1.0, max: 7.0 }
        );
        assert_eq!(
            scale_from_values(&[0.0, 9.0, 10.0]),
            SurveyScale::Numeric {
                min: 0.0,
                max: 10.0
            }
        );
    }
}
