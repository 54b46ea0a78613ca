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
    assert_eq!(q4["values"][0]["label"], "スポーツ・趣味・娯楽・教養・自己啓発などの活動");
    let id = questions.iter().find(|q| q["id"] == "id").unwrap();
    assert_eq!(id["kind"], "identifier");
    assert_eq!(id["include"], false);
    let items: Vec<&str> = doc["national"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["item"].as_str().unwrap())
        .collect();
    assert!(items.contains(&"ucla1") && items.contains(&"direct"), "{items:?}");
    assert!(err.contains("符号表"), "the codebook report goes to stderr: {err}");
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
    assert!(sheet.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM so Excel reads UTF-8");
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
    let (ok, out, err) = run(&["tab", CODED, "UCLA孤独感スコアの区分", "--codebook", CODEBOOK, "--json"]);
    assert!(ok, "{err}");
    let tabs: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tabs[0]["categories"][0]["label"], "10～12点（常にある）");
    let (ok, out, _) = run(&["tab", CODED, "q2_2", "--codebook", CODEBOOK]);
    assert!(ok);
    assert!(out.contains("取り残されている"), "{out}");
    assert_eq!(out.matches("(n = ").count(), 1, "one item of the grid only");
}
