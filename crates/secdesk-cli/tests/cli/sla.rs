//! SLA policies and the groupings beyond weeks on a fixture worked out by
//! hand (tests/fixtures/sla/README.md has the working).

use serde_json::Value;

use crate::helpers::*;

fn sla_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = temp_db();
    let o = run(
        &db,
        &[
            "import",
            "tickets",
            fixture("sla/events.csv").to_str().expect("path"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (d, db)
}

fn set(db: &std::path::Path, specs: &[&str]) {
    let mut args = vec!["settings"];
    for s in specs {
        args.extend(["--set", s]);
    }
    let o = run(db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

fn row<'a>(doc: &'a Value, group: &str, key: &str, value: &str) -> &'a Value {
    doc[group]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r[key] == value))
        .unwrap_or_else(|| panic!("{group}: no {key} {value}"))
}

#[test]
fn the_default_policy_runs_on_the_calendar() {
    let (_d, db) = sla_db();
    let v = metrics_json(&db, &[]);
    assert_eq!(v["as_of"], "2026-12-28T12:00:00Z");
    let o = &v["overall"];
    assert!(close(&o["sla_first_response_breach_rate"], 0.5), "{o}");
    assert!(close(&o["sla_resolution_breach_rate"], 0.5), "{o}");
    assert!(close(&o["sla_met_share"], 0.5), "{o}");
    assert!(close(&o["excess_wait_hours"], 870.0), "{o}");
    // The pause counts against targets, not in the durations shown.
    let p3 = row(&v, "by_priority", "priority", "P3");
    assert!(close(&p3["resolution_hours"]["median"], 48.0), "{p3}");
    assert_eq!(
        v["config"]["sla_policy"]["resolution"]["P4"]["hours"],
        168.0
    );
    assert_eq!(
        v["config"]["sla_policy"]["first_response"]["P2"]["clock"],
        "calendar"
    );
}

#[test]
fn a_business_clock_counts_open_hours_and_skips_holidays() {
    let (_d, db) = sla_db();
    // INC1: Friday 16:30 to Monday 09:30 is 65 calendar hours, 60 business minutes.
    let w47 = metrics_json(&db, &["--week", "2026-W47"]);
    let o = &w47["overall"];
    assert!(close(&o["first_response_minutes"]["median"], 3900.0), "{o}");
    assert!(
        close(&o["first_response_business_minutes"]["median"], 60.0),
        "{o}"
    );
    assert!(close(&o["sla_first_response_breach_rate"], 1.0), "{o}");
    set(&db, &["sla.P2.first_response.clock=business"]);
    let after = metrics_json(&db, &["--week", "2026-W47"]);
    assert!(close(
        &after["overall"]["sla_first_response_breach_rate"],
        0.0
    ));
    // Its resolution still runs on the calendar: 71 h > 24 h.
    assert!(close(&after["overall"]["sla_resolution_breach_rate"], 1.0));
    // INC2 over Christmas: 600 business minutes, 120 with the 25th a holiday.
    let w52 = metrics_json(&db, &["--week", "2026-W52"]);
    assert!(close(
        &w52["overall"]["first_response_business_minutes"]["median"],
        600.0
    ));
    assert!(close(
        &w52["overall"]["sla_first_response_breach_rate"],
        1.0
    ));
    set(&db, &["holidays=2026-12-25"]);
    let w52 = metrics_json(&db, &["--week", "2026-W52"]);
    let o = &w52["overall"];
    assert!(
        close(&o["first_response_business_minutes"]["median"], 120.0),
        "{o}"
    );
    assert!(close(&o["sla_first_response_breach_rate"], 0.0), "{o}");
    // Resolved on Monday 28th: week 53, 4 business hours (1 + 3).
    let w53 = metrics_json(&db, &["--week", "2026-W53"]);
    let o = &w53["overall"];
    assert!(close(&o["resolution_business_hours"]["median"], 4.0), "{o}");
}

