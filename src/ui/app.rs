//! The page: header, privacy note, drop zone, then what was read and its tabulation.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::bar_chart::BarChart;
use super::components::column_list::ColumnList;
use super::components::drop_zone::DropZone;
use super::components::load_summary::{format_int, LoadSummary};
use super::components::privacy_note::PrivacyNote;
use super::components::tab_table::TabTable;
use super::file_read::{read_file, Progress};
use crate::app_state::{Action, AppState, Phase};
use crate::ingest::{read_bytes, ReadOptions};
use crate::tabulate::{tabulate, Order};

/// Yew's reducer over the engine's pure state.
#[derive(Default)]
struct State(AppState);

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(self.0.apply(action)))
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let progress = use_state(|| None::<Progress>);
    let cancel = use_mut_ref(|| Rc::new(Cell::new(false)));

    let on_file = {
        let state = state.dispatcher();
        let progress = progress.clone();
        let cancel = cancel.clone();
        Callback::from(move |file: web_sys::File| {
            let file_name = file.name();
            let flag = Rc::new(Cell::new(false));
            *cancel.borrow_mut() = flag.clone();
            state.dispatch(Action::Start {
                file_name: file_name.clone(),
            });
            let state = state.clone();
            let progress = progress.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let p = progress.clone();
                let result =
                    read_file(file, ReadOptions::default(), flag, move |x| p.set(Some(x))).await;
                progress.set(None);
                state.dispatch(match result {
                    Ok(loaded) => Action::Loaded {
                        file_name,
                        fictitious: false,
                        loaded,
                    },
                    Err(error) => Action::Failed { file_name, error },
                });
            });
        })
    };
    let on_sample = {
        let state = state.dispatcher();
        Callback::from(move |()| {
            let file_name = crate::sample::FILE_NAME.to_string();
            let bytes = crate::sample::csv_bytes();
            state.dispatch(match read_bytes(&bytes, ReadOptions::default()) {
                Ok(loaded) => Action::Loaded {
                    file_name,
                    fictitious: true,
                    loaded,
                },
                Err(error) => Action::Failed { file_name, error },
            });
        })
    };
    let on_select = {
        let state = state.dispatcher();
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
    };
    let on_clear = {
        let state = state.dispatcher();
        Callback::from(move |()| state.dispatch(Action::Clear))
    };
    let on_cancel = {
        let cancel = cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.borrow().set(true))
    };

    let s = &state.0;
    let busy = matches!(s.phase, Phase::Reading { .. });
    let body = match &s.phase {
        Phase::Idle => html! {},
        Phase::Reading { file_name } => {
            let (pct, rows) = match *progress {
                Some(p) if p.total > 0.0 => (p.bytes / p.total * 100.0, p.rows),
                _ => (0.0, 0),
            };
            html! {
                <section class="reading" role="status" aria-live="polite">
                    <p>{ format!("「{file_name}」を読み込んでいます… {pct:.0}%（{} 行）", format_int(rows)) }</p>
                    <progress max="100" value={format!("{pct:.0}")}></progress>
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
            let view = selected.and_then(|i| dataset.loaded.table.columns.get(i)).map(|column| {
                let tab = tabulate(column, Order::Natural);
                html! {
                    <section class="tabulation" aria-labelledby="tab-title">
                        <h2 id="tab-title">{ &column.name }</h2>
                        <div class="tab-body">
                            <TabTable tab={tab.clone()} />
                            <BarChart {tab} />
                        </div>
                        <p class="note">{"% は回答者全員（無回答を含む）に対する割合です。四捨五入のため合計が 100 にならないことがあります。"}</p>
                    </section>
                }
            });
            html! {
                <>
                    <LoadSummary dataset={dataset.clone()} {on_clear} />
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
