//! Municipalities side by side: several aggregate files (other towns' `Aggregate`s, and
//! one's own), the same question's distribution per town, with the national figures when
//! the question is a national item.
//!
//! Only what the files publish is used: a count hidden as 「x」 stays unknown (its % is
//! none), and a base under the file's `min_base` keeps its 「*」. Tables are matched by
//! the national item they are (titles differ between towns: 「問3」 here, 「Q5」 there) or
//! else by title; crosstabs are not compared (their cells split the question by another
//! one, which differs between towns).

use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregate, AggregateTable, Count};
use super::national::{figures, Measure, EDITIONS};
use super::Note;
use crate::model::national::{Item, UCLA_GROUPS};
use crate::model::order::NO_ANSWER;
use crate::model::text::key;

/// One question found in the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionChoice {
    /// What [`compare`] takes: the national item, or the folded title.
    pub key: String,
    /// The title in the first file that has it.
    pub title: String,
    pub national: Option<Item>,
    /// Per file (in the order given): has this question.
    pub present: Vec<bool>,
}

impl QuestionChoice {
    /// In every file.
    pub fn common(&self) -> bool {
        self.present.iter().all(|&p| p)
    }
}

/// One town's share of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TownShare {
    Percent {
        percent: f64,
        count: u64,
    },
    /// 「x」: the count is hidden by disclosure control.
    Hidden,
    /// The answer is not in this town's table (another codebook).
    Absent,
}

/// One town.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownRow {
    pub name: String,
    /// The table's title in this file.
    pub title: String,
    /// The base of the %: respondents (「x」 when hidden).
    pub n: Count,
    pub cells: Vec<TownShare>,
    /// The hidden answers together, as % of the base (none when nothing is hidden or
    /// the total is hidden too). Published totals minus shown cells: no cell is revealed
    /// (disclosure control leaves 0 or at least 2 hidden per line).
    pub hidden_percent: Option<f64>,
    /// 「*」: the base is under the file's `min_base`.
    pub small_base: bool,
}

/// One national edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalRow {
    pub edition: String,
    /// 「全国 R5」, 「全国 R6（未確認）」.
    pub label: String,
    /// The published % per category (none where the edition publishes none).
    pub cells: Vec<Option<f64>>,
    pub n: u64,
    /// False if any figure of the row is unverified.
    pub verified: bool,
    pub source: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub title: String,
    pub national: Option<Item>,
    /// A multiple answer in some file: % of respondents, summing over 100.
    pub multiple: bool,
    /// The answers: every file's, in the order first seen, 無回答 last.
    pub categories: Vec<String>,
    pub rows: Vec<TownRow>,
    pub national_rows: Vec<NationalRow>,
    /// Files that lack the question.
    pub missing: Vec<String>,
    pub notes: Vec<Note>,
}

impl Comparison {
    /// The national edition a chart shows: the one publishing the most of these
    /// categories, the latest of those.
    pub fn chart_national(&self) -> Option<&NationalRow> {
        // `max_by_key` keeps the last of equals: the latest edition.
        self.national_rows
            .iter()
            .max_by_key(|r| r.cells.iter().flatten().count())
    }
}

/// A simple tabulation (one column of counts): the only tables compared.
fn comparable(t: &AggregateTable) -> bool {
    t.cols.len() == 1 && !t.rows.is_empty()
}

/// The table's total as published: a one-column table whose grand total is 「x」 (hidden
/// because a row total is) still publishes the same number as its column total.
fn published_total(t: &AggregateTable) -> Count {
    match (&t.total, t.col_totals.as_slice()) {
        (Count::Hidden(_), [only]) => only.clone(),
        (total, _) => total.clone(),
    }
}

