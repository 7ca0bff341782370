//! The families of real exports (docs/formats.md, "What real exports turned
//! out to hold"): every UI language of GLPI and Jira, Zendesk Explore,
//! ServiceNow list exports, re-saved Freshdesk files. Each fixture is read
//! and the stored values and metrics are checked against what the test
//! computes from the raw cells with its own, independent reading.

use std::path::Path;

use chrono::NaiveDateTime;
use secdesk_core::coverage::coverage;
use secdesk_core::ingest::{ImportOptions, ImportOutcome};
use secdesk_core::metrics::{compute, Dataset, MetricsConfig};
use secdesk_core::model::MS_PER_HOUR;
use secdesk_core::store::{Store, TicketColumns};

use crate::helpers::{fixture, import_tickets};

fn import(path: &Path) -> (Store, TicketColumns, ImportOutcome) {
    let (store, outcome) = import_tickets(path, &ImportOptions::default());
    let outcome = outcome.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cols = store.load_tickets().expect("load");
    (store, cols, outcome)
}

/// The raw cells of a fixture, read here with the csv crate alone.
fn raw(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("read");
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

/// A cell's instant as the test reads it (UTC), in the layout given.
fn at(cell: &str, layout: &str) -> i64 {
    NaiveDateTime::parse_from_str(cell.trim(), layout)
        .unwrap_or_else(|e| panic!("`{cell}` as {layout}: {e}"))
        .and_utc()
        .timestamp_millis()
}

fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == header)
        .unwrap_or_else(|| panic!("no header {header}: {:?}", rows[0]))
}

