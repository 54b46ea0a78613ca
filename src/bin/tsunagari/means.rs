//! `means`: a number by the groups of a question, with ANOVA and Kruskal–Wallis.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::analysis::{self, layout};
use tsunagari::model::names;

use crate::io::{self, load_survey, print_warnings, to_json};
use crate::{parse_filter, ReadArgs};

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let filter = parse_filter(a.filter.as_deref())?;
    let m = analysis::means(
        &survey,
        &names::for_tables(&survey, &a.num),
        &names::for_tables(&survey, &a.by),
        a.weight.as_deref(),
        filter.as_ref(),
    )
    .map_err(|r| r.to_string())?;
    if a.json {
        writeln!(out, "{}", to_json(&m)?).map_err(io::stdout)?;
    } else {
        let b = layout::means_block(Default::default(), &m);
        write!(out, "{}", layout::to_text(&b)).map_err(io::stdout)?;
    }
    print_warnings(&loaded);
    Ok(())
}
