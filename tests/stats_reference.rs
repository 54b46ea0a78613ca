//! src/stats against established libraries: scipy, statsmodels and samplics computed the
//! values in tests/reference/*.json from raw data stored in the same files (written by
//! tests/reference/make_reference.py, versions in tests/reference/requirements.txt). Each
//! test feeds that raw data to the Rust functions and asks for the same numbers:
//! statistics to 1e-9 relative, p-values to 1e-7 relative (or 1e-12 absolute when tiny),
//! raked weights to 1e-6 relative. No Python is needed to run this. The crosstab and
//! column-letter figures are also asked of `analysis::crosstab` on a survey made of the
//! same counts plus 無回答 respondents: the tests are on the answers alone, so the
//! reference figures must come out unchanged.

use serde_json::Value;
use tsunagari::stats::*;

const STAT: f64 = 1e-9;
const P: f64 = 1e-7;
const P_ABS: f64 = 1e-12;
const RAKED: f64 = 1e-6;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/reference/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn vec_f(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(vec_f).collect()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

/// Relative closeness, with an absolute floor for values that should be ~0.
#[track_caller]
fn close(got: f64, want: f64, rel: f64, what: &str) {
    let ok = (got - want).abs() <= rel * want.abs() || (got - want).abs() <= 1e-12;
    assert!(
        ok,
        "{what}: got {got:e}, reference {want:e} (rel diff {:e})",
        (got - want).abs() / want.abs()
    );
}

#[track_caller]
fn close_p(got: Option<f64>, want: &Value, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: no p-value"));
    let want = f(want);
    let ok = (got - want).abs() <= P * want.abs() || (got - want).abs() <= P_ABS;
    assert!(ok, "{what}: got p {got:e}, reference {want:e}");
}

#[test]
fn crosstab_tests_match_scipy_and_statsmodels() {
    let data = load("crosstab");
    let tables = data["tables"].as_array().unwrap();
    assert!(tables.len() >= 5);
    for t in tables {
        let name = t["name"].as_str().unwrap();
        let result = if name == "weighted_rescaled" {
            let r = weighted_crosstab_tests(&matrix(&t["weight_sums"]), f(&t["sample_size"]));
            assert!(r.scaled_to_sample_size);
            let want = matrix(&t["matrix"]);
            assert_eq!(
                r.counts.iter().flatten().count(),
                want.iter().flatten().count(),
                "{name}: rescaled cells"
            );
            for (got, want) in r.counts.iter().flatten().zip(want.iter().flatten()) {
                close(*got, *want, STAT, "rescaled cell");
            }
            r
        } else {
            let r = crosstab_tests(&matrix(&t["matrix"]));
            assert!(!r.scaled_to_sample_size);
            r
        };
        let m = matrix(&t["matrix"]);
        assert_eq!(result.not_computable, None, "{name}");
        assert_eq!(result.dropped_rows, usizes(&t["dropped_rows"]), "{name}");
        assert_eq!(result.dropped_cols, usizes(&t["dropped_cols"]), "{name}");
        let want = vec_f(&t["row_totals"]);
        assert_eq!(result.row_totals.len(), want.len(), "{name}: row totals");
        for (g, w) in result.row_totals.iter().zip(want) {
            close(*g, w, STAT, "row total");
        }
        let want = vec_f(&t["col_totals"]);
        assert_eq!(result.col_totals.len(), want.len(), "{name}: column totals");
        for (g, w) in result.col_totals.iter().zip(want) {
            close(*g, w, STAT, "column total");
        }
        close(
            result.grand_total,
            f(&t["grand_total"]),
            STAT,
            "grand total",
        );

        // Expected counts and residuals: the reference is on the kept rows × kept columns.
        let (kr, kc) = (usizes(&t["kept_rows"]), usizes(&t["kept_cols"]));
        let expected = matrix(&t["expected"]);
        let residuals = matrix(&t["adjusted_residuals"]);
        for (a, &i) in kr.iter().enumerate() {
            for (b, &j) in kc.iter().enumerate() {
                close(
                    result.expected[i][j].unwrap(),
                    expected[a][b],
                    STAT,
                    &format!("{name} E[{i}][{j}]"),
                );
                let r = result.adjusted_residuals[i][j].unwrap();
                close(
                    r,
                    residuals[a][b],
                    STAT,
                    &format!("{name} residual[{i}][{j}]"),
                );
                assert_eq!(result.marks[i][j], ResidualMark::of(Some(residuals[a][b])));
            }
        }
        for &i in &usizes(&t["dropped_rows"]) {
            assert!(result.expected[i].iter().all(Option::is_none));
            assert!(result.row_percent[i].iter().all(Option::is_none));
        }
        // Percentages: plain arithmetic on the input.
        let (rt, ct) = (vec_f(&t["row_totals"]), vec_f(&t["col_totals"]));
        for (i, row) in m.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                if rt[i] > 0.0 {
                    close(
                        result.row_percent[i][j].unwrap(),
                        100.0 * x / rt[i],
                        STAT,
                        "row %",
                    );
                }
                if ct[j] > 0.0 {
                    close(
                        result.col_percent[i][j].unwrap(),
                        100.0 * x / ct[j],
                        STAT,
                        "column %",
                    );
                }
                close(
                    result.total_percent[i][j].unwrap(),
                    100.0 * x / f(&t["grand_total"]),
                    STAT,
                    "total %",
                );
            }
        }

        let pearson = result.pearson.as_ref().unwrap();
        close(
            pearson.statistic,
            f(&t["pearson"]["statistic"]),
            STAT,
            &format!("{name} Pearson"),
        );
        assert_eq!(pearson.df, f(&t["pearson"]["df"]));
        close_p(
            pearson.p_value,
            &t["pearson"]["p"],
            &format!("{name} Pearson p"),
        );
        let lr = result.likelihood_ratio.as_ref().unwrap();
        close(
            lr.statistic,
            f(&t["likelihood_ratio"]["statistic"]),
            STAT,
            &format!("{name} G2"),
        );
        close_p(
            lr.p_value,
            &t["likelihood_ratio"]["p"],
            &format!("{name} G2 p"),
        );
        close(
            result.cramers_v.unwrap(),
            f(&t["cramers_v"]),
            STAT,
            &format!("{name} V"),
        );

        let sparse = result.sparse.as_ref().unwrap();
        assert_eq!(
            sparse.cells_below_5 as u64,
            t["expected_below_5"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(sparse.cells_tested, kr.len() * kc.len());
        assert_eq!(sparse.warn, sparse.share > 0.2);
        close(
            sparse.min_expected,
            f(&t["min_expected"]),
            STAT,
            "min expected",
        );

        match &result.two_by_two {
            None => assert!(t.get("yates").is_none(), "{name}: 2x2 tests missing"),
            Some(tt) => {
                close(
                    tt.yates.statistic,
                    f(&t["yates"]["statistic"]),
                    STAT,
                    &format!("{name} Yates"),
                );
                close_p(
                    tt.yates.p_value,
                    &t["yates"]["p"],
                    &format!("{name} Yates p"),
                );
                close(tt.phi, f(&t["phi"]), STAT, &format!("{name} phi"));
                match t.get("fisher_p") {
                    Some(p) => close_p(tt.fisher_p, p, &format!("{name} Fisher")),
                    None => assert_eq!(tt.fisher_p, None),
                }
            }
        }
    }
    // The data sets exercise what they are meant to.
    let sparse = &tables[0];
    assert_eq!(usizes(&sparse["dropped_rows"]), vec![3]);
    assert!(
        crosstab_tests(&matrix(&sparse["matrix"]))
            .sparse
            .unwrap()
            .warn
    );
    assert!(
        tables
            .iter()
            .filter(|t| t.get("fisher_p").is_some())
            .count()
            >= 2
    );
}

fn check_column_proportions(case: &Value, got: &ColumnProportions) {
    let name = case["name"].as_str().unwrap();
    let letters: Vec<String> = case["letters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(got.labels, letters);
    let rows = case["rows"].as_array().unwrap();
    assert_eq!(got.rows.len(), rows.len());
    for (i, (g, w)) in got.rows.iter().zip(rows).enumerate() {
        let want = w["proportions"].as_array().unwrap();
        assert_eq!(
            g.proportions.len(),
            want.len(),
            "{name} row {i}: proportions"
        );
        for (gp, wp) in g.proportions.iter().zip(want) {
            match wp.as_f64() {
                Some(wp) => close(gp.unwrap(), wp, STAT, &format!("{name} row {i} proportion")),
                None => assert_eq!(*gp, None),
            }
        }
        assert_eq!(
            g.comparisons as u64,
            w["comparisons"].as_u64().unwrap(),
            "{name} row {i}"
        );
        let tests = w["tests"].as_array().unwrap();
        assert_eq!(g.tests.len(), tests.len(), "{name} row {i}");
        for (gt, wt) in g.tests.iter().zip(tests) {
            assert_eq!(
                (gt.a as u64, gt.b as u64),
                (wt["a"].as_u64().unwrap(), wt["b"].as_u64().unwrap())
            );
            let what = format!("{name} row {i} {}-{}", gt.a, gt.b);
            close(gt.z, f(&wt["z"]), STAT, &what);
            close_p(Some(gt.p_value), &wt["p"], &what);
            close_p(Some(gt.p_adjusted), &wt["p_adjusted"], &what);
        }
        let greater: Vec<Vec<usize>> = w["greater_than"]
            .as_array()
            .unwrap()
            .iter()
            .map(usizes)
            .collect();
        assert_eq!(g.greater_than, greater, "{name} row {i}");
    }
}

#[test]
fn column_proportions_match_statsmodels_pairwise_z() {
    let data = load("column_proportions");
    let mut significant = 0;
    let mut skipped = 0;
    for case in data["cases"].as_array().unwrap() {
        let got = column_proportions_with_bases(
            &matrix(&case["matrix"]),
            &vec_f(&case["bases"]),
            f(&case["alpha"]),
        );
        // With the column sums as bases the plain entry point must agree.
        assert_eq!(
            got,
            column_proportions(&matrix(&case["matrix"]), f(&case["alpha"]))
        );
        check_column_proportions(case, &got);
        significant += got
            .rows
            .iter()
            .map(|r| r.tests.iter().filter(|t| t.significant).count())
            .sum::<usize>();
        skipped += got.rows.iter().map(|r| r.skipped.len()).sum::<usize>();
    }
    assert!(significant > 0, "the data should produce some letters");
    assert!(skipped > 0, "the sparse table has 0 % cells to skip");
}

#[test]
fn multiple_response_and_its_column_proportions() {
    let data = load("column_proportions");
    let mr = &data["multiple_response"];
    let ticks: Vec<Vec<bool>> = mr["ticks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() == 1)
                .collect()
        })
        .collect();
    let group = usizes(&mr["group"]);
    let got = multiple_response(&ticks, None);
    assert_eq!(got.respondents, f(&mr["respondents"]));
    assert_eq!(got.base, f(&mr["base"]));
    assert_eq!(got.responses, f(&mr["responses"]));
    assert!(got.no_answer > 0.0, "some respondents ticked nothing");
    assert_eq!(got.counts, vec_f(&mr["counts"]));
    let want = vec_f(&mr["pct_of_respondents"]);
    assert_eq!(
        got.pct_of_respondents.len(),
        want.len(),
        "% of respondents per option"
    );
    for (g, w) in got.pct_of_respondents.iter().zip(want) {
        close(g.unwrap(), w, STAT, "% of respondents");
    }
    let want = vec_f(&mr["pct_of_responses"]);
    assert_eq!(
        got.pct_of_responses.len(),
        want.len(),
        "% of responses per option"
    );
    for (g, w) in got.pct_of_responses.iter().zip(want) {
        close(g.unwrap(), w, STAT, "% of responses");
    }
    // Each option, ticked vs not (among respondents who ticked anything) by group.
    let groups = mr["groups"].as_u64().unwrap() as usize;
    assert_eq!(
        ticks.len(),
        group.len(),
        "fixture: a group for every respondent"
    );
    for (o, case) in mr["by_option"].as_array().unwrap().iter().enumerate() {
        let mut m = vec![vec![0.0; groups]; 2];
        for (row, &g) in ticks.iter().zip(&group) {
            if row.iter().any(|&t| t) {
                m[usize::from(!row[o])][g] += 1.0;
            }
        }
        assert_eq!(m, matrix(&case["matrix"]), "option {o}");
        check_column_proportions(case, &column_proportions(&m, 0.05));
    }
}

#[test]
fn group_statistics_match_numpy_statsmodels_scipy() {
    let data = load("groups");
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let groups = matrix(&case["groups"]);
        if let Some(desc) = case.get("descriptives") {
            let got = describe_groups(&groups);
            let desc = desc.as_array().unwrap();
            assert_eq!(got.len(), desc.len(), "{name}: descriptives per group");
            for (i, (g, w)) in got.iter().zip(desc).enumerate() {
                let what = format!("{name} group {i}");
                assert_eq!(g.n as u64, w["n"].as_u64().unwrap());
                close(g.mean.unwrap(), f(&w["mean"]), STAT, &what);
                close(g.sd.unwrap(), f(&w["sd"]), STAT, &what);
                assert_eq!(g.median.unwrap(), f(&w["median"]), "{what}");
                assert_eq!(
                    (g.min.unwrap(), g.max.unwrap()),
                    (f(&w["min"]), f(&w["max"]))
                );
                let wd = describe_weighted(&groups[i], &vec_f(&w["weights"]));
                let r = &w["weighted"];
                close(wd.sum_weights, f(&r["sum_weights"]), STAT, &what);
                close(
                    wd.mean.unwrap(),
                    f(&r["mean"]),
                    STAT,
                    &format!("{what} weighted mean"),
                );
                close(
                    wd.sd.unwrap(),
                    f(&r["sd"]),
                    STAT,
                    &format!("{what} weighted sd"),
                );
                close(
                    wd.variance.unwrap(),
                    f(&r["var"]),
                    STAT,
                    &format!("{what} weighted var"),
                );
                assert_eq!(
                    wd.median.unwrap(),
                    f(&r["median"]),
                    "{what} weighted median"
                );
            }
        }
        let anova = one_way_anova(&groups);
        let a = &case["anova"];
        close(anova.f.unwrap(), f(&a["f"]), STAT, &format!("{name} F"));
        close_p(anova.p_value, &a["p"], &format!("{name} ANOVA p"));
        assert_eq!(
            (anova.df1 as u64, anova.df2 as u64),
            (a["df1"].as_u64().unwrap(), a["df2"].as_u64().unwrap())
        );
        if let Some(eta) = a.get("eta_squared") {
            close(
                anova.eta_squared.unwrap(),
                f(eta),
                STAT,
                &format!("{name} eta2"),
            );
        }
        let kw = kruskal_wallis(&groups);
        let k = &case["kruskal"];
        close(kw.h.unwrap(), f(&k["h"]), STAT, &format!("{name} H"));
        close_p(kw.p_value, &k["p"], &format!("{name} Kruskal p"));
        assert_eq!(kw.df as u64, k["df"].as_u64().unwrap());
        assert!(
            kw.tie_correction.unwrap() < 1.0,
            "{name}: the data have ties"
        );
    }
}

