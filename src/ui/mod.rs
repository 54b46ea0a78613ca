//! The Yew app. It maps browser events to engine calls and renders the results; all the
//! logic it shows (reading, tabulating, chart geometry, page state) lives in the engine.

mod app;
mod components;
mod file_read;

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
