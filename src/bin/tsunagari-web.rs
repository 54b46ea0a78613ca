//! The web app's entry point (wasm32, built by trunk). Everything is in `tsunagari::ui`.

#[cfg(target_arch = "wasm32")]
fn main() {
    tsunagari::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("tsunagari-web is the browser app: build it with `make serve` or `make dist`.");
}
