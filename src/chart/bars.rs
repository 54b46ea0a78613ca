//! A simple tabulation as horizontal bars of each answer's share.

use super::doc::{text_width, units_in, Anchor, Doc};
use super::palette::{INK, INK_SOFT, SINGLE};
use super::{wrap_lines, Svg};
use crate::analysis::{Category, Tabulation};
use crate::format::format_percent;
use crate::lang::Lang;

const WIDTH: f64 = 720.0;
const PAD: f64 = 12.0;
const LABEL_W: f64 = 250.0;
const VALUE_W: f64 = 130.0;
const FONT: f64 = 12.0;
const LINE: f64 = 16.0;
const BAR_H: f64 = 18.0;
const ROW_GAP: f64 = 8.0;
const TITLE_FONT: f64 = 14.0;
const MAX_LABEL_LINES: usize = 8;

/// Bars of each category's %, 無回答 hatched grey; a multiple answer sorted by share
/// (largest first, 無回答 last) with the note that its shares total over 100 %. The
/// chart's own words in `lang`.
pub fn bars_svg(tab: &Tabulation, lang: Lang) -> Svg {
    let tab = &*super::shown_tab(tab, lang);
    let title = super::tab_title(tab, lang);
    // The share a bar shows (0 on an empty base).
    let percent = |c: &Category| c.percent.unwrap_or(0.0);
    let mut cats: Vec<&Category> = tab.categories.iter().collect();
    if tab.multiple {
        cats.sort_by(|a, b| {
            a.no_answer
                .cmp(&b.no_answer)
                .then(percent(b).total_cmp(&percent(a)))
        });
    }
    let n = tab.base_count;
    let base_text = if tab.multiple {
        words!(
            lang,
            "n={n}（{}人のうち、1つ以上選んだ人）",
            "n={n} (of {}, those who chose at least one)",
            n + tab.outside
        )
    } else if tab.outside > 0 {
        words!(
            lang,
            "n={n}（非該当{}人を除く）",
            "n={n} ({} not applicable left out)",
            tab.outside
        )
    } else {
        format!("n={n}")
    };
    let each = |c: &Category| {
        words!(
            lang,
            "{} {}%（{}人）",
            "{} {}% ({} people)",
            c.label,
            format_percent(percent(c)),
            c.count
        )
    };
    let list = cats
        .iter()
        .map(|c| each(c))
        .collect::<Vec<_>>()
        .join(lang.pick("、", "; "));
    let description = match (lang, tab.multiple) {
        (Lang::Ja, true) => {
            format!("{title}の回答の割合（{base_text}）、複数回答・割合の大きい順: {list}")
        }
        (Lang::Ja, false) => format!("{title}の回答の割合（{base_text}）: {list}"),
        (Lang::En, true) => format!(
            "Share of each answer to {title} ({base_text}), multiple answer, largest first: {list}"
        ),
        (Lang::En, false) => format!("Share of each answer to {title} ({base_text}): {list}"),
    };
    let mut doc = Doc::new("bars", &description);
    let inner = WIDTH - 2.0 * PAD;

    // Title and base.
    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(&title, PAD, y, inner, TITLE_FONT);
    let sub = words!(lang, "{base_text}　単位：%", "{base_text}   unit: %");
    doc.text("base", PAD, y, Anchor::Start, FONT, INK_SOFT, false, &sub);
    y += LINE + 6.0;

    let axis_x = PAD + LABEL_W;
    let plot = WIDTH - PAD - VALUE_W - axis_x;
    let label_units = units_in(LABEL_W - 10.0, FONT);
    let top = y;
    let grid_at = doc.body.len();
    for c in &cats {
        let lines = wrap_lines(&c.label, label_units, MAX_LABEL_LINES);
        let text_h = lines.len() as f64 * LINE;
        let row_h = text_h.max(BAR_H) + ROW_GAP;
        let mid = y + row_h / 2.0;
        doc.lines(
            "label",
            axis_x - 8.0,
            mid - (lines.len() as f64 - 1.0) * LINE / 2.0,
            LINE,
            Anchor::End,
            FONT,
            INK,
            false,
            &lines,
        );
        let w =
            (percent(c).clamp(0.0, 100.0) / 100.0 * plot).max(if c.count > 0 { 1.0 } else { 0.0 });
        let fill = if c.no_answer {
            doc.no_answer_fill()
        } else {
            SINGLE.to_string()
        };
        let extra = format!(
            r#"data-percent="{}" data-no-answer="{}""#,
            super::doc::num(percent(c)),
            c.no_answer
        );
        let tip = each(c);
        doc.rect(
            "bar",
            axis_x,
            mid - BAR_H / 2.0,
            w,
            BAR_H,
            &fill,
            &extra,
            Some(&tip),
        );
        let value = words!(
            lang,
            "{}%（{}人）",
            "{}% ({})",
            format_percent(percent(c)),
            c.count
        );
        let vx = (axis_x + w + 6.0).min(WIDTH - PAD - text_width(&value, FONT));
        doc.text("value", vx, mid, Anchor::Start, FONT, INK, false, &value);
        y += row_h;
    }
    // The grid under the bars, the 0–100 % ticks a little below them.
    y = doc.percent_scale(grid_at, top, y, 4.0, axis_x, plot, FONT, LINE);
    if tab.multiple {
        let note = lang.pick(
            "※複数回答のため、割合の合計は100%を超えます（1つ以上選んだ人を100%とした割合）。",
            "* Multiple answer: the shares total over 100% (of those who chose at least one).",
        );
        y = doc.note(PAD, y, inner, FONT, LINE, note);
    }
    let height = (y + PAD).ceil();
    doc.finish(
        WIDTH,
        height,
        &words!(lang, "{title}（{base_text}）", "{title} ({base_text})"),
        &description,
    )
}