#[test]
fn kish_effective_n_matches_reference() {
    let data = load("weights");
    for case in data["cases"].as_array().unwrap() {
        let s = weight_summary(&vec_f(&case["weights"]));
        assert_eq!(s.n as u64, case["n"].as_u64().unwrap());
        close(s.sum, f(&case["sum"]), STAT, "sum");
        close(s.n_eff.unwrap(), f(&case["n_eff"]), STAT, "n_eff");
        close(s.deff.unwrap(), f(&case["deff"]), STAT, "deff");
        close(s.mean.unwrap(), f(&case["mean"]), STAT, "mean");
        close(s.cv.unwrap(), f(&case["cv"]), STAT, "cv");
        assert_eq!(
            (s.min.unwrap(), s.max.unwrap()),
            (f(&case["min"]), f(&case["max"]))
        );
        assert!(s.deff.unwrap() > 1.1, "lognormal weights cost something");
    }
}

#[test]
fn wilson_and_two_proportion_match_statsmodels() {
    let data = load("proportion");
    for case in data["wilson"].as_array().unwrap() {
        let (p, n, conf) = (f(&case["p"]), f(&case["n"]), f(&case["confidence"]));
        let what = format!("Wilson p={p} n={n} conf={conf}");
        let got = wilson_interval(p, n, conf).unwrap();
        close(got.lower, f(&case["lower"]), STAT, &what);
        close(got.upper, f(&case["upper"]), STAT, &what);
    }
    for case in data["two_proportion"].as_array().unwrap() {
        let (p1, n1, p2, n2) = (
            f(&case["p1"]),
            f(&case["n1"]),
            f(&case["p2"]),
            f(&case["n2"]),
        );
        let what = format!("z test {p1}/{n1} vs {p2}/{n2}");
        let got = two_proportion_z_test(p1, n1, p2, n2).unwrap();
        close(got.z, f(&case["z"]), STAT, &what);
        close_p(Some(got.p_value), &case["p_value"], &what);
    }
}

