//! The success-factor scorecard, the business impact and the weekly report:
//! hand-computed figures on tests/fixtures/scorecard (working in its README),
//! and the report rendered from data-samples checked through pdftotext.

use std::process::Command;

use secdesk_core::format::format_value;
use secdesk_core::format::Unit;
use serde_json::Value;

use crate::helpers::*;

fn imported(pairs: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = temp_db();
    for (kind, path) in pairs {
        let o = run(&db, &["import", kind, path]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (d, db)
}

fn scorecard_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = fixture("scorecard/tickets.csv");
    let s = fixture("scorecard/surveys.csv");
    imported(&[
        ("tickets", t.to_str().expect("path")),
        ("surveys", s.to_str().expect("path")),
    ])
}

fn json_of(db: &std::path::Path, args: &[&str]) -> Value {
    let o = run(db, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

fn indicator<'a>(card: &'a Value, key: &str) -> &'a Value {
    card["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .flat_map(|f| f["indicators"].as_array().expect("indicators"))
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("no indicator {key}"))
}

fn factor<'a>(card: &'a Value, key: &str) -> &'a Value {
    card["factors"]
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no factor {key}"))
}

fn close(v: &Value, expected: f64, what: &str) {
    let a = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {v} is not a number"));
    assert!((a - expected).abs() < 1e-9, "{what}: {a} != {expected}");
}

#[test]
fn scorecard_values_and_statuses_match_the_hand_computed_ones() {
    let (_d, db) = scorecard_db();
    let card = json_of(&db, &["scorecard", "--week", "2026-W46", "--json"]);
    assert_eq!(card["week"], "2026-W46");
    assert_eq!(card["as_of"], "2026-11-20T17:00:00Z");
    let expect = [
        ("first_response_p90_p1", 30.0, "on_target"),
        ("first_response_p90_p2", 360.0, "near"),
        ("first_response_p90_p3", 2604.0, "off"),
        ("sla_breach_rate", 0.6, "off"),
        ("resolution_median", 30.0, "no_target"),
        ("excess_wait_hours", 129.0, "no_target"),
        ("reopen_rate", 0.25, "off"),
        ("reassignments_per_ticket", 0.75, "no_target"),
        ("csat_reopened", 0.0, "no_target"),
        ("csat_not_reopened", 1.0, "no_target"),
        ("silent_open_share", 0.0, "on_target"),
        ("csat_satisfied_share", 0.5, "off"),
        ("self_service_share", 0.4, "no_target"),
        ("knowledge_share", 0.5, "no_target"),
        ("blocked_hours", 359.0, "no_target"),
        ("resolved_within_day_share", 0.5, "no_target"),
        ("slowest_department_first_response", 360.0, "no_target"),
        ("high_priority_share", 0.4, "no_target"),
        ("repeat_request_share", 0.4, "no_target"),
    ];
    for (key, value, status) in expect {
        let i = indicator(&card, key);
        close(&i["value"], value, key);
        assert_eq!(i["status"], status, "{key}");
        assert!(i["missing"].is_null(), "{key}");
    }
    assert_eq!(
        indicator(&card, "slowest_department_first_response")["detail"],
        "Sales"
    );
}

