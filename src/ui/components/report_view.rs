use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::chart_figure::ChartFigure;
use crate::analysis::layout::{blocks, display_text, BlockCell};
use crate::analysis::report::{Outcome, Report};
use crate::analysis::AnalysisTemplate;
use crate::analysis::TableSpec;
use crate::chart::{bars_svg, histogram_svg, national_svg};

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub pinned: Rc<AnalysisTemplate>,
    pub report: Option<Rc<Report>>,
    /// Default title: the file's name.
    pub file_name: String,
    pub on_unpin: Callback<usize>,
    pub on_title: Callback<String>,
    pub on_xlsx: Callback<()>,
}

/// What an item is, in words, for the list and the empty report.
pub fn spec_title(lang: Lang, spec: &TableSpec) -> String {
    if lang == Lang::En {
        return match spec {
            TableSpec::Tabulation { question, .. } => format!("Frequencies: {question}"),
            TableSpec::Crosstab(c) => format!("Crosstab: {} × {}", c.row, c.col),
            TableSpec::Means { num, by, .. } => format!("Mean: {num} (by {by})"),
            TableSpec::National { measure, .. } => format!(
                "National comparison: {}",
                crate::ui::i18n::measure(lang, *measure)
            ),
        };
    }
    match spec {
        TableSpec::Tabulation { question, .. } => format!("単純集計: {question}"),
        TableSpec::Crosstab(c) => format!("クロス集計: {} × {}", c.row, c.col),
        TableSpec::Means { num, by, .. } => format!("平均: {num}（{by}別）"),
        TableSpec::National { measure, .. } => format!("全国比較: {}", measure.ja()),
    }
}

