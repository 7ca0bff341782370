//! Each vendor layout of docs/formats.md, written from the
//! documented layout with its quirks, imports with the right canonical values.

use std::path::Path;

use secdesk_core::calendar::utc_ms;
use secdesk_core::coverage::coverage;
use secdesk_core::ingest::{import_ticket_file, ImportOptions, ImportOutcome};
use secdesk_core::metrics::{compute, Dataset, MetricsConfig};
use secdesk_core::model::{EventKind, MS_PER_MINUTE};
use secdesk_core::store::{Store, TicketColumns};

use crate::helpers::{fixture, import_tickets};

fn import(path: &Path) -> (Store, TicketColumns, ImportOutcome) {
    let (store, outcome) = import_tickets(path, &ImportOptions::default());
    let outcome = outcome.expect("import");
    let cols = store.load_tickets().expect("load");
    (store, cols, outcome)
}

fn row(c: &TicketColumns, id: &str) -> usize {
    c.ticket_id
        .iter()
        .position(|x| x == id)
        .unwrap_or_else(|| panic!("no ticket {id}: {:?}", c.ticket_id))
}
#[test]
fn zendesk_legacy_export() {
    let (_s, c, o) = import(&fixture("vendors/zendesk_tickets.csv"));
    assert_eq!(o.report.format, "zendesk");
    assert_eq!(o.report.records, 3);
    assert!(o.report.rejected.is_empty());
    let i = row(&c, "1001");
    assert_eq!(c.created_at[i], utc_ms(2025, 10, 9, 13, 42));
    assert_eq!(
        c.first_response_at[i],
        Some(utc_ms(2025, 10, 9, 13, 42) + 18 * MS_PER_MINUTE)
    );
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 10, 9, 15, 42)));
    assert_eq!(c.status[i], "resolved");
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    assert_eq!(c.team[i].as_deref(), Some("SOC"));
    assert_eq!(c.channel[i].as_deref(), Some("Mail"));
    assert_eq!(c.follow_ups[i], Some(3));
    assert_eq!(c.category[i].as_deref(), Some("Phishing"));
    let j = row(&c, "1003");
    assert_eq!(c.reopen_count[j], 2);
    assert_eq!(c.status[j], "closed");
    assert_eq!(c.priority[j].as_deref(), Some("P2"));
    assert_eq!(c.requester[j].as_deref(), Some("Chloé Martin"));
    assert_eq!(c.assignee[j], None);
    let k = row(&c, "1002");
    assert_eq!(c.first_response_at[k], None);
    assert_eq!(c.status[k], "open");
}

#[test]
fn jira_all_fields_with_comments_bom_and_multiline_cells() {
    let (store, c, o) = import(&fixture("vendors/jira_all_fields.csv"));
    assert_eq!(o.report.format, "jira-service-management");
    assert_eq!(o.report.encoding, "UTF-8 (BOM)");
    let i = row(&c, "SEC-12");
    assert_eq!(c.created_at[i], utc_ms(2025, 10, 9, 13, 42));
    // The requester's own comment at 13:50 is not a response; the agent's at 14:30 is.
    assert_eq!(c.first_response_at[i], Some(utc_ms(2025, 10, 9, 14, 30)));
    assert_eq!(c.follow_ups[i], Some(2));
    assert_eq!(c.last_update_at[i], Some(utc_ms(2025, 10, 10, 8, 30)));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 10, 10, 8, 30)));
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    assert_eq!(c.status[i], "resolved");
    let j = row(&c, "SEC-13");
    assert_eq!(c.status[j], "pending");
    assert_eq!(c.first_response_at[j], Some(utc_ms(2025, 10, 14, 11, 0)));
    let k = row(&c, "SEC-14");
    assert_eq!(c.follow_ups[k], Some(0));
    assert_eq!(c.first_response_at[k], None);
    assert_eq!(c.created_at[k], utc_ms(2025, 10, 15, 16, 20));
    let replies = store.load_events(EventKind::Reply).expect("events");
    assert_eq!(replies.len(), 3);
    // Jira's own SLA cells: h:mm left, negative when breached (SEC-12's -2:15).
    let notes = o.report.notes.join("\n");
    assert!(
        notes.contains("Jira's own time to resolution SLA: 1 breached (negative h:mm), 0 within"),
        "{notes}"
    );
    assert!(
        notes.contains(
            "Jira's own time to first response SLA: 0 breached (negative h:mm), 2 within"
        ),
        "{notes}"
    );
}

