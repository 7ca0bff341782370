//! Every table to CSV and Excel: `--csv` and `--xlsx` on tickets, metrics,
//! scorecard, report and sla. The written files are opened and every cell
//! checked: no CSV cell a spreadsheet would run as a formula, numbers as
//! numbers, instants as dates.

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;

use crate::helpers::*;

const TICKETS: &str = "\\
Ticket ID,Created at,First response at,Resolved at,Status,Priority,Category,Team,Assignee,Requester
T1,2026-11-16T09:00:00Z,2026-11-16T09:30:00Z,2026-11-16T13:00:00Z,Solved,P1,\"=HYPERLINK(\"\"http://x\"\")\",+SOC,@ann,\"-1 Bob\"
T2,2026-11-17T10:00:00Z,2026-11-17T16:00:00Z,,Open,P2,Malware,SOC,Cy,Dee
T3,2026-11-18T08:00:00Z,,,New,P3,Access,IAM,Cy,Eve
";

fn db_with_risky_cells() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = temp_db();
    let file = d.path().join("t.csv");
    std::fs::write(&file, TICKETS).expect("fixture");
    let o = run(&db, &["import", "tickets", file.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    (d, db)
}

/// Every cell of a CSV file is safe to open in a spreadsheet.
fn check_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let mut rows = vec![r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect()];
    for rec in r.records() {
        rows.push(
            rec.expect("row")
                .iter()
                .map(String::from)
                .collect::<Vec<_>>(),
        );
    }
    for cell in rows.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '@', '\t', '\r']),
            "{}: {cell}",
            path.display()
        );
        assert!(
            !cell.starts_with('-') || cell.parse::<f64>().is_ok(),
            "{}: {cell}",
            path.display()
        );
    }
    rows
}

