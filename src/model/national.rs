//! The national questionnaire (人々のつながりに関する基礎調査): recognising its items in a
//! municipality's file, from question text and answer labels, and deriving what the
//! national report derives — the UCLA-3 score and its groups, and 「孤独感がある」計.
//!
//! Wording differs a little between towns (「孤独であると感じる」 vs 「孤独だと感じる」,
//! full-/half-width, 「しばしばある・常にある」 vs 「しばしば/常に」), so items are matched by
//! a few key words in the NFKC-folded text, not by exact strings. Where a codebook gives no
//! question text, the answer labels alone tell the items whose options are the national
//! survey's own (the direct question's five, the UCLA scale's four on three columns).

use serde::{Deserialize, Serialize};

use super::derive::{national_age_bins, Bin, Derived, Recipe, RecodeGroup, Score};
use super::question::{Kind, Question};
use super::text::{contains_all, key};
use crate::table::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    /// 直接質問: どの程度、孤独であると感じることがありますか (codes 1–5).
    Direct,
    /// UCLA 3-item scale (codes 1–4 each).
    Ucla1,
    Ucla2,
    Ucla3,
    /// Face-to-face contact with family/friends living apart (7 options).
    ContactFace,
    /// Participation in social activities (multiple answer, incl. 特に参加はしていない).
    Participation,
    /// Someone to consult (相談相手の有無).
    Consult,
    Sex,
    Age,
    Marital,
}

impl Item {
    pub const ALL: [Item; 10] = [
        Item::Direct,
        Item::Ucla1,
        Item::Ucla2,
        Item::Ucla3,
        Item::ContactFace,
        Item::Participation,
        Item::Consult,
        Item::Sex,
        Item::Age,
        Item::Marital,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            Item::Direct => "孤独感（直接質問）",
            Item::Ucla1 => "UCLA孤独感尺度 1 人とのつきあいがない",
            Item::Ucla2 => "UCLA孤独感尺度 2 取り残されている",
            Item::Ucla3 => "UCLA孤独感尺度 3 他の人たちから孤立している",
            Item::ContactFace => "同居していない家族や友人と直接会って話す頻度",
            Item::Participation => "社会活動への参加（複数回答）",
            Item::Consult => "相談相手の有無",
            Item::Sex => "性別",
            Item::Age => "年齢・年代",
            Item::Marital => "配偶者の有無",
        }
    }

    /// Key-word sets of the question text; any one set matching (all its words) is enough.
    fn text_patterns(self) -> &'static [&'static [&'static str]] {
        match self {
            Item::Direct => &[
                &["孤独", "感じる", "どの程度"],
                &["孤独であると感じ"],
                &["孤独だと感じ"],
            ],
            Item::Ucla1 => &[
                &["つきあいがない"],
                &["付き合いがない"],
                &["つきあいが無い"],
            ],
            Item::Ucla2 => &[&["取り残されて"], &["とりのこされて"]],
            Item::Ucla3 => &[&["孤立している", "他の人"], &["他の人たちから孤立"]],
            Item::ContactFace => &[&["直接会", "話"], &["会って話す"]],
            Item::Participation => &[&["活動", "参加"]],
            Item::Consult => &[&["相談", "相手"], &["相談できる"], &["頼れる人"]],
            Item::Sex => &[&["性別"]],
            Item::Age => &[&["年齢"], &["年代"]],
            Item::Marital => &[&["配偶者"], &["婚姻"], &["結婚"]],
        }
    }

    /// Column names coded files use for the attributes (whole name only).
    fn english_names(self) -> &'static [&'static str] {
        match self {
            Item::Sex => &["sex", "gender"],
            Item::Age => &["age"],
            Item::Marital => &["marital", "maritalstatus"],
            _ => &[],
        }
    }

    /// Key words of the national answer options, in code order (code = index + 1).
    /// Empty: the item has no fixed list (attributes; users map them).
    pub fn option_patterns(self) -> &'static [&'static [&'static str]] {
        match self {
            Item::Direct => &[
                &["決して"],
                &["ほとんど"],
                &["たまに"],
                &["時々", "ときどき", "時どき"],
                &["しばしば", "常に", "いつも"],
            ],
            Item::Ucla1 | Item::Ucla2 | Item::Ucla3 => &[
                &["決して"],
                &["ほとんど"],
                &["時々", "ときどき", "時どき", "たまに"],
                &["常に", "いつも", "しばしば"],
            ],
            Item::ContactFace => &[
                &["週4"],
                &["週2"],
                &["週1"],
                &["2週間"],
                &["月1回程度", "月に1回程度"],
                &["月1回未満", "月に1回未満"],
                &["全くない", "まったくない"],
            ],
            _ => &[],
        }
    }

    /// The national labels (code order) where the survey fixes them.
    pub fn national_labels(self) -> &'static [&'static str] {
        match self {
            Item::Direct => &[
                "決してない",
                "ほとんどない",
                "たまにある",
                "時々ある",
                "しばしばある・常にある",
            ],
            Item::Ucla1 | Item::Ucla2 | Item::Ucla3 => {
                &["決してない", "ほとんどない", "時々ある", "常にある"]
            }
            Item::ContactFace => &[
                "週4～5回以上",
                "週2～3回程度",
                "週1回程度",
                "2週間に1回程度",
                "月1回程度",
                "月1回未満",
                "全くない",
            ],
            _ => &[],
        }
    }
}

