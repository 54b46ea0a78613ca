//! The streaming CSV reader: bytes in (in chunks of any size, as they come from a browser
//! File or a file on disk), a dictionary-encoded [`Table`] and its warnings out.
//!
//! Layers, as in the csv crate: bytes are decoded to UTF-8 by encoding_rs (counting every
//! byte that can't be decoded), then split into records by csv-core's push parser, then
//! stored column by column. Nothing here does I/O or knows about the DOM.

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE};

use super::encoding::{self, Confidence, EncodingGuess};
use super::report::{ReadError, RowRef, Warning, EXAMPLES};
use super::sniff::{self, Binary};
use super::{Loaded, ReadInfo};
use crate::table::{ColumnBuilder, Table};

/// Bytes looked at before deciding the encoding and delimiter.
pub const SNIFF_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Forced encoding; `None` detects it.
    pub encoding: Option<&'static Encoding>,
    /// Forced delimiter; `None` detects it.
    pub delimiter: Option<u8>,
    /// Files larger than this are refused before reading (browser memory is finite).
    pub max_bytes: u64,
    /// A single field larger than this stops the reading: it is almost always a quote
    /// left open, which would swallow the rest of the file into one cell.
    pub max_field_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            delimiter: None,
            max_bytes: 1_500_000_000,
            max_field_bytes: 1_000_000,
        }
    }
}

impl ReadOptions {
    /// Refuses a file before reading it when its size is already known to be too large,
    /// so the browser never runs out of memory half-way.
    pub fn check_size(&self, bytes: u64) -> Result<(), ReadError> {
        if bytes > self.max_bytes {
            Err(ReadError::TooLarge {
                bytes,
                limit: self.max_bytes,
            })
        } else {
            Ok(())
        }
    }
}

/// Push parser for one CSV file.
pub struct CsvReader {
    opts: ReadOptions,
    head: Vec<u8>,
    parser: Option<Box<Parser>>,
    bytes_in: u64,
}

impl CsvReader {
    pub fn new(opts: ReadOptions) -> Self {
        CsvReader {
            opts,
            head: Vec::new(),
            parser: None,
            bytes_in: 0,
        }
    }

    /// Bytes received so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_in
    }

    /// Data rows parsed so far.
    pub fn rows_read(&self) -> u64 {
        self.parser.as_ref().map_or(0, |p| p.rows)
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        self.bytes_in += chunk.len() as u64;
        if self.bytes_in > self.opts.max_bytes {
            return Err(ReadError::TooLarge {
                bytes: self.bytes_in,
                limit: self.opts.max_bytes,
            });
        }
        match &mut self.parser {
            Some(p) => p.feed(chunk, false),
            None => {
                self.head.extend_from_slice(chunk);
                if self.head.len() >= SNIFF_BYTES {
                    self.start(false)?;
                }
                Ok(())
            }
        }
    }

    /// Ends the input and returns the table.
    pub fn finish(mut self) -> Result<Loaded, ReadError> {
        if self.parser.is_none() {
            if self.head.is_empty() {
                return Err(ReadError::Empty);
            }
            self.start(true)?;
        }
        let parser = self.parser.take().expect("started above");
        parser.finish(self.bytes_in)
    }

    /// Decides encoding and delimiter from the buffered head, then parses it.
    fn start(&mut self, complete: bool) -> Result<(), ReadError> {
        let head = std::mem::take(&mut self.head);
        let has_bom = Encoding::for_bom(&head).is_some();
        if !has_bom {
            if let Some(kind) = sniff::binary_kind(&head) {
                let utf16 = matches!(encoding::detect(&head, complete).encoding, e if e == UTF_16LE || e == UTF_16BE);
                if !(kind == Binary::Other && utf16) {
                    return Err(ReadError::Binary {
                        format: kind.name().to_string(),
                    });
                }
            }
        }
        let guess = match self.opts.encoding {
            Some(e) => encoding::forced(e, &head),
            None => encoding::detect(&head, complete),
        };
        let delimiter = match self.opts.delimiter {
            Some(d) => d,
            None => {
                let mut decoder = guess.encoding.new_decoder_with_bom_removal();
                let mut text = String::with_capacity(head.len() * 3 + 16);
                let _ = decoder.decode_to_string(&head, &mut text, complete);
                sniff::delimiter(&text)
            }
        };
        let mut parser = Box::new(Parser::new(guess, delimiter, self.opts.max_field_bytes));
        parser.feed(&head, false)?;
        self.parser = Some(parser);
        Ok(())
    }
}

