//! The streaming CSV reader: bytes in (in chunks of any size, as they come from a browser
//! File or a file on disk), a dictionary-encoded [`Table`](crate::table::Table) and its warnings out.
//!
//! Layers, as in the csv crate: bytes are decoded to UTF-8 by encoding_rs (counting every
//! byte that can't be decoded), then split into records by csv-core's push parser, then
//! stored column by column. Between records, whole lines with no quote (most lines of a
//! survey) are split at the delimiter here instead (`Parser::plain_lines`), exactly as
//! csv-core would: it was most of the reading time. Nothing here does I/O or knows about
//! the DOM.

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE};

use super::assemble::Assembler;
use super::encoding::{self, Confidence, EncodingGuess};
use super::plain_line;
use super::report::{QuoteAt, ReadError, Warning};
use super::sniff::{self, Binary};
use super::{Loaded, ReadInfo};

mod range;
mod utf8;
pub use range::{RangePart, RangeReader, RangeSetup};

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
    /// Quotes to read as ordinary characters: the cell at each place starts with a `"`
    /// that opened a runaway quoted value (`Warning::RunawayQuote`, or the cell of a
    /// `ReadError::FieldTooLarge`). Each one is reported: `Warning::QuoteReadAsText`, or
    /// `Warning::LiteralQuoteNotFound` when that cell does not start with a quote.
    pub literal_quotes: Vec<QuoteAt>,
    /// Rows of the header (1 = the first row only); `None` finds a header block of
    /// question numbers, texts and option names (`header_block`). Each way is reported.
    pub header_rows: Option<usize>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            delimiter: None,
            max_bytes: 1_500_000_000,
            max_field_bytes: 1_000_000,
            literal_quotes: Vec::new(),
            header_rows: None,
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
        let mut parser = self.sniffed(head, complete)?;
        parser.feed(&all, false)?;
        self.parser = Some(parser);
        Ok(())
    }

    /// The parser for the encoding and delimiter `head` (the file's first bytes, up to
    /// `SNIFF_BYTES`; `complete`: the whole file) shows, or the options force.
    fn sniffed(&self, head: &[u8], complete: bool) -> Result<Box<Parser>, ReadError> {
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
                // UTF-8 as it is when it is valid (`utf8::as_text`: the decoder, for
                // UTF-8 too, is the one function `feed_utf8` keeps out of a UTF-8 read).
                let valid = (guess.encoding == encoding_rs::UTF_8)
                    .then(|| utf8::as_text(head, complete))
                    .flatten();
                match valid {
                    Some(text) => sniff::delimiter(text),
                    None => {
                        let mut decoder = guess.encoding.new_decoder_with_bom_removal();
                        let mut text = String::with_capacity(head.len() * 3 + 16);
                        let _ = decoder.decode_to_string(head, &mut text, complete);
                        sniff::delimiter(&text)
                    }
                }
            }
        };
        let mut parser = Box::new(Parser::new(guess, delimiter, &self.opts));
        parser.bom = has_bom;
        Ok(parser)
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
    /// UTF-8 input read as it is, without the decoder (`feed_utf8`), until a byte that
    /// is not UTF-8; whether a byte-order mark at the start is skipped; the bytes of a
    /// character cut by the last chunk's end.
    direct: bool,
    skip_bom: bool,
    carry: Vec<u8>,
    /// Bytes handed to the decoder (or read as they are) so far (for the offsets of
    /// undecodable bytes).
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
    /// The cells of a plain line that held doubled quotes, undoubled (`split_quoted`).
    unescaped: String,
    /// Quotes to read as characters, sorted, and the next one due.
    literal: Vec<QuoteAt>,
    next_literal: usize,
    /// Runaway quotes found and literal quotes applied (or not found), in file order.
    quote_notes: Vec<Warning>,
    /// Parsing the end of the input (the last record has no terminator of its own), and
    /// whether it ends inside a quoted cell.
    at_end: bool,
    open_at_end: bool,
    /// A last record was made at the end of the input (it had no line terminator).
    end_record: bool,
    /// The file starts with a byte-order mark (said when there is nothing else).
    bom: bool,
    /// csv-core has just ended a record (and taken nothing since): it is between records,
    /// where `plain_lines` may take over.
    between: bool,
}

