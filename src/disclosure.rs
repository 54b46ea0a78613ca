//! Disclosure control for tables that leave the municipality (秘匿処理), following the
//! Japanese official convention: a cell that counts 1–2 respondents is shown as 「x」
//! (primary suppression), and further cells are hidden (complementary suppression) so
//! that no hidden cell can be recovered by subtracting the shown cells from a row or
//! column total; a percentage whose base is under 10 is marked 「*」.
//!
//! First the usual rule: every row and every column holds either no hidden cell or at
//! least two — a line with one hides its smallest other non-zero cell (the least
//! information lost), or its total when it has none. That is necessary but not enough (a
//! cycle of lines can still pin a cell down), so then the exact test: while linear
//! algebra on the published totals determines a hidden cell, hide the smallest shown cell
//! in its row or column (a 0 only as a last resort), or its totals.

use serde::{Deserialize, Serialize};

/// The thresholds (configurable; the defaults are the official ones).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Cells counting 1 to `min_count - 1` respondents are hidden (default 3: 1–2).
    pub min_count: u64,
    /// Percentages whose base is under this are marked 「*」 (default 10).
    pub min_base: u64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_count: 3,
            min_base: 10,
        }
    }
}

/// How a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Shown,
    /// Too few respondents: 「x」.
    Primary,
    /// Hidden so that a primary cell can't be worked out: also 「x」.
    Complementary,
}

