//! What a survey answer is worth as a rating: numbers (`4`, `10 - Extremely
//! likely`, `5 = Extremely valuable`), good/bad, and labelled scales read as
//! their position (5- and 7-point satisfied / agree / likely / good / easy /
//! open / favourable families, in English, French, Spanish, Portuguese,
//! German, Italian and Dutch). Also which headers ask for a rating and which
//! are survey-tool metadata, never a rating. Pure functions of text.

use super::mapping::{fold_accent, normalize_header};
use super::timeparse::is_missing;
use crate::model::SurveyScale;

/// Lower case, accents folded, punctuation as spaces, single spaces.
fn words_of(text: &str) -> String {
    let folded: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Answers that are no rating at all: unanswered, not offered, not applicable.
pub(super) fn is_unrated(text: &str) -> bool {
    let t = text.trim();
    if is_missing(t) {
        return true;
    }
    // A number (the usual rating) is never one of the words below.
    if t.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    let w = words_of(t);
    matches!(
        w.as_str(),
        "offered" | "unoffered" | "not offered" | "not rated" | "unrated" | "n a" | "na"
    ) || w.contains("not applicable")
        || w.starts_with("n a ")
        || w.ends_with(" n a")
        || w.starts_with("unfamiliar")
        || w.starts_with("i don t know")
        || w.starts_with("don t know")
        || w.starts_with("no opinion")
        || w.starts_with("prefer not")
        || w.starts_with("sans objet")
        || w.starts_with("ne sais pas")
        || w.starts_with("je ne sais pas")
        || w.starts_with("no aplica")
        || w.starts_with("no se")
        || w.starts_with("nao se aplica")
        || w.starts_with("nao sei")
        || w.starts_with("weiss nicht")
        || w.starts_with("keine angabe")
        || w.starts_with("non applicabile")
        || w.starts_with("non so")
        || w.starts_with("weet niet")
        || w.starts_with("niet van toepassing")
}

/// A number leading the cell: `4`, `4.5`, `10 - Extremely likely`,
/// `4 (Satisfied)`, `5 = Extremely valuable`, `3/5`.
pub(super) fn numeric_rating(text: &str) -> Option<f64> {
    let t = text.trim();
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    if lead.is_empty() {
        return None;
    }
    let rest = t[lead.len()..].trim_start();
    let separated = rest.is_empty()
        || t[lead.len()..].starts_with(' ')
        || rest.starts_with(['-', '(', '/', '=', ':', '–']);
    if !separated {
        return None;
    }
    // `4 stars` is no scale point we know: a word right after the number is not.
    if t[lead.len()..].starts_with(' ') && rest.starts_with(char::is_alphabetic) {
        return None;
    }
    lead.replace(',', ".").parse().ok()
}

/// How strongly a label leans: `slightly`/`somewhat` 1, plain or
/// `moderately` 2, `very` 3, `extremely`/`strongly`/`completely`/`not … at all` 4.
type Rank = u8;

/// One labelled answer: which side of the scale and how far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lean {
    Neutral,
    Positive(Rank),
    Negative(Rank),
}

const NEUTRAL: &[&str] = &[
    "neutral",
    "neutre",
    "neutro",
    "neither",
    "indifferent",
    "indiferente",
    "indifferente",
    "average",
    "neutraal",
];
/// Words that open a "neither … nor …" label in each language.
const NEITHER: &[&str] = &["ni", "nem", "ne", "weder", "noch", "niet"];

