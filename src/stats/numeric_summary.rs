//! The summary of a numeric question (年齢, the UCLA-3 score): n, mean, SD, min, the
//! quartiles, max and a histogram, from its frequency table — each distinct value with
//! how many respondents gave it and their weights — so that a 77-row table of ages reads
//! as a handful of figures. The mean UCLA score is one municipalities compare.
//!
//! Quartiles: R type 7 (numpy's default), weighted ones as statsmodels `DescrStatsW` —
//! see `quantiles`. SD: sample SD (n − 1); weighted, frequency weights
//! Σw(x − x̄)² / (Σw − 1), as `describe_weighted`. Bins: `histogram`. Checked against
//! Python's `statistics` in `tests/stats_reference.rs` (`numeric_summary.json`).

use serde::{Deserialize, Serialize};

use super::finite;
use super::histogram::{histogram, HistogramBin};
use super::quantiles::{quantile_type7, weighted_quantile};

/// Under a weight: the same figures with frequency-weight semantics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedSummary {
    pub sum_weights: f64,
    pub mean: Option<f64>,
    /// Σw(x − x̄)² / (Σw − 1); `None` when Σw ≤ 1.
    pub sd: Option<f64>,
    pub q1: Option<f64>,
    pub median: Option<f64>,
    pub q3: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericSummary {
    /// Respondents with a number.
    pub n: u64,
    /// Respondents without one (a non-finite value in the table: a blank cell, text, a
    /// missing code), left out of every figure.
    pub no_number: u64,
    pub mean: Option<f64>,
    /// Sample SD (n − 1); `None` when n < 2.
    pub sd: Option<f64>,
    pub min: Option<f64>,
    /// First quartile (R type 7).
    pub q1: Option<f64>,
    pub median: Option<f64>,
    /// Third quartile (R type 7).
    pub q3: Option<f64>,
    pub max: Option<f64>,
    pub weighted: Option<WeightedSummary>,
    /// Bars of the histogram (their counts sum to `n`).
    pub histogram: Vec<HistogramBin>,
}

/// Summarises a frequency table of `(value, count, sum of weights)`, in any order;
/// non-finite values (counted in `no_number`) and empty entries are left out. `weighted`: the weights mean
/// something (a weight was chosen).
pub fn numeric_summary(table: &[(f64, u64, f64)], weighted: bool) -> NumericSummary {
    let mut t: Vec<(f64, u64, f64)> = table
        .iter()
        .copied()
        .filter(|e| e.0.is_finite() && e.1 > 0)
        .collect();
    t.sort_by(|a, b| a.0.total_cmp(&b.0));
    let no_number = table.iter().filter(|e| !e.0.is_finite()).map(|e| e.1).sum();
    let n: u64 = t.iter().map(|e| e.1).sum();
    let counts: Vec<(f64, u64)> = t.iter().map(|e| (e.0, e.1)).collect();
    let mean = (n > 0)
        .then(|| t.iter().map(|e| e.0 * e.1 as f64).sum::<f64>() / n as f64)
        .and_then(finite);
    let sd = match mean {
        Some(m) if n > 1 => finite(
            (t.iter()
                .map(|e| e.1 as f64 * (e.0 - m) * (e.0 - m))
                .sum::<f64>()
                / (n - 1) as f64)
                .sqrt(),
        ),
        _ => None,
    };
    let weighted = weighted.then(|| {
        let pairs: Vec<(f64, f64)> = t
            .iter()
            .filter(|e| e.2.is_finite() && e.2 >= 0.0)
            .map(|e| (e.0, e.2))
            .collect();
        let sum_weights: f64 = pairs.iter().map(|p| p.1).sum();
        let mean = (sum_weights > 0.0)
            .then(|| pairs.iter().map(|(x, w)| x * w).sum::<f64>() / sum_weights)
            .and_then(finite);
        let sd = match mean {
            Some(m) if sum_weights > 1.0 => finite(
                (pairs
                    .iter()
                    .map(|(x, w)| w * (x - m) * (x - m))
                    .sum::<f64>()
                    / (sum_weights - 1.0))
                    .sqrt(),
            ),
            _ => None,
        };
        WeightedSummary {
            sum_weights,
            mean,
            sd,
            q1: weighted_quantile(&pairs, 0.25),
            median: weighted_quantile(&pairs, 0.5),
            q3: weighted_quantile(&pairs, 0.75),
        }
    });
    NumericSummary {
        n,
        no_number,
        mean,
        sd,
        min: t.first().map(|e| e.0),
        q1: quantile_type7(&counts, 0.25),
        median: quantile_type7(&counts, 0.5),
        q3: quantile_type7(&counts, 0.75),
        max: t.last().map(|e| e.0),
        histogram: histogram(&t, weighted.is_some()),
        weighted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single_values_give_none_not_panics() {
        let s = numeric_summary(&[], true);
        assert_eq!((s.n, s.mean, s.sd, s.median), (0, None, None, None));
        assert!(s.histogram.is_empty());
        let s = numeric_summary(&[(4.0, 1, 0.5), (f64::NAN, 3, 1.0)], true);
        assert_eq!((s.n, s.mean, s.sd, s.q1), (1, Some(4.0), None, Some(4.0)));
        assert_eq!(s.no_number, 3);
        assert_eq!(s.weighted.unwrap().sd, None);
    }
}
