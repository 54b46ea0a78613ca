//! The page: header, privacy note, drop zone, then what was read and its tabulation.
//! Events become engine requests (through `Backend`) or `Action`s on the pure `AppState`.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::backend::{now, Backend};
use super::bench;
use super::components::aggregate_panel::AggregatePanel;
use super::components::bar_chart::BarChart;
use super::components::codebook_bar::CodebookBar;
use super::components::crosstab_view::CrosstabView;
use super::components::derive_form::DeriveForm;
use super::components::drop_zone::DropZone;
use super::components::load_summary::{format_int, LoadSummary};
use super::components::municipal_view::MunicipalView;
use super::components::national_panel::NationalPanel;
use super::components::national_view::NationalView;
use super::components::preview::Preview;
use super::components::privacy_note::PrivacyNote;
use super::components::question_editor::QuestionEditor;
use super::components::question_list::QuestionList;
use super::components::raking_panel::RakingPanel;
use super::components::report_view::ReportView;
use super::components::share_panel::SharePanel;
use super::components::shared_banner::SharedBanner;
use super::components::tab_table::TabTable;
use super::i18n::{tr, Lang};
use crate::analysis::{CrosstabSpec, Measure, TableSpec};
use crate::app_state::{Action, AppState, Phase, Progress, View};
use crate::model::{Question, SurveyModel};
use crate::session::{LoadRequest, Reply, Request};

/// Yew's reducer over the engine's pure state.
#[derive(Default)]
struct State(AppState);

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(self.0.apply(action)))
    }
}

/// What a history entry remembers: the view and the question, nothing of the data.
#[derive(serde::Serialize, serde::Deserialize)]
struct HistoryEntry {
    view: View,
    question: Option<String>,
}

/// The file being read or shown: kept so it can be read again with another encoding.
struct Current {
    file: Option<web_sys::File>,
    name: String,
    fictitious: bool,
    started_ms: f64,
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let current = use_mut_ref(|| Current {
        file: None,
        name: String::new(),
        fictitious: false,
        started_ms: 0.0,
    });
    let bench_mode = use_memo((), |_| bench::enabled());

