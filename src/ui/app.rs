//! The page: header, privacy note, drop zone, then what was read and its tabulation.
//! `App` maps events to engine requests (through `Backend`) or `Action`s on the pure
//! `AppState`; replies come back as actions (`replies`), history is `history`, the
//! requests that follow the state are `effects`, reading a file is `loader`.

use std::rc::Rc;

use yew::prelude::*;

use super::backend::Backend;
use super::components::aggregate_panel::AggregatePanel;
use super::components::codebook_bar::CodebookBar;
use super::components::crosstab_view::CrosstabView;
use super::components::drop_zone::DropZone;
use super::components::link_matching::LinkMatching;
use super::components::load_summary::LoadSummary;
use super::components::municipal_view::MunicipalView;
use super::components::national_panel::NationalPanel;
use super::components::national_view::NationalView;
use super::components::preview::Preview;
use super::components::privacy_note::PrivacyNote;
use super::components::question_list::QuestionList;
use super::components::question_view::QuestionView;
use super::components::raking_panel::RakingPanel;
use super::components::read_failure::ReadFailure;
use super::components::reading_status::ReadingStatus;
use super::components::report_view::ReportView;
use super::components::share_panel::SharePanel;
use super::components::shared_banner::SharedBanner;
use super::components::site_header::SiteHeader;
use super::components::view_nav::ViewNav;
use super::hold::Hold;
use super::i18n::{tr, Lang};
use super::loader::{Current, Loader};
use super::{bench, effects, history, replies};
use crate::analysis::{CrosstabSpec, Measure, TableSpec};
use crate::app::session::{LoadRequest, ModelView, Request};
use crate::app::state::{Action, AppState, Phase, View};
use crate::model::SurveyModel;

/// Yew's reducer over the engine's pure state.
#[derive(Default)]
struct State(AppState);

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(State(self.0.apply(action)))
    }
}

/// A callback dispatching the action `f` makes of its event (todomvc's `make_callback`).
fn act<E: 'static>(dispatch: &Callback<Action>, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
    dispatch.reform(f)
}

/// A callback sending the engine the request `f` makes of its event.
fn ask<E: 'static>(backend: &Backend, f: impl Fn(E) -> Request + 'static) -> Callback<E> {
    let backend = backend.clone();
    Callback::from(move |e: E| backend.request(f(e)))
}

