use yew::prelude::*;

use crate::ingest::{QuoteAt, ReadError};
use crate::ui::i18n::{tr, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct ReadFailureProps {
    pub file_name: String,
    pub error: ReadError,
    /// Read the file again with the quote that starts this cell as a character (offered
    /// for a cell too large: almost always a quote left open).
    #[prop_or_default]
    pub on_literal_quote: Callback<QuoteAt>,
    /// The file still shown below, when this one was dropped onto it.
    #[prop_or_default]
    pub kept: Option<String>,
    /// Hides this message (offered when an earlier file stays shown).
    #[prop_or_default]
    pub on_dismiss: Option<Callback<()>>,
}

/// Why the file could not be read (in Japanese, the English below it).
#[function_component]
pub fn ReadFailure(props: &ReadFailureProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let ReadFailureProps {
        file_name, error, ..
    } = props;
    let repair = match error {
        ReadError::FieldTooLarge { row, column, .. } => {
            let at = QuoteAt {
                row: *row,
                column: *column,
            };
            let cb = props.on_literal_quote.clone();
            Some(html! {
                <button type="button" class="button primary" id="literal-quote-button" onclick={Callback::from(move |_: MouseEvent| cb.emit(at))}>
                    { tr(lang, "引用符を文字として読み直す", "Read the quote as a character") }
                </button>
            })
        }
        _ => None,
    };
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
            if let Some(kept) = &props.kept {
                <p id="read-error-kept">{ if en { format!("The results of “{kept}” below are kept as they were.") } else { format!("前のファイル「{kept}」の結果は、下にそのまま残っています。") } }</p>
            }
            { repair.unwrap_or_default() }
            if let Some(cb) = &props.on_dismiss {
                <button type="button" class="button" id="read-error-dismiss" onclick={cb.reform(|_: MouseEvent| ())}>{ tr(lang, "このお知らせを閉じる", "Dismiss") }</button>
            }
        </section>
    }
}
