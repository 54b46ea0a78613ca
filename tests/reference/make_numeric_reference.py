"""Reference values for the numeric-question summary (src/stats/numeric_summary.rs):
n, mean, SD, quartiles, and their frequency-weighted versions.

Python's standard library only (no numpy needed), and a method independent of the Rust
code, which works on a frequency table (value, count, weight) with cumulative sums:

- unweighted: `statistics.mean`, `statistics.stdev` (n - 1), `statistics.quantiles(n=4,
  method="inclusive")`, which is R's type 7 = numpy's default 'linear'; the median is
  `statistics.median`;
- weighted (integer frequency weights, so a respondent of weight w is w identical
  respondents): the data expanded by repetition, then `statistics.mean`/`stdev` and the
  quantile that statsmodels `DescrStatsW.quantile` and SAS (PCTLDEF=5) give for
  frequency weights: with W = total weight and p W an integer j, the mean of the j-th and
  (j+1)-th expanded values; otherwise the ceil(p W)-th (R type 2 on the expanded data).

Run from the repository root: python3 tests/reference/make_numeric_reference.py
"""

import csv
import json
import math
import random
import statistics
from pathlib import Path

HERE = Path(__file__).parent


def type2(expanded, p):
    x = sorted(expanded)
    h = p * len(x)
    j = round(h)
    if abs(h - j) < 1e-9:
        return (x[j - 1] + x[j]) / 2 if 0 < j < len(x) else x[min(max(j - 1, 0), len(x) - 1)]
    return x[math.ceil(h) - 1]


def unweighted(v):
    q1, q2, q3 = statistics.quantiles(v, n=4, method="inclusive")
    assert abs(q2 - statistics.median(v)) < 1e-12
    return {
        "n": len(v),
        "mean": statistics.mean(v),
        "sd": statistics.stdev(v),
        "min": min(v),
        "q1": q1,
        "median": q2,
        "q3": q3,
        "max": max(v),
    }


def weighted(v, w):
    expanded = [x for x, k in zip(v, w) for _ in range(k)]
    return {
        "sum_weights": float(sum(w)),
        "mean": statistics.mean(expanded),
        "sd": statistics.stdev(expanded),
        "q1": type2(expanded, 0.25),
        "median": type2(expanded, 0.5),
        "q3": type2(expanded, 0.75),
    }


def main():
    rng = random.Random(20261130)
    # UCLA-3 like scores 3-12 (many ties) with integer weights 1-4.
    scores = [min(12, max(3, round(rng.gauss(6.5, 2.2)))) for _ in range(157)]
    weights = [rng.randint(1, 4) for _ in scores]
    # Ages 16-95 (wide range: the histogram groups them).
    ages = [rng.randint(16, 95) for _ in range(203)]
    # An even n whose quartiles fall between values; and a case of four.
    small = [1.0, 2.0, 4.0, 7.0]
    small_w = [1, 1, 2, 4]
    with open(HERE.parent / "fixtures" / "google_forms.csv", encoding="utf-8") as f:
        forms = [float(r["年齢"]) for r in csv.DictReader(f)]
    cases = [
        {"name": "ucla_scores", "values": scores, "weights": weights,
         "unweighted": unweighted(scores), "weighted": weighted(scores, weights)},
        {"name": "ages", "values": ages, "unweighted": unweighted(ages)},
        {"name": "small", "values": small, "weights": small_w,
         "unweighted": unweighted(small), "weighted": weighted(small, small_w)},
        {"name": "google_forms_age", "values": forms, "unweighted": unweighted(forms)},
    ]
    out = {"generated_by": "tests/reference/make_numeric_reference.py (Python statistics)",
           "cases": cases}
    (HERE / "numeric_summary.json").write_text(
        json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
