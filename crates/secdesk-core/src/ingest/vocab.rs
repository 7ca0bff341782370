//! The words of the help-desk tools in every UI language, kept as data
//! (`assets/vocab/<tool>.<language>.tsv`, see its README): which header
//! feeds which canonical field, what a status or priority value means, which
//! headers only one tool writes, and the month names of each language.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::mapping::{normalize_header, TicketField};
use crate::model::{Priority, Status};

/// (tool, language, table text).
const TABLES: &[(&str, &str, &str)] = &[
    ("glpi", "fr", include_str!("../../assets/vocab/glpi.fr.tsv")),
    ("glpi", "en", include_str!("../../assets/vocab/glpi.en.tsv")),
    ("glpi", "es", include_str!("../../assets/vocab/glpi.es.tsv")),
    ("glpi", "pt", include_str!("../../assets/vocab/glpi.pt.tsv")),
    ("glpi", "de", include_str!("../../assets/vocab/glpi.de.tsv")),
    ("glpi", "it", include_str!("../../assets/vocab/glpi.it.tsv")),
    ("jira", "en", include_str!("../../assets/vocab/jira.en.tsv")),
    ("jira", "es", include_str!("../../assets/vocab/jira.es.tsv")),
    ("jira", "fr", include_str!("../../assets/vocab/jira.fr.tsv")),
    ("jira", "de", include_str!("../../assets/vocab/jira.de.tsv")),
    ("jira", "pt", include_str!("../../assets/vocab/jira.pt.tsv")),
    (
        "zendesk",
        "en",
        include_str!("../../assets/vocab/zendesk.en.tsv"),
    ),
    (
        "freshdesk",
        "en",
        include_str!("../../assets/vocab/freshdesk.en.tsv"),
    ),
    (
        "servicenow",
        "en",
        include_str!("../../assets/vocab/servicenow.en.tsv"),
    ),
    (
        "servicenow",
        "es",
        include_str!("../../assets/vocab/servicenow.es.tsv"),
    ),
    (
        "servicenow",
        "fr",
        include_str!("../../assets/vocab/servicenow.fr.tsv"),
    ),
    (
        "servicenow",
        "de",
        include_str!("../../assets/vocab/servicenow.de.tsv"),
    ),
    (
        "servicenow",
        "pt",
        include_str!("../../assets/vocab/servicenow.pt.tsv"),
    ),
    (
        "zammad",
        "en",
        include_str!("../../assets/vocab/zammad.en.tsv"),
    ),
    (
        "zammad",
        "de",
        include_str!("../../assets/vocab/zammad.de.tsv"),
    ),
    (
        "generic",
        "es",
        include_str!("../../assets/vocab/generic.es.tsv"),
    ),
    (
        "generic",
        "fr",
        include_str!("../../assets/vocab/generic.fr.tsv"),
    ),
    (
        "generic",
        "de",
        include_str!("../../assets/vocab/generic.de.tsv"),
    ),
    (
        "generic",
        "pt",
        include_str!("../../assets/vocab/generic.pt.tsv"),
    ),
    (
        "generic",
        "it",
        include_str!("../../assets/vocab/generic.it.tsv"),
    ),
];
const MONTHS: &str = include_str!("../../assets/vocab/months.tsv");
/// The tables of words any tool of a language uses; never recognised as a tool.
const GENERIC: &str = "generic";

/// What a header means: a field, or a column to leave out.
pub type HeaderMeaning = Option<TicketField>;

/// One table's entries, normalised.
#[derive(Debug, Default)]
struct Table {
    tool: &'static str,
    language: &'static str,
    headers: HashMap<String, HeaderMeaning>,
    statuses: HashMap<String, Status>,
    priorities: HashMap<String, Priority>,
    signs: Vec<String>,
}

/// Every table, and the months.
pub struct Vocabulary {
    tables: Vec<Table>,
    /// (folded prefix, month number 1–12), longest prefixes first.
    months: Vec<(String, u32)>,
}

/// A line of a table that cannot be read (a test keeps every table clean).
#[derive(Debug, Clone, PartialEq)]
pub struct VocabError {
    pub table: String,
    pub line: usize,
    pub reason: String,
}

