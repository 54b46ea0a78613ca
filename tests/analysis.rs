//! The table layer against numbers computed independently: the coded fixture (CP932) is
//! read again with the csv crate and encoding_rs, counts and values are extracted by hand
//! from the raw cells, and the statistics must equal those of `tsunagari::stats` on them.
//! Also: the template's JSON round trip and version refusal, a report written as xlsx and
//! read back with calamine, CSV bytes, the national comparison on the bundled sample, and
//! the personal-data gate on every path.

// Indices into the raw rows' matrices read more plainly than iterator chains here.
#![allow(clippy::needless_range_loop)]

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use tsunagari::analysis::layout::{to_csv, to_xlsx};
use tsunagari::analysis::national::{compare, figures, Measure};
use tsunagari::analysis::report::Outcome;
use tsunagari::analysis::TableSpec;
use tsunagari::analysis::{crosstab, means, run, tabulate, AnalysisTemplate, CrosstabSpec, Filter};
use tsunagari::lang::Lang;
use tsunagari::stats;

mod common;
use common::{coded_survey, CODED};

// Columns of the raw file.
const Q1: usize = 1;
const Q3: usize = 5;
const Q4: usize = 6;
const SEX: usize = 12;
const AGE: usize = 13;
const WEIGHT: usize = 15;

/// The fixture's rows, read with the csv crate alone (not through the engine).
fn raw_rows() -> Vec<Vec<String>> {
    let bytes = std::fs::read(CODED).unwrap();
    let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Category of a raw cell: the listed codes in order, then 無回答 (blank or a no-answer
/// code) last; `None` when left out.
fn category(
    value: &str,
    listed: &[&str],
    no_answer: &[&str],
    keep_no_answer: bool,
) -> Option<usize> {
    if let Some(i) = listed.iter().position(|c| *c == value) {
        return Some(i);
    }
    (keep_no_answer && (value.is_empty() || no_answer.contains(&value))).then_some(listed.len())
}

const Q1_CODES: [&str; 5] = ["1", "2", "3", "4", "5"];
const SEX_CODES: [&str; 3] = ["1", "2", "3"];

/// q1 × sex counts from the raw rows kept by `keep`, 無回答 of q1 as the last row.
fn q1_by_sex(
    rows: &[Vec<String>],
    keep: impl Fn(&[String]) -> bool,
    weighted: bool,
) -> Vec<Vec<f64>> {
    let mut m = vec![vec![0.0; 3]; 6];
    for r in rows.iter().filter(|r| keep(r)) {
        let (Some(a), Some(b)) = (
            category(&r[Q1], &Q1_CODES, &["9"], true),
            category(&r[SEX], &SEX_CODES, &[], false),
        ) else {
            continue;
        };
        m[a][b] += if weighted {
            r[WEIGHT].parse::<f64>().unwrap()
        } else {
            1.0
        };
    }
    m
}

/// The matrix the tests are computed on: 無回答 rows and columns as zeros (the tests are
/// on the substantive answers; 無回答 stays in the % only).
fn substantive(
    m: &[Vec<f64>],
    no_answer_rows: &[usize],
    no_answer_cols: &[usize],
) -> Vec<Vec<f64>> {
    m.iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, &x)| {
                    if no_answer_rows.contains(&r) || no_answer_cols.contains(&c) {
                        0.0
                    } else {
                        x
                    }
                })
                .collect()
        })
        .collect()
}

fn as_f64(m: &[Vec<u64>]) -> Vec<Vec<f64>> {
    m.iter()
        .map(|r| r.iter().map(|&x| x as f64).collect())
        .collect()
}

#[test]
fn crosstab_of_two_questions_matches_the_raw_file_and_the_stats_core() {
    let survey = coded_survey();
    let rows = raw_rows();
    let x = crosstab(&survey, &CrosstabSpec::new("q1", "sex")).unwrap();
    assert_eq!(x.tables.len(), 1);
    let t = &x.tables[0];
    let labels: Vec<&str> = t.rows.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "決してない",
            "ほとんどない",
            "たまにある",
            "時々ある",
            "しばしばある・常にある",
            "無回答"
        ]
    );
    let cols: Vec<&str> = t.cols.iter().map(|l| l.label.as_str()).collect();
    // その他・答えたくない is listed in the codebook: kept at 0.
    assert_eq!(cols, ["男性", "女性", "その他・答えたくない"]);
    let want = q1_by_sex(&rows, |_| true, false);
    assert_eq!(as_f64(&t.counts), want);
    assert_eq!(t.n, rows.len() as u64);
    // The tests leave the 無回答 row (5) out; the % keep it (below).
    let answered = substantive(&want, &[5], &[]);
    let tests = stats::crosstab_tests(&answered);
    assert_eq!(t.tests.as_ref().unwrap(), &tests);
    assert!(tests.pearson.is_some() && tests.cramers_v.is_some());
    assert_eq!(tests.dropped_rows, vec![5]);
    assert_eq!(tests.dropped_cols, vec![2]);
    let cp = stats::column_proportions(&answered, 0.05);
    assert_eq!(t.column_proportions.as_ref().unwrap(), &cp);
    for r in 0..6 {
        for c in 0..2 {
            let base: f64 = want.iter().map(|row| row[c]).sum();
            let p = t.col_percent[r][c].unwrap();
            assert!((p - want[r][c] * 100.0 / base).abs() < 1e-12);
            let ci = t.col_percent_ci[r][c].as_ref().unwrap();
            assert_eq!(
                ci,
                &stats::wilson_interval(want[r][c] / base, base, 0.95).unwrap()
            );
        }
    }

    // 無回答 left out: the 9s are gone from the table and the base.
    let spec = CrosstabSpec {
        include_no_answer: false,
        ..CrosstabSpec::new("q1", "sex")
    };
    let t = &crosstab(&survey, &spec).unwrap().tables[0];
    assert_eq!(t.rows.len(), 5);
    assert_eq!(as_f64(&t.counts), want[..5].to_vec());
    assert_eq!(
        t.tests.as_ref().unwrap(),
        &stats::crosstab_tests(&want[..5])
    );
}

