//! A report laid out for people: each item of a [`Report`] becomes a [`Block`] of lines (a
//! title, the table, the statistics, notes on base, weights and tests), written as text
//! for a terminal ([`to_text`], the CLI), as CSV (one block after another; UTF-8 with a
//! BOM and CRLF, so Excel on Japanese Windows opens it right) or as an .xlsx workbook
//! (one sheet per table, numbers as numbers). Every writer reads the same blocks, so the
//! files always say the same thing.
//!
//! The app's own words in a block (titles, headers, statistics' names, notes) are
//! [`Message`]s in both languages ([`BlockCell::Word`], [`Block::title`], [`Note`]); the
//! data (labels, values, question texts) are [`BlockCell::Text`], never translated. The
//! writers pick one language by [`Lang`] at the one place they turn a block into text
//! ([`cell_text`], [`display_text`], [`to_csv`], [`to_xlsx`]): a Japanese report holds no
//! English word the app wrote, an English one no Japanese. The terminal ([`to_text`]) shows
//! cells in Japanese and notes in both.

use super::crosstab::{Crosstab, CrosstabTable};
use super::means::Means;
use super::national::NationalComparison;
use super::report::{Outcome, Report};
use super::tabulation::Tabulation;
use super::Note;
use crate::csv_safe::neutralise;
use crate::format::format_percent;
use crate::lang::Lang;
use crate::message::Message;
use crate::model::{shown_answer, shown_name};
use crate::stats::{ChiSquareTest, NumericSummary, ResidualMark};

/// One cell of a laid-out table.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockCell {
    Empty,
    /// Data (an answer's label, a question's text, a value): the same in every language.
    Text(String),
    /// The app's own word (a header, a statistic's name): the writer picks the language.
    Word(Message),
    /// A count or a weighted sum.
    Num(f64),
    /// A percentage (0–100), shown with one decimal as the national report.
    Pct(f64),
    /// A statistic (χ², z, V, a mean), shown with four decimals.
    Stat(f64),
    /// A p-value: three decimals, or 「< 0.001」 below that (never 0.0000).
    P(f64),
}

fn t(s: impl Into<String>) -> BlockCell {
    BlockCell::Text(s.into())
}

/// A variable's name in English (that of a variable the app made; the user's as it is).
fn en(name: &str) -> String {
    shown_name(name, Lang::En).into_owned()
}

/// An answer's label: data, except the 無回答 the app adds (「No answer」 in English).
fn answer(label: &str, code: &str, no_answer: bool) -> BlockCell {
    match shown_answer(label, code, no_answer, Lang::En) {
        std::borrow::Cow::Borrowed(en) if en == label => t(label),
        en => w(label, en.into_owned()),
    }
}

/// The app's own word in both languages.
fn w(ja: impl Into<String>, en: impl Into<String>) -> BlockCell {
    BlockCell::Word(Message::new(ja, en))
}

fn opt(x: Option<f64>, f: fn(f64) -> BlockCell) -> BlockCell {
    x.map_or(BlockCell::Empty, f)
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Sheet name (unique, at most 31 characters in either language).
    pub sheet: Message,
    pub title: Message,
    pub lines: Vec<Vec<BlockCell>>,
    /// Base, weights, tests: printed under the table, in the report's language (the
    /// terminal shows both).
    pub notes: Vec<Note>,
}

/// Lays out every item of the report.
pub fn blocks(report: &Report) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, item) in report.items.iter().enumerate() {
        let n = i + 1;
        match &item.outcome {
            Outcome::Tabulation(tabs) => {
                for (k, f) in tabs.iter().enumerate() {
                    let sheet = if tabs.len() > 1 {
                        Message::new(
                            format!("{n}-{} 単純集計", k + 1),
                            format!("{n}-{} Frequencies", k + 1),
                        )
                    } else {
                        Message::new(format!("{n} 単純集計"), format!("{n} Frequencies"))
                    };
                    out.push(tabulation_block(sheet, f));
                }
            }
            Outcome::Crosstab(c) => out.push(crosstab_block(
                Message::new(format!("{n} クロス集計"), format!("{n} Crosstab")),
                c,
            )),
            Outcome::Means(m) => out.push(means_block(
                Message::new(format!("{n} 平均"), format!("{n} Means")),
                m,
            )),
            Outcome::National(c) => out.push(national_block(
                Message::new(format!("{n} 全国比較"), format!("{n} National")),
                c,
            )),
            Outcome::Refused(r) => out.push(Block {
                sheet: Message::new(format!("{n} 集計できず"), format!("{n} Not computed")),
                title: Message::new("集計できませんでした", "Not computed"),
                lines: vec![vec![BlockCell::Word(r.clone())]],
                notes: Vec::new(),
            }),
        }
    }
    out
}

