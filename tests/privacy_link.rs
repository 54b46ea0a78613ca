//! Attacks on what a shared setup carries and what it may do (issue 12, findings 1 and 5).
//! Each test plays an attacker (or an honest mismatch between two towns) with its own
//! hostile fixture, generated here: two towns' files with names, addresses, free text, a
//! rare occupation and a rare place of residence.
//!
//! Finding 1 — a setup never widens what is used: a link, a codebook sheet or a saved model
//! applied to a file may turn a question off or leave it, never make a locally personal
//! column non-personal nor turn a question on; a derived variable of a personal column is
//! personal and off.
//!
//! Finding 5 — a link carries the questionnaire and nothing else: no answer value in the
//! pinned tables' filters or in raking targets unless the keep-rule of `share::redact`
//! allows it, and no column name taken from a first row that was a respondent.

use std::io::Read;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tsunagari::analysis::aggregate::aggregate;
use tsunagari::analysis::{run, AnalysisTemplate};
use tsunagari::app::session::{Reply, Request, Session};
use tsunagari::disclosure::Rules;
use tsunagari::ingest::{read_bytes, HeaderClue, ReadOptions, Warning};
use tsunagari::model::derive::{RakeMargin, RecodeGroup, Target};
use tsunagari::model::{Derived, Kind, Recipe, Survey};
use tsunagari::share::{apply_setup, decode, encode, for_link};

mod common;

const SURNAMES: [&str; 8] = [
    "山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村",
];
const GIVEN: [&str; 5] = ["太郎", "花子", "一郎", "美咲", "健二"];
const JOBS: [&str; 4] = ["会社員", "自営業", "無職", "学生"];
const AREAS: [&str; 3] = ["北地区", "南地区", "東地区"];
/// Given by one respondent of town A: never in a link.
const RARE_JOB: &str = "漁師";
const RARE_AREA: &str = "灯台守の小屋";

/// One row of a town's file.
struct Person {
    id: String,
    name: String,
    address: String,
    sex: &'static str,
    age: u32,
    job: &'static str,
    area: &'static str,
    note: String,
    opinion: String,
}

/// A town's respondents. Town A writes short repeated remarks in 備考 (read as a choice
/// there); town B writes sentences naming neighbours (free text there).
fn people(town: char) -> Vec<Person> {
    let shift = if town == 'A' { 0 } else { 3 };
    (0..40)
        .map(|i| {
            let name = format!(
                "{}{}",
                SURNAMES[(i + shift) % 8],
                GIVEN[(i / 8 + shift) % 5]
            );
            let note = if town == 'A' {
                ["特になし", "なし", "あり"][i % 3].to_string()
            } else {
                format!(
                    "隣の{}さんと毎朝{}時に散歩しています（{}番目の回答）",
                    SURNAMES[(i + 5) % 8],
                    i % 12 + 5,
                    i
                )
            };
            Person {
                id: format!("{}{:03}", if town == 'A' { 1 } else { 2 }, i + 1),
                address: format!("つながり市{}丁目{}番{}号", i % 5 + 1, i + 1, i * 3 % 17 + 1),
                sex: if i % 3 == 0 { "男性" } else { "女性" },
                age: 20 + (i as u32 * 3) % 45,
                job: if town == 'A' && i == 7 {
                    RARE_JOB
                } else {
                    JOBS[i % 4]
                },
                area: if town == 'A' && i == 11 {
                    RARE_AREA
                } else {
                    AREAS[i % 3]
                },
                opinion: format!(
                    "{}さんに言われて書きます。{}課の窓口の対応が{}回とも遅かった",
                    name,
                    ["福祉", "税務", "住民"][i % 3],
                    i + 2
                ),
                note,
                name,
            }
        })
        .collect()
}

const HEADER: &str = "ID,氏名,住所,性別,年齢,職業,居住地区,備考,ご意見";

fn csv(people: &[Person], header: bool) -> String {
    let mut out = String::new();
    if header {
        out.push_str(HEADER);
        out.push_str("\r\n");
    }
    for p in people {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            p.id, p.name, p.address, p.sex, p.age, p.job, p.area, p.note, p.opinion
        ));
    }
    out
}

fn survey_of(csv: &str) -> Survey {
    Survey::infer(
        read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table,
    )
}

fn town(t: char) -> Survey {
    survey_of(&csv(&people(t), true))
}

