//! The table layer: questions in, report-ready tables out. Where `crate::stats` works on
//! plain matrices and vectors, this layer knows the survey — codebook order and labels,
//! missing codes, multiple answers, the personal-data gate, weights and filters — and turns
//! a request (a crosstab, numbers by group, a comparison with the national survey, a whole
//! analysis template) into serde structs the CLI prints, the page shows and the report
//! writers (CSV, xlsx) lay out.
//!
//! Every name goes through `Survey::usable` / `usable_column`, so identifiers and free
//! text are refused here for every output.

pub mod aggregate;
mod cross_classification;
pub mod crosstab;
pub(crate) mod filter;
pub mod layout;
pub(crate) mod limits;
pub(crate) mod means;
pub mod municipal;
pub mod national;
pub(crate) mod numeric;
mod published;
pub mod report;
pub(crate) mod tabulation;
pub(crate) mod template;
mod variable;

pub use crosstab::{crosstab, Crosstab, CrosstabSpec, CrosstabTable};
pub use filter::{condition_text, join_condition, Filter, FilterError};
pub use means::{means, Means};
pub use national::{compare, Measure, NationalComparison};
pub use report::{run, Report};
pub use tabulation::{tabulate, Category, Tabulation};
pub use template::{AnalysisTemplate, TableSpec};
pub use variable::Label;

/// A remark shown under a table (base, weights, tests), in Japanese and English
/// (serialised as `{"ja": …, "en": …}` in reports and aggregates).
pub type Note = crate::message::Message;