/// Word stems (prefixes of a folded word) on the negative side; checked before the positive ones.
const NEGATIVE: &[&str] = &[
    "dissatisf",
    "unsatisf",
    "insatisf",
    "insoddisf",
    "unzufrieden",
    "ontevreden",
    "disagree",
    "desacuerdo",
    "discord",
    "disaccord",
    "unlikely",
    "improbable",
    "improbabile",
    "unwahrscheinlich",
    "onwaarschijnlijk",
    "unfavo",
    "desfavo",
    "sfavo",
    "unhappy",
    "unhelpful",
    "useless",
    "poor",
    "bad",
    "terrible",
    "awful",
    "mauvais",
    "malo",
    "mala",
    "ruim",
    "pessim",
    "scars",
    "schlecht",
    "slecht",
    "difficult",
    "hard",
    "dificil",
    "difficile",
    "schwierig",
    "schwer",
    "moeilijk",
    "unimportant",
    "unwichtig",
];
const POSITIVE: &[&str] = &[
    "satisf",
    "soddisf",
    "zufrieden",
    "tevreden",
    "agree",
    "accord",
    "acuerdo",
    "concord",
    "eens",
    "likely",
    "probable",
    "probabile",
    "provavel",
    "wahrscheinlich",
    "waarschijnlijk",
    "favo",
    "happy",
    "pleased",
    "content",
    "helpful",
    "useful",
    "valuable",
    "effective",
    "important",
    "wichtig",
    "good",
    "bon",
    "bien",
    "bueno",
    "buena",
    "bom",
    "boa",
    "buon",
    "gut",
    "goed",
    "easy",
    "facil",
    "facile",
    "einfach",
    "leicht",
    "makkelijk",
    "open",
    "excellent",
    "excelente",
    "eccellente",
    "ausgezeichnet",
    "uitstekend",
];
const NEGATORS: &[&str] = &[
    "not", "pas", "no", "nao", "nicht", "non", "niet", "never", "nada", "niente",
];
const EXTREME: &[&str] = &[
    "extremely",
    "strongly",
    "completely",
    "totally",
    "absolutely",
    "entirely",
    "totalement",
    "extremement",
    "totalmente",
    "completamente",
    "extremadamente",
    "extremamente",
    "estremamente",
    "voll",
    "vollig",
    "vollkommen",
    "absolut",
    "uberhaupt",
    "helemaal",
    "volledig",
];
const VERY: &[&str] = &[
    "very", "highly", "tres", "muy", "muito", "molto", "sehr", "zeer", "erg",
];
const MILD: &[&str] = &[
    "somewhat",
    "slightly",
    "fairly",
    "rather",
    "mostly",
    "plutot",
    "legerement",
    "assez",
    "algo",
    "ligeramente",
    "levemente",
    "parcialmente",
    "leggermente",
    "abbastanza",
    "poco",
    "eher",
    "etwas",
    "teilweise",
    "enigszins",
    "beetje",
];

/// Modifiers only 7-point scales use.
const SEVEN_POINT: &[&str] = &[
    "slightly",
    "moderately",
    "legerement",
    "moderement",
    "ligeramente",
    "moderadamente",
    "levemente",
    "leggermente",
    "moderatamente",
];

fn has_stem(words: &[&str], stems: &[&str]) -> bool {
    words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)))
}

fn has_word(words: &[&str], list: &[&str]) -> bool {
    words.iter().any(|w| list.contains(w))
}

/// Reads one labelled answer (no number in it) as a lean, or `None`.
pub(super) fn read_lean(text: &str) -> Option<Lean> {
    let folded = words_of(text);
    if folded.is_empty() {
        return None;
    }
    let words: Vec<&str> = folded.split(' ').collect();
    // Neutral: `Neutral`, `Neither satisfied nor dissatisfied`, `Ni … ni …`, `Weder … noch …`.
    let neither = words.len() > 2
        && NEITHER.contains(&words[0])
        && words[1..]
            .iter()
            .any(|w| NEITHER.contains(w) || *w == "nor");
    if has_word(&words, NEUTRAL) || neither || folded.starts_with("neither") {
        return Some(Lean::Neutral);
    }
    // German agreement: `Stimme (voll / eher / nicht / überhaupt nicht) zu`.
    let stimme = words.contains(&"stimme") || words.contains(&"stimmt");
    let negative_word = has_stem(&words, NEGATIVE);
    let positive_word = has_stem(&words, POSITIVE);
    if !negative_word && !positive_word && !stimme {
        return None;
    }
    let negated = has_word(&words, NEGATORS);
    let at_all = folded.contains("at all")
        || folded.contains("du tout")
        || folded.contains("en absoluto")
        || folded.contains("de todo")
        || folded.contains("niente")
        || folded.starts_with("nada")
        || folded.contains("affatto")
        || folded.contains("uberhaupt")
        || folded.contains("helemaal");
    let negative = if negative_word { !negated } else { negated };
    let whole = ["tout a fait", "voll und ganz", "del tutto", "por completo"]
        .iter()
        .any(|p| folded.contains(p));
    let rank: Rank = if has_word(&words, EXTREME) || at_all || whole {
        4
    } else if has_word(&words, VERY) {
        3
    } else if has_word(&words, MILD) {
        1
    } else {
        2
    };
    Some(if negative {
        Lean::Negative(rank)
    } else {
        Lean::Positive(rank)
    })
}

/// The positions of a column's labels: how many points each side of the
/// neutral point, and where each rank stands, decided from the labels seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LabelScale {
    /// Points on each side of the neutral point (2 for a 5-point scale, 3 for 7).
    pub(super) side: u8,
    positive: Vec<Rank>,
    negative: Vec<Rank>,
    /// The `Excellent / Very good / Good / Fair / Poor` quality scale.
    quality: bool,
}

