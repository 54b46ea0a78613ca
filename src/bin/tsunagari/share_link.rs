//! `share-link`: the link that carries a template and the survey's setup (never a
//! response) to another municipality, or (`--show`) what a link holds.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::model::codebook_file::CodebookFile;
use tsunagari::model::{Survey, SurveyModel};

use crate::io::{self, load_survey, read_codebook_file, read_template};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    if let Some(link) = a.show {
        // A link's error reads on one line here, as it always has.
        let setup =
            tsunagari::share::decode(&link).map_err(|e| format!("{} / {}", e.ja, e.en))?;
        let json = serde_json::json!({
            "model": setup.model,
            "template": setup.template,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&json).unwrap()).map_err(io::stdout)?;
        return Ok(());
    }
    let template = read_template(&a.template.expect("clap requires it"))?;
    let survey = match &a.file {
        Some(file) => load_survey(file, &a.read)?.1,
        None => {
            // No data: nothing can be counted, so only labelled codes go in.
            let model = match &a.read.codebook {
                Some(path) => saved_model(path)?,
                None => SurveyModel::default(),
            };
            eprintln!(
                "調査ファイルを指定していないため、選択肢はラベルの付いた番号（コード）だけを入れます。/ No survey file given: only answers written as labelled codes go in."
            );
            Survey::with_model(tsunagari::table::Table::default(), model)
        }
    };
    let (setup, left_out) = tsunagari::share::for_link(&survey, &template);
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
    writeln!(out, "{}#{fragment}", a.base.unwrap_or_default()).map_err(io::stdout)?;
    Ok(())
}

/// Without the survey file, `--codebook` must be a saved model: a sheet's codes can only
/// be matched to the file's columns.
fn saved_model(path: &std::path::Path) -> Result<SurveyModel, String> {
    match read_codebook_file(path)? {
        CodebookFile::Model(m) => Ok(*m),
        CodebookFile::Sheet(_) => Err(format!(
            "{p}: 符号表のシートです。調査ファイルを指定しない共有リンクの --codebook には、保存した調査設定（tsunagari codebook FILE --out model.json の JSON）を指定してください。この符号表を使うなら調査ファイルも指定してください。\n\
             {p}: this is a codebook sheet. Without the survey file, --codebook must be a saved survey model (the JSON of tsunagari codebook FILE --out model.json); to use this sheet, give the survey file too.",
            p = path.display()
        )),
    }
}
