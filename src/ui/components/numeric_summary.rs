use yew::prelude::*;

use super::chart_figure::ChartFigure;
use super::load_summary::format_int;
use crate::analysis::Tabulation;
use crate::chart::histogram_svg;
use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct NumericSummaryProps {
    pub tab: Tabulation,
}

/// A number at most two decimals, as the summary shows it (the CLI and the report keep
/// more).
fn figure(x: Option<f64>) -> String {
    match x {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.2}"),
        None => "—".into(),
    }
}

/// A numeric question (年齢, the UCLA-3 score): n, mean, SD, min, quartiles, max (weighted
/// beside them under a weight) and the histogram drawn by the engine
/// (`chart::histogram_svg`), instead of a bar per value. Nothing for a question of answers.
#[function_component]
pub fn NumericSummary(props: &NumericSummaryProps) -> Html {
    let lang = use_lang();
    let Some(s) = &props.tab.numeric else {
        return html! {};
    };
    let w = s.weighted.as_ref();
    let row = |ja: &str, en: &str, x: String, wx: Option<String>| {
        html! {
            <tr>
                <th scope="row">{ tr(lang, ja, en) }</th>
                <td class="num">{ x }</td>
                if let Some(wx) = wx { <td class="num">{ wx }</td> }
            </tr>
        }
    };
    let name = if props.tab.title.is_empty() {
        props.tab.id.clone()
    } else {
        props.tab.title.clone()
    };
    html! {
        <div class="numeric-summary">
            <table class="tab" id="numeric-summary" data-column={props.tab.id.clone()}>
                <caption>{ tr(lang, "数値の要約", "Summary of the numbers") }</caption>
                <thead>
                    <tr><th scope="col">{ tr(lang, "統計量", "Statistic") }</th><th scope="col" class="num">{ tr(lang, "値", "Value") }</th>
                        if w.is_some() { <th scope="col" class="num">{ tr(lang, "ウェイト付き", "Weighted") }</th> }</tr>
                </thead>
                <tbody>
                    { row("人数（n）", "Respondents (n)", format_int(s.n), w.map(|w| figure(Some(w.sum_weights)))) }
                    { row("平均", "Mean", figure(s.mean), w.map(|w| figure(w.mean))) }
                    { row("標準偏差（SD）", "Standard deviation (SD)", figure(s.sd), w.map(|w| figure(w.sd))) }
                    { row("最小", "Minimum", figure(s.min), w.map(|_| figure(s.min))) }
                    { row("第1四分位（25%）", "First quartile (25%)", figure(s.q1), w.map(|w| figure(w.q1))) }
                    { row("中央値（50%）", "Median (50%)", figure(s.median), w.map(|w| figure(w.median))) }
                    { row("第3四分位（75%）", "Third quartile (75%)", figure(s.q3), w.map(|w| figure(w.q3))) }
                    { row("最大", "Maximum", figure(s.max), w.map(|_| figure(s.max))) }
                </tbody>
            </table>
            <p class="note">{ if lang == crate::ui::i18n::Lang::En {
                format!("Respondents who gave a number; {} left out (blank, no answer, or not a number). Quartiles as R type 7 / Excel QUARTILE.INC; SD divides by n − 1.", format_int(s.no_number))
            } else {
                format!("数値を回答した人の集計です（空欄・無回答・数値でない回答の {} 人は除いています）。四分位は R の type 7（Excel の QUARTILE.INC と同じ）、標準偏差は n − 1 で割っています。", format_int(s.no_number))
            } }</p>
            if let Some(svg) = histogram_svg(&props.tab, lang) {
                <ChartFigure {svg} {name} id="histogram-chart" />
            }
        </div>
    }
}
