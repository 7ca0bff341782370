//! Hand-computed metrics on a small fixture (tests/fixtures/golden/README.md has the working).

use crate::helpers::*;

/// A database holding the golden tickets and surveys.
fn golden_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = temp_db();
    for (kind, file) in [
        ("tickets", "golden/tickets.csv"),
        ("surveys", "golden/surveys.csv"),
    ] {
        let o = run(
            &db,
            &["import", kind, fixture(file).to_str().expect("path")],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (d, db)
}

#[test]
fn every_key_matches_the_hand_computed_value() {
    let (_d, db) = golden_db();
    let actual = metrics_json(
        &db,
        &["--as-of", "2026-11-20T17:00:00Z", "--hourly-cost", "100"],
    );
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("golden/expected.json")).expect("expected"),
    )
    .expect("json");
    assert_eq!(actual["schema"], 1);
    assert_eq!(actual["timezone"], "UTC");
    assert_matches(&actual, &expected, "");
    // Every documented key is present in every group.
    for key in [
        "tickets",
        "first_response_minutes",
        "awaiting_first_response",
        "resolution_hours",
        "sla_first_response_breach_rate",
        "reopen_rate",
        "follow_ups_per_ticket",
        "follow_ups_per_open_day",
        "silent_open_share",
        "backlog",
        "csat",
        "nps",
        "blocked_hours",
        "excess_wait_hours",
        "impact_cost",
    ] {
        assert!(actual["overall"].get(key).is_some(), "overall.{key}");
        for group in [
            "by_week",
            "by_priority",
            "by_assignee",
            "by_team",
            "by_category",
            "by_department",
            "by_channel",
        ] {
            for row in actual[group].as_array().expect("array") {
                assert!(row.get(key).is_some(), "{group}.{key}");
            }
        }
    }
}

#[test]
fn filters_narrow_every_family() {
    let (_d, db) = golden_db();
    let v = metrics_json(&db, &["--as-of", "2026-11-20T17:00:00Z", "--team", "SOC"]);
    // SOC: T1, T2, T5. Surveys S1, S2, S3 (S5 has no ticket and drops out under a filter).
    assert_eq!(v["overall"]["tickets"], 3);
    assert_eq!(v["overall"]["csat"]["rated"], 3);
    assert_eq!(v["overall"]["backlog"], 0);
    assert_eq!(v["filters"]["team"][0], "SOC");
    let w = metrics_json(
        &db,
        &["--as-of", "2026-11-20T17:00:00Z", "--week", "2026-W47"],
    );
    assert_eq!(w["overall"]["tickets"], 4);
    assert_eq!(w["by_week"].as_array().map(Vec::len), Some(1));
    assert_eq!(w["by_week"][0]["week"], "2026-W47");
}

#[test]
fn as_of_defaults_to_the_latest_timestamp_in_the_data() {
    let (_d, db) = golden_db();
    let v = metrics_json(&db, &[]);
    // S4 at 2026-11-19T16:00Z is later than any ticket timestamp.
    assert_eq!(v["as_of"], "2026-11-19T16:00:00Z");
}

