//! The unknowns of one cluster of tables as an attacker sets them up: the full
//! cross-classification of the variables the tables read (their rows, columns, layers,
//! their filters' columns, whether their weight is valid), every cell a sparse vector in
//! it (`cross_classification`), and the small groups subtraction of one table from
//! another would give.
//!
//! The levels of a variable are those somebody gave (a level nobody gave is a published
//! 0 anyway), and a filter is evaluated on a representative code of each level — which
//! must give, for every respondent, what the filter gives on their own codes; where it
//! doesn't (or a column is read by two variables, or a grid would be too large) this
//! returns None and the caller falls back to the classes of respondents seen.

use std::collections::HashMap;

use super::{difference, same_shape, Builder, Def, Side};
use crate::analysis::cross_classification::Cover;
use crate::analysis::filter::CompiledFilter;
use crate::analysis::variable::{Source, NONE};
use crate::disclosure::linked::{Difference, EntryRef, Pos, Space, Table, Vector};

/// What a variable of the cross-classification is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Dim {
    /// A single answer's published category (NONE: outside every category).
    Var(usize),
    /// One option of a multiple answer: chosen or not.
    Option(usize, u32),
    /// A weight column's cell is valid.
    Valid(String),
}

struct Dims {
    list: Vec<Dim>,
    /// Per dimension, its levels (a category, or 0/1).
    levels: Vec<Vec<u32>>,
}

impl Dims {
    fn of(&self, d: &Dim) -> usize {
        self.list
            .iter()
            .position(|x| x == d)
            .expect("every dimension is listed")
    }

    fn level(&self, dim: usize, value: u32) -> Option<usize> {
        self.levels[dim].iter().position(|&v| v == value)
    }
}

/// One table's predicates over a point of the cross-classification.
struct TableFn<'s> {
    def: &'s Def,
    filter: Option<(&'s CompiledFilter<'s>, Vec<(String, usize)>)>,
    weight: Option<usize>,
    layer: Option<(usize, u32)>,
    rows: Axis,
    cols: Option<Axis>,
}

/// A table's rows or columns: one single-answer dimension, or one per option.
enum Axis {
    Single {
        dim: usize,
        shown: usize,
        no_answer: Option<u32>,
        include: bool,
    },
    Options(Vec<usize>),
}

impl Axis {
    fn dims(&self, which: Option<usize>) -> Vec<usize> {
        match (self, which) {
            (Axis::Single { dim, .. }, _) => vec![*dim],
            (Axis::Options(o), Some(k)) => vec![o[k]],
            (Axis::Options(o), None) => o.clone(),
        }
    }

    /// Row `k` of the table holds the point.
    fn holds(&self, dims: &Dims, lv: &dyn Fn(usize) -> usize, k: usize) -> bool {
        match self {
            Axis::Single { dim, .. } => dims.levels[*dim][lv(*dim)] == k as u32,
            Axis::Options(o) => dims.levels[o[k]][lv(o[k])] == 1,
        }
    }

    /// The point is in some row of the table.
    fn any(&self, dims: &Dims, lv: &dyn Fn(usize) -> usize) -> bool {
        match self {
            Axis::Single {
                dim,
                shown,
                no_answer,
                include,
            } => {
                let c = dims.levels[*dim][lv(*dim)];
                c != NONE && (c as usize) < *shown && (*include || Some(c) != *no_answer)
            }
            Axis::Options(o) => o.iter().any(|&d| dims.levels[d][lv(d)] == 1),
        }
    }
}

