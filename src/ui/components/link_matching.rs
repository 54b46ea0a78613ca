//! The matching screen of a share link (対応づけ): one row per shared question — its text,
//! how the engine met it with one of this file's questions (`share::matching`), and a
//! select of this file's questions, 「（対応なし）」 first. Changing a select sends the
//! user's choice; the engine applies the setup again with it and the tables follow. Open
//! when something is for the user to look at (a question unmatched or met by a guess).

use std::rc::Rc;

use yew::prelude::*;

use crate::share::Matching;
use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct LinkMatchingProps {
    pub matching: Rc<Matching>,
    /// (shared question, this file's; empty for none).
    pub on_choose: Callback<(String, String)>,
}

#[function_component]
pub fn LinkMatching(props: &LinkMatchingProps) -> Html {
    let lang = use_lang();
    let m = &props.matching;
    if m.rows.is_empty() {
        return html! {};
    }
    let unmatched = m.unmatched().count();
    let summary = if unmatched > 0 {
        tr(
            lang,
            &format!("設問の対応づけ（{unmatched} 問が未対応です。下で選んでください）"),
            &format!("Matching of questions ({unmatched} not matched: choose below)"),
        )
    } else {
        tr(lang, "設問の対応づけ", "Matching of questions")
    };
    let rows = m.rows.iter().enumerate().map(|(i, r)| {
        let id = format!("link-match-{i}");
        let how = match (&r.mine, &r.how) {
            (Some(_), Some(h)) => {
                let mut text = lang.pick(&h.message().ja, &h.message().en).to_string();
                if let Some(c) = r.columns {
                    let c = c.message();
                    text = format!("{text}（{}）", lang.pick(&c.ja, &c.en));
                }
                text
            }
            _ => tr(lang, "未対応", "not matched"),
        };
        let guess = r.mine.is_none() || r.how.as_ref().is_some_and(|h| h.is_guess());
        let onchange = {
            let cb = props.on_choose.clone();
            let shared = r.shared.clone();
            Callback::from(move |e: Event| {
                let mine = e
                    .target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value();
                cb.emit((shared.clone(), mine));
            })
        };
        let current = r.mine.clone().unwrap_or_default();
        html! {
            <tr class={classes!(guess.then_some("match-check"))} data-shared={r.shared.clone()}>
                <th scope="row">
                    <span class="match-id">{ &r.shared }</span>
                    if r.text != r.shared { <span class="match-text">{ format!(" {}", r.text) }</span> }
                </th>
                <td class="match-how">{ how }</td>
                <td>
                    <label for={id.clone()} class="visually-hidden">
                        { tr(lang, &format!("「{}」に当たるこのファイルの設問", r.shared), &format!("This file's question for “{}”", r.shared)) }
                    </label>
                    <select id={id} {onchange}>
                        <option value="" selected={current.is_empty()}>{ tr(lang, "（対応なし）", "(none)") }</option>
                        { for m.choices_for(r).map(|c| html! {
                            <option value={c.id.clone()} selected={c.id == current}>{
                                if c.label == c.id || c.label.is_empty() { c.id.clone() } else { format!("{}　{}", c.id, c.label) }
                            }</option>
                        }) }
                    </select>
                </td>
            </tr>
        }
    });
    let notices = m.notices();
    html! {
        <section class="link-matching" id="link-matching" aria-labelledby="link-matching-title">
            <details open={m.needs_review()}>
                <summary id="link-matching-title">{ summary }</summary>
                <p class="note">{ tr(lang,
                    "共有された設問を、このファイルの設問に対応づけました（全国調査の設問、問番号、文言の順に照合）。違っていれば選び直してください。表はすぐに作り直します。",
                    "The shared questions were matched to this file's (by national item, then question number, then wording). Change any that is wrong; the tables are made again at once.") }</p>
                <table class="xtab link-matching-table">
                    <thead>
                        <tr>
                            <th scope="col">{ tr(lang, "共有された設問", "Shared question") }</th>
                            <th scope="col">{ tr(lang, "対応のしかた", "How it matched") }</th>
                            <th scope="col">{ tr(lang, "このファイルの設問", "This file's question") }</th>
                        </tr>
                    </thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if !notices.is_empty() {
                    <ul role="status">
                        { for notices.iter().map(|l| html! { <li>{ lang.pick(&l.ja, &l.en) }</li> }) }
                    </ul>
                }
            </details>
        </section>
    }
}
