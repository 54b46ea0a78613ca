//! A codebook file as the user gives it: a saved survey model (JSON, `"format":
//! "tsunagari-survey"`) or a codebook sheet (CSV/TSV in any encoding, xlsx, xls, ods),
//! told apart by what the bytes hold — not by the file's name, so a model saved as .csv
//! or a sheet saved as .json is read for what it is. Another Tsunagari file (a template,
//! a report, an aggregate) is named as such.

use std::borrow::Cow;

use super::codebook::{Codebook, CodebookError};
use super::{ModelError, SurveyModel};
use crate::ingest::{read_file_bytes, ReadError, ReadOptions};
use crate::table::Table;

/// What a codebook file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CodebookFile {
    /// A saved survey model.
    Model(Box<SurveyModel>),
    /// A sheet, read as a survey file is (not yet checked for codebook headers).
    Sheet(Table),
}

/// Why a codebook file could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum CodebookFileError {
    /// JSON that is not a survey model (or a model that is damaged or newer).
    Model(ModelError),
    /// A sheet that cannot be read.
    Read(ReadError),
}

impl std::fmt::Display for CodebookFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodebookFileError::Model(e) => e.fmt(f),
            CodebookFileError::Read(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CodebookFileError {}

/// The file as text when it is a JSON object: `{` first after a byte-order mark (UTF-8,
/// UTF-16) and white space. `Some(Err)` when it starts like one but is not valid text.
fn json_text(bytes: &[u8]) -> Option<Result<Cow<'_, str>, ModelError>> {
    let text: Option<Cow<str>> = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) => enc.decode_without_bom_handling_and_without_replacement(&bytes[bom..]),
        None => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
    };
    match text {
        Some(t) => t.trim_start().starts_with('{').then_some(Ok(t)),
        // Not UTF-8: a JSON object still shows as a `{` first (any sheet's encoding
        // that starts with one would be a very odd sheet).
        None => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            (first == Some(&b'{')).then(|| {
                Err(ModelError {
                    ja: "設定ファイル（JSON）が UTF-8 ではありません。つながりが保存したファイルをそのまま使ってください。".into(),
                    en: "The model JSON is not UTF-8: use the file as Tsunagari saved it.".into(),
                })
            })
        }
    }
}

/// Whether the bytes hold JSON (a saved model, or another JSON file) rather than a sheet.
pub fn holds_json(bytes: &[u8]) -> bool {
    json_text(bytes).is_some()
}

/// Another Tsunagari file given as a codebook: what it is, in Japanese and English.
fn other_format(json: &str) -> Option<(&'static str, &'static str, String)> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let format = value.get("format")?.as_str()?.to_string();
    let (ja, en) = match format.as_str() {
        crate::formats::ANALYSIS => ("分析テンプレート", "an analysis template"),
        crate::formats::REPORT => ("集計結果", "a report"),
        crate::formats::AGGREGATE => ("秘匿処理した集計表", "an aggregate"),
        _ => return None,
    };
    Some((ja, en, format))
}

/// Opens a codebook file by its content: a JSON object is read as a saved model, anything
/// else as a sheet with `opts` (any encoding or workbook the survey reader takes).
pub fn open(bytes: &[u8], opts: ReadOptions) -> Result<CodebookFile, CodebookFileError> {
    match json_text(bytes) {
        Some(text) => {
            let text = text.map_err(CodebookFileError::Model)?;
            SurveyModel::from_json(&text)
                .map(|m| CodebookFile::Model(Box::new(m)))
                .map_err(|e| match other_format(&text) {
                    Some((ja, en, format)) => CodebookFileError::Model(ModelError {
                        ja: format!(
                            "これは{ja}（\"format\": \"{format}\"）で、符号表ではありません。符号表には「変数名」「コード」「ラベル」の列がある表か、保存した調査設定（\"format\": \"tsunagari-survey\"）を使ってください。"
                        ),
                        en: format!(
                            "This is {en} (\"format\": \"{format}\"), not a codebook. Use a sheet with question (変数名), code (コード) and label (ラベル) columns, or a saved survey model (\"format\": \"tsunagari-survey\")."
                        ),
                    }),
                    None => CodebookFileError::Model(e),
                })
        }
        // A codebook sheet's header is one row by its format: its rows are never a
        // header block (`ReadOptions::header_rows`).
        None => read_file_bytes(
            bytes,
            ReadOptions {
                header_rows: Some(1),
                ..opts
            },
            None,
        )
        .map(|loaded| CodebookFile::Sheet(loaded.table))
        .map_err(CodebookFileError::Read),
    }
}

