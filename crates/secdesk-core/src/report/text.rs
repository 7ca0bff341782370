//! How the report's documents write what the figures say: the tone of a
//! change and of a status, trends (`620 → 511 → 476 min`), dates, empty
//! fields. Numbers themselves follow [`crate::format`].

use super::document::{Block, Cell, Tone};
use crate::calendar::instant_text;
use crate::format::{Better, NumberStyle, Unit};
use crate::metrics::NO_VALUE;
use crate::model::Instant;
use crate::scorecard::{Status, Trend};

/// A number's cell, or "no data" where no loaded export measures it (the
/// reason is too long for a column: [`no_data_note`] says it below the table).
pub(super) fn value_cell(
    n: &NumberStyle,
    value: Option<f64>,
    unit: Unit,
    currency: &str,
    why: Option<&String>,
    tone: Tone,
) -> Cell {
    match (value, why) {
        (None, Some(_)) => Cell::number("no data").toned(Tone::Muted),
        _ => Cell::number(n.value(value, unit, currency)).toned(tone),
    }
}

/// The line under a table that says, for each number without a source, why.
pub(super) fn no_data_note(reasons: Vec<String>) -> Option<Block> {
    (!reasons.is_empty()).then(|| {
        Block::Text(format!(
            "No data, for want of a source — {}.",
            reasons.join("; ")
        ))
    })
}

/// The change from last week in words: `▲ +2.1 pts, worse`, `▼ −35 min,
/// better`, `unchanged` (the colour of a number says where it stands
/// against its target, never which way it moved).
pub(super) fn change_words(
    n: &NumberStyle,
    change: Option<f64>,
    unit: Unit,
    currency: &str,
    better: Better,
) -> String {
    match change {
        None => "—".to_string(),
        Some(c) if c.abs() < f64::EPSILON => "unchanged".to_string(),
        Some(c) => {
            let verdict = match (better, c > 0.0) {
                (Better::Neither, _) => "",
                (Better::Lower, true) | (Better::Higher, false) => ", worse",
                _ => ", better",
            };
            let arrow = if c > 0.0 { "▲" } else { "▼" };
            format!("{arrow} {}{verdict}", n.change(Some(c), unit, currency))
        }
    }
}

pub(super) fn status_tone(s: Status) -> Tone {
    match s {
        Status::OnTarget => Tone::Good,
        Status::Near => Tone::Near,
        Status::Off => Tone::Bad,
        Status::NoTarget | Status::NoData => Tone::Muted,
    }
}

/// `620 → 511 → 495 → 476 min`: the numbers, then the unit once.
pub(super) fn trend_text(
    n: &NumberStyle,
    values: &[Option<f64>],
    unit: Unit,
    currency: &str,
) -> String {
    let number = |v: &Option<f64>| -> String {
        match v {
            None => "—".to_string(),
            Some(v) => n.number(*v, unit),
        }
    };
    let f = unit.format();
    let suffix = if f.currency {
        format!(" {currency}").trim_end().to_string()
    } else {
        f.suffix.to_string()
    };
    let joined = values.iter().map(number).collect::<Vec<_>>().join(" → ");
    format!("{joined}{suffix}")
}

pub(super) fn trend_word(t: Option<Trend>) -> &'static str {
    match t {
        Some(Trend::Better) => "better",
        Some(Trend::Worse) => "worse",
        Some(Trend::Steady) => "steady",
        Some(Trend::Up) => "up",
        Some(Trend::Down) => "down",
        None => "",
    }
}

pub(super) fn date_text(t: Instant) -> String {
    instant_text(t).chars().take(10).collect()
}

/// A ticket's optional field as shown, `(none)` when empty.
pub(super) fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| NO_VALUE.to_string())
}
