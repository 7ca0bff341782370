//! Shared test helpers: paths, running the binary, comparing JSON to expectations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_secdesk")
}

/// Runs `secdesk --db DB args…`.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run secdesk")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn metrics_json(db: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["metrics", "--json"];
    args.extend_from_slice(extra);
    let o = run(db, &args);
    assert!(o.status.success(), "metrics failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("metrics json")
}

/// Checks that every key of `expected` is in `actual` with the same value
/// (numbers to 1e-9, nulls exactly). Keys starting with `_` are comments.
pub fn assert_matches(actual: &Value, expected: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if k.starts_with('_') {
                    continue;
                }
                let av = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k}: missing in output"));
                assert_matches(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(a.len(), e.len(), "{path}: array length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_matches(av, ev, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            assert!((e - a).abs() <= 1e-9, "{path}: expected {e}, got {a}");
        }
        (e, a) => assert_eq!(a, e, "{path}"),
    }
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    (dir, db)
}

/// A stable digest of what the database holds (for "unchanged" checks).
pub fn db_digest(db: &Path) -> String {
    let o = run(db, &["imports", "--json"]);
    let m = run(db, &["metrics", "--json"]);
    format!("{}\n{}", stdout(&o), stdout(&m))
}

/// The text of a PDF (`pdftotext -layout`, installed by .ci/setup).
pub fn pdftotext(path: &Path) -> Option<String> {
    let o = Command::new("pdftotext")
        .args(["-layout", path.to_str()?, "-"])
        .output()
        .ok()?;
    assert!(o.status.success(), "pdftotext failed on {}", path.display());
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}