/// Saved settings apply to every later command; command-line options override
/// them; a wrong value names the setting and saves nothing.
#[test]
fn saved_settings_apply_and_flags_override_them() {
    let (_d, db) = golden_db();
    let as_of = ["--as-of", "2026-11-20T17:00:00Z"];
    // Defaults: T6 (P2, 24 h) and T4 (P4, waiting since 16 Nov) breach: 2 of 6.
    let before = metrics_json(&db, &as_of);
    assert_eq!(
        before["overall"]["sla_first_response_breach_rate"],
        2.0 / 6.0
    );
    let o = run(
        &db,
        &[
            "settings",
            "--set",
            "sla.P2=25",
            "--set",
            "time_zone=Europe/Paris",
            "--set",
            "hourly_cost=100",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // T6's 24 h now meets its 25 h target: 1 of 6.
    let after = metrics_json(&db, &as_of);
    assert_eq!(
        after["overall"]["sla_first_response_breach_rate"],
        1.0 / 6.0
    );
    assert_eq!(after["timezone"], "Europe/Paris");
    assert_eq!(after["config"]["sla_first_response_hours"]["P2"], 25.0);
    assert_eq!(after["config"]["hourly_cost"], 100.0);
    let flagged = metrics_json(
        &db,
        &[
            "--as-of",
            "2026-11-20T17:00:00Z",
            "--sla",
            "P2=4",
            "--tz",
            "UTC",
        ],
    );
    assert_eq!(
        flagged["overall"]["sla_first_response_breach_rate"],
        2.0 / 6.0
    );
    assert_eq!(flagged["timezone"], "UTC");

    let bad = run(&db, &["settings", "--set", "business_hours=18:00-09:00"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("business_hours"), "{}", stderr(&bad));
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&run(&db, &["settings", "--json"]))).expect("json");
    assert_eq!(shown["business_open"], "09:00");
    assert_eq!(shown["sla_hours"][1], 25.0);

    let o = run(&db, &["settings", "--reset"]);
    assert!(o.status.success());
    let reset = metrics_json(&db, &as_of);
    assert_eq!(
        reset["overall"]["sla_first_response_breach_rate"],
        2.0 / 6.0
    );
    assert_eq!(reset["timezone"], "UTC");
}

/// The tickets behind a chart point: a week's created tickets (what by_week
/// counts), a first-response bucket, both under the filters.
#[test]
fn tickets_behind_a_point_are_the_ones_the_chart_counts() {
    let (_d, db) = golden_db();
    let ids = |args: &[&str]| -> (u64, Vec<String>) {
        let mut all = vec!["tickets", "--json", "--as-of", "2026-11-20T17:00:00Z"];
        all.extend_from_slice(args);
        let o = run(&db, &all);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        let ids = v["tickets"]
            .as_array()
            .expect("tickets")
            .iter()
            .map(|t| t["ticket_id"].as_str().expect("id").to_string())
            .collect();
        (v["total"].as_u64().expect("total"), ids)
    };
    // Created 16–17 Nov, by creation time.
    assert_eq!(
        ids(&["--week", "2026-W47"]),
        (4, vec!["T1".into(), "T2".into(), "T4".into(), "T3".into()])
    );
    let m = metrics_json(&db, &["--as-of", "2026-11-20T17:00:00Z"]);
    let w47 = m["by_week"]
        .as_array()
        .expect("weeks")
        .iter()
        .find(|w| w["week"] == "2026-W47")
        .expect("W47");
    assert_eq!(w47["tickets"], 4);
    assert_eq!(
        ids(&["--week", "2026-W47", "--priority", "P1"]),
        (1, vec!["T1".into()])
    );
    assert_eq!(
        ids(&["--week", "2026-W46"]),
        (2, vec!["T5".into(), "T6".into()])
    );
    // First response under an hour: T5 (10 min) and T1 (30 min).
    assert_eq!(
        ids(&["--bucket", "<1h"]),
        (2, vec!["T5".into(), "T1".into()])
    );
    assert_eq!(ids(&["--bucket", "none"]), (1, vec!["T4".into()]));
    // Typed as the help writes it, or with spaces and a hyphen.
    assert_eq!(ids(&["--bucket", "< 1 h"]), ids(&["--bucket", "<1h"]));
    assert_eq!(ids(&["--bucket", "1-4h"]), ids(&["--bucket", "1–4h"]));
    let (total, shown) = ids(&["--week", "2026-W47", "--limit", "2"]);
    assert_eq!((total, shown.len()), (4, 2));
    let o = run(&db, &["tickets"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&db, &["tickets", "--bucket", "2-5h"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("buckets: <1h, 1–4h"), "{}", stderr(&o));
}

#[test]
fn an_empty_database_says_what_to_do_first() {
    let (_d, db) = temp_db();
    for args in [
        &["scorecard"][..],
        &["report", "--json"],
        &["what-if"],
        &["tickets", "--week", "2026-W47"],
        &["chart", "csat-weekly", "--out", "never.svg"],
    ] {
        let o = run(&db, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("import an export first"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // The metrics document stays valid (zeros), with the same note.
    let o = run(&db, &["metrics", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("import an export first"));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["overall"]["tickets"], 0);
}

#[test]
fn options_that_select_nothing_are_said_so() {
    let (_d, db) = golden_db();
    // An empty period is an error, not a report of zeros.
    let o = run(
        &db,
        &["metrics", "--from", "2026-12-01", "--to", "2026-01-01"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the period is empty"), "{}", stderr(&o));
    // A filter value no ticket has is named; the figures are still printed.
    let o = run(&db, &["metrics", "--json", "--team", "Nobody"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no ticket has team `Nobody`"),
        "{}",
        stderr(&o)
    );
    // Priorities in any case; what-if only for the four SLA priorities.
    let lower = metrics_json(&db, &["--priority", "p1"]);
    let upper = metrics_json(&db, &["--priority", "P1"]);
    assert_eq!(lower["overall"], upper["overall"]);
    assert_eq!(upper["overall"]["tickets"], 1);
    let o = run(&db, &["what-if", "--priority", "P9"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("P1, P2, P3 or P4"), "{}", stderr(&o));
}
