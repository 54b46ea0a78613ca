//! Which of this file's questions each shared question is, when the two files name them
//! differently (a link made on a labelled file 「問1　あなたは…」 opened on a coded file
//! whose columns are Q1, Q2 …). One rule, in this order, each step only among the
//! questions still free on both sides, never two shared questions onto one of ours:
//!
//! 1. the user's choice (the page's select, the CLI's `--map`);
//! 2. the same name (id, label or column) — what a codebook matches;
//! 3. the same national item recognised in both (one-column questions);
//! 4. the same question number (問1 = 問１ = Q1 = q1; 問2-1 = Q2_1; SQ and F apart), when
//!    exactly one of ours has it and the texts, where both have one, are not unlike;
//! 5. similar wording: character-bigram Dice of the texts (width, spaces and punctuation
//!    folded) at least [`TEXT_THRESHOLD`] and [`TEXT_MARGIN`] above the runner-up.
//!
//! Only questions of a compatible kind meet (one answer, several answers, a number, free
//! text, an identifier); a
//! question of several columns meets one with as many columns, paired by option name
//! where the names agree, else by position, and says which. Each proposal records why,
//! so the page and the CLI can say it. The work is bounded: at most [`MAX_COMPARED`] text
//! comparisons, each of at most [`MAX_TEXT_CHARS`] characters (a hostile link cannot make
//! it slow); when the cap is reached, the rest is left to the user and said.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::message::Message;
use crate::model::text::key;
use crate::model::{number, Kind, Question, SurveyModel};

/// Dice similarity from which two texts are the same question.
pub const TEXT_THRESHOLD: f64 = 0.6;
/// How far the best text must be above the runner-up (else it is a guess too close to
/// call, left to the user).
pub const TEXT_MARGIN: f64 = 0.1;
/// Below this a question number's match is not trusted when both texts are known (Q1
/// may be another questionnaire's 性別).
const NUMBER_TEXT_FLOOR: f64 = 0.3;
/// At most this many text comparisons (shared × this file's questions).
pub const MAX_COMPARED: usize = 100_000;
/// Characters of a text compared (the question, not a paragraph).
pub const MAX_TEXT_CHARS: usize = 120;

/// Why a shared question met one of this file's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum How {
    /// The user chose it (the page's select or the `--map` file).
    Chosen,
    /// The same id, label or column name.
    Name,
    /// The same national item (the item's Japanese name).
    National(String),
    /// The same question number (as both files write it, normalised).
    Number(String),
    /// Similar wording, in percent.
    Text(u8),
}

impl How {
    /// A guess the user should look at (the number or the wording), not a certainty.
    pub fn is_guess(&self) -> bool {
        matches!(self, How::Number(_) | How::Text(_))
    }

    pub fn message(&self) -> Message {
        match self {
            How::Chosen => Message::new("選んだ対応", "chosen"),
            How::Name => Message::new("同じ名前", "same name"),
            How::National(item) => Message::new(
                format!("全国調査の同じ設問（{item}）"),
                format!("same national item ({item})"),
            ),
            How::Number(n) => Message::new(
                format!("同じ問番号（{n}）"),
                format!("same question number ({n})"),
            ),
            How::Text(p) => Message::new(
                format!("文言が似ている {p}%"),
                format!("similar wording {p}%"),
            ),
        }
    }
}

/// How the columns of a question of several columns were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Columns {
    ByLabel,
    ByPosition,
}

impl Columns {
    pub fn message(self) -> Message {
        match self {
            Columns::ByLabel => {
                Message::new("列は選択肢の名前で対応", "columns paired by option name")
            }
            Columns::ByPosition => Message::new("列は順番で対応", "columns paired by position"),
        }
    }
}

/// One shared question and what it met here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRow {
    /// The shared question's id (the link's tables name it so).
    pub shared: String,
    /// Its text as the sender's file words it.
    pub text: String,
    /// This file's question, if any.
    pub mine: Option<String>,
    pub how: Option<How>,
    pub columns: Option<Columns>,
    /// The shared question is personal (an id, a name): only then may it meet one of this
    /// file's personal columns.
    #[serde(default)]
    pub personal: bool,
}

