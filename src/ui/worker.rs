//! The Web Worker: it reads the dropped file slice by slice straight from the `File`
//! (never one big string), keeps the table, and answers the page's requests. Messages in:
//! `{load: LoadRequest, file: File}` or `{request: Request}`; out: a `Reply`.
//! Slices are asked of the browser ahead of the parser (`Blob.arrayBuffer`, `AHEAD` in
//! flight): the browser reads the next ones from disk while this thread parses. With
//! `FileReaderSync` the thread waited for each slice instead, a fifth of a million-row
//! load in the profile. Messages that come during a load wait for it, in order, as they
//! did when the read was synchronous; the page cancels by terminating the worker.
//! This worker holds no workbook reader (built without the feature `workbooks`): a
//! workbook's bytes go back to the page (`Reply::ReadWorkbook`), and its sheet comes
//! back from the workbook module as `{sheet: SheetRead}` (`app::workbook_read`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::marks::{now, Timing};
use crate::app::session::{LoadRequest, Reply, Request, Session};
use crate::app::workbook_read::{SheetRead, WorkbookRead};
use crate::ingest::{Finished, ReadError};

/// Bytes per slice read from the File. 8 MiB, not 2: each slice is a round trip to the
/// browser's blob store, and the 1M bench file (158 MiB) loaded in 1,646 ms with 8 MiB
/// against 1,806 with 2 in the same harness run, for about 40 MiB more peak memory.
const SLICE: f64 = 8.0 * 1024.0 * 1024.0;
/// Slices asked of the browser before the parser needs them.
const AHEAD: usize = 3;
/// Progress messages at most this often.
const PROGRESS_EVERY_MS: f64 = 100.0;

/// The worker's state: the session, and the messages held while a file is read.
struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: RefCell<Session>,
    reading: Cell<bool>,
    waiting: RefCell<VecDeque<JsValue>>,
}

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        session: RefCell::new(Session::default()),
        reading: Cell::new(false),
        waiting: RefCell::new(VecDeque::new()),
    });
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        worker.receive(e.data());
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

impl Worker {
    fn post(&self, reply: &Reply) {
        if let Ok(v) = serde_wasm_bindgen::to_value(reply) {
            let _ = self.scope.post_message(&v);
        }
    }

    fn receive(self: &Rc<Self>, data: JsValue) {
        if self.reading.get() {
            self.waiting.borrow_mut().push_back(data);
            return;
        }
        let get = |k: &str| {
            js_sys::Reflect::get(&data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
        if let Ok(file) = get("file").dyn_into::<web_sys::File>() {
            let load: LoadRequest = serde_wasm_bindgen::from_value(get("load")).unwrap_or_default();
            self.reading.set(true);
            let this = Rc::clone(self);
            wasm_bindgen_futures::spawn_local(async move {
                this.load(&file, &load).await;
                this.reading.set(false);
                // What came meanwhile, in order; a load among it holds the rest again.
                loop {
                    let next = this.waiting.borrow_mut().pop_front();
                    match next {
                        Some(data) => this.receive(data),
                        None => break,
                    }
                    if this.reading.get() {
                        break;
                    }
                }
            });
        } else if let Ok(read) = serde_wasm_bindgen::from_value::<SheetRead>(get("sheet")) {
            let reply = self.session.borrow_mut().sheet(read);
            self.post(&reply);
        } else if let Ok(request) = serde_wasm_bindgen::from_value::<Request>(get("request")) {
            let reply = self.session.borrow_mut().handle(request);
            self.post(&reply);
        }
    }

    async fn load(&self, file: &web_sys::File, load: &LoadRequest) {
        let start = now();
        let read = read(file, load, &|r| self.post(r)).await;
        let read_at = now();
        let reply = match read {
            Ok(Finished::Loaded(loaded)) => self.session.borrow_mut().loaded(loaded),
            Ok(Finished::Workbook(bytes)) => {
                Reply::ReadWorkbook(Box::new(WorkbookRead::load(bytes, load)))
            }
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
            let _ = self.scope.post_message(&v);
        }
        // For `make bench-ui`: the page turns these into performance measures.
        if let Ok(t) = serde_wasm_bindgen::to_value(&timing) {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"timing".into(), &t);
            let _ = self.scope.post_message(&message);
        }
    }
}

async fn read(
    file: &web_sys::File,
    load: &LoadRequest,
    post: &dyn Fn(&Reply),
) -> Result<Finished, ReadError> {
    let fail = |what: &str| ReadError::Browser {
        detail: format!(
            "ブラウザがファイルを読めませんでした / the browser could not read the file: {what}"
        ),
    };
    let total = file.size();
    load.read_options().check_size(total as u64)?;
    let mut reader = load.reader();
    // Slices asked for and not yet parsed: where each ends, and its read in progress.
    let mut asked: VecDeque<(f64, JsFuture)> = VecDeque::new();
    let mut next = 0.0;
    let ask = |from: f64| -> Result<(f64, JsFuture), ReadError> {
        let end = (from + SLICE).min(total);
        let blob = file
            .slice_with_f64_and_f64(from, end)
            .map_err(|_| fail("slice"))?;
        Ok((end, JsFuture::from(blob.array_buffer())))
    };
    let mut bytes = Vec::new();
    let mut last_post = now();
    loop {
        while asked.len() < AHEAD && next < total {
            let (end, read) = ask(next)?;
            asked.push_back((end, read));
            next = end;
        }
        let Some((end, read)) = asked.pop_front() else {
            break;
        };
        let buffer = read.await.map_err(|_| fail("arrayBuffer"))?;
        // The next slice is asked for before this one is parsed.
        if next < total {
            let (end, read) = ask(next)?;
            asked.push_back((end, read));
            next = end;
        }
        let array = js_sys::Uint8Array::new(&buffer);
        bytes.resize(array.length() as usize, 0);
        array.copy_to(&mut bytes);
        reader.push(&bytes)?;
        if now() - last_post >= PROGRESS_EVERY_MS || end >= total {
            last_post = now();
            post(&Reply::Progress {
                bytes: end,
                total,
                rows: reader.rows_read(),
            });
        }
    }
    reader.finish_or_workbook()
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
        .and_then(|_| reader.finish_or_workbook());
    if let Ok(Finished::Loaded(loaded)) = loaded {
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
