//! Issue 16, done when "chunked and parallel reads give byte-identical tables and warnings
//! to a whole-file read": a file read in byte ranges (each range by its own reader, the
//! partial tables merged) must give exactly what one reader gives — the table (names,
//! dictionaries in order, codes and their width), every warning with its row and line
//! numbers, byte offsets and example lists, the read info, or the same error.

mod common;

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16LE, UTF_8};
use proptest::prelude::*;
use tsunagari::ingest::parallel::{
    read_parallel, read_path_parallel, read_source_timed, read_split, MIN_PARALLEL_BYTES,
};
use tsunagari::ingest::range_source::FileSource;
use tsunagari::ingest::range_split::line_starts;
use tsunagari::ingest::{read_bytes, Loaded, ReadError, ReadOptions};

/// Both reads agree; the first difference is said briefly before the whole comparison
/// (a table's Debug output is long).
fn assert_same(serial: &Result<Loaded, ReadError>, split: &Result<Loaded, ReadError>) {
    if let (Ok(a), Ok(b)) = (serial, split) {
        assert_eq!(a.warnings, b.warnings, "warnings");
        assert_eq!(a.info, b.info, "info");
        let names = |l: &Loaded| -> Vec<String> {
            l.table.columns.iter().map(|c| c.name.clone()).collect()
        };
        assert_eq!(names(a), names(b), "column names");
        assert_eq!(a.table.rows, b.table.rows, "rows");
        for (p, q) in a.table.columns.iter().zip(&b.table.columns) {
            assert_eq!(p.values, q.values, "dictionary of {}", p.name);
            assert_eq!(p.codes, q.codes, "codes of {}", p.name);
        }
    }
    assert_eq!(serial, split);
}

/// Reads `bytes` whole and in ranges starting near `splits`; returns how many ranges
/// were merged (1 = the split read fell back to one reader).
fn check(bytes: &[u8], opts: &ReadOptions, splits: &[usize]) -> usize {
    let serial = read_bytes(bytes, opts.clone());
    let split = read_split(bytes, opts.clone(), splits);
    assert_same(&serial, &split.result);
    split.ranges
}

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    encoding.encode(text).0.into_owned()
}

/// A survey of `rows` rows with something on every kind of line a municipal file has.
fn survey(rows: usize, eol: &str) -> String {
    let mut s = format!("ID,性別,年代,問1,自由記述{eol}");
    for r in 1..=rows {
        let line = match r % 23 {
            3 => format!("{r},女性,20～29歳,2{eol}"),           // short
            5 => format!("{r},男性,30～39歳,1,なし,追加{eol}"), // long
            7 => format!(",,,,{eol}"),                          // blank row
            11 => eol.to_string(),                              // empty line
            13 => format!("{r},女性,40～49歳,3,\"改行\n入り, 「①」\"{eol}"), // quoted
            17 => format!("{r},=\"001\",50～59歳,1,{eol}"),     // ="001"
            // Blank cells past the header's width: long only once a long row added a column.
            19 => format!("{r},男性,60～69歳,1,なし,,{eol}"),
            _ => format!(
                "{r},{},{}0～{}9歳,{},回答{}{eol}",
                ["男性", "女性"][r % 2],
                2 + r % 5,
                2 + r % 5,
                r % 4,
                r % 37
            ),
        };
        s.push_str(&line);
    }
    s
}

