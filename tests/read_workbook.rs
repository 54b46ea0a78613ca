//! Workbooks: real .xlsx files written by rust_xlsxwriter (an independent writer), read
//! back cell by cell, plus damaged and protected ones.
#![cfg(not(target_arch = "wasm32"))]

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use tsunagari::ingest::{read_file_bytes, workbook, FileReader, ReadError, ReadOptions, Warning};

fn survey_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let cover = book.add_worksheet();
    cover.set_name("説明").unwrap();
    cover.write_string(0, 0, "この調査は架空です").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("回答").unwrap();
    // The table starts at B3, after a title row and a blank row, as staff often lay it out.
    sheet.write_string(0, 1, "住民調査 回答一覧").unwrap();
    for (c, h) in ["回答者ID", "性別", "年代", "年齢", "回答日", "居住地"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, 1 + c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, f64, (u16, u8, u8), &str); 3] = [
        ("001", "女性", "20～29歳", 24.0, (2024, 12, 1), "髙島町"),
        ("002", "男性", "80歳以上", 81.0, (2024, 12, 2), "中央"),
        ("003", "", "30～39歳", 35.5, (2024, 12, 3), ""),
    ];
    for (i, (id, sex, age, years, (y, m, d), area)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 1, *id).unwrap();
        if !sex.is_empty() {
            sheet.write_string(r, 2, *sex).unwrap();
        }
        sheet.write_string(r, 3, *age).unwrap();
        sheet.write_number(r, 4, *years).unwrap();
        sheet
            .write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
            .unwrap();
        if !area.is_empty() {
            sheet.write_string(r, 6, *area).unwrap();
        }
    }
    // A blank row inside, then one more respondent, then formatted but empty rows.
    sheet.write_string(7, 1, "005").unwrap();
    sheet.write_string(7, 2, "女性").unwrap();
    sheet.write_blank(9, 2, &Format::new().set_bold()).unwrap();
    book.save_to_buffer().unwrap()
}

fn cells(loaded: &tsunagari::ingest::Loaded) -> Vec<Vec<String>> {
    let t = &loaded.table;
    let mut out = vec![t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>()];
    for r in 0..t.rows {
        out.push(t.columns.iter().map(|c| c.value(r).to_string()).collect());
    }
    out
}

#[test]
fn an_xlsx_reads_cell_by_cell() {
    let bytes = survey_xlsx();
    assert_eq!(workbook::sheet_names(&bytes).unwrap(), vec!["説明", "回答"]);
    let loaded = read_file_bytes(&bytes, ReadOptions::default(), Some("回答".into())).unwrap();
    assert_eq!(loaded.info.format, "xlsx");
    assert_eq!(loaded.info.sheet.as_deref(), Some("回答"));
    assert_eq!(loaded.info.sheets, vec!["説明", "回答"]);
    let want: Vec<Vec<String>> = [
        // The title and the blank row above the table are not the header.
        vec!["回答者ID", "性別", "年代", "年齢", "回答日", "居住地"],
        vec!["001", "女性", "20～29歳", "24", "2024-12-01", "髙島町"],
        vec!["002", "男性", "80歳以上", "81", "2024-12-02", "中央"],
        vec!["003", "", "30～39歳", "35.5", "2024-12-03", ""],
        vec!["", "", "", "", "", ""],
        vec!["005", "女性", "", "", "", ""],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(cells(&loaded), want);
    assert!(loaded
        .warnings
        .contains(&Warning::TitleRowsSkipped { rows: vec![1] }));
    assert!(loaded
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::BlankRowsKept { count: 1, .. })));
    // The formatted but empty cell below the table is outside calamine's used range: it
    // adds no row at all.
    assert_eq!(loaded.table.rows, 5);
    // The column of ages reads as numbers; IDs keep their leading zeros as text.
    let age = loaded
        .table
        .columns
        .iter()
        .find(|c| c.values.iter().any(|v| &**v == "35.5"))
        .unwrap();
    assert!(age.numbers.iter().any(|n| *n == Some(35.5)));
}

#[test]
fn the_first_sheet_with_a_table_by_default_and_unknown_sheets_are_errors() {
    let bytes = survey_xlsx();
    // The first sheet (説明) has one line of text and no table: 回答 is read.
    let loaded = read_file_bytes(&bytes, ReadOptions::default(), None).unwrap();
    assert_eq!(loaded.info.sheet.as_deref(), Some("回答"));
    let chosen = read_file_bytes(&bytes, ReadOptions::default(), Some("説明".into()));
    assert_eq!(chosen.unwrap_err(), ReadError::HeaderOnly { columns: 1 });
    match read_file_bytes(&bytes, ReadOptions::default(), Some("ない".into())) {
        Err(ReadError::Workbook { detail }) => assert!(detail.contains("回答"), "{detail}"),
        other => panic!("{:?}", other.map(|l| l.info)),
    }
}

#[test]
fn workbooks_pushed_in_chunks_read_the_same() {
    let bytes = survey_xlsx();
    let whole = read_file_bytes(&bytes, ReadOptions::default(), Some("回答".into())).unwrap();
    let mut reader = FileReader::new(ReadOptions::default(), Some("回答".into()));
    for chunk in bytes.chunks(3) {
        reader.push(chunk).unwrap();
    }
    assert_eq!(reader.finish().unwrap().table, whole.table);
}

#[test]
fn damaged_truncated_and_protected_workbooks_fail_clearly() {
    let bytes = survey_xlsx();
    for broken in [
        &bytes[..bytes.len() / 2],
        &bytes[..40],
        b"PK\x03\x04not a zip at all",
    ] {
        match read_file_bytes(broken, ReadOptions::default(), None) {
            Err(e @ ReadError::Workbook { .. }) => {
                assert!(!e.ja().is_empty() && !e.en().is_empty())
            }
            other => panic!("{:?}", other.map(|l| l.info)),
        }
    }
    let mut protected = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    protected.extend(std::iter::repeat_n(0u8, 512));
    protected.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    match read_file_bytes(&protected, ReadOptions::default(), None) {
        Err(ReadError::Workbook { detail }) => assert!(detail.contains("パスワード")),
        other => panic!("{:?}", other.map(|l| l.info)),
    }
    // Random bytes that merely start like a zip never panic.
    let mut seed = 1u64;
    for n in [0usize, 10, 100, 1000] {
        let mut noise = b"PK\x03\x04".to_vec();
        noise.extend((0..n).map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 56) as u8
        }));
        assert!(read_file_bytes(&noise, ReadOptions::default(), None).is_err());
    }
}

/// The committed fixture tests/fixtures/survey.xlsx (used by the browser test) is exactly
/// what `survey_xlsx()` writes; regenerate it with
/// `TSUNAGARI_WRITE_FIXTURES=1 cargo test --test read_workbook`.
#[test]
fn the_browser_fixture_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/survey.xlsx");
    if std::env::var_os("TSUNAGARI_WRITE_FIXTURES").is_some() {
        std::fs::write(path, survey_xlsx()).unwrap();
    }
    let committed = std::fs::read(path).unwrap();
    let loaded = read_file_bytes(&committed, ReadOptions::default(), Some("回答".into())).unwrap();
    let fresh =
        read_file_bytes(&survey_xlsx(), ReadOptions::default(), Some("回答".into())).unwrap();
    assert_eq!(loaded.table, fresh.table);
}
