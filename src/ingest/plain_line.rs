//! `cell_count` and `each_cell` (or `split`, which stores the places): one line without
//! quotes cut into its cells, eight bytes at a time; and `split_quoted`: one line whose
//! quotes are all csv-core's ordinary quoting.
//!
//! The CSV reader's plain-line path (`Parser::plain_lines`) ran through every byte of the
//! file twice (looking for a quote or CR, then for the delimiter); here a pass over
//! 8-byte words finds all three (portable bit tricks: the same code on wasm32), and a
//! second, over a line still in cache, hands out the cells.
//!
//! Lines with quoted cells (free text holding a comma or a quote; every cell of a Google
//! Forms export) went to csv-core byte by byte: in the 1M-row bench file, the 16 % of lines
//! with a quote took about a sixth of the worker's reading time (issue 16). Most such lines
//! are quoted plainly — a cell that starts with a quote and ends with one just before a
//! delimiter or the line's end, quotes inside it doubled — and `split_quoted` reads those;
//! anything else (a CR, a quote inside an unquoted cell, text after a closing quote, a cell
//! still open at the line's end) stays csv-core's. A cell open at the line's end that
//! closes a few lines on (free text with line breaks) is read by `split_quoted` too, on
//! those lines together (`Parser::quoted_lines`).

/// The byte `b` in every byte of a word.
#[inline(always)]
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of each byte of `word` that equals `b`, and no other bit (exact: no
/// borrow runs from one byte into the next).
#[inline(always)]
fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ splat(b);
    !(((x & splat(0x7f)) + splat(0x7f)) | x) & splat(0x80)
}

/// Pushes the cells of `body` (a line without its line end) as `(start, end)` spans into
/// `fields` (cleared first), split at `delimiter` (an ASCII byte other than `"`, CR and
/// LF). Returns false, with `fields` unspecified, when `body` holds a quote or a CR: such
/// a line is for csv-core. (For the plain lines that do not go straight into the columns:
/// short, long, or before the header's height is known.)
#[inline]
pub(super) fn split(body: &[u8], delimiter: u8, fields: &mut Vec<(usize, usize)>) -> bool {
    fields.clear();
    if cell_count(body, delimiter).is_none() {
        return false;
    }
    each_cell(body, delimiter, |start, end| fields.push((start, end)));
    true
}

/// The number of cells of `body` (a line without its line end) split at `delimiter`, or
/// None when it holds a quote or a CR. One branch-free pass over
/// 8-byte words: the row is then read cell by cell by `each_cell` straight into the
/// columns (`Assembler::plain_row`) when the count is the header's, without storing the
/// cells' places first (`split`'s spans were about a tenth of the instructions per cell).
#[inline]
pub(super) fn cell_count(body: &[u8], delimiter: u8) -> Option<usize> {
    let mut words = body.chunks_exact(8);
    let mut odd = 0u64;
    let mut count = 1usize;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        odd |= bytes_equal(word, b'"') | bytes_equal(word, b'\r');
        count += bytes_equal(word, delimiter).count_ones() as usize;
    }
    for &b in words.remainder() {
        odd |= u64::from(b == b'"' || b == b'\r');
        count += usize::from(b == delimiter);
    }
    (odd == 0).then_some(count)
}

/// Calls `cell(start, end)` for each cell of `body` split at `delimiter`, in order, for a
/// line `cell_count` counted (no quote, no CR).
#[inline(always)]
pub(super) fn each_cell(body: &[u8], delimiter: u8, mut cell: impl FnMut(usize, usize)) {
    let mut start = 0;
    let mut words = body.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mut found = bytes_equal(u64::from_le_bytes(word), delimiter);
        while found != 0 {
            let i = at + (found.trailing_zeros() / 8) as usize;
            cell(start, i);
            start = i + 1;
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == delimiter {
            cell(start, at + i);
            start = at + i + 1;
        }
    }
    cell(start, body.len());
}

/// The cell at `span` (from `split` or `split_quoted`) of `line`, or of `unescaped` when
/// the span says so. Blank and one-byte cells, most of a survey's, are not cut from the
/// line: each cut checks that it falls between characters, which was about a fifth of
/// the instructions per cell (measured with cachegrind on the 100k-row survey).
#[inline(always)]
pub(super) fn cell<'t>(line: &'t str, unescaped: &'t str, (s, e): (usize, usize)) -> &'t str {
    match e.wrapping_sub(s) {
        0 => return "",
        1 => {
            let byte = line.as_bytes().get(s).map(|&b| b as usize);
            if let Some(one) = byte.and_then(|b| ONE_BYTE.get(b)) {
                return one;
            }
        }
        _ => {}
    }
    match s & UNESCAPED {
        0 => line.get(s..e),
        _ => unescaped.get(s & !UNESCAPED..e & !UNESCAPED),
    }
    .unwrap_or("\u{FFFD}")
}

