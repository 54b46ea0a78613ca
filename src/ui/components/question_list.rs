use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::load_summary::format_int;
use crate::app::session::ModelView;
use crate::model::{Certainty, Kind, Question};

#[derive(Properties, PartialEq)]
pub struct QuestionListProps {
    pub model: Rc<ModelView>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// The questions, grouped: the survey's, the variables made from them, and the columns
/// left out because they can identify someone. A search box narrows the list.
#[function_component]
pub fn QuestionList(props: &QuestionListProps) -> Html {
    let filter = use_state(String::new);
    let lang = use_lang();
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            filter.set(input.value());
        })
    };
    let m = &props.model;
    let wanted = |q: &Question| {
        filter.is_empty() || q.label.contains(filter.as_str()) || q.id.contains(filter.as_str())
    };
    let item = |q: &Question| {
        let id = q.id.clone();
        let on_select = props.on_select.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(id.clone()));
        let selected = props.selected.as_deref() == Some(q.id.as_str());
        let n = m.answered(&q.id);
        let members = if q.columns.len() > 1 {
            if lang == Lang::En {
                format!(" · {} columns", q.columns.len())
            } else {
                format!("・{}列", q.columns.len())
            }
        } else {
            String::new()
        };
        html! {
            <li>
                <button type="button" class={classes!("question", selected.then_some("selected"), (!q.include).then_some("excluded"))}
                    aria-pressed={selected.to_string()} data-id={q.id.clone()} data-kind={format!("{:?}", q.kind).to_lowercase()} {onclick}>
                    <span class="q-name">{ crate::model::shown_name(&q.label, lang).into_owned() }</span>
                    <span class="q-meta">
                        <span class={classes!("kind", format!("kind-{:?}", q.kind).to_lowercase())}>{ crate::ui::i18n::kind(lang, q.kind) }{ members }</span>
                        { format!(" n={}", format_int(n)) }
                        if q.certainty == Certainty::Unsure {
                            <span class="unsure" title={q.reason.clone()}>{ tr(lang, " 要確認", " to check") }</span>
                        }
                    </span>
                </button>
            </li>
        }
    };
    let shown: Vec<&Question> = m
        .model
        .questions
        .iter()
        .filter(|q| q.include && wanted(q))
        .collect();
    let excluded: Vec<&Question> = m
        .model
        .questions
        .iter()
        .filter(|q| !q.include && wanted(q))
        .collect();
    let derived: Vec<&Question> = m.derived.iter().filter(|q| wanted(q)).collect();
    let personal = excluded.iter().any(|q| q.kind.personal());
    html! {
        <nav class="question-list" aria-label={tr(lang, "設問の一覧", "List of questions")}>
            <h2>{ tr(lang, "設問", "Questions") }</h2>
            <label class="search">
                <span class="visually-hidden">{ tr(lang, "設問を検索", "Search questions") }</span>
                <input type="search" id="question-search" placeholder={tr(lang, "設問を検索", "Search questions")} value={(*filter).clone()} {oninput} />
            </label>
            <ol id="questions">
                { for shown.iter().map(|q| item(q)) }
            </ol>
            if !derived.is_empty() {
                <h3>{ tr(lang, "作成した変数", "Variables you made") }</h3>
                <ol id="derived-questions">{ for derived.iter().map(|q| item(q)) }</ol>
            }
            if !excluded.is_empty() {
                <h3>{ tr(lang, "集計から除いている列", "Columns left out of the results") }</h3>
                if personal {
                    <p class="note">{ tr(lang, "個人を特定できる情報（ID・氏名・連絡先など）と自由記述は、表・グラフ・出力に含めません。必要なときだけ、設問を選んで「集計に含める」をオンにしてください。", "Information that can identify a person (ID, name, contact details, etc.) and free text are kept out of tables, charts and exports. Only when you need one, choose the question and tick “Include in the results”.") }</p>
                }
                <ol id="excluded-questions">{ for excluded.iter().map(|q| item(q)) }</ol>
            }
        </nav>
    }
}

/// The kinds offered in the editor, in the order a user thinks of them.
pub const KINDS: [Kind; 7] = Kind::ALL;
