//! Exact grouped quantiles of a duration over many groupings at once.
//!
//! Polars computes a grouped quantile by gathering each group's values and
//! selecting in them, once per grouping and quantile. The tickets' order by a
//! duration does not depend on the filters, so [`DurationOrder`] sorts them
//! once per dataset and calendar and keeps, for every position in that order,
//! the group of each grouping. A computation then only marks which tickets
//! count and reads each group's ranks in one pass per grouping: the values of
//! a group, visited in sorted order, are its sorted values.

use polars::prelude::*;

/// The group at each position of [`DurationOrder::rows`], in the narrowest
/// integers that hold the grouping's groups (a dimension has a few dozen
/// values, a year of weeks 53): a quarter of the memory of `u32`s.
enum Groups {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Groups {
    fn new(groups: impl Iterator<Item = u32>, count: usize) -> Groups {
        if count <= 1 << 8 {
            Groups::U8(groups.map(|g| g as u8).collect())
        } else if count <= 1 << 16 {
            Groups::U16(groups.map(|g| g as u16).collect())
        } else {
            Groups::U32(groups.collect())
        }
    }

    /// Bytes per group number.
    fn width(&self) -> u32 {
        match self {
            Groups::U8(_) => 1,
            Groups::U16(_) => 2,
            Groups::U32(_) => 4,
        }
    }

    fn len(&self) -> usize {
        match self {
            Groups::U8(g) => g.len(),
            Groups::U16(g) => g.len(),
            Groups::U32(g) => g.len(),
        }
    }

    /// The largest group number.
    fn max(&self) -> Option<u32> {
        match self {
            Groups::U8(g) => g.iter().max().map(|&v| v.into()),
            Groups::U16(g) => g.iter().max().map(|&v| v.into()),
            Groups::U32(g) => g.iter().max().copied(),
        }
    }

    /// The group numbers, little-endian.
    fn to_le_bytes(&self) -> Vec<u8> {
        match self {
            Groups::U8(g) => g.clone(),
            Groups::U16(g) => le_bytes(g, |v| v.to_le_bytes()),
            Groups::U32(g) => le_bytes(g, |v| v.to_le_bytes()),
        }
    }

    /// [`Groups::to_le_bytes`] read back (`None`: not a width written).
    fn from_le_bytes(width: u32, bytes: &[u8]) -> Option<Groups> {
        Some(match width {
            1 => Groups::U8(bytes.to_vec()),
            2 => Groups::U16(
                bytes
                    .chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
                    .collect(),
            ),
            4 => Groups::U32(le_u32s(bytes)),
            _ => return None,
        })
    }
}

/// `values` as bytes, each as `bytes` gives it (into one allocation).
fn le_bytes<T: Copy, const N: usize>(values: &[T], bytes: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * N);
    for &v in values {
        out.extend_from_slice(&bytes(v));
    }
    out
}

fn le_u32s(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// How a grouping's groups map back to the key polars would give them.
struct Grouping {
    groups: Groups,
    /// Number of groups, the null group included (it is the last).
    count: usize,
    /// Key of group `g`: `g + offset` (the null group has no key).
    offset: i64,
}

impl Grouping {
    fn key(&self, group: usize) -> Option<i64> {
        (group + 1 < self.count).then(|| group as i64 + self.offset)
    }
}

/// A group's key (`None`: no value in the grouping) and its quantiles.
pub(super) type GroupQuantiles = (Option<i64>, Vec<f64>);

/// The tickets that have a duration, ordered by it, with their groups.
pub(super) struct DurationOrder {
    /// Ticket positions by ascending duration (tickets without one left out).
    rows: Vec<u32>,
    /// The duration at each position.
    values: Vec<f64>,
    groupings: Vec<Grouping>,
}

/// One array of a [`DurationOrder`] as it is kept in a file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeptArray<B = Vec<u8>> {
    /// `rows`, `values` or `groups`.
    pub(super) name: String,
    /// Bytes per value.
    pub(super) width: u32,
    /// Of groups: how many (the null group included) and the key of group 0.
    pub(super) count: u64,
    pub(super) offset: i64,
    pub(super) bytes: B,
}

