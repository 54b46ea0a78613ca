//! A CSV file held in memory read by several threads, each a byte range
//! (`csv_reader::range`), merged into exactly the table and warnings one reader gives
//! (issue 16: "chunked and parallel reads give byte-identical tables and warnings").
//! Whatever can't be merged exactly (a range starting inside a quoted cell, quotes to
//! read as characters, UTF-16, a file too small to be worth it) is read whole.

use super::csv_reader::{read_bytes, CsvReader, RangePart, RangeReader, RangeSetup};
use super::range_split;
use super::{Loaded, ReadError, ReadOptions};

/// Files smaller than this are read by one reader: the threads' start and the merge cost
/// more than they save.
pub const MIN_PARALLEL_BYTES: usize = 4 << 20;

/// Readers at most (the merge is one thread's work, which more ranges make longer).
pub const MAX_THREADS: usize = 8;

/// Bytes given to a reader at a time: each is decoded into a text buffer of up to three
/// times its size.
const PIECE: usize = 1 << 20;

/// A read in ranges, and how many ranges it merged (1 = it read the file whole).
pub struct Split {
    pub result: Result<Loaded, ReadError>,
    pub ranges: usize,
    /// Milliseconds until every range was parsed, then to merge them (threaded reads
    /// only, for the benchmark; 0 otherwise).
    pub parse_ms: f64,
    pub merge_ms: f64,
}

/// Reads `bytes` with up to `threads` threads (natively; one on wasm32, which has none).
pub fn read_parallel(bytes: &[u8], opts: ReadOptions, threads: usize) -> Result<Loaded, ReadError> {
    read_parallel_timed(bytes, opts, threads).result
}

/// `read_parallel` with the time each phase took (for the benchmark).
pub fn read_parallel_timed(bytes: &[u8], opts: ReadOptions, threads: usize) -> Split {
    let threads = threads.min(MAX_THREADS);
    if bytes.len() < MIN_PARALLEL_BYTES || threads < 2 || cfg!(target_arch = "wasm32") {
        return read_ranges(bytes, opts, &[], false);
    }
    let near = range_split::even(bytes.len(), threads);
    read_ranges(bytes, opts, &near, true)
}

/// Reads a whole file held in memory, whatever its kind, as `read_file_bytes` does: a
/// text file with up to `threads` threads (`read_parallel`), a workbook whole.
#[cfg(feature = "workbooks")]
pub fn read_file_parallel(
    bytes: &[u8],
    opts: ReadOptions,
    sheet: Option<String>,
    threads: usize,
) -> Result<Loaded, ReadError> {
    if super::sniff::is_workbook(bytes) {
        super::file_reader::read_file_bytes(bytes, opts, sheet)
    } else {
        read_parallel(bytes, opts, threads)
    }
}

/// Fewer cores than this read a file whole: on the 2-core machine the benchmarks run on,
/// two ranges took 989 ms against 905 for one reader (2026-11-30, unloaded; the two
/// ranges parsed no faster side by side than one reader alone, and the file's copy and
/// the merge cost 60 % more CPU), so with two cores the parallel read only costs.
pub const MIN_CORES: usize = 4;

/// Cores on this machine, at most `MAX_THREADS`.
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_THREADS)
}

/// Threads worth reading with on this machine: its cores, or 1 below `MIN_CORES`.
pub fn threads() -> usize {
    match cores() {
        n if n >= MIN_CORES => n,
        _ => 1,
    }
}

/// Reads `bytes` in ranges starting just after the first line feed at or after each of
/// `near`, one after the other on this thread: the same merge as `read_parallel`, at
/// any size (for tests).
pub fn read_split(bytes: &[u8], opts: ReadOptions, near: &[usize]) -> Split {
    read_ranges(bytes, opts, near, false)
}

fn read_ranges(bytes: &[u8], opts: ReadOptions, near: &[usize], threaded: bool) -> Split {
    let whole = |opts: ReadOptions| Split {
        result: read_bytes(bytes, opts),
        ranges: 1,
        parse_ms: 0.0,
        merge_ms: 0.0,
    };
    // (No clock on wasm32, where reads are never threaded.)
    let clock = (threaded && cfg!(not(target_arch = "wasm32"))).then(std::time::Instant::now);
    let ms =
        |since: Option<std::time::Instant>| since.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3);
    if !opts.literal_quotes.is_empty() || bytes.len() as u64 > opts.max_bytes {
        return whole(opts);
    }
    let starts = range_split::line_starts(bytes, near);
    let Some(&first_end) = starts.first() else {
        return whole(opts);
    };
    let Ok(mut first) = CsvReader::first_range(opts.clone(), bytes) else {
        return whole(opts);
    };
    // The first range up to where the header's height is decided (a few dozen rows):
    // the later ranges' readers need it.
    let mut at = 0;
    let setup = loop {
        if let Some(setup) = first.range_setup() {
            break setup;
        }
        if at == first_end {
            return whole(opts);
        }
        let end = (at + 64 * 1024).min(first_end);
        if first.push(&bytes[at..end]).is_err() {
            return whole(opts);
        }
        at = end;
    };
    let ranges: Vec<&[u8]> = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| &bytes[s..starts.get(i + 1).copied().unwrap_or(bytes.len())])
        .collect();
    let last = ranges.len() - 1;
    let rest = &bytes[at..first_end];
    let (first_read, parts) = if threaded && cfg!(not(target_arch = "wasm32")) {
        std::thread::scope(|scope| {
            let setup = &setup;
            let handles: Vec<_> = ranges
                .iter()
                .enumerate()
                .map(|(i, &range)| scope.spawn(move || read_range(setup, range, i == last)))
                .collect();
            let first_read = push_pieces(&mut first, rest);
            let parts: Vec<Option<RangePart>> = handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect();
            (first_read, parts)
        })
    } else {
        let first_read = push_pieces(&mut first, rest);
        let parts = ranges
            .iter()
            .enumerate()
            .map(|(i, &range)| read_range(&setup, range, i == last))
            .collect();
        (first_read, parts)
    };
    let parse_ms = ms(clock);
    let clock = clock.map(|_| std::time::Instant::now());
    let parts: Option<Vec<RangePart>> = parts.into_iter().collect();
    match (first_read, parts) {
        (true, Some(parts)) => {
            match first.merge(parts, if threaded { near.len() + 1 } else { 1 }) {
                Some(result) => Split {
                    result,
                    ranges: ranges.len() + 1,
                    parse_ms,
                    merge_ms: ms(clock),
                },
                None => whole(opts),
            }
        }
        _ => whole(opts),
    }
}

fn push_pieces(first: &mut CsvReader, bytes: &[u8]) -> bool {
    bytes.chunks(PIECE).all(|piece| first.push(piece).is_ok())
}

fn read_range(setup: &RangeSetup, range: &[u8], last: bool) -> Option<RangePart> {
    let mut reader = RangeReader::new(setup);
    for piece in range.chunks(PIECE) {
        reader.push(piece).ok()?;
    }
    reader.finish(last)
}
