//! The real ServiceNow event log (../shared/datasets), unedited: collapsed to one
//! ticket per incident, checked against figures computed here from the raw rows.

use std::collections::BTreeMap;
use std::path::PathBuf;

use secdesk_core::ingest::{import_ticket_file, ImportOptions};
use secdesk_core::store::Store;

use crate::helpers::*;

fn dataset() -> Option<PathBuf> {
    let p = repo().join("../shared/datasets/servicenow-incident-event-log/incident_event_log.csv");
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is missing (the shared/ folder must sit beside the repository)",
            p.display()
        );
        None
    }
}

/// `DD-MM-YYYY HH:MM` → UTC ms, written independently of the importer.
fn day_first(s: &str) -> i64 {
    let dt = chrono::NaiveDateTime::parse_from_str(s, "%d-%m-%Y %H:%M").expect("date");
    dt.and_utc().timestamp_millis()
}

#[derive(Default)]
struct Raw {
    opened: i64,
    resolved: Option<i64>,
    updates: Vec<(i64, i64)>,
    reopen: i64,
    /// (mod count, state, updated at), to find when it last reached Resolved.
    states: Vec<(i64, String, i64)>,
    closed: Option<i64>,
}

/// Every incident of the raw rows, read independently of the importer, with
/// its resolution worked out as the test below documents; and the row count.
fn read_raw(path: &std::path::Path) -> (BTreeMap<String, Raw>, usize) {
    // Independent reading of the raw rows.
    let mut rdr = csv::Reader::from_path(path).expect("csv");
    let h = rdr.headers().expect("headers").clone();
    let idx = |n: &str| h.iter().position(|x| x == n).expect("column");
    let (num, opened, updated, modc, resolved, reopen) = (
        idx("number"),
        idx("opened_at"),
        idx("sys_updated_at"),
        idx("sys_mod_count"),
        idx("resolved_at"),
        idx("reopen_count"),
    );
    let (state, closed) = (idx("incident_state"), idx("closed_at"));
    let mut raw: BTreeMap<String, Raw> = BTreeMap::new();
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.expect("record");
        rows += 1;
        let r = raw.entry(rec[num].to_string()).or_default();
        r.opened = day_first(&rec[opened]);
        let m: i64 = rec[modc].parse().expect("mod count");
        r.updates.push((m, day_first(&rec[updated])));
        r.reopen = r.reopen.max(rec[reopen].parse().expect("reopen"));
        r.resolved = (&rec[resolved] != "?").then(|| day_first(&rec[resolved]));
        r.closed = (&rec[closed] != "?").then(|| day_first(&rec[closed]));
        r.states
            .push((m, rec[state].to_string(), day_first(&rec[updated])));
    }
    // Resolution: the exported resolved_at of the latest row; where it is empty, the
    // last time the state became Resolved; for a closed incident, its closing time.
    for r in raw.values_mut() {
        r.states.sort_by_key(|(m, _, t)| (*m, *t));
        let exported = r.resolved;
        if exported.is_none() {
            let mut prev = String::new();
            for (_, st, t) in &r.states {
                if st == "Resolved" && prev != "Resolved" {
                    r.resolved = Some(*t);
                }
                prev = st.clone();
            }
        }
        // A state that leaves Resolved/Closed is a reopen, whatever reopen_count says.
        let mut prev = String::new();
        for (_, st, _) in &r.states {
            let was_done = prev == "Resolved" || prev == "Closed";
            if was_done && st != "Resolved" && st != "Closed" {
                r.reopen = r.reopen.max(1);
            }
            prev = st.clone();
        }
        let last = r.states.last().map(|(_, st, _)| st.as_str()).unwrap_or("");
        let done = last == "Resolved" || last == "Closed";
        if done && r.resolved.is_none() {
            r.resolved = r.closed;
        }
    }
    (raw, rows)
}

