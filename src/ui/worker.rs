//! The Web Worker: it reads the dropped file slice by slice (never one big string), keeps
//! the table, and answers the page's requests. Messages in: `{load: LoadRequest, file:
//! File}` or `{request: Request}`, and the slices it asked for, `{sliceFrom, slice:
//! ArrayBuffer}` (or `{sliceFrom, error}`); out: a `Reply`, or `{want, wantTo}` asking the
//! page for the bytes `want..wantTo` of the file.
//! Slices are asked for ahead of the parser (`AHEAD` in flight), and the page's thread
//! reads them (`Backend::feed`) while this one parses: a `Blob` read asked for here moved
//! its data on this thread, so it progressed only while the parser waited (about 15 % of a
//! 1M-row load idle in a trace); with `FileReaderSync` the thread waited for each slice, a
//! fifth of such a load. Other messages that come during a load wait for it, in order, as
//! they did when the read was synchronous; the page cancels by terminating the worker.
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
/// The first slice is smaller, so the parse starts sooner: the worker waits, idle, for
/// the first slice to be read whole (the page reads it as it sends the load,
/// `Backend::load`).
pub const FIRST_SLICE: f64 = 1024.0 * 1024.0;
/// Bytes copied from a slice into wasm memory and parsed at a time (the native bench's
/// and the CLI's chunk).
const PIECE: u32 = 1 << 20;
/// Slices asked of the browser before the parser needs them.
const AHEAD: usize = 3;
/// Progress messages at most this often.
const PROGRESS_EVERY_MS: f64 = 100.0;
/// Rows of the bundled sample read by the warm-up: enough to run every step of a load
/// once, few enough that no function runs long enough to be recompiled by the optimising
/// compiler meanwhile (see `warm_up`).
const WARM_ROWS: usize = 40;

/// The worker's state: the session, and the messages held while a file is read.
struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: RefCell<Session>,
    reading: Cell<bool>,
    waiting: RefCell<VecDeque<JsValue>>,
    /// Slices asked of the page and not yet come: where each starts, and the resolve and
    /// reject of the promise the read waits on.
    asked: RefCell<Vec<(f64, js_sys::Function, js_sys::Function)>>,
}

pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        session: RefCell::new(Session::default()),
        reading: Cell::new(false),
        waiting: RefCell::new(VecDeque::new()),
        asked: RefCell::new(Vec::new()),
    });
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        worker.receive(e.data());
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let warm = warm_up().await;
        // Messages that arrived while the wasm was loading found no handler; the page
        // holds its messages until it hears this.
        if let Ok(v) = serde_wasm_bindgen::to_value(&Reply::Ready) {
            let _ = scope.post_message(&v);
        }
        // The warm-up's replies, for the page to compile its decoders on (`Backend`'s
        // `warm_decoders`): its first file's `Loaded` took 26–33 ms to decode, half of it
        // compiling.
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"warm".into(), &warm.into());
        let _ = scope.post_message(&message);
    });
}

impl Worker {
    fn post(&self, reply: &Reply) {
        if let Ok(v) = serde_wasm_bindgen::to_value(reply) {
            let _ = self.scope.post_message(&v);
        }
    }

    /// Asks the page for the bytes `from..to` of the file (see the module's comment); the
    /// promise is settled when they come (`receive`).
    fn ask_page(&self, from: f64, to: f64) -> JsFuture {
        let mut settle = None;
        let promise = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        if let Some((resolve, reject)) = settle {
            self.asked.borrow_mut().push((from, resolve, reject));
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"want".into(), &from.into());
        let _ = js_sys::Reflect::set(&message, &"wantTo".into(), &to.into());
        let _ = self.scope.post_message(&message);
        JsFuture::from(promise)
    }

