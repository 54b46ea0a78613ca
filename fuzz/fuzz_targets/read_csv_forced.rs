//! Any bytes read with each encoding and delimiter a user can force: never a panic, a
//! well-formed table, and the same result in chunks as in one piece.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::{encoding, read_bytes, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let (label, _) = encoding::CHOICES[first as usize % encoding::CHOICES.len()];
    let delimiter = [None, Some(b','), Some(b'\t'), Some(b';')][(first as usize / 8) % 4];
    let opts = ReadOptions {
        encoding: encoding::by_label(label),
        delimiter,
        max_field_bytes: 4096,
        ..ReadOptions::default()
    };
    let whole = read_bytes(bytes, opts.clone());
    if let Ok(loaded) = &whole {
        common::check_table(loaded);
        assert_eq!(loaded.info.encoding_label, opts.encoding.unwrap().name());
    }
    let chunked = common::read_chunked(&[], bytes, 1 + first as usize / 32, opts);
    common::assert_same(&whole, &chunked);
});
