//! Where the engine runs for the page: a Web Worker that reads the file and holds the
//! table, so the page stays responsive. The served page names the worker's script in
//! `<meta name="tsunagari-worker">`; the single-file app names a `blob:` URL it made from
//! the worker's script and wasm inlined in the HTML (scripts/post-build.mjs).
//!
//! Only with the cargo feature `in-page` (the component tests, tests/web_ui.rs, which have
//! no worker) does the same `Session` run in the page instead, reading the File in slices
//! with a yield between them. The page's own wasm is built without it: the engine (readers,
//! the Excel writer, the statistics) is then not in the page's module at all, which is most
//! of what a first visit downloads. The page sees the same `Reply`s either way.
//!
//! The first worker is started by the start-up script before the app itself loads
//! (scripts/post-build.mjs) and adopted here, so a file dropped as soon as the page is
//! ready does not wait for the worker's wasm.
//!
//! Each file gets a fresh worker, so nothing of an earlier file stays in memory; the next
//! one is started while the user looks at the results, so a drop doesn't wait for a worker
//! to load its wasm. It is started after the first answer to a request about the file
//! just read (or a moment after the load), not at once: compiling a worker's wasm takes a
//! core, and on a two-core machine that delayed the first table and crosstab.
//!
//! A workbook the engine made comes back unwritten (`Reply::Write`), and a workbook it was
//! given comes back unread (`Reply::ReadWorkbook`: a dropped .xlsx, a codebook): a third
//! module, the workbook module's worker (`<meta name="tsunagari-xlsx">`,
//! `ui::xlsx_worker`), is started on the first one and kept for the next. Its reply to a
//! write (`File`, `Aggregated`) is what the page gets; its reply to a read, the sheet's
//! cells (`{sheet: …}`), goes on as it is to the worker that asked. A first visit thus
//! downloads neither the xlsx writer nor the workbook reader.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::app::session::{LoadRequest, Reply, Request};
use crate::app::workbook_read::Purpose;
use crate::ingest::ReadError;
#[cfg(feature = "in-page")]
use crate::{app::session::Session, app::workbook_read::WorkbookRead, ingest::Finished};

use super::xlsx_worker::Job;

/// Bytes per slice when reading in the page (small enough to keep each step short).
#[cfg(feature = "in-page")]
const SLICE: f64 = 1024.0 * 1024.0;
/// When no request follows a load, the next worker starts this long after it.
const SPARE_AFTER_LOAD_MS: u32 = 1000;

#[derive(Clone)]
pub struct Backend {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// One started worker.
struct Slot {
    id: u64,
    worker: Worker,
    /// Whether it said `Ready`; until then messages wait in `pending`.
    ready: bool,
    /// Whether it holds a file it read (it said `Loaded`).
    loaded: bool,
    /// The file it was given to read: the page reads the slices the worker asks for
    /// (`feed`).
    file: Option<web_sys::File>,
    /// The read of the file's first slice, started with the load, before the worker asks
    /// for it: where it ends, and the `arrayBuffer()` promise.
    first: Option<(f64, js_sys::Promise)>,
    pending: Vec<JsValue>,
    _handlers: [Closure<dyn FnMut(JsValue)>; 2],
}

impl Slot {
    /// A worker just started, its handlers set: not ready, holding nothing yet.
    fn new(id: u64, worker: Worker, handlers: [Closure<dyn FnMut(JsValue)>; 2]) -> Self {
        Slot {
            id,
            worker,
            ready: false,
            loaded: false,
            file: None,
            first: None,
            pending: Vec::new(),
            _handlers: handlers,
        }
    }

