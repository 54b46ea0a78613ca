//! A crosstab whose columns are a multiple answer, as grouped bars: for each group (a row
//! of the table: 男性, 女性 …) one bar per option, its length the share of the group's
//! respondents who chose it. A stacked bar would be wrong here: the shares of a group
//! total over 100 % (one person chooses several), so a bar made of them has no meaning.

use super::doc::{text_width, units_in, Anchor, Doc};
use super::palette::{INK, INK_SOFT};
use super::stacked::cell;
use super::{wrap_lines, Svg};
use crate::analysis::crosstab::CrosstabTable;
use crate::format::format_percent;
use crate::lang::Lang;

const WIDTH: f64 = 720.0;
const PAD: f64 = 12.0;
const LABEL_W: f64 = 250.0;
const VALUE_W: f64 = 130.0;
const FONT: f64 = 12.0;
const LINE: f64 = 16.0;
const BAR_H: f64 = 14.0;
const BAR_GAP: f64 = 4.0;
const GROUP_GAP: f64 = 12.0;
const TITLE_FONT: f64 = 14.0;
const MAX_LABEL_LINES: usize = 4;

/// Grouped bars of `table` (rows: the groups; columns: the options of a multiple answer);
/// `row_title` and `col_title` name the two questions; the chart's own words in `lang`.
pub fn grouped_svg(table: &CrosstabTable, row_title: &str, col_title: &str, lang: Lang) -> Svg {
    let table = &*super::shown_table(table, lang);
    let title = super::stacked::crosstab_title(table, row_title, col_title, lang);
    let n_of = |i: usize| table.row_base_counts.get(i).copied().unwrap_or(0);
    let count = |i: usize, j: usize| {
        table
            .counts
            .get(i)
            .and_then(|r| r.get(j))
            .copied()
            .unwrap_or(0)
    };
    let description = words!(
        lang,
        "{title}。{row_title}ごとに、{col_title}の各選択肢を選んだ人の割合を示す棒グラフ（複数回答）。{}",
        "{title}. Bars of the share choosing each option of {col_title}, by {row_title} (multiple answer). {}",
        super::stacked::rows_described(table, lang)
    );
    let mut doc = Doc::new("grouped", &description);
    let inner = WIDTH - 2.0 * PAD;
    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(&title, PAD, y, inner, TITLE_FONT);
    let sub = lang.pick(
        "単位：%　（グループの回答者のうち、その選択肢を選んだ人の割合。複数回答）",
        "unit: %   (share of the group's respondents who chose the option; multiple answer)",
    );
    doc.text("base", PAD, y, Anchor::Start, FONT, INK_SOFT, false, sub);
    y += LINE + 6.0;

    let no_answer: Vec<bool> = table.cols.iter().map(|c| c.no_answer).collect();
    let fills = doc.category_fills(&no_answer);
    let axis_x = PAD + LABEL_W;
    let plot = WIDTH - PAD - VALUE_W - axis_x;
    let label_units = units_in(LABEL_W - 10.0, FONT);
    let top = y;
    let grid_at = doc.body.len();
    for (i, group) in table.rows.iter().enumerate() {
        let heading = format!("{}（n={}）", group.label, n_of(i));
        doc.text(
            "group",
            PAD,
            y + FONT / 2.0,
            Anchor::Start,
            FONT,
            INK,
            true,
            &heading,
        );
        y += LINE + 2.0;
        for (j, option) in table.cols.iter().enumerate() {
            let p = cell(table, i, j);
            let lines = wrap_lines(&option.label, label_units, MAX_LABEL_LINES);
            let row_h = (lines.len() as f64 * LINE).max(BAR_H) + BAR_GAP;
            let mid = y + row_h / 2.0;
            doc.lines(
                "label",
                axis_x - 8.0,
                mid - (lines.len() as f64 - 1.0) * LINE / 2.0,
                LINE,
                Anchor::End,
                FONT,
                INK_SOFT,
                false,
                &lines,
            );
            let share = p.unwrap_or(0.0).clamp(0.0, 100.0);
            let w = (share / 100.0 * plot).max(if count(i, j) > 0 { 1.0 } else { 0.0 });
            let extra = format!(
                r#"data-group="{i}" data-option="{j}" data-percent="{}""#,
                super::doc::num(share)
            );
            let value = match p {
                Some(p) => words!(
                    lang,
                    "{}%（{}人）",
                    "{}% ({})",
                    format_percent(p),
                    count(i, j)
                ),
                None => lang.pick("－", "–").to_string(),
            };
            let tip = format!("{} {} {value}", group.label, option.label);
            doc.rect(
                "bar",
                axis_x,
                mid - BAR_H / 2.0,
                w,
                BAR_H,
                &fills[j],
                &extra,
                Some(&tip),
            );
            let vx = (axis_x + w + 6.0).min(WIDTH - PAD - text_width(&value, FONT));
            doc.text("value", vx, mid, Anchor::Start, FONT, INK, false, &value);
            y += row_h;
        }
        y += GROUP_GAP;
    }
    y = doc.percent_scale(grid_at, top, y, 0.0, axis_x, plot, FONT, LINE);
    let note = lang.pick(
        "※複数回答のため、グループごとの割合の合計は100%を超えます。",
        "* Multiple answer: each group's shares total over 100%.",
    );
    y = doc.note(PAD, y, inner, FONT, LINE, note);
    let height = (y + PAD).ceil();
    doc.finish(WIDTH, height, &title, &description)
}