impl TableFn<'_> {
    fn pop(&self, dims: &Dims, reps: &Reps, lv: &dyn Fn(usize) -> usize) -> bool {
        if let Some(w) = self.weight {
            if dims.levels[w][lv(w)] != 1 {
                return false;
            }
        }
        if let Some((l, cat)) = self.layer {
            if dims.levels[l][lv(l)] != cat {
                return false;
            }
        }
        match &self.filter {
            Some((f, cols)) => f.keeps(&|name| {
                cols.iter()
                    .find(|(c, _)| c == name)
                    .map_or(0, |&(_, d)| reps.code(d, lv(d)))
            }),
            None => true,
        }
    }

    fn pop_dims(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .filter
            .as_ref()
            .map(|(_, cols)| cols.iter().map(|&(_, d)| d).collect())
            .unwrap_or_default();
        v.extend(self.weight);
        v.extend(self.layer.map(|l| l.0));
        v
    }

    fn cell(
        &self,
        dims: &Dims,
        reps: &Reps,
        lv: &dyn Fn(usize) -> usize,
        r: usize,
        c: usize,
    ) -> bool {
        self.rows.holds(dims, lv, r)
            && self.cols.as_ref().is_none_or(|a| a.holds(dims, lv, c))
            && self.pop(dims, reps, lv)
    }

    fn cell_dims(&self, r: usize, c: usize) -> Vec<usize> {
        let mut v = self.rows.dims(Some(r));
        if let Some(a) = &self.cols {
            v.extend(a.dims(Some(c)));
        }
        v.extend(self.pop_dims());
        v
    }

    fn counts(&self, dims: &Dims, reps: &Reps, lv: &dyn Fn(usize) -> usize) -> bool {
        self.rows.any(dims, lv)
            && self.cols.as_ref().is_none_or(|a| a.any(dims, lv))
            && self.pop(dims, reps, lv)
    }

    fn table_dims(&self) -> Vec<usize> {
        let mut v = self.rows.dims(None);
        if let Some(a) = &self.cols {
            v.extend(a.dims(None));
        }
        v.extend(self.pop_dims());
        v
    }
}

/// A representative code of each level of each filter column's dimension.
struct Reps {
    codes: HashMap<(usize, usize), usize>,
}

impl Reps {
    fn code(&self, dim: usize, level: usize) -> usize {
        self.codes.get(&(dim, level)).copied().unwrap_or(0)
    }
}

