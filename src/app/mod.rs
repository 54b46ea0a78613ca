//! The page's pure side: everything the web app needs that is not Yew. What the page
//! shows and every change to it ([`state`], [`towns`]), the language of its words
//! ([`Lang`], from `crate::lang`), how results read on it ([`present`]) and the engine behind it as messages
//! ([`session`], run in the worker or the page). Pure Rust, tested natively with
//! `cargo test`; `ui` (wasm32 only) imports it, the CLI never does.

pub mod file_bytes;
pub mod present;
pub mod session;
pub mod shown_warning;
pub mod workbook;
pub mod workbook_read;
// The page's state: used by `ui` (wasm32 only); a host build compiles it for its tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod state;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod towns;

pub use crate::lang::Lang;
