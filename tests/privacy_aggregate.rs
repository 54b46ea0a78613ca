//! Attacks on the disclosure-controlled aggregate export (issue 12, findings 2, 3, 4, 8),
//! as a hostile neighbouring town would make them: it writes the template (or sends it as
//! a link, whose tables become the receiver's pinned tables), gets the aggregate file
//! back, and works out what the file hides.
//!
//! The attacker here is general: it knows what every published table is (the variables,
//! filter, weight and 無回答 choice it asked for), sets up every count of every combination
//! of answers as an unknown (the full cross-classification: it does not know which
//! combinations nobody gave), writes each published number as an equation over those
//! unknowns — every shown cell and total, and every base a shown percentage gives back —
//! and solves. A hidden entry whose vector lies in the span of the equations is recovered.
//!
//! The attacks run through the CLI (`tsunagari aggregate`), so that the same test can be
//! pointed at an older build (`TSUNAGARI_BIN=/path/to/old/tsunagari cargo test --test
//! privacy_aggregate`) to watch it succeed there. The property test at the end runs the
//! library on random small surveys and random templates of related tables.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// The survey as the test knows it (the truth).

#[derive(Clone, Debug)]
struct Data {
    cols: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Data {
    fn new(cols: &[&str], rows: Vec<Vec<String>>) -> Data {
        Data {
            cols: cols.iter().map(|c| c.to_string()).collect(),
            rows,
        }
    }

    fn from_csv(bytes: &[u8]) -> Data {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_start_matches('\u{feff}');
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let cols = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        Data { cols, rows }
    }

    fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.cols).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn col(&self, name: &str) -> usize {
        self.cols
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    /// Every value of a column, blank included (the attacker can't rule a blank out).
    fn domain(&self, name: &str) -> Vec<String> {
        let c = self.col(name);
        let mut d: BTreeSet<String> = self.rows.iter().map(|r| r[c].clone()).collect();
        d.insert(String::new());
        d.into_iter().collect()
    }
}

#[derive(Clone, Debug)]
enum Cond {
    Eq(String, String),
    Ne(String, String),
}

impl Cond {
    fn source(&self) -> String {
        let q = |v: &str| {
            if v.contains(' ') {
                format!("\"{v}\"")
            } else {
                v.to_string()
            }
        };
        match self {
            Cond::Eq(c, v) => format!("{c} = {}", q(v)),
            Cond::Ne(c, v) => format!("{c} != {}", q(v)),
        }
    }

    fn column(&self) -> &str {
        match self {
            Cond::Eq(c, _) | Cond::Ne(c, _) => c,
        }
    }

    fn keeps(&self, value: &str) -> bool {
        match self {
            Cond::Eq(_, v) => value == v,
            Cond::Ne(_, v) => value != v,
        }
    }
}

/// One table of the template, as the attacker asked for it.
#[derive(Clone, Debug)]
struct Def {
    row: String,
    col: Option<String>,
    layer: Option<String>,
    filter: Option<Cond>,
    weight: Option<String>,
    include_na: bool,
}

impl Def {
    fn tab(row: &str) -> Def {
        Def {
            row: row.into(),
            col: None,
            layer: None,
            filter: None,
            weight: None,
            include_na: true,
        }
    }

    fn cross(row: &str, col: &str) -> Def {
        Def {
            col: Some(col.into()),
            ..Def::tab(row)
        }
    }

    fn filtered(mut self, c: Cond) -> Def {
        self.filter = Some(c);
        self
    }

    fn layered(mut self, l: &str) -> Def {
        self.layer = Some(l.into());
        self
    }

    fn weighted(mut self, w: &str) -> Def {
        self.weight = Some(w.into());
        self
    }

    fn without_no_answer(mut self) -> Def {
        self.include_na = false;
        self
    }

    fn json(&self) -> Value {
        let mut v = match &self.col {
            None => serde_json::json!({"type": "tabulation", "question": self.row}),
            Some(c) => serde_json::json!({
                "type": "crosstab", "row": self.row, "col": c,
                "include_no_answer": self.include_na
            }),
        };
        if let Some(l) = &self.layer {
            v["layer"] = l.as_str().into();
        }
        if let Some(f) = &self.filter {
            v["filter"] = f.source().into();
        }
        if let Some(w) = &self.weight {
            v["weight"] = w.as_str().into();
        }
        v
    }

    fn columns(&self) -> Vec<String> {
        let mut out = vec![self.row.clone()];
        out.extend(self.col.clone());
        out.extend(self.layer.clone());
        out.extend(self.filter.as_ref().map(|f| f.column().to_string()));
        out
    }