fn sorted(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Builder<'_> {
    /// The single-answer variable over the file column `name` (one of `list` first).
    fn column_var(&self, name: &str, list: &[Dim]) -> Option<usize> {
        let over = |v: usize| !self.vars[v].multiple() && self.vars[v].columns == [name];
        list.iter()
            .find_map(|d| match d {
                Dim::Var(v) if over(*v) => Some(*v),
                _ => None,
            })
            .or_else(|| (0..self.vars.len()).find(|&v| over(v)))
    }

    /// The cluster `members` (with their `tables` of counts) in the full
    /// cross-classification, and its small differences; None where that can't be set up
    /// exactly (see the module's doc).
    pub(super) fn full_space(
        &self,
        defs: &[Def],
        members: &[usize],
        tables: &[Table],
    ) -> Option<(Space, Vec<Difference>)> {
        let rows = self.survey.table.rows;
        // The dimensions.
        let mut list: Vec<Dim> = Vec::new();
        let push = |d: Dim, list: &mut Vec<Dim>| {
            if !list.contains(&d) {
                list.push(d);
            }
        };
        let mut compiled: Vec<Option<CompiledFilter>> = Vec::new();
        for &t in members {
            let d = &defs[t];
            for v in [Some(d.row), d.col, d.layer.map(|l| l.0)]
                .into_iter()
                .flatten()
            {
                if self.vars[v].multiple() {
                    for k in 0..self.vars[v].labels.len() as u32 {
                        push(Dim::Option(v, k), &mut list);
                    }
                } else {
                    push(Dim::Var(v), &mut list);
                }
            }
            compiled.push(match &d.filter_expr {
                Some(f) => {
                    let c = f.compile(self.survey).ok()?;
                    for name in c.columns() {
                        let v = self.column_var(name, &list)?;
                        push(Dim::Var(v), &mut list);
                    }
                    Some(c)
                }
                None => None,
            });
            if let Some(w) = &d.weight {
                push(Dim::Valid(w.clone()), &mut list);
            }
        }
        // A file column read by two dimensions would make them depend on each other.
        let mut seen: Vec<&str> = Vec::new();
        for d in &list {
            let cols: Vec<&str> = match d {
                Dim::Var(v) => self.vars[*v].columns.iter().map(String::as_str).collect(),
                Dim::Option(v, k) => match &self.vars[*v].var.source {
                    Source::Binary(cols) => cols
                        .iter()
                        .filter(|(_, _, slot)| *slot == *k)
                        .map(|(c, _, _)| c.name.as_str())
                        .collect(),
                    _ => Vec::new(),
                },
                Dim::Valid(w) => vec![w.as_str()],
            };
            for c in cols {
                if seen.contains(&c) {
                    return None;
                }
                seen.push(c);
            }
        }
        // Each respondent's level in every dimension.
        let weights: HashMap<&str, Vec<bool>> = list
            .iter()
            .filter_map(|d| match d {
                Dim::Valid(w) => {
                    let (column, by_code) =
                        crate::analysis::variable::weights(self.survey, w).ok()?;
                    Some((
                        w.as_str(),
                        (0..rows)
                            .map(|i| by_code[column.codes.get(i) as usize].is_some())
                            .collect(),
                    ))
                }
                _ => None,
            })
            .collect();
        let mut bufs: Vec<(Vec<u32>, Vec<u32>)> = vec![(Vec::new(), Vec::new()); self.vars.len()];
        let value_of = |d: &Dim, i: usize, bufs: &mut Vec<(Vec<u32>, Vec<u32>)>| -> u32 {
            match d {
                Dim::Var(v) => {
                    let (buf, out) = &mut bufs[*v];
                    self.vars[*v].cats(i, buf, out);
                    out.first().copied().unwrap_or(NONE)
                }
                Dim::Option(v, k) => {
                    let (buf, out) = &mut bufs[*v];
                    self.vars[*v].cats(i, buf, out);
                    u32::from(out.contains(k))
                }
                Dim::Valid(w) => u32::from(weights.get(w.as_str()).is_some_and(|x| x[i])),
            }
        };
        let mut raw: Vec<Vec<u32>> = Vec::with_capacity(rows);
        let mut levels: Vec<Vec<u32>> = vec![Vec::new(); list.len()];
        for i in 0..rows {
            let p: Vec<u32> = list.iter().map(|d| value_of(d, i, &mut bufs)).collect();
            for (j, &v) in p.iter().enumerate() {
                if !levels[j].contains(&v) {
                    levels[j].push(v);
                }
            }
            raw.push(p);
        }
        for l in levels.iter_mut() {
            l.sort_unstable();
        }
        let dims = Dims { list, levels };
        // Respondents by their levels.
        let mut profiles: HashMap<Vec<u16>, u64> = HashMap::new();
        for p in &raw {
            let key: Vec<u16> = p
                .iter()
                .enumerate()
                .map(|(j, &v)| dims.level(j, v).expect("a seen value") as u16)
                .collect();
            *profiles.entry(key).or_default() += 1;
        }
        // A representative code of each level of each filter column, checked against
        // every respondent's own codes.
        let mut reps = Reps {
            codes: HashMap::new(),
        };
        let mut fns: Vec<TableFn> = Vec::new();
        for (m, &t) in members.iter().enumerate() {
            let d = &defs[t];
            let axis = |v: usize, include: bool| -> Axis {
                let p = &self.vars[v];
                if p.multiple() {
                    Axis::Options(
                        (0..p.labels.len() as u32)
                            .map(|k| dims.of(&Dim::Option(v, k)))
                            .collect(),
                    )
                } else {
                    Axis::Single {
                        dim: dims.of(&Dim::Var(v)),
                        shown: p.labels.len(),
                        no_answer: p.no_answer,
                        include,
                    }
                }
            };
            let filter = match &compiled[m] {
                Some(c) => {
                    let mut cols = Vec::new();
                    for name in c.columns() {
                        let v = self.column_var(name, &dims.list)?;
                        let dim = dims.of(&Dim::Var(v));
                        cols.push((name.to_string(), dim));
                        let Source::Single { column, map } = &self.vars[v].var.source else {
                            return None;
                        };
                        for (code, &orig) in map.iter().enumerate().take(column.values.len()) {
                            let cat = if orig == NONE {
                                NONE
                            } else {
                                self.vars[v].map[orig as usize]
                            };
                            if let Some(l) = dims.level(dim, cat) {
                                reps.codes.entry((dim, l)).or_insert(code);
                            }
                        }
                    }
                    Some((c, cols))
                }
                None => None,
            };
            fns.push(TableFn {
                def: d,
                filter,
                weight: d.weight.as_ref().map(|w| dims.of(&Dim::Valid(w.clone()))),
                layer: d.layer.map(|(l, cat)| (dims.of(&Dim::Var(l)), cat)),
                rows: axis(d.row, d.include_no_answer),
                cols: d.col.map(|c| axis(c, d.include_no_answer)),
            });
        }
        for (m, f) in fns.iter().enumerate() {
            let Some((c, cols)) = &f.filter else {
                continue;
            };
            let pop = &self.pops[defs[members[m]].pop].rows;
            for (i, p) in raw.iter().enumerate() {
                let lv = |d: usize| dims.level(d, p[d]).unwrap_or(0);
                let by_reps = c.keeps(&|name| {
                    cols.iter()
                        .find(|(n, _)| n == name)
                        .map_or(0, |&(_, d)| reps.code(d, lv(d)))
                });
                let weight_ok = f.weight.is_none_or(|w| p[w] == 1);
                if weight_ok && by_reps != pop[i] {
                    return None;
                }
            }
        }
        // The vectors.
        let mut cover = Cover::new(dims.levels.iter().map(Vec::len).collect());
        let mut space = Space {
            k: 0,
            everyone: cover.everyone(),
            cells: Vec::new(),
            extras: Vec::new(),
        };
        for (m, f) in fns.iter().enumerate() {
            let t = &tables[m];
            let mut cells = Vec::new();
            for r in 0..t.counts.len() {
                let mut row = Vec::new();
                for c in 0..t.counts[r].len() {
                    let on = sorted(f.cell_dims(r, c));
                    let v = cover.vector(&on, &|x: &[usize]| {
                        let lv = |d: usize| x[on.iter().position(|&o| o == d).unwrap_or(0)];
                        i64::from(f.cell(&dims, &reps, &lv, r, c))
                    })?;
                    row.push(v);
                }
                cells.push(row);
            }
            space.cells.push(cells);
            let mut extras = Vec::new();
            if !t.extras.is_empty() {
                let on = sorted(f.table_dims());
                extras.push(cover.vector(&on, &|x: &[usize]| {
                    let lv = |d: usize| x[on.iter().position(|&o| o == d).unwrap_or(0)];
                    i64::from(f.counts(&dims, &reps, &lv))
                })?);
            }
            space.extras.push(extras);
        }
        // Small differences: per cell of T, those U counts and those it doesn't.
        let mut differences = Vec::new();
        let profile_list: Vec<(&Vec<u16>, u64)> = profiles.iter().map(|(k, &n)| (k, n)).collect();
        for (t, ft) in fns.iter().enumerate() {
            for (u, fu) in fns.iter().enumerate() {
                if t == u {
                    continue;
                }
                let twins = same_shape(ft.def, fu.def, &tables[t], &tables[u]);
                for r in 0..tables[t].counts.len() {
                    for c in 0..tables[t].counts[r].len() {
                        let mut split: [Side; 2] = Default::default();
                        for &(p, n) in &profile_list {
                            let lv = |d: usize| p[d] as usize;
                            if ft.cell(&dims, &reps, &lv, r, c) {
                                let side = usize::from(!fu.counts(&dims, &reps, &lv));
                                split[side].0 += n;
                            }
                        }
                        if split[0].0 == 0 || split[1].0 == 0 {
                            continue;
                        }
                        for (side, (value, _)) in split.iter().enumerate() {
                            if *value >= self.rules.min_count {
                                continue;
                            }
                            let on = sorted([ft.cell_dims(r, c), fu.table_dims()].concat());
                            let vector: Vector = cover.vector(&on, &|x: &[usize]| {
                                let lv = |d: usize| x[on.iter().position(|&o| o == d).unwrap_or(0)];
                                let inside = fu.counts(&dims, &reps, &lv);
                                i64::from(ft.cell(&dims, &reps, &lv, r, c) && inside == (side == 0))
                            })?;
                            let e = EntryRef {
                                table: t,
                                pos: Pos::Grid(r, c),
                            };
                            differences.push(difference(vector, *value, e, u, twins));
                        }
                    }
                }
            }
        }
        space.k = cover.k();
        Some((space, differences))
    }
}
