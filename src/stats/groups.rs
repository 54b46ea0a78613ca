//! Numbers by group (e.g. a loneliness score by age band): descriptives per group,
//! weighted descriptives, one-way ANOVA with η², and the Kruskal–Wallis test.
//!
//! Values that are not finite numbers (NaN, ±∞: how missing answers arrive) are left out
//! and counted in `excluded`. Groups left with no values are dropped from the tests (an
//! age band with nobody in it says nothing about differences) and listed in
//! `dropped_groups`, as the crosstab tests drop empty rows.
//!
//! Checked against numpy (descriptives), statsmodels 0.15 `DescrStatsW` (weighted),
//! scipy 1.17 `f_oneway` and `kruskal`.

use serde::{Deserialize, Serialize};

use super::finite;
use super::p_values::{chi_squared_sf, f_sf};
use super::quantiles::weighted_quantile;

/// Unweighted descriptives of one group.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Descriptives {
    /// Finite values used.
    pub n: usize,
    /// Non-finite values left out.
    pub excluded: usize,
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n − 1); `None` when n < 2.
    pub sd: Option<f64>,
    /// Middle value, or the mean of the two middle values.
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Weighted descriptives with **frequency-weight** semantics: a respondent of weight w
/// counts as w identical respondents. So the variance is Σw(x − x̄)² / (Σw − 1), as
/// statsmodels `DescrStatsW(ddof=1)` and SPSS (weights as case counts) compute it; with
/// weights normalised to mean 1 this is close to the unweighted sample variance. (The
/// other common choice, "reliability" weights with divisor Σw − Σw²/Σw, is not used.)
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct WeightedDescriptives {
    /// Respondents used (finite value, finite non-negative weight).
    pub n: usize,
    /// Respondents left out: value or weight not finite, or weight negative.
    pub excluded: usize,
    pub sum_weights: f64,
    /// Σwx / Σw; `None` when Σw = 0.
    pub mean: Option<f64>,
    /// Σw(x − x̄)² / (Σw − 1); `None` when Σw ≤ 1.
    pub variance: Option<f64>,
    pub sd: Option<f64>,
    /// Weighted median as SAS and `DescrStatsW.quantile(0.5)` define it: with tied values
    /// pooled and S_j the cumulative weight up to the j-th distinct value, the first value
    /// whose S_j ≥ W/2, or the mean of it and the next when S_j = W/2 exactly.
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// One-way analysis of variance over the non-empty groups.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Anova {
    /// Groups with at least one value: k.
    pub groups_used: usize,
    /// Groups with no values (indices into the input), left out.
    pub dropped_groups: Vec<usize>,
    /// All values in the groups used: N.
    pub n: usize,
    /// k − 1 and N − k.
    pub df1: usize,
    pub df2: usize,
    pub ss_between: f64,
    pub ss_within: f64,
    /// F = (SS_between/df1)/(SS_within/df2); `None` when k < 2, N ≤ k, or SS_within = 0
    /// (every group constant: F would be infinite or 0/0).
    pub f: Option<f64>,
    pub p_value: Option<f64>,
    /// η² = SS_between / SS_total: the share of variance explained by the groups;
    /// `None` when every value is equal.
    pub eta_squared: Option<f64>,
}

/// Kruskal–Wallis H test (ranks, so it suits ordinal scores like 3–12 sums).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct KruskalWallis {
    pub groups_used: usize,
    pub dropped_groups: Vec<usize>,
    pub n: usize,
    pub df: usize,
    /// H divided by the tie correction 1 − Σ(t³ − t)/(N³ − N) (scipy's and SPSS's H);
    /// `None` when k < 2 or every value is tied.
    pub h: Option<f64>,
    /// χ²(k − 1) upper tail of H.
    pub p_value: Option<f64>,
    /// The tie correction factor itself (1 = no ties).
    pub tie_correction: Option<f64>,
}

fn finite_values(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|v| v.is_finite()).collect()
}

