//! The CSV reader on the files municipalities really have. Fixtures are made here: text
//! encoded with encoding_rs, or bytes written out exactly as Excel and the form services
//! write them.

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE};
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
    let _ = UTF_16BE;
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
    assert_eq!(
        read_bytes(&[0xFE, 0xFF], ReadOptions::default()).unwrap_err(),
        ReadError::Empty
    );
}
