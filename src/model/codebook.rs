//! Codebooks (符号表・コード表): reading one in the shape municipalities keep — a sheet of
//! (question, code, label) rows — or as a saved model (JSON), applying it to the file's
//! questions, and writing the model back out as such a sheet.

use serde::{Deserialize, Serialize};

pub use super::apply_report::ApplyReport;
use super::apply_report::NewDerived;
use super::codebook_multi;
use super::derive::Derived;
use super::infer::{missing_label, TICKED};
use super::question::{Certainty, Kind, Missing, MultiForm, Question, ValueLabel};
use super::text::{self, key};
use super::SurveyModel;
use crate::csv_safe;
use crate::table::Table;

/// What a codebook says about one question (or one column).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Entry {
    /// Question or column name as the codebook writes it (q1, 問5, q2s1).
    pub id: String,
    pub text: String,
    /// The short label for tables (表示名), when the codebook gives one.
    #[serde(default)]
    pub label: String,
    pub kind: Option<Kind>,
    /// The values are in an order that means something (回答の順序: 順序あり/なし), when
    /// the codebook says; else it is judged from the labels (`order::is_ordered`).
    #[serde(default)]
    pub ordered: Option<bool>,
    pub values: Vec<ValueLabel>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Codebook {
    pub entries: Vec<Entry>,
    /// Derived variables (only a saved model carries them).
    pub derived: Vec<Derived>,
    /// A sheet's columns read, as (what they were read as, the sheet's header):
    /// ("設問文", "設問"). Empty for a saved model.
    pub columns_used: Vec<(String, String)>,
    /// A sheet's columns not read (備考 …), by header.
    pub columns_ignored: Vec<String>,
}

/// A codebook that cannot be read.
pub type CodebookError = crate::message::Message;

const ID_HEADERS: [&str; 12] = [
    "変数名",
    "変数",
    "列名",
    "項目名",
    "設問番号",
    "設問",
    "質問番号",
    "question",
    "variable",
    "name",
    "column",
    "id",
];
/// The question text. 設問 / 質問 / 項目 also name the question itself (its number): they
/// are read as the text only when another column is the variable's name (変数名 beside
/// 設問, as many towns write it).
const TEXT_HEADERS: [&str; 9] = [
    "設問文",
    "質問文",
    "設問内容",
    "質問",
    "text",
    "questiontext",
    "設問",
    "項目",
    "質問項目",
];
const CODE_HEADERS: [&str; 5] = ["コード", "符号", "値", "code", "value"];
const LABEL_HEADERS: [&str; 6] = [
    "ラベル",
    "選択肢",
    "値ラベル",
    "内容",
    "label",
    "valuelabel",
];
const MISSING_HEADERS: [&str; 4] = ["欠損", "欠測", "missing", "欠損値"];
const KIND_HEADERS: [&str; 4] = ["種類", "型", "type", "kind"];
const SHORT_HEADERS: [&str; 4] = ["表示名", "略称", "短縮名", "shortlabel"];
const ORDER_HEADERS: [&str; 2] = ["回答の順序", "ordered"];
/// What `to_csv` writes in 回答の順序.
const ORDERED: &str = "順序あり";
const UNORDERED: &str = "順序なし";

fn find_header(table: &Table, names: &[&str]) -> Option<usize> {
    find_header_except(table, names, &[])
}

/// The first of `names` (in their order) that heads a column not in `taken`: exact names
/// only ("設問" must not take "設問文").
fn find_header_except(table: &Table, names: &[&str], taken: &[usize]) -> Option<usize> {
    let keys: Vec<String> = table.columns.iter().map(|c| key(&c.name)).collect();
    names.iter().find_map(|n| {
        keys.iter()
            .enumerate()
            .position(|(i, k)| *k == key(n) && !taken.contains(&i))
    })
}