    fn send(&mut self, message: JsValue) {
        if self.ready {
            let _ = self.worker.post_message(&message);
        } else {
            self.pending.push(message);
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        // Its data goes with it.
        self.worker.terminate();
    }
}

struct Inner {
    /// The worker script, announced by `<meta name="tsunagari-worker">` (a `blob:` URL in
    /// the single-file app; absent in the component tests).
    worker_url: Option<String>,
    /// The worker holding the current file (or reading the next one).
    active: Option<Slot>,
    /// While another file is read, the worker holding the one shown: it becomes active
    /// again if that file can't be read (the page shows it again, see
    /// `AppState::previous`), and goes, with its data, once the new file is read.
    previous: Option<Slot>,
    /// A started worker waiting for the next file.
    spare: Option<Slot>,
    /// The workbook module's script (`<meta name="tsunagari-xlsx">`), and its worker once
    /// the first workbook asked for it; for each job sent to it (it answers in order), the
    /// generation it was asked in, so a workbook of data since cleared is not shown nor a
    /// sheet of a load since cancelled read, and whether it reads a dropped file (its
    /// failure is then the load's).
    writer_url: Option<String>,
    writer: Option<Slot>,
    writing: VecDeque<(u64, bool)>,
    /// A file was read and the spare worker waits for the first answer about it.
    spare_after_answer: bool,
    next_id: u64,
    /// In-page mode: counts loads, so replies of a cancelled one are ignored.
    generation: u64,
    #[cfg(feature = "in-page")]
    session: Rc<RefCell<Session>>,
    cancel: Rc<Cell<bool>>,
    on_reply: Callback<Reply>,
}

impl Backend {
    pub fn new(on_reply: Callback<Reply>) -> Self {
        let meta = |name: &str| {
            gloo::utils::document()
                .query_selector(&format!("meta[name='{name}']"))
                .ok()
                .flatten()
                .and_then(|m| m.get_attribute("content"))
                .filter(|u| !u.is_empty())
        };
        let worker_url = meta("tsunagari-worker");
        let writer_url = meta("tsunagari-xlsx");
        let backend = Backend {
            inner: Rc::new(RefCell::new(Inner {
                worker_url,
                active: None,
                previous: None,
                spare: None,
                writer_url,
                writer: None,
                writing: VecDeque::new(),
                spare_after_answer: false,
                next_id: 0,
                generation: 0,
                #[cfg(feature = "in-page")]
                session: Rc::new(RefCell::new(Session::default())),
                cancel: Rc::new(Cell::new(false)),
                on_reply,
            })),
        };
        backend.prepare_spare();
        backend
    }

    /// Reads `file` and keeps its table; replies come through `on_reply`.
    pub fn load(&self, file: web_sys::File, load: LoadRequest) {
        let mut inner = self.inner.borrow_mut();
        inner.cancel.set(true);
        inner.generation += 1;
        let generation = inner.generation;
        // A workbook by its name: the workbook module starts while the worker reads the
        // file (the first .xlsx's drop → table took 314 ms against 133 before the reader
        // left the worker, the module fetched and compiled only once the worker asked).
        let book_url = inner.writer_url.is_some() && inner.writer.is_none();
        if book_url && crate::ingest::named_like_workbook(&file.name()) {
            if let Ok(slot) = self.spawn_writer(&mut inner) {
                inner.writer = Some(slot);
            }
        }
        if inner.worker_url.is_some() {
            // The worker of the file shown is kept until the next one is read; a worker
            // still reading another file is stopped.
            if let Some(active) = inner.active.take() {
                if active.loaded {
                    inner.previous = Some(active);
                }
            }
            let slot = match inner.spare.take() {
                Some(slot) => Ok(slot),
                None => self.spawn(&mut inner),
            };
            match slot {
                Ok(mut slot) => {
                    let message = js_sys::Object::new();
                    let load = serde_wasm_bindgen::to_value(&load).unwrap_or(JsValue::NULL);
                    let _ = js_sys::Reflect::set(&message, &"load".into(), &load);
                    let _ = js_sys::Reflect::set(&message, &"file".into(), &file);
                    slot.send(message.into());
                    // The worker's first ask is for this slice: its read starts now, not a
                    // round trip to the worker later.
                    let to = super::worker::FIRST_SLICE.min(file.size());
                    slot.first = file
                        .slice_with_f64_and_f64(0.0, to)
                        .ok()
                        .map(|blob| (to, blob.array_buffer()));
                    slot.file = Some(file);
                    super::marks::mark("load-sent");
                    inner.active = Some(slot);
                }
                Err(error) => {
                    let on_reply = inner.on_reply.clone();
                    drop(inner);
                    on_reply.emit(Reply::Failed(error));
                }
            }
            return;
        }
        #[cfg(not(feature = "in-page"))]
        {
            let _ = (file, load, generation);
            let on_reply = inner.on_reply.clone();
            drop(inner);
            on_reply.emit(Reply::Failed(no_worker()));
        }
        #[cfg(feature = "in-page")]
        self.load_in_page(inner, file, load, generation);
    }

