//! Plain exports are converted on one thread while another writes them, in one
//! transaction: the result must be the same as reading the whole file first,
//! whatever the file holds (late ambiguous dates, repeated ids, comment
//! histories), and cancelling or refusing leaves the database as it was.

use std::fmt::Write as _;

use secdesk_core::calendar::utc_ms;
use secdesk_core::error::ImportError;
use secdesk_core::ingest::{import_ticket_file, read_tickets, ImportOptions};

use crate::helpers::import_tickets;
use secdesk_core::ingest::sniff::RawTable;
use secdesk_core::model::EventKind;
use secdesk_core::store::Store;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// 30,000 year-first rows, then day-first rows whose order only row 30,003 reveals.
fn late_ambiguous_file() -> String {
    let mut s = String::from("id,created,resolved,status\n");
    for i in 0..30_000 {
        writeln!(s, "T{i},2025-03-{:02} 09:00,,open", 1 + i % 28).expect("w");
    }
    s.push_str("A1,03/04/2025 10:00,05/04/2025 10:00,solved\n");
    s.push_str("A2,04/03/2025 10:00,,open\n");
    s.push_str("A3,25/12/2025 10:00,26/12/2025 08:00,closed\n");
    s
}

#[test]
fn a_late_ambiguous_date_is_decided_from_the_whole_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(&dir, "late.csv", &late_ambiguous_file());
    let (store, o) = import_tickets(&p, &ImportOptions::default());
    let o = o.expect("import");
    assert_eq!(o.report.records, 30_003);
    assert_eq!(o.record.rows_stored, 30_003);
    let created = o
        .report
        .date_columns
        .iter()
        .find(|(h, _)| h == "created")
        .expect("created decision");
    assert!(created.1.reason.contains("day"), "{:?}", created.1);
    let c = store.load_tickets().expect("load");
    let at = |id: &str| c.ticket_id.iter().position(|x| x == id).expect("id");
    // 03/04/2025 is 3 April (day first, as 25/12/2025 shows).
    assert_eq!(c.created_at[at("A1")], utc_ms(2025, 4, 3, 10, 0));
    assert_eq!(c.resolved_at[at("A1")], Some(utc_ms(2025, 4, 5, 10, 0)));
    assert_eq!(c.created_at[at("A2")], utc_ms(2025, 3, 4, 10, 0));
    assert_eq!(c.created_at[at("T0")], utc_ms(2025, 3, 1, 9, 0));
    // One import recorded, not one per attempt.
    assert_eq!(store.imports().expect("imports").len(), 1);
}

#[test]
fn streaming_stores_what_reading_the_whole_file_gives() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = String::from("Ticket ID,Created at,Resolved at,Status,Priority,Follow-ups\n");
    for i in 0..20_000 {
        // Every 1,000th id comes back later with a newer state.
        let id = if i % 1_000 == 999 { i - 500 } else { i };
        writeln!(
            s,
            "S-{id},2025-05-{:02}T08:{:02}:00Z,{},{},P{},{}",
            1 + i % 28,
            i % 60,
            if i % 3 == 0 {
                "2025-06-01T10:00:00Z"
            } else {
                ""
            },
            if i % 3 == 0 { "Solved" } else { "Open" },
            1 + i % 4,
            i % 5
        )
        .expect("w");
    }
    let p = write(&dir, "dups.csv", &s);
    let whole = read_tickets(
        &RawTable::open(&p).expect("open"),
        &ImportOptions::default(),
    )
    .expect("read");
    let (store, o) = import_tickets(&p, &ImportOptions::default());
    let o = o.expect("import");
    assert_eq!(o.report.records, whole.tickets.len());
    assert_eq!(o.report.duplicate_ids, whole.report.duplicate_ids);
    assert_eq!(o.report.duplicate_ids, 20);
    assert_eq!(o.report.notes, whole.report.notes);
    let c = store.load_tickets().expect("load");
    assert_eq!(c.ticket_id.len(), whole.tickets.len());
    for t in &whole.tickets {
        let i = c
            .ticket_id
            .iter()
            .position(|x| *x == t.ticket_id)
            .expect("stored");
        assert_eq!(c.created_at[i], t.created_at, "{}", t.ticket_id);
        assert_eq!(c.resolved_at[i], t.resolved_at, "{}", t.ticket_id);
        assert_eq!(c.status[i], t.status.as_str(), "{}", t.ticket_id);
        assert_eq!(c.follow_ups[i], t.follow_ups, "{}", t.ticket_id);
    }
}

