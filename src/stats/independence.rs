//! Tests of independence on an r×c matrix of counts (or weight sums): totals, expected
//! counts, percentages, Pearson χ², likelihood-ratio G², Cramér's V, adjusted standardized
//! residuals with significance marks, the sparse-table warning, and for 2×2 tables Yates'
//! χ², Fisher's exact test and φ.
//!
//! Rows or columns whose total is 0 (an answer nobody chose) carry no information about
//! independence but would put 0/0 into every formula, so the tests run on the matrix
//! without them and the result says which were dropped; percentages, expected counts and
//! residuals keep the original shape, with `None` in the dropped rows and columns.
//!
//! Checked against scipy 1.17 (`chi2_contingency`, `fisher_exact`, `contingency.association`)
//! and statsmodels 0.15 (`Table.standardized_resids`) by `tests/stats_reference.rs`.

use serde::{Deserialize, Serialize};
use statrs::function::factorial::ln_factorial;

use super::finite;
use super::p_values::chi_squared_sf;

/// |adjusted residual| above which a cell is marked (two-sided 5 %).
pub const RESIDUAL_5_PERCENT: f64 = 1.96;
/// |adjusted residual| above which a cell is marked strongly (two-sided 1 %).
pub const RESIDUAL_1_PERCENT: f64 = 2.58;
/// Expected counts below this make a cell "sparse" (Cochran's rule).
pub const SPARSE_EXPECTED: f64 = 5.0;
/// The χ² approximation is called unreliable when more than this share of cells is sparse.
pub const SPARSE_SHARE_LIMIT: f64 = 0.2;
/// Two tables count as equally probable in Fisher's test when their probabilities differ
/// by less than this relative amount (R's `fisher.test` uses the same 1e-7; scipy 1.17
/// uses 1e-14, which differs only for tables whose probabilities agree to 7–14 digits:
/// mathematically equal ones computed with rounding error would otherwise be split).
pub const FISHER_RELATIVE_TIE: f64 = 1e-7;

/// A χ² statistic with its degrees of freedom and upper-tail p-value.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ChiSquareTest {
    pub statistic: f64,
    pub df: f64,
    /// `None` only if the distribution can't be evaluated (it always can for df ≥ 1).
    pub p_value: Option<f64>,
}

/// Why the tests of independence were not computed.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotComputable {
    /// No cells, or every cell 0.
    Empty,
    /// Fewer than two rows with a non-zero total: nothing to compare.
    SingleRow,
    /// Fewer than two columns with a non-zero total.
    SingleColumn,
    /// A cell is negative, NaN or infinite.
    InvalidCounts,
}

/// How far a cell's count is from independence, by its adjusted standardized residual.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidualMark {
    /// residual > 2.58 (p < 0.01, two-sided): clearly more than expected.
    StrongUp,
    /// 1.96 < residual ≤ 2.58.
    Up,
    /// |residual| ≤ 1.96, or not computed (dropped row or column).
    NotSignificant,
    /// −2.58 ≤ residual < −1.96.
    Down,
    /// residual < −2.58.
    StrongDown,
}

impl ResidualMark {
    /// The mark for a residual; `None` (not computed) is `NotSignificant`.
    pub fn of(residual: Option<f64>) -> ResidualMark {
        match residual {
            Some(r) if r > RESIDUAL_1_PERCENT => ResidualMark::StrongUp,
            Some(r) if r > RESIDUAL_5_PERCENT => ResidualMark::Up,
            Some(r) if r < -RESIDUAL_1_PERCENT => ResidualMark::StrongDown,
            Some(r) if r < -RESIDUAL_5_PERCENT => ResidualMark::Down,
            _ => ResidualMark::NotSignificant,
        }
    }
}

/// Cells with small expected counts, where the χ² approximation is poor.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SparseWarning {
    /// Cells (of those tested) with expected count < 5.
    pub cells_below_5: usize,
    /// Cells in the tested matrix (dropped rows and columns excluded).
    pub cells_tested: usize,
    /// `cells_below_5 / cells_tested`.
    pub share: f64,
    /// The smallest expected count.
    pub min_expected: f64,
    /// `share > 0.2`: say that the χ² p-value is unreliable (and show Fisher for 2×2).
    pub warn: bool,
}

