//! UTF-8 input read as it is: each chunk validated and parsed where it lies, not decoded
//! into a copy (`Parser::feed_utf8`).
//!
//! Why: through encoding_rs every chunk was copied, and its decoder is one function of
//! 35 KB for every encoding (a `match` on the encoding). In the worker, V8 compiled that
//! whole function with its optimising compiler as soon as a file was read (48 ms of one of
//! this machine's two cores, `--trace-wasm-compilation-times` on the bench's 10k file,
//! beside a load of 60–150 ms), though a UTF-8 file needs only its validation. Here a
//! chunk is checked with simdutf8 (as encoding_rs validates); the bytes of a character
//! cut by the chunk's end wait for the next chunk (`carry`). At the first byte that is
//! not UTF-8 the decoder takes over for the rest of the file, from a character's start,
//! so every undecodable byte is counted and placed exactly as before. (The delimiter's
//! sniffing reads a valid head the same way: `as_text`.)

use encoding_rs::UTF_8;

use super::{Parser, ReadError};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The length of the character that starts with `lead` (1 for a byte that starts none:
/// left to validation).
fn width(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 1,
    }
}

/// How many of `bytes` end with a whole character: all of them, or up to the start of a
/// last character whose bytes are not all there yet (its lead byte asks for more). Bytes
/// that are not UTF-8 are left to validation.
fn whole_characters(bytes: &[u8]) -> usize {
    let len = bytes.len();
    let from = len.saturating_sub(4);
    let Some(lead) = (from..len).rev().find(|&i| bytes[i] & 0xC0 != 0x80) else {
        return len;
    };
    if lead + width(bytes[lead]) > len {
        lead
    } else {
        len
    }
}

/// The text the decoder (with its byte-order mark removal) gives for `head` (UTF-8, the
/// file's first bytes; `complete`: the whole file) when every whole character of them is
/// valid: a character cut by the end waits in the decoder unless the file ends there.
/// `None` when the decoder is needed.
pub(super) fn as_text(head: &[u8], complete: bool) -> Option<&str> {
    let bytes = head.strip_prefix(BOM).unwrap_or(head);
    let end = match complete {
        true => bytes.len(),
        false => whole_characters(bytes),
    };
    simdutf8::basic::from_utf8(&bytes[..end]).ok()
}

impl Parser {
    /// Validates and parses a chunk of UTF-8 input (the decoder's work when the file is
    /// UTF-8, without its copy); the first bytes that are not UTF-8 go to the decoder, which
    /// then reads the rest of the file.
    pub(super) fn feed_utf8(&mut self, bytes: &[u8], last: bool) -> Result<(), ReadError> {
        let mut bytes = bytes;
        // The byte-order mark at the start, skipped as the decoder skips it (counted all
        // the same); too few bytes to tell: the decoder decides.
        if self.skip_bom && self.decoded_in == 0 && self.carry.is_empty() {
            if bytes.starts_with(BOM) {
                bytes = &bytes[BOM.len()..];
                self.decoded_in += BOM.len() as u64;
            } else if !bytes.is_empty() && BOM.starts_with(bytes) {
                return self.leave_utf8(bytes, last);
            }
        }
        // The character cut by the last chunk's end, completed.
        if !self.carry.is_empty() {
            // (`carry` starts with the lead byte of a character longer than it.)
            let width = width(self.carry[0]);
            let take = width.saturating_sub(self.carry.len()).min(bytes.len());
            self.carry.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.carry.len() < width && !last {
                return Ok(());
            }
            let carry = std::mem::take(&mut self.carry);
            match std::str::from_utf8(&carry) {
                Ok(text) => {
                    self.decoded_in += carry.len() as u64;
                    self.parse(text)?;
                }
                Err(_) => {
                    let mut rest = carry;
                    rest.extend_from_slice(bytes);
                    return self.leave_utf8(&rest, last);
                }
            }
        }
        let whole = whole_characters(bytes);
        let (head, tail) = bytes.split_at(whole);
        match simdutf8::basic::from_utf8(head) {
            Ok(text) => {
                self.decoded_in += head.len() as u64;
                // (An empty input would tell csv-core the data has ended.)
                if !text.is_empty() {
                    self.parse(text)?;
                }
                match last && !tail.is_empty() {
                    // A character cut by the end of the file: undecodable.
                    true => self.leave_utf8(tail, true),
                    false => {
                        self.carry.extend_from_slice(tail);
                        Ok(())
                    }
                }
            }
            Err(_) => self.leave_utf8(bytes, last),
        }
    }

