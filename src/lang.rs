//! The language of the app's own words, and the one way to pick a text by it. Below every
//! layer: the page chooses it (`ui::i18n`), and the engine's writers of those words (the
//! report's blocks as page, print, CSV and xlsx in `analysis::layout`, the charts in
//! `chart`, the names of derived variables) take it; data values and the user's own
//! question texts and labels are never translated.

use serde::{Deserialize, Serialize};

/// The language of the page's own words (Japanese unless the user switches). Data values
/// and question labels are never translated. Kept only in memory, like everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// The `<html lang>` value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// One of two texts by language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