#[test]
fn ranges_of_a_survey_merge_to_the_whole_file_read() {
    for eol in ["\n", "\r\n"] {
        let text = survey(400, eol);
        for encoding in [UTF_8, SHIFT_JIS, EUC_JP] {
            let bytes = encode(encoding, &text);
            let opts = ReadOptions {
                encoding: Some(encoding),
                ..ReadOptions::default()
            };
            let n = bytes.len();
            // A range starting on the second line of a quoted cell can't be merged (that
            // is `a_quote_open_across_a_boundary…`); every other one must be.
            let inside_quotes = encode(encoding, "入り");
            for parts in 2..=6 {
                let splits: Vec<usize> = (1..parts).map(|k| n / 2 + k * n / (2 * parts)).collect();
                let ranges = check(&bytes, &opts, &splits);
                let quoted = line_starts(&bytes, &splits)
                    .iter()
                    .any(|&s| bytes[s..].starts_with(&inside_quotes));
                let want = if quoted { 1 } else { parts };
                assert_eq!(ranges, want, "{} {eol:?}: ranges merged", encoding.name());
            }
        }
    }
}

#[test]
fn undecodable_bytes_in_later_ranges_keep_their_offsets() {
    let mut bytes = encode(SHIFT_JIS, &survey(300, "\r\n"));
    let n = bytes.len();
    // A lone lead byte before a comma, and bytes no Shift_JIS character has, spread over
    // the file (the first five offsets are kept as examples, the count is exact).
    for k in 1..12 {
        let at = k * n / 12;
        let comma = at + bytes[at..].iter().position(|&b| b == b',').unwrap_or(0);
        bytes[comma - 1] = [0x82, 0xFF, 0xA0][k % 3];
    }
    let opts = ReadOptions::default();
    for splits in [
        vec![n / 2],
        vec![n / 3, 2 * n / 3],
        vec![n / 5, n / 2, 4 * n / 5],
    ] {
        let ranges = check(&bytes, &opts, &splits);
        assert!(ranges > 1, "merged at {splits:?}");
    }
}

#[test]
fn a_header_block_and_added_columns_merge() {
    let mut text = "問1,問2,,問3\n性別,相談相手,,年齢\n,家族,友人,\n".to_string();
    for r in 0..300 {
        match r % 41 {
            40 => text.push_str(&format!("{},1,1,{},99,追加の列{}\n", r % 2 + 1, r % 80, r)),
            _ => text.push_str(&format!(
                "{},{},{},{}\n",
                r % 2 + 1,
                r % 3,
                r % 5,
                20 + r % 60
            )),
        }
    }
    let bytes = text.into_bytes();
    let n = bytes.len();
    let ranges = check(&bytes, &ReadOptions::default(), &[n / 2, 3 * n / 4]);
    assert_eq!(ranges, 3);
}

#[test]
fn a_quote_open_across_a_boundary_falls_back_to_the_whole_file_read() {
    // A stray quote swallows rows (a runaway quote): a range starting inside it would be
    // read wrong, so the read must notice and give the whole-file read.
    let mut text = survey(200, "\n");
    let mid = text.len() / 2;
    let at = mid + text[mid..].find("\n").unwrap() + 1;
    text.insert_str(at, "999,\"女性,20～29歳,1,");
    let bytes = text.into_bytes();
    for k in 1..20 {
        check(&bytes, &ReadOptions::default(), &[at + k * 7]);
    }
}

#[test]
fn fixtures_read_the_same_in_ranges() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        for parts in 2..=5 {
            let splits: Vec<usize> = (1..parts).map(|k| k * n / parts).collect();
            check(&bytes, &ReadOptions::default(), &splits);
        }
        seen += 1;
    }
    assert!(seen >= 5, "the fixtures were found");
}

