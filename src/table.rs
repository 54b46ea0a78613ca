//! The loaded survey as columns: each column stores every distinct value once (its
//! dictionary) and one small integer code per row. Survey answers are mostly a handful of
//! codes, so a column of a million rows takes about a megabyte, and a value's number is
//! parsed once per distinct value, not once per cell.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

mod dense;
mod mapped;
mod merge;
mod text_index;
mod waiting;
use dense::Dense;
use text_index::TextIndex;
use waiting::{Waiting, WAIT_MAX};

/// Code 0 of every column is the blank value.
pub const BLANK: u32 = 0;

/// One code per row, as narrow as the column's dictionary allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Codes {
    pub fn new() -> Self {
        Codes::U8(Vec::new())
    }

    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, row: usize) -> u32 {
        match self {
            Codes::U8(v) => v[row] as u32,
            Codes::U16(v) => v[row] as u32,
            Codes::U32(v) => v[row],
        }
    }

    /// Appends a code, widening the storage the first time a code does not fit.
    #[inline]
    pub fn push(&mut self, code: u32) {
        self.extend_from(&[code]);
    }

    /// Appends codes, widening the storage first when one of them does not fit.
    #[inline]
    pub fn extend_from(&mut self, codes: &[u32]) {
        let max = codes.iter().copied().max().unwrap_or(0);
        loop {
            match self {
                Codes::U8(v) if max <= u8::MAX as u32 => {
                    return v.extend(codes.iter().map(|&c| c as u8))
                }
                Codes::U16(v) if max <= u16::MAX as u32 => {
                    return v.extend(codes.iter().map(|&c| c as u16))
                }
                Codes::U32(v) => return v.extend_from_slice(codes),
                // (Each widening makes the storage wider: at most twice.)
                _ => self.widen(max),
            }
        }
    }

    /// Appends `codes`, all below `bound`, as `extend_from` does, without looking for
    /// the largest when `bound` says they all fit (a builder knows how many codes it has
    /// handed out): the staged codes of a column of few values go in as one copy of
    /// `STAGED` bytes, where finding the largest first and converting each code made
    /// storing the codes a tenth of the worker's reading time.
    #[inline]
    pub(crate) fn extend_below(&mut self, codes: &[u32], bound: u32) {
        match self {
            Codes::U8(v) if bound <= 1 << 8 => match <&[u32; STAGED]>::try_from(codes) {
                Ok(all) => v.extend_from_slice(&all.map(|c| c as u8)),
                Err(_) => v.extend(codes.iter().map(|&c| c as u8)),
            },
            Codes::U16(v) if bound <= 1 << 16 => v.extend(codes.iter().map(|&c| c as u16)),
            _ => self.extend_from(codes),
        }
    }

    /// Appends `n` blanks (used when a long row adds a column that earlier rows lacked).
    pub fn push_blanks(&mut self, n: usize) {
        match self {
            Codes::U8(v) => v.resize(v.len() + n, 0),
            Codes::U16(v) => v.resize(v.len() + n, 0),
            Codes::U32(v) => v.resize(v.len() + n, 0),
        }
    }

    pub fn truncate(&mut self, len: usize) {
        match self {
            Codes::U8(v) => v.truncate(len),
            Codes::U16(v) => v.truncate(len),
            Codes::U32(v) => v.truncate(len),
        }
    }

    #[cold]
    fn widen(&mut self, code: u32) {
        *self = match std::mem::replace(self, Codes::U8(Vec::new())) {
            Codes::U8(v) if code <= u16::MAX as u32 => {
                Codes::U16(v.into_iter().map(u16::from).collect())
            }
            Codes::U8(v) => Codes::U32(v.into_iter().map(u32::from).collect()),
            Codes::U16(v) => Codes::U32(v.into_iter().map(u32::from).collect()),
            wide => wide,
        };
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            Codes::U8(v) => Box::new(v.iter().map(|&c| c as u32)),
            Codes::U16(v) => Box::new(v.iter().map(|&c| c as u32)),
            Codes::U32(v) => Box::new(v.iter().copied()),
        }
    }

    pub fn shrink_to_fit(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }

    /// Bytes held by the codes (for the memory report).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity() * 2,
            Codes::U32(v) => v.capacity() * 4,
        }
    }
}

impl Default for Codes {
    fn default() -> Self {
        Self::new()
    }
}

