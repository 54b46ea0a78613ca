//! Is the first row a header? The reader takes the first row with a value as the column
//! names (`ingest::assemble`); in a file exported without a header row that row is the
//! first respondent, and their ID, name and address become column names — on screen, in
//! the model, and in a share link. The file alone cannot say for sure, so a name that looks
//! like an answer is a warning on load, and a share link names the columns 列1, 列2 …
//! until the user confirms the header (`SurveyModel::header_confirmed`).
//!
//! A name looks like an answer when it is a number, a date or time, a postal code, a phone
//! number or an e-mail address; when the same text is an answer further down its column;
//! or when its column holds names or free text (inferred so from its values, not its name)
//! and the name is written like those values (the same kinds of characters, as long).

use unicode_normalization::UnicodeNormalization;

use super::infer::personal_by_name;
use super::Question;
use crate::ingest::{HeaderClue, SuspectName, Warning};
use crate::table::{parse_number, Column};

/// The column names of `columns` (the file's own, in order) that look like answers.
pub fn suspect_names(columns: &[Column], questions: &[Question]) -> Vec<SuspectName> {
    columns
        .iter()
        .enumerate()
        .filter_map(|(i, col)| {
            clue(col, questions).map(|clue| SuspectName {
                column: i + 1,
                name: col.name.clone(),
                clue,
            })
        })
        .collect()
}

/// The load warning for a header that looks like data, unless the user confirmed it.
pub fn warning(columns: &[Column], questions: &[Question], confirmed: bool) -> Option<Warning> {
    if confirmed {
        return None;
    }
    let columns = suspect_names(columns, questions);
    (!columns.is_empty()).then_some(Warning::HeaderLooksLikeData { columns })
}

fn clue(col: &Column, questions: &[Question]) -> Option<HeaderClue> {
    let raw = col.name.trim();
    let name: String = raw
        .nfkc()
        .map(|c| match c {
            '‐' | '‑' | '–' | '—' | '−' => '-',
            c => c,
        })
        .collect();
    if name.is_empty() || generated(&name) {
        return None;
    }
    if email(&name) {
        return Some(HeaderClue::Email);
    }
    if postal_code(&name) {
        return Some(HeaderClue::PostalCode);
    }
    if phone(&name) {
        return Some(HeaderClue::Phone);
    }
    if date(&name) {
        return Some(HeaderClue::Date);
    }
    if parse_number(&name).is_some() {
        return Some(HeaderClue::Number);
    }
    let counts = col.code_counts();
    // A value that reads as a number is not the name, which doesn't (a value's number is
    // its trimmed text's): only the others' text is read (a column of ids has a million).
    let raw_number = parse_number(raw).is_some();
    let below = col
        .values
        .iter()
        .zip(&col.numbers)
        .enumerate()
        .skip(1)
        .any(|(i, (v, x))| counts[i] > 0 && (raw_number || x.is_none()) && v.trim() == raw);
    if below {
        return Some(HeaderClue::RecursBelow);
    }
    let personal_by_values = questions
        .iter()
        .find(|q| q.columns.contains(&col.name))
        .is_some_and(|q| q.kind.personal())
        && !personal_by_name(&name);
    if personal_by_values && like_values(&name, col, counts) {
        return Some(HeaderClue::LikeItsValues);
    }
    None
}

/// 列3 (or 列3_2): the name the reader gave a blank header.
fn generated(name: &str) -> bool {
    name.strip_prefix('列').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '_')
    })
}

fn email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.contains(char::is_whitespace)
    })
}

/// Digit groups of `s` split at `-`, when `s` is only digits and hyphens.
fn digit_groups(s: &str) -> Option<Vec<usize>> {
    let groups: Vec<&str> = s.split('-').collect();
    groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        .then(|| groups.iter().map(|g| g.len()).collect())
}

/// 123-4567, 〒123-4567.
fn postal_code(s: &str) -> bool {
    let s = s.strip_prefix('〒').unwrap_or(s).trim();
    digit_groups(s).is_some_and(|g| g == [3, 4])
}

/// 03-1234-5678, 090-1234-5678, (03)1234-5678, 0312345678, +81-3-1234-5678.
fn phone(s: &str) -> bool {
    let s: String = s
        .replacen("+81", "0", 1)
        .replace(['(', ')'], "-")
        .replace("--", "-");
    let s = s.trim_matches('-');
    match digit_groups(s) {
        Some(g) => {
            let digits: usize = g.iter().sum();
            s.starts_with('0') && (10..=11).contains(&digits) && g.len() <= 4
        }
        None => false,
    }
}

/// 2024-04-01, 2024/4/1, 01/04/2024, 2024年4月1日, 令和6年4月1日, 10:30, 2024/04/01 10:00:00.
fn date(s: &str) -> bool {
    let s = ["令和", "平成", "昭和", "R", "H", "S"]
        .iter()
        .find_map(|era| s.strip_prefix(era))
        .unwrap_or(s);
    const SEPARATORS: [char; 12] = [
        '/', '-', '.', ':', ' ', 'T', '年', '月', '日', '時', '分', '秒',
    ];
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || SEPARATORS.contains(&c))
    {
        return false;
    }
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 2
        && (s.contains(':')
            || s.contains(['年', '月', '日'])
            || groups.first().is_some_and(|g| g.len() == 4)
            || groups.last().is_some_and(|g| g.len() == 4))
}

/// Which kinds of characters a text uses: digits, Latin letters, kana, kanji, others.
fn char_kinds(s: &str) -> u8 {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '0'..='9' => 1,
            c if c.is_ascii_alphabetic() => 2,
            '\u{3040}'..='\u{30FF}' => 4,
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '々' => 8,
            _ => 16,
        })
        .fold(0, |a, b| a | b)
}

/// The name uses the same kinds of characters as at least half of the column's answers
/// (looked at up to 200 of them) and is about as long as they are.
fn like_values(name: &str, col: &Column, counts: &[u64]) -> bool {
    let kinds = char_kinds(name);
    let len = name.chars().count();
    let sample: Vec<String> = (1..col.values.len())
        .filter(|&i| counts[i] > 0)
        .take(200)
        .map(|i| col.values[i].nfkc().collect())
        .collect();
    if sample.is_empty() {
        return false;
    }
    let lens = sample.iter().map(|v| v.chars().count());
    let (min, max) = (lens.clone().min().unwrap_or(0), lens.max().unwrap_or(0));
    let same = sample.iter().filter(|v| char_kinds(v) == kinds).count();
    same * 2 >= sample.len() && (min..=max).contains(&len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_answers() {
        assert!(email("user1@example.jp") && !email("@example") && !email("a@b"));
        for s in ["123-4567", "〒123-4567"] {
            assert!(postal_code(s), "{s}");
        }
        for s in [
            "03-1234-5678",
            "090-1234-5678",
            "(03)1234-5678",
            "0312345678",
            "+81-3-1234-5678",
        ] {
            assert!(phone(s), "{s}");
        }
        for s in [
            "2024-04-01",
            "2024/4/1",
            "01/04/2024",
            "2024年4月1日",
            "令和6年4月1日",
            "10:30",
            "2024/04/01 10:00:00",
        ] {
            assert!(date(s), "{s}");
        }
        // Headings.
        for s in [
            "問1",
            "Q2_1",
            "性別",
            "年齢",
            "メールアドレス",
            "タイムスタンプ",
            "問5-1",
            "1-2",
        ] {
            assert!(!email(s) && !postal_code(s) && !phone(s) && !date(s), "{s}");
        }
        assert!(generated("列3") && generated("列3_2") && !generated("列"));
    }
}
