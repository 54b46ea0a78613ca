//! `run`: an analysis template on a file, every table it lists, written as one report
//! (.xlsx, .csv, .json, or JSON on stdout). A table that can't be computed is named on
//! stderr and the rest go on.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::analysis::{self, layout};
use tsunagari::lang::Lang;

use crate::io::{self, load_survey, print_warnings, read_template, report_notes, write_file};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
    /// The analysis template (.json, "format": "tsunagari-analysis")
    #[arg(long, required_unless_present = "link", conflicts_with = "link")]
    template: Option<PathBuf>,
    /// A share link (or the part from # on): its setup goes onto the file, then its tables
    #[arg(long)]
    link: Option<String>,
    /// With --link: a CSV of two columns, the link's question and this file's (empty: none),
    /// before the automatic matching (national item, question number, wording)
    #[arg(long, requires = "link")]
    map: Option<PathBuf>,
    /// report.xlsx (one sheet per table), report.csv (UTF-8 with BOM) or
    /// report.json; default: JSON on stdout
    #[arg(long)]
    out: Option<PathBuf>,
    /// The language of the report's own words in .xlsx/.csv (ja or en; the data are never
    /// translated)
    #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
    lang: String,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, mut survey) = load_survey(&a.file, &a.read)?;
    let template = match (&a.template, &a.link) {
        (Some(path), _) => read_template(path)?,
        (None, Some(link)) => {
            let setup = tsunagari::share::decode(link).map_err(|e| e.to_string())?;
            let map = match &a.map {
                Some(path) => {
                    let bytes = io::read_bytes(path)?;
                    let table = tsunagari::ingest::read_bytes(&bytes, Default::default())
                        .map_err(|e| format!("{}: {} / {}", path.display(), e.ja(), e.en()))?
                        .table;
                    tsunagari::share::read_map(&table, &path.display().to_string())
                        .map_err(|e| e.to_string())?
                }
                None => Vec::new(),
            };
            // The same matching as the page's: what met how, what met nothing (each
            // question once), then what the setup changed.
            let report = tsunagari::share::apply_setup_mapped(&mut survey, &setup, &map);
            let lines = report.lines();
            for line in &lines {
                eprintln!("共有リンク: {}", line.ja);
            }
            for line in &lines {
                eprintln!("share link: {}", line.en);
            }
            setup.template
        }
        (None, None) => unreachable!("clap requires --template or --link"),
    };
    let mut rep = analysis::run(&survey, &template);
    rep.read_notes = report_notes(&loaded);
    for (i, r) in rep.refusals() {
        eprintln!(
            "表 {} を集計できません / table {} not computed:\n{r}",
            i + 1,
            i + 1
        );
    }
    match a.out {
        Some(path) => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let lang = if a.lang == "en" { Lang::En } else { Lang::Ja };
            let bytes = match ext.as_str() {
                "xlsx" => layout::to_xlsx(&rep, lang).map_err(|e| e.to_string())?,
                "csv" => layout::to_csv(&rep, lang),
                "json" => rep.to_json().into_bytes(),
                _ => {
                    return Err(format!(
                        "出力ファイルの拡張子は .xlsx, .csv, .json のどれかにしてください（{}）。/ The output must end in .xlsx, .csv or .json ({}).",
                        path.display(),
                        path.display()
                    ))
                }
            };
            write_file(&path, bytes)?;
        }
        None => writeln!(out, "{}", rep.to_json()).map_err(io::stdout)?,
    }
    print_warnings(&loaded);
    Ok(())
}
