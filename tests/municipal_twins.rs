//! Issue 14's "done when": one municipal survey in the shapes a town really has — labelled
//! CP932 from Excel (question numbers in its headers, 選択/非選択 columns) and its coded
//! twin with a codebook whose question text is under 設問 — gives the same numbers, in the
//! same answer order, with the same national items recognised, in tables, crosstabs, the
//! national comparison, templates, links and aggregates. The fixtures are written by
//! tests/fixtures/make_municipal_fixtures.py from one set of respondents; nothing here
//! knows the expected counts but the files themselves.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;

use tsunagari::analysis::aggregate::aggregate;
use tsunagari::analysis::national::{compare, Measure};
use tsunagari::analysis::report::{run, Outcome};
use tsunagari::analysis::{tabulate, AnalysisTemplate, Tabulation};
use tsunagari::model::codebook::{self, Codebook};
use tsunagari::model::national::Item;
use tsunagari::model::{Survey, SurveyModel};

const LABELLED: &str = "tests/fixtures/municipal_labelled.csv";
const CODED: &str = "tests/fixtures/municipal_coded.csv";
const CODEBOOK: &str = "tests/fixtures/municipal_codebook.csv";
const CODED_Q: &str = "tests/fixtures/municipal_coded_q.csv";
const CODEBOOK_Q: &str = "tests/fixtures/municipal_codebook_q.csv";

fn labelled() -> Survey {
    common::survey(LABELLED)
}

fn coded() -> Survey {
    let table = common::load(CODED);
    let mut model = SurveyModel::infer(&table);
    let book = Codebook::from_table(&common::load(CODEBOOK), CODEBOOK).unwrap();
    codebook::apply(&mut model, &book, &table);
    Survey::with_model(table, model)
}

/// What a reader of a table sees: each answer with its count and % (to 1e-9).
fn seen(tabs: &[Tabulation]) -> Vec<Vec<(String, u64, String)>> {
    tabs.iter()
        .map(|t| {
            t.categories
                .iter()
                .map(|c| {
                    (
                        c.label.clone(),
                        c.count,
                        c.percent.map_or("-".into(), |p| format!("{p:.9}")),
                    )
                })
                .collect()
        })
        .collect()
}

fn tab(survey: &Survey, q: &str) -> Vec<Vec<(String, u64, String)>> {
    seen(&tabulate(survey, q, None, None).unwrap_or_else(|e| panic!("{q}: {e}")))
}

const QUESTIONS: [&str; 7] = ["問1", "問2", "問3", "問4", "問5", "性別", "居住地区"];
/// The one question with no order of its own (a nominal list of areas).
const NOMINAL: &str = "居住地区";

#[test]
fn both_shapes_give_the_same_tables_in_questionnaire_order() {
    let (l, c) = (labelled(), coded());
    assert_eq!(l.table.rows, 1200);
    assert_eq!(c.table.rows, 1200);
    for q in QUESTIONS {
        if q == NOMINAL {
            // Areas have no order but the codebook's: the labelled file lists them as they
            // first appear. Same answers, same counts.
            let sorted = |mut t: Vec<Vec<(String, u64, String)>>| {
                t.iter_mut().for_each(|x| x.sort());
                t
            };
            assert_eq!(sorted(tab(&l, q)), sorted(tab(&c, q)), "{q}");
            continue;
        }
        assert_eq!(tab(&l, q), tab(&c, q), "{q}");
    }
    // Answers in the questionnaire's (national) order, though the file's first rows give
    // them scrambled.
    let labels = |q: &str| -> Vec<String> {
        tab(&l, q)[0]
            .iter()
            .map(|(label, _, _)| label.clone())
            .collect()
    };
    assert_eq!(
        labels("問1"),
        [
            "決してない",
            "ほとんどない",
            "たまにある",
            "時々ある",
            "しばしばある・常にある",
            "無回答"
        ]
    );
    assert_eq!(
        labels("問5"),
        [
            "そう思う",
            "ややそう思う",
            "どちらともいえない",
            "あまりそう思わない",
            "そう思わない",
            "無回答"
        ]
    );
    assert_eq!(
        labels("問3"),
        [
            "週4～5回以上",
            "週2～3回程度",
            "週1回程度",
            "2週間に1回程度",
            "月1回程度",
            "月1回未満",
            "全くない",
            "無回答"
        ]
    );
}

