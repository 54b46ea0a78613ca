//! A tiny SVG writer: escaped text, presentation attributes only (the page's CSP has no
//! 'unsafe-inline', so no `style=`), a text width estimate for layout, and the document
//! frame every chart shares (title, desc, role, the 無回答 hatch).

use std::fmt::Write;

use super::palette::{HIDDEN_HATCH, NO_ANSWER_FILL, NO_ANSWER_HATCH, WHITE};
use super::{units, Svg};

/// Fonts likely to hold Japanese on Windows, macOS, Linux and Android, then any sans.
pub const FONT_FAMILY: &str =
    "'Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic','Meiryo','Noto Sans CJK JP','Noto Sans JP',sans-serif";

/// Width of one half-width unit as a fraction of the font size. A full-width glyph is
/// 1 em and counts 2 units, so 0.55 leaves 10 % slack for Japanese and fits digits.
pub const UNIT_EM: f64 = 0.55;

/// Estimated width of `s` at `size` px.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(units).sum::<usize>() as f64 * size * UNIT_EM
}

/// How many half-width units fit in `px` at `size`.
pub fn units_in(px: f64, size: f64) -> usize {
    ((px / (size * UNIT_EM)).floor() as usize).max(2)
}

/// Escapes the five XML specials (& < > " ') and drops characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate: at most two decimals, no trailing zeros.
pub fn num(x: f64) -> String {
    // NaN/∞ (a base of 0 upstream) would make an invalid length: draw nothing instead.
    let s = format!(
        "{:.2}",
        if !x.is_finite() || x.abs() < 0.005 {
            0.0
        } else {
            x
        }
    );
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[derive(Clone, Copy, PartialEq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The body of one chart being written.
pub struct Doc {
    pub body: String,
    /// Prefix of this document's ids (the hatch pattern), unique per content so two
    /// charts inline in one page do not share an id.
    pub id: String,
}

impl Doc {
    pub fn new(kind: &str, seed: &str) -> Doc {
        // FNV-1a of the description: stable, and different for different charts.
        let mut h: u32 = 0x811C_9DC5;
        for b in seed.bytes() {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
        Doc {
            body: String::new(),
            id: format!("tsg-{kind}-{h:08x}"),
        }
    }

    /// The fill of a 無回答 shape.
    pub fn no_answer_fill(&self) -> String {
        format!("url(#{}-na)", self.id)
    }

    /// One fill per category, in order: viridis for answers, the 無回答 hatch for the
    /// no-answer ones (stacked and grouped bars colour their categories alike).
    pub fn category_fills(&self, no_answer: &[bool]) -> Vec<String> {
        let answers = no_answer.iter().filter(|&&n| !n).count();
        let mut colours = super::palette::sequential(answers).into_iter();
        no_answer
            .iter()
            .map(|&n| {
                if n {
                    self.no_answer_fill()
                } else {
                    colours.next().unwrap_or_default()
                }
            })
            .collect()
    }

    /// The 0–100 % scale of horizontal bars: vertical grid lines at 25, 50, 75 and 100 %
    /// and the axis, from `top` to `bottom`, put under what is drawn from `at` on (the
    /// bars), then the tick labels `gap` below `bottom`; returns the y below the labels.
    #[allow(clippy::too_many_arguments)]
    pub fn percent_scale(
        &mut self,
        at: usize,
        top: f64,
        bottom: f64,
        gap: f64,
        axis_x: f64,
        plot: f64,
        font: f64,
        line: f64,
    ) -> f64 {
        let labels = bottom + gap;
        let mut g = Doc::new("g", "");
        for t in [25.0, 50.0, 75.0, 100.0] {
            let x = axis_x + t / 100.0 * plot;
            g.line(x, top, x, bottom, super::palette::GRID, 1.0);
        }
        g.line(axis_x, top, axis_x, bottom, super::palette::INK, 1.0);
        self.body.insert_str(at, &g.body);
        for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
            self.text(
                "tick",
                axis_x + t / 100.0 * plot,
                labels + font / 2.0,
                Anchor::Middle,
                10.0,
                super::palette::INK_SOFT,
                false,
                &format!("{t:.0}"),
            );
        }
        labels + line + 4.0
    }

    /// The fill of a hidden (「x」, disclosure control) share: a cross-hatch on white,
    /// unlike any answer colour and unlike the grey 無回答.
    pub fn hidden_fill(&self) -> String {
        format!("url(#{}-x)", self.id)
    }

    /// One line of text; `class` may be empty.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
        fill: &str,
        bold: bool,
        s: &str,
    ) {
        let _ = write!(
            self.body,
            r#"<text{} x="{}" y="{}" text-anchor="{}" dominant-baseline="central" font-size="{}" fill="{}"{}>{}</text>"#,
            class_attr(class),
            num(x),
            num(y),
            anchor.attr(),
            num(size),
            fill,
            if bold { r#" font-weight="bold""# } else { "" },
            escape(s)
        );
        self.body.push('\n');
    }

    /// Lines stacked downwards, the first centred on `y`.
    #[allow(clippy::too_many_arguments)]
    /// The chart's title in bold, wrapped to `width` (at most 4 lines); returns the y
    /// under it.
    pub fn title(&mut self, title: &str, x: f64, y: f64, width: f64, font: f64) -> f64 {
        let lines = super::wrap_lines(title, units_in(width, font), 4);
        self.lines(
            "title",
            x,
            y,
            font + 4.0,
            Anchor::Start,
            font,
            super::palette::INK,
            true,
            &lines,
        );
        y + lines.len() as f64 * (font + 4.0)
    }

    /// A note under a chart (「※複数回答のため…」): wrapped to `width` in at most four
    /// lines of `font`, `line` apart, soft ink; returns the y below it.
    pub fn note(&mut self, x: f64, y: f64, width: f64, font: f64, line: f64, text: &str) -> f64 {
        let lines = super::wrap_lines(text, units_in(width, font), 4);
        self.lines(
            "note",
            x,
            y + font / 2.0,
            line,
            Anchor::Start,
            font,
            super::palette::INK_SOFT,
            false,
            &lines,
        );
        y + lines.len() as f64 * line
    }

    pub fn lines(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        line_height: f64,
        anchor: Anchor,
        size: f64,
        fill: &str,
        bold: bool,
        lines: &[String],
    ) {
        for (i, l) in lines.iter().enumerate() {
            self.text(
                class,
                x,
                y + i as f64 * line_height,
                anchor,
                size,
                fill,
                bold,
                l,
            );
        }
    }

    /// A rectangle; `extra` is raw attributes (already escaped), `tip` a tooltip.
    #[allow(clippy::too_many_arguments)]
    pub fn rect(
        &mut self,
        class: &str,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        extra: &str,
        tip: Option<&str>,
    ) {
        let _ = write!(
            self.body,
            r#"<rect{} x="{}" y="{}" width="{}" height="{}" fill="{}"{}{}"#,
            class_attr(class),
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h),
            fill,
            if extra.is_empty() {
                String::new()
            } else {
                format!(" {extra}")
            },
            match tip {
                Some(t) => format!("><title>{}</title></rect>", escape(t)),
                None => "/>".to_string(),
            }
        );
        self.body.push('\n');
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            stroke,
            num(width)
        );
    }

    /// The standalone document: `title` is the short accessible name (aria-label and
    /// <title>), `description` the full text alternative (<desc>).
    pub fn finish(self, width: f64, height: f64, title: &str, description: &str) -> Svg {
        let (w, h) = (num(width), num(height));
        let mut svg = String::with_capacity(self.body.len() + 1024);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}" aria-describedby="{id}-desc" font-family="{}">
<title>{}</title>
<desc id="{id}-desc">{}</desc>
<defs><pattern id="{id}-na" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_ANSWER_FILL}"/><line x1="0" y1="0" x2="0" y2="6" stroke="{NO_ANSWER_HATCH}" stroke-width="2"/></pattern><pattern id="{id}-x" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="{WHITE}"/><line x1="0" y1="0" x2="0" y2="8" stroke="{HIDDEN_HATCH}" stroke-width="1"/><line x1="0" y1="0" x2="8" y2="0" stroke="{HIDDEN_HATCH}" stroke-width="1"/></pattern></defs>
<rect x="0" y="0" width="{w}" height="{h}" fill="{WHITE}"/>
"#,
            escape(title),
            FONT_FAMILY,
            escape(title),
            escape(description),
            id = self.id,
        );
        svg.push_str(&self.body);
        svg.push_str("</svg>\n");
        Svg {
            svg,
            width,
            height,
            description: description.to_string(),
        }
    }
}

fn class_attr(class: &str) -> String {
    if class.is_empty() {
        String::new()
    } else {
        format!(r#" class="{class}""#)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_escape_and_numbers() {
        assert_eq!(
            escape(r#"A&B <c> "d" 'e'"#),
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(escape("a\u{1}b\nc"), "ab c");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(f64::NAN), "0");
        assert!((text_width("あa", 10.0) - 16.5).abs() < 1e-9);
    }
}
