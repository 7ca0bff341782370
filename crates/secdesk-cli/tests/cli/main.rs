//! Tests of the `secdesk` binary: what it prints, writes and exits with, on
//! the fixtures in the repository's `tests/fixtures` and the real ServiceNow
//! log in ../shared/datasets (tests say plainly when it is missing).

mod bad_input;
mod deliver;
mod golden;
mod helpers;
mod mappings;
mod report;
mod servicenow;
mod sla;
mod snapshot;
mod surveys;
mod tables;
mod vendors;
