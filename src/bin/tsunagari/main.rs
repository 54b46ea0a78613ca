//! `tsunagari`: the engine on the command line. Prints what the page shows, for scripts,
//! checks and people who prefer a terminal. Nothing is sent anywhere here either.
//!
//! Here: the arguments (clap) and the dispatch. Each subcommand has its file (its own
//! arguments and what it does); `io.rs` reads the files and writes the outputs. Native
//! only: clap is not built for wasm32, where this binary is an empty stub.

#[cfg(target_arch = "wasm32")]
fn main() {}

/// Items of the native tool only.
macro_rules! native {
    ($($item:item)*) => { $(#[cfg(not(target_arch = "wasm32"))] $item)* };
}

native! {
    mod aggregate;
    mod codebook;
    mod inspect;
    mod io;
    mod means;
    mod rake;
    mod run;
    mod sample;
    mod share_link;
    mod tab;

    use std::path::PathBuf;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use tsunagari::analysis::Filter;
}

#[cfg(not(target_arch = "wasm32"))]
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

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand)]
enum Command {
    /// 単純集計 / クロス集計: one question (as the page shows it), or crossed with
    /// another (--by), optionally by a third (--layer), weighted, filtered
    Tab(tab::Args),
    /// 平均: a number (age, score) by the groups of a question, with ANOVA and
    /// Kruskal–Wallis
    Means(means::Args),
    /// Runs an analysis template (every table it lists) and writes the report
    Run(run::Args),
    /// How the file reads (encoding, delimiter, rows, warnings) and its questions
    Inspect(inspect::Args),
    /// Writes the codebook (符号表) inferred from the file (with --codebook applied):
    /// a survey model (.json) or a codebook sheet (.csv, opens in Excel)
    Codebook(codebook::Args),
    /// 共有リンク: prints the link that carries a template (and the survey's setup) to
    /// another municipality — never a response. With FILE, the setup is the file's
    /// (with --codebook applied) and answers fewer than 3 respondents gave are left out;
    /// without it, only --codebook's model (a .json) goes in, with codes only.
    ShareLink(share_link::Args),
    /// 秘匿処理した集計表: the template's tables of counts with cells of 1–2 respondents
    /// (and the cells that would give them away) shown as x, to share outside
    Aggregate(aggregate::Args),
    /// 集計ウェイト: rakes weights to population totals (人口の表) and writes the survey
    /// model holding the weight's recipe (use it with --codebook and --weight NAME)
    Rake(rake::Args),
    /// Writes the bundled fictitious sample survey (UTF-8 CSV) to a file or stdout
    Sample(sample::Args),
}

// How the survey file is read and set up, on every subcommand that reads one. (A doc
// comment here would become the subcommands' about text.)
#[cfg(not(target_arch = "wasm32"))]
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
    /// Read the quote (") that starts this cell as an ordinary character: the repair of
    /// a quote left open that swallowed the rows after it (the warning names ROW:COLUMN,
    /// e.g. 101:5); repeatable
    #[arg(long = "literal-quote", value_name = "ROW:COLUMN")]
    literal_quote: Vec<tsunagari::ingest::QuoteAt>,
    /// The header is N rows (question numbers, texts, option names under a multiple
    /// answer), combined into one name per column; without it a header block is found
    /// by itself and reported. 1 = only the first row
    #[arg(long = "header-rows", value_name = "N", value_parser = clap::value_parser!(u16).range(1..=10))]
    header_rows: Option<u16>,
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the subcommand; its error is printed and the exit code is 2.
#[cfg(not(target_arch = "wasm32"))]
fn dispatch(cli: Cli) -> Result<(), String> {
    let out = &mut std::io::stdout().lock();
    match cli.command {
        Command::Tab(args) => tab::run(args, out),
        Command::Means(args) => means::run(args, out),
        Command::Run(args) => run::run(args, out),
        Command::Inspect(args) => inspect::run(args, out),
        Command::Codebook(args) => codebook::run(args, out),
        Command::ShareLink(args) => share_link::run(args, out),
        Command::Aggregate(args) => aggregate::run(args, out),
        Command::Rake(args) => rake::run(args, out),
        Command::Sample(args) => sample::run(args, out),
    }
}

/// `--filter`, parsed; its error names the character (a huge filter is not quoted whole).
#[cfg(not(target_arch = "wasm32"))]
fn parse_filter(text: Option<&str>) -> Result<Option<Filter>, String> {
    text.map(|t| {
        Filter::parse(t).map_err(|e| {
            let shown: String = t.chars().take(80).collect();
            let more = if shown.len() < t.len() { "…" } else { "" };
            format!("--filter \"{shown}{more}\":\n{e}")
        })
    })
    .transpose()
}
