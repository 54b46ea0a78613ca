//! The analysis template: one versioned serde struct listing the tables a report holds
//! (tabulations, crosstabs, numbers by group, national comparisons) with a weight and a
//! filter for all of them. A municipality saves it once and runs it again on next year's
//! file, or passes it to a neighbour; like the survey model it never holds a response.
//! `report::run` computes it.

use serde::{Deserialize, Serialize};

use super::crosstab::CrosstabSpec;
use super::filter::Filter;
use super::national::Measure;
use crate::model::ModelError;

/// Written into every template so a file says what it is.
pub const FORMAT: &str = crate::formats::ANALYSIS;
/// Bumped when the shape changes; [`AnalysisTemplate::from_json`] refuses newer versions.
pub const VERSION: u32 = 1;

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
