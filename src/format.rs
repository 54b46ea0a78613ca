//! Numbers as people read them. Every percentage the page, the CLI, the charts and the
//! report files show goes through [`format_percent`], so they agree to the digit.

/// A percentage (0–100) as it is shown: one decimal, as the national report prints it.
pub fn format_percent(p: f64) -> String {
    format!("{p:.1}")
}
