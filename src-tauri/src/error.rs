//! The error the window receives: `{ code, message, hint }`. The window
//! branches on `code` and shows `message`; `hint` says what to do in the
//! window's own words (the CLI words the same core hints as flags).

use secdesk_core::error::{FileKind, Hint, OptionError};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ShellError {
    pub code: &'static str,
    pub message: String,
    /// What the user can do about it, worded for the window.
    pub hint: Option<String>,
}

impl ShellError {
    pub fn new(code: &'static str, e: impl std::fmt::Display) -> ShellError {
        let message = e.to_string();
        // The log keeps what failed, never a cell of an export: an import's
        // message may quote one, so only its code is logged.
        log::warn!(
            "{code}: {}",
            if code == "import" { "failed" } else { &message }
        );
        ShellError {
            code,
            message,
            hint: None,
        }
    }
}

macro_rules! from_core {
    ($t:ty, $code:expr) => {
        impl From<$t> for ShellError {
            fn from(e: $t) -> ShellError {
                ShellError::new($code, e)
            }
        }
    };
}
from_core!(secdesk_core::StoreError, "store");
from_core!(secdesk_core::MetricsError, "metrics");
from_core!(secdesk_core::error::ChartError, "chart");
from_core!(secdesk_core::ReportError, "report");
from_core!(secdesk_core::SettingsError, "settings");
from_core!(secdesk_core::DeliverError, "deliver");
from_core!(secdesk_core::table::TableError, "export");

impl From<secdesk_core::ImportError> for ShellError {
    fn from(e: secdesk_core::ImportError) -> ShellError {
        let hint = e
            .hints()
            .into_iter()
            .map(|h| match h {
                Hint::MapColumn { field } => {
                    format!("Choose the column that holds `{field}` in Preview.")
                }
                Hint::ImportAs {
                    kind: FileKind::Surveys,
                } => "Import it with the kind set to survey responses.".to_string(),
                Hint::ImportAs {
                    kind: FileKind::Tickets,
                } => "Import it with the kind set to tickets.".to_string(),
            })
            .collect::<Vec<_>>();
        log::warn!("import: failed");
        ShellError {
            code: "import",
            message: e.to_string(),
            hint: (!hint.is_empty()).then(|| hint.join(" ")),
        }
    }
}

/// An option the window sent (a filter, a read choice): worded as its field.
impl From<OptionError> for ShellError {
    fn from(e: OptionError) -> ShellError {
        ShellError::new("filter", e)
    }
}