/// The pinned tables and charts on one page, laid out for A4 print (the browser's
/// 「PDF に保存」 makes the report), and the same tables as an .xlsx workbook.
#[function_component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let title = if props.pinned.title.trim().is_empty() {
        props.file_name.clone()
    } else {
        props.pinned.title.clone()
    };
    let today = {
        let d = js_sys::Date::new_0();
        if en {
            format!(
                "{}-{:02}-{:02}",
                d.get_full_year(),
                d.get_month() + 1,
                d.get_date()
            )
        } else {
            format!(
                "{}年{}月{}日",
                d.get_full_year(),
                d.get_month() + 1,
                d.get_date()
            )
        }
    };
    let on_title = {
        let cb = props.on_title.clone();
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let on_xlsx = {
        let cb = props.on_xlsx.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // The pinned tables as an analysis template: `tsunagari run FILE --template …` makes
    // the same report, and another file can be analysed the same way.
    let on_template = {
        let pinned = props.pinned.clone();
        let title = title.clone();
        Callback::from(move |_: MouseEvent| {
            let mut t = (*pinned).clone();
            t.title = title.clone();
            super::codebook_bar::download(
                "分析テンプレート.json",
                t.to_json().as_bytes(),
                "application/json",
            );
        })
    };
    let items = props.report.as_ref().filter(|r| r.items.len() == props.pinned.tables.len()).map(|r| {
        r.items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let one = Report {
                    items: vec![item.clone()],
                    ..(**r).clone()
                };
                let charts: Vec<(crate::chart::Svg, String)> = match &item.outcome {
                    Outcome::Tabulation(fs) => fs
                        .iter()
                        .map(|f| (histogram_svg(f, lang).unwrap_or_else(|| bars_svg(f, lang)), f.title.clone()))
                        .collect(),
                    Outcome::Crosstab(x) => x
                        .tables
                        .iter()
                        .map(|t| (crate::chart::crosstab_svg(t, x, lang), format!("{}×{}", x.row.title, x.col.title)))
                        .collect(),
                    Outcome::National(c) => vec![(national_svg(c, lang), c.title.clone())],
                    _ => Vec::new(),
                };
                let refused = match &item.outcome {
                    Outcome::Refused(r) => Some(lang.pick(&r.ja, &r.en).to_string()),
                    _ => None,
                };
                let on_unpin = {
                    let cb = props.on_unpin.clone();
                    Callback::from(move |_: MouseEvent| cb.emit(i))
                };
                html! {
                    <article class="report-item" data-index={i.to_string()}>
                        <div class="report-item-head">
                            <h3>{ format!("{}. {}", i + 1, spec_title(lang, &item.spec)) }</h3>
                            <button type="button" class="button small no-print" onclick={on_unpin}>{ tr(lang, "レポートから外す", "Remove from report") }</button>
                        </div>
                        if let Some(r) = &refused { <p class="warning">{ r }</p> }
                        // A table not computed is said once, in the page's language: its
                        // block (both languages, for the workbook) would say it twice more.
                        { for blocks(&one).into_iter().filter(|_| refused.is_none()).map(|b| html! {
                            <div class="report-block">
                                <table class="xtab report-table">
                                    <caption>{ b.title.pick(lang) }</caption>
                                    if let Some(head) = b.lines.first() {
                                        // In <thead>: the browser repeats it on every printed page.
                                        <thead><tr>{ for head.iter().map(|c| html! { <th scope="col">{ display_text(c, lang) }</th> }) }</tr></thead>
                                    }
                                    { for row_groups(&b.lines).into_iter().map(|group| html! {
                                        // One answer's lines (count, %, marks) together: kept on one page, ruled off from the next.
                                        <tbody class={classes!((group.len() > 1).then_some("group"))}>
                                            { for group.iter().map(|line| html! {
                                                <tr>
                                                    { for line.iter().enumerate().map(|(j, c)| {
                                                        let text = display_text(c, lang);
                                                        if j == 0 { html! { <th scope="row">{ text }</th> } }
                                                        else { html! { <td class={classes!(matches!(c, BlockCell::Num(_) | BlockCell::Pct(_) | BlockCell::Stat(_) | BlockCell::P(_)).then_some("num"))}>{ text }</td> } }
                                                    }) }
                                                </tr>
                                            }) }
                                        </tbody>
                                    }) }
                                </table>
                                { for b.notes.iter().map(|n| html! { <p class="note">{ n.pick(lang) }</p> }) }
                            </div>
                        }) }
                        { for charts.into_iter().enumerate().map(|(k, (svg, name))| html! {
                            <ChartFigure {svg} {name} id={format!("report-chart-{i}-{k}")} />
                        }) }
                    </article>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section class="report" id="report" aria-labelledby="report-title">
            <header class="report-header">
                <h2 id="report-title">{ &title }</h2>
                <p class="report-date">{ if en { format!("Made on {today}　Tsunagari (calculated on this computer)") } else { format!("作成日: {today}　つながり（このパソコンの中で集計）") } }</p>
                // What reading found that makes these figures wrong: printed with them.
                { for props.report.iter().flat_map(|r| r.read_notes.iter()).map(|n| html! {
                    <p class="warning read-note" role="alert">{ n }</p>
                }) }
            </header>
            <div class="editor-grid no-print">
                <label>{ tr(lang, "レポートの題名", "Report title") }<input type="text" id="report-title-input" value={title.clone()} onchange={on_title} /></label>
                <button type="button" class="button primary" id="report-print" onclick={on_print}>{ tr(lang, "印刷・PDF に保存", "Print / save as PDF") }</button>
                <button type="button" class="button" id="report-xlsx" onclick={on_xlsx} disabled={props.pinned.tables.is_empty()}>{ tr(lang, "Excel ファイルで保存（表ごとにシート）", "Save as Excel file (one sheet per table)") }</button>
                <button type="button" class="button" id="report-template" onclick={on_template} disabled={props.pinned.tables.is_empty()}>{ tr(lang, "分析テンプレートを保存（JSON）", "Save the analysis template (JSON)") }</button>
            </div>
            if props.pinned.tables.is_empty() {
                <p class="note" id="report-empty">{ tr(lang, "まだ何もありません。単純集計・クロス集計・全国比較の画面で「レポートに追加」を押すと、ここに並びます。", "Nothing yet. Press “Add to report” on the question, crosstab or national comparison pages and the tables appear here.") }</p>
            } else {
                { items.unwrap_or_else(|| html! { <p class="note" role="status">{ tr(lang, "集計しています…", "Calculating…") }</p> }) }
            }
        </section>
    }
}

/// The lines of a block after its header, grouped by answer: a group starts at each line
/// that names its row (a crosstab's answer heads its count, %, marks and row % lines).
fn row_groups(lines: &[Vec<BlockCell>]) -> Vec<&[Vec<BlockCell>]> {
    let body = lines.get(1..).unwrap_or_default();
    let mut groups = Vec::new();
    let mut start = 0;
    for (k, line) in body.iter().enumerate() {
        let names_row = line
            .first()
            .is_some_and(|c| !display_text(c, Lang::Ja).trim().is_empty());
        if k > start && names_row {
            groups.push(&body[start..k]);
            start = k;
        }
    }
    if start < body.len() {
        groups.push(&body[start..]);
    }
    groups
}
