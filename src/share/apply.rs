//! A shared setup applied to the file just loaded: its questions, codebook labels and
//! derived variables go onto the file's questions as a codebook would (matched by id or
//! column name), the national items follow the sender's choice, and the report says what
//! matched, what the file lacks and which answers the setup doesn't know.

use super::link::Setup;
use crate::model::codebook::{self, ApplyReport, Codebook};
use crate::model::Survey;

/// What applying a setup did (the codebook import's report: the same three lists).
pub type SetupReport = ApplyReport;

pub fn apply_setup(survey: &mut Survey, setup: &Setup) -> SetupReport {
    let shared = &setup.model;
    let mut model = survey.model.clone();
    let report = codebook::apply(&mut model, &Codebook::from_model(shared), &survey.table);
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
