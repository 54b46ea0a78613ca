//! Answers as labels: a variable's categories as an export may name them. An answer that
//! is neither a labelled code (1 = 男性, from a codebook or the user), nor the national
//! survey's wording on a matched column, nor a 0/1 column's name, and that fewer than
//! `min_count` respondents gave in the whole file (a write-in address, 「市役所 福祉課長」)
//! is merged into one 「その他（少数）」 category: the label itself would single that
//! person out.

use super::{PubVar, RARE_ANSWERS};
use crate::analysis::variable::{Label, Source, Var, NONE};
use crate::model::order::NO_ANSWER;
use crate::model::text::key;
use crate::model::Survey;

/// A code as a codebook writes it (`1`, `9`, `-1`), as opposed to words.
fn is_code(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The variable with its rare answers merged (see the module's doc).
pub(super) fn publish_var<'a>(survey: &Survey, var: Var<'a>, min_count: u64) -> PubVar<'a> {
    let k = var.labels.len();
    let mut given = vec![0u64; k];
    let mut buf = Vec::new();
    for i in 0..survey.table.rows {
        var.categories(i, &mut buf);
        for &c in &buf {
            given[c as usize] += 1;
        }
    }
    let columns: Vec<String> = match &var.source {
        Source::Single { column, .. } | Source::Joined { column, .. } => vec![column.name.clone()],
        Source::Binary(cols) => cols.iter().map(|(c, _, _)| c.name.clone()).collect(),
    };
    let binary = matches!(var.source, Source::Binary(_));
    // The national survey's own wording on a column matched to a national item.
    let national: Vec<String> = survey
        .model
        .national
        .iter()
        .filter(|m| m.column == var.id || columns.contains(&m.column))
        .flat_map(|m| m.item.national_labels().iter().map(|l| key(l)))
        .collect();
    let questionnaire = |l: &Label| {
        l.no_answer
            || binary
            || (is_code(&l.code) && l.label != l.code)
            || national.contains(&key(&l.label))
    };
    let mut labels = Vec::new();
    let mut map = vec![NONE; k];
    let mut merged = vec![false; k];
    let mut rare = Vec::new();
    let mut no_answer = Vec::new();
    for (c, l) in var.labels.iter().enumerate() {
        if l.no_answer {
            no_answer.push(c);
        } else if (questionnaire(l) && (given[c] > 0 || !l.unlisted)) || given[c] >= min_count {
            map[c] = labels.len() as u32;
            labels.push(l.clone());
        } else if given[c] > 0 {
            rare.push(c);
        }
    }
    if !rare.is_empty() {
        let slot = labels.len() as u32;
        labels.push(Label {
            label: RARE_ANSWERS.into(),
            code: String::new(),
            no_answer: false,
            unlisted: false,
        });
        for c in rare {
            map[c] = slot;
            merged[c] = true;
        }
    }
    let mut na = None;
    if no_answer.iter().any(|&c| given[c] > 0) {
        let slot = labels.len() as u32;
        // Every code of the 無回答 kind (blank, 9 = 無回答, a guessed 9) is one row in an
        // export: named by its own label only when it is the one in use.
        let used: Vec<usize> = no_answer
            .iter()
            .copied()
            .filter(|&c| given[c] > 0)
            .collect();
        labels.push(match used[..] {
            [only] => var.labels[only].clone(),
            _ => Label {
                label: NO_ANSWER.into(),
                code: String::new(),
                no_answer: true,
                unlisted: false,
            },
        });
        for c in no_answer {
            map[c] = slot;
        }
        na = Some(slot);
    }
    PubVar {
        var,
        map,
        labels,
        no_answer: na,
        merged,
        columns,
    }
}