/// The key columns a [`DurationOrder`] groups by.
pub(super) enum KeyColumn<'a> {
    /// Dictionary codes `0..size` (null: no value).
    Codes(&'a UInt32Chunked, usize),
    /// Week indexes.
    Weeks(&'a Int64Chunked),
}

/// Key columns as each ticket's group number, worked out once for all the
/// durations ordered by the same keys.
pub(super) struct GroupKeys {
    /// Per key column: the group of each ticket, the number of groups (the
    /// null group, last, included) and the key of group 0.
    columns: Vec<(Groups, usize, i64)>,
}

impl GroupKeys {
    pub(super) fn new(keys: &[KeyColumn]) -> GroupKeys {
        let columns = keys
            .iter()
            .map(|key| match key {
                KeyColumn::Codes(codes, size) => {
                    let null = *size as u32;
                    let by_row = codes.iter().map(|c| c.unwrap_or(null));
                    (Groups::new(by_row, size + 1), size + 1, 0)
                }
                KeyColumn::Weeks(weeks) => {
                    let first = weeks.min().unwrap_or(0);
                    let span = weeks.max().map_or(0, |last| (last - first + 1) as usize);
                    let by_row = weeks
                        .iter()
                        .map(|w| w.map_or(span as u32, |w| (w - first) as u32));
                    (Groups::new(by_row, span + 1), span + 1, first)
                }
            })
            .collect();
        GroupKeys { columns }
    }
}

impl Groups {
    /// The groups of `rows`, in that order.
    fn gather(&self, rows: &[u32]) -> Groups {
        fn take<T: Copy>(by_row: &[T], rows: &[u32]) -> Vec<T> {
            rows.iter().map(|&r| by_row[r as usize]).collect()
        }
        match self {
            Groups::U8(g) => Groups::U8(take(g, rows)),
            Groups::U16(g) => Groups::U16(take(g, rows)),
            Groups::U32(g) => Groups::U32(take(g, rows)),
        }
    }
}

/// The rows with a value, in the order of their values (`f64::total_cmp`;
/// equal values in row order), and those values: a radix sort of the
/// values' bits, a byte a pass, skipping the bytes every value shares.
fn sorted_by_value(values: &Float64Chunked) -> (Vec<f64>, Vec<u32>) {
    // Unsigned integers in the order `total_cmp` gives the floats.
    let order_key = |v: f64| {
        let b = v.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | 1 << 63
        }
    };
    let mut keys: Vec<u64> = Vec::with_capacity(values.len());
    let mut rows: Vec<u32> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            keys.push(order_key(v));
            rows.push(i as u32);
        }
    }
    let n = keys.len();
    let mut counts = [[0usize; 256]; 8];
    for k in &keys {
        for (byte, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * byte)) & 0xff) as usize] += 1;
        }
    }
    let (mut keys_to, mut rows_to) = (vec![0u64; n], vec![0u32; n]);
    for (byte, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut at = [0usize; 256];
        let mut sum = 0;
        for (slot, count) in at.iter_mut().zip(c) {
            *slot = sum;
            sum += count;
        }
        for (&k, &r) in keys.iter().zip(&rows) {
            let d = ((k >> (8 * byte)) & 0xff) as usize;
            keys_to[at[d]] = k;
            rows_to[at[d]] = r;
            at[d] += 1;
        }
        std::mem::swap(&mut keys, &mut keys_to);
        std::mem::swap(&mut rows, &mut rows_to);
    }
    let values = keys
        .into_iter()
        .map(|k| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k }))
        .collect();
    (values, rows)
}

impl DurationOrder {
    /// Orders the tickets by `values` (one per ticket) and records the group
    /// of every key column at each position.
    #[cfg(test)]
    pub(super) fn new(values: &Float64Chunked, keys: &[KeyColumn]) -> DurationOrder {
        DurationOrder::with_keys(values, &GroupKeys::new(keys))
    }

