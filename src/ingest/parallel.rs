//! A CSV file read by several threads, each a byte range (`csv_reader::range`) taken
//! from memory or, for a file on disk, read by the range's own thread as it parses it
//! (`range_source`), merged into exactly the table and warnings one reader gives (issue
//! 16: "chunked and parallel reads give byte-identical tables and warnings").
//! Whatever can't be merged exactly (a range starting inside a quoted cell, quotes to
//! read as characters, UTF-16, a file too small to be worth it) is read whole.

use std::io;
use std::ops::Range;

use super::csv_reader::{CsvReader, RangePart, RangeReader, RangeSetup, SNIFF_BYTES};
use super::range_source::RangeSource;
use super::range_split;
use super::{Loaded, ReadError, ReadOptions};

/// Files smaller than this are read by one reader: the threads' start and the merge cost
/// more than they save.
pub const MIN_PARALLEL_BYTES: usize = 4 << 20;

/// Readers at most (each column's merge takes the ranges one after the other, so more
/// ranges make it longer, whatever the threads).
pub const MAX_THREADS: usize = 8;

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
    in_memory(read_source_timed(bytes, opts, threads))
}

/// A read of bytes in memory, which never fails to get its bytes (were it to, the error
/// would say so rather than a panic).
fn in_memory(read: io::Result<Split>) -> Split {
    read.unwrap_or_else(|e| Split {
        result: Err(ReadError::Browser {
            detail: e.to_string(),
        }),
        ranges: 1,
        parse_ms: 0.0,
        merge_ms: 0.0,
    })
}

/// `read_parallel` of a file's bytes wherever they are (`RangeSource`: a file on disk is
/// read by each range's thread as it parses it), with the time each phase took. An
/// error: the file could not be read.
pub fn read_source_timed<S: RangeSource + ?Sized>(
    src: &S,
    opts: ReadOptions,
    threads: usize,
) -> io::Result<Split> {
    let threads = threads.min(MAX_THREADS);
    if src.size() < MIN_PARALLEL_BYTES || threads < 2 || cfg!(target_arch = "wasm32") {
        return read_ranges(src, opts, &[], false);
    }
    let near = range_split::even(src.size(), threads);
    read_ranges(src, opts, &near, true)
}

/// Reads the file at `path`, whatever its kind, as `read_file_bytes` does: a text file in
/// byte ranges by up to `threads` threads, each reading its range from the disk as it
/// parses it (`FileSource`: no copy of the whole file first); a workbook whole. The outer
/// error: the file could not be opened or read.
#[cfg(all(feature = "workbooks", any(unix, windows)))]
pub fn read_path_parallel(
    path: &std::path::Path,
    opts: ReadOptions,
    sheet: Option<String>,
    threads: usize,
) -> io::Result<Result<Loaded, ReadError>> {
    let file = super::range_source::FileSource::open(path)?;
    if super::sniff::is_workbook(&file.head(8)?) {
        let bytes = std::fs::read(path)?;
        return Ok(super::file_reader::read_file_bytes(&bytes, opts, sheet));
    }
    Ok(read_source_timed(&file, opts, threads)?.result)
}

/// Fewer cores than this read a file whole. Two are enough since each range's thread
/// reads its own bytes from the disk (`range_source`): on the 2-core machine the
/// benchmarks run on, the 1M-row file in two ranges took 370 ms against 484 for one
/// streamed reader (2026-12-01, `cargo bench --bench read`; 20 % more CPU). With the whole
/// file copied into memory first it had been 989 against 905 (2026-11-30), and this was 4.
pub const MIN_CORES: usize = 2;

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
    in_memory(read_ranges(bytes, opts, near, false))
}