/// Groups of tables, one per question: `(choice, table index per file)`.
fn group(files: &[(&str, &Aggregate)]) -> Vec<(QuestionChoice, Vec<Option<usize>>)> {
    let mut groups: Vec<(QuestionChoice, Vec<Option<usize>>, Vec<String>)> = Vec::new();
    for (f, (_, a)) in files.iter().enumerate() {
        for (ti, t) in a.tables.iter().enumerate() {
            if !comparable(t) {
                continue;
            }
            let title_key = key(&t.title);
            // Only a table of every respondent (no filter, no weight, 無回答 in) stands for
            // the national item: a filtered one is matched by its title, which says the
            // filter, so it meets only the same filter in another town.
            let national = if t.whole_survey() { t.national } else { None };
            let found = groups.iter().position(|(q, tables, keys)| {
                tables[f].is_none()
                    && ((national.is_some() && q.national == national) || keys.contains(&title_key))
            });
            match found {
                Some(g) => {
                    let (q, tables, keys) = &mut groups[g];
                    tables[f] = Some(ti);
                    q.present[f] = true;
                    q.national = q.national.or(national);
                    keys.push(title_key);
                }
                None => {
                    let mut tables = vec![None; files.len()];
                    tables[f] = Some(ti);
                    let mut present = vec![false; files.len()];
                    present[f] = true;
                    let k = match national {
                        Some(item) => format!("national:{item:?}"),
                        None => format!("title:{title_key}"),
                    };
                    groups.push((
                        QuestionChoice {
                            key: k,
                            title: t.title.clone(),
                            national,
                            present,
                        },
                        tables,
                        vec![title_key],
                    ));
                }
            }
        }
    }
    groups.into_iter().map(|(q, t, _)| (q, t)).collect()
}

/// Every question of the files (simple tabulations), those common to all first, each
/// part in the order first seen.
pub fn questions(files: &[(&str, &Aggregate)]) -> Vec<QuestionChoice> {
    let mut qs: Vec<QuestionChoice> = group(files).into_iter().map(|(q, _)| q).collect();
    qs.sort_by_key(|q| !q.common());
    qs
}

/// The national category an answer label stands for, if the item fixes its options.
fn national_category(item: Option<Item>, label: &str) -> Option<String> {
    let k = key(label);
    let item = item?;
    if item == Item::Participation {
        return (k.contains(&key("特に参加")) || k.contains(&key("参加していない")))
            .then(|| "特に参加はしていない".to_string());
    }
    let i = item
        .option_patterns()
        .iter()
        .position(|words| words.iter().any(|w| k.contains(&key(w))))?;
    item.national_labels().get(i).map(|s| s.to_string())
}

