//! What the page shows, as plain data, and every change to it as a pure function. The Yew
//! app only turns events into [`Action`]s and renders [`AppState`]; this file is tested
//! natively like the rest of the engine. The page never holds the table: only the
//! [`Summary`] and results the engine sends.

use std::rc::Rc;

use super::session::{ModelView, Summary};
use super::towns::{TownAction, Towns};
use crate::analysis::aggregate::Aggregate;
use crate::analysis::{
    AnalysisTemplate, Crosstab, NationalComparison, Report, TableSpec, Tabulation,
};
use crate::ingest::ReadError;
use crate::lang::Lang;
use crate::message::Message;
use crate::model::codebook::ApplyReport;
use crate::model::Kind;
use crate::share::{LeftOut, Matching, Setup, ShareError};

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
    /// Other municipalities' aggregate files side by side (reachable without a file).
    Municipalities,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Questions,
        View::Crosstab,
        View::National,
        View::Report,
        View::Municipalities,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            View::Questions => "単純集計（設問ごと）",
            View::Crosstab => "クロス集計",
            View::National => "全国調査との比較",
            View::Report => "レポート",
            View::Municipalities => "市町村の比較",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            View::Questions => "Results by question",
            View::Crosstab => "Crosstab",
            View::National => "Compared with the national survey",
            View::Report => "Report",
            View::Municipalities => "Compare municipalities",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja(),
            Lang::En => self.en(),
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
    pub rake_report: Option<Rc<super::session::RakeReport>>,
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
    pub notice: Option<Message>,
    /// The language of the page's words.
    pub lang: Lang,
    /// The shared setup and what is made to share (link, aggregates).
    pub sharing: Sharing,
    /// Other towns' aggregate files loaded to compare (kept through loading a file).
    pub towns: Rc<Towns>,
    /// While another file is read, what was shown before: it comes back if that file
    /// cannot be read, so a wrong file dropped by mistake loses nothing.
    pub previous: Option<Rc<AppState>>,
    /// The file that could not be read while an earlier one stayed shown: (name, why).
    pub failure: Option<(String, ReadError)>,
}

/// Sharing with other municipalities: a setup opened from a link, and what the user made
/// to send (the link of this setup, the aggregates of the pinned tables).
#[derive(Debug, Clone, Default)]
pub struct Sharing {
    /// The setup a link opened: applied to every file loaded after it.
    pub opened: Option<Rc<Setup>>,
    /// Why the link in the address could not be opened: (Japanese, English).
    pub open_error: Option<Message>,
    /// What applying the opened setup to the loaded file did.
    pub applied: Option<Rc<ApplyReport>>,
    /// Which of the file's questions each shared question met, and how (the matching
    /// screen).
    pub matching: Option<Rc<Matching>>,
    /// The user's own matches on that screen, (shared question, this file's; empty for
    /// none): sent with the setup each time it is applied to this file.
    pub map: Rc<Vec<(String, String)>>,
    /// The link of the current setup (from `#` on), and what was kept out of it.
    pub link: Option<Rc<(String, LeftOut)>>,
    /// The pinned tables with disclosure control, and the same as a workbook.
    pub aggregate: Option<Rc<Aggregate>>,
    pub aggregate_xlsx: Option<Rc<Vec<u8>>>,
}

impl Sharing {
    /// What outlives a file: the link that was opened (it applies to the next file too).
    fn kept(&self) -> Sharing {
        Sharing {
            opened: self.opened.clone(),
            open_error: self.open_error.clone(),
            ..Sharing::default()
        }
    }
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
    Raked(super::session::RakeReport),
    /// Adds a table to the report (the same one twice is kept once).
    Pin(TableSpec),
    Unpin(usize),
    ReportTitle(String),
    ReportReady(Report),
    Refused(Message),
    /// The page's words in Japanese or English (the data stays as it is).
    SetLang(Lang),
    /// Forget the file (the data lives only in this page's memory and its worker).
    Clear,
    /// The error of a file that could not be read (an earlier one stayed) was read.
    DismissFailure,
    /// The page was opened with a share link in its address (read by the engine).
    OpenLink(Result<Setup, ShareError>),
    /// The opened setup was applied to the loaded file.
    SetupApplied(ModelView),
    /// On the matching screen, the user met a shared question with one of the file's
    /// (empty: with none). The setup is applied again with it.
    Match {
        shared: String,
        mine: String,
    },
    /// The link of the current setup is ready.
    ShareLink {
        fragment: String,
        left_out: LeftOut,
    },
    /// The aggregates to share are ready.
    Aggregated {
        aggregate: Aggregate,
        xlsx: Vec<u8>,
    },
    /// Files added to or removed from the municipalities compared, or a question chosen.
    Towns(TownAction),
}

