//! What reading a file found: repairs it made (warnings) and reasons it had to stop
//! (errors). Every message says what happened, where, and what to do, in Japanese for the
//! staff who use the app and in English.

use serde::{Deserialize, Serialize};

/// How many row numbers a warning keeps as examples (the count is always exact).
pub const EXAMPLES: usize = 20;

/// A place in the file a row-level warning points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRef {
    /// Data row number: 1 is the first row after the header's first row (a header block's
    /// other rows are counted, so a place means the same cell whatever the header's
    /// height).
    pub row: u64,
    /// Text line the row starts on (1-based; the header is on line 1 unless blank lines
    /// come first; CRLF, LF and CR each end a line). For workbooks: the sheet's row.
    pub line: u64,
    /// Number of fields the row has.
    pub fields: usize,
}

/// The cell a quote opened: data row (1 = the first row after the header's first row; 0 =
/// that row) and 1-based column. Written `101:5` on the command line (`--literal-quote`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QuoteAt {
    pub row: u64,
    pub column: usize,
}

impl std::fmt::Display for QuoteAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.row, self.column)
    }
}

impl std::str::FromStr for QuoteAt {
    type Err = String;

    /// `ROW:COLUMN`, as the warning writes it (`101:5`).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "「{s}」は 行:列 の形（例 101:5）ではありません。/ \"{s}\" is not ROW:COLUMN (e.g. 101:5)."
            )
        };
        let (row, column) = s.trim().split_once(':').ok_or_else(bad)?;
        let row = row.trim().parse().map_err(|_| bad())?;
        let column = column.trim().parse().map_err(|_| bad())?;
        if column == 0 {
            return Err(bad());
        }
        Ok(QuoteAt { row, column })
    }
}

/// Something the reader repaired or wants the user to know. Nothing was dropped without
/// one of these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Bytes that are not valid in the chosen encoding; each became U+FFFD.
    UndecodableBytes {
        encoding: String,
        count: u64,
        first_offsets: Vec<u64>,
    },
    /// The encoding was a guess that could be wrong.
    UncertainEncoding { encoding: String },
    /// Header cells that were blank got a generated name.
    BlankHeaders {
        columns: Vec<usize>,
        names: Vec<String>,
    },
    /// Header names that repeat were made unique.
    DuplicateHeaders { renamed: Vec<(String, String)> },
    /// Rows with fewer fields than the header; the missing cells are blank.
    ShortRows {
        header_fields: usize,
        count: u64,
        examples: Vec<RowRef>,
    },
    /// Rows with more fields than the header; the extra cells went into new columns.
    LongRows {
        header_fields: usize,
        count: u64,
        examples: Vec<RowRef>,
        added_columns: Vec<String>,
    },
    /// Rows where every cell is blank, inside the data: kept.
    BlankRowsKept { count: u64, examples: Vec<u64> },
    /// Rows where every cell is blank at the end of the file: dropped.
    TrailingBlankRowsDropped { count: u64 },
    /// Lines with nothing on them at all (not even a delimiter): skipped.
    EmptyLinesSkipped { count: u64 },
    /// Columns at the right with no header and no value: dropped.
    EmptyColumnsDropped { columns: Vec<usize> },
    /// Rows above a workbook's table (a title, a note) that were not read as data.
    TitleRowsSkipped { rows: Vec<u64> },
    /// Workbook cells holding an error value (#N/A, #DIV/0! …): kept as that text.
    CellErrors { count: u64, cells: Vec<String> },
    /// Cells written as Excel formulas ="001" so leading zeros survive: kept as text 001.
    ExcelTextFormula { count: u64, columns: Vec<String> },
    /// The first row, taken as the header, looks like a respondent's answers (a file
    /// without a header row): its names would be that person's ID, name, address.
    /// Found after reading, by `model::header::suspect_names`.
    HeaderLooksLikeData { columns: Vec<SuspectName> },
    /// A quote (") at the start of a cell opened a quoted value that swallowed whole rows
    /// of the file: the lines after it were read into this one cell instead of as
    /// respondents (see `csv_reader::runaway` for the rule). Rows are missing: the page
    /// shows it as an error. Repaired by reading again with the quote as a character
    /// (`ReadOptions::literal_quotes`, 「引用符を文字として読み直す」,
    /// `--literal-quote ROW:COLUMN`).
    RunawayQuote {
        /// Where the quote is: data row (0 = the header row), the file's line, the column.
        row: u64,
        line: u64,
        column: usize,
        column_name: String,
        /// Lines with something on them read into the cell after its own first line.
        lines: u64,
        /// Of those, the lines shaped like a row of this file (the header's number of
        /// fields): about the respondents missing.
        rows_like: u64,
        /// Never closed: the cell runs to the end of the file.
        to_end: bool,
    },
    /// The repair of a `RunawayQuote`: the quote at the start of this cell was read as an
    /// ordinary character, as asked (`ReadOptions::literal_quotes`).
    QuoteReadAsText {
        row: u64,
        line: u64,
        column: usize,
        column_name: String,
    },
    /// A quote asked to be read as a character is not there (the cell does not start
    /// with one): nothing was changed.
    LiteralQuoteNotFound { row: u64, column: usize },
    /// The header is `rows` rows (question numbers, texts, option names), combined into
    /// one name per column; those rows are not respondents. `found`: detected (the rows
    /// below hold numbers where these hold text), else as the user said
    /// (`ReadOptions::header_rows`, 「見出しは N 行」, `--header-rows N`).
    HeaderBlock { rows: usize, found: bool },
    /// The user said the header is `rows` rows, but the first `found` rows look like a
    /// header: the rows between were read as respondents, as asked.
    HeaderBlockRowsKept { rows: usize, found: usize },
}

