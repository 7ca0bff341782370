//! `secdesk chart NAME --out FILE`: one chart as SVG or PNG.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use secdesk_core::chart::{self, ChartFormat, ChartRequest};

use super::{config, load, require_data};
use crate::args::MetricArgs;
use crate::print::outln;

pub fn run(
    db: &Option<PathBuf>,
    name: Option<String>,
    out: Option<PathBuf>,
    (width, height): (u32, u32),
    list: bool,
    force: bool,
    opts: &MetricArgs,
) -> Result<ExitCode> {
    if list {
        for c in chart::CHARTS.iter() {
            outln!("{:<28} {}", c.name, c.title);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(name), Some(out)) = (name, out) else {
        bail!("chart needs a NAME and --out FILE");
    };
    super::may_write(&out, force)?;
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let cfg = config(opts, &store, &ds)?;
    let req = ChartRequest {
        name,
        width,
        height,
        format: ChartFormat::from_path(&out)?,
        source_label: store.source_label()?,
        period: opts.options().period()?,
        dark: false,
        numbers: secdesk_core::settings::Settings::load(&store)?.numbers(),
    };
    chart::write_file(&ds, &cfg, &req, &out)?;
    outln!("wrote {} ({width}x{height})", out.display());
    Ok(ExitCode::SUCCESS)
}
