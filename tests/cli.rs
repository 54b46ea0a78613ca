//! The command-line tool as a user runs it: questions in `inspect --json`, `--codebook`
//! on every subcommand, `codebook` writing what `--codebook` reads back, and personal
//! columns refused until `--include`.

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
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn inspect_json_lists_questions_with_kinds_and_members() {
    let (ok, out, err) = run(&["inspect", CODED, "--json", "--codebook", CODEBOOK]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let questions = doc["questions"].as_array().unwrap();
    let q4 = questions.iter().find(|q| q["id"] == "q4").unwrap();
    assert_eq!(q4["kind"], "multiple");
    assert_eq!(q4["columns"].as_array().unwrap().len(), 6);
    assert_eq!(q4["multi"]["form"], "binary");
    assert_eq!(
        q4["values"][0]["label"],
        "スポーツ・趣味・娯楽・教養・自己啓発などの活動"
    );
    let id = questions.iter().find(|q| q["id"] == "id").unwrap();
    assert_eq!(id["kind"], "identifier");
    assert_eq!(id["include"], false);
    let items: Vec<&str> = doc["national"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["item"].as_str().unwrap())
        .collect();
    assert!(
        items.contains(&"ucla1") && items.contains(&"direct"),
        "{items:?}"
    );
    assert!(
        err.contains("符号表"),
        "the codebook report goes to stderr: {err}"
    );
    // Nothing of the responses: no cell value of the free-text column is printed.
    assert!(!out.contains("居場所がほしい"));
}

#[test]
fn codebook_written_reads_back_as_a_codebook() {
    let dir = out_dir();
    for ext in ["csv", "json"] {
        let path = dir.join(format!("book.{ext}"));
        let p = path.to_str().unwrap();
        let (ok, _, err) = run(&["codebook", CODED, "--codebook", CODEBOOK, "--out", p]);
        assert!(ok, "{err}");
        // The written codebook, applied to the bare file, gives the labelled table.
        let (ok, out, err) = run(&["tab", CODED, "q1", "--codebook", p]);
        assert!(ok, "{ext}: {err}");
        assert!(out.contains("しばしばある・常にある"), "{ext}: {out}");
        assert!(out.contains("無回答"), "{ext}: {out}");
    }
    let sheet = std::fs::read(dir.join("book.csv")).unwrap();
    assert!(
        sheet.starts_with(&[0xEF, 0xBB, 0xBF]),
        "BOM so Excel reads UTF-8"
    );
}

#[test]
fn personal_questions_are_refused_until_included() {
    let (ok, out, err) = run(&["tab", CODED, "q5"]);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("自由記述") && err.contains("include"), "{err}");
    let (ok, out, _) = run(&["tab", CODED, "q5", "--include", "q5"]);
    assert!(ok);
    assert!(out.contains("居場所がほしい"));
    // By column number too: column 1 is the ID.
    assert!(!run(&["tab", CODED, "1"]).0);
}

#[test]
fn tab_of_a_derived_variable_and_a_grid_item() {
    let (ok, out, err) = run(&[
        "tab",
        CODED,
        "UCLA孤独感スコアの区分",
        "--codebook",
        CODEBOOK,
        "--json",
    ]);
    assert!(ok, "{err}");
    let tabs: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tabs[0]["rows"][0]["label"], "10～12点（常にある）");
    let (ok, out, _) = run(&["tab", CODED, "q2_2", "--codebook", CODEBOOK]);
    assert!(ok);
    assert!(out.contains("取り残されている"), "{out}");
    assert_eq!(out.matches("(n = ").count(), 1, "one item of the grid only");
}