    /// Reads `file` on the page's own thread (feature `in-page`: no worker).
    #[cfg(feature = "in-page")]
    fn load_in_page(
        &self,
        mut inner: std::cell::RefMut<'_, Inner>,
        file: web_sys::File,
        load: LoadRequest,
        generation: u64,
    ) {
        let cancel = Rc::new(Cell::new(false));
        inner.cancel = cancel.clone();
        let session = inner.session.clone();
        let this = self.clone();
        drop(inner);
        wasm_bindgen_futures::spawn_local(async move {
            let progress = {
                let this = this.clone();
                move |reply: Reply| this.emit_in_page(generation, reply)
            };
            let reply = match read_in_page(&file, &load, &cancel, &progress).await {
                Ok(Finished::Loaded(loaded)) => session.borrow_mut().loaded(loaded),
                Ok(Finished::Workbook(bytes)) => session
                    .borrow_mut()
                    .sheet(WorkbookRead::load(bytes, &load).read()),
                Err(error) => Reply::Failed(error),
            };
            this.emit_in_page(generation, reply);
        });
    }

    /// Asks the engine about the loaded table.
    pub fn request(&self, request: Request) {
        if let Request::TabulateQuestion { .. } = request {
            super::marks::mark("tabulate-sent");
        }
        let mut inner = self.inner.borrow_mut();
        if inner.worker_url.is_some() {
            if let Some(slot) = inner.active.as_mut() {
                let message = js_sys::Object::new();
                let value = serde_wasm_bindgen::to_value(&request).unwrap_or(JsValue::NULL);
                let _ = js_sys::Reflect::set(&message, &"request".into(), &value);
                slot.send(message.into());
            }
            return;
        }
        #[cfg(feature = "in-page")]
        {
            let reply = inner.session.borrow_mut().handle(request);
            let on_reply = inner.on_reply.clone();
            drop(inner);
            self.emit(on_reply, reply);
        }
        // No worker and no engine in the page: no file was read, so there is nothing to ask
        // about (`load` said so already).
        #[cfg(not(feature = "in-page"))]
        let _ = (inner, request);
    }

    /// Stops a running load: the worker reading is terminated (with its data), in-page
    /// reading stops at the next slice; the file shown before stays.
    pub fn cancel(&self) {
        let on_reply = {
            let mut inner = self.inner.borrow_mut();
            inner.cancel.set(true);
            inner.generation += 1;
            inner.active = inner.previous.take();
            inner.on_reply.clone()
        };
        self.prepare_spare();
        on_reply.emit(Reply::Failed(ReadError::Cancelled));
    }

    /// Forgets the data: the worker and its memory go, the in-page session is emptied.
    pub fn clear(&self) {
        self.forget();
    }

    fn forget(&self) {
        {
            let mut inner = self.inner.borrow_mut();
            inner.cancel.set(true);
            inner.generation += 1;
            inner.active = None;
            inner.previous = None;
            #[cfg(feature = "in-page")]
            {
                *inner.session.borrow_mut() = Session::default();
            }
        }
        self.prepare_spare();
    }

    /// Starts the worker for the next file, unless one is waiting already.
    fn prepare_spare(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.worker_url.is_none() || inner.spare.is_some() {
            return;
        }
        if let Ok(slot) = self.spawn(&mut inner) {
            inner.spare = Some(slot);
        }
    }

    /// A message from worker `id`: passed on if it is the active worker's.
    fn from_worker(&self, id: u64, reply: Reply) {
        let on_reply = {
            let mut guard = self.inner.borrow_mut();
            let inner = &mut *guard;
            if let Reply::Ready = reply {
                for slot in [inner.active.as_mut(), inner.spare.as_mut()]
                    .into_iter()
                    .flatten()
                {
                    if slot.id == id {
                        slot.ready = true;
                        for message in std::mem::take(&mut slot.pending) {
                            slot.send(message);
                        }
                    }
                }
                return;
            }
            if inner.active.as_ref().map(|s| s.id) != Some(id) {
                return;
            }
            match &reply {
                Reply::Progress { .. } => {}
                Reply::Loaded(..) => {
                    if let Some(active) = inner.active.as_mut() {
                        active.loaded = true;
                    }
                    // The file shown before goes with its worker.
                    inner.previous = None;
                    inner.spare_after_answer = true;
                }
                // The first answer about the file is shown: now the next worker may start.
                r if inner.spare_after_answer && !matches!(r, Reply::Failed(_)) => {
                    inner.spare_after_answer = false;
                    self.prepare_spare_after(0);
                }
                // The file could not be read: the one shown before is active again.
                Reply::Failed(_) if inner.previous.is_some() => {
                    inner.active = inner.previous.take();
                }
                _ => {}
            }
            inner.on_reply.clone()
        };
        let loaded = matches!(reply, Reply::Loaded(..));
        let failed = matches!(reply, Reply::Failed(_));
        self.emit(on_reply, reply);
        if failed {
            self.prepare_spare();
        } else if loaded {
            // In case no request follows the load.
            self.prepare_spare_after(SPARE_AFTER_LOAD_MS);
        }
    }