impl Parser {
    fn new(guess: EncodingGuess, delimiter: u8, opts: &ReadOptions) -> Self {
        let csv = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut literal = opts.literal_quotes.clone();
        literal.sort_unstable();
        literal.dedup();
        Parser {
            guess,
            delimiter,
            max_field: opts.max_field_bytes,
            // The BOM, if any, is skipped by the decoder; bytes are still counted from 0.
            decoder: guess.encoding.new_decoder_with_bom_removal(),
            direct: guess.encoding == encoding_rs::UTF_8,
            skip_bom: true,
            carry: Vec::new(),
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
            table: Assembler::new(true).with_header_rows(opts.header_rows),
            fields: Vec::new(),
            unescaped: String::new(),
            literal,
            next_literal: 0,
            quote_notes: Vec::new(),
            at_end: false,
            open_at_end: false,
            end_record: false,
            bom: false,
            between: false,
        }
    }

    /// Decodes a chunk (UTF-8: validates it), noting every undecodable byte, and parses
    /// the text.
    fn feed(&mut self, bytes: &[u8], last: bool) -> Result<(), ReadError> {
        match self.direct {
            true => self.feed_utf8(bytes, last),
            false => self.decode(bytes, last),
        }
    }

    /// Decodes a chunk through encoding_rs, noting every undecodable byte, and parses the
    /// text.
    fn decode(&mut self, bytes: &[u8], last: bool) -> Result<(), ReadError> {
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
                    if self.first_bad.len() < range::FIRST_BAD {
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
            self.parse(&text)
        };
        self.text = text;
        result
    }

