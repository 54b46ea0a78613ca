//! Text cells of CSV and TSV made safe to open in Excel (CSV / formula injection, OWASP).
//!
//! A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which Excel
//! skips before reading one of those) is a formula to Excel and LibreOffice:
//! `=HYPERLINK("http://evil","x")` in an answer, a column name or a question text would
//! be live in the staff member's workbook the moment they open our report, codebook or
//! pasted table. Japanese input turns the full-width ＝＋－＠ into the same, so they count
//! too. Every writer of CSV/TSV text passes each TEXT cell through [`neutralise`], which
//! puts a `'` in front: Excel shows the cell as text and hides the `'`, so what the user
//! sees is the text as it was. Numbers written as numbers never come here, and a text
//! that is a plain number (-1 as a missing code) is left alone: Excel reads it as that
//! number, not as a formula.
//!
//! The codebook sheet is also read back ([`crate::model::codebook`]), so [`restore`]
//! takes the `'` off again. To keep every text exactly through that round trip, a text
//! that already starts with `'`s before a formula character gets one more (`'=1` is
//! written `''=1`, shown by Excel as `'=1`, and read back as `'=1`). The xlsx writers need
//! none of this: they write strings as strings.

use std::borrow::Cow;

/// What spreadsheets read as the start of a formula.
const FORMULA_START: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// `-1`, `-0.5`, `12`: what Excel reads as a number (so never as a formula).
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && frac.is_none_or(all_digits)
}

/// True when the text (after any `'` already in front) would start a formula.
fn needs_quote(text: &str) -> bool {
    let rest = text.trim_start_matches('\'');
    rest.starts_with(FORMULA_START) && !plain_number(rest)
}

/// A text cell as written into CSV/TSV: with a leading `'` when a spreadsheet would read
/// it as a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as read back from a sheet we wrote: [`neutralise`] undone (one `'` taken
/// off where it had put one). A `'` before anything else is the user's and stays.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(cell) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_and_come_back() {
        for (text, written) in [
            ("=1+1", "'=1+1"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("＝1", "'＝1"),
            ("＋1", "'＋1"),
            ("－1", "'－1"),
            ("＠A", "'＠A"),
            ("'=1", "''=1"),
            ("''+1", "'''+1"),
            ("-", "'-"),
            ("+1", "'+1"),
            ("-1.", "'-1."),
            // Left alone: not a formula, or a number Excel reads as one.
            ("-1", "-1"),
            ("-0.25", "-0.25"),
            ("12", "12"),
            ("'", "'"),
            ("'90年代", "'90年代"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("", ""),
            ("女性", "女性"),
        ] {
            assert_eq!(neutralise(text), written, "{text:?}");
            assert_eq!(restore(written), text, "{written:?}");
        }
    }
}
