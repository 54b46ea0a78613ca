//! The bytes that cross between the page and its workers: every `Request`, `Reply` and
//! `Workbook` as CBOR (ciborium), posted as an `ArrayBuffer` the receiver takes over
//! (transferred, not copied).
//!
//! One format for everything the page decodes: the share link is CBOR read through
//! `ciborium::Value` already (`share::link`), so a reply is read the same way and the
//! page's wasm holds one family of serde decoders, not a second one for JS objects
//! (serde-wasm-bindgen's, about a third of the page's code, issue 16). CBOR keeps field
//! names and enum tags (internally tagged enums such as `Warning` read back), and floats
//! exactly, NaN and infinities included.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::message::Message;

/// How deep a message may nest. Replies nest a dozen levels or so (a filter inside a
/// crosstab's spec is bounded by `analysis::filter::MAX_DEPTH`); the page's wasm stack is
/// small, so the limit is ciborium's default, stated.
const MAX_NESTING: usize = 256;

/// The message as bytes.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec fails only if a type refuses to serialise, which ours never do.
    if let Err(e) = ciborium::into_writer(value, &mut bytes) {
        bytes.clear();
        let refused = crate::app::session::Reply::Refused(internal(e));
        let _ = ciborium::into_writer(&refused, &mut bytes);
    }
    bytes
}

/// The message back from its bytes; an error is said as an internal error (the page and
/// its workers come from one build, so it means a bug, not the user's doing).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Message> {
    let value: ciborium::Value =
        ciborium::de::from_reader_with_recursion_limit(bytes, MAX_NESTING).map_err(internal)?;
    value.deserialized().map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> Message {
    Message::new(
        format!("内部エラー（ページと作業用スレッドの間のデータを読めません）: {e}。ページを再読み込みしてください。"),
        format!("internal error (a message between the page and its worker could not be read): {e}. Reload the page."),
    )
}

/// The name of a reply's variant without decoding it (`"Loaded"` for `Reply::Loaded(..)`),
/// for the performance marks of `make bench-ui`: an externally tagged enum is a one-entry
/// map keyed by the variant's name, or just the name for a unit variant.
pub fn variant(bytes: &[u8]) -> Option<&str> {
    let rest = match bytes.first()? {
        0xa1 => &bytes[1..],
        _ => bytes,
    };
    let head = *rest.first()?;
    // A text string shorter than 24 bytes: major type 3, length in the low bits.
    if !(0x60..0x78).contains(&head) {
        return None;
    }
    let len = usize::from(head - 0x60);
    std::str::from_utf8(rest.get(1..1 + len)?).ok()
}

/// `#[serde(with = "crate::app::wire::bytes")]` on a `Vec<u8>` (a file's bytes): written
/// as one CBOR byte string, not an array of numbers (an .xlsx is hundreds of KB); read
/// back from either form, so JSON (an array) still reads.
pub mod bytes {
    use serde::de::{SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::{Reply, Request, Session};
    use crate::ingest::{read_bytes, ReadOptions};

    /// A reply read from a real file comes back equal through the bytes: every type of a
    /// `Loaded` (the internally tagged `Warning`s included), floats exactly.
    #[test]
    fn replies_read_back_equal() {
        let text = "ID,性別,年齢,満足度\n1,男性,30,1.5\n2,女性,,NaN\n3,,41,2\n\"4\",女性,52,\n5,男性,30,1,余分\n";
        let mut session = Session::default();
        let loaded = session.loaded(read_bytes(text.as_bytes(), ReadOptions::default()).unwrap());
        let Reply::Loaded(summary, _) = &loaded else {
            panic!("not loaded: {loaded:?}")
        };
        assert!(
            !summary.warnings.is_empty(),
            "the file gives a warning to carry"
        );
        let tab = session.handle(Request::TabulateQuestion {
            id: "性別".into()
        });
        assert!(matches!(tab, Reply::Tabulations { .. }), "{tab:?}");
        let file = Reply::File {
            name: "x.xlsx".into(),
            bytes: (0..=255).collect(),
        };
        let progress = Reply::Progress {
            bytes: f64::NAN,
            total: f64::INFINITY,
            rows: u64::MAX,
        };
        for reply in [loaded, tab, file, Reply::Ready] {
            let back: Reply = decode(&encode(&reply)).unwrap();
            assert_eq!(back, reply);
        }
        let Reply::Progress { bytes, total, rows } = decode(&encode(&progress)).unwrap() else {
            panic!("not progress")
        };
        assert!(bytes.is_nan() && total == f64::INFINITY && rows == u64::MAX);
    }

    #[test]
    fn a_file_is_one_byte_string() {
        let bytes: Vec<u8> = vec![7; 1000];
        let encoded = encode(&Reply::File {
            name: "x".into(),
            bytes: bytes.clone(),
        });
        // 1,000 bytes and a few of framing, not an array of 1,000 numbers.
        assert!(encoded.len() < 1100, "{}", encoded.len());
        // JSON keeps writing an array, and reads it back.
        let json = serde_json::to_string(&Reply::File {
            name: "x".into(),
            bytes: bytes.clone(),
        })
        .unwrap();
        assert!(
            matches!(serde_json::from_str(&json).unwrap(), Reply::File { bytes: b, .. } if b == bytes)
        );
    }

    #[test]
    fn the_variant_is_read_without_decoding() {
        assert_eq!(variant(&encode(&Reply::Ready)), Some("Ready"));
        let tab = Reply::Tabulations {
            id: "a".into(),
            tabs: vec![],
        };
        assert_eq!(variant(&encode(&tab)), Some("Tabulations"));
        assert_eq!(variant(&[]), None);
        assert_eq!(variant(&[0xa1, 0x7f]), None);
    }

    #[test]
    fn broken_bytes_are_an_error_not_a_panic() {
        let good = encode(&Reply::Tabulations {
            id: "a".into(),
            tabs: vec![],
        });
        for cut in 0..good.len() {
            assert!(decode::<Reply>(&good[..cut]).is_err());
        }
        let e = decode::<Reply>(&[0xff, 0x00]).unwrap_err();
        assert!(e.ja.contains("内部エラー") && e.en.contains("internal error"));
    }
}
