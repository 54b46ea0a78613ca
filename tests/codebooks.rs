//! Codebooks as municipalities write them (issue 14 item 4): the question text under 設問
//! (not 設問文) beside 変数名, a notes column the reader does not use, 0/1 columns each with
//! its own row (1 = 選択, 0 = 非選択, 9 = 無回答). The coded fixture with such a codebook
//! (tests/fixtures/coded_codebook_setsumon.csv) must give what its 設問文 twin gives: the
//! UCLA score, 「孤独感がある」計 and the national comparison.

use tsunagari::analysis::national::{available, compare, Measure};
use tsunagari::analysis::tabulate;
use tsunagari::model::codebook::{self, ApplyReport, Codebook};
use tsunagari::model::national::{Item, LONELY_TOTAL, UCLA_SCORE};
use tsunagari::model::{Kind, MultiForm, Survey, SurveyModel};
use tsunagari::table::Table;

mod common;
use common::{load, table, CODEBOOK, CODED};

const SETSUMON: &str = "tests/fixtures/coded_codebook_setsumon.csv";
const ACTIVITIES: [&str; 6] = [
    "スポーツ・趣味・娯楽・教養・自己啓発などの活動",
    "ボランティア活動",
    "自治会・町内会などの地域活動",
    "子育て・教育関連の活動",
    "その他",
    "特に参加はしていない",
];

fn applied(data: Table, book: &Codebook) -> (Survey, ApplyReport) {
    let mut model = SurveyModel::infer(&data);
    let report = codebook::apply(&mut model, book, &data);
    (Survey::with_model(data, model), report)
}

fn items(survey: &Survey) -> Vec<Item> {
    let mut items: Vec<Item> = survey.model.national.iter().map(|m| m.item).collect();
    items.sort_by_key(|i| Item::ALL.iter().position(|x| x == i));
    items
}

fn book(path: &str) -> Codebook {
    Codebook::from_table(&load(path), path).unwrap()
}

#[test]
fn the_setsumon_column_is_the_question_text() {
    let (twin, _) = applied(load(CODED), &book(CODEBOOK));
    let (survey, report) = applied(load(CODED), &book(SETSUMON));
    assert_eq!(items(&survey), items(&twin));
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
        assert!(items(&survey).contains(&item), "{item:?}");
    }
    // What the labelled file (excel_cp932.csv) is recognised for, the coded one is too.
    let labelled = Survey::infer(load("tests/fixtures/excel_cp932.csv"));
    for item in items(&labelled) {
        assert!(items(&survey).contains(&item), "{item:?}");
    }
    let derived: Vec<&str> = survey
        .model
        .derived
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert!(derived.contains(&UCLA_SCORE), "{derived:?}");
    assert!(derived.contains(&LONELY_TOTAL), "{derived:?}");
    let measures = available(&survey.model);
    assert!(measures.contains(&Measure::Direct), "{measures:?}");
    let direct = compare(&survey, Measure::Direct, None).unwrap();
    let twin_direct = compare(&twin, Measure::Direct, None).unwrap();
    assert_eq!(
        serde_json::to_value(&direct).unwrap(),
        serde_json::to_value(&twin_direct).unwrap()
    );
    assert_eq!(
        survey.model.question("q1").unwrap().text,
        "あなたはどの程度、孤独であると感じることがありますか。"
    );

    // The report says which of the sheet's columns were read as what, and which not.
    assert_eq!(
        report.columns_used,
        vec![
            ("変数名".to_string(), "変数名".to_string()),
            ("設問文".to_string(), "設問".to_string()),
            ("コード".to_string(), "コード".to_string()),
            ("ラベル".to_string(), "ラベル".to_string()),
        ]
    );
    assert_eq!(report.columns_ignored, vec!["備考".to_string()]);
    let ja = report.lines_ja().join("\n");
    assert!(ja.contains("「設問」を設問文"), "{ja}");
    assert!(ja.contains("備考"), "{ja}");
    assert!(report.lines_en().join("\n").contains("備考"));
}

