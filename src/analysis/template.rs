//! The analysis template: one versioned serde struct listing the tables a report holds
//! (tabulations, crosstabs, numbers by group, national comparisons) with a weight and a
//! filter for all of them. A municipality saves it once and runs it again on next year's
//! file, or passes it to a neighbour; like the survey model it never holds a response.
//!
//! [`run`] computes every item into a [`Report`]; an item that cannot be computed (a
//! question missing from this year's file, a personal column) becomes a refusal in the
//! report instead of stopping the others.

use serde::{Deserialize, Serialize};

use super::crosstab::{crosstab, Crosstab, CrosstabSpec};
use super::filter::Filter;
use super::frequencies::{frequencies, Frequencies};
use super::means::{means, Means};
use super::national::{compare_filtered, Measure, NationalComparison};
use crate::model::survey::Refusal;
use crate::model::{ModelError, Survey};

/// Written into every template so a file says what it is.
pub const FORMAT: &str = "tsunagari-analysis";
/// Bumped when the shape changes; [`AnalysisTemplate::from_json`] refuses newer versions.
pub const VERSION: u32 = 1;
/// Written into every report.
pub const REPORT_FORMAT: &str = "tsunagari-report";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisTemplate {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub title: String,
    /// A weight column for every table that names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// A filter for every table that has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default)]
    pub tables: Vec<TableSpec>,
}

/// One table to compute. Own `weight` / `filter` override the template's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TableSpec {
    Tabulation {
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<Filter>,
    },
    Crosstab(CrosstabSpec),
    Means {
        num: String,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<Filter>,
    },
    National {
        measure: Measure,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weight: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<Filter>,
    },
}

impl Default for AnalysisTemplate {
    fn default() -> Self {
        AnalysisTemplate {
            format: FORMAT.into(),
            version: VERSION,
            title: String::new(),
            weight: None,
            filter: None,
            tables: Vec::new(),
        }
    }
}

impl AnalysisTemplate {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a template always serialises")
    }

    /// Reads a saved template; refuses other files and newer versions by name, and
    /// templates beyond `limits` (too many tables, texts too long, a bad filter).
    pub fn from_json(json: &str) -> Result<AnalysisTemplate, ModelError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| ModelError {
            ja: format!(
                "分析テンプレート（JSON）を読めません（{}行{}列）: {e}",
                e.line(),
                e.column()
            ),
            en: format!(
                "Cannot read the analysis template JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(ModelError {
                ja: "つながりの分析テンプレートではありません（\"format\": \"tsunagari-analysis\" がありません）。".into(),
                en: "Not a Tsunagari analysis template (no \"format\": \"tsunagari-analysis\").".into(),
            });
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > VERSION as u64 {
            return Err(ModelError {
                ja: format!("この分析テンプレートは新しい版（{version}）で作られています。つながりを更新してください。"),
                en: format!("This analysis template was written by a newer version ({version}); update Tsunagari."),
            });
        }
        super::limits::check_template(&value)?;
        serde_json::from_value(value).map_err(|e| ModelError {
            ja: format!("分析テンプレートの内容が正しくありません: {e}"),
            en: format!("The analysis template is not valid: {e}"),
        })
    }
}

/// What one item gave. (Boxing the large variants would save stack space in a list of
/// a dozen items, not worth the noise in every match.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "result", rename_all = "snake_case")]
pub enum Outcome {
    Tabulation(Vec<Frequencies>),
    Crosstab(Crosstab),
    Means(Means),
    National(NationalComparison),
    /// The item could not be computed; the reason says what to do.
    Refused(Refusal),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    pub spec: TableSpec,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub version: u32,
    pub title: String,
    pub weight: Option<String>,
    pub filter: Option<String>,
    /// Rows of the file the report was computed on.
    pub rows: u64,
    pub items: Vec<ReportItem>,
    /// What reading the file found that makes these figures wrong (a quote that kept
    /// rows from being read: `ingest::Warning::report_note`), said at the top of every
    /// form of the report until the file is read right. Set by whoever read the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_notes: Vec<String>,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }

    /// The items that could not be computed.
    pub fn refusals(&self) -> impl Iterator<Item = (usize, &Refusal)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match &it.outcome {
                Outcome::Refused(r) => Some((i, r)),
                _ => None,
            })
    }
}

/// Computes every table of the template on the survey.
pub fn run(survey: &Survey, template: &AnalysisTemplate) -> Report {
    let weight = |own: &Option<String>| own.clone().or_else(|| template.weight.clone());
    let filter = |own: &Option<Filter>| own.clone().or_else(|| template.filter.clone());
    let items = template
        .tables
        .iter()
        .map(|spec| {
            let outcome = match spec {
                TableSpec::Tabulation {
                    question,
                    weight: w,
                    filter: f,
                } => frequencies(survey, question, weight(w).as_deref(), filter(f).as_ref())
                    .map(Outcome::Tabulation),
                TableSpec::Crosstab(c) => {
                    let mut c = c.clone();
                    c.weight = weight(&c.weight);
                    c.filter = filter(&c.filter);
                    crosstab(survey, &c).map(Outcome::Crosstab)
                }
                TableSpec::Means {
                    num,
                    by,
                    weight: w,
                    filter: f,
                } => means(survey, num, by, weight(w).as_deref(), filter(f).as_ref())
                    .map(Outcome::Means),
                TableSpec::National {
                    measure,
                    weight: w,
                    filter: f,
                } => compare_filtered(survey, *measure, weight(w).as_deref(), filter(f).as_ref())
                    .map(Outcome::National),
            };
            ReportItem {
                spec: spec.clone(),
                outcome: outcome.unwrap_or_else(Outcome::Refused),
            }
        })
        .collect();
    Report {
        format: REPORT_FORMAT.into(),
        version: VERSION,
        title: template.title.clone(),
        weight: template.weight.clone(),
        filter: template.filter.as_ref().map(|f| f.source().to_string()),
        rows: survey.table.rows as u64,
        items,
        read_notes: Vec::new(),
    }
}
