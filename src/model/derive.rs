//! Derived variables: new columns computed from the file's columns by a recipe the model
//! keeps (so the same recipe runs again on next year's file or another town's).

use serde::{Deserialize, Serialize};

use crate::table::{Column, ColumnBuilder, Table};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    /// The new column's name (used everywhere a column name is).
    pub name: String,
    pub recipe: Recipe,
    /// Made by the national template rather than the user (removed if the user rejects
    /// the recognition).
    #[serde(default)]
    pub national: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "recipe")]
pub enum Recipe {
    /// Merge or rename answers: each group's values become its label; values in no group
    /// keep their text (`others_blank` = false) or become blank (true).
    Recode {
        source: String,
        groups: Vec<RecodeGroup>,
        #[serde(default)]
        others_blank: bool,
    },
    /// Numbers into classes: a value goes to the first bin with `min <= x < below`;
    /// values in no bin, and text, become blank.
    Bin { source: String, bins: Vec<Bin> },
    /// The sum of several items' scores; blank when any item is blank or has no score.
    /// `scores` maps cell text to a score (codes and labels both, so the same recipe works
    /// on a coded file and a labelled one); a value it does not list (9 = 無回答) makes
    /// the sum blank. Without `scores`, cells read as their numbers.
    Sum {
        sources: Vec<String>,
        #[serde(default)]
        scores: Vec<Score>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecodeGroup {
    pub label: String,
    pub from: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    pub label: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub below: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub value: String,
    pub score: f64,
}

/// Why a recipe could not run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeriveError {
    pub name: String,
    pub missing_column: String,
}

impl DeriveError {
    pub fn ja(&self) -> String {
        format!(
            "「{}」を作れません: 元の列「{}」がファイルにありません。列名を確かめてください。",
            self.name, self.missing_column
        )
    }
    pub fn en(&self) -> String {
        format!(
            "Cannot derive \"{}\": the source column \"{}\" is not in the file. Check the column names.",
            self.name, self.missing_column
        )
    }
}

impl Recipe {
    pub fn sources(&self) -> Vec<&str> {
        match self {
            Recipe::Recode { source, .. } | Recipe::Bin { source, .. } => vec![source],
            Recipe::Sum { sources, .. } => sources.iter().map(String::as_str).collect(),
        }
    }

