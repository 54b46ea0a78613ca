//! Crosstabs by question (クロス集計): the questions' categories in codebook order with
//! their labels, counts and weighted sums, %, and the statistics of `crate::stats` on top
//! (χ², G², Yates/Fisher/φ for 2×2, Cramér's V, adjusted residuals, column-proportion
//! letters, Wilson intervals, Kish's effective n under weights).
//!
//! One pass over the rows: each variable was resolved to a code → category array first
//! (`variable.rs`), so a row costs a few array lookups whatever the labels are. A layer
//! (層) gives one sub-table per category of a third question in the same pass.
//!
//! A multiple answer may be the rows or the columns (not both): its options are not
//! mutually exclusive, so χ² and residuals are not computed; percentages are of the
//! respondents who answered it, as in the simple tabulation.

use serde::{Deserialize, Serialize};

use super::filter::Filter;
use super::variable::{row_weight, weights, Label, Source, Var, NONE};
use super::Note;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::stats::{
    column_proportions_with_bases, crosstab_tests, weight_summary, weighted_crosstab_tests,
    wilson_interval, ColumnProportions, CrosstabTests, Interval, WeightSummary,
};
use crate::table::Column;

/// Significance level of the column-proportion letters (after Bonferroni), as SPSS.
pub const LETTER_ALPHA: f64 = 0.05;

/// serde's default for a flag that is on unless a file says otherwise.
fn default_true() -> bool {
    true
}

/// What to cross. Names are question ids (or labels) or column names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabSpec {
    pub row: String,
    pub col: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// 無回答 as a category, as the national survey publishes (default); false leaves
    /// those respondents out of the table.
    #[serde(default = "default_true")]
    pub include_no_answer: bool,
}

impl CrosstabSpec {
    pub fn new(row: &str, col: &str) -> CrosstabSpec {
        CrosstabSpec {
            row: row.into(),
            col: col.into(),
            layer: None,
            weight: None,
            filter: None,
            include_no_answer: true,
        }
    }
}

/// A variable of the table as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarInfo {
    pub id: String,
    pub title: String,
    /// A multiple answer (percentages of respondents; no χ²).
    pub multiple: bool,
}

