//! Which text encoding a file is in. Japanese survey files come as CP932 (Excel on
//! Windows), UTF-8 with or without a BOM, UTF-16 (Excel's "Unicode text") and, rarely,
//! EUC-JP. The guess is made on the first bytes and says how sure it is; the user can
//! always override it.

use encoding_rs::{Encoding, EUC_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use serde::{Deserialize, Serialize};

/// How far a guess can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A byte-order mark, or the user chose it.
    Certain,
    /// The bytes decode without a single error in this encoding and not in the others.
    High,
    /// Plausible, but the file is ambiguous (e.g. all ASCII, or errors either way).
    Low,
}

/// The encodings a user can pick; names are the ones shown in the UI and accepted by
/// `--encoding`.
pub const CHOICES: &[(&str, &str)] = &[
    ("utf-8", "UTF-8"),
    ("shift_jis", "Shift_JIS (CP932, Windows)"),
    ("euc-jp", "EUC-JP"),
    ("utf-16le", "UTF-16LE (Excel Unicode テキスト)"),
    ("utf-16be", "UTF-16BE"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingGuess {
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark at the start of the file, skipped when decoding.
    pub bom_len: usize,
    pub confidence: Confidence,
}

impl EncodingGuess {
    /// The name users know: CP932 rather than WHATWG's "Shift_JIS".
    pub fn display_name(&self) -> String {
        let base = display_name(self.encoding);
        if self.bom_len > 0 {
            format!("{base} (BOM)")
        } else {
            base.to_string()
        }
    }
}

pub fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == SHIFT_JIS {
        "CP932 (Shift_JIS)"
    } else if encoding == EUC_JP {
        "EUC-JP"
    } else if encoding == UTF_16LE {
        "UTF-16LE"
    } else if encoding == UTF_16BE {
        "UTF-16BE"
    } else {
        encoding.name()
    }
}

/// Looks up an encoding by a label a user might type: WHATWG labels plus "cp932" and
/// "windows-31j", which Python and Java use but browsers don't know.
pub fn by_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase().replace('_', "-");
    match l.as_str() {
        "cp932" | "windows-31j" | "ms932" | "sjis" | "shift-jis" | "shiftjis" => Some(SHIFT_JIS),
        "eucjp" | "euc-jp" => Some(EUC_JP),
        "utf8" => Some(UTF_8),
        "utf16" | "utf-16" | "utf16le" => Some(UTF_16LE),
        "utf16be" => Some(UTF_16BE),
        _ => Encoding::for_label(l.as_bytes()).or_else(|| Encoding::for_label(label.as_bytes())),
    }
}

/// The user's choice: honour a BOM of that same encoding, otherwise decode every byte.
pub fn forced(encoding: &'static Encoding, head: &[u8]) -> EncodingGuess {
    let bom_len = match Encoding::for_bom(head) {
        Some((e, len)) if e == encoding => len,
        _ => 0,
    };
    EncodingGuess {
        encoding,
        bom_len,
        confidence: Confidence::Certain,
    }
}

/// Guesses the encoding from the first bytes of a file. `complete` says whether `head` is
/// the whole file (so an incomplete character at its end is an error, not a cut).
pub fn detect(head: &[u8], complete: bool) -> EncodingGuess {
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return EncodingGuess {
            encoding,
            bom_len,
            confidence: Confidence::Certain,
        };
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return EncodingGuess {
            encoding,
            bom_len: 0,
            confidence: Confidence::Low,
        };
    }
    if is_utf8(head, complete) {
        let ascii_only = head.is_ascii();
        return EncodingGuess {
            encoding: UTF_8,
            bom_len: 0,
            confidence: if ascii_only {
                Confidence::Low
            } else {
                Confidence::High
            },
        };
    }
    // Not UTF-8: compare the two Japanese legacy encodings by their decoding errors, and
    // let chardetng (Firefox's detector) break ties. EUC-JP's errors are counted only as
    // far as they can change the outcome (one more than Shift_JIS's): a CP932 file decoded
    // as EUC-JP errs on most of its characters, and counting them all cost more than
    // reading the file (issue 16).
    let sjis = legacy_errors(SHIFT_JIS, head, complete, usize::MAX);
    let euc = legacy_errors(EUC_JP, head, complete, sjis.saturating_add(1));
    let (encoding, errors, other_errors) = if sjis < euc {
        (SHIFT_JIS, sjis, euc)
    } else if euc < sjis {
        (EUC_JP, euc, sjis)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(head, complete);
        match detector.guess(Some(b"jp"), chardetng::Utf8Detection::Allow) {
            hint if hint == EUC_JP => (EUC_JP, euc, sjis),
            _ => (SHIFT_JIS, sjis, euc),
        }
    };
    let confidence = if errors == 0 && other_errors > 0 {
        Confidence::High
    } else {
        Confidence::Low
    };
    EncodingGuess {
        encoding,
        bom_len: 0,
        confidence,
    }
}