#[test]
fn a_two_by_two_table_gets_yates_fisher_and_phi() {
    let survey = coded_survey();
    let rows = raw_rows();
    // 「孤独感がある」計 (derived) × sex, without 無回答: 2 × 2 once その他 (0) is dropped.
    let spec = CrosstabSpec {
        include_no_answer: false,
        ..CrosstabSpec::new(tsunagari::model::national::LONELY_TOTAL, "sex")
    };
    let t = &crosstab(&survey, &spec).unwrap().tables[0];
    let mut m = vec![vec![0.0; 3]; 2];
    for r in &rows {
        let lonely = match r[Q1].as_str() {
            "3" | "4" | "5" => 0,
            "1" | "2" => 1,
            _ => continue,
        };
        m[lonely][category(&r[SEX], &SEX_CODES, &[], false).unwrap()] += 1.0;
    }
    assert_eq!(as_f64(&t.counts), m);
    let tests = t.tests.as_ref().unwrap();
    assert_eq!(tests, &stats::crosstab_tests(&m));
    assert!(tests.two_by_two.as_ref().unwrap().fisher_p.is_some());
}

#[test]
fn multiple_answer_as_rows_uses_respondents_per_column() {
    let survey = coded_survey();
    let rows = raw_rows();
    let x = crosstab(&survey, &CrosstabSpec::new("q4", "sex")).unwrap();
    assert!(x.row.multiple);
    let t = &x.tables[0];
    assert_eq!(t.rows.len(), 6);
    assert_eq!(t.rows[5].label, "特に参加はしていない");
    let mut counts = vec![vec![0.0; 3]; 6];
    let mut bases = vec![0.0; 3];
    for r in &rows {
        let c = category(&r[SEX], &SEX_CODES, &[], false).unwrap();
        let ticked: Vec<usize> = (0..6).filter(|&k| r[Q4 + k] == "1").collect();
        if !ticked.is_empty() {
            bases[c] += 1.0;
        }
        for k in ticked {
            counts[k][c] += 1.0;
        }
    }
    assert_eq!(as_f64(&t.counts), counts);
    assert_eq!(t.col_bases, bases);
    assert!(t.tests.is_none(), "no χ² on a multiple answer");
    for k in 0..6 {
        for c in 0..2 {
            assert!((t.col_percent[k][c].unwrap() - counts[k][c] * 100.0 / bases[c]).abs() < 1e-12);
        }
    }
    assert_eq!(
        t.column_proportions.as_ref().unwrap(),
        &stats::column_proportions_with_bases(&counts, &bases, 0.05)
    );

    // As columns: the row bases are the respondents of each row.
    let t = &crosstab(&survey, &CrosstabSpec::new("sex", "q4"))
        .unwrap()
        .tables[0];
    assert_eq!(t.row_base_counts[..2], [bases[0] as u64, bases[1] as u64]);
    let transposed: Vec<Vec<f64>> = (0..3)
        .map(|c| (0..6).map(|k| counts[k][c]).collect())
        .collect();
    assert_eq!(as_f64(&t.counts), transposed);
    // Two multiple answers cannot be crossed.
    assert!(crosstab(&survey, &CrosstabSpec::new("q4", "q4"))
        .unwrap_err()
        .ja
        .contains("複数回答"));
}

