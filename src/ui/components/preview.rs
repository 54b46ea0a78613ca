use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{use_lang, Lang};

use crate::app::state::Dataset;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub dataset: Rc<Dataset>,
}

/// The first rows as read, so the user can see at a glance that the text is right.
/// Closed, it holds only its summary line: the table (one cell per column and row, over
/// half the page's elements for a wide survey) is drawn when the user first opens it, so
/// that building it does not delay the first results after a load. It opens by itself
/// (and is drawn at once) when the reading needs checking.
#[function_component]
pub fn Preview(props: &PreviewProps) -> Html {
    let lang = use_lang();
    let s = &props.dataset.summary;
    let needs_check = s.info.confidence == crate::ingest::Confidence::Low || !s.warnings.is_empty();
    // Once opened it stays drawn: the element keeps its open state across files.
    let opened = use_state(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target()
                .and_then(|t| js_sys::Reflect::get(&t, &"open".into()).ok())
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if open && !*opened {
                opened.set(true);
            }
        })
    };
    html! {
        <details class="preview" open={needs_check} {ontoggle}>
            <summary>{ if lang == Lang::En { format!("Check the first {} rows (is the text readable?)", s.preview.len()) } else { format!("先頭の {} 行を確認する（文字化けしていないか）", s.preview.len()) } }</summary>
            if needs_check || *opened {
                <div class="preview-scroll">
                    <table class="preview-table" id="preview-table">
                        <thead><tr>{ for s.columns.iter().map(|c| html! { <th scope="col">{ &c.name }</th> }) }</tr></thead>
                        <tbody>
                            { for s.preview.iter().map(|row| html! {
                                <tr>{ for row.iter().map(|v| html! { <td>{ v }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </details>
    }
}