/// A line's cells as `split` or `split_quoted` found them, for `Assembler::record_with`.
pub(super) struct LineCells<'t> {
    pub line: &'t str,
    pub unescaped: &'t str,
    pub spans: &'t [(usize, usize)],
}

impl<'t> super::assemble::Cells<'t> for LineCells<'t> {
    #[inline(always)]
    fn cell(&self, i: usize) -> &'t str {
        let span = self.spans.get(i).copied().unwrap_or_default();
        cell(self.line, self.unescaped, span)
    }
}

/// Every one-byte cell as text, by its byte (a one-byte cell of valid text is ASCII).
const ONE_BYTE: [&str; 128] = [
    "\u{0}", "\u{1}", "\u{2}", "\u{3}", "\u{4}", "\u{5}", "\u{6}", "\u{7}", "\u{8}", "\u{9}",
    "\u{a}", "\u{b}", "\u{c}", "\u{d}", "\u{e}", "\u{f}", "\u{10}", "\u{11}", "\u{12}", "\u{13}",
    "\u{14}", "\u{15}", "\u{16}", "\u{17}", "\u{18}", "\u{19}", "\u{1a}", "\u{1b}", "\u{1c}",
    "\u{1d}", "\u{1e}", "\u{1f}", "\u{20}", "\u{21}", "\u{22}", "\u{23}", "\u{24}", "\u{25}",
    "\u{26}", "\u{27}", "\u{28}", "\u{29}", "\u{2a}", "\u{2b}", "\u{2c}", "\u{2d}", "\u{2e}",
    "\u{2f}", "\u{30}", "\u{31}", "\u{32}", "\u{33}", "\u{34}", "\u{35}", "\u{36}", "\u{37}",
    "\u{38}", "\u{39}", "\u{3a}", "\u{3b}", "\u{3c}", "\u{3d}", "\u{3e}", "\u{3f}", "\u{40}",
    "\u{41}", "\u{42}", "\u{43}", "\u{44}", "\u{45}", "\u{46}", "\u{47}", "\u{48}", "\u{49}",
    "\u{4a}", "\u{4b}", "\u{4c}", "\u{4d}", "\u{4e}", "\u{4f}", "\u{50}", "\u{51}", "\u{52}",
    "\u{53}", "\u{54}", "\u{55}", "\u{56}", "\u{57}", "\u{58}", "\u{59}", "\u{5a}", "\u{5b}",
    "\u{5c}", "\u{5d}", "\u{5e}", "\u{5f}", "\u{60}", "\u{61}", "\u{62}", "\u{63}", "\u{64}",
    "\u{65}", "\u{66}", "\u{67}", "\u{68}", "\u{69}", "\u{6a}", "\u{6b}", "\u{6c}", "\u{6d}",
    "\u{6e}", "\u{6f}", "\u{70}", "\u{71}", "\u{72}", "\u{73}", "\u{74}", "\u{75}", "\u{76}",
    "\u{77}", "\u{78}", "\u{79}", "\u{7a}", "\u{7b}", "\u{7c}", "\u{7d}", "\u{7e}", "\u{7f}",
];

/// Set in both ends of a span that points into `split_quoted`'s `unescaped` buffer rather
/// than into the line.
pub(super) const UNESCAPED: usize = 1 << (usize::BITS - 1);