impl VarInfo {
    fn of(v: &Var) -> VarInfo {
        VarInfo {
            id: v.id.clone(),
            title: v.title.clone(),
            multiple: v.is_multiple(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crosstab {
    pub row: VarInfo,
    pub col: VarInfo,
    pub layer: Option<VarInfo>,
    pub weight: Option<String>,
    pub filter: Option<String>,
    pub include_no_answer: bool,
    /// Rows of the file.
    pub rows_in_file: u64,
    /// Rows the filter left out.
    pub filtered_out: u64,
    /// Rows in no category of the row, column or layer variable (非該当, 無回答 when left
    /// out, a multiple answer with nothing chosen).
    pub outside: u64,
    /// Rows left out because their weight is blank, not a number or negative.
    pub invalid_weight: u64,
    /// One table, or one per layer category.
    pub tables: Vec<CrosstabTable>,
    pub notes: Vec<Note>,
}

impl Crosstab {
    /// What restricts the table, said after its title so that no one reads a filtered or
    /// weighted table as the whole survey, in the words of published tables
    /// (`published/table.rs`): 「［絞り込み: 性別 = 女性、ウェイト: w、無回答を除く］」;
    /// empty when nothing does.
    pub fn qualifiers(&self) -> Note {
        let (mut ja, mut en) = (Vec::new(), Vec::new());
        if let Some(f) = &self.filter {
            ja.push(format!("絞り込み: {f}"));
            en.push(format!("filter: {f}"));
        }
        if let Some(w) = &self.weight {
            ja.push(format!("ウェイト: {w}"));
            en.push(format!("weight: {w}"));
        }
        if !self.include_no_answer {
            ja.push("無回答を除く".to_string());
            en.push("no answer left out".to_string());
        }
        if ja.is_empty() {
            return Note::new("", "");
        }
        Note::new(
            format!("［{}］", ja.join("、")),
            format!(" [{}]", en.join("; ")),
        )
    }

    /// 「問1 × 性別（層: 年代）［ウェイト: w］」: the questions, the layer and what restricts
    /// the table.
    pub fn title(&self) -> Note {
        let q = self.qualifiers();
        let (layer_ja, layer_en) = match &self.layer {
            Some(l) => (
                format!("（層: {}）", l.title),
                format!(
                    " (layer: {})",
                    crate::model::shown_name(&l.title, crate::lang::Lang::En)
                ),
            ),
            None => (String::new(), String::new()),
        };
        let base = format!("{} × {}", self.row.title, self.col.title);
        let base_en = format!(
            "{} × {}",
            crate::model::shown_name(&self.row.title, crate::lang::Lang::En),
            crate::model::shown_name(&self.col.title, crate::lang::Lang::En)
        );
        Note::new(
            format!("{base}{layer_ja}{}", q.ja),
            format!("{base_en}{layer_en}{}", q.en),
        )
    }
}

/// One (sub-)table. Matrices are `[row][col]`. Percentages are 0–100; under a weight
/// they are of weighted sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabTable {
    /// The layer's category, when there is a layer.
    pub layer: Option<Label>,
    pub rows: Vec<Label>,
    pub cols: Vec<Label>,
    /// Respondents in this table.
    pub n: u64,
    pub counts: Vec<Vec<u64>>,
    /// Sums of weights per cell (under a weight).
    pub weighted: Option<Vec<Vec<f64>>>,
    /// Respondents per row / column (weighted sums under a weight). For a multiple answer
    /// on the other side, the respondents who answered it, not the sum of the cells.
    pub row_bases: Vec<f64>,
    pub col_bases: Vec<f64>,
    pub total_base: f64,
    /// The same bases unweighted.
    pub row_base_counts: Vec<u64>,
    pub col_base_counts: Vec<u64>,
    pub row_percent: Vec<Vec<Option<f64>>>,
    pub col_percent: Vec<Vec<Option<f64>>>,
    pub total_percent: Vec<Vec<Option<f64>>>,
    /// 95 % Wilson interval of each column % (proportions 0–1), with the column's
    /// effective n under a weight (Kish), its base otherwise.
    pub col_percent_ci: Vec<Vec<Option<Interval>>>,
    /// The n each column's intervals use (Kish n_eff under a weight); the letters use the
    /// same without the column's 無回答 respondents.
    pub col_effective_n: Vec<Option<f64>>,
    /// Tests of independence (single × single only), on the substantive answers: 無回答
    /// rows and columns enter as zeros, so the tests list them in `dropped_rows`/`_cols`
    /// and give them no residual. Under a weight: on the weighted sums rescaled to the
    /// number of respondents who answered both (`scaled_to_sample_size`).
    pub tests: Option<CrosstabTests>,
    /// Column-proportion tests (not for a multiple answer as columns), on the substantive
    /// answers: each column's base leaves out its 無回答 rows, a 無回答 column is empty.
    /// They compare column % (縦%): show their letters beside column % only.
    pub column_proportions: Option<ColumnProportions>,
    /// Per cell: the letters of the columns this cell's column % is significantly above.
    pub letters: Vec<Vec<String>>,
    /// The spread of the weights in this table (Kish n_eff, design effect).
    pub weights: Option<WeightSummary>,
}

#[derive(Default, Clone, Copy)]
struct Acc {
    n: u64,
    w: f64,
    w2: f64,
}

impl Acc {
    #[inline]
    fn add(&mut self, w: f64) {
        self.n += 1;
        self.w += w;
        self.w2 += w * w;
    }
    fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        self.w += o.w;
        self.w2 += o.w2;
    }
    /// Takes out respondents merged before (a column's 無回答 cell).
    fn remove(&mut self, o: &Acc) {
        self.n = self.n.saturating_sub(o.n);
        self.w -= o.w;
        self.w2 -= o.w2;
    }
    fn base(&self, weighted: bool) -> f64 {
        if weighted {
            self.w
        } else {
            self.n as f64
        }
    }
    fn n_eff(&self, weighted: bool) -> Option<f64> {
        if !weighted {
            return (self.n > 0).then_some(self.n as f64);
        }
        (self.w2 > 0.0).then(|| self.w * self.w / self.w2)
    }
}

/// Accumulators of one layer.
struct Grid {
    cells: Vec<Acc>,
    rows: Vec<Acc>,
    cols: Vec<Acc>,
    total: Acc,
    weights: Vec<f64>,
}

/// Computes the crosstab `spec` asks for.
pub fn crosstab(survey: &Survey, spec: &CrosstabSpec) -> Result<Crosstab, Refusal> {
    let row = Var::resolve(survey, &spec.row, spec.include_no_answer)?;
    let col = Var::resolve(survey, &spec.col, spec.include_no_answer)?;
    if row.is_multiple() && col.is_multiple() {
        return Err(Refusal {
            ja: format!(
                "複数回答どうし（「{}」×「{}」）のクロス集計はできません。どちらかを単一回答の設問にしてください。",
                row.title, col.title
            ),
            en: format!(
                "Two multiple-answer questions (\"{}\" × \"{}\") cannot be crossed; make one of them a single-choice question.",
                row.title, col.title
            ),
        });
    }
    let layer = match &spec.layer {
        Some(name) => {
            let v = Var::resolve(survey, name, spec.include_no_answer)?;
            if v.is_multiple() {
                return Err(Refusal {
                    ja: format!("層（レイヤー）には複数回答の設問「{}」は使えません。単一回答の設問を指定してください。", v.title),
                    en: format!("A multiple-answer question (\"{}\") cannot be the layer; name a single-choice question.", v.title),
                });
            }
            Some(v)
        }
        None => None,
    };
    let weight = match &spec.weight {
        Some(name) => Some(weights(survey, name)?),
        None => None,
    };
    let mask = match &spec.filter {
        Some(f) => Some(f.mask(survey)?),
        None => None,
    };

    let (nr, nc) = (row.labels.len(), col.labels.len());
    let nl = layer.as_ref().map_or(1, |l| l.labels.len());
    let weighted = weight.is_some();
    let mut grids: Vec<Grid> = (0..nl)
        .map(|_| Grid {
            cells: vec![Acc::default(); nr * nc],
            rows: vec![Acc::default(); nr],
            cols: vec![Acc::default(); nc],
            total: Acc::default(),
            weights: Vec::new(),
        })
        .collect();
    let (mut filtered_out, mut outside, mut invalid_weight) = (0u64, 0u64, 0u64);
    let rows_in_file = survey.table.rows;
    let (mut rc, mut cc, mut lc) = (
        Vec::with_capacity(8),
        Vec::with_capacity(8),
        Vec::with_capacity(1),
    );
    let fast = match (&row.source, &col.source, layer.as_ref().map(|l| &l.source)) {
        (Source::Single { column: a, map: am }, Source::Single { column: b, map: bm }, None) => {
            Some((a, am, b, bm, None))
        }
        (
            Source::Single { column: a, map: am },
            Source::Single { column: b, map: bm },
            Some(Source::Single { column: l, map: lm }),
        ) => Some((a, am, b, bm, Some((l, lm)))),
        _ => None,
    };
    if let Some((rcol, rmap, ccol, cmap, lay)) = fast {
        // Single × single (the common case): one respondent, one cell; margins come from
        // the cells afterwards.
        for i in 0..rows_in_file {
            if mask.as_ref().is_some_and(|m| !m[i]) {
                filtered_out += 1;
                continue;
            }
            let r = rmap[rcol.codes.get(i) as usize];
            let c = cmap[ccol.codes.get(i) as usize];
            let l = lay.map_or(0, |(l, lm)| lm[l.codes.get(i) as usize]);
            if r == NONE || c == NONE || l == NONE {
                outside += 1;
                continue;
            }
            let g = &mut grids[l as usize];
            match &weight {
                Some((column, ws)) => match ws[column.codes.get(i) as usize] {
                    Some(w) => {
                        g.cells[r as usize * nc + c as usize].add(w);
                        g.weights.push(w);
                    }
                    None => invalid_weight += 1,
                },
                None => g.cells[r as usize * nc + c as usize].n += 1,
            }
        }
        for g in &mut grids {
            for r in 0..nr {
                for c in 0..nc {
                    let mut a = g.cells[r * nc + c];
                    if !weighted {
                        a.w = a.n as f64;
                        a.w2 = a.w;
                        g.cells[r * nc + c] = a;
                    }
                    g.rows[r].merge(&a);
                    g.cols[c].merge(&a);
                    g.total.merge(&a);
                }
            }
        }
    }
    for i in 0..rows_in_file {
        if fast.is_some() {
            break;
        }
        if let Some(m) = &mask {
            if !m[i] {
                filtered_out += 1;
                continue;
            }
        }
        row.categories(i, &mut rc);
        col.categories(i, &mut cc);
        let l = match &layer {
            Some(v) => {
                v.categories(i, &mut lc);
                lc.first().copied()
            }
            None => Some(0),
        };
        let (Some(l), false, false) = (l, rc.is_empty(), cc.is_empty()) else {
            outside += 1;
            continue;
        };
        let Some(w) = row_weight(weight.as_ref(), i) else {
            invalid_weight += 1;
            continue;
        };
        let g = &mut grids[l as usize];
        g.total.add(w);
        if weighted {
            g.weights.push(w);
        }
        for &r in &rc {
            for &c in &cc {
                g.cells[r as usize * nc + c as usize].add(w);
            }
        }
        if !row.is_multiple() {
            g.rows[rc[0] as usize].add(w);
        }
        if !col.is_multiple() {
            g.cols[cc[0] as usize].add(w);
        }
    }

    let mut tables = Vec::new();
    for (l, grid) in grids.iter_mut().enumerate() {
        let layer_label = layer.as_ref().map(|v| v.labels[l].clone());
        if let Some(label) = &layer_label {
            // A layer's 無回答 or unlisted value with nobody in it is not a table.
            if grid.total.n == 0 && (label.no_answer || label.unlisted) {
                continue;
            }
        }
        // Bases of a multiple answer's side: the sum of its cells (each respondent in one
        // category of the other side).
        if row.is_multiple() {
            for r in 0..nr {
                let mut a = Acc::default();
                (0..nc).for_each(|c| a.merge(&grid.cells[r * nc + c]));
                grid.rows[r] = a;
            }
        }
        if col.is_multiple() {
            for c in 0..nc {
                let mut a = Acc::default();
                (0..nr).for_each(|r| a.merge(&grid.cells[r * nc + c]));
                grid.cols[c] = a;
            }
        }
        tables.push(table(grid, &row, &col, layer_label, weighted));
    }

    // A filter naming an answer nobody gave keeps nobody (or everybody): said, never silent.
    let mut notes = spec
        .filter
        .as_ref()
        .map_or_else(Vec::new, |f| f.unmatched(survey));
    if spec.include_no_answer {
        notes.push(Note::new(
            "無回答は全国調査と同じく1つの選択肢として集計し、%の分母に含めています。非該当は含めていません。",
            "No answer is a category inside the base of the %, as in the national survey; not applicable is left out.",
        ));
        let tested = tables
            .iter()
            .any(|t| t.tests.is_some() || t.column_proportions.is_some());
        let no_answer_shown = tables
            .iter()
            .any(|t| t.rows.iter().chain(&t.cols).any(|l| l.no_answer));
        if tested && no_answer_shown {
            notes.push(Note::new(
                "χ² 検定・尤度比・残差（▲▼）・列比較（A, B…）は、無回答を除いた回答だけで計算しています（無回答は回答の1つではないため）。",
                "χ², G², residual marks (▲▼) and column letters (A, B, …) are computed on the substantive answers only, without 無回答 (no answer is not an answer).",
            ));
        }
    } else {
        notes.push(Note::new(
            "無回答・非該当の人は集計から除いています。",
            "Respondents with no answer or not applicable are left out.",
        ));
    }
    if row.is_multiple() || col.is_multiple() {
        notes.push(Note::new(
            "複数回答を含むため、%は回答者（1つ以上選んだ人）に対する割合で、合計は100%を超えます。選択肢が互いに排他的でないため χ² 検定・残差は計算していません。",
            "A multiple answer is crossed: % are of respondents who chose at least one option and can sum over 100%; χ² and residuals are not computed (options are not mutually exclusive).",
        ));
    }
    if let Some(w) = spec.weight.as_deref().filter(|_| weighted) {
        notes.push(Note::new(
            format!("ウェイト「{w}」を掛けた集計です。%と「ウェイト付き度数」はウェイトを掛けた値（画面と表のコピーでは整数に四捨五入）、「回答者数」はウェイトを掛けない実際の人数です。χ² 検定はウェイト付き度数を回答者数に換算して計算しました。信頼区間と列比較は有効標本数（キッシュの方法）を使っています。"),
            format!("Weighted by \"{w}\": the % and the weighted counts are of weighted sums (rounded to whole numbers on the page and in the copied table); the respondents are people, unweighted. χ² uses the weighted counts rescaled to the number of respondents; intervals and column letters use the Kish effective n."),
        ));
    }
    if tables.iter().any(|t| {
        t.tests
            .as_ref()
            .and_then(|x| x.sparse.as_ref())
            .is_some_and(|s| s.warn)
    }) {
        notes.push(Note::new(
            "期待度数が5未満のセルが20%を超える表があります。χ² 検定の p 値は目安にとどめてください（2×2 ではフィッシャーの正確確率検定を見てください）。",
            "Some table has more than 20% of cells with expected count below 5: treat the χ² p-value with caution (for 2×2 tables, use Fisher's exact test).",
        ));
    }
    if invalid_weight > 0 {
        notes.push(Note::new(
            format!("ウェイトが空欄・数値でない・負の {invalid_weight} 行は集計から除きました。"),
            format!("{invalid_weight} rows whose weight is blank, not a number or negative are left out."),
        ));
    }
    Ok(Crosstab {
        row: VarInfo::of(&row),
        col: VarInfo::of(&col),
        layer: layer.as_ref().map(VarInfo::of),
        weight: spec.weight.clone(),
        filter: spec.filter.as_ref().map(|f| f.source().to_string()),
        include_no_answer: spec.include_no_answer,
        rows_in_file: rows_in_file as u64,
        filtered_out,
        outside,
        invalid_weight,
        tables,
        notes,
    })
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part * 100.0 / whole)
}

/// Builds one table from its accumulators: drops 無回答 and unlisted categories nobody
/// is in (listed options stay, even at 0), then computes % and the statistics.
fn table(grid: &Grid, row: &Var, col: &Var, layer: Option<Label>, weighted: bool) -> CrosstabTable {
    let nc = col.labels.len();
    let keep = |labels: &[Label], accs: &[Acc]| -> Vec<usize> {
        (0..labels.len())
            .filter(|&k| accs[k].n > 0 || !(labels[k].no_answer || labels[k].unlisted))
            .collect()
    };
    let ri = keep(&row.labels, &grid.rows);
    let ci = keep(&col.labels, &grid.cols);
    let cell = |r: usize, c: usize| &grid.cells[r * nc + c];
    let counts: Vec<Vec<u64>> = ri
        .iter()
        .map(|&r| ci.iter().map(|&c| cell(r, c).n).collect())
        .collect();
    let sums: Vec<Vec<f64>> = ri
        .iter()
        .map(|&r| ci.iter().map(|&c| cell(r, c).base(weighted)).collect())
        .collect();
    let row_bases: Vec<f64> = ri.iter().map(|&r| grid.rows[r].base(weighted)).collect();
    let col_bases: Vec<f64> = ci.iter().map(|&c| grid.cols[c].base(weighted)).collect();
    let total_base = grid.total.base(weighted);
    let col_effective_n: Vec<Option<f64>> =
        ci.iter().map(|&c| grid.cols[c].n_eff(weighted)).collect();
    let pct = |f: &dyn Fn(usize, usize) -> f64| -> Vec<Vec<Option<f64>>> {
        (0..ri.len())
            .map(|r| {
                (0..ci.len())
                    .map(|c| percent(sums[r][c], f(r, c)))
                    .collect()
            })
            .collect()
    };
    let row_percent = pct(&|r, _| row_bases[r]);
    let col_percent = pct(&|_, c| col_bases[c]);
    let total_percent = pct(&|_, _| total_base);
    let col_percent_ci = (0..ri.len())
        .map(|r| {
            (0..ci.len())
                .map(|c| {
                    let base = col_bases[c];
                    (base > 0.0).then_some(())?;
                    wilson_interval(sums[r][c] / base, col_effective_n[c]?, 0.95)
                })
                .collect()
        })
        .collect();
    // The tests are on the substantive answers only: 無回答 is a category of the % (as the
    // national survey publishes) but not an answer, so its rows and columns enter the
    // tests as zeros and are left out like an answer nobody chose (`dropped_rows`/`_cols`
    // of the tests name them; their marks and letters stay empty). One place, so the
    // page, the report, the CSV/xlsx and the CLI all show the same figures.
    let na_row: Vec<bool> = ri.iter().map(|&r| row.labels[r].no_answer).collect();
    let na_col: Vec<bool> = ci.iter().map(|&c| col.labels[c].no_answer).collect();
    let tested: Vec<Vec<f64>> = (0..ri.len())
        .map(|r| {
            (0..ci.len())
                .map(|c| {
                    if na_row[r] || na_col[c] {
                        0.0
                    } else {
                        sums[r][c]
                    }
                })
                .collect()
        })
        .collect();
    // Each column's answerers without its 無回答 rows (a multiple answer has no 無回答
    // row, so for it these are the column's respondents as before).
    let tested_cols: Vec<Acc> = ci
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let mut a = Acc::default();
            if !na_col[k] {
                a = grid.cols[c];
                for (j, &r) in ri.iter().enumerate() {
                    if na_row[j] {
                        a.remove(cell(r, c));
                    }
                }
            }
            a
        })
        .collect();
    let multiple = row.is_multiple() || col.is_multiple();
    let tests = (!multiple).then(|| {
        if weighted {
            // Rescaled to the respondents who answered both questions.
            let answered: u64 = (0..ri.len())
                .flat_map(|r| (0..ci.len()).map(move |c| (r, c)))
                .filter(|&(r, c)| !(na_row[r] || na_col[c]))
                .map(|(r, c)| cell(ri[r], ci[c]).n)
                .sum();
            weighted_crosstab_tests(&tested, answered as f64)
        } else {
            crosstab_tests(&tested)
        }
    });
    // Letters compare column proportions of the substantive answers; under a weight each
    // column counts as its effective n (p × n_eff of n_eff), so weighting's loss of
    // precision is kept.
    let column_proportions = (!col.is_multiple()).then(|| {
        let bases: Vec<f64> = tested_cols
            .iter()
            .map(|a| a.n_eff(weighted).unwrap_or(0.0))
            .collect();
        let effective: Vec<Vec<f64>> = if weighted {
            tested
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .map(|(c, x)| {
                            let base = tested_cols[c].w;
                            if base > 0.0 {
                                x / base * bases[c]
                            } else {
                                0.0
                            }
                        })
                        .collect()
                })
                .collect()
        } else {
            tested.clone()
        };
        column_proportions_with_bases(&effective, &bases, LETTER_ALPHA)
    });
    let letters = match &column_proportions {
        Some(cp) => cp.rows.iter().map(|r| r.letters.clone()).collect(),
        None => vec![vec![String::new(); ci.len()]; ri.len()],
    };
    CrosstabTable {
        layer,
        rows: ri.iter().map(|&r| row.labels[r].clone()).collect(),
        cols: ci.iter().map(|&c| col.labels[c].clone()).collect(),
        n: grid.total.n,
        counts,
        weighted: weighted.then(|| sums.clone()),
        row_bases,
        col_bases,
        total_base,
        row_base_counts: ri.iter().map(|&r| grid.rows[r].n).collect(),
        col_base_counts: ci.iter().map(|&c| grid.cols[c].n).collect(),
        row_percent,
        col_percent,
        total_percent,
        col_percent_ci,
        col_effective_n,
        tests,
        column_proportions,
        letters,
        weights: weighted.then(|| weight_summary(&grid.weights)),
    }
}

