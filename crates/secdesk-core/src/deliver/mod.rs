//! Reports that arrive by themselves: for one week, the weekly report (PDF
//! and/or HTML) and, when asked, one personal report per assignee, written
//! into a folder under names chosen here (each to a temporary name first,
//! then renamed, so a reader never sees half a file), mailed through the
//! team's relay when asked (`mail`), and recorded in the delivery history.
//! A run that finds no new data, or a week already delivered, sends
//! nothing. `schedule` writes what runs it every week. The clock is an
//! argument, as everywhere in the core.

pub mod mail;
pub mod schedule;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::calendar::{instant_text, week_label};
use crate::error::DeliverError;
use crate::metrics::{Dataset, MetricsConfig};
use crate::model::{Instant, MS_PER_DAY};
use crate::report::{self, ReportFormat, ReportOptions};
use crate::store::{DeliveryRecord, Store};
pub use mail::{MailPlan, Security, SmtpServer};

/// What one delivery does.
#[derive(Debug, Clone)]
pub struct DeliverOptions {
    /// ISO week index; `None` = the last complete week of the data.
    pub week: Option<i64>,
    pub out_dir: PathBuf,
    /// Formats of every report written (at least one).
    pub formats: Vec<ReportFormat>,
    /// Also one personal report per assignee.
    pub per_assignee: bool,
    /// Refuse when the newest timestamp of the data is older than this
    /// before `now` (ms).
    pub stale_after_ms: i64,
    /// Deliver even when the data is stale or the week was delivered.
    pub force: bool,
    /// The wall clock, from the caller.
    pub now: Instant,
    /// The weekly report's options (redaction, targets, currency…); its
    /// `week` is set here.
    pub report: ReportOptions,
    /// Mail the files; `None` writes them only.
    pub mail: Option<MailPlan>,
}

/// Default for [`DeliverOptions::stale_after_ms`]: 8 days.
pub const STALE_AFTER_MS: i64 = 8 * MS_PER_DAY;

/// One file written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Written {
    pub path: String,
    /// `None` for the weekly report, else the assignee it is about.
    pub assignee: Option<String>,
}

/// One message sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sent {
    pub to: Vec<String>,
    pub subject: String,
    pub attachments: Vec<String>,
}

/// What a delivery did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub week: String,
    pub files: Vec<Written>,
    pub sent: Vec<Sent>,
    /// Assignees whose report was written but not mailed (no address).
    pub not_mailed: Vec<String>,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Delivered(Delivery),
    /// The newest timestamp of the data is older than the stale limit:
    /// nothing written or sent.
    Stale {
        newest: Instant,
        now: Instant,
        week: String,
    },
    /// The week went out before: nothing written or sent.
    AlreadyDelivered {
        week: String,
        record: DeliveryRecord,
    },
    /// The files are written (and kept); sending failed.
    SendFailed {
        delivery: Delivery,
        server: String,
        message: String,
    },
}

/// The letter without its accent, for the usual Latin letters.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ř' => "r",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// A file name part from a person's name: `Ann Lee` → `ann-lee`,
/// `Mateo García` → `mateo-garcia` (other scripts are kept as they are).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if let Some(plain) = unaccented(c) {
            out.push_str(plain);
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "unnamed".to_string()
    } else {
        out
    }
}

fn extension(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Pdf => "pdf",
        ReportFormat::Html => "html",
    }
}

