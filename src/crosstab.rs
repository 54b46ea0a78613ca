//! Crosstab cells (クロス集計の度数): for two columns, the number of respondents and the
//! sum of their weights in every combination of answers. The statistics on top (χ², %,
//! residuals) build on these cells.
//!
//! Works on codes, not strings: one pass over the rows adds into a dense grid indexed by
//! (row code, column code), and the weight of each distinct weight value is parsed once.

use serde::{Deserialize, Serialize};

use crate::table::Column;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The row column's answer ("" for blank).
    pub row: String,
    /// The column column's answer ("" for blank).
    pub col: String,
    pub count: u64,
    /// Sum of weights (equals `count` when there is no weight column).
    pub weight: f64,
}

/// Cells with at least one respondent, in code order (first appearance in the file).
/// Rows whose weight is blank or not a number count with weight 0 and are reported in
/// `unweighted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabCells {
    pub cells: Vec<Cell>,
    pub unweighted: u64,
}

pub fn cells(row: &Column, col: &Column, weight: Option<&Column>) -> CrosstabCells {
    let (nr, nc) = (row.values.len(), col.values.len());
    let mut counts = vec![0u64; nr * nc];
    let mut sums = vec![0f64; nr * nc];
    let mut unweighted = 0;
    let n = row.len().min(col.len());
    match weight {
        None => {
            for i in 0..n {
                counts[row.codes.get(i) as usize * nc + col.codes.get(i) as usize] += 1;
            }
        }
        Some(w) => {
            for i in 0..n {
                let k = row.codes.get(i) as usize * nc + col.codes.get(i) as usize;
                counts[k] += 1;
                match w.numbers[w.codes.get(i) as usize] {
                    Some(x) => sums[k] += x,
                    None => unweighted += 1,
                }
            }
        }
    }
    let mut out = Vec::new();
    for r in 0..nr {
        for c in 0..nc {
            let k = r * nc + c;
            if counts[k] > 0 {
                out.push(Cell {
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

    #[test]
    fn counts_and_weight_sums_per_combination() {
        let sex = col(&["男性", "女性", "女性", "", "女性"]);
        let area = col(&["北", "北", "南", "北", "南"]);
        let w = col(&["1.5", "0.5", "2", "1", ""]);
        let t = cells(&sex, &area, Some(&w));
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
        let t = cells(&sex, &area, None);
        assert_eq!(t.cells.iter().map(|c| c.count).sum::<u64>(), 5);
        assert!(t.cells.iter().all(|c| c.weight == c.count as f64));
    }
}
