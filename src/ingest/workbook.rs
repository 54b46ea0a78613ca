//! Reading spreadsheet workbooks (.xlsx, .xls, .ods) with calamine. The format is told by
//! the file's bytes, not its name (a zip holding an OpenDocument mimetype is .ods, any
//! other zip is tried as .xlsx, then .xlsb; an OLE file is .xls, or an .xlsx locked by a
//! password). Cells become text the way a user sees them in Excel (1, not 1.0; dates as
//! 2024-12-01), then go through the same `Assembler` as a CSV, so headers, blank rows
//! and empty columns are handled and reported alike. Opening each format with its own
//! reader (not calamine's "auto", which drops the reason) lets a password be named.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{
    Data, Ods, OdsError, Range, Reader, SheetType, SheetVisible, Sheets, Xls, XlsError, Xlsb, Xlsx,
    XlsxError,
};

use super::report::{ReadError, EXAMPLES};
use super::sheet_grid::SheetGrid;
use super::sniff::{OLE, ZIP};
use super::Loaded;

pub use super::sniff::is_workbook;

type Book<'a> = Sheets<Cursor<&'a [u8]>>;

/// The worksheets of a workbook, in the order of its tabs (chart sheets left out).
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    Ok(worksheets(&open(bytes)?.0)
        .into_iter()
        .map(|(name, _)| name)
        .collect())
}

/// Reads one sheet of a workbook held in memory. `None`: the sheet that looks like the
/// data — of the sheets that hold a table, the one with the most filled cells, visible
/// sheets before hidden ones (a cover or notes sheet before the data is common, and reads
/// as a table of a row or two; a hidden sheet of choice lists sits behind it); if no
/// sheet holds a table, the error of the fullest one.
pub fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Loaded, ReadError> {
    read_workbook_with(bytes, sheet, None)
}

/// [`read_workbook`] with the header's rows as the user said (`ReadOptions::header_rows`).
pub fn read_workbook_with(
    bytes: &[u8],
    sheet: Option<&str>,
    header_rows: Option<usize>,
) -> Result<Loaded, ReadError> {
    choose(bytes, sheet, header_rows).map(|(_, loaded)| loaded)
}

/// The sheet [`read_workbook_with`] reads, as cells not yet assembled: what the workbook
/// module sends the browser's reading worker, which holds no workbook reader
/// ([`SheetGrid`]). The sheet is chosen by assembling it here; the reading worker
/// assembles it again (the same result: `SheetGrid::assemble` is deterministic).
pub fn read_sheet_grid(
    bytes: &[u8],
    sheet: Option<&str>,
    header_rows: Option<usize>,
) -> Result<SheetGrid, ReadError> {
    choose(bytes, sheet, header_rows).map(|(grid, _)| grid)
}

fn choose(
    bytes: &[u8],
    sheet: Option<&str>,
    header_rows: Option<usize>,
) -> Result<(SheetGrid, Loaded), ReadError> {
    let (mut book, format) = open(bytes)?;
    let sheets = worksheets(&book);
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let read = |book: &mut Book<'_>, name: &str| {
        let mut grid = read_sheet(book, format, name, &names, bytes.len())?;
        grid.header_rows = header_rows;
        let loaded = grid.assemble()?;
        Ok((grid, loaded))
    };
    if let Some(s) = sheet {
        if !names.iter().any(|n| n == s) {
            return Err(ReadError::NoSuchSheet {
                sheet: s.to_string(),
                sheets: names,
            });
        }
        return read(&mut book, s);
    }
    let filled = |book: &mut Book<'_>, name: &str| {
        book.worksheet_range(name)
            .map(|r| {
                r.used_cells()
                    .filter(|(_, _, c)| !matches!(c, Data::Empty))
                    .count()
            })
            .unwrap_or(0)
    };
    let mut order: Vec<(usize, bool, &str)> = sheets
        .iter()
        .map(|(name, visible)| (filled(&mut book, name), *visible, name.as_str()))
        .collect();
    // Visible first, then most cells first; a stable sort keeps the workbook's order on ties.
    order.sort_by_key(|(cells, visible, _)| (!*visible, std::cmp::Reverse(*cells)));
    let mut first_error = None;
    for (_, _, name) in order {
        match read(&mut book, name) {
            Ok(read) => return Ok(read),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(ReadError::Workbook {
        detail: "ワークシートが1枚もありません / the workbook has no worksheet".into(),
    }))
}

/// Worksheets with whether each is visible.
fn worksheets(book: &Book<'_>) -> Vec<(String, bool)> {
    book.sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect()
}

fn protected() -> ReadError {
    ReadError::Workbook {
        detail: "パスワードで保護されています。パスワードを解除して保存し直してください / \
                 it is protected by a password: remove the password and save it again"
            .into(),
    }
}

fn damaged(format: &str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Workbook {
        detail: format!(
            "壊れているか途中で切れています。元のアプリで開いて保存し直してください / \
             it is damaged or cut short: open it in the app that made it and save it again \
             ({format}: {e})"
        ),
    }
}