/// Extra tests for a table that is 2×2 once empty rows and columns are dropped.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TwoByTwoTests {
    /// Pearson χ² with Yates' continuity correction as scipy applies it: each count moved
    /// towards its expected value by min(0.5, |O − E|).
    pub yates: ChiSquareTest,
    /// Fisher's exact test, two-sided: the total probability of the tables with the same
    /// margins that are no more probable than the observed one. `None` when the counts
    /// are not whole numbers (weighted or rescaled tables): it is a test on counts.
    pub fisher_p: Option<f64>,
    /// φ signed as SPSS shows it: (ad − bc)/√(row₁ row₂ col₁ col₂), a, b the first row.
    pub phi: f64,
}

/// Everything the crosstab layer shows about independence in one matrix.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct CrosstabTests {
    /// Shape of the input (the longest row gives the column count; short rows are
    /// read as ending in zeros).
    pub rows: usize,
    pub cols: usize,
    /// The counts the statistics were computed on: the input, or the rescaled weight sums
    /// when `scaled_to_sample_size`.
    pub counts: Vec<Vec<f64>>,
    pub row_totals: Vec<f64>,
    pub col_totals: Vec<f64>,
    pub grand_total: f64,
    /// Percentages (0–100) of the row total, column total and grand total; `None` where
    /// that total is 0.
    pub row_percent: Vec<Vec<Option<f64>>>,
    pub col_percent: Vec<Vec<Option<f64>>>,
    pub total_percent: Vec<Vec<Option<f64>>>,
    /// Rows and columns with total 0, left out of the tests (indices into the input).
    pub dropped_rows: Vec<usize>,
    pub dropped_cols: Vec<usize>,
    /// Expected counts under independence (row total × column total / n); `None` in
    /// dropped rows and columns and when the tests are not computable.
    pub expected: Vec<Vec<Option<f64>>>,
    /// (O − E)/√(E (1 − row/n)(1 − col/n)): approximately standard normal under
    /// independence, so comparable across cells (unlike O − E or Pearson residuals).
    pub adjusted_residuals: Vec<Vec<Option<f64>>>,
    pub marks: Vec<Vec<ResidualMark>>,
    /// `Some` when the tests could not be computed, with the reason; then all test
    /// fields below are `None`.
    pub not_computable: Option<NotComputable>,
    pub pearson: Option<ChiSquareTest>,
    /// G² = 2 Σ O ln(O/E).
    pub likelihood_ratio: Option<ChiSquareTest>,
    /// √(χ² / (n (min(r, c) − 1))) on the tested matrix.
    pub cramers_v: Option<f64>,
    pub sparse: Option<SparseWarning>,
    pub two_by_two: Option<TwoByTwoTests>,
    /// True when the counts are weight sums rescaled so that they total the unweighted
    /// sample size ([`weighted_crosstab_tests`]): χ² on raw weight sums would treat the
    /// population total as the number of observations.
    pub scaled_to_sample_size: bool,
}

/// Tests on a matrix of counts (rows of the outer `Vec` are the table's rows).
pub fn crosstab_tests(counts: &[Vec<f64>]) -> CrosstabTests {
    analyse(counts, false)
}

/// Tests on a matrix of weight sums: the sums are first rescaled to total `sample_size`
/// (the unweighted number of respondents in the table; see [`rescale_to_n`]), so that
/// the χ² tests work with roughly the amount of information really observed. Fisher's
/// test is not computed (the rescaled numbers are not counts). Percentages are the same
/// as on the raw weight sums; totals and expected counts are on the rescaled scale.
pub fn weighted_crosstab_tests(weight_sums: &[Vec<f64>], sample_size: f64) -> CrosstabTests {
    analyse(&rescale_to_n(weight_sums, sample_size), true)
}

/// Multiplies every cell by `n / total`, so that the matrix sums to `n`. A matrix whose
/// total is 0 or not finite, or a non-finite or negative `n`, is returned unchanged.
pub fn rescale_to_n(matrix: &[Vec<f64>], n: f64) -> Vec<Vec<f64>> {
    let total: f64 = matrix.iter().flatten().sum();
    if !(total > 0.0) || !total.is_finite() || !(n >= 0.0) || !n.is_finite() {
        return matrix.to_vec();
    }
    let factor = n / total;
    matrix
        .iter()
        .map(|row| row.iter().map(|x| x * factor).collect())
        .collect()
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    if whole > 0.0 {
        finite(100.0 * part / whole)
    } else {
        None
    }
}