/// A column name that looks like an answer rather than a heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectName {
    /// 1-based column number.
    pub column: usize,
    pub name: String,
    pub clue: HeaderClue,
}

/// What makes a column name look like an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderClue {
    Number,
    Date,
    PostalCode,
    Phone,
    Email,
    /// The same text is an answer further down the column.
    RecursBelow,
    /// The column holds names or free text (by its values) and its name is written like
    /// them.
    LikeItsValues,
}

impl HeaderClue {
    pub fn ja(self) -> &'static str {
        match self {
            HeaderClue::Number => "数字",
            HeaderClue::Date => "日付・時刻",
            HeaderClue::PostalCode => "郵便番号",
            HeaderClue::Phone => "電話番号",
            HeaderClue::Email => "メールアドレス",
            HeaderClue::RecursBelow => "下の行にも同じ回答がある",
            HeaderClue::LikeItsValues => "下の行の回答（名前・文章）と同じ書き方",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            HeaderClue::Number => "a number",
            HeaderClue::Date => "a date or time",
            HeaderClue::PostalCode => "a postal code",
            HeaderClue::Phone => "a phone number",
            HeaderClue::Email => "an e-mail address",
            HeaderClue::RecursBelow => "the same answer appears further down",
            HeaderClue::LikeItsValues => "written like the answers below it (names, sentences)",
        }
    }
}

impl Warning {
    /// Rows are missing or wrong: the page shows this as an error, not a note, and every
    /// report made from the file says so (`report_note`).
    pub fn is_severe(&self) -> bool {
        matches!(self, Warning::RunawayQuote { .. })
    }

    /// The cell of a runaway quote: what the repair reads as a character.
    pub fn runaway_quote(&self) -> Option<QuoteAt> {
        match self {
            Warning::RunawayQuote { row, column, .. } => Some(QuoteAt {
                row: *row,
                column: *column,
            }),
            _ => None,
        }
    }

    /// A quote already read as a character: a later repair asks for it again.
    pub fn literal_quote(&self) -> Option<QuoteAt> {
        match self {
            Warning::QuoteReadAsText { row, column, .. } => Some(QuoteAt {
                row: *row,
                column: *column,
            }),
            _ => None,
        }
    }