#[test]
fn layer_filter_and_weight() {
    let survey = coded_survey();
    let rows = raw_rows();
    // Layer: one table per sex (その他 and 無回答 have nobody: その他 is listed, so kept).
    let spec = CrosstabSpec {
        layer: Some("sex".into()),
        ..CrosstabSpec::new("q1", "q3")
    };
    let x = crosstab(&survey, &spec).unwrap();
    let layers: Vec<&str> = x
        .tables
        .iter()
        .map(|t| t.layer.as_ref().unwrap().label.as_str())
        .collect();
    assert_eq!(layers, ["男性", "女性", "その他・答えたくない"]);
    let q3_codes = ["1", "2", "3", "4", "5", "6", "7"];
    for (s, t) in x.tables.iter().enumerate().take(2) {
        let mut m = vec![vec![0.0; 8]; 6];
        for r in rows.iter().filter(|r| r[SEX] == SEX_CODES[s]) {
            let a = category(&r[Q1], &Q1_CODES, &["9"], true).unwrap();
            let b = category(&r[Q3], &q3_codes, &["9"], true).unwrap();
            m[a][b] += 1.0;
        }
        assert_eq!(as_f64(&t.counts), m, "layer {s}");
        assert_eq!(
            t.tests.as_ref().unwrap(),
            &stats::crosstab_tests(&substantive(&m, &[5], &[7]))
        );
    }
    assert_eq!(x.tables[2].n, 0);

    // Filter: age 40 and over, women (by label).
    let spec = CrosstabSpec {
        filter: Some(Filter::parse("age >= 40 and sex = 女性").unwrap()),
        ..CrosstabSpec::new("q1", "sex")
    };
    let x = crosstab(&survey, &spec).unwrap();
    let keep = |r: &[String]| r[AGE].parse::<f64>().unwrap() >= 40.0 && r[SEX] == "2";
    assert_eq!(as_f64(&x.tables[0].counts), q1_by_sex(&rows, keep, false));
    assert_eq!(
        x.filtered_out,
        rows.iter().filter(|r| !keep(r)).count() as u64
    );
    // The same by code and with in (…) / or.
    let by_code = Filter::parse("sex in (2) and (age > 39 or age = 40)").unwrap();
    let y = crosstab(
        &survey,
        &CrosstabSpec {
            filter: Some(by_code),
            ..spec.clone()
        },
    )
    .unwrap();
    assert_eq!(x.tables[0].counts, y.tables[0].counts);

    // Weight: weighted sums from the raw weights, χ² on them rescaled to n, Kish n_eff.
    let spec = CrosstabSpec {
        weight: Some("weight".into()),
        ..CrosstabSpec::new("q1", "sex")
    };
    let t = &crosstab(&survey, &spec).unwrap().tables[0];
    let want = q1_by_sex(&rows, |_| true, true);
    let got = t.weighted.as_ref().unwrap();
    assert_eq!(
        got.iter().flatten().count(),
        want.iter().flatten().count(),
        "weighted cells against the hand-computed ones"
    );
    for (a, b) in got.iter().flatten().zip(want.iter().flatten()) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
    let tests = t.tests.as_ref().unwrap();
    assert!(tests.scaled_to_sample_size);
    // On the respondents who answered q1 (無回答 is the last row), rescaled to their number.
    let answered = rows
        .iter()
        .filter(|r| category(&r[Q1], &Q1_CODES, &["9"], false).is_some())
        .count();
    let expected = stats::weighted_crosstab_tests(&substantive(got, &[5], &[]), answered as f64);
    assert_eq!(tests, &expected);
    let ws: Vec<f64> = rows.iter().map(|r| r[WEIGHT].parse().unwrap()).collect();
    let summary = stats::weight_summary(&ws);
    let mine = t.weights.as_ref().unwrap();
    assert!((mine.n_eff.unwrap() - summary.n_eff.unwrap()).abs() < 1e-9);
    // Column n_eff (Kish over the column's weights) gives the column intervals.
    let women: Vec<f64> = rows
        .iter()
        .filter(|r| r[SEX] == "2")
        .map(|r| r[WEIGHT].parse().unwrap())
        .collect();
    let n_eff = stats::weight_summary(&women).n_eff.unwrap();
    assert!((t.col_effective_n[1].unwrap() - n_eff).abs() < 1e-9);
    let p = t.col_percent[0][1].unwrap() / 100.0;
    let ci = t.col_percent_ci[0][1].as_ref().unwrap();
    let want_ci = stats::wilson_interval(p, n_eff, 0.95).unwrap();
    assert!((ci.lower - want_ci.lower).abs() < 1e-9 && (ci.upper - want_ci.upper).abs() < 1e-9);
}

#[test]
fn weighted_tabulation_matches_raw_weights() {
    let survey = coded_survey();
    let rows = raw_rows();
    let f = &tabulate(&survey, "q1", Some("weight"), None).unwrap()[0];
    let total: f64 = rows.iter().map(|r| r[WEIGHT].parse::<f64>().unwrap()).sum();
    for (k, code) in Q1_CODES.iter().enumerate() {
        let w: f64 = rows
            .iter()
            .filter(|r| r[Q1] == *code)
            .map(|r| r[WEIGHT].parse::<f64>().unwrap())
            .sum();
        assert!((f.categories[k].percent.unwrap() - w * 100.0 / total).abs() < 1e-9);
    }
    // Without weight or filter: the file's counts, 無回答 inside the base. (The second
    // tabulator this was compared with, `Survey::tabulate`, is gone: the page and the
    // CLI show this one.)
    let plain = &tabulate(&survey, "q1", None, None).unwrap()[0];
    for (k, code) in Q1_CODES.iter().enumerate() {
        let n = rows.iter().filter(|r| r[Q1] == *code).count();
        let a = &plain.categories[k];
        assert_eq!(a.count, n as u64);
        assert!((a.percent.unwrap() - n as f64 * 100.0 / rows.len() as f64).abs() < 1e-12);
    }
    // A grid gives one table per item.
    assert_eq!(tabulate(&survey, "q2", None, None).unwrap().len(), 3);
}

