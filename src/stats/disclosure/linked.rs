//! Disclosure control for several tables published together (one export, one file).
//!
//! Suppressing each table on its own is not enough: a crosstab and the same crosstab
//! filtered to 女性, a layered table and the unlayered one, a table with 無回答 and the
//! same table without, a weighted copy that leaves out rows with a blank weight — each is
//! safe alone, and subtracting one from the other gives back what both hid. So the tables
//! are seen as one linear system over the respondents:
//!
//! - the respondents fall into **classes**: those who land in exactly the same entries of
//!   every table (cells, totals, extras such as a multiple answer's respondents). Every
//!   published entry is a sum over classes (`Σ mult × count`);
//! - an attacker knows every shown entry. A hidden entry (or a group no table shows but
//!   subtraction could give, a [`Difference`]) is given away exactly when its vector over
//!   the classes lies in the span of the shown entries' vectors.
//!
//! Only the classes that have respondents are unknowns: this assumes the attacker knows
//! which combinations of answers nobody gave, which is more than anyone outside knows.
//! An entry that is safe under that assumption is safe without it (fewer equations can
//! only leave more unknown), so the check may hide a little more than needed, never less.
//!
//! The arithmetic is exact, in the integers modulo the prime 2⁶¹ − 1 (no rounding, unlike
//! floating-point elimination; a dependency that exists over the rationals exists modulo
//! p unless p divides a minor of the matrix, which for tables of survey counts it does
//! not in any practical sense).
//!
//! The procedure: each table is first suppressed on its own (`Margined::settle`); then,
//! while something hidden is determined by everything shown, one more entry is hidden (the
//! smallest shown in the determined entry's row or column; for a difference, the entry of
//! the smaller table in the same place), and the table settles again. Hiding only ever
//! grows, so this ends; with every non-zero entry hidden nothing can be determined.

use super::modular::{add, Basis, P};
use super::{Margined, Mark, Rules, Suppressed};

/// Where an entry is in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pos {
    /// `(r, c)` of the table with its margins: `r == rows` is the column totals' row,
    /// `c == cols` the row totals' column.
    Grid(usize, usize),
    /// An entry outside the grid (a multiple answer's respondents).
    Extra(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryRef {
    pub table: usize,
    pub pos: Pos,
}

/// One table of the export: its inner counts (the margins are their sums) and its extra
/// entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub counts: Vec<Vec<u64>>,
    pub extras: Vec<u64>,
    /// A table of every respondent (no filter, weight, layer, 無回答 kept): where a
    /// complement may go in it or in a restricted copy, the copy takes it.
    pub whole: bool,
}

/// A published number (or a group) as a linear function of the unknowns: `(unknown,
/// coefficient)`, sorted by unknown, no zero coefficient.
pub type Vector = Vec<(usize, i64)>;

/// The unknowns an attacker solves for, and every cell and extra entry as a vector over
/// them. Two kinds are built (`analysis::published`): the counts of every combination of
/// answers in a basis where each entry is sparse (exact: the attacker doesn't know which
/// combinations nobody gave), or the counts of the classes of respondents seen (the
/// attacker is granted which combinations exist: more than anyone knows, so safe, and
/// used where the first would be too large). Totals are the sums of their cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    pub k: usize,
    /// The number of respondents (public).
    pub everyone: Vector,
    /// Per table, `[row][col]`.
    pub cells: Vec<Vec<Vec<Vector>>>,
    /// Per table, per extra entry.
    pub extras: Vec<Vec<Vector>>,
}

/// Respondents who land in the same entries of every table.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub count: u64,
    /// Each entry this class adds to, with how many times one respondent counts there.
    /// Only cells and extras are read (totals are their cells' sums).
    pub entries: Vec<(EntryRef, u32)>,
}

impl Space {
    /// The space of the classes that have respondents (each class one unknown).
    pub fn of_classes(tables: &[Table], classes: &[Class]) -> Space {
        let mut space = Space {
            k: 0,
            everyone: Vec::new(),
            cells: tables
                .iter()
                .map(|t| t.counts.iter().map(|r| vec![Vec::new(); r.len()]).collect())
                .collect(),
            extras: tables
                .iter()
                .map(|t| vec![Vec::new(); t.extras.len()])
                .collect(),
        };
        for class in classes.iter().filter(|c| c.count > 0) {
            let k = space.k;
            space.k += 1;
            space.everyone.push((k, 1));
            for &(e, mult) in &class.entries {
                let rows = tables[e.table].counts.len();
                match e.pos {
                    Pos::Grid(r, c) if r < rows && c < tables[e.table].counts[r].len() => {
                        space.cells[e.table][r][c].push((k, mult as i64))
                    }
                    Pos::Extra(x) => space.extras[e.table][x].push((k, mult as i64)),
                    Pos::Grid(..) => {}
                }
            }
        }
        space
    }
}

