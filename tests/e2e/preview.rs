//! The Data view's Preview says what a file can measure and asks for the
//! rating column a survey file does not name.

use std::path::Path;

use anyhow::{ensure, Result};
use serde_json::{json, Value};

use crate::webdriver::Session;
use crate::{repo, save_screenshot, secdesk_json};

/// The preview of a vendor export says what it is and how each column will
/// be read, before anything is stored.
pub fn vendor_export(s: &Session, db: &Path) -> Result<()> {
    s.click("[data-testid=nav-data]")?;
    let zendesk = repo().join("tests/fixtures/vendors/zendesk_tickets.csv");
    s.type_into("[data-testid=import-path]", &zendesk.display().to_string())?;
    s.click("[data-testid=preview-button]")?;
    let columns = s.wait_for(
        "the preview",
        "const p = document.querySelector('[data-testid=preview-summary]'); return p.dataset.format && \
         [p.dataset.format, [...document.querySelectorAll('#preview-columns select')].map(x => [x.dataset.header, x.value])]",
        vec![],
    )?;
    ensure!(columns[0] == json!("zendesk"), "preview format: {columns}");
    let mapped: Vec<(String, String)> = columns[1]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c[0].as_str().unwrap_or_default().into(),
                        c[1].as_str().unwrap_or_default().into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    ensure!(
        mapped.iter().any(|(h, f)| h == "ID" && f == "ticket_id")
            && mapped
                .iter()
                .any(|(h, f)| h == "Subject" && f == "(ignored)"),
        "the preview maps Zendesk's Id: {mapped:?}"
    );
    let imports_now = secdesk_json(db, &["imports", "--json"])?;
    ensure!(
        imports_now.as_array().map(Vec::len) == Some(2),
        "a preview stores nothing: {imports_now}"
    );
    save_screenshot(s, "02a-preview.png")?;
    Ok(())
}

/// What the Preview shows of each metric family: (family, fed, text).
fn coverage(s: &Session) -> Result<Value> {
    s.script(
        "return [...document.querySelectorAll('[data-testid^=coverage-]')].map(d => [d.dataset.testid.slice(9), d.dataset.fed, d.textContent])",
        vec![],
    )
}

/// A ServiceNow list export without a first-response column: the Preview
/// says first response shows no data, and why; then a survey file with no
/// rating question: the Preview asks for the column, and reads the file
/// again once it is chosen.
pub fn coverage_and_rating_choice(s: &Session) -> Result<()> {
    s.click("[data-testid=nav-data]")?;
    let list = repo().join("tests/fixtures/families/servicenow_list.csv");
    s.choose("[data-testid=import-kind]", "tickets")?;
    s.type_into("[data-testid=import-path]", &list.display().to_string())?;
    s.click("[data-testid=preview-button]")?;
    s.wait_for(
        "the ServiceNow preview",
        "return document.querySelector('[data-testid=preview-summary]').dataset.format === 'servicenow' && document.querySelector('[data-testid=coverage-first_response]') !== null",
        vec![],
    )?;
    let cov = coverage(s)?;
    let fr = cov
        .as_array()
        .and_then(|a| a.iter().find(|f| f[0] == json!("first_response")))
        .cloned()
        .unwrap_or_default();
    ensure!(
        fr[1] == json!("no")
            && fr[2]
                .as_str()
                .unwrap_or("")
                .contains("no first-response column"),
        "first response coverage: {cov}"
    );
    ensure!(
        cov.as_array()
            .and_then(|a| a.iter().find(|f| f[0] == json!("resolution")))
            .is_some_and(|f| f[1] == json!("yes")),
        "resolution coverage: {cov}"
    );
    save_screenshot(s, "02b-preview-coverage.png")?;

    let survey = repo().join("tests/fixtures/families/survey_no_rating_question.csv");
    s.choose("[data-testid=import-kind]", "surveys")?;
    s.type_into("[data-testid=import-path]", &survey.display().to_string())?;
    s.click("[data-testid=preview-button]")?;
    let candidates = s.wait_for(
        "the rating choice",
        "const c = document.querySelector('[data-testid=preview-choice]'); return !c.hidden && [...document.querySelectorAll('#choose-column option')].map(o => o.value).filter(v => v)",
        vec![],
    )?;
    let question = "How willing would you be to share with your manager that you were hacked?";
    ensure!(
        candidates == json!([question]),
        "candidates: {candidates} (metadata such as # or Network ID must not be offered)"
    );
    save_screenshot(s, "02c-preview-rating-choice.png")?;
    s.choose("[data-testid=choose-column]", question)?;
    let chosen = s.wait_for(
        "the preview with the rating chosen",
        "const c = document.querySelector('[data-testid=preview-choice]'); const r = document.querySelector('[data-testid=coverage-csat]'); return c.hidden && r && r.textContent",
        vec![],
    )?;
    ensure!(
        chosen.as_str().is_some_and(|t| t.contains(question)),
        "csat coverage: {chosen}"
    );
    Ok(())
}