impl MatchRow {
    /// 「問1 → Q1（同じ問番号（Q1））」, or that it met nothing.
    pub fn message(&self) -> Message {
        match (&self.mine, &self.how) {
            (Some(mine), Some(how)) => {
                let h = how.message();
                let (cj, ce) = self
                    .columns
                    .map(|c| {
                        let m = c.message();
                        (format!("、{}", m.ja), format!("; {}", m.en))
                    })
                    .unwrap_or_default();
                Message::new(
                    format!("「{}」→「{mine}」（{}{cj}）", self.shared, h.ja),
                    format!("“{}” → “{mine}” ({}{ce})", self.shared, h.en),
                )
            }
            _ => Message::new(
                format!(
                    "「{}」に当たる設問が見つかりません（対応づけで選んでください）",
                    self.shared
                ),
                format!(
                    "“{}” matches no question of this file (choose one in the matching)",
                    self.shared
                ),
            ),
        }
    }
}

/// One of this file's questions, as a select offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// A column this file holds as personal: offered only to a personal shared question.
    #[serde(default)]
    pub personal: bool,
}

/// The proposal for every shared question, and what the user may choose from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Matching {
    pub rows: Vec<MatchRow>,
    pub choices: Vec<Choice>,
    /// The text comparison stopped at [`MAX_COMPARED`].
    pub capped: bool,
    /// The user's pairs that name a question the other side lacks (a typo in a `--map`
    /// file): (shared, this file's).
    pub ignored: Vec<(String, String)>,
    /// The user's pairs that would put a shared answer question onto a column this file
    /// holds as personal (a name, an address, free text): never used, and said.
    pub refused: Vec<(String, String)>,
}

impl Matching {
    /// What the select of `row` offers: this file's questions, its personal columns only
    /// to a personal shared question (an answer question is never put on a name).
    pub fn choices_for<'a>(&'a self, row: &'a MatchRow) -> impl Iterator<Item = &'a Choice> {
        self.choices
            .iter()
            .filter(move |c| !c.personal || row.personal)
    }

    /// (shared, this file's) for every question met under another name.
    pub fn renamed(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter(|r| r.how.as_ref().is_some_and(|h| *h != How::Name))
            .filter_map(|r| r.mine.clone().map(|m| (r.shared.clone(), m)))
            .collect()
    }

    /// Shared questions that met nothing.
    pub fn unmatched(&self) -> impl Iterator<Item = &MatchRow> {
        self.rows.iter().filter(|r| r.mine.is_none())
    }

    /// Something for the user to look at: a question unmatched or met by a guess.
    pub fn needs_review(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.mine.is_none() || r.how.as_ref().is_some_and(How::is_guess))
    }

    /// What matched how (names met as they are aside: the codebook's report lists them),
    /// then what stayed unmatched; each question once.
    pub fn lines(&self) -> Vec<Message> {
        let mut out: Vec<Message> = self
            .rows
            .iter()
            .filter(|r| r.mine.is_some() && r.how != Some(How::Name))
            .map(MatchRow::message)
            .collect();
        out.extend(self.unmatched().map(MatchRow::message));
        out.extend(self.notices());
        out
    }

    /// What the matching could not do: the cap reached, the user's pairs not used.
    pub fn notices(&self) -> Vec<Message> {
        let mut out = Vec::new();
        for (theirs, mine) in &self.ignored {
            out.push(Message::new(
                format!("対応表の「{theirs}」→「{mine}」は使いませんでした（どちらかの設問が見当たりません。名前を確かめてください）"),
                format!("The map's “{theirs}” → “{mine}” was not used (one of the two questions does not exist; check the names)"),
            ));
        }
        for (theirs, mine) in &self.refused {
            out.push(Message::new(
                format!("「{theirs}」を「{mine}」に対応づけることはできません（「{mine}」は個人を特定する情報として扱う列のため、集計に使いません）"),
                format!("“{theirs}” cannot be matched to “{mine}” (“{mine}” is treated as personal information and never tabulated)"),
            ));
        }
        if self.capped {
            out.push(Message::new(
                format!("設問が多いため、文言の比較は {MAX_COMPARED} 組で打ち切りました。残りは対応づけで選んでください。"),
                format!("Too many questions: wording compared for {MAX_COMPARED} pairs only. Choose the rest in the matching."),
            ));
        }
        out
    }
}

