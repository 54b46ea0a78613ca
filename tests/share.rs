//! The share link: a setup made on one town's file (tests/fixtures/google_forms.csv) goes
//! into a link, comes back out, and gives the same tables on another town's file
//! (google_forms_town_b.csv); no response of the first file is ever in the link; a link
//! written by version 1 (tests/fixtures/share-link-v1.txt, made with
//! `tsunagari share-link tests/fixtures/share_template.json tests/fixtures/google_forms.csv`)
//! keeps reading; damaged links are refused with a message, never a panic.

use std::collections::HashMap;
use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tsunagari::analysis::report::Outcome;
use tsunagari::analysis::{run, AnalysisTemplate};
use tsunagari::ingest::{read_bytes, ReadOptions};
use tsunagari::model::{Kind, Survey};
use tsunagari::share::{self, apply_setup, decode, encode, for_link, redact::MIN_RESPONDENTS};

const TOWN_A: &str = common::GOOGLE_FORMS;
const TOWN_B: &str = "tests/fixtures/google_forms_town_b.csv";
const TEMPLATE: &str = "tests/fixtures/share_template.json";
const LINK_V1: &str = "tests/fixtures/share-link-v1.txt";
const DIRECT: &str = "あなたはどの程度、孤独であると感じることがありますか。";
const CONSULT: &str = "困ったときに相談できる相手（あてはまるものすべて）";

mod common;
use common::survey;

fn template() -> AnalysisTemplate {
    AnalysisTemplate::from_json(&std::fs::read_to_string(TEMPLATE).unwrap()).unwrap()
}

/// header → column of the file, read with the csv crate alone (not through the engine).
fn raw_columns(path: &str) -> HashMap<String, Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for rec in r.records() {
        for (h, v) in header.iter().zip(rec.unwrap().iter()) {
            out.entry(h.clone()).or_default().push(v.to_string());
        }
    }
    out
}

/// The link's payload as bytes (CBOR: every string in it is plain UTF-8).
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

