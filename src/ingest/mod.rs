//! Reading survey files into a [`Table`]: bytes in, a table and a list of every repair
//! out. Reading never panics and never drops a row without saying so.

pub(crate) mod assemble;
pub mod csv_reader;
pub mod encoding;
pub(crate) mod file_reader;
pub(crate) mod header_block;
pub mod parallel;
pub(crate) mod plain_line;
pub mod range_split;
pub(crate) mod report;
pub(crate) mod sniff;
pub mod workbook;
pub mod xls_check;

use serde::{Deserialize, Serialize};

pub use csv_reader::{read_bytes, CsvReader, ReadOptions};
pub use encoding::Confidence;
pub use file_reader::{read_file_bytes, FileReader};
pub use report::{HeaderClue, QuoteAt, ReadError, RowRef, SuspectName, Warning};

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
