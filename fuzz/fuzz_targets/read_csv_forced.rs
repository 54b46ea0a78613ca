//! Any bytes read with each encoding a user can force: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::{encoding, read_bytes, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else { return };
    let (label, _) = encoding::CHOICES[first as usize % encoding::CHOICES.len()];
    let delimiter = [None, Some(b','), Some(b'\t'), Some(b';')][(first as usize / 8) % 4];
    let opts = ReadOptions {
        encoding: encoding::by_label(label),
        delimiter,
        max_field_bytes: 4096,
        ..ReadOptions::default()
    };
    if let Ok(loaded) = read_bytes(bytes, opts) {
        // Every column has one code per row.
        for c in &loaded.table.columns {
            assert_eq!(c.len(), loaded.table.rows);
        }
    }
});
