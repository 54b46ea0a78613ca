//! What an export of aggregates publishes, built from the respondents themselves so that
//! the tables can be protected as one file (`crate::stats::disclosure::linked`), not one by one.
//!
//! The template's tables of counts (simple tabulations, crosstabs with their layers) are
//! computed here on the survey, with the rules that decide what may leave at all:
//!
//! - **answers as labels**: an answer that is neither a labelled code (1 = 男性, from a
//!   codebook or the user), nor the national survey's wording on a matched column, nor a
//!   0/1 column's name, and that fewer than `min_count` respondents gave in the whole
//!   file (a write-in address, 「市役所 福祉課長」) is merged into one 「その他（少数）」
//!   row before suppression: the label itself would single that person out;
//! - **filters** may only name answers that may be published by the same rule (a filter
//!   on a rare answer, or on a value nobody gave, asks whether someone answered);
//! - **populations**: tables sharing a column whose respondents (after their filter and
//!   their weight's blank cells) differ by 1 to `min_count − 1` people are not both
//!   published: subtracting one from the other would give those people's answers. The
//!   later one is left out, with the reason;
//! - then the tables that share a column are suppressed together, over the classes of
//!   respondents they split the file into, with every small group that subtraction of one
//!   table from another would give as a [`Difference`].

use std::collections::HashMap;

use super::aggregate::AggregateTable;
use super::crosstab::CrosstabSpec;
use super::filter::Filter;
use super::tabulation::national_item;
use super::template::{AnalysisTemplate, TableSpec};
use super::variable::{weights, Label, Var, NONE};
use super::Note;
use crate::model::national::Item;
use crate::model::order::NO_ANSWER;
use crate::model::question::Kind;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::stats::disclosure::linked::{
    suppress_linked, Class, Difference, EntryRef, Pos, Space, Table,
};
use crate::stats::disclosure::Rules;

mod classes;
mod clusters;
mod rare;
mod space;
mod table;

use clusters::clusters;
use rare::publish_var;

/// The row rare answers are merged into.
pub const RARE_ANSWERS: &str = "その他（少数）";

/// The tables of an export, disclosure control applied, and the tables left out with why.
pub struct Published {
    pub tables: Vec<AggregateTable>,
    pub left_out: Vec<Note>,
}

/// A variable as published: its categories after rare answers are merged.
struct PubVar<'a> {
    var: Var<'a>,
    /// Original category → published category (or NONE).
    map: Vec<u32>,
    labels: Vec<Label>,
    /// The published 無回答 category, always last.
    no_answer: Option<u32>,
    /// Original categories merged into 「その他（少数）」.
    merged: Vec<bool>,
    /// File columns the variable reads (links tables that share one).
    columns: Vec<String>,
}

impl PubVar<'_> {
    fn multiple(&self) -> bool {
        self.var.is_multiple()
    }

    /// Published categories of row `i` (each once).
    fn cats(&self, i: usize, buf: &mut Vec<u32>, out: &mut Vec<u32>) {
        self.var.categories(i, buf);
        out.clear();
        for &c in buf.iter() {
            let p = self.map[c as usize];
            if p != NONE && !out.contains(&p) {
                out.push(p);
            }
        }
    }
}

/// One table to publish.
struct Def {
    title: String,
    /// 1-based number of the template's table (for messages).
    number: usize,
    row: usize,
    col: Option<usize>,
    /// Layer variable and its published category.
    layer: Option<(usize, u32)>,
    include_no_answer: bool,
    filter: Option<String>,
    filter_expr: Option<Filter>,
    weight: Option<String>,
    /// Index into the populations.
    pop: usize,
    national: Option<Item>,
    columns: Vec<String>,
}

/// Respondents of one entry on one side of another table: how many, and their classes.
type Side = (u64, Vec<(usize, u32)>);

