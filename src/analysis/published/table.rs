//! A table as the export publishes it: counts or 「x」, totals, one-decimal % only where
//! the count and its base are shown, 「*」 on a small shown base, and a title that says
//! what restricts the table.

use super::{Builder, Def};
use crate::analysis::aggregate::{AggregateTable, Count};
use crate::stats::disclosure::linked::Table;
use crate::stats::disclosure::small_base;

impl Builder<'_> {
    /// The table as published.
    pub(super) fn table(
        &self,
        d: &Def,
        t: &Table,
        s: &crate::stats::disclosure::Suppressed,
        respondents_hidden: Option<bool>,
    ) -> AggregateTable {
        let rv = &self.vars[d.row];
        let rows: Vec<String> = rv.labels[..self.rows_of(d)]
            .iter()
            .map(|l| l.label.clone())
            .collect();
        let cols: Vec<String> = match d.col {
            Some(c) => self.vars[c].labels[..self.cols_of(d)]
                .iter()
                .map(|l| l.label.clone())
                .collect(),
            None => vec!["件数".into()],
        };
        let row_sum = |r: usize| t.counts[r].iter().sum::<u64>();
        let col_sum = |c: usize| t.counts.iter().map(|row| row[c]).sum::<u64>();
        let total: u64 = t.counts.iter().flatten().sum();
        let respondents = t.extras.first().copied();
        // The base of each row's %, and whether it is hidden: a tabulation's is its total
        // (a multiple answer's: its respondents), a crosstab's its row total.
        let base = |r: usize| -> (u64, bool) {
            match (d.col, respondents) {
                (None, Some(n)) => (n, respondents_hidden.unwrap_or(false)),
                (None, None) => (total, s.grand_total_hidden),
                _ => (row_sum(r), s.row_totals_hidden[r]),
            }
        };
        AggregateTable {
            title: decorated(d),
            cells: t
                .counts
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    row.iter()
                        .enumerate()
                        .map(|(c, &n)| Count::of(n, s.cells[r][c].hidden()))
                        .collect()
                })
                .collect(),
            row_totals: (0..rows.len())
                .map(|r| {
                    Count::of(
                        row_sum(r),
                        s.row_totals_hidden.get(r).copied().unwrap_or(false),
                    )
                })
                .collect(),
            col_totals: (0..cols.len())
                // A table with no row (every answer left out) has no suppressed columns:
                // its column totals are 0.
                .map(|c| {
                    Count::of(
                        col_sum(c),
                        s.col_totals_hidden.get(c).copied().unwrap_or(false),
                    )
                })
                .collect(),
            total: Count::of(total, s.grand_total_hidden),
            // No % where the count or its base is hidden (10 / 0.588235 gives 17 back),
            // and one decimal: enough to read, too coarse to recover a count from.
            row_percent: t
                .counts
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    let (b, hidden) = base(r);
                    row.iter()
                        .enumerate()
                        .map(|(c, &n)| {
                            (!s.cells[r][c].hidden() && !hidden && b > 0)
                                .then(|| (n as f64 * 1000.0 / b as f64).round() / 10.0)
                        })
                        .collect()
                })
                .collect(),
            small_base: (0..rows.len())
                .map(|r| {
                    let (b, hidden) = base(r);
                    !hidden && small_base(b, self.rules)
                })
                .collect(),
            rows,
            cols,
            national: d.national,
            respondents: respondents.map(|n| Count::of(n, respondents_hidden.unwrap_or(false))),
            filter: d.filter.clone(),
            weight: d.weight.clone(),
            include_no_answer: d.include_no_answer,
        }
    }
}

/// The title with what restricts the table, so that no one reads a filtered or weighted
/// table as the whole survey: 「問1（絞り込み: 性別 = 女性、ウェイト: w、無回答を除く）」.
pub(super) fn decorated(d: &Def) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &d.filter {
        parts.push(format!("絞り込み: {f}"));
    }
    if let Some(w) = &d.weight {
        parts.push(format!("ウェイト: {w}"));
    }
    if !d.include_no_answer {
        parts.push("無回答を除く".to_string());
    }
    if parts.is_empty() {
        d.title.clone()
    } else {
        format!("{}［{}］", d.title, parts.join("、"))
    }
}