    // Replies from the engine become actions.
    let backend: Rc<RefCell<Option<Backend>>> = use_mut_ref(|| None);
    if backend.borrow().is_none() {
        let dispatch = state.dispatcher();
        let current = current.clone();
        let bench_mode = *bench_mode;
        let backend_for_bench = backend.clone();
        let on_reply = Callback::from(move |reply: Reply| match reply {
            Reply::Ready => {}
            Reply::Progress { bytes, total, rows } => {
                let elapsed_ms = now() - current.borrow().started_ms;
                dispatch.dispatch(Action::Progress(Progress {
                    bytes,
                    total,
                    rows,
                    elapsed_ms,
                }));
            }
            Reply::Loaded(summary, model) => {
                if bench_mode {
                    let request = bench::loaded(summary.info.rows);
                    if let Some(b) = backend_for_bench.borrow().as_ref() {
                        b.request(request);
                    }
                }
                let c = current.borrow();
                dispatch.dispatch(Action::Loaded {
                    file_name: c.name.clone(),
                    fictitious: c.fictitious,
                    summary: *summary,
                    model: *model,
                });
            }
            Reply::Failed(error) => {
                if bench_mode {
                    bench::failed(&error.en());
                }
                let file_name = current.borrow().name.clone();
                dispatch.dispatch(Action::Failed { file_name, error });
            }
            Reply::Tabulations { id, tabs } => dispatch.dispatch(Action::Tabulated { id, tabs }),
            Reply::Model(model) => dispatch.dispatch(Action::Model(*model)),
            Reply::SetupApplied(model) => dispatch.dispatch(Action::SetupApplied(*model)),
            Reply::ShareLink { fragment, left_out } => {
                dispatch.dispatch(Action::ShareLink { fragment, left_out })
            }
            Reply::Aggregated { aggregate, xlsx } => dispatch.dispatch(Action::Aggregated {
                aggregate: *aggregate,
                xlsx,
            }),
            Reply::Crosstab(x) => dispatch.dispatch(Action::CrosstabReady(*x)),
            Reply::Comparison(c) => dispatch.dispatch(Action::ComparisonReady(*c)),
            Reply::Report(r) => dispatch.dispatch(Action::ReportReady(*r)),
            Reply::File { name, bytes } => super::components::codebook_bar::download(
                &name,
                &bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            Reply::Raked(r, model) => {
                // The model now holds the weight, so the weight selects list it.
                dispatch.dispatch(Action::Model(*model));
                dispatch.dispatch(Action::Raked(*r));
            }
            Reply::CrosstabCells(cells) => {
                if bench_mode {
                    bench::crosstab(&cells);
                }
            }
            Reply::Refused {
                message_ja,
                message_en,
            } => {
                if bench_mode {
                    bench::failed(&message_en);
                }
                dispatch.dispatch(Action::Refused {
                    ja: message_ja,
                    en: message_en,
                });
            }
        });
        *backend.borrow_mut() = Some(Backend::new(on_reply));
    }
    let backend = backend.borrow().clone().expect("created above");

    use_effect_with(*bench_mode, |&on| {
        if on {
            bench::publish();
        }
    });

    // A share link in the address (#s1.…): the engine reads the setup it carries. The
    // fragment never reaches a server; it holds no response (see `share::redact`).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let hash = gloo::utils::window().location().hash().unwrap_or_default();
            if crate::share::link::is_link(&hash) {
                dispatch.dispatch(Action::OpenLink(crate::share::decode(&hash)));
            }
        });
    }
    // Each file loaded after a link was opened gets its setup.
    {
        let backend = backend.clone();
        let opened = state.0.sharing.opened.clone();
        let dataset = state.0.dataset().cloned();
        use_effect_with(dataset, move |dataset| {
            if let (Some(_), Some(setup)) = (dataset, opened) {
                backend.request(Request::ApplySetup(Box::new((*setup).clone())));
            }
        });
    }

    // Ask the engine for the selected question's tabulation whenever the selection, the
    // data or the model changes.
    {
        let backend = backend.clone();
        let model = state.0.model.clone();
        use_effect_with(
            (model, state.0.selected.clone()),
            move |(model, selected)| {
                if let (Some(_), Some(id)) = (model, selected) {
                    backend.request(Request::TabulateQuestion { id: id.clone() });
                }
            },
        );
    }

    let load = {
        let state = state.dispatcher();
        let backend = backend.clone();
        let current = current.clone();
        Rc::new(
            move |file: web_sys::File, fictitious: bool, request: LoadRequest| {
                let name = file.name();
                {
                    let mut c = current.borrow_mut();
                    c.file = Some(file.clone());
                    c.name = name.clone();
                    c.fictitious = fictitious;
                    c.started_ms = now();
                }
                state.dispatch(Action::Start { file_name: name });
                backend.load(file, request);
            },
        )
    };
    let on_file = {
        let load = load.clone();
        Callback::from(move |file: web_sys::File| load(file, false, LoadRequest::default()))
    };
    let on_sample = {
        let load = load.clone();
        Callback::from(move |()| {
            let bytes = crate::sample::csv_bytes();
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
            if let Ok(file) =
                web_sys::File::new_with_u8_array_sequence(&parts, crate::sample::FILE_NAME)
            {
                load(file, true, LoadRequest::default());
            }
        })
    };
    let on_reread = {
        let load = load.clone();
        let current = current.clone();
        Callback::from(move |request: LoadRequest| {
            let (file, fictitious) = {
                let c = current.borrow();
                (c.file.clone(), c.fictitious)
            };
            if let Some(file) = file {
                load(file, fictitious, request);
            }
        })
    };
    let on_select = {
        let state = state.dispatcher();
        Callback::from(move |id: String| {
            let entry = HistoryEntry {
                view: View::Questions,
                question: Some(id.clone()),
            };
            if let Ok(v) = serde_wasm_bindgen::to_value(&entry) {
                let _ = gloo::utils::window()
                    .history()
                    .map(|h| h.push_state(&v, ""));
            }
            state.dispatch(Action::Select(id))
        })
    };
    let on_model = {
        let backend = backend.clone();
        Callback::from(move |model: SurveyModel| {
            backend.request(Request::UpdateModel(Box::new(model)))
        })
    };
    let on_question = {
        let on_model = on_model.clone();
        let model = state.0.model.clone();
        Callback::from(move |q: Question| {
            if let Some(m) = &model {
                let mut model = m.model.clone();
                if let Some(slot) = model.question_mut(&q.id) {
                    *slot = q;
                    on_model.emit(model);
                }
            }
        })
    };
    // 「1行目は見出しです」: the user's own confirmation, kept in the model.
    let on_confirm_header = {
        let on_model = on_model.clone();
        let model = state.0.model.clone();
        Callback::from(move |confirmed: bool| {
            if let Some(m) = &model {
                let mut model = m.model.clone();
                model.header_confirmed = confirmed;
                on_model.emit(model);
            }
        })
    };
    // Browser back/forward move between the views and questions: each change pushes a
    // history entry holding only the view and the question id (never a value of the data,
    // and the URL itself is left alone).
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |e| {
                    let e: &web_sys::PopStateEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                    if let Ok(entry) = serde_wasm_bindgen::from_value::<HistoryEntry>(e.state()) {
                        dispatch.dispatch(Action::Show(entry.view));
                        if let Some(id) = entry.question {
                            dispatch.dispatch(Action::Select(id));
                        }
                    }
                });
            move || drop(listener)
        });
    }
    let push_history = |view: View, question: Option<String>| {
        let entry = HistoryEntry { view, question };
        if let Ok(v) = serde_wasm_bindgen::to_value(&entry) {
            let _ = gloo::utils::window()
                .history()
                .map(|h| h.push_state(&v, ""));
        }
    };
    let on_view = {
        let selected = state.0.selected.clone();
        let state = state.dispatcher();
        Callback::from(move |view: View| {
            push_history(view, selected.clone());
            state.dispatch(Action::Show(view));
        })
    };
    let on_towns = {
        let dispatch = state.dispatcher();
        Callback::from(move |a: crate::towns::TownAction| dispatch.dispatch(Action::Towns(a)))
    };
    let on_crosstab = {
        let backend = backend.clone();
        Callback::from(move |spec: CrosstabSpec| backend.request(Request::Crosstab(Box::new(spec))))
    };
    let on_compare = {
        let backend = backend.clone();
        Callback::from(move |(measure, weight): (Measure, Option<String>)| {
            backend.request(Request::Compare { measure, weight })
        })
    };
    let on_rake = {
        let backend = backend.clone();
        Callback::from(move |d: crate::model::Derived| {
            backend.request(Request::Rake(Box::new(d)));
        })
    };
    // The report page asks for its tables whenever the pinned list or the data changes.
    {
        let backend = backend.clone();
        let pinned = state.0.pinned.clone();
        let on = state.0.view == View::Report && state.0.model.is_some();
        let model = state.0.model.clone();
        use_effect_with((pinned, on, model), move |(pinned, on, _)| {
            if *on && !pinned.tables.is_empty() {
                backend.request(Request::RunReport(Box::new((**pinned).clone())));
            }
        });
    }
    // The comparison of municipalities shows one's own data beside the files loaded: the
    // pinned tables' aggregates, made when that view opens.
    {
        let backend = backend.clone();
        let pinned = state.0.pinned.clone();
        let wanted = state.0.view == View::Municipalities
            && state.0.model.is_some()
            && !state.0.pinned.tables.is_empty()
            && state.0.sharing.aggregate.is_none();
        use_effect_with((pinned, wanted), move |(pinned, wanted)| {
            if *wanted {
                backend.request(Request::Aggregate {
                    template: Box::new((**pinned).clone()),
                    rules: crate::disclosure::Rules::default(),
                });
            }
        });
    }
    let on_pin = {
        let state = state.dispatcher();
        Callback::from(move |spec: TableSpec| state.dispatch(Action::Pin(spec)))
    };
    let on_unpin = {
        let state = state.dispatcher();
        Callback::from(move |i: usize| state.dispatch(Action::Unpin(i)))
    };
    let on_report_title = {
        let state = state.dispatcher();
        Callback::from(move |t: String| state.dispatch(Action::ReportTitle(t)))
    };
    let on_xlsx = {
        let backend = backend.clone();
        let pinned = state.0.pinned.clone();
        Callback::from(move |()| backend.request(Request::ReportXlsx(Box::new((*pinned).clone()))))
    };
    let on_pin_crosstab = {
        let on_pin = on_pin.clone();
        Callback::from(move |spec: CrosstabSpec| on_pin.emit(TableSpec::Crosstab(spec)))
    };
    let on_pin_national = {
        let on_pin = on_pin.clone();
        Callback::from(move |(measure, weight): (Measure, Option<String>)| {
            on_pin.emit(TableSpec::National {
                measure,
                weight,
                filter: None,
            })
        })
    };
    let on_codebook = {
        let backend = backend.clone();
        Callback::from(move |(name, bytes): (String, Vec<u8>)| {
            backend.request(Request::ApplyCodebook { name, bytes })
        })
    };
    let on_clear = {
        let state = state.dispatcher();
        let backend = backend.clone();
        let current = current.clone();
        Callback::from(move |()| {
            backend.clear();
            current.borrow_mut().file = None;
            state.dispatch(Action::Clear);
        })
    };
    let on_share = {
        let backend = backend.clone();
        let pinned = state.0.pinned.clone();
        Callback::from(move |()| backend.request(Request::ShareLink(Box::new((*pinned).clone()))))
    };
    let on_aggregate = {
        let backend = backend.clone();
        let pinned = state.0.pinned.clone();
        Callback::from(move |rules: crate::disclosure::Rules| {
            backend.request(Request::Aggregate {
                template: Box::new((*pinned).clone()),
                rules,
            })
        })
    };
    let on_cancel = {
        let backend = backend.clone();
        Callback::from(move |_: MouseEvent| backend.cancel())
    };

    // The page's language: `<html lang>` follows it (screen readers, fonts, hyphenation).
    use_effect_with(state.0.lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    let on_lang = {
        let dispatch = state.dispatcher();
        let other = state.0.lang.other();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLang(other)))
    };

    let s = &state.0;
    let has_data = !matches!(s.phase, Phase::Idle);
    let on_clear_header = {
        let on_clear = on_clear.clone();
        Callback::from(move |_: MouseEvent| on_clear.emit(()))
    };
    let lang = s.lang;
    let en = lang == Lang::En;
    let busy = matches!(s.phase, Phase::Reading { .. });
    let body = match &s.phase {
        // Other towns' aggregates can be compared before (or without) loading a survey.
        Phase::Idle if s.view == View::Municipalities => html! {
            <MunicipalView towns={s.towns.clone()} on_action={on_towns.clone()} />
        },
        Phase::Idle => html! {
            <nav class="views" aria-label={tr(lang, "表示の切り替え", "Views")}>
                <button type="button" class="button" id="view-municipalities" onclick={{
                    let on_view = on_view.clone();
                    Callback::from(move |_: MouseEvent| on_view.emit(View::Municipalities))
                }}>{ tr(lang, "市町村の比較（他の市町村の集計ファイルを並べる）", "Compare municipalities (other towns’ aggregate files)") }</button>
            </nav>
        },
        Phase::Reading {
            file_name,
            progress,
        } => {
            let left = progress
                .seconds_left()
                .map(|s| {
                    if en {
                        format!(", about {} s left", s.ceil() as u64)
                    } else {
                        format!("、残り約 {} 秒", s.ceil() as u64)
                    }
                })
                .unwrap_or_default();
            let reading = if en {
                format!(
                    "Reading “{file_name}”… {:.0}% ({} rows{left})",
                    progress.percent(),
                    format_int(progress.rows)
                )
            } else {
                format!(
                    "「{file_name}」を読み込んでいます… {:.0}%（{} 行{left}）",
                    progress.percent(),
                    format_int(progress.rows)
                )
            };
            html! {
                <section class="reading" role="status" aria-live="polite" id="reading">
                    <p>{ reading }</p>
                    <progress max="100" value={format!("{:.0}", progress.percent())}></progress>
                    <button type="button" class="button small" id="cancel-button" onclick={on_cancel}>{ tr(lang, "中止", "Cancel") }</button>
                </section>
            }
        }
        Phase::Failed { file_name, error } => html! {
            <section class="error" role="alert" id="read-error">
                if en {
                    <h2>{ format!("Could not read “{file_name}”") }</h2>
                    <p>{ error.en() }</p>
                } else {
                    <h2>{ format!("「{file_name}」を読み込めませんでした") }</h2>
                    <p>{ error.ja() }</p>
                    <p class="en" lang="en">{ error.en() }</p>
                }
            </section>
        },
        Phase::Ready(dataset) => {
            let model = s.model.clone();
            let question = model.as_ref().zip(s.selected.as_ref()).and_then(|(m, id)| {
                m.question(id)
                    .cloned()
                    .map(|q| (m.model.question(id).is_some(), q))
            });
            let view = question.map(|(editable, q)| {
                let tabs = s.tabulation.clone();
                let multiple = tabs.as_ref().is_some_and(|t| t.iter().any(|t| t.multiple));
                html! {
                    <section class="tabulation" aria-labelledby="tab-title">
                        <div class="title-row">
                            <h2 id="tab-title">{ &q.label }</h2>
                            if q.include {
                                <button type="button" class="button small" id="pin-question" onclick={{
                                    let on_pin = on_pin.clone();
                                    let id = q.id.clone();
                                    Callback::from(move |_: MouseEvent| on_pin.emit(TableSpec::Tabulation { question: id.clone(), weight: None, filter: None }))
                                }}>{ tr(lang, "レポートに追加", "Add to report") }</button>
                            }
                        </div>
                        <QuestionEditor question={q.clone()} {editable} on_change={on_question.clone()} />
                        if let Some(m) = model.clone() {
                            <DeriveForm model={m} question={q.clone()} on_change={on_model.clone()} />
                        }
                        if !q.include {
                            <p class="note" role="status" id="excluded-note">{ tr(lang, "この設問は集計から除いています（個人を特定できる情報・自由記述など）。", "This question is left out of the results (information that can identify a person, free text, etc.).") }</p>
                        } else if let Some(tabs) = tabs {
                            { for tabs.iter().map(|tab| html! {
                                <div class="tab-body">
                                    if tabs.len() > 1 { <h3>{ &tab.title }</h3> }
                                    <TabTable tab={tab.clone()} />
                                    <BarChart tab={tab.clone()} />
                                </div>
                            }) }
                            if multiple {
                                <p class="note">{ tr(lang, "複数回答のため、割合の合計は 100% を超えます。% は、いずれかを選んだ回答者に対する割合です。", "More than one answer could be chosen, so the percentages add up to more than 100%. % is of the respondents who chose at least one answer.") }</p>
                            } else {
                                <p class="note">{ tr(lang, "% は回答者全員（無回答を含む）に対する割合、有効% は無回答を除いた割合です。四捨五入のため合計が 100 にならないことがあります。", "% is of all respondents (including no answer); valid % leaves out no answer. Because of rounding, the total may not be exactly 100.") }</p>
                            }
                        } else {
                            <p class="note" role="status">{ tr(lang, "集計しています…", "Calculating…") }</p>
                        }
                    </section>
                }
            });
            html! {
                <>
                    <LoadSummary dataset={dataset.clone()} {on_clear} {on_reread}
                        header_confirmed={model.as_ref().is_some_and(|m| m.model.header_confirmed)} {on_confirm_header} />
                    <Preview dataset={dataset.clone()} />
                    if let Some(notice) = &s.notice {
                        <p class="error" role="alert">{ if en { &notice.1 } else { &notice.0 } }</p>
                    }
                    if let Some(m) = model.clone() {
                        <NationalPanel model={m.clone()} on_change={on_model.clone()} />
                        <CodebookBar model={m.clone()} on_import={on_codebook.clone()} />
                        <nav class="views" aria-label={tr(lang, "表示の切り替え", "Views")}>
                            { for View::ALL.iter().map(|v| {
                                let v = *v;
                                let on_view = on_view.clone();
                                let current = s.view == v;
                                html! {
                                    <button type="button" class={classes!("button", current.then_some("primary"))}
                                        aria-current={current.then_some("page")} id={format!("view-{v:?}").to_lowercase()}
                                        onclick={Callback::from(move |_: MouseEvent| on_view.emit(v))}>
                                        { v.name(lang) }
                                        if v == View::Report && !s.pinned.tables.is_empty() {
                                            { if en { format!(" ({})", s.pinned.tables.len()) } else { format!("（{}）", s.pinned.tables.len()) } }
                                        }
                                    </button>
                                }
                            }) }
                        </nav>
                        { match s.view {
                            View::Questions => html! {
                                <div class="workspace">
                                    <QuestionList model={m} selected={s.selected.clone()} {on_select} />
                                    { view.unwrap_or_default() }
                                </div>
                            },
                            View::Crosstab => html! {
                                <>
                                    <RakingPanel model={m.clone()} report={s.rake_report.clone()} on_rake={on_rake.clone()} />
                                    <CrosstabView model={m} result={s.crosstab.clone()} on_request={on_crosstab} on_pin={on_pin_crosstab} />
                                </>
                            },
                            View::Report => html! {
                                <>
                                    <ReportView pinned={s.pinned.clone()} report={s.report.clone()}
                                        file_name={dataset.file_name.trim_end_matches(".csv").to_string()}
                                        {on_unpin} on_title={on_report_title} {on_xlsx} />
                                    if !s.pinned.tables.is_empty() {
                                        <SharePanel link={s.sharing.link.clone()} on_make={on_share} />
                                        <AggregatePanel aggregate={s.sharing.aggregate.clone()} xlsx={s.sharing.aggregate_xlsx.clone()} on_make={on_aggregate} />
                                    }
                                </>
                            },
                            View::Municipalities => html! {
                                <MunicipalView towns={s.towns.clone()} own={s.sharing.aggregate.clone()} on_action={on_towns.clone()} />
                            },
                            View::National => html! {
                                <>
                                    <RakingPanel model={m.clone()} report={s.rake_report.clone()} on_rake={on_rake.clone()} />
                                    <NationalView model={m} result={s.comparison.clone()} on_request={on_compare} on_pin={on_pin_national} />
                                </>
                            },
                        } }
                    }
                </>
            }
        }
    };

    html! {
        <ContextProvider<Lang> context={lang}>
            <header class="site">
                <h1>{"つながり"}<span class="sub">{ tr(lang, "孤独・孤立に関する住民調査の集計", "Results of residents’ surveys on loneliness and isolation") }</span></h1>
                <button type="button" class="button small lang-toggle" id="lang-toggle" onclick={on_lang}
                    lang={lang.other().code()} aria-label={tr(lang, "Show the page in English", "日本語で表示")}>
                    { tr(lang, "English", "日本語") }
                </button>
                if has_data {
                    // Always in reach: the data lives only in this tab, and this forgets it.
                    <button type="button" class="button small" id="clear-data" onclick={on_clear_header}>
                        { tr(lang, "データを消去", "Clear the data") }
                    </button>
                }
            </header>
            <PrivacyNote />
            <SharedBanner opened={s.sharing.opened.clone()} open_error={s.sharing.open_error.clone()} applied={s.sharing.applied.clone()} />
            <DropZone {on_file} {on_sample} {busy} />
            { body }
        </ContextProvider<Lang>>
    }
}
