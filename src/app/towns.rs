//! The aggregate files loaded on the 「市町村の比較」 page, and every change to them as a
//! pure function (the page keeps them in `AppState`, so they outlive switching views and
//! loading one's own survey). Parsing is the engine's (`Aggregate::from_json`): the files
//! are small, so the page reads them on its own thread.

use std::rc::Rc;

use crate::analysis::aggregate::Aggregate;
use crate::analysis::municipal::QuestionChoice;
use crate::model::ModelError;

/// The label of one's own survey when it is compared too.
pub const OWN: &str = "自分の調査（読み込み中のファイル）";
pub const OWN_EN: &str = "Your survey (the file loaded)";

/// One file the user chose.
#[derive(Debug, Clone, PartialEq)]
pub struct TownFile {
    /// The town's name as shown: the municipality named in the file, else the file name
    /// without ".json" (another of the same name gets 「（2）」).
    pub name: String,
    pub file_name: String,
    /// The aggregate, or why it cannot be used (shown beside the file).
    pub loaded: Result<Rc<Aggregate>, ModelError>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Towns {
    pub files: Vec<TownFile>,
    /// The question chosen (a `QuestionChoice::key`).
    pub question: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TownAction {
    /// Files read: (file name, text).
    Add(Vec<(String, String)>),
    Remove(usize),
    Choose(String),
}

impl Towns {
    pub fn apply(&self, action: TownAction) -> Towns {
        let mut next = self.clone();
        match action {
            TownAction::Add(files) => {
                for (file_name, text) in files {
                    let loaded = Aggregate::from_json(&text, &file_name).map(Rc::new);
                    // The same file chosen again is kept once.
                    if let Ok(a) = &loaded {
                        if next.files.iter().any(|f| {
                            f.file_name == file_name && f.loaded.as_ref().is_ok_and(|b| **b == **a)
                        }) {
                            continue;
                        }
                    }
                    let stem = match loaded.as_ref().ok().and_then(|a| a.municipality.clone()) {
                        Some(m) => m,
                        None => file_name
                            .strip_suffix(".json")
                            .or_else(|| file_name.strip_suffix(".JSON"))
                            .unwrap_or(&file_name)
                            .to_string(),
                    };
                    let mut name = stem.clone();
                    let mut k = 2;
                    while next.files.iter().any(|f| f.name == name) || name == OWN {
                        name = format!("{stem}（{k}）");
                        k += 1;
                    }
                    next.files.push(TownFile {
                        name,
                        file_name,
                        loaded,
                    });
                }
            }
            TownAction::Remove(i) => {
                if i < next.files.len() {
                    next.files.remove(i);
                }
            }
            TownAction::Choose(key) => next.question = Some(key),
        }
        next
    }

    /// What is compared: one's own aggregate first (when given), then every file that
    /// could be read, in the order chosen.
    pub fn sources<'a>(&'a self, own: Option<&'a Aggregate>) -> Vec<(&'a str, &'a Aggregate)> {
        own.map(|a| (OWN, a))
            .into_iter()
            .chain(
                self.files
                    .iter()
                    .filter_map(|f| f.loaded.as_ref().ok().map(|a| (f.name.as_str(), &**a))),
            )
            .collect()
    }

    /// The question shown: the one chosen while it is still in some file, else the first
    /// (common ones come first).
    pub fn shown<'q>(&self, questions: &'q [QuestionChoice]) -> Option<&'q QuestionChoice> {
        self.question
            .as_ref()
            .and_then(|k| questions.iter().find(|q| &q.key == k))
            .or_else(|| questions.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aggregate::aggregate;
    use crate::analysis::municipal::questions;
    use crate::analysis::AnalysisTemplate;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::model::Survey;

    fn json(csv: &str, question: &str) -> String {
        let survey = Survey::infer(
            read_bytes(csv.as_bytes(), ReadOptions::default())
                .unwrap()
                .table,
        );
        let t = AnalysisTemplate::from_json(&format!(
            r#"{{"format":"tsunagari-analysis","version":1,"tables":[{{"type":"tabulation","question":"{question}"}}]}}"#
        ))
        .unwrap();
        aggregate(&survey, &t, Default::default()).to_json()
    }

    #[test]
    fn files_are_added_named_removed_and_refused_one_by_one() {
        let a = json("性別\n男性\n女性\n女性\n男性\n女性\n", "性別");
        let b = json("性別,地区\n男性,北\n男性,南\n女性,北\n", "地区");
        let s = Towns::default().apply(TownAction::Add(vec![
            ("甲市.json".into(), a.clone()),
            ("乙町.json".into(), b.clone()),
            ("メモ.json".into(), "{\"x\": 1}".into()),
            // Another town's file under the same name is kept apart, the same one once.
            ("甲市.json".into(), b.clone()),
            ("甲市.json".into(), a.clone()),
        ]));
        let names: Vec<&str> = s.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["甲市", "乙町", "メモ", "甲市（2）"]);
        let err = s.files[2].loaded.as_ref().unwrap_err();
        assert!(err.ja.contains("「メモ.json」"), "{}", err.ja);
        assert!(s.files[0].loaded.is_ok() && s.files[3].loaded.is_ok());

        // Own data first, the unreadable file left out.
        let own = s.files[1].loaded.as_ref().unwrap().clone();
        let src = s.sources(Some(&own));
        let src_names: Vec<&str> = src.iter().map(|x| x.0).collect();
        assert_eq!(src_names, [OWN, "甲市", "乙町", "甲市（2）"]);
        assert_eq!(s.sources(None).len(), 3);

        // The chosen question stays while some file has it, else the first is shown.
        let qs = questions(&s.sources(None));
        let area = qs.iter().find(|q| q.title == "地区").unwrap().key.clone();
        let s = s.apply(TownAction::Choose(area.clone()));
        assert_eq!(s.shown(&qs).unwrap().key, area);
        let s = s.apply(TownAction::Remove(3)).apply(TownAction::Remove(1));
        let qs = questions(&s.sources(None));
        assert_eq!(s.question.as_deref(), Some(area.as_str()));
        assert_eq!(s.shown(&qs).unwrap().title, "性別");
        assert_eq!(s.apply(TownAction::Remove(9)), s);
    }