fn analyse(input: &[Vec<f64>], scaled: bool) -> CrosstabTests {
    let rows = input.len();
    let cols = input.iter().map(Vec::len).max().unwrap_or(0);
    let counts: Vec<Vec<f64>> = input
        .iter()
        .map(|row| {
            (0..cols)
                .map(|j| row.get(j).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    let row_totals: Vec<f64> = counts.iter().map(|r| r.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..cols)
        .map(|j| counts.iter().map(|r| r[j]).sum())
        .collect();
    let grand_total: f64 = row_totals.iter().sum();

    let map = |f: &dyn Fn(usize, usize) -> Option<f64>| -> Vec<Vec<Option<f64>>> {
        (0..rows)
            .map(|i| (0..cols).map(|j| f(i, j)).collect())
            .collect()
    };
    let row_percent = map(&|i, j| percent(counts[i][j], row_totals[i]));
    let col_percent = map(&|i, j| percent(counts[i][j], col_totals[j]));
    let total_percent = map(&|i, j| percent(counts[i][j], grand_total));

    let dropped_rows: Vec<usize> = (0..rows).filter(|&i| !(row_totals[i] > 0.0)).collect();
    let dropped_cols: Vec<usize> = (0..cols).filter(|&j| !(col_totals[j] > 0.0)).collect();
    let kept_rows: Vec<usize> = (0..rows).filter(|&i| row_totals[i] > 0.0).collect();
    let kept_cols: Vec<usize> = (0..cols).filter(|&j| col_totals[j] > 0.0).collect();

    let mut result = CrosstabTests {
        rows,
        cols,
        row_totals: row_totals.clone(),
        col_totals: col_totals.clone(),
        grand_total,
        row_percent,
        col_percent,
        total_percent,
        dropped_rows,
        dropped_cols,
        expected: vec![vec![None; cols]; rows],
        adjusted_residuals: vec![vec![None; cols]; rows],
        marks: vec![vec![ResidualMark::NotSignificant; cols]; rows],
        not_computable: None,
        pearson: None,
        likelihood_ratio: None,
        cramers_v: None,
        sparse: None,
        two_by_two: None,
        scaled_to_sample_size: scaled,
        counts,
    };

    let invalid = result
        .counts
        .iter()
        .flatten()
        .any(|x| !x.is_finite() || *x < 0.0);
    let reason = if invalid {
        Some(NotComputable::InvalidCounts)
    } else if !(grand_total > 0.0) {
        Some(NotComputable::Empty)
    } else if kept_rows.len() < 2 {
        Some(NotComputable::SingleRow)
    } else if kept_cols.len() < 2 {
        Some(NotComputable::SingleColumn)
    } else {
        None
    };
    if reason.is_some() {
        result.not_computable = reason;
        return result;
    }

    let n = grand_total;
    let obs = &result.counts;
    let mut chi2 = 0.0;
    let mut g2 = 0.0;
    let mut below_5 = 0;
    let mut min_expected = f64::INFINITY;
    for &i in &kept_rows {
        for &j in &kept_cols {
            let e = row_totals[i] * col_totals[j] / n;
            let o = obs[i][j];
            chi2 += (o - e) * (o - e) / e;
            if o > 0.0 {
                g2 += o * (o / e).ln();
            }
            if e < SPARSE_EXPECTED {
                below_5 += 1;
            }
            min_expected = min_expected.min(e);
            let denom = (e * (1.0 - row_totals[i] / n) * (1.0 - col_totals[j] / n)).sqrt();
            let residual = finite((o - e) / denom);
            result.expected[i][j] = Some(e);
            result.adjusted_residuals[i][j] = residual;
            result.marks[i][j] = ResidualMark::of(residual);
        }
    }
    g2 *= 2.0;
    let (r, c) = (kept_rows.len(), kept_cols.len());
    let df = ((r - 1) * (c - 1)) as f64;
    result.pearson = Some(ChiSquareTest {
        statistic: chi2,
        df,
        p_value: chi_squared_sf(chi2, df),
    });
    result.likelihood_ratio = Some(ChiSquareTest {
        statistic: g2,
        df,
        p_value: chi_squared_sf(g2, df),
    });
    result.cramers_v = finite((chi2 / (n * (r.min(c) - 1) as f64)).sqrt());
    let cells = r * c;
    let share = below_5 as f64 / cells as f64;
    result.sparse = Some(SparseWarning {
        cells_below_5: below_5,
        cells_tested: cells,
        share,
        min_expected,
        warn: share > SPARSE_SHARE_LIMIT,
    });

    if r == 2 && c == 2 {
        let (i0, i1, j0, j1) = (kept_rows[0], kept_rows[1], kept_cols[0], kept_cols[1]);
        let m = [[obs[i0][j0], obs[i0][j1]], [obs[i1][j0], obs[i1][j1]]];
        result.two_by_two = Some(two_by_two(m, scaled));
    }
    result
}

fn two_by_two(m: [[f64; 2]; 2], scaled: bool) -> TwoByTwoTests {
    let rows = [m[0][0] + m[0][1], m[1][0] + m[1][1]];
    let cols = [m[0][0] + m[1][0], m[0][1] + m[1][1]];
    let n = rows[0] + rows[1];
    let mut yates = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            let e = rows[i] * cols[j] / n;
            let diff = e - m[i][j];
            let o = m[i][j] + diff.signum() * diff.abs().min(0.5);
            yates += (o - e) * (o - e) / e;
        }
    }
    let phi =
        (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / (rows[0] * rows[1] * cols[0] * cols[1]).sqrt();
    let whole = m.iter().flatten().all(|x| (x - x.round()).abs() < 1e-9);
    let fisher_p = if whole && !scaled {
        let k = |x: f64| x.round() as u64;
        fisher_exact_two_sided(k(m[0][0]), k(m[0][1]), k(m[1][0]), k(m[1][1]))
    } else {
        None
    };
    TwoByTwoTests {
        yates: ChiSquareTest {
            statistic: yates,
            df: 1.0,
            p_value: chi_squared_sf(yates, 1.0),
        },
        fisher_p,
        phi,
    }
}

/// Fisher's exact test on [[a, b], [c, d]], two-sided: Σ P(table) over the tables with the
/// observed margins whose probability is ≤ P(observed) × (1 + 1e-7). Probabilities are
/// hypergeometric, computed from log-factorials. `None` if a margin is 0.
pub fn fisher_exact_two_sided(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    let row1 = a + b;
    let row2 = c + d;
    let col1 = a + c;
    let n = row1 + row2;
    if row1 == 0 || row2 == 0 || col1 == 0 || col1 == n {
        return None;
    }
    // P(x) for x = the top-left count, margins fixed.
    let ln_const =
        ln_factorial(row1) + ln_factorial(row2) + ln_factorial(col1) + ln_factorial(n - col1)
            - ln_factorial(n);
    let ln_p = |x: u64| {
        ln_const
            - ln_factorial(x)
            - ln_factorial(row1 - x)
            - ln_factorial(col1 - x)
            - ln_factorial(row2 + x - col1)
    };
    let lo = col1.saturating_sub(row2);
    let hi = row1.min(col1);
    let observed = ln_p(a);
    let limit = observed + FISHER_RELATIVE_TIE.ln_1p();
    let p: f64 = (lo..=hi)
        .map(ln_p)
        .filter(|&lp| lp <= limit)
        .map(f64::exp)
        .sum();
    Some(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single_row_tables_are_not_computable() {
        let empty = crosstab_tests(&[]);
        assert_eq!(empty.not_computable, Some(NotComputable::Empty));
        assert_eq!((empty.rows, empty.cols), (0, 0));
        let no_cols = crosstab_tests(&[vec![], vec![]]);
        assert_eq!(no_cols.not_computable, Some(NotComputable::Empty));
        let zeros = crosstab_tests(&[vec![0.0, 0.0], vec![0.0, 0.0]]);
        assert_eq!(zeros.not_computable, Some(NotComputable::Empty));
        assert_eq!(zeros.row_percent[0][0], None);
        let one_row = crosstab_tests(&[vec![3.0, 4.0, 5.0]]);
        assert_eq!(one_row.not_computable, Some(NotComputable::SingleRow));
        assert_eq!(one_row.row_percent[0][1], Some(100.0 * 4.0 / 12.0));
        assert_eq!(one_row.pearson, None);
        let one_col = crosstab_tests(&[vec![3.0, 0.0], vec![4.0, 0.0]]);
        assert_eq!(one_col.not_computable, Some(NotComputable::SingleColumn));
        assert_eq!(one_col.dropped_cols, vec![1]);
        let bad = crosstab_tests(&[vec![3.0, f64::NAN], vec![4.0, 1.0]]);
        assert_eq!(bad.not_computable, Some(NotComputable::InvalidCounts));
        let negative = crosstab_tests(&[vec![3.0, -1.0], vec![4.0, 1.0]]);
        assert_eq!(negative.not_computable, Some(NotComputable::InvalidCounts));
    }

    #[test]
    fn zero_rows_and_columns_are_dropped_not_nan() {
        let m = vec![
            vec![10.0, 0.0, 5.0],
            vec![0.0, 0.0, 0.0],
            vec![4.0, 0.0, 9.0],
        ];
        let t = crosstab_tests(&m);
        assert_eq!(t.dropped_rows, vec![1]);
        assert_eq!(t.dropped_cols, vec![1]);
        let reduced = crosstab_tests(&[vec![10.0, 5.0], vec![4.0, 9.0]]);
        assert_eq!(t.pearson, reduced.pearson);
        assert_eq!(t.two_by_two, reduced.two_by_two);
        assert_eq!(t.expected[1][0], None);
        assert_eq!(t.expected[0][1], None);
        assert_eq!(t.expected[0][0], reduced.expected[0][0]);
        assert_eq!(t.marks[1][1], ResidualMark::NotSignificant);
        assert!(t.pearson.unwrap().p_value.unwrap().is_finite());
    }

    #[test]
    fn ragged_rows_read_as_zeros() {
        let t = crosstab_tests(&[vec![1.0, 2.0, 3.0], vec![4.0]]);
        assert_eq!(t.cols, 3);
        assert_eq!(t.counts[1], vec![4.0, 0.0, 0.0]);
    }

    #[test]
    fn fisher_needs_whole_counts_and_none_under_rescaling() {
        let t = crosstab_tests(&[vec![2.5, 3.0], vec![4.0, 1.0]]);
        assert_eq!(t.two_by_two.unwrap().fisher_p, None);
        let w = weighted_crosstab_tests(&[vec![20.0, 30.0], vec![40.0, 10.0]], 10.0);
        assert!(w.scaled_to_sample_size);
        assert_eq!(w.grand_total, 10.0);
        assert_eq!(w.two_by_two.as_ref().unwrap().fisher_p, None);
        assert_eq!(w.row_percent[0][0], Some(40.0));
    }

    #[test]
    fn fisher_symmetric_table_is_one_and_degenerate_is_none() {
        assert!((fisher_exact_two_sided(3, 3, 3, 3).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(fisher_exact_two_sided(0, 0, 3, 3), None);
        assert_eq!(fisher_exact_two_sided(0, 4, 0, 3), None);
        // R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857142857
        assert!(
            (fisher_exact_two_sided(3, 1, 1, 3).unwrap() - 0.485_714_285_714_285_7).abs() < 1e-12
        );
    }

    #[test]
    fn marks_follow_thresholds() {
        assert_eq!(ResidualMark::of(Some(2.6)), ResidualMark::StrongUp);
        assert_eq!(ResidualMark::of(Some(2.0)), ResidualMark::Up);
        assert_eq!(ResidualMark::of(Some(1.96)), ResidualMark::NotSignificant);
        assert_eq!(ResidualMark::of(Some(-2.0)), ResidualMark::Down);
        assert_eq!(ResidualMark::of(Some(-3.0)), ResidualMark::StrongDown);
        assert_eq!(ResidualMark::of(None), ResidualMark::NotSignificant);
    }

    #[test]
    fn rescale_leaves_degenerate_input_alone() {
        assert_eq!(rescale_to_n(&[vec![0.0, 0.0]], 5.0), vec![vec![0.0, 0.0]]);
        assert_eq!(
            rescale_to_n(&[vec![1.0, 3.0]], f64::NAN),
            vec![vec![1.0, 3.0]]
        );
        assert_eq!(rescale_to_n(&[vec![1.0, 3.0]], 8.0), vec![vec![2.0, 6.0]]);
    }

    #[test]
    fn results_survive_json() {
        let t = crosstab_tests(&[
            vec![10.0, 0.0, 5.0],
            vec![0.0, 0.0, 0.0],
            vec![4.0, 0.0, 9.0],
        ]);
        let json = serde_json::to_string(&t).unwrap();
        let back: CrosstabTests = serde_json::from_str(&json).unwrap();
        // serde_json's default float parsing may differ in the last bit: compare the
        // structure exactly and the numbers closely.
        assert_eq!(back.expected[1][0], None);
        assert_eq!(
            (back.dropped_rows, back.dropped_cols),
            (t.dropped_rows, t.dropped_cols)
        );
        assert_eq!(back.marks, t.marks);
        let (a, b) = (back.pearson.unwrap(), t.pearson.unwrap());
        assert!((a.statistic - b.statistic).abs() <= 1e-14 * b.statistic);
    }
}
