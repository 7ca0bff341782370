//! The SLA policy of docs/metrics.md: a first-response and a resolution
//! target per priority, overrides per team or category (team + priority
//! beats category + priority beats priority), and the clock each target
//! runs on (calendar time, or the business calendar's open hours).

use serde::{Deserialize, Serialize};

use crate::model::MS_PER_HOUR;

/// What a target's time is counted on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// Every hour counts (24/7).
    #[default]
    Calendar,
    /// Only the business calendar's open hours count.
    Business,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Calendar => "calendar",
            Clock::Business => "business",
        }
    }

    pub fn parse(text: &str) -> Option<Clock> {
        match text.trim().to_ascii_lowercase().as_str() {
            "calendar" | "24/7" | "24x7" => Some(Clock::Calendar),
            "business" | "business hours" | "business_hours" => Some(Clock::Business),
            _ => None,
        }
    }
}

/// The two kinds of target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaKind {
    FirstResponse,
    Resolution,
}

impl SlaKind {
    pub const ALL: [SlaKind; 2] = [SlaKind::FirstResponse, SlaKind::Resolution];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaKind::FirstResponse => "first_response",
            SlaKind::Resolution => "resolution",
        }
    }

    pub fn parse(text: &str) -> Option<SlaKind> {
        match text {
            "first_response" => Some(SlaKind::FirstResponse),
            "resolution" => Some(SlaKind::Resolution),
            _ => None,
        }
    }
}

/// One target: how long, on which clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaTarget {
    pub ms: i64,
    pub clock: Clock,
}

impl SlaTarget {
    pub const fn calendar_hours(hours: i64) -> SlaTarget {
        SlaTarget {
            ms: hours * MS_PER_HOUR,
            clock: Clock::Calendar,
        }
    }

    pub fn hours(&self) -> f64 {
        self.ms as f64 / MS_PER_HOUR as f64
    }
}

/// What an override applies to besides the priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Team,
    Category,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Team => "team",
            Scope::Category => "category",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text {
            "team" => Some(Scope::Team),
            "category" => Some(Scope::Category),
            _ => None,
        }
    }
}

/// A target for the tickets of one team (or category) and priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaOverride {
    pub scope: Scope,
    /// The team or category, as the data writes it.
    pub value: String,
    /// 0 = P1 … 3 = P4.
    pub priority: usize,
    pub kind: SlaKind,
    pub target: SlaTarget,
}

/// Every target a ticket can be held to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// P1..P4 (a ticket without a priority is held to P3's).
    pub first_response: [SlaTarget; 4],
    pub resolution: [SlaTarget; 4],
    pub overrides: Vec<SlaOverride>,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            first_response: [1, 4, 24, 72].map(SlaTarget::calendar_hours),
            resolution: [8, 24, 72, 168].map(SlaTarget::calendar_hours),
            overrides: Vec::new(),
        }
    }
}

/// Position of a priority label in P1..P4; anything else is held to P3.
pub fn priority_index(priority: Option<&str>) -> usize {
    match priority {
        Some("P1") => 0,
        Some("P2") => 1,
        Some("P4") => 3,
        _ => 2,
    }
}

impl SlaPolicy {
    /// The per-priority targets of a kind.
    pub fn targets(&self, kind: SlaKind) -> &[SlaTarget; 4] {
        match kind {
            SlaKind::FirstResponse => &self.first_response,
            SlaKind::Resolution => &self.resolution,
        }
    }

    pub fn targets_mut(&mut self, kind: SlaKind) -> &mut [SlaTarget; 4] {
        match kind {
            SlaKind::FirstResponse => &mut self.first_response,
            SlaKind::Resolution => &mut self.resolution,
        }
    }

    /// The target a ticket is held to: team + priority, then category +
    /// priority, then priority.
    pub fn target_for(
        &self,
        kind: SlaKind,
        priority: Option<&str>,
        team: Option<&str>,
        category: Option<&str>,
    ) -> SlaTarget {
        let p = priority_index(priority);
        for (scope, value) in [(Scope::Team, team), (Scope::Category, category)] {
            let Some(value) = value else { continue };
            if let Some(o) = self
                .overrides
                .iter()
                .find(|o| o.scope == scope && o.kind == kind && o.priority == p && o.value == value)
            {
                return o.target;
            }
        }
        self.targets(kind)[p]
    }

    /// Whether any target runs on business hours.
    pub fn uses_business_hours(&self) -> bool {
        self.first_response
            .iter()
            .chain(&self.resolution)
            .chain(self.overrides.iter().map(|o| &o.target))
            .any(|t| t.clock == Clock::Business)
    }

    /// The clock every target of a kind and priority runs on, or `None`
    /// when overrides mix clocks.
    pub fn clock_of(&self, kind: SlaKind, priority: usize) -> Option<Clock> {
        let base = self.targets(kind)[priority].clock;
        self.overrides
            .iter()
            .filter(|o| o.kind == kind && o.priority == priority)
            .all(|o| o.target.clock == base)
            .then_some(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_target_applies() {
        let mut policy = SlaPolicy::default();
        let half = SlaTarget {
            ms: MS_PER_HOUR / 2,
            clock: Clock::Calendar,
        };
        let two = SlaTarget {
            ms: 2 * MS_PER_HOUR,
            clock: Clock::Business,
        };
        policy.overrides.push(SlaOverride {
            scope: Scope::Category,
            value: "Phishing".into(),
            priority: 0,
            kind: SlaKind::FirstResponse,
            target: two,
        });
        policy.overrides.push(SlaOverride {
            scope: Scope::Team,
            value: "SOC".into(),
            priority: 0,
            kind: SlaKind::FirstResponse,
            target: half,
        });
        let fr = SlaKind::FirstResponse;
        assert_eq!(
            policy.target_for(fr, Some("P1"), Some("SOC"), Some("Phishing")),
            half
        );
        assert_eq!(
            policy.target_for(fr, Some("P1"), Some("IAM"), Some("Phishing")),
            two
        );
        assert_eq!(
            policy.target_for(fr, Some("P1"), Some("IAM"), None),
            SlaTarget::calendar_hours(1)
        );
        // Another priority or kind: the default.
        assert_eq!(
            policy.target_for(fr, Some("P2"), Some("SOC"), None),
            SlaTarget::calendar_hours(4)
        );
        assert_eq!(
            policy.target_for(SlaKind::Resolution, None, Some("SOC"), None),
            SlaTarget::calendar_hours(72)
        );
        assert!(policy.uses_business_hours());
        assert_eq!(policy.clock_of(fr, 0), None);
        assert_eq!(policy.clock_of(fr, 1), Some(Clock::Calendar));
    }
}
