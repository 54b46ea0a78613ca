//! A question as staff think of it: one or several columns, what kind of answer they hold,
//! the answers' labels and order, and which codes mean "no answer".

use serde::{Deserialize, Serialize};

/// What a question's answers are. Decides how it is tabulated and whether it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One answer from a list (codes or labels).
    Single,
    /// Several answers (複数回答): 0/1 columns, or one column of joined answers.
    Multiple,
    /// Several items sharing one scale (a grid / Likert battery); each item is a column.
    Grid,
    /// A number (age, years lived, counts).
    Numeric,
    /// Free text (自由記述): never tabulated or exported unless turned on.
    FreeText,
    /// Identifies a person (ID, name, address, phone, e-mail): never shown unless turned on.
    Identifier,
    /// Survey weights (ウェイト).
    Weight,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Single,
        Kind::Multiple,
        Kind::Grid,
        Kind::Numeric,
        Kind::FreeText,
        Kind::Identifier,
        Kind::Weight,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            Kind::Single => "単一回答",
            Kind::Multiple => "複数回答",
            Kind::Grid => "設問群（同じ選択肢）",
            Kind::Numeric => "数値",
            Kind::FreeText => "自由記述",
            Kind::Identifier => "個人を特定する情報",
            Kind::Weight => "ウェイト（重み）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::Single => "single choice",
            Kind::Multiple => "multiple response",
            Kind::Grid => "grid (shared scale)",
            Kind::Numeric => "numeric",
            Kind::FreeText => "free text",
            Kind::Identifier => "identifier (personal)",
            Kind::Weight => "weight",
        }
    }

    /// Kinds left out of every table, chart, export and share unless the user turns
    /// them on: they can identify a respondent.
    pub fn personal(self) -> bool {
        matches!(self, Kind::FreeText | Kind::Identifier)
    }
}

/// How the answers of a multiple-response question are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "form")]
pub enum MultiForm {
    /// One column per option; a cell is ticked when it holds one of `ticked`
    /// ("1", "○" …); anything else (0, blank) is not ticked.
    Binary { ticked: Vec<String> },
    /// One column whose cells join the chosen options with `separator`
    /// (Google Forms ", ", Microsoft Forms ";").
    Joined { separator: String },
}

/// Why a code is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// 無回答: the respondent did not answer (kept inside the base by default).
    NoAnswer,
    /// 非該当: the question did not apply (e.g. skipped by a filter question).
    NotApplicable,
}

impl Missing {
    pub fn ja(self) -> &'static str {
        match self {
            Missing::NoAnswer => "無回答",
            Missing::NotApplicable => "非該当",
        }
    }
}

/// One answer of the codebook: the value as it is in the file, and what it means.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ValueLabel {
    /// The cell's text ("1", "決してない"). For 0/1 multiple-response columns, the column.
    pub code: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Missing>,
    /// `missing` was guessed from the numbers alone (9 beside 1–5: `missing_guess`), not
    /// read from a label, a codebook or the user: shown as 推定, with an undo.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guessed: bool,
}

/// How sure the inference is; shown next to each question so the user checks the unsure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    Unsure,
    Likely,
    Sure,
    /// Set by the user or a codebook: not a guess.
    Confirmed,
}

impl Certainty {
    pub fn ja(self) -> &'static str {
        match self {
            Certainty::Unsure => "要確認",
            Certainty::Likely => "推定",
            Certainty::Sure => "確実",
            Certainty::Confirmed => "確認済み",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable name: the column name, or the shared stem of a group (問5).
    pub id: String,
    /// Short label for tables and charts.
    pub label: String,
    /// The question as asked (設問文), when known.
    #[serde(default)]
    pub text: String,
    pub kind: Kind,
    /// The file's columns this question reads, in order.
    pub columns: Vec<String>,
    /// For a grid: each item's own text, parallel to `columns` (empty = from the name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_texts: Vec<String>,
    /// For [`Kind::Multiple`]: how the answers are stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi: Option<MultiForm>,
    /// Answers in questionnaire order (`order`), the order every table, chart and export
    /// lists them in. For a 0/1 multiple-response set: one per column
    /// (`code` = the column). Missing codes (9 = 無回答 …) are here too, marked.
    #[serde(default)]
    pub values: Vec<ValueLabel>,
    /// The answers are ordered (a frequency, agreement … scale, 年代, numbers, a national
    /// item, or an order the user set): 累積% is shown only then. Saved with the model,
    /// the codebook sheet (回答の順序) and a share link, like the order of `values`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ordered: bool,
    pub certainty: Certainty,
    /// Why the kind was chosen, in Japanese then English (shown when unsure).
    #[serde(default)]
    pub reason: String,
    /// Shown in tables, charts and exports. False by default for identifiers and free
    /// text: the user must turn them on.
    pub include: bool,
}

impl Question {
    /// The label of a cell value, when the codebook has one.
    pub fn label_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.values
            .iter()
            .find(|v| v.code == code)
            .map(|v| v.label.as_str())
            .unwrap_or(code)
    }

    pub fn missing_of(&self, code: &str) -> Option<Missing> {
        self.values
            .iter()
            .find(|v| v.code == code)
            .and_then(|v| v.missing)
    }

    /// The text of the grid item (or the only column) `i`: the codebook's, or what the
    /// column name says after its number.
    pub fn item_text(&self, i: usize) -> String {
        match self.item_texts.get(i).filter(|t| !t.is_empty()) {
            Some(t) => t.clone(),
            None => self
                .columns
                .get(i)
                .map(|c| super::text::item_label(c))
                .unwrap_or_default(),
        }
    }

    /// Moves answer `i` one place up (`up`) or down, as the user does in 設問の設定: the
    /// order is then the user's, and the answers are ordered (累積% is shown). False when
    /// it cannot move (the first up, the last down).
    pub fn move_answer(&mut self, i: usize, up: bool) -> bool {
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        match j {
            Some(j) if i < self.values.len() && j < self.values.len() => {
                self.values.swap(i, j);
                self.ordered = true;
                true
            }
            _ => false,
        }
    }

    /// The options that are answers (not missing codes), in order.
    pub fn options(&self) -> impl Iterator<Item = &ValueLabel> {
        self.values.iter().filter(|v| v.missing.is_none())
    }
}