#[test]
fn means_by_group_equal_the_stats_core_on_raw_values() {
    let survey = coded_survey();
    let rows = raw_rows();
    let m = means(&survey, "age", "sex", Some("weight"), None).unwrap();
    let mut groups = vec![Vec::new(); 3];
    let mut weights = vec![Vec::new(); 3];
    for r in &rows {
        let Ok(age) = r[AGE].parse::<f64>() else {
            continue;
        };
        let g = category(&r[SEX], &SEX_CODES, &[], false).unwrap();
        groups[g].push(age);
        weights[g].push(r[WEIGHT].parse::<f64>().unwrap());
    }
    assert_eq!(m.groups.len(), 3);
    for g in 0..3 {
        assert_eq!(m.groups[g].stats, stats::describe(&groups[g]));
        assert_eq!(
            m.groups[g].weighted.as_ref().unwrap(),
            &stats::describe_weighted(&groups[g], &weights[g])
        );
    }
    assert_eq!(m.anova, stats::one_way_anova(&groups));
    assert_eq!(m.kruskal_wallis, stats::kruskal_wallis(&groups));
    assert_eq!(m.total.stats, stats::describe(&groups.concat()));

    // The UCLA score (derived) by 「孤独感がある」計: missing codes never averaged in.
    let m = means(
        &survey,
        tsunagari::model::national::UCLA_SCORE,
        "q3",
        None,
        None,
    )
    .unwrap();
    let n: usize = m.groups.iter().map(|g| g.stats.n).sum();
    let complete = rows
        .iter()
        .filter(|r| (2..5).all(|k| ["1", "2", "3", "4"].contains(&r[k].as_str())) && r[Q3] != "9")
        .count();
    assert_eq!(n, complete);
    // A free-text column is not a number and is personal.
    assert!(means(&survey, "q5", "sex", None, None).is_err());
}

#[test]
fn personal_columns_are_refused_on_every_path() {
    let survey = coded_survey();
    for spec in [
        CrosstabSpec::new("id", "sex"),
        CrosstabSpec::new("q1", "q5"),
        CrosstabSpec {
            layer: Some("id".into()),
            ..CrosstabSpec::new("q1", "sex")
        },
        CrosstabSpec {
            filter: Some(Filter::parse("q5 = abc").unwrap()),
            ..CrosstabSpec::new("q1", "sex")
        },
        CrosstabSpec {
            weight: Some("id".into()),
            ..CrosstabSpec::new("q1", "sex")
        },
    ] {
        let e = crosstab(&survey, &spec).unwrap_err();
        assert!(
            e.ja.contains("集計に含める") || e.ja.contains("個人"),
            "{spec:?}: {e}"
        );
    }
    assert!(tabulate(&survey, "id", None, None).is_err());
    assert!(means(&survey, "age", "id", None, None).is_err());
    let bad = Filter::parse("nothere = 1").unwrap();
    let e = crosstab(
        &survey,
        &CrosstabSpec {
            filter: Some(bad),
            ..CrosstabSpec::new("q1", "sex")
        },
    )
    .unwrap_err();
    assert!(e.ja.starts_with("フィルター式の1文字目"), "{e}");
}

fn template() -> AnalysisTemplate {
    AnalysisTemplate {
        title: "テスト調査".into(),
        tables: vec![
            TableSpec::Tabulation {
                question: "q1".into(),
                weight: None,
                filter: None,
            },
            TableSpec::Crosstab(CrosstabSpec {
                layer: Some("sex".into()),
                ..CrosstabSpec::new("q1", "q3")
            }),
            TableSpec::Crosstab(CrosstabSpec::new("q4", "sex")),
            TableSpec::Means {
                num: "age".into(),
                by: "sex".into(),
                weight: None,
                filter: Some(Filter::parse("q1 != 9").unwrap()),
            },
            TableSpec::National {
                measure: Measure::Direct,
                weight: None,
                filter: None,
            },
            TableSpec::Crosstab(CrosstabSpec::new("id", "sex")),
        ],
        weight: Some("weight".into()),
        ..AnalysisTemplate::default()
    }
}

#[test]
fn template_round_trips_and_refuses_newer_versions() {
    let t = template();
    let json = t.to_json();
    assert!(json.contains("\"format\": \"tsunagari-analysis\""));
    assert!(json.contains("\"filter\": \"q1 != 9\""));
    assert_eq!(AnalysisTemplate::from_json(&json).unwrap(), t);
    let newer = json.replacen("\"version\": 1", "\"version\": 2", 1);
    assert!(AnalysisTemplate::from_json(&newer)
        .unwrap_err()
        .ja
        .contains("新しい版"));
    assert!(AnalysisTemplate::from_json("{\"format\": \"tsunagari-survey\"}").is_err());
    let bad_filter = json.replace("q1 != 9", "q1 !! 9");
    let e = AnalysisTemplate::from_json(&bad_filter).unwrap_err();
    assert!(e.ja.contains("文字目"), "{e}");
    // A minimal hand-written template.
    let t = AnalysisTemplate::from_json(
        r#"{"format":"tsunagari-analysis","version":1,"tables":[{"type":"crosstab","row":"q1","col":"sex"}]}"#,
    )
    .unwrap();
    assert!(matches!(&t.tables[0], TableSpec::Crosstab(c) if c.include_no_answer));
}

