//! A reading warning as the page shows it: its words in both languages, and the few facts
//! the page acts on. The worker sends these, not `ingest::Warning`s: the page then holds
//! neither `Warning`'s decoder (internally tagged, `"kind"`, which serde buffers through
//! its `Content` type: 47 kB of the page's wasm before wasm-opt) nor the code that words
//! each kind (issue 16: a first visit's download). `Warning` keeps its JSON, the CLI's
//! `inspect --json`.

use serde::{Deserialize, Serialize};

use crate::ingest::{QuoteAt, Warning};
use crate::message::Message;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownWarning {
    pub message: Message,
    /// Rows are missing or wrong: shown as an error (`Warning::is_severe`).
    pub severe: bool,
    /// The cell of a runaway quote, for the repair's button (`Warning::runaway_quote`).
    pub runaway_quote: Option<QuoteAt>,
    /// The header's rows when a header block was found or asked for (the choice
    /// 「見出しは N 行」 starts there).
    pub header_rows: Option<usize>,
    /// The first row looks like a respondent: the page asks whether it is a header.
    pub header_looks_like_data: bool,
}

impl ShownWarning {
    pub fn of(w: &Warning) -> Self {
        ShownWarning {
            message: Message::new(w.ja(), w.en()),
            severe: w.is_severe(),
            runaway_quote: w.runaway_quote(),
            header_rows: match w {
                Warning::HeaderBlock { rows, .. } => Some(*rows),
                _ => None,
            },
            header_looks_like_data: matches!(w, Warning::HeaderLooksLikeData { .. }),
        }
    }

    pub fn ja(&self) -> &str {
        &self.message.ja
    }

    pub fn en(&self) -> &str {
        &self.message.en
    }

    pub fn is_severe(&self) -> bool {
        self.severe
    }

    pub fn runaway_quote(&self) -> Option<QuoteAt> {
        self.runaway_quote
    }
}

impl From<&Warning> for ShownWarning {
    fn from(w: &Warning) -> Self {
        ShownWarning::of(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::{Reply, Session};
    use crate::ingest::{read_bytes, ReadOptions};

    /// What the page shows and acts on is what the warnings say: the words of every
    /// warning in order, the runaway quote's cell and severity, the header block's rows.
    #[test]
    fn the_page_gets_each_warning_in_words_with_what_it_acts_on() {
        // A header block of two rows; a quote left open in row 11.
        let mut block = String::from("問1,問2\nさびしさ,会う頻度\n");
        let mut runaway = String::from("ID,性別,ご意見\n");
        for i in 1..=30 {
            block.push_str(&format!("{},{}\n", i % 4 + 1, i % 6 + 1));
            let opinion = if i == 11 { "\"駅が遠い" } else { "なし" };
            runaway.push_str(&format!("{i},{},{opinion}\n", ["女性", "男性"][i % 2]));
        }
        let mut shown_all = Vec::new();
        for text in [block, runaway] {
            let loaded = read_bytes(text.as_bytes(), ReadOptions::default()).unwrap();
            let warnings = loaded.warnings.clone();
            assert!(!warnings.is_empty());
            let Reply::Loaded(summary, _) = Session::default().loaded(loaded) else {
                panic!()
            };
            let shown = summary.warnings[..warnings.len()].to_vec();
            for (s, w) in shown.iter().zip(&warnings) {
                assert_eq!((s.ja(), s.en()), (w.ja().as_str(), w.en().as_str()));
                assert_eq!(s.is_severe(), w.is_severe());
                assert_eq!(s.runaway_quote(), w.runaway_quote());
                let rows = match w {
                    Warning::HeaderBlock { rows, .. } => Some(*rows),
                    _ => None,
                };
                assert_eq!(s.header_rows, rows);
            }
            shown_all.extend(shown);
        }
        assert!(shown_all.iter().any(|s| s.header_rows == Some(2)));
        assert!(shown_all
            .iter()
            .any(|s| s.runaway_quote().is_some() && s.is_severe()));
    }
}
