//! The bins of a numeric question's histogram, by a stated rule so that the chart can be
//! redrawn elsewhere:
//! - whole numbers spanning at most [`MAX_UNIT_BINS`] values (a UCLA-3 score 3–12, a
//!   count of people in the household): one bin per value, so no two scores share a bar;
//! - otherwise (ages 16–95, amounts): about Sturges' ⌈log₂ n⌉ + 1 bins, their width
//!   (range / bins) rounded to the nearest of 1, 2 or 5 × 10^k on a log scale (ages in
//!   10-year bins, as the national report's 年代), the first bin starting at a multiple
//!   of the width.
//!
//! Every bin is [lo, hi): the value hi falls in the next bin. Bin counts sum to n.

use serde::{Deserialize, Serialize};

/// At most this many one-value bins; a wider range of whole numbers is grouped.
pub const MAX_UNIT_BINS: usize = 30;

/// One bar of a histogram: the values in [lo, hi).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    pub lo: f64,
    pub hi: f64,
    /// What the bar is called: "7" for one value, "20～29" for whole numbers 20 to 29,
    /// "0.5～1未満" otherwise.
    pub label: String,
    /// Respondents in the bin.
    pub count: u64,
    /// Their weights summed (under a weight).
    pub weighted: Option<f64>,
}

/// The bins of a frequency table `(value, count, weight)` sorted by value (finite values
/// only); `weighted` says whether the weights mean anything. Empty for an empty table.
pub fn histogram(table: &[(f64, u64, f64)], weighted: bool) -> Vec<HistogramBin> {
    let (Some(first), Some(last)) = (table.first(), table.last()) else {
        return Vec::new();
    };
    let (min, max) = (first.0, last.0);
    let n: u64 = table.iter().map(|t| t.1).sum();
    let whole = table.iter().all(|t| t.0.fract() == 0.0);
    let width = if whole && max - min < MAX_UNIT_BINS as f64 {
        1.0
    } else {
        let sturges = (n.max(1) as f64).log2().ceil() + 1.0;
        let w = nice_width((max - min) / sturges);
        // Whole numbers never get bins narrower than 1.
        if whole {
            w.max(1.0)
        } else {
            w
        }
    };
    let start = (min / width).floor() * width;
    // The number of bins: the last one must hold max.
    let k = (((max - start) / width).floor() as usize + 1).max(1);
    let mut bins: Vec<HistogramBin> = (0..k)
        .map(|i| {
            let lo = start + i as f64 * width;
            let hi = lo + width;
            HistogramBin {
                lo,
                hi,
                label: label(lo, hi, whole && width.fract() == 0.0),
                count: 0,
                weighted: weighted.then_some(0.0),
            }
        })
        .collect();
    for &(x, c, w) in table {
        let i = (((x - start) / width).floor() as usize).min(k - 1);
        // Rounding at a boundary (0.1 + 0.2): put the value where lo ≤ x < hi holds.
        let i = if x < bins[i].lo && i > 0 {
            i - 1
        } else if x >= bins[i].hi && i + 1 < k {
            i + 1
        } else {
            i
        };
        bins[i].count += c;
        if let Some(s) = bins[i].weighted.as_mut() {
            *s += w;
        }
    }
    bins
}

/// The one of 1, 2, 5 × 10^k nearest `raw` on a log scale (1 for a zero range): about
/// Sturges' number of bins, at widths people read (ages by 10 years).
fn nice_width(raw: f64) -> f64 {
    if !(raw > 0.0) || !raw.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let distance = |w: f64| (w / raw).ln().abs();
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .min_by(|a, b| distance(*a).total_cmp(&distance(*b)))
        .unwrap_or(p)
}

impl HistogramBin {
    /// The bar's name in `lang`: 「20～29」 and 「0.5～1未満」 are 「20–29」 and
    /// 「0.5 to under 1」 in English.
    pub fn label_in(&self, lang: crate::lang::Lang) -> String {
        if lang == crate::lang::Lang::Ja {
            return self.label.clone();
        }
        match self.label.strip_suffix("未満") {
            Some(range) => range.replacen('～', " to under ", 1),
            None => self.label.replacen('～', "–", 1),
        }
    }
}

fn label(lo: f64, hi: f64, whole: bool) -> String {
    let num = |x: f64| {
        let s = format!("{:.6}", x);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if whole && hi - lo == 1.0 {
        num(lo)
    } else if whole {
        format!("{}～{}", num(lo), num(hi - 1.0))
    } else {
        format!("{}～{}未満", num(lo), num(hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(values: &[f64]) -> Vec<(f64, u64, f64)> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let mut t: Vec<(f64, u64, f64)> = Vec::new();
        for x in v {
            match t.last_mut() {
                Some(l) if l.0 == x => {
                    l.1 += 1;
                    l.2 += 1.0;
                }
                _ => t.push((x, 1, 1.0)),
            }
        }
        t
    }

    #[test]
    fn a_score_gets_one_bin_per_value() {
        let t = table(&[3.0, 3.0, 5.0, 12.0]);
        let b = histogram(&t, false);
        let labels: Vec<&str> = b.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(
            labels,
            ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
        );
        let counts: Vec<u64> = b.iter().map(|b| b.count).collect();
        assert_eq!(counts, [2, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn ages_get_ten_year_bins() {
        // 16..=95, n = 80: Sturges 8 bins of 79/8 ≈ 9.9 → width 10 from 10.
        let ages: Vec<f64> = (16..=95).map(f64::from).collect();
        let b = histogram(&table(&ages), false);
        assert_eq!(b.first().map(|b| b.label.as_str()), Some("10～19"));
        assert_eq!(b.last().map(|b| b.label.as_str()), Some("90～99"));
        assert_eq!(b[0].count, 4);
        assert_eq!(b[1].count, 10);
        assert_eq!(b.iter().map(|b| b.count).sum::<u64>(), 80);
    }

    #[test]
    fn fractions_get_half_open_bins_and_one_value_one_bin() {
        let b = histogram(&table(&[0.1, 0.2, 0.3, 0.9, 1.5]), true);
        assert_eq!(b.iter().map(|b| b.count).sum::<u64>(), 5);
        assert!(b[0].label.ends_with("未満"));
        assert_eq!(b.iter().filter_map(|b| b.weighted).sum::<f64>(), 5.0);
        let one = histogram(&table(&[2.5, 2.5]), false);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].count, 2);
        assert!(histogram(&[], false).is_empty());
    }
}
