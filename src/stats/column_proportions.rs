//! Column-proportion tests in the style of SPSS Custom Tables: within each row of a
//! crosstab, is this column's share significantly larger than that column's? Columns are
//! labelled A, B, C, … and each cell lists the letters of the columns it beats, which is
//! how survey reports print it ("45.2% BC").
//!
//! For each row, every pair of columns gets a two-proportion z test with the pooled
//! proportion (p = (x₁ + x₂)/(n₁ + n₂), z = (p₁ − p₂)/√(p(1 − p)(1/n₁ + 1/n₂)), two-sided),
//! and the p-values are Bonferroni-adjusted within the row: multiplied by the number of
//! pairs actually compared in that row (capped at 1). As SPSS does, a column whose
//! proportion in the row is 0 or 1 is not compared (its z test has no variance under
//! either hypothesis in its own column); those are listed in `skipped`.
//!
//! The pairwise p-values are checked against statsmodels 0.15 `proportions_ztest`.

use serde::{Deserialize, Serialize};

use super::p_values::normal_two_sided;

/// One pairwise comparison within a row (columns `a` < `b`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PairTest {
    pub a: usize,
    pub b: usize,
    /// (p_a − p_b)/SE with the pooled proportion.
    pub z: f64,
    /// Two-sided, unadjusted.
    pub p_value: f64,
    /// Bonferroni: `p_value` × pairs compared in this row, at most 1.
    pub p_adjusted: f64,
    /// `p_adjusted < alpha`.
    pub significant: bool,
}

/// Why a column takes no part in a row's comparisons.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The column's base is 0 (or not a valid number): no proportion.
    EmptyColumn,
    /// The proportion is 0 or 1 (SPSS leaves these out of the comparisons).
    ZeroOrOne,
    /// The count is negative, NaN or infinite, or larger than the base.
    InvalidCount,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SkippedColumn {
    pub col: usize,
    pub reason: SkipReason,
}

/// The comparisons for one row of the table.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct RowComparisons {
    /// count / base per column (0–1); `None` where the base is 0.
    pub proportions: Vec<Option<f64>>,
    /// Number of pairs compared: the Bonferroni multiplier.
    pub comparisons: usize,
    pub tests: Vec<PairTest>,
    pub skipped: Vec<SkippedColumn>,
    /// Per column: the columns whose proportion this one is significantly greater than.
    pub greater_than: Vec<Vec<usize>>,
    /// The same as letters per column, e.g. "AC"; empty when none.
    pub letters: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ColumnProportions {
    pub alpha: f64,
    /// Column labels: A … Z, AA, AB, … .
    pub labels: Vec<String>,
    /// The base (denominator) of each column.
    pub bases: Vec<f64>,
    pub rows: Vec<RowComparisons>,
}

/// The label of column `index`: 0 → "A", 25 → "Z", 26 → "AA", as spreadsheets count.
pub fn column_label(index: usize) -> String {
    let mut label = Vec::new();
    let mut j = index;
    loop {
        label.push(b'A' + (j % 26) as u8);
        if j < 26 {
            break;
        }
        j = j / 26 - 1;
    }
    label.reverse();
    String::from_utf8(label).unwrap_or_default()
}

