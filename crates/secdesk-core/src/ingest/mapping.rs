//! Which column feeds which canonical field: header synonyms (case-, accent- and
//! punctuation-insensitive), vendor presets recognised from the header alone,
//! and the user's `field=Header` overrides. Owns no parsing of cell values.

use serde::Serialize;

use super::timeparse::DateOrder;
use super::vocab::vocabulary;
use crate::error::ImportError;

/// A canonical field a ticket column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketField {
    TicketId,
    CreatedAt,
    FirstResponseAt,
    /// Minutes from creation to first reply (derives `first_response_at`).
    FirstResponseMinutes,
    /// Hours from creation to first reply (derives `first_response_at` when no timestamp).
    FirstResponseHours,
    /// Minutes from creation to resolution (derives `resolved_at` of a done
    /// ticket that has no resolution time).
    ResolutionMinutes,
    /// Hours from creation to resolution (as above).
    ResolutionHours,
    /// Seconds from creation to resolution (ServiceNow's `calendar_duration`).
    ResolutionSeconds,
    ResolvedAt,
    ClosedAt,
    LastUpdateAt,
    Status,
    Priority,
    Category,
    Team,
    Assignee,
    Requester,
    Department,
    Channel,
    ReopenCount,
    FollowUps,
    AffectedUsers,
    ReassignmentCount,
    Knowledge,
    /// A `date;author;body` comment cell (Jira); repeatable.
    Comment,
    /// Who made an update (event logs).
    UpdatedBy,
    /// The update counter of an event log row.
    ModCount,
    /// A satisfaction rating inside a ticket export (stored as a survey response).
    Satisfaction,
    /// When the status last changed category (Jira): the resolution time of
    /// a done ticket whose `Resolved` is empty.
    StatusChangedAt,
    /// Total minutes the ticket waited on its requester (Zendesk's agent wait
    /// time) or on hold: left out of SLA resolution clocks.
    PausedMinutes,
    /// The same in seconds (GLPI's waiting duration).
    PausedSeconds,
}