fn parse_table(
    tool: &'static str,
    language: &'static str,
    text: &'static str,
    errors: &mut Vec<VocabError>,
) -> Table {
    let mut t = Table {
        tool,
        language,
        ..Table::default()
    };
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fail = |reason: String| {
            errors.push(VocabError {
                table: format!("{tool}.{language}"),
                line: i + 1,
                reason,
            })
        };
        let parts: Vec<&str> = line.split('\t').collect();
        let [kind, meaning, words] = parts[..] else {
            fail(format!("expected kind, meaning and text: `{line}`"));
            continue;
        };
        let key = normalize_header(words);
        if key.is_empty() {
            fail("empty text".to_string());
            continue;
        }
        match kind {
            "header" => {
                let field = if meaning == "ignore" {
                    None
                } else {
                    match TicketField::from_name(meaning) {
                        Some(f) => Some(f),
                        None => {
                            fail(format!("unknown field `{meaning}`"));
                            continue;
                        }
                    }
                };
                if let Some(old) = t.headers.insert(key, field) {
                    if old != field {
                        fail(format!("`{words}` means two things"));
                    }
                }
            }
            "status" => match Status::parse_canonical(meaning) {
                Some(s) => {
                    if t.statuses.insert(key, s).is_some_and(|old| old != s) {
                        fail(format!("status `{words}` means two things"));
                    }
                }
                None => fail(format!("unknown status `{meaning}`")),
            },
            "priority" => match Priority::parse_canonical(meaning) {
                Some(p) => {
                    if t.priorities.insert(key, p).is_some_and(|old| old != p) {
                        fail(format!("priority `{words}` means two things"));
                    }
                }
                None => fail(format!("unknown priority `{meaning}`")),
            },
            "sign" => t.signs.push(key),
            other => fail(format!("unknown kind `{other}`")),
        }
    }
    t
}

fn parse_months(errors: &mut Vec<VocabError>) -> Vec<(String, u32)> {
    let mut months = Vec::new();
    for (i, line) in MONTHS.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != 13 {
            errors.push(VocabError {
                table: "months".to_string(),
                line: i + 1,
                reason: format!(
                    "expected a language and 12 months, got {} cells",
                    cells.len()
                ),
            });
            continue;
        }
        for (m, cell) in cells[1..].iter().enumerate() {
            for prefix in cell.split('|') {
                months.push((normalize_header(prefix), m as u32 + 1));
            }
        }
    }
    months.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    months.dedup();
    months
}

impl Vocabulary {
    fn load() -> (Vocabulary, Vec<VocabError>) {
        let mut errors = Vec::new();
        let tables = TABLES
            .iter()
            .map(|(tool, language, text)| parse_table(tool, language, text, &mut errors))
            .collect();
        let months = parse_months(&mut errors);
        (Vocabulary { tables, months }, errors)
    }

    /// The tables of `tool` first, then every other tool's.
    fn ordered<'a>(&'a self, tool: Option<&'a str>) -> impl Iterator<Item = &'a Table> + 'a {
        let own = self.tables.iter().filter(move |t| Some(t.tool) == tool);
        let rest = self.tables.iter().filter(move |t| Some(t.tool) != tool);
        own.chain(rest)
    }

    /// What a normalised header means in `tool`'s tables, else in any tool's.
    pub fn header(&self, tool: Option<&str>, normalized: &str) -> Option<HeaderMeaning> {
        self.ordered(tool)
            .find_map(|t| t.headers.get(normalized).copied())
    }

    /// A status value in `tool`'s tables, else in any tool's.
    pub fn status(&self, tool: Option<&str>, text: &str) -> Option<Status> {
        let key = normalize_header(text);
        self.ordered(tool)
            .find_map(|t| t.statuses.get(&key).copied())
    }

    /// A priority value in `tool`'s tables, else in the tables of any
    /// tool's usual words (`generic`), never another tool's: the same word
    /// means different priorities in different tools (GLPI's `Major` is its
    /// highest, Jira's is second).
    pub fn priority(&self, tool: Option<&str>, text: &str) -> Option<Priority> {
        let key = normalize_header(text);
        let own = self.tables.iter().filter(|t| Some(t.tool) == tool);
        let generic = self.tables.iter().filter(|t| t.tool == GENERIC);
        own.chain(generic)
            .find_map(|t| t.priorities.get(&key).copied())
    }

    /// The tool whose own headers a file carries (most such headers wins),
    /// and the language of the table they came from.
    pub fn recognise(&self, normalized: &[String]) -> Option<(&'static str, &'static str)> {
        self.tables
            .iter()
            .map(|t| {
                let hits = t
                    .signs
                    .iter()
                    .filter(|s| normalized.iter().any(|n| n == *s))
                    .count();
                (hits, t)
            })
            .filter(|(hits, t)| *hits > 0 && t.tool != GENERIC)
            .max_by_key(|(hits, _)| *hits)
            .map(|(_, t)| (t.tool, t.language))
    }

    /// The language of `tool` whose headers a file matches best.
    pub fn language(&self, tool: &str, normalized: &[String]) -> Option<&'static str> {
        self.tables
            .iter()
            .filter(|t| t.tool == tool)
            .map(|t| {
                let hits = normalized
                    .iter()
                    .filter(|n| t.headers.contains_key(n.as_str()))
                    .count();
                (hits, t.language)
            })
            .filter(|(hits, _)| *hits > 0)
            .max_by_key(|(hits, _)| *hits)
            .map(|(_, l)| l)
    }

    /// The month a word names (`oct.`, `Okt`, `out`, `juil`, `März`), in any language.
    pub fn month(&self, word: &str) -> Option<u32> {
        let w = normalize_header(word);
        if w.len() < 3 {
            return None;
        }
        self.months
            .iter()
            .find(|(prefix, _)| w.starts_with(prefix.as_str()))
            .map(|(_, m)| *m)
    }
}

