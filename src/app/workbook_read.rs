//! A workbook (.xlsx, .xls, .ods) the engine was given but cannot read where it runs: the
//! browser's reading worker is built without the workbook reader (calamine, an eighth of
//! its wasm; cargo feature `workbooks`), so a first visit does not download it (issue
//! 16). The engine answers a dropped workbook, or a workbook picked as a codebook, with
//! `Reply::ReadWorkbook(WorkbookRead)`; the page hands it to the workbook module (the
//! third module, which also writes workbooks: `ui::xlsx_worker`), which reads the sheet
//! into cells (`SheetRead`), and the page passes that back to the reading worker, where
//! `Session::sheet` assembles it and goes on as if the file had been read there. Natively
//! and in the component tests (feature `in-page`) the same `read` runs in place.

use serde::{Deserialize, Serialize};

use crate::ingest::{ReadError, SheetGrid};

use super::session::LoadRequest;

/// A workbook to read, and what its sheet is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkbookRead {
    #[serde(with = "crate::app::file_bytes")]
    pub bytes: Vec<u8>,
    /// The sheet asked for (`None`: the sheet that holds the data).
    pub sheet: Option<String>,
    /// Rows of the header as the user said (`ReadOptions::header_rows`).
    pub header_rows: Option<usize>,
    pub purpose: Purpose,
}

/// What the sheet is for once read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Purpose {
    /// The survey file dropped: it becomes the session's table.
    Load,
    /// A codebook the user picked (the file's name, said in messages).
    Codebook { name: String },
}

/// The sheet read (or why not), on its way back to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRead {
    pub grid: Result<SheetGrid, ReadError>,
    pub purpose: Purpose,
}

impl WorkbookRead {
    /// A dropped workbook, read as the user chose (sheet, header rows).
    pub fn load(bytes: Vec<u8>, load: &LoadRequest) -> Self {
        WorkbookRead {
            bytes,
            sheet: load.sheet.clone(),
            header_rows: load.header_rows,
            purpose: Purpose::Load,
        }
    }

    /// A workbook picked as a codebook: read as a survey file is by default.
    pub fn codebook(name: String, bytes: Vec<u8>) -> Self {
        let load = LoadRequest::default();
        WorkbookRead {
            bytes,
            sheet: load.sheet,
            header_rows: load.header_rows,
            purpose: Purpose::Codebook { name },
        }
    }