/// Runs the workbook reader behind an unwinding boundary: where panics unwind (native
/// builds with `panic = "unwind"`, the tests) a panic in calamine becomes a damaged-file
/// error instead of ending the program. With `panic = "abort"` (release, wasm32) this
/// catches nothing: `xls_check` must have rejected the file before.
fn guarded<T>(format: &str, read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|p| {
        let why = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(ReadError::Damaged {
            format: format.into(),
            found: crate::message::Message::new(
                format!("読み取りの途中で止まりました: {why}"),
                format!("the reader stopped: {why}"),
            ),
        })
    })
}

/// Opens the workbook with the reader its bytes call for; returns it with its format name.
fn open(bytes: &[u8]) -> Result<(Book<'_>, &'static str), ReadError> {
    guarded("xls / xlsx / ods", || open_unguarded(bytes))
}

fn open_unguarded(bytes: &[u8]) -> Result<(Book<'_>, &'static str), ReadError> {
    let cursor = || Cursor::new(bytes);
    if bytes.starts_with(OLE) {
        // The numbers calamine's .xls reader trusts, checked first (it panics on some).
        if let Err(found) = super::xls_check::check(bytes) {
            return Err(if names_encrypted_package(bytes) {
                protected()
            } else {
                ReadError::Damaged {
                    format: "xls".into(),
                    found,
                }
            });
        }
        return match Xls::new(cursor()) {
            Ok(book) => Ok((Sheets::Xls(book), "xls")),
            Err(XlsError::Password) => Err(protected()),
            // An .xlsx with a password is an OLE file holding an "EncryptedPackage"
            // stream: calamine's xlsx reader checks the directory; a damaged one may still
            // show the name.
            Err(e) => match Xlsx::new(cursor()) {
                Err(XlsxError::Password) => Err(protected()),
                _ if names_encrypted_package(bytes) => Err(protected()),
                _ => Err(damaged("xls", e)),
            },
        };
    }
    if !bytes.starts_with(ZIP) {
        return Err(damaged(
            "xlsx / xls / ods",
            "zip でも OLE でもありません / neither zip nor OLE",
        ));
    }
    if is_opendocument(bytes) {
        return match Ods::new(cursor()) {
            Ok(book) => Ok((Sheets::Ods(book), "ods")),
            Err(OdsError::Password) => Err(protected()),
            Err(e) => Err(damaged("ods", e)),
        };
    }
    match Xlsx::new(cursor()) {
        Ok(book) => Ok((Sheets::Xlsx(book), "xlsx")),
        Err(XlsxError::Password) => Err(protected()),
        // Not an .xlsx package: a binary .xlsb, or an .ods whose mimetype is not first.
        Err(e) => {
            if let Ok(book) = Xlsb::new(cursor()) {
                Ok((Sheets::Xlsb(book), "xlsb"))
            } else if let Ok(book) = Ods::new(cursor()) {
                Ok((Sheets::Ods(book), "ods"))
            } else {
                Err(damaged("xlsx", e))
            }
        }
    }
}

/// OpenDocument puts an uncompressed "mimetype" entry first, so its value is readable at
/// a fixed place: "application/vnd.oasis.opendocument.spreadsheet".
fn is_opendocument(bytes: &[u8]) -> bool {
    const MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
    bytes.get(30..38) == Some(b"mimetype")
        && bytes
            .get(38..bytes.len().min(160))
            .is_some_and(|b| b.windows(MIME.len()).any(|w| w == MIME))
}

/// The UTF-16 name of the stream an encrypted .xlsx keeps its content in.
fn names_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// One sheet's cells as text, from its header row down, with the title rows above it and
/// the error cells reported.
fn read_sheet(
    book: &mut Book<'_>,
    format: &'static str,
    name: &str,
    sheets: &[String],
    bytes: usize,
) -> Result<SheetGrid, ReadError> {
    let range = guarded(format, || Ok(book.worksheet_range(name)))?
        .map_err(|e| ReadError::Workbook {
            detail: format!(
                "シート「{name}」を読めません。元のアプリで開いて保存し直してください / \
                 cannot read sheet \"{name}\": open the workbook in the app that made it and save it again ({e})"
            ),
        })?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let header_at = header_row(&range);
    let mut grid = SheetGrid::new(format, name, sheets, bytes as u64, range.width());
    // Rows are reported by their row number in the sheet, as Excel shows them.
    grid.first_row = first_row as u64 + header_at as u64 + 1;
    for (i, row) in range.rows().enumerate().skip(header_at) {
        for (j, cell) in row.iter().enumerate() {
            if is_error(cell, format) {
                grid.error_cells += 1;
                if grid.error_examples.len() < EXAMPLES {
                    let at = cell_name(first_row as usize + i, first_col as usize + j);
                    grid.error_examples.push(at);
                }
            }
            grid.push_cell(&text(cell));
        }
    }
    grid.title_rows = range
        .rows()
        .take(header_at)
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| *c != Data::Empty))
        .map(|(i, _)| first_row as u64 + i as u64 + 1)
        .collect();
    Ok(grid)
}

