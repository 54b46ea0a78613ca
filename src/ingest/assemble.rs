//! From records to a table: the part of reading that every format shares. Takes one
//! record (row of cells) at a time and builds the columns; at the end names the columns
//! (blank and duplicate headers), drops trailing blank rows and empty columns, and turns
//! every repair into a [`Warning`]. The CSV reader and the workbook reader both feed it,
//! so a file means the same table whichever way it was saved.
//!
//! The header may be a block of rows (question numbers, then texts, then option names:
//! how data-entry vendors deliver sheets): the first rows after the header are held back
//! until enough rows below show whether they are answers (`header_block.rs`), then
//! combined into the column names or replayed as respondents. Data row numbers in
//! warnings count every row after the header's first row either way, so a place such as
//! `--literal-quote 101:5` means the same cell whatever the header's height.

use super::header_block::{self, LOOKAHEAD};
use super::parallel::map_in_threads;
use super::report::{ReadError, RowRef, Warning, EXAMPLES};
use crate::table::{Column, ColumnBuilder, Table};

pub struct Assembler {
    /// Unwrap Excel's ="001" (CSV only: in a workbook a formula cell holds its value).
    unwrap_formulas: bool,
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
    /// Rows of the header as the user said (`ReadOptions::header_rows`); None = found.
    header_rows: Option<usize>,
    /// Rows after the header's first row held back until the header's height is known.
    pending: Vec<(Vec<String>, u64)>,
    decided: bool,
    /// Rows after the first that were combined into the header.
    extra: u64,
    /// Rows after the first that look like a header (what was found, whatever was used).
    found: usize,
    /// Rows of the header's width once their blank cells past the last column were not
    /// counted (`push_record`): long rows had earlier rows added columns, which a later
    /// byte range read on its own does not know (`absorb` makes them long then).
    long_if_wider: (u64, Vec<RowRef>),
    /// Threads its columns are finished on (`finish`): more than one once byte ranges
    /// read on that many threads were merged here (`absorb`).
    threads: usize,
}

/// The rows of one byte range of a CSV file after the first, read by an `Assembler` made
/// by `Assembler::continuation`: what `absorb` adds to the assembler of the rows before.
/// Row numbers count from the range's start (after the header's extra rows, as the whole
/// file's do); lines too.
pub struct RangeRows {
    columns: Vec<Column>,
    formula_cells: Vec<u64>,
    rows: u64,
    short: (u64, Vec<RowRef>),
    long: (u64, Vec<RowRef>),
    blank_rows: Vec<u64>,
    blank_rows_total: u64,
    last_nonblank: u64,
    long_if_wider: (u64, Vec<RowRef>),
    header_fields: usize,
}

impl RangeRows {
    /// Respondent rows of the range.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

impl Assembler {
    pub fn new(unwrap_formulas: bool) -> Self {
        Assembler {
            unwrap_formulas,
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
            header_rows: None,
            pending: Vec::new(),
            decided: false,
            extra: 0,
            found: 0,
            long_if_wider: (0, Vec::new()),
            threads: 1,
        }
    }

    /// The assembler of a byte range after the first: the header (its final names, a
    /// header block combined) and the header block's extra rows are already known.
    pub fn continuation(header: Vec<String>, extra: u64) -> Self {
        let mut a = Assembler::new(true);
        a.set_header(header);
        a.decided = true;
        a.extra = extra;
        a
    }

    /// The header's names, with an empty column and no formula cells under each.
    fn set_header(&mut self, names: Vec<String>) {
        self.columns = (0..names.len())
            .map(|_| ColumnBuilder::new(String::new()))
            .collect();
        self.formula_cells = vec![0; names.len()];
        self.header = Some(names);
    }

    /// The header's names (a header block combined) and its extra rows, once the header's
    /// height is decided: what a later byte range's reader needs (`continuation`).
    pub fn decided_header(&self) -> Option<(&[String], u64)> {
        match &self.header {
            Some(names) if self.decided && self.pending.is_empty() => {
                Some((names.as_slice(), self.extra))
            }
            _ => None,
        }
    }

