//! Municipalities side by side (`analysis::municipal::Comparison`): one 100 % stacked bar
//! per town in the order loaded, then the national edition that publishes the most of
//! these answers. Hidden counts (「x」) are drawn together as one cross-hatched share at
//! the end of the bar, never spread over the answers; a national figure published for one
//! answer only leaves the rest of its bar as an outlined 「内訳の公表なし」.

use super::stacked::{render, Rest, Stack, StackCol, StackRow};
use super::Svg;
use crate::analysis::aggregate::Count;
use crate::analysis::municipal::{Comparison, TownShare};
use crate::format::format_percent;
use crate::lang::Lang;
use crate::model::order::NO_ANSWER;

/// The chart of one question across the towns; the chart's own words in `lang`.
pub fn municipal_svg(c: &Comparison, lang: Lang) -> Svg {
    // Which answer is 無回答, known by the app's own label before it is translated.
    let no_answer: Vec<bool> = c.categories.iter().map(|l| l == NO_ANSWER).collect();
    let mut shown = c.clone();
    for l in &mut shown.categories {
        *l = super::shown_no_answer(l, lang);
    }
    let c = &shown;
    // 「全国 R5」, 「全国 R6（未確認）」 in the chart's language.
    let national_label = |n: &crate::analysis::municipal::NationalRow| match (lang, n.verified) {
        (Lang::Ja, _) => n.label.clone(),
        (Lang::En, true) => format!("National {}", n.edition),
        (Lang::En, false) => format!("National {} (unverified)", n.edition),
    };
    let cols: Vec<StackCol> = c
        .categories
        .iter()
        .zip(&no_answer)
        .map(|(l, &no_answer)| StackCol {
            label: l.clone(),
            no_answer,
        })
        .collect();
    let mut rows: Vec<StackRow> = c
        .rows
        .iter()
        .map(|r| StackRow {
            label: if r.small_base {
                format!("{} *", r.name)
            } else {
                r.name.clone()
            },
            n: format!("n={}", r.n.text()),
            cells: r
                .cells
                .iter()
                .map(|x| match x {
                    TownShare::Percent { percent, .. } => Some(*percent),
                    _ => None,
                })
                .collect(),
            counts: r
                .cells
                .iter()
                .map(|x| match x {
                    TownShare::Percent { count, .. } => Some(*count),
                    _ => None,
                })
                .collect(),
            rest: r.hidden_percent.map(|p| (p, Rest::Hidden)),
        })
        .collect();
    if let Some(n) = c.chart_national() {
        let known: f64 = n.cells.iter().flatten().sum();
        // A single answer's bar is 100 %: what the edition does not break down is shown
        // as such. A multiple answer's shares do not add up to anything.
        let rest = (!c.multiple && known < 99.5).then_some((100.0 - known, Rest::Unpublished));
        rows.push(StackRow {
            label: national_label(n),
            n: format!("n={}", n.n),
            cells: n.cells.clone(),
            counts: vec![None; n.cells.len()],
            rest,
        });
    }
    let description = {
        let mut parts: Vec<String> = c
            .rows
            .iter()
            .map(|r| {
                let cells: Vec<String> = c
                    .categories
                    .iter()
                    .zip(&r.cells)
                    .map(|(l, x)| match x {
                        TownShare::Percent { percent, .. } => {
                            format!("{l} {}%", format_percent(*percent))
                        }
                        TownShare::Hidden => format!("{l} x"),
                        TownShare::Absent => format!("{l} {}", lang.pick("－", "–")),
                    })
                    .collect();
                let n = match &r.n {
                    Count::Shown(n) => n.to_string(),
                    Count::Hidden(x) => x.clone(),
                };
                words!(
                    lang,
                    "{}（n={n}）: {}",
                    "{} (n={n}): {}",
                    r.name,
                    cells.join(lang.pick("、", "; "))
                )
            })
            .collect();
        if let Some(n) = c.chart_national() {
            let cells: Vec<String> = c
                .categories
                .iter()
                .zip(&n.cells)
                .filter_map(|(l, x)| x.map(|p| format!("{l} {}%", format_percent(p))))
                .collect();
            parts.push(format!(
                "{}: {}",
                national_label(n),
                cells.join(lang.pick("、", "; "))
            ));
        }
        words!(
            lang,
            "{}。回答の割合を市町村ごとに示す帯グラフ。{}",
            "{}. 100% bars of the answers, one per municipality. {}",
            c.title,
            parts.join(lang.pick("。", ". "))
        )
    };
    let mut notes = Vec::new();
    if c.rows.iter().any(|r| r.hidden_percent.is_some()) {
        notes.push(lang.pick(
            "※斜線の「x」は秘匿処理で隠された回答をまとめた割合です（どの回答かは示しません）。",
            "* The hatched “x” is the share of answers hidden by disclosure control, together (which answers is not shown).",
        ).to_string());
    }
    if c.rows.iter().any(|r| r.small_base) {
        notes.push(
            lang.pick(
                "※「*」は回答者が少なく、割合が大きくぶれやすい市町村です。",
                "* “*”: few respondents, so the shares can vary widely.",
            )
            .to_string(),
        );
    }
    if c.chart_national().is_some_and(|n| !n.verified) {
        notes.push(
            lang.pick(
                "※「未確認」の全国値は報道やグラフから読み取った数値です。",
                "* Unverified national figures were read from press reports or charts.",
            )
            .to_string(),
        );
    }
    render(&Stack {
        kind: "municipal",
        title: c.title.clone(),
        sub: lang
            .pick(
                "単位：%　（市町村ごとの回答の割合。右端のnは回答者数）",
                "unit: %   (answers by municipality; n at the right: respondents)",
            )
            .to_string(),
        description,
        cols,
        rows,
        notes,
        lang,
    })
}
