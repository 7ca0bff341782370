//! Real survey exports written by the tools themselves
//! (`../shared/datasets/real-surveys/`, see its README): none is a CSAT
//! survey, which is the point. A rating is read only from a column that asks
//! for one or that the user chose; metadata never; without one the import is
//! refused with the candidates. Expectations come from the raw cells, read
//! here with the csv crate alone.

use std::path::{Path, PathBuf};

use secdesk_core::error::ImportError;
use secdesk_core::ingest::sniff::RawTable;
use secdesk_core::ingest::{
    asks_for_rating, import_survey_file, is_metadata, ImportOptions, ImportOutcome, SurveyOptions,
};
use secdesk_core::store::Store;

use crate::helpers::{fixture, repo};

/// The real files, or `None` (said on stderr) when `../shared` is not beside the repository.
fn real(rel: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/datasets/real-surveys").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is missing", p.display());
        None
    }
}

fn import_with(path: &Path, map: &[(&str, &str)]) -> (Store, Result<ImportOutcome, ImportError>) {
    let mut store = Store::open_in_memory().expect("db");
    let options = SurveyOptions {
        common: ImportOptions {
            overrides: map
                .iter()
                .map(|(f, h)| (f.to_string(), h.to_string()))
                .collect(),
            ..ImportOptions::default()
        },
        scale: None,
    };
    let r = import_survey_file(&mut store, path, &options, "now", &mut |_, _| true);
    (store, r)
}

