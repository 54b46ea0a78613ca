//! How results read on the page and on paper: percentages by the chosen base, residual
//! marks, test results in plain words, and tables as TSV that pastes cleanly into Excel.
//! Pure, so the page, the CLI and the tests say the same thing.

use serde::{Deserialize, Serialize};

use crate::analysis::crosstab::CrosstabTable;
use crate::analysis::Tabulation;
use crate::csv_safe::neutralise;
use crate::format::format_percent;
use crate::stats::ResidualMark;

/// Which percentage a crosstab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Percent {
    /// Of each row (横%): how a group answered. The national report's usual choice.
    #[default]
    Row,
    /// Of each column (縦%).
    Column,
    /// Of all respondents in the table.
    Total,
}

impl Percent {
    pub const ALL: [Percent; 3] = [Percent::Row, Percent::Column, Percent::Total];

    pub fn ja(self) -> &'static str {
        match self {
            Percent::Row => "横%（行ごと）",
            Percent::Column => "縦%（列ごと）",
            Percent::Total => "全体%",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Percent::Row => "Row % (each row)",
            Percent::Column => "Column % (each column)",
            Percent::Total => "% of total",
        }
    }
}

/// The cell's percentage in the chosen base, formatted ("" when it has no base).
pub fn cell_percent(t: &CrosstabTable, r: usize, c: usize, mode: Percent) -> String {
    let m = match mode {
        Percent::Row => &t.row_percent,
        Percent::Column => &t.col_percent,
        Percent::Total => &t.total_percent,
    };
    m.get(r)
        .and_then(|row| row.get(c))
        .copied()
        .flatten()
        .map(format_percent)
        .unwrap_or_default()
}

/// The cell's column letters where they mean what they say: beside the column % (縦%)
/// they compare, "" in the 横% and 全体% views (a letter there would sit beside a
/// percentage it does not test).
pub fn cell_letters(t: &CrosstabTable, r: usize, c: usize, mode: Percent) -> &str {
    if mode != Percent::Column {
        return "";
    }
    t.letters
        .get(r)
        .and_then(|x| x.get(c))
        .map_or("", String::as_str)
}

/// The letter naming column `c` in the header, in the 縦% view only; 無回答 is never
/// compared, so it has none.
pub fn column_letter(t: &CrosstabTable, c: usize, mode: Percent) -> Option<String> {
    let cp = t.column_proportions.as_ref()?;
    let no_answer = t.cols.get(c).is_some_and(|l| l.no_answer);
    (mode == Percent::Column && !no_answer)
        .then(|| cp.labels.get(c).cloned())
        .flatten()
}

/// What the letters compare, for the legend under the table (Japanese, English).
pub fn letters_legend(mode: Percent) -> (&'static str, &'static str) {
    if mode == Percent::Column {
        (
            "列名の後の (A)(B)…: 数字の後の文字は、その列より縦%（列の中の割合）が統計的に高い列を示します（無回答を除いた回答で比べる列の比率の差の検定、ボンフェローニ補正、5%水準）。",
            "(A)(B)… after a column name: a letter after a column % names a column whose column % this one is significantly higher than (test of column proportions on the answers without 無回答, Bonferroni correction, 5% level).",
        )
    } else {
        (
            "列の比較の記号（A, B…）は縦%（列の中の割合）を比べたものなので、縦%で表示したときに出ます。",
            "The column letters (A, B, …) compare column %, so they are shown in the column % view.",
        )
    }
}

/// The count shown in a cell: under a weight the weighted count rounded to a whole
/// number (the % are of it), otherwise the respondents.
pub fn cell_count(t: &CrosstabTable, r: usize, c: usize) -> u64 {
    match &t.weighted {
        Some(w) => w
            .get(r)
            .and_then(|x| x.get(c))
            .map_or(0, |x| x.round() as u64),
        None => t.counts.get(r).and_then(|x| x.get(c)).copied().unwrap_or(0),
    }
}

/// A row's total in the same units as [`cell_count`].
pub fn row_total(t: &CrosstabTable, r: usize) -> u64 {
    if t.weighted.is_some() {
        t.row_bases.get(r).map_or(0, |x| x.round() as u64)
    } else {
        t.row_base_counts.get(r).copied().unwrap_or(0)
    }
}

