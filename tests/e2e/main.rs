//! End-to-end tests of the real app window: the release-shaped binary of the
//! `secdesk-app` package, opened by tauri-driver and WebKitWebDriver on a
//! private Xvfb display, driven through `data-testid` selectors. Each test
//! starts on an empty database (so the app loads its sample data first) and
//! checks what the window shows against `secdesk metrics --json` on the same
//! database. Screenshots of each view go to `target/e2e-screenshots/` (or
//! `$SECDESK_E2E_SCREENSHOTS`); the run prints the path.
//!
//! Needs Xvfb, WebKitWebDriver and tauri-driver: `bash .ci/setup` installs them.

mod delivery;
mod desktop;
mod no_source;
mod policy;
mod preview;
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{anyhow, bail, ensure, Context, Result};
use serde_json::{json, Value};
use webdriver::{png_size, Display, Driver, Session};

/// One window at a time: two cores do not run two WebKit processes well.
static WINDOW: Mutex<()> = Mutex::new(());

fn app() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_secdesk-app"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `secdesk` CLI built beside the app (built here if it is missing).
fn cli() -> Result<PathBuf> {
    let path = app().with_file_name(format!("secdesk{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "secdesk-cli"])
            .current_dir(repo())
            .status()?;
        ensure!(status.success(), "building the secdesk CLI failed");
    }
    Ok(path)
}

fn secdesk_json(db: &Path, args: &[&str]) -> Result<Value> {
    let out = Command::new(cli()?)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()?;
    ensure!(
        out.status.success(),
        "secdesk {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("SECDESK_E2E_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // target/<profile>/secdesk-app → target/e2e-screenshots
            app()
                .parent()
                .and_then(Path::parent)
                .map(|t| t.join("e2e-screenshots"))
                .unwrap_or_else(|| PathBuf::from("e2e-screenshots"))
        });
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn save_screenshot(s: &Session, name: &str) -> Result<()> {
    // Two animation frames: the last change is painted before the picture.
    s.script(
        "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(true), 50))))",
        vec![],
    )?;
    let dir = screenshot_dir();
    let path = dir.join(name);
    std::fs::write(&path, s.screenshot()?)?;
    println!("screenshot: {}", path.display());
    Ok(())
}

/// A window on a fresh database in `dir`, with its display and driver.
struct Window {
    // Fields drop in this order: the driver (and the app) before the display.
    driver: Driver,
    _display: Display,
    db: PathBuf,
    /// What the app asked the desktop to open (a stand-in `xdg-open`
    /// writes each of its arguments here, one per line).
    opened: PathBuf,
}

impl Window {
    fn open(dir: &Path) -> Result<Window> {
        let display = Display::start(1400, 900)?;
        let db = dir.join("secdesk.sqlite");
        // The webview's own storage (the theme) lives under XDG_DATA_HOME:
        // a fresh one per window, so no run sees another's choices.
        let home = dir.join("xdg");
        // The desktop's opener, as the app finds it on the PATH: records
        // what Open and Show in folder asked for instead of opening it.
        let bin = dir.join("bin");
        let opened = dir.join("opened.txt");
        std::fs::create_dir_all(&bin)?;
        let opener = bin.join("xdg-open");
        std::fs::write(
            &opener,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n",
                opened.display()
            ),
        )?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755))?;
        }
        let path = std::env::join_paths(std::iter::once(bin.clone()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))?;
        let driver = Driver::start(
            &display,
            &[
                ("SECDESK_DB", db.as_path()),
                ("XDG_DATA_HOME", home.join("data").as_path()),
                ("XDG_CACHE_HOME", home.join("cache").as_path()),
                ("XDG_CONFIG_HOME", home.join("config").as_path()),
                ("PATH", Path::new(&path)),
                // No session bus: each window is its own instance, and the
                // desktop is reached through the opener above.
                (
                    "DBUS_SESSION_BUS_ADDRESS",
                    Path::new("unix:path=/nonexistent"),
                ),
            ],
        )?;
        Ok(Window {
            driver,
            _display: display,
            db,
            opened,
        })
    }

    fn display(&self) -> &str {
        &self._display.name
    }

    fn session(&self) -> Result<Session<'_>> {
        let s = self.driver.session(&app())?;
        s.wait_for(
            "the weekly review cards",
            "return document.querySelectorAll('[data-testid^=card-]').length === arguments[0] && document.getElementById('asof').textContent",
            vec![json!(secdesk_core::headlines::HEADLINES.len())],
        )?;
        Ok(s)
    }
}

