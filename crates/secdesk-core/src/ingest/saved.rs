//! Mappings remembered per header layout: a mapping the user corrected is
//! saved under a key of the file's normalised headers and used again for the
//! next file with the same headers.

use super::mapping::normalize_header;
use super::options::ImportOptions;
use super::report::ImportReport;
use crate::error::ImportError;
use crate::store::Store;

/// The settings key of the mapping saved for a kind of file and a header layout.
pub fn layout_key(kind: &str, headers: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for header in headers {
        h.update(normalize_header(header).as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("mapping.{kind}.{hex}")
}

/// The options with the mapping saved for this layout when none was given;
/// and whether a saved one was used.
pub fn remembered_mapping(
    store: &Store,
    kind: &str,
    headers: &[String],
    options: &ImportOptions,
) -> Result<(ImportOptions, bool), ImportError> {
    if !options.overrides.is_empty() {
        return Ok((options.clone(), false));
    }
    let Some(saved) = store.setting(&layout_key(kind, headers))? else {
        return Ok((options.clone(), false));
    };
    let overrides: Vec<(String, String)> = serde_json::from_str(&saved).unwrap_or_default();
    let reused = !overrides.is_empty();
    Ok((
        ImportOptions {
            overrides,
            ..options.clone()
        },
        reused,
    ))
}

/// `field=Header, …`, as the user would type them.
pub(super) fn describe_overrides(overrides: &[(String, String)]) -> String {
    overrides
        .iter()
        .map(|(f, h)| format!("{f}={h}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn remember_mapping(
    store: &Store,
    kind: &str,
    headers: &[String],
    options: &ImportOptions,
    reused: bool,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let described = describe_overrides(&options.overrides);
    if reused {
        report.notes.push(format!(
            "the column mapping saved for this header layout was used: {described}"
        ));
    } else if !options.overrides.is_empty() {
        let text = serde_json::to_string(&options.overrides).unwrap_or_default();
        store.set_setting(&layout_key(kind, headers), &text)?;
        report.notes.push(format!(
            "column mapping saved for files with these headers: {described}"
        ));
    }
    Ok(())
}
