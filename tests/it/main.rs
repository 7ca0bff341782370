//! Integration and end-to-end tests of secdesk's core and CLI, one test binary
//! with modules. Fixtures live in tests/fixtures; the real ServiceNow log is
//! read from ../shared/datasets (tests say plainly when it is missing).

mod bad_input;
mod fuzz;
mod golden;
mod helpers;
mod mappings;
mod report;
mod servicenow;
mod streaming;
mod surveys;
mod vendors;