    /// Starts the next worker after `ms` (0: once the page has handled what is queued,
    /// e.g. rendered the answer just received).
    fn prepare_spare_after(&self, ms: u32) {
        let this = self.clone();
        gloo::timers::callback::Timeout::new(ms, move || this.prepare_spare()).forget();
    }

    #[cfg(feature = "in-page")]
    fn emit_in_page(&self, generation: u64, reply: Reply) {
        let on_reply = {
            let inner = self.inner.borrow();
            if inner.generation != generation {
                return;
            }
            inner.on_reply.clone()
        };
        on_reply.emit(reply);
    }

    /// A reply of the engine to the page; a workbook to write or to read goes to the
    /// workbook module first.
    fn emit(&self, on_reply: Callback<Reply>, reply: Reply) {
        match reply {
            Reply::Write(book) => self.to_workbook_module(Job::Write(*book)),
            Reply::ReadWorkbook(read) => self.to_workbook_module(Job::Read(*read)),
            reply => on_reply.emit(reply),
        }
    }

    /// A workbook to write or read: in the workbook module's worker, started on the first
    /// one; in the page itself with the engine there (feature `in-page`).
    fn to_workbook_module(&self, job: Job) {
        let load = matches!(&job, Job::Read(r) if r.purpose == Purpose::Load);
        if self.inner.borrow().writer_url.is_some() {
            // As `Job::Read` is encoded (only that variant: `Job::Write` comes encoded
            // already, `module_job`).
            let message = js_sys::Object::new();
            if let Job::Read(read) = &job {
                let read = serde_wasm_bindgen::to_value(read).unwrap_or(JsValue::NULL);
                let _ = js_sys::Reflect::set(&message, &"Read".into(), &read);
            }
            self.module_job(message.into(), load);
            return;
        }
        let on_reply = self.inner.borrow().on_reply.clone();
        #[cfg(feature = "in-page")]
        let session = self.inner.borrow().session.clone();
        #[cfg(feature = "in-page")]
        on_reply.emit(match job {
            Job::Write(book) => book.write(),
            Job::Read(read) => session.borrow_mut().sheet(read.read()),
        });
        #[cfg(not(feature = "in-page"))]
        {
            let _ = job;
            on_reply.emit(Reply::Refused(no_writer("")));
        }
    }

    /// Sends an encoded `Job` to the workbook module's worker, started on the first one
    /// (`load`: it reads a dropped file).
    fn module_job(&self, message: JsValue, load: bool) {
        let mut guard = self.inner.borrow_mut();
        let inner = &mut *guard;
        if inner.writer.is_none() {
            match self.spawn_writer(inner) {
                Ok(slot) => inner.writer = Some(slot),
                Err(e) => {
                    let active = inner.active.as_ref().map(|s| s.id);
                    let on_reply = inner.on_reply.clone();
                    drop(guard);
                    self.workbook_module_failed(on_reply, active, load, e);
                    return;
                }
            }
        }
        inner.writing.push_back((inner.generation, load));
        if let Some(writer) = inner.writer.as_mut() {
            writer.send(message);
        }
    }

    /// The workbook module could not start or stopped: a dropped workbook's load failed
    /// (the file shown before comes back, as for any file that can't be read); a workbook
    /// to write or a codebook is refused.
    fn workbook_module_failed(
        &self,
        on_reply: Callback<Reply>,
        active: Option<u64>,
        load: bool,
        e: crate::message::Message,
    ) {
        match active {
            Some(id) if load => self.from_worker(
                id,
                Reply::Failed(ReadError::Browser {
                    detail: format!("{} / {}", e.ja, e.en),
                }),
            ),
            _ => on_reply.emit(Reply::Refused(e)),
        }
    }

