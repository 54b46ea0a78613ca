//! Missing codes guessed in integer-coded answers (issue 14 item 5): 9/99/−1 are taken
//! for 無回答 only when they lie outside the run of the other codes, never inside a
//! scale (−1/0/1, −2…+2, 3/6/9); each guess is marked 推定, can be undone, and keeps its
//! own code in the tables.

use tsunagari::analysis::tabulate;
use tsunagari::model::{Missing, Survey, SurveyModel};

mod common;
use common::table;

/// A one-column file `q` whose cells are `codes`, each repeated `n` times.
fn file(codes: &[&str], n: usize) -> Vec<u8> {
    let mut s = String::from("q\n");
    for _ in 0..n {
        for c in codes {
            s.push_str(c);
            s.push('\n');
        }
    }
    s.into_bytes()
}

fn model_of(codes: &[&str]) -> SurveyModel {
    SurveyModel::infer(&table(&file(codes, 3)))
}

/// The codes taken as missing, and whether each was a guess.
fn missing(model: &SurveyModel) -> Vec<(String, Option<Missing>, bool)> {
    model.questions[0]
        .values
        .iter()
        .filter(|v| v.missing.is_some())
        .map(|v| (v.code.clone(), v.missing, v.guessed))
        .collect()
}

#[test]
fn codes_inside_a_scale_are_answers() {
    // Too much / about right / too little (GSS natenvir, natsoc, natrace).
    assert_eq!(missing(&model_of(&["-1", "0", "1"])), vec![]);
    // A symmetric −2…+2 scale keeps its negative answers.
    assert_eq!(missing(&model_of(&["-2", "-1", "0", "1", "2"])), vec![]);
    // Codes in steps of three: 9 continues the run.
    assert_eq!(missing(&model_of(&["3", "6", "9"])), vec![]);
    // 1–9 in full: 9 is the last answer.
    assert_eq!(
        missing(&model_of(&["1", "2", "3", "4", "5", "6", "7", "8", "9"])),
        vec![]
    );
}

#[test]
fn codes_outside_the_run_are_guessed_missing() {
    let guessed = |code: &str| vec![(code.to_string(), Some(Missing::NoAnswer), true)];
    assert_eq!(
        missing(&model_of(&["1", "2", "3", "4", "5", "9"])),
        guessed("9")
    );
    let mut twelve: Vec<String> = (1..=12).map(|c| c.to_string()).collect();
    twelve.push("99".into());
    let twelve: Vec<&str> = twelve.iter().map(String::as_str).collect();
    assert_eq!(missing(&model_of(&twelve)), guessed("99"));
    assert_eq!(
        missing(&model_of(&["-1", "1", "2", "3", "4", "5"])),
        guessed("-1")
    );
    // A label that says 無回答 is no guess.
    let m = SurveyModel::infer(&table("q\n1\n2\n無回答\n1\n".as_bytes()));
    assert_eq!(
        missing(&m),
        vec![("無回答".to_string(), Some(Missing::NoAnswer), false)]
    );
}

#[test]
fn a_guess_can_be_undone() {
    let mut model = model_of(&["1", "2", "3", "4", "5", "9"]);
    let guesses = model.missing_guesses();
    assert_eq!(guesses.len(), 1);
    assert_eq!(
        (guesses[0].question.as_str(), guesses[0].code.as_str()),
        ("q", "9")
    );
    assert!(guesses[0].why.ja.contains("1～5"), "{:?}", guesses[0].why);
    assert!(model.undo_missing_guess("q", "9"));
    assert_eq!(missing(&model), vec![]);
    assert!(model.missing_guesses().is_empty());
    // Nothing left to undo.
    assert!(!model.undo_missing_guess("q", "9"));
}

#[test]
fn a_guessed_code_keeps_its_own_row() {
    // 9 guessed missing, and two blank cells: two rows of the 無回答 kind, each with its
    // own code, not one row under "" holding both.
    let cells = ["1", "2", "3", "4", "5", "9", "9", "9", "", "", "1"];
    let csv: String = cells.iter().map(|c| format!("{c},x\n")).collect();
    let bytes = format!("q,r\n{csv}").into_bytes();
    let survey = Survey::infer(table(&bytes));
    let t = &tabulate(&survey, "q", None, None).unwrap()[0];
    let rows: Vec<(&str, u64, bool)> = t
        .categories
        .iter()
        .filter(|c| c.no_answer)
        .map(|c| (c.code.as_str(), c.count, c.no_answer))
        .collect();
    assert_eq!(rows, vec![("9", 3, true), ("", 2, true)]);
    let nine = t.categories.iter().find(|c| c.code == "9").unwrap();
    assert_eq!(nine.label, "9（無回答）");
    assert_eq!(t.base_count, 11);
    // 有効% leaves both out.
    let one = t.categories.iter().find(|c| c.code == "1").unwrap();
    assert!((one.valid_percent.unwrap() - 2.0 * 100.0 / 6.0).abs() < 1e-9);
}

#[test]
fn a_grid_shares_its_guesses() {
    // Three items on a 1–4 scale, one 9 among them: guessed for the grid; a grid on
    // −1/0/1 keeps every code.
    let grid = |rows: &[[&str; 3]]| {
        let csv: String = rows.iter().map(|r| format!("{}\n", r.join(","))).collect();
        SurveyModel::infer(&table(format!("g_1,g_2,g_3\n{csv}").as_bytes()))
    };
    let m = grid(&[["1", "2", "3"], ["4", "9", "1"], ["2", "3", "4"]]);
    assert_eq!(
        missing(&m),
        vec![("9".into(), Some(Missing::NoAnswer), true)]
    );
    let m = grid(&[["-1", "0", "1"], ["1", "0", "-1"], ["0", "0", "1"]]);
    assert_eq!(missing(&m), vec![]);
}
