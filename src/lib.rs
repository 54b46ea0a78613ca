//! Tsunagari (つながり): survey analysis that never leaves the machine.
//!
//! One crate, three faces: this library (the engine), the command-line tool
//! (`src/bin/tsunagari.rs`) and the Yew web app (`ui`, wasm32 only). The engine is pure
//! Rust with no I/O of its own and no web APIs, so `cargo test` tests it natively; the CLI
//! and the page call the same functions. The crate root is the map:
//!
//! - reading: [`ingest`] (bytes of a CSV or workbook in, a [`table::Table`] and every
//!   repair out) and [`table`] (dictionary-encoded columns);
//! - the survey: [`model`] (columns seen as questions: kinds, labels, missing codes,
//!   derived variables, the national items; the personal-data gate `model::Survey`);
//! - results: [`analysis`] (tabulations, crosstabs, means, national comparisons, reports
//!   and aggregates, all through one category resolver) on [`stats`] (the statistics on
//!   plain numbers, and disclosure control: [`disclosure`]);
//! - showing them: [`chart`] (SVG), [`format`](mod@format) (how numbers read), [`present`] (words,
//!   marks and TSV for the page);
//! - sharing a setup, never the data: [`share`];
//! - the page's engine side: [`session`] (requests and replies, in the worker) and
//!   `app_state` / `towns` (what the page shows, as pure functions);
//! - [`sample`]: the fictitious sample survey.

pub mod analysis;
pub mod chart;
pub mod format;
pub mod ingest;
pub mod model;
pub mod present;
pub mod sample;
pub mod session;
pub mod share;
pub mod stats;
pub mod table;

/// Disclosure control lives with the statistics (`stats::disclosure`); the page, the CLI
/// and the tests name it from the root.
pub use stats::disclosure;

// The page's state: used by `ui` (wasm32 only); a host build compiles it for its tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod app_state;
pub(crate) mod csv_safe;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod towns;

/// The web app. Compiled for wasm32 only, so a host build never compiles yew.
#[cfg(target_arch = "wasm32")]
pub mod ui;