#[test]
fn glpi_french_semicolon_bom_nbsp_ids_day_first() {
    let (_s, c, o) = import(&fixture("vendors/glpi_tickets.csv"));
    assert_eq!(o.report.format, "glpi");
    assert_eq!(o.report.delimiter, "semicolon");
    let i = row(&c, "1024");
    assert_eq!(c.created_at[i], utc_ms(2025, 11, 5, 14, 30));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 11, 6, 9, 0)));
    assert_eq!(c.status[i], "resolved");
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    assert_eq!(c.assignee[i].as_deref(), Some("Leroy Paul"));
    assert_eq!(c.team[i].as_deref(), Some("SOC"));
    assert_eq!(c.follow_ups[i], Some(4));
    let j = row(&c, "1025");
    assert_eq!(c.status[j], "open");
    assert_eq!(c.requester[j].as_deref(), Some("Bernard Luc\nPetit Anne"));
    assert_eq!(c.priority[j].as_deref(), Some("P3"));
    let k = row(&c, "1026");
    assert_eq!(c.status[k], "closed");
    assert_eq!(c.created_at[k], utc_ms(2025, 10, 20, 16, 45));
    assert_eq!(c.priority[k].as_deref(), Some("P4"));
}

#[test]
fn freshdesk_prefers_timestamps_over_business_hour_durations() {
    let (_s, c, o) = import(&fixture("vendors/freshdesk_tickets.csv"));
    assert_eq!(o.report.format, "freshdesk");
    let i = row(&c, "501");
    assert_eq!(c.first_response_at[i], Some(utc_ms(2025, 11, 3, 10, 45)));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 11, 3, 14, 0)));
    assert_eq!(c.category[i].as_deref(), Some("Phishing"));
    let j = row(&c, "502");
    // A negative "(in hrs)" value is ignored (with a warning), not read as a response.
    assert_eq!(c.first_response_at[j], None);
    assert!(o
        .report
        .warnings
        .iter()
        .any(|w| w.reason.contains("negative")));
    assert_eq!(c.status[j], "closed");
    let k = row(&c, "503");
    assert_eq!(c.priority[k].as_deref(), Some("P1"));
    assert_eq!(c.status[k], "open");
}

#[test]
fn osticket_semicolon_locale_month_first() {
    let (_s, c, o) = import(&fixture("vendors/osticket_tickets.csv"));
    assert_eq!(o.report.format, "osticket");
    let i = row(&c, "100231");
    assert_eq!(c.created_at[i], utc_ms(2025, 11, 3, 9, 15));
    assert_eq!(c.closed_at[i], Some(utc_ms(2025, 11, 4, 10, 0)));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 11, 4, 10, 0)));
    assert_eq!(c.team[i].as_deref(), Some("Security"));
    assert_eq!(c.category[i].as_deref(), Some("Account lockout"));
    assert_eq!(c.reopen_count[i], 1);
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    let j = row(&c, "100232");
    assert_eq!(c.created_at[j], utc_ms(2025, 11, 13, 14, 0));
}

/// The same export without its `Closed Date` column (an older osTicket, or
/// a column left out of the export): a closed ticket's `Last Updated` is not
/// its resolution (a note after closing moves it), so it stays done without
/// a resolution time, and the coverage and the metrics agree there is none.
#[test]
fn osticket_without_closed_date_measures_no_resolution() {
    let text = std::fs::read_to_string(fixture("vendors/osticket_tickets.csv")).expect("read");
    let without: String = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(';').collect();
            cells.remove(12);
            cells.join(";") + "\n"
        })
        .collect();
    assert!(!without.contains("Closed Date"));
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("osticket_no_closed.csv");
    std::fs::write(&path, without).expect("write");
    let (store, c, o) = import(&path);
    let i = row(&c, "100231");
    assert_eq!(c.status[i], "closed");
    assert_eq!(c.last_update_at[i], Some(utc_ms(2025, 11, 4, 10, 0)));
    assert_eq!(c.resolved_at[i], None);
    assert_eq!(c.closed_at[i], None);
    let feed = o
        .report
        .coverage
        .iter()
        .find(|f| f.family == "resolution")
        .expect("resolution feed");
    assert_eq!(feed.fed_by, None);
    assert!(o
        .report
        .notes
        .iter()
        .any(|n| n.starts_with("1 resolved/closed tickets carry no resolution or closing time")));
    let data = Dataset::load(&store).expect("dataset");
    let m = compute(&data, &MetricsConfig::default()).expect("metrics");
    assert_eq!(m.overall.resolution_hours.median, None);
    assert_eq!(m.overall.resolution_hours.p90, None);
    let cov = &coverage(&store).expect("coverage")["resolution"];
    assert_eq!((cov.measurable, cov.loaded), (0, 2));
}

