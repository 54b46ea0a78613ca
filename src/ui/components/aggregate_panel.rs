//! 「集計表を外部に出す」: the report's tables of counts with disclosure control (秘匿処理)
//! on by default — cells of 1–2 respondents and the cells that would give them away (in
//! the table or by subtracting another table of the same file) shown as 「x」, answers
//! fewer than 3 gave merged into 「その他（少数）」, percentages on a base under 10 marked
//! 「*」 — to send to partners or other municipalities. Shown here as they will be
//! published, with the tables left out and why, then saved as JSON or Excel. The
//! threshold can't go below 3 (`Rules::MIN_COUNT_FLOOR`).

use std::rc::Rc;

use yew::prelude::*;

use crate::analysis::aggregate::{Aggregate, AggregateTable};
use crate::disclosure::Rules;
use crate::format::format_percent;
use crate::ui::i18n::{tr, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct AggregatePanelProps {
    pub aggregate: Option<Rc<Aggregate>>,
    pub xlsx: Option<Rc<Vec<u8>>>,
    /// The municipality's name offered at first (the report's title).
    pub default_name: String,
    /// Make the aggregate with these rules under this municipality name.
    pub on_make: Callback<(Rules, String)>,
}

fn table(t: &AggregateTable, lang: Lang) -> Html {
    // A simple tabulation's row totals are its cells again: one column is enough.
    let totals = t.cols.len() > 1;
    html! {
        <table class="aggregate-table" data-title={t.title.clone()}>
            <caption>{ &t.title }</caption>
            <thead><tr>
                <th scope="col"></th>
                { for t.cols.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                if totals { <th scope="col">{ tr(lang, "合計", "Total") }</th> }
            </tr></thead>
            <tbody>
                { for t.rows.iter().enumerate().map(|(r, label)| html! {
                    <tr>
                        <th scope="row">{ label }{ if t.small_base[r] { " *" } else { "" } }</th>
                        { for t.cells[r].iter().enumerate().map(|(c, n)| {
                            let pct = t.row_percent[r][c].map(|p| format!(" ({}%)", format_percent(p))).unwrap_or_default();
                            html! { <td class="count" data-count={n.text()}>{ n.text() }<span class="pct">{ pct }</span></td> }
                        }) }
                        if totals { <td class="count total" data-count={t.row_totals[r].text()}>{ t.row_totals[r].text() }</td> }
                    </tr>
                }) }
                <tr class="totals">
                    <th scope="row">{ tr(lang, "合計", "Total") }</th>
                    { for t.col_totals.iter().map(|n| html! { <td class="count total" data-count={n.text()}>{ n.text() }</td> }) }
                    if totals { <td class="count total" data-count={t.total.text()}>{ t.total.text() }</td> }
                </tr>
                if let Some(n) = &t.respondents {
                    // A multiple answer's cells count answers; its % are of respondents.
                    <tr class="totals respondents">
                        <th scope="row">{ tr(lang, "回答者数（% の分母）", "Respondents (base of %)") }</th>
                        <td class="count total" data-count={n.text()}>{ n.text() }</td>
                    </tr>
                }
            </tbody>
        </table>
    }
}

#[function_component]
pub fn AggregatePanel(props: &AggregatePanelProps) -> Html {
    let lang = use_lang();
    let rules = use_state(Rules::default);
    let number = |set: fn(&mut Rules, u64)| {
        let rules = rules.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            if let Ok(n) = v.trim().parse::<u64>() {
                let mut r = *rules;
                set(&mut r, n);
                rules.set(r.at_least_default());
            }
        })
    };
    let on_min_count = number(|r, n| r.min_count = n);
    let on_min_base = number(|r, n| r.min_base = n);
    let name = use_state(|| props.default_name.clone());
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            name.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let on_make = {
        let cb = props.on_make.clone();
        let rules = rules.clone();
        let name = name.clone();
        Callback::from(move |_: MouseEvent| cb.emit((*rules, (*name).clone())))
    };
    let saves = props.aggregate.as_ref().map(|a| {
        let save_json = {
            let a = a.clone();
            Callback::from(move |_: MouseEvent| {
                super::codebook_bar::download(&a.file_name("json"), a.to_json().as_bytes(), "application/json")
            })
        };
        let save_xlsx = {
            let x = props.xlsx.clone();
            let file = a.file_name("xlsx");
            Callback::from(move |_: MouseEvent| {
                if let Some(x) = &x {
                    super::codebook_bar::download(
                        &file,
                        x,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    )
                }
            })
        };
        let hidden: usize = a.tables.iter().map(|t| t.cells.iter().flatten().filter(|c| c.text() == "x").count()).sum();
        html! {
            <>
                <p role="status" id="aggregate-status">{
                    if lang == Lang::En { format!("{} table(s); {hidden} cell(s) shown as x. This is what the files will hold:", a.tables.len()) }
                    else { format!("表 {} 個、「x」にしたセル {hidden} 個。書き出す内容は次のとおりです。", a.tables.len()) }
                }</p>
                <div class="buttons">
                    <button type="button" class="button primary" id="save-aggregate-json" onclick={save_json}>{ tr(lang, "JSON で保存（市町村の比較用）", "Save as JSON (for comparing municipalities)") }</button>
                    <button type="button" class="button" id="save-aggregate-xlsx" onclick={save_xlsx}>{ tr(lang, "Excel ファイルで保存", "Save as Excel") }</button>
                </div>
                if !a.left_out.is_empty() {
                    <div class="left-out" id="aggregate-left-out">
                        <p>{ tr(lang, "次の表は、個人が分かってしまうおそれがあるため入れていません。", "These tables were left out, as they could single someone out:") }</p>
                        <ul>{ for a.left_out.iter().map(|n| html! { <li>{ if lang == Lang::En { &n.en } else { &n.ja } }</li> }) }</ul>
                    </div>
                }
                { for a.tables.iter().map(|t| table(t, lang)) }
                <p class="note">{ &a.note_ja }</p>
            </>
        }
    });
    html! {
        <section class="aggregate-panel no-print" id="aggregate-panel" aria-labelledby="aggregate-title">
            <h2 id="aggregate-title">{ tr(lang, "集計表を外部に出す（秘匿処理）", "Aggregates to share outside (disclosure control)") }</h2>
            <p class="note">{ tr(lang,
                "レポートの表の件数だけを書き出します。少ない人数のセルは「x」にし、引き算で分かってしまうセルも「x」にします（秘匿処理）。同じファイルのほかの表との引き算（絞り込んだ表・層別の表・無回答を除いた表など）も確かめます。3人未満しか答えていない回答は「その他（少数）」にまとめます。回答者が少なく割合が不安定な行には「*」を付けます。個人を特定する情報や自由記述は入りません。",
                "Writes only the counts of the report's tables. Cells with few respondents become 「x」, and so do cells that would let them be worked out by subtraction (complementary suppression), also by subtracting another table of the same file (filtered, layered, without 無回答). Answers fewer than 3 gave are merged into 「その他（少数）」. Rows with few respondents, whose percentages are unstable, are marked 「*」. No identifier or free text goes in.") }</p>
            <div class="rules">
                <label>{ tr(lang, "この人数未満のセルを x にする", "Hide cells under this many respondents") }
                    <input type="number" min="3" id="aggregate-min-count" value={rules.min_count.to_string()} onchange={on_min_count} /></label>
                <label>{ tr(lang, "この人数未満の行に * を付ける", "Mark rows under this many respondents with *") }
                    <input type="number" min="1" id="aggregate-min-base" value={rules.min_base.to_string()} onchange={on_min_base} /></label>
                <p class="note">{ tr(lang, "x にする人数は 3 より小さくできません（1〜2人のセルが出てしまうため）。", "The threshold can't be below 3 (cells of 1–2 would be published).") }</p>
            </div>
            <label class="municipality">{ tr(lang, "市町村名（ファイル名と「市町村の比較」での表示に使います）", "Municipality (names the file and the town in “Compare municipalities”)") }
                <input type="text" id="aggregate-municipality" maxlength="40" value={(*name).clone()} oninput={on_name} /></label>
            <button type="button" class="button" id="make-aggregate" onclick={on_make}>{ tr(lang, "秘匿処理した集計表を作る", "Make the aggregates") }</button>
            { saves.unwrap_or_default() }
        </section>
    }
}