    /// A continuation's rows, its columns finished (in the range's own thread).
    pub fn into_range(self) -> RangeRows {
        RangeRows {
            header_fields: self.header_fields(),
            columns: self
                .columns
                .into_iter()
                .map(ColumnBuilder::finish)
                .collect(),
            formula_cells: self.formula_cells,
            rows: self.rows,
            short: self.short,
            long: self.long,
            blank_rows: self.blank_rows,
            blank_rows_total: self.blank_rows_total,
            last_nonblank: self.last_nonblank,
            long_if_wider: self.long_if_wider,
        }
    }

    /// Adds the rows of the byte ranges that follow those read here, in file order, as if
    /// they had been read here: row numbers shifted by the rows before, each range's
    /// `lines` (line breaks before it) added to line numbers, counts summed, example
    /// lists continued up to `EXAMPLES`, columns a side lacks padded with blanks. The
    /// columns are appended on up to `threads` threads (each column on its own: they are
    /// independent), and `finish` finishes them on as many. False (nothing merged) when
    /// this assembler's header is not decided or not the ranges'.
    pub fn absorb(&mut self, ranges: Vec<(RangeRows, u64)>, threads: usize) -> bool {
        if self.decided_header().is_none()
            || ranges
                .iter()
                .any(|(r, _)| r.header_fields != self.header_fields())
        {
            return false;
        }
        let mut columns = Vec::with_capacity(ranges.len());
        let rows_before = self.rows;
        let mut width = self.columns.len();
        for (mut range, lines) in ranges {
            // Rows the range found as wide as the header once their trailing blank cells
            // were left out: with columns added by long rows before the range, one reader
            // would have counted those cells up to the new last column: long rows.
            if width > range.header_fields && range.long_if_wider.0 > 0 {
                let mut examples = std::mem::take(&mut range.long.1);
                examples.extend(range.long_if_wider.1);
                examples.sort_by_key(|at| at.row);
                examples.truncate(EXAMPLES);
                range.long = (range.long.0 + range.long_if_wider.0, examples);
            }
            width = width.max(range.columns.len());
            let before = self.rows;
            if self.formula_cells.len() < width {
                self.formula_cells.resize(width, 0);
            }
            for (sum, n) in self.formula_cells.iter_mut().zip(&range.formula_cells) {
                *sum += n;
            }
            let shift = |at: &RowRef| RowRef {
                row: at.row + before,
                line: at.line + lines,
                fields: at.fields,
            };
            for (slot, more) in [
                (&mut self.short, &range.short),
                (&mut self.long, &range.long),
            ] {
                slot.0 += more.0;
                let room = EXAMPLES.saturating_sub(slot.1.len());
                slot.1.extend(more.1.iter().take(room).map(shift));
            }
            let room = EXAMPLES.saturating_sub(self.blank_rows.len());
            self.blank_rows
                .extend(range.blank_rows.iter().take(room).map(|r| r + before));
            self.blank_rows_total += range.blank_rows_total;
            if range.last_nonblank > 0 {
                self.last_nonblank = before + range.last_nonblank;
            }
            self.rows += range.rows;
            columns.push((range.columns, range.rows as usize));
        }
        // A column first added by a range: blank in every row before (as a long row's
        // new column is), then its rows and blanks range by range like the others.
        while self.columns.len() < width {
            let mut c = ColumnBuilder::new(String::new());
            c.push_blanks(rows_before as usize);
            self.columns.push(c);
        }
        let append = |(j, column): (usize, &mut ColumnBuilder)| {
            for (range, rows) in &columns {
                match range.get(j) {
                    Some(later) => column.append(later),
                    None => column.push_blanks(*rows),
                }
            }
        };
        self.threads = threads.max(1);
        map_in_threads(
            self.columns.iter_mut().enumerate().collect(),
            self.threads,
            append,
        );
        true
    }

    /// The header is `rows` rows (at least 1), as the user said; None finds it.
    pub fn with_header_rows(mut self, rows: Option<usize>) -> Self {
        self.header_rows = rows.map(|n| n.max(1));
        self
    }

    /// Rows after the header's first row so far (the rows of a header block included:
    /// the numbering of every row-level warning).
    pub fn rows(&self) -> u64 {
        self.extra + self.rows + self.pending.len() as u64
    }

    /// Respondent rows so far (a header block's rows and rows held back not counted).
    pub fn data_rows(&self) -> u64 {
        self.rows
    }

    /// The data row the next record will be: 0 while no header has been read (the next
    /// record with a value is the header).
    pub fn next_row(&self) -> u64 {
        if self.header.is_some() {
            self.rows() + 1
        } else {
            0
        }
    }

