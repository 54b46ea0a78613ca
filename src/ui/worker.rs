//! The Web Worker: it reads the dropped file slice by slice straight from the `File`
//! (never one big string), keeps the table, and answers the page's requests. Messages in:
//! `{load: LoadRequest, file: File}` or `{request: Request}`; out: a `Reply`.
//! Reading is synchronous here (FileReaderSync), which is fine off the UI thread; the page
//! cancels by terminating the worker.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use super::marks::{now, Timing};
use crate::app::session::{LoadRequest, Reply, Request, Session};
use crate::ingest::{Loaded, ReadError};

/// Bytes per slice read from the File.
const SLICE: f64 = 2.0 * 1024.0 * 1024.0;
/// Progress messages at most this often.
const PROGRESS_EVERY_MS: f64 = 100.0;

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = Rc::new(RefCell::new(Session::default()));
    let reply_scope = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let get = |k: &str| {
            js_sys::Reflect::get(&data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
        let post = |reply: &Reply| {
            if let Ok(v) = serde_wasm_bindgen::to_value(reply) {
                let _ = reply_scope.post_message(&v);
            }
        };
        let file = get("file");
        if let Ok(file) = file.dyn_into::<web_sys::File>() {
            let load: LoadRequest = serde_wasm_bindgen::from_value(get("load")).unwrap_or_default();
            let start = now();
            let read = read(&file, &load, &post);
            let read_at = now();
            let reply = match read {
                Ok(loaded) => session.borrow_mut().loaded(loaded),
                Err(error) => Reply::Failed(error),
            };
            let inferred_at = now();
            let value = serde_wasm_bindgen::to_value(&reply);
            let timing = Timing {
                read: read_at - start,
                infer: inferred_at - read_at,
                encode: now() - inferred_at,
            };
            if let Ok(v) = value {
                let _ = reply_scope.post_message(&v);
            }
            // For `make bench-ui`: the page turns these into performance measures.
            if let Ok(t) = serde_wasm_bindgen::to_value(&timing) {
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"timing".into(), &t);
                let _ = reply_scope.post_message(&message);
            }
        } else if let Ok(request) = serde_wasm_bindgen::from_value::<Request>(get("request")) {
            post(&session.borrow_mut().handle(request));
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    warm_up();
    // Messages that arrived while the wasm was loading found no handler; the page holds
    // its messages until it hears this.
    if let Ok(v) = serde_wasm_bindgen::to_value(&Reply::Ready) {
        let _ = scope.post_message(&v);
    }
}

fn read(
    file: &web_sys::File,
    load: &LoadRequest,
    post: &dyn Fn(&Reply),
) -> Result<Loaded, ReadError> {
    let fail = |what: &str| ReadError::Browser {
        detail: format!(
            "ブラウザがファイルを読めませんでした / the browser could not read the file: {what}"
        ),
    };
    let sync = FileReaderSync::new().map_err(|_| fail("FileReaderSync"))?;
    let total = file.size();
    load.read_options().check_size(total as u64)?;
    let mut reader = load.reader();
    let mut offset = 0.0;
    let mut last_post = now();
    while offset < total {
        let end = (offset + SLICE).min(total);
        let blob = file
            .slice_with_f64_and_f64(offset, end)
            .map_err(|_| fail("slice"))?;
        let buffer = sync
            .read_as_array_buffer(&blob)
            .map_err(|_| fail("readAsArrayBuffer"))?;
        reader.push(&js_sys::Uint8Array::new(&buffer).to_vec())?;
        offset = end;
        if now() - last_post >= PROGRESS_EVERY_MS || offset >= total {
            last_post = now();
            post(&Reply::Progress {
                bytes: offset,
                total,
                rows: reader.rows_read(),
            });
        }
    }
    reader.finish()
}

/// Reads the bundled sample once and forgets it, before the worker says it is ready. A
/// fresh worker's wasm is compiled lazily, function by function on first call, and runs
/// in baseline code at first: without this the user's file paid for compiling the reader,
/// the inference and the reply's encoding (most of a small file's load in the worker).
/// It runs while the user looks at the results of the file before, or while the page
/// starts.
fn warm_up() {
    let load = LoadRequest::default();
    let mut reader = load.reader();
    let loaded = reader
        .push(&crate::sample::csv_bytes())
        .and_then(|_| reader.finish());
    if let Ok(loaded) = loaded {
        let mut session = Session::default();
        let reply = session.loaded(loaded);
        let _ = serde_wasm_bindgen::to_value(&reply);
        // The question the page asks for first.
        if let Reply::Loaded(_, model) = &reply {
            if let Some(id) = crate::app::state::default_question(model) {
                let first = session.handle(Request::TabulateQuestion { id });
                let _ = serde_wasm_bindgen::to_value(&first);
            }
        }
    }
}
