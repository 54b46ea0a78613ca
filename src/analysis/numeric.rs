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

#[cfg(test)]
mod tests {
    use crate::analysis::tabulate;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::model::question::Kind;
    use crate::model::Survey;

    /// Ages with a blank and a text answer, a weight per row.
    fn survey() -> Survey {
        let csv = "年齢,w\n1,1\n2,1\n4,2\n7,4\n,1\n不明,3\n";
        let table = read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table;
        let mut s = Survey::infer(table);
        // Whatever the inference says of six rows, the question is a number.
        let mut model = s.model.clone();
        let q = model.questions.iter_mut().find(|q| q.id == "年齢").unwrap();
        q.kind = Kind::Numeric;
        q.include = true;
        s.set_model(model);
        s
    }

    #[test]
    fn blank_and_text_are_not_values_and_a_weight_weighs() {
        let s = survey();
        let t = &tabulate(&s, "年齢", None, None).unwrap()[0];
        let n = t
            .numeric
            .as_ref()
            .expect("a numeric question has a summary");
        // numpy.quantile([1, 2, 4, 7], [.25, .5, .75]) = 1.75, 3, 4.75; mean 3.5.
        assert_eq!((n.n, n.no_number), (4, 2));
        assert_eq!((n.q1, n.median, n.q3), (Some(1.75), Some(3.0), Some(4.75)));
        assert_eq!(n.mean, Some(3.5));
        assert_eq!(n.histogram.iter().map(|b| b.count).sum::<u64>(), 4);
        assert_eq!(t.base_count, n.n + n.no_number);
        // Weights 1, 1, 2, 4: the data 1 2 4 4 7 7 7 7 (see make_numeric_reference.py).
        let t = &tabulate(&s, "年齢", Some("w"), None).unwrap()[0];
        let w = t.numeric.as_ref().unwrap().weighted.as_ref().unwrap();
        assert_eq!(w.sum_weights, 8.0);
        assert_eq!(w.mean, Some(4.875));
        assert_eq!((w.q1, w.median, w.q3), (Some(3.0), Some(5.5), Some(7.0)));
        // A filter keeps its rows only.
        let f = crate::analysis::Filter::parse("年齢 >= 2").unwrap();
        let t = &tabulate(&s, "年齢", None, Some(&f)).unwrap()[0];
        assert_eq!(t.numeric.as_ref().unwrap().n, 3);
    }
}
