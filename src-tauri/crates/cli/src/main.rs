//! The `secdesk` command line: a thin front end over secdesk-core. Parses
//! arguments, calls the core, prints. Exit codes (also in the README and in
//! `secdesk --help`): 0 success; 1 error (database, file, computation, a bad
//! option value); 2 command line not understood; 3 import stored, but some rows
//! were rejected; 4 file refused, nothing stored; 141 standard output closed
//! before everything was printed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use secdesk_core::calendar;
use secdesk_core::chart::{self, ChartFormat, ChartRequest};
use secdesk_core::impact::ContactCosts;
use secdesk_core::import::{self, ImportOptions, ImportOutcome};
use secdesk_core::json::{metrics_document, ImportCounts};
use secdesk_core::metrics::{self, Dataset, Filters, MetricSet, MetricsConfig, PointKey};
use secdesk_core::model::{Priority, SurveyScale};
use secdesk_core::report::{self, ReportFormat, ReportOptions};
use secdesk_core::samples;
use secdesk_core::scorecard::{self, Targets, Unit};
use secdesk_core::settings::Settings;
use secdesk_core::sniff::{parse_delimiter, Encoding, ReadAs};
use secdesk_core::store::Store;
use secdesk_core::survey::SurveyOptions;
use secdesk_core::timeparse::{parse_timestamp, DateOrder, SourceZone};
use secdesk_core::ImportError;

