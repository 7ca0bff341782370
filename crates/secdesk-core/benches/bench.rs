//! Import, metrics and chart rendering measured on generated data, to set
//! beside the peer scripts (see BENCHMARKS.md):
//!
//! ```text
//! cargo bench -p secdesk-core --bench bench -- --tickets 100000 --tickets 1000000 --dir /tmp/secdesk-bench
//! cargo bench -p secdesk-core --bench bench -- --tickets 100000 --xlsx   # also the same tickets as an .xlsx
//! ```
//!
//! Run by `cargo test` (without `--bench`), it makes one small pass so that
//! it keeps working; timings only mean something from `cargo bench`.

use std::path::PathBuf;
use std::time::Instant;

use secdesk_core::chart::{self, ChartFormat};
use secdesk_core::ingest::{self, ImportOptions, SurveyOptions};
use secdesk_core::metrics::{
    self, Clock, Dataset, MetricsConfig, Opened, Scope, SlaKind, SlaOverride, SlaTarget,
    SnapshotUse,
};
use secdesk_core::model::Status;
use secdesk_core::samples;
use secdesk_core::store::StatusEvent;
use secdesk_core::store::Store;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Args {
    tickets: Vec<usize>,
    dir: Option<PathBuf>,
    xlsx: bool,
}

fn args() -> Result<Args> {
    let mut all: Vec<String> = std::env::args().skip(1).collect();
    let measuring = all.iter().any(|a| a == "--bench");
    all.retain(|a| a != "--bench");
    let mut tickets = Vec::new();
    let mut dir = None;
    let mut xlsx = !measuring;
    let mut it = all.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tickets" => tickets.push(it.next().ok_or("--tickets needs a number")?.parse()?),
            "--dir" => dir = Some(PathBuf::from(it.next().ok_or("--dir needs a folder")?)),
            "--xlsx" => xlsx = true,
            // What the test harness passes (filters, --nocapture…): not ours.
            _ => {}
        }
    }
    if tickets.is_empty() {
        tickets.push(if measuring { 100_000 } else { 2_000 });
    }
    Ok(Args { tickets, dir, xlsx })
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The generated ticket CSV as an `.xlsx` a help-desk tool would give:
/// timestamps as date cells, counts as numbers, the rest as text.
fn write_xlsx(csv_path: &std::path::Path, xlsx_path: &std::path::Path) -> Result<()> {
    use rust_xlsxwriter::{Format, Workbook};
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or("epoch")?;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)?;
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec?;
        for (c, cell) in rec.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if r > 0 {
                if let Ok(t) = chrono::DateTime::parse_from_rfc3339(cell) {
                    let days = (t.naive_utc() - epoch).num_milliseconds() as f64 / 86_400_000.0;
                    ws.write_number_with_format(r, c, days, &date)?;
                    continue;
                }
                if let Ok(v) = cell.parse::<f64>() {
                    ws.write_number(r, c, v)?;
                    continue;
                }
            }
            if !cell.is_empty() {
                ws.write_string(r, c, cell)?;
            }
        }
    }
    wb.save(xlsx_path)?;
    Ok(())
}

/// The same tickets imported from an `.xlsx` into a fresh database.
fn bench_xlsx(n: usize, dir: &std::path::Path, tpath: &std::path::Path) -> Result<()> {
    let xlsx = dir.join(format!("tickets-{n}.xlsx"));
    if !xlsx.exists() {
        write_xlsx(tpath, &xlsx)?;
    }
    let mut store = Store::open_in_memory()?;
    let t0 = Instant::now();
    let o = ingest::import_ticket_file(
        &mut store,
        &xlsx,
        &ImportOptions::default(),
        "bench",
        &mut |_, _| true,
    )?;
    let s = t0.elapsed().as_secs_f64();
    assert_eq!(
        o.report.records, n,
        "every ticket of the workbook is stored"
    );
    println!(
        "import tickets from .xlsx ({:.0} MB): {s:.2} s ({} stored)",
        std::fs::metadata(&xlsx)?.len() as f64 / 1e6,
        o.report.records
    );
    Ok(())
}

