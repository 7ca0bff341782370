//! Integration tests of secdesk-core through its public API, one test binary
//! with modules. Fixtures live in the repository's `tests/fixtures`.

mod families;
mod fuzz;
mod helpers;
mod real_surveys;
mod streaming;
mod surveys;
mod vendors;
mod workbooks;
