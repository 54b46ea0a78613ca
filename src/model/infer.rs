//! Guessing the questions from the columns: which columns form one multiple-answer
//! question or a grid, which are numbers, free text, identifiers or weights. Every guess
//! carries how sure it is and why, so the user can check the unsure ones and change them.

use crate::table::{Column, Table};

use super::multi;
use super::number;
use super::order::{is_ordered, ordered_values};
use super::question::{Certainty, Kind, Missing, MultiForm, Question, ValueLabel};
use super::text::{self, key, keys, Keys};
use unicode_normalization::UnicodeNormalization;

/// Cell texts that mean "ticked" in a 0/1 multiple-answer column. 選択 / 非選択 are what a
/// coded file's labels become when Excel or a survey tool exports labels instead of codes;
/// あてはまる / あてはまらない are left out on purpose (a grid of yes/no questions says so too).
pub const TICKED: [&str; 10] = [
    "1",
    "○",
    "〇",
    "◯",
    "●",
    "✓",
    "✔",
    "TRUE",
    "選択",
    "選択あり",
];
/// Cell texts that mean "not ticked" (besides blank).
const UNTICKED: [&str; 6] = ["0", "FALSE", "×", "非選択", "選択なし", "未選択"];

/// Words in a column name that mark a personal identifier.
const IDENTIFIER_WORDS: [&str; 13] = [
    "id",
    "氏名",
    "名前",
    "お名前",
    "住所",
    "電話",
    "メール",
    "mail",
    "tel",
    "回答者番号",
    "整理番号",
    "郵便番号",
    "生年月日",
];
const WEIGHT_WORDS: [&str; 5] = ["weight", "ウェイト", "ウエイト", "重み", "wgt"];
const FREE_TEXT_WORDS: [&str; 6] = [
    "自由記述",
    "ご意見",
    "ご自由",
    "具体的",
    "自由回答",
    "お書き",
];
const NUMERIC_WORDS: [&str; 8] = [
    "年齢",
    "満年齢",
    "年数",
    "人数",
    "回数",
    "時間",
    "金額",
    "点数",
];

/// Statistics of one column that the rules below look at.
struct Profile<'a> {
    col: &'a Column,
    counts: &'a [u64],
    nonblank: u64,
    distinct: usize,
    numeric: bool,
    integers: bool,
    /// `(mean_chars, newlines)`, read from the values' text only when a rule asks: a
    /// column of ids has as many values as rows, each its own allocation, and reading
    /// them all was most of inference at a million rows (the ids are known by their
    /// name or their numbers before any rule needs their text).
    text: std::cell::OnceCell<(f64, bool)>,
}

impl<'a> Profile<'a> {
    /// One pass over the column's used values, their numbers only.
    fn of(col: &'a Column) -> Self {
        let counts = col.code_counts();
        let (mut nonblank, mut distinct) = (0u64, 0usize);
        let (mut numeric, mut integers) = (true, true);
        for (c, number) in col.numbers.iter().enumerate().skip(1) {
            let n = counts.get(c).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            nonblank += n;
            distinct += 1;
            match number {
                Some(x) => integers &= x.fract() == 0.0,
                None => numeric = false,
            }
        }
        let numeric = distinct > 0 && numeric;
        Profile {
            col,
            nonblank,
            distinct,
            numeric,
            integers: numeric && integers,
            text: std::cell::OnceCell::new(),
            counts,
        }
    }

    /// Characters per non-blank cell.
    fn mean_chars(&self) -> f64 {
        self.text().0
    }

    /// Whether a used value holds a line break.
    fn newlines(&self) -> bool {
        self.text().1
    }

    fn text(&self) -> (f64, bool) {
        *self.text.get_or_init(|| {
            let (mut chars, mut newlines) = (0u64, false);
            for (c, value) in self.col.values.iter().enumerate().skip(1) {
                let n = self.counts.get(c).copied().unwrap_or(0);
                if n > 0 {
                    chars += value.chars().count() as u64 * n;
                    newlines |= value.contains('\n');
                }
            }
            let mean = match self.nonblank {
                0 => 0.0,
                n => chars as f64 / n as f64,
            };
            (mean, newlines)
        })
    }