#[derive(Parser)]
#[command(
    name = "secdesk",
    version,
    about = "How well does the security team serve its customers? Import ticket and survey exports, get the numbers and charts.",
    after_help = "Exit codes: 0 success · 1 error (database, file, computation, bad option value) · 2 command line not understood · 3 import stored but some rows rejected (see --rejects) · 4 file refused, nothing stored · 141 output closed early (e.g. piped to head)."
)]
struct Cli {
    /// Database file (default: the platform data directory, or $SECDESK_DB).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import a ticket export or a survey export.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Show how a file would be read (format, encoding, delimiter, dates, mapping), storing nothing.
    Inspect {
        file: PathBuf,
        /// Read it as a survey export.
        #[arg(long)]
        surveys: bool,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long)]
        json: bool,
    },
    /// List the import history.
    Imports {
        #[arg(long)]
        json: bool,
    },
    /// Remove one import and every row it stored.
    Forget { import_id: i64 },
    /// Print every metric (a table, or the documented JSON with --json).
    Metrics {
        #[command(flatten)]
        opts: MetricArgs,
        #[arg(long)]
        json: bool,
    },
    /// Draw a chart to an SVG or PNG file.
    Chart {
        /// Chart name (see `secdesk chart --list`).
        #[arg(required_unless_present = "list")]
        name: Option<String>,
        #[arg(long, required_unless_present = "list")]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 1920)]
        width: u32,
        #[arg(long, default_value_t = 1080)]
        height: u32,
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Write the weekly report (PDF or self-contained HTML), or with one
    /// --assignee that person's stats beside the team median.
    Report {
        /// Output file: .pdf or .html.
        #[arg(long, required_unless_present = "json")]
        out: Option<PathBuf>,
        /// Replace requester names and emails by stable pseudonyms.
        #[arg(long)]
        redact: bool,
        /// Scorecard target, e.g. --target reopen_rate=0.04/0.08 (ON[/NEAR]; repeatable).
        #[arg(long = "target", value_name = "KEY=ON[/NEAR]")]
        targets: Vec<String>,
        #[command(flatten)]
        money: MoneyArgs,
        /// Print the report's figures as JSON instead of (or besides) writing the file.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Print the success-factor scorecard of a week (default: the last complete week).
    Scorecard {
        #[arg(long = "target", value_name = "KEY=ON[/NEAR]")]
        targets: Vec<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// List the tickets behind one chart point: those created in a week
    /// (--week), or those whose first response fell in a delay bucket
    /// (--bucket, e.g. "< 1 h"; with --from/--to for the period).
    Tickets {
        #[arg(long)]
        bucket: Option<String>,
        /// Longest list printed (the total is always given).
        #[arg(long, default_value_t = 500)]
        limit: usize,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Show the settings every number follows (SLA targets, business hours,
    /// holidays, silence threshold, hourly cost and currency, time zone), or
    /// save edited ones in the database (used by every command and the app).
    Settings {
        /// Save a setting: sla.P1..sla.P4 (hours), business_days (1-5),
        /// business_hours (09:00-17:00), holidays (2026-12-25,2026-12-26),
        /// silence_days, hourly_cost, currency, time_zone (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Forget the saved settings (back to the defaults).
        #[arg(long)]
        reset: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the scorecard targets, or save edited ones in the database
    /// (used by reports, the scorecard and the app).
    Targets {
        /// Save a target: KEY=ON or KEY=ON/NEAR (repeatable).
        #[arg(long = "set", value_name = "KEY=ON[/NEAR]")]
        set: Vec<String>,
        /// Forget every saved target (back to the documented defaults).
        #[arg(long)]
        reset: bool,
        #[arg(long)]
        json: bool,
    },
    /// Blocked hours and cost saved had first response in one priority met its
    /// target (default period: the last complete quarter before as_of).
    /// Use --priority for the priority (default P1), --from/--to for the period.
    WhatIf {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Measure import, metrics and chart rendering on generated data (release build recommended).
    Bench {
        /// Ticket counts to measure, e.g. --tickets 100000 --tickets 1000000.
        #[arg(long, default_values_t = vec![100_000usize])]
        tickets: Vec<usize>,
        /// Folder for the generated files and databases (default: a temporary folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write a generated, realistic security-desk data set (tickets.csv, surveys.csv).
    Generate {
        #[arg(long, default_value_t = 5000)]
        tickets: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Last day of the data (YYYY-MM-DD); the data covers the year before it.
        #[arg(long, default_value = "2026-11-20")]
        end: String,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// A ticket export (Zendesk, Jira, ServiceNow, Freshdesk, osTicket, GLPI, any CSV).
    Tickets {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Write rejected rows (row, column, value, reason) to this CSV.
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Refuse the whole file when any row is rejected.
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
    /// A survey export (Zendesk CSAT, Google/Microsoft Forms, SurveyMonkey, Qualtrics, any CSV).
    Surveys {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Rating scale: 1-5, 1-7, 0-10, good-bad (default: detected).
        #[arg(long)]
        scale: Option<String>,
        #[arg(long)]
        rejects: Option<PathBuf>,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Clone)]
struct ReadArgs {
    /// Map a canonical field to a header: --map created_at="Opened on" (repeatable).
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    maps: Vec<String>,
    /// Source name tickets are keyed by (default: the detected tool).
    #[arg(long)]
    source: Option<String>,
    /// Time zone of timestamps without offset (IANA name, default UTC).
    #[arg(long, default_value = "UTC")]
    source_tz: String,
    /// Force the day/month order of ambiguous dates.
    #[arg(long, value_enum)]
    date_order: Option<OrderArg>,
    /// Force the encoding: utf-8, utf-16le, utf-16be, windows-1252.
    #[arg(long)]
    encoding: Option<String>,
    /// Force the delimiter: comma, semicolon, tab, pipe (or the character).
    #[arg(long)]
    delimiter: Option<String>,
}

#[derive(Args, Clone)]
struct MoneyArgs {
    /// Currency label printed with costs (default: the saved setting, `$` unless changed).
    #[arg(long)]
    currency: Option<String>,
    /// Cost of a contact handled by a live agent (default: the seed's 2009 figure).
    #[arg(long, default_value_t = 7.50)]
    cost_live_agent: f64,
    /// Cost of a contact handled offshore.
    #[arg(long, default_value_t = 2.35)]
    cost_offshore: f64,
    /// Cost of an automated / self-service contact.
    #[arg(long, default_value_t = 0.32)]
    cost_automated: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrderArg {
    DayFirst,
    MonthFirst,
}

#[derive(Args, Clone, Default)]
struct MetricArgs {
    /// Instant the report is taken (default: latest timestamp in the data).
    #[arg(long)]
    as_of: Option<String>,
    /// Reporting time zone (IANA name; default: the saved setting, UTC unless changed).
    #[arg(long)]
    tz: Option<String>,
    /// Period start (date or timestamp, inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Period end (date or timestamp, exclusive).
    #[arg(long)]
    to: Option<String>,
    /// One ISO week, e.g. 2026-W47 (sets --from/--to).
    #[arg(long)]
    week: Option<String>,
    #[arg(long)]
    priority: Vec<String>,
    #[arg(long)]
    category: Vec<String>,
    #[arg(long)]
    team: Vec<String>,
    #[arg(long)]
    assignee: Vec<String>,
    #[arg(long)]
    department: Vec<String>,
    #[arg(long)]
    channel: Vec<String>,
    /// First-response SLA targets in hours, e.g. --sla P1=1 --sla P2=4.
    #[arg(long, value_name = "P=HOURS")]
    sla: Vec<String>,
    /// Days without an update after which an open ticket is silent.
    #[arg(long)]
    silence_days: Option<f64>,
    /// Loaded cost of one blocked person-hour.
    #[arg(long)]
    hourly_cost: Option<f64>,
    /// Business hours, e.g. 09:00-17:00.
    #[arg(long)]
    business_hours: Option<String>,
    /// Business days as ISO numbers, e.g. 1-5 or 1,2,3,4,5.
    #[arg(long)]
    business_days: Option<String>,
    /// A closed date (YYYY-MM-DD), repeatable.
    #[arg(long)]
    holiday: Vec<String>,
}

/// Prints a line to standard output, like `println!`, except that when the
/// reader has gone (`secdesk metrics | head`) the program ends quietly with
/// [`EXIT_OUTPUT_CLOSED`] instead of panicking.
macro_rules! outln {
    () => {
        print_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        print_line(format_args!($($arg)*))
    };
}

fn print_line(line: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(EXIT_OUTPUT_CLOSED.into());
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(EXIT_ERROR.into());
    }
}

/// Exit code: standard output was closed before everything was printed
/// (128 + SIGPIPE, what a shell reports for a writer whose reader stopped).
const EXIT_OUTPUT_CLOSED: u8 = 141;

/// Exit code: an error (database, file, computation, a bad option value).
const EXIT_ERROR: u8 = 1;
/// Exit code: the import stored the file, but some rows were rejected.
const EXIT_REJECTED: u8 = 3;
/// Exit code: the file was refused; nothing was stored.
const EXIT_REFUSED: u8 = 4;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let refused = e.downcast_ref::<ImportError>().is_some();
            ExitCode::from(if refused { EXIT_REFUSED } else { EXIT_ERROR })
        }
    }
}

fn open_store(db: &Option<PathBuf>) -> Result<Store> {
    let path = db
        .clone()
        .unwrap_or_else(secdesk_core::paths::default_database_path);
    Ok(Store::open(&path)?)
}

fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn read_options(r: &ReadArgs) -> Result<ImportOptions> {
    let zone = SourceZone::parse(&r.source_tz)
        .ok_or_else(|| ImportError::UnknownTimeZone(r.source_tz.clone()))?;
    let overrides = r
        .maps
        .iter()
        .map(|m| {
            m.split_once('=')
                .map(|(f, h)| (f.trim().to_string(), h.trim().to_string()))
                .ok_or_else(|| anyhow!("--map takes FIELD=HEADER, got `{m}`"))
        })
        .collect::<Result<Vec<_>>>()?;
    let read_as = ReadAs {
        encoding: r
            .encoding
            .as_deref()
            .map(|e| {
                Encoding::parse(e).ok_or_else(|| {
                    anyhow!("--encoding: utf-8, utf-16le, utf-16be or windows-1252, not `{e}`")
                })
            })
            .transpose()?,
        delimiter: r
            .delimiter
            .as_deref()
            .map(|d| {
                parse_delimiter(d).ok_or_else(|| {
                    anyhow!("--delimiter: comma, semicolon, tab, pipe or one character, not `{d}`")
                })
            })
            .transpose()?,
    };
    Ok(ImportOptions {
        source: r.source.clone(),
        source_zone: zone,
        overrides,
        read_as,
        strict: false,
        date_order: r.date_order.map(|o| match o {
            OrderArg::DayFirst => DateOrder::DayFirst,
            OrderArg::MonthFirst => DateOrder::MonthFirst,
        }),
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Import { what } => {
            let mut store = open_store(&cli.db)?;
            let (outcome, rejects, json) = match what {
                ImportWhat::Tickets {
                    file,
                    read,
                    rejects,
                    strict,
                    json,
                } => {
                    let opts = ImportOptions {
                        strict,
                        ..read_options(&read)?
                    };
                    let outcome = import::import_ticket_file(
                        &mut store,
                        &file,
                        &opts,
                        &now_text(),
                        &mut |_, _| true,
                    )?;
                    (outcome, rejects, json)
                }
                ImportWhat::Surveys {
                    file,
                    read,
                    scale,
                    rejects,
                    strict,
                    json,
                } => {
                    let common = read_options(&read)?;
                    let scale =
                        match scale {
                            Some(s) => Some(SurveyScale::from_label(&s).ok_or_else(|| {
                                anyhow!("--scale takes 1-5, 1-7, 0-10 or good-bad")
                            })?),
                            None => None,
                        };
                    if strict {
                        strict_check(&file, &common, &store)?;
                    }
                    let outcome = import::import_survey_file(
                        &mut store,
                        &file,
                        &SurveyOptions { common, scale },
                        &now_text(),
                        &mut |_, _| true,
                    )?;
                    (outcome, rejects, json)
                }
            };
            if let Some(path) = rejects {
                import::write_rejects(&path, &outcome.report.rejected)?;
            }
            print_outcome(&outcome, json)?;
            Ok(
                if outcome.report.rejected.is_empty() || outcome.already_imported {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(EXIT_REJECTED)
                },
            )
        }
        Command::Inspect {
            file,
            surveys,
            read,
            json,
        } => {
            let opts = read_options(&read)?;
            // A saved mapping for this layout applies, if the database exists.
            let path = cli
                .db
                .clone()
                .unwrap_or_else(secdesk_core::paths::default_database_path);
            let store = if path.exists() {
                Some(Store::open(&path)?)
            } else {
                None
            };
            let inspection = import::inspect_file(&file, surveys, &opts, store.as_ref())?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&inspection)?);
            } else {
                let r = &inspection.report;
                outln!("{}: looks like a {} ({})", r.file, r.format_label, r.format);
                outln!(
                    "encoding {}, delimiter {}, {} header row(s), {} preamble row(s)",
                    r.encoding,
                    r.delimiter,
                    r.header_rows,
                    r.preamble_rows
                );
                for (h, d) in &r.date_columns {
                    outln!("dates in `{h}`: {}", d.reason);
                }
                outln!(
                    "{} data rows; {} would be stored, {} rejected",
                    r.rows_read,
                    r.records,
                    r.rejected.len()
                );
                outln!();
                for c in &inspection.columns {
                    outln!(
                        "{:<40} → {:<22} {}",
                        c.header,
                        c.field,
                        c.samples
                            .iter()
                            .map(|v| v.replace(['\r', '\n'], "⏎"))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                    if !c.parsed.is_empty() {
                        let parsed: Vec<String> = c
                            .parsed
                            .iter()
                            .map(|v| v.replace(['\r', '\n'], "⏎"))
                            .collect();
                        outln!("{:<40}   {:<22} read as: {}", "", "", parsed.join(" | "));
                    }
                }
                for n in &r.notes {
                    outln!("note: {n}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Imports { json } => {
            let store = open_store(&cli.db)?;
            let list = store.imports()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                outln!(
                    "{:>4}  {:<8} {:<24} {:<28} {:>8} {:>8} {:>8}  imported at",
                    "id",
                    "kind",
                    "source",
                    "file",
                    "read",
                    "stored",
                    "rejected"
                );
                for i in list {
                    outln!(
                        "{:>4}  {:<8} {:<24} {:<28} {:>8} {:>8} {:>8}  {}",
                        i.id,
                        i.kind,
                        i.source,
                        i.file_name,
                        i.rows_read,
                        i.rows_stored,
                        i.rows_rejected,
                        i.imported_at
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Forget { import_id } => {
            let mut store = open_store(&cli.db)?;
            let r = store.forget(import_id)?;
            outln!(
                "forgot import {} ({}, {} rows)",
                r.id,
                r.file_name,
                r.rows_stored
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Metrics { opts, json } => {
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            let cfg = metrics_config(&opts, &store, &ds)?;
            if require_data(&ds).is_err() {
                eprintln!("note: {NO_DATA}");
            }
            let report = metrics::compute(&ds, &cfg)?;
            let counts = ImportCounts {
                tickets: store.ticket_count()?,
                surveys: store.survey_count()?,
                rejected_rows: store.rejected_rows()?,
            };
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&metrics_document(&report, &cfg, counts))?
                );
            } else {
                print_table(&report, &cfg, counts);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Chart {
            name,
            out,
            width,
            height,
            list,
            opts,
        } => {
            if list {
                for c in chart::CHARTS {
                    outln!("{:<28} {}", c.name, c.title);
                }
                return Ok(ExitCode::SUCCESS);
            }
            let (Some(name), Some(out)) = (name, out) else {
                bail!("chart needs a NAME and --out FILE");
            };
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            require_data(&ds)?;
            let cfg = metrics_config(&opts, &store, &ds)?;
            let req = ChartRequest {
                name: name.clone(),
                width,
                height,
                format: ChartFormat::from_path(&out)?,
                source_label: store.source_label()?,
            };
            chart::write_file(&ds, &cfg, &req, &out)?;
            outln!("wrote {} ({width}x{height})", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            out,
            redact,
            targets,
            money,
            json,
            opts,
        } => {
            if opts.from.is_some() || opts.to.is_some() {
                bail!("a report covers one week (or 12 weeks for --assignee): use --week, not --from/--to");
            }
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            require_data(&ds)?;
            let mut cfg = metrics_config(&opts, &store, &ds)?;
            let week = report_week(&opts)?;
            let sources = store.source_label()?;
            // Refuse an unknown format before computing anything.
            out.as_deref().map(ReportFormat::from_path).transpose()?;
            let (doc, figures) = if let [person] = opts.assignee.as_slice() {
                cfg.filters.dimensions.remove("assignee");
                let stats = report::personal_stats(&ds, &cfg, person, week, &sources)?;
                (
                    report::personal_document(&stats),
                    serde_json::to_value(&stats)?,
                )
            } else {
                let options = ReportOptions {
                    week,
                    redact,
                    salt: store.pseudonym_salt()?,
                    targets: Some(scorecard_targets(&store, &cfg, &targets)?),
                    costs: ContactCosts {
                        live_agent: money.cost_live_agent,
                        offshore: money.cost_offshore,
                        automated: money.cost_automated,
                    },
                    currency: match &money.currency {
                        Some(c) => c.clone(),
                        None => Settings::load(&store)?.currency,
                    },
                    sources,
                    ..ReportOptions::default()
                };
                let weekly = report::weekly_report(&ds, &cfg, &options)?;
                (
                    report::weekly_document(&weekly),
                    serde_json::to_value(&weekly)?,
                )
            };
            if let Some(out) = out {
                report::write_file(&doc, &out)?;
                if !json {
                    outln!("wrote {}", out.display());
                }
            }
            if json {
                outln!("{}", serde_json::to_string_pretty(&figures)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Scorecard {
            targets,
            json,
            opts,
        } => {
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            require_data(&ds)?;
            let cfg = metrics_config(&opts, &store, &ds)?;
            let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
            let week =
                report_week(&opts)?.unwrap_or_else(|| report::last_complete_week(as_of, &cfg));
            let targets = scorecard_targets(&store, &cfg, &targets)?;
            let card = report::scorecard_for_week(&ds, &cfg, week, &targets)?;
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "week": calendar::week_label(week),
                        "as_of": secdesk_core::json::instant_text(as_of),
                        "factors": card.factors,
                    }))?
                );
            } else {
                print_scorecard(&card, &calendar::week_label(week));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Tickets {
            bucket,
            limit,
            json,
            opts,
        } => {
            let key = match (&bucket, &opts.week) {
                (Some(b), None) => PointKey::Bucket(b.clone()),
                (None, Some(w)) => PointKey::Week(
                    calendar::parse_week_label(w)
                        .ok_or_else(|| anyhow!("--week takes an ISO week like 2026-W47"))?,
                ),
                _ => bail!("tickets needs one of --week WEEK or --bucket BUCKET"),
            };
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            require_data(&ds)?;
            let cfg = metrics_config(&opts, &store, &ds)?;
            let (total, rows) = metrics::tickets_behind(&ds, &cfg, &key, limit)?;
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "total": total, "tickets": rows })
                    )?
                );
            } else {
                outln!("{total} tickets");
                for t in &rows {
                    outln!(
                        "{:<14} {} {:<4} {:<22} {:<18} first response {:>8} {}{}",
                        t.ticket_id,
                        &secdesk_core::json::instant_text(t.created_at)[..16],
                        t.priority.as_deref().unwrap_or("-"),
                        t.category.as_deref().unwrap_or("-"),
                        t.assignee.as_deref().unwrap_or("-"),
                        t.first_response_minutes
                            .map_or("-".to_string(), |m| format!("{m:.0} min")),
                        if t.breached { "breached " } else { "" },
                        if t.open { "open" } else { "" }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Settings { set, reset, json } => {
            let store = open_store(&cli.db)?;
            if reset {
                Settings::reset(&store)?;
            }
            let mut settings = Settings::load(&store)?;
            if !set.is_empty() {
                for spec in &set {
                    let (k, v) = spec
                        .split_once('=')
                        .ok_or_else(|| anyhow!("--set takes KEY=VALUE, got `{spec}`"))?;
                    settings.set(k.trim(), v)?;
                }
                settings.save(&store)?;
            }
            if json {
                outln!("{}", serde_json::to_string_pretty(&settings)?);
            } else {
                let [p1, p2, p3, p4] = settings.sla_hours;
                outln!("first-response targets   P1 {p1} h · P2 {p2} h · P3 {p3} h · P4 {p4} h");
                outln!(
                    "business days and hours  {:?} {}-{}",
                    settings.business_days,
                    settings.business_open,
                    settings.business_close
                );
                outln!("holidays                 {}", settings.holidays.join(", "));
                outln!("silent after             {} days", settings.silence_days);
                outln!(
                    "blocked hour costs       {} {}",
                    settings.hourly_cost,
                    settings.currency
                );
                outln!("reporting time zone      {}", settings.time_zone);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Targets { set, reset, json } => {
            let store = open_store(&cli.db)?;
            let cfg = Settings::load(&store)?.config()?;
            if reset {
                store.set_setting(scorecard::SAVED_TARGETS, "{}")?;
            }
            if !set.is_empty() {
                let mut saved: Targets = match store.setting(scorecard::SAVED_TARGETS)? {
                    Some(s) => serde_json::from_str(&s)?,
                    None => Targets(BTreeMap::new()),
                };
                for spec in &set {
                    let mut one = Targets(BTreeMap::new());
                    one.set(spec).map_err(|e| anyhow!("--set {e}"))?;
                    saved.0.extend(one.0);
                }
                store.set_setting(scorecard::SAVED_TARGETS, &serde_json::to_string(&saved)?)?;
            }
            let all = report::saved_targets(&store, &cfg)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for key in scorecard::indicator_keys() {
                    match all.0.get(key) {
                        Some(t) => outln!("{key:<36} on target {:<10} near {}", t.on, t.near),
                        None => outln!("{key:<36} (no target)"),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::WhatIf { json, opts } => {
            let priority = match opts.priority.as_slice() {
                [] => "P1".to_string(),
                [p] => canonical_priority(p),
                _ => bail!("what-if answers for one --priority at a time"),
            };
            if Priority::parse_canonical(&priority).is_none() {
                bail!("--priority takes P1, P2, P3 or P4 (the SLA targets), not `{priority}`");
            }
            let store = open_store(&cli.db)?;
            let ds = Dataset::load(&store)?;
            require_data(&ds)?;
            let mut cfg = metrics_config(&opts, &store, &ds)?;
            let as_of = cfg.as_of.or(ds.latest).unwrap_or(0);
            cfg.as_of = Some(as_of);
            if cfg.filters.from.is_none() && cfg.filters.to.is_none() {
                let (from, to) = report::previous_quarter(as_of, &cfg);
                cfg.filters.from = Some(from);
                cfg.filters.to = Some(to);
            }
            let w = metrics::what_if(&ds, &cfg, priority.trim())?;
            let period = format!(
                "{} – {}",
                cfg.filters
                    .from
                    .map_or("start".into(), secdesk_core::json::instant_text),
                cfg.filters
                    .to
                    .map_or("as_of".into(), secdesk_core::json::instant_text)
            );
            if json {
                let mut v = serde_json::to_value(&w)?;
                v["period"] = serde_json::Value::String(period);
                outln!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!(
                    "Period {period}: {} {} tickets, {} answered after the {} h target.",
                    w.tickets,
                    w.priority,
                    w.breached,
                    w.target_hours
                );
                outln!(
                    "Had all met the target: {} blocked person-hours and {} saved (of {} blocked hours).",
                    report::format_value(w.saved_blocked_hours, Unit::Hours, ""),
                    report::format_value(w.saved_cost, Unit::Cost, ""),
                    report::format_value(w.blocked_hours, Unit::Hours, ""),
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { tickets, dir } => {
            for n in tickets {
                bench(n, dir.clone())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            tickets,
            out,
            seed,
            end,
        } => {
            let end = chrono::NaiveDate::parse_from_str(&end, "%Y-%m-%d")
                .context("--end takes YYYY-MM-DD")?;
            std::fs::create_dir_all(&out)?;
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
    }
}

/// Surveys with --strict: read the file first and refuse it whole when a row would be rejected.
fn strict_check(file: &Path, opts: &ImportOptions, store: &Store) -> Result<()> {
    let inspection = import::inspect_file(file, true, opts, Some(store))?;
    if let Some(first) = inspection.report.rejected.first() {
        return Err(ImportError::RowsRejected {
            file: file.display().to_string(),
            count: inspection.report.rejected.len(),
            row: first.row,
            column: first.column.clone(),
            value: first.value.clone(),
            reason: first.reason.clone(),
        }
        .into());
    }
    Ok(())
}

fn print_outcome(o: &ImportOutcome, json: bool) -> Result<()> {
    if json {
        outln!("{}", serde_json::to_string_pretty(o)?);
        return Ok(());
    }
    let r = &o.report;
    if o.already_imported {
        outln!(
            "{}: already imported as import {} on {}; nothing changed",
            r.file,
            o.record.id,
            o.record.imported_at
        );
        return Ok(());
    }
    outln!("{}: {} ({})", r.file, r.format_label, r.format);
    outln!(
        "encoding {}, delimiter {}, {} header row(s)",
        r.encoding,
        r.delimiter,
        r.header_rows
    );
    for (h, d) in &r.date_columns {
        outln!("dates in `{h}`: {}", d.reason);
    }
    outln!("mapping:");
    for m in &r.mapping {
        outln!("  {m}");
    }
    outln!(
        "import {}: {} rows read, {} {} stored, {} events, {} rejected, {} blank rows skipped",
        o.record.id,
        r.rows_read,
        r.records,
        r.kind,
        r.events,
        r.rejected.len(),
        r.skipped_blank_rows
    );
    if !r.skipped_total_rows.is_empty() {
        outln!("skipped totals rows: {:?}", r.skipped_total_rows);
    }
    if r.skipped_unrated_rows > 0 {
        outln!(
            "skipped {} rows without a rating (offered/unoffered/unanswered)",
            r.skipped_unrated_rows
        );
    }
    for n in &r.notes {
        outln!("note: {n}");
    }
    for w in &r.warnings {
        outln!(
            "warning: column `{}`: {} values unreadable and left empty ({}; e.g. row {}: `{}`)",
            w.column,
            w.count,
            w.reason,
            w.example_row,
            w.example_value
        );
    }
    for rej in r.rejected.iter().take(20) {
        outln!(
            "rejected: row {}, column `{}`, value `{}`: {}",
            rej.row,
            rej.column,
            rej.value,
            rej.reason
        );
    }
    if r.rejected.len() > 20 {
        outln!(
            "… {} more rejected rows (use --rejects FILE)",
            r.rejected.len() - 20
        );
    }
    Ok(())
}

/// The week of --week, if given.
fn report_week(a: &MetricArgs) -> Result<Option<i64>> {
    a.week
        .as_deref()
        .map(|w| {
            calendar::parse_week_label(w)
                .ok_or_else(|| anyhow!("--week takes an ISO week like 2026-W47"))
        })
        .transpose()
}

/// Targets: the defaults, then those saved in the database, then --target.
fn scorecard_targets(store: &Store, cfg: &MetricsConfig, specs: &[String]) -> Result<Targets> {
    let mut t = report::saved_targets(store, cfg)?;
    for s in specs {
        t.set(s).map_err(|e| anyhow!("--target {e}"))?;
    }
    Ok(t)
}

fn print_scorecard(card: &scorecard::Scorecard, week: &str) {
    outln!("Success-factor scorecard, {week}");
    for f in &card.factors {
        outln!("\n{} — {}", f.name, f.status.label());
        for i in &f.indicators {
            let value = report::format_value(i.value, i.unit, "");
            let target = i.target.map_or(String::new(), |t| {
                format!("target {}", report::format_value(Some(t.on), i.unit, ""))
            });
            let detail = i
                .detail
                .as_deref()
                .map_or(String::new(), |d| format!(" ({d})"));
            match &i.missing {
                Some(m) => outln!("  {:<58} no data: would be measured by {m}", i.label),
                None => outln!(
                    "  {:<58} {:>14}{detail} {:<10} {:<18} {}",
                    i.label,
                    value,
                    i.status.label(),
                    target,
                    i.trend
                        .iter()
                        .map(|v| report::format_value(*v, i.unit, ""))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
            }
        }
    }
}

fn parse_instant(s: &str, zone: SourceZone) -> Result<i64> {
    parse_timestamp(s, DateOrder::DayFirst, zone)
        .map_err(|e| anyhow!("`{s}`: {e}"))?
        .ok_or_else(|| anyhow!("empty date"))
}

/// An error for commands that describe the data when nothing is stored yet.
fn require_data(ds: &Dataset) -> Result<()> {
    if ds.ticket_count() == 0 && ds.survey_count() == 0 {
        bail!("{NO_DATA}");
    }
    Ok(())
}

const NO_DATA: &str = "no tickets or survey responses are stored yet: import an export first \
     (secdesk import tickets FILE, secdesk import surveys FILE), or try secdesk generate";

/// `p1` → `P1`; anything else as written.
fn canonical_priority(p: &str) -> String {
    let upper = p.trim().to_uppercase();
    match Priority::parse_canonical(&upper) {
        Some(canonical) => canonical.as_str().to_string(),
        None => p.to_string(),
    }
}

/// The config of a command: the saved settings of the database, then the
/// command line's options over them. Filter
/// values no ticket has are named on standard error (they select nothing);
/// priorities may be written in any case (`p1`).
fn metrics_config(a: &MetricArgs, store: &Store, ds: &Dataset) -> Result<MetricsConfig> {
    let mut cfg = Settings::load(store)?.config()?;
    if let Some(tz) = &a.tz {
        cfg.zone = SourceZone::parse(tz).ok_or_else(|| anyhow!("unknown time zone `{tz}`"))?;
    }
    let zone = cfg.zone;
    if let Some(s) = &a.as_of {
        cfg.as_of = Some(parse_instant(s, zone)?);
    }
    if let Some(w) = &a.week {
        let idx = calendar::parse_week_label(w)
            .ok_or_else(|| anyhow!("--week takes an ISO week like 2026-W47"))?;
        let (s, e) = calendar::week_bounds(idx, zone);
        cfg.filters.from = Some(s);
        cfg.filters.to = Some(e);
    }
    if let Some(s) = &a.from {
        cfg.filters.from = Some(parse_instant(s, zone)?);
    }
    if let Some(s) = &a.to {
        cfg.filters.to = Some(parse_instant(s, zone)?);
    }
    cfg.filters.check_period()?;
    let mut dims = BTreeMap::new();
    let priorities: Vec<String> = a.priority.iter().map(|p| canonical_priority(p)).collect();
    for (k, v) in [
        ("priority", &priorities),
        ("category", &a.category),
        ("team", &a.team),
        ("assignee", &a.assignee),
        ("department", &a.department),
        ("channel", &a.channel),
    ] {
        if v.is_empty() {
            continue;
        }
        let known = ds.dimension_values(k)?;
        for value in v
            .iter()
            .filter(|v| *v != metrics::NO_VALUE && !known.contains(v))
        {
            eprintln!("note: no ticket has {k} `{value}` (it selects nothing)");
        }
        dims.insert(k.to_string(), v.clone());
    }
    cfg.filters = Filters {
        dimensions: dims,
        ..cfg.filters
    };
    for s in &a.sla {
        let (p, h) = s
            .split_once('=')
            .ok_or_else(|| anyhow!("--sla takes P1=HOURS"))?;
        let idx = match p.trim() {
            "P1" => 0,
            "P2" => 1,
            "P3" => 2,
            "P4" => 3,
            other => bail!("--sla: unknown priority `{other}`"),
        };
        let hours: f64 = h.trim().parse().context("--sla hours")?;
        cfg.sla_targets_ms[idx] = (hours * 3_600_000.0).round() as i64;
    }
    if let Some(d) = a.silence_days {
        cfg.silence_days = d;
    }
    if let Some(c) = a.hourly_cost {
        cfg.hourly_cost = c;
    }
    let mut cal = cfg.calendar.clone();
    if let Some(h) = &a.business_hours {
        let (o, c) = h
            .split_once('-')
            .ok_or_else(|| anyhow!("--business-hours takes HH:MM-HH:MM"))?;
        let minute = |t: &str| -> Result<u32> {
            let (hh, mm) = t
                .trim()
                .split_once(':')
                .ok_or_else(|| anyhow!("bad time `{t}`"))?;
            Ok(hh.parse::<u32>()? * 60 + mm.parse::<u32>()?)
        };
        cal.open_minute = minute(o)?;
        cal.close_minute = minute(c)?;
    }
    if let Some(d) = &a.business_days {
        cal.days = if let Some((x, y)) = d.split_once('-') {
            (x.trim().parse::<u32>()?..=y.trim().parse::<u32>()?).collect()
        } else {
            d.split(',')
                .map(|x| x.trim().parse::<u32>())
                .collect::<Result<_, _>>()?
        };
    }
    if !a.holiday.is_empty() {
        cal.holidays.clear();
    }
    for h in &a.holiday {
        cal.holidays.push(
            chrono::NaiveDate::parse_from_str(h, "%Y-%m-%d")
                .context("--holiday takes YYYY-MM-DD")?,
        );
    }
    cfg.calendar = cal;
    Ok(cfg)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |x| format!("{x:.2}"))
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |x| format!("{:.1} %", x * 100.0))
}

fn print_table(report: &metrics::MetricsReport, cfg: &MetricsConfig, counts: ImportCounts) {
    outln!(
        "as of {} ({}); {} tickets, {} survey responses loaded",
        secdesk_core::json::instant_text(report.as_of),
        cfg.zone.name(),
        counts.tickets,
        counts.surveys
    );
    let rows = |m: &MetricSet| -> Vec<(&'static str, String)> {
        vec![
            ("tickets", m.tickets.to_string()),
            (
                "first response median (min)",
                fmt(m.first_response_minutes.median),
            ),
            (
                "first response p90 (min)",
                fmt(m.first_response_minutes.p90),
            ),
            (
                "first response median, business (min)",
                fmt(m.first_response_business_minutes.median),
            ),
            (
                "awaiting first response",
                m.awaiting_first_response.to_string(),
            ),
            ("resolution median (h)", fmt(m.resolution_hours.median)),
            ("resolution p90 (h)", fmt(m.resolution_hours.p90)),
            (
                "SLA first-response breach rate",
                pct(m.sla_first_response_breach_rate),
            ),
            ("reopen rate", pct(m.reopen_rate)),
            ("follow-ups per ticket", fmt(m.follow_ups_per_ticket)),
            ("follow-ups per open day", fmt(m.follow_ups_per_open_day)),
            ("silent open share", pct(m.silent_open_share)),
            ("backlog", m.backlog.to_string()),
            ("CSAT rated", m.csat.rated.to_string()),
            ("CSAT satisfied share", pct(m.csat.satisfied_share)),
            ("CSAT mean (1–5)", fmt(m.csat.mean_rating_5)),
            ("NPS", fmt(m.nps)),
            ("blocked hours", fmt(m.blocked_hours)),
            ("excess wait hours", fmt(m.excess_wait_hours)),
            ("impact cost", fmt(m.impact_cost)),
        ]
    };
    outln!();
    outln!("OVERALL");
    for (k, v) in rows(&report.overall) {
        outln!("  {k:<40} {v:>14}");
    }
    outln!();
    outln!("LAST 8 WEEKS        tickets  FR med(min)  FR p90(min)  breach   res med(h)  reopen  silent  CSAT");
    for (w, m) in report.by_week.iter().rev().take(8).rev() {
        outln!(
            "  {:<16} {:>8} {:>12} {:>12} {:>7} {:>12} {:>7} {:>7} {:>7}",
            calendar::week_label(*w),
            m.tickets,
            fmt(m.first_response_minutes.median),
            fmt(m.first_response_minutes.p90),
            pct(m.sla_first_response_breach_rate),
            fmt(m.resolution_hours.median),
            pct(m.reopen_rate),
            pct(m.silent_open_share),
            pct(m.csat.satisfied_share)
        );
    }
    if let Some(rows) = report.by_dimension.get("priority") {
        outln!();
        outln!("BY PRIORITY         tickets  FR med(min)  breach   res med(h)  blocked h");
        for (k, m) in rows {
            outln!(
                "  {:<16} {:>8} {:>12} {:>7} {:>12} {:>10}",
                k,
                m.tickets,
                fmt(m.first_response_minutes.median),
                pct(m.sla_first_response_breach_rate),
                fmt(m.resolution_hours.median),
                fmt(m.blocked_hours)
            );
        }
    }
    outln!();
    outln!("CSAT BY FIRST-RESPONSE DELAY");
    for b in &report.csat_by_first_response_bucket {
        outln!(
            "  {:<8} rated {:>6}  satisfied {:>8}",
            b.bucket,
            b.rated,
            pct(b.satisfied_share)
        );
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// One benchmark run: generate, import (parse, map, store), load, metrics, charts.
fn bench(n: usize, dir: Option<PathBuf>) -> Result<()> {
    use std::time::Instant;
    let tmp;
    let dir = match dir {
        Some(d) => d,
        None => {
            tmp = std::env::temp_dir().join(format!("secdesk-bench-{}", std::process::id()));
            tmp.clone()
        }
    };
    std::fs::create_dir_all(&dir)?;
    let (tpath, spath) = (
        dir.join(format!("tickets-{n}.csv")),
        dir.join(format!("surveys-{n}.csv")),
    );
    if !tpath.exists() || !spath.exists() {
        let data = samples::generate(&samples::SampleSpec {
            tickets: n,
            seed: 11,
            end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            survey_share: 0.3,
        });
        samples::write_csv(&data, &tpath, &spath)?;
    }
    let db = dir.join(format!("bench-{n}.db"));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let mut store = Store::open(&db)?;
    let size_mb = std::fs::metadata(&tpath)?.len() as f64 / 1e6;
    let t0 = Instant::now();
    let o = import::import_ticket_file(
        &mut store,
        &tpath,
        &ImportOptions::default(),
        "bench",
        &mut |_, _| true,
    )?;
    let import_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    import::import_survey_file(
        &mut store,
        &spath,
        &SurveyOptions::default(),
        "bench",
        &mut |_, _| true,
    )?;
    let survey_s = t0.elapsed().as_secs_f64();
    // Loaded as the app and every command do: from a freshly opened database.
    drop(store);
    let store = Store::open(&db)?;
    let t0 = Instant::now();
    let ds = Dataset::load(&store)?;
    let load_s = t0.elapsed().as_secs_f64();
    let cfg = MetricsConfig::default();
    // The first computation also walks the business calendar for every ticket
    // (kept for later computations with the same calendar).
    let t0 = Instant::now();
    std::hint::black_box(metrics::compute(&ds, &cfg)?);
    let first_s = t0.elapsed().as_secs_f64();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        let report = metrics::compute(&ds, &cfg)?;
        std::hint::black_box(&report);
        runs.push(t0.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let report = metrics::compute(&ds, &cfg)?;
    let mut chart_ms = Vec::new();
    for c in chart::CHARTS {
        let plot = chart::plot_for(&report, &cfg, c.name, "bench")?;
        let t0 = Instant::now();
        let png = chart::render_plot(&plot, 1920, 1080, ChartFormat::Png)?;
        let png_ms = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        let svg = chart::render_plot(&plot, 1920, 1080, ChartFormat::Svg)?;
        let svg_ms = t0.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box((png, svg));
        chart_ms.push((c.name, png_ms, svg_ms));
    }
    outln!(
        "== {n} tickets ({size_mb:.0} MB CSV), {} survey rows",
        ds.survey_count()
    );
    outln!(
        "import tickets (parse, map, store): {import_s:.2} s ({} stored)",
        o.report.records
    );
    outln!("import surveys:                     {survey_s:.2} s");
    outln!("load stored data into polars:       {load_s:.2} s");
    outln!(
        "all metrics, first computation:     {:.0} ms",
        first_s * 1e3
    );
    outln!(
        "all metrics, recomputed (median of 3): {:.0} ms",
        runs[1] * 1e3
    );
    for (name, png, svg) in chart_ms {
        outln!("chart {name:<26} png {png:>6.1} ms   svg {svg:>6.1} ms");
    }
    if let Some(mb) = peak_rss_mb() {
        outln!("peak memory (VmHWM):                {mb:.0} MB");
    }
    Ok(())
}