impl CodebookFile {
    /// The codebook it gives; a sheet without the codebook's headers is refused naming
    /// `file` and the headers it has.
    pub fn codebook(&self, file: &str) -> Result<Codebook, CodebookError> {
        match self {
            CodebookFile::Model(m) => Ok(Codebook::from_model(m)),
            CodebookFile::Sheet(t) => Codebook::from_table(t, file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "変数名,設問文,コード,ラベル\nq1,孤独感,1,ある\n,,2,ない\n";

    fn model_json() -> String {
        let table = read_file_bytes(b"q1\n1\n2\n", ReadOptions::default(), None)
            .unwrap()
            .table;
        let mut model = SurveyModel::infer(&table);
        model.title = "調査".into();
        model.to_json()
    }

    #[test]
    fn a_model_is_known_by_its_content_whatever_its_name() {
        let json = model_json();
        for bytes in [
            json.clone().into_bytes(),
            [&[0xEF, 0xBB, 0xBF][..], json.as_bytes()].concat(),
            format!("\r\n  {json}").into_bytes(),
            // Saved as UTF-16 by Notepad.
            [0xFF, 0xFE]
                .into_iter()
                .chain(json.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
        ] {
            assert!(holds_json(&bytes));
            match open(&bytes, ReadOptions::default()).unwrap() {
                CodebookFile::Model(m) => assert_eq!(m.title, "調査"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_sheet_is_a_sheet_in_any_encoding() {
        for bytes in [
            SHEET.as_bytes().to_vec(),
            encoding_rs::SHIFT_JIS.encode(SHEET).0.into_owned(),
        ] {
            assert!(!holds_json(&bytes));
            let file = open(&bytes, ReadOptions::default()).unwrap();
            assert!(matches!(file, CodebookFile::Sheet(_)));
            let book = file.codebook("book.json").unwrap();
            assert_eq!(book.entries.len(), 1);
            assert_eq!(book.entries[0].values.len(), 2);
        }
    }

    #[test]
    fn clear_errors_for_what_is_neither() {
        // Broken JSON: the model reader's position.
        let e = open(b"{\"format\": ", ReadOptions::default()).unwrap_err();
        assert!(matches!(e, CodebookFileError::Model(_)));
        assert!(e.to_string().contains("JSON"), "{e}");
        // Another Tsunagari file says what it is.
        let e = open(
            br#"{"format": "tsunagari-analysis", "version": 1, "tables": []}"#,
            ReadOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("分析テンプレート"), "{e}");
        assert!(e.to_string().contains("an analysis template"), "{e}");
        // Other JSON: not a model.
        let e = open(br#"{"a": 1}"#, ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("tsunagari-survey"), "{e}");
        // JSON-looking bytes that are not UTF-8.
        let e = open(b"{\"title\": \"\x8f\xe3\"}", ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
        // Text that is no codebook: the sheet's headers are named.
        let file = open(b"not a codebook\nat all\n", ReadOptions::default()).unwrap();
        let e = file.codebook("x.json").unwrap_err();
        assert!(e.ja.contains("x.json") && e.ja.contains("変数名"), "{e}");
        // A PDF renamed: the reader says so.
        let e = open(b"%PDF-1.7\n...", ReadOptions::default()).unwrap_err();
        assert!(matches!(e, CodebookFileError::Read(_)), "{e}");
    }
}