    /// Hands `bytes` (from a character's start) and the rest of the file to the decoder.
    fn leave_utf8(&mut self, bytes: &[u8], last: bool) -> Result<(), ReadError> {
        self.direct = false;
        // (Untouched until now, the decoder still skips a byte-order mark at the start.)
        if self.decoded_in > 0 {
            self.decoder = UTF_8.new_decoder_without_bom_handling();
        }
        self.decode(bytes, last)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EncodingGuess, ReadOptions};
    use super::*;
    use crate::ingest::encoding::Confidence;

    #[test]
    fn the_head_as_text_is_what_the_decoder_gives() {
        let file = "\u{FEFF}番号,性別\n1,男性\n".as_bytes();
        for cut in 0..=file.len() {
            for complete in [false, true] {
                let head = &file[..cut];
                let mut decoder = UTF_8.new_decoder_with_bom_removal();
                let mut want = String::with_capacity(cut * 3 + 16);
                let _ = decoder.decode_to_string(head, &mut want, complete);
                if let Some(text) = as_text(head, complete) {
                    // (A head shorter than the mark: the decoder keeps it back.)
                    if head.len() >= BOM.len() {
                        assert_eq!(text, want, "cut {cut}, complete {complete}");
                    }
                } else {
                    assert!(complete, "cut {cut}: only a file's end cuts a character");
                }
            }
        }
    }

    #[test]
    fn a_cut_character_waits_and_whole_ones_pass() {
        let text = "a,男性\n".as_bytes();
        assert_eq!(whole_characters(text), text.len());
        // Cut inside 性 (3 bytes, starting at 5): the cut waits from 5.
        assert_eq!(whole_characters(&text[..6]), 5);
        assert_eq!(whole_characters(&text[..7]), 5);
        assert_eq!(whole_characters(&text[..8]), 8);
        assert_eq!(whole_characters("😀".as_bytes()), 4);
        assert_eq!(whole_characters(&"😀".as_bytes()[..3]), 0);
        assert_eq!(whole_characters(b""), 0);
        // Not UTF-8: left to validation.
        assert_eq!(whole_characters(b"\x80\x80\x80\x80\x80"), 5);
        assert_eq!(whole_characters(b"a\xFF"), 2);
    }

    fn parser(direct: bool, skip_bom: bool) -> Box<Parser> {
        let guess = EncodingGuess {
            encoding: UTF_8,
            bom_len: 0,
            confidence: Confidence::Certain,
        };
        let mut p = Box::new(Parser::new(guess, b',', &ReadOptions::default()));
        p.direct = direct;
        if !skip_bom {
            p.skip_bom = false;
            p.decoder = UTF_8.new_decoder_without_bom_handling();
        }
        p
    }

    #[test]
    fn read_as_it_is_the_input_gives_what_the_decoder_gives() {
        // Random input from pieces that cut characters anywhere: ASCII, 2-, 3- and 4-byte
        // characters, byte-order marks (at the start and inside), bytes that are never
        // UTF-8, lone continuation bytes, characters cut short; read in random chunks,
        // directly and through the decoder: the same table, warnings, information.
        let pieces: [&[u8]; 14] = [
            b"a",
            b",",
            b"\n",
            b"\r\n",
            b"12",
            "é".as_bytes(),
            "男性".as_bytes(),
            "😀".as_bytes(),
            BOM,
            b"\xFF",
            b"\x80",
            b"\xE7\x94",
            b"\"",
            b"\xF0\x9F",
        ];
        let mut rng = fastrand::Rng::with_seed(9);
        for round in 0..3000 {
            let mut input = Vec::new();
            if rng.bool() {
                input.extend_from_slice(BOM);
            }
            // Mostly valid input, so that the direct path runs long before leaving.
            let invalid_share = rng.usize(..4);
            for _ in 0..rng.usize(..60) {
                let p = pieces[rng.usize(..pieces.len())];
                let odd = p == b"\xFF" || p == b"\x80" || p == b"\xE7\x94" || p == b"\xF0\x9F";
                if odd && rng.usize(..4) >= invalid_share {
                    continue;
                }
                input.extend_from_slice(p);
            }
            for skip_bom in [true, false] {
                let mut results = Vec::new();
                for direct in [false, true] {
                    let mut p = parser(direct, skip_bom);
                    let mut rest = &input[..];
                    let mut fed = Ok(());
                    while !rest.is_empty() && fed.is_ok() {
                        let n = rng.usize(1..=rest.len().min(7));
                        fed = p.feed(&rest[..n], false);
                        rest = &rest[n..];
                    }
                    results.push(fed.and_then(|()| p.finish(input.len() as u64)));
                }
                assert_eq!(
                    results[0], results[1],
                    "round {round}, skip_bom {skip_bom}: {input:?}"
                );
            }
        }
    }
}
