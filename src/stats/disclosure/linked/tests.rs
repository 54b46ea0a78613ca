//! The linked suppression on small hand-made systems.

use super::*;
use crate::stats::disclosure::modular::{inverse, mul, sub, Basis, P};

fn cell(table: usize, r: usize, c: usize) -> EntryRef {
    EntryRef {
        table,
        pos: Pos::Grid(r, c),
    }
}

/// Classes of a one-column tabulation seen as rows × 1: each category a class.
fn tab_classes(table: usize, counts: &[u64]) -> Vec<Class> {
    let rows = counts.len();
    counts
        .iter()
        .enumerate()
        .map(|(r, &n)| Class {
            count: n,
            entries: vec![
                (cell(table, r, 0), 1),
                (cell(table, r, 1), 1),
                (cell(table, rows, 0), 1),
                (cell(table, rows, 1), 1),
            ],
        })
        .collect()
}

#[test]
fn the_same_table_twice_hides_the_same_entries() {
    // 無回答 in one table (row 3) and left out of the other: the shared rows are the
    // same people. Suppressed alone, each table picks its own complement.
    let with = vec![vec![14], vec![2], vec![10], vec![7]];
    let without = vec![vec![14], vec![2], vec![10]];
    let mut classes = Vec::new();
    for (r, &n) in [14u64, 2, 10, 7].iter().enumerate() {
        let mut entries = vec![
            (cell(0, r, 0), 1),
            (cell(0, r, 1), 1),
            (cell(0, 4, 0), 1),
            (cell(0, 4, 1), 1),
        ];
        if r < 3 {
            entries.extend([
                (cell(1, r, 0), 1),
                (cell(1, r, 1), 1),
                (cell(1, 3, 0), 1),
                (cell(1, 3, 1), 1),
            ]);
        }
        classes.push(Class { count: n, entries });
    }
    let tables = vec![
        Table {
            counts: with,
            extras: vec![],
            whole: true,
        },
        Table {
            counts: without,
            extras: vec![],
            whole: true,
        },
    ];
    let out = suppress_linked(
        &tables,
        &Space::of_classes(&tables, &classes),
        &[],
        Rules::default(),
    )
    .unwrap();
    // Whatever each hides, the 2 can't come back from the pair: its row is hidden in
    // both, and so are at least one more shared row in each.
    assert!(out.tables[0].cells[1][0].hidden() && out.tables[1].cells[1][0].hidden());
    let system = System::new(&tables, &Space::of_classes(&tables, &classes));
    let shown_vectors: Vec<Vec<u64>> = system
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| match e.pos {
            Pos::Grid(r, c) => {
                let t = &out.tables[e.table];
                let rows = t.cells.len();
                let cols = t.cells[0].len();
                !(if r == rows && c == cols {
                    t.grand_total_hidden
                } else if r == rows {
                    t.col_totals_hidden[c]
                } else if c == cols {
                    t.row_totals_hidden[r]
                } else {
                    t.cells[r][c].hidden()
                })
            }
            Pos::Extra(_) => true,
        })
        .map(|(i, _)| system.dense(&system.vectors[i]))
        .collect();
    let mut basis = Basis::new(system.k);
    for v in shown_vectors {
        basis.insert(v);
    }
    let two = system.dense(&system.vectors[system.index(cell(0, 1, 0))]);
    assert!(!basis.contains(two));
}

#[test]
fn a_table_alone_is_suppressed_as_before() {
    let counts = [14u64, 2, 10, 7];
    let classes = tab_classes(0, &counts);
    let t = Table {
        counts: counts.iter().map(|&n| vec![n]).collect(),
        extras: vec![],
        whole: true,
    };
    let out = suppress_linked(
        std::slice::from_ref(&t),
        &Space::of_classes(std::slice::from_ref(&t), &classes),
        &[],
        Rules::default(),
    )
    .unwrap();
    assert_eq!(
        out.tables[0],
        super::super::suppress(&t.counts, Rules::default())
    );
}

#[test]
fn a_small_difference_is_protected() {
    // The same tabulation on everyone (table 0) and with one respondent of row 0 left
    // out by a filter (table 1): 5 − 4 would give that person's answer.
    let mut classes = Vec::new();
    for (r, &(inside, outside)) in [(4u64, 1u64), (6, 0), (8, 0)].iter().enumerate() {
        let both = vec![
            (cell(0, r, 0), 1),
            (cell(0, r, 1), 1),
            (cell(0, 3, 0), 1),
            (cell(0, 3, 1), 1),
            (cell(1, r, 0), 1),
            (cell(1, r, 1), 1),
            (cell(1, 3, 0), 1),
            (cell(1, 3, 1), 1),
        ];
        classes.push(Class {
            count: inside,
            entries: both.clone(),
        });
        classes.push(Class {
            count: outside,
            entries: both[..4].to_vec(),
        });
    }
    let tables = vec![
        Table {
            counts: vec![vec![5], vec![6], vec![8]],
            extras: vec![],
            whole: true,
        },
        Table {
            counts: vec![vec![4], vec![6], vec![8]],
            extras: vec![],
            whole: true,
        },
    ];
    let difference = Difference {
        vector: vec![(1, 1)],
        value: 1,
        prefer: vec![cell(1, 0, 0)],
        near: cell(0, 0, 0),
    };
    let plain = suppress_linked(
        &tables,
        &Space::of_classes(&tables, &classes),
        &[],
        Rules::default(),
    )
    .unwrap();
    assert!(
        !plain.tables[1].cells[0][0].hidden(),
        "nothing small in either"
    );
    let out = suppress_linked(
        &tables,
        &Space::of_classes(&tables, &classes),
        &[difference],
        Rules::default(),
    )
    .unwrap();
    assert!(out.tables[1].cells[0][0].hidden());
    // …and its complements, so that the grand total can't give it back.
    assert!(out.tables[1].complementary >= 2, "{:?}", out.tables[1]);
}

#[test]
fn modular_arithmetic_is_exact() {
    assert_eq!(mul(inverse(12345), 12345), 1);
    assert_eq!(sub(3, 5), P - 2);
    let mut b = Basis::new(3);
    b.insert(vec![1, 1, 0]);
    b.insert(vec![0, 1, 1]);
    assert!(b.contains(vec![1, 2, 1]));
    assert!(!b.contains(vec![1, 0, 0]));
    assert!(b.contains(vec![1, 0, P - 1]));
}
