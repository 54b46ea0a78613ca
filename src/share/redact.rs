//! What of a survey's setup may go into a share link. The link carries the questionnaire,
//! never a response:
//!
//! - identifiers and free text: the question (column, kind) only, never a value;
//! - numbers and weights: only their missing-value codes (999 = 無回答);
//! - choice questions: codes with a label of their own (`1` = 男性, `9` = 無回答, a 0/1
//!   column's name), which come from a codebook or the user; an answer written out in the file
//!   itself (「男性」 in a Google Forms export) only when at least [`MIN_RESPONDENTS`]
//!   respondents gave it — the same line as the 「x」 of the disclosure rules, and what
//!   keeps a write-in typed into 「その他」 out of the link — or when it is the national
//!   survey's wording on a matched column;
//! - recipes, national matches, raking targets and the pinned tables' filters: the same
//!   rule ([`Keep`]) for every answer they name (`super::redact_template` for the tables);
//! - column names, when the file's first row looks like a respondent rather than a header
//!   and the user has not confirmed it: replaced by 列1, 列2 … (`super::neutral_names`);
//! - why a question was classified as it was: dropped (the other side sees 確認済み).
//!
//! Whether a personal column was turned on (「集計に含める」), and whether the header was
//! confirmed, do not travel either: a shared setup never widens what another municipality
//! uses (`model::widening`).

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::link::Setup;
use super::neutral_names::NeutralNames;
use crate::analysis::AnalysisTemplate;
use crate::model::derive::Recipe;
use crate::model::text::key;
use crate::model::{multi, Kind, MultiForm, Question, Survey, ValueLabel};
use crate::table::Table;

/// An answer given by fewer respondents than this is not put in a link unless it is a code.
pub const MIN_RESPONDENTS: u64 = 3;

/// What was kept out of a link, for the page to say (counts and places only: the values
/// themselves are exactly what must not be shown around).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LeftOut {
    /// Questions whose rare answers were left out, with how many answers.
    pub rare_answers: Vec<(String, usize)>,
    /// Identifier and free-text questions sent without any value.
    pub personal: Vec<String>,
    /// Pinned tables left out because their own filter names what may not go in.
    #[serde(default)]
    pub tables: Vec<LeftTable>,
    /// Conditions of the report-wide filter that could not go in (the filter is then left
    /// out; 0 = kept or none).
    #[serde(default)]
    pub report_filter: usize,
    /// Population figures of raking targets left out: (weight, column, how many answers).
    #[serde(default)]
    pub rake_targets: Vec<(String, String, usize)>,
    /// Columns whose names were replaced by 列1, 列2 … because the first row looked like a
    /// respondent's answers (0 = names kept).
    #[serde(default)]
    pub renamed_columns: usize,
}

/// A pinned table that did not go into the link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftTable {
    /// Its place in the report, from 1.
    pub number: usize,
    /// The questions it shows, by name.
    pub about: String,
    /// How many conditions of its filter could not go in.
    pub conditions: usize,
    /// The conditions name a column whose name was replaced (the first row was not a
    /// header), rather than an answer.
    #[serde(default)]
    pub renamed_column: bool,
}

impl LeftOut {
    pub fn lines_ja(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.renamed_columns > 0 {
            out.push(format!(
                "ファイルの1行目が見出しではなく回答者の回答のように見えるため、リンクでは列名（{}列）を「列1」「列2」…に置き換えました。1行目が正しい見出しなら、読み込み結果の「1行目は見出しです」にチェックを入れてから、リンクを作り直してください。",
                self.renamed_columns
            ));
        }
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
        for t in &self.tables {
            out.push(if t.renamed_column {
                format!(
                    "表{}（{}）は入れていません。絞り込み条件の{}か所が、名前を置き換えた列を指しているためです。",
                    t.number, t.about, t.conditions
                )
            } else {
                format!(
                    "表{}（{}）は入れていません。絞り込み条件の{}か所が、{MIN_RESPONDENTS}人未満しか選んでいない回答か、個人を特定する情報・自由記述・数値の値を指しているためです（条件を外すと別の表になるため、表ごと外しました）。",
                    t.number, t.about, t.conditions
                )
            });
        }
        if self.report_filter > 0 {
            out.push(format!(
                "レポート全体の絞り込み条件は入れていません（{}か所が、{MIN_RESPONDENTS}人未満しか選んでいない回答や個人の情報などを指しているため）。受け取った側では、絞り込まずに全員の回答で表を作ります。",
                self.report_filter
            ));
        }
        for (w, column, n) in &self.rake_targets {
            out.push(format!(
                "ウェイト「{w}」の「{column}」の人口のうち{n}区分は入れていません（{MIN_RESPONDENTS}人未満しか選んでいない回答や個人の情報のため）。受け取った側で、その区分の人口を入れ直す必要があります。"
            ));
        }
        out
    }

