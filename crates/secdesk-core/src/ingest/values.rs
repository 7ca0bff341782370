//! Cell values as help-desk tools write them, read into canonical values:
//! ticket ids, priorities, statuses, booleans, counts and durations in any of
//! the usual notations. Pure functions of text; the raw text is kept by callers.

use super::timeparse::is_missing;
use crate::model::{Priority, Status};

/// A ticket id, trimmed, with thousands separators inside digits removed
/// (`5 732 943`, `5\u{a0}732\u{a0}943` and `5,732,943` are `5732943`).
pub fn ticket_id(text: &str) -> Option<String> {
    let t = text.trim();
    if is_missing(t) {
        return None;
    }
    // `#1234` (how agents and survey links write a ticket number) is `1234`.
    let t = match t.strip_prefix('#') {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => t,
    };
    let spaced_digits = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '\''));
    if spaced_digits && t.chars().any(|c| c.is_ascii_digit()) {
        let groups: Vec<&str> = t
            .split([' ', '\u{a0}', '\u{202f}', ',', '.', '\''])
            .collect();
        let grouped = groups.len() > 1
            && groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if grouped {
            return Some(groups.concat());
        }
    }
    Some(t.to_string())
}

/// A text cell, trimmed, with the `<br>` GLPI joins several values with
/// written as `, `.
pub fn text(cell: &str) -> String {
    let t = cell.trim();
    if !t.contains('<') {
        return t.to_string();
    }
    let mut out = t.to_string();
    for br in ["<br />", "<br/>", "<br>", "<BR>", "<BR/>", "<BR />"] {
        out = out.replace(br, ", ");
    }
    out
}

/// Maps a priority label of any tool to P1–P4.
pub fn priority(text: &str) -> Option<Priority> {
    let t = text.trim();
    if is_missing(t) {
        return None;
    }
    let lower = t.to_lowercase();
    // `1 - Critical`, `P2`, `2`, `Priority 3`, `(4) Basse`.
    let digits: String = lower
        .trim_start_matches("priority")
        .trim_start_matches("priorité")
        .trim_start_matches(['p', '(', ' '])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if !digits.is_empty() {
        return match digits.parse::<u32>().ok()? {
            0 | 1 => Some(Priority::P1),
            2 => Some(Priority::P2),
            3 => Some(Priority::P3),
            4 | 5 => Some(Priority::P4),
            // GLPI's 6 is "Majeure".
            6 => Some(Priority::P1),
            _ => None,
        };
    }
    let words = lower.replace(['-', '_'], " ");
    let has = |w: &str| words.split_whitespace().any(|x| x == w) || words == w;
    if has("urgent")
        || has("critical")
        || has("critique")
        || has("highest")
        || has("blocker")
        || has("majeure")
        || has("emergency")
        || words.contains("très haute")
        || words.contains("tres haute")
        || words.contains("very high")
    {
        Some(Priority::P1)
    } else if has("high")
        || has("haute")
        || has("élevée")
        || has("elevee")
        || has("major")
        || has("important")
    {
        Some(Priority::P2)
    } else if has("medium") || has("normal") || has("moderate") || has("moyenne") || has("standard")
    {
        Some(Priority::P3)
    } else if has("low")
        || has("lowest")
        || has("minor")
        || has("trivial")
        || has("planning")
        || has("basse")
        || has("faible")
        || words.contains("very low")
    {
        Some(Priority::P4)
    } else {
        None
    }
}

/// Maps a status label of any tool to the canonical status.
pub fn status(text: &str) -> Option<Status> {
    let t = text.trim().to_lowercase();
    if is_missing(&t) {
        return None;
    }
    // Strip a leading number such as ServiceNow's `6 - Resolved` or GLPI codes.
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '-')
        .trim();
    let has = |w: &str| t.contains(w);
    if has("reopen") || has("réouvert") || has("rouvert") {
        Some(Status::Open)
    } else if has("closed")
        || has("clos")
        || has("cancel")
        || has("annul")
        || has("archiv")
        || has("rejected")
        || has("declined")
        || has("won't")
    {
        Some(Status::Closed)
    } else if has("resolved")
        || has("solved")
        || has("résolu")
        || has("resolu")
        || t == "done"
        || has("fixed")
        || has("completed")
        || has("complete")
        || has("terminé")
        || has("answered")
    {
        Some(Status::Resolved)
    } else if has("pending")
        || has("hold")
        || has("wait")
        || has("attente")
        || has("suspend")
        || has("await")
        || has("deferred")
    {
        Some(Status::Pending)
    } else if has("new")
        || has("open")
        || has("progress")
        || has("active")
        || has("assign")
        || has("nouveau")
        || has("cours")
        || has("to do")
        || has("todo")
        || has("triage")
        || has("escalat")
        || has("work")
        || has("ouvert")
        || has("backlog")
        || has("investigat")
        || has("planifi")
        || has("attribu")
        || has("submitted")
        || has("received")
    {
        Some(Status::Open)
    } else {
        None
    }
}