fn read_ranges<S: RangeSource + ?Sized>(
    src: &S,
    opts: ReadOptions,
    near: &[usize],
    threaded: bool,
) -> io::Result<Split> {
    let whole = |opts: ReadOptions| -> io::Result<Split> {
        Ok(Split {
            result: read_whole(src, opts)?,
            ranges: 1,
            parse_ms: 0.0,
            merge_ms: 0.0,
        })
    };
    // (No clock on wasm32, where reads are never threaded.)
    let clock = (threaded && cfg!(not(target_arch = "wasm32"))).then(std::time::Instant::now);
    let ms =
        |since: Option<std::time::Instant>| since.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1e3);
    let size = src.size();
    if !opts.literal_quotes.is_empty() || size as u64 > opts.max_bytes {
        return whole(opts);
    }
    let starts = range_split::line_starts_in(src, near)?;
    let Some(&first_end) = starts.first() else {
        return whole(opts);
    };
    let head = src.head(SNIFF_BYTES)?;
    let Ok(mut first) = CsvReader::first_range(opts.clone(), &head, size) else {
        return whole(opts);
    };
    // The first range up to where the header's height is decided (a few dozen rows):
    // the later ranges' readers need it.
    let mut at = 0;
    let mut setup = None;
    let mut failed = false;
    src.pieces(0..first_end, &mut |piece| {
        for part in piece.chunks(64 * 1024) {
            if first.push(part).is_err() {
                failed = true;
                return false;
            }
            at += part.len();
            setup = first.range_setup();
            if setup.is_some() {
                return false;
            }
        }
        true
    })?;
    let Some(setup) = setup.filter(|_| !failed) else {
        return whole(opts);
    };
    let ranges: Vec<Range<usize>> = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(size))
        .collect();
    let last = ranges.len() - 1;
    let rest = at..first_end;
    let (first_read, parts) = if threaded && cfg!(not(target_arch = "wasm32")) {
        std::thread::scope(|scope| {
            let setup = &setup;
            let handles: Vec<_> = ranges
                .iter()
                .enumerate()
                .map(|(i, range)| {
                    let range = range.clone();
                    scope.spawn(move || read_range(src, setup, range, i == last))
                })
                .collect();
            let first_read = feed(src, rest, |piece| first.push(piece)).map(|p| p.is_ok());
            let parts: io::Result<Vec<Option<RangePart>>> = handles
                .into_iter()
                .map(|h| h.join().unwrap_or(Ok(None)))
                .collect();
            (first_read, parts)
        })
    } else {
        let first_read = feed(src, rest, |piece| first.push(piece)).map(|p| p.is_ok());
        let parts = ranges
            .iter()
            .enumerate()
            .map(|(i, range)| read_range(src, &setup, range.clone(), i == last))
            .collect();
        (first_read, parts)
    };
    let (first_read, parts) = (first_read?, parts?);
    let parse_ms = ms(clock);
    let clock = clock.map(|_| std::time::Instant::now());
    let parts: Option<Vec<RangePart>> = parts.into_iter().collect();
    match (first_read, parts) {
        (true, Some(parts)) => {
            match first.merge(parts, if threaded { near.len() + 1 } else { 1 }) {
                Some(result) => Ok(Split {
                    result,
                    ranges: ranges.len() + 1,
                    parse_ms,
                    merge_ms: ms(clock),
                }),
                None => whole(opts),
            }
        }
        _ => whole(opts),
    }
}

/// The whole of `src` read by one reader, a piece at a time (the same table and
/// warnings however the bytes are cut: `read_bytes` of all of them).
fn read_whole<S: RangeSource + ?Sized>(
    src: &S,
    opts: ReadOptions,
) -> io::Result<Result<Loaded, ReadError>> {
    if src.size() as u64 > opts.max_bytes {
        return Ok(Err(ReadError::TooLarge {
            bytes: src.size() as u64,
            limit: opts.max_bytes,
        }));
    }
    let mut reader = CsvReader::new(opts);
    let pushed = feed(src, 0..src.size(), |piece| reader.push(piece))?;
    Ok(pushed.and_then(|()| reader.finish()))
}

/// Gives the bytes of `range` to `push` a piece at a time, up to its first error (the
/// inner one). The outer error: the bytes could not be read.
fn feed<S: RangeSource + ?Sized>(
    src: &S,
    range: Range<usize>,
    mut push: impl FnMut(&[u8]) -> Result<(), ReadError>,
) -> io::Result<Result<(), ReadError>> {
    let mut pushed = Ok(());
    src.pieces(range, &mut |piece| {
        pushed = push(piece);
        pushed.is_ok()
    })?;
    Ok(pushed)
}

fn read_range<S: RangeSource + ?Sized>(
    src: &S,
    setup: &RangeSetup,
    range: Range<usize>,
    last: bool,
) -> io::Result<Option<RangePart>> {
    let mut reader = RangeReader::new(setup);
    let pushed = feed(src, range, |piece| reader.push(piece))?;
    Ok(pushed.ok().and_then(|()| reader.finish(last)))
}

/// `f` of each of `items`, in their order, on up to `threads` threads, each taking the
/// next item as it finishes one (the merge's columns differ a hundredfold in cost: a
/// column of a million ids against one of five codes). On one thread where there is one
/// (wasm32). A panic in `f` is the caller's, as it would be on one thread.
pub(crate) fn map_in_threads<T: Send, U: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    let threads = threads.min(items.len());
    if threads < 2 || cfg!(target_arch = "wasm32") {
        return items.into_iter().map(f).collect();
    }
    let n = items.len();
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    // (The lock is held only to take an item, which can't panic: a poisoned lock, were
    // there one, still hands out the rest, so that no item is left out.)
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let mut done: Vec<(usize, U)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some((i, item)) = next() {
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        let mut done = Vec::with_capacity(n);
        for worker in workers {
            match worker.join() {
                Ok(mine) => done.extend(mine),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item once, in order, on one thread or several, items of unequal cost.
    #[test]
    fn items_are_mapped_in_their_order() {
        for threads in [1, 2, 3, 8] {
            let items: Vec<u64> = (0..50).collect();
            let out = map_in_threads(items, threads, |i| {
                // The first items the slowest: threads finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((50 - i) * 40));
                i * i
            });
            assert_eq!(out, (0..50).map(|i| i * i).collect::<Vec<_>>(), "{threads}");
        }
        assert!(map_in_threads(Vec::<u8>::new(), 4, |b| b).is_empty());
    }
}