/// A callback sending the engine the model as `edit` changed it (when it did).
fn edit_model<E: 'static>(
    backend: &Backend,
    model: &Option<Rc<ModelView>>,
    edit: impl Fn(&mut SurveyModel, E) -> bool + 'static,
) -> Callback<E> {
    let backend = backend.clone();
    let model = model.clone();
    Callback::from(move |e: E| {
        if let Some(m) = &model {
            let mut model = m.model.clone();
            if edit(&mut model, e) {
                backend.request(Request::UpdateModel(Box::new(model)));
            }
        }
    })
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let dispatch = state.dispatcher().to_callback();
    let current = use_mut_ref(Current::default);
    let bench_mode = *use_memo((), |_| bench::enabled());
    let hold = use_memo((), {
        let dispatch = dispatch.clone();
        move |_| Hold::new(dispatch)
    });
    let backend = replies::use_backend(
        dispatch.clone(),
        current.clone(),
        (*hold).clone(),
        bench_mode,
    );
    let s = &state.0;

    effects::use_bench(bench_mode);
    effects::use_open_link(dispatch.clone());
    effects::use_engine_requests(s, &backend, &current);
    history::use_back_forward(dispatch.clone());
    effects::use_html_lang(s.lang);
    effects::use_focus_results(s.dataset().cloned());

    // Files.
    let loader = Loader {
        current,
        dispatch: dispatch.clone(),
        backend: backend.clone(),
        hold: (*hold).clone(),
    };
    let on_file = loader.callback(|l, file| l.load(file, false, LoadRequest::default()));
    let on_sample = loader.callback(|l, ()| l.sample());
    let on_reread = loader.callback(|l, request: LoadRequest| l.reread(request));
    let on_literal_quote = loader.callback(|l, at| l.read_quote_as_text(at, false));
    let on_literal_quote_failed = loader.callback(|l, at| l.read_quote_as_text(at, true));
    let on_dismiss_failure = act(&dispatch, |()| Action::DismissFailure);
    // Clearing forgets the pinned tables too (unless a link brought them): ask first.
    let on_clear = {
        let pinned = if s.sharing.opened.is_none() {
            s.pinned.tables.len()
        } else {
            0
        };
        let question = match s.lang {
            Lang::Ja => {
                format!("レポートに追加した表 {pinned} 個も消えます。データを消去しますか？")
            }
            Lang::En => format!(
                "The {pinned} table(s) added to the report will be lost too. Clear the data?"
            ),
        };
        loader.callback(move |l, ()| {
            let sure = pinned == 0
                || web_sys::window()
                    .and_then(|w| w.confirm_with_message(&question).ok())
                    .unwrap_or(false);
            if sure {
                l.clear();
            }
        })
    };
    let on_header_rows = loader.callback(|l, rows: usize| l.read_with_header_rows(rows));
    let on_cancel = {
        let backend = backend.clone();
        Callback::from(move |()| backend.cancel())
    };
    let on_lang = {
        let other = s.lang.other();
        act(&dispatch, move |()| Action::SetLang(other))
    };

    // Views and questions: each a history entry.
    let on_select = history::pushing(act(&dispatch, Action::Select), |id: &String| {
        (View::Questions, Some(id.clone()))
    });
    let on_view = {
        let selected = s.selected.clone();
        history::pushing(act(&dispatch, Action::Show), move |v: &View| {
            (*v, selected.clone())
        })
    };

    // The model.
    let on_model = ask(&backend, |m: SurveyModel| Request::UpdateModel(Box::new(m)));
    let on_question = edit_model(&backend, &s.model, |m, q: crate::model::Question| {
        match m.question_mut(&q.id) {
            Some(slot) => {
                *slot = q;
                true
            }
            None => false,
        }
    });
    // 「1行目は見出しです」: the user's own confirmation, kept in the model.
    let on_confirm_header = edit_model(&backend, &s.model, |m, confirmed: bool| {
        m.header_confirmed = confirmed;
        true
    });
    // A codebook may reveal what a link opened before needs (the national items of a coded
    // file): the link's setup goes on again after it (the worker answers in order).
    let on_codebook = {
        let backend = backend.clone();
        let opened = s.sharing.opened.clone();
        let map = s.sharing.map.clone();
        Callback::from(move |(name, bytes): (String, Vec<u8>)| {
            backend.request(Request::ApplyCodebook { name, bytes });
            if let Some(setup) = &opened {
                backend.request(Request::ApplySetup {
                    setup: Box::new((**setup).clone()),
                    map: (*map).clone(),
                });
            }
        })
    };

    // The matching screen: the user's choice; the setup goes on again with it.
    let on_match = act(&dispatch, |(shared, mine): (String, String)| {
        Action::Match { shared, mine }
    });

    // Analyses.
    let on_towns = act(&dispatch, Action::Towns);
    let on_crosstab = ask(&backend, |spec: CrosstabSpec| {
        Request::Crosstab(Box::new(spec))
    });
    let on_compare = ask(&backend, |(measure, weight): (Measure, Option<String>)| {
        Request::Compare { measure, weight }
    });
    let on_rake = ask(&backend, |d: crate::model::Derived| {
        Request::Rake(Box::new(d))
    });

    // The report and what is made of its tables.
    let on_pin = act(&dispatch, Action::Pin);
    let on_pin_crosstab = act(&dispatch, |spec: CrosstabSpec| {
        Action::Pin(TableSpec::Crosstab(spec))
    });
    let on_pin_national = act(&dispatch, |(measure, weight): (Measure, Option<String>)| {
        Action::Pin(TableSpec::National {
            measure,
            weight,
            filter: None,
        })
    });
    let on_unpin = act(&dispatch, Action::Unpin);
    let on_report_title = act(&dispatch, Action::ReportTitle);
    let pinned = s.pinned.clone();
    let on_xlsx = {
        let pinned = pinned.clone();
        // The workbook in the page's language, as the report on the page.
        let lang = s.lang;
        ask(&backend, move |()| {
            Request::ReportXlsx(Box::new((*pinned).clone()), lang)
        })
    };
    let on_share = {
        let pinned = pinned.clone();
        ask(&backend, move |()| {
            Request::ShareLink(Box::new((*pinned).clone()))
        })
    };
    let on_aggregate = ask(
        &backend,
        move |(rules, municipality): (crate::disclosure::Rules, String)| Request::Aggregate {
            template: Box::new((*pinned).clone()),
            rules,
            municipality,
        },
    );

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
                <button type="button" class="button" id="view-municipalities" onclick={on_view.reform(|_: MouseEvent| View::Municipalities)}>
                    { tr(lang, "市町村の比較（他の市町村の集計ファイルを並べる）", "Compare municipalities (other towns’ aggregate files)") }
                </button>
            </nav>
        },
        Phase::Reading {
            file_name,
            progress,
        } => html! {
            <ReadingStatus file_name={file_name.clone()} progress={*progress} {on_cancel} />
        },
        Phase::Failed { file_name, error } => html! {
            <ReadFailure file_name={file_name.clone()} error={error.clone()} on_literal_quote={on_literal_quote_failed.clone()} />
        },
        Phase::Ready(dataset) => {
            let model = s.model.clone();
            let question = model.as_ref().zip(s.selected.as_ref()).and_then(|(m, id)| {
                m.question(id)
                    .cloned()
                    .map(|q| (m.model.question(id).is_some(), q))
            });
            html! {
                <>
                    if let Some((name, error)) = &s.failure {
                        <ReadFailure file_name={name.clone()} error={error.clone()} on_literal_quote={on_literal_quote_failed}
                            kept={Some(dataset.file_name.clone())} on_dismiss={Some(on_dismiss_failure)} />
                    }
                    <LoadSummary dataset={dataset.clone()} on_clear={on_clear.clone()} {on_reread} {on_literal_quote} {on_header_rows}
                        header_confirmed={model.as_ref().is_some_and(|m| m.model.header_confirmed)} {on_confirm_header} />
                    <Preview dataset={dataset.clone()} />
                    if let Some(notice) = &s.notice {
                        <p class="error" role="alert">{ if en { &notice.en } else { &notice.ja } }</p>
                    }
                    if let Some(m) = model {
                        <NationalPanel model={m.clone()} on_change={on_model.clone()} />
                        <CodebookBar model={m.clone()} on_import={on_codebook} />
                        <h2 id="results" class="results-heading" tabindex="-1">{ tr(lang, "集計結果", "Results") }</h2>
                        <ViewNav view={s.view} pinned={s.pinned.tables.len()} on_view={on_view.clone()} />
                        { match s.view {
                            View::Questions => html! {
                                <div class="workspace">
                                    <QuestionList model={m.clone()} selected={s.selected.clone()} {on_select} />
                                    if let Some((editable, q)) = question {
                                        <QuestionView model={m} question={q} {editable} tabulation={s.tabulation.clone()}
                                            {on_pin} {on_question} on_model={on_model.clone()} />
                                    }
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
                                        <AggregatePanel aggregate={s.sharing.aggregate.clone()} xlsx={s.sharing.aggregate_xlsx.clone()} default_name={s.pinned.title.clone()} on_make={on_aggregate} />
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
            if matches!(s.phase, Phase::Ready(_)) {
                <a class="skip-link" href="#results">{ tr(lang, "集計結果へ移動", "Skip to the results") }</a>
            }
            <SiteHeader has_data={!matches!(s.phase, Phase::Idle)} {on_lang} {on_clear} />
            <PrivacyNote />
            <SharedBanner opened={s.sharing.opened.clone()} open_error={s.sharing.open_error.clone()} applied={s.sharing.applied.clone()} />
            if let Some(matching) = s.sharing.matching.clone() {
                <LinkMatching {matching} on_choose={on_match} />
            }
            <DropZone {on_file} {on_sample} {busy} />
            { body }
        </ContextProvider<Lang>>
    }
}