fn lookup<'a>(v: &'a Value, dotted: &str) -> &'a Value {
    dotted.split('.').fold(v, |v, k| &v[k])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The first number in a text ("12.5 %" → 12.5).
fn number_in(text: &str) -> Option<f64> {
    // As the core writes numbers: thousands with commas, negatives with −.
    let text = text.replace('−', "-");
    let start = text.find(|c: char| c.is_ascii_digit() || c == '-')?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == ','))
        .unwrap_or(rest.len());
    rest[..end].replace(',', "").parse().ok()
}

/// The ISO week before the one `as_of` falls in: the last complete week.
fn last_complete_week(as_of: &str) -> Result<String> {
    use chrono::Datelike;
    let t = chrono::DateTime::parse_from_rfc3339(as_of)?;
    let w = (t - chrono::Duration::days(7)).iso_week();
    Ok(format!("{}-W{:02}", w.year(), w.week()))
}

fn instant_arg(ms: &Value) -> Result<String> {
    let ms = ms.as_i64().ok_or_else(|| anyhow!("not an instant: {ms}"))?;
    Ok(chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| anyhow!("bad instant"))?
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string())
}

fn import_through_data_view(s: &Session, kind: &str, file: &Path) -> Result<Value> {
    s.click("[data-testid=nav-data]")?;
    s.type_into("[data-testid=import-path]", &file.display().to_string())?;
    s.choose("[data-testid=import-kind]", kind)?;
    let before = s.script(
        "return document.getElementById('import-summary').dataset.importId || ''",
        vec![],
    )?;
    s.click("[data-testid=import-button]")?;
    let summary = s.wait_for(
        &format!("the import report of {}", file.display()),
        "const p = document.getElementById('import-summary'); \
         return p.dataset.importId && p.dataset.importId !== arguments[0] && \
           { text: p.textContent, stored: Number(p.dataset.stored), rejected: Number(p.dataset.rejected), id: Number(p.dataset.importId) }",
        vec![before],
    )?;
    Ok(summary)
}

/// Compares the headline cards (one per headline of the core's registry)
/// with `secdesk metrics --json --week` on
/// the same database (value exactly, text to its rounding); returns the
/// breach rate shown.
fn weekly_review_matches_cli(s: &Session, db: &Path, week: &str) -> Result<f64> {
    let expected = secdesk_json(db, &["metrics", "--json", "--week", week])?;
    let cards = s.script(
        "return [...document.querySelectorAll('[data-testid^=card-]')].map(c => [c.dataset.metric, c.dataset.value, c.querySelector('.value').textContent, c.dataset.unit])",
        vec![],
    )?;
    let cards = cards.as_array().ok_or_else(|| anyhow!("no cards"))?;
    let registry = secdesk_core::headlines::HEADLINES;
    ensure!(
        cards.len() == registry.len(),
        "{} headline cards, found {}",
        registry.len(),
        cards.len()
    );
    for card in cards {
        let key = card[0].as_str().unwrap_or_default();
        let shown: f64 = card[1].as_str().unwrap_or_default().parse()?;
        let want = lookup(&expected["overall"], key)
            .as_f64()
            .ok_or_else(|| anyhow!("metrics --json has no {key}"))?;
        ensure!(close(shown, want), "{key}: window {shown}, metrics {want}");
        let text = card[2].as_str().unwrap_or_default();
        let in_text = number_in(text).ok_or_else(|| anyhow!("{key} shows {text:?}"))?;
        // Shares are shown as percentages; every other unit as it is.
        let scale = if card[3] == "share" { 100.0 } else { 1.0 };
        ensure!(
            (in_text - want * scale).abs() <= 0.51,
            "{key}: card text {text:?} for {want}"
        );
    }
    let breach = cards
        .iter()
        .find(|c| c[0] == "sla_first_response_breach_rate")
        .and_then(|c| c[1].as_str()?.parse().ok())
        .ok_or_else(|| anyhow!("no breach-rate card"))?;
    Ok(breach)
}

