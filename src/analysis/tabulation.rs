//! Simple tabulation (単純集計) of a question: each answer's count and share, under an
//! optional weight and filter. The one tabulation: the page's question view, the CLI's
//! `tab`, a template's tabulations and their report all come from [`tabulate`].
//!
//! As the national survey publishes, 無回答 (blank cells and the codebook's no-answer
//! codes) is a category inside the base, so a single answer's % sum to 100; 非該当 falls
//! outside it. A multiple answer gives the % of respondents who chose at least one option
//! (summing over 100) and, by [`Tabulation::response_percent`], the % of all answers
//! given. The categories are those of `variable::Var`: the codebook's options in its
//! order (every one, even at 0), then values it lacks in questionnaire order
//! (`model::order`), then 無回答. Under a weight every % is weighted and the 95 % Wilson
//! intervals use the Kish effective n.

use serde::{Deserialize, Serialize};

use super::filter::Filter;
use super::variable::{row_weight, weights, Source, Var, NONE};
use super::Note;
use crate::model::national::Item;
use crate::model::question::Kind;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::stats::{weight_summary, wilson_interval, Interval, NumericSummary, WeightSummary};

/// One answer of a tabulation. (In JSON, a row of `rows`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Category {
    pub label: String,
    /// The value as it is in the file ("1" for 決してない in a coded file; "" for 無回答:
    /// blanks and codes labelled so; a guessed 9 keeps "9").
    pub code: String,
    /// 無回答 (blank cells and the codebook's no-answer codes; a missing code not labelled
    /// 無回答 — a guessed 9 — is a row of its own of this kind).
    #[serde(default)]
    pub no_answer: bool,
    /// A value the codebook does not list (a typo, or a code missing from the codebook).
    #[serde(default)]
    pub unlisted: bool,
    pub count: u64,
    /// Sum of weights (under a weight).
    pub weighted: Option<f64>,
    /// % of the base (無回答 inside it; for a multiple answer, % of respondents). None
    /// when the base is empty.
    pub percent: Option<f64>,
    /// % of those who answered (有効%: 無回答 outside the base).
    pub valid_percent: Option<f64>,
    /// Running total of `valid_percent` down the table (累積%, SPSS's "Cumulative
    /// Percent"); only for ordered answers (`Question::ordered`: a scale, numbers, a
    /// national item or the user's order), none for 無回答 and for multiple answers.
    #[serde(default)]
    pub cumulative_percent: Option<f64>,
    /// 95 % Wilson interval of `percent` (0–1), with the effective n under a weight.
    pub ci: Option<Interval>,
}

impl Category {
    /// The count, or the sum of weights under a weight: what the % are shares of.
    pub fn amount(&self) -> f64 {
        self.weighted.unwrap_or(self.count as f64)
    }
}

/// The tabulation of one question (or one grid item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Tabulation {
    /// The question id, or the column of a grid item or of a column named alone.
    pub id: String,
    /// The question's label (a grid item's: the grid's label and the item's text).
    pub title: String,
    pub multiple: bool,
    pub weight: Option<String>,
    pub filter: Option<String>,
    #[serde(rename = "rows")]
    pub categories: Vec<Category>,
    /// Respondents in the base (unweighted): all rows asked, 無回答 included; for a
    /// multiple answer, those who chose at least one option.
    pub base_count: u64,
    /// The base (weighted under a weight).
    pub base: f64,
    /// Options chosen in all (multiple answer): the base of % of responses.
    pub responses: Option<u64>,
    /// Rows the filter left out.
    pub filtered_out: u64,
    /// Rows in no category, outside the base: 非該当; for a multiple answer, those who
    /// chose nothing (its 無回答).
    pub outside: u64,
    /// Rows left out because their weight is blank, not a number or negative.
    pub invalid_weight: u64,
    pub weights: Option<WeightSummary>,
    pub notes: Vec<Note>,
    /// The national item this question was recognised as (so an aggregate can be set
    /// beside the national figures and other towns' files whatever its title says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<Item>,
    /// A numeric question (年齢, the UCLA-3 score): n, mean, SD, quartiles and histogram
    /// of the respondents in the base with a number (`analysis::numeric`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericSummary>,
}