fn row(c: &TicketColumns, id: &str) -> usize {
    c.ticket_id
        .iter()
        .position(|x| x == id)
        .unwrap_or_else(|| panic!("no ticket {id}: {:?}", c.ticket_id))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// One GLPI case: file, (created, updated, resolved) headers, the date
/// layout, the statuses and priorities of its rows.
type GlpiCase = (
    &'static str,
    [&'static str; 3],
    &'static str,
    [&'static str; 4],
    [&'static str; 4],
);

/// GLPI in five more UI languages than French (the vendors test): headers, statuses, priorities and dates as the
/// tool writes them, ids with thousands separators.
#[test]
fn glpi_in_every_language() {
    // (file, created, updated, resolved headers, date layout, statuses, priorities)
    let cases: [GlpiCase; 5] = [
        (
            "glpi_en.csv",
            ["Opening Date", "Last Update", "Resolution Date"],
            "%Y-%m-%d %H:%M",
            ["closed", "open", "resolved", "pending"],
            ["P1", "P3", "P1", "P4"],
        ),
        (
            "glpi_es.csv",
            [
                "Fecha de apertura",
                "Última actualización",
                "Fecha de resolución",
            ],
            "%d-%m-%Y %H:%M",
            ["resolved", "open", "pending", "closed"],
            ["P1", "P3", "P4", "P2"],
        ),
        (
            "glpi_pt.csv",
            ["Data de abertura", "Última atualização", "Data de solução"],
            "%d/%m/%Y %H:%M",
            ["resolved", "open", "pending", "closed"],
            ["P1", "P3", "P4", "P2"],
        ),
        (
            "glpi_de.csv",
            ["Eröffnungsdatum", "Letzte Änderung", "Lösungsdatum"],
            "%d.%m.%Y %H:%M",
            ["resolved", "open", "pending", "closed"],
            ["P1", "P3", "P4", "P2"],
        ),
        (
            "glpi_it.csv",
            ["Data di apertura", "Ultima modifica", "Data di risoluzione"],
            "%d-%m-%Y %H:%M",
            ["resolved", "open", "pending", "closed"],
            ["P1", "P3", "P4", "P2"],
        ),
    ];
    for (file, [created_h, updated_h, resolved_h], layout, statuses, priorities) in cases {
        let path = fixture(&format!("families/{file}"));
        let (store, c, o) = import(&path);
        assert_eq!(o.report.format, "glpi", "{file}");
        assert!(
            o.report.rejected.is_empty(),
            "{file}: {:?}",
            o.report.rejected
        );
        let cells = raw(&path, b';');
        let (ci, ui, ri) = (
            column(&cells, created_h),
            column(&cells, updated_h),
            column(&cells, resolved_h),
        );
        let mut resolution_hours = Vec::new();
        for (k, r) in cells[1..].iter().enumerate() {
            if r.iter().all(|x| x.trim().is_empty()) {
                continue;
            }
            let id: String = r[0].chars().filter(char::is_ascii_digit).collect();
            let i = row(&c, &id);
            assert_eq!(c.created_at[i], at(&r[ci], layout), "{file} {id}");
            assert_eq!(c.last_update_at[i], Some(at(&r[ui], layout)), "{file} {id}");
            if !r[ri].trim().is_empty() {
                let resolved = at(&r[ri], layout);
                assert_eq!(c.resolved_at[i], Some(resolved), "{file} {id}");
                resolution_hours.push((resolved - at(&r[ci], layout)) as f64 / MS_PER_HOUR as f64);
            }
            assert_eq!(c.status[i], statuses[k], "{file} {id}");
            assert_eq!(c.priority[i].as_deref(), Some(priorities[k]), "{file} {id}");
        }
        // Every field of the mapping read; the follow-ups counted.
        assert!(c.follow_ups.iter().all(Option::is_some), "{file}");
        assert!(c.assignee.iter().any(Option::is_some), "{file}");
        assert!(c.team.iter().all(Option::is_some), "{file}");
        // The resolution median is the median of the raw cells' durations
        // (done tickets without a resolution time take their closing time).
        let report = compute(
            &Dataset::load(&store).expect("ds"),
            &MetricsConfig::default(),
        )
        .expect("metrics");
        let expected: Vec<f64> = (0..c.ticket_id.len())
            .filter_map(|i| {
                c.resolved_at[i].map(|r| (r - c.created_at[i]) as f64 / MS_PER_HOUR as f64)
            })
            .collect();
        assert!(
            resolution_hours.iter().all(|h| expected.contains(h)),
            "{file}"
        );
        assert_eq!(
            report.overall.resolution_hours.median,
            median(expected),
            "{file}"
        );
    }
}

/// GLPI's own quirks: a trailing `;`, ids with NBSP and U+202F separators,
/// several technicians joined with `<br>`, a column named like a duration
/// that holds a due date (never read as one).
#[test]
fn glpi_quirks() {
    let (_s, c, o) = import(&fixture("families/glpi_en.csv"));
    assert_eq!(c.ticket_id.len(), 4);
    for id in ["1024", "1025", "1026", "1027"] {
        row(&c, id);
    }
    assert_eq!(
        c.assignee[row(&c, "1024")].as_deref(),
        Some("Leroy Paul, Petit Anne")
    );
    assert!(
        o.report
            .mapping
            .iter()
            .any(|m| m == "Time to resolve → (ignored)"),
        "{:?}",
        o.report.mapping
    );
    assert_eq!(
        c.closed_at[row(&c, "1024")],
        Some(at("2025-11-07 09:00", "%Y-%m-%d %H:%M"))
    );
}

/// Jira and JSM in Spanish, French, German and Portuguese: translated
/// headers, month abbreviations, statuses, priorities; comments by the
/// reporter are not responses.
#[test]
fn jira_in_every_language() {
    let cases: [(&str, [&str; 3], &str); 4] = [
        (
            "jira_es.csv",
            ["Clave de incidencia", "Creada", "Resuelta"],
            "es",
        ),
        (
            "jira_fr.csv",
            ["Clé de ticket", "Création", "Résolue"],
            "fr",
        ),
        (
            "jira_de.csv",
            ["Vorgangsschlüssel", "Erstellt", "Erledigt"],
            "de",
        ),
        (
            "jira_pt.csv",
            ["Chave do item", "Criado", "Resolvido"],
            "pt",
        ),
    ];
    // The fixtures share their instants (UTC): 18 July 2026 9:10 created,
    // 19 July 15:30 resolved, the agent's reply at 9:40 (the reporter's
    // comment at 9:20 is not one).
    let ms = |d: &str| at(d, "%Y-%m-%d %H:%M");
    for (file, [key_h, created_h, resolved_h], lang) in cases {
        let path = fixture(&format!("families/{file}"));
        let (store, c, o) = import(&path);
        assert_eq!(o.report.format, "jira-service-management", "{file}");
        assert!(
            o.report.rejected.is_empty(),
            "{file}: {:?}",
            o.report.rejected
        );
        let cells = raw(&path, b',');
        column(&cells, key_h);
        column(&cells, created_h);
        column(&cells, resolved_h);
        let i = row(&c, "SEC-12");
        assert_eq!(c.created_at[i], ms("2026-07-18 09:10"), "{file}");
        assert_eq!(c.resolved_at[i], Some(ms("2026-07-19 15:30")), "{file}");
        assert_eq!(
            c.first_response_at[i],
            Some(ms("2026-07-18 09:40")),
            "{file}"
        );
        assert_eq!(c.status[i], "resolved", "{file}");
        assert_eq!(c.priority[i].as_deref(), Some("P1"), "{file}");
        let j = row(&c, "SEC-13");
        assert_eq!(c.status[j], "pending", "{file}");
        assert_eq!(c.created_at[j], ms("2026-08-20 10:00"), "{file}");
        assert_eq!(c.priority[j].as_deref(), Some("P3"), "{file}");
        let k = row(&c, "SEC-14");
        assert_eq!(c.status[k], "open", "{file}");
        assert_eq!(c.created_at[k], ms("2026-12-01 08:00"), "{file} ({lang})");
        assert_eq!(c.priority[k].as_deref(), Some("P4"), "{file}");
        // First response median over the two answered tickets: SEC-12 in
        // 30 min, SEC-13 (created 20 Aug 10:00, answered 21 Aug 11:00) in 25 h.
        let report = compute(
            &Dataset::load(&store).expect("ds"),
            &MetricsConfig::default(),
        )
        .expect("metrics");
        assert_eq!(report.overall.first_response_minutes.count, 2, "{file}");
        let expected = (30.0 + 25.0 * 60.0) / 2.0;
        assert_eq!(
            report.overall.first_response_minutes.median,
            Some(expected),
            "{file}"
        );
    }
}

/// Zendesk Explore: timestamps, minutes (brackets are ranges: never a
/// duration), a lone NBSP for empty, `1.000…` counts, labels with a leading space.
#[test]
fn zendesk_explore_report_export() {
    let path = fixture("families/zendesk_explore.csv");
    let (store, c, o) = import(&path);
    assert_eq!(o.report.format, "zendesk");
    assert!(o.report.rejected.is_empty(), "{:?}", o.report.rejected);
    assert!(o.report.warnings.is_empty(), "{:?}", o.report.warnings);
    let cells = raw(&path, b',');
    let (ci, fi) = (
        column(&cells, "Ticket created - Timestamp"),
        column(&cells, "First reply time (min)"),
    );
    let mut minutes = Vec::new();
    for r in &cells[1..] {
        let i = row(&c, &r[0]);
        let created = at(&r[ci], "%Y-%m-%dT%H:%M:%S");
        assert_eq!(c.created_at[i], created);
        let m: Option<f64> = r[fi].trim().parse().ok();
        assert_eq!(
            c.first_response_at[i],
            m.map(|m| created + (m * 60_000.0) as i64),
            "{}",
            r[0]
        );
        minutes.extend(m);
    }
    assert_eq!(c.status[row(&c, "2001")], "resolved");
    assert_eq!(c.status[row(&c, "2002")], "open");
    assert_eq!(c.assignee[row(&c, "2003")], None);
    // A closed ticket without a solved timestamp: its full resolution time (3 days).
    let k = row(&c, "2004");
    assert_eq!(c.resolved_at[k], Some(c.created_at[k] + 72 * MS_PER_HOUR));
    for header in [
        "First reply time brackets",
        "Full resolution time brackets",
        "Tickets",
    ] {
        assert!(
            o.report.mapping.contains(&format!("{header} → (ignored)")),
            "{header}: {:?}",
            o.report.mapping
        );
    }
    let report = compute(
        &Dataset::load(&store).expect("ds"),
        &MetricsConfig::default(),
    )
    .expect("metrics");
    assert_eq!(
        report.overall.first_response_minutes.median,
        median(minutes)
    );
    assert_eq!(report.overall.awaiting_first_response, Some(1));
}

/// A ServiceNow list export with durations and no first-response column:
/// resolution from `calendar_duration`, last update from `sys_updated_on`,
/// and first response, SLA breaches, awaiting and excess wait are no data
/// (null with the reason), never 100 % breached.
#[test]
fn servicenow_list_export_without_first_response() {
    let path = fixture("families/servicenow_list.csv");
    let (store, c, o) = import(&path);
    assert_eq!(o.report.format, "servicenow");
    let cells = raw(&path, b',');
    let (oi, di, ui) = (
        column(&cells, "opened_at"),
        column(&cells, "calendar_duration"),
        column(&cells, "sys_updated_on"),
    );
    for r in &cells[1..] {
        let i = row(&c, &r[0]);
        let opened = at(&r[oi], "%Y-%m-%d %H:%M:%S");
        assert_eq!(c.last_update_at[i], Some(at(&r[ui], "%Y-%m-%d %H:%M:%S")));
        let done = matches!(r[column(&cells, "state")].as_str(), "Closed" | "Resolved");
        let seconds: i64 = r[di].parse().unwrap_or(0);
        if done {
            assert_eq!(c.resolved_at[i], Some(opened + seconds * 1000), "{}", r[0]);
        } else {
            assert_eq!(c.resolved_at[i], None, "{}", r[0]);
        }
    }
    assert_eq!(c.status[row(&c, "INC0020004")], "pending");
    let report = compute(
        &Dataset::load(&store).expect("ds"),
        &MetricsConfig::default(),
    )
    .expect("metrics");
    let m = &report.overall;
    assert_eq!(m.tickets, 4);
    assert_eq!(m.sla_first_response_breach_rate, None);
    assert_eq!(m.awaiting_first_response, None);
    assert_eq!(m.excess_wait_hours, None);
    assert_eq!(m.first_response_minutes.median, None);
    // What the export does measure is measured.
    assert_eq!(m.resolution_hours.median, Some(3.5));
    assert!(m.reopen_rate.is_some());
    assert!(m.silent_open_share.is_some());
    let cov = coverage(&store).expect("coverage");
    let fr = &cov["first_response"];
    assert_eq!((fr.measurable, fr.loaded), (0, 4));
    assert!(
        fr.reason()
            .is_some_and(|r| r.contains("no first-response column")),
        "{fr:?}"
    );
    assert_eq!(cov["resolution"].measurable, 4);
    assert_eq!(
        cov["reopen"].sources[0].fed_by.as_deref(),
        Some("reopen_count")
    );
    // Per week and per priority too: no number without a source.
    assert!(report
        .by_week
        .iter()
        .all(|(_, w)| w.sla_first_response_breach_rate.is_none()));
}

/// Freshdesk re-saved as CSV: day-first dates without seconds, and `0:00:00`
/// first responses on tickets nobody answered (placeholders, not 0 minutes).
#[test]
fn freshdesk_placeholder_durations_are_missing() {
    let (store, c, o) = import(&fixture("families/freshdesk_resaved.csv"));
    assert_eq!(o.report.format, "freshdesk");
    let i = row(&c, "601");
    assert_eq!(c.created_at[i], at("2025-11-03 10:00", "%Y-%m-%d %H:%M"));
    assert_eq!(c.first_response_at[i], Some(c.created_at[i] + 45 * 60_000));
    assert_eq!(c.first_response_at[row(&c, "602")], None);
    assert_eq!(c.first_response_at[row(&c, "603")], None);
    assert!(o
        .report
        .warnings
        .iter()
        .any(|w| w.count == 2 && w.reason.contains("placeholder")));
    let report = compute(
        &Dataset::load(&store).expect("ds"),
        &MetricsConfig::default(),
    )
    .expect("metrics");
    // One measured first response (45 min), not a median of 0.
    assert_eq!(report.overall.first_response_minutes.count, 1);
    assert_eq!(report.overall.first_response_minutes.median, Some(45.0));
}

/// Every ticket fixture: the coverage of each family names a column, or
/// says why nothing feeds it.
#[test]
fn every_import_says_what_feeds_each_family() {
    let dir = fixture("families");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("survey"))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    for f in files {
        let (_s, _c, o) = import(&f);
        let families: Vec<&str> = o
            .report
            .coverage
            .iter()
            .map(|x| x.family.as_str())
            .collect();
        // `csat` too where the ticket export carries satisfaction ratings.
        assert_eq!(
            families[..6],
            [
                "first_response",
                "resolution",
                "reopen",
                "follow_ups",
                "last_update",
                "pause"
            ],
            "{}",
            f.display()
        );
        assert!(
            families.len() == 6 || families[6..] == ["csat"],
            "{families:?}"
        );
        for feed in &o.report.coverage {
            assert!(
                feed.fed_by.is_some() != feed.reason.is_some(),
                "{}: {feed:?}",
                f.display()
            );
            if let Some(col) = &feed.fed_by {
                assert!(
                    o.report
                        .mapping
                        .iter()
                        .any(|m| m.starts_with(&format!("{col} → ")))
                        || col.starts_with("the "),
                    "{}: {col}",
                    f.display()
                );
            }
        }
    }
}

/// Ratings inside ticket exports become survey responses linked to their
/// ticket, once: Zendesk Explore's good/bad (offered and empty are no
/// rating), Freshdesk's 7-point labels.
#[test]
fn ratings_inside_ticket_exports_are_stored_once_as_responses() {
    let path = fixture("families/zendesk_explore.csv");
    let (mut store, _c, o) = import(&path);
    assert!(
        o.report
            .notes
            .iter()
            .any(|n| n.contains("2 satisfaction ratings in `Ticket satisfaction rating`")),
        "{:?}",
        o.report.notes
    );
    let s = store.load_surveys().expect("surveys");
    let cells = raw(&path, b',');
    let (ri, si) = (
        column(&cells, "Ticket satisfaction rating"),
        column(&cells, "Ticket solved - Timestamp"),
    );
    let mut expected: Vec<(String, f64)> = cells[1..]
        .iter()
        .filter_map(|r| match r[ri].as_str() {
            "Good" => Some((r[0].clone(), 1.0)),
            "Bad" => Some((r[0].clone(), 0.0)),
            _ => None,
        })
        .collect();
    let mut got: Vec<(String, f64)> = s
        .ticket_id
        .iter()
        .zip(&s.rating)
        .map(|(t, r)| (t.clone().unwrap_or_default(), *r))
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, expected);
    // Submitted when solved; the closed ticket without a solved time, when created.
    let k = s
        .ticket_id
        .iter()
        .position(|t| t.as_deref() == Some("2001"))
        .expect("2001");
    assert_eq!(s.submitted_at[k], at(&cells[1][si], "%Y-%m-%dT%H:%M:%S"));
    // A second import of the same file adds nothing.
    let again = secdesk_core::ingest::import_ticket_file(
        &mut store,
        &path,
        &ImportOptions::default(),
        "later",
        &mut |_, _| true,
    )
    .expect("again");
    assert!(again.already_imported);
    assert_eq!(store.survey_count().expect("count"), 2);

    let (store, _c, _o) = import(&fixture("families/freshdesk_resaved.csv"));
    let s = store.load_surveys().expect("surveys");
    // `Slightly dissatisfied` and `Extremely satisfied` on a 7-point scale.
    let mut ratings = s.rating.clone();
    ratings.sort_by(f64::total_cmp);
    assert_eq!(ratings, vec![3.0, 7.0]);
    assert!(s.scale.iter().all(|x| x.label() == "1-7"), "{:?}", s.scale);
}

/// A Jira export whose `Resolved` is empty on done tickets: the status
/// category change is the resolution; and an export of a tool without a
/// table of its own, in Spanish: the language's usual words.
#[test]
fn jira_status_category_change_and_unknown_tools_in_other_languages() {
    let dir = tempfile::tempdir().expect("dir");
    let jira = dir.path().join("jira.csv");
    std::fs::write(
        &jira,
        "Summary,Issue key,Status,Priority,Created,Resolved,Status Category Changed\n\
         a,SEC-1,Done,Medium,09/Oct/25 1:42 PM,,10/Oct/25 9:00 AM\n\
         b,SEC-2,In Progress,Medium,09/Oct/25 2:00 PM,,09/Oct/25 3:00 PM\n",
    )
    .expect("write");
    let (_s, c, o) = import(&jira);
    assert_eq!(o.report.format, "jira-service-management");
    let ms = |d: &str| at(d, "%Y-%m-%d %H:%M");
    assert_eq!(
        c.resolved_at[row(&c, "SEC-1")],
        Some(ms("2025-10-10 09:00"))
    );
    // Still in progress: its category change (to "in progress") is no resolution.
    assert_eq!(c.resolved_at[row(&c, "SEC-2")], None);

    let spanish = dir.path().join("mesa.csv");
    std::fs::write(
        &spanish,
        "Número de ticket;Fecha de creación;Fecha de resolución;Estado;Prioridad;Agente;Grupo\n\
         77;03/11/2025 10:00;03/11/2025 14:00;Resuelto;Urgente;Ana;SOC\n\
         78;14/11/2025 08:00;;Pendiente;Baja;Luis;IAM\n",
    )
    .expect("write");
    let (_s, c, o) = import(&spanish);
    assert_eq!(o.report.format, "generic");
    let i = row(&c, "77");
    assert_eq!(c.created_at[i], ms("2025-11-03 10:00"));
    assert_eq!(c.resolved_at[i], Some(ms("2025-11-03 14:00")));
    assert_eq!(c.status[i], "resolved");
    assert_eq!(c.priority[i].as_deref(), Some("P1"));
    assert_eq!(c.assignee[i].as_deref(), Some("Ana"));
    let j = row(&c, "78");
    assert_eq!(
        (c.status[j].as_str(), c.priority[j].as_deref()),
        ("pending", Some("P4"))
    );
}

/// A ServiceNow list exported with display labels in Spanish.
#[test]
fn servicenow_labels_in_spanish() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("incidentes.csv");
    std::fs::write(
        &path,
        "Número,Abierto,Estado,Prioridad,Grupo de asignación,Asignado a,Actualizado,Resuelto\n\
         INC0040001,04-03-2024 09:00,Resuelto,1 - Crítica,SOC,Ana Lima,04-03-2024 13:00,04-03-2024 13:00\n\
         INC0040002,15-03-2024 10:00,En espera,3 - Moderada,IAM,,16-03-2024 10:00,\n",
    )
    .expect("write");
    let (_s, c, o) = import(&path);
    assert_eq!(o.report.format, "servicenow");
    let ms = |d: &str| at(d, "%Y-%m-%d %H:%M");
    let i = row(&c, "INC0040001");
    assert_eq!(c.created_at[i], ms("2024-03-04 09:00"));
    assert_eq!(c.resolved_at[i], Some(ms("2024-03-04 13:00")));
    assert_eq!(
        (c.status[i].as_str(), c.priority[i].as_deref()),
        ("resolved", Some("P1"))
    );
    assert_eq!(c.team[i].as_deref(), Some("SOC"));
    let j = row(&c, "INC0040002");
    assert_eq!(
        (c.status[j].as_str(), c.priority[j].as_deref()),
        ("pending", Some("P3"))
    );
    assert_eq!(c.last_update_at[j], Some(ms("2024-03-16 10:00")));
}

/// GLPI as a Latin-American Spanish UI writes it: `Asignado a: - Técnico`
/// (with a colon), `Autor - Autor`, `En curso (asignada)`, `Mediana`, ids
/// grouped by a space, a trailing `;`.
#[test]
fn glpi_latin_american_spanish() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("glpi.csv");
    std::fs::write(
        &path,
        "\"ID\";\"Título\";\"Entidad\";\"Estado\";\"Autor - Autor\";\"Asignado a: - Técnico\";\"Fecha de Apertura\";\"Última actualización\";\"Prioridad\";\"Ubicación\";\n\
         \"12 345\";\"Sin acceso\";\"Raíz > TI\";\"En curso (asignada)\";\"Autor 1\";\"Técnico 1\";\"06-04-2026 05:21\";\"22-09-2026 14:22\";\"Mediana\";\"Sede\";\n",
    )
    .expect("write");
    let (_s, c, o) = import(&path);
    assert_eq!(o.report.format, "glpi");
    let i = row(&c, "12345");
    assert_eq!(c.created_at[i], at("2026-04-06 05:21", "%Y-%m-%d %H:%M"));
    assert_eq!(
        c.last_update_at[i],
        Some(at("2026-09-22 14:22", "%Y-%m-%d %H:%M"))
    );
    assert_eq!(
        (c.status[i].as_str(), c.priority[i].as_deref()),
        ("open", Some("P3"))
    );
    assert_eq!(c.assignee[i].as_deref(), Some("Técnico 1"));
    assert_eq!(c.requester[i].as_deref(), Some("Autor 1"));
    assert_eq!(c.department[i].as_deref(), Some("Raíz > TI"));
}