impl Codebook {
    /// Reads a codebook sheet (any file the app reads: CSV in any encoding, xlsx …).
    pub fn from_table(table: &Table, file: &str) -> Result<Codebook, CodebookError> {
        let id = find_header(table, &ID_HEADERS);
        let code = find_header(table, &CODE_HEADERS);
        let label = find_header(table, &LABEL_HEADERS);
        let (Some(id), Some(code), Some(label)) = (id, code, label) else {
            let heads: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            return Err(CodebookError {
                ja: format!(
                    "{file}: 符号表の見出しが見つかりません（見出し: {}）。1行目に「変数名」「コード」「ラベル」の列を置いてください（設問の文は「設問文」または「設問」、「欠損」は任意）。",
                    heads.join("、")
                ),
                en: format!(
                    "{file}: codebook headers not found (headers: {}). Put columns named question (変数名), code (コード) and label (ラベル) in the first row; the question text (設問文 or 設問) and missing (欠損) are optional.",
                    heads.join(", ")
                ),
            });
        };
        let mut taken = vec![id, code, label];
        let mut next = |names: &[&str]| {
            let found = find_header_except(table, names, &taken);
            taken.extend(found);
            found
        };
        let missing_col = next(&MISSING_HEADERS);
        let kind_col = next(&KIND_HEADERS);
        let short_col = next(&SHORT_HEADERS);
        let text_col = next(&TEXT_HEADERS);
        let order_col = next(&ORDER_HEADERS);
        // What each column was read as, in the sheet's order of roles; the rest unread.
        let head = |c: usize| table.columns[c].name.clone();
        let mut columns_used = vec![("変数名".to_string(), head(id))];
        for (role, col) in [
            ("表示名", short_col),
            ("設問文", text_col),
            ("種類", kind_col),
            ("コード", Some(code)),
            ("ラベル", Some(label)),
            ("欠損", missing_col),
            ("回答の順序", order_col),
        ] {
            columns_used.extend(col.map(|c| (role.to_string(), head(c))));
        }
        let columns_ignored: Vec<String> = (0..table.columns.len())
            .filter(|c| !taken.contains(c))
            .map(head)
            .filter(|h| !h.trim().is_empty())
            .collect();
        // A sheet we wrote (`to_csv`) has a ' before texts Excel would take as formulas;
        // it is taken off again, so a label "=1+1" reads back as written. (A hand-made
        // sheet with "'=…" in a cell loses that one ', as Excel itself would hide it.)
        let cell = |c: usize, r: usize| text::tidy(csv_safe::restore(table.columns[c].value(r)));
        let mut entries: Vec<Entry> = Vec::new();
        let mut current: Option<String> = None;
        for r in 0..table.rows {
            // Merged cells in Excel leave the question blank on its later rows.
            let this = cell(id, r);
            if !this.is_empty() {
                current = Some(this);
            }
            let Some(qid) = current.clone() else { continue };
            let entry = match entries.iter().position(|e| e.id == qid) {
                Some(i) => &mut entries[i],
                None => {
                    entries.push(Entry {
                        id: qid.clone(),
                        ..Entry::default()
                    });
                    entries.last_mut().expect("just pushed")
                }
            };
            if let Some(t) = text_col {
                let t = cell(t, r);
                if !t.is_empty() && entry.text.is_empty() {
                    entry.text = t;
                }
            }
            if let Some(c) = short_col {
                let t = cell(c, r);
                if !t.is_empty() && entry.label.is_empty() {
                    entry.label = t;
                }
            }
            if let Some(k) = kind_col {
                entry.kind = entry.kind.or_else(|| kind_from_text(&cell(k, r)));
            }
            if let Some(o) = order_col {
                entry.ordered = entry.ordered.or_else(|| ordered_from_text(&cell(o, r)));
            }
            let (c, l) = (cell(code, r), cell(label, r));
            if c.is_empty() && l.is_empty() {
                continue;
            }
            let missing = missing_col
                .and_then(|m| {
                    let m = cell(m, r);
                    match key(&m).as_str() {
                        "" | "0" | "no" | "false" => None,
                        k if k == key("非該当") || k == "na" => Some(Missing::NotApplicable),
                        _ => Some(Missing::NoAnswer),
                    }
                })
                .or_else(|| missing_label(&l));
            entry.values.push(ValueLabel {
                code: if c.is_empty() { l.clone() } else { c },
                label: if l.is_empty() { String::new() } else { l },
                missing,
                guessed: false,
            });
        }
        if entries.is_empty() {
            return Err(CodebookError {
                ja: format!("{file}: 符号表に行がありません。"),
                en: format!("{file}: the codebook has no rows."),
            });
        }
        Ok(Codebook {
            entries,
            derived: Vec::new(),
            columns_used,
            columns_ignored,
        })
    }

