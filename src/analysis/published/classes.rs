//! Small groups subtraction would give, over the classes of respondents seen (the space
//! used where the full cross-classification can't be set up, `space.rs`): the respondents
//! of an entry of table T whom table U counts, and those it doesn't.

use std::collections::HashMap;

use super::{difference, same_shape, Builder, Def, Side};
use crate::stats::disclosure::linked::{Class, Difference, EntryRef, Table};

impl Builder<'_> {
    /// Small groups that subtracting one table of the cluster from another would give:
    /// the respondents of an entry of table T whom table U counts, and those it doesn't.
    pub(super) fn differences(
        &self,
        defs: &[Def],
        members: &[usize],
        counts: &[Table],
        classes: &[Class],
    ) -> Vec<Difference> {
        let mut out = Vec::new();
        let n = members.len();
        let in_table: Vec<Vec<bool>> = classes
            .iter()
            .map(|c| {
                let mut v = vec![false; n];
                for (e, _) in &c.entries {
                    v[e.table] = true;
                }
                v
            })
            .collect();
        for t in 0..n {
            for u in 0..n {
                if t == u {
                    continue;
                }
                // Per entry of T: (classes counted by U, classes not).
                let mut split: HashMap<EntryRef, [Side; 2]> = HashMap::new();
                for (k, c) in classes.iter().enumerate() {
                    let side = usize::from(!in_table[k][u]);
                    for &(e, m) in c.entries.iter().filter(|(e, _)| e.table == t) {
                        let s = &mut split.entry(e).or_default()[side];
                        s.0 += c.count;
                        s.1.push((k, m));
                    }
                }
                let twins =
                    same_shape(&defs[members[t]], &defs[members[u]], &counts[t], &counts[u]);
                // In a fixed order: the same file gives the same export every time.
                let mut split: Vec<(EntryRef, [Side; 2])> = split.into_iter().collect();
                split.sort_by_key(|(e, _)| *e);
                for (e, sides) in split {
                    if sides[0].1.is_empty() || sides[1].1.is_empty() {
                        continue;
                    }
                    for (value, group) in sides {
                        if value == 0 || value >= self.rules.min_count {
                            continue;
                        }
                        let mut vector: Vec<(usize, i64)> =
                            group.into_iter().map(|(k, m)| (k, m as i64)).collect();
                        vector.sort_unstable();
                        out.push(difference(vector, value, e, u, twins));
                    }
                }
            }
        }
        out
    }
}
