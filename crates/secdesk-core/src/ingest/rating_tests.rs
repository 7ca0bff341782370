//! Every label family and language of `rating`, each label checked.
use super::*;

fn positions(labels: &[&str]) -> Vec<Option<f64>> {
    let scale = LabelScale::from_labels(labels.iter().copied());
    labels.iter().map(|l| scale.position(l)).collect()
}

fn ints(v: &[u8]) -> Vec<Option<f64>> {
    v.iter().map(|x| Some(f64::from(*x))).collect()
}

#[test]
fn numbers_with_their_labels() {
    assert_eq!(numeric_rating("10 - Extremely likely"), Some(10.0));
    assert_eq!(numeric_rating("5 = Extremely valuable"), Some(5.0));
    assert_eq!(numeric_rating("4 (Satisfied)"), Some(4.0));
    assert_eq!(numeric_rating("4,5"), Some(4.5));
    assert_eq!(numeric_rating("3/5"), Some(3.0));
    assert_eq!(numeric_rating("4"), Some(4.0));
    assert_eq!(numeric_rating("4 stars"), None);
    assert_eq!(numeric_rating("Very satisfied"), None);
}

#[test]
fn five_point_satisfaction_in_every_language() {
    for labels in [
        [
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
        [
            "Très insatisfait",
            "Insatisfait",
            "Ni satisfait ni insatisfait",
            "Satisfait",
            "Très satisfait",
        ],
        [
            "Muy insatisfecho",
            "Insatisfecho",
            "Ni satisfecho ni insatisfecho",
            "Satisfecho",
            "Muy satisfecho",
        ],
        [
            "Muito insatisfeito",
            "Insatisfeito",
            "Nem satisfeito nem insatisfeito",
            "Satisfeito",
            "Muito satisfeito",
        ],
        [
            "Sehr unzufrieden",
            "Unzufrieden",
            "Weder zufrieden noch unzufrieden",
            "Zufrieden",
            "Sehr zufrieden",
        ],
        [
            "Molto insoddisfatto",
            "Insoddisfatto",
            "Né soddisfatto né insoddisfatto",
            "Soddisfatto",
            "Molto soddisfatto",
        ],
        [
            "Zeer ontevreden",
            "Ontevreden",
            "Neutraal",
            "Tevreden",
            "Zeer tevreden",
        ],
    ] {
        assert_eq!(positions(&labels), ints(&[1, 2, 3, 4, 5]), "{labels:?}");
    }
}

#[test]
fn five_point_agree_likely_easy_good_open_favourable() {
    for labels in [
        [
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
        ],
        [
            "Pas du tout d'accord",
            "Pas d'accord",
            "Neutre",
            "D'accord",
            "Tout à fait d'accord",
        ],
        [
            "Totalmente en desacuerdo",
            "En desacuerdo",
            "Ni de acuerdo ni en desacuerdo",
            "De acuerdo",
            "Totalmente de acuerdo",
        ],
        [
            "Discordo totalmente",
            "Discordo",
            "Neutro",
            "Concordo",
            "Concordo totalmente",
        ],
        [
            "Stimme überhaupt nicht zu",
            "Stimme nicht zu",
            "Neutral",
            "Stimme zu",
            "Stimme voll zu",
        ],
        [
            "Very unlikely",
            "Unlikely",
            "Neutral",
            "Likely",
            "Very likely",
        ],
        [
            "Very difficult",
            "Somewhat difficult",
            "Neither easy nor difficult",
            "Somewhat easy",
            "Very easy",
        ],
        ["Very poor", "Poor", "Average", "Good", "Very good"],
        [
            "Not open at all",
            "Somewhat not open",
            "Neutral",
            "Somewhat open",
            "Very open",
        ],
        [
            "Very unfavorably",
            "Somewhat unfavorably",
            "Neither favorably nor unfavorably (neutral)",
            "Somewhat favorably",
            "Very favorably",
        ],
        [
            "Not at all satisfied",
            "Not satisfied",
            "Neutral",
            "Satisfied",
            "Extremely satisfied",
        ],
    ] {
        assert_eq!(positions(&labels), ints(&[1, 2, 3, 4, 5]), "{labels:?}");
    }
}

#[test]
fn seven_point_scales() {
    let qualtrics = [
        "Extremely dissatisfied",
        "Moderately dissatisfied",
        "Slightly dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Slightly satisfied",
        "Moderately satisfied",
        "Extremely satisfied",
    ];
    assert_eq!(positions(&qualtrics), ints(&[1, 2, 3, 4, 5, 6, 7]));
    let freshdesk = [
        "Extremely dissatisfied",
        "Very dissatisfied",
        "Slightly dissatisfied",
        "Neutral",
        "Slightly satisfied",
        "Very satisfied",
        "Extremely satisfied",
    ];
    assert_eq!(positions(&freshdesk), ints(&[1, 2, 3, 4, 5, 6, 7]));
    let plain = [
        "Very dissatisfied",
        "Dissatisfied",
        "Somewhat dissatisfied",
        "Neutral",
        "Somewhat satisfied",
        "Satisfied",
        "Very satisfied",
    ];
    assert_eq!(positions(&plain), ints(&[1, 2, 3, 4, 5, 6, 7]));
    let scale = LabelScale::from_labels(plain);
    assert_eq!(scale.scale(), SurveyScale::Numeric { min: 1.0, max: 7.0 });
    // A 7-point column where one side's middle label was never answered.
    let partial = [
        "Extremely dissatisfied",
        "Slightly dissatisfied",
        "Slightly satisfied",
        "Moderately satisfied",
        "Extremely satisfied",
    ];
    assert_eq!(positions(&partial), ints(&[1, 3, 5, 6, 7]));
    // Two answers seen, but `Slightly` is only ever on a 7-point scale.
    assert_eq!(
        positions(&["Slightly dissatisfied", "Extremely satisfied"]),
        ints(&[3, 7])
    );
}

#[test]
fn quality_scale_with_excellent() {
    let labels = ["Poor", "Fair", "Good", "Very good", "Excellent"];
    assert_eq!(positions(&labels), ints(&[1, 2, 3, 4, 5]));
}

#[test]
fn answers_that_are_no_rating() {
    for t in [
        "",
        "N/A",
        "Unfamiliar (N/A)",
        "Not applicable to me (I do not have a mental illness)",
        "I don't know",
        "offered",
        "Prefer not to say",
    ] {
        assert!(is_unrated(t), "{t}");
    }
    assert!(!is_unrated("Satisfied"));
    assert_eq!(read_lean("Hello World!"), None);
    assert_eq!(read_lean("Maybe"), None);
}

#[test]
fn metadata_is_never_a_rating() {
    for h in [
        "Status",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Last page",
        "Seed",
        "ResponseId",
        "Response ID",
        "#",
        "Network ID",
        "Start language",
        "Total time",
        "Group time: The third group",
        "Question time: yesno",
        "LocationLatitude",
        "Custom Data 1",
    ] {
        assert!(is_metadata(h), "{h}");
    }
    for h in [
        "How satisfied were you?",
        "Q1",
        "Describe yourselves [Openness]",
    ] {
        assert!(!is_metadata(h), "{h}");
    }
}

#[test]
fn headers_that_ask_for_a_rating() {
    for h in [
        "Satisfaction",
        "Rating",
        "How would you rate our support?",
        "How likely are you to recommend us?",
        "CSAT score",
        "Zufriedenheit",
        "Satisfacción",
        "Avaliação do atendimento",
    ] {
        assert!(asks_for_rating(h), "{h}");
    }
    for h in [
        "Status",
        "Q1",
        "Separate issue",
        "Corporate",
        "Describe yourselves [Openness]",
    ] {
        assert!(!asks_for_rating(h), "{h}");
    }
}

#[test]
fn zendesk_good_and_bad_in_both_wordings() {
    assert_eq!(good_bad("Good"), Some(1.0));
    assert_eq!(good_bad("Bad, I'm unsatisfied"), Some(0.0));
    assert_eq!(good_bad("Good, I'm satisfied"), Some(1.0));
    assert_eq!(good_bad("Goodish"), None);
    let (fit, kind) = rating_fitness(&["Good, I'm satisfied", "Bad, I'm unsatisfied", "Offered"]);
    assert_eq!((fit, kind), (1.0, RatingKind::GoodBad));
}
