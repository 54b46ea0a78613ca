//! Derived variables: new columns computed from the file's columns by a recipe the model
//! keeps (so the same recipe runs again on next year's file or another town's).

use serde::{Deserialize, Serialize};

use crate::message::Message;
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
    /// Survey weights by raking (iterative proportional fitting) to population totals the
    /// user entered (census, 住民基本台帳): each margin names a column and the total per
    /// answer. Starts from `base_weight` (or 1). A respondent with no answer on a margin
    /// cannot be raked: the recipe stops and says which margin and how many.
    Rake {
        margins: Vec<RakeMargin>,
        #[serde(default)]
        base_weight: Option<String>,
        /// Trimming bounds as multiples of the mean weight (e.g. 0.3 and 3).
        #[serde(default)]
        trim: Option<(f64, f64)>,
    },
}

/// One margin of a raking: a column and the population total of each of its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RakeMargin {
    pub source: String,
    pub targets: Vec<Target>,
    /// Answers the population statistics have no figure for (「その他」「答えたくない」),
    /// left out of this margin by the user: their respondents' weights are set by the other
    /// margins (`stats::raking`, `LEFT_OUT_RULE`), not made 0 and not refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The answer as it is in the file (label or code).
    pub value: String,
    pub total: f64,
    /// Other answers counted in this group (the population then covers them all): the
    /// rare answers the raking panel merges into a neighbour, so that no population is
    /// asked, and no weight made, for a group of one or two respondents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
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
    /// Another reason (a raking that cannot run), Japanese and English.
    #[serde(default, with = "crate::message::as_pair")]
    pub reason: Option<Message>,
}

impl DeriveError {
    /// The whole reason, as shown.
    pub fn message(&self) -> Message {
        Message::new(self.ja(), self.en())
    }
}

impl std::fmt::Display for DeriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for DeriveError {}

impl DeriveError {
    pub fn ja(&self) -> String {
        if let Some(Message { ja, .. }) = &self.reason {
            return format!("「{}」を作れません: {ja}", self.name);
        }
        format!(
            "「{}」を作れません: 元の列「{}」がファイルにありません。列名を確かめてください。",
            self.name, self.missing_column
        )
    }
    pub fn en(&self) -> String {
        if let Some(Message { en, .. }) = &self.reason {
            return format!("Cannot derive \"{}\": {en}", self.name);
        }
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
            Recipe::Rake {
                margins,
                base_weight,
                ..
            } => margins
                .iter()
                .map(|m| m.source.as_str())
                .chain(base_weight.as_deref())
                .collect(),
        }
    }

    /// The labels of the result in order, when the recipe fixes them.
    pub fn labels(&self) -> Vec<String> {
        match self {
            Recipe::Recode { groups, .. } => groups.iter().map(|g| g.label.clone()).collect(),
            Recipe::Bin { bins, .. } => bins.iter().map(|b| b.label.clone()).collect(),
            Recipe::Sum { .. } | Recipe::Rake { .. } => Vec::new(),
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
                reason: None,
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
                                    scores
                                        .iter()
                                        .find(|s| s.value == v.as_ref())
                                        .map(|s| s.score)
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
            Recipe::Rake { .. } => {
                let raked = self.rake(table)?;
                for w in &raked.weights {
                    out.push(&format!("{w:.10}"));
                }
            }
        }
        Ok(out.finish())
    }

    /// Runs a raking recipe and returns the full result (convergence report, warnings),
    /// for the CLI and the page to show. Errors name the margin and the answer.
    pub fn rake(&self, table: &Table) -> Result<crate::stats::Raked, DeriveError> {
        let Recipe::Rake {
            margins,
            base_weight,
            trim,
        } = &self.recipe
        else {
            return Err(self.fail(
                "集計ウェイトの作り方（レーキング）ではありません。",
                "not a raking recipe",
            ));
        };
        let missing = |name: &str| DeriveError {
            name: self.name.clone(),
            missing_column: name.to_string(),
            reason: None,
        };
        let initial: Vec<f64> = match base_weight {
            Some(w) => {
                let col = table.column(w).ok_or_else(|| missing(w))?;
                col.codes
                    .iter()
                    .map(|c| col.numbers[c as usize].unwrap_or(f64::NAN))
                    .collect()
            }
            None => vec![1.0; table.rows],
        };
        let mut stats_margins = Vec::new();
        for m in margins {
            let col = table.column(&m.source).ok_or_else(|| missing(&m.source))?;
            let by_code: Vec<Option<usize>> = col
                .values
                .iter()
                .map(|v| {
                    let v = v.as_ref();
                    m.targets
                        .iter()
                        .position(|t| t.value == v || t.merged.iter().any(|x| x == v))
                })
                .collect();
            let out_by_code: Vec<bool> = col
                .values
                .iter()
                .map(|v| m.left_out.iter().any(|x| x == v.as_ref()))
                .collect();
            let left_out: Vec<bool> = col.codes.iter().map(|c| out_by_code[c as usize]).collect();
            stats_margins.push(crate::stats::Margin {
                name: m.source.clone(),
                categories: col.codes.iter().map(|c| by_code[c as usize]).collect(),
                targets: m.targets.iter().map(|t| t.total).collect(),
                labels: m.targets.iter().map(|t| t.value.clone()).collect(),
                left_out: if left_out.contains(&true) {
                    left_out
                } else {
                    Vec::new()
                },
            });
        }
        let options = crate::stats::RakeOptions {
            trim: trim.map(|(lower, upper)| crate::stats::Trim { lower, upper }),
            ..crate::stats::RakeOptions::default()
        };
        // The engine's messages count from 1 and name answers by their value.
        crate::stats::rake(&initial, &stats_margins, &options).map_err(|e| {
            let m = e.message();
            self.fail(&m.ja, &m.en)
        })
    }

    fn fail(&self, ja: &str, en: &str) -> DeriveError {
        DeriveError {
            name: self.name.clone(),
            missing_column: String::new(),
            reason: Some(Message::new(ja, en)),
        }
    }
}