#[test]
fn the_policy_of_the_fixture_gives_the_hand_computed_figures() {
    let (_d, db) = sla_db();
    // The time INC3 waited on its requester keeps it within 30 h.
    set(&db, &["sla.P3.resolution=30h"]);
    let v = metrics_json(&db, &[]);
    let p3 = row(&v, "by_priority", "priority", "P3");
    assert!(close(&p3["sla_resolution_breach_rate"], 0.0), "{p3}");
    set(
        &db,
        &[
            "sla.P2.clock=business",
            "sla.team.SOC.P1.first_response=1.5h",
            "sla.category.Phishing.P1.first_response=40m",
            "holidays=2026-12-25",
        ],
    );
    let v = metrics_json(&db, &[]);
    let o = &v["overall"];
    assert!(
        close(&o["sla_first_response_breach_rate"], 2.0 / 6.0),
        "{o}"
    );
    assert!(close(&o["sla_resolution_breach_rate"], 1.0 / 6.0), "{o}");
    assert!(close(&o["sla_met_share"], 0.75), "{o}");
    assert!(close(&o["excess_wait_hours"], 723.0 + 1.0 / 12.0), "{o}");
    for (team, met) in [
        ("SOC", 1.0),
        ("IAM", 0.5),
        ("Group 1", 1.0),
        ("Group 2", 0.5),
    ] {
        let r = row(&v, "by_team", "team", team);
        assert!(close(&r["sla_met_share"], met), "{team}: {r}");
    }
    let overrides = &v["config"]["sla_policy"]["overrides"];
    assert_eq!(overrides.as_array().map(Vec::len), Some(2), "{overrides}");
    // An override removed: INC4 back under Phishing's 40 minutes.
    set(&db, &["sla.team.SOC.P1.first_response="]);
    let v = metrics_json(&db, &[]);
    let soc = row(&v, "by_team", "team", "SOC");
    assert!(close(&soc["sla_first_response_breach_rate"], 1.0), "{soc}");
    let shown = stdout(&run(&db, &["settings"]));
    assert!(shown.contains("P2 4 h (business hours)"), "{shown}");
    assert!(
        shown.contains("category Phishing P1 first response"),
        "{shown}"
    );
}

