//! A shared setup applied to the file just loaded: its questions, codebook labels and
//! derived variables go onto the file's questions as a codebook would (matched by id or
//! column name), the national items follow the sender's choice, and the report says what
//! matched, what the file lacks and which answers the setup doesn't know.

use super::link::Setup;
use crate::model::codebook::{self, ApplyReport, Codebook};
use crate::model::{Survey, SurveyModel};

/// What applying a setup did (the codebook import's report: the same three lists).
pub type SetupReport = ApplyReport;

pub fn apply_setup(survey: &mut Survey, setup: &Setup) -> SetupReport {
    apply_setup_mapped(survey, setup, &[])
}

/// [`apply_setup`] with the user's own matches first: (the setup's question, this file's
/// question), as the CLI's `--map` file gives them.
pub fn apply_setup_mapped(
    survey: &mut Survey,
    setup: &Setup,
    map: &[(String, String)],
) -> SetupReport {
    let shared = &setup.model;
    let mut model = survey.model.clone();
    let mut book = Codebook::from_model(shared);
    // A question this file names otherwise (q1 for the link's 「あなたはどの程度…」): the
    // user's match, else the national item both files know it as. The setup's entry goes
    // onto it.
    let mut by_item: Vec<(String, String)> = map
        .iter()
        .filter(|(theirs, mine)| {
            shared.question(theirs).is_some() && model.question(mine).is_some()
        })
        .cloned()
        .collect();
    for pair in national_pairs(shared, &model) {
        if !by_item.iter().any(|(t, m)| *t == pair.0 || *m == pair.1) {
            by_item.push(pair);
        }
    }
    for e in &mut book.entries {
        if let Some((_, mine)) = by_item.iter().find(|(theirs, _)| *theirs == e.id) {
            e.id = mine.clone();
        }
    }
    let mut report = codebook::apply(&mut model, &book, &survey.table);
    // The link's tables name the question as the sender did: it answers to that name too
    // (tables find a question by id or label), and the report says which it met.
    for (theirs, mine) in &by_item {
        if let Some(q) = model.questions.iter_mut().find(|q| q.id == *mine) {
            q.label = theirs.clone();
        }
        for m in &mut report.matched {
            if m == mine {
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
    report
}

/// (the setup's question, this file's question) for each one-column question of the
/// setup that this file has under another name and column, matched by the national item
/// both files recognised in it (直接質問, 性別, 年齢 …).
fn national_pairs(shared: &SurveyModel, mine: &SurveyModel) -> Vec<(String, String)> {
    let known = |id: &str| {
        mine.questions
            .iter()
            .any(|q| q.id == id || q.label == id || q.columns.iter().any(|c| c == id))
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for s in &shared.questions {
        if s.columns.len() != 1 || known(&s.id) {
            continue;
        }
        let Some(item) = shared
            .national
            .iter()
            .find(|m| m.column == s.columns[0])
            .map(|m| m.item)
        else {
            continue;
        };
        let Some(column) = mine
            .national
            .iter()
            .find(|m| m.item == item)
            .map(|m| &m.column)
        else {
            continue;
        };
        let Some(q) = mine
            .questions
            .iter()
            .find(|q| q.columns.len() == 1 && &q.columns[0] == column)
        else {
            continue;
        };
        if !pairs.iter().any(|(_, m)| *m == q.id) {
            pairs.push((s.id.clone(), q.id.clone()));
        }
    }
    pairs
}

/// The CLI's `--map` file: a sheet of two columns, the setup's question then this file's
/// (a header row such as 共有された設問, このファイルの設問 is skipped when it names no
/// question); blank rows ignored.
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
        let (a, b) = (cell(0, r), cell(1, r));
        if !a.is_empty() && !b.is_empty() {
            pairs.push((a, b));
        }
    }
    Ok(pairs)
}
