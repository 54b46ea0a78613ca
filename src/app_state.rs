//! What the page shows, as plain data, and every change to it as a pure function. The Yew
//! app only turns events into [`Action`]s and renders [`AppState`]; this file is tested
//! natively like the rest of the engine. The page never holds the table: only the
//! [`Summary`] and results the engine sends.

use std::rc::Rc;

use crate::ingest::ReadError;
use crate::session::Summary;
use crate::tabulate::Tabulation;

/// A file that was read, with where it came from.
#[derive(Debug)]
pub struct Dataset {
    pub file_name: String,
    /// True for the bundled sample: the page labels it as fictitious.
    pub fictitious: bool,
    pub summary: Summary,
}

/// A dataset is never modified after loading, so identity is equality (and cheap).
impl PartialEq for Dataset {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// How far reading has come.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    pub bytes: f64,
    pub total: f64,
    pub rows: u64,
    /// Milliseconds since reading started.
    pub elapsed_ms: f64,
}

impl Progress {
    pub fn percent(&self) -> f64 {
        if self.total > 0.0 {
            (self.bytes / self.total * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        }
    }

    /// Seconds left at the pace so far, once there is a pace to go by.
    pub fn seconds_left(&self) -> Option<f64> {
        (self.bytes > 0.0 && self.elapsed_ms > 300.0)
            .then(|| self.elapsed_ms / 1000.0 * (self.total - self.bytes).max(0.0) / self.bytes)
    }
}

#[derive(Debug, Clone, Default)]
pub enum Phase {
    #[default]
    Idle,
    Reading {
        file_name: String,
        progress: Progress,
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
    /// The selected column's tabulation, once the engine has sent it.
    pub tabulation: Option<Rc<Tabulation>>,
    /// A request the engine refused (shown, never silently dropped).
    pub notice: Option<String>,
}

#[derive(Debug)]
pub enum Action {
    /// A file was dropped or picked; reading begins.
    Start {
        file_name: String,
    },
    Progress(Progress),
    Loaded {
        file_name: String,
        fictitious: bool,
        summary: Summary,
    },
    Failed {
        file_name: String,
        error: ReadError,
    },
    Select(usize),
    /// The engine's tabulation of a column.
    Tabulated(Tabulation),
    Refused(String),
    /// Forget the file (the data lives only in this page's memory and its worker).
    Clear,
}

impl AppState {
    pub fn apply(&self, action: Action) -> AppState {
        match action {
            Action::Start { file_name } => AppState {
                phase: Phase::Reading {
                    file_name,
                    progress: Progress::default(),
                },
                ..AppState::default()
            },
            Action::Progress(p) => match &self.phase {
                Phase::Reading { file_name, .. } => AppState {
                    phase: Phase::Reading {
                        file_name: file_name.clone(),
                        progress: p,
                    },
                    ..self.clone()
                },
                // A late progress message after loading ended changes nothing.
                _ => self.clone(),
            },
            Action::Loaded {
                file_name,
                fictitious,
                summary,
            } => {
                let selected = default_column(&summary);
                AppState {
                    phase: Phase::Ready(Rc::new(Dataset {
                        file_name,
                        fictitious,
                        summary,
                    })),
                    selected,
                    ..AppState::default()
                }
            }
            Action::Failed { file_name, error } => AppState {
                phase: Phase::Failed { file_name, error },
                ..AppState::default()
            },
            Action::Select(i) => match &self.phase {
                Phase::Ready(d) if i < d.summary.columns.len() => AppState {
                    selected: Some(i),
                    tabulation: self
                        .tabulation
                        .clone()
                        .filter(|t| t.column == d.summary.columns[i].name),
                    notice: None,
                    ..self.clone()
                },
                _ => self.clone(),
            },
            Action::Tabulated(t) => {
                // Only the answer for the column still selected is shown.
                let wanted = self
                    .dataset()
                    .zip(self.selected)
                    .and_then(|(d, i)| d.summary.columns.get(i))
                    .is_some_and(|c| c.name == t.column);
                if wanted {
                    AppState {
                        tabulation: Some(Rc::new(t)),
                        ..self.clone()
                    }
                } else {
                    self.clone()
                }
            }
            Action::Refused(message) => AppState {
                notice: Some(message),
                ..self.clone()
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
pub fn default_column(summary: &Summary) -> Option<usize> {
    let rows = summary.info.rows;
    summary
        .columns
        .iter()
        .position(|c| c.distinct > 0 && c.distinct <= 30 && c.distinct < rows.max(2))
        .or(if summary.columns.is_empty() {
            None
        } else {
            Some(0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::tabulate::{tabulate, Order};

    fn summary(csv: &str) -> (Summary, crate::table::Table) {
        let loaded = read_bytes(csv.as_bytes(), ReadOptions::default()).unwrap();
        (Summary::of(&loaded), loaded.table)
    }

    #[test]
    fn loading_selects_the_first_categorical_column() {
        let s = AppState::default().apply(Action::Start {
            file_name: "a.csv".into(),
        });
        assert!(matches!(s.phase, Phase::Reading { .. }));
        let p = Progress {
            bytes: 50.0,
            total: 100.0,
            rows: 10,
            elapsed_ms: 1000.0,
        };
        let s = s.apply(Action::Progress(p));
        let Phase::Reading { progress, .. } = &s.phase else {
            panic!()
        };
        assert_eq!(progress.percent(), 50.0);
        assert_eq!(progress.seconds_left(), Some(1.0));
        let (sum, table) = summary("ID,性別\n1,男性\n2,女性\n3,女性\n");
        let s = s.apply(Action::Loaded {
            file_name: "a.csv".into(),
            fictitious: false,
            summary: sum,
        });
        assert_eq!(s.selected, Some(1), "the ID column is skipped");
        let s = s.apply(Action::Tabulated(tabulate(
            &table.columns[1],
            Order::Natural,
        )));
        assert_eq!(s.tabulation.as_ref().unwrap().base, 3);
        // A late answer for another column is not shown under this one.
        let s0 = s.apply(Action::Select(0));
        assert_eq!(s0.selected, Some(0));
        assert!(s0.tabulation.is_none());
        assert!(s0
            .apply(Action::Tabulated(tabulate(
                &table.columns[1],
                Order::Natural
            )))
            .tabulation
            .is_none());
        assert_eq!(
            s.apply(Action::Select(9)).selected,
            Some(1),
            "out of range is ignored"
        );
        assert!(matches!(s.apply(Action::Clear).phase, Phase::Idle));
        assert!(matches!(
            s.apply(Action::Progress(p)).phase,
            Phase::Ready(_)
        ));
    }

    #[test]
    fn a_failure_shows_nothing_of_the_file() {
        let s = AppState::default().apply(Action::Failed {
            file_name: "x.csv".into(),
            error: ReadError::Empty,
        });
        assert!(s.dataset().is_none());
        assert_eq!(s.selected, None);
        assert!(s.tabulation.is_none());
    }
}
