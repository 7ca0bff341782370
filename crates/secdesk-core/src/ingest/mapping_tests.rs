//! Header mapping of the vendor layouts, overrides and missing columns.
use super::*;

fn headers(s: &str) -> Vec<String> {
    s.split(',').map(|h| h.trim().to_string()).collect()
}

#[test]
fn zendesk_headers_map_and_detect() {
    let h = headers("Id,Requester,Requester email,Assignee,Group,Subject,Status,Priority,Via,Created at,Updated at,Solved at,Reopens,Replies,First reply time in minutes");
    let n: Vec<String> = h.iter().map(|x| normalize_header(x)).collect();
    let f = TicketFormat::detect(&n);
    assert_eq!(f, TicketFormat::Zendesk);
    let m = ColumnMapping::for_headers("z.csv", &h, f, &[]).expect("maps");
    assert_eq!(m.column(TicketField::TicketId), Some(0));
    assert_eq!(m.column(TicketField::Requester), Some(1));
    assert_eq!(m.column(TicketField::Team), Some(4));
    assert_eq!(m.column(TicketField::Channel), Some(8));
    assert_eq!(m.column(TicketField::ResolvedAt), Some(11));
    assert_eq!(m.column(TicketField::FollowUps), Some(13));
    assert_eq!(m.column(TicketField::FirstResponseMinutes), Some(14));
    assert!(m.ignored.contains(&"Subject".to_string()));
}

#[test]
fn glpi_french_headers() {
    let h: Vec<String> = [
        "ID",
        "Titre",
        "Statut",
        "Priorité",
        "Demandeur - Demandeur",
        "Attribué à - Technicien",
        "Attribué à - Groupe de techniciens",
        "Date d'ouverture",
        "Dernière modification",
        "Suivis - Nombre de suivis",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let n: Vec<String> = h.iter().map(|x| normalize_header(x)).collect();
    let f = TicketFormat::detect(&n);
    assert_eq!(f, TicketFormat::Glpi);
    let m = ColumnMapping::for_headers("g.csv", &h, f, &[]).expect("maps");
    assert_eq!(m.column(TicketField::CreatedAt), Some(7));
    assert_eq!(m.column(TicketField::Assignee), Some(5));
    assert_eq!(m.column(TicketField::Team), Some(6));
    assert_eq!(m.column(TicketField::FollowUps), Some(9));
    assert_eq!(m.column(TicketField::Priority), Some(3));
}

#[test]
fn overrides_and_missing_columns() {
    let h = headers("Ref,When,What");
    let err = ColumnMapping::for_headers("x.csv", &h, TicketFormat::Generic, &[])
        .expect_err("no created");
    assert!(err.to_string().contains("created_at"));
    assert!(err.to_string().contains("Ref, When, What"));
    let m = ColumnMapping::for_headers(
        "x.csv",
        &h,
        TicketFormat::Generic,
        &[("created_at".into(), "When".into())],
    )
    .expect("ok");
    assert_eq!(m.column(TicketField::CreatedAt), Some(1));
    assert!(ColumnMapping::for_headers(
        "x.csv",
        &h,
        TicketFormat::Generic,
        &[("nope".into(), "When".into())]
    )
    .is_err());
}