/// `TRUE`/`true`/`1`/`yes`/`oui`/`y`/`x` and their negatives.
pub fn boolean(text: &str) -> Option<bool> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "true" | "1" | "yes" | "y" | "oui" | "o" | "x" | "vrai" | "ja" | "sí" | "si" => Some(true),
        "false" | "0" | "no" | "n" | "non" | "faux" | "nein" => Some(false),
        _ => None,
    }
}

/// A non-negative whole count, allowing thousands separators and `3.0`.
pub fn count(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.parse().ok());
    }
    if is_missing(t) {
        return Ok(None);
    }
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '\''))
        .collect();
    let v: f64 = cleaned
        .parse()
        .map_err(|_| "not a whole number".to_string())?;
    if v < 0.0 || v.fract() != 0.0 || !v.is_finite() {
        return Err("not a whole number ≥ 0".to_string());
    }
    Ok(Some(v as i64))
}

/// A number as the tools write it, with `.` as the decimal point:
/// `1,500.25` and `1,500` (thousands) → `1500.25`, `1500`; `1,5` (a decimal
/// comma) → `1.5`.
fn plain_number(text: &str) -> String {
    let t = text.trim();
    if t.contains(',') && t.contains('.') {
        return t.replace(',', "");
    }
    match t.split_once(',') {
        Some((int, frac)) if frac.len() == 3 && !frac.contains(',') && !int.is_empty() => {
            format!("{int}{frac}")
        }
        Some(_) if t.matches(',').count() > 1 => t.replace(',', ""),
        _ => t.replace(',', "."),
    }
}

/// The unit a bare number in a duration column is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Seconds,
    Minutes,
    Hours,
}

/// A duration cell a tool writes when there is no duration: `0:00:00`,
/// `00:00`, `-0:00` (Freshdesk's first response of a ticket never answered).
pub fn is_placeholder_duration(text: &str) -> bool {
    let t = text.trim().trim_start_matches('-');
    t.contains(':') && t.chars().all(|c| c == '0' || c == ':')
}