#[test]
fn a_setup_round_trips_through_its_link() {
    let a = survey(TOWN_A);
    let (setup, _) = for_link(&a, &template());
    let fragment = encode(&setup);
    assert!(fragment.starts_with("s1."));
    assert!(fragment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
    assert_eq!(decode(&fragment).unwrap(), setup);
    // As a whole URL, and wrapped by a mail client.
    let url = format!("https://intra.example.lg.jp/tsunagari/#{fragment}");
    assert_eq!(decode(&url).unwrap(), setup);
    let wrapped: String = fragment
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n ");
    assert_eq!(decode(&wrapped).unwrap(), setup);
}

#[test]
fn a_full_national_setup_fits_in_a_link() {
    // The bundled sample (the national questionnaire, 1,000 respondents) with every
    // question tabulated, four crosstabs, the four national comparisons and a raked weight.
    let mut s = common::sample_survey();
    let mut model = s.model.clone();
    let sexes: Vec<String> = model
        .question("居住地区")
        .unwrap()
        .values
        .iter()
        .filter(|v| v.missing.is_none())
        .map(|v| v.code.clone())
        .collect();
    model.derived.push(tsunagari::model::Derived {
        name: "人口ウェイト".into(),
        recipe: tsunagari::model::Recipe::Rake {
            margins: vec![tsunagari::model::derive::RakeMargin {
                source: "居住地区".into(),
                targets: sexes
                    .iter()
                    .enumerate()
                    .map(|(i, v)| tsunagari::model::derive::Target {
                        value: v.clone(),
                        total: [31_000.0, 42_000.0, 27_000.0][i.min(2)],
                        merged: Vec::new(),
                    })
                    .collect(),
                left_out: Vec::new(),
            }],
            base_weight: None,
            trim: None,
        },
        national: false,
    });
    s.set_model(model);
    assert!(s.derive_errors.is_empty(), "{:?}", s.derive_errors);
    let mut tables: Vec<serde_json::Value> = s
        .questions()
        .filter(|q| q.include && q.kind != Kind::Weight)
        .map(|q| serde_json::json!({"type": "tabulation", "question": q.id}))
        .collect();
    let direct = s
        .model
        .questions
        .iter()
        .find(|q| q.id.starts_with("問1"))
        .unwrap()
        .id
        .clone();
    for col in ["性別", "年代", "居住地区", "世帯構成"] {
        tables.push(serde_json::json!({"type": "crosstab", "row": direct, "col": col}));
    }
    for m in ["direct", "ucla_high", "contact_none", "no_participation"] {
        tables.push(serde_json::json!({"type": "national", "measure": m}));
    }
    let t = AnalysisTemplate::from_json(
        &serde_json::json!({"format": "tsunagari-analysis", "version": 1,
            "title": "全国調査と同じ設問の集計一式", "weight": "人口ウェイト", "tables": tables})
        .to_string(),
    )
    .unwrap();
    let report = run(&s, &t);
    assert_eq!(
        report.refusals().count(),
        0,
        "{:?}",
        report.refusals().collect::<Vec<_>>()
    );
    let (setup, _) = for_link(&s, &t);
    let fragment = encode(&setup);
    eprintln!(
        "full national setup: {} questions, {} tables, link from # on: {} characters",
        setup.model.questions.len(),
        setup.template.tables.len(),
        fragment.len() + 1
    );
    // Chromium, Edge and Outlook carry far longer links; 4,000 keeps it well inside what
    // older mail gateways leave alone.
    assert!(fragment.len() < 4000, "{}", fragment.len());
    let back = decode(&fragment).unwrap();
    assert_eq!(back, setup);
    // The raked weight's recipe travels, so the other town's tables are weighted too.
    assert!(back.model.derived.iter().any(|d| d.name == "人口ウェイト"));
}

#[test]
fn no_response_of_the_file_is_in_the_link() {
    let a = survey(TOWN_A);
    let (setup, left) = for_link(&a, &template());
    let fragment = encode(&setup);
    let payload = inflated(&fragment);
    let setup_json = serde_json::to_string(&decode(&fragment).unwrap()).unwrap();
    let raw = raw_columns(TOWN_A);
    let mut checked = 0;
    // Identifiers (timestamp, e-mail), numbers (age) and free text: no value at all.
    for column in [
        "タイムスタンプ",
        "メールアドレス",
        "年齢",
        "ご意見があればご自由にお書きください",
    ] {
        for v in raw[column].iter().filter(|v| !v.is_empty()) {
            // Ages are 2-digit numbers: look for them as whole CBOR strings, not inside
            // other numbers.
            let as_cbor_text = [&[0x60 + v.len() as u8][..], v.as_bytes()].concat();
            let found = if column == "年齢" {
                payload
                    .windows(as_cbor_text.len())
                    .any(|w| w == as_cbor_text)
            } else {
                contains(&payload, v) || setup_json.contains(v.as_str())
            };
            assert!(!found, "{column}: {v} is in the link");
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
    assert_eq!(left.personal.len(), 3, "{left:?}");
    // Choice answers: each in the link was given by at least MIN_RESPONDENTS people, or is
    // the national survey's own wording.
    let national = [
        "決してない",
        "ほとんどない",
        "たまにある",
        "時々ある",
        "しばしばある・常にある",
        "常にある",
    ];
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in &raw["性別"] {
        *counts.entry(v.as_str()).or_default() += 1;
    }
    for (v, n) in counts {
        let inside = setup
            .model
            .questions
            .iter()
            .any(|q| q.values.iter().any(|x| x.code == v));
        assert_eq!(
            inside,
            n as u64 >= MIN_RESPONDENTS && !v.is_empty(),
            "性別 {v} ({n})"
        );
    }
    for q in &setup.model.questions {
        for v in &q.values {
            let n: usize = q
                .columns
                .iter()
                .map(|c| {
                    raw[c]
                        .iter()
                        .filter(|x| x.split(", ").any(|p| p == v.code) || **x == v.code)
                        .count()
                })
                .sum();
            assert!(
                n as u64 >= MIN_RESPONDENTS || national.contains(&v.code.as_str()),
                "{}: {} given by {n}",
                q.id,
                v.code
            );
        }
    }
}

#[test]
fn a_write_in_answer_stays_out_of_the_link() {
    // 「その他」 with the respondent's own words, as a Google Form exports it.
    let mut csv = String::from("性別,居住地区\r\n");
    for i in 0..20 {
        let area = if i == 7 {
            "その他：となりの佐藤さんの家"
        } else if i % 2 == 0 {
            "北地区"
        } else {
            "南地区"
        };
        csv.push_str(&format!(
            "{},{area}\r\n",
            if i % 3 == 0 { "男性" } else { "女性" }
        ));
    }
    let s = Survey::infer(
        read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table,
    );
    let t = AnalysisTemplate::from_json(
        r#"{"format":"tsunagari-analysis","version":1,"tables":[{"type":"tabulation","question":"居住地区"}]}"#,
    )
    .unwrap();
    let (setup, left) = for_link(&s, &t);
    let payload = inflated(&encode(&setup));
    assert!(!contains(&payload, "佐藤"));
    assert!(contains(&payload, "北地区") && contains(&payload, "南地区"));
    assert_eq!(left.rare_answers, vec![("居住地区".to_string(), 1)]);
    assert!(
        left.lines_ja()[0].contains("3人未満"),
        "{:?}",
        left.lines_ja()
    );
}

#[test]
fn the_other_town_gets_the_same_tables() {
    // The link as town A sent it (written by version 1 of the format).
    let link = std::fs::read_to_string(LINK_V1).unwrap();
    let setup = decode(&link).expect("a version-1 link keeps reading");
    assert_eq!(setup.template, template());
    let mut b = survey(TOWN_B);
    let report = apply_setup(&mut b, &setup);
    assert!(report.matched.iter().any(|q| q == DIRECT), "{report:?}");
    // Town A had no e-mail column of B's kind to match… B has none at all.
    assert!(
        report.not_in_file.iter().any(|q| q == "メールアドレス"),
        "{report:?}"
    );
    // 「わからない」 was not on A's form.
    assert!(
        report
            .unknown_codes
            .iter()
            .any(|(q, codes)| q == DIRECT && codes == &vec!["わからない".to_string()]),
        "{report:?}"
    );
    // B's free text stays out of every table.
    assert!(b.usable("ご意見があればご自由にお書きください").is_err());
    let rep = run(&b, &setup.template);
    assert_eq!(
        rep.refusals().count(),
        0,
        "{:?}",
        rep.refusals().collect::<Vec<_>>()
    );
    let raw = raw_columns(TOWN_B);
    // Table 1: the direct question, in A's order, counts from B's file.
    let Outcome::Tabulation(fs) = &rep.items[0].outcome else {
        panic!()
    };
    let labels: Vec<&str> = fs[0].categories.iter().map(|r| r.label.as_str()).collect();
    let a_order: Vec<&str> = setup
        .model
        .question(DIRECT)
        .unwrap()
        .values
        .iter()
        .map(|v| v.label.as_str())
        .collect();
    assert_eq!(&labels[..a_order.len()], &a_order[..], "{labels:?}");
    for row in &fs[0].categories {
        let code = if row.no_answer { "" } else { row.code.as_str() };
        let n = raw[DIRECT].iter().filter(|v| *v == code).count();
        assert_eq!(row.count, n as u64, "{}", row.label);
    }
    assert_eq!(fs[0].categories.iter().map(|r| r.count).sum::<u64>(), 55);
    // Table 2: the crosstab with 性別, cell by cell.
    let Outcome::Crosstab(x) = &rep.items[1].outcome else {
        panic!()
    };
    let t = &x.tables[0];
    assert_eq!(t.n, 55);
    for (i, r) in t.rows.iter().enumerate() {
        for (j, c) in t.cols.iter().enumerate() {
            let n = raw[DIRECT]
                .iter()
                .zip(&raw["性別"])
                .filter(|(d, s)| **d == r.code && **s == c.code)
                .count();
            assert_eq!(t.counts[i][j], n as u64, "{} × {}", r.label, c.label);
        }
    }
    // Table 4: the joined multiple answer, split with A's known options (one holds ", ").
    let Outcome::Tabulation(fs) = &rep.items[3].outcome else {
        panic!()
    };
    let doctor = fs[0]
        .categories
        .iter()
        .find(|r| r.label == "医師, 看護師などの医療関係者")
        .unwrap();
    let n = raw[CONSULT]
        .iter()
        .filter(|v| v.contains("医師, 看護師などの医療関係者"))
        .count();
    assert_eq!(doctor.count, n as u64);
}

#[test]
fn damaged_or_newer_links_are_refused_with_a_message() {
    let link = std::fs::read_to_string(LINK_V1).unwrap();
    let link = link.trim();
    for bad in [
        "",
        "#",
        "https://example.jp/#view=report",
        &link[..link.len() / 2],
        &link.replace("s1.", "s1.!!"),
        "#s1.",
    ] {
        let e = decode(bad).expect_err(bad);
        assert!(!e.ja.is_empty() && !e.en.is_empty());
    }
    let e = decode(&link.replace("#s1.", "#s2.")).unwrap_err();
    assert!(e.ja.contains("新しい版"), "{e}");
    // A deflate bomb: 64 MiB of zeros is refused without being held.
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).unwrap();
    }
    let bomb = format!("s1.{}", URL_SAFE_NO_PAD.encode(z.finish().unwrap()));
    assert!(decode(&bomb).is_err());
    assert!(share::link::is_link(link));
}

#[test]
fn a_bare_number_few_gave_stays_out_unless_a_codebook_labels_it() {
    // 地区 coded 1–4 with no codebook; only one respondent lives in area 4.
    let mut csv = String::from("性別,地区\r\n");
    for i in 0..20 {
        let area = if i == 7 { 4 } else { 1 + i % 3 };
        csv.push_str(&format!(
            "{},{area}\r\n",
            if i % 3 == 0 { "男性" } else { "女性" }
        ));
    }
    let mut s = Survey::infer(
        read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table,
    );
    let q = s.model.question("地区").unwrap();
    assert_eq!(q.kind, Kind::Single, "{q:?}");
    let t = AnalysisTemplate::default();
    let codes = |s: &Survey| -> Vec<String> {
        let (setup, _) = for_link(s, &t);
        let mut c: Vec<String> = setup
            .model
            .question("地区")
            .unwrap()
            .values
            .iter()
            .map(|v| v.code.clone())
            .collect();
        c.sort();
        c
    };
    assert_eq!(codes(&s), ["1", "2", "3"]);
    // Once the codebook (or the user) names the code, it is the questionnaire's.
    let mut model = s.model.clone();
    for v in &mut model.question_mut("地区").unwrap().values {
        v.label = format!("地区{}", v.code);
    }
    s.set_model(model);
    assert_eq!(codes(&s), ["1", "2", "3", "4"]);
}

/// Issue 15: a link made on a Google Forms export (questions named by their text), opened
/// on a coded paper survey with its codebook (q1, sex …): the questions the two files share
/// as national items are matched by that item, and the link's tables compute there with the
/// coded file's numbers.
#[test]
fn a_link_meets_a_file_of_another_shape_through_the_national_items() {
    use tsunagari::analysis::{tabulate, AnalysisTemplate};
    let forms = common::survey(common::GOOGLE_FORMS);
    let direct = "あなたはどの程度、孤独であると感じることがありますか。";
    let template = AnalysisTemplate::from_json(&format!(
        r#"{{"format":"tsunagari-analysis","version":1,"tables":[
            {{"type":"tabulation","question":"{direct}"}},
            {{"type":"crosstab","row":"性別","col":"{direct}"}}]}}"#
    ))
    .unwrap();
    let (setup, _) = tsunagari::share::for_link(&forms, &template);
    let setup = tsunagari::share::decode(&tsunagari::share::encode(&setup)).unwrap();
    let mut coded = common::coded_survey();
    let own = tabulate(&coded, "q1", None, None).unwrap();
    let report = tsunagari::share::apply_setup(&mut coded, &setup);
    assert!(
        report.matched.iter().any(|m| m.contains(direct)),
        "{:?}",
        report.matched
    );
    let theirs = tabulate(&coded, direct, None, None).unwrap();
    let counts =
        |t: &tsunagari::analysis::Tabulation| t.categories.iter().map(|c| c.count).sum::<u64>();
    assert_eq!(counts(&theirs[0]), counts(&own[0]));
    assert_eq!(theirs[0].base_count, own[0].base_count);
    let r = tsunagari::analysis::run(&coded, &setup.template);
    assert!(
        r.refusals().next().is_none(),
        "{:?}",
        r.refusals().collect::<Vec<_>>()
    );
}