/// The vocabulary, read once.
pub fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| Vocabulary::load().0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_cleanly() {
        let (v, errors) = Vocabulary::load();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(v.tables.len(), TABLES.len());
        for t in &v.tables {
            assert!(!t.headers.is_empty(), "{}.{}", t.tool, t.language);
            assert!(!t.statuses.is_empty(), "{}.{}", t.tool, t.language);
        }
    }

    #[test]
    fn glpi_headers_in_six_languages() {
        let v = vocabulary();
        for (header, field) in [
            ("Date d'ouverture", TicketField::CreatedAt),
            ("Opening Date", TicketField::CreatedAt),
            ("Fecha de apertura", TicketField::CreatedAt),
            ("Data de abertura", TicketField::CreatedAt),
            ("Eröffnungsdatum", TicketField::CreatedAt),
            ("Data di apertura", TicketField::CreatedAt),
            ("Assigned To - Technician", TicketField::Assignee),
            ("Asignado a - Técnico", TicketField::Assignee),
            ("Atribuído para - Técnico", TicketField::Assignee),
            ("Followups - Number of Followups", TicketField::FollowUps),
            ("Closing Date", TicketField::ClosedAt),
            ("Fecha de resolución", TicketField::ResolvedAt),
            ("Última atualização", TicketField::LastUpdateAt),
        ] {
            assert_eq!(
                v.header(Some("glpi"), &normalize_header(header)),
                Some(Some(field)),
                "{header}"
            );
        }
        // A column named like a duration that holds a due date.
        assert_eq!(
            v.header(Some("glpi"), &normalize_header("Time to resolve")),
            Some(None)
        );
    }

    #[test]
    fn statuses_and_priorities_per_tool() {
        let v = vocabulary();
        assert_eq!(
            v.status(Some("glpi"), "En curso (asignado)"),
            Some(Status::Open)
        );
        assert_eq!(
            v.status(Some("glpi"), "Solucionado"),
            Some(Status::Resolved)
        );
        assert_eq!(v.status(Some("glpi"), "En espera"), Some(Status::Pending));
        assert_eq!(v.status(Some("glpi"), "Geschlossen"), Some(Status::Closed));
        assert_eq!(
            v.status(Some("jira"), "Esperando por el cliente"),
            Some(Status::Pending)
        );
        assert_eq!(v.status(None, "Awaiting User Info"), Some(Status::Pending));
        assert_eq!(v.priority(Some("glpi"), "Major"), Some(Priority::P1));
        assert_eq!(v.priority(Some("jira"), "Major"), Some(Priority::P2));
        assert_eq!(v.priority(Some("glpi"), "Muy alta"), Some(Priority::P1));
        assert_eq!(v.priority(Some("jira"), "Más alta"), Some(Priority::P1));
        assert_eq!(v.priority(None, "Major"), None);
        assert_eq!(v.priority(None, "Baja"), Some(Priority::P4));
        assert_eq!(v.priority(Some("glpi"), "Dringend"), Some(Priority::P1));
        assert_eq!(
            v.header(None, &normalize_header("Fecha de creación")),
            Some(Some(TicketField::CreatedAt))
        );
    }

    #[test]
    fn tools_recognised_by_their_own_headers() {
        let v = vocabulary();
        let n = |hs: &[&str]| hs.iter().map(|h| normalize_header(h)).collect::<Vec<_>>();
        assert_eq!(
            v.recognise(&n(&["ID", "Título", "Estado", "Fecha de apertura"])),
            Some(("glpi", "es"))
        );
        assert_eq!(
            v.recognise(&n(&["Resumen", "Clave de incidencia", "Creada"])),
            Some(("jira", "es"))
        );
        assert_eq!(
            v.recognise(&n(&["Ticket ID", "Ticket created - Timestamp"])),
            Some(("zendesk", "en"))
        );
        assert_eq!(v.recognise(&n(&["id", "created"])), None);
    }

    #[test]
    fn months_in_every_language() {
        let v = vocabulary();
        for (word, m) in [
            ("jul", 7),
            ("oct.", 10),
            ("Okt", 10),
            ("out", 10),
            ("juil.", 7),
            ("juin", 6),
            ("März", 3),
            ("mrt", 3),
            ("ene", 1),
            ("gen", 1),
            ("dic", 12),
            ("dez", 12),
            ("févr.", 2),
            ("août", 8),
            ("mag", 5),
            ("mai", 5),
            ("set", 9),
            ("sept.", 9),
            ("December", 12),
        ] {
            assert_eq!(v.month(word), Some(m), "{word}");
        }
        assert_eq!(v.month("xyz"), None);
        assert_eq!(v.month("PM"), None);
    }
}
