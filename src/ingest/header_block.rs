//! A header of more than one row, as data-entry vendors deliver sheets: question numbers
//! (問1, 問2, 問3 over the three columns of a multiple answer, F1, F2), then the
//! questions' texts, then the options' names under a multiple answer. Read as respondents,
//! those rows add people who don't exist and a bogus answer to every table, and turn a
//! number column such as 年齢 into text; so they are found (`detect`) and combined into
//! one name per column (`combine`) that the model splits back into number, text and
//! option (`model::number`).

use crate::table::parse_number;

/// Rows after the header's first one that can belong to the header.
pub const MAX_EXTRA: usize = 3;
/// Rows held back to decide: the possible header rows and enough answers below them.
pub const LOOKAHEAD: usize = MAX_EXTRA + 50;
/// Answers a column needs below a row to say "this column holds numbers".
const MIN_NUMBERS_BELOW: usize = 3;

/// How many of `rows` (the rows after the header's first, cells trimmed) are more of the
/// header. A row is, when in the columns that hold only numbers below it, it has text and
/// no number: a respondent answers 年齢 with a number, a header writes 年齢. At least two
/// such columns with different texts, so that one respondent's 「不明」
/// is not a header; the rows above a header row must be header rows too.
pub fn detect(rows: &[Vec<String>]) -> usize {
    let mut extra = 0;
    while extra < MAX_EXTRA.min(rows.len()) {
        let below = &rows[extra + 1..];
        if below.len() < MIN_NUMBERS_BELOW || !looks_like_header(&rows[extra], below) {
            break;
        }
        extra += 1;
    }
    extra
}

fn cell(r: &[String], j: usize) -> &str {
    r.get(j).map_or("", String::as_str)
}

fn looks_like_header(row: &[String], below: &[Vec<String>]) -> bool {
    let width = below.iter().map(Vec::len).max().unwrap_or(0).max(row.len());
    let numeric: Vec<usize> = (0..width)
        .filter(|&j| {
            let mut numbers = 0;
            for r in below {
                let v = cell(r, j);
                if v.is_empty() {
                    continue;
                }
                if parse_number(v).is_none() {
                    return false;
                }
                numbers += 1;
            }
            numbers >= MIN_NUMBERS_BELOW
        })
        .collect();
    let filled: Vec<&str> = numeric
        .iter()
        .map(|&j| cell(row, j))
        .filter(|v| !v.is_empty())
        .collect();
    let texts = filled.iter().filter(|v| parse_number(v).is_none()).count();
    // A header names different things; a respondent's 「無回答」 written in every
    // column is one text.
    let distinct = filled
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len();
    texts == filled.len() && texts >= 2 && distinct >= 2
}

/// One name per column from the header's rows: the number (a blank under a merged cell
/// takes the number on its left when the header's last row names something below it:
/// vendors merge a multiple answer's number over its options), then the text, then
/// the option: 「問1　あなたはどの程度…」, and for a number over several columns
/// 「問3_1　相談できる相手：家族」 (numbered in order, so the columns are one question
/// whose options are named by what follows the common text).
pub fn combine(first: &[String], block: &[Vec<String>]) -> Vec<String> {
    let width = block
        .iter()
        .map(|r| last_filled(r))
        .chain([first.len()])
        .max()
        .unwrap_or(0);
    let cell = |r: &[String], j: usize| r.get(j).cloned().unwrap_or_default();
    let last = block.len();
    // The number of each column, filled in under a merged cell.
    let mut numbers: Vec<String> = (0..width).map(|j| cell(first, j)).collect();
    for j in 1..width {
        let option_below = !cell(&block[last - 1], j).is_empty();
        if numbers[j].is_empty() && option_below {
            numbers[j] = numbers[j - 1].clone();
        }
    }
    // The text rows between number and options, filled in the same way under a merged
    // text (only where options are named: a blank text elsewhere is a blank).
    let texts: Vec<Vec<String>> = if last >= 2 {
        block[..last - 1]
            .iter()
            .map(|r| {
                let mut t: Vec<String> = (0..width).map(|j| cell(r, j)).collect();
                for j in 1..width {
                    if t[j].is_empty()
                        && numbers[j] == numbers[j - 1]
                        && !cell(&block[last - 1], j).is_empty()
                    {
                        t[j] = t[j - 1].clone();
                    }
                }
                t
            })
            .collect()
    } else {
        vec![(0..width).map(|j| cell(&block[0], j)).collect()]
    };
    let options: Vec<String> = if last >= 2 {
        (0..width).map(|j| cell(&block[last - 1], j)).collect()
    } else {
        vec![String::new(); width]
    };
    let mut names = Vec::with_capacity(width);
    let mut j = 0;
    while j < width {
        // A run of one number over several columns: one question, members numbered.
        let run = if numbers[j].is_empty() {
            1
        } else {
            numbers[j..]
                .iter()
                .take_while(|n| **n == numbers[j])
                .count()
        };
        for k in 0..run {
            let c = j + k;
            let number = if run > 1 {
                format!("{}_{}", numbers[c], k + 1)
            } else {
                numbers[c].clone()
            };
            let text: Vec<&str> = texts
                .iter()
                .map(|t| t[c].as_str())
                .filter(|t| !t.is_empty())
                .collect();
            let mut name = number;
            let text = text.join("　");
            for (part, sep) in [(text.as_str(), "　"), (options[c].as_str(), "：")] {
                if part.is_empty() {
                    continue;
                }
                if name.is_empty() {
                    name = part.to_string();
                } else if sep == "：" && text.is_empty() {
                    name = format!("{name}　{part}");
                } else {
                    name = format!("{name}{sep}{part}");
                }
            }
            names.push(name);
        }
        j += run;
    }
    names
}