    /// What a report made from the file must say about this (Japanese / English), for the
    /// warnings that make its figures wrong; `None` for the others.
    pub fn report_note(&self) -> Option<String> {
        match self {
            Warning::RunawayQuote { row, column, column_name, rows_like, .. } => Some(format!(
                "【注意】この集計は回答者の一部だけで計算されています。ファイルの{}・{column} 列目「{column_name}」に閉じられていない引用符（\"）があり、その後の約 {rows_like} 行が回答者として読み込まれていません。ファイルを読み込んだ画面で「引用符を文字として読み直す」を押してから（コマンドでは --literal-quote {row}:{column}）作り直してください。 / WARNING: these figures count only part of the respondents. An unclosed quote (\") in {}, column {column} \"{column_name}\" of the file kept about {rows_like} line(s) after it from being read as respondents. Read the quote as a character (where the file is loaded; --literal-quote {row}:{column} on the command line) and make this again.",
                row_ja(*row),
                row_en(*row),
            )),
            _ => None,
        }
    }

    pub fn ja(&self) -> String {
        match self {
            Warning::UndecodableBytes { encoding, count, first_offsets } => format!(
                "{encoding} として読めないバイトが {count} 個あり、「�」に置き換えました（最初の位置: {} バイト目）。文字化けしている場合は、文字コードを選び直してください。",
                list(first_offsets.iter().map(|o| o + 1))
            ),
            Warning::UncertainEncoding { encoding } => format!(
                "文字コードは {encoding} と推定しましたが、確実ではありません。下のプレビューで文字化けがないか確かめてください。"
            ),
            Warning::BlankHeaders { columns, names } => format!(
                "見出し（1行目）が空の列が {} 列ありました（{} 列目）。仮の名前 {} を付けました。",
                columns.len(),
                list(columns.iter()),
                list(names.iter())
            ),
            Warning::DuplicateHeaders { renamed } => format!(
                "同じ見出しの列がありました。区別できるよう名前を変えました: {}",
                list(renamed.iter().map(|(a, b)| format!("{a} → {b}")))
            ),
            Warning::ShortRows { header_fields, count, examples } => format!(
                "見出しより項目が少ない行が {count} 行ありました（見出しは {header_fields} 項目）。足りない分は空欄として読み込みました。該当する行: {}",
                rows_ja(examples)
            ),
            Warning::LongRows { header_fields, count, examples, added_columns } => format!(
                "見出しより項目が多い行が {count} 行ありました（見出しは {header_fields} 項目）。はみ出した値は新しい列 {} に入れました。区切り文字や引用符（\"）の付け方を確かめてください。該当する行: {}",
                list(added_columns.iter()),
                rows_ja(examples)
            ),
            Warning::BlankRowsKept { count, examples } => format!(
                "すべての項目が空の行が {count} 行ありました。回答のない回答者として残しています（データの {} 行目など）。",
                list(examples.iter())
            ),
            Warning::TrailingBlankRowsDropped { count } => {
                format!("ファイルの末尾にある空の行 {count} 行は読み込みませんでした。")
            }
            Warning::EmptyLinesSkipped { count } => {
                format!("何も書かれていない行が {count} 行あり、読み飛ばしました。")
            }
            Warning::EmptyColumnsDropped { columns } => format!(
                "見出しも値もない列（{} 列目）は読み込みませんでした。",
                list(columns.iter())
            ),
            Warning::TitleRowsSkipped { rows } => format!(
                "表の上にある見出し以外の行（{} 行目）はタイトルとみなし、読み込みませんでした。",
                list(rows.iter())
            ),
            Warning::CellErrors { count, cells } => format!(
                "エラー値（#N/A など）のセルが {count} 個ありました（{} など）。そのままの文字として読み込みました。元のブックで数式を確かめてください。",
                list(cells.iter())
            ),
            Warning::ExcelTextFormula { count, columns } => format!(
                "=\"001\" の形で書かれたセルが {count} 個ありました（列: {}）。先頭の 0 を残した文字として読み込みました。",
                list(columns.iter())
            ),
            Warning::HeaderLooksLikeData { columns } => format!(
                "1行目を見出し（列名）として読みましたが、回答者の回答のように見えます（{}）。見出し行のないファイルでは、1人目の回答（ID・氏名・住所など）が列名になり、画面や共有リンクに出てしまいます。共有リンクでは列名を「列1」「列2」…に置き換えます。見出し行がなければ、元のファイルの1行目に設問名を入れてから読み込み直してください。1行目が正しい見出しなら「1行目は見出しです」にチェックを入れてください（コマンドでは --confirm-header）。",
                list(columns.iter().map(|c| format!("{} 列目「{}」: {}", c.column, c.name, c.clue.ja())))
            ),
            Warning::RunawayQuote { row, line, column, column_name, lines, rows_like, to_end } => format!(
                "【回答者が欠けています】{}（ファイルの {line} 行目）、{column} 列目「{column_name}」のセルが引用符（\"）で始まり、その引用符が{}。そのため、後に続く {lines} 行（うち {rows_like} 行は回答の行と同じ項目数）がこの1つのセルに読み込まれ、回答者として数えられていません。回答者数とすべての集計結果が正しくありません。「引用符を文字として読み直す」を押すと、この \" をふつうの文字として読み直します（コマンドでは --literal-quote {row}:{column}）。元のファイルを直す場合は、このセルの先頭の \" を消してください。",
                row_ja(*row),
                if *to_end { "ファイルの最後まで閉じられていません" } else { "閉じられないまま、後の行まで続いています" }
            ),
            Warning::QuoteReadAsText { row, line, column, column_name } => format!(
                "{}（ファイルの {line} 行目）、{column} 列目「{column_name}」の先頭の引用符（\"）を、指定どおりふつうの文字として読みました（閉じられていない引用符の修復）。このセルの値は \" で始まります。",
                row_ja(*row)
            ),
            Warning::LiteralQuoteNotFound { row, column } => format!(
                "{}・{column} 列目のセルは引用符（\"）で始まっていないため、「引用符を文字として読む」指定（{row}:{column}）は使いませんでした。",
                row_ja(*row)
            ),
            Warning::HeaderBlock { rows, found } => format!(
                "見出しを{rows}行（見出しの1〜{rows}行目：設問番号・設問文・選択肢）として読み、1つの列名にまとめました。この{rows}行は回答者に数えていません。{}",
                if *found {
                    "下の行では数値の列に文字が書かれているため、見出しと判断しました。違う場合は「見出しは N 行」で行数を選んで読み直してください（コマンドでは --header-rows N、見出しが1行なら --header-rows 1）。".to_string()
                } else {
                    "（指定どおり）".to_string()
                }
            ),
            Warning::HeaderBlockRowsKept { rows, found } => format!(
                "見出しの2〜{found}行目は見出し（設問文・選択肢）のように見えますが、指定どおり見出しは{rows}行とし、{}行を回答者として読みました。回答者数が多く数えられ、各設問に余分な回答が入っています。見出しなら「見出しは {found} 行」を選んで読み直してください（コマンドでは --header-rows {found}）。",
                found - rows
            ),
        }
    }