    /// [`DurationOrder::new`] with the key columns' groups worked out.
    pub(super) fn with_keys(values: &Float64Chunked, keys: &GroupKeys) -> DurationOrder {
        let (values, rows) = sorted_by_value(values);
        let groupings = keys
            .columns
            .iter()
            .map(|(by_row, count, offset)| Grouping {
                groups: by_row.gather(&rows),
                count: *count,
                offset: *offset,
            })
            .collect();
        DurationOrder {
            rows,
            values,
            groupings,
        }
    }

    /// The order as arrays of little-endian bytes, to be kept in a file: the
    /// positions (`rows`), the durations (`values`), then each grouping's
    /// groups, with their width, number of groups and key offset.
    pub(super) fn to_arrays(&self) -> Vec<KeptArray> {
        let plain = |name: &str, width: u32, bytes: Vec<u8>| KeptArray {
            name: name.to_string(),
            width,
            count: 0,
            offset: 0,
            bytes,
        };
        let mut arrays = vec![
            plain("rows", 4, le_bytes(&self.rows, |r| r.to_le_bytes())),
            plain("values", 8, le_bytes(&self.values, |v| v.to_le_bytes())),
        ];
        arrays.extend(self.groupings.iter().map(|g| KeptArray {
            name: "groups".to_string(),
            width: g.groups.width(),
            count: g.count as u64,
            offset: g.offset,
            bytes: g.groups.to_le_bytes(),
        }));
        arrays
    }