/// A small group subtraction would give: the respondents of cell `near` of table T that
/// table `u` counts (or doesn't). Where `u` has T's shape (same rows and columns), its
/// cell in the same place is hidden first: hiding the bigger table's cell would cost more.
fn difference(
    vector: Vec<(usize, i64)>,
    value: u64,
    near: EntryRef,
    u: usize,
    same_shape: bool,
) -> Difference {
    let prefer = if same_shape {
        vec![EntryRef {
            table: u,
            pos: near.pos,
        }]
    } else {
        Vec::new()
    };
    Difference {
        vector,
        value,
        prefer,
        near,
    }
}

/// Tables `a` and `b` (with their counts) cross the same variables into grids of the same
/// size, so a cell of one has a twin in the same place of the other.
fn same_shape(a: &Def, b: &Def, ta: &Table, tb: &Table) -> bool {
    let shape = |x: &Table| (x.counts.len(), x.counts.first().map_or(0, Vec::len));
    a.row == b.row && a.col == b.col && shape(ta) == shape(tb)
}

/// Who a table may count: its filter and its weight's valid cells.
struct Population {
    rows: Vec<bool>,
}

/// The template's tables of counts on `survey`, as one export under `rules`.
pub fn publish(survey: &Survey, template: &AnalysisTemplate, rules: Rules) -> Published {
    // A first row that looks like a respondent (`model::header`): the titles would be
    // that person's answers. Nothing is exported until the user confirms the header.
    if !survey.model.header_confirmed
        && !crate::model::header::suspect_names(survey.file_columns(), &survey.model.questions)
            .is_empty()
    {
        return Published {
            tables: Vec::new(),
            left_out: vec![Note {
                ja: "ファイルの1行目（列名）が回答者のデータのように見えます（番号・日付・郵便番号・名前など）。列名が回答のままだと表の題に個人の情報が入るため、集計表は作りませんでした。読み込み結果の注意にある「1行目は見出しです」に印を付けてから作り直してください（コマンドでは --confirm-header）。".into(),
                en: "The file's first row (the column names) looks like a respondent's data (numbers, dates, postal codes, names). Table titles would carry that person's answers, so no aggregate was made. Confirm that the first row is a header in the load warnings (CLI: --confirm-header), then make it again.".into(),
            }],
        };
    }
    let mut b = Builder {
        survey,
        rules,
        vars: Vec::new(),
        by_name: HashMap::new(),
        pops: Vec::new(),
        pop_keys: HashMap::new(),
        left_out: Vec::new(),
    };
    let mut defs = Vec::new();
    for (i, spec) in template.tables.iter().enumerate() {
        let number = i + 1;
        let weight_of = |own: &Option<String>| own.clone().or_else(|| template.weight.clone());
        let filter_of = |own: &Option<Filter>| own.clone().or_else(|| template.filter.clone());
        let made = match spec {
            TableSpec::Tabulation {
                question,
                weight,
                filter,
            } => b.tabulation(number, question, weight_of(weight), filter_of(filter)),
            TableSpec::Crosstab(c) => {
                let mut c = c.clone();
                c.weight = weight_of(&c.weight);
                c.filter = filter_of(&c.filter);
                b.crosstab(number, &c)
            }
            TableSpec::Means { by, .. } => Err(Refusal {
                ja: format!("数値の集計（「{by}」別の平均など）は件数の表ではないため、集計表には入りません。"),
                en: format!("Numbers by group (by \"{by}\") are not a table of counts and are not exported."),
            }),
            TableSpec::National { .. } => Err(Refusal {
                ja: "全国との比較は件数の表ではないため、集計表には入りません（同じ設問の単純集計を入れてください）。".into(),
                en: "A national comparison is not a table of counts and is not exported (export the question's tabulation instead).".into(),
            }),
        };
        match made {
            Ok(mut d) => defs.append(&mut d),
            Err(r) => b.left_out.push(Note {
                ja: format!("表{number}: {}", r.ja),
                en: format!("Table {number}: {}", r.en),
            }),
        }
    }
    b.finish(defs)
}

