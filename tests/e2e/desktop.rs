//! What the window does as a desktop app: tables to CSV and Excel (the
//! same bytes and values as the command line), the question before a typed
//! path replaces a file, Open and Show in folder, the number style of the
//! settings, the keyboard shortcuts; and, on the app started by itself: the
//! log file, one instance, the window's size kept between starts.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, ensure, Context, Result};
use calamine::{open_workbook_auto, Data, Reader};
use serde_json::{json, Value};

use crate::webdriver::{program, Display, Session};
use crate::{app, cli, save_screenshot, Window, WINDOW};

/// Every cell of a CSV secdesk wrote, with its delimiter.
fn csv_cells(path: &Path, delimiter: u8) -> Result<Vec<Vec<String>>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_path(path)?;
    let mut rows = Vec::new();
    for rec in r.records() {
        rows.push(rec?.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// The security bar of every CSV: no cell starts a formula, unless it is a
/// number (`-3.5`).
fn no_formula(rows: &[Vec<String>], decimal_comma: bool) -> Result<()> {
    for (r, row) in rows.iter().enumerate() {
        for cell in row {
            let number = if decimal_comma {
                cell.replace(',', ".")
            } else {
                cell.clone()
            };
            ensure!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    || number.parse::<f64>().is_ok(),
                "row {r}: {cell:?} would run as a formula"
            );
        }
    }
    Ok(())
}

/// Answers the next Save dialog with `path` (the native dialog itself is the
/// system's, out of WebDriver's reach) and remembers what the window asked.
fn answer_save_dialog(s: &Session, path: &Path) -> Result<()> {
    s.script(
        "window.__asked = window.__asked || []; \
         window.__answer = arguments[0]; \
         window.__TAURI__.dialog.save = async (o) => { window.__asked.push(o); return window.__answer; }; \
         return true",
        vec![json!(path.display().to_string())],
    )?;
    Ok(())
}

fn last_asked(s: &Session) -> Result<Value> {
    s.script("return window.__asked[window.__asked.length - 1]", vec![])
}

/// Clicks an export button of a table and waits for its message.
fn export_table(s: &Session, id: &str, ext: &str, path: &Path) -> Result<()> {
    answer_save_dialog(s, path)?;
    s.script(
        "document.querySelector(`[data-testid=${arguments[0]}-done]`).textContent = ''",
        vec![json!(id)],
    )?;
    s.click(&format!("[data-testid={id}-{ext}]"))?;
    s.wait_for(
        &format!("{id} to {ext}"),
        "return document.querySelector(`[data-testid=${arguments[0]}-done]`).textContent.includes('wrote')",
        vec![json!(id)],
    )?;
    ensure!(path.is_file(), "{} not written", path.display());
    Ok(())
}

fn opened_lines(window: &Window) -> Vec<String> {
    std::fs::read_to_string(&window.opened)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn tables_to_csv_and_excel_replace_only_when_asked_and_show_in_folder() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let week = s
        .wait_for(
            "the week",
            "return document.getElementById('week').value",
            vec![],
        )?
        .as_str()
        .unwrap_or_default()
        .to_string();

    // The scorecard from the weekly review: the same bytes as the command
    // line writes for the same week, and the Save dialog offered a name.
    let csv = tmp.path().join("scorecard.csv");
    export_table(&s, "scorecard-table", "csv", &csv)?;
    ensure!(
        last_asked(&s)?["defaultPath"] == json!(format!("scorecard-{week}.csv")),
        "the dialog's name: {}",
        last_asked(&s)?
    );
    let by_cli = tmp.path().join("scorecard-cli.csv");
    let out = Command::new(cli()?)
        .arg("--db")
        .arg(&window.db)
        .args(["scorecard", "--week", &week, "--csv"])
        .arg(&by_cli)
        .output()?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    ensure!(
        std::fs::read(&csv)? == std::fs::read(&by_cli)?,
        "the window's scorecard CSV differs from `secdesk scorecard --csv`"
    );
    let rows = csv_cells(&csv, b',')?;
    no_formula(&rows, false)?;
    let shown = s
        .script(
            "return document.querySelectorAll('#scorecard-body tr:not(.factor)').length",
            vec![],
        )?
        .as_u64()
        .unwrap_or(0);
    ensure!(rows.len() > 1, "an empty scorecard");

    // The same table as a workbook: numbers are numbers, texts are texts,
    // each equal to the CSV's cell.
    let xlsx = tmp.path().join("scorecard.xlsx");
    export_table(&s, "scorecard-table", "xlsx", &xlsx)?;
    let mut book = open_workbook_auto(&xlsx)?;
    let sheet = book.worksheet_range("scorecard")?;
    ensure!(
        sheet.height() == rows.len(),
        "{} rows in the workbook, {} in the CSV ({shown} shown)",
        sheet.height(),
        rows.len()
    );
    let mut numbers = 0;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let got = sheet.get_value((r as u32, c as u32));
            match (cell.parse::<f64>(), got) {
                (Ok(v), Some(Data::Float(x))) if r > 0 => {
                    ensure!((v - x).abs() < 1e-9, "row {r} col {c}: {v} vs {x}");
                    numbers += 1;
                }
                (_, Some(Data::String(t))) => {
                    ensure!(
                        cell.trim_start_matches('\'') == t,
                        "row {r} col {c}: {cell:?} vs {t:?}"
                    )
                }
                (_, None | Some(Data::Empty)) => {
                    ensure!(cell.is_empty(), "row {r} col {c}: {cell:?}")
                }
                (_, other) => bail!("row {r} col {c}: {cell:?} is {other:?} in the workbook"),
            }
        }
    }
    ensure!(numbers > 3, "only {numbers} numeric cells");

    // Every ticket behind a chart point, not only the ones listed; instants
    // are dates in the workbook.
    s.click("[data-testid=nav-charts]")?;
    s.wait_for(
        "the chart's points",
        "return document.querySelectorAll('#behind-point option').length > 2",
        vec![],
    )?;
    s.click("[data-testid=behind-button]")?;
    let total = s
        .wait_for(
            "the tickets behind the point",
            "return Number(document.getElementById('behind-title').dataset.total || 0)",
            vec![],
        )?
        .as_u64()
        .unwrap_or(0) as usize;
    let behind = tmp.path().join("behind.xlsx");
    export_table(&s, "behind-table", "xlsx", &behind)?;
    let mut book = open_workbook_auto(&behind)?;
    let sheet = book.worksheet_range("tickets")?;
    ensure!(
        sheet.height() == total + 1,
        "{} rows for {total} tickets",
        sheet.height()
    );
    ensure!(
        matches!(sheet.get_value((1, 1)), Some(Data::DateTime(_))),
        "created is not a date: {:?}",
        sheet.get_value((1, 1))
    );

    // A typed path that names a file is not replaced until the user says so.
    let png = tmp.path().join("chart.png");
    std::fs::write(&png, b"keep me")?;
    s.type_into("[data-testid=export-path]", &png.display().to_string())?;
    s.click("[data-testid=export-png]")?;
    s.wait_for(
        "the question",
        "return !!document.querySelector('[data-testid=export-done-replace]')",
        vec![],
    )?;
    ensure!(
        std::fs::read(&png)? == b"keep me",
        "replaced without asking"
    );
    save_screenshot(&s, "20-replace-question.png")?;
    s.click("[data-testid=export-done-replace]")?;
    s.wait_for(
        "the chart",
        "return document.querySelector('[data-testid=export-done]').textContent.includes('wrote')",
        vec![],
    )?;
    ensure!(
        std::fs::read(&png)?.starts_with(b"\x89PNG"),
        "not replaced after Replace"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    ensure!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // Open and Show in folder, for that file (through the desktop's opener).
    s.click("[data-testid=export-done-show]")?;
    s.click("[data-testid=export-done-open]")?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while opened_lines(&window).len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let folder = std::fs::canonicalize(tmp.path())?;
    let file = std::fs::canonicalize(&png)?;
    let opened = opened_lines(&window);
    ensure!(
        opened.contains(&folder.display().to_string())
            && opened.contains(&file.display().to_string()),
        "opened {opened:?}; expected the folder {} and the file {}",
        folder.display(),
        file.display()
    );

    // Shortcuts: Ctrl+3 shows My stats, Ctrl+O the import (the Open dialog).
    s.script(
        "window.__opened = 0; window.__TAURI__.dialog.open = async () => { window.__opened += 1; return null; }; \
         document.dispatchEvent(new KeyboardEvent('keydown', { key: '3', ctrlKey: true, bubbles: true })); return true",
        vec![],
    )?;
    s.wait_for(
        "My stats by Ctrl+3",
        "return !document.getElementById('mystats').hidden",
        vec![],
    )?;
    s.script(
        "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'o', ctrlKey: true, bubbles: true })); return true",
        vec![],
    )?;
    s.wait_for(
        "Data and its Open dialog by Ctrl+O",
        "return !document.getElementById('data').hidden && window.__opened === 1",
        vec![],
    )?;
    let keys = s.text_of("[data-testid=shortcuts]")?;
    ensure!(keys.contains("Ctrl+O") && keys.contains("Ctrl+E"), "{keys}");
    Ok(())
}

