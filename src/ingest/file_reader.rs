//! Any survey file, pushed in chunks: the first bytes decide whether it is a workbook
//! (zip or OLE container: read whole by calamine once complete) or text (streamed through
//! the CSV reader). The worker, the page and the CLI all read through this; the browser's
//! reading worker, built without the workbook reader (feature `workbooks`), takes a
//! workbook's bytes back instead ([`FileReader::finish_or_workbook`]).

use super::csv_reader::{CsvReader, ReadOptions};
use super::report::ReadError;
use super::sniff::is_workbook;
use super::Loaded;

/// What a file read gave: a table, or a workbook's bytes for the workbook reader. (One
/// per file read, moved once: boxing the table would only add an allocation.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Finished {
    Loaded(Loaded),
    Workbook(Vec<u8>),
}

/// Bytes needed to recognise a workbook container.
const MAGIC: usize = 8;

pub struct FileReader {
    opts: ReadOptions,
    // Read by `finish` (the workbook reader): a build without it hands the bytes on.
    #[cfg_attr(not(feature = "workbooks"), allow(dead_code))]
    sheet: Option<String>,
    state: State,
}

enum State {
    Undecided(Vec<u8>),
    Text(CsvReader),
    Workbook(Vec<u8>),
}

impl FileReader {
    /// `sheet` is used for workbooks only (`None`: the first sheet that holds a table).
    pub fn new(opts: ReadOptions, sheet: Option<String>) -> Self {
        FileReader {
            opts,
            sheet,
            state: State::Undecided(Vec::new()),
        }
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        match &mut self.state {
            State::Text(r) => r.push(chunk),
            State::Workbook(bytes) => {
                bytes.extend_from_slice(chunk);
                self.opts.check_size(bytes.len() as u64)
            }
            State::Undecided(head) => {
                head.extend_from_slice(chunk);
                if head.len() >= MAGIC {
                    self.decide()?;
                }
                Ok(())
            }
        }
    }

    /// Data rows read so far (workbooks are read at the end).
    pub fn rows_read(&self) -> u64 {
        match &self.state {
            State::Text(r) => r.rows_read(),
            _ => 0,
        }
    }

    /// The table (a workbook read with calamine).
    #[cfg(feature = "workbooks")]
    pub fn finish(self) -> Result<Loaded, ReadError> {
        let (sheet, header_rows) = (self.sheet.clone(), self.opts.header_rows);
        match self.finish_or_workbook()? {
            Finished::Loaded(loaded) => Ok(loaded),
            Finished::Workbook(bytes) => {
                super::workbook::read_workbook_with(&bytes, sheet.as_deref(), header_rows)
            }
        }
    }

    /// The table of a text file, or a workbook's bytes unread.
    pub fn finish_or_workbook(mut self) -> Result<Finished, ReadError> {
        if let State::Undecided(_) = self.state {
            self.decide()?;
        }
        match self.state {
            State::Text(r) => r.finish().map(Finished::Loaded),
            State::Workbook(bytes) => Ok(Finished::Workbook(bytes)),
            State::Undecided(_) => unreachable!("decided above"),
        }
    }

    fn decide(&mut self) -> Result<(), ReadError> {
        let State::Undecided(head) =
            std::mem::replace(&mut self.state, State::Undecided(Vec::new()))
        else {
            return Ok(());
        };
        if is_workbook(&head) {
            self.state = State::Workbook(head);
            Ok(())
        } else {
            let mut reader = CsvReader::new(self.opts.clone());
            let pushed = reader.push(&head);
            self.state = State::Text(reader);
            pushed
        }
    }
}

/// Reads a whole file held in memory, whatever its kind.
#[cfg(feature = "workbooks")]
pub fn read_file_bytes(
    bytes: &[u8],
    opts: ReadOptions,
    // Read by `finish` (the workbook reader): a build without it hands the bytes on.
    #[cfg_attr(not(feature = "workbooks"), allow(dead_code))] sheet: Option<String>,
) -> Result<Loaded, ReadError> {
    let mut reader = FileReader::new(opts, sheet);
    reader.push(bytes)?;
    reader.finish()
}