    /// Records before the header with no value in any cell (lines of delimiters only).
    pub fn leading_blank(&self) -> u64 {
        self.leading_blank
    }

    /// Fields of the header row (0 before it is read).
    pub fn header_fields(&self) -> usize {
        self.header.as_ref().map_or(0, Vec::len)
    }

    /// The header's name of column `i` (0-based) as written (trimmed), or "" before the
    /// header or past its end.
    pub fn header_name(&self, i: usize) -> &str {
        self.header
            .as_ref()
            .and_then(|h| h.get(i))
            .map_or("", String::as_str)
    }

    /// One record. The first one with a value is the header; blank records before it are
    /// counted and skipped. `line` is where the record starts in the file (0 if unknown).
    pub fn record(&mut self, fields: &[&str], line: u64) {
        self.record_with(fields.len(), |i| fields[i], line);
    }

    /// The same as [`Assembler::record`] with the fields given by index, so the CSV parser
    /// hands over slices of its buffer without collecting them (this runs per row).
    pub fn record_with<'a>(&mut self, count: usize, field: impl Cells<'a>, line: u64) {
        if self.header.is_some() && !self.decided {
            self.pending.push((
                (0..count).map(|i| field.cell(i).to_string()).collect(),
                line,
            ));
            if self.pending.len() >= LOOKAHEAD {
                self.decide();
            }
            return;
        }
        self.push_record(count, field, line);
    }

    /// A plain line's row (`body`, without its line end, holds no quote and no CR; it has
    /// `cells` cells, `plain_line::cell_count`) read straight into the columns, the same
    /// as `record_with` of its cells: when the header is decided and the row has exactly
    /// its cells (no long or short row to note, no column to add, and with no quote no
    /// ="…" to unwrap; the columns a long row added before are left blank). False, with
    /// nothing done, otherwise.
    #[inline]
    pub(super) fn plain_row(&mut self, body: &str, delimiter: u8, cells: usize) -> bool {
        if !self.decided || cells != self.header_fields() || cells > self.columns.len() {
            return false;
        }
        self.rows += 1;
        let mut columns = self.columns.iter_mut();
        super::plain_line::each_cell(body.as_bytes(), delimiter, |start, end| {
            if let Some(column) = columns.next() {
                column.push_cut(body, start, end);
            }
        });
        for column in columns {
            column.push("");
        }
        // Every cell is blank exactly when the line is its delimiters alone.
        self.note_blank(body.len() + 1 == cells);
        true
    }

    /// Notes whether the row just read (`rows`) is blank.
    #[inline]
    fn note_blank(&mut self, all_blank: bool) {
        if all_blank {
            self.blank_rows_total += 1;
            if self.blank_rows.len() < EXAMPLES {
                self.blank_rows.push(self.rows);
            }
        } else {
            self.last_nonblank = self.rows;
        }
    }

    /// Settles the header's height from the rows held back, combines the header block
    /// into the names and reads the rest of the held rows as respondents.
    fn decide(&mut self) {
        self.decided = true;
        let pending = std::mem::take(&mut self.pending);
        let cleaned: Vec<Vec<String>> = pending
            .iter()
            .map(|(fields, _)| {
                fields
                    .iter()
                    .map(|f| self.clean(f).0.trim().to_string())
                    .collect()
            })
            .collect();
        self.found = header_block::detect(&cleaned);
        let extra = match self.header_rows {
            Some(n) => (n - 1).min(pending.len()),
            None => self.found,
        };
        if extra > 0 {
            let first = self.header.take().unwrap_or_default();
            let names = header_block::combine(&first, &cleaned[..extra]);
            self.set_header(names);
            self.extra = extra as u64;
        }
        for (fields, line) in &pending[extra..] {
            self.push_record(fields.len(), |i: usize| fields[i].as_str(), *line);
        }
    }