    /// The labels of the result in order, when the recipe fixes them.
    pub fn labels(&self) -> Vec<String> {
        match self {
            Recipe::Recode { groups, .. } => groups.iter().map(|g| g.label.clone()).collect(),
            Recipe::Bin { bins, .. } => bins.iter().map(|b| b.label.clone()).collect(),
            Recipe::Sum { .. } => Vec::new(),
        }
    }
}

impl Derived {
    /// Computes the column. `table` may already hold earlier derived columns, so a recipe
    /// can build on another (the UCLA groups on the UCLA score).
    pub fn compute(&self, table: &Table) -> Result<Column, DeriveError> {
        let find = |name: &str| {
            table.column(name).ok_or_else(|| DeriveError {
                name: self.name.clone(),
                missing_column: name.to_string(),
            })
        };
        let mut out = ColumnBuilder::new(self.name.clone());
        match &self.recipe {
            Recipe::Recode {
                source,
                groups,
                others_blank,
            } => {
                let src = find(source)?;
                let map: Vec<String> = src
                    .values
                    .iter()
                    .map(|v| {
                        let v = v.as_ref();
                        match groups.iter().find(|g| g.from.iter().any(|f| f == v)) {
                            Some(g) => g.label.clone(),
                            None if *others_blank => String::new(),
                            None => v.to_string(),
                        }
                    })
                    .collect();
                by_code(src, &map, &mut out);
            }
            Recipe::Bin { source, bins } => {
                let src = find(source)?;
                let map: Vec<String> = src
                    .numbers
                    .iter()
                    .map(|x| {
                        x.and_then(|x| {
                            bins.iter().find(|b| {
                                b.min.is_none_or(|m| x >= m) && b.below.is_none_or(|m| x < m)
                            })
                        })
                        .map(|b| b.label.clone())
                        .unwrap_or_default()
                    })
                    .collect();
                by_code(src, &map, &mut out);
            }
            Recipe::Sum { sources, scores } => {
                let cols = sources
                    .iter()
                    .map(|s| find(s))
                    .collect::<Result<Vec<_>, _>>()?;
                let per_code: Vec<Vec<Option<f64>>> = cols
                    .iter()
                    .map(|c| {
                        c.values
                            .iter()
                            .zip(&c.numbers)
                            .map(|(v, n)| {
                                if scores.is_empty() {
                                    *n
                                } else {
                                    scores.iter().find(|s| s.value == v.as_ref()).map(|s| s.score)
                                }
                            })
                            .collect()
                    })
                    .collect();
                let mut text = String::new();
                for row in 0..table.rows {
                    let mut sum = 0.0;
                    let mut complete = !cols.is_empty();
                    for (c, scores) in cols.iter().zip(&per_code) {
                        match scores[c.codes.get(row) as usize] {
                            Some(x) => sum += x,
                            None => {
                                complete = false;
                                break;
                            }
                        }
                    }
                    text.clear();
                    if complete {
                        text = format_number(sum);
                    }
                    out.push(&text);
                }
            }
        }
        Ok(out.finish())
    }
}

/// Pushes, for every row, the text its source code maps to (one lookup per row).
fn by_code(src: &Column, map: &[String], out: &mut ColumnBuilder) {
    for code in src.codes.iter() {
        out.push(&map[code as usize]);
    }
}

/// 7 rather than 7.0; decimals only when there are some.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Classes cut at the user's boundaries ("20, 40, 60" → 20未満, 20～39, 40～59, 60以上 for
/// whole numbers; 「以上…未満」 wording when a boundary has decimals). Unsorted or repeated
/// boundaries are sorted and merged.
pub fn custom_bins(boundaries: &[f64]) -> Vec<Bin> {
    let mut b: Vec<f64> = boundaries.iter().copied().filter(|x| x.is_finite()).collect();
    b.sort_by(f64::total_cmp);
    b.dedup();
    if b.is_empty() {
        return Vec::new();
    }
    let whole = b.iter().all(|x| x.fract() == 0.0);
    let n = |x: f64| format_number(x);
    let mut bins = vec![Bin {
        label: format!("{}未満", n(b[0])),
        min: None,
        below: Some(b[0]),
    }];
    for w in b.windows(2) {
        bins.push(Bin {
            label: if whole {
                format!("{}～{}", n(w[0]), n(w[1] - 1.0))
            } else {
                format!("{}以上{}未満", n(w[0]), n(w[1]))
            },
            min: Some(w[0]),
            below: Some(w[1]),
        });
    }
    bins.push(Bin {
        label: format!("{}以上", n(b[b.len() - 1])),
        min: Some(b[b.len() - 1]),
        below: None,
    });
    bins
}

/// Parses "20, 40, 60" (full-width digits and 、 too) into boundaries; `None` if a part
/// is not a number.
pub fn parse_boundaries(text: &str) -> Option<Vec<f64>> {
    let parts: Vec<&str> = text
        .split([',', '、', '，', ' ', '\u{3000}'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts.iter().map(|p| crate::table::parse_number(p)).collect()
}

/// `base`, or `base (2)`, `base (3)` … — the first name no column or derived variable has.
pub fn unique_name(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} ({i})"))
        .find(|n| !taken(n))
        .expect("some number is free")
}

/// The national survey's age groups (年代), for a column of ages in years.
pub fn national_age_bins() -> Vec<Bin> {
    let mut bins = vec![Bin {
        label: "16～19歳".into(),
        min: Some(16.0),
        below: Some(20.0),
    }];
    for decade in 2..8 {
        let lo = decade as f64 * 10.0;
        bins.push(Bin {
            label: format!("{}～{}歳", decade * 10, decade * 10 + 9),
            min: Some(lo),
            below: Some(lo + 10.0),
        });
    }
    bins.push(Bin {
        label: "80歳以上".into(),
        min: Some(80.0),
        below: None,
    });
    bins
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    fn table(csv: &str) -> Table {
        read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table
    }

    fn values(c: &Column) -> Vec<&str> {
        (0..c.len()).map(|r| c.value(r)).collect()
    }

    #[test]
    fn ages_into_the_national_groups() {
        // (A blank line in a one-column file is an empty line, not a row: none here.)
        let t = table("年齢\n16\n19\n20\n29.5\n79\n80\n101\n15\n不明\n");
        let d = Derived {
            name: "年代".into(),
            recipe: Recipe::Bin {
                source: "年齢".into(),
                bins: national_age_bins(),
            },
            national: false,
        };
        let c = d.compute(&t).unwrap();
        assert_eq!(
            values(&c),
            vec![
                "16～19歳", "16～19歳", "20～29歳", "20～29歳", "70～79歳", "80歳以上", "80歳以上",
                "", ""
            ]
        );
    }

    #[test]
    fn user_bins_and_names() {
        let labels: Vec<String> = custom_bins(&parse_boundaries("40、20, ６０").unwrap())
            .into_iter()
            .map(|b| b.label)
            .collect();
        assert_eq!(labels, vec!["20未満", "20～39", "40～59", "60以上"]);
        let b = custom_bins(&[1.5]);
        assert_eq!(b[0].label, "1.5未満");
        assert!(parse_boundaries("20, x").is_none());
        assert!(custom_bins(&[]).is_empty());
        let taken = |n: &str| n == "年代" || n == "年代 (2)";
        assert_eq!(unique_name("年代", &taken), "年代 (3)");
    }

    #[test]
    fn merge_and_sum() {
        let t = table("a,b,c\n1,2,3\n4,4,4\n1,,2\n決してない,1,1\n");
        let merge = Derived {
            name: "m".into(),
            recipe: Recipe::Recode {
                source: "a".into(),
                groups: vec![RecodeGroup {
                    label: "高".into(),
                    from: vec!["4".into()],
                }],
                others_blank: false,
            },
            national: false,
        };
        assert_eq!(values(&merge.compute(&t).unwrap()), vec!["1", "高", "1", "決してない"]);
        let sum = Derived {
            name: "s".into(),
            recipe: Recipe::Sum {
                sources: vec!["a".into(), "b".into(), "c".into()],
                scores: Vec::new(),
            },
            national: false,
        };
        assert_eq!(values(&sum.compute(&t).unwrap()), vec!["6", "12", "", ""]);
        let scored = Derived {
            name: "s".into(),
            recipe: Recipe::Sum {
                sources: vec!["a".into(), "b".into(), "c".into()],
                scores: ["1", "2", "3", "4"]
                    .iter()
                    .map(|v| Score {
                        value: v.to_string(),
                        score: v.parse().unwrap(),
                    })
                    .chain([Score {
                        value: "決してない".into(),
                        score: 1.0,
                    }])
                    .collect(),
            },
            national: false,
        };
        assert_eq!(values(&scored.compute(&t).unwrap()), vec!["6", "12", "", "3"]);
        let bad = Derived {
            name: "x".into(),
            recipe: Recipe::Bin {
                source: "zz".into(),
                bins: vec![],
            },
            national: false,
        };
        assert_eq!(bad.compute(&t).unwrap_err().missing_column, "zz");
    }
}