/// JSM's satisfaction as a custom field, in Spanish: stored once as
/// responses linked to the tickets.
#[test]
fn jsm_satisfaction_custom_field() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("jsm.csv");
    std::fs::write(
        &path,
        "Resumen,Clave de incidencia,Estado,Prioridad,Creada,Resuelta,Campo personalizado (Satisfaction)\n\
         a,SD-1,Listo,Alta,09/oct/25 1:42 PM,10/oct/25 9:00 AM,4\n\
         b,SD-2,Listo,Media,09/oct/25 2:00 PM,09/oct/25 5:00 PM,\n\
         c,SD-3,Listo,Baja,10/oct/25 8:00 AM,10/oct/25 9:00 AM,1\n",
    )
    .expect("write");
    let (store, _c, o) = import(&path);
    assert!(
        o.report
            .notes
            .iter()
            .any(|n| n.contains("2 satisfaction ratings")),
        "{:?}",
        o.report.notes
    );
    let s = store.load_surveys().expect("surveys");
    let mut got: Vec<(Option<String>, f64)> = s
        .ticket_id
        .iter()
        .cloned()
        .zip(s.rating.iter().copied())
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            (Some("SD-1".to_string()), 4.0),
            (Some("SD-3".to_string()), 1.0)
        ]
    );
}