/// A column's total in the same units as [`cell_count`].
pub fn col_total(t: &CrosstabTable, c: usize) -> u64 {
    if t.weighted.is_some() {
        t.col_bases.get(c).map_or(0, |x| x.round() as u64)
    } else {
        t.col_base_counts.get(c).copied().unwrap_or(0)
    }
}

/// The table's total in the same units as [`cell_count`].
pub fn table_total(t: &CrosstabTable) -> u64 {
    if t.weighted.is_some() {
        t.total_base.round() as u64
    } else {
        t.n
    }
}

/// ▲▲ / ▲ / ▼ / ▼▼ for an adjusted residual beyond ±2.58 / ±1.96 ("" otherwise).
pub fn mark(t: &CrosstabTable, r: usize, c: usize) -> &'static str {
    let m = t
        .tests
        .as_ref()
        .and_then(|x| x.marks.get(r).and_then(|row| row.get(c)).copied());
    match m {
        Some(ResidualMark::StrongUp) => "▲▲",
        Some(ResidualMark::Up) => "▲",
        Some(ResidualMark::Down) => "▼",
        Some(ResidualMark::StrongDown) => "▼▼",
        _ => "",
    }
}

/// The test of independence in words for non-statisticians, Japanese and English.
pub fn test_in_words(t: &CrosstabTable) -> Option<(String, String)> {
    let tests = t.tests.as_ref()?;
    let chi = tests.pearson.as_ref()?;
    let p = chi.p_value?;
    let p_text = if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    };
    let v = tests
        .cramers_v
        .map(|v| format!("、クラメールの連関係数 V = {v:.3}"))
        .unwrap_or_default();
    let scaled = if tests.scaled_to_sample_size {
        "（ウェイトを回答者数に合わせて換算）"
    } else {
        ""
    };
    let stat = format!(
        "χ² = {:.2}、自由度 {}、{p_text}{v}{scaled}",
        chi.statistic, chi.df
    );
    let (ja, en) = if p < 0.05 {
        (
            format!("行と列の間に統計的に意味のある関連があります（5%水準で有意。{stat}）。"),
            format!("The rows and columns are associated (significant at 5%; chi2 = {:.2}, df {}, {p_text}).", chi.statistic, chi.df),
        )
    } else {
        (
            format!("行と列の間に統計的に意味のある関連は見られません（{stat}）。"),
            format!(
                "No significant association (chi2 = {:.2}, df {}, {p_text}).",
                chi.statistic, chi.df
            ),
        )
    };
    let sparse = tests.sparse.as_ref().filter(|s| s.warn).map(|s| {
        format!(
            " ただし期待度数が5未満のセルが {:.0}% あり、χ²検定の結果は目安です。",
            s.share * 100.0
        )
    });
    Some((format!("{ja}{}", sparse.unwrap_or_default()), en))
}

/// The table as tab-separated text (Excel pastes it into cells): labels, then per column
/// the percentage and the count, then the base. Under a weight the counts are the
/// weighted ones rounded (ウェイト付き度数) and a last column gives the respondents
/// (回答者数). Text cells go through `csv_safe::neutralise` (a pasted label
/// "=HYPERLINK(…)" must stay a label), then lose their tabs and line breaks (which would
/// split the cell).
pub fn tsv(t: &CrosstabTable, mode: Percent, row_title: &str) -> String {
    let clean = |s: &str| neutralise(s).replace(['\t', '\n', '\r'], " ");
    let weighted = t.weighted.is_some();
    let unit = if weighted {
        "ウェイト付き度数"
    } else {
        "件数"
    };
    let mut out = String::new();
    out.push_str(&clean(row_title));
    for c in &t.cols {
        out.push_str(&format!(
            "\t{}\t{}",
            clean(&format!("{} %", c.label)),
            clean(&format!("{} {unit}", c.label))
        ));
    }
    out.push_str(&format!("\t合計 {unit}"));
    if weighted {
        out.push_str("\t回答者数");
    }
    out.push_str("\r\n");
    for (r, label) in t.rows.iter().enumerate() {
        out.push_str(&clean(&label.label));
        for c in 0..t.cols.len() {
            out.push_str(&format!(
                "\t{}\t{}",
                cell_percent(t, r, c, mode),
                cell_count(t, r, c)
            ));
        }
        out.push_str(&format!("\t{}", row_total(t, r)));
        if weighted {
            let people = t.row_base_counts.get(r).copied().unwrap_or(0);
            out.push_str(&format!("\t{people}"));
        }
        out.push_str("\r\n");
    }
    out.push_str("合計");
    for c in 0..t.cols.len() {
        out.push_str(&format!("\t\t{}", col_total(t, c)));
    }
    out.push_str(&format!("\t{}", table_total(t)));
    if weighted {
        out.push_str(&format!("\t{}", t.n));
    }
    out.push_str("\r\n");
    out
}

