//! The ticket frame built row by row from stored tickets: texts into polars
//! string columns, dimensions as dictionary codes, the rows in cell order.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::cells::{CellOrder, DimensionEncoder};
use super::dataset::Dataset;
use super::DIMENSIONS;
use crate::error::MetricsError;
use crate::model::Instant;
use crate::store::{SourceRows, StoredTicket};

/// A dimension's text at each row, gathered from its dictionary by code
/// (an out-of-range code is an error).
pub(super) fn dimension_text(
    dim: &str,
    dictionary: &[String],
    codes: &UInt32Chunked,
) -> Result<Column, MetricsError> {
    let values = StringChunked::from_iter_values(dim.into(), dictionary.iter().map(String::as_str));
    Ok(values.take(codes)?.into_series().into_column())
}

impl Dataset {
    /// Each dimension's text, gathered from its dictionary by code where a
    /// plan reads it (a plan that does not read it does not gather it).
    pub(super) fn text_exprs(&self) -> Vec<Expr> {
        DIMENSIONS
            .iter()
            .map(|&dim| {
                let dictionary: Arc<[String]> = self
                    .dictionaries
                    .get(dim)
                    .cloned()
                    .unwrap_or_default()
                    .into();
                col(Dataset::code_column(dim).as_str())
                    .map(
                        move |codes| {
                            dimension_text(dim, &dictionary, codes.u32()?)
                                .map_err(|e| PolarsError::ComputeError(e.to_string().into()))
                        },
                        move |_, _| Ok(Field::new(dim.into(), DataType::String)),
                    )
                    .alias(dim)
            })
            .collect()
    }
}

/// Builds the ticket frame row by row, straight from borrowed rows: texts
/// into polars string columns, dimensions as dictionary codes (their texts
/// are gathered from the dictionaries by the computations that read them).
pub(super) struct TicketFrameBuilder {
    pub(super) source: StringChunkedBuilder,
    pub(super) ticket_id: StringChunkedBuilder,
    pub(super) status: StringChunkedBuilder,
    pub(super) requester: StringChunkedBuilder,
    pub(super) created: Vec<Instant>,
    pub(super) first_response_at: Vec<Option<Instant>>,
    pub(super) resolved_at: Vec<Option<Instant>>,
    pub(super) last_update_at: Vec<Option<Instant>>,
    pub(super) dimensions: [DimensionEncoder; 6],
    pub(super) reopen_count: Vec<i64>,
    pub(super) follow_ups: Vec<Option<i64>>,
    pub(super) affected_users: Vec<i64>,
    pub(super) reassignments: Vec<Option<i64>>,
    /// Total waiting time a vendor column gives (ms).
    pub(super) paused_ms: Vec<Option<i64>>,
    pub(super) knowledge: Vec<Option<bool>>,
    /// What each ticket's export measures: first response, reopens, last update.
    pub(super) measured: [Vec<bool>; 3],
    pub(super) latest: Option<Instant>,
    /// Per source: its tickets and the latest import that stored one.
    pub(super) sources: Vec<SourceRows>,
}