#[test]
fn a_repeated_id_with_comments_keeps_only_the_last_rows_history() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = "Summary,Issue key,Issue id,Issue Type,Status,Reporter,Created,Comment,Comment\n\
        Lost access,SEC-1,1,Service Request,Open,ann,2025-01-06 09:00,2025-01-06 10:00;bob;first,2025-01-06 11:00;bob;second\n\
        Phish,SEC-2,2,Incident,Open,cid,2025-01-06 09:30,2025-01-06 12:00;bob;hello,\n\
        Lost access,SEC-1,1,Service Request,Open,ann,2025-01-06 09:00,2025-01-07 10:00;bob;only this one,\n";
    let p = write(&dir, "jira.csv", text);
    let (store, o) = import_tickets(&p, &ImportOptions::default());
    let o = o.expect("import");
    assert_eq!(o.report.records, 2);
    assert_eq!(o.report.events, 2);
    let replies = store.load_events(EventKind::Reply).expect("events");
    let sec1: Vec<_> = replies.iter().filter(|e| e.1 == "SEC-1").collect();
    assert_eq!(sec1.len(), 1, "{replies:?}");
    assert_eq!(sec1[0].2, utc_ms(2025, 1, 7, 10, 0));
    let c = store.load_tickets().expect("load");
    let i = c
        .ticket_id
        .iter()
        .position(|x| x == "SEC-1")
        .expect("SEC-1");
    assert_eq!(c.follow_ups[i], Some(1));
    assert_eq!(c.first_response_at[i], Some(utc_ms(2025, 1, 7, 10, 0)));
}

#[test]
fn a_repeated_id_in_a_later_chunk_replaces_the_history_already_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = String::from(
        "Summary,Issue key,Issue id,Issue Type,Status,Reporter,Created,Comment,Comment\n\
         Lost access,SEC-1,1,Service Request,Open,ann,2025-01-06 09:00,2025-01-06 10:00;bob;first,2025-01-06 11:00;bob;second\n",
    );
    for i in 2..20_002 {
        writeln!(
            text,
            "Phish,SEC-{i},{i},Incident,Open,cid,2025-01-06 09:30,2025-01-06 12:00;bob;hello,"
        )
        .expect("w");
    }
    text.push_str("Lost access,SEC-1,1,Service Request,Open,ann,2025-01-06 09:00,2025-01-07 10:00;bob;only this one,\n");
    let p = write(&dir, "jira-long.csv", &text);
    let (store, o) = import_tickets(&p, &ImportOptions::default());
    let o = o.expect("import");
    assert_eq!(o.report.records, 20_001);
    assert_eq!(o.report.duplicate_ids, 1);
    assert_eq!(o.report.events, 20_001);
    let replies = store.load_events(EventKind::Reply).expect("events");
    assert_eq!(replies.len(), 20_001);
    let sec1: Vec<_> = replies.iter().filter(|e| e.1 == "SEC-1").collect();
    assert_eq!(sec1.len(), 1, "{sec1:?}");
    assert_eq!(sec1[0].2, utc_ms(2025, 1, 7, 10, 0));
}

fn big_text(rows: usize, broken_at: Option<usize>) -> String {
    let mut s = String::from("id,created,status\n");
    for i in 0..rows {
        if Some(i) == broken_at {
            s.push_str("X,not a date,open\n");
        } else {
            writeln!(s, "B{i},2025-02-01T10:00:00Z,open").expect("w");
        }
    }
    s
}

#[test]
fn cancelling_part_way_stores_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(&dir, "big.csv", &big_text(50_000, None));
    let mut store = Store::open_in_memory().expect("db");
    let mut calls = 0;
    let r = import_ticket_file(
        &mut store,
        &p,
        &ImportOptions::default(),
        "now",
        &mut |done, total| {
            calls += 1;
            assert!(done <= total);
            calls < 3
        },
    );
    assert!(matches!(r, Err(ImportError::Cancelled)), "{r:?}");
    assert_eq!(store.ticket_count().expect("count"), 0);
    assert!(store.imports().expect("imports").is_empty());
    // The same file imports afterwards (nothing half-recorded blocks it).
    let o = import_ticket_file(
        &mut store,
        &p,
        &ImportOptions::default(),
        "now",
        &mut |_, _| true,
    )
    .expect("import");
    assert!(!o.already_imported);
    assert_eq!(store.ticket_count().expect("count"), 50_000);
}

#[test]
fn strict_refuses_the_whole_file_for_one_bad_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(&dir, "one-bad.csv", &big_text(40_000, Some(39_000)));
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let (store, r) = import_tickets(&p, &strict);
    match r {
        Err(ImportError::RowsRejected {
            count, row, column, ..
        }) => {
            assert_eq!(count, 1);
            assert_eq!(row, 39_002);
            assert_eq!(column, "created");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(store.ticket_count().expect("count"), 0);
    assert!(store.imports().expect("imports").is_empty());
}
