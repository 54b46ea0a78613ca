//! The CSV reader on the files municipalities really have. Fixtures are made here: text
//! encoded with encoding_rs, or bytes written out exactly as Excel and the form services
//! write them.

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16LE, UTF_8};
use tsunagari::ingest::{read_bytes, CsvReader, Loaded, ReadError, ReadOptions, Warning};

fn read(bytes: &[u8]) -> Loaded {
    read_bytes(bytes, ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn cells(loaded: &Loaded) -> Vec<Vec<String>> {
    let t = &loaded.table;
    let mut out = vec![t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>()];
    for r in 0..t.rows {
        out.push(t.columns.iter().map(|c| c.value(r).to_string()).collect());
    }
    out
}

fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding.encode(text);
    assert!(
        !bad,
        "fixture text must be encodable in {}",
        encoding.name()
    );
    bytes.into_owned()
}

const JAPANESE: &str =
    "回答者ID,性別,年代,居住地\r\n001,女性,20～29歳,髙島町\r\n002,男性,80歳以上,中央\r\n";

fn japanese_grid() -> Vec<Vec<String>> {
    grid(&[
        &["回答者ID", "性別", "年代", "居住地"],
        &["001", "女性", "20～29歳", "髙島町"],
        &["002", "男性", "80歳以上", "中央"],
    ])
}

#[test]
fn every_encoding_reads_the_same_table() {
    let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
    utf8_bom.extend_from_slice(JAPANESE.as_bytes());
    let mut utf16le = vec![0xFF, 0xFE];
    utf16le.extend(
        JAPANESE
            .replace(',', "\t")
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(JAPANESE.encode_utf16().flat_map(|u| u.to_be_bytes()));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf-8", JAPANESE.as_bytes().to_vec(), "UTF-8"),
        ("utf-8 bom", utf8_bom, "UTF-8 (BOM)"),
        ("cp932", encode(SHIFT_JIS, JAPANESE), "CP932 (Shift_JIS)"),
        ("euc-jp", encode(EUC_JP, JAPANESE), "EUC-JP"),
        (
            "utf-16le tab (Excel Unicode text)",
            utf16le,
            "UTF-16LE (BOM)",
        ),
        ("utf-16be", utf16be, "UTF-16BE (BOM)"),
    ];
    for (what, bytes, encoding) in cases {
        let loaded = read(&bytes);
        assert_eq!(cells(&loaded), japanese_grid(), "{what}");
        assert_eq!(loaded.info.encoding, encoding, "{what}");
        assert!(loaded.warnings.is_empty(), "{what}: {:?}", loaded.warnings);
    }
}

#[test]
fn cp932_ibm_and_nec_extensions_decode() {
    // 髙 as Windows writes it (IBM extension 0xFBFC) and as the NEC-selected row (0xEEE0);
    // ① (NEC special 0x8740), ㈱ (0x878A), ～ (0x8160).
    let mut bytes = b"a,b\r\n".to_vec();
    bytes.extend_from_slice(&[0xFB, 0xFC, b',', 0xEE, 0xE0, b'\r', b'\n']);
    bytes.extend_from_slice(&[0x87, 0x40, b',', 0x87, 0x8A, 0x81, 0x60, b'\r', b'\n']);
    let loaded = read_bytes(
        &bytes,
        ReadOptions {
            encoding: Some(SHIFT_JIS),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        cells(&loaded),
        grid(&[&["a", "b"], &["髙", "髙"], &["①", "㈱～"]])
    );
    assert!(loaded.warnings.is_empty());
}

#[test]
fn the_exact_bytes_of_an_excel_cp932_csv() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/excel_cp932.csv"
    ))
    .unwrap();
    let loaded = read(&bytes);
    assert_eq!(loaded.info.encoding, "CP932 (Shift_JIS)");
    assert_eq!(loaded.table.rows, 12);
    let area = loaded.table.column("居住地区").unwrap();
    assert_eq!(area.value(0), "髙島町");
    let text = loaded.table.column("自由記述").unwrap();
    assert_eq!(text.value(2), "相談先が分からない、困っています");
    assert_eq!(
        loaded.table.column("回答者ID").unwrap().value(0),
        "001",
        "leading zeros stay"
    );
}

#[test]
fn delimiters_quotes_and_line_ends() {
    let want = grid(&[
        &["id", "感想"],
        &["1", "はい, \"いいえ\"\n改行あり"],
        &["2", ""],
    ]);
    for delim in [",", "\t", ";"] {
        for eol in ["\r\n", "\n", "\r"] {
            let text = format!(
                "id{delim}感想{eol}1{delim}\"はい, \"\"いいえ\"\"\n改行あり\"{eol}2{delim}{eol}"
            );
            let loaded = read(text.as_bytes());
            assert_eq!(
                cells(&loaded),
                want,
                "delimiter {delim:?}, line end {eol:?}"
            );
            assert_eq!(
                loaded.info.delimiter.as_deref(),
                Some(match delim {
                    "," => "comma",
                    "\t" => "tab",
                    _ => "semicolon",
                })
            );
        }
    }
}

#[test]
fn blank_and_duplicate_headers_are_named_and_reported() {
    let loaded = read("性別,,性別,性別_2\n男性,1,2,3\n".as_bytes());
    assert_eq!(cells(&loaded)[0], vec!["性別", "列2", "性別_3", "性別_2"]);
    assert!(loaded
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::BlankHeaders { columns, .. } if columns == &vec![2])));
    assert!(loaded.warnings.iter().any(
        |w| matches!(w, Warning::DuplicateHeaders { renamed } if renamed == &vec![("性別".to_string(), "性別_3".to_string())])
    ));
}

#[test]
fn short_and_long_rows_are_kept_and_reported_with_their_rows() {
    let loaded = read(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n\"x\ny\",1,2\n10\n");
    assert_eq!(loaded.table.rows, 5);
    assert_eq!(
        cells(&loaded),
        grid(&[
            &["a", "b", "c", "列4"],
            &["1", "2", "3", ""],
            &["4", "5", "", ""],
            &["6", "7", "8", "9"],
            &["x\ny", "1", "2", ""],
            &["10", "", "", ""],
        ])
    );
    let short = loaded.warnings.iter().find_map(|w| match w {
        Warning::ShortRows {
            count, examples, ..
        } => Some((*count, examples.clone())),
        _ => None,
    });
    let (count, examples) = short.expect("short rows reported");
    assert_eq!(count, 2);
    assert_eq!(
        (examples[0].row, examples[0].line, examples[0].fields),
        (2, 3, 2)
    );
    // Row 5 starts on line 7: the quoted newline in row 4 takes a line.
    assert_eq!((examples[1].row, examples[1].line), (5, 7));
    let long = loaded.warnings.iter().find_map(|w| match w {
        Warning::LongRows {
            count,
            examples,
            added_columns,
            ..
        } => Some((*count, examples[0].row, added_columns.clone())),
        _ => None,
    });
    assert_eq!(long, Some((1, 3, vec!["列4".to_string()])));
}

#[test]
fn blank_rows_and_columns_at_the_end_are_dropped_and_reported() {
    let loaded = read(b"a,b,,\r\n1,2,,\r\n,,,\r\n3,4,,\r\n,,,\r\n,,,\r\n");
    assert_eq!(
        cells(&loaded),
        grid(&[&["a", "b"], &["1", "2"], &["", ""], &["3", "4"]])
    );
    assert!(loaded
        .warnings
        .contains(&Warning::TrailingBlankRowsDropped { count: 2 }));
    assert!(loaded.warnings.contains(&Warning::BlankRowsKept {
        count: 1,
        examples: vec![2]
    }));
    assert!(loaded.warnings.contains(&Warning::EmptyColumnsDropped {
        columns: vec![3, 4]
    }));
}

#[test]
fn empty_lines_are_counted() {
    let loaded = read(b"a,b\n1,2\n\n\n3,4\n");
    assert_eq!(loaded.table.rows, 2);
    assert!(loaded
        .warnings
        .contains(&Warning::EmptyLinesSkipped { count: 2 }));
}

#[test]
fn excel_text_formulas_and_leading_zeros_stay_text() {
    let loaded = read(b"code,zip\n=\"001\",0123\n=\"010\",0456\n");
    assert_eq!(
        cells(&loaded),
        grid(&[&["code", "zip"], &["001", "0123"], &["010", "0456"]])
    );
    assert!(loaded
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::ExcelTextFormula { count: 2, .. })));
}

#[test]
fn google_and_microsoft_forms_exports() {
    // Google Forms: UTF-8 without BOM, timestamp first, checkbox answers joined by ", ".
    let google = "タイムスタンプ,性別,参加している活動\r\n2024/12/01 9:30:00,女性,\"ボランティア活動, 自治会・町内会などの地域活動\"\r\n2024/12/01 9:31:12,男性,特に参加はしていない\r\n";
    let loaded = read(google.as_bytes());
    assert_eq!(loaded.table.rows, 2);
    assert_eq!(
        loaded.table.columns[2].value(0),
        "ボランティア活動, 自治会・町内会などの地域活動"
    );
    // Microsoft Forms (CSV saved from its Excel download): UTF-8 with BOM, ";" joins.
    let mut ms = vec![0xEF, 0xBB, 0xBF];
    ms.extend_from_slice(
        "ID,開始時刻,参加している活動\r\n1,2024/12/01 9:30,ボランティア活動;その他;\r\n".as_bytes(),
    );
    let loaded = read(&ms);
    assert_eq!(loaded.table.columns[2].value(0), "ボランティア活動;その他;");
    assert_eq!(loaded.info.delimiter.as_deref(), Some("comma"));
}

