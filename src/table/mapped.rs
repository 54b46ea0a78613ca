//! A column whose every row is a text chosen by another column's code (a recode, the
//! classes of a number: `model::derive`). Pushed row by row, each row's text was looked
//! up in the dictionary again: at a million rows, the national items' derived columns
//! made at every load took a seventh of `Session::loaded` (most of it in
//! `ColumnBuilder::longer`, their labels being longer than one byte). Here the text of
//! each source code is looked up once, the first time a row holds that code, so the
//! codes come out in the same order of first appearance as pushing every row's text.

use super::{Codes, ColumnBuilder, BLANK};

/// Codes mapped at a time (a buffer on the stack, then one `extend_from`).
const BATCH: usize = 1024;

/// Not looked up yet.
const UNSEEN: u32 = u32::MAX;

impl ColumnBuilder {
    /// Appends one row per code of `source`: the text `texts[code]` (blank for a code
    /// past `texts`), as `push` of that text would.
    pub fn push_mapped<S: AsRef<str>>(&mut self, source: &Codes, texts: &[S]) {
        let mut here = vec![UNSEEN; texts.len()];
        self.flush();
        match source {
            Codes::U8(v) => self.map_codes(v.iter().map(|&c| c as usize), texts, &mut here),
            Codes::U16(v) => self.map_codes(v.iter().map(|&c| c as usize), texts, &mut here),
            Codes::U32(v) => self.map_codes(v.iter().map(|&c| c as usize), texts, &mut here),
        }
    }

    /// `push_mapped` for one width of codes; `here[code]` is the code of `texts[code]` in
    /// this builder once a row has held it.
    fn map_codes<S: AsRef<str>>(
        &mut self,
        mut codes: impl Iterator<Item = usize>,
        texts: &[S],
        here: &mut [u32],
    ) {
        let mut buf = [BLANK; BATCH];
        loop {
            let mut n = 0;
            for (slot, code) in buf.iter_mut().zip(codes.by_ref()) {
                *slot = match here.get_mut(code) {
                    Some(known) if *known != UNSEEN => *known,
                    Some(known) => {
                        *known = self.code_of(texts[code].as_ref());
                        *known
                    }
                    None => BLANK,
                };
                n += 1;
            }
            if n == 0 {
                return;
            }
            self.codes.extend_from(&buf[..n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::*;

    fn built(rows: &[&str]) -> Column {
        let mut b = ColumnBuilder::new("src".into());
        rows.iter().for_each(|v| b.push(v));
        b.finish()
    }

    /// The same column, dictionary order included, as pushing each row's text, at every
    /// width of the source's codes, after rows already pushed and with rows pushed after.
    #[test]
    fn mapped_rows_are_the_rows_pushed_one_by_one() {
        let mut rng = fastrand::Rng::with_seed(16);
        for distinct in [3usize, 300, 70_000] {
            let values: Vec<String> = (0..distinct).map(|i| format!("{i}")).collect();
            let rows: Vec<&str> = (0..distinct * 3)
                .map(|_| match rng.usize(..10) {
                    0 => "",
                    _ => values[rng.usize(..distinct)].as_str(),
                })
                .collect();
            let source = built(&rows);
            // Several codes to one text, texts of every length the builder sorts by.
            let texts: Vec<String> = source
                .values
                .iter()
                .enumerate()
                .map(|(code, v)| match code % 5 {
                    0 => String::new(),
                    1 => "9".into(),
                    2 => format!("{}～{}歳", code % 7, code % 7 + 9),
                    3 => format!("{}", code % 11 + 10),
                    _ => v.to_string(),
                })
                .collect();
            let mut by_row = ColumnBuilder::new("d".into());
            let mut mapped = ColumnBuilder::new("d".into());
            for b in [&mut by_row, &mut mapped] {
                b.push("前");
                b.push("12");
            }
            for r in 0..source.len() {
                by_row.push(&texts[source.codes.get(r) as usize]);
            }
            mapped.push_mapped(&source.codes, &texts);
            for b in [&mut by_row, &mut mapped] {
                b.push("後");
            }
            assert_eq!(mapped.finish(), by_row.finish(), "{distinct} distinct");
        }
    }
}
