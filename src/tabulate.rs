//! Simple tabulation (単純集計) of one column: each answer, its count and its share.
//!
//! As the national survey publishes, blank answers are their own category (無回答) and
//! stay inside the base, so the percentages of all categories sum to 100.

use serde::{Deserialize, Serialize};

use crate::model::order::{leading_number, NO_ANSWER};
use crate::table::{Column, BLANK};

/// How categories are ordered (無回答 always comes last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Numbers ascending when every answer is a number or starts with one (20～29歳),
    /// otherwise most frequent first.
    #[default]
    Natural,
    /// Most frequent first.
    Count,
    /// In the order the answers first appear in the file.
    File,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Category {
    pub label: String,
    pub count: u64,
    /// Share of all respondents (無回答 included in the base), in percent. For a multiple
    /// answer: share of the respondents who answered the question.
    pub percent: f64,
    pub no_answer: bool,
    /// The value as it is in the file ("1" for 決してない in a coded file).
    #[serde(default)]
    pub code: String,
    /// Share of those who answered (有効%): 無回答 left out of the base.
    #[serde(default)]
    pub valid_percent: Option<f64>,
    /// Running total of the valid % down the table (累積%).
    #[serde(default)]
    pub cumulative_percent: Option<f64>,
    /// A value the codebook does not list (a typo, or a code missing from the codebook).
    #[serde(default)]
    pub unlisted: bool,
    /// Multiple answer: share of all answers given (% of responses).
    #[serde(default)]
    pub response_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Tabulation {
    pub column: String,
    /// The question's label (the column name when there is no codebook).
    #[serde(default)]
    pub title: String,
    /// The base of every percentage: all rows asked (無回答 included); for a multiple
    /// answer, the respondents who chose at least one option.
    pub base: u64,
    pub categories: Vec<Category>,
    /// Respondents to whom the question did not apply (非該当): outside the base.
    #[serde(default)]
    pub not_applicable: u64,
    #[serde(default)]
    pub multiple: Option<MultipleBase>,
}

/// The bases of a multiple-answer tabulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MultipleBase {
    /// All rows.
    pub rows: u64,
    /// Rows with no option chosen (無回答), outside the base.
    pub no_answer: u64,
    /// Options chosen, summed over respondents (the base of % of responses).
    pub responses: u64,
}

impl Tabulation {
    /// Answers that are not blank.
    pub fn answered(&self) -> u64 {
        self.categories
            .iter()
            .filter(|c| !c.no_answer)
            .map(|c| c.count)
            .sum()
    }
}

pub fn tabulate(column: &Column, order: Order) -> Tabulation {
    let counts = column.code_counts();
    let base: u64 = counts.iter().sum();
    let mut codes: Vec<usize> = (1..counts.len()).filter(|&c| counts[c] > 0).collect();
    match order {
        Order::Natural
            if codes
                .iter()
                .all(|&c| leading_number(&column.values[c]).is_some()) =>
        {
            // Numbers, or labels that start with one (20～29歳, 80歳以上, 1 決してない):
            // in that order, as the questionnaire lists them.
            codes.sort_by(|&a, &b| {
                let key = |c: usize| {
                    column.numbers[c]
                        .or_else(|| leading_number(&column.values[c]))
                        .unwrap_or(0.0)
                };
                key(a)
                    .total_cmp(&key(b))
                    .then_with(|| column.values[a].cmp(&column.values[b]))
            })
        }
        Order::Natural | Order::Count => {
            codes.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)))
        }
        Order::File => {}
    }
    let percent = |n: u64| {
        if base == 0 {
            0.0
        } else {
            n as f64 * 100.0 / base as f64
        }
    };
    let mut categories: Vec<Category> = codes
        .into_iter()
        .map(|c| Category {
            label: column.values[c].to_string(),
            count: counts[c],
            percent: percent(counts[c]),
            code: column.values[c].to_string(),
            ..Category::default()
        })
        .collect();
    let blank = counts.get(BLANK as usize).copied().unwrap_or(0);
    if blank > 0 {
        categories.push(Category {
            label: NO_ANSWER.to_string(),
            count: blank,
            percent: percent(blank),
            no_answer: true,
            ..Category::default()
        });
    }
    fill_valid_percent(&mut categories);
    Tabulation {
        column: column.name.clone(),
        title: column.name.clone(),
        base,
        categories,
        ..Tabulation::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ColumnBuilder;

    fn column(values: &[&str]) -> Column {
        let mut b = ColumnBuilder::new("q".into());
        values.iter().for_each(|v| b.push(v));
        b.finish()
    }

    #[test]
    fn counts_and_percentages_include_no_answer_in_the_base() {
        let t = tabulate(
            &column(&["女性", "男性", "女性", "", "女性"]),
            Order::Natural,
        );
        assert_eq!(t.base, 5);
        let got: Vec<_> = t
            .categories
            .iter()
            .map(|c| (c.label.as_str(), c.count, c.percent))
            .collect();
        assert_eq!(
            got,
            vec![("女性", 3, 60.0), ("男性", 1, 20.0), ("無回答", 1, 20.0)]
        );
        assert_eq!(t.answered(), 4);
    }

    #[test]
    fn labels_that_start_with_numbers_keep_their_order() {
        let t = tabulate(
            &column(&["80歳以上", "20～29歳", "16～19歳", "20～29歳", ""]),
            Order::Natural,
        );
        let labels: Vec<_> = t.categories.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["16～19歳", "20～29歳", "80歳以上", "無回答"]);
    }

    #[test]
    fn numeric_codes_sort_as_numbers() {
        let t = tabulate(&column(&["10", "2", "1", "2", "9"]), Order::Natural);
        let labels: Vec<_> = t.categories.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["1", "2", "9", "10"]);
        let t = tabulate(&column(&["10", "2", "1", "2"]), Order::File);
        let labels: Vec<_> = t.categories.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["10", "2", "1"]);
    }
}

/// 有効%: each answer's share of those who answered (無回答 outside the base).
pub fn fill_valid_percent(categories: &mut [Category]) {
    let valid: u64 = categories
        .iter()
        .filter(|c| !c.no_answer)
        .map(|c| c.count)
        .sum();
    let mut running = 0.0;
    for c in categories.iter_mut() {
        c.valid_percent =
            (!c.no_answer && valid > 0).then(|| c.count as f64 * 100.0 / valid as f64);
        c.cumulative_percent = c.valid_percent.map(|v| {
            running += v;
            running
        });
    }
}