impl LabelScale {
    /// Decides the scale from the labels of a column.
    pub(super) fn from_labels<'a>(labels: impl IntoIterator<Item = &'a str>) -> LabelScale {
        let mut positive: Vec<Rank> = Vec::new();
        let mut negative: Vec<Rank> = Vec::new();
        let mut quality_words = (false, false);
        // `Slightly` and `Moderately` only exist on 7-point scales.
        let mut seven = false;
        for l in labels {
            let w = words_of(l);
            seven |= w.split(' ').any(|x| SEVEN_POINT.contains(&x));
            if w == "excellent" || w == "excelente" || w == "eccellente" {
                quality_words.0 = true;
            }
            if w == "fair" || w == "regular" || w == "passable" {
                quality_words.1 = true;
            }
            match read_lean(l) {
                Some(Lean::Positive(r)) if !positive.contains(&r) => positive.push(r),
                Some(Lean::Negative(r)) if !negative.contains(&r) => negative.push(r),
                _ => {}
            }
        }
        positive.sort_unstable();
        negative.sort_unstable();
        let observed = positive.len().max(negative.len());
        // One rank seen on each side: a 5-point scale (its extremes, or its inner points).
        let side = if seven { 3 } else { observed.clamp(2, 3) as u8 };
        LabelScale {
            side,
            positive,
            negative,
            quality: quality_words.0 && quality_words.1,
        }
    }

    /// The scale's points: `1..=2·side+1` (or 1–5 for the quality scale).
    pub(super) fn scale(&self) -> SurveyScale {
        let max = if self.quality {
            5.0
        } else {
            f64::from(2 * self.side + 1)
        };
        SurveyScale::Numeric { min: 1.0, max }
    }

    /// How many points from neutral a rank stands on a side.
    fn level(&self, ranks: &[Rank], other: &[Rank], rank: Rank) -> u8 {
        let side = self.side;
        let full = if ranks.len() as u8 >= side {
            ranks
        } else if other.len() as u8 >= side {
            other
        } else {
            ranks
        };
        if full.len() as u8 == side {
            if let Some(i) = full.iter().position(|r| *r == rank) {
                return i as u8 + 1;
            }
        }
        match rank {
            r if r >= 3 => side,
            1 => 1,
            // A plain label: the inner point of a 5-point scale, the middle one of a 7-point.
            _ => (side - 1).max(1),
        }
    }

    /// The position of a label on the scale.
    pub(super) fn position(&self, text: &str) -> Option<f64> {
        if self.quality {
            let w = words_of(text);
            let v = match w.as_str() {
                "excellent" | "excelente" | "eccellente" => 5.0,
                "very good" | "muy bueno" | "muito bom" | "molto buono" | "tres bon" => 4.0,
                "good" | "bueno" | "bom" | "buono" | "bon" => 3.0,
                "fair" | "regular" | "passable" => 2.0,
                "poor" | "very poor" | "malo" | "ruim" | "mauvais" => 1.0,
                _ => return None,
            };
            return Some(v);
        }
        let mid = f64::from(self.side) + 1.0;
        match read_lean(text)? {
            Lean::Neutral => Some(mid),
            Lean::Positive(r) => {
                Some(mid + f64::from(self.level(&self.positive, &self.negative, r)))
            }
            Lean::Negative(r) => {
                Some(mid - f64::from(self.level(&self.negative, &self.positive, r)))
            }
        }
    }
}

/// How a rating column's values read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum RatingKind {
    GoodBad,
    Labelled,
    Numeric,
}

fn is_good_bad(text: &str) -> bool {
    good_bad(text).is_some()
}

/// Zendesk's two-point answer: `Good` / `Bad`, also written `Good, I'm
/// satisfied` / `Bad, I'm unsatisfied`: 1 or 0.
pub(super) fn good_bad(text: &str) -> Option<f64> {
    let t = text.trim().to_lowercase();
    let head = t.split(',').next().unwrap_or("").trim();
    match head {
        "good" => Some(1.0),
        "bad" => Some(0.0),
        _ => None,
    }
}

/// Scores a column as a rating column: the share of its answered values
/// that read as ratings, and how they read. `(0, _)` for a column with no answer.
pub(super) fn rating_fitness(values: &[&str]) -> (f64, RatingKind) {
    let present: Vec<&&str> = values.iter().filter(|v| !is_unrated(v)).collect();
    if present.is_empty() {
        return (0.0, RatingKind::Numeric);
    }
    let n = present.len() as f64;
    let gb = present.iter().filter(|v| is_good_bad(v)).count() as f64;
    let lab = present
        .iter()
        .filter(|v| numeric_rating(v).is_none() && read_lean(v).is_some())
        .count() as f64;
    let num = present
        .iter()
        .filter(|v| numeric_rating(v).is_some_and(|x| (0.0..=10.0).contains(&x)))
        .count() as f64;
    if gb >= lab && gb >= num && gb > 0.0 {
        (gb / n, RatingKind::GoodBad)
    } else if lab > num {
        (lab / n, RatingKind::Labelled)
    } else {
        (num / n, RatingKind::Numeric)
    }
}

