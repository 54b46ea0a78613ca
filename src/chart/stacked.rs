//! A crosstab as the national report draws it: one 100 % stacked bar per row of the
//! table (row % across the column's categories), n at the bar's right end, each wide
//! enough segment labelled with its %, 無回答 hatched grey, the legend in column order.

use super::doc::{num, text_width, units_in, Anchor, Doc};
use super::palette::{sequential, text_on, INK, INK_SOFT, WHITE};
use super::{wrap_lines, Svg};
use crate::analysis::crosstab::CrosstabTable;
use crate::tabulate::format_percent;

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

/// One bar per row of `table`; `row_title` and `col_title` name the two questions.
pub fn stacked_svg(table: &CrosstabTable, row_title: &str, col_title: &str) -> Svg {
    let layer = table
        .layer
        .as_ref()
        .map(|l| format!("［{}］", l.label))
        .unwrap_or_default();
    let title = format!("{row_title} × {col_title}{layer}");
    // Filled by category: solid viridis for answers, the hatch for 無回答.
    let answers = table.cols.iter().filter(|c| !c.no_answer).count();
    let mut colours = sequential(answers).into_iter();
    let mut doc = Doc::new("stacked", &title);
    let fills: Vec<String> = table
        .cols
        .iter()
        .map(|c| {
            if c.no_answer {
                doc.no_answer_fill()
            } else {
                colours.next().unwrap_or_default()
            }
        })
        .collect();
    // Solid colour under each segment's label (the hatch is read as its grey).
    let grounds: Vec<String> = table
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
    // A multiple answer as columns: shares of a row total over 100; the bar's full width
    // is then the largest total, not 100 (the note says so).
    let totals: Vec<f64> = table
        .row_percent
        .iter()
        .map(|r| r.iter().flatten().sum())
        .collect();
    let over = totals.iter().cloned().fold(0.0, f64::max) > 100.5;
    let scale = if over {
        totals.iter().cloned().fold(100.0, f64::max)
    } else {
        100.0
    };

    let description = {
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
                        format!("{} {}%", c.label, p.map_or("－".into(), format_percent))
                    })
                    .collect();
                format!("{}（n={n}）: {}", r.label, cells.join("、"))
            })
            .collect();
        format!(
            "{title}。{col_title}の回答の割合を{row_title}ごとに示す帯グラフ。{}",
            rows.join("。")
        )
    };

    let inner = WIDTH - 2.0 * PAD;
    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(&title, PAD, y, inner, TITLE_FONT);
    let sub = format!(
        "単位：%　（{}ごとの{}の割合。右端のnは回答者数）",
        row_title.trim_end_matches(['。', '？', '?']),
        col_title.trim_end_matches(['。', '？', '?'])
    );
    let sub_lines = wrap_lines(&sub, units_in(inner, FONT), 3);
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

    // Legend: swatch + label, flowing left to right in column order, wrapping.
    let mut x = PAD;
    let mut line_h: f64 = 0.0;
    for (j, c) in table.cols.iter().enumerate() {
        let lines = wrap_lines(&c.label, LEGEND_UNITS, MAX_LABEL_LINES);
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
        let extra = format!(r#"data-col="{j}" stroke="{INK}" stroke-width="0.5""#);
        doc.rect(
            "legend-swatch",
            x,
            y,
            SWATCH,
            SWATCH,
            &fills[j],
            &extra,
            None,
        );
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
    for (i, r) in table.rows.iter().enumerate() {
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
        let n = table.row_base_counts.get(i).copied().unwrap_or(0);
        let mut sx = bar_x;
        let mut labels = Vec::new();
        for (j, c) in table.cols.iter().enumerate() {
            let Some(p) = cell(table, i, j) else { continue };
            let w = p / scale * bar_w;
            let count = table
                .counts
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0);
            let extra = format!(
                r#"data-row="{i}" data-col="{j}" data-percent="{}" stroke="{WHITE}" stroke-width="0.5""#,
                num(p)
            );
            let tip = format!(
                "{}・{}: {}%（{}人）",
                r.label,
                c.label,
                format_percent(p),
                count
            );
            doc.rect("seg", sx, top, w, BAR_H, &fills[j], &extra, Some(&tip));
            if p >= LABEL_MIN_PERCENT {
                labels.push((sx + w / 2.0, text_on(&grounds[j]), format_percent(p)));
            }
            sx += w;
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
            &format!("n={n}"),
        );
        y += row_h;
    }
    if over {
        let note = "※複数回答のため、割合の合計は100%を超えます（帯の長さは割合の合計）。";
        let lines = wrap_lines(note, units_in(inner, FONT), 4);
        y += 4.0;
        doc.lines(
            "note",
            PAD,
            y + FONT / 2.0,
            LINE,
            Anchor::Start,
            FONT,
            INK_SOFT,
            false,
            &lines,
        );
        y += lines.len() as f64 * LINE;
    }
    let height = (y + PAD).ceil();
    doc.finish(WIDTH, height, &title, &description)
}

fn cell(table: &CrosstabTable, i: usize, j: usize) -> Option<f64> {
    table
        .row_percent
        .get(i)
        .and_then(|r| r.get(j))
        .copied()
        .flatten()
        .filter(|p| p.is_finite())
}
