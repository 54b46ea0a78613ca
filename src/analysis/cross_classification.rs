//! The full cross-classification of a few variables, as an attacker sets it up: the count
//! of every combination of their levels is an unknown, whether or not anybody gave it. A
//! published cell is a function of a few of the variables (its row, its column, its
//! filter's); written in the corner-point basis — the functions `Π_{i ∈ T} [x_i = l_i]`
//! for every set T of variables and every level `l_i ≠ 0` — it has coordinates only on
//! the sets T within its own variables, so a cell of a crosstab of two questions is a
//! handful of coordinates however many other variables the export has. The constant
//! function (T = ∅) is the number of respondents.
//!
//! The coordinates of a function given by its values on the grid of its variables are its
//! successive differences from level 0 along each axis (a Möbius transform), exactly, in
//! integers.

use std::collections::HashMap;

use crate::disclosure::linked::Vector;

/// The largest grid of one function's variables worked out (points).
pub const MAX_GRID: usize = 1 << 16;

pub(crate) struct Cover {
    /// Levels of each variable.
    sizes: Vec<usize>,
    /// A coordinate per `(variable, level)` set met so far.
    keys: HashMap<Vec<(u16, u16)>, usize>,
}

impl Cover {
    pub fn new(sizes: Vec<usize>) -> Cover {
        let mut keys = HashMap::new();
        keys.insert(Vec::new(), 0);
        Cover { sizes, keys }
    }

    /// Unknowns so far.
    pub fn k(&self) -> usize {
        self.keys.len()
    }

    /// The number of respondents: the constant function.
    pub fn everyone(&self) -> Vector {
        vec![(0, 1)]
    }

    /// The vector of the function `f` of the variables `on` (sorted, distinct); `f` gets
    /// one level per variable of `on`, in that order. None when the grid is too large.
    pub fn vector(&mut self, on: &[usize], f: &dyn Fn(&[usize]) -> i64) -> Option<Vector> {
        let sizes: Vec<usize> = on.iter().map(|&d| self.sizes[d]).collect();
        let points = sizes
            .iter()
            .try_fold(1usize, |a, &s| a.checked_mul(s).filter(|&n| n <= MAX_GRID))?;
        let mut values = vec![0i64; points];
        let mut level = vec![0usize; on.len()];
        for v in values.iter_mut() {
            *v = f(&level);
            // Next point, the last variable fastest.
            for j in (0..level.len()).rev() {
                level[j] += 1;
                if level[j] < sizes[j] {
                    break;
                }
                level[j] = 0;
            }
        }
        // Differences from level 0 along each axis.
        let mut stride = 1;
        for j in (0..on.len()).rev() {
            let size = sizes[j];
            for idx in 0..points {
                let l = (idx / stride) % size;
                if l != 0 {
                    // The point with this variable at 0 is never changed in this pass.
                    values[idx] -= values[idx - l * stride];
                }
            }
            stride *= size;
        }
        let mut out = Vec::new();
        for (idx, &v) in values.iter().enumerate() {
            if v == 0 {
                continue;
            }
            let mut key = Vec::new();
            let mut rest = idx;
            for j in (0..on.len()).rev() {
                let l = rest % sizes[j];
                rest /= sizes[j];
                if l != 0 {
                    key.push((on[j] as u16, l as u16));
                }
            }
            key.reverse();
            let next = self.keys.len();
            let k = *self.keys.entry(key).or_insert(next);
            out.push((k, v));
        }
        out.sort_unstable();
        Some(out)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::disclosure::linked::add_vectors;

    #[test]
    fn margins_add_up_and_share_coordinates() {
        // Two variables of 3 and 2 levels.
        let mut c = Cover::new(vec![3, 2]);
        let cell = |a: usize, b: usize| move |x: &[usize]| i64::from(x[0] == a && x[1] == b);
        let mut sum = Vec::new();
        for a in 0..3 {
            let v = c.vector(&[0, 1], &cell(a, 1)).unwrap();
            sum = add_vectors(&sum, &v);
        }
        // Σ_a [x0 = a][x1 = 1] is the margin [x1 = 1]: one coordinate.
        let margin = c.vector(&[1], &|x: &[usize]| i64::from(x[0] == 1)).unwrap();
        assert_eq!(sum, margin);
        // The whole table is the constant 1: the number of respondents.
        let all = c.vector(&[0, 1], &|_: &[usize]| 1).unwrap();
        assert_eq!(all, c.everyone());
        assert!(c.k() <= 6);
    }
}
