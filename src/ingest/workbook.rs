//! Reading spreadsheet workbooks (.xlsx, .xls, .ods) with calamine. The format is told by
//! the file's first bytes, not its name. Cells become text the way a user sees them in
//! Excel (1, not 1.0; dates as 2024-12-01), then go through the same [`Assembler`] as a
//! CSV, so headers, blank rows and empty columns are handled and reported alike.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};

use super::assemble::Assembler;
use super::encoding::Confidence;
use super::report::{ReadError, Warning, EXAMPLES};
use super::{Loaded, ReadInfo};

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// True when the first bytes are those of a workbook container (zip or OLE).
pub fn is_workbook(head: &[u8]) -> bool {
    head.starts_with(ZIP) || head.starts_with(OLE)
}

/// An xlsx protected by a password is an OLE file holding an "EncryptedPackage" stream.
fn is_encrypted(bytes: &[u8]) -> bool {
    if !bytes.starts_with(OLE) {
        return false;
    }
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

fn open(bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, ReadError> {
    if is_encrypted(bytes) {
        return Err(ReadError::Workbook {
            detail: "パスワードで保護されています / it is protected by a password".into(),
        });
    }
    open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| ReadError::Workbook {
        detail: format!(
            "壊れているか、対応していない形式です / it is damaged or not a supported workbook: {e}"
        ),
    })
}

pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    Ok(open(bytes)?.sheet_names())
}

/// Reads one sheet of a workbook held in memory. `None`: the first sheet that holds a
/// table (a cover or notes sheet before the data is common); if none does, the first
/// sheet's error.
pub fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Loaded, ReadError> {
    if sheet.is_some() {
        return read_sheet(bytes, sheet);
    }
    let names = sheet_names(bytes)?;
    let mut first_error = None;
    for name in &names {
        match read_sheet(bytes, Some(name)) {
            Ok(loaded) => return Ok(loaded),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(ReadError::Workbook {
        detail: "シートが1枚もありません / the workbook has no sheet".into(),
    }))
}

fn read_sheet(bytes: &[u8], sheet: Option<&str>) -> Result<Loaded, ReadError> {
    let mut book = open(bytes)?;
    let format = match &book {
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xls(_) => "xls",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(ReadError::Workbook {
                detail: format!(
                    "シート「{s}」がありません（あるシート: {}）/ no sheet \"{s}\"",
                    sheets.join("、")
                ),
            })
        }
        None => sheets.first().cloned().ok_or_else(|| ReadError::Workbook {
            detail: "シートが1枚もありません / the workbook has no sheet".into(),
        })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| ReadError::Workbook {
            detail: format!("シート「{name}」を読めません / cannot read sheet \"{name}\": {e}"),
        })?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let header_at = header_row(&range);
    let mut table = Assembler::new(false);
    let mut errors = (0u64, Vec::new());
    let mut texts: Vec<String> = Vec::new();
    for (i, row) in range.rows().enumerate().skip(header_at) {
        texts.clear();
        for (j, cell) in row.iter().enumerate() {
            if let Data::Error(_) = cell {
                errors.0 += 1;
                if errors.1.len() < EXAMPLES {
                    errors
                        .1
                        .push(cell_name(first_row as usize + i, first_col as usize + j));
                }
            }
            texts.push(text(cell));
        }
        let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
        // Rows are reported by their row number in the sheet, as Excel shows them.
        table.record(&fields, first_row as u64 + i as u64 + 1);
    }
    let mut warnings = Vec::new();
    let titles: Vec<u64> = range
        .rows()
        .take(header_at)
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| *c != Data::Empty))
        .map(|(i, _)| first_row as u64 + i as u64 + 1)
        .collect();
    if !titles.is_empty() {
        warnings.push(Warning::TitleRowsSkipped { rows: titles });
    }
    if errors.0 > 0 {
        warnings.push(Warning::CellErrors {
            count: errors.0,
            cells: errors.1,
        });
    }
    let (table, warnings) = table.finish(warnings, 0).map_err(|e| match e {
        // A sheet with nothing on it: say which sheet, since another may hold the data.
        ReadError::Empty => ReadError::EmptySheet {
            sheet: name.clone(),
            sheets: sheets.clone(),
        },
        e => e,
    })?;
    let info = ReadInfo {
        format: format.into(),
        encoding: "—".into(),
        encoding_label: String::new(),
        confidence: Confidence::Certain,
        delimiter: None,
        sheet: Some(name),
        sheets,
        bytes: bytes.len() as u64,
        rows: table.rows,
        columns: table.columns.len(),
    };
    Ok(Loaded {
        table,
        warnings,
        info,
    })
}

/// Which row holds the header. Sheets often carry a title ("住民調査 回答一覧") and a blank
/// row above the table; the header is the first row that fills at least half as many
/// cells as the widest of the first rows (and two or more).
fn header_row(range: &calamine::Range<Data>) -> usize {
    let filled: Vec<usize> = range
        .rows()
        .take(30)
        .map(|r| r.iter().filter(|c| **c != Data::Empty).count())
        .collect();
    let widest = filled.iter().copied().max().unwrap_or(0);
    filled
        .iter()
        .position(|&n| n > 0 && n >= 2.max(widest.div_ceil(2)))
        .or_else(|| filled.iter().position(|&n| n > 0))
        .unwrap_or(0)
}

/// A cell as the user sees it in Excel.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(d) if d.is_duration() => match d.as_duration() {
            Some(t) => {
                let s = t.num_seconds();
                format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
            }
            None => number(d.as_f64()),
        },
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number(d.as_f64()),
        },
        Data::DateTimeIso(s) => s.replace('T', " "),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}").replace("##", "#"),
    }
}

/// 1.0 → "1", 0.1 → "0.1": Excel shows integers without a decimal point.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// "B3" for row 2, column 1 (0-based).
fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_cell_names_as_excel_shows_them() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(2, 1), "B3");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn damaged_workbooks_are_errors_not_panics() {
        for bytes in [
            &b"PK\x03\x04garbage"[..],
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage"[..],
        ] {
            assert!(matches!(
                read_workbook(bytes, None),
                Err(ReadError::Workbook { .. })
            ));
        }
        let mut encrypted = OLE.to_vec();
        encrypted.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        match read_workbook(&encrypted, None) {
            Err(ReadError::Workbook { detail }) => assert!(detail.contains("パスワード")),
            other => panic!("{other:?}"),
        }
    }
}
