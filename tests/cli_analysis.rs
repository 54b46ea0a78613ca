//! The analysis subcommands as a user runs them: `tab --by/--layer/--weight/--filter`,
//! the national figures beside a national item, `means`, and `run --template` writing
//! .xlsx, .csv and .json; personal columns refused on every path.

use std::process::Command;

const CODED: &str = "tests/fixtures/coded.csv";
const CODEBOOK: &str = "tests/fixtures/coded_codebook.csv";

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

fn out_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_analysis");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn tab_by_gives_a_crosstab_in_text_and_json() {
    let (ok, out, err) = run(&["tab", CODED, "q1", "--by", "sex", "--codebook", CODEBOOK]);
    assert!(ok, "{err}");
    assert!(out.starts_with("クロス集計: "), "{out}");
    assert!(
        out.contains("(A) 男性") && out.contains("ピアソンの χ²"),
        "{out}"
    );
    let (ok, out, err) = run(&[
        "tab",
        CODED,
        "q1",
        "--by",
        "sex",
        "--layer",
        "q3",
        "--weight",
        "weight",
        "--filter",
        "age >= 30",
        "--codebook",
        CODEBOOK,
        "--json",
    ]);
    assert!(ok, "{err}");
    let x: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(x["weight"], "weight");
    assert_eq!(x["filter"], "age >= 30");
    assert!(
        x["tables"].as_array().unwrap().len() >= 7,
        "one table per q3 answer"
    );
    assert_eq!(x["tables"][0]["tests"]["scaled_to_sample_size"], true);
    assert!(x["tables"][0]["weights"]["n_eff"].as_f64().unwrap() > 0.0);
    // As text: the title names the weight, the counts say what they are.
    let (ok, out, err) = run(&[
        "tab",
        CODED,
        "q1",
        "--by",
        "sex",
        "--weight",
        "weight",
        "--codebook",
        CODEBOOK,
    ]);
    assert!(ok, "{err}");
    let title = out.lines().next().unwrap();
    assert!(title.contains("［ウェイト: weight］"), "{title}");
    assert!(
        out.contains("回答者数") && out.contains("ウェイト付き度数"),
        "{out}"
    );
    assert!(out.contains("ウェイト「weight」を掛けた集計です"), "{out}");
    assert!(out.contains("無回答を除いた回答だけで計算"), "{out}");
    // --no-answer-out drops the 無回答 row.
    let (_, out, _) = run(&[
        "tab",
        CODED,
        "q1",
        "--by",
        "sex",
        "--codebook",
        CODEBOOK,
        "--json",
        "--no-answer-out",
    ]);
    let x: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(x["tables"][0]["rows"].as_array().unwrap().len(), 5);
}

