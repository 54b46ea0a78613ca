use yew::prelude::*;

use crate::chart::horizontal_bars;
use crate::tabulate::Tabulation;

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub tab: Tabulation,
}

/// Horizontal bars in SVG. Geometry comes from the engine (`chart`); this only draws it.
/// Presentation attributes, not `style`, so the page's CSP needs no 'unsafe-inline'.
#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let chart = horizontal_bars(&props.tab);
    let view_box = format!("0 0 {} {}", chart.width, chart.height);
    html! {
        <figure class="chart">
            <svg id="bar-chart" role="img" aria-label={chart.description.clone()} {view_box}
                width={chart.width.to_string()} height={chart.height.to_string()}
                xmlns="http://www.w3.org/2000/svg">
                <title>{ &chart.description }</title>
                <line x1={chart.axis_x.to_string()} x2={chart.axis_x.to_string()} y1="0"
                    y2={chart.height.to_string()} stroke="#555" stroke-width="1" />
                { for chart.bars.iter().map(|b| {
                    let mid = b.y + b.bar_height / 2.0 + 2.0;
                    let first_line = mid - (b.label_lines.len() as f64 - 1.0) * 8.0;
                    let fill = if b.no_answer { "#bdbdbd" } else { "#1f5fa8" };
                    html! {
                        <g class="bar">
                            <text x={(chart.axis_x - 8.0).to_string()} y={first_line.to_string()}
                                text-anchor="end" dominant-baseline="middle" font-size="13" fill="#222">
                                { for b.label_lines.iter().enumerate().map(|(i, l)| html! {
                                    <tspan x={(chart.axis_x - 8.0).to_string()} dy={if i == 0 { "0".to_string() } else { "16".to_string() }}>{ l }</tspan>
                                }) }
                            </text>
                            <rect x={b.bar_x.to_string()} y={b.y.to_string()} width={b.bar_width.to_string()}
                                height={b.bar_height.to_string()} fill={fill} />
                            <text x={(b.bar_x + b.bar_width + 6.0).to_string()} y={mid.to_string()}
                                dominant-baseline="middle" font-size="13" fill="#222">{ &b.value_text }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}