/// One answer of the file mapped to the national code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeMap {
    pub value: String,
    pub national: u8,
}

/// A national item found in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub item: Item,
    /// The file's column (for a multiple answer: the question id).
    pub column: String,
    /// The file's answers mapped to national codes (empty for attributes).
    #[serde(default)]
    pub mapping: Vec<CodeMap>,
    /// True once the user confirmed it on the recognition screen.
    #[serde(default)]
    pub confirmed: bool,
}

/// Names of the variables the template derives.
pub const UCLA_SCORE: &str = "UCLA孤独感スコア（3～12点）";
pub const UCLA_GROUPS: &str = "UCLA孤独感スコアの区分";
pub const LONELY_TOTAL: &str = "「孤独感がある」計";
pub const AGE_GROUPS: &str = "年代（全国調査の区分）";

/// The UCLA groups as the national report publishes them, highest first.
pub fn ucla_bins() -> Vec<Bin> {
    let bin = |label: &str, min: f64, below: f64| Bin {
        label: label.into(),
        min: Some(min),
        below: Some(below),
    };
    vec![
        bin("10～12点（常にある）", 10.0, 13.0),
        bin("7～9点（時々ある）", 7.0, 10.0),
        bin("4～6点（ほとんどない）", 4.0, 7.0),
        bin("3点（決してない）", 3.0, 4.0),
    ]
}

/// Finds the national items among `questions` (the file's columns in `table`).
pub fn recognise(questions: &[Question], table: &Table) -> Vec<Match> {
    let mut found: Vec<Match> = Vec::new();
    for q in questions {
        if q.kind.personal() || q.kind == Kind::Weight {
            continue;
        }
        if q.kind == Kind::Multiple {
            let participation =
                q.values.iter().any(|v| {
                    let k = key(&v.label);
                    k.contains(&key("特に参加")) || k.contains(&key("参加していない"))
                }) || contains_all(&key(&format!("{} {}", q.text, q.label)), &["活動", "参加"]);
            if participation && !found.iter().any(|m| m.item == Item::Participation) {
                found.push(Match {
                    item: Item::Participation,
                    column: q.id.clone(),
                    mapping: Vec::new(),
                    confirmed: false,
                });
            }
            continue;
        }
        for (i, column) in q.columns.iter().enumerate() {
            let Some(col) = table.column(column) else {
                continue;
            };
            // The question text, the column name and (for a grid) the item's text.
            let item = q.item_texts.get(i).map(String::as_str).unwrap_or("");
            let text = key(&format!("{} {} {} {}", q.text, q.label, column, item));
            for item in Item::ALL {
                if item == Item::Participation || found.iter().any(|m| m.item == item) {
                    continue;
                }
                let by_text = item
                    .text_patterns()
                    .iter()
                    .any(|words| contains_all(&text, words))
                    || item.english_names().contains(&key(column).as_str());
                // UCLA items also ask "孤立"/"取り残され"; the direct question's five
                // options tell it apart even where its text was reworded.
                if !by_text {
                    continue;
                }
                let mapping = map_answers(item, q, col);
                let needs_options = !item.option_patterns().is_empty();
                if needs_options && mapping.is_none() {
                    continue;
                }
                found.push(Match {
                    item,
                    column: column.clone(),
                    mapping: mapping.unwrap_or_default(),
                    confirmed: false,
                });
                break;
            }
        }
    }
    recognise_by_labels(questions, table, &mut found);
    found
}