fn raw(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("utf-8 text");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

fn candidates(r: Result<ImportOutcome, ImportError>) -> Vec<String> {
    match r {
        Err(ImportError::NoRatingColumn { candidates, .. }) => candidates,
        other => panic!("expected a refusal for want of a rating column, got {other:?}"),
    }
}

#[test]
fn qualtrics_status_is_never_a_rating() {
    let Some(path) = real("qualtrics-qualtrics/sample.csv") else {
        return;
    };
    let (store, r) = import_with(&path, &[]);
    let c = candidates(r);
    assert_eq!(c, vec!["Q1"], "Status, Progress, Duration are metadata");
    assert_eq!(store.survey_count().expect("count"), 0);
    // Chosen by the user, it imports: the value of the one response's Q1.
    let cells = raw(&path);
    let q1 = cells[0].iter().position(|h| h == "Q1").expect("Q1");
    let (store, r) = import_with(&path, &[("rating", "Q1")]);
    let o = r.expect("imports with rating=Q1");
    assert_eq!(o.report.header_rows, 3);
    assert_eq!(o.report.rating_column.as_deref(), Some("Q1"));
    let s = store.load_surveys().expect("load");
    let expected: f64 = cells[3][q1].parse().expect("number");
    assert_eq!(s.rating, vec![expected]);
}

#[test]
fn legacy_qualtrics_names_come_from_its_second_row() {
    let Some(path) = real("qualtrics-qualtrics/sample_legacy.csv") else {
        return;
    };
    let table = RawTable::open(&path).expect("reads");
    assert_eq!(table.layout.header_rows, 2);
    for name in ["ResponseID", "StartDate", "EndDate"] {
        assert!(
            table.headers.iter().any(|h| h == name),
            "{:?}",
            table.headers
        );
    }
    let (_s, r) = import_with(&path, &[]);
    let c = candidates(r);
    assert!(!c.iter().any(|h| is_metadata(h)), "{c:?}");
    assert!(
        c.iter().any(|h| h == "This is a multiple choice question."),
        "{c:?}"
    );
}

#[test]
fn limesurvey_incomplete_responses_are_skipped_and_counted() {
    let Some(path) = real("limesurvey-limonaid-rdata/survey_998192_R_data_file.csv") else {
        return;
    };
    let (_s, r) = import_with(&path, &[]);
    let c = candidates(r);
    assert!(
        c.iter().any(|h| h == "Describe yourselves [Openness]"),
        "{c:?}"
    );
    for meta in ["Last page", "Seed", "Response ID", "Total time"] {
        assert!(
            !c.iter().any(|h| h == meta),
            "{meta} offered as a rating: {c:?}"
        );
    }
    let header = "Describe yourselves [Openness]";
    let (store, r) = import_with(&path, &[("rating", header)]);
    let o = r.expect("imports once the rating is chosen");
    let cells = raw(&path);
    let (ti, ri) = (
        cells[0]
            .iter()
            .position(|h| h == "Date submitted")
            .expect("time"),
        cells[0].iter().position(|h| h == header).expect("rating"),
    );
    let rows: Vec<&Vec<String>> = cells[1..]
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let incomplete = rows.iter().filter(|r| r[ti].trim().is_empty()).count();
    let expected: Vec<f64> = rows
        .iter()
        .filter(|r| !r[ti].trim().is_empty() && !r[ri].trim().is_empty())
        .map(|r| r[ri].parse().expect("number"))
        .collect();
    assert!(incomplete > 0);
    assert_eq!(o.report.skipped_incomplete_rows, incomplete);
    assert!(o.report.rejected.is_empty(), "{:?}", o.report.rejected);
    assert_eq!(store.load_surveys().expect("load").rating, expected);
}

#[test]
fn typeform_text_likert_is_a_labelled_scale_once_chosen() {
    let Some(path) = real("typeform-osmi-2016/osmi-tech-survey-2016-report-20160402.csv") else {
        return;
    };
    let question =
        "How willing would you be to share with friends and family that you have a mental illness?";
    let (_s, r) = import_with(&path, &[]);
    let c = candidates(r);
    assert!(c.iter().any(|h| h == question), "{c:?}");
    assert!(!c.iter().any(|h| h == "#" || h == "Network ID"), "{c:?}");
    // 0/1 answers (yes/no) are not a scale.
    assert!(!c.iter().any(|h| h == "Are you self-employed?"), "{c:?}");
    let (store, r) = import_with(&path, &[("rating", question)]);
    let o = r.expect("imports once the question is chosen");
    assert_eq!(o.report.format, "typeform");
    let cells = raw(&path);
    let qi = cells[0]
        .iter()
        .position(|h| h == question)
        .expect("question");
    let ti = cells[0]
        .iter()
        .position(|h| h == "Submit Date (UTC)")
        .expect("submit date");
    // The test's own reading of the five labels.
    let position = |label: &str| match label {
        "Not open at all" => Some(1.0),
        "Somewhat not open" => Some(2.0),
        "Neutral" => Some(3.0),
        "Somewhat open" => Some(4.0),
        "Very open" => Some(5.0),
        _ => None,
    };
    let mut expected: Vec<(i64, f64)> = cells[1..]
        .iter()
        .filter_map(|r| {
            let at = chrono::NaiveDateTime::parse_from_str(&r[ti], "%Y-%m-%d %H:%M:%S")
                .expect("submit date")
                .and_utc()
                .timestamp_millis();
            position(&r[qi]).map(|v| (at, v))
        })
        .collect();
    let s = store.load_surveys().expect("load");
    let mut got: Vec<(i64, f64)> = s
        .submitted_at
        .iter()
        .copied()
        .zip(s.rating.iter().copied())
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    got.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    assert_eq!(got, expected);
    let unrated = cells[1..]
        .iter()
        .filter(|r| position(&r[qi]).is_none())
        .count();
    assert_eq!(o.report.skipped_unrated_rows, unrated);
    assert!(
        s.scale.iter().all(|x| x.label() == "1-5"),
        "{:?}",
        s.scale[0]
    );
}

#[test]
fn surveymonkey_cr_only_macroman_file_reads_as_a_table_and_is_refused_for_want_of_a_time() {
    let Some(path) = real("surveymonkey-538-starwars/StarWars.csv") else {
        return;
    };
    let table = RawTable::open(&path).expect("reads");
    assert_eq!(table.layout.header_rows, 2);
    assert_eq!(table.headers[0], "RespondentID");
    // 1,187 CR-ended records: two header rows and 1,186 responses.
    let mut rows = 0;
    table
        .for_each_row(|_| {
            rows += 1;
            Ok(())
        })
        .expect("rows");
    assert_eq!(rows, 1186);
    let (store, r) = import_with(&path, &[]);
    match r {
        Err(ImportError::MissingColumn { wanted, found, .. }) => {
            assert_eq!(wanted, "submitted_at");
            assert!(found.contains("RespondentID"), "{found}");
        }
        other => panic!("expected a refusal for want of a time, got {other:?}"),
    }
    assert_eq!(store.survey_count().expect("count"), 0);
}

/// No import stores a rating from a metadata column: every survey fixture
/// and every real survey file, and which column each took.
#[test]
fn no_rating_is_ever_read_from_metadata() {
    let mut files = vec![
        fixture("vendors/zendesk_csat.csv"),
        fixture("vendors/google_forms.csv"),
        fixture("vendors/microsoft_forms.csv"),
        fixture("vendors/surveymonkey.csv"),
        fixture("vendors/qualtrics.csv"),
        fixture("golden/surveys.csv"),
        fixture("scorecard/surveys.csv"),
        repo().join("data-samples/surveys.csv"),
    ];
    for rel in [
        "qualtrics-qualtrics/sample.csv",
        "qualtrics-qualtrics/sample_legacy.csv",
        "limesurvey-limonaid-rdata/survey_998192_R_data_file.csv",
        "typeform-osmi-2016/osmi-tech-survey-2016-report-20160402.csv",
        "surveymonkey-538-starwars/StarWars.csv",
    ] {
        files.extend(real(rel));
    }
    let mut imported = 0;
    for f in &files {
        let (store, r) = import_with(f, &[]);
        match r {
            Ok(o) => {
                imported += 1;
                let col = o.report.rating_column.clone().expect("a rating column");
                assert!(!is_metadata(&col), "{}: {col}", f.display());
                let table = RawTable::open(f).expect("reads");
                let i = table
                    .headers
                    .iter()
                    .position(|h| *h == col)
                    .expect("header");
                let question = format!(
                    "{} {}",
                    col,
                    table.header_details.get(i).cloned().unwrap_or_default()
                );
                assert!(asks_for_rating(&question), "{}: `{question}`", f.display());
            }
            Err(e) => {
                assert!(
                    matches!(
                        e,
                        ImportError::NoRatingColumn { .. } | ImportError::MissingColumn { .. }
                    ),
                    "{}: {e}",
                    f.display()
                );
                assert_eq!(store.survey_count().expect("count"), 0);
            }
        }
    }
    assert!(imported >= 8, "{imported}");
}

/// A column named like a rating whose values are not on a scale (a risk
/// score of 0–100) is not taken; the question that asks for satisfaction is.
#[test]
fn a_score_that_is_no_rating_is_not_taken() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.csv");
    std::fs::write(
        &path,
        "Response ID,Submitted at,Score,How satisfied were you with the help you got?\n\
         1,2025-11-03 10:00,87,Very satisfied\n\
         2,2025-11-04 10:00,93,Dissatisfied\n\
         3,2025-11-05 10:00,150,Neutral\n",
    )
    .expect("write");
    let (store, r) = import_with(&path, &[]);
    let o = r.expect("imports");
    assert_eq!(
        o.report.rating_column.as_deref(),
        Some("How satisfied were you with the help you got?")
    );
    assert_eq!(
        store.load_surveys().expect("load").rating,
        vec![5.0, 2.0, 3.0]
    );
}

