//! The Yew app and its Web Worker. The page maps browser events to engine requests and
//! renders the results; the worker (or, where workers can't run, the page itself) holds
//! the data and runs the engine. All logic shown lives in the engine.

mod app;
mod backend;
mod bench;
mod components;
mod effects;
mod history;
mod hold;
mod i18n;
mod loader;
mod marks;
mod replies;
mod warm_view;
pub mod worker;
pub mod xlsx_worker;

pub use app::App;

/// Mounts the app on the page's `<main id="app">`.
pub fn start() {
    let document = gloo::utils::document();
    match document.get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
