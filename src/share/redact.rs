//! What of a survey's setup may go into a share link. The link carries the questionnaire,
//! not the answers:
//!
//! - identifiers and free text: the question (column, kind) only, never a value;
//! - numbers and weights: only their missing-value codes (999 = 無回答);
//! - choice questions: codes with a label of their own (`1` = 男性, `9` = 無回答, a 0/1
//!   column's name), which come from a codebook or the user; an answer written out in the file
//!   itself (「男性」 in a Google Forms export) only when at least [`MIN_RESPONDENTS`]
//!   respondents gave it — the same line as the 「x」 of the disclosure rules, and what
//!   keeps a write-in typed into 「その他」 out of the link;
//! - recipes, national matches: the same rule for every answer they name;
//! - why a question was classified as it was: dropped (the other side sees 確認済み).
//!
//! Whether a personal column was turned on (「集計に含める」) does not travel either: a
//! shared setup never turns on another municipality's personal columns.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::link::Setup;
use crate::analysis::AnalysisTemplate;
use crate::model::derive::Recipe;
use crate::model::text::key;
use crate::model::{multi, Kind, MultiForm, Question, Survey};
use crate::table::{Column, Table};

/// An answer given by fewer respondents than this is not put in a link unless it is a code.
pub const MIN_RESPONDENTS: u64 = 3;

/// What was kept out of a link, for the page to say (counts only: the values themselves
/// are exactly what must not be shown around).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LeftOut {
    /// Questions whose rare answers were left out, with how many answers.
    pub rare_answers: Vec<(String, usize)>,
    /// Identifier and free-text questions sent without any value.
    pub personal: Vec<String>,
}

impl LeftOut {
    pub fn lines_ja(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.personal.is_empty() {
            out.push(format!(
                "個人を特定する情報・自由記述の列（{}）は、列名だけを入れ、回答は入れていません。",
                self.personal.join("、")
            ));
        }
        for (q, n) in &self.rare_answers {
            out.push(format!(
                "「{q}」の回答のうち、{MIN_RESPONDENTS}人未満しか選んでいない{n}件は入れていません（その他欄に書かれた言葉かもしれないため）。"
            ));
        }
        out
    }

    pub fn lines_en(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.personal.is_empty() {
            out.push(format!(
                "Identifier and free-text columns ({}) go in by name only, with no answer.",
                self.personal.join(", ")
            ));
        }
        for (q, n) in &self.rare_answers {
            out.push(format!(
                "\"{q}\": {n} answer(s) given by fewer than {MIN_RESPONDENTS} respondents were left out (they may be someone's own words)."
            ));
        }
        out
    }
}

