//! Issue 14 items 3 and 13: questions by their number (「問1　あなたは…」 is 問1 in the
//! page, the CLI, templates and aggregates) and headers of more than one row (question
//! numbers, texts, option names), found or as the user says (`--header-rows N`), never two
//! questions with one id. The files are written here, the expected figures counted from
//! the rows the test wrote (not through the engine).

use std::collections::HashSet;
use std::process::Command;

use tsunagari::analysis::tabulate;
use tsunagari::ingest::{read_bytes, ReadOptions, Warning};
use tsunagari::model::{names, Kind, MultiForm, Survey};

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(name: &str, text: &str) -> String {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("header_rows");
    std::fs::create_dir_all(&d).unwrap();
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const Q1: &str = "あなたはどの程度、孤独であると感じることがありますか。";

/// 「問N　text」 headers, one row per respondent: (file, the answers to 問1).
fn numbered_file() -> (String, Vec<u32>) {
    let mut text = format!("問1　{Q1},問２．あなたの性別,年齢\n");
    let mut q1 = Vec::new();
    for i in 0..40u32 {
        let a = i % 5 + 1;
        q1.push(a);
        text.push_str(&format!("{a},{},{}\n", i % 2 + 1, 20 + i));
    }
    (text, q1)
}

#[test]
fn a_header_starting_with_a_number_is_that_question() {
    let (text, q1) = numbered_file();
    let loaded = read_bytes(text.as_bytes(), ReadOptions::default()).unwrap();
    let survey = Survey::infer(loaded.table);
    let q = names::question(&survey, "問1").expect("問1 names the first question");
    assert_eq!(q.id, "問1");
    assert_eq!(q.text, Q1);
    assert_eq!(q.columns, [format!("問1　{Q1}")]);
    let sex = names::question(&survey, "問2").expect("問２ is 問2");
    assert_eq!(sex.text, "あなたの性別");
    // The table of 問1 counts what the file holds.
    let t = tabulate(&survey, "問1", None, None).unwrap().remove(0);
    assert_eq!(t.id, "問1");
    for a in 1..=5u32 {
        let want = q1.iter().filter(|&&x| x == a).count() as u64;
        let got = t
            .categories
            .iter()
            .find(|c| c.code == a.to_string())
            .map(|c| c.count);
        assert_eq!(got, Some(want), "answer {a}");
    }
}

#[test]
fn the_cli_and_a_template_name_a_question_by_its_number() {
    let (text, q1) = numbered_file();
    let file = write("numbered.csv", &text);
    let (ok, out, err) = run(&["tab", &file, "問1", "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let doc = if doc.is_array() { doc[0].clone() } else { doc };
    assert_eq!(doc["id"], "問1", "{out}");
    assert_eq!(doc["base_count"], q1.len() as u64, "{out}");

    let template = write(
        "t.json",
        r#"{"format": "tsunagari-analysis", "version": 1,
            "tables": [{"type": "tabulation", "question": "問1"},
                       {"type": "crosstab", "row": "問1", "col": "問2"}]}"#,
    );
    let (ok, out, err) = run(&["run", &file, "--template", &template]);
    assert!(ok, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["items"][0]["kind"], "tabulation", "{out}");
    assert_eq!(r["items"][1]["kind"], "crosstab", "{out}");
}

/// A vendor's sheet: three header rows (numbers, texts, option names under the multiple
/// answer 問3), then 300 respondents. (text, the respondents' rows).
fn block_file() -> (String, Vec<[u32; 7]>) {
    let mut text = String::from(
        "問1,問2,問3,問3,問3,F1,F2\n\
         あなたはどの程度、孤独であると感じることがありますか,人と直接会って話す頻度,困ったときに相談できる相手,,,性別,年齢\n\
         ,,家族,友人,相談できる人はいない,,\n",
    );
    let mut rows = Vec::new();
    for i in 0..300u32 {
        let r = [
            i % 5 + 1,
            i % 7 + 1,
            (i % 3 == 0) as u32,
            (i % 4 == 0) as u32,
            (i % 11 == 0) as u32,
            i % 2 + 1,
            16 + (i * 7) % 70,
        ];
        text.push_str(&r.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
        text.push('\n');
        rows.push(r);
    }
    (text, rows)
}

#[test]
fn a_header_block_is_found_combined_and_reported() {
    let (text, rows) = block_file();
    let loaded = read_bytes(text.as_bytes(), ReadOptions::default()).unwrap();
    assert_eq!(loaded.table.rows, 300);
    assert!(
        loaded.warnings.contains(&Warning::HeaderBlock {
            rows: 3,
            found: true
        }),
        "{:?}",
        loaded.warnings
    );
    let survey = Survey::infer(loaded.table);
    let qs = &survey.model.questions;
    let ids: Vec<&str> = qs.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["問1", "問2", "問3", "F1", "F2"]);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    let age = names::question(&survey, "F2").unwrap();
    assert_eq!(age.kind, Kind::Numeric, "{age:?}");
    assert_eq!(age.text, "年齢");
    let q3 = names::question(&survey, "問3").unwrap();
    assert_eq!(q3.kind, Kind::Multiple);
    assert!(matches!(q3.multi, Some(MultiForm::Binary { .. })));
    assert_eq!(q3.text, "困ったときに相談できる相手");
    let options: Vec<&str> = q3.values.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(options, ["家族", "友人", "相談できる人はいない"]);
    // Every answer of 問1 is one the respondents gave: no bogus header answer.
    let t = tabulate(&survey, "問1", None, None).unwrap().remove(0);
    assert_eq!(t.base_count, 300);
    for c in &t.categories {
        let want = rows.iter().filter(|r| r[0].to_string() == c.code).count() as u64;
        assert!(want > 0, "bogus answer {}", c.code);
        assert_eq!(c.count, want);
    }
    // The options' counts, as ticked in the rows.
    let t = tabulate(&survey, "問3", None, None).unwrap().remove(0);
    for (k, c) in t.categories.iter().enumerate().take(3) {
        let want = rows.iter().filter(|r| r[2 + k] == 1).count() as u64;
        assert_eq!(c.count, want, "{}", c.label);
    }
}

#[test]
fn header_rows_one_reads_the_block_as_respondents_and_says_so() {
    let (text, _) = block_file();
    let file = write("block.csv", &text);
    let (ok, out, err) = run(&["inspect", &file, "--json", "--header-rows", "1"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["read"]["rows"], 302);
    let kept = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["kind"] == "header_block_rows_kept")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(kept["found"], 3);
    assert!(kept["message_ja"]
        .as_str()
        .unwrap()
        .contains("--header-rows 3"));
    // Ids stay unique even then: the three 問3 columns are three questions.
    let ids: Vec<&str> = doc["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "{ids:?}"
    );

    // Found by itself, and the same when said.
    for args in [vec![], vec!["--header-rows", "3"]] {
        let mut a = vec!["inspect", file.as_str(), "--json"];
        a.extend(args.iter().copied());
        let (ok, out, err) = run(&a);
        assert!(ok, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["read"]["rows"], 300, "{a:?}");
        let block = doc["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["kind"] == "header_block")
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(block["rows"], 3);
    }
}

#[test]
fn two_questions_never_share_an_id() {
    let mut text = String::from("問3　あなたの性別,問3　あなたの年齢,問3\n");
    for i in 0..20 {
        text.push_str(&format!("{},{},{}\n", i % 2 + 1, 20 + i, i % 3));
    }
    let loaded = read_bytes(text.as_bytes(), ReadOptions::default()).unwrap();
    let survey = Survey::infer(loaded.table);
    let ids: Vec<&str> = survey
        .model
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(ids, ["問3", "問3_2", "問3_3"]);
    let second = &survey.model.questions[1];
    assert!(second.reason.contains("問3_2"), "{}", second.reason);
}

#[test]
fn aggregates_and_share_links_carry_the_number() {
    let (text, _) = numbered_file();
    let file = write("numbered_agg.csv", &text);
    let template = write(
        "agg.json",
        r#"{"format": "tsunagari-analysis", "version": 1,
            "tables": [{"type": "tabulation", "question": "問1"}]}"#,
    );
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("header_rows")
        .join("agg-out.json");
    let (ok, _, err) = run(&[
        "aggregate",
        &file,
        "--template",
        &template,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let table = &doc["tables"][0];
    // Its title is the question's label: the header, number first.
    assert!(
        table["title"].as_str().unwrap().starts_with("問1　"),
        "{table}"
    );
    assert_eq!(table["total"], 40);

    let (ok, link, err) = run(&["share-link", &template, &file]);
    assert!(ok, "{err}");
    let (ok, shown, err) = run(&["share-link", "--show", link.trim()]);
    assert!(ok, "{err}");
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let q = shown["model"]["questions"]
        .as_array()
        .unwrap_or_else(|| panic!("{shown}"))
        .iter()
        .find(|q| q["id"] == "問1")
        .unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(q["text"], Q1);
}

/// A workbook whose header block has merged cells (問4 and its text over the three
/// options' columns), as vendors lay it out: the same combination as a CSV.
#[test]
fn a_workbook_header_block_with_merged_cells() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet.write(0, 0, "問1").unwrap();
    sheet.merge_range(0, 1, 0, 3, "問4", &plain).unwrap();
    sheet.write(0, 4, "F2").unwrap();
    sheet
        .write(1, 0, "あなたはどの程度、孤独であると感じることがありますか")
        .unwrap();
    sheet
        .merge_range(1, 1, 1, 3, "参加している活動", &plain)
        .unwrap();
    sheet.write(1, 4, "年齢").unwrap();
    for (c, o) in ["スポーツ", "ボランティア", "特に参加はしていない"]
        .iter()
        .enumerate()
    {
        sheet.write(2, 1 + c as u16, *o).unwrap();
    }
    let mut ticked = [0u64; 3];
    for i in 0..60u32 {
        let r = 3 + i;
        sheet.write(r, 0, (i % 5 + 1) as f64).unwrap();
        for c in 0..3u32 {
            let t = (i + c) % 3 == 0;
            ticked[c as usize] += t as u64;
            sheet.write(r, 1 + c as u16, t as u32 as f64).unwrap();
        }
        sheet.write(r, 4, (20 + i % 40) as f64).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let loaded = tsunagari::ingest::workbook::read_workbook(&bytes, None).unwrap();
    assert_eq!(loaded.table.rows, 60, "{:?}", loaded.warnings);
    assert!(loaded.warnings.contains(&Warning::HeaderBlock {
        rows: 3,
        found: true
    }));
    let survey = Survey::infer(loaded.table);
    let ids: Vec<&str> = survey
        .model
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(ids, ["問1", "問4", "F2"]);
    let q4 = names::question(&survey, "問4").unwrap();
    assert_eq!(q4.kind, Kind::Multiple);
    assert_eq!(q4.text, "参加している活動");
    let labels: Vec<&str> = q4.values.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["スポーツ", "ボランティア", "特に参加はしていない"]);
    let t = tabulate(&survey, "問4", None, None).unwrap().remove(0);
    for (k, want) in ticked.iter().enumerate() {
        assert_eq!(t.categories[k].count, *want, "{}", t.categories[k].label);
    }
    assert_eq!(names::question(&survey, "F2").unwrap().kind, Kind::Numeric);
}