    /// [`DurationOrder::to_arrays`] read back, for a dataset of `tickets`
    /// tickets; every length, position and group is checked (a file that
    /// does not hold an order of these tickets is refused, not indexed).
    pub(super) fn from_arrays<B: AsRef<[u8]>>(
        arrays: &[KeptArray<B>],
        tickets: usize,
    ) -> Result<DurationOrder, String> {
        let [rows, values, groupings @ ..] = arrays else {
            return Err("an order without its positions and values".into());
        };
        let (rows_bytes, values_bytes) = (rows.bytes.as_ref(), values.bytes.as_ref());
        let n = rows_bytes.len() / 4;
        if (rows.name.as_str(), values.name.as_str()) != ("rows", "values")
            || rows_bytes.len() != 4 * n
            || values_bytes.len() != 8 * n
            || n > tickets
        {
            return Err("an order's positions and values do not match".into());
        }
        let rows_read = le_u32s(rows_bytes);
        if rows_read.iter().any(|&r| r as usize >= tickets) {
            return Err("an order names a ticket the data does not have".into());
        }
        let values_read = values_bytes
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        let groupings = groupings
            .iter()
            .map(|a| {
                let groups = Groups::from_le_bytes(a.width, a.bytes.as_ref())
                    .filter(|g| a.name == "groups" && g.len() == n && a.count > 0)
                    .filter(|g| g.max().is_none_or(|m| u64::from(m) < a.count))
                    .ok_or("an order's groups do not match")?;
                Ok(Grouping {
                    groups,
                    count: a.count as usize,
                    offset: a.offset,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(DurationOrder {
            rows: rows_read,
            values: values_read,
            groupings,
        })
    }

    /// The `quantiles` (linear interpolation, as polars computes them) of the
    /// durations of the tickets marked in `member` (indexed by ticket
    /// position): first over all of them, then per group of each key column.
    /// Groups without a marked ticket are left out.
    #[cfg(test)]
    pub(super) fn quantiles(&self, member: &[bool], quantiles: &[f64]) -> Vec<Vec<GroupQuantiles>> {
        let all: Vec<usize> = (0..=self.groupings.len()).collect();
        self.quantiles_of(member, quantiles, &all)
    }

    /// [`DurationOrder::quantiles`] for the groupings `wanted` only, in that
    /// order: 0 is all the marked tickets, `k` the groups of key column `k - 1`.
    pub(super) fn quantiles_of(
        &self,
        member: &[bool],
        quantiles: &[f64],
        wanted: &[usize],
    ) -> Vec<Vec<GroupQuantiles>> {
        // Positions (in duration order) of the marked tickets.
        let marked: Vec<u32> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, &r)| member.get(r as usize).copied().unwrap_or(false))
            .map(|(p, _)| p as u32)
            .collect();
        wanted
            .iter()
            .map(|&k| match k.checked_sub(1) {
                None if marked.is_empty() => Vec::new(),
                None => {
                    let overall: Vec<f64> =
                        marked.iter().map(|&p| self.values[p as usize]).collect();
                    vec![(
                        None,
                        quantiles.iter().map(|q| of_sorted(&overall, *q)).collect(),
                    )]
                }
                Some(g) => self.groupings.get(g).map_or_else(Vec::new, |grouping| {
                    self.grouped(grouping, &marked, quantiles)
                }),
            })
            .collect()
    }

    fn grouped(
        &self,
        grouping: &Grouping,
        marked: &[u32],
        quantiles: &[f64],
    ) -> Vec<GroupQuantiles> {
        match &grouping.groups {
            Groups::U8(groups) => self.grouped_by(groups, grouping, marked, quantiles),
            Groups::U16(groups) => self.grouped_by(groups, grouping, marked, quantiles),
            Groups::U32(groups) => self.grouped_by(groups, grouping, marked, quantiles),
        }
    }

    fn grouped_by<G: Copy + Into<u64>>(
        &self,
        groups: &[G],
        grouping: &Grouping,
        marked: &[u32],
        quantiles: &[f64],
    ) -> Vec<GroupQuantiles> {
        let group = |p: u32| groups[p as usize].into() as usize;
        let mut counts = vec![0u32; grouping.count];
        for &p in marked {
            counts[group(p)] += 1;
        }
        // Per group: the ranks the quantiles read (each quantile's lower and
        // upper rank, ascending), the values found at them, and the next
        // rank to look for.
        let width = 2 * quantiles.len();
        let mut ranks = vec![0u32; grouping.count * width];
        let mut next = vec![u32::MAX; grouping.count];
        for (g, &n) in counts.iter().enumerate().filter(|(_, &n)| n > 0) {
            let wanted = &mut ranks[g * width..(g + 1) * width];
            for (j, q) in quantiles.iter().enumerate() {
                let at = (n as f64 - 1.0) * q;
                wanted[2 * j] = at as u32;
                wanted[2 * j + 1] = at.ceil() as u32;
            }
            next[g] = wanted.iter().copied().min().unwrap_or(u32::MAX);
        }
        let mut found = vec![f64::NAN; grouping.count * width];
        let mut seen = vec![0u32; grouping.count];
        for &p in marked {
            let g = group(p);
            let rank = seen[g];
            seen[g] = rank + 1;
            if rank == next[g] {
                let wanted = &ranks[g * width..(g + 1) * width];
                let mut after = u32::MAX;
                for (k, &r) in wanted.iter().enumerate() {
                    if r == rank {
                        found[g * width + k] = self.values[p as usize];
                    } else if r > rank {
                        after = after.min(r);
                    }
                }
                next[g] = after;
            }
        }
        counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(g, &n)| {
                let values = quantiles
                    .iter()
                    .enumerate()
                    .map(|(j, q)| {
                        let at = (n as f64 - 1.0) * q;
                        let k = g * width + 2 * j;
                        interpolate(found[k], found[k + 1], at as usize, at)
                    })
                    .collect();
                (grouping.key(g), values)
            })
            .collect()
    }
}

/// Quantile `q` of sorted values.
fn of_sorted(sorted: &[f64], q: f64) -> f64 {
    let at = (sorted.len() as f64 - 1.0) * q;
    let lower = at as usize;
    interpolate(sorted[lower], sorted[at.ceil() as usize], lower, at)
}

/// Linear interpolation between the values at ranks `lower` and `lower + 1`,
/// written as polars writes it (so that results agree to the last bit).
fn interpolate(lo: f64, hi: f64, lower: usize, at: f64) -> f64 {
    if lo == hi {
        lo
    } else {
        (at - lower as f64) * (hi - lo) + lo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantile as polars computes it on a column.
    fn polars_quantile(values: &[f64], q: f64) -> f64 {
        Series::new("v".into(), values)
            .f64()
            .expect("f64")
            .quantile(q, QuantileMethod::Linear)
            .expect("quantile")
            .expect("value")
    }

    #[test]
    fn the_radix_order_is_total_cmp_s_with_ties_in_row_order() {
        let specials = [
            -0.0,
            0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            f64::MAX,
            f64::MIN,
            f64::NAN,
            1.5,
            -1.5,
        ];
        let values: Vec<Option<f64>> = (0..5_000u64)
            .map(|i| match i % 13 {
                0 => None,
                1 => Some(specials[(i / 13) as usize % specials.len()]),
                // Spread over many exponents, with repeats.
                k => Some(((i * 7919) % 1_000) as f64 * 10f64.powi(k as i32 - 7) - 3.0),
            })
            .collect();
        let (sorted, rows) = sorted_by_value(&Float64Chunked::new("v".into(), &values));
        let mut expected: Vec<(f64, u32)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (v, i as u32)))
            .collect();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(rows, expected.iter().map(|e| e.1).collect::<Vec<u32>>());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        let expected_values: Vec<f64> = expected.iter().map(|e| e.0).collect();
        assert_eq!(bits(&sorted), bits(&expected_values));
        let (none, no_rows) = sorted_by_value(&Float64Chunked::new("v".into(), &[None::<f64>; 3]));
        assert!(none.is_empty() && no_rows.is_empty());
    }

