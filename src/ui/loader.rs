//! Reading a file: the dropped one, the fictitious sample, the same one again with another
//! encoding or sheet; and forgetting it. The file is kept (`Current`) so it can be read
//! again, and so the replies can say which file they are about.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use super::backend::{now, Backend};
use super::hold::Hold;
use crate::app::session::LoadRequest;
use crate::app::state::Action;
use crate::ingest::QuoteAt;

/// The file being read or shown.
#[derive(Default, Clone)]
pub struct Current {
    pub file: Option<web_sys::File>,
    pub name: String,
    pub fictitious: bool,
    /// When its reading started (`backend::now`), for the time left.
    pub started_ms: f64,
    /// How it is read (the encoding or sheet chosen, quotes read as characters).
    pub request: LoadRequest,
    /// The file whose results are shown (the last one read): what 「読み直す」 buttons of
    /// the results read again, also after another file failed to load.
    pub shown: Option<Box<Current>>,
    /// The question whose tabulation the Loaded reply's handler asked for before the page
    /// drew the results (`replies`); the request that follows the state skips it once.
    pub tabulation_asked: Option<String>,
    /// A shared setup (a link) is open: the first tabulation waits for it to be applied.
    pub setup_open: bool,
}

#[derive(Clone)]
pub struct Loader {
    pub current: Rc<RefCell<Current>>,
    pub dispatch: Callback<Action>,
    pub backend: Backend,
    /// The results of the file just read, if still waiting for their first table: they
    /// come before whatever the user does next.
    pub hold: Hold,
}

impl Loader {
    /// A callback doing `f` with this loader.
    pub fn callback<E: 'static>(&self, f: impl Fn(&Loader, E) + 'static) -> Callback<E> {
        let this = self.clone();
        Callback::from(move |e: E| f(&this, e))
    }

    /// Reads `file` (the engine forgets the one before).
    pub fn load(&self, file: web_sys::File, fictitious: bool, request: LoadRequest) {
        super::warm_view::stand_down();
        let name = file.name();
        {
            let mut c = self.current.borrow_mut();
            c.file = Some(file.clone());
            c.name = name.clone();
            c.fictitious = fictitious;
            c.started_ms = now();
            c.request = request.clone();
        }
        self.hold.release();
        self.dispatch.emit(Action::Start { file_name: name });
        self.backend.load(file, request);
    }

    /// Reads the fictitious sample survey.
    pub fn sample(&self) {
        let bytes = crate::sample::csv_bytes();
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
        if let Ok(file) =
            web_sys::File::new_with_u8_array_sequence(&parts, crate::sample::FILE_NAME)
        {
            self.load(file, true, LoadRequest::default());
        }
    }

    /// Reads the file shown again, with the encoding or sheet in `request`.
    pub fn reread(&self, request: LoadRequest) {
        let (file, fictitious) = {
            let c = self.current.borrow();
            let c = c.shown.as_deref().unwrap_or(&c);
            (c.file.clone(), c.fictitious)
        };
        if let Some(file) = file {
            self.load(file, fictitious, request);
        }
    }

    /// Reads a file again as it was read, with the quote at `at` read as an ordinary
    /// character too (「引用符を文字として読み直す」): the file shown (a runaway quote), or
    /// the one that could not be read (`failed`: a cell too large).
    pub fn read_quote_as_text(&self, at: QuoteAt, failed: bool) {
        let (file, fictitious, request) = {
            let c = self.current.borrow();
            let c = if failed {
                &c
            } else {
                c.shown.as_deref().unwrap_or(&c)
            };
            (
                c.file.clone(),
                c.fictitious,
                c.request.with_literal_quote(at),
            )
        };
        if let Some(file) = file {
            self.load(file, fictitious, request);
        }
    }

    /// Reads the current file again as it was read, with a header of `rows` rows
    /// (「見出しは N 行」).
    pub fn read_with_header_rows(&self, rows: usize) {
        let (file, fictitious, request) = {
            let c = self.current.borrow();
            let c = c.shown.as_deref().unwrap_or(&c);
            (
                c.file.clone(),
                c.fictitious,
                c.request.with_header_rows(rows),
            )
        };
        if let Some(file) = file {
            self.load(file, fictitious, request);
        }
    }

    /// Forgets the data: the engine's, the file, and what the page shows of it.
    pub fn clear(&self) {
        self.hold.release();
        self.backend.clear();
        let mut c = self.current.borrow_mut();
        // An open link stays open (`effects` says when that changes).
        *c = Current {
            setup_open: c.setup_open,
            ..Current::default()
        };
        drop(c);
        self.dispatch.emit(Action::Clear);
    }
}
