use yew::prelude::*;

use super::load_summary::format_int;
use crate::tabulate::{format_percent, Tabulation};

#[derive(Properties, PartialEq)]
pub struct TabTableProps {
    pub tab: Tabulation,
}

/// The simple tabulation as a table: answer, count, % of all respondents (無回答 in the
/// base, as the national report) and % of those who answered; for a multiple answer,
/// % of respondents and % of answers.
#[function_component]
pub fn TabTable(props: &TabTableProps) -> Html {
    let by_count = use_state(|| false);
    let sorted = (*by_count).then(|| crate::present::sorted_by_count(&props.tab));
    let t = sorted.as_ref().unwrap_or(&props.tab);
    let sort_button = {
        let by_count = by_count.clone();
        let on = *by_count;
        html! {
            <button type="button" class="button small" id="tab-sort" aria-pressed={on.to_string()}
                onclick={Callback::from(move |_: MouseEvent| by_count.set(!on))}>
                { if on { "質問票の順に戻す" } else { "多い順に並べる" } }
            </button>
        }
    };
    if let Some(m) = &t.multiple {
        return html! {
            <>
            { sort_button }
            <table class="tab" id="tab-table" data-column={t.column.clone()}>
                <caption>{ format!("複数回答（回答者 n = {}）", format_int(t.base)) }</caption>
                <thead>
                    <tr><th scope="col">{"回答"}</th><th scope="col" class="num">{"件数"}</th>
                        <th scope="col" class="num">{"回答者に対する%"}</th><th scope="col" class="num">{"回答数に対する%"}</th></tr>
                </thead>
                <tbody>
                    { for t.categories.iter().map(|c| html! {
                        <tr class={classes!(c.unlisted.then_some("unlisted"))}>
                            <th scope="row">{ &c.label }</th>
                            <td class="num">{ format_int(c.count) }</td>
                            <td class="num">{ format_percent(c.percent) }</td>
                            <td class="num">{ c.response_percent.map(format_percent).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr><th scope="row">{"回答者"}</th><td class="num">{ format_int(t.base) }</td><td class="num">{"—"}</td><td class="num">{ format!("回答数 {}", format_int(m.responses)) }</td></tr>
                    <tr class="no-answer"><th scope="row">{"無回答（どれも選ばなかった人、分母に含めず）"}</th><td class="num">{ format_int(m.no_answer) }</td><td></td><td></td></tr>
                </tfoot>
            </table>
            </>
        };
    }
    html! {
        <>
        { sort_button }
        <table class="tab" id="tab-table" data-column={t.column.clone()}>
            <caption>{ format!("単純集計（n = {}）", format_int(t.base)) }</caption>
            <thead>
                <tr><th scope="col">{"回答"}</th><th scope="col" class="num">{"件数"}</th><th scope="col" class="num">{"%"}</th>
                    <th scope="col" class="num" title="無回答を除いた割合">{"有効%"}</th>
                    <th scope="col" class="num" title="有効%を上から足した割合">{"累積%"}</th></tr>
            </thead>
            <tbody>
                { for t.categories.iter().map(|c| html! {
                    <tr class={classes!(c.no_answer.then_some("no-answer"), c.unlisted.then_some("unlisted"))}>
                        <th scope="row">{ &c.label }
                            if c.unlisted { <span class="unlisted-mark" title="符号表にない値です">{" ※符号表にない値"}</span> }
                        </th>
                        <td class="num">{ format_int(c.count) }</td>
                        <td class="num">{ format_percent(c.percent) }</td>
                        <td class="num">{ c.valid_percent.map(format_percent).unwrap_or_default() }</td>
                        <td class="num">{ c.cumulative_percent.map(format_percent).unwrap_or_default() }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th scope="row">{"合計"}</th><td class="num">{ format_int(t.base) }</td><td class="num">{"100.0"}</td><td></td><td></td></tr>
                if t.not_applicable > 0 {
                    <tr><th scope="row">{"非該当（合計に含めず）"}</th><td class="num">{ format_int(t.not_applicable) }</td><td></td><td></td><td></td></tr>
                }
            </tfoot>
        </table>
        </>
    }
}
