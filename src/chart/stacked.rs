//! A crosstab as the national report draws it: one 100 % stacked bar per row of the
//! table (row % across the column's categories), n at the bar's right end, each wide
//! enough segment labelled with its %, 無回答 hatched grey, the legend in column order.

use super::doc::{num, text_width, units_in, Anchor, Doc};
use super::palette::{text_on, INK, INK_SOFT, WHITE};
use super::{wrap_lines, Svg};
use crate::analysis::crosstab::CrosstabTable;
use crate::format::format_percent;
use crate::lang::Lang;

const WIDTH: f64 = 760.0;
const PAD: f64 = 12.0;
const LABEL_W: f64 = 200.0;
const N_W: f64 = 64.0;
const FONT: f64 = 12.0;
const SEG_FONT: f64 = 10.0;
const LINE: f64 = 15.0;
const BAR_H: f64 = 22.0;
const ROW_GAP: f64 = 10.0;
const TITLE_FONT: f64 = 14.0;
const SWATCH: f64 = 12.0;
/// Segments narrower than this share carry no label (it would not fit).
pub const LABEL_MIN_PERCENT: f64 = 5.0;
const LEGEND_UNITS: usize = 24;
const MAX_LABEL_LINES: usize = 8;

/// A column (answer) of a stacked chart.
pub(crate) struct StackCol {
    pub label: String,
    pub no_answer: bool,
}

/// What fills the part of a bar no answer's % covers.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Rest {
    /// Counts hidden by disclosure control (「x」), together.
    Hidden,
    /// Answers the source does not publish (a national figure given for one answer).
    Unpublished,
}

impl Rest {
    fn legend(self, lang: Lang) -> &'static str {
        match self {
            Rest::Hidden => lang.pick("x（秘匿のため非公表）", "x (hidden for privacy)"),
            Rest::Unpublished => lang.pick("内訳の公表なし", "breakdown not published"),
        }
    }
}

/// One bar.
pub(crate) struct StackRow {
    pub label: String,
    /// Beside the bar's right end ("n=60").
    pub n: String,
    /// % per column (none: nothing drawn).
    pub cells: Vec<Option<f64>>,
    /// Respondents per column, for the tooltip.
    pub counts: Vec<Option<u64>>,
    pub rest: Option<(f64, Rest)>,
}

/// A 100 % stacked bar chart, whatever it is made from.
pub(crate) struct Stack {
    /// Class of the document's ids ("stacked", "municipal").
    pub kind: &'static str,
    pub title: String,
    pub sub: String,
    pub description: String,
    pub cols: Vec<StackCol>,
    pub rows: Vec<StackRow>,
    /// Lines under the bars (after the multiple-answer note when it applies).
    pub notes: Vec<String>,
    /// The language of the chart's own words.
    pub lang: Lang,
}

