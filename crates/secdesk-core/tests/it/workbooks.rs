//! Workbooks: `.xlsx` with typed cells (date cells, dates as serial
//! numbers, counts as `0.0`), several sheets to choose from, a workbook named
//! `.csv`, Freshdesk's "Excel" download (XML Spreadsheet 2003), and damaged
//! workbooks (an error, never a crash).

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use secdesk_core::calendar::utc_ms;
use secdesk_core::error::ImportError;
use secdesk_core::ingest::sniff::ReadAs;
use secdesk_core::ingest::ImportOptions;
use secdesk_core::metrics::{compute, Dataset, MetricsConfig};
use secdesk_core::model::MS_PER_HOUR;

use crate::helpers::{fixture, import_tickets};

/// The tickets written into the test workbook: (number, opened, resolved,
/// priority, reopen count, state).
type Row = (
    &'static str,
    (u16, u8, u8, u16),
    Option<(u16, u8, u8, u16)>,
    &'static str,
    f64,
    &'static str,
);

const ROWS: [Row; 3] = [
    (
        "INC0030001",
        (2024, 3, 4, 9),
        Some((2024, 3, 4, 13)),
        "1 - Critical",
        0.0,
        "Closed",
    ),
    (
        "INC0030002",
        (2024, 3, 5, 10),
        None,
        "3 - Moderate",
        1.0,
        "In Progress",
    ),
    (
        "INC0030003",
        (2024, 3, 6, 8),
        Some((2024, 3, 7, 8)),
        "2 - High",
        0.0,
        "Resolved",
    ),
];

fn ms((y, m, d, h): (u16, u8, u8, u16)) -> i64 {
    utc_ms(i32::from(y), u32::from(m), u32::from(d), u32::from(h), 0)
}

/// Excel's serial number of an instant (days since 1899-12-30).
fn serial(t: i64) -> f64 {
    (t - utc_ms(1899, 12, 30, 0, 0)) as f64 / 86_400_000.0
}

/// A ServiceNow-style `.xlsx`: a `Page 1` sheet of tickets with date cells,
/// `sys_updated_on` as bare serial numbers, counts as floats; a second sheet.
pub fn write_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name("Page 1").expect("name");
    let headers = [
        "number",
        "opened_at",
        "resolved_at",
        "priority",
        "reopen_count",
        "state",
        "sys_updated_on",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (i, (id, opened, resolved, priority, reopens, state)) in ROWS.iter().enumerate() {
        let r = i as u32 + 1;
        let dt = |(y, m, d, h): (u16, u8, u8, u16)| {
            ExcelDateTime::from_ymd(y, m, d)
                .and_then(|x| x.and_hms(h, 0, 0))
                .expect("date")
        };
        ws.write_string(r, 0, *id).expect("id");
        ws.write_datetime_with_format(r, 1, dt(*opened), &date)
            .expect("opened");
        if let Some(res) = resolved {
            ws.write_datetime_with_format(r, 2, dt(*res), &date)
                .expect("resolved");
        }
        ws.write_string(r, 3, *priority).expect("priority");
        ws.write_number(r, 4, *reopens).expect("reopens");
        ws.write_string(r, 5, *state).expect("state");
        ws.write_number(r, 6, serial(ms(*opened) + 2 * MS_PER_HOUR))
            .expect("updated");
    }
    let summary = wb.add_worksheet();
    summary.set_name("Summary").expect("name");
    summary.write_string(0, 0, "Report").expect("cell");
    wb.save(path).expect("save");
}

