//! No source, no number, as the window shows it: on a database holding only
//! a ServiceNow list export without a first-response column, the weekly
//! review's first-response cards say why they have no number.

use anyhow::{ensure, Result};
use serde_json::json;

use crate::{cli, repo, save_screenshot, Window, WINDOW};

#[test]
fn cards_without_a_source_say_why() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join("secdesk.sqlite");
    let list = repo().join("tests/fixtures/families/servicenow_list.csv");
    let out = std::process::Command::new(cli()?)
        .arg("--db")
        .arg(&db)
        .args(["import", "tickets"])
        .arg(&list)
        .output()?;
    ensure!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let why = s.wait_for(
        "the reason on the first-response cards",
        "const c = document.querySelector('[data-testid=no-data-first_response_median]'); \
         const b = document.querySelector('[data-testid=no-data-sla_breach_rate]'); \
         const v = document.querySelector('[data-testid=\"card-first_response_minutes.median\"]'); \
         return c && b && v && [c.textContent, b.textContent, v.dataset.value]",
        vec![],
    )?;
    ensure!(
        why[0]
            .as_str()
            .is_some_and(|t| t.contains("no first-response column"))
            && why[1]
                .as_str()
                .is_some_and(|t| t.contains("no first-response column"))
            && why[2] == json!(""),
        "first-response cards: {why}"
    );
    // What the export does measure has no such line.
    let resolution = s.script(
        "return document.querySelector('[data-testid=no-data-resolution_median]') === null",
        vec![],
    )?;
    ensure!(resolution == json!(true), "resolution has a source");
    save_screenshot(&s, "10-no-source-no-number.png")?;
    Ok(())
}
