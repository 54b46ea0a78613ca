use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang};

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub on_file: Callback<web_sys::File>,
    pub on_sample: Callback<()>,
    pub busy: bool,
}

/// Where a file is dropped or picked, and the button that loads the sample survey.
#[function_component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let over = use_state(|| false);
    let lang = use_lang();
    let ondragover = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(true);
        })
    };
    let ondragleave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let ondrop = {
        let over = over.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                on_file.emit(file);
            }
        })
    };
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                on_file.emit(file);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let on_sample = {
        let cb = props.on_sample.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let class = classes!("drop-zone", over.then_some("over"));
    html! {
        <section {class} {ondragover} {ondragleave} {ondrop} aria-label={tr(lang, "ファイルの読み込み", "Open a file")}>
            <p class="drop-title">{ tr(lang, "調査データのファイルをここにドロップ", "Drop your survey data file here") }</p>
            <p class="drop-sub">{ tr(lang, "CSV（Excel で保存したもの、Shift_JIS / UTF-8 どちらでも）、Excel ブック（.xlsx / .xls）、.ods", "CSV (saved from Excel, Shift_JIS or UTF-8), Excel workbook (.xlsx / .xls), .ods") }</p>
            <div class="drop-actions">
                <label class="button primary" for="file-input">{ tr(lang, "ファイルを選ぶ", "Choose a file") }</label>
                <input id="file-input" class="visually-hidden" type="file"
                    accept=".csv,.tsv,.txt,.xlsx,.xls,.ods,text/csv,text/tab-separated-values,text/plain"
                    disabled={props.busy} {onchange} />
                <button type="button" class="button" id="sample-button" onclick={on_sample} disabled={props.busy}>
                    { tr(lang, "サンプルデータで試す", "Try the sample data") }
                </button>
            </div>
            <p class="drop-note">{ tr(lang, "サンプルデータは、全国調査の質問にならって作った架空の回答 1,000 人分です。", "The sample data are made-up answers from 1,000 people, following the national survey’s questions.") }</p>
        </section>
    }
}
