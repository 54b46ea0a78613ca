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
//! **Answers left out of a margin** (`Margin::left_out`): an answer the population
//! statistics have no figure for (「その他」「答えたくない」) is not refused but left out
//! of that margin. Its respondents are part of the population all the same, so the margin's
//! population is shared between them and the others in the proportion their weights have:
//! the others are raked to the population's make-up within their share, and those left out
//! are scaled with the margin as a whole (its population ÷ the current total weight). Their
//! weight is thus set by the other margins; left out of every margin, they keep their
//! starting weight times that common factor (a weight of 1 among weights of 1 becomes the
//! mean weight). [`LEFT_OUT_RULE`] says it for people. Without answers left out a margin is
//! raked exactly as before (the share is 1).
//!
//! **Messages**: [`RakeError`] and [`RakeWarning`] are shown through
//! [`crate::message::Message`] (`message()`, and `Display`): numbers counted from 1 as a
//! person counts them (data row 1 is the first respondent), answers by their label
//! (`Margin::labels`).
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

use crate::message::Message;

/// The rule for answers left out of a margin, as the page and the CLI state it.
pub const LEFT_OUT_RULE: (&str, &str) = (
    "人口のない回答（「その他」「答えたくない」など）は、その項目では合わせる対象から外しています。その人たちの重みは、ほかの項目で決まります（その項目では全体と同じ割合で調整されます）。どの項目からも外れた人は、平均的な重みになります。",
    "Answers with no population figure (such as “other” or “prefer not to say”) are left out of that margin: their respondents' weights are set by the other margins (this margin scales them as it scales the whole). Respondents left out of every margin get an average weight.",
);

/// Margin totals that differ from the first margin's by more than this (relative) are
/// reported: raking can't meet margins with different totals.
pub const TOTALS_AGREE: f64 = 1e-6;

/// One raking variable: each respondent's category and the population total per category.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Margin {
    /// Shown in errors and warnings (e.g. "年代×性別").
    pub name: String,
    /// Per respondent (same order as the weights): category index into `targets`, or
    /// `None` when the answer is missing (refused; see the module documentation) or left
    /// out (`left_out`).
    pub categories: Vec<Option<usize>>,
    /// Population total per category.
    pub targets: Vec<f64>,
    /// The categories' names in messages (e.g. 「20～29歳」); empty: numbered from 1.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Per respondent: true when their answer has no population figure and is left out of
    /// this margin (see the module documentation); their category is `None`. Empty: none.
    #[serde(default)]
    pub left_out: Vec<bool>,
}

impl Margin {
    fn label(&self, category: usize) -> Option<String> {
        self.labels.get(category).cloned()
    }

    fn is_left_out(&self, respondent: usize) -> bool {
        self.left_out.get(respondent).copied().unwrap_or(false)
    }
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

/// Problems that don't stop raking but must be shown (`message()`, `Display`).
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
    /// A category has target 0 but respondents: their weights become 0. `category` is
    /// the index (from 0), `label` its name when the margin has one.
    ZeroTargetWithRespondents {
        margin: String,
        category: usize,
        #[serde(default)]
        label: Option<String>,
        respondents: usize,
    },
    /// Respondents whose answer is left out of this margin (the rule, [`LEFT_OUT_RULE`],
    /// is said with it).
    LeftOut { margin: String, respondents: usize },
}