/// One bar per row of `table`; `row_title` and `col_title` name the two questions; the
/// chart's own words in `lang`.
pub fn stacked_svg(table: &CrosstabTable, row_title: &str, col_title: &str, lang: Lang) -> Svg {
    let table = &*super::shown_table(table, lang);
    let title = crosstab_title(table, row_title, col_title, lang);
    let description = words!(
        lang,
        "{title}。{col_title}の回答の割合を{row_title}ごとに示す帯グラフ。{}",
        "{title}. 100% bars of the answers to {col_title}, one per {row_title}. {}",
        rows_described(table, lang)
    );
    let sub = words!(
        lang,
        "単位：%　（{}ごとの{}の割合。右端のnは回答者数）",
        "unit: %   (answers to {1} by {0}; n at the right: respondents)",
        row_title.trim_end_matches(['。', '？', '?']),
        col_title.trim_end_matches(['。', '？', '?'])
    );
    let stack = Stack {
        kind: "stacked",
        title,
        sub,
        description,
        cols: table
            .cols
            .iter()
            .map(|c| StackCol {
                label: c.label.clone(),
                no_answer: c.no_answer,
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| StackRow {
                label: r.label.clone(),
                n: format!("n={}", table.row_base_counts.get(i).copied().unwrap_or(0)),
                cells: (0..table.cols.len()).map(|j| cell(table, i, j)).collect(),
                counts: (0..table.cols.len())
                    .map(|j| {
                        Some(
                            table
                                .counts
                                .get(i)
                                .and_then(|r| r.get(j))
                                .copied()
                                .unwrap_or(0),
                        )
                    })
                    .collect(),
                rest: None,
            })
            .collect(),
        notes: Vec::new(),
        lang,
    };
    render(&stack)
}

/// Draws `stack`: title, unit line, legend in column order, one bar per row.
pub(crate) fn render(stack: &Stack) -> Svg {
    let lang = stack.lang;
    let title = &stack.title;
    let mut doc = Doc::new(stack.kind, title);
    // Filled by category: solid viridis for answers, the hatch for 無回答.
    let no_answer: Vec<bool> = stack.cols.iter().map(|c| c.no_answer).collect();
    let fills = doc.category_fills(&no_answer);
    // Solid colour under each segment's label (the hatch is read as its grey).
    let grounds: Vec<String> = stack
        .cols
        .iter()
        .zip(&fills)
        .map(|(c, f)| {
            if c.no_answer {
                super::palette::NO_ANSWER_FILL.to_string()
            } else {
                f.clone()
            }
        })
        .collect();
    let rest_fill = |doc: &Doc, r: Rest| match r {
        Rest::Hidden => doc.hidden_fill(),
        Rest::Unpublished => WHITE.to_string(),
    };
    // A multiple answer: shares of a row total over 100; the bar's full width is then
    // the largest total, not 100 (the note says so).
    let totals: Vec<f64> = stack
        .rows
        .iter()
        .map(|r| r.cells.iter().flatten().sum::<f64>() + r.rest.map_or(0.0, |x| x.0))
        .collect();
    let over = totals.iter().cloned().fold(0.0, f64::max) > 100.5;
    let scale = if over {
        totals.iter().cloned().fold(100.0, f64::max)
    } else {
        100.0
    };

    let inner = WIDTH - 2.0 * PAD;
    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(title, PAD, y, inner, TITLE_FONT);
    let sub_lines = wrap_lines(&stack.sub, units_in(inner, FONT), 3);
    doc.lines(
        "sub",
        PAD,
        y,
        LINE,
        Anchor::Start,
        FONT,
        INK_SOFT,
        false,
        &sub_lines,
    );
    y += sub_lines.len() as f64 * LINE + 4.0;

    // Legend: swatch + label, flowing left to right in column order, wrapping; then the
    // kinds of rest the bars use.
    let mut rests: Vec<Rest> = Vec::new();
    for r in stack.rows.iter().filter_map(|r| r.rest) {
        if !rests.contains(&r.1) {
            rests.push(r.1);
        }
    }
    let mut entries: Vec<(String, String, String)> = stack
        .cols
        .iter()
        .enumerate()
        .map(|(j, c)| {
            (
                c.label.clone(),
                fills[j].clone(),
                format!(r#"data-col="{j}""#),
            )
        })
        .collect();
    for r in &rests {
        let what = match r {
            Rest::Hidden => "hidden",
            Rest::Unpublished => "unpublished",
        };
        entries.push((
            r.legend(lang).to_string(),
            rest_fill(&doc, *r),
            format!(r#"data-rest="{what}""#),
        ));
    }
    let mut x = PAD;
    let mut line_h: f64 = 0.0;
    for (label, fill, data) in &entries {
        let lines = wrap_lines(label, LEGEND_UNITS, MAX_LABEL_LINES);
        let w = SWATCH
            + 5.0
            + lines
                .iter()
                .map(|l| text_width(l, FONT))
                .fold(0.0, f64::max)
            + 16.0;
        if x > PAD && x + w > WIDTH - PAD {
            x = PAD;
            y += line_h + 6.0;
            line_h = 0.0;
        }
        let h = (lines.len() as f64 * LINE).max(SWATCH);
        let extra = format!(r#"{data} stroke="{INK}" stroke-width="0.5""#);
        doc.rect("legend-swatch", x, y, SWATCH, SWATCH, fill, &extra, None);
        doc.lines(
            "legend-label",
            x + SWATCH + 5.0,
            y + SWATCH / 2.0,
            LINE,
            Anchor::Start,
            FONT,
            INK,
            false,
            &lines,
        );
        line_h = line_h.max(h);
        x += w;
    }
    y += line_h + 12.0;

    let bar_x = PAD + LABEL_W;
    let bar_w = WIDTH - PAD - N_W - bar_x;
    let label_units = units_in(LABEL_W - 10.0, FONT);
    for (i, r) in stack.rows.iter().enumerate() {
        let lines = wrap_lines(&r.label, label_units, MAX_LABEL_LINES);
        let row_h = (lines.len() as f64 * LINE).max(BAR_H) + ROW_GAP;
        let mid = y + row_h / 2.0;
        let top = mid - BAR_H / 2.0;
        doc.lines(
            "label",
            bar_x - 8.0,
            mid - (lines.len() as f64 - 1.0) * LINE / 2.0,
            LINE,
            Anchor::End,
            FONT,
            INK,
            false,
            &lines,
        );
        let mut sx = bar_x;
        let mut labels = Vec::new();
        for (j, c) in stack.cols.iter().enumerate() {
            let Some(p) = r.cells.get(j).copied().flatten() else {
                continue;
            };
            let w = p / scale * bar_w;
            let extra = format!(
                r#"data-row="{i}" data-col="{j}" data-percent="{}" stroke="{WHITE}" stroke-width="0.5""#,
                num(p)
            );
            let count = match r.counts.get(j).copied().flatten() {
                Some(n) => words!(lang, "（{n}人）", " ({n} people)"),
                None => String::new(),
            };
            let tip = words!(
                lang,
                "{}・{}: {}%{count}",
                "{} · {}: {}%{count}",
                r.label,
                c.label,
                format_percent(p)
            );
            doc.rect("seg", sx, top, w, BAR_H, &fills[j], &extra, Some(&tip));
            if p >= LABEL_MIN_PERCENT {
                labels.push((sx + w / 2.0, text_on(&grounds[j]), format_percent(p)));
            }
            sx += w;
        }
        if let Some((p, kind)) = r.rest {
            let w = p / scale * bar_w;
            let (class, tip) = match kind {
                Rest::Hidden => (
                    "seg-hidden",
                    words!(
                        lang,
                        "{}・x（秘匿）: 合わせて{}%",
                        "{} · x (hidden): {}% together",
                        r.label,
                        format_percent(p)
                    ),
                ),
                Rest::Unpublished => (
                    "seg-unpublished",
                    words!(
                        lang,
                        "{}・内訳の公表なし: {}%",
                        "{} · breakdown not published: {}%",
                        r.label,
                        format_percent(p)
                    ),
                ),
            };
            let extra = format!(
                r#"data-row="{i}" data-percent="{}" stroke="{INK_SOFT}" stroke-width="0.5""#,
                num(p)
            );
            doc.rect(
                class,
                sx,
                top,
                w,
                BAR_H,
                &rest_fill(&doc, kind),
                &extra,
                Some(&tip),
            );
            if kind == Rest::Hidden && w >= 14.0 {
                labels.push((sx + w / 2.0, INK, "x".to_string()));
            }
        }
        // Labels after every segment, so none is painted over by its neighbour.
        for (cx, ink, s) in labels {
            doc.text(
                "seg-label",
                cx,
                mid,
                Anchor::Middle,
                SEG_FONT,
                ink,
                false,
                &s,
            );
        }
        if totals[i] == 0.0 {
            doc.rect(
                "empty",
                bar_x,
                top,
                bar_w,
                BAR_H,
                "none",
                &format!(r#"stroke="{INK_SOFT}" stroke-width="0.5""#),
                None,
            );
        }
        doc.text(
            "n",
            bar_x + bar_w + 6.0,
            mid,
            Anchor::Start,
            11.0,
            INK_SOFT,
            false,
            &r.n,
        );
        y += row_h;
    }
    let mut notes: Vec<&str> = Vec::new();
    if over {
        notes.push(lang.pick(
            "※複数回答のため、割合の合計は100%を超えます（帯の長さは割合の合計）。",
            "* Multiple answer: the shares total over 100% (a bar's length is their total).",
        ));
    }
    notes.extend(stack.notes.iter().map(String::as_str));
    if !notes.is_empty() {
        y += 4.0;
    }
    for note in notes {
        y = doc.note(PAD, y, inner, FONT, LINE, note);
    }
    let height = (y + PAD).ceil();
    doc.finish(WIDTH, height, title, &stack.description)
}

/// A crosstab chart's title: rows × columns, and the layer's answer in brackets.
pub(crate) fn crosstab_title(
    table: &CrosstabTable,
    row_title: &str,
    col_title: &str,
    lang: Lang,
) -> String {
    let layer = table
        .layer
        .as_ref()
        .map(|l| words!(lang, "［{}］", " [{}]", l.label))
        .unwrap_or_default();
    format!("{row_title} × {col_title}{layer}")
}

/// The figures of a crosstab chart for a screen reader: each row with its n and the
/// percent of every column (`cell`), as the stacked and the grouped bars draw them.
pub(crate) fn rows_described(table: &CrosstabTable, lang: Lang) -> String {
    let rows: Vec<String> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let n = table.row_base_counts.get(i).copied().unwrap_or(0);
            let cells: Vec<String> = table
                .cols
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let p = cell(table, i, j);
                    format!(
                        "{} {}%",
                        c.label,
                        p.map_or(lang.pick("－", "–").into(), format_percent)
                    )
                })
                .collect();
            words!(
                lang,
                "{}（n={n}）: {}",
                "{} (n={n}): {}",
                r.label,
                cells.join(lang.pick("、", "; "))
            )
        })
        .collect();
    rows.join(lang.pick("。", ". "))
}

pub(crate) fn cell(table: &CrosstabTable, i: usize, j: usize) -> Option<f64> {
    table
        .row_percent
        .get(i)
        .and_then(|r| r.get(j))
        .copied()
        .flatten()
        .filter(|p| p.is_finite())
}
