use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use crate::app::session::ModelView;
use crate::model::codebook;

#[derive(Properties, PartialEq)]
pub struct CodebookBarProps {
    pub model: Rc<ModelView>,
    /// A codebook file was picked: (name, bytes).
    pub on_import: Callback<(String, Vec<u8>)>,
}

/// Reading a codebook (符号表) and saving the survey settings. Saving writes a file on
/// this computer through the browser's download; nothing is sent anywhere.
#[function_component]
pub fn CodebookBar(props: &CodebookBarProps) -> Html {
    let lang = use_lang();
    let onchange = {
        let on_import = props.on_import.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                let on_import = on_import.clone();
                let name = file.name();
                let file = gloo::file::File::from(file);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(bytes) = gloo::file::futures::read_as_bytes(&file).await {
                        on_import.emit((name, bytes));
                    }
                });
            }
            input.set_value("");
        })
    };
    let save_json = {
        let model = props.model.clone();
        Callback::from(move |_: MouseEvent| {
            let json = model.model.to_json();
            download("調査の設定.json", json.as_bytes(), "application/json");
        })
    };
    let save_csv = {
        let model = props.model.clone();
        Callback::from(move |_: MouseEvent| {
            let bytes = codebook::to_csv(&model.model);
            download("符号表.csv", &bytes, "text/csv");
        })
    };
    let report = props.model.report.as_ref().map(|r| {
        html! {
            <ul class="codebook-report" id="codebook-report" role="status">
                { for (if lang == Lang::En { r.lines_en() } else { r.lines_ja() }).into_iter().map(|l| html! { <li>{ l }</li> }) }
            </ul>
        }
    });
    html! {
        <section class="codebook-bar" aria-label={tr(lang, "符号表と設定", "Codebook and settings")}>
            <label class="button small" for="codebook-input">{ tr(lang, "符号表を読み込む", "Open a codebook") }</label>
            <input id="codebook-input" class="visually-hidden" type="file"
                accept=".csv,.tsv,.txt,.xlsx,.xls,.ods,.json" {onchange} />
            <button type="button" class="button small" id="save-codebook-csv" onclick={save_csv}>{ tr(lang, "符号表を保存（CSV）", "Save codebook (CSV)") }</button>
            <button type="button" class="button small" id="save-model-json" onclick={save_json}>{ tr(lang, "設定を保存（JSON）", "Save settings (JSON)") }</button>
            <span class="note">{ tr(lang, "符号表: 変数名・コード・ラベルの列がある CSV / Excel、または保存した設定（JSON）", "Codebook: a CSV / Excel file with variable name, code and label columns, or saved settings (JSON)") }</span>
            { report.unwrap_or_default() }
        </section>
    }
}

/// Saves bytes as a file through the browser's download (a blob: URL, never the network).
pub fn download(name: &str, bytes: &[u8], mime: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    // Revoked later: revoking at once can cancel the download in some browsers.
    gloo::timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
