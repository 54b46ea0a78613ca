//! The streaming CSV reader: bytes in (in chunks of any size, as they come from a browser
//! File or a file on disk), a dictionary-encoded [`Table`](crate::table::Table) and its warnings out.
//!
//! Layers, as in the csv crate: bytes are decoded to UTF-8 by encoding_rs (counting every
//! byte that can't be decoded), then split into records by csv-core's push parser, then
//! stored column by column. Nothing here does I/O or knows about the DOM.

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE};

use super::assemble::Assembler;
use super::encoding::{self, Confidence, EncodingGuess};
use super::report::{ReadError, Warning};
use super::sniff::{self, Binary};
use super::{Loaded, ReadInfo};

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

    /// Data rows parsed so far.
    pub fn rows_read(&self) -> u64 {
        self.parser.as_ref().map_or(0, |p| p.table.rows())
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
        let all = std::mem::take(&mut self.head);
        // Always look at the same window, however the bytes arrived: the guess must not
        // depend on the size of the pieces the file came in.
        let complete = complete && all.len() <= SNIFF_BYTES;
        let head = &all[..all.len().min(SNIFF_BYTES)];
        let has_bom = Encoding::for_bom(head).is_some();
        if !has_bom {
            if let Some(kind) = sniff::binary_kind(head) {
                let utf16 = matches!(encoding::detect(head, complete).encoding, e if e == UTF_16LE || e == UTF_16BE);
                if !(kind == Binary::Other && utf16) {
                    return Err(ReadError::Binary {
                        format: kind.name().to_string(),
                    });
                }
            }
        }
        let guess = match self.opts.encoding {
            Some(e) => encoding::forced(e, head),
            None => encoding::detect(head, complete),
        };
        let delimiter = match self.opts.delimiter {
            Some(d) => d,
            None => {
                let mut decoder = guess.encoding.new_decoder_with_bom_removal();
                let mut text = String::with_capacity(head.len() * 3 + 16);
                let _ = decoder.decode_to_string(head, &mut text, complete);
                sniff::delimiter(&text)
            }
        };
        let mut parser = Box::new(Parser::new(guess, delimiter, self.opts.max_field_bytes));
        parser.feed(&all, false)?;
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
    /// Line breaks in all the text given to csv-core, and the last byte it consumed.
    lf_seen: u64,
    last_byte: u8,
    lf_in_fields: u64,
    records: u64,
    table: Assembler,
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
            table: Assembler::new(true),
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
        // csv-core takes an empty input as the end of the data: a chunk that decoded to no
        // character yet (1–3 bytes of one) must not reach it, or the row would be cut.
        let result = if text.is_empty() {
            Ok(())
        } else {
            self.parse(text.as_bytes())
        };
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
            self.lf_seen += line_breaks(consumed, self.last_byte);
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
                            row: self.table.rows() + 1,
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
        // Per field: fields sit back to back in `out`, so a CR ending one and an LF
        // starting the next must not read as one CRLF.
        let mut start = 0;
        let mut lf_here = 0;
        for &end in &self.ends[..self.endlen] {
            lf_here += line_breaks(&data[start..end.max(start)], 0);
            start = end;
        }
        self.lf_in_fields += lf_here;
        let terminated = matches!(self.last_byte, b'\n' | b'\r') as u64;
        let line = (1 + self.lf_seen).saturating_sub(lf_here + terminated);
        self.fields.clear();
        let mut start = 0;
        for &end in &self.ends[..self.endlen] {
            if end - start > self.max_field {
                return Err(ReadError::FieldTooLarge {
                    row: self.table.rows() + 1,
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
        let spans = &self.fields;
        self.table
            .record_with(spans.len(), |i| field(spans[i]), line);
        Ok(())
    }

    fn finish(mut self, bytes: u64) -> Result<Loaded, ReadError> {
        self.feed(&[], true)?;
        // An empty input tells csv-core the data has ended: it yields a last record that
        // has no line terminator.
        self.parse(&[])?;
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
        // Empty lines: csv-core skips them silently, so count the line breaks it was given
        // against those the records account for (their own terminators and breaks inside
        // quotes). (A file of only a byte-order mark has no record: nothing to subtract.)
        let unterminated = !matches!(self.last_byte, b'\n' | b'\r') as u64;
        let lines_expected = (self.lf_in_fields + self.records).saturating_sub(unterminated);
        let empty_lines = self.lf_seen.saturating_sub(lines_expected);
        let (table, warnings) = self.table.finish(warnings, empty_lines)?;
        let info = ReadInfo {
            format: "csv".into(),
            encoding: self.guess.display_name(),
            encoding_label: self.guess.encoding.name().to_string(),
            confidence: self.guess.confidence,
            delimiter: Some(delimiter_name(self.delimiter).to_string()),
            sheet: None,
            sheets: Vec::new(),
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

/// Line breaks in `bytes` as csv-core sees them: CRLF, LF and CR each end one line.
/// `before` is the byte just before `bytes` (a CR there makes a leading LF part of CRLF).
fn line_breaks(bytes: &[u8], before: u8) -> u64 {
    let mut n = 0;
    let mut prev = before;
    for &b in bytes {
        if b == b'\r' || (b == b'\n' && prev != b'\r') {
            n += 1;
        }
        prev = b;
    }
    n
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
