//! From columns to questions: inference on a Google Forms export and on a coded paper
//! survey with its codebook (fixtures written by tests/fixtures/make_question_fixtures.py),
//! national-item recognition and the UCLA-3 score, and the personal-data gate.

use tsunagari::analysis::tabulate;
use tsunagari::ingest::{read_bytes, ReadOptions};
use tsunagari::model::codebook::{self, Codebook};
use tsunagari::model::national::{Item, LONELY_TOTAL, UCLA_GROUPS, UCLA_SCORE};
use tsunagari::model::{Kind, Missing, MultiForm, Survey, SurveyModel};

mod common;
use common::{load, CODEBOOK, CODED, GOOGLE_FORMS as GOOGLE};

/// (id, kind, number of columns) of every question, in order.
fn shape(model: &SurveyModel) -> Vec<(String, Kind, usize)> {
    model
        .questions
        .iter()
        .map(|q| (q.id.clone(), q.kind, q.columns.len()))
        .collect()
}

/// The fixture's rows, read with the csv crate alone (not through the engine).
fn raw_rows(path: &str, cp932: bool) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = if cp932 {
        encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8(bytes).unwrap()
    };
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

const CONSULT: &str = "困ったときに相談できる相手（あてはまるものすべて）";

#[test]
fn google_forms_export_becomes_the_right_questions() {
    let table = load(GOOGLE);
    let model = SurveyModel::infer(&table);
    let grid = "次のことをどのくらい感じますか";
    assert_eq!(
        shape(&model),
        vec![
            ("タイムスタンプ".into(), Kind::Identifier, 1),
            ("メールアドレス".into(), Kind::Identifier, 1),
            ("性別".into(), Kind::Single, 1),
            ("年齢".into(), Kind::Numeric, 1),
            (
                "あなたはどの程度、孤独であると感じることがありますか。".into(),
                Kind::Single,
                1
            ),
            (grid.into(), Kind::Grid, 3),
            (CONSULT.into(), Kind::Multiple, 1),
            (
                "ご意見があればご自由にお書きください".into(),
                Kind::FreeText,
                1
            ),
        ]
    );
    let consult = model.question(CONSULT).unwrap();
    assert_eq!(
        consult.multi,
        Some(MultiForm::Joined {
            separator: ", ".into()
        })
    );
    // Identifiers and free text are off by default; the rest is on.
    for q in &model.questions {
        assert_eq!(q.include, !q.kind.personal(), "{}", q.id);
    }
    // The direct question and the UCLA grid items are recognised from their text.
    let items: Vec<Item> = model.national.iter().map(|m| m.item).collect();
    for item in [
        Item::Direct,
        Item::Ucla1,
        Item::Ucla2,
        Item::Ucla3,
        Item::Sex,
        Item::Age,
    ] {
        assert!(items.contains(&item), "{item:?} not in {items:?}");
    }
}

#[test]
fn joined_answers_split_right_once_the_option_list_is_known() {
    let table = load(GOOGLE);
    let rows = raw_rows(GOOGLE, false);
    let options = [
        "家族・親族",
        "友人・知人",
        "自治会・町内会・近所の人",
        "仕事・学校関係者",
        "医師, 看護師などの医療関係者",
    ];
    // Expected counts from the raw cells: an option counts when the cell holds it.
    let expected: Vec<u64> = options
        .iter()
        .map(|o| rows.iter().filter(|r| r[8].contains(o)).count() as u64)
        .collect();
    let answered = rows.iter().filter(|r| !r[8].is_empty()).count() as u64;

    // Without a list the option holding ", " is still found: its two halves only ever
    // occur together, one after the other.
    let survey = Survey::infer(table.clone());
    let t = &tabulate(&survey, CONSULT, None, None).unwrap()[0];
    assert!(!t.categories.iter().any(|c| c.label == "医師"));
    let doctors = t.categories.iter().find(|c| c.label == options[4]).unwrap();
    assert_eq!(doctors.count, expected[4]);

    // A codebook listing the options (as a user would import it) splits it right.
    let mut book = String::from("変数名,コード,ラベル\n");
    for o in options {
        book.push_str(&format!("{CONSULT},\"{o}\",\"{o}\"\n"));
    }
    let book_table = read_bytes(book.as_bytes(), ReadOptions::default())
        .unwrap()
        .table;
    let book = Codebook::from_table(&book_table, "codebook.csv").unwrap();
    let mut model = SurveyModel::infer(&table);
    let report = codebook::apply(&mut model, &book, &table);
    assert_eq!(report.matched, vec![CONSULT.to_string()]);
    let survey = Survey::with_model(table, model);
    let t = &tabulate(&survey, CONSULT, None, None).unwrap()[0];
    let got: Vec<(&str, u64)> = t
        .categories
        .iter()
        .map(|c| (c.label.as_str(), c.count))
        .collect();
    let want: Vec<(&str, u64)> = options
        .iter()
        .copied()
        .zip(expected.iter().copied())
        .collect();
    assert_eq!(got, want);
    assert!(t.multiple);
    assert_eq!(t.base_count, answered);
    assert_eq!(t.outside, rows.len() as u64 - answered);
    assert_eq!(t.responses.unwrap(), expected.iter().sum::<u64>());
    let pct = t.categories[0].percent.unwrap();
    assert!((pct - expected[0] as f64 * 100.0 / answered as f64).abs() < 1e-12);
}

