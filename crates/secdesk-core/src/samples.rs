//! A realistic, deterministic security-desk data set: a year of tickets across
//! phishing, access requests, malware, vulnerabilities, policy exceptions and
//! account lockouts, with surveys for about 30 % of resolved tickets. It feeds
//! `data-samples/` and the benchmarks. Same spec, same seed → same bytes.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Timelike};

use crate::calendar::instant_text;
use crate::error::ImportError;
use crate::model::{Instant, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleSpec {
    pub tickets: usize,
    pub seed: u64,
    /// Last day of the data; the data covers the 364 days before it.
    pub end: NaiveDate,
    /// Share of resolved tickets that get a survey response.
    pub survey_share: f64,
}

/// One generated ticket (text fields as they go to CSV).
#[derive(Debug, Clone)]
pub struct SampleTicket {
    pub id: String,
    pub created: Instant,
    pub first_response: Option<Instant>,
    pub resolved: Option<Instant>,
    pub closed: Option<Instant>,
    pub last_update: Option<Instant>,
    pub status: &'static str,
    pub priority: &'static str,
    pub category: &'static str,
    pub team: &'static str,
    pub assignee: &'static str,
    pub requester: String,
    pub requester_email: String,
    pub department: &'static str,
    pub channel: &'static str,
    pub reopen_count: u32,
    pub follow_ups: u32,
    pub affected_users: u32,
}

#[derive(Debug, Clone)]
pub struct SampleSurvey {
    pub id: String,
    pub ticket_id: String,
    pub submitted: Instant,
    pub rating: u32,
    pub comment: &'static str,
    pub respondent: String,
}

#[derive(Debug, Clone, Default)]
pub struct SampleData {
    pub tickets: Vec<SampleTicket>,
    pub surveys: Vec<SampleSurvey>,
}

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
    /// Log-normal with the given median (ms) and spread.
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
    fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

struct Category {
    name: &'static str,
    team: &'static str,
    weight: f64,
    /// Priority weights P1..P4.
    priorities: [f64; 4],
    /// Median resolution in hours.
    resolution_h: f64,
}

const CATEGORIES: [Category; 6] = [
    Category {
        name: "Phishing report",
        team: "SOC",
        weight: 30.0,
        priorities: [0.05, 0.25, 0.55, 0.15],
        resolution_h: 6.0,
    },
    Category {
        name: "Access request",
        team: "IAM",
        weight: 26.0,
        priorities: [0.0, 0.15, 0.55, 0.30],
        resolution_h: 20.0,
    },
    Category {
        name: "Malware",
        team: "SOC",
        weight: 9.0,
        priorities: [0.35, 0.45, 0.18, 0.02],
        resolution_h: 10.0,
    },
    Category {
        name: "Vulnerability",
        team: "AppSec",
        weight: 12.0,
        priorities: [0.08, 0.30, 0.42, 0.20],
        resolution_h: 90.0,
    },
    Category {
        name: "Policy exception",
        team: "GRC",
        weight: 8.0,
        priorities: [0.0, 0.05, 0.45, 0.50],
        resolution_h: 120.0,
    },
    Category {
        name: "Account lockout",
        team: "IAM",
        weight: 15.0,
        priorities: [0.10, 0.50, 0.35, 0.05],
        resolution_h: 2.0,
    },
];

const ASSIGNEES: [(&str, &[&str]); 4] = [
    (
        "SOC",
        &[
            "Amira Haddad",
            "Jonas Berg",
            "Priya Nair",
            "Tom Okafor",
            "Lena Fischer",
        ],
    ),
    (
        "IAM",
        &["Carlos Mendes", "Sofia Rossi", "Daniel Kim", "Emma Laurent"],
    ),
    ("AppSec", &["Noah Schmidt", "Yuki Tanaka", "Grace Mwangi"]),
    ("GRC", &["Olivia Brown", "Mateo García"]),
];

const DEPARTMENTS: [(&str, f64); 9] = [
    ("Finance", 12.0),
    ("Sales", 16.0),
    ("Engineering", 22.0),
    ("HR", 7.0),
    ("Legal", 4.0),
    ("Marketing", 9.0),
    ("Operations", 14.0),
    ("Customer Support", 11.0),
    ("Executive Office", 2.0),
];

const CHANNELS: [(&str, f64); 5] = [
    ("email", 38.0),
    ("portal", 30.0),
    ("phone", 12.0),
    ("chat", 12.0),
    ("self-service", 8.0),
];

const FIRST_NAMES: [&str; 20] = [
    "Alex", "Maria", "Sam", "Fatima", "John", "Chen", "Laura", "Ibrahim", "Sara", "Peter", "Aisha",
    "Lucas", "Nina", "Omar", "Eva", "Ravi", "Julia", "Ken", "Marta", "Hugo",
];
const LAST_NAMES: [&str; 20] = [
    "Smith", "Garcia", "Müller", "Khan", "Johnson", "Wang", "Martin", "Ali", "Silva", "Novak",
    "Dubois", "Rossi", "Jensen", "Costa", "Nowak", "Patel", "Meyer", "Sato", "López", "Andersen",
];

const COMMENTS_GOOD: [&str; 4] = [
    "Quick and friendly, thanks!",
    "Explained what happened and what to do next.",
    "Got me back to work fast.",
    "",
];
const COMMENTS_BAD: [&str; 4] = [
    "Waited days without any update.",
    "Nobody told me the status; I had to chase.",
    "Felt like a road-block, not help.",
    "",
];

/// Generates a data set.
pub fn generate(spec: &SampleSpec) -> SampleData {
    let mut rng = Rng(spec.seed ^ 0x5EC_DE5C);
    let end = spec
        .end
        .and_hms_opt(18, 0, 0)
        .map(|d| d.and_utc().timestamp_millis())
        .unwrap_or(0);
    let start = end - 364 * MS_PER_DAY;
    let population = 1200usize.max(spec.tickets / 4);
    let mut data = SampleData {
        tickets: Vec::with_capacity(spec.tickets),
        surveys: Vec::new(),
    };
    let cat_weights: Vec<(usize, f64)> = CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| (i, c.weight))
        .collect();
    let mut created_times: Vec<Instant> = (0..spec.tickets)
        .map(|_| {
            // Working hours on weekdays mostly; some at night and at weekends.
            loop {
                let t = start + (rng.unit() * (end - start) as f64) as i64;
                let dt = chrono::DateTime::from_timestamp_millis(t).unwrap_or_default();
                let weekend = dt.weekday().number_from_monday() >= 6;
                let office = (8..18).contains(&dt.hour());
                let keep = match (weekend, office) {
                    (false, true) => 1.0,
                    (false, false) => 0.12,
                    (true, _) => 0.06,
                };
                if rng.unit() < keep {
                    break t - t.rem_euclid(MS_PER_MINUTE);
                }
            }
        })
        .collect();
    created_times.sort_unstable();
    for (i, created) in created_times.into_iter().enumerate() {
        let cat = &CATEGORIES[rng.weighted(&cat_weights)];
        let pri_idx = rng.weighted(&[
            (0usize, cat.priorities[0]),
            (1, cat.priorities[1]),
            (2, cat.priorities[2]),
            (3, cat.priorities[3]),
        ]);
        let priority = ["P1", "P2", "P3", "P4"][pri_idx];
        let team = cat.team;
        let people = ASSIGNEES
            .iter()
            .find(|(t, _)| *t == team)
            .map(|(_, p)| *p)
            .unwrap_or(&["Unassigned"]);
        let assignee = people[rng.below(people.len())];
        let who = rng.below(population);
        let first = FIRST_NAMES[who % FIRST_NAMES.len()];
        let last = LAST_NAMES[(who / FIRST_NAMES.len()) % LAST_NAMES.len()];
        let requester = format!("{first} {last} {}", who / 400 + 1);
        let requester_email = format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase().replace(['ü', 'ó', 'í'], "u"),
            who / 400 + 1
        );
        let department = rng.weighted(&DEPARTMENTS);
        let channel = rng.weighted(&CHANNELS);
        // First response: faster for urgent work; slower in busy (Q4) weeks and for GRC.
        let base_min = [25.0, 110.0, 420.0, 1500.0][pri_idx];
        let load = 1.0 + 0.35 * ((created - start) as f64 / (end - start) as f64);
        let team_factor = match team {
            "GRC" => 1.8,
            "AppSec" => 1.3,
            _ => 1.0,
        };
        let fr_delay = (rng.lognormal(base_min * load * team_factor, 0.9).round() as i64).max(1)
            * MS_PER_MINUTE;
        let res_delay = ((rng
            .lognormal(cat.resolution_h * [0.5, 0.8, 1.0, 1.4][pri_idx] * 60.0, 0.8)
            .round() as i64)
            * MS_PER_MINUTE)
            .max(fr_delay + 5 * MS_PER_MINUTE);
        let mut first_response = Some(created + fr_delay).filter(|t| *t <= end);
        let stalled = end - created < 45 * MS_PER_DAY && rng.unit() < 0.04;
        let resolved = Some(created + res_delay).filter(|t| *t <= end && !stalled);
        if resolved.is_some() && first_response.is_none() {
            first_response = resolved;
        }
        let reopen_count = if resolved.is_some()
            && rng.unit() < 0.05 + 0.04 * (fr_delay as f64 / (base_min * 60_000.0 * 3.0)).min(1.0)
        {
            1 + u32::from(rng.unit() < 0.2)
        } else {
            0
        };
        let open_days = ((resolved.unwrap_or(end) - created) as f64 / MS_PER_DAY as f64).max(0.0);
        let diligence = match assignee {
            "Jonas Berg" | "Olivia Brown" => 0.35,
            "Priya Nair" | "Emma Laurent" => 1.4,
            _ => 1.0,
        };
        let follow_ups = if first_response.is_none() {
            0
        } else {
            1 + (open_days * 0.6 * diligence * (0.5 + rng.unit())).round() as u32 + reopen_count
        };
        let last_update = if first_response.is_none() {
            None
        } else if let Some(r) = resolved {
            Some(r)
        } else {
            // Open ticket: last touched some time after the first response.
            let fr = first_response.unwrap_or(created);
            let gap = rng.lognormal(1.6 * MS_PER_DAY as f64 / diligence, 0.9) as i64;
            let t = (end - gap).max(fr);
            Some(t - t.rem_euclid(MS_PER_MINUTE))
        };
        let closed = resolved
            .filter(|r| end - r > 3 * MS_PER_DAY)
            .map(|r| r + 3 * MS_PER_DAY);
        let status = match (resolved, closed) {
            (Some(_), Some(_)) => "Closed",
            (Some(_), None) => "Resolved",
            (None, _) if first_response.is_some() && rng.unit() < 0.3 => "Pending",
            (None, _) if first_response.is_some() => "In progress",
            (None, _) => "New",
        };
        let affected_users = if cat.name == "Malware" && rng.unit() < 0.15 {
            5 + rng.below(40) as u32
        } else if rng.unit() < 0.08 {
            2 + rng.below(6) as u32
        } else {
            1
        };
        let id = format!("SEC-{:06}", i + 1);
        if let Some(r) = resolved {
            if rng.unit() < spec.survey_share {
                let fr_h = fr_delay as f64 / MS_PER_HOUR as f64;
                let p_good =
                    (0.95 - 0.08 * fr_h.max(0.0).ln_1p() - 0.25 * f64::from(reopen_count.min(1)))
                        .clamp(0.2, 0.97);
                let rating = if rng.unit() < p_good {
                    4 + u32::from(rng.unit() < 0.6)
                } else {
                    1 + rng.below(3) as u32
                };
                let submitted = r + (rng.unit() * 2880.0) as i64 * MS_PER_MINUTE;
                if submitted <= end {
                    let comment = if rating >= 4 {
                        COMMENTS_GOOD[rng.below(COMMENTS_GOOD.len())]
                    } else {
                        COMMENTS_BAD[rng.below(COMMENTS_BAD.len())]
                    };
                    data.surveys.push(SampleSurvey {
                        id: format!("R{:07}", data.surveys.len() + 1),
                        ticket_id: id.clone(),
                        submitted,
                        rating,
                        comment,
                        respondent: requester_email.clone(),
                    });
                }
            }
        }
        data.tickets.push(SampleTicket {
            id,
            created,
            first_response,
            resolved,
            closed,
            last_update,
            status,
            priority,
            category: cat.name,
            team,
            assignee,
            requester,
            requester_email,
            department,
            channel,
            reopen_count,
            follow_ups,
            affected_users,
        });
    }
    data.surveys.sort_by_key(|s| s.submitted);
    data
}

