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
/// the percentage and the count, then the base. Text cells go through
/// `csv_safe::neutralise` (a pasted label "=HYPERLINK(…)" must stay a label), then lose
/// their tabs and line breaks (which would split the cell).
pub fn tsv(t: &CrosstabTable, mode: Percent, row_title: &str) -> String {
    let clean = |s: &str| neutralise(s).replace(['\t', '\n', '\r'], " ");
    let mut out = String::new();
    out.push_str(&clean(row_title));
    for c in &t.cols {
        out.push_str(&format!(
            "\t{}\t{}",
            clean(&format!("{} %", c.label)),
            clean(&format!("{} 件数", c.label))
        ));
    }
    out.push_str("\t合計 件数\r\n");
    for (r, label) in t.rows.iter().enumerate() {
        out.push_str(&clean(&label.label));
        for c in 0..t.cols.len() {
            let count = t.counts.get(r).and_then(|x| x.get(c)).copied().unwrap_or(0);
            out.push_str(&format!("\t{}\t{count}", cell_percent(t, r, c, mode)));
        }
        let total = t.row_base_counts.get(r).copied().unwrap_or(0);
        out.push_str(&format!("\t{total}\r\n"));
    }
    out.push_str("合計");
    for c in 0..t.cols.len() {
        out.push_str(&format!(
            "\t\t{}",
            t.col_base_counts.get(c).copied().unwrap_or(0)
        ));
    }
    out.push_str(&format!("\t{}\r\n", t.n));
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
}
