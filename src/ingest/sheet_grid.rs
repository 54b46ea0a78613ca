//! One workbook sheet as the workbook reader saw it: every cell as the text a user sees in
//! Excel, with what the reader found (title rows skipped, error cells). Assembling it into
//! a table is the same `Assembler` step as for a CSV, and needs no workbook reader: the
//! browser's reading worker, built without calamine (cargo feature `workbooks` off, issue
//! 16: it was an eighth of the worker's wasm), gets a sheet as a `SheetGrid` from the
//! workbook module (`app::workbook_read`) and assembles it here, so the session stays in
//! the reading worker. The CLI and the tests read a workbook and assemble its grid in one
//! go (`workbook::read_workbook_with`).

use serde::{Deserialize, Serialize};

use super::assemble::Assembler;
use super::encoding::Confidence;
use super::report::{ReadError, Warning};
use super::{Loaded, ReadInfo};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetGrid {
    /// "xlsx", "xls", "xlsb" or "ods".
    pub format: String,
    /// The sheet read, and every worksheet of the workbook (for the sheet picker).
    pub sheet: String,
    pub sheets: Vec<String>,
    /// The workbook's size in bytes.
    pub bytes: u64,
    /// Rows of the header as the user said (`ReadOptions::header_rows`).
    pub header_rows: Option<usize>,
    /// Cells per row (a sheet's used range is a rectangle).
    pub width: usize,
    /// The sheet's row number (1-based, as Excel shows it) of the first row below.
    pub first_row: u64,
    /// Every cell's text, row by row, one after the other: one string, not one per cell,
    /// so a sheet of a million cells crosses between workers as one value.
    pub text: String,
    /// Where each cell's text ends in `text` (byte offsets, u32 little-endian, as bytes:
    /// one `Uint8Array` between workers, not an array of numbers).
    #[serde(with = "offsets")]
    pub ends: Vec<u32>,
    /// Rows above the header with something on them, skipped as titles (sheet row
    /// numbers): `Warning::TitleRowsSkipped`, said first.
    pub title_rows: Vec<u64>,
    /// Cells holding an error value (#N/A …): how many, and the first ones' names (B3):
    /// `Warning::CellErrors`. Plain fields, not `Warning`s: the reading worker then holds
    /// no decoder of `Warning` (internally tagged, a large one).
    pub error_cells: u64,
    pub error_examples: Vec<String>,
}

impl SheetGrid {
    /// An empty grid of `sheet`, filled cell by cell with [`SheetGrid::push_cell`].
    pub fn new(format: &str, sheet: &str, sheets: &[String], bytes: u64, width: usize) -> Self {
        SheetGrid {
            format: format.into(),
            sheet: sheet.into(),
            sheets: sheets.to_vec(),
            bytes,
            header_rows: None,
            width,
            first_row: 1,
            text: String::new(),
            ends: Vec::new(),
            title_rows: Vec::new(),
            error_cells: 0,
            error_examples: Vec::new(),
        }
    }

    /// Appends the next cell (rows are `width` cells, one after the other).
    pub fn push_cell(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len() as u32);
    }

    /// The rows held.
    pub fn rows(&self) -> usize {
        self.ends.len().checked_div(self.width).unwrap_or(0)
    }

    fn cell(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// The table, through the same `Assembler` as a CSV: headers, blank rows and empty
    /// columns handled and reported alike.
    pub fn assemble(&self) -> Result<Loaded, ReadError> {
        // Offsets from another worker are checked, never trusted to index.
        let consistent = self.ends.len() % self.width.max(1) == 0
            && self.ends.windows(2).all(|w| w[0] <= w[1])
            && self
                .ends
                .last()
                .is_none_or(|&e| e as usize == self.text.len());
        if !consistent {
            return Err(ReadError::Workbook {
                detail: format!(
                    "シート「{}」の読み取り結果が壊れています。もう一度ファイルを開いてください / the sheet \"{}\" came back damaged from the workbook reader: open the file again",
                    self.sheet, self.sheet
                ),
            });
        }
        let mut table = Assembler::new(false).with_header_rows(self.header_rows);
        let mut fields: Vec<&str> = Vec::with_capacity(self.width);
        for r in 0..self.rows() {
            let at = r * self.width;
            fields.clear();
            fields.extend((0..self.width).map(|j| self.cell(at + j)));
            table.record(&fields, self.first_row + r as u64);
        }
        let mut warnings = Vec::new();
        if !self.title_rows.is_empty() {
            warnings.push(Warning::TitleRowsSkipped {
                rows: self.title_rows.clone(),
            });
        }
        if self.error_cells > 0 {
            warnings.push(Warning::CellErrors {
                count: self.error_cells,
                cells: self.error_examples.clone(),
            });
        }
        let (table, warnings) = table.finish(warnings, 0).map_err(|e| match e {
            // A sheet with nothing on it: say which sheet, since another may hold the data.
            ReadError::Empty => ReadError::EmptySheet {
                sheet: self.sheet.clone(),
                sheets: self.sheets.clone(),
            },
            e => e,
        })?;
        let info = ReadInfo {
            format: self.format.clone(),
            encoding: "—".into(),
            encoding_label: String::new(),
            confidence: Confidence::Certain,
            delimiter: None,
            sheet: Some(self.sheet.clone()),
            sheets: self.sheets.clone(),
            bytes: self.bytes,
            rows: table.rows,
            columns: table.columns.len(),
        };
        Ok(Loaded {
            table,
            warnings,
            info,
        })
    }
}

/// `Vec<u32>` as serde bytes (little-endian); a sequence of numbers is read too (JSON).
mod offsets {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = v.iter().flat_map(|e| e.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        struct Offsets;
        impl<'de> Visitor<'de> for Offsets {
            type Value = Vec<u32>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("cell offsets as bytes")
            }
            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u32>, E> {
                if v.len() % 4 != 0 {
                    return Err(E::custom("cell offsets: not a multiple of 4 bytes"));
                }
                Ok(v.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect())
            }
            fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u32>, E> {
                self.visit_bytes(&v)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u32>, A::Error> {
                let mut bytes = Vec::new();
                while let Some(b) = seq.next_element::<u8>()? {
                    bytes.push(b);
                }
                self.visit_bytes(&bytes)
            }
        }
        d.deserialize_bytes(Offsets)
    }
}
