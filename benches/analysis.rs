//! Table-layer benchmark: `cargo bench --bench analysis -- FILE`.
//!
//! Loads the file once (e.g. ../shared/bench's `gen.py --rows 1m`, 57 columns), infers
//! the model, then times (median of 5 runs after 1 warm-up):
//! - a crosstab of two questions (q1 × region), unweighted and weighted, with every
//!   statistic the report shows;
//! - the same with a layer (sex) and a filter;
//! - the tabulation of every question (personal columns turned on for the measurement),
//!   unweighted and weighted, by `analysis::tabulate`.
//!
//! Targets (native): crosstab < 30 ms, all 57 columns < 1 s. A benchmark, not a test:
//! nothing here asserts a speed.

use std::io::Read;
use std::time::Instant;

use tsunagari::analysis::{crosstab, tabulate, CrosstabSpec, Filter};
use tsunagari::ingest::{CsvReader, ReadOptions};
use tsunagari::model::{Survey, SurveyModel};

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    for run in 0..6 {
        let t = Instant::now();
        f();
        if run > 0 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench analysis -- FILE");
        return;
    };
    let mut reader = CsvReader::new(ReadOptions {
        max_bytes: u64::MAX,
        ..ReadOptions::default()
    });
    let mut f = std::fs::File::open(&path).expect("open");
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        reader.push(&buf[..n]).expect("push");
    }
    let table = reader.finish().expect("finish").table;
    let rows = table.rows;
    let columns = table.columns.len();
    let t = Instant::now();
    let mut model = SurveyModel::infer(&table);
    for q in &mut model.questions {
        q.include = true;
    }
    let survey = Survey::with_model(table, model);
    let infer = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{path}: {rows} rows, {columns} columns, {} questions; model inferred in {infer:.0} ms",
        survey.model.questions.len()
    );

    let plain = CrosstabSpec::new("q1", "region");
    let weighted = CrosstabSpec {
        weight: Some("weight".into()),
        ..plain.clone()
    };
    let layered = CrosstabSpec {
        layer: Some("sex".into()),
        filter: Some(Filter::parse("age >= 30 and q2 != 9").unwrap()),
        ..weighted.clone()
    };
    println!("| what | ms (median of 5) |");
    println!("|---|---|");
    for (name, spec) in [
        ("crosstab q1 × region", &plain),
        ("crosstab q1 × region, weighted", &weighted),
        (
            "crosstab q1 × region, weighted, layer sex, filter",
            &layered,
        ),
    ] {
        let ms = median_ms(|| {
            std::hint::black_box(crosstab(&survey, spec).expect("crosstab"));
        });
        println!("| {name} | {ms:.1} |");
    }
    let ids: Vec<String> = survey
        .model
        .questions
        .iter()
        .map(|q| q.id.clone())
        .collect();
    let ms = median_ms(|| {
        for id in &ids {
            std::hint::black_box(tabulate(&survey, id, None, None).expect("tabulate"));
        }
    });
    println!(
        "| analysis::tabulate, all {} questions ({columns} columns) | {ms:.1} |",
        ids.len()
    );
    // Where the time goes: the slowest questions (identifiers and free text have a
    // distinct value per row, so their dictionaries, not the rows, cost the most).
    let mut each: Vec<(f64, &String, usize)> = ids
        .iter()
        .map(|id| {
            let t = Instant::now();
            std::hint::black_box(tabulate(&survey, id, None, None).expect("tabulate"));
            let distinct = survey
                .question(id)
                .and_then(|q| survey.table.column(&q.columns[0]))
                .map_or(0, |c| c.values.len());
            (t.elapsed().as_secs_f64() * 1000.0, id, distinct)
        })
        .collect();
    each.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, id, distinct) in each.iter().take(4) {
        println!("| … of which {id} ({distinct} distinct values) | {ms:.1} |");
    }
    let ms = median_ms(|| {
        for id in &ids {
            std::hint::black_box(tabulate(&survey, id, Some("weight"), None).expect("tabulate"));
        }
    });
    println!(
        "| analysis::tabulate weighted, all {} questions | {ms:.1} |",
        ids.len()
    );
}