#[test]
fn a_zero_one_set_is_named_by_its_items_texts() {
    let (survey, _) = applied(load(CODED), &book(SETSUMON));
    let q4 = survey.model.question("q4").unwrap();
    assert_eq!(q4.kind, Kind::Multiple);
    let labels: Vec<&str> = q4.options().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ACTIVITIES);
    assert_eq!(
        q4.text,
        "あなたは現在、次のような活動に参加していますか（いくつでも）"
    );
}

/// The coded file with the row that skipped q4 coded 9 (無回答) in its six 0/1 columns:
/// the columns hold 0, 1 and 9, no longer only ticks.
fn coded_with_nines() -> Table {
    let bytes = std::fs::read(CODED).unwrap();
    let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    let mut out = String::new();
    let mut changed = 0;
    for line in text.lines() {
        let mut cells: Vec<&str> = line.split(',').collect();
        if cells[6..12].iter().all(|c| c.is_empty()) {
            cells[6..12].fill("9");
            changed += 1;
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    assert_eq!(changed, 1);
    table(out.as_bytes())
}

#[test]
fn zero_one_columns_with_a_nine_are_a_multiple_answer() {
    let data = coded_with_nines();
    let (survey, report) = applied(data, &book(SETSUMON));
    assert!(report.unknown_codes.is_empty(), "{report:?}");
    let q4 = survey.model.question("q4").unwrap();
    assert_eq!(q4.kind, Kind::Multiple, "{q4:?}");
    assert!(matches!(q4.multi, Some(MultiForm::Binary { .. })), "{q4:?}");
    let labels: Vec<&str> = q4.options().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ACTIVITIES);
    assert!(items(&survey).contains(&Item::Participation));
    // The row of 9s chose nothing: outside the base, as the blank row was.
    let (twin, _) = applied(load(CODED), &book(CODEBOOK));
    let t = &tabulate(&survey, "q4", None, None).unwrap()[0];
    let twin_t = &tabulate(&twin, "q4", None, None).unwrap()[0];
    assert_eq!(t.base_count, twin_t.base_count);
    assert_eq!(t.outside, twin_t.outside);
    let counts = |t: &tsunagari::analysis::Tabulation| -> Vec<u64> {
        t.categories.iter().map(|c| c.count).collect()
    };
    assert_eq!(counts(t), counts(twin_t));
}

#[test]
fn national_items_are_recognised_from_the_answer_labels_alone() {
    // The codebook without any question text: the labels still tell the items.
    let mut book = book(SETSUMON);
    for e in &mut book.entries {
        e.text.clear();
    }
    let (survey, _) = applied(load(CODED), &book);
    for item in [
        Item::Direct,
        Item::Ucla1,
        Item::Ucla2,
        Item::Ucla3,
        Item::ContactFace,
        Item::Sex,
        Item::Age,
    ] {
        assert!(
            items(&survey).contains(&item),
            "{item:?} not in {:?}",
            items(&survey)
        );
    }
    let by = |item: Item| {
        survey
            .model
            .national
            .iter()
            .find(|m| m.item == item)
            .unwrap()
            .column
            .clone()
    };
    assert_eq!(by(Item::Direct), "q1");
    assert_eq!(
        [by(Item::Ucla1), by(Item::Ucla2), by(Item::Ucla3)],
        ["q2_1", "q2_2", "q2_3"]
    );
    assert_eq!(by(Item::ContactFace), "q3");
    // Four labels of another frequency question are no UCLA item on their own.
    let data = table("f\n1\n2\n3\n4\n1\n".as_bytes());
    let mut model = SurveyModel::infer(&data);
    let sheet = "変数名,コード,ラベル\nf,1,決してない\n,2,ほとんどない\n,3,時々ある\n,4,常にある\n";
    let b = Codebook::from_table(&table(sheet.as_bytes()), "b.csv").unwrap();
    codebook::apply(&mut model, &b, &data);
    assert!(model.national.is_empty(), "{:?}", model.national);
}