/// One run: generate, import (parse, map, store), load, metrics, charts.
fn bench(n: usize, dir: &std::path::Path, xlsx: bool) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let (tpath, spath) = (
        dir.join(format!("tickets-{n}.csv")),
        dir.join(format!("surveys-{n}.csv")),
    );
    if !tpath.exists() || !spath.exists() {
        let data = samples::generate(&samples::SampleSpec {
            tickets: n,
            seed: 11,
            end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            survey_share: 0.3,
        });
        samples::write_csv(&data, &tpath, &spath)?;
    }
    let db = dir.join(format!("bench-{n}.db"));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let mut store = Store::open(&db)?;
    let size_mb = std::fs::metadata(&tpath)?.len() as f64 / 1e6;
    let t0 = Instant::now();
    let o = ingest::import_ticket_file(
        &mut store,
        &tpath,
        &ImportOptions::default(),
        "bench",
        &mut |_, _| true,
    )?;
    let import_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    ingest::import_survey_file(
        &mut store,
        &spath,
        &SurveyOptions::default(),
        "bench",
        &mut |_, _| true,
    )?;
    let survey_s = t0.elapsed().as_secs_f64();
    // Loaded as the app and every command do: from a freshly opened database.
    drop(store);
    let mut store = Store::open(&db)?;
    let t0 = Instant::now();
    let ds = Dataset::load(&store)?;
    let load_s = t0.elapsed().as_secs_f64();
    // The columnar snapshot: written once (read from SQLite, then written),
    // then read instead of SQLite.
    let t0 = Instant::now();
    Dataset::refresh_snapshot(&mut store)?;
    let refresh_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let (from_snapshot, opened) = Dataset::open_with(&store, SnapshotUse::ReadWrite)?;
    let snapshot_s = t0.elapsed().as_secs_f64();
    assert_eq!(opened, Opened::Snapshot);
    assert!(from_snapshot.tickets.equals_missing(&ds.tickets));
    drop(from_snapshot);
    let cfg = MetricsConfig::default();
    // The first computation also walks the business calendar for every ticket
    // (kept for later computations with the same calendar).
    let t0 = Instant::now();
    std::hint::black_box(metrics::compute(&ds, &cfg)?);
    let first_s = t0.elapsed().as_secs_f64();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        let report = metrics::compute(&ds, &cfg)?;
        std::hint::black_box(&report);
        runs.push(t0.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    // The same under a full SLA policy: every target on business hours, an
    // override for each of the first teams, and one ticket in five waiting
    // 4 h on its requester an hour after it was opened.
    let mut policy_ds = ds.clone();
    let mut waits = Vec::new();
    {
        let sources = ds.tickets.column("source")?.str()?;
        let ids = ds.tickets.column("ticket_id")?.str()?;
        let created = ds.tickets.column("created")?.i64()?;
        for i in (0..ds.ticket_count()).step_by(5) {
            let (Some(s), Some(id), Some(c)) = (sources.get(i), ids.get(i), created.get(i)) else {
                continue;
            };
            for (at, status) in [
                (c + 3_600_000, Status::Pending),
                (c + 5 * 3_600_000, Status::Open),
            ] {
                waits.push(StatusEvent {
                    source: s.to_string(),
                    ticket_id: id.to_string(),
                    at,
                    status,
                });
            }
        }
    }
    policy_ds.set_pauses(&waits)?;
    let mut policy_cfg = MetricsConfig::default();
    for t in policy_cfg
        .sla
        .first_response
        .iter_mut()
        .chain(policy_cfg.sla.resolution.iter_mut())
    {
        t.clock = Clock::Business;
    }
    for team in ds.dimension_values("team")?.into_iter().take(4) {
        policy_cfg.sla.overrides.push(SlaOverride {
            scope: Scope::Team,
            value: team,
            priority: 0,
            kind: SlaKind::FirstResponse,
            target: SlaTarget {
                ms: 1_800_000,
                clock: Clock::Calendar,
            },
        });
    }
    std::hint::black_box(metrics::compute(&policy_ds, &policy_cfg)?);
    let mut policy_runs = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        std::hint::black_box(metrics::compute(&policy_ds, &policy_cfg)?);
        policy_runs.push(t0.elapsed().as_secs_f64());
    }
    policy_runs.sort_by(f64::total_cmp);
    let t0 = Instant::now();
    std::hint::black_box(metrics::more_groupings(&ds, &cfg)?);
    let groupings_s = t0.elapsed().as_secs_f64();
    let report = metrics::compute(&ds, &cfg)?;
    let mut chart_ms = Vec::new();
    for c in chart::CHARTS.iter() {
        let plot = chart::plot_for(&report, &cfg, c.name, "bench")?;
        let t0 = Instant::now();
        let png = chart::render_plot(&plot, 1920, 1080, ChartFormat::Png)?;
        let png_ms = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        let svg = chart::render_plot(&plot, 1920, 1080, ChartFormat::Svg)?;
        let svg_ms = t0.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box((png, svg));
        chart_ms.push((c.name, png_ms, svg_ms));
    }
    assert_eq!(o.report.records, n, "every generated ticket is stored");
    println!(
        "== {n} tickets ({size_mb:.0} MB CSV), {} survey rows",
        ds.survey_count()
    );
    println!(
        "import tickets (parse, map, store): {import_s:.2} s ({} stored)",
        o.report.records
    );
    println!("import surveys:                     {survey_s:.2} s");
    println!("load stored data into polars:       {load_s:.2} s");
    println!(
        "columnar snapshot: written {:.2} s, read {snapshot_s:.2} s",
        (refresh_s - load_s).max(0.0)
    );
    println!(
        "all metrics, first computation:     {:.0} ms",
        first_s * 1e3
    );
    println!(
        "all metrics, recomputed (median of 3): {:.0} ms",
        runs[1] * 1e3
    );
    println!(
        "all metrics, recomputed, business-hours policy, overrides, {} waits (median of 3): {:.0} ms",
        waits.len() / 2,
        policy_runs[1] * 1e3
    );
    println!(
        "months, quarters, backlog age, arrivals heatmap: {:.0} ms",
        groupings_s * 1e3
    );
    for (name, png, svg) in chart_ms {
        println!("chart {name:<26} png {png:>6.1} ms   svg {svg:>6.1} ms");
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM):                {mb:.0} MB");
    }
    // Workbooks of help-desk exports stay far below a million rows (Excel's
    // sheet holds 1,048,576): measured up to 200k.
    if xlsx && n <= 200_000 {
        bench_xlsx(n, dir, &tpath)?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = args()?;
    let dir = args.dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("secdesk-bench-{}", std::process::id()))
    });
    for n in args.tickets {
        bench(n, &dir, args.xlsx)?;
    }
    Ok(())
}