#[test]
fn the_number_style_of_the_settings_is_the_window_s_and_the_exports() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let card =
        "return document.querySelector('[data-testid=card-blocked_hours] .value').textContent";
    let before = s
        .wait_for("the blocked-hours card", card, vec![])?
        .as_str()
        .unwrap_or_default()
        .to_string();
    ensure!(before.contains(',') || before.contains('.'), "{before}");
    let breach = "return document.querySelector('[data-testid=card-sla_first_response_breach_rate]').dataset.status";
    ensure!(
        s.script(breach, vec![])? == json!("off"),
        "the sample data's breach rate is off target: {}",
        s.script(breach, vec![])?
    );

    s.click("[data-testid=nav-settings]")?;
    s.wait_for(
        "the number styles",
        "return document.querySelectorAll('[data-testid=setting-numbers] option').length >= 5",
        vec![],
    )?;
    s.choose("[data-testid=setting-numbers]", "de")?;
    // First-response targets no ticket misses: the breach card goes on target.
    for p in ["P1", "P2", "P3", "P4"] {
        s.type_into(&format!("[data-testid=setting-sla-{p}]"), "2000")?;
    }
    s.click("[data-testid=settings-save]")?;
    s.wait_for(
        "the settings to be saved",
        "return document.querySelector('[data-testid=settings-done]').textContent",
        vec![],
    )?;
    s.click("[data-testid=nav-review]")?;
    let after = s
        .wait_for(
            "the card in German style",
            &format!("const t = (function() {{ {card} }})(); return t !== arguments[0] && t"),
            vec![json!(before)],
        )?
        .as_str()
        .unwrap_or_default()
        .to_string();
    // The same number: 1,234.5 h became 1.234,5 h.
    let swapped: String = before
        .chars()
        .map(|c| match c {
            ',' => '.',
            '.' => ',',
            c => c,
        })
        .collect();
    ensure!(after == swapped, "before {before:?}, after {after:?}");
    let status = s.wait_for(
        "the breach card on target",
        &format!("const t = (function() {{ {breach} }})(); return t === 'on_target' && t"),
        vec![],
    )?;
    ensure!(status == json!("on_target"), "{status}");
    save_screenshot(&s, "21-numbers-de.png")?;

    // A CSV export follows: `;` between cells, decimal commas, and still no
    // cell that starts a formula.
    let csv = tmp.path().join("backlog.csv");
    export_table(&s, "backlog-age-table", "csv", &csv)?;
    let text = std::fs::read_to_string(&csv)?;
    ensure!(
        text.lines().next().is_some_and(|h| h.contains(';')),
        "{text}"
    );
    let rows = csv_cells(&csv, b';')?;
    no_formula(&rows, true)?;
    ensure!(
        rows.iter().skip(1).any(|r| r[2].contains(',')),
        "no decimal comma in the silent shares: {text}"
    );
    Ok(())
}