/// A number as people read it: whole numbers with thousands separators (90,000).
fn figure(x: f64) -> String {
    if x.fract() != 0.0 || !x.is_finite() || x.abs() >= 1e15 {
        return format!("{x}");
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// An answer of a margin by its label, or by its place counted from 1.
fn answer(label: &Option<String>, category: usize) -> (String, String) {
    match label {
        Some(l) => (format!("「{l}」"), format!("“{l}”")),
        None => (
            format!("{} 番目の区分", category + 1),
            format!("category {}", category + 1),
        ),
    }
}

impl RakeWarning {
    pub fn message(&self) -> Message {
        match self {
            RakeWarning::TotalsDisagree {
                margin,
                total,
                first_margin,
                first_total,
            } => Message::new(
                format!(
                    "「{margin}」の人口の合計（{}）が「{first_margin}」の合計（{}）と違います。合計が違うと、すべての項目を人口に合わせることはできません（最後に合わせた項目が優先されます）。同じ時点・同じ範囲の人口か確かめてください。",
                    figure(*total),
                    figure(*first_total)
                ),
                format!(
                    "The population of “{margin}” adds up to {}, that of “{first_margin}” to {}. With different totals the weight cannot match every margin (the last one matched wins). Check that both figures are for the same date and the same people.",
                    figure(*total),
                    figure(*first_total)
                ),
            ),
            RakeWarning::ZeroTargetWithRespondents {
                margin,
                category,
                label,
                respondents,
            } => {
                let (ja, en) = answer(label, *category);
                Message::new(
                    format!(
                        "「{margin}」の{ja}は人口が 0 ですが、回答者が {respondents} 人います。この人たちの重みは 0 になり、集計に数えられません。人口の統計にない回答（「その他」「答えたくない」など）なら、人口を 0 にせず、この項目から外してください（画面では「人口なし（外す）」、人口の表では人口の欄に「対象外」）。"
                    ),
                    format!(
                        "“{margin}”: {en} has a population of 0 but {respondents} respondents; their weight becomes 0 and they drop out of every weighted table. If the statistics have no figure for this answer (“other”, “prefer not to say”), leave it out of the margin instead of entering 0 (on the page “No figure (leave out)”, in a population table 対象外 as its total)."
                    ),
                )
            }
            RakeWarning::LeftOut {
                margin,
                respondents,
            } => Message::new(
                format!(
                    "「{margin}」では {respondents} 人の回答を、人口のない回答として外しました。{}",
                    LEFT_OUT_RULE.0
                ),
                format!(
                    "“{margin}”: the answers of {respondents} respondents have no population figure and are left out. {}",
                    LEFT_OUT_RULE.1
                ),
            ),
        }
    }
}

impl fmt::Display for RakeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

/// Why raking was not attempted (`message()`, `Display`). Respondents and categories are
/// indices from 0 here; messages count from 1.
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
        #[serde(default)]
        label: Option<String>,
    },
    /// A category has a positive target but no respondent with a positive weight: no
    /// weighting can reach it. Merge it with a neighbouring category.
    EmptyCategory {
        margin: String,
        category: usize,
        #[serde(default)]
        label: Option<String>,
        target: f64,
    },
    /// Trimming bounds must satisfy 0 ≤ lower ≤ 1 ≤ upper.
    InvalidTrim,
}

impl RakeError {
    pub fn message(&self) -> Message {
        match self {
            RakeError::NoRespondents => {
                Message::new("回答者がいません。", "There are no respondents to weight.")
            }
            RakeError::NoMargins => Message::new(
                "人口に合わせる項目がありません。人口の表に項目を1つ以上入れてください。",
                "There is nothing to match: give the population of at least one margin.",
            ),
            RakeError::LengthMismatch {
                margin,
                expected,
                found,
            } => Message::new(
                format!("「{margin}」の回答が {found} 人分ありますが、回答者は {expected} 人です。"),
                format!("“{margin}”: answers of {found} respondents for {expected} respondents."),
            ),
            RakeError::InvalidWeight { respondent } => Message::new(
                format!(
                    "データの {} 行目の元のウェイトが空欄・負の数・数値以外です。",
                    respondent + 1
                ),
                format!(
                    "Data row {}: the starting weight is blank, negative or not a number.",
                    respondent + 1
                ),
            ),
            RakeError::Missing {
                margin,
                respondents,
                first,
            } => Message::new(
                format!(
                    "「{margin}」の答えが人口の表にない回答者が {respondents} 人います（最初はデータの {} 行目）。空欄や「無回答」にも人口を入れるか、人口の統計にない回答ならこの項目から外してください（画面では「人口なし（外す）」、人口の表では人口の欄に「対象外」）。",
                    first + 1
                ),
                format!(
                    "“{margin}”: {respondents} respondents have an answer that is not in the population table (the first in data row {}). Give blank and 無回答 a population too, or leave an answer the statistics have no figure for out of the margin (on the page “No figure (leave out)”, in a population table 対象外 as its total).",
                    first + 1
                ),
            ),
            RakeError::CategoryOutOfRange {
                margin,
                respondent,
                category,
            } => Message::new(
                format!(
                    "「{margin}」: データの {} 行目の回答（{} 番目の区分）に人口がありません。",
                    respondent + 1,
                    category + 1
                ),
                format!(
                    "“{margin}”: data row {} is in category {}, which has no population.",
                    respondent + 1,
                    category + 1
                ),
            ),
            RakeError::InvalidTarget {
                margin,
                category,
                label,
            } => {
                let (ja, en) = answer(label, *category);
                Message::new(
                    format!("「{margin}」の{ja}の人口が負の数か数値ではありません。"),
                    format!("“{margin}”: the population of {en} is negative or not a number."),
                )
            }
            RakeError::EmptyCategory {
                margin,
                category,
                label,
                target,
            } => {
                let (ja, en) = answer(label, *category);
                Message::new(
                    format!(
                        "「{margin}」の{ja}には人口 {} がありますが、回答者がいません。となりの区分とまとめてください。",
                        figure(*target)
                    ),
                    format!(
                        "“{margin}”: {en} has a population of {} but no respondents; merge it with a neighbouring group.",
                        figure(*target)
                    ),
                )
            }
            RakeError::InvalidTrim => Message::new(
                "切り詰めの範囲は「下限 ≤ 1 ≤ 上限」にしてください（例: 0.3 と 3）。",
                "Trimming bounds must satisfy lower ≤ 1 ≤ upper (e.g. 0.3 and 3).",
            ),
        }
    }
}

