//! Everything the command line prints: lines that end quietly when the reader
//! has gone, and the human-readable views of what the core returned. Numbers
//! are written by `secdesk_core::format`, as in the report and the window.

use std::io::Write;

use secdesk_core::calendar::{instant_text, Period};
use secdesk_core::format::{format_value, Unit};
use secdesk_core::ingest::{ImportOutcome, Inspection};
use secdesk_core::json::ImportCounts;
use secdesk_core::metrics::{MetricSet, MetricsConfig, MetricsReport};
use secdesk_core::scorecard::Scorecard;
use secdesk_core::store::ImportRecord;

use crate::{EXIT_ERROR, EXIT_OUTPUT_CLOSED};

/// Prints a line to standard output, like `println!`, except that when the
/// reader has gone (`secdesk metrics | head`) the program ends quietly with
/// [`EXIT_OUTPUT_CLOSED`] instead of panicking.
macro_rules! outln {
    () => {
        $crate::print::print_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::print::print_line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

pub fn print_line(line: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OUTPUT_CLOSED.into());
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(EXIT_ERROR.into());
    }
}

/// Pretty JSON of anything serializable.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn one_line(v: &str) -> String {
    v.replace(['\r', '\n'], "⏎")
}

pub fn inspection(inspection: &Inspection) {
    let r = &inspection.report;
    outln!("{}: looks like a {} ({})", r.file, r.format_label, r.format);
    outln!(
        "encoding {}, delimiter {}, {} header row(s), {} preamble row(s)",
        r.encoding,
        r.delimiter,
        r.header_rows,
        r.preamble_rows
    );
    for (h, d) in &r.date_columns {
        outln!("dates in `{h}`: {}", d.reason);
    }
    outln!(
        "{} data rows; {} would be stored, {} rejected",
        r.rows_read,
        r.records,
        r.rejected.len()
    );
    outln!();
    for c in &inspection.columns {
        outln!(
            "{:<40} → {:<22} {}",
            c.header,
            c.field,
            c.samples
                .iter()
                .map(|v| one_line(v))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        if !c.parsed.is_empty() {
            let parsed: Vec<String> = c.parsed.iter().map(|v| one_line(v)).collect();
            outln!("{:<40}   {:<22} read as: {}", "", "", parsed.join(" | "));
        }
    }
    for n in &r.notes {
        outln!("note: {n}");
    }
    if let Some(c) = &inspection.choose {
        outln!(
            "choose the column that holds `{}` with --map {}=HEADER; columns whose answers are on a scale: {}",
            c.field,
            c.field,
            if c.candidates.is_empty() {
                "none".to_string()
            } else {
                c.candidates.join(", ")
            }
        );
    }
    feeds(&r.coverage);
}

/// Per metric family: the column that feeds it, or why nothing does.
fn feeds(coverage: &[secdesk_core::model::Feed]) {
    if coverage.is_empty() {
        return;
    }
    outln!("what this file can measure:");
    for f in coverage {
        match (&f.fed_by, &f.reason) {
            (Some(c), _) => outln!("  {:<16} from `{c}`", f.family),
            (None, Some(reason)) => outln!("  {:<16} no data: {reason}", f.family),
            (None, None) => outln!("  {:<16} no data", f.family),
        }
    }
}

pub fn imports(list: &[ImportRecord]) {
    outln!(
        "{:>4}  {:<8} {:<24} {:<28} {:>8} {:>8} {:>8}  imported at",
        "id",
        "kind",
        "source",
        "file",
        "read",
        "stored",
        "rejected"
    );
    for i in list {
        outln!(
            "{:>4}  {:<8} {:<24} {:<28} {:>8} {:>8} {:>8}  {}",
            i.id,
            i.kind,
            i.source,
            i.file_name,
            i.rows_read,
            i.rows_stored,
            i.rows_rejected,
            i.imported_at
        );
    }
}

pub fn outcome(o: &ImportOutcome) {
    let r = &o.report;
    if o.already_imported {
        outln!(
            "{}: already imported as import {} on {}; nothing changed",
            r.file,
            o.record.id,
            o.record.imported_at
        );
        return;
    }
    outln!("{}: {} ({})", r.file, r.format_label, r.format);
    outln!(
        "encoding {}, delimiter {}, {} header row(s)",
        r.encoding,
        r.delimiter,
        r.header_rows
    );
    for (h, d) in &r.date_columns {
        outln!("dates in `{h}`: {}", d.reason);
    }
    outln!("mapping:");
    for m in &r.mapping {
        outln!("  {m}");
    }
    outln!(
        "import {}: {} rows read, {} {} stored, {} events, {} rejected, {} blank rows skipped",
        o.record.id,
        r.rows_read,
        r.records,
        r.kind,
        r.events,
        r.rejected.len(),
        r.skipped_blank_rows
    );
    if !r.skipped_total_rows.is_empty() {
        outln!("skipped totals rows: {:?}", r.skipped_total_rows);
    }
    if r.skipped_unrated_rows > 0 {
        outln!(
            "skipped {} rows without a rating (offered/unoffered/unanswered)",
            r.skipped_unrated_rows
        );
    }
    if r.skipped_incomplete_rows > 0 {
        outln!(
            "skipped {} incomplete responses (never submitted: no submission time)",
            r.skipped_incomplete_rows
        );
    }
    for n in &r.notes {
        outln!("note: {n}");
    }
    feeds(&r.coverage);
    for w in &r.warnings {
        outln!(
            "warning: column `{}`: {} values unreadable and left empty ({}; e.g. row {}: `{}`)",
            w.column,
            w.count,
            w.reason,
            w.example_row,
            w.example_value
        );
    }
    for rej in r.rejected.iter().take(20) {
        outln!(
            "rejected: row {}, column `{}`, value `{}`: {}",
            rej.row,
            rej.column,
            rej.value,
            rej.reason
        );
    }
    if r.rejected.len() > 20 {
        outln!(
            "… {} more rejected rows (use --rejects FILE)",
            r.rejected.len() - 20
        );
    }
}

pub fn scorecard(card: &Scorecard, week: &str) {
    outln!("Success-factor scorecard, {week}");
    for f in &card.factors {
        outln!("\n{} — {}", f.name, f.status.label());
        for i in &f.indicators {
            let value = format_value(i.value, i.unit, "");
            let target = i.target.map_or(String::new(), |t| {
                format!("target {}", format_value(Some(t.on), i.unit, ""))
            });
            let detail = i
                .detail
                .as_deref()
                .map_or(String::new(), |d| format!(" ({d})"));
            match &i.missing {
                Some(m) => outln!("  {:<58} no data: would be measured by {m}", i.label),
                None => outln!(
                    "  {:<58} {:>14}{detail} {:<10} {:<18} {}",
                    i.label,
                    value,
                    i.status.label(),
                    target,
                    i.trend
                        .iter()
                        .map(|v| format_value(*v, i.unit, ""))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            }
        }
    }
}

fn count(n: i64) -> String {
    format_value(Some(n as f64), Unit::Count, "")
}

/// The rows of the overall table: label and value as written for people.
fn overall_rows(m: &MetricSet) -> Vec<(&'static str, String)> {
    let v = |x: Option<f64>, unit: Unit| format_value(x, unit, "");
    vec![
        ("tickets", count(m.tickets)),
        (
            "first response median",
            v(m.first_response_minutes.median, Unit::Minutes),
        ),
        (
            "first response p90",
            v(m.first_response_minutes.p90, Unit::Minutes),
        ),
        (
            "first response median, business",
            v(m.first_response_business_minutes.median, Unit::Minutes),
        ),
        (
            "awaiting first response",
            v(m.awaiting_first_response.map(|n| n as f64), Unit::Count),
        ),
        (
            "resolution median",
            v(m.resolution_hours.median, Unit::Hours),
        ),
        ("resolution p90", v(m.resolution_hours.p90, Unit::Hours)),
        (
            "SLA first-response breach rate",
            v(m.sla_first_response_breach_rate, Unit::Share),
        ),
        ("reopen rate", v(m.reopen_rate, Unit::Share)),
        (
            "follow-ups per ticket",
            v(m.follow_ups_per_ticket, Unit::PerTicket),
        ),
        (
            "follow-ups per open day",
            v(m.follow_ups_per_open_day, Unit::PerDay),
        ),
        ("silent open share", v(m.silent_open_share, Unit::Share)),
        ("backlog", count(m.backlog)),
        ("CSAT rated", count(m.csat.rated)),
        (
            "CSAT satisfied share",
            v(m.csat.satisfied_share, Unit::Share),
        ),
        ("CSAT mean", v(m.csat.mean_rating_5, Unit::Rating)),
        ("NPS", v(m.nps, Unit::Points)),
        ("blocked hours", v(m.blocked_hours, Unit::Hours)),
        ("excess wait hours", v(m.excess_wait_hours, Unit::Hours)),
        ("impact cost", v(m.impact_cost, Unit::Cost)),
    ]
}

pub fn metrics_table(
    report: &MetricsReport,
    cfg: &MetricsConfig,
    counts: ImportCounts,
    coverage: &secdesk_core::coverage::Coverage,
    series: (Period, &[(i64, MetricSet)]),
) {
    let v = |x: Option<f64>, unit: Unit| format_value(x, unit, "");
    outln!(
        "as of {} ({}); {} tickets, {} survey responses loaded",
        instant_text(report.as_of),
        cfg.zone.name(),
        counts.tickets,
        counts.surveys
    );
    outln!();
    outln!("OVERALL");
    for (k, value) in overall_rows(&report.overall) {
        outln!("  {k:<40} {value:>14}");
    }
    for (family, c) in coverage {
        let what = family.replace('_', " ");
        if let Some(reason) = c.reason() {
            outln!("  no {what} data: {reason}");
        } else if c.measurable < c.loaded {
            // Some sources measure it: computed over theirs, and said so.
            let without: Vec<String> = c
                .sources
                .iter()
                .filter(|s| s.fed_by.is_none())
                .map(|s| s.source.clone())
                .collect();
            outln!(
                "  {what} measured on {} of {} loaded (not from {})",
                c.measurable,
                c.loaded,
                without.join(", ")
            );
        }
    }
    outln!();
    let (period, rows) = series;
    let title = format!("LAST 8 {}S", period.as_str().to_uppercase());
    outln!("{title:<20}tickets    FR median       FR p90   breach  SLA met   res median  reopen  silent    CSAT");
    for (w, m) in rows.iter().rev().take(8).rev() {
        outln!(
            "  {:<16} {:>8} {:>12} {:>12} {:>8} {:>8} {:>12} {:>7} {:>7} {:>7}",
            period.label(*w),
            count(m.tickets),
            v(m.first_response_minutes.median, Unit::Minutes),
            v(m.first_response_minutes.p90, Unit::Minutes),
            v(m.sla_first_response_breach_rate, Unit::Share),
            v(m.sla_met_share, Unit::Share),
            v(m.resolution_hours.median, Unit::Hours),
            v(m.reopen_rate, Unit::Share),
            v(m.silent_open_share, Unit::Share),
            v(m.csat.satisfied_share, Unit::Share)
        );
    }
    if let Some(rows) = report.by_dimension.get("priority") {
        outln!();
        outln!("BY PRIORITY         tickets    FR median   breach   res median   blocked");
        for (k, m) in rows {
            outln!(
                "  {:<16} {:>8} {:>12} {:>8} {:>12} {:>10}",
                k,
                count(m.tickets),
                v(m.first_response_minutes.median, Unit::Minutes),
                v(m.sla_first_response_breach_rate, Unit::Share),
                v(m.resolution_hours.median, Unit::Hours),
                v(m.blocked_hours, Unit::Hours)
            );
        }
    }
    outln!();
    outln!("CSAT BY FIRST-RESPONSE DELAY");
    for b in &report.csat_by_first_response_bucket {
        outln!(
            "  {:<8} rated {:>6}  satisfied {:>8}",
            b.bucket,
            b.rated,
            v(b.satisfied_share, Unit::Share)
        );
    }
}