#[test]
fn months_quarters_backlog_age_and_arrivals() {
    let (_d, db) = sla_db();
    let v = metrics_json(&db, &[]);
    let months: Vec<(String, i64)> = v["by_month"]
        .as_array()
        .expect("by_month")
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap_or("").to_string(),
                m["tickets"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(months, vec![("2026-11".into(), 5), ("2026-12".into(), 1)]);
    assert_eq!(v["by_quarter"][0]["quarter"], "2026-Q4");
    assert_eq!(v["by_quarter"][0]["tickets"], 6);
    // The November backlog at its end: INC6 only.
    assert_eq!(v["by_month"][0]["backlog"], 1);
    let age = v["backlog_age"].as_array().expect("backlog_age");
    assert_eq!(age.len(), 5);
    let oldest = &age[4];
    assert_eq!(oldest["bucket"], ">30d");
    assert_eq!(oldest["open"], 1);
    assert!(close(&oldest["oldest_days"], 33.125), "{oldest}");
    assert!(close(&oldest["silent_share"], 1.0), "{oldest}");
    assert!(age[..4]
        .iter()
        .all(|b| b["open"] == 0 && b["silent_share"].is_null()));
    let cells = v["arrivals_heatmap"].as_array().expect("heatmap");
    assert_eq!(cells.len(), 7 * 24);
    let filled: Vec<(i64, i64, Option<f64>)> = cells
        .iter()
        .filter(|c| c["tickets"].as_i64() > Some(0))
        .map(|c| {
            (
                c["weekday"].as_i64().unwrap_or(0),
                c["hour"].as_i64().unwrap_or(0),
                c["first_response_median_minutes"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        filled,
        vec![
            (1, 9, Some(60.0)),
            (2, 10, Some(45.0)),
            (2, 11, Some(45.0)),
            (3, 9, None),
            (4, 16, Some(5400.0)),
            (5, 16, Some(3900.0)),
        ]
    );
}

#[test]
fn wrong_policy_values_name_the_key_and_save_nothing() {
    let (_d, db) = sla_db();
    for spec in [
        "sla.P2.clock=sometimes",
        "sla.P5.resolution=4h",
        "sla.P2.resolution=soon",
        "sla.P2.resolution=0",
        "sla.team..P1.first_response=1h",
        "sla.region.EU.P1.first_response=1h",
        "sla.team.SOC.P1.clock=business",
    ] {
        let o = run(&db, &["settings", "--set", spec]);
        assert!(!o.status.success(), "{spec} was accepted");
        let (key, _) = spec.split_once('=').expect("spec");
        assert!(stderr(&o).contains(key), "{spec}: {}", stderr(&o));
    }
    let v = metrics_json(&db, &[]);
    assert!(close(&v["overall"]["sla_met_share"], 0.5));
}

#[test]
fn the_tickets_that_need_action_follow_the_clock() {
    let (_d, db) = sla_db();
    let week = |db: &std::path::Path| -> Value {
        let o = run(db, &["report", "--week", "2026-W48", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).expect("json")
    };
    // At the end of week 48 (Mon 30 Nov 00:00) INC6 has waited 111 calendar
    // hours for a first response: past P4's 72.
    let r = week(&db);
    assert_eq!(r["breached_total"], 1);
    assert_eq!(r["breached"][0]["ticket_id"], "INC6");
    assert!(close(&r["breached"][0]["first_response_wait_hours"], 111.0));
    // On business hours it has waited Wed, Thu, Fri: 24 h, within 72.
    set(&db, &["sla.P4.clock=business"]);
    let r = week(&db);
    assert_eq!(r["breached_total"], 0, "{}", r["breached"]);
}

/// A vendor column that gives the total time a ticket waited on its
/// requester (Zendesk's "Agent wait time in minutes") comes off the calendar
/// resolution clock, never more than the span; not off a business clock (a
/// total cannot be placed on open hours), nor when as_of is before the end
/// of the data for a ticket still open then.
#[test]
fn a_total_waiting_time_column_pauses_calendar_resolution_clocks() {
    let (_d, db) = temp_db();
    let file = fixture("sla/zendesk_waits.csv");
    let o = run(&db, &["import", "tickets", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("pause            from `Agent wait time in minutes`"),
        "{}",
        stdout(&o)
    );
    let sla = |extra: &[&str]| -> Vec<Value> {
        let mut args = vec!["sla", "--json"];
        args.extend_from_slice(extra);
        let o = run(&db, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        v["tickets"].as_array().expect("tickets").clone()
    };
    let by_id = |rows: &[Value], id: &str| -> Value {
        rows.iter()
            .find(|t| t["ticket_id"] == id)
            .cloned()
            .expect("ticket")
    };
    let rows = sla(&[]);
    // (paused, on the clock, met): Z1 30 h less 10 h waiting meets P2's 24 h;
    // Z4's 500 min of waiting is cut to its 1 h span.
    for (id, paused, elapsed, met) in [
        ("Z1", 10.0, 20.0, true),
        ("Z2", 0.0, 72.0, true),
        ("Z3", 2.0, 23.0, false),
        ("Z4", 1.0, 0.0, true),
    ] {
        let r = &by_id(&rows, id)["resolution"];
        assert!(close(&r["paused_hours"], paused), "{id}: {r}");
        assert!(close(&r["elapsed_hours"], elapsed), "{id}: {r}");
        assert_eq!(r["met"], met, "{id}: {r}");
        assert!(close(
            &by_id(&rows, id)["first_response"]["paused_hours"],
            0.0
        ));
    }
    // As of Wednesday noon Z3 is still open and its total may hold later waits.
    let early = sla(&["--as-of", "2026-11-04T12:00:00Z"]);
    assert!(close(
        &by_id(&early, "Z3")["resolution"]["paused_hours"],
        0.0
    ));
    // On business hours the total is not used: Mon 09–17 + Tue 09–15 = 14 h.
    set(&db, &["sla.P2.resolution.clock=business"]);
    let r = &by_id(&sla(&[]), "Z1")["resolution"];
    assert!(close(&r["paused_hours"], 0.0), "{r}");
    assert!(close(&r["elapsed_hours"], 14.0), "{r}");
}
