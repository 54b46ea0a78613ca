use yew::prelude::*;

use super::load_summary::format_int;
use crate::tabulate::{format_percent, Tabulation};

#[derive(Properties, PartialEq)]
pub struct TabTableProps {
    pub tab: Tabulation,
}

/// The simple tabulation as a table: answer, count, % of all respondents.
#[function_component]
pub fn TabTable(props: &TabTableProps) -> Html {
    let t = &props.tab;
    html! {
        <table class="tab" id="tab-table" data-column={t.column.clone()}>
            <caption>{ format!("単純集計（n = {}）", format_int(t.base)) }</caption>
            <thead>
                <tr><th scope="col">{"回答"}</th><th scope="col" class="num">{"件数"}</th><th scope="col" class="num">{"%"}</th></tr>
            </thead>
            <tbody>
                { for t.categories.iter().map(|c| html! {
                    <tr class={classes!(c.no_answer.then_some("no-answer"))}>
                        <th scope="row">{ &c.label }</th>
                        <td class="num">{ format_int(c.count) }</td>
                        <td class="num">{ format_percent(c.percent) }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th scope="row">{"合計"}</th><td class="num">{ format_int(t.base) }</td><td class="num">{"100.0"}</td></tr>
            </tfoot>
        </table>
    }
}
