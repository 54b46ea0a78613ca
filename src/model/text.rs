//! Text matching that forgives what differs between two copies of the same questionnaire:
//! full- and half-width forms (ＩＤ / ID, １ / 1), spaces, punctuation and case.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// A fixed list of words as `key` makes them, worked out once, on first use (`keys!`):
/// inference compares every column name and answer with such lists, and normalising the
/// words again each time was most of its work.
pub struct Keys(pub LazyLock<Vec<String>>);

impl Keys {
    /// Whether `k` (a key) is one of the words.
    pub fn has(&self, k: &str) -> bool {
        self.0.iter().any(|w| w == k)
    }
}

/// `Keys` of a list of `&str` (a `static` needs the closure written out where it stands).
macro_rules! keys {
    ($words:expr) => {
        $crate::model::text::Keys(std::sync::LazyLock::new(|| {
            $words.iter().map(|w| $crate::model::text::key(w)).collect()
        }))
    };
}
pub(crate) use keys;

/// The form two texts are compared in: NFKC, lower case, without spaces or punctuation.
/// 「あなたは、どの程度 孤独…」 and 「あなたはどの程度孤独…」 give the same key.
pub fn key(text: &str) -> String {
    if text.is_ascii() {
        // NFKC leaves ASCII as it is, and its lower case is one character: ids, codes and
        // numbers (most of a file's distinct values) skip the normalisation.
        return text
            .chars()
            .filter(|c| !(c.is_whitespace() || is_punctuation(*c)))
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    text.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !(c.is_whitespace() || is_punctuation(*c)))
        .collect()
}

/// Trimmed (ideographic spaces too), for labels shown to the user: the user's own
/// characters are kept (NFKC would turn 週4～5回 into 週4~5回).
pub fn tidy(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace()).to_string()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '。'
                | '・'
                | '「'
                | '」'
                | '『'
                | '』'
                | '（'
                | '）'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '？'
                | '！'
                | '…'
                | '‥'
                | '〜'
                | '～'
                | 'ー'
                | '―'
                | '‐'
                | '－'
        )
}

/// True when `text` contains every one of `words` (compared as [`key`]s).
pub fn contains_all(text_key: &str, words: &[&str]) -> bool {
    words.iter().all(|w| text_key.contains(&key(w)))
}

/// A column name split into the stem its group shares and the member's number, e.g.
/// `問5_1` → (`問5`, 1), `q2s3` → (`q2`, 3), `Q3-1 ボランティア` → (`Q3`, 1, `ボランティア`),
/// `問2 [自分は取り残されている]` (Google Forms grid) → (`問2`, item label).
#[derive(Debug, Clone, PartialEq)]
pub struct Stem {
    pub stem: String,
    /// The member's number, when the name numbers it.
    pub number: Option<u32>,
    /// Text after the numbered part or inside the brackets (the option or item label).
    pub label: Option<String>,
}

pub fn stem(name: &str) -> Option<Stem> {
    let name = tidy(name);
    // Google Forms grids and checkbox grids: "question [row]".
    if let Some(open) = name.rfind(" [") {
        if name.ends_with(']') && open > 0 {
            let label = name[open + 2..name.len() - 1].trim().to_string();
            return Some(Stem {
                stem: name[..open].trim().to_string(),
                number: None,
                label: Some(label),
            });
        }
    }
    // The numbered token is the first word: "問4_1 スポーツ…" → "問4_1". Only the token is
    // folded (問５＿１ = 問5_1); the label keeps the user's characters.
    let (token, rest) = match name.find(char::is_whitespace) {
        Some(i) => (&name[..i], Some(tidy(&name[i..]))),
        None => (name.as_str(), None),
    };
    let token: String = token.nfkc().collect();
    let digits = token
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let number: u32 = token[digits..].parse().ok()?;
    let before = &token[..digits];
    // The separator between stem and number: _ - . or s (q2s1).
    let stem = before
        .strip_suffix('_')
        .or_else(|| before.strip_suffix('-'))
        .or_else(|| before.strip_suffix('.'))
        .or_else(|| {
            // "q2s1": an 's' between two numbers.
            before
                .strip_suffix(['s', 'S'])
                .filter(|s| s.ends_with(|c: char| c.is_ascii_digit()))
        })?;
    if stem.is_empty() {
        return None;
    }
    Some(Stem {
        stem: stem.to_string(),
        number: Some(number),
        label: rest.filter(|r| !r.is_empty()),
    })
}

/// A grid item's own label: the text after its number or inside the brackets.
pub fn item_label(column: &str) -> String {
    stem(column)
        .and_then(|s| s.label.or(s.number.map(|n| n.to_string())))
        .unwrap_or_else(|| column.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keys_are_the_normalised_keys() {
        let full = |t: &str| -> String {
            t.nfkc()
                .flat_map(char::to_lowercase)
                .filter(|c| !(c.is_whitespace() || is_punctuation(*c)))
                .collect()
        };
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for t in [
            every_ascii.as_str(),
            "ID",
            "Q1-2 (a)",
            "1.5",
            " 12345 ",
            "\x0b\tAbC;",
        ] {
            assert_eq!(key(t), full(t), "{t:?}");
        }
    }

    #[test]
    fn keys_ignore_width_spaces_and_punctuation() {
        assert_eq!(key("ＩＤ"), "id");
        assert_eq!(
            key("あなたは、どの程度 孤独で"),
            key("あなたはどの程度孤独で")
        );
        assert_eq!(
            key("しばしばある・常にある"),
            key("しばしばある／常にある").replace('/', "")
        );
        assert!(contains_all(
            &key("問1 あなたは どの程度、孤独であると"),
            &["孤独であると"]
        ));
    }

    #[test]
    fn stems_of_the_usual_namings() {
        let s = |n: &str| stem(n).map(|s| (s.stem, s.number, s.label));
        assert_eq!(s("問5_1"), Some(("問5".into(), Some(1), None)));
        assert_eq!(s("問５＿１２"), Some(("問5".into(), Some(12), None)));
        assert_eq!(s("q2s3"), Some(("q2".into(), Some(3), None)));
        assert_eq!(s("Q3-1"), Some(("Q3".into(), Some(1), None)));
        assert_eq!(
            s("問4_1 スポーツ・趣味"),
            Some(("問4".into(), Some(1), Some("スポーツ・趣味".into())))
        );
        assert_eq!(
            s("問2 あなたは [取り残されている]"),
            Some(("問2 あなたは".into(), None, Some("取り残されている".into())))
        );
        assert_eq!(s("年齢"), None);
        assert_eq!(s("q12"), None);
        assert_eq!(s("_1"), None);
    }
}
