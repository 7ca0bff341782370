//! What the loaded data can measure (docs/metrics.md, "No source, no
//! number"): per metric family, how many tickets (or responses) come from a
//! source whose export feeds it, and per source the column that feeds it or
//! why nothing does. Read from the import history; metrics without a source
//! are `null`, and this says why.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::StoreError;
use crate::model::{Feed, FAMILIES};
use crate::store::{LoadedSources, Store};

/// One source's part in a family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFeed {
    pub source: String,
    /// Tickets (or responses) stored from it.
    pub rows: i64,
    /// The column or events that feed the family.
    pub fed_by: Option<String>,
    /// Why nothing does.
    pub reason: Option<String>,
}

/// One family's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyCoverage {
    /// Tickets (responses for `csat`) whose source can measure the family.
    pub measurable: i64,
    /// Tickets (responses) loaded.
    pub loaded: i64,
    pub sources: Vec<SourceFeed>,
}

impl FamilyCoverage {
    /// Why the family shows no data, when no loaded row can measure it.
    pub fn reason(&self) -> Option<String> {
        if self.measurable > 0 || self.sources.is_empty() {
            return None;
        }
        let reasons: Vec<String> = self
            .sources
            .iter()
            .filter_map(|s| s.reason.as_ref().map(|r| format!("{}: {r}", s.source)))
            .collect();
        Some(reasons.join("; "))
    }
}

/// Every family's coverage, keyed by family name.
pub type Coverage = BTreeMap<String, FamilyCoverage>;

/// What was imported before feeds were recorded: read as measured.
const NOT_RECORDED: &str = "(imported before coverage was recorded)";

/// The coverage of what the store holds.
pub fn coverage(store: &Store) -> Result<Coverage, StoreError> {
    coverage_of(store, LoadedSources::default())
}

/// [`coverage`], with the rows of each source already counted by whoever
/// read them all (the loaded data): the store does not count a million
/// tickets again.
pub fn coverage_of(store: &Store, loaded: LoadedSources<'_>) -> Result<Coverage, StoreError> {
    let mut out: Coverage = FAMILIES
        .iter()
        .map(|f| {
            (
                f.to_string(),
                FamilyCoverage {
                    measurable: 0,
                    loaded: 0,
                    sources: Vec::new(),
                },
            )
        })
        .collect();
    for (kind, source, rows, report) in store.source_reports_with(loaded)? {
        let feeds: Option<Vec<Feed>> = serde_json::from_str::<serde_json::Value>(&report)
            .ok()
            .and_then(|v| v.get("coverage").cloned())
            .and_then(|c| serde_json::from_value(c).ok())
            .filter(|f: &Vec<Feed>| !f.is_empty());
        let families: &[&str] = if kind == "surveys" {
            &["csat"]
        } else {
            &FAMILIES[..FAMILIES.len() - 1]
        };
        for family in families {
            let feed = match &feeds {
                Some(list) => list.iter().find(|f| f.family == *family).cloned(),
                None => Some(Feed::fed_by(family, NOT_RECORDED)),
            }
            .unwrap_or_else(|| Feed::missing(family, "not read by this import"));
            if let Some(c) = out.get_mut(*family) {
                c.loaded += rows;
                if feed.fed_by.is_some() {
                    c.measurable += rows;
                }
                c.sources.push(SourceFeed {
                    source: source.clone(),
                    rows,
                    fed_by: feed.fed_by,
                    reason: feed.reason,
                });
            }
        }
    }
    Ok(out)
}

/// For each family no loaded row can measure, why (for "no data" in the
/// window's cards and the weekly report), from a [`coverage`] already read.
pub fn no_data_reasons(coverage: &Coverage) -> BTreeMap<String, String> {
    // Every ticket source has a resolution entry: the tickets loaded.
    let tickets = coverage.get("resolution").map_or(0, |c| c.loaded);
    coverage
        .iter()
        .filter_map(|(family, c)| {
            let reason = match c.reason() {
                Some(r) => r,
                // Tickets but no response at all: say where ratings come from.
                None if family == "csat" && c.loaded == 0 && tickets > 0 => {
                    "no survey responses are imported (a survey export, or a ticket export with ratings, gives them)"
                        .to_string()
                }
                None => return None,
            };
            Some((family.clone(), reason))
        })
        .collect()
}