#[test]
fn raking_matches_samplics() {
    let data = load("raking");
    let initial = vec_f(&data["initial_weights"]);
    let margins: Vec<Margin> = data["margins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Margin {
            name: m["name"].as_str().unwrap().to_string(),
            categories: usizes(&m["categories"]).into_iter().map(Some).collect(),
            targets: vec_f(&m["targets"]),
            ..Margin::default()
        })
        .collect();
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let options = RakeOptions {
            max_iterations: case["max_iterations"].as_u64().unwrap() as usize,
            tolerance: f(&case["tolerance"]),
            trim: None,
        };
        let got = rake(&initial, &margins, &options).unwrap();
        assert!(got.warnings.is_empty(), "{name}: {:?}", got.warnings);
        let want = vec_f(&case["raked"]);
        assert_eq!(got.weights.len(), want.len(), "{name}: raked weights");
        let worst = got
            .weights
            .iter()
            .zip(&want)
            .map(|(g, w)| (g - w).abs() / w.abs())
            .fold(0.0, f64::max);
        assert!(
            worst <= RAKED,
            "{name}: worst relative difference {worst:e}"
        );
        if name == "converged" {
            assert!(got.converged, "{name}: {:?}", got.max_discrepancy);
            assert!(*got.max_discrepancy.last().unwrap() <= 1e-13);
            // The margins are met.
            for m in &margins {
                let mut sums = vec![0.0; m.targets.len()];
                assert_eq!(
                    got.weights.len(),
                    m.categories.len(),
                    "{name}: weights against {} categories",
                    m.name
                );
                for (w, c) in got.weights.iter().zip(&m.categories) {
                    sums[c.unwrap()] += w;
                }
                for (s, t) in sums.iter().zip(&m.targets) {
                    close(*s, *t, 1e-12, &m.name);
                }
            }
            // The sample had too many young people: raking must lower their weights.
            let young = |w: &[f64]| -> f64 {
                w.iter()
                    .zip(&margins[0].categories)
                    .filter(|(_, c)| c.unwrap() < 2)
                    .map(|(w, _)| w)
                    .sum()
            };
            assert!(young(&got.weights) < young(&initial));
        } else {
            assert_eq!(got.iterations, 3);
            assert!(!got.converged);
            assert_eq!(got.max_discrepancy.len(), 3);
            assert!(got.max_discrepancy.windows(2).all(|w| w[1] < w[0]));
        }
    }
}

