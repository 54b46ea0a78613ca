//! Multiple answers joined in one cell (Google Forms ", ", Microsoft Forms ";"): finding
//! the separator and splitting cells into options, right even when an option's own text
//! contains the separator, as long as the option list is known.

use crate::table::Column;

/// More distinct options than this in one question is not a checkbox list.
const MAX_OPTIONS: usize = 60;

/// Separators forms use, most specific first.
pub const SEPARATORS: [&str; 2] = [";", ", "];

/// The separator when the column looks like joined multiple answers: several cells hold
/// it, and the pieces recur (they are options, not sentences).
pub fn guess_separator(col: &Column) -> Option<&'static str> {
    let counts = col.code_counts();
    // (Numbers first, without listing the values: a column of ids has a million.)
    let used = (1..col.values.len()).filter(|&c| counts[c] > 0);
    if used.clone().all(|c| col.numbers[c].is_some()) {
        return None;
    }
    let used: Vec<usize> = used.collect();
    if used.len() < 2 {
        return None;
    }
    let nonblank: u64 = used.iter().map(|&c| counts[c]).sum();
    SEPARATORS.into_iter().find(|sep| {
        let joined: u64 = used
            .iter()
            .filter(|&&c| holds(&col.values[c], sep))
            .map(|&c| counts[c])
            .sum();
        if joined < 2 {
            return false;
        }
        // Pieces and how many cells each is in. More than MAX_OPTIONS distinct pieces
        // is prose, not options: stop there (a free-text column has thousands).
        let mut pieces: Vec<(&str, u64)> = Vec::new();
        for &c in &used {
            for piece in col.values[c]
                .split(sep)
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match pieces.iter().position(|(p, _)| *p == piece) {
                    Some(i) => pieces[i].1 += counts[c],
                    None if pieces.len() == MAX_OPTIONS => return false,
                    None => pieces.push((piece, counts[c])),
                }
            }
        }
        let occurrences: u64 = pieces.iter().map(|p| p.1).sum();
        let recurring: u64 = pieces.iter().filter(|p| p.1 >= 2).map(|p| p.1).sum();
        // Joined answers: fewer distinct pieces than distinct cells, the pieces mostly
        // recur, the pieces are short, and joined cells are not a rarity.
        let mean_len = pieces.iter().map(|p| p.0.chars().count()).sum::<usize>() as f64
            / pieces.len().max(1) as f64;
        pieces.len() <= used.len()
            && recurring as f64 >= 0.8 * occurrences as f64
            && mean_len <= 40.0
            && joined as f64 >= 0.05 * nonblank as f64
    })
}

/// Whether `value` holds `sep`: its first byte found with memchr, then the rest compared.
/// A free-text column has hundreds of thousands of distinct values, and `str::contains`
/// (a two-way search) over them was the largest part of inferring the 1M bench file's
/// questions in the browser.
fn holds(value: &str, sep: &str) -> bool {
    let (bytes, sep) = (value.as_bytes(), sep.as_bytes());
    let Some(&first) = sep.first() else {
        return true;
    };
    memchr::memchr_iter(first, bytes).any(|i| bytes[i..].starts_with(sep))
}

/// Splits one cell into options. Known options are matched first (longest first), so
/// "スポーツ, 趣味" stays one option when the list has it; the rest splits at `sep`.
pub fn split<'a>(cell: &'a str, sep: &str, known: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = cell.trim();
    let sep_trim = sep.trim();
    while !rest.is_empty() {
        let hit = known
            .iter()
            .filter(|k| {
                // A known option matches only where the cell ends or a separator follows.
                rest.starts_with(**k) && {
                    let after = rest[k.len()..].trim_start();
                    after.is_empty() || after.starts_with(sep_trim)
                }
            })
            .max_by_key(|k| k.len());
        let (piece, after) = match hit {
            Some(k) => (&rest[..k.len()], &rest[k.len()..]),
            None => match rest.find(sep_trim) {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            },
        };
        let piece = piece.trim();
        if !piece.is_empty() {
            out.push(piece);
        }
        rest = after.trim_start();
        rest = rest.strip_prefix(sep_trim).unwrap_or(rest).trim_start();
    }
    out
}

