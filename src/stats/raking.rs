//! Raking (iterative proportional fitting) of survey weights to known population totals
//! on several margins at once, e.g. age × sex and area from the resident register.
//!
//! One *cycle* visits the margins in order and, for each, multiplies the weight of every
//! respondent in category c by target_c / (current weight sum of c), so that margin matches
//! exactly; the next margin then disturbs it a little less each cycle. After each cycle
//! the convergence report records the largest relative gap |Σw − target| / target over all
//! margins and categories (targets > 0); raking stops when it is ≤ `tolerance`.
//! This is the algorithm of samplics' `SampleWeight.rake` and R's `survey::rake`; the
//! weights are checked against samplics 0.6.1 to 1e-6 relative (in practice ~1e-12).
//!
//! **Missing answers are refused**: a respondent with no category on a margin variable
//! can't be placed in that margin, and any silent choice (keep their weight, spread them
//! over categories) changes the totals. [`rake`] returns [`RakeError::Missing`] naming the
//! margin and how many respondents; impute the variable or add a "no answer" category with
//! its own target first.
//!
//! **Trimming** (optional): after each cycle that did not converge, weights are clamped
//! to [lower × mean, upper × mean] (mean = the current mean weight over all respondents),
//! and the next cycle re-rakes. Raking is converged only when the margins are within
//! tolerance *and* every weight is within the bounds (each bound widened by the relative
//! tolerance, since a cycle moves clamped weights by about that much). The weights
//! returned always come from a raking cycle, never from a clamp, so the margins are as
//! close as the report says; if bounds and margins can't both hold, `converged` is false
//! and `outside_bounds` counts the weights still outside.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Margin totals that differ from the first margin's by more than this (relative) are
/// reported: raking can't meet margins with different totals.
pub const TOTALS_AGREE: f64 = 1e-6;

/// One raking variable: each respondent's category and the population total per category.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Margin {
    /// Shown in errors and warnings (e.g. "年代×性別").
    pub name: String,
    /// Per respondent (same order as the weights): category index into `targets`, or
    /// `None` when the answer is missing (refused; see the module documentation).
    pub categories: Vec<Option<usize>>,
    /// Population total per category.
    pub targets: Vec<f64>,
}

/// Trimming bounds as multiples of the mean weight, e.g. 0.3 and 3.0.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct Trim {
    pub lower: f64,
    pub upper: f64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct RakeOptions {
    /// Full cycles at most (default 100).
    pub max_iterations: usize,
    /// Largest relative margin gap accepted (default 1e-8).
    pub tolerance: f64,
    pub trim: Option<Trim>,
}

impl Default for RakeOptions {
    fn default() -> Self {
        RakeOptions {
            max_iterations: 100,
            tolerance: 1e-8,
            trim: None,
        }
    }
}

/// Problems that don't stop raking but must be shown.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum RakeWarning {
    /// This margin's targets add up to a different total than the first margin's, so not
    /// every margin can be met (raking will not converge; the last margin visited wins).
    TotalsDisagree {
        margin: String,
        total: f64,
        first_margin: String,
        first_total: f64,
    },
    /// A category has target 0 but respondents: their weights become 0.
    ZeroTargetWithRespondents {
        margin: String,
        category: usize,
        respondents: usize,
    },
}

/// Why raking was not attempted.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum RakeError {
    NoRespondents,
    NoMargins,
    /// A margin's `categories` has a different length from the weights.
    LengthMismatch {
        margin: String,
        expected: usize,
        found: usize,
    },
    /// An initial weight is negative, NaN or infinite.
    InvalidWeight {
        respondent: usize,
    },
    /// Respondents with no category on this margin (count, and the first one's index).
    Missing {
        margin: String,
        respondents: usize,
        first: usize,
    },
    /// A respondent's category index has no target.
    CategoryOutOfRange {
        margin: String,
        respondent: usize,
        category: usize,
    },
    /// A target is negative, NaN or infinite.
    InvalidTarget {
        margin: String,
        category: usize,
    },
    /// A category has a positive target but no respondent with a positive weight: no
    /// weighting can reach it. Merge it with a neighbouring category.
    EmptyCategory {
        margin: String,
        category: usize,
        target: f64,
    },
    /// Trimming bounds must satisfy 0 ≤ lower ≤ 1 ≤ upper.
    InvalidTrim,
}

