use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{use_lang, Lang};

use crate::app::state::Dataset;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub dataset: Rc<Dataset>,
}

/// The first rows as read, so the user can see at a glance that the text is right.
#[function_component]
pub fn Preview(props: &PreviewProps) -> Html {
    let lang = use_lang();
    let s = &props.dataset.summary;
    html! {
        <details class="preview" open={s.info.confidence == crate::ingest::Confidence::Low || !s.warnings.is_empty()}>
            <summary>{ if lang == Lang::En { format!("Check the first {} rows (is the text readable?)", s.preview.len()) } else { format!("先頭の {} 行を確認する（文字化けしていないか）", s.preview.len()) } }</summary>
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
        </details>
    }
}
