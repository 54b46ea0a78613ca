//! Municipalities side by side (`analysis::municipal`), on aggregates made the way a town
//! makes them: a template run on a real file (the coded fixture with its codebook, the
//! Google Forms export, the bundled sample, a town of a handful of people cut from it),
//! then disclosure control. Every % is checked against counts this test takes from the
//! file's column itself, and every 「x」 against the file's true count.

use std::collections::HashMap;

use tsunagari::analysis::aggregate::{aggregate, Aggregate, Count};
use tsunagari::analysis::municipal::{compare, questions, Comparison, TownShare};
use tsunagari::analysis::national::figures;
use tsunagari::analysis::{run, AnalysisTemplate, Measure};
use tsunagari::disclosure::Rules;
use tsunagari::model::national::Item;
use tsunagari::model::Survey;
use tsunagari::table::Table;

mod common;
use common::{coded_survey as coded, sample_survey as sample, table};

const DIRECT_GF: &str = "あなたはどの程度、孤独であると感じることがありますか。";
const DIRECT_SAMPLE: &str = "問1 あなたはどの程度、孤独であると感じることがありますか。";
/// The national codes of the direct question (the questionnaire's, not a result).
const DIRECT: [&str; 5] = [
    "決してない",
    "ほとんどない",
    "たまにある",
    "時々ある",
    "しばしばある・常にある",
];

fn forms() -> Survey {
    common::survey(common::GOOGLE_FORMS)
}

fn aggregate_of(survey: &Survey, template: &str) -> Aggregate {
    let t = AnalysisTemplate::from_json(template).unwrap();
    let report = run(survey, &t);
    assert_eq!(report.refusals().count(), 0, "{}", report.to_json());
    let a = aggregate(survey, &t, Rules::default());
    // What a town sends is the JSON: read it back as the page does.
    Aggregate::from_json(&a.to_json(), "town.json").unwrap()
}

fn template(tables: &[(&str, Option<&str>)]) -> String {
    let items: Vec<String> = tables
        .iter()
        .map(|(q, filter)| match filter {
            Some(f) => format!(
                r#"{{"type":"tabulation","question":{},"filter":{}}}"#,
                serde_json::to_string(q).unwrap(),
                serde_json::to_string(f).unwrap()
            ),
            None => format!(
                r#"{{"type":"tabulation","question":{}}}"#,
                serde_json::to_string(q).unwrap()
            ),
        })
        .collect();
    format!(
        r#"{{"format":"tsunagari-analysis","version":1,"tables":[{}]}}"#,
        items.join(",")
    )
}

/// The four towns: coded (with the multiple answer and contact), forms, sample (with an
/// area nobody else asks), and the sample's few who left 性別 blank (a small base).
fn towns() -> Vec<(String, Aggregate)> {
    vec![
        (
            "甲市".into(),
            aggregate_of(
                &coded(),
                &template(&[("q1", None), ("sex", None), ("q4", None), ("q3", None)]),
            ),
        ),
        (
            "乙町".into(),
            aggregate_of(&forms(), &template(&[(DIRECT_GF, None), ("性別", None)])),
        ),
        (
            "丙村".into(),
            aggregate_of(
                &sample(),
                &template(&[(DIRECT_SAMPLE, None), ("性別", None), ("居住地区", None)]),
            ),
        ),
        (
            "丁区".into(),
            aggregate_of(&few(), &template(&[(DIRECT_SAMPLE, None)])),
        ),
    ]
}

/// A town of a few people (a base under 10): the sample's respondents who left 性別
/// blank, as a file of their own. (A filtered table of a bigger town is not comparable
/// with other towns' whole surveys: its title says the filter, and it meets only the same
/// filter elsewhere.)
fn few() -> Survey {
    let bytes = tsunagari::sample::csv_bytes();
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let header = r.headers().unwrap().clone();
    let sex = header.iter().position(|c| c == "性別").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[sex].trim().is_empty() {
            w.write_record(&rec).unwrap();
        }
    }
    Survey::infer(table(&w.into_inner().unwrap()))
}

fn refs(towns: &[(String, Aggregate)]) -> Vec<(&str, &Aggregate)> {
    towns.iter().map(|(n, a)| (n.as_str(), a)).collect()
}

