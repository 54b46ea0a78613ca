//! The results of a file just read, held back until its first table arrives, so the page
//! draws them once, table included.
//!
//! Why: drawing the results is the page's longest piece of work (the first time, most of
//! it is the browser compiling the page's wasm functions on first use). Drawn as soon as
//! the Loaded reply came, the worker's answers that followed within a few milliseconds
//! (the first table, the bench's crosstab) waited behind that drawing, and the page was
//! then drawn a second time for the table. Held, the first table's answer is usually in
//! within milliseconds and both go into one drawing. A reply that changes nothing on the
//! page (the bench's crosstab) does not end the hold; any other reply, a new file, or
//! `HOLD_MS` without an answer does, so nothing waits longer than that.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::Callback;

use crate::app::state::Action;

/// Longest wait for the first table before the results are drawn without it.
const HOLD_MS: u32 = 150;

/// What is held: the actions, and which hold they belong to.
struct Held {
    hold: u64,
    actions: Vec<Action>,
}

#[derive(Clone)]
pub struct Hold {
    held: Rc<RefCell<Option<Held>>>,
    /// Counts holds, so a timer left from an earlier one releases nothing.
    count: Rc<Cell<u64>>,
    dispatch: Callback<Action>,
}

impl Hold {
    pub fn new(dispatch: Callback<Action>) -> Self {
        Hold {
            held: Rc::default(),
            count: Rc::default(),
            dispatch,
        }
    }

    /// Holds `actions` (a file's results) until `release`, or `HOLD_MS` at most.
    pub fn hold(&self, actions: Vec<Action>) {
        self.release();
        let n = self.count.get() + 1;
        self.count.set(n);
        *self.held.borrow_mut() = Some(Held { hold: n, actions });
        let this = self.clone();
        gloo::timers::callback::Timeout::new(HOLD_MS, move || {
            if this.held.borrow().as_ref().is_some_and(|h| h.hold == n) {
                this.release();
            }
        })
        .forget();
    }

    /// Passes on what is held, if anything (before whatever comes next).
    pub fn release(&self) {
        let held = self.held.borrow_mut().take();
        if let Some(held) = held {
            for action in held.actions {
                self.dispatch.emit(action);
            }
        }
    }
}