/// Raking to population totals: the weight's recipe goes into the model, and with it the
/// weighted 年代 distribution equals the population's.
#[test]
fn rake_writes_a_weight_usable_everywhere() {
    let dir = out_dir();
    let sample = dir.join("sample.csv");
    assert!(run(&["sample", "--out", sample.to_str().unwrap()]).0);
    // Population totals (a town's 住民基本台帳, made up), saved by Excel as CP932.
    let ages = [
        ("16～19歳", 3_100.0),
        ("20～29歳", 8_200.0),
        ("30～39歳", 9_000.0),
        ("40～49歳", 11_500.0),
        ("50～59歳", 12_000.0),
        ("60～69歳", 12_400.0),
        ("70～79歳", 13_100.0),
        ("80歳以上", 9_700.0),
    ];
    let total: f64 = ages.iter().map(|a| a.1).sum();
    let mut text = String::from("変数,値,人口\r\n");
    for (i, (v, n)) in ages.iter().enumerate() {
        text.push_str(&format!("{},{v},{n}\r\n", if i == 0 { "年代" } else { "" }));
    }
    let areas = [("北部地区", 0.25), ("中部地区", 0.5), ("南部地区", 0.25)];
    for (i, (v, share)) in areas.iter().enumerate() {
        text.push_str(&format!(
            "{},{v},{}\r\n",
            if i == 0 { "居住地区" } else { "" },
            share * total
        ));
    }
    let margins = dir.join("margins.csv");
    std::fs::write(&margins, encoding_rs::SHIFT_JIS.encode(&text).0).unwrap();
    let model = dir.join("raked.json");
    let (ok, out, err) = run(&[
        "rake",
        sample.to_str().unwrap(),
        "--margins",
        margins.to_str().unwrap(),
        "--name",
        "人口ウェイト",
        "--out",
        model.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("収束しました") && out.contains("有効回答数"),
        "{out}"
    );
    let (ok, out, err) = run(&[
        "tab",
        sample.to_str().unwrap(),
        "年代",
        "--codebook",
        model.to_str().unwrap(),
        "--weight",
        "人口ウェイト",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let text = v.to_string();
    for (label, n) in ages {
        let want = n / total * 100.0;
        // The weighted % of each age group is in the JSON; find it next to its label.
        let cats = find_categories(&v);
        let got = cats
            .iter()
            .find(|c| c["label"] == label)
            .and_then(|c| c["percent"].as_f64())
            .unwrap_or_else(|| panic!("{label} not in {text}"));
        assert!((got - want).abs() < 1e-6, "{label}: {got} vs {want}");
    }
    // A population table missing an answer that occurs names the problem.
    std::fs::write(&margins, "変数,値,人口\r\n年代,16～19歳,100\r\n").unwrap();
    let (ok, _, err) = run(&[
        "rake",
        sample.to_str().unwrap(),
        "--margins",
        margins.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("年代") && err.contains("人口の表にない"),
        "{err}"
    );
}

/// Issue 14 items 9 and 11: `rake` speaks to people. Totals that disagree are named with
/// both figures, without Rust's debug text; a weight that cannot match is not written
/// and the exit code says so, unless `--keep-unconverged`; rows count from 1; an answer
/// with no census figure (対象外) is left out and its respondents keep a weight.
#[test]
fn rake_says_what_went_wrong_in_plain_words() {
    let dir = out_dir();
    let sample = dir.join("sample-plain.csv");
    assert!(run(&["sample", "--out", sample.to_str().unwrap()]).0);
    let margins = dir.join("margins-plain.csv");
    let model = dir.join("raked-plain.json");
    let rake = |extra: &[&str]| {
        let mut args = vec![
            "rake",
            sample.to_str().unwrap(),
            "--margins",
            margins.to_str().unwrap(),
            "--out",
            model.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    // 100,000 people by area, 90,000 by age.
    let mut text =
        String::from("変数,値,人口\n居住地区,北部地区,30000\n,中部地区,50000\n,南部地区,20000\n");
    for (i, age) in [
        "16～19歳",
        "20～29歳",
        "30～39歳",
        "40～49歳",
        "50～59歳",
        "60～69歳",
        "70～79歳",
        "80歳以上",
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "{},{age},{}\n",
            if i == 0 { "年代" } else { "" },
            90_000 / 8
        ));
    }
    std::fs::write(&margins, &text).unwrap();
    let _ = std::fs::remove_file(&model);
    let (ok, out, err) = rake(&[]);
    assert!(!ok, "a weight that does not match exits non-zero: {out}");
    assert!(!model.exists(), "and nothing is written");
    for debug in ["TotalsDisagree", "margin:", "{"] {
        assert!(!err.contains(debug), "{debug} in {err}");
    }
    assert!(
        err.contains("「年代」の人口の合計（90,000）が「居住地区」の合計（100,000）と違います"),
        "{err}"
    );
    assert!(
        err.contains("adds up to 90,000") && err.contains("100,000"),
        "{err}"
    );
    assert!(
        err.contains("人口に合わせきれませんでした") && err.contains("--keep-unconverged"),
        "{err}"
    );
    let (ok, _, err) = rake(&["--keep-unconverged"]);
    assert!(ok, "{err}");
    assert!(model.exists());
    assert!(
        err.contains("人口に合わせきれませんでした"),
        "still said: {err}"
    );

    // 性別 has blanks and 「その他・答えたくない」, which the census does not count.
    std::fs::write(&margins, "変数,値,人口\n性別,男性,48000\n,女性,52000\n").unwrap();
    let (ok, _, err) = rake(&[]);
    assert!(!ok);
    // The first such respondent, counted as a person counts data rows (from 1).
    // (Read with the csv crate: free-text answers span lines.)
    let first = csv::Reader::from_path(&sample)
        .unwrap()
        .records()
        .position(|r| {
            let sex = r.unwrap()[1].to_string();
            sex.is_empty() || sex == "その他・答えたくない"
        })
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("data row {first})"))
            && err.contains(&format!("データの {first} 行目"))
            && err.contains("対象外"),
        "{err}"
    );
    std::fs::write(
        &margins,
        "変数,値,人口\n性別,男性,48000\n,女性,52000\n,その他・答えたくない,対象外\n,,対象外\n居住地区,北部地区,30000\n,中部地区,50000\n,南部地区,20000\n",
    )
    .unwrap();
    let (ok, out, err) = rake(&["--name", "人口ウェイト"]);
    assert!(ok, "{err}");
    assert!(out.contains("収束しました"), "{out}");
    assert!(
        err.contains("人口のない回答") && err.contains("ほかの項目で決まります"),
        "the rule is stated: {err}"
    );
    let (ok, out, err) = run(&[
        "tab",
        sample.to_str().unwrap(),
        "性別",
        "--codebook",
        model.to_str().unwrap(),
        "--weight",
        "人口ウェイト",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let other = find_categories(&v)
        .into_iter()
        .find(|c| c["label"] == "その他・答えたくない")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        other["percent"].as_f64().unwrap() > 0.5,
        "their weight is not 0: {other}"
    );
}

/// The categories of a tabulation in the JSON, wherever they sit.
fn find_categories(v: &serde_json::Value) -> Vec<serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => {
            // A plain tabulation has "categories"; a weighted one "rows".
            for key in ["categories", "rows"] {
                if let Some(serde_json::Value::Array(a)) = m.get(key) {
                    return a.clone();
                }
            }
            m.values().flat_map(find_categories).collect()
        }
        serde_json::Value::Array(a) => a.iter().flat_map(find_categories).collect(),
        _ => Vec::new(),
    }
}

/// Aggregates to share: cells of 1–2 and the cells that would give them away are 「x」,
/// checked exactly (no hidden cell follows from the published totals), and free text
/// stays out even when the template asks for it.
#[test]
fn aggregate_hides_small_cells_so_they_cannot_be_worked_out() {
    use tsunagari::disclosure::{determined_cells, Mark};
    let dir = out_dir();
    let template = dir.join("agg-template.json");
    std::fs::write(
        &template,
        r#"{"format":"tsunagari-analysis","version":1,"title":"共有用","tables":[
            {"type":"crosstab","row":"q1","col":"sex"},
            {"type":"tabulation","question":"q3"},
            {"type":"tabulation","question":"q5"}]}"#,
    )
    .unwrap();
    let out = dir.join("agg.json");
    let (ok, _, err) = run(&[
        "aggregate",
        CODED,
        "--codebook",
        CODEBOOK,
        "--template",
        template.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("q5") || err.contains("自由記述"),
        "the free-text table is refused: {err}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("居場所がほしい"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let tables = doc["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    // Raw counts of q1 × sex from the file itself.
    let raw = encoding_rs::SHIFT_JIS
        .decode(&std::fs::read(CODED).unwrap())
        .0
        .into_owned();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(raw.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let t = &tables[0];
    let hidden = |v: &serde_json::Value| v == "x";
    let cells = t["cells"].as_array().unwrap();
    let q1 = ["1", "2", "3", "4", "5", "9"];
    let mut marks = Vec::new();
    let mut hidden_small = 0;
    for (r, code) in q1.iter().enumerate() {
        let mut row = Vec::new();
        for (c, sex) in ["1", "2", "3"].iter().enumerate() {
            let n = rows
                .iter()
                .filter(|x| x[1] == *code && x[12] == *sex)
                .count() as u64;
            let v = &cells[r][c];
            if n == 1 || n == 2 {
                assert!(hidden(v), "{code}×{sex} = {n} must be x");
                hidden_small += 1;
            } else if !hidden(v) {
                assert_eq!(v.as_u64(), Some(n), "{code}×{sex}");
            }
            row.push(if hidden(v) {
                Mark::Complementary
            } else {
                Mark::Shown
            });
        }
        marks.push(row);
    }
    assert!(hidden_small > 0, "the fixture has small cells to hide");
    let row_hidden: Vec<bool> = t["row_totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(hidden)
        .collect();
    let col_hidden: Vec<bool> = t["col_totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(hidden)
        .collect();
    assert!(
        determined_cells(&marks, &row_hidden, &col_hidden, hidden(&t["total"])).is_empty(),
        "no hidden cell follows from what is published: {t}"
    );
    // The workbook form too.
    let xlsx = dir.join("agg.xlsx");
    let (ok, out_text, err) = run(&[
        "aggregate",
        CODED,
        "--codebook",
        CODEBOOK,
        "--template",
        template.to_str().unwrap(),
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out_text.contains("x にしたセル"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn share_link_prints_a_link_that_show_reads_back() {
    let (ok, link, err) = run(&[
        "share-link",
        "tests/fixtures/share_template.json",
        "tests/fixtures/google_forms.csv",
        "--base",
        "https://intra.example.lg.jp/tsunagari/",
    ]);
    assert!(ok, "{err}");
    let link = link.trim();
    assert!(
        link.starts_with("https://intra.example.lg.jp/tsunagari/#s1."),
        "{link}"
    );
    // stderr says what was kept out and how long the link is.
    assert!(
        err.contains("メールアドレス") && err.contains("link length"),
        "{err}"
    );
    let (ok, json, err) = run(&["share-link", "--show", link]);
    assert!(ok, "{err}");
    let shown: serde_json::Value = serde_json::from_str(&json).unwrap();
    let template = tsunagari::analysis::AnalysisTemplate::from_json(
        &std::fs::read_to_string("tests/fixtures/share_template.json").unwrap(),
    )
    .unwrap();
    let carried =
        tsunagari::analysis::AnalysisTemplate::from_json(&shown["template"].to_string()).unwrap();
    assert_eq!(carried, template);
    assert!(!json.contains("@example.jp"), "no e-mail address in a link");
    // Without the survey file only codes could be judged safe: labelled answers stay out.
    let (ok, bare, err) = run(&["share-link", "tests/fixtures/share_template.json"]);
    assert!(ok && bare.trim().starts_with("#s1."), "{err}");
    let (ok, cut, _) = run(&["share-link", "--show", &link[..link.len() - 30]]);
    assert!(!ok && cut.is_empty());
}

/// Issue 14 on the command line: a CP932 file of 1,200 respondents (CRLF, as Excel
/// writes it) whose row 101 starts its free text with a stray quote. `inspect` says so
/// in the JSON warnings (first, with row, line and column) and in the text; `run`'s
/// report carries the note; `--literal-quote 101:5` reads all 1,200, reports the repair,
/// and the note goes.
#[test]
fn inspect_warns_of_a_runaway_quote_and_literal_quote_repairs_it() {
    let mut text = String::from("回答者ID,性別,年代,問1,ご意見,居住地区\r\n");
    let mut women = 0;
    for i in 1..=1200 {
        let sex = ["女性", "男性", "回答しない"][(i * i + i / 7) % 3];
        women += usize::from(sex == "女性");
        let opinion = if i == 101 {
            "\"駐車場が少ない"
        } else {
            ["", "特になし"][i % 2]
        };
        text.push_str(&format!(
            "{i},{sex},{}代,{},{opinion},髙島町\r\n",
            20 + i % 6 * 10,
            i % 5 + 1
        ));
    }
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let path = out_dir().join("stray_quote_cp932.csv");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();

    let (ok, out, err) = run(&["inspect", p, "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["read"]["rows"], 101);
    let w = &doc["warnings"][0];
    assert_eq!(w["kind"], "runaway_quote", "{w}");
    assert_eq!(
        (
            &w["row"],
            &w["line"],
            &w["column"],
            &w["column_name"],
            &w["to_end"]
        ),
        (
            &101.into(),
            &102.into(),
            &5.into(),
            &"ご意見".into(),
            &true.into()
        )
    );
    assert_eq!(w["rows_like"], 1099);
    assert!(w["message_ja"]
        .as_str()
        .unwrap()
        .contains("--literal-quote 101:5"));
    assert!(w["message_en"]
        .as_str()
        .unwrap()
        .contains("data row 101 (file line 102), column 5"));
    assert!(
        !out.contains("駐車場"),
        "no value of the free text is printed"
    );

    let (ok, out, err) = run(&["inspect", p]);
    assert!(ok, "{err}");
    assert!(
        out.contains("！ 注意: 【回答者が欠けています】データの 101 行目"),
        "{out}"
    );
    assert!(err.contains("引用符"), "{err}");

    let template = out_dir().join("stray_quote_template.json");
    std::fs::write(
        &template,
        r#"{"format": "tsunagari-analysis", "version": 1, "tables": [{"type": "tabulation", "question": "性別"}]}"#,
    )
    .unwrap();
    let t = template.to_str().unwrap();
    let (ok, out, err) = run(&["run", p, "--template", t]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["read_notes"][0]
        .as_str()
        .unwrap()
        .contains("--literal-quote 101:5"));

    // The repair.
    let (ok, out, err) = run(&["inspect", p, "--json", "--literal-quote", "101:5"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["read"]["rows"], 1200);
    let warnings = doc["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["kind"], "quote_read_as_text");
    assert_eq!(
        (
            &warnings[0]["row"],
            &warnings[0]["line"],
            &warnings[0]["column"]
        ),
        (&101.into(), &102.into(), &5.into())
    );
    let (ok, out, err) = run(&["run", p, "--template", t, "--literal-quote", "101:5"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report.get("read_notes").is_none(), "{report}");
    assert_eq!(report["rows"], 1200);
    // The table counts every woman among the 1,200.
    let (ok, out, err) = run(&["tab", p, "性別", "--literal-quote", "101:5", "--json"]);
    assert!(ok, "{err}");
    let tab: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tab[0]["base_count"], 1200);
    let women_counted = tab[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == "女性")
        .unwrap()["count"]
        .clone();
    assert_eq!(women_counted, women, "{tab}");

    // A place that is not ROW:COLUMN.
    let (ok, _, err) = run(&["inspect", p, "--literal-quote", "101"]);
    assert!(!ok);
    assert!(err.contains("ROW:COLUMN"), "{err}");
}

/// A 9 guessed missing beside 1–5 is listed by `inspect --json` with its reason, and
/// `tab --json` keeps it under its own code, apart from the blank cells.
#[test]
fn guessed_missing_codes_are_listed_and_keep_their_code() {
    let path = out_dir().join("nine.csv");
    let cells = ["1", "2", "3", "4", "5", "9", "9", "", "2", "3"];
    let csv: String = cells.iter().map(|c| format!("{c},a\n")).collect();
    std::fs::write(&path, format!("q,r\n{csv}")).unwrap();
    let p = path.to_str().unwrap();
    let (ok, out, err) = run(&["inspect", p, "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let guesses = doc["missing_guesses"].as_array().unwrap();
    assert_eq!(guesses.len(), 1, "{guesses:?}");
    assert_eq!(guesses[0]["question"], "q");
    assert_eq!(guesses[0]["code"], "9");
    assert!(guesses[0]["why"]["ja"].as_str().unwrap().contains("推定"));
    let (ok, out, err) = run(&["tab", p, "q", "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = doc[0]["rows"].as_array().unwrap();
    let no_answer: Vec<(&str, u64)> = rows
        .iter()
        .filter(|r| r["no_answer"] == true)
        .map(|r| (r["code"].as_str().unwrap(), r["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(no_answer, vec![("9", 2), ("", 1)]);
}

/// Issue 15: `run --link` puts a link's setup on a file of another shape and computes its
/// tables; national items match by themselves (the direct question meets q1), a local
/// question named otherwise (地区名 / area) through `--map`.
#[test]
fn run_a_link_on_a_file_of_another_shape_with_a_map() {
    let dir = std::env::temp_dir().join(format!("tsunagari-link-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let direct = "あなたはどの程度、孤独であると感じることがありますか。";
    let mut sender = format!("地区名,{direct}\n");
    let mut receiver = String::from("area,q1\n");
    let answers = [
        "決してない",
        "ほとんどない",
        "たまにある",
        "時々ある",
        "しばしばある・常にある",
    ];
    for i in 0..40 {
        let area = ["北", "南"][i % 2];
        sender.push_str(&format!("{area},{}\n", answers[i % 5]));
        receiver.push_str(&format!("{area},{}\n", answers[(i * 3) % 5]));
    }
    let (a, b) = (dir.join("sender.csv"), dir.join("receiver.csv"));
    std::fs::write(&a, sender).unwrap();
    std::fs::write(&b, receiver).unwrap();
    let tpl = dir.join("t.json");
    std::fs::write(
        &tpl,
        format!(
            r#"{{"format":"tsunagari-analysis","version":1,"tables":[
            {{"type":"tabulation","question":"{direct}"}},
            {{"type":"tabulation","question":"地区名"}}]}}"#
        ),
    )
    .unwrap();
    let (ok, link, err) = run(&["share-link", tpl.to_str().unwrap(), a.to_str().unwrap()]);
    assert!(ok, "{err}");
    let link = link.trim().to_string();
    let report = |extra: &[&str]| {
        let mut args = vec!["run", b.to_str().unwrap(), "--link", &link];
        args.extend_from_slice(extra);
        run(&args)
    };
    // Without a map: the direct question meets q1 by its national item; 地区名 has no match.
    let (ok, out, err) = report(&[]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["items"][0]["kind"], "tabulation", "{out}");
    // q1 answers to the sender's name (the link's tables and titles find it so), with the
    // receiver's counts (each answer 8 times).
    assert_eq!(json["items"][0]["result"][0]["id"], direct, "{out}");
    let counts = |item: usize| -> Vec<u64> {
        json["items"][item]["result"][0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .filter(|&n| n > 0)
            .collect()
    };
    assert_eq!(counts(0), [8, 8, 8, 8, 8], "{out}");
    assert!(err.contains("→「q1」（全国調査の同じ設問"), "{err}");
    assert_ne!(json["items"][1]["kind"], "tabulation", "{out}");
    assert!(err.contains("表 2 を集計できません"), "{err}");
    // With a map naming area for 地区名: both tables, on the receiver's own counts.
    let map = dir.join("map.csv");
    std::fs::write(&map, "共有された設問,このファイルの設問\n地区名,area\n").unwrap();
    let (ok, out, err) = report(&["--map", map.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(!err.contains("集計できません"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["items"][1]["kind"], "tabulation", "{out}");
    assert_eq!(json["items"][1]["result"][0]["id"], "地区名", "{out}");
    assert!(err.contains("「地区名」→「area」（選んだ対応）"), "{err}");
    let counts: Vec<u64> = json["items"][1]["result"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), 40);
    std::fs::remove_dir_all(&dir).ok();
}

/// Every count and test statistic of a report's JSON, item by item, sorted (titles, ids
/// and the order of a nominal row question may differ between two files' reports).
fn report_figures(json: &serde_json::Value) -> Vec<Vec<String>> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if matches!(
                        k.as_str(),
                        "count" | "counts" | "statistic" | "df" | "base_count"
                    ) {
                        out.push(format!("{k}={x}"));
                    } else {
                        walk(x, out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut out = Vec::new();
            walk(item, &mut out);
            out.sort();
            out
        })
        .collect()
}

/// Issue 15 item 3's "done when", on the command line: a link made on the labelled
/// municipal file, run on the coded file + codebook numbered Q1/F1 … (no id in common),
/// meets its questions by national item, question number and wording, says how, and
/// gives the labelled file's tables; `--map` overrides a match.
#[test]
fn run_a_link_from_the_labelled_file_on_the_coded_file_numbered_otherwise() {
    let dir = out_dir().join("link-matching");
    std::fs::create_dir_all(&dir).unwrap();
    let tpl = dir.join("t.json");
    std::fs::write(
        &tpl,
        r#"{"format":"tsunagari-analysis","version":1,"title":"つながり市 住民調査","tables":[
            {"type":"tabulation","question":"問1"},
            {"type":"tabulation","question":"問4"},
            {"type":"crosstab","row":"性別","col":"問1"},
            {"type":"crosstab","row":"居住地区","col":"問5"},
            {"type":"national","measure":"direct"}]}"#,
    )
    .unwrap();
    let labelled = "tests/fixtures/municipal_labelled.csv";
    let (ok, link, err) = run(&["share-link", tpl.to_str().unwrap(), labelled]);
    assert!(ok, "{err}");
    let link = link.trim().to_string();
    let (ok, want, err) = run(&["run", labelled, "--template", tpl.to_str().unwrap()]);
    assert!(ok, "{err}");
    let want: serde_json::Value = serde_json::from_str(&want).unwrap();

    let coded = "tests/fixtures/municipal_coded_q.csv";
    let book = "tests/fixtures/municipal_codebook_q.csv";
    let on_coded = |extra: &[&str]| {
        let mut args = vec!["run", coded, "--codebook", book, "--link", &link];
        args.extend_from_slice(extra);
        run(&args)
    };
    let (ok, got, err) = on_coded(&[]);
    assert!(ok, "{err}");
    assert!(!err.contains("集計できません"), "{err}");
    // What met how, each question once, in both languages.
    for line in [
        "共有リンク: 「問1」→「Q1」（全国調査の同じ設問",
        "共有リンク: 「問5」→「Q5」（同じ問番号（Q5））",
        "共有リンク: 「問4」→「Q4」（同じ問番号（Q4）、列は選択肢の名前で対応）",
        "共有リンク: 「居住地区」→「F3」（文言が似ている 100%）",
        "share link: “問5” → “Q5” (same question number (Q5))",
    ] {
        assert_eq!(err.matches(line).count(), 1, "{line}\n{err}");
    }
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    let figures = report_figures(&want);
    assert_eq!(figures.len(), 5);
    assert!(figures.iter().all(|f| !f.is_empty()), "{figures:?}");
    assert_eq!(report_figures(&got), figures);

    // --map first: 居住地区 said to be none here (its table is refused, named once), and
    // a pair naming a question neither file has is said, not silently dropped.
    let map = dir.join("map.csv");
    std::fs::write(
        &map,
        "共有された設問,このファイルの設問\n居住地区,\n問5,Q99\n",
    )
    .unwrap();
    let (ok, got, err) = on_coded(&["--map", map.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(
        err.matches("共有リンク: 「居住地区」に当たる設問が見つかりません")
            .count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("対応表の「問5」→「Q99」は使いませんでした"),
        "{err}"
    );
    assert!(err.contains("「問5」→「Q5」（同じ問番号"), "{err}");
    assert!(err.contains("表 4 を集計できません"), "{err}");
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(report_figures(&got)[..3], figures[..3]);
}
