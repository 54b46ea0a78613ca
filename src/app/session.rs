//! The engine behind the page, as messages. The loaded table lives where the engine runs
//! (a Web Worker, or the page itself when workers are unavailable, e.g. from file://); the
//! page sends [`Request`]s and receives [`Reply`]s holding only results and summaries,
//! never the table. Pure and tested natively; `ui::backend` carries the messages.

use serde::{Deserialize, Serialize};

use crate::analysis::crosstab::{raw_cells, CrosstabCells};
use crate::analysis::{
    tabulate, AnalysisTemplate, Crosstab, CrosstabSpec, Measure, NationalComparison, Report,
    Tabulation,
};
use crate::ingest::{Loaded, QuoteAt, ReadError, ReadInfo, ReadOptions, Warning};
use crate::lang::Lang;
use crate::message::Message;
use crate::model::codebook::{self, ApplyReport, Codebook};
use crate::model::derive::DeriveError;
use crate::model::{Question, Survey, SurveyModel};
use crate::table::ColumnSummary;

use super::shown_warning::ShownWarning;
use super::workbook::Workbook;
use super::workbook_read::{Purpose, SheetRead, WorkbookRead};

/// Rows shown in the preview under the load summary.
pub const PREVIEW_ROWS: usize = 8;
/// What the preview shows instead of an identifier's or a free-text answer's cell.
pub const HIDDEN: &str = "（非表示）";

/// What the page knows of a loaded file: how it was read, its columns, the first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub info: ReadInfo,
    /// What reading repaired or wants said, as the page shows it (`app::shown_warning`).
    pub warnings: Vec<ShownWarning>,
    pub columns: Vec<ColumnSummary>,
    /// The first rows, cell by cell, so the user can see the encoding guess was right.
    pub preview: Vec<Vec<String>>,
}

/// What a raking did: convergence and the spread of the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RakeReport {
    pub name: String,
    pub converged: bool,
    pub iterations: usize,
    /// The largest relative gap between a margin and its target after the last cycle.
    pub max_discrepancy: f64,
    pub summary: crate::stats::WeightSummary,
    /// What the page must say about it (totals that disagree, answers left out and the
    /// rule for them, a population of 0 with respondents), in plain words.
    pub warnings: Vec<Message>,
}

/// The survey model as the page shows and edits it, with what the engine made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ModelView {
    pub model: SurveyModel,
    /// Questions of the derived variables (UCLA score …), generated from their recipes.
    pub derived: Vec<Question>,
    pub derive_errors: Vec<DeriveError>,
    /// Answered questions per question id (n shown in the list).
    pub answered: Vec<(String, u64)>,
    /// What the last codebook import did.
    pub report: Option<ApplyReport>,
    /// Per single-answer question (id): the answers that may not be published — given by
    /// fewer than 3 respondents, unless a code or the national wording (the share link's
    /// rule, `share::redact::Keep`). The raking panel merges them into a neighbour.
    #[serde(default)]
    pub rare_options: Vec<(String, Vec<String>)>,
    /// After a shared setup: which of this file's questions each shared one met, and how
    /// (the page's matching screen).
    #[serde(default)]
    pub matching: Option<crate::share::Matching>,
}

