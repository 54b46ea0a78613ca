//! Issue 14 item 2: answers come out in the questionnaire's order, not the file's. National
//! items in the national order, known Japanese scales (agreement, 年代 …) in the scale's,
//! 累積% only for ordered answers, and an order the user sets kept through the codebook
//! sheet, a saved model and a share link.

mod common;

use tsunagari::analysis::{tabulate, AnalysisTemplate, Tabulation};
use tsunagari::model::codebook::{self, Codebook};
use tsunagari::model::national::Item;
use tsunagari::model::{Survey, SurveyModel};
use tsunagari::share::{apply_setup, decode, encode, for_link};

const DIRECT: &str = "問1 あなたはどの程度、孤独であると感じることがありますか";
const AGREE: &str = "問2 地域の活動は大切だと思いますか";
const AGE: &str = "年代";
const AREA: &str = "居住地区";
/// Given once: must never travel in a link, not even as a place in an order.
const RARE_AREA: &str = "山の上の一軒家";

/// A labelled file (as a web form exports it) whose answers first appear scrambled.
fn csv() -> String {
    // Each list in the order the answers first appear in the file.
    let direct = [
        "ほとんどない",
        "決してない",
        "時々ある",
        "しばしばある・常にある",
        "たまにある",
        "",
    ];
    let agree = [
        "どちらともいえない",
        "そう思わない",
        "わからない",
        "そう思う",
        "あまりそう思わない",
        "ややそう思う",
    ];
    let age = ["40歳代", "70歳以上", "答えたくない", "20歳代", "30歳代"];
    let area = ["南地区", "中央地区", "北地区"];
    let mut out = format!("{DIRECT},{AGREE},{AGE},{AREA}\n");
    for i in 0..30 {
        out.push_str(&format!(
            "{},{},{},{}\n",
            direct[i % direct.len()],
            agree[i % agree.len()],
            age[i % age.len()],
            if i == 29 {
                RARE_AREA
            } else {
                area[i % area.len()]
            }
        ));
    }
    out
}

fn survey() -> Survey {
    Survey::infer(common::table(csv().as_bytes()))
}

fn one(s: &Survey, name: &str) -> Tabulation {
    let mut t = tabulate(s, name, None, None).unwrap();
    assert_eq!(t.len(), 1, "{name}");
    t.remove(0)
}

fn labels(t: &Tabulation) -> Vec<&str> {
    t.categories.iter().map(|c| c.label.as_str()).collect()
}

fn has_cumulative(t: &Tabulation) -> bool {
    t.categories.iter().any(|c| c.cumulative_percent.is_some())
}

#[test]
fn national_question_comes_out_in_national_order() {
    let s = survey();
    let t = one(&s, DIRECT);
    assert_eq!(
        t.national,
        Some(Item::Direct),
        "recognised as the national item"
    );
    let mut want: Vec<&str> = Item::Direct.national_labels().to_vec();
    want.push("無回答");
    assert_eq!(labels(&t), want);
    // Ordered: 累積% runs down the national order and ends at 100.
    let last = t.categories.iter().rev().find_map(|c| c.cumulative_percent);
    assert!((last.unwrap() - 100.0).abs() < 1e-9);
}

#[test]
fn google_forms_national_items_in_national_order() {
    let s = common::survey(common::GOOGLE_FORMS);
    let t = one(&s, "あなたはどの程度、孤独であると感じることがありますか。");
    let answered: Vec<&str> = labels(&t).into_iter().filter(|l| *l != "無回答").collect();
    assert_eq!(answered, Item::Direct.national_labels().to_vec());
    // The UCLA grid's items share the national order.
    for t in tabulate(&s, "次のことをどのくらい感じますか", None, None).unwrap() {
        let answered: Vec<&str> = labels(&t).into_iter().filter(|l| *l != "無回答").collect();
        assert_eq!(
            answered,
            Item::Ucla1.national_labels().to_vec(),
            "{}",
            t.title
        );
    }
    // 性別: 男性 first, though nominal (no 累積%).
    let sex = one(&s, "性別");
    assert_eq!(labels(&sex)[0], "男性");
    assert!(!has_cumulative(&sex));
}

#[test]
fn national_wording_gives_the_national_order_where_the_text_is_short() {
    // Excel's CP932 file: 「問1 孤独感」 is too short to be recognised by its text, but its
    // answers are the national wording: recognised from them alone (issue 14 item 4).
    let s = common::survey("tests/fixtures/excel_cp932.csv");
    let t = one(&s, "問1 孤独感");
    assert_eq!(t.national, Some(Item::Direct));
    let answered: Vec<&str> = labels(&t).into_iter().filter(|l| *l != "無回答").collect();
    assert_eq!(answered, Item::Direct.national_labels().to_vec());
    assert!(has_cumulative(&t));
    assert!(!has_cumulative(&one(&s, AREA)));
}

