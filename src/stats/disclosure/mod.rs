//! Disclosure control for tables that leave the municipality (秘匿処理), following the
//! Japanese official convention: a cell that counts 1–2 respondents is shown as 「x」
//! (primary suppression), and further cells are hidden (complementary suppression) so
//! that no hidden cell can be recovered by subtracting the shown cells from a row or
//! column total; a percentage whose base is under 10 is marked 「*」.
//!
//! The table is worked on with its margins, as they are published: a row total, a column
//! total and the grand total are entries like the cells, and a total of 1–2 is hidden like
//! a cell. First the usual rule: every line (row or column, margins included) holds either
//! no hidden entry or at least two — a line with one hides its smallest other non-zero
//! cell (the least information lost), or a total when it has no cell left. That is
//! necessary but not enough (a cycle of lines can still pin a cell down; a hidden total
//! can come back from the other totals), so then the exact test: while linear algebra on
//! what is shown determines a hidden entry, hide the smallest shown entry in its row or
//! column (never a 0: it reveals no one).
//!
//! That protects one table. Tables published together can undo each other (a table and
//! the same table filtered, layered, with 無回答 left out, or weighted): [`linked`]
//! suppresses them as one system.

pub mod linked;
mod modular;

use serde::{Deserialize, Serialize};

/// The thresholds (configurable; the defaults are the official ones).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Cells counting 1 to `min_count - 1` respondents are hidden (default 3: 1–2).
    pub min_count: u64,
    /// Percentages whose base is under this are marked 「*」 (default 10).
    pub min_base: u64,
}

impl Rules {
    /// The smallest `min_count` that still protects anyone: a threshold of 1 or 2 would
    /// publish every count and still call the table 秘匿処理済み.
    pub const MIN_COUNT_FLOOR: u64 = 3;

    /// Checked thresholds, for what a user typed (the CLI, the page).
    pub fn checked(min_count: u64, min_base: u64) -> Result<Rules, crate::message::Message> {
        if min_count < Self::MIN_COUNT_FLOOR {
            return Err(crate::message::Message {
                ja: format!(
                    "秘匿の基準（最小セル数）は{}以上にしてください（{min_count}では1〜2人のセルがそのまま出てしまいます）。",
                    Self::MIN_COUNT_FLOOR
                ),
                en: format!(
                    "The minimum cell count must be at least {} ({min_count} would publish cells of 1–2 respondents).",
                    Self::MIN_COUNT_FLOOR
                ),
            });
        }
        Ok(Rules {
            min_count,
            min_base,
        })
    }

    /// The same rules with `min_count` raised to the floor if it is below.
    pub fn at_least_default(self) -> Rules {
        Rules {
            min_count: self.min_count.max(Self::MIN_COUNT_FLOOR),
            ..self
        }
    }
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
    /// Row and column totals hidden: small themselves (1–2), or as complements where no
    /// cell of their line could be.
    pub row_totals_hidden: Vec<bool>,
    pub col_totals_hidden: Vec<bool>,
    /// Hidden when small or as a complement (a total is one more entry of its lines).
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
///
/// The table is worked on with its margins, as published: `(rows + 1) × (cols + 1)`
/// entries, the last column the row totals, the last row the column totals, the corner
/// the grand total. Every line of it (each row and each column, margins included) is a
/// sum: its inner entries add up to its margin entry. A total of 1–2 is a small count like
/// any cell. Complements go to inner cells first, the smallest first; a total is hidden
/// only where no cell can be. A 0 is never hidden: it reveals no one, and a hidden 0 would
/// protect nothing that a non-zero entry of the same line can't.
pub fn suppress(counts: &[Vec<u64>], rules: Rules) -> Suppressed {
    let mut m = Margined::new(counts);
    m.mark_primary(rules);
    m.settle();
    m.into_suppressed()
}

/// A table with its margins as published, and how each entry is marked: the state that
/// [`suppress`] and the linked suppression of several tables (`linked`) work on.
#[derive(Debug, Clone)]
pub(crate) struct Margined {
    /// `(rows + 1) × (cols + 1)` counts, totals last.
    pub n: Vec<Vec<u64>>,
    pub marks: Vec<Vec<Mark>>,
    /// Entries everyone knows anyway (a whole-survey table's grand total is the number of
    /// respondents): hiding one protects nothing, so none is picked as a complement.
    pub public: Vec<Vec<bool>>,
    pub rows: usize,
    pub cols: usize,
}

impl Margined {
    pub fn new(counts: &[Vec<u64>]) -> Margined {
        let rows = counts.len();
        let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
        let count = |r: usize, c: usize| counts[r].get(c).copied().unwrap_or(0);
        let mut n = vec![vec![0u64; cols + 1]; rows + 1];
        for r in 0..rows {
            for c in 0..cols {
                n[r][c] = count(r, c);
                n[r][cols] += count(r, c);
                n[rows][c] += count(r, c);
                n[rows][cols] += count(r, c);
            }
        }
        Margined {
            n,
            marks: vec![vec![Mark::Shown; cols + 1]; rows + 1],
            public: vec![vec![false; cols + 1]; rows + 1],
            rows,
            cols,
        }
    }