/// `a + b`, both sorted.
pub fn add_vectors(a: &Vector, b: &Vector) -> Vector {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(&(x, u)), Some(&(y, v))) if x == y => {
                if u + v != 0 {
                    out.push((x, u + v));
                }
                i += 1;
                j += 1;
            }
            (Some(&(x, u)), Some(&(y, _))) if x < y => {
                out.push((x, u));
                i += 1;
            }
            (Some(_), Some(&(y, v))) => {
                out.push((y, v));
                j += 1;
            }
            (Some(&(x, u)), None) => {
                out.push((x, u));
                i += 1;
            }
            (None, Some(&(y, v))) => {
                out.push((y, v));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// A group no table publishes but subtracting tables could give (the respondents of a cell
/// whom a filter, a blank weight or a left-out 無回答 keeps out of another table): its
/// vector, its size, and which entries to hide first if it comes out.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub vector: Vector,
    pub value: u64,
    /// Entries to hide first, when the attacker's combination uses them (the other
    /// table's cell in the same place).
    pub prefer: Vec<EntryRef>,
    /// The cell the group is part of: complements go near it when nothing else will do.
    pub near: EntryRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub tables: Vec<Suppressed>,
    /// Per table, per extra entry: hidden.
    pub extras_hidden: Vec<Vec<bool>>,
}

/// The system was too large to check (classes × entries): the caller refuses the export
/// rather than publish what it could not check.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLarge {
    pub classes: usize,
    pub entries: usize,
}

/// The largest dense system checked (classes × shown entries), about 64 MB of residues.
pub const MAX_SYSTEM: usize = 8_000_000;