/// The question `question_key` (its `QuestionChoice::key`, from [`questions`]) across the files; none if no file has it.
pub fn compare(files: &[(&str, &Aggregate)], question_key: &str) -> Option<Comparison> {
    let (choice, tables) = group(files)
        .into_iter()
        .find(|(q, _)| q.key == question_key)?;
    let item = choice.national;
    // Answers under one name across files: a national item's options by their national
    // label (「5 しばしばある」 and 「しばしばある・常にある」 are the same answer).
    let name_of = |label: &str| {
        if label == NO_ANSWER {
            return label.to_string();
        }
        national_category(item, label).unwrap_or_else(|| label.to_string())
    };
    let mut categories: Vec<String> = Vec::new();
    for (f, t) in tables.iter().enumerate() {
        let Some(ti) = t else { continue };
        for r in &files[f].1.tables[*ti].rows {
            let name = name_of(r);
            if !categories.contains(&name) {
                categories.push(name);
            }
        }
    }
    if let Some(i) = categories.iter().position(|c| c == NO_ANSWER) {
        let na = categories.remove(i);
        categories.push(na);
    }

    let mut rows = Vec::new();
    let mut missing = Vec::new();
    let mut multiple = false;
    for (f, t) in tables.iter().enumerate() {
        let (name, a) = files[f];
        let Some(ti) = t else {
            missing.push(name.to_string());
            continue;
        };
        let t = &a.tables[*ti];
        multiple |= t.respondents.is_some();
        let total = published_total(t);
        let base = t.respondents.as_ref().unwrap_or(&total);
        // Per category: the shown count summed, or hidden if any part is hidden.
        let mut sums: Vec<Option<Option<u64>>> = vec![None; categories.len()];
        for (r, label) in t.rows.iter().enumerate() {
            let c = categories.iter().position(|c| *c == name_of(label));
            let Some(c) = c else { continue };
            let v = match &t.cells[r][0] {
                Count::Shown(n) => Some(*n),
                Count::Hidden(_) => None,
            };
            sums[c] = Some(match (sums[c], v) {
                (None, v) => v,
                (Some(Some(a)), Some(b)) => Some(a + b),
                _ => None,
            });
        }
        let cells: Vec<TownShare> = sums
            .iter()
            .map(|s| match (s, base) {
                (None, _) => TownShare::Absent,
                (Some(Some(n)), Count::Shown(b)) if *b > 0 => TownShare::Percent {
                    percent: *n as f64 * 100.0 / *b as f64,
                    count: *n,
                },
                (Some(Some(n)), Count::Shown(_)) => TownShare::Percent {
                    percent: 0.0,
                    count: *n,
                },
                _ => TownShare::Hidden,
            })
            .collect();
        let hidden_percent = match (&total, base) {
            (Count::Shown(total), Count::Shown(b)) if *b > 0 => {
                let shown: u64 = t
                    .cells
                    .iter()
                    .filter_map(|r| match r[0] {
                        Count::Shown(n) => Some(n),
                        _ => None,
                    })
                    .sum();
                let any_hidden = t.cells.iter().any(|r| matches!(r[0], Count::Hidden(_)));
                (any_hidden && *total >= shown).then(|| (*total - shown) as f64 * 100.0 / *b as f64)
            }
            _ => None,
        };
        let small_base = match base {
            Count::Shown(b) => *b < a.rules.min_base,
            Count::Hidden(_) => true,
        };
        rows.push(TownRow {
            name: name.to_string(),
            title: t.title.clone(),
            n: base.clone(),
            cells,
            hidden_percent,
            small_base,
        });
    }

    let measure = match item {
        Some(i) => Measure::of_item(i),
        None if key(&choice.title) == key(UCLA_GROUPS) => Some(Measure::UclaHigh),
        None => None,
    };
    let mut national_rows = Vec::new();
    if let Some(m) = measure {
        let all = figures();
        for (edition, n) in EDITIONS {
            let of: Vec<_> = all
                .iter()
                .filter(|f| f.measure == m && f.edition == edition)
                .collect();
            let cells: Vec<Option<f64>> = categories
                .iter()
                .map(|c| {
                    of.iter()
                        .find(|f| key(&f.category) == key(c))
                        .map(|f| f.percent)
                })
                .collect();
            let used: Vec<_> = of
                .iter()
                .filter(|f| categories.iter().any(|c| key(c) == key(&f.category)))
                .collect();
            if used.is_empty() {
                continue;
            }
            let verified = used.iter().all(|f| f.verified);
            national_rows.push(NationalRow {
                edition: edition.to_string(),
                label: if verified {
                    format!("全国 {edition}")
                } else {
                    format!("全国 {edition}（未確認）")
                },
                cells,
                n,
                verified,
                source: used[0].source.clone(),
                note: used
                    .iter()
                    .map(|f| f.note.as_str())
                    .find(|n| !n.is_empty())
                    .unwrap_or("")
                    .to_string(),
            });
        }
    }

    let mut notes = vec![Note::new(
        "「x」は秘匿処理で隠された数（回答者がごく少なく、個人が分かるおそれがあるため）、「*」は回答者が少なく（各ファイルの基準未満）割合が大きくぶれやすいことを示します。「—」はその市町村の表にない回答です。",
        "\"x\": a count hidden by disclosure control (too few respondents); \"*\": a base under the file's threshold, so the % is unstable; \"—\": an answer not in that town's table.",
    )];
    if multiple {
        notes.push(Note::new(
            "複数回答: %は回答者（1つ以上選んだ人）に対する割合で、合計は100%を超えます。",
            "Multiple answer: % of respondents who chose at least one option; they can sum over 100%.",
        ));
    }
    if national_rows.iter().any(|r| !r.verified) {
        notes.push(Note::new(
            "「未確認」の全国値は報道やグラフから読み取った数値です。公式の報告書で確かめてから使ってください。",
            "National figures marked unverified come from press reports or charts; check them against the official report before use.",
        ));
    }
    if !missing.is_empty() {
        notes.push(Note::new(
            format!("この設問の表がないファイル: {}", missing.join("、")),
            format!("Files without this question: {}", missing.join(", ")),
        ));
    }
    Some(Comparison {
        title: choice.title,
        national: item,
        multiple,
        categories,
        rows,
        national_rows,
        missing,
        notes,
    })
}
