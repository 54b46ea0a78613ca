//! The xlsx writer's Web Worker (wasm32, built by trunk): started by the page on the first
//! 「Excel で保存」, so a first visit doesn't download the writer. Everything is in
//! `tsunagari::ui::xlsx_worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    tsunagari::ui::xlsx_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("tsunagari-xlsx runs in the browser only.");
}