    #[test]
    fn grouped_quantiles_match_polars_on_every_group() {
        // 200 tickets, values with ties, a null value every 7th, two groupings.
        let values: Vec<Option<f64>> = (0..200u32)
            .map(|i| (i % 7 != 3).then(|| ((i * 37) % 101) as f64 / 4.0))
            .collect();
        let codes: Vec<Option<u32>> = (0..200u32).map(|i| (i % 5 != 0).then_some(i % 3)).collect();
        let weeks: Vec<Option<i64>> = (0..200i64).map(|i| Some(2900 + i % 4)).collect();
        let member: Vec<bool> = (0..200).map(|i| i % 11 != 0).collect();
        let order = DurationOrder::new(
            &Float64Chunked::new("v".into(), &values),
            &[
                KeyColumn::Codes(&UInt32Chunked::new("c".into(), &codes), 3),
                KeyColumn::Weeks(&Int64Chunked::new("w".into(), &weeks)),
            ],
        );
        let qs = [0.5, 0.9];
        let result = order.quantiles(&member, &qs);
        let expect = |keep: &dyn Fn(usize) -> bool| -> Vec<f64> {
            let picked: Vec<f64> = (0..200)
                .filter(|&i| member[i] && keep(i))
                .filter_map(|i| values[i])
                .collect();
            qs.iter().map(|q| polars_quantile(&picked, *q)).collect()
        };
        assert_eq!(result[0], vec![(None, expect(&|_| true))]);
        let by_code: Vec<GroupQuantiles> = vec![
            (Some(0), expect(&|i| codes[i] == Some(0))),
            (Some(1), expect(&|i| codes[i] == Some(1))),
            (Some(2), expect(&|i| codes[i] == Some(2))),
            (None, expect(&|i| codes[i].is_none())),
        ];
        assert_eq!(result[1], by_code);
        let by_week: Vec<GroupQuantiles> = (2900..2904)
            .map(|w| (Some(w), expect(&|i| weeks[i] == Some(w))))
            .collect();
        assert_eq!(result[2], by_week);
        // Some groupings only, in the order asked.
        assert_eq!(
            order.quantiles_of(&member, &qs, &[2, 0]),
            vec![result[2].clone(), result[0].clone()]
        );
    }

