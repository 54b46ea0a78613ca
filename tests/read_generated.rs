//! The reader checked against an independent generator: the bench harness's `gen.py`
//! (../shared/bench, not this project's code) writes a survey CSV and, beside it, the
//! answers computed from the values it generated, not by parsing the file
//! (`<file>.expected.json`): the row count, the weighted crosstab q1 × region (counts, and
//! weight sums) and, for the free-text columns fa1 and fa2, the non-blank answers, their
//! characters and their line feeds. Its free text holds commas, doubled quotes and line
//! breaks inside quoted cells, in UTF-8 or CP932, with CRLF or LF records.
//!
//! The files in tests/fixtures/generated were made with
//!   python3 gen.py --rows 600 --out gen_utf8_crlf.csv
//!   python3 gen.py --rows 600 --encoding cp932 --seed 7 --out gen_cp932_crlf.csv
//!   python3 gen.py --rows 600 --newline lf --bom --seed 11 --out gen_utf8_bom_lf.csv
//! Each is read as a user's file is (whole; streamed in chunks, as the worker reads; in
//! byte ranges merged, as the CLI reads) and every read must give the generator's answers.

mod common;

use std::collections::BTreeMap;

use tsunagari::analysis::crosstab::raw_cells;
use tsunagari::ingest::parallel::read_split;
use tsunagari::ingest::range_split::even;
use tsunagari::ingest::{read_bytes, CsvReader, Loaded, ReadOptions};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/generated");

fn opts() -> ReadOptions {
    ReadOptions {
        max_bytes: u64::MAX,
        ..ReadOptions::default()
    }
}

/// `bytes` pushed `chunk` bytes at a time, as the worker pushes the slices of a file.
fn streamed(bytes: &[u8], chunk: usize) -> Loaded {
    let mut reader = CsvReader::new(opts());
    for piece in bytes.chunks(chunk) {
        reader.push(piece).expect("push");
    }
    reader.finish().expect("finish")
}

/// What the harness's page checks (`harness.js` `textStatsOf`): non-blank values, their
/// characters (code points) and line feeds.
fn text_stats(loaded: &Loaded, name: &str) -> [u64; 3] {
    let column = loaded
        .table
        .column(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    let mut stats = [0u64; 3];
    for row in 0..column.len() {
        let value = column.value(row);
        if value.is_empty() {
            continue;
        }
        stats[0] += 1;
        stats[1] += value.chars().count() as u64;
        stats[2] += value.matches('\n').count() as u64;
    }
    stats
}

/// Checks one read of `name` against the generator's answers `expected`.
fn check(name: &str, how: &str, loaded: &Loaded, expected: &serde_json::Value) {
    let at = format!("{name} ({how})");
    assert_eq!(
        loaded.table.rows as u64,
        expected["rows"].as_u64().expect("rows"),
        "{at}: rows"
    );
    assert!(loaded.warnings.is_empty(), "{at}: {:?}", loaded.warnings);
    for (column, want) in expected["text"].as_object().expect("text") {
        let want: Vec<u64> = want
            .as_array()
            .expect("stats")
            .iter()
            .map(|v| v.as_u64().expect("a count"))
            .collect();
        assert_eq!(text_stats(loaded, column).to_vec(), want, "{at}: {column}");
    }
    let t = &loaded.table;
    let column = |key: &str| {
        let name = expected[key].as_str().expect("a column name");
        t.column(name)
            .unwrap_or_else(|| panic!("{at}: no column {name}"))
    };
    let cells = raw_cells(column("row"), column("col"), Some(column("weight")));
    assert_eq!(cells.unweighted, 0, "{at}: weights not read as numbers");
    let got: BTreeMap<String, (u64, f64)> = cells
        .cells
        .iter()
        .map(|c| (format!("{}|{}", c.row, c.col), (c.count, c.weight)))
        .collect();
    let want: BTreeMap<String, (u64, f64)> = expected["cells"]
        .as_object()
        .expect("cells")
        .iter()
        .map(|(k, v)| {
            let n = v[0].as_u64().expect("count");
            let w = v[1].as_f64().expect("weight sum");
            (k.clone(), (n, w))
        })
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{at}: crosstab cells"
    );
    for (key, &(n, w)) in &want {
        let (m, v) = got[key];
        assert_eq!(m, n, "{at}: count of {key}");
        assert!(
            (v - w).abs() <= 1e-6 * w.abs().max(1.0),
            "{at}: weight sum of {key}: {v} against {w}"
        );
    }
}

/// Reads the file at `path` every way and checks each read; returns its row count.
fn check_file(path: &std::path::Path, streamed_chunks: &[usize]) -> u64 {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let bytes = std::fs::read(path).expect("the file");
    let json = std::fs::read_to_string(format!("{}.expected.json", path.display()))
        .expect("the generator's answers");
    let expected: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    check(
        &name,
        "whole",
        &read_bytes(&bytes, opts()).expect("read"),
        &expected,
    );
    for &chunk in streamed_chunks {
        let how = format!("streamed in {chunk}-byte chunks");
        check(&name, &how, &streamed(&bytes, chunk), &expected);
    }
    for ranges in [2, 3] {
        let split = read_split(&bytes, opts(), &even(bytes.len(), ranges));
        let how = format!("in {ranges} ranges, {} merged", split.ranges);
        check(&name, &how, &split.result.expect("read"), &expected);
    }
    expected["rows"].as_u64().unwrap_or_default()
}

#[test]
fn generated_surveys_read_as_their_generator_wrote_them() {
    let mut files = 0;
    for name in [
        "gen_utf8_crlf.csv",
        "gen_cp932_crlf.csv",
        "gen_utf8_bom_lf.csv",
    ] {
        let path = std::path::Path::new(FIXTURES).join(name);
        assert_eq!(check_file(&path, &[1, 7, 4096, 1 << 20]), 600, "{name}");
        files += 1;
    }
    assert_eq!(files, 3);
}

/// The same on `make bench`'s files (10k to 1M rows; not in the repository):
/// `TSUNAGARI_BENCH_DATA=DIR cargo test --release --test read_generated -- --ignored`.
#[test]
#[ignore]
fn bench_files_read_as_their_generator_wrote_them() {
    let dir = common::bench_data_dir();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the bench data folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "csv") {
            check_file(&path, &[1 << 20]);
            seen += 1;
        }
    }
    assert!(seen > 0, "no bench file in {dir}");
}