// ---------------------------------------------------------------------------------------
// The same reference figures through the crosstab, with 無回答 in the table.

/// A survey whose `行` × `列` crosstab has `counts` (reference row i is `r{i}`, column j
/// `c{j}`; `weight_sums` split evenly over each cell's respondents), plus respondents
/// with a blank (無回答) row answer, column answer or both, who must change the % only.
fn survey_with_no_answer(
    counts: &[Vec<f64>],
    weight_sums: Option<&[Vec<f64>]>,
) -> tsunagari::model::Survey {
    let mut csv = String::from("行,列,w\n");
    for (i, row) in counts.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            let w = weight_sums.map_or(1.0, |ws| ws[i][j] / n);
            for _ in 0..n as u64 {
                csv.push_str(&format!("r{i},c{j},{w}\n"));
            }
        }
    }
    let cols = counts.iter().map(Vec::len).max().unwrap_or(0);
    for j in 0..cols {
        for _ in 0..3 * (j + 1) {
            csv.push_str(&format!(",c{j},1.7\n"));
        }
    }
    for (i, row) in counts.iter().enumerate() {
        if row.iter().sum::<f64>() > 0.0 {
            for _ in 0..i + 2 {
                csv.push_str(&format!("r{i},,0.6\n"));
            }
        }
    }
    csv.push_str(",,1.1\n,,2.3\n");
    let read = tsunagari::ingest::read_bytes(csv.as_bytes(), Default::default()).unwrap();
    tsunagari::model::Survey::infer(read.table)
}