#[test]
fn every_table_goes_to_csv_and_excel_safely_and_typed() {
    let (d, db) = db_with_risky_cells();
    let at = |name: &str| d.path().join(name);
    let path = |name: &str| at(name).to_str().expect("path").to_string();
    for (args, csv, xlsx) in [
        (
            vec!["tickets", "--week", "2026-W47"],
            "tickets.csv",
            "tickets.xlsx",
        ),
        (vec!["metrics"], "metrics.csv", "metrics.xlsx"),
        (
            vec!["scorecard", "--week", "2026-W47"],
            "scorecard.csv",
            "scorecard.xlsx",
        ),
        (
            vec!["report", "--week", "2026-W47"],
            "report.csv",
            "report.xlsx",
        ),
        (vec!["sla"], "sla.csv", "sla.xlsx"),
    ] {
        let mut all = args.clone();
        let (c, x) = (path(csv), path(xlsx));
        all.extend(["--csv", &c, "--xlsx", &x]);
        let o = run(&db, &all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains(&format!("wrote {c}")), "{}", stdout(&o));
    }
    // The tickets: the formula-looking category is neutralised in CSV and
    // plain text in the workbook; the creation time a date there.
    let rows = check_csv(&at("tickets.csv"));
    assert_eq!(rows.len(), 4, "a header and three tickets");
    assert!(rows
        .iter()
        .flatten()
        .any(|c| c == "'=HYPERLINK(\"http://x\")"));
    assert!(rows.iter().flatten().any(|c| c == "'+SOC"));
    assert!(rows.iter().flatten().any(|c| c == "'@ann"));
    let mut book = open_workbook_auto(at("tickets.xlsx")).expect("xlsx");
    let sheet = book.worksheet_range("tickets").expect("sheet");
    assert!(
        matches!(sheet.get_value((1, 1)), Some(Data::DateTime(_))),
        "{:?}",
        sheet.get_value((1, 1))
    );
    assert!(sheet
        .rows()
        .flatten()
        .any(|c| *c == Data::String("=HYPERLINK(\"http://x\")".into())));
    assert!(
        sheet
            .rows()
            .flatten()
            .any(|c| matches!(c, Data::Float(m) if *m == 30.0)),
        "T1 answered in 30 min, a number"
    );

    // The metrics: overall as metrics --json says, numbers as numbers.
    let json: Value = metrics_json(&db, &[]);
    let rows = check_csv(&at("metrics.csv"));
    assert_eq!(rows[1][0], "overall");
    assert_eq!(rows[1][2], json["overall"]["tickets"].to_string());
    let mut book = open_workbook_auto(at("metrics.xlsx")).expect("xlsx");
    let sheet = book.worksheet_range("metrics").expect("sheet");
    assert_eq!(sheet.get_value((1, 2)), Some(&Data::Float(3.0)));
    let groups: Vec<String> = sheet.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert!(
        groups.iter().any(|g| g == "=HYPERLINK(\"http://x\")"),
        "{groups:?}"
    );

    // The report's tables: the headline in report.csv, the action lists beside it.
    check_csv(&at("report.csv"));
    check_csv(&at("report-first-response-target-missed.csv"));
    check_csv(&at("report-silent.csv"));
    let book = open_workbook_auto(at("report.xlsx")).expect("xlsx");
    assert_eq!(
        book.sheet_names(),
        vec!["headline", "first-response target missed", "silent"]
    );
    check_csv(&at("scorecard.csv"));
    check_csv(&at("sla.csv"));
    // Nothing else was left in the folder (each file written whole, then renamed).
    let names: Vec<String> = std::fs::read_dir(d.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

fn json_of(db: &std::path::Path, args: &[&str]) -> Value {
    let o = run(db, args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (d, db) = db_with_risky_cells();
    let csv = d.path().join("scorecard.csv");
    let xlsx = d.path().join("scorecard.xlsx");
    std::fs::write(&xlsx, "keep").expect("old file");
    let p = |p: &std::path::Path| p.to_str().expect("path").to_string();
    // One file in the way: nothing at all is written, the CSV neither.
    let o = run(&db, &["scorecard", "--csv", &p(&csv), "--xlsx", &p(&xlsx)]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("already exists: add --force"),
        "{}",
        stderr(&o)
    );
    assert!(!csv.exists(), "the CSV was written before the refusal");
    assert_eq!(std::fs::read(&xlsx).expect("old"), b"keep");
    let o = run(
        &db,
        &[
            "scorecard",
            "--csv",
            &p(&csv),
            "--xlsx",
            &p(&xlsx),
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(&xlsx).expect("new").starts_with(b"PK"),
        "not a workbook"
    );

    // A chart, a report, and the rejected rows of an import (refused before
    // anything is stored).
    let png = d.path().join("c.png");
    let pdf = d.path().join("r.pdf");
    let rejects = d.path().join("rejects.csv");
    for f in [&png, &pdf, &rejects] {
        std::fs::write(f, "keep").expect("old file");
    }
    let o = run(&db, &["chart", "first-response-weekly", "--out", &p(&png)]);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = run(&db, &["report", "--out", &p(&pdf)]);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let before = json_of(&db, &["imports", "--json"]);
    let file = d.path().join("t.csv");
    let o = run(
        &db,
        &["import", "tickets", &p(&file), "--rejects", &p(&rejects)],
    );
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        json_of(&db, &["imports", "--json"]),
        before,
        "stored anyway"
    );
    for f in [&png, &pdf, &rejects] {
        assert_eq!(std::fs::read(f).expect("old"), b"keep", "{}", f.display());
    }
    let o = run(
        &db,
        &[
            "chart",
            "first-response-weekly",
            "--out",
            &p(&png),
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
    let names: Vec<String> = std::fs::read_dir(d.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".part")), "{names:?}");
}

#[test]
fn a_decimal_comma_style_writes_semicolons_and_commas() {
    let (d, db) = db_with_risky_cells();
    let o = run(&db, &["settings", "--set", "number_locale=de"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = d.path().join("metrics.csv");
    let o = run(&db, &["metrics", "--csv", csv.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).expect("csv");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = header
        .iter()
        .position(|h| h == "first response median (min)")
        .expect("column");
    let overall = r.records().next().expect("row").expect("row");
    // T1: 30 min, T2: 360 min → median 195 (a whole number: no mark); the
    // breach rate is a fraction, written with a decimal comma.
    assert_eq!(&overall[col], "195");
    let json = json_of(&db, &["metrics", "--json"]);
    let share = json["overall"]["sla_first_response_breach_rate"]
        .as_f64()
        .expect("share");
    let share_col = header
        .iter()
        .position(|h| h == "first-response SLA breach rate")
        .expect("column");
    let written: f64 = overall[share_col]
        .replace(',', ".")
        .parse()
        .expect("number");
    assert!((written - share).abs() < 1e-12, "{written} vs {share}");
    if share.fract() != 0.0 {
        assert!(overall[share_col].contains(','), "{}", &overall[share_col]);
    }
}
