//! Charts as standalone SVG documents (a `String`), computed here so the page only shows
//! them: inline, as a .svg download, or rasterised to PNG. Pure and tested natively
//! (`tests/charts.rs`). The charts: [`bars_svg`]
//! (simple tabulation), [`stacked_svg`] (a crosstab as 100 % stacked bars, the national
//! report's style; [`grouped_svg`] when the columns are a multiple answer, whose shares
//! total over 100 %), [`national_svg`] (local vs national by edition) and
//! [`municipal_svg`] (towns side by side, from their aggregate files). Colours in
//! [`palette`]; presentation attributes only, never `style=`. Labels are measured in
//! half-width units ([`units`]) and wrapped with kinsoku ([`wrap_lines`]).
//!
//! Every chart takes the [`Lang`] of its own words (titles' framing, the base, 「単位：%」,
//! notes, tooltips and the text alternative): [`words!`] picks them; the data (labels,
//! question texts) are never translated.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// The chart's own words in a language: `words!(lang, "…{x}…", "…{x}…", args…)`, the
/// Japanese format first, the English second, both on the same arguments.
macro_rules! words {
    ($lang:expr, $ja:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            crate::lang::Lang::Ja => format!($ja $(, $arg)*),
            crate::lang::Lang::En => format!($en $(, $arg)*),
        }
    };
}

mod bars;
mod doc;
mod grouped;
mod histogram;
mod municipal;
mod national;
pub mod palette;
mod stacked;

pub use bars::bars_svg;
pub use doc::escape;
pub use grouped::grouped_svg;
pub use histogram::histogram_svg;
pub use municipal::municipal_svg;
pub use national::national_svg;
pub use stacked::stacked_svg;

/// The chart of one table of a crosstab: 100 % stacked bars, or grouped bars when its
/// columns are a multiple answer (the one rule the page, the report and the CLI share).
pub fn crosstab_svg(
    table: &crate::analysis::crosstab::CrosstabTable,
    x: &crate::analysis::crosstab::Crosstab,
    lang: Lang,
) -> Svg {
    use crate::model::shown_name;
    // The column's title carries the table's weight and filter (「［ウェイト: w］」).
    let col = format!(
        "{}{}",
        shown_name(&x.col.title, lang),
        x.qualifiers().pick(lang)
    );
    let row = shown_name(&x.row.title, lang);
    if x.col.multiple {
        grouped_svg(table, &row, &col, lang)
    } else {
        stacked_svg(table, &row, &col, lang)
    }
}

/// A tabulation whose answers are labelled as a reader of `lang` sees them (the app's
/// 無回答 in English, `model::shown_answer`); the charts draw from it.
fn shown_tab(
    tab: &crate::analysis::Tabulation,
    lang: Lang,
) -> std::borrow::Cow<'_, crate::analysis::Tabulation> {
    use crate::model::shown_answer;
    if lang == Lang::Ja {
        return std::borrow::Cow::Borrowed(tab);
    }
    let mut tab = tab.clone();
    for c in &mut tab.categories {
        c.label = shown_answer(&c.label, &c.code, c.no_answer, lang).into_owned();
    }
    for b in tab.numeric.iter_mut().flat_map(|s| s.histogram.iter_mut()) {
        b.label = b.label_in(lang);
    }
    std::borrow::Cow::Owned(tab)
}

/// A tabulation chart's title: the question's text (its id when it has none), an app-made
/// variable's name in `lang`.
fn tab_title(tab: &crate::analysis::Tabulation, lang: Lang) -> std::borrow::Cow<'_, str> {
    let name = if tab.title.is_empty() {
        &tab.id
    } else {
        &tab.title
    };
    crate::model::shown_name(name, lang)
}

/// A crosstab's table with its rows' and columns' labels as a reader of `lang` sees them.
fn shown_table(
    table: &crate::analysis::crosstab::CrosstabTable,
    lang: Lang,
) -> std::borrow::Cow<'_, crate::analysis::crosstab::CrosstabTable> {
    use crate::model::shown_answer;
    if lang == Lang::Ja {
        return std::borrow::Cow::Borrowed(table);
    }
    let mut table = table.clone();
    for l in table.rows.iter_mut().chain(table.cols.iter_mut()) {
        l.label = shown_answer(&l.label, &l.code, l.no_answer, lang).into_owned();
    }
    std::borrow::Cow::Owned(table)
}