#[test]
fn xlsx_typed_cells_read_like_csv() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("incidents.xlsx");
    write_workbook(&path);
    let (store, o) = import_tickets(&path, &ImportOptions::default());
    let o = o.expect("imports");
    assert_eq!(o.report.format, "servicenow");
    assert!(o.report.rejected.is_empty(), "{:?}", o.report.rejected);
    assert!(o.report.warnings.is_empty(), "{:?}", o.report.warnings);
    assert!(
        o.report
            .notes
            .iter()
            .any(|n| n.contains("sheet `Page 1` read") && n.contains("`Summary`")),
        "{:?}",
        o.report.notes
    );
    let c = store.load_tickets().expect("load");
    for (id, opened, resolved, priority, reopens, state) in ROWS {
        let i = c.ticket_id.iter().position(|x| x == id).expect("ticket");
        assert_eq!(c.created_at[i], ms(opened), "{id}");
        assert_eq!(c.resolved_at[i], resolved.map(ms), "{id}");
        assert_eq!(
            c.last_update_at[i],
            Some(ms(opened) + 2 * MS_PER_HOUR),
            "{id}"
        );
        assert_eq!(c.reopen_count[i], reopens as i64, "{id}");
        let p = priority.chars().next().expect("digit");
        assert_eq!(
            c.priority[i].as_deref(),
            Some(format!("P{p}").as_str()),
            "{id}"
        );
        assert_eq!(c.status[i] == "open", state == "In Progress", "{id}");
    }
    // Resolution median: 4 h and 24 h.
    let report = compute(
        &Dataset::load(&store).expect("ds"),
        &MetricsConfig::default(),
    )
    .expect("metrics");
    assert_eq!(report.overall.resolution_hours.median, Some(14.0));
    assert_eq!(report.overall.reopen_rate, Some(0.0));
}

#[test]
fn the_sheet_is_chosen_and_a_missing_one_named() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("incidents.xlsx");
    write_workbook(&path);
    let options = |sheet: &str| ImportOptions {
        read_as: ReadAs {
            sheet: Some(sheet.to_string()),
            ..ReadAs::default()
        },
        ..ImportOptions::default()
    };
    let (_s, r) = import_tickets(&path, &options("Nope"));
    match r {
        Err(ImportError::NoSuchSheet { sheets, .. }) => {
            assert_eq!(sheets, vec!["Page 1", "Summary"])
        }
        other => panic!("{other:?}"),
    }
    // The summary sheet has no ticket columns: refused as such, naming them.
    let (_s, r) = import_tickets(&path, &options("Summary"));
    assert!(
        matches!(r, Err(ImportError::MissingColumn { ref found, .. }) if found == "Report"),
        "{r:?}"
    );
}

#[test]
fn a_workbook_named_csv_is_read_as_what_it_is() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("export.csv");
    write_workbook(&path);
    let (_s, o) = import_tickets(&path, &ImportOptions::default());
    let o = o.expect("imports");
    assert_eq!(o.report.records, 3);
    assert!(
        o.report
            .notes
            .iter()
            .any(|n| n.contains("this is an Excel workbook")),
        "{:?}",
        o.report.notes
    );
}

#[test]
fn freshdesk_excel_download_is_xml_spreadsheet_2003() {
    let path = fixture("families/freshdesk_excel.xls");
    let (store, o) = import_tickets(&path, &ImportOptions::default());
    let o = o.expect("imports");
    assert_eq!(o.report.format, "freshdesk");
    assert!(o.report.encoding.contains("XML Spreadsheet 2003"));
    assert!(
        o.report.notes.iter().any(|n| n.contains("`Filters`")),
        "{:?}",
        o.report.notes
    );
    let c = store.load_tickets().expect("load");
    let i = c.ticket_id.iter().position(|x| x == "701").expect("701");
    assert_eq!(c.created_at[i], utc_ms(2025, 11, 3, 10, 0));
    assert_eq!(c.first_response_at[i], Some(utc_ms(2025, 11, 3, 10, 30)));
    assert_eq!(c.resolved_at[i], Some(utc_ms(2025, 11, 3, 14, 0)));
    assert_eq!(c.follow_ups[i], Some(2));
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    let j = c.ticket_id.iter().position(|x| x == "702").expect("702");
    // `0:00:00` on a ticket nobody answered: no first response, not 0 minutes.
    assert_eq!(c.first_response_at[j], None);
    assert_eq!(c.resolved_at[j], None);
    let k = c.ticket_id.iter().position(|x| x == "703").expect("703");
    assert_eq!(c.resolved_at[k], Some(utc_ms(2025, 11, 14, 12, 0)));
}