    /// The xlsx writer's worker: its replies go to the page as the engine's would.
    fn spawn_writer(&self, inner: &mut Inner) -> Result<Slot, crate::message::Message> {
        let url = inner.writer_url.clone().unwrap_or_default();
        let worker = Worker::new(&url).map_err(|e| no_writer(&format!("{e:?}")))?;
        let this = self.clone();
        let onmessage = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let data = e.unchecked_into::<MessageEvent>().data();
            // A sheet read: passed on as it is (the page never decodes it) to the worker
            // that asked, unless that load was cancelled or another file dropped since.
            if js_sys::Reflect::has(&data, &"sheet".into()).unwrap_or(false) {
                let mut guard = this.inner.borrow_mut();
                let inner = &mut *guard;
                if inner.writing.pop_front().map(|w| w.0) == Some(inner.generation) {
                    if let Some(active) = inner.active.as_mut() {
                        active.send(data);
                    }
                }
                return;
            }
            let reply = decode_reply(data);
            let on_reply = {
                let mut guard = this.inner.borrow_mut();
                let inner = &mut *guard;
                if let Reply::Ready = reply {
                    if let Some(writer) = inner.writer.as_mut() {
                        writer.ready = true;
                        for message in std::mem::take(&mut writer.pending) {
                            writer.send(message);
                        }
                    }
                    return;
                }
                // Asked about data that is still shown.
                if inner.writing.pop_front().map(|w| w.0) != Some(inner.generation) {
                    return;
                }
                inner.on_reply.clone()
            };
            on_reply.emit(reply);
        });
        let this = self.clone();
        let onerror = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message = error_message(&e);
            let (on_reply, active, load) = {
                let mut inner = this.inner.borrow_mut();
                // Started again for the next workbook.
                inner.writer = None;
                // The job it was on: a load still waiting for it fails.
                let current = inner.generation;
                let load = inner
                    .writing
                    .front()
                    .is_some_and(|&(g, load)| load && g == current);
                inner.writing.clear();
                (
                    inner.on_reply.clone(),
                    inner.active.as_ref().map(|s| s.id),
                    load,
                )
            };
            this.workbook_module_failed(on_reply, active, load, no_writer(&message));
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(Slot::new(0, worker, [onmessage, onerror]))
    }