impl fmt::Display for RakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RakeError::NoRespondents => write!(f, "no respondents to rake"),
            RakeError::NoMargins => write!(f, "no margins to rake to"),
            RakeError::LengthMismatch { margin, expected, found } => write!(
                f,
                "margin {margin}: {found} respondents' categories for {expected} weights"
            ),
            RakeError::InvalidWeight { respondent } => {
                write!(f, "respondent {respondent}: initial weight negative or not a number")
            }
            RakeError::Missing { margin, respondents, first } => write!(
                f,
                "margin {margin}: {respondents} respondents have no answer (first: respondent \
                 {first}); impute them or give \"no answer\" its own target"
            ),
            RakeError::CategoryOutOfRange { margin, respondent, category } => write!(
                f,
                "margin {margin}: respondent {respondent} is in category {category}, which has no target"
            ),
            RakeError::InvalidTarget { margin, category } => {
                write!(f, "margin {margin}: target of category {category} negative or not a number")
            }
            RakeError::EmptyCategory { margin, category, target } => write!(
                f,
                "margin {margin}: category {category} has target {target} but no respondents; \
                 merge it with a neighbouring category"
            ),
            RakeError::InvalidTrim => write!(f, "trimming bounds must satisfy 0 ≤ lower ≤ 1 ≤ upper"),
        }
    }
}

impl std::error::Error for RakeError {}

/// Raked weights and the convergence report.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Raked {
    pub weights: Vec<f64>,
    pub converged: bool,
    /// Full cycles run.
    pub iterations: usize,
    /// After each cycle: the largest relative gap |Σw − target| / target.
    pub max_discrepancy: Vec<f64>,
    /// After each cycle: how many weights trimming clamped (empty without trimming).
    pub trimmed: Vec<usize>,
    /// Weights outside the trimming bounds at the end (0 without trimming).
    pub outside_bounds: usize,
    pub warnings: Vec<RakeWarning>,
}

