//! The pinned tables as they may go into a link. A table names questions (the
//! questionnaire), but its filter names answers: `氏名 = "山田太郎"`, `職業 = 漁師` given by
//! one respondent. Every answer a filter names goes through the same rule as the model's
//! answers ([`Keep::value`]); a comparison on an identifier or free-text column never goes
//! in, whatever it compares; a numeric threshold (`年齢 >= 65`) is the questionnaire's and
//! stays, as do blank (`""`) and 無回答, which name no answer.
//!
//! What cannot go in:
//!
//! - a table's own filter: the table is left out. Without its filter it would be another
//!   table (everyone instead of the fishermen), presented under the sender's title;
//! - the report-wide filter: the filter is left out and the tables stay. Leaving every
//!   table out would leave nothing to share; the sender is told that the receiver's tables
//!   count every respondent.
//!
//! Both are listed in [`LeftOut`] by table number and by count, never by value.

use super::neutral_names::NeutralNames;
use super::redact::{Keep, LeftOut, LeftTable};
use crate::analysis::filter::Comparison;
use crate::analysis::{AnalysisTemplate, Filter, TableSpec};
use crate::model::order::NO_ANSWER;
use crate::model::{Question, Survey};
use crate::table::parse_number;

/// `template` without what may not go into a link; what was left out is added to `left`.
/// `renames`: the column names a link will not carry (the first row was not a header), so
/// a condition naming one cannot go in either.
pub fn for_link(
    template: &AnalysisTemplate,
    survey: &Survey,
    keep: &Keep,
    renames: Option<&NeutralNames>,
    left: &mut LeftOut,
) -> AnalysisTemplate {
    let renamed = |c: &Comparison| renames.is_some_and(|r| r.renames(c.column));
    // (conditions that cannot go in, whether one of them names a renamed column)
    let judge = |f: &Filter| {
        let comparisons = f.comparisons();
        let bad = comparisons
            .iter()
            .filter(|c| renamed(c) || !may_go_in(c, survey, keep))
            .count();
        (bad, comparisons.iter().any(&renamed))
    };
    let mut out = template.clone();
    if let Some(f) = &template.filter {
        let (bad, _) = judge(f);
        if bad > 0 {
            out.filter = None;
            left.report_filter = bad;
        }
    }
    out.tables.clear();
    for (i, spec) in template.tables.iter().enumerate() {
        if let Some(f) = own_filter(spec) {
            let (bad, renamed_column) = judge(f);
            if bad > 0 {
                left.tables.push(LeftTable {
                    number: i + 1,
                    about: about(spec),
                    conditions: bad,
                    renamed_column,
                });
                continue;
            }
        }
        out.tables.push(spec.clone());
    }
    out
}

/// A table's own filter (not the report-wide one).
pub fn own_filter(spec: &TableSpec) -> Option<&Filter> {
    match spec {
        TableSpec::Tabulation { filter, .. }
        | TableSpec::Means { filter, .. }
        | TableSpec::National { filter, .. } => filter.as_ref(),
        TableSpec::Crosstab(c) => c.filter.as_ref(),
    }
}

/// What a table shows, by question names, for the list of what was left out.
pub fn about(spec: &TableSpec) -> String {
    match spec {
        TableSpec::Tabulation { question, .. } => format!("「{question}」"),
        TableSpec::Crosstab(c) => format!("「{}」×「{}」", c.row, c.col),
        TableSpec::Means { num, by, .. } => format!("「{num}」×「{by}」"),
        TableSpec::National { measure, .. } => format!("「{}」", measure.ja()),
    }
}

fn may_go_in(c: &Comparison, survey: &Survey, keep: &Keep) -> bool {
    let column = column_of(survey, c.column);
    let holder = column.as_deref().and_then(|col| holder(survey, col));
    if holder.is_some_and(|q| q.kind.personal()) {
        return false;
    }
    if c.numeric && c.values.iter().all(|v| parse_number(v).is_some()) {
        return true;
    }
    // A column the file lacks has no answers to judge them by.
    let Some(column) = column else {
        return false;
    };
    c.values
        .iter()
        .all(|v| v.is_empty() || v == NO_ANSWER || keep.value(&column, v))
}

/// The column a filter's condition names, as `Filter::mask` finds it: a column, or a
/// one-column question by id or label.
fn column_of(survey: &Survey, name: &str) -> Option<String> {
    if survey.table.column(name).is_some() {
        return Some(name.to_string());
    }
    survey
        .questions()
        .find(|q| (q.id == name || q.label == name) && q.columns.len() == 1)
        .map(|q| q.columns[0].clone())
}

fn holder<'a>(survey: &'a Survey, column: &str) -> Option<&'a Question> {
    survey
        .questions()
        .find(|q| q.columns.iter().any(|c| c == column))
}
