//! What a share link brought: shown above the drop zone from the moment the page opens
//! with one, and, once a file is loaded, what of the setup matched it, what it changed
//! (kinds, new variables and the columns they read) and what it was not allowed to turn on.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::codebook::ApplyReport;
use crate::share::Setup;
use crate::ui::i18n::{use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct SharedBannerProps {
    pub opened: Option<Rc<Setup>>,
    pub open_error: Option<crate::message::Message>,
    pub applied: Option<Rc<ApplyReport>>,
}

#[function_component]
pub fn SharedBanner(props: &SharedBannerProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    if let Some(e) = &props.open_error {
        return html! {
            <section class="error" role="alert" id="shared-error">
                <p>{ if en { &e.en } else { &e.ja } }</p>
            </section>
        };
    }
    let Some(setup) = &props.opened else {
        return html! {};
    };
    let questions = setup.model.questions.len();
    let tables = setup.template.tables.len();
    let title = &setup.template.title;
    let applied = props.applied.as_ref().map(|r| {
        let mut lines = Vec::new();
        if en {
            lines.push(format!(
                "Matched {} question(s) of the setup to this file.",
                r.matched.len()
            ));
            if !r.not_in_file.is_empty() {
                lines.push(format!("Not in this file: {}", r.not_in_file.join(", ")));
            }
            for (q, codes) in &r.unknown_codes {
                lines.push(format!(
                    "“{q}” has answers the setup does not list: {}",
                    codes.join(", ")
                ));
            }
            lines.extend(r.change_lines_en());
        } else {
            lines.push(format!(
                "共有された設定のうち {} 設問がこのファイルに当てはまりました。",
                r.matched.len()
            ));
            if !r.not_in_file.is_empty() {
                lines.push(format!(
                    "このファイルにない設問: {}",
                    r.not_in_file.join("、")
                ));
            }
            for (q, codes) in &r.unknown_codes {
                lines.push(format!(
                    "「{q}」に、設定にない回答があります: {}（表では別の行になります）",
                    codes.join("、")
                ));
            }
            // Kinds changed, new variables and their sources, what was not turned on.
            lines.extend(r.change_lines_ja());
        }
        html! {
            <ul id="shared-applied" role="status">
                { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
        }
    });
    html! {
        <section class="shared-banner" id="shared-banner" aria-label={if en { "Shared setup" } else { "共有された分析の設定" }}>
            <p id="shared-summary">{
                if en {
                    format!("This page was opened with a shared analysis setup{}: {questions} question(s), {tables} table(s). Drop your own survey file and the same tables are made from it. The link holds no response.",
                        if title.is_empty() { String::new() } else { format!(" “{title}”") })
                } else {
                    format!("共有された分析の設定{}を開きました（設問 {questions}、表 {tables}）。ご自分の調査ファイルを入れると、同じ表を作ります。リンクに回答は入っていません。",
                        if title.is_empty() { String::new() } else { format!("「{title}」") })
                }
            }</p>
            { applied.unwrap_or_default() }
        </section>
    }
}