fn template(json: serde_json::Value) -> AnalysisTemplate {
    let mut doc = serde_json::json!({"format": "tsunagari-analysis", "version": 1});
    for (k, v) in json.as_object().unwrap() {
        doc[k] = v.clone();
    }
    AnalysisTemplate::from_json(&doc.to_string()).unwrap()
}

/// The link's payload (CBOR: every string in it is plain UTF-8).
fn inflated(fragment: &str) -> Vec<u8> {
    let payload = fragment.split_once('.').unwrap().1;
    let bytes = URL_SAFE_NO_PAD.decode(payload).unwrap();
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A CBOR text string of exactly `s` (a short number like "67" must not be found inside
/// another string or number).
fn cbor_text(hay: &[u8], s: &str) -> bool {
    let n = s.len();
    let head: Vec<u8> = if n < 24 {
        vec![0x60 + n as u8]
    } else {
        vec![0x78, n as u8]
    };
    let needle = [&head[..], s.as_bytes()].concat();
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Every personal value of a town's file (IDs, names, addresses, 備考 of town B, opinions).
fn personal_values(people: &[Person], with_note: bool) -> Vec<String> {
    let mut out = Vec::new();
    for p in people {
        out.extend([
            p.id.clone(),
            p.name.clone(),
            p.address.clone(),
            p.opinion.clone(),
        ]);
        if with_note {
            out.push(p.note.clone());
        }
    }
    out
}

/// Whatever of a report a receiving town would publish: the report's JSON and the
/// 「秘匿処理済み」 aggregate's.
fn published(s: &Survey, t: &AnalysisTemplate) -> String {
    let report = run(s, t);
    let agg = aggregate(s, t, Rules::default());
    format!("{}\n{}", report.to_json(), agg.to_json())
}

// ---------------------------------------------------------------------------------------
// Finding 1: a setup never widens what is used.

#[test]
fn a_link_cannot_turn_a_name_column_into_an_answer() {
    // The attacker takes an honest link and re-kinds 氏名 and ご意見 as single choices,
    // turned on, with tables of them.
    let (mut setup, _) = for_link(&town('A'), &AnalysisTemplate::default());
    for id in ["氏名", "ご意見", "住所"] {
        let q = setup.model.question_mut(id).unwrap();
        q.kind = Kind::Single;
        q.include = true;
    }
    // A change that widens nothing goes through, and is reported.
    setup.model.question_mut("年齢").unwrap().kind = Kind::Single;
    setup.template = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": "氏名"},
        {"type": "tabulation", "question": "ご意見"},
        {"type": "crosstab", "row": "住所", "col": "性別"},
    ]}));
    let setup = decode(&encode(&setup)).unwrap();
    let mut b = town('B');
    let report = apply_setup(&mut b, &setup);
    for id in ["氏名", "ご意見", "住所"] {
        let q = b.model.question(id).unwrap();
        assert!(q.kind.personal(), "{id} became {:?}", q.kind);
        assert!(b.usable(id).is_err(), "{id} is usable after the link");
        assert!(
            report
                .not_widened
                .iter()
                .any(|n| n.question == id && n.wanted == Some(Kind::Single)),
            "{id}: {report:?}"
        );
    }
    assert_eq!(b.model.question("年齢").unwrap().kind, Kind::Single);
    assert!(
        report
            .kinds_changed
            .iter()
            .any(|c| c.question == "年齢" && c.from == Kind::Numeric && c.to == Kind::Single),
        "{report:?}"
    );
    // Said in both languages, Japanese first.
    let ja = report.lines_ja().join("\n");
    let en = report.lines_en().join("\n");
    assert!(
        ja.contains("「氏名」はこのファイルでは「個人を特定する情報」のため"),
        "{ja}"
    );
    assert!(
        en.contains("\"氏名\" is identifier (personal) in this file"),
        "{en}"
    );
    assert!(
        ja.contains("「年齢」の種類を「数値」から「単一回答」に変えました"),
        "{ja}"
    );
    let out = published(&b, &setup.template);
    for v in personal_values(&people('B'), true) {
        assert!(!out.contains(&v), "{v} is in the report or the aggregate");
    }
}

