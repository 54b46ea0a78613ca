use std::rc::Rc;

use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang, Lang};

use super::chart_figure::ChartFigure;
use super::load_summary::format_int;
use crate::analysis::{Crosstab, CrosstabSpec, Filter};
use crate::app::present::{
    cell_count, cell_letters, cell_percent, col_total, column_letter, letters_legend, mark,
    row_total, table_total, test_in_words, tsv, Percent,
};
use crate::app::session::ModelView;
use crate::model::Kind;

#[derive(Properties, PartialEq)]
pub struct CrosstabViewProps {
    pub model: Rc<ModelView>,
    pub result: Option<Rc<Crosstab>>,
    pub on_request: Callback<CrosstabSpec>,
    /// Adds this crosstab to the report.
    pub on_pin: Callback<CrosstabSpec>,
}

/// What can be a row, column or layer: answers to count (grid items one by one).
fn choices(m: &ModelView, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in m.model.questions.iter().chain(&m.derived) {
        if !q.include {
            continue;
        }
        match q.kind {
            Kind::Single | Kind::Multiple => out.push((
                q.id.clone(),
                crate::model::shown_name(&q.label, lang).into_owned(),
            )),
            Kind::Grid => {
                for (i, c) in q.columns.iter().enumerate() {
                    out.push((c.clone(), format!("{} {}", q.label, q.item_text(i))));
                }
            }
            _ => {}
        }
    }
    out
}

