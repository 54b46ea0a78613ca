//! How much weighting costs: Kish's effective sample size and design effect, and a
//! summary of the spread of the weights to show beside any weighted result.
//!
//! n_eff = (Σw)² / Σw² is the number of equally weighted respondents that would give the
//! same variance of a weighted mean (under Kish's assumptions: weights unrelated to the
//! answers); deff = n / n_eff = 1 + CV², where CV uses the population SD of the weights
//! (divisor n), so the two are consistent by construction.
//!
//! Checked against numpy in tests/reference/make_reference.py.

use serde::{Deserialize, Serialize};

use super::finite;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct WeightSummary {
    /// Weights used (finite and ≥ 0).
    pub n: usize,
    /// Weights left out: NaN, infinite or negative.
    pub excluded: usize,
    pub sum: f64,
    /// Kish effective sample size; `None` when every weight is 0 or there are none.
    pub n_eff: Option<f64>,
    /// Design effect of weighting, n / n_eff.
    pub deff: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    /// Coefficient of variation: population SD / mean.
    pub cv: Option<f64>,
}

/// Summarises `weights` (one per respondent).
pub fn weight_summary(weights: &[f64]) -> WeightSummary {
    let w: Vec<f64> = weights
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    let n = w.len();
    let sum: f64 = w.iter().sum();
    let sum_sq: f64 = w.iter().map(|x| x * x).sum();
    let n_eff = if sum_sq > 0.0 {
        finite(sum * sum / sum_sq)
    } else {
        None
    };
    let mean = (n > 0).then(|| sum / n as f64);
    let cv = mean.filter(|m| *m > 0.0).and_then(|m| {
        let var = w.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
        finite(var.sqrt() / m)
    });
    WeightSummary {
        n,
        excluded: weights.len() - n,
        sum,
        deff: n_eff.and_then(|e| finite(n as f64 / e)),
        n_eff,
        min: w.iter().copied().reduce(f64::min),
        max: w.iter().copied().reduce(f64::max),
        mean,
        cv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_weights() {
        let none = weight_summary(&[]);
        assert_eq!(
            (none.n, none.n_eff, none.deff, none.mean, none.cv),
            (0, None, None, None, None)
        );
        let zeros = weight_summary(&[0.0, 0.0]);
        assert_eq!((zeros.n_eff, zeros.cv), (None, None));
        let bad = weight_summary(&[1.0, f64::NAN, -2.0]);
        assert_eq!((bad.n, bad.excluded), (1, 2));
    }

    #[test]
    fn equal_weights_cost_nothing() {
        let s = weight_summary(&[2.5; 8]);
        assert!((s.n_eff.unwrap() - 8.0).abs() < 1e-12);
        assert!((s.deff.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(s.cv, Some(0.0));
    }

    #[test]
    fn deff_is_one_plus_cv_squared() {
        let s = weight_summary(&[0.4, 1.0, 2.2, 0.9, 3.1]);
        let cv = s.cv.unwrap();
        assert!((s.deff.unwrap() - (1.0 + cv * cv)).abs() < 1e-12);
    }
}
