//! Browser back/forward between the views and questions. Each step the user takes pushes
//! one history entry holding only the view and the question id: never a value of the
//! data, and the URL itself is left alone.

use yew::prelude::*;

use crate::app::state::{Action, View};

/// What a history entry remembers: the view and the question, nothing of the data.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    view: View,
    question: Option<String>,
}

/// Pushes the entry for `view` with `question` selected.
pub fn push(view: View, question: Option<String>) {
    let entry = Entry { view, question };
    if let Ok(v) = serde_wasm_bindgen::to_value(&entry) {
        let _ = gloo::utils::window()
            .history()
            .map(|h| h.push_state(&v, ""));
    }
}

/// `then`, after pushing the entry `entry` makes of the event.
pub fn pushing<E: 'static>(
    then: Callback<E>,
    entry: impl Fn(&E) -> (View, Option<String>) + 'static,
) -> Callback<E> {
    Callback::from(move |e: E| {
        let (view, question) = entry(&e);
        push(view, question);
        then.emit(e);
    })
}

/// Back and forward show the entry's view, then select its question.
#[hook]
pub fn use_back_forward(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let listener =
            gloo::events::EventListener::new(&gloo::utils::window(), "popstate", move |e| {
                let e: &web_sys::PopStateEvent = wasm_bindgen::JsCast::unchecked_ref(e);
                if let Ok(entry) = serde_wasm_bindgen::from_value::<Entry>(e.state()) {
                    dispatch.emit(Action::Show(entry.view));
                    if let Some(id) = entry.question {
                        dispatch.emit(Action::Select(id));
                    }
                }
            });
        move || drop(listener)
    });
}