/// The crosstab builder (rows, columns, layer, weight, filter) and its table: the chosen
/// percentage with counts (weighted ones, rounded, under a weight, with the respondents
/// beside), residual marks, column letters in the 縦% view only, the test in plain words.
#[function_component]
pub fn CrosstabView(props: &CrosstabViewProps) -> Html {
    let lang = use_lang();
    let en = lang == Lang::En;
    let m = &props.model;
    let options = choices(m, lang);
    let weights = m.weight_choices();
    let row = use_state(|| options.first().map(|o| o.0.clone()).unwrap_or_default());
    let col = use_state(|| options.get(1).map(|o| o.0.clone()).unwrap_or_default());
    let layer = use_state(String::new);
    let weight = use_state(String::new);
    let filter_text = use_state(String::new);
    let mode = use_state(Percent::default);
    let copied = use_state(|| false);
    let pin_spec = use_mut_ref(|| None::<CrosstabSpec>);

    let filter = if filter_text.trim().is_empty() {
        Ok(None)
    } else {
        Filter::parse(filter_text.trim()).map(Some)
    };
    // Ask the engine whenever the choice (or the model) changes.
    {
        let spec = filter.clone().ok().map(|filter| CrosstabSpec {
            row: (*row).clone(),
            col: (*col).clone(),
            layer: Some((*layer).clone()).filter(|l| !l.is_empty()),
            weight: Some((*weight).clone()).filter(|w| !w.is_empty()),
            filter,
            include_no_answer: true,
        });
        let on_request = props.on_request.clone();
        let spec_for_pin = spec.clone();
        *pin_spec.borrow_mut() = spec_for_pin;
        use_effect_with((spec, m.clone()), move |(spec, _)| {
            if let Some(spec) = spec
                .clone()
                .filter(|s| !s.row.is_empty() && !s.col.is_empty())
            {
                on_request.emit(spec);
            }
        });
    }
    let select = |id: &'static str,
                  label: String,
                  state: &UseStateHandle<String>,
                  list: &[(String, String)],
                  none: Option<String>| {
        let state = state.clone();
        let current = (*state).clone();
        let onchange = Callback::from(move |e: Event| {
            state.set(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            );
        });
        html! {
            <label>{ label }
                <select {id} {onchange}>
                    if let Some(none) = none { <option value="" selected={current.is_empty()}>{ none }</option> }
                    { for list.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == current}>{ l }</option> }) }
                </select>
            </label>
        }
    };
    let on_filter = {
        let filter_text = filter_text.clone();
        Callback::from(move |e: Event| {
            filter_text.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let mode_buttons = Percent::ALL.iter().map(|p| {
        let p = *p;
        let mode = mode.clone();
        let pressed = *mode == p;
        let onclick = Callback::from(move |_: MouseEvent| mode.set(p));
        html! { <button type="button" class={classes!("button", "small", pressed.then_some("primary"))}
            aria-pressed={pressed.to_string()} data-percent={format!("{p:?}").to_lowercase()} {onclick}>{ crate::ui::i18n::percent(lang, p) }</button> }
    });
    let result = props
        .result
        .as_ref()
        .filter(|x| x.row.id == *row && x.col.id == *col);
    let tables = result.map(|x| {
        let row_title = x.row.title.clone();
        let qualifiers = x.qualifiers();
        let qualifiers = lang.pick(&qualifiers.ja, &qualifiers.en).to_string();
        let weighted = x.weight.is_some();
        let total_head = if weighted {
            tr(lang, "合計（ウェイト付き）", "Total (weighted)")
        } else {
            tr(lang, "合計（人）", "Total (people)")
        };
        let letters_used = x.tables.iter().any(|t| t.column_proportions.is_some());
        let (letters_ja, letters_en) = letters_legend(*mode);
        html! {
            <>
                { for x.tables.iter().enumerate().map(|(ti, t)| {
                    let words = test_in_words(t);
                    let text = tsv(t, *mode, &row_title);
                    let on_copy = {
                        let copied = copied.clone();
                        Callback::from(move |_: MouseEvent| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.navigator().clipboard().write_text(&text);
                                copied.set(true);
                            }
                        })
                    };
                    html! {
                        <div class="xtab-block">
                            <table class="xtab" id={format!("xtab-{ti}")}>
                                <caption>
                                    { format!("{} × {}", x.row.title, x.col.title) }
                                    if let Some(l) = &t.layer {
                                        { if en { format!(" ({}: {})", x.layer.as_ref().map(|v| v.title.clone()).unwrap_or_default(), l.label) }
                                          else { format!("（{}: {}）", x.layer.as_ref().map(|v| v.title.clone()).unwrap_or_default(), l.label) } }
                                    }
                                    { qualifiers.clone() }
                                    { format!("　n = {}　{}", format_int(t.n), crate::ui::i18n::percent(lang, *mode)) }
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{ &x.row.title }</th>
                                        { for t.cols.iter().enumerate().map(|(c, l)| html! {
                                            <th scope="col" class={classes!("num", l.no_answer.then_some("no-answer"))}>
                                                { &l.label }
                                                if let Some(letter) = column_letter(t, c, *mode) { <span class="col-letter">{ format!(" ({letter})") }</span> }
                                            </th>
                                        }) }
                                        <th scope="col" class="num">{ total_head.clone() }</th>
                                        if weighted { <th scope="col" class="num">{ tr(lang, "回答者数（人）", "Respondents") }</th> }
                                    </tr>
                                </thead>
                                <tbody>
                                    { for t.rows.iter().enumerate().map(|(r, l)| html! {
                                        <tr class={classes!(l.no_answer.then_some("no-answer"))}>
                                            <th scope="row">{ &l.label }</th>
                                            { for (0..t.cols.len()).map(|c| {
                                                let letters = cell_letters(t, r, c, *mode);
                                                html! {
                                                    <td class="num">
                                                        <span class="pct">{ cell_percent(t, r, c, *mode) }</span>
                                                        <span class="mark">{ mark(t, r, c) }</span>
                                                        if !letters.is_empty() { <span class="letters">{ letters }</span> }
                                                        <span class="count">{ format!("（{}）", format_int(cell_count(t, r, c))) }</span>
                                                    </td>
                                                }
                                            }) }
                                            <td class="num">{ format_int(row_total(t, r)) }</td>
                                            if weighted { <td class="num">{ format_int(t.row_base_counts.get(r).copied().unwrap_or(0)) }</td> }
                                        </tr>
                                    }) }
                                </tbody>
                                <tfoot>
                                    <tr>
                                        <th scope="row">{ total_head.clone() }</th>
                                        { for (0..t.cols.len()).map(|c| html! { <td class="num">{ format_int(col_total(t, c)) }</td> }) }
                                        <td class="num">{ format_int(table_total(t)) }</td>
                                        if weighted { <td class="num">{ format_int(t.n) }</td> }
                                    </tr>
                                    if weighted {
                                        <tr>
                                            <th scope="row">{ tr(lang, "回答者数（人）", "Respondents") }</th>
                                            { for t.col_base_counts.iter().map(|n| html! { <td class="num">{ format_int(*n) }</td> }) }
                                            <td class="num">{ format_int(t.n) }</td>
                                            <td></td>
                                        </tr>
                                    }
                                </tfoot>
                            </table>
                            <ChartFigure svg={crate::chart::crosstab_svg(t, x, lang)}
                                name={format!("{}×{}", x.row.title, x.col.title)} id={format!("xtab-chart-{ti}")} />
                            if let Some((ja, en)) = words {
                                <p class="test-words" id={format!("xtab-test-{ti}")}>
                                    { lang.pick(&ja, &en) }
                                </p>
                            }
                            <button type="button" class="button small" id={format!("xtab-copy-{ti}")} onclick={on_copy}>{ tr(lang, "表をコピー（Excel に貼り付け）", "Copy table (paste into Excel)") }</button>
                        </div>
                    }
                }) }
                if *copied { <p class="note" role="status">{ tr(lang, "コピーしました。Excel のセルに貼り付けてください。", "Copied. Paste it into a cell in Excel.") }</p> }
                <p class="note legend">
                    if lang == Lang::En {
                        {"▲ / ▼: more / fewer people in this combination than if the two were unrelated (adjusted residual, 5% level; ▲▲ / ▼▼ at the 1% level). "}
                        if letters_used { { letters_en } }
                    } else {
                        {"▲ / ▼: その組み合わせの人数が、関連がない場合より多い / 少ない（調整済み残差、5%水準。▲▲ / ▼▼ は1%水準）。"}
                        if letters_used { { letters_ja } }
                    }
                </p>
                { for x.notes.iter().map(|n| html! { <p class="note">{ lang.pick(&n.ja, &n.en) }</p> }) }
            </>
        }
    });
    html! {
        <section class="crosstab" id="crosstab" aria-labelledby="crosstab-title">
            <h2 id="crosstab-title">{ crate::app::state::View::Crosstab.name(lang) }</h2>
            <div class="editor-grid">
                { select("xtab-row", tr(lang, "行（表側）", "Rows"), &row, &options, None) }
                { select("xtab-col", tr(lang, "列（表頭）", "Columns"), &col, &options, None) }
                { select("xtab-layer", tr(lang, "層（分けて表示）", "Layer (shown separately)"), &layer, &options, Some(tr(lang, "なし", "None"))) }
                { select("xtab-weight", tr(lang, "ウェイト", "Weight"), &weight, &weights, Some(tr(lang, "なし（回答者数で集計）", "None (count people)"))) }
                <label>{ tr(lang, "絞り込み（例: 性別 = 女性 and 年代 in (20～29歳, 30～39歳)）", "Filter (e.g. 性別 = 女性 and 年代 in (20～29歳, 30～39歳))") }
                    <input type="text" id="xtab-filter" value={(*filter_text).clone()} onchange={on_filter} />
                </label>
            </div>
            <super::filter_builder::FilterBuilder model={m.clone()} current={(*filter_text).clone()} id="xtab-filter"
                on_change={{ let f = filter_text.clone(); Callback::from(move |t: String| f.set(t)) }} />
            if let Err(e) = &filter { <p class="warning" role="alert">{ lang.pick(&e.ja, &e.en) }</p> }
            <div class="percent-toggle" role="group" aria-label={tr(lang, "割合の基準", "Percentage base")}>
                { for mode_buttons }
                <button type="button" class="button small" id="xtab-pin" onclick={{
                    let on_pin = props.on_pin.clone();
                    let pin_spec = pin_spec.clone();
                    Callback::from(move |_: MouseEvent| if let Some(s) = pin_spec.borrow().clone() { on_pin.emit(s) })
                }}>{ tr(lang, "レポートに追加", "Add to report") }</button>
            </div>
            { tables.unwrap_or_else(|| html! { <p class="note" role="status">{ tr(lang, "集計しています…", "Calculating…") }</p> }) }
        </section>
    }
}
