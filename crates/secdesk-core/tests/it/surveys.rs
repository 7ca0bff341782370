//! Survey layouts: Zendesk CSAT, Google Forms, Microsoft Forms, SurveyMonkey,
//! Qualtrics; scales detected from values and headers; CSAT and NPS per the contract.

use std::path::Path;

use secdesk_core::ingest::SurveyOptions;
use secdesk_core::ingest::{import_survey_file, ImportOutcome};
use secdesk_core::model::SurveyScale;
use secdesk_core::store::{Store, SurveyColumns};

use crate::helpers::*;

fn import(path: &Path) -> (SurveyColumns, ImportOutcome) {
    let mut store = Store::open_in_memory().expect("db");
    let o = import_survey_file(
        &mut store,
        path,
        &SurveyOptions::default(),
        "now",
        &mut |_, _| true,
    )
    .expect("import");
    (store.load_surveys().expect("load"), o)
}
#[test]
fn zendesk_csat_counts_only_good_and_bad() {
    let (c, o) = import(&fixture("vendors/zendesk_csat.csv"));
    assert_eq!(o.report.format, "zendesk-csat");
    assert_eq!(c.rating.len(), 2);
    assert_eq!(o.report.skipped_unrated_rows, 2);
    assert!(c.scale.iter().all(|s| *s == SurveyScale::GoodBad));
    assert_eq!(c.ticket_id[0].as_deref(), Some("1001"));
    assert_eq!(c.rating, vec![1.0, 0.0]);
}

#[test]
fn google_forms_labelled_scale_and_optional_ticket() {
    let (c, o) = import(&fixture("vendors/google_forms.csv"));
    assert_eq!(o.report.format, "google-forms");
    assert!(
        o.report
            .mapping
            .iter()
            .any(|m| m.starts_with("How satisfied") && m.ends_with("→ rating")),
        "{:?}",
        o.report.mapping
    );
    assert_eq!(c.rating, vec![5.0, 2.0, 3.0]);
    assert_eq!(
        c.ticket_id,
        vec![Some("SEC-12".to_string()), None, Some("SEC-13".to_string())]
    );
    assert_eq!(
        c.submitted_at[1],
        secdesk_core::calendar::utc_ms(2025, 9, 13, 16, 20)
    );
}

#[test]
fn microsoft_forms_anonymous_answers() {
    let (c, o) = import(&fixture("vendors/microsoft_forms.csv"));
    assert_eq!(o.report.format, "microsoft-forms");
    assert_eq!(c.rating, vec![4.0, 2.0]);
    assert_eq!(c.scale[0], SurveyScale::Numeric { min: 1.0, max: 5.0 });
    assert_eq!(c.ticket_id[1].as_deref(), Some("SEC-13"));
}

#[test]
fn surveymonkey_second_header_row() {
    let (c, o) = import(&fixture("vendors/surveymonkey.csv"));
    assert_eq!(o.report.format, "surveymonkey");
    assert_eq!(o.report.header_rows, 2);
    assert_eq!(c.rating, vec![5.0, 2.0]);
    assert_eq!(c.ticket_id[0].as_deref(), Some("1024"));
}

#[test]
fn qualtrics_three_header_rows_seven_point_scale() {
    let (c, o) = import(&fixture("vendors/qualtrics.csv"));
    assert_eq!(o.report.format, "qualtrics");
    assert_eq!(o.report.header_rows, 3);
    assert_eq!(c.rating, vec![6.0, 2.0]);
    assert_eq!(c.scale[0], SurveyScale::Numeric { min: 1.0, max: 7.0 });
    assert_eq!(c.ticket_id[1].as_deref(), Some("502"));
}

/// A cancelled survey import stores nothing and records no import.
#[test]
fn a_cancelled_survey_import_stores_nothing() {
    let mut store = Store::open_in_memory().expect("db");
    let r = import_survey_file(
        &mut store,
        &fixture("golden/surveys.csv"),
        &SurveyOptions::default(),
        "now",
        &mut |_, _| false,
    );
    assert!(
        matches!(r, Err(secdesk_core::ImportError::Cancelled)),
        "{r:?}"
    );
    assert_eq!(store.survey_count().expect("count"), 0);
    assert!(store.imports().expect("imports").is_empty());
}

/// A response repeated in the file (the same response id, or without an id
/// column the same answer at the same time) is stored once, the last one,
/// and the report counts the repeats.
#[test]
fn repeated_responses_are_stored_once_and_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    let with_ids = dir.path().join("ids.csv");
    std::fs::write(
        &with_ids,
        "Response ID,Ticket,Submitted,Satisfaction rating\n\
         r1,101,2026-11-02 10:00,4\n\
         r2,102,2026-11-02 11:00,5\n\
         r1,101,2026-11-02 12:00,2\n\
         r3,103,2026-11-03 09:00,3\n",
    )
    .expect("write");
    let (c, o) = import(&with_ids);
    assert_eq!(o.report.duplicate_ids, 1);
    assert_eq!(c.rating.len(), 3);
    assert!(
        c.rating.contains(&2.0) && !c.rating.contains(&4.0),
        "{:?}",
        c.rating
    );
    assert!(o
        .report
        .notes
        .iter()
        .any(|n| n == "1 responses repeat an earlier response id; the last one is kept"));
    let without_ids = dir.path().join("no-ids.csv");
    std::fs::write(
        &without_ids,
        "Ticket,Submitted,Satisfaction rating\n\
         101,2026-11-02 10:00,4\n\
         102,2026-11-02 11:00,5\n\
         101,2026-11-02 10:00,4\n\
         101,2026-11-02 10:00,3\n",
    )
    .expect("write");
    let (c, o) = import(&without_ids);
    assert_eq!(o.report.duplicate_ids, 1);
    assert_eq!(c.rating.len(), 3);
}