impl AppState {
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.step(action);
        // A link or aggregate made before the tables or the model changed no longer says
        // what the page shows: it has to be made again.
        let same_model = match (&self.model, &next.model) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !Rc::ptr_eq(&self.pinned, &next.pinned) || !same_model {
            next.sharing.link = None;
            next.sharing.aggregate = None;
            next.sharing.aggregate_xlsx = None;
        }
        next
    }

    fn step(&self, action: Action) -> AppState {
        match action {
            // A new file keeps the pinned tables: the same report for another file.
            Action::Start { file_name } => AppState {
                phase: Phase::Reading {
                    file_name,
                    progress: Progress::default(),
                },
                pinned: self.pinned.clone(),
                lang: self.lang,
                sharing: self.sharing.kept(),
                towns: self.towns.clone(),
                previous: match &self.phase {
                    Phase::Ready(_) => Some(Rc::new(AppState {
                        previous: None,
                        failure: None,
                        ..self.clone()
                    })),
                    _ => self.previous.clone(),
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
                    sharing: self.sharing.kept(),
                    towns: self.towns.clone(),
                    ..AppState::default()
                }
            }
            // A file that could not be read while another was shown: that one comes back,
            // with the error above it (a cancelled reading needs no error).
            Action::Failed { file_name, error } if self.previous.is_some() => {
                let before = self.previous.as_deref().expect("checked").clone();
                AppState {
                    failure: (!matches!(error, ReadError::Cancelled)).then_some((file_name, error)),
                    pinned: self.pinned.clone(),
                    lang: self.lang,
                    towns: self.towns.clone(),
                    ..before
                }
            }
            Action::DismissFailure => AppState {
                failure: None,
                ..self.clone()
            },
            Action::Failed { file_name, error } => AppState {
                phase: Phase::Failed { file_name, error },
                pinned: self.pinned.clone(),
                lang: self.lang,
                sharing: self.sharing.kept(),
                towns: self.towns.clone(),
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
            Action::Towns(a) => AppState {
                towns: Rc::new(self.towns.apply(a)),
                ..self.clone()
            },
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
            Action::Refused(m) => AppState {
                notice: Some(m),
                ..self.clone()
            },
            Action::SetLang(lang) => AppState {
                lang,
                ..self.clone()
            },
            // The setup opened from a link is no data: it stays for the next file.
            Action::Clear => AppState {
                lang: self.lang,
                sharing: self.sharing.kept(),
                pinned: match &self.sharing.opened {
                    Some(s) => Rc::new(s.template.clone()),
                    None => Rc::default(),
                },
                ..AppState::default()
            },
            Action::OpenLink(Ok(setup)) => AppState {
                pinned: Rc::new(setup.template.clone()),
                sharing: Sharing {
                    opened: Some(Rc::new(setup)),
                    ..Sharing::default()
                },
                ..self.clone()
            },
            Action::OpenLink(Err(e)) => AppState {
                sharing: Sharing {
                    open_error: Some(e),
                    ..Sharing::default()
                },
                ..self.clone()
            },
            Action::SetupApplied(mut model) => {
                let report = model.report.take();
                let matching = model.matching.take();
                let next = self.step(Action::Model(model));
                AppState {
                    // The tables the link carries, computed on this file.
                    view: View::Report,
                    sharing: Sharing {
                        applied: report.map(Rc::new),
                        matching: matching.map(Rc::new),
                        ..next.sharing.clone()
                    },
                    ..next
                }
            }
            Action::Match { shared, mine } => {
                let mut next = self.clone();
                let mut map: Vec<(String, String)> = (*self.sharing.map).clone();
                map.retain(|(s, _)| *s != shared);
                // One of the file's questions for one shared question: whoever the user
                // gave it before goes back to the automatic matching.
                map.retain(|(_, m)| mine.is_empty() || *m != mine);
                map.push((shared, mine));
                next.sharing.map = Rc::new(map);
                next
            }
            Action::ShareLink { fragment, left_out } => {
                let mut next = self.clone();
                next.sharing.link = Some(Rc::new((fragment, left_out)));
                next
            }
            Action::Aggregated { aggregate, xlsx } => {
                let mut next = self.clone();
                next.sharing.aggregate = Some(Rc::new(aggregate));
                next.sharing.aggregate_xlsx = Some(Rc::new(xlsx));
                next
            }
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
        let tabs = crate::analysis::tabulate(&survey, "性別", None, None).unwrap();
        let s = s.apply(Action::Tabulated {
            id: "性別".into(),
            tabs: tabs.clone(),
        });
        assert_eq!(s.tabulation.as_ref().unwrap()[0].base_count, 12);
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

    /// Issue 15: a wrong file dropped onto a loaded survey keeps that survey, its
    /// question and pinned tables; the error is shown above them.
    #[test]
    fn a_wrong_file_dropped_keeps_the_survey_shown() {
        let (summary, model, _) = loaded("性別,地区\n男性,北\n女性,南\n女性,北\n");
        let s = AppState::default()
            .apply(Action::Start {
                file_name: "a.csv".into(),
            })
            .apply(Action::Loaded {
                file_name: "a.csv".into(),
                fictitious: false,
                summary,
                model,
            })
            .apply(Action::Select("地区".into()))
            .apply(Action::Pin(TableSpec::Tabulation {
                question: "地区".into(),
                weight: None,
                filter: None,
            }));
        let shown = |s: &AppState| s.dataset().map(|d| d.file_name.clone());
        let reading = s.apply(Action::Start {
            file_name: "写真.png".into(),
        });
        assert!(matches!(reading.phase, Phase::Reading { .. }));
        let back = reading.apply(Action::Failed {
            file_name: "写真.png".into(),
            error: ReadError::Empty,
        });
        assert_eq!(shown(&back).as_deref(), Some("a.csv"));
        assert!(Rc::ptr_eq(
            back.model.as_ref().unwrap(),
            s.model.as_ref().unwrap()
        ));
        assert_eq!(back.selected.as_deref(), Some("地区"));
        assert_eq!(back.pinned.tables.len(), 1);
        assert!(matches!(&back.failure, Some((f, ReadError::Empty)) if f == "写真.png"));
        assert!(back.previous.is_none(), "nothing older is kept");
        assert!(back.apply(Action::DismissFailure).failure.is_none());
        // A cancelled reading brings the survey back with no error.
        let cancelled = s
            .apply(Action::Start {
                file_name: "b.csv".into(),
            })
            .apply(Action::Failed {
                file_name: "b.csv".into(),
                error: ReadError::Cancelled,
            });
        assert_eq!(shown(&cancelled).as_deref(), Some("a.csv"));
        assert!(cancelled.failure.is_none());
        // Clearing forgets what was kept.
        assert!(reading.apply(Action::Clear).previous.is_none());
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

    #[test]
    fn towns_compared_outlive_loading_a_file_but_not_clearing() {
        let csv = "性別\n男性\n女性\n女性\n";
        let (summary, model, survey) = loaded(csv);
        let t = AnalysisTemplate {
            tables: vec![TableSpec::Tabulation {
                question: "性別".into(),
                weight: None,
                filter: None,
            }],
            ..AnalysisTemplate::default()
        };
        let json = crate::analysis::aggregate::aggregate(&survey, &t, Default::default()).to_json();
        // Reachable with no file: the view and the files need no data.
        let s = AppState::default()
            .apply(Action::Show(View::Municipalities))
            .apply(Action::Towns(TownAction::Add(vec![(
                "甲市.json".into(),
                json,
            )])));
        assert!(matches!(s.phase, Phase::Idle));
        assert_eq!(s.view, View::Municipalities);
        assert_eq!(s.towns.files.len(), 1);
        assert!(View::ALL.contains(&View::Municipalities));
        let s = s
            .apply(Action::Start {
                file_name: "a.csv".into(),
            })
            .apply(Action::Loaded {
                file_name: "a.csv".into(),
                fictitious: false,
                summary,
                model,
            });
        assert_eq!(s.towns.files[0].name, "甲市");
        assert!(s.apply(Action::Clear).towns.files.is_empty());
    }
    #[test]
    fn a_link_opened_stays_through_files_and_clearing_and_makes_the_report() {
        let csv = "性別,問1\n男性,はい\n女性,いいえ\n女性,はい\n男性,はい\n";
        let (summary, model, survey) = loaded(csv);
        let template = AnalysisTemplate {
            tables: vec![TableSpec::Tabulation {
                question: "問1".into(),
                weight: None,
                filter: None,
            }],
            ..AnalysisTemplate::default()
        };
        let (setup, _) = crate::share::for_link(&survey, &template);
        let link = crate::share::encode(&setup);
        let s = AppState::default().apply(Action::OpenLink(crate::share::decode(&link)));
        assert_eq!(s.pinned.tables, template.tables);
        assert!(s.sharing.opened.is_some());
        let s = s
            .apply(Action::Start {
                file_name: "b.csv".into(),
            })
            .apply(Action::Loaded {
                file_name: "b.csv".into(),
                fictitious: false,
                summary,
                model: model.clone(),
            });
        assert!(s.sharing.opened.is_some());
        let mut applied = model.clone();
        applied.report = Some(Default::default());
        let s = s.apply(Action::SetupApplied(applied));
        assert_eq!(s.view, View::Report);
        assert!(s.sharing.applied.is_some());
        assert!(s.model.as_ref().unwrap().report.is_none());
        // The user's matches: one per shared question, one shared question per question
        // of the file; the next file starts without them.
        let m = s
            .apply(Action::Match {
                shared: "問1".into(),
                mine: "Q1".into(),
            })
            .apply(Action::Match {
                shared: "問2".into(),
                mine: "Q1".into(),
            })
            .apply(Action::Match {
                shared: "問3".into(),
                mine: String::new(),
            });
        assert_eq!(
            *m.sharing.map,
            [
                ("問2".to_string(), "Q1".to_string()),
                ("問3".to_string(), String::new())
            ]
        );
        assert!(m.apply(Action::Clear).sharing.map.is_empty());
        // Clearing forgets the file, not the setup: the next file gets the same tables.
        let s = s.apply(Action::Clear);
        assert!(s.model.is_none() && s.sharing.applied.is_none());
        assert_eq!(s.pinned.tables, template.tables);
        assert!(s.sharing.opened.is_some());
        let bad = AppState::default().apply(Action::OpenLink(crate::share::decode("#s1.AAAA")));
        assert!(bad.sharing.open_error.is_some() && bad.sharing.opened.is_none());
    }

    #[test]
    fn a_link_or_aggregate_made_before_the_tables_changed_is_dropped() {
        let s = AppState::default()
            .apply(Action::ShareLink {
                fragment: "s1.x".into(),
                left_out: Default::default(),
            })
            .apply(Action::Aggregated {
                aggregate: crate::analysis::aggregate::aggregate(
                    &crate::model::Survey::infer(crate::table::Table::default()),
                    &crate::analysis::AnalysisTemplate::default(),
                    Default::default(),
                ),
                xlsx: vec![1],
            });
        assert!(s.sharing.link.is_some() && s.sharing.aggregate.is_some());
        // Showing another view changes nothing made.
        let same = s.apply(Action::Show(View::Crosstab));
        assert!(same.sharing.link.is_some() && same.sharing.aggregate_xlsx.is_some());
        let pinned = s.apply(Action::Pin(TableSpec::Tabulation {
            question: "問1".into(),
            weight: None,
            filter: None,
        }));
        assert!(pinned.sharing.link.is_none() && pinned.sharing.aggregate.is_none());
    }
}
