//! `aggregate`: the template's tables of counts with disclosure control (秘匿処理), as
//! JSON or xlsx, to share outside; the tables left out are named on stderr.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::analysis::aggregate::{self, Count};

use crate::io::{self, load_survey, print_warnings, read_template, report_notes, write_file};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
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
    /// The municipality's name stored in the file (shown in 「市町村の比較」); default: the
    /// template's title
    #[arg(long)]
    municipality: Option<String>,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let rules = tsunagari::disclosure::Rules::checked(a.min_count, a.min_base)
        .map_err(|e| e.to_string())?;
    let template = read_template(&a.template)?;
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let name = a.municipality.as_deref().unwrap_or(&template.title);
    let mut agg = aggregate::aggregate(&survey, &template, rules).named(name);
    for note in report_notes(&loaded).iter().rev() {
        agg.note_ja = format!("{note}\n{}", agg.note_ja);
    }
    for note in &agg.left_out {
        eprintln!("{}\n{}", note.ja, note.en);
    }
    let xlsx = a
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx {
        aggregate::to_xlsx(&agg)?
    } else {
        agg.to_json().into_bytes()
    };
    write_file(&a.out, bytes)?;
    let hidden: usize = agg
        .tables
        .iter()
        .map(|t| {
            t.cells
                .iter()
                .flatten()
                .filter(|c| matches!(c, Count::Hidden(_)))
                .count()
        })
        .sum();
    writeln!(
        out,
        "{} 表、x にしたセル {} 個 → {} / {} tables, {} cells hidden",
        agg.tables.len(),
        hidden,
        a.out.display(),
        agg.tables.len(),
        hidden
    )
    .map_err(io::stdout)?;
    print_warnings(&loaded);
    Ok(())
}
