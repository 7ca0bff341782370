//! secdesk core: everything the desktop app and the CLI show, with no UI and no
//! Tauri. Reading exports (`sniff` → `import`/`survey`), the canonical model,
//! storage (`store`), metrics with polars (`metrics`), the `--json` contract
//! (`json`), charts with plotters (`chart`) and sample data (`samples`).
//! Time is always an argument: nothing here reads the clock.

pub mod calendar;
pub mod chart;
pub mod error;
pub mod impact;
pub mod import;
pub mod json;
pub mod mapping;
pub mod metrics;
pub mod model;
pub mod paths;
pub mod report;
pub mod samples;
pub mod scorecard;
pub mod settings;
pub mod sniff;
pub mod store;
pub mod survey;
pub mod timeparse;
pub mod values;

pub use error::{ImportError, MetricsError, ReportError, SettingsError, StoreError};