struct Builder<'a> {
    survey: &'a Survey,
    rules: Rules,
    vars: Vec<PubVar<'a>>,
    by_name: HashMap<String, usize>,
    pops: Vec<Population>,
    pop_keys: HashMap<(Option<String>, Option<String>), usize>,
    left_out: Vec<Note>,
}

impl<'a> Builder<'a> {
    fn var(&mut self, name: &str) -> Result<usize, Refusal> {
        if let Some(&i) = self.by_name.get(name) {
            return Ok(i);
        }
        let var = Var::resolve(self.survey, name, true)?;
        let v = publish_var(self.survey, var, self.rules.min_count);
        self.vars.push(v);
        self.by_name.insert(name.to_string(), self.vars.len() - 1);
        Ok(self.vars.len() - 1)
    }

    fn population(
        &mut self,
        filter: Option<&Filter>,
        weight: Option<&str>,
    ) -> Result<(usize, Vec<String>), Refusal> {
        let mut columns = Vec::new();
        if let Some(f) = filter {
            for c in f.conditions() {
                columns.extend(self.filter_columns(c.column));
                // The column as a variable (its categories are what the disclosure check
                // crosses), also for a comparison of numbers.
                let i = self.var(c.column)?;
                if c.numeric {
                    continue;
                }
                // Every answer the filter names must be one that may be published.
                let v = &self.vars[i];
                for value in c.values {
                    let ok = if value == NO_ANSWER {
                        v.no_answer.is_some()
                    } else {
                        v.var.labels.iter().enumerate().any(|(k, l)| {
                            (l.label == *value || l.code == *value)
                                && !v.merged[k]
                                && v.map[k] != NONE
                        })
                    };
                    if !ok {
                        return Err(Refusal {
                            ja: format!(
                                "フィルター（絞り込み）が「{}」の、{}人未満しか答えていない回答またはファイルにない回答を指しています。その人が回答したかどうかが分かってしまうため、この表は入れていません。",
                                c.column, self.rules.min_count
                            ),
                            en: format!(
                                "The filter names an answer of \"{}\" that fewer than {} respondents gave, or that no one gave: it would tell whether someone answered, so the table is left out.",
                                c.column, self.rules.min_count
                            ),
                        });
                    }
                }
            }
        }
        // Tables weighted by the same column share its blank cells' respondents.
        columns.extend(weight.map(String::from));
        let k = (
            filter.map(|f| f.source().to_string()),
            weight.map(String::from),
        );
        if let Some(&p) = self.pop_keys.get(&k) {
            return Ok((p, columns));
        }
        let rows = self.survey.table.rows;
        let mut keep = match filter {
            Some(f) => f.mask(self.survey)?,
            None => vec![true; rows],
        };
        if let Some(w) = weight {
            let (column, by_code) = weights(self.survey, w)?;
            for (i, k) in keep.iter_mut().enumerate() {
                *k &= by_code[column.codes.get(i) as usize].is_some();
            }
        }
        self.pops.push(Population { rows: keep });
        self.pop_keys.insert(k, self.pops.len() - 1);
        Ok((self.pops.len() - 1, columns))
    }

    /// The file columns a filter condition reads.
    fn filter_columns(&self, name: &str) -> Vec<String> {
        if self.survey.table.column(name).is_some() {
            return vec![name.to_string()];
        }
        self.survey
            .questions()
            .find(|q| q.id == name || q.label == name)
            .map(|q| q.columns.clone())
            .unwrap_or_default()
    }