fn weight_filter_notes(notes: &mut Vec<Note>, weight: &Option<String>, filter: &Option<String>) {
    match weight {
        Some(w) => notes.push(Note::new(format!("ウェイト: {w}"), format!("weight: {w}"))),
        None => notes.push(Note::new("ウェイトなし", "unweighted")),
    }
    if let Some(f) = filter {
        notes.push(Note::new(format!("絞り込み: {f}"), format!("filter: {f}")));
    }
}

/// One item laid out (the CLI prints these as text). A numeric question: its summary and
/// histogram ([`numeric_block`]), not one row per value.
pub fn tabulation_block(sheet: Message, f: &Tabulation) -> Block {
    if let Some(s) = &f.numeric {
        return numeric_block(sheet, f, s);
    }
    let weighted = f.weight.is_some();
    let mut header = vec![w("回答", "Answer"), w("件数", "Count")];
    if weighted {
        header.push(w("ウェイト付き", "Weighted"));
    }
    // 累積% only for ordered answers (a scale, numbers, the user's order).
    let ordered = f.categories.iter().any(|c| c.cumulative_percent.is_some());
    header.extend([w("%", "%"), w("有効%", "Valid %")]);
    if ordered {
        header.push(w("累積%", "Cumulative %"));
    }
    header.extend([
        w("95%信頼区間 下限", "95% CI lower"),
        w("95%信頼区間 上限", "95% CI upper"),
    ]);
    let mut lines = vec![header];
    for r in &f.categories {
        let mut line = vec![
            answer(&r.label, &r.code, r.no_answer),
            BlockCell::Num(r.count as f64),
        ];
        if weighted {
            line.push(opt(r.weighted, BlockCell::Num));
        }
        line.extend([
            opt(r.percent, BlockCell::Pct),
            opt(r.valid_percent, BlockCell::Pct),
        ]);
        if ordered {
            line.push(opt(r.cumulative_percent, BlockCell::Pct));
        }
        line.extend([
            opt(r.ci.as_ref().map(|c| c.lower * 100.0), BlockCell::Pct),
            opt(r.ci.as_ref().map(|c| c.upper * 100.0), BlockCell::Pct),
        ]);
        lines.push(line);
    }
    let mut total = vec![
        if f.multiple {
            w("回答者", "Respondents")
        } else {
            w("合計", "Total")
        },
        BlockCell::Num(f.base_count as f64),
    ];
    if weighted {
        total.push(BlockCell::Num(f.base));
    }
    if !f.multiple {
        total.push(BlockCell::Pct(100.0));
    }
    lines.push(total);
    let mut notes = vec![if f.multiple {
        Note::new(
            format!(
                "分母: 1つ以上選んだ回答者 {} 人（何も選ばなかった {} 人は除く）",
                f.base_count, f.outside
            ),
            format!(
                "base: {} respondents who chose at least one ({} who chose nothing left out)",
                f.base_count, f.outside
            ),
        )
    } else {
        Note::new(
            format!(
                "分母: {} 人（無回答を含む。非該当 {} 人は除く）",
                f.base_count, f.outside
            ),
            format!(
                "base: {} (no answer included, {} not applicable left out)",
                f.base_count, f.outside
            ),
        )
    }];
    weight_filter_notes(&mut notes, &f.weight, &f.filter);
    if let Some(w) = &f.weights {
        let n_eff = w.n_eff.map_or("-".into(), |x| format!("{x:.1}"));
        let deff = w.deff.map_or("-".into(), |x| format!("{x:.3}"));
        notes.push(Note::new(
            format!("有効標本数（キッシュの方法）: {n_eff}  デザイン効果: {deff}"),
            format!("effective n (Kish): {n_eff}  deff: {deff}"),
        ));
    }
    notes.extend(f.notes.iter().cloned());
    Block {
        sheet,
        title: Message::new(
            format!("単純集計: {}", f.title),
            format!("Frequencies: {}", en(&f.title)),
        ),
        lines,
        notes,
    }
}

