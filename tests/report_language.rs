//! Issue 15 items 1 and 5: a report in Japanese holds no English word the app wrote, and
//! one in English no Japanese the app wrote — in the blocks as the page and print show
//! them, the CSV, the workbook and the charts. The data are the same in either language
//! and are taken out first: the file's values and column names, the model's question
//! texts and answer labels, and the national figures' own categories and citations (the
//! national report's titles are Japanese documents).
//!
//! The report: the bundled sample (three tabulations, one of them the national template's
//! UCLA groups, a numeric one, two crosstabs, a national comparison) and the coded fixture
//! under a weight (weighted tables, a layer, a multiple answer, means).

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use tsunagari::analysis::layout::{blocks, display_text, to_csv, to_xlsx};
use tsunagari::analysis::national::{figures, official_report, Measure, EDITIONS};
use tsunagari::analysis::report::{Outcome, Report};
use tsunagari::analysis::{run, AnalysisTemplate, CrosstabSpec, TableSpec};
use tsunagari::chart::{bars_svg, crosstab_svg, histogram_svg, national_svg};
use tsunagari::lang::Lang;
use tsunagari::model::national::{AGE_GROUPS, LONELY_TOTAL, UCLA_GROUPS, UCLA_SCORE};
use tsunagari::model::Survey;

mod common;

/// English words the Japanese report may hold: names of formats and of the UCLA scale.
const ALLOWED_IN_JAPANESE: [&str; 4] = ["CSV", "PDF", "URL", "UCLA"];

fn tab(q: &str) -> TableSpec {
    TableSpec::Tabulation {
        question: q.into(),
        weight: None,
        filter: None,
    }
}

/// The sample: 3 tabulations (+ a numeric one), 2 crosstabs, 1 national comparison.
fn sample_report() -> (Survey, Report) {
    let survey = common::sample_survey();
    assert!(
        survey.question(UCLA_GROUPS).is_some(),
        "the sample has the national template's variables"
    );
    let template = AnalysisTemplate {
        tables: vec![
            tab(tsunagari::sample::Q_DIRECT),
            tab("性別"),
            tab(UCLA_GROUPS),
            tab(UCLA_SCORE),
            TableSpec::Crosstab(CrosstabSpec::new("年代", tsunagari::sample::Q_DIRECT)),
            TableSpec::Crosstab(CrosstabSpec::new("性別", UCLA_GROUPS)),
            TableSpec::National {
                measure: Measure::Direct,
                weight: None,
                filter: None,
            },
        ],
        ..AnalysisTemplate::default()
    };
    let report = run(&survey, &template);
    assert_eq!(report.refusals().count(), 0, "{report:?}");
    (survey, report)
}

/// The coded fixture under its weight: weighted counts, a layer, a multiple answer, means.
fn weighted_report() -> (Survey, Report) {
    let survey = common::coded_survey();
    let template = AnalysisTemplate {
        tables: vec![
            tab("q1"),
            tab("age"),
            TableSpec::Crosstab(CrosstabSpec {
                layer: Some("sex".into()),
                ..CrosstabSpec::new("q1", "q3")
            }),
            TableSpec::Crosstab(CrosstabSpec::new("q4", "sex")),
            TableSpec::Means {
                num: "age".into(),
                by: "sex".into(),
                weight: None,
                filter: None,
            },
            TableSpec::National {
                measure: Measure::Direct,
                weight: None,
                filter: None,
            },
        ],
        weight: Some("weight".into()),
        ..AnalysisTemplate::default()
    };
    let report = run(&survey, &template);
    assert_eq!(report.refusals().count(), 0, "{report:?}");
    (survey, report)
}

/// Every text that comes from the data, not from the app: the file's column names and
/// values, the questions' texts and labels (of the file's questions; of the national
/// template's variables the answer groups only, which are the national report's own
/// categories — their names are the app's and are translated), the national figures'
/// categories, editions, notes and sources.
fn data_texts(survey: &Survey) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for c in &survey.table.columns {
        out.insert(c.name.clone());
        out.extend(c.values.iter().map(|v| v.to_string()));
    }
    let made = [UCLA_SCORE, UCLA_GROUPS, LONELY_TOTAL, AGE_GROUPS];
    for q in survey.questions() {
        if !made.contains(&q.id.as_str()) {
            out.extend([q.id.clone(), q.label.clone(), q.text.clone()]);
            out.extend(q.columns.iter().cloned());
            out.extend(q.item_texts.iter().cloned());
        }
        for v in &q.values {
            out.extend([v.code.clone(), v.label.clone()]);
        }
    }
    for f in figures() {
        out.extend([f.category, f.edition, f.source, f.note]);
        out.extend(f.confirmed_by);
    }
    for (e, _) in EDITIONS {
        out.insert(official_report(e).to_string());
    }
    out.remove("");
    // Longest first, so that a label is taken out before a shorter one inside it.
    let mut v: Vec<String> = out.into_iter().collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    v
}

