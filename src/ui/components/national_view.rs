use std::rc::Rc;

use yew::prelude::*;

use super::chart_figure::ChartFigure;
use super::load_summary::format_int;
use crate::analysis::{Measure, NationalComparison};
use crate::model::national::Item;
use crate::model::Kind;
use crate::session::ModelView;
use crate::tabulate::format_percent;

#[derive(Properties, PartialEq)]
pub struct NationalViewProps {
    pub model: Rc<ModelView>,
    pub result: Option<Rc<NationalComparison>>,
    /// (measure, weight column)
    pub on_request: Callback<(Measure, Option<String>)>,
    /// Adds this comparison to the report.
    pub on_pin: Callback<(Measure, Option<String>)>,
}

/// The measures this file can be compared on: those whose national items were found.
pub fn measures(m: &ModelView) -> Vec<Measure> {
    let has = |i: Item| m.model.national.iter().any(|n| n.item == i);
    Measure::ALL
        .into_iter()
        .filter(|me| match me {
            Measure::Direct => has(Item::Direct),
            Measure::UclaHigh => has(Item::Ucla1) && has(Item::Ucla2) && has(Item::Ucla3),
            Measure::ContactNone => has(Item::ContactFace),
            Measure::NoParticipation => has(Item::Participation),
        })
        .collect()
}

/// Local percentages beside the national survey's, edition by edition, with the test
/// result in plain words and where each national figure comes from.
#[function_component]
pub fn NationalView(props: &NationalViewProps) -> Html {
    let m = &props.model;
    let available = measures(m);
    let measure = use_state(|| available.first().copied());
    let weight = use_state(String::new);
    // Weight columns of the file and weights made here (raking).
    let weights: Vec<(String, String)> = m
        .model
        .questions
        .iter()
        .chain(&m.derived)
        .filter(|q| q.kind == Kind::Weight && q.include)
        .map(|q| (q.columns[0].clone(), q.label.clone()))
        .collect();
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
                <h2>{"全国調査との比較"}</h2>
                <p class="note">{"このファイルには、全国調査と同じ設問が見つかりませんでした。設問の設定で種類や選択肢を確かめてください。"}</p>
            </section>
        };
    }
    let on_measure = {
        let measure = measure.clone();
        let list = available.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            measure.set(list.iter().copied().find(|x| format!("{x:?}") == v));
        })
    };
    let on_weight = {
        let weight = weight.clone();
        Callback::from(move |e: Event| weight.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let result = props.result.as_ref().filter(|r| Some(r.measure) == *measure);
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
        let mut sources: Vec<(String, bool, String)> = Vec::new();
        for row in &r.rows {
            for n in &row.national {
                if !sources.iter().any(|s| s.0 == n.source) {
                    sources.push((n.source.clone(), n.verified, n.note.clone()));
                }
            }
        }
        html! {
            <>
                <table class="xtab national-table" id="national-table">
                    <caption>{ format!("{}　本調査 n = {}{}", r.title, format_int(r.base_count),
                        r.effective_n.filter(|_| r.weight.is_some()).map(|n| format!("（有効回答数 {n:.0}）")).unwrap_or_default()) }</caption>
                    <thead><tr>
                        <th scope="col">{"回答"}</th>
                        <th scope="col" class="num">{"本調査 %（95%信頼区間）"}</th>
                        { for editions.iter().map(|e| html! { <th scope="col" class="num">{ format!("全国 {e}") }</th> }) }
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
                                            <span class="verdict">{ format!(" {}", n.verdict_ja) }</span>
                                        </td>
                                    },
                                    None => html! { <td class="num">{"—"}</td> },
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <ChartFigure svg={crate::chart::national_svg(r)} name={format!("全国比較_{}", r.title)} id="national-chart" />
                <p class="note">{"「有意に高い/低い」は、全国調査の回答者数を使った比率の差の検定（5%水準）の結果です。* は公式の報告書で確認できていない数値です。"}</p>
                <ul class="sources" id="national-sources">
                    { for sources.iter().map(|(s, verified, note)| html! {
                        <li>{ format!("出典: {s}{}{}", if *verified { "" } else { "（未確認）" }, if note.is_empty() { String::new() } else { format!("　{note}") }) }</li>
                    }) }
                </ul>
                { for r.notes.iter().map(|n| html! { <p class="note">{ &n.ja }</p> }) }
                <p class="note caution">{"ご注意: 本調査の回答者の年齢や性別の構成が全国と違うと、そのままの比較は偏ります（例: 若い人の回答が多い）。人口の構成に合わせたウェイトがあれば「ウェイト」で選んでください。"}</p>
            </>
        }
    });
    html! {
        <section class="national-view" id="national-view" aria-labelledby="national-view-title">
            <h2 id="national-view-title">{"全国調査との比較"}</h2>
            <div class="editor-grid">
                <label>{"比べる項目"}
                    <select id="national-measure" onchange={on_measure}>
                        { for available.iter().map(|me| html! {
                            <option value={format!("{me:?}")} selected={Some(*me) == *measure}>{ me.ja() }</option>
                        }) }
                    </select>
                </label>
                <label>{"ウェイト"}
                    <select id="national-weight" onchange={on_weight}>
                        <option value="" selected={weight.is_empty()}>{"なし（回答者数で集計）"}</option>
                        { for weights.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == *weight}>{ l }</option> }) }
                    </select>
                </label>
            </div>
            <button type="button" class="button small" id="national-pin" onclick={{
                let on_pin = props.on_pin.clone();
                let measure = *measure;
                let w = Some((*weight).clone()).filter(|w| !w.is_empty());
                Callback::from(move |_: MouseEvent| if let Some(me) = measure { on_pin.emit((me, w.clone())) })
            }}>{"レポートに追加"}</button>
            { body.unwrap_or_else(|| html! { <p class="note" role="status">{"集計しています…"}</p> }) }
        </section>
    }
}