// ---------------------------------------------------------------------------------------
// Raw cells, for the benchmark harness.

/// One pair of raw answers: how many respondents gave it and the sum of their weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValuePair {
    /// The row column's answer ("" for blank).
    pub row: String,
    /// The column column's answer ("" for blank).
    pub col: String,
    pub count: u64,
    /// Sum of weights (equals `count` when there is no weight column).
    pub weight: f64,
}

/// The pairs with at least one respondent, in code order (first appearance in the file).
/// Rows whose weight is blank or not a number count with weight 0 and are reported in
/// `unweighted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabCells {
    pub cells: Vec<ValuePair>,
    pub unweighted: u64,
}

/// `$body` with `$v` bound to the codes as a slice of their own width (`u8`, `u16` or
/// `u32`), so that a loop over the rows is compiled once per width.
macro_rules! with_codes {
    ($codes:expr, $v:ident => $body:expr) => {
        match $codes {
            crate::table::Codes::U8($v) => $body,
            crate::table::Codes::U16($v) => $body,
            crate::table::Codes::U32($v) => $body,
        }
    };
}

/// Counts and weight sums per pair of the two columns' values as the file writes them (no
/// codebook, no 無回答 category, no gate: the caller checks `usable_column`). What the
/// benchmark harness (`ui::bench`, `benches/read.rs`) compares with other tools; the
/// crosstab above does not build on it. One pass over the rows into a dense grid indexed
/// by (row code, column code); a blank or non-numeric weight counts 0 and is reported in
/// `unweighted`.
pub fn raw_cells(row: &Column, col: &Column, weight: Option<&Column>) -> CrosstabCells {
    let (nr, nc) = (row.values.len(), col.values.len());
    let mut counts = vec![0u64; nr * nc];
    let mut sums = vec![0f64; nr * nc];
    // The width of each column's codes is matched once here, not for every cell of every
    // row (`Codes::get`): the loops below are plain slice walks the compiler unrolls.
    let unweighted = with_codes!(&row.codes, r => with_codes!(&col.codes, c => match weight {
        None => {
            for (&r, &c) in r.iter().zip(c) {
                counts[r as usize * nc + c as usize] += 1;
            }
            0
        }
        Some(w) => with_codes!(&w.codes, v => {
            let mut unweighted = 0;
            for ((&r, &c), &v) in r.iter().zip(c).zip(v) {
                let k = r as usize * nc + c as usize;
                counts[k] += 1;
                match w.numbers[v as usize] {
                    Some(x) => sums[k] += x,
                    None => unweighted += 1,
                }
            }
            unweighted
        }),
    }));
    let mut out = Vec::new();
    for r in 0..nr {
        for c in 0..nc {
            let k = r * nc + c;
            if counts[k] > 0 {
                out.push(ValuePair {
                    row: row.values[r].to_string(),
                    col: col.values[c].to_string(),
                    count: counts[k],
                    weight: if weight.is_some() {
                        sums[k]
                    } else {
                        counts[k] as f64
                    },
                });
            }
        }
    }
    CrosstabCells {
        cells: out,
        unweighted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ColumnBuilder;

    fn col(values: &[&str]) -> Column {
        let mut b = ColumnBuilder::new("c".into());
        values.iter().for_each(|v| b.push(v));
        b.finish()
    }

    /// Every width of codes (u8, u16, u32) in the row, column and weight columns, against
    /// the pairs counted here from the cells' values, weights summed in row order.
    #[test]
    fn raw_cells_agree_with_the_values_at_every_width_of_codes() {
        let n = 70_100;
        let rows: Vec<String> = (0..n).map(|i| format!("r{}", i % 300)).collect();
        let cols: Vec<String> = (0..n)
            .map(|i| {
                if i % 11 == 0 {
                    String::new()
                } else {
                    format!("c{}", i % 7)
                }
            })
            .collect();
        let weights: Vec<String> = (0..n)
            .map(|i| match i % 97 {
                0 => String::new(),
                1 => "x".to_string(),
                _ => format!("{}.{:04}", i % 3, i),
            })
            .collect();
        let built = |v: &[String]| {
            let mut b = ColumnBuilder::new("c".into());
            v.iter().for_each(|v| b.push(v));
            b.finish()
        };
        let (r, c, w) = (built(&rows), built(&cols), built(&weights));
        assert!(matches!(r.codes, crate::table::Codes::U16(_)));
        assert!(matches!(c.codes, crate::table::Codes::U8(_)));
        assert!(matches!(w.codes, crate::table::Codes::U32(_)));
        for (a, b) in [(&r, &c), (&c, &r), (&w, &c)] {
            for weight in [None, Some(&w)] {
                let mut want = std::collections::BTreeMap::<(&str, &str), (u64, f64)>::new();
                let mut unweighted = 0;
                for i in 0..n {
                    let cell = want.entry((a.value(i), b.value(i))).or_default();
                    cell.0 += 1;
                    match weight.map(|w| crate::table::parse_number(w.value(i))) {
                        None => cell.1 += 1.0,
                        Some(Some(x)) => cell.1 += x,
                        Some(None) => unweighted += 1,
                    }
                }
                let got = raw_cells(a, b, weight);
                assert_eq!(got.unweighted, unweighted);
                let got: std::collections::BTreeMap<(&str, &str), (u64, f64)> = got
                    .cells
                    .iter()
                    .map(|p| ((p.row.as_str(), p.col.as_str()), (p.count, p.weight)))
                    .collect();
                assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn raw_cells_count_and_sum_weights_per_pair_of_values() {
        let sex = col(&["男性", "女性", "女性", "", "女性"]);
        let area = col(&["北", "北", "南", "北", "南"]);
        let w = col(&["1.5", "0.5", "2", "1", ""]);
        let t = raw_cells(&sex, &area, Some(&w));
        let got: Vec<_> = t
            .cells
            .iter()
            .map(|c| (c.row.as_str(), c.col.as_str(), c.count, c.weight))
            .collect();
        assert_eq!(
            got,
            vec![
                ("", "北", 1, 1.0),
                ("男性", "北", 1, 1.5),
                ("女性", "北", 1, 0.5),
                ("女性", "南", 2, 2.0)
            ]
        );
        assert_eq!(t.unweighted, 1);
        let t = raw_cells(&sex, &area, None);
        assert_eq!(t.cells.iter().map(|c| c.count).sum::<u64>(), 5);
        assert!(t.cells.iter().all(|c| c.weight == c.count as f64));
    }
}

#[cfg(test)]
mod no_answer_tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::stats::ResidualMark;

    /// 240 respondents, sex strongly related to the answer; 30 have no answer (blank) to
    /// 回答, 12 none to 性別, 3 to neither; weights vary by row.
    fn survey() -> Survey {
        let mut csv = String::from("性別,回答,w\n");
        for i in 0..285 {
            let sex = if i % 2 == 0 { "男性" } else { "女性" };
            let ans = match i % 10 {
                k if i % 2 == 0 && k < 7 => "はい",
                k if i % 2 == 1 && k < 2 => "はい",
                9 => "どちらでもない",
                _ => "いいえ",
            };
            let (sex, ans) = match i {
                240..=269 => (sex, ""),
                270..=281 => ("", ans),
                282.. => ("", ""),
                _ => (sex, ans),
            };
            let w = 0.5 + (i % 7) as f64 * 0.25;
            csv.push_str(&format!("{sex},{ans},{w}\n"));
        }
        Survey::infer(
            read_bytes(csv.as_bytes(), ReadOptions::default())
                .unwrap()
                .table,
        )
    }

    fn index(labels: &[Label], of: &[Label]) -> Vec<Option<usize>> {
        labels
            .iter()
            .map(|l| of.iter().position(|o| o.label == l.label))
            .collect()
    }

    fn close(a: f64, b: f64, what: &str) {
        assert!(
            (a - b).abs() <= 1e-12 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        );
    }

    /// With 無回答 in the table the tests, residual marks and letters are those of the same
    /// data without the 無回答 respondents; the % keep 無回答 in their base.
    fn check(weight: Option<&str>) {
        let s = survey();
        let spec = CrosstabSpec {
            weight: weight.map(String::from),
            ..CrosstabSpec::new("回答", "性別")
        };
        let with = crosstab(&s, &spec).unwrap();
        let without = crosstab(
            &s,
            &CrosstabSpec {
                include_no_answer: false,
                ..spec.clone()
            },
        )
        .unwrap();
        let (a, b) = (&with.tables[0], &without.tables[0]);
        assert!(a.rows.iter().any(|l| l.no_answer) && a.cols.iter().any(|l| l.no_answer));
        assert!(b.n < a.n);
        let (ta, tb) = (a.tests.as_ref().unwrap(), b.tests.as_ref().unwrap());
        let (pa, pb) = (ta.pearson.as_ref().unwrap(), tb.pearson.as_ref().unwrap());
        close(pa.statistic, pb.statistic, "χ²");
        assert_eq!(pa.df, pb.df);
        close(pa.p_value.unwrap(), pb.p_value.unwrap(), "p");
        let (ga, gb) = (
            ta.likelihood_ratio.as_ref().unwrap(),
            tb.likelihood_ratio.as_ref().unwrap(),
        );
        close(ga.statistic, gb.statistic, "G²");
        close(ta.cramers_v.unwrap(), tb.cramers_v.unwrap(), "V");
        let (ri, ci) = (index(&a.rows, &b.rows), index(&a.cols, &b.cols));
        let mut letters = 0;
        for (r, rb) in ri.iter().enumerate() {
            for (c, cb) in ci.iter().enumerate() {
                match (rb, cb) {
                    (Some(rb), Some(cb)) => {
                        assert_eq!(ta.marks[r][c], tb.marks[*rb][*cb], "mark {r},{c}");
                        let (x, y) = (
                            ta.adjusted_residuals[r][c].unwrap(),
                            tb.adjusted_residuals[*rb][*cb].unwrap(),
                        );
                        close(x, y, "residual");
                        assert_eq!(a.letters[r][c], b.letters[*rb][*cb], "letters {r},{c}");
                        letters += a.letters[r][c].len();
                    }
                    _ => {
                        assert_eq!(ta.marks[r][c], ResidualMark::NotSignificant);
                        assert_eq!(a.letters[r][c], "", "no letter on 無回答 {r},{c}");
                    }
                }
            }
        }
        assert!(letters > 0, "the data should give letters");
        assert!(with
            .notes
            .iter()
            .any(|n| n.ja.contains("無回答を除いた回答だけで計算")));
        assert!(!without
            .notes
            .iter()
            .any(|n| n.ja.contains("無回答を除いた回答だけで計算")));
        // The % still have 無回答 in their base.
        let na_row = a.rows.iter().position(|l| l.no_answer).unwrap();
        for c in 0..a.cols.len() {
            let column: f64 = (0..a.rows.len())
                .map(|r| a.col_percent[r][c].unwrap())
                .sum();
            close(column, 100.0, "column % sum");
            assert!(a.col_percent[na_row][c].unwrap() > 0.0);
        }
    }

    #[test]
    fn tests_leave_no_answer_out_but_percentages_keep_it() {
        check(None);
    }

    #[test]
    fn weighted_tests_leave_no_answer_out_too() {
        check(Some("w"));
    }
}