    /// Issue 15: towns are shown by the municipality named in their file, whatever the
    /// file is called (every export used to be 「集計表（秘匿処理済み）.json」).
    #[test]
    fn towns_are_shown_by_the_name_in_their_file() {
        use crate::analysis::aggregate::Aggregate;
        let named = |csv: &str, town: &str| {
            Aggregate::from_json(&json(csv, "性別"), "x.json")
                .unwrap()
                .named(town)
                .to_json()
        };
        let a = named("性別\n男性\n女性\n女性\n男性\n女性\n", "甲市");
        let b = named("性別\n男性\n男性\n女性\n", "乙町\u{7}  東部");
        let s = Towns::default().apply(TownAction::Add(vec![
            ("集計表（秘匿処理済み）.json".into(), a.clone()),
            ("集計表（秘匿処理済み） (1).json".into(), b),
            (
                "集計表（秘匿処理済み） (2).json".into(),
                named("性別\n男性\n", "甲市"),
            ),
        ]));
        let names: Vec<&str> = s.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["甲市", "乙町 東部", "甲市（2）"]);
        let a = Aggregate::from_json(&a, "x.json").unwrap();
        assert_eq!(a.file_name("json"), "甲市_集計表（秘匿処理済み）.json");
        let odd = a.clone().named(r#"a/b\c:"市"  "#);
        assert_eq!(
            odd.file_name("xlsx"),
            "a_b_c__市__集計表（秘匿処理済み）.xlsx"
        );
        assert_eq!(
            a.named("  ").file_name("json"),
            "集計表（秘匿処理済み）.json"
        );
    }
}
