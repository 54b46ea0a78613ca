//! The local result beside the national figures: per category, grouped bars of 本調査
//! (with its 95 % interval) then R3–R6 where the nation published a figure; national
//! figures nobody verified are marked 「*」 and a footnote says so.

use super::doc::{num, text_width, units_in, Anchor, Doc};
use super::palette::{sequential, GRID, INK, INK_SOFT, WHITE};
use super::{wrap_lines, Svg};
use crate::analysis::national::{NationalComparison, EDITIONS};
use crate::format::format_percent;
use crate::lang::Lang;

const WIDTH: f64 = 760.0;
const PAD: f64 = 12.0;
const LABEL_W: f64 = 190.0;
const SERIES_W: f64 = 52.0;
const VALUE_W: f64 = 70.0;
const FONT: f64 = 12.0;
const SMALL: f64 = 11.0;
const LINE: f64 = 15.0;
const BAR_H: f64 = 14.0;
const BAR_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 14.0;
const TITLE_FONT: f64 = 14.0;
const MAX_LABEL_LINES: usize = 8;
/// The local survey's series name (in English: 「This survey」).
pub const LOCAL: &str = "本調査";
pub const UNVERIFIED_MARK: &str = "*";

/// Grouped horizontal bars, one group per category of the comparison; the chart's own
/// words in `lang`.
pub fn national_svg(c: &NationalComparison, lang: Lang) -> Svg {
    let mut shown = c.clone();
    for r in &mut shown.rows {
        r.category = super::shown_no_answer(&r.category, lang);
    }
    let c = &shown;
    let local = lang.pick(LOCAL, "This survey");
    // Series colours: 本調査 the darkest, then each edition lighter in time order.
    let series: Vec<&str> = std::iter::once(local)
        .chain(EDITIONS.iter().map(|e| e.0))
        .collect();
    let colours = sequential(series.len());
    let colour = |name: &str| {
        let k = series
            .iter()
            .position(|s| *s == name)
            .unwrap_or(series.len() - 1);
        colours[k].clone()
    };
    let any_unverified = c
        .rows
        .iter()
        .any(|r| r.national.iter().any(|e| !e.verified));
    let any_ci = c.rows.iter().any(|r| r.ci.is_some());
    let weighted = c
        .weight
        .as_ref()
        .map(|w| words!(lang, "、重み「{w}」", ", weight “{w}”"))
        .unwrap_or_default();
    let filtered = c
        .filter
        .as_ref()
        .map(|f| words!(lang, "、{f}", ", {f}"))
        .unwrap_or_default();
    let base = format!("{local} n={}{weighted}{filtered}", c.base_count);
    let title = words!(
        lang,
        "{}：本調査と全国",
        "{}: this survey and the nation",
        lang.pick(c.measure.ja(), c.measure.en())
    );

    let description = {
        let rows: Vec<String> = c
            .rows
            .iter()
            .map(|r| {
                let mut parts = vec![format!("{local} {}%", format_percent(r.local_percent))];
                for e in &r.national {
                    parts.push(words!(
                        lang,
                        "全国{} {}%{}",
                        "national {} {}%{}",
                        e.edition,
                        format_percent(e.national_percent),
                        if e.verified {
                            ""
                        } else {
                            lang.pick("（未確認）", " (unverified)")
                        }
                    ));
                }
                format!("{}: {}", r.category, parts.join(lang.pick("、", "; ")))
            })
            .collect();
        words!(
            lang,
            "{title}（{base}）。{}",
            "{title} ({base}). {}",
            rows.join(lang.pick("。", ". "))
        )
    };
    let mut doc = Doc::new("national", &description);

    // Scale: 0 to the next 10 above every value and interval.
    let top_value = c
        .rows
        .iter()
        .flat_map(|r| {
            std::iter::once(r.local_percent)
                .chain(r.ci.iter().map(|i| i.upper * 100.0))
                .chain(r.national.iter().map(|e| e.national_percent))
        })
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let max = ((top_value / 10.0).ceil() * 10.0).clamp(10.0, 100.0);
    let step = if max > 50.0 {
        20.0
    } else if max > 20.0 {
        10.0
    } else {
        5.0
    };

    let inner = WIDTH - 2.0 * PAD;
    let mut y = PAD + TITLE_FONT / 2.0;
    y = doc.title(&title, PAD, y, inner, TITLE_FONT);
    let sub_lines = wrap_lines(
        &words!(lang, "{base}　単位：%", "{base}   unit: %"),
        units_in(inner, FONT),
        3,
    );
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
    y += sub_lines.len() as f64 * LINE + 8.0;

    let series_x = PAD + LABEL_W;
    let bar_x = series_x + SERIES_W;
    let plot = WIDTH - PAD - VALUE_W - bar_x;
    let at = |v: f64| bar_x + v.clamp(0.0, max) / max * plot;
    let label_units = units_in(LABEL_W - 10.0, FONT);
    let top = y;
    let grid_at = doc.body.len();
    for (ri, r) in c.rows.iter().enumerate() {
        let lines = wrap_lines(&r.category, label_units, MAX_LABEL_LINES);
        let bars = 1 + r.national.len();
        let bars_h = bars as f64 * (BAR_H + BAR_GAP) - BAR_GAP;
        let group_h = (lines.len() as f64 * LINE).max(bars_h) + GROUP_GAP;
        let mid = y + group_h / 2.0;
        doc.lines(
            "label",
            series_x - 10.0,
            mid - (lines.len() as f64 - 1.0) * LINE / 2.0,
            LINE,
            Anchor::End,
            FONT,
            INK,
            false,
            &lines,
        );
        let mut by = mid - bars_h / 2.0;
        let mut bar = |doc: &mut Doc,
                       name: &str,
                       value: f64,
                       verified: bool,
                       ci: Option<(f64, f64)>,
                       tip: String| {
            let cy = by + BAR_H / 2.0;
            doc.text(
                "series",
                bar_x - 6.0,
                cy,
                Anchor::End,
                SMALL,
                INK,
                false,
                name,
            );
            let extra = format!(
                r#"data-category="{ri}" data-series="{}" data-value="{}" data-verified="{verified}" stroke="{INK}" stroke-width="0.5""#,
                super::doc::escape(name),
                num(value)
            );
            doc.rect(
                "bar",
                bar_x,
                by,
                at(value) - bar_x,
                BAR_H,
                &colour(name),
                &extra,
                Some(&tip),
            );
            let mut end = at(value);
            if let Some((lo, hi)) = ci {
                let (x1, x2) = (at(lo), at(hi));
                // A white halo keeps the whisker visible over the dark bar.
                for (ink, w) in [(WHITE, 3.2), (INK, 1.2)] {
                    doc.line(x1, cy, x2, cy, ink, w);
                    doc.line(x1, cy - 4.0, x1, cy + 4.0, ink, w);
                    doc.line(x2, cy - 4.0, x2, cy + 4.0, ink, w);
                }
                end = end.max(x2);
            }
            let text = format!(
                "{}{}",
                format_percent(value),
                if verified { "" } else { UNVERIFIED_MARK }
            );
            let vx = (end + 4.0).min(WIDTH - PAD - text_width(&text, SMALL));
            doc.text("value", vx, cy, Anchor::Start, SMALL, INK, false, &text);
            by += BAR_H + BAR_GAP;
        };
        let ci = r.ci.as_ref().map(|i| (i.lower * 100.0, i.upper * 100.0));
        let tip = match ci {
            Some((lo, hi)) => words!(
                lang,
                "{} {local} {}%（95%信頼区間 {}～{}%）",
                "{} {local} {}% (95% CI {}–{}%)",
                r.category,
                format_percent(r.local_percent),
                format_percent(lo),
                format_percent(hi)
            ),
            None => format!(
                "{} {local} {}%",
                r.category,
                format_percent(r.local_percent)
            ),
        };
        bar(&mut doc, local, r.local_percent, true, ci, tip);
        for e in &r.national {
            let tip = words!(
                lang,
                "{} 全国{} {}%（n={}）{}",
                "{} national {} {}% (n={}){}",
                r.category,
                e.edition,
                format_percent(e.national_percent),
                e.national_n,
                if e.verified {
                    String::new()
                } else {
                    format!(" {}", e.confirmation().pick(lang))
                }
            );
            bar(
                &mut doc,
                &e.edition,
                e.national_percent,
                e.verified,
                None,
                tip,
            );
        }
        y += group_h;
    }
    // Grid behind the bars, ticks under them.
    let mut grid = Doc::new("g", "");
    let mut t = 0.0;
    while t <= max + 1e-9 {
        grid.line(at(t), top, at(t), y, if t == 0.0 { INK } else { GRID }, 1.0);
        doc.text(
            "tick",
            at(t),
            y + 4.0 + SMALL / 2.0,
            Anchor::Middle,
            10.0,
            INK_SOFT,
            false,
            &format!("{t:.0}"),
        );
        t += step;
    }
    doc.body.insert_str(grid_at, &grid.body);
    y += LINE + 8.0;

    let mut notes = Vec::new();
    if any_unverified {
        notes.push(words!(
            lang,
            "{UNVERIFIED_MARK} 全国値は未確認（2つの独立した資料で同じ値を確認できていない数値）。公式の報告書で確かめてから使ってください。",
            "{UNVERIFIED_MARK} National figure unverified (not found with the same value in two independent sources). Check it against the official report before use."
        ));
    }
    if any_ci {
        notes.push(
            lang.pick(
                "本調査の横線は95%信頼区間。",
                "The line across this survey's bar: its 95% confidence interval.",
            )
            .to_string(),
        );
    }
    notes.push(
        lang.pick(
            "全国：人々のつながりに関する基礎調査。",
            "National: the national survey on people's connections (loneliness and isolation).",
        )
        .to_string(),
    );
    notes.extend(c.notes.iter().map(|n| n.pick(lang).to_string()));
    for n in notes {
        let lines = wrap_lines(&n, units_in(inner, SMALL), 6);
        doc.lines(
            "note",
            PAD,
            y,
            LINE,
            Anchor::Start,
            SMALL,
            INK_SOFT,
            false,
            &lines,
        );
        y += lines.len() as f64 * LINE;
    }
    let height = (y + PAD).ceil();
    doc.finish(
        WIDTH,
        height,
        &words!(lang, "{title}（{base}）", "{title} ({base})"),
        &description,
    )
}