/// The number of cells up to the last one with a value.
fn last_filled(row: &[String]) -> usize {
    row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(String::from).collect())
            .collect()
    }

    #[test]
    fn a_block_of_three_rows_is_found_and_combined() {
        let first: Vec<String> = ["問1", "問2", "問3", "問3", "問3", "F1", "F2"]
            .map(String::from)
            .to_vec();
        let below = rows(&[
            "孤独感,つきあい,相談相手,,,性別,年齢",
            ",,家族,友人,いない,,",
            "1,2,1,0,0,1,34",
            "2,3,0,1,0,2,56",
            "3,1,1,1,0,1,71",
            "1,1,0,0,1,2,18",
        ]);
        assert_eq!(detect(&below), 2);
        assert_eq!(
            combine(&first, &below[..2]),
            [
                "問1　孤独感",
                "問2　つきあい",
                "問3_1　相談相手：家族",
                "問3_2　相談相手：友人",
                "問3_3　相談相手：いない",
                "F1　性別",
                "F2　年齢"
            ]
        );
    }

    #[test]
    fn respondents_are_not_a_header() {
        // One respondent's 不明 in a number column, with numbers elsewhere.
        assert_eq!(
            detect(&rows(&["1,不明,3", "2,40,1", "1,51,2", "2,38,1"])),
            0
        );
        // Text answers throughout: nothing to tell a header by.
        assert_eq!(detect(&rows(&["男性,はい", "女性,いいえ", "男性,はい"])), 0);
        // A respondent who answered nothing, written out: one text, not the questions'.
        assert_eq!(
            detect(&rows(&[
                "無回答,無回答,無回答",
                "1,40,2",
                "2,51,2",
                "1,38,1"
            ])),
            0
        );
        // Too few rows below to judge.
        assert_eq!(detect(&rows(&["性別,年齢", "1,34", "2,56"])), 0);
    }

    #[test]
    fn two_rows_numbers_then_option_names_under_a_merged_number() {
        let first: Vec<String> = ["問1", "問2", "", "", "F1"].map(String::from).to_vec();
        let block = rows(&["孤独感,家族,友人,いない,性別"]);
        assert_eq!(
            combine(&first, &block),
            [
                "問1　孤独感",
                "問2_1　家族",
                "問2_2　友人",
                "問2_3　いない",
                "F1　性別"
            ]
        );
    }

    #[test]
    fn merged_numbers_are_filled_in_under_options() {
        let first: Vec<String> = ["問4", "", "", "F1"].map(String::from).to_vec();
        let block = rows(&["参加している活動,,,性別", "スポーツ,趣味,なし,"]);
        assert_eq!(
            combine(&first, &block),
            [
                "問4_1　参加している活動：スポーツ",
                "問4_2　参加している活動：趣味",
                "問4_3　参加している活動：なし",
                "F1　性別"
            ]
        );
    }
}
