//! Upper-tail probabilities from `statrs`, computed as survival functions (never `1 − cdf`)
//! so that p-values far in the tail keep their relative precision. Each returns `None`
//! when the statistic or the degrees of freedom make no sense (NaN, df ≤ 0), instead of
//! the panics or NaNs the distribution constructors would give.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use statrs::function::beta::checked_beta_reg;

/// P(X ≥ x) for X ~ χ²(df).
pub fn chi_squared_sf(x: f64, df: f64) -> Option<f64> {
    if !x.is_finite() || !(df > 0.0) || !df.is_finite() {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    ChiSquared::new(df).ok().map(|d| d.sf(x))
}

/// P(X ≥ f) for X ~ F(df1, df2). Computed as I_{df2/(df1 f + df2)}(df2/2, df1/2) directly:
/// statrs' own `sf` forms `1 − df1 f/(df1 f + df2)`, which loses digits when p is tiny.
pub fn f_sf(f: f64, df1: f64, df2: f64) -> Option<f64> {
    if !f.is_finite() || !(df1 > 0.0) || !(df2 > 0.0) || !df1.is_finite() || !df2.is_finite() {
        return None;
    }
    if f <= 0.0 {
        return Some(1.0);
    }
    let x = df2 / (df1 * f + df2);
    checked_beta_reg(df2 / 2.0, df1 / 2.0, x).ok()
}

/// Two-sided p-value of a standard normal statistic: 2 P(Z ≥ |z|), computed as the
/// χ²(1) upper tail at z² (the same number, since Z² ~ χ²(1)). statrs 0.18's `erfc`, which
/// its `Normal::sf` uses, is off by up to ~1e-10 relative for |z| ≥ 0.5 (checked against
/// Python's `math.erfc`), while its regularized incomplete gamma behind χ² agrees with
/// scipy to ~1e-14.
pub fn normal_two_sided(z: f64) -> Option<f64> {
    if z.is_nan() {
        return None;
    }
    if z.is_infinite() {
        return Some(0.0);
    }
    chi_squared_sf(z * z, 1.0).map(|p| p.min(1.0))
}

/// The z with P(Z ≥ z) = (1 − confidence)/2, e.g. 1.959964 for 95 %. `None` unless
/// 0 < confidence < 1 (statrs' `inverse_cdf` panics outside [0, 1]).
pub fn normal_critical(confidence: f64) -> Option<f64> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let n = Normal::new(0.0, 1.0).ok()?;
    Some(n.inverse_cdf(1.0 - (1.0 - confidence) / 2.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_arguments_give_none() {
        assert_eq!(chi_squared_sf(f64::NAN, 1.0), None);
        assert_eq!(chi_squared_sf(3.0, 0.0), None);
        assert_eq!(chi_squared_sf(0.0, 2.0), Some(1.0));
        assert_eq!(f_sf(2.0, 0.0, 3.0), None);
        assert_eq!(f_sf(f64::INFINITY, 1.0, 3.0), None);
        assert_eq!(normal_two_sided(f64::NAN), None);
        assert_eq!(normal_critical(1.0), None);
        assert_eq!(normal_critical(0.0), None);
    }

    #[test]
    fn known_values() {
        // χ²(1) at 3.841459 is the 5 % point; z 1.959964 likewise.
        assert!((chi_squared_sf(3.841_458_820_694_124, 1.0).unwrap() - 0.05).abs() < 1e-12);
        assert!((normal_two_sided(1.959_963_984_540_054).unwrap() - 0.05).abs() < 1e-15);
        assert_eq!(normal_two_sided(0.0), Some(1.0));
        assert_eq!(normal_two_sided(f64::NEG_INFINITY), Some(0.0));
        assert!((normal_critical(0.95).unwrap() - 1.959_963_984_540_054).abs() < 1e-12);
        // F(1, d) = t²(d): F = 4 on (1, 10) ↔ t = 2, two-sided p = 0.073388034...
        assert!((f_sf(4.0, 1.0, 10.0).unwrap() - 0.073_388_034_770_740_7).abs() < 1e-12);
    }
}
