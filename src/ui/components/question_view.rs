use std::rc::Rc;

use yew::prelude::*;

use super::bar_chart::BarChart;
use super::derive_form::DeriveForm;
use super::numeric_summary::NumericSummary;
use super::question_editor::QuestionEditor;
use super::tab_table::TabTable;
use crate::analysis::TableSpec;
use crate::analysis::Tabulation;
use crate::app::session::ModelView;
use crate::model::{Question, SurveyModel};
use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct QuestionViewProps {
    pub model: Rc<ModelView>,
    /// The selected question (a survey's question or a variable made from them).
    pub question: Question,
    /// Whether it is one of the survey's own questions (a made variable is not edited here).
    pub editable: bool,
    /// Its tabulation, once the engine has made it.
    pub tabulation: Option<Rc<Vec<Tabulation>>>,
    pub on_pin: Callback<TableSpec>,
    pub on_question: Callback<Question>,
    pub on_model: Callback<SurveyModel>,
}

/// The selected question: its settings, new variables made from it, and its tabulation
/// as tables and charts.
#[function_component]
pub fn QuestionView(props: &QuestionViewProps) -> Html {
    let lang = use_lang();
    let q = &props.question;
    let tabs = props.tabulation.clone();
    let multiple = tabs.as_ref().is_some_and(|t| t.iter().any(|t| t.multiple));
    let on_pin = {
        let on_pin = props.on_pin.clone();
        let id = q.id.clone();
        Callback::from(move |_: MouseEvent| {
            on_pin.emit(TableSpec::Tabulation {
                question: id.clone(),
                weight: None,
                filter: None,
            })
        })
    };
    html! {
        <section class="tabulation" aria-labelledby="tab-title">
            <div class="title-row">
                <h2 id="tab-title">{ crate::model::shown_name(&q.label, lang).into_owned() }</h2>
                if q.include {
                    <button type="button" class="button small" id="pin-question" onclick={on_pin}>{ tr(lang, "レポートに追加", "Add to report") }</button>
                }
            </div>
            <QuestionEditor question={q.clone()} editable={props.editable} on_change={props.on_question.clone()} />
            <DeriveForm model={props.model.clone()} question={q.clone()} on_change={props.on_model.clone()} />
            if !q.include {
                <p class="note" role="status" id="excluded-note">{ tr(lang, "この設問は集計から除いています（個人を特定できる情報・自由記述など）。", "This question is left out of the results (information that can identify a person, free text, etc.).") }</p>
            } else if let Some(tabs) = tabs {
                { for tabs.iter().map(|tab| html! {
                    <div class="tab-body">
                        if tabs.len() > 1 { <h3>{ crate::model::shown_name(&tab.title, lang).into_owned() }</h3> }
                        if tab.numeric.is_some() {
                            // A number: its summary and histogram; the value-by-value
                            // table (77 ages) on request.
                            <NumericSummary tab={tab.clone()} />
                            <details class="frequency-table" id="frequency-table">
                                <summary>{ tr(lang, "度数表を表示", "Show the frequency table") }</summary>
                                <TabTable tab={tab.clone()} />
                            </details>
                        } else {
                            <TabTable tab={tab.clone()} />
                            <BarChart tab={tab.clone()} />
                        }
                    </div>
                }) }
                if multiple {
                    <p class="note">{ tr(lang, "複数回答のため、割合の合計は 100% を超えます。% は、いずれかを選んだ回答者に対する割合です。", "More than one answer could be chosen, so the percentages add up to more than 100%. % is of the respondents who chose at least one answer.") }</p>
                } else {
                    <p class="note">{ tr(lang, "% は回答者全員（無回答を含む）に対する割合、有効% は無回答を除いた割合です。四捨五入のため合計が 100 にならないことがあります。", "% is of all respondents (including no answer); valid % leaves out no answer. Because of rounding, the total may not be exactly 100.") }</p>
                }
            } else {
                <p class="note" role="status">{ tr(lang, "集計しています…", "Calculating…") }</p>
            }
        </section>
    }
}
