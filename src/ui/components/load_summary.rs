use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use crate::app::session::LoadRequest;
use crate::app::shown_warning::ShownWarning;
use crate::app::state::Dataset;
use crate::ingest::encoding::CHOICES;
use crate::ingest::{Confidence, QuoteAt};

#[derive(Properties, PartialEq)]
pub struct LoadSummaryProps {
    pub dataset: Rc<Dataset>,
    pub on_clear: Callback<()>,
    /// Read the same file again with the encoding or sheet chosen.
    pub on_reread: Callback<LoadRequest>,
    /// Read the same file again with the quote of a runaway quote read as a character.
    #[prop_or_default]
    pub on_literal_quote: Callback<QuoteAt>,
    /// Read the same file again with a header of this many rows (「見出しは N 行」).
    #[prop_or_default]
    pub on_header_rows: Callback<usize>,
    /// The user confirmed that the first row is a header (`SurveyModel::header_confirmed`).
    #[prop_or_default]
    pub header_confirmed: bool,
    #[prop_or_default]
    pub on_confirm_header: Callback<bool>,
}

/// What was read and how: rows, columns, encoding, and every repair the reader made.
#[function_component]
pub fn LoadSummary(props: &LoadSummaryProps) -> Html {
    let lang = use_lang();
    let d = &props.dataset;
    let info = &d.summary.info;
    let delimiter = match info.delimiter.as_deref() {
        Some("comma") => lang.pick("カンマ（,）", "comma (,)"),
        Some("tab") => lang.pick("タブ", "tab"),
        Some("semicolon") => lang.pick("セミコロン（;）", "semicolon (;)"),
        _ => "—",
    };
    let on_clear = {
        let cb = props.on_clear.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let on_encoding = {
        let cb = props.on_reread.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let encoding = Some(select.value()).filter(|v| !v.is_empty());
            cb.emit(LoadRequest {
                encoding,
                ..LoadRequest::default()
            });
        })
    };
    let on_sheet = {
        let cb = props.on_reread.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit(LoadRequest {
                sheet: Some(select.value()),
                ..LoadRequest::default()
            });
        })
    };
    // The header's rows as read: a block found or asked for says so, else one row.
    let header_rows = d
        .summary
        .warnings
        .iter()
        .find_map(|w| w.header_rows)
        .unwrap_or(1);
    let on_header_rows = {
        let cb = props.on_header_rows.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(rows) = select.value().parse::<usize>() {
                cb.emit(rows);
            }
        })
    };
    let on_header = {
        let cb = props.on_confirm_header.clone();
        Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    // Next to the warning that the first row looks like a respondent: the user says
    // whether it is a header (share links keep the names only then).
    let header_check = |w: &ShownWarning| {
        w.header_looks_like_data.then(|| html! {
            <label class="check" id="header-confirm">
                <input type="checkbox" id="header-confirmed" checked={props.header_confirmed} onchange={on_header.clone()} />
                { tr(lang, "1行目は見出しです（回答者の回答ではありません）", "The first row is a header (not a respondent's answers)") }
            </label>
        })
    };
    // Rows are missing (a runaway quote): an error-level notice above the other notes,
    // with the repair; the row count says the figure is not the file's.
    let (severe, notes): (Vec<&ShownWarning>, Vec<&ShownWarning>) =
        d.summary.warnings.iter().partition(|w| w.is_severe());
    let repair_button = |w: &ShownWarning| {
        w.runaway_quote().map(|at| {
            let cb = props.on_literal_quote.clone();
            html! {
                <button type="button" class="button primary" id="literal-quote-button" onclick={Callback::from(move |_: MouseEvent| cb.emit(at))}>
                    { tr(lang, "引用符を文字として読み直す", "Read the quote as a character") }
                </button>
            }
        })
    };
    let confidence = match info.confidence {
        Confidence::Certain => lang.pick("確定", "certain"),
        Confidence::High => lang.pick("推定・確度高", "guessed, likely right"),
        Confidence::Low => lang.pick("推定・要確認", "guessed, please check"),
    };
    html! {
        <section class="load-summary" aria-label={tr(lang, "読み込み結果", "What was read")}>
            <div class="file-line">
                <h2 id="file-name">{ &d.file_name }</h2>
                if d.fictitious {
                    <span class="badge fictitious" id="fictitious-badge">{ tr(lang, "架空のデータ（サンプル）", "Made-up data (sample)") }</span>
                }
                <button type="button" class="button small" id="clear-button" onclick={on_clear}>
                    { tr(lang, "データを閉じる（画面から消去）", "Close the data (clear it from the screen)") }
                </button>
            </div>
            <dl class="facts">
                <dt>{ tr(lang, "回答者数（行）", "Respondents (rows)") }</dt>
                <dd><span id="row-count">{ format_int(info.rows as u64) }</span>
                    if !severe.is_empty() {
                        <strong class="bad-count">{ tr(lang, "（ファイルの一部の行が読み込まれていません。下の注意を見てください）", " (some rows of the file were not read: see below)") }</strong>
                    }
                </dd>
                <dt>{ tr(lang, "項目数（列）", "Items (columns)") }</dt><dd id="column-count">{ info.columns }</dd>
                if info.format == "csv" {
                    <dt>{ tr(lang, "文字コード", "Character encoding") }</dt><dd><span id="encoding">{ &info.encoding }</span>{ if lang == Lang::En { format!(" ({confidence})") } else { format!("（{confidence}）") } }</dd>
                    <dt>{ tr(lang, "区切り文字", "Delimiter") }</dt><dd>{ delimiter }</dd>
                } else {
                    <dt>{ tr(lang, "形式", "Format") }</dt><dd id="format">{ if lang == Lang::En { format!("Workbook, e.g. Excel ({})", info.format) } else { format!("Excel などのブック（{}）", info.format) } }</dd>
                    <dt>{ tr(lang, "シート", "Sheet") }</dt><dd id="sheet">{ info.sheet.clone().unwrap_or_default() }</dd>
                }
            </dl>
            if info.sheets.len() > 1 {
                <label class="reread">
                    { tr(lang, "シート（ワークシート）: ", "Sheet (worksheet): ") }
                    <select id="sheet-select" onchange={on_sheet}>
                        { for info.sheets.iter().map(|name| html! {
                            <option value={name.clone()} selected={info.sheet.as_ref() == Some(name)}>{ name }</option>
                        }) }
                    </select>
                </label>
            }
            <label class="reread">
                { tr(lang, "見出し（設問番号・設問文・選択肢の行）: ", "Header (rows of question numbers, texts, option names): ") }
                <select id="header-rows-select" onchange={on_header_rows}>
                    { for (1..=4usize).map(|n| html! {
                        <option value={n.to_string()} selected={n == header_rows}>{ if lang == Lang::En { format!("{n} row(s)") } else { format!("見出しは {n} 行") } }</option>
                    }) }
                </select>
            </label>
            if info.format == "csv" {
                <label class="reread">
                    { tr(lang, "文字化けしている場合は、文字コードを選んで読み直せます: ", "If the text looks garbled, choose an encoding to read the file again: ") }
                    <select id="encoding-select" onchange={on_encoding}>
                        <option value="" selected=true>{ tr(lang, "選んでください", "Choose") }</option>
                        { for CHOICES.iter().map(|(label, name)| html! { <option value={*label}>{ *name }</option> }) }
                    </select>
                </label>
            }
            if !severe.is_empty() {
                <div class="warnings severe" role="alert" id="severe-warnings">
                    <h3>{ tr(lang, "読み込みの誤り: 回答者が欠けています", "Reading error: respondents are missing") }</h3>
                    <ul>
                        { for severe.iter().map(|w| html! {
                            <li>
                                if lang == Lang::En {
                                    <span>{ w.en() }</span>
                                } else {
                                    <span>{ w.ja() }</span><br /><span class="en" lang="en">{ w.en() }</span>
                                }
                                <div>{ repair_button(w).unwrap_or_default() }</div>
                            </li>
                        }) }
                    </ul>
                </div>
            }
            if !notes.is_empty() {
                <div class="warnings" role="status">
                    <h3>{ if lang == Lang::En { format!("Notes from reading ({})", notes.len()) } else { format!("読み込み時の注意（{} 件）", notes.len()) } }</h3>
                    <ul>
                        { for notes.iter().map(|w| html! {
                            if lang == Lang::En {
                                <li><span>{ w.en() }</span>{ header_check(w).unwrap_or_default() }</li>
                            } else {
                                <li><span>{ w.ja() }</span><br /><span class="en" lang="en">{ w.en() }</span>{ header_check(w).unwrap_or_default() }</li>
                            }
                        }) }
                    </ul>
                </div>
            }
        </section>
    }
}

/// A count with thousands separators (`crate::format::format_int`).
pub fn format_int(n: u64) -> String {
    crate::format::format_int(n.min(i64::MAX as u64) as i64)
}
