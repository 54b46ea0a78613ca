//! The page: header, privacy note, drop zone, then what was read and its tabulation.
//! Events become engine requests (through `Backend`) or `Action`s on the pure `AppState`.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::backend::{now, Backend};
use super::bench;
use super::components::bar_chart::BarChart;
use super::components::column_list::ColumnList;
use super::components::drop_zone::DropZone;
use super::components::load_summary::{format_int, LoadSummary};
use super::components::preview::Preview;
use super::components::privacy_note::PrivacyNote;
use super::components::tab_table::TabTable;
use crate::app_state::{Action, AppState, Phase, Progress};
use crate::session::{LoadRequest, Reply, Request};
use crate::tabulate::Order;

/// Yew's reducer over the engine's pure state.
#[derive(Default)]
struct State(AppState);

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(self.0.apply(action)))
    }
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
            Reply::Loaded(summary) => {
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
                });
            }
            Reply::Failed(error) => {
                if bench_mode {
                    bench::failed(&error.en());
                }
                let file_name = current.borrow().name.clone();
                dispatch.dispatch(Action::Failed { file_name, error });
            }
            Reply::Tabulation(t) => dispatch.dispatch(Action::Tabulated(t)),
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
                dispatch.dispatch(Action::Refused(format!("{message_ja} / {message_en}")));
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

    // Ask the engine for the selected column's tabulation whenever the selection or the
    // data changes.
    {
        let backend = backend.clone();
        let dataset = state.0.dataset().cloned();
        use_effect_with((dataset, state.0.selected), move |(dataset, selected)| {
            if let (Some(_), Some(column)) = (dataset, selected) {
                backend.request(Request::Tabulate {
                    column: *column,
                    order: Order::Natural,
                });
            }
        });
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
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
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
    let on_cancel = {
        let backend = backend.clone();
        Callback::from(move |_: MouseEvent| backend.cancel())
    };

    let s = &state.0;
    let busy = matches!(s.phase, Phase::Reading { .. });
    let body = match &s.phase {
        Phase::Idle => html! {},
        Phase::Reading {
            file_name,
            progress,
        } => {
            let left = progress
                .seconds_left()
                .map(|s| format!("、残り約 {} 秒", s.ceil() as u64))
                .unwrap_or_default();
            html! {
                <section class="reading" role="status" aria-live="polite" id="reading">
                    <p>{ format!("「{file_name}」を読み込んでいます… {:.0}%（{} 行{left}）", progress.percent(), format_int(progress.rows)) }</p>
                    <progress max="100" value={format!("{:.0}", progress.percent())}></progress>
                    <button type="button" class="button small" id="cancel-button" onclick={on_cancel}>{"中止"}</button>
                </section>
            }
        }
        Phase::Failed { file_name, error } => html! {
            <section class="error" role="alert" id="read-error">
                <h2>{ format!("「{file_name}」を読み込めませんでした") }</h2>
                <p>{ error.ja() }</p>
                <p class="en" lang="en">{ error.en() }</p>
            </section>
        },
        Phase::Ready(dataset) => {
            let selected = s.selected;
            let view = selected.and_then(|i| dataset.summary.columns.get(i)).map(|column| {
                let tab = s.tabulation.as_ref().filter(|t| t.column == column.name);
                html! {
                    <section class="tabulation" aria-labelledby="tab-title">
                        <h2 id="tab-title">{ &column.name }</h2>
                        if let Some(tab) = tab {
                            <div class="tab-body">
                                <TabTable tab={(**tab).clone()} />
                                <BarChart tab={(**tab).clone()} />
                            </div>
                            <p class="note">{"% は回答者全員（無回答を含む）に対する割合です。四捨五入のため合計が 100 にならないことがあります。"}</p>
                        } else {
                            <p class="note" role="status">{"集計しています…"}</p>
                        }
                    </section>
                }
            });
            html! {
                <>
                    <LoadSummary dataset={dataset.clone()} {on_clear} {on_reread} />
                    <Preview dataset={dataset.clone()} />
                    if let Some(notice) = &s.notice {
                        <p class="error" role="alert">{ notice }</p>
                    }
                    <div class="workspace">
                        <ColumnList dataset={dataset.clone()} {selected} {on_select} />
                        { view.unwrap_or_default() }
                    </div>
                </>
            }
        }
    };

    html! {
        <>
            <header class="site">
                <h1>{"つながり"}<span class="sub">{"孤独・孤立に関する住民調査の集計"}</span></h1>
            </header>
            <PrivacyNote />
            <DropZone {on_file} {on_sample} {busy} />
            { body }
        </>
    }
}
