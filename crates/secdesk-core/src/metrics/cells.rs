//! Dictionary codes and cell order: each dimension's distinct values as
//! sorted codes, and the tickets sorted by their six codes so that a
//! cohort's sums by cell read contiguous slices.

use super::DIMENSIONS;

/// A ticket's dimension codes, in [`DIMENSIONS`] order (`u32::MAX`: no value).
pub(super) type Combination = [u32; DIMENSIONS.len()];

/// Rows sorted by their dimension codes (priority first, no value after
/// every value; rows with equal codes keep their order).
pub(super) struct CellOrder {
    /// The rows in that order.
    pub(super) order: Vec<u32>,
    /// The cell (distinct combination of codes, numbered in sorted order)
    /// at each position of `order`.
    pub(super) cells: Vec<u32>,
    /// Each cell's combination.
    pub(super) combinations: Vec<Combination>,
}

impl CellOrder {
    pub(super) fn new(codes: &[Vec<Option<u32>>; DIMENSIONS.len()], height: usize) -> CellOrder {
        // Each row's combination, numbered as first seen.
        let mut seen: FastMap<Combination, u32> = FastMap::default();
        let mut combinations: Vec<Combination> = Vec::new();
        let first_seen: Vec<u32> = (0..height)
            .map(|row| {
                let key: Combination = std::array::from_fn(|d| codes[d][row].unwrap_or(u32::MAX));
                *seen.entry(key).or_insert_with(|| {
                    combinations.push(key);
                    combinations.len() as u32 - 1
                })
            })
            .collect();
        // Cells numbered in the combinations' sorted order.
        let mut sorted: Vec<u32> = (0..combinations.len() as u32).collect();
        sorted.sort_by_key(|&c| combinations[c as usize]);
        let mut cell_of = vec![0u32; sorted.len()];
        for (cell, &c) in sorted.iter().enumerate() {
            cell_of[c as usize] = cell as u32;
        }
        // A stable counting sort of the rows by cell.
        let mut starts = vec![0usize; sorted.len() + 1];
        for &c in &first_seen {
            starts[cell_of[c as usize] as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut order = vec![0u32; height];
        let mut cells = vec![0u32; height];
        for (row, &c) in first_seen.iter().enumerate() {
            let cell = cell_of[c as usize];
            let at = &mut starts[cell as usize];
            order[*at] = row as u32;
            cells[*at] = cell;
            *at += 1;
        }
        CellOrder {
            order,
            cells,
            combinations: sorted.iter().map(|&c| combinations[c as usize]).collect(),
        }
    }

    /// The code in dimension `dim` at each position.
    pub(super) fn codes(&self, dim: usize) -> impl Iterator<Item = Option<u32>> + '_ {
        self.cells.iter().map(move |&cell| {
            let code = self.combinations[cell as usize][dim];
            (code != u32::MAX).then_some(code)
        })
    }
}

pub(super) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Dictionary codes of a text column, built row by row: distinct values in
/// the order first seen, and each row's code.
#[derive(Default)]
pub(super) struct DimensionEncoder {
    pub(super) index: FastMap<Box<str>, u32>,
    pub(super) values: Vec<Box<str>>,
    pub(super) codes: Vec<Option<u32>>,
    /// The code of the previous row's value (exports often repeat a value).
    pub(super) last: Option<u32>,
}

impl DimensionEncoder {
    pub(super) fn push(&mut self, value: Option<&str>) {
        let code = value.map(|v| match self.last {
            Some(c) if &*self.values[c as usize] == v => c,
            _ => {
                let c = self.intern(v);
                self.last = Some(c);
                c
            }
        });
        self.codes.push(code);
    }

    /// The code of a value, given a new one if it was not seen yet.
    pub(super) fn intern(&mut self, value: &str) -> u32 {
        if let Some(&c) = self.index.get(value) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(value.into());
        self.index.insert(value.into(), c);
        c
    }

    /// Appends the rows of another encoder, recoding them to this one's values.
    pub(super) fn append(&mut self, other: DimensionEncoder) {
        let recode: Vec<u32> = other.values.iter().map(|v| self.intern(v)).collect();
        self.codes.extend(
            other
                .codes
                .into_iter()
                .map(|c| c.map(|c| recode[c as usize])),
        );
        self.last = None;
    }

    /// The sorted distinct values (code = position) and each row's code.
    pub(super) fn finish(self) -> (Vec<String>, Vec<Option<u32>>) {
        let mut order: Vec<u32> = (0..self.values.len() as u32).collect();
        order.sort_by(|a, b| self.values[*a as usize].cmp(&self.values[*b as usize]));
        let mut remap = vec![0u32; order.len()];
        for (sorted, &seen) in order.iter().enumerate() {
            remap[seen as usize] = sorted as u32;
        }
        let dictionary = order
            .iter()
            .map(|&i| self.values[i as usize].to_string())
            .collect();
        let codes = self
            .codes
            .into_iter()
            .map(|c| c.map(|c| remap[c as usize]))
            .collect();
        (dictionary, codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_codes_follow_sorted_values() {
        let values = vec![
            Some("team b".to_string()),
            None,
            Some("team a".to_string()),
            Some("team b".to_string()),
        ];
        let mut encoder = DimensionEncoder::default();
        for v in &values {
            encoder.push(v.as_deref());
        }
        let (dictionary, codes) = encoder.finish();
        assert_eq!(dictionary, vec!["team a", "team b"]);
        assert_eq!(codes, vec![Some(1), None, Some(0), Some(1)]);
    }

    #[test]
    fn cells_sort_rows_by_their_codes_and_keep_ties_in_order() {
        // Rows 0..6 with codes in the first two dimensions (the others empty).
        let first = vec![Some(1), None, Some(0), Some(1), Some(0), None];
        let second = vec![Some(2), Some(0), None, Some(2), Some(1), Some(0)];
        let mut codes: [Vec<Option<u32>>; DIMENSIONS.len()] = Default::default();
        codes[0] = first;
        codes[1] = second;
        for d in codes.iter_mut().skip(2) {
            *d = vec![None; 6];
        }
        let cells = CellOrder::new(&codes, 6);
        // (0,1) (0,none) (1,2) (1,2) (none,0) (none,0): equal rows keep their order.
        assert_eq!(cells.order, vec![4, 2, 0, 3, 1, 5]);
        assert_eq!(cells.cells, vec![0, 1, 2, 2, 3, 3]);
        let first_codes: Vec<Option<u32>> = cells.codes(0).collect();
        assert_eq!(
            first_codes,
            vec![Some(0), Some(0), Some(1), Some(1), None, None]
        );
        let second_codes: Vec<Option<u32>> = cells.codes(1).collect();
        assert_eq!(
            second_codes,
            vec![Some(1), None, Some(2), Some(2), Some(0), Some(0)]
        );
    }

    #[test]
    fn encoders_appended_recode_to_one_dictionary() {
        let mut a = DimensionEncoder::default();
        for v in [Some("b"), None, Some("c")] {
            a.push(v);
        }
        let mut b = DimensionEncoder::default();
        for v in [Some("a"), Some("c"), Some("b"), None] {
            b.push(v);
        }
        a.append(b);
        let (dictionary, codes) = a.finish();
        assert_eq!(dictionary, vec!["a", "b", "c"]);
        assert_eq!(
            codes,
            vec![Some(1), None, Some(2), Some(0), Some(2), Some(1), None]
        );
    }
}