    fn tabulation(
        &mut self,
        number: usize,
        question: &str,
        weight: Option<String>,
        filter: Option<Filter>,
    ) -> Result<Vec<Def>, Refusal> {
        let grid = self
            .survey
            .questions()
            .find(|q| (q.id == question || q.label == question) && q.kind == Kind::Grid);
        let names: Vec<String> = match grid {
            Some(q) => {
                self.survey.usable(&q.id.clone())?;
                q.columns.clone()
            }
            None => vec![question.to_string()],
        };
        let (pop, filter_columns) = self.population(filter.as_ref(), weight.as_deref())?;
        let mut out = Vec::new();
        for name in names {
            let row = self.var(&name)?;
            let v = &self.vars[row];
            out.push(Def {
                title: v.var.title.clone(),
                number,
                row,
                col: None,
                layer: None,
                include_no_answer: true,
                filter: filter.as_ref().map(|f| f.source().to_string()),
                filter_expr: filter.clone(),
                weight: weight.clone(),
                pop,
                national: national_item(self.survey, &v.var.id),
                columns: [v.columns.clone(), filter_columns.clone()].concat(),
            });
        }
        Ok(out)
    }

    fn crosstab(&mut self, number: usize, spec: &CrosstabSpec) -> Result<Vec<Def>, Refusal> {
        let row = self.var(&spec.row)?;
        let col = self.var(&spec.col)?;
        if self.vars[row].multiple() && self.vars[col].multiple() {
            return Err(Refusal {
                ja: "複数回答どうしのクロス集計は集計表に入りません。".into(),
                en: "A crosstab of two multiple answers is not exported.".into(),
            });
        }
        let layer = match &spec.layer {
            Some(l) => {
                let i = self.var(l)?;
                if self.vars[i].multiple() {
                    return Err(Refusal {
                        ja: "層（レイヤー）が複数回答の表は集計表に入りません。".into(),
                        en: "A table layered by a multiple answer is not exported.".into(),
                    });
                }
                Some(i)
            }
            None => None,
        };
        let (pop, filter_columns) =
            self.population(spec.filter.as_ref(), spec.weight.as_deref())?;
        let title = format!(
            "{} × {}",
            self.vars[row].var.title, self.vars[col].var.title
        );
        let mut columns = [
            self.vars[row].columns.clone(),
            self.vars[col].columns.clone(),
            filter_columns,
        ]
        .concat();
        let def = |title: String, layer: Option<(usize, u32)>, columns: Vec<String>| Def {
            title,
            number,
            row,
            col: Some(col),
            layer,
            include_no_answer: spec.include_no_answer,
            filter: spec.filter.as_ref().map(|f| f.source().to_string()),
            filter_expr: spec.filter.clone(),
            weight: spec.weight.clone(),
            pop,
            national: None,
            columns,
        };
        Ok(match layer {
            None => vec![def(title, None, columns)],
            Some(l) => {
                columns.extend(self.vars[l].columns.clone());
                let v = &self.vars[l];
                (0..v.labels.len() as u32)
                    .filter(|&c| spec.include_no_answer || Some(c) != v.no_answer)
                    .map(|c| {
                        def(
                            format!("{title}（{}）", v.labels[c as usize].label),
                            Some((l, c)),
                            columns.clone(),
                        )
                    })
                    .collect()
            }
        })
    }

    fn rows_of(&self, d: &Def) -> usize {
        self.shown_len(d.row, d.include_no_answer)
    }

    fn cols_of(&self, d: &Def) -> usize {
        d.col.map_or(1, |c| self.shown_len(c, d.include_no_answer))
    }

    /// Categories a table shows: every published one, but 無回答 (always last) when left out.
    fn shown_len(&self, var: usize, include_no_answer: bool) -> usize {
        let v = &self.vars[var];
        v.labels.len() - usize::from(!include_no_answer && v.no_answer.is_some())
    }

