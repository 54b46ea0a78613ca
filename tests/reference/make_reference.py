#!/usr/bin/env python3
"""Writes the reference values that tests/stats_reference.rs compares src/stats/ against.

Every data set is drawn here with a fixed numpy seed and stored raw in the JSON next to
the values computed from it by established libraries (scipy, statsmodels, samplics;
versions pinned in requirements.txt and recorded in every file under "generator"), so the
Rust test feeds the *same raw data* to the Rust functions and needs no Python.

Run from the repository root (see README.md here):

    python3 -m venv target/refvenv
    target/refvenv/bin/pip install -r tests/reference/requirements.txt
    target/refvenv/bin/python tests/reference/make_reference.py
"""

import json
import math
import pathlib
import sys
from importlib.metadata import version
from itertools import combinations

import numpy as np
import samplics
import scipy
import statsmodels
from samplics.weighting import SampleWeight
from scipy import stats
from scipy.stats import contingency
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import DescrStatsW

OUT = pathlib.Path(__file__).resolve().parent
SEED = 20240611

GENERATOR = {
    "script": "tests/reference/make_reference.py",
    "seed": SEED,
    "python": sys.version.split()[0],
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__,
    "samplics": version("samplics"),
}


def clean(x):
    """JSON-safe: numpy scalars/arrays to Python, NaN/inf to null."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        x = float(x)
        return x if math.isfinite(x) else None
    return x


def write(name, payload):
    payload = {"generator": GENERATOR, **payload}
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(clean(payload), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(OUT.parent.parent)}")


rng = np.random.default_rng(SEED)

# ---------------------------------------------------------------------------------------
# Cross-tabulation tests.


def crosstab_reference(name, matrix, note):
    """scipy/statsmodels on the table with its all-zero rows and columns removed."""
    m = np.asarray(matrix, dtype=float)
    keep_r = np.flatnonzero(m.sum(axis=1) > 0)
    keep_c = np.flatnonzero(m.sum(axis=0) > 0)
    r = m[np.ix_(keep_r, keep_c)]
    n = r.sum()
    pearson = stats.chi2_contingency(r, correction=False)
    lr = stats.chi2_contingency(r, correction=False, lambda_="log-likelihood")
    out = {
        "name": name,
        "note": note,
        "matrix": m,
        "dropped_rows": [i for i in range(m.shape[0]) if i not in keep_r],
        "dropped_cols": [j for j in range(m.shape[1]) if j not in keep_c],
        "kept_rows": keep_r,
        "kept_cols": keep_c,
        "row_totals": m.sum(axis=1),
        "col_totals": m.sum(axis=0),
        "grand_total": m.sum(),
        # expected / residuals on the reduced table (kept rows x kept cols)
        "expected": contingency.expected_freq(r),
        "pearson": {"statistic": pearson.statistic, "df": pearson.dof, "p": pearson.pvalue},
        "likelihood_ratio": {"statistic": lr.statistic, "df": lr.dof, "p": lr.pvalue},
        # scipy's association() takes integer tables only; for weighted (rescaled) ones the
        # same formula sqrt(chi2 / (n (min(r, c) - 1))) on scipy's chi2.
        "cramers_v": (
            contingency.association(r.astype(np.int64), method="cramer", correction=False)
            if np.all(r == np.round(r))
            else math.sqrt(pearson.statistic / (n * (min(r.shape) - 1)))
        ),
        "adjusted_residuals": Table(r, shift_zeros=False).standardized_resids,
        "expected_below_5": int((contingency.expected_freq(r) < 5).sum()),
        "min_expected": contingency.expected_freq(r).min(),
    }
    if r.shape == (2, 2):
        yates = stats.chi2_contingency(r, correction=True)
        out["yates"] = {"statistic": yates.statistic, "df": yates.dof, "p": yates.pvalue}
        a, b, c, d = r[0, 0], r[0, 1], r[1, 0], r[1, 1]
        out["phi"] = (a * d - b * c) / math.sqrt(
            (a + b) * (c + d) * (a + c) * (b + d)
        )
        # |phi| must agree with scipy's association(method="pearson") = sqrt(chi2/n)...
        # no: that one is the contingency coefficient; check |phi| = sqrt(chi2/n) instead.
        assert abs(abs(out["phi"]) - math.sqrt(pearson.statistic / n)) < 1e-12
        if np.all(r == np.round(r)):
            out["fisher_p"] = stats.fisher_exact(r.astype(np.int64)).pvalue
    return out


tables = []

# (a) sparse 6x4 from 58 respondents: one answer nobody chose (row 3), several empty cells.
probs_a = rng.dirichlet(np.ones(24) * 0.6).reshape(6, 4)
probs_a[3, :] = 0.0
probs_a /= probs_a.sum()
sparse = rng.multinomial(58, probs_a.ravel()).reshape(6, 4)
tables.append(crosstab_reference("sparse_6x4", sparse, "58 respondents, row 3 all zero"))

# (b) 2x2 tables: a moderate one and a small one (Fisher territory).
for name, n, p_row, p_col_given_row in (
    ("two_by_two", 143, 0.37, (0.62, 0.41)),
    ("two_by_two_small", 19, 0.45, (0.7, 0.25)),
):
    rows = rng.random(n) < p_row
    cols = np.where(rows, rng.random(n) < p_col_given_row[0], rng.random(n) < p_col_given_row[1])
    m = np.zeros((2, 2))
    for r_, c_ in zip(rows, cols):
        m[int(not r_), int(not c_)] += 1
    tables.append(crosstab_reference(name, m, f"{n} respondents"))

# (c) weighted 4x3: 812 respondents, lognormal weights; cells are weight sums.
n_c = 812
group_c = rng.choice(4, size=n_c, p=[0.18, 0.27, 0.33, 0.22])
answer_probs = np.array([[0.5, 0.3, 0.2], [0.42, 0.33, 0.25], [0.35, 0.35, 0.3], [0.3, 0.32, 0.38]])
answer_c = np.array([rng.choice(3, p=answer_probs[g]) for g in group_c])
weights_c = rng.lognormal(mean=0.0, sigma=0.55, size=n_c)
weighted = np.zeros((4, 3))
unweighted = np.zeros((4, 3))
for g, a, w in zip(group_c, answer_c, weights_c):
    weighted[g, a] += w
    unweighted[g, a] += 1
rescaled = weighted * (n_c / weighted.sum())
wt = crosstab_reference("weighted_rescaled", rescaled, "weight sums rescaled to n = 812")
wt["weight_sums"] = weighted
wt["sample_size"] = n_c
tables.append(wt)
tables.append(crosstab_reference("weighted_counts", unweighted, "the same 812, unweighted"))

write(
    "crosstab",
    {
        "about": "Pearson/LR chi2 (scipy.stats.chi2_contingency), Yates (correction=True), "
        "Fisher (scipy.stats.fisher_exact), Cramer's V (scipy.stats.contingency.association), "
        "adjusted standardized residuals (statsmodels Table(shift_zeros=False)."
        "standardized_resids), all on the table without its all-zero rows/columns",
        "tables": tables,
    },
)

# ---------------------------------------------------------------------------------------
# Column proportions (SPSS Custom Tables style), pairwise pooled z tests by statsmodels.


def letters(k):
    out = []
    for i in range(k):
        s, j = "", i
        while True:
            s = chr(ord("A") + j % 26) + s
            j = j // 26 - 1
            if j < 0:
                break
        out.append(s)
    return out


def column_proportions_reference(name, matrix, bases=None, alpha=0.05):
    m = np.asarray(matrix, dtype=float)
    bases = m.sum(axis=0) if bases is None else np.asarray(bases, dtype=float)
    rows = []
    for i in range(m.shape[0]):
        props = [m[i, j] / bases[j] if bases[j] > 0 else None for j in range(m.shape[1])]
        testable = [j for j in range(m.shape[1]) if props[j] is not None and 0 < props[j] < 1]
        pairs = list(combinations(testable, 2))
        k = len(pairs)
        tests = []
        greater = [[] for _ in range(m.shape[1])]
        for a, b in pairs:
            z, p = proportions_ztest([m[i, a], m[i, b]], [bases[a], bases[b]])
            p_adj = min(1.0, p * k)
            tests.append({"a": a, "b": b, "z": z, "p": p, "p_adjusted": p_adj})
            if p_adj < alpha:
                hi, lo = (a, b) if props[a] > props[b] else (b, a)
                greater[hi].append(lo)
        rows.append({"proportions": props, "tests": tests, "greater_than": greater,
                     "comparisons": k})
    return {"name": name, "matrix": m, "bases": bases, "alpha": alpha, "rows": rows,
            "letters": letters(m.shape[1])}


cp_cases = [
    column_proportions_reference("weighted_counts_4x3_transposed", unweighted.T),
    column_proportions_reference("sparse_6x4", sparse),
]

# (d) multiple response: 312 respondents x 7 options, 3 age groups.
n_d, k_d = 312, 7
group_d = rng.choice(3, size=n_d, p=[0.28, 0.41, 0.31])
base_p = np.array([0.46, 0.31, 0.22, 0.38, 0.12, 0.27, 0.09])
shift = np.array([[0.08, -0.05, 0.0], [-0.06, 0.0, 0.07], [0.1, 0.02, -0.08], [0.0, 0.0, 0.0],
                  [-0.04, 0.02, 0.05], [0.09, -0.02, -0.1], [0.0, 0.03, -0.02]])
ticks = np.zeros((n_d, k_d), dtype=int)
for i in range(n_d):
    p = np.clip(base_p + shift[:, group_d[i]], 0.01, 0.99)
    ticks[i] = (rng.random(k_d) < p).astype(int)
answered = ticks.sum(axis=1) > 0
counts = ticks.sum(axis=0)
mr = {
    "ticks": ticks,
    "group": group_d,
    "groups": 3,
    "respondents": n_d,
    "base": int(answered.sum()),
    "counts": counts,
    "responses": int(counts.sum()),
    "pct_of_respondents": 100.0 * counts / answered.sum(),
    "pct_of_responses": 100.0 * counts / counts.sum(),
    "by_option": [],
}
for o in range(k_d):
    m = np.zeros((2, 3))
    for i in np.flatnonzero(answered):
        m[0 if ticks[i, o] else 1, group_d[i]] += 1
    mr["by_option"].append(column_proportions_reference(f"option_{o}", m))
write(
    "column_proportions",
    {
        "about": "pairwise two-proportion z tests with pooled proportion "
        "(statsmodels proportions_ztest), Bonferroni x number of pairs compared in the row; "
        "columns with proportion 0 or 1 not compared",
        "cases": cp_cases,
        "multiple_response": mr,
    },
)

# ---------------------------------------------------------------------------------------
# Numbers by group: UCLA-like loneliness scores (3..12, many ties) by five age groups.

group_sizes = [38, 52, 61, 47, 29]
group_means = [7.4, 6.6, 6.1, 6.5, 7.0]
groups = []
for n, mu in zip(group_sizes, group_means):
    s = np.clip(np.round(rng.normal(mu, 2.0, size=n)), 3, 12)
    groups.append(s)
weights_g = [rng.lognormal(0.0, 0.45, size=len(g)) for g in groups]
desc = []
for g, w in zip(groups, weights_g):
    d = DescrStatsW(g, weights=w, ddof=1)
    desc.append({
        "n": len(g), "mean": g.mean(), "sd": g.std(ddof=1), "median": np.median(g),
        "min": g.min(), "max": g.max(),
        "weights": w,
        "weighted": {"sum_weights": d.sum_weights, "mean": d.mean, "sd": d.std,
                     "var": d.var, "median": d.quantile(0.5, return_pandas=False)[0]},
    })
anova = stats.f_oneway(*groups)
all_scores = np.concatenate(groups)
ss_between = sum(len(g) * (g.mean() - all_scores.mean()) ** 2 for g in groups)
ss_total = ((all_scores - all_scores.mean()) ** 2).sum()
kw = stats.kruskal(*groups)
# A second, smaller case: three groups with heavy ties and one group of size 1.
small = [np.array([3.0, 3, 4, 4, 4, 5]), np.array([4.0]), np.array([5.0, 5, 6, 3, 4])]
write(
    "groups",
    {
        "about": "descriptives (numpy; weighted: statsmodels DescrStatsW ddof=1, frequency "
        "weights, median = DescrStatsW.quantile(0.5)); ANOVA (scipy.stats.f_oneway, eta^2 = "
        "SS_between/SS_total); Kruskal-Wallis with tie correction (scipy.stats.kruskal)",
        "cases": [
            {
                "name": "ucla_by_age",
                "groups": groups,
                "descriptives": desc,
                "anova": {"f": anova.statistic, "p": anova.pvalue, "df1": len(groups) - 1,
                          "df2": len(all_scores) - len(groups),
                          "eta_squared": ss_between / ss_total},
                "kruskal": {"h": kw.statistic, "p": kw.pvalue, "df": len(groups) - 1},
            },
            {
                "name": "small_ties_singleton",
                "groups": small,
                "anova": {"f": stats.f_oneway(*small).statistic,
                          "p": stats.f_oneway(*small).pvalue, "df1": 2, "df2": 9},
                "kruskal": {"h": stats.kruskal(*small).statistic,
                            "p": stats.kruskal(*small).pvalue, "df": 2},
            },
        ],
    },
)

# ---------------------------------------------------------------------------------------
# Weights: Kish effective n and design effect.


def kish(w):
    w = np.asarray(w, dtype=float)
    n_eff = w.sum() ** 2 / (w ** 2).sum()
    return {"weights": w, "n": len(w), "sum": w.sum(), "n_eff": n_eff, "deff": len(w) / n_eff,
            "min": w.min(), "max": w.max(), "mean": w.mean(),
            "cv": w.std(ddof=0) / w.mean()}


write(
    "weights",
    {
        "about": "Kish n_eff = (sum w)^2 / sum w^2 (numpy), deff = n / n_eff, "
        "CV with the population SD (ddof=0) so that deff = 1 + CV^2",
        "cases": [kish(weights_c), kish(np.concatenate(weights_g))],
    },
)

# ---------------------------------------------------------------------------------------
# Proportions: Wilson intervals and two-proportion z tests (statsmodels).

wilson = []
for count, nobs, conf in ((17, 58, 0.95), (0, 25, 0.95), (25, 25, 0.95), (1, 812, 0.95),
                          (143, 312, 0.90), (3, 7, 0.99), (412, 1000, 0.95)):
    lo, hi = proportion_confint(count, nobs, alpha=1 - conf, method="wilson")
    wilson.append({"p": count / nobs, "n": nobs, "confidence": conf, "lower": lo, "upper": hi,
                   "note": "counts"})
# Weighted: p from weight sums, n = Kish n_eff of the 812 weights.
w_share = weighted[:, 0].sum() / weighted.sum()
n_eff_c = kish(weights_c)["n_eff"]
lo, hi = proportion_confint(w_share * n_eff_c, n_eff_c, alpha=0.05, method="wilson")
wilson.append({"p": w_share, "n": n_eff_c, "confidence": 0.95, "lower": lo, "upper": hi,
               "note": "weighted share of answer 0, n = Kish n_eff"})

ztests = []
for p1, n1, p2, n2 in ((0.412, 1000, 0.355, 2861), (17 / 58, 58, 0.24, 11218), (0.5, 40, 0.5, 60),
                       (w_share, n_eff_c, 0.395, 8413), (0.02, 300, 0.11, 2000)):
    z, p = proportions_ztest([p1 * n1, p2 * n2], [n1, n2])
    ztests.append({"p1": p1, "n1": n1, "p2": p2, "n2": n2, "z": z, "p_value": p})
write(
    "proportion",
    {
        "about": "statsmodels proportion_confint(method='wilson') and proportions_ztest "
        "(pooled, two-sided) with count = p * n",
        "wilson": wilson,
        "two_proportion": ztests,
    },
)

# ---------------------------------------------------------------------------------------
# Raking: a sample of 1,000 with too many young people, raked to age x sex and area.

n_r = 1000
# sample shares: age band x sex (6 cells) tilted young; area (4)
agesex_sample_p = np.array([0.21, 0.19, 0.17, 0.16, 0.14, 0.13])
agesex = rng.choice(6, size=n_r, p=agesex_sample_p)
area_by_age = np.array([[0.35, 0.3, 0.2, 0.15], [0.28, 0.27, 0.25, 0.2], [0.2, 0.25, 0.3, 0.25]])
area = np.array([rng.choice(4, p=area_by_age[a // 2]) for a in agesex])
# Population totals (real-looking municipality, 18+): age x sex, and area.
agesex_targets = np.array([21483.0, 20117.0, 30962.0, 31508.0, 24371.0, 30859.0])
area_raw = np.array([0.27, 0.26, 0.25, 0.22]) * agesex_targets.sum()
area_targets = np.round(area_raw)
area_targets[-1] = agesex_targets.sum() - area_targets[:-1].sum()
design_w = np.full(n_r, agesex_targets.sum() / n_r)

raking_cases = []
for name, max_iter, tol in (("converged", 1000, 1e-13), ("three_cycles", 3, 0.0)):
    sw = SampleWeight()
    raked = sw.rake(
        samp_weight=design_w,
        margins={"agesex": agesex, "area": area},
        control={"agesex": {i: agesex_targets[i] for i in range(6)},
                 "area": {i: area_targets[i] for i in range(4)}},
        tol=tol, ctrl_tol=tol, max_iter=max_iter,
    )
    raking_cases.append({"name": name, "max_iterations": max_iter, "tolerance": tol,
                         "raked": raked})
write(
    "raking",
    {
        "about": "samplics SampleWeight.rake (iterative proportional fitting: each full "
        "cycle post-stratifies to each margin in turn); 'three_cycles' stops after exactly 3",
        "initial_weights": design_w,
        "margins": [
            {"name": "agesex", "categories": agesex, "targets": agesex_targets},
            {"name": "area", "categories": area, "targets": area_targets},
        ],
        "cases": raking_cases,
    },
)
