//! What Jira Service Management exports carry beyond plain columns: its own
//! SLA cells (`h:mm` left, negative when breached), reported beside
//! secdesk's breaches.

use super::mapping::normalize_header;
use super::sniff::RawTable;
use crate::error::ImportError;

/// Jira's own SLA columns (`Custom field (Time to first response)`, `… (Time
/// to resolution)`) hold the time left as `h:mm`, negative when breached.
/// secdesk measures breaches against its own targets; what Jira says is
/// reported beside them, per column: breached, met and empty cells.
pub(super) fn jira_sla_notes(table: &RawTable) -> Result<Vec<String>, ImportError> {
    let columns: Vec<(usize, &str)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let n = normalize_header(h);
            if n == "customfieldtimetofirstresponse" {
                Some((i, "time to first response"))
            } else if n == "customfieldtimetoresolution" {
                Some((i, "time to resolution"))
            } else {
                None
            }
        })
        .collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    // (breached, met, unreadable) per column.
    let mut counts = vec![(0usize, 0usize, 0usize); columns.len()];
    table.for_each_row(|r| {
        for (k, (i, _)) in columns.iter().enumerate() {
            let cell = r.record.get(*i).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            match signed_hours_minutes(cell) {
                Some(m) if m < 0 => counts[k].0 += 1,
                Some(_) => counts[k].1 += 1,
                None => counts[k].2 += 1,
            }
        }
        Ok(())
    })?;
    Ok(columns
        .iter()
        .zip(counts)
        .filter(|(_, (b, m, u))| b + m + u > 0)
        .map(|((_, name), (breached, met, unreadable))| {
            let odd = if unreadable > 0 {
                format!(", {unreadable} not h:mm")
            } else {
                String::new()
            };
            format!(
                "Jira's own {name} SLA: {breached} breached (negative h:mm), {met} within{odd}; secdesk's breach rate uses its own targets"
            )
        })
        .collect())
}

/// `h:mm` or `-h:mm` as signed minutes.
pub(super) fn signed_hours_minutes(cell: &str) -> Option<i64> {
    let (negative, rest) = match cell.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, cell),
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i64, i64) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if !(0..60).contains(&m) || h < 0 {
        return None;
    }
    let minutes = h * 60 + m;
    Some(if negative { -minutes } else { minutes })
}