    fn receive(self: &Rc<Self>, data: JsValue) {
        let get = |k: &str| {
            js_sys::Reflect::get(&data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
        };
        // A slice the read asked for: it goes to the read at once.
        if let Some(from) = get("sliceFrom").as_f64() {
            let mut asked = self.asked.borrow_mut();
            if let Some(i) = asked.iter().position(|(f, ..)| *f == from) {
                let (_, resolve, reject) = asked.remove(i);
                drop(asked);
                let slice = get("slice");
                let _ = match slice.is_instance_of::<js_sys::ArrayBuffer>() {
                    true => resolve.call1(&JsValue::NULL, &slice),
                    false => reject.call1(&JsValue::NULL, &get("error")),
                };
            }
            return;
        }
        if self.reading.get() {
            self.waiting.borrow_mut().push_back(data);
            return;
        }
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
        let read = read(file.size(), load, &|r| self.post(r), &|from, to| {
            self.ask_page(from, to)
        })
        .await;
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

/// Reads a file of `total` bytes, its slices asked of `ask_page`.
async fn read(
    total: f64,
    load: &LoadRequest,
    post: &dyn Fn(&Reply),
    ask_page: &dyn Fn(f64, f64) -> JsFuture,
) -> Result<Finished, ReadError> {
    let fail = |what: &str| ReadError::Browser {
        detail: format!(
            "ブラウザがファイルを読めませんでした / the browser could not read the file: {what}"
        ),
    };
    load.read_options().check_size(total as u64)?;
    let mut reader = load.reader();
    // Slices asked for and not yet parsed: where each ends, and its read in progress.
    let mut asked: VecDeque<(f64, JsFuture)> = VecDeque::new();
    let mut next = 0.0;
    let ask = |from: f64| -> (f64, JsFuture) {
        let end = (from + if from == 0.0 { FIRST_SLICE } else { SLICE }).min(total);
        (end, ask_page(from, end))
    };
    let mut bytes = Vec::new();
    let mut last_post = now();
    loop {
        while asked.len() < AHEAD && next < total {
            let (end, read) = ask(next);
            asked.push_back((end, read));
            next = end;
        }
        let Some((end, read)) = asked.pop_front() else {
            break;
        };
        let buffer = read
            .await
            .map_err(|e| fail(&e.as_string().unwrap_or_else(|| "arrayBuffer".to_string())))?;
        // The next slice is asked for before this one is parsed.
        if next < total {
            let (end, read) = ask(next);
            asked.push_back((end, read));
            next = end;
        }
        // Copied into wasm memory a piece at a time and parsed at once, while the piece is
        // still in the cache (not the whole slice copied, then read back from memory).
        let slice = js_sys::Uint8Array::new(&buffer);
        let length = slice.length();
        let mut at = 0;
        while at < length {
            let n = PIECE.min(length - at);
            bytes.resize(n as usize, 0);
            slice.subarray(at, at + n).copy_to(&mut bytes);
            reader.push(&bytes)?;
            at += n;
        }
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

/// Reads four CP932 rows and the bundled sample's first rows (`WARM_ROWS`) once and
/// forgets them, before the worker says it is ready. A fresh worker's wasm is compiled
/// lazily, function by function on first call, and runs in baseline code at first:
/// without this the user's file paid for compiling the reader, the inference and the
/// reply's encoding (most of a small file's load in the worker). It runs while the user
/// looks at the results of the file before, or while the page starts. The requests go through the message's decoding as the
/// page's do: the first question's table, which the page asks for with every file, and a
/// weighted crosstab of raw cells (a sample column as the weight: only the code path
/// matters), which the bench's page asks for first (its reply took 13–33 ms after a 10k
/// load, 6 of them compiling). Returns the replies as sent.
async fn warm_up() -> js_sys::Array {
    let replies = js_sys::Array::new();
    // Staff's files are mostly CP932, and paper surveys' answers integer codes (with 9 for
    // no answer): their detection, decoding and inference, compiled now (in a trace of
    // the 10k file's load in a warmed worker, the missing codes' guess alone compiled for
    // 16 ms).
    if let Ok(Finished::Loaded(loaded)) = read_here(crate::sample::CP932_ROWS).await {
        let _ = Session::default().loaded(loaded);
    }
    let sample = crate::sample::csv_rows(WARM_ROWS);
    let Ok(Finished::Loaded(loaded)) = read_here(&sample).await else {
        return replies;
    };
    let name = |i: usize| loaded.table.columns.get(i).map(|c| c.name.clone());
    let crosstab = match (name(1), name(2), name(0)) {
        (Some(row), Some(col), weight @ Some(_)) => {
            Some(Request::CrosstabCells { row, col, weight })
        }
        _ => None,
    };
    let mut session = Session::default();
    let reply = session.loaded(loaded);
    if let Ok(v) = serde_wasm_bindgen::to_value(&reply) {
        replies.push(&v);
    }
    let first = match &reply {
        Reply::Loaded(_, model) => {
            crate::app::state::default_question(model).map(|id| Request::TabulateQuestion { id })
        }
        _ => None,
    };
    for request in first.into_iter().chain(crosstab) {
        let Ok(message) = serde_wasm_bindgen::to_value(&request) else {
            continue;
        };
        if let Ok(request) = serde_wasm_bindgen::from_value::<Request>(message) {
            if let Ok(v) = serde_wasm_bindgen::to_value(&session.handle(request)) {
                replies.push(&v);
            }
        }
    }
    replies
}

/// Reads `bytes` the way a dropped file is read (`read`: slices, pieces, the async
/// machinery around them), the page's part played here.
async fn read_here(bytes: &[u8]) -> Result<Finished, ReadError> {
    let ask = |from: f64, to: f64| {
        let slice = js_sys::Uint8Array::from(&bytes[from as usize..to as usize]);
        let buffer: JsValue = slice.buffer().into();
        JsFuture::from(js_sys::Promise::resolve(&buffer))
    };
    read(bytes.len() as f64, &LoadRequest::default(), &|_| {}, &ask).await
}
