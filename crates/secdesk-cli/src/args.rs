//! The command line as clap reads it, and how its options become the core's
//! [`MetricOptions`] and [`ReadOptions`] (parsed there, once for both front ends).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use secdesk_core::options::{MetricOptions, ReadOptions};

#[derive(Parser)]
#[command(
    name = "secdesk",
    version,
    about = "How well does the security team serve its customers? Import ticket and survey exports, get the numbers and charts.",
    after_help = "Exit codes: 0 success · 1 error (database, file, computation, bad option value) · 2 command line not understood · 3 import stored but some rows rejected (see --rejects) · 4 file refused, nothing stored · 5 deliver: no new data, nothing sent · 6 deliver: week already delivered · 7 deliver: sending failed, files kept · 141 output closed early (e.g. piped to head)."
)]
pub struct Cli {
    /// Database file (default: the platform data directory, or $SECDESK_DB).
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Read the stored data from the database only: neither read nor write
    /// the columnar snapshot beside it (the numbers are the same).
    #[arg(long, global = true)]
    pub no_snapshot: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
        #[command(flatten)]
        tables: TableArgs,
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
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Write the weekly report (PDF or self-contained HTML), or with one
    /// --assignee that person's stats beside the team median.
    Report {
        /// Output file: .pdf or .html.
        #[arg(long, required_unless_present_any = ["json", "csv", "xlsx"])]
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
        tables: TableArgs,
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
        tables: TableArgs,
        #[command(flatten)]
        opts: MetricArgs,
    },
    /// Write the weekly report of the last complete week (or --week) into a
    /// folder, one personal report per assignee with --per-assignee, and mail
    /// them through the team's relay when recipients are given (here or in
    /// the settings: delivery.*). Exit 5: no new data; 6: week already
    /// delivered; 7: sending failed (the files stay written).
    Deliver(DeliverArgs),
    /// Run `secdesk deliver` every week: a systemd user timer on Linux (the
    /// schtasks line and the launchd agent are printed for Windows and macOS).
    Schedule {
        #[command(subcommand)]
        what: ScheduleWhat,
    },
    /// Each ticket of the period against its SLA targets: the target, its
    /// clock (calendar or business hours), the time on it less the time
    /// waited on the requester, met or breached.
    Sla {
        /// Only tickets that breached a target.
        #[arg(long)]
        breached: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        tables: TableArgs,
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
        tables: TableArgs,
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

/// Where a command's tables go besides the screen.
#[derive(Args, Clone, Default)]
pub struct TableArgs {
    /// Write the table as CSV (a report's other tables go beside it, named
    /// after them); cells a spreadsheet would run as formulas are neutralised.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the tables as an Excel workbook, one sheet each, typed cells.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Replace files that exist (without it, an existing file stops the
    /// command before anything is written).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Clone, Default)]
pub struct DeliverArgs {
    /// The week (e.g. 2026-W47; default: the last complete week of the data).
    #[arg(long)]
    pub week: Option<String>,
    /// The folder the reports are written to (default: the setting delivery.out_dir).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// pdf, html, or both (pdf,html).
    #[arg(long, value_delimiter = ',', default_value = "pdf")]
    pub format: Vec<String>,
    /// Also one personal report per assignee, each naming only them.
    #[arg(long)]
    pub per_assignee: bool,
    /// Deliver nothing when the newest timestamp of the data is older than
    /// this (e.g. 8d, 36h).
    #[arg(long, default_value = "8d")]
    pub stale_after: String,
    /// Deliver even when the data is stale or the week was delivered.
    #[arg(long)]
    pub force: bool,
    /// Recipient of the weekly report (repeatable; default: delivery.mail_to).
    #[arg(long)]
    pub mail_to: Vec<String>,
    #[arg(long)]
    pub mail_from: Option<String>,
    /// A CSV of `assignee,email` for the personal reports (assignees written
    /// as addresses in the data need none).
    #[arg(long)]
    pub addresses: Option<PathBuf>,
    #[arg(long)]
    pub smtp_host: Option<String>,
    #[arg(long)]
    pub smtp_port: Option<u16>,
    /// starttls (default), tls, or none (only for a relay on this machine or
    /// at a private address).
    #[arg(long)]
    pub smtp_security: Option<String>,
    /// The relay's user; the password is read from SECDESK_SMTP_PASSWORD.
    #[arg(long)]
    pub smtp_user: Option<String>,
    /// Write the files, mail nothing (even with recipients in the settings).
    #[arg(long)]
    pub no_mail: bool,
    /// Keep requester names in mailed reports (they are pseudonymised by default when mailing).
    #[arg(long)]
    pub no_redact: bool,
    /// Pseudonymise requester names in the files also when nothing is mailed.
    #[arg(long)]
    pub redact: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ScheduleWhat {
    /// Install the weekly run: `secdesk schedule install --weekly mon 07:00 -- --per-assignee`
    /// (what follows `--` is given to `secdesk deliver`).
    Install {
        /// Day and time, e.g. `--weekly mon 07:00`.
        #[arg(long, num_args = 2, value_names = ["DAY", "HH:MM"], default_values = ["mon", "07:00"])]
        weekly: Vec<String>,
        /// Write the units without enabling them (systemctl --user).
        #[arg(long)]
        no_enable: bool,
        /// Print what would be installed on another system: linux, windows, macos.
        #[arg(long)]
        print: Option<String>,
        /// Options for `secdesk deliver`.
        #[arg(last = true)]
        deliver: Vec<String>,
    },
    /// Show the installed weekly run.
    Show,
    /// Remove the installed weekly run.
    Remove,
}

#[derive(Subcommand)]
pub enum ImportWhat {
    /// A ticket export (Zendesk, Jira, ServiceNow, Freshdesk, osTicket, GLPI, any CSV).
    Tickets {
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Write rejected rows (row, column, value, reason) to this CSV.
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Replace the --rejects file if it exists.
        #[arg(long)]
        force: bool,
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
        /// Replace the --rejects file if it exists.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Clone)]
pub struct ReadArgs {
    /// Map a canonical field to a header: --map created_at="Opened on" (repeatable).
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub maps: Vec<String>,
    /// Source name tickets are keyed by (default: the detected tool).
    #[arg(long)]
    pub source: Option<String>,
    /// Time zone of timestamps without offset (IANA name, default UTC).
    #[arg(long, default_value = "UTC")]
    pub source_tz: String,
    /// Force the day/month order of ambiguous dates.
    #[arg(long, value_enum)]
    pub date_order: Option<OrderArg>,
    /// Force the encoding: utf-8, utf-16le, utf-16be, windows-1252.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Force the delimiter: comma, semicolon, tab, pipe (or the character).
    #[arg(long)]
    pub delimiter: Option<String>,
    /// The sheet of a workbook (.xlsx, .xls, XML 2003) to read (default: the first with cells).
    #[arg(long)]
    pub sheet: Option<String>,
}

#[derive(Args, Clone)]
pub struct MoneyArgs {
    /// Currency label printed with costs (default: the saved setting, `$` unless changed).
    #[arg(long)]
    pub currency: Option<String>,
    /// Cost of a contact handled by a live agent (default: the seed's 2009 figure).
    #[arg(long, default_value_t = 7.50)]
    pub cost_live_agent: f64,
    /// Cost of a contact handled offshore.
    #[arg(long, default_value_t = 2.35)]
    pub cost_offshore: f64,
    /// Cost of an automated / self-service contact.
    #[arg(long, default_value_t = 0.32)]
    pub cost_automated: f64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OrderArg {
    DayFirst,
    MonthFirst,
}

#[derive(Args, Clone, Default)]
pub struct MetricArgs {
    /// Instant the report is taken (default: latest timestamp in the data).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Reporting time zone (IANA name; default: the saved setting, UTC unless changed).
    #[arg(long)]
    pub tz: Option<String>,
    /// Period start (date or timestamp, inclusive).
    #[arg(long)]
    pub from: Option<String>,
    /// Period end (date or timestamp, exclusive).
    #[arg(long)]
    pub to: Option<String>,
    /// One ISO week, e.g. 2026-W47 (sets --from/--to).
    #[arg(long)]
    pub week: Option<String>,
    #[arg(long)]
    pub priority: Vec<String>,
    #[arg(long)]
    pub category: Vec<String>,
    #[arg(long)]
    pub team: Vec<String>,
    #[arg(long)]
    pub assignee: Vec<String>,
    #[arg(long)]
    pub department: Vec<String>,
    #[arg(long)]
    pub channel: Vec<String>,
    /// First-response SLA targets in hours, e.g. --sla P1=1 --sla P2=4.
    #[arg(long, value_name = "P=HOURS")]
    pub sla: Vec<String>,
    /// Days without an update after which an open ticket is silent.
    #[arg(long)]
    pub silence_days: Option<f64>,
    /// Loaded cost of one blocked person-hour.
    #[arg(long)]
    pub hourly_cost: Option<f64>,
    /// Business hours, e.g. 09:00-17:00.
    #[arg(long)]
    pub business_hours: Option<String>,
    /// Business days as ISO numbers, e.g. 1-5 or 1,2,3,4,5.
    #[arg(long)]
    pub business_days: Option<String>,
    /// A closed date (YYYY-MM-DD), repeatable.
    #[arg(long)]
    pub holiday: Vec<String>,
    /// Series by week (default), month or quarter: the table of `metrics`
    /// and the x axis of `chart`.
    #[arg(long, value_name = "week|month|quarter")]
    pub group: Option<String>,
}

impl MetricArgs {
    /// The core's options of a computation (`--to` is exclusive, as written).
    pub fn options(&self) -> MetricOptions {
        let dimensions = [
            ("priority", &self.priority),
            ("category", &self.category),
            ("team", &self.team),
            ("assignee", &self.assignee),
            ("department", &self.department),
            ("channel", &self.channel),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect::<BTreeMap<_, _>>();
        MetricOptions {
            as_of: self.as_of.clone(),
            tz: self.tz.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            to_includes_day: false,
            week: self.week.clone(),
            dimensions,
            sla: self.sla.clone(),
            silence_days: self.silence_days,
            hourly_cost: self.hourly_cost,
            business_hours: self.business_hours.clone(),
            business_days: self.business_days.clone(),
            holidays: self.holiday.clone(),
            group: self.group.clone(),
        }
    }
}

impl ReadArgs {
    /// The core's read options; `--map` values are checked there.
    pub fn options(&self, strict: bool) -> Result<ReadOptions, secdesk_core::error::OptionError> {
        Ok(ReadOptions {
            overrides: self
                .maps
                .iter()
                .map(|m| secdesk_core::options::mapping(m))
                .collect::<Result<_, _>>()?,
            source: self.source.clone(),
            source_tz: Some(self.source_tz.clone()),
            date_order: self.date_order.map(|o| {
                match o {
                    OrderArg::DayFirst => "day-first",
                    OrderArg::MonthFirst => "month-first",
                }
                .to_string()
            }),
            encoding: self.encoding.clone(),
            delimiter: self.delimiter.clone(),
            sheet: self.sheet.clone(),
            strict,
        })
    }
}