#[test]
fn matching_cannot_put_a_shared_question_onto_a_name_column() {
    // The attack: the link's own 性別 (an answer question with a table) is matched — by the
    // receiver's choice on the matching screen, or a forged `--map` — onto the receiver's
    // 氏名, hoping the table of 性別 then counts the names.
    let template = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": "性別"},
        {"type": "crosstab", "row": "性別", "col": "年齢"},
    ]}));
    let (setup, _) = for_link(&town('A'), &template);
    let setup = decode(&encode(&setup)).unwrap();
    for chosen in ["氏名", "住所", "ご意見"] {
        let mut b = town('B');
        let map = vec![("性別".to_string(), chosen.to_string())];
        let report = tsunagari::share::apply_setup_mapped(&mut b, &setup, &map);
        // Whatever id the column now answers to, it is personal and not usable.
        let q = b
            .model
            .questions
            .iter()
            .find(|q| q.columns.iter().any(|c| c == chosen))
            .unwrap();
        assert!(
            q.kind.personal(),
            "{chosen} became {:?} ({report:?})",
            q.kind
        );
        // The choice itself is refused: 性別 meets nothing personal.
        let row = report
            .matching
            .rows
            .iter()
            .find(|r| r.shared == "性別")
            .unwrap();
        assert_ne!(row.mine.as_deref(), Some(chosen), "{row:?}");
        // The matching screen does not even offer it.
        assert!(
            !report.matching.choices_for(row).any(|c| c.id == chosen),
            "{chosen} is offered for 性別"
        );
        let said = report.matching.notices();
        assert!(
            said.iter().any(|m| m.ja.contains(&format!(
                "「性別」を「{chosen}」に対応づけることはできません"
            ))),
            "{said:?}"
        );
        assert!(b.usable(&q.id).is_err(), "{chosen} is usable as {}", q.id);
        let out = published(&b, &setup.template);
        for v in personal_values(&people('B'), true) {
            assert!(
                !out.contains(&v),
                "{v} ({chosen}) is in the report or the aggregate"
            );
        }
    }
}

#[test]
fn a_recode_of_free_text_in_a_link_stays_personal_and_off() {
    // A recode that keeps every answer as it is ("others keep their text") copies the free
    // text into a new variable; a recode of that recode hides the source one step further.
    let (mut setup, _) = for_link(&town('A'), &AnalysisTemplate::default());
    let copy = |name: &str, source: &str| Derived {
        name: name.into(),
        recipe: Recipe::Recode {
            source: source.into(),
            groups: vec![RecodeGroup {
                label: "その他".into(),
                from: vec!["該当なしの値".into()],
            }],
            others_blank: false,
        },
        national: false,
    };
    setup.model.derived.push(copy("意見の写し", "ご意見"));
    setup.model.derived.push(copy("写しの写し", "意見の写し"));
    setup.model.derived.push(copy("名前の写し", "氏名"));
    setup.template = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": "意見の写し"},
        {"type": "tabulation", "question": "写しの写し"},
        {"type": "crosstab", "row": "名前の写し", "col": "性別"},
    ]}));
    let setup = decode(&encode(&setup)).unwrap();
    let mut b = town('B');
    let report = apply_setup(&mut b, &setup);
    assert!(b.derive_errors.is_empty(), "{:?}", b.derive_errors);
    // The report names each new variable, what it reads, and that it is personal.
    for (name, source) in [
        ("意見の写し", "ご意見"),
        ("写しの写し", "意見の写し"),
        ("名前の写し", "氏名"),
    ] {
        assert!(
            report
                .new_derived
                .iter()
                .any(|d| d.name == name && d.sources == [source] && d.personal),
            "{name}: {report:?}"
        );
    }
    assert!(report
        .change_lines_ja()
        .iter()
        .any(|l| l.contains("新しい変数「写しの写し」") && l.contains("集計から除いています")));
    for id in ["意見の写し", "写しの写し", "名前の写し"] {
        let q = b.question(id).unwrap();
        assert!(
            q.kind.personal() && !q.include,
            "{id}: {:?} {}",
            q.kind,
            q.include
        );
        assert!(b.usable(id).is_err());
    }
    let out = published(&b, &setup.template);
    for v in personal_values(&people('B'), true) {
        assert!(!out.contains(&v), "{v} is in the report or the aggregate");
    }
}

