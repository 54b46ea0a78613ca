//! How much a template or an aggregate written elsewhere may hold. Templates come in share
//! links and files from other towns, aggregates from other towns' staff: nothing stops a
//! hand-edited or hostile file from listing a million tables or a label of a megabyte,
//! and the page would freeze computing or drawing them. Real files are far below these
//! bounds (a national setup has 22 tables; a question text a few hundred characters), so a
//! file beyond one is refused with a message saying which bound and where, instead of
//! being half-used. Nesting is bounded where it recurses: filters by
//! [`super::filter::MAX_DEPTH`], JSON by serde_json (128), a link's CBOR in
//! `share::link`.

use serde_json::Value;

use super::aggregate::Aggregate;
use super::filter::Filter;
use crate::model::ModelError;

/// Tables in a template or an aggregate.
pub const MAX_TABLES: usize = 1_000;
/// Characters of a title, a question or column name, a label.
pub const MAX_TEXT: usize = 2_000;
/// Characters of a filter.
pub const MAX_FILTER: usize = 10_000;
/// Rows (answers) and columns of one aggregate table.
pub const MAX_ROWS: usize = 1_000;
pub const MAX_COLS: usize = 1_000;

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Checks an analysis template as read (JSON, or a link's payload turned into JSON) before
/// it becomes an [`super::AnalysisTemplate`]: the number of tables, the length of every
/// text, and every filter, so that a filter's error reads as itself (in each language)
/// with the table it belongs to.
pub fn check_template(value: &Value) -> Result<(), ModelError> {
    let tables = value
        .get("tables")
        .and_then(Value::as_array)
        .map_or(&[][..], |t| t.as_slice());
    if tables.len() > MAX_TABLES {
        return Err(ModelError {
            ja: format!(
                "分析テンプレートの表が多すぎます（{}個。読めるのは{MAX_TABLES}個まで）。表をいくつかのテンプレートに分けてください。",
                tables.len()
            ),
            en: format!(
                "The analysis template lists too many tables ({}; at most {MAX_TABLES}). Split them into several templates.",
                tables.len()
            ),
        });
    }
    check_fields(value, "分析テンプレート全体", "the analysis template")?;
    for (i, t) in tables.iter().enumerate() {
        check_fields(
            t,
            &format!("分析テンプレートの{}つ目の表", i + 1),
            &format!("table {} of the analysis template", i + 1),
        )?;
    }
    Ok(())
}

/// The text fields of one object (the template itself, or one table): lengths, and the
/// filter parsed.
fn check_fields(object: &Value, where_ja: &str, where_en: &str) -> Result<(), ModelError> {
    let Some(fields) = object.as_object() else {
        return Ok(());
    };
    for (key, v) in fields {
        let Some(text) = v.as_str() else { continue };
        let (max, what_ja, what_en) = if key == "filter" {
            (MAX_FILTER, "絞り込み", "filter")
        } else {
            (MAX_TEXT, key.as_str(), key.as_str())
        };
        let n = chars(text);
        if n > max {
            return Err(ModelError {
                ja: format!(
                    "{where_ja}の「{what_ja}」が長すぎます（{n}文字。{max}文字まで）。テンプレートを作り直してもらってください。"
                ),
                en: format!(
                    "The {what_en} of {where_en} is too long ({n} characters; at most {max}). Ask for the template to be written again."
                ),
            });
        }
        if key == "filter" {
            Filter::parse(text).map_err(|e| ModelError {
                ja: format!("{where_ja}の絞り込み: {}", e.ja),
                en: format!("The filter of {where_en}: {}", e.en),
            })?;
        }
    }
    Ok(())
}

/// Checks another town's aggregate file: tables, rows and columns per table, and the
/// length of titles and labels; `file` names it in the message.
pub fn check_aggregate(a: &Aggregate, file: &str) -> Result<(), ModelError> {
    let refuse = |ja: String, en: String| {
        Err(ModelError {
            ja: format!("「{file}」は{ja}。ファイルを作り直してもらってください。"),
            en: format!("\"{file}\" {en}. Ask for the file to be written again."),
        })
    };
    if a.tables.len() > MAX_TABLES {
        return refuse(
            format!(
                "表が多すぎます（{}個。読めるのは{MAX_TABLES}個まで）",
                a.tables.len()
            ),
            format!(
                "holds too many tables ({}; at most {MAX_TABLES})",
                a.tables.len()
            ),
        );
    }
    // The municipality's name is cut to its bound when read (`municipality_name`); the
    // title is refused when too long.
    let n = chars(&a.title);
    if n > MAX_TEXT {
        return refuse(
            format!("題名が長すぎます（{n}文字。{MAX_TEXT}文字まで）"),
            format!("has a title too long ({n} characters; at most {MAX_TEXT})"),
        );
    }
    for (i, t) in a.tables.iter().enumerate() {
        let k = i + 1;
        if t.rows.len() > MAX_ROWS {
            return refuse(
                format!(
                    "{k}つ目の表の行が多すぎます（{}行。{MAX_ROWS}行まで）",
                    t.rows.len()
                ),
                format!(
                    "has too many rows in table {k} ({}; at most {MAX_ROWS})",
                    t.rows.len()
                ),
            );
        }
        if t.cols.len() > MAX_COLS {
            return refuse(
                format!(
                    "{k}つ目の表の列が多すぎます（{}列。{MAX_COLS}列まで）",
                    t.cols.len()
                ),
                format!(
                    "has too many columns in table {k} ({}; at most {MAX_COLS})",
                    t.cols.len()
                ),
            );
        }
        for text in std::iter::once(&t.title).chain(&t.rows).chain(&t.cols) {
            let n = chars(text);
            if n > MAX_TEXT {
                return refuse(
                    format!("{k}つ目の表の見出しが長すぎます（{n}文字。{MAX_TEXT}文字まで）"),
                    format!(
                        "has a title or label too long in table {k} ({n} characters; at most {MAX_TEXT})"
                    ),
                );
            }
        }
    }
    Ok(())
}
