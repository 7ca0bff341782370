//! What the snapshot keeps of one business calendar: each ticket's reading
//! of the business clock (creation, first response, resolution) and the
//! tickets' order by each duration. Computing them is most of a first
//! computation's work; they depend only on the tickets, the latest instant
//! and the calendar and zone, so the first computation of the data under a
//! calendar writes them beside the frames and the next open reads them.
//!
//! They are read only when the snapshot's tickets are the data's (its
//! manifest matched when the dataset was opened), the calendar and zone
//! are the ones asked for and the latest instant is the dataset's; every
//! byte is checked as the frames' are, and every position and group of an
//! order is checked against the data. Otherwise they are computed, as
//! without a snapshot: the numbers are the same either way (a test
//! compares them).

use std::collections::BTreeMap;
use std::path::PathBuf;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::{BusinessTimes, Dataset, DurationOrders};
use super::families::ORDERED_FAMILIES;
use super::order::{DurationOrder, KeptArray};
use super::snapshot::{
    parse_manifest, read_part, remove_others, write_frame, write_manifest, Part, MANIFEST,
};
use crate::model::Instant;
use crate::store::DataGeneration;

/// The columns of each ticket's business-clock readings, as
/// [`BusinessTimes::columns`] begins.
pub(super) const READINGS: [&str; 3] = ["b_created", "b_fr", "b_res"];

/// A calendar's files, as the manifest names them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub(super) struct CalendarPart {
    /// The calendar and zone ([`super::rows::calendar_key`]).
    pub(super) key: String,
    /// The dataset's latest instant when they were computed (the clock runs
    /// to it; durations are taken at it).
    pub(super) latest: Option<Instant>,
    /// The tickets' generation they were computed from.
    pub(super) tickets_generation: i64,
    pub(super) readings: Part,
    /// One file per duration ordered by, named after its column.
    pub(super) orders: Vec<Part>,
}

impl CalendarPart {
    /// Whether these files hold what a dataset of `tickets_generation` and
    /// `latest` computes under the calendar `key`.
    pub(super) fn holds(
        &self,
        key: &str,
        tickets_generation: i64,
        latest: Option<Instant>,
    ) -> bool {
        self.key == key && self.computed_from(tickets_generation, latest)
    }

    /// Whether they were computed from those tickets at that latest instant
    /// (under their own calendar).
    pub(super) fn computed_from(&self, tickets_generation: i64, latest: Option<Instant>) -> bool {
        self.tickets_generation == tickets_generation && self.latest == latest
    }
}

/// The snapshot a dataset was read from or written to.
#[derive(Clone)]
pub(super) struct Link {
    pub(super) dir: PathBuf,
    /// The data generation the snapshot's manifest names.
    pub(super) data: DataGeneration,
    /// Its calendar's files, if any.
    pub(super) calendar: Option<CalendarPart>,
}

impl Dataset {
    /// The snapshot this data was read from or written to.
    pub(super) fn snapshot_link(&self) -> Option<Link> {
        self.snapshot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(super) fn set_snapshot_link(&self, link: Option<Link>) {
        *self
            .snapshot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = link;
    }

    /// The calendar files of this dataset's snapshot, when they hold `key`.
    fn kept_part(&self, key: &str) -> Option<(PathBuf, CalendarPart)> {
        let link = self.snapshot_link()?;
        let part = link
            .calendar
            .filter(|c| c.holds(key, link.data.tickets_generation, self.latest))?;
        Some((link.dir, part))
    }

    /// The business-clock readings the snapshot keeps for `key`, if it does
    /// and they read (`None`: they are computed).
    pub(super) fn kept_readings(&self, key: &str) -> Option<[Series; 3]> {
        let (dir, part) = self.kept_part(key)?;
        let read = || -> Option<[Series; 3]> {
            let frame = read_part(&dir, &part.readings).ok()?;
            if frame.height() != self.tickets.height() {
                return None;
            }
            let column = |name: &str| -> Option<Series> {
                let c = frame.column(name).ok()?;
                (c.dtype() == &DataType::Int64).then(|| c.as_materialized_series().clone())
            };
            Some([
                column(READINGS[0])?,
                column(READINGS[1])?,
                column(READINGS[2])?,
            ])
        };
        self.unless_damaged(read())
    }

    /// The duration orders the snapshot keeps for `key`, if it does and
    /// they read.
    pub(super) fn kept_orders(&self, key: &str) -> Option<DurationOrders> {
        let (dir, part) = self.kept_part(key)?;
        let read = || -> Option<BTreeMap<&'static str, DurationOrder>> {
            // Each file read and decoded before the next is read.
            let mut by_column = BTreeMap::new();
            for column in ordered_columns() {
                let file = part.orders.iter().find(|p| p.name == column)?;
                let frame = read_part(&dir, file).ok()?;
                by_column.insert(
                    column,
                    order_from_frame(&frame, self.tickets.height()).ok()?,
                );
            }
            Some(by_column)
        };
        let by_column = self.unless_damaged(read())?;
        Some(DurationOrders {
            key: key.to_string(),
            by_column,
        })
    }

