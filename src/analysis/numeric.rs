//! A numeric question (年齢, the UCLA-3 score) summarised: which of its column's values are
//! numbers, and the summary of a tabulation's counts (`stats::numeric_summary`). The page,
//! `tab` and a report show the summary and a histogram instead of one row per age.
//!
//! Blank cells, text ("不明") and the codes the codebook marks as missing (999 = 無回答)
//! are not values: never averaged in, they are counted apart (`no_number`). Aggregates
//! (`aggregate.rs`, `published.rs`) carry no summary: a mean or a quartile of a small
//! group can give a respondent's answer away, and they publish counts only.

use crate::model::question::{Kind, Question};
use crate::model::Survey;
use crate::stats::{numeric_summary, NumericSummary};
use crate::table::Column;

/// The number each code of `column` stands for: none for blank, text and missing codes.
pub(crate) fn code_values(column: &Column, q: Option<&Question>) -> Vec<Option<f64>> {
    column
        .values
        .iter()
        .enumerate()
        .map(|(c, v)| {
            let missing = q.is_some_and(|q| q.missing_of(v).is_some());
            column.numbers[c].filter(|x| x.is_finite() && !missing && c > 0)
        })
        .collect()
}

/// The numeric question a tabulation's id names (its id, or its one column), if any.
pub(crate) fn numeric_question<'a>(survey: &'a Survey, id: &str) -> Option<&'a Question> {
    survey.questions().find(|q| {
        q.kind == Kind::Numeric && q.columns.len() == 1 && (q.id == id || q.columns[0] == id)
    })
}

/// The summary of the counted codes: `counts[code]` respondents (and `weights[code]`
/// their weights, under a weight) per code of `column`, for the codes inside the base.
/// Codes without a number count in `no_number`.
pub(crate) fn summarise(
    column: &Column,
    q: &Question,
    counts: &[u64],
    weights: Option<&[f64]>,
) -> NumericSummary {
    let values = code_values(column, Some(q));
    let table: Vec<(f64, u64, f64)> = counts
        .iter()
        .enumerate()
        .map(|(code, &n)| {
            let w = weights.map_or(n as f64, |w| w[code]);
            (values[code].unwrap_or(f64::NAN), n, w)
        })
        .collect();
    numeric_summary(&table, weights.is_some())
}