#[test]
fn a_column_two_towns_classify_differently_stays_personal_where_it_is() {
    // No bad intent: 備考 is a choice in town A (特になし / なし / あり) and free text in
    // town B (sentences naming neighbours). A's honest link must not turn B's on.
    let a = town('A');
    assert_eq!(a.model.question("備考").unwrap().kind, Kind::Single);
    let t = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": "備考"},
        {"type": "crosstab", "row": "備考", "col": "性別"},
    ]}));
    let (setup, _) = for_link(&a, &t);
    let mut b = town('B');
    // (Each sentence is its own: B's inference calls it personal.)
    let own = b.model.question("備考").unwrap().kind;
    assert!(own.personal(), "{own:?}");
    let report = apply_setup(&mut b, &decode(&encode(&setup)).unwrap());
    assert_eq!(b.model.question("備考").unwrap().kind, own);
    assert!(
        report
            .not_widened
            .iter()
            .any(|n| n.question == "備考" && n.kind == own && n.wanted == Some(Kind::Single)),
        "{report:?}"
    );
    assert!(b.usable("備考").is_err());
    let out = published(&b, &setup.template);
    for p in people('B') {
        assert!(!out.contains(&p.note), "{} is published", p.note);
    }
}

#[test]
fn a_setup_never_turns_on_what_the_receiver_turned_off() {
    let (setup, _) = for_link(&town('A'), &AnalysisTemplate::default());
    assert!(setup.model.question("職業").unwrap().include);
    let mut b = town('B');
    // Town B's staff left 職業 out of their tables.
    let mut model = b.model.clone();
    model.question_mut("職業").unwrap().include = false;
    b.set_model(model);
    let report = apply_setup(&mut b, &setup);
    assert!(!b.model.question("職業").unwrap().include);
    assert!(
        report
            .not_widened
            .iter()
            .any(|n| n.question == "職業" && n.wanted.is_none()),
        "{report:?}"
    );
    assert!(b.usable("職業").is_err());
}

#[test]
fn the_receiver_may_still_turn_a_column_on_themselves() {
    let (mut setup, _) = for_link(&town('A'), &AnalysisTemplate::default());
    setup.model.question_mut("氏名").unwrap().kind = Kind::Single;
    let mut b = town('B');
    apply_setup(&mut b, &setup);
    assert!(b.usable("氏名").is_err());
    // Their own choice, on the page (「集計に含める」): allowed.
    let mut model = b.model.clone();
    model.question_mut("氏名").unwrap().include = true;
    b.set_model(model);
    assert!(b.usable("氏名").is_ok());
}

fn session_with(csv: &str) -> Session {
    let mut s = Session::default();
    let loaded = read_bytes(csv.as_bytes(), ReadOptions::default()).unwrap();
    assert!(matches!(s.loaded(loaded), Reply::Loaded(..)));
    s
}

fn refused(reply: &Reply) -> bool {
    matches!(reply, Reply::Refused(_))
}