/// Suppresses `tables` as one system; `space` says what each cell is over the unknowns.
pub fn suppress_linked(
    tables: &[Table],
    space: &Space,
    differences: &[Difference],
    rules: Rules,
) -> Result<Linked, TooLarge> {
    let mut grids: Vec<Margined> = tables.iter().map(|t| Margined::new(&t.counts)).collect();
    let mut extras: Vec<Vec<Mark>> = tables
        .iter()
        .map(|t| {
            t.extras
                .iter()
                .map(|&n| {
                    if n > 0 && n < rules.min_count {
                        Mark::Primary
                    } else {
                        Mark::Shown
                    }
                })
                .collect()
        })
        .collect();
    let system = System::new(tables, space);
    if system.k * system.entries.len() > MAX_SYSTEM {
        return Err(TooLarge {
            classes: system.k,
            entries: system.entries.len(),
        });
    }
    // The number of respondents is public (every whole-survey table's total says it): an
    // entry that counts everyone once is known whatever is hidden.
    let everyone = &space.everyone;
    let public: Vec<bool> = system.vectors.iter().map(|v| v == everyone).collect();
    for (i, e) in system.entries.iter().enumerate() {
        if let (true, Pos::Grid(r, c)) = (public[i], e.pos) {
            grids[e.table].public[r][c] = true;
        }
    }
    for g in &mut grids {
        g.mark_primary(rules);
        g.settle();
    }
    let value = |grids: &[Margined], e: EntryRef| match e.pos {
        Pos::Grid(r, c) => grids[e.table].n[r][c],
        Pos::Extra(k) => tables[e.table].extras[k],
    };
    let hidden = |grids: &[Margined], extras: &[Vec<Mark>], e: EntryRef| match e.pos {
        Pos::Grid(r, c) => grids[e.table].marks[r][c].hidden(),
        Pos::Extra(k) => extras[e.table][k].hidden(),
    };
    // Entries that may still be hidden as a complement: shown, non-zero, not public.
    let can_hide = |grids: &[Margined], extras: &[Vec<Mark>], i: usize| {
        let e = system.entries[i];
        !public[i] && !hidden(grids, extras, e) && value(grids, e) > 0
    };
    loop {
        // Source 0 is the number of respondents; then every shown entry (a shown 0 is an
        // equation too: over every combination of answers it is not an empty vector).
        let mut basis = Basis::new(system.k);
        basis.insert(system.dense(everyone));
        let mut source_entry = vec![usize::MAX];
        for i in 0..system.entries.len() {
            let e = system.entries[i];
            if !hidden(&grids, &extras, e) {
                basis.insert(system.dense(&system.vectors[i]));
                source_entry.push(i);
            }
        }
        // What an attacker must not work out: every hidden entry (never 0, see
        // `Margined::pick`), and every small difference; each with the vector it is
        // worked out as and the entries to hide first.
        // (vector, entries to hide first, the hidden entry itself (complements go to its
        // table first) or a difference's cell, the entries the attacker combines)
        type Want = (
            Vector,
            Vec<EntryRef>,
            Option<EntryRef>,
            EntryRef,
            Vec<usize>,
        );
        let mut todo: Vec<Want> = Vec::new();
        let entries_of = |sources: Vec<usize>| -> Vec<usize> {
            sources
                .into_iter()
                .filter_map(|s| source_entry.get(s).copied().filter(|&i| i != usize::MAX))
                .collect()
        };
        for (i, &e) in system.entries.iter().enumerate() {
            if hidden(&grids, &extras, e) && value(&grids, e) > 0 {
                if let Some(by) = basis.derive(system.dense(&system.vectors[i])) {
                    todo.push((
                        system.vectors[i].clone(),
                        Vec::new(),
                        Some(e),
                        e,
                        entries_of(by),
                    ));
                }
            }
        }
        for d in differences {
            if d.value > 0 && d.value < rules.min_count {
                if let Some(by) = basis.derive(system.dense(&d.vector)) {
                    todo.push((
                        d.vector.clone(),
                        d.prefer.clone(),
                        None,
                        d.near,
                        entries_of(by),
                    ));
                }
            }
        }
        if todo.is_empty() {
            break;
        }
        // One more hidden entry per table and round, then each table settles again.
        let mut touched = vec![false; tables.len()];
        let mut progress = false;
        // Entries hidden this round: a combination that used one is broken already, and
        // is looked at again next round rather than answered from a stale list.
        let mut hidden_now: Vec<EntryRef> = Vec::new();
        for (vector, wants, target, near, by) in todo {
            if touched[near.table] || by.iter().any(|&i| hidden_now.contains(&system.entries[i])) {
                continue;
            }
            // 1. The same people counted in another table (the same cell twice): hiding
            //    anything else can't break that identity.
            let twin = (0..system.entries.len())
                .filter(|&i| system.vectors[i] == vector && can_hide(&grids, &extras, i))
                .min_by_key(|&i| value(&grids, system.entries[i]));
            // 2. The entries asked for first (a difference: the smaller table's cell), when
            //    the attacker's combination uses them.
            let preferred = || {
                wants
                    .iter()
                    .map(|&e| system.index(e))
                    .find(|&i| by.contains(&i) && can_hide(&grids, &extras, i))
            };
            // 3. One of the published entries the attacker would combine to get it: one of
            //    its own table before another's (complementary suppression as usual), an
            //    inner cell before a total, the smallest first.
            let home = target.map(|e| e.table);
            let margin = |i: usize| match system.entries[i].pos {
                Pos::Grid(r, c) => {
                    r == grids[system.entries[i].table].rows
                        || c == grids[system.entries[i].table].cols
                }
                Pos::Extra(_) => true,
            };
            let combined = || {
                by.iter()
                    .copied()
                    .filter(|&i| can_hide(&grids, &extras, i))
                    .min_by_key(|&i| {
                        // An entry published again elsewhere (the same people) is no use
                        // hidden here alone.
                        let echoed = (0..system.entries.len()).any(|j| {
                            j != i
                                && system.vectors[j] == system.vectors[i]
                                && !hidden(&grids, &extras, system.entries[j])
                        });
                        (
                            Some(system.entries[i].table) != home,
                            tables[system.entries[i].table].whole,
                            echoed,
                            margin(i),
                            value(&grids, system.entries[i]),
                        )
                    })
            };
            let mut done;
            if let Some(i) = twin.or_else(preferred).or_else(combined) {
                let e = system.entries[i];
                hide(&mut grids, &mut extras, e);
                hidden_now.push(e);
                touched[e.table] = true;
                done = true;
            } else {
                let e = near;
                // 4. The smallest shown entry of its row or column, else of its table.
                let t = e.table;
                done = match e.pos {
                    Pos::Grid(r, c) => grids[t].hide_near(r, c),
                    Pos::Extra(_) => match grids[t].smallest_shown() {
                        Some((r, c)) => {
                            grids[t].marks[r][c] = Mark::Complementary;
                            true
                        }
                        None => false,
                    },
                };
                touched[t] |= done;
            }
            if !done {
                // 5. Nothing left there: the smallest entry of any table that counts some
                //    of the same people.
                let next = (0..system.entries.len())
                    .filter(|&i| can_hide(&grids, &extras, i))
                    .filter(|&i| {
                        system.vectors[i]
                            .iter()
                            .any(|(k, _)| vector.iter().any(|(x, _)| x == k))
                    })
                    .min_by_key(|&i| value(&grids, system.entries[i]));
                if let Some(i) = next {
                    let e = system.entries[i];
                    hide(&mut grids, &mut extras, e);
                    hidden_now.push(e);
                    touched[e.table] = true;
                    done = true;
                }
            }
            progress |= done;
        }
        if !progress {
            // Every entry that could be hidden is (then only public counts are shown).
            break;
        }
        for (t, g) in grids.iter_mut().enumerate() {
            if touched[t] {
                g.settle();
            }
        }
    }
    Ok(Linked {
        extras_hidden: extras
            .iter()
            .map(|e| e.iter().map(|m| m.hidden()).collect())
            .collect(),
        tables: grids.into_iter().map(Margined::into_suppressed).collect(),
    })
}

