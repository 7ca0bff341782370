//! Stable pseudonyms for requester names and emails (`--redact`): the same
//! person always gets the same pseudonym within one database (keyed by its
//! secret salt), unguessable outside it.

use sha2::{Digest, Sha256};

use crate::metrics::OpenTicket;

/// Stable pseudonyms for requester names and emails.
pub struct Redactor {
    salt: String,
}

impl Redactor {
    pub fn new(salt: &str) -> Redactor {
        Redactor {
            salt: salt.to_string(),
        }
    }

    /// `Requester 3f9a1c`: the same person always gets the same pseudonym
    /// (case and surrounding spaces ignored).
    pub fn pseudonym(&self, name: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.salt.as_bytes());
        h.update([0]);
        h.update(name.trim().to_lowercase().as_bytes());
        let d = h.finalize();
        format!("Requester {:02x}{:02x}{:02x}", d[0], d[1], d[2])
    }

    /// Replaces every email address inside a text.
    pub fn text(&self, s: &str) -> String {
        if !s.contains('@') {
            return s.to_string();
        }
        let is_part = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '@' {
                let mut start = out.len();
                let local: Vec<char> = out.chars().rev().take_while(|c| is_part(*c)).collect();
                let mut end = i + 1;
                while end < chars.len()
                    && (chars[end].is_alphanumeric() || ".-".contains(chars[end]))
                {
                    end += 1;
                }
                if !local.is_empty() && end > i + 1 {
                    start -= local.iter().map(|c| c.len_utf8()).sum::<usize>();
                    let address: String = out[start..]
                        .chars()
                        .chain(chars[i..end].iter().copied())
                        .collect();
                    out.truncate(start);
                    out.push_str(&self.pseudonym(&address));
                    i = end;
                    continue;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    pub(super) fn ticket(&self, t: &mut OpenTicket) {
        t.requester = t.requester.as_deref().map(|r| self.pseudonym(r));
        for field in [&mut t.category, &mut t.assignee, &mut t.department] {
            *field = field.as_deref().map(|v| self.text(v));
        }
        t.ticket_id = self.text(&t.ticket_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_and_hide_emails_inside_text() {
        let r = Redactor::new("salt");
        assert_eq!(r.pseudonym("Ann Lee"), r.pseudonym("  ann lee "));
        assert_ne!(
            r.pseudonym("Ann Lee"),
            Redactor::new("other").pseudonym("Ann Lee")
        );
        let t = r.text("ask ann.lee@example.com, or bob@corp.example.org.");
        assert!(!t.contains('@'), "{t}");
        assert!(t.starts_with("ask Requester "));
        assert_eq!(r.text("no address @ here"), "no address @ here");
    }
}
