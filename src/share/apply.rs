//! A shared setup applied to the file just loaded: its questions, codebook labels and
//! derived variables go onto the file's questions as a codebook would (matched by id or
//! column name), the national items follow the sender's choice, and the report says what
//! matched, what the file lacks and which answers the setup doesn't know.

use super::link::Setup;
use super::matching::{self, Matching};
use crate::message::Message;
use crate::model::codebook::{self, ApplyReport, Codebook};
use crate::model::Survey;

/// What applying a setup did: the codebook import's report (what matched by name, what
/// the file lacks, which answers the setup doesn't know, what changed; read through it
/// as `report.matched` …) and how each shared question met one of this file's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SetupReport {
    pub applied: ApplyReport,
    pub matching: Matching,
}

impl std::ops::Deref for SetupReport {
    type Target = ApplyReport;
    fn deref(&self) -> &ApplyReport {
        &self.applied
    }
}

impl SetupReport {
    /// Every line of the report, each question once: what met how, what met nothing,
    /// then the codebook's lines (kinds changed, what was not turned on …).
    pub fn lines(&self) -> Vec<Message> {
        let mut out = self.matching.lines();
        out.extend(
            self.applied
                .lines_ja()
                .into_iter()
                .zip(self.applied.lines_en())
                .map(|(ja, en)| Message::new(ja, en)),
        );
        out
    }
}

pub fn apply_setup(survey: &mut Survey, setup: &Setup) -> SetupReport {
    apply_setup_mapped(survey, setup, &[])
}

/// [`apply_setup`] with the user's own matches first: (the setup's question, this file's
/// question; empty for none), as the page's matching screen and the CLI's `--map` give
/// them. The rest meet by [`matching::propose`]'s rule.
pub fn apply_setup_mapped(
    survey: &mut Survey,
    setup: &Setup,
    map: &[(String, String)],
) -> SetupReport {
    let shared = &setup.model;
    let mut model = survey.model.clone();
    let matching = matching::propose(shared, &model, map);
    let mut book = Codebook::from_model(shared);
    // A question the user said this file doesn't have is not met by its name either.
    book.entries.retain(|e| {
        !map.iter()
            .any(|(theirs, mine)| *theirs == e.id && mine.trim().is_empty())
    });
    // A question this file names otherwise (Q1 for the link's 問1) takes the sender's id, so
    // the link's tables, filters and titles find it as the sender's file has it (its
    // columns keep their names); the setup's entry then goes onto it as onto its own.
    // Where that id is another question's here, the entry goes onto it under its own id
    // and it answers to the sender's name as its label (tables find a question by either).
    let pairs = matching.renamed();
    let mut relabel: Vec<(String, String)> = Vec::new();
    for (theirs, mine) in &pairs {
        // An earlier matching's label no longer names another question.
        for q in model.questions.iter_mut() {
            if q.label == *theirs && q.id != *theirs && q.id != *mine {
                q.label = q.id.clone();
            }
        }
        if model.questions.iter().any(|q| q.id == *theirs) {
            relabel.push((theirs.clone(), mine.clone()));
            continue;
        }
        let Some(q) = model.questions.iter_mut().find(|q| q.id == *mine) else {
            continue;
        };
        q.id = theirs.clone();
        // A multiple answer's national item names the question, not a column.
        let several = q.columns.len() > 1;
        for m in &mut model.national {
            if several && m.column == *mine {
                m.column = theirs.clone();
            }
        }
    }
    for e in &mut book.entries {
        if let Some((_, mine)) = relabel.iter().find(|(theirs, _)| *theirs == e.id) {
            e.id = mine.clone();
        }
    }
    let mut report = codebook::apply(&mut model, &book, &survey.table);
    for (theirs, mine) in &relabel {
        if let Some(q) = model.questions.iter_mut().find(|q| q.id == *mine) {
            q.label = theirs.clone();
        }
    }
    // The report says which question of this file each met.
    for (theirs, mine) in &pairs {
        for m in &mut report.matched {
            if m == mine || m == theirs {
                *m = format!("{theirs} → {mine}");
            }
        }
    }
    // Questions the sender left out of the tables stay out here too. (Personal columns are
    // already off: a link never turns them on.)
    for q in &mut model.questions {
        if let Some(s) = shared.question(&q.id) {
            q.include = q.include && s.include;
        }
    }
    // The national items the sender kept (after unticking those that did not apply).
    if shared.national.iter().any(|m| m.confirmed) {
        model
            .national
            .retain(|m| shared.national.iter().any(|s| s.item == m.item));
        for m in &mut model.national {
            m.confirmed = true;
        }
    }
    if !shared.title.is_empty() {
        model.title = shared.title.clone();
    }
    survey.set_model(model);
    SetupReport {
        applied: report,
        matching,
    }
}

/// The CLI's `--map` file: a sheet of two columns, the setup's question then this file's
/// (a header row such as 共有された設問, このファイルの設問 is skipped when it names no
/// question; empty when this file has none); blank rows ignored.
pub fn read_map(
    table: &crate::table::Table,
    file: &str,
) -> Result<Vec<(String, String)>, crate::message::Message> {
    if table.columns.len() < 2 {
        return Err(crate::message::Message::new(
            format!("{file}: 対応表には2列（共有された設問、このファイルの設問）が要ります。"),
            format!(
                "{file}: the map needs two columns (the shared question, this file's question)."
            ),
        ));
    }
    let cell = |c: usize, r: usize| table.columns[c].value(r).trim().to_string();
    let mut pairs = vec![(
        table.columns[0].name.trim().to_string(),
        table.columns[1].name.trim().to_string(),
    )];
    for r in 0..table.rows {
        // An empty second cell: this file has no such question.
        let (a, b) = (cell(0, r), cell(1, r));
        if !a.is_empty() {
            pairs.push((a, b));
        }
    }
    Ok(pairs)
}
