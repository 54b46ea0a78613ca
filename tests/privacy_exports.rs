//! Issue 12, "nothing shared can single anyone out": attacks on what the app writes out
//! and on what it reads from elsewhere, each written as the attacker would.
//!
//! Finding 6 — formula injection: a respondent (or whoever wrote the form) puts
//! `=HYPERLINK("http://evil","x")` into an answer, a column name or a question text; the
//! report CSV, the codebook CSV and the 「表をコピー」 TSV carry it to a staff member's
//! Excel. No text cell of those outputs may start with a formula character, and the
//! visible text must stay the same (Excel hides the leading `'`); the codebook still reads
//! back to the same labels.
//!
//! Finding 7 — untrusted input is bounded: a filter nested a few hundred deep (in the CLI,
//! a template, a share link) must be an error with a message, never a stack overflow; a
//! template or another town's aggregate of absurd size is refused by name.

use std::io::Write;
use std::process::Command;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tsunagari::analysis::aggregate::Aggregate;
use tsunagari::analysis::layout;
use tsunagari::analysis::{crosstab, run, AnalysisTemplate, CrosstabSpec, Filter, TableSpec};
use tsunagari::app::present::{tsv, Percent};
use tsunagari::ingest::{read_bytes, ReadOptions};
use tsunagari::model::codebook::{self, Codebook};
use tsunagari::model::{Survey, ValueLabel};
use tsunagari::share::{decode, encode, Setup};

mod common;

// ---------------------------------------------------------------- finding 6: formulas

const EVIL_LINK: &str = "=HYPERLINK(\"http://evil\",\"x\")";
const EVIL_AT: &str = "@SUM(1+1)";
const EVIL_TAB: &str = "\t=1+1";
const EVIL_WIDE: &str = "－1＋1";
const EVIL_MINUS: &str = "-2+3";
const CMD: &str = "+cmd";
const WIDE_AT: &str = "＠SUM(A1)";

/// What Excel (and LibreOffice) take as the start of a formula: OWASP's list, plus the
/// full-width forms Japanese input turns into them.
fn starts_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
}

/// A number Excel reads as a number (a count, -1 as a missing code): not a formula.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn assert_no_formula(cells: &[String], what: &str) {
    for c in cells {
        assert!(
            !starts_like_formula(c) || plain_number(c),
            "{what}: the cell {c:?} would be a formula in Excel"
        );
    }
}

/// A survey whose answers, column names and texts are the attack.
fn hostile_csv() -> String {
    let cmd = [EVIL_LINK, EVIL_AT, EVIL_TAB, "ふつう"];
    let at = [EVIL_WIDE, EVIL_MINUS, "はい"];
    let mut csv = format!("{CMD},{WIDE_AT},性別\r\n");
    for i in 0..24 {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        csv.push_str(&format!(
            "{},{},{}\r\n",
            quote(cmd[i % 4]),
            quote(at[i % 3]),
            ["女性", "男性"][i % 2]
        ));
    }
    csv
}

fn hostile_survey() -> Survey {
    let loaded = read_bytes(hostile_csv().as_bytes(), ReadOptions::default()).unwrap();
    Survey::infer(loaded.table)
}

fn hostile_template() -> AnalysisTemplate {
    AnalysisTemplate {
        title: "=1+1 report".into(),
        tables: vec![
            TableSpec::Tabulation {
                question: CMD.into(),
                weight: None,
                filter: None,
            },
            TableSpec::Tabulation {
                question: WIDE_AT.into(),
                weight: None,
                filter: None,
            },
            TableSpec::Crosstab(CrosstabSpec::new(CMD, WIDE_AT)),
            TableSpec::Crosstab(CrosstabSpec::new("性別", CMD)),
        ],
        ..AnalysisTemplate::default()
    }
}

/// Every cell of a CSV (BOM and ragged blocks allowed), read by the csv crate.
fn csv_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn the_fixture_really_carries_the_attack() {
    // Guards the other tests: the reader keeps the hostile texts as they were written.
    let s = hostile_survey();
    let q = s.question(CMD).expect("a question named +cmd");
    let labels: Vec<&str> = q.values.iter().map(|v| v.label.as_str()).collect();
    for evil in [EVIL_LINK, EVIL_AT] {
        assert!(labels.contains(&evil), "{labels:?}");
    }
    assert!(labels.iter().any(|l| l.ends_with("=1+1")), "{labels:?}");
    assert!(s.question(WIDE_AT).is_some());
}

