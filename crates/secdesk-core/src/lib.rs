//! secdesk core: everything the desktop app and the CLI show, with no UI and
//! no Tauri. The layers, each using only those below it (ARCHITECTURE.md
//! draws them; `.ci/layers` checks them):
//!
//! - `error`, `model`, `format`, `paths`: typed errors, canonical records,
//!   units and how numbers are written, where the database lives;
//! - `calendar`: time zones, weeks, business hours, how instants are written;
//! - `store`, `samples`: the SQLite database; generated sample exports;
//! - `ingest`, `metrics`, `coverage`: reading exports into the store; every
//!   metric, with polars, over what the store holds; what the loaded exports
//!   can measure at all;
//! - `settings`, `scorecard`, `impact`, `headlines`, `json`: saved settings,
//!   the success-factor scorecard, business impact, the headline metrics, the
//!   `metrics --json` document, all arranging what `metrics` computed;
//! - `options`, `chart`: the options both front ends take as text; charts;
//! - `report`: the weekly report and personal stats, HTML and PDF;
//! - `deliver`: reports written for a week, mailed through the team's relay,
//!   and the schedule that runs it.
//!
//! Time is always an argument: nothing here reads the clock.

pub mod calendar;
pub mod chart;
pub mod coverage;
pub mod deliver;
pub mod error;
pub mod export;
pub mod format;
pub mod headlines;
pub mod impact;
pub mod ingest;
pub mod json;
pub mod metrics;
pub mod model;
pub mod options;
pub mod paths;
pub mod report;
pub mod samples;
pub mod scorecard;
pub mod settings;
pub mod store;
pub mod table;

pub use error::{DeliverError, ImportError, MetricsError, ReportError, SettingsError, StoreError};
