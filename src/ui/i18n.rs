//! The page's words in Japanese (the default) or English. The language lives in
//! `AppState` (never in storage) and reaches every component through a
//! `ContextProvider<Lang>`; a component reads it with [`use_lang`] and picks its words
//! with [`tr`]. Data values and question labels are never translated.

use yew::prelude::*;

pub use crate::app::Lang;

/// The chosen one of two texts.
pub fn tr(lang: Lang, ja: &str, en: &str) -> String {
    lang.pick(ja, en).to_string()
}

/// The page's language (Japanese outside a provider).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// A kind of question in the page's language.
pub fn kind(lang: Lang, k: crate::model::Kind) -> &'static str {
    lang.pick(k.ja(), k.en())
}

/// How sure the guess is, in the page's language.
pub fn certainty(lang: Lang, c: crate::model::Certainty) -> &'static str {
    use crate::model::Certainty::*;
    match lang {
        Lang::Ja => c.ja(),
        Lang::En => match c {
            Unsure => "to check",
            Likely => "likely",
            Sure => "certain",
            Confirmed => "confirmed",
        },
    }
}

/// A national item's name in the page's language.
pub fn national_item(lang: Lang, i: crate::model::national::Item) -> &'static str {
    use crate::model::national::Item::*;
    match lang {
        Lang::Ja => i.ja(),
        Lang::En => match i {
            Direct => "Loneliness (direct question)",
            Ucla1 => "UCLA loneliness scale 1: lack companionship",
            Ucla2 => "UCLA loneliness scale 2: feel left out",
            Ucla3 => "UCLA loneliness scale 3: feel isolated from others",
            ContactFace => "How often they meet family/friends living apart face to face",
            Participation => "Taking part in social activities (multiple answer)",
            Consult => "Someone to consult",
            Sex => "Sex",
            Age => "Age / age group",
            Marital => "Spouse or partner",
        },
    }
}

/// A measure of the national comparison in the page's language.
pub fn measure(lang: Lang, m: crate::analysis::Measure) -> String {
    match lang {
        Lang::Ja => m.ja().to_string(),
        Lang::En => {
            let en = m.en();
            let mut c = en.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// A percentage base in the page's language.
pub fn percent(lang: Lang, p: crate::app::present::Percent) -> &'static str {
    lang.pick(p.ja(), p.en())
}
