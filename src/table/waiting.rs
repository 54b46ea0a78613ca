//! `Waiting`: a column's long values (free text) pushed since its last flush, whose codes
//! are looked up together when the column's staged codes are flushed
//! (`ColumnBuilder::settle`).
//!
//! Why: a lookup in `TextIndex` waits on memory twice (its slot, then the value's bytes
//! in the arena), and one at a time, with a whole row of other cells between two of
//! them, the processor can't start the next before the last is done: profiled on the
//! million-row survey, its 750,000 free-text cells took about 150 ms, 200 ns each.
//! Looked up `STAGED` rows at a time, the loads of every value of the batch are started
//! before the first is compared (`TextIndex::warm`), and their waits overlap.

/// The values back to back, and for each one where it ends in `text` and the place in
/// the builder's staged codes its code goes to.
#[derive(Debug, Default)]
pub(super) struct Waiting {
    text: String,
    items: Vec<(usize, usize)>,
}

/// Longest value that waits: a longer one is looked up at once (after those waiting),
/// so that a column's waiting values hold at most `STAGED` times this many bytes.
pub(super) const WAIT_MAX: usize = 1024;

impl Waiting {
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds `value`, whose code goes to the staged place `staged`.
    #[inline]
    pub(super) fn push(&mut self, value: &str, staged: usize) {
        self.text.push_str(value);
        self.items.push((self.text.len(), staged));
    }

    /// Each value with its staged place, in the order pushed.
    pub(super) fn values(&self) -> impl Iterator<Item = (&str, usize)> + Clone + '_ {
        let mut start = 0;
        self.items.iter().map(move |&(end, staged)| {
            // Whole `str`s went in, so each value is cut between characters.
            let value = self.text.get(start..end).unwrap_or_default();
            start = end;
            (value, staged)
        })
    }

    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.items.clear();
    }
}