    pub fn en(&self) -> String {
        match self {
            Warning::UndecodableBytes { encoding, count, first_offsets } => format!(
                "{count} byte(s) are not valid {encoding} and were replaced with U+FFFD (first at byte {}). If the text looks garbled, choose another encoding.",
                list(first_offsets.iter().map(|o| o + 1))
            ),
            Warning::UncertainEncoding { encoding } => format!(
                "The encoding was guessed as {encoding} but the file is ambiguous; check the preview for garbled text."
            ),
            Warning::BlankHeaders { columns, names } => format!(
                "{} column(s) had a blank header (column {}); named {}.",
                columns.len(),
                list(columns.iter()),
                list(names.iter())
            ),
            Warning::DuplicateHeaders { renamed } => format!(
                "Duplicate column names were made unique: {}",
                list(renamed.iter().map(|(a, b)| format!("{a} -> {b}")))
            ),
            Warning::ShortRows { header_fields, count, examples } => format!(
                "{count} row(s) have fewer fields than the header ({header_fields}); the missing cells are blank. Rows: {}",
                rows_en(examples)
            ),
            Warning::LongRows { header_fields, count, examples, added_columns } => format!(
                "{count} row(s) have more fields than the header ({header_fields}); the extra values went into new column(s) {}. Check the delimiter and quoting. Rows: {}",
                list(added_columns.iter()),
                rows_en(examples)
            ),
            Warning::BlankRowsKept { count, examples } => format!(
                "{count} row(s) are entirely blank and were kept as respondents with no answers (data rows {}).",
                list(examples.iter())
            ),
            Warning::TrailingBlankRowsDropped { count } => {
                format!("{count} blank row(s) at the end of the file were not loaded.")
            }
            Warning::EmptyLinesSkipped { count } => {
                format!("{count} empty line(s) were skipped.")
            }
            Warning::EmptyColumnsDropped { columns } => format!(
                "Column(s) {} had no header and no values and were not loaded.",
                list(columns.iter())
            ),
            Warning::TitleRowsSkipped { rows } => format!(
                "Row(s) {} above the table were taken as a title and not read as data.",
                list(rows.iter())
            ),
            Warning::CellErrors { count, cells } => format!(
                "{count} cell(s) hold an error value such as #N/A ({}); kept as text. Check the formulas in the workbook.",
                list(cells.iter())
            ),
            Warning::ExcelTextFormula { count, columns } => format!(
                "{count} cell(s) were written as =\"001\" (columns: {}); read as text, leading zeros kept.",
                list(columns.iter())
            ),
            Warning::HeaderLooksLikeData { columns } => format!(
                "The first row was read as the header (column names) but looks like a respondent's answers ({}). In a file without a header row, the first respondent's ID, name or address become column names and show on screen and in share links. Share links name the columns 列1, 列2 … instead. If the file has no header row, add the question names as its first row and read it again. If the first row is a real header, tick \"the first row is a header\" (--confirm-header on the command line).",
                list(columns.iter().map(|c| format!("column {} \"{}\": {}", c.column, c.name, c.clue.en())))
            ),
            Warning::RunawayQuote { row, line, column, column_name, lines, rows_like, to_end } => format!(
                "[Respondents missing] {} (file line {line}), column {column} \"{column_name}\": the cell starts with a quote (\") that is {}, so the {lines} line(s) after it ({rows_like} with as many fields as a row of this file) were read into this one cell and are not counted as respondents. The number of respondents and every table are wrong. Press \"Read the quote as a character\" to read the file again with this \" as an ordinary character (--literal-quote {row}:{column} on the command line), or delete the \" at the start of this cell in the file.",
                row_en(*row),
                if *to_end { "never closed before the end of the file" } else { "not closed until much further down" }
            ),
            Warning::QuoteReadAsText { row, line, column, column_name } => format!(
                "The quote (\") at the start of {} (file line {line}), column {column} \"{column_name}\" was read as an ordinary character, as asked (repair of an unclosed quote); the cell's value starts with \".",
                row_en(*row)
            ),
            Warning::LiteralQuoteNotFound { row, column } => format!(
                "The cell in {}, column {column} does not start with a quote (\"), so reading a quote there as a character ({row}:{column}) changed nothing.",
                row_en(*row)
            ),
            Warning::HeaderBlock { rows, found } => format!(
                "The header was read as {rows} rows (rows 1–{rows} of the header: question numbers, texts, option names) and combined into one name per column; these {rows} rows are not counted as respondents. {}",
                if *found {
                    "They were taken as the header because the rows below hold numbers where they hold text. If that is wrong, choose the header's rows (\"header is N rows\") and read the file again (--header-rows N on the command line; --header-rows 1 for a one-row header)."
                } else {
                    "(as asked)"
                }
            ),
            Warning::HeaderBlockRowsKept { rows, found } => format!(
                "Rows 2–{found} of the header look like more header (question texts, option names), but the header was read as {rows} row(s) as asked, so {} row(s) were read as respondents: there are too many respondents and every question has a bogus answer. If they are header, choose \"header is {found} rows\" and read the file again (--header-rows {found} on the command line).",
                found - rows
            ),
        }
    }
}