#[test]
fn a_codebook_sheet_or_a_saved_model_cannot_turn_a_name_column_on() {
    let b_csv = csv(&people('B'), true);
    // A codebook sheet (as municipalities keep them) that calls 氏名 a single choice.
    let mut s = session_with(&b_csv);
    let sheet = "変数名,種類,コード,ラベル\r\n氏名,単一回答,1,はい\r\nご意見,単一回答,1,はい\r\n";
    let reply = s.handle(Request::ApplyCodebook {
        name: "codebook.csv".into(),
        bytes: sheet.as_bytes().to_vec(),
    });
    assert!(matches!(reply, Reply::Model(_)), "{reply:?}");
    for id in ["氏名", "ご意見"] {
        let reply = s.handle(Request::TabulateQuestion { id: id.into() });
        assert!(refused(&reply), "{id}: {reply:?}");
    }
    // A saved model (.json) in which 氏名 is a single choice and turned on.
    let mut s = session_with(&b_csv);
    let mut model = town('B').model;
    for id in ["氏名", "ご意見"] {
        let q = model.question_mut(id).unwrap();
        q.kind = Kind::Single;
        q.include = true;
    }
    let reply = s.handle(Request::ApplyCodebook {
        name: "model.json".into(),
        bytes: model.to_json().into_bytes(),
    });
    assert!(matches!(reply, Reply::Model(_)), "{reply:?}");
    for id in ["氏名", "ご意見"] {
        let reply = s.handle(Request::TabulateQuestion { id: id.into() });
        assert!(refused(&reply), "{id}: {reply:?}");
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("privacy_link");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_cli_codebook_cannot_turn_a_name_column_on() {
    let file = tmp("town_b.csv");
    std::fs::write(&file, csv(&people('B'), true)).unwrap();
    let mut model = town('B').model;
    let q = model.question_mut("氏名").unwrap();
    q.kind = Kind::Single;
    q.include = true;
    let json = tmp("hostile_model.json");
    std::fs::write(&json, model.to_json()).unwrap();
    let (f, j) = (file.to_str().unwrap(), json.to_str().unwrap());
    let (ok, out, _) = cli(&["tab", f, "氏名", "--codebook", j]);
    assert!(!ok, "氏名 was tabulated through --codebook:\n{out}");
    for p in people('B') {
        assert!(!out.contains(&p.name));
    }
    // The user's own --include still does it (their choice).
    let (ok, out, err) = cli(&["tab", f, "氏名", "--codebook", j, "--include", "氏名"]);
    assert!(ok, "{err}");
    assert!(out.contains(&people('B')[0].name));
}

// ---------------------------------------------------------------------------------------
// Finding 5: a link carries the questionnaire and nothing else.

#[test]
fn filters_in_a_link_carry_no_answer_of_the_file() {
    let a = town('A');
    let first = &people('A')[0];
    let t = template(serde_json::json!({
        "filter": format!("居住地区 in (北地区, {RARE_AREA})"),
        "tables": [
            {"type": "tabulation", "question": "性別", "filter": format!("氏名 = \"{}\"", first.name)},
            {"type": "tabulation", "question": "性別", "filter": format!("住所 = \"{}\"", first.address)},
            {"type": "tabulation", "question": "性別", "filter": format!("ご意見 = \"{}\"", first.opinion)},
            {"type": "tabulation", "question": "性別", "filter": format!("職業 = {RARE_JOB}")},
            {"type": "crosstab", "row": "性別", "col": "職業", "filter": "ID >= 1005"},
            {"type": "tabulation", "question": "職業", "filter": "年齢 >= 65"},
            {"type": "tabulation", "question": "職業", "filter": "性別 = 女性 and 居住地区 != 南地区"},
            {"type": "means", "num": "年齢", "by": "性別", "filter": "年齢 = 41"},
        ]
    }));
    let (setup, left) = for_link(&a, &t);
    let payload = inflated(&encode(&setup));
    for v in [
        first.name.as_str(),
        &first.address,
        &first.opinion,
        RARE_JOB,
        RARE_AREA,
    ] {
        assert!(!contains(&payload, v), "{v} is in the link");
    }
    assert!(!contains(&payload, "ID >= 1005"));
    assert!(!cbor_text(&payload, "41") && !contains(&payload, "= 41"));
    // What is the questionnaire stays: a numeric threshold, answers many gave.
    let filters: Vec<String> = setup
        .template
        .tables
        .iter()
        .map(|t| {
            serde_json::to_value(t).unwrap()["filter"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        filters,
        vec!["年齢 >= 65", "性別 = 女性 and 居住地区 != 南地区"],
        "{:?}",
        setup.template.tables
    );
    // The template's own filter names a rare answer: dropped, not the tables.
    assert!(setup.template.filter.is_none());
    // What was left out is said, by table number, never by value.
    let said = format!("{:?}{:?}{:?}", left.lines_ja(), left.lines_en(), left);
    for v in [
        first.name.as_str(),
        &first.address,
        RARE_JOB,
        RARE_AREA,
        "1005",
    ] {
        assert!(!said.contains(v), "{v} is in what was left out: {said}");
    }
    let numbers: Vec<usize> = left.tables.iter().map(|t| t.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 8]);
    assert!(left
        .tables
        .iter()
        .all(|t| t.conditions == 1 && !t.renamed_column));
    assert_eq!(left.report_filter, 1);
    let ja = left.lines_ja().join("\n");
    assert!(ja.contains("表4（「性別」）は入れていません"), "{ja}");
    assert!(
        ja.contains("表5（「性別」×「職業」）は入れていません"),
        "{ja}"
    );
    assert!(
        ja.contains("レポート全体の絞り込み条件は入れていません"),
        "{ja}"
    );
    assert!(left
        .lines_en()
        .join("\n")
        .contains("Table 8 (「年齢」×「性別」) was left out"));
    // The other town runs what came: the same two tables, filtered the same way.
    let mut b = town('B');
    apply_setup(&mut b, &decode(&encode(&setup)).unwrap());
    assert_eq!(run(&b, &setup.template).refusals().count(), 0);
}

#[test]
fn filters_by_a_codebook_label_stay_in_the_link() {
    // A coded file (1 = 決してない …) and its codebook: `q1 = 決してない` names the label
    // of a code, the questionnaire's; so does a grid item's.
    let mut s = common::survey(common::CODED);
    let book = tsunagari::model::codebook::Codebook::from_table(
        &common::load(common::CODEBOOK),
        "coded_codebook.csv",
    )
    .unwrap();
    let mut model = s.model.clone();
    tsunagari::model::codebook::apply(&mut model, &book, &s.table);
    s.set_model(model);
    let t = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": "sex", "filter": "q1 = 決してない"},
        {"type": "tabulation", "question": "sex", "filter": "q1 in (1, 9) and q2_1 = 常にある"},
    ]}));
    let (setup, left) = for_link(&s, &t);
    assert_eq!(setup.template.tables.len(), 2, "{left:?}");
    assert!(left.tables.is_empty());
}