    fn finish(mut self, defs: Vec<Def>) -> Published {
        // Tables that share a column are linked; the rest are independent.
        let clusters = clusters(&defs);
        // Populations that differ by a few people: the later table is left out.
        let mut dropped = vec![false; defs.len()];
        for cluster in &clusters {
            for (a, &i) in cluster.iter().enumerate() {
                for &j in &cluster[..a] {
                    if dropped[j] || dropped[i] || defs[i].pop == defs[j].pop {
                        continue;
                    }
                    let (p, q) = (&self.pops[defs[i].pop].rows, &self.pops[defs[j].pop].rows);
                    let differ = p.iter().zip(q).filter(|(x, y)| x != y).count() as u64;
                    if differ > 0 && differ < self.rules.min_count {
                        dropped[i] = true;
                        self.left_out.push(Note {
                            ja: format!(
                                "表{}（{}）: 表{}（{}）と対象者が{differ}人しか違わないため、2つの表の引き算でその人の回答が分かってしまいます。この表は入れていません。絞り込み（フィルター）やウェイトをそろえるか、どちらか一方だけを出してください。",
                                defs[i].number, defs[i].title, defs[j].number, defs[j].title
                            ),
                            en: format!(
                                "Table {} (\"{}\"): its respondents differ from table {} (\"{}\") by only {differ}, so subtracting one from the other would give their answers. Left out: use the same filter and weight, or publish only one of them.",
                                defs[i].number, defs[i].title, defs[j].number, defs[j].title
                            ),
                        });
                    }
                }
            }
        }
        let mut tables: Vec<Option<AggregateTable>> = (0..defs.len()).map(|_| None).collect();
        for cluster in clusters {
            let members: Vec<usize> = cluster.into_iter().filter(|&i| !dropped[i]).collect();
            if members.is_empty() {
                continue;
            }
            match self.suppress_cluster(&defs, &members) {
                Ok(made) => {
                    for (i, t) in members.iter().zip(made) {
                        tables[*i] = Some(t);
                    }
                }
                Err(()) => {
                    let names: Vec<String> = members
                        .iter()
                        .map(|&i| format!("表{}", defs[i].number))
                        .collect();
                    self.left_out.push(Note {
                        ja: format!(
                            "{}: 同じ列を使う表が多く、組み合わせて個人が分からないことを確かめきれないため、入れていません。表の数を減らしてください。",
                            names.join("、")
                        ),
                        en: format!(
                            "{}: too many tables share these columns to check that together they single no one out; left out. Export fewer tables.",
                            names.join(", ").replace('表', "table ")
                        ),
                    });
                }
            }
        }
        Published {
            tables: tables.into_iter().flatten().collect(),
            left_out: self.left_out,
        }
    }