    fn spawn(&self, inner: &mut Inner) -> Result<Slot, ReadError> {
        let url = inner.worker_url.clone().unwrap_or_default();
        let early = take_early_worker();
        let worker = match &early {
            Some((worker, _, _)) => worker.clone(),
            None => start_worker(&url).map_err(|e| ReadError::Browser {
                detail: format!("作業用スレッド（Web Worker）を起動できませんでした / could not start the worker: {e:?}"),
            })?,
        };
        inner.next_id += 1;
        let id = inner.next_id;
        let this = self.clone();
        let onmessage = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let data = e.unchecked_into::<MessageEvent>().data();
            let has = |k: &str| js_sys::Reflect::has(&data, &k.into()).unwrap_or(false);
            if data.is_object() {
                // The worker asks for the next bytes of its file (`feed`).
                if let Ok(from) = js_sys::Reflect::get(&data, &"want".into()) {
                    if let (Some(from), Some(to)) = (
                        from.as_f64(),
                        js_sys::Reflect::get(&data, &"wantTo".into())
                            .ok()
                            .and_then(|t| t.as_f64()),
                    ) {
                        this.feed(id, from, to);
                        return;
                    }
                }
                if has("warm") {
                    warm_decoders(&data);
                    return;
                }
                // A workbook to write: on to the workbook module undecoded (`Reply::Write`).
                if has("Write") {
                    this.workbook_to_write(id, data);
                    return;
                }
                if let Ok(t) = js_sys::Reflect::get(&data, &"timing".into()) {
                    if !t.is_undefined() {
                        if let Ok(t) = serde_wasm_bindgen::from_value(t) {
                            super::marks::worker_timing(&t);
                        }
                        return;
                    }
                }
                if has("Loaded") {
                    super::marks::mark("loaded-received");
                } else if has("Tabulations") {
                    super::marks::mark("tabulations-received");
                }
            } else if data.as_string().as_deref() == Some("Ready") {
                super::marks::mark("worker-ready");
            }
            let reply = decode_reply(data);
            if let Reply::Loaded(..) = reply {
                super::marks::mark("loaded-decoded");
            }
            this.from_worker(id, reply);
        });
        let this = self.clone();
        let onerror = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let message = error_message(&e);
            this.from_worker(
                id,
                Reply::Failed(ReadError::Browser {
                    detail: format!("作業用スレッドが止まりました（メモリ不足の可能性があります）/ the worker stopped (perhaps out of memory): {message}"),
                }),
            );
        });
        match early {
            // Its messages so far come to these handlers once this call has returned.
            Some((_, adopt, early)) => {
                let _ = adopt.call2(&early, onmessage.as_ref(), onerror.as_ref());
            }
            None => {
                worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
                worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
            }
        }
        Ok(Slot::new(id, worker, [onmessage, onerror]))
    }

    /// Worker `id`'s workbook to write (its `{Write: …}` message, which is the module's
    /// `Job::Write` as it stands), if it is the active worker's.
    fn workbook_to_write(&self, id: u64, message: JsValue) {
        if self.inner.borrow().active.as_ref().map(|s| s.id) != Some(id) {
            return;
        }
        self.module_job(message, false);
    }

    /// Reads bytes `from..to` of the file worker `id` is reading, on the page's thread,
    /// and hands them over (transferred, not copied). Why the page reads and not the
    /// worker: a `Blob` read asked for on the worker's thread moves its data on that thread,
    /// so it progressed only while the parser waited for it — the worker idled about 15 %
    /// of a 1M-row load (a trace of the bench file); here the page's thread, idle during a
    /// load, reads the next slices while the worker parses.
    fn feed(&self, id: u64, from: f64, to: f64) {
        let (worker, file, started) = {
            let mut inner = self.inner.borrow_mut();
            let Some(slot) = inner.active.as_mut().filter(|s| s.id == id) else {
                return;
            };
            let Some(file) = slot.file.clone() else {
                return;
            };
            let started = match slot.first.take() {
                Some((end, read)) if from == 0.0 && end == to => Some(read),
                _ => None,
            };
            (slot.worker.clone(), file, started)
        };
        wasm_bindgen_futures::spawn_local(async move {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"sliceFrom".into(), &from.into());
            let read = match started {
                Some(read) => Ok(read),
                None => file
                    .slice_with_f64_and_f64(from, to)
                    .map(|blob| blob.array_buffer()),
            };
            let read = match read {
                Ok(read) => wasm_bindgen_futures::JsFuture::from(read).await,
                Err(e) => Err(e),
            };
            match read {
                Ok(buffer) => {
                    let _ = js_sys::Reflect::set(&message, &"slice".into(), &buffer);
                    let transfer = js_sys::Array::of1(&buffer);
                    let _ = worker.post_message_with_transfer(&message, &transfer);
                }
                Err(e) => {
                    let detail = e
                        .dyn_ref::<js_sys::Error>()
                        .map(|e| String::from(e.message()))
                        .unwrap_or_else(|| format!("{e:?}"));
                    let _ = js_sys::Reflect::set(&message, &"error".into(), &detail.into());
                    let _ = worker.post_message(&message);
                }
            }
        });
    }
}

/// A worker's message as a reply (a message that is none says so: an internal error).
fn decode_reply(data: JsValue) -> Reply {
    serde_wasm_bindgen::from_value::<Reply>(data)
        .unwrap_or_else(|e| Reply::Refused(crate::message::Message::internal(e)))
}

/// A new worker's warm-up replies (`{warm: [Reply…]}`, the bundled sample's `Loaded`,
/// first table and crosstab), decoded once per page and drawn off the page while it is
/// idle (`warm_view`), and the requests that follow a load encoded: V8 compiles a wasm
/// function on its first call, and the page's decoders of these replies took half of the
/// 26–33 ms the first file's `Loaded` spent decoding. They come while the page waits (at
/// its start, or for a file the worker is reading).
fn warm_decoders(data: &JsValue) {
    thread_local!(static DONE: Cell<bool> = const { Cell::new(false) });
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    if let Ok(list) = js_sys::Reflect::get(data, &"warm".into()) {
        let replies = js_sys::Array::from(&list)
            .iter()
            .map(decode_reply)
            .collect();
        super::warm_view::draw_soon(replies);
    }
    let id = String::new;
    for request in [
        Request::TabulateQuestion { id: id() },
        Request::CrosstabCells {
            row: id(),
            col: id(),
            weight: Some(id()),
        },
    ] {
        let _ = serde_wasm_bindgen::to_value(&request);
    }
}

