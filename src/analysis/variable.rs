//! A question (or one column) resolved for counting: its categories in codebook order and,
//! for every code of its column, the category it falls in. Computed once per request from
//! the column's dictionary, so that the pass over the rows is only array lookups. The one
//! category resolver: tabulations, crosstabs, means by group, national comparisons and
//! what an export publishes all count through [`Var`].
//!
//! Every name goes through the survey's gate (`usable` / `usable_column`): identifiers and
//! free text are refused here, once, for every table built on top.

use serde::{Deserialize, Serialize};

use crate::model::infer::missing_label;
use crate::model::order::{self, NO_ANSWER};
use crate::model::question::{Kind, Missing, MultiForm, Question};
use crate::model::survey::Refusal;
use crate::model::{multi, Survey};
use crate::table::{Codes, Column};

/// A code that falls in no category (非該当, or 無回答 when it is left out).
pub(crate) const NONE: u32 = u32::MAX;

/// One category of a table's rows or columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub label: String,
    /// The value as it is in the file ("" for 無回答).
    pub code: String,
    /// 無回答 (blank cells and the codebook's no-answer codes).
    #[serde(default)]
    pub no_answer: bool,
    /// A value the codebook does not list.
    #[serde(default)]
    pub unlisted: bool,
}

/// How a row's answer is found.
pub(crate) enum Source<'a> {
    /// One column; `map[code]` is the category or [`NONE`].
    Single { column: &'a Column, map: Vec<u32> },
    /// 0/1 columns: option k is ticked when `ticked[code]` of `columns[k].0`.
    Binary(Vec<(&'a Column, Vec<bool>, u32)>),
    /// Joined answers: `options[code]` lists the categories chosen in that cell.
    Joined {
        column: &'a Column,
        options: Vec<Vec<u32>>,
    },
}

/// A resolved variable.
pub(crate) struct Var<'a> {
    /// The question id (or column name) used.
    pub id: String,
    /// The question's label for titles.
    pub title: String,
    pub labels: Vec<Label>,
    /// The answers are ordered (`Question::ordered`): a running 累積% means something.
    pub ordered: bool,
    pub source: Source<'a>,
}

impl<'a> Var<'a> {
    pub fn is_multiple(&self) -> bool {
        !matches!(self.source, Source::Single { .. })
    }

    /// Rows that fall in some category: a tabulation's respondents (`base_count`) with
    /// no filter or weight. Counted per code, or column by column over the codes of 0/1
    /// columns, not row by row through `categories`: the model view asks it of every
    /// multiple answer after each load and each change of the model (a million rows).
    pub fn respondents(&self) -> u64 {
        match &self.source {
            Source::Single { column, map } => column
                .code_counts()
                .iter()
                .zip(map)
                .filter(|(_, &c)| c != NONE)
                .map(|(n, _)| n)
                .sum(),
            Source::Joined { column, options } => column
                .code_counts()
                .iter()
                .zip(options)
                .filter(|(_, o)| !o.is_empty())
                .map(|(n, _)| n)
                .sum(),
            Source::Binary(cols) => {
                let mut any = vec![false; cols.first().map_or(0, |c| c.0.len())];
                for (col, ticked, _) in cols {
                    match &col.codes {
                        Codes::U8(v) => tick(&mut any, v, ticked),
                        Codes::U16(v) => tick(&mut any, v, ticked),
                        Codes::U32(v) => tick(&mut any, v, ticked),
                    }
                }
                any.iter().filter(|&&a| a).count() as u64
            }
        }
    }

    /// The categories of row `i`, pushed into `out` (cleared first). Empty: the row falls
    /// in no category (非該当, left-out 無回答, or nothing ticked).
    #[inline]
    pub fn categories(&self, i: usize, out: &mut Vec<u32>) {
        out.clear();
        match &self.source {
            Source::Single { column, map } => {
                let c = map[column.codes.get(i) as usize];
                if c != NONE {
                    out.push(c);
                }
            }
            Source::Binary(cols) => {
                for (col, ticked, slot) in cols {
                    if ticked[col.codes.get(i) as usize] && !out.contains(slot) {
                        out.push(*slot);
                    }
                }
            }
            Source::Joined { column, options } => {
                out.extend_from_slice(&options[column.codes.get(i) as usize]);
            }
        }
    }

    /// Resolves a name to a variable: a question id or label, else a column name, through
    /// the personal-data gate. A grid has no single answer: one of its item columns must be
    /// named instead.
    pub fn resolve(
        survey: &'a Survey,
        name: &str,
        include_no_answer: bool,
    ) -> Result<Var<'a>, Refusal> {
        if let Some(q) = survey.questions().find(|q| q.id == name || q.label == name) {
            let q = survey.usable(&q.id.clone())?;
            return match (q.kind, &q.multi) {
                (Kind::Grid, _) => Err(Refusal {
                    ja: format!(
                        "「{}」は設問群です。項目の列を1つ指定してください（{}）。",
                        q.label,
                        q.columns.join("、")
                    ),
                    en: format!(
                        "\"{}\" is a grid; name one of its item columns instead ({}).",
                        q.label,
                        q.columns.join(", ")
                    ),
                }),
                (Kind::Multiple, Some(form)) => multiple(survey, q, form),
                _ => {
                    let column = column_of(survey, q, &q.columns[0])?;
                    Ok(single(column, Some(q), &q.id, &q.label, include_no_answer))
                }
            };
        }
        let column = survey.usable_column(name)?;
        let q = survey
            .questions()
            .find(|q| q.columns.iter().any(|c| c == name));
        match q {
            // One 0/1 column of a multiple answer: its own values, without the set's labels.
            Some(q) if q.kind == Kind::Multiple => {
                Ok(single(column, None, name, name, include_no_answer))
            }
            Some(q) if q.kind == Kind::Grid => {
                let i = q.columns.iter().position(|c| c == name).unwrap_or(0);
                let title = format!("{} {}", q.label, q.item_text(i));
                Ok(single(column, Some(q), name, &title, include_no_answer))
            }
            Some(q) => Ok(single(column, Some(q), name, &q.label, include_no_answer)),
            None => Ok(single(column, None, name, name, include_no_answer)),
        }
    }
}

