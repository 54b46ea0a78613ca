//! Numbers by group (e.g. the UCLA-3 score by 年代): per group n, mean, SD, median, min,
//! max — weighted as well under a weight — with one-way ANOVA and Kruskal–Wallis across
//! the groups (`crate::stats::groups`).
//!
//! Cells that are not numbers, and codes the codebook marks as missing (9 = 無回答), are
//! not values: they are counted and left out, never averaged in.

use serde::{Deserialize, Serialize};

use super::crosstab::VarInfo;
use super::filter::Filter;
use super::variable::{row_weight, weights, Label, Var};
use super::Note;
use crate::model::question::Kind;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::stats::{
    describe, describe_weighted, kruskal_wallis, one_way_anova, Anova, Descriptives, KruskalWallis,
    WeightedDescriptives,
};
use crate::table::Column;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    #[serde(flatten)]
    pub label: Label,
    pub stats: Descriptives,
    /// Under a weight (frequency-weight semantics, see `WeightedDescriptives`).
    pub weighted: Option<WeightedDescriptives>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Means {
    /// The number's question id (or column) and label.
    pub num: VarInfo,
    pub by: VarInfo,
    pub weight: Option<String>,
    pub filter: Option<String>,
    pub groups: Vec<GroupRow>,
    /// Every respondent in some group.
    pub total: GroupRow,
    /// On the unweighted values of the groups.
    pub anova: Anova,
    pub kruskal_wallis: KruskalWallis,
    pub rows_in_file: u64,
    pub filtered_out: u64,
    /// Rows whose value is blank, not a number, or a missing code.
    pub no_number: u64,
    /// Rows in no group (無回答 or 非該当 of the grouping question).
    pub no_group: u64,
    pub invalid_weight: u64,
    pub notes: Vec<Note>,
}

/// `num` by the categories of `by`.
pub fn means(
    survey: &Survey,
    num: &str,
    by: &str,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Result<Means, Refusal> {
    let (column, title) = number_column(survey, num)?;
    let q = survey
        .questions()
        .find(|q| q.columns.contains(&column.name));
    // The number of each code: none for blanks, text and missing codes.
    let value = super::numeric::code_values(column, q);
    if value.iter().all(Option::is_none) {
        return Err(Refusal {
            ja: format!("「{title}」に数値がありません。平均を求めるには数値の設問（年齢、得点など）を指定してください。"),
            en: format!("\"{title}\" holds no numbers. Name a numeric question (age, a score) to average."),
        });
    }
    let group = Var::resolve(survey, by, false)?;
    if group.is_multiple() {
        return Err(Refusal {
            ja: format!("複数回答の設問「{}」ではグループに分けられません。単一回答の設問を指定してください。", group.title),
            en: format!("A multiple-answer question (\"{}\") cannot define groups; name a single-choice question.", group.title),
        });
    }
    let mask = filter.map(|f| f.mask(survey)).transpose()?;
    let weight_col = weight.map(|w| weights(survey, w)).transpose()?;
    let k = group.labels.len();
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); k];
    let mut ws: Vec<Vec<f64>> = vec![Vec::new(); k];
    let (mut filtered_out, mut no_number, mut no_group, mut invalid_weight) = (0, 0, 0, 0);
    let mut cats = Vec::new();
    for i in 0..survey.table.rows {
        if mask.as_ref().is_some_and(|m| !m[i]) {
            filtered_out += 1;
            continue;
        }
        let Some(x) = value[column.codes.get(i) as usize] else {
            no_number += 1;
            continue;
        };
        group.categories(i, &mut cats);
        let Some(&g) = cats.first() else {
            no_group += 1;
            continue;
        };
        let Some(w) = row_weight(weight_col.as_ref(), i) else {
            invalid_weight += 1;
            continue;
        };
        values[g as usize].push(x);
        ws[g as usize].push(w);
    }
    let row = |label: Label, v: &[f64], w: &[f64]| GroupRow {
        label,
        stats: describe(v),
        weighted: weight_col.as_ref().map(|_| describe_weighted(v, w)),
    };
    // Unlisted values nobody is in are not groups; listed ones stay, even empty.
    let kept: Vec<usize> = (0..k)
        .filter(|&g| !values[g].is_empty() || !group.labels[g].unlisted)
        .collect();
    let groups: Vec<GroupRow> = kept
        .iter()
        .map(|&g| row(group.labels[g].clone(), &values[g], &ws[g]))
        .collect();
    let all: Vec<f64> = values.concat();
    let all_w: Vec<f64> = ws.concat();
    let total = row(
        Label {
            label: "全体".into(),
            code: String::new(),
            no_answer: false,
            unlisted: false,
        },
        &all,
        &all_w,
    );
    let tested: Vec<Vec<f64>> = kept.iter().map(|&g| values[g].clone()).collect();
    let mut notes = vec![Note::new(
        "無回答・非該当の人、数値でない回答（欠損コードを含む）は除いています。",
        "Respondents with no answer or not applicable, and answers that are not numbers (missing codes included), are left out.",
    )];
    notes.extend(filter.map_or_else(Vec::new, |f| f.unmatched(survey)));
    if weight.is_some() {
        notes.push(Note::new(
            "平均・標準偏差・中央値はウェイト付きも示します。分散分析とクラスカル・ウォリス検定はウェイトなしの値で計算しています。",
            "Weighted mean, SD and median are shown too; ANOVA and Kruskal–Wallis use the unweighted values.",
        ));
    }
    Ok(Means {
        num: VarInfo {
            id: num.to_string(),
            title,
            multiple: false,
        },
        by: VarInfo {
            id: group.id.clone(),
            title: group.title.clone(),
            multiple: false,
        },
        weight: weight.map(String::from),
        filter: filter.map(|f| f.source().to_string()),
        groups,
        total,
        anova: one_way_anova(&tested),
        kruskal_wallis: kruskal_wallis(&tested),
        rows_in_file: survey.table.rows as u64,
        filtered_out,
        no_number,
        no_group,
        invalid_weight,
        notes,
    })
}

/// The column holding the numbers: a one-column question by id or label, or a column.
fn number_column<'a>(survey: &'a Survey, name: &str) -> Result<(&'a Column, String), Refusal> {
    if let Some(q) = survey.questions().find(|q| q.id == name || q.label == name) {
        let q = survey.usable(&q.id.clone())?;
        if q.columns.len() != 1 || q.kind == Kind::Multiple {
            return Err(Refusal {
                ja: format!(
                    "「{}」は複数の列からなる設問です。数値の列を1つ指定してください。",
                    q.label
                ),
                en: format!(
                    "\"{}\" spans several columns; name one numeric column.",
                    q.label
                ),
            });
        }
        let col = super::variable::column_of(survey, q, &q.columns[0])?;
        return Ok((col, q.label.clone()));
    }
    let col = survey.usable_column(name)?;
    Ok((col, name.to_string()))
}
