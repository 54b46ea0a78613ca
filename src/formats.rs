//! The `"format"` every file Tsunagari saves starts with, in one place below every layer:
//! the engine's readers refuse each other's files by name (a template given as a
//! codebook says it is a template), which would otherwise make `model` reach up into
//! `analysis` for the names.

/// A survey model (`model::SurveyModel`).
pub const SURVEY: &str = "tsunagari-survey";
/// An analysis template (`analysis::AnalysisTemplate`).
pub const ANALYSIS: &str = "tsunagari-analysis";
/// A report (`analysis::Report`).
pub const REPORT: &str = "tsunagari-report";
/// A disclosure-controlled aggregate (`analysis::aggregate::Aggregate`).
pub const AGGREGATE: &str = "tsunagari-aggregate";