#[test]
fn damaged_workbooks_are_refused_with_what_they_are() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("incidents.xlsx");
    write_workbook(&path);
    let bytes = std::fs::read(&path).expect("read");
    let cut = dir.path().join("cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let (_s, r) = import_tickets(&cut, &ImportOptions::default());
    match r {
        Err(ImportError::Workbook { what, .. }) => assert!(what.contains("Excel workbook")),
        other => panic!("{other:?}"),
    }
}

/// Zammad's `.xlsx` export (German UI): its priorities count upwards
/// (`1 niedrig` is the lowest), its states are its own.
#[test]
fn zammad_workbook_in_german() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("tickets.xlsx");
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let ws = wb.add_worksheet();
    let headers = [
        "Nummer",
        "Titel",
        "Status",
        "Priorität",
        "Gruppe",
        "Besitzer",
        "Kunde",
        "Erstellt am",
        "Erste Antwort am",
        "Geschlossen am",
        "Anzahl Artikel",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let dt = |d: u8, h: u16| {
        ExcelDateTime::from_ymd(2025, 11, d)
            .and_then(|x| x.and_hms(h, 0, 0))
            .expect("date")
    };
    let rows = [
        (
            "31001",
            "geschlossen",
            "3 hoch",
            3,
            9,
            Some((3, 10)),
            Some((4, 9)),
            4.0,
        ),
        (
            "31002",
            "warten auf Erinnerung",
            "1 niedrig",
            5,
            8,
            None,
            None,
            1.0,
        ),
        (
            "31003",
            "offen",
            "2 normal",
            6,
            14,
            Some((6, 15)),
            None,
            2.0,
        ),
    ];
    for (i, (id, state, prio, d, h, fr, closed, articles)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *id).expect("id");
        ws.write_string(r, 1, "x").expect("title");
        ws.write_string(r, 2, *state).expect("state");
        ws.write_string(r, 3, *prio).expect("priority");
        ws.write_string(r, 4, "SOC").expect("group");
        ws.write_string(r, 5, "Jonas Berg").expect("owner");
        ws.write_string(r, 6, "Ana Lima").expect("customer");
        ws.write_datetime_with_format(r, 7, dt(*d, *h), &date)
            .expect("created");
        if let Some((fd, fh)) = fr {
            ws.write_datetime_with_format(r, 8, dt(*fd, *fh), &date)
                .expect("first response");
        }
        if let Some((cd, ch)) = closed {
            ws.write_datetime_with_format(r, 9, dt(*cd, *ch), &date)
                .expect("closed");
        }
        ws.write_number(r, 10, *articles).expect("articles");
    }
    wb.save(&path).expect("save");
    let (store, o) = import_tickets(&path, &ImportOptions::default());
    let o = o.expect("imports");
    assert_eq!(o.report.format, "zammad");
    let c = store.load_tickets().expect("load");
    let at = |id: &str| c.ticket_id.iter().position(|x| x == id).expect("ticket");
    let (a, b, d) = (at("31001"), at("31002"), at("31003"));
    assert_eq!(c.priority[a].as_deref(), Some("P2"));
    assert_eq!(c.priority[b].as_deref(), Some("P4"));
    assert_eq!(c.priority[d].as_deref(), Some("P3"));
    assert_eq!(
        (
            c.status[a].as_str(),
            c.status[b].as_str(),
            c.status[d].as_str()
        ),
        ("closed", "pending", "open")
    );
    assert_eq!(c.created_at[a], utc_ms(2025, 11, 3, 9, 0));
    assert_eq!(c.first_response_at[a], Some(utc_ms(2025, 11, 3, 10, 0)));
    // Closed without a resolution time: its closing time.
    assert_eq!(c.resolved_at[a], Some(utc_ms(2025, 11, 4, 9, 0)));
    assert_eq!(c.assignee[a].as_deref(), Some("Jonas Berg"));
    assert_eq!(c.follow_ups[a], Some(4));
}
