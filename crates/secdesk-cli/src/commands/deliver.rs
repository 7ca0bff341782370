//! `secdesk deliver`: the week's reports into a folder, mailed when asked.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use secdesk_core::calendar::instant_text;
use secdesk_core::coverage::{coverage_of, no_data_reasons};
use secdesk_core::deliver::{self, mail, DeliverOptions, Outcome};
use secdesk_core::options;
use secdesk_core::report::{self, ReportFormat, ReportOptions};
use secdesk_core::settings::{DeliverySettings, Settings};

use super::{config, load, require_data};
use crate::args::{DeliverArgs, MetricArgs};
use crate::print::{self, outln};
use crate::{EXIT_ALREADY_DELIVERED, EXIT_SEND_FAILED, EXIT_STALE};

/// `8d`, `36h`, `90m` in milliseconds.
fn duration_ms(text: &str) -> Result<i64> {
    let t = text.trim().to_ascii_lowercase();
    let (number, unit) = match t.char_indices().last() {
        Some((i, 'd')) => (&t[..i], 86_400_000.0),
        Some((i, 'h')) => (&t[..i], 3_600_000.0),
        Some((i, 'm')) => (&t[..i], 60_000.0),
        _ => (t.as_str(), 86_400_000.0),
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok((v * unit).round() as i64),
        _ => bail!("--stale-after `{text}`: a duration such as 8d, 36h or 90m"),
    }
}

/// The delivery settings with the command line's flags over them.
fn with_flags(a: &DeliverArgs, saved: &DeliverySettings) -> DeliverySettings {
    let mut d = saved.clone();
    if !a.mail_to.is_empty() {
        d.mail_to = a.mail_to.clone();
    }
    let over = |flag: &Option<String>, saved: &mut Option<String>| {
        if flag.is_some() {
            saved.clone_from(flag);
        }
    };
    over(&a.mail_from, &mut d.mail_from);
    over(&a.smtp_host, &mut d.smtp_host);
    over(&a.smtp_security, &mut d.smtp_security);
    over(&a.smtp_user, &mut d.smtp_user);
    over(
        &a.addresses.as_ref().map(|p| p.display().to_string()),
        &mut d.addresses,
    );
    d.smtp_port = a.smtp_port.or(d.smtp_port);
    d
}

pub fn run(db: &Option<PathBuf>, a: &DeliverArgs) -> Result<ExitCode> {
    let (store, ds) = load(db)?;
    require_data(&ds)?;
    let settings = Settings::load(&store)?;
    let cfg = config(&MetricArgs::default(), &store, &ds)?;
    let week = a.week.as_deref().map(options::week).transpose()?;
    let out_dir = a
        .out_dir
        .clone()
        .or_else(|| settings.delivery.out_dir.clone().map(PathBuf::from))
        .ok_or_else(|| {
            anyhow!("--out-dir: the folder the reports go to (or the setting delivery.out_dir)")
        })?;
    let formats = a
        .format
        .iter()
        .map(|f| match f.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(ReportFormat::Pdf),
            "html" | "htm" => Ok(ReportFormat::Html),
            other => Err(anyhow!("--format `{other}`: pdf, html, or pdf,html")),
        })
        .collect::<Result<Vec<_>>>()?;
    let mail = if a.no_mail {
        None
    } else {
        mail::plan_from(
            &with_flags(a, &settings.delivery),
            std::env::var("SECDESK_SMTP_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
        )?
    };
    let report = ReportOptions {
        redact: a.redact || (mail.is_some() && !a.no_redact),
        salt: store.pseudonym_salt()?,
        targets: Some(report::saved_targets(&store, &cfg)?),
        currency: settings.currency.clone(),
        numbers: settings.numbers(),
        sources: store.source_label()?,
        no_data: no_data_reasons(&coverage_of(&store, ds.sources())?),
        ..ReportOptions::default()
    };
    let opts = DeliverOptions {
        week,
        out_dir,
        formats,
        per_assignee: a.per_assignee,
        stale_after_ms: duration_ms(&a.stale_after)?,
        force: a.force,
        now: chrono::Utc::now().timestamp_millis(),
        report,
        mail,
    };
    let outcome = deliver::deliver(&store, &ds, &cfg, &opts)?;
    if a.json {
        print::json(&outcome)?;
    }
    let code = match &outcome {
        Outcome::Delivered(d) => {
            if !a.json {
                for f in &d.files {
                    outln!("wrote {}", f.path);
                }
                for s in &d.sent {
                    outln!("mailed \"{}\" to {}", s.subject, s.to.join(", "));
                }
                for who in &d.not_mailed {
                    outln!("not mailed (no address for {who}; give one with --addresses)");
                }
            }
            ExitCode::SUCCESS
        }
        Outcome::Stale { newest, week, .. } => {
            eprintln!(
                "nothing delivered: the newest data is from {}, older than --stale-after {} (refresh the export, or --force to send {week} anyway)",
                instant_text(*newest),
                a.stale_after
            );
            ExitCode::from(EXIT_STALE)
        }
        Outcome::AlreadyDelivered { week, record } => {
            eprintln!(
                "nothing delivered: {week} went out on {} to {} ({}; --force to send it again)",
                instant_text(record.delivered_at),
                record.out_dir,
                record.status
            );
            ExitCode::from(EXIT_ALREADY_DELIVERED)
        }
        Outcome::SendFailed {
            delivery,
            server,
            message,
        } => {
            for f in &delivery.files {
                eprintln!("written and kept: {}", f.path);
            }
            eprintln!("sending through {server} failed: {message}");
            ExitCode::from(EXIT_SEND_FAILED)
        }
    };
    Ok(code)
}
