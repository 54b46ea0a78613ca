//! `codebook`: the file's model (inferred, `--codebook` applied) as the survey model
//! (JSON) or a codebook sheet (.csv, opens in Excel) that `--codebook` reads back.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::model::codebook;

use crate::io::{self, load_survey, print_warnings, write_file};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    /// Output file: .json (the survey model) or .csv (変数名, 設問文, 種類, コード,
    /// ラベル, 欠損); default: the JSON model on stdout
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let model = &survey.model;
    match a.out {
        Some(path) => {
            let csv = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let bytes = if csv {
                codebook::to_csv(model)
            } else {
                model.to_json().into_bytes()
            };
            write_file(&path, bytes)?;
        }
        None => writeln!(out, "{}", model.to_json()).map_err(io::stdout)?,
    }
    print_warnings(&loaded);
    Ok(())
}