    pub fn lines_en(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.renamed_columns > 0 {
            out.push(format!(
                "The file's first row looks like a respondent's answers rather than a header, so the link names the {} columns 列1, 列2 … instead. If the first row is a real header, tick \"the first row is a header\" in the reading results and make the link again.",
                self.renamed_columns
            ));
        }
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
        for t in &self.tables {
            out.push(if t.renamed_column {
                format!(
                    "Table {} ({}) was left out: {} condition(s) of its filter name a column whose name was replaced.",
                    t.number, t.about, t.conditions
                )
            } else {
                format!(
                    "Table {} ({}) was left out: {} condition(s) of its filter name an answer fewer than {MIN_RESPONDENTS} respondents gave, or a value of an identifier, free text or number (without the condition it would be another table).",
                    t.number, t.about, t.conditions
                )
            });
        }
        if self.report_filter > 0 {
            out.push(format!(
                "The report-wide filter was left out ({} condition(s) name a rare answer or personal information): the receiver's tables count every respondent.",
                self.report_filter
            ));
        }
        for (w, column, n) in &self.rake_targets {
            out.push(format!(
                "Weight \"{w}\": the population of {n} answer(s) of \"{column}\" was left out (given by fewer than {MIN_RESPONDENTS} respondents, or personal); the receiver must enter it again."
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
fn labelled_code(v: &ValueLabel) -> bool {
    is_code(&v.code) && (v.label != v.code || v.missing.is_some())
}

/// How many respondents gave each answer of `q`, over its columns (a joined multiple
/// answer: each option). One pass over the rows per question.
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

/// The one rule for what answer may go into a link, used for the questions' answers and
/// for every answer a recipe, a national match, a raking target or a filter names. Answers
/// are counted when first asked about, once per question.
pub struct Keep<'a> {
    survey: &'a Survey,
    /// (column, key of a national wording) for the columns matched to a national item.
    national: Vec<(String, String)>,
    counts: RefCell<HashMap<String, HashMap<String, u64>>>,
}

impl<'a> Keep<'a> {
    pub fn new(survey: &'a Survey) -> Keep<'a> {
        // The national survey's own wording (「しばしばある・常にある」) on a column matched
        // to a national item is the questionnaire, however few chose it.
        let national = survey
            .model
            .national
            .iter()
            .flat_map(|m| {
                m.item
                    .national_labels()
                    .iter()
                    .map(|l| (m.column.clone(), key(l)))
            })
            .collect();
        Keep {
            survey,
            national,
            counts: RefCell::new(HashMap::new()),
        }
    }

    fn is_national(&self, columns: &[String], value: &str) -> bool {
        let k = key(value);
        self.national
            .iter()
            .any(|(c, l)| *l == k && columns.iter().any(|x| x == c))
    }

    /// How many respondents gave `value` as an answer of `q`.
    fn given(&self, q: &Question, value: &str) -> u64 {
        let mut counts = self.counts.borrow_mut();
        let per_q = counts
            .entry(q.id.clone())
            .or_insert_with(|| answer_counts(&self.survey.table, q));
        per_q.get(value).copied().unwrap_or(0)
    }

    /// A label a derived variable's recipe gives its answers (年代's 「70～79歳」, a
    /// merged group's name): written by the user or the app, not by a respondent.
    fn recipe_label(&self, column: &str, value: &str) -> bool {
        self.survey
            .model
            .derived
            .iter()
            .any(|d| d.name == column && d.recipe.labels().iter().any(|l| l == value))
    }

    /// May the answer `v` of `q` (as the model lists it) go into a link?
    pub fn answer(&self, q: &Question, v: &ValueLabel) -> bool {
        match (q.kind, &q.multi) {
            (k, _) if k.personal() => false,
            (Kind::Numeric | Kind::Weight, _) => v.missing.is_some() && is_code(&v.code),
            // Codes are the 0/1 columns' names: the questionnaire, not answers.
            (Kind::Multiple, Some(MultiForm::Binary { .. })) => q.columns.contains(&v.code),
            _ => {
                labelled_code(v)
                    || self.is_national(&q.columns, &v.code)
                    || self.recipe_label(&q.id, &v.code)
                    || self.given(q, &v.code) >= MIN_RESPONDENTS
            }
        }
    }

    /// May `value`, named by a recipe, a national match, a raking target or a filter as an
    /// answer on `column` (a column of the file or a derived variable's name), go into a
    /// link? The answer itself, or the label a codebook gave it (`性別 = 男性` on a coded
    /// file), judged on the question holding the column; a grid item's or a 0/1 column's
    /// answers are counted in that column alone.
    pub fn value(&self, column: &str, value: &str) -> bool {
        let survey = self.survey;
        let holder = survey
            .questions()
            .find(|q| q.columns.iter().any(|c| c == column));
        match holder {
            Some(q) if q.kind.personal() => return false,
            Some(q) if matches!(q.kind, Kind::Numeric | Kind::Weight) => {
                return q
                    .values
                    .iter()
                    .any(|v| v.code == value && v.missing.is_some() && is_code(&v.code))
            }
            _ => {}
        }
        let listed = |v: &&ValueLabel| v.code == value || v.label == value;
        holder.is_some_and(|q| {
            q.values
                .iter()
                .filter(listed)
                .any(|v| labelled_code(v) || (v.code != value && self.answer(q, v)))
        }) || self.is_national(&[column.to_string()], value)
            || self.recipe_label(column, value)
            || survey
                .question(column)
                .is_some_and(|q| self.given(q, value) >= MIN_RESPONDENTS)
            || survey.table.column(column).is_some_and(|c| {
                match c.values.iter().position(|v| v.as_ref() == value) {
                    Some(i) if i > 0 => c.code_counts()[i] >= MIN_RESPONDENTS,
                    _ => false,
                }
            })
    }
}

/// The setup of `survey` and `template` as it may go into a link, and what was left out.
pub fn for_link(survey: &Survey, template: &AnalysisTemplate) -> (Setup, LeftOut) {
    let keep = Keep::new(survey);
    let mut model = survey.model.clone();
    // The receiver's own file decides whether its first row is a header.
    model.header_confirmed = false;
    let mut left = LeftOut::default();
    for q in &mut model.questions {
        q.reason.clear();
        if q.kind.personal() {
            q.values.clear();
            q.include = false;
            left.personal.push(q.label.clone());
            continue;
        }
        let original = survey
            .model
            .question(&q.id)
            .cloned()
            .unwrap_or_else(|| q.clone());
        let before = q.values.len();
        q.values.retain(|v| keep.answer(&original, v));
        let words = !matches!(q.kind, Kind::Numeric | Kind::Weight)
            && !matches!(q.multi, Some(MultiForm::Binary { .. }));
        if words && q.values.len() < before {
            left.rare_answers
                .push((q.label.clone(), before - q.values.len()));
        }
    }
    // The national template's variables are made again from the other file's answers.
    model.derived.retain(|d| !d.national);
    for d in &mut model.derived {
        match &mut d.recipe {
            Recipe::Recode { source, groups, .. } => {
                for g in groups.iter_mut() {
                    g.from.retain(|v| keep.value(source, v));
                }
            }
            Recipe::Sum { sources, scores } => {
                scores.retain(|s| sources.iter().any(|c| keep.value(c, &s.value)));
            }
            // Bins are numbers the user typed.
            Recipe::Bin { .. } => {}
            // Population figures are the census's; the answers they are given for are the
            // file's, and follow the rule. A merged group keeps only what may go in.
            Recipe::Rake { margins, .. } => {
                for m in margins.iter_mut() {
                    let before = m.targets.len();
                    m.targets.retain(|t| keep.value(&m.source, &t.value));
                    let mut dropped = before - m.targets.len();
                    for t in &mut m.targets {
                        let n = t.merged.len();
                        t.merged.retain(|v| keep.value(&m.source, v));
                        dropped += n - t.merged.len();
                    }
                    let n = m.left_out.len();
                    m.left_out.retain(|v| keep.value(&m.source, v));
                    dropped += n - m.left_out.len();
                    if dropped > 0 {
                        left.rake_targets
                            .push((d.name.clone(), m.source.clone(), dropped));
                    }
                }
                margins.retain(|m| !m.targets.is_empty());
            }
        }
    }
    for m in &mut model.national {
        let column = m.column.clone();
        m.mapping.retain(|c| keep.value(&column, &c.value));
    }
    let names = NeutralNames::of(survey);
    let template =
        super::redact_template::for_link(template, survey, &keep, names.as_ref(), &mut left);
    let mut setup = Setup { model, template };
    if let Some(names) = names {
        names.apply(&mut setup, &mut left);
    }
    (setup, left)
}