/// A numeric question: n, mean, SD, min, quartiles, max (and weighted beside them under a
/// weight), then the histogram's bins with their counts and %.
pub fn numeric_block(sheet: Message, f: &Tabulation, s: &NumericSummary) -> Block {
    let wt = s.weighted.as_ref();
    let mut header = vec![w("統計量", "Statistic"), w("値", "Value")];
    if wt.is_some() {
        header.push(w("ウェイト付き", "Weighted"));
    }
    let mut lines = vec![header];
    let mut row =
        |name: (&str, &str), x: Option<f64>, wx: Option<Option<f64>>, f: fn(f64) -> BlockCell| {
            let mut line = vec![w(name.0, name.1), opt(x, f)];
            if let Some(wx) = wx {
                line.push(opt(wx, f));
            }
            lines.push(line);
        };
    row(
        ("人数", "n"),
        Some(s.n as f64),
        wt.map(|w| Some(w.sum_weights)),
        BlockCell::Num,
    );
    row(
        ("平均", "Mean"),
        s.mean,
        wt.map(|w| w.mean),
        BlockCell::Stat,
    );
    row(("標準偏差", "SD"), s.sd, wt.map(|w| w.sd), BlockCell::Stat);
    row(("最小", "Min"), s.min, wt.map(|_| s.min), BlockCell::Num);
    row(("第1四分位", "Q1"), s.q1, wt.map(|w| w.q1), BlockCell::Num);
    row(
        ("中央値", "Median"),
        s.median,
        wt.map(|w| w.median),
        BlockCell::Num,
    );
    row(("第3四分位", "Q3"), s.q3, wt.map(|w| w.q3), BlockCell::Num);
    row(("最大", "Max"), s.max, wt.map(|_| s.max), BlockCell::Num);
    lines.push(Vec::new());
    let mut header = vec![w("階級", "Bin"), w("件数", "Count")];
    if wt.is_some() {
        header.push(w("ウェイト付き", "Weighted"));
    }
    header.push(w("%", "%"));
    lines.push(header);
    let total = wt.map_or(s.n as f64, |w| w.sum_weights);
    for b in &s.histogram {
        let mut line = vec![
            w(&b.label, b.label_in(Lang::En)),
            BlockCell::Num(b.count as f64),
        ];
        if wt.is_some() {
            line.push(opt(b.weighted, BlockCell::Num));
        }
        let amount = b.weighted.unwrap_or(b.count as f64);
        line.push(opt(
            (total > 0.0).then(|| amount * 100.0 / total),
            BlockCell::Pct,
        ));
        lines.push(line);
    }
    let mut notes = vec![Note::new(
        format!(
            "分母: 数値の回答 {} 人（空欄・無回答・数値でない回答 {} 人、非該当 {} 人は除く）",
            s.n, s.no_number, f.outside
        ),
        format!(
            "base: {} respondents with a number ({} blank, no answer or not a number, {} not applicable left out)",
            s.n, s.no_number, f.outside
        ),
    )];
    notes.push(Note::new(
        "四分位は R・統計ソフトの標準の計算法（第7法）、ウェイト付きは頻度ウェイトとしての計算。標準偏差は n − 1 で割る標本標準偏差",
        "quartiles: R type 7 (numpy's default); weighted: frequency weights (statsmodels DescrStatsW); SD: sample (n − 1)",
    ));
    weight_filter_notes(&mut notes, &f.weight, &f.filter);
    notes.push(Note::new(
        "値ごとの度数表は、画面の「度数表を表示」で見られます（コマンドでも出せます）",
        "the full frequency table: “Show the frequency table” on the page, or `tab` in the CLI",
    ));
    Block {
        sheet,
        title: Message::new(
            format!("数値の要約: {}", f.title),
            format!("Numeric summary: {}", en(&f.title)),
        ),
        lines,
        notes,
    }
}

fn mark(m: ResidualMark) -> &'static str {
    match m {
        ResidualMark::StrongUp => "▲▲",
        ResidualMark::Up => "▲",
        ResidualMark::NotSignificant => "",
        ResidualMark::Down => "▼",
        ResidualMark::StrongDown => "▼▼",
    }
}

fn chi(name: BlockCell, c: &Option<ChiSquareTest>) -> Option<Vec<BlockCell>> {
    c.as_ref().map(|c| {
        vec![
            name,
            BlockCell::Stat(c.statistic),
            w("自由度", "df"),
            BlockCell::Num(c.df),
            t("p"),
            opt(c.p_value, BlockCell::P),
        ]
    })
}

