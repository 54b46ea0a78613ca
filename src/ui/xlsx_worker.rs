//! The workbook module's Web Worker (binary `tsunagari-xlsx`): the third module, which the
//! page starts on the first workbook dropped or picked as a codebook, or the first
//! 「Excel で保存」, not on every visit (issue 16: the xlsx writer, rust_xlsxwriter with zip
//! and zopfli, was a fifth of the reading worker's wasm, the workbook reader, calamine, an
//! eighth). Messages in: a [`Job`]. Out: for `Write`, the reply the page shows
//! (`Workbook::write`: `File`, `Aggregated` or `Refused`); for `Read`, `{sheet: SheetRead}`,
//! which the page passes on to the reading worker as it is (`app::workbook_read`). It holds
//! no data between messages and makes no request.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::app::session::Reply;
use crate::app::workbook::Workbook;
use crate::app::workbook_read::WorkbookRead;

/// What the page asks of the workbook module.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Job {
    /// A workbook the engine made, to write.
    Write(Workbook),
    /// A workbook the engine was given, to read into its sheet's cells.
    Read(WorkbookRead),
}

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        match serde_wasm_bindgen::from_value::<Job>(e.data()) {
            Ok(Job::Write(book)) => post(&post_scope, &book.write()),
            #[cfg(feature = "workbooks")]
            Ok(Job::Read(read)) => {
                let message = js_sys::Object::new();
                let sheet = serde_wasm_bindgen::to_value(&read.read()).unwrap_or(JsValue::NULL);
                let _ = js_sys::Reflect::set(&message, &"sheet".into(), &sheet);
                let _ = post_scope.post_message(&message);
            }
            // Only the reading worker's build is without the workbook reader.
            #[cfg(not(feature = "workbooks"))]
            Ok(Job::Read(_)) => post(
                &post_scope,
                &Reply::Refused(crate::message::Message::internal("no workbook reader")),
            ),
            Err(e) => post(
                &post_scope,
                &Reply::Refused(crate::message::Message::internal(e)),
            ),
        }
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
