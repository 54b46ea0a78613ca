//! Any bytes, in chunks of any size: the CSV reader must never panic, and reading in
//! chunks must give exactly what reading in one piece gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::{read_bytes, CsvReader, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let opts = ReadOptions { max_field_bytes: 4096, ..ReadOptions::default() };
    let whole = read_bytes(bytes, opts.clone());
    let chunk = 1 + first as usize % 64;
    let mut reader = CsvReader::new(opts);
    let mut pushed = Ok(());
    for piece in bytes.chunks(chunk) {
        pushed = reader.push(piece);
        if pushed.is_err() {
            break;
        }
    }
    let chunked = pushed.and_then(|()| reader.finish());
    match (whole, chunked) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.table, b.table);
            assert_eq!(a.warnings, b.warnings);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("whole {:?} vs chunked {:?}", a.map(|_| ()), b.map(|_| ())),
    }
});