    /// `read`, or (files the manifest names that do not read) `None` with
    /// the calendar forgotten, so that the computation writes it again.
    fn unless_damaged<T>(&self, read: Option<T>) -> Option<T> {
        if read.is_none() {
            if let Some(link) = self.snapshot_link() {
                self.set_snapshot_link(Some(Link {
                    calendar: None,
                    ..link
                }));
            }
        }
        read
    }

    /// Writes the readings and orders of a calendar into this dataset's
    /// snapshot, when it is still the data's and does not hold them yet
    /// (the first computation under a calendar; later opens read them).
    /// `Ok` when nothing was to be written.
    pub(super) fn keep_calendar(
        &self,
        business: &BusinessTimes,
        orders: &DurationOrders,
    ) -> Result<(), String> {
        let Some(link) = self.snapshot_link() else {
            return Ok(());
        };
        let tickets_generation = link.data.tickets_generation;
        if link
            .calendar
            .as_ref()
            .is_some_and(|c| c.holds(&orders.key, tickets_generation, self.latest))
        {
            return Ok(());
        }
        let dir = &link.dir;
        let text = std::fs::read(dir.join(MANIFEST)).map_err(|e| e.to_string())?;
        let manifest = parse_manifest(&text)?;
        if manifest.data != link.data {
            return Err("the snapshot was written again since it was read".into());
        }
        let io = |e: std::io::Error| format!("{}: {e}", dir.display());
        // Named by the tickets' generation and the calendar (written whole,
        // then renamed): a reader that finds other bytes under a name than
        // its manifest says computes them instead.
        let tag = format!(
            "t{tickets_generation}-c{:08x}",
            crc32fast::hash(orders.key.as_bytes())
        );
        let readings = DataFrame::new_infer_height(
            business.columns[..READINGS.len()]
                .iter()
                .map(|s| s.clone().into_column())
                .collect(),
        )
        .map_err(|e| e.to_string())?;
        let readings =
            write_frame(dir, "readings", format!("{tag}-readings.arrow"), &readings).map_err(io)?;
        let mut orders_part = Vec::with_capacity(orders.by_column.len());
        for (column, order) in &orders.by_column {
            let frame = order_frame(order).map_err(|e| e.to_string())?;
            let file = format!("{tag}-{column}.arrow");
            orders_part.push(write_frame(dir, column, file, &frame).map_err(io)?);
        }
        let calendar = CalendarPart {
            key: orders.key.clone(),
            latest: self.latest,
            tickets_generation,
            readings,
            orders: orders_part,
        };
        let mut manifest = manifest;
        manifest.calendar = Some(calendar.clone());
        write_manifest(dir, &manifest).map_err(io)?;
        remove_others(dir, &manifest).map_err(io)?;
        self.set_snapshot_link(Some(Link {
            calendar: Some(calendar),
            ..link
        }));
        Ok(())
    }
}

/// The duration columns the tickets are ordered by: each duration of the
/// created and resolved cohorts.
pub(super) fn ordered_columns() -> impl Iterator<Item = &'static str> {
    ORDERED_FAMILIES
        .into_iter()
        .flat_map(|family| family.durations.iter().map(|(value, _)| *value))
}