#[test]
fn raking_targets_in_a_link_carry_no_rare_answer() {
    let mut a = town('A');
    // Through serde, as a saved model would hold it.
    let target = |v: &str, n: f64| -> Target {
        serde_json::from_value(serde_json::json!({"value": v, "total": n})).unwrap()
    };
    let margin = |source: &str, values: Vec<String>| RakeMargin {
        source: source.into(),
        targets: values.iter().map(|v| target(v, 1000.0)).collect(),
        left_out: Vec::new(),
    };
    let jobs: Vec<String> = JOBS
        .iter()
        .chain([&RARE_JOB])
        .map(|s| s.to_string())
        .collect();
    let ages: Vec<String> = (0..40).map(|i| (20 + (i * 3) % 45).to_string()).collect();
    let names: Vec<String> = people('A').iter().map(|p| p.name.clone()).collect();
    let mut model = a.model.clone();
    model.derived.push(Derived {
        name: "人口ウェイト".into(),
        recipe: Recipe::Rake {
            margins: vec![
                margin("職業", jobs),
                margin("年齢", ages),
                margin("氏名", names.clone()),
            ],
            base_weight: None,
            trim: None,
        },
        national: false,
    });
    a.set_model(model);
    let (setup, left) = for_link(&a, &AnalysisTemplate::default());
    let payload = inflated(&encode(&setup));
    assert!(!contains(&payload, RARE_JOB));
    for n in &names {
        assert!(!contains(&payload, n), "{n} is in the link");
    }
    assert!(!cbor_text(&payload, "41"), "an age is in the link");
    // Answers many gave stay, with their population.
    assert!(contains(&payload, "会社員"));
    let said = format!("{:?}{:?}", left.lines_ja(), left.lines_en());
    assert!(!said.contains(RARE_JOB), "{said}");
    // Only the margin of answers many gave is left; what went is said, by count.
    let rake = setup
        .model
        .derived
        .iter()
        .find(|d| d.name == "人口ウェイト")
        .unwrap();
    let Recipe::Rake { margins, .. } = &rake.recipe else {
        panic!()
    };
    assert_eq!(margins.len(), 1);
    let kept: Vec<&str> = margins[0]
        .targets
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    assert_eq!((margins[0].source.as_str(), kept), ("職業", JOBS.to_vec()));
    for (column, n) in [("職業", 1), ("年齢", 40), ("氏名", 40)] {
        assert!(
            left.rake_targets
                .contains(&("人口ウェイト".to_string(), column.to_string(), n)),
            "{column}: {:?}",
            left.rake_targets
        );
    }
    assert!(
        left.lines_ja()
            .iter()
            .any(|l| l
                .contains("ウェイト「人口ウェイト」の「職業」の人口のうち1区分は入れていません"))
    );
}