    /// Every entry (cell or total) of 1 to `min_count - 1` respondents.
    pub fn mark_primary(&mut self, rules: Rules) {
        for (r, row) in self.marks.iter_mut().enumerate() {
            for (c, mark) in row.iter_mut().enumerate() {
                let n = self.n[r][c];
                if n > 0 && n < rules.min_count {
                    *mark = Mark::Primary;
                }
            }
        }
    }

    fn margin(&self, (r, c): (usize, usize)) -> bool {
        r == self.rows || c == self.cols
    }

    /// Which entry to hide next among `candidates`: a shown non-zero one, an inner cell
    /// before a total, the smallest first.
    fn pick(&self, candidates: &mut dyn Iterator<Item = (usize, usize)>) -> Option<(usize, usize)> {
        candidates
            .filter(|&(r, c)| !self.marks[r][c].hidden() && self.n[r][c] > 0 && !self.public[r][c])
            .min_by_key(|&(r, c)| (self.margin((r, c)), self.n[r][c], r, c))
    }

    fn row_line(&self, r: usize) -> impl Iterator<Item = (usize, usize)> {
        (0..=self.cols).map(move |c| (r, c))
    }

    fn col_line(&self, c: usize) -> impl Iterator<Item = (usize, usize)> {
        (0..=self.rows).map(move |r| (r, c))
    }

    fn all(&self) -> impl Iterator<Item = (usize, usize)> {
        let cols = self.cols;
        (0..=self.rows).flat_map(move |r| (0..=cols).map(move |c| (r, c)))
    }

    /// Hides one more entry so that `(r, c)` can no longer be worked out: the smallest
    /// shown non-zero entry of its row or column, else of the table. False if none is left.
    pub fn hide_near(&mut self, r: usize, c: usize) -> bool {
        let near = self
            .pick(&mut self.row_line(r).chain(self.col_line(c)))
            .or_else(|| self.pick(&mut self.all()));
        match near {
            Some((r, c)) => {
                self.marks[r][c] = Mark::Complementary;
                true
            }
            None => false,
        }
    }

    /// The smallest shown non-zero entry anywhere in the table.
    pub fn smallest_shown(&self) -> Option<(usize, usize)> {
        self.pick(&mut self.all())
    }