#[test]
fn coded_file_and_its_codebook() {
    let table = load(CODED);
    let model = SurveyModel::infer(&table);
    assert_eq!(
        shape(&model),
        vec![
            ("id".into(), Kind::Identifier, 1),
            ("q1".into(), Kind::Single, 1),
            ("q2".into(), Kind::Grid, 3),
            ("q3".into(), Kind::Single, 1),
            ("q4".into(), Kind::Multiple, 6),
            ("sex".into(), Kind::Single, 1),
            ("age".into(), Kind::Numeric, 1),
            ("q5".into(), Kind::FreeText, 1),
            ("weight".into(), Kind::Weight, 1),
        ]
    );
    // 9 is guessed as 無回答 where the other codes stop at 5 or 7.
    assert_eq!(
        model.question("q1").unwrap().missing_of("9"),
        Some(Missing::NoAnswer)
    );
    assert_eq!(
        model.question("q3").unwrap().missing_of("9"),
        Some(Missing::NoAnswer)
    );

    // With the codebook: labels everywhere, national items recognised by their labels.
    let mut model = model;
    let book_table = load(CODEBOOK);
    let book = Codebook::from_table(&book_table, CODEBOOK).unwrap();
    let report = codebook::apply(&mut model, &book, &table);
    assert!(report.not_in_file.is_empty(), "{report:?}");
    assert!(report.unknown_codes.is_empty(), "{report:?}");
    let q4 = model.question("q4").unwrap();
    assert_eq!(q4.values[1].label, "ボランティア活動");
    assert_eq!(q4.values[5].label, "特に参加はしていない");
    let items: Vec<Item> = model.national.iter().map(|m| m.item).collect();
    for item in [
        Item::Direct,
        Item::Ucla1,
        Item::Ucla2,
        Item::Ucla3,
        Item::ContactFace,
        Item::Participation,
        Item::Sex,
        Item::Age,
    ] {
        assert!(items.contains(&item), "{item:?} not in {items:?}");
    }

    let rows = raw_rows(CODED, true);
    let survey = Survey::with_model(table, model);
    let t = &tabulate(&survey, "q1", None, None).unwrap()[0];
    let labels: Vec<&str> = t.categories.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        vec![
            "決してない",
            "ほとんどない",
            "たまにある",
            "時々ある",
            "しばしばある・常にある",
            "無回答"
        ]
    );
    let nines = rows.iter().filter(|r| r[1] == "9").count() as u64;
    assert_eq!(t.categories.last().unwrap().count, nines);
    // 有効% leaves 無回答 out; 累積% runs down the answers to 100.
    let valid = rows.len() as u64 - nines;
    let first = &t.categories[0];
    assert!(
        (first.valid_percent.unwrap() - first.count as f64 * 100.0 / valid as f64).abs() < 1e-12
    );
    assert!((t.categories[4].cumulative_percent.unwrap() - 100.0).abs() < 1e-9);
    assert_eq!(t.categories[5].cumulative_percent, None, "無回答 has none");
    assert_eq!(t.base_count, rows.len() as u64);

    // The 0/1 set: % of those who ticked anything; the row left blank is 無回答.
    let t = &tabulate(&survey, "q4", None, None).unwrap()[0];
    let ticked = |k: usize| rows.iter().filter(|r| r[6 + k] == "1").count() as u64;
    let answered = rows
        .iter()
        .filter(|r| (0..6).any(|k| r[6 + k] == "1"))
        .count() as u64;
    assert_eq!(t.base_count, answered);
    assert!(t.multiple);
    assert_eq!(t.outside, rows.len() as u64 - answered);
    for k in 0..6 {
        assert_eq!(t.categories[k].count, ticked(k), "option {k}");
    }
    assert_eq!(
        t.categories[0].label,
        "スポーツ・趣味・娯楽・教養・自己啓発などの活動"
    );

    // UCLA-3 score from the codes, checked row by row against the raw file.
    let score = survey.table.column(UCLA_SCORE).unwrap();
    for (r, row) in rows.iter().enumerate() {
        let items: Vec<&str> = row[2..5].iter().map(String::as_str).collect();
        let want = if items.iter().any(|v| *v == "9" || v.is_empty()) {
            String::new()
        } else {
            items
                .iter()
                .map(|v| v.parse::<u32>().unwrap())
                .sum::<u32>()
                .to_string()
        };
        assert_eq!(score.value(r), want, "row {}", r + 1);
    }
    // The personal columns are refused until turned on.
    assert!(tabulate(&survey, "id", None, None).is_err());
    assert!(tabulate(&survey, "q5", None, None).is_err());
    assert!(survey.usable_column("q5").is_err());
    assert!(survey.usable_column("weight").is_ok());
}

