//! Questionnaire order: how answers are listed when no codebook gives their order. One
//! rule, used for a question's inferred options, a derived variable's answers and the
//! values a codebook lacks: when every answer is a number or starts with one (1 決してない,
//! 20～29歳, 80歳以上, -1), ascending by that number; otherwise in the order they first
//! appear in the file. Blank answers come last, as [`NO_ANSWER`].

use super::question::ValueLabel;
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
/// number it starts with.
fn number(answer: &str) -> Option<f64> {
    parse_number(answer).or_else(|| leading_number(answer))
}

/// Puts `items`, given in the order they first appear, into questionnaire order; `answer`
/// says which answer an item is. Each answer is read as a number once.
pub fn sort<T>(items: &mut Vec<T>, answer: impl Fn(&T) -> &str) {
    let Some(numbers) = items
        .iter()
        .map(|i| number(answer(i)))
        .collect::<Option<Vec<f64>>>()
    else {
        return;
    };
    let mut keyed: Vec<(f64, T)> = numbers.into_iter().zip(items.drain(..)).collect();
    keyed.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then_with(|| answer(&a.1).cmp(answer(&b.1)))
    });
    items.extend(keyed.into_iter().map(|(_, i)| i));
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
