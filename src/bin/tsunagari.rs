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
    use tsunagari::analysis::{self, layout, AnalysisTemplate, CrosstabSpec, Filter, Tabulation};
    use tsunagari::format::format_percent;
    use tsunagari::ingest::{self, encoding, Loaded, ReadOptions};
    use tsunagari::model::codebook::{self, ApplyReport, Codebook};
    use tsunagari::model::{Kind, Survey, SurveyModel};

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
        /// 単純集計 / クロス集計: one question (as the page shows it), or crossed with
        /// another (--by), optionally by a third (--layer), weighted, filtered
        Tab {
            /// The survey file (CSV, TSV in UTF-8, CP932, EUC-JP, UTF-16; or .xlsx, .xls, .ods)
            file: PathBuf,
            /// Question id (問5, q2), column name, derived variable's name, or column number
            column: String,
            /// Crosstab: the question (or column) of the table's columns
            #[arg(long)]
            by: Option<String>,
            /// Crosstab: one sub-table per answer of this question (層)
            #[arg(long)]
            layer: Option<String>,
            /// A weight column (ウェイト)
            #[arg(long)]
            weight: Option<String>,
            /// Keep only some respondents, e.g. "性別 = 女性 and 年齢 >= 65"
            #[arg(long)]
            filter: Option<String>,
            /// Crosstab: leave 無回答 out (default: a category inside the base, as the
            /// national survey)
            #[arg(long)]
            no_answer_out: bool,
            #[command(flatten)]
            read: ReadArgs,
            /// Print JSON instead of a table (docs/analysis-json.md)
            #[arg(long)]
            json: bool,
        },
        /// 平均: a number (age, score) by the groups of a question, with ANOVA and
        /// Kruskal–Wallis
        Means {
            file: PathBuf,
            /// The numeric question or column
            num: String,
            /// The grouping question or column
            #[arg(long)]
            by: String,
            #[arg(long)]
            weight: Option<String>,
            #[arg(long)]
            filter: Option<String>,
            #[command(flatten)]
            read: ReadArgs,
            /// Print JSON (docs/analysis-json.md)
            #[arg(long)]
            json: bool,
        },
        /// Runs an analysis template (every table it lists) and writes the report
        Run {
            file: PathBuf,
            /// The analysis template (.json, "format": "tsunagari-analysis")
            #[arg(long)]
            template: PathBuf,
            /// report.xlsx (one sheet per table), report.csv (UTF-8 with BOM) or
            /// report.json; default: JSON on stdout
            #[arg(long)]
            out: Option<PathBuf>,
            #[command(flatten)]
            read: ReadArgs,
        },
        /// How the file reads (encoding, delimiter, rows, warnings) and its questions
        Inspect {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Print JSON (documented in docs/inspect-json.md)
            #[arg(long)]
            json: bool,
        },
        /// Writes the codebook (符号表) inferred from the file (with --codebook applied):
        /// a survey model (.json) or a codebook sheet (.csv, opens in Excel)
        Codebook {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Output file: .json (the survey model) or .csv (変数名, 設問文, 種類, コード,
            /// ラベル, 欠損); default: the JSON model on stdout
            #[arg(long)]
            out: Option<PathBuf>,
        },
        /// 共有リンク: prints the link that carries a template (and the survey's setup) to
        /// another municipality — never a response. With FILE, the setup is the file's
        /// (with --codebook applied) and answers fewer than 3 respondents gave are left out;
        /// without it, only --codebook's model (a .json) goes in, with codes only.
        ShareLink {
            /// The analysis template (.json), e.g. saved from the report page
            #[arg(required_unless_present = "show")]
            template: Option<PathBuf>,
            /// The survey file the setup was made on
            file: Option<PathBuf>,
            #[command(flatten)]
            read: ReadArgs,
            /// Where the app is published, e.g. https://intra.example.lg.jp/tsunagari/
            /// (default: prints the part from # on)
            #[arg(long)]
            base: Option<String>,
            /// Instead: print what a link holds (the model and the template as JSON)
            #[arg(long, value_name = "LINK", conflicts_with = "template")]
            show: Option<String>,
        },
        /// 秘匿処理した集計表: the template's tables of counts with cells of 1–2 respondents
        /// (and the cells that would give them away) shown as x, to share outside
        Aggregate {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            #[arg(long)]
            template: PathBuf,
            /// Output: .json or .xlsx
            #[arg(long)]
            out: PathBuf,
            /// Cells under this many respondents are hidden (default 3: 1–2 hidden)
            #[arg(long, default_value_t = 3)]
            min_count: u64,
            /// Percentages on a base under this are marked * (default 10)
            #[arg(long, default_value_t = 10)]
            min_base: u64,
        },
        /// 集計ウェイト: rakes weights to population totals (人口の表) and writes the survey
        /// model holding the weight's recipe (use it with --codebook and --weight NAME)
        Rake {
            file: PathBuf,
            #[command(flatten)]
            read: ReadArgs,
            /// Population totals: a CSV/xlsx with columns 変数 (column name), 値 (answer as in
            /// the file) and 人口 (total); one block per margin, e.g. 年代 and 性別
            #[arg(long)]
            margins: PathBuf,
            /// Name of the weight column to create
            #[arg(long, default_value = "ウェイト（レーキング）")]
            name: String,
            /// Start from this weight column instead of 1
            #[arg(long)]
            base_weight: Option<String>,
            /// Trimming bounds as multiples of the mean weight, e.g. 0.3,3
            #[arg(long)]
            trim: Option<String>,
            /// Where to write the survey model (.json) with the weight's recipe
            #[arg(long)]
            out: PathBuf,
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
        /// A codebook to apply: a sheet (CSV/xlsx with 変数名, コード, ラベル columns) or a
        /// survey model saved as .json
        #[arg(long)]
        codebook: Option<PathBuf>,
        /// Turn on a question left out as personal (identifier or free text); repeatable
        #[arg(long = "include", value_name = "QUESTION")]
        include: Vec<String>,
        /// The first row is the header, though it looks like a respondent's answers (no
        /// warning; share links keep the column names)
        #[arg(long)]
        confirm_header: bool,
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
                by,
                layer,
                weight,
                filter,
                no_answer_out,
                read,
                json,
            } => {
                let (loaded, survey) = load_survey(&file, &read)?;
                let filter = parse_filter(filter.as_deref())?;
                if let Some(by) = by {
                    let spec = CrosstabSpec {
                        row: column_name(&survey, &column),
                        col: column_name(&survey, &by),
                        layer: layer.map(|l| column_name(&survey, &l)),
                        weight,
                        filter,
                        include_no_answer: !no_answer_out,
                    };
                    let x = analysis::crosstab(&survey, &spec).map_err(|r| r.to_string())?;
                    if json {
                        writeln!(stdout, "{}", to_json(&x)?).map_err(io)?;
                    } else {
                        let b = layout::crosstab_block(String::new(), &x);
                        write!(stdout, "{}", layout::to_text(&b)).map_err(io)?;
                    }
                    print_warnings(&loaded);
                    return Ok(());
                }
                if layer.is_some() {
                    return Err("--layer は --by と一緒に使います。/ --layer needs --by.".into());
                }
                let name = column_name(&survey, &column);
                let (weight, filter) = (weight.as_deref(), filter.as_ref());
                let tabs = tabulate_by_name(&survey, &column, weight, filter)?;
                if json {
                    writeln!(stdout, "{}", to_json(&tabs)?).map_err(io)?;
                } else {
                    for tab in &tabs {
                        print_tabulation(&mut stdout, tab).map_err(io)?;
                    }
                    print_national(&mut stdout, &survey, &name, weight, filter)?;
                }
                print_warnings(&loaded);
            }
            Command::Means {
                file,
                num,
                by,
                weight,
                filter,
                read,
                json,
            } => {
                let (loaded, survey) = load_survey(&file, &read)?;
                let filter = parse_filter(filter.as_deref())?;
                let m = analysis::means(
                    &survey,
                    &column_name(&survey, &num),
                    &column_name(&survey, &by),
                    weight.as_deref(),
                    filter.as_ref(),
                )
                .map_err(|r| r.to_string())?;
                if json {
                    writeln!(stdout, "{}", to_json(&m)?).map_err(io)?;
                } else {
                    let b = layout::means_block(String::new(), &m);
                    write!(stdout, "{}", layout::to_text(&b)).map_err(io)?;
                }
                print_warnings(&loaded);
            }
            Command::Run {
                file,
                template,
                out,
                read,
            } => {
                let (loaded, rep) = run_template(&file, &read, &template)?;
                match out {
                    Some(path) => {
                        let ext = path
                            .extension()
                            .map(|e| e.to_string_lossy().to_lowercase())
                            .unwrap_or_default();
                        let bytes = match ext.as_str() {
                            "xlsx" => layout::to_xlsx(&rep)?,
                            "csv" => layout::to_csv(&rep),
                            "json" => rep.to_json().into_bytes(),
                            _ => {
                                return Err(format!(
                                    "出力ファイルの拡張子は .xlsx, .csv, .json のどれかにしてください（{}）。/ The output must end in .xlsx, .csv or .json ({}).",
                                    path.display(),
                                    path.display()
                                ))
                            }
                        };
                        std::fs::write(&path, bytes).map_err(|e| {
                            format!(
                                "{} に書き込めません / cannot write {}: {e}",
                                path.display(),
                                path.display()
                            )
                        })?;
                    }
                    None => writeln!(stdout, "{}", rep.to_json()).map_err(io)?,
                }
                print_warnings(&loaded);
            }
            Command::Inspect { file, read, json } => {
                let (loaded, survey) = load_survey(&file, &read)?;
                let summary: Vec<_> = survey
                    .file_columns()
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
                        "questions": survey.model.questions,
                        "national": survey.model.national,
                        "derived": survey.model.derived,
                        "derive_errors": survey.derive_errors,
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
                    writeln!(stdout, "\n設問 / questions").map_err(io)?;
                    writeln!(
                        stdout,
                        "id\t種類 / kind\t確度 / certainty\t集計 / shown\t列 / columns"
                    )
                    .map_err(io)?;
                    for q in &survey.model.questions {
                        writeln!(
                            stdout,
                            "{}\t{}\t{}\t{}\t{}",
                            q.id,
                            q.kind.ja(),
                            q.certainty.ja(),
                            if q.include {
                                "yes"
                            } else {
                                "no (個人情報 / personal)"
                            },
                            q.columns.join(", ")
                        )
                        .map_err(io)?;
                    }
                    if !survey.model.national.is_empty() {
                        writeln!(stdout, "\n全国調査の設問 / national items").map_err(io)?;
                        for m in &survey.model.national {
                            writeln!(stdout, "{}\t{}", m.item.ja(), m.column).map_err(io)?;
                        }
                    }
                    if !survey.model.derived.is_empty() {
                        let names: Vec<&str> = survey
                            .model
                            .derived
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect();
                        writeln!(stdout, "\n作成した変数 / derived: {}", names.join(", "))
                            .map_err(io)?;
                    }
                    print_warnings(&loaded);
                }
            }
            Command::Codebook { file, read, out } => {
                let (loaded, survey) = load_survey(&file, &read)?;
                let model = &survey.model;
                match out {
                    Some(path) => {
                        let csv = path
                            .extension()
                            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
                        let bytes = if csv {
                            codebook::to_csv(model)
                        } else {
                            model.to_json().into_bytes()
                        };
                        std::fs::write(&path, bytes).map_err(|e| {
                            format!(
                                "{} に書き込めません / cannot write {}: {e}",
                                path.display(),
                                path.display()
                            )
                        })?;
                    }
                    None => writeln!(stdout, "{}", model.to_json()).map_err(io)?,
                }
                print_warnings(&loaded);
            }
            Command::ShareLink {
                template,
                file,
                read,
                base,
                show,
            } => {
                if let Some(link) = show {
                    let setup = tsunagari::share::decode(&link).map_err(|e| e.to_string())?;
                    let json = serde_json::json!({
                        "model": setup.model,
                        "template": setup.template,
                    });
                    writeln!(stdout, "{}", serde_json::to_string_pretty(&json).unwrap())
                        .map_err(io)?;
                    return Ok(());
                }
                let template_doc = read_template(&template.expect("clap requires it"))?;
                let survey = match &file {
                    Some(file) => load_survey(file, &read)?.1,
                    None => {
                        // No data: nothing can be counted, so only labelled codes go in.
                        let model = match &read.codebook {
                            Some(path) => read_model(path)?,
                            None => SurveyModel::default(),
                        };
                        eprintln!(
                            "調査ファイルを指定していないため、選択肢はラベルの付いた番号（コード）だけを入れます。/ No survey file given: only answers written as labelled codes go in."
                        );
                        Survey::with_model(tsunagari::table::Table::default(), model)
                    }
                };
                let (setup, left_out) = tsunagari::share::for_link(&survey, &template_doc);
                // What was kept out of the link (counts and places, never a value).
                for line in left_out.lines_ja() {
                    eprintln!("{line}");
                }
                for line in left_out.lines_en() {
                    eprintln!("{line}");
                }
                let fragment = tsunagari::share::encode(&setup);
                eprintln!(
                    "リンクの長さ / link length: {} 文字 (# 以降 / from #): 設問 {}、表 {}",
                    fragment.len() + 1,
                    setup.model.questions.len(),
                    setup.template.tables.len()
                );
                writeln!(stdout, "{}#{fragment}", base.unwrap_or_default()).map_err(io)?;
            }
            Command::Aggregate {
                file,
                read,
                template,
                out,
                min_count,
                min_base,
            } => {
                let rules = tsunagari::disclosure::Rules::checked(min_count, min_base)
                    .map_err(|e| e.to_string())?;
                let template_doc = read_template(&template)?;
                let (loaded, survey) = load_survey(&file, &read)?;
                let agg = analysis::aggregate::aggregate(&survey, &template_doc, rules);
                for note in &agg.left_out {
                    eprintln!("{}\n{}", note.ja, note.en);
                }
                let xlsx = out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                let bytes = if xlsx {
                    analysis::aggregate::to_xlsx(&agg)?
                } else {
                    agg.to_json().into_bytes()
                };
                std::fs::write(&out, bytes).map_err(|e| {
                    format!(
                        "{} に書き込めません / cannot write {}: {e}",
                        out.display(),
                        out.display()
                    )
                })?;
                let hidden: usize = agg
                    .tables
                    .iter()
                    .map(|t| {
                        t.cells
                            .iter()
                            .flatten()
                            .filter(|c| matches!(c, analysis::aggregate::Count::Hidden(_)))
                            .count()
                    })
                    .sum();
                writeln!(
                    stdout,
                    "{} 表、x にしたセル {} 個 → {} / {} tables, {} cells hidden",
                    agg.tables.len(),
                    hidden,
                    out.display(),
                    agg.tables.len(),
                    hidden
                )
                .map_err(io)?;
                print_warnings(&loaded);
            }
            Command::Rake {
                file,
                read,
                margins,
                name,
                base_weight,
                trim,
                out,
            } => {
                let (loaded, survey) = load_survey(&file, &read)?;
                let margins = load_margins(&margins)?;
                let trim = match trim {
                    Some(t) => {
                        let parts: Vec<f64> =
                            t.split(',').filter_map(|x| x.trim().parse().ok()).collect();
                        match parts[..] {
                            [lower, upper] => Some((lower, upper)),
                            _ => return Err(format!("--trim は「0.3,3」のように下限と上限を書いてください。/ --trim takes lower,upper (e.g. 0.3,3), not \"{t}\".")),
                        }
                    }
                    None => None,
                };
                for m in &margins {
                    survey.usable_column(&m.source).map_err(|r| r.to_string())?;
                }
                let derived = tsunagari::model::Derived {
                    name: name.clone(),
                    recipe: tsunagari::model::Recipe::Rake {
                        margins,
                        base_weight,
                        trim,
                    },
                    national: false,
                };
                let raked = derived
                    .rake(&survey.table)
                    .map_err(|e| format!("{}\n{}", e.ja(), e.en()))?;
                let summary = tsunagari::stats::weight_summary(&raked.weights);
                writeln!(
                    stdout,
                    "{}: {}（{} 回の繰り返し、最大のずれ {:.2e}）/ {} after {} cycles",
                    name,
                    if raked.converged {
                        "収束しました"
                    } else {
                        "収束しませんでした"
                    },
                    raked.iterations,
                    raked.max_discrepancy.last().copied().unwrap_or(0.0),
                    if raked.converged {
                        "converged"
                    } else {
                        "did NOT converge"
                    },
                    raked.iterations
                )
                .map_err(io)?;
                writeln!(
                    stdout,
                    "ウェイト: 最小 {:.3}  最大 {:.3}  平均 {:.3}  有効回答数（Kish） {:.1}  デザイン効果 {:.3}",
                    summary.min.unwrap_or(f64::NAN),
                    summary.max.unwrap_or(f64::NAN),
                    summary.mean.unwrap_or(f64::NAN),
                    summary.n_eff.unwrap_or(f64::NAN),
                    summary.deff.unwrap_or(f64::NAN)
                )
                .map_err(io)?;
                for w in &raked.warnings {
                    eprintln!("注意 / warning: {w:?}");
                }
                let mut model = survey.model.clone();
                model.derived.retain(|d| d.name != name);
                model.derived.push(derived);
                std::fs::write(&out, model.to_json()).map_err(|e| {
                    format!(
                        "{} に書き込めません / cannot write {}: {e}",
                        out.display(),
                        out.display()
                    )
                })?;
                writeln!(
                    stdout,
                    "{} に書き出しました。使い方 / use: --codebook {} --weight \"{name}\"",
                    out.display(),
                    out.display()
                )
                .map_err(io)?;
                print_warnings(&loaded);
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

    /// The file with its model: inferred, then the codebook applied, then the questions
    /// the user turned on with --include.
    fn load_survey(file: &PathBuf, read: &ReadArgs) -> Result<(Loaded, Survey), String> {
        let mut loaded = load(file, read)?;
        let table = std::mem::take(&mut loaded.table);
        let mut model = SurveyModel::infer(&table);
        if let Some(path) = &read.codebook {
            let book = load_codebook(path)?;
            let report = codebook::apply(&mut model, &book, &table);
            print_report(&report);
        }
        for name in &read.include {
            let q = model
                .questions
                .iter_mut()
                .find(|q| q.id == *name || q.columns.iter().any(|c| c == name))
                .ok_or_else(|| {
                    format!("--include: 設問「{name}」はありません。/ No question \"{name}\".")
                })?;
            q.include = true;
        }
        model.header_confirmed = read.confirm_header;
        // A first row that looks like a respondent: warned about with the reading's notes.
        loaded.warnings.extend(tsunagari::model::header::warning(
            &table.columns,
            &model.questions,
            model.header_confirmed,
        ));
        Ok((loaded, Survey::with_model(table, model)))
    }

    /// A text file, or an error naming it.
    fn read_text(path: &PathBuf) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{} を開けません / cannot open {}: {e}",
                path.display(),
                path.display()
            )
        })
    }

    /// An analysis template file, or an error naming it.
    fn read_template(path: &PathBuf) -> Result<AnalysisTemplate, String> {
        AnalysisTemplate::from_json(&read_text(path)?)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A saved survey model (.json), or an error naming it.
    fn read_model(path: &PathBuf) -> Result<SurveyModel, String> {
        SurveyModel::from_json(&read_text(path)?).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Runs an analysis template on a file; tables that can't be computed are named on
    /// stderr and the rest go on.
    fn run_template(
        file: &PathBuf,
        read: &ReadArgs,
        template: &PathBuf,
    ) -> Result<(Loaded, analysis::Report), String> {
        let template_doc = read_template(template)?;
        let (loaded, survey) = load_survey(file, read)?;
        let rep = analysis::run(&survey, &template_doc);
        for (i, r) in rep.refusals() {
            eprintln!(
                "表 {} を集計できません / table {} not computed:\n{r}",
                i + 1,
                i + 1
            );
        }
        Ok((loaded, rep))
    }

    /// A codebook or population table: read like a survey file, with detection only.
    fn load_side_file(path: &PathBuf) -> Result<Loaded, String> {
        load(
            path,
            &ReadArgs {
                encoding: None,
                sheet: None,
                codebook: None,
                include: Vec::new(),
                confirm_header: false,
            },
        )
    }

    /// Population totals: rows of (変数, 値, 人口); the variable may be left blank under
    /// its first row, as in a merged Excel cell.
    fn load_margins(path: &PathBuf) -> Result<Vec<tsunagari::model::derive::RakeMargin>, String> {
        use tsunagari::model::derive::{RakeMargin, Target};
        let loaded = load_side_file(path)?;
        let t = &loaded.table;
        let find = |names: &[&str]| {
            t.columns
                .iter()
                .position(|c| names.iter().any(|n| c.name.trim().eq_ignore_ascii_case(n)))
        };
        let (Some(var), Some(val), Some(tot)) = (
            find(&["変数", "変数名", "列", "variable", "column"]),
            find(&["値", "回答", "区分", "value", "category"]),
            find(&["人口", "人数", "母集団", "total", "population"]),
        ) else {
            return Err(format!(
                "{}: 人口の表には「変数」「値」「人口」の列が要ります。/ The population table needs columns 変数 (variable), 値 (value) and 人口 (total).",
                path.display()
            ));
        };
        let mut out: Vec<RakeMargin> = Vec::new();
        let mut current = String::new();
        for r in 0..t.rows {
            let v = t.columns[var].value(r).trim();
            if !v.is_empty() {
                current = v.to_string();
            }
            let value = t.columns[val].value(r).trim().to_string();
            let total_text = t.columns[tot].value(r).trim().replace(',', "");
            if value.is_empty() && total_text.is_empty() {
                continue;
            }
            let total = tsunagari::table::parse_number(&total_text).ok_or_else(|| {
                format!(
                    "{}: {} 行目の人口「{total_text}」が数値ではありません。/ row {}: total \"{total_text}\" is not a number.",
                    path.display(),
                    r + 2,
                    r + 2
                )
            })?;
            match out.iter_mut().find(|m| m.source == current) {
                Some(m) => m.targets.push(Target {
                    value,
                    total,
                    merged: Vec::new(),
                }),
                None => out.push(RakeMargin {
                    source: current.clone(),
                    targets: vec![Target {
                        value,
                        total,
                        merged: Vec::new(),
                    }],
                }),
            }
        }
        Ok(out)
    }

    fn load_codebook(path: &PathBuf) -> Result<Codebook, String> {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json {
            return Ok(Codebook::from_model(&read_model(path)?));
        }
        let loaded = load_side_file(path)?;
        Codebook::from_table(&loaded.table, &path.display().to_string()).map_err(|e| e.to_string())
    }

    /// What the codebook matched and changed, and what it was not allowed to turn on.
    fn print_report(report: &ApplyReport) {
        for line in report.lines_ja() {
            eprintln!("符号表: {line}");
        }
        for line in report.lines_en() {
            eprintln!("codebook: {line}");
        }
    }

    /// A question by id or label, a column by name (a grid's item alone) or number.
    fn tabulate_by_name(
        survey: &Survey,
        name: &str,
        weight: Option<&str>,
        filter: Option<&Filter>,
    ) -> Result<Vec<Tabulation>, String> {
        let tabulate =
            |id: &str| analysis::tabulate(survey, id, weight, filter).map_err(|r| r.to_string());
        if let Some(q) = survey.questions().find(|q| q.id == name || q.label == name) {
            return tabulate(&q.id);
        }
        let column = survey
            .table
            .column(name)
            .map(|c| c.name.clone())
            .or_else(|| {
                name.parse::<usize>()
                    .ok()
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| survey.table.columns.get(i))
                    .map(|c| c.name.clone())
            });
        let Some(column) = column else {
            let ids: Vec<String> = survey
                .questions()
                .filter(|q| q.include)
                .map(|q| q.id.clone())
                .collect();
            return Err(format!(
                "設問・列「{name}」がありません。/ No question or column \"{name}\". 設問 / questions: {}",
                ids.join(", ")
            ));
        };
        let q = survey
            .questions()
            .find(|q| q.columns.contains(&column))
            .ok_or_else(|| {
                format!("列「{column}」の設問がありません。/ No question for column \"{column}\".")
            })?;
        if q.kind == Kind::Grid {
            // One item of a grid: its table only.
            return tabulate(&column);
        }
        tabulate(&q.id)
    }

    fn to_json(value: &impl serde::Serialize) -> Result<String, String> {
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())
    }

    fn parse_filter(text: Option<&str>) -> Result<Option<Filter>, String> {
        text.map(|t| {
            Filter::parse(t).map_err(|e| {
                // The message names the character; quoting a huge filter whole would bury it.
                let shown: String = t.chars().take(80).collect();
                let more = if shown.len() < t.len() { "…" } else { "" };
                format!("--filter \"{shown}{more}\":\n{e}")
            })
        })
        .transpose()
    }

    /// A column given by number (1 = the first column) becomes its name; anything else
    /// is passed on as a question id, label or column name.
    fn column_name(survey: &Survey, name: &str) -> String {
        if survey.question(name).is_some() || survey.table.column(name).is_some() {
            return name.to_string();
        }
        name.parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| survey.file_columns().get(i))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| name.to_string())
    }

    /// After the tabulation of a national item: the national figures beside it.
    fn print_national(
        out: &mut impl Write,
        survey: &Survey,
        name: &str,
        weight: Option<&str>,
        filter: Option<&Filter>,
    ) -> Result<(), String> {
        let q = survey
            .questions()
            .find(|q| q.id == name || q.label == name || q.columns.iter().any(|c| c == name));
        let Some(q) = q else { return Ok(()) };
        let Some(measure) = analysis::national::measure_of(&survey.model, q) else {
            return Ok(());
        };
        if let Ok(c) = analysis::national::compare_filtered(survey, measure, weight, filter) {
            let b = layout::national_block(String::new(), &c);
            writeln!(out, "{}", layout::to_text(&b)).map_err(io)?;
        }
        Ok(())
    }

    /// A tabulation as the page shows it, with or without a weight: under one, the
    /// weighted sums beside the counts, weighted %, and notes on the weight and filter.
    fn print_tabulation(out: &mut impl Write, tab: &Tabulation) -> std::io::Result<()> {
        writeln!(out, "{}\t(n = {})", tab.title, tab.base_count)?;
        let weighted = tab.weight.is_some();
        let w_head = if weighted { "\tウェイト付き" } else { "" };
        let w = |x: f64| {
            if weighted {
                format!("\t{x:.2}")
            } else {
                String::new()
            }
        };
        let pct = |p: Option<f64>| format_percent(p.unwrap_or(0.0));
        if tab.multiple {
            writeln!(out, "回答\t件数{w_head}\t回答者%\t回答%")?;
            for c in &tab.categories {
                writeln!(
                    out,
                    "{}\t{}{}\t{}\t{}",
                    c.label,
                    c.count,
                    w(c.amount()),
                    pct(c.percent),
                    pct(tab.response_percent(c))
                )?;
            }
            writeln!(
                out,
                "回答者\t{}{}\t(無回答 {}、回答数 {}。複数回答のため合計は100%を超えます)",
                tab.base_count,
                w(tab.base),
                tab.outside,
                tab.responses.unwrap_or(0)
            )?;
        } else {
            writeln!(out, "回答\t件数{w_head}\t%\t有効%\t累積%")?;
            for c in &tab.categories {
                writeln!(
                    out,
                    "{}{}\t{}{}\t{}\t{}\t{}",
                    c.label,
                    if c.unlisted {
                        " (符号表にない値)"
                    } else {
                        ""
                    },
                    c.count,
                    w(c.amount()),
                    pct(c.percent),
                    c.valid_percent.map(format_percent).unwrap_or_default(),
                    c.cumulative_percent.map(format_percent).unwrap_or_default()
                )?;
            }
            writeln!(out, "合計\t{}{}\t100.0", tab.base_count, w(tab.base))?;
            if tab.outside > 0 {
                writeln!(out, "非該当（合計に含めず）\t{}", tab.outside)?;
            }
        }
        if let Some(name) = &tab.weight {
            writeln!(out, "注: ウェイト / weight: {name}")?;
        }
        if let Some(f) = &tab.filter {
            writeln!(
                out,
                "注: 絞り込み / filter: {f}（除外 / filtered out: {}）",
                tab.filtered_out
            )?;
        }
        if tab.invalid_weight > 0 {
            writeln!(
                out,
                "注: ウェイトが空欄・数値でない行を除外 / rows without a valid weight left out: {}",
                tab.invalid_weight
            )?;
        }
        if let Some(s) = &tab.weights {
            writeln!(
                out,
                "注: 有効標本数 / effective n (Kish): {}  デザイン効果 / deff: {}",
                s.n_eff.map_or("-".into(), |x| format!("{x:.1}")),
                s.deff.map_or("-".into(), |x| format!("{x:.3}"))
            )?;
        }
        writeln!(out)
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