/// One column of the survey file. Made only by `ColumnBuilder::finish` and never changed
/// after, so the counts per code can be kept once counted.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    /// Distinct values in order of first appearance; `values[0]` is always "" (blank).
    pub values: Vec<Box<str>>,
    /// The number each distinct value reads as, if any (parsed once per value).
    pub numbers: Vec<Option<f64>>,
    pub codes: Codes,
    /// Rows per code, counted on first use: inference, the summary, the model view and
    /// tabulations ask for them a dozen times per column, and counting a million rows
    /// each time was most of a million-row load's inference (profiled natively and in
    /// the worker).
    counts: std::sync::OnceLock<Vec<u64>>,
}

/// Equal columns are equal whether or not their counts have been asked for.
impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.values == other.values
            && self.numbers == other.numbers
            && self.codes == other.codes
    }
}

impl Column {
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn value(&self, row: usize) -> &str {
        &self.values[self.codes.get(row) as usize]
    }

    /// Number of rows per code (counted once, then kept).
    pub fn code_counts(&self) -> &[u64] {
        self.counts.get_or_init(|| {
            let mut counts = vec![0u64; self.values.len()];
            match &self.codes {
                Codes::U8(v) => count_bytes(v, &mut counts),
                Codes::U16(v) => v.iter().for_each(|&c| counts[c as usize] += 1),
                Codes::U32(v) => v.iter().for_each(|&c| counts[c as usize] += 1),
            }
            counts
        })
    }

    /// True when every non-blank value reads as a number (and there is at least one).
    pub fn is_numeric(&self) -> bool {
        self.values.len() > 1 && self.numbers.iter().skip(1).all(Option::is_some)
    }

    pub fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes()
            + self.values.iter().map(|v| v.len() + 16).sum::<usize>()
            + self.numbers.capacity() * 16
            + self.name.len()
    }
}

/// Builds one column while rows stream in: a value seen before costs one lookup.
///
/// Three dictionaries by the value's length, all handing out codes from one counter in
/// order of first appearance (profiled on a million-row survey, the string dictionary
/// was 40 % of reading: hashing, comparing and allocating a string per cell):
/// one-byte values in an array, values of 2–7 bytes (ids, ages, weights, most codes)
/// packed into one integer (hashed and compared as such, nothing allocated until
/// `finish`), longer values in a `TextIndex` (one byte arena, a slot read per lookup).
#[derive(Debug)]
pub struct ColumnBuilder {
    pub name: String,
    /// Values of 8 bytes or more.
    index: TextIndex,
    /// Values of 2 to 7 bytes, keyed by `pack`.
    short: FxHashMap<u64, u32>,
    /// Codes of one-byte values ("1" … "9", "a": one byte of valid UTF-8 is ASCII).
    /// `u32::MAX` = not seen yet.
    ascii: [u32; 128],
    /// Codes of the whole numbers of 2–7 digits written plainly (no sign, no leading
    /// zero), indexed by the number (less a base): respondent ids 1 … N are a column of N
    /// distinct values, where even the packed dictionary misses the cache on every row.
    /// Kept within a few times the column's distinct values (`Dense`), so memory stays
    /// proportional to them; a number of its new range already in `short` moves here
    /// when it grows.
    ints: Dense,
    /// Codes of the decimals written plainly with `fixed_scale` digits after the point
    /// (the first decimal's; 0 = none yet), indexed by their digits read as one whole
    /// number ("0.7040" → 7040), kept as `ints` are: a weight column of a survey holds
    /// thousands of such values, and a lookup in the packed dictionary missed the cache.
    fixed: Dense,
    fixed_scale: u8,
    /// Codes handed out so far, the blank's included.
    distinct: u32,
    codes: Codes,
    /// The last rows' codes, not yet in `codes` (`staged_len` of them), moved there
    /// `STAGED` at a time. Why: the columns' code vectors grow in step and, being large
    /// allocations, start at the same place in a memory page, so storing one code per
    /// column per row made every column's store evict another's cache line (in the
    /// profile, the store of a code was a sixth of reading); here the row's codes go to
    /// this small buffer inside the builder, and each vector is written a line at a time.
    staged: [u32; STAGED],
    staged_len: usize,
    /// Long values pushed since the last flush, their staged codes not yet known: looked
    /// up together at the flush (`settle`). Any other new value is given its code only
    /// after them, so the codes stay in order of first appearance.
    waiting: Waiting,
}

/// Codes a builder holds before moving them to its `Codes`.
const STAGED: usize = 64;

/// Longest value kept in the packed dictionary.
const PACKED: usize = 7;

/// A value of at most `PACKED` bytes as one integer: its bytes, then its length in the top
/// byte (so "1" and "1\0" differ).
#[inline]
fn pack(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    word[7] = bytes.len() as u8;
    u64::from_le_bytes(word)
}

