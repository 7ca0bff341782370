//! Shared test helpers: fixture paths, importing into a fresh database.

use std::path::{Path, PathBuf};

use secdesk_core::error::ImportError;
use secdesk_core::ingest::{import_ticket_file, ImportOptions, ImportOutcome};
use secdesk_core::store::Store;

/// Imports a ticket file into a fresh in-memory database.
pub fn import_tickets(
    path: &Path,
    options: &ImportOptions,
) -> (Store, Result<ImportOutcome, ImportError>) {
    let mut store = Store::open_in_memory().expect("db");
    let outcome = import_ticket_file(&mut store, path, options, "now", &mut |_, _| true);
    (store, outcome)
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}