/// Which row holds the header. Sheets often carry a title ("住民調査 回答一覧") and a blank
/// row above the table; the header is the first row that fills at least half as many
/// cells as the widest of the first rows (and two or more).
fn header_row(range: &Range<Data>) -> usize {
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

/// Error values as Excel spells them. An .ods keeps an error as the text of a string cell
/// (calamine can't tell it from typed text), so there the text is what counts.
const ERROR_TEXTS: [&str; 8] = [
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "Err:502",
];

fn is_error(cell: &Data, format: &str) -> bool {
    match cell {
        Data::Error(_) => true,
        Data::String(s) if format == "ods" => ERROR_TEXTS.contains(&s.as_str()),
        _ => false,
    }
}

/// A cell as the user sees it in Excel.
fn text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(s),
        Data::Int(i) => i.to_string().into(),
        Data::Float(f) => number(*f).into(),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => excel_date(d).into(),
        Data::DateTimeIso(s) => iso_datetime(s).into(),
        Data::DurationIso(s) => iso_duration(s).map_or(Cow::Borrowed(s.as_str()), Cow::Owned),
        Data::Error(e) => e.to_string().into(),
    }
}

/// Excel's serial date (days since 1900, the time as a fraction of a day): 2024-12-01,
/// 2024-12-01 09:30:00, or 09:30:00 for a time of day (a value under one day); a duration
/// format ([h]:mm) as 36:00:00. Values outside Excel's dates (up to 9999-12-31) stay numbers:
/// chrono would panic converting them.
fn excel_date(d: &calamine::ExcelDateTime) -> String {
    let v = d.as_f64();
    if d.is_duration() {
        if v.is_nan() || v.abs() >= 1e7 {
            return number(v);
        }
        let ms = (v * 86_400_000.0).round() as i64;
        let sign = if ms < 0 { "-" } else { "" };
        let s = ms.unsigned_abs() / 1000;
        return format!("{sign}{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    }
    if !(0.0..2_958_466.0).contains(&v) {
        return number(v);
    }
    match d.as_datetime() {
        Some(t) if v < 1.0 => t.format("%H:%M:%S").to_string(),
        Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
        Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => number(v),
    }
}

/// An .ods date value: "2024-12-01", "2024-12-01T09:30:00" → "2024-12-01 09:30:00"
/// (midnight is a date alone, as for .xlsx).
fn iso_datetime(s: &str) -> String {
    let t = s.replacen('T', " ", 1);
    match t.strip_suffix(" 00:00:00") {
        Some(date) => date.to_string(),
        None => t,
    }
}

/// An .ods time value, "PT09H30M00S" → "9:30:00" (hours may pass 24, as in Excel's [h]:mm).
fn iso_duration(s: &str) -> Option<String> {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let rest = rest.strip_prefix("PT")?;
    let (h, rest) = rest.split_once('H')?;
    let (m, rest) = rest.split_once('M')?;
    let sec = rest.strip_suffix('S')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    let sec: f64 = sec.parse().ok()?;
    if !(0.0..60.0).contains(&sec) || m >= 60 {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{h}:{m:02}:{:02}", sec as u64))
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
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn numbers_and_cell_names_as_excel_shows_them() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(1e20), "100000000000000000000");
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(2, 1), "B3");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn dates_times_and_durations() {
        let at = |v, t| excel_date(&ExcelDateTime::new(v, t, false));
        let (date, span) = (ExcelDateTimeType::DateTime, ExcelDateTimeType::TimeDelta);
        assert_eq!(at(45627.0, date), "2024-12-01");
        assert_eq!(at(45627.0 + 9.5 / 24.0, date), "2024-12-01 09:30:00");
        assert_eq!(at(9.5 / 24.0, date), "09:30:00");
        assert_eq!(at(1.5, span), "36:00:00");
        assert_eq!(at(-0.25, span), "-6:00:00");
        // Out of Excel's range (a damaged or hostile file): the number, never a panic.
        for v in [
            -1.0,
            3e6,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            at(v, date);
            at(v, span);
        }
        assert_eq!(at(-1.0, date), "-1");
        assert_eq!(iso_datetime("2024-12-01"), "2024-12-01");
        assert_eq!(iso_datetime("2024-12-01T00:00:00"), "2024-12-01");
        assert_eq!(iso_datetime("2024-12-01T09:30:00"), "2024-12-01 09:30:00");
        assert_eq!(iso_duration("PT09H30M00S").as_deref(), Some("9:30:00"));
        assert_eq!(iso_duration("PT36H00M05.5S").as_deref(), Some("36:00:05"));
        assert_eq!(iso_duration("P1DT2H"), None);
    }

    #[test]
    fn damaged_workbooks_are_errors_not_panics() {
        for bytes in [
            &b"PK\x03\x04garbage"[..],
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage"[..],
            &b"not a workbook"[..],
            &b""[..],
        ] {
            // A cut OLE header is said as damaged by the structural check.
            assert!(matches!(
                read_workbook(bytes, None),
                Err(ReadError::Workbook { .. } | ReadError::Damaged { .. })
            ));
            assert!(sheet_names(bytes).is_err());
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