    /// Parses decoded text (csv-core takes it as bytes, in pieces that may end inside a
    /// character; `plain_lines` takes it between records, always a character boundary).
    fn parse(&mut self, text: &str) -> Result<(), ReadError> {
        use csv_core::ReadRecordResult::*;
        let mut input = text.as_bytes();
        loop {
            if self.between && !input.is_empty() {
                let rest = text.get(text.len() - input.len()..).unwrap_or("");
                let taken = self.plain_lines(rest);
                input = &input[taken..];
                // (An empty input would tell csv-core the data has ended.)
                if input.is_empty() {
                    return Ok(());
                }
            }
            // A quote to read as a character is due in this record: csv-core gets one byte
            // at a time until that cell starts (one record, once per repair).
            let mut step = input;
            if let (Some(at), Some(&next)) = (self.due_literal(), input.first()) {
                match self.at_cell_start(at.column, next) {
                    Some(true) if next == b'"' => {
                        self.read_quote_as_text(at)?;
                        input = &input[1..];
                        // (An empty input would tell csv-core the data has ended.)
                        if input.is_empty() {
                            return Ok(());
                        }
                        continue;
                    }
                    Some(_) => {
                        self.quote_notes.push(Warning::LiteralQuoteNotFound {
                            row: at.row,
                            column: at.column,
                        });
                        self.next_literal += 1;
                        continue;
                    }
                    None => step = &input[..1],
                }
            }
            let (res, nin, nout, nend) = self.csv.read_record(
                step,
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
            self.between = matches!(res, Record);
            match res {
                // All of `step` was taken: the end of `input` unless it went byte by byte.
                InputEmpty if input.is_empty() => return Ok(()),
                InputEmpty => {}
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
                    self.grow_out();
                }
                OutputEndsFull => {
                    self.grow_ends();
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

    /// Reads the plain lines at the start of `input` without csv-core: whole lines (up to
    /// an LF, a CRLF counted as one) with no other CR and no quote but ordinary quoting
    /// (`plain_line::split_quoted`), shorter than csv-core's output buffer, no cell over
    /// `max_field`, in no row where a quote is to be read as a character. Such a line is,
    /// for csv-core, its cells split at the delimiter, quoted cells unquoted (or nothing,
    /// when empty), and after it csv-core is between records again, in the same
    /// state: so every count, line number and warning is what csv-core's path gives,
    /// however the file was chunked (a line cut by a chunk's end goes to csv-core). A
    /// record whose quoted cell holds line breaks is taken whole (`quoted_lines`). Most
    /// lines of a survey are plain; this path is most of the reading speed (issue 16).
    /// Returns the bytes taken.
    fn plain_lines(&mut self, rest: &str) -> usize {
        let input = rest.as_bytes();
        // (A line end, a quote or a non-ASCII byte as the delimiter, possible only when
        // forced through the API: csv-core's rules for those are not the split below, and
        // a non-ASCII byte would cut characters.)
        if matches!(self.delimiter, b'\n' | b'\r' | b'"') || !self.delimiter.is_ascii() {
            return 0;
        }
        let mut at = 0;
        while let Some(nl) = memchr::memchr(b'\n', &input[at..]) {
            let due = self.table.next_row();
            if self
                .literal
                .get(self.next_literal)
                .is_some_and(|q| q.row <= due)
            {
                break;
            }
            let line = &input[at..at + nl];
            let (body, cr) = match line {
                [body @ .., b'\r'] => (body, true),
                _ => (line, false),
            };
            // (Cut at ASCII bytes of valid text: never fails.)
            let Some(text) = rest.get(at..at + body.len()) else {
                break;
            };
            if body.len() >= self.out.len() {
                break;
            }
            // Most lines: no quote, the header's cells (then read straight into the
            // columns), none too long (the line is not).
            let delimiter = self.delimiter;
            let direct = !body.is_empty()
                && body.len() <= self.max_field
                && plain_line::cell_count(body, delimiter)
                    .is_some_and(|cells| self.table.plain_row(text, delimiter, cells));
            if !direct {
                let split = plain_line::split(body, self.delimiter, &mut self.fields)
                    || plain_line::split_quoted(
                        text,
                        self.delimiter,
                        &mut self.fields,
                        &mut self.unescaped,
                    );
                if !split {
                    // A quoted cell holding line breaks: the lines up to where it closes,
                    // read as one record; else csv-core's.
                    match self.quoted_lines(rest, at, nl) {
                        Some(taken) => {
                            at += taken;
                            continue;
                        }
                        None => break,
                    }
                }
                // (A cell longer than a cell may be: csv-core's, which says where.)
                if self.too_long(body.len()) {
                    break;
                }
            }
            // As `line_breaks` counts: one, but an LF just after a CR (the end of the
            // record before) is part of that CRLF.
            let breaks = u64::from(cr || !body.is_empty() || self.last_byte != b'\r');
            self.lf_seen += breaks;
            self.last_byte = b'\n';
            at += nl + 1;
            // csv-core skips an empty line; `finish` counts it from the line breaks.
            if body.is_empty() {
                continue;
            }
            self.records += 1;
            if direct {
                continue;
            }
            let spans = &self.fields;
            let unescaped = self.unescaped.as_str();
            let field = plain_line::LineCells {
                line: text,
                unescaped,
                spans,
            };
            // The line this record starts on: the breaks before it, plus one.
            self.table.record_with(spans.len(), field, self.lf_seen);
        }
        at
    }

    /// Whether a cell `split` or `split_quoted` found in a line of `len` bytes is longer
    /// than a cell may be (csv-core's to read then: it says where).
    fn too_long(&self, len: usize) -> bool {
        len > self.max_field && self.fields.iter().any(|&(s, e)| e - s > self.max_field)
    }

    /// Reads the record at `rest[at..]` whose first line (up to the LF at `at + nl`) ends
    /// inside a quoted cell, as csv-core would: the lines after it are taken while the
    /// quotes so far are odd in number (the line break is inside a quoted cell), and the
    /// whole, its last line end left out, is a record when `split_quoted` reads it (no
    /// CR in it, every quote ordinary quoting). Line numbers, the breaks inside cells and
    /// runaway quotes are counted as `record` counts them. Returns the bytes taken, or
    /// None (nothing done) for csv-core: the cell still open at the end of `rest` (it may
    /// close in the next chunk), a record as long as csv-core's buffer or holding a cell
    /// too long, or anything `split_quoted` refuses.
    ///
    /// Why: free-text answers with line breaks (Excel writes them as a bare LF inside
    /// quotes) sent 6 % of the 1M bench file's records through csv-core byte by byte, a
    /// fifteenth of the native read.
    fn quoted_lines(&mut self, rest: &str, at: usize, nl: usize) -> Option<usize> {
        let input = rest.as_bytes();
        let quotes = |bytes: &[u8]| memchr::memchr_iter(b'"', bytes).count();
        // Only quotes' parity tells where the record ends: with every quote opening a
        // cell, closing it or doubled inside it (what `split_quoted` accepts), it is odd
        // exactly inside a quoted cell (never between the two of a doubled pair, which
        // are adjacent). Checked again by `split_quoted` on the whole.
        let mut odd = quotes(&input[at..at + nl]) % 2 == 1;
        if !odd {
            return None;
        }
        let mut end = at + nl;
        let mut inner = 0u64;
        while odd {
            inner += 1;
            if inner > QUOTED_LINES_MAX {
                return None;
            }
            let next = end + 1;
            let len = memchr::memchr(b'\n', &input[next..])?;
            if next + len - at >= self.out.len() {
                return None;
            }
            odd ^= quotes(&input[next..next + len]) % 2 == 1;
            end = next + len;
        }
        let line = &rest[at..end];
        let body = line.strip_suffix('\r').unwrap_or(line);
        if !plain_line::split_quoted(body, self.delimiter, &mut self.fields, &mut self.unescaped)
            || self.too_long(body.len())
        {
            return None;
        }
        // The breaks inside cells, then the record's own (no CR is inside, and the record
        // is not empty); the record starts on the line after those before it.
        let line_no = self.lf_seen + 1;
        self.lf_seen += inner + 1;
        self.lf_in_fields += inner;
        self.last_byte = b'\n';
        self.records += 1;
        let row = self.table.next_row();
        let spans = &self.fields;
        let field = plain_line::LineCells {
            line: body,
            unescaped: self.unescaped.as_str(),
            spans,
        };
        // Runaway quotes, as `record` checks them: each cell holding a line break. The
        // line breaks are walked beside the cells (not each cell searched); a cell copied
        // into `unescaped` is searched itself.
        let mut breaks_at = memchr::memchr_iter(b'\n', body.as_bytes()).peekable();
        let mut before = 0;
        for (i, &(s, e)) in spans.iter().enumerate() {
            let breaks = match s & plain_line::UNESCAPED {
                0 => {
                    let mut n = 0;
                    while let Some(&p) = breaks_at.peek().filter(|&&p| p < e) {
                        n += u64::from(p >= s);
                        breaks_at.next();
                    }
                    n
                }
                _ => {
                    let cell = super::assemble::Cells::cell(&field, i).as_bytes();
                    memchr::memchr_iter(b'\n', cell).count() as u64
                }
            };
            if breaks == 0 {
                continue;
            }
            let cell = super::assemble::Cells::cell(&field, i).as_bytes();
            let at = (row, line_no + before);
            if let Some(w) = runaway_quote(&self.table, self.delimiter, cell, at, i, false) {
                self.quote_notes.push(w);
            }
            before += breaks;
        }
        self.table.record_with(spans.len(), field, line_no);
        Some(end + 1 - at)
    }

    /// The next quote to read as a character when it is in the record being read (quotes
    /// asked for rows already passed are reported as not found).
    fn due_literal(&mut self) -> Option<QuoteAt> {
        let row = self.table.next_row();
        while let Some(&at) = self.literal.get(self.next_literal) {
            if at.row > row {
                return None;
            }
            if at.row == row && at.column > self.endlen {
                return Some(at);
            }
            self.quote_notes.push(Warning::LiteralQuoteNotFound {
                row: at.row,
                column: at.column,
            });
            self.next_literal += 1;
        }
        None
    }

    /// Whether `next` is the first byte of cell `column` (1-based) of the record being
    /// read: `Some(true)` it is, `Some(false)` the cell is empty or already begun, `None`
    /// not there yet. csv-core is asked nothing: the record is fed one byte at a time
    /// while a quote is due, so its state shows in what it wrote (`endlen` cells ended,
    /// `outlen` bytes of them) and in the last byte it took.
    fn at_cell_start(&self, column: usize, next: u8) -> Option<bool> {
        let cell = column - 1;
        if self.endlen < cell {
            return None;
        }
        let cell_start = if cell == 0 { 0 } else { self.ends[cell - 1] };
        if self.endlen > cell || self.outlen > cell_start {
            return Some(false);
        }
        let just_began = if cell == 0 {
            // The record has not begun: line ends before it (the LF of a CRLF, empty
            // lines) are not its first cell.
            if next == b'\r' || next == b'\n' {
                return None;
            }
            matches!(self.last_byte, 0 | b'\r' | b'\n')
        } else {
            self.last_byte == self.delimiter
        };
        Some(just_began && next != self.delimiter && next != b'\r' && next != b'\n')
    }

    /// csv-core's output buffers, doubled when it says they are full.
    fn grow_out(&mut self) {
        let len = self.out.len();
        self.out.resize(len * 2, 0);
    }

    fn grow_ends(&mut self) {
        let len = self.ends.len();
        self.ends.resize(len * 2, 0);
    }

    /// Reads the quote that starts cell `at` as a character: csv-core gets a placeholder
    /// that is not a quote (so it reads the cell as unquoted, where later quotes are
    /// characters too), and the quote is put back in its place in the output.
    fn read_quote_as_text(&mut self, at: QuoteAt) -> Result<(), ReadError> {
        use csv_core::ReadRecordResult::*;
        self.between = false;
        let line = 1 + self.lf_seen;
        loop {
            let (res, nin, nout, _) = self.csv.read_record(
                b"x",
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            match res {
                OutputFull => {
                    self.grow_out();
                }
                OutputEndsFull => {
                    self.grow_ends();
                }
                _ if nin == 1 && nout == 1 => break,
                // Not reached (a cell's first byte is copied); taken as not found.
                _ => {
                    self.quote_notes.push(Warning::LiteralQuoteNotFound {
                        row: at.row,
                        column: at.column,
                    });
                    self.next_literal += 1;
                    return Ok(());
                }
            }
        }
        self.out[self.outlen] = b'"';
        self.outlen += 1;
        self.last_byte = b'"';
        self.quote_notes.push(Warning::QuoteReadAsText {
            row: at.row,
            line,
            column: at.column,
            column_name: self.table.header_name(at.column - 1).to_string(),
        });
        self.next_literal += 1;
        Ok(())
    }

    /// The end of the input: tells whether it ends inside a quoted cell, and ends the last
    /// record. csv-core is given a line feed (not counted as a line of the file): inside
    /// a quoted cell it is copied into the cell (and taken out again in `record`, once
    /// the end of the input has closed the cell); after an unquoted cell or a closed
    /// quote it ends the record as the end of the input would; between records it is
    /// skipped. (csv-core has no way to ask its state, and a clone of its reader does not
    /// keep it.)
    fn end_of_input(&mut self) -> Result<(), ReadError> {
        use csv_core::ReadRecordResult::*;
        self.at_end = true;
        loop {
            let (res, _, nout, nend) = self.csv.read_record(
                b"\n",
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            match res {
                OutputFull => {
                    self.grow_out();
                }
                OutputEndsFull => {
                    self.grow_ends();
                }
                Record => {
                    self.outlen += nout;
                    self.endlen += nend;
                    self.record()?;
                    self.outlen = 0;
                    self.endlen = 0;
                    return Ok(());
                }
                InputEmpty | End => {
                    self.open_at_end = nout == 1;
                    self.outlen += nout;
                    return Ok(());
                }
            }
        }
    }

    /// Handles one complete record sitting in `out[..outlen]`, `ends[..endlen]`.
    fn record(&mut self) -> Result<(), ReadError> {
        if self.open_at_end && self.at_end {
            // The line feed `end_of_input` gave csv-core to find the open cell.
            self.outlen -= 1;
            self.ends[self.endlen - 1] -= 1;
        }
        self.records += 1;
        let row = self.table.next_row();
        let data = &self.out[..self.outlen];
        // Per field: fields sit back to back in `out`, so a CR ending one and an LF
        // starting the next must not read as one CRLF.
        let mut start = 0;
        let mut lf_here = 0;
        // Cells holding line breaks (quoted ones): (index, breaks before it in the record).
        let mut multiline: Vec<(usize, u64)> = Vec::new();
        for (i, &end) in self.ends[..self.endlen].iter().enumerate() {
            let breaks = line_breaks(&data[start..end.max(start)], 0);
            if breaks > 0 {
                multiline.push((i, lf_here));
            }
            lf_here += breaks;
            start = end;
        }
        self.lf_in_fields += lf_here;
        // The record's own line end, unless it was cut by the end of the input (then a
        // last line break is inside a quoted cell, not after the record).
        let terminated = (!self.at_end && matches!(self.last_byte, b'\n' | b'\r')) as u64;
        self.end_record |= self.at_end;
        let line = (1 + self.lf_seen).saturating_sub(lf_here + terminated);
        for (i, before) in multiline {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            let cell = &data[start..self.ends[i].max(start)];
            let to_end = self.open_at_end && self.at_end && i + 1 == self.endlen;
            let at = if line == 0 { 0 } else { line + before };
            if let Some(w) = runaway_quote(&self.table, self.delimiter, cell, (row, at), i, to_end)
            {
                self.quote_notes.push(w);
            }
        }

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
        // A quote due in this record whose cell never came (a shorter record).
        while let Some(&at) = self
            .literal
            .get(self.next_literal)
            .filter(|at| at.row == row)
        {
            self.quote_notes.push(Warning::LiteralQuoteNotFound {
                row: at.row,
                column: at.column,
            });
            self.next_literal += 1;
        }
        Ok(())
    }

    fn finish(mut self, bytes: u64) -> Result<Loaded, ReadError> {
        self.end()?;
        self.conclude(bytes)
    }

    /// The end of the input: the decoder's last bytes, the last record, quotes asked for
    /// past it.
    fn end(&mut self) -> Result<(), ReadError> {
        self.feed(&[], true)?;
        // The last record, which has no line terminator of its own; then an empty input
        // tells csv-core the data has ended (and ends a quoted cell left open).
        self.end_of_input()?;
        self.parse("")?;
        // Quotes asked for past the last row.
        while let Some(&at) = self.literal.get(self.next_literal) {
            self.quote_notes.push(Warning::LiteralQuoteNotFound {
                row: at.row,
                column: at.column,
            });
            self.next_literal += 1;
        }
        Ok(())
    }

    /// The table and the warnings, once every byte has been parsed.
    fn conclude(mut self, bytes: u64) -> Result<Loaded, ReadError> {
        // First: rows are missing (or were restored) before anything else is worth saying.
        let mut warnings = std::mem::take(&mut self.quote_notes);
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
        let unterminated = self.end_record as u64;
        let lines_expected = (self.lf_in_fields + self.records).saturating_sub(unterminated);
        let empty_lines = self.lf_seen.saturating_sub(lines_expected);
        let delimiter_lines = self.table.leading_blank();
        let (table, warnings) = match self.table.finish(warnings, empty_lines) {
            // Bytes but no value: say what the file holds rather than "0 bytes".
            Err(ReadError::Empty) => {
                let delimiter = match self.delimiter {
                    b'\t' => "タブ".to_string(),
                    d => (d as char).to_string(),
                };
                return Err(ReadError::Blank {
                    bytes,
                    bom: self.bom,
                    empty_lines,
                    delimiter_lines,
                    delimiter,
                });
            }
            other => other?,
        };
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

/// Lines with something on them read into a quoted cell after its own first line, and
/// how many of them are shaped like a row of this file: the header's number of fields
/// when split at the delimiter. (When a stray quote opened the cell, those lines are the
/// file's rows as written: none holds a quote, which would have closed the cell.)
fn swallowed(cell: &[u8], delimiter: u8, header_fields: usize) -> (u64, u64) {
    let mut lines = 0;
    let mut rows_like = 0;
    // CR, LF and CRLF all end a line; the empty piece between CR and LF is skipped with
    // the empty lines.
    for line in cell.split(|&b| b == b'\r' || b == b'\n').skip(1) {
        if line.is_empty() {
            continue;
        }
        lines += 1;
        let fields = 1 + line.iter().filter(|&&b| b == delimiter).count();
        if header_fields >= 2 && fields == header_fields {
            rows_like += 1;
        }
    }
    (lines, rows_like)
}

/// The warning for the quoted cell `cell` (holding line breaks), the `column`th of its
/// record (from 0), when it ran away (`runaway`): `at` is the record's row and the line
/// the cell starts on. (`Parser::record` and `Parser::quoted_lines` both check each cell.)
fn runaway_quote(
    table: &Assembler,
    delimiter: u8,
    cell: &[u8],
    (row, line): (u64, u64),
    column: usize,
    to_end: bool,
) -> Option<Warning> {
    let header_fields = table.header_fields();
    let (lines, rows_like) = swallowed(cell, delimiter, header_fields);
    runaway(lines, rows_like, header_fields, to_end).then(|| Warning::RunawayQuote {
        row,
        line,
        column: column + 1,
        column_name: table.header_name(column).to_string(),
        lines,
        rows_like,
        to_end,
    })
}

/// Lines a record may span and still be read by `Parser::quoted_lines` (more go to
/// csv-core): a stray quote in an unquoted cell makes every line after it look like the
/// inside of a quoted cell until the next quote, and each such line is searched at most
/// this far before csv-core reads it.
const QUOTED_LINES_MAX: u64 = 32;

/// Delimiters that whole rows read into one cell must add up to (see `runaway`).
const RUNAWAY_DELIMITERS: u64 = 12;

/// Whether a quoted cell ran away: its opening quote swallowed rows of the file.
///
/// - Still open at the end of the file, with a line swallowed: always. A well-formed
///   file never ends inside quotes, so what follows the quote was meant as rows (or the
///   file was cut short, which is worth saying too).
/// - Closed somewhere (by the next quote in the file, typically the opening quote of a
///   later quoted answer): at least 2 of the lines read into it are shaped exactly like
///   a row (the header's number of fields), those lines hold at least 12 delimiters
///   together (2 rows of a 7-column file, 3 of a 5-column one, 6 of a 3-column one, 12
///   of a 2-column one), and they are at least half of its lines.
///
/// Why this never fires on real free text: an answer of several lines (a quoted cell
/// Excel writes for Alt+Enter) is prose. To fire, several of its lines would each need
/// exactly as many ASCII delimiters as the file has columns less one (4 commas on each of
/// three lines of a 5-column survey; Japanese prose uses 、 and ，, which are not
/// delimiters), and such lines would have to be most of the answer; in a file of only an
/// ID and the answer, 13 lines of one comma each. Rows swallowed by a stray quote are
/// all like that: the file's own rows, written without quotes (a quote would have closed
/// the cell). Not caught: a quote closed again within a row or two of a narrow file;
/// those rows then read as short or long rows, which are reported.
fn runaway(lines: u64, rows_like: u64, header_fields: usize, to_end: bool) -> bool {
    if to_end {
        return lines >= 1;
    }
    let per_row = header_fields.saturating_sub(1) as u64;
    rows_like >= 2 && rows_like * per_row >= RUNAWAY_DELIMITERS && rows_like * 2 >= lines
}

/// Line breaks in `bytes` as csv-core sees them: CRLF, LF and CR each end one line.
/// `before` is the byte just before `bytes` (a CR there makes a leading LF part of CRLF).
/// (Only the CRs and LFs are looked at, found with memchr: this runs over every byte
/// csv-core reads, and most records hold one line end or none.)
fn line_breaks(bytes: &[u8], before: u8) -> u64 {
    let mut n = 0;
    for at in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        let prev = match at {
            0 => before,
            _ => bytes[at - 1],
        };
        if bytes[at] == b'\r' || prev != b'\r' {
            n += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_count_crlf_lf_and_cr_as_one_each() {
        // Every string of up to 7 bytes of CR, LF and x, after each possible byte before:
        // the byte-by-byte rule (a CR ends a line; an LF does unless a CR is just before).
        for len in 0..8u32 {
            for n in 0..3u32.pow(len) {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| [b'\r', b'\n', b'x'][(n / 3u32.pow(i) % 3) as usize])
                    .collect();
                for before in [0, b'\r', b'\n', b'x'] {
                    let mut want = 0;
                    let mut prev = before;
                    for &b in &bytes {
                        want += u64::from(b == b'\r' || (b == b'\n' && prev != b'\r'));
                        prev = b;
                    }
                    assert_eq!(
                        line_breaks(&bytes, before),
                        want,
                        "{bytes:?} after {before}"
                    );
                }
            }
        }
    }
}
