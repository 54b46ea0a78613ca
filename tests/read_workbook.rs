//! Workbooks: real .xlsx files written by rust_xlsxwriter (an independent writer), read
//! back cell by cell, plus damaged and protected ones.
#![cfg(not(target_arch = "wasm32"))]

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
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
    type Row<'a> = (&'a str, &'a str, &'a str, f64, (u16, u8, u8), &'a str);
    let rows: [Row; 3] = [
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
    assert!(age.numbers.contains(&Some(35.5)));
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
        Err(ReadError::NoSuchSheet { sheet, sheets }) => {
            assert_eq!(
                (sheet.as_str(), sheets),
                ("ない", vec!["説明".into(), "回答".into()])
            )
        }
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

// ---------------------------------------------------------------------------------------
// Every kind of cell, and the layout repairs, in an .xlsx.
// ---------------------------------------------------------------------------------------

/// A hidden sheet of choice lists first (as data validation leaves it), then the data:
/// a blank and a duplicate header, booleans, a date with a time, a time of day, an error
/// from a formula, floats, and formulas returning "" below the table and in a column at
/// the right (common in survey templates).
fn kinds_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let time = Format::new().set_num_format("hh:mm");
    let date = Format::new().set_num_format("yyyy/m/d");
    let choices = book.add_worksheet();
    choices.set_name("選択肢").unwrap();
    for (r, v) in ["はい", "いいえ"].iter().enumerate() {
        choices.write_string(r as u32, 0, *v).unwrap();
        choices.write_number(r as u32, 1, r as f64 + 1.0).unwrap();
    }
    choices.set_hidden(true);
    let sheet = book.add_worksheet();
    sheet.set_name("データ").unwrap();
    // Excel opens on a visible sheet; the first one can only be hidden once another is active.
    sheet.set_active(true);
    for (c, h) in ["ID", "", "同意", "回答日時", "時刻", "結果", "ID", "点数"]
        .iter()
        .enumerate()
    {
        if !h.is_empty() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
    }
    let at = |y, mo, d, h, mi| {
        ExcelDateTime::from_ymd(y, mo, d)
            .unwrap()
            .and_hms(h, mi, 0)
            .unwrap()
    };
    sheet.write_string(1, 0, "001").unwrap();
    sheet.write_string(1, 1, "メモ").unwrap();
    sheet.write_boolean(1, 2, true).unwrap();
    sheet
        .write_datetime_with_format(1, 3, at(2024, 12, 1, 9, 30), &datetime)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 4, ExcelDateTime::from_hms(9, 30, 0).unwrap(), &time)
        .unwrap();
    sheet
        .write_formula(1, 5, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    sheet.write_string(1, 6, "A").unwrap();
    sheet.write_number(1, 7, 0.1 + 0.2).unwrap();
    // Row 3 left blank: a respondent with no answers, kept.
    sheet.write_string(3, 0, "010").unwrap();
    sheet.write_boolean(3, 2, false).unwrap();
    sheet
        .write_datetime_with_format(3, 3, ExcelDateTime::from_ymd(2025, 1, 31).unwrap(), &date)
        .unwrap();
    sheet
        .write_formula(3, 5, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    sheet.write_number(3, 7, -2.0).unwrap();
    // Formulas that show nothing (="" saved with an empty text result, as Excel saves
    // them): two rows below the table, a column at the right.
    sheet.set_formula_result_default("");
    for r in 1..=5 {
        sheet
            .write_formula(r, 9, Formula::new("=\"\"").set_result(""))
            .unwrap();
    }
    sheet
        .write_formula(4, 0, Formula::new("=\"\"").set_result(""))
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn every_kind_of_cell_and_every_repair_in_an_xlsx() {
    let bytes = kinds_xlsx();
    // The hidden sheet is listed (it can be chosen) but the visible one is read first.
    assert_eq!(
        workbook::sheet_names(&bytes).unwrap(),
        vec!["選択肢", "データ"]
    );
    let loaded = workbook::read_workbook(&bytes, None).unwrap();
    assert_eq!(loaded.info.sheet.as_deref(), Some("データ"));
    assert_eq!(loaded.info.format, "xlsx");
    assert_eq!(loaded.info.delimiter, None);
    let want = [
        vec![
            "ID",
            "列2",
            "同意",
            "回答日時",
            "時刻",
            "結果",
            "ID_2",
            "点数",
        ],
        vec![
            "001",
            "メモ",
            "TRUE",
            "2024-12-01 09:30:00",
            "09:30:00",
            "#N/A",
            "A",
            "0.30000000000000004",
        ],
        vec!["", "", "", "", "", "", "", ""],
        vec!["010", "", "FALSE", "2025-01-31", "", "#DIV/0!", "", "-2"],
    ];
    assert_eq!(cells(&loaded), strings(&want));
    let w = &loaded.warnings;
    assert!(w.contains(&Warning::CellErrors {
        count: 2,
        cells: vec!["F2".into(), "F4".into()]
    }));
    assert!(w.contains(&Warning::BlankRowsKept {
        count: 1,
        examples: vec![2]
    }));
    // The rows of "" below the table: dropped and said so.
    assert!(w.contains(&Warning::TrailingBlankRowsDropped { count: 2 }));
    // Column J: no header and only "": dropped and said so (I, between, goes with it).
    assert!(w.contains(&Warning::EmptyColumnsDropped {
        columns: vec![9, 10]
    }));
    assert!(w.contains(&Warning::BlankHeaders {
        columns: vec![2],
        names: vec!["列2".into()]
    }));
    assert!(w.contains(&Warning::DuplicateHeaders {
        renamed: vec![("ID".into(), "ID_2".into())]
    }));
    // The hidden sheet can still be chosen by name.
    let hidden = workbook::read_workbook(&bytes, Some("選択肢")).unwrap();
    assert_eq!(
        cells(&hidden),
        strings(&[vec!["はい", "1"], vec!["いいえ", "2"]])
    );
}

fn strings(rows: &[Vec<&str>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------
// .ods: a zip of XML, written here by hand as LibreOffice lays it out.
// ---------------------------------------------------------------------------------------

fn ods(sheets: &[(&str, &str)], encrypted: bool) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>"#,
    );
    for (name, rows) in sheets {
        content.push_str(&format!(
            r#"<table:table table:name="{name}">{rows}</table:table>"#
        ));
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let encryption = if encrypted {
        r#"<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>"#
    } else {
        ""
    };
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}</manifest:file-entry></manifest:manifest>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn s(v: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
    )
}
fn n(v: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{v}" calcext:value-type="float"><text:p>{v}</text:p></table:table-cell>"#
    )
}
fn row(cells: &[String]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.concat())
}

