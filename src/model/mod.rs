//! The survey model: the file's columns seen as questions (kinds, labels, missing codes),
//! the derived variables and the national items recognised. One versioned serde struct,
//! the same the app edits, the CLI reads and writes (`tsunagari codebook`), and a link will
//! carry to another municipality — it never holds a response.

pub(crate) mod apply_report;
pub mod codebook;
// The CLI's codebook files: a sheet may be a workbook (the workbook reader).
#[cfg(feature = "workbooks")]
pub mod codebook_file;
pub mod codebook_multi;
pub mod derive;
pub mod header;
pub(crate) mod infer;
pub mod missing_guess;
pub(crate) mod multi;
pub mod names;
pub mod national;
pub(crate) mod number;
pub(crate) mod order;
pub mod population;
pub mod question;
pub mod rake_groups;
pub(crate) mod scales;
pub mod shown_name;
pub(crate) mod survey;
pub(crate) mod text;
pub(crate) mod widening;

use serde::{Deserialize, Serialize};

pub use derive::{Derived, Recipe};
pub use question::{Certainty, Kind, Missing, MultiForm, Question, ValueLabel};
pub use shown_name::{shown_answer, shown_name};
pub use survey::Survey;

use crate::table::Table;

/// Written into every saved model so a file says what it is.
pub const FORMAT: &str = crate::formats::SURVEY;
/// Bumped when the shape changes; [`SurveyModel::from_json`] migrates older versions.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyModel {
    pub format: String,
    pub version: u32,
    /// Survey name, for reports.
    #[serde(default)]
    pub title: String,
    pub questions: Vec<Question>,
    #[serde(default)]
    pub derived: Vec<Derived>,
    #[serde(default)]
    pub national: Vec<national::Match>,
    /// The user confirmed that the file's first row is a header, though it looks like a
    /// respondent's answers ([`header::suspect_names`]). Until then a share link names the
    /// columns 列1, 列2 …; it never travels in a link.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header_confirmed: bool,
}

impl Default for SurveyModel {
    fn default() -> Self {
        SurveyModel {
            format: FORMAT.into(),
            version: VERSION,
            title: String::new(),
            questions: Vec::new(),
            derived: Vec::new(),
            national: Vec::new(),
            header_confirmed: false,
        }
    }
}

/// A model file (or a template, or an aggregate) that cannot be used.
pub type ModelError = crate::message::Message;

impl SurveyModel {
    /// The model guessed from the table alone: questions, national items, and what the
    /// national template derives from them.
    pub fn infer(table: &Table) -> SurveyModel {
        let mut model = SurveyModel {
            questions: infer::infer(table),
            ..SurveyModel::default()
        };
        model.recognise_national(table);
        // Only here: a codebook or the user may order the answers otherwise later.
        national::put_in_order(&mut model.questions, &model.national);
        model
    }

    /// (Re)runs national recognition and replaces the template's derived variables.
    pub fn recognise_national(&mut self, table: &Table) {
        self.national = national::recognise(&self.questions, table);
        self.refresh_national_derived(table);
    }

    /// Replaces the template's derived variables by those the current matches give.
    pub fn refresh_national_derived(&mut self, table: &Table) {
        self.derived.retain(|d| !d.national);
        let derived = national::derived(&self.national, table);
        self.derived.extend(derived);
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn question_mut(&mut self, id: &str) -> Option<&mut Question> {
        self.questions.iter_mut().find(|q| q.id == id)
    }

    /// Every missing code guessed from the numbers alone (9 beside 1–5), with why: for
    /// the user to check (`inspect --json`, the question editor's 推定).
    pub fn missing_guesses(&self) -> Vec<missing_guess::Guess> {
        self.questions
            .iter()
            .flat_map(missing_guess::guesses)
            .collect()
    }

    /// Undoes the guess that `code` of question `id` is a missing code: it is an answer
    /// again. False when there was no such guess. (The page's 「元に戻す」 calls this.)
    pub fn undo_missing_guess(&mut self, id: &str, code: &str) -> bool {
        self.question_mut(id)
            .is_some_and(|q| missing_guess::undo(q, code))
    }

    /// The question a column belongs to.
    pub fn question_of_column(&self, column: &str) -> Option<&Question> {
        self.questions
            .iter()
            .find(|q| q.columns.iter().any(|c| c == column))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model always serialises")
    }

    /// Reads a saved model, migrating older versions; refuses newer ones by name.
    pub fn from_json(json: &str) -> Result<SurveyModel, ModelError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| ModelError {
            ja: format!(
                "設定ファイル（JSON）を読めません（{}行{}列）: {e}",
                e.line(),
                e.column()
            ),
            en: format!(
                "Cannot read the model JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(ModelError {
                ja: "つながりの調査設定ファイルではありません（\"format\": \"tsunagari-survey\" がありません）。".into(),
                en: "Not a Tsunagari survey model (no \"format\": \"tsunagari-survey\").".into(),
            });
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > VERSION as u64 {
            return Err(ModelError {
                ja: format!("この設定ファイルは新しい版（{version}）で作られています。つながりを更新してください。"),
                en: format!("This model was written by a newer version ({version}); update Tsunagari."),
            });
        }
        // Version 1 is the first; migrations from older versions go here as they appear.
        serde_json::from_value(value).map_err(|e| ModelError {
            ja: format!("設定ファイルの内容が正しくありません: {e}"),
            en: format!("The model file is not valid: {e}"),
        })
    }
}
