//! The name of a variable as shown in a language. The variables the app makes itself (the
//! national template's `UCLA孤独感スコア（3～12点）`, `UCLA孤独感スコアの区分`,
//! `「孤独感がある」計`, `年代（全国調査の区分）`) have an English name too; their id stays
//! the Japanese name everywhere (links, templates, filters and saved models name them by
//! it), only what a reader sees changes with the language. A name the user or the file
//! gave is never translated.

use std::borrow::Cow;

use super::national::{AGE_GROUPS, LONELY_TOTAL, UCLA_GROUPS, UCLA_SCORE};
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
}