fn median_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Descriptives of one set of values (non-finite ones excluded).
pub fn describe(values: &[f64]) -> Descriptives {
    let mut v = finite_values(values);
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let mean = (n > 0).then(|| v.iter().sum::<f64>() / n as f64);
    let sd = match (mean, n) {
        (Some(m), 2..) => {
            finite((v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64).sqrt())
        }
        _ => None,
    };
    Descriptives {
        n,
        excluded: values.len() - n,
        mean: mean.and_then(finite),
        sd,
        median: median_sorted(&v),
        min: v.first().copied(),
        max: v.last().copied(),
    }
}

/// [`describe`] for each group.
pub fn describe_groups(groups: &[Vec<f64>]) -> Vec<Descriptives> {
    groups.iter().map(|g| describe(g)).collect()
}

/// Weighted descriptives (see [`WeightedDescriptives`] for the definitions). `weights`
/// pairs with `values` by position; a value without a weight is excluded.
pub fn describe_weighted(values: &[f64], weights: &[f64]) -> WeightedDescriptives {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, &x)| {
            let w = *weights.get(i)?;
            (x.is_finite() && w.is_finite() && w >= 0.0).then_some((x, w))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = pairs.len();
    let sum_weights: f64 = pairs.iter().map(|p| p.1).sum();
    let mean = if sum_weights > 0.0 {
        finite(pairs.iter().map(|(x, w)| w * x).sum::<f64>() / sum_weights)
    } else {
        None
    };
    let variance = match mean {
        Some(m) if sum_weights > 1.0 => finite(
            pairs
                .iter()
                .map(|(x, w)| w * (x - m) * (x - m))
                .sum::<f64>()
                / (sum_weights - 1.0),
        ),
        _ => None,
    };
    WeightedDescriptives {
        n,
        excluded: values.len() - n,
        sum_weights,
        mean,
        variance,
        sd: variance.map(f64::sqrt),
        median: weighted_quantile(&pairs, 0.5),
        min: pairs.first().map(|p| p.0),
        max: pairs.last().map(|p| p.0),
    }
}

/// The finite values of each non-empty group, and the indices of the empty ones.
fn non_empty(groups: &[Vec<f64>]) -> (Vec<Vec<f64>>, Vec<usize>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let v = finite_values(g);
        if v.is_empty() {
            dropped.push(i);
        } else {
            kept.push(v);
        }
    }
    (kept, dropped)
}

/// One-way ANOVA of the groups' means.
pub fn one_way_anova(groups: &[Vec<f64>]) -> Anova {
    let (kept, dropped_groups) = non_empty(groups);
    let k = kept.len();
    let n: usize = kept.iter().map(Vec::len).sum();
    let grand_mean = kept.iter().flatten().sum::<f64>() / n.max(1) as f64;
    let mut ss_between = 0.0;
    let mut ss_within = 0.0;
    for g in &kept {
        let m = g.iter().sum::<f64>() / g.len() as f64;
        ss_between += g.len() as f64 * (m - grand_mean) * (m - grand_mean);
        ss_within += g.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
    }
    let df1 = k.saturating_sub(1);
    let df2 = n.saturating_sub(k);
    let ss_total = ss_between + ss_within;
    let f = if k >= 2 && df2 > 0 && ss_within > 0.0 {
        finite((ss_between / df1 as f64) / (ss_within / df2 as f64))
    } else {
        None
    };
    Anova {
        groups_used: k,
        dropped_groups,
        n,
        df1,
        df2,
        ss_between,
        ss_within,
        p_value: f.and_then(|f| f_sf(f, df1 as f64, df2 as f64)),
        f,
        eta_squared: if k >= 2 && ss_total > 0.0 {
            finite(ss_between / ss_total)
        } else {
            None
        },
    }
}