#[test]
fn first_start_weekly_review_import_filter_export_and_my_stats() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let db = &window.db;

    // First start: the sample data, said plainly.
    let banner = s.text_of("[data-testid=sample-banner]")?;
    ensure!(banner.contains("sample data"), "banner: {banner:?}");
    let all = secdesk_json(db, &["metrics", "--json"])?;
    ensure!(
        all["import"]["tickets"].as_u64() == Some(5000),
        "the samples hold 5000 tickets: {}",
        all["import"]
    );

    // Weekly review: the last complete week, with the numbers of metrics --json.
    let week = s
        .script("return document.getElementById('week').value", vec![])?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let as_of = all["as_of"].as_str().unwrap_or_default();
    ensure!(
        week == last_complete_week(as_of)?,
        "default week {week} for as_of {as_of}"
    );
    let breach_before = weekly_review_matches_cli(&s, db, &week)?;
    // The action lists: as many breached and silent open tickets as the
    // weekly report of the CLI counts.
    let weekly = secdesk_json(db, &["report", "--week", &week, "--json"])?;
    let totals = s.wait_for(
        "the action lists",
        "const b = document.getElementById('breached-title').dataset.total, s = document.getElementById('silent-title').dataset.total; \
         return b !== undefined && s !== undefined && [Number(b), Number(s), document.querySelectorAll('#breached-body tr').length]",
        vec![],
    )?;
    ensure!(
        totals[0] == weekly["breached_total"] && totals[1] == weekly["silent_total"],
        "action lists {totals} vs report {} / {}",
        weekly["breached_total"],
        weekly["silent_total"]
    );
    let factors = s.find_all("[data-testid=scorecard] tr.factor")?;
    ensure!(
        factors.len() == 8,
        "8 success factors, found {}",
        factors.len()
    );
    save_screenshot(&s, "01-weekly-review.png")?;

    // Data view: the Preview of a vendor export, what a file can measure,
    // the rating column a survey file does not name.
    preview::vendor_export(&s, db)?;
    preview::coverage_and_rating_choice(&s)?;

    // Data view: a ticket file and a survey file, through the form.
    let tickets_before = all["import"]["tickets"].as_u64().unwrap_or(0);
    let fixtures = repo().join("tests/fixtures/golden");
    let t = import_through_data_view(&s, "tickets", &fixtures.join("tickets.csv"))?;
    let stored = t["stored"].as_u64().ok_or_else(|| anyhow!("report: {t}"))?;
    ensure!(
        stored == 6 && t["rejected"] == json!(0),
        "ticket import: {t}"
    );
    let v = import_through_data_view(&s, "surveys", &fixtures.join("surveys.csv"))?;
    ensure!(v["stored"].as_u64() > Some(0), "survey import: {v}");
    let history = secdesk_json(db, &["imports", "--json"])?;
    let files: Vec<&str> = history
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["file_name"].as_str()).collect())
        .unwrap_or_default();
    ensure!(
        files.contains(&"tickets.csv") && files.contains(&"surveys.csv"),
        "import history: {files:?}"
    );
    let rows = s.find_all("[data-testid=import-history] tbody tr")?;
    ensure!(
        rows.len() == files.len(),
        "history table {} rows, store {}",
        rows.len(),
        files.len()
    );
    let after = secdesk_json(db, &["metrics", "--json"])?;
    ensure!(
        after["import"]["tickets"].as_u64() == Some(tickets_before + stored),
        "tickets after import: {}",
        after["import"]
    );
    save_screenshot(&s, "02-data.png")?;

    // Charts: a filter changes the chart.
    s.click("[data-testid=nav-charts]")?;
    let chart_ready = "const i = document.getElementById('chart-img'); return i.complete && i.naturalWidth > 0 && i.src !== arguments[0] && i.src";
    let src = s.wait_for("the chart", chart_ready, vec![json!("")])?;
    let before = s.element_screenshot("[data-testid=chart-img]")?;
    save_screenshot(&s, "03-charts.png")?;
    s.choose("[data-testid=filter-priority]", "P1")?;
    s.wait_for("the filtered chart", chart_ready, vec![src])?;
    let filtered = s.element_screenshot("[data-testid=chart-img]")?;
    ensure!(
        before != filtered,
        "the chart did not change with the P1 filter"
    );
    save_screenshot(&s, "04-charts-p1.png")?;

    // Clicking the chart lists the tickets behind the week clicked: as many
    // as metrics --json counts for that week under the same filter.
    s.click("[data-testid=chart-img]")?;
    let behind = s.wait_for(
        "the tickets behind the clicked week",
        "const t = document.querySelector('[data-testid=behind-title]'); return t.dataset.total !== undefined && [t.dataset.point, Number(t.dataset.total), document.querySelectorAll('#behind-body tr').length]",
        vec![],
    )?;
    let point = behind[0].as_str().unwrap_or_default().to_string();
    let p1 = secdesk_json(db, &["metrics", "--json", "--priority", "P1"])?;
    let counted = p1["by_week"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["week"] == json!(point)))
        .map(|w| w["tickets"].clone())
        .ok_or_else(|| anyhow!("clicked {point:?}, not a week of metrics --json"))?;
    ensure!(
        behind[1] == counted && behind[2] == counted,
        "tickets behind {point}: window {behind}, metrics {counted}"
    );
    s.script(
        "document.querySelector('[data-testid=behind]').scrollIntoView()",
        vec![],
    )?;
    save_screenshot(&s, "04b-tickets-behind.png")?;
    s.script("window.scrollTo(0, 0)", vec![])?;

    // A period whose start is after its end is said to be empty; fixing
    // the dates takes the message away.
    let set_range = "document.getElementById('f-from').value = arguments[0]; \
         const to = document.getElementById('f-to'); to.value = arguments[1]; \
         to.dispatchEvent(new Event('change'))";
    s.script(set_range, vec![json!("2026-10-01"), json!("2026-09-01")])?;
    let said = s.wait_for(
        "the empty-period message",
        "const e = document.getElementById('error'); return !e.hidden && e.textContent",
        vec![],
    )?;
    ensure!(
        said.as_str()
            .is_some_and(|t| t.contains("the period is empty")),
        "empty period: {said}"
    );
    s.script(set_range, vec![json!(""), json!("")])?;
    s.wait_for(
        "the message to go",
        "return document.getElementById('error').hidden",
        vec![],
    )?;

    // Export PNG at 1920x1080 (and SVG): real files of the requested size.
    let png = tmp.path().join("first-response-p1.png");
    s.type_into("[data-testid=export-path]", &png.display().to_string())?;
    s.type_into("[data-testid=export-width]", "1920")?;
    s.type_into("[data-testid=export-height]", "1080")?;
    s.click("[data-testid=export-png]")?;
    s.wait_for(
        "the PNG export",
        "return document.querySelector('[data-testid=export-done]').textContent.startsWith('wrote')",
        vec![],
    )?;
    let bytes =
        std::fs::read(&png).with_context(|| format!("{} was not written", png.display()))?;
    ensure!(
        png_size(&bytes) == Some((1920, 1080)),
        "exported PNG size {:?}",
        png_size(&bytes)
    );
    s.click("[data-testid=export-svg]")?;
    let svg_path = png.with_extension("svg");
    s.wait_for(
        "the SVG export",
        "return document.querySelector('[data-testid=export-done]').textContent.includes('.svg')",
        vec![],
    )?;
    let svg = std::fs::read_to_string(&svg_path)?;
    ensure!(
        svg.starts_with("<svg") || svg.contains("<svg "),
        "not an SVG"
    );
    // Copy: the chart goes to the clipboard as a PNG.
    s.click("[data-testid=chart-copy]")?;
    let copied = s.wait_for(
        "the copy",
        "const d = document.querySelector('[data-testid=export-done]').textContent; const e = document.getElementById('error'); \
         return (d.includes('copied') && d) || (!e.hidden && 'error: ' + e.textContent)",
        vec![],
    )?;
    ensure!(
        copied.as_str().is_some_and(|t| t.contains("copied")),
        "copy: {copied}"
    );
    // What another program pasting from the clipboard gets: a PNG of the size asked.
    let pasted = Command::new(webdriver::program("xclip")?)
        .args(["-selection", "clipboard", "-t", "image/png", "-o"])
        .env("DISPLAY", window.display())
        .output()?;
    ensure!(
        png_size(&pasted.stdout) == Some((1920, 1080)),
        "the clipboard holds no 1920×1080 PNG: {:?} ({})",
        png_size(&pasted.stdout),
        String::from_utf8_lossy(&pasted.stderr)
    );
    ensure!(
        svg.contains("priority = P1"),
        "the SVG does not name its filter"
    );

    // My stats: one assignee's numbers, as metrics --json gives them.
    let person = all["by_assignee"][0]["assignee"]
        .as_str()
        .ok_or_else(|| anyhow!("no assignee in the samples"))?
        .to_string();
    s.click("[data-testid=nav-mystats]")?;
    s.choose("[data-testid=me-select]", &person)?;
    s.wait_for(
        "my stats",
        "return document.querySelector('[data-testid=me-first_response_median]') && document.getElementById('me-period').textContent",
        vec![],
    )?;
    let personal = secdesk_json(
        db,
        &["report", "--assignee", &person, "--week", &week, "--json"],
    )?;
    let (from, to) = (
        instant_arg(&personal["from"])?,
        instant_arg(&personal["to"])?,
    );
    let mine = secdesk_json(
        db,
        &[
            "metrics",
            "--json",
            "--assignee",
            &person,
            "--from",
            &from,
            "--to",
            &to,
        ],
    )?;
    for (row, key) in [
        ("tickets", "tickets"),
        ("first_response_median", "first_response_minutes.median"),
        ("sla_breach_rate", "sla_first_response_breach_rate"),
        ("resolution_median", "resolution_hours.median"),
        ("reopen_rate", "reopen_rate"),
        ("follow_ups_per_open_day", "follow_ups_per_open_day"),
        ("silent_open_share", "silent_open_share"),
        ("csat_satisfied_share", "csat.satisfied_share"),
    ] {
        let shown = s.script(
            "const r = document.querySelector(`[data-testid=me-${arguments[0]}]`); return r ? [r.dataset.mine, r.dataset.teamMedian] : null",
            vec![json!(row)],
        )?;
        let shown_mine = shown[0].as_str().unwrap_or_default();
        let want = lookup(&mine["overall"], key);
        match want.as_f64() {
            Some(w) => ensure!(
                close(shown_mine.parse()?, w),
                "My stats {row}: window {shown_mine}, metrics --assignee {w}"
            ),
            None => ensure!(
                shown_mine.is_empty(),
                "My stats {row}: {shown_mine} for no data"
            ),
        }
        let team = personal["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["key"] == row))
            .map(|r| r["team_median"].clone())
            .unwrap_or(Value::Null);
        let shown_team = shown[1].as_str().unwrap_or_default();
        match team.as_f64() {
            Some(w) => ensure!(close(shown_team.parse()?, w), "team median {row}"),
            None => ensure!(shown_team.is_empty(), "team median {row}"),
        }
    }
    save_screenshot(&s, "05-my-stats.png")?;

    // Settings: a longer P2 target, saved in the database, changes the weekly
    // review at once, and the CLI (same database) agrees with the window.
    s.click("[data-testid=nav-settings]")?;
    s.wait_for(
        "the settings form",
        "return document.querySelector('[data-testid=setting-sla-P2]')?.value",
        vec![],
    )?;
    s.type_into("[data-testid=setting-sla-P2]", "12")?;
    s.type_into("[data-testid=setting-currency]", "EUR")?;
    s.click("[data-testid=settings-save]")?;
    s.wait_for(
        "the settings to be saved",
        "return document.querySelector('[data-testid=settings-done]').textContent",
        vec![],
    )?;
    save_screenshot(&s, "06-settings.png")?;
    let saved = secdesk_json(db, &["settings", "--json"])?;
    ensure!(
        saved["sla_hours"][1] == json!(12.0) && saved["currency"] == json!("EUR"),
        "saved settings: {saved}"
    );
    s.click("[data-testid=nav-review]")?;
    s.wait_for(
        "the weekly review with the new target",
        "const c = document.querySelector('[data-testid=\"card-sla_first_response_breach_rate\"]'); return c && Number(c.dataset.value) !== arguments[0] && document.querySelector('[data-testid=\"card-impact_cost\"] .label').textContent.includes('EUR')",
        vec![json!(breach_before)],
    )?;
    let breach_after = weekly_review_matches_cli(&s, db, &week)?;
    ensure!(
        breach_after < breach_before,
        "a longer P2 target must lower the breach rate: {breach_before} → {breach_after}"
    );

    // The dark theme, chosen from the header.
    for _ in 0..3 {
        if s.script(
            "return document.documentElement.dataset.theme || ''",
            vec![],
        )? == json!("dark")
        {
            break;
        }
        s.click("[data-testid=theme]")?;
    }
    let bg = s.script(
        "return getComputedStyle(document.body).backgroundColor",
        vec![],
    )?;
    ensure!(bg == json!("rgb(21, 26, 31)"), "dark background, got {bg}");
    save_screenshot(&s, "08-dark-theme.png")?;

    // The smallest size the design supports: 1280×720, nothing cut at the side.
    s.set_window_size(1280, 720)?;
    s.click("[data-testid=nav-charts]")?;
    s.wait_for(
        "the chart at 1280×720",
        "const i = document.getElementById('chart-img'); return i.complete && i.naturalWidth > 0",
        vec![],
    )?;
    for view in ["charts", "review", "data", "settings", "mystats"] {
        s.click(&format!("[data-testid=nav-{view}]"))?;
        let overflow = s.script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )?;
        ensure!(
            overflow.as_i64() == Some(0),
            "{view} is wider than a 1280-pixel window by {overflow} px"
        );
    }
    s.click("[data-testid=nav-charts]")?;
    save_screenshot(&s, "09-charts-1280x720.png")?;
    println!("screenshots of each view: {}", screenshot_dir().display());
    Ok(())
}