pub(crate) fn column_of<'a>(
    survey: &'a Survey,
    q: &Question,
    name: &str,
) -> Result<&'a Column, Refusal> {
    survey.table.column(name).ok_or_else(|| Refusal {
        ja: format!("設問「{}」の列「{name}」がファイルにありません。符号表と列名を確かめてください。", q.label),
        en: format!("Column \"{name}\" of question \"{}\" is not in the file. Check the codebook and the column names.", q.label),
    })
}

/// Single choice (and numbers): the codebook's options in its order (every one, even at
/// 0), then the values it lacks in questionnaire order (`model::order`), then 無回答
/// (blank and no-answer codes); 非該当 codes fall outside.
pub(crate) fn single<'a>(
    column: &'a Column,
    q: Option<&Question>,
    id: &str,
    title: &str,
    include_no_answer: bool,
) -> Var<'a> {
    let listed: Vec<_> = q.map(|q| q.options().collect()).unwrap_or_default();
    let mut labels: Vec<Label> = listed
        .iter()
        .map(|v| Label {
            label: v.label.clone(),
            code: v.code.clone(),
            no_answer: false,
            unlisted: false,
        })
        .collect();
    let mut map = vec![NONE; column.values.len()];
    let mut unlisted: Vec<(usize, &str)> = Vec::new();
    let mut no_answer_codes = vec![0usize];
    // A no-answer code labelled as one (9 = 無回答) joins the blank cells; any other (a
    // guessed 9, a code the user marked) keeps its own row and code, of the 無回答 kind.
    let mut own_rows: Vec<(usize, &str)> = Vec::new();
    for (c, value) in column.values.iter().enumerate().skip(1) {
        let value = value.as_ref();
        match q.and_then(|q| q.missing_of(value)) {
            Some(Missing::NoAnswer)
                if missing_label(q.map_or(value, |q| q.label_of(value))).is_none() =>
            {
                own_rows.push((c, value))
            }
            Some(Missing::NoAnswer) => no_answer_codes.push(c),
            Some(Missing::NotApplicable) => {}
            None => match listed.iter().position(|v| v.code == value) {
                Some(i) => map[c] = i as u32,
                None => unlisted.push((c, value)),
            },
        }
    }
    order::sort(&mut unlisted, |u| u.1);
    for (c, value) in unlisted {
        map[c] = labels.len() as u32;
        labels.push(Label {
            label: value.to_string(),
            code: value.to_string(),
            no_answer: false,
            unlisted: !listed.is_empty(),
        });
    }
    if include_no_answer {
        order::sort(&mut own_rows, |u| u.1);
        for (c, value) in own_rows {
            map[c] = labels.len() as u32;
            // A bare code says what it is: "9（無回答）".
            let label = q.map_or(value, |q| q.label_of(value));
            labels.push(Label {
                label: if label == value {
                    format!("{value}（{NO_ANSWER}）")
                } else {
                    label.to_string()
                },
                code: value.to_string(),
                no_answer: true,
                unlisted: false,
            });
        }
        let slot = labels.len() as u32;
        labels.push(Label {
            label: NO_ANSWER.into(),
            code: String::new(),
            no_answer: true,
            unlisted: false,
        });
        for c in no_answer_codes {
            map[c] = slot;
        }
    }
    Var {
        id: id.to_string(),
        title: title.to_string(),
        labels,
        ordered: q.is_some_and(|q| q.ordered),
        source: Source::Single { column, map },
    }
}