#[test]
fn event_log_collapses_to_incidents_with_independent_figures() {
    let Some(path) = dataset() else { return };
    let (raw, rows) = read_raw(&path);
    assert_eq!(rows, 5998);

    let mut store = Store::open_in_memory().expect("db");
    let o = import_ticket_file(
        &mut store,
        &path,
        &ImportOptions::default(),
        "now",
        &mut |_, _| true,
    )
    .expect("import");
    assert_eq!(o.report.format, "servicenow-event-log");
    assert_eq!(o.report.rows_read, 5998);
    assert!(
        o.report.rejected.is_empty(),
        "{:?}",
        o.report.rejected.first()
    );
    let c = store.load_tickets().expect("load");
    assert_eq!(c.ticket_id.len(), raw.len());

    let mut frt = Vec::new();
    let mut res = Vec::new();
    let mut reopened = 0usize;
    let mut resolved_n = 0usize;
    for (i, id) in c.ticket_id.iter().enumerate() {
        let r = &raw[id];
        // Updates: rows with sys_mod_count > 0, at or after opening.
        let ups: Vec<i64> = r
            .updates
            .iter()
            .filter(|(m, t)| *m > 0 && *t >= r.opened)
            .map(|(_, t)| *t)
            .collect();
        assert_eq!(c.created_at[i], r.opened, "{id} created");
        assert_eq!(
            c.first_response_at[i],
            ups.iter().copied().min(),
            "{id} first response"
        );
        assert_eq!(c.follow_ups[i], Some(ups.len() as i64), "{id} follow-ups");
        assert_eq!(c.resolved_at[i], r.resolved, "{id} resolved");
        assert_eq!(c.reopen_count[i] > 0, r.reopen > 0, "{id} reopen");
        if let Some(f) = ups.iter().copied().min() {
            frt.push((f - r.opened) as f64 / 60_000.0);
        }
        if let Some(rv) = r.resolved {
            res.push((rv - r.opened) as f64 / 3_600_000.0);
            resolved_n += 1;
            if r.reopen > 0 {
                reopened += 1;
            }
        }
    }
    // Metrics through the CLI, compared with the independent figures.
    let (_d, db) = temp_db();
    let imp = run(&db, &["import", "tickets", path.to_str().expect("path")]);
    assert!(imp.status.success(), "{}", stderr(&imp));
    let v = metrics_json(&db, &[]);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    let frt_median = median(&mut frt);
    let res_median = median(&mut res);
    assert!(
        (v["overall"]["first_response_minutes"]["median"]
            .as_f64()
            .expect("num")
            - frt_median)
            .abs()
            < 1e-9
    );
    assert_eq!(v["overall"]["first_response_minutes"]["count"], frt.len());
    assert!(
        (v["overall"]["resolution_hours"]["median"]
            .as_f64()
            .expect("num")
            - res_median)
            .abs()
            < 1e-9
    );
    let rate = reopened as f64 / resolved_n as f64;
    assert!((v["overall"]["reopen_rate"].as_f64().expect("num") - rate).abs() < 1e-9);
    assert_eq!(v["import"]["tickets"], raw.len());
}

/// Time in `Awaiting …` states (waiting on the caller, a vendor, a problem)
/// is taken off the SLA clocks: from the row that enters such a state to the
/// row that leaves it (or as_of), inside each clock's span. Worked out here
/// from the raw rows and compared with `secdesk sla` per incident.
#[test]
fn time_awaiting_pauses_the_sla_clocks() {
    let Some(path) = dataset() else { return };
    let (raw, _) = read_raw(&path);
    let as_of_text = "2016-12-31T00:00:00Z";
    let as_of = chrono::DateTime::parse_from_rfc3339(as_of_text)
        .expect("as_of")
        .timestamp_millis();
    let (_d, db) = temp_db();
    let imp = run(&db, &["import", "tickets", path.to_str().expect("path")]);
    assert!(imp.status.success(), "{}", stderr(&imp));
    let o = run(&db, &["sla", "--json", "--as-of", as_of_text]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let shown = shown["tickets"].as_array().expect("tickets");
    assert_eq!(shown.len(), raw.len());
    let mut paused_tickets = 0;
    for t in shown {
        let id = t["ticket_id"].as_str().expect("id");
        let r = &raw[id];
        // The waits: entering an Awaiting state (the first row, mod count 0,
        // is the state at opening) to the next row in another state.
        let mut waits: Vec<(i64, i64)> = Vec::new();
        let mut since: Option<i64> = None;
        for (m, state, updated) in &r.states {
            let at = if *m > 0 { *updated } else { r.opened };
            let waiting = state.starts_with("Awaiting");
            match (since, waiting) {
                (None, true) => since = Some(at),
                (Some(s), false) => {
                    waits.push((s, at));
                    since = None;
                }
                _ => {}
            }
        }
        if let Some(s) = since {
            waits.push((s, i64::MAX));
        }
        let within = |end: i64| -> f64 {
            waits
                .iter()
                .map(|(s, e)| ((*e).min(end) - (*s).max(r.opened)).max(0))
                .sum::<i64>() as f64
                / 3_600_000.0
        };
        let first_update = r
            .updates
            .iter()
            .filter(|(m, u)| *m > 0 && *u >= r.opened)
            .map(|(_, u)| *u)
            .min();
        let fr_end = first_update.filter(|f| *f <= as_of).unwrap_or(as_of);
        let res_end = r.resolved.filter(|v| *v <= as_of).unwrap_or(as_of);
        let (fr_pause, res_pause) = (within(fr_end), within(res_end));
        if res_pause > 0.0 {
            paused_tickets += 1;
        }
        let got = |kind: &str, key: &str| t[kind][key].as_f64().expect("number");
        assert!(
            (got("resolution", "paused_hours") - res_pause).abs() < 1e-9,
            "{id}: resolution paused {} h, expected {res_pause} h",
            got("resolution", "paused_hours")
        );
        assert!(
            (got("first_response", "paused_hours") - fr_pause).abs() < 1e-9,
            "{id}: first response paused {} h, expected {fr_pause} h",
            got("first_response", "paused_hours")
        );
        // The resolution clock is the span less the wait.
        let span = (res_end - r.opened) as f64 / 3_600_000.0;
        assert!(
            (got("resolution", "elapsed_hours") - (span - res_pause)).abs() < 1e-9,
            "{id}: resolution clock {}",
            t["resolution"]
        );
    }
    assert!(
        paused_tickets > 100,
        "only {paused_tickets} incidents waited"
    );
}