impl ModelView {
    /// A question of the file or a derived one.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.model
            .question(id)
            .or_else(|| self.derived.iter().find(|q| q.id == id))
    }

    /// The weights a table can use, as (column, label): the file's weight columns and
    /// the weights made here (raking).
    pub fn weight_choices(&self) -> Vec<(String, String)> {
        self.model
            .questions
            .iter()
            .chain(&self.derived)
            .filter(|q| q.kind == crate::model::Kind::Weight && q.include)
            .map(|q| (q.columns[0].clone(), q.label.clone()))
            .collect()
    }

    /// The answers of question `id` the raking panel does not ask a population for alone.
    pub fn rare_options(&self, id: &str) -> &[String] {
        self.rare_options
            .iter()
            .find(|(q, _)| q == id)
            .map_or(&[], |(_, r)| r.as_slice())
    }

    pub fn answered(&self, id: &str) -> u64 {
        self.answered
            .iter()
            .find(|(q, _)| q == id)
            .map(|a| a.1)
            .unwrap_or(0)
    }

    pub fn of(survey: &Survey, report: Option<ApplyReport>) -> ModelView {
        let answered = survey
            .questions()
            .map(|q| {
                // A multiple answer's n is who chose something (0/1 columns are never
                // blank); otherwise the most filled-in of its columns.
                let multiple = q.kind == crate::model::Kind::Multiple && q.include;
                let respondents = if multiple {
                    crate::analysis::tabulation::respondents(survey, &q.id).ok()
                } else {
                    None
                };
                let n = match respondents {
                    Some(n) => n,
                    None => q
                        .columns
                        .iter()
                        .filter_map(|c| survey.table.column(c))
                        .map(|c| c.len() as u64 - c.code_counts()[0])
                        .max()
                        .unwrap_or(0),
                };
                (q.id.clone(), n)
            })
            .collect();
        let keep = crate::share::redact::Keep::new(survey);
        let rare_options = survey
            .questions()
            .filter(|q| q.include && q.kind == crate::model::Kind::Single)
            .filter_map(|q| {
                let rare: Vec<String> = q
                    .options()
                    .filter(|v| !keep.answer(q, v))
                    .map(|v| v.code.clone())
                    .collect();
                (!rare.is_empty()).then(|| (q.id.clone(), rare))
            })
            .collect();
        ModelView {
            model: survey.model.clone(),
            derived: survey.derived_questions.clone(),
            derive_errors: survey.derive_errors.clone(),
            answered,
            report,
            rare_options,
            matching: None,
        }
    }
}

impl Summary {
    pub fn of(loaded: &Loaded) -> Summary {
        let table = &loaded.table;
        Summary {
            info: loaded.info.clone(),
            warnings: loaded.warnings.iter().map(ShownWarning::of).collect(),
            columns: table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| c.summary(i + 1))
                .collect(),
            preview: (0..table.rows.min(PREVIEW_ROWS))
                .map(|r| {
                    table
                        .columns
                        .iter()
                        .map(|c| c.value(r).to_string())
                        .collect()
                })
                .collect(),
        }
    }
}

/// How to read a file: what the user chose on the page (nothing = detect).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoadRequest {
    /// An encoding label from `ingest::encoding::CHOICES`; `None` detects it.
    pub encoding: Option<String>,
    /// The sheet of a workbook; `None` reads the first sheet that holds a table.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Quotes to read as ordinary characters (「引用符を文字として読み直す」, the repair of
    /// `Warning::RunawayQuote`): `ReadOptions::literal_quotes`.
    #[serde(default)]
    pub literal_quotes: Vec<QuoteAt>,
    /// Rows of the header (「見出しは N 行」): `ReadOptions::header_rows`; `None` finds
    /// a header block.
    #[serde(default)]
    pub header_rows: Option<usize>,
}

