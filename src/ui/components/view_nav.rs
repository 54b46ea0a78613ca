use yew::prelude::*;

use crate::app::state::View;
use crate::ui::i18n::{tr, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct ViewNavProps {
    /// The view shown.
    pub view: View,
    /// How many tables are pinned to the report.
    pub pinned: usize,
    pub on_view: Callback<View>,
}

/// The buttons between the views (questions / crosstab / report / municipalities /
/// national); the report's says how many tables it holds.
#[function_component]
pub fn ViewNav(props: &ViewNavProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let pinned = props.pinned;
    html! {
        <nav class="views" aria-label={tr(lang, "表示の切り替え", "Views")}>
            { for View::ALL.iter().map(|v| {
                let v = *v;
                let on_view = props.on_view.clone();
                let current = props.view == v;
                html! {
                    <button type="button" class={classes!("button", current.then_some("primary"))}
                        aria-current={current.then_some("page")} id={format!("view-{v:?}").to_lowercase()}
                        onclick={Callback::from(move |_: MouseEvent| on_view.emit(v))}>
                        { v.name(lang) }
                        if v == View::Report && pinned > 0 {
                            { if en { format!(" ({pinned})") } else { format!("（{pinned}）") } }
                        }
                    </button>
                }
            }) }
        </nav>
    }
}
