use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct SiteHeaderProps {
    /// A file is being read or shown (the clear button is offered).
    pub has_data: bool,
    /// Show the page in the other language.
    pub on_lang: Callback<()>,
    pub on_clear: Callback<()>,
}

/// The page's title, the language toggle and 「データを消去」.
#[function_component]
pub fn SiteHeader(props: &SiteHeaderProps) -> Html {
    let lang = use_lang();
    let on_lang = props.on_lang.reform(|_: MouseEvent| ());
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());
    html! {
        <header class="site">
            <h1>{"つながり"}<span class="sub">{ tr(lang, "孤独・孤立に関する住民調査の集計", "Results of residents’ surveys on loneliness and isolation") }</span></h1>
            <button type="button" class="button small lang-toggle" id="lang-toggle" onclick={on_lang}
                lang={lang.other().code()} aria-label={tr(lang, "Show the page in English", "日本語で表示")}>
                { tr(lang, "English", "日本語") }
            </button>
            if props.has_data {
                // Always in reach: the data lives only in this tab, and this forgets it.
                <button type="button" class="button small" id="clear-data" onclick={on_clear}>
                    { tr(lang, "データを消去", "Clear the data") }
                </button>
            }
        </header>
    }
}