/// What the browser said when a worker stopped (an `ErrorEvent`'s message, or nothing).
fn error_message(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::ErrorEvent>()
        .map(|e| e.message())
        .unwrap_or_default()
}

/// A reading worker. Given the module the start-up script compiled
/// (`__tsunagariWorkerModule`, served page only), it shares that module's compiled code
/// with the workers before it: its warm-up compiles little, and it fetches nothing.
fn start_worker(url: &str) -> Result<Worker, JsValue> {
    let compiled = js_sys::Reflect::get(&js_sys::global(), &"__tsunagariWorkerModule".into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(compiled) = compiled else {
        return Worker::new(url);
    };
    let options = web_sys::WorkerOptions::new();
    options.set_name("given-module");
    let worker = Worker::new_with_options(url, &options)?;
    let to = worker.clone();
    wasm_bindgen_futures::spawn_local(async move {
        // A failed compile gives null: the worker then fetches its wasm itself.
        let module = wasm_bindgen_futures::JsFuture::from(compiled)
            .await
            .unwrap_or(JsValue::NULL);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"tsunagariModule".into(), &module);
        let _ = to.post_message(&message);
    });
    Ok(worker)
}

/// The worker the start-up script started before the app was (scripts/post-build.mjs),
/// taken once: the worker, its `adopt(onmessage, onerror)` and the object holding both.
fn take_early_worker() -> Option<(Worker, js_sys::Function, JsValue)> {
    let global = js_sys::global();
    let key = JsValue::from_str("__tsunagariEarlyWorker");
    let early = js_sys::Reflect::get(&global, &key)
        .ok()
        .filter(JsValue::is_object)?;
    let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &key);
    // Made by our own start-up script (no `instanceof` check: a page-level wrapper of
    // `Worker`, as a test's instrumentation may install, would fail it).
    let worker = js_sys::Reflect::get(&early, &"worker".into())
        .ok()
        .filter(JsValue::is_object)?
        .unchecked_into::<Worker>();
    let adopt = js_sys::Reflect::get(&early, &"adopt".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((worker, adopt, early))
}

/// Why a workbook could not be written or read: the workbook module's worker could not
/// start, stopped (e.g. out of memory on a huge workbook), or the page names none
/// (`detail`: what the browser said).
fn no_writer(detail: &str) -> crate::message::Message {
    crate::message::Message::new(
        format!("Excel ファイルを読み書きする作業用スレッド（Web Worker）を起動できないか、止まりました（{detail}）。ページを再読み込みしてから、もう一度やり直してください。"),
        format!("The worker that reads and writes Excel files could not start or stopped ({detail}). Reload the page and try again."),
    )
}

/// Why a file can't be read when the page found no worker to read it (the page's wasm has
/// no engine of its own).
#[cfg(not(feature = "in-page"))]
fn no_worker() -> ReadError {
    ReadError::Browser {
        detail: "このページには作業用スレッド（Web Worker）の案内がなく、ファイルを読めません。配布された index.html か tsunagari.html を開き直してください / this page names no worker (Web Worker) to read the file: open the index.html or tsunagari.html of the build again".into(),
    }
}

/// Reads a File in slices on the page's own thread, yielding between slices.
#[cfg(feature = "in-page")]
async fn read_in_page(
    file: &web_sys::File,
    load: &LoadRequest,
    cancel: &Cell<bool>,
    progress: &dyn Fn(Reply),
) -> Result<Finished, ReadError> {
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
    reader.finish_or_workbook()
}

#[cfg(feature = "in-page")]
async fn slice_bytes(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, ReadError> {
    let fail = |what: &str| ReadError::Browser {
        detail: format!(
            "ブラウザがファイルを読めませんでした / the browser could not read the file: {what}"
        ),
    };
    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| fail("slice"))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
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
