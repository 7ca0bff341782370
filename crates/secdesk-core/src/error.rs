//! The typed errors at the core's boundary, one enum per concern. Every error a
//! user can cause says which file, row, column and value to fix. Nothing here
//! formats for a particular front end.

use thiserror::Error;

/// Why a file could not be imported at all (row-level problems are
/// [`crate::ingest::RowReject`]s, not errors).
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {file}: {message}")]
    Io { file: String, message: String },
    /// A workbook that cannot be read.
    #[error("{file} is {what} that cannot be read: {message}")]
    Workbook {
        file: String,
        what: String,
        message: String,
    },
    /// The sheet asked for is not in the workbook.
    #[error("{file}: no sheet `{sheet}`{}", if .sheets.is_empty() { "; the file is not a workbook".to_string() } else { format!("; sheets: {}", .sheets.join(", ")) })]
    NoSuchSheet {
        file: String,
        sheet: String,
        sheets: Vec<String>,
    },
    /// The file holds no data.
    #[error("{file} is empty: no header and no rows")]
    Empty { file: String },
    /// The file is neither text nor a workbook (an image, an archive, a PDF…).
    #[error("{file} is not a text CSV file nor a workbook (.xlsx, .xls, .ods): binary content found; export it as CSV or Excel")]
    NotText { file: String },
    /// The CSV structure is broken beyond one row.
    #[error("{file}, row {row}: unreadable CSV: {message}")]
    Malformed {
        file: String,
        row: usize,
        message: String,
    },
    /// A required canonical field has no column.
    #[error("{file}: no column for the required field `{wanted}`; headers found: {found}")]
    MissingColumn {
        file: String,
        wanted: String,
        found: String,
    },
    /// Survey responses offered as a ticket export.
    #[error("{file}: this looks like survey responses (column {evidence}, and nothing a ticket export has besides an id and a time), not a ticket export: import it as survey responses")]
    SurveysNotTickets { file: String, evidence: String },
    /// A ticket export offered as survey responses (it has no rating column).
    #[error("{file}: this looks like a ticket export (columns {evidence}), not survey responses: import it as a ticket export, or name its rating column")]
    TicketsNotSurveys { file: String, evidence: String },
    /// No column of a survey file asks for a rating (metadata such as
    /// `Status` or `Last page` never counts): the user picks one.
    #[error("{file}: no column asks for a rating or satisfaction; {}", if .candidates.is_empty() { "no column holds answers on a scale either".to_string() } else { format!("columns whose answers are on a scale: {}", .candidates.join(", ")) })]
    NoRatingColumn {
        file: String,
        candidates: Vec<String>,
    },
    /// A `--map field=Header` names a header the file does not have, or an unknown field.
    #[error("{file}: bad mapping `{mapping}`: {reason}")]
    BadMapping {
        file: String,
        mapping: String,
        reason: String,
    },
    /// The file has a header but no data rows.
    #[error("{file} has a header but no data rows")]
    NoRows { file: String },
    /// The database refused the import; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `--strict` and some rows could not be read: the whole file was refused.
    #[error("{file}: {count} rows would be rejected (first: row {row}, column `{column}`, value `{value}`: {reason}); nothing stored (strict)")]
    RowsRejected {
        file: String,
        count: usize,
        row: usize,
        column: String,
        value: String,
        reason: String,
    },
    /// The import was cancelled; nothing was stored.
    #[error("import cancelled; nothing was stored")]
    Cancelled,
}

/// Errors of the local database.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database file could not be created or opened.
    #[error("cannot open database {path}: {message}")]
    Open { path: String, message: String },
    /// The database was written by a newer secdesk.
    #[error("database schema version {found} is newer than this secdesk supports ({supported})")]
    TooNew { found: i64, supported: i64 },
    /// No import has that id.
    #[error("no import with id {0}")]
    NoSuchImport(i64),
    /// A stored value could not be read back.
    #[error("corrupt stored value in {table}.{column}: {value}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        value: String,
    },
}

