//! The xlsx writer's Web Worker (binary `tsunagari-xlsx`): the third module, which the
//! page starts on the first 「Excel で保存」, not on every visit (issue 16: the writer,
//! rust_xlsxwriter with zip and zopfli, was a fifth of the worker's wasm). Message in: a
//! `Workbook` (`app::workbook`) the engine made; out: the reply the page shows
//! (`Workbook::write`: `File`, `Aggregated` or `Refused`). It holds no data between
//! messages and makes no request.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::app::session::Reply;
use crate::app::workbook::Workbook;

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let reply = match serde_wasm_bindgen::from_value::<Workbook>(e.data()) {
            Ok(book) => book.write(),
            Err(e) => Reply::Refused(crate::message::Message::internal(e)),
        };
        post(&post_scope, &reply);
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    // The page holds its messages until it hears this.
    post(&scope, &Reply::Ready);
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    if let Ok(v) = serde_wasm_bindgen::to_value(reply) {
        let _ = scope.post_message(&v);
    }
}