/// Each reference row / column index → its place in the crosstab (`None`: not shown, as
/// a row nobody is in); the 無回答 row and column must be there.
fn places(labels: &[tsunagari::analysis::Label], prefix: char, n: usize) -> Vec<Option<usize>> {
    assert!(labels.iter().any(|l| l.no_answer), "no 無回答 {prefix}");
    (0..n)
        .map(|k| {
            labels
                .iter()
                .position(|l| l.label == format!("{prefix}{k}"))
        })
        .collect()
}

#[test]
fn crosstab_with_no_answer_matches_the_reference_on_the_answers() {
    use tsunagari::analysis::{crosstab, CrosstabSpec};
    let data = load("crosstab");
    let tables = data["tables"].as_array().unwrap();
    let find = |name: &str| tables.iter().find(|t| t["name"] == name).unwrap();
    let mut checked = 0;
    for t in tables {
        let name = t["name"].as_str().unwrap();
        let (counts, sums, weight) = if name == "weighted_rescaled" {
            let counts = matrix(&find("weighted_counts")["matrix"]);
            assert_eq!(counts.iter().flatten().sum::<f64>(), f(&t["sample_size"]));
            (
                counts,
                Some(matrix(&t["weight_sums"])),
                Some("w".to_string()),
            )
        } else {
            (matrix(&t["matrix"]), None, None)
        };
        let survey = survey_with_no_answer(&counts, sums.as_deref());
        let spec = CrosstabSpec {
            weight,
            ..CrosstabSpec::new("行", "列")
        };
        let x = crosstab(&survey, &spec).unwrap();
        let tab = &x.tables[0];
        let result = tab.tests.as_ref().unwrap();
        assert_eq!(result.scaled_to_sample_size, sums.is_some(), "{name}");
        let rows = places(&tab.rows, 'r', counts.len());
        let cols = places(&tab.cols, 'c', counts[0].len());
        // Reference order kept (φ's sign depends on it).
        let shown: Vec<usize> = rows.iter().flatten().copied().collect();
        assert!(shown.windows(2).all(|w| w[0] < w[1]), "{name}: row order");

        let what = |s: &str| format!("{name} with 無回答: {s}");
        let pearson = result.pearson.as_ref().unwrap();
        close(
            pearson.statistic,
            f(&t["pearson"]["statistic"]),
            STAT,
            &what("χ²"),
        );
        assert_eq!(pearson.df, f(&t["pearson"]["df"]), "{}", what("df"));
        close_p(pearson.p_value, &t["pearson"]["p"], &what("χ² p"));
        let lr = result.likelihood_ratio.as_ref().unwrap();
        close(
            lr.statistic,
            f(&t["likelihood_ratio"]["statistic"]),
            STAT,
            &what("G²"),
        );
        close_p(lr.p_value, &t["likelihood_ratio"]["p"], &what("G² p"));
        close(
            result.cramers_v.unwrap(),
            f(&t["cramers_v"]),
            STAT,
            &what("V"),
        );
        if let Some(tt) = &result.two_by_two {
            close(
                tt.yates.statistic,
                f(&t["yates"]["statistic"]),
                STAT,
                &what("Yates"),
            );
            close(tt.phi, f(&t["phi"]), STAT, &what("φ"));
            match t.get("fisher_p") {
                Some(p) => close_p(tt.fisher_p, p, &what("Fisher")),
                None => assert_eq!(tt.fisher_p, None),
            }
        } else {
            assert!(t.get("yates").is_none(), "{}", what("2×2 tests missing"));
        }
        let (kr, kc) = (usizes(&t["kept_rows"]), usizes(&t["kept_cols"]));
        let residuals = matrix(&t["adjusted_residuals"]);
        for (a, &i) in kr.iter().enumerate() {
            for (b, &j) in kc.iter().enumerate() {
                let (r, c) = (rows[i].unwrap(), cols[j].unwrap());
                let got = result.adjusted_residuals[r][c].unwrap();
                close(
                    got,
                    residuals[a][b],
                    STAT,
                    &what(&format!("residual[{i}][{j}]")),
                );
                assert_eq!(result.marks[r][c], ResidualMark::of(Some(residuals[a][b])));
            }
        }
        // 無回答 has no residual and no mark; it is in the % base.
        for r in 0..tab.rows.len() {
            for c in 0..tab.cols.len() {
                if tab.rows[r].no_answer || tab.cols[c].no_answer {
                    assert_eq!(result.adjusted_residuals[r][c], None);
                    assert_eq!(result.marks[r][c], ResidualMark::NotSignificant);
                    assert_eq!(tab.letters[r][c], "");
                }
            }
        }
        let na_row = tab.rows.iter().position(|l| l.no_answer).unwrap();
        for (j, c) in cols.iter().enumerate() {
            let c = c.unwrap();
            let answered: f64 = counts.iter().map(|row| row[j]).sum();
            assert_eq!(
                tab.col_base_counts[c] as f64,
                answered + 3.0 * (j + 1) as f64
            );
            assert!(tab.col_percent[na_row][c].unwrap() > 0.0);
        }
        checked += 1;
    }
    assert_eq!(checked, tables.len());
}

