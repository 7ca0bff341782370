//! The `secdesk` command line: a thin front end over secdesk-core. Parses
//! arguments ([`args`]), calls the core ([`commands`]), prints ([`print`]),
//! and words the core's errors as flags. Exit codes (also in the README and in
//! `secdesk --help`): 0 success; 1 error (database, file, computation, a bad
//! option value); 2 command line not understood; 3 import stored, but some rows
//! were rejected; 4 file refused, nothing stored; 5 `deliver` found no new
//! data; 6 `deliver` found the week already delivered; 7 `deliver` could not
//! send (the files stay written); 141 standard output closed before
//! everything was printed.

mod args;
mod commands;
mod print;

use std::process::ExitCode;

use clap::Parser;
use secdesk_core::error::{FileKind, Hint, Opt, OptionError};
use secdesk_core::ImportError;

/// Exit code: standard output was closed before everything was printed
/// (128 + SIGPIPE, what a shell reports for a writer whose reader stopped).
const EXIT_OUTPUT_CLOSED: u8 = 141;
/// Exit code: an error (database, file, computation, a bad option value).
const EXIT_ERROR: u8 = 1;
/// Exit code: the import stored the file, but some rows were rejected.
const EXIT_REJECTED: u8 = 3;
/// Exit code: the file was refused; nothing was stored.
const EXIT_REFUSED: u8 = 4;
/// Exit code: deliver found no new data (stale); nothing written or sent.
pub const EXIT_STALE: u8 = 5;
/// Exit code: deliver found the week already delivered; nothing sent.
pub const EXIT_ALREADY_DELIVERED: u8 = 6;
/// Exit code: deliver wrote the files but sending failed.
pub const EXIT_SEND_FAILED: u8 = 7;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", explain(&e));
            let refused = e.downcast_ref::<ImportError>().is_some();
            ExitCode::from(if refused { EXIT_REFUSED } else { EXIT_ERROR })
        }
    }
}

/// The flag a user types for an option.
fn flag(option: &Opt) -> String {
    match option {
        Opt::Period => "--from/--to".into(),
        other => format!("--{}", other.name().replace('_', "-")),
    }
}

/// An error as the command line says it: options as flags, with what to type.
fn explain(e: &anyhow::Error) -> String {
    if let Some(o) = e.downcast_ref::<OptionError>() {
        return if o.value.is_empty() {
            format!("{}: {}", flag(&o.option), o.reason)
        } else {
            format!("{} `{}`: {}", flag(&o.option), o.value, o.reason)
        };
    }
    let mut text = format!("{e:#}");
    if let Some(ie) = e.downcast_ref::<ImportError>() {
        let hints: Vec<String> = ie
            .hints()
            .into_iter()
            .map(|h| match h {
                Hint::MapColumn { field } => format!("map one with --map {field}=HEADER"),
                Hint::ImportAs {
                    kind: FileKind::Surveys,
                } => "`secdesk import surveys FILE`".into(),
                Hint::ImportAs {
                    kind: FileKind::Tickets,
                } => "`secdesk import tickets FILE`".into(),
            })
            .collect();
        if !hints.is_empty() {
            text.push_str(&format!(" ({})", hints.join("; ")));
        }
    }
    text
}
