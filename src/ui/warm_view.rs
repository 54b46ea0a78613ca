//! A first drawing of the results, off the page, before any file comes: the bundled
//! sample's, from the replies of the reading worker's warm-up (`backend::warm_decoders`).
//!
//! Why: the browser compiles the page's wasm a function at a time, on first use, on the
//! page's thread, and lays out and shapes text in a new style on first use. The first
//! file's results took 68–144 ms to draw against 6–12 for the files after it
//! (`make bench-ui`). Drawn here once, off screen and hidden, laid out and removed
//! (nothing shows, nothing is announced to screen readers), the results of the first real
//! file are drawn with that code compiled and those styles and fonts ready.
//!
//! Only while the page is idle: once a file is being read (`stand_down`), nothing more is
//! drawn here. The drawing takes 65–96 ms of the page's thread here, in two tasks, once
//! per page, about half a second after it opened: a file dropped meanwhile waits for it.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use super::components::codebook_bar::CodebookBar;
use super::components::load_summary::LoadSummary;
use super::components::national_panel::NationalPanel;
use super::components::preview::Preview;
use super::components::question_list::QuestionList;
use super::components::question_view::QuestionView;
use super::components::view_nav::ViewNav;
use super::i18n::Lang;
use super::loader::Current;
use crate::app::session::Reply;
use crate::app::state::{AppState, Phase};

thread_local! {
    /// A file is being read (or was): the page is no longer idle.
    static STOOD_DOWN: Cell<bool> = const { Cell::new(false) };
}

/// A file is being read: no drawing here from now on.
pub fn stand_down() {
    STOOD_DOWN.with(|s| s.set(true));
}

/// Draws the results `replies` (the sample's `Loaded` and first tabulation) make, off the
/// page, once the page's thread is free (after the task that decoded them).
pub fn draw_soon(replies: Vec<Reply>) {
    gloo::timers::callback::Timeout::new(0, move || draw(replies)).forget();
}

fn draw(replies: Vec<Reply>) {
    if STOOD_DOWN.with(Cell::get) {
        return;
    }
    let current = Current {
        name: crate::sample::FILE_NAME.to_string(),
        fictitious: true,
        ..Current::default()
    };
    let state = replies
        .into_iter()
        .flat_map(|reply| super::replies::actions(reply, &current))
        .fold(AppState::default(), |state, action| state.apply(action));
    let document = gloo::utils::document();
    let (Ok(root), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    let started = super::marks::now();
    root.set_class_name("warm-view");
    if body.append_child(&root).is_err() {
        return;
    }
    let handle = yew::Renderer::<WarmResults>::with_root_and_props(
        root.clone(),
        WarmResultsProps {
            state: Rc::new(state),
        },
    )
    .render();
    // Yew draws in a microtask: after it, laid out (its styles matched, its text shaped
    // with the fonts it needs) and gone. Hidden all along (`visibility: hidden`, off
    // screen), it never shows and no accessibility tree holds it.
    gloo::timers::callback::Timeout::new(0, move || {
        let _ = root.client_height();
        handle.destroy();
        root.remove();
        super::marks::measure("warm-view", super::marks::now() - started);
    })
    .forget();
}

#[derive(Properties)]
struct WarmResultsProps {
    state: Rc<AppState>,
}

impl PartialEq for WarmResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

/// The results as `app::App` draws them for a file just read (its questions view), with
/// callbacks that do nothing.
#[function_component]
fn WarmResults(props: &WarmResultsProps) -> Html {
    let s = &props.state;
    let (Phase::Ready(dataset), Some(model)) = (&s.phase, &s.model) else {
        return Html::default();
    };
    let question = s.selected.as_ref().and_then(|id| {
        model
            .question(id)
            .cloned()
            .map(|q| (model.model.question(id).is_some(), q))
    });
    html! {
        <ContextProvider<Lang> context={s.lang}>
            <LoadSummary dataset={dataset.clone()} on_clear={Callback::noop()} on_reread={Callback::noop()} />
            <Preview dataset={dataset.clone()} />
            <NationalPanel model={model.clone()} on_change={Callback::noop()} />
            <CodebookBar model={model.clone()} on_import={Callback::noop()} />
            <ViewNav view={s.view} pinned={0} on_view={Callback::noop()} />
            <QuestionList model={model.clone()} selected={s.selected.clone()} on_select={Callback::noop()} />
            if let Some((editable, question)) = question {
                <QuestionView model={model.clone()} {question} {editable} tabulation={s.tabulation.clone()}
                    on_pin={Callback::noop()} on_question={Callback::noop()} on_model={Callback::noop()} />
            }
        </ContextProvider<Lang>>
    }
}
