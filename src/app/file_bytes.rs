//! `#[serde(with = "crate::app::file_bytes")]` on the `Vec<u8>` of a file that crosses the
//! worker boundary (a codebook the user picked, an .xlsx to save): written as serde bytes,
//! which serde-wasm-bindgen makes one `Uint8Array` (not an array of hundreds of thousands
//! of numbers) and CBOR one byte string; read back from bytes or from a sequence, so JSON
//! (an array of numbers) still reads.

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
            f.write_str("the bytes of a file")
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

#[cfg(test)]
mod tests {
    use crate::app::session::Reply;

    fn file() -> Reply {
        Reply::File {
            name: "x.xlsx".into(),
            bytes: (0..=255).chain([0, 255, 7]).collect(),
        }
    }

    /// A binary format gets one byte string: 259 bytes and a few of framing in CBOR, not
    /// an array of 259 numbers; it reads back equal.
    #[test]
    fn a_file_is_one_byte_string() {
        let mut cbor = Vec::new();
        ciborium::into_writer(&file(), &mut cbor).unwrap();
        assert!(cbor.len() < 259 + 32, "{}", cbor.len());
        let back: Reply = ciborium::from_reader(cbor.as_slice()).unwrap();
        assert_eq!(back, file());
    }

    /// JSON keeps writing an array of numbers, and reads it back.
    #[test]
    fn json_reads_back() {
        let json = serde_json::to_string(&file()).unwrap();
        assert!(json.contains("[0,1,2,"), "{json}");
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), file());
        let not_bytes = json.replace("[0,1,2,", "[\"a\",1,2,");
        assert!(serde_json::from_str::<Reply>(&not_bytes).is_err());
    }
}
