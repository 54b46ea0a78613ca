//! Quantiles of a frequency table: (value, how many) or (value, weight) pairs sorted by
//! value, so that a numeric question's dictionary (a few dozen distinct ages) is summed
//! once instead of sorting every row.
//!
//! Two definitions, each the usual one for its case, stated so that a figure can be
//! reproduced elsewhere:
//! - unweighted: **R type 7**, numpy's default `'linear'`, Excel's `QUARTILE.INC`:
//!   h = (n − 1)p, then x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the sorted values
//!   (0-based);
//! - weighted (frequency weights): statsmodels `DescrStatsW.quantile` and SAS
//!   `PCTLDEF=5`: with tied values pooled and S_j the cumulative weight up to the j-th
//!   distinct value, the first value with S_j ≥ pW, or the mean of it and the next when
//!   S_j = pW exactly. With weights all 1 this is R type 2, not type 7: the weighted
//!   quartiles of a 1-weighted file can differ from the unweighted ones, as in SPSS.

/// The `k`-th (0-based) value of the data a sorted frequency table stands for.
fn order_statistic(table: &[(f64, u64)], k: u64) -> f64 {
    let mut seen = 0;
    for &(x, n) in table {
        seen += n;
        if k < seen {
            return x;
        }
    }
    table.last().map_or(f64::NAN, |t| t.0)
}

/// R type 7 quantile `p` (0–1) of a frequency table sorted by value; `None` when empty.
pub fn quantile_type7(table: &[(f64, u64)], p: f64) -> Option<f64> {
    let n: u64 = table.iter().map(|t| t.1).sum();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor();
    let below = order_statistic(table, lo as u64);
    let above = order_statistic(table, (lo as u64 + 1).min(n - 1));
    Some(below + (h - lo) * (above - below))
}

/// The weighted quantile `p` (0–1) of (value, weight) pairs sorted by value (see the
/// module's definition); `None` when the total weight is not positive.
pub fn weighted_quantile(pairs: &[(f64, f64)], p: f64) -> Option<f64> {
    // Pool ties: distinct values with their summed weights.
    let mut distinct: Vec<(f64, f64)> = Vec::new();
    for &(x, w) in pairs {
        match distinct.last_mut() {
            Some(last) if last.0 == x => last.1 += w,
            _ => distinct.push((x, w)),
        }
    }
    let mut cumulative = 0.0;
    let cum: Vec<f64> = distinct
        .iter()
        .map(|d| {
            cumulative += d.1;
            cumulative
        })
        .collect();
    if !(cumulative > 0.0) || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let target = p * cumulative;
    // First j with S_j ≥ target (numpy searchsorted, side left).
    let j = cum
        .iter()
        .position(|&s| s >= target - 1e-10 * cumulative)
        .unwrap_or(cum.len() - 1);
    if (target - cum[j]).abs() <= 1e-10 * cumulative && j + 1 < distinct.len() {
        Some((distinct[j].0 + distinct[j + 1].0) / 2.0)
    } else {
        Some(distinct[j].0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_interpolates_between_order_statistics() {
        // numpy.quantile([1, 2, 4, 7], [0.25, 0.5, 0.75]) = 1.75, 3.0, 4.75
        let t = [(1.0, 1), (2.0, 1), (4.0, 1), (7.0, 1)];
        assert_eq!(quantile_type7(&t, 0.25), Some(1.75));
        assert_eq!(quantile_type7(&t, 0.5), Some(3.0));
        assert_eq!(quantile_type7(&t, 0.75), Some(4.75));
        assert_eq!(quantile_type7(&t, 0.0), Some(1.0));
        assert_eq!(quantile_type7(&t, 1.0), Some(7.0));
        assert_eq!(quantile_type7(&[], 0.5), None);
        assert_eq!(quantile_type7(&[(5.0, 1)], 0.25), Some(5.0));
    }

    #[test]
    fn weighted_quantile_averages_at_an_exact_cumulative_weight() {
        // Expanded: 1 2 4 4 7 7 7 7 (W = 8): pW = 2, 4, 6 fall on boundaries.
        let p = [(1.0, 1.0), (2.0, 1.0), (4.0, 2.0), (7.0, 4.0)];
        assert_eq!(weighted_quantile(&p, 0.25), Some(3.0));
        assert_eq!(weighted_quantile(&p, 0.5), Some(5.5));
        assert_eq!(weighted_quantile(&p, 0.75), Some(7.0));
        assert_eq!(weighted_quantile(&[(1.0, 0.0)], 0.5), None);
    }
}
