//! Simple tabulation (単純集計) under a weight and a filter. Without either, the survey's
//! own `Survey::tabulate` says the same; this one exists so that a template's weight and
//! filter apply to every table alike, with the effective n and Wilson intervals beside
//! each weighted %.

use serde::{Deserialize, Serialize};

use super::filter::Filter;
use super::variable::{row_weight, weights, Label, Source, Var, NONE};
use super::Note;
use crate::model::national::Item;
use crate::model::question::Kind;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::stats::{weight_summary, wilson_interval, Interval, WeightSummary};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRow {
    #[serde(flatten)]
    pub label: Label,
    pub count: u64,
    /// Sum of weights (under a weight).
    pub weighted: Option<f64>,
    /// % of the base (無回答 inside it; for a multiple answer, % of respondents).
    pub percent: Option<f64>,
    /// % of those who answered (無回答 outside the base).
    pub valid_percent: Option<f64>,
    /// Running total of `valid_percent` down the table (累積%, SPSS's "Cumulative
    /// Percent"); none for 無回答 and for multiple answers.
    #[serde(default)]
    pub cumulative_percent: Option<f64>,
    /// 95 % Wilson interval of `percent` (0–1), with the effective n under a weight.
    pub ci: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frequencies {
    pub id: String,
    pub title: String,
    pub multiple: bool,
    pub weight: Option<String>,
    pub filter: Option<String>,
    pub rows: Vec<FrequencyRow>,
    /// Respondents in the base (unweighted).
    pub base_count: u64,
    /// The base (weighted under a weight).
    pub base: f64,
    /// Options chosen in all (multiple answer): the base of % of responses.
    pub responses: Option<u64>,
    pub filtered_out: u64,
    /// Rows in no category (非該当; for a multiple answer, nothing chosen).
    pub outside: u64,
    pub invalid_weight: u64,
    pub weights: Option<WeightSummary>,
    pub notes: Vec<Note>,
    /// The national item this question was recognised as (so an aggregate can be set
    /// beside the national figures and other towns' files whatever its title says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<Item>,
}

/// The tabulation(s) of a question — one per item for a grid — under an optional weight
/// and filter. 無回答 is a category inside the base.
pub fn frequencies(
    survey: &Survey,
    name: &str,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Result<Vec<Frequencies>, Refusal> {
    let grid = survey
        .questions()
        .find(|q| (q.id == name || q.label == name) && q.kind == Kind::Grid);
    let names: Vec<String> = match grid {
        Some(q) => {
            survey.usable(&q.id.clone())?;
            q.columns.clone()
        }
        None => vec![name.to_string()],
    };
    let mask = filter.map(|f| f.mask(survey)).transpose()?;
    let weight_col = weight.map(|w| weights(survey, w)).transpose()?;
    names
        .iter()
        .map(|n| {
            let var = Var::resolve(survey, n, true)?;
            Ok(one(
                survey,
                &var,
                weight_col.as_ref(),
                mask.as_deref(),
                weight,
                filter,
            ))
        })
        .collect()
}

fn one(
    survey: &Survey,
    var: &Var,
    weight: Option<&(&crate::table::Column, Vec<Option<f64>>)>,
    mask: Option<&[bool]>,
    weight_name: Option<&str>,
    filter: Option<&Filter>,
) -> Frequencies {
    let k = var.labels.len();
    let mut counts = vec![0u64; k];
    let mut sums = vec![0f64; k];
    let (mut base_count, mut base, mut responses) = (0u64, 0f64, 0u64);
    let (mut filtered_out, mut outside, mut invalid_weight) = (0, 0, 0);
    let mut ws = Vec::new();
    let mut cats = Vec::new();
    if let Source::Single { column, map } = &var.source {
        // One category per row: count per code (a tight loop), then per category.
        let codes = column.values.len();
        let (mut per_code, mut per_code_w) = (vec![0u64; codes], vec![0f64; codes]);
        match (mask, weight) {
            (None, None) => per_code = column.code_counts(),
            _ => {
                for i in 0..survey.table.rows {
                    if mask.is_some_and(|m| !m[i]) {
                        filtered_out += 1;
                        continue;
                    }
                    let code = column.codes.get(i) as usize;
                    if map[code] == NONE {
                        outside += 1;
                        continue;
                    }
                    match weight {
                        Some((col, w)) => match w[col.codes.get(i) as usize] {
                            Some(w) => {
                                per_code[code] += 1;
                                per_code_w[code] += w;
                                ws.push(w);
                            }
                            None => invalid_weight += 1,
                        },
                        None => per_code[code] += 1,
                    }
                }
            }
        }
        for (code, &cat) in map.iter().enumerate() {
            let n = per_code[code];
            if cat == NONE {
                if mask.is_none() && weight.is_none() {
                    outside += n;
                }
                continue;
            }
            let w = if weight.is_some() {
                per_code_w[code]
            } else {
                n as f64
            };
            counts[cat as usize] += n;
            sums[cat as usize] += w;
            base_count += n;
            base += w;
            responses += n;
        }
    }
    for i in 0..survey.table.rows {
        if matches!(var.source, Source::Single { .. }) {
            break;
        }
        if mask.is_some_and(|m| !m[i]) {
            filtered_out += 1;
            continue;
        }
        var.categories(i, &mut cats);
        if cats.is_empty() {
            outside += 1;
            continue;
        }
        let Some(w) = row_weight(weight, i) else {
            invalid_weight += 1;
            continue;
        };
        base_count += 1;
        base += w;
        responses += cats.len() as u64;
        if weight.is_some() {
            ws.push(w);
        }
        for &c in &cats {
            counts[c as usize] += 1;
            sums[c as usize] += w;
        }
    }
    let summary = weight.map(|_| weight_summary(&ws));
    let n_eff = match &summary {
        Some(s) => s.n_eff,
        None => (base_count > 0).then_some(base_count as f64),
    };
    let no_answer: f64 = (0..k)
        .filter(|&c| var.labels[c].no_answer)
        .map(|c| sums[c])
        .sum();
    let valid = base - no_answer;
    let rows = (0..k)
        .filter(|&c| counts[c] > 0 || !(var.labels[c].no_answer || var.labels[c].unlisted))
        .map(|c| {
            let percent = (base > 0.0).then(|| sums[c] * 100.0 / base);
            FrequencyRow {
                label: var.labels[c].clone(),
                count: counts[c],
                weighted: weight.map(|_| sums[c]),
                percent,
                valid_percent: (!var.labels[c].no_answer && valid > 0.0)
                    .then(|| sums[c] * 100.0 / valid),
                cumulative_percent: None,
                ci: percent.and_then(|p| wilson_interval(p / 100.0, n_eff?, 0.95)),
            }
        })
        .collect::<Vec<FrequencyRow>>();
    let mut rows = rows;
    if !var.is_multiple() {
        let mut running = 0.0;
        for r in rows.iter_mut() {
            if let Some(v) = r.valid_percent {
                running += v;
                r.cumulative_percent = Some(running);
            }
        }
    }
    let mut notes = Vec::new();
    if var.is_multiple() {
        notes.push(Note::new(
            "複数回答: %は回答者（1つ以上選んだ人）に対する割合で、合計は100%を超えます。",
            "Multiple answer: % of respondents who chose at least one option; they can sum over 100%.",
        ));
    }
    if weight.is_some() {
        notes.push(Note::new(
            "ウェイト付きの%です。信頼区間は有効標本数（Kish）で計算しています。",
            "Weighted %; intervals use the Kish effective sample size.",
        ));
    }
    Frequencies {
        id: var.id.clone(),
        title: var.title.clone(),
        multiple: var.is_multiple(),
        weight: weight_name.map(String::from),
        filter: filter.map(|f| f.source().to_string()),
        rows,
        base_count,
        base,
        responses: var.is_multiple().then_some(responses),
        filtered_out,
        outside,
        invalid_weight,
        weights: summary,
        notes,
        national: national_item(survey, &var.id),
    }
}

/// The recognised national item of a question id or column: a match names the file's
/// column (a multiple answer: its question id), and a question may be named by its id.
pub(crate) fn national_item(survey: &Survey, id: &str) -> Option<Item> {
    let columns: Vec<&str> = match survey.questions().find(|q| q.id == id) {
        Some(q) if q.kind != Kind::Grid => q.columns.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    survey
        .model
        .national
        .iter()
        .find(|m| m.column == id || columns.contains(&m.column.as_str()))
        .map(|m| m.item)
}
