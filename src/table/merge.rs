//! Appending a column built from later rows of the same file (a byte range read by its
//! own reader, `ingest::parallel`): its values join this builder's dictionary in their
//! order of first appearance there, after this builder's own, which is the order one
//! builder fed every row would have given; its codes are renumbered to match.

use super::{Codes, Column, ColumnBuilder};

/// Codes renumbered at a time (a buffer on the stack, then one `extend_from`).
const BATCH: usize = 1024;

impl ColumnBuilder {
    /// Appends every row of `later`, as if each of its cells had been pushed here.
    pub fn append(&mut self, later: &Column) {
        // One lookup per distinct value, not per row: code in `later` → code here.
        let map: Vec<u32> = later.values.iter().map(|v| self.code_of(v)).collect();
        self.flush();
        match &later.codes {
            Codes::U8(v) => renumber(v.iter().map(|&c| c as u32), &map, &mut self.codes),
            Codes::U16(v) => renumber(v.iter().map(|&c| c as u32), &map, &mut self.codes),
            Codes::U32(v) => renumber(v.iter().copied(), &map, &mut self.codes),
        }
    }
}

/// Appends `codes` to `out`, each through `map`.
fn renumber(mut codes: impl Iterator<Item = u32>, map: &[u32], out: &mut Codes) {
    let mut buf = [0u32; BATCH];
    loop {
        let mut n = 0;
        for (slot, code) in buf.iter_mut().zip(codes.by_ref()) {
            // (Every code of a finished column is in its dictionary.)
            *slot = map.get(code as usize).copied().unwrap_or(0);
            n += 1;
        }
        if n == 0 {
            return;
        }
        out.extend_from(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows split between two builders, the second appended to the first, read back as
    /// one builder fed every row: same dictionary order, codes and code width.
    #[test]
    fn appended_rows_equal_one_builder_fed_every_row() {
        let values: Vec<String> = (0..2_000)
            .map(|i| match i % 7 {
                0 => String::new(),
                1 => format!("{}", i % 300),
                2 => format!("0.{:03}", i % 997),
                3 => "男性".to_string(),
                4 => format!("長い回答の文字列 {}", i % 450),
                _ => char::from(b'1' + (i % 9) as u8).to_string(),
            })
            .collect();
        // Few values (codes of a byte on both sides), and from the 1,000th row new ones
        // in another order: the second part's codes are not the first part's.
        let few: Vec<String> = (0..2_000)
            .map(|i| {
                let cycle: &[&str] = match i < 1_000 {
                    true => &["2", "", "1"],
                    false => &["9", "男性", "1", "0.5", "", "2", "99"],
                };
                cycle[i % cycle.len()].to_string()
            })
            .collect();
        // Past 256 values in the second part only: the first part's byte codes widen.
        let widening: Vec<String> = (0..2_000)
            .map(|i| match i < 1_000 {
                true => (i % 5).to_string(),
                false => (i % 400 + 10).to_string(),
            })
            .collect();
        for values in [values, few, widening] {
            check_cuts(&values);
        }
    }

    /// `values` pushed into one builder, and cut in two at several places, the second
    /// part appended to the first: the same column.
    fn check_cuts(values: &[String]) {
        for cut in [0, 1, 31, 32, 33, 700, 1_000, 1_999, 2_000] {
            let mut whole = ColumnBuilder::new("q".into());
            values.iter().for_each(|v| whole.push(v));
            let mut first = ColumnBuilder::new("q".into());
            values[..cut].iter().for_each(|v| first.push(v));
            let mut second = ColumnBuilder::new(String::new());
            values[cut..].iter().for_each(|v| second.push(v));
            first.append(&second.finish());
            assert_eq!(first.len(), values.len());
            assert_eq!(first.finish(), whole.finish(), "cut at {cut}");
        }
    }
}