/// Writes a file whole ([`crate::paths::write_whole`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DeliverError> {
    crate::paths::write_whole(path, bytes).map_err(|e| DeliverError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// The headline numbers of a weekly report as lines of text (the mail body).
fn headline_text(r: &report::WeeklyReport) -> String {
    let mut lines = vec![
        format!(
            "secdesk weekly report, {} ({} to {}, {})",
            r.week,
            &instant_text(r.from)[..10],
            &instant_text(r.to - 1)[..10],
            r.timezone
        ),
        String::new(),
    ];
    for h in &r.headline {
        let currency = if h.key == "impact_cost" {
            r.currency.as_str()
        } else {
            ""
        };
        let this = match (h.this_week, r.no_data.get(&h.key)) {
            (None, Some(why)) => format!("no data ({why})"),
            (v, _) => r.numbers.value(v, h.unit, currency),
        };
        lines.push(format!(
            "{}: {this} (last week {})",
            h.label,
            r.numbers.value(h.last_week, h.unit, currency)
        ));
    }
    lines.push(String::new());
    lines.push(format!(
        "Breached first-response targets still open: {}; silent open tickets: {}.",
        r.breached_total, r.silent_total
    ));
    lines.push(format!(
        "Data: {}; as of {}.",
        r.sources,
        instant_text(r.as_of)
    ));
    lines.join("\n")
}

/// Delivers one week: see the module's documentation.
pub fn deliver(
    store: &Store,
    ds: &Dataset,
    cfg: &MetricsConfig,
    opts: &DeliverOptions,
) -> Result<Outcome, DeliverError> {
    let newest = ds.latest.ok_or(DeliverError::NoData)?;
    let as_of = cfg.as_of.unwrap_or(newest);
    let week = opts
        .week
        .unwrap_or_else(|| report::last_complete_week(as_of, cfg));
    let label = week_label(week);
    if !opts.force {
        if opts.now - newest > opts.stale_after_ms {
            return Ok(Outcome::Stale {
                newest,
                now: opts.now,
                week: label,
            });
        }
        if let Some(record) = store.delivered(&label)? {
            return Ok(Outcome::AlreadyDelivered {
                week: label,
                record,
            });
        }
    }
    std::fs::create_dir_all(&opts.out_dir).map_err(|e| DeliverError::Write {
        path: opts.out_dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut delivery = Delivery {
        week: label.clone(),
        files: Vec::new(),
        sent: Vec::new(),
        not_mailed: Vec::new(),
    };
    // The weekly report.
    let weekly = report::weekly_report(
        ds,
        cfg,
        &ReportOptions {
            week: Some(week),
            ..opts.report.clone()
        },
    )?;
    let doc = report::weekly_document(&weekly);
    let mut weekly_files = Vec::new();
    for f in &opts.formats {
        let path = opts
            .out_dir
            .join(format!("secdesk-weekly-{label}.{}", extension(*f)));
        write_atomic(&path, &report::render(&doc, *f)?)?;
        weekly_files.push(path.clone());
        delivery.files.push(Written {
            path: path.display().to_string(),
            assignee: None,
        });
    }
    // One personal report per assignee with tickets in its 12 weeks.
    let mut personal: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    if opts.per_assignee {
        let mut person_cfg = cfg.clone();
        person_cfg.filters.dimensions.remove("assignee");
        for who in ds.dimension_values("assignee")? {
            let mut stats =
                report::personal_stats(ds, &person_cfg, &who, Some(week), &opts.report.sources)?;
            let handled = stats
                .rows
                .iter()
                .find(|r| r.key == "tickets")
                .and_then(|r| r.mine)
                .unwrap_or(0.0);
            if handled == 0.0 && stats.open.is_empty() {
                continue;
            }
            stats.explain(&opts.report.no_data);
            stats.numbers = opts.report.numbers;
            let doc = report::personal_document(&stats);
            for f in &opts.formats {
                let path =
                    opts.out_dir
                        .join(format!("secdesk-{label}-{}.{}", slug(&who), extension(*f)));
                write_atomic(&path, &report::render(&doc, *f)?)?;
                personal.entry(who.clone()).or_default().push(path.clone());
                delivery.files.push(Written {
                    path: path.display().to_string(),
                    assignee: Some(who.clone()),
                });
            }
        }
    }
    let files: Vec<String> = delivery.files.iter().map(|w| w.path.clone()).collect();
    let out_dir = opts.out_dir.display().to_string();
    let Some(plan) = &opts.mail else {
        store.record_delivery(&label, opts.now, &out_dir, &files, &[], "written")?;
        return Ok(Outcome::Delivered(delivery));
    };
    // The messages: the weekly report to its recipients, each personal
    // report to its assignee alone.
    let mut messages = vec![mail::Message {
        to: plan.to.clone(),
        subject: format!("secdesk weekly report {label}"),
        body: headline_text(&weekly),
        attachments: weekly_files,
    }];
    for (who, paths) in &personal {
        match plan.address_of(who) {
            Some(address) => messages.push(mail::Message {
                to: vec![address],
                subject: format!("Your secdesk stats {label}"),
                body: format!(
                    "Your follow-up stats for {label} and the 12 weeks before, beside your team's median, are attached.\n\nsecdesk, as of {}.",
                    instant_text(weekly.as_of)
                ),
                attachments: paths.clone(),
            }),
            None => delivery.not_mailed.push(who.clone()),
        }
    }
    let recipients: Vec<String> = messages.iter().flat_map(|m| m.to.clone()).collect();
    match mail::send_all(plan, &messages) {
        Ok(sent) => {
            delivery.sent = sent;
            store.record_delivery(&label, opts.now, &out_dir, &files, &recipients, "mailed")?;
            Ok(Outcome::Delivered(delivery))
        }
        Err(failure) => {
            delivery.sent = failure.sent;
            store.record_delivery(
                &label,
                opts.now,
                &out_dir,
                &files,
                &recipients,
                "send-failed",
            )?;
            Ok(Outcome::SendFailed {
                delivery,
                server: plan.server.describe(),
                message: failure.message,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(slug("Ann Lee"), "ann-lee");
        assert_eq!(slug("  José  O'Neil "), "jose-o-neil");
        assert_eq!(slug("Mateo García"), "mateo-garcia");
        assert_eq!(slug("Łukasz Żółć"), "lukasz-zolc");
        assert_eq!(slug("王伟"), "王伟");
        assert_eq!(slug("a.b@example.com"), "a-b-example-com");
        assert_eq!(slug("***"), "unnamed");
    }

    #[test]
    fn an_atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.pdf");
        write_atomic(&path, b"one").expect("write");
        write_atomic(&path, b"two").expect("rewrite");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("r.pdf")]);
        assert!(matches!(
            write_atomic(&dir.path().join("no/such/dir/r.pdf"), b"x"),
            Err(DeliverError::Write { .. })
        ));
    }
}
