//! `tsunagari`: the engine on the command line. Prints what the page shows, for scripts,
//! checks and people who prefer a terminal. Nothing is sent anywhere here either.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use tsunagari::ingest::{self, encoding, Loaded, ReadOptions};
    use tsunagari::tabulate::{format_percent, tabulate, Order};

    #[derive(Parser)]
    #[command(
        name = "tsunagari",
        version,
        about = "つながり: 孤独・孤立の住民調査を手元で集計する / survey analysis that never leaves the machine"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// 単純集計: count and % of each answer in one column (as the page shows it)
        Tab {
            /// The survey file (CSV, TSV in UTF-8, CP932, EUC-JP, UTF-16; or .xlsx, .xls, .ods)
            file: PathBuf,
            /// Column name, or its number counted from 1
            column: String,
            #[command(flatten)]
            read: ReadArgs,
            /// Print JSON instead of a table
            #[arg(long)]
            json: bool,
        },
        /// How the file reads: encoding, delimiter, rows, columns, warnings
        Inspect {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Print JSON (documented in docs/inspect-json.md)
            #[arg(long)]
            json: bool,
        },
        /// Writes the bundled fictitious sample survey (UTF-8 CSV) to a file or stdout
        Sample {
            #[arg(long)]
            out: Option<PathBuf>,
        },
    }

    #[derive(clap::Args)]
    struct ReadArgs {
        /// Force the encoding: utf-8, cp932 (shift_jis), euc-jp, utf-16le, utf-16be
        #[arg(long)]
        encoding: Option<String>,
        /// The sheet of a workbook (.xlsx, .xls, .ods); default: the first sheet holding a
        /// table (`inspect` lists them all)
        #[arg(long)]
        sheet: Option<String>,
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match run(cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(2)
            }
        }
    }

    fn run(cli: Cli) -> Result<(), String> {
        let mut stdout = std::io::stdout().lock();
        match cli.command {
            Command::Tab {
                file,
                column,
                read,
                json,
            } => {
                let loaded = load(&file, &read)?;
                let table = &loaded.table;
                let col =
                    find_column(table, &column).ok_or_else(|| {
                        format!(
                        "列「{column}」がありません。/ No column \"{column}\". 列 / Columns: {}",
                        table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                    )
                    })?;
                let tab = tabulate(col, Order::Natural);
                if json {
                    writeln!(
                        stdout,
                        "{}",
                        serde_json::to_string_pretty(&tab).map_err(|e| e.to_string())?
                    )
                    .map_err(io)?;
                } else {
                    writeln!(stdout, "{}\t(n = {})", tab.column, tab.base).map_err(io)?;
                    writeln!(stdout, "回答\t件数\t%").map_err(io)?;
                    for c in &tab.categories {
                        writeln!(
                            stdout,
                            "{}\t{}\t{}",
                            c.label,
                            c.count,
                            format_percent(c.percent)
                        )
                        .map_err(io)?;
                    }
                    writeln!(stdout, "合計\t{}\t100.0", tab.base).map_err(io)?;
                }
                print_warnings(&loaded);
            }
            Command::Inspect { file, read, json } => {
                let loaded = load(&file, &read)?;
                let summary: Vec<_> = loaded
                    .table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.summary(i + 1))
                    .collect();
                if json {
                    let warnings: Vec<_> = loaded
                        .warnings
                        .iter()
                        .map(|w| {
                            let mut v = serde_json::to_value(w).unwrap_or_default();
                            v["message_ja"] = w.ja().into();
                            v["message_en"] = w.en().into();
                            v
                        })
                        .collect();
                    let doc = serde_json::json!({
                        "file": file.display().to_string(),
                        "read": loaded.info,
                        "columns": summary,
                        "warnings": warnings,
                    });
                    writeln!(
                        stdout,
                        "{}",
                        serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
                    )
                    .map_err(io)?;
                } else {
                    let i = &loaded.info;
                    writeln!(stdout, "ファイル / file: {}", file.display()).map_err(io)?;
                    // A workbook has no text encoding to speak of: its sheets are shown instead.
                    if i.sheet.is_none() {
                        writeln!(
                            stdout,
                            "文字コード / encoding: {} ({:?})",
                            i.encoding, i.confidence
                        )
                        .map_err(io)?;
                    }
                    if let Some(d) = &i.delimiter {
                        writeln!(stdout, "区切り / delimiter: {d}").map_err(io)?;
                    }
                    if let Some(sheet) = &i.sheet {
                        writeln!(
                            stdout,
                            "形式 / format: {}  シート / sheet: {sheet}  (全シート / sheets: {})",
                            i.format,
                            i.sheets.join(", ")
                        )
                        .map_err(io)?;
                    }
                    writeln!(
                        stdout,
                        "行 / rows: {}  列 / columns: {}  bytes: {}",
                        i.rows, i.columns, i.bytes
                    )
                    .map_err(io)?;
                    writeln!(
                        stdout,
                        "#\t列 / column\t種類 / distinct\t空欄 / blanks\t数値 / numeric"
                    )
                    .map_err(io)?;
                    for s in &summary {
                        writeln!(
                            stdout,
                            "{}\t{}\t{}\t{}\t{}",
                            s.index,
                            s.name,
                            s.distinct,
                            s.blanks,
                            if s.numeric { "yes" } else { "no" }
                        )
                        .map_err(io)?;
                    }
                    print_warnings(&loaded);
                }
            }
            Command::Sample { out } => {
                let bytes = tsunagari::sample::csv_bytes();
                match out {
                    Some(path) => std::fs::write(&path, bytes).map_err(|e| {
                        format!(
                            "{} に書き込めません / cannot write {}: {e}",
                            path.display(),
                            path.display()
                        )
                    })?,
                    None => stdout.write_all(&bytes).map_err(io)?,
                }
            }
        }
        Ok(())
    }

    fn load(file: &PathBuf, read: &ReadArgs) -> Result<Loaded, String> {
        let mut opts = ReadOptions {
            max_bytes: u64::MAX,
            ..ReadOptions::default()
        };
        if let Some(label) = &read.encoding {
            opts.encoding = Some(encoding::by_label(label).ok_or_else(|| {
                format!("文字コード「{label}」は使えません。/ Unknown encoding \"{label}\". (utf-8, cp932, euc-jp, utf-16le, utf-16be)")
            })?);
        }
        let mut reader = ingest::FileReader::new(opts, read.sheet.clone());
        let mut f = std::fs::File::open(file).map_err(|e| {
            format!(
                "{} を開けません / cannot open {}: {e}",
                file.display(),
                file.display()
            )
        })?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = std::io::Read::read(&mut f, &mut buf).map_err(|e| {
                format!(
                    "{} を読めません / cannot read {}: {e}",
                    file.display(),
                    file.display()
                )
            })?;
            if n == 0 {
                break;
            }
            reader
                .push(&buf[..n])
                .map_err(|e| format!("{}: {e}", file.display()))?;
        }
        reader
            .finish()
            .map_err(|e| format!("{}: {e}", file.display()))
    }

    fn find_column<'a>(
        table: &'a tsunagari::table::Table,
        key: &str,
    ) -> Option<&'a tsunagari::table::Column> {
        table.column(key).or_else(|| {
            key.parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| table.columns.get(i))
        })
    }

    fn print_warnings(loaded: &Loaded) {
        for w in &loaded.warnings {
            eprintln!("注意: {}\nnote: {}", w.ja(), w.en());
        }
    }

    fn io(e: std::io::Error) -> String {
        format!("出力できません / cannot write output: {e}")
    }
}
