//! The SLA policy, edited in Settings: P2's first-response target switched
//! to business hours changes the weekly review's breach card, and the window
//! shows what `secdesk metrics --json` computes on the same database.

use anyhow::{ensure, Result};
use serde_json::json;

use crate::{save_screenshot, secdesk_json, weekly_review_matches_cli, Window, WINDOW};

#[test]
fn a_business_hours_clock_changes_the_breach_card_as_the_cli_computes_it() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let db = &window.db;
    let week = s
        .wait_for(
            "the weekly review",
            "const c = document.querySelector('[data-testid=\"card-sla_first_response_breach_rate\"]'); \
             return c && c.dataset.value && document.getElementById('week').value",
            vec![],
        )?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let before = weekly_review_matches_cli(&s, db, &week)?;

    s.click("[data-testid=nav-settings]")?;
    s.wait_for(
        "the SLA policy table",
        "return document.querySelector('[data-testid=setting-fr-clock-P2]')?.value",
        vec![],
    )?;
    s.choose("[data-testid=setting-fr-clock-P2]", "business")?;
    s.click("[data-testid=settings-save]")?;
    s.wait_for(
        "the settings to be saved",
        "return document.querySelector('[data-testid=settings-done]').textContent",
        vec![],
    )?;
    save_screenshot(&s, "11-sla-policy.png")?;
    let saved = secdesk_json(db, &["settings", "--json"])?;
    ensure!(
        saved["first_response_clock"] == json!(["calendar", "business", "calendar", "calendar"]),
        "saved clocks: {}",
        saved["first_response_clock"]
    );
    let doc = secdesk_json(db, &["metrics", "--json"])?;
    ensure!(
        doc["config"]["sla_policy"]["first_response"]["P2"]["clock"] == json!("business"),
        "metrics --json policy: {}",
        doc["config"]["sla_policy"]
    );

    s.click("[data-testid=nav-review]")?;
    s.wait_for(
        "the breach card under the business clock",
        "const c = document.querySelector('[data-testid=\"card-sla_first_response_breach_rate\"]'); \
         return c && c.dataset.value !== '' && Number(c.dataset.value) !== arguments[0]",
        vec![json!(before)],
    )?;
    let after = weekly_review_matches_cli(&s, db, &week)?;
    ensure!(
        after < before,
        "P2 on business hours must breach less often: {before} → {after}"
    );
    save_screenshot(&s, "12-review-business-hours.png")?;
    Ok(())
}