/// Kinds that may meet: the shape of the answers, not the inference's guess between a
/// grid and a multiple answer of 0/1 columns. Personal columns meet only their own kind
/// (the setup never turns them on: `model::widening`).
fn family(kind: Kind) -> u8 {
    match kind {
        Kind::Single => 0,
        Kind::Multiple | Kind::Grid => 1,
        Kind::Numeric => 2,
        Kind::Weight => 3,
        Kind::FreeText => 4,
        Kind::Identifier => 5,
    }
}

/// The names a question's options go by (several columns: each column's option).
fn option_names(q: &Question) -> Vec<String> {
    let named: Vec<String> = if q.kind == Kind::Multiple && q.values.len() == q.columns.len() {
        q.values.iter().map(|v| v.label.clone()).collect()
    } else if q.item_texts.len() == q.columns.len() && q.item_texts.iter().all(|t| !t.is_empty()) {
        q.item_texts.clone()
    } else {
        q.columns.clone()
    };
    named
        .iter()
        .map(|n| {
            // 「問4_1　…：スポーツ」 and 「スポーツ」 name the same option: the part after
            // the last separator.
            let n = number::split(n)
                .map(|(_, t)| t)
                .unwrap_or_else(|| n.clone());
            let tail = n.rsplit(['：', ':']).next().unwrap_or(&n).to_string();
            key(&tail)
        })
        .collect()
}

/// Whether a shared question and one of ours can be the same, and how their columns pair.
fn compatible(s: &Question, r: &Question) -> Option<Option<Columns>> {
    if !may_meet(s, r) {
        return None;
    }
    if s.columns.len() == 1 {
        return Some(None);
    }
    let (a, b) = (option_names(s), option_names(r));
    let mut sa = a.clone();
    let mut sb = b.clone();
    sa.sort();
    sb.sort();
    Some(Some(if sa == sb && !a.iter().any(String::is_empty) {
        Columns::ByLabel
    } else {
        Columns::ByPosition
    }))
}

/// A question number folded so that 問1, 問１, Q1, q1, 設問1 are one and 問2-1 = Q2_1.
fn number_key(name: &str) -> Option<String> {
    let (n, _) = number::split(name)?;
    let digits = n.trim_start_matches(|c: char| !c.is_ascii_digit());
    let prefix = &n[..n.len() - digits.len()];
    let family = match prefix {
        "問" | "設問" | "Q" | "q" => "Q",
        "SQ" | "Sq" | "sq" | "付問" => "SQ",
        "F" | "f" => "F",
        _ => return None,
    };
    Some(format!("{family}{}", digits.replace('-', "_")))
}

fn number_keys(q: &Question) -> Vec<String> {
    let mut names = vec![&q.id, &q.label];
    if q.columns.len() == 1 {
        names.push(&q.columns[0]);
    }
    let mut keys: Vec<String> = names.into_iter().filter_map(|n| number_key(n)).collect();
    keys.dedup();
    keys
}

/// The question's wording for comparison: its text, else its label without the number;
/// folded (NFKC, lower case, no spaces or punctuation), at most [`MAX_TEXT_CHARS`].
fn wording(q: &Question) -> Vec<char> {
    let raw = if !q.text.trim().is_empty() {
        q.text.clone()
    } else {
        match number::split(&q.label) {
            Some((_, t)) => t,
            None if q.label != q.id || number::split(&q.id).is_none() => q.label.clone(),
            None => String::new(),
        }
    };
    let raw = number::split(&raw).map(|(_, t)| t).unwrap_or(raw);
    raw.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .take(MAX_TEXT_CHARS)
        .collect()
}

/// Sorted character bigrams (one character: itself), for Dice.
fn bigrams(w: &[char]) -> Vec<(char, char)> {
    let mut b: Vec<(char, char)> = if w.len() == 1 {
        vec![(w[0], '\0')]
    } else {
        w.windows(2).map(|p| (p[0], p[1])).collect()
    };
    b.sort_unstable();
    b
}

