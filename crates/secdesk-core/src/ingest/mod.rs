//! Reading exports: bytes to a table of text cells (`sniff`), columns to
//! canonical fields (`mapping`), cells to values (`timeparse`, `values`),
//! rows to canonical tickets, events and survey responses (`tickets`,
//! `event_log`, `jira`, `surveys`), and storing a file in one transaction
//! (`pipeline`). `inspect` shows how a file would be read without storing
//! it; `saved` remembers a corrected mapping per header layout. Every input
//! row ends up stored, rejected with row, column, value and reason, or
//! counted as skipped.

mod event_log;
mod feeds;
mod inspect;
mod jira;
pub mod mapping;
mod options;
mod pipeline;
mod rating;
mod report;
mod saved;
pub mod sniff;
pub mod surveys;
mod ticket_ratings;
mod tickets;
pub mod timeparse;
pub mod values;
pub mod vocab;
pub mod workbook;

pub use inspect::{inspect_file, ColumnChoice, InspectedColumn, Inspection};
pub use options::ImportOptions;
pub use pipeline::{import_survey_file, import_ticket_file};
pub use rating::{asks_for_rating, is_metadata};
pub use report::{
    rejects_table, write_rejects, ImportOutcome, ImportReport, RowReject, ValueWarning,
};
pub use saved::{layout_key, remembered_mapping};
pub use surveys::{read_surveys, SurveyBatch, SurveyOptions, SURVEY_FIELDS};
pub use tickets::{plan_ticket_mapping, read_tickets, TicketBatch, TicketPlan};