/// A value of 2–7 ASCII digits not starting with 0, as its number.
#[inline]
fn whole_number(bytes: &[u8]) -> Option<u32> {
    if bytes.len() < 2 || bytes.len() > PACKED || bytes[0] == b'0' {
        return None;
    }
    let mut n = 0u32;
    for &b in bytes {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + d as u32;
    }
    Some(n)
}

/// A value of 3–7 bytes that is a decimal written plainly: digits, one point, digits, no
/// sign, no leading zero but the one before the point ("0.5", "12.25"), as its digits
/// read as one number and the count of digits after the point.
#[inline]
fn decimal(bytes: &[u8]) -> Option<(u32, u8)> {
    let point = bytes.iter().position(|&b| b == b'.')?;
    let scale = bytes.len().checked_sub(point + 1)?;
    if bytes.len() < 3 || bytes.len() > PACKED || point == 0 || scale == 0 {
        return None;
    }
    if point > 1 && bytes[0] == b'0' {
        return None;
    }
    let mut n = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        if i == point {
            continue;
        }
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + d as u32;
    }
    Some((n, scale as u8))
}

/// The text `whole_number` (`scale` 0) or `decimal` read as `n` (`scale` digits after the
/// point), written digit by digit: `format!` and `to_string` were most of `finish`'s work
/// for a column of 10,000 distinct ids or weights (a format and two allocations each).
fn number_text(n: usize, scale: u8) -> Box<str> {
    // usize::MAX has 20 digits; a scale past them adds a leading "0." and zeros.
    let mut buf = [0u8; 64];
    let scale = usize::from(scale).min(buf.len() - 3);
    let mut at = buf.len();
    let mut rest = n;
    let mut written = 0;
    while rest > 0 || written <= scale {
        if scale > 0 && written == scale {
            at -= 1;
            buf[at] = b'.';
        }
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        written += 1;
    }
    Box::from(std::str::from_utf8(&buf[at..]).unwrap_or_default())
}

/// The bytes `pack` made `key` from: the first `len` of the word.
fn unpacked(key: u64) -> ([u8; 8], usize) {
    let word = key.to_le_bytes();
    (word, (word[7] as usize).min(PACKED))
}

/// The value `pack` made `key` from (it was a whole `str`, so this is one).
fn unpack(key: u64) -> Box<str> {
    let (word, len) = unpacked(key);
    match std::str::from_utf8(&word[..len]) {
        Ok(text) => Box::from(text),
        Err(_) => Box::from(String::from_utf8_lossy(&word[..len]).as_ref()),
    }
}