/// Population totals pasted from Excel: one answer and its total per line (tab- or
/// comma-separated; thousands separators and full-width digits allowed). Lines that don't
/// end in a number are skipped.
pub fn parse_pasted_totals(text: &str) -> std::collections::HashMap<String, f64> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            // Excel pastes cells with tabs (a number keeps its thousands commas); a CSV
            // line has the answer before its first comma.
            let (key, number) = line.rsplit_once('\t').or_else(|| line.split_once(','))?;
            let n = crate::table::parse_number(&number.trim().replace(',', ""))?;
            let key = key.trim();
            (!key.is_empty()).then(|| (key.to_string(), n))
        })
        .collect()
}

/// The tabulation with its answers from most to least chosen; 無回答 stays last and the
/// cumulative % is left out (it follows the questionnaire's order only).
pub fn sorted_by_count(t: &Tabulation) -> Tabulation {
    let mut out = t.clone();
    out.categories
        .sort_by(|a, b| a.no_answer.cmp(&b.no_answer).then(b.count.cmp(&a.count)));
    for c in &mut out.categories {
        c.cumulative_percent = None;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{crosstab, CrosstabSpec};
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::model::Survey;

    fn survey() -> Survey {
        let mut csv = String::from("性別,回答\n");
        for i in 0..200 {
            let sex = if i % 2 == 0 { "男性" } else { "女性" };
            let ans = if (i % 2 == 0 && i % 10 < 7) || (i % 2 == 1 && i % 10 < 2) {
                "はい"
            } else {
                "いいえ"
            };
            csv.push_str(&format!("{sex},{ans}\n"));
        }
        Survey::infer(
            read_bytes(csv.as_bytes(), ReadOptions::default())
                .unwrap()
                .table,
        )
    }

    #[test]
    fn sorting_keeps_no_answer_last() {
        use crate::analysis::Category;
        let cat = |label: &str, count, no_answer| Category {
            label: label.into(),
            count,
            no_answer,
            cumulative_percent: Some(1.0),
            ..Category::default()
        };
        let t = Tabulation {
            categories: vec![
                cat("a", 1, false),
                cat("無回答", 9, true),
                cat("b", 5, false),
            ],
            ..Tabulation::default()
        };
        let s = sorted_by_count(&t);
        let labels: Vec<&str> = s.categories.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["b", "a", "無回答"]);
        assert!(s.categories.iter().all(|c| c.cumulative_percent.is_none()));
    }

    #[test]
    fn pasted_population_totals() {
        let t = parse_pasted_totals("16～19歳\t3,100\n20～29歳\t８２００\n見出し\n80歳以上,9700\n");
        assert_eq!(t.get("16～19歳"), Some(&3100.0));
        assert_eq!(t.get("20～29歳"), Some(&8200.0));
        assert_eq!(t.get("80歳以上"), Some(&9700.0));
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn words_marks_and_tsv() {
        let s = survey();
        let x = crosstab(&s, &CrosstabSpec::new("性別", "回答")).unwrap();
        let t = &x.tables[0];
        let (ja, en) = test_in_words(t).unwrap();
        assert!(
            ja.starts_with("行と列の間に統計的に意味のある関連があります"),
            "{ja}"
        );
        assert!(en.contains("significant"));
        let marks: Vec<&str> = (0..2)
            .flat_map(|r| (0..2).map(move |c| (r, c)))
            .map(|(r, c)| mark(t, r, c))
            .collect();
        assert!(marks.contains(&"▲▲") && marks.contains(&"▼▼"), "{marks:?}");
        let text = tsv(t, Percent::Row, "性別");
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 2 + t.rows.len());
        assert!(
            lines
                .iter()
                .all(|l| l.split('\t').count() == 2 + 2 * t.cols.len()),
            "{text}"
        );
        // Row % of a row sums to 100 (within rounding).
        let sum: f64 = (0..t.cols.len())
            .map(|c| cell_percent(t, 0, c, Percent::Row).parse::<f64>().unwrap())
            .sum();
        assert!((sum - 100.0).abs() < 0.11);
    }

    /// Sex × answer with 無回答 columns and a weight column.
    fn weighted_survey() -> Survey {
        let mut csv = String::from("性別,回答,w\n");
        for i in 0..220 {
            let sex = if i % 2 == 0 { "男性" } else { "女性" };
            let ans = match (i % 2, i % 10) {
                _ if i >= 200 => "",
                (0, k) if k < 7 => "はい",
                (1, k) if k < 2 => "はい",
                _ => "いいえ",
            };
            let w = 0.4 + (i % 5) as f64 * 0.35;
            csv.push_str(&format!("{sex},{ans},{w}\n"));
        }
        Survey::infer(
            read_bytes(csv.as_bytes(), ReadOptions::default())
                .unwrap()
                .table,
        )
    }

    #[test]
    fn letters_only_beside_the_column_percent_they_compare() {
        let s = weighted_survey();
        let x = crosstab(&s, &CrosstabSpec::new("性別", "回答")).unwrap();
        let t = &x.tables[0];
        let cells: Vec<(usize, usize)> = (0..t.rows.len())
            .flat_map(|r| (0..t.cols.len()).map(move |c| (r, c)))
            .collect();
        assert!(cells
            .iter()
            .any(|&(r, c)| !cell_letters(t, r, c, Percent::Column).is_empty()));
        for &(r, c) in &cells {
            assert_eq!(cell_letters(t, r, c, Percent::Column), t.letters[r][c]);
            assert_eq!(cell_letters(t, r, c, Percent::Row), "", "横% {r},{c}");
            assert_eq!(cell_letters(t, r, c, Percent::Total), "", "全体% {r},{c}");
        }
        let na = t.cols.iter().position(|l| l.no_answer).unwrap();
        for c in 0..t.cols.len() {
            let want = (c != na).then(|| crate::stats::column_label(c));
            assert_eq!(column_letter(t, c, Percent::Column), want);
            assert_eq!(column_letter(t, c, Percent::Row), None);
        }
        // The legend says what the letters compare, and in 横% that they are not shown.
        let (ja, en) = letters_legend(Percent::Column);
        assert!(ja.contains("縦%") && ja.contains("無回答を除いた") && en.contains("column %"));
        let (ja, en) = letters_legend(Percent::Row);
        assert!(ja.contains("縦%で表示") && en.contains("column %"), "{ja}");
    }

    #[test]
    fn weighted_counts_are_the_weighted_ones_rounded() {
        let s = weighted_survey();
        let spec = CrosstabSpec {
            weight: Some("w".into()),
            ..CrosstabSpec::new("性別", "回答")
        };
        let x = crosstab(&s, &spec).unwrap();
        let t = &x.tables[0];
        let w = t.weighted.as_ref().unwrap();
        let mut differ = 0;
        for (r, row) in w.iter().enumerate() {
            for (c, sum) in row.iter().enumerate() {
                assert_eq!(cell_count(t, r, c), sum.round() as u64);
                differ += usize::from(cell_count(t, r, c) != t.counts[r][c]);
            }
            assert_eq!(row_total(t, r), t.row_bases[r].round() as u64);
        }
        assert!(differ > 0, "the weights change the counts");
        let text = tsv(t, Percent::Column, "性別");
        let head = text.lines().next().unwrap();
        assert!(
            head.contains("ウェイト付き度数") && head.ends_with("回答者数"),
            "{head}"
        );
        assert!(!head.contains("件数"), "{head}");
        // Unweighted: the counts are the people.
        let x = crosstab(&s, &CrosstabSpec::new("性別", "回答")).unwrap();
        let t = &x.tables[0];
        assert_eq!(cell_count(t, 0, 0), t.counts[0][0]);
        assert!(tsv(t, Percent::Row, "性別")
            .lines()
            .next()
            .unwrap()
            .contains("件数"));
    }
}
