//! Numbers as people read them. Every percentage the page, the CLI, the charts and the
//! report files show goes through [`format_percent`], so they agree to the digit; counts
//! on the page and in print through [`format_int`] (1,200).

/// A percentage (0–100) as it is shown: one decimal, as the national report prints it.
pub fn format_percent(p: f64) -> String {
    format!("{p:.1}")
}

/// A whole number with thousands separators: 1200 → 「1,200」, -3400 → 「-3,400」.
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(1200), "1,200");
        assert_eq!(format_int(-1234567), "-1,234,567");
    }
}
