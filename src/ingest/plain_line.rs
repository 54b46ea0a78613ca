//! `split`: one line without quotes cut into its cells, eight bytes at a time.
//!
//! The CSV reader's plain-line path (`Parser::plain_lines`) ran through every byte of the
//! file twice (looking for a quote or CR, then for the delimiter); here one pass over
//! 8-byte words finds all three (portable bit tricks: the same code on wasm32).

/// The byte `b` in every byte of a word.
#[inline(always)]
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The high bit of each byte of `word` that equals `b`, and no other bit (exact: no
/// borrow runs from one byte into the next).
#[inline(always)]
fn bytes_equal(word: u64, b: u8) -> u64 {
    let x = word ^ splat(b);
    !(((x & splat(0x7f)) + splat(0x7f)) | x) & splat(0x80)
}

/// Pushes the cells of `body` (a line without its line end) as `(start, end)` spans into
/// `fields` (cleared first), split at `delimiter` (an ASCII byte other than `"`, CR and
/// LF). Returns false, with `fields` unspecified, when `body` holds a quote or a CR: such
/// a line is for csv-core.
#[inline]
pub(super) fn split(body: &[u8], delimiter: u8, fields: &mut Vec<(usize, usize)>) -> bool {
    fields.clear();
    let mut start = 0;
    let mut words = body.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if bytes_equal(word, b'"') | bytes_equal(word, b'\r') != 0 {
            return false;
        }
        // Little-endian: the lowest set bit is the first byte.
        let mut found = bytes_equal(word, delimiter);
        while found != 0 {
            let i = at + (found.trailing_zeros() / 8) as usize;
            fields.push((start, i));
            start = i + 1;
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        match b {
            b'"' | b'\r' => return false,
            _ if b == delimiter => {
                fields.push((start, at + i));
                start = at + i + 1;
            }
            _ => {}
        }
    }
    fields.push((start, body.len()));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the byte-by-byte rule gives: cells between delimiters, None with a quote or CR.
    fn by_bytes(body: &[u8], delimiter: u8) -> Option<Vec<(usize, usize)>> {
        if body.iter().any(|&b| b == b'"' || b == b'\r') {
            return None;
        }
        let mut fields = Vec::new();
        let mut start = 0;
        for (i, &b) in body.iter().enumerate() {
            if b == delimiter {
                fields.push((start, i));
                start = i + 1;
            }
        }
        fields.push((start, body.len()));
        Some(fields)
    }

    #[test]
    fn cells_are_those_of_the_byte_by_byte_rule() {
        // Every length around the 8-byte words, delimiters next to each other, at the
        // ends, bytes one bit away from the delimiter (`,` is 0x2C: 0x2D, 0xAC), UTF-8.
        let pieces: [&[u8]; 9] = [
            b",",
            b"1",
            b"-",
            &[0xAC],
            b"\t",
            "男性".as_bytes(),
            b";",
            b"\r",
            b"\"",
        ];
        let mut seed = 7u64;
        for len in 0..40 {
            for _ in 0..50 {
                let mut body = Vec::new();
                for _ in 0..len {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let p = pieces[(seed >> 33) as usize % pieces.len()];
                    // Quotes and CRs rarely, so that most lines split.
                    if (p == b"\r" || p == b"\"") && (seed >> 20) % 8 != 0 {
                        continue;
                    }
                    body.extend_from_slice(p);
                }
                for delimiter in [b',', b'\t', b';'] {
                    let mut fields = Vec::new();
                    let ok = split(&body, delimiter, &mut fields);
                    let want = by_bytes(&body, delimiter);
                    assert_eq!(ok, want.is_some(), "{body:?}");
                    if let Some(want) = want {
                        assert_eq!(fields, want, "{body:?}");
                    }
                }
            }
        }
    }
}