/// The app started as a user starts it (no WebDriver), on `home`.
fn start_app(display: &Display, home: &Path, bus: &str) -> Result<Child> {
    Ok(Command::new(app())
        .env("DISPLAY", &display.name)
        .env("SECDESK_DB", home.join("secdesk.sqlite"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

fn wait_for_log(log: &Path, what: &str, child: &mut Child) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(what) {
            return Ok(text);
        }
        if let Some(status) = child.try_wait()? {
            bail!("the app ended ({status}) before {what:?}; log: {text}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("no {what:?} in {}", log.display())
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn one_instance_a_log_file_and_the_window_where_it_was() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let home = tmp.path();
    let display = Display::start(1400, 900)?;
    // A session bus of its own, as a desktop session has.
    let mut bus = Killed(
        Command::new(program("dbus-daemon")?)
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let address = {
        use std::io::BufRead;
        let out = bus
            .0
            .stdout
            .take()
            .ok_or_else(|| anyhow!("no bus address"))?;
        let mut line = String::new();
        std::io::BufReader::new(out).read_line(&mut line)?;
        line.trim().to_string()
    };
    ensure!(address.starts_with("unix:"), "bus address {address:?}");

    let mut first = Killed(start_app(&display, home, &address)?);
    let log = home.join("data/org.secdesk.desktop/logs/secdesk.log");
    let text = wait_for_log(&log, "dashboard drawn", &mut first.0)?;
    // The samples read from the new database, and the snapshot written beside it.
    ensure!(
        text.contains("stored data read from the database (snapshot missing); snapshot written"),
        "the log does not say where the data came from: {text}"
    );
    ensure!(home.join("secdesk.sqlite.snapshot/manifest").is_file());

    // A second start hands over to the first and ends.
    let mut second = start_app(&display, home, &address)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = second.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            bail!("the second start did not end: two instances");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    ensure!(status.success(), "the second start ended with {status}");
    ensure!(first.0.try_wait()?.is_none(), "the first instance ended");
    let text = wait_for_log(&log, "a second start focused the open window", &mut first.0)?;
    // The log names what happened, never a cell of the data.
    ensure!(
        !text.contains("@example"),
        "the log holds an address: {text}"
    );
    drop(first);

    // The window opens at the size it had: the state the app saved, changed
    // as a user's resize would leave it.
    let state_file = home.join("config/org.secdesk.desktop/.window-state.json");
    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(&state_file)
            .with_context(|| format!("no window state at {}", state_file.display()))?,
    )?;
    ensure!(saved["main"]["width"].as_u64().is_some(), "{saved}");
    let mut state = saved.clone();
    state["main"]["width"] = json!(1180);
    state["main"]["height"] = json!(720);
    std::fs::write(&state_file, serde_json::to_string(&state)?)?;
    drop(bus);
    drop(display);

    // Window::open uses the same XDG directories under `home`/xdg: move them.
    let xdg = home.join("xdg");
    std::fs::create_dir_all(&xdg)?;
    std::fs::rename(home.join("config"), xdg.join("config"))?;
    let window = Window::open(home)?;
    let s = window.session()?;
    let size = s.script("return [window.outerWidth, window.outerHeight]", vec![])?;
    let (w, h) = (size[0].as_i64().unwrap_or(0), size[1].as_i64().unwrap_or(0));
    ensure!(
        (w - 1180).abs() <= 40 && (h - 720).abs() <= 60,
        "the window opened at {w}×{h}, not where it was left (1180×720)"
    );
    Ok(())
}
