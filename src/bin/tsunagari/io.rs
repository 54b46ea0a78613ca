//! Files in and out: the survey file (read in chunks, its model inferred and set up by
//! `--codebook`, `--include`, `--confirm-header`), the side files (codebooks, population
//! tables, templates), and the one error for an output that cannot be written.

use std::io::Read;
use std::path::Path;

use tsunagari::analysis::AnalysisTemplate;
use tsunagari::ingest::{self, encoding, Loaded, ReadOptions};
use tsunagari::model::codebook::{self, ApplyReport, Codebook};
use tsunagari::model::codebook_file::{self, CodebookFile};
use tsunagari::model::{Survey, SurveyModel};
use tsunagari::table::Table;

use crate::ReadArgs;

/// The one error for an output that cannot be written: a file, or standard output
/// (`None`); what happened and what to do, in Japanese and English.
pub fn cannot_write(path: Option<&Path>, e: &std::io::Error) -> String {
    let (place_ja, place_en, todo_ja, todo_en) = match path {
        Some(p) => (
            format!("{} ", p.display()),
            p.display().to_string(),
            "保存先のフォルダーがあって書き込めるか、同じ名前のフォルダーがないか、ファイルを Excel などで開いたままでないかを確かめてください。",
            "check that the folder exists and may be written to, that the name is not a folder's, and that no program (Excel …) has the file open.",
        ),
        None => (
            "標準出力".to_string(),
            "to the standard output".to_string(),
            "出力の行き先（パイプやリダイレクトしたファイル）を確かめてください。",
            "check where it goes (a pipe, or a file it was redirected to).",
        ),
    };
    format!(
        "{place_ja}に書き込めません（{e}）。{todo_ja}\ncannot write {place_en} ({e}): {todo_en}"
    )
}

/// For `writeln!(out, …).map_err(io::stdout)?`.
pub fn stdout(e: std::io::Error) -> String {
    cannot_write(None, &e)
}

/// Writes an output file.
pub fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| cannot_write(Some(path), &e))
}

/// Pretty JSON for stdout.
pub fn to_json(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| e.to_string())
}

fn cannot_open(path: &Path, e: std::io::Error) -> String {
    format!(
        "{} を開けません / cannot open {}: {e}",
        path.display(),
        path.display()
    )
}

fn cannot_read(path: &Path, e: std::io::Error) -> String {
    format!(
        "{} を読めません / cannot read {}: {e}",
        path.display(),
        path.display()
    )
}

/// A whole file's bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(|e| cannot_open(path, e))?
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, e))?;
    Ok(bytes)
}

/// A UTF-8 text file.
fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| cannot_open(path, e))
}

/// Files on disk have no size limit here (the page's limit is for a browser tab).
fn options() -> ReadOptions {
    ReadOptions {
        max_bytes: u64::MAX,
        ..ReadOptions::default()
    }
}

/// The survey file as read: a text file in byte ranges by one thread per core, each
/// reading its range from the disk (`ingest::parallel`: the same table and warnings as
/// one reader); a workbook whole.
fn load(file: &Path, read: &ReadArgs) -> Result<Loaded, String> {
    let mut opts = options();
    opts.literal_quotes = read.literal_quote.clone();
    opts.header_rows = read.header_rows.map(usize::from);
    if let Some(label) = &read.encoding {
        opts.encoding = Some(encoding::by_label(label).ok_or_else(|| {
            format!("文字コード「{label}」は使えません。/ Unknown encoding \"{label}\". (utf-8, cp932, euc-jp, utf-16le, utf-16be)")
        })?);
    }
    let threads = ingest::parallel::threads();
    ingest::parallel::read_path_parallel(file, opts, read.sheet.clone(), threads)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                cannot_open(file, e)
            }
            _ => cannot_read(file, e),
        })?
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// The file with its model: inferred, then the codebook applied, then the questions
/// the user turned on with --include; the header warning joins the reading's notes.
pub fn load_survey(file: &Path, read: &ReadArgs) -> Result<(Loaded, Survey), String> {
    let mut loaded = load(file, read)?;
    let table = std::mem::take(&mut loaded.table);
    let mut model = SurveyModel::infer(&table);
    if let Some(path) = &read.codebook {
        let book = load_codebook(path)?;
        let report = codebook::apply(&mut model, &book, &table);
        print_report(&report);
    }
    for name in &read.include {
        // A question by id, else the question of a column.
        let id = model
            .question(name)
            .or_else(|| model.question_of_column(name))
            .map(|q| q.id.clone())
            .ok_or_else(|| {
                format!("--include: 設問「{name}」はありません。/ No question \"{name}\".")
            })?;
        if let Some(q) = model.question_mut(&id) {
            q.include = true;
        }
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

/// A side file read as a table (a population table): any format the survey reader
/// takes, detected, whole; its header is one row by its format (never a header block).
pub fn read_table(path: &Path) -> Result<Table, String> {
    let opts = ReadOptions {
        header_rows: Some(1),
        ..options()
    };
    ingest::read_file_bytes(&read_bytes(path)?, opts, None)
        .map(|loaded| loaded.table)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// A codebook file: a saved model or a sheet, as its content says.
pub fn read_codebook_file(path: &Path) -> Result<CodebookFile, String> {
    codebook_file::open(&read_bytes(path)?, options())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn load_codebook(path: &Path) -> Result<Codebook, String> {
    read_codebook_file(path)?
        .codebook(&path.display().to_string())
        .map_err(|e| e.to_string())
}

/// An analysis template file, or an error naming it.
pub fn read_template(path: &Path) -> Result<AnalysisTemplate, String> {
    AnalysisTemplate::from_json(&read_text(path)?).map_err(|e| format!("{}: {e}", path.display()))
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

/// What reading found that makes every figure from the file wrong (rows a quote kept
/// from being read), for the notes of a report or an aggregate.
pub fn report_notes(loaded: &Loaded) -> Vec<String> {
    loaded
        .warnings
        .iter()
        .filter_map(tsunagari::ingest::Warning::report_note)
        .collect()
}

/// The reading's notes (repairs, a header that looks like a respondent), on stderr.
pub fn print_warnings(loaded: &Loaded) {
    for w in &loaded.warnings {
        eprintln!("注意: {}\nnote: {}", w.ja(), w.en());
    }
}
