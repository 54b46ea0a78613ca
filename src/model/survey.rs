//! A loaded file together with its model: derived variables computed as extra columns,
//! tabulations by question (labels, questionnaire order, missing codes, multiple answers),
//! and the one gate every table, chart and export goes through, which keeps identifiers
//! and free text out unless the user turned them on.

use serde::{Deserialize, Serialize};

use super::derive::{DeriveError, Recipe};
use super::order::{self, NO_ANSWER};
use super::question::{Certainty, Kind, Missing, MultiForm, Question, ValueLabel};
use super::{multi, SurveyModel};
use crate::table::{Column, Table};
use crate::tabulate::{fill_valid_percent, Category, MultipleBase, Tabulation};

/// A request the survey will not answer, with the reason in Japanese and English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub ja: String,
    pub en: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.ja, self.en)
    }
}

#[derive(Debug, Clone)]
pub struct Survey {
    /// The file's columns followed by the derived ones.
    pub table: Table,
    pub model: SurveyModel,
    /// Questions for the derived variables (generated from their recipes).
    pub derived_questions: Vec<Question>,
    /// Recipes that could not run (a source column is missing).
    pub derive_errors: Vec<DeriveError>,
    file_columns: usize,
}

impl Survey {
    /// The table with the model inferred from it.
    pub fn infer(table: Table) -> Survey {
        let model = SurveyModel::infer(&table);
        Survey::with_model(table, model)
    }

    pub fn with_model(table: Table, model: SurveyModel) -> Survey {
        let file_columns = table.columns.len();
        let mut s = Survey {
            table,
            model,
            derived_questions: Vec::new(),
            derive_errors: Vec::new(),
            file_columns,
        };
        s.rebuild_derived();
        s
    }

    /// Replaces the model (edited by the user): the national template's variables follow
    /// the national items kept, and every derived variable is computed again.
    pub fn set_model(&mut self, mut model: SurveyModel) {
        self.table.columns.truncate(self.file_columns);
        model.refresh_national_derived(&self.table);
        self.model = model;
        self.rebuild_derived();
    }

    /// The file's own columns (without the derived ones).
    pub fn file_columns(&self) -> &[Column] {
        &self.table.columns[..self.file_columns]
    }

    /// Recomputes every derived variable (after the model changed).
    pub fn rebuild_derived(&mut self) {
        self.table.columns.truncate(self.file_columns);
        self.derive_errors.clear();
        self.derived_questions.clear();
        for d in self.model.derived.clone() {
            if self.table.column(&d.name).is_some() {
                self.derive_errors.push(DeriveError {
                    name: d.name.clone(),
                    missing_column: String::new(),
                    reason: Some((
                        "同じ名前の列がすでにあります。別の名前にしてください。".into(),
                        "a column of that name exists already; choose another name".into(),
                    )),
                });
                continue;
            }
            match d.compute(&self.table) {
                Ok(col) => {
                    let mut q = derived_question(&d, &col);
                    // Read from a name or free text: personal too, whoever made it.
                    if let Some((kind, on)) = super::widening::personal_derivation(&self.model, &d)
                    {
                        q.kind = kind;
                        q.include = on;
                        q.values.clear();
                        q.reason = "個人を特定する情報か自由記述の列から作った変数 / derived from an identifier or free text".into();
                    }
                    self.derived_questions.push(q);
                    self.table.columns.push(col);
                }
                Err(e) => self.derive_errors.push(e),
            }
        }
    }

    /// Every question: the file's, then the derived variables'.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.model.questions.iter().chain(&self.derived_questions)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// The gate for tables, charts and exports: personal questions only when turned on.
    pub fn usable(&self, id: &str) -> Result<&Question, Refusal> {
        let q = self.question(id).ok_or_else(|| Refusal {
            ja: format!("設問「{id}」はありません。設問の一覧から選んでください。"),
            en: format!("There is no question \"{id}\". Pick one from the question list."),
        })?;
        if !q.include {
            return Err(Refusal {
                ja: format!(
                    "「{}」は{}のため、集計・グラフ・出力から除いています。使うには設問の一覧で「集計に含める」をオンにしてください。",
                    q.label,
                    q.kind.ja()
                ),
                en: format!(
                    "\"{}\" is {} and is left out of tables, charts and exports. Turn on \"include\" in the question list to use it.",
                    q.label,
                    q.kind.en()
                ),
            });
        }
        Ok(q)
    }

