//! A multiple answer as municipal codebooks write it: one row per 0/1 column (問4_1 …
//! 問4_6), each coded 1 = 選択 (or あてはまる), 0 = 非選択 (or blank), often 9 = 無回答,
//! its text the question's followed by the option's. The ticked code's label names no
//! option there ("選択"), so the option is the part of each item's text after the text
//! all the items share.

use super::codebook::Entry;
use super::text::key;

/// Labels of the ticked code that say only "chosen".
const TICKED_WORDS: [&str; 10] = [
    "選択",
    "選択あり",
    "選択した",
    "あてはまる",
    "当てはまる",
    "該当",
    "該当する",
    "はい",
    "○",
    "チェックあり",
];
/// Labels of the code that says "not chosen".
const UNTICKED_WORDS: [&str; 10] = [
    "非選択",
    "選択なし",
    "未選択",
    "選択しない",
    "選択していない",
    "あてはまらない",
    "当てはまらない",
    "該当しない",
    "いいえ",
    "チェックなし",
];

fn is_ticked_label(label: &str) -> bool {
    let k = key(label);
    TICKED_WORDS.iter().any(|w| key(w) == k)
}

fn is_unticked_label(label: &str) -> bool {
    let k = key(label);
    k.is_empty() || UNTICKED_WORDS.iter().any(|w| key(w) == k)
}

/// The ticked code when `entry` is one 0/1 column of a multiple answer: among its answers
/// (missing codes aside) one is labelled "chosen" and any other "not chosen".
pub fn ticked_code(entry: &Entry) -> Option<&str> {
    let answers: Vec<_> = entry
        .values
        .iter()
        .filter(|v| v.missing.is_none())
        .collect();
    let ticked: Vec<_> = answers
        .iter()
        .filter(|v| is_ticked_label(&v.label))
        .collect();
    let [ticked] = ticked[..] else { return None };
    answers
        .iter()
        .all(|v| std::ptr::eq(*v, *ticked) || is_unticked_label(&v.label))
        .then_some(ticked.code.as_str())
}

/// Characters after which an item's own text may start (the shared text ends there).
fn boundary(c: char) -> bool {
    c.is_whitespace() || "）)］]」』：:。？?/／-－—".contains(c)
}

/// The text the items share and each item's own part: "…参加していますか（いくつでも）
/// ボランティア活動" → ("…参加していますか（いくつでも）", "ボランティア活動"). The shared
/// part ends at a boundary (a space, a closing bracket, a colon …), so two options that
/// start alike keep their first word. `None` when there is no shared text to take off, or
/// two items would be named alike.
pub fn split_shared(texts: &[&str]) -> Option<(String, Vec<String>)> {
    let first: Vec<char> = texts.first()?.chars().collect();
    if texts.len() < 2 {
        return None;
    }
    let mut len = first.len();
    for t in &texts[1..] {
        len = len.min(
            first
                .iter()
                .zip(t.chars())
                .take_while(|(a, b)| **a == *b)
                .count(),
        );
    }
    // Back to the last boundary inside the shared part.
    let end = (1..=len).rev().find(|&i| boundary(first[i - 1]))?;
    let shared: String = first[..end].iter().collect();
    let own: Vec<String> = texts
        .iter()
        .map(|t| t.chars().skip(end).collect::<String>().trim().to_string())
        .collect();
    // Each option needs a name of its own.
    let distinct = own.iter().enumerate().all(|(i, o)| !own[..i].contains(o));
    if own.iter().any(String::is_empty) || !distinct {
        return None;
    }
    let shared = shared
        .trim()
        .trim_end_matches(['：', ':', '-', '－', '—'])
        .trim();
    Some((shared.to_string(), own))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::question::{Missing, ValueLabel};

    fn entry(values: &[(&str, &str, Option<Missing>)]) -> Entry {
        Entry {
            id: "問4_1".into(),
            values: values
                .iter()
                .map(|(code, label, missing)| ValueLabel {
                    code: code.to_string(),
                    label: label.to_string(),
                    missing: *missing,
                    guessed: false,
                })
                .collect(),
            ..Entry::default()
        }
    }

    #[test]
    fn a_ticked_code_among_not_ticked_and_missing() {
        let na = Some(Missing::NoAnswer);
        assert_eq!(
            ticked_code(&entry(&[
                ("1", "選択", None),
                ("0", "非選択", None),
                ("9", "無回答", na)
            ])),
            Some("1")
        );
        assert_eq!(ticked_code(&entry(&[("1", "あてはまる", None)])), Some("1"));
        assert_eq!(
            ticked_code(&entry(&[("1", "男性", None), ("2", "女性", None)])),
            None
        );
        assert_eq!(
            ticked_code(&entry(&[("1", "選択", None), ("2", "時々", None)])),
            None
        );
    }

    #[test]
    fn the_shared_text_ends_at_a_boundary() {
        let (shared, own) = split_shared(&[
            "参加していますか（いくつでも）　スポーツ",
            "参加していますか（いくつでも）　ボランティア活動",
        ])
        .unwrap();
        assert_eq!(shared, "参加していますか（いくつでも）");
        assert_eq!(own, ["スポーツ", "ボランティア活動"]);
        // Options that start alike keep their first word.
        let (_, own) = split_shared(&["問4 子育ての活動", "問4 子ども会"]).unwrap();
        assert_eq!(own, ["子育ての活動", "子ども会"]);
        assert_eq!(split_shared(&["スポーツ", "ボランティア"]), None);
        assert_eq!(split_shared(&["同じ 文", "同じ 文"]), None);
    }
}
