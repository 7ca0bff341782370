//! What the user chose for an import: the source name, the time zone of
//! naive timestamps, column overrides, the date order, strictness, and the
//! encoding and delimiter when detection got them wrong.

use super::sniff::ReadAs;
use super::timeparse::DateOrder;
use crate::calendar::SourceZone;

/// What the user chose for an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The source tickets are keyed by (default: the detected tool).
    pub source: Option<String>,
    /// Time zone of timestamps without offset.
    pub source_zone: SourceZone,
    /// `field=Header` overrides.
    pub overrides: Vec<(String, String)>,
    /// Forces the day/month order of every ambiguous date column.
    pub date_order: Option<DateOrder>,
    /// Refuse the whole file when any row would be rejected.
    pub strict: bool,
    /// Encoding and delimiter, when detection got them wrong.
    pub read_as: ReadAs,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            source: None,
            source_zone: SourceZone::Utc,
            overrides: Vec::new(),
            date_order: None,
            strict: false,
            read_as: ReadAs::default(),
        }
    }
}