/// One item laid out (the CLI prints these as text).
pub fn crosstab_block(sheet: Message, c: &Crosstab) -> Block {
    let mut lines = Vec::new();
    for tab in &c.tables {
        table_lines(&mut lines, c, tab);
        lines.push(Vec::new());
    }
    let mut notes = vec![Note::new(
        format!(
            "ファイルの行 {}、絞り込みで除外 {}、区分外（非該当など）{}",
            int(c.rows_in_file),
            int(c.filtered_out),
            int(c.outside)
        ),
        format!(
            "Rows in file {}, filtered out {}, outside {}",
            int(c.rows_in_file),
            int(c.filtered_out),
            int(c.outside)
        ),
    )];
    weight_filter_notes(&mut notes, &c.weight, &c.filter);
    notes.push(Note::new(
        "▲▼: 調整済み残差が ±1.96 を超える（▲▲▼▼ は ±2.58）",
        "▲▼: adjusted residual beyond ±1.96 (±2.58)",
    ));
    notes.push(Note::new(
        "A, B, …（列%の下の行）: その列より列%（縦%）が有意に高い（無回答を除いた回答で比較、ボンフェローニ補正後 5%）。行%の比較ではありません",
        "A, B, … (the line under column %): column % significantly above that column's (answers other than no answer, Bonferroni, 5%); they do not compare row %",
    ));
    notes.extend(c.notes.iter().cloned());
    let name = c.title();
    let title = Message::new(
        format!("クロス集計: {}", name.ja),
        format!("Crosstab: {}", name.en),
    );
    Block {
        sheet,
        title,
        lines,
        notes,
    }
}