fn survey_ods() -> Vec<u8> {
    let date = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="date" office:date-value="{v}" calcext:value-type="date"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let time = r#"<table:table-cell office:value-type="time" office:time-value="PT09H30M00S" calcext:value-type="time"><text:p>09:30</text:p></table:table-cell>"#;
    let yes = r#"<table:table-cell office:value-type="boolean" office:boolean-value="true" calcext:value-type="boolean"><text:p>TRUE</text:p></table:table-cell>"#;
    let na = r#"<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>"#;
    let blank = |k: usize| format!(r#"<table:table-cell table:number-columns-repeated="{k}"/>"#);
    let data = [
        row(&[
            s("回答者ID"),
            s("居住地"),
            s("年齢"),
            s("回答日"),
            s("時刻"),
            s("同意"),
            s("計算"),
        ]),
        row(&[
            s("001"),
            s("髙島町"),
            n("24"),
            date("2024-12-01"),
            time.into(),
            yes.into(),
            na.into(),
        ]),
        row(&[blank(7)]),
        row(&[
            s("002"),
            s("20～29歳"),
            n("35.5"),
            date("2024-12-02T09:30:00"),
            blank(3),
        ]),
        // LibreOffice closes a sheet with the rest of its million rows as one repeated row.
        format!(
            r#"<table:table-row table:number-rows-repeated="1048572">{}</table:table-row>"#,
            blank(1024)
        ),
    ]
    .concat();
    ods(
        &[("表紙", &row(&[s("架空の調査")])), ("回答", &data)],
        false,
    )
}

#[test]
fn an_ods_reads_cell_by_cell() {
    let bytes = survey_ods();
    assert_eq!(workbook::sheet_names(&bytes).unwrap(), vec!["表紙", "回答"]);
    let loaded = workbook::read_workbook(&bytes, None).unwrap();
    assert_eq!(loaded.info.format, "ods");
    assert_eq!(loaded.info.sheet.as_deref(), Some("回答"));
    let want = [
        vec![
            "回答者ID",
            "居住地",
            "年齢",
            "回答日",
            "時刻",
            "同意",
            "計算",
        ],
        vec![
            "001",
            "髙島町",
            "24",
            "2024-12-01",
            "9:30:00",
            "TRUE",
            "#N/A",
        ],
        vec!["", "", "", "", "", "", ""],
        vec!["002", "20～29歳", "35.5", "2024-12-02 09:30:00", "", "", ""],
    ];
    assert_eq!(cells(&loaded), strings(&want));
    assert!(loaded.warnings.contains(&Warning::CellErrors {
        count: 1,
        cells: vec!["G2".into()]
    }));
    assert!(loaded.warnings.contains(&Warning::BlankRowsKept {
        count: 1,
        examples: vec![2]
    }));
    // The same through FileReader, which picks the reader by the first bytes.
    let via = read_file_bytes(&bytes, ReadOptions::default(), Some("回答".into())).unwrap();
    assert_eq!(via.table, loaded.table);
}

#[test]
fn a_password_protected_ods_says_so() {
    let bytes = ods(&[("回答", &row(&[s("a"), s("b")]))], true);
    match workbook::read_workbook(&bytes, None) {
        Err(ReadError::Workbook { detail }) => assert!(detail.contains("パスワード"), "{detail}"),
        other => panic!("{:?}", other.map(|l| l.info)),
    }
}

// ---------------------------------------------------------------------------------------
// .xls (BIFF8 in an OLE compound file) and password-protected .xlsx (an OLE file with an
// EncryptedPackage stream). No writer for either is at hand, so a minimal compound file
// is built here: a header, one FAT sector, one directory sector, then the streams.
// ---------------------------------------------------------------------------------------

fn compound_file(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let le32 = |out: &mut Vec<u8>, v: u32| out.extend(v.to_le_bytes());
    let mut header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    header.resize(24, 0);
    header.extend(0x3Eu16.to_le_bytes()); // minor version
    header.extend(3u16.to_le_bytes()); // major version 3: 512-byte sectors
    header.extend(0xFFFEu16.to_le_bytes()); // byte order
    header.extend(9u16.to_le_bytes()); // sector shift
    header.extend(6u16.to_le_bytes()); // mini sector shift
    header.resize(44, 0);
    le32(&mut header, 1); // FAT sectors
    le32(&mut header, 1); // first directory sector
    le32(&mut header, 0);
    le32(&mut header, 4096); // mini stream cutoff: every stream here is larger
    le32(&mut header, END); // no mini FAT
    le32(&mut header, 0);
    le32(&mut header, END); // no DIFAT sectors
    le32(&mut header, 0);
    le32(&mut header, 0); // DIFAT[0]: the FAT is sector 0
    while header.len() < 512 {
        le32(&mut header, FREE);
    }
    // Streams from sector 2 on, each padded to whole sectors of at least 4096 bytes.
    let mut fat = vec![0xFFFF_FFFD, END];
    let mut data = Vec::new();
    let mut dir = Vec::new();
    let entry = |name: &str, kind: u8, right: u32, child: u32, start: u32, len: u32| {
        let mut e: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let name_len = e.len() as u16 + 2;
        e.resize(64, 0);
        e.extend(name_len.to_le_bytes());
        e.push(kind);
        e.push(1); // black
        e.extend(FREE.to_le_bytes()); // left sibling
        e.extend(right.to_le_bytes());
        e.extend(child.to_le_bytes());
        e.resize(116, 0);
        e.extend(start.to_le_bytes());
        e.extend(len.to_le_bytes());
        e.resize(128, 0);
        e
    };
    dir.extend(entry("Root Entry", 5, FREE, 1, END, 0));
    for (i, (name, bytes)) in streams.iter().enumerate() {
        let mut bytes = bytes.clone();
        bytes.resize(bytes.len().max(4096).div_ceil(512) * 512, 0);
        let start = 2 + (data.len() / 512) as u32;
        let sectors = (bytes.len() / 512) as u32;
        fat.extend((1..sectors).map(|k| start + k));
        fat.push(END);
        let right = if i + 1 < streams.len() {
            i as u32 + 2
        } else {
            FREE
        };
        dir.extend(entry(name, 2, right, FREE, start, bytes.len() as u32));
        data.extend(bytes);
    }
    assert!(
        fat.len() <= 128 && dir.len() <= 512,
        "a bigger compound file than this writer makes"
    );
    fat.resize(128, FREE);
    dir.resize(512, 0);
    let mut out = header;
    for v in fat {
        le32(&mut out, v);
    }
    out.extend(dir);
    out.extend(data);
    out
}

/// One BIFF8 record.
fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A sheet's name and its cells: (row, column, value), 0-based.
type XlsSheet<'a> = (&'a str, Vec<(u16, u16, XlsCell<'a>)>);

enum XlsCell<'a> {
    Text(&'a str),
    Number(f64),
    /// A number shown with a date format (XF 1).
    Date(f64),
    Bool(bool),
    /// An error code: 0x2A is #N/A.
    Error(u8),
}

/// A BIFF8 workbook stream: globals (BOF, two XFs — the second with date format 14 —,
/// one BoundSheet per sheet, EOF), then each sheet (BOF, cells, EOF).
fn xls(sheets: &[XlsSheet<'_>]) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = vec![0u8; 16];
        d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&kind.to_le_bytes());
        record(0x0809, &d)
    };
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect() };
    let xf = |format: u16| {
        let mut d = vec![0u8; 20];
        d[2..4].copy_from_slice(&format.to_le_bytes());
        record(0x00E0, &d)
    };
    let bodies: Vec<Vec<u8>> = sheets
        .iter()
        .map(|(_, cells)| {
            let mut b = bof(0x0010);
            for (r, c, cell) in cells {
                let mut d = r.to_le_bytes().to_vec();
                d.extend(c.to_le_bytes());
                let xf_index: u16 = if matches!(cell, XlsCell::Date(_)) {
                    1
                } else {
                    0
                };
                d.extend(xf_index.to_le_bytes());
                let typ = match cell {
                    XlsCell::Text(s) => {
                        d.extend((s.encode_utf16().count() as u16).to_le_bytes());
                        d.push(1); // UTF-16
                        d.extend(utf16(s));
                        0x0204
                    }
                    XlsCell::Number(v) | XlsCell::Date(v) => {
                        d.extend(v.to_le_bytes());
                        0x0203
                    }
                    XlsCell::Bool(v) => {
                        d.extend([*v as u8, 0]);
                        0x0205
                    }
                    XlsCell::Error(e) => {
                        d.extend([*e, 1]);
                        0x0205
                    }
                };
                b.extend(record(typ, &d));
            }
            b.extend(record(0x000A, &[]));
            b
        })
        .collect();
    let bound = |pos: u32, name: &str| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0, 0, name.encode_utf16().count() as u8, 1]);
        d.extend(utf16(name));
        record(0x0085, &d)
    };
    let mut globals = [bof(0x0005), xf(0), xf(14)].concat();
    let globals_len = globals.len()
        + sheets.iter().map(|(n, _)| bound(0, n).len()).sum::<usize>()
        + record(0x000A, &[]).len();
    let mut pos = globals_len;
    for ((name, _), body) in sheets.iter().zip(&bodies) {
        globals.extend(bound(pos as u32, name));
        pos += body.len();
    }
    globals.extend(record(0x000A, &[]));
    globals.extend(bodies.concat());
    compound_file(&[("Workbook", globals)])
}

