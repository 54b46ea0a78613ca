use yew::prelude::*;

use crate::ui::i18n::{use_lang, Lang};

/// The promise the page keeps, said where every user sees it.
#[function_component]
pub fn PrivacyNote() -> Html {
    let lang = use_lang();
    html! {
        <p class="privacy" id="privacy-note">
            // Drawn, not an emoji: locked-down PCs may lack an emoji font.
            <svg class="lock" aria-hidden="true" width="16" height="18" viewBox="0 0 16 18">
                <rect x="1" y="8" width="14" height="10" rx="2" fill="#2e7d43" />
                <path d="M4 8V5a4 4 0 0 1 8 0v3" fill="none" stroke="#2e7d43" stroke-width="2" />
            </svg>
            if lang == Lang::Ja {
                {"ファイルはこのパソコンのブラウザの中だけで読み込みます。回答データがインターネットに送られることはありません"}
                {"（ページの設定 Content-Security-Policy で外部との通信を禁止しています）。"}
                {"ほかの市町村と共有するリンクに入るのは調査票の内容（設問・選択肢・表の設定）だけ、"}
                {"集計表に入るのは秘匿処理した件数と割合だけです。"}
                <br />
                <span class="en" lang="en">{"Your file is read only inside this browser; no response data is sent anywhere."}</span>
            } else {
                {"Your file is read only inside the browser on this computer. No response data is ever sent over the internet "}
                {"(the page’s Content-Security-Policy setting forbids any outside connection). "}
                {"A link shared with other municipalities holds the questionnaire only (questions, options, table settings); "}
                {"an aggregate holds only disclosure-controlled counts and percentages."}
            }
        </p>
    }
}