impl ColumnBuilder {
    pub fn new(name: String) -> Self {
        ColumnBuilder {
            name,
            index: TextIndex::default(),
            short: FxHashMap::default(),
            ascii: [u32::MAX; 128],
            ints: Dense::default(),
            fixed: Dense::default(),
            fixed_scale: 0,
            distinct: 1,
            codes: Codes::new(),
            staged: [BLANK; STAGED],
            staged_len: 0,
            waiting: Waiting::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.codes.len() + self.staged_len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves the staged codes into `codes`.
    #[inline(never)]
    fn flush(&mut self) {
        if !self.waiting.is_empty() {
            self.settle();
        }
        self.codes
            .extend_below(&self.staged[..self.staged_len.min(STAGED)], self.distinct);
        self.staged_len = 0;
    }

    /// Adds one cell. Blank and one-byte values (most cells of a survey: 1–9 codes) are
    /// handled here, inlined into the caller's loop; the rest in `push_longer`.
    #[inline(always)]
    pub fn push(&mut self, value: &str) {
        if value.len() > 1 {
            return self.push_longer(value);
        }
        let code = self.code_of(value);
        self.stage(code);
    }

    /// Adds a cell of 2 bytes or more: a long one (free text) waits for its code
    /// (`settle`). (Not inlined: `push_cut`'s inlined part, in the reader's loop over a
    /// line's cells, stays that of blank and one-byte cells.)
    #[inline(never)]
    fn push_longer(&mut self, value: &str) {
        if value.len() > PACKED && value.len() <= WAIT_MAX {
            self.wait(value);
        } else {
            let code = self.longer(value);
            self.stage(code);
        }
    }

    /// Stages a place for the code of `value`, looked up later with the other values
    /// waiting (`settle`).
    #[inline]
    fn wait(&mut self, value: &str) {
        if self.staged_len >= STAGED {
            self.flush();
        }
        self.waiting.push(value, self.staged_len);
        self.staged_len += 1;
    }

    /// Gives the waiting values their codes, in the order they were pushed: every slot
    /// they are looked up in is read first (`TextIndex::warm`), each value hashed once.
    #[inline(never)]
    fn settle(&mut self) {
        let ColumnBuilder {
            index,
            waiting,
            distinct,
            staged,
            ..
        } = self;
        // (One value waits per staged code: at most `STAGED`.)
        let mut hashes = [0u64; STAGED];
        let mut n = 0;
        for (h, (value, _)) in hashes.iter_mut().zip(waiting.values()) {
            *h = TextIndex::hash_of(value);
            n += 1;
        }
        index.warm(&hashes[..n]);
        for (i, (value, at)) in waiting.values().enumerate() {
            // (Hashed above; past `STAGED`, which never happens, hashed here.)
            let h = match i < n {
                true => hashes[i],
                false => TextIndex::hash_of(value),
            };
            let next = *distinct;
            let code = index.code_or_insert_hashed(value, h, next);
            *distinct += (code == next) as u32;
            if let Some(slot) = staged.get_mut(at) {
                *slot = code;
            }
        }
        waiting.clear();
    }

    /// Adds the cell `line[start..end]`, the same as `push` of that slice (a cut that does
    /// not fall between characters is U+FFFD, as `plain_line::cell` makes it), without
    /// making the slice of a blank or one-byte cell: the CSV reader's plain rows
    /// (`Assembler::plain_row`) come here for every cell.
    #[inline(always)]
    pub fn push_cut(&mut self, line: &str, start: usize, end: usize) {
        let code = match end.wrapping_sub(start) {
            0 => BLANK,
            1 => match line.as_bytes().get(start) {
                Some(&b) if b.is_ascii() => self.ascii_code(b),
                _ => self.longer("\u{FFFD}"),
            },
            _ => return self.push_longer(line.get(start..end).unwrap_or("\u{FFFD}")),
        };
        self.stage(code);
    }

    /// Puts `code` after the column's last.
    #[inline(always)]
    fn stage(&mut self, code: u32) {
        match self.staged.get_mut(self.staged_len) {
            Some(slot) => {
                *slot = code;
                self.staged_len += 1;
            }
            None => {
                self.flush();
                self.codes.push(code);
            }
        }
    }

    /// The code of the one-byte value `b` (ASCII).
    #[inline(always)]
    fn ascii_code(&mut self, b: u8) -> u32 {
        match self.ascii[(b & 0x7f) as usize] {
            u32::MAX => self.new_ascii(b),
            code => code,
        }
    }

    /// The code of the one-byte value `b`, not seen before: the next, after the values
    /// waiting.
    #[cold]
    fn new_ascii(&mut self, b: u8) -> u32 {
        if !self.waiting.is_empty() {
            self.settle();
        }
        let code = self.distinct;
        self.ascii[(b & 0x7f) as usize] = code;
        self.distinct += 1;
        code
    }

    /// The code of `value`, a new one (the next in order of first appearance) when it has
    /// not been seen.
    #[inline(always)]
    fn code_of(&mut self, value: &str) -> u32 {
        match value.as_bytes() {
            [] => BLANK,
            &[b] => self.ascii_code(b),
            _ => self.longer(value),
        }
    }

    /// The code of a value of 2 bytes or more.
    #[inline(never)]
    fn longer(&mut self, value: &str) -> u32 {
        // (A new value's code comes after those of the values waiting.)
        if !self.waiting.is_empty() {
            self.settle();
        }
        let bytes = value.as_bytes();
        if bytes.len() > PACKED {
            let next = self.distinct;
            let code = self.index.code_or_insert(value, next);
            self.distinct += (code == next) as u32;
            return code;
        }
        let slot = if let Some(n) = whole_number(bytes) {
            self.ints
                .slot(&mut self.short, self.distinct, n, whole_number)
        } else if let Some((n, scale)) = decimal(bytes) {
            if self.fixed_scale == 0 {
                self.fixed_scale = scale;
            }
            let same_scale = |b: &[u8]| decimal(b).filter(|&(_, s)| s == scale).map(|(m, _)| m);
            match scale == self.fixed_scale {
                true => self
                    .fixed
                    .slot(&mut self.short, self.distinct, n, same_scale),
                false => None,
            }
        } else {
            None
        };
        match slot {
            Some(slot) => {
                if *slot == u32::MAX {
                    *slot = self.distinct;
                    self.distinct += 1;
                }
                *slot
            }
            None => {
                let next = self.distinct;
                let code = *self.short.entry(pack(bytes)).or_insert(next);
                self.distinct += (code == next) as u32;
                code
            }
        }
    }

    pub fn push_blanks(&mut self, n: usize) {
        self.flush();
        self.codes.push_blanks(n);
    }

    pub fn truncate(&mut self, len: usize) {
        self.flush();
        self.codes.truncate(len);
    }

    /// True when no row has a value.
    pub fn all_blank(&self) -> bool {
        // (A value waiting is a long one: not blank.)
        self.waiting.is_empty()
            && (self.distinct == 1
                || (self.codes.iter().all(|c| c == BLANK)
                    && self.staged[..self.staged_len.min(STAGED)]
                        .iter()
                        .all(|&c| c == BLANK)))
    }

    pub fn finish(mut self) -> Column {
        self.flush();
        // (Grown by doubling: up to half of it unused, for the rest of the session.)
        self.codes.shrink_to_fit();
        let distinct = self.distinct as usize;
        let mut values: Vec<Box<str>> = vec![Box::from(""); distinct];
        // The number each value reads as: known without parsing for the whole numbers and
        // decimals of the arrays (a column of a million ids took a million parses; n / 10^k
        // of exact integers is the correctly rounded value, as parsing the text gives).
        let mut numbers: Vec<Option<f64>> = vec![None; distinct];
        let mut set = |code: u32, text: Box<str>, number: Option<f64>| {
            if let (Some(v), Some(x)) = (
                values.get_mut(code as usize),
                numbers.get_mut(code as usize),
            ) {
                *x = number.or_else(|| parse_number(&text));
                *v = text;
            }
        };
        for (b, &code) in self.ascii.iter().enumerate() {
            if code != u32::MAX {
                set(code, Box::from(char::from(b as u8).to_string()), None);
            }
        }
        for (n, code) in self.ints.codes() {
            set(code, number_text(n, 0), Some(n as f64));
        }
        let unit = 10u32.pow(self.fixed_scale as u32) as f64;
        for (n, code) in self.fixed.codes() {
            set(
                code,
                number_text(n, self.fixed_scale),
                Some(n as f64 / unit),
            );
        }
        for (key, code) in self.short {
            set(code, unpack(key), None);
        }
        for (value, code) in self.index.into_values() {
            set(code, value, None);
        }
        Column {
            name: self.name,
            values,
            numbers,
            codes: self.codes,
            counts: std::sync::OnceLock::new(),
        }
    }
}

/// Adds the number of times each byte occurs in `codes` to `counts` (as long as the
/// codes' dictionary). Most columns of a survey hold one-byte codes, and counting them once
/// after a load was about a quarter of `Session::loaded` at a million rows (57 million
/// codes; in the worker, 63 ms): here four tables of 256 counters, indexed without bounds
/// checks, take turns, so consecutive equal codes don't wait on each other's increment.
fn count_bytes(codes: &[u8], counts: &mut [u64]) {
    // Per pass at most 2^24 codes, so no u32 counter overflows (4 tables × 2^22 each).
    for part in codes.chunks(1 << 24) {
        let mut tables = [[0u32; 256]; 4];
        let mut quads = part.chunks_exact(4);
        for q in &mut quads {
            tables[0][q[0] as usize] += 1;
            tables[1][q[1] as usize] += 1;
            tables[2][q[2] as usize] += 1;
            tables[3][q[3] as usize] += 1;
        }
        for &c in quads.remainder() {
            tables[0][c as usize] += 1;
        }
        for (code, total) in counts.iter_mut().enumerate().take(256) {
            *total += tables.iter().map(|t| u64::from(t[code])).sum::<u64>();
        }
    }
}

/// The survey as read: columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: usize,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn heap_bytes(&self) -> usize {
        self.columns.iter().map(Column::heap_bytes).sum()
    }
}