impl Mark {
    pub fn hidden(self) -> bool {
        self != Mark::Shown
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppressed {
    /// Per cell, `[row][col]`.
    pub cells: Vec<Vec<Mark>>,
    /// Row and column totals hidden because no cell of theirs could be.
    pub row_totals_hidden: Vec<bool>,
    pub col_totals_hidden: Vec<bool>,
    /// Hidden with any row or column total: otherwise the grand total minus the shown
    /// totals would give a hidden total back.
    pub grand_total_hidden: bool,
    pub primary: usize,
    pub complementary: usize,
}

impl Suppressed {
    /// The text to publish for a count: the number, or 「x」.
    pub fn cell_text(&self, counts: &[Vec<u64>], r: usize, c: usize) -> String {
        if self.cells[r][c].hidden() {
            "x".into()
        } else {
            counts[r][c].to_string()
        }
    }
}

/// Applies primary and complementary suppression to a table of counts.
pub fn suppress(counts: &[Vec<u64>], rules: Rules) -> Suppressed {
    let rows = counts.len();
    let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
    let count = |r: usize, c: usize| counts[r].get(c).copied().unwrap_or(0);
    let mut cells = vec![vec![Mark::Shown; cols]; rows];
    let mut primary = 0;
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, mark) in row.iter_mut().enumerate() {
            let n = count(r, c);
            if n > 0 && n < rules.min_count {
                *mark = Mark::Primary;
                primary += 1;
            }
        }
    }
    let mut row_totals_hidden = vec![false; rows];
    let mut col_totals_hidden = vec![false; cols];
    let mut complementary = 0;
    // Each pass fixes every line with exactly one hidden cell; hiding a cell can create
    // such a line across it, so repeat. Each pass hides at least one cell or total, so
    // this ends after at most rows × cols + rows + cols passes.
    loop {
        let mut changed = false;
        for r in 0..rows {
            if row_totals_hidden[r] || cells[r].iter().filter(|m| m.hidden()).count() != 1 {
                continue;
            }
            let candidate = (0..cols)
                .filter(|&c| !cells[r][c].hidden() && count(r, c) > 0)
                .min_by_key(|&c| (count(r, c), c));
            match candidate {
                Some(c) => {
                    cells[r][c] = Mark::Complementary;
                    complementary += 1;
                }
                None => row_totals_hidden[r] = true,
            }
            changed = true;
        }
        for c in 0..cols {
            if col_totals_hidden[c] || (0..rows).filter(|&r| cells[r][c].hidden()).count() != 1 {
                continue;
            }
            let candidate = (0..rows)
                .filter(|&r| !cells[r][c].hidden() && count(r, c) > 0)
                .min_by_key(|&r| (count(r, c), r));
            match candidate {
                Some(r) => {
                    cells[r][c] = Mark::Complementary;
                    complementary += 1;
                }
                None => col_totals_hidden[c] = true,
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
    // A total of 1–2 is a small count too.
    let small = |n: u64| n > 0 && n < rules.min_count;
    for (r, hidden) in row_totals_hidden.iter_mut().enumerate() {
        *hidden |= small((0..cols).map(|c| count(r, c)).sum());
    }
    for (c, hidden) in col_totals_hidden.iter_mut().enumerate() {
        *hidden |= small((0..rows).map(|r| count(r, c)).sum());
    }
    let mut grand_total_hidden = row_totals_hidden
        .iter()
        .chain(&col_totals_hidden)
        .any(|&h| h)
        || small(counts.iter().flatten().sum());
    // Then exactly: while a hidden cell can still be worked out, hide the smallest shown
    // cell in its row or column (a non-zero one first, a 0 if nothing else is left); with
    // nothing left to hide there, hide its totals.
    loop {
        let determined = determined_cells(
            &cells,
            &row_totals_hidden,
            &col_totals_hidden,
            grand_total_hidden,
        );
        let Some(&(dr, dc)) = determined.first() else {
            break;
        };
        let candidate = (0..cols)
            .map(|c| (dr, c))
            .chain((0..rows).map(|r| (r, dc)))
            .filter(|&(r, c)| !cells[r][c].hidden())
            .min_by_key(|&(r, c)| (count(r, c) == 0, count(r, c), r, c));
        match candidate {
            Some((r, c)) => {
                cells[r][c] = Mark::Complementary;
                complementary += 1;
            }
            None => {
                row_totals_hidden[dr] = true;
                col_totals_hidden[dc] = true;
                grand_total_hidden = true;
            }
        }
    }
    Suppressed {
        cells,
        row_totals_hidden,
        col_totals_hidden,
        grand_total_hidden,
        primary,
        complementary,
    }
}

/// The hidden cells whose value follows from the published totals by linear algebra: the
/// cell's unit vector lies in the span of the published equations (row, column and grand
/// totals) over the hidden cells. "Two hidden per line" is necessary, not sufficient —
/// a cycle of lines can still pin a cell down — so this is checked exactly.
pub fn determined_cells(
    cells: &[Vec<Mark>],
    row_totals_hidden: &[bool],
    col_totals_hidden: &[bool],
    grand_total_hidden: bool,
) -> Vec<(usize, usize)> {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    let hidden: Vec<(usize, usize)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter(|&(r, c)| cells[r][c].hidden())
        .collect();
    if hidden.is_empty() {
        return Vec::new();
    }
    let eq = |f: &dyn Fn(usize, usize) -> bool| -> Vec<f64> {
        hidden
            .iter()
            .map(|&(r, c)| if f(r, c) { 1.0 } else { 0.0 })
            .collect()
    };
    let mut eqs: Vec<Vec<f64>> = Vec::new();
    for (r, &h) in row_totals_hidden.iter().enumerate() {
        if !h {
            eqs.push(eq(&|rr, _| rr == r));
        }
    }
    for (c, &h) in col_totals_hidden.iter().enumerate() {
        if !h {
            eqs.push(eq(&|_, cc| cc == c));
        }
    }
    if !grand_total_hidden {
        eqs.push(eq(&|_, _| true));
    }
    let base = rank(eqs.clone());
    (0..hidden.len())
        .filter(|&i| {
            let mut with = eqs.clone();
            let mut unit = vec![0.0; hidden.len()];
            unit[i] = 1.0;
            with.push(unit);
            rank(with) == base
        })
        .map(|i| hidden[i])
        .collect()
}

/// Rank by Gaussian elimination (the matrices hold 0/1 and stay small).
fn rank(mut m: Vec<Vec<f64>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for c in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| m[r][c].abs() > 1e-9) else {
            continue;
        };
        m.swap(rank, p);
        for r in 0..m.len() {
            if r != rank && m[r][c].abs() > 1e-9 {
                let f = m[r][c] / m[rank][c];
                for k in 0..cols {
                    m[r][k] -= f * m[rank][k];
                }
            }
        }
        rank += 1;
    }
    rank
}

/// 「*」 when a percentage's base is too small to publish as it is.
pub fn small_base(base: u64, rules: Rules) -> bool {
    base > 0 && base < rules.min_base
}

// proptest is a native dev-dependency only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hidden_rows_and_cols_safe(s: &Suppressed) -> bool {
        let rows = s.cells.len();
        let cols = s.cells.first().map_or(0, Vec::len);
        let row_ok = (0..rows).all(|r| {
            let k = s.cells[r].iter().filter(|m| m.hidden()).count();
            k != 1 || s.row_totals_hidden[r]
        });
        let col_ok = (0..cols).all(|c| {
            let k = (0..rows).filter(|&r| s.cells[r][c].hidden()).count();
            k != 1 || s.col_totals_hidden[c]
        });
        row_ok && col_ok
    }

    #[test]
    fn a_small_cell_and_its_complements() {
        // 年代 × 性別: the 2 can't be hidden alone (50 − 48 would give it away).
        let t = vec![vec![48, 2, 30], vec![40, 35, 12], vec![7, 9, 20]];
        let s = suppress(&t, Rules::default());
        assert_eq!(s.cells[0][1], Mark::Primary);
        assert_eq!(s.primary, 1);
        // Row 0 hides its smallest other cell (30); column 1 hides its smallest (9);
        // then row 2 and column 2 each have one hidden cell: row 2 hides 7, column 2
        // hides 12 …until every line has 0 or ≥ 2.
        assert!(s.complementary >= 2);
        assert!(hidden_rows_and_cols_safe(&s));
        assert_eq!(s.cell_text(&t, 0, 1), "x");
        // Nothing small: nothing hidden.
        let s = suppress(&[vec![10, 20], vec![30, 40]], Rules::default());
        assert_eq!((s.primary, s.complementary), (0, 0));
        // A 0 reveals no one and is not hidden for itself; a line with nothing else to
        // hide gives up its total, and the grand total goes with it (else grand total −
        // row 1 total = row 0 total).
        let s = suppress(&[vec![1, 0], vec![5, 9]], Rules::default());
        assert_ne!(s.cells[0][1], Mark::Primary);
        assert!(s.grand_total_hidden || s.cells[0][1].hidden());
        assert!(hidden_rows_and_cols_safe(&s));
        assert!(!some_hidden_cell_is_determined(&s));
    }

    #[test]
    fn a_small_total_is_hidden_too() {
        let s = suppress(&[vec![1, 1], vec![20, 30]], Rules::default());
        assert!(s.row_totals_hidden[0], "row 0 totals 2");
        assert!(s.grand_total_hidden);
        assert!(!some_hidden_cell_is_determined(&s));
    }

    #[test]
    fn thresholds_are_configurable() {
        let t = vec![vec![4, 50], vec![60, 70]];
        assert_eq!(suppress(&t, Rules::default()).primary, 0);
        let strict = Rules {
            min_count: 5,
            min_base: 10,
        };
        assert_eq!(suppress(&t, strict).primary, 1);
        assert!(small_base(9, Rules::default()));
        assert!(!small_base(10, Rules::default()));
        assert!(!small_base(0, Rules::default()));
    }

    fn some_hidden_cell_is_determined(s: &Suppressed) -> bool {
        !determined_cells(
            &s.cells,
            &s.row_totals_hidden,
            &s.col_totals_hidden,
            s.grand_total_hidden,
        )
        .is_empty()
    }

    proptest! {
        /// Any table: every primary cell stays hidden, and no row or column is left
        /// with a single hidden cell and its total shown.
        #[test]
        fn no_line_gives_a_hidden_cell_away(t in prop::collection::vec(prop::collection::vec(0u64..12, 1..7), 1..7)) {
            let cols = t.iter().map(Vec::len).max().unwrap();
            let t: Vec<Vec<u64>> = t.into_iter().map(|mut r| { r.resize(cols, 0); r }).collect();
            let s = suppress(&t, Rules::default());
            for (r, row) in t.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    if n == 1 || n == 2 {
                        prop_assert_eq!(s.cells[r][c], Mark::Primary);
                    }
                    if n == 0 {
                        prop_assert_ne!(s.cells[r][c], Mark::Primary);
                    }
                }
            }
            prop_assert!(hidden_rows_and_cols_safe(&s));
            prop_assert!(!some_hidden_cell_is_determined(&s), "{:?} -> {:?}", t, s);
        }
    }
}
