//! The engine's replies become actions on the page's state. With `?bench=1` the bench
//! hears of them first; a workbook the engine wrote is saved through a download.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::backend::{now, Backend};
use super::bench;
use super::components::codebook_bar::download;
use super::hold::Hold;
use super::loader::Current;
use crate::app::session::{Reply, Request};
use crate::app::state::{default_question, Action, Progress};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The engine for this page, made once, its replies dispatched as actions.
#[hook]
pub fn use_backend(
    dispatch: Callback<Action>,
    current: Rc<RefCell<Current>>,
    hold: Hold,
    bench: bool,
) -> Backend {
    let slot: Rc<RefCell<Option<Backend>>> = use_mut_ref(|| None);
    if slot.borrow().is_none() {
        let replies = Replies {
            dispatch,
            current,
            hold,
            bench,
            backend: slot.clone(),
        };
        let backend = Backend::new(Callback::from(move |reply| replies.handle(reply)));
        *slot.borrow_mut() = Some(backend);
    }
    let backend = slot.borrow().clone().expect("created above");
    backend
}

struct Replies {
    dispatch: Callback<Action>,
    current: Rc<RefCell<Current>>,
    /// A file's results wait here for its first table (`hold`).
    hold: Hold,
    bench: bool,
    /// The backend these replies come from, for the bench's crosstab and the first table.
    backend: Rc<RefCell<Option<Backend>>>,
}

impl Replies {
    fn handle(&self, reply: Reply) {
        if self.bench {
            self.bench(&reply);
        }
        if let Reply::File { name, bytes } = &reply {
            download(name, bytes, XLSX);
        }
        // The first question's table is asked for when the file comes, and the results
        // wait for it (`hold`): the engine computes it while the page does nothing, and
        // the page draws once, table included.
        let mut first_table = None;
        if let Reply::Loaded(_, model) = &reply {
            // This file's results are shown from now on.
            let mut c = self.current.borrow_mut();
            let mut shown = c.clone();
            shown.shown = None;
            c.shown = Some(Box::new(shown));
            if !c.setup_open {
                first_table = default_question(model);
                c.tabulation_asked = first_table.clone();
            }
        }
        let actions = actions(reply, &self.current.borrow());
        let backend = self.backend.borrow();
        match (first_table, backend.as_ref()) {
            (Some(id), Some(b)) => {
                // Held before asking: an engine in the page answers within `request`.
                self.hold.hold(actions);
                b.request(Request::TabulateQuestion { id });
            }
            _ => {
                // Whatever changes the page comes after the results held (a reply that
                // changes nothing, the bench's crosstab, lets them wait for the table).
                if !actions.is_empty() {
                    self.hold.release();
                }
                for action in actions {
                    self.dispatch.emit(action);
                }
            }
        }
    }

    /// `?bench=1`: the harness reads times and results from `window.__bench`.
    fn bench(&self, reply: &Reply) {
        match reply {
            Reply::Loaded(summary, _) => {
                let request = bench::loaded(summary.info.rows);
                if let Some(b) = self.backend.borrow().as_ref() {
                    b.request(request);
                }
            }
            Reply::Failed(error) => bench::failed(&error.en()),
            Reply::CrosstabCells(cells) => bench::crosstab(cells),
            Reply::Refused(m) => bench::failed(&m.en),
            _ => {}
        }
    }
}

/// What the page's state makes of a reply about `file`.
pub(super) fn actions(reply: Reply, file: &Current) -> Vec<Action> {
    match reply {
        Reply::Ready => vec![],
        Reply::Progress { bytes, total, rows } => vec![Action::Progress(Progress {
            bytes,
            total,
            rows,
            elapsed_ms: now() - file.started_ms,
        })],
        Reply::Loaded(summary, model) => vec![Action::Loaded {
            file_name: file.name.clone(),
            fictitious: file.fictitious,
            summary: *summary,
            model: *model,
        }],
        Reply::Failed(error) => vec![Action::Failed {
            file_name: file.name.clone(),
            error,
        }],

        Reply::Tabulations { id, tabs } => vec![Action::Tabulated { id, tabs }],
        Reply::Model(model) => vec![Action::Model(*model)],
        Reply::SetupApplied(model) => vec![Action::SetupApplied(*model)],
        Reply::ShareLink { fragment, left_out } => vec![Action::ShareLink { fragment, left_out }],
        Reply::Aggregated { aggregate, xlsx } => vec![Action::Aggregated {
            aggregate: *aggregate,
            xlsx,
        }],
        Reply::Crosstab(x) => vec![Action::CrosstabReady(*x)],
        Reply::Comparison(c) => vec![Action::ComparisonReady(*c)],
        Reply::Report(r) => vec![Action::ReportReady(*r)],
        // Saved by `handle`.
        Reply::File { .. } => vec![],
        // Written or read by the workbook module first (the backend: a written one's
        // reply, File or Aggregated, comes here; a read one goes back to the engine).
        Reply::Write(_) | Reply::ReadWorkbook(_) => vec![],
        // The model now holds the weight, so the weight selects list it.
        Reply::Raked(r, model) => vec![Action::Model(*model), Action::Raked(*r)],
        Reply::CrosstabCells(_) => vec![],
        Reply::Refused(m) => vec![Action::Refused(m)],
    }
}
