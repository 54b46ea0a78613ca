//! `rake`: weights raked to population totals (人口の表, read by
//! `model::population`), written as a survey model holding the weight's recipe.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::model::{population, Derived, Recipe};

use crate::io::{self, load_survey, print_warnings, read_table, write_file};
use crate::ReadArgs;

#[derive(clap::Args)]
pub struct Args {
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
    /// Write the model even when the weight could not match the population (by default
    /// nothing is written and the exit code is 2)
    #[arg(long)]
    keep_unconverged: bool,
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let margins = population::margins(&read_table(&a.margins)?)
        .map_err(|e| format!("{}: {}/ {}", a.margins.display(), e.ja, e.en))?;
    let trim = a.trim.as_deref().map(parse_trim).transpose()?;
    for m in &margins {
        survey.usable_column(&m.source).map_err(|r| r.to_string())?;
    }
    let name = a.name;
    let derived = Derived {
        name: name.clone(),
        recipe: Recipe::Rake {
            margins,
            base_weight: a.base_weight,
            trim,
        },
        national: false,
    };
    let raked = derived
        .rake(&survey.table)
        .map_err(|e| format!("{}\n{}", e.ja(), e.en()))?;
    let summary = tsunagari::stats::weight_summary(&raked.weights);
    writeln!(
        out,
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
    .map_err(io::stdout)?;
    writeln!(
        out,
        "ウェイト: 最小 {:.3}  最大 {:.3}  平均 {:.3}  有効回答数（Kish） {:.1}  デザイン効果 {:.3}",
        summary.min.unwrap_or(f64::NAN),
        summary.max.unwrap_or(f64::NAN),
        summary.mean.unwrap_or(f64::NAN),
        summary.n_eff.unwrap_or(f64::NAN),
        summary.deff.unwrap_or(f64::NAN)
    )
    .map_err(io::stdout)?;
    for w in &raked.warnings {
        let m = w.message();
        eprintln!("注意: {}\nwarning: {}", m.ja, m.en);
    }
    if let Some(m) = raked.not_converged() {
        if !a.keep_unconverged {
            print_warnings(&loaded);
            return Err(format!(
                "{}\n{} は書き出していません。それでも書き出すには --keep-unconverged を付けてください。\n{}\nNothing was written to {}; add --keep-unconverged to write it anyway.",
                m.ja,
                a.out.display(),
                m.en,
                a.out.display()
            ));
        }
        eprintln!("注意: {}\nwarning: {}", m.ja, m.en);
    }
    let mut model = survey.model.clone();
    model.derived.retain(|d| d.name != name);
    model.derived.push(derived);
    write_file(&a.out, model.to_json())?;
    writeln!(
        out,
        "{} に書き出しました。使い方 / use: --codebook {} --weight \"{name}\"",
        a.out.display(),
        a.out.display()
    )
    .map_err(io::stdout)?;
    print_warnings(&loaded);
    Ok(())
}

/// `--trim 0.3,3`: lower and upper bounds.
fn parse_trim(t: &str) -> Result<(f64, f64), String> {
    let parts: Vec<f64> = t.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    match parts[..] {
        [lower, upper] => Ok((lower, upper)),
        _ => Err(format!("--trim は「0.3,3」のように下限と上限を書いてください。/ --trim takes lower,upper (e.g. 0.3,3), not \"{t}\".")),
    }
}