/// Five respondents whose scores were worked out by hand (written as labels, half of
/// them in full-width or with the options' wording varied).
#[test]
fn ucla_scores_and_groups_against_a_hand_computed_sample() {
    let csv = "番号,問2_1 あなたは、自分には人とのつきあいがないと感じることがありますか,問2_2 あなたは、自分は取り残されていると感じることがありますか,問2_3 あなたは、自分は他の人たちから孤立していると感じることがありますか,問1 あなたはどの程度、孤独であると感じることがありますか\n\
A,常にある,常にある,常にある,しばしばある・常にある\n\
B,常にある,時々ある,決してない,時々ある\n\
C,ほとんどない,ほとんどない,決してない,ほとんどない\n\
D,決してない,決してない,決してない,決してない\n\
E,時々ある,,ほとんどない,たまにある\n\
F,時々ある,時々ある,常にある,\n";
    let table = read_bytes(csv.as_bytes(), ReadOptions::default())
        .unwrap()
        .table;
    let survey = Survey::infer(table);
    // By hand: A 4+4+4 = 12; B 4+3+1 = 8; C 2+2+1 = 5; D 1+1+1 = 3; E missing an item;
    // F 3+3+4 = 10.
    let score = survey
        .table
        .column(UCLA_SCORE)
        .expect("score derived without setup");
    let got: Vec<&str> = (0..6).map(|r| score.value(r)).collect();
    assert_eq!(got, vec!["12", "8", "5", "3", "", "10"]);
    let groups = survey.table.column(UCLA_GROUPS).unwrap();
    let got: Vec<&str> = (0..6).map(|r| groups.value(r)).collect();
    assert_eq!(
        got,
        vec![
            "10～12点（常にある）",
            "7～9点（時々ある）",
            "4～6点（ほとんどない）",
            "3点（決してない）",
            "",
            "10～12点（常にある）"
        ]
    );
    // 「孤独感がある」計 = たまに + 時々 + しばしば・常に.
    let lonely = survey.table.column(LONELY_TOTAL).unwrap();
    let got: Vec<bool> = (0..6)
        .map(|r| lonely.value(r).starts_with("孤独感がある"))
        .collect();
    assert_eq!(got, vec![true, true, false, false, true, false]);
    assert_eq!(lonely.value(5), "");
    // The groups' tabulation lists them in the national order, 無回答 last.
    let t = &tabulate(&survey, UCLA_GROUPS, None, None).unwrap()[0];
    let got: Vec<(&str, u64)> = t
        .categories
        .iter()
        .map(|c| (c.label.as_str(), c.count))
        .collect();
    assert_eq!(
        got,
        vec![
            ("10～12点（常にある）", 2),
            ("7～9点（時々ある）", 1),
            ("4～6点（ほとんどない）", 1),
            ("3点（決してない）", 1),
            ("無回答", 1)
        ]
    );
}