fn table_lines(lines: &mut Vec<Vec<BlockCell>>, c: &Crosstab, tab: &CrosstabTable) {
    let weighted = tab.weighted.is_some();
    if let Some(l) = &tab.layer {
        lines.push(vec![
            w(format!("層: {}", l.label), format!("Layer: {}", l.label)),
            t(format!("n = {}", tab.n)),
        ]);
    }
    let letters = tab.column_proportions.as_ref().map(|cp| cp.labels.clone());
    // Under a weight the plain counts are people, said as such beside the weighted ones.
    let (count_label, weighted_label) = if weighted {
        (
            w("回答者数", "Respondents"),
            w("ウェイト付き度数", "Weighted count"),
        )
    } else {
        (w("件数", "Count"), BlockCell::Empty)
    };
    let mut header = vec![
        w(
            format!("{} \\ {}", c.row.title, c.col.title),
            format!("{} \\ {}", en(&c.row.title), en(&c.col.title)),
        ),
        t(""),
    ];
    for (k, l) in tab.cols.iter().enumerate() {
        // 無回答 is never compared: no letter names it.
        header.push(match &letters {
            Some(ls) if !l.no_answer => t(format!("({}) {}", ls[k], l.label)),
            _ => answer(&l.label, &l.code, l.no_answer),
        });
    }
    header.push(w("合計", "Total"));
    lines.push(header);
    for (r, label) in tab.rows.iter().enumerate() {
        let mut line = vec![
            answer(&label.label, &label.code, label.no_answer),
            count_label.clone(),
        ];
        line.extend(tab.counts[r].iter().map(|&x| BlockCell::Num(x as f64)));
        line.push(BlockCell::Num(tab.row_base_counts[r] as f64));
        lines.push(line);
        if let Some(w) = &tab.weighted {
            let mut line = vec![t(""), weighted_label.clone()];
            line.extend(w[r].iter().map(|&x| BlockCell::Num(x)));
            line.push(BlockCell::Num(tab.row_bases[r]));
            lines.push(line);
        }
        let mut line = vec![t(""), w("列%", "Column %")];
        line.extend(tab.col_percent[r].iter().map(|&p| opt(p, BlockCell::Pct)));
        line.push(opt(
            (tab.total_base > 0.0).then(|| tab.row_bases[r] * 100.0 / tab.total_base),
            BlockCell::Pct,
        ));
        lines.push(line);
        let marks: Vec<String> = (0..tab.cols.len())
            .map(|k| {
                let m = tab.tests.as_ref().map_or("", |x| mark(x.marks[r][k]));
                format!("{}{}", tab.letters[r][k], m)
            })
            .collect();
        if marks.iter().any(|m| !m.is_empty()) {
            // Straight under the column % the letters compare.
            let mut line = vec![t(""), w("列%の比較・残差", "Column % compared, residual")];
            line.extend(marks.into_iter().map(BlockCell::Text));
            lines.push(line);
        }
        let mut line = vec![t(""), w("行%", "Row %")];
        line.extend(tab.row_percent[r].iter().map(|&p| opt(p, BlockCell::Pct)));
        lines.push(line);
    }
    let mut total = vec![
        if c.row.multiple {
            w("回答者", "Respondents")
        } else {
            w("合計", "Total")
        },
        count_label,
    ];
    total.extend(
        tab.col_base_counts
            .iter()
            .map(|&x| BlockCell::Num(x as f64)),
    );
    total.push(BlockCell::Num(tab.n as f64));
    lines.push(total);
    if weighted {
        let mut total = vec![t(""), weighted_label];
        total.extend(tab.col_bases.iter().map(|&x| BlockCell::Num(x)));
        total.push(BlockCell::Num(tab.total_base));
        lines.push(total);
        let mut eff = vec![t(""), w("有効標本数", "Effective n")];
        eff.extend(tab.col_effective_n.iter().map(|&x| opt(x, BlockCell::Num)));
        lines.push(eff);
    }
    if let Some(x) = &tab.tests {
        let pearson = if x.scaled_to_sample_size {
            w("ピアソンの χ²（n に換算）", "Pearson χ² (rescaled to n)")
        } else {
            w("ピアソンの χ²", "Pearson χ²")
        };
        if let Some(l) = chi(pearson, &x.pearson) {
            lines.push(l);
        }
        if let Some(l) = chi(w("尤度比 G²", "Likelihood ratio G²"), &x.likelihood_ratio) {
            lines.push(l);
        }
        if let Some(v) = x.cramers_v {
            lines.push(vec![w("クラメールの V", "Cramér's V"), BlockCell::Stat(v)]);
        }
        if let Some(b) = &x.two_by_two {
            if let Some(l) = chi(
                w("イェーツ補正 χ²", "Yates-corrected χ²"),
                &Some(b.yates.clone()),
            ) {
                lines.push(l);
            }
            lines.push(vec![
                w(
                    "フィッシャーの正確確率 p（両側）",
                    "Fisher's exact p (two-sided)",
                ),
                opt(b.fisher_p, BlockCell::P),
                t("φ"),
                BlockCell::Stat(b.phi),
            ]);
        }
        if let Some(s) = x.sparse.as_ref().filter(|s| s.warn) {
            lines.push(vec![w(
                format!(
                    "期待度数5未満のセル {}/{}（最小 {:.2}）: χ² は目安",
                    s.cells_below_5, s.cells_tested, s.min_expected
                ),
                format!(
                    "{} of {} cells expected < 5 (smallest {:.2}): χ² is only a guide",
                    s.cells_below_5, s.cells_tested, s.min_expected
                ),
            )]);
        }
        if let Some(nc) = x.not_computable {
            use crate::stats::NotComputable as N;
            let (ja, en) = match nc {
                N::Empty => ("数がありません", "no counts"),
                N::SingleRow => ("比べる行が1つしかありません", "only one row to compare"),
                N::SingleColumn => ("比べる列が1つしかありません", "only one column to compare"),
                N::InvalidCounts => ("数が正しくありません", "invalid counts"),
            };
            lines.push(vec![w(
                format!("検定できません（{ja}）"),
                format!("Tests not computable ({en})"),
            )]);
        }
    }
}

