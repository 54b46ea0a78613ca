//! Column names in a link when the file's first row looks like a respondent rather than a
//! header (`model::header`) and the user has not confirmed it: every column is named by
//! its place, 列1, 列2 …, in the questions, recipes, national matches and tables alike.
//!
//! Every name, not only those that look like answers: if the first row is a respondent,
//! the whole row is that person's record (an answer that matches no pattern is theirs
//! too). Texts and labels that contain a file's column name, and derived variables named
//! after one (「山田太郎（まとめ）」), are replaced as well. A filter naming a renamed column
//! cannot be rewritten safely, so it is left out as [`super::redact_template`] leaves out
//! a filter naming a rare answer: a table's own filter with its table, the report-wide one
//! alone.

use std::collections::HashMap;

use super::link::Setup;
use super::redact::LeftOut;
use crate::analysis::TableSpec;
use crate::model::derive::Recipe;
use crate::model::{header, MultiForm, Survey};
use crate::table::{Column, ColumnBuilder};

/// The new name of every column, question and derived variable named after a column.
pub struct NeutralNames {
    map: HashMap<String, String>,
    /// The file's column names.
    originals: Vec<String>,
}

impl NeutralNames {
    /// The names to use in a link, when the header of `survey`'s file looks like data and
    /// the user has not confirmed it.
    pub fn of(survey: &Survey) -> Option<NeutralNames> {
        // A link made from a saved model alone (`share-link` without a file): the names
        // are judged by their look only (no answers to compare them with).
        let from_model: Vec<Column>;
        let files = if survey.file_columns().is_empty() {
            from_model = survey
                .model
                .questions
                .iter()
                .flat_map(|q| &q.columns)
                .map(|c| ColumnBuilder::new(c.clone()).finish())
                .collect();
            &from_model[..]
        } else {
            survey.file_columns()
        };
        if survey.model.header_confirmed
            || header::suspect_names(files, &survey.model.questions).is_empty()
        {
            return None;
        }
        let originals: Vec<String> = files.iter().map(|c| c.name.clone()).collect();
        let map = originals
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), format!("列{}", i + 1)))
            .collect();
        let mut names = NeutralNames { map, originals };
        let model = &survey.model;
        for q in &model.questions {
            if names.map.contains_key(&q.id) {
                continue;
            }
            let new = match q.columns.as_slice() {
                [] => None,
                [one] => names.map.get(one).cloned(),
                [first, .., last] => names
                    .map
                    .get(first)
                    .zip(names.map.get(last))
                    .map(|(a, b)| format!("{a}～{}", b.trim_start_matches('列'))),
            };
            if let Some(new) = new {
                names.map.insert(q.id.clone(), new);
            }
        }
        for (i, d) in model.derived.iter().enumerate() {
            if names.tainted(&d.name) {
                names.map.insert(d.name.clone(), format!("変数{}", i + 1));
            }
        }
        Some(names)
    }

    /// A text holds a column's name when it is one or contains one (of two characters or
    /// more: a one-character name such as "2" is inside too many texts to mean anything),
    /// or is a part of one: a question's text or option name cut from a header
    /// (「問1　山田太郎」 → text 山田太郎, `model::number`) is that header's value too.
    fn tainted(&self, text: &str) -> bool {
        self.originals.iter().any(|n| {
            text == n
                || (n.chars().count() >= 2 && text.contains(n.as_str()))
                || (text.chars().count() >= 2 && n.contains(text))
        })
    }

    /// Does a filter's condition name (a column, question or derived variable) change?
    pub fn renames(&self, name: &str) -> bool {
        self.map.contains_key(name) || self.tainted(name)
    }

    fn rename(&self, name: &mut String) {
        if let Some(new) = self.map.get(name.as_str()) {
            *name = new.clone();
        }
    }

    /// Renames everything in `setup` (whose tables no longer filter on a renamed name:
    /// `redact_template` left those out).
    pub fn apply(&self, setup: &mut Setup, left: &mut LeftOut) {
        let rename = |name: &mut String| self.rename(name);
        let model = &mut setup.model;
        for q in &mut model.questions {
            rename(&mut q.id);
            if self.tainted(&q.label) {
                q.label = q.id.clone();
            }
            if self.tainted(&q.text) {
                q.text.clear();
            }
            for t in &mut q.item_texts {
                if self.tainted(t) {
                    t.clear();
                }
            }
            if matches!(q.multi, Some(MultiForm::Binary { .. })) {
                // Codes are the 0/1 columns' names.
                for v in &mut q.values {
                    rename(&mut v.code);
                    if self.tainted(&v.label) {
                        v.label = v.code.clone();
                    }
                }
            }
            q.columns.iter_mut().for_each(rename);
        }
        for d in &mut model.derived {
            rename(&mut d.name);
            match &mut d.recipe {
                Recipe::Recode { source, .. } | Recipe::Bin { source, .. } => rename(source),
                Recipe::Sum { sources, .. } => sources.iter_mut().for_each(rename),
                Recipe::Rake {
                    margins,
                    base_weight,
                    ..
                } => {
                    margins.iter_mut().for_each(|m| rename(&mut m.source));
                    base_weight.iter_mut().for_each(rename);
                }
            }
        }
        for m in &mut model.national {
            rename(&mut m.column);
        }
        let template = &mut setup.template;
        template.weight.iter_mut().for_each(rename);
        for spec in &mut template.tables {
            match spec {
                TableSpec::Tabulation {
                    question, weight, ..
                } => {
                    rename(question);
                    weight.iter_mut().for_each(rename);
                }
                TableSpec::Crosstab(c) => {
                    rename(&mut c.row);
                    rename(&mut c.col);
                    c.layer.iter_mut().for_each(rename);
                    c.weight.iter_mut().for_each(rename);
                }
                TableSpec::Means {
                    num, by, weight, ..
                } => {
                    rename(num);
                    rename(by);
                    weight.iter_mut().for_each(rename);
                }
                TableSpec::National { weight, .. } => weight.iter_mut().for_each(rename),
            }
        }
        left.renamed_columns = self.originals.len();
    }
}