fn ts(v: Option<Instant>) -> String {
    v.map(instant_text).unwrap_or_default()
}

/// Writes tickets.csv and surveys.csv in the plain layout secdesk maps by header names.
pub fn write_csv(data: &SampleData, tickets: &Path, surveys: &Path) -> Result<(), ImportError> {
    let io = |p: &Path, e: String| ImportError::Io {
        file: p.display().to_string(),
        message: e,
    };
    let mut w = csv::Writer::from_path(tickets).map_err(|e| io(tickets, e.to_string()))?;
    w.write_record([
        "Ticket ID",
        "Created at",
        "First response at",
        "Resolved at",
        "Closed at",
        "Last update at",
        "Status",
        "Priority",
        "Category",
        "Team",
        "Assignee",
        "Requester",
        "Requester email",
        "Department",
        "Channel",
        "Reopen count",
        "Follow-ups",
        "Affected users",
    ])
    .map_err(|e| io(tickets, e.to_string()))?;
    for t in &data.tickets {
        w.write_record([
            t.id.clone(),
            instant_text(t.created),
            ts(t.first_response),
            ts(t.resolved),
            ts(t.closed),
            ts(t.last_update),
            t.status.to_string(),
            t.priority.to_string(),
            t.category.to_string(),
            t.team.to_string(),
            t.assignee.to_string(),
            t.requester.clone(),
            t.requester_email.clone(),
            t.department.to_string(),
            t.channel.to_string(),
            t.reopen_count.to_string(),
            t.follow_ups.to_string(),
            t.affected_users.to_string(),
        ])
        .map_err(|e| io(tickets, e.to_string()))?;
    }
    w.flush().map_err(|e| io(tickets, e.to_string()))?;
    let mut w = csv::Writer::from_path(surveys).map_err(|e| io(surveys, e.to_string()))?;
    w.write_record([
        "Response ID",
        "Ticket ID",
        "Submitted at",
        "Rating (1-5)",
        "Comment",
        "Respondent",
    ])
    .map_err(|e| io(surveys, e.to_string()))?;
    for s in &data.surveys {
        w.write_record([
            s.id.clone(),
            s.ticket_id.clone(),
            instant_text(s.submitted),
            s.rating.to_string(),
            s.comment.to_string(),
            s.respondent.clone(),
        ])
        .map_err(|e| io(surveys, e.to_string()))?;
    }
    w.flush().map_err(|e| io(surveys, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data() {
        let spec = SampleSpec {
            tickets: 300,
            seed: 3,
            end: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            survey_share: 0.3,
        };
        let a = generate(&spec);
        let b = generate(&spec);
        assert_eq!(a.tickets.len(), 300);
        assert_eq!(a.tickets[17].created, b.tickets[17].created);
        assert!(!a.surveys.is_empty());
        let resolved = a.tickets.iter().filter(|t| t.resolved.is_some()).count() as f64;
        let share = a.surveys.len() as f64 / resolved;
        assert!((0.2..0.4).contains(&share), "survey share {share}");
    }
}
