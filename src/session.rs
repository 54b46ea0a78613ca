//! The engine behind the page, as messages. The loaded table lives where the engine runs
//! (a Web Worker, or the page itself when workers are unavailable, e.g. from file://); the
//! page sends [`Request`]s and receives [`Reply`]s holding only results and summaries,
//! never the table. Pure and tested natively; `ui::backend` carries the messages.

use serde::{Deserialize, Serialize};

use crate::crosstab::{self, CrosstabCells};
use crate::ingest::{Loaded, ReadError, ReadInfo, ReadOptions, Warning};
use crate::table::{ColumnSummary, Table};
use crate::tabulate::{tabulate, Order, Tabulation};

/// Rows shown in the preview under the load summary.
pub const PREVIEW_ROWS: usize = 8;

/// What the page knows of a loaded file: how it was read, its columns, the first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub info: ReadInfo,
    pub warnings: Vec<Warning>,
    pub columns: Vec<ColumnSummary>,
    /// The first rows, cell by cell, so the user can see the encoding guess was right.
    pub preview: Vec<Vec<String>>,
}

impl Summary {
    pub fn of(loaded: &Loaded) -> Summary {
        let table = &loaded.table;
        Summary {
            info: loaded.info.clone(),
            warnings: loaded.warnings.clone(),
            columns: table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| c.summary(i + 1))
                .collect(),
            preview: (0..table.rows.min(PREVIEW_ROWS))
                .map(|r| {
                    table
                        .columns
                        .iter()
                        .map(|c| c.value(r).to_string())
                        .collect()
                })
                .collect(),
        }
    }
}

/// How to read a file: what the user chose on the page (nothing = detect).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoadRequest {
    /// An encoding label from `ingest::encoding::CHOICES`; `None` detects it.
    pub encoding: Option<String>,
    /// The sheet of a workbook; `None` reads the first sheet that holds a table.
    #[serde(default)]
    pub sheet: Option<String>,
}

impl LoadRequest {
    /// A reader for any kind of file, set up as the user chose.
    pub fn reader(&self) -> crate::ingest::FileReader {
        crate::ingest::FileReader::new(self.read_options(), self.sheet.clone())
    }

    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            encoding: self
                .encoding
                .as_deref()
                .and_then(crate::ingest::encoding::by_label),
            ..ReadOptions::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    Tabulate {
        column: usize,
        order: Order,
    },
    /// Cells of a crosstab by column names (used by the benchmark page).
    CrosstabCells {
        row: String,
        col: String,
        weight: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has started and takes messages (those sent earlier wait for this).
    Ready,
    Progress {
        bytes: f64,
        total: f64,
        rows: u64,
    },
    Loaded(Box<Summary>),
    Failed(ReadError),
    Tabulation(Tabulation),
    CrosstabCells(CrosstabCells),
    /// A request the engine could not answer (e.g. an unknown column).
    Refused {
        message_ja: String,
        message_en: String,
    },
}

/// The loaded table and the answers to requests about it.
#[derive(Debug, Default)]
pub struct Session {
    table: Option<Table>,
}

impl Session {
    /// Keeps the table and returns the summary for the page.
    pub fn loaded(&mut self, loaded: Loaded) -> Reply {
        let summary = Summary::of(&loaded);
        self.table = Some(loaded.table);
        Reply::Loaded(Box::new(summary))
    }

    pub fn table(&self) -> Option<&Table> {
        self.table.as_ref()
    }

    pub fn handle(&self, request: &Request) -> Reply {
        let Some(table) = &self.table else {
            return refused("データが読み込まれていません。", "No data is loaded.");
        };
        match request {
            Request::Tabulate { column, order } => match table.columns.get(*column) {
                Some(c) => Reply::Tabulation(tabulate(c, *order)),
                None => refused(
                    &format!("{} 列目はありません。", column + 1),
                    &format!("There is no column {}.", column + 1),
                ),
            },
            Request::CrosstabCells { row, col, weight } => {
                let find = |name: &str| table.column(name);
                let (Some(r), Some(c)) = (find(row), find(col)) else {
                    return refused(
                        &format!("列「{row}」または「{col}」がありません。"),
                        &format!("No column \"{row}\" or \"{col}\"."),
                    );
                };
                let w = match weight {
                    Some(name) => match find(name) {
                        Some(w) => Some(w),
                        None => {
                            return refused(
                                &format!("重みの列「{name}」がありません。"),
                                &format!("No weight column \"{name}\"."),
                            )
                        }
                    },
                    None => None,
                };
                Reply::CrosstabCells(crosstab::cells(r, c, w))
            }
        }
    }
}

fn refused(ja: &str, en: &str) -> Reply {
    Reply::Refused {
        message_ja: ja.to_string(),
        message_en: en.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    #[test]
    fn the_page_gets_summaries_and_results_not_the_table() {
        let loaded = read_bytes(
            "ID,性別\n1,男性\n2,女性\n3,\n".as_bytes(),
            ReadOptions::default(),
        )
        .unwrap();
        let mut s = Session::default();
        assert!(matches!(
            s.handle(&Request::Tabulate {
                column: 0,
                order: Order::Natural
            }),
            Reply::Refused { .. }
        ));
        let Reply::Loaded(summary) = s.loaded(loaded) else {
            panic!()
        };
        assert_eq!(summary.columns.len(), 2);
        assert_eq!(summary.preview[1], vec!["2", "女性"]);
        let Reply::Tabulation(t) = s.handle(&Request::Tabulate {
            column: 1,
            order: Order::Natural,
        }) else {
            panic!()
        };
        assert_eq!(t.base, 3);
        assert!(matches!(
            s.handle(&Request::Tabulate {
                column: 7,
                order: Order::Natural
            }),
            Reply::Refused { .. }
        ));
        let reply = s.handle(&Request::CrosstabCells {
            row: "性別".into(),
            col: "ID".into(),
            weight: None,
        });
        let Reply::CrosstabCells(x) = reply else {
            panic!()
        };
        assert_eq!(x.cells.len(), 3);
    }

    #[test]
    fn replies_survive_serialisation() {
        let loaded = read_bytes("a,b\n1,2\n".as_bytes(), ReadOptions::default()).unwrap();
        let reply = Session::default().loaded(loaded);
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
    }
}