/// Puts the answers of each question matched to a national item in the national codes'
/// order — the questionnaire's (決してない … しばしばある・常にある; 週4～5回以上 … 全くない) —
/// with the answers the mapping lacks (無回答, わからない) after them in their order; those
/// questions are ordered. 性別 lists 男性 and 女性 first (still nominal). Only for a model
/// guessed from the file: a codebook's or the user's order is theirs.
pub fn put_in_order(questions: &mut [Question], matches: &[Match]) {
    for m in matches {
        let Some(q) = questions
            .iter_mut()
            .find(|q| q.kind != Kind::Multiple && q.columns.contains(&m.column))
        else {
            continue;
        };
        let rank = |label: &str, code: &str| -> Option<usize> {
            if m.item == Item::Sex {
                let k = key(label);
                return ["男", "女"].iter().position(|w| k.starts_with(w));
            }
            m.mapping
                .iter()
                .find(|c| c.value == code)
                .map(|c| c.national as usize)
        };
        if m.mapping.is_empty() && m.item != Item::Sex {
            continue;
        }
        // Stable: what has no national code keeps its place after the ones that do.
        q.values
            .sort_by_key(|v| rank(&v.label, &v.code).unwrap_or(usize::MAX));
        if !m.mapping.is_empty() {
            q.ordered = true;
        }
    }
}

/// Whether the answers of `q` (missing codes aside) are the national options of `item`,
/// one label for each, as a codebook without question texts still gives them.
fn labels_are(item: Item, q: &Question) -> bool {
    let patterns = item.option_patterns();
    let options: Vec<_> = q.options().collect();
    if patterns.is_empty() || options.len() != patterns.len() {
        return false;
    }
    let mut seen = vec![false; patterns.len()];
    for o in options {
        let label = key(&o.label);
        match patterns
            .iter()
            .position(|words| words.iter().any(|w| label.contains(&key(w))))
        {
            Some(i) if !seen[i] => seen[i] = true,
            _ => return false,
        }
    }
    true
}

/// National items the question texts did not reveal, recognised from the answer labels
/// alone: the direct question by its five options, face-to-face contact by its seven, the
/// UCLA scale as exactly three columns with its four options (in file order). Only where
/// one reading is possible: two columns with the direct question's options are left for
/// the user to map.
fn recognise_by_labels(questions: &[Question], table: &Table, found: &mut Vec<Match>) {
    fn columns_with<'a>(
        questions: &'a [Question],
        found: &[Match],
        item: Item,
    ) -> Vec<(&'a Question, &'a String)> {
        questions
            .iter()
            .filter(|q| !q.kind.personal() && !matches!(q.kind, Kind::Weight | Kind::Multiple))
            .filter(|q| labels_are(item, q))
            .flat_map(|q| q.columns.iter().map(move |c| (q, c)))
            .filter(|(_, c)| !found.iter().any(|m| &m.column == *c))
            .collect()
    }
    let add = |found: &mut Vec<Match>, item: Item, q: &Question, column: &String| {
        let Some(col) = table.column(column) else {
            return;
        };
        if let Some(mapping) = map_answers(item, q, col) {
            found.push(Match {
                item,
                column: column.clone(),
                mapping,
                confirmed: false,
            });
        }
    };
    for item in [Item::Direct, Item::ContactFace] {
        if found.iter().any(|m| m.item == item) {
            continue;
        }
        if let [(q, column)] = columns_with(questions, found, item)[..] {
            add(found, item, q, column);
        }
    }
    let ucla = [Item::Ucla1, Item::Ucla2, Item::Ucla3];
    if !found.iter().any(|m| ucla.contains(&m.item)) {
        if let [a, b, c] = columns_with(questions, found, Item::Ucla1)[..] {
            for (item, (q, column)) in ucla.into_iter().zip([a, b, c]) {
                add(found, item, q, column);
            }
        }
    }
}