/// Dice coefficient of two sorted bigram lists (as multisets).
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// This file's names, folded (`text::key`) once: by id first, then by label or column
/// (what `codebook::apply` meets a name by).
struct Names {
    by_id: HashMap<String, usize>,
    by_other: HashMap<String, usize>,
}

impl Names {
    fn of(questions: &[&Question]) -> Names {
        let mut by_id = HashMap::new();
        let mut by_other = HashMap::new();
        for (j, q) in questions.iter().enumerate() {
            by_id.entry(key(&q.id)).or_insert(j);
            by_other.entry(key(&q.label)).or_insert(j);
            for c in &q.columns {
                by_other.entry(key(c)).or_insert(j);
            }
        }
        Names { by_id, by_other }
    }

    fn find(&self, name: &str) -> Option<usize> {
        let k = key(name);
        self.by_id
            .get(&k)
            .or_else(|| self.by_other.get(&k))
            .copied()
    }
}

/// Cheap first test of [`compatible`]: the same family of kinds and as many columns.
fn may_meet(s: &Question, r: &Question) -> bool {
    // Free text read as one answer from a list by one file (a coded column without its
    // wording) is still free text: the setup may turn it off, never on.
    let text_or_single = |k: Kind| matches!(k, Kind::FreeText | Kind::Single);
    let kinds = family(s.kind) == family(r.kind)
        || (s.columns.len() == 1 && text_or_single(s.kind) && text_or_single(r.kind));
    kinds && s.columns.len() == r.columns.len()
}

