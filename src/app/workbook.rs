//! An .xlsx the engine has made but not written yet. Writing it (rust_xlsxwriter with
//! zip and zopfli, about a fifth of the engine's wasm) happens only when the user saves a
//! workbook, so the worker, which every visit downloads, does not hold the writer: it
//! replies `Reply::Write(Workbook)` and the page has a third module, loaded on the first
//! 「Excel で保存」 (`ui::xlsx_worker`), turn it into the reply the page shows. Natively
//! and in the component tests (feature `in-page`) the same `write` runs in place.

use serde::{Deserialize, Serialize};

use crate::analysis::aggregate::Aggregate;
use crate::analysis::Report;
use crate::lang::Lang;
use crate::message::Message;

use super::session::Reply;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Workbook {
    /// The report's tables, one sheet each (「Excel ファイルで保存」): saved as `name`.
    Report {
        name: String,
        report: Box<Report>,
        lang: Lang,
    },
    /// A disclosure-controlled aggregate: the page shows it and keeps its workbook for
    /// 「Excel ファイルで保存」.
    Aggregate(Box<Aggregate>),
}

impl Workbook {
    /// The reply the page gets: the file to save, the aggregate with its workbook, or why
    /// it could not be written.
    pub fn write(self) -> Reply {
        match self {
            Workbook::Report { name, report, lang } => {
                match crate::analysis::layout::to_xlsx(&report, lang) {
                    Ok(bytes) => Reply::File { name, bytes },
                    Err(e) => Reply::Refused(e),
                }
            }
            Workbook::Aggregate(aggregate) => match crate::analysis::aggregate::to_xlsx(&aggregate)
            {
                Ok(xlsx) => Reply::Aggregated { aggregate, xlsx },
                Err(e) => Reply::Refused(Message::new(&e, &e)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::{Request, Session};
    use crate::ingest::{read_bytes, ReadOptions};

    fn session() -> Session {
        let text =
            "ID,性別,年代\n1,男性,30代\n2,女性,40代\n3,女性,30代\n4,男性,40代\n5,女性,30代\n";
        let mut s = Session::default();
        s.loaded(read_bytes(text.as_bytes(), ReadOptions::default()).unwrap());
        s
    }

    fn template(title: &str) -> crate::analysis::AnalysisTemplate {
        crate::analysis::AnalysisTemplate::from_json(&format!(
            r#"{{"format":"tsunagari-analysis","version":1,"title":"{title}","tables":[{{"type":"tabulation","question":"性別"}}]}}"#
        ))
        .unwrap()
    }

    /// The engine answers 「Excel で保存」 with the workbook unwritten (the worker holds no
    /// writer); written, it is the same .xlsx `layout::to_xlsx` makes of the same report,
    /// under the report's title.
    #[test]
    fn a_report_is_written_after_the_engine_answered() {
        let mut s = session();
        let reply = s.handle(Request::ReportXlsx(
            Box::new(template("市の調査")),
            Lang::Ja,
        ));
        let Reply::Write(book) = reply else {
            panic!("written in the engine: {reply:?}")
        };
        let Workbook::Report { report, .. } = &*book else {
            panic!()
        };
        let expected = crate::analysis::layout::to_xlsx(report, Lang::Ja).unwrap();
        // Written and read back as it crosses to the writer's worker (through CBOR here,
        // which, like the JS values the worker gets, keeps every f64 exactly; serde_json
        // would not).
        let mut cbor = Vec::new();
        ciborium::into_writer(&book, &mut cbor).unwrap();
        let book: Box<Workbook> = ciborium::from_reader(cbor.as_slice()).unwrap();
        let Reply::File { name, bytes } = book.write() else {
            panic!()
        };
        assert_eq!(name, "市の調査.xlsx");
        use calamine::Reader;
        let read = |b: Vec<u8>| {
            let mut wb = calamine::Xlsx::new(std::io::Cursor::new(b)).unwrap();
            let names = wb.sheet_names();
            names
                .iter()
                .map(|n| wb.worksheet_range(n).unwrap())
                .map(|r| {
                    r.rows()
                        .map(|row| row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        let (got, want) = (read(bytes), read(expected));
        assert!(
            got.iter().flatten().flatten().any(|c| c == "女性"),
            "{got:?}"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn an_aggregate_comes_back_with_its_workbook() {
        let mut s = session();
        let reply = s.handle(Request::Aggregate {
            template: Box::new(template("")),
            rules: crate::disclosure::Rules::default(),
            municipality: "A市".into(),
        });
        let Reply::Write(book) = reply else {
            panic!("{reply:?}")
        };
        let Workbook::Aggregate(expected) = (*book).clone() else {
            panic!()
        };
        let Reply::Aggregated { aggregate, xlsx } = book.write() else {
            panic!()
        };
        assert_eq!(aggregate, expected);
        assert_eq!(
            xlsx,
            crate::analysis::aggregate::to_xlsx(&expected).unwrap()
        );
    }
}
