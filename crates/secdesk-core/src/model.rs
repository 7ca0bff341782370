//! The canonical records of docs/metrics.md: tickets, ticket events and
//! survey responses, as every importer produces them and the store keeps them.
//! Owns the closed vocabularies (status, priority, event kind, survey scale).
//! Must not know about files, SQL or polars.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC. Every instant in the core is one.
pub type Instant = i64;

pub const MS_PER_MINUTE: i64 = 60_000;
pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 86_400_000;

/// Canonical ticket status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Pending,
    Resolved,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Pending => "pending",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    pub fn parse_canonical(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "pending" => Some(Status::Pending),
            "resolved" => Some(Status::Resolved),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }

    /// Resolved or closed.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Resolved | Status::Closed)
    }
}

/// Canonical priority, P1 (most urgent) to P4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }

    pub fn parse_canonical(s: &str) -> Option<Priority> {
        match s {
            "P1" => Some(Priority::P1),
            "P2" => Some(Priority::P2),
            "P3" => Some(Priority::P3),
            "P4" => Some(Priority::P4),
            _ => None,
        }
    }
}

/// What happened to a ticket at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A public, requester-facing update by the desk.
    Reply,
    /// An internal note.
    Note,
    /// A status change.
    Status,
    /// The ticket was reopened.
    Reopen,
    /// The ticket was (re)assigned.
    Assign,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Reply => "reply",
            EventKind::Note => "note",
            EventKind::Status => "status",
            EventKind::Reopen => "reopen",
            EventKind::Assign => "assign",
        }
    }

    pub fn parse_canonical(s: &str) -> Option<EventKind> {
        match s {
            "reply" => Some(EventKind::Reply),
            "note" => Some(EventKind::Note),
            "status" => Some(EventKind::Status),
            "reopen" => Some(EventKind::Reopen),
            "assign" => Some(EventKind::Assign),
            _ => None,
        }
    }
}

/// One ticket, canonical.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub ticket_id: String,
    pub created_at: Instant,
    pub first_response_at: Option<Instant>,
    pub resolved_at: Option<Instant>,
    pub closed_at: Option<Instant>,
    pub last_update_at: Option<Instant>,
    pub status: Status,
    pub status_raw: String,
    pub priority: Option<Priority>,
    pub priority_raw: Option<String>,
    pub category: Option<String>,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub department: Option<String>,
    pub channel: Option<String>,
    pub reopen_count: i64,
    pub follow_ups: Option<i64>,
    pub affected_users: i64,
    /// Hand-offs between groups or people, where the export says so.
    pub reassignment_count: Option<i64>,
    /// Resolved with a knowledge article, where the export says so.
    pub knowledge: Option<bool>,
    /// What the ticket's export can measure (docs/metrics.md, "No source, no number").
    pub measures: Measures,
    /// Total time the ticket waited on its requester or on hold, where the
    /// export gives it as a duration (ms); SLA resolution clocks on the
    /// calendar leave it out.
    #[serde(default)]
    pub paused_ms: Option<i64>,
}

/// Which metric inputs a ticket's export carries at all: a ticket whose
/// export has no first-response column (and no replies in its history) is not
/// "never answered", it is not measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measures {
    /// First response: a column (time, minutes, hours) or replies in events.
    pub first_response: bool,
    /// Reopens: a reopen count column or reopen events.
    pub reopens: bool,
    /// Last requester-facing update: a column or events.
    pub last_update: bool,
}

impl Measures {
    /// Everything measured (tickets written before measures were recorded).
    pub const ALL: Measures = Measures {
        first_response: true,
        reopens: true,
        last_update: true,
    };

    /// As stored: one bit per input.
    pub fn bits(self) -> i64 {
        i64::from(self.first_response)
            | i64::from(self.reopens) << 1
            | i64::from(self.last_update) << 2
    }

    pub fn from_bits(bits: i64) -> Measures {
        Measures {
            first_response: bits & 1 != 0,
            reopens: bits & 2 != 0,
            last_update: bits & 4 != 0,
        }
    }
}

/// A metric family of docs/metrics.md "No source, no number" (and `pause`:
/// when tickets waited on their requester, which SLA clocks leave out).
/// The ticket families first, `csat` (survey responses) last.
pub const FAMILIES: [&str; 7] = [
    "first_response",
    "resolution",
    "reopen",
    "follow_ups",
    "last_update",
    "pause",
    "csat",
];

/// What feeds one metric family in an import: the column or events, or
/// why nothing does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    /// One of [`FAMILIES`].
    pub family: String,
    /// The column (or `events`) it is read from.
    pub fed_by: Option<String>,
    /// Why nothing feeds it, and what will show no data.
    pub reason: Option<String>,
}

impl Feed {
    pub fn fed_by(family: &str, fed_by: impl Into<String>) -> Feed {
        Feed {
            family: family.to_string(),
            fed_by: Some(fed_by.into()),
            reason: None,
        }
    }

    pub fn missing(family: &str, reason: impl Into<String>) -> Feed {
        Feed {
            family: family.to_string(),
            fed_by: None,
            reason: Some(reason.into()),
        }
    }
}