#[test]
fn bad_files_get_clear_errors() {
    assert_eq!(
        read_bytes(b"", ReadOptions::default()).unwrap_err(),
        ReadError::Empty
    );
    assert_eq!(
        read_bytes(b"a,b,c\r\n", ReadOptions::default()).unwrap_err(),
        ReadError::HeaderOnly { columns: 3 }
    );
    for (bytes, format) in [
        (&b"PK\x03\x04\x14\x00\x06\x00"[..], "ZIP"),
        (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "PNG"),
        (&b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"[..], "PDF"),
    ] {
        match read_bytes(bytes, ReadOptions::default()) {
            Err(ReadError::Binary { format: f }) => assert!(f.contains(format), "{f}"),
            other => panic!("{format}: {other:?}"),
        }
    }
    // A quote never closed swallows the rest of the file into one 10 MB field.
    let mut big = b"id,text\n1,\"open quote\n".to_vec();
    big.extend(std::iter::repeat_n(b'a', 10_000_000));
    match read_bytes(&big, ReadOptions::default()) {
        Err(ReadError::FieldTooLarge { row, column, .. }) => assert_eq!((row, column), (1, 2)),
        other => panic!("{:?}", other.map(|l| l.table.rows)),
    }
    let e = read_bytes(
        &[b'a'; 100],
        ReadOptions {
            max_bytes: 10,
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e,
        ReadError::TooLarge {
            bytes: 100,
            limit: 10
        }
    );
    for e in [ReadError::Empty, ReadError::HeaderOnly { columns: 3 }, e] {
        assert!(!e.ja().is_empty() && !e.en().is_empty());
    }
}

#[test]
fn a_forced_wrong_encoding_reports_where_the_bad_bytes_are() {
    // UTF-8 text read as CP932: 髙 is E9 AB 99 at bytes 4–6. E9 AB happens to be a
    // (wrong) kanji in Shift_JIS; 99 followed by "," is the first malformed sequence.
    let bytes = "a,b\n髙,x\n".as_bytes();
    let loaded = read_bytes(
        bytes,
        ReadOptions {
            encoding: Some(SHIFT_JIS),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    let bad = loaded.warnings.iter().find_map(|w| match w {
        Warning::UndecodableBytes {
            count,
            first_offsets,
            ..
        } => Some((*count, first_offsets.clone())),
        _ => None,
    });
    let (count, offsets) = bad.expect("undecodable bytes reported");
    assert!(count >= 1);
    assert_eq!(offsets[0], 6, "0-based offset of the first bad byte");
}

#[test]
fn chunk_boundaries_never_change_the_result() {
    let mut text = String::from("id,感想,年代\r\n");
    for i in 0..200 {
        text.push_str(&format!(
            "{i},\"髙島町, 「居場所」\"\"が\"\"ほしい\r\n{i}\",20～29歳\r\n"
        ));
    }
    text.push_str("201,短い行\r\n,,\r\n");
    for encoding in [encoding_rs::UTF_8, SHIFT_JIS, EUC_JP] {
        let bytes = encode(encoding, &text);
        let whole = read_bytes(&bytes, ReadOptions::default()).unwrap();
        let mut sizes: Vec<usize> = (1..=17).collect();
        let mut seed = 7u64;
        sizes.extend((0..5).map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            1 + (seed >> 33) as usize % 5000
        }));
        for size in sizes {
            let mut reader = CsvReader::new(ReadOptions::default());
            for chunk in bytes.chunks(size) {
                reader.push(chunk).unwrap();
            }
            let chunked = reader.finish().unwrap();
            assert_eq!(
                chunked.table,
                whole.table,
                "{} in chunks of {size}",
                encoding.name()
            );
            assert_eq!(
                chunked.warnings,
                whole.warnings,
                "{} in chunks of {size}",
                encoding.name()
            );
            assert_eq!(chunked.info, whole.info);
        }
    }
}

/// Found by `cargo fuzz run read_csv_forced` (fuzz/artifacts, input 8b fe ff): a file that
/// is only a byte-order mark overflowed the empty-line count.
#[test]
fn a_file_of_only_a_byte_order_mark_is_empty() {
    for label in ["utf-16be", "utf-16le", "utf-8", "shift_jis"] {
        for bom in [&[0xFE, 0xFF][..], &[0xFF, 0xFE], &[0xEF, 0xBB, 0xBF]] {
            let opts = ReadOptions {
                encoding: tsunagari::ingest::encoding::by_label(label),
                ..ReadOptions::default()
            };
            let result = read_bytes(bom, opts);
            assert!(result.is_err(), "{label} {bom:?}");
        }
    }
    // Not “0 bytes”: a mark and nothing else (issue 14 item 11).
    assert_eq!(
        read_bytes(&[0xFE, 0xFF], ReadOptions::default()).unwrap_err(),
        ReadError::Blank {
            bytes: 2,
            bom: true,
            empty_lines: 0,
            delimiter_lines: 0,
            delimiter: ",".into()
        }
    );
}

/// Found by `cargo fuzz run read_csv_forced` (input 9b 09 0a 3d 22 22: UTF-8 forced, `;`):
/// a header of one space-like cell over a row whose one cell is an empty formula `=""`.
/// Every column unnamed and blank was dropped, and the table kept a row but no column.
#[test]
fn a_file_of_blank_cells_only_is_blank_not_a_table_without_columns() {
    // (A cell of spaces is a value; a header cell of spaces is no name.)
    let cases: [(&[u8], Option<u8>); 6] = [
        (b"\t\n=\"\"", Some(b';')),
        (b"\t\n=\"\"", Some(b',')),
        (b" , \n,=\"\"\n", Some(b',')),
        (b" , \n,=\"\"\n", None),
        (b"\xEF\xBB\xBF \r\n=\"\"\r\n=\"\"\r\n", None),
        (b"\xEF\xBB\xBF \r\n=\"\"\r\n=\"\"\r\n", Some(b';')),
    ];
    for (bytes, delimiter) in cases {
        let opts = ReadOptions {
            encoding: tsunagari::ingest::encoding::by_label("utf-8"),
            delimiter,
            ..ReadOptions::default()
        };
        let err = read_bytes(bytes, opts).unwrap_err();
        assert!(matches!(err, ReadError::Blank { .. }), "{bytes:?}: {err:?}");
        // Said in words, with what the file holds.
        assert!(
            err.ja().contains("値の入ったセルが1つもありません"),
            "{}",
            err.ja()
        );
        assert!(!err.ja().contains("中身はだけ"), "{}", err.ja());
        assert!(
            err.en()
                .contains("only cells of only spaces or empty values")
                || err.en().contains("byte-order mark"),
            "{}",
            err.en()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Exact byte forms, chunking past the sniffing window, and the corners of each repair.
// ---------------------------------------------------------------------------------------

use tsunagari::ingest::csv_reader::SNIFF_BYTES;
use tsunagari::ingest::{Confidence, QuoteAt, RowRef};

fn read_with(bytes: &[u8], opts: ReadOptions) -> Loaded {
    read_bytes(bytes, opts).unwrap_or_else(|e| panic!("{e}"))
}

/// Pushes `bytes` into a [`CsvReader`] in pieces of the given sizes (cycled).
fn read_chunked(bytes: &[u8], sizes: &[usize], opts: ReadOptions) -> Result<Loaded, ReadError> {
    let mut reader = CsvReader::new(opts);
    let mut at = 0;
    let mut i = 0;
    while at < bytes.len() {
        let end = (at + sizes[i % sizes.len()]).min(bytes.len());
        reader.push(&bytes[at..end])?;
        at = end;
        i += 1;
    }
    reader.finish()
}

/// Deterministic pseudo-random chunk sizes in `min..=max`.
fn random_sizes(seed: u64, n: usize, min: usize, max: usize) -> Vec<usize> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            min + (s >> 33) as usize % (max - min + 1)
        })
        .collect()
}

/// Reads `bytes` whole, then in chunks of every size from 1 to 17 bytes and in random
/// sizes, and asserts that table, warnings and read info are identical every time.
fn assert_chunking_changes_nothing(what: &str, bytes: &[u8], opts: ReadOptions) -> Loaded {
    assert_chunking_from(1, what, bytes, opts)
}

/// The same with chunks of at least `min` bytes.
fn assert_chunking_from(min: usize, what: &str, bytes: &[u8], opts: ReadOptions) -> Loaded {
    assert_chunkings(min..=17, what, bytes, opts)
}

/// The same with chunks of the given sizes, and random ones from the smallest of them.
fn assert_chunkings(
    sizes: impl IntoIterator<Item = usize>,
    what: &str,
    bytes: &[u8],
    opts: ReadOptions,
) -> Loaded {
    let whole = read_with(bytes, opts.clone());
    let mut plans: Vec<Vec<usize>> = sizes.into_iter().map(|n| vec![n]).collect();
    let min = plans.iter().map(|p| p[0]).min().unwrap_or(1);
    plans.push(random_sizes(bytes.len() as u64, 5000, min, 97));
    plans.push(random_sizes(7, 500, min, 70_000));
    for sizes in plans {
        let label = if sizes.len() == 1 {
            format!("{what} in chunks of {}", sizes[0])
        } else {
            format!("{what} in random chunks (first {:?})", &sizes[..3])
        };
        let chunked =
            read_chunked(bytes, &sizes, opts.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_same(&chunked, &whole, &label);
    }
    whole
}

/// Asserts two reads are identical, reporting the first difference briefly (a table of
/// thousands of rows is useless in an assertion message).
fn assert_same(got: &Loaded, want: &Loaded, label: &str) {
    let (g, w) = (&got.table, &want.table);
    let names =
        |t: &tsunagari::table::Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(g), names(w), "{label}: column names");
    assert_eq!(g.rows, w.rows, "{label}: rows");
    for (c, (gc, wc)) in g.columns.iter().zip(&w.columns).enumerate() {
        for r in 0..w.rows {
            assert_eq!(
                gc.value(r),
                wc.value(r),
                "{label}: row {} column {}",
                r + 1,
                c + 1
            );
        }
    }
    assert_eq!(got.warnings, want.warnings, "{label}: warnings");
    assert_eq!(got.info, want.info, "{label}: info");
    assert!(
        g == w,
        "{label}: same cells but different tables (codes or dictionaries)"
    );
}

fn find<T>(loaded: &Loaded, f: impl Fn(&Warning) -> Option<T>) -> Option<T> {
    loaded.warnings.iter().find_map(f)
}

fn short_rows(loaded: &Loaded) -> Option<(u64, Vec<RowRef>)> {
    find(loaded, |w| match w {
        Warning::ShortRows {
            count, examples, ..
        } => Some((*count, examples.clone())),
        _ => None,
    })
}

fn long_rows(loaded: &Loaded) -> Option<(u64, Vec<RowRef>, Vec<String>)> {
    find(loaded, |w| match w {
        Warning::LongRows {
            count,
            examples,
            added_columns,
            ..
        } => Some((*count, examples.clone(), added_columns.clone())),
        _ => None,
    })
}

fn undecodable(loaded: &Loaded) -> Option<(u64, Vec<u64>)> {
    find(loaded, |w| match w {
        Warning::UndecodableBytes {
            count,
            first_offsets,
            ..
        } => Some((*count, first_offsets.clone())),
        _ => None,
    })
}

fn forced(encoding: &'static Encoding) -> ReadOptions {
    ReadOptions {
        encoding: Some(encoding),
        ..ReadOptions::default()
    }
}

#[test]
fn cp932_as_windows_writes_it_is_detected_and_decoded() {
    // encoding_rs writes what Excel writes: ～ 0x8160, 髙 as the IBM extension 0xFBFC,
    // ① 0x8740 and ㈱ 0x878A (NEC specials).
    assert_eq!(
        encode(SHIFT_JIS, "～髙①㈱"),
        [0x81, 0x60, 0xFB, 0xFC, 0x87, 0x40, 0x87, 0x8A]
    );
    // 回答,地区 / ～,髙(IBM) / ①,髙(NEC-selected 0xEEE0) / ㈱,20～29歳 — hand-written bytes.
    let mut bytes = encode(SHIFT_JIS, "回答,地区\r\n");
    bytes.extend_from_slice(&[0x81, 0x60, b',', 0xFB, 0xFC, b'\r', b'\n']);
    bytes.extend_from_slice(&[0x87, 0x40, b',', 0xEE, 0xE0, b'\r', b'\n']);
    bytes.extend_from_slice(&[0x87, 0x8A, b',']);
    bytes.extend_from_slice(&encode(SHIFT_JIS, "20～29歳\r\n"));
    let want = grid(&[
        &["回答", "地区"],
        &["～", "髙"],
        &["①", "髙"],
        &["㈱", "20～29歳"],
    ]);
    let loaded = read(&bytes);
    assert_eq!(loaded.info.encoding, "CP932 (Shift_JIS)");
    assert_eq!(loaded.info.encoding_label, "Shift_JIS");
    assert_eq!(loaded.info.confidence, Confidence::High);
    assert_eq!(cells(&loaded), want);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    // ～ is U+FF5E FULLWIDTH TILDE (what Windows means by 0x8160), not U+301C WAVE DASH.
    assert_eq!(loaded.table.columns[0].value(0), "\u{FF5E}");
    assert_chunking_changes_nothing("cp932", &bytes, ReadOptions::default());
}

#[test]
fn euc_jp_is_detected_and_decoded() {
    let text = "回答者ID,性別,感想\n001,女性,\"とても良い, また参加したい\"\n002,男性,特になし\n";
    let bytes = encode(EUC_JP, text);
    let loaded = read(&bytes);
    assert_eq!(loaded.info.encoding, "EUC-JP");
    assert_eq!(
        cells(&loaded),
        grid(&[
            &["回答者ID", "性別", "感想"],
            &["001", "女性", "とても良い, また参加したい"],
            &["002", "男性", "特になし"],
        ])
    );
    // EUC-JP bytes (pairs of A1–FE) are very often also valid CP932 (half-width katakana
    // and kanji), so the guess is usually flagged uncertain: allowed, nothing else is.
    assert!(
        loaded
            .warnings
            .iter()
            .all(|w| matches!(w, Warning::UncertainEncoding { .. })),
        "{:?}",
        loaded.warnings
    );
    let forced = read_with(&bytes, forced(EUC_JP));
    assert!(forced.warnings.is_empty());
    assert_eq!(forced.table, loaded.table);
}

#[test]
fn excel_unicode_text_exact_bytes() {
    // Excel's 「Unicode テキスト」: UTF-16LE with BOM FF FE, tab-separated, CRLF, and a
    // cell with a line break, a tab and quotes written as "…""…".
    let text = "番号\t自由記述\r\n1\t\"一行目\n二行目\t\"\"引用\"\"\"\r\n2\t髙①\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(&bytes[..6], &[0xFF, 0xFE, 0x6A, 0x75, 0xF7, 0x53]); // BOM 番 号
    assert!(bytes.windows(4).any(|w| w == [0x0D, 0x00, 0x0A, 0x00]));
    assert!(bytes.windows(2).any(|w| w == [0x09, 0x00]));
    let loaded = assert_chunking_changes_nothing("utf-16le", &bytes, ReadOptions::default());
    assert_eq!(loaded.info.encoding, "UTF-16LE (BOM)");
    assert_eq!(loaded.info.confidence, Confidence::Certain);
    assert_eq!(loaded.info.delimiter.as_deref(), Some("tab"));
    assert_eq!(
        cells(&loaded),
        grid(&[
            &["番号", "自由記述"],
            &["1", "一行目\n二行目\t\"引用\""],
            &["2", "髙①"],
        ])
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    // The same in UTF-16BE, with its BOM FE FF.
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    let loaded_be = assert_chunking_changes_nothing("utf-16be", &be, ReadOptions::default());
    assert_eq!(loaded_be.info.encoding, "UTF-16BE (BOM)");
    assert_eq!(loaded_be.table, loaded.table);
    // Without a BOM, UTF-16 is recognised by its NUL bytes when the text is mostly ASCII;
    // the encoding is then a guess that the reader must call uncertain.
    let text = "id	answer	note
1	yes	髙
2	no	
3	yes	ok
";
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    for (what, no_bom, label) in [("le", le, "UTF-16LE"), ("be", be, "UTF-16BE")] {
        let l = read(&no_bom);
        assert_eq!(l.info.encoding, label, "{what}");
        assert_eq!(l.info.confidence, Confidence::Low, "{what}");
        assert_eq!(
            l.warnings,
            vec![Warning::UncertainEncoding {
                encoding: label.into()
            }]
        );
        assert_eq!(l.table.columns[2].value(0), "髙", "{what}");
        assert_eq!(l.table.rows, 3);
    }
}

#[test]
fn utf8_with_and_without_bom_and_a_bom_is_not_part_of_the_first_name() {
    let text = "性別,年代\r\n女性,20～29歳\r\n";
    let plain = read(text.as_bytes());
    assert_eq!(plain.info.encoding, "UTF-8");
    assert_eq!(plain.info.confidence, Confidence::High);
    let bom = read(&[&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat());
    assert_eq!(bom.info.encoding, "UTF-8 (BOM)");
    assert_eq!(bom.info.confidence, Confidence::Certain);
    assert_eq!(bom.table, plain.table);
    assert_eq!(bom.table.columns[0].name, "性別");
    // ASCII only: UTF-8 is a guess, but every ASCII-compatible reading gives the same
    // text, so nothing is said about it.
    let ascii = read(b"a,b\r\n1,2\r\n");
    assert_eq!(ascii.info.confidence, Confidence::Low);
    assert!(ascii.warnings.is_empty());
}

#[test]
fn quoted_delimiters_quotes_and_newlines_in_every_dialect() {
    for (delim, name) in [(',', "comma"), ('\t', "tab"), (';', "semicolon")] {
        for eol in ["\r\n", "\n", "\r"] {
            let d = delim;
            let text = format!(
                "番号{d}回答{d}備考{eol}\
                 1{d}\"a{d}b\"{d}\"He said \"\"hi\"\"\"{eol}\
                 2{d}\"line1\r\nline2\nline3\rline4\"{d}\"\"{eol}\
                 3{d}\"\"\"\"{d}x{eol}"
            );
            let loaded = read(text.as_bytes());
            let what = format!("{name} {eol:?}");
            assert_eq!(loaded.info.delimiter.as_deref(), Some(name), "{what}");
            assert_eq!(
                cells(&loaded),
                grid(&[
                    &["番号", "回答", "備考"],
                    &["1", &format!("a{d}b"), "He said \"hi\""],
                    &["2", "line1\r\nline2\nline3\rline4", ""],
                    &["3", "\"", "x"],
                ]),
                "{what}"
            );
            assert!(loaded.warnings.is_empty(), "{what}: {:?}", loaded.warnings);
        }
    }
}

#[test]
fn row_and_line_numbers_of_short_and_long_rows() {
    // Line 1 header; line 2 row 1; lines 3–5 row 2 (two quoted line breaks); line 6
    // empty; line 7 row 3 (short); line 8 row 4 (long); line 9 row 5 (short).
    for eol in ["\r\n", "\n"] {
        let text = format!(
            "a,b,c{eol}1,2,3{eol}4,\"x{eol}y{eol}z\",6{eol}{eol}7,8{eol}9,10,11,12{eol}13{eol}"
        );
        let loaded = read(text.as_bytes());
        let (count, short) = short_rows(&loaded).expect("short rows");
        assert_eq!(count, 2, "{eol:?}");
        assert_eq!(
            short,
            vec![
                RowRef {
                    row: 3,
                    line: 7,
                    fields: 2
                },
                RowRef {
                    row: 5,
                    line: 9,
                    fields: 1
                }
            ],
            "{eol:?}"
        );
        let (count, long, added) = long_rows(&loaded).expect("long rows");
        assert_eq!(count, 1);
        assert_eq!(
            long,
            vec![RowRef {
                row: 4,
                line: 8,
                fields: 4
            }],
            "{eol:?}"
        );
        assert_eq!(added, vec!["列4"]);
        assert!(loaded
            .warnings
            .contains(&Warning::EmptyLinesSkipped { count: 1 }));
        // Long rows are kept whole: the extra value is in a new column, others blank.
        let t = &loaded.table;
        assert_eq!(t.rows, 5);
        assert_eq!(t.columns[3].value(3), "12");
        assert_eq!(t.columns[2].value(4), "");
        assert_eq!(t.columns[1].value(1), format!("x{eol}y{eol}z"));
        assert_chunking_changes_nothing("line numbers", text.as_bytes(), ReadOptions::default());
    }
    // Blank lines before the header move every line number down.
    let loaded = read(b"\n\na,b\n1\n");
    let (_, short) = short_rows(&loaded).unwrap();
    assert_eq!((short[0].row, short[0].line), (1, 4));
    // CR-only files (old Mac Excel): each CR ends a line too.
    let loaded = read(b"a,b\r1,2\r3\r");
    let (_, short) = short_rows(&loaded).unwrap();
    assert_eq!((short[0].row, short[0].line), (2, 3));
}

#[test]
fn row_examples_stop_at_twenty_but_the_count_is_exact() {
    let mut text = String::from("a,b\n");
    for i in 0..25 {
        text.push_str(&format!("{i}\n{i},{i},{i}\n"));
    }
    let loaded = read(text.as_bytes());
    let (count, short) = short_rows(&loaded).unwrap();
    assert_eq!(count, 25);
    assert_eq!(short.len(), 20);
    assert_eq!(
        short[19],
        RowRef {
            row: 39,
            line: 40,
            fields: 1
        }
    );
    let (count, long, _) = long_rows(&loaded).unwrap();
    assert_eq!(count, 25);
    assert_eq!(long.len(), 20);
    assert_eq!((long[0].row, long[0].line, long[0].fields), (2, 3, 3));
    assert_eq!(loaded.table.rows, 50);
}

#[test]
fn header_names_are_trimmed_and_blank_and_duplicate_ones_renamed() {
    // Column 2 is spaces only, column 5 an ideographic space, column 3 repeats column 1
    // after trimming, column 4 is empty.
    let loaded = read(" 性別 ,  ,性別,,\u{3000},年代\n男性,1,2,3,4,20代\n".as_bytes());
    assert_eq!(
        cells(&loaded)[0],
        vec!["性別", "列2", "性別_2", "列4", "列5", "年代"]
    );
    assert!(loaded.warnings.contains(&Warning::BlankHeaders {
        columns: vec![2, 4, 5],
        names: vec!["列2".into(), "列4".into(), "列5".into()],
    }));
    assert!(loaded.warnings.contains(&Warning::DuplicateHeaders {
        renamed: vec![("性別".into(), "性別_2".into())],
    }));
    // Values are never trimmed.
    let loaded = read("a,b\n 1 ,\u{3000}2\n".as_bytes());
    assert_eq!(loaded.table.columns[0].value(0), " 1 ");
    assert_eq!(loaded.table.columns[1].value(0), "\u{3000}2");
    // Three of a kind, and a name that already looks like a renamed one.
    let loaded = read(b"q,q,q,q_2\n1,2,3,4\n");
    assert_eq!(cells(&loaded)[0], vec!["q", "q_3", "q_4", "q_2"]);
    assert!(loaded.warnings.contains(&Warning::DuplicateHeaders {
        renamed: vec![("q".into(), "q_3".into()), ("q".into(), "q_4".into())],
    }));
}

#[test]
fn trailing_blank_rows_and_empty_columns_but_not_named_ones() {
    // Column c has a header and no values: it stays. Columns 4 and 5 have neither.
    let text = "a,b,c,,\r\n1,,,,\r\n,,,,\r\n2,x,,,\r\n,,,,\r\n\"\",,,,\r\n";
    let loaded = read(text.as_bytes());
    assert_eq!(
        cells(&loaded),
        grid(&[
            &["a", "b", "c"],
            &["1", "", ""],
            &["", "", ""],
            &["2", "x", ""]
        ])
    );
    assert_eq!(
        loaded.warnings,
        vec![
            Warning::TrailingBlankRowsDropped { count: 2 },
            Warning::BlankRowsKept {
                count: 1,
                examples: vec![2]
            },
            Warning::EmptyColumnsDropped {
                columns: vec![4, 5]
            },
        ]
    );
    assert_chunking_changes_nothing("trailing", text.as_bytes(), ReadOptions::default());
}

#[test]
fn header_only_and_empty_files() {
    for bytes in [
        &b"a,b"[..],
        b"a,b\r\n",
        b"a,b\n\n\n",
        b"a,b\r\n,\r\n,\r\n",
        b"\xEF\xBB\xBFa,b\r\n",
    ] {
        assert_eq!(
            read_bytes(bytes, ReadOptions::default()).unwrap_err(),
            ReadError::HeaderOnly { columns: 2 },
            "{bytes:?}"
        );
    }
    assert_eq!(
        read_bytes(b"", ReadOptions::default()).unwrap_err(),
        ReadError::Empty
    );
    // Issue 14 item 11: bytes with nothing in them are not “0 bytes”: the message says
    // what the file holds.
    for (bytes, ja, en) in [
        (&b"\r\n\r\n"[..], "4 バイト", "4 bytes"),
        (b"\n", "空の行 1 行", "1 empty line"),
        (
            b",,,\r\n,,\r\n",
            "区切り文字（,）だけの行 2 行",
            "2 lines of only delimiters (,)",
        ),
        (b"\xEF\xBB\xBF", "BOM", "byte-order mark"),
        (b"\xEF\xBB\xBF\r\n\r\n\r\n", "空の行 3 行", "3 empty lines"),
    ] {
        let e = read_bytes(bytes, ReadOptions::default()).unwrap_err();
        assert!(
            !matches!(e, ReadError::Empty) && !e.ja().contains("0 バイト"),
            "{bytes:?}: {e:?}"
        );
        assert!(e.ja().contains(ja), "{bytes:?}: {}", e.ja());
        assert!(e.en().contains(en), "{bytes:?}: {}", e.en());
        assert!(e.ja().contains("回答がありません"), "{}", e.ja());
    }
    // An empty push and then nothing is an empty file too.
    let mut reader = CsvReader::new(ReadOptions::default());
    reader.push(&[]).unwrap();
    assert_eq!(reader.finish().unwrap_err(), ReadError::Empty);
}

#[test]
fn renamed_binaries_are_refused_whole_and_in_chunks() {
    // The first bytes as each format writes them, then enough filler to pass the
    // sniffing window, so the error comes from `push` as well as from `finish`.
    let samples: [(&[u8], &str); 7] = [
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
            "ZIP",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            "PNG",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
            "PDF",
        ),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00", "OLE"),
        (b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03", "gzip"),
        (b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", "JPEG"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07\x08", "binary"),
    ];
    for (magic, format) in samples {
        // Past the window only for two kinds (detection on 256 KiB is slow in debug).
        let fillers: &[usize] = if matches!(format, "ZIP" | "binary") {
            &[0, SNIFF_BYTES + 10]
        } else {
            &[0]
        };
        for &filler in fillers {
            let mut bytes = magic.to_vec();
            bytes.extend((0..filler).map(|i| (i * 7 % 251) as u8));
            let whole = read_bytes(&bytes, ReadOptions::default());
            match &whole {
                Err(ReadError::Binary { format: f }) => assert!(f.contains(format), "{f}"),
                other => panic!("{format}: {:?}", other.as_ref().map(|l| &l.info)),
            }
            let chunked = read_chunked(&bytes, &[4096], ReadOptions::default());
            assert_eq!(chunked.unwrap_err(), whole.unwrap_err());
        }
    }
}

#[test]
fn an_unclosed_quote_stops_at_the_field_limit_with_its_place() {
    // Rows 1 and 2 are fine; row 3 opens a quote in column 2 that is never closed, and
    // the rest of a 10 MB file runs into it.
    let mut bytes = "id,感想,年代\r\n1,良い,20代\r\n2,\"普通\",30代\r\n3,\"閉じ忘れ\r\n"
        .as_bytes()
        .to_vec();
    while bytes.len() < 10_000_000 {
        bytes.extend_from_slice("4,続きの行,40代\r\n".as_bytes());
    }
    let want = ReadError::FieldTooLarge {
        row: 3,
        column: 2,
        limit: 1_000_000,
    };
    assert_eq!(
        read_bytes(&bytes, ReadOptions::default()).unwrap_err(),
        want
    );
    for size in [4096, 1 << 20, 2 << 20] {
        assert_eq!(
            read_chunked(&bytes, &[size], ReadOptions::default()).unwrap_err(),
            want,
            "chunks of {size}"
        );
    }
    // One 10 MB field of nothing but text, in column 1.
    let mut bytes = b"a,b\n1,2\n\"".to_vec();
    bytes.resize(10_000_000, b'x');
    assert_eq!(
        read_bytes(&bytes, ReadOptions::default()).unwrap_err(),
        ReadError::FieldTooLarge {
            row: 2,
            column: 1,
            limit: 1_000_000
        }
    );
    // A field just under the limit is a value.
    let mut bytes = b"a,b\n1,\"".to_vec();
    bytes.extend(std::iter::repeat_n(b'y', 999_999));
    bytes.extend_from_slice(b"\"\n");
    let loaded = read(&bytes);
    assert_eq!(loaded.table.columns[1].value(0).len(), 999_999);
}

#[test]
fn undecodable_bytes_are_counted_with_their_offsets() {
    // Hand-made CP932 with three bytes that are not CP932: FD at 5, a lead byte 81
    // followed by 7F (not a trail byte) at 10, A0 at 13.
    let bytes = b"a,b\r\n\xFD,x\r\n\x81\x7F,\xA0\r\n";
    let opts = forced(SHIFT_JIS);
    let loaded = assert_chunking_changes_nothing("bad cp932", bytes, opts);
    assert_eq!(undecodable(&loaded), Some((3, vec![5, 10, 13])));
    assert_eq!(loaded.table.columns[0].value(0), "\u{FFFD}");
    assert_eq!(loaded.table.columns[1].value(1), "\u{FFFD}");

    // A UTF-8 file read as CP932 (the user forced the wrong encoding). 髙 is E9 AB 99 at
    // bytes 4–6: E9 AB is a (wrong) kanji in CP932, and 99 is a lead byte followed by ","
    // (not a trail byte) — the first bad byte is at offset 6.
    let loaded = read_with("a,b\n髙,x\n".as_bytes(), forced(SHIFT_JIS));
    assert_eq!(undecodable(&loaded), Some((1, vec![6])));
    // Offsets count from the start of the file, BOM included, and only five are kept.
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"a,b\n");
    for _ in 0..7 {
        bytes.extend_from_slice(b"\xFF,1\n");
    }
    let loaded = assert_chunking_changes_nothing("bad utf-8", &bytes, ReadOptions::default());
    assert_eq!(loaded.info.encoding, "UTF-8 (BOM)");
    assert_eq!(undecodable(&loaded), Some((7, vec![7, 11, 15, 19, 23])));
    // A CP932 file cut in the middle of a character: the lone lead byte at the end.
    let mut bytes = encode(SHIFT_JIS, "a,b\r\n髙,x");
    bytes.push(0x88);
    let loaded = read_with(&bytes, forced(SHIFT_JIS));
    assert_eq!(
        undecodable(&loaded),
        Some((1, vec![bytes.len() as u64 - 1]))
    );
    // UTF-16LE with an odd number of bytes.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("a,b\r\n1,2".encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.push(b'3');
    let loaded = read(&bytes);
    assert_eq!(
        undecodable(&loaded),
        Some((1, vec![bytes.len() as u64 - 1]))
    );
}

/// A file larger than the sniffing window, so most of it goes through the streaming
/// path: quoted fields with line breaks and doubled quotes, ragged rows, blank rows,
/// empty lines, a line ended by a lone CR, a quote inside an unquoted cell and multibyte
/// characters all land on chunk boundaries somewhere; the plain rows between them take
/// the parser's fast path (`plain_lines`), the others csv-core's, in turns that depend
/// on the chunking. Rows end with `eol`. Rows are encoded one by one until the file is
/// `SNIFF_BYTES + 64 KiB` long in that encoding.
fn big_survey(encoding: &'static Encoding, eol: &str) -> (Vec<u8>, usize) {
    let enc = |text: &str| -> Vec<u8> {
        if encoding == UTF_16LE {
            text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
        } else {
            encode(encoding, text)
        }
    };
    let mut bytes = if encoding == UTF_16LE {
        vec![0xFF, 0xFE]
    } else {
        Vec::new()
    };
    bytes.extend(enc(&format!("回答者ID,居住地区,自由記述,年代{eol}")));
    let mut i = 0;
    let mut rows = 0;
    while bytes.len() < SNIFF_BYTES + 64 * 1024 {
        i += 1;
        // Line 3 of every 11 is empty: not a row.
        rows += usize::from(i % 11 != 3);
        let row = match i % 11 {
            0 => format!("{i:05},髙島町{eol}"),
            1 => {
                format!(
                    "{i:05},中央,\"①「居場所」\"\"が\"\"ほしい\r\n～改行～\",20～29歳,余分{eol}"
                )
            }
            2 => format!(",,,{eol}"),
            3 => eol.to_string(),
            4 => format!("{i:05},=\"00{i}\",\"a,b;c\tb\",㈱{eol}"),
            6 => format!("{i:05},西町,ふつう,40代\r"),
            7 => format!("{i:05},南町,半角の\"引用符\"入り,50代{eol}"),
            _ => format!("{i:05},東町,とても良い,30代{eol}"),
        };
        bytes.extend(enc(&row));
    }
    // The last row, then a blank row that is dropped.
    bytes.extend(enc(&format!("99999,最後,の,行{eol},,,{eol}")));
    (bytes, rows + 1)
}

#[test]
fn chunk_boundaries_past_the_sniffing_window_change_nothing() {
    for (encoding, eol) in [
        (UTF_8, "\r\n"),
        (UTF_8, "\n"),
        (SHIFT_JIS, "\r\n"),
        (SHIFT_JIS, "\n"),
        (EUC_JP, "\r\n"),
        (UTF_16LE, "\r\n"),
    ] {
        let what = format!("{} {eol:?}", encoding.name());
        let what = what.as_str();
        let (bytes, rows) = big_survey(encoding, eol);
        // Every chunk size with the encoding given (detection on 256 KiB is slow in a
        // debug build). UTF-8 and CP932 in every size up to 17 (1 byte at a time and
        // sizes that split a double-byte character, a CRLF or a quoted cell holding a
        // line break; 1–3 with CRLF in
        // `regression_a_push_that_decodes_to_nothing_splits_the_row`), and pieces larger
        // than the parser's buffers; the others in a few.
        let first = if eol == "\n" { 1 } else { 4 };
        let sizes = if encoding == UTF_8 || encoding == SHIFT_JIS {
            (first..=17).chain([65_537, 1 << 20]).collect()
        } else {
            vec![4, 5, 6, 7, 17]
        };
        let loaded = assert_chunkings(sizes, what, &bytes, forced(encoding));
        // Detected, in a few chunkings.
        let detected = read(&bytes);
        assert_eq!(detected.info.encoding_label, encoding.name());
        assert_eq!(detected.table, loaded.table, "{what}");
        for sizes in [vec![5], vec![4096], random_sizes(3, 1000, 4, 3000)] {
            let chunked = read_chunked(&bytes, &sizes, ReadOptions::default()).unwrap();
            assert_same(
                &chunked,
                &detected,
                &format!("{what} detected, chunks {:?}", &sizes[..1]),
            );
        }
        assert!(
            find(&loaded, |w| match w {
                Warning::UndecodableBytes { .. } => Some(()),
                _ => None,
            })
            .is_none(),
            "{what}"
        );
        let t = &loaded.table;
        let last = t.rows - 1;
        assert_eq!(t.columns[0].value(last), "99999", "{what}");
        assert_eq!(t.columns[3].value(last), "行", "{what}");
        assert_eq!(
            t.columns[2].value(0),
            "①「居場所」\"が\"ほしい\r\n～改行～",
            "{what}"
        );
        assert_eq!(t.columns[4].value(0), "余分", "{what}");
        assert_eq!(t.columns[1].value(2), "004", "{what}: =\"004\" unwrapped");
        assert_eq!(t.columns[2].value(5), "半角の\"引用符\"入り", "{what}");
        assert_eq!(t.rows, rows, "{what}");
        assert!(loaded
            .warnings
            .contains(&Warning::TrailingBlankRowsDropped { count: 1 }));
        // Every line counted: the short rows' line numbers include the empty lines.
        let (_, examples) = short_rows(&loaded).expect("short rows reported");
        // The first is i = 11: data row 10 (i = 3 is an empty line), on line 13 (the
        // header, two lines for i = 1, one each for i = 2 … 10, the empty one included).
        assert_eq!((examples[0].row, examples[0].line), (10, 13), "{what}");
    }
}

/// Free-text answers holding line breaks, as Excel writes them (a bare LF inside a quoted
/// cell): past the sniffing window, read whole they take the parser's multi-line path
/// (`quoted_lines`), read a byte at a time csv-core's; table, warnings (line numbers,
/// runaway quotes, short and long rows) and info must be the same. Also a CRLF inside
/// quotes, doubled quotes in a multi-line cell, a stray quote in an unquoted cell before
/// many plain lines, a cell of more lines than the multi-line path takes, whole rows
/// swallowed by a quote (a runaway), and blank and empty lines between.
#[test]
fn line_breaks_inside_quoted_cells_read_as_csv_core_reads_them() {
    for eol in ["\r\n", "\n"] {
        let mut s = String::from("id,area,memo,age,note,score");
        s.push_str(eol);
        let mut i = 0u64;
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        while s.len() < SNIFF_BYTES + 96 * 1024 {
            i += 1;
            let row = match next(24) {
                0 => format!("{i},北町,\"一行目\n二行目\",3,,5"),
                1 => format!("{i},南町,\"言った\"\"よ\"\"\n次の行\n三行目\",4,\"x\ny\",2"),
                2 => format!("\"{i}\n\",東町,,5,\"末尾\n\"\"\",1"),
                3 => format!("{i},西町,\"CRLF\r\nの中\",2,,3"),
                4 => format!("{i},中町,半角\"の引用符,1,,2"),
                5 => format!("{i},北町,\"\n\",1,\"\",1"),
                6 => format!("{i},短い,\"a\nb\""),
                7 => format!("{i},長い,\"a\nb\",1,2,3,4,5"),
                8 => {
                    // A quote left open that swallows three rows, closed on the fourth.
                    let mut r = format!("{i},走る,\"開いたまま");
                    for k in 0..3 {
                        r.push_str(&format!("\n{i}{k},北町,ふつう,30,,4"));
                    }
                    r.push_str("\n閉じる\",2,,1");
                    r
                }
                13 => {
                    // The same after a cell of two lines: the runaway's line is one later.
                    let mut r = format!("{i},\"北\n町\",\"開いたまま");
                    for k in 0..3 {
                        r.push_str(&format!("\n{i}{k},北町,ふつう,30,,4"));
                    }
                    r.push_str("\n閉じる\",2,,1");
                    r
                }
                9 => {
                    let lines: Vec<String> = (0..40).map(|k| format!("行{k}")).collect();
                    format!("{i},長文,\"{}\",3,,3", lines.join("\n"))
                }
                10 => String::new(),
                11 => ",,,,,".to_string(),
                12 => format!("{i},東町,\"a,b\nc\",4,\"改行\n\n二つ\",5"),
                _ => format!("{i},西町,とても良い,{},,{}", 20 + next(60), next(6)),
            };
            s.push_str(&row);
            s.push_str(eol);
        }
        s.push_str(&format!("99999,最後,\"の\n行\",9,,9{eol}"));
        let what = format!("eol {eol:?}");
        let loaded = assert_chunkings(
            [1, 2, 3, 5, 8, 13, 65_537],
            &what,
            s.as_bytes(),
            forced(UTF_8),
        );
        let t = &loaded.table;
        let last = t.rows - 1;
        assert_eq!(t.columns[2].value(last), "の\n行", "{what}");
        assert_eq!(t.columns[0].value(last), "99999", "{what}");
        // The runaway quote is said, with its line.
        let runaway = find(&loaded, |w| match w {
            Warning::RunawayQuote { line, column, .. } => Some((*line, *column)),
            _ => None,
        });
        assert!(matches!(runaway, Some((_, 3))), "{what}: {runaway:?}");
        assert!(
            short_rows(&loaded).is_some() && long_rows(&loaded).is_some(),
            "{what}"
        );
    }
}

#[test]
fn bad_bytes_past_the_sniffing_window_are_placed_right_in_any_chunking() {
    let (mut bytes, _) = big_survey(SHIFT_JIS, "\r\n");
    // Break two rows well past the window, each in the last digit of its ID (ASCII,
    // followed by a comma): a lead byte 81 with "," after it (not a trail byte), and FD
    // (never valid). And end the file with a lone lead byte.
    let row_start =
        |from: usize| from + bytes[from..].windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    let mut first = row_start(SNIFF_BYTES + 1000);
    while !bytes[first].is_ascii_digit() {
        first = row_start(first);
    }
    let mut second = row_start(first + 5000);
    while !bytes[second].is_ascii_digit() {
        second = row_start(second);
    }
    let (first, second) = (first + 4, second + 4);
    assert_eq!((bytes[first + 1], bytes[second + 1]), (b',', b','));
    bytes[first] = 0x81;
    bytes[second] = 0xFD;
    bytes.push(0x88);
    // Chunks of 1–3 bytes: see `regression_a_push_that_decodes_to_nothing_splits_the_row`.
    let loaded = assert_chunking_from(4, "cp932 with bad bytes", &bytes, forced(SHIFT_JIS));
    assert_eq!(
        undecodable(&loaded),
        Some((3, vec![first as u64, second as u64, bytes.len() as u64 - 1]))
    );
}

#[test]
fn a_google_forms_export_reads_every_cell() {
    // Google Forms → 「回答をダウンロード (.csv)」: UTF-8 without BOM, the timestamp first,
    // checkbox answers joined by ", " inside quotes, unanswered questions empty.
    let text = "\"タイムスタンプ\",\"性別\",\"年代\",\"参加している活動（複数回答可）\",\"ご意見\"\r\n\
\"2024/12/01 9:30:00 午前 GMT+9\",\"女性\",\"20～29歳\",\"ボランティア活動, 自治会・町内会などの地域活動, その他\",\"\"\r\n\
\"2024/12/01 9:31:12 午前 GMT+9\",\"男性\",\"80歳以上\",\"特に参加はしていない\",\"「髙島町」の集会所が遠い, 困っています\"\r\n\
\"2024/12/01 10:02:45 午前 GMT+9\",\"回答しない\",\"\",\"\",\"\"\r\n";
    for bytes in [
        text.as_bytes().to_vec(),
        text.replace("\r\n", "\n").into_bytes(),
    ] {
        let loaded =
            assert_chunking_changes_nothing("google forms", &bytes, ReadOptions::default());
        assert_eq!(loaded.info.encoding, "UTF-8");
        assert_eq!(loaded.info.delimiter.as_deref(), Some("comma"));
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(
            cells(&loaded),
            grid(&[
                &[
                    "タイムスタンプ",
                    "性別",
                    "年代",
                    "参加している活動（複数回答可）",
                    "ご意見"
                ],
                &[
                    "2024/12/01 9:30:00 午前 GMT+9",
                    "女性",
                    "20～29歳",
                    "ボランティア活動, 自治会・町内会などの地域活動, その他",
                    ""
                ],
                &[
                    "2024/12/01 9:31:12 午前 GMT+9",
                    "男性",
                    "80歳以上",
                    "特に参加はしていない",
                    "「髙島町」の集会所が遠い, 困っています"
                ],
                &["2024/12/01 10:02:45 午前 GMT+9", "回答しない", "", "", ""],
            ])
        );
    }
}

#[test]
fn a_microsoft_forms_export_reads_every_cell() {
    // Microsoft Forms → Excel → 「CSV UTF-8」: BOM, CRLF, the fixed columns first, multiple
    // choices joined by ";" with one after the last, quotes only where needed.
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "ID,開始時刻,完了時刻,メール,名前,参加している活動,満足度,ご意見\r\n\
1,2024/12/1 9:30:05,2024/12/1 9:32:40,anonymous,,ボランティア活動;自治会・町内会などの地域活動;,4,\r\n\
2,2024/12/1 9:31:00,2024/12/1 9:35:10,anonymous,,その他;,5,\"良い, とても\"\r\n\
3,2024/12/1 9:40:00,2024/12/1 9:41:30,anonymous,,,,\r\n"
            .as_bytes(),
    );
    let loaded = assert_chunking_changes_nothing("microsoft forms", &bytes, ReadOptions::default());
    assert_eq!(loaded.info.encoding, "UTF-8 (BOM)");
    assert_eq!(loaded.info.delimiter.as_deref(), Some("comma"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let t = &loaded.table;
    assert_eq!(t.rows, 3);
    assert_eq!(t.columns[0].name, "ID");
    assert_eq!(
        t.columns[5].value(0),
        "ボランティア活動;自治会・町内会などの地域活動;"
    );
    assert_eq!(t.columns[5].value(1), "その他;");
    assert_eq!(t.columns[5].value(2), "");
    assert_eq!(t.columns[6].value(1), "5");
    assert_eq!(t.columns[7].value(1), "良い, とても");
    assert_eq!(t.columns[4].name, "名前");
    assert_eq!(t.columns[4].value(0), "");
}

#[test]
fn truncated_utf8_sequences_past_the_sniffing_window_are_placed_right() {
    // A UTF-8 file with BOM, past the window; then six rows whose value is a cut
    // character: E9 AB (2 of 3 bytes), F0 9F 98 (3 of 4), C3 (1 of 2).
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("id,値\r\n".as_bytes());
    let mut i = 0;
    while bytes.len() < SNIFF_BYTES + 2000 {
        bytes.extend_from_slice(format!("{i},髙島町\r\n").as_bytes());
        i += 1;
    }
    let mut offsets = Vec::new();
    for k in 0..6 {
        bytes.extend_from_slice(b"9,");
        offsets.push(bytes.len() as u64);
        bytes.extend_from_slice([&[0xE9, 0xAB][..], &[0xF0, 0x9F, 0x98], &[0xC3]][k % 3]);
        bytes.extend_from_slice(b"\r\n");
    }
    let loaded = assert_chunking_from(4, "cut utf-8", &bytes, ReadOptions::default());
    assert_eq!(undecodable(&loaded), Some((12, offsets[..5].to_vec())));
    let t = &loaded.table;
    assert_eq!(t.columns[1].value(t.rows - 1), "\u{FFFD}");
}

// =======================================================================================
// Regressions: reader bugs these tests and the fuzzers found (fixed in 75f67aa). Each
// comment says what went wrong.
// =======================================================================================

/// Was: past the sniffing window, a push whose bytes decode to no character at all (an
/// empty push; 1–2 bytes inside a UTF-8 character; a CP932 lead byte; one byte of a
/// UTF-16 unit) handed csv-core an empty input, which csv-core takes as the end of the
/// data: the row being read was cut in two.
#[test]
fn regression_a_push_that_decodes_to_nothing_splits_the_row() {
    let mut text = String::from("a,b\n");
    while text.len() < SNIFF_BYTES {
        text.push_str("1,2\n");
    }
    text.push_str("x,髙\n");
    let bytes = text.as_bytes();
    let n = bytes.len();
    let whole = read(bytes);
    // An empty push between "x" and ",髙\n".
    let mut reader = CsvReader::new(ReadOptions::default());
    reader.push(&bytes[..n - 5]).unwrap();
    reader.push(&[]).unwrap();
    reader.push(&bytes[n - 5..]).unwrap();
    assert_same(&reader.finish().unwrap(), &whole, "empty push");
    // The middle byte of 髙 alone.
    let mut reader = CsvReader::new(ReadOptions::default());
    reader.push(&bytes[..n - 3]).unwrap();
    reader.push(&bytes[n - 3..n - 2]).unwrap();
    reader.push(&bytes[n - 2..]).unwrap();
    assert_same(&reader.finish().unwrap(), &whole, "one byte of a character");
    // Found by `cargo fuzz run read_csv_stream` (input 40 78 2c 78 2c 2c 78 0a 31 2c 32
    // 2c 33 2c 34 0a): a UTF-16LE file past the window with an odd number of bytes, whose
    // last push is the lone last byte: 3390 rows instead of 3391.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("a,b\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    while bytes.len() <= SNIFF_BYTES {
        bytes.extend("1,2\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()));
    }
    bytes.extend_from_slice(b"x,x,,x\n1,2,3,4\n");
    let whole = read(&bytes);
    let mut reader = CsvReader::new(ReadOptions::default());
    reader.push(&bytes[..bytes.len() - 1]).unwrap();
    reader.push(&bytes[bytes.len() - 1..]).unwrap();
    assert_same(&reader.finish().unwrap(), &whole, "odd last byte of UTF-16");
    // And the big survey in chunks of 1, 2 and 3 bytes, in every encoding.
    for encoding in [UTF_8, SHIFT_JIS, EUC_JP, UTF_16LE] {
        let (bytes, _) = big_survey(encoding, "\r\n");
        assert_chunkings([1, 2, 3], encoding.name(), &bytes, forced(encoding));
    }
}

/// Was: `read_bytes` (and any first push of 256 KiB or more) guessed the encoding from
/// everything it was given, while smaller pushes had it guessed from the first 256 KiB
/// (rounded up to the chunk size). A file whose first 256 KiB are ASCII and whose
/// Japanese comes later read as CP932 whole and as UTF-8 with 6 undecodable bytes in
/// 64 KiB chunks: the CLI and the page could disagree on the same file.
#[test]
fn regression_the_encoding_guess_depends_on_the_chunking() {
    let mut text = String::from("id,answer\r\n");
    let mut i = 0;
    while text.len() < 300_000 {
        text.push_str(&format!("{i},yes\r\n"));
        i += 1;
    }
    text.push_str("99999,髙島町\r\n");
    let bytes = encode(SHIFT_JIS, &text);
    let whole = read(&bytes);
    for size in [65_536, 100_000, SNIFF_BYTES] {
        let chunked = read_chunked(&bytes, &[size], ReadOptions::default()).unwrap();
        assert_same(&chunked, &whole, &format!("chunks of {size}"));
    }
}

/// Was: empty lines in a CR-only file (old Mac Excel) were skipped without the
/// `EmptyLinesSkipped` warning that LF and CRLF files get (they were counted by LFs).
#[test]
fn regression_empty_lines_in_a_cr_only_file_are_not_reported() {
    for eol in ["\n", "\r\n", "\r"] {
        let text = format!("a,b{eol}1,2{eol}{eol}{eol}3,4{eol}");
        let loaded = read(text.as_bytes());
        assert_eq!(loaded.table.rows, 2);
        assert_eq!(
            loaded.warnings,
            vec![Warning::EmptyLinesSkipped { count: 2 }],
            "{eol:?}"
        );
    }
}

/// Was: in a CR-only file, RowRef.line was documented as 0 (lines not counted), but one
/// LF inside a quoted answer made every later row report a made-up line: here rows 2 and
/// 3 both said line 2.
#[test]
fn regression_line_numbers_of_a_cr_only_file_with_a_line_feed_in_a_quote() {
    let loaded = read(b"a,b,c\r1,\"x\ny\",3\r4,5\r6,7,8,9\r");
    let (_, short) = short_rows(&loaded).unwrap();
    let (_, long, _) = long_rows(&loaded).unwrap();
    assert_eq!((short[0].row, long[0].row), (2, 3));
    // Either unknown (0), or two different lines.
    assert!(
        short[0].line == 0 && long[0].line == 0 || short[0].line != long[0].line,
        "row 2 on line {}, row 3 on line {}",
        short[0].line,
        long[0].line
    );
}

/// Was: a blank header got the name 列N even when another column was already called 列N;
/// the duplicate was then renamed 列N_2, but the BlankHeaders warning still told the user
/// the column is called 列N (the other column's name).
#[test]
fn regression_the_blank_header_warning_names_the_column_as_it_ends_up() {
    let loaded = read("列2,\n1,2\n".as_bytes());
    let names = cells(&loaded)[0].clone();
    let (columns, generated) = find(&loaded, |w| match w {
        Warning::BlankHeaders { columns, names } => Some((columns.clone(), names.clone())),
        _ => None,
    })
    .expect("blank header reported");
    assert_eq!(
        columns.len(),
        generated.len(),
        "blank-header columns against their reported names"
    );
    for (c, name) in columns.iter().zip(&generated) {
        assert_eq!(&names[c - 1], name, "column {c}");
    }
}

// ---------------------------------------------------------------------------------------
// Issue 14, item 1: a stray quote at the start of a free-text cell.
// ---------------------------------------------------------------------------------------

const STRAY_ROWS: usize = 1200;
const STRAY_ROW: usize = 101;

/// Answers of several lines, as Excel writes Alt+Enter (LF inside the cell; one with
/// CRLF), some with ASCII commas and doubled quotes, one line shaped like a 6-field row.
const MULTILINE: [&str; 6] = [
    "駐車場が少ない。\n夜道が暗い。\nバスの本数を増やしてほしい。",
    "1. 公民館の予約が取りにくい, 平日しか使えない\n2. 「いきいき\"サロン\"」に参加したい\n3. 子ども食堂, 学習支援\n4. 見守り\n5. 特になし",
    "りんご,みかん,ぶどう,もも,なし,かき\nのような直売所がほしい。\n\n以上です。",
    "一人暮らしで、\r\n話し相手がいない。\r\n電話でもいいので\r\n声をかけてほしい。",
    "A, B\nC, D\nE, F\nG, H\nI, J\nK, L\nM, N\nO, P\nQ, R\nS, T",
    "\"困りごと\"\n- 買い物\n- 通院\n- ゴミ出し\n- 雪かき\n- 電球の交換\n- 草取り",
];

/// A survey as Excel on Japanese Windows saves it (CRLF, no BOM, a cell quoted only when
/// it holds a comma, quote or line break): ID, 性別, 年代, 問1, 居住地区 and a free-text
/// ご意見, in the middle (column 5 of 6) or last. Every `multiline`-th row answers in
/// several lines (quoted, legitimately). Row `stray`'s ご意見 is written raw with a stray
/// `"` in front. Returns the text and the rows as the respondents gave them (the header
/// first; the stray row's answer with its quote as a character).
fn survey_file(
    rows: usize,
    free_text_last: bool,
    stray: Option<usize>,
    multiline: Option<usize>,
) -> (String, Vec<Vec<String>>) {
    const SEX: [&str; 3] = ["女性", "男性", "回答しない"];
    const AGE: [&str; 6] = ["18～29歳", "30代", "40代", "50代", "60代", "70歳以上"];
    const AREA: [&str; 4] = ["髙島町", "中央", "東町", "西ヶ丘"];
    const OPINION: [&str; 5] = [
        "",
        "駐車場が少ない",
        "図書館の開館時間を延ばしてほしい。",
        "",
        "地域の行事に参加したいが、きっかけがない",
    ];
    let free = if free_text_last { 5 } else { 4 };
    let mut header = vec!["回答者ID", "性別", "年代", "問1", "居住地区"];
    header.insert(free, "ご意見");
    let mut table = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut text = format!("{}\r\n", header.join(","));
    for i in 1..=rows {
        let opinion = if stray == Some(i) {
            "\"駐車場が少ない".to_string()
        } else if multiline.is_some_and(|k| i % k == 0) {
            MULTILINE[i / multiline.unwrap() % MULTILINE.len()].to_string()
        } else {
            OPINION[i * 7 % 5].to_string()
        };
        let mut row = vec![
            format!("{i:04}"),
            SEX[(i * i + i / 7) % 3].to_string(),
            AGE[(i * 5 + i / 11) % 6].to_string(),
            ((i * 13 + i / 3) % 5 + 1).to_string(),
            AREA[(i * 3 + i / 5) % 4].to_string(),
        ];
        row.insert(free, opinion);
        let written: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let raw = c == free && stray == Some(i);
                if !raw && v.contains([',', '"', '\r', '\n']) {
                    format!("\"{}\"", v.replace('"', "\"\""))
                } else {
                    v.clone()
                }
            })
            .collect();
        text.push_str(&written.join(","));
        text.push_str("\r\n");
        table.push(row);
    }
    (text, table)
}

/// The 1,200-row survey of issue 14: no quote in the file but row 101's stray one.
fn stray_quote_survey(free_text_last: bool) -> (String, Vec<Vec<String>>) {
    survey_file(STRAY_ROWS, free_text_last, Some(STRAY_ROW), None)
}

/// The four files of the reproduction: UTF-8 and CP932, ご意見 in the middle and last.
fn stray_quote_files() -> Vec<(String, Vec<u8>, Vec<Vec<String>>)> {
    let mut files = Vec::new();
    for last in [false, true] {
        let (text, rows) = stray_quote_survey(last);
        let place = if last { "last column" } else { "middle column" };
        files.push((
            format!("UTF-8, {place}"),
            text.as_bytes().to_vec(),
            rows.clone(),
        ));
        files.push((format!("CP932, {place}"), encode(SHIFT_JIS, &text), rows));
    }
    files
}

/// Was (issue 14): the quote opened a quoted cell that ran to the end of the file: the
/// page said 101 respondents, every table counted 101, and no warning was given.
#[test]
fn issue_14_a_stray_quote_never_drops_respondents_silently() {
    for (what, bytes, _) in stray_quote_files() {
        assert!(
            bytes.len() < ReadOptions::default().max_field_bytes,
            "the rest of the file is shorter than the field limit"
        );
        let loaded = read(&bytes);
        // Either every respondent is there, or a warning says that a quote in row 101
        // took the rest (a short row 101 alone does not tell the user why).
        let said = loaded.warnings.iter().any(|w| {
            let en = w.en();
            en.to_lowercase().contains("quote") && en.contains(&STRAY_ROW.to_string())
        });
        assert!(
            loaded.table.rows == STRAY_ROWS || said,
            "{what}: {} of {STRAY_ROWS} rows read and no warning about the quote: {:?}",
            loaded.table.rows,
            loaded.warnings
        );
    }
}

fn runaway(loaded: &Loaded) -> Vec<Warning> {
    loaded
        .warnings
        .iter()
        .filter(|w| matches!(w, Warning::RunawayQuote { .. }))
        .cloned()
        .collect()
}

fn literal(row: usize, column: usize) -> ReadOptions {
    ReadOptions {
        literal_quotes: vec![QuoteAt {
            row: row as u64,
            column,
        }],
        ..ReadOptions::default()
    }
}

/// Every cell of the table against the rows the respondents gave (header first).
fn assert_table_is(loaded: &Loaded, want: &[Vec<String>], what: &str) {
    let got = cells(loaded);
    assert_eq!(got.len(), want.len(), "{what}: rows");
    for (r, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{what}: data row {r}");
    }
}

/// Answers per value of column `c` as the reader's dictionary counts them, against the
/// same counted here from the rows the respondents gave.
fn assert_counts(loaded: &Loaded, want: &[Vec<String>], c: usize, what: &str) {
    let column = &loaded.table.columns[c];
    let got: std::collections::BTreeMap<String, u64> = column
        .values
        .iter()
        .zip(column.code_counts().iter().copied())
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    let mut expected = std::collections::BTreeMap::new();
    for row in &want[1..] {
        *expected.entry(row[c].clone()).or_insert(0u64) += 1;
    }
    assert_eq!(got, expected, "{what}: counts of {}", want[0][c]);
    assert_eq!(got.values().sum::<u64>(), STRAY_ROWS as u64, "{what}");
}

/// The warning says what happened and where: data row 101, file line 102 (the header is
/// line 1), the column of ご意見 and its name; the 1,099 rows after it, all shaped like
/// rows; open to the end of the file. Said first, in both languages, with the repair.
#[test]
fn issue_14_the_runaway_quote_is_reported_with_its_row_line_and_column() {
    for (what, bytes, rows) in stray_quote_files() {
        let column = rows[0].iter().position(|n| n == "ご意見").unwrap() + 1;
        let loaded = assert_chunking_changes_nothing(&what, &bytes, ReadOptions::default());
        // Unrepaired, the table is still what the quote made of the file: row 101 is the
        // last one. It is said, not hidden.
        assert_eq!(loaded.table.rows, STRAY_ROW, "{what}");
        let want = Warning::RunawayQuote {
            row: STRAY_ROW as u64,
            line: STRAY_ROW as u64 + 1,
            column,
            column_name: "ご意見".into(),
            lines: (STRAY_ROWS - STRAY_ROW) as u64,
            rows_like: (STRAY_ROWS - STRAY_ROW) as u64,
            to_end: true,
        };
        assert_eq!(loaded.warnings[0], want, "{what}: said first");
        assert_eq!(runaway(&loaded), vec![want.clone()], "{what}");
        assert!(want.is_severe());
        assert_eq!(want.runaway_quote(), Some(QuoteAt { row: 101, column }));
        let (ja, en) = (want.ja(), want.en());
        for needle in [
            "101 行目",
            "102 行目",
            &format!("{column} 列目「ご意見」"),
            "1099 行",
            "引用符を文字として読み直す",
            &format!("--literal-quote 101:{column}"),
        ] {
            assert!(ja.contains(needle), "{what}: {needle} in {ja}");
        }
        for needle in [
            "data row 101",
            "line 102",
            &format!("column {column} \"ご意見\""),
            "1099 line",
            "Read the quote as a character",
            &format!("--literal-quote 101:{column}"),
        ] {
            assert!(en.contains(needle), "{what}: {needle} in {en}");
        }
        assert!(want.report_note().unwrap().contains("引用符"));
        // In the middle column the rest of row 101 went into the cell too: it is short.
        assert_eq!(
            short_rows(&loaded).map(|(n, r)| (n, r[0].row)),
            (column == 5).then_some((1, 101)),
            "{what}"
        );
    }
}

/// The repair: the same file read again with that quote as a character gives all 1,200
/// respondents, every cell as given (row 101's answer keeps its `"`), the counts of 性別
/// and 年代 those of the respondents, and says what it did (nothing else to say).
#[test]
fn issue_14_reading_the_quote_as_a_character_restores_every_respondent() {
    for (what, bytes, rows) in stray_quote_files() {
        let column = rows[0].iter().position(|n| n == "ご意見").unwrap() + 1;
        let opts = literal(STRAY_ROW, column);
        let loaded = assert_chunking_changes_nothing(&what, &bytes, opts);
        assert_eq!(loaded.table.rows, STRAY_ROWS, "{what}");
        assert_table_is(&loaded, &rows, &what);
        assert_eq!(
            loaded.table.columns[column - 1].value(STRAY_ROW - 1),
            "\"駐車場が少ない"
        );
        assert_counts(&loaded, &rows, 1, &what);
        assert_counts(&loaded, &rows, 2, &what);
        assert_eq!(
            loaded.warnings,
            vec![Warning::QuoteReadAsText {
                row: STRAY_ROW as u64,
                line: STRAY_ROW as u64 + 1,
                column,
                column_name: "ご意見".into(),
            }],
            "{what}: the repair is reported, and nothing else"
        );
        assert_eq!(
            loaded.warnings[0].literal_quote(),
            Some(QuoteAt { row: 101, column })
        );
    }
}

/// Real answers of 3–10 lines (quoted as Excel quotes them; commas, doubled quotes, an
/// empty line, a line of 6 comma-separated words, ten lines of one comma each) in every
/// 37th row, in files of 6 columns (UTF-8, CP932; the answers in the middle and last), 3
/// and 2 columns, and as the file's very last cell: read as they are, and nothing warns.
#[test]
fn issue_14_real_multiline_answers_never_look_like_a_runaway_quote() {
    let mut files = Vec::new();
    for last in [false, true] {
        let (text, rows) = survey_file(STRAY_ROWS, last, None, Some(37));
        files.push((
            format!("6 columns, last {last}, UTF-8"),
            text.as_bytes().to_vec(),
            rows.clone(),
        ));
        files.push((
            format!("6 columns, last {last}, CP932"),
            encode(SHIFT_JIS, &text),
            rows,
        ));
    }
    // Narrow files: the answer and one or two more columns.
    for keep in [vec![0, 4], vec![0, 1, 4]] {
        let (_, rows) = survey_file(300, false, None, Some(3));
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| keep.iter().map(|&c| r[c].clone()).collect())
            .collect();
        let mut text = String::new();
        for r in &rows {
            let cells: Vec<String> = r
                .iter()
                .map(|v| {
                    if v.contains([',', '"', '\r', '\n']) {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v.clone()
                    }
                })
                .collect();
            text.push_str(&cells.join(","));
            text.push_str("\r\n");
        }
        // The last answer has several lines and ends the file, without a last line end.
        let mut last = vec![String::new(); keep.len()];
        last[0] = "9999".into();
        last[keep.len() - 1] = MULTILINE[4].into();
        text.push_str(&format!(
            "9999,{}\"{}\"",
            ",".repeat(keep.len() - 2),
            MULTILINE[4]
        ));
        let mut rows = rows;
        rows.push(last);
        files.push((format!("{} columns", keep.len()), text.into_bytes(), rows));
    }
    for (what, bytes, rows) in files {
        let loaded = read(&bytes);
        assert_table_is(&loaded, &rows, &what);
        assert!(loaded.warnings.is_empty(), "{what}: {:?}", loaded.warnings);
    }
}

/// A stray quote closed further down by the opening quote of a real multi-line answer
/// (row 111): the rows between are swallowed and the cell is closed, not open to the
/// end; still reported, and the repair reads every row as given.
#[test]
fn issue_14_a_runaway_quote_closed_by_a_later_answer_is_reported_too() {
    let (text, rows) = survey_file(STRAY_ROWS, false, Some(STRAY_ROW), Some(37));
    for (what, bytes) in [
        ("UTF-8", text.as_bytes().to_vec()),
        ("CP932", encode(SHIFT_JIS, &text)),
    ] {
        let loaded = read(&bytes);
        let found = runaway(&loaded);
        assert_eq!(found.len(), 1, "{what}: {:?}", loaded.warnings);
        let Warning::RunawayQuote {
            row,
            line,
            column,
            rows_like,
            to_end,
            ..
        } = found[0]
        else {
            unreachable!()
        };
        // The file's line: row 101 and the header, and the extra lines of the
        // multi-line answers of rows 37 and 74 before it.
        let quote = text.find(",\"駐車場が少ない,").unwrap();
        let file_line = 1 + text[..quote].matches('\n').count() as u64;
        assert_eq!(file_line, 102 + 4 + 3);
        assert_eq!(
            (row, line, column, to_end),
            (101, file_line, 5, false),
            "{what}"
        );
        // Rows 102–110 (row 111 up to its answer's opening quote is one field short).
        assert_eq!(rows_like, 9, "{what}");
        assert!(loaded.table.rows < STRAY_ROWS, "{what}");
        let repaired = read_with(&bytes, literal(STRAY_ROW, 5));
        assert_table_is(&repaired, &rows, what);
        assert_eq!(
            repaired.warnings.len(),
            1,
            "{what}: {:?}",
            repaired.warnings
        );
        assert!(matches!(
            repaired.warnings[0],
            Warning::QuoteReadAsText {
                row: 101,
                column: 5,
                ..
            }
        ));
    }
}

/// Where the rest of the file is longer than the field limit, the reading stops with
/// the cell's place (as before), and the same repair, at that place, reads every row.
#[test]
fn issue_14_past_the_field_limit_the_same_repair_applies() {
    let (text, rows) = stray_quote_survey(true);
    let small = |opts: ReadOptions| ReadOptions {
        max_field_bytes: 10_000,
        ..opts
    };
    let err = read_bytes(text.as_bytes(), small(ReadOptions::default())).unwrap_err();
    assert_eq!(
        err,
        ReadError::FieldTooLarge {
            row: 101,
            column: 6,
            limit: 10_000
        }
    );
    assert!(err.ja().contains("--literal-quote 101:6"), "{}", err.ja());
    assert!(err.en().contains("--literal-quote 101:6"), "{}", err.en());
    let loaded =
        assert_chunking_changes_nothing("past the limit", text.as_bytes(), small(literal(101, 6)));
    assert_table_is(&loaded, &rows, "past the limit");
}

/// A file past the sniffing window (the quote's rows stream through the parser in
/// pieces): the same warning and the same repair in any chunking, the stray quote in
/// the first 256 KiB or after it.
#[test]
fn issue_14_a_runaway_quote_past_the_sniffing_window_in_any_chunking() {
    for stray in [STRAY_ROW, 7_000] {
        let (text, rows) = survey_file(8_000, true, Some(stray), None);
        assert!(text.len() > SNIFF_BYTES + 64 * 1024);
        let what = format!("stray quote in row {stray}");
        let loaded = assert_chunking_from(4, &what, text.as_bytes(), forced(UTF_8));
        assert_eq!(loaded.table.rows, stray);
        let Warning::RunawayQuote {
            row,
            line,
            column,
            rows_like,
            to_end,
            ..
        } = runaway(&loaded)[0].clone()
        else {
            unreachable!()
        };
        assert_eq!(
            (row, line, column, rows_like, to_end),
            (
                stray as u64,
                stray as u64 + 1,
                6,
                8_000 - stray as u64,
                true
            )
        );
        let opts = ReadOptions {
            encoding: Some(UTF_8),
            ..literal(stray, 6)
        };
        let repaired = assert_chunking_from(4, &what, text.as_bytes(), opts);
        assert_table_is(&repaired, &rows, &what);
        assert_eq!(
            repaired.warnings.len(),
            1,
            "{what}: {:?}",
            repaired.warnings
        );
    }
}

/// Asking for a quote where there is none changes nothing and says so; so does asking
/// for a row past the end. The quotes asked for are matched by place, not by order.
#[test]
fn a_literal_quote_where_there_is_none_is_reported_and_changes_nothing() {
    let text = "a,b,c\r\n1,x,\"q\"\"\"\r\n2,\"y,z\",3\r\n";
    let plain = read(text.as_bytes());
    let opts = ReadOptions {
        literal_quotes: vec![
            QuoteAt { row: 9, column: 1 },
            QuoteAt { row: 1, column: 2 },
            QuoteAt { row: 2, column: 2 },
            QuoteAt { row: 1, column: 5 },
        ],
        ..ReadOptions::default()
    };
    let loaded = assert_chunking_changes_nothing("asked", text.as_bytes(), opts);
    assert_eq!(
        cells(&loaded),
        grid(&[
            &["a", "b", "c", "列4"],
            &["1", "x", "q\"", ""],
            &["2", "\"y", "z\"", "3"],
        ])
    );
    assert_ne!(plain.table, loaded.table, "row 2's quote was read as text");
    assert_eq!(
        loaded.warnings[..4],
        [
            Warning::LiteralQuoteNotFound { row: 1, column: 2 },
            Warning::LiteralQuoteNotFound { row: 1, column: 5 },
            Warning::QuoteReadAsText {
                row: 2,
                line: 3,
                column: 2,
                column_name: "b".into()
            },
            Warning::LiteralQuoteNotFound { row: 9, column: 1 },
        ]
    );
    assert_eq!(
        "101:5".parse::<QuoteAt>(),
        Ok(QuoteAt {
            row: 101,
            column: 5
        })
    );
    assert!("101".parse::<QuoteAt>().is_err());
    assert!("1:0".parse::<QuoteAt>().is_err());
    assert_eq!(QuoteAt { row: 3, column: 4 }.to_string(), "3:4");
}

/// Rows of the header's width with no quote are read straight into the columns
/// (`Assembler::plain_row`); every other row cell by cell. Random rows of every kind —
/// the header's width, short, long (blank cells past the end or not), blank, delimiters
/// only, one-byte, number, decimal, long and Japanese cells, some quoted — past the
/// sniffing window, read whole (mostly the straight path) and in chunks of 1–17 bytes
/// (most lines cut, so read by csv-core) give the same table, warnings and info.
#[test]
fn rows_read_straight_into_the_columns_are_those_read_cell_by_cell() {
    let cells = [
        "",
        "",
        "1",
        "2",
        "9",
        "a",
        "12",
        "345",
        "0.5",
        "1.0036",
        "100000",
        "特になし",
        "デザインが良い。東京都内の店舗を利用",
        "x",
        "=1",
        "\"a,b\"",
        "\"say \"\"hi\"\"\"",
    ];
    let mut rng = fastrand::Rng::with_seed(16);
    // Long rows, which add columns, only in the last round and after the window: the
    // rows of the header's width after them are read straight too.
    for (width, long) in [(1, false), (4, false), (4, true)] {
        let mut text = (1..=width)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",");
        text.push('\n');
        while text.len() < SNIFF_BYTES + 20_000 {
            let n = match rng.u8(..10) {
                0 => rng.usize(1..=width),
                1 if long && text.len() > SNIFF_BYTES => width + rng.usize(1..3),
                _ => width,
            };
            let row: Vec<&str> = (0..n)
                .map(|i| match (i >= width, rng.u8(..4)) {
                    (true, 0) => "7",
                    (true, _) => "",
                    _ => cells[rng.usize(..cells.len())],
                })
                .collect();
            text.push_str(&row.join(","));
            text.push_str(if rng.bool() { "\n" } else { "\r\n" });
        }
        let loaded = assert_chunkings(
            [1, 2, 5, 17],
            &format!("width {width}"),
            text.as_bytes(),
            forced(UTF_8),
        );
        assert!(loaded.table.rows > 5_000);
    }
}