/// A large import shows its progress and can be cancelled; the database is
/// as it was.
#[test]
fn a_cancelled_import_leaves_the_database_as_it_was() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let big = tmp.path().join("big");
    let out = Command::new(cli()?)
        .args(["generate", "--tickets", "300000", "--out"])
        .arg(&big)
        .output()?;
    ensure!(
        out.status.success(),
        "generate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let before = secdesk_json(&window.db, &["imports", "--json"])?;
    s.click("[data-testid=nav-data]")?;
    s.type_into(
        "[data-testid=import-path]",
        &big.join("tickets.csv").display().to_string(),
    )?;
    s.click("[data-testid=import-button]")?;
    s.wait_for(
        "the progress bar",
        "return !document.getElementById('progress').hidden",
        vec![],
    )?;
    s.click("[data-testid=cancel-import]")?;
    s.wait_for(
        "the cancelled import",
        "return document.getElementById('import-summary').dataset.cancelled === 'yes'",
        vec![],
    )?;
    let after = secdesk_json(&window.db, &["imports", "--json"])?;
    ensure!(
        before == after,
        "a cancelled import changed the history: {after}"
    );
    let metrics = secdesk_json(&window.db, &["metrics", "--json"])?;
    ensure!(
        metrics["import"]["tickets"] == json!(5000),
        "tickets after a cancelled import: {}",
        metrics["import"]
    );
    Ok(())
}