    /// The codes of the values some row holds (the blank's aside).
    fn used_codes(&self) -> impl Iterator<Item = usize> + '_ {
        (1..self.col.values.len()).filter(|&c| self.counts[c] > 0)
    }

    fn used_values(&self) -> impl Iterator<Item = &str> + '_ {
        self.used_codes().map(|c| self.col.values[c].as_ref())
    }

    /// The number each used value reads as (`Column::numbers`, known since the read: a
    /// column of weights was parsed again here, value by value).
    fn used_numbers(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.used_codes()
            .map(|c| self.col.numbers.get(c).copied().flatten())
    }

    fn is_binary(&self) -> bool {
        self.used_values()
            .all(|v| TICKED.contains(&v) || UNTICKED.contains(&v))
    }
}

// Each column's name is compared with every list, and `missing_label` every answer's
// label with its two lists.
static IDENTIFIER_KEYS: Keys = keys!(IDENTIFIER_WORDS);
static WEIGHT_KEYS: Keys = keys!(WEIGHT_WORDS);
static FREE_TEXT_KEYS: Keys = keys!(FREE_TEXT_WORDS);
static NUMERIC_KEYS: Keys = keys!(NUMERIC_WORDS);
static NOT_APPLICABLE_KEYS: Keys = keys!(["非該当", "該当なし"]);
static NO_ANSWER_KEYS: Keys = keys!(["無回答", "不明", "無記入", "未回答", "na", "dk/na"]);

