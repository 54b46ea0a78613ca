use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use crate::app::session::ModelView;
use crate::model::national::Item;
use crate::model::SurveyModel;

#[derive(Properties, PartialEq)]
pub struct NationalPanelProps {
    pub model: Rc<ModelView>,
    pub on_change: Callback<SurveyModel>,
}

/// The national items found in the file, confirmed on one screen: each can be unticked
/// if it is not really the national question; the template's variables (UCLA score, its
/// groups, 「孤独感がある」計, 年代) follow what is kept.
#[function_component]
pub fn NationalPanel(props: &NationalPanelProps) -> Html {
    let rejected = use_state(HashSet::<Item>::new);
    let lang = use_lang();
    let m = &props.model.model;
    if m.national.is_empty() {
        return html! {};
    }
    let label_of = |column: &str| {
        m.question(column)
            .or_else(|| m.question_of_column(column))
            .map(|q| {
                let i = q.columns.iter().position(|c| c == column).unwrap_or(0);
                if q.kind == crate::model::Kind::Grid {
                    format!("{} {}", q.label, q.item_text(i))
                } else {
                    q.label.clone()
                }
            })
            .unwrap_or_else(|| column.to_string())
    };
    let confirmed = m.national.iter().all(|n| n.confirmed);
    let derived: Vec<String> = m
        .derived
        .iter()
        .filter(|d| d.national)
        .map(|d| crate::model::shown_name(&d.name, lang).into_owned())
        .collect();
    let on_confirm = {
        let rejected = rejected.clone();
        let model = m.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut model = model.clone();
            model.national.retain(|n| !rejected.contains(&n.item));
            for n in &mut model.national {
                n.confirmed = true;
            }
            on_change.emit(model);
        })
    };
    let rows = m.national.iter().map(|n| {
        let item = n.item;
        let onchange = {
            let rejected = rejected.clone();
            Callback::from(move |e: Event| {
                let on: bool = e
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked();
                let mut set = (*rejected).clone();
                if on {
                    set.remove(&item);
                } else {
                    set.insert(item);
                }
                rejected.set(set);
            })
        };
        html! {
            <li>
                <label>
                    if !confirmed {
                        <input type="checkbox" checked={!rejected.contains(&item)} {onchange}
                            data-item={format!("{item:?}").to_lowercase()} />
                    }
                    <strong>{ crate::ui::i18n::national_item(lang, item) }</strong>
                    {"　←　"}
                    <span class="national-column">{ label_of(&n.column) }</span>
                </label>
            </li>
        }
    });
    html! {
        <section class="national" id="national" aria-labelledby="national-title">
            <details open={!confirmed}>
                <summary id="national-title">
                    { if lang == Lang::En {
                        if confirmed {
                            format!("Questions the same as the national survey: {} (confirmed)", m.national.len())
                        } else {
                            format!("{} questions the same as the national survey (Basic Survey on People’s Connections) were found. Please check them", m.national.len())
                        }
                    } else if confirmed {
                        format!("全国調査と同じ設問: {} 項目（確認済み）", m.national.len())
                    } else {
                        format!("全国調査（人々のつながりに関する基礎調査）と同じ設問が {} 項目見つかりました。確認してください", m.national.len())
                    } }
                </summary>
                <ul class="national-items">{ for rows }</ul>
                if !derived.is_empty() {
                    <p class="note" id="national-derived">
                        { format!("{}{}", tr(lang, "全国調査の集計方法で作った変数: ", "Variables made by the national survey’s method: "), derived.join(lang.pick("、", ", "))) }
                    </p>
                }
                if !confirmed {
                    <p class="note">{ tr(lang, "違う設問のチェックを外してから「この内容で確定」を押してください。", "Untick any that are not really the same question, then press “Confirm”.") }</p>
                    <button type="button" class="button primary" id="national-confirm" onclick={on_confirm}>{ tr(lang, "この内容で確定", "Confirm") }</button>
                }
            </details>
        </section>
    }
}