#[test]
fn both_shapes_recognise_the_same_national_items_and_compare_alike() {
    let (l, c) = (labelled(), coded());
    let items = |s: &Survey| -> BTreeSet<String> {
        s.model
            .national
            .iter()
            .map(|m| format!("{:?}", m.item))
            .collect()
    };
    assert_eq!(items(&l), items(&c));
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
        assert!(
            items(&c).contains(&format!("{item:?}")),
            "{item:?} on the coded file"
        );
    }
    for m in Measure::ALL {
        let a = compare(&l, m, None).unwrap_or_else(|e| panic!("{m:?} labelled: {e}"));
        let b = compare(&c, m, None).unwrap_or_else(|e| panic!("{m:?} coded: {e}"));
        assert_eq!(a.rows, b.rows, "{m:?}");
        assert_eq!(a.base_count, b.base_count, "{m:?}");
    }
}

fn template() -> AnalysisTemplate {
    AnalysisTemplate::from_json(
        r#"{"format":"tsunagari-analysis","version":1,"title":"つながり市 住民調査","tables":[
            {"type":"tabulation","question":"問1"},
            {"type":"tabulation","question":"問4"},
            {"type":"crosstab","row":"性別","col":"問1"},
            {"type":"crosstab","row":"居住地区","col":"問5"},
            {"type":"national","measure":"direct"}
        ]}"#,
    )
    .unwrap()
}

/// The numbers of a report, item by item (titles may word a question differently).
fn numbers(survey: &Survey, t: &AnalysisTemplate) -> Vec<String> {
    numbers_of(&run(survey, t))
}

fn numbers_of(report: &tsunagari::analysis::report::Report) -> Vec<String> {
    report
        .items
        .iter()
        .map(|i| match &i.outcome {
            Outcome::Tabulation(tabs) => format!("{:?}", seen(tabs)),
            // Rows by label (a nominal row question has no order of its own); the test
            // statistics do not depend on the order of rows.
            Outcome::Crosstab(x) => format!(
                "{:?}",
                x.tables
                    .iter()
                    .map(|t| {
                        let mut rows: Vec<(String, Vec<u64>)> = t
                            .rows
                            .iter()
                            .map(|r| r.label.clone())
                            .zip(t.counts.iter().cloned())
                            .collect();
                        rows.sort();
                        let p = t.tests.as_ref().and_then(|x| x.pearson.clone());
                        (
                            rows,
                            t.cols.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
                            p.map(|p| (format!("{:.9}", p.statistic), p.df)),
                        )
                    })
                    .collect::<Vec<_>>()
            ),
            Outcome::National(c) => format!("{:?}", c.rows),
            Outcome::Means(m) => format!("{m:?}"),
            Outcome::Refused(r) => panic!("refused: {r}"),
        })
        .collect()
}