#[test]
fn utf16_and_literal_quotes_are_read_whole() {
    let text = survey(200, "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let n = bytes.len();
    let opts = ReadOptions {
        encoding: Some(UTF_16LE),
        ..ReadOptions::default()
    };
    assert_eq!(check(&bytes, &opts, &[n / 2]), 1);
    let opts = ReadOptions {
        literal_quotes: vec!["3:5".parse().unwrap()],
        ..ReadOptions::default()
    };
    let bytes = survey(200, "\n").into_bytes();
    assert_eq!(check(&bytes, &opts, &[bytes.len() / 2]), 1);
}

#[test]
fn the_threaded_read_equals_the_whole_file_read() {
    // Big enough to be split by `read_parallel` (it reads small files whole).
    let bytes = survey(200_000, "\r\n").into_bytes();
    assert!(bytes.len() > MIN_PARALLEL_BYTES);
    let serial = read_bytes(&bytes, ReadOptions::default());
    let parallel = read_parallel(&bytes, ReadOptions::default(), 4);
    assert_same(&serial, &parallel);
}

/// The CLI's read of a file on disk, each range's thread reading its own bytes from the
/// disk (`read_path_parallel`), gives what one reader of the whole file gives: split in
/// ranges, read whole (a file too small to split, one whose split falls inside a quoted
/// cell), and a file that is not there is an I/O error, not a table.
#[test]
fn a_file_read_from_disk_in_ranges_equals_the_whole_file_read() {
    let dir = std::env::temp_dir().join(format!("tsunagari-read-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = survey(200_000, "\r\n").into_bytes();
    // Every line one quoted cell holding line feeds: a split lands inside it.
    let mut quoted = b"ID,text\n".to_vec();
    for r in 0..(MIN_PARALLEL_BYTES / 20) {
        quoted.extend_from_slice(format!("{r},\"a\nb\nc\nd\ne\nf\ng\nh\"\n").as_bytes());
    }
    // (Big enough to be split: it is read whole because of where the split falls.)
    assert!(quoted.len() > MIN_PARALLEL_BYTES);
    let small = survey(300, "\n").into_bytes();
    for (name, bytes, threads, ranges) in [
        ("big.csv", &big, 3, 3),
        ("quoted.csv", &quoted, 2, 1),
        ("small.csv", &small, 4, 1),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let serial = read_bytes(bytes, ReadOptions::default());
        let file = FileSource::open(&path).unwrap();
        let split = read_source_timed(&file, ReadOptions::default(), threads).unwrap();
        assert_eq!(split.ranges, ranges, "{name}");
        assert_same(&serial, &split.result);
        let read = read_path_parallel(&path, ReadOptions::default(), None, threads).unwrap();
        assert_same(&serial, &read);
    }
    let missing = read_path_parallel(&dir.join("none.csv"), ReadOptions::default(), None, 2);
    assert!(missing.is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One generated line: cells of every kind, then a line end.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        6 => Just(b"1".to_vec()),
        4 => Just(b"2".to_vec()),
        2 => Just(b"".to_vec()),
        2 => Just("女性".as_bytes().to_vec()),
        2 => Just("20～29歳".as_bytes().to_vec()),
        2 => (10u32..200).prop_map(|n| n.to_string().into_bytes()),
        1 => (0u32..100).prop_map(|n| format!("0.{n:02}").into_bytes()),
        1 => Just(b"\"a,b\"".to_vec()),
        1 => Just("\"改行\n入り\"".as_bytes().to_vec()),
        1 => Just("\"CR\r\nLF\"\"q\"\"\"".as_bytes().to_vec()),
        1 => Just(b"=\"001\"".to_vec()),
        1 => Just(b"\xFF\x82".to_vec()),
        1 => Just(b"\xEF\xBB\xBF1".to_vec()),
        1 => Just("長い自由記述の回答です".as_bytes().to_vec()),
    ];
    let width = prop_oneof![8 => Just(4usize), 1 => 0usize..4, 1 => 5usize..8];
    let eol = prop_oneof![Just(b"\n".to_vec()), Just(b"\r\n".to_vec())];
    (prop::collection::vec(cell, 8), width, eol).prop_map(|(cells, width, eol)| {
        let mut out = cells[..width].join(&b","[..]);
        if width == 0 && !out.is_empty() {
            out.clear();
        }
        out.extend(eol);
        out
    })
}

fn file() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(b"ID,q1,q2,q3\n".to_vec()),
        Just("ID,問1,問1,\r\n".as_bytes().to_vec()),
        Just("問1,問2,問3,問4\n性別,年代,相談,自由\n".as_bytes().to_vec()),
    ];
    (
        header,
        prop::collection::vec(line(), 100..240),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(header, lines, stray_quote)| {
            let mut bytes = header;
            for (i, l) in lines.iter().enumerate() {
                if stray_quote && i == lines.len() * 2 / 3 {
                    bytes.extend_from_slice(b"7,\"open,");
                }
                bytes.extend_from_slice(l);
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_split_of_a_generated_file_reads_as_the_whole_file(
        bytes in file(),
        splits in prop::collection::vec(0.0f64..1.0, 1..6),
        sjis in any::<bool>(),
    ) {
        let n = bytes.len();
        let mut at: Vec<usize> = splits.iter().map(|f| (f * n as f64) as usize).collect();
        at.sort_unstable();
        let opts = ReadOptions {
            encoding: sjis.then_some(SHIFT_JIS),
            ..ReadOptions::default()
        };
        check(&bytes, &opts, &at);
    }
}

#[test]
fn generated_files_are_mostly_merged_not_read_whole() {
    // The property above holds trivially if every split read falls back to one reader:
    // most generated files (those without a stray quote) must really be merged.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut merged, mut tried) = (0, 0);
    for _ in 0..100 {
        let bytes = file().new_tree(&mut runner).unwrap().current();
        let n = bytes.len();
        tried += 1;
        // (After the rows the header's height is decided on: `LOOKAHEAD`, 53.)
        if check(&bytes, &ReadOptions::default(), &[n * 3 / 5, n * 4 / 5]) > 1 {
            merged += 1;
        }
    }
    assert!(merged * 2 > tried, "{merged} of {tried} merged");
}

/// The bench files (`make bench` writes them; not in the repository), read whole, in
/// ranges from memory and in ranges from the disk:
/// `TSUNAGARI_BENCH_DATA=DIR cargo test --test read_parallel -- --ignored`.
#[test]
#[ignore]
fn bench_files_read_the_same_in_parallel() {
    let dir = common::bench_data_dir();
    let mut seen = 0;
    for name in ["survey_100k.csv", "survey_1m.csv", "survey_1m_cp932.csv"] {
        let Ok(bytes) = std::fs::read(format!("{dir}/{name}")) else {
            continue;
        };
        let opts = ReadOptions {
            max_bytes: u64::MAX,
            ..ReadOptions::default()
        };
        let serial = read_bytes(&bytes, opts.clone());
        for threads in [2, 4] {
            let split = read_split(
                &bytes,
                opts.clone(),
                &tsunagari::ingest::range_split::even(bytes.len(), threads),
            );
            assert_eq!(split.ranges, threads, "{name}: merged");
            assert_same(&serial, &split.result);
            assert_same(&serial, &read_parallel(&bytes, opts.clone(), threads));
            // As the CLI reads it: each range's thread reading its bytes from the disk.
            let path = std::path::Path::new(&dir).join(name);
            let from_disk = read_path_parallel(&path, opts.clone(), None, threads);
            assert_same(&serial, &from_disk.expect("the bench file reads"));
        }
        seen += 1;
    }
    assert!(seen > 0, "no bench file in {dir}");
}

#[test]
fn a_byte_order_mark_where_a_range_starts_is_a_character_as_in_the_whole_read() {
    // Found by fuzzing (read_csv_stream): a second file's BOM pasted after the first
    // file's rows. One reader removes only the file's first BOM; the rest are U+FEFF.
    let mut bytes = b"\xEF\xBB\xBFID,q\r\n".to_vec();
    for r in 0..100 {
        bytes.extend(format!("{r},{}\r\n", r % 3).as_bytes());
    }
    let at = bytes.len();
    bytes.extend("\u{FEFF}ID,性別\r\n001,女性\r\n".as_bytes());
    for near in [at - 1, at - 3] {
        assert_eq!(check(&bytes, &ReadOptions::default(), &[near]), 2);
    }
}
