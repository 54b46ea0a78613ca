//! The Web Worker's entry point (wasm32, built by trunk). It reads the file and keeps the
//! table; the page only sends requests and gets results. Everything is in
//! `tsunagari::ui::worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    tsunagari::ui::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("tsunagari-worker runs in the browser only.");
}