    /// Reads the sheet (the workbook module; in place natively and in-page).
    #[cfg(feature = "workbooks")]
    pub fn read(self) -> SheetRead {
        SheetRead {
            grid: crate::ingest::workbook::read_sheet_grid(
                &self.bytes,
                self.sheet.as_deref(),
                self.header_rows,
            ),
            purpose: self.purpose,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::{Reply, Request, Session};
    use crate::ingest::{read_bytes, read_file_bytes, Finished, ReadOptions};

    /// A workbook as a municipality keeps one: a cover sheet, then the data.
    fn survey_xlsx() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let cover = book.add_worksheet();
        cover.set_name("表紙").unwrap();
        cover.write_string(0, 0, "住民調査 回答一覧").unwrap();
        let data = book.add_worksheet();
        data.set_name("回答").unwrap();
        data.write_string(0, 0, "住民調査").unwrap();
        for (c, h) in ["ID", "性別", "問1"].iter().enumerate() {
            data.write_string(2, c as u16, *h).unwrap();
        }
        for r in 0..12u32 {
            data.write_number(3 + r, 0, (r + 1) as f64).unwrap();
            data.write_string(3 + r, 1, ["女性", "男性", ""][r as usize % 3])
                .unwrap();
            data.write_number(3 + r, 2, (r % 4 + 1) as f64).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// The round trip the page makes: the engine hands the workbook back, the workbook
    /// module reads it, the sheet crosses as a message (CBOR here, which like the JS
    /// values between workers keeps every value exactly), the engine assembles it.
    fn round_trip(s: &mut Session, reply: Reply) -> Reply {
        let Reply::ReadWorkbook(read) = reply else {
            panic!("not handed to the workbook module: {reply:?}")
        };
        let mut cbor = Vec::new();
        ciborium::into_writer(&read, &mut cbor).unwrap();
        let read: WorkbookRead = ciborium::from_reader(cbor.as_slice()).unwrap();
        let sheet = read.read();
        let mut cbor = Vec::new();
        ciborium::into_writer(&sheet, &mut cbor).unwrap();
        s.sheet(ciborium::from_reader(cbor.as_slice()).unwrap())
    }

    /// Issue 16: a dropped workbook loads as it did when the worker read it itself: the
    /// same summary (sheet chosen, sheets listed, title rows said) and model, with the
    /// sheet and header rows chosen on the page, and the same error for a damaged file.
    #[test]
    fn a_dropped_workbook_loads_the_same_through_the_workbook_module() {
        let cases = [
            (survey_xlsx(), LoadRequest::default()),
            (
                survey_xlsx(),
                LoadRequest {
                    sheet: Some("回答".into()),
                    header_rows: Some(2),
                    ..LoadRequest::default()
                },
            ),
            (b"PK\x03\x04 cut short".to_vec(), LoadRequest::default()),
        ];
        for (bytes, load) in cases {
            let mut reader = load.reader();
            reader.push(&bytes).unwrap();
            let Finished::Workbook(held) = reader.finish_or_workbook().unwrap() else {
                panic!("a workbook read as text")
            };
            assert_eq!(held, bytes);
            let mut s = Session::default();
            let got = round_trip(
                &mut s,
                Reply::ReadWorkbook(Box::new(WorkbookRead::load(held, &load))),
            );
            let want = match read_file_bytes(&bytes, load.read_options(), load.sheet.clone()) {
                Ok(loaded) => Session::default().loaded(loaded),
                Err(e) => Reply::Failed(e),
            };
            assert_eq!(got, want);
            // The session holds the table: the page's first question is tabulated.
            if let Reply::Loaded(summary, model) = &got {
                assert_eq!(summary.info.sheet.as_deref(), Some("回答"));
                let id = crate::app::state::default_question(model).unwrap();
                assert!(matches!(
                    s.handle(Request::TabulateQuestion { id }),
                    Reply::Tabulations { .. }
                ));
            }
        }
    }

    /// A codebook picked as an .xlsx labels the questions as the same codebook as CSV.
    #[test]
    fn a_workbook_codebook_applies_as_the_same_sheet_in_csv() {
        let survey = "ID,問1\n1,1\n2,2\n3,1\n4,2\n5,1\n";
        let rows = [
            ["変数名", "コード", "ラベル"],
            ["問1", "1", "はい"],
            ["問1", "2", "いいえ"],
        ];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        let xlsx = book.save_to_buffer().unwrap();
        let csv: String = rows.iter().map(|r| r.join(",") + "\n").collect();
        let session = || {
            let mut s = Session::default();
            s.loaded(read_bytes(survey.as_bytes(), ReadOptions::default()).unwrap());
            s
        };
        let mut s = session();
        let first = s.handle(Request::ApplyCodebook {
            name: "符号表.xlsx".into(),
            bytes: xlsx,
        });
        let got = round_trip(&mut s, first);
        let want = session().handle(Request::ApplyCodebook {
            name: "符号表.xlsx".into(),
            bytes: csv.into_bytes(),
        });
        let Reply::Model(view) = &got else {
            panic!("{got:?}")
        };
        assert!(view
            .report
            .as_ref()
            .unwrap()
            .matched
            .contains(&"問1".to_string()));
        assert_eq!(got, want);
        // A damaged workbook is refused naming the file, as a damaged CSV is.
        let first = s.handle(Request::ApplyCodebook {
            name: "壊れた.xlsx".into(),
            bytes: b"PK\x03\x04 cut short".to_vec(),
        });
        let refused = round_trip(&mut s, first);
        assert!(
            matches!(&refused, Reply::Refused(m) if m.ja.starts_with("壊れた.xlsx: ")),
            "{refused:?}"
        );
    }
}
