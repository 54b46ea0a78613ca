use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::chart_figure::ChartFigure;
use super::load_summary::format_int;
use crate::analysis::{Measure, NationalComparison};
use crate::app::session::ModelView;
use crate::format::format_percent;

#[derive(Properties, PartialEq)]
pub struct NationalViewProps {
    pub model: Rc<ModelView>,
    pub result: Option<Rc<NationalComparison>>,
    /// (measure, weight column)
    pub on_request: Callback<(Measure, Option<String>)>,
    /// Adds this comparison to the report.
    pub on_pin: Callback<(Measure, Option<String>)>,
}

/// Local percentages beside the national survey's, edition by edition, with the test
/// result in plain words and where each national figure comes from.
#[function_component]
pub fn NationalView(props: &NationalViewProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let m = &props.model;
    let available = crate::analysis::national::available(&m.model);
    let measure = use_state(|| available.first().copied());
    let weight = use_state(String::new);
    let weights = m.weight_choices();
    {
        let on_request = props.on_request.clone();
        let w = Some((*weight).clone()).filter(|w| !w.is_empty());
        use_effect_with((*measure, w, m.clone()), move |(me, w, _)| {
            if let Some(me) = me {
                on_request.emit((*me, w.clone()));
            }
        });
    }
    if available.is_empty() {
        return html! {
            <section class="national-view" id="national-view">
                <h2>{ crate::app::state::View::National.name(lang) }</h2>
                <p class="note">{ tr(lang, "このファイルには、全国調査と同じ設問が見つかりませんでした。設問の設定で種類や選択肢を確かめてください。", "No question the same as the national survey was found in this file. Check the type and answers in the question settings.") }</p>
            </section>
        };
    }
    let on_measure = {
        let measure = measure.clone();
        let list = available.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            measure.set(list.iter().copied().find(|x| format!("{x:?}") == v));
        })
    };
    let on_weight = {
        let weight = weight.clone();
        Callback::from(move |e: Event| {
            weight.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let result = props
        .result
        .as_ref()
        .filter(|r| Some(r.measure) == *measure);
    let editions: Vec<String> = result
        .map(|r| {
            let mut e: Vec<String> = Vec::new();
            for row in &r.rows {
                for n in &row.national {
                    if !e.contains(&n.edition) {
                        e.push(n.edition.clone());
                    }
                }
            }
            e.sort();
            e
        })
        .unwrap_or_default();
    let body = result.map(|r| {
        // One line per edition: the official report cited, then how its figures were
        // checked (the confirmations of 「確認済み」 ones, the notes of the others).
        let sources: Vec<String> = editions
            .iter()
            .filter_map(|e| {
                let figs: Vec<_> = r.rows.iter().flat_map(|row| row.national.iter()).filter(|n| &n.edition == e).collect();
                let first = figs.first()?;
                let mut checks: Vec<String> = Vec::new();
                for n in &figs {
                    let c = n.confirmation();
                    let c = lang.pick(&c.ja, &c.en).to_string();
                    if !checks.contains(&c) {
                        checks.push(c);
                    }
                }
                Some(format!("{}{e}: {}　{}", tr(lang, "出典 ", "Source "), first.source, checks.join(lang.pick("／", " / "))))
            })
            .collect();
        html! {
            <>
                <table class="xtab national-table" id="national-table">
                    <caption>{ format!("{}　{} n = {}{}", r.title, tr(lang, "本調査", "This survey"), format_int(r.base_count),
                        r.effective_n.filter(|_| r.weight.is_some()).map(|n| if en { format!(" (effective n {n:.0})") } else { format!("（有効回答数 {n:.0}）") }).unwrap_or_default()) }</caption>
                    <thead><tr>
                        <th scope="col">{ tr(lang, "回答", "Answer") }</th>
                        <th scope="col" class="num">{ tr(lang, "本調査 %（95%信頼区間）", "This survey % (95% confidence interval)") }</th>
                        { for editions.iter().map(|e| html! { <th scope="col" class="num">{ format!("{} {e}", tr(lang, "全国", "National")) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for r.rows.iter().map(|row| html! {
                            <tr>
                                <th scope="row">{ &row.category }</th>
                                <td class="num">{ format_percent(row.local_percent) }
                                    { row.ci.as_ref().map(|ci| format!("（{}～{}）", format_percent(ci.lower * 100.0), format_percent(ci.upper * 100.0))).unwrap_or_default() }</td>
                                { for editions.iter().map(|e| match row.national.iter().find(|n| &n.edition == e) {
                                    Some(n) => html! {
                                        <td class="num">
                                            { format_percent(n.national_percent) }{ if n.verified { "" } else { "*" } }
                                            <span class="verdict">{ format!(" {}", lang.pick(&n.verdict_ja, &n.verdict_en)) }</span>
                                        </td>
                                    },
                                    None => html! { <td class="num">{"—"}</td> },
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <ChartFigure svg={crate::chart::national_svg(r, lang)} name={format!("{}_{}", lang.pick("全国比較", "national"), lang.pick(r.measure.ja(), r.measure.en()))} id="national-chart" />
                <p class="note">{ tr(lang, "「有意に高い/低い」は、全国調査の回答者数を使った比率の差の検定（5%水準）の結果です。* は2つの独立した資料で同じ値を確認できていない数値です（公式の報告書で確かめてください）。", "“Significantly higher/lower” is the result of a test of the difference in proportions using the national survey’s number of respondents (5% level). * marks a figure not found with the same value in two independent sources (check it against the official report).") }</p>
                <ul class="sources" id="national-sources">
                    { for sources.iter().map(|s| html! { <li>{ s }</li> }) }
                </ul>
                { for r.notes.iter().map(|n| html! { <p class="note">{ lang.pick(&n.ja, &n.en) }</p> }) }
                <p class="note caution">{ tr(lang, "ご注意: 本調査の回答者の年齢や性別の構成が全国と違うと、そのままの比較は偏ります（例: 若い人の回答が多い）。人口の構成に合わせたウェイトがあれば「ウェイト」で選んでください。", "Please note: if the age or sex make-up of your respondents differs from the nation’s, a plain comparison is biased (e.g. many young respondents). If you have a weight matching the population, choose it under “Weight”.") }</p>
            </>
        }
    });
    html! {
        <section class="national-view" id="national-view" aria-labelledby="national-view-title">
            <h2 id="national-view-title">{ crate::app::state::View::National.name(lang) }</h2>
            <div class="editor-grid">
                <label>{ tr(lang, "比べる項目", "What to compare") }
                    <select id="national-measure" onchange={on_measure}>
                        { for available.iter().map(|me| html! {
                            <option value={format!("{me:?}")} selected={Some(*me) == *measure}>{ crate::ui::i18n::measure(lang, *me) }</option>
                        }) }
                    </select>
                </label>
                <label>{ tr(lang, "ウェイト", "Weight") }
                    <select id="national-weight" onchange={on_weight}>
                        <option value="" selected={weight.is_empty()}>{ tr(lang, "なし（回答者数で集計）", "None (count people)") }</option>
                        { for weights.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == *weight}>{ l }</option> }) }
                    </select>
                </label>
            </div>
            <button type="button" class="button small" id="national-pin" onclick={{
                let on_pin = props.on_pin.clone();
                let measure = *measure;
                let w = Some((*weight).clone()).filter(|w| !w.is_empty());
                Callback::from(move |_: MouseEvent| if let Some(me) = measure { on_pin.emit((me, w.clone())) })
            }}>{ tr(lang, "レポートに追加", "Add to report") }</button>
            { body.unwrap_or_else(|| html! { <p class="note" role="status">{ tr(lang, "集計しています…", "Calculating…") }</p> }) }
        </section>
    }
}