#[test]
fn agreement_scale_and_age_groups_in_scale_order() {
    let s = survey();
    let t = one(&s, AGREE);
    assert_eq!(
        labels(&t),
        [
            "そう思う",
            "ややそう思う",
            "どちらともいえない",
            "あまりそう思わない",
            "そう思わない",
            "わからない",
        ]
    );
    assert!(has_cumulative(&t));
    let t = one(&s, AGE);
    assert_eq!(
        labels(&t),
        ["20歳代", "30歳代", "40歳代", "70歳以上", "答えたくない"]
    );
    assert!(has_cumulative(&t));
}

#[test]
fn no_cumulative_percent_for_a_nominal_question() {
    let s = survey();
    let t = one(&s, AREA);
    // File order kept: nothing says 南 comes before 北 or after.
    assert_eq!(labels(&t), ["南地区", "中央地区", "北地区", RARE_AREA]);
    assert!(!has_cumulative(&t), "{:?}", t.categories);
    assert!(t.categories.iter().all(|c| c.valid_percent.is_some()));
}

/// The user's order of 居住地区: 北, 中央, 南 (three moves in 設問の設定).
fn reordered() -> Survey {
    let mut s = survey();
    let mut model = s.model.clone();
    let q = model.question_mut(AREA).unwrap();
    assert!(q.move_answer(2, true)); // 南 中央 北 → 南 北 中央
    assert!(q.move_answer(0, false)); // → 北 南 中央
    assert!(q.move_answer(2, true)); // → 北 中央 南
    assert!(!q.move_answer(0, true), "the first cannot go up");
    s.set_model(model);
    let t = one(&s, AREA);
    assert_eq!(labels(&t), ["北地区", "中央地区", "南地区", RARE_AREA]);
    assert!(has_cumulative(&t), "the user's order makes it ordered");
    s
}

fn area_after(model: SurveyModel) -> Tabulation {
    let table = common::table(csv().as_bytes());
    one(&Survey::with_model(table, model), AREA)
}

#[test]
fn user_order_survives_the_codebook_sheet() {
    let s = reordered();
    let sheet = codebook::to_csv(&s.model);
    let table = common::table(csv().as_bytes());
    let mut model = SurveyModel::infer(&table);
    let book = Codebook::from_table(&common::table(&sheet), "codebook.csv").unwrap();
    codebook::apply(&mut model, &book, &table);
    let t = area_after(model.clone());
    assert_eq!(labels(&t), ["北地区", "中央地区", "南地区", RARE_AREA]);
    assert!(has_cumulative(&t));
    // The national item keeps the national order and a nominal one stays nominal.
    let direct = one(&Survey::with_model(table, model), DIRECT);
    assert_eq!(
        direct.categories[0].label,
        Item::Direct.national_labels()[0]
    );
    let fresh = codebook::to_csv(&survey().model);
    let mut model = SurveyModel::infer(&common::table(csv().as_bytes()));
    let book = Codebook::from_table(&common::table(&fresh), "codebook.csv").unwrap();
    codebook::apply(&mut model, &book, &common::table(csv().as_bytes()));
    assert!(!has_cumulative(&area_after(model)));
}

#[test]
fn user_order_survives_a_saved_model() {
    let s = reordered();
    let saved = SurveyModel::from_json(&s.model.to_json()).unwrap();
    let table = common::table(csv().as_bytes());
    let mut model = SurveyModel::infer(&table);
    codebook::apply(&mut model, &Codebook::from_model(&saved), &table);
    let t = area_after(model);
    assert_eq!(labels(&t), ["北地区", "中央地区", "南地区", RARE_AREA]);
    assert!(has_cumulative(&t));
}

#[test]
fn user_order_survives_a_share_link_without_the_rare_answer() {
    let s = reordered();
    let (setup, _) = for_link(&s, &AnalysisTemplate::default());
    let link = encode(&setup);
    let back = decode(&link).unwrap();
    let carried = serde_json::to_string(&back).unwrap();
    assert!(!carried.contains(RARE_AREA), "a rare answer stays out");
    let mut other = survey();
    apply_setup(&mut other, &back);
    let t = one(&other, AREA);
    // The receiver's own rare answer goes after the order the link carried.
    assert_eq!(labels(&t), ["北地区", "中央地区", "南地区", RARE_AREA]);
    assert!(has_cumulative(&t));
}
