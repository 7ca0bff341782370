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

    // A card's colour is its standing against the scorecard's target (as
    // `secdesk scorecard` says), not the direction of the change.
    let card = secdesk_json(db, &["scorecard", "--week", &week, "--json"])?;
    let statuses = s.script(
        "return Object.fromEntries([...document.querySelectorAll('[data-testid^=card-]')].map(c => [c.dataset.metric, c.dataset.status]))",
        vec![],
    )?;
    let mut compared = 0;
    for def in secdesk_core::headlines::HEADLINES.iter() {
        let Some(key) = def.indicator else { continue };
        let want = card["factors"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["indicators"].as_array().cloned().unwrap_or_default())
            .find(|i| i["key"] == key)
            .map(|i| i["status"].clone());
        if let Some(want) = want {
            ensure!(
                statuses[def.path] == want,
                "card {}: {} in the window, {want} in the scorecard",
                def.key,
                statuses[def.path]
            );
            compared += 1;
        }
    }
    ensure!(
        compared >= 6,
        "{compared} cards compared with the scorecard"
    );

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

    // The backlog by age at the end of the week: oldest first, as many open
    // tickets as the week's backlog.
    let rows = s.wait_for(
        "the backlog by age",
        "const r = [...document.querySelectorAll('[data-testid=backlog-age] tbody tr')];          return r.length === 5 && r.map(t => [t.dataset.bucket, Number(t.dataset.open)])",
        vec![],
    )?;
    let week_doc = secdesk_json(db, &["metrics", "--json", "--week", &week])?;
    let open: i64 = rows
        .as_array()
        .map(|r| r.iter().filter_map(|b| b[1].as_i64()).sum())
        .unwrap_or(-1);
    ensure!(
        rows[0][0] == json!(">30d") && json!(open) == week_doc["overall"]["backlog"],
        "backlog by age {rows} vs backlog {}",
        week_doc["overall"]["backlog"]
    );

    // Charts per month, and the arrivals heatmap.
    s.click("[data-testid=nav-charts]")?;
    s.choose("[data-testid=chart-group]", "month")?;
    let labels = s.wait_for(
        "the chart per month",
        "const o = [...document.querySelectorAll('#behind-point option')].map(o => o.textContent);          return o.length > 0 && /^\\d{4}-\\d{2}$/.test(o[0]) && o",
        vec![],
    )?;
    let months = week_doc["by_month"].as_array().map_or(0, Vec::len);
    ensure!(months > 0, "metrics --json has by_month");
    ensure!(
        labels.as_array().is_some_and(|l| !l.is_empty()),
        "month points: {labels}"
    );
    // The chart's values as a table (one row per month), and a hover's figures.
    let table = s.script(
        "return document.querySelectorAll('[data-testid=chart-values] tbody tr').length",
        vec![],
    )?;
    ensure!(
        table.as_u64() == labels.as_array().map(|l| l.len() as u64),
        "values table rows {table} for {labels}"
    );
    let tip = s.script(
        "const i = document.getElementById('chart-img'); const r = i.getBoundingClientRect(); \
         i.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + r.width * 0.6, clientY: r.top + r.height * 0.6, bubbles: true})); \
         const t = document.querySelector('[data-testid=chart-tip]'); return !t.hidden && t.textContent",
        vec![],
    )?;
    ensure!(
        tip.as_str()
            .is_some_and(|t| t.contains("median: ") && t.contains(" — ")),
        "hover: {tip}"
    );
    s.choose("[data-testid=chart-select]", "arrivals-heatmap")?;
    s.wait_for(
        "the arrivals heatmap",
        "const i = document.getElementById('chart-img'); return i.complete && i.naturalWidth > 0 && \
         document.querySelectorAll('#behind-point option').length === 0",
        vec![],
    )?;
    save_screenshot(&s, "13-arrivals-heatmap.png")?;

    // An export offers Open and Show in folder for the file it wrote, and
    // nothing else opens from the window.
    let png = tmp.path().join("heatmap.png");
    s.type_into("[data-testid=export-path]", &png.display().to_string())?;
    s.click("[data-testid=export-png]")?;
    s.wait_for(
        "Open and Show in folder after the export",
        "return !!document.querySelector('[data-testid=export-done-open]') && !!document.querySelector('[data-testid=export-done-show]')",
        vec![],
    )?;
    ensure!(png.exists(), "{} written", png.display());
    s.script(
        "window.__refused = null; \
         window.__TAURI__.core.invoke('open_written', { path: '/etc/passwd' }) \
           .then(() => { window.__refused = 'opened'; }, (e) => { window.__refused = String((e && e.message) || e); })",
        vec![],
    )?;
    let refused = s.wait_for("the refusal", "return window.__refused", vec![])?;
    ensure!(
        refused
            .as_str()
            .is_some_and(|t| t.contains("only a file secdesk wrote")),
        "{refused}"
    );
    Ok(())
}
