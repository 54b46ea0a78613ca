use yew::prelude::*;

use crate::ingest::ReadError;
use crate::ui::i18n::{use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct ReadFailureProps {
    pub file_name: String,
    pub error: ReadError,
}

/// Why the file could not be read (in Japanese, the English below it).
#[function_component]
pub fn ReadFailure(props: &ReadFailureProps) -> Html {
    let en = use_lang() == Lang::En;
    let ReadFailureProps { file_name, error } = props;
    html! {
        <section class="error" role="alert" id="read-error">
            if en {
                <h2>{ format!("Could not read “{file_name}”") }</h2>
                <p>{ error.en() }</p>
            } else {
                <h2>{ format!("「{file_name}」を読み込めませんでした") }</h2>
                <p>{ error.ja() }</p>
                <p class="en" lang="en">{ error.en() }</p>
            }
        </section>
    }
}