/// Answers of the direct question counted straight from a column: national label → n
/// (blank and the codebook's 9 as 無回答), and the rows counted. `keep` picks rows.
fn direct_counts(
    t: &Table,
    column: &str,
    coded: bool,
    keep: impl Fn(usize) -> bool,
) -> (HashMap<String, u64>, u64) {
    let col = t.column(column).unwrap();
    let mut out: HashMap<String, u64> = HashMap::new();
    let mut n = 0;
    for i in 0..t.rows {
        if !keep(i) {
            continue;
        }
        let v = col.value(i).trim().to_string();
        let label = if v.is_empty() || v == "9" {
            "無回答".to_string()
        } else if coded {
            DIRECT[v.parse::<usize>().unwrap() - 1].to_string()
        } else {
            v
        };
        *out.entry(label).or_default() += 1;
        n += 1;
    }
    (out, n)
}

fn percent_of(row: &[TownShare], categories: &[String], label: &str) -> TownShare {
    let i = categories.iter().position(|c| c == label).unwrap();
    row[i].clone()
}

/// Every cell of a town's row against the true counts: shown ones are count / n, hidden
/// ones are exactly the small counts (or their complements), and the hidden share is the
/// true counts of the hidden answers together.
fn check_town(c: &Comparison, town: &str, truth: &HashMap<String, u64>, n: u64) {
    let row = c.rows.iter().find(|r| r.name == town).unwrap();
    assert_eq!(row.n, Count::Shown(n), "{town}");
    assert_eq!(row.small_base, n < 10, "{town}");
    let mut hidden_true = 0;
    assert_eq!(
        row.cells.len(),
        c.categories.len(),
        "{town}: cells against categories"
    );
    for (cat, cell) in c.categories.iter().zip(&row.cells) {
        let want = truth.get(cat).copied();
        match cell {
            TownShare::Percent { percent, count } => {
                let want = want.unwrap_or(0);
                assert_eq!(*count, want, "{town} {cat}");
                assert!(
                    (percent - want as f64 * 100.0 / n as f64).abs() < 1e-9,
                    "{town} {cat}: {percent}"
                );
            }
            TownShare::Hidden => {
                let w = want.expect("a hidden answer has someone in it");
                assert!(w > 0, "{town} {cat}");
                hidden_true += w;
            }
            TownShare::Absent => assert_eq!(want, None, "{town} {cat} is in the file"),
        }
    }
    // Two or more hidden per line, or none (complementary suppression).
    let hidden = row
        .cells
        .iter()
        .filter(|c| **c == TownShare::Hidden)
        .count();
    assert!(
        hidden != 1,
        "{town}: a lone hidden cell could be worked out"
    );
    // Anyone in an answer of 1–2 is hidden.
    for (cat, cell) in c.categories.iter().zip(&row.cells) {
        if truth.get(cat).is_some_and(|&v| v > 0 && v < 3) {
            assert_eq!(*cell, TownShare::Hidden, "{town} {cat}");
        }
    }
    match row.hidden_percent {
        Some(p) => assert!((p - hidden_true as f64 * 100.0 / n as f64).abs() < 1e-9),
        None => assert_eq!(hidden_true, 0, "{town}"),
    }
}