/// Errors while computing metrics.
#[derive(Debug, Error)]
pub enum MetricsError {
    /// polars failed on a computation.
    #[error("metric computation failed: {0}")]
    Polars(#[from] polars::error::PolarsError),
    /// A bad option (week label, time zone, calendar…).
    #[error("invalid option {option}: {reason}")]
    InvalidOption { option: String, reason: String },
    /// Loading the data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Errors while drawing a chart.
#[derive(Debug, Error)]
pub enum ChartError {
    /// No chart has that name.
    #[error("unknown chart `{name}`; charts: {known}")]
    UnknownChart { name: String, known: String },
    /// The size is too small or too large.
    #[error("chart size {width}x{height} is out of range (200..=8192 each)")]
    BadSize { width: u32, height: u32 },
    /// The drawing backend failed.
    #[error("chart rendering failed: {0}")]
    Render(String),
    /// The metrics behind the chart failed.
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    /// The output file could not be written.
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// The output path does not end in a chart format.
    #[error("`{path}` must end in .png or .svg")]
    UnknownFormat { path: String },
}

/// A setting that cannot be used.
#[derive(Debug, Error)]
pub enum SettingsError {
    /// A value is out of range or not understood.
    #[error("setting {field} = `{value}`: {reason}")]
    BadValue {
        field: String,
        value: String,
        reason: String,
    },
    /// The settings could not be read or saved.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Errors while building or writing a report.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The metrics behind the report failed.
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    /// A chart of the report failed.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// No ticket has this assignee.
    #[error("no ticket is assigned to `{name}`; assignees: {known}")]
    UnknownAssignee { name: String, known: String },
    /// The report's format is not known from the output path.
    #[error("cannot tell the report format from `{path}`: use .pdf or .html")]
    UnknownFormat { path: String },
    /// A stored setting cannot be read.
    #[error("the saved setting {key} is not valid: {reason}")]
    BadSetting { key: String, reason: String },
    /// Reading settings failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The report file could not be written.
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// Turning the pages into PDF failed.
    #[error("PDF rendering failed: {0}")]
    Pdf(String),
}

/// Why a delivery (`secdesk deliver`) failed.
#[derive(Debug, Error)]
pub enum DeliverError {
    /// Building a report failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Nothing is loaded to report on.
    #[error("no data is loaded: import tickets first")]
    NoData,
    /// A file or folder could not be written.
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// A mail or server setting cannot be used.
    #[error("{field}: {reason}")]
    Mail { field: String, reason: String },
    /// A scheduler file could not be written or removed.
    #[error("{path}: {message}")]
    Schedule { path: String, message: String },
}

/// What the user can do about an [`ImportError`], for each front end to word
/// itself (the CLI as a flag, the window as a choice in Preview).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Choose the column that holds `field`.
    MapColumn { field: String },
    /// Import the file as the other kind.
    ImportAs { kind: FileKind },
}

/// The two kinds of file secdesk imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Tickets,
    Surveys,
}

impl ImportError {
    /// What the user can do about this error.
    pub fn hints(&self) -> Vec<Hint> {
        match self {
            ImportError::MissingColumn { wanted, .. } => vec![Hint::MapColumn {
                field: wanted.clone(),
            }],
            ImportError::NoRatingColumn { .. } => vec![Hint::MapColumn {
                field: "rating".into(),
            }],
            ImportError::SurveysNotTickets { .. } => vec![Hint::ImportAs {
                kind: FileKind::Surveys,
            }],
            ImportError::TicketsNotSurveys { .. } => vec![
                Hint::ImportAs {
                    kind: FileKind::Tickets,
                },
                Hint::MapColumn {
                    field: "rating".into(),
                },
            ],
            _ => Vec::new(),
        }
    }
}

/// An option a front end took as text (a flag or a form field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opt {
    AsOf,
    TimeZone,
    From,
    To,
    Week,
    /// The period as a whole (from and to together).
    Period,
    /// A filter on a dimension.
    Dimension(String),
    Sla,
    SilenceDays,
    HourlyCost,
    BusinessHours,
    BusinessDays,
    Holiday,
    Map,
    Scale,
    SourceTz,
    DateOrder,
    Encoding,
    Delimiter,
    Bucket,
    Priority,
    /// What series are grouped by: week, month or quarter.
    Group,
}

impl Opt {
    /// The option's name as the settings and the JSON spell it.
    pub fn name(&self) -> String {
        match self {
            Opt::AsOf => "as_of".into(),
            Opt::TimeZone => "tz".into(),
            Opt::From => "from".into(),
            Opt::To => "to".into(),
            Opt::Week => "week".into(),
            Opt::Period => "period".into(),
            Opt::Dimension(d) => d.clone(),
            Opt::Sla => "sla".into(),
            Opt::SilenceDays => "silence_days".into(),
            Opt::HourlyCost => "hourly_cost".into(),
            Opt::BusinessHours => "business_hours".into(),
            Opt::BusinessDays => "business_days".into(),
            Opt::Holiday => "holiday".into(),
            Opt::Map => "map".into(),
            Opt::Scale => "scale".into(),
            Opt::SourceTz => "source_tz".into(),
            Opt::DateOrder => "date_order".into(),
            Opt::Encoding => "encoding".into(),
            Opt::Delimiter => "delimiter".into(),
            Opt::Bucket => "bucket".into(),
            Opt::Priority => "priority".into(),
            Opt::Group => "group".into(),
        }
    }
}

/// An option value that cannot be used; `reason` says what would be.
#[derive(Debug, Clone, Error)]
#[error("{}{}: {reason}", .option.name(), if .value.is_empty() { String::new() } else { format!(" `{}`", .value) })]
pub struct OptionError {
    pub option: Opt,
    pub value: String,
    pub reason: String,
}