fn survey_xls() -> Vec<u8> {
    use XlsCell::*;
    xls(&[(
        "回答",
        vec![
            (0, 0, Text("回答者ID")),
            (0, 1, Text("居住地")),
            (0, 2, Text("年齢")),
            (0, 3, Text("回答日")),
            (0, 4, Text("同意")),
            (0, 5, Text("計算")),
            (1, 0, Text("001")),
            (1, 1, Text("髙島町")),
            (1, 2, Number(24.0)),
            (1, 3, Date(45627.0)),
            (1, 4, Bool(true)),
            (1, 5, Error(0x2A)),
            (3, 0, Text("002")),
            (3, 1, Text("20～29歳")),
            (3, 2, Number(35.5)),
            (3, 3, Date(45628.0)),
        ],
    )])
}

#[test]
fn an_xls_reads_cell_by_cell() {
    let bytes = survey_xls();
    assert_eq!(workbook::sheet_names(&bytes).unwrap(), vec!["回答"]);
    let loaded = read_file_bytes(&bytes, ReadOptions::default(), None).unwrap();
    assert_eq!(loaded.info.format, "xls");
    let want = [
        vec!["回答者ID", "居住地", "年齢", "回答日", "同意", "計算"],
        vec!["001", "髙島町", "24", "2024-12-01", "TRUE", "#N/A"],
        vec!["", "", "", "", "", ""],
        vec!["002", "20～29歳", "35.5", "2024-12-02", "", ""],
    ];
    assert_eq!(cells(&loaded), strings(&want));
    assert!(loaded.warnings.contains(&Warning::CellErrors {
        count: 1,
        cells: vec!["F2".into()]
    }));
}

