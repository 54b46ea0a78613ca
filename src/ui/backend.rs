//! Where the engine runs for the page. Normally a Web Worker that reads the file and holds
//! the table, so the page stays responsive; where workers can't run (the single-file app
//! opened from file://, component tests) the same `Session` runs in the page, reading the
//! File in slices with a yield between them. The page sees the same `Reply`s either way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::ingest::{Loaded, ReadError};
use crate::session::{LoadRequest, Reply, Request, Session};

/// Bytes per slice when reading in the page (small enough to keep each step short).
const SLICE: f64 = 1024.0 * 1024.0;

#[derive(Clone)]
pub struct Backend {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

struct Inner {
    /// The worker script, announced by `<meta name="tsunagari-worker">` (absent in the
    /// single-file app).
    worker_url: Option<String>,
    worker: Option<Worker>,
    /// Whether the worker said `Ready`; until then messages wait in `pending`.
    ready: bool,
    pending: Vec<JsValue>,
    /// Counts loads: replies of an earlier load (a cancelled one) are ignored.
    generation: u64,
    session: Rc<RefCell<Session>>,
    cancel: Rc<Cell<bool>>,
    on_reply: Callback<Reply>,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Backend {
    pub fn new(on_reply: Callback<Reply>) -> Self {
        let worker_url = gloo::utils::document()
            .query_selector("meta[name='tsunagari-worker']")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .filter(|u| !u.is_empty());
        Backend {
            inner: Rc::new(RefCell::new(Inner {
                worker_url,
                worker: None,
                ready: false,
                pending: Vec::new(),
                generation: 0,
                session: Rc::new(RefCell::new(Session::default())),
                cancel: Rc::new(Cell::new(false)),
                on_reply,
                handlers: Vec::new(),
            })),
        }
    }

    /// Reads `file` and keeps its table; replies come through `on_reply`.
    pub fn load(&self, file: web_sys::File, load: LoadRequest) {
        self.stop();
        let mut inner = self.inner.borrow_mut();
        inner.generation += 1;
        let generation = inner.generation;
        if let Some(url) = inner.worker_url.clone() {
            match self.spawn(&mut inner, &url, generation) {
                Ok(worker) => {
                    let message = js_sys::Object::new();
                    let load = serde_wasm_bindgen::to_value(&load).unwrap_or(JsValue::NULL);
                    let _ = js_sys::Reflect::set(&message, &"load".into(), &load);
                    let _ = js_sys::Reflect::set(&message, &"file".into(), &file);
                    inner.worker = Some(worker);
                    inner.send(message.into());
                }
                Err(error) => inner.on_reply.emit(Reply::Failed(error)),
            }
            return;
        }
        let cancel = Rc::new(Cell::new(false));
        inner.cancel = cancel.clone();
        let session = inner.session.clone();
        let this = self.clone();
        drop(inner);
        wasm_bindgen_futures::spawn_local(async move {
            let progress = {
                let this = this.clone();
                move |reply: Reply| this.emit(generation, reply)
            };
            let reply = match read_in_page(&file, &load, &cancel, &progress).await {
                Ok(loaded) => session.borrow_mut().loaded(loaded),
                Err(error) => Reply::Failed(error),
            };
            this.emit(generation, reply);
        });
    }

    /// Asks the engine about the loaded table.
    pub fn request(&self, request: Request) {
        let mut inner = self.inner.borrow_mut();
        match &inner.worker {
            Some(_) => {
                let message = js_sys::Object::new();
                let value = serde_wasm_bindgen::to_value(&request).unwrap_or(JsValue::NULL);
                let _ = js_sys::Reflect::set(&message, &"request".into(), &value);
                inner.send(message.into());
            }
            None => {
                let reply = inner.session.borrow().handle(&request);
                let on_reply = inner.on_reply.clone();
                drop(inner);
                on_reply.emit(reply);
            }
        }
    }

    /// Stops a running load: the worker is terminated (with its data), in-page reading
    /// stops at the next slice.
    pub fn cancel(&self) {
        self.stop();
        let mut inner = self.inner.borrow_mut();
        inner.generation += 1;
        let on_reply = inner.on_reply.clone();
        drop(inner);
        on_reply.emit(Reply::Failed(ReadError::Cancelled));
    }

    /// Forgets the data: the worker and its memory go, the in-page session is emptied.
    pub fn clear(&self) {
        self.stop();
        let mut inner = self.inner.borrow_mut();
        inner.generation += 1;
        *inner.session.borrow_mut() = Session::default();
    }

    fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.cancel.set(true);
        if let Some(worker) = inner.worker.take() {
            worker.terminate();
        }
        inner.ready = false;
        inner.pending.clear();
        inner.handlers.clear();
    }

