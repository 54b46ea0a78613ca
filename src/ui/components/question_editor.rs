use yew::prelude::*;

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
/// and each answer's label and whether it means 無回答 or 非該当.
#[function_component]
pub fn QuestionEditor(props: &QuestionEditorProps) -> Html {
    let q = &props.question;
    if !props.editable {
        return html! {
            <p class="note" id="question-origin">{"この変数は、元の設問から計算して作ったものです（全国調査の集計方法にならっています）。"}</p>
        };
    }
    let change = |f: Box<dyn Fn(&mut Question, String)>| {
        let q = q.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() })
                .or_else(|| e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()))
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
    let kind_select = html! {
        <select id="kind-select" onchange={on_kind} aria-label="回答の種類">
            { for KINDS.iter().map(|k| html! {
                <option value={format!("{k:?}")} selected={*k == q.kind}>{ k.ja() }</option>
            }) }
        </select>
    };
    let values = (!q.values.is_empty() && !q.kind.personal()).then(|| html! {
        <table class="codebook" id="value-labels">
            <caption>{"回答の表示名（値ラベル）"}</caption>
            <thead><tr>
                <th scope="col">{ if q.kind == Kind::Multiple { "列・値" } else { "ファイルの値" } }</th>
                <th scope="col">{"表示名"}</th>
                <th scope="col">{"扱い"}</th>
            </tr></thead>
            <tbody>
                { for q.values.iter().enumerate().map(|(i, v)| {
                    let on_value_label = change(Box::new(move |q, s| q.values[i].label = s));
                    let on_missing = change(Box::new(move |q, s| q.values[i].missing = match s.as_str() {
                        "no_answer" => Some(Missing::NoAnswer),
                        "not_applicable" => Some(Missing::NotApplicable),
                        _ => None,
                    }));
                    let m = v.missing;
                    html! {
                        <tr>
                            <th scope="row"><code>{ &v.code }</code></th>
                            <td><input type="text" value={v.label.clone()} onchange={on_value_label}
                                aria-label={format!("「{}」の表示名", v.code)} /></td>
                            <td>
                                <select onchange={on_missing} aria-label={format!("「{}」の扱い", v.code)}>
                                    <option value="answer" selected={m.is_none()}>{"回答"}</option>
                                    <option value="no_answer" selected={m == Some(Missing::NoAnswer)}>{"無回答（割合の分母に含める）"}</option>
                                    <option value="not_applicable" selected={m == Some(Missing::NotApplicable)}>{"非該当（分母から除く）"}</option>
                                </select>
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    });
    html! {
        <details class="question-editor" id="question-editor" open={q.kind.personal() || q.certainty == crate::model::Certainty::Unsure}>
            <summary>{ format!("設問の設定（{}・{}）", q.kind.ja(), q.certainty.ja()) }</summary>
            <div class="editor-grid">
                <label>{"表示名"}<input type="text" id="question-label" value={q.label.clone()} onchange={on_label} /></label>
                <label>{"回答の種類"}{ kind_select }</label>
                <label class="check">
                    <input type="checkbox" id="include-check" checked={q.include} onchange={on_include} />
                    {"集計に含める"}
                </label>
            </div>
            if !q.text.is_empty() {
                <p class="question-text">{ format!("設問文: {}", q.text) }</p>
            }
            <p class="note">{ format!("列: {}", q.columns.join("、")) }</p>
            <p class="note">{ format!("判定の理由: {}", q.reason) }</p>
            if q.kind.personal() {
                <p class="warning">{"個人を特定できる情報や自由記述は、オンにすると表・グラフ・出力に含まれます。外部に渡す資料には含めないでください。"}</p>
            }
            { values.unwrap_or_default() }
        </details>
    }
}
