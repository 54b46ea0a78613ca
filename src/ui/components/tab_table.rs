use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::load_summary::format_int;
use crate::analysis::Tabulation;
use crate::format::format_percent;

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
    let lang = use_lang();
    let en = lang == Lang::En;
    let sorted = (*by_count).then(|| crate::app::present::sorted_by_count(&props.tab));
    let t = sorted.as_ref().unwrap_or(&props.tab);
    let sort_button = {
        let by_count = by_count.clone();
        let on = *by_count;
        html! {
            <button type="button" class="button small" id="tab-sort" aria-pressed={on.to_string()}
                onclick={Callback::from(move |_: MouseEvent| by_count.set(!on))}>
                { if on { tr(lang, "回答の順（質問票・尺度の順）に戻す", "Back to the answers' order (questionnaire / scale)") } else { tr(lang, "多い順に並べる", "Sort by count") } }
            </button>
        }
    };
    // 累積% only for ordered answers (the engine leaves it out otherwise): no empty column.
    // (Sorted by count it is blank, but the column stays so the table doesn't jump.)
    let cumulative = props
        .tab
        .categories
        .iter()
        .any(|c| c.cumulative_percent.is_some());
    // A share of an empty base reads 0.0, as the CLI prints it.
    let pct = |p: Option<f64>| format_percent(p.unwrap_or(0.0));
    if t.multiple {
        return html! {
            <>
            { sort_button }
            <table class="tab" id="tab-table" data-column={t.id.clone()}>
                <caption>{ if en { format!("Multiple answer (respondents n = {})", format_int(t.base_count)) } else { format!("複数回答（回答者 n = {}）", format_int(t.base_count)) } }</caption>
                <thead>
                    <tr><th scope="col">{ tr(lang, "回答", "Answer") }</th><th scope="col" class="num">{ tr(lang, "件数", "Count") }</th>
                        <th scope="col" class="num">{ tr(lang, "回答者に対する%", "% of respondents") }</th><th scope="col" class="num">{ tr(lang, "回答数に対する%", "% of answers") }</th></tr>
                </thead>
                <tbody>
                    { for t.categories.iter().map(|c| html! {
                        <tr class={classes!(c.unlisted.then_some("unlisted"))}>
                            <th scope="row">{ &c.label }</th>
                            <td class="num">{ format_int(c.count) }</td>
                            <td class="num">{ pct(c.percent) }</td>
                            <td class="num">{ pct(t.response_percent(c)) }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    <tr><th scope="row">{ tr(lang, "回答者", "Respondents") }</th><td class="num">{ format_int(t.base_count) }</td><td class="num">{"—"}</td><td class="num">{ format!("{} {}", tr(lang, "回答数", "Answers"), format_int(t.responses.unwrap_or(0))) }</td></tr>
                    <tr class="no-answer"><th scope="row">{ tr(lang, "無回答（どれも選ばなかった人、分母に含めず）", "No answer (chose none; not in the base)") }</th><td class="num">{ format_int(t.outside) }</td><td></td><td></td></tr>
                </tfoot>
            </table>
            </>
        };
    }
    html! {
        <>
        { sort_button }
        <table class="tab" id="tab-table" data-column={t.id.clone()}>
            <caption>{ if en { format!("Frequencies (n = {})", format_int(t.base_count)) } else { format!("単純集計（n = {}）", format_int(t.base_count)) } }</caption>
            <thead>
                <tr><th scope="col">{ tr(lang, "回答", "Answer") }</th><th scope="col" class="num">{ tr(lang, "件数", "Count") }</th><th scope="col" class="num">{"%"}</th>
                    <th scope="col" class="num" title={tr(lang, "無回答を除いた割合", "Percentage without no answer")}>{ tr(lang, "有効%", "Valid %") }</th>
                    if cumulative {
                        <th scope="col" class="num" title={tr(lang, "有効%を上から足した割合（順序のある回答だけ）", "Valid % added up from the top (ordered answers only)")}>{ tr(lang, "累積%", "Cumulative %") }</th>
                    }
                </tr>
            </thead>
            <tbody>
                { for t.categories.iter().map(|c| html! {
                    <tr class={classes!(c.no_answer.then_some("no-answer"), c.unlisted.then_some("unlisted"))}>
                        <th scope="row">{ &c.label }
                            if c.unlisted { <span class="unlisted-mark" title={tr(lang, "符号表にない値です", "This value is not in the codebook")}>{ tr(lang, " ※符号表にない値", " * not in the codebook") }</span> }
                        </th>
                        <td class="num">{ format_int(c.count) }</td>
                        <td class="num">{ pct(c.percent) }</td>
                        <td class="num">{ c.valid_percent.map(format_percent).unwrap_or_default() }</td>
                        if cumulative {
                            <td class="num">{ c.cumulative_percent.map(format_percent).unwrap_or_default() }</td>
                        }
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr><th scope="row">{ tr(lang, "合計", "Total") }</th><td class="num">{ format_int(t.base_count) }</td><td class="num">{"100.0"}</td><td></td>
                    if cumulative { <td></td> }
                </tr>
                if t.outside > 0 {
                    <tr><th scope="row">{ tr(lang, "非該当（合計に含めず）", "Not applicable (not in the total)") }</th><td class="num">{ format_int(t.outside) }</td><td></td><td></td>
                        if cumulative { <td></td> }
                    </tr>
                }
            </tfoot>
        </table>
        </>
    }
}
