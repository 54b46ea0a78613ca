//! Fixtures shared by the test binaries: the files of tests/fixtures/ read the way the app
//! reads them, and the bundled sample survey. Each binary uses a subset.
#![allow(dead_code)]

use tsunagari::ingest::{read_bytes, ReadOptions};
use tsunagari::model::codebook::{self, Codebook};
use tsunagari::model::{Survey, SurveyModel};
use tsunagari::table::Table;

/// The coded paper survey (CP932) and its codebook.
pub const CODED: &str = "tests/fixtures/coded.csv";
pub const CODEBOOK: &str = "tests/fixtures/coded_codebook.csv";
/// One town's Google Forms export.
pub const GOOGLE_FORMS: &str = "tests/fixtures/google_forms.csv";

/// Where `make bench` wrote its generated files (10k–1M rows, not in the repository), for
/// the ignored tests that read them: `TSUNAGARI_BENCH_DATA`, else target/bench/data.
pub fn bench_data_dir() -> String {
    std::env::var("TSUNAGARI_BENCH_DATA")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench/data").into())
}

/// The table of a file's bytes, with the default options.
pub fn table(bytes: &[u8]) -> Table {
    read_bytes(bytes, ReadOptions::default()).unwrap().table
}

/// The table of a file under tests/fixtures/ (a path from the crate root).
pub fn load(path: &str) -> Table {
    table(&std::fs::read(path).unwrap())
}

/// A fixture file as a survey, questions inferred.
pub fn survey(path: &str) -> Survey {
    Survey::infer(load(path))
}

/// The coded fixture with its codebook applied.
pub fn coded_survey() -> Survey {
    let table = load(CODED);
    let mut model = SurveyModel::infer(&table);
    let book = Codebook::from_table(&load(CODEBOOK), CODEBOOK).unwrap();
    codebook::apply(&mut model, &book, &table);
    Survey::with_model(table, model)
}

/// The bundled sample survey (the national questionnaire, 1,000 respondents) as a table.
pub fn sample_table() -> Table {
    table(&tsunagari::sample::csv_bytes())
}

/// The bundled sample survey, questions inferred.
pub fn sample_survey() -> Survey {
    Survey::infer(sample_table())
}