#[test]
fn factors_take_the_worst_status_and_say_what_column_is_missing() {
    let (_d, db) = scorecard_db();
    let card = json_of(&db, &["scorecard", "--week", "2026-W46", "--json"]);
    for (key, status) in [
        ("streamline", "off"),
        ("own_experience", "off"),
        ("relationship_view", "on_target"),
        ("personalized", "off"),
        ("self_help", "no_target"),
        ("community", "no_target"),
    ] {
        assert_eq!(factor(&card, key)["status"], status, "{key}");
    }
    // No event log: the gap between updates names what would measure it.
    let gap = indicator(&card, "median_update_gap_hours");
    assert!(gap["value"].is_null());
    assert_eq!(gap["status"], "no_data");
    assert!(gap["missing"]
        .as_str()
        .expect("missing")
        .contains("event log"));
    let nps = indicator(&card, "nps");
    assert!(nps["missing"].as_str().expect("missing").contains("0–10"));
    assert!(factor(&card, "relationship_view")["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .any(|m| m.as_str().is_some_and(|m| m.contains("event log"))));
    // P4 has tickets but none answered in the week: no data, and the column exists.
    let p4 = indicator(&card, "first_response_p90_p4");
    assert_eq!(p4["status"], "no_data");
    assert!(p4["missing"].is_null());

    // Without surveys, knowledge or reassignment columns, those factors say so.
    let (_d2, db2) = imported(&[(
        "tickets",
        fixture("golden/tickets.csv").to_str().expect("path"),
    )]);
    let bare = json_of(&db2, &["scorecard", "--week", "2026-W47", "--json"]);
    for (key, column) in [
        ("csat_satisfied_share", "survey export"),
        ("knowledge_share", "knowledge-article column"),
        ("reassignments_per_ticket", "reassignment count column"),
        ("repeat_request_share", "requester column"),
    ] {
        let i = indicator(&bare, key);
        assert!(i["value"].is_null(), "{key}");
        let missing = i["missing"]
            .as_str()
            .unwrap_or_else(|| panic!("{key} names no column"));
        assert!(missing.contains(column), "{key}: {missing}");
    }
    assert_eq!(factor(&bare, "personalized")["status"], "no_data");
}

#[test]
fn edited_targets_change_the_status() {
    let (_d, db) = scorecard_db();
    let card = json_of(
        &db,
        &[
            "scorecard",
            "--week",
            "2026-W46",
            "--json",
            "--target",
            "reopen_rate=0.3/0.4",
            "--target",
            "csat_satisfied_share=0.6/0.5",
        ],
    );
    assert_eq!(indicator(&card, "reopen_rate")["status"], "on_target");
    assert_eq!(indicator(&card, "csat_satisfied_share")["status"], "near");
    assert_eq!(factor(&card, "own_experience")["status"], "on_target");
    // Saved targets apply to every later scorecard and report, until reset.
    let o = run(&db, &["targets", "--set", "reopen_rate=0.3/0.4"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("reopen_rate"));
    let card = json_of(&db, &["scorecard", "--week", "2026-W46", "--json"]);
    assert_eq!(indicator(&card, "reopen_rate")["status"], "on_target");
    assert!(run(&db, &["targets", "--reset"]).status.success());
    let card = json_of(&db, &["scorecard", "--week", "2026-W46", "--json"]);
    assert_eq!(indicator(&card, "reopen_rate")["status"], "off");
    let o = run(&db, &["scorecard", "--target", "reopen_rate=0.4/0.3"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("near threshold"));
}

#[test]
fn trend_covers_the_four_weeks_up_to_the_report_week() {
    let (_d, db) = scorecard_db();
    let card = json_of(&db, &["scorecard", "--week", "2026-W46", "--json"]);
    let trend = indicator(&card, "reassignments_per_ticket")["trend"].clone();
    assert_eq!(trend, serde_json::json!([null, null, 0.0, 0.75]));
    assert_eq!(
        indicator(&card, "reassignments_per_ticket")["trend_direction"],
        "worse"
    );
}

#[test]
fn what_if_saves_the_wait_beyond_the_target() {
    let (_d, db) = scorecard_db();
    let week = [
        "--from",
        "2026-11-09",
        "--to",
        "2026-11-16",
        "--hourly-cost",
        "100",
    ];
    let mut args = vec!["what-if", "--json", "--priority", "P2"];
    args.extend(week);
    let p2 = json_of(&db, &args);
    // A2: answered after 6 h against 4 h, two people blocked.
    assert_eq!(p2["tickets"], 1);
    assert_eq!(p2["breached"], 1);
    close(&p2["saved_blocked_hours"], 4.0, "P2 saved");
    close(&p2["saved_cost"], 400.0, "P2 cost");
    close(&p2["blocked_hours"], 96.0, "P2 blocked");
    let mut args = vec!["what-if", "--json", "--priority", "P4"];
    args.extend(week);
    let p4 = json_of(&db, &args);
    // A5: never answered, waiting 173 h at as_of against 72 h.
    close(&p4["saved_blocked_hours"], 101.0, "P4 saved");
    // Default period: the quarter before as_of (2026-07-01 – 2026-10-01) has no ticket.
    let q = json_of(&db, &["what-if", "--json"]);
    assert_eq!(q["tickets"], 0);
    assert!(q["saved_blocked_hours"].is_null());
    assert_eq!(q["period"], "2026-07-01T00:00:00Z – 2026-10-01T00:00:00Z");
}

#[test]
fn impact_panel_holds_the_week_by_priority_and_channel_costs() {
    let (_d, db) = scorecard_db();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("r.html");
    let r = json_of(
        &db,
        &[
            "report",
            "--week",
            "2026-W46",
            "--hourly-cost",
            "100",
            "--out",
            out.to_str().expect("path"),
            "--json",
        ],
    );
    let impact = &r["impact"];
    close(&impact["total"]["blocked_hours"], 359.0, "blocked");
    close(&impact["total"]["impact_cost"], 35_900.0, "cost");
    close(&impact["total"]["excess_wait_hours"], 129.0, "excess");
    // By priority, largest blocked hours first: P4 173, P2 96, P3 84, P1 6.
    let order: Vec<&str> = impact["by_priority"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["group"].as_str().expect("group"))
        .collect();
    assert_eq!(order, ["P4", "P2", "P3", "P1"]);
    // Channel mix: portal (self-service) 2 of 5 at $0.32, others live at $7.50.
    let portal = impact["channel_mix"]
        .as_array()
        .expect("mix")
        .iter()
        .find(|c| c["channel"] == "portal")
        .expect("portal");
    assert_eq!(portal["self_service"], true);
    close(&portal["share"], 0.4, "portal share");
    close(&portal["contact_cost"], 0.64, "portal cost");
    let phone = impact["channel_mix"]
        .as_array()
        .expect("mix")
        .iter()
        .find(|c| c["channel"] == "phone")
        .expect("phone");
    close(&phone["contact_cost"], 7.5, "phone cost");
    assert_eq!(r["headline"][0]["key"], "tickets");
    close(&r["headline"][0]["this_week"], 5.0, "tickets this week");
    close(&r["headline"][0]["last_week"], 1.0, "tickets last week");
    let html = std::fs::read_to_string(&out).expect("html");
    assert!(html.contains("$ 35,900"));
}

fn pdf_pages(path: &std::path::Path) -> usize {
    let o = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo is installed by .ci/setup (poppler-utils)");
    assert!(o.status.success(), "pdfinfo cannot open {}", path.display());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().expect("pages"))
        })
        .expect("page count")
}

fn samples_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = repo().join("data-samples/tickets.csv");
    let s = repo().join("data-samples/surveys.csv");
    imported(&[
        ("tickets", t.to_str().expect("path")),
        ("surveys", s.to_str().expect("path")),
    ])
}

