//! Survey responses in the database: stored in one transaction, read back in
//! columns.

use super::{bind_row, insert_rows, ImportEntry, Store, StoreOutcome};
use crate::error::StoreError;
use crate::model::{Instant, SurveyResponse, SurveyScale};

#[derive(Debug, Clone, Default)]
pub struct SurveyColumns {
    pub source: Vec<String>,
    pub ticket_id: Vec<Option<String>>,
    pub submitted_at: Vec<Instant>,
    pub rating: Vec<f64>,
    pub scale: Vec<SurveyScale>,
    /// The import that stored each response (empty: not read from a store).
    pub import_id: Vec<i64>,
}

/// The columns an import writes, in [`bind_response`]'s order.
const SURVEY_COLUMNS: [&str; 9] = [
    "source",
    "response_key",
    "import_id",
    "ticket_id",
    "submitted_at",
    "rating",
    "scale",
    "comment",
    "respondent",
];

/// Binds one response's values from parameter `at + 1` on.
fn bind_response(
    stmt: &mut rusqlite::CachedStatement<'_>,
    at: usize,
    source: &str,
    import_id: i64,
    r: &SurveyResponse,
) -> Result<(), StoreError> {
    let values: [&dyn rusqlite::ToSql; SURVEY_COLUMNS.len()] = [
        &source,
        &r.response_key,
        &import_id,
        &r.ticket_id,
        &r.submitted_at,
        &r.rating,
        &r.scale.label(),
        &r.comment,
        &r.respondent,
    ];
    bind_row(stmt, at, &values)
}

impl Store {
    /// Stores an import's survey responses in one transaction. `keep_going` is polled with
    /// (responses written, responses) and cancels (nothing stored, `None`)
    /// when it returns false.
    pub fn save_surveys(
        &mut self,
        entry: &ImportEntry,
        responses: &[SurveyResponse],
        imported_at: &str,
        keep_going: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<Option<StoreOutcome>, StoreError> {
        if let Some(existing) = self.find_import(&entry.sha256, "surveys")? {
            return Ok(Some(StoreOutcome::AlreadyImported(existing)));
        }
        let total = responses.len();
        let tx = self.conn.transaction()?;
        let import_id = Store::insert_import(&tx, entry, imported_at)?;
        let written = insert_rows(
            &tx,
            "surveys",
            &SURVEY_COLUMNS,
            responses,
            |stmt, at, r| bind_response(stmt, at, &entry.source, import_id, r),
            |done| keep_going(done, total),
        )?;
        if !written {
            return Ok(None); // the transaction is dropped: rolled back
        }
        tx.commit()?;
        keep_going(total, total);
        Ok(Some(StoreOutcome::Stored(self.import(import_id)?)))
    }

    /// Every stored survey response, in columns.
    pub fn load_surveys(&self) -> Result<SurveyColumns, StoreError> {
        let mut c = SurveyColumns::default();
        let mut stmt = self.conn.prepare(
            "SELECT source, ticket_id, submitted_at, rating, scale, import_id FROM surveys",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            c.source.push(r.get(0)?);
            c.ticket_id.push(r.get(1)?);
            c.submitted_at.push(r.get(2)?);
            c.rating.push(r.get(3)?);
            let label: String = r.get(4)?;
            let scale = SurveyScale::from_label(&label).ok_or(StoreError::Corrupt {
                table: "surveys",
                column: "scale",
                value: label.clone(),
            })?;
            c.scale.push(scale);
            c.import_id.push(r.get(5)?);
        }
        Ok(c)
    }

    /// Of the first `sample` responses of a survey import that name a
    /// ticket: (how many, how many name a stored ticket of any source). Each
    /// is one key lookup per ticket source, so that a large import pays
    /// nothing for it.
    pub fn linked_responses(
        &self,
        import_id: i64,
        sample: usize,
    ) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM tickets t
                 WHERE t.source IN (SELECT DISTINCT source FROM imports WHERE kind = 'tickets')
                   AND t.ticket_id = s.ticket_id)), 0)
             FROM (SELECT ticket_id FROM surveys WHERE import_id = ?1 AND ticket_id IS NOT NULL LIMIT ?2) s",
            rusqlite::params![import_id, sample as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(key: usize, rating: f64) -> SurveyResponse {
        SurveyResponse {
            response_key: format!("r{key}"),
            ticket_id: key.is_multiple_of(3).then(|| format!("T{key}")),
            submitted_at: 1_700_000_000_000 + key as i64,
            rating,
            scale: SurveyScale::Numeric { min: 1.0, max: 5.0 },
            comment: None,
            respondent: None,
        }
    }

    /// Written many rows per statement, a later response with a key seen
    /// before (in the same statement, in an earlier one, or in the last
    /// rows) replaces the earlier one, as row by row.
    #[test]
    fn a_later_response_with_the_same_key_replaces_the_earlier_one() {
        let mut store = Store::open_in_memory().expect("db");
        // 100 rows: 3 statements of 32 and 4 single rows; keys repeat at
        // distances 1 (same statement), 40 (next statement) and 99 (last row).
        let mut responses: Vec<SurveyResponse> = (0..100).map(|i| response(i, 1.0)).collect();
        responses[5] = response(4, 2.0);
        responses[50] = response(10, 3.0);
        responses[99] = response(0, 4.0);
        let entry = ImportEntry {
            kind: "surveys".into(),
            source: "s".into(),
            file: "s.csv".into(),
            sha256: "x".into(),
            format: "csv".into(),
            rows_read: 100,
            records: 100,
            rejected: 0,
            mapping: "{}".into(),
            report: "{}".into(),
        };
        let mut seen = Vec::new();
        let outcome = store
            .save_surveys(&entry, &responses, "now", &mut |done, total| {
                seen.push((done, total));
                true
            })
            .expect("save");
        assert!(matches!(outcome, Some(StoreOutcome::Stored(_))));
        assert_eq!(seen.first(), Some(&(0, 100)));
        assert_eq!(seen.last(), Some(&(100, 100)));
        let stored = store.load_surveys().expect("load");
        assert_eq!(stored.rating.len(), 97, "three keys were repeated");
        let rating_of = |key: usize| {
            let at = stored
                .submitted_at
                .iter()
                .position(|&t| t == 1_700_000_000_000 + key as i64)
                .expect("stored");
            stored.rating[at]
        };
        assert_eq!((rating_of(4), rating_of(10), rating_of(0)), (2.0, 3.0, 4.0));
        assert_eq!(rating_of(7), 1.0);
        assert_eq!(stored.import_id.len(), 97);
    }
}