impl TicketField {
    pub const ALL: [TicketField; 31] = [
        TicketField::TicketId,
        TicketField::CreatedAt,
        TicketField::FirstResponseAt,
        TicketField::FirstResponseMinutes,
        TicketField::FirstResponseHours,
        TicketField::ResolutionMinutes,
        TicketField::ResolutionHours,
        TicketField::ResolutionSeconds,
        TicketField::ResolvedAt,
        TicketField::ClosedAt,
        TicketField::LastUpdateAt,
        TicketField::Status,
        TicketField::Priority,
        TicketField::Category,
        TicketField::Team,
        TicketField::Assignee,
        TicketField::Requester,
        TicketField::Department,
        TicketField::Channel,
        TicketField::ReopenCount,
        TicketField::FollowUps,
        TicketField::AffectedUsers,
        TicketField::ReassignmentCount,
        TicketField::Knowledge,
        TicketField::Comment,
        TicketField::UpdatedBy,
        TicketField::ModCount,
        TicketField::Satisfaction,
        TicketField::StatusChangedAt,
        TicketField::PausedMinutes,
        TicketField::PausedSeconds,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TicketField::TicketId => "ticket_id",
            TicketField::CreatedAt => "created_at",
            TicketField::FirstResponseAt => "first_response_at",
            TicketField::FirstResponseMinutes => "first_response_minutes",
            TicketField::FirstResponseHours => "first_response_hours",
            TicketField::ResolutionMinutes => "resolution_minutes",
            TicketField::ResolutionHours => "resolution_hours",
            TicketField::ResolutionSeconds => "resolution_seconds",
            TicketField::ResolvedAt => "resolved_at",
            TicketField::ClosedAt => "closed_at",
            TicketField::LastUpdateAt => "last_update_at",
            TicketField::Status => "status",
            TicketField::Priority => "priority",
            TicketField::Category => "category",
            TicketField::Team => "team",
            TicketField::Assignee => "assignee",
            TicketField::Requester => "requester",
            TicketField::Department => "department",
            TicketField::Channel => "channel",
            TicketField::ReopenCount => "reopen_count",
            TicketField::FollowUps => "follow_ups",
            TicketField::AffectedUsers => "affected_users",
            TicketField::ReassignmentCount => "reassignment_count",
            TicketField::Knowledge => "knowledge",
            TicketField::Comment => "comment",
            TicketField::UpdatedBy => "updated_by",
            TicketField::ModCount => "mod_count",
            TicketField::Satisfaction => "satisfaction",
            TicketField::StatusChangedAt => "status_changed_at",
            TicketField::PausedMinutes => "paused_minutes",
            TicketField::PausedSeconds => "paused_seconds",
        }
    }

    pub fn from_name(s: &str) -> Option<TicketField> {
        TicketField::ALL.into_iter().find(|f| f.name() == s)
    }

    pub fn is_timestamp(self) -> bool {
        matches!(
            self,
            TicketField::CreatedAt
                | TicketField::FirstResponseAt
                | TicketField::ResolvedAt
                | TicketField::ClosedAt
                | TicketField::LastUpdateAt
                | TicketField::StatusChangedAt
        )
    }

    /// Header synonyms, normalised (see [`normalize_header`]), most specific first.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            TicketField::TicketId => &[
                "ticketid",
                "ticketnumber",
                "ticketno",
                "issuekey",
                "key",
                "number",
                "incidentnumber",
                "incidentid",
                "requestid",
                "requestnumber",
                "caseid",
                "casenumber",
                "id",
                "ticket",
                "issueid",
                "ref",
                "reference",
            ],
            TicketField::CreatedAt => &[
                "createdat",
                "created",
                "createddate",
                "createdtime",
                "creationdate",
                "datecreated",
                "openedat",
                "opened",
                "opendate",
                "dateopened",
                "dateouverture",
                "datedouverture",
                "submittedat",
                "reportedat",
                "datecreation",
                "syscreatedat",
            ],
            TicketField::FirstResponseAt => &[
                "firstresponseat",
                "firstrepliedat",
                "firstreplyat",
                "firstresponsedate",
                "initialresponsetime",
                "firstrespondedat",
                "firstresponsetimestamp",
                "dateofirstresponse",
                "datedepremierereponse",
            ],
            TicketField::FirstResponseMinutes => &[
                "firstreplytimeinminutes",
                "firstresponsetimeinminutes",
                "firstresponseinmin",
                "firstresponseminutes",
                "firstreplyminutes",
                "timetofirstresponseminutes",
            ],
            TicketField::FirstResponseHours => &[
                "firstresponsetimeinhrs",
                "firstresponsetimehours",
                "firstresponsehours",
            ],
            TicketField::ResolutionMinutes => &[
                "fullresolutiontimeinminutes",
                "resolutiontimeinminutes",
                "resolutionminutes",
            ],
            TicketField::ResolutionHours => &["resolutiontimeinhrs", "resolutionhours"],
            TicketField::ResolutionSeconds => &["calendarduration", "resolutionseconds"],
            TicketField::PausedMinutes => &[
                "agentwaittimeinminutes",
                "pendingtimeinminutes",
                "waitingtimeinminutes",
                "onholdtimeinminutes",
                "pausedminutes",
            ],
            TicketField::PausedSeconds => &[
                "waitingduration",
                "totalwaitingduration",
                "slawaitingduration",
                "pendingtime",
                "pausedseconds",
            ],
            TicketField::ResolvedAt => &[
                "resolvedat",
                "resolved",
                "resolveddate",
                "resolvedtime",
                "resolutiondate",
                "solvedat",
                "solved",
                "datederesolution",
                "dateresolved",
                "dateresolution",
                "solvedate",
            ],
            TicketField::ClosedAt => &[
                "closedat",
                "closed",
                "closeddate",
                "closedtime",
                "closedate",
                "datedefermeture",
                "dateclosed",
                "datecloture",
                "datedecloture",
            ],
            TicketField::LastUpdateAt => &[
                "lastcontactagentat",
                "lastupdateat",
                "lastagentupdate",
                "lastpublicupdate",
                "updatedat",
                "updated",
                "lastupdated",
                "lastupdatetime",
                "lastmodified",
                "lastmodifiedtime",
                "dernieremodification",
                "lastactivity",
                "lastupdate",
                "sysupdatedat",
                "sysupdatedon",
                "modified",
            ],
            TicketField::Status => &[
                "status",
                "state",
                "incidentstate",
                "currentstatus",
                "ticketstatus",
                "statut",
                "etat",
            ],
            TicketField::Priority => &["priority", "priorite", "ticketpriority", "severity"],
            TicketField::Category => &[
                "category",
                "ticketcategory",
                "ticketcategorylist",
                "categorie",
                "helptopic",
                "issuetype",
                "requesttype",
                "tickettype",
                "type",
                "subcategory",
            ],
            TicketField::Team => &[
                "team",
                "group",
                "assignmentgroup",
                "assignedgroup",
                "teamassigned",
                "supportgroup",
                "queue",
                "attribueagroupedetechniciens",
                "groupedetechniciens",
                "groupe",
                "resolvergroup",
            ],
            TicketField::Assignee => &[
                "assignee",
                "assignedto",
                "agent",
                "agentassigned",
                "owner",
                "technician",
                "attribueatechnicien",
                "technicien",
                "handler",
                "analyst",
                "engineer",
            ],
            TicketField::Requester => &[
                "requester",
                "requestername",
                "caller",
                "callerid",
                "reporter",
                "from",
                "customer",
                "contact",
                "demandeur",
                "demandeurdemandeur",
                "requestedby",
                "openedfor",
                "enduser",
                "submitter",
                "requesteremail",
            ],
            TicketField::Department => &[
                "department",
                "requesterdepartment",
                "businessunit",
                "organization",
                "organisation",
                "division",
                "customerdepartment",
                "entite",
                "entity",
                "costcenter",
                "company",
                "requesterorganization",
            ],
            TicketField::Channel => &[
                "channel",
                "via",
                "source",
                "contacttype",
                "origin",
                "sourcedelademande",
                "requestsource",
                "medium",
            ],
            TicketField::ReopenCount => &[
                "reopens",
                "reopencount",
                "numberofreopens",
                "timesreopened",
                "reopened",
            ],
            TicketField::FollowUps => &[
                "followups",
                "followupcount",
                "replies",
                "agentreplies",
                "agentinteractions",
                "nombredesuivis",
                "suivisnombredesuivis",
                "publiccomments",
                "agentresponses",
                "numberofresponses",
            ],
            TicketField::AffectedUsers => &[
                "affectedusers",
                "usersaffected",
                "impactedusers",
                "numberofaffectedusers",
                "affectedpeople",
                "peopleblocked",
            ],
            TicketField::ReassignmentCount => &[
                "reassignmentcount",
                "reassignments",
                "groupstations",
                "handoffs",
            ],
            TicketField::Knowledge => &[
                "knowledge",
                "kbarticle",
                "knowledgearticle",
                "resolvedwithknowledge",
            ],
            TicketField::Comment => &["comment", "comments"],
            TicketField::UpdatedBy => &["sysupdatedby", "updatedby"],
            TicketField::ModCount => &["sysmodcount", "modcount", "updatecount"],
            TicketField::Satisfaction => &[
                "satisfactionscore",
                "satisfactionrating",
                "ticketsatisfactionrating",
                "surveyresults",
                "csatscore",
                "csat",
                "customfieldsatisfaction",
                "customfieldsatisfactionrating",
                "customfieldcustomersatisfaction",
            ],
            TicketField::StatusChangedAt => &["statuscategorychanged"],
        }
    }
}

