//! The columnar snapshot beside the database changes no number: every
//! `metrics --json` is the same, byte for byte, read from the snapshot or
//! from SQLite (`--no-snapshot`).

use std::path::Path;

use crate::helpers::{repo, run, stderr, stdout};

/// Imports a tickets and a surveys file; the import writes the snapshot.
fn import(db: &Path, tickets: &Path, surveys: &Path) {
    for (kind, file) in [("tickets", tickets), ("surveys", surveys)] {
        let o = run(db, &["import", kind, &file.display().to_string()]);
        assert!(o.status.success(), "import {kind}: {}", stderr(&o));
    }
}

fn snapshot_dir(db: &Path) -> std::path::PathBuf {
    db.with_file_name(format!(
        "{}.snapshot",
        db.file_name().expect("name").to_string_lossy()
    ))
}

/// `metrics --json` with the snapshot and without it, for each set of options.
fn assert_same_numbers(db: &Path, options: &[&[&str]]) {
    for extra in options {
        let mut args = vec!["metrics", "--json"];
        args.extend_from_slice(extra);
        let with = run(db, &args);
        assert!(with.status.success(), "{args:?}: {}", stderr(&with));
        let mut plain = vec!["--no-snapshot"];
        plain.extend_from_slice(&args);
        let without = run(db, &plain);
        assert!(without.status.success(), "{plain:?}: {}", stderr(&without));
        assert!(
            stdout(&with).len() > 1_000,
            "{args:?}: a whole document ({} bytes)",
            with.stdout.len()
        );
        assert!(
            with.stdout == without.stdout,
            "{args:?}: the snapshot changed the output"
        );
    }
}

#[test]
fn the_samples_give_the_same_json_with_and_without_the_snapshot() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("samples.db");
    let samples = repo().join("data-samples");
    import(
        &db,
        &samples.join("tickets.csv"),
        &samples.join("surveys.csv"),
    );
    assert!(
        snapshot_dir(&db).join("manifest").is_file(),
        "the import wrote the snapshot"
    );
    assert_same_numbers(
        &db,
        &[
            &[],
            &["--team", "SOC"],
            &["--tz", "Europe/Paris", "--business-days", "1-4"],
        ],
    );
    // Turned off, an import neither reads nor writes it.
    let off = tmp.path().join("off.db");
    let o = run(
        &off,
        &[
            "--no-snapshot",
            "import",
            "tickets",
            &samples.join("tickets.csv").display().to_string(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!snapshot_dir(&off).exists());
}

#[test]
fn a_100k_database_gives_the_same_json_with_and_without_the_snapshot() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    let o = std::process::Command::new(crate::helpers::bin())
        .args(["generate", "--tickets", "100000", "--out"])
        .arg(&data)
        .output()
        .expect("generate");
    assert!(o.status.success(), "generate: {}", stderr(&o));
    let db = tmp.path().join("big.db");
    import(&db, &data.join("tickets.csv"), &data.join("surveys.csv"));
    assert_same_numbers(&db, &[&[], &["--priority", "P1"]]);
    // A forget writes the snapshot of what is left, which is still the data's.
    let o = run(&db, &["forget", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_same_numbers(&db, &[&[]]);
}
