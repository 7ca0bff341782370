//! Survey responses in the database: stored in one transaction, read back in
//! columns.

use rusqlite::params;

use super::{ImportEntry, Store, StoreOutcome};
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
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO surveys (source, response_key, import_id, ticket_id, submitted_at, rating, scale, comment, respondent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for (i, r) in responses.iter().enumerate() {
                if i % 4096 == 0 && !keep_going(i, total) {
                    return Ok(None); // the transaction is dropped: rolled back
                }
                ins.execute(params![
                    entry.source,
                    r.response_key,
                    import_id,
                    r.ticket_id,
                    r.submitted_at,
                    r.rating,
                    r.scale.label(),
                    r.comment,
                    r.respondent,
                ])?;
            }
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
