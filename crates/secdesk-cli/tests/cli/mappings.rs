//! A mapping the user confirmed is saved for its header layout and used again
//! for the next file with the same headers; `ignore=Header` leaves a column out.

use crate::helpers::*;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn a_confirmed_mapping_is_reused_for_the_same_layout() {
    let (d, db) = temp_db();
    let header = "Case,Logged,Touched,Weight,Queue\n";
    let first = write(
        d.path(),
        "week1.csv",
        &format!("{header}A1,2026-11-02T09:00:00Z,2026-11-02T10:00:00Z,P1,SOC\n"),
    );
    let second = write(
        d.path(),
        "week2.csv",
        &format!("{header}A2,2026-11-09T09:00:00Z,2026-11-09T09:30:00Z,P2,IAM\n"),
    );
    // Nothing here names the required columns: refused until mapped.
    let refused = run(&db, &["import", "tickets", first.to_str().expect("p")]);
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    let o = run(
        &db,
        &[
            "import",
            "tickets",
            first.to_str().expect("p"),
            "--map",
            "ticket_id=Case",
            "--map",
            "created_at=Logged",
            "--map",
            "first_response_at=Touched",
            "--map",
            "priority=Weight",
            "--map",
            "ignore=Queue",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("column mapping saved"),
        "{}",
        stdout(&o)
    );
    // The next export with the same headers needs no --map.
    let inspect = run(&db, &["inspect", second.to_str().expect("p"), "--json"]);
    assert!(inspect.status.success(), "{}", stderr(&inspect));
    let i: serde_json::Value = serde_json::from_str(&stdout(&inspect)).expect("json");
    let field_of = |h: &str| {
        i["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .find(|c| c["header"] == h)
            .map(|c| c["field"].as_str().expect("field").to_string())
    };
    assert_eq!(field_of("Case").as_deref(), Some("ticket_id"));
    assert_eq!(field_of("Queue").as_deref(), Some("(ignored)"));
    let o = run(
        &db,
        &["import", "tickets", second.to_str().expect("p"), "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("saved for this header layout was used"),
        "{}",
        stdout(&o)
    );
    let m = metrics_json(&db, &["--as-of", "2026-11-10T00:00:00Z"]);
    assert_eq!(m["overall"]["tickets"], 2);
    // 60 and 30 minutes.
    assert_eq!(m["overall"]["first_response_minutes"]["median"], 45.0);
    // The ignored column fed nothing: no team.
    assert_eq!(m["by_team"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(m["by_team"][0]["team"], "(none)");
}