/// Lower case, accents folded, everything but letters and digits removed;
/// Jira's translated `Custom field (…)` prefix written in English.
pub fn normalize_header(h: &str) -> String {
    let n: String = h
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .filter(char::is_ascii_alphanumeric)
        .collect();
    for prefix in [
        "campopersonalizado",
        "champpersonnalise",
        "benutzerdefiniertesfeld",
        "campopersonalizzato",
    ] {
        if let Some(rest) = n.strip_prefix(prefix) {
            return format!("customfield{rest}");
        }
    }
    n
}

/// A lower-case letter without its accent (`é` → `e`, `ß` → `s`).
pub(super) fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ÿ' | 'ý' => 'y',
        'ß' => 's',
        other => other,
    }
}

/// A vendor layout recognised from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TicketFormat {
    Zendesk,
    JiraServiceManagement,
    ServiceNowIncident,
    ServiceNowEventLog,
    Freshdesk,
    OsTicket,
    Glpi,
    Zammad,
    Generic,
}

impl TicketFormat {
    pub fn name(self) -> &'static str {
        match self {
            TicketFormat::Zendesk => "zendesk",
            TicketFormat::JiraServiceManagement => "jira-service-management",
            TicketFormat::ServiceNowIncident => "servicenow",
            TicketFormat::ServiceNowEventLog => "servicenow-event-log",
            TicketFormat::Freshdesk => "freshdesk",
            TicketFormat::OsTicket => "osticket",
            TicketFormat::Glpi => "glpi",
            TicketFormat::Zammad => "zammad",
            TicketFormat::Generic => "generic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TicketFormat::Zendesk => "Zendesk ticket export",
            TicketFormat::JiraServiceManagement => "Jira Service Management export (all fields)",
            TicketFormat::ServiceNowIncident => "ServiceNow incident export",
            TicketFormat::ServiceNowEventLog => {
                "ServiceNow incident event log (one row per update)"
            }
            TicketFormat::Freshdesk => "Freshdesk ticket export",
            TicketFormat::OsTicket => "osTicket ticket export",
            TicketFormat::Glpi => "GLPI ticket export",
            TicketFormat::Zammad => "Zammad ticket export",
            TicketFormat::Generic => "CSV (columns matched by name)",
        }
    }

    /// The source name tickets are keyed by when the user gives none.
    pub fn default_source(self) -> &'static str {
        match self {
            TicketFormat::ServiceNowEventLog | TicketFormat::ServiceNowIncident => "servicenow",
            other => other.name(),
        }
    }

    /// The date order to assume when a column's values do not tell.
    pub fn date_order_hint(self) -> Option<DateOrder> {
        match self {
            TicketFormat::ServiceNowIncident
            | TicketFormat::ServiceNowEventLog
            | TicketFormat::Glpi => Some(DateOrder::DayFirst),
            TicketFormat::JiraServiceManagement | TicketFormat::Zendesk => {
                Some(DateOrder::MonthFirst)
            }
            _ => None,
        }
    }

    /// Recognises a format from normalised headers.
    pub fn detect(normalized: &[String]) -> TicketFormat {
        let has = |h: &str| normalized.iter().any(|n| n == h);
        if has("issuekey") && has("summary") {
            TicketFormat::JiraServiceManagement
        } else if has("number") && has("incidentstate") && (has("sysmodcount") || has("openedat")) {
            if has("sysmodcount") && has("sysupdatedat") {
                TicketFormat::ServiceNowEventLog
            } else {
                TicketFormat::ServiceNowIncident
            }
        } else if has("number") && has("openedat") {
            TicketFormat::ServiceNowIncident
        } else if (has("id") && has("requester") && (has("solvedat") || has("via")))
            || has("firstreplytimeinminutes")
        {
            TicketFormat::Zendesk
        } else if has("ticketid") && has("createdtime") {
            TicketFormat::Freshdesk
        } else if has("helptopic") || (has("currentstatus") && has("agentassigned")) {
            TicketFormat::OsTicket
        } else if has("titre") && (has("statut") || has("datedouverture")) {
            TicketFormat::Glpi
        } else if has("firstresponseat") && has("articlecount") {
            TicketFormat::Zammad
        } else {
            match vocabulary().recognise(normalized) {
                Some(("glpi", _)) => TicketFormat::Glpi,
                Some(("jira", _)) => TicketFormat::JiraServiceManagement,
                Some(("zendesk", _)) => TicketFormat::Zendesk,
                Some(("freshdesk", _)) => TicketFormat::Freshdesk,
                Some(("servicenow", _)) => TicketFormat::ServiceNowIncident,
                Some(("zammad", _)) => TicketFormat::Zammad,
                _ => TicketFormat::Generic,
            }
        }
    }

    /// The name of this format's tables in the vocabulary.
    pub fn tool(self) -> Option<&'static str> {
        match self {
            TicketFormat::Zendesk => Some("zendesk"),
            TicketFormat::JiraServiceManagement => Some("jira"),
            TicketFormat::ServiceNowIncident | TicketFormat::ServiceNowEventLog => {
                Some("servicenow")
            }
            TicketFormat::Freshdesk => Some("freshdesk"),
            TicketFormat::Glpi => Some("glpi"),
            TicketFormat::Zammad => Some("zammad"),
            TicketFormat::OsTicket | TicketFormat::Generic => None,
        }
    }

    /// Preset assignments that differ from the generic synonyms (normalised header → field).
    fn overrides(self) -> &'static [(&'static str, Option<TicketField>)] {
        match self {
            TicketFormat::OsTicket => &[
                ("department", Some(TicketField::Team)),
                ("teamassigned", None),
                ("lastupdated", Some(TicketField::LastUpdateAt)),
                ("threadcount", None),
            ],
            TicketFormat::JiraServiceManagement => &[
                ("issueid", None),
                ("customfieldtimetofirstresponse", None),
                ("customfieldtimetoresolution", None),
            ],
            TicketFormat::ServiceNowEventLog | TicketFormat::ServiceNowIncident => &[
                ("openedat", Some(TicketField::CreatedAt)),
                ("syscreatedat", None),
                ("syscreatedon", None),
                ("sysupdatedat", Some(TicketField::LastUpdateAt)),
                ("subcategory", None),
                ("openedby", None),
                ("syscreatedby", None),
                ("resolvedby", None),
            ],
            TicketFormat::Zendesk => &[("requesteremail", None), ("tickettype", None)],
            TicketFormat::Freshdesk => &[
                ("type", Some(TicketField::Category)),
                ("lastupdatetime", Some(TicketField::LastUpdateAt)),
            ],
            _ => &[],
        }
    }
}