/// UTF-16 without a BOM shows as NUL bytes in every other position of ASCII text.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_odd = sample
        .chunks_exact(2)
        .filter(|p| p[1] == 0 && p[0] != 0)
        .count();
    let nul_even = sample
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    if nul_odd * 10 >= pairs * 3 && nul_even == 0 {
        Some(UTF_16LE)
    } else if nul_even * 10 >= pairs * 3 && nul_odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `head` is UTF-8: valid, or cut inside its last character when it is only the
/// start of the file. (No count: one error is enough to say no.)
fn is_utf8(head: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && !complete,
    }
}

/// Counts malformed sequences when decoding `head` as `encoding`, stopping at `cap`.
pub fn legacy_errors(
    encoding: &'static Encoding,
    head: &[u8],
    complete: bool,
    cap: usize,
) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(head.len())
            .unwrap_or(head.len() * 3),
    );
    let mut errors = 0;
    let mut input = head;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(input, &mut out, complete);
        input = &input[read..];
        match result {
            encoding_rs::DecoderResult::InputEmpty => return errors,
            encoding_rs::DecoderResult::Malformed(_, _) => {
                errors += 1;
                if errors >= cap {
                    return errors;
                }
            }
            encoding_rs::DecoderResult::OutputFull => {
                out.reserve(input.len() * 3 + 16);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "test text must be encodable");
        bytes.into_owned()
    }

    const TEXT: &str =
        "回答者ID,性別,年代,居住地\r\n1,女性,20～29歳,髙島町\r\n2,男性,80歳以上,中央\r\n";

    #[test]
    fn cp932_with_wave_dash_and_ibm_extension() {
        let bytes = encode(SHIFT_JIS, TEXT);
        // ～ (U+FF5E) is 0x8160 in CP932, 髙 is the IBM extension 0xFBFC.
        assert!(bytes.windows(2).any(|w| w == [0x81, 0x60]));
        assert!(bytes.windows(2).any(|w| w == [0xFB, 0xFC]));
        let guess = detect(&bytes, true);
        assert_eq!(guess.encoding, SHIFT_JIS);
        assert_eq!(guess.confidence, Confidence::High);
    }

    #[test]
    fn errors_are_counted_only_up_to_the_cap() {
        // A CP932 file read as EUC-JP errs again and again; the count stops where it can
        // no longer change the guess, and the guess is the same as with a full count.
        let bytes = encode(SHIFT_JIS, &TEXT.repeat(50));
        let all = legacy_errors(EUC_JP, &bytes, true, usize::MAX);
        assert!(all > 50, "{all}");
        assert_eq!(legacy_errors(EUC_JP, &bytes, true, 1), 1);
        assert_eq!(legacy_errors(EUC_JP, &bytes, true, 7), 7);
        assert_eq!(legacy_errors(SHIFT_JIS, &bytes, true, usize::MAX), 0);
        let guess = detect(&bytes, true);
        assert_eq!(
            (guess.encoding, guess.confidence),
            (SHIFT_JIS, Confidence::High)
        );
    }

    #[test]
    fn euc_jp() {
        let guess = detect(
            &encode(EUC_JP, "性別,年代\n女性,二十代の回答者です\n"),
            true,
        );
        assert_eq!(guess.encoding, EUC_JP);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(TEXT.as_bytes());
        let g = detect(&bytes, true);
        assert_eq!(
            (g.encoding, g.bom_len, g.confidence),
            (UTF_8, 3, Confidence::Certain)
        );
        let g = detect(TEXT.as_bytes(), true);
        assert_eq!(
            (g.encoding, g.bom_len, g.confidence),
            (UTF_8, 0, Confidence::High)
        );
    }

    #[test]
    fn utf8_cut_in_the_middle_of_a_character_is_still_utf8() {
        let bytes = TEXT.as_bytes();
        let cut = &bytes[..bytes.len() - 4];
        assert!(std::str::from_utf8(cut).is_err());
        assert_eq!(detect(cut, false).encoding, UTF_8);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xFF, 0xFE];
        for u in TEXT.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(detect(&le, true).encoding, UTF_16LE);
        assert_eq!(detect(&le[2..], true).encoding, UTF_16LE);
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(detect(&be, true).encoding, UTF_16BE);
    }

    #[test]
    fn labels_users_type() {
        assert_eq!(by_label("cp932"), Some(SHIFT_JIS));
        assert_eq!(by_label("Windows-31J"), Some(SHIFT_JIS));
        assert_eq!(by_label("shift_jis"), Some(SHIFT_JIS));
        assert_eq!(by_label("EUC-JP"), Some(EUC_JP));
        assert_eq!(by_label("utf-16le"), Some(UTF_16LE));
        assert_eq!(by_label("nonsense"), None);
    }
}
