//! One CSV file read in byte ranges, each by its own parser (issue 16: several cores,
//! several workers), merged into exactly what one parser reading every byte gives.
//!
//! The first range is read by an ordinary `CsvReader` (it sniffs the encoding and the
//! delimiter on the file's first bytes, as one reader does, and finds the header and its
//! height). Each later range starts just after a line feed and is read by a `RangeReader`
//! that is told all that (`RangeSetup`) and guesses that its start is between records.
//! The guess is checked when the ranges are merged: the range before must end between
//! records, exactly there; otherwise the line feed was inside a quoted cell and the
//! ranges are not used (`merge` says None: read the file whole). Only encodings in which
//! a line feed or a quote byte is never part of a character (UTF-8, Shift_JIS/CP932,
//! EUC-JP) are read in ranges: in UTF-16 a line feed byte can be half of any character.

use encoding_rs::{EUC_JP, SHIFT_JIS, UTF_8};

use super::{CsvReader, Parser, ReadOptions, SNIFF_BYTES};
use crate::ingest::assemble::{Assembler, RangeRows};
use crate::ingest::encoding::EncodingGuess;
use crate::ingest::report::{ReadError, Warning};
use crate::ingest::Loaded;

/// What the reader of a later byte range needs from the file's start.
#[derive(Debug, Clone)]
pub struct RangeSetup {
    guess: EncodingGuess,
    delimiter: u8,
    max_field: usize,
    /// The header's names (a header block combined) and the block's extra rows.
    header: Vec<String>,
    extra: u64,
}

/// A later byte range, read: what `CsvReader::merge` adds to the ranges before it.
pub struct RangePart {
    bytes: u64,
    rows: RangeRows,
    quote_notes: Vec<Warning>,
    undecodable: u64,
    first_bad: Vec<u64>,
    lf_seen: u64,
    lf_in_fields: u64,
    records: u64,
    /// The range ran to the end of the file (the end of the input was parsed).
    last: bool,
    at_end: bool,
    open_at_end: bool,
    end_record: bool,
}

impl CsvReader {
    /// The reader of the first byte range of a file of `size` bytes, from its `head` (its
    /// first bytes, at least `SNIFF_BYTES` of them or all: they decide the encoding and
    /// delimiter as they do for one reader). Push the range's bytes, then `merge` the
    /// later ranges' parts.
    pub fn first_range(
        opts: ReadOptions,
        head: &[u8],
        size: usize,
    ) -> Result<CsvReader, ReadError> {
        let mut reader = CsvReader::new(opts);
        let head = &head[..head.len().min(SNIFF_BYTES)];
        // (One reader takes the whole file as its head only when it is shorter than the
        // window: `push` starts the parser as soon as the window is full.)
        let parser = reader.sniffed(head, size < SNIFF_BYTES)?;
        reader.parser = Some(parser);
        Ok(reader)
    }

    /// What the readers of later ranges need, once the header's height is decided. None
    /// before, and for files read whole: quotes to read as characters (their rows are
    /// counted from the file's start), UTF-16, a delimiter that is not plain ASCII.
    pub fn range_setup(&self) -> Option<RangeSetup> {
        let p = self.parser.as_ref()?;
        let encoding = p.guess.encoding;
        let d = p.delimiter;
        if !(encoding == UTF_8 || encoding == SHIFT_JIS || encoding == EUC_JP)
            || !self.opts.literal_quotes.is_empty()
            || matches!(d, b'\n' | b'\r' | b'"')
            || !d.is_ascii()
        {
            return None;
        }
        let (header, extra) = p.table.decided_header()?;
        Some(RangeSetup {
            guess: p.guess,
            delimiter: d,
            max_field: p.max_field,
            header: header.to_vec(),
            extra,
        })
    }

    /// The whole file's result from this first range and the later ranges' `parts`, in
    /// file order (the last one ran to the end of the file). None when they can't be
    /// merged exactly: a range began inside a quoted cell (the range before did not end
    /// between records), or see `Assembler::absorb`. Then read the file whole.
    pub fn merge(
        mut self,
        parts: Vec<RangePart>,
        threads: usize,
    ) -> Option<Result<Loaded, ReadError>> {
        if !parts.last().is_some_and(|p| p.last) {
            return None;
        }
        let mut p = self.parser.take()?;
        if !p.at_record_boundary() {
            return None;
        }
        let bytes = p.absorb(parts, self.bytes_in, threads)?;
        Some(p.conclude(bytes))
    }
}

/// The reader of a byte range after the first: its bytes pushed in pieces of any size.
pub struct RangeReader {
    parser: Box<Parser>,
    bytes: u64,
}

