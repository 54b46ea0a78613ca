//! The hostile share links the page test (`tests/e2e/share.mjs`) opens, kept in
//! `tests/fixtures/hostile-links.json` and checked here against how they are made, so
//! the fixture can't drift from its recipe. `UPDATE_FIXTURES=1 cargo test --test
//! hostile_links` writes it again.
//!
//! - `deep`: a template filter of 300 nested parentheses, written into the CBOR by hand
//!   (the parser refuses to build one): on the old main the page overflowed its stack
//!   decoding it on start, every time the link was opened;
//! - `widen`: town A's honest link edited to re-kind the e-mail and free-text columns as
//!   single choices turned on, with a recode of the free text, and tables of all three
//!   plus one filtered on an e-mail address.

use std::io::Write;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tsunagari::analysis::{AnalysisTemplate, Filter, TableSpec};
use tsunagari::model::derive::{Derived, Recipe, RecodeGroup};
use tsunagari::model::{Kind, Survey};
use tsunagari::share::{decode, encode, for_link, Setup};

const FIXTURE: &str = "tests/fixtures/hostile-links.json";
const EMAIL: &str = "メールアドレス";
const OPINION: &str = "ご意見があればご自由にお書きください";

mod common;

fn town_a() -> Survey {
    common::survey(common::GOOGLE_FORMS)
}

fn tab(q: &str, filter: Option<&str>) -> TableSpec {
    TableSpec::Tabulation {
        question: q.into(),
        weight: None,
        filter: filter.map(|f| Filter::parse(f).unwrap()),
    }
}

fn widen() -> String {
    let template = AnalysisTemplate {
        tables: vec![tab("性別", None)],
        ..AnalysisTemplate::default()
    };
    let (mut setup, _) = for_link(&town_a(), &template);
    for id in [EMAIL, OPINION] {
        let q = setup.model.question_mut(id).unwrap();
        q.kind = Kind::Single;
        q.include = true;
    }
    setup.model.derived.push(Derived {
        name: "ご意見（まとめ）".into(),
        national: false,
        recipe: Recipe::Recode {
            source: OPINION.into(),
            groups: vec![RecodeGroup {
                label: "意見あり".into(),
                from: vec!["近所に気軽に集まれる場所がほしいです。（1）".into()],
            }],
            others_blank: false,
        },
    });
    setup.template.tables = vec![
        tab("性別", None),
        tab(EMAIL, None),
        tab(OPINION, None),
        tab("ご意見（まとめ）", None),
        tab("性別", Some("メールアドレス = user000@example.jp")),
    ];
    encode(&setup)
}

fn deep() -> String {
    let template = AnalysisTemplate {
        tables: vec![tab("性別", Some("性別 = 女性"))],
        ..AnalysisTemplate::default()
    };
    let (setup, _) = for_link(&town_a(), &template);
    let mut value = ciborium::Value::serialized(&setup).unwrap();
    fn replace(v: &mut ciborium::Value, to: &str) -> usize {
        match v {
            ciborium::Value::Text(t) if t == "性別 = 女性" => {
                *t = to.to_string();
                1
            }
            ciborium::Value::Array(a) => a.iter_mut().map(|x| replace(x, to)).sum(),
            ciborium::Value::Map(m) => m.iter_mut().map(|(_, x)| replace(x, to)).sum(),
            _ => 0,
        }
    }
    let nested = format!("{}性別 = 女性{}", "(".repeat(300), ")".repeat(300));
    assert_eq!(replace(&mut value, &nested), 1);
    let mut cbor = Vec::new();
    ciborium::into_writer(&value, &mut cbor).unwrap();
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&cbor).unwrap();
    format!("s1.{}", URL_SAFE_NO_PAD.encode(z.finish().unwrap()))
}

fn fixture() -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "deep": deep(), "widen": widen() })).unwrap()
        + "\n"
}

#[test]
fn the_hostile_link_fixtures_are_what_their_recipes_make() {
    let made = fixture();
    if std::env::var("UPDATE_FIXTURES").is_ok() {
        std::fs::write(FIXTURE, &made).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(FIXTURE).unwrap(),
        made,
        "run with UPDATE_FIXTURES=1"
    );
}

#[test]
fn the_deep_link_is_refused_and_the_widening_one_reads() {
    let e = decode(&deep()).unwrap_err();
    assert!(e.to_string().contains("64"), "{e}");
    let s: Setup = decode(&widen()).unwrap();
    assert_eq!(
        s.model.question(EMAIL).unwrap().kind,
        Kind::Single,
        "the link really asks"
    );
}
