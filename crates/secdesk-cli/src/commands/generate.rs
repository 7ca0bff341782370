//! `secdesk generate`: a realistic generated data set.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use secdesk_core::samples;

use crate::print::outln;

pub fn run(tickets: usize, out: &Path, seed: u64, end: &str) -> Result<ExitCode> {
    let end =
        chrono::NaiveDate::parse_from_str(end, "%Y-%m-%d").context("--end takes YYYY-MM-DD")?;
    std::fs::create_dir_all(out)?;
    let data = samples::generate(&samples::SampleSpec {
        tickets,
        seed,
        end,
        survey_share: 0.3,
    });
    samples::write_csv(&data, &out.join("tickets.csv"), &out.join("surveys.csv"))?;
    outln!(
        "wrote {} tickets and {} survey responses to {}",
        data.tickets.len(),
        data.surveys.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
