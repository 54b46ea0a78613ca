use yew::prelude::*;

use super::load_summary::format_int;
use crate::app::state::Progress;
use crate::ui::i18n::{tr, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct ReadingStatusProps {
    pub file_name: String,
    pub progress: Progress,
    pub on_cancel: Callback<()>,
}

/// A file being read: how far, how many rows, the time left, and 「中止」.
#[function_component]
pub fn ReadingStatus(props: &ReadingStatusProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let ReadingStatusProps {
        file_name,
        progress,
        ..
    } = props;
    let left = progress
        .seconds_left()
        .map(|s| {
            if en {
                format!(", about {} s left", s.ceil() as u64)
            } else {
                format!("、残り約 {} 秒", s.ceil() as u64)
            }
        })
        .unwrap_or_default();
    let reading = if en {
        format!(
            "Reading “{file_name}”… {:.0}% ({} rows{left})",
            progress.percent(),
            format_int(progress.rows)
        )
    } else {
        format!(
            "「{file_name}」を読み込んでいます… {:.0}%（{} 行{left}）",
            progress.percent(),
            format_int(progress.rows)
        )
    };
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="reading" role="status" aria-live="polite" id="reading">
            <p>{ reading }</p>
            <progress max="100" value={format!("{:.0}", progress.percent())}></progress>
            <button type="button" class="button small" id="cancel-button" onclick={on_cancel}>{ tr(lang, "中止", "Cancel") }</button>
        </section>
    }
}