#[test]
fn windows_1252_and_utf16_keep_accents() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = "ID;Titre;Statut;Date d'ouverture;Demandeur\r\n7;Accès refusé;Résolu;13-11-2025 08:05;Hélène Bérard\r\n";
    let cp1252: Vec<u8> = text
        .chars()
        .map(|ch| match ch {
            'è' => 0xE8,
            'é' => 0xE9,
            'É' => 0xC9,
            'ç' => 0xE7,
            c => c as u8,
        })
        .collect();
    let p1 = dir.path().join("cp1252.csv");
    std::fs::write(&p1, cp1252).expect("write");
    let (_s, c, o) = import(&p1);
    assert_eq!(o.report.encoding, "Windows-1252");
    assert_eq!(c.requester[0].as_deref(), Some("Hélène Bérard"));
    assert_eq!(c.status[0], "resolved");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.replace(';', "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let p2 = dir.path().join("utf16.csv");
    std::fs::write(&p2, utf16).expect("write");
    let (_s, c, o) = import(&p2);
    assert_eq!(o.report.encoding, "UTF-16LE");
    assert_eq!(o.report.delimiter, "tab");
    assert_eq!(c.requester[0].as_deref(), Some("Hélène Bérard"));
    assert_eq!(c.created_at[0], utc_ms(2025, 11, 13, 8, 5));
}

#[test]
fn a_newer_export_updates_tickets_by_id_and_the_same_file_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut store = Store::open_in_memory().expect("db");
    let a = dir.path().join("a.csv");
    std::fs::write(
        &a,
        "id,created,status\n1,2025-01-01 10:00,open\n2,2025-01-02 10:00,open\n",
    )
    .expect("w");
    let b = dir.path().join("b.csv");
    std::fs::write(&b, "id,created,status,resolved\n2,2025-01-02 10:00,solved,2025-01-03 10:00\n3,2025-01-04 10:00,open,\n").expect("w");
    let opts = ImportOptions::default();
    let first = import_ticket_file(&mut store, &a, &opts, "t1", &mut |_, _| true).expect("a");
    let again = import_ticket_file(&mut store, &a, &opts, "t2", &mut |_, _| true).expect("a again");
    assert!(again.already_imported);
    assert_eq!(again.record.id, first.record.id);
    assert_eq!(store.imports().expect("imports").len(), 1);
    import_ticket_file(&mut store, &b, &opts, "t3", &mut |_, _| true).expect("b");
    let c = store.load_tickets().expect("load");
    assert_eq!(c.ticket_id.len(), 3);
    let i = row(&c, "2");
    assert_eq!(c.status[i], "resolved");
    // Forgetting the newer import removes the rows it stored.
    store.forget(2).expect("forget");
    assert_eq!(store.load_tickets().expect("load").ticket_id.len(), 1);
}

/// The ServiceNow incident table: the event log's columns, one row per
/// incident; display labels, `?` for empty, day-first dates without zone.
#[test]
fn servicenow_incident_table_one_row_per_incident() {
    let (store, c, o) = import(&fixture("vendors/servicenow_incidents.csv"));
    assert_eq!(o.report.format, "servicenow");
    assert_eq!(o.report.format_label, "ServiceNow incident export");
    assert_eq!(o.report.records, 3);
    assert!(store
        .load_events(EventKind::Reply)
        .expect("events")
        .is_empty());
    let i = row(&c, "INC0010001");
    assert_eq!(c.created_at[i], utc_ms(2016, 2, 29, 1, 16));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2016, 3, 1, 9, 30)));
    assert_eq!(c.closed_at[i], Some(utc_ms(2016, 3, 5, 12, 0)));
    assert_eq!(c.status[i], "closed");
    assert_eq!(c.priority[i].as_deref(), Some("P2"));
    assert_eq!(c.reassignment_count[i], Some(2));
    assert_eq!(c.knowledge[i], Some(true));
    assert_eq!(c.channel[i].as_deref(), Some("Phone"));
    // One row says nothing about follow-ups: unknown, not zero.
    assert_eq!(c.follow_ups[i], None);
    let j = row(&c, "INC0010002");
    assert_eq!(c.status[j], "open");
    assert_eq!(c.reopen_count[j], 1);
    assert_eq!(c.assignee[j], None);
    assert_eq!(c.resolved_at[j], None);
    assert_eq!(c.priority[j].as_deref(), Some("P4"));
    let k = row(&c, "INC0010003");
    assert_eq!(c.requester[k], None);
    assert_eq!(c.category[k], None);
    assert_eq!(c.knowledge[k], None);
    assert_eq!(c.priority[k].as_deref(), Some("P1"));
    assert_eq!(c.status[k], "resolved");
}
