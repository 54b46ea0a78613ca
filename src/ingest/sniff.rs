//! What kind of file this is, looked at before parsing: a known binary format that was
//! renamed .csv, and which delimiter a text table uses.

use serde::Serialize;

/// A binary format recognised by its first bytes ("magic number").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binary {
    /// Zip container: .xlsx, .ods, .docx, or a plain zip.
    Zip,
    /// OLE compound file: old .xls, or an .xlsx protected by a password.
    Ole,
    Pdf,
    Png,
    Jpeg,
    Gif,
    Gzip,
    /// NUL bytes or other control bytes a text table never holds.
    Other,
}

impl Binary {
    pub fn name(self) -> &'static str {
        match self {
            Binary::Zip => "ZIP (xlsx / ods / zip)",
            Binary::Ole => "OLE (xls / パスワード付き xlsx)",
            Binary::Pdf => "PDF",
            Binary::Png => "PNG",
            Binary::Jpeg => "JPEG",
            Binary::Gif => "GIF",
            Binary::Gzip => "gzip",
            Binary::Other => "binary",
        }
    }
}

/// The first bytes of a zip container (.xlsx, .xlsb, .ods).
pub(crate) const ZIP: &[u8] = b"PK\x03\x04";
/// The first bytes of an OLE compound file (.xls, or an .xlsx locked by a password).
pub(crate) const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// True when the first bytes are those of a workbook container (zip or OLE): bytes alone,
/// no workbook reader, so a build without one (the browser's reading worker) tells too.
pub fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(ZIP) || head.starts_with(OLE)
}

/// True when a file's name says it is a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods). Only a
/// hint, never what decides how a file is read (its bytes do, `is_workbook`): the page
/// starts the workbook module on it while the worker reads the file, so the module is
/// ready when the worker hands the workbook over.
pub fn named_like_workbook(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Recognises binary files. Called only when no text BOM is present.
pub fn binary_kind(head: &[u8]) -> Option<Binary> {
    const MAGIC: &[(&[u8], Binary)] = &[
        (b"PK\x03\x04", Binary::Zip),
        (b"PK\x05\x06", Binary::Zip),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", Binary::Ole),
        (b"%PDF", Binary::Pdf),
        (b"\x89PNG", Binary::Png),
        (b"\xFF\xD8\xFF", Binary::Jpeg),
        (b"GIF8", Binary::Gif),
        (b"\x1F\x8B", Binary::Gzip),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Some(*kind);
    }
    // Text tables never contain these control bytes (UTF-16 is checked before this).
    let sample = &head[..head.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)))
        .count();
    if controls > 0 && controls * 100 >= sample.len() {
        return Some(Binary::Other);
    }
    None
}

/// Delimiters a survey CSV can use, in order of preference when the evidence is equal.
pub const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];

/// Picks the delimiter whose count per line is the most consistent over the first lines
/// of `text`. Quotes are honoured so that commas inside answers don't vote.
pub fn delimiter(text: &str) -> u8 {
    let lines = logical_lines(text, 50);
    if lines.is_empty() {
        return b',';
    }
    let mut best = (b',', 0usize, 0usize);
    for &d in &DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mode = mode(&counts);
        if mode == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == mode).count();
        // More agreeing lines wins; then more columns.
        if (agreeing, mode) > (best.1, best.2) {
            best = (d, agreeing, mode);
        }
    }
    best.0
}

/// Splits into lines at newlines outside quotes; the last, possibly cut, line is dropped
/// when there are others.
fn logical_lines(text: &str, max: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => {
                if i > start {
                    lines.push(&text[start..i]);
                    if lines.len() >= max {
                        return lines;
                    }
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < bytes.len() && (lines.is_empty() || !in_quotes) {
        lines.push(&text[start..]);
    }
    lines
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 0;
    for &b in line.as_bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            n += 1;
        }
    }
    n
}

fn mode(counts: &[usize]) -> usize {
    let mut freq: Vec<(usize, usize)> = Vec::new();
    for &c in counts {
        match freq.iter_mut().find(|(v, _)| *v == c) {
            Some(f) => f.1 += 1,
            None => freq.push((c, 1)),
        }
    }
    freq.into_iter()
        .max_by_key(|&(v, n)| (n, v))
        .map(|(v, _)| v)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_workbook_by_its_name_is_only_a_hint() {
        for name in ["回答.xlsx", "A.XLS", "b.ods", "c.xlsm", "d.xlsb"] {
            assert!(named_like_workbook(name), "{name}");
        }
        for name in ["回答.csv", "xlsx", "a.xlsx.csv", "a.txt"] {
            assert!(!named_like_workbook(name), "{name}");
        }
    }

    use super::*;

    #[test]
    fn recognises_binaries_renamed_csv() {
        assert_eq!(binary_kind(b"PK\x03\x04\x14\x00rest"), Some(Binary::Zip));
        assert_eq!(binary_kind(b"%PDF-1.7\n"), Some(Binary::Pdf));
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n"), Some(Binary::Png));
        assert_eq!(
            binary_kind(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            Some(Binary::Ole)
        );
        assert_eq!(binary_kind(b"a,b\r\n1,2\r\n"), None);
        assert_eq!(
            binary_kind(&[0u8, 1, 2, 3, 0, 0, 9, 200]),
            Some(Binary::Other)
        );
    }

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(delimiter("a;b;c\n1,5;2;3\n4;5;6\n"), b';');
        // Commas inside quoted answers don't vote.
        assert_eq!(
            delimiter("id\t感想\n1\t\"はい, いいえ, 他\"\n2\t\"a,b\"\n"),
            b'\t'
        );
        assert_eq!(delimiter("単一列\n1\n2\n"), b',');
    }
}
