//! Bad input gets a clear, typed result, never a panic, and leaves the database as it was.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn seeded_db() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (d, db) = temp_db();
    let o = run(
        &db,
        &[
            "import",
            "tickets",
            fixture("golden/tickets.csv").to_str().expect("path"),
        ],
    );
    assert!(o.status.success());
    let digest = db_digest(&db);
    (d, db, digest)
}

#[test]
fn empty_and_binary_files_are_refused_and_nothing_changes() {
    let (d, db, before) = seeded_db();
    for (name, bytes, needle) in [
        ("empty.csv", &b""[..], "is empty"),
        ("blank.csv", &b"\n\n  \n"[..], "is empty"),
        (
            "image.csv",
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"[..],
            "not a text CSV",
        ),
    ] {
        let p = write(&d, name, bytes);
        let o = run(&db, &["import", "tickets", p.to_str().expect("path")]);
        assert_eq!(o.status.code(), Some(4), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{name}: {}", stderr(&o));
    }
    assert_eq!(db_digest(&db), before);
}

#[test]
fn a_file_imported_as_the_wrong_kind_is_refused_and_nothing_changes() {
    let (_d, db, before) = seeded_db();
    let samples = repo().join("data-samples");
    // Survey responses as tickets: they have an id and a time, nothing else of a ticket.
    let surveys = samples.join("surveys.csv");
    let o = run(&db, &["import", "tickets", surveys.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("looks like survey responses")
            && stderr(&o).contains("secdesk import surveys"),
        "{}",
        stderr(&o)
    );
    // A ticket export as surveys: its counts (reopens, follow-ups) are not ratings.
    let tickets = samples.join("tickets.csv");
    let o = run(&db, &["import", "surveys", tickets.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("looks like a ticket export")
            && stderr(&o).contains("secdesk import tickets"),
        "{}",
        stderr(&o)
    );
    assert_eq!(db_digest(&db), before);
}

#[test]
fn missing_required_column_names_what_was_found() {
    let (d, db, before) = seeded_db();
    let p = write(&d, "nocreated.csv", b"Ticket,Subject,Status\n1,a,open\n");
    let o = run(&db, &["import", "tickets", p.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(4));
    let e = stderr(&o);
    assert!(
        e.contains("created_at") && e.contains("Ticket, Subject, Status"),
        "{e}"
    );
    assert_eq!(db_digest(&db), before);
}

#[test]
fn malformed_timestamps_are_rejected_with_row_column_and_value() {
    let (d, db) = temp_db();
    let p = write(
        &d,
        "bad_dates.csv",
        b"id,created,status\n1,2025-01-01 10:00,open\n2,yesterday,open\n3,31-02-2025 10:00,open\n4,,open\n5,2025-01-02 11:00,open\n",
    );
    let rejects = d.path().join("rejects.csv");
    let o = run(
        &db,
        &[
            "import",
            "tickets",
            p.to_str().expect("path"),
            "--rejects",
            rejects.to_str().expect("path"),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("row 3, column `created`, value `yesterday`"),
        "{out}"
    );
    let csv = std::fs::read_to_string(&rejects).expect("rejects");
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.contains("4,created,31-02-2025 10:00"));
    assert!(csv.contains("5,created,,missing creation time"));
    let v = metrics_json(&db, &[]);
    assert_eq!(v["overall"]["tickets"], 2);
    assert_eq!(v["import"]["rejected_rows"], 3);
    // --strict refuses the whole file.
    let (_d2, db2) = temp_db();
    let o = run(
        &db2,
        &["import", "tickets", p.to_str().expect("path"), "--strict"],
    );
    assert_eq!(o.status.code(), Some(4));
    assert_eq!(metrics_json(&db2, &[])["import"]["tickets"], 0);
}

#[test]
fn ratings_out_of_range_are_rejected() {
    let (d, db) = temp_db();
    let p = write(&d, "ratings.csv", b"submitted_at,Satisfaction (1-5)\n2025-01-01,5\n2025-01-02,9\n2025-01-03,0\n2025-01-04,great\n2025-01-05,4\n");
    let o = run(&db, &["import", "surveys", p.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("row 3, column `Satisfaction (1-5)`, value `9`: rating out of the 1-5 scale"),
        "{out}"
    );
    assert!(out.contains("value `great`: not a rating"), "{out}");
    assert_eq!(metrics_json(&db, &[])["overall"]["csat"]["rated"], 2);
}

#[test]
fn duplicated_ids_keep_the_last_row_and_say_so() {
    let (d, db) = temp_db();
    let p = write(&d, "dups.csv", b"id,created,status\n1,2025-01-01 10:00,open\n1,2025-01-01 10:00,solved\n2,2025-01-02 10:00,open\n");
    let o = run(&db, &["import", "tickets", p.to_str().expect("path")]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("1 ticket ids appear on more than one row"),
        "{}",
        stdout(&o)
    );
    let v = metrics_json(&db, &[]);
    assert_eq!(v["overall"]["tickets"], 2);
    assert_eq!(v["overall"]["backlog"], 1);
}

fn big_file(dir: &tempfile::TempDir, rows: usize, broken_at: Option<usize>) -> std::path::PathBuf {
    let p = dir.path().join("big.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
    writeln!(f, "Ticket ID,Created at,First response at,Resolved at,Status,Priority,Category,Team,Assignee,Department,Channel,Notes").expect("w");
    for i in 0..rows {
        let day = 1 + i % 28;
        if Some(i) == broken_at {
            writeln!(
                f,
                "BIG-{i},not a date,,,open,P3,Malware,SOC,Ann,Sales,email,broken row"
            )
            .expect("w");
            continue;
        }
        writeln!(
            f,
            "BIG-{i},2025-02-{day:02}T10:{:02}:00Z,2025-02-{day:02}T11:00:00Z,2025-02-{day:02}T15:00:00Z,closed,P{},Phishing report,SOC,Agent {},Finance,email,\"padding text so that the file is as large as a real export, with a note, some words and a little more\"",
            i % 60,
            1 + i % 4,
            i % 17
        )
        .expect("w");
    }
    f.flush().expect("flush");
    p
}

#[test]
fn a_100_mb_file_with_one_broken_row_stores_the_rest_and_lists_the_row() {
    let (d, db) = temp_db();
    let rows = 470_000;
    let p = big_file(&d, rows, Some(rows / 2));
    let size = std::fs::metadata(&p).expect("meta").len();
    assert!(size >= 100 * 1024 * 1024, "file is {size} bytes");
    let o = run(&db, &["import", "tickets", p.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "row {}, column `Created at`, value `not a date`",
            rows / 2 + 2
        )),
        "{out}"
    );
    let v = metrics_json(&db, &[]);
    assert_eq!(v["import"]["tickets"], (rows - 1) as i64);
    assert_eq!(v["import"]["rejected_rows"], 1);
}

#[test]
fn killing_the_process_mid_import_leaves_the_database_as_it_was() {
    let (d, db, before) = seeded_db();
    let p = big_file(&d, 300_000, None);
    // Start an import and kill it while it is writing.
    let started = Instant::now();
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["import", "tickets", p.to_str().expect("path")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the write-ahead log grows (the transaction is under way), then kill.
    let wal = db.with_extension("db-wal");
    let base = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    loop {
        if child.try_wait().expect("wait").is_some() {
            panic!("the import finished before it could be killed; make the file larger");
        }
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > base + 4 * 1024 * 1024 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert_eq!(db_digest(&db), before);
}

/// The rejects file is opened in spreadsheets: a rejected value that would
/// run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a leading tab or
/// CR) is written with a leading `'` (CSV injection, OWASP).
#[test]
fn the_rejects_file_never_holds_a_formula() {
    let (d, db) = temp_db();
    let p = write(
        &d,
        "formulas.csv",
        b"id,created,status\n1,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",open\n2,+1+2,open\n3,-2+3,open\n4,@SUM(A1),open\n5,\"\tx\",open\n6,2025-01-02 11:00,open\n",
    );
    let rejects = d.path().join("rejects.csv");
    let o = run(
        &db,
        &[
            "import",
            "tickets",
            p.to_str().expect("path"),
            "--rejects",
            rejects.to_str().expect("path"),
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let mut rdr = csv::Reader::from_path(&rejects).expect("rejects");
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.expect("record");
        rows += 1;
        // The row number is a number; every other cell is text.
        assert!(rec[0].parse::<usize>().is_ok(), "{rec:?}");
        for cell in rec.iter().skip(1) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula in the rejects file: {cell:?}"
            );
        }
    }
    assert_eq!(rows, 5);
    let text = std::fs::read_to_string(&rejects).expect("text");
    assert!(text.contains("'=HYPERLINK("), "{text}");
}