#[test]
fn the_bundled_sample_gets_the_national_template() {
    let survey = common::sample_survey();
    let items: Vec<Item> = survey.model.national.iter().map(|m| m.item).collect();
    for item in [
        Item::Direct,
        Item::Ucla1,
        Item::Ucla2,
        Item::Ucla3,
        Item::ContactFace,
        Item::Participation,
        Item::Consult,
        Item::Sex,
        Item::Age,
        Item::Marital,
    ] {
        assert!(items.contains(&item), "{item:?} not in {items:?}");
    }
    // Score = the three items' national codes (1–4) summed, for every row.
    let codes = |v: &str| {
        tsunagari::sample::UCLA_OPTIONS
            .iter()
            .position(|o| *o == v)
            .map(|i| i as u32 + 1)
    };
    let score = survey.table.column(UCLA_SCORE).unwrap();
    let items: Vec<_> = tsunagari::sample::Q_UCLA
        .iter()
        .map(|q| survey.table.column(q).unwrap())
        .collect();
    for r in 0..survey.table.rows {
        let parts: Option<Vec<u32>> = items.iter().map(|c| codes(c.value(r))).collect();
        let want = parts
            .map(|p| p.iter().sum::<u32>().to_string())
            .unwrap_or_default();
        assert_eq!(score.value(r), want, "row {}", r + 1);
    }
    // ID and free text stay out.
    assert_eq!(
        survey.model.question("回答者ID").unwrap().kind,
        Kind::Identifier
    );
    let free = survey
        .model
        .questions
        .iter()
        .find(|q| q.id.starts_with("問6"))
        .unwrap();
    assert_eq!(free.kind, Kind::FreeText);
    assert!(!free.include);
}

#[test]
fn the_model_round_trips_and_refuses_what_it_cannot_read() {
    let table = load(CODED);
    let mut model = SurveyModel::infer(&table);
    let book = Codebook::from_table(&load(CODEBOOK), CODEBOOK).unwrap();
    codebook::apply(&mut model, &book, &table);
    let json = model.to_json();
    assert_eq!(SurveyModel::from_json(&json).unwrap(), model);
    let newer = json.replacen("\"version\": 1", "\"version\": 99", 1);
    assert!(SurveyModel::from_json(&newer)
        .unwrap_err()
        .ja
        .contains("新しい版"));
    assert!(SurveyModel::from_json("{\"a\":1}").is_err());
    assert!(SurveyModel::from_json("{").unwrap_err().ja.contains("1行"));

    // The codebook sheet written from the model reads back to the same labels.
    let sheet = codebook::to_csv(&model);
    let sheet_table = read_bytes(&sheet, ReadOptions::default()).unwrap().table;
    let again = Codebook::from_table(&sheet_table, "export.csv").unwrap();
    let mut fresh = SurveyModel::infer(&table);
    let report = codebook::apply(&mut fresh, &again, &table);
    assert!(report.not_in_file.is_empty(), "{report:?}");
    assert_eq!(
        fresh.questions.len(),
        model.questions.len(),
        "questions re-read from the exported codebook against the original"
    );
    for (a, b) in fresh.questions.iter().zip(&model.questions) {
        assert_eq!(a.values, b.values, "{}", a.id);
        assert_eq!(a.kind, b.kind, "{}", a.id);
        assert_eq!(a.text, b.text, "{}", a.id);
    }
    assert_eq!(fresh.national, model.national);
}

#[test]
fn a_codebook_without_its_headers_says_what_to_do() {
    let t = read_bytes("a,b\n1,2\n".as_bytes(), ReadOptions::default())
        .unwrap()
        .table;
    let e = Codebook::from_table(&t, "cb.csv").unwrap_err();
    assert!(
        e.ja.contains("cb.csv") && e.ja.contains("変数名"),
        "{}",
        e.ja
    );
}

/// 0/1 columns numbered without a separator (the bench file's ma1…ma10) form one multiple
/// answer; single answers with the same kind of names (q1…q3) stay apart.
#[test]
fn numbered_zero_one_columns_without_a_separator() {
    let mut csv = String::from("q1,q2,q3,ma1,ma2,ma3,fa1\n");
    for i in 0..20 {
        csv.push_str(&format!(
            "{},{},{},{},{},{},\n",
            1 + i % 5,
            1 + i % 3,
            1 + i % 4,
            i % 2,
            (i / 2) % 2,
            u8::from(i % 7 == 0)
        ));
    }
    let table = read_bytes(csv.as_bytes(), ReadOptions::default())
        .unwrap()
        .table;
    let model = SurveyModel::infer(&table);
    assert_eq!(
        shape(&model),
        vec![
            ("q1".into(), Kind::Single, 1),
            ("q2".into(), Kind::Single, 1),
            ("q3".into(), Kind::Single, 1),
            ("ma".into(), Kind::Multiple, 3),
            ("fa1".into(), Kind::Single, 1),
        ]
    );
    // A column with no answer at all is kept but flagged for the user to check.
    assert_eq!(
        model.question("fa1").unwrap().certainty,
        tsunagari::model::Certainty::Unsure
    );
}
