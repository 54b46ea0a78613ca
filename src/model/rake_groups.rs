//! Which groups the raking panel asks a population for. A group of one or two
//! respondents gets a weight of its own that shows how few they are, and its answer may be
//! somebody's own words; such groups (the answers a share link may not carry either,
//! `share::redact::Keep`) are merged into a neighbour in questionnaire order — the one
//! before, or the one after for the first — and the population is asked for the merged
//! group. The merged answers travel in the target (`Target::merged`).

use super::Question;

/// One line of the panel: a group and the rare answers merged into it.
#[derive(Debug, Clone, PartialEq)]
pub struct RakeRow {
    pub code: String,
    pub label: String,
    /// (code, label) of the rare answers counted in this group.
    pub merged: Vec<(String, String)>,
}

impl RakeRow {
    /// 「70～79歳＋80歳以上」.
    pub fn shown(&self) -> String {
        let mut s = self.label.clone();
        for (_, l) in &self.merged {
            s.push('＋');
            s.push_str(l);
        }
        s
    }
}

/// The groups of `q` (its options, missing codes aside) with the answers in `rare` merged
/// into a neighbour. Empty when every answer is rare: the question cannot be a margin.
pub fn rake_rows(q: &Question, rare: &[String]) -> Vec<RakeRow> {
    let options: Vec<(&str, &str)> = q
        .options()
        .map(|v| (v.code.as_str(), v.label.as_str()))
        .collect();
    let is_rare = |code: &str| rare.iter().any(|r| r == code);
    let mut rows: Vec<RakeRow> = Vec::new();
    // Rare answers before the first kept one wait for it.
    let mut waiting: Vec<(String, String)> = Vec::new();
    for (code, label) in options {
        let pair = (code.to_string(), label.to_string());
        if is_rare(code) {
            match rows.last_mut() {
                Some(row) => row.merged.push(pair),
                None => waiting.push(pair),
            }
        } else {
            rows.push(RakeRow {
                code: pair.0,
                label: pair.1,
                merged: std::mem::take(&mut waiting),
            });
        }
    }
    rows
}

/// Why some answers are merged, in plain words for the panel (None when none are).
pub fn note_ja(rows: &[RakeRow]) -> Option<String> {
    let merged: Vec<String> = rows
        .iter()
        .filter(|r| !r.merged.is_empty())
        .map(|r| {
            let names: Vec<String> = r.merged.iter().map(|(_, l)| format!("「{l}」")).collect();
            format!("{}は「{}」と", names.join(""), r.label)
        })
        .collect();
    (!merged.is_empty()).then(|| {
        format!(
            "{}まとめました。選んだ人が3人未満の回答だけで重みを作ると、その人が誰か分かってしまうおそれがあるためです。まとめた区分には、合計の人口を入れてください。",
            merged.join("、")
        )
    })
}

pub fn note_en(rows: &[RakeRow]) -> Option<String> {
    let merged: Vec<String> = rows
        .iter()
        .filter(|r| !r.merged.is_empty())
        .map(|r| {
            let names: Vec<String> = r.merged.iter().map(|(_, l)| format!("“{l}”")).collect();
            format!("{} with “{}”", names.join(", "), r.label)
        })
        .collect();
    (!merged.is_empty()).then(|| {
        format!(
            "Merged {}: a weight for answers fewer than 3 people gave could show who they are. Enter the population of the merged group as a whole.",
            merged.join("; ")
        )
    })
}

/// The note when every answer is rare.
pub const NONE_JA: &str =
    "この項目は、どの回答も選んだ人が3人未満のため、人口を合わせる項目には使えません。";
pub const NONE_EN: &str =
    "Every answer of this question was given by fewer than 3 people: it cannot be matched to the population.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Certainty, Kind, Missing, ValueLabel};

    fn q(codes: &[&str]) -> Question {
        Question {
            id: "年代".into(),
            label: "年代".into(),
            text: String::new(),
            kind: Kind::Single,
            columns: vec!["年代".into()],
            item_texts: Vec::new(),
            multi: None,
            values: codes
                .iter()
                .map(|c| ValueLabel {
                    code: c.to_string(),
                    label: c.to_string(),
                    missing: (*c == "無回答").then_some(Missing::NoAnswer),
                    guessed: false,
                })
                .collect(),
            ordered: false,
            certainty: Certainty::Sure,
            reason: String::new(),
            include: true,
        }
    }

    #[test]
    fn rare_answers_join_a_neighbour() {
        let q = q(&["10代", "20代", "30代", "80代", "90代", "無回答"]);
        let rare = ["10代".to_string(), "80代".into(), "90代".into()];
        let rows = rake_rows(&q, &rare);
        let shown: Vec<String> = rows.iter().map(RakeRow::shown).collect();
        assert_eq!(shown, ["20代＋10代", "30代＋80代＋90代"]);
        assert_eq!(rows[1].merged[0].0, "80代");
        let note = note_ja(&rows).unwrap();
        assert!(
            note.contains("「10代」は「20代」と") && note.contains("3人未満"),
            "{note}"
        );
        assert!(note_en(&rows).is_some());
        assert!(note_ja(&rake_rows(&q, &[])).is_none());
        assert!(rake_rows(
            &q,
            &[
                "10代".into(),
                "20代".into(),
                "30代".into(),
                "80代".into(),
                "90代".into()
            ]
        )
        .is_empty());
    }
}