#[test]
fn run_writes_xlsx_and_csv_that_read_back() {
    let survey = coded_survey();
    let report = run(&survey, &template());
    assert_eq!(report.items.len(), 6);
    // The personal column is refused in its item; the others ran, weighted.
    let refused: Vec<usize> = report.refusals().map(|(i, _)| i).collect();
    assert_eq!(refused, vec![5]);
    match &report.items[1].outcome {
        Outcome::Crosstab(c) => {
            assert_eq!(c.weight.as_deref(), Some("weight"));
            assert!(c.tables.iter().all(|t| t.weighted.is_some()));
        }
        other => panic!("{other:?}"),
    }
    let back: tsunagari::analysis::Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(back.items.len(), report.items.len());

    let bytes = to_xlsx(&report, Lang::Ja).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names().to_vec();
    assert_eq!(
        names,
        [
            "1 単純集計",
            "2 クロス集計",
            "3 クロス集計",
            "4 平均",
            "5 全国比較",
            "6 集計できず"
        ]
    );
    let sheet = wb.worksheet_range("1 単純集計").unwrap();
    let title = sheet.get_value((0, 0)).unwrap().to_string();
    assert!(title.starts_with("単純集計"), "{title}");
    // Row 3 (0-based 2) is the header, then 決してない with its count as a number.
    assert_eq!(
        sheet.get_value((3, 0)),
        Some(&Data::String("決してない".into()))
    );
    let nines = raw_rows().iter().filter(|r| r[Q1] == "1").count() as f64;
    assert_eq!(sheet.get_value((3, 1)), Some(&Data::Float(nines)));
    let all: String = sheet
        .rows()
        .flatten()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("|");
    // The workbook is the Japanese report: its notes in Japanese only.
    assert!(
        all.contains("注: ウェイト: weight") && !all.contains("/ weight"),
        "{all}"
    );
    let national = wb.worksheet_range("5 全国比較").unwrap();
    let text: String = national
        .rows()
        .flatten()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        text.contains("R3") && text.contains("wic-net.com"),
        "{text}"
    );

    let csv = to_csv(&report, Lang::Ja);
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    assert_eq!(text.matches("クロス集計: ").count(), 2, "{text}");
    assert!(text.contains("注: ウェイト: weight"), "{text}");
}

#[test]
fn national_comparison_on_the_bundled_sample() {
    let bytes = tsunagari::sample::csv_bytes();
    let survey = common::sample_survey();
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let c = compare(&survey, Measure::Direct, None).unwrap();
    assert_eq!(c.base_count, rows.len() as u64);
    let often = rows
        .iter()
        .filter(|r| r[7] == "しばしばある・常にある")
        .count() as f64
        / rows.len() as f64;
    let row = &c.rows[0];
    assert_eq!(row.category, "しばしばある・常にある");
    assert!((row.local_percent - often * 100.0).abs() < 1e-9);
    let r3 = &row.national[0];
    assert_eq!((r3.edition.as_str(), r3.national_n), ("R3", 11_867));
    assert!(r3.verified);
    let z = stats::two_proportion_z_test(often, rows.len() as f64, 0.045, 11_867.0).unwrap();
    assert_eq!(r3.test.as_ref().unwrap(), &z);
    let verdict = if z.p_value >= 0.05 {
        "有意な差はない"
    } else if often > 0.045 {
        "全国より有意に高い"
    } else {
        "全国より有意に低い"
    };
    assert_eq!(r3.verdict_ja, verdict);
    // R6 has three categories only, from press reports: its しばしば・常に (4.3) is in two
    // independent reports, so checked; 時々ある (15.4) only in one, so not.
    assert_eq!(row.national.len(), 4);
    assert!(row.national[3].verified && row.national[3].confirmed_by.len() == 2);
    let sometimes = c.rows.iter().find(|r| r.category == "時々ある").unwrap();
    assert!(!sometimes.national[3].verified && sometimes.national[3].verdict_ja.contains("未確認"));
    let never = c.rows.iter().find(|r| r.category == "決してない").unwrap();
    assert_eq!(never.national.len(), 3);
    let sum = c
        .rows
        .iter()
        .find(|r| r.category == "「孤独感がある」計")
        .unwrap();
    assert!((sum.national[0].national_percent - 36.4).abs() < 1e-9);

    // Weighted (a constant weight changes nothing but the reported effective n).
    for m in [
        Measure::UclaHigh,
        Measure::ContactNone,
        Measure::NoParticipation,
    ] {
        let c = compare(&survey, m, None).unwrap();
        assert_eq!(c.rows.len(), 1, "{m:?}");
        assert!(c.rows[0].national.iter().all(|e| e.test.is_some()));
    }
    let none = compare(&survey, Measure::NoParticipation, None).unwrap();
    let ticked = rows.iter().filter(|r| r[17] == "1").count() as f64;
    assert!((none.rows[0].local_percent - ticked * 100.0 / rows.len() as f64).abs() < 1e-9);
    assert!(none.notes.iter().any(|n| n.ja.contains("分母から除く")));
    let ucla = figures()
        .into_iter()
        .find(|f| f.measure == Measure::UclaHigh && f.edition == "R4")
        .unwrap();
    assert!(!ucla.verified && ucla.note.contains("グラフ"));
}