    fn worker_ready(&self, generation: u64) {
        let mut inner = self.inner.borrow_mut();
        if inner.generation == generation {
            inner.ready = true;
            for message in std::mem::take(&mut inner.pending) {
                inner.send(message);
            }
        }
    }

    fn emit(&self, generation: u64, reply: Reply) {
        let on_reply = {
            let inner = self.inner.borrow();
            if inner.generation != generation {
                return;
            }
            inner.on_reply.clone()
        };
        on_reply.emit(reply);
    }

    fn spawn(&self, inner: &mut Inner, url: &str, generation: u64) -> Result<Worker, ReadError> {
        let worker = Worker::new(url).map_err(|e| ReadError::Browser {
            detail: format!("作業用スレッド（Web Worker）を起動できませんでした / could not start the worker: {e:?}"),
        })?;
        let this = self.clone();
        let onmessage = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let data = e.unchecked_into::<MessageEvent>().data();
            match serde_wasm_bindgen::from_value::<Reply>(data) {
                Ok(Reply::Ready) => this.worker_ready(generation),
                Ok(reply) => this.emit(generation, reply),
                Err(e) => this.emit(
                    generation,
                    Reply::Refused {
                        message_ja: format!("内部エラー: {e}"),
                        message_en: format!("internal error: {e}"),
                    },
                ),
            }
        });
        let this = self.clone();
        let onerror = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_default();
            this.emit(
                generation,
                Reply::Failed(ReadError::Browser {
                    detail: format!("作業用スレッドが止まりました（メモリ不足の可能性があります）/ the worker stopped (perhaps out of memory): {message}"),
                }),
            );
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        inner.handlers.push(onmessage);
        inner.handlers.push(onerror);
        Ok(worker)
    }
}

impl Inner {
    fn send(&mut self, message: JsValue) {
        match &self.worker {
            Some(worker) if self.ready => {
                let _ = worker.post_message(&message);
            }
            Some(_) => self.pending.push(message),
            None => {}
        }
    }
}

/// Reads a File in slices on the page's own thread, yielding between slices.
async fn read_in_page(
    file: &web_sys::File,
    load: &LoadRequest,
    cancel: &Cell<bool>,
    progress: &dyn Fn(Reply),
) -> Result<Loaded, ReadError> {
    let total = file.size();
    load.read_options().check_size(total as u64)?;
    let mut reader = load.reader();
    let mut offset = 0.0;
    while offset < total {
        if cancel.get() {
            return Err(ReadError::Cancelled);
        }
        let end = (offset + SLICE).min(total);
        reader.push(&slice_bytes(file, offset, end).await?)?;
        offset = end;
        progress(Reply::Progress {
            bytes: offset,
            total,
            rows: reader.rows_read(),
        });
    }
    reader.finish()
}

async fn slice_bytes(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, ReadError> {
    let fail = |what: &str| ReadError::Browser {
        detail: format!(
            "ブラウザがファイルを読めませんでした / the browser could not read the file: {what}"
        ),
    };
    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| fail("slice"))?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| fail("arrayBuffer"))?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().map_err(|_| fail("ArrayBuffer"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
