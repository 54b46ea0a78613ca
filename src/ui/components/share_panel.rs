//! 「分析の設定を共有する」: the link that carries this setup (questions, codebook, derived
//! variables, weights, the report's tables) to another municipality. The engine makes it
//! and decides what may go in (`share::redact`): never a response.

use std::rc::Rc;

use yew::prelude::*;

use crate::share::LeftOut;
use crate::ui::i18n::{tr, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The link's fragment (from `#` on, without it) and what was kept out, once made.
    pub link: Option<Rc<(String, LeftOut)>>,
    pub on_make: Callback<()>,
}

/// This page's address without its fragment: the link opens the same app.
fn base_url() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

#[function_component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let copied = use_state(|| false);
    let on_make = {
        let cb = props.on_make.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            copied.set(false);
            cb.emit(())
        })
    };
    let body = props.link.as_ref().map(|l| {
        let (fragment, left_out) = &**l;
        let url = format!("{}#{fragment}", base_url());
        let on_copy = {
            let url = url.clone();
            let copied = copied.clone();
            Callback::from(move |_: MouseEvent| {
                let _ = gloo::utils::window()
                    .navigator()
                    .clipboard()
                    .write_text(&url);
                copied.set(true);
            })
        };
        let lines = if en { left_out.lines_en() } else { left_out.lines_ja() };
        html! {
            <>
                <label for="share-link">{ tr(lang, "共有用のリンク", "Link to share") }</label>
                <textarea id="share-link" readonly=true rows="4" value={url.clone()} data-length={url.len().to_string()} />
                <p class="note" id="share-length">{
                    if en { format!("{} characters. The part after # stays in the browser: it is never sent to a server.", url.len()) }
                    else { format!("{} 文字。# より後ろはブラウザーの中だけで使われ、サーバーには送られません。", url.len()) }
                }</p>
                <button type="button" class="button" id="copy-share-link" onclick={on_copy}>{ tr(lang, "リンクをコピー", "Copy the link") }</button>
                if *copied {
                    <span class="note" role="status" id="share-copied">{ tr(lang, " コピーしました。メールなどに貼り付けてください。", " Copied: paste it into an e-mail.") }</span>
                }
                if url.starts_with("file:") {
                    // The single-file app: the part before # is a place on this PC.
                    <p class="note" id="share-file-note">{ tr(lang,
                        "このページはファイルから開いているため、リンクの # より前はこのパソコンの中の場所です。受け取った人は、# から後ろを、自分が使っているつながりのアドレスの後ろに付けて開いてください。",
                        "This page was opened from a file, so the part before # is a place on this PC. The receiver adds the part from # on to the address of their own copy of Tsunagari.") }</p>
                }
                if !lines.is_empty() {
                    <ul class="note" id="share-left-out">{ for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                }
            </>
        }
    });
    html! {
        <section class="share-panel no-print" id="share-panel" aria-labelledby="share-title">
            <h2 id="share-title">{ tr(lang, "分析の設定を他の市町村と共有する", "Share this analysis with other municipalities") }</h2>
            <p class="note">{ tr(lang,
                "設問・選択肢・作成した変数・ウェイト・レポートの表の設定を、1つのリンクにします。回答そのものは入りません: ID・メール・自由記述の列は列名だけ、選択肢は3人以上が選んだものか符号表・全国調査の言葉だけ、絞り込み条件とウェイトの人口も同じ決まりで入れます。受け取った人がリンクを開いて自分の調査ファイルを入れると、同じ表ができます（受け取った側で集計に使う列が増えることはありません）。",
                "Makes one link holding the questions, answer options, new variables, weights and the report's tables. No response goes in: identifier, e-mail and free-text columns by name only; answer options only if at least 3 chose them or they are a codebook's or the national survey's words; filters and population figures by the same rule. Whoever opens it and drops their own survey file gets the same tables (a link never turns more columns on there).") }</p>
            <button type="button" class="button primary" id="make-share-link" onclick={on_make}>{ tr(lang, "共有リンクを作る", "Make the link") }</button>
            { body.unwrap_or_default() }
        </section>
    }
}