fn hide(grids: &mut [Margined], extras: &mut [Vec<Mark>], e: EntryRef) {
    match e.pos {
        Pos::Grid(r, c) => grids[e.table].marks[r][c] = Mark::Complementary,
        Pos::Extra(k) => extras[e.table][k] = Mark::Complementary,
    }
}

/// Every entry of every table as a sparse vector over the classes that have respondents.
struct System {
    entries: Vec<EntryRef>,
    /// Per entry: its vector over the unknowns.
    vectors: Vec<Vector>,
    /// The unknowns.
    k: usize,
    /// Per table: where its grid and its extras start in `entries`, and its grid's width.
    offsets: Vec<usize>,
    extra_offsets: Vec<usize>,
    widths: Vec<usize>,
}

impl System {
    fn new(tables: &[Table], space: &Space) -> System {
        let mut entries = Vec::new();
        let mut vectors = Vec::new();
        let mut offsets = Vec::new();
        let mut widths = Vec::new();
        let mut extra_offsets = Vec::new();
        for (t, table) in tables.iter().enumerate() {
            offsets.push(entries.len());
            let rows = table.counts.len();
            let cols = table.counts.iter().map(Vec::len).max().unwrap_or(0);
            widths.push(cols + 1);
            let cell = |r: usize, c: usize| -> Vector {
                space.cells[t]
                    .get(r)
                    .and_then(|row| row.get(c))
                    .cloned()
                    .unwrap_or_default()
            };
            // A total is the sum of its cells.
            let mut col_sums = vec![Vec::new(); cols + 1];
            for r in 0..=rows {
                let mut row_sum = Vec::new();
                for c in 0..=cols {
                    let v = if r == rows {
                        col_sums[c].clone()
                    } else if c == cols {
                        row_sum.clone()
                    } else {
                        let v = cell(r, c);
                        row_sum = add_vectors(&row_sum, &v);
                        col_sums[c] = add_vectors(&col_sums[c], &v);
                        v
                    };
                    if r < rows && c == cols {
                        col_sums[cols] = add_vectors(&col_sums[cols], &row_sum);
                    }
                    entries.push(EntryRef {
                        table: t,
                        pos: Pos::Grid(r, c),
                    });
                    vectors.push(v);
                }
            }
            extra_offsets.push(entries.len());
            for k in 0..table.extras.len() {
                entries.push(EntryRef {
                    table: t,
                    pos: Pos::Extra(k),
                });
                vectors.push(space.extras[t].get(k).cloned().unwrap_or_default());
            }
        }
        System {
            vectors,
            entries,
            k: space.k,
            offsets,
            extra_offsets,
            widths,
        }
    }

    fn index(&self, e: EntryRef) -> usize {
        match e.pos {
            Pos::Grid(r, c) => self.offsets[e.table] + r * self.widths[e.table] + c,
            Pos::Extra(k) => self.extra_offsets[e.table] + k,
        }
    }

    /// A sparse vector as dense residues.
    fn dense(&self, v: &[(usize, i64)]) -> Vec<u64> {
        let mut out = vec![0u64; self.k];
        for &(k, m) in v {
            if k < self.k {
                out[k] = add(out[k], m.rem_euclid(P as i64) as u64);
            }
        }
        out
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