/// Script and markup in every text field of an import: shown as text in the
/// window (never run, never parsed as HTML) and escaped in an exported SVG.
#[test]
fn markup_in_imported_fields_is_shown_as_text() -> Result<()> {
    let _one = WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir()?;
    let script = "<script>window.__pwned='script'</script>";
    let img = "<img src=x onerror=\"window.__pwned='img'\">";
    let svg_onload = "<svg onload=\"window.__pwned='svg'\"></svg>&amp;";
    let file = tmp.path().join("payload tickets.csv");
    let mut w = csv::Writer::from_path(&file)?;
    w.write_record([
        "Ticket ID",
        "Created at",
        "First response at",
        "Resolved at",
        "Last update at",
        "Status",
        "Priority",
        "Category",
        "Team",
        "Assignee",
        "Department",
        "Channel",
        "Requester",
    ])?;
    for (i, day) in ["2026-11-02", "2026-11-03", "2026-11-04"]
        .iter()
        .enumerate()
    {
        w.write_record([
            format!("X-{i}{img}"),
            format!("{day}T09:00:00Z"),
            format!("{day}T10:00:00Z"),
            String::new(),
            format!("{day}T10:00:00Z"),
            "Open".to_string(),
            "P2".to_string(),
            script.to_string(),
            svg_onload.to_string(),
            img.to_string(),
            script.to_string(),
            "email".to_string(),
            img.to_string(),
        ])?;
    }
    w.flush()?;
    drop(w);

    let window = Window::open(tmp.path())?;
    let s = window.session()?;
    let report = import_through_data_view(&s, "tickets", &file)?;
    ensure!(report["stored"] == json!(3), "payload import: {report}");

    // The values reach the pickers and My stats as text.
    s.click("[data-testid=nav-charts]")?;
    s.wait_for(
        "the category picker with the payload",
        "return [...document.querySelectorAll('[data-testid=filter-category] option')].some(o => o.value === arguments[0])",
        vec![json!(script)],
    )?;
    s.choose("[data-testid=filter-category]", script)?;
    s.wait_for(
        "the chart with the payload filter",
        "const i = document.getElementById('chart-img'); return i.complete && i.naturalWidth > 0",
        vec![],
    )?;
    let svg_path = tmp.path().join("payload.svg");
    s.type_into("[data-testid=export-path]", &svg_path.display().to_string())?;
    s.click("[data-testid=export-svg]")?;
    s.wait_for(
        "the SVG export",
        "return document.querySelector('[data-testid=export-done]').textContent.startsWith('wrote')",
        vec![],
    )?;
    let svg = std::fs::read_to_string(&svg_path)?;
    ensure!(
        !svg.contains("<script") && svg.contains("&lt;script&gt;"),
        "the SVG must carry the category as escaped text"
    );

    s.click("[data-testid=nav-mystats]")?;
    s.choose("[data-testid=me-select]", img)?;
    s.wait_for(
        "the payload assignee's open tickets",
        "return document.querySelectorAll('#me-open tr').length === 3",
        vec![],
    )?;
    let open_text = s.text_of("[data-testid=me-open]")?;
    ensure!(
        open_text.contains(&format!("X-0{img}")) && open_text.contains(script),
        "the open tickets must show the fields literally: {open_text:?}"
    );
    s.click("[data-testid=nav-data]")?;
    s.wait_for(
        "the import history",
        "return document.querySelector('[data-testid=import-history]').textContent.includes('payload tickets.csv')",
        vec![],
    )?;
    save_screenshot(&s, "07-markup-as-text.png")?;

    let verdict = s.script(
        "return { pwned: window.__pwned === undefined ? null : String(window.__pwned), \
          injected: document.querySelectorAll('main img[src=x], main svg[onload], main script').length, \
          inline: [...document.scripts].filter(x => !x.src).length }",
        vec![],
    )?;
    ensure!(verdict["pwned"].is_null(), "a payload ran: {verdict}");
    ensure!(
        verdict["injected"] == json!(0) && verdict["inline"] == json!(0),
        "markup from the data became elements: {verdict}"
    );
    if s.script("return document.getElementById('error').hidden", vec![])? != json!(true) {
        bail!(
            "the window shows an error: {}",
            s.text_of("[data-testid=error]")?
        );
    }
    Ok(())
}