#[test]
fn column_letters_with_no_answer_match_the_reference_on_the_answers() {
    use tsunagari::analysis::{crosstab, CrosstabSpec};
    let data = load("column_proportions");
    let mut letters = 0;
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let counts = matrix(&case["matrix"]);
        let survey = survey_with_no_answer(&counts, None);
        let x = crosstab(&survey, &CrosstabSpec::new("行", "列")).unwrap();
        let tab = &x.tables[0];
        let got = tab.column_proportions.as_ref().unwrap();
        let rows = places(&tab.rows, 'r', counts.len());
        let cols = places(&tab.cols, 'c', counts[0].len());
        for (i, want) in case["rows"].as_array().unwrap().iter().enumerate() {
            let Some(r) = rows[i] else {
                // A row nobody is in is not shown (nothing to compare in it).
                assert!(counts[i].iter().all(|&x| x == 0.0), "{name} row {i}");
                continue;
            };
            let g = &got.rows[r];
            // The same pairs, z and Bonferroni p as statsmodels on the answers alone.
            let tests = want["tests"].as_array().unwrap();
            assert_eq!(
                g.comparisons as u64,
                want["comparisons"].as_u64().unwrap(),
                "{name} row {i}"
            );
            assert_eq!(g.tests.len(), tests.len(), "{name} row {i}");
            for wt in tests {
                let (a, b) = (
                    wt["a"].as_u64().unwrap() as usize,
                    wt["b"].as_u64().unwrap() as usize,
                );
                let (ca, cb) = (cols[a].unwrap(), cols[b].unwrap());
                let gt = g
                    .tests
                    .iter()
                    .find(|t| (t.a, t.b) == (ca.min(cb), ca.max(cb)))
                    .unwrap_or_else(|| panic!("{name} row {i}: pair {a}-{b} not compared"));
                let sign = if ca < cb { 1.0 } else { -1.0 };
                close(
                    gt.z * sign,
                    f(&wt["z"]),
                    STAT,
                    &format!("{name} row {i} z {a}-{b}"),
                );
                close_p(
                    Some(gt.p_adjusted),
                    &wt["p_adjusted"],
                    &format!("{name} row {i} {a}-{b}"),
                );
            }
            // The letters: the reference's columns beaten, named by their place here.
            for (j, beaten) in want["greater_than"].as_array().unwrap().iter().enumerate() {
                let c = cols[j].unwrap();
                let mut want: Vec<usize> =
                    usizes(beaten).iter().map(|&k| cols[k].unwrap()).collect();
                want.sort_unstable();
                let want: String = want.into_iter().map(column_label).collect();
                assert_eq!(tab.letters[r][c], want, "{name} row {i} column {j}");
                letters += want.len();
            }
        }
    }
    assert!(letters > 0, "the reference should give a letter");
}