/// Pushes the cells of `body` (a line without its line end) as `(start, end)` spans into
/// `fields` (cleared first, as `unescaped` is), exactly as csv-core reads them, when every
/// quote in `body` opens a cell (its first byte), closes it (followed by `delimiter` or the
/// end of `body`) or is doubled inside a quoted cell. A quoted cell's span leaves its
/// quotes out; one holding doubled quotes is copied into `unescaped` with each pair made
/// one, and its span (into `unescaped`) has `UNESCAPED` set in both ends. Returns false,
/// with `fields` unspecified, for any other line (a CR anywhere, a quote inside an
/// unquoted cell, text after a closing quote, a quoted cell not closed in `body`): such a
/// line is for csv-core. `delimiter` is an ASCII byte other than `"`, CR and LF.
/// `body` may also be several lines whose line breaks (LFs) are all inside quoted cells, as
/// `Parser::quoted_lines` makes sure: an LF in an unquoted cell would be read as text.
pub(super) fn split_quoted(
    body: &str,
    delimiter: u8,
    fields: &mut Vec<(usize, usize)>,
    unescaped: &mut String,
) -> bool {
    fields.clear();
    unescaped.clear();
    let bytes = body.as_bytes();
    // The start of the current cell.
    let mut at = 0;
    loop {
        if bytes.get(at) == Some(&b'"') {
            let open = at + 1;
            // Where the text not yet taken starts, and where the cell starts in
            // `unescaped` once a doubled quote has been seen.
            let mut from = open;
            let mut copied: Option<usize> = None;
            loop {
                let Some(q) = memchr::memchr2(b'"', b'\r', &bytes[from..]).map(|i| from + i) else {
                    return false;
                };
                if bytes[q] == b'\r' {
                    return false;
                }
                // (Cut next to ASCII bytes of valid text: `get` never fails.)
                let Some(piece) = body.get(from..q) else {
                    return false;
                };
                match bytes.get(q + 1) {
                    Some(&b'"') => {
                        copied.get_or_insert(unescaped.len());
                        unescaped.push_str(piece);
                        unescaped.push('"');
                        from = q + 2;
                    }
                    next if next.is_none() || next == Some(&delimiter) => {
                        match copied {
                            Some(start) => {
                                unescaped.push_str(piece);
                                fields.push((start | UNESCAPED, unescaped.len() | UNESCAPED));
                            }
                            None => fields.push((open, q)),
                        }
                        at = q + 1;
                        break;
                    }
                    _ => return false,
                }
            }
        } else {
            let end = unquoted_end(&bytes[at..], delimiter).map_or(bytes.len(), |i| at + i);
            if end < bytes.len() && bytes[end] != delimiter {
                return false;
            }
            fields.push((at, end));
            at = end;
        }
        // `at` is at a delimiter or at the end of the line.
        if at >= bytes.len() {
            return true;
        }
        at += 1;
    }
}