/// A duration in minutes from `90`, `1.5` (with a unit), `1:30`, `01:30:00`,
/// `-0:45` (negative, e.g. a breached SLA), `3 Days 12 Hours`, `2h 30m`.
pub fn duration_minutes(text: &str, bare_unit: DurationUnit) -> Result<Option<f64>, String> {
    let t = text.trim();
    if is_missing(t) {
        return Ok(None);
    }
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => (-1.0, rest.trim()),
        None => (1.0, t.strip_prefix('+').unwrap_or(t)),
    };
    let bad =
        || format!("not a duration (expected minutes, h:mm, hh:mm:ss or `3 days 2 hours`): {t}");
    if body.contains(':') {
        let parts: Vec<&str> = body.split(':').collect();
        let nums: Result<Vec<f64>, _> = parts.iter().map(|p| p.trim().parse::<f64>()).collect();
        let nums = nums.map_err(|_| bad())?;
        let minutes = match nums.as_slice() {
            [h, m] => h * 60.0 + m,
            [h, m, s] => h * 60.0 + m + s / 60.0,
            _ => return Err(bad()),
        };
        return Ok(Some(sign * minutes));
    }
    if let Ok(v) = plain_number(body).parse::<f64>() {
        let minutes = match bare_unit {
            DurationUnit::Seconds => v / 60.0,
            DurationUnit::Minutes => v,
            DurationUnit::Hours => v * 60.0,
        };
        return Ok(Some(sign * minutes));
    }
    // Word form: `3 Days 12 Hours`, `2h 30m`, `45 min`.
    let lower = body.to_lowercase();
    let mut total = 0.0;
    let mut number = String::new();
    let mut found = false;
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        if c.is_alphabetic() {
            let mut word = String::from(c);
            while let Some(&n) = chars.peek() {
                if n.is_alphabetic() {
                    word.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            let v: f64 = number.parse().map_err(|_| bad())?;
            number.clear();
            let factor = if word.starts_with('w') {
                7.0 * 1440.0
            } else if word.starts_with('d') || word.starts_with('j') {
                1440.0
            } else if word.starts_with('h') {
                60.0
            } else if word.starts_with("mo") {
                return Err(bad());
            } else if word.starts_with('m') {
                1.0
            } else if word.starts_with('s') {
                1.0 / 60.0
            } else {
                return Err(bad());
            };
            total += v * factor;
            found = true;
        }
    }
    if !number.is_empty() || !found {
        return Err(bad());
    }
    Ok(Some(sign * total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_thousands_separators() {
        assert_eq!(ticket_id(" 5 732 943 ").as_deref(), Some("5732943"));
        assert_eq!(ticket_id("5\u{a0}732\u{a0}943").as_deref(), Some("5732943"));
        assert_eq!(ticket_id("INC0000045").as_deref(), Some("INC0000045"));
        assert_eq!(ticket_id("12").as_deref(), Some("12"));
        assert_eq!(ticket_id("?"), None);
        assert_eq!(ticket_id("#1234").as_deref(), Some("1234"));
        assert_eq!(ticket_id("#A-1").as_deref(), Some("#A-1"));
    }

    #[test]
    fn priorities_of_every_tool() {
        assert_eq!(priority("1 - Critical"), Some(Priority::P1));
        assert_eq!(priority("3 - Moderate"), Some(Priority::P3));
        assert_eq!(priority("Urgent"), Some(Priority::P1));
        assert_eq!(priority("High"), Some(Priority::P2));
        assert_eq!(priority("P2"), Some(Priority::P2));
        assert_eq!(priority("Priorité haute"), Some(Priority::P2));
        assert_eq!(priority("Très haute"), Some(Priority::P1));
        assert_eq!(priority("Normal"), Some(Priority::P3));
        assert_eq!(priority("Low"), Some(Priority::P4));
        assert_eq!(priority("5 - Planning"), Some(Priority::P4));
        assert_eq!(priority("whatever"), None);
    }

    #[test]
    fn statuses_of_every_tool() {
        assert_eq!(status("Solved"), Some(Status::Resolved));
        assert_eq!(status("In Progress"), Some(Status::Open));
        assert_eq!(status("Awaiting User Info"), Some(Status::Pending));
        assert_eq!(status("Clos"), Some(Status::Closed));
        assert_eq!(status("En cours (Attribué)"), Some(Status::Open));
        assert_eq!(status("6 - Resolved"), Some(Status::Resolved));
        assert_eq!(status("Reopened"), Some(Status::Open));
        assert_eq!(status("Waiting for customer"), Some(Status::Pending));
    }

    #[test]
    fn durations_in_all_notations() {
        let m = DurationUnit::Minutes;
        assert_eq!(duration_minutes("90", m), Ok(Some(90.0)));
        assert_eq!(duration_minutes("1.5", DurationUnit::Hours), Ok(Some(90.0)));
        assert_eq!(duration_minutes("1:30", m), Ok(Some(90.0)));
        assert_eq!(duration_minutes("01:30:30", m), Ok(Some(90.5)));
        assert_eq!(duration_minutes("-0:45", m), Ok(Some(-45.0)));
        assert_eq!(duration_minutes("3 Days 12 Hours", m), Ok(Some(5040.0)));
        assert_eq!(duration_minutes("2h 30m", m), Ok(Some(150.0)));
        assert_eq!(duration_minutes("", m), Ok(None));
        assert_eq!(
            duration_minutes("5400", DurationUnit::Seconds),
            Ok(Some(90.0))
        );
        assert!(is_placeholder_duration("0:00:00"));
        assert!(is_placeholder_duration("00:00"));
        assert!(!is_placeholder_duration("0:00:01"));
        assert!(!is_placeholder_duration("0"));
        assert!(duration_minutes("soon", m).is_err());
    }

    #[test]
    fn several_values_joined_with_br() {
        assert_eq!(text(" Leroy Paul<br>Petit Anne "), "Leroy Paul, Petit Anne");
        assert_eq!(text("a<br />b"), "a, b");
        assert_eq!(text("plain"), "plain");
    }

    #[test]
    fn booleans_and_counts() {
        assert_eq!(boolean("TRUE"), Some(true));
        assert_eq!(boolean("oui"), Some(true));
        assert_eq!(boolean("0"), Some(false));
        assert_eq!(count("1 234"), Ok(Some(1234)));
        assert_eq!(count("?"), Ok(None));
        assert!(count("-2").is_err());
    }
}
