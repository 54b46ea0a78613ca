//! `tab`: 単純集計 (one question as the page shows it, one layout with or without a
//! weight or filter) and クロス集計 (`--by`, `--layer`), with the national figures beside a
//! national item (in `--json` too, as `national_comparison`), and a numeric question's
//! summary (n, mean, SD, quartiles, histogram) before its table of values.

use std::io::Write;
use std::path::PathBuf;

use tsunagari::analysis::{self, layout, CrosstabSpec, Filter, NationalComparison, Tabulation};
use tsunagari::format::format_percent;
use tsunagari::model::names::{self, Named};
use tsunagari::model::Survey;

use crate::io::{self, load_survey, print_warnings, to_json};
use crate::{parse_filter, ReadArgs};

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(a: Args, out: &mut impl Write) -> Result<(), String> {
    let (loaded, survey) = load_survey(&a.file, &a.read)?;
    let filter = parse_filter(a.filter.as_deref())?;
    if let Some(by) = &a.by {
        let spec = CrosstabSpec {
            row: names::for_tables(&survey, &a.column),
            col: names::for_tables(&survey, by),
            layer: a.layer.as_ref().map(|l| names::for_tables(&survey, l)),
            weight: a.weight,
            filter,
            include_no_answer: !a.no_answer_out,
        };
        let x = analysis::crosstab(&survey, &spec).map_err(|r| r.to_string())?;
        if a.json {
            writeln!(out, "{}", to_json(&x)?).map_err(io::stdout)?;
        } else {
            let b = layout::crosstab_block(Default::default(), &x);
            write!(out, "{}", layout::to_text(&b)).map_err(io::stdout)?;
        }
        print_warnings(&loaded);
        return Ok(());
    }
    if a.layer.is_some() {
        return Err("--layer は --by と一緒に使います。/ --layer needs --by.".into());
    }
    let name = names::for_tables(&survey, &a.column);
    let (weight, filter) = (a.weight.as_deref(), filter.as_ref());
    let tabs = tabulate(&survey, &a.column, weight, filter)?;
    let comparison = national(&survey, &name, weight, filter);
    if a.json {
        // A national item's tabulation carries its comparison, as the text prints it.
        let json: Vec<TabJson> = tabs
            .iter()
            .map(|tab| TabJson {
                tab,
                national_comparison: comparison.as_ref().filter(|_| tabs.len() == 1),
            })
            .collect();
        writeln!(out, "{}", to_json(&json)?).map_err(io::stdout)?;
    } else {
        for tab in &tabs {
            if tab.numeric.is_some() {
                let b = layout::tabulation_block(Default::default(), tab);
                writeln!(out, "{}", layout::to_text(&b)).map_err(io::stdout)?;
            }
            print_tabulation(out, tab).map_err(io::stdout)?;
        }
        if let Some(c) = &comparison {
            let b = layout::national_block(Default::default(), c);
            writeln!(out, "{}", layout::to_text(&b)).map_err(io::stdout)?;
        }
    }
    print_warnings(&loaded);
    Ok(())
}

/// The tables the page shows for a question (a grid: one per item), or for a column,
/// the tables of its question (a grid's item: its table only).
fn tabulate(
    survey: &Survey,
    name: &str,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Result<Vec<Tabulation>, String> {
    let tabulate =
        |id: &str| analysis::tabulate(survey, id, weight, filter).map_err(|r| r.to_string());
    let (q, column) = match names::find(survey, name) {
        Some(Named::Question(q)) => (q, None),
        Some(Named::Column {
            name: column,
            question: Some(q),
        }) => (q, Some(column)),
        Some(Named::Column {
            name: column,
            question: None,
        }) => {
            return Err(format!(
                "列「{column}」の設問がありません。/ No question for column \"{column}\"."
            ))
        }
        None => {
            let ids: Vec<String> = survey
                .questions()
                .filter(|q| q.include)
                .map(|q| q.id.clone())
                .collect();
            return Err(format!(
                "設問・列「{name}」がありません。/ No question or column \"{name}\". 設問 / questions: {}",
                ids.join(", ")
            ));
        }
    };
    match column {
        // One item of a grid: its table only.
        Some(column) if q.kind == tsunagari::model::Kind::Grid => tabulate(column),
        _ => tabulate(&q.id),
    }
}

/// `tab --json` of one table: the tabulation, and beside a national item its comparison
/// with the national figures (docs/analysis-json.md).
#[derive(serde::Serialize)]
struct TabJson<'a> {
    #[serde(flatten)]
    tab: &'a Tabulation,
    #[serde(skip_serializing_if = "Option::is_none")]
    national_comparison: Option<&'a NationalComparison>,
}

/// The national figures beside a national item (under the same weight and filter), or
/// none for a question the national survey does not ask.
fn national(
    survey: &Survey,
    name: &str,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Option<NationalComparison> {
    let q = names::find(survey, name).and_then(|n| n.question())?;
    let measure = analysis::national::measure_of(&survey.model, q)?;
    analysis::national::compare_filtered(survey, measure, weight, filter).ok()
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
        // 累積% only for ordered answers (a scale, numbers, the user's order).
        let ordered = tab.categories.iter().any(|c| c.cumulative_percent.is_some());
        let cumulative_head = if ordered { "\t累積%" } else { "" };
        writeln!(out, "回答\t件数{w_head}\t%\t有効%{cumulative_head}")?;
        for c in &tab.categories {
            writeln!(
                out,
                "{}{}\t{}{}\t{}\t{}{}",
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
                match c.cumulative_percent {
                    Some(p) => format!("\t{}", format_percent(p)),
                    None if ordered => "\t".into(),
                    None => String::new(),
                }
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
