//! Deliver now, from the weekly review: the folder set in Settings gets the
//! week's report, the history shows it, and the command line sees the same
//! history (the week is already delivered).

use anyhow::{ensure, Result};
use serde_json::json;

use crate::{cli, save_screenshot, Window, WINDOW};

#[test]
fn deliver_now_writes_the_week_and_records_it() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("reports");
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let week = s
        .wait_for(
            "the weekly review",
            "return document.getElementById('week').value",
            vec![],
        )?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let none = s.wait_for(
        "the delivery history",
        "return document.querySelector('[data-testid=last-delivery]').textContent",
        vec![],
    )?;
    ensure!(none == json!("No delivery yet."), "before: {none}");
    // The system's Open and Save dialogs are there for the Choose… buttons
    // (the window's capability allows exactly these two of the plugin).
    let dialogs = s.script(
        "const d = window.__TAURI__.dialog; return !!d && typeof d.open === 'function' && typeof d.save === 'function'",
        vec![],
    )?;
    ensure!(dialogs == json!(true), "the dialog plugin's API: {dialogs}");
    let capability: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        crate::repo().join("src-tauri/capabilities/main.json"),
    )?)?;
    ensure!(
        capability["permissions"]
            == json!([
                "core:event:allow-listen",
                "core:event:allow-unlisten",
                "dialog:allow-open",
                "dialog:allow-save"
            ]),
        "capability: {}",
        capability["permissions"]
    );

    s.click("[data-testid=nav-settings]")?;
    s.wait_for(
        "the delivery settings",
        "return document.querySelector('[data-testid=setting-sla-P2]')?.value",
        vec![],
    )?;
    s.type_into(
        "[data-testid=setting-delivery-out-dir]",
        &out.display().to_string(),
    )?;
    s.click("[data-testid=settings-save]")?;
    s.wait_for(
        "the settings to be saved",
        "return document.querySelector('[data-testid=settings-done]').textContent",
        vec![],
    )?;

    s.click("[data-testid=nav-review]")?;
    s.click("[data-testid=deliver-now]")?;
    let done = s.wait_for(
        "the delivery",
        "const t = document.querySelector('[data-testid=deliver-done]').textContent; return /written/.test(t) && t",
        vec![],
    )?;
    ensure!(
        done.as_str()
            .is_some_and(|t| t.starts_with("1 file written")),
        "{done}"
    );
    let pdf = out.join(format!("secdesk-weekly-{week}.pdf"));
    ensure!(
        std::fs::read(&pdf)?.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
    let last = s.wait_for(
        "the history row",
        "const r = document.querySelector('[data-testid=deliveries] tbody tr'); return r && r.textContent",
        vec![],
    )?;
    ensure!(
        last.as_str()
            .is_some_and(|t| t.contains(&week) && t.contains("written")),
        "history: {last}"
    );
    s.script(
        "document.querySelector('[data-testid=deliveries]').scrollIntoView({block: 'end'})",
        vec![],
    )?;
    save_screenshot(&s, "14-delivery.png")?;

    // The command line reads the same history: the week went out.
    let again = std::process::Command::new(cli()?)
        .arg("--db")
        .arg(&window.db)
        .args(["deliver", "--stale-after", "36500d", "--week", &week])
        .output()?;
    ensure!(
        again.status.code() == Some(6),
        "deliver again: {:?} {}",
        again.status.code(),
        String::from_utf8_lossy(&again.stderr)
    );
    Ok(())
}
