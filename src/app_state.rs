//! What the page shows, as plain data, and every change to it as a pure function. The Yew
//! app only turns events into [`Action`]s and renders [`AppState`]; this file is tested
//! natively like the rest of the engine. The page never holds the table: only the
//! [`Summary`] and results the engine sends.

use std::rc::Rc;

use crate::analysis::{AnalysisTemplate, Crosstab, NationalComparison, Report, TableSpec};
use crate::ingest::ReadError;
use crate::model::Kind;
use crate::session::{ModelView, Summary};
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

/// Which page of the workspace is shown (browser back/forward move between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The question list and one question's tabulation.
    #[default]
    Questions,
    /// The crosstab builder.
    Crosstab,
    /// Local figures beside the national survey's.
    National,
    /// The pinned tables and charts on one printable page.
    Report,
}

impl View {
    pub const ALL: [View; 4] = [
        View::Questions,
        View::Crosstab,
        View::National,
        View::Report,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            View::Questions => "単純集計（設問ごと）",
            View::Crosstab => "クロス集計",
            View::National => "全国調査との比較",
            View::Report => "レポート",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            View::Questions => "Results by question",
            View::Crosstab => "Crosstab",
            View::National => "Compared with the national survey",
            View::Report => "Report",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja(),
            Lang::En => self.en(),
        }
    }
}

/// The language of the page's own words (Japanese unless the user switches). Data values
/// and question labels are never translated. Kept only in memory, like everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// The `<html lang>` value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// One of two texts by language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AppState {
    pub phase: Phase,
    pub view: View,
    /// The last crosstab the engine computed.
    pub crosstab: Option<Rc<Crosstab>>,
    /// The last national comparison.
    pub comparison: Option<Rc<NationalComparison>>,
    /// What the last raking did.
    pub rake_report: Option<Rc<crate::session::RakeReport>>,
    /// The tables the user pinned for the report (an analysis template: the same the CLI
    /// runs with `tsunagari run`).
    pub pinned: Rc<AnalysisTemplate>,
    /// The pinned tables computed.
    pub report: Option<Rc<Report>>,
    /// The survey model (questions, codebook, national items) as the engine last sent it.
    pub model: Option<Rc<ModelView>>,
    /// The question whose tabulation is shown (its id).
    pub selected: Option<String>,
    /// The selected question's tabulation(s), once the engine has sent them.
    pub tabulation: Option<Rc<Vec<Tabulation>>>,
    /// A request the engine refused (shown, never silently dropped): (Japanese, English).
    pub notice: Option<(String, String)>,
    /// The language of the page's words.
    pub lang: Lang,
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
        model: ModelView,
    },
    Failed {
        file_name: String,
        error: ReadError,
    },
    Select(String),
    /// The engine's tabulation(s) of a question.
    Tabulated {
        id: String,
        tabs: Vec<Tabulation>,
    },
    /// The engine's model after an edit or a codebook import.
    Model(ModelView),
    Show(View),
    CrosstabReady(Crosstab),
    ComparisonReady(NationalComparison),
    Raked(crate::session::RakeReport),
    /// Adds a table to the report (the same one twice is kept once).
    Pin(TableSpec),
    Unpin(usize),
    ReportTitle(String),
    ReportReady(Report),
    Refused {
        ja: String,
        en: String,
    },
    /// The page's words in Japanese or English (the data stays as it is).
    SetLang(Lang),
    /// Forget the file (the data lives only in this page's memory and its worker).
    Clear,
}

impl AppState {
    pub fn apply(&self, action: Action) -> AppState {
        match action {
            // A new file keeps the pinned tables: the same report for another file.
            Action::Start { file_name } => AppState {
                phase: Phase::Reading {
                    file_name,
                    progress: Progress::default(),
                },
                pinned: self.pinned.clone(),
                lang: self.lang,
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
                model,
            } => {
                let selected = default_question(&model);
                AppState {
                    phase: Phase::Ready(Rc::new(Dataset {
                        file_name,
                        fictitious,
                        summary,
                    })),
                    model: Some(Rc::new(model)),
                    selected,
                    pinned: self.pinned.clone(),
                    lang: self.lang,
                    ..AppState::default()
                }
            }
            Action::Failed { file_name, error } => AppState {
                phase: Phase::Failed { file_name, error },
                lang: self.lang,
                ..AppState::default()
            },
            // Choosing the question already shown changes nothing (its table stays).
            Action::Select(id) if self.selected.as_deref() == Some(id.as_str()) => self.clone(),
            Action::Select(id) => match &self.model {
                Some(m) if m.question(&id).is_some() => AppState {
                    tabulation: None,
                    selected: Some(id),
                    notice: None,
                    ..self.clone()
                },
                _ => self.clone(),
            },
            Action::Tabulated { id, tabs } => {
                // Only the answer for the question still selected is shown.
                if self.selected.as_deref() == Some(id.as_str()) {
                    AppState {
                        tabulation: Some(Rc::new(tabs)),
                        notice: None,
                        ..self.clone()
                    }
                } else {
                    self.clone()
                }
            }
            Action::Model(model) => {
                // The selection stays when its question is still there; its tables are
                // asked for again (labels or kinds may have changed).
                let selected = self
                    .selected
                    .clone()
                    .filter(|id| model.question(id).is_some())
                    .or_else(|| default_question(&model));
                AppState {
                    model: Some(Rc::new(model)),
                    selected,
                    tabulation: None,
                    notice: None,
                    ..self.clone()
                }
            }
            Action::Show(view) => AppState {
                view,
                notice: None,
                ..self.clone()
            },
            Action::CrosstabReady(x) => AppState {
                crosstab: Some(Rc::new(x)),
                notice: None,
                ..self.clone()
            },
            Action::Pin(spec) => {
                let mut t = (*self.pinned).clone();
                if !t.tables.contains(&spec) {
                    t.tables.push(spec);
                }
                AppState {
                    pinned: Rc::new(t),
                    notice: None,
                    ..self.clone()
                }
            }
            Action::Unpin(i) => {
                let mut t = (*self.pinned).clone();
                if i < t.tables.len() {
                    t.tables.remove(i);
                }
                AppState {
                    pinned: Rc::new(t),
                    ..self.clone()
                }
            }
            Action::ReportTitle(title) => {
                let mut t = (*self.pinned).clone();
                t.title = title;
                AppState {
                    pinned: Rc::new(t),
                    ..self.clone()
                }
            }
            Action::ReportReady(r) => AppState {
                report: Some(Rc::new(r)),
                ..self.clone()
            },
            Action::Raked(r) => AppState {
                rake_report: Some(Rc::new(r)),
                notice: None,
                ..self.clone()
            },
            Action::ComparisonReady(c) => AppState {
                comparison: Some(Rc::new(c)),
                notice: None,
                ..self.clone()
            },
            Action::Refused { ja, en } => AppState {
                notice: Some((ja, en)),
                ..self.clone()
            },
            Action::SetLang(lang) => AppState {
                lang,
                ..self.clone()
            },
            Action::Clear => AppState {
                lang: self.lang,
                ..AppState::default()
            },
        }
    }

