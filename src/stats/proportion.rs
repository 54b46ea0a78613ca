//! A single proportion and its uncertainty: the Wilson score interval, and the
//! two-proportion z test used to compare a local result with a national one.
//!
//! The Wilson interval stays inside [0, 1] and behaves at p = 0 or 1 and small n, where the
//! textbook p ± 1.96√(p(1−p)/n) fails. Under weights, pass the weighted proportion and
//! the Kish effective n ([`super::weights::weight_summary`]) as `n`: the interval then
//! reflects the information the weighted sample really holds.
//!
//! Checked against statsmodels 0.15 `proportion_confint(method="wilson")` and
//! `proportions_ztest` (pooled, two-sided).

use serde::{Deserialize, Serialize};

use super::finite;
use super::p_values::{normal_critical, normal_two_sided};

/// A confidence interval for a proportion (both ends in 0–1).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Interval {
    pub p: f64,
    /// The n used (possibly an effective n, so not necessarily whole).
    pub n: f64,
    pub confidence: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The Wilson score interval for proportion `p` (0–1) from `n` observations at the given
/// confidence (0.95 for 95 %). `None` when n ≤ 0, p is outside [0, 1], or the confidence is
/// outside (0, 1), or anything is NaN.
pub fn wilson_interval(p: f64, n: f64, confidence: f64) -> Option<Interval> {
    if !(n > 0.0) || !n.is_finite() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let z = normal_critical(confidence)?;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(Interval {
        p,
        n,
        confidence,
        // Rounding can leave −1e-17 at p = 0; the interval is within [0, 1] by theory.
        lower: (center - half).clamp(0.0, 1.0),
        upper: (center + half).clamp(0.0, 1.0),
    })
}

/// Result of a two-proportion z test.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TwoProportionTest {
    /// (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)), p̄ the pooled proportion.
    pub z: f64,
    /// Two-sided.
    pub p_value: f64,
    pub pooled: f64,
}

/// Two-proportion z test with the pooled proportion, two-sided: is the local p1 (from n1)
/// different from p2 (from n2)? n may be an effective n under weights. `None` when an n is
/// ≤ 0, a proportion is outside [0, 1], or the pooled proportion is 0 or 1 (no variance).
pub fn two_proportion_z_test(p1: f64, n1: f64, p2: f64, n2: f64) -> Option<TwoProportionTest> {
    let valid_n = |n: f64| n > 0.0 && n.is_finite();
    let valid_p = |p: f64| (0.0..=1.0).contains(&p);
    if !valid_n(n1) || !valid_n(n2) || !valid_p(p1) || !valid_p(p2) {
        return None;
    }
    let pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
    if !(pooled > 0.0 && pooled < 1.0) {
        return None;
    }
    let z = finite((p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt())?;
    Some(TwoProportionTest {
        z,
        p_value: normal_two_sided(z)?,
        pooled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_give_none() {
        assert_eq!(wilson_interval(0.5, 0.0, 0.95), None);
        assert_eq!(wilson_interval(1.2, 10.0, 0.95), None);
        assert_eq!(wilson_interval(f64::NAN, 10.0, 0.95), None);
        assert_eq!(wilson_interval(0.5, 10.0, 1.0), None);
        assert_eq!(two_proportion_z_test(0.0, 10.0, 0.0, 20.0), None);
        assert_eq!(two_proportion_z_test(0.5, 0.0, 0.4, 20.0), None);
        assert_eq!(two_proportion_z_test(0.5, 10.0, f64::NAN, 20.0), None);
    }

    #[test]
    fn edges_stay_in_unit_interval() {
        let zero = wilson_interval(0.0, 25.0, 0.95).unwrap();
        assert_eq!(zero.lower, 0.0);
        assert!(zero.upper > 0.0 && zero.upper < 0.2);
        let one = wilson_interval(1.0, 25.0, 0.95).unwrap();
        assert_eq!(one.upper, 1.0);
        let equal = two_proportion_z_test(0.3, 50.0, 0.3, 80.0).unwrap();
        assert_eq!((equal.z, equal.p_value), (0.0, 1.0));
    }
}
