//! The history of report deliveries: one row per `secdesk deliver` run that
//! wrote files (and, when asked, mailed them).

use rusqlite::params;
use serde::Serialize;

use super::Store;
use crate::error::StoreError;
use crate::model::Instant;

/// One delivery, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRecord {
    pub id: i64,
    /// `2026-W47`.
    pub week: String,
    pub delivered_at: Instant,
    pub out_dir: String,
    pub files: Vec<String>,
    pub recipients: Vec<String>,
    /// `written` (no mail asked), `mailed`, or `send-failed`.
    pub status: String,
}

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryRecord> {
    let list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let text: String = r.get(i)?;
        Ok(serde_json::from_str(&text).unwrap_or_default())
    };
    Ok(DeliveryRecord {
        id: r.get(0)?,
        week: r.get(1)?,
        delivered_at: r.get(2)?,
        out_dir: r.get(3)?,
        files: list(4)?,
        recipients: list(5)?,
        status: r.get(6)?,
    })
}

const SELECT: &str =
    "SELECT id, week, delivered_at, out_dir, files, recipients, status FROM deliveries";

impl Store {
    /// Records a delivery; returns its id.
    pub fn record_delivery(
        &self,
        week: &str,
        delivered_at: Instant,
        out_dir: &str,
        files: &[String],
        recipients: &[String],
        status: &str,
    ) -> Result<i64, StoreError> {
        let json = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        self.conn.execute(
            "INSERT INTO deliveries (week, delivered_at, out_dir, files, recipients, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![week, delivered_at, out_dir, json(files), json(recipients), status],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The latest delivery of a week that went out (written, or mailed).
    pub fn delivered(&self, week: &str) -> Result<Option<DeliveryRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE week = ?1 AND status != 'send-failed' ORDER BY id DESC LIMIT 1"
        ))?;
        let mut rows = stmt.query_map(params![week], record)?;
        Ok(rows.next().transpose()?)
    }

    /// The last deliveries, newest first.
    pub fn deliveries(&self, limit: usize) -> Result<Vec<DeliveryRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT} ORDER BY id DESC LIMIT ?1"))?;
        let rows = stmt.query_map(params![limit as i64], record)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_send_does_not_count_as_delivered() {
        let store = Store::open_in_memory().expect("store");
        let files = vec!["a.pdf".to_string()];
        store
            .record_delivery(
                "2026-W47",
                1,
                "/out",
                &files,
                &["m@x".into()],
                "send-failed",
            )
            .expect("record");
        assert_eq!(store.delivered("2026-W47").expect("read"), None);
        store
            .record_delivery("2026-W47", 2, "/out", &files, &[], "written")
            .expect("record");
        let d = store
            .delivered("2026-W47")
            .expect("read")
            .expect("delivered");
        assert_eq!(
            (d.delivered_at, d.files, d.status.as_str()),
            (2, files, "written")
        );
        assert_eq!(store.deliveries(10).expect("list").len(), 2);
    }
}