#[test]
fn the_raking_panel_asks_a_population_only_for_groups_that_may_be_published() {
    use tsunagari::model::rake_groups::rake_rows;
    let mut session = session_with(&csv(&people('A'), true));
    let Reply::Model(view) = session.handle(Request::UpdateModel(Box::new(town('A').model))) else {
        panic!()
    };
    // The engine names the answers few gave; the panel merges them into a neighbour.
    assert_eq!(view.rare_options("職業"), [RARE_JOB]);
    assert_eq!(view.rare_options("居住地区"), [RARE_AREA]);
    assert!(view.rare_options("性別").is_empty());
    let q = view.question("職業").unwrap();
    let rows = rake_rows(q, view.rare_options("職業"));
    let shown: Vec<String> = rows.iter().map(|r| r.shown()).collect();
    assert_eq!(shown, ["会社員", "自営業", "無職", "学生＋漁師"]);
    // The weight made from those groups (as the panel sends it) rakes every respondent.
    let targets = rows
        .iter()
        .map(|r| Target {
            value: r.code.clone(),
            total: 250.0,
            merged: r.merged.iter().map(|(c, _)| c.clone()).collect(),
        })
        .collect();
    let weight = Derived {
        name: "人口ウェイト".into(),
        recipe: Recipe::Rake {
            margins: vec![RakeMargin {
                source: "職業".into(),
                targets,
                left_out: Vec::new(),
            }],
            base_weight: None,
            trim: None,
        },
        national: false,
    };
    let reply = session.handle(Request::Rake(Box::new(weight.clone())));
    let Reply::Raked(report, _) = reply else {
        panic!("{reply:?}")
    };
    assert!(report.converged);
    // In a link, the merged rare answer does not travel; the group does.
    let mut a = town('A');
    let mut model = a.model.clone();
    model.derived.push(weight);
    a.set_model(model);
    let (setup, left) = for_link(&a, &AnalysisTemplate::default());
    assert!(!contains(&inflated(&encode(&setup)), RARE_JOB));
    assert_eq!(
        left.rake_targets,
        [("人口ウェイト".to_string(), "職業".to_string(), 1)]
    );
}

#[test]
fn a_first_row_that_is_a_respondent_stays_out_of_the_link() {
    // A file without a header row: respondent 1's ID, name, address, phone, e-mail and
    // postal code become the column names.
    let mut text = String::new();
    for (i, p) in people('A').iter().enumerate() {
        text.push_str(&format!(
            "{},{},{},0{}-{:04}-{:04},user{}@example.jp,{:03}-{:04},{},{}\r\n",
            p.id,
            p.name,
            p.address,
            3 + i % 5,
            1000 + i * 37,
            2000 + i * 53,
            i,
            100 + i,
            1000 + i * 11,
            p.sex,
            p.age
        ));
    }
    let s = survey_of(&text);
    let first: Vec<String> = text
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    assert_eq!(
        s.table.columns[1].name, first[1],
        "the first row is taken as the header"
    );
    let t = template(serde_json::json!({"tables": [
        {"type": "tabulation", "question": first[6].clone()},
    ]}));
    let (setup, left) = for_link(&s, &t);
    let payload = inflated(&encode(&setup));
    for v in &first[..6] {
        assert!(!contains(&payload, v), "{v} (respondent 1) is in the link");
    }
    // Every column is named by its place, in the questions and in the tables.
    let ids: Vec<&str> = setup
        .model
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["列1", "列2", "列3", "列4", "列5", "列6", "列7", "列8"]
    );
    assert_eq!(
        serde_json::to_value(&setup.template.tables[0]).unwrap()["question"],
        "列7"
    );
    assert_eq!(left.renamed_columns, 8);
    assert!(left.lines_ja()[0].contains("「列1」「列2」…に置き換えました"));
    // The warning on load names the columns and why, in both languages.
    let w = tsunagari::model::header::warning(s.file_columns(), &s.model.questions, false)
        .expect("a warning");
    let Warning::HeaderLooksLikeData { columns } = &w else {
        panic!("{w:?}")
    };
    let clues: Vec<(usize, HeaderClue)> = columns.iter().map(|c| (c.column, c.clue)).collect();
    assert_eq!(
        clues,
        [
            (1, HeaderClue::Number),
            (2, HeaderClue::LikeItsValues),
            (3, HeaderClue::LikeItsValues),
            (4, HeaderClue::Phone),
            (5, HeaderClue::Email),
            (6, HeaderClue::PostalCode),
            (7, HeaderClue::RecursBelow),
            (8, HeaderClue::Number),
        ]
    );
    assert!(
        w.ja().contains(&format!("2 列目「{}」: ", first[1])),
        "{}",
        w.ja()
    );
    assert!(w.en().contains("--confirm-header"));
    // Shown where the other load warnings are.
    let mut session = Session::default();
    let loaded = read_bytes(text.as_bytes(), ReadOptions::default()).unwrap();
    let Reply::Loaded(summary, _) = session.loaded(loaded) else {
        panic!()
    };
    assert!(summary
        .warnings
        .contains(&tsunagari::app::shown_warning::ShownWarning::of(&w)));
    // The user says the first row is a header: their choice, and the names go in. The
    // confirmation itself never travels.
    let mut s = s;
    let mut model = s.model.clone();
    model.header_confirmed = true;
    s.set_model(model);
    assert!(
        tsunagari::model::header::warning(s.file_columns(), &s.model.questions, true).is_none()
    );
    let (setup, left) = for_link(&s, &t);
    assert!(contains(&inflated(&encode(&setup)), &first[1]));
    assert_eq!(left.renamed_columns, 0);
    assert!(!setup.model.header_confirmed);
    // A link made from the saved model alone (no file to count answers in): the ID, phone,
    // e-mail and postal code give the first row away by their look, and every name goes.
    let mut model = s.model.clone();
    model.header_confirmed = false;
    let bare = Survey::with_model(tsunagari::table::Table::default(), model);
    let (setup, left) = for_link(&bare, &t);
    let payload = inflated(&encode(&setup));
    for v in &first[..6] {
        assert!(
            !contains(&payload, v),
            "{v} is in a link made from the model"
        );
    }
    assert_eq!(left.renamed_columns, 8);
}

