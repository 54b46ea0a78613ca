//! Sharing the analysis, never the data. A municipality's setup (the survey model: questions,
//! codebook, derived variables, weights; and the analysis template: the tables) travels to
//! another municipality as one link, `…/index.html#s1.<payload>`; the other side opens it,
//! drops its own file, and gets the same tables.
//!
//! - [`link`]: the setup ⇄ the URL fragment (versioned; CBOR, deflate, base64url).
//! - [`redact`]: what of a model may go into a link. The rule: the link carries the
//!   questionnaire, never the answers — column names, question texts, kinds, codebook codes
//!   and their labels, recipes and tables. Values of identifiers, free text, numbers and
//!   weights never go in; an answer option that appears in the file itself (a labelled file:
//!   Google Forms writes 「男性」, not 1) goes in only when at least
//!   [`redact::MIN_RESPONDENTS`] respondents gave it, because a rarer "option" may be
//!   somebody's own words typed into 「その他」.
//! - `apply` ([`apply_setup`]): a shared setup applied to the file just loaded, with a report of what
//!   matched and what didn't.
//!
//! The fragment (after `#`) is never sent to a server by the browser; it still shows in
//! the address bar and in history, which is why [`redact`] decides what goes in.

pub(crate) mod apply;
pub mod link;
pub mod matching;
pub(crate) mod neutral_names;
pub mod redact;
pub(crate) mod redact_template;

pub use apply::{apply_setup, apply_setup_mapped, read_map, SetupReport};
pub use link::{decode, encode, Setup, ShareError};
pub use matching::{MatchRow, Matching};
pub use redact::{for_link, LeftOut};
