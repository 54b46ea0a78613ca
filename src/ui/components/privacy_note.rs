use yew::prelude::*;

/// The promise the page keeps, said where every user sees it.
#[function_component]
pub fn PrivacyNote() -> Html {
    html! {
        <p class="privacy" id="privacy-note">
            <span class="lock" aria-hidden="true">{"🔒"}</span>
            {"ファイルはこのパソコンのブラウザの中だけで読み込みます。回答データがインターネットに送られることはありません"}
            {"（ページの設定 Content-Security-Policy で外部との通信を禁止しています）。"}
            <br />
            <span class="en" lang="en">{"Your file is read only inside this browser; no response data is sent anywhere."}</span>
        </p>
    }
}