impl Tabulation {
    /// A multiple answer: the share of all answers given (% of responses) that `c` is.
    pub fn response_percent(&self, c: &Category) -> Option<f64> {
        let total: f64 = self.categories.iter().map(Category::amount).sum();
        (self.multiple && total > 0.0).then(|| c.amount() * 100.0 / total)
    }
}

/// The tabulation(s) of a question — one per item for a grid — by id, label or column
/// name, under an optional weight and filter, through the personal-data gate.
pub fn tabulate(
    survey: &Survey,
    name: &str,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Result<Vec<Tabulation>, Refusal> {
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
            Ok(tabulate_var(
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

/// A question's respondents as its tabulation with no filter or weight counts them
/// (`base_count`: for a multiple answer, who chose something), without tabulating it.
pub(crate) fn respondents(survey: &Survey, name: &str) -> Result<u64, Refusal> {
    Ok(Var::resolve(survey, name, true)?.respondents())
}

fn tabulate_var(
    survey: &Survey,
    var: &Var,
    weight: Option<&(&crate::table::Column, Vec<Option<f64>>)>,
    mask: Option<&[bool]>,
    weight_name: Option<&str>,
    filter: Option<&Filter>,
) -> Tabulation {
    let k = var.labels.len();
    let mut counts = vec![0u64; k];
    let mut sums = vec![0f64; k];
    let (mut base_count, mut base, mut responses) = (0u64, 0f64, 0u64);
    let (mut filtered_out, mut outside, mut invalid_weight) = (0, 0, 0);
    let mut ws = Vec::new();
    let mut cats = Vec::new();
    let mut numeric = None;
    if let Source::Single { column, map } = &var.source {
        // One category per row: count per code (a tight loop), then per category.
        let codes = column.values.len();
        let (mut per_code, mut per_code_w) = (vec![0u64; codes], vec![0f64; codes]);
        match (mask, weight) {
            (None, None) => per_code = column.code_counts().to_vec(),
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
        if let Some(q) = super::numeric::numeric_question(survey, &var.id) {
            // Respondents in the base only (非該当 is outside it, as in the table).
            let in_base: Vec<u64> = (0..codes)
                .map(|c| if map[c] == NONE { 0 } else { per_code[c] })
                .collect();
            let w = weight.map(|_| per_code_w.as_slice());
            numeric = Some(super::numeric::summarise(column, q, &in_base, w));
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
            let label = &var.labels[c];
            Category {
                label: label.label.clone(),
                code: label.code.clone(),
                no_answer: label.no_answer,
                unlisted: label.unlisted,
                count: counts[c],
                weighted: weight.map(|_| sums[c]),
                percent,
                valid_percent: (!var.labels[c].no_answer && valid > 0.0)
                    .then(|| sums[c] * 100.0 / valid),
                cumulative_percent: None,
                ci: percent.and_then(|p| wilson_interval(p / 100.0, n_eff?, 0.95)),
            }
        })
        .collect::<Vec<Category>>();
    let mut rows = rows;
    // Only down an order: a running total of 北地区 + 南地区 means nothing.
    if !var.is_multiple() && var.ordered {
        let mut running = 0.0;
        for r in rows.iter_mut() {
            if let Some(v) = r.valid_percent {
                running += v;
                r.cumulative_percent = Some(running);
            }
        }
    }
    let mut notes = filter.map_or_else(Vec::new, |f| f.unmatched(survey));
    if var.is_multiple() {
        notes.push(Note::new(
            "複数回答: %は回答者（1つ以上選んだ人）に対する割合で、合計は100%を超えます。",
            "Multiple answer: % of respondents who chose at least one option; they can sum over 100%.",
        ));
    }
    if weight.is_some() {
        notes.push(Note::new(
            "ウェイト付きの%です。信頼区間は有効標本数（キッシュの方法）で計算しています。",
            "Weighted %; intervals use the Kish effective sample size.",
        ));
    }
    Tabulation {
        id: var.id.clone(),
        title: var.title.clone(),
        multiple: var.is_multiple(),
        weight: weight_name.map(String::from),
        filter: filter.map(|f| f.source().to_string()),
        categories: rows,
        base_count,
        base,
        responses: var.is_multiple().then_some(responses),
        filtered_out,
        outside,
        invalid_weight,
        weights: summary,
        notes,
        national: national_item(survey, &var.id),
        numeric,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    /// A question `q` holding these answers (blank = 無回答) beside a second column (so
    /// a blank answer is not a blank row), its model inferred.
    fn survey(answers: &[&str]) -> Survey {
        let rows: Vec<String> = answers.iter().map(|a| format!("{a},x")).collect();
        let csv = format!("q,r\n{}\n", rows.join("\n"));
        let table = read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table;
        Survey::infer(table)
    }

    /// The fixtures with multiple answers of every form: 0/1 columns (the coded file's
    /// with 9 = 無回答 from its codebook), joined answers (Google Forms), the sample.
    fn multiple_answer_surveys() -> Vec<(&'static str, Survey)> {
        let read = |bytes: &[u8]| read_bytes(bytes, ReadOptions::default()).unwrap().table;
        let file = |name: &str| {
            read(
                &std::fs::read(format!(
                    "{}/tests/fixtures/{name}",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap(),
            )
        };
        let coded = file("coded.csv");
        let mut model = crate::model::SurveyModel::infer(&coded);
        let book = crate::model::codebook::Codebook::from_table(
            &file("coded_codebook.csv"),
            "coded_codebook.csv",
        )
        .unwrap();
        crate::model::codebook::apply(&mut model, &book, &coded);
        vec![
            ("coded.csv", Survey::with_model(coded, model)),
            ("google_forms.csv", Survey::infer(file("google_forms.csv"))),
            (
                "municipal_labelled.csv",
                Survey::infer(file("municipal_labelled.csv")),
            ),
            ("sample", Survey::infer(read(&crate::sample::csv_bytes()))),
        ]
    }

    #[test]
    fn respondents_are_the_tabulations_base_without_tabulating() {
        let mut multiple = 0;
        for (name, s) in multiple_answer_surveys() {
            for q in s.questions().filter(|q| q.include && q.kind != Kind::Grid) {
                let tab = &tabulate(&s, &q.id, None, None).unwrap()[0];
                assert_eq!(
                    respondents(&s, &q.id).unwrap(),
                    tab.base_count,
                    "{name} {}",
                    q.id
                );
                multiple += usize::from(q.kind == Kind::Multiple);
            }
        }
        assert!(multiple >= 4, "{multiple} multiple answers checked");
    }

    fn labels(t: &Tabulation) -> Vec<&str> {
        t.categories.iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn counts_and_percentages_include_no_answer_in_the_base() {
        let s = survey(&["女性", "男性", "女性", "", "女性"]);
        let t = &tabulate(&s, "q", None, None).unwrap()[0];
        assert_eq!(t.base_count, 5);
        let got: Vec<_> = t
            .categories
            .iter()
            .map(|c| (c.label.as_str(), c.count, c.percent.unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![("女性", 3, 60.0), ("男性", 1, 20.0), ("無回答", 1, 20.0)]
        );
        let answered: u64 = t
            .categories
            .iter()
            .filter(|c| !c.no_answer)
            .map(|c| c.count)
            .sum();
        assert_eq!(answered, 4);
    }

    #[test]
    fn labels_that_start_with_numbers_keep_their_order() {
        let s = survey(&["80歳以上", "20～29歳", "16～19歳", "20～29歳", ""]);
        let t = &tabulate(&s, "q", None, None).unwrap()[0];
        assert_eq!(
            labels(t),
            vec!["16～19歳", "20～29歳", "80歳以上", "無回答"]
        );
    }

    #[test]
    fn numeric_codes_sort_as_numbers() {
        let s = survey(&["10", "2", "1", "2", "9"]);
        let t = &tabulate(&s, "q", None, None).unwrap()[0];
        assert_eq!(labels(t), vec!["1", "2", "9", "10"]);
    }
}