/// Reads a whole file held in memory.
pub fn read_bytes(bytes: &[u8], opts: ReadOptions) -> Result<Loaded, ReadError> {
    let mut reader = CsvReader::new(opts);
    reader.push(bytes)?;
    reader.finish()
}

struct Parser {
    guess: EncodingGuess,
    delimiter: u8,
    max_field: usize,
    decoder: Decoder,
    /// Bytes handed to the decoder so far (for the offsets of undecodable bytes).
    decoded_in: u64,
    undecodable: u64,
    first_bad: Vec<u64>,
    text: String,
    csv: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    /// LFs in all the text given to csv-core, and the last byte it consumed.
    lf_seen: u64,
    last_byte: u8,
    lf_in_fields: u64,
    records: u64,
    header: Option<Vec<String>>,
    columns: Vec<ColumnBuilder>,
    rows: u64,
    leading_blank: u64,
    short: (u64, Vec<RowRef>),
    long: (u64, Vec<RowRef>),
    blank_rows: Vec<u64>,
    blank_rows_total: u64,
    last_nonblank: u64,
    formula_cells: Vec<u64>,
    fields: Vec<(usize, usize)>,
}

impl Parser {
    fn new(guess: EncodingGuess, delimiter: u8, max_field: usize) -> Self {
        let csv = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        Parser {
            guess,
            delimiter,
            max_field,
            // The BOM, if any, is skipped by the decoder; bytes are still counted from 0.
            decoder: guess.encoding.new_decoder_with_bom_removal(),
            decoded_in: 0,
            undecodable: 0,
            first_bad: Vec::new(),
            text: String::new(),
            csv,
            out: vec![0; 64 * 1024],
            ends: vec![0; 256],
            outlen: 0,
            endlen: 0,
            lf_seen: 0,
            last_byte: 0,
            lf_in_fields: 0,
            records: 0,
            header: None,
            columns: Vec::new(),
            rows: 0,
            leading_blank: 0,
            short: (0, Vec::new()),
            long: (0, Vec::new()),
            blank_rows: Vec::new(),
            blank_rows_total: 0,
            last_nonblank: 0,
            formula_cells: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// Decodes a chunk, noting every undecodable byte, and parses the text.
    fn feed(&mut self, bytes: &[u8], last: bool) -> Result<(), ReadError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let mut input = bytes;
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length_without_replacement(input.len())
                .unwrap_or(input.len() * 3 + 16);
            text.reserve(need);
            let (result, read) = self
                .decoder
                .decode_to_string_without_replacement(input, &mut text, last);
            input = &input[read..];
            self.decoded_in += read as u64;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(bad, extra) => {
                    self.undecodable += bad as u64;
                    if self.first_bad.len() < 5 {
                        let at = self.decoded_in - extra as u64 - bad as u64;
                        self.first_bad.push(at);
                    }
                    text.push('\u{FFFD}');
                }
            }
        }
        let result = self.parse(text.as_bytes());
        self.text = text;
        result
    }

    fn parse(&mut self, mut input: &[u8]) -> Result<(), ReadError> {
        use csv_core::ReadRecordResult::*;
        loop {
            let (res, nin, nout, nend) = self.csv.read_record(
                input,
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            let consumed = &input[..nin];
            self.lf_seen += consumed.iter().filter(|&&b| b == b'\n').count() as u64;
            if let Some(&b) = consumed.last() {
                self.last_byte = b;
            }
            input = &input[nin..];
            self.outlen += nout;
            self.endlen += nend;
            match res {
                InputEmpty => return Ok(()),
                OutputFull => {
                    let field_start = if self.endlen == 0 {
                        0
                    } else {
                        self.ends[self.endlen - 1]
                    };
                    if self.outlen - field_start > self.max_field {
                        return Err(ReadError::FieldTooLarge {
                            row: self.rows + 1,
                            column: self.endlen + 1,
                            limit: self.max_field,
                        });
                    }
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                Record => {
                    self.record()?;
                    self.outlen = 0;
                    self.endlen = 0;
                }
                End => return Ok(()),
            }
        }
    }

    /// Handles one complete record sitting in `out[..outlen]`, `ends[..endlen]`.
    fn record(&mut self) -> Result<(), ReadError> {
        self.records += 1;
        let data = &self.out[..self.outlen];
        let lf_here = data.iter().filter(|&&b| b == b'\n').count() as u64;
        self.lf_in_fields += lf_here;
        let line = if self.lf_seen > 0 || self.last_byte == b'\n' {
            1 + self.lf_seen - lf_here - (self.last_byte == b'\n') as u64
        } else {
            0
        };
        self.fields.clear();
        let mut start = 0;
        for &end in &self.ends[..self.endlen] {
            if end - start > self.max_field {
                return Err(ReadError::FieldTooLarge {
                    row: self.rows + 1,
                    column: self.fields.len() + 1,
                    limit: self.max_field,
                });
            }
            self.fields.push((start, end));
            start = end;
        }
        // The decoder wrote valid UTF-8 and csv-core only removed ASCII quotes and split at
        // ASCII delimiters, so the record is valid UTF-8 and every field boundary is a char
        // boundary. Validated once per record (not per field); `get` never panics.
        let text = std::str::from_utf8(data).unwrap_or("");
        let field = |(s, e): (usize, usize)| -> &str { text.get(s..e).unwrap_or("\u{FFFD}") };
        let all_blank = self.fields.iter().all(|&(s, e)| s == e);

        let Some(header) = &self.header else {
            if all_blank {
                self.leading_blank += 1;
                return Ok(());
            }
            let names: Vec<String> = self
                .fields
                .iter()
                .map(|&f| clean(field(f)).0.trim().to_string())
                .collect();
            self.columns = (0..names.len())
                .map(|_| ColumnBuilder::new(String::new()))
                .collect();
            self.formula_cells = vec![0; names.len()];
            self.header = Some(names);
            return Ok(());
        };

        self.rows += 1;
        let header_fields = header.len();
        // Blank cells past the last column (Excel writes them for formatted cells) are
        // not values: they neither make a row "long" nor add columns.
        let mut n = self.fields.len();
        while n > self.columns.len() && self.fields[n - 1].0 == self.fields[n - 1].1 {
            n -= 1;
        }
        let at = RowRef {
            row: self.rows,
            line,
            fields: self.fields.len(),
        };
        if n < header_fields {
            note(&mut self.short, at);
        } else if n > header_fields {
            note(&mut self.long, at);
        }
        while self.columns.len() < n {
            let mut c = ColumnBuilder::new(String::new());
            c.push_blanks((self.rows - 1) as usize);
            self.columns.push(c);
            self.formula_cells.push(0);
        }
        for (i, column) in self.columns.iter_mut().enumerate() {
            if i < n {
                let (value, formula) = clean(field(self.fields[i]));
                if formula {
                    self.formula_cells[i] += 1;
                }
                column.push(value);
            } else {
                column.push("");
            }
        }
        if all_blank {
            self.blank_rows_total += 1;
            if self.blank_rows.len() < EXAMPLES {
                self.blank_rows.push(self.rows);
            }
        } else {
            self.last_nonblank = self.rows;
        }
        Ok(())
    }

    fn finish(mut self, bytes: u64) -> Result<Loaded, ReadError> {
        self.feed(&[], true)?;
        // An empty input tells csv-core the data has ended: it yields a last record that
        // has no line terminator.
        self.parse(&[])?;
        let Some(raw_names) = self.header.take() else {
            return Err(ReadError::Empty);
        };
        let mut warnings = Vec::new();
        if self.undecodable > 0 {
            warnings.push(Warning::UndecodableBytes {
                encoding: self.guess.display_name(),
                count: self.undecodable,
                first_offsets: self.first_bad.clone(),
            });
        } else if self.guess.confidence == Confidence::Low && !self.is_ascii_utf8() {
            warnings.push(Warning::UncertainEncoding {
                encoding: self.guess.display_name(),
            });
        }

        // Rows: blank rows at the end are dropped, blank rows inside are kept.
        let kept_rows = self.last_nonblank;
        let trailing = self.rows - kept_rows;
        if trailing > 0 {
            for c in &mut self.columns {
                c.truncate(kept_rows as usize);
            }
            warnings.push(Warning::TrailingBlankRowsDropped { count: trailing });
        }
        let inner_blank = self.blank_rows_total - trailing;
        if inner_blank > 0 {
            let examples = self
                .blank_rows
                .iter()
                .copied()
                .filter(|&r| r <= kept_rows)
                .collect();
            warnings.push(Warning::BlankRowsKept {
                count: inner_blank,
                examples,
            });
        }
        if kept_rows == 0 {
            return Err(ReadError::HeaderOnly {
                columns: raw_names.len(),
            });
        }
        let lines_expected = self.lf_in_fields + self.records - (self.last_byte != b'\n') as u64;
        let empty_lines = self.lf_seen.saturating_sub(lines_expected) + self.leading_blank;
        if empty_lines > 0 {
            warnings.push(Warning::EmptyLinesSkipped { count: empty_lines });
        }

        // Columns: the header may be shorter than the widest row.
        let header_fields = raw_names.len();
        let mut names: Vec<String> = raw_names;
        names.resize(self.columns.len(), String::new());
        let mut keep = self.columns.len();
        while keep > 0 && names[keep - 1].is_empty() && self.columns[keep - 1].all_blank() {
            keep -= 1;
        }
        if keep < self.columns.len() {
            warnings.push(Warning::EmptyColumnsDropped {
                columns: (keep + 1..=self.columns.len()).collect(),
            });
            self.columns.truncate(keep);
            names.truncate(keep);
        }
        if self.short.0 > 0 {
            warnings.push(Warning::ShortRows {
                header_fields,
                count: self.short.0,
                examples: self.short.1.clone(),
            });
        }
        let added: Vec<usize> = (header_fields..keep).collect();
        let mut blank = Vec::new();
        for (i, name) in names.iter_mut().enumerate() {
            if name.is_empty() {
                *name = format!("列{}", i + 1);
                if i < header_fields {
                    blank.push(i + 1);
                }
            }
        }
        if !blank.is_empty() {
            let generated = blank.iter().map(|&i| names[i - 1].clone()).collect();
            warnings.push(Warning::BlankHeaders {
                columns: blank,
                names: generated,
            });
        }
        let renamed = make_unique(&mut names);
        if !renamed.is_empty() {
            warnings.push(Warning::DuplicateHeaders { renamed });
        }
        if self.long.0 > 0 {
            warnings.push(Warning::LongRows {
                header_fields,
                count: self.long.0,
                examples: self.long.1.clone(),
                added_columns: added.iter().map(|&i| names[i].clone()).collect(),
            });
        }
        let formula_columns: Vec<String> = self
            .formula_cells
            .iter()
            .zip(&names)
            .filter(|(&n, _)| n > 0)
            .map(|(_, name)| name.clone())
            .collect();
        let formula_total: u64 = self.formula_cells.iter().take(keep).sum();
        if formula_total > 0 {
            warnings.push(Warning::ExcelTextFormula {
                count: formula_total,
                columns: formula_columns,
            });
        }

        let columns = self
            .columns
            .into_iter()
            .zip(names)
            .map(|(mut builder, name)| {
                builder.name = name;
                builder.finish()
            })
            .collect::<Vec<_>>();
        let table = Table {
            rows: kept_rows as usize,
            columns,
        };
        let info = ReadInfo {
            format: "csv".into(),
            encoding: self.guess.display_name(),
            encoding_label: self.guess.encoding.name().to_string(),
            confidence: self.guess.confidence,
            delimiter: Some(delimiter_name(self.delimiter).to_string()),
            sheet: None,
            bytes,
            rows: table.rows,
            columns: table.columns.len(),
        };
        Ok(Loaded {
            table,
            warnings,
            info,
        })
    }

    fn is_ascii_utf8(&self) -> bool {
        self.guess.encoding == encoding_rs::UTF_8
    }
}

fn note(slot: &mut (u64, Vec<RowRef>), at: RowRef) {
    slot.0 += 1;
    if slot.1.len() < EXAMPLES {
        slot.1.push(at);
    }
}

/// Unwraps Excel's ="001" (a formula that keeps leading zeros); says whether it did.
fn clean(field: &str) -> (&str, bool) {
    if field.len() >= 3 && field.starts_with("=\"") && field.ends_with('"') {
        let inner = &field[2..field.len() - 1];
        if !inner.contains('"') {
            return (inner, true);
        }
    }
    (field, false)
}

/// Makes names unique by appending _2, _3 …; returns (old, new) for each renamed column.
fn make_unique(names: &mut [String]) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for i in 0..names.len() {
        if seen.insert(names[i].clone()) {
            continue;
        }
        let base = names[i].clone();
        let mut k = 2;
        let unique = loop {
            let candidate = format!("{base}_{k}");
            if !seen.contains(&candidate) && !names[i + 1..].contains(&candidate) {
                break candidate;
            }
            k += 1;
        };
        seen.insert(unique.clone());
        renamed.push((base, unique.clone()));
        names[i] = unique;
    }
    renamed
}

pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b'\t' => "tab",
        b';' => "semicolon",
        b'|' => "pipe",
        _ => "other",
    }
}