#[test]
fn tab_of_a_national_item_prints_the_national_figures() {
    let (ok, out, err) = run(&["tab", CODED, "q1", "--codebook", CODEBOOK]);
    assert!(ok, "{err}");
    assert!(out.contains("(n = 60)"), "today's tabulation first: {out}");
    assert!(
        out.contains("全国との比較") && out.contains("R3\t4.5\t11867"),
        "{out}"
    );
    // Weighted tabulation with a filter, and the comparison under the same weight.
    let (ok, out, err) = run(&[
        "tab",
        CODED,
        "q1",
        "--weight",
        "weight",
        "--filter",
        "sex = 2",
        "--codebook",
        CODEBOOK,
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("ウェイト付き") && out.contains("絞り込み / filter: sex = 2"),
        "{out}"
    );
    assert!(out.contains("全国との比較"), "{out}");
    // A question without national figures: no comparison.
    let (_, out, _) = run(&["tab", CODED, "sex", "--codebook", CODEBOOK]);
    assert!(!out.contains("全国との比較"));
}

#[test]
fn means_by_group() {
    let (ok, out, err) = run(&[
        "means",
        CODED,
        "age",
        "--by",
        "sex",
        "--codebook",
        CODEBOOK,
        "--json",
    ]);
    assert!(ok, "{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["groups"][0]["label"], "男性");
    assert_eq!(m["total"]["stats"]["n"], 60);
    assert!(m["anova"]["p_value"].as_f64().is_some());
    let (ok, out, _) = run(&["means", CODED, "age", "--by", "sex", "--weight", "weight"]);
    assert!(ok);
    assert!(out.contains("加重平均") && out.contains("Kruskal"), "{out}");
}

#[test]
fn errors_say_what_and_where_and_personal_columns_stay_out() {
    let (ok, _, err) = run(&["tab", CODED, "q1", "--by", "sex", "--filter", "age >> 3"]);
    assert!(!ok);
    assert!(
        err.contains("6文字目") && err.contains("character 6"),
        "{err}"
    );
    for args in [
        vec!["tab", CODED, "q1", "--by", "id"],
        vec!["tab", CODED, "q1", "--by", "sex", "--filter", "q5 = x"],
        vec!["tab", CODED, "q1", "--by", "sex", "--layer", "q5"],
        vec!["tab", CODED, "q1", "--weight", "id"],
        vec!["means", CODED, "age", "--by", "q5"],
    ] {
        let (ok, _, err) = run(&args);
        assert!(!ok, "{args:?}");
        assert!(err.contains("集計に含める"), "{args:?}: {err}");
    }
    // Turned on with --include, the free-text column may be used.
    let (ok, _, err) = run(&[
        "tab",
        CODED,
        "q1",
        "--by",
        "sex",
        "--filter",
        "q5 = x",
        "--include",
        "q5",
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["tab", CODED, "q1", "--layer", "sex"]);
    assert!(!ok && err.contains("--by"), "{err}");
}

#[test]
fn run_a_template_to_xlsx_csv_and_json() {
    let dir = out_dir();
    let template = dir.join("t.json");
    std::fs::write(
        &template,
        r#"{
  "format": "tsunagari-analysis", "version": 1, "title": "テスト",
  "weight": "weight",
  "tables": [
    {"type": "tabulation", "question": "q1"},
    {"type": "crosstab", "row": "q4", "col": "sex"},
    {"type": "means", "num": "age", "by": "sex", "filter": "q1 != 9"},
    {"type": "national", "measure": "direct"},
    {"type": "crosstab", "row": "id", "col": "sex"}
  ]
}"#,
    )
    .unwrap();
    let t = template.to_str().unwrap();
    for ext in ["xlsx", "csv", "json"] {
        let out = dir.join(format!("report.{ext}"));
        let (ok, _, err) = run(&[
            "run",
            CODED,
            "--template",
            t,
            "--codebook",
            CODEBOOK,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        // The personal column's table is refused, and says so, but the others are written.
        assert!(err.contains("表 5 を集計できません"), "{err}");
        let bytes = std::fs::read(&out).unwrap();
        match ext {
            "xlsx" => assert!(bytes.starts_with(b"PK")),
            "csv" => assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF])),
            _ => {
                let r: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(r["format"], "tsunagari-report");
                assert_eq!(r["items"][1]["kind"], "crosstab");
                assert_eq!(r["items"][4]["kind"], "refused");
            }
        }
    }
    // --lang en: the report's own words in English; the data as they are.
    let out = dir.join("report-en.csv");
    let (ok, _, err) = run(&[
        "run",
        CODED,
        "--template",
        t,
        "--codebook",
        CODEBOOK,
        "--lang",
        "en",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let en = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(
        en.contains("Frequencies: ") && en.contains("Note: ") && !en.contains("単純集計"),
        "{en}"
    );
    let (ok, _, err) = run(&[
        "run",
        CODED,
        "--template",
        t,
        "--out",
        dir.join("r.pdf").to_str().unwrap(),
    ]);
    assert!(!ok && err.contains(".xlsx"), "{err}");
    std::fs::write(
        &template,
        r#"{"format": "tsunagari-analysis", "version": 7}"#,
    )
    .unwrap();
    let (ok, _, err) = run(&["run", CODED, "--template", t]);
    assert!(!ok && err.contains("新しい版"), "{err}");
}

/// `tab --json` of a national item carries the comparison the text prints: the national
/// figures per edition beside the local %, on the same base as the tabulation.
#[test]
fn tab_json_of_a_national_item_carries_the_national_comparison() {
    let (ok, out, err) = run(&["tab", "--json", CODED, "q1", "--codebook", CODEBOOK]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tab = &doc[0];
    let c = &tab["national_comparison"];
    assert!(c.is_object(), "no national comparison in {out}");
    assert_eq!(c["measure"], "direct");
    assert_eq!(c["base_count"], tab["base_count"]);
    // The national figures themselves, as the engine holds them.
    let figures = tsunagari::analysis::national::figures();
    let rows = c["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let mut seen = 0;
    for row in rows {
        for e in row["national"].as_array().unwrap() {
            let fig = figures
                .iter()
                .find(|f| {
                    f.category == row["category"].as_str().unwrap()
                        && f.edition == e["edition"].as_str().unwrap()
                        && f.measure == tsunagari::analysis::Measure::Direct
                })
                .unwrap_or_else(|| panic!("no figure for {row}"));
            assert_eq!(e["national_percent"].as_f64(), Some(fig.percent));
            assert_eq!(e["national_n"].as_u64(), Some(fig.n));
            seen += 1;
        }
    }
    assert!(seen > 0, "{out}");
    // A question that is no national item has none.
    let (_, out, _) = run(&["tab", "--json", CODED, "sex", "--codebook", CODEBOOK]);
    assert!(!out.contains("national_comparison"), "{out}");
}

/// The reference summary of a numeric question (tests/reference/numeric_summary.json,
/// Python's `statistics` on the same ages).
fn forms_age_reference() -> serde_json::Value {
    let text = std::fs::read_to_string("tests/reference/numeric_summary.json").unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "google_forms_age")
        .unwrap()
        .clone();
    case["unweighted"].clone()
}

#[test]
fn tab_of_a_numeric_question_prints_n_mean_sd_and_quartiles() {
    let file = "tests/fixtures/google_forms.csv";
    let want = forms_age_reference();
    let (ok, out, err) = run(&["tab", file, "年齢"]);
    assert!(ok, "{err}");
    // One line per figure: "label<TAB>value", as printed with two decimals.
    let value = |label: &str| -> f64 {
        let line = out
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no line {label} in {out}"));
        line.split('\t').nth(1).unwrap().parse().unwrap()
    };
    for (label, key) in [
        // The terminal's table in Japanese (its notes in both languages).
        ("人数\t", "n"),
        ("平均\t", "mean"),
        ("標準偏差\t", "sd"),
        ("最小\t", "min"),
        ("第1四分位\t", "q1"),
        ("中央値\t", "median"),
        ("第3四分位\t", "q3"),
        ("最大\t", "max"),
    ] {
        let want = want[key].as_f64().unwrap();
        assert!(
            (value(label) - want).abs() <= 0.005 + 1e-9,
            "{label}: {} vs {want}\n{out}",
            value(label)
        );
    }
    // JSON: the same figures unrounded, and a histogram holding every respondent.
    let (ok, out, err) = run(&["tab", "--json", file, "年齢"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &doc[0]["numeric"];
    for key in ["mean", "sd", "min", "q1", "median", "q3", "max"] {
        let (got, want) = (s[key].as_f64().unwrap(), want[key].as_f64().unwrap());
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "{key}: {got} vs {want}"
        );
    }
    assert_eq!(s["n"], want["n"]);
    let bins = s["histogram"].as_array().unwrap();
    let total: u64 = bins.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(total, want["n"].as_u64().unwrap());
    // A question of answers has no numeric summary.
    let (_, out, _) = run(&["tab", "--json", file, "性別"]);
    assert!(!out.contains("\"numeric\""), "{out}");
}