/// Kruskal–Wallis H with the tie correction, p from χ²(k − 1).
pub fn kruskal_wallis(groups: &[Vec<f64>]) -> KruskalWallis {
    let (kept, dropped_groups) = non_empty(groups);
    let k = kept.len();
    let mut all: Vec<(f64, usize)> = kept
        .iter()
        .enumerate()
        .flat_map(|(g, v)| v.iter().map(move |&x| (x, g)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = all.len();
    let mut rank_sums = vec![0.0; k];
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        // Positions i..=j (0-based) share the mid-rank of ranks i+1 ..= j+1.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for item in &all[i..=j] {
            rank_sums[item.1] += rank;
        }
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    let nf = n as f64;
    let df = k.saturating_sub(1);
    let tie_correction = (n >= 2).then(|| 1.0 - ties / (nf * nf * nf - nf));
    let h = match tie_correction {
        Some(c) if k >= 2 && c > 0.0 => {
            let sum: f64 = rank_sums
                .iter()
                .zip(&kept)
                .map(|(r, g)| r * r / g.len() as f64)
                .sum();
            finite((12.0 / (nf * (nf + 1.0)) * sum - 3.0 * (nf + 1.0)) / c)
        }
        _ => None,
    };
    KruskalWallis {
        groups_used: k,
        dropped_groups,
        n,
        df,
        p_value: h.and_then(|h| chi_squared_sf(h, df as f64)),
        h,
        tie_correction,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_degenerate() {
        let d = describe(&[]);
        assert_eq!(
            (d.n, d.mean, d.sd, d.median, d.min),
            (0, None, None, None, None)
        );
        let one = describe(&[4.0, f64::NAN]);
        assert_eq!(
            (one.n, one.excluded, one.mean, one.sd),
            (1, 1, Some(4.0), None)
        );
        let same = describe(&[5.0, 5.0, 5.0]);
        assert_eq!(same.sd, Some(0.0));
        assert_eq!(describe(&[1.0, 4.0, 2.0, 3.0]).median, Some(2.5));
    }

    #[test]
    fn weighted_degenerate() {
        let none = describe_weighted(&[], &[]);
        assert_eq!((none.mean, none.sd, none.median), (None, None, None));
        let zero = describe_weighted(&[1.0, 2.0], &[0.0, 0.0]);
        assert_eq!((zero.n, zero.mean, zero.median), (2, None, None));
        let small = describe_weighted(&[1.0, 3.0], &[0.25, 0.25]);
        assert_eq!(small.mean, Some(2.0));
        assert_eq!(small.sd, None, "Σw ≤ 1 has no frequency-weight variance");
        let bad = describe_weighted(&[1.0, 3.0, 5.0], &[1.0, -1.0]);
        assert_eq!((bad.n, bad.excluded), (1, 2));
        // Exact half: mean of the two middle values, as DescrStatsW.
        assert_eq!(
            describe_weighted(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4]).median,
            Some(2.5)
        );
        // Integer frequency weights equal repeating the values.
        let w = describe_weighted(&[1.0, 2.0, 6.0], &[2.0, 1.0, 3.0]);
        let r = describe(&[1.0, 1.0, 2.0, 6.0, 6.0, 6.0]);
        assert!((w.mean.unwrap() - r.mean.unwrap()).abs() < 1e-12);
        assert!((w.sd.unwrap() - r.sd.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn anova_degenerate() {
        let empty = one_way_anova(&[]);
        assert_eq!(
            (empty.f, empty.p_value, empty.eta_squared),
            (None, None, None)
        );
        let one_group = one_way_anova(&[vec![1.0, 2.0, 3.0], vec![]]);
        assert_eq!(one_group.dropped_groups, vec![1]);
        assert_eq!(one_group.f, None);
        let singletons = one_way_anova(&[vec![1.0], vec![2.0]]);
        assert_eq!((singletons.df2, singletons.f), (0, None));
        let constant = one_way_anova(&[vec![1.0, 1.0], vec![2.0, 2.0]]);
        assert_eq!(constant.f, None);
        assert_eq!(constant.eta_squared, Some(1.0));
        let all_equal = one_way_anova(&[vec![3.0, 3.0], vec![3.0, 3.0]]);
        assert_eq!((all_equal.f, all_equal.eta_squared), (None, None));
    }

    #[test]
    fn kruskal_degenerate() {
        let empty = kruskal_wallis(&[]);
        assert_eq!((empty.h, empty.p_value), (None, None));
        let all_tied = kruskal_wallis(&[vec![4.0, 4.0], vec![4.0]]);
        assert_eq!(all_tied.tie_correction, Some(0.0));
        assert_eq!(all_tied.h, None);
        let one = kruskal_wallis(&[vec![1.0, 2.0], vec![f64::NAN]]);
        assert_eq!((one.groups_used, one.h), (1, None));
        assert_eq!(one.dropped_groups, vec![1]);
    }
}