/// Why a file could not be read. The app shows nothing of the file when this happens.
/// Its serde form is only the workers' messages (nothing saves or prints it as JSON), so
/// it is externally tagged (`{"empty": null}`): an internally tagged enum's decoder,
/// which serde buffers through its `Content` type, was 27 kB of the page's wasm before
/// wasm-opt (issue 16).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadError {
    /// 0 bytes.
    Empty,
    /// Bytes, but not one cell with a value: only empty lines, a byte-order mark and lines
    /// of delimiters (`delimiter` as shown: 「,」, 「タブ」). Said apart from a 0-byte file,
    /// so the user sees what they picked holds (a sheet saved before any data was typed).
    Blank {
        bytes: u64,
        bom: bool,
        empty_lines: u64,
        delimiter_lines: u64,
        delimiter: String,
    },
    /// A header but no data row.
    HeaderOnly { columns: usize },
    /// A binary format renamed to .csv, or a workbook given to the CSV reader.
    Binary { format: String },
    /// Bigger than the reader accepts here.
    TooLarge { bytes: u64, limit: u64 },
    /// A single field larger than the reader accepts.
    FieldTooLarge {
        row: u64,
        column: usize,
        limit: usize,
    },
    /// The chosen sheet has no cells.
    EmptySheet { sheet: String, sheets: Vec<String> },
    /// The sheet asked for (`--sheet`, the sheet picker) is not in the workbook.
    NoSuchSheet { sheet: String, sheets: Vec<String> },
    /// A workbook that could not be opened.
    Workbook { detail: String },
    /// A workbook whose structure is broken (`xls_check`, or the workbook reader stopped
    /// on it): what was found, in both languages.
    Damaged {
        format: String,
        found: crate::message::Message,
    },
    /// The user stopped the reading.
    Cancelled,
    /// The browser itself failed (could not read the File, or the worker stopped).
    Browser { detail: String },
}