#[test]
fn templates_links_and_aggregates_agree_on_both_shapes() {
    let (l, c) = (labelled(), coded());
    let t = template();
    assert_eq!(numbers(&l, &t), numbers(&c, &t), "the same template");

    // A link made on the labelled file, opened on the coded one: the same tables.
    let (setup, _) = tsunagari::share::for_link(&l, &t);
    let setup = tsunagari::share::decode(&tsunagari::share::encode(&setup)).unwrap();
    let mut received = coded();
    tsunagari::share::apply_setup(&mut received, &setup);
    assert_eq!(
        numbers(&l, &t),
        numbers(&received, &setup.template),
        "a link from the labelled file on the coded one"
    );

    // Aggregates: the same published tables (titles aside).
    let cells = |s: &Survey| {
        aggregate(s, &t, Default::default())
            .tables
            .into_iter()
            .map(|x| {
                // Rows by label, with their cells (areas have no order of their own).
                let mut rows: Vec<(String, String)> = x
                    .rows
                    .iter()
                    .zip(&x.cells)
                    .map(|(r, c)| (r.clone(), format!("{c:?}")))
                    .collect();
                rows.sort();
                (rows, x.cols, format!("{:?}", x.col_totals), x.national)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(cells(&l), cells(&c));
}

/// The coded file and its codebook numbered as another town numbers them: 問1 → Q1, 問2_1
/// → Q2_1 …, 性別 → F1, 年齢 → F2, 居住地区 → F3 (the codebook's 設問 keeps the wording).
/// No id of the labelled file's link is found there.
fn coded_renamed() -> Survey {
    let table = common::load(CODED_Q);
    let mut model = SurveyModel::infer(&table);
    let book = Codebook::from_table(&common::load(CODEBOOK_Q), CODEBOOK_Q).unwrap();
    codebook::apply(&mut model, &book, &table);
    Survey::with_model(table, model)
}

#[test]
fn a_link_from_the_labelled_file_meets_a_coded_file_numbered_otherwise() {
    let (l, t) = (labelled(), template());
    let renamed = coded_renamed();
    assert!(renamed.model.question("問1").is_none());
    assert!(renamed.model.question("Q1").is_some());
    let (setup, _) = tsunagari::share::for_link(&l, &t);
    let setup = tsunagari::share::decode(&tsunagari::share::encode(&setup)).unwrap();
    let mut received = renamed;
    let report = tsunagari::share::apply_setup(&mut received, &setup);
    assert_eq!(
        numbers(&l, &t),
        numbers(&received, &setup.template),
        "a link from the labelled file on the coded one numbered Q1 …"
    );
    // Word for word: titles too (the questions take the sender's ids and labels). Only the
    // national comparison's title names the file's own column (「問1　あなたは…」 / Q1).
    let text = |s: &Survey| {
        use tsunagari::analysis::layout::{blocks, to_text};
        let blocks = blocks(&run(s, &setup.template));
        assert_eq!(blocks.len(), 5);
        let mut text: Vec<String> = blocks.iter().map(to_text).collect();
        text[4] = text[4].split_once('\n').unwrap().1.to_string();
        text
    };
    assert_eq!(text(&l), text(&received));
    // Each shared question says what it met and how; nothing stays unmatched.
    let how = |q: &str| {
        let r = report.matching.rows.iter().find(|r| r.shared == q).unwrap();
        (r.mine.clone().unwrap_or_default(), r.message().ja)
    };
    // 問1 is the national direct question in both; 問5 is the town's own.
    assert_eq!(how("問1").0, "Q1");
    assert!(
        how("問1").1.contains("全国調査の同じ設問"),
        "{:?}",
        how("問1")
    );
    assert_eq!(how("問5").0, "Q5");
    assert!(
        how("問5").1.contains("同じ問番号（Q5）"),
        "{:?}",
        how("問5")
    );
    assert_eq!(how("問4").0, "Q4");
    assert!(
        how("問4").1.contains("列は選択肢の名前で対応"),
        "{:?}",
        how("問4")
    );
    assert_eq!(how("性別").0, "F1");
    assert_eq!(how("年齢").0, "F2");
    assert_eq!(how("居住地区").0, "F3");
    assert!(
        how("居住地区").1.contains("文言が似ている"),
        "{:?}",
        how("居住地区")
    );
    assert_eq!(
        report.matching.unmatched().count(),
        0,
        "{:?}",
        report.matching
    );
}

/// The page's order, through the worker's `Session`: the link opened first, the coded file
/// numbered Q1 … dropped (the setup goes on a file with no labels yet), its codebook
/// picked next (the page then applies the setup again), and choices on the matching
/// screen. The report is the labelled file's each time the setup is (re)applied.
#[test]
fn the_page_order_link_then_file_then_codebook_gives_the_same_tables() {
    use tsunagari::app::session::{Reply, Request, Session};
    let (l, t) = (labelled(), template());
    let (setup, _) = tsunagari::share::for_link(&l, &t);
    let setup = tsunagari::share::decode(&tsunagari::share::encode(&setup)).unwrap();
    let mut session = Session::default();
    let bytes = std::fs::read(CODED_Q).unwrap();
    session.loaded(tsunagari::ingest::read_bytes(&bytes, Default::default()).unwrap());
    let apply = |session: &mut Session, map: Vec<(String, String)>| {
        let reply = session.handle(Request::ApplySetup {
            setup: Box::new(setup.clone()),
            map,
        });
        let Reply::SetupApplied(view) = reply else {
            panic!("{reply:?}")
        };
        view.matching.unwrap()
    };
    let report = |session: &mut Session| match session
        .handle(Request::RunReport(Box::new(setup.template.clone())))
    {
        Reply::Report(r) => *r,
        other => panic!("{other:?}"),
    };
    // Without its codebook, Q1 … are bare codes: 性別 can't meet F1 yet.
    let first = apply(&mut session, Vec::new());
    assert!(first.unmatched().any(|r| r.shared == "性別"), "{first:?}");
    let reply = session.handle(Request::ApplyCodebook {
        name: "municipal_codebook_q.csv".into(),
        bytes: std::fs::read(CODEBOOK_Q).unwrap(),
    });
    assert!(matches!(reply, Reply::Model(_)), "{reply:?}");
    let after = apply(&mut session, Vec::new());
    assert_eq!(after.unmatched().count(), 0, "{after:?}");
    let want = numbers_of(&run(&l, &t));
    assert_eq!(
        numbers_of(&report(&mut session)),
        want,
        "after the codebook"
    );
    // The user sets 居住地区 to none, then back to F3: the tables follow each time.
    apply(&mut session, vec![("居住地区".into(), String::new())]);
    assert!(matches!(
        report(&mut session).items[3].outcome,
        Outcome::Refused(_)
    ));
    let chosen = apply(&mut session, vec![("居住地区".into(), "F3".into())]);
    assert!(chosen
        .rows
        .iter()
        .any(|r| r.shared == "居住地区" && r.how == Some(tsunagari::share::matching::How::Chosen)));
    assert_eq!(
        numbers_of(&report(&mut session)),
        want,
        "after the user's choice"
    );
}