impl RangeReader {
    pub fn new(setup: &RangeSetup) -> Self {
        let opts = ReadOptions {
            max_field_bytes: setup.max_field,
            ..ReadOptions::default()
        };
        let mut parser = Box::new(Parser::new(setup.guess, setup.delimiter, &opts));
        // A range starts after a line feed: no byte-order mark to skip (one there is a
        // character, as it is for one reader), and the byte before was a line feed.
        parser.decoder = setup.guess.encoding.new_decoder_without_bom_handling();
        parser.skip_bom = false;
        parser.last_byte = b'\n';
        parser.table = Assembler::continuation(setup.header.clone(), setup.extra);
        // csv-core skips a UTF-8 BOM at the start of its first input, which for one reader
        // is the file's start, never a range's (found by fuzzing: a second file's BOM
        // pasted after the rows is a character U+FEFF of the first cell): a line feed
        // first, skipped between records as an empty line (and not counted: csv-core
        // alone sees it), makes it a reader that has read.
        let p = &mut *parser;
        let _ = p.csv.read_record(b"\n", &mut p.out[..], &mut p.ends[..]);
        RangeReader { parser, bytes: 0 }
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        self.bytes += chunk.len() as u64;
        self.parser.feed(chunk, false)
    }

    /// The range, read. `last`: it runs to the end of the file. None when it can't be
    /// merged: it did not end between records (the next range began inside a quoted
    /// cell), or its end stopped the reading (the whole file's read says why).
    pub fn finish(mut self, last: bool) -> Option<RangePart> {
        if last {
            self.parser.end().ok()?;
        } else if !self.parser.at_record_boundary() {
            return None;
        }
        let p = *self.parser;
        Some(RangePart {
            bytes: self.bytes,
            rows: p.table.into_range(),
            quote_notes: p.quote_notes,
            undecodable: p.undecodable,
            first_bad: p.first_bad,
            lf_seen: p.lf_seen,
            lf_in_fields: p.lf_in_fields,
            records: p.records,
            last,
            at_end: p.at_end,
            open_at_end: p.open_at_end,
            end_record: p.end_record,
        })
    }
}

/// Offsets of undecodable bytes kept as examples (`Parser::feed`).
pub(super) const FIRST_BAD: usize = 5;

impl Parser {
    /// Whether the input so far ends between records: no record begun, and csv-core,
    /// given a line feed, copies nothing (inside a quoted cell it would copy it). Asked
    /// once, at the end of a range (the line feed changes csv-core's state).
    fn at_record_boundary(&mut self) -> bool {
        use csv_core::ReadRecordResult::*;
        if self.outlen != 0 || self.endlen != 0 {
            return false;
        }
        let (res, _, nout, nend) =
            self.csv
                .read_record(b"\n", &mut self.out[..], &mut self.ends[..]);
        matches!(res, InputEmpty | End) && nout == 0 && nend == 0
    }

    /// Adds the ranges that follow, the first starting at byte `start`, read by
    /// `RangeReader`s, as if this parser had read them: row numbers after this parser's
    /// rows, line numbers after its line breaks, byte offsets after the range's start,
    /// counts summed, examples continued. The file's size, or None when they can't be
    /// merged.
    fn absorb(&mut self, parts: Vec<RangePart>, mut start: u64, threads: usize) -> Option<u64> {
        let mut rows = Vec::with_capacity(parts.len());
        let mut rows_before = self.table.data_rows();
        for part in parts {
            let lines_before = self.lf_seen;
            for note in part.quote_notes {
                match note {
                    Warning::RunawayQuote {
                        row,
                        line,
                        column,
                        column_name,
                        lines,
                        rows_like,
                        to_end,
                    } => self.quote_notes.push(Warning::RunawayQuote {
                        row: row + rows_before,
                        line: if line == 0 { 0 } else { line + lines_before },
                        column,
                        column_name,
                        lines,
                        rows_like,
                        to_end,
                    }),
                    // (Only runaway quotes are noted without quotes to read as characters.)
                    _ => return None,
                }
            }
            self.undecodable += part.undecodable;
            let room = FIRST_BAD.saturating_sub(self.first_bad.len());
            self.first_bad
                .extend(part.first_bad.iter().take(room).map(|at| at + start));
            self.lf_seen += part.lf_seen;
            self.lf_in_fields += part.lf_in_fields;
            self.records += part.records;
            self.at_end = part.at_end;
            self.open_at_end = part.open_at_end;
            self.end_record |= part.end_record;
            start += part.bytes;
            rows_before += part.rows.rows();
            rows.push((part.rows, lines_before));
        }
        self.table.absorb(rows, threads).then_some(start)
    }
}
