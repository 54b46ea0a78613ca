//! The one bilingual message: what happened and what to do, in Japanese and English.
//! Every refusal, error and note the engine gives a person is a [`Message`] (under the
//! names `model::Refusal`, `model::ModelError`, `model::codebook::CodebookError`,
//! `model::population::PopulationError`, `share::ShareError`, `analysis::Note`; a filter's
//! error is one with its position). One `Display`: the Japanese line, then the English one.
//! Serialised as `{"ja": …, "en": …}`, as saved reports and aggregates hold it.

use serde::{Deserialize, Serialize};

/// A text in Japanese and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Message {
    pub ja: String,
    pub en: String,
}

impl Message {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Message {
        Message {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// A message between the page and a worker that could not be read (a bug, not the
    /// user's doing): what the decoder said.
    pub fn internal(error: impl std::fmt::Display) -> Message {
        Message::new(
            format!("内部エラー: {error}"),
            format!("internal error: {error}"),
        )
    }

    /// The text in one language (the one place a writer picks).
    pub fn pick(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.ja, self.en)
    }
}

impl std::error::Error for Message {}

impl From<(String, String)> for Message {
    fn from((ja, en): (String, String)) -> Message {
        Message { ja, en }
    }
}

impl From<Message> for (String, String) {
    fn from(m: Message) -> (String, String) {
        (m.ja, m.en)
    }
}

/// An optional message saved as the pair `[ja, en]` (`#[serde(with = "...")]`), where a
/// format wrote it so before there was one message type (`DeriveError::reason`, in
/// `inspect --json`).
pub mod as_pair {
    use super::Message;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(m: &Option<Message>, s: S) -> Result<S::Ok, S::Error> {
        m.as_ref().map(|m| (&m.ja, &m.en)).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Message>, D::Error> {
        Ok(Option::<(String, String)>::deserialize(d)?.map(Message::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_line_then_english_line() {
        let m = Message::new("読めません。", "Cannot read.");
        assert_eq!(m.to_string(), "読めません。\nCannot read.");
        let e: Box<dyn std::error::Error> = Box::new(m.clone());
        assert_eq!(e.to_string(), m.to_string());
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"ja":"読めません。","en":"Cannot read."}"#
        );
    }
}