/// A duration order as the rows of a frame, one per array
/// ([`DurationOrder::to_arrays`]).
fn order_frame(order: &DurationOrder) -> PolarsResult<DataFrame> {
    let arrays = order.to_arrays();
    let bytes: Vec<&[u8]> = arrays.iter().map(|a| a.bytes.as_slice()).collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            "array".into(),
            arrays.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "width".into(),
            arrays.iter().map(|a| a.width).collect::<Vec<_>>(),
        ),
        Column::new(
            "count".into(),
            arrays.iter().map(|a| a.count).collect::<Vec<_>>(),
        ),
        Column::new(
            "offset".into(),
            arrays.iter().map(|a| a.offset).collect::<Vec<_>>(),
        ),
        Column::new("bytes".into(), bytes),
    ])
}

/// [`order_frame`] read back, checked against a dataset of `tickets` tickets.
fn order_from_frame(frame: &DataFrame, tickets: usize) -> Result<DurationOrder, String> {
    let e = |e: PolarsError| e.to_string();
    let name = frame.column("array").map_err(e)?.str().map_err(e)?;
    let width = frame.column("width").map_err(e)?.u32().map_err(e)?;
    let count = frame.column("count").map_err(e)?.u64().map_err(e)?;
    let offset = frame.column("offset").map_err(e)?.i64().map_err(e)?;
    let bytes = frame.column("bytes").map_err(e)?.binary().map_err(e)?;
    let arrays = (0..frame.height())
        .map(|i| {
            let missing = || format!("an order's array {i} is incomplete");
            Ok(KeptArray {
                name: name.get(i).ok_or_else(missing)?.to_string(),
                width: width.get(i).ok_or_else(missing)?,
                count: count.get(i).ok_or_else(missing)?,
                offset: offset.get(i).ok_or_else(missing)?,
                bytes: bytes.get(i).ok_or_else(missing)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    DurationOrder::from_arrays(&arrays, tickets)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::calendar::{BusinessCalendar, SourceZone};
    use crate::metrics::rollup::compute;
    use crate::metrics::rows::calendar_key;
    use crate::metrics::snapshot::snapshot_dir;
    use crate::metrics::testdata::{import_tickets, sample_store};
    use crate::metrics::{MetricsConfig, Opened, SnapshotUse};
    use crate::store::Store;

    /// Generated tickets plus an event log (first responses, resolutions, waits).
    fn store(name: &str) -> (Store, PathBuf) {
        let (mut store, dir) = sample_store(name, 1_500, 5);
        let events =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/sla/events.csv");
        import_tickets(&mut store, &events, Some("servicenow"));
        (store, dir)
    }

    fn open(store: &Store) -> Dataset {
        let (ds, opened) = Dataset::open_with(store, SnapshotUse::ReadWrite).expect("open");
        assert_eq!(opened, Opened::Snapshot);
        ds
    }

    fn manifest_calendar(dir: &Path) -> Option<CalendarPart> {
        let text = std::fs::read(snapshot_dir(&dir.join("db")).join(MANIFEST)).expect("manifest");
        parse_manifest(&text).expect("parse").calendar
    }

    /// Every array of every order, to compare two sets of orders.
    fn arrays(orders: &DurationOrders) -> Vec<(&'static str, Vec<KeptArray>)> {
        orders
            .by_column
            .iter()
            .map(|(column, o)| (*column, o.to_arrays()))
            .collect()
    }

    /// What a dataset without a snapshot computes under `cfg`: the readings
    /// and the orders' arrays.
    fn computed(
        store: &Store,
        cfg: &MetricsConfig,
    ) -> ([Series; 3], Vec<(&'static str, Vec<KeptArray>)>) {
        let direct = Dataset::load(store).expect("sqlite");
        let orders = direct.duration_orders(cfg).expect("orders");
        let business = direct
            .business_times(&cfg.calendar, cfg.zone)
            .expect("business");
        (
            [0, 1, 2].map(|i| business.columns[i].clone()),
            arrays(&orders),
        )
    }

    #[test]
    fn the_first_computation_keeps_its_calendar_and_the_next_open_reads_it() {
        let (store, dir) = store("kept-first");
        let cfg = MetricsConfig::default();
        let key = calendar_key(&cfg.calendar, cfg.zone);
        Dataset::open(&store).expect("write the snapshot");
        assert_eq!(manifest_calendar(&dir), None, "nothing computed yet");
        let first = open(&store);
        assert!(first.kept_orders(&key).is_none());
        let report = compute(&first, &cfg).expect("compute");
        let kept = manifest_calendar(&dir).expect("kept by the first computation");
        assert_eq!(kept.key, key);
        assert_eq!(kept.latest, first.latest);
        let again = open(&store);
        let (readings, orders) = computed(&store, &cfg);
        let read = again.kept_readings(&key).expect("readings kept");
        for (kept, computed) in read.iter().zip(&readings) {
            assert!(kept.equals_missing(computed), "{}", kept.name());
        }
        assert_eq!(
            arrays(&again.kept_orders(&key).expect("orders kept")),
            orders
        );
        assert_eq!(compute(&again, &cfg).expect("again"), report);
        let direct = Dataset::load(&store).expect("sqlite");
        assert_eq!(compute(&direct, &cfg).expect("direct"), report);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn another_calendar_a_moved_latest_or_a_damaged_file_is_computed_again() {
        let (store, dir) = store("kept-other");
        let snap = snapshot_dir(&dir.join("db"));
        let cfg = MetricsConfig::default();
        let direct = Dataset::load(&store).expect("sqlite");
        let expected = compute(&direct, &cfg).expect("direct");
        compute(&Dataset::open(&store).expect("open"), &cfg).expect("keep");
        // Another calendar and zone: not read; its computation replaces the
        // files kept, and the first calendar's numbers are computed again.
        let other = MetricsConfig {
            calendar: BusinessCalendar {
                days: vec![1, 2, 3, 4],
                ..BusinessCalendar::default()
            },
            zone: SourceZone::parse("Europe/Paris").expect("zone"),
            ..MetricsConfig::default()
        };
        let other_key = calendar_key(&other.calendar, other.zone);
        let ds = open(&store);
        assert!(ds.kept_orders(&other_key).is_none());
        assert_eq!(
            compute(&ds, &other).expect("other"),
            compute(&direct, &other).expect("direct other")
        );
        assert_eq!(manifest_calendar(&dir).expect("kept").key, other_key);
        let files = std::fs::read_dir(&snap).expect("dir").count();
        assert_eq!(
            files,
            4 + 1 + 1 + ordered_columns().count(),
            "the first calendar's files removed"
        );
        let ds = open(&store);
        assert!(ds.kept_orders(&other_key).is_some());
        assert_eq!(compute(&ds, &cfg).expect("back"), expected);
        // Kept for another latest instant: not read.
        let ds = open(&store);
        let key = calendar_key(&cfg.calendar, cfg.zone);
        let link = ds.snapshot_link().expect("link");
        let mut moved = link.calendar.clone().expect("kept");
        moved.latest = moved.latest.map(|t| t - 1);
        ds.set_snapshot_link(Some(Link {
            calendar: Some(moved),
            ..link
        }));
        assert!(ds.kept_readings(&key).is_none() && ds.kept_orders(&key).is_none());
        // A bit flipped in each file in turn: not read, the numbers computed
        // and the file written again.
        let kept = manifest_calendar(&dir).expect("kept");
        for part in std::iter::once(&kept.readings).chain(&kept.orders) {
            let path = snap.join(&part.file);
            let mut bytes = std::fs::read(&path).expect("read");
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x04;
            std::fs::write(&path, &bytes).expect("flip");
            let ds = open(&store);
            let read = (
                ds.kept_readings(&key).is_some(),
                ds.kept_orders(&key).is_some(),
            );
            assert!(
                read != (true, true),
                "{}: a damaged file was read",
                part.file
            );
            assert_eq!(
                compute(&ds, &cfg).expect("compute"),
                expected,
                "{}",
                part.file
            );
            let ds = open(&store);
            assert!(
                ds.kept_orders(&key).is_some(),
                "{}: written again",
                part.file
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
