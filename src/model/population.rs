//! Population tables (人口の表) for raking: the totals a municipality keeps (census,
//! 住民基本台帳) as a sheet of rows (変数, 値, 人口) — one block per margin, the variable
//! written once above its answers as in a merged Excel cell — read into the
//! [`RakeMargin`]s of a [`Recipe::Rake`](super::Recipe::Rake). The sheet itself is read by
//! the same `FileReader` as a survey file (CP932 CSV, xlsx …); this only reads its table.

use super::derive::{RakeMargin, Target};
use crate::table::{parse_number, Table};

/// The accepted names of each column, compared trimmed and ASCII-case-insensitively.
pub const VARIABLE_HEADERS: [&str; 5] = ["変数", "変数名", "列", "variable", "column"];
pub const VALUE_HEADERS: [&str; 5] = ["値", "回答", "区分", "value", "category"];
pub const TOTAL_HEADERS: [&str; 5] = ["人口", "人数", "母集団", "total", "population"];

/// A total that leaves the answer out of its margin: the statistics have no figure for it
/// (「その他」「答えたくない」), and a 0 would give its respondents a weight of 0.
pub const LEFT_OUT_WORDS: [&str; 6] = ["対象外", "除く", "なし", "-", "－", "left out"];

/// A population table that cannot be used, in Japanese and English.
pub type PopulationError = crate::message::Message;

/// The margins of a population table, in the order they first appear. A blank variable
/// cell continues the block above; rows with neither a value nor a total are skipped;
/// totals may have thousands separators and full-width digits. A row number in an error
/// is the sheet's (the header is row 1).
pub fn margins(table: &Table) -> Result<Vec<RakeMargin>, PopulationError> {
    let find = |names: &[&str]| {
        table
            .columns
            .iter()
            .position(|c| names.iter().any(|n| c.name.trim().eq_ignore_ascii_case(n)))
    };
    let (Some(var), Some(val), Some(tot)) = (
        find(&VARIABLE_HEADERS),
        find(&VALUE_HEADERS),
        find(&TOTAL_HEADERS),
    ) else {
        return Err(PopulationError {
            ja: "人口の表には「変数」「値」「人口」の列が要ります。".into(),
            en: "The population table needs columns 変数 (variable), 値 (value) and 人口 (total)."
                .into(),
        });
    };
    let mut out: Vec<RakeMargin> = Vec::new();
    let mut current = String::new();
    for r in 0..table.rows {
        let v = table.columns[var].value(r).trim();
        if !v.is_empty() {
            current = v.to_string();
        }
        let value = table.columns[val].value(r).trim().to_string();
        let total_text = table.columns[tot].value(r).trim().replace(',', "");
        if value.is_empty() && total_text.is_empty() {
            continue;
        }
        let block = match out.iter().position(|m| m.source == current) {
            Some(i) => i,
            None => {
                out.push(RakeMargin {
                    source: current.clone(),
                    targets: Vec::new(),
                    left_out: Vec::new(),
                });
                out.len() - 1
            }
        };
        if LEFT_OUT_WORDS
            .iter()
            .any(|w| total_text.eq_ignore_ascii_case(w))
        {
            out[block].left_out.push(value);
            continue;
        }
        let total = parse_number(&total_text).ok_or_else(|| PopulationError {
            ja: format!("{} 行目の人口「{total_text}」が数値ではありません。人口の統計にない回答なら「対象外」と書いてください。", r + 2),
            en: format!("row {}: total \"{total_text}\" is not a number. Write 対象外 (left out) for an answer the statistics have no figure for.", r + 2),
        })?;
        let target = Target {
            value,
            total,
            merged: Vec::new(),
        };
        out[block].targets.push(target);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_file_bytes, ReadOptions};

    fn table(bytes: &[u8]) -> Table {
        read_file_bytes(bytes, ReadOptions::default(), None)
            .unwrap()
            .table
    }

    fn targets(m: &RakeMargin) -> Vec<(&str, f64)> {
        m.targets
            .iter()
            .map(|t| (t.value.as_str(), t.total))
            .collect()
    }

    #[test]
    fn blocks_with_the_variable_written_once() {
        // As Excel saves a sheet with merged 変数 cells: CP932, CRLF.
        let text = "変数,値,人口\r\n年代,16～19歳,3100\r\n,20～29歳,8200\r\n性別,男性,\"12,000\"\r\n,女性,１３０００\r\n";
        let m = margins(&table(&encoding_rs::SHIFT_JIS.encode(text).0)).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].source, "年代");
        assert_eq!(targets(&m[0]), [("16～19歳", 3100.0), ("20～29歳", 8200.0)]);
        assert_eq!(m[1].source, "性別");
        assert_eq!(targets(&m[1]), [("男性", 12000.0), ("女性", 13000.0)]);
        assert!(m
            .iter()
            .flat_map(|m| &m.targets)
            .all(|t| t.merged.is_empty()));
    }

    #[test]
    fn english_headers_blank_rows_and_a_margin_written_twice() {
        let t = table(
            b"Variable , Category,POPULATION\nsex,m,10\n,,\nage,young,5\n , old , 6 \nsex,f,11\n",
        );
        let m = margins(&t).unwrap();
        assert_eq!(m.len(), 2);
        // A second block of the same variable joins the first.
        assert_eq!(targets(&m[0]), [("m", 10.0), ("f", 11.0)]);
        assert_eq!(targets(&m[1]), [("young", 5.0), ("old", 6.0)]);
    }

    #[test]
    fn missing_columns_and_totals_that_are_not_numbers() {
        let e = margins(&table(b"a,b,c\n1,2,3\n")).unwrap_err();
        assert!(e.ja.contains("「変数」「値」「人口」"), "{e}");
        assert!(e.en.contains("needs columns"), "{e}");
        let e = margins(&table(
            "変数,値,人口\n年代,20代,100\n,30代,多い\n".as_bytes(),
        ))
        .unwrap_err();
        // Row 3 of the sheet: the header is row 1.
        assert!(e.ja.starts_with("3 行目の人口「多い」"), "{e}");
        assert!(
            e.en.starts_with("row 3: total \"多い\" is not a number."),
            "{e}"
        );
        // A value without a total is not skipped: it needs one.
        assert!(margins(&table("変数,値,人口\n年代,20代,\n".as_bytes())).is_err());
    }

    /// Issue 14 item 9: an answer the census has no figure for is left out of its margin,
    /// not given 0.
    #[test]
    fn an_answer_without_a_figure_is_left_out() {
        let t = table("変数,値,人口\n性別,男性,100\n,女性,120\n,答えたくない,対象外\n年代,20代,-\n,30代,220\n".as_bytes());
        let m = margins(&t).unwrap();
        assert_eq!(targets(&m[0]), [("男性", 100.0), ("女性", 120.0)]);
        assert_eq!(m[0].left_out, ["答えたくない"]);
        assert_eq!(targets(&m[1]), [("30代", 220.0)]);
        assert_eq!(m[1].left_out, ["20代"]);
    }
}
