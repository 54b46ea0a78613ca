//! Aggregates to share outside the municipality: the counts of a report's tables with
//! disclosure control applied (`crate::disclosure`): cells of 1–2 respondents and their
//! complements shown as 「x」, percentages on a base under 10 flagged 「*」. Built from a
//! report, so identifiers and free text are already out (the report goes through the
//! survey's gate); only counts and labels leave, never a response.

use serde::{Deserialize, Serialize};

use super::template::{Outcome, Report};
use crate::disclosure::{suppress, Rules};
use crate::model::national::Item;
use crate::model::ModelError;

pub const FORMAT: &str = "tsunagari-aggregate";
pub const VERSION: u32 = 1;

/// A count as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Count {
    Shown(u64),
    /// 「x」: hidden.
    Hidden(String),
}

impl Count {
    fn of(n: u64, hidden: bool) -> Count {
        if hidden {
            Count::Hidden("x".into())
        } else {
            Count::Shown(n)
        }
    }

    pub fn text(&self) -> String {
        match self {
            Count::Shown(n) => n.to_string(),
            Count::Hidden(x) => x.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregateTable {
    pub title: String,
    /// Row labels (answers of the row question) and column labels ("件数" for a simple
    /// tabulation).
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<Count>>,
    pub row_totals: Vec<Count>,
    pub col_totals: Vec<Count>,
    pub total: Count,
    /// Row % of each shown cell (none where hidden); `small_base[r]` flags 「*」.
    pub row_percent: Vec<Vec<Option<f64>>>,
    pub small_base: Vec<bool>,
    /// The national item the tabulated question is (a simple tabulation only), so that
    /// towns' files can be compared whatever their titles say. Absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national: Option<Item>,
    /// A multiple answer's respondents (who chose at least one option): the base of its
    /// %, as the cells count answers and sum to more. Absent for a single answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents: Option<Count>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub format: String,
    pub version: u32,
    pub title: String,
    pub rules: Rules,
    pub tables: Vec<AggregateTable>,
    /// Said to whoever opens the file.
    pub note_ja: String,
}

/// The report's tables of counts (tabulations, crosstabs) with disclosure control.
/// Means and national comparisons carry no table of counts to share and are left out.
pub fn aggregate(report: &Report, rules: Rules) -> Aggregate {
    let mut tables = Vec::new();
    for item in &report.items {
        match &item.outcome {
            Outcome::Tabulation(fs) => {
                for f in fs {
                    let rows: Vec<String> = f.rows.iter().map(|r| r.label.label.clone()).collect();
                    let counts: Vec<Vec<u64>> = f.rows.iter().map(|r| vec![r.count]).collect();
                    // A simple tabulation's % is of its base (everyone; for a multiple
                    // answer, those who answered), not of its row.
                    let base = if f.multiple {
                        f.base_count
                    } else {
                        f.rows.iter().map(|r| r.count).sum()
                    };
                    let mut t = table(
                        f.title.clone(),
                        rows,
                        vec!["件数".into()],
                        &counts,
                        Some(base),
                        rules,
                    );
                    t.national = f.national;
                    // Respondents are a total like the others: 1–2 of them stay hidden.
                    t.respondents = f.multiple.then(|| {
                        let n = f.base_count;
                        Count::of(n, n > 0 && n < rules.min_count)
                    });
                    tables.push(t);
                }
            }
            Outcome::Crosstab(x) => {
                for t in &x.tables {
                    let mut title = format!("{} × {}", x.row.title, x.col.title);
                    if let Some(l) = &t.layer {
                        title.push_str(&format!("（{}）", l.label));
                    }
                    let rows = t.rows.iter().map(|l| l.label.clone()).collect();
                    let cols = t.cols.iter().map(|l| l.label.clone()).collect();
                    tables.push(table(title, rows, cols, &t.counts, None, rules));
                }
            }
            _ => {}
        }
    }
    Aggregate {
        format: FORMAT.into(),
        version: VERSION,
        title: report.title.clone(),
        rules,
        tables,
        note_ja: format!(
            "秘匿処理済みの集計表です。回答者が{}人未満のセルと、引き算で分かってしまうセルは「x」、回答者{}人未満を分母とする割合は「*」を付けています。個々の回答は含みません。",
            rules.min_count, rules.min_base
        ),
    }
}

fn table(
    title: String,
    rows: Vec<String>,
    cols: Vec<String>,
    counts: &[Vec<u64>],
    // The base of every row's % (a simple tabulation's); none: each row's own total (a
    // crosstab's row %). 「*」 follows the base.
    base: Option<u64>,
    rules: Rules,
) -> AggregateTable {
    let s = suppress(counts, rules);
    let row_sum = |r: usize| counts[r].iter().sum::<u64>();
    let base_of = |r: usize| base.unwrap_or_else(|| row_sum(r));
    let col_sum = |c: usize| {
        counts
            .iter()
            .map(|row| row.get(c).copied().unwrap_or(0))
            .sum::<u64>()
    };
    let total: u64 = counts.iter().flatten().sum();
    AggregateTable {
        title,
        cells: counts
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, &n)| Count::of(n, s.cells[r][c].hidden()))
                    .collect()
            })
            .collect(),
        row_totals: (0..counts.len())
            .map(|r| Count::of(row_sum(r), s.row_totals_hidden[r]))
            .collect(),
        col_totals: (0..cols.len())
            .map(|c| Count::of(col_sum(c), s.col_totals_hidden[c]))
            .collect(),
        total: Count::of(total, s.grand_total_hidden),
        row_percent: counts
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, &n)| {
                        let base = base_of(r);
                        (!s.cells[r][c].hidden() && base > 0)
                            .then(|| n as f64 * 100.0 / base as f64)
                    })
                    .collect()
            })
            .collect(),
        small_base: (0..counts.len())
            .map(|r| crate::disclosure::small_base(base_of(r), rules))
            .collect(),
        rows,
        cols,
        national: None,
        respondents: None,
    }
}