/// Pushes, for every row, the text its source code maps to (one lookup per code).
fn by_code(src: &Column, map: &[String], out: &mut ColumnBuilder) {
    out.push_mapped(&src.codes, map);
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
    let mut b: Vec<f64> = boundaries
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
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
    parts
        .iter()
        .map(|p| crate::table::parse_number(p))
        .collect()
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
                "16～19歳",
                "16～19歳",
                "20～29歳",
                "20～29歳",
                "70～79歳",
                "80歳以上",
                "80歳以上",
                "",
                ""
            ]
        );
    }

    #[test]
    fn raking_recipe_gives_the_stats_core_weights_and_names_problems() {
        let t = table("年代,性別\n若,男\n若,女\n若,男\n高,女\n高,男\n若,女\n");
        let margin = |source: &str, targets: &[(&str, f64)]| RakeMargin {
            source: source.into(),
            targets: targets
                .iter()
                .map(|(v, n)| Target {
                    value: v.to_string(),
                    total: *n,
                    merged: Vec::new(),
                })
                .collect(),
            left_out: Vec::new(),
        };
        let d = Derived {
            name: "ウェイト".into(),
            recipe: Recipe::Rake {
                margins: vec![
                    margin("年代", &[("若", 300.0), ("高", 700.0)]),
                    margin("性別", &[("男", 480.0), ("女", 520.0)]),
                ],
                base_weight: None,
                trim: None,
            },
            national: false,
        };
        let raked = d.rake(&t).unwrap();
        assert!(raked.converged);
        // The margins are met: young 300, old 700, men 480, women 520.
        let sum = |f: &dyn Fn(usize) -> bool| {
            (0..6)
                .filter(|&r| f(r))
                .map(|r| raked.weights[r])
                .sum::<f64>()
        };
        assert!((sum(&|r| r != 3 && r != 4) - 300.0).abs() < 1e-6);
        assert!((sum(&|r| [0, 2, 4].contains(&r)) - 480.0).abs() < 1e-6);
        // The column holds the same weights.
        let col = d.compute(&t).unwrap();
        for r in 0..6 {
            assert!(
                (col.numbers[col.codes.get(r) as usize].unwrap() - raked.weights[r]).abs() < 1e-8
            );
        }
        // A target category nobody is in is named.
        let bad = Derived {
            recipe: Recipe::Rake {
                margins: vec![margin(
                    "年代",
                    &[("若", 300.0), ("高", 600.0), ("中", 100.0)],
                )],
                base_weight: None,
                trim: None,
            },
            ..d.clone()
        };
        let e = bad.compute(&t).unwrap_err();
        assert!(
            e.ja().contains("「中」") && e.ja().contains("回答者がいません"),
            "{}",
            e.ja()
        );
        // An answer missing from the population table stops it, with the row.
        let short = Derived {
            recipe: Recipe::Rake {
                margins: vec![margin("年代", &[("若", 300.0)])],
                base_weight: None,
                trim: None,
            },
            ..d
        };
        assert!(short.compute(&t).unwrap_err().ja().contains("4 行目"));
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
        assert_eq!(
            values(&merge.compute(&t).unwrap()),
            vec!["1", "高", "1", "決してない"]
        );
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
        assert_eq!(
            values(&scored.compute(&t).unwrap()),
            vec!["6", "12", "", "3"]
        );
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
