//! Colours of the SVG charts: colour-blind safe and still readable when printed in grey.
//!
//! Ordered categories (an answer scale, age groups, editions) take evenly spaced samples
//! of **viridis** (van der Walt & Smith, matplotlib's default map). It was designed for
//! this: its lightness rises monotonically from dark purple to yellow, so neighbouring
//! categories stay distinct for deuteranopia, protanopia and tritanopia *and* in a
//! greyscale print or a photocopy, where only lightness survives. The eight anchors
//! (= viridis(8) in R / matplotlib) are
//!
//! | #440154 | #46337E | #365C8D | #277F8E | #1FA187 | #4AC16D | #9FDA3A | #FDE725 |
//!
//! with relative luminance 0.03 → 0.80; `sequential(k)` interpolates between them in
//! sRGB, so `k` colours span the whole range whatever `k` is (tests check the luminance
//! strictly increases for every `k` up to 12).
//!
//! 無回答 is never a colour of the scale: mid grey `#9E9E9E` crossed by light
//! `#EEEEEE` diagonal hatching (an SVG `<pattern>`), distinguishable from every solid
//! segment even in grey. Text drawn on a segment is white or near-black, whichever
//! contrasts more (WCAG relative luminance); with pure black and white every fill
//! reaches at least 4.58:1 (a softer near-black would fall to 4.3:1 on the mid teal).

/// viridis(8): the anchors of [`sequential`].
pub const VIRIDIS: [&str; 8] = [
    "#440154", "#46337E", "#365C8D", "#277F8E", "#1FA187", "#4AC16D", "#9FDA3A", "#FDE725",
];
/// The one colour of a single-series chart (viridis at 2/7, 7.6:1 on white).
pub const SINGLE: &str = "#365C8D";
/// 無回答: mid grey under the hatch.
pub const NO_ANSWER_FILL: &str = "#9E9E9E";
/// The hatch lines over [`NO_ANSWER_FILL`].
pub const NO_ANSWER_HATCH: &str = "#EEEEEE";
/// The cross-hatch lines of a hidden (「x」) share, on white.
pub const HIDDEN_HATCH: &str = "#555555";
/// Text and lines on the white background.
pub const INK: &str = "#111111";
/// Secondary text (notes, tick labels): 7:1 on white.
pub const INK_SOFT: &str = "#555555";
/// Grid lines.
pub const GRID: &str = "#DDDDDD";
pub const WHITE: &str = "#FFFFFF";

fn rgb(hex: &str) -> (f64, f64, f64) {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0) as f64;
    (c(0), c(2), c(4))
}

fn hex((r, g, b): (f64, f64, f64)) -> String {
    let c = |x: f64| x.round().clamp(0.0, 255.0) as u8;
    format!("#{:02X}{:02X}{:02X}", c(r), c(g), c(b))
}

/// WCAG 2 relative luminance of `#RRGGBB` (0 black … 1 white).
pub fn luminance(hex: &str) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = rgb(hex);
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG contrast ratio of two colours (1 … 21).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Text on a segment. Pure black, not [`INK`]: for a mid-luminance fill (viridis'
/// teal, L ≈ 0.18) only pure black or white can reach 4.5:1 (at worst 4.58:1).
pub const SEGMENT_DARK: &str = "#000000";

/// White or black, whichever contrasts more with `fill` (always ≥ 4.58:1).
pub fn text_on(fill: &str) -> &'static str {
    if contrast(fill, WHITE) >= contrast(fill, SEGMENT_DARK) {
        WHITE
    } else {
        SEGMENT_DARK
    }
}

/// `k` ordered colours, dark to light, spanning viridis.
pub fn sequential(k: usize) -> Vec<String> {
    match k {
        0 => Vec::new(),
        1 => vec![SINGLE.to_string()],
        _ => (0..k)
            .map(|i| {
                let t = i as f64 / (k - 1) as f64 * (VIRIDIS.len() - 1) as f64;
                let lo = (t.floor() as usize).min(VIRIDIS.len() - 2);
                let f = t - lo as f64;
                let (a, b) = (rgb(VIRIDIS[lo]), rgb(VIRIDIS[lo + 1]));
                hex((
                    a.0 + (b.0 - a.0) * f,
                    a.1 + (b.1 - a.1) * f,
                    a.2 + (b.2 - a.2) * f,
                ))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_sequential_lightness_rises_and_text_contrast_holds() {
        for k in 1..=12 {
            let p = sequential(k);
            assert_eq!(p.len(), k);
            for w in p.windows(2) {
                assert!(luminance(&w[1]) > luminance(&w[0]) + 0.005, "{k}: {w:?}");
            }
            for c in p
                .iter()
                .map(String::as_str)
                .chain([NO_ANSWER_FILL, NO_ANSWER_HATCH])
            {
                assert!(contrast(c, text_on(c)) >= 4.5, "{c}");
            }
        }
        assert_eq!(sequential(8), VIRIDIS.map(String::from).to_vec());
        // Dark text on the hatched grey, whichever of its two tones is under a glyph.
        assert_eq!(text_on(NO_ANSWER_FILL), SEGMENT_DARK);
        assert_eq!(text_on(NO_ANSWER_HATCH), SEGMENT_DARK);
        assert!(contrast(SINGLE, WHITE) >= 4.5 && contrast(INK_SOFT, WHITE) >= 4.5);
        assert!((contrast("#000000", "#FFFFFF") - 21.0).abs() < 1e-9);
    }
}
