//! Any bytes, in chunks of any size: the CSV reader must never panic, reading in chunks
//! must give exactly what reading in one piece gives, and a table must be well formed.
//! (Inputs are smaller than the 256 KiB sniffing window, so the chunks exercise the
//! buffering of the head; `read_csv_stream` covers the streaming path.)
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::{read_bytes, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let opts = ReadOptions {
        max_field_bytes: 4096,
        ..ReadOptions::default()
    };
    let whole = read_bytes(bytes, opts.clone());
    if let Ok(loaded) = &whole {
        common::check_table(loaded);
    }
    let chunked = common::read_chunked(&[], bytes, 1 + first as usize % 64, opts);
    common::assert_same(&whole, &chunked);
});
