//! `TextIndex`: the dictionary of a column's long values (8 bytes or more: free-text
//! answers, long labels) while the column is built.
//!
//! Why not a `HashMap<Box<str>, u32>`: profiled on a million-row survey, its lookups were
//! a fifth of reading, waiting for memory: one cache miss for the control bytes, one for
//! the bucket, one for the string it points to (each string its own allocation). Here a
//! slot holds the value's place in one byte arena, its length, 16 bits of its hash and its
//! code, so a lookup reads one slot and, when the length and those bits agree, the bytes
//! themselves (compared in full: a code is never given by the hash alone).

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

/// Open addressing with linear probing; `code == 0` (the blank's code, never stored here)
/// marks an empty slot.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The value's start in `arena` (low 48 bits) and the top 16 bits of its hash.
    start_tag: u64,
    len: u32,
    code: u32,
}

const OFFSET_BITS: u32 = 48;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;

#[derive(Debug, Default)]
pub(super) struct TextIndex {
    /// Power-of-two length (or empty), at most half full.
    slots: Vec<Slot>,
    /// Every value back to back, in order of first appearance. Text, not bytes: handing
    /// the values out at `finish` then checks only that each slice is cut between
    /// characters, where validating each value's UTF-8 again took about 3 % of reading
    /// the million-row survey (its free-text columns hold 9 MB of Japanese).
    arena: String,
    entries: usize,
    /// Values a slot cannot describe (4 GiB or longer, or past 256 TiB of values): never
    /// in a real file, kept exactly all the same.
    huge: Vec<(Box<str>, u32)>,
}

#[inline]
fn hash(bytes: &[u8]) -> u64 {
    FxBuildHasher.hash_one(bytes)
}

impl TextIndex {
    /// The code of `value`, or `next` when it is new (then stored with that code).
    #[inline]
    pub(super) fn code_or_insert(&mut self, value: &str, next: u32) -> u32 {
        self.code_or_insert_hashed(value, hash(value.as_bytes()), next)
    }

    /// `code_or_insert` with the value's hash `h` (`hash_of`) already made.
    #[inline]
    pub(super) fn code_or_insert_hashed(&mut self, value: &str, h: u64, next: u32) -> u32 {
        let bytes = value.as_bytes();
        let Ok(len) = u32::try_from(bytes.len()) else {
            return self.huge_code(value, next);
        };
        if self.arena.len() as u64 + bytes.len() as u64 > OFFSET_MASK {
            return self.huge_code(value, next);
        }
        if (self.entries + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let tag = h >> OFFSET_BITS << OFFSET_BITS;
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.code == 0 {
                break;
            }
            if slot.len == len && slot.start_tag & !OFFSET_MASK == tag {
                let start = (slot.start_tag & OFFSET_MASK) as usize;
                if self.arena.as_bytes().get(start..start + bytes.len()) == Some(bytes) {
                    return slot.code;
                }
            }
            i = (i + 1) & mask;
        }
        let start = self.arena.len() as u64;
        self.arena.push_str(value);
        self.slots[i] = Slot {
            start_tag: start | tag,
            len,
            code: next,
        };
        self.entries += 1;
        next
    }

    /// The hash a value is looked up by (for `warm` and `code_or_insert_hashed`).
    #[inline]
    pub(super) fn hash_of(value: &str) -> u64 {
        hash(value.as_bytes())
    }

    /// Reads the slot of each of the values hashed to `hashes` (`hash_of`), and the first
    /// byte of the value that slot points to, so that `code_or_insert_hashed` of each,
    /// next, finds them in the cache (`ColumnBuilder::settle`): in two passes, the slots
    /// then the bytes, so that no load waits on another value's and their cache misses
    /// overlap. The slots are grown first for all the values, as inserting them would
    /// grow them, so the slots read are those looked up.
    pub(super) fn warm(&mut self, hashes: &[u64]) {
        if hashes.is_empty() {
            return;
        }
        while (self.entries + hashes.len()) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let arena = self.arena.as_bytes();
        let mut touched = 0u64;
        for part in hashes.chunks(super::STAGED) {
            let mut starts = [0usize; super::STAGED];
            for (start, &h) in starts.iter_mut().zip(part) {
                let slot = self
                    .slots
                    .get(h as usize & mask)
                    .copied()
                    .unwrap_or_default();
                *start = (slot.start_tag & OFFSET_MASK) as usize;
            }
            for &start in &starts[..part.len()] {
                touched ^= u64::from(arena.get(start).copied().unwrap_or(0));
            }
        }
        std::hint::black_box(touched);
    }

    #[cold]
    fn huge_code(&mut self, value: &str, next: u32) -> u32 {
        if let Some(&(_, code)) = self.huge.iter().find(|(v, _)| v.as_ref() == value) {
            return code;
        }
        self.huge.push((Box::from(value), next));
        next
    }

    /// Doubles the slots (16 at first) and puts every value back in its place.
    #[cold]
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); len]);
        let mask = len - 1;
        for slot in old.into_iter().filter(|s| s.code != 0) {
            let start = (slot.start_tag & OFFSET_MASK) as usize;
            let bytes = self
                .arena
                .as_bytes()
                .get(start..start + slot.len as usize)
                .unwrap_or(&[]);
            let mut i = hash(bytes) as usize & mask;
            while self.slots[i].code != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Every value with its code (in no particular order).
    pub(super) fn into_values(self) -> impl Iterator<Item = (Box<str>, u32)> {
        let arena = self.arena;
        let stored: Vec<(Box<str>, u32)> = self
            .slots
            .iter()
            .filter(|s| s.code != 0)
            .map(|s| {
                let start = (s.start_tag & OFFSET_MASK) as usize;
                // Whole `str`s went in, so each value is cut between characters.
                let text = arena.get(start..start + s.len as usize).unwrap_or_default();
                (Box::from(text), s.code)
            })
            .collect();
        stored.into_iter().chain(self.huge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kept_through_growth_and_lookups_compare_the_bytes() {
        // Thousands of values of equal length (the length check alone never decides),
        // each asked again after the table grew many times.
        let values: Vec<String> = (0..5_000).map(|n| format!("自由回答{n:06}")).collect();
        let mut index = TextIndex::default();
        for (i, v) in values.iter().enumerate() {
            assert_eq!(index.code_or_insert(v, i as u32 + 1), i as u32 + 1, "{v}");
        }
        for (i, v) in values.iter().enumerate().rev() {
            assert_eq!(index.code_or_insert(v, u32::MAX), i as u32 + 1, "{v}");
        }
        let mut back: Vec<(Box<str>, u32)> = index.into_values().collect();
        back.sort_by_key(|&(_, code)| code);
        let got: Vec<&str> = back.iter().map(|(v, _)| v.as_ref()).collect();
        let want: Vec<&str> = values.iter().map(String::as_str).collect();
        assert_eq!(got, want);
    }
}