/// A code as a codebook writes it (`1`, `9`, `-1`, `999`), as opposed to words a
/// respondent may have typed.
fn is_code(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A code with a label of its own (from a codebook or the user: 1 = 男性) or marked as
/// missing (9 = 無回答): the questionnaire's. A bare number nobody labelled (a year of
/// birth read as a choice) is judged by how many gave it, like words.
fn labelled_code(v: &crate::model::ValueLabel) -> bool {
    is_code(&v.code) && (v.label != v.code || v.missing.is_some())
}

/// How many respondents gave each answer of `q`, over its columns (a joined multiple
/// answer: each option). Counted once per question, since each count is a pass over the
/// rows.
fn answer_counts(table: &Table, q: &Question) -> HashMap<String, u64> {
    let mut out: HashMap<String, u64> = HashMap::new();
    let known: Vec<&str> = q.values.iter().map(|v| v.code.as_str()).collect();
    for col in q.columns.iter().filter_map(|c| table.column(c)) {
        match &q.multi {
            Some(MultiForm::Joined { separator }) => {
                for (option, n) in multi::option_counts(col, separator, &known) {
                    *out.entry(option).or_default() += n;
                }
            }
            _ => {
                let counts = col.code_counts();
                for (value, n) in col.values.iter().zip(counts).skip(1) {
                    *out.entry(value.to_string()).or_default() += n;
                }
            }
        }
    }
    out
}

fn count_in(col: &Column, value: &str) -> u64 {
    match col.values.iter().position(|v| v.as_ref() == value) {
        Some(i) if i > 0 => col.code_counts()[i],
        _ => 0,
    }
}

/// The setup of `survey` and `template` as it may go into a link, and what was left out.
pub fn for_link(survey: &Survey, template: &AnalysisTemplate) -> (Setup, LeftOut) {
    let table = &survey.table;
    let mut model = survey.model.clone();
    let mut left = LeftOut::default();
    // The national survey's own wording (「しばしばある・常にある」) on a column matched to a
    // national item is the questionnaire, however few chose it.
    let national: Vec<(String, String)> = model
        .national
        .iter()
        .flat_map(|m| {
            m.item
                .national_labels()
                .iter()
                .map(|l| (m.column.clone(), key(l)))
        })
        .collect();
    let is_national = |columns: &[String], value: &str| {
        let k = key(value);
        national
            .iter()
            .any(|(c, l)| *l == k && columns.iter().any(|x| x == c))
    };
    // Answers of choice questions (those of the file and the derived ones), counted once.
    let counts: HashMap<&str, HashMap<String, u64>> = survey
        .questions()
        .filter(|q| {
            matches!(q.kind, Kind::Single | Kind::Multiple | Kind::Grid)
                && !matches!(q.multi, Some(MultiForm::Binary { .. }))
        })
        .map(|q| (q.id.as_str(), answer_counts(table, q)))
        .collect();
    let given = |id: &str, value: &str| {
        counts
            .get(id)
            .and_then(|c| c.get(value))
            .copied()
            .unwrap_or(0)
    };
    for q in &mut model.questions {
        q.reason.clear();
        match q.kind {
            k if k.personal() => {
                q.values.clear();
                q.include = false;
                left.personal.push(q.label.clone());
            }
            Kind::Numeric | Kind::Weight => {
                q.values.retain(|v| v.missing.is_some() && is_code(&v.code));
            }
            Kind::Multiple if matches!(q.multi, Some(MultiForm::Binary { .. })) => {
                // Codes are the 0/1 columns' names: the questionnaire, not answers.
                let columns = q.columns.clone();
                q.values.retain(|v| columns.contains(&v.code));
            }
            _ => {
                let before = q.values.len();
                let (id, columns) = (q.id.clone(), q.columns.clone());
                q.values.retain(|v| {
                    labelled_code(v)
                        || is_national(&columns, &v.code)
                        || given(&id, &v.code) >= MIN_RESPONDENTS
                });
                if q.values.len() < before {
                    left.rare_answers
                        .push((q.label.clone(), before - q.values.len()));
                }
            }
        }
    }
    // Answers named by recipes and national matches follow the same rule, judged on the
    // column they come from.
    // A grid item's answers are counted in its own column: a single pass each, for the
    // few answers a recipe or national mapping names.
    let keep = |column: &str, value: &str| {
        let question = survey.question(column);
        question
            .or_else(|| survey.model.question_of_column(column))
            .and_then(|q| q.values.iter().find(|v| v.code == value))
            .is_some_and(labelled_code)
            || is_national(&[column.to_string()], value)
            || question.is_some_and(|q| given(&q.id, value) >= MIN_RESPONDENTS)
            || table
                .column(column)
                .is_some_and(|c| count_in(c, value) >= MIN_RESPONDENTS)
    };
    // The national template's variables are made again from the other file's answers.
    model.derived.retain(|d| !d.national);
    for d in &mut model.derived {
        match &mut d.recipe {
            Recipe::Recode { source, groups, .. } => {
                for g in groups.iter_mut() {
                    g.from.retain(|v| keep(source, v));
                }
            }
            Recipe::Sum { sources, scores } => {
                scores.retain(|s| sources.iter().any(|c| keep(c, &s.value)));
            }
            // Bins are numbers; raking targets are population figures typed by the user.
            Recipe::Bin { .. } | Recipe::Rake { .. } => {}
        }
    }
    for m in &mut model.national {
        let column = m.column.clone();
        m.mapping.retain(|c| keep(&column, &c.value));
    }
    (
        Setup {
            model,
            template: template.clone(),
        },
        left,
    )
}
