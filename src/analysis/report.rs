//! A report: every table of an analysis template computed on one survey (`run`). An item
//! that cannot be computed (a question missing from this year's file, a personal column)
//! becomes a refusal in the report instead of stopping the others. Serde, written by
//! `tsunagari run` as JSON (`docs/analysis-json.md`) and sent to the page; `layout` lays
//! it out as text, CSV and xlsx.

use serde::{Deserialize, Serialize};

use super::crosstab::{crosstab, Crosstab};
use super::filter::Filter;
use super::means::{means, Means};
use super::national::{compare_filtered, NationalComparison};
use super::tabulation::{tabulate, Tabulation};
use super::template::{AnalysisTemplate, TableSpec, VERSION};
use crate::model::survey::Refusal;
use crate::model::Survey;

/// Written into every report.
pub const REPORT_FORMAT: &str = crate::formats::REPORT;

/// What one item gave. (Boxing the large variants would save stack space in a list of
/// a dozen items, not worth the noise in every match.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "result", rename_all = "snake_case")]
pub enum Outcome {
    Tabulation(Vec<Tabulation>),
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
                } => tabulate(survey, question, weight(w).as_deref(), filter(f).as_ref())
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
