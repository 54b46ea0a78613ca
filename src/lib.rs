//! Tsunagari (つながり): survey analysis that never leaves the machine.
//!
//! One crate, three faces: this library (the engine), the command-line tool
//! (`src/bin/tsunagari/`) and the Yew web app (`ui`, wasm32 only). The engine is pure
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
//! - showing them: [`chart`] (SVG), [`format`](mod@format) (how numbers read);
//! - sharing a setup, never the data: [`share`];
//! - the page's pure side: [`app`] (requests and replies in the worker, what the page
//!   shows as pure functions, words, marks and TSV for the page; never used by the CLI);
//! - [`sample`]: the fictitious sample survey; [`formats`]: the name every saved file
//!   starts with; [`message`]: the one bilingual message; [`lang`]: the
//!   language the app's own words are shown in.

pub mod analysis;
pub mod app;
pub mod chart;
pub mod format;
pub mod formats;
pub mod ingest;
pub mod lang;
pub mod message;
pub mod model;
pub mod sample;
pub mod share;
pub mod stats;
pub mod table;

/// Disclosure control lives with the statistics (`stats::disclosure`); the page, the CLI
/// and the tests name it from the root.
pub use stats::disclosure;

pub(crate) mod csv_safe;

/// The web app. Compiled for wasm32 only, so a host build never compiles yew.
#[cfg(target_arch = "wasm32")]
pub mod ui;