/// A multiple answer: one category per option, in the codebook's order; rows with nothing
/// chosen fall outside (as in the simple tabulation, they are 無回答 outside the base).
fn multiple<'a>(survey: &'a Survey, q: &Question, form: &MultiForm) -> Result<Var<'a>, Refusal> {
    let options: Vec<_> = q.options().collect();
    let mut labels: Vec<Label> = options
        .iter()
        .map(|o| Label {
            label: o.label.clone(),
            code: o.code.clone(),
            no_answer: false,
            unlisted: false,
        })
        .collect();
    let source = match form {
        MultiForm::Binary { ticked } => {
            let mut cols = Vec::new();
            for name in &q.columns {
                let col = column_of(survey, q, name)?;
                let slot = match options.iter().position(|o| o.code == *name) {
                    Some(i) => i as u32,
                    None => {
                        labels.push(Label {
                            label: name.clone(),
                            code: name.clone(),
                            no_answer: false,
                            unlisted: !options.is_empty(),
                        });
                        labels.len() as u32 - 1
                    }
                };
                let ticks = col
                    .values
                    .iter()
                    .map(|v| ticked.iter().any(|t| t == v.as_ref()))
                    .collect();
                cols.push((col, ticks, slot));
            }
            Source::Binary(cols)
        }
        MultiForm::Joined { separator } => {
            let column = column_of(survey, q, &q.columns[0])?;
            let known: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
            let mut per_code = vec![Vec::new(); column.values.len()];
            for (c, value) in column.values.iter().enumerate().skip(1) {
                for piece in multi::split(value, separator, &known) {
                    if q.missing_of(piece).is_some() {
                        continue;
                    }
                    let slot = match labels.iter().position(|l| l.code == piece) {
                        Some(i) => i as u32,
                        None => {
                            labels.push(Label {
                                label: piece.to_string(),
                                code: piece.to_string(),
                                no_answer: false,
                                unlisted: !options.is_empty(),
                            });
                            labels.len() as u32 - 1
                        }
                    };
                    if !per_code[c].contains(&slot) {
                        per_code[c].push(slot);
                    }
                }
            }
            Source::Joined {
                column,
                options: per_code,
            }
        }
    };
    Ok(Var {
        id: q.id.clone(),
        title: q.label.clone(),
        labels,
        ordered: false,
        source,
    })
}

/// A weight column: the weight of each code, `None` where it is blank, not a number, or
/// negative (those rows are left out of weighted tables and counted).
/// The weight of row `i`: 1 without a weight column, `None` when its cell is blank, not a
/// number or negative (the row is then left out and counted as an invalid weight).
#[inline]
pub(crate) fn row_weight(weight: Option<&(&Column, Vec<Option<f64>>)>, i: usize) -> Option<f64> {
    match weight {
        Some((column, by_code)) => by_code[column.codes.get(i) as usize],
        None => Some(1.0),
    }
}

pub(crate) fn weights<'a>(
    survey: &'a Survey,
    name: &str,
) -> Result<(&'a Column, Vec<Option<f64>>), Refusal> {
    let column = survey.usable_column(name)?;
    let w: Vec<Option<f64>> = column
        .numbers
        .iter()
        .map(|x| x.filter(|x| x.is_finite() && *x >= 0.0))
        .collect();
    if w.iter().all(Option::is_none) {
        return Err(Refusal {
            ja: format!("ウェイトの列「{name}」に数値がありません。ウェイト（重み）の列を指定してください。"),
            en: format!("The weight column \"{name}\" holds no numbers. Name a column of weights."),
        });
    }
    Ok((column, w))
}

/// Marks the rows whose code is ticked (one column of a 0/1 multiple answer).
fn tick<C: Copy + Into<u32>>(any: &mut [bool], codes: &[C], ticked: &[bool]) {
    for (a, &c) in any.iter_mut().zip(codes) {
        *a |= ticked[c.into() as usize];
    }
}