impl Aggregate {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an aggregate always serialises")
    }

    /// Reads an aggregate file (another town's, or one's own saved earlier); refuses other
    /// files and newer versions, naming `file_name` so that a list of several says which.
    pub fn from_json(json: &str, file_name: &str) -> Result<Aggregate, ModelError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| ModelError {
            ja: format!(
                "「{file_name}」は JSON として読めません（{}行{}列）: {e}。つながりの「集計表（秘匿処理済み）」で保存した .json ファイルを選んでください。",
                e.line(),
                e.column()
            ),
            en: format!(
                "\"{file_name}\" is not readable JSON (line {}, column {}): {e}. Choose a .json file saved as a Tsunagari aggregate.",
                e.line(),
                e.column()
            ),
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(ModelError {
                ja: format!("「{file_name}」は集計ファイルではありません（\"format\": \"{FORMAT}\" がありません）。つながりの「集計表（秘匿処理済み）」で保存した .json ファイルを選んでください。"),
                en: format!("\"{file_name}\" is not a Tsunagari aggregate (no \"format\": \"{FORMAT}\"). Choose a .json file saved as an aggregate."),
            });
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > VERSION as u64 {
            return Err(ModelError {
                ja: format!("「{file_name}」は新しい版（{version}）のつながりで作られた集計ファイルです。つながりを更新してから読み込んでください。"),
                en: format!("\"{file_name}\" was written by a newer Tsunagari (aggregate version {version}); update Tsunagari to read it."),
            });
        }
        let a: Aggregate = serde_json::from_value(value).map_err(|e| ModelError {
            ja: format!("「{file_name}」の集計ファイルの内容が正しくありません: {e}。ファイルを作り直してもらってください。"),
            en: format!("The aggregate \"{file_name}\" is not valid: {e}. Ask for the file to be written again."),
        })?;
        super::limits::check_aggregate(&a, file_name)?;
        // Lengths are trusted below (cells per row): a file edited by hand may break them.
        for t in &a.tables {
            if t.cells.len() != t.rows.len()
                || t.cells.iter().any(|r| r.len() != t.cols.len())
                || t.small_base.len() != t.rows.len()
            {
                return Err(ModelError {
                    ja: format!("「{file_name}」の表「{}」は行・列の数が合いません。ファイルを作り直してもらってください。", t.title),
                    en: format!("In \"{file_name}\", table \"{}\" has rows and columns that do not match. Ask for the file to be written again.", t.title),
                });
            }
        }
        Ok(a)
    }
}

/// The aggregate as a workbook: one sheet per table, 「x」 where hidden, and the note.
pub fn to_xlsx(a: &Aggregate) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::Workbook;
    let err =
        |e: rust_xlsxwriter::XlsxError| format!("xlsx を作れません / cannot write the xlsx: {e}");
    let mut wb = Workbook::new();
    for (i, t) in a.tables.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("表{}", i + 1)).map_err(err)?;
        ws.write_string(0, 0, &t.title).map_err(err)?;
        for (c, label) in t.cols.iter().enumerate() {
            ws.write_string(1, c as u16 + 1, label).map_err(err)?;
        }
        ws.write_string(1, t.cols.len() as u16 + 1, "合計")
            .map_err(err)?;
        let put = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, v: &Count| match v {
            Count::Shown(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
            Count::Hidden(x) => ws.write_string(r, c, x).map(|_| ()),
        };
        for (r, label) in t.rows.iter().enumerate() {
            let row = r as u32 + 2;
            let mark = if t.small_base[r] { " *" } else { "" };
            ws.write_string(row, 0, format!("{label}{mark}"))
                .map_err(err)?;
            for (c, v) in t.cells[r].iter().enumerate() {
                put(ws, row, c as u16 + 1, v).map_err(err)?;
            }
            put(ws, row, t.cols.len() as u16 + 1, &t.row_totals[r]).map_err(err)?;
        }
        let last = t.rows.len() as u32 + 2;
        ws.write_string(last, 0, "合計").map_err(err)?;
        for (c, v) in t.col_totals.iter().enumerate() {
            put(ws, last, c as u16 + 1, v).map_err(err)?;
        }
        put(ws, last, t.cols.len() as u16 + 1, &t.total).map_err(err)?;
        ws.write_string(last + 2, 0, &a.note_ja).map_err(err)?;
    }
    if a.tables.is_empty() {
        wb.add_worksheet()
            .write_string(0, 0, "表がありません / no tables")
            .map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