/// The override "field" that makes a column ignored: `ignore=Header`.
pub const IGNORE: &str = "ignore";

/// The column each field reads from (several for `comment`), and what was ignored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ColumnMapping {
    /// (field, column index, header) in column order.
    pub assigned: Vec<(TicketField, usize, String)>,
    /// Headers that feed nothing.
    pub ignored: Vec<String>,
}

impl ColumnMapping {
    pub fn column(&self, field: TicketField) -> Option<usize> {
        self.assigned
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, i, _)| *i)
    }

    pub fn columns(&self, field: TicketField) -> Vec<usize> {
        self.assigned
            .iter()
            .filter(|(f, _, _)| *f == field)
            .map(|(_, i, _)| *i)
            .collect()
    }

    /// `header → field` lines, for printing and storing.
    pub fn describe(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .assigned
            .iter()
            .map(|(f, _, h)| format!("{h} → {}", f.name()))
            .collect();
        lines.extend(self.ignored.iter().map(|h| format!("{h} → (ignored)")));
        lines
    }

    /// Maps headers for a format, then applies `field=Header` overrides
    /// (`ignore=Header` leaves a column out).
    pub fn for_headers(
        file: &str,
        headers: &[String],
        format: TicketFormat,
        overrides: &[(String, String)],
    ) -> Result<ColumnMapping, ImportError> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut slot: Vec<Option<TicketField>> = vec![None; headers.len()];
        let mut decided: Vec<bool> = vec![false; headers.len()];
        let column_of = |field_name: &str, header: &str| -> Result<usize, ImportError> {
            headers
                .iter()
                .position(|h| h == header)
                .or_else(|| {
                    normalized
                        .iter()
                        .position(|n| *n == normalize_header(header))
                })
                .ok_or_else(|| ImportError::BadMapping {
                    file: file.to_string(),
                    mapping: format!("{field_name}={header}"),
                    reason: format!("no such header; headers: {}", headers.join(", ")),
                })
        };
        for (field_name, header) in overrides {
            if field_name == IGNORE {
                let idx = column_of(field_name, header)?;
                slot[idx] = None;
                decided[idx] = true;
                continue;
            }
            let field =
                TicketField::from_name(field_name).ok_or_else(|| ImportError::BadMapping {
                    file: file.to_string(),
                    mapping: format!("{field_name}={header}"),
                    reason: format!(
                        "unknown field; fields: {}",
                        TicketField::ALL.map(TicketField::name).join(", ")
                    ),
                })?;
            let idx = column_of(field_name, header)?;
            for s in slot.iter_mut() {
                if *s == Some(field) && field != TicketField::Comment {
                    *s = None;
                }
            }
            slot[idx] = Some(field);
            decided[idx] = true;
        }
        for (norm, field) in format.overrides() {
            if let Some(idx) = normalized.iter().position(|n| n == norm) {
                if decided[idx] {
                    continue;
                }
                if let Some(f) = field {
                    if slot.contains(&Some(*f)) {
                        continue;
                    }
                }
                slot[idx] = *field;
                decided[idx] = true;
            }
        }
        // The tools' own words, in every UI language (the format's tables first).
        let vocab = vocabulary();
        for i in 0..headers.len() {
            if decided[i] {
                continue;
            }
            if let Some(meaning) = vocab.header(format.tool(), &normalized[i]) {
                let repeatable = meaning == Some(TicketField::Comment);
                if meaning.is_some() && !repeatable && slot.contains(&meaning) {
                    continue;
                }
                if repeatable && format != TicketFormat::JiraServiceManagement {
                    continue;
                }
                slot[i] = meaning;
                decided[i] = true;
            }
        }
        for field in TicketField::ALL {
            let repeatable = field == TicketField::Comment;
            if !repeatable && slot.contains(&Some(field)) {
                continue;
            }
            if repeatable
                && format != TicketFormat::JiraServiceManagement
                && !slot.contains(&Some(field))
            {
                // Only Jira writes `date;author;body` comment cells.
                continue;
            }
            for syn in field.synonyms() {
                let hits: Vec<usize> = (0..headers.len())
                    .filter(|&i| !decided[i] && normalized[i] == *syn)
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                for &i in if repeatable { &hits[..] } else { &hits[..1] } {
                    slot[i] = Some(field);
                    decided[i] = true;
                }
                break;
            }
        }
        let mut assigned = Vec::new();
        let mut ignored = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            match slot[i] {
                Some(f) => assigned.push((f, i, h.clone())),
                None => ignored.push(h.clone()),
            }
        }
        let mapping = ColumnMapping { assigned, ignored };
        for required in [TicketField::TicketId, TicketField::CreatedAt] {
            if mapping.column(required).is_none() {
                return Err(ImportError::MissingColumn {
                    file: file.to_string(),
                    wanted: required.name().to_string(),
                    found: headers.join(", "),
                });
            }
        }
        Ok(mapping)
    }
}

#[cfg(test)]
#[path = "mapping_tests.rs"]
mod tests;