/// A numeric question's summary (n, mean, SD, quartiles R type 7; weighted with
/// frequency weights, DescrStatsW quartiles) against Python's `statistics` on the same
/// values (tests/reference/make_numeric_reference.py; the weighted figures on the data
/// expanded by its integer weights). The histogram's bins hold every respondent.
#[test]
fn numeric_summary_matches_python_statistics() {
    let r = load("numeric_summary");
    for case in r["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let values = vec_f(&case["values"]);
        let weights = case.get("weights").map(vec_f);
        let table: Vec<(f64, u64, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, &x)| (x, 1, weights.as_ref().map_or(1.0, |w| w[i])))
            .collect();
        let s = numeric_summary(&table, weights.is_some());
        let u = &case["unweighted"];
        assert_eq!(s.n, u["n"].as_u64().unwrap(), "{name} n");
        for (got, key) in [
            (s.mean, "mean"),
            (s.sd, "sd"),
            (s.min, "min"),
            (s.q1, "q1"),
            (s.median, "median"),
            (s.q3, "q3"),
            (s.max, "max"),
        ] {
            close(got.unwrap(), f(&u[key]), STAT, &format!("{name} {key}"));
        }
        assert_eq!(
            s.histogram.iter().map(|b| b.count).sum::<u64>(),
            s.n,
            "{name} bins"
        );
        match (&s.weighted, case.get("weighted")) {
            (Some(w), Some(e)) => {
                close(w.sum_weights, f(&e["sum_weights"]), STAT, name);
                for (got, key) in [
                    (w.mean, "mean"),
                    (w.sd, "sd"),
                    (w.q1, "q1"),
                    (w.median, "median"),
                    (w.q3, "q3"),
                ] {
                    close(
                        got.unwrap(),
                        f(&e[key]),
                        STAT,
                        &format!("{name} weighted {key}"),
                    );
                }
            }
            (None, None) => {}
            _ => panic!("{name}: weighted summary where none is expected, or none"),
        }
    }
}
