use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::chart_figure::ChartFigure;
use super::load_summary::format_int;
use crate::analysis::aggregate::{Aggregate, Count};
use crate::analysis::municipal::{compare, questions, TownShare};
use crate::app::towns::{TownAction, Towns, OWN, OWN_EN};
use crate::format::format_percent;

#[derive(Properties, PartialEq)]
pub struct MunicipalViewProps {
    pub towns: Rc<Towns>,
    /// One's own survey as an aggregate (the loaded file's pinned tables), shown first.
    #[prop_or_default]
    pub own: Option<Rc<Aggregate>>,
    pub on_action: Callback<TownAction>,
}

/// 「市町村の比較」: other towns' aggregate files (made with 「秘匿処理した集計表を作る」 or
/// `tsunagari aggregate`) side by side, one question at a time, as a table and stacked
/// bars. The files are read here and parsed by the engine; nothing leaves the page.
#[function_component]
pub fn MunicipalView(props: &MunicipalViewProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let on_files = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let files: Vec<web_sys::File> = match input.files() {
                Some(list) => (0..list.length()).filter_map(|i| list.get(i)).collect(),
                None => Vec::new(),
            };
            input.set_value("");
            let on_action = on_action.clone();
            // All files in one action, in the order chosen: one re-render for the lot.
            wasm_bindgen_futures::spawn_local(async move {
                let mut read = Vec::new();
                for f in files {
                    let name = f.name();
                    let file = gloo::file::File::from(f);
                    // An unreadable file gives an empty text, which the engine reports
                    // against its name like any other file it cannot use.
                    let text = gloo::file::futures::read_as_text(&file)
                        .await
                        .unwrap_or_default();
                    read.push((name, text));
                }
                on_action.emit(TownAction::Add(read));
            });
        })
    };

    let towns = &props.towns;
    let own_label = if en { OWN_EN } else { OWN };
    let sources = towns.sources(props.own.as_deref());
    let qs = questions(&sources);
    let shown = towns.shown(&qs);
    let result = shown.and_then(|q| compare(&sources, &q.key));
    let on_question = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            on_action.emit(TownAction::Choose(select.value()));
        })
    };
    // The engine names one's own survey in Japanese; the page shows it in the page's
    // language.
    let town_name = |n: &str| {
        if n == OWN {
            own_label.to_string()
        } else {
            n.to_string()
        }
    };

    let file_list = html! {
        <ul class="town-files" id="town-files">
            if props.own.is_some() {
                <li class="town-file own">{ own_label }</li>
            }
            { for towns.files.iter().enumerate().map(|(i, f)| {
                let on_remove = {
                    let on_action = props.on_action.clone();
                    Callback::from(move |_: MouseEvent| on_action.emit(TownAction::Remove(i)))
                };
                html! {
                    <li class="town-file" data-name={f.name.clone()}>
                        <strong>{ &f.name }</strong>
                        { match &f.loaded {
                            Ok(a) => html! {
                                <span class="note">{ if en {
                                    format!("　{} ({} tables)", a.title, a.tables.len())
                                } else {
                                    format!("　{}（表 {} 個）", a.title, a.tables.len())
                                } }</span>
                            },
                            Err(e) => html! {
                                <p class="error town-error" role="alert">
                                    { if en { e.en.clone() } else { e.ja.clone() } }
                                    if !en { <span class="en" lang="en">{ format!(" {}", e.en) }</span> }
                                </p>
                            },
                        } }
                        <button type="button" class="button small remove-town" onclick={on_remove}
                            aria-label={if en { format!("Remove {}", f.name) } else { format!("{}を外す", f.name) }}>
                            { tr(lang, "外す", "Remove") }
                        </button>
                    </li>
                }
            }) }
        </ul>
    };

    let comparison = match (&result, shown) {
        (Some(c), Some(q)) => {
            let pct = |cell: &TownShare| match cell {
                TownShare::Percent { percent, .. } => format_percent(*percent),
                TownShare::Hidden => "x".to_string(),
                TownShare::Absent => "—".to_string(),
            };
            let n_text = |n: &Count| match n {
                Count::Shown(n) => format_int(*n),
                Count::Hidden(x) => x.clone(),
            };
            html! {
                <>
                    <table class="xtab municipal-table" id="municipal-table">
                        <caption>{ if en { format!("{} (%)", c.title) } else { format!("{}（%）", c.title) } }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ tr(lang, "市町村", "Municipality") }</th>
                                { for c.categories.iter().map(|cat| html! { <th scope="col">{ cat }</th> }) }
                                <th scope="col">{ tr(lang, "回答者数（n）", "Respondents (n)") }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for c.rows.iter().map(|r| html! {
                                <tr class="town" data-name={r.name.clone()}>
                                    <th scope="row">
                                        { town_name(&r.name) }
                                        if r.small_base { <span class="small-base" title={tr(lang, "回答者が少ない", "few respondents")}>{ " *" }</span> }
                                    </th>
                                    { for r.cells.iter().enumerate().map(|(j, cell)| html! {
                                        <td class={classes!("num", matches!(cell, TownShare::Hidden).then_some("hidden"))} data-cat={j.to_string()}>{ pct(cell) }</td>
                                    }) }
                                    <td class="num n">{ n_text(&r.n) }</td>
                                </tr>
                            }) }
                            { for c.national_rows.iter().map(|r| html! {
                                <tr class="national" data-edition={r.edition.clone()}>
                                    <th scope="row">{ if en { r.label.replace("全国", "National").replace("（未確認）", " (unverified)") } else { r.label.clone() } }</th>
                                    { for r.cells.iter().map(|p| html! {
                                        <td class="num">{ p.map(format_percent).unwrap_or_else(|| "—".into()) }</td>
                                    }) }
                                    <td class="num n">{ format_int(r.n) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <ul class="notes">
                        { for c.notes.iter().map(|n| html! { <li class="note">{ if en { &n.en } else { &n.ja } }</li> }) }
                    </ul>
                    <ChartFigure svg={crate::chart::municipal_svg(c, lang)} name={format!("{}_{}", lang.pick("市町村の比較", "municipalities"), q.title)} id="municipal-chart" />
                </>
            }
        }
        _ if sources.is_empty() => html! {},
        _ => html! {
            <p class="note" role="status" id="municipal-none">{ tr(lang, "比べられる表がありません。単純集計の表がある集計ファイルを読み込んでください（クロス集計の表は比べません）。", "No table to compare. Load aggregate files holding simple tabulations (crosstabs are not compared).") }</p>
        },
    };

    let common: Vec<&str> = qs
        .iter()
        .filter(|q| q.common())
        .map(|q| q.title.as_str())
        .collect();
    let partial: Vec<String> = qs
        .iter()
        .filter(|q| !q.common())
        .map(|q| {
            let lacking: Vec<String> = q
                .present
                .iter()
                .zip(&sources)
                .filter(|(p, _)| !**p)
                .map(|(_, s)| town_name(s.0))
                .collect();
            if en {
                format!("{} (not in: {})", q.title, lacking.join(", "))
            } else {
                format!("{}（ないファイル: {}）", q.title, lacking.join("、"))
            }
        })
        .collect();

    html! {
        <section class="municipal-view" id="municipal-view" aria-labelledby="municipal-title">
            <h2 id="municipal-title">{ tr(lang, "市町村の比較", "Compare municipalities") }</h2>
            <p class="note">{ tr(lang,
                "他の市町村から受け取った集計ファイル（秘匿処理済みの .json。つながりの「秘匿処理した集計表を作る」で保存したもの）を読み込むと、同じ設問の回答の割合を並べて比べられます。ファイルはこのパソコンの中で読むだけで、どこにも送りません。",
                "Load aggregate files received from other municipalities (the disclosure-controlled .json saved with “Make the aggregates”) to compare the same question side by side. The files are read on this computer only and sent nowhere.") }</p>
            <label class="button" for="town-input">{ tr(lang, "集計ファイルを読み込む（複数可）", "Load aggregate files (several at once)") }</label>
            <input type="file" id="town-input" class="visually-hidden" multiple=true accept=".json,application/json" onchange={on_files} />
            { file_list }
            if !qs.is_empty() {
                <label for="municipal-question">{ tr(lang, "比べる設問", "Question") }</label>
                <select id="municipal-question" onchange={on_question}>
                    { for qs.iter().map(|q| {
                        let selected = shown.is_some_and(|s| s.key == q.key);
                        let text = if q.common() {
                            q.title.clone()
                        } else if en {
                            format!("{} (some files only)", q.title)
                        } else {
                            format!("{}（一部のファイルのみ）", q.title)
                        };
                        html! { <option value={q.key.clone()} {selected}>{ text }</option> }
                    }) }
                </select>
                <details class="question-coverage" id="question-coverage">
                    <summary>{ if en {
                        format!("Questions in every file: {}; in some files only: {}", common.len(), partial.len())
                    } else {
                        format!("すべてのファイルにある設問 {} 個、一部のファイルにない設問 {} 個", common.len(), partial.len())
                    } }</summary>
                    <p>{ tr(lang, "すべてのファイルにある設問: ", "In every file: ") }{ if common.is_empty() { "—".to_string() } else { common.join(if en { ", " } else { "、" }) } }</p>
                    if !partial.is_empty() {
                        <ul>{ for partial.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                    }
                </details>
            }
            { comparison }
        </section>
    }
}
