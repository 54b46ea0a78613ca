//! A loaded file together with its model: derived variables computed as extra columns,
//! and the one gate every table, chart and export goes through, which keeps identifiers
//! and free text out unless the user turned them on.

use super::derive::{DeriveError, Recipe};
use super::question::{Certainty, Kind, Question, ValueLabel};
use super::SurveyModel;
use crate::table::{Column, Table};

/// A request the survey will not answer, with the reason in Japanese and English.
pub type Refusal = crate::message::Message;

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
        // In the order the recipes need each other, not the model's order: a recipe may
        // use a derived variable listed after it (the national template's variables are
        // put back at the end whenever the model changes, after a weight raked on the
        // national 年代). A recipe waits while one of its sources is still to be made; in
        // a cycle the first one left goes and reports its missing source.
        let mut pending = self.model.derived.clone();
        while !pending.is_empty() {
            let waits = |d: &super::Derived| {
                d.recipe
                    .sources()
                    .iter()
                    .any(|s| *s != d.name && pending.iter().any(|p| p.name == *s))
            };
            let next = pending.iter().position(|d| !waits(d)).unwrap_or(0);
            let d = pending.remove(next);
            if self.table.column(&d.name).is_some() {
                self.derive_errors.push(DeriveError {
                    name: d.name.clone(),
                    missing_column: String::new(),
                    reason: Some(crate::message::Message::new(
                        "同じ名前の列がすでにあります。別の名前にしてください。",
                        "a column of that name exists already; choose another name",
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
                guessed: false,
            })
            .collect()
    };
    // Bins (年代, UCLA groups) are ordered by construction; groups of a recode are
    // ordered when their labels form a scale.
    let ordered = matches!(d.recipe, Recipe::Bin { .. }) || super::order::is_ordered(&values);
    Question {
        id: d.name.clone(),
        label: d.name.clone(),
        text: String::new(),
        kind,
        columns: vec![d.name.clone()],
        item_texts: Vec::new(),
        multi: None,
        values,
        ordered,
        certainty: Certainty::Confirmed,
        reason: "作成した変数 / derived variable".into(),
        include: true,
    }
}