/// Where the unquoted cell at the start of `bytes` ends: the first delimiter, quote or
/// CR. Most such cells are a byte or two (codes beside a quoted free-text cell): looked
/// at byte by byte first, where memchr3's set-up cost more than the search (it was a
/// twentieth of the native read of the 1M bench file, called once per cell).
#[inline(always)]
fn unquoted_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    const BY_BYTE: usize = 16;
    let stop = |b: &u8| *b == delimiter || *b == b'"' || *b == b'\r';
    match bytes.iter().take(BY_BYTE).position(stop) {
        Some(i) => Some(i),
        None if bytes.len() <= BY_BYTE => None,
        None => memchr::memchr3(delimiter, b'"', b'\r', &bytes[BY_BYTE..]).map(|i| BY_BYTE + i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_cells_are_their_byte() {
        for (b, text) in ONE_BYTE.iter().enumerate() {
            assert_eq!(text.as_bytes(), [b as u8], "{b}");
        }
    }

    /// What the byte-by-byte rule gives: cells between delimiters, None with a quote or CR.
    fn by_bytes(body: &[u8], delimiter: u8) -> Option<Vec<(usize, usize)>> {
        if body.iter().any(|&b| b == b'"' || b == b'\r') {
            return None;
        }
        let mut fields = Vec::new();
        let mut start = 0;
        for (i, &b) in body.iter().enumerate() {
            if b == delimiter {
                fields.push((start, i));
                start = i + 1;
            }
        }
        fields.push((start, body.len()));
        Some(fields)
    }

    #[test]
    fn cells_are_those_of_the_byte_by_byte_rule() {
        // Every length around the 8-byte words, delimiters next to each other, at the
        // ends, bytes one bit away from the delimiter (`,` is 0x2C: 0x2D, 0xAC), UTF-8.
        let pieces: [&[u8]; 9] = [
            b",",
            b"1",
            b"-",
            &[0xAC],
            b"\t",
            "男性".as_bytes(),
            b";",
            b"\r",
            b"\"",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for len in 0..40 {
            for _ in 0..50 {
                let mut body = Vec::new();
                for _ in 0..len {
                    let p = pieces[rng.usize(..pieces.len())];
                    // Quotes and CRs rarely, so that most lines split.
                    if (p == b"\r" || p == b"\"") && rng.u8(..8) != 0 {
                        continue;
                    }
                    body.extend_from_slice(p);
                }
                for delimiter in [b',', b'\t', b';'] {
                    let mut fields = Vec::new();
                    let ok = split(&body, delimiter, &mut fields);
                    let want = by_bytes(&body, delimiter);
                    assert_eq!(ok, want.is_some(), "{body:?}");
                    if let Some(want) = want {
                        assert_eq!(fields, want, "{body:?}");
                    }
                }
            }
        }
    }

    /// What csv-core reads `body` (with a line end) as: the cells of its first record.
    fn by_csv_core(body: &[u8], delimiter: u8) -> Vec<Vec<u8>> {
        let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut input = body.to_vec();
        input.push(b'\n');
        let mut out = vec![0u8; input.len() + 16];
        let mut ends = vec![0usize; input.len() + 16];
        let (res, _, nout, nend) = reader.read_record(&input, &mut out, &mut ends);
        assert!(
            matches!(res, csv_core::ReadRecordResult::Record),
            "{body:?}"
        );
        let mut cells = Vec::new();
        let mut start = 0;
        for &end in &ends[..nend] {
            cells.push(out[start..end].to_vec());
            start = end;
        }
        assert_eq!(start, nout);
        cells
    }

    fn cells_of(body: &str, fields: &[(usize, usize)], unescaped: &str) -> Vec<Vec<u8>> {
        fields
            .iter()
            .map(|&(s, e)| match s & UNESCAPED {
                0 => body.as_bytes()[s..e].to_vec(),
                _ => unescaped.as_bytes()[s & !UNESCAPED..e & !UNESCAPED].to_vec(),
            })
            .collect()
    }

    #[test]
    fn quoted_lines_are_read_as_csv_core_reads_them() {
        // Random lines from pieces that make every quoting csv-core knows: quotes at a
        // cell's start, inside, doubled, before a delimiter, at the end, with text after;
        // CRs; multi-byte text. Wherever `split_quoted` reads a line, its cells are csv-core's;
        // and the lines written the ordinary way (below) are all read.
        let pieces: [&str; 8] = [",", "a", "\"", "\"\"", "男性", ";", "\r", " "];
        let mut rng = fastrand::Rng::with_seed(11);
        let mut read = 0;
        for len in 0..24 {
            for _ in 0..400 {
                let mut body = String::new();
                for _ in 0..len {
                    body.push_str(pieces[rng.usize(..pieces.len())]);
                }
                // (An empty line is skipped before the split.)
                if body.is_empty() {
                    continue;
                }
                for delimiter in [b',', b';'] {
                    let (mut fields, mut unescaped) = (Vec::new(), String::new());
                    if split_quoted(&body, delimiter, &mut fields, &mut unescaped) {
                        read += 1;
                        assert_eq!(
                            cells_of(&body, &fields, &unescaped),
                            by_csv_core(body.as_bytes(), delimiter),
                            "{body:?}"
                        );
                    }
                }
            }
        }
        assert!(read > 1_000, "only {read} lines read");
    }

    #[test]
    fn an_unquoted_cell_ends_at_the_first_delimiter_quote_or_cr_at_any_length() {
        // Byte by byte up to 16 bytes, memchr3 past them: every length around that seam,
        // each stop byte at each place (or none), against the plain search.
        for len in 0..40 {
            for stop in [None, Some(b','), Some(b'"'), Some(b'\r'), Some(b';')] {
                for at in 0..len.max(1) {
                    let mut bytes = vec![b'a'; len];
                    if let (Some(b), true) = (stop, at < len) {
                        bytes[at] = b;
                    }
                    let want = bytes.iter().position(|&b| matches!(b, b',' | b'"' | b'\r'));
                    assert_eq!(unquoted_end(&bytes, b','), want, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn ordinarily_quoted_lines_are_all_read() {
        let cells = [
            "",
            "1",
            "男性",
            "a,b",
            "\"最高\"。",
            "A, \"B\", C",
            ",",
            "\"",
            "x\"\"y",
        ];
        let mut rng = fastrand::Rng::with_seed(5);
        for n in 1..12 {
            for _ in 0..300 {
                let mut body = String::new();
                let mut want = Vec::new();
                for i in 0..n {
                    let cell = cells[rng.usize(..cells.len())];
                    if i > 0 {
                        body.push(',');
                    }
                    // Quoted as Excel and Google Forms write: when needed, or always.
                    if cell.contains([',', '"']) || rng.u8(..3) == 0 {
                        body.push('"');
                        body.push_str(&cell.replace('"', "\"\""));
                        body.push('"');
                    } else {
                        body.push_str(cell);
                    }
                    want.push(cell.as_bytes().to_vec());
                }
                if body.is_empty() {
                    continue;
                }
                let (mut fields, mut unescaped) = (Vec::new(), String::new());
                assert!(
                    split_quoted(&body, b',', &mut fields, &mut unescaped),
                    "{body:?}"
                );
                assert_eq!(cells_of(&body, &fields, &unescaped), want, "{body:?}");
                assert_eq!(want, by_csv_core(body.as_bytes(), b','), "{body:?}");
            }
        }
    }
}
