//! `Dense`: the codes of a column's numbers written plainly (whole numbers, or decimals
//! of one scale read as their digits), in an array indexed by the number less a base.
//!
//! Why a base: the array is kept within a few times the column's distinct values, so that
//! memory stays proportional to them. From 0, a column of ids that starts at 500,001 —
//! the second byte range of a million-row file read in parallel, or ids numbered from
//! 20260001 — never fits, and every id went to the packed dictionary (a hash lookup
//! that missed the cache, per row). From the first number seen (rounded down to
//! `ALIGN`), it fits as soon as the ids run on; a number below the base moves the base
//! down when the array would still fit.

use rustc_hash::FxHashMap;

use super::unpacked;

/// The base is a multiple of this.
const ALIGN: usize = 1024;

#[derive(Debug, Default)]
pub(super) struct Dense {
    /// The number of `slots[0]`.
    base: usize,
    /// A code per number from `base` (`u32::MAX` = not seen yet); a power-of-two length.
    slots: Vec<u32>,
}

impl Dense {
    /// The slot of `n` (a code, `u32::MAX` = not seen yet), the array grown or moved to
    /// hold it when that keeps its length within `2 × (distinct + ALIGN)`; `None` past
    /// that (the value then stays in `short`). When the array grows or moves, the values
    /// of `short` that `number` reads as a number it now holds move into it, codes kept.
    #[inline]
    pub(super) fn slot(
        &mut self,
        short: &mut FxHashMap<u64, u32>,
        distinct: u32,
        n: u32,
        number: impl Fn(&[u8]) -> Option<u32>,
    ) -> Option<&mut u32> {
        let n = n as usize;
        let end = self.base + self.slots.len();
        if n < self.base || n >= end {
            let limit = 2 * (distinct as usize + ALIGN);
            // The numbers the array is to hold: those it holds and `n`, from 0 when that
            // fits (the array of a column's first numbers), else from `n` rounded down.
            let (low, high) = match self.slots.is_empty() {
                true => (n, n + 1),
                false => (self.base.min(n), end.max(n + 1)),
            };
            let base = match high <= limit {
                true => 0,
                false => low - low % ALIGN,
            };
            if high - base > limit {
                return None;
            }
            let len = (high - base).next_power_of_two();
            let mut slots = vec![u32::MAX; len];
            if !self.slots.is_empty() {
                let from = self.base - base;
                slots[from..from + self.slots.len()].copy_from_slice(&self.slots);
            }
            short.retain(|&key, &mut code| {
                let (word, bytes) = unpacked(key);
                match number(&word[..bytes]).map(|m| (m as usize).wrapping_sub(base)) {
                    Some(i) if i < len => {
                        slots[i] = code;
                        false
                    }
                    _ => true,
                }
            });
            self.base = base;
            self.slots = slots;
        }
        self.slots.get_mut(n - self.base)
    }

    /// Every number seen, with its code.
    pub(super) fn codes(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        (self.slots.iter().enumerate())
            .filter(|&(_, &code)| code != u32::MAX)
            .map(|(i, &code)| (self.base + i, code))
    }

    /// True when the array holds a slot for `n`.
    #[cfg(test)]
    pub(super) fn holds(&self, n: usize) -> bool {
        (self.base..self.base + self.slots.len()).contains(&n)
    }
}
