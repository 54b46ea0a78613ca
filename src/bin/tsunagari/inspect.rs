//! `inspect`: how the file reads (encoding, delimiter, rows, warnings), its columns and
//! the questions seen in them; as text or JSON (docs/inspect-json.md).

use std::io::Write;
use std::path::PathBuf;

use tsunagari::ingest::Loaded;
use tsunagari::model::Survey;
use tsunagari::table::ColumnSummary;

use crate::io::{self, load_survey, print_warnings, to_json};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Print JSON (documented in docs/inspect-json.md)
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let summary: Vec<_> = survey
        .file_columns()
        .iter()
        .enumerate()
        .map(|(i, c)| c.summary(i + 1))
        .collect();
    if a.json {
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
            "file": a.file.display().to_string(),
            "read": loaded.info,
            "columns": summary,
            "warnings": warnings,
            "questions": survey.model.questions,
            "missing_guesses": survey.model.missing_guesses(),
            "national": survey.model.national,
            "derived": survey.model.derived,
            "derive_errors": survey.derive_errors,
        });
        writeln!(out, "{}", to_json(&doc)?).map_err(io::stdout)?;
    } else {
        text(out, &a.file, &loaded, &survey, &summary).map_err(io::stdout)?;
        print_warnings(&loaded);
    }
    Ok(())
}

fn text(
    out: &mut impl Write,
    file: &std::path::Path,
    loaded: &Loaded,
    survey: &Survey,
    summary: &[ColumnSummary],
) -> std::io::Result<()> {
    let i = &loaded.info;
    writeln!(out, "ファイル / file: {}", file.display())?;
    // A workbook has no text encoding to speak of: its sheets are shown instead.
    if i.sheet.is_none() {
        writeln!(
            out,
            "文字コード / encoding: {} ({:?})",
            i.encoding, i.confidence
        )?;
    }
    if let Some(d) = &i.delimiter {
        writeln!(out, "区切り / delimiter: {d}")?;
    }
    if let Some(sheet) = &i.sheet {
        writeln!(
            out,
            "形式 / format: {}  シート / sheet: {sheet}  (全シート / sheets: {})",
            i.format,
            i.sheets.join(", ")
        )?;
    }
    writeln!(
        out,
        "行 / rows: {}  列 / columns: {}  bytes: {}",
        i.rows, i.columns, i.bytes
    )?;
    // Rows missing: said here too, not only with the notes on stderr.
    for w in loaded.warnings.iter().filter(|w| w.is_severe()) {
        writeln!(out, "！ 注意: {}\n！ WARNING: {}", w.ja(), w.en())?;
    }
    writeln!(
        out,
        "#\t列 / column\t種類 / distinct\t空欄 / blanks\t数値 / numeric"
    )?;
    for s in summary {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            s.index,
            s.name,
            s.distinct,
            s.blanks,
            if s.numeric { "yes" } else { "no" }
        )?;
    }
    writeln!(out, "\n設問 / questions")?;
    writeln!(
        out,
        "id\t種類 / kind\t確度 / certainty\t集計 / shown\t列 / columns"
    )?;
    for q in &survey.model.questions {
        writeln!(
            out,
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
        )?;
    }
    let guesses = survey.model.missing_guesses();
    if !guesses.is_empty() {
        writeln!(out, "\n無回答と推定したコード / missing codes guessed")?;
        for g in &guesses {
            writeln!(out, "{}\t{}\t{}", g.question, g.code, g.why.ja)?;
        }
    }
    if !survey.model.national.is_empty() {
        writeln!(out, "\n全国調査の設問 / national items")?;
        for m in &survey.model.national {
            writeln!(out, "{}\t{}", m.item.ja(), m.column)?;
        }
    }
    if !survey.model.derived.is_empty() {
        let names: Vec<&str> = survey
            .model
            .derived
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        writeln!(out, "\n作成した変数 / derived: {}", names.join(", "))?;
    }
    Ok(())
}
