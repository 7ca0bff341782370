//! `secdesk targets`: the scorecard targets, shown or saved.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use secdesk_core::report;
use secdesk_core::scorecard::{self, Targets};
use secdesk_core::settings::Settings;

use super::open_store;
use crate::print::{self, outln};

pub fn run(db: &Option<PathBuf>, set: &[String], reset: bool, json: bool) -> Result<ExitCode> {
    let store = open_store(db)?;
    let cfg = Settings::load(&store)?.config()?;
    if reset {
        store.set_setting(scorecard::SAVED_TARGETS, "{}")?;
    }
    if !set.is_empty() {
        let mut saved: Targets = match store.setting(scorecard::SAVED_TARGETS)? {
            Some(s) => serde_json::from_str(&s)?,
            None => Targets(BTreeMap::new()),
        };
        for spec in set {
            let mut one = Targets(BTreeMap::new());
            one.set(spec).map_err(|e| anyhow!("--set {e}"))?;
            saved.0.extend(one.0);
        }
        store.set_setting(scorecard::SAVED_TARGETS, &serde_json::to_string(&saved)?)?;
    }
    let all = report::saved_targets(&store, &cfg)?;
    if json {
        print::json(&all)?;
    } else {
        for key in scorecard::indicator_keys() {
            match all.0.get(key) {
                Some(t) => outln!("{key:<36} on target {:<10} near {}", t.on, t.near),
                None => outln!("{key:<36} (no target)"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
