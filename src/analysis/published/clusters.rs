//! Which tables of an export are linked: those that read a common file column (their
//! rows, columns, layer, filter or weight) are suppressed together; the rest are
//! independent.

use std::collections::HashMap;

use super::Def;

/// Groups of tables that share a file column (their own or their filter's), by union-find.
pub(super) fn clusters(defs: &[Def]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..defs.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        for c in &d.columns {
            match owner.get(c.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(c, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..defs.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort_by_key(|g| g[0]);
    out
}
