//! Performance marks for `make bench-ui` (scripts/ui-bench.mjs): where the time between a
//! drop and the first table goes. A mark costs a few microseconds, so they are always
//! set; the page and the worker each have their own timeline, so the worker's phases
//! travel to the page as durations (`Timing`) and become measures there.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's phases of one load, in milliseconds.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Timing {
    /// From the load message to the table read (slices, decoding, parsing).
    pub read: f64,
    /// Summary and question inference (`Session::loaded`).
    pub infer: f64,
    /// Turning the reply into a JS value for `postMessage`.
    pub encode: f64,
}

fn performance() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .filter(|p| !p.is_undefined())
}

fn call(method: &str, args: &[JsValue]) {
    let Some(p) = performance() else { return };
    let Ok(f) = js_sys::Reflect::get(&p, &method.into()) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let _ = f.apply(&p, &args.iter().collect::<js_sys::Array>());
}

/// `performance.mark("tsunagari:NAME")`.
pub fn mark(name: &str) {
    call("mark", &[format!("tsunagari:{name}").into()]);
}

/// A measure `tsunagari:NAME` of `duration` ms ending now (a phase timed elsewhere).
pub fn measure(name: &str, duration: f64) {
    let end = crate::ui::backend::now();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &(end - duration).into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &end.into());
    call(
        "measure",
        &[format!("tsunagari:{name}").into(), options.into()],
    );
}

/// The worker's phases, as measures on the page's timeline.
pub fn worker_timing(t: &Timing) {
    measure("worker-read", t.read);
    measure("worker-infer", t.infer);
    measure("worker-encode", t.encode);
}

/// Milliseconds on this thread's clock (page or worker).
pub fn now() -> f64 {
    performance()
        .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().map(|f| (p, f)))
        .and_then(|(p, f)| f.dyn_into::<js_sys::Function>().ok()?.call0(&p).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or_else(js_sys::Date::now)
}