/// Rakes `initial` weights to the margins' targets. See the module documentation for the
/// algorithm, how missing answers and trimming are handled.
pub fn rake(
    initial: &[f64],
    margins: &[Margin],
    options: &RakeOptions,
) -> Result<Raked, RakeError> {
    let n = initial.len();
    if n == 0 {
        return Err(RakeError::NoRespondents);
    }
    if margins.is_empty() {
        return Err(RakeError::NoMargins);
    }
    if let Some(respondent) = initial.iter().position(|w| !w.is_finite() || *w < 0.0) {
        return Err(RakeError::InvalidWeight { respondent });
    }
    if let Some(t) = options.trim {
        if !(t.lower >= 0.0 && t.lower <= 1.0 && t.upper >= 1.0 && t.upper.is_finite()) {
            return Err(RakeError::InvalidTrim);
        }
    }
    let mut warnings = Vec::new();
    // Validate every margin and turn it into plain category indices.
    let mut cats: Vec<Vec<usize>> = Vec::with_capacity(margins.len());
    for m in margins {
        let name = || m.name.clone();
        if m.categories.len() != n {
            return Err(RakeError::LengthMismatch {
                margin: name(),
                expected: n,
                found: m.categories.len(),
            });
        }
        let missing = m.categories.iter().filter(|c| c.is_none()).count();
        if missing > 0 {
            let first = m.categories.iter().position(Option::is_none).unwrap_or(0);
            return Err(RakeError::Missing {
                margin: name(),
                respondents: missing,
                first,
            });
        }
        if let Some(category) = m.targets.iter().position(|t| !t.is_finite() || *t < 0.0) {
            return Err(RakeError::InvalidTarget {
                margin: name(),
                category,
            });
        }
        let k = m.targets.len();
        let mut idx = Vec::with_capacity(n);
        let mut members = vec![0usize; k];
        let mut positive = vec![false; k];
        for (respondent, c) in m.categories.iter().enumerate() {
            let c = c.unwrap_or(0);
            if c >= k {
                return Err(RakeError::CategoryOutOfRange {
                    margin: name(),
                    respondent,
                    category: c,
                });
            }
            members[c] += 1;
            positive[c] |= initial[respondent] > 0.0;
            idx.push(c);
        }
        for (category, &target) in m.targets.iter().enumerate() {
            if target > 0.0 && !positive[category] {
                return Err(RakeError::EmptyCategory {
                    margin: name(),
                    category,
                    target,
                });
            }
            if target == 0.0 && members[category] > 0 {
                warnings.push(RakeWarning::ZeroTargetWithRespondents {
                    margin: name(),
                    category,
                    respondents: members[category],
                });
            }
        }
        cats.push(idx);
    }
    let first_total: f64 = margins[0].targets.iter().sum();
    for m in &margins[1..] {
        let total: f64 = m.targets.iter().sum();
        if (total - first_total).abs() > TOTALS_AGREE * first_total.abs().max(total.abs()) {
            warnings.push(RakeWarning::TotalsDisagree {
                margin: m.name.clone(),
                total,
                first_margin: margins[0].name.clone(),
                first_total,
            });
        }
    }

    let mut w = initial.to_vec();
    let mut max_discrepancy = Vec::new();
    let mut trimmed = Vec::new();
    let mut converged = false;
    let slack = options.tolerance.max(0.0);
    let outside = |w: &[f64]| -> usize {
        match options.trim {
            None => 0,
            Some(t) => {
                let mean = w.iter().sum::<f64>() / n as f64;
                let (lo, hi) = (
                    t.lower * mean * (1.0 - slack),
                    t.upper * mean * (1.0 + slack),
                );
                w.iter().filter(|&&x| x < lo || x > hi).count()
            }
        }
    };
    let mut iterations = 0;
    while iterations < options.max_iterations {
        iterations += 1;
        for (m, idx) in margins.iter().zip(&cats) {
            let sums = category_sums(&w, idx, m.targets.len());
            let factors: Vec<f64> = m
                .targets
                .iter()
                .zip(&sums)
                .map(|(&t, &s)| if s > 0.0 { t / s } else { 0.0 })
                .collect();
            for (x, &c) in w.iter_mut().zip(idx) {
                *x *= factors[c];
            }
        }
        let gap = margins
            .iter()
            .zip(&cats)
            .flat_map(|(m, idx)| {
                let sums = category_sums(&w, idx, m.targets.len());
                m.targets
                    .iter()
                    .zip(sums)
                    .filter(|(t, _)| **t > 0.0)
                    .map(|(t, s)| (s - t).abs() / t)
                    .collect::<Vec<_>>()
            })
            .fold(0.0, f64::max);
        max_discrepancy.push(gap);
        if gap <= options.tolerance && outside(&w) == 0 {
            converged = true;
            break;
        }
        if let Some(t) = options.trim {
            if iterations < options.max_iterations {
                let mean = w.iter().sum::<f64>() / n as f64;
                let (lo, hi) = (t.lower * mean, t.upper * mean);
                let mut count = 0;
                for x in w.iter_mut() {
                    if *x < lo || *x > hi {
                        *x = x.clamp(lo, hi);
                        count += 1;
                    }
                }
                trimmed.push(count);
            }
        }
    }
    let outside_bounds = outside(&w);
    Ok(Raked {
        weights: w,
        converged,
        iterations,
        max_discrepancy,
        trimmed,
        outside_bounds,
        warnings,
    })
}