#[test]
fn the_direct_question_side_by_side_with_the_national_figures() {
    let towns = towns();
    let files = refs(&towns);
    // Every town's direct question was recognised and says so in the file.
    for (name, a) in &files {
        assert_eq!(a.tables[0].national, Some(Item::Direct), "{name}");
    }
    let qs = questions(&files);
    let direct = qs
        .iter()
        .find(|q| q.national == Some(Item::Direct))
        .unwrap();
    assert!(direct.common());
    assert_eq!(qs[0].key, direct.key, "common questions come first");
    let c = compare(&files, &direct.key).unwrap();
    assert!(c.missing.is_empty() && !c.multiple);
    assert_eq!(c.rows.len(), 4);
    // The towns' orders differ (Forms lists answers as first given); the national labels
    // are the union, 無回答 last.
    let mut want: Vec<String> = DIRECT.iter().map(|s| s.to_string()).collect();
    want.push("無回答".into());
    let mut got = c.categories.clone();
    assert_eq!(got.pop().as_deref(), Some("無回答"));
    got.push("無回答".into());
    got.sort();
    want.sort();
    assert_eq!(got, want);

    let coded = coded();
    let (truth, n) = direct_counts(&coded.table, "q1", true, |_| true);
    check_town(&c, "甲市", &truth, n);
    // The coded file has 2 who left it blank (9) and 6 「しばしば」: both hidden.
    assert_eq!(truth["無回答"], 2);
    assert_eq!(
        percent_of(&c.rows[0].cells, &c.categories, "無回答"),
        TownShare::Hidden
    );
    let forms = forms();
    let (truth, n) = direct_counts(&forms.table, DIRECT_GF, false, |_| true);
    check_town(&c, "乙町", &truth, n);
    let sample = sample();
    let (truth, n) = direct_counts(&sample.table, DIRECT_SAMPLE, false, |_| true);
    check_town(&c, "丙村", &truth, n);
    assert!(c.rows[2]
        .cells
        .iter()
        .all(|x| matches!(x, TownShare::Percent { .. })));
    let sex = sample.table.column("性別").unwrap();
    let (truth, n) = direct_counts(&sample.table, DIRECT_SAMPLE, false, |i| {
        sex.value(i).trim().is_empty()
    });
    assert!(n > 0 && n < 10);
    check_town(&c, "丁区", &truth, n);

    // National rows: each edition's published % under the same answer, R6 unverified.
    let figs: Vec<_> = figures()
        .into_iter()
        .filter(|f| f.measure == Measure::Direct)
        .collect();
    let editions: Vec<&str> = c.national_rows.iter().map(|r| r.edition.as_str()).collect();
    assert_eq!(editions, ["R3", "R4", "R5", "R6"]);
    for r in &c.national_rows {
        assert_eq!(
            r.cells.len(),
            c.categories.len(),
            "{}: national cells against categories",
            r.edition
        );
        for (cat, p) in c.categories.iter().zip(&r.cells) {
            let f = figs
                .iter()
                .find(|f| f.edition == r.edition && &f.category == cat);
            assert_eq!(p.as_ref(), f.map(|f| &f.percent), "{} {cat}", r.edition);
        }
        // A row is checked only when every figure in it is (two independent sources).
        let used: Vec<_> = figs
            .iter()
            .filter(|f| f.edition == r.edition && c.categories.contains(&f.category))
            .collect();
        assert_eq!(r.verified, used.iter().all(|f| f.verified), "{}", r.edition);
        assert_eq!(r.label.contains("未確認"), !r.verified);
    }
    // The chart's national bar: the latest edition publishing every answer.
    assert_eq!(c.chart_national().unwrap().edition, "R5");
}

#[test]
fn questions_common_to_all_and_those_some_files_lack() {
    let towns = towns();
    let files = refs(&towns);
    let qs = questions(&files);
    let by = |item: Item| qs.iter().find(|q| q.national == Some(item)).unwrap();
    // 性別: "sex" in one file, 「性別」 in two; the national item ties them; the small
    // town did not tabulate it.
    assert_eq!(by(Item::Sex).present, [true, true, true, false]);
    assert_eq!(by(Item::Participation).present, [true, false, false, false]);
    let area = qs.iter().find(|q| q.title == "居住地区").unwrap();
    assert_eq!(area.national, None);
    assert_eq!(area.present, [false, false, true, false]);
    assert_eq!(qs.iter().filter(|q| q.common()).count(), 1);
    let c = compare(&files, &area.key).unwrap();
    assert_eq!(c.missing, ["甲市", "乙町", "丁区"]);
    assert!(c.national_rows.is_empty());
    assert!(c.notes.iter().any(|n| n.ja.contains("甲市、乙町、丁区")));
    let sex = compare(&files, &by(Item::Sex).key).unwrap();
    assert_eq!(sex.missing, ["丁区"]);
    // 「その他・答えたくない」 is in two files' codebooks, not in the Forms export.
    let other = sex
        .categories
        .iter()
        .position(|c| c == "その他・答えたくない")
        .unwrap();
    assert_eq!(sex.rows[1].cells[other], TownShare::Absent);
    assert!(compare(&files, "title:nothing").is_none());
}