impl TicketFrameBuilder {
    pub(super) fn new(capacity: usize) -> TicketFrameBuilder {
        let text = |name: &str| StringChunkedBuilder::new(name.into(), capacity);
        TicketFrameBuilder {
            source: text("source"),
            ticket_id: text("ticket_id"),
            status: text("status"),
            requester: text("requester"),
            created: Vec::with_capacity(capacity),
            first_response_at: Vec::with_capacity(capacity),
            resolved_at: Vec::with_capacity(capacity),
            last_update_at: Vec::with_capacity(capacity),
            dimensions: Default::default(),
            reopen_count: Vec::with_capacity(capacity),
            follow_ups: Vec::with_capacity(capacity),
            affected_users: Vec::with_capacity(capacity),
            reassignments: Vec::with_capacity(capacity),
            paused_ms: Vec::with_capacity(capacity),
            knowledge: Vec::with_capacity(capacity),
            measured: std::array::from_fn(|_| Vec::with_capacity(capacity)),
            latest: None,
            sources: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, t: StoredTicket<'_>) {
        let latest = [
            Some(t.created_at),
            t.first_response_at,
            t.resolved_at,
            t.closed_at,
            t.last_update_at,
        ]
        .into_iter()
        .flatten()
        .chain(self.latest)
        .max();
        self.latest = latest;
        SourceRows::tally(&mut self.sources, t.source, 1, t.import_id);
        self.source.append_value(t.source);
        self.ticket_id.append_value(t.ticket_id);
        self.status.append_value(t.status);
        self.requester.append_option(t.requester);
        self.created.push(t.created_at);
        self.first_response_at.push(t.first_response_at);
        self.resolved_at.push(t.resolved_at);
        self.last_update_at.push(t.last_update_at);
        let dims = [
            t.priority,
            t.category,
            t.team,
            t.assignee,
            t.department,
            t.channel,
        ];
        for (encoder, value) in self.dimensions.iter_mut().zip(dims) {
            encoder.push(value);
        }
        self.reopen_count.push(t.reopen_count);
        self.follow_ups.push(t.follow_ups);
        self.affected_users.push(t.affected_users);
        self.reassignments.push(t.reassignment_count);
        self.paused_ms.push(t.paused_ms);
        self.knowledge.push(t.knowledge);
        let m = t.measures;
        for (column, known) in
            self.measured
                .iter_mut()
                .zip([m.first_response, m.reopens, m.last_update])
        {
            column.push(known);
        }
    }

    /// Appends the tickets another builder read (they follow this one's).
    pub(super) fn append(&mut self, other: TicketFrameBuilder) {
        for s in &other.sources {
            SourceRows::tally(&mut self.sources, &s.source, s.rows, s.latest_import);
        }
        let texts = [
            (&mut self.source, other.source),
            (&mut self.ticket_id, other.ticket_id),
            (&mut self.status, other.status),
            (&mut self.requester, other.requester),
        ];
        for (mine, theirs) in texts {
            for v in theirs.finish().iter() {
                mine.append_option(v);
            }
        }
        self.created.extend(other.created);
        self.first_response_at.extend(other.first_response_at);
        self.resolved_at.extend(other.resolved_at);
        self.last_update_at.extend(other.last_update_at);
        for (mine, theirs) in self.dimensions.iter_mut().zip(other.dimensions) {
            mine.append(theirs);
        }
        self.reopen_count.extend(other.reopen_count);
        self.follow_ups.extend(other.follow_ups);
        self.affected_users.extend(other.affected_users);
        self.reassignments.extend(other.reassignments);
        self.paused_ms.extend(other.paused_ms);
        self.knowledge.extend(other.knowledge);
        for (mine, theirs) in self.measured.iter_mut().zip(other.measured) {
            mine.extend(theirs);
        }
        self.latest = self.latest.max(other.latest);
    }

    /// The same rows in key order (source, then ticket id, as the store
    /// reads them back), or `None` when a key repeats (a later row replaced
    /// an earlier one in the store).
    pub(super) fn in_key_order(mut self) -> Result<Option<TicketFrameBuilder>, MetricsError> {
        let height = self.created.len();
        let take = |b: &mut StringChunkedBuilder, name: &str| {
            std::mem::replace(b, StringChunkedBuilder::new(name.into(), 0)).finish()
        };
        let sources = take(&mut self.source, "source");
        let ids = take(&mut self.ticket_id, "ticket_id");
        let keys: Vec<(&str, &str)> = sources
            .iter()
            .map(Option::unwrap_or_default)
            .zip(ids.iter().map(Option::unwrap_or_default))
            .collect();
        let mut order: Option<Vec<u32>> = None;
        if !keys.windows(2).all(|w| w[0] < w[1]) {
            let mut o: Vec<u32> = (0..height as u32).collect();
            o.sort_unstable_by_key(|&i| keys[i as usize]);
            if o.windows(2)
                .any(|w| keys[w[0] as usize] == keys[w[1] as usize])
            {
                return Ok(None);
            }
            order = Some(o);
        }
        drop(keys);
        let Some(order) = order else {
            // Already in key order (exports are often sorted by id).
            self.source = rebuilt(&sources, "source");
            self.ticket_id = rebuilt(&ids, "ticket_id");
            return Ok(Some(self));
        };
        let idx = IdxCa::from_vec(
            "order".into(),
            order.iter().map(|&i| i as IdxSize).collect(),
        );
        let status = take(&mut self.status, "status");
        let requester = take(&mut self.requester, "requester");
        let mut dimensions: [DimensionEncoder; 6] = Default::default();
        for (mine, theirs) in dimensions.iter_mut().zip(self.dimensions) {
            *mine = DimensionEncoder {
                codes: permuted(&theirs.codes, &order),
                last: None,
                ..theirs
            };
        }
        Ok(Some(TicketFrameBuilder {
            source: rebuilt(&sources.take(&idx)?, "source"),
            ticket_id: rebuilt(&ids.take(&idx)?, "ticket_id"),
            status: rebuilt(&status.take(&idx)?, "status"),
            requester: rebuilt(&requester.take(&idx)?, "requester"),
            created: permuted(&self.created, &order),
            first_response_at: permuted(&self.first_response_at, &order),
            resolved_at: permuted(&self.resolved_at, &order),
            last_update_at: permuted(&self.last_update_at, &order),
            dimensions,
            reopen_count: permuted(&self.reopen_count, &order),
            follow_ups: permuted(&self.follow_ups, &order),
            affected_users: permuted(&self.affected_users, &order),
            reassignments: permuted(&self.reassignments, &order),
            paused_ms: permuted(&self.paused_ms, &order),
            knowledge: permuted(&self.knowledge, &order),
            measured: self.measured.map(|m| permuted(&m, &order)),
            latest: self.latest,
            sources: self.sources,
        }))
    }

    /// The ticket frame, the dimensions' dictionaries, the latest instant
    /// and the tickets per source (sorted by source).
    #[allow(clippy::type_complexity)]
    pub(super) fn finish(
        mut self,
    ) -> Result<
        (
            DataFrame,
            BTreeMap<&'static str, Vec<String>>,
            Option<Instant>,
            Vec<SourceRows>,
        ),
        MetricsError,
    > {
        let mut sources = std::mem::take(&mut self.sources);
        sources.sort_by(|a, b| a.source.cmp(&b.source));
        let height = self.created.len();
        let mut dictionaries = BTreeMap::new();
        let mut encoders = self.dimensions.into_iter();
        let codes = DIMENSIONS.map(|dim| {
            let (dictionary, codes) = encoders
                .next()
                .map(DimensionEncoder::finish)
                .unwrap_or_default();
            dictionaries.insert(dim, dictionary);
            codes
        });
        // Tickets in cell order: the grouped sums of a cohort then read
        // contiguous slices.
        let cells = CellOrder::new(&codes, height);
        drop(codes);
        let mut code_columns = Vec::new();
        for (d, dim) in DIMENSIONS.into_iter().enumerate() {
            let codes =
                UInt32Chunked::from_iter_options(Dataset::code_column(dim).into(), cells.codes(d));
            code_columns.push(codes.into_series().into_column());
        }
        let [fr_known, reopen_known, lu_known] = self.measured;
        let rest = DataFrame::new(
            height,
            vec![
                self.source.finish().into_series().into_column(),
                self.ticket_id.finish().into_series().into_column(),
                Column::new("created".into(), self.created),
                Column::new("first_response_at".into(), self.first_response_at),
                Column::new("resolved_at".into(), self.resolved_at),
                Column::new("last_update_at".into(), self.last_update_at),
                self.status.finish().into_series().into_column(),
                self.requester.finish().into_series().into_column(),
                Column::new("reopen_count".into(), self.reopen_count),
                Column::new("follow_ups".into(), self.follow_ups),
                Column::new("affected_users".into(), self.affected_users),
                Column::new("reassignments".into(), self.reassignments),
                Column::new("paused_ms".into(), self.paused_ms),
                Column::new("knowledge".into(), self.knowledge),
                Column::new("fr_known".into(), fr_known),
                Column::new("reopen_known".into(), reopen_known),
                Column::new("lu_known".into(), lu_known),
            ],
        )?
        .take(&IdxCa::from_vec("order".into(), cells.order))?;
        let mut cell = UInt32Chunked::from_vec("cell".into(), cells.cells);
        cell.set_sorted_flag(polars::series::IsSorted::Ascending);
        let mut columns = vec![Column::new(
            "tid".into(),
            (0..height as u32).collect::<Vec<u32>>(),
        )];
        columns.extend(rest.into_columns());
        columns.extend(code_columns);
        columns.push(cell.into_series().into_column());
        Ok((
            DataFrame::new(height, columns)?,
            dictionaries,
            self.latest,
            sources,
        ))
    }
}

/// `values` at each position of `order`.
fn permuted<T: Copy>(values: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&i| values[i as usize]).collect()
}

/// A string builder holding `values` (to go on building from them).
fn rebuilt(values: &StringChunked, name: &str) -> StringChunkedBuilder {
    let mut b = StringChunkedBuilder::new(name.into(), values.len());
    for v in values.iter() {
        b.append_option(v);
    }
    b
}