/// Google Forms in the form owner's language: `Marca temporal` (es),
/// `Horodateur` (fr), `Zeitstempel` (de) are the submission time.
#[test]
fn google_forms_in_other_languages() {
    let dir = tempfile::tempdir().expect("dir");
    for (header, question) in [
        (
            "Marca temporal",
            "¿Qué tan satisfecho está con la atención?",
        ),
        ("Horodateur", "Êtes-vous satisfait de l'aide reçue ?"),
        ("Zeitstempel", "Wie zufrieden waren Sie?"),
    ] {
        let path = dir.path().join("form.csv");
        std::fs::write(
            &path,
            format!("{header},{question}\n13/11/2025 10:01:10,5\n14/11/2025 11:00:00,2\n"),
        )
        .expect("write");
        let (store, r) = import_with(&path, &[]);
        let o = r.unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(o.report.format, "google-forms", "{header}");
        let s = store.load_surveys().expect("load");
        assert_eq!(s.rating, vec![5.0, 2.0], "{header}");
        assert_eq!(
            s.submitted_at[0],
            secdesk_core::calendar::utc_ms(2025, 11, 13, 10, 1) + 10_000,
            "{header}"
        );
    }
}

/// LimeSurvey in German: `Antwort ID`, `Datum Abgeschickt`, `Letzte Seite`
/// (metadata, never the rating), an incomplete response skipped.
#[test]
fn limesurvey_in_german() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("results.csv");
    std::fs::write(
        &path,
        "\"Antwort ID\",\"Datum Abgeschickt\",\"Letzte Seite\",\"Startsprache\",\"Wie zufrieden sind Sie mit der Lösung?\"\n\
         \"1\",\"2025-11-03 10:00:00\",\"3\",\"de\",\"4\"\n\
         \"2\",\"\",\"1\",\"de\",\"\"\n\
         \"3\",\"2025-11-04 09:00:00\",\"3\",\"de\",\"2\"\n",
    )
    .expect("write");
    let (store, r) = import_with(&path, &[]);
    let o = r.expect("imports");
    assert_eq!(
        o.report.rating_column.as_deref(),
        Some("Wie zufrieden sind Sie mit der Lösung?")
    );
    assert_eq!(o.report.skipped_incomplete_rows, 1);
    assert_eq!(store.load_surveys().expect("load").rating, vec![4.0, 2.0]);
}