    /// A column for a crosstab or a weight, by name, through the same gate.
    pub fn usable_column(&self, name: &str) -> Result<&Column, Refusal> {
        let col = self.table.column(name).ok_or_else(|| Refusal {
            ja: format!("列「{name}」はありません。列名を確かめてください。"),
            en: format!("There is no column \"{name}\". Check the column name."),
        })?;
        if let Some(q) = self
            .questions()
            .find(|q| q.columns.iter().any(|c| c == name))
        {
            self.usable(&q.id.clone())?;
        }
        Ok(col)
    }

    /// The tabulation(s) of a question: one, or one per item for a grid.
    pub fn tabulate(&self, id: &str) -> Result<Vec<Tabulation>, Refusal> {
        let q = self.usable(id)?;
        let col = |name: &str| {
            self.table.column(name).ok_or_else(|| Refusal {
                ja: format!("設問「{}」の列「{name}」がファイルにありません。", q.label),
                en: format!(
                    "Column \"{name}\" of question \"{}\" is not in the file.",
                    q.label
                ),
            })
        };
        match (q.kind, &q.multi) {
            (Kind::Multiple, Some(form)) => {
                let cols = q
                    .columns
                    .iter()
                    .map(|c| col(c))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(vec![tabulate_multiple(q, form, &cols, self.table.rows)])
            }
            (Kind::Grid, _) => q
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let title = format!("{} {}", q.label, q.item_text(i));
                    Ok(tabulate_labelled(col(c)?, q, &title))
                })
                .collect(),
            _ => {
                let c = col(&q.columns[0])?;
                Ok(vec![tabulate_labelled(c, q, &q.label)])
            }
        }
    }
}

fn derived_question(d: &super::Derived, col: &Column) -> Question {
    let labels = d.recipe.labels();
    let kind = match d.recipe {
        Recipe::Sum { .. } => Kind::Numeric,
        Recipe::Rake { .. } => Kind::Weight,
        _ => Kind::Single,
    };
    let values = if kind == Kind::Weight {
        Vec::new()
    } else if labels.is_empty() {
        let counts = col.code_counts();
        let used: Vec<&str> = (1..col.values.len())
            .filter(|&c| counts[c] > 0)
            .map(|c| col.values[c].as_ref())
            .collect();
        super::order::ordered_values(&col.values, &used)
    } else {
        labels
            .into_iter()
            .map(|l| ValueLabel {
                code: l.clone(),
                label: l,
                missing: None,
            })
            .collect()
    };
    Question {
        id: d.name.clone(),
        label: d.name.clone(),
        text: String::new(),
        kind,
        columns: vec![d.name.clone()],
        item_texts: Vec::new(),
        multi: None,
        values,
        certainty: Certainty::Confirmed,
        reason: "作成した変数 / derived variable".into(),
        include: true,
    }
}

/// Single choice (and numbers) with the codebook: its labels and order, every listed
/// option shown even at 0, values it lacks flagged, missing codes merged into 無回答 (in
/// the base) and 非該当 (outside it).
pub fn tabulate_labelled(column: &Column, q: &Question, title: &str) -> Tabulation {
    let counts = column.code_counts();
    let listed: Vec<&ValueLabel> = q.options().collect();
    let mut slots: Vec<Category> = listed
        .iter()
        .map(|v| Category {
            label: v.label.clone(),
            code: v.code.clone(),
            ..Category::default()
        })
        .collect();
    let mut unlisted: Vec<Category> = Vec::new();
    let (mut no_answer, mut not_applicable) = (counts.first().copied().unwrap_or(0), 0);
    for c in 1..column.values.len() {
        let n = counts[c];
        if n == 0 {
            continue;
        }
        let value = column.values[c].as_ref();
        match q.missing_of(value) {
            Some(Missing::NoAnswer) => no_answer += n,
            Some(Missing::NotApplicable) => not_applicable += n,
            None => match listed.iter().position(|v| v.code == value) {
                Some(i) => slots[i].count += n,
                None => unlisted.push(Category {
                    label: value.to_string(),
                    code: value.to_string(),
                    count: n,
                    // Without a codebook every value is "unlisted": only flag values a
                    // list exists for.
                    unlisted: !listed.is_empty(),
                    ..Category::default()
                }),
            },
        }
    }
    order::sort(&mut unlisted, |c| &c.code);
    slots.extend(unlisted);
    if no_answer > 0 {
        slots.push(Category {
            label: NO_ANSWER.into(),
            count: no_answer,
            no_answer: true,
            ..Category::default()
        });
    }
    let base: u64 = slots.iter().map(|c| c.count).sum();
    for c in &mut slots {
        c.percent = percent(c.count, base);
    }
    fill_valid_percent(&mut slots);
    Tabulation {
        column: q.columns.first().cloned().unwrap_or_default(),
        title: title.to_string(),
        base,
        categories: slots,
        not_applicable,
        multiple: None,
    }
}