#[test]
fn weekly_report_pdf_and_html_carry_the_metrics_of_the_week() {
    let (_d, db) = samples_db();
    let dir = tempfile::tempdir().expect("dir");
    let pdf = dir.path().join("report.pdf");
    let html = dir.path().join("report.html");
    for out in [&pdf, &html] {
        let o = run(
            &db,
            &[
                "report",
                "--week",
                "2026-W46",
                "--out",
                out.to_str().expect("path"),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(pdf_pages(&pdf) >= 3);
    let text = pdftotext(&pdf).expect("pdftotext");
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(!page.contains("<script") && !page.contains("src=\"http"));
    assert_eq!(page.matches("<svg").count(), 3, "three charts inline");

    let m = metrics_json(&db, &["--week", "2026-W46"]);
    let o = &m["overall"];
    let numbers = [
        format_value(
            o["first_response_minutes"]["median"].as_f64(),
            Unit::Minutes,
            "",
        ),
        format_value(
            o["sla_first_response_breach_rate"].as_f64(),
            Unit::Share,
            "",
        ),
        format_value(o["resolution_hours"]["median"].as_f64(), Unit::Hours, ""),
        format_value(o["reopen_rate"].as_f64(), Unit::Share, ""),
        format_value(o["follow_ups_per_open_day"].as_f64(), Unit::PerDay, ""),
        format_value(o["silent_open_share"].as_f64(), Unit::Share, ""),
        format_value(o["csat"]["satisfied_share"].as_f64(), Unit::Share, ""),
        format_value(o["blocked_hours"].as_f64(), Unit::Hours, ""),
        format_value(o["impact_cost"].as_f64(), Unit::Cost, "$"),
    ];
    for n in &numbers {
        assert!(n != "—", "the sample week has every headline metric");
        assert!(text.contains(n.as_str()), "PDF lacks {n}");
        assert!(page.contains(n.as_str()), "HTML lacks {n}");
    }
    for words in [
        "2026-W46",
        "as of",
        "Data sources: tickets.csv, surveys.csv",
        "Success-factor scorecard",
        "What if first response had met its target",
    ] {
        assert!(text.contains(words), "PDF lacks `{words}`");
    }
}

/// Every requester of the sample tickets (column `Requester`).
fn sample_requesters() -> Vec<String> {
    let mut r = csv::Reader::from_path(repo().join("data-samples/tickets.csv")).expect("csv");
    let col = r
        .headers()
        .expect("headers")
        .iter()
        .position(|h| h == "Requester")
        .expect("Requester column");
    let mut names: Vec<String> = r
        .records()
        .map(|rec| rec.expect("record")[col].to_string())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn redact_leaves_no_requester_name_or_email_in_any_output() {
    let (_d, db) = samples_db();
    let dir = tempfile::tempdir().expect("dir");
    let names = sample_requesters();
    assert!(names.len() > 20);
    let mut outputs = Vec::new();
    for (file, redact) in [("plain.html", false), ("red.html", true), ("red.pdf", true)] {
        let out = dir.path().join(file);
        let mut args = vec![
            "report",
            "--week",
            "2026-W46",
            "--out",
            out.to_str().expect("path"),
        ];
        if redact {
            args.push("--redact");
        }
        let o = run(&db, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = if file.ends_with(".pdf") {
            pdftotext(&out).expect("pdftotext")
        } else {
            std::fs::read_to_string(&out).expect("html")
        };
        outputs.push((file, text));
    }
    let json = run(&db, &["report", "--week", "2026-W46", "--redact", "--json"]);
    assert!(json.status.success());
    outputs.push(("json", stdout(&json)));
    // The plain report does name requesters: the check below can fail.
    assert!(names.iter().any(|n| outputs[0].1.contains(n.as_str())));
    for (file, text) in &outputs[1..] {
        for n in &names {
            assert!(!text.contains(n.as_str()), "{file} names {n}");
        }
        assert!(text.contains("Requester "), "{file} has no pseudonym");
    }

    // Emails inside requester fields are replaced too, the same person the same way.
    let (_d2, db2) = scorecard_db();
    let out = dir.path().join("fixture.html");
    let o = run(
        &db2,
        &[
            "report",
            "--week",
            "2026-W47",
            "--redact",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&out).expect("html");
    assert!(!page.contains("fay.okoro") && !page.contains("Fay Okoro") && !page.contains('@'));
    let plain = run(&db2, &["report", "--week", "2026-W47", "--json"]);
    assert!(stdout(&plain).contains("fay.okoro@example.com"));
}

#[test]
fn personal_stats_show_one_person_beside_the_team_median() {
    let (_d, db) = samples_db();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("me.html");
    let m = metrics_json(&db, &[]);
    let people: Vec<String> = m["by_assignee"]
        .as_array()
        .expect("assignees")
        .iter()
        .filter_map(|r| r["assignee"].as_str().map(str::to_string))
        .filter(|a| a != "(none)")
        .collect();
    let me = people[0].clone();
    let stats = json_of(
        &db,
        &[
            "report",
            "--assignee",
            &me,
            "--out",
            out.to_str().expect("path"),
            "--json",
        ],
    );
    assert_eq!(stats["assignee"], me.as_str());
    // Their numbers are the metrics filtered to them over the same 12 weeks.
    let from = stats["from"].as_i64().expect("from");
    let to = stats["to"].as_i64().expect("to");
    let mine = metrics_json(
        &db,
        &[
            "--assignee",
            &me,
            "--from",
            &secdesk_core::calendar::instant_text(from),
            "--to",
            &secdesk_core::calendar::instant_text(to),
        ],
    );
    let row = |key: &str| {
        stats["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["key"] == key)
            .cloned()
            .expect("row")
    };
    close(
        &row("tickets")["mine"],
        mine["overall"]["tickets"].as_f64().expect("n"),
        "tickets",
    );
    close(
        &row("first_response_median")["mine"],
        mine["overall"]["first_response_minutes"]["median"]
            .as_f64()
            .expect("frt"),
        "first response",
    );
    assert!(row("first_response_median")["team_median"].is_f64());
    let page = std::fs::read_to_string(&out).expect("html");
    assert!(page.contains(me.as_str()));
    for other in people.iter().filter(|p| **p != me) {
        assert!(!page.contains(other.as_str()), "names {other}");
    }
    for n in sample_requesters() {
        assert!(!page.contains(n.as_str()), "names requester {n}");
    }
    let o = run(&db, &["report", "--assignee", "Nobody Here", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no ticket is assigned to `Nobody Here`"));
}

#[test]
fn output_cut_short_by_its_reader_ends_quietly() {
    // `secdesk metrics --json | head -c 100`: far more than a pipe holds.
    let (_d, db) = samples_db();
    let mut child = std::process::Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["metrics", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run secdesk");
    let mut first = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first)
        .expect("first bytes");
    drop(child.stdout.take());
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(141), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&first).starts_with('{'));
}

#[test]
fn exit_codes_tell_a_scheduler_what_happened() {
    let (_d, db) = scorecard_db();
    assert_eq!(run(&db, &["report", "--frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&db, &["no-such-command"]).status.code(), Some(2));
    let o = run(&db, &["report", "--week", "2026-W99", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&db, &["report", "--out", "report.docx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(".pdf or .html"), "{}", stderr(&o));
    let help = stdout(&run(&db, &["--help"]));
    assert!(
        help.contains("Exit codes") && help.contains("4 file refused"),
        "{help}"
    );
}