#[test]
fn a_password_protected_xlsx_says_so() {
    // What Excel writes when a password is set: an OLE file with these streams.
    let bytes = compound_file(&[
        ("EncryptionInfo", vec![4, 0, 4, 0, 0x40, 0, 0, 0]),
        ("EncryptedPackage", vec![0x5A; 5000]),
    ]);
    for result in [
        workbook::read_workbook(&bytes, None).map(|_| ()),
        workbook::sheet_names(&bytes).map(|_| ()),
        read_file_bytes(&bytes, ReadOptions::default(), None).map(|_| ()),
    ] {
        match result {
            Err(e @ ReadError::Workbook { .. }) => {
                assert!(e.ja().contains("パスワード"), "{}", e.ja());
                assert!(e.en().contains("password"), "{}", e.en());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn unknown_sheets_list_the_sheets_in_both_languages() {
    let e = workbook::read_workbook(&survey_xlsx(), Some("集計")).unwrap_err();
    assert_eq!(
        e.ja(),
        "シート「集計」はこのブックにありません。次のシートから選んでください: 説明、回答。"
    );
    assert_eq!(
        e.en(),
        "The workbook has no sheet \"集計\". Choose one of: 説明, 回答."
    );
}

#[test]
fn random_and_cut_workbooks_are_errors_not_panics() {
    let mut seed = 7u64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 56) as u8
            })
            .collect()
    };
    for n in [0, 1, 7, 8, 100, 511, 512, 513, 5000] {
        for magic in [&b""[..], b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"] {
            let mut bytes = magic.to_vec();
            bytes.extend(noise(n));
            assert!(workbook::read_workbook(&bytes, None).is_err());
            assert!(workbook::sheet_names(&bytes).is_err());
        }
    }
    // Every workbook made here, cut short at many places: an error, never a panic.
    for (name, bytes) in [
        ("xlsx", survey_xlsx()),
        ("ods", survey_ods()),
        ("xls", survey_xls()),
    ] {
        for k in 1..64 {
            let cut = &bytes[..bytes.len() * k / 64];
            match workbook::read_workbook(cut, None) {
                Err(e) => assert!(!e.ja().is_empty() && !e.en().is_empty()),
                // A cut through the padding at the end of a compound file loses nothing.
                Ok(loaded) => assert_eq!(
                    name, "xls",
                    "{name} cut at {k}/64 read as {:?}",
                    loaded.info
                ),
            }
        }
    }
}