/// The proposal for each shared question. `chosen`: (shared, this file's) the user
/// decided; an empty one of ours says "none" (the shared question stays unmatched); a
/// pair naming a question that does not exist is listed in `ignored`.
pub fn propose(shared: &SurveyModel, mine: &SurveyModel, chosen: &[(String, String)]) -> Matching {
    let rows_of: Vec<&Question> = shared.questions.iter().collect();
    let ours: Vec<&Question> = mine.questions.iter().collect();
    let mut matching = Matching {
        rows: rows_of
            .iter()
            .map(|s| MatchRow {
                shared: s.id.clone(),
                text: if s.text.is_empty() {
                    s.label.clone()
                } else {
                    s.text.clone()
                },
                mine: None,
                how: None,
                columns: None,
                personal: s.kind.personal(),
            })
            .collect(),
        choices: ours
            .iter()
            .map(|q| Choice {
                id: q.id.clone(),
                label: q.label.clone(),
                personal: q.kind.personal(),
            })
            .collect(),
        capped: false,
        ignored: Vec::new(),
        refused: Vec::new(),
    };
    let mut taken = vec![false; ours.len()];
    let mut decided = vec![false; rows_of.len()];
    let set = |m: &mut Matching,
               taken: &mut Vec<bool>,
               decided: &mut Vec<bool>,
               i: usize,
               j: usize,
               how: How| {
        let columns = compatible(rows_of[i], ours[j]).flatten();
        m.rows[i].mine = Some(ours[j].id.clone());
        m.rows[i].how = Some(how);
        m.rows[i].columns = columns;
        taken[j] = true;
        decided[i] = true;
    };

    // 1. The user's choice (any kind: the user knows best), or their "none" (empty) —
    // except onto a column this file holds as personal: the setup would not turn it on
    // (`model::widening`), so the screen must not say it met.
    for (theirs, pick) in chosen {
        let i = rows_of.iter().position(|s| s.id == *theirs);
        let j = ours.iter().position(|q| q.id == *pick || q.label == *pick);
        match (i, j) {
            (Some(i), _) if pick.trim().is_empty() => decided[i] = true,
            (Some(i), Some(j)) if ours[j].kind.personal() && !rows_of[i].kind.personal() => {
                matching.refused.push((theirs.clone(), pick.clone()))
            }
            (Some(i), Some(j)) if !decided[i] && !taken[j] => {
                set(&mut matching, &mut taken, &mut decided, i, j, How::Chosen)
            }
            (Some(_), Some(_)) => {}
            // A map's header row (共有された設問, このファイルの設問) names neither.
            (None, None) => {}
            _ => matching.ignored.push((theirs.clone(), pick.clone())),
        }
    }
    // 2. The same name.
    let names = Names::of(&ours);
    for (i, s) in rows_of.iter().enumerate() {
        if decided[i] {
            continue;
        }
        let here = names.find(&s.id).or_else(|| {
            (s.columns.len() == 1)
                .then(|| names.find(&s.columns[0]))
                .flatten()
        });
        if let Some(j) = here {
            if !taken[j] {
                set(&mut matching, &mut taken, &mut decided, i, j, How::Name);
            }
        }
    }
    // 3. The same national item (one column each).
    for (i, s) in rows_of.iter().enumerate() {
        if decided[i] || s.columns.len() != 1 {
            continue;
        }
        let Some(item) = shared
            .national
            .iter()
            .find(|m| m.column == s.columns[0] || m.column == s.id)
            .map(|m| m.item)
        else {
            continue;
        };
        let Some(column) = mine
            .national
            .iter()
            .find(|m| m.item == item)
            .map(|m| &m.column)
        else {
            continue;
        };
        if let Some(j) = ours
            .iter()
            .position(|q| q.columns.len() == 1 && (&q.columns[0] == column || &q.id == column))
        {
            if !taken[j] && compatible(s, ours[j]).is_some() {
                set(
                    &mut matching,
                    &mut taken,
                    &mut decided,
                    i,
                    j,
                    How::National(item.ja().to_string()),
                );
            }
        }
    }
    // 4. The same question number, when exactly one free question of ours has it.
    let words_s: Vec<Vec<char>> = rows_of.iter().map(|q| wording(q)).collect();
    let words_r: Vec<Vec<char>> = ours.iter().map(|q| wording(q)).collect();
    let grams_s: Vec<Vec<(char, char)>> = words_s.iter().map(|w| bigrams(w)).collect();
    let grams_r: Vec<Vec<(char, char)>> = words_r.iter().map(|w| bigrams(w)).collect();
    let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
    for (j, q) in ours.iter().enumerate() {
        for k in number_keys(q) {
            by_number.entry(k).or_default().push(j);
        }
    }
    for (i, s) in rows_of.iter().enumerate() {
        if decided[i] {
            continue;
        }
        for k in number_keys(s) {
            let Some(js) = by_number.get(&k) else {
                continue;
            };
            let free: Vec<usize> = js
                .iter()
                .copied()
                .filter(|&j| !taken[j] && may_meet(s, ours[j]))
                .collect();
            let [j] = free[..] else { continue };
            let unlike = !grams_s[i].is_empty()
                && !grams_r[j].is_empty()
                && dice(&grams_s[i], &grams_r[j]) < NUMBER_TEXT_FLOOR;
            if !unlike {
                let shown = number::split(&ours[j].id)
                    .map(|(n, _)| n)
                    .unwrap_or_else(|| k.clone());
                set(
                    &mut matching,
                    &mut taken,
                    &mut decided,
                    i,
                    j,
                    How::Number(shown),
                );
                break;
            }
        }
    }
    // 5. Similar wording, within the cap.
    let mut compared = 0usize;
    let mut accepted: Vec<(f64, usize, usize)> = Vec::new();
    'shared: for i in 0..rows_of.len() {
        if decided[i] || grams_s[i].is_empty() {
            continue;
        }
        let (mut best, mut second) = ((0.0f64, usize::MAX), 0.0f64);
        for j in 0..ours.len() {
            if taken[j] || grams_r[j].is_empty() || !may_meet(rows_of[i], ours[j]) {
                continue;
            }
            if compared == MAX_COMPARED {
                matching.capped = true;
                break 'shared;
            }
            compared += 1;
            let d = dice(&grams_s[i], &grams_r[j]);
            if d > best.0 {
                second = best.0;
                best = (d, j);
            } else if d > second {
                second = d;
            }
        }
        if best.0 >= TEXT_THRESHOLD && best.0 - second >= TEXT_MARGIN {
            accepted.push((best.0, i, best.1));
        }
    }
    // The closest pairs first: one question of ours for one shared question.
    accepted.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (d, i, j) in accepted {
        if !taken[j] {
            let percent = (d * 100.0).floor() as u8;
            set(
                &mut matching,
                &mut taken,
                &mut decided,
                i,
                j,
                How::Text(percent),
            );
        }
    }
    matching
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::question::ValueLabel;

    fn q(id: &str, label: &str, text: &str, kind: Kind, columns: &[&str]) -> Question {
        Question {
            id: id.into(),
            label: label.into(),
            text: text.into(),
            kind,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            item_texts: Vec::new(),
            multi: None,
            values: Vec::new(),
            ordered: false,
            certainty: crate::model::Certainty::Likely,
            reason: String::new(),
            include: true,
        }
    }

    fn model(questions: Vec<Question>) -> SurveyModel {
        SurveyModel {
            questions,
            ..SurveyModel::default()
        }
    }

    fn met(m: &Matching, shared: &str) -> (Option<String>, Option<How>) {
        let r = m.rows.iter().find(|r| r.shared == shared).unwrap();
        (r.mine.clone(), r.how.clone())
    }

    #[test]
    fn question_numbers_meet_across_their_spellings() {
        let shared = model(vec![
            q(
                "問1",
                "問1　あなたは孤独ですか",
                "あなたは孤独ですか",
                Kind::Single,
                &["問1　あなたは孤独ですか"],
            ),
            q("問2-1", "問2-1", "", Kind::Single, &["問2-1"]),
            q("SQ1", "SQ1", "", Kind::Single, &["SQ1"]),
        ]);
        let mine = model(vec![
            q("Q1", "Q1", "", Kind::Single, &["Q1"]),
            q("q2_1", "q2_1", "", Kind::Single, &["q2_1"]),
            q("問1_2", "問1_2", "", Kind::Single, &["問1_2"]),
            q("SQ1", "SQ1", "", Kind::Single, &["SQ1"]),
        ]);
        let m = propose(&shared, &mine, &[]);
        assert_eq!(
            met(&m, "問1"),
            (Some("Q1".into()), Some(How::Number("Q1".into())))
        );
        assert_eq!(
            met(&m, "問2-1"),
            (Some("q2_1".into()), Some(How::Number("q2_1".into())))
        );
        assert_eq!(met(&m, "SQ1"), (Some("SQ1".into()), Some(How::Name)));
        assert_eq!(
            m.renamed(),
            [("問1".into(), "Q1".into()), ("問2-1".into(), "q2_1".into())]
        );
        assert!(m.needs_review());
    }

    #[test]
    fn a_number_on_a_different_question_is_not_trusted() {
        let shared = model(vec![q(
            "問1",
            "問1",
            "あなたはどの程度、孤独であると感じますか",
            Kind::Single,
            &["問1"],
        )]);
        let mine = model(vec![q(
            "Q1",
            "Q1",
            "お住まいの地区を教えてください",
            Kind::Single,
            &["Q1"],
        )]);
        assert_eq!(met(&propose(&shared, &mine, &[]), "問1"), (None, None));
    }

    #[test]
    fn similar_wording_meets_with_its_percentage_and_a_margin() {
        let shared = model(vec![
            q(
                "孤独感",
                "孤独感",
                "あなたはどの程度、孤独であると感じることがありますか。",
                Kind::Single,
                &["孤独感"],
            ),
            q(
                "助け",
                "助け",
                "お住まいの地域の人は、困ったときに助けてくれると思いますか",
                Kind::Single,
                &["助け"],
            ),
        ]);
        let mine = model(vec![
            q(
                "v7",
                "v7",
                "あなたはどの程度　孤独だと感じることがありますか",
                Kind::Single,
                &["v7"],
            ),
            q(
                "v8",
                "v8",
                "地域の人は困ったとき助けてくれると思いますか",
                Kind::Single,
                &["v8"],
            ),
            q(
                "v9",
                "v9",
                "地域の人は困ったとき助けてくれると思いますか（近所）",
                Kind::Single,
                &["v9"],
            ),
            // The same wording but a number: not the same kind of question.
            q(
                "v10",
                "v10",
                "あなたはどの程度、孤独であると感じることがありますか。",
                Kind::Numeric,
                &["v10"],
            ),
        ]);
        let m = propose(&shared, &mine, &[]);
        let (mine_q, how) = met(&m, "孤独感");
        assert_eq!(mine_q.as_deref(), Some("v7"));
        assert!(
            matches!(how, Some(How::Text(p)) if (60..100).contains(&p)),
            "{how:?}"
        );
        // v8 and v9 are as close as each other: too close to call.
        assert_eq!(met(&m, "助け"), (None, None));
        assert_eq!(m.unmatched().count(), 1);
    }

    #[test]
    fn two_shared_questions_never_meet_one_of_ours() {
        let text = "あなたは、同居していない家族や友人と直接会って話すことがどのくらいありますか";
        let shared = model(vec![
            q("a", "a", text, Kind::Single, &["a"]),
            q("b", "b", &format!("{text}。"), Kind::Single, &["b"]),
        ]);
        let mine = model(vec![q("x", "x", text, Kind::Single, &["x"])]);
        let m = propose(&shared, &mine, &[]);
        let to_x = m
            .rows
            .iter()
            .filter(|r| r.mine.as_deref() == Some("x"))
            .count();
        assert_eq!(to_x, 1);
    }

    #[test]
    fn several_columns_pair_by_option_name_else_position() {
        let opts = |labels: &[&str]| -> Vec<ValueLabel> {
            labels
                .iter()
                .map(|l| ValueLabel {
                    code: l.to_string(),
                    label: l.to_string(),
                    ..ValueLabel::default()
                })
                .collect()
        };
        let mut s = q(
            "問4",
            "問4",
            "活動",
            Kind::Multiple,
            &["問4_1　活動：スポーツ", "問4_2　活動：趣味"],
        );
        s.values = opts(&["スポーツ", "趣味"]);
        let mut r = q("Q4", "Q4", "", Kind::Multiple, &["Q4_1", "Q4_2"]);
        r.values = opts(&["趣味", "スポーツ"]);
        let m = propose(&model(vec![s.clone()]), &model(vec![r]), &[]);
        assert_eq!(m.rows[0].mine.as_deref(), Some("Q4"));
        assert_eq!(m.rows[0].columns, Some(Columns::ByLabel));
        let g = q("Q4", "Q4", "", Kind::Grid, &["Q4_1", "Q4_2"]);
        let m = propose(&model(vec![s.clone()]), &model(vec![g]), &[]);
        assert_eq!(m.rows[0].columns, Some(Columns::ByPosition));
        // Three columns for two: not the same question.
        let three = q("Q4", "Q4", "", Kind::Grid, &["Q4_1", "Q4_2", "Q4_3"]);
        assert_eq!(
            propose(&model(vec![s]), &model(vec![three]), &[]).rows[0].mine,
            None
        );
    }

    #[test]
    fn the_users_choice_comes_first_and_none_means_none() {
        let shared = model(vec![
            q("問1", "問1", "", Kind::Single, &["問1"]),
            q("性別", "性別", "", Kind::Single, &["性別"]),
        ]);
        let mine = model(vec![
            q("Q1", "Q1", "", Kind::Single, &["Q1"]),
            q("Q9", "Q9", "", Kind::Single, &["Q9"]),
            q("性別", "性別", "", Kind::Single, &["性別"]),
        ]);
        let chosen = [
            ("問1".to_string(), "Q9".to_string()),
            ("性別".to_string(), String::new()),
        ];
        let m = propose(&shared, &mine, &chosen);
        assert_eq!(met(&m, "問1"), (Some("Q9".into()), Some(How::Chosen)));
        assert_eq!(met(&m, "性別"), (None, None));
    }

    #[test]
    fn a_hostile_setup_stays_bounded() {
        // 2,000 shared questions against 2,000 of ours, all alike: the comparison stops
        // at the cap, says so, and takes no longer than the cap allows.
        let many = |p: &str| {
            model(
                (0..2000)
                    .map(|i| {
                        let t = format!("あいうえおかきくけこさしすせそ{}{i}", "た".repeat(200));
                        q(
                            &format!("{p}{i}"),
                            &format!("{p}{i}"),
                            &t,
                            Kind::Single,
                            &[&format!("{p}{i}")],
                        )
                    })
                    .collect(),
            )
        };
        let started = std::time::Instant::now();
        let m = propose(&many("s"), &many("r"), &[]);
        assert!(m.capped);
        assert!(m.lines().iter().any(|l| l.ja.contains("打ち切りました")));
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