/// One item laid out (the CLI prints these as text).
pub fn means_block(sheet: Message, m: &Means) -> Block {
    let weighted = m.weight.is_some();
    let mut header = vec![
        w(&m.by.title, en(&m.by.title)),
        w("n", "n"),
        w("平均", "Mean"),
        w("標準偏差", "SD"),
        w("中央値", "Median"),
        w("最小", "Min"),
        w("最大", "Max"),
    ];
    if weighted {
        header.extend([
            w("加重平均", "Weighted mean"),
            w("加重標準偏差", "Weighted SD"),
            w("加重中央値", "Weighted median"),
        ]);
    }
    let mut lines = vec![header];
    let last = m.groups.len();
    for (k, g) in m.groups.iter().chain(std::iter::once(&m.total)).enumerate() {
        let s = &g.stats;
        let mut line = vec![
            if k == last {
                // The app's own row: everyone in the groups.
                w(&g.label.label, "All")
            } else {
                answer(&g.label.label, &g.label.code, g.label.no_answer)
            },
            BlockCell::Num(s.n as f64),
            opt(s.mean, BlockCell::Stat),
            opt(s.sd, BlockCell::Stat),
            opt(s.median, BlockCell::Stat),
            opt(s.min, BlockCell::Num),
            opt(s.max, BlockCell::Num),
        ];
        if let Some(w) = &g.weighted {
            line.extend([
                opt(w.mean, BlockCell::Stat),
                opt(w.sd, BlockCell::Stat),
                opt(w.median, BlockCell::Stat),
            ]);
        }
        lines.push(line);
    }
    let a = &m.anova;
    lines.push(vec![
        w("一元配置分散分析 F", "One-way ANOVA F"),
        opt(a.f, BlockCell::Stat),
        w("自由度", "df"),
        t(format!("{}, {}", a.df1, a.df2)),
        t("p"),
        opt(a.p_value, BlockCell::P),
        t("η²"),
        opt(a.eta_squared, BlockCell::Stat),
    ]);
    let k = &m.kruskal_wallis;
    lines.push(vec![
        w("クラスカル・ウォリス検定 H", "Kruskal–Wallis H"),
        opt(k.h, BlockCell::Stat),
        w("自由度", "df"),
        BlockCell::Num(k.df as f64),
        t("p"),
        opt(k.p_value, BlockCell::P),
    ]);
    let mut notes = vec![Note::new(
        format!(
            "ファイルの行 {}、絞り込みで除外 {}、数値なし {}、グループなし（無回答・非該当）{}",
            int(m.rows_in_file),
            int(m.filtered_out),
            int(m.no_number),
            int(m.no_group)
        ),
        format!(
            "Rows in file {}, filtered out {}, no number {}, no group (no answer, not applicable) {}",
            int(m.rows_in_file),
            int(m.filtered_out),
            int(m.no_number),
            int(m.no_group)
        ),
    )];
    weight_filter_notes(&mut notes, &m.weight, &m.filter);
    notes.extend(m.notes.iter().cloned());
    Block {
        sheet,
        title: Message::new(
            format!("{} の平均（{}別）", m.num.title, m.by.title),
            format!("Mean of {} by {}", en(&m.num.title), en(&m.by.title)),
        ),
        lines,
        notes,
    }
}

