//! Multiple-response questions (「あてはまるものすべて」): a respondents × options matrix of
//! ticks, summarised the two ways reports use. "% of respondents" divides by the
//! respondents who ticked at least one option (so the column adds up to more than 100 %);
//! "% of responses" divides by all ticks (adds up to 100 %). Respondents who ticked
//! nothing are counted separately (`no_answer`) and are in neither base.
//!
//! Checked against numpy arithmetic in tests/reference/make_reference.py (data set (d)).

use serde::{Deserialize, Serialize};

use super::finite;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct MultipleResponse {
    /// Number of options (the widest row).
    pub options: usize,
    /// All respondents (weighted: the sum of their weights).
    pub respondents: f64,
    /// Respondents with at least one tick: the base of `pct_of_respondents`.
    pub base: f64,
    /// Respondents with no tick.
    pub no_answer: f64,
    /// Ticks per option (weighted: weight sums).
    pub counts: Vec<f64>,
    /// All ticks: the base of `pct_of_responses`.
    pub responses: f64,
    /// 100 × count / base; `None` when nobody ticked anything.
    pub pct_of_respondents: Vec<Option<f64>>,
    /// 100 × count / responses; `None` when there are no ticks.
    pub pct_of_responses: Vec<Option<f64>>,
}

/// Summarises `ticks[respondent][option]`. `weights`, if given, has one weight per
/// respondent (a missing, negative or non-finite weight counts as 0); short rows are
/// read as unticked.
pub fn multiple_response(ticks: &[Vec<bool>], weights: Option<&[f64]>) -> MultipleResponse {
    let options = ticks.iter().map(Vec::len).max().unwrap_or(0);
    let weight = |i: usize| match weights {
        None => 1.0,
        Some(w) => w
            .get(i)
            .copied()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .unwrap_or(0.0),
    };
    let mut counts = vec![0.0; options];
    let (mut respondents, mut base) = (0.0, 0.0);
    for (i, row) in ticks.iter().enumerate() {
        let w = weight(i);
        respondents += w;
        if row.iter().any(|&t| t) {
            base += w;
        }
        for (j, &t) in row.iter().enumerate() {
            if t {
                counts[j] += w;
            }
        }
    }
    let responses: f64 = counts.iter().sum();
    let pct = |x: f64, of: f64| {
        if of > 0.0 {
            finite(100.0 * x / of)
        } else {
            None
        }
    };
    MultipleResponse {
        options,
        respondents,
        base,
        no_answer: respondents - base,
        pct_of_respondents: counts.iter().map(|&c| pct(c, base)).collect(),
        pct_of_responses: counts.iter().map(|&c| pct(c, responses)).collect(),
        counts,
        responses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_unticked_do_not_panic() {
        let empty = multiple_response(&[], None);
        assert_eq!(empty.options, 0);
        assert_eq!(empty.base, 0.0);
        let none = multiple_response(&[vec![false, false], vec![false, false]], None);
        assert_eq!(none.no_answer, 2.0);
        assert_eq!(none.pct_of_respondents, vec![None, None]);
        assert_eq!(none.pct_of_responses, vec![None, None]);
    }

    #[test]
    fn bases_differ_as_documented() {
        let t = vec![vec![true, true], vec![true, false], vec![false, false]];
        let r = multiple_response(&t, None);
        assert_eq!(r.base, 2.0);
        assert_eq!(r.responses, 3.0);
        assert_eq!(r.pct_of_respondents, vec![Some(100.0), Some(50.0)]);
        assert_eq!(r.pct_of_responses[0], Some(200.0 / 3.0));
        let w = multiple_response(&t, Some(&[2.0, 1.0, f64::NAN]));
        assert_eq!(w.respondents, 3.0);
        assert_eq!(w.counts, vec![3.0, 2.0]);
        assert_eq!(w.pct_of_respondents[1], Some(200.0 / 3.0));
    }
}
