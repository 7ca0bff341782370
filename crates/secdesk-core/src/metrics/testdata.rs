//! Test data of the metrics' unit tests: generated tickets imported into a
//! database, and a two-ticket dataset over a weekend.

use super::dataset::Dataset;
use crate::calendar::utc_ms;
use crate::store::{Store, SurveyColumns, TicketColumns};

/// A database of generated tickets and responses in a fresh directory.
pub fn sample_store(name: &str, tickets: usize, seed: u64) -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("secdesk-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let data = crate::samples::generate(&crate::samples::SampleSpec {
        tickets,
        seed,
        end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        survey_share: 0.3,
    });
    let (t, s) = (dir.join("t.csv"), dir.join("s.csv"));
    crate::samples::write_csv(&data, &t, &s).expect("csv");
    let mut store = Store::open(&dir.join("db")).expect("db");
    import_tickets(&mut store, &t, None);
    import_surveys(&mut store, &s);
    (store, dir)
}

/// Imports a ticket file (as `source`, else the source its name gives).
pub fn import_tickets(store: &mut Store, path: &std::path::Path, source: Option<&str>) {
    let opts = crate::ingest::ImportOptions {
        source: source.map(str::to_string),
        ..Default::default()
    };
    crate::ingest::import_ticket_file(store, path, &opts, "now", &mut |_, _| true)
        .expect("tickets");
}

/// Imports a survey file.
pub fn import_surveys(store: &mut Store, path: &std::path::Path) {
    crate::ingest::import_survey_file(
        store,
        path,
        &crate::ingest::SurveyOptions::default(),
        "now",
        &mut |_, _| true,
    )
    .expect("surveys");
}

/// Two tickets created Friday 16:00 UTC, answered Monday 10:00.
pub fn weekend_dataset() -> Dataset {
    let created = utc_ms(2026, 11, 13, 16, 0);
    let answered = utc_ms(2026, 11, 16, 10, 0);
    let t = TicketColumns {
        source: vec!["t".into(); 2],
        ticket_id: vec!["1".into(), "2".into()],
        created_at: vec![created; 2],
        first_response_at: vec![Some(answered); 2],
        resolved_at: vec![None; 2],
        closed_at: vec![None; 2],
        last_update_at: vec![None; 2],
        status: vec!["open".into(); 2],
        priority: vec![Some("P3".into()), None],
        category: vec![None; 2],
        team: vec![Some("SOC".into()), Some("IAM".into())],
        assignee: vec![None; 2],
        requester: vec![None; 2],
        department: vec![None; 2],
        channel: vec![None; 2],
        reopen_count: vec![0; 2],
        follow_ups: vec![None; 2],
        affected_users: vec![1; 2],
        reassignment_count: vec![None; 2],
        knowledge: vec![None; 2],
        measures: vec![crate::model::Measures::ALL; 2],
        paused_ms: vec![None; 2],
    };
    Dataset::from_columns(t, SurveyColumns::default()).expect("dataset")
}