impl fmt::Display for RakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
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

impl Raked {
    /// What to tell a person when the margins were not met (None when they were): how
    /// far off the worst one still is after how many cycles, and what to do.
    pub fn not_converged(&self) -> Option<Message> {
        if self.converged {
            return None;
        }
        let gap = self.max_discrepancy.last().copied().unwrap_or(f64::NAN);
        let pct = crate::format::format_percent(gap * 100.0);
        let bounds = if self.outside_bounds > 0 {
            (
                format!(
                    "、切り詰めの範囲の外の重みが {} 個あります",
                    self.outside_bounds
                ),
                format!(
                    ", and {} weights are outside the trimming bounds",
                    self.outside_bounds
                ),
            )
        } else {
            (String::new(), String::new())
        };
        Some(Message::new(
            format!(
                "人口に合わせきれませんでした（{} 回繰り返しても、人口とのずれが最大 {pct}% 残っています{}）。この重みで集計すると、人口の構成とずれた結果になります。上の注意を見て、人口の合計をそろえるか、区分をまとめてください。",
                self.iterations, bounds.0
            ),
            format!(
                "The weight could not match the population: after {} cycles a margin is still {pct}% off{}. Tables weighted with it would not match the population. See the warnings above: make the totals agree or merge groups.",
                self.iterations, bounds.1
            ),
        ))
    }
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
    let mut cats: Vec<Vec<Option<usize>>> = Vec::with_capacity(margins.len());
    for m in margins {
        let name = || m.name.clone();
        if m.categories.len() != n {
            return Err(RakeError::LengthMismatch {
                margin: name(),
                expected: n,
                found: m.categories.len(),
            });
        }
        let absent = |(r, c): (usize, &Option<usize>)| c.is_none() && !m.is_left_out(r);
        let missing = m
            .categories
            .iter()
            .enumerate()
            .filter(|&x| absent(x))
            .count();
        if missing > 0 {
            let first = m
                .categories
                .iter()
                .enumerate()
                .position(absent)
                .unwrap_or(0);
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
                label: m.label(category),
            });
        }
        let k = m.targets.len();
        let mut idx = Vec::with_capacity(n);
        let mut members = vec![0usize; k];
        let mut positive = vec![false; k];
        let mut left_out = 0;
        for (respondent, c) in m.categories.iter().enumerate() {
            let Some(c) = *c else {
                // Left out (checked above): no category on this margin.
                left_out += 1;
                idx.push(None);
                continue;
            };
            if c >= k {
                return Err(RakeError::CategoryOutOfRange {
                    margin: name(),
                    respondent,
                    category: c,
                });
            }
            members[c] += 1;
            positive[c] |= initial[respondent] > 0.0;
            idx.push(Some(c));
        }
        for (category, &target) in m.targets.iter().enumerate() {
            if target > 0.0 && !positive[category] {
                return Err(RakeError::EmptyCategory {
                    margin: name(),
                    category,
                    label: m.label(category),
                    target,
                });
            }
            if target == 0.0 && members[category] > 0 {
                warnings.push(RakeWarning::ZeroTargetWithRespondents {
                    margin: name(),
                    category,
                    label: m.label(category),
                    respondents: members[category],
                });
            }
        }
        if left_out > 0 {
            warnings.push(RakeWarning::LeftOut {
                margin: name(),
                respondents: left_out,
            });
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
            let (sums, share) = category_sums(&w, idx, m.targets.len());
            let factors: Vec<f64> = m
                .targets
                .iter()
                .zip(&sums)
                .map(|(&t, &s)| if s > 0.0 { t * share / s } else { 0.0 })
                .collect();
            // Those left out go with the margin as a whole (module documentation).
            let total: f64 = w.iter().sum();
            let whole = if total > 0.0 {
                m.targets.iter().sum::<f64>() / total
            } else {
                0.0
            };
            for (x, c) in w.iter_mut().zip(idx) {
                *x *= c.map_or(whole, |c| factors[c]);
            }
        }
        let gap = margins
            .iter()
            .zip(&cats)
            .flat_map(|(m, idx)| {
                let (sums, share) = category_sums(&w, idx, m.targets.len());
                m.targets
                    .iter()
                    .zip(sums)
                    .filter(|(t, _)| **t > 0.0)
                    .map(|(t, s)| (s - t * share).abs() / (t * share))
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

/// The weight of each category, and the share of the total weight in some category (1
/// when nobody is left out of the margin, so its targets are met as they are).
fn category_sums(w: &[f64], idx: &[Option<usize>], k: usize) -> (Vec<f64>, f64) {
    let mut sums = vec![0.0; k];
    let mut outside = 0.0;
    for (x, c) in w.iter().zip(idx) {
        match c {
            Some(c) => sums[*c] += x,
            None => outside += x,
        }
    }
    if outside == 0.0 {
        return (sums, 1.0);
    }
    let inside: f64 = sums.iter().sum();
    (sums, inside / (inside + outside))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margin(name: &str, categories: &[usize], targets: &[f64]) -> Margin {
        Margin {
            name: name.into(),
            categories: categories.iter().map(|&c| Some(c)).collect(),
            targets: targets.to_vec(),
            ..Margin::default()
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
                label: None,
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
                label: None,
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

    /// Issue 14 item 9: 「答えたくない」 has no census figure. Left out of the age margin,
    /// those respondents keep a weight the sex margin sets, the others meet the age
    /// make-up within their share, and the sex margin is met exactly.
    #[test]
    fn an_answer_left_out_is_weighted_by_the_other_margins() {
        // 8 respondents: age 0/1 or left out (respondents 6 and 7); sex 0/1.
        let age = Margin {
            name: "年代".into(),
            categories: vec![
                Some(0),
                Some(0),
                Some(0),
                Some(1),
                Some(1),
                Some(1),
                None,
                None,
            ],
            targets: vec![600.0, 400.0],
            labels: vec!["若年".into(), "高齢".into()],
            left_out: vec![false, false, false, false, false, false, true, true],
        };
        let sex = margin("性別", &[0, 1, 0, 1, 0, 1, 0, 1], &[500.0, 500.0]);
        let r = rake(&[1.0; 8], &[age.clone(), sex], &RakeOptions::default()).unwrap();
        assert!(r.converged, "{:?}", r.max_discrepancy);
        assert!(r.weights[6] > 0.0 && r.weights[7] > 0.0, "{:?}", r.weights);
        let total: f64 = r.weights.iter().sum();
        assert!((total - 1000.0).abs() < 1e-6, "{total}");
        let sum = |who: &[usize]| who.iter().map(|&i| r.weights[i]).sum::<f64>();
        // Sex is met as it stands.
        assert!((sum(&[0, 2, 4, 6]) - 500.0).abs() < 1e-6);
        // Age: the answered share is split 600 : 400.
        let (young, old) = (sum(&[0, 1, 2]), sum(&[3, 4, 5]));
        assert!((young / (young + old) - 0.6).abs() < 1e-7, "{young} {old}");
        assert!(r.warnings.contains(&RakeWarning::LeftOut {
            margin: "年代".into(),
            respondents: 2
        }));
        let said = r.warnings.iter().map(|w| w.to_string()).collect::<String>();
        assert!(said.contains(LEFT_OUT_RULE.0) && said.contains(LEFT_OUT_RULE.1));

        // Left out of the only margin: the common factor, i.e. the mean weight.
        let r = rake(&[1.0; 8], &[age], &RakeOptions::default()).unwrap();
        assert!(r.converged);
        assert_eq!(r.weights[6], 1000.0 / 8.0);
        assert_eq!(r.weights[7], 1000.0 / 8.0);
        let young: f64 = r.weights[..3].iter().sum();
        assert!((young - 600.0 * 6.0 / 8.0).abs() < 1e-9, "{young}");
    }

    /// Issue 14 item 11: warnings and errors in plain words, numbers counted from 1,
    /// answers by their label, both totals named.
    #[test]
    fn messages_count_from_one_and_name_both_totals() {
        let a = margin("race", &[0, 1, 0, 1], &[50_000.0, 50_000.0]);
        let b = margin("region", &[0, 0, 1, 1], &[45_000.0, 45_000.0]);
        let r = rake(&[1.0; 4], &[a, b], &RakeOptions::default()).unwrap();
        let w = r.warnings[0].message();
        assert!(
            w.ja.contains("「region」の人口の合計（90,000）が「race」の合計（100,000）と違います"),
            "{w}"
        );
        assert!(
            w.en.contains("“region” adds up to 90,000, that of “race” to 100,000"),
            "{w}"
        );
        let text = r.warnings[0].to_string();
        assert!(
            !text.contains("TotalsDisagree") && !text.contains('{'),
            "{text}"
        );
        let stop = r.not_converged().unwrap();
        assert!(
            stop.ja.contains("人口に合わせきれませんでした") && stop.ja.contains("100 回"),
            "{stop}"
        );
        assert!(stop.en.contains("after 100 cycles"), "{stop}");

        let mut zero = margin("region", &[0, 1, 4, 2, 3], &[10.0, 10.0, 10.0, 10.0, 0.0]);
        zero.labels = (1..=5).map(|i| format!("地区{i}")).collect();
        let r = rake(
            &[1.0; 5],
            std::slice::from_ref(&zero),
            &RakeOptions::default(),
        )
        .unwrap();
        let w = r.warnings[0].message();
        assert!(
            w.ja.contains("「region」の「地区5」は人口が 0") && w.ja.contains("1 人"),
            "{w}"
        );
        zero.labels.clear();
        let r = rake(&[1.0; 5], &[zero], &RakeOptions::default()).unwrap();
        let w = r.warnings[0].message();
        assert!(w.en.contains("category 5 has a population of 0"), "{w}");
        assert!(w.ja.contains("5 番目の区分"), "{w}");

        let mut missing = margin("年代", &[0; 7247], &[100.0]);
        missing.categories[7245] = None;
        let e = rake(&[1.0; 7247], &[missing], &RakeOptions::default()).unwrap_err();
        assert!(e.message().en.contains("data row 7246"), "{e}");
        assert!(e.message().ja.contains("データの 7246 行目"), "{e}");
        let e = rake(
            &[1.0, -1.0],
            &[margin("a", &[0, 0], &[1.0])],
            &RakeOptions::default(),
        )
        .unwrap_err();
        assert!(e.message().en.starts_with("Data row 2:"), "{e}");
        let mut empty = margin("region", &[0, 0, 0], &[10.0, 10.0, 10.0, 10.0, 10.0]);
        empty.labels = (1..=5).map(|i| format!("地区{i}")).collect();
        let e = rake(&[1.0; 3], &[empty], &RakeOptions::default()).unwrap_err();
        assert!(
            e.message()
                .en
                .contains("“地区2” has a population of 10 but no respondents"),
            "{e}"
        );
    }
}
