//! A question's number at the start of a header: 「問1　あなたはどの程度…」 is question
//! 問1 with the text 「あなたはどの程度…」. Staff name questions by their number (`tab
//! FILE 問1`, a template's 問1), so the number is the question's id and the rest its text.
//! Also the common text of a group's columns (「問4_1 活動：スポーツ」「問4_2 活動：趣味」 →
//! 「活動」, options スポーツ, 趣味) and the one rule that keeps ids unique.

use unicode_normalization::UnicodeNormalization;

/// The words a question number starts with (after NFKC: Ｑ → Q). Longest first, so 設問
/// is not read as 問 after a stray 設, and SQ before Q.
const PREFIXES: [&str; 7] = ["設問", "付問", "問", "SQ", "Sq", "sq", "Q"];
/// Face-sheet items (F1 性別, F2 年齢) are numbered too; `q`/`f` lower case as well.
const LATIN_SINGLE: [char; 3] = ['q', 'F', 'f'];

/// Characters that end a question number and start its text.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '．' | '.' | '：' | ':' | '）' | ')' | '、' | ',' | '，')
}

/// The question number a header starts with, normalised (問１ → 問1, Ｑ１ → Q1, 問２－１ →
/// 問2-1), and the text after it (trimmed, "" when the header is only the number). None
/// when the header does not start with a number as questionnaires write them.
pub fn split(header: &str) -> Option<(String, String)> {
    let header = header.trim_matches(|c: char| c.is_whitespace());
    // Fold only the start (the number); the text keeps the user's characters.
    let folded: String = header.nfkc().collect();
    let prefix = PREFIXES
        .iter()
        .find(|p| folded.starts_with(*p))
        .map(|p| p.to_string())
        .or_else(|| {
            folded
                .chars()
                .next()
                .filter(|c| LATIN_SINGLE.contains(c))
                .map(String::from)
        })?;
    let rest = &folded[prefix.len()..];
    // Digits, then any number of (-|_) digits: 問2-1, 問4_3, Q1_2_3.
    let mut number_len = 0;
    let mut chars = rest.char_indices().peekable();
    let mut need_digit = true;
    while let Some(&(i, c)) = chars.peek() {
        if c.is_ascii_digit() {
            need_digit = false;
            number_len = i + 1;
        } else if (c == '-' || c == '_') && !need_digit {
            // Only a separator when a digit follows it.
            let mut ahead = rest[i + 1..].chars();
            if !ahead.next().is_some_and(|d| d.is_ascii_digit()) {
                break;
            }
            need_digit = true;
        } else {
            break;
        }
        chars.next();
    }
    if number_len == 0 {
        return None;
    }
    let number = format!("{prefix}{}", &rest[..number_len]);
    let after = &rest[number_len..];
    // What follows the number: nothing, a separator, or (Japanese) text straight after
    // it (問1あなたは). A Latin letter or digit means a name such as Q1a or F1score.
    match after.chars().next() {
        None => {}
        Some(c) if is_separator(c) => {}
        Some(c) if !c.is_ascii() => {}
        _ => return None,
    }
    // The text in the user's characters: the same number of characters of the original
    // after the number (NFKC maps each character of a number to one), else the folded one.
    let text = original_after(header, &number).unwrap_or_else(|| after.to_string());
    let text = text
        .trim_start_matches(|c: char| is_separator(c))
        .trim_matches(|c: char| c.is_whitespace())
        .to_string();
    Some((number, text))
}

/// The header after its number, in the header's own characters, when the number's
/// characters fold one to one (問１ → 問1).
fn original_after(header: &str, number: &str) -> Option<String> {
    let n = number.chars().count();
    let head: String = header.chars().take(n).collect();
    let folded: String = head.nfkc().collect();
    (folded == number).then(|| header.chars().skip(n).collect())
}