    /// The title the export gives the table (old builds: the plain one).
    fn titles(&self, layer: Option<&str>) -> [String; 2] {
        let mut t = match &self.col {
            None => self.row.clone(),
            Some(c) => format!("{} × {c}", self.row),
        };
        if let Some(l) = layer {
            t.push_str(&format!("（{l}）"));
        }
        let mut parts = Vec::new();
        if let Some(f) = &self.filter {
            parts.push(format!("絞り込み: {}", f.source()));
        }
        if let Some(w) = &self.weight {
            parts.push(format!("ウェイト: {w}"));
        }
        if !self.include_na {
            parts.push("無回答を除く".into());
        }
        let decorated = if parts.is_empty() {
            t.clone()
        } else {
            format!("{t}［{}］", parts.join("、"))
        };
        [decorated, t]
    }
}

fn template(defs: &[Def]) -> String {
    serde_json::json!({
        "format": "tsunagari-analysis",
        "version": 1,
        "tables": defs.iter().map(Def::json).collect::<Vec<_>>()
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------
// The aggregate file as published.

#[derive(Debug, Clone)]
struct Published {
    title: String,
    rows: Vec<String>,
    cols: Vec<String>,
    cells: Vec<Vec<Option<u64>>>,
    row_totals: Vec<Option<u64>>,
    col_totals: Vec<Option<u64>>,
    total: Option<u64>,
    row_percent: Vec<Vec<Option<f64>>>,
    /// Written by a build that decorates titles with the filter, weight and 無回答 choice
    /// (older builds gave the plain title).
    decorated: bool,
}

fn count(v: &Value) -> Option<u64> {
    v.as_u64()
}

fn parse(json: &Value) -> Vec<Published> {
    json["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let strings = |k: &str| -> Vec<String> {
                t[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect()
            };
            let counts = |k: &str| -> Vec<Option<u64>> {
                t[k].as_array().unwrap().iter().map(count).collect()
            };
            Published {
                title: t["title"].as_str().unwrap().into(),
                decorated: t.get("include_no_answer").is_some(),
                rows: strings("rows"),
                cols: strings("cols"),
                cells: t["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_array().unwrap().iter().map(count).collect())
                    .collect(),
                row_totals: counts("row_totals"),
                col_totals: counts("col_totals"),
                total: count(&t["total"]),
                row_percent: t["row_percent"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_array().unwrap().iter().map(Value::as_f64).collect())
                    .collect(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The attacker.

const NO_ANSWER: &str = "無回答";
const RARE: &str = "その他（少数）";

/// Every hidden entry of the export that the published numbers determine, with its true
/// value, e.g. `"A × B［…］ cell (0, 1) = 2"`.
fn recovered(data: &Data, defs: &[Def], published: &[Published]) -> Vec<String> {
    // The unknowns: every combination of the values of every column the tables name (and
    // whether each weight is valid).
    let mut dims: Vec<String> = defs.iter().flat_map(Def::columns).collect();
    dims.sort();
    dims.dedup();
    let weights: Vec<String> = {
        let mut w: Vec<String> = defs.iter().filter_map(|d| d.weight.clone()).collect();
        w.sort();
        w.dedup();
        w
    };
    let domains: Vec<Vec<String>> = dims.iter().map(|d| data.domain(d)).collect();
    let mut atoms: Vec<Vec<usize>> = vec![Vec::new()];
    for size in domains
        .iter()
        .map(Vec::len)
        .chain(weights.iter().map(|_| 2))
    {
        atoms = atoms
            .into_iter()
            .flat_map(|a| {
                (0..size).map(move |v| {
                    let mut a = a.clone();
                    a.push(v);
                    a
                })
            })
            .collect();
    }
    assert!(atoms.len() <= 20_000, "cover too large for the test");
    let index: HashMap<Vec<usize>, usize> = atoms
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), i))
        .collect();
    // The truth, to report what was recovered.
    let mut truth = vec![0f64; atoms.len()];
    for r in &data.rows {
        let mut a: Vec<usize> = dims
            .iter()
            .zip(&domains)
            .map(|(d, dom)| dom.iter().position(|v| *v == r[data.col(d)]).unwrap())
            .collect();
        for w in &weights {
            let x = &r[data.col(w)];
            a.push(usize::from(
                x.trim()
                    .parse::<f64>()
                    .is_ok_and(|x| x.is_finite() && x >= 0.0),
            ));
        }
        truth[index[&a]] += 1.0;
    }
    let value = |a: &[usize], dim: &str| -> String {
        let d = dims.iter().position(|x| x == dim).unwrap();
        domains[d][a[d]].clone()
    };
    let weight_ok =
        |a: &[usize], w: &str| a[dims.len() + weights.iter().position(|x| x == w).unwrap()] == 1;

    // Published tables in order, matched to the template's tables by title (a table the
    // export refused is simply absent).
    let mut matched: Vec<(&Def, Option<String>, &Published)> = Vec::new();
    let mut next = 0;
    for d in defs {
        let layers: Vec<Option<String>> = match &d.layer {
            None => vec![None],
            Some(l) => data
                .domain(l)
                .into_iter()
                .map(|v| Some(if v.is_empty() { NO_ANSWER.into() } else { v }))
                .collect(),
        };
        for layer in layers {
            let titles = d.titles(layer.as_deref());
            let title = |p: &Published| if p.decorated { &titles[0] } else { &titles[1] };
            if let Some(j) =
                (next..published.len()).find(|&j| *title(&published[j]) == published[j].title)
            {
                matched.push((d, layer, &published[j]));
                next = j + 1;
            }
        }
    }

    // The values a published label stands for.
    let stands_for = |labels: &[String], i: usize, dim: &str| -> Vec<String> {
        let l = &labels[i];
        if l == NO_ANSWER {
            vec![String::new()]
        } else if l == RARE {
            data.domain(dim)
                .into_iter()
                .filter(|v| !v.is_empty() && !labels.contains(v))
                .collect()
        } else {
            vec![l.clone()]
        }
    };
    let mut known: Vec<(Vec<f64>, f64)> = Vec::new();
    let mut hidden: Vec<(String, Vec<f64>)> = Vec::new();
    for (d, layer, p) in &matched {
        let member = |a: &[usize]| -> bool {
            if let Some(f) = &d.filter {
                if !f.keeps(&value(a, f.column())) {
                    return false;
                }
            }
            if let Some(w) = &d.weight {
                if !weight_ok(a, w) {
                    return false;
                }
            }
            if let (Some(l), Some(want)) = (&d.layer, layer) {
                let v = value(a, l);
                let v = if v.is_empty() {
                    NO_ANSWER.to_string()
                } else {
                    v
                };
                if v != *want {
                    return false;
                }
                if !d.include_na && v == NO_ANSWER {
                    return false;
                }
            }
            if !d.include_na {
                if value(a, &d.row).is_empty() {
                    return false;
                }
                if d.col.as_ref().is_some_and(|c| value(a, c).is_empty()) {
                    return false;
                }
            }
            true
        };
        let rows: Vec<Vec<String>> = (0..p.rows.len())
            .map(|r| stands_for(&p.rows, r, &d.row))
            .collect();
        let cols: Vec<Vec<String>> = match &d.col {
            Some(c) => (0..p.cols.len())
                .map(|i| stands_for(&p.cols, i, c))
                .collect(),
            None => vec![Vec::new()],
        };
        let in_cell = |a: &[usize], r: Option<usize>, c: Option<usize>| -> bool {
            if !member(a) {
                return false;
            }
            let rv = value(a, &d.row);
            let row_ok = match r {
                Some(r) => rows[r].contains(&rv),
                None => rows.iter().any(|s| s.contains(&rv)),
            };
            let col_ok = match &d.col {
                None => true,
                Some(col) => {
                    let cv = value(a, col);
                    match c {
                        Some(c) => cols[c].contains(&cv),
                        None => cols.iter().any(|s| s.contains(&cv)),
                    }
                }
            };
            row_ok && col_ok
        };
        let vector = |r: Option<usize>, c: Option<usize>| -> Vec<f64> {
            atoms
                .iter()
                .map(|a| f64::from(u8::from(in_cell(a, r, c))))
                .collect()
        };
        let mut entry = |name: String, v: Vec<f64>, shown: Option<u64>| match shown {
            Some(n) => known.push((v, n as f64)),
            None => hidden.push((format!("{} {name}", p.title), v)),
        };
        for r in 0..p.rows.len() {
            for c in 0..p.cols.len() {
                let c_ = d.col.as_ref().map(|_| c);
                entry(
                    format!("cell ({r}, {c})"),
                    vector(Some(r), c_),
                    p.cells[r][c],
                );
            }
            entry(
                format!("row total {r}"),
                vector(Some(r), None),
                p.row_totals[r],
            );
        }
        if d.col.is_some() {
            for c in 0..p.cols.len() {
                entry(
                    format!("column total {c}"),
                    vector(None, Some(c)),
                    p.col_totals[c],
                );
            }
        }
        entry("total".into(), vector(None, None), p.total);
        // A shown % of a shown count gives its base when only one whole number fits.
        for r in 0..p.rows.len() {
            for c in 0..p.cols.len() {
                let (Some(n), Some(pct)) = (p.cells[r][c], p.row_percent[r][c]) else {
                    continue;
                };
                if n == 0 || pct <= 0.0 {
                    continue;
                }
                let fits: Vec<u64> = (n..=data.rows.len() as u64)
                    .filter(|&b| {
                        let exact = n as f64 * 100.0 / b as f64;
                        (exact - pct).abs() <= 0.05 + 1e-9
                    })
                    .collect();
                if let [b] = fits[..] {
                    let base = if d.col.is_some() {
                        vector(Some(r), None)
                    } else {
                        vector(None, None)
                    };
                    known.push((base, b as f64));
                }
            }
        }
    }
    // Gaussian elimination on the known equations; a hidden vector that reduces to 0 is
    // determined.
    let width = atoms.len();
    let mut basis: Vec<(usize, Vec<f64>)> = Vec::new();
    for (v, _) in known {
        let mut v = v;
        for (p, row) in &basis {
            let f = v[*p];
            if f.abs() > 1e-9 {
                for k in 0..width {
                    v[k] -= f * row[k];
                }
            }
        }
        if let Some(p) = (0..width).max_by(|&a, &b| v[a].abs().total_cmp(&v[b].abs())) {
            if v[p].abs() > 1e-9 {
                let f = v[p];
                for x in v.iter_mut() {
                    *x /= f;
                }
                // Keep the basis reduced at this pivot.
                for (_, row) in basis.iter_mut() {
                    let g = row[p];
                    if g.abs() > 1e-9 {
                        for k in 0..width {
                            row[k] -= g * v[k];
                        }
                    }
                }
                basis.push((p, v));
            }
        }
    }
    hidden
        .into_iter()
        .filter_map(|(name, mut v)| {
            let true_value: f64 = v.iter().zip(&truth).map(|(a, b)| a * b).sum();
            if true_value == 0.0 {
                return None;
            }
            for (p, row) in &basis {
                let f = v[*p];
                if f.abs() > 1e-9 {
                    for k in 0..width {
                        v[k] -= f * row[k];
                    }
                }
            }
            (v.iter().all(|x| x.abs() < 1e-6)).then(|| format!("{name} = {true_value}"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running the CLI.

fn bin() -> String {
    std::env::var("TSUNAGARI_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_tsunagari").into())
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tsunagari-privacy-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `tsunagari aggregate` on the data and template: the JSON written.
fn export(name: &str, data: &Data, defs: &[Def], extra: &[&str]) -> Value {
    let dir = workdir(name);
    let (file, tpl, out) = (
        dir.join("survey.csv"),
        dir.join("t.json"),
        dir.join("agg.json"),
    );
    std::fs::write(&file, data.csv()).unwrap();
    std::fs::write(&tpl, template(defs)).unwrap();
    let run = Command::new(bin())
        .arg("aggregate")
        .arg(&file)
        .arg("--template")
        .arg(&tpl)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
}

fn sample() -> Data {
    let run = Command::new(bin()).arg("sample").output().unwrap();
    assert!(run.status.success());
    Data::from_csv(&run.stdout)
}

fn rows(spec: &[(&[&str], usize)]) -> Vec<Vec<String>> {
    spec.iter()
        .flat_map(|(r, n)| std::iter::repeat_n(r.iter().map(|s| s.to_string()).collect(), *n))
        .collect()
}

fn assert_safe(name: &str, data: &Data, defs: &[Def]) -> Value {
    let json = export(name, data, defs, &[]);
    let got = recovered(data, defs, &parse(&json));
    assert!(
        got.is_empty(),
        "{name}: recovered by subtraction:\n{}",
        got.join("\n")
    );
    json
}

// ---------------------------------------------------------------------------------------
// Finding 2: rare answers published as labels.

#[test]
fn a_rare_answer_is_not_published_as_its_own_label() {
    let mut spec: Vec<(&[&str], usize)> = vec![
        (&["会社員", "男性"], 8),
        (&["会社員", "女性"], 7),
        (&["自営業", "男性"], 5),
        (&["無職", "女性"], 6),
        (&["市役所 福祉課長", "男性"], 1),
        (&["北町3丁目の民生委員", "女性"], 1),
    ];
    spec.push((&["パート", "女性"], 5));
    let data = Data::new(&["職業", "性別"], rows(&spec));
    let defs = [Def::tab("職業"), Def::cross("職業", "性別")];
    let json = assert_safe("rare", &data, &defs);
    let text = json.to_string();
    assert!(
        !text.contains("福祉課長"),
        "a write-in was published as a label"
    );
    assert!(!text.contains("民生委員"));
    assert!(text.contains(RARE));
    // Both rare answers together are still 2 people: hidden.
    let t = &parse(&json)[1];
    let rare = t.rows.iter().position(|r| r == RARE).unwrap();
    assert_eq!(t.row_totals[rare], None);
    assert!(
        t.cells[rare].iter().all(Option::is_none),
        "{:?}",
        t.cells[rare]
    );
}

// ---------------------------------------------------------------------------------------
// Finding 3: tables that undo each other by subtraction.

/// Three answers by three age groups by sex, shaped so that each table alone is safe.
fn small_town() -> Data {
    let spec: Vec<(&[&str], usize)> = vec![
        (&["a", "20代", "女性"], 4),
        (&["a", "20代", "男性"], 1),
        (&["a", "30代", "女性"], 5),
        (&["a", "30代", "男性"], 4),
        (&["a", "40代", "男性"], 6),
        (&["b", "20代", "女性"], 3),
        (&["b", "20代", "男性"], 5),
        (&["b", "30代", "女性"], 2),
        (&["b", "30代", "男性"], 6),
        (&["b", "40代", "女性"], 5),
        (&["c", "20代", "男性"], 4),
        (&["c", "30代", "女性"], 6),
        (&["c", "40代", "女性"], 1),
        (&["c", "40代", "男性"], 5),
        (&["", "40代", "女性"], 2),
        (&["a", "", "男性"], 1),
    ];
    Data::new(&["Q", "年代", "性別"], rows(&spec))
}

#[test]
fn a_filtered_copy_gives_nothing_back() {
    let data = small_town();
    let defs = [
        Def::cross("Q", "年代"),
        Def::cross("Q", "年代").filtered(Cond::Eq("性別".into(), "女性".into())),
        Def::cross("Q", "年代").filtered(Cond::Eq("性別".into(), "男性".into())),
    ];
    assert_safe("filtered", &data, &defs);
}

#[test]
fn a_layered_table_and_the_unlayered_one_give_nothing_back() {
    let data = small_town();
    let defs = [
        Def::cross("Q", "年代"),
        Def::cross("Q", "年代").layered("性別"),
    ];
    assert_safe("layered", &data, &defs);
}

#[test]
fn no_answer_in_one_table_and_out_of_another_gives_nothing_back() {
    let data = small_town();
    let defs = [
        Def::cross("Q", "年代"),
        Def::cross("Q", "年代").without_no_answer(),
    ];
    assert_safe("no-answer", &data, &defs);
}

#[test]
fn the_sample_survey_with_and_without_no_answer_gives_nothing_back() {
    // The bundled sample: 年代 × 性別 and 居住地区 × 性別, each with 無回答 and without.
    let data = sample();
    let defs = [
        Def::cross("年代", "性別"),
        Def::cross("年代", "性別").without_no_answer(),
        Def::cross("居住地区", "性別"),
        Def::cross("居住地区", "性別").without_no_answer(),
    ];
    assert_safe("sample-no-answer", &data, &defs);
}

#[test]
fn a_weighted_copy_that_drops_blank_weights_gives_nothing_back() {
    let mut data = small_town();
    data.cols.push("w".into());
    for (i, r) in data.rows.iter_mut().enumerate() {
        // One respondent (an a / 20代 / 男性) has no weight.
        r.push(if i == 4 { String::new() } else { "1.2".into() });
    }
    let defs = [
        Def::cross("Q", "年代"),
        Def::cross("Q", "年代").weighted("w"),
    ];
    let json = assert_safe("weighted", &data, &defs);
    // The weighted copy covers one person fewer: it is refused with the reason.
    let tables = parse(&json);
    assert_eq!(
        tables.len(),
        1,
        "{:?}",
        tables.iter().map(|t| &t.title).collect::<Vec<_>>()
    );
    let left = json["left_out"].to_string();
    assert!(left.contains("1人しか違わない"), "{left}");
}

#[test]
fn a_table_and_the_same_table_minus_one_person_give_nothing_back() {
    let mut data = small_town();
    data.cols.push("年齢".into());
    for (i, r) in data.rows.iter_mut().enumerate() {
        r.push(if i == 4 {
            "99".into()
        } else {
            format!("{}", 20 + i % 50)
        });
    }
    let defs = [
        Def::cross("Q", "年代"),
        Def::cross("Q", "年代").filtered(Cond::Ne("年齢".into(), "99".into())),
    ];
    let json = export("minus-one", &data, &defs, &[]);
    let got = recovered(&data, &defs, &parse(&json));
    assert!(got.is_empty(), "{}", got.join("\n"));
    // Whatever the attacker subtracts: the two tables are never both published.
    assert_eq!(parse(&json).len(), 1);
}

// ---------------------------------------------------------------------------------------
// Finding 4: percentages that give a hidden base back.

#[test]
fn a_percentage_never_gives_its_hidden_base_back() {
    // Row 「c」 totals 2 (hidden); the column of row totals then needs a second hidden
    // total, row 「b」's 17, of which 10 fall in one column: 10 / 0.588235 = 17 gives it
    // back, and then 41 − 22 − 17 = 2.
    let spec: Vec<(&[&str], usize)> = vec![
        (&["a", "x"], 9),
        (&["a", "y"], 5),
        (&["a", "z"], 8),
        (&["b", "x"], 10),
        (&["b", "y"], 3),
        (&["b", "z"], 4),
        (&["c", "x"], 1),
        (&["c", "y"], 1),
    ];
    let data = Data::new(&["Q", "R"], rows(&spec));
    let defs = [Def::cross("Q", "R")];
    let json = assert_safe("percent", &data, &defs);
    for t in parse(&json) {
        for (r, row) in t.row_percent.iter().enumerate() {
            for p in row.iter().flatten() {
                // One decimal at most.
                assert!(((p * 10.0).round() - p * 10.0).abs() < 1e-9, "{p}");
                if t.cols.len() > 1 {
                    assert!(
                        t.row_totals[r].is_some(),
                        "a % on a hidden base in {}",
                        t.title
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Finding 8: thresholds and labelling.

#[test]
fn a_threshold_below_three_is_refused() {
    let data = small_town();
    let dir = workdir("threshold");
    std::fs::write(dir.join("s.csv"), data.csv()).unwrap();
    std::fs::write(dir.join("t.json"), template(&[Def::tab("Q")])).unwrap();
    let run = Command::new(bin())
        .args([
            "aggregate",
            "s.csv",
            "--template",
            "t.json",
            "--out",
            "a.json",
            "--min-count",
            "1",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!run.status.success(), "min_count 1 was accepted");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("3以上"), "{err}");
    assert!(!dir.join("a.json").exists());
}

#[test]
fn a_filtered_or_weighted_table_says_so_and_is_not_compared_as_the_whole_survey() {
    let mut data = small_town();
    data.cols.push("w".into());
    for r in data.rows.iter_mut() {
        r.push("1.5".into());
    }
    let defs = [
        Def::tab("Q"),
        Def::tab("Q").filtered(Cond::Eq("性別".into(), "女性".into())),
        Def::tab("年代").weighted("w"),
        Def::cross("Q", "年代").without_no_answer(),
    ];
    let json = export("labels", &data, &defs, &[]);
    let t = &json["tables"];
    assert!(t[0]["filter"].is_null() && t[0]["include_no_answer"] == true);
    assert_eq!(t[1]["filter"], "性別 = 女性");
    assert!(t[1]["title"]
        .as_str()
        .unwrap()
        .contains("絞り込み: 性別 = 女性"));
    assert_eq!(t[2]["weight"], "w");
    assert!(t[2]["title"].as_str().unwrap().contains("ウェイト: w"));
    assert_eq!(t[3]["include_no_answer"], false);
    assert!(t[3]["title"].as_str().unwrap().contains("無回答を除く"));
    // 「市町村の比較」 sets the whole-survey 「Q」 beside another town's, never the
    // filtered one.
    let a =
        tsunagari::analysis::aggregate::Aggregate::from_json(&json.to_string(), "甲.json").unwrap();
    let files = [("甲市", &a), ("乙町", &a)];
    let qs = tsunagari::analysis::municipal::questions(&files);
    let q = qs.iter().filter(|q| q.title == "Q").count();
    assert_eq!(q, 1, "{qs:?}");
    for q in &qs {
        let c = tsunagari::analysis::municipal::compare(&files, &q.key).unwrap();
        for town in &c.rows {
            assert!(
                !town.title.contains("絞り込み") || q.title.contains("絞り込み"),
                "{} compared as {}",
                town.title,
                q.title
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The property: for random small surveys and random templates of related tables, nothing
// hidden is determined by everything the file publishes.

fn arb_value(prefix: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        4 => Just(format!("{prefix}1")),
        3 => Just(format!("{prefix}2")),
        2 => Just(format!("{prefix}3")),
    ]
}

fn arb_data() -> impl Strategy<Value = Data> {
    let row = (
        arb_value("a"),
        arb_value("b"),
        arb_value("c"),
        prop_oneof![1 => Just(String::new()), 6 => Just("1.5".to_string()), 3 => Just("0.8".to_string())],
    )
        .prop_map(|(a, b, c, w)| vec![a, b, c, w]);
    prop::collection::vec(row, 4..36).prop_map(|rows| Data::new(&["A", "B", "C", "W"], rows))
}

fn arb_def() -> impl Strategy<Value = Def> {
    let var = prop_oneof![Just("A"), Just("B"), Just("C")];
    let cond = (var.clone(), 1..4u8, any::<bool>()).prop_map(|(v, k, eq)| {
        let value = format!("{}{k}", v.to_lowercase());
        if eq {
            Cond::Eq(v.into(), value)
        } else {
            Cond::Ne(v.into(), value)
        }
    });
    (
        var.clone(),
        prop::option::of(var.clone()),
        prop::option::weighted(0.2, var),
        prop::option::weighted(0.4, cond),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.7),
    )
        .prop_map(|(row, col, layer, filter, weighted, include_na)| {
            let mut d = match col {
                Some(c) if c != row => Def::cross(row, c),
                _ => Def::tab(row),
            };
            if d.col.is_some() {
                d.include_na = include_na;
                if let Some(l) = layer.filter(|l| *l != row && Some(l.to_string()) != d.col) {
                    d.layer = Some(l.into());
                }
            }
            d.filter = filter;
            if weighted {
                d.weight = Some("W".into());
            }
            d
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PRIVACY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn nothing_hidden_is_determined_by_the_whole_export(
        data in arb_data(),
        defs in prop::collection::vec(arb_def(), 1..5),
    ) {
        let table = tsunagari::ingest::read_bytes(data.csv().as_bytes(), Default::default()).unwrap().table;
        let survey = tsunagari::model::Survey::infer(table);
        let t = tsunagari::analysis::AnalysisTemplate::from_json(&template(&defs)).unwrap();
        let a = tsunagari::analysis::aggregate::aggregate(&survey, &t, Default::default());
        let json: Value = serde_json::from_str(&a.to_json()).unwrap();
        let published = parse(&json);
        // Every 1–2 shown is a failure of primary suppression.
        for p in &published {
            for n in p.cells.iter().flatten().chain(&p.row_totals).chain(&p.col_totals).chain([&p.total]).flatten() {
                prop_assert!(*n == 0 || *n >= 3, "{} shows {}", p.title, n);
            }
        }
        let got = recovered(&data, &defs, &published);
        prop_assert!(got.is_empty(), "{}\n{}\n{}", got.join("\n"), data.csv(), template(&defs));
    }
}

// ---------------------------------------------------------------------------------------
// Finding 5 as it reaches aggregates: a file without a header row.

#[test]
fn a_file_whose_first_row_is_a_respondent_exports_nothing_until_confirmed() {
    // Exported without its header: respondent 1's ID, name, address and phone became the
    // column names.
    let mut rows = vec![vec![
        "S0001".to_string(),
        "山田太郎".into(),
        "北町3-2-1".into(),
        "090-1234-5678".into(),
        "女性".into(),
    ]];
    for i in 0..30 {
        rows.push(vec![
            format!("S{:04}", i + 2),
            format!("氏名{i}"),
            format!("南町{}-{}", i % 7 + 1, i % 5 + 1),
            format!("090-0000-{:04}", i),
            if i % 2 == 0 {
                "女性".into()
            } else {
                "男性".into()
            },
        ]);
    }
    let data = Data {
        cols: rows[0].clone(),
        rows: rows[1..].to_vec(),
    };
    let defs = [Def::tab("女性")];
    let json = export("no-header", &data, &defs, &[]);
    let text = json.to_string();
    assert!(json["tables"].as_array().unwrap().is_empty(), "{text}");
    for personal in ["山田太郎", "北町3-2-1", "090-1234-5678", "S0001"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    assert!(json["left_out"].to_string().contains("1行目"));
    // Confirmed (the user says the first row is the header): exported.
    let json = export("no-header-confirmed", &data, &defs, &["--confirm-header"]);
    assert_eq!(json["tables"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Beyond the findings: other ways in.

#[test]
fn a_filter_asking_whether_someone_answered_is_refused() {
    // 「職業 = 市役所 福祉課長」 asks whether that one person answered; a value nobody gave
    // asks the same of someone who didn't. Both tables are left out, without the value.
    let mut spec: Vec<(&[&str], usize)> = vec![(&["会社員", "a"], 10), (&["無職", "b"], 10)];
    spec.push((&["市役所 福祉課長", "a"], 1));
    let data = Data::new(&["職業", "Q"], rows(&spec));
    let defs = [
        Def::tab("Q").filtered(Cond::Eq("職業".into(), "市役所 福祉課長".into())),
        Def::tab("Q").filtered(Cond::Eq("職業".into(), "村長".into())),
    ];
    let json = export("probe", &data, &defs, &[]);
    assert!(json["tables"].as_array().unwrap().is_empty());
    let text = json.to_string();
    assert!(
        !text.contains("福祉課長") && !text.contains("村長"),
        "{text}"
    );
    assert_eq!(json["left_out"].as_array().unwrap().len(), 2);
}

#[test]
fn a_rare_option_of_a_multiple_answer_is_not_published_as_its_label() {
    // Google Forms joins the options ticked; one respondent typed their own into 「その他」.
    let mut rows = Vec::new();
    for i in 0..30 {
        let answer = match i % 3 {
            0 => "家族・親族, 友人・知人",
            1 => "友人・知人",
            _ => "家族・親族",
        };
        rows.push(vec![
            answer.to_string(),
            if i % 2 == 0 { "男性" } else { "女性" }.into(),
        ]);
    }
    rows.push(vec![
        "家族・親族, 北町の民生委員 山田さん".into(),
        "女性".into(),
    ]);
    let data = Data {
        cols: vec!["相談相手（あてはまるものすべて）".into(), "性別".into()],
        rows,
    };
    let defs = [Def::tab("相談相手（あてはまるものすべて）")];
    let json = export("multiple", &data, &defs, &[]);
    let text = json.to_string();
    assert!(!text.contains("山田"), "{text}");
    assert_eq!(json["tables"].as_array().unwrap().len(), 1, "{text}");
}

#[test]
fn the_same_file_gives_the_same_export_every_time() {
    // A town that exports twice must not publish two suppression patterns: their union
    // could show what each hides.
    let data = sample();
    let defs = [
        Def::cross("年代", "性別"),
        Def::cross("年代", "性別").without_no_answer(),
        Def::cross("居住地区", "年代").filtered(Cond::Eq("性別".into(), "女性".into())),
    ];
    let first = export("again-1", &data, &defs, &[]);
    for i in 2..5 {
        assert_eq!(export(&format!("again-{i}"), &data, &defs, &[]), first);
    }
}

#[test]
fn a_crosstab_with_no_row_left_is_published_empty() {
    // Every answer of B is blank and 無回答 is left out: a table with no row at all (found
    // by the property test at 20,000 cases; it used to panic).
    let rows = (0..12)
        .map(|i| vec![["a1", "a2", "a3"][i % 3].to_string(), String::new()])
        .collect();
    let data = Data::new(&["A", "B"], rows);
    let json = assert_safe("no-row", &data, &[Def::cross("B", "A").without_no_answer()]);
    let t = &parse(&json)[0];
    assert!(
        t.rows.is_empty() && t.col_totals.iter().all(|c| *c == Some(0)),
        "{t:?}"
    );
}

/// An aggregate of a numeric question publishes counts only: no mean, SD, quartile or
/// extreme (a small group's mean or maximum can give one respondent's age away), though
/// the same question's tabulation carries them (`Tabulation::numeric`).
#[test]
fn an_aggregate_of_a_numeric_question_carries_no_summary() {
    let bytes = std::fs::read("tests/fixtures/google_forms.csv").unwrap();
    let table = tsunagari::ingest::read_bytes(&bytes, Default::default())
        .unwrap()
        .table;
    let survey = tsunagari::model::Survey::infer(table);
    let tab = &tsunagari::analysis::tabulate(&survey, "年齢", None, None).unwrap()[0];
    assert!(tab.numeric.is_some(), "年齢 is a numeric question here");
    let t = tsunagari::analysis::AnalysisTemplate::from_json(
        r#"{"format":"tsunagari-analysis","version":1,"tables":[{"type":"tabulation","question":"年齢"},{"type":"crosstab","row":"年齢","col":"性別"}]}"#,
    )
    .unwrap();
    let a = tsunagari::analysis::aggregate::aggregate(&survey, &t, Default::default());
    let json = a.to_json();
    for word in [
        "numeric",
        "mean",
        "median",
        "\"sd\"",
        "q1",
        "q3",
        "histogram",
        "\"max\"",
        "\"min\"",
    ] {
        assert!(!json.contains(word), "{word} in the aggregate:\n{json}");
    }
}
