//! Any bytes through `FileReader`, the entry every file takes (workbook or text), in
//! chunks: never a panic. Inputs that start like a zip or OLE file exercise calamine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::{FileReader, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let opts = ReadOptions {
        max_field_bytes: 4096,
        max_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let mut reader = FileReader::new(opts, None);
    for piece in bytes.chunks(1 + first as usize % 128) {
        if reader.push(piece).is_err() {
            return;
        }
    }
    if let Ok(loaded) = reader.finish() {
        for c in &loaded.table.columns {
            assert_eq!(c.len(), loaded.table.rows);
        }
    }
});
