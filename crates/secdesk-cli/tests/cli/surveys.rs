//! CSAT and NPS of imported survey responses, as `secdesk metrics` reports them.

use crate::helpers::*;

#[test]
fn nps_and_csat_follow_the_contract() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("nps.csv");
    // 0–10: promoters 9, 10, 10; passive 7, 8; detractors 0, 6 → (3 − 2)/7 = 14.2857 points.
    std::fs::write(
        &p,
        "submitted,How likely are you to recommend us? (0-10)\n2025-01-01,9\n2025-01-01,10\n2025-01-02,10\n2025-01-02,7\n2025-01-03,8\n2025-01-03,0\n2025-01-04,6\n",
    )
    .expect("write");
    let (_d, db) = temp_db();
    let o = run(&db, &["import", "surveys", p.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = metrics_json(&db, &[]);
    let nps = v["overall"]["nps"].as_f64().expect("nps");
    assert!((nps - 100.0 / 7.0).abs() < 1e-9, "{nps}");
    // Satisfied on 0–10: ≥ 8 → 9, 10, 10, 8 = 4/7.
    let share = v["overall"]["csat"]["satisfied_share"]
        .as_f64()
        .expect("share");
    assert!((share - 4.0 / 7.0).abs() < 1e-9);
    let mean5 = v["overall"]["csat"]["mean_rating_5"]
        .as_f64()
        .expect("mean");
    assert!((mean5 - (1.0 + 4.0 * (50.0 / 7.0) / 10.0)).abs() < 1e-9);
}