#[test]
fn joined_multiple_answer_as_rows_agrees_with_its_tabulation() {
    // Google Forms joins the ticked options in one cell; the crosstab splits them the
    // same way as the simple tabulation (options holding the separator stay whole).
    let survey = common::survey(common::GOOGLE_FORMS);
    let q = "困ったときに相談できる相手（あてはまるものすべて）";
    let tab = &tabulate(&survey, q, None, None).unwrap()[0];
    let x = crosstab(&survey, &CrosstabSpec::new(q, "性別")).unwrap();
    let t = &x.tables[0];
    assert!(x.row.multiple && t.tests.is_none());
    for (k, label) in t.rows.iter().enumerate() {
        let c = tab
            .categories
            .iter()
            .find(|c| c.label == label.label)
            .unwrap();
        assert_eq!(t.counts[k].iter().sum::<u64>(), c.count, "{}", label.label);
    }
    assert_eq!(t.col_base_counts.iter().sum::<u64>(), tab.base_count);
}

/// Issue 15: the national figures cite the official report of their edition, are 「確認済み」
/// only when two independent sources give the same value, and never show an internal file.
#[test]
fn national_figures_cite_the_official_report_and_two_sources() {
    use tsunagari::analysis::national::{figures, official_report};
    let all = figures();
    assert!(!all.is_empty());
    for f in &all {
        assert_eq!(f.source, official_report(&f.edition), "{f:?}");
        assert!(
            f.source.contains("孤独・孤立の実態把握に関する全国調査"),
            "{f:?}"
        );
        assert!(
            f.source.contains("公表")
                && (f.source.contains("内閣官房") || f.source.contains("内閣府"))
        );
        assert_eq!(f.verified, f.confirmed_by.len() >= 2, "{f:?}");
        let mut distinct = f.confirmed_by.clone();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            f.confirmed_by.len(),
            "one source counted twice: {f:?}"
        );
        for text in std::iter::once(&f.source)
            .chain(&f.confirmed_by)
            .chain([&f.note])
        {
            assert!(
                !text.contains(".md") && !text.contains("SURVEY"),
                "internal file named: {text}"
            );
        }
        if !f.verified {
            assert!(!f.note.is_empty(), "an unverified figure says why: {f:?}");
        }
    }
    let find = |edition: &str, category: &str| {
        all.iter()
            .find(|f| f.edition == edition && f.category == category)
            .unwrap()
    };
    // R4: the three 「ある」 shares and their sum appear in two sources; ほとんどない in one.
    assert!(find("R4", "しばしばある・常にある").verified);
    assert!(find("R4", "決してない").verified);
    assert!(!find("R4", "ほとんどない").verified);
    assert!(find("R4", "「孤独感がある」計").verified);
    // The UCLA figure read off a chart is never 「確認済み」.
    assert!(!find("R4", "10～12点（常にある）").verified);
}

/// Issue 15: a filter naming an answer nobody gave (「性別 = 女」 where the answers are 男性 /
/// 女性) is said in the table's notes — tabulation, crosstab and national comparison —
/// instead of a silent n = 0.
#[test]
fn a_filter_value_that_matches_no_answer_is_said() {
    use tsunagari::analysis::national::compare_filtered;
    let survey = common::sample_survey();
    let wrong = Filter::parse("性別 = 女").unwrap();
    let tabs = tabulate(&survey, tsunagari::sample::Q_DIRECT, None, Some(&wrong)).unwrap();
    assert_eq!(tabs[0].base_count, 0);
    let note = tabs[0]
        .notes
        .iter()
        .find(|n| n.ja.contains("「女」と答えた人は「性別」にいません"))
        .unwrap_or_else(|| panic!("{:?}", tabs[0].notes));
    assert!(
        note.ja.contains("女性") && note.ja.contains("男性"),
        "{}",
        note.ja
    );
    let x = crosstab(
        &survey,
        &CrosstabSpec {
            filter: Some(wrong.clone()),
            ..CrosstabSpec::new("年代", tsunagari::sample::Q_DIRECT)
        },
    )
    .unwrap();
    assert!(x.notes.iter().any(|n| n.ja.contains("「女」")));
    let c = compare_filtered(&survey, Measure::Direct, None, Some(&wrong)).unwrap();
    assert!(c
        .notes
        .iter()
        .any(|n| n.en.contains("nobody answered \"女\"")));
    // Written as the answer is: nothing to say.
    let right = Filter::parse("性別 in (女性, 男性)").unwrap();
    let tabs = tabulate(&survey, tsunagari::sample::Q_DIRECT, None, Some(&right)).unwrap();
    assert!(tabs[0].base_count > 0);
    assert!(!tabs[0].notes.iter().any(|n| n.ja.contains("いません")));
}

