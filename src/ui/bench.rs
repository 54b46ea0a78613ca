//! The benchmark harness's page protocol (../shared/bench, "Plugging in a new page"):
//! with `?bench=1` the app publishes `window.__bench` and fills in its timings, so it is
//! timed exactly like the established tools. The load is the app's own path (the same
//! input, worker and engine a user gets); only the numbers are written down here.

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::analysis::crosstab::CrosstabCells;
use crate::app::session::Request;

thread_local! {
    static STARTED: Cell<f64> = const { Cell::new(0.0) };
    static LOADED: Cell<f64> = const { Cell::new(0.0) };
}

fn params() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

pub fn enabled() -> bool {
    params()
        .and_then(|p| p.get("bench"))
        .is_some_and(|v| v == "1")
}

fn bench() -> Option<JsValue> {
    let b = js_sys::Reflect::get(&js_sys::global(), &"__bench".into()).ok()?;
    (!b.is_undefined()).then_some(b)
}

fn set(key: &str, value: impl Into<JsValue>) {
    if let Some(b) = bench() {
        let _ = js_sys::Reflect::set(&b, &key.into(), &value.into());
    }
}

/// Publishes `window.__bench` in state `ready`, and starts the clock at the input's
/// `change` event (capturing, so before the app's own handler).
pub fn publish() {
    let b = js_sys::Object::new();
    let spec = js_sys::Object::new();
    let p = params();
    let get = |k: &str, d: &str| {
        p.as_ref()
            .and_then(|p| p.get(k))
            .unwrap_or_else(|| d.to_string())
    };
    let _ = js_sys::Reflect::set(&spec, &"row".into(), &get("row", "q1").into());
    let _ = js_sys::Reflect::set(&spec, &"col".into(), &get("col", "region").into());
    let _ = js_sys::Reflect::set(&spec, &"weight".into(), &get("weight", "weight").into());
    for (k, v) in [
        ("protocol", JsValue::from(1)),
        ("tool", "tsunagari".into()),
        ("version", env!("CARGO_PKG_VERSION").into()),
        ("input", "#file-input".into()),
        ("spec", spec.into()),
        ("init_ms", crate::ui::backend::now().into()),
        ("status", "ready".into()),
    ] {
        let _ = js_sys::Reflect::set(&b, &k.into(), &v);
    }
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__bench".into(), &b);
    let on_change = Closure::<dyn FnMut()>::new(|| {
        STARTED.with(|s| s.set(crate::ui::backend::now()));
        set("status", "running");
    });
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_capture(true);
    let _ = gloo::utils::document()
        .add_event_listener_with_callback_and_add_event_listener_options(
            "change",
            on_change.as_ref().unchecked_ref(),
            &opts,
        );
    on_change.forget();
}

/// The file is loaded: note the time and ask for the crosstab the harness checks.
pub fn loaded(rows: usize) -> Request {
    let t = crate::ui::backend::now();
    LOADED.with(|l| l.set(t));
    set("load_ms", t - STARTED.with(Cell::get));
    set("rows", rows as f64);
    if let Some(m) =
        web_sys::window().and_then(|w| js_sys::Reflect::get(&w, &"performance".into()).ok())
    {
        if let Ok(mem) = js_sys::Reflect::get(&m, &"memory".into()) {
            if let Ok(used) = js_sys::Reflect::get(&mem, &"usedJSHeapSize".into()) {
                let h = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&h, &"used".into(), &used);
                set("heap_after_load", h);
            }
        }
    }
    let p = params();
    let get = |k: &str, d: &str| {
        p.as_ref()
            .and_then(|p| p.get(k))
            .unwrap_or_else(|| d.to_string())
    };
    let weight = get("weight", "weight");
    Request::CrosstabCells {
        row: get("row", "q1"),
        col: get("col", "region"),
        weight: (!weight.is_empty()).then_some(weight),
    }
}

/// The crosstab arrived as JS values: note the time and the cells, and finish.
pub fn crosstab(result: &CrosstabCells) {
    let cells = js_sys::Object::new();
    for c in &result.cells {
        let pair = js_sys::Array::of2(&(c.count as f64).into(), &c.weight.into());
        let _ = js_sys::Reflect::set(&cells, &format!("{}|{}", c.row, c.col).into(), &pair);
    }
    set(
        "crosstab_ms",
        crate::ui::backend::now() - LOADED.with(Cell::get),
    );
    set("cells", cells);
    set("status", "done");
}

pub fn failed(message: &str) {
    set("error", message);
    set("status", "error");
}
