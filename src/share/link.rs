//! The setup as a URL fragment: `s<version>.<base64url(deflate(CBOR(Setup)))>`.
//!
//! CBOR keeps field names and enum tags, so a later version that only adds optional fields
//! (`#[serde(default)]`) still reads old links unchanged. A change of shape bumps
//! [`VERSION`] and adds a step to `migrate`, which rewrites an old link's CBOR value into
//! the current shape before it is read; `tests/share.rs` decodes a link written by
//! version 1 (tests/fixtures/share-link-v1.txt) so every later version must keep reading it.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ciborium::Value;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};

use crate::analysis::AnalysisTemplate;
use crate::model::SurveyModel;

/// The link format's version (of the envelope and of [`Setup`]'s shape).
pub const VERSION: u32 = 1;
/// A setup is a few kilobytes; anything that inflates beyond this is not a setup (and a
/// deflate bomb must not take the page down).
const MAX_INFLATED: u64 = 8 << 20;
/// How deep the CBOR may nest. A setup nests about a dozen levels (model → questions →
/// a question → its values → a value); ciborium's default of 256 is also safe on a
/// native stack, but the page runs in wasm's smaller one, and a link is anyone's.
const MAX_NESTING: usize = 64;

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    pub model: SurveyModel,
    pub template: AnalysisTemplate,
}

/// A link that cannot be used: what happened and what to do.
pub type ShareError = crate::message::Message;

fn broken(detail: impl std::fmt::Display) -> ShareError {
    ShareError {
        ja: format!(
            "共有リンクが途中で切れているか、壊れています（{detail}）。リンクを送った人に、もう一度コピーして送ってもらってください。"
        ),
        en: format!(
            "The shared link is cut short or damaged ({detail}). Ask the sender to copy it again."
        ),
    }
}

/// The fragment for a setup (without the `#`).
pub fn encode(setup: &Setup) -> String {
    let mut cbor = Vec::new();
    ciborium::into_writer(setup, &mut cbor).expect("a setup always serialises");
    let mut z = DeflateEncoder::new(Vec::new(), Compression::best());
    z.write_all(&cbor).expect("writing to memory");
    let deflated = z.finish().expect("writing to memory");
    format!("s{VERSION}.{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// True when `text` (a fragment or a whole URL) holds a shared setup at all.
pub fn is_link(text: &str) -> bool {
    split(text).is_some()
}

/// (version, payload) of `…#s1.payload`.
fn split(text: &str) -> Option<(u32, &str)> {
    let frag = text.rsplit_once('#').map_or(text, |(_, f)| f).trim();
    let rest = frag.strip_prefix('s')?;
    let (version, payload) = rest.split_once('.')?;
    Some((version.parse().ok()?, payload))
}

/// Reads a fragment or a whole URL. Mail clients wrap long links, so whitespace and line
/// breaks inside the payload are ignored.
pub fn decode(text: &str) -> Result<Setup, ShareError> {
    let Some((version, payload)) = split(text) else {
        return Err(ShareError {
            ja: "つながりの共有リンクではありません（# のあとが s1. で始まっていません）。".into(),
            en: "Not a Tsunagari share link (the part after # does not start with s1.).".into(),
        });
    };
    if version > VERSION {
        return Err(ShareError {
            ja: format!(
                "この共有リンクは新しい版（{version}）のつながりで作られています。つながりを新しくしてから開いてください。"
            ),
            en: format!(
                "This link was made by a newer Tsunagari (link version {version}); update Tsunagari and open it again."
            ),
        });
    }
    let clean: String = payload
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches('=')
        .to_string();
    let deflated = URL_SAFE_NO_PAD
        .decode(clean.as_bytes())
        .map_err(|e| broken(e))?;
    let mut cbor = Vec::new();
    DeflateDecoder::new(deflated.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut cbor)
        .map_err(|e| broken(e))?;
    if cbor.len() as u64 > MAX_INFLATED {
        return Err(broken("too large"));
    }
    let value: Value = ciborium::de::from_reader_with_recursion_limit(cbor.as_slice(), MAX_NESTING)
        .map_err(|e| broken(e))?;
    let value = migrate(version, value)?;
    check_template(&value)?;
    let setup: Setup = value.deserialized().map_err(|e| broken(e))?;
    check_inner(&setup)?;
    Ok(setup)
}

/// Rewrites a link of an older version into the current shape, one version at a time.
/// Version 1 is the first: nothing to do yet. When `Setup` changes shape, bump
/// [`VERSION`] and add `1 => v1_to_v2(value)` here, keeping the fixture test green.
fn migrate(version: u32, value: Value) -> Result<Value, ShareError> {
    match version {
        1 => Ok(value),
        v => Err(ShareError {
            ja: format!("共有リンクの版（{v}）を読めません。"),
            en: format!("Unknown share link version {v}."),
        }),
    }
}

/// The template inside goes through the same bounds as a template file
/// (`analysis::limits`: number of tables, text lengths, every filter parsed) before it is
/// read, so a too-deep filter or a million tables is refused with its own message.
fn check_template(value: &Value) -> Result<(), ShareError> {
    let template = value.as_map().and_then(|m| {
        m.iter()
            .find(|(k, _)| k.as_text() == Some("template"))
            .map(|(_, v)| v)
    });
    // Not there, or not shaped like JSON: reading the setup below says what is wrong.
    let Some(Ok(json)) = template.map(|t| t.deserialized::<serde_json::Value>()) else {
        return Ok(());
    };
    crate::analysis::limits::check_template(&json).map_err(|e| ShareError {
        ja: format!("共有リンクの表の設定を使えません。{}", e.ja),
        en: format!("The link's table setup cannot be used. {}", e.en),
    })
}

/// The model and template inside carry their own format and version (as their JSON files
/// do): refuse newer ones by name.
fn check_inner(setup: &Setup) -> Result<(), ShareError> {
    let newer = |what_ja: &str, what_en: &str, v: u32| ShareError {
        ja: format!("リンクの{what_ja}は新しい版（{v}）です。つながりを新しくしてください。"),
        en: format!("The link's {what_en} is of a newer version ({v}); update Tsunagari."),
    };
    if setup.model.format != crate::model::FORMAT {
        return Err(broken("model format"));
    }
    if setup.model.version > crate::model::VERSION {
        return Err(newer("設問の設定", "survey model", setup.model.version));
    }
    if setup.template.format != crate::analysis::template::FORMAT {
        return Err(broken("template format"));
    }
    if setup.template.version > crate::analysis::template::VERSION {
        return Err(newer(
            "表の設定",
            "analysis template",
            setup.template.version,
        ));
    }
    Ok(())
}
