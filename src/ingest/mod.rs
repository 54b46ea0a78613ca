//! Reading survey files into a [`Table`]: bytes in, a table and a list of every repair
//! out. Reading never panics and never drops a row without saying so.

pub(crate) mod assemble;
pub mod csv_reader;
pub mod encoding;
pub(crate) mod file_reader;
pub(crate) mod header_block;
pub mod parallel;
pub(crate) mod plain_line;
pub mod range_source;
pub mod range_split;
pub(crate) mod report;
pub(crate) mod sheet_grid;
pub(crate) mod sniff;
// The workbook reader (calamine): not in the browser's reading worker, which gets a
// workbook's sheet as a `SheetGrid` from the workbook module (cargo feature `workbooks`).
#[cfg(feature = "workbooks")]
pub mod workbook;
#[cfg(feature = "workbooks")]
pub mod xls_check;

use serde::{Deserialize, Serialize};

pub use csv_reader::{read_bytes, CsvReader, ReadOptions};
pub use encoding::Confidence;
#[cfg(feature = "workbooks")]
pub use file_reader::read_file_bytes;
pub use file_reader::{FileReader, Finished};
pub use report::{HeaderClue, QuoteAt, ReadError, RowRef, SuspectName, Warning};
pub use sheet_grid::SheetGrid;
pub use sniff::{is_workbook, named_like_workbook};

use crate::table::Table;

/// A file that was read: the table, what was repaired, and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub table: Table,
    pub warnings: Vec<Warning>,
    pub info: ReadInfo,
}

/// How a file was read (shown to the user, printed by `tsunagari inspect`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadInfo {
    /// "csv", or the workbook kind.
    pub format: String,
    /// The encoding as users know it, e.g. "CP932 (Shift_JIS)".
    pub encoding: String,
    /// The WHATWG label (what `--encoding` accepts).
    pub encoding_label: String,
    pub confidence: Confidence,
    /// "comma", "tab" or "semicolon" for text files.
    pub delimiter: Option<String>,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// Every sheet of a workbook (empty for text files), for the sheet picker.
    #[serde(default)]
    pub sheets: Vec<String>,
    pub bytes: u64,
    pub rows: usize,
    pub columns: usize,
}
