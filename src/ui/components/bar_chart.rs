use yew::prelude::*;

use super::chart_figure::ChartFigure;
use crate::analysis::Tabulation;
use crate::chart::bars_svg;

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub tab: Tabulation,
}

/// The tabulation's bars, drawn by the engine (`chart::bars_svg`), with SVG/PNG saving.
#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let lang = crate::ui::i18n::use_lang();
    let svg = bars_svg(&props.tab, lang);
    let name = if props.tab.title.is_empty() {
        props.tab.id.clone()
    } else {
        props.tab.title.clone()
    };
    html! { <ChartFigure {svg} {name} id="bar-chart" /> }
}