#[test]
fn a_multiple_answer_is_a_share_of_respondents() {
    let towns = towns();
    let files = refs(&towns);
    let key = questions(&files)
        .into_iter()
        .find(|q| q.national == Some(Item::Participation))
        .unwrap()
        .key;
    let c = compare(&files, &key).unwrap();
    assert!(c.multiple);
    let survey = coded();
    let cols: Vec<_> = (1..=6)
        .map(|k| survey.table.column(&format!("q4s{k}")).unwrap())
        .collect();
    let ticked = |i: usize, k: usize| cols[k].value(i).trim() == "1";
    let respondents = (0..survey.table.rows)
        .filter(|&i| (0..6).any(|k| ticked(i, k)))
        .count() as u64;
    let row = &c.rows[0];
    assert_eq!(row.n, Count::Shown(respondents));
    let mut hidden = 0;
    for (k, cell) in row.cells.iter().enumerate() {
        let n = (0..survey.table.rows).filter(|&i| ticked(i, k)).count() as u64;
        match cell {
            TownShare::Percent { percent, count } => {
                assert_eq!(*count, n);
                assert!((percent - n as f64 * 100.0 / respondents as f64).abs() < 1e-9);
            }
            TownShare::Hidden => hidden += n,
            TownShare::Absent => panic!("every option is in the file"),
        }
    }
    assert!(hidden > 0);
    let p = row.hidden_percent.unwrap();
    assert!((p - hidden as f64 * 100.0 / respondents as f64).abs() < 1e-9);
    // The national figure is given for 「特に参加はしていない」 only (unverified).
    let none = c
        .categories
        .iter()
        .position(|x| x == "特に参加はしていない")
        .unwrap();
    let r6 = c.national_rows.iter().find(|r| r.edition == "R6").unwrap();
    assert_eq!(r6.cells[none], Some(50.6));
    assert_eq!(r6.cells.iter().flatten().count(), 1);
    assert!(!r6.verified);
}

#[test]
fn other_files_and_newer_versions_are_refused_by_name() {
    let towns = towns();
    let json = towns[0].1.to_json();
    let newer = json.replacen("\"version\": 1", "\"version\": 2", 1);
    let e = Aggregate::from_json(&newer, "県の集計.json").unwrap_err();
    assert!(
        e.ja.contains("「県の集計.json」") && e.ja.contains("新しい版"),
        "{}",
        e.ja
    );
    assert!(e.en.contains("\"県の集計.json\"") && e.en.contains("newer"));
    let template = template(&[("q1", None)]);
    let e = Aggregate::from_json(&template, "template.json").unwrap_err();
    assert!(e
        .ja
        .contains("「template.json」は集計ファイルではありません"));
    let e = Aggregate::from_json("{ not json", "壊れた.json").unwrap_err();
    assert!(
        e.ja.contains("「壊れた.json」") && e.ja.contains("1行"),
        "{}",
        e.ja
    );
    // A version-1 file written before `national` and `respondents` existed still reads.
    let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
    for t in old["tables"].as_array_mut().unwrap() {
        let t = t.as_object_mut().unwrap();
        t.remove("national");
        t.remove("respondents");
    }
    let old = Aggregate::from_json(&old.to_string(), "old.json").unwrap();
    assert!(old.tables.iter().all(|t| t.national.is_none()));
    assert_eq!(old.tables[0].cells, towns[0].1.tables[0].cells);
    // Hand-edited lengths are refused, not trusted.
    let mut bad: serde_json::Value = serde_json::from_str(&json).unwrap();
    bad["tables"][0]["cells"].as_array_mut().unwrap().pop();
    let e = Aggregate::from_json(&bad.to_string(), "bad.json").unwrap_err();
    assert!(e.ja.contains("行・列の数が合いません"), "{}", e.ja);
}

#[test]
fn files_without_the_national_field_still_match_by_title() {
    // Two old files of the same town layout: matched by the folded title alone.
    let a = towns().remove(2).1;
    let mut b = a.clone();
    for t in &mut b.tables {
        t.national = None;
    }
    let files = vec![("新", &a), ("旧", &b)];
    let qs = questions(&files);
    assert!(qs.iter().all(|q| q.common()), "{qs:?}");
    let c = compare(&files, &qs[0].key).unwrap();
    assert_eq!(c.rows[0].cells, c.rows[1].cells);
}
