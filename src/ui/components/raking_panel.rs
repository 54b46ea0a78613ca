use std::collections::{HashMap, HashSet};

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::load_summary::format_int;
use crate::app::session::{ModelView, RakeReport};
use crate::model::derive::{RakeMargin, Target};
use crate::model::rake_groups::{self, rake_rows, RakeRow};
use crate::model::{Derived, Kind, Question, Recipe};
use crate::table::parse_number;

#[derive(Properties, PartialEq)]
pub struct RakingPanelProps {
    pub model: Rc<ModelView>,
    pub report: Option<Rc<RakeReport>>,
    pub on_rake: Callback<Derived>,
}

/// Questions a margin can be: single answers with their options listed, each with the
/// groups the panel asks a population for (rare answers merged into a neighbour).
fn margin_questions(m: &ModelView) -> Vec<(Question, Vec<RakeRow>)> {
    m.model
        .questions
        .iter()
        .chain(&m.derived)
        .filter(|q| q.include && q.kind == Kind::Single && q.options().next().is_some())
        .map(|q| (q.clone(), rake_rows(q, m.rare_options(&q.id))))
        .collect()
}

/// Weights that make the sample match the population (raking): pick up to three
/// questions (年代, 性別, 地区…), type or paste the population of each answer (from the
/// census or the 住民基本台帳), and a weight column is made for every table.
#[function_component]
pub fn RakingPanel(props: &RakingPanelProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let questions = margin_questions(&props.model);
    let chosen = use_state(|| vec![String::new(); 3]);
    // totals[(question id, code)] = text typed
    let totals = use_state(HashMap::<(String, String), String>::new);
    // (question id, code) of the groups the population statistics have no figure for
    // (「答えたくない」): left out of the margin instead of a population of 0.
    let left_out = use_state(HashSet::<(String, String)>::new);
    // A default name in the page's language when the panel opens; the name is the
    // weight's id from then on (templates and links name it), so it is not translated.
    let name = use_state(|| lang.pick("人口ウェイト", "Population weight").to_string());
    let trim = use_state(|| false);
    let error = use_state(|| None::<String>);

    let margin_block = |slot: usize| {
        let current = chosen[slot].clone();
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                let mut v = (*chosen).clone();
                v[slot] = e
                    .target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value();
                chosen.set(v);
            })
        };
        let q = questions.iter().find(|(q, _)| q.id == current).cloned();
        let inputs = q.map(|(q, rows)| {
            if rows.is_empty() {
                return html! { <p class="note rake-note">{ tr(lang, rake_groups::NONE_JA, rake_groups::NONE_EN) }</p> };
            }
            let note = if en { rake_groups::note_en(&rows) } else { rake_groups::note_ja(&rows) };
            let on_paste = {
                let totals = totals.clone();
                let (q, rows) = (q.clone(), rows.clone());
                Callback::from(move |e: Event| {
                    let text = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value();
                    let pasted = crate::app::present::parse_pasted_totals(&text);
                    let mut t = (*totals).clone();
                    for r in &rows {
                        if let Some(n) = pasted
                            .get(&r.shown())
                            .or_else(|| pasted.get(&r.label))
                            .or_else(|| pasted.get(&r.code))
                        {
                            t.insert((q.id.clone(), r.code.clone()), n.to_string());
                        }
                    }
                    totals.set(t);
                })
            };
            html! {
                <div class="margin">
                    <table class="codebook">
                        <thead><tr><th scope="col">{ tr(lang, "回答", "Answer") }</th><th scope="col">{ tr(lang, "人口", "Population") }</th><th scope="col">{ tr(lang, "人口なし（外す）", "No figure (leave out)") }</th></tr></thead>
                        <tbody>
                            { for rows.iter().map(|v| {
                                let key = (q.id.clone(), v.code.clone());
                                let value = totals.get(&key).cloned().unwrap_or_default();
                                let out = left_out.contains(&key);
                                let on_out = {
                                    let left_out = left_out.clone();
                                    let key = key.clone();
                                    Callback::from(move |e: Event| {
                                        let mut t = (*left_out).clone();
                                        if e.target_unchecked_into::<web_sys::HtmlInputElement>().checked() {
                                            t.insert(key.clone());
                                        } else {
                                            t.remove(&key);
                                        }
                                        left_out.set(t);
                                    })
                                };
                                let oninput = {
                                    let totals = totals.clone();
                                    let key = key.clone();
                                    Callback::from(move |e: InputEvent| {
                                        let mut t = (*totals).clone();
                                        t.insert(key.clone(), e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
                                        totals.set(t);
                                    })
                                };
                                html! {
                                    <tr>
                                        <th scope="row">{ v.shown() }</th>
                                        <td><input type="text" inputmode="numeric" class="population" {value} {oninput} disabled={out}
                                            aria-label={if en { format!("Population of {}", v.shown()) } else { format!("{}の人口", v.shown()) }} data-code={v.code.clone()} /></td>
                                        <td><input type="checkbox" class="left-out" checked={out} onchange={on_out}
                                            aria-label={if en { format!("No population figure for {}: leave it out", v.shown()) } else { format!("{}は人口なし（外す）", v.shown()) }} data-code={v.code.clone()} /></td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                    if let Some(note) = note {
                        <p class="note rake-note">{ note }</p>
                    }
                    <p class="note rake-note">{ tr(lang, crate::stats::raking::LEFT_OUT_RULE.0, crate::stats::raking::LEFT_OUT_RULE.1) }</p>
                    <label>{ tr(lang, "Excel からまとめて貼り付け（回答と人口の2列）", "Paste from Excel (two columns: answer and population)") }
                        <textarea rows="3" class="paste" onchange={on_paste} />
                    </label>
                </div>
            }
        });
        html! {
            <fieldset class="rake-margin">
                <legend>{ format!("{} {}", tr(lang, "合わせる項目", "Match on"), slot + 1) }</legend>
                <select {onchange} class="rake-question" aria-label={format!("{} {}", tr(lang, "合わせる項目", "Match on"), slot + 1)}>
                    <option value="" selected={current.is_empty()}>{ tr(lang, "（選ばない）", "(none)") }</option>
                    { for questions.iter().map(|(q, _)| html! {
                        <option value={q.id.clone()} selected={q.id == current}>{ &q.label }</option>
                    }) }
                </select>
                { inputs.unwrap_or_default() }
            </fieldset>
        }
    };

    let on_make = {
        let chosen = chosen.clone();
        let totals = totals.clone();
        let left_out = left_out.clone();
        let name = name.clone();
        let trim = trim.clone();
        let error = error.clone();
        let questions = questions.clone();
        let on_rake = props.on_rake.clone();
        Callback::from(move |_: MouseEvent| {
            let mut margins = Vec::new();
            for id in chosen.iter().filter(|id| !id.is_empty()) {
                let Some((q, rows)) = questions.iter().find(|(q, _)| &q.id == id) else {
                    continue;
                };
                if rows.is_empty() {
                    error.set(Some(tr(lang, rake_groups::NONE_JA, rake_groups::NONE_EN)));
                    return;
                }
                let mut targets = Vec::new();
                let mut out = Vec::new();
                for v in rows {
                    if left_out.contains(&(q.id.clone(), v.code.clone())) {
                        out.push(v.code.clone());
                        out.extend(v.merged.iter().map(|(c, _)| c.clone()));
                        continue;
                    }
                    let text = totals
                        .get(&(q.id.clone(), v.code.clone()))
                        .cloned()
                        .unwrap_or_default();
                    match parse_number(&text.replace(',', "")) {
                        Some(n) => targets.push(Target {
                            value: v.code.clone(),
                            total: n,
                            merged: v.merged.iter().map(|(c, _)| c.clone()).collect(),
                        }),
                        None => {
                            error.set(Some(if en {
                                format!(
                                    "Enter the population of “{}” in “{}” as a number.",
                                    v.shown(),
                                    q.label
                                )
                            } else {
                                format!(
                                    "「{}」の「{}」の人口を数字で入れてください。",
                                    q.label,
                                    v.shown()
                                )
                            }));
                            return;
                        }
                    }
                }
                if targets.is_empty() {
                    error.set(Some(if en {
                        format!(
                            "“{}”: enter the population of at least one answer.",
                            q.label
                        )
                    } else {
                        format!(
                            "「{}」の回答のうち少なくとも1つに人口を入れてください。",
                            q.label
                        )
                    }));
                    return;
                }
                margins.push(RakeMargin {
                    source: q.columns[0].clone(),
                    targets,
                    left_out: out,
                });
            }
            if margins.is_empty() {
                error.set(Some(tr(
                    lang,
                    "合わせる項目を1つ以上選んでください。",
                    "Choose at least one item to match on.",
                )));
                return;
            }
            error.set(None);
            on_rake.emit(Derived {
                name: (*name).trim().to_string(),
                recipe: Recipe::Rake {
                    margins,
                    base_weight: None,
                    trim: trim.then_some((0.3, 3.0)),
                },
                national: false,
            });
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_trim = {
        let trim = trim.clone();
        Callback::from(move |e: Event| {
            trim.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let report = props.report.as_ref().map(|r| {
        let s = &r.summary;
        let f = |x: Option<f64>| x.map(|x| format!("{x:.3}")).unwrap_or_default();
        html! {
            <div role="status" id="rake-report">
            <p class="note">
                if en { { format!(
                    "Made the weight “{}” ({}, {} iterations). Min {}, max {}, mean {}; effective n (Kish) {} ({} respondents); design effect {}. Choose it under “Weight” in the tables.",
                    r.name,
                    if r.converged { "matches the population" } else { "could not match fully: merge groups or check the population figures" },
                    r.iterations, f(s.min), f(s.max), f(s.mean),
                    s.n_eff.map(|n| format!("{n:.0}")).unwrap_or_default(), format_int(s.n as u64), f(s.deff)
                ) } } else { { format!(
                    "ウェイト「{}」を作りました（{}、{} 回の繰り返し）。最小 {}・最大 {}・平均 {}、有効回答数（Kish）{}（回答者 {} 人）、デザイン効果 {}。表の「ウェイト」で選べます。",
                    r.name,
                    if r.converged { "人口の構成に一致" } else { "一致しきれませんでした。区分をまとめるか人口を見直してください" },
                    r.iterations, f(s.min), f(s.max), f(s.mean),
                    s.n_eff.map(|n| format!("{n:.0}")).unwrap_or_default(), format_int(s.n as u64), f(s.deff)
                ) } }
            </p>
            { for r.warnings.iter().map(|w| html! { <p class="warning rake-warning">{ tr(lang, &w.ja, &w.en) }</p> }) }
            </div>
        }
    });
    html! {
        <details class="raking" id="raking">
            <summary>{ tr(lang, "人口の構成に合わせるウェイトを作る（レーキング）", "Make a weight that matches the population (raking)") }</summary>
            <p class="note">{ tr(lang, "回答者の年齢や性別の割合が町の人口と違うとき、人口に合わせた重みを付けると全国との比較がゆがみにくくなります。合わせる項目を選び、それぞれの人口（国勢調査・住民基本台帳など）を入れてください。", "When the age or sex make-up of your respondents differs from your town’s population, a weight matching the population makes comparisons with the nation less skewed. Choose what to match on and enter each group’s population (census, resident register, etc.).") }</p>
            <div class="rake-margins">{ for (0..3).map(margin_block) }</div>
            <div class="editor-grid">
                <label>{ tr(lang, "ウェイトの名前", "Name of the weight") }<input type="text" id="rake-name" value={(*name).clone()} oninput={on_name} /></label>
                <label class="check"><input type="checkbox" id="rake-trim" checked={*trim} onchange={on_trim} />{ tr(lang, "極端な重みを切り詰める（平均の0.3倍～3倍）", "Trim extreme weights (0.3 to 3 times the mean)") }</label>
                <button type="button" class="button primary" id="rake-button" onclick={on_make}>{ tr(lang, "ウェイトを作る", "Make the weight") }</button>
            </div>
            if let Some(e) = &*error { <p class="warning" role="alert">{ e }</p> }
            { report.unwrap_or_default() }
        </details>
    }
}
