use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use crate::app::session::ModelView;
use crate::model::derive::{
    custom_bins, national_age_bins, parse_boundaries, unique_name, RecodeGroup, Score,
};
use crate::model::{Derived, Kind, Question, Recipe, SurveyModel};

#[derive(Properties, PartialEq)]
pub struct DeriveFormProps {
    pub model: Rc<ModelView>,
    pub question: Question,
    pub on_change: Callback<SurveyModel>,
}

/// Making a new variable from the shown question: numbers into classes (the national 年代
/// or the user's own boundaries), answers merged into one, or a grid's items summed. The
/// recipe is kept in the model, so it runs again on another file.
#[function_component]
pub fn DeriveForm(props: &DeriveFormProps) -> Html {
    let boundaries = use_state(String::new);
    let picked = use_state(BTreeSet::<usize>::new);
    let merged_label = use_state(String::new);
    let error = use_state(|| None::<String>);
    let lang = use_lang();
    let q = &props.question;
    if !q.include || !matches!(q.kind, Kind::Numeric | Kind::Single | Kind::Grid) {
        return html! {};
    }
    let add = {
        let view = props.model.clone();
        let on_change = props.on_change.clone();
        move |base: String, recipe: Recipe| {
            let mut model = view.model.clone();
            let taken = |n: &str| {
                view.question(n).is_some()
                    || model_has_column(&view, n)
                    || view.model.derived.iter().any(|d| d.name == n)
            };
            let name = unique_name(&base, &taken);
            model.derived.push(Derived {
                name,
                recipe,
                national: false,
            });
            on_change.emit(model);
        }
    };
    let source = q.columns.first().cloned().unwrap_or_default();
    let body = match q.kind {
        Kind::Numeric => {
            let on_national = {
                let add = add.clone();
                let (label, source) = (q.label.clone(), source.clone());
                Callback::from(move |_: MouseEvent| {
                    add(
                        format!("{label}（年代）"),
                        Recipe::Bin {
                            source: source.clone(),
                            bins: national_age_bins(),
                        },
                    )
                })
            };
            let oninput = {
                let boundaries = boundaries.clone();
                Callback::from(move |e: InputEvent| {
                    boundaries.set(
                        e.target_unchecked_into::<web_sys::HtmlInputElement>()
                            .value(),
                    )
                })
            };
            let on_custom = {
                let add = add.clone();
                let error = error.clone();
                let text = (*boundaries).clone();
                let (label, source) = (q.label.clone(), source.clone());
                Callback::from(move |_: MouseEvent| match parse_boundaries(&text) {
                    Some(b) => {
                        error.set(None);
                        add(
                            // Named once, in the page's language: the name is its id.
                            if lang == Lang::En {
                                format!("{label} (groups)")
                            } else {
                                format!("{label}（区分）")
                            },
                            Recipe::Bin {
                                source: source.clone(),
                                bins: custom_bins(&b),
                            },
                        )
                    }
                    None => error.set(Some(tr(
                        lang,
                        "区切りの数を「20, 40, 60」のように入れてください。",
                        "Enter the boundaries like “20, 40, 60”.",
                    ))),
                })
            };
            html! {
                <>
                    <button type="button" class="button small" id="derive-age" onclick={on_national}>{ tr(lang, "全国調査の年代（16～19歳 … 80歳以上）に区分する", "Group into the national survey’s age groups (16–19 … 80 and over)") }</button>
                    <label>{ tr(lang, "自分で区切る（例: 20, 40, 60）", "Your own boundaries (e.g. 20, 40, 60)") }
                        <input type="text" id="derive-boundaries" value={(*boundaries).clone()} {oninput} />
                    </label>
                    <button type="button" class="button small" id="derive-bins" onclick={on_custom}>{ tr(lang, "この区切りで区分する", "Group by these boundaries") }</button>
                </>
            }
        }
        Kind::Single => {
            let options: Vec<(usize, String, String)> = q
                .options()
                .enumerate()
                .map(|(i, v)| (i, v.code.clone(), v.label.clone()))
                .collect();
            let oninput = {
                let merged_label = merged_label.clone();
                Callback::from(move |e: InputEvent| {
                    merged_label.set(
                        e.target_unchecked_into::<web_sys::HtmlInputElement>()
                            .value(),
                    )
                })
            };
            let on_merge = {
                let add = add.clone();
                let error = error.clone();
                let picked = (*picked).clone();
                let new_label = (*merged_label).clone();
                let options = options.clone();
                let (label, source) = (q.label.clone(), source.clone());
                Callback::from(move |_: MouseEvent| {
                    if picked.len() < 2 || new_label.trim().is_empty() {
                        error.set(Some(tr(lang, "まとめる回答を2つ以上選び、まとめた後の名前を入れてください。", "Choose two or more answers to merge and enter a name for the merged answer.")));
                        return;
                    }
                    error.set(None);
                    let from = options
                        .iter()
                        .filter(|(i, _, _)| picked.contains(i))
                        .map(|(_, code, _)| code.clone())
                        .collect();
                    add(
                        format!("{label}（まとめ）"),
                        Recipe::Recode {
                            source: source.clone(),
                            groups: vec![RecodeGroup {
                                label: new_label.trim().to_string(),
                                from,
                            }],
                            others_blank: false,
                        },
                    )
                })
            };
            html! {
                <>
                    <fieldset class="merge">
                        <legend>{ tr(lang, "回答をまとめる（選んだ回答を1つにした変数を作ります）", "Merge answers (makes a variable with the chosen answers as one)") }</legend>
                        { for options.iter().map(|(i, _, label)| {
                            let i = *i;
                            let picked = picked.clone();
                            let onchange = Callback::from(move |e: Event| {
                                let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
                                let mut set = (*picked).clone();
                                if on { set.insert(i); } else { set.remove(&i); }
                                picked.set(set);
                            });
                            html! { <label class="check"><input type="checkbox" data-option={i.to_string()} {onchange} />{ label }</label> }
                        }) }
                        <label>{ tr(lang, "まとめた後の名前", "Name of the merged answer") }<input type="text" id="derive-merge-label" value={(*merged_label).clone()} {oninput} /></label>
                        <button type="button" class="button small" id="derive-merge" onclick={on_merge}>{ tr(lang, "まとめた変数を作る", "Make the merged variable") }</button>
                    </fieldset>
                </>
            }
        }
        _ => {
            // A grid: the sum of its items' scores (codes as numbers, or the options'
            // positions 1, 2, … for labelled answers).
            let scores: Vec<Score> = q
                .options()
                .enumerate()
                .map(|(i, v)| Score {
                    value: v.code.clone(),
                    score: crate::table::parse_number(&v.code).unwrap_or(i as f64 + 1.0),
                })
                .collect();
            let on_sum = {
                let add = add.clone();
                let (label, sources) = (q.label.clone(), q.columns.clone());
                Callback::from(move |_: MouseEvent| {
                    add(
                        format!("{label}（合計点）"),
                        Recipe::Sum {
                            sources: sources.clone(),
                            scores: scores.clone(),
                        },
                    )
                })
            };
            html! {
                <button type="button" class="button small" id="derive-sum" onclick={on_sum}>{ tr(lang, "各項目の点数を合計した変数を作る（どれか無回答なら無回答）", "Make a variable summing the items’ scores (no answer if any item has no answer)") }</button>
            }
        }
    };
    html! {
        <details class="derive-form" id="derive-form">
            <summary>{ tr(lang, "この設問から新しい変数を作る", "Make a new variable from this question") }</summary>
            <div class="editor-grid">{ body }</div>
            if let Some(e) = &*error { <p class="warning" role="alert">{ e }</p> }
        </details>
    }
}

fn model_has_column(view: &ModelView, name: &str) -> bool {
    view.model
        .questions
        .iter()
        .any(|q| q.columns.iter().any(|c| c == name))
}
