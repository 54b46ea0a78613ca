//! Native reading benchmark: `cargo bench --bench read -- FILE [FILE…]`.
//!
//! Streams each file from disk in 1 MiB chunks through `CsvReader` (the same engine and
//! chunked path the browser worker uses), then computes the crosstab q1 × region with
//! weights. Prints MB/s, the time of each phase (median of 5 runs after 1 warm-up), and
//! the memory the table holds compared with the file's size; then what the worker does
//! with the table before its first reply (`Session::loaded`). Then the parallel read the
//! CLI uses (`ingest::parallel`: the file read into memory, then byte ranges on one
//! thread per core, merged), timed the same way from opening the file, beside the
//! streamed one. A benchmark, not a test: nothing here asserts a speed.

use std::io::Read;
use std::time::Instant;

use tsunagari::analysis::crosstab::raw_cells;
use tsunagari::app::session::Session;
use tsunagari::ingest::parallel::{cores, read_source_timed};
use tsunagari::ingest::range_source::FileSource;
use tsunagari::ingest::{CsvReader, ReadOptions};

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench read -- FILE [FILE…]");
        return;
    }
    println!("| file | MB | rows | load ms (median of 5) | MB/s | crosstab ms | table MB | table / file | CPU ms per load |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut serial_ms = Vec::new();
    let mut session_ms = Vec::new();
    for path in &files {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64;
        let mut loads = Vec::new();
        let mut xtabs = Vec::new();
        let cpu0 = cpu_ms();
        let mut last = None;
        for run in 0..6 {
            let t0 = Instant::now();
            let mut reader = CsvReader::new(ReadOptions {
                max_bytes: u64::MAX,
                ..ReadOptions::default()
            });
            let mut f = std::fs::File::open(path).expect("open");
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf).expect("read");
                if n == 0 {
                    break;
                }
                reader.push(&buf[..n]).expect("push");
            }
            let loaded = reader.finish().expect("finish");
            let load = t0.elapsed().as_secs_f64() * 1000.0;
            let t1 = Instant::now();
            let t = &loaded.table;
            let cells = match (t.column("q1"), t.column("region")) {
                (Some(r), Some(c)) => raw_cells(r, c, t.column("weight")).cells.len(),
                _ => 0,
            };
            let xtab = t1.elapsed().as_secs_f64() * 1000.0;
            if run > 0 {
                loads.push(load);
                xtabs.push(xtab);
            }
            std::hint::black_box(cells);
            last = Some(loaded);
        }
        let loaded = last.expect("ran");
        let cpu = cpu_per_run(cpu0);
        // What the worker does next with the table (summary, inference, model view).
        let mut after = Vec::new();
        for _ in 0..5 {
            let copy = loaded.clone();
            let t = Instant::now();
            std::hint::black_box(Session::default().loaded(copy));
            after.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        session_ms.push(median(&mut after));
        let (load, xtab) = (median(&mut loads), median(&mut xtabs));
        serial_ms.push(load);
        let heap = loaded.table.heap_bytes() as f64;
        println!(
            "| {} | {:.1} | {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.2} | {} |",
            file_name(path),
            bytes / 1e6,
            loaded.table.rows,
            load,
            bytes / 1e6 / (load / 1000.0),
            xtab,
            heap / 1e6,
            heap / bytes,
            cpu,
        );
    }
    println!();
    for (path, ms) in files.iter().zip(&session_ms) {
        println!(
            "{}: after the read, `Session::loaded` (summary, inference, model view) {ms:.0} ms (median of 5)",
            file_name(path)
        );
    }
    // Every core, even below `MIN_CORES` (where the CLI reads with one): the figure says
    // what ranges cost or save on this machine.
    let threads = cores().max(2);
    println!();
    println!("Parallel read ({threads} threads: `ingest::parallel::read_source_timed` of the file on disk, each range's thread reading its bytes as it parses them, as the CLI reads):");
    println!();
    println!("| file | MB | rows | load ms (median of 5) | MB/s | × streamed | ranges | parse ms | merge ms | CPU ms per load |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (path, serial) in files.iter().zip(serial_ms) {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64;
        let mut loads = Vec::new();
        let mut rows = 0;
        let mut phases = (0, 0.0, 0.0);
        let cpu0 = cpu_ms();
        for run in 0..6 {
            let t0 = Instant::now();
            let file = FileSource::open(std::path::Path::new(path)).expect("open");
            let opts = ReadOptions {
                max_bytes: u64::MAX,
                ..ReadOptions::default()
            };
            let split = read_source_timed(&file, opts, threads).expect("read");
            let loaded = split.result.expect("read");
            let load = t0.elapsed().as_secs_f64() * 1000.0;
            if run > 0 {
                loads.push(load);
            }
            phases = (split.ranges, split.parse_ms, split.merge_ms);
            rows = loaded.table.rows;
            std::hint::black_box(loaded);
        }
        let cpu = cpu_per_run(cpu0);
        let load = median(&mut loads);
        println!(
            "| {} | {:.1} | {} | {:.0} | {:.0} | {:.2} | {} | {:.0} | {:.0} | {} |",
            file_name(path),
            bytes / 1e6,
            rows,
            load,
            bytes / 1e6 / (load / 1000.0),
            load / serial,
            phases.0,
            phases.1,
            phases.2,
            cpu,
        );
    }
}

/// The middle of `v` (sorted here).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The file's name without its folder, for the table.
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// CPU time this process has used, every thread's (Linux: /proc/self/stat, in ticks of
/// 10 ms), so a loaded machine's figures can be told from the work done.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command's closing parenthesis: utime and stime are the 12th and
    // 13th of them.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) * 10.0)
}

/// CPU ms per run of the 6 since `start`, as text ("–" where unknown).
fn cpu_per_run(start: Option<f64>) -> String {
    match (start, cpu_ms()) {
        (Some(a), Some(b)) => format!("{:.0}", (b - a) / 6.0),
        _ => "–".to_string(),
    }
}
