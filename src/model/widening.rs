//! A setup never widens what is used. Whatever comes from elsewhere — a share link, a
//! codebook sheet, a saved model — describes another file; applied here it may turn a
//! question off or leave it, never:
//!
//! - make a column personal *here* (an identifier or free text, by this file's own
//!   inference or by the user's own choice) anything but personal: 備考 is a choice in
//!   town A and sentences naming neighbours in town B, and a link that says 氏名 is a
//!   single choice must not put names into town B's tables and aggregates;
//! - turn a question on (`include`) that is off here.
//!
//! And a derived variable read from a personal column (directly or through other derived
//! variables) is personal itself: a recode that keeps every answer as it is copies names or
//! free text into a new column. It is off unless the user turned on every personal column
//! it reads — their own choice, as 「集計に含める」 on the column itself is.
//!
//! The user can still turn anything on in the question editor: that is not a setup.
//! [`never_widen`] is called by `codebook::apply`, which the codebook import (page and
//! `--codebook`, sheets and saved models) and the share link's `apply_setup` go through;
//! [`personal_derivation`] by `Survey::rebuild_derived`, where derived questions are made.

use super::apply_report::{ApplyReport, KindChange, NotWidened};
use super::{Derived, Kind, SurveyModel};

/// Undoes, in `merged` (the model after a setup was applied), every change that would
/// widen what `local` (the model before) lets tables use, and reports what the setup
/// changed and what it was refused.
pub fn never_widen(local: &SurveyModel, merged: &mut SurveyModel, report: &mut ApplyReport) {
    for q in &mut merged.questions {
        let Some(before) = local.question(&q.id) else {
            continue;
        };
        if before.kind.personal() && !q.kind.personal() {
            report.not_widened.push(NotWidened {
                question: q.id.clone(),
                kind: before.kind,
                wanted: Some(q.kind),
            });
            q.kind = before.kind;
            q.multi = before.multi.clone();
            q.values = before.values.clone();
            q.certainty = before.certainty;
            q.include = before.include;
            continue;
        }
        if q.kind != before.kind {
            report.kinds_changed.push(KindChange {
                question: q.id.clone(),
                from: before.kind,
                to: q.kind,
            });
        }
        if q.include && !before.include {
            q.include = false;
            report.not_widened.push(NotWidened {
                question: q.id.clone(),
                kind: q.kind,
                wanted: None,
            });
        }
    }
    for d in &mut report.new_derived {
        d.personal = merged
            .derived
            .iter()
            .find(|x| x.name == d.name)
            .is_some_and(|x| personal_derivation(merged, x).is_some());
    }
}

/// When `derived` reads a personal column (directly or through other derived variables of
/// `model`): the kind it takes (identifier if any such column is one, else free text) and
/// whether it may be shown — only when the user turned on every personal column it reads.
pub fn personal_derivation(model: &SurveyModel, derived: &Derived) -> Option<(Kind, bool)> {
    let mut found: Option<(Kind, bool)> = None;
    let mut seen: Vec<&str> = vec![derived.name.as_str()];
    let mut todo: Vec<&str> = derived.recipe.sources();
    while let Some(column) = todo.pop() {
        if seen.contains(&column) {
            continue;
        }
        seen.push(column);
        if let Some(q) = model.question_of_column(column) {
            if q.kind.personal() {
                let (kind, on) = found.unwrap_or((Kind::FreeText, true));
                let kind = if q.kind == Kind::Identifier {
                    Kind::Identifier
                } else {
                    kind
                };
                found = Some((kind, on && q.include));
            }
        } else if let Some(d) = model.derived.iter().find(|d| d.name == column) {
            todo.extend(d.recipe.sources());
        }
    }
    found
}