fn category_sums(w: &[f64], idx: &[usize], k: usize) -> Vec<f64> {
    let mut sums = vec![0.0; k];
    for (x, &c) in w.iter().zip(idx) {
        sums[c] += x;
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margin(name: &str, categories: &[usize], targets: &[f64]) -> Margin {
        Margin {
            name: name.into(),
            categories: categories.iter().map(|&c| Some(c)).collect(),
            targets: targets.to_vec(),
        }
    }

    #[test]
    fn refuses_what_it_cannot_rake() {
        let opts = RakeOptions::default();
        assert_eq!(rake(&[], &[], &opts), Err(RakeError::NoRespondents));
        assert_eq!(rake(&[1.0], &[], &opts), Err(RakeError::NoMargins));
        let m = margin("sex", &[0, 1, 1], &[50.0, 50.0]);
        assert!(matches!(
            rake(&[1.0, 1.0], std::slice::from_ref(&m), &opts),
            Err(RakeError::LengthMismatch { .. })
        ));
        assert_eq!(
            rake(&[1.0, f64::NAN, 1.0], std::slice::from_ref(&m), &opts),
            Err(RakeError::InvalidWeight { respondent: 1 })
        );
        let mut missing = m.clone();
        missing.categories[2] = None;
        missing.categories[1] = None;
        assert_eq!(
            rake(&[1.0; 3], &[missing], &opts),
            Err(RakeError::Missing {
                margin: "sex".into(),
                respondents: 2,
                first: 1
            })
        );
        let empty = margin("age", &[0, 0, 2], &[10.0, 20.0, 30.0]);
        let err = rake(&[1.0; 3], &[empty], &opts).unwrap_err();
        assert_eq!(
            err,
            RakeError::EmptyCategory {
                margin: "age".into(),
                category: 1,
                target: 20.0
            }
        );
        assert!(err.to_string().contains("age"));
        let out = margin("age", &[0, 3, 1], &[10.0, 20.0]);
        assert!(matches!(
            rake(&[1.0; 3], &[out], &opts),
            Err(RakeError::CategoryOutOfRange { .. })
        ));
        let bad_trim = RakeOptions {
            trim: Some(Trim {
                lower: 2.0,
                upper: 3.0,
            }),
            ..opts
        };
        assert_eq!(
            rake(&[1.0; 3], &[m], &bad_trim),
            Err(RakeError::InvalidTrim)
        );
    }

    #[test]
    fn single_margin_is_post_stratification_in_one_cycle() {
        let m = margin("sex", &[0, 1, 1, 1], &[60.0, 40.0]);
        let r = rake(&[1.0; 4], &[m], &RakeOptions::default()).unwrap();
        assert!(r.converged);
        assert_eq!(r.iterations, 1);
        assert_eq!(r.weights, vec![60.0, 40.0 / 3.0, 40.0 / 3.0, 40.0 / 3.0]);
    }

    #[test]
    fn disagreeing_totals_warn_and_do_not_converge() {
        let a = margin("a", &[0, 1, 0, 1], &[50.0, 50.0]);
        let b = margin("b", &[0, 0, 1, 1], &[70.0, 70.0]);
        let r = rake(&[1.0; 4], &[a, b], &RakeOptions::default()).unwrap();
        assert!(!r.converged);
        assert_eq!(r.iterations, 100);
        assert!(matches!(r.warnings[0], RakeWarning::TotalsDisagree { .. }));
    }

    #[test]
    fn zero_target_zeroes_weights_with_warning() {
        let a = margin("a", &[0, 1, 2], &[50.0, 0.0, 50.0]);
        let r = rake(&[1.0; 3], &[a], &RakeOptions::default()).unwrap();
        assert!(r.converged);
        assert_eq!(r.weights, vec![50.0, 0.0, 50.0]);
        assert_eq!(
            r.warnings,
            vec![RakeWarning::ZeroTargetWithRespondents {
                margin: "a".into(),
                category: 1,
                respondents: 1
            }]
        );
    }

    #[test]
    fn trimming_keeps_weights_in_bounds_and_margins_close() {
        // 20 respondents, category 0 badly under-represented (2 of 20 for half the target).
        let sex: Vec<usize> = (0..20).map(|i| usize::from(i >= 2)).collect();
        let area: Vec<usize> = (0..20).map(|i| i % 2).collect();
        let margins = [
            margin("sex", &sex, &[100.0, 100.0]),
            margin("area", &area, &[90.0, 110.0]),
        ];
        let untrimmed = rake(&[1.0; 20], &margins, &RakeOptions::default()).unwrap();
        let mean = 200.0 / 20.0;
        assert!(untrimmed.weights.iter().any(|&w| w > 4.0 * mean));
        let opts = RakeOptions {
            max_iterations: 500,
            tolerance: 1e-6,
            trim: Some(Trim {
                lower: 0.2,
                upper: 4.0,
            }),
        };
        let r = rake(&[1.0; 20], &margins, &opts).unwrap();
        // Category 0 (2 people) can carry at most 2 × 4 × mean = 80 < target 100: the
        // bounds and the margins can't both hold, and the report must say so.
        assert!(!r.converged);
        assert!(r.trimmed.iter().all(|&c| c > 0));
        // A feasible case: untrimmed, respondent 1 gets 55 = 5.5 × the mean of 10; capped
        // at 5.2 × mean, raking shifts weight to respondent 0 and the area margin's others.
        let opts = RakeOptions {
            trim: Some(Trim {
                lower: 0.2,
                upper: 5.2,
            }),
            ..opts
        };
        let r = rake(&[1.0; 20], &margins, &opts).unwrap();
        assert!(r.converged, "{:?}", r.max_discrepancy);
        assert!(r.trimmed[0] > 0, "trimming was active");
        assert_eq!(r.outside_bounds, 0);
        let mean = r.weights.iter().sum::<f64>() / 20.0;
        assert!(r.weights.iter().all(|&w| w <= 5.2 * mean * (1.0 + 1e-6)));
        assert!(r.weights[1] < untrimmed.weights[1] && r.weights[0] > untrimmed.weights[0]);
        assert!(*r.max_discrepancy.last().unwrap() <= 1e-6);
    }
}