fn percent(n: u64, base: u64) -> f64 {
    if base == 0 {
        0.0
    } else {
        n as f64 * 100.0 / base as f64
    }
}

/// Multiple answer: % of respondents who answered the question (chose at least one
/// option) and % of all answers given. Rows with nothing chosen are 無回答, outside the base.
pub fn tabulate_multiple(
    q: &Question,
    form: &MultiForm,
    cols: &[&Column],
    rows: usize,
) -> Tabulation {
    let options: Vec<&ValueLabel> = q.options().collect();
    let mut labels: Vec<String> = options.iter().map(|v| v.label.clone()).collect();
    let mut counts = vec![0u64; labels.len()];
    let (mut answered, mut responses) = (0u64, 0u64);
    match form {
        MultiForm::Binary { ticked } => {
            // Per column, whether each of its codes is a tick (computed once per value).
            let ticks: Vec<Vec<bool>> = cols
                .iter()
                .map(|c| {
                    c.values
                        .iter()
                        .map(|v| ticked.iter().any(|t| t == v.as_ref()))
                        .collect()
                })
                .collect();
            // Options follow the columns; the codebook names them by column.
            let slot: Vec<usize> = cols
                .iter()
                .map(|c| {
                    options
                        .iter()
                        .position(|o| o.code == c.name)
                        .unwrap_or_else(|| {
                            labels.push(c.name.clone());
                            counts.push(0);
                            labels.len() - 1
                        })
                })
                .collect();
            for row in 0..rows {
                let mut any = false;
                for (k, c) in cols.iter().enumerate() {
                    if ticks[k][c.codes.get(row) as usize] {
                        counts[slot[k]] += 1;
                        responses += 1;
                        any = true;
                    }
                }
                answered += any as u64;
            }
        }
        MultiForm::Joined { separator } => {
            let col = cols[0];
            let code_counts = col.code_counts();
            let known: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
            for c in 1..col.values.len() {
                let n = code_counts[c];
                if n == 0 {
                    continue;
                }
                let mut seen: Vec<usize> = Vec::new();
                for piece in multi::split(&col.values[c], separator, &known) {
                    if q.missing_of(piece).is_some() {
                        continue;
                    }
                    let i = match options.iter().position(|o| o.code == piece) {
                        Some(i) => i,
                        None => match labels.iter().skip(options.len()).position(|l| l == piece) {
                            Some(j) => options.len() + j,
                            None => {
                                labels.push(piece.to_string());
                                counts.push(0);
                                labels.len() - 1
                            }
                        },
                    };
                    if !seen.contains(&i) {
                        seen.push(i);
                    }
                }
                for &i in &seen {
                    counts[i] += n;
                }
                responses += n * seen.len() as u64;
                if !seen.is_empty() {
                    answered += n;
                }
            }
        }
    }
    let categories = labels
        .into_iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (label, count))| Category {
            code: options
                .get(i)
                .map(|o| o.code.clone())
                .unwrap_or_else(|| label.clone()),
            unlisted: i >= options.len() && !options.is_empty(),
            label,
            count,
            percent: percent(count, answered),
            valid_percent: Some(percent(count, answered)),
            response_percent: Some(percent(count, responses)),
            cumulative_percent: None,
            no_answer: false,
        })
        .collect();
    Tabulation {
        column: q.id.clone(),
        title: q.label.clone(),
        base: answered,
        categories,
        not_applicable: 0,
        multiple: Some(MultipleBase {
            rows: rows as u64,
            no_answer: rows as u64 - answered,
            responses,
        }),
    }
}