/// A label the app wrote as 無回答 (a national category, a town's), as `lang` shows it.
fn shown_no_answer(label: &str, lang: Lang) -> String {
    crate::model::shown_answer(label, "", label == crate::model::order::NO_ANSWER, lang)
        .into_owned()
}

/// A complete standalone SVG document and its text alternative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Svg {
    /// `<svg xmlns=… width height viewBox role="img" aria-label>…</svg>` with `<title>`
    /// and `<desc>`; no XML declaration, so it can also go inline into HTML.
    pub svg: String,
    pub width: f64,
    pub height: f64,
    /// The data in words (the `<desc>`), for screen readers and the page's caption.
    pub description: String,
}

/// Display width in half-width units: East Asian wide characters count 2.
pub fn units(c: char) -> usize {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u);
    if wide {
        2
    } else {
        1
    }
}

/// Characters a Japanese line must not start with (行頭禁則).
const NO_LINE_START: &str = "、。，．・：；！？）」』】〕＞ー…ゃゅょっァィゥェォャュョッ),.:;!?]}";
/// Characters a line must not end with (行末禁則).
const NO_LINE_END: &str = "（「『【〔＜([{";

/// Wraps a label into at most `max_lines` lines of at most `max` units, preferring to
/// break after Japanese punctuation or a space, with kinsoku; the last line ends in "…"
/// if the label is cut.
pub fn wrap_lines(label: &str, max: usize, max_lines: usize) -> Vec<String> {
    let max = max.max(2);
    let max_lines = max_lines.max(1);
    let mut lines = Vec::new();
    let chars: Vec<char> = label.chars().filter(|c| !c.is_control()).collect();
    let mut start = 0;
    while start < chars.len() {
        let mut width = 0;
        let mut end = start;
        let mut last_break = None;
        while end < chars.len() && width + units(chars[end]) <= max {
            width += units(chars[end]);
            if matches!(
                chars[end],
                '、' | '。' | '・' | ' ' | '　' | '，' | ',' | '）' | ')'
            ) {
                last_break = Some(end + 1);
            }
            end += 1;
        }
        if end < chars.len() {
            if let Some(b) = last_break.filter(|&b| b > start + (end - start) / 2) {
                end = b;
            }
            // Kinsoku: no line starts with closing punctuation (a lone 「）」) nor ends
            // with an opening bracket; carry a character down instead.
            while end > start + 1
                && end < chars.len()
                && (NO_LINE_START.contains(chars[end]) || NO_LINE_END.contains(chars[end - 1]))
            {
                end -= 1;
            }
        }
        if lines.len() == max_lines - 1 && end < chars.len() {
            let mut line: String = chars[start..end.saturating_sub(1).max(start)]
                .iter()
                .collect();
            line.push('…');
            lines.push(line);
            return lines;
        }
        lines.push(
            chars[start..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        start = end;
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_japanese_labels_wrap_within_the_width() {
        let lines = wrap_lines(
            "スポーツ・趣味・娯楽・教養・自己啓発などの活動に参加している",
            20,
            3,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(l.chars().map(units).sum::<usize>() <= 20, "{l}");
        }
        assert_eq!(wrap_lines("男性", 20, 3), vec!["男性"]);
        // Kinsoku: the closing bracket is not left alone at the start of a line.
        for l in wrap_lines("地域の行事に毎月参加している人（いわゆる常連）", 28, 8)
        {
            assert!(!l.starts_with('）') && !l.ends_with('（'), "{l}");
        }
        assert_eq!(
            wrap_lines("あいう（えお）", 8, 3),
            vec!["あいう", "（えお）"]
        );
        let cut = wrap_lines(&"あ".repeat(100), 10, 3);
        assert_eq!(cut.len(), 3);
        assert!(cut[2].ends_with('…'));
    }
}