/// A short per-column summary (for listings and the CLI).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnSummary {
    /// Column number as users count it: 1 is the first column.
    pub index: usize,
    pub name: String,
    pub distinct: usize,
    pub blanks: u64,
    pub numeric: bool,
}

impl Column {
    pub fn summary(&self, index: usize) -> ColumnSummary {
        let counts = self.code_counts();
        let distinct = counts.iter().skip(1).filter(|&&c| c > 0).count();
        ColumnSummary {
            index,
            name: self.name.clone(),
            distinct,
            blanks: counts.first().copied().unwrap_or(0),
            numeric: self.is_numeric(),
        }
    }
}

/// Reads a cell as a number the way a Japanese user typed it: half- or full-width digits,
/// sign and decimal point, surrounding spaces ignored. "001" is 1 here but stays "001" as
/// the cell's text; "1e3", "inf" and "NaN" are not answers anyone types, so they are text.
pub fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if trimmed.is_empty() || trimmed.len() > 40 {
        return None;
    }
    // Plain ASCII (nearly every number in a file): the same rules without the copy (run
    // once per distinct value, a million times for a column of ids).
    if trimmed.is_ascii() {
        let b = trimmed.as_bytes();
        let body = match b[0] {
            b'-' | b'+' => &b[1..],
            _ => b,
        };
        let ok = body.iter().all(|&c| c.is_ascii_digit() || c == b'.')
            && body.iter().any(u8::is_ascii_digit);
        return if ok {
            trimmed.parse::<f64>().ok().filter(|v| v.is_finite())
        } else {
            None
        };
    }
    let mut ascii = String::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        let c = match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' | '−' | 'ー' if ascii.is_empty() => '-',
            '．' => '.',
            '＋' => '+',
            _ => c,
        };
        if !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && ascii.is_empty())) {
            return None;
        }
        ascii.push(c);
    }
    if !ascii.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    ascii.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column's dictionary is the values in order of first appearance (after the
    /// blank), every row reads back as it was pushed, and every number the builder set
    /// without parsing is bit for bit the one `parse_number` reads in its text.
    fn assert_reads_back(col: &Column, values: &[String]) {
        let mut distinct = vec![""];
        let mut seen = std::collections::HashSet::new();
        for v in values {
            if seen.insert(v.as_str()) {
                distinct.push(v);
            }
        }
        let got: Vec<&str> = col.values.iter().map(|v| v.as_ref()).collect();
        let first_difference = (0..got.len().max(distinct.len()))
            .find(|&i| got.get(i) != distinct.get(i))
            .map(|i| (i, got.get(i).copied(), distinct.get(i).copied()));
        assert_eq!(first_difference, None, "(code, got, expected)");
        let wrong = (0..values.len()).find(|&row| col.value(row) != values[row]);
        assert_eq!(wrong, None, "first row read back wrong");
        let differs = col
            .values
            .iter()
            .zip(&col.numbers)
            .find(|(v, x)| x.map(f64::to_bits) != parse_number(v).map(f64::to_bits));
        assert_eq!(
            differs, None,
            "a number set without parsing differs from the text's"
        );
    }

    #[test]
    fn codes_widen_without_losing_values() {
        let mut codes = Codes::new();
        for c in [0, 5, 255] {
            codes.push(c);
        }
        assert!(matches!(codes, Codes::U8(_)));
        codes.push(256);
        assert!(matches!(codes, Codes::U16(_)));
        codes.push(70_000);
        assert!(matches!(codes, Codes::U32(_)));
        assert_eq!(
            codes.iter().collect::<Vec<_>>(),
            vec![0, 5, 255, 256, 70_000]
        );
    }

    /// Inference, the summary and the model view ask for a column's counts many times;
    /// counted again each time, that was most of a million-row load's inference.
    #[test]
    fn code_counts_are_right_at_every_width_and_counted_once() {
        for distinct in [3usize, 300, 70_000] {
            let mut b = ColumnBuilder::new("q".into());
            let mut want: std::collections::BTreeMap<String, u64> = Default::default();
            for r in 0..distinct * 2 + 5 {
                let v = if r % 7 == 0 {
                    String::new()
                } else {
                    format!("v{}", r % distinct)
                };
                b.push(&v);
                *want.entry(v).or_default() += 1;
            }
            let col = b.finish();
            let untouched = col.clone();
            let got: std::collections::BTreeMap<String, u64> = col
                .values
                .iter()
                .zip(col.code_counts())
                .map(|(v, &n)| (v.to_string(), n))
                .collect();
            assert_eq!(got, want, "{distinct} distinct values");
            assert_eq!(
                col.code_counts().as_ptr(),
                col.code_counts().as_ptr(),
                "counted once"
            );
            // Whether the counts were asked for does not make two columns differ.
            assert_eq!(col, untouched);
            assert_eq!(col.clone(), untouched);
        }
    }

    #[test]
    fn byte_codes_are_counted_as_one_by_one() {
        // Every remainder of the four-way loop, and past one pass of 2^24 codes.
        let mut rng = fastrand::Rng::with_seed(3);
        let mut bytes = |n: usize| -> Vec<u8> {
            // Skewed, as answers are: runs of equal codes and rare ones.
            (0..n).map(|_| rng.u8(..7) * rng.u8(..37)).collect()
        };
        for n in (0..20).chain([1000, (1 << 24) + 3]) {
            let codes = bytes(n);
            let mut want = vec![0u64; 256];
            codes.iter().for_each(|&c| want[c as usize] += 1);
            let mut got = vec![0u64; 256];
            count_bytes(&codes, &mut got);
            assert_eq!(got, want, "{n} codes");
        }
    }

    #[test]
    fn column_builder_stores_each_value_once() {
        let mut b = ColumnBuilder::new("q".into());
        for v in ["男性", "女性", "", "男性", "男性"] {
            b.push(v);
        }
        let col = b.finish();
        assert_eq!(col.values.len(), 3);
        assert_eq!(col.value(3), "男性");
        assert_eq!(col.value(2), "");
        assert_eq!(col.code_counts(), vec![1, 3, 1]);
    }

    #[test]
    fn codes_follow_first_appearance_whatever_the_length() {
        // One byte, 2–7 bytes (packed, multi-byte characters and NUL included), 8 and more.
        let values = [
            "2",
            "10",
            "男性",
            "1234567",
            "12345678",
            "a\0",
            "a",
            "",
            "髙島町の中央",
            "0.7040",
            "10",
            "2",
            "12345678",
            "a\0\0",
        ];
        let mut b = ColumnBuilder::new("q".into());
        for v in values {
            b.push(v);
        }
        let col = b.finish();
        let mut distinct = vec![""];
        for v in values {
            if !distinct.contains(&v) {
                distinct.push(v);
            }
        }
        let got: Vec<&str> = col.values.iter().map(|v| v.as_ref()).collect();
        assert_eq!(got, distinct);
        for (row, v) in values.iter().enumerate() {
            assert_eq!(col.value(row), *v);
        }
    }

    #[test]
    fn whole_numbers_keep_their_codes_when_their_array_grows() {
        // 99999 first goes to the packed dictionary (too far past the values seen), then
        // moves to the array once enough distinct numbers make it dense; "007", "-5" and
        // "1.5" are never numbers there. Codes stay in order of first appearance.
        let mut values: Vec<String> = ["99999", "007", "12", "-5", "1.5", "3"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        values.extend((10..70_000).map(|n| n.to_string()));
        values.extend(["99999", "007", "12", "1.5", "65536"].map(String::from));
        let mut b = ColumnBuilder::new("id".into());
        for v in &values {
            b.push(v);
        }
        assert!(b.ints.holds(99_999), "the array grew past 99999");
        let col = b.finish();
        assert_reads_back(&col, &values);
    }

    #[test]
    fn numbers_far_from_zero_are_held_from_a_base() {
        // The ids of a byte range from the middle of a file, then numbers below them:
        // near (the base moves down) and far (they stay in the packed dictionary until
        // the array may hold them), then the first again. Every value reads back.
        let mut values: Vec<String> = (500_001..520_000).map(|n| n.to_string()).collect();
        values.extend((400_000..500_001).rev().map(|n| n.to_string()));
        values.extend(["12", "99", "500001", "1000000", "5000000"].map(String::from));
        values.extend((10..50_000).step_by(7).map(|n| n.to_string()));
        let mut b = ColumnBuilder::new("id".into());
        for v in &values {
            b.push(v);
        }
        assert!(b.ints.holds(400_000) && b.ints.holds(519_999));
        assert!(!b.ints.holds(12), "far below: not in the array");
        let col = b.finish();
        assert_reads_back(&col, &values);
        assert_eq!(col.numbers[col.codes.get(0) as usize], Some(500_001.0));
    }

    #[test]
    fn long_values_waiting_for_their_codes_keep_the_order_of_first_appearance() {
        // Free text waits for its code until the staged codes are flushed (`settle`);
        // new one-byte, short and too long values get theirs in between, and the builder
        // is cut, padded and asked whether it is blank in between: every code must still
        // be in order of first appearance, every row read back as pushed.
        let mut pool: Vec<String> = ["", "1", "2", "a", "12", "なし", "0.5", "123456"]
            .map(String::from)
            .to_vec();
        pool.extend((0..40).map(|n| format!("自由回答その{n}")));
        pool.extend((0..3).map(|n| format!("{n}{}", "長".repeat(WAIT_MAX / 3 + 1))));
        let mut rng = fastrand::Rng::with_seed(3);
        for round in 0..300 {
            let mut b = ColumnBuilder::new("fa".into());
            let mut want: Vec<String> = Vec::new();
            // Every value pushed, those cut away later too: they keep their codes.
            let mut ever: Vec<String> = Vec::new();
            // Some rounds mostly free text, some mostly the rest.
            let long_share = rng.usize(..=10);
            for _ in 0..rng.usize(..200) {
                let value = if rng.usize(..10) < long_share {
                    &pool[rng.usize(8..pool.len())]
                } else {
                    &pool[rng.usize(..8)]
                };
                match rng.u8(..20) {
                    0 => {
                        let n = rng.usize(..STAGED + 2);
                        b.push_blanks(n);
                        want.extend(std::iter::repeat_n(String::new(), n));
                    }
                    1 => {
                        let n = rng.usize(..=want.len());
                        b.truncate(n);
                        want.truncate(n);
                    }
                    2 => assert_eq!(b.all_blank(), want.iter().all(String::is_empty)),
                    3..=8 => {
                        let line = format!("x,{value},y");
                        b.push_cut(&line, 2, 2 + value.len());
                        want.push(value.clone());
                        ever.push(value.clone());
                    }
                    _ => {
                        b.push(value);
                        want.push(value.clone());
                        ever.push(value.clone());
                    }
                }
                assert_eq!(b.len(), want.len(), "round {round}");
            }
            let col = b.finish();
            let mut first: Vec<&str> = vec![""];
            for v in &ever {
                if !first.contains(&v.as_str()) {
                    first.push(v);
                }
            }
            let values: Vec<&str> = col.values.iter().map(|v| v.as_ref()).collect();
            assert_eq!(values, first, "round {round}");
            let rows: Vec<&str> = (0..col.len()).map(|r| col.value(r)).collect();
            assert_eq!(rows, want, "round {round}");
        }
    }

    #[test]
    fn staged_codes_count_in_length_blanks_and_truncation() {
        // Around the staging buffer's size: rows added, cut, padded with blanks and
        // widened to u16 codes must read back as pushed.
        let mut b = ColumnBuilder::new("q".into());
        let mut want: Vec<String> = Vec::new();
        for n in 0..(STAGED * 3 + 5) {
            let v = if n % 7 == 0 {
                String::new()
            } else {
                (n % 5).to_string()
            };
            b.push(&v);
            want.push(v);
            assert_eq!(b.len(), want.len());
        }
        b.truncate(STAGED + 3);
        want.truncate(STAGED + 3);
        b.push_blanks(STAGED - 1);
        want.extend(std::iter::repeat_n(String::new(), STAGED - 1));
        for n in 0..300 {
            let v = format!("回答{n}");
            b.push(&v);
            want.push(v);
        }
        assert_eq!(b.len(), want.len());
        assert!(!b.all_blank());
        let col = b.finish();
        assert!(matches!(col.codes, Codes::U16(_)));
        let got: Vec<&str> = (0..col.len()).map(|r| col.value(r)).collect();
        assert_eq!(got, want);

        let mut blank = ColumnBuilder::new("b".into());
        blank.push("1");
        blank.truncate(0);
        blank.push_blanks(3);
        blank.push("");
        assert!(blank.all_blank());
        assert_eq!(blank.len(), 4);
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, 1 << 31, usize::MAX] {
            assert_eq!(&*number_text(n, 0), n.to_string());
            for scale in 1..=6u8 {
                let unit = 10usize.pow(u32::from(scale));
                let expected = format!(
                    "{}.{:0width$}",
                    n / unit,
                    n % unit,
                    width = usize::from(scale)
                );
                assert_eq!(&*number_text(n, scale), expected, "{n} {scale}");
            }
        }
    }

    #[test]
    fn decimals_keep_their_text_and_codes_when_their_array_grows() {
        // Weights with 4 decimals: "2.9999" first goes to the packed dictionary (too far
        // past the values seen), then moves to the array; other scales and the forms that
        // are not plain decimals stay texts of their own. Codes in order of first
        // appearance, every value read back as written.
        let mut values: Vec<String> = [
            "2.9999", "1.5", "00.5", "-0.5", ".5", "5.", "1.2.3", "0.5", "10.50", "0.0000",
        ]
        .iter()
        .map(|v| v.to_string())
        .collect();
        values.extend((0..30_000).rev().map(|n| number_text(n, 4).into()));
        values.extend(["2.9999", "1.5", "0.5", "0.0100", "12.345", "1.50"].map(String::from));
        let mut b = ColumnBuilder::new("weight".into());
        for v in &values {
            b.push(v);
        }
        assert_eq!(b.fixed_scale, 4);
        assert!(b.fixed.holds(29_999), "the array grew past 2.9999");
        let col = b.finish();
        assert_reads_back(&col, &values);
        assert_eq!(
            col.numbers[col.codes.get(values.len() - 3) as usize],
            Some(0.01)
        );
    }

    #[test]
    fn numbers_in_japanese_input() {
        assert_eq!(parse_number("１２"), Some(12.0));
        assert_eq!(parse_number(" 3.5 "), Some(3.5));
        assert_eq!(parse_number("-1"), Some(-1.0));
        assert_eq!(parse_number("001"), Some(1.0));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("1e3"), None);
        assert_eq!(parse_number("20～29歳"), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number(""), None);
    }
}