    /// A saved model used as a codebook: its questions' texts, kinds and labels.
    pub fn from_model(model: &SurveyModel) -> Codebook {
        Codebook {
            entries: model
                .questions
                .iter()
                .map(|q| Entry {
                    id: q.id.clone(),
                    text: q.text.clone(),
                    label: q.label.clone(),
                    kind: Some(q.kind),
                    // Unordered is judged again from the labels: a model or link saved
                    // before `ordered` existed says false for every question.
                    ordered: q.ordered.then_some(true),
                    values: q.values.clone(),
                })
                .collect(),
            derived: model
                .derived
                .iter()
                .filter(|d| !d.national)
                .cloned()
                .collect(),
            ..Codebook::default()
        }
    }
}

/// The codes the file uses in the question's columns (blank aside).
fn used_codes(q: &Question, table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &q.columns {
        let Some(col) = table.column(c) else { continue };
        let counts = col.code_counts();
        for (v, &n) in col.values.iter().zip(counts).skip(1) {
            if n > 0 && !out.iter().any(|u| **u == **v) {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// A setup written for a file of another shape — labels where this file has codes (a
/// link from a labelled file opened on a coded one with its codebook), or the other way
/// round — speaks of the same answers by their labels: its answers are put on this file's
/// codes, matched by label (or the sender's code) to the labels this file already has, in
/// the setup's order and with its labels and missing codes; answers it does not name keep
/// theirs, after. `None` when the setup's codes are this file's (an ordinary codebook) or
/// some used answer matches none of them (then the codes are reported as unknown).
fn translated(
    entry: &[ValueLabel],
    local: &[ValueLabel],
    used: &[String],
) -> Option<Vec<ValueLabel>> {
    if used.is_empty() || used.iter().any(|u| entry.iter().any(|e| &e.code == u)) {
        return None;
    }
    let names = |e: &ValueLabel, l: &ValueLabel| {
        let (el, ec) = (key(&e.label), key(&e.code));
        let (ll, lc) = (key(&l.label), key(&l.code));
        el == ll || ec == ll || el == lc || ec == lc
    };
    let mut out: Vec<ValueLabel> = Vec::new();
    for e in entry {
        if let Some(l) = local.iter().find(|l| names(e, l)) {
            if !out.iter().any(|o| o.code == l.code) {
                out.push(ValueLabel {
                    code: l.code.clone(),
                    label: e.label.clone(),
                    missing: e.missing.or(l.missing),
                    guessed: false,
                });
            }
        }
    }
    if !used.iter().all(|u| {
        out.iter().any(|o| &o.code == u)
            || local.iter().any(|l| &l.code == u && l.missing.is_some())
    }) {
        return None;
    }
    for l in local {
        if !out.iter().any(|o| o.code == l.code) {
            out.push(l.clone());
        }
    }
    Some(out)
}

/// "問4_1 スポーツ…" → "問4_1": codebooks name columns by their number only.
fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// 順序あり / 順序なし (or yes/no, true/false, 1/0) in 回答の順序.
fn ordered_from_text(t: &str) -> Option<bool> {
    match key(t).as_str() {
        "" => None,
        k if k == key(ORDERED) || ["あり", "yes", "true", "1"].contains(&k) => Some(true),
        k if k == key(UNORDERED) || ["なし", "no", "false", "0"].contains(&k) => Some(false),
        _ => None,
    }
}

fn kind_from_text(t: &str) -> Option<Kind> {
    let k = key(t);
    if k.is_empty() {
        return None;
    }
    Kind::ALL
        .into_iter()
        .find(|kind| {
            key(kind.ja()) == k || key(kind.en()) == k || k == format!("{kind:?}").to_lowercase()
        })
        .or(match k.as_str() {
            "sa" | "単数回答" | "単一" => Some(Kind::Single),
            "ma" | "複数" => Some(Kind::Multiple),
            "数値" | "数量" | "number" => Some(Kind::Numeric),
            "fa" | "自由回答" => Some(Kind::FreeText),
            _ => None,
        })
}

/// Applies a codebook to the model of `table`: texts, kinds, value labels and missing
/// codes; then national recognition runs again (labels may reveal national items).
///
/// A codebook describes another file (or another year's): it never widens what this one's
/// tables use (`widening::never_widen`), so a personal column stays personal and
/// a question turned off stays off.
pub fn apply(model: &mut SurveyModel, book: &Codebook, table: &Table) -> ApplyReport {
    let local = model.clone();
    let mut report = ApplyReport {
        columns_used: book.columns_used.clone(),
        columns_ignored: book.columns_ignored.clone(),
        ..ApplyReport::default()
    };
    for entry in &book.entries {
        let eid = key(&entry.id);
        // The question itself, or a question holding a column of that name.
        let by_id = model.questions.iter().position(|q| key(&q.id) == eid);
        let names_column = |c: &String| key(c) == eid || key(first_word(c)) == eid;
        let by_column = model
            .questions
            .iter()
            .position(|q| q.columns.iter().any(names_column));
        let Some(qi) = by_id.or(by_column) else {
            report.not_in_file.push(entry.id.clone());
            continue;
        };
        let q = &mut model.questions[qi];
        if !report.matched.contains(&q.id) {
            report.matched.push(q.id.clone());
        }
        if !entry.text.is_empty() {
            match q.columns.iter().position(names_column) {
                // A grid item's own text ("q2_1, あなたは…"): kept per item.
                Some(i) if by_id.is_none() && q.columns.len() > 1 => {
                    q.item_texts.resize(q.columns.len(), String::new());
                    q.item_texts[i] = entry.text.clone();
                }
                _ => {
                    q.text = entry.text.clone();
                    q.label = if key(&entry.text).contains(&key(&q.id)) {
                        entry.text.clone()
                    } else {
                        format!("{} {}", q.id, entry.text)
                    };
                }
            }
        }
        if !entry.label.is_empty() && by_id.is_some() {
            q.label = entry.label.clone();
        }
        if let Some(kind) = entry.kind {
            q.kind = kind;
            q.include = !kind.personal();
        }
        q.certainty = Certainty::Confirmed;
        // 0/1 columns written one row each (1 = 選択, 0 = 非選択, 9 = 無回答): a multiple
        // answer, even where a 9 in the file made them look like a grid.
        if by_id.is_none() && q.columns.len() > 1 && q.kind != Kind::Multiple {
            if let Some(code) = codebook_multi::ticked_code(entry) {
                let mut ticked: Vec<String> = TICKED.iter().map(|t| t.to_string()).collect();
                if !ticked.iter().any(|t| t == code) {
                    ticked.push(code.to_string());
                }
                q.kind = Kind::Multiple;
                q.multi = Some(MultiForm::Binary { ticked });
                q.values = q
                    .columns
                    .iter()
                    .map(|c| ValueLabel {
                        code: c.clone(),
                        label: c.clone(),
                        ..ValueLabel::default()
                    })
                    .collect();
            }
        }
        match (&q.kind, &q.multi) {
            (Kind::Multiple, Some(MultiForm::Binary { .. })) if by_id.is_some() => {
                // Codes are the options' numbers: code k names the column numbered k.
                for v in q.values.iter_mut() {
                    let number = text::stem(&v.code)
                        .and_then(|s| s.number)
                        .map(|n| n.to_string());
                    if let Some(e) = entry
                        .values
                        .iter()
                        .find(|e| Some(&e.code) == number.as_ref())
                    {
                        v.label = e.label.clone();
                    }
                }
            }
            (Kind::Multiple, Some(MultiForm::Binary { .. })) => {
                // An entry per member column ("q2s1, 1, 家族・親族"): the ticked code's label
                // names the option.
                // Where that label only says "chosen" (選択), the item's text names it:
                // whole here, its own part once every item is read (`name_ticked_items`).
                let col = q.columns.iter().find(|c| names_column(c)).cloned();
                let label = match codebook_multi::ticked_code(entry) {
                    Some(_) => (!entry.text.is_empty()).then(|| entry.text.clone()),
                    None => entry
                        .values
                        .iter()
                        .find(|e| e.missing.is_none() && e.code != "0")
                        .map(|e| e.label.clone()),
                };
                if let (Some(col), Some(label)) = (col, label) {
                    if let Some(v) = q.values.iter_mut().find(|v| v.code == col) {
                        v.label = label;
                    }
                }
            }
            _ if !entry.values.is_empty() => {
                if q.kind == Kind::Numeric
                    && entry.values.iter().filter(|v| v.missing.is_none()).count() > 0
                {
                    // A coded file: the numbers are codes.
                    q.kind = Kind::Single;
                }
                // For joined answers these become the known options, so an option
                // holding the separator splits right.
                let entry_values: Vec<ValueLabel> = entry
                    .values
                    .iter()
                    .map(|v| ValueLabel {
                        label: if v.label.is_empty() {
                            v.code.clone()
                        } else {
                            v.label.clone()
                        },
                        ..v.clone()
                    })
                    .collect();
                let used = used_codes(q, table);
                q.values = match translated(&entry_values, &q.values, &used) {
                    Some(v) => v,
                    None => entry_values,
                };
                // Values in the file that the codebook lacks.
                let mut unknown: Vec<String> = Vec::new();
                for c in &q.columns {
                    let Some(col) = table.column(c) else { continue };
                    let counts = col.code_counts();
                    for (v, &n) in col.values.iter().zip(counts).skip(1) {
                        let v = v.as_ref();
                        if n > 0
                            && q.multi.is_none()
                            && !q.values.iter().any(|x| x.code == v)
                            && !unknown.iter().any(|u| u == v)
                        {
                            unknown.push(v.to_string());
                        }
                    }
                }
                if !unknown.is_empty() {
                    report.unknown_codes.push((q.id.clone(), unknown));
                }
                // The codebook's rows are the answers' order; whether that order means
                // something it says in 回答の順序, or its labels do (a scale, numbers).
                q.ordered = entry
                    .ordered
                    .unwrap_or_else(|| super::order::is_ordered(&q.values));
            }
            _ => {}
        }
    }
    name_ticked_items(model, book);
    for d in &book.derived {
        model.derived.retain(|x| x.name != d.name);
        model.derived.push(d.clone());
        report.new_derived.push(NewDerived {
            name: d.name.clone(),
            sources: d.recipe.sources().into_iter().map(String::from).collect(),
            personal: false,
        });
    }
    super::widening::never_widen(&local, model, &mut report);
    model.recognise_national(table);
    report
}

/// The options of 0/1 sets whose codebook rows say only 選択: each named by the part of
/// its item's text after the text all the set's items share, which becomes the question's.
fn name_ticked_items(model: &mut SurveyModel, book: &Codebook) {
    for q in &mut model.questions {
        if !matches!(q.multi, Some(MultiForm::Binary { .. })) {
            continue;
        }
        let items: Vec<(&String, &str)> = q
            .columns
            .iter()
            .filter_map(|c| {
                book.entries
                    .iter()
                    .find(|e| {
                        let eid = key(&e.id);
                        key(c) == eid || key(first_word(c)) == eid
                    })
                    .filter(|e| !e.text.is_empty() && codebook_multi::ticked_code(e).is_some())
                    .map(|e| (c, e.text.as_str()))
            })
            .collect();
        let texts: Vec<&str> = items.iter().map(|(_, t)| *t).collect();
        let Some((shared, own)) = codebook_multi::split_shared(&texts) else {
            continue;
        };
        for ((column, _), name) in items.iter().zip(own) {
            if let Some(v) = q.values.iter_mut().find(|v| &v.code == *column) {
                v.label = name;
            }
        }
        if q.text.is_empty() || texts.contains(&q.text.as_str()) {
            q.label = format!("{} {shared}", q.id);
            q.text = shared;
        }
        // The items' whole texts were kept as a grid's; the options now hold them.
        q.item_texts.clear();
    }
}

/// The model as a codebook sheet (UTF-8 with BOM so Excel opens it right): one row per
/// value in the model's order (read back in that order), the question's id, text and kind
/// on each row, 回答の順序 (順序あり/なし) on its first. Every cell is text from the file
/// or the user, so each goes through `csv_safe::neutralise` (a column named "+cmd" or a
/// label "=HYPERLINK(…)" must not become a formula in Excel); `Codebook::from_table`
/// undoes it.
pub fn to_csv(model: &SurveyModel) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let write = |w: &mut csv::Writer<&mut Vec<u8>>, row: [&str; 8]| {
            let row = row.map(csv_safe::neutralise);
            w.write_record(row.iter().map(|c| c.as_bytes()))
                .expect("writing to a Vec cannot fail")
        };
        write(
            &mut w,
            [
                "変数名",
                "表示名",
                "設問文",
                "種類",
                "コード",
                "ラベル",
                "欠損",
                ORDER_HEADERS[0],
            ],
        );
        for q in &model.questions {
            let kind = q.kind.ja();
            // Said once, on a question's first row (the rows themselves are the order).
            let order = if q.values.is_empty() {
                ""
            } else if q.ordered {
                ORDERED
            } else {
                UNORDERED
            };
            if q.kind == Kind::Grid {
                // A grid as paper codebooks write it: each item a variable with the scale.
                for (i, c) in q.columns.iter().enumerate() {
                    let id = first_word(c);
                    let item = q.item_texts.get(i).map(String::as_str).unwrap_or("");
                    for (j, v) in q.values.iter().enumerate() {
                        let text = if j == 0 { item } else { "" };
                        let missing = v.missing.map(Missing::ja).unwrap_or("");
                        let label = if j == 0 && i == 0 {
                            q.label.as_str()
                        } else {
                            ""
                        };
                        let order = if j == 0 { order } else { "" };
                        write(
                            &mut w,
                            [id, label, text, kind, &v.code, &v.label, missing, order],
                        );
                    }
                }
                continue;
            }
            if q.values.is_empty() {
                write(&mut w, [&q.id, &q.label, &q.text, kind, "", "", "", ""]);
                continue;
            }
            for (i, v) in q.values.iter().enumerate() {
                let code = match &q.multi {
                    // 0/1 columns: the option's number, as paper codebooks write it.
                    Some(MultiForm::Binary { .. }) => text::stem(&v.code)
                        .and_then(|s| s.number)
                        .unwrap_or(i as u32 + 1)
                        .to_string(),
                    _ => v.code.clone(),
                };
                let (label, text, order) = if i == 0 {
                    (q.label.as_str(), q.text.as_str(), order)
                } else {
                    ("", "", "")
                };
                write(
                    &mut w,
                    [
                        &q.id,
                        label,
                        text,
                        kind,
                        &code,
                        &v.label,
                        v.missing.map(Missing::ja).unwrap_or(""),
                        order,
                    ],
                );
            }
        }
        w.flush().expect("writing to a Vec cannot fail");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(code: &str, label: &str) -> ValueLabel {
        ValueLabel {
            code: code.into(),
            label: label.into(),
            ..ValueLabel::default()
        }
    }

    /// A setup in labels (from a labelled file) meets a coded file whose codebook labelled
    /// it: the setup's order and labels go onto the file's codes; the other way round too.
    #[test]
    fn a_setup_in_labels_goes_onto_the_files_codes() {
        let local = vec![v("1", "決してない"), v("2", "時々ある"), v("9", "無回答")];
        let entry = vec![v("時々ある", "時々ある"), v("決してない", "決してない")];
        let used = vec!["1".to_string(), "2".to_string()];
        let out = translated(&entry, &local, &used).unwrap();
        let codes: Vec<&str> = out.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            ["2", "1", "9"],
            "the setup's order, then what it lacks"
        );
        // Coded setup, labelled file.
        let local = vec![v("決してない", "決してない"), v("時々ある", "時々ある")];
        let entry = vec![v("1", "決してない"), v("4", "時々ある")];
        let used = vec!["時々ある".to_string(), "決してない".to_string()];
        let out = translated(&entry, &local, &used).unwrap();
        assert_eq!(out[0].code, "決してない");
        // An ordinary codebook (its codes are the file's) is not translated; nor is a setup
        // that names an answer the file's labels don't know.
        let local = vec![v("1", "1"), v("2", "2")];
        assert!(translated(&[v("1", "ある")], &local, &["1".into()]).is_none());
        let local = vec![v("1", "決してない"), v("3", "たまにある")];
        let entry = vec![v("決してない", "決してない")];
        assert!(translated(&entry, &local, &["1".into(), "3".into()]).is_none());
    }
}
