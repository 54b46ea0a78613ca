//! What the page does when its state changes: the engine requests that follow the state
//! (not a click), the share link in the address, `<html lang>`, the bench's hooks.

use yew::prelude::*;

use std::cell::RefCell;
use std::rc::Rc;

use super::backend::Backend;
use super::bench;
use super::loader::Current;
use crate::app::session::Request;
use crate::app::state::{Action, AppState, View};
use crate::app::Lang;

/// `?bench=1`: `window.__bench` for the harness.
#[hook]
pub fn use_bench(on: bool) {
    use_effect_with(on, |&on| {
        if on {
            bench::publish();
        }
    });
}

/// A share link in the address (#s1.…): the engine reads the setup it carries. The
/// fragment never reaches a server; it holds no response (see `share::redact`).
#[hook]
pub fn use_open_link(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let hash = gloo::utils::window().location().hash().unwrap_or_default();
        if crate::share::link::is_link(&hash) {
            dispatch.emit(Action::OpenLink(crate::share::decode(&hash)));
        }
    });
}

/// The requests the state calls for, in this order when several change at once.
#[hook]
pub fn use_engine_requests(s: &AppState, backend: &Backend, current: &Rc<RefCell<Current>>) {
    // Each file loaded after a link was opened gets its setup, and again with the user's
    // matches each time they change one (the tables follow the model).
    {
        let backend = backend.clone();
        let opened = s.sharing.opened.clone();
        use_effect_with(
            (s.dataset().cloned(), s.sharing.map.clone()),
            move |(dataset, map)| {
                if let (Some(_), Some(setup)) = (dataset, opened) {
                    backend.request(Request::ApplySetup {
                        setup: Box::new((*setup).clone()),
                        map: (**map).clone(),
                    });
                }
            },
        );
    }
    // The selected question's tabulation whenever the selection, the data or the model
    // changes (but for the first one after a load, asked for when the file came: `replies`).
    {
        let backend = backend.clone();
        let current = current.clone();
        use_effect_with(
            (s.model.clone(), s.selected.clone()),
            move |(model, selected)| {
                let asked = current.borrow_mut().tabulation_asked.take();
                if let (Some(_), Some(id)) = (model, selected) {
                    if asked.as_ref() != Some(id) {
                        backend.request(Request::TabulateQuestion { id: id.clone() });
                    }
                }
            },
        );
    }
    // Replies see whether a shared setup is open (then the first table follows the setup).
    {
        let current = current.clone();
        let open = s.sharing.opened.is_some();
        use_effect_with(open, move |&open| current.borrow_mut().setup_open = open);
    }
    // The report page's tables whenever the pinned list or the data changes.
    {
        let backend = backend.clone();
        let on = s.view == View::Report && s.model.is_some();
        use_effect_with(
            (s.pinned.clone(), on, s.model.clone()),
            move |(pinned, on, _)| {
                if *on && !pinned.tables.is_empty() {
                    backend.request(Request::RunReport(Box::new((**pinned).clone())));
                }
            },
        );
    }
    // The comparison of municipalities shows one's own data beside the files loaded: the
    // pinned tables' aggregates, made when that view opens.
    {
        let backend = backend.clone();
        let wanted = s.view == View::Municipalities
            && s.model.is_some()
            && !s.pinned.tables.is_empty()
            && s.sharing.aggregate.is_none();
        use_effect_with((s.pinned.clone(), wanted), move |(pinned, wanted)| {
            if *wanted {
                backend.request(Request::Aggregate {
                    template: Box::new((**pinned).clone()),
                    rules: crate::disclosure::Rules::default(),
                    municipality: pinned.title.clone(),
                });
            }
        });
    }
}

/// The page's language: `<html lang>` follows it (screen readers, fonts, hyphenation).
#[hook]
pub fn use_html_lang(lang: Lang) {
    use_effect_with(lang, |lang| {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    });
}

/// After a file is read, focus and view move to where its results start (`#results`),
/// so the keyboard does not begin again at the top of the page; when the reading has
/// warnings (a runaway quote, a header that looks like data) they come first
/// (`#file-name`, the summary that lists them).
#[hook]
pub fn use_focus_results(dataset: Option<std::rc::Rc<crate::app::state::Dataset>>) {
    use_effect_with(dataset, |dataset| {
        if let Some(d) = dataset {
            super::marks::mark("loaded-rendered");
            let target = if d.summary.warnings.is_empty() {
                "results"
            } else {
                "file-name"
            };
            if let Some(el) = gloo::utils::document()
                .get_element_by_id(target)
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
                el.scroll_into_view();
            }
        }
    });
}