/// A scale written in the question (`on a scale of 1-5`, `0–10`), or a
/// recommendation question (0–10).
pub(super) fn scale_from_header(h: &str) -> Option<SurveyScale> {
    let l = h.to_lowercase().replace(' ', "");
    for (pat, min, max) in [
        ("0-10", 0.0, 10.0),
        ("1-10", 1.0, 10.0),
        ("1-5", 1.0, 5.0),
        ("1-7", 1.0, 7.0),
        ("0-5", 0.0, 5.0),
        ("1to5", 1.0, 5.0),
        ("0to10", 0.0, 10.0),
    ] {
        if l.contains(pat) || l.contains(&pat.replace('-', "–")) {
            return Some(SurveyScale::Numeric { min, max });
        }
    }
    if l.contains("recommend") || l.contains("empfehl") || l.contains("recomend") {
        return Some(SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        });
    }
    None
}

/// Picks the smallest usual scale that holds (almost) every value.
pub(super) fn scale_from_values(ratings: &[f64]) -> SurveyScale {
    let n = ratings.len().max(1) as f64;
    let within =
        |lo: f64, hi: f64| ratings.iter().filter(|&&r| r >= lo && r <= hi).count() as f64 / n;
    let min = ratings.iter().copied().fold(f64::INFINITY, f64::min);
    for (lo, hi) in [(1.0, 5.0), (1.0, 7.0), (0.0, 10.0)] {
        let all = within(lo, hi) >= 1.0;
        let nearly = within(lo, hi) >= 0.98 && min >= lo;
        if all || nearly {
            return SurveyScale::Numeric { min: lo, max: hi };
        }
    }
    let max = ratings.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max > min {
        SurveyScale::Numeric { min, max }
    } else {
        SurveyScale::Numeric {
            min: 0.0,
            max: 10.0,
        }
    }
}

/// Survey-tool metadata: response ids, tokens, progress, timings, network
/// and location fields, languages, seeds. Never a rating, whatever its values.
pub fn is_metadata(header: &str) -> bool {
    let n = normalize_header(header);
    if n.is_empty() {
        // Typeform's `#` (the response token), or a blank header.
        return true;
    }
    const EXACT: &[&str] = &[
        "status",
        "progress",
        "finished",
        "lastpage",
        "seed",
        "startlanguage",
        "userlanguage",
        "language",
        "ipaddress",
        "distributionchannel",
        "responseset",
        "locationlatitude",
        "locationlongitude",
        "locationaccuracy",
        "totaltime",
        "interviewtime",
        "token",
        "networkid",
        "collectorid",
        "respondentid",
        "responseid",
        "recordeddate",
        "startdate",
        "enddate",
        "submitdate",
        "datesubmitted",
        "datestarted",
        "datelastaction",
        "refurl",
        "referer",
        "useragent",
        "browser",
        "device",
        "platform",
        "externalreference",
        "externaldatareference",
        "recipientlastname",
        "recipientfirstname",
        "recipientemail",
        "name",
        "email",
        "emailaddress",
        "id",
        "uuid",
        // The same bookkeeping in LimeSurvey's and SurveyMonkey's other languages.
        "ultimapagina",
        "letzteseite",
        "dernierepage",
        "semilla",
        "seme",
        "idiomainicial",
        "startsprache",
        "languedebut",
        "fechadeenvio",
        "datumabgeschickt",
        "datedesoumission",
        "idderespuesta",
        "antwortid",
        "iddelencuestado",
        "teilnehmerid",
    ];
    const PREFIX: &[&str] = &[
        "durationin",
        "duration",
        "grouptime",
        "questiontime",
        "filecount",
        "startdate",
        "submitdate",
        "enddate",
        "customdata",
        "recipient",
        "location",
        "timing",
    ];
    EXACT.contains(&n.as_str())
        || PREFIX.iter().any(|p| n.starts_with(p))
        || n.ends_with("id") && n.len() <= 12
        || n.ends_with("language")
        || n.ends_with("seconds")
}

/// A header (or question text) that asks for a rating or for satisfaction.
pub fn asks_for_rating(text: &str) -> bool {
    let folded = words_of(text);
    let words: Vec<&str> = folded.split(' ').collect();
    const STEMS: &[&str] = &[
        "rating",
        "satisf",
        "soddisf",
        "zufrieden",
        "tevreden",
        "csat",
        "nps",
        "recommend",
        "recomend",
        "raccomand",
        "empfehl",
        "aanbevel",
        "bewert",
        "valoraci",
        "avaliac",
        "calificaci",
        "valutazion",
    ];
    const WORDS: &[&str] = &["rate", "rated", "score", "nota", "punteggio", "cijfer"];
    has_stem(&words, STEMS) || has_word(&words, WORDS)
}

#[cfg(test)]
#[path = "rating_tests.rs"]
mod tests;