/// One item laid out (the CLI prints these as text).
pub fn national_block(sheet: Message, c: &NationalComparison) -> Block {
    // Ten columns, so that the table fits an A4 page: the interval beside the local %, no
    // z (p says it), the verdict without the 「未確認」 the last column gives, the source
    // cited once per edition under the table.
    let mut lines = vec![vec![
        w("区分", "Category"),
        w("地域 件数", "Local count"),
        w("地域 %（95%信頼区間）", "Local % (95% CI)"),
        w("全国 回次", "National edition"),
        w("全国 %", "National %"),
        w("全国 n", "National n"),
        w("差（ポイント）", "Difference (points)"),
        w("p", "p"),
        w("判定", "Verdict"),
        w("全国値の確認", "National figure"),
    ]];
    let mut sources: Vec<(String, String)> = Vec::new();
    for r in &c.rows {
        for (k, e) in r.national.iter().enumerate() {
            let first = k == 0;
            let p = format_percent(r.local_percent);
            let local = match &r.ci {
                Some(ci) => {
                    let (lo, hi) = (
                        format_percent(ci.lower * 100.0),
                        format_percent(ci.upper * 100.0),
                    );
                    w(format!("{p}（{lo}～{hi}）"), format!("{p} ({lo}–{hi})"))
                }
                None => t(p),
            };
            lines.push(vec![
                if first {
                    answer(
                        &r.category,
                        "",
                        r.category == crate::model::order::NO_ANSWER,
                    )
                } else {
                    BlockCell::Empty
                },
                if first {
                    BlockCell::Num(r.local_count as f64)
                } else {
                    BlockCell::Empty
                },
                if first { local } else { BlockCell::Empty },
                t(&e.edition),
                BlockCell::Pct(e.national_percent),
                BlockCell::Num(e.national_n as f64),
                BlockCell::Pct(e.difference),
                opt(e.test.as_ref().map(|x| x.p_value), BlockCell::P),
                w(
                    e.verdict_ja.replace("（全国値は未確認）", ""),
                    e.verdict_en.replace(" (national figure unverified)", ""),
                ),
                if e.verified {
                    w("確認済み", "Checked")
                } else {
                    w("未確認 *", "Unverified *")
                },
            ]);
            if !sources.iter().any(|(ed, _)| *ed == e.edition) {
                sources.push((e.edition.clone(), e.source.clone()));
            }
        }
    }
    let n_eff = c.effective_n.map_or("-".into(), |x| format!("{x:.1}"));
    let mut notes = vec![Note::new(
        format!(
            "地域の分母: {} 人（無回答 {} 人を含む、非該当 {} 人は除く）、有効標本数 {n_eff}",
            c.base_count, c.no_answer, c.not_applicable
        ),
        format!(
            "local base: {} (no answer {} included, not applicable {} left out), effective n {n_eff}",
            c.base_count, c.no_answer, c.not_applicable
        ),
    )];
    weight_filter_notes(&mut notes, &c.weight, &c.filter);
    notes.extend(c.notes.iter().cloned());
    sources.sort();
    for (edition, source) in &sources {
        notes.push(Note::new(
            format!("出典（{edition}）: {source}"),
            format!("Source ({edition}): {source}"),
        ));
    }
    // What 「確認済み」 / 「未確認 *」 rest on, once per distinct wording.
    let mut checks: Vec<String> = Vec::new();
    for e in c.rows.iter().flat_map(|r| &r.national) {
        let line = format!(
            "{} {}: {}",
            e.edition,
            if e.verified {
                "確認済み"
            } else {
                "未確認"
            },
            e.confirmation().ja
        );
        if !e.verified && !checks.contains(&line) {
            checks.push(line);
        }
    }
    if !checks.is_empty() {
        let why = checks
            .iter()
            .map(|l| l.split(": 未確認: ").nth(1).unwrap_or(l).to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("／");
        notes.push(Note::new(
            format!("未確認 * の全国値は、2つの独立した資料で同じ値を確認できていない数値です（{why}）。"),
            "National figures marked * were not found with the same value in two independent sources.",
        ));
    }
    Block {
        sheet,
        title: Message::new(
            format!("全国との比較: {}（{}）", c.measure.ja(), c.question),
            format!(
                "National comparison: {} ({})",
                c.measure.en(),
                en(&c.question)
            ),
        ),
        lines,
        notes,
    }
}

/// A note for the terminal, where one text serves both readers: 「ja / en」.
pub fn both(n: &Note) -> String {
    if n.en.is_empty() || n.en == n.ja {
        n.ja.clone()
    } else {
        format!("{} / {}", n.ja, n.en)
    }
}

/// A block as tab-separated text for a terminal: title and lines in Japanese, notes in
/// both languages.
pub fn to_text(b: &Block) -> String {
    let mut out = format!("{}\n", b.title.ja);
    for l in &b.lines {
        out.push_str(
            &l.iter()
                .map(|c| cell_text(c, Lang::Ja))
                .collect::<Vec<_>>()
                .join("\t"),
        );
        out.push('\n');
    }
    for n in &b.notes {
        out.push_str(&format!("注: {}\n", both(n)));
    }
    out
}

/// A cell as text: numbers in plain figures, the app's words in `lang`.
pub fn cell_text(c: &BlockCell, lang: Lang) -> String {
    match c {
        BlockCell::Empty => String::new(),
        BlockCell::Text(s) => s.clone(),
        BlockCell::Word(m) => m.pick(lang).to_string(),
        BlockCell::Num(x) if x.fract() == 0.0 => format!("{x:.0}"),
        BlockCell::Num(x) => format!("{x:.2}"),
        BlockCell::Pct(x) => format_percent(*x),
        BlockCell::Stat(x) => format!("{x:.4}"),
        BlockCell::P(p) => p_text(*p),
    }
}

/// A p-value as a reader expects it: 「< 0.001」, else three decimals.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// A cell as the page and the printed report show it: counts with thousands separators
/// (1,200), the rest as [`cell_text`] (CSV and the terminal keep plain numbers).
pub fn display_text(c: &BlockCell, lang: Lang) -> String {
    match c {
        BlockCell::Num(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
            crate::format::format_int(*x as i64)
        }
        BlockCell::Num(x) => {
            let whole = crate::format::format_int(x.trunc() as i64);
            format!(
                "{whole}.{:02}",
                ((x.fract().abs() * 100.0).round() as i64).min(99)
            )
        }
        other => cell_text(other, lang),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A cell as CSV text: numbers as numbers, text guarded against being read as a formula
/// (`crate::csv_safe`: a label `=HYPERLINK(…)` must stay a label in Excel).
fn csv_cell(c: &BlockCell, lang: Lang) -> String {
    match c {
        BlockCell::Text(_) | BlockCell::Word(_) => neutralise(&cell_text(c, lang)).into_owned(),
        other => cell_text(other, lang),
    }
}

/// 「注: 」 before a note under a table, in the report's language.
fn note_line(n: &Note, lang: Lang) -> String {
    format!("{}{}", lang.pick("注: ", "Note: "), n.pick(lang))
}

/// The report as CSV in `lang`: one block per table, blank lines between, UTF-8 BOM,
/// CRLF. Every text (titles and notes too) goes through `csv_safe::neutralise`.
pub fn to_csv(report: &Report, lang: Lang) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let mut line = |cells: &[String]| {
        out.push_str(
            &cells
                .iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    };
    let text = |s: &str| neutralise(s).into_owned();
    if !report.title.is_empty() {
        line(&[text(&report.title)]);
        line(&[]);
    }
    if !report.read_notes.is_empty() {
        for n in &report.read_notes {
            line(&[text(n)]);
        }
        line(&[]);
    }
    for b in blocks(report) {
        line(&[text(b.title.pick(lang))]);
        for l in &b.lines {
            line(&l.iter().map(|c| csv_cell(c, lang)).collect::<Vec<_>>());
        }
        for n in &b.notes {
            line(&[text(&note_line(n, lang))]);
        }
        line(&[]);
    }
    out.into_bytes()
}

/// The report as an .xlsx workbook in `lang`: one sheet per table, the title in A1, the
/// table from row 3, notes on base, weights and tests below it. The error is a message in
/// both languages.
pub fn to_xlsx(report: &Report, lang: Lang) -> Result<Vec<u8>, Message> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| {
        Message::new(
            format!("Excel ファイル（xlsx）を作れませんでした: {e}"),
            format!("Could not write the Excel file (xlsx): {e}"),
        )
    };
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0.0");
    let stat = Format::new().set_num_format("0.0000");
    let p3 = Format::new().set_num_format("0.000");
    // A count shows as 「1,200」, a weighted sum with two decimals; never 「346.」 (the
    // trailing dot of `#,##0.##` on a whole number).
    let num = Format::new().set_num_format("#,##0");
    let num2 = Format::new().set_num_format("#,##0.00");
    let bold = Format::new().set_bold();
    let alert = Format::new()
        .set_bold()
        .set_font_color(rust_xlsxwriter::Color::RGB(0xC0392B));
    let blocks = blocks(report);
    if blocks.is_empty() {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, lang.pick("表がありません", "No tables"))
            .map_err(err)?;
    }
    for b in &blocks {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(b.sheet.pick(lang))).map_err(err)?;
        ws.write_string_with_format(0, 0, b.title.pick(lang), &bold)
            .map_err(err)?;
        // What makes the figures wrong, on every sheet, between the title and the table.
        if !report.read_notes.is_empty() {
            ws.write_string_with_format(1, 0, report.read_notes.join(" "), &alert)
                .map_err(err)?;
        }
        let mut row = 2u32;
        for l in &b.lines {
            for (k, c) in l.iter().enumerate() {
                let col = k as u16;
                match c {
                    BlockCell::Empty => {}
                    BlockCell::Text(_) | BlockCell::Word(_) => {
                        ws.write_string(row, col, cell_text(c, lang)).map_err(err)?;
                    }
                    BlockCell::Num(x) => {
                        let f = if x.fract() == 0.0 { &num } else { &num2 };
                        ws.write_number_with_format(row, col, *x, f).map_err(err)?;
                    }
                    BlockCell::P(p) if *p < 0.001 => {
                        ws.write_string(row, col, p_text(*p)).map_err(err)?;
                    }
                    BlockCell::P(p) => {
                        ws.write_number_with_format(row, col, *p, &p3)
                            .map_err(err)?;
                    }
                    BlockCell::Pct(x) => {
                        ws.write_number_with_format(row, col, *x, &pct)
                            .map_err(err)?;
                    }
                    BlockCell::Stat(x) => {
                        ws.write_number_with_format(row, col, *x, &stat)
                            .map_err(err)?;
                    }
                }
            }
            row += 1;
        }
        row += 1;
        for n in &b.notes {
            ws.write_string(row, 0, note_line(n, lang)).map_err(err)?;
            row += 1;
        }
        ws.set_column_width(0, 24).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// Excel's rules: at most 31 characters, none of []:*?/\.
fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// A count in a note, with thousands separators as in the tables.
fn int(n: impl TryInto<i64>) -> String {
    crate::format::format_int(n.try_into().unwrap_or(i64::MAX))
}
