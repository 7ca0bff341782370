//! The figures of one week and the weeks before it: metrics and service
//! figures per week, the scorecard with its trend, the saved targets, the
//! quarter a "what if" looks at, and the open tickets that need action at
//! the end of a week.

use chrono::Datelike;
use serde::Serialize;

use super::TREND_WEEKS;
use crate::calendar::{self, week_bounds, week_index};
use crate::error::ReportError;
use crate::metrics::{self, open_tickets, service_figures, Dataset, MetricsConfig, OpenTicket};
use crate::model::Instant;
use crate::scorecard::{self, PeriodFigures, Scorecard, Targets};
use crate::store::Store;

/// The last complete week before an instant.
pub fn last_complete_week(as_of: Instant, cfg: &MetricsConfig) -> i64 {
    week_index(as_of, cfg.zone) - 1
}

pub(super) fn with_period(
    cfg: &MetricsConfig,
    as_of: Instant,
    from: Instant,
    to: Instant,
) -> MetricsConfig {
    let mut c = cfg.clone();
    c.as_of = Some(as_of);
    c.filters.from = Some(from);
    c.filters.to = Some(to);
    c
}

/// Metrics and service figures of one week.
pub fn week_figures(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    week: i64,
) -> Result<PeriodFigures, ReportError> {
    let (from, to) = week_bounds(week, cfg.zone);
    let c = with_period(cfg, as_of, from, to);
    Ok(PeriodFigures {
        metrics: metrics::compute(ds, &c)?,
        service: service_figures(ds, &c)?,
    })
}

/// The figures of the [`TREND_WEEKS`] weeks that end with `week`, oldest first.
pub fn trend_figures(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: Instant,
    week: i64,
) -> Result<Vec<PeriodFigures>, ReportError> {
    (week - TREND_WEEKS + 1..=week)
        .map(|w| week_figures(ds, cfg, as_of, w))
        .collect()
}

/// The scorecard of one week, with the trend over the [`TREND_WEEKS`] weeks to it.
pub fn scorecard_for_week(
    ds: &Dataset,
    cfg: &MetricsConfig,
    week: i64,
    targets: &Targets,
) -> Result<Scorecard, ReportError> {
    let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
    let weeks = trend_figures(ds, cfg, as_of, week)?;
    Ok(scorecard::scorecard(ds, &weeks, targets))
}

/// Scorecard targets: the documented defaults for the config, then the ones
/// saved in the database (setting [`scorecard::SAVED_TARGETS`]).
pub fn saved_targets(store: &Store, cfg: &MetricsConfig) -> Result<Targets, ReportError> {
    let mut t = Targets::defaults(cfg);
    if let Some(saved) = store.setting(scorecard::SAVED_TARGETS)? {
        let saved: Targets = serde_json::from_str(&saved).map_err(|e| ReportError::BadSetting {
            key: scorecard::SAVED_TARGETS.to_string(),
            reason: e.to_string(),
        })?;
        t.0.extend(saved.0);
    }
    Ok(t)
}

/// The calendar quarter before the one that holds `t` (local dates).
pub fn previous_quarter(t: Instant, cfg: &MetricsConfig) -> (Instant, Instant) {
    let d = calendar::local_date(t, cfg.zone);
    let q_month = (d.month0() / 3) * 3 + 1;
    let this_q = chrono::NaiveDate::from_ymd_opt(d.year(), q_month, 1).unwrap_or(d);
    let prev_q = if q_month == 1 {
        chrono::NaiveDate::from_ymd_opt(d.year() - 1, 10, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(d.year(), q_month - 3, 1)
    }
    .unwrap_or(this_q);
    (
        calendar::local_to_utc(prev_q, 0, cfg.zone),
        calendar::local_to_utc(this_q, 0, cfg.zone),
    )
}

/// The open tickets that need action at the end of a week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLists {
    /// Open, first-response target missed; longest wait first.
    pub breached: Vec<OpenTicket>,
    pub breached_total: usize,
    /// Open, silent past the threshold; longest silence first.
    pub silent: Vec<OpenTicket>,
    pub silent_total: usize,
}

/// The open tickets at the end of `week` whose first-response target was
/// missed, and those silent past the threshold (each list cut at `limit`,
/// with its total), under the config's filters.
pub fn action_lists(
    ds: &Dataset,
    cfg: &MetricsConfig,
    as_of: i64,
    week: i64,
    limit: usize,
) -> Result<ActionLists, ReportError> {
    let (from, to) = week_bounds(week, cfg.zone);
    let open = open_tickets(ds, &with_period(cfg, as_of, from, to))?;
    let mut breached: Vec<OpenTicket> = open.iter().filter(|t| t.breached).cloned().collect();
    breached.sort_by(|a, b| {
        b.first_response_wait_hours
            .total_cmp(&a.first_response_wait_hours)
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
    });
    let mut silent: Vec<OpenTicket> = open.into_iter().filter(|t| t.silent).collect();
    let (breached_total, silent_total) = (breached.len(), silent.len());
    breached.truncate(limit);
    silent.truncate(limit);
    Ok(ActionLists {
        breached,
        breached_total,
        silent,
        silent_total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quarter_before_a_week() {
        let cfg = MetricsConfig::default();
        let (a, b) = previous_quarter(calendar::utc_ms(2026, 11, 16, 0, 0), &cfg);
        assert_eq!(
            (a, b),
            (
                calendar::utc_ms(2026, 7, 1, 0, 0),
                calendar::utc_ms(2026, 10, 1, 0, 0)
            )
        );
        let (a, _) = previous_quarter(calendar::utc_ms(2026, 2, 1, 0, 0), &cfg);
        assert_eq!(a, calendar::utc_ms(2025, 10, 1, 0, 0));
    }
}