    /// Counts, classes and differences of one cluster, suppressed together.
    fn suppress_cluster(&self, defs: &[Def], members: &[usize]) -> Result<Vec<AggregateTable>, ()> {
        let rows = self.survey.table.rows;
        let vars_used: Vec<usize> = {
            let mut v: Vec<usize> = members
                .iter()
                .flat_map(|&i| {
                    let d = &defs[i];
                    [Some(d.row), d.col, d.layer.map(|l| l.0)]
                })
                .flatten()
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // Respondents with the same place in every table are one class.
        let mut classes: HashMap<Vec<u32>, (u64, usize)> = HashMap::new();
        let mut bufs: Vec<(Vec<u32>, Vec<u32>)> = vec![(Vec::new(), Vec::new()); self.vars.len()];
        let mut sig = Vec::new();
        for i in 0..rows {
            for &v in &vars_used {
                let (buf, out) = &mut bufs[v];
                self.vars[v].cats(i, buf, out);
            }
            sig.clear();
            for &t in members {
                match self.place(&defs[t], i, &bufs) {
                    Some((r, c)) => {
                        sig.push(r.len() as u32);
                        sig.extend_from_slice(&r);
                        sig.push(c.len() as u32);
                        sig.extend_from_slice(&c);
                    }
                    None => sig.push(u32::MAX),
                }
            }
            classes
                .entry(sig.clone())
                .and_modify(|e| e.0 += 1)
                .or_insert((1, i));
        }
        // Each class's entries, from its first respondent.
        let mut list: Vec<(u64, usize)> = classes.into_values().collect();
        list.sort_unstable_by_key(|&(_, first)| first);
        let mut out_classes = Vec::with_capacity(list.len());
        let mut counts: Vec<Table> = members
            .iter()
            .map(|&t| Table {
                counts: vec![vec![0; self.cols_of(&defs[t])]; self.rows_of(&defs[t])],
                extras: if self.is_multiple_tab(&defs[t]) {
                    vec![0]
                } else {
                    vec![]
                },
                whole: defs[t].filter.is_none()
                    && defs[t].weight.is_none()
                    && defs[t].layer.is_none()
                    && defs[t].include_no_answer,
            })
            .collect();
        for &(count, first) in &list {
            for &v in &vars_used {
                let (buf, out) = &mut bufs[v];
                self.vars[v].cats(first, buf, out);
            }
            let mut entries: Vec<(EntryRef, u32)> = Vec::new();
            let add = |e: EntryRef, entries: &mut Vec<(EntryRef, u32)>| match entries
                .iter_mut()
                .find(|(x, _)| *x == e)
            {
                Some((_, m)) => *m += 1,
                None => entries.push((e, 1)),
            };
            for (ti, &t) in members.iter().enumerate() {
                let d = &defs[t];
                let Some((rs, cs)) = self.place(d, first, &bufs) else {
                    continue;
                };
                let (nr, nc) = (self.rows_of(d), self.cols_of(d));
                for &r in &rs {
                    for &c in &cs {
                        counts[ti].counts[r as usize][c as usize] += count;
                        let (r, c) = (r as usize, c as usize);
                        for pos in [
                            Pos::Grid(r, c),
                            Pos::Grid(r, nc),
                            Pos::Grid(nr, c),
                            Pos::Grid(nr, nc),
                        ] {
                            add(EntryRef { table: ti, pos }, &mut entries);
                        }
                    }
                }
                if self.is_multiple_tab(d) {
                    counts[ti].extras[0] += count;
                    add(
                        EntryRef {
                            table: ti,
                            pos: Pos::Extra(0),
                        },
                        &mut entries,
                    );
                }
            }
            out_classes.push(Class { count, entries });
        }
        // The exact cross-classification where it can be set up; else the classes of
        // respondents seen (which grants the attacker more: safe, hides more).
        let (space, differences) = match self.full_space(defs, members, &counts) {
            Some(full) => full,
            None => (
                Space::of_classes(&counts, &out_classes),
                self.differences(defs, members, &counts, &out_classes),
            ),
        };
        let linked = suppress_linked(&counts, &space, &differences, self.rules).map_err(|_| ())?;
        Ok(members
            .iter()
            .enumerate()
            .map(|(ti, &t)| {
                self.table(
                    &defs[t],
                    &counts[ti],
                    &linked.tables[ti],
                    linked.extras_hidden[ti].first().copied(),
                )
            })
            .collect())
    }

    fn is_multiple_tab(&self, d: &Def) -> bool {
        d.col.is_none() && self.vars[d.row].multiple()
    }

    /// Row `i`'s rows and columns in table `d`, or none when the table doesn't count it.
    fn place(
        &self,
        d: &Def,
        i: usize,
        cats: &[(Vec<u32>, Vec<u32>)],
    ) -> Option<(Vec<u32>, Vec<u32>)> {
        if !self.pops[d.pop].rows[i] {
            return None;
        }
        let keep =
            |var: usize, c: &u32| d.include_no_answer || Some(*c) != self.vars[var].no_answer;
        if let Some((l, cat)) = d.layer {
            if !cats[l].1.iter().filter(|c| keep(l, c)).any(|&c| c == cat) {
                return None;
            }
        }
        let rs: Vec<u32> = cats[d.row]
            .1
            .iter()
            .copied()
            .filter(|c| keep(d.row, c))
            .collect();
        let cs: Vec<u32> = match d.col {
            Some(col) => cats[col]
                .1
                .iter()
                .copied()
                .filter(|c| keep(col, c))
                .collect(),
            None => vec![0],
        };
        (!rs.is_empty() && !cs.is_empty()).then_some((rs, cs))
    }
}
