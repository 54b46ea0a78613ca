//! The name of a variable as shown in a language. The variables the app makes itself (the
//! national template's `UCLA孤独感スコア（3～12点）`, `UCLA孤独感スコアの区分`,
//! `「孤独感がある」計`, `年代（全国調査の区分）`) have an English name too; their id stays
//! the Japanese name everywhere (links, templates, filters and saved models name them by
//! it), only what a reader sees changes with the language. A name the user or the file
//! gave is never translated. The same for the answer the app adds itself: the 無回答 row of
//! blank cells (and 「9（無回答）」, a bare no-answer code said as such), 「No answer」 in
//! English.

use std::borrow::Cow;

use super::national::{AGE_GROUPS, LONELY_TOTAL, UCLA_GROUPS, UCLA_SCORE};
use super::order::NO_ANSWER;
use crate::lang::Lang;

/// The app's own variables: (id, English name).
const ENGLISH: [(&str, &str); 4] = [
    (UCLA_SCORE, "UCLA loneliness score (3–12)"),
    (UCLA_GROUPS, "UCLA loneliness score groups"),
    (LONELY_TOTAL, "Feels lonely (total)"),
    (AGE_GROUPS, "Age (national survey's groups)"),
];

/// `name` as a reader of `lang` sees it: the English name of a variable the app made, else
/// `name` itself.
pub fn shown_name(name: &str, lang: Lang) -> Cow<'_, str> {
    match lang {
        Lang::Ja => Cow::Borrowed(name),
        Lang::En => ENGLISH
            .iter()
            .find(|(id, _)| *id == name)
            .map_or(Cow::Borrowed(name), |(_, en)| Cow::Borrowed(*en)),
    }
}

/// An answer's label as a reader of `lang` sees it: the app's 無回答 (a no-answer row whose
/// label is 無回答, or 「9（無回答）」 for the bare code 9) in English, any other label as it
/// is.
pub fn shown_answer<'a>(label: &'a str, code: &str, no_answer: bool, lang: Lang) -> Cow<'a, str> {
    if lang == Lang::Ja || !no_answer {
        return Cow::Borrowed(label);
    }
    if label == NO_ANSWER {
        return Cow::Borrowed("No answer");
    }
    match label.strip_prefix(code) {
        Some(rest) if !code.is_empty() && rest == format!("（{NO_ANSWER}）") => {
            Cow::Owned(format!("{code} (no answer)"))
        }
        _ => Cow::Borrowed(label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_variables_have_an_english_name_the_users_keep_theirs() {
        assert_eq!(shown_name(AGE_GROUPS, Lang::Ja), AGE_GROUPS);
        assert_eq!(
            shown_name(AGE_GROUPS, Lang::En),
            "Age (national survey's groups)"
        );
        for (id, _) in ENGLISH {
            assert!(!shown_name(id, Lang::En).chars().any(|c| c as u32 > 0x2FFF));
        }
        assert_eq!(shown_name("年代", Lang::En), "年代");
    }

    #[test]
    fn the_apps_no_answer_is_no_answer_in_english() {
        assert_eq!(shown_answer("無回答", "", true, Lang::En), "No answer");
        assert_eq!(shown_answer("無回答", "", true, Lang::Ja), "無回答");
        assert_eq!(
            shown_answer("9（無回答）", "9", true, Lang::En),
            "9 (no answer)"
        );
        // A label of the user's, and an answer that is not a no-answer, stay as they are.
        assert_eq!(shown_answer("答えない", "9", true, Lang::En), "答えない");
        assert_eq!(shown_answer("無回答", "1", false, Lang::En), "無回答");
    }
}
