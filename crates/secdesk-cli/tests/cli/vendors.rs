//! What `secdesk inspect` shows of a vendor file, and the read options a
//! user chooses when detection gets them wrong.

use crate::helpers::fixture;

/// `inspect` shows, per column, the field it feeds and what its first values
/// are read as (canonical priority and status, ids without NBSP, UTC instants).
#[test]
fn inspect_shows_values_as_read() {
    use crate::helpers::{run, stderr, stdout, temp_db};
    let (_d, db) = temp_db();
    let o = run(
        &db,
        &[
            "inspect",
            fixture("vendors/glpi_tickets.csv").to_str().expect("p"),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let col = |h: &str| {
        v["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .find(|c| c["header"] == h)
            .cloned()
            .expect(h)
    };
    assert_eq!(
        col("ID")["parsed"],
        serde_json::json!(["1024", "1025", "1026"])
    );
    assert_eq!(
        col("Priorité")["parsed"],
        serde_json::json!(["P1", "P3", "P4"])
    );
    assert_eq!(
        col("Statut")["parsed"],
        serde_json::json!(["resolved", "open", "closed"])
    );
    assert_eq!(col("Date d'ouverture")["parsed"][1], "2025-11-13T08:05:00Z");
    assert_eq!(col("Titre")["field"], "(ignored)");
    assert_eq!(col("Titre")["parsed"], serde_json::json!([]));
}

/// When detection gets the encoding or the delimiter wrong, the user's choice wins.
#[test]
fn encoding_and_delimiter_can_be_chosen() {
    use crate::helpers::{run, stderr, stdout, temp_db};
    let (d, db) = temp_db();
    let p = d.path().join("odd.csv");
    // Commas outnumber the semicolons that really separate the fields.
    std::fs::write(
        &p,
        "ID;Created at;Requester;Subject\n1;2026-11-02T09:00:00Z;Zoé;a,b,c,d,e,f\n2;2026-11-03T09:00:00Z;Zoé;g,h,i,j,k,l\n",
    )
    .expect("write");
    let inspect = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["inspect", p.to_str().expect("p"), "--json"];
        args.extend_from_slice(extra);
        let o = run(&db, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("json")
    };
    let chosen = inspect(&["--delimiter", "semicolon", "--encoding", "windows-1252"]);
    assert_eq!(chosen["report"]["delimiter"], "semicolon");
    assert_eq!(chosen["report"]["encoding"], "Windows-1252 (as chosen)");
    let requester = chosen["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["header"] == "Requester")
        .expect("Requester")
        .clone();
    // UTF-8 bytes read as Windows-1252: what the user asked for, visibly.
    assert_eq!(requester["parsed"][0], "ZoÃ©");
    let bad = run(
        &db,
        &["inspect", p.to_str().expect("p"), "--encoding", "ebcdic"],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("--encoding"), "{}", stderr(&bad));
}