impl LoadRequest {
    /// A reader for any kind of file, set up as the user chose.
    pub fn reader(&self) -> crate::ingest::FileReader {
        crate::ingest::FileReader::new(self.read_options(), self.sheet.clone())
    }

    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            encoding: self
                .encoding
                .as_deref()
                .and_then(crate::ingest::encoding::by_label),
            literal_quotes: self.literal_quotes.clone(),
            header_rows: self.header_rows,
            ..ReadOptions::default()
        }
    }

    /// The same reading with the header `rows` rows (the choice 「見出しは N 行」):
    /// the encoding, sheet and quotes chosen stay.
    pub fn with_header_rows(&self, rows: usize) -> LoadRequest {
        LoadRequest {
            header_rows: Some(rows.max(1)),
            ..self.clone()
        }
    }

    /// The same reading with the quote at `at` read as a character too (the quotes read
    /// so already stay so): the button of a runaway quote.
    pub fn with_literal_quote(&self, at: QuoteAt) -> LoadRequest {
        let mut request = self.clone();
        if !request.literal_quotes.contains(&at) {
            request.literal_quotes.push(at);
        }
        request
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The tabulation(s) of a question (one per item for a grid).
    TabulateQuestion { id: String },
    /// The user edited the model (labels, kinds, included questions, national items).
    UpdateModel(Box<SurveyModel>),
    /// A codebook file the user picked: a sheet (CSV/xlsx) or a saved model (.json).
    ApplyCodebook {
        name: String,
        #[serde(with = "crate::app::file_bytes")]
        bytes: Vec<u8>,
    },
    /// A crosstab with its statistics (クロス集計).
    Crosstab(Box<CrosstabSpec>),
    /// Weights raked to population totals, kept as a derived weight column.
    Rake(Box<crate::model::Derived>),
    /// Every pinned table computed (the report page).
    RunReport(Box<AnalysisTemplate>),
    /// The same report as an .xlsx workbook, one sheet per table.
    ReportXlsx(Box<AnalysisTemplate>, Lang),
    /// The local figures beside the national survey's.
    Compare {
        measure: Measure,
        weight: Option<String>,
    },
    /// The share link of this setup (the model as it may be shared, and these tables).
    ShareLink(Box<AnalysisTemplate>),
    /// A shared setup (from a link) applied to the loaded file, with the user's matches
    /// (shared question, this file's; empty for none) before the automatic ones.
    ApplySetup {
        setup: Box<crate::share::Setup>,
        map: Vec<(String, String)>,
    },
    /// The tables as an aggregate to share outside (disclosure control applied), with its
    /// workbook.
    Aggregate {
        template: Box<AnalysisTemplate>,
        rules: crate::stats::disclosure::Rules,
        /// The municipality's name, stored in the file and naming it (blank: none).
        municipality: String,
    },
    /// Cells of a crosstab by column names (used by the benchmark page).
    CrosstabCells {
        row: String,
        col: String,
        weight: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has started and takes messages (those sent earlier wait for this).
    Ready,
    Progress {
        bytes: f64,
        total: f64,
        rows: u64,
    },
    /// The file was read: its summary and the model inferred from it.
    Loaded(Box<Summary>, Box<ModelView>),
    Failed(ReadError),
    Tabulations {
        id: String,
        tabs: Vec<Tabulation>,
    },
    Model(Box<ModelView>),
    Crosstab(Box<Crosstab>),
    Comparison(Box<NationalComparison>),
    Report(Box<Report>),
    /// A file for the user to save (name, bytes).
    File {
        name: String,
        #[serde(with = "crate::app::file_bytes")]
        bytes: Vec<u8>,
    },
    /// A workbook to write before the page gets its reply (`File` or `Aggregated`): the
    /// worker holds no xlsx writer (`app::workbook`). Never reaches the page's state.
    /// Never decoded either: the page passes it on as it came, `{Write: …}` being the
    /// writer's `Job::Write` too (`ui::backend`), so the page's module holds neither the
    /// workbook's decoder nor its encoder.
    #[serde(skip_deserializing)]
    Write(Box<Workbook>),
    /// A workbook to read before the engine can go on (a dropped survey file, a codebook):
    /// the worker holds no workbook reader (`app::workbook_read`); its sheet comes back
    /// to `Session::sheet`. Never reaches the page's state.
    ReadWorkbook(Box<WorkbookRead>),
    /// The raking's report, and the model now holding the new weight.
    Raked(Box<RakeReport>, Box<ModelView>),
    CrosstabCells(CrosstabCells),
    /// The model after a shared setup was applied, with what matched (in `report`).
    SetupApplied(Box<ModelView>),
    /// The fragment of the share link (without `#`) and what was kept out of it.
    ShareLink {
        fragment: String,
        left_out: crate::share::LeftOut,
    },
    /// The aggregate of the tables, and the same as an .xlsx workbook.
    Aggregated {
        aggregate: Box<crate::analysis::aggregate::Aggregate>,
        #[serde(with = "crate::app::file_bytes")]
        xlsx: Vec<u8>,
    },
    /// A request the engine could not answer (e.g. an unknown column).
    Refused(Message),
}

/// The loaded survey and the answers to requests about it.
#[derive(Debug, Default)]
pub struct Session {
    survey: Option<Survey>,
    /// What reading found that makes every figure wrong (`Warning::report_note`): said
    /// in every report and aggregate made from the file.
    read_notes: Vec<String>,
    /// The model before and after the last shared setup went on: a setup applied again
    /// with another matching starts from the file's own model, not from the previous
    /// matching (while nothing else changed the model in between).
    setup_base: Option<(SurveyModel, SurveyModel)>,
}

impl Session {
    /// Keeps the table, infers its model, and returns both summaries for the page.
    pub fn loaded(&mut self, loaded: Loaded) -> Reply {
        let mut summary = Summary::of(&loaded);
        self.read_notes = loaded
            .warnings
            .iter()
            .filter_map(Warning::report_note)
            .collect();
        let survey = Survey::infer(loaded.table);
        // A first row that looks like a respondent: said with the other load warnings.
        summary.warnings.extend(
            crate::model::header::warning(survey.file_columns(), &survey.model.questions, false)
                .iter()
                .map(ShownWarning::of),
        );
        // The preview is a table too: cells of identifiers and free text are hidden there.
        for (i, column) in survey.file_columns().iter().enumerate() {
            if survey
                .model
                .question_of_column(&column.name)
                .is_some_and(|q| !q.include)
            {
                for row in &mut summary.preview {
                    if let Some(cell) = row.get_mut(i).filter(|c| !c.is_empty()) {
                        *cell = HIDDEN.to_string();
                    }
                }
            }
        }
        let view = ModelView::of(&survey, None);
        self.survey = Some(survey);
        self.setup_base = None;
        Reply::Loaded(Box::new(summary), Box::new(view))
    }

    /// A workbook's sheet read by the workbook module (`Reply::ReadWorkbook`): assembled
    /// here, then loaded or applied as a codebook as if the file had been read here.
    pub fn sheet(&mut self, read: SheetRead) -> Reply {
        let loaded = read.grid.and_then(|grid| grid.assemble());
        match read.purpose {
            Purpose::Load => match loaded {
                Ok(loaded) => self.loaded(loaded),
                Err(error) => Reply::Failed(error),
            },
            Purpose::Codebook { name } => {
                let Some(survey) = &mut self.survey else {
                    return refused("データが読み込まれていません。", "No data is loaded.");
                };
                match loaded
                    .map_err(|e| read_failed(&name, e))
                    .and_then(|l| Codebook::from_table(&l.table, &name))
                {
                    Ok(book) => apply_codebook(survey, &mut self.setup_base, &book),
                    Err(m) => Reply::Refused(m),
                }
            }
        }
    }

    pub fn handle(&mut self, request: Request) -> Reply {
        let Some(survey) = &mut self.survey else {
            return refused("データが読み込まれていません。", "No data is loaded.");
        };
        match request {
            Request::TabulateQuestion { id } => match tabulate(survey, &id, None, None) {
                Ok(tabs) => Reply::Tabulations { id, tabs },
                Err(r) => refused(&r.ja, &r.en),
            },
            Request::UpdateModel(model) => {
                survey.set_model(*model);
                Reply::Model(Box::new(ModelView::of(survey, None)))
            }
            Request::ApplyCodebook { name, bytes } => {
                if !is_json(&name, &bytes) && crate::ingest::is_workbook(&bytes) {
                    return Reply::ReadWorkbook(Box::new(WorkbookRead::codebook(name, bytes)));
                }
                match read_codebook(&name, &bytes) {
                    Ok(book) => apply_codebook(survey, &mut self.setup_base, &book),
                    Err(m) => Reply::Refused(m),
                }
            }
            Request::Crosstab(spec) => match crate::analysis::crosstab(survey, &spec) {
                Ok(x) => Reply::Crosstab(Box::new(x)),
                Err(r) => refused(&r.ja, &r.en),
            },
            Request::Rake(derived) => {
                let raked = match derived.rake(&survey.table) {
                    Ok(r) => r,
                    Err(e) => return refused(&e.ja(), &e.en()),
                };
                let report = RakeReport {
                    name: derived.name.clone(),
                    converged: raked.converged,
                    iterations: raked.iterations,
                    max_discrepancy: raked.max_discrepancy.last().copied().unwrap_or(0.0),
                    summary: crate::stats::weight_summary(&raked.weights),
                    warnings: raked.warnings.iter().map(|w| w.message()).collect(),
                };
                let mut model = survey.model.clone();
                model.derived.retain(|d| d.name != derived.name);
                model.derived.push(*derived);
                survey.set_model(model);
                Reply::Raked(Box::new(report), Box::new(ModelView::of(survey, None)))
            }
            Request::RunReport(template) => {
                let mut report = crate::analysis::run(survey, &template);
                report.read_notes = self.read_notes.clone();
                Reply::Report(Box::new(report))
            }
            Request::ReportXlsx(template, lang) => {
                let mut report = crate::analysis::run(survey, &template);
                report.read_notes = self.read_notes.clone();
                let name = format!(
                    "{}.xlsx",
                    if template.title.trim().is_empty() {
                        lang.pick("集計レポート", "Report")
                    } else {
                        template.title.trim()
                    }
                );
                Reply::Write(Box::new(Workbook::Report {
                    name,
                    report: Box::new(report),
                    lang,
                }))
            }
            Request::Compare { measure, weight } => {
                match crate::analysis::compare(survey, measure, weight.as_deref()) {
                    Ok(c) => Reply::Comparison(Box::new(c)),
                    Err(r) => refused(&r.ja, &r.en),
                }
            }
            Request::ShareLink(template) => {
                let (setup, left_out) = crate::share::for_link(survey, &template);
                Reply::ShareLink {
                    fragment: crate::share::encode(&setup),
                    left_out,
                }
            }
            Request::ApplySetup { setup, map } => {
                let before = match self.setup_base.take() {
                    Some((before, after)) if after == survey.model => before,
                    _ => survey.model.clone(),
                };
                survey.set_model(before.clone());
                let report = crate::share::apply_setup_mapped(survey, &setup, &map);
                self.setup_base = Some((before, survey.model.clone()));
                let mut view = ModelView::of(survey, Some(report.applied));
                view.matching = Some(report.matching);
                Reply::SetupApplied(Box::new(view))
            }
            Request::Aggregate {
                template,
                rules,
                municipality,
            } => {
                let mut aggregate = crate::analysis::aggregate::aggregate(survey, &template, rules)
                    .named(&municipality);
                for note in self.read_notes.iter().rev() {
                    aggregate.note_ja = format!("{note}\n{}", aggregate.note_ja);
                }
                Reply::Write(Box::new(Workbook::Aggregate(Box::new(aggregate))))
            }
            Request::CrosstabCells { row, col, weight } => {
                let r = match survey.usable_column(&row) {
                    Ok(c) => c,
                    Err(e) => return refused(&e.ja, &e.en),
                };
                let c = match survey.usable_column(&col) {
                    Ok(c) => c,
                    Err(e) => return refused(&e.ja, &e.en),
                };
                let w = match weight
                    .as_deref()
                    .map(|w| survey.usable_column(w))
                    .transpose()
                {
                    Ok(w) => w,
                    Err(e) => return refused(&e.ja, &e.en),
                };
                Reply::CrosstabCells(raw_cells(r, c, w))
            }
        }
    }
}

/// Whether a codebook file is a saved model (JSON): by its name or its first byte.
fn is_json(name: &str, bytes: &[u8]) -> bool {
    let trimmed = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    name.to_lowercase().ends_with(".json") || trimmed.first() == Some(&b'{')
}

/// A codebook from the bytes of the file the user picked: a saved model (JSON) or a text
/// sheet (a workbook goes to the workbook module first: `Reply::ReadWorkbook`).
fn read_codebook(name: &str, bytes: &[u8]) -> Result<Codebook, Message> {
    if is_json(name, bytes) {
        let trimmed = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        let text = String::from_utf8_lossy(trimmed);
        return SurveyModel::from_json(&text)
            .map(|m| Codebook::from_model(&m))
            .map_err(|e| Message::new(format!("{name}: {}", e.ja), format!("{name}: {}", e.en)));
    }
    let failed = |e: ReadError| read_failed(name, e);
    let mut reader = LoadRequest::default().reader();
    reader.push(bytes).map_err(failed)?;
    match reader.finish_or_workbook().map_err(failed)? {
        crate::ingest::Finished::Loaded(loaded) => Codebook::from_table(&loaded.table, name),
        // `handle` sent it to the workbook module (the same test on the same bytes).
        crate::ingest::Finished::Workbook(_) => {
            Err(Message::internal("a workbook codebook read as text"))
        }
    }
}

/// Why codebook `name` could not be read.
fn read_failed(name: &str, e: ReadError) -> Message {
    Message::new(format!("{name}: {}", e.ja()), format!("{name}: {}", e.en()))
}

/// A codebook applied to the loaded survey.
fn apply_codebook(
    survey: &mut Survey,
    setup_base: &mut Option<(SurveyModel, SurveyModel)>,
    book: &Codebook,
) -> Reply {
    // A codebook picked after a link went on is the file's own: it goes onto the model
    // from before the link (the page applies the link again after it), so the link's
    // entries don't stand in the way of the codebook's.
    if let Some((before, after)) = setup_base.take() {
        if after == survey.model {
            survey.set_model(before);
        }
    }
    let mut model = survey.model.clone();
    let report = codebook::apply(&mut model, book, &survey.table);
    survey.set_model(model);
    Reply::Model(Box::new(ModelView::of(survey, Some(report))))
}

fn refused(ja: &str, en: &str) -> Reply {
    Reply::Refused(Message::new(ja, en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    #[test]
    fn the_page_gets_summaries_and_results_not_the_table() {
        let loaded = read_bytes(
            "ID,性別\n1,男性\n2,女性\n3,\n".as_bytes(),
            ReadOptions::default(),
        )
        .unwrap();
        let mut s = Session::default();
        assert!(matches!(
            s.handle(Request::TabulateQuestion {
                id: "性別".into()
            }),
            Reply::Refused(_)
        ));
        let Reply::Loaded(summary, _) = s.loaded(loaded) else {
            panic!()
        };
        assert_eq!(summary.columns.len(), 2);
        // The ID is hidden in the preview (an identifier); answers are shown.
        assert_eq!(summary.preview[1], vec![HIDDEN, "女性"]);
        let Reply::Tabulations { tabs, .. } = s.handle(Request::TabulateQuestion {
            id: "性別".into(),
        }) else {
            panic!()
        };
        assert_eq!(tabs[0].base_count, 3);
        assert!(matches!(
            s.handle(Request::TabulateQuestion { id: "nope".into() }),
            Reply::Refused(_)
        ));
        // "ID" names an identifier: refused until the user turns it on.
        let reply = s.handle(Request::CrosstabCells {
            row: "性別".into(),
            col: "ID".into(),
            weight: None,
        });
        assert!(matches!(reply, Reply::Refused(_)), "{reply:?}");
        let reply = s.handle(Request::CrosstabCells {
            row: "性別".into(),
            col: "性別".into(),
            weight: None,
        });
        let Reply::CrosstabCells(x) = reply else {
            panic!("{reply:?}")
        };
        assert_eq!(x.cells.len(), 3);
    }

    #[test]
    fn questions_codebooks_and_the_personal_gate() {
        let mut s = Session::default();
        let Reply::Loaded(summary, view) = s.loaded(
            read_bytes(
                &std::fs::read("tests/fixtures/coded.csv").unwrap(),
                ReadOptions::default(),
            )
            .unwrap(),
        ) else {
            panic!()
        };
        assert!(view.model.question("q4").is_some());
        // n of the 0/1 set: respondents who ticked something (one row left it blank).
        assert_eq!(view.answered("q4"), 59);
        assert_eq!(
            view.weight_choices(),
            vec![("weight".to_string(), "weight".to_string())]
        );
        assert!(
            summary.preview.iter().all(|r| r[0] == HIDDEN),
            "the ID column is hidden"
        );
        assert!(summary
            .preview
            .iter()
            .all(|r| r[14].is_empty() || r[14] == HIDDEN));
        assert_eq!(summary.preview[0][1], "2", "answers stay visible");
        // Identifiers are refused by question and in a crosstab.
        assert!(matches!(
            s.handle(Request::TabulateQuestion { id: "id".into() }),
            Reply::Refused(_)
        ));
        let cross = Request::CrosstabCells {
            row: "sex".into(),
            col: "q5".into(),
            weight: None,
        };
        assert!(matches!(s.handle(cross.clone()), Reply::Refused(_)));
        // Turning it on (as the question list does) lets it through.
        let mut model = view.model.clone();
        model.question_mut("q5").unwrap().include = true;
        assert!(matches!(
            s.handle(Request::UpdateModel(Box::new(model))),
            Reply::Model(_)
        ));
        assert!(matches!(s.handle(cross), Reply::CrosstabCells(_)));
        // A codebook sheet picked on the page.
        let reply = s.handle(Request::ApplyCodebook {
            name: "coded_codebook.csv".into(),
            bytes: std::fs::read("tests/fixtures/coded_codebook.csv").unwrap(),
        });
        let Reply::Model(view) = reply else {
            panic!("{reply:?}")
        };
        assert!(view
            .report
            .as_ref()
            .unwrap()
            .matched
            .contains(&"q4".to_string()));
        assert!(view
            .derived
            .iter()
            .any(|q| q.id == crate::model::national::UCLA_SCORE));
        let Reply::Tabulations { tabs, .. } =
            s.handle(Request::TabulateQuestion { id: "q1".into() })
        else {
            panic!()
        };
        assert_eq!(tabs[0].categories[0].label, "決してない");
        let bad = s.handle(Request::ApplyCodebook {
            name: "x.json".into(),
            bytes: b"{\"a\":1}".to_vec(),
        });
        assert!(matches!(bad, Reply::Refused(m) if m.ja.contains("x.json")));
    }

    /// Issue 14 item 13: a header of three rows is found and said; 「見出しは 1 行」
    /// reads the file again with the rows as respondents, and says that too.
    #[test]
    fn the_header_rows_chosen_on_the_page_read_the_file_again() {
        let mut text = String::from("問1,問2,F1\nさびしさ,会う頻度,年齢\n");
        for i in 0..30 {
            text.push_str(&format!("{},{},{}\n", i % 4 + 1, i % 6 + 1, 20 + i));
        }
        let read = |request: &LoadRequest| {
            let mut reader = request.reader();
            reader.push(text.as_bytes()).unwrap();
            reader.finish().unwrap()
        };
        let auto = LoadRequest {
            encoding: Some("utf-8".into()),
            ..LoadRequest::default()
        };
        let loaded = read(&auto);
        assert_eq!(loaded.table.rows, 30);
        assert_eq!(
            loaded.warnings,
            [Warning::HeaderBlock {
                rows: 2,
                found: true
            }]
        );
        let one = auto.with_header_rows(1);
        assert_eq!(one.encoding, auto.encoding, "the encoding chosen stays");
        let loaded = read(&one);
        assert_eq!(loaded.table.rows, 31);
        assert_eq!(
            loaded.warnings,
            [Warning::HeaderBlockRowsKept { rows: 1, found: 2 }]
        );
    }

    /// Issue 14: a stray quote in row 11 of 300. The load summary says it first, every
    /// report and aggregate made from the file says it, and the re-read the warning's
    /// button asks for reads all 300 respondents, reports the repair, and the notes go.
    #[test]
    fn a_runaway_quote_is_said_in_every_report_until_the_file_is_read_again() {
        use crate::analysis::{AnalysisTemplate, TableSpec};
        let mut text = String::from("ID,性別,ご意見\r\n");
        for i in 1..=300 {
            let sex = ["女性", "男性"][i % 2];
            let opinion = if i == 11 { "\"駅が遠い" } else { "なし" };
            text.push_str(&format!("{i},{sex},{opinion}\r\n"));
        }
        let read = |request: &LoadRequest| {
            let mut reader = request.reader();
            reader.push(text.as_bytes()).unwrap();
            reader.finish().unwrap()
        };
        let template = AnalysisTemplate {
            tables: vec![TableSpec::Tabulation {
                question: "性別".into(),
                weight: None,
                filter: None,
            }],
            ..AnalysisTemplate::default()
        };
        let mut s = Session::default();
        let Reply::Loaded(summary, _) = s.loaded(read(&LoadRequest::default())) else {
            panic!()
        };
        assert_eq!(summary.info.rows, 11);
        let at = summary.warnings[0].runaway_quote().expect("said first");
        assert_eq!(at, QuoteAt { row: 11, column: 3 });
        assert!(summary.warnings[0].is_severe());
        let Reply::Report(report) = s.handle(Request::RunReport(Box::new(template.clone()))) else {
            panic!()
        };
        assert_eq!(report.read_notes.len(), 1);
        assert!(report.read_notes[0].contains("--literal-quote 11:3"));
        let csv = String::from_utf8(crate::analysis::layout::to_csv(&report, Lang::Ja)).unwrap();
        assert!(
            csv.lines()
                .take(3)
                .any(|l| l.contains("閉じられていない引用符")),
            "{csv}"
        );
        {
            use calamine::Reader;
            let xlsx = crate::analysis::layout::to_xlsx(&report, Lang::Ja).unwrap();
            let mut wb = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
            let sheet = wb.worksheet_range("1 単純集計").unwrap();
            let a2 = sheet.get_value((1, 0)).unwrap().to_string();
            assert_eq!(a2, report.read_notes[0], "between the title and the table");
        }
        let Reply::Write(book) = s.handle(Request::Aggregate {
            template: Box::new(template.clone()),
            rules: crate::disclosure::Rules::default(),
            municipality: String::new(),
        }) else {
            panic!()
        };
        let Reply::Aggregated { aggregate, .. } = book.write() else {
            panic!()
        };
        assert!(aggregate.note_ja.starts_with(&report.read_notes[0]));

        // The button: the same reading, with that quote as a character.
        let request = LoadRequest::default().with_literal_quote(at);
        assert_eq!(request.with_literal_quote(at), request, "asked once");
        let loaded = read(&request);
        assert!(matches!(
            loaded.warnings[..],
            [Warning::QuoteReadAsText {
                row: 11,
                line: 12,
                column: 3,
                ..
            }]
        ));
        let shown = ShownWarning::of(&loaded.warnings[0]);
        let Reply::Loaded(summary, _) = s.loaded(loaded) else {
            panic!()
        };
        assert_eq!(summary.info.rows, 300);
        assert_eq!(summary.warnings, [shown]);
        let Reply::Report(report) = s.handle(Request::RunReport(Box::new(template))) else {
            panic!()
        };
        assert!(report.read_notes.is_empty());
        let Reply::Tabulations { tabs, .. } = s.handle(Request::TabulateQuestion {
            id: "性別".into(),
        }) else {
            panic!()
        };
        assert_eq!(tabs[0].base_count, 300);
    }

    /// Issue 14 item 9: a weight raked on the national 年代 (a variable the national
    /// template derives from 年齢) is offered in every weight list, as one raked on a
    /// column of the file is.
    #[test]
    fn a_weight_raked_on_a_derived_variable_is_offered() {
        use crate::model::derive::{RakeMargin, Target};
        use crate::model::national::AGE_GROUPS;
        let mut text = String::from("ID,性別,年齢\n");
        // Ages repeat (so they read as numbers, not as identifiers).
        for i in 0..200 {
            let sex = ["女性", "男性"][i % 2];
            text.push_str(&format!("{i},{sex},{}\n", 16 + (i * 13) % 70));
        }
        let mut s = Session::default();
        let Reply::Loaded(_, view) =
            s.loaded(read_bytes(text.as_bytes(), ReadOptions::default()).unwrap())
        else {
            panic!()
        };
        let ages = view
            .question(AGE_GROUPS)
            .expect("the national 年代 is derived");
        // As the raking panel asks: a population for every group it lists.
        let targets: Vec<Target> =
            crate::model::rake_groups::rake_rows(ages, view.rare_options(AGE_GROUPS))
                .into_iter()
                .map(|r| Target {
                    value: r.code,
                    total: 1000.0,
                    merged: r.merged.into_iter().map(|(c, _)| c).collect(),
                })
                .collect();
        assert!(targets.len() >= 2);
        let derived = crate::model::Derived {
            name: "人口ウェイト".into(),
            recipe: crate::model::Recipe::Rake {
                margins: vec![RakeMargin {
                    source: AGE_GROUPS.into(),
                    targets,
                    left_out: Vec::new(),
                }],
                base_weight: None,
                trim: None,
            },
            national: false,
        };
        let reply = s.handle(Request::Rake(Box::new(derived)));
        let Reply::Raked(report, view) = reply else {
            panic!("{reply:?}")
        };
        assert!(report.converged);
        assert!(view.derive_errors.is_empty(), "{:?}", view.derive_errors);
        assert!(
            view.weight_choices()
                .iter()
                .any(|(c, _)| c == "人口ウェイト"),
            "{:?}",
            view.weight_choices()
        );
        // And it stays there when the model is edited (the national items refreshed).
        let Reply::Model(view) = s.handle(Request::UpdateModel(Box::new(view.model.clone())))
        else {
            panic!()
        };
        assert!(view
            .weight_choices()
            .iter()
            .any(|(c, _)| c == "人口ウェイト"));
    }

    #[test]
    fn replies_survive_serialisation() {
        let loaded = read_bytes("a,b\n1,2\n".as_bytes(), ReadOptions::default()).unwrap();
        let reply = Session::default().loaded(loaded);
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
    }
}