/// Issue 15: a workbook whose first sheet is a cover (a title and a few 項目 / 内容 lines,
/// which read as a table of one or two rows) opens on the sheet that holds the data: the
/// one with the most filled cells, visible sheets first.
#[test]
fn a_cover_sheet_is_passed_over_for_the_data() {
    let mut book = Workbook::new();
    let cover = book.add_worksheet();
    cover.set_name("表紙").unwrap();
    for (r, (k, v)) in [
        ("項目", "内容"),
        ("調査名", "孤独・孤立に関する住民調査"),
        ("回答者数", "40"),
    ]
    .iter()
    .enumerate()
    {
        cover.write_string(r as u32, 0, *k).unwrap();
        cover.write_string(r as u32, 1, *v).unwrap();
    }
    let data = book.add_worksheet();
    data.set_name("データ").unwrap();
    data.write_string(0, 0, "性別").unwrap();
    data.write_string(0, 1, "問1").unwrap();
    for r in 1..=40u32 {
        data.write_string(r, 0, ["男性", "女性"][r as usize % 2])
            .unwrap();
        data.write_number(r, 1, (r % 5 + 1) as f64).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let loaded = read_file_bytes(&bytes, ReadOptions::default(), None).unwrap();
    assert_eq!(loaded.info.sheet.as_deref(), Some("データ"));
    assert_eq!(loaded.table.rows, 40);
    // Asked for by name, the cover is still read.
    let cover = read_file_bytes(&bytes, ReadOptions::default(), Some("表紙".into())).unwrap();
    assert_eq!(cover.table.rows, 2);
}

/// Issue 14 item 12: damaged .xls files on which calamine 0.38 panics (a BoundSheet record
/// too short for its fields, a sheet said to start past the workbook stream) or runs out
/// of memory (a cell in column 65,535+; a directory chain that loops), found by mutating
/// `survey_xls`. With `panic = "abort"` (release, wasm32) each ended the CLI or the page's
/// worker; now the structural check says 「ファイルが壊れています」 and what it found,
/// before calamine sees the file.
#[test]
fn damaged_xls_files_are_reported_not_fatal() {
    let put =
        |b: &mut Vec<u8>, at: usize, bytes: &[u8]| b[at..at + bytes.len()].copy_from_slice(bytes);
    let base = survey_xls();
    let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    // The globals' BoundSheet record said to hold 0 bytes (xls.rs: read_u32 of nothing).
    let mut b = base.clone();
    put(&mut b, 1483, &[0, 0]);
    put(&mut b, 1606, &[0, 0, 0, 0]);
    cases.push(("short record", b, "record 0x0085"));
    // The sheet said to start at byte 43,608 of a 4,096-byte stream (xls.rs: &stream[pos..]).
    let mut b = base.clone();
    b[1609] = 170;
    cases.push(("sheet past the stream", b, "past the workbook stream"));
    // A cell's column 0x54AF (xls.rs → Range::from_sparse allocates 22 GB and aborts).
    let mut b = base.clone();
    put(&mut b, 1877, &1_420_853_415u32.to_le_bytes());
    cases.push(("cell far out", b, "column"));
    // The directory's sector chained to itself (cfb.rs reads the chain until it ends).
    let mut b = base.clone();
    put(&mut b, 512 + 4, &1u32.to_le_bytes());
    cases.push(("directory loop", b, "loops"));
    // A formula record whose tokens run past its end (xls.rs parse_formula: &rgce[2..2 + cce]).
    let mut b = base.clone();
    b[1562] = 2;
    b[1873] = 6;
    b[1874] = 0;
    cases.push(("formula tokens", b, "record 0x0006"));
    for (what, bytes, said) in &cases {
        let found = tsunagari::ingest::xls_check::check(bytes).unwrap_err();
        assert!(found.en.contains(said), "{what}: {found}");
        match workbook::read_workbook(bytes, None) {
            Err(e @ ReadError::Damaged { .. }) => {
                assert!(
                    e.ja().starts_with("ファイルが壊れています（xls: "),
                    "{what}: {}",
                    e.ja()
                );
                assert!(e.ja().contains(&found.ja), "{what}: {}", e.ja());
                assert!(
                    e.en().starts_with("The file is damaged (xls: "),
                    "{what}: {}",
                    e.en()
                );
            }
            other => panic!("{what}: {:?}", other.map(|l| l.info)),
        }
        assert!(matches!(
            read_file_bytes(bytes, ReadOptions::default(), None),
            Err(ReadError::Damaged { .. })
        ));
    }
    // The undamaged file passes the check and reads.
    assert_eq!(tsunagari::ingest::xls_check::check(&base), Ok(()));
    assert!(workbook::read_workbook(&base, None).is_ok());
    // The CLI says it and exits 2 (before: killed by the abort with no message).
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("damaged.xls");
    std::fs::write(&path, &cases[1].1).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(["inspect", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ファイルが壊れています") && err.contains("The file is damaged"),
        "{err}"
    );
}

/// Issue 16: the page's reading worker holds no workbook reader; the workbook module reads
/// the sheet into a `SheetGrid` (cells as text), which crosses to the reading worker and
/// is assembled there. Whatever the workbook, sheet choice and header height, the grid,
/// sent through JSON as it crosses, assembles into exactly what reading the workbook in
/// place gives: table, warnings, read info, or the same error.
#[test]
fn a_workbook_read_elsewhere_as_a_grid_assembles_the_same() {
    let cases: Vec<(Vec<u8>, Option<&str>, Option<usize>)> = vec![
        (survey_xlsx(), None, None),
        (survey_xlsx(), Some("回答"), Some(2)),
        (survey_xlsx(), Some("説明"), None),
        (survey_xlsx(), Some("ない"), None),
        (kinds_xlsx(), None, None),
        (survey_ods(), None, None),
        (survey_xls(), None, Some(1)),
        (b"PK\x03\x04garbage".to_vec(), None, None),
    ];
    for (bytes, sheet, header_rows) in cases {
        let direct = workbook::read_workbook_with(&bytes, sheet, header_rows);
        let grid = workbook::read_sheet_grid(&bytes, sheet, header_rows);
        let json = serde_json::to_string(&grid).unwrap();
        let grid: Result<tsunagari::ingest::SheetGrid, ReadError> =
            serde_json::from_str(&json).unwrap();
        let assembled = grid.and_then(|g| g.assemble());
        assert_eq!(
            assembled, direct,
            "sheet {sheet:?}, header rows {header_rows:?}"
        );
    }
    // A read that succeeds carries rows, not an error.
    let loaded = workbook::read_sheet_grid(&survey_xlsx(), None, None)
        .unwrap()
        .assemble()
        .unwrap();
    assert_eq!(loaded.info.sheet.as_deref(), Some("回答"));
    assert_eq!(loaded.table.rows, 5);
}