    #[test]
    fn wide_groupings_are_kept_in_wider_integers_with_the_same_quantiles() {
        // 2,000 tickets: weeks over 700 (u16 groups), codes of a 70,000-value
        // dictionary (u32 groups).
        let values: Vec<Option<f64>> = (0..2000u32)
            .map(|i| Some(((i * 7919) % 997) as f64))
            .collect();
        let weeks: Vec<Option<i64>> = (0..2000i64).map(|i| Some(100 + (i * 31) % 700)).collect();
        let codes: Vec<Option<u32>> = (0..2000u32).map(|i| Some((i * 37) % 70_000)).collect();
        let order = DurationOrder::new(
            &Float64Chunked::new("v".into(), &values),
            &[
                KeyColumn::Weeks(&Int64Chunked::new("w".into(), &weeks)),
                KeyColumn::Codes(&UInt32Chunked::new("c".into(), &codes), 70_000),
            ],
        );
        assert!(matches!(order.groupings[0].groups, Groups::U16(_)));
        assert!(matches!(order.groupings[1].groups, Groups::U32(_)));
        let member: Vec<bool> = (0..2000).map(|i| i % 5 != 0).collect();
        let result = order.quantiles(&member, &[0.5, 0.9]);
        let code_keys: Vec<Option<i64>> = codes.iter().map(|c| c.map(i64::from)).collect();
        for (grouping, keys) in [(1, &weeks), (2, &code_keys)] {
            for (key, found) in &result[grouping] {
                let picked: Vec<f64> = (0..2000)
                    .filter(|&i| member[i] && keys[i] == *key)
                    .filter_map(|i| values[i])
                    .collect();
                assert_eq!(
                    found,
                    &vec![polars_quantile(&picked, 0.5), polars_quantile(&picked, 0.9)]
                );
            }
            assert!(!result[grouping].is_empty());
        }
    }

    #[test]
    fn groups_without_marked_tickets_are_left_out() {
        let order = DurationOrder::new(
            &Float64Chunked::new("v".into(), &[Some(3.0), Some(1.0), None, Some(2.0)]),
            &[KeyColumn::Codes(
                &UInt32Chunked::new("c".into(), &[Some(0), Some(1), Some(1), Some(1)]),
                2,
            )],
        );
        let result = order.quantiles(&[false, true, true, true], &[0.5, 0.9]);
        // Group 1 has values 1 and 2 (the third ticket has none).
        assert_eq!(result[0], vec![(None, vec![1.5, 1.9])]);
        assert_eq!(result[1], vec![(Some(1), vec![1.5, 1.9])]);
        assert!(order.quantiles(&[false; 4], &[0.5])[0].is_empty());
    }

    #[test]
    fn an_order_read_back_from_its_arrays_is_the_same_and_a_wrong_one_is_refused() {
        let values = Float64Chunked::from_iter([Some(3.0), None, Some(1.0), Some(2.0), Some(1.0)]);
        let codes = UInt32Chunked::from_iter([Some(0), Some(1), None, Some(1), Some(0)]);
        // Weeks spanning more than 256 groups: two bytes a group.
        let weeks = Int64Chunked::from_iter([Some(10), Some(400), Some(11), None, Some(12)]);
        let order = DurationOrder::new(
            &values,
            &[KeyColumn::Codes(&codes, 2), KeyColumn::Weeks(&weeks)],
        );
        let arrays = order.to_arrays();
        assert_eq!(
            arrays.iter().map(|a| a.width).collect::<Vec<_>>(),
            [4, 8, 1, 2]
        );
        let read = DurationOrder::from_arrays(&arrays, 5).expect("read");
        assert_eq!(read.to_arrays(), arrays);
        let member = [true, true, true, false, true];
        assert_eq!(
            read.quantiles(&member, &[0.5, 0.9]),
            order.quantiles(&member, &[0.5, 0.9])
        );
        // Refused: fewer tickets than a position names, a group past the
        // grouping's count, arrays of unequal lengths, an unknown width.
        assert!(DurationOrder::from_arrays(&arrays, 4).is_err());
        let mut wrong = arrays.clone();
        wrong[2].bytes[0] = 3;
        assert!(DurationOrder::from_arrays(&wrong, 5).is_err());
        let mut short = arrays.clone();
        short[3].bytes.truncate(4);
        assert!(DurationOrder::from_arrays(&short, 5).is_err());
        let mut width = arrays.clone();
        width[2].width = 3;
        assert!(DurationOrder::from_arrays(&width, 5).is_err());
        assert!(DurationOrder::from_arrays::<Vec<u8>>(&[], 5).is_err());
    }
}