/// The Japanese label of a laid-out crosstab line (its second cell: 件数, 列%, …).
fn line_label(line: &[tsunagari::analysis::layout::BlockCell]) -> &str {
    match line.get(1) {
        Some(tsunagari::analysis::layout::BlockCell::Text(s)) => s,
        Some(tsunagari::analysis::layout::BlockCell::Word(m)) => &m.ja,
        _ => "",
    }
}

#[test]
fn a_weighted_crosstab_names_its_weight_and_says_what_its_counts_are() {
    use tsunagari::analysis::layout::{crosstab_block, BlockCell};
    let survey = coded_survey();
    let spec = CrosstabSpec {
        weight: Some("weight".into()),
        ..CrosstabSpec::new("q1", "sex")
    };
    let x = crosstab(&survey, &spec).unwrap();
    assert!(
        x.title().ja.contains("［ウェイト: weight］"),
        "{}",
        x.title().ja
    );
    assert!(
        x.title().en.contains("[weight: weight]"),
        "{}",
        x.title().en
    );
    let b = crosstab_block(Default::default(), &x);
    assert!(b.title.ja.contains("ウェイト: weight"), "{}", b.title);
    let t = &x.tables[0];
    // Unweighted counts are called 回答者数, the weighted ones ウェイト付き度数; no bare 件数.
    let labels: Vec<&str> = b.lines.iter().map(|l| line_label(l)).collect();
    assert!(!labels.contains(&"件数"), "{labels:?}");
    let people: Vec<&Vec<BlockCell>> = b
        .lines
        .iter()
        .filter(|l| line_label(l) == "回答者数")
        .collect();
    let weighted: Vec<&Vec<BlockCell>> = b
        .lines
        .iter()
        .filter(|l| line_label(l) == "ウェイト付き度数")
        .collect();
    assert_eq!(people.len(), t.rows.len() + 1);
    assert_eq!(weighted.len(), t.rows.len() + 1);
    assert_eq!(people[0][2], BlockCell::Num(t.counts[0][0] as f64));
    assert_eq!(
        weighted[0][2],
        BlockCell::Num(t.weighted.as_ref().unwrap()[0][0])
    );
    // The note says what the numbers are, with the weight's name.
    let notes = b
        .notes
        .iter()
        .map(|n| n.ja.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        notes.contains("ウェイト「weight」を掛けた集計です"),
        "{notes}"
    );
    assert!(
        notes.contains("「回答者数」はウェイトを掛けない実際の人数"),
        "{notes}"
    );

    // Unweighted: the counts are 件数, and the title names no weight.
    let x = crosstab(&survey, &CrosstabSpec::new("q1", "sex")).unwrap();
    let b = crosstab_block(Default::default(), &x);
    assert!(
        !b.title.ja.contains("ウェイト") && !b.title.ja.contains('［'),
        "{}",
        b.title
    );
    assert!(b.lines.iter().any(|l| line_label(l) == "件数"));
}