/// The text every label of a group starts with, up to and including a separator
/// (「活動：」, 「活動 」), so that 「家族と会話」「家族以外と会話」 share nothing: a cut
/// inside a word would make both options wrong. Returns (text, each label's rest), or None
/// when the labels share no such start or some label would be left empty.
pub fn common_text(labels: &[&str]) -> Option<(String, Vec<String>)> {
    if labels.len() < 2 {
        return None;
    }
    let first: Vec<char> = labels[0].chars().collect();
    let mut len = first.len();
    for l in &labels[1..] {
        len = len.min(
            first
                .iter()
                .zip(l.chars())
                .take_while(|(a, b)| **a == *b)
                .count(),
        );
    }
    // Back to the last separator inside the shared start.
    let cut = (0..len)
        .rev()
        .find(|&i| is_text_separator(first[i]))
        .map(|i| i + 1)?;
    let text: String = first[..cut].iter().collect();
    let rests: Vec<String> = labels
        .iter()
        .map(|l| l.chars().skip(cut).collect::<String>().trim().to_string())
        .collect();
    if rests.iter().any(String::is_empty) {
        return None;
    }
    let text = text
        .trim_end_matches(|c: char| is_text_separator(c))
        .trim()
        .to_string();
    if text.is_empty() {
        return None;
    }
    Some((text, rests))
}

/// Where a question's text ends and an option's name begins in a combined header.
fn is_text_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '：' | ':' | '」' | '）' | ')' | '／' | '/' | '】' | ']')
}

/// Makes the ids unique in order: a later question with an id already taken gets the
/// first free `id_2`, `id_3` … Returns (index, old id, new id) of each renamed question.
pub fn make_unique<'a>(ids: impl Iterator<Item = &'a mut String>) -> Vec<(usize, String, String)> {
    let mut ids: Vec<&mut String> = ids.collect();
    let mut renamed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for i in 0..ids.len() {
        if seen.insert(ids[i].clone()) {
            continue;
        }
        let base = ids[i].clone();
        let mut k = 2;
        let unique = loop {
            let candidate = format!("{base}_{k}");
            if !seen.contains(&candidate) && !ids[i + 1..].iter().any(|s| **s == candidate) {
                break candidate;
            }
            k += 1;
        };
        seen.insert(unique.clone());
        *ids[i] = unique.clone();
        renamed.push((i, base, unique));
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(h: &str) -> Option<(String, String)> {
        split(h)
    }

    #[test]
    fn numbers_as_questionnaires_write_them() {
        let q = |id: &str, text: &str| Some((id.to_string(), text.to_string()));
        assert_eq!(
            s("問1　あなたはどの程度、孤独であると感じますか"),
            q("問1", "あなたはどの程度、孤独であると感じますか")
        );
        assert_eq!(s("問１　あなたは"), q("問1", "あなたは"));
        assert_eq!(s("Ｑ１．性別"), q("Q1", "性別"));
        assert_eq!(s("Q1. 性別"), q("Q1", "性別"));
        assert_eq!(s("問2-1 つきあい"), q("問2-1", "つきあい"));
        assert_eq!(s("問２－１ つきあい"), q("問2-1", "つきあい"));
        assert_eq!(s("問4_3：地域活動"), q("問4_3", "地域活動"));
        assert_eq!(s("SQ1 その理由"), q("SQ1", "その理由"));
        assert_eq!(s("F1 性別"), q("F1", "性別"));
        assert_eq!(s("問3）家族"), q("問3", "家族"));
        assert_eq!(s("問5あなたは"), q("問5", "あなたは"));
        assert_eq!(s("問1"), q("問1", ""));
        assert_eq!(s("設問3 年齢"), q("設問3", "年齢"));
    }

    #[test]
    fn other_names_have_no_number() {
        for h in [
            "年齢",
            "q1a",
            "Q",
            "問",
            "Fax",
            "F1score",
            "性別",
            "問題数",
            "Question 1",
            "q2s3",
        ] {
            assert_eq!(split(h), None, "{h}");
        }
    }

    #[test]
    fn the_common_text_of_a_group_ends_at_a_separator() {
        assert_eq!(
            common_text(&["活動：スポーツ", "活動：趣味"]),
            Some(("活動".into(), vec!["スポーツ".into(), "趣味".into()]))
        );
        assert_eq!(common_text(&["家族と会話", "家族以外と会話"]), None);
        assert_eq!(common_text(&["スポーツ", "趣味"]), None);
        assert_eq!(common_text(&["活動：", "活動："]), None);
    }

    #[test]
    fn ids_made_unique_in_order() {
        let mut ids = vec![
            "問3".to_string(),
            "問3".into(),
            "問3_2".into(),
            "問3".into(),
        ];
        let renamed = make_unique(ids.iter_mut());
        assert_eq!(ids, ["問3", "問3_3", "問3_2", "問3_4"]);
        assert_eq!(renamed.len(), 2);
    }
}