    fn push_record<'a>(&mut self, count: usize, field: impl Cells<'a>, line: u64) {
        let Some(header) = &self.header else {
            if (0..count).all(|i| field.cell(i).is_empty()) {
                self.leading_blank += 1;
                return;
            }
            let names: Vec<String> = (0..count)
                .map(|i| self.clean(field.cell(i)).0.trim().to_string())
                .collect();
            self.set_header(names);
            return;
        };

        self.rows += 1;
        let header_fields = header.len();
        // Blank cells past the last column (Excel writes them for formatted cells) are
        // not values: they neither make a row "long" nor add columns.
        let mut n = count;
        while n > self.columns.len() && field.cell(n - 1).is_empty() {
            n -= 1;
        }
        let at = RowRef {
            row: self.extra + self.rows,
            line,
            fields: count,
        };
        if n < header_fields {
            note(&mut self.short, at);
        } else if n > header_fields {
            note(&mut self.long, at);
        } else if n < count {
            note(&mut self.long_if_wider, at);
        }
        while self.columns.len() < n {
            let mut c = ColumnBuilder::new(String::new());
            c.push_blanks((self.rows - 1) as usize);
            self.columns.push(c);
            self.formula_cells.push(0);
        }
        // One pass over the cells (this runs for every cell of the file): the cells past
        // `n` are blank (trimmed above), so the row is blank when the first `n` are.
        let unwrap = self.unwrap_formulas;
        let mut all_blank = true;
        let (filled, rest) = self.columns.split_at_mut(n);
        for (i, column) in filled.iter_mut().enumerate() {
            let raw = field.cell(i);
            all_blank &= raw.is_empty();
            let (value, formula) = if unwrap { clean(raw) } else { (raw, false) };
            if formula {
                self.formula_cells[i] += 1;
            }
            column.push(value);
        }
        for column in rest {
            column.push("");
        }
        self.note_blank(all_blank);
    }

    fn clean<'a>(&self, field: &'a str) -> (&'a str, bool) {
        if self.unwrap_formulas {
            clean(field)
        } else {
            (field, false)
        }
    }

    /// The table, with `warnings` (from the format's own layer) followed by the repairs
    /// made here. `empty_lines`: lines the format's parser skipped as empty.
    pub fn finish(
        mut self,
        mut warnings: Vec<Warning>,
        empty_lines: u64,
    ) -> Result<(Table, Vec<Warning>), ReadError> {
        if self.header.is_some() && !self.decided {
            self.decide();
        }
        let Some(raw_names) = self.header.take() else {
            return Err(ReadError::Empty);
        };
        // Said first: every count below depends on it.
        if self.extra > 0 {
            warnings.push(Warning::HeaderBlock {
                rows: self.extra as usize + 1,
                found: self.header_rows.is_none(),
            });
        }
        if self.found as u64 > self.extra {
            warnings.push(Warning::HeaderBlockRowsKept {
                rows: self.extra as usize + 1,
                found: self.found + 1,
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
                .map(|r| r + self.extra)
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
        let empty_lines = empty_lines + self.leading_blank;
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
        // Every column unnamed and blank (a header of spaces over rows of blank cells or
        // empty formulas `=""`): not one value in the file, which is not a table (found by
        // fuzzing: a table of rows without a column).
        if keep == 0 {
            return Err(ReadError::Empty);
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
        for i in 0..names.len() {
            if names[i].is_empty() {
                // 列N, or 列N_2 … when a column is already called that.
                let base = format!("列{}", i + 1);
                let mut name = base.clone();
                let mut k = 2;
                while names.contains(&name) {
                    name = format!("{base}_{k}");
                    k += 1;
                }
                names[i] = name;
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

        let finish = |(mut builder, name): (ColumnBuilder, String)| {
            builder.name = name;
            builder.finish()
        };
        let columns = map_in_threads(
            self.columns.into_iter().zip(names).collect(),
            self.threads,
            finish,
        );
        Ok((
            Table {
                rows: kept_rows as usize,
                columns,
            },
            warnings,
        ))
    }
}

fn note(slot: &mut (u64, Vec<RowRef>), at: RowRef) {
    slot.0 += 1;
    if slot.1.len() < EXAMPLES {
        slot.1.push(at);
    }
}

/// A record's cells by index, for `Assembler::record_with`: any `Fn(usize) -> &str`, or a
/// type whose `cell` is always inlined into the loop over a row's cells (a closure may
/// not be: the CSV reader's plain lines called theirs once per cell, a tenth of the
/// instructions of reading the 100k-row survey).
pub trait Cells<'a> {
    fn cell(&self, i: usize) -> &'a str;
}

impl<'a, F: Fn(usize) -> &'a str> Cells<'a> for F {
    #[inline(always)]
    fn cell(&self, i: usize) -> &'a str {
        self(i)
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