/// The report's texts in `lang` as each writer makes them: the blocks as the page and
/// print show them, the CSV, the workbook's cells and sheet names.
fn report_texts(report: &Report, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in blocks(report) {
        out.push(("page title".into(), b.title.pick(lang).to_string()));
        for line in &b.lines {
            for c in line {
                out.push(("page cell".into(), display_text(c, lang)));
            }
        }
        for n in &b.notes {
            out.push(("page note".into(), n.pick(lang).to_string()));
        }
    }
    let csv = String::from_utf8(to_csv(report, lang)).unwrap();
    for line in csv.lines() {
        out.push(("csv".into(), line.to_string()));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(to_xlsx(report, lang).unwrap())).unwrap();
    for name in wb.sheet_names().to_vec() {
        out.push(("sheet name".into(), name.clone()));
        let range = wb.worksheet_range(&name).unwrap();
        for c in range.rows().flatten() {
            out.push((format!("xlsx {name}"), c.to_string()));
        }
    }
    out
}

/// The charts of the report's items in `lang`: every text a reader sees (text elements,
/// the title and description, the aria-label).
fn chart_texts(report: &Report, lang: Lang) -> Vec<(String, String)> {
    let mut svgs = Vec::new();
    for item in &report.items {
        match &item.outcome {
            Outcome::Tabulation(tabs) => {
                for t in tabs {
                    svgs.push(histogram_svg(t, lang).unwrap_or_else(|| bars_svg(t, lang)));
                }
            }
            Outcome::Crosstab(x) => {
                for t in &x.tables {
                    svgs.push(crosstab_svg(t, x, lang));
                }
            }
            Outcome::National(c) => svgs.push(national_svg(c, lang)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, svg) in svgs.iter().enumerate() {
        let doc = roxmltree::Document::parse(&svg.svg).unwrap();
        for n in doc.descendants() {
            if let Some(a) = n.attribute("aria-label") {
                out.push((format!("chart {k} aria-label"), a.to_string()));
            }
            if n.is_text() {
                let text = n.text().unwrap_or("").trim();
                if !text.is_empty() {
                    out.push((format!("chart {k}"), text.to_string()));
                }
            }
        }
    }
    out
}

/// ASCII words of three letters or more; not the crosstab's column letters (「CDE▲▲」:
/// capitals in alphabetical order, each naming a column).
fn english_words(s: &str) -> Vec<String> {
    let letters = |w: &str| {
        w.bytes().all(|b| b.is_ascii_uppercase()) && w.as_bytes().windows(2).all(|p| p[0] < p[1])
    };
    s.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !letters(w))
        .map(String::from)
        .collect()
}

fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

/// English words the app wrote into a Japanese report: words neither in the data nor in
/// the short list of allowed names.
fn english_in_japanese(texts: &[(String, String)], data: &[String]) -> Vec<String> {
    let data_words: BTreeSet<String> = data.iter().flat_map(|d| english_words(d)).collect();
    let mut found = Vec::new();
    for (place, text) in texts {
        for w in english_words(text) {
            if !data_words.contains(&w) && !ALLOWED_IN_JAPANESE.contains(&w.as_str()) {
                found.push(format!("{place}: {w:?} in {text:?}"));
            }
        }
    }
    found
}

/// Japanese the app wrote into an English report: what is left of each text once the
/// data are taken out. A chart wraps a long label over lines and cuts it with 「…」, and
/// its unit line drops a question's final 「。」: there, a run of Japanese that is part of
/// a datum is data too.
fn japanese_in_english(texts: &[(String, String)], data: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (place, text) in texts {
        let mut rest = text.clone();
        for d in data {
            if rest.contains(d.as_str()) {
                rest = rest.replace(d.as_str(), " ");
            }
        }
        let runs: Vec<&str> = rest
            .split(|c: char| !is_japanese(c))
            .filter(|r| !r.is_empty())
            .collect();
        let left: Vec<&&str> = runs
            .iter()
            .filter(|r| !(place.starts_with("chart") && data.iter().any(|d| d.contains(**r))))
            .collect();
        if !left.is_empty() {
            found.push(format!("{place}: {left:?} (from {text:?})"));
        }
    }
    found
}

#[test]
fn a_japanese_report_holds_no_english_the_app_wrote() {
    for (survey, report) in [sample_report(), weighted_report()] {
        let data = data_texts(&survey);
        let mut texts = report_texts(&report, Lang::Ja);
        texts.extend(chart_texts(&report, Lang::Ja));
        let found = english_in_japanese(&texts, &data);
        assert!(
            found.is_empty(),
            "{} English words:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}

#[test]
fn an_english_report_holds_no_japanese_the_app_wrote() {
    for (survey, report) in [sample_report(), weighted_report()] {
        let data = data_texts(&survey);
        let mut texts = report_texts(&report, Lang::En);
        texts.extend(chart_texts(&report, Lang::En));
        let found = japanese_in_english(&texts, &data);
        assert!(
            found.is_empty(),
            "{} Japanese texts:\n{}",
            found.len(),
            found.join("\n")
        );
    }
}

#[test]
fn english_charts_and_tables_speak_english() {
    let (_, report) = sample_report();
    let texts: Vec<String> = report_texts(&report, Lang::En)
        .into_iter()
        .chain(chart_texts(&report, Lang::En))
        .map(|(_, t)| t)
        .collect();
    for want in [
        "unit: %",
        "Frequencies: UCLA loneliness score groups",
        "Column %",
        "Pearson χ²",
        "Total",
        "This survey",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(want)),
            "{want:?} not in the English report"
        );
    }
    // The ids stay: a template names the app's variable by its Japanese name in either
    // language.
    let (_, ja) = sample_report();
    assert!(report_texts(&ja, Lang::Ja)
        .iter()
        .any(|(_, t)| t.contains(&format!("単純集計: {UCLA_GROUPS}"))));
}
