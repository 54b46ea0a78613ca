//! The filter builder beside the filter's text box: choose a question, tick its answers,
//! say and / or, and the condition is written into the box (`analysis::filter` writes the
//! text, so what is built is exactly what could be typed). The box stays for those who
//! prefer to type.

use std::rc::Rc;

use yew::prelude::*;

use crate::analysis::filter::{condition_text, join_condition};
use crate::app::session::ModelView;
use crate::model::Kind;
use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct FilterBuilderProps {
    pub model: Rc<ModelView>,
    /// The filter as it stands (the text box).
    pub current: String,
    /// The filter with the new condition added.
    pub on_change: Callback<String>,
    /// Prefix of the element ids (one builder per view).
    pub id: AttrValue,
}

#[function_component]
pub fn FilterBuilder(props: &FilterBuilderProps) -> Html {
    let lang = use_lang();
    let m = &props.model;
    // Questions with answers to choose: single choices, and each item of a grid.
    let questions: Vec<(String, String)> = m
        .model
        .questions
        .iter()
        .chain(&m.derived)
        .filter(|q| q.include && q.kind == Kind::Single)
        .map(|q| {
            (
                q.id.clone(),
                crate::model::shown_name(&q.label, lang).into_owned(),
            )
        })
        .collect();
    let question = use_state(String::new);
    let ticked = use_state(Vec::<String>::new);
    let or = use_state(|| false);
    let answers: Vec<String> = m
        .question(&question)
        .map(|q| q.values.iter().map(|v| v.label.clone()).collect())
        .unwrap_or_default();
    let id = |s: &str| format!("{}-{s}", props.id);
    let on_question = {
        let question = question.clone();
        let ticked = ticked.clone();
        Callback::from(move |e: Event| {
            question.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
            ticked.set(Vec::new());
        })
    };
    let on_join = {
        let or = or.clone();
        Callback::from(move |e: Event| {
            or.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value()
                    == "or",
            )
        })
    };
    let on_add = {
        let (question, ticked, or) = (question.clone(), ticked.clone(), or.clone());
        let (current, cb) = (props.current.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            if question.is_empty() || ticked.is_empty() {
                return;
            }
            let condition = condition_text(&question, &ticked);
            cb.emit(join_condition(&current, &condition, *or));
            ticked.set(Vec::new());
        })
    };
    let boxes = answers.iter().enumerate().map(|(i, a)| {
        let checked = ticked.contains(a);
        let on_tick = {
            let (ticked, a) = (ticked.clone(), a.clone());
            Callback::from(move |_: Event| {
                let mut v = (*ticked).clone();
                match v.iter().position(|x| *x == a) {
                    Some(k) => {
                        v.remove(k);
                    }
                    None => v.push(a.clone()),
                }
                ticked.set(v);
            })
        };
        let box_id = id(&format!("answer-{i}"));
        html! {
            <label class="check" for={box_id.clone()}>
                <input type="checkbox" id={box_id} {checked} onchange={on_tick} />{ a }
            </label>
        }
    });
    html! {
        <details class="filter-builder" id={id("builder")}>
            <summary>{ tr(lang, "絞り込み条件を選んで作る", "Build a filter by choosing") }</summary>
            <div class="editor-grid">
                <label>{ tr(lang, "設問", "Question") }
                    <select id={id("question")} onchange={on_question}>
                        <option value="" selected={question.is_empty()}>{ tr(lang, "選んでください", "Choose") }</option>
                        { for questions.iter().map(|(q, label)| html! {
                            <option value={q.clone()} selected={*q == *question}>{ label }</option>
                        }) }
                    </select>
                </label>
                if !props.current.trim().is_empty() {
                    <label>{ tr(lang, "今の条件とのつなぎ方", "Join with the filter so far") }
                        <select id={id("join")} onchange={on_join}>
                            <option value="and" selected={!*or}>{ tr(lang, "かつ（and: どちらにも当てはまる人）", "and (both)") }</option>
                            <option value="or" selected={*or}>{ tr(lang, "または（or: どちらかに当てはまる人）", "or (either)") }</option>
                        </select>
                    </label>
                }
            </div>
            if !answers.is_empty() {
                <fieldset class="answers">
                    <legend>{ tr(lang, "当てはまる回答（いくつでも）", "Answers to keep (any number)") }</legend>
                    { for boxes }
                </fieldset>
            }
            <button type="button" class="button small" id={id("add")} onclick={on_add} disabled={ticked.is_empty()}>
                { tr(lang, "この条件を絞り込みに加える", "Add this condition to the filter") }
            </button>
        </details>
    }
}
