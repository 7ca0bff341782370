//! Survey exports (Zendesk CSAT, Google/Microsoft Forms, SurveyMonkey,
//! Qualtrics, plain CSV) into canonical survey responses: which column holds the
//! rating, the ticket reference, the time; which scale the ratings are on.
//! Rows that are not ratings (`offered`, unanswered) are counted, never dropped silently.

use std::collections::HashSet;

use serde::Serialize;

use super::mapping::{normalize_header, ColumnMapping, TicketField, TicketFormat};
use super::rating::{
    asks_for_rating, good_bad, is_metadata, is_unrated, numeric_rating, rating_fitness,
    scale_from_header, scale_from_values, LabelScale, RatingKind,
};
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
    LimeSurvey,
    Typeform,
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
            SurveyFormat::LimeSurvey => "limesurvey",
            SurveyFormat::Typeform => "typeform",
            SurveyFormat::Generic => "generic-survey",
        }
    }

    fn detect(headers: &[String], n: &[String], header_rows: usize) -> SurveyFormat {
        let has = |h: &str| n.iter().any(|x| x == h);
        if header_rows == 3
            || (has("responseid") && has("recordeddate"))
            || (has("responseid") && has("responseset"))
        {
            SurveyFormat::Qualtrics
        } else if has("responseid") && has("datesubmitted") && (has("lastpage") || has("seed")) {
            SurveyFormat::LimeSurvey
        } else if headers.first().is_some_and(|h| h.trim() == "#")
            && (has("submitdateutc") || has("networkid"))
        {
            SurveyFormat::Typeform
        } else if has("respondentid") && has("collectorid") {
            SurveyFormat::SurveyMonkey
        } else if has("completiontime") && has("starttime") {
            SurveyFormat::MicrosoftForms
        } else if n.first().is_some_and(|h| {
            [
                "timestamp",
                "marcatemporal",
                "carimbodedatahora",
                "horodateur",
                "zeitstempel",
                "informazionicronologiche",
                "tijdstempel",
            ]
            .contains(&h.as_str())
        }) {
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
    // Google Forms' `Timestamp` and Microsoft Forms' `Completion time` in the
    // form owner's language.
    "marcatemporal",
    "carimbodedatahora",
    "horodateur",
    "zeitstempel",
    "informazionicronologiche",
    "tijdstempel",
    "horadefinalizacion",
    "heuredefin",
    "fertigstellungszeit",
    "horadeconclusao",
    "oradicompletamento",
    // LimeSurvey's `Date submitted`, SurveyMonkey's `End Date` in other languages.
    "fechadeenvio",
    "datadeenvio",
    "datumabgeschickt",
    "datedesoumission",
    "datadiinvio",
    "fechadefinalizacion",
    "datedefin",
    "enddatum",
    "datadetermino",
    "submitdateutc",
    "submitdate",
    "submittime",
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
    "startdateutc",
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
const KEY_SYNONYMS: &[&str] = &[
    "responseid",
    "idderespuesta",
    "iddelarespuesta",
    "antwortid",
    "iddelareponse",
    "idderesposta",
    "iddelencuestado",
    "idurepondant",
    "teilnehmerid",
    "iddorespondente",
    "respondentid",
    "id",
    "surveyresponseid",
    "token",
];
/// Survey tools' custom and hidden fields, where a ticket reference is
/// passed in with the survey link.
const REFERENCE_FIELDS: &[&str] = &[
    "customdata",
    "externalreference",
    "externaldatareference",
    "hiddenfield",
    "embeddeddata",
];

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

/// The survey tool a table comes from (`generic-survey` when unknown).
pub(super) fn survey_format_name(table: &RawTable) -> &'static str {
    let n: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    SurveyFormat::detect(&table.headers, &n, table.layout.header_rows).name()
}

/// Reads a survey table into canonical responses.
pub fn read_surveys(table: &RawTable, options: &SurveyOptions) -> Result<SurveyBatch, ImportError> {
    read_surveys_with(table, options, &[])
}

/// [`read_surveys`], with columns to take the submission time from, in
/// order, when its own cell is empty (a rating inside a ticket export: the
/// resolution time, else the last update, else the creation).
pub(super) fn read_surveys_with(
    table: &RawTable,
    options: &SurveyOptions,
    time_fallbacks: &[usize],
) -> Result<SurveyBatch, ImportError> {
    let zone = options.common.source_zone;
    let mut report = ImportReport::new(table, "surveys", zone);
    let n: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    let format = SurveyFormat::detect(&table.headers, &n, table.layout.header_rows);
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
    let mut key_col = pick("response_key", KEY_SYNONYMS, &mut taken)?;
    if key_col.is_none() {
        // Typeform's response token sits in a column named `#`.
        key_col = (0..table.headers.len())
            .find(|i| !taken.contains(i) && table.headers[*i].trim() == "#");
        if let Some(i) = key_col {
            taken.insert(i);
        }
    }
    let mut ticket_col = pick("ticket_id", TICKET_SYNONYMS, &mut taken)?;
    // Forms: questions are headers. Read a sample to find the rating and ticket questions.
    let sample = table.preview(500);
    let column_values = |i: usize| -> Vec<&str> {
        sample
            .iter()
            .filter_map(|r| r.get(i).map(String::as_str))
            .collect()
    };
    let rating_override = override_col("rating")?;
    let mut rating_col = match rating_override {
        Some(c) => Some(c),
        // A column named like a rating is one only if it is not metadata
        // and its answers sit on a scale (a `Score` of 0–100 risk points is not).
        None => find(&n, RATING_SYNONYMS, &taken).filter(|&c| {
            !is_metadata(&table.headers[c]) && rating_fitness(&column_values(c)).0 >= 0.5
        }),
    };
    if let Some(c) = rating_col {
        taken.insert(c);
    }
    let respondent_col = pick("respondent", RESPONDENT_SYNONYMS, &mut taken)?;
    let mut comment_col = pick("comment", COMMENT_SYNONYMS, &mut taken)?;
    let question = |i: usize| -> String {
        let detail = table.header_details.get(i).cloned().unwrap_or_default();
        format!("{} {}", table.headers[i], detail).to_lowercase()
    };
    let Some(time_col) = time_col else {
        return Err(ImportError::MissingColumn {
            file: table.file.clone(),
            wanted: "submitted_at".to_string(),
            found: table.headers.join(", "),
        });
    };
    // Columns a ticket export would fill (counts such as reopens or
    // follow-ups read as ratings too): never taken for the rating.
    // (No mapping at all, e.g. no ticket id column: nothing of a ticket.)
    let ticket_columns =
        ColumnMapping::for_headers(&table.file, &table.headers, TicketFormat::detect(&n), &[])
            .map(|m| m.assigned)
            .unwrap_or_default()
            .into_iter()
            .filter(|(f, _, _)| *f != TicketField::Satisfaction)
            .collect::<Vec<_>>();
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
        // A rating is chosen, never guessed: a question that asks for a
        // rating or satisfaction, whose answers are on a scale.
        let open = |i: &usize| {
            !taken.contains(i)
                && *i != time_col
                && !is_metadata(&table.headers[*i])
                && !ticket_columns.iter().any(|(_, c, _)| c == i)
        };
        let mut best: Option<(f64, usize)> = None;
        let mut candidates: Vec<String> = Vec::new();
        for i in (0..table.headers.len()).filter(open) {
            let values = column_values(i);
            let (fit, kind) = rating_fitness(&values);
            if fit < 0.8 || !on_a_scale(&values, kind) {
                continue;
            }
            if asks_for_rating(&question(i)) {
                if best.is_none_or(|(f, _)| fit > f) {
                    best = Some((fit, i));
                }
            } else if !candidates.contains(&table.headers[i]) {
                candidates.push(table.headers[i].clone());
            }
        }
        rating_col = best.map(|(_, i)| i);
        match rating_col {
            Some(i) => {
                taken.insert(i);
            }
            None => {
                return Err(ImportError::NoRatingColumn {
                    file: table.file.clone(),
                    candidates,
                });
            }
        }
    }
    if ticket_col.is_none() {
        ticket_col = (0..table.headers.len())
            .filter(|i| !taken.contains(i) && *i != time_col)
            .find(|&i| {
                let q = question(i);
                (q.contains("ticket")
                    || q.contains("incident")
                    || q.contains("reference")
                    || q.contains("request number"))
                    && !q.contains("satisf")
                    && !REFERENCE_FIELDS.iter().any(|f| n[i].starts_with(f))
            })
            .or_else(|| {
                // Custom and hidden fields carry the ticket id when the
                // survey link passed it: taken when their values look like ids.
                (0..table.headers.len())
                    .filter(|i| !taken.contains(i) && *i != time_col)
                    .filter(|&i| REFERENCE_FIELDS.iter().any(|f| n[i].starts_with(f)))
                    .find(|&i| looks_like_ids(&column_values(i)))
            });
        if let Some(i) = ticket_col {
            taken.insert(i);
        }
    }
    if comment_col.is_none() {
        comment_col = (0..table.headers.len())
            .filter(|i| !taken.contains(i) && *i != time_col)
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
        return Err(ImportError::NoRatingColumn {
            file: table.file.clone(),
            candidates: Vec::new(),
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
    let mut kind_sample: Vec<String> = Vec::new();
    let mut labels: HashSet<String> = HashSet::new();
    let mut numbers: Vec<f64> = Vec::new();
    table.for_each_row(|r| {
        profile.observe(r.record.get(time_col).unwrap_or(""));
        let text = r.record.get(rating_col).unwrap_or("");
        if kind_sample.len() < 2000 {
            kind_sample.push(text.to_string());
        }
        match numeric_rating(text) {
            Some(v) => numbers.push(v),
            None if !is_unrated(text) && labels.len() < 64 => {
                labels.insert(text.trim().to_string());
            }
            None => {}
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
    let sample_refs: Vec<&str> = kind_sample.iter().map(String::as_str).collect();
    let (_, kind) = rating_fitness(&sample_refs);
    let label_scale = LabelScale::from_labels(labels.iter().map(String::as_str));
    let scale = match (options.scale, kind) {
        (Some(s), _) => s,
        (None, RatingKind::GoodBad) => SurveyScale::GoodBad,
        (None, RatingKind::Labelled) => label_scale.scale(),
        (None, RatingKind::Numeric) => {
            scale_from_header(&question(rating_col)).unwrap_or_else(|| scale_from_values(&numbers))
        }
    };
    report.rating_column = Some(table.headers[rating_col].clone());
    report.coverage = vec![crate::model::Feed::fed_by(
        "csat",
        table.headers[rating_col].clone(),
    )];
    report
        .notes
        .push(if kind == RatingKind::Labelled && options.scale.is_none() {
            format!(
                "ratings read from `{}`: answer labels read as their position on a {}-point scale",
                table.headers[rating_col],
                2 * label_scale.side + 1
            )
        } else {
            format!(
                "ratings read from `{}` on the {} scale",
                table.headers[rating_col],
                scale.label()
            )
        });

    let mut responses = Vec::new();
    let mut rows_read = 0;
    // Keys are remembered by a 64-bit hash: the store itself keeps the last
    // response of a key; this set only counts repeats for the report.
    let hasher = foldhash::quality::FixedState::with_seed(0x5ec_de5c);
    let mut keys: HashSet<u64, foldhash::fast::FixedState> = HashSet::default();
    let mut duplicates = 0;
    // The text a response without a key column is identified by (reused).
    let mut identity = String::new();
    let blanks = table.for_each_row(|r| {
        rows_read += 1;
        let cell = |c: Option<usize>| c.and_then(|i| r.record.get(i)).unwrap_or("");
        let rating_text = cell(Some(rating_col));
        let time_at = std::iter::once(time_col)
            .chain(time_fallbacks.iter().copied())
            .find(|c| !is_missing(cell(Some(*c))))
            .unwrap_or(time_col);
        // Not submitted (LimeSurvey's empty `Date submitted`): an incomplete response.
        if is_missing(cell(Some(time_at))) {
            report.skipped_incomplete_rows += 1;
            return Ok(());
        }
        if is_unrated(rating_text) {
            report.skipped_unrated_rows += 1;
            return Ok(());
        }
        let rating = match scale {
            SurveyScale::GoodBad => good_bad(rating_text),
            SurveyScale::Numeric { .. } => {
                numeric_rating(rating_text).or_else(|| label_scale.position(rating_text))
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
        let time_text = cell(Some(time_at));
        let submitted_at = match parse_timestamp(time_text, decision.order, zone) {
            Ok(Some(t)) => t,
            Ok(None) => {
                report.skipped_incomplete_rows += 1;
                return Ok(());
            }
            Err(reason) => {
                report.rejected.push(RowReject {
                    row: r.row,
                    column: table.headers[time_at].clone(),
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
                use std::fmt::Write;
                identity.clear();
                let _ = write!(
                    identity,
                    "{submitted_at}|{rating}|{ticket_id:?}|{respondent:?}|{comment:?}"
                );
                let digest = sha2::Sha256::digest(identity.as_bytes());
                // The first 12 bytes in lower-case hex.
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut key = String::with_capacity(24);
                for b in digest.iter().take(12) {
                    key.push(char::from(HEX[usize::from(b >> 4)]));
                    key.push(char::from(HEX[usize::from(b & 0x0f)]));
                }
                key
            }
        };
        if !keys.insert(std::hash::BuildHasher::hash_one(&hasher, &response_key)) {
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

/// Answers on a scale: at least three distinct numbers, or labels with a lean.
fn on_a_scale(values: &[&str], kind: RatingKind) -> bool {
    match kind {
        RatingKind::GoodBad => true,
        RatingKind::Labelled => true,
        RatingKind::Numeric => {
            let mut distinct: Vec<f64> = values.iter().filter_map(|v| numeric_rating(v)).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            distinct.len() >= 3 || distinct.iter().any(|v| *v > 1.0)
        }
    }
}

/// Values of a custom field that look like ticket ids: present in most
/// rows, one short token each.
fn looks_like_ids(values: &[&str]) -> bool {
    let present: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !is_missing(v))
        .collect();
    present.len() * 2 >= values.len().max(1)
        && present
            .iter()
            .all(|v| v.len() <= 40 && !v.contains(char::is_whitespace))
        && present
            .iter()
            .any(|v| v.chars().any(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_fields_hold_ids_or_not() {
        assert!(looks_like_ids(&["INC0012", "", "4711"]));
        assert!(!looks_like_ids(&["", "", "x1"]));
        assert!(!looks_like_ids(&["call me back", "INC1"]));
    }

    #[test]
    fn a_scale_needs_more_than_yes_and_no() {
        assert!(!on_a_scale(&["0", "1", "1", "0"], RatingKind::Numeric));
        assert!(on_a_scale(&["1", "3", "5"], RatingKind::Numeric));
        assert!(on_a_scale(&["2"], RatingKind::Numeric));
    }
}
