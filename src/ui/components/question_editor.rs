use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::question_list::KINDS;
use crate::model::{Kind, Missing, Question};

#[derive(Properties, PartialEq)]
pub struct QuestionEditorProps {
    pub question: Question,
    /// False for derived variables: their recipe decides them.
    pub editable: bool,
    pub on_change: Callback<Question>,
}

/// The question's codebook entry, edited in place: its label, kind, whether it is shown,
/// and each answer's label, whether it means 無回答 or 非該当, and its place in the order
/// (↑/↓).
#[function_component]
pub fn QuestionEditor(props: &QuestionEditorProps) -> Html {
    let lang = use_lang();
    let q = &props.question;
    // After ↑/↓ the keyboard focus follows the answer moved (the rows are redrawn in
    // place, so the focused button would otherwise belong to its neighbour).
    let focus_after = use_state(|| None::<String>);
    {
        let focus_after = focus_after.clone();
        use_effect_with(q.values.clone(), move |_| {
            if let Some(id) = (*focus_after).clone() {
                let el = gloo::utils::document().get_element_by_id(&id);
                if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = el.focus();
                }
                focus_after.set(None);
            }
        });
    }
    if !props.editable {
        return html! {
            <p class="note" id="question-origin">{ tr(lang, "この変数は、元の設問から計算して作ったものです（全国調査の集計方法にならっています）。", "This variable was calculated from the original questions (following the national survey’s method).") }</p>
        };
    }
    let change = |f: Box<dyn Fn(&mut Question, String)>| {
        let q = q.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| {
                    if i.type_() == "checkbox" {
                        i.checked().to_string()
                    } else {
                        i.value()
                    }
                })
                .or_else(|| {
                    e.target_dyn_into::<web_sys::HtmlSelectElement>()
                        .map(|s| s.value())
                })
                .unwrap_or_default();
            let mut q = q.clone();
            f(&mut q, value);
            q.certainty = crate::model::Certainty::Confirmed;
            on_change.emit(q);
        })
    };
    let on_label = change(Box::new(|q, v| q.label = v));
    let on_kind = change(Box::new(|q, v| {
        if let Some(k) = KINDS.iter().find(|k| format!("{k:?}") == v) {
            q.kind = *k;
            q.include = !k.personal();
        }
    }));
    let on_include = change(Box::new(|q, v| q.include = v == "true"));
    // ↑/↓ of an answer: the order every table, chart and export then follows (kept in the
    // model, the codebook sheet and a link). Buttons, so the keyboard reaches them.
    let move_to = |i: usize, up: bool| {
        let q = q.clone();
        let on_change = props.on_change.clone();
        let focus_after = focus_after.clone();
        Callback::from(move |_: MouseEvent| {
            let mut q = q.clone();
            if q.move_answer(i, up) {
                let (to, last) = (if up { i - 1 } else { i + 1 }, q.values.len() - 1);
                // The same button at the answer's new place, or the other one at an end.
                let same = if up { to > 0 } else { to < last };
                focus_after.set(Some(move_button_id(to, up == same)));
                q.certainty = crate::model::Certainty::Confirmed;
                on_change.emit(q);
            }
        })
    };
    let kind_select = html! {
        <select id="kind-select" onchange={on_kind} aria-label={tr(lang, "回答の種類", "Type of answer")}>
            { for KINDS.iter().map(|k| html! {
                <option value={format!("{k:?}")} selected={*k == q.kind}>{ crate::ui::i18n::kind(lang, *k) }</option>
            }) }
        </select>
    };
    let values = (!q.values.is_empty() && !q.kind.personal()).then(|| html! {
        <table class="codebook" id="value-labels">
            <caption>{ tr(lang, "回答の表示名（値ラベル）", "Answer labels (value labels)") }</caption>
            <thead><tr>
                <th scope="col">{ if q.kind == Kind::Multiple { tr(lang, "列・値", "Column / value") } else { tr(lang, "ファイルの値", "Value in the file") } }</th>
                <th scope="col">{ tr(lang, "表示名", "Label") }</th>
                <th scope="col">{ tr(lang, "扱い", "Treated as") }</th>
                <th scope="col">{ tr(lang, "順番", "Order") }</th>
            </tr></thead>
            <tbody>
                { for q.values.iter().enumerate().map(|(i, v)| {
                    let on_value_label = change(Box::new(move |q, s| q.values[i].label = s));
                    let on_missing = change(Box::new(move |q, s| {
                        q.values[i].missing = match s.as_str() {
                            "no_answer" => Some(Missing::NoAnswer),
                            "not_applicable" => Some(Missing::NotApplicable),
                            _ => None,
                        };
                        // Chosen by the user: no longer a guess.
                        q.values[i].guessed = false;
                    }));
                    let m = v.missing;
                    let last = q.values.len() - 1;
                    let label = if v.label.is_empty() { v.code.clone() } else { v.label.clone() };
                    // A missing code guessed from the numbers (9 beside 1–5): 推定, undone in one
                    // click by the engine's own undo.
                    let undo = (v.guessed && m.is_some()).then(|| {
                        let (q, code, on_change) = (q.clone(), v.code.clone(), props.on_change.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut q = q.clone();
                            if crate::model::missing_guess::undo(&mut q, &code) {
                                on_change.emit(q);
                            }
                        })
                    });
                    html! {
                        <tr>
                            <th scope="row"><code>{ &v.code }</code></th>
                            <td><input type="text" value={v.label.clone()} onchange={on_value_label}
                                aria-label={if lang == Lang::En { format!("Label of “{}”", v.code) } else { format!("「{}」の表示名", v.code) }} /></td>
                            <td>
                                <select onchange={on_missing} aria-label={if lang == Lang::En { format!("How “{}” is treated", v.code) } else { format!("「{}」の扱い", v.code) }}>
                                    <option value="answer" selected={m.is_none()}>{ tr(lang, "回答", "Answer") }</option>
                                    <option value="no_answer" selected={m == Some(Missing::NoAnswer)}>{ tr(lang, "無回答（割合の分母に含める）", "No answer (counted in the base of %)") }</option>
                                    <option value="not_applicable" selected={m == Some(Missing::NotApplicable)}>{ tr(lang, "非該当（分母から除く）", "Not applicable (left out of the base)") }</option>
                                </select>
                                if let Some(undo) = undo {
                                    <span class="guessed" title={tr(lang, "数字の並びから無回答のコードと推定しました", "Guessed as a no-answer code from the numbers")}>{ tr(lang, "推定", "guessed") }</span>
                                    <button type="button" class="undo-guess" onclick={undo}
                                        aria-label={if lang == Lang::En { format!("Undo: treat “{}” as an answer", v.code) } else { format!("元に戻す:「{}」を回答として扱う", v.code) }}>
                                        { tr(lang, "元に戻す", "Undo") }
                                    </button>
                                }
                            </td>
                            <td class="order-buttons">
                                <button type="button" class="button small" id={move_button_id(i, true)} disabled={i == 0} onclick={move_to(i, true)}
                                    aria-label={if lang == Lang::En { format!("Move “{label}” up") } else { format!("『{label}』を上へ") }}>{"↑"}</button>
                                <button type="button" class="button small" id={move_button_id(i, false)} disabled={i == last} onclick={move_to(i, false)}
                                    aria-label={if lang == Lang::En { format!("Move “{label}” down") } else { format!("『{label}』を下へ") }}>{"↓"}</button>
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    });
    html! {
        <details class="question-editor" id="question-editor" open={q.kind.personal() || q.certainty == crate::model::Certainty::Unsure}>
            <summary>{ if lang == Lang::En {
                format!("Question settings ({}, {})", crate::ui::i18n::kind(lang, q.kind), crate::ui::i18n::certainty(lang, q.certainty))
            } else {
                format!("設問の設定（{}・{}）", q.kind.ja(), q.certainty.ja())
            } }</summary>
            <div class="editor-grid">
                <label>{ tr(lang, "表示名", "Label") }<input type="text" id="question-label" value={q.label.clone()} onchange={on_label} /></label>
                <label>{ tr(lang, "回答の種類", "Type of answer") }{ kind_select }</label>
                <label class="check">
                    <input type="checkbox" id="include-check" checked={q.include} onchange={on_include} />
                    { tr(lang, "集計に含める", "Include in the results") }
                </label>
            </div>
            if !q.text.is_empty() {
                <p class="question-text">{ format!("{}{}", tr(lang, "設問文: ", "Question text: "), q.text) }</p>
            }
            <p class="note">{ format!("{}{}", tr(lang, "列: ", "Columns: "), q.columns.join(lang.pick("、", ", "))) }</p>
            <p class="note">{ format!("{}{}", tr(lang, "判定の理由: ", "Why it was guessed so (in Japanese): "), q.reason) }</p>
            if q.kind.personal() {
                <p class="warning">{ tr(lang, "個人を特定できる情報や自由記述は、オンにすると表・グラフ・出力に含まれます。外部に渡す資料には含めないでください。", "When ticked, information that can identify a person or free text goes into tables, charts and exports. Keep it out of anything you hand to others.") }</p>
            }
            { values.unwrap_or_default() }
        </details>
    }
}

/// The id of answer `i`'s ↑ (`up`) or ↓ button.
fn move_button_id(i: usize, up: bool) -> String {
    format!("answer-{}-{i}", if up { "up" } else { "down" })
}