/// Column proportions with each column's total as its base: `counts[row][col]`, rows of
/// the outer `Vec`. `alpha` is the significance level after adjustment (SPSS: 0.05).
pub fn column_proportions(counts: &[Vec<f64>], alpha: f64) -> ColumnProportions {
    let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
    let bases: Vec<f64> = (0..cols)
        .map(|j| {
            counts
                .iter()
                .map(|r| r.get(j).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    column_proportions_with_bases(counts, &bases, alpha)
}

/// Column proportions with explicit bases: for multiple-response questions the base of a
/// column is its number of respondents, not the sum of its counts. Missing entries
/// (short rows, short `bases`) count as 0.
pub fn column_proportions_with_bases(
    counts: &[Vec<f64>],
    bases: &[f64],
    alpha: f64,
) -> ColumnProportions {
    let cols = counts
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(bases.len());
    let bases: Vec<f64> = (0..cols)
        .map(|j| bases.get(j).copied().unwrap_or(0.0))
        .collect();
    let rows = counts
        .iter()
        .map(|row| compare_row(row, &bases, alpha))
        .collect();
    ColumnProportions {
        alpha,
        labels: (0..cols).map(column_label).collect(),
        bases,
        rows,
    }
}

fn compare_row(row: &[f64], bases: &[f64], alpha: f64) -> RowComparisons {
    let cols = bases.len();
    let count = |j: usize| row.get(j).copied().unwrap_or(0.0);
    let mut proportions = Vec::with_capacity(cols);
    let mut skipped = Vec::new();
    let mut testable = Vec::new();
    for (j, &base) in bases.iter().enumerate() {
        let x = count(j);
        if !(base > 0.0) || !base.is_finite() {
            proportions.push(None);
            skipped.push(SkippedColumn {
                col: j,
                reason: SkipReason::EmptyColumn,
            });
            continue;
        }
        if !x.is_finite() || x < 0.0 || x > base {
            proportions.push(None);
            skipped.push(SkippedColumn {
                col: j,
                reason: SkipReason::InvalidCount,
            });
            continue;
        }
        let p = x / base;
        proportions.push(Some(p));
        if p > 0.0 && p < 1.0 {
            testable.push(j);
        } else {
            skipped.push(SkippedColumn {
                col: j,
                reason: SkipReason::ZeroOrOne,
            });
        }
    }
    let pairs: Vec<(usize, usize)> = testable
        .iter()
        .enumerate()
        .flat_map(|(k, &a)| testable[k + 1..].iter().map(move |&b| (a, b)))
        .collect();
    let comparisons = pairs.len();
    let mut greater_than = vec![Vec::new(); cols];
    let mut tests = Vec::with_capacity(comparisons);
    for (a, b) in pairs {
        let (xa, xb, na, nb) = (count(a), count(b), bases[a], bases[b]);
        let (pa, pb) = (xa / na, xb / nb);
        let pooled = (xa + xb) / (na + nb);
        // 0 < pooled < 1 because both proportions are strictly between 0 and 1.
        let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
        let z = (pa - pb) / se;
        let p_value = normal_two_sided(z).unwrap_or(1.0);
        let p_adjusted = (p_value * comparisons as f64).min(1.0);
        let significant = p_adjusted < alpha;
        if significant {
            if pa > pb {
                greater_than[a].push(b);
            } else if pb > pa {
                greater_than[b].push(a);
            }
        }
        tests.push(PairTest {
            a,
            b,
            z,
            p_value,
            p_adjusted,
            significant,
        });
    }
    for beaten in &mut greater_than {
        beaten.sort_unstable();
    }
    let letters = greater_than
        .iter()
        .map(|beaten| beaten.iter().map(|&j| column_label(j)).collect::<String>())
        .collect();
    RowComparisons {
        proportions,
        comparisons,
        tests,
        skipped,
        greater_than,
        letters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_count_like_spreadsheets() {
        assert_eq!(column_label(0), "A");
        assert_eq!(column_label(25), "Z");
        assert_eq!(column_label(26), "AA");
        assert_eq!(column_label(27), "AB");
        assert_eq!(column_label(26 + 26 * 26), "AAA");
    }

    #[test]
    fn degenerate_tables_do_not_panic() {
        let empty = column_proportions(&[], 0.05);
        assert!(empty.rows.is_empty() && empty.labels.is_empty());
        let one_col = column_proportions(&[vec![3.0], vec![4.0]], 0.05);
        assert_eq!(one_col.rows[0].comparisons, 0);
        let zero_col = column_proportions(&[vec![3.0, 0.0, 5.0], vec![4.0, 0.0, 1.0]], 0.05);
        assert_eq!(zero_col.rows[0].proportions[1], None);
        assert_eq!(
            zero_col.rows[0].skipped,
            vec![SkippedColumn {
                col: 1,
                reason: SkipReason::EmptyColumn
            }]
        );
        assert_eq!(zero_col.rows[0].comparisons, 1);
        let nan = column_proportions_with_bases(&[vec![f64::NAN, 2.0]], &[4.0, 4.0], 0.05);
        assert_eq!(nan.rows[0].skipped[0].reason, SkipReason::InvalidCount);
    }

    #[test]
    fn zero_and_one_proportions_are_skipped() {
        // Row 0: column B has 0 %, column C 100 % of its base.
        let t = column_proportions_with_bases(
            &[vec![30.0, 0.0, 20.0, 10.0]],
            &[50.0, 40.0, 20.0, 60.0],
            0.05,
        );
        let row = &t.rows[0];
        assert_eq!(row.comparisons, 1);
        assert_eq!(row.tests.len(), 1);
        assert_eq!((row.tests[0].a, row.tests[0].b), (0, 3));
        assert_eq!(row.letters[0], "D");
        assert!(row
            .skipped
            .iter()
            .any(|s| s.col == 1 && s.reason == SkipReason::ZeroOrOne));
        assert!(row
            .skipped
            .iter()
            .any(|s| s.col == 2 && s.reason == SkipReason::ZeroOrOne));
    }
}
