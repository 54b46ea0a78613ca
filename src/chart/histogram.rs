//! A numeric question (年齢, the UCLA-3 score) as a histogram: one vertical bar per bin
//! of `stats::histogram` (whole numbers one by one when they span ≤ 30 values, else about
//! Sturges' count of 1/2/5×10^k-wide bins), heights in respondents, with n, mean, SD,
//! median and quartiles above the plot and in the text alternative — instead of 77 bars
//! of single ages.

use super::doc::{num, text_width, units_in, Anchor, Doc};
use super::palette::{GRID, INK, INK_SOFT, SINGLE};
use super::{wrap_lines, Svg};
use crate::analysis::Tabulation;
use crate::lang::Lang;

const WIDTH: f64 = 720.0;
const PAD: f64 = 12.0;
const AXIS_W: f64 = 44.0;
const PLOT_H: f64 = 220.0;
const FONT: f64 = 12.0;
const SMALL: f64 = 10.0;
const LINE: f64 = 16.0;
const TITLE_FONT: f64 = 14.0;

/// A figure as people read it: at most two decimals, no trailing zeros.
fn figure(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), num)
}

/// The histogram of a numeric question's tabulation; `None` for a question of answers.
/// The chart's own words in `lang`.
pub fn histogram_svg(tab: &Tabulation, lang: Lang) -> Option<Svg> {
    let tab = &*super::shown_tab(tab, lang);
    let s = tab.numeric.as_ref()?;
    let title = super::tab_title(tab, lang);
    let figures = words!(
        lang,
        "n={}　平均 {}　標準偏差 {}　中央値 {}（四分位 {}～{}）　最小 {}　最大 {}",
        "n={}   mean {}   SD {}   median {} (quartiles {}–{})   min {}   max {}",
        s.n,
        figure(s.mean),
        figure(s.sd),
        figure(s.median),
        figure(s.q1),
        figure(s.q3),
        figure(s.min),
        figure(s.max)
    );
    let weighted = match &s.weighted {
        Some(w) => words!(
            lang,
            "　ウェイト付き: 平均 {}　標準偏差 {}　中央値 {}（棒の高さはウェイトなしの人数）",
            "   weighted: mean {}   SD {}   median {} (bar heights: unweighted people)",
            figure(w.mean),
            figure(w.sd),
            figure(w.median)
        ),
        None => String::new(),
    };
    let description = words!(
        lang,
        "{title}の分布（{figures}{weighted}）。階級ごとの人数: {}",
        "Distribution of {title} ({figures}{weighted}). People in each bin: {}",
        s.histogram
            .iter()
            .map(|b| words!(lang, "{} {}人", "{} {}", b.label, b.count))
            .collect::<Vec<_>>()
            .join(lang.pick("、", "; "))
    );
    let mut doc = Doc::new("histogram", &description);
    let inner = WIDTH - 2.0 * PAD;

    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(&title, PAD, y, inner, TITLE_FONT);
    for line in wrap_lines(&format!("{figures}{weighted}"), units_in(inner, FONT), 4) {
        doc.text(
            "figures",
            PAD,
            y,
            Anchor::Start,
            FONT,
            INK_SOFT,
            false,
            &line,
        );
        y += LINE;
    }
    doc.text(
        "unit",
        PAD,
        y,
        Anchor::Start,
        SMALL,
        INK_SOFT,
        false,
        lang.pick("単位：人", "unit: people"),
    );
    y += LINE;

    let top = y + SMALL; // room for the count over the tallest bar
    let bottom = top + PLOT_H;
    let left = PAD + AXIS_W;
    let plot_w = WIDTH - PAD - left;
    let k = s.histogram.len().max(1);
    let slot = plot_w / k as f64;
    let bar_w = (slot - 2.0).max(1.0);
    let most = s
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    // Count gridlines at a round step, about four of them.
    let step = round_step(most as f64 / 4.0);
    let mut tick = 0.0;
    while tick <= most as f64 + 1e-9 {
        let ty = bottom - tick / most as f64 * PLOT_H;
        doc.line(left, ty, WIDTH - PAD, ty, GRID, 1.0);
        doc.text(
            "tick",
            left - 6.0,
            ty,
            Anchor::End,
            SMALL,
            INK_SOFT,
            false,
            &num(tick),
        );
        tick += step;
    }
    // Bin labels: every one when they fit, else every n-th.
    let widest = s
        .histogram
        .iter()
        .map(|b| text_width(&b.label, SMALL))
        .fold(0.0, f64::max);
    let every = ((widest + 4.0) / slot).ceil().max(1.0) as usize;
    let count_fits = text_width(&most.to_string(), SMALL) <= slot;
    for (i, b) in s.histogram.iter().enumerate() {
        let x = left + i as f64 * slot + 1.0;
        let h = b.count as f64 / most as f64 * PLOT_H;
        let tip = words!(lang, "{}: {}人", "{}: {} people", b.label, b.count);
        let extra = format!(r#"data-count="{}" data-lo="{}""#, b.count, num(b.lo));
        doc.rect("bar", x, bottom - h, bar_w, h, SINGLE, &extra, Some(&tip));
        let mid = x + bar_w / 2.0;
        if count_fits && b.count > 0 {
            doc.text(
                "count",
                mid,
                bottom - h - SMALL / 2.0 - 2.0,
                Anchor::Middle,
                SMALL,
                INK,
                false,
                &b.count.to_string(),
            );
        }
        if i % every == 0 {
            // Keep the label inside the chart at either end.
            let half = text_width(&b.label, SMALL) / 2.0;
            let lx = mid.clamp(PAD + half, WIDTH - PAD - half);
            doc.text(
                "bin",
                lx,
                bottom + SMALL,
                Anchor::Middle,
                SMALL,
                INK,
                false,
                &b.label,
            );
        }
    }
    doc.line(left, bottom, WIDTH - PAD, bottom, INK, 1.0);
    let height = (bottom + SMALL * 2.0 + PAD).ceil();
    Some(doc.finish(
        WIDTH,
        height,
        &words!(
            lang,
            "{title}（n={}、平均 {}）",
            "{title} (n={}, mean {})",
            s.n,
            figure(s.mean)
        ),
        &description,
    ))
}

/// 1, 2 or 5 × 10^k at least `raw` (1 at least: counts are whole).
fn round_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 1.0 {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&w| w >= raw)
        .unwrap_or(10.0 * p)
}
