//! What the page shows, as plain data, and every change to it as a pure function. The Yew
//! app only turns events into [`Action`]s and renders [`AppState`]; this file is tested
//! natively like the rest of the engine.

use std::rc::Rc;

use crate::ingest::{Loaded, ReadError};
use crate::table::Table;

/// A file that was read, with where it came from.
#[derive(Debug)]
pub struct Dataset {
    pub file_name: String,
    /// True for the bundled sample: the page labels it as fictitious.
    pub fictitious: bool,
    pub loaded: Loaded,
}

/// A dataset is never modified after loading, so identity is equality (and cheap).
impl PartialEq for Dataset {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[derive(Debug, Clone, Default)]
pub enum Phase {
    #[default]
    Idle,
    Reading {
        file_name: String,
    },
    Ready(Rc<Dataset>),
    Failed {
        file_name: String,
        error: ReadError,
    },
}

#[derive(Debug, Clone, Default)]
pub struct AppState {
    pub phase: Phase,
    /// The column whose tabulation is shown.
    pub selected: Option<usize>,
}

#[derive(Debug)]
pub enum Action {
    /// A file was dropped or picked; reading begins.
    Start {
        file_name: String,
    },
    Loaded {
        file_name: String,
        fictitious: bool,
        loaded: Loaded,
    },
    Failed {
        file_name: String,
        error: ReadError,
    },
    Select(usize),
    /// Forget the file (the data lives only in this page's memory).
    Clear,
}

impl AppState {
    pub fn apply(&self, action: Action) -> AppState {
        match action {
            Action::Start { file_name } => AppState {
                phase: Phase::Reading { file_name },
                selected: None,
            },
            Action::Loaded {
                file_name,
                fictitious,
                loaded,
            } => {
                let selected = default_column(&loaded.table);
                AppState {
                    phase: Phase::Ready(Rc::new(Dataset {
                        file_name,
                        fictitious,
                        loaded,
                    })),
                    selected,
                }
            }
            Action::Failed { file_name, error } => AppState {
                phase: Phase::Failed { file_name, error },
                selected: None,
            },
            Action::Select(i) => match &self.phase {
                Phase::Ready(d) if i < d.loaded.table.columns.len() => AppState {
                    phase: self.phase.clone(),
                    selected: Some(i),
                },
                _ => self.clone(),
            },
            Action::Clear => AppState::default(),
        }
    }

    pub fn dataset(&self) -> Option<&Rc<Dataset>> {
        match &self.phase {
            Phase::Ready(d) => Some(d),
            _ => None,
        }
    }
}

/// The first column worth tabulating: not an identifier (a value per row) and with few
/// enough answers to read as categories.
pub fn default_column(table: &Table) -> Option<usize> {
    table
        .columns
        .iter()
        .position(|c| {
            let distinct = c.values.len() - 1;
            distinct > 0 && distinct <= 30 && distinct < table.rows.max(2)
        })
        .or(if table.columns.is_empty() {
            None
        } else {
            Some(0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    fn loaded(csv: &str) -> Loaded {
        read_bytes(csv.as_bytes(), ReadOptions::default()).unwrap()
    }

    #[test]
    fn loading_selects_the_first_categorical_column() {
        let s = AppState::default().apply(Action::Start {
            file_name: "a.csv".into(),
        });
        assert!(matches!(s.phase, Phase::Reading { .. }));
        let s = s.apply(Action::Loaded {
            file_name: "a.csv".into(),
            fictitious: false,
            loaded: loaded("ID,性別\n1,男性\n2,女性\n3,女性\n"),
        });
        assert_eq!(s.selected, Some(1), "the ID column is skipped");
        assert_eq!(s.apply(Action::Select(0)).selected, Some(0));
        assert_eq!(
            s.apply(Action::Select(9)).selected,
            Some(1),
            "out of range is ignored"
        );
        assert!(matches!(s.apply(Action::Clear).phase, Phase::Idle));
    }

    #[test]
    fn a_failure_shows_nothing_of_the_file() {
        let s = AppState::default().apply(Action::Failed {
            file_name: "x.csv".into(),
            error: ReadError::Empty,
        });
        assert!(s.dataset().is_none());
        assert_eq!(s.selected, None);
    }
}
