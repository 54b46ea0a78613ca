//! `Dense`: the codes of a column's numbers written plainly (whole numbers, or decimals
//! of one scale read as their digits), in an array indexed by the number less a base.
//!
//! Why a base: the array is kept within a few times the column's distinct values, so that
//! memory stays proportional to them. From 0, a column of ids that starts at 500,001 —
//! the second byte range of a million-row file read in parallel, or ids numbered from
//! 20260001 — never fits, and every id went to the packed dictionary (a hash lookup
//! that missed the cache, per row). From the lowest number held (rounded down to
//! `ALIGN`), it fits as soon as the ids run on; a number below the base moves the base
//! down when the numbers held still span few enough. Ids in descending order, a
//! million of them: about 0.1 s, as ascending ones (measured once, release build).

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
    /// The lowest number held, and one past the highest (when `slots` is not empty).
    low: usize,
    high: usize,
}

impl Dense {
    /// The slot of `n` (a code, `u32::MAX` = not seen yet), the array grown or moved to
    /// hold it when the numbers it would hold span at most `2 × (distinct + ALIGN)`;
    /// `None` past that (the value then stays in `short`). When the array grows or moves,
    /// the values of `short` that `number` reads as a number it now holds move into it,
    /// codes kept.
    #[inline]
    pub(super) fn slot(
        &mut self,
        short: &mut FxHashMap<u64, u32>,
        distinct: u32,
        n: u32,
        number: impl Fn(&[u8]) -> Option<u32>,
    ) -> Option<&mut u32> {
        let n = n as usize;
        if n < self.base || n >= self.base + self.slots.len() {
            let (low, high) = match self.slots.is_empty() {
                true => (n, n + 1),
                false => (self.low.min(n), self.high.max(n + 1)),
            };
            let limit = 2 * (distinct as usize + ALIGN);
            if high - low > limit {
                return None;
            }
            // From 0 when that fits (a column's first numbers); moving down, from as low
            // as the limit allows (ids in descending order move the array once per
            // doubling, not every `ALIGN`); else from the lowest, rounded down.
            let floor = low - low % ALIGN;
            let base = match (high <= limit, n < self.base) {
                (true, _) => 0,
                (false, true) => (high - limit).next_multiple_of(ALIGN).min(floor),
                (false, false) => floor,
            };
            self.relay(base, (high - base).next_power_of_two(), short, number);
        }
        self.hold(n);
        self.slots.get_mut(n - self.base)
    }

    /// Widens `low..high` to hold `n`.
    #[inline]
    fn hold(&mut self, n: usize) {
        self.low = if self.high == 0 { n } else { self.low.min(n) };
        self.high = self.high.max(n + 1);
    }

    /// Lays the array out anew from `base`, `len` slots (holding every number it held),
    /// and moves into it the values of `short` it can hold.
    fn relay(
        &mut self,
        base: usize,
        len: usize,
        short: &mut FxHashMap<u64, u32>,
        number: impl Fn(&[u8]) -> Option<u32>,
    ) {
        let mut slots = vec![u32::MAX; len];
        // (The numbers held lie in `low..high`: the rest of the old array is unseen.)
        let held = match self.slots.is_empty() {
            true => None,
            false => self.slots.get(self.low - self.base..self.high - self.base),
        };
        if let Some(held) = held {
            let from = self.low - base;
            slots[from..from + held.len()].copy_from_slice(held);
        }
        short.retain(|&key, &mut code| {
            let (word, bytes) = unpacked(key);
            match number(&word[..bytes]).map(|m| m as usize) {
                Some(m) if m.wrapping_sub(base) < len => {
                    slots[m - base] = code;
                    self.hold(m);
                    false
                }
                _ => true,
            }
        });
        self.base = base;
        self.slots = slots;
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
