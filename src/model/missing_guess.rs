//! Missing codes guessed from the numbers alone (9 = 無回答 where the answers are 1–5).
//!
//! Paper surveys code 無回答 as 9, 99 or 999, or as a negative number, *outside* the
//! answers' codes. The same numbers are answers inside a scale: −1/0/1 (too much / about
//! right / too little), −2…+2, 3/6/9. So a code is guessed missing only when it lies
//! outside the run of the other codes — more than one step beyond its ends, the step
//! being the smallest gap between the other codes. A guess is marked
//! ([`super::question::ValueLabel::guessed`]): the page shows it as 推定 with an undo,
//! `inspect --json` lists it with the reason.

use serde::Serialize;

use super::question::{Missing, Question, ValueLabel};
use crate::message::Message;

/// Whether `code` is a usual missing code (9, 99, 999 or negative) lying outside the run
/// of `others` (the question's other integer codes).
pub fn outside_run(code: f64, others: &[f64]) -> bool {
    let usual = [9.0, 99.0, 999.0].contains(&code) || code < 0.0;
    if !usual || others.is_empty() {
        return false;
    }
    let mut sorted: Vec<f64> = others.iter().copied().filter(|&o| o != code).collect();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return false;
    };
    // One code alone has no gaps: its step is 1.
    let step = sorted
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() { step } else { 1.0 };
    code > max + step || code < min - step
}

/// The codes among `codes` that [`outside_run`] takes as missing, each judged against
/// the others; repeated on what is left, so 99 is found beside 999 (1, 2, 99, 999).
pub fn outside_codes(codes: &[f64]) -> Vec<f64> {
    let mut left: Vec<f64> = codes.to_vec();
    let mut out: Vec<f64> = Vec::new();
    loop {
        let found: Vec<f64> = left
            .iter()
            .copied()
            .filter(|&c| {
                let others: Vec<f64> = left.iter().copied().filter(|&o| o != c).collect();
                outside_run(c, &others)
            })
            .collect();
        if found.is_empty() {
            break;
        }
        left.retain(|c| !found.contains(c));
        out.extend(found);
    }
    out.sort_by(f64::total_cmp);
    out
}

/// Marks the guessed missing codes among `values` (integer codes; values already missing
/// by their label stay as they are and are not counted among the run).
pub fn mark(values: &mut [ValueLabel]) {
    let answers: Vec<f64> = values
        .iter()
        .filter(|v| v.missing.is_none())
        .filter_map(|v| crate::table::parse_number(&v.code))
        .collect();
    let outside = outside_codes(&answers);
    for v in values.iter_mut().filter(|v| v.missing.is_none()) {
        if crate::table::parse_number(&v.code).is_some_and(|c| outside.contains(&c)) {
            v.missing = Some(Missing::NoAnswer);
            v.guessed = true;
        }
    }
}

/// One guessed missing code, for the user to check (`inspect --json`, the page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guess {
    pub question: String,
    pub code: String,
    pub why: Message,
}

/// The guesses of `q`, each with why it was made.
pub fn guesses(q: &Question) -> Vec<Guess> {
    let answers: Vec<f64> = q
        .options()
        .filter_map(|v| crate::table::parse_number(&v.code))
        .collect();
    let (lo, hi) = answers
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let run = if lo.is_finite() {
        format!("{lo}～{hi}")
    } else {
        String::new()
    };
    q.values
        .iter()
        .filter(|v| v.guessed && v.missing.is_some())
        .map(|v| Guess {
            question: q.id.clone(),
            code: v.code.clone(),
            why: Message {
                ja: format!(
                    "「{}」の回答のコードは{run}で、{} はその外にあるため、無回答のコードと推定しました（推定）。回答の一つなら、設問の編集で「元に戻す」を押してください。",
                    q.label, v.code
                ),
                en: format!(
                    "The answers of \"{}\" are coded {run}; {} lies outside them, so it was taken as a no-answer code (a guess). If it is an answer, press \"undo\" in the question editor.",
                    q.label, v.code
                ),
            },
        })
        .collect()
}

/// Undoes the guess that `code` of `q` is missing: it becomes an answer again. False when
/// there was no such guess.
pub fn undo(q: &mut Question, code: &str) -> bool {
    match q
        .values
        .iter_mut()
        .find(|v| v.code == code && v.guessed && v.missing.is_some())
    {
        Some(v) => {
            v.missing = None;
            v.guessed = false;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_and_its_step() {
        assert!(outside_run(9.0, &[1.0, 2.0, 3.0, 4.0, 5.0]));
        assert!(outside_run(-1.0, &[1.0, 2.0, 3.0]));
        assert!(outside_run(99.0, &[1.0, 12.0, 5.0]));
        assert!(!outside_run(-1.0, &[0.0, 1.0]));
        assert!(!outside_run(9.0, &[3.0, 6.0]));
        assert!(!outside_run(9.0, &[7.0, 8.0]));
        // Not a usual missing code, or nothing to compare with.
        assert!(!outside_run(8.0, &[1.0, 2.0]));
        assert!(!outside_run(9.0, &[]));
        // 1–5 with both 9 and −1: each lies outside the run of the others.
        assert_eq!(
            outside_codes(&[-1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 9.0]),
            vec![-1.0, 9.0]
        );
        assert_eq!(outside_codes(&[1.0, 2.0, 99.0, 999.0]), vec![99.0, 999.0]);
        assert!(outside_codes(&[-2.0, -1.0, 0.0, 1.0, 2.0]).is_empty());
    }
}