    pub fn dataset(&self) -> Option<&Rc<Dataset>> {
        match &self.phase {
            Phase::Ready(d) => Some(d),
            _ => None,
        }
    }
}

/// The first question worth showing: answers to tabulate, not personal, not a weight.
pub fn default_question(model: &ModelView) -> Option<String> {
    let shown = |k: Kind| matches!(k, Kind::Single | Kind::Multiple | Kind::Grid);
    model
        .model
        .questions
        .iter()
        .find(|q| q.include && shown(q.kind))
        .or_else(|| model.model.questions.iter().find(|q| q.include))
        .map(|q| q.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    fn loaded(csv: &str) -> (Summary, ModelView, crate::model::Survey) {
        let loaded = read_bytes(csv.as_bytes(), ReadOptions::default()).unwrap();
        let summary = Summary::of(&loaded);
        let survey = crate::model::Survey::infer(loaded.table);
        (summary, ModelView::of(&survey, None), survey)
    }

    #[test]
    fn loading_selects_the_first_question_worth_showing() {
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
        let mut csv = String::from("回答者ID,性別,年齢\n");
        for i in 0..12 {
            csv.push_str(&format!("{i},{},{}\n", ["男性", "女性"][i % 2], 20 + i * 5));
        }
        let (sum, model, survey) = loaded(&csv);
        let s = s.apply(Action::Loaded {
            file_name: "a.csv".into(),
            fictitious: false,
            summary: sum,
            model: model.clone(),
        });
        assert_eq!(
            s.selected.as_deref(),
            Some("性別"),
            "the ID column is skipped"
        );
        let tabs = survey.tabulate("性別").unwrap();
        let s = s.apply(Action::Tabulated {
            id: "性別".into(),
            tabs: tabs.clone(),
        });
        assert_eq!(s.tabulation.as_ref().unwrap()[0].base, 12);
        assert!(
            s.apply(Action::Select("性別".into())).tabulation.is_some(),
            "choosing the shown question again keeps its table"
        );
        // A late answer for another question is not shown under this one.
        let s0 = s.apply(Action::Select("年齢".into()));
        assert_eq!(s0.selected.as_deref(), Some("年齢"));
        assert!(s0.tabulation.is_none());
        assert!(s0
            .apply(Action::Tabulated {
                id: "性別".into(),
                tabs
            })
            .tabulation
            .is_none());
        assert_eq!(
            s.apply(Action::Select("nope".into())).selected.as_deref(),
            Some("性別"),
            "an unknown question is ignored"
        );
        // A model update keeps the selection and asks for its tables again.
        let s1 = s.apply(Action::Model(model));
        assert_eq!(s1.selected.as_deref(), Some("性別"));
        assert!(s1.tabulation.is_none());
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

    #[test]
    fn the_language_stays_through_loading_and_clearing() {
        let s = AppState::default();
        assert_eq!(s.lang, Lang::Ja);
        let s = s.apply(Action::SetLang(Lang::En));
        assert_eq!(s.lang, Lang::En);
        let s = s.apply(Action::Start {
            file_name: "a.csv".into(),
        });
        assert_eq!(s.lang, Lang::En);
        let s = s.apply(Action::Failed {
            file_name: "a.csv".into(),
            error: ReadError::Empty,
        });
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.apply(Action::Clear).lang, Lang::En);
        assert_eq!(s.lang.other(), Lang::Ja);
        assert_eq!(View::Crosstab.name(Lang::En), "Crosstab");
        assert_eq!(View::Crosstab.name(Lang::Ja), "クロス集計");
    }
}
