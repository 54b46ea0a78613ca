//! Questionnaire order: how answers are listed when no codebook gives their order. One
//! rule ([`sort`]), used for a question's inferred options, a derived variable's answers
//! and the values a codebook lacks: when every answer is a number or starts with one
//! (1 決してない, 20～29歳, 80歳以上, -1), ascending by that number; when they fall on a
//! known Japanese scale (`scales`), in the scale's order; その他・わからない・無回答 after
//! either; otherwise in the order they first appear in the file. Blank answers come last,
//! as [`NO_ANSWER`]. National items take the national codes' order instead
//! (`national::put_in_order`), and a codebook's or the user's order (`Question::move_answer`)
//! is kept as given.

use super::question::ValueLabel;
use super::scales;
use crate::table::parse_number;

/// The label of blank answers (and of the codebook's no-answer codes).
pub const NO_ANSWER: &str = "無回答";

/// The number a label starts with (half- or full-width digits), if it starts with one.
pub fn leading_number(label: &str) -> Option<f64> {
    let digits: String = label
        .trim_start()
        .chars()
        .map_while(|c| match c {
            '0'..='9' | '.' => Some(c),
            '０'..='９' => char::from_u32('0' as u32 + (c as u32 - '０' as u32)),
            _ => None,
        })
        .collect();
    parse_number(&digits)
}

/// The number an answer is ordered by: the answer itself when it is a number, else the
/// number it starts with (「20歳未満」 comes before 「20～29歳」).
fn number(answer: &str) -> Option<f64> {
    parse_number(answer).or_else(|| {
        leading_number(answer).map(|n| {
            if answer.contains("未満") {
                n - 0.5
            } else {
                n
            }
        })
    })
}

/// Where each answer goes: `Some(rank)` on its scale (numbers, or a known scale of
/// `scales`), `None` after it (その他, わからない, 無回答). `None` overall when the answers
/// form no scale: they are then nominal and keep their order.
fn ranks(answers: &[&str]) -> Option<Vec<Option<f64>>> {
    let after: Vec<bool> = answers.iter().map(|a| scales::is_after(a)).collect();
    let numbers: Option<Vec<Option<f64>>> = answers
        .iter()
        .zip(&after)
        .map(|(a, &after)| {
            if after {
                Some(None)
            } else {
                number(a).map(Some)
            }
        })
        .collect();
    match numbers {
        Some(n) if n.iter().flatten().count() >= 2 => Some(n),
        _ => scales::ranks(answers).map(|r| r.into_iter().map(|s| s.map(|s| s as f64)).collect()),
    }
}

/// Puts `items`, given in the order they first appear, into questionnaire order; `answer`
/// says which answer an item is. Numbers (or answers starting with one: 1 決してない,
/// 20～29歳) ascend; answers on a known scale (`scales`: そう思う … そう思わない, 満足 …
/// 不満, いつも … 決してない) follow it; その他, わからない and 無回答 then come last in
/// the order they came. Anything else keeps the file's order. Returns whether the answers
/// are ordered (a scale or numbers: 累積% means something).
pub fn sort<T>(items: &mut Vec<T>, answer: impl Fn(&T) -> &str) -> bool {
    let answers: Vec<&str> = items.iter().map(&answer).collect();
    let Some(ranks) = ranks(&answers) else {
        return false;
    };
    let mut keyed: Vec<(usize, Option<f64>, T)> = ranks
        .into_iter()
        .zip(items.drain(..))
        .enumerate()
        .map(|(i, (r, t))| (i, r, t))
        .collect();
    // Stable: answers on one step, and the ones after the scale, keep their order.
    keyed.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| answer(&a.2).cmp(answer(&b.2))),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
    items.extend(keyed.into_iter().map(|(_, _, i)| i));
    true
}

/// Whether a question's answers (their labels, missing codes aside) are ordered: numbers
/// or a known scale. A codebook's or the user's order is kept as it is; this only says
/// whether 累積% is shown for it when nobody said.
pub fn is_ordered(values: &[ValueLabel]) -> bool {
    let labels: Vec<&str> = values
        .iter()
        .filter(|v| v.missing.is_none())
        .map(|v| v.label.as_str())
        .collect();
    ranks(&labels).is_some()
}

/// The answers `used` (a subset of a column's dictionary `all`) as a question's options,
/// in questionnaire order.
pub fn ordered_values(all: &[Box<str>], used: &[&str]) -> Vec<ValueLabel> {
    let mut v: Vec<&str> = used.to_vec();
    let first_seen = |s: &str| {
        all.iter()
            .position(|x| x.as_ref() == s)
            .unwrap_or(usize::MAX)
    };
    v.sort_by_key(|s| first_seen(s));
    sort(&mut v, |s| s);
    v.into_iter()
        .map(|s| ValueLabel {
            code: s.to_string(),
            label: s.to_string(),
            missing: None,
            guessed: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(answers: &[&'static str]) -> Vec<&'static str> {
        let mut v = answers.to_vec();
        sort(&mut v, |s| s);
        v
    }

    #[test]
    fn numbers_and_labels_that_start_with_one_ascend() {
        assert_eq!(
            sorted(&["80歳以上", "20～29歳", "16～19歳"]),
            vec!["16～19歳", "20～29歳", "80歳以上"]
        );
        assert_eq!(sorted(&["10", "2", "1", "9"]), vec!["1", "2", "9", "10"]);
        assert_eq!(sorted(&["3", "-1", "１"]), vec!["-1", "１", "3"]);
        assert_eq!(leading_number("２０代"), Some(20.0));
    }

    #[test]
    fn scales_and_numbers_put_other_answers_last() {
        assert_eq!(
            sorted(&["わからない", "30～39歳", "20歳未満", "無回答", "20～29歳"]),
            vec!["20歳未満", "20～29歳", "30～39歳", "わからない", "無回答"]
        );
        assert_eq!(
            sorted(&["その他", "やや満足", "不満", "満足"]),
            vec!["満足", "やや満足", "不満", "その他"]
        );
        let ordered = |labels: &[&str]| {
            let v: Vec<ValueLabel> = labels
                .iter()
                .map(|l| ValueLabel {
                    code: l.to_string(),
                    label: l.to_string(),
                    missing: None,
                    guessed: false,
                })
                .collect();
            is_ordered(&v)
        };
        assert!(ordered(&["良い", "普通", "良くない"]));
        assert!(ordered(&["1", "2", "3"]));
        assert!(!ordered(&["北地区", "南地区"]));
        assert!(!ordered(&["男性", "女性", "その他"]));
    }

    #[test]
    fn anything_else_keeps_the_order_of_the_file() {
        assert_eq!(
            sorted(&["男性", "10", "女性", "2"]),
            vec!["男性", "10", "女性", "2"]
        );
        let all: Vec<Box<str>> = ["はい", "いいえ", "わからない"]
            .iter()
            .map(|s| (*s).into())
            .collect();
        let v = ordered_values(&all, &["わからない", "はい", "いいえ"]);
        let codes: Vec<&str> = v.iter().map(|v| v.code.as_str()).collect();
        assert_eq!(codes, vec!["はい", "いいえ", "わからない"]);
    }
}