impl ReadError {
    pub fn ja(&self) -> String {
        match self {
            ReadError::Empty => "ファイルが空です（0 バイト）。保存し直したファイルを選んでください。".into(),
            ReadError::Blank {
                bytes,
                bom,
                empty_lines,
                delimiter_lines,
                delimiter,
            } => {
                let mut parts = Vec::new();
                if *bom {
                    parts.push("BOM（文字コードの印）".to_string());
                }
                if *empty_lines > 0 {
                    parts.push(format!("空の行 {empty_lines} 行"));
                }
                if *delimiter_lines > 0 {
                    parts.push(format!("区切り文字（{delimiter}）だけの行 {delimiter_lines} 行"));
                }
                if parts.is_empty() {
                    parts.push("空白や空の値（=\"\" など）だけのセル".to_string());
                }
                format!(
                    "ファイルに回答がありません（{bytes} バイト。中身は{}だけで、値の入ったセルが1つもありません）。データを入れて保存したファイルを選んでください。",
                    parts.join("と")
                )
            }
            ReadError::HeaderOnly { columns } => format!(
                "見出しの行（{columns} 列）しかなく、回答の行がありません。回答が入ったファイルを選んでください。"
            ),
            ReadError::Binary { format } => format!(
                "このファイルは CSV ではなく {format} 形式のようです（先頭のバイトで判定）。CSV か Excel ファイルを選んでください。"
            ),
            ReadError::TooLarge { bytes, limit } => format!(
                "ファイルが大きすぎます（{} MB、上限 {} MB）。列や行を分けたファイルにしてください。",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
            ReadError::FieldTooLarge { row, column, limit } => format!(
                "{row} 行目・{column} 列目の値が {} MB を超えています。引用符（\"）が閉じられていない可能性があります。そのセルが \" で始まっているなら、「引用符を文字として読み直す」でその \" をふつうの文字として読み直せます（コマンドでは --literal-quote {row}:{column}）。",
                limit / 1_000_000
            ),
            ReadError::EmptySheet { sheet, sheets } => format!(
                "シート「{sheet}」は空です。データのあるシートを選んでください（シート: {}）。",
                list(sheets.iter())
            ),
            ReadError::NoSuchSheet { sheet, sheets } => format!(
                "シート「{sheet}」はこのブックにありません。次のシートから選んでください: {}。",
                sheets.join("、")
            ),
            ReadError::Workbook { detail } => format!(
                "Excel などのブックを開けませんでした（{detail}）。パスワードを外すか、CSV で保存し直してください。"
            ),
            ReadError::Damaged { format, found } => format!(
                "ファイルが壊れています（{format}: {}）。元のアプリで開いて保存し直すか、CSV で保存してください。",
                found.ja
            ),
            ReadError::Cancelled => "読み込みを中止しました。".into(),
            ReadError::Browser { detail } => format!(
                "ブラウザでの読み込みが止まりました（{detail}）。ファイルが大きすぎる場合は、他のタブを閉じてからもう一度試すか、ファイルを分けてください。"
            ),
        }
    }

    pub fn en(&self) -> String {
        match self {
            ReadError::Empty => "The file is empty (0 bytes). Choose a saved file.".into(),
            ReadError::Blank {
                bytes,
                bom,
                empty_lines,
                delimiter_lines,
                delimiter,
            } => {
                let delimiter = if delimiter == "タブ" { "tab" } else { delimiter };
                let plural = |n: u64| if n == 1 { "" } else { "s" };
                let mut parts = Vec::new();
                if *bom {
                    parts.push("a byte-order mark".to_string());
                }
                if *empty_lines > 0 {
                    parts.push(format!("{empty_lines} empty line{}", plural(*empty_lines)));
                }
                if *delimiter_lines > 0 {
                    parts.push(format!(
                        "{delimiter_lines} line{} of only delimiters ({delimiter})",
                        plural(*delimiter_lines)
                    ));
                }
                if parts.is_empty() {
                    parts.push("cells of only spaces or empty values (such as =\"\")".to_string());
                }
                format!(
                    "The file has no responses ({bytes} bytes: only {}, not one cell with a value). Choose a file saved with its data.",
                    parts.join(" and ")
                )
            }
            ReadError::HeaderOnly { columns } => format!(
                "The file has a header row ({columns} columns) but no data rows. Choose a file with responses."
            ),
            ReadError::Binary { format } => format!(
                "This file is not a CSV but looks like {format} (by its first bytes). Choose a CSV or Excel file."
            ),
            ReadError::TooLarge { bytes, limit } => format!(
                "The file is too large ({} MB; the limit is {} MB). Split it into smaller files.",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
            ReadError::FieldTooLarge { row, column, limit } => format!(
                "The value in row {row}, column {column} exceeds {} MB; a quote (\") may be left open. If that cell starts with \", \"Read the quote as a character\" reads the file again with it as an ordinary character (--literal-quote {row}:{column} on the command line).",
                limit / 1_000_000
            ),
            ReadError::EmptySheet { sheet, sheets } => format!(
                "Sheet \"{sheet}\" is empty. Choose the sheet with the data (sheets: {}).",
                list(sheets.iter())
            ),
            ReadError::NoSuchSheet { sheet, sheets } => format!(
                "The workbook has no sheet \"{sheet}\". Choose one of: {}.",
                list(sheets.iter())
            ),
            ReadError::Workbook { detail } => format!(
                "The workbook could not be opened ({detail}). Remove its password or save it as CSV."
            ),
            ReadError::Damaged { format, found } => format!(
                "The file is damaged ({format}: {}). Open it in the app that made it and save it again, or save it as CSV.",
                found.en
            ),
            ReadError::Cancelled => "Reading was cancelled.".into(),
            ReadError::Browser { detail } => format!(
                "The browser stopped reading ({detail}). If the file is very large, close other tabs and retry, or split the file."
            ),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.ja(), self.en())
    }
}

impl std::error::Error for ReadError {}

fn list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A data row, or the header row (0), as the messages name it.
fn row_ja(row: u64) -> String {
    if row == 0 {
        "見出しの行".to_string()
    } else {
        format!("データの {row} 行目")
    }
}

fn row_en(row: u64) -> String {
    if row == 0 {
        "the header row".to_string()
    } else {
        format!("data row {row}")
    }
}

fn rows_ja(rows: &[RowRef]) -> String {
    list(rows.iter().map(|r| {
        if r.line > 0 {
            format!(
                "{} 行目（ファイルの {} 行目、{} 項目）",
                r.row, r.line, r.fields
            )
        } else {
            format!("{} 行目（{} 項目）", r.row, r.fields)
        }
    }))
}

fn rows_en(rows: &[RowRef]) -> String {
    list(rows.iter().map(|r| {
        if r.line > 0 {
            format!("row {} (line {}, {} fields)", r.row, r.line, r.fields)
        } else {
            format!("row {} ({} fields)", r.row, r.fields)
        }
    }))
}
