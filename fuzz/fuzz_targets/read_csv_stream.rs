//! The streaming path: a fixed file head of more than 256 KiB (so encoding and delimiter
//! are settled on it, the same way every time), then the fuzz input, pushed in one piece
//! or in small chunks. Both must give the same table, warnings and errors, and never a
//! panic. The first input byte picks the head (encoding, delimiter) and the chunk size.
//!
//! The same bytes read in byte ranges (`ingest::parallel::read_split`: the head as the
//! first range, the input cut after a line feed near a place the first byte picks, each
//! range by its own parser, merged) must give the same result too.
//!
//! Chunks are 1–61 bytes (pieces of 1–3 bytes that decode to no character used to cut
//! the row in two: `regression_a_push_that_decodes_to_nothing_splits_the_row` in
//! tests/read_csv.rs), and an empty push comes every few pieces.
#![no_main]

mod common;

use std::sync::OnceLock;

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use libfuzzer_sys::fuzz_target;
use tsunagari::ingest::csv_reader::SNIFF_BYTES;
use tsunagari::ingest::parallel::read_split;
use tsunagari::ingest::{CsvReader, ReadOptions};

/// (encoding, forced?, delimiter). Without a BOM the encoding is forced: detection runs
/// on the head only, which never changes, and on 256 KiB of CP932 it would make each run
/// ten times slower.
const HEADS: [(&Encoding, bool, char); 6] = [
    (UTF_8, false, ','),
    (UTF_8, true, ';'),
    (SHIFT_JIS, true, ','),
    (EUC_JP, true, '\t'),
    (UTF_16LE, false, '\t'),
    (UTF_16BE, false, ','),
];

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    if encoding == UTF_16LE {
        text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    } else if encoding == UTF_16BE {
        text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
    } else {
        encoding.encode(text).0.into_owned()
    }
}

/// A survey-like head past the sniffing window, ending at a record boundary.
fn head(i: usize) -> &'static [u8] {
    static HEADS_BYTES: [OnceLock<Vec<u8>>; 6] = [const { OnceLock::new() }; 6];
    HEADS_BYTES[i].get_or_init(|| {
        let (encoding, _, d) = HEADS[i];
        let mut bytes = match encoding.name() {
            "UTF-8" if i == 0 => vec![0xEF, 0xBB, 0xBF],
            "UTF-16LE" => vec![0xFF, 0xFE],
            "UTF-16BE" => vec![0xFE, 0xFF],
            _ => Vec::new(),
        };
        bytes.extend(encode(
            encoding,
            &format!("ID{d}性別{d}年代{d}自由記述\r\n"),
        ));
        let mut n = 0;
        while bytes.len() <= SNIFF_BYTES {
            n += 1;
            let row =
                format!("{n}{d}女性{d}20～29歳{d}\"髙島町, 「居場所」\"\"①\"\"\r\nほしい\"\r\n");
            bytes.extend(encode(encoding, &row));
        }
        bytes
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let i = first as usize % HEADS.len();
    let (encoding, forced, _) = HEADS[i];
    let head = head(i);
    let opts = ReadOptions {
        encoding: forced.then_some(encoding),
        max_field_bytes: 4096,
        ..ReadOptions::default()
    };
    let size = 1 + (first as usize / HEADS.len()) % 61;
    let opts_split = opts.clone();
    let whole = common::read_chunked(head, bytes, bytes.len().max(1), opts.clone());
    let chunked = {
        let mut reader = CsvReader::new(opts);
        let mut pushed = reader.push(head);
        for (k, piece) in bytes.chunks(size).enumerate() {
            if pushed.is_ok() && k % 5 == 3 {
                pushed = reader.push(&[]);
            }
            if pushed.is_ok() {
                pushed = reader.push(piece);
            }
        }
        pushed.and_then(|()| reader.finish())
    };
    if let Ok(loaded) = &whole {
        common::check_table(loaded);
        assert_eq!(loaded.info.encoding_label, encoding.name());
    }
    common::assert_same(&whole, &chunked);
    let file = [head, bytes].concat();
    let near = [head.len() - 1, head.len() + bytes.len() * (size % 7) / 7];
    let split = read_split(&file, opts_split, &near);
    common::assert_same(&whole, &split.result);
});