#[test]
fn a_real_header_is_not_taken_for_a_respondent() {
    let read = |path: &str| {
        let bytes = std::fs::read(path).unwrap();
        tsunagari::ingest::read_file_bytes(&bytes, ReadOptions::default(), None)
            .unwrap()
            .table
    };
    let mut tables: Vec<(String, tsunagari::table::Table)> = [
        "tests/fixtures/google_forms.csv",
        "tests/fixtures/google_forms_town_b.csv",
        "tests/fixtures/coded.csv",
        "tests/fixtures/excel_cp932.csv",
        "tests/fixtures/survey.xlsx",
    ]
    .iter()
    .map(|p| (p.to_string(), read(p)))
    .collect();
    tables.push(("sample".into(), common::sample_table()));
    tables.push(("town A".into(), town('A').table));
    for (name, table) in tables {
        let s = Survey::infer(table);
        let suspects =
            tsunagari::model::header::suspect_names(s.file_columns(), &s.model.questions);
        assert!(suspects.is_empty(), "{name}: {suspects:?}");
    }
}

#[test]
fn the_cli_warns_about_a_first_row_that_is_a_respondent() {
    let mut text = String::new();
    for p in people('A') {
        text.push_str(&format!("{},{},{},{}\r\n", p.id, p.name, p.sex, p.age));
    }
    let file = tmp("no_header.csv");
    std::fs::write(&file, &text).unwrap();
    let f = file.to_str().unwrap();
    let first = people('A').remove(0);
    let (ok, _, err) = cli(&["inspect", f]);
    assert!(ok, "{err}");
    assert!(
        err.contains("1行目を見出し（列名）として読みましたが"),
        "{err}"
    );
    assert!(err.contains("first row was read as the header"), "{err}");
    let (ok, out_json, _) = cli(&["inspect", f, "--json"]);
    assert!(ok);
    let doc: serde_json::Value = serde_json::from_str(&out_json).unwrap();
    assert!(doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["kind"] == "header_looks_like_data"));
    // A link made from it names the columns by place, and says so.
    let template = tmp("t.json");
    std::fs::write(
        &template,
        r#"{"format":"tsunagari-analysis","version":1,"tables":[]}"#,
    )
    .unwrap();
    let t = template.to_str().unwrap();
    let (ok, link, err) = cli(&["share-link", t, f]);
    assert!(ok, "{err}");
    assert!(err.contains("「列1」「列2」…に置き換えました"), "{err}");
    let (_, shown, _) = cli(&["share-link", "--show", link.trim()]);
    assert!(
        !shown.contains(&first.name) && !shown.contains(&first.id),
        "{shown}"
    );
    // The user confirms the header: no warning, names kept (their choice).
    let (ok, _, err) = cli(&["inspect", f, "--confirm-header"]);
    assert!(ok);
    assert!(!err.contains("1行目を見出し"), "{err}");
    let (ok, link, _) = cli(&["share-link", t, f, "--confirm-header"]);
    assert!(ok);
    let (_, shown, _) = cli(&["share-link", "--show", link.trim()]);
    assert!(shown.contains(&first.name), "{shown}");
}