#[test]
fn letters_are_laid_out_under_column_percent_only() {
    use tsunagari::analysis::layout::{crosstab_block, BlockCell};
    // Sex strongly related to the answer, with 無回答 in the columns.
    let mut csv = String::from("性別,回答\n");
    for i in 0..220 {
        let sex = if i % 2 == 0 { "男性" } else { "女性" };
        let ans = match (i % 2, i % 10) {
            _ if i >= 200 => "",
            (0, k) if k < 7 => "はい",
            (1, k) if k < 2 => "はい",
            _ => "いいえ",
        };
        csv.push_str(&format!("{sex},{ans}\n"));
    }
    let read = tsunagari::ingest::read_bytes(csv.as_bytes(), Default::default()).unwrap();
    let survey = tsunagari::model::Survey::infer(read.table);
    let x = crosstab(&survey, &CrosstabSpec::new("性別", "回答")).unwrap();
    let t = &x.tables[0];
    assert!(t.cols.last().unwrap().no_answer);
    assert!(
        t.letters.iter().flatten().any(|l| !l.is_empty()),
        "some letters"
    );
    let b = crosstab_block(Default::default(), &x);
    let mut letter_lines = 0;
    for (k, line) in b.lines.iter().enumerate() {
        let has_letter = line.iter().skip(2).any(
            |c| matches!(c, BlockCell::Text(s) if s.chars().any(|ch| ch.is_ascii_uppercase())),
        );
        if has_letter && !line_label(line).is_empty() {
            // Straight under the column % it compares, and labelled so.
            assert_eq!(line_label(line), "列%の比較・残差");
            assert_eq!(line_label(&b.lines[k - 1]), "列%");
            letter_lines += 1;
        }
    }
    assert!(letter_lines > 0);
    // The header letters name the compared columns; 無回答 is not one of them.
    let header = b
        .lines
        .iter()
        .find(|l| line_label(l).is_empty() && l.len() > 3)
        .unwrap();
    let last = match &header[header.len() - 2] {
        BlockCell::Text(s) => s.clone(),
        BlockCell::Word(m) => m.ja.clone(),
        c => panic!("{c:?}"),
    };
    assert_eq!(last, "無回答");
    let notes = b
        .notes
        .iter()
        .map(|n| n.ja.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(notes.contains("列%（縦%）"), "{notes}");
}

/// A numeric question in a report: its summary and histogram bins in the CSV and the
/// workbook (the figures of tests/reference/numeric_summary.json), not one row per age.
#[test]
fn a_numeric_question_in_a_report_is_its_summary_not_a_row_per_value() {
    let survey = common::survey("tests/fixtures/google_forms.csv");
    let template = AnalysisTemplate {
        tables: vec![TableSpec::Tabulation {
            question: "年齢".into(),
            weight: None,
            filter: None,
        }],
        ..AnalysisTemplate::default()
    };
    let report = run(&survey, &template);
    let csv = String::from_utf8(to_csv(&report, Lang::Ja)).unwrap();
    // Python statistics: mean 47.5, SD 21.4799, quartiles 27.75 / 49.5 / 62.5.
    for line in [
        "人数,40",
        "平均,47.5000",
        "標準偏差,21.4799",
        "第1四分位,27.75",
        "中央値,49.50",
        "第3四分位,62.50",
    ] {
        assert!(csv.contains(line), "{line} not in\n{csv}");
    }
    // 29 distinct ages; the report has the histogram's 8 bins, not 29 rows.
    let lines = csv.lines().count();
    assert!(lines < 30, "{lines} lines:\n{csv}");
    assert!(csv.contains("20～29,11"), "{csv}");
    let bytes = to_xlsx(&report, Lang::Ja).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("1 単純集計").unwrap();
    let mean = sheet
        .rows()
        .find(|r| r.first() == Some(&Data::String("平均".into())))
        .expect("the mean's row");
    assert_eq!(mean[1], Data::Float(47.5));
}

/// Issue 15: what a printed report shows — p as 「< 0.001」 or three decimals (never
/// 0.0000), counts with thousands separators, Excel counts without a trailing dot, and the
/// national comparison narrow enough for a page with its sources cited once.
#[test]
fn the_report_reads_as_a_printed_table_should() {
    use tsunagari::analysis::layout::{blocks, display_text, p_text, BlockCell};
    assert_eq!(p_text(0.00001), "< 0.001");
    assert_eq!(p_text(0.0123), "0.012");
    assert_eq!(display_text(&BlockCell::Num(1200.0), Lang::Ja), "1,200");
    assert_eq!(display_text(&BlockCell::Num(1234.5), Lang::En), "1,234.50");
    assert_eq!(display_text(&BlockCell::P(0.0), Lang::Ja), "< 0.001");

    let survey = common::sample_survey();
    let t = AnalysisTemplate::from_json(&format!(
        r#"{{"format":"tsunagari-analysis","version":1,"tables":[
            {{"type":"crosstab","row":"年代","col":"{}"}},
            {{"type":"national","measure":"direct"}}]}}"#,
        tsunagari::sample::Q_DIRECT
    ))
    .unwrap();
    let report = run(&survey, &t);
    let bs = blocks(&report);
    let national = bs
        .iter()
        .find(|b| b.title.ja.starts_with("全国との比較"))
        .unwrap();
    let width = national.lines.iter().map(|l| l.len()).max().unwrap();
    assert!(width <= 13, "{width} columns");
    let cited: Vec<&String> = national
        .notes
        .iter()
        .map(|n| &n.ja)
        .filter(|n| n.starts_with("出典（"))
        .collect();
    // Japanese only in the Japanese notes (the English is the other half of each note).
    for n in &national.notes {
        assert!(!n.ja.contains(" / ") || n.ja.contains("▲ / ▼"), "{}", n.ja);
        assert!(
            !n.ja.contains("base") && !n.ja.contains("weight"),
            "{}",
            n.ja
        );
    }
    assert_eq!(cited.len(), 4, "one citation per edition: {cited:?}");
    assert!(national
        .lines
        .iter()
        .flatten()
        .all(|c| !matches!(c, BlockCell::Text(s) if s.contains("公表"))));
    // p-values are P cells wherever a test is laid out.
    let x = bs.iter().find(|b| b.title.ja.contains("×")).unwrap();
    assert!(x
        .lines
        .iter()
        .flatten()
        .any(|c| matches!(c, BlockCell::P(_))));

    // Excel: no number format ending in a dot-able "#,##0.##".
    let xlsx = to_xlsx(&report, Lang::Ja).unwrap();
    let mut zip = zip_entries(&xlsx);
    let styles = zip.remove("xl/styles.xml").expect("styles");
    assert!(!styles.contains("#,##0.##"), "{styles}");
    assert!(styles.contains("#,##0"));
}

/// The text entries of an xlsx (a zip), by name.
fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = std::collections::HashMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(f.name().unwrap().to_string(), s);
        }
    }
    out
}
