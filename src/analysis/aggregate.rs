//! Aggregates to share outside the municipality: the counts of a template's tables with
//! disclosure control applied to the whole file at once (`published`, then
//! `crate::stats::disclosure::linked`): cells of 1–2 respondents and their complements shown as
//! 「x」, so that no table, and no subtraction of one table from another, gives them back;
//! answers fewer than 3 people gave merged into 「その他（少数）」; percentages rounded to
//! one decimal, none where the count or its base is hidden, 「*」 on a base under 10.
//! Every name goes through the survey's gate, so identifiers and free text stay out; only
//! counts and labels leave, never a response.

use serde::{Deserialize, Serialize};

use super::published::publish;
use super::template::AnalysisTemplate;
use super::Note;
use crate::model::national::Item;
use crate::model::{ModelError, Survey};
use crate::stats::disclosure::Rules;

pub const FORMAT: &str = crate::formats::AGGREGATE;
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
    pub(crate) fn of(n: u64, hidden: bool) -> Count {
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
    /// The filter the table was computed under (its title says it too), so that a filtered
    /// table is never read, or compared with other towns, as the whole survey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// The weight column whose blank cells left rows out (counts are never weighted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// 無回答 counted as an answer (true) or left out of the table.
    #[serde(default = "default_true")]
    pub include_no_answer: bool,
}

/// serde's default for a flag that is on unless a file says otherwise.
fn default_true() -> bool {
    true
}

impl AggregateTable {
    /// Computed on every respondent, 無回答 included, with no weight: comparable with
    /// another town's table of the same question.
    pub fn whole_survey(&self) -> bool {
        self.filter.is_none() && self.weight.is_none() && self.include_no_answer
    }
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
    /// The template's tables that were not exported, and why (no value of the file in
    /// them: only table numbers, titles and the rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<Note>,
    /// The municipality whose survey this is (「○○市」): names the saved file and the town in
    /// 「市町村の比較」. Absent in older files (the file name is used then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
}

/// The longest municipality name kept (a prefecture + city + ward fits easily).
pub const MAX_MUNICIPALITY: usize = 40;

/// A municipality name as typed or read from another town's file: control characters
/// dropped, spaces collapsed, at most [`MAX_MUNICIPALITY`] characters; `None` when nothing
/// is left.
pub fn municipality_name(typed: &str) -> Option<String> {
    let cleaned: String = typed
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let name = cleaned
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name: String = name.chars().take(MAX_MUNICIPALITY).collect();
    (!name.is_empty()).then_some(name)
}

/// The template's tables of counts (tabulations, crosstabs) on `survey`, with disclosure
/// control over the whole file. Numbers by group and national comparisons carry no table
/// of counts to share: they are listed as left out. `min_count` is never below 3, whatever
/// `rules` asks (a threshold of 1 or 2 would hide nothing and still say 秘匿処理済み).
pub fn aggregate(survey: &Survey, template: &AnalysisTemplate, rules: Rules) -> Aggregate {
    let rules = rules.at_least_default();
    let published = publish(survey, template, rules);
    Aggregate {
        format: FORMAT.into(),
        version: VERSION,
        title: template.title.clone(),
        rules,
        tables: published.tables,
        note_ja: format!(
            "秘匿処理済みの集計表です。回答者が{}人未満のセル・合計と、引き算で分かってしまうセル（この表どうし、ファイル内のほかの表との引き算を含む）は「x」、{}人未満しか答えていない回答は「{}」にまとめ、回答者{}人未満を分母とする割合は「*」を付けています。割合は小数第1位までです。個々の回答は含みません。",
            rules.min_count,
            rules.min_count,
            super::published::RARE_ANSWERS,
            rules.min_base
        ),
        left_out: published.left_out,
        municipality: None,
    }
}

impl Aggregate {
    /// The aggregate saved under the municipality's name (see [`municipality_name`]).
    pub fn named(mut self, municipality: &str) -> Aggregate {
        self.municipality = municipality_name(municipality);
        self
    }

    /// The name to save the file under: 「○○市_集計表（秘匿処理済み）.json」, with the
    /// characters Windows refuses in a file name replaced by 「_」.
    pub fn file_name(&self, extension: &str) -> String {
        const BASE: &str = "集計表（秘匿処理済み）";
        match &self.municipality {
            Some(m) => {
                let safe: String = m
                    .chars()
                    .map(|c| if r#"\/:*?"<>|"#.contains(c) { '_' } else { c })
                    .collect();
                format!("{}_{BASE}.{extension}", safe.trim_matches(['.', ' ']))
            }
            None => format!("{BASE}.{extension}"),
        }
    }

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
        let mut a = a;
        a.municipality = a.municipality.as_deref().and_then(municipality_name);
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
        let title = match &a.municipality {
            Some(m) => format!("{m}　{}", t.title),
            None => t.title.clone(),
        };
        ws.write_string(0, 0, &title).map_err(err)?;
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
    if !a.left_out.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("入れなかった表").map_err(err)?;
        ws.write_string(0, 0, "個人が分かってしまうおそれがあるため入れなかった表")
            .map_err(err)?;
        for (i, n) in a.left_out.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, &n.ja).map_err(err)?;
        }
    }
    if a.tables.is_empty() {
        wb.add_worksheet()
            .write_string(0, 0, "表がありません / no tables")
            .map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