#[test]
fn the_report_csv_holds_no_formula_and_the_same_text() {
    let s = hostile_survey();
    let rep = run(&s, &hostile_template());
    assert_eq!(
        rep.refusals().count(),
        0,
        "{:?}",
        rep.refusals().collect::<Vec<_>>()
    );
    let rows = csv_cells(&layout::to_csv(&rep, tsunagari::lang::Lang::Ja));
    let cells: Vec<String> = rows.concat();
    assert_no_formula(&cells, "report.csv");
    // What Excel shows (the cell without its leading ') is the label as it was.
    for evil in [EVIL_LINK, EVIL_AT, EVIL_TAB, EVIL_WIDE, EVIL_MINUS] {
        let quoted = format!("'{evil}");
        assert!(
            cells.contains(&quoted),
            "report.csv: no cell {quoted:?} in {cells:?}"
        );
    }
    // The column names show in the crosstab's corner cell.
    let corner = format!("'{CMD} \\ {WIDE_AT}");
    assert!(cells.contains(&corner), "{corner}: {cells:?}");
    assert_eq!(rows[0], vec!["'=1+1 report".to_string()]);
    // Numbers stay numbers: every count of the first table reads as a number.
    let first = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "回答"))
        .unwrap();
    let line = &rows[first + 1];
    assert!(line[1].parse::<u64>().is_ok(), "{line:?}");
}

#[test]
fn the_report_csv_keeps_negative_numbers_as_numbers() {
    // Only text is guarded: the national comparison's differences (points, often
    // negative) and z are numbers, written as numbers with no '.
    let table = common::sample_table();
    let template = AnalysisTemplate {
        tables: vec![TableSpec::National {
            measure: tsunagari::analysis::Measure::Direct,
            weight: None,
            filter: None,
        }],
        ..AnalysisTemplate::default()
    };
    let rep = run(&Survey::infer(table), &template);
    assert_eq!(rep.refusals().count(), 0);
    let cells = csv_cells(&layout::to_csv(&rep, tsunagari::lang::Lang::Ja)).concat();
    let negative: Vec<&String> = cells
        .iter()
        .filter(|c| c.starts_with('-') && c.parse::<f64>().is_ok())
        .collect();
    assert!(
        !negative.is_empty(),
        "the sample differs from the national figures both ways: {cells:?}"
    );
    assert!(
        !cells
            .iter()
            .any(|c| c.starts_with("'-") || c.starts_with("'0")),
        "{cells:?}"
    );
    assert_no_formula(&cells, "national report.csv");
}

#[test]
fn the_codebook_csv_holds_no_formula_and_reads_back_the_same() {
    let mut s = hostile_survey();
    {
        let q = s.model.questions.iter_mut().find(|q| q.id == CMD).unwrap();
        q.text = "-あなたの意見 =cmd|' /C calc'!A0".into();
        q.label = "@表示名".into();
        // A label that already starts with ' before a formula character, and one with
        // two: the round trip must keep each exactly.
        q.values.push(ValueLabel {
            code: "7".into(),
            label: "'=1+1".into(),
            missing: None,
            guessed: false,
        });
        q.values.push(ValueLabel {
            code: "8".into(),
            label: "''+1".into(),
            missing: None,
            guessed: false,
        });
        // A harmless apostrophe stays as it is.
        q.values.push(ValueLabel {
            code: "-1".into(),
            label: "'90年代".into(),
            missing: None,
            guessed: false,
        });
    }
    let bytes = codebook::to_csv(&s.model);
    let rows = csv_cells(&bytes);
    let cells = rows.concat();
    assert_no_formula(&cells, "codebook.csv");
    for evil in [CMD, WIDE_AT, EVIL_LINK, EVIL_AT, "@表示名"] {
        assert!(cells.contains(&format!("'{evil}")), "{evil}: {cells:?}");
    }
    assert!(cells.contains(&"''=1+1".to_string()), "{cells:?}");
    assert!(cells.contains(&"'90年代".to_string()), "{cells:?}");
    // -1 as a code is a number, written as it is.
    assert!(cells.contains(&"-1".to_string()), "{cells:?}");

    // Read back through the codebook reader: the same ids, texts and labels.
    let table = read_bytes(&bytes, ReadOptions::default()).unwrap().table;
    let book = Codebook::from_table(&table, "codebook.csv").unwrap();
    let entry = book
        .entries
        .iter()
        .find(|e| e.id == CMD)
        .expect("+cmd back");
    assert_eq!(entry.text, "-あなたの意見 =cmd|' /C calc'!A0");
    assert_eq!(entry.label, "@表示名");
    let q = s.model.questions.iter().find(|q| q.id == CMD).unwrap();
    let want: Vec<(String, String)> = q
        .values
        .iter()
        .map(|v| (v.code.trim().to_string(), v.label.trim().to_string()))
        .collect();
    let got: Vec<(String, String)> = entry
        .values
        .iter()
        .map(|v| (v.code.clone(), v.label.clone()))
        .collect();
    assert_eq!(got, want);
    assert!(book.entries.iter().any(|e| e.id == WIDE_AT));
}