impl Ticket {
    /// A ticket with only its required fields set.
    pub fn new(ticket_id: impl Into<String>, created_at: Instant, status: Status) -> Ticket {
        Ticket {
            ticket_id: ticket_id.into(),
            created_at,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            last_update_at: None,
            status,
            status_raw: status.as_str().to_string(),
            priority: None,
            priority_raw: None,
            category: None,
            team: None,
            assignee: None,
            requester: None,
            department: None,
            channel: None,
            reopen_count: 0,
            follow_ups: None,
            affected_users: 1,
            reassignment_count: None,
            knowledge: None,
            measures: Measures::ALL,
            paused_ms: None,
        }
    }
}

/// One event in a ticket's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketEvent {
    pub ticket_id: String,
    pub at: Instant,
    pub kind: EventKind,
    pub actor: Option<String>,
    /// For a status event: the status the ticket moved to (time in
    /// `pending` pauses SLA clocks).
    #[serde(default)]
    pub status: Option<Status>,
}

/// The scale a survey rating was given on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SurveyScale {
    /// good = 1, bad = 0 in `rating`.
    GoodBad,
    /// Any numeric range, e.g. 1–5, 1–7, 0–10.
    Numeric { min: f64, max: f64 },
}

impl SurveyScale {
    pub fn label(&self) -> String {
        match self {
            SurveyScale::GoodBad => "good-bad".to_string(),
            SurveyScale::Numeric { min, max } => format!("{}-{}", fmt_num(*min), fmt_num(*max)),
        }
    }

    /// Parses the label written by [`SurveyScale::label`].
    pub fn from_label(s: &str) -> Option<SurveyScale> {
        if s == "good-bad" {
            return Some(SurveyScale::GoodBad);
        }
        let (a, b) = s.split_once('-')?;
        let min: f64 = a.parse().ok()?;
        let max: f64 = b.parse().ok()?;
        (max > min).then_some(SurveyScale::Numeric { min, max })
    }

    /// Whether a rating on this scale counts as satisfied (metrics.md `csat.satisfied_share`).
    pub fn is_satisfied(&self, rating: f64) -> bool {
        match *self {
            SurveyScale::GoodBad => rating >= 0.5,
            SurveyScale::Numeric { min, max } => {
                if min == 1.0 && max == 5.0 {
                    rating >= 4.0
                } else if min == 0.0 && max == 10.0 {
                    rating >= 8.0
                } else {
                    // Top 40 % of the range.
                    rating >= max - 0.4 * (max - min) - 1e-9
                }
            }
        }
    }

    /// The rating rescaled to 1–5 (good = 5, bad = 1).
    pub fn rescale_to_5(&self, rating: f64) -> f64 {
        match *self {
            SurveyScale::GoodBad => {
                if rating >= 0.5 {
                    5.0
                } else {
                    1.0
                }
            }
            SurveyScale::Numeric { min, max } => 1.0 + 4.0 * (rating - min) / (max - min),
        }
    }

    /// Whether a 0–10 rating, which also feeds NPS.
    pub fn is_nps(&self) -> bool {
        matches!(*self, SurveyScale::Numeric { min, max } if min == 0.0 && max == 10.0)
    }

    pub fn contains(&self, rating: f64) -> bool {
        match *self {
            SurveyScale::GoodBad => rating == 0.0 || rating == 1.0,
            SurveyScale::Numeric { min, max } => rating >= min && rating <= max,
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// One survey answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// A stable key of the response within its source (its id, or a digest of its content).
    pub response_key: String,
    pub ticket_id: Option<String>,
    pub submitted_at: Instant,
    pub rating: f64,
    pub scale: SurveyScale,
    pub comment: Option<String>,
    pub respondent: Option<String>,
}

/// Whether a channel name is a self-service or automated one (portal, form,
/// catalog, knowledge base, bot, monitoring): where customers help themselves
/// and no agent takes the contact.
pub fn is_self_service_channel(name: &str) -> bool {
    let n = name.to_lowercase();
    n == "web"
        || [
            "portal",
            "self",
            "form",
            "catalog",
            "knowledge",
            "help center",
            "helpcenter",
            "bot",
            "automat",
            "monitor",
            "alert",
        ]
        .iter()
        .any(|k| n.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfied_thresholds_follow_the_contract() {
        let five = SurveyScale::Numeric { min: 1.0, max: 5.0 };
        assert!(five.is_satisfied(4.0) && !five.is_satisfied(3.0));
        let ten = SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        };
        assert!(ten.is_satisfied(8.0) && !ten.is_satisfied(7.0));
        // 1–7: top 40 % of a range of 6 is >= 4.6, so 5, 6, 7.
        let seven = SurveyScale::Numeric { min: 1.0, max: 7.0 };
        assert!(seven.is_satisfied(5.0) && !seven.is_satisfied(4.0));
        assert!(SurveyScale::GoodBad.is_satisfied(1.0) && !SurveyScale::GoodBad.is_satisfied(0.0));
    }

    #[test]
    fn rescale_maps_ends_to_one_and_five() {
        let ten = SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        };
        assert_eq!(ten.rescale_to_5(0.0), 1.0);
        assert_eq!(ten.rescale_to_5(10.0), 5.0);
        assert_eq!(ten.rescale_to_5(5.0), 3.0);
    }

    #[test]
    fn scale_labels_round_trip() {
        for s in [
            SurveyScale::GoodBad,
            SurveyScale::Numeric {
                min: 0.0,
                max: 10.0,
            },
        ] {
            assert_eq!(SurveyScale::from_label(&s.label()), Some(s));
        }
    }
}
