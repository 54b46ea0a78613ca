//! The CLI's files: a codebook is read for what it holds whatever its name, an output
//! that cannot be written is one error that names the path and says what to do, and a
//! population table's problems name the file.

use std::process::Command;

const CODED: &str = "tests/fixtures/coded.csv";
const CODEBOOK: &str = "tests/fixtures/coded_codebook.csv";

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn out_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_files");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_codebook_is_read_for_what_it_holds_not_its_name() {
    let dir = out_dir();
    let (_, labelled, _) = run(&["tab", CODED, "q1", "--codebook", CODEBOOK]);
    assert!(labelled.contains("しばしばある・常にある"), "{labelled}");
    // A saved model under .csv, a sheet (CP932) under .json: the same table.
    let model = dir.join("model.csv");
    let (code, _, err) = run(&[
        "codebook",
        CODED,
        "--codebook",
        CODEBOOK,
        "--out",
        dir.join("model.json").to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    std::fs::copy(dir.join("model.json"), &model).unwrap();
    let sheet = dir.join("sheet.json");
    std::fs::copy(CODEBOOK, &sheet).unwrap();
    for book in [&model, &sheet] {
        let (code, out, err) = run(&["tab", CODED, "q1", "--codebook", book.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{}: {err}", book.display());
        assert_eq!(out, labelled, "{}", book.display());
    }
    // A template is not a codebook, and says what it is.
    let template = dir.join("template.json");
    std::fs::write(
        &template,
        r#"{"format": "tsunagari-analysis", "version": 1, "tables": []}"#,
    )
    .unwrap();
    let (code, out, err) = run(&["tab", CODED, "q1", "--codebook", template.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(
        err.contains("分析テンプレート") && err.contains("not a codebook"),
        "{err}"
    );
    // share-link without the survey file needs a saved model, and says so for a sheet.
    let (code, _, err) = run(&[
        "share-link",
        "tests/fixtures/share_template.json",
        "--codebook",
        sheet.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("codebook sheet") && err.contains("survey file"),
        "{err}"
    );
    let (code, out, err) = run(&[
        "share-link",
        "tests/fixtures/share_template.json",
        "--codebook",
        model.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("#s1."), "{out}");
}

#[test]
fn an_output_that_cannot_be_written_is_one_error_naming_the_path() {
    let dir = out_dir();
    let template = dir.join("t.json");
    std::fs::write(
        &template,
        r#"{"format": "tsunagari-analysis", "version": 1, "tables": [{"type": "tabulation", "question": "q1"}]}"#,
    )
    .unwrap();
    let t = template.to_str().unwrap();
    // A folder that is not there, and a folder where the file should be.
    let missing = dir.join("no such folder").join("out.json");
    let folder = dir.join("a folder.json");
    std::fs::create_dir_all(&folder).unwrap();
    for path in [&missing, &folder] {
        let p = path.to_str().unwrap();
        for args in [
            vec!["sample", "--out", p],
            vec!["codebook", CODED, "--out", p],
            vec!["run", CODED, "--template", t, "--out", p],
            vec!["aggregate", CODED, "--template", t, "--out", p],
        ] {
            let (code, _, err) = run(&args);
            assert_eq!(code, Some(2), "{args:?}");
            assert!(
                err.contains(&format!("{p} に書き込めません"))
                    && err.contains(&format!("cannot write {p}"))
                    && err.contains("フォルダー")
                    && err.contains("check that the folder exists"),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn population_table_errors_name_the_file() {
    let dir = out_dir();
    let sample = dir.join("sample.csv");
    assert_eq!(
        run(&["sample", "--out", sample.to_str().unwrap()]).0,
        Some(0)
    );
    let margins = dir.join("margins.csv");
    let out = dir.join("raked.json");
    let rake = |text: &str| {
        std::fs::write(&margins, text).unwrap();
        run(&[
            "rake",
            sample.to_str().unwrap(),
            "--margins",
            margins.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let m = margins.display().to_string();
    let (code, _, err) = rake("a,b,c\n年代,20～29歳,100\n");
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with(&format!(
            "{m}: 人口の表には「変数」「値」「人口」の列が要ります。"
        )),
        "{err}"
    );
    let (code, _, err) = rake("変数,値,人口\n年代,20～29歳,多い\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!("{m}: 2 行目の人口「多い」")) && err.contains("row 2"),
        "{err}"
    );
}