/// Maps every used answer of the column to a national code; `None` if an answer fits no
/// national option (then it is not the national item, or the user must map it).
fn map_answers(item: Item, q: &Question, col: &crate::table::Column) -> Option<Vec<CodeMap>> {
    let patterns = item.option_patterns();
    if patterns.is_empty() {
        return None;
    }
    let counts = col.code_counts();
    let mut out = Vec::new();
    let mut codes_seen = vec![false; patterns.len()];
    for (value, &n) in col.values.iter().zip(counts).skip(1) {
        if n == 0 {
            continue;
        }
        let value = value.as_ref();
        if q.missing_of(value).is_some() || super::infer::missing_label(value).is_some() {
            continue;
        }
        let label = key(q.label_of(value));
        // A label ("3 たまにある" or "たまにある"), or a bare code 1..n.
        let by_label = patterns
            .iter()
            .position(|words| words.iter().any(|w| label.contains(&key(w))));
        let code = match by_label {
            Some(i) => i + 1,
            None => match crate::table::parse_number(value) {
                Some(x) if x.fract() == 0.0 && x >= 1.0 && x as usize <= patterns.len() => {
                    x as usize
                }
                _ => return None,
            },
        };
        codes_seen[code - 1] = true;
        out.push(CodeMap {
            value: value.to_string(),
            national: code as u8,
        });
    }
    // At least half the national options must be in use, or this is another question
    // that happens to share words.
    (codes_seen.iter().filter(|&&s| s).count() * 2 >= patterns.len()).then_some(out)
}

/// The derived variables the national template adds for what was recognised.
pub fn derived(matches: &[Match], table: &Table) -> Vec<Derived> {
    let mut out = Vec::new();
    let by = |item: Item| matches.iter().find(|m| m.item == item);
    if let (Some(a), Some(b), Some(c)) = (by(Item::Ucla1), by(Item::Ucla2), by(Item::Ucla3)) {
        let mut scores: Vec<Score> = Vec::new();
        for m in [a, b, c] {
            for cm in &m.mapping {
                if !scores.iter().any(|s| s.value == cm.value) {
                    scores.push(Score {
                        value: cm.value.clone(),
                        score: cm.national as f64,
                    });
                }
            }
        }
        // Values that map differently in two items cannot share one table; that only
        // happens with inconsistent codebooks, and then the first item's mapping wins.
        out.push(Derived {
            name: UCLA_SCORE.into(),
            recipe: Recipe::Sum {
                sources: vec![a.column.clone(), b.column.clone(), c.column.clone()],
                scores,
            },
            national: true,
        });
        out.push(Derived {
            name: UCLA_GROUPS.into(),
            recipe: Recipe::Bin {
                source: UCLA_SCORE.into(),
                bins: ucla_bins(),
            },
            national: true,
        });
    }
    if let Some(d) = by(Item::Direct) {
        let from = |codes: &[u8]| {
            d.mapping
                .iter()
                .filter(|m| codes.contains(&m.national))
                .map(|m| m.value.clone())
                .collect()
        };
        out.push(Derived {
            name: LONELY_TOTAL.into(),
            recipe: Recipe::Recode {
                source: d.column.clone(),
                groups: vec![
                    RecodeGroup {
                        label: "孤独感がある（しばしば・常に＋時々＋たまに）".into(),
                        from: from(&[3, 4, 5]),
                    },
                    RecodeGroup {
                        label: "孤独感はない（ほとんどない＋決してない）".into(),
                        from: from(&[1, 2]),
                    },
                ],
                others_blank: true,
            },
            national: true,
        });
    }
    if let Some(a) = by(Item::Age) {
        // Ages in years become the national 年代; a file that already has 年代 keeps it.
        if table
            .column(&a.column)
            .is_some_and(|c| c.is_numeric() && c.numbers.iter().flatten().any(|&x| x > 12.0))
        {
            out.push(Derived {
                name: AGE_GROUPS.into(),
                recipe: Recipe::Bin {
                    source: a.column.clone(),
                    bins: national_age_bins(),
                },
                national: true,
            });
        }
    }
    out
}