fn name_has(name: &str, words: &Keys) -> bool {
    let k = key(name);
    words.0.iter().any(|w| {
        // Short Latin words must be whole tokens: "id" in "回答者id" yes, in "side" no.
        if w.is_ascii() && w.len() <= 3 {
            k == *w
                || k.ends_with(w.as_str())
                    && !k[..k.len() - w.len()].ends_with(|c: char| c.is_ascii_alphabetic())
                || k.starts_with(w.as_str())
                    && !k[w.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        } else {
            k.contains(w.as_str())
        }
    })
}

/// The column's name says it is an identifier or free text (氏名, 住所, ご意見 …): a
/// heading, not an answer.
pub fn personal_by_name(name: &str) -> bool {
    name_has(name, &IDENTIFIER_KEYS) || name_has(name, &FREE_TEXT_KEYS)
}

/// Questions for all columns of `table`, in file order.
pub fn infer(table: &Table) -> Vec<Question> {
    let profiles: Vec<Profile> = table.columns.iter().map(Profile::of).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < profiles.len() {
        if let Some((q, used)) = group_at(&profiles, i) {
            out.push(q);
            i += used;
            continue;
        }
        out.push(single_column(&profiles[i], table.rows));
        i += 1;
    }
    unique_ids(&mut out);
    out
}

/// Never two questions with one id (two headers 問3, or 問3 and a column named 問3): a
/// later one becomes 問3_2 …, and says so where the user checks the guesses.
fn unique_ids(questions: &mut [Question]) {
    for (i, old, new) in number::make_unique(questions.iter_mut().map(|q| &mut q.id)) {
        let q = &mut questions[i];
        q.certainty = q.certainty.min(Certainty::Likely);
        let note = format!(
            "設問番号「{old}」は別の設問にも使われているため「{new}」としました / the number {old} is used by another question too, so this one is {new}"
        );
        q.reason = if q.reason.is_empty() {
            note
        } else {
            format!("{}; {note}", q.reason)
        };
    }
}

/// A group's id and text from the stem its columns share (問4, or 「問2 あなたは」 of a
/// Google Forms grid → 問2 and あなたは), and its members' own labels with the text they
/// all start with moved to the question's text (「問4_1 活動：スポーツ」 → option スポーツ).
fn group_naming(stem: &str, labels: &[Option<String>]) -> (String, String, Option<Vec<String>>) {
    let (id, mut text) = number::split(stem).unwrap_or_else(|| (stem.to_string(), String::new()));
    let given: Vec<&str> = labels.iter().filter_map(|l| l.as_deref()).collect();
    let mut rests = None;
    if given.len() == labels.len() {
        if let Some((common, own)) = number::common_text(&given) {
            if text.is_empty() {
                text = common;
            }
            rests = Some(own);
        }
    }
    (id, text, rests)
}

/// "ma3" → ("ma", 3): a name that is letters then a number, with no separator.
fn bare_stem(name: &str) -> Option<(String, u32)> {
    let token: String = name.split_whitespace().next()?.nfkc().collect();
    let digits = token.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = token.split_at(digits);
    if prefix.is_empty() || !prefix.chars().all(char::is_alphabetic) {
        return None;
    }
    Some((prefix.to_string(), number.parse().ok()?))
}

/// 0/1 columns numbered without a separator (ma1, ma2 … ma10): one multiple answer when
/// at least three in a row hold only ticks and blanks/zeros. Less sure than a stem with a
/// separator (q1 … q40 of single answers share such names too, but are not 0/1).
fn bare_binary_group(profiles: &[Profile], i: usize) -> Option<(Question, usize)> {
    let (prefix, _) = bare_stem(&profiles[i].col.name)?;
    let members: Vec<&Profile> = profiles[i..]
        .iter()
        .take_while(|p| {
            bare_stem(&p.col.name).is_some_and(|(q, _)| q == prefix)
                && p.is_binary()
                && p.used_values().any(|v| TICKED.contains(&v))
        })
        .collect();
    if members.len() < 3 {
        return None;
    }
    let columns: Vec<String> = members.iter().map(|p| p.col.name.clone()).collect();
    let values = columns
        .iter()
        .map(|c| ValueLabel {
            code: c.clone(),
            label: c.clone(),
            missing: None,
            guessed: false,
        })
        .collect();
    Some((
        Question {
            id: prefix.clone(),
            label: prefix,
            text: String::new(),
            kind: Kind::Multiple,
            columns,
            item_texts: Vec::new(),
            multi: Some(MultiForm::Binary {
                ticked: TICKED.iter().map(|s| s.to_string()).collect(),
            }),
            values,
            ordered: false,
            certainty: Certainty::Likely,
            reason: format!(
                "番号の続く{}列の値が0/1だけです / {} numbered columns hold only 0/1",
                members.len(),
                members.len()
            ),
            include: true,
        },
        members.len(),
    ))
}

/// A multiple-answer set or grid starting at column `i`: consecutive columns sharing a
/// stem (問5_1, 問5_2 …).
fn group_at(profiles: &[Profile], i: usize) -> Option<(Question, usize)> {
    let Some(first) = text::stem(&profiles[i].col.name) else {
        return bare_binary_group(profiles, i);
    };
    let members: Vec<(&Profile, text::Stem)> = profiles[i..]
        .iter()
        .map_while(|p| {
            text::stem(&p.col.name)
                .filter(|s| s.stem == first.stem && (s.number.is_some() == first.number.is_some()))
                .map(|s| (p, s))
        })
        .collect();
    if members.len() < 2 {
        return None;
    }
    let columns: Vec<String> = members.iter().map(|(p, _)| p.col.name.clone()).collect();
    let labels: Vec<Option<String>> = members.iter().map(|(_, s)| s.label.clone()).collect();
    let (id, text, own) = group_naming(&first.stem, &labels);
    let any_ticked = members
        .iter()
        .any(|(p, _)| p.used_values().any(|v| TICKED.contains(&v)));
    if any_ticked && members.iter().all(|(p, _)| p.is_binary()) {
        let ticked: Vec<String> = TICKED.iter().map(|s| s.to_string()).collect();
        let values = members
            .iter()
            .enumerate()
            .map(|(k, (p, s))| ValueLabel {
                code: p.col.name.clone(),
                label: own
                    .as_ref()
                    .map(|o| o[k].clone())
                    .or_else(|| s.label.clone())
                    .unwrap_or_else(|| format!("選択肢{}", s.number.unwrap_or(k as u32 + 1))),
                missing: None,
                guessed: false,
            })
            .collect();
        return Some((
            Question {
                id,
                label: first.stem.clone(),
                text,
                kind: Kind::Multiple,
                columns,
                item_texts: Vec::new(),
                multi: Some(MultiForm::Binary { ticked }),
                values,
                ordered: false,
                certainty: Certainty::Sure,
                reason: format!(
                    "{}列が同じ設問番号を持ち、値が0/1（または○/空欄）だけです / {} columns share a stem and hold only 0/1 (or ○/blank)",
                    members.len(),
                    members.len()
                ),
                include: true,
            },
            members.len(),
        ));
    }
    // A grid: the items share one small set of answers.
    let mut union: Vec<&str> = Vec::new();
    for (p, _) in &members {
        for v in p.used_values() {
            if !union.contains(&v) {
                union.push(v);
            }
        }
    }
    let categorical = members
        .iter()
        .all(|(p, _)| p.distinct <= 12 && !p.newlines() && p.mean_chars() < 30.0);
    if categorical && !union.is_empty() && union.len() <= 12 {
        let mut values = ordered_values(&members[0].0.col.values, &union);
        // The shared scale's missing codes, as for one column (9 beside 1–4).
        mark_missing(&mut values, members.iter().all(|(p, _)| p.integers));
        let ordered = is_ordered(&values);
        return Some((
            Question {
                id,
                label: first.stem.clone(),
                text,
                kind: Kind::Grid,
                columns,
                item_texts: own.unwrap_or_default(),
                multi: None,
                values,
                ordered,
                certainty: Certainty::Likely,
                reason: format!(
                    "{}列が同じ設問番号と同じ選択肢を持ちます / {} columns share a stem and a scale",
                    members.len(),
                    members.len()
                ),
                include: true,
            },
            members.len(),
        ));
    }
    None
}

fn single_column(p: &Profile, rows: usize) -> Question {
    let name = &p.col.name;
    // 「問1　あなたは…」: the number is what staff type (`tab FILE 問1`), the rest the text.
    let (id, text) = number::split(name).unwrap_or_else(|| (name.clone(), String::new()));
    let mut q = Question {
        id,
        label: name.clone(),
        text,
        kind: Kind::Single,
        columns: vec![name.clone()],
        item_texts: Vec::new(),
        multi: None,
        values: Vec::new(),
        ordered: false,
        certainty: Certainty::Sure,
        reason: String::new(),
        include: true,
    };
    // Looked for once: classify decides on it, and a joined answer then splits by it.
    let separator = multi::guess_separator(p.col);
    let (kind, certainty, reason) = classify(p, rows, separator);
    q.kind = kind;
    q.certainty = certainty;
    q.reason = reason;
    q.include = !kind.personal();
    match kind {
        Kind::Single => {
            let used: Vec<&str> = p.used_values().collect();
            q.values = ordered_values(&p.col.values, &used);
            mark_missing(&mut q.values, p.integers);
            q.ordered = is_ordered(&q.values);
        }
        Kind::Multiple => {
            let sep = separator.unwrap_or(", ");
            let known = multi::infer_options(p.col, sep);
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let options = multi::option_counts(p.col, sep, &known);
            q.multi = Some(MultiForm::Joined {
                separator: sep.to_string(),
            });
            q.values = options
                .into_iter()
                .map(|(label, _)| ValueLabel {
                    code: label.clone(),
                    label,
                    missing: None,
                    guessed: false,
                })
                .collect();
        }
        _ => {}
    }
    q
}

fn classify(p: &Profile, rows: usize, separator: Option<&str>) -> (Kind, Certainty, String) {
    let name = &p.col.name;
    if name_has(name, &IDENTIFIER_KEYS) {
        return (
            Kind::Identifier,
            Certainty::Sure,
            "列名が個人を特定する情報を示しています / the name marks a personal identifier".into(),
        );
    }
    if name_has(name, &WEIGHT_KEYS) && p.numeric {
        let positive = p.used_numbers().all(|x| x.is_some_and(|x| x > 0.0));
        if positive {
            return (
                Kind::Weight,
                Certainty::Sure,
                "列名がウェイトを示し、値がすべて正の数です / named like a weight, all values positive".into(),
            );
        }
    }
    if p.nonblank == 0 {
        return (
            Kind::Single,
            Certainty::Unsure,
            "回答がありません（すべて空欄）/ no answers (all blank)".into(),
        );
    }
    if let Some(sep) = separator {
        return (
            Kind::Multiple,
            Certainty::Likely,
            format!(
                "回答が「{}」で区切られて複数入っています / answers joined by \"{}\"",
                sep.trim(),
                sep
            ),
        );
    }
    // One value per row, nearly every row filled, short: a respondent number or a
    // timestamp. (Decimal numbers are measurements, not identifiers.)
    let unique = p.nonblank > 0 && p.distinct as u64 == p.nonblank;
    let short_and_full = || {
        rows >= 10
            && p.nonblank as f64 >= 0.9 * rows as f64
            && !p.newlines()
            && p.mean_chars() < 30.0
    };
    if (!p.numeric || p.integers) && unique && short_and_full() {
        return (
            Kind::Identifier,
            Certainty::Likely,
            "値が1行ごとにすべて異なります（回答者番号など） / every row has its own value (an ID?)".into(),
        );
    }
    if !p.numeric
        && (p.newlines()
            || name_has(name, &FREE_TEXT_KEYS)
            || p.mean_chars() >= 20.0
            || (p.nonblank >= 10
                && p.distinct as f64 > 0.5 * p.nonblank as f64
                && p.mean_chars() >= 8.0))
    {
        return (
            Kind::FreeText,
            if p.newlines() || name_has(name, &FREE_TEXT_KEYS) {
                Certainty::Sure
            } else {
                Certainty::Likely
            },
            "長い文章や一つずつ異なる回答です / long or mostly distinct text".into(),
        );
    }
    // Answers coded 1–12 with 99 = 無回答 are twelve answers, not thirteen numbers.
    let answers = if p.integers {
        let codes: Vec<f64> = p.used_numbers().flatten().collect();
        p.distinct - super::missing_guess::outside_codes(&codes).len()
    } else {
        p.distinct
    };
    if p.numeric && (!p.integers || answers > 12 || name_has(name, &NUMERIC_KEYS)) {
        return (
            Kind::Numeric,
            if p.distinct > 12 {
                Certainty::Sure
            } else {
                Certainty::Likely
            },
            format!(
                "数値で、{}通りの値があります / numbers, {} distinct",
                p.distinct, p.distinct
            ),
        );
    }
    let certainty = match p.distinct {
        0..=15 => Certainty::Sure,
        16..=30 => Certainty::Likely,
        _ => Certainty::Unsure,
    };
    (
        Kind::Single,
        certainty,
        format!(
            "{}通りの回答があります / {} distinct answers",
            p.distinct, p.distinct
        ),
    )
}

/// Marks the usual missing codes: 無回答/不明/無記入 and 非該当 by label; in integer-coded
/// answers, 9/99/999 and negative codes lying outside the run of the other codes — a guess
/// (`missing_guess`), never a code inside a scale (−1/0/1, 3/6/9).
pub fn mark_missing(values: &mut [ValueLabel], integer_codes: bool) {
    for v in values.iter_mut().filter(|v| v.missing.is_none()) {
        v.missing = missing_label(&v.label);
    }
    if integer_codes {
        super::missing_guess::mark(values);
    }
}

/// 無回答 or 非該当 from how a value is labelled.
pub fn missing_label(label: &str) -> Option<Missing> {
    let k = key(label);
    if NOT_APPLICABLE_KEYS.has(&k) {
        Some(Missing::NotApplicable)
    } else if NO_ANSWER_KEYS.has(&k) {
        Some(Missing::NoAnswer)
    } else {
        None
    }
}
