//! Tsunagari (つながり): survey analysis that never leaves the machine.
//!
//! This library is the engine: reading survey files ([`ingest`]), the table they become
//! ([`table`]), and the statistics on it ([`tabulate`]). It is pure Rust with no I/O of its
//! own and no web APIs, so `cargo test` tests it natively; the command-line tool
//! (`src/bin/tsunagari.rs`) and the Yew app ([`ui`], wasm32 only) call the same functions.

pub mod analysis;
pub mod app_state;
pub mod chart;
pub mod csv_safe;
pub mod format;
pub mod ingest;
pub mod model;
pub mod present;
pub mod sample;
pub mod session;
pub mod share;
pub mod stats;
pub mod table;
pub mod towns;

/// Disclosure control lives with the statistics (`stats::disclosure`); the page, the CLI
/// and the tests name it from the root.
pub use stats::disclosure;

/// The web app. Compiled for wasm32 only, so a host build never compiles yew.
#[cfg(target_arch = "wasm32")]
pub mod ui;