    /// Complementary suppression within the table: first the rule of thumb (no line with
    /// exactly one hidden entry), then exactly (while linear algebra on what is shown
    /// determines a hidden entry, hide one more in its row or column).
    pub fn settle(&mut self) {
        // Hiding an entry can leave a line across it with one, so repeat until nothing
        // changes.
        loop {
            let mut changed = false;
            let lines: Vec<Vec<(usize, usize)>> = (0..=self.rows)
                .map(|r| self.row_line(r).collect())
                .chain((0..=self.cols).map(|c| self.col_line(c).collect()))
                .collect();
            for line in &lines {
                if line
                    .iter()
                    .filter(|&&(r, c)| self.marks[r][c].hidden())
                    .count()
                    != 1
                {
                    continue;
                }
                if let Some((r, c)) = self.pick(&mut line.iter().copied()) {
                    self.marks[r][c] = Mark::Complementary;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        loop {
            let determined = determined_entries(&self.marks);
            let Some(&(dr, dc)) = determined.first() else {
                break;
            };
            if !self.hide_near(dr, dc) {
                break;
            }
        }
    }

    pub fn into_suppressed(self) -> Suppressed {
        let (rows, cols) = (self.rows, self.cols);
        let count = |m: Mark| self.marks.iter().flatten().filter(|&&x| x == m).count();
        Suppressed {
            primary: count(Mark::Primary),
            complementary: count(Mark::Complementary),
            cells: self.marks[..rows]
                .iter()
                .map(|row| row[..cols].to_vec())
                .collect(),
            row_totals_hidden: (0..rows).map(|r| self.marks[r][cols].hidden()).collect(),
            col_totals_hidden: (0..cols).map(|c| self.marks[rows][c].hidden()).collect(),
            grand_total_hidden: self.marks[rows][cols].hidden(),
        }
    }
}

/// The hidden inner cells whose value follows from what is published (see
/// [`determined_entries`]).
pub fn determined_cells(
    cells: &[Vec<Mark>],
    row_totals_hidden: &[bool],
    col_totals_hidden: &[bool],
    grand_total_hidden: bool,
) -> Vec<(usize, usize)> {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    let hide = |h: bool| if h { Mark::Complementary } else { Mark::Shown };
    let mut marks: Vec<Vec<Mark>> = cells
        .iter()
        .zip(row_totals_hidden)
        .map(|(row, &t)| row.iter().copied().chain([hide(t)]).collect())
        .collect();
    marks.push(
        col_totals_hidden
            .iter()
            .map(|&h| hide(h))
            .chain([hide(grand_total_hidden)])
            .collect(),
    );
    determined_entries(&marks)
        .into_iter()
        .filter(|&(r, c)| r < rows && c < cols)
        .collect()
}

/// The hidden entries of a table with its margins (`marks` is `(rows + 1) × (cols + 1)`,
/// totals last) whose value follows from the shown ones by linear algebra: the entry's
/// unit vector lies in the span of the lines' equations (each row and column, margins
/// included: its cells add up to its total) over the hidden entries. "Two hidden per
/// line" is necessary, not sufficient — a cycle of lines can still pin an entry down, and
/// a hidden total can come back from the other totals — so this is checked exactly.
pub fn determined_entries(marks: &[Vec<Mark>]) -> Vec<(usize, usize)> {
    let rows = marks.len().saturating_sub(1);
    let cols = marks.first().map_or(0, |r| r.len().saturating_sub(1));
    let hidden: Vec<(usize, usize)> = (0..=rows)
        .flat_map(|r| (0..=cols).map(move |c| (r, c)))
        .filter(|&(r, c)| {
            marks
                .get(r)
                .and_then(|row| row.get(c))
                .is_some_and(|m| m.hidden())
        })
        .collect();
    if hidden.is_empty() {
        return Vec::new();
    }
    // Row r: its cells minus its total; column c likewise. Shown entries are constants.
    let line = |in_line: &dyn Fn(usize, usize) -> Option<f64>| -> Vec<f64> {
        hidden
            .iter()
            .map(|&(r, c)| in_line(r, c).unwrap_or(0.0))
            .collect()
    };
    let mut eqs: Vec<Vec<f64>> = Vec::new();
    for row in 0..=rows {
        eqs.push(line(&|r, c| {
            (r == row).then_some(if c == cols { -1.0 } else { 1.0 })
        }));
    }
    for col in 0..=cols {
        eqs.push(line(&|r, c| {
            (c == col).then_some(if r == rows { -1.0 } else { 1.0 })
        }));
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
        // A 0 reveals no one and is not hidden for itself.
        let s = suppress(&[vec![1, 0], vec![5, 9]], Rules::default());
        assert_ne!(s.cells[0][1], Mark::Primary);
        assert!(hidden_rows_and_cols_safe(&s));
        assert!(nothing_hidden_is_determined(&s));
    }

    #[test]
    fn a_small_total_is_hidden_too() {
        let s = suppress(&[vec![1, 1], vec![20, 30]], Rules::default());
        assert!(s.row_totals_hidden[0], "row 0 totals 2");
        assert!(nothing_hidden_is_determined(&s));
        // The grand total is the sum of the column totals, both shown: hiding it would
        // protect nothing, so it is shown.
        assert!(!s.grand_total_hidden && !s.col_totals_hidden.iter().any(|&h| h));
    }

    #[test]
    fn a_hidden_total_cannot_come_back_from_the_other_totals() {
        // Row 0 totals 2. With the column totals shown, the grand total is known (28), so
        // 28 − 11 − 15 would give row 0's total back unless another row total is hidden.
        let s = suppress(&[vec![1, 1], vec![5, 6], vec![7, 8]], Rules::default());
        assert!(s.row_totals_hidden[0]);
        assert!(
            s.row_totals_hidden.iter().filter(|&&h| h).count() >= 2,
            "{s:?}"
        );
        assert!(nothing_hidden_is_determined(&s));
        // A simple tabulation (one column): the small count's row and a complement.
        let s = suppress(&[vec![14], vec![2], vec![10], vec![7]], Rules::default());
        assert_eq!(s.cells[1][0], Mark::Primary);
        assert_eq!(s.cells.iter().filter(|r| r[0].hidden()).count(), 2);
        assert!(!s.grand_total_hidden);
        assert!(nothing_hidden_is_determined(&s));
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

    /// No hidden entry — cell or total — follows from what is published.
    fn nothing_hidden_is_determined(s: &Suppressed) -> bool {
        let hide = |h: bool| if h { Mark::Complementary } else { Mark::Shown };
        let mut marks: Vec<Vec<Mark>> = s
            .cells
            .iter()
            .zip(&s.row_totals_hidden)
            .map(|(row, &t)| row.iter().copied().chain([hide(t)]).collect())
            .collect();
        marks.push(
            s.col_totals_hidden
                .iter()
                .map(|&h| hide(h))
                .chain([hide(s.grand_total_hidden)])
                .collect(),
        );
        determined_entries(&marks).is_empty()
            && determined_cells(
                &s.cells,
                &s.row_totals_hidden,
                &s.col_totals_hidden,
                s.grand_total_hidden,
            )
            .is_empty()
    }

    proptest! {
        /// Any table: every primary cell stays hidden, no row or column is left with a
        /// single hidden cell and its total shown, and nothing hidden can be worked out.
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
            prop_assert!(nothing_hidden_is_determined(&s), "{:?} -> {:?}", t, s);
            // Totals of 1–2 are hidden like cells.
            for (r, row) in t.iter().enumerate() {
                let sum: u64 = row.iter().sum();
                if sum == 1 || sum == 2 {
                    prop_assert!(s.row_totals_hidden[r]);
                }
            }
        }
    }
}