/// The options of a joined column when no list is known: the pieces between separators,
/// except that two pieces which only ever occur together, one right after the other, are
/// one option whose text holds the separator (「医師, 看護師などの医療関係者」).
pub fn infer_options(col: &Column, sep: &str) -> Vec<String> {
    use std::collections::HashMap;
    let counts = col.code_counts();
    let mut cells: Vec<(Vec<String>, u64)> = (1..col.values.len())
        .filter(|&c| counts[c] > 0)
        .map(|c| {
            let pieces = split(&col.values[c], sep, &[])
                .into_iter()
                .map(String::from)
                .collect();
            (pieces, counts[c])
        })
        .collect();
    for _ in 0..MAX_OPTIONS {
        let mut alone: HashMap<&str, u64> = HashMap::new();
        let mut pairs: HashMap<(&str, &str), u64> = HashMap::new();
        for (pieces, n) in &cells {
            for p in pieces {
                *alone.entry(p).or_default() += n;
            }
            for w in pieces.windows(2) {
                *pairs.entry((&w[0], &w[1])).or_default() += n;
            }
        }
        let merge = pairs
            .iter()
            .filter(|((a, b), n)| a != b && **n >= 2 && alone[a] == **n && alone[b] == **n)
            .map(|((a, b), _)| (a.to_string(), b.to_string()))
            .min();
        let Some((a, b)) = merge else { break };
        let joined = format!("{a}{sep}{b}");
        for (pieces, _) in &mut cells {
            if let Some(i) = pieces.windows(2).position(|w| w[0] == a && w[1] == b) {
                pieces.splice(i..i + 2, [joined.clone()]);
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (pieces, _) in &cells {
        for p in pieces {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out
}

/// Each option and the number of respondents who chose it, known options first in their
/// order, then others in order of first appearance.
pub fn option_counts(col: &Column, sep: &str, known: &[&str]) -> Vec<(String, u64)> {
    let counts = col.code_counts();
    let mut out: Vec<(String, u64)> = known.iter().map(|k| (k.to_string(), 0)).collect();
    for (value, &n) in col.values.iter().zip(counts).skip(1) {
        if n == 0 {
            continue;
        }
        let mut seen: Vec<&str> = Vec::new();
        for piece in split(value, sep, known) {
            if seen.contains(&piece) {
                continue; // the same option twice in one cell counts once
            }
            seen.push(piece);
            match out.iter_mut().find(|(o, _)| o == piece) {
                Some((_, total)) => *total += n,
                None => out.push((piece.to_string(), n)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ColumnBuilder;

    fn col(values: &[&str]) -> Column {
        let mut b = ColumnBuilder::new("q".into());
        values.iter().for_each(|v| b.push(v));
        b.finish()
    }

    #[test]
    fn google_and_microsoft_forms() {
        let g = col(&["家族, 友人", "友人", "", "家族, 友人, 医師", "医師", "家族"]);
        assert_eq!(guess_separator(&g), Some(", "));
        let m = col(&["家族;友人;", "友人;", "家族;医師;", "医師;"]);
        assert_eq!(guess_separator(&m), Some(";"));
        assert_eq!(
            option_counts(&m, ";", &[]),
            vec![("家族".into(), 2), ("友人".into(), 2), ("医師".into(), 2)]
        );
        // Prose with commas is not a multiple answer.
        let prose = col(&[
            "I like it, but it is far",
            "Fine, thanks",
            "Too long, too many questions",
            "",
        ]);
        assert_eq!(guess_separator(&prose), None);
    }

    #[test]
    fn options_that_always_travel_together_are_one_option() {
        let c = col(&[
            "医師, 看護師などの医療関係者",
            "家族, 医師, 看護師などの医療関係者",
            "家族",
            "友人, 家族",
            "医師, 看護師などの医療関係者, 友人",
        ]);
        assert_eq!(
            infer_options(&c, ", "),
            vec!["医師, 看護師などの医療関係者", "家族", "友人"]
        );
        // Two real options that happen to be chosen together once are left apart.
        let c = col(&["家族, 友人", "家族", "友人, 医師"]);
        assert_eq!(infer_options(&c, ", "), vec!["家族", "友人", "医師"]);
    }

    #[test]
    fn an_option_holding_the_separator_splits_right_when_known() {
        let known = ["スポーツ, 趣味", "ボランティア", "その他"];
        assert_eq!(
            split("スポーツ, 趣味, ボランティア", ", ", &known),
            vec!["スポーツ, 趣味", "ボランティア"]
        );
        assert_eq!(
            split("ボランティア, スポーツ, 趣味", ", ", &known),
            vec!["ボランティア", "スポーツ, 趣味"]
        );
        // Unknown without the list: splits at every separator.
        assert_eq!(split("スポーツ, 趣味", ", ", &[]), vec!["スポーツ", "趣味"]);
        // A known option that is only a prefix of a longer piece is not matched.
        assert_eq!(
            split("その他の活動, ボランティア", ", ", &known),
            vec!["その他の活動", "ボランティア"]
        );
    }

    #[test]
    fn holds_is_contains() {
        for value in [
            "",
            "a",
            ";",
            "a;b",
            "a,b",
            "a, b",
            "a,",
            ", ",
            "スポーツ, 趣味",
            "a,,  b",
            "x;",
        ] {
            for sep in SEPARATORS.into_iter().chain(["", "、", ",,"]) {
                assert_eq!(holds(value, sep), value.contains(sep), "{value:?} {sep:?}");
            }
        }
    }
}