#[test]
fn the_copied_tsv_holds_no_formula_and_the_same_text() {
    let s = hostile_survey();
    let x = crosstab(&s, &CrosstabSpec::new(CMD, WIDE_AT)).unwrap();
    for mode in [Percent::Row, Percent::Column, Percent::Total] {
        let text = tsv(&x.tables[0], mode, "=HYPERLINK(\"http://evil\",\"title\")");
        let cells: Vec<String> = text
            .split("\r\n")
            .flat_map(|line| line.split('\t'))
            .map(String::from)
            .collect();
        assert_no_formula(&cells, "TSV");
        for want in [
            "'=HYPERLINK(\"http://evil\",\"title\")".to_string(),
            format!("'{EVIL_LINK}"),
            format!("'{EVIL_AT}"),
            format!("'{EVIL_WIDE} %"),
            format!("'{EVIL_MINUS} 件数"),
        ] {
            assert!(cells.contains(&want), "{want}: {cells:?}");
        }
        // The counts are numbers, unquoted.
        assert!(cells.iter().any(|c| c == "6"), "{cells:?}");
    }
}

#[test]
fn the_cli_report_and_codebook_files_hold_no_formula() {
    let dir = out_dir();
    let data = dir.join("hostile.csv");
    std::fs::write(&data, hostile_csv()).unwrap();
    let template = dir.join("hostile_template.json");
    std::fs::write(&template, hostile_template().to_json()).unwrap();
    let out = dir.join("report.csv");
    let (code, _, err) = cli(&[
        "run",
        data.to_str().unwrap(),
        "--template",
        template.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_no_formula(
        &csv_cells(&std::fs::read(&out).unwrap()).concat(),
        "run --out",
    );
    let book = dir.join("book.csv");
    let (code, _, err) = cli(&[
        "codebook",
        data.to_str().unwrap(),
        "--out",
        book.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_no_formula(
        &csv_cells(&std::fs::read(&book).unwrap()).concat(),
        "codebook --out",
    );
    // …and the written codebook applies to the file it came from.
    let (code, out, err) = cli(&[
        "tab",
        data.to_str().unwrap(),
        CMD,
        "--codebook",
        book.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(EVIL_LINK), "{out}");
}

// ---------------------------------------------------------------- finding 7: bounds

fn nested(depth: usize) -> String {
    format!("{}a = 1{}", "(".repeat(depth), ")".repeat(depth))
}

fn cli(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .output()
        .unwrap();
    (
        // None: killed by a signal (a stack overflow aborts).
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn out_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("privacy_exports");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_deeply_nested_filter_is_an_error_not_a_crash() {
    // 64 levels is the limit: still read.
    assert!(Filter::parse(&nested(64)).is_ok());
    // ~300 characters, and 100,000.
    for depth in [150, 50_000] {
        let text = nested(depth);
        let e = Filter::parse(&text).expect_err("too deep");
        // Where: the 65th "(" is the 65th character.
        assert_eq!(e.position, 65, "{e}");
        assert!(e.ja.starts_with("65文字目"), "{}", e.ja);
        assert!(e.ja.contains("64"), "{}", e.ja);
        assert!(e.en.contains("64"), "{}", e.en);
    }
    // Deep nesting inside an `in` list or after `and`/`or` counts the same.
    let mixed = format!("a = 1 and {}", nested(100));
    assert!(Filter::parse(&mixed).is_err());
    // Words that look like a prefix operator are not one: a plain error, no recursion.
    assert!(Filter::parse(&"not ".repeat(25_000)).is_err());
}

/// What a refused deep filter's message must say: nesting (~300 and 8,000 characters),
/// or for 100,000 characters that the filter is too long (`limits::MAX_FILTER` answers
/// before the parser is even asked).
fn says_too_deep(depth: usize, ja: &str, en: &str) -> bool {
    if depth <= 4_000 {
        ja.contains("入れ子") && en.contains("nested")
    } else {
        ja.contains("長すぎ") && en.contains("too long")
    }
}

#[test]
fn a_template_with_a_deep_filter_is_refused() {
    for depth in [150, 4_000, 50_000] {
        let f = serde_json::to_string(&nested(depth)).unwrap();
        for json in [
            format!(r#"{{"format":"tsunagari-analysis","version":1,"filter":{f}}}"#),
            format!(
                r#"{{"format":"tsunagari-analysis","version":1,"tables":[{{"type":"tabulation","question":"q1","filter":{f}}}]}}"#
            ),
        ] {
            let e = AnalysisTemplate::from_json(&json).expect_err("too deep");
            assert!(says_too_deep(depth, &e.ja, &e.en), "{e}");
            assert!(e.ja.contains("絞り込み") && e.en.contains("filter"), "{e}");
        }
    }
    // JSON nested 100,000 deep elsewhere: serde_json's own limit (128) answers.
    let deep = format!(
        r#"{{"format":"tsunagari-analysis","version":1,"x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(AnalysisTemplate::from_json(&deep).is_err());
}

#[test]
fn the_cli_refuses_a_deep_filter_with_a_message() {
    let dir = out_dir();
    let data = dir.join("hostile_for_filter.csv");
    std::fs::write(&data, hostile_csv()).unwrap();
    let file = data.to_str().unwrap();
    for depth in [150, 50_000] {
        let filter = nested(depth);
        let (code, out, err) = cli(&["tab", file, "性別", "--filter", &filter]);
        assert_eq!(code, Some(2), "exit with an error, not a signal: {err}");
        assert!(out.is_empty());
        assert!(err.contains("入れ子") && err.contains("nested"), "{err}");
        // The message quotes the start of the filter, not 100,000 characters of it.
        assert!(err.len() < 2_000, "{} bytes of message", err.len());
    }
}

/// A share link whose template carries `filter` as its text. `Filter` serialises as its
/// source and parses again when read, so a filter the parser refuses cannot be built as a
/// value: the CBOR is written by hand, replacing a harmless filter's text.
fn link_with_filter(filter: &str) -> String {
    let s = hostile_survey();
    let template = AnalysisTemplate {
        filter: Some(Filter::parse("性別 = 女性").unwrap()),
        ..hostile_template()
    };
    let setup = Setup {
        model: s.model.clone(),
        template,
    };
    let fine = encode(&setup);
    assert!(decode(&fine).is_ok());
    let mut value = ciborium::Value::serialized(&setup).unwrap();
    fn replace(v: &mut ciborium::Value, from: &str, to: &str) -> usize {
        match v {
            ciborium::Value::Text(t) if t == from => {
                *t = to.to_string();
                1
            }
            ciborium::Value::Array(a) => a.iter_mut().map(|x| replace(x, from, to)).sum(),
            ciborium::Value::Map(m) => m.iter_mut().map(|(_, x)| replace(x, from, to)).sum(),
            _ => 0,
        }
    }
    assert_eq!(replace(&mut value, "性別 = 女性", filter), 1);
    let mut cbor = Vec::new();
    ciborium::into_writer(&value, &mut cbor).unwrap();
    deflated_link(&cbor)
}

fn deflated_link(cbor: &[u8]) -> String {
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(cbor).unwrap();
    format!("s1.{}", URL_SAFE_NO_PAD.encode(z.finish().unwrap()))
}

#[test]
fn a_share_link_with_a_deep_filter_is_refused_with_a_message() {
    for depth in [150, 4_000, 50_000] {
        let link = link_with_filter(&nested(depth));
        let e = decode(&link).expect_err("too deep");
        assert!(says_too_deep(depth, &e.ja, &e.en), "{}", e);
        assert!(e.ja.starts_with("共有リンク"), "{}", e.ja);
    }
    // The CLI's --show decodes the same way: an error, not an abort.
    let link = link_with_filter(&nested(4_000));
    let (code, out, err) = cli(&["share-link", "--show", &link]);
    assert_eq!(code, Some(2), "exit with an error, not a signal: {err}");
    assert!(out.is_empty());
    assert!(err.contains("入れ子"), "{err}");
}

#[test]
fn a_share_link_of_deeply_nested_cbor_is_refused() {
    // 100,000 nested one-element arrays: ciborium stops at its recursion limit.
    let mut cbor = vec![0x81u8; 100_000];
    cbor.push(0x00);
    assert!(decode(&deflated_link(&cbor)).is_err());
    // The same inside a map the setup would ignore as an unknown field.
    let mut cbor = vec![0xA1, 0x61, b'x'];
    cbor.extend(std::iter::repeat_n(0x81u8, 100_000));
    cbor.push(0x00);
    assert!(decode(&deflated_link(&cbor)).is_err());
}

#[test]
fn a_template_of_absurd_size_is_refused_by_name() {
    let table = r#"{"type":"tabulation","question":"q1"}"#;
    let many = format!(
        r#"{{"format":"tsunagari-analysis","version":1,"tables":[{}]}}"#,
        vec![table; 5_000].join(",")
    );
    let e = AnalysisTemplate::from_json(&many).expect_err("too many tables");
    assert!(e.ja.contains("5000") && e.ja.contains("1000"), "{}", e.ja);
    assert!(e.en.contains("5000") && e.en.contains("1000"), "{}", e.en);
    let long = format!(
        r#"{{"format":"tsunagari-analysis","version":1,"tables":[{table},{{"type":"tabulation","question":"{}"}}]}}"#,
        "問".repeat(10_000)
    );
    let e = AnalysisTemplate::from_json(&long).expect_err("name too long");
    assert!(e.ja.contains("2つ目の表"), "{}", e.ja);
    assert!(e.en.contains("table 2"), "{}", e.en);
    // A link carries the same template: refused the same way.
    let mut t = hostile_template();
    t.tables = vec![t.tables[0].clone(); 5_000];
    let setup = Setup {
        model: hostile_survey().model,
        template: t,
    };
    let e = decode(&encode(&setup)).expect_err("too many tables in a link");
    assert!(e.ja.contains("1000"), "{}", e.ja);
}

/// An aggregate file of one table with `rows` × `cols` cells and labels of `label_len`.
fn aggregate_json(tables: usize, rows: usize, cols: usize, label_len: usize) -> String {
    let label = "あ".repeat(label_len);
    let row_cells = vec!["1"; cols].join(",");
    let cells = vec![format!("[{row_cells}]"); rows].join(",");
    let labels = |n: usize| {
        (0..n)
            .map(|i| format!("\"{label}{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let table = format!(
        r#"{{"title":"{label}","rows":[{}],"cols":[{}],"cells":[{cells}],"row_totals":[{}],"col_totals":[{}],"total":1,"row_percent":[{}],"small_base":[{}]}}"#,
        labels(rows),
        labels(cols),
        vec!["1"; rows].join(","),
        vec!["1"; cols].join(","),
        vec![format!("[{}]", vec!["null"; cols].join(",")); rows].join(","),
        vec!["false"; rows].join(","),
    );
    format!(
        r#"{{"format":"tsunagari-aggregate","version":1,"title":"t","rules":{{"min_count":3,"min_base":10}},"tables":[{}],"note_ja":""}}"#,
        vec![table; tables].join(",")
    )
}

#[test]
fn an_aggregate_of_absurd_size_is_refused_by_name() {
    Aggregate::from_json(&aggregate_json(2, 3, 2, 5), "ok.json").expect("a fine file reads");
    for (json, ja, en) in [
        (aggregate_json(1_500, 1, 1, 1), "1500", "1500"),
        (aggregate_json(1, 1_500, 1, 1), "1500", "1500"),
        (aggregate_json(1, 1, 1_500, 1), "1500", "1500"),
        (aggregate_json(1, 2, 2, 5_000), "2000", "2000"),
    ] {
        let e = Aggregate::from_json(&json, "town_x.json").expect_err("too large");
        assert!(
            e.ja.contains("「town_x.json」") && e.ja.contains(ja),
            "{}",
            e.ja
        );
        assert!(
            e.en.contains("\"town_x.json\"") && e.en.contains(en),
            "{}",
            e.en
        );
    }
}
