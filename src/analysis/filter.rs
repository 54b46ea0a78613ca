//! A small filter expression to restrict a table to some respondents, as staff write it:
//!
//! ```text
//! 性別 = 女性 and 年代 in (20～29歳, 30～39歳)
//! sex != 1 or age >= 65
//! "居住 地区" = 南部地区 and (q1 = 4 or q1 = 5)
//! ```
//!
//! `=`, `!=` match the cell's value or its codebook label (so `sex = 1` and `sex = 男性`
//! both work on a coded file); `in (a, b)` is any of several; `<`, `<=`, `>`, `>=` compare
//! numbers (no-answer codes such as 9 never match). `and` binds tighter than `or`;
//! parentheses group. Names or values with spaces or operators go in "double quotes".
//! `かつ` / `または` may be written for `and` / `or`.
//!
//! The expression is parsed once; against a survey it becomes one yes/no per code of each
//! column it names, so filtering a million rows costs a few lookups per row. Columns go
//! through the personal-data gate like every other use.

use serde::{Deserialize, Serialize};

use crate::message::Message;

use crate::model::question::Missing;
use crate::model::survey::Refusal;
use crate::model::Survey;
use crate::table::{parse_number, Column};

/// A parsed filter; serialises as the text it was written as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Filter {
    source: String,
    expr: Expr,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Cond(Cond),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    In,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
struct Cond {
    column: String,
    op: Op,
    values: Vec<String>,
    /// 1-based character position of the condition (for messages).
    at: usize,
}

/// One condition of a filter, as [`Filter::conditions`] lists them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition<'a> {
    pub column: &'a str,
    /// `<`, `<=`, `>`, `>=`: a number, not an answer.
    pub numeric: bool,
    pub values: &'a [String],
}

/// Why a filter could not be read: what, at which character, and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterError {
    /// 1-based character position in the expression.
    pub position: usize,
    /// What and what to do (`ja`, `en` beside `position` in JSON).
    #[serde(flatten)]
    pub message: Message,
}

impl std::ops::Deref for FilterError {
    type Target = Message;
    fn deref(&self) -> &Message {
        &self.message
    }
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message.fmt(f)
    }
}

impl std::error::Error for FilterError {}

impl From<FilterError> for Message {
    fn from(e: FilterError) -> Message {
        e.message
    }
}

impl TryFrom<String> for Filter {
    type Error = FilterError;
    fn try_from(s: String) -> Result<Filter, FilterError> {
        Filter::parse(&s)
    }
}

impl From<Filter> for String {
    fn from(f: Filter) -> String {
        f.source
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.source)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word or a quoted text (quoted: never a keyword).
    Word(String, bool),
    Op(&'static str),
    Open,
    Close,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<(Tok, usize)>, FilterError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let special = |c: char| matches!(c, '=' | '!' | '<' | '>' | '(' | ')' | ',' | '"');
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        match c {
            '(' => {
                out.push((Tok::Open, at));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, at));
                i += 1;
            }
            ',' => {
                out.push((Tok::Comma, at));
                i += 1;
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(error(
                                at,
                                format!("{at}文字目の「\"」が閉じていません。引用符の対を確かめてください。"),
                                format!("The quote at character {at} is not closed. Check that quotes come in pairs."),
                            ))
                        }
                        Some('"') if chars.get(i + 1) == Some(&'"') => {
                            text.push('"');
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            text.push(ch);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Word(text, true), at));
            }
            _ if ["!=", "<>", "<=", ">=", "=="].contains(&two.as_str()) => {
                let op = match two.as_str() {
                    "!=" | "<>" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ => "=",
                };
                out.push((Tok::Op(op), at));
                i += 2;
            }
            '=' | '<' | '>' => {
                out.push((
                    Tok::Op(match c {
                        '=' => "=",
                        '<' => "<",
                        _ => ">",
                    }),
                    at,
                ));
                i += 1;
            }
            '!' => {
                return Err(error(
                    at,
                    format!("{at}文字目の「!」の後に「=」がありません。「!=」と書いてください。"),
                    format!("At character {at}, \"!\" is not followed by \"=\"; write \"!=\"."),
                ))
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !special(chars[i]) {
                    i += 1;
                }
                out.push((Tok::Word(chars[start..i].iter().collect(), false), at));
            }
        }
    }
    Ok(out)
}

fn error(position: usize, ja: String, en: String) -> FilterError {
    FilterError {
        position,
        message: Message { ja, en },
    }
}

fn keyword(tok: &Tok, words: &[&str]) -> bool {
    matches!(tok, Tok::Word(w, false) if words.iter().any(|k| w.eq_ignore_ascii_case(k)))
}

/// How deep parentheses may nest. The parser (and `compile`/`eval` after it) recurses
/// once per level: a filter comes from share links and templates written elsewhere, and
/// thousands of "(" would overflow the stack (the page decodes a link on start, so a
/// hostile link would crash it every time it is opened). No filter a person writes comes
/// near 64.
pub const MAX_DEPTH: usize = 64;

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    /// Parentheses open around the current position.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.1).unwrap_or(self.end)
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut parts = vec![self.and()?];
        while self.peek().is_some_and(|t| keyword(t, &["or", "または"])) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut parts = vec![self.atom()?];
        while self.peek().is_some_and(|t| keyword(t, &["and", "かつ"])) {
            self.pos += 1;
            parts.push(self.atom()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Expr::And(parts)
        })
    }

    fn atom(&mut self) -> Result<Expr, FilterError> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Tok::Open) => {
                if self.depth >= MAX_DEPTH {
                    return Err(error(
                        at,
                        format!("{at}文字目: 括弧の入れ子が深すぎます（{MAX_DEPTH}段まで）。括弧を減らしてください（条件は and / or で並べられます）。"),
                        format!("At character {at}: parentheses are nested too deeply (at most {MAX_DEPTH} levels). Remove some parentheses (conditions can be listed with and / or)."),
                    ));
                }
                self.pos += 1;
                self.depth += 1;
                let e = self.or()?;
                self.depth -= 1;
                match self.peek() {
                    Some(Tok::Close) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => {
                        let here = self.at();
                        Err(error(
                            here,
                            format!("{here}文字目: {at}文字目の「(」に対応する「)」がありません。"),
                            format!("At character {here}: the \"(\" at character {at} has no matching \")\"."),
                        ))
                    }
                }
            }
            Some(Tok::Word(column, _)) => {
                self.pos += 1;
                let op_at = self.at();
                let op = match self.peek() {
                    Some(Tok::Op(o)) => match *o {
                        "=" => Op::Eq,
                        "!=" => Op::Ne,
                        "<" => Op::Lt,
                        "<=" => Op::Le,
                        ">" => Op::Gt,
                        _ => Op::Ge,
                    },
                    Some(t) if keyword(t, &["in"]) => Op::In,
                    _ => {
                        return Err(error(
                            op_at,
                            format!("{op_at}文字目: 列名「{column}」の後に比較（=, !=, <, <=, >, >=, in）が必要です。列名に空白があれば \"…\" で囲んでください。"),
                            format!("At character {op_at}: a comparison (=, !=, <, <=, >, >=, in) must follow the column \"{column}\". Quote names that contain spaces with \"…\"."),
                        ))
                    }
                };
                self.pos += 1;
                let values = if op == Op::In {
                    self.list()?
                } else {
                    vec![self.value()?]
                };
                Ok(Expr::Cond(Cond {
                    column,
                    op,
                    values,
                    at,
                }))
            }
            _ => Err(error(
                at,
                format!("{at}文字目: ここには列名か「(」が必要です。"),
                format!("At character {at}: a column name or \"(\" is expected here."),
            )),
        }
    }

    fn value(&mut self) -> Result<String, FilterError> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Tok::Word(w, _)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(error(
                at,
                format!("{at}文字目: ここには値が必要です（空欄は \"\"）。"),
                format!("At character {at}: a value is expected here (\"\" for blank)."),
            )),
        }
    }

    fn list(&mut self) -> Result<Vec<String>, FilterError> {
        let at = self.at();
        if self.peek() != Some(&Tok::Open) {
            return Err(error(
                at,
                format!("{at}文字目: 「in」の後は (値1, 値2) のように括弧で囲んでください。"),
                format!("At character {at}: after \"in\", list the values in parentheses: (a, b)."),
            ));
        }
        self.pos += 1;
        let mut values = vec![self.value()?];
        loop {
            match self.peek() {
                Some(Tok::Comma) => {
                    self.pos += 1;
                    values.push(self.value()?);
                }
                Some(Tok::Close) => {
                    self.pos += 1;
                    return Ok(values);
                }
                _ => {
                    let here = self.at();
                    return Err(error(
                        here,
                        format!("{here}文字目: 値の一覧は「,」で区切り「)」で閉じてください。"),
                        format!("At character {here}: separate the values with \",\" and close the list with \")\"."),
                    ));
                }
            }
        }
    }
}

impl Filter {
    /// Parses an expression; errors name the character where reading stopped.
    pub fn parse(source: &str) -> Result<Filter, FilterError> {
        let toks = tokenize(source)?;
        let end = source.chars().count() + 1;
        if toks.is_empty() {
            return Err(error(
                1,
                "フィルター式が空です。例: 性別 = 女性 and 年代 in (20～29歳, 30～39歳)".into(),
                "The filter is empty. Example: sex = 2 and age >= 65".into(),
            ));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            end,
            depth: 0,
        };
        let expr = p.or()?;
        if p.pos < p.toks.len() {
            let at = p.at();
            return Err(error(
                at,
                format!("{at}文字目から先を読めません。条件は and / or でつないでください。"),
                format!("Cannot read from character {at} on. Join conditions with and / or."),
            ));
        }
        Ok(Filter {
            source: source.to_string(),
            expr,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every condition of the expression as data (the column named, whether it compares
    /// numbers, the values named), for the rules on what a published table may name.
    pub fn conditions(&self) -> Vec<Condition<'_>> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<Condition<'a>>) {
            match e {
                Expr::Or(v) | Expr::And(v) => v.iter().for_each(|e| walk(e, out)),
                Expr::Cond(c) => out.push(Condition {
                    column: &c.column,
                    numeric: matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge),
                    values: &c.values,
                }),
            }
        }
        let mut out = Vec::new();
        walk(&self.expr, &mut out);
        out
    }

    /// One yes/no per row of the survey: who the filter keeps. Columns it names must exist
    /// and pass the personal-data gate; numeric comparisons need a number.
    pub fn mask(&self, survey: &Survey) -> Result<Vec<bool>, Refusal> {
        let compiled = compile(&self.expr, survey)?;
        let rows = survey.table.rows;
        Ok((0..rows).map(|i| eval(&compiled, i)).collect())
    }
}

/// A filter compiled against a survey, that can be asked about any combination of codes
/// (the disclosure check asks it about combinations of answers nobody gave).
pub struct CompiledFilter<'a>(Compiled<'a>);

impl Filter {
    pub fn compile<'a>(&self, survey: &'a Survey) -> Result<CompiledFilter<'a>, Refusal> {
        Ok(CompiledFilter(compile(&self.expr, survey)?))
    }
}

impl CompiledFilter<'_> {
    /// The columns it reads.
    pub fn columns(&self) -> Vec<&str> {
        fn walk<'b>(e: &'b Compiled, out: &mut Vec<&'b str>) {
            match e {
                Compiled::Or(v) | Compiled::And(v) => v.iter().for_each(|e| walk(e, out)),
                Compiled::Test(col, _) => out.push(&col.name),
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether it keeps a respondent whose code in each column is `code_of(column)`.
    pub fn keeps(&self, code_of: &dyn Fn(&str) -> usize) -> bool {
        fn go(e: &Compiled, code_of: &dyn Fn(&str) -> usize) -> bool {
            match e {
                Compiled::Or(v) => v.iter().any(|e| go(e, code_of)),
                Compiled::And(v) => v.iter().all(|e| go(e, code_of)),
                Compiled::Test(col, yes) => yes.get(code_of(&col.name)).copied().unwrap_or(false),
            }
        }
        go(&self.0, code_of)
    }
}

enum Compiled<'a> {
    Or(Vec<Compiled<'a>>),
    And(Vec<Compiled<'a>>),
    Test(&'a Column, Vec<bool>),
}

fn eval(e: &Compiled, i: usize) -> bool {
    match e {
        Compiled::Or(v) => v.iter().any(|e| eval(e, i)),
        Compiled::And(v) => v.iter().all(|e| eval(e, i)),
        Compiled::Test(col, yes) => yes[col.codes.get(i) as usize],
    }
}

fn compile<'a>(e: &Expr, survey: &'a Survey) -> Result<Compiled<'a>, Refusal> {
    Ok(match e {
        Expr::Or(v) => Compiled::Or(
            v.iter()
                .map(|e| compile(e, survey))
                .collect::<Result<_, _>>()?,
        ),
        Expr::And(v) => Compiled::And(
            v.iter()
                .map(|e| compile(e, survey))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Cond(c) => {
            let column = filter_column(survey, c)?;
            let q = survey
                .questions()
                .find(|q| q.columns.contains(&column.name));
            let numeric = matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
            let limit = if numeric {
                Some(parse_number(&c.values[0]).ok_or_else(|| Refusal {
                    ja: format!(
                        "フィルター式の{}文字目: 「{}」は数値ではないため大小を比べられません。数値を書くか「=」を使ってください。",
                        c.at, c.values[0]
                    ),
                    en: format!(
                        "Filter, character {}: \"{}\" is not a number, so it cannot be compared with <, >. Write a number or use \"=\".",
                        c.at, c.values[0]
                    ),
                })?)
            } else {
                None
            };
            let yes = column
                .values
                .iter()
                .enumerate()
                .map(|(code, value)| {
                    let value = value.as_ref();
                    let missing = if code == 0 {
                        Some(Missing::NoAnswer)
                    } else {
                        q.and_then(|q| q.missing_of(value))
                    };
                    let equals = |want: &str| names(column, q, code, missing, want);
                    match (c.op, limit, column.numbers[code]) {
                        (Op::Eq, ..) => equals(&c.values[0]),
                        (Op::Ne, ..) => !equals(&c.values[0]),
                        (Op::In, ..) => c.values.iter().any(|v| equals(v)),
                        (_, Some(l), Some(x)) if missing.is_none() => match c.op {
                            Op::Lt => x < l,
                            Op::Le => x <= l,
                            Op::Gt => x > l,
                            _ => x >= l,
                        },
                        _ => false,
                    }
                })
                .collect();
            Compiled::Test(column, yes)
        }
    })
}

/// Whether `want`, as a filter writes an answer, names the value of `column` with `code`:
/// the value itself, its label, 無回答 for a missing one, or the same number.
fn names(
    column: &Column,
    q: Option<&crate::model::Question>,
    code: usize,
    missing: Option<Missing>,
    want: &str,
) -> bool {
    let value = column.values[code].as_ref();
    value == want
        || q.is_some_and(|q| code > 0 && q.label_of(value) == want)
        || (want == crate::model::order::NO_ANSWER && missing == Some(Missing::NoAnswer))
        || matches!((column.numbers[code], parse_number(want)), (Some(a), Some(b)) if a == b)
}

impl Filter {
    /// The answers the filter names that no respondent gave in `survey` (「性別 = 女」 where
    /// the answers are 男性 / 女性): each a note saying so, with the answers there are, so
    /// that a table kept to nobody (or to everybody, with `!=`) is never shown in silence.
    pub fn unmatched(&self, survey: &Survey) -> Vec<super::Note> {
        let mut notes = Vec::new();
        let mut todo = vec![&self.expr];
        while let Some(e) = todo.pop() {
            let c = match e {
                Expr::Or(v) | Expr::And(v) => {
                    todo.extend(v.iter().rev());
                    continue;
                }
                Expr::Cond(c) => c,
            };
            if matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge) {
                continue;
            }
            let Ok(column) = filter_column(survey, c) else {
                continue;
            };
            let q = survey
                .questions()
                .find(|q| q.columns.contains(&column.name));
            let missing = |code: usize| {
                if code == 0 {
                    Some(Missing::NoAnswer)
                } else {
                    q.and_then(|q| q.missing_of(&column.values[code]))
                }
            };
            for want in &c.values {
                // The dictionary holds the values the file has (code 0: blank).
                let given = (0..column.values.len())
                    .any(|code| names(column, q, code, missing(code), want));
                if given {
                    continue;
                }
                let answers: Vec<String> = (1..column.values.len())
                    .map(|code| {
                        let v = column.values[code].as_ref();
                        q.map_or(v.to_string(), |q| q.label_of(v).to_string())
                    })
                    .take(12)
                    .collect();
                notes.push(super::Note::new(
                    format!(
                        "絞り込み条件の{}文字目: 「{want}」と答えた人は「{}」にいません（ある回答: {}）。書き方が回答と同じか確かめてください。",
                        c.at,
                        c.column,
                        answers.join("、")
                    ),
                    format!(
                        "Filter, character {}: nobody answered \"{want}\" to \"{}\" (answers there: {}). Check that it is written as the answer is.",
                        c.at,
                        c.column,
                        answers.join(", ")
                    ),
                ));
            }
        }
        notes
    }
}

/// The column a condition names: a column, or a one-column question by id or label.
fn filter_column<'a>(survey: &'a Survey, c: &Cond) -> Result<&'a Column, Refusal> {
    if survey.table.column(&c.column).is_some() {
        return survey
            .usable_column(&c.column)
            .map_err(|r| at_position(r, c.at));
    }
    if let Some(q) = survey
        .questions()
        .find(|q| (q.id == c.column || q.label == c.column) && q.columns.len() == 1)
    {
        let q = survey
            .usable(&q.id.clone())
            .map_err(|r| at_position(r, c.at))?;
        if let Some(col) = survey.table.column(&q.columns[0]) {
            return Ok(col);
        }
    }
    Err(Refusal {
        ja: format!(
            "フィルター式の{}文字目: 列「{}」はありません。列名を確かめてください（空白を含む名前は \"…\" で囲みます）。",
            c.at, c.column
        ),
        en: format!(
            "Filter, character {}: there is no column \"{}\". Check the name (quote names with spaces in \"…\").",
            c.at, c.column
        ),
    })
}

fn at_position(r: Refusal, at: usize) -> Refusal {
    Refusal {
        ja: format!("フィルター式の{at}文字目: {}", r.ja),
        en: format!("Filter, character {at}: {}", r.en),
    }
}

// ---------------------------------------------------------------------------------------
// Read-only: what a parsed filter compares. `share::redact` reads it to decide whether the
// answers a filter names may go into a link; parsing and evaluation above stay as they are.

/// One comparison of a filter as written: the column (or question) it names, whether it
/// compares numbers (`<`, `<=`, `>`, `>=`), and the values it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    pub column: &'a str,
    pub numeric: bool,
    pub values: &'a [String],
}

impl Filter {
    /// Every comparison, in the order written, however deeply nested (walked with a list,
    /// not by recursion).
    pub fn comparisons(&self) -> Vec<Comparison<'_>> {
        let mut out = Vec::new();
        let mut todo = vec![&self.expr];
        while let Some(e) = todo.pop() {
            match e {
                Expr::Or(v) | Expr::And(v) => todo.extend(v.iter().rev()),
                Expr::Cond(c) => out.push(Comparison {
                    column: &c.column,
                    numeric: matches!(c.op, Op::Lt | Op::Le | Op::Gt | Op::Ge),
                    values: &c.values,
                }),
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Writing a filter: the page's builder (question, answers, and/or) writes the same text a
// user could type, so the text box and the builder never disagree.

/// A name or an answer as the filter language reads it: bare when it can be, else in
/// double quotes (a quote inside doubled).
fn quoted(word: &str) -> String {
    let bare = !word.is_empty()
        && !word.chars().any(|c| {
            c.is_whitespace() || matches!(c, '=' | '!' | '<' | '>' | '(' | ')' | ',' | '"')
        })
        && !["and", "or", "in", "not"].contains(&word.to_ascii_lowercase().as_str());
    if bare {
        word.to_string()
    } else {
        format!("\"{}\"", word.replace('"', "\"\""))
    }
}

/// The condition 「`column` is one of `answers`」 as text: `性別 = 女性`, or
/// `年代 in (20～29歳, 30～39歳)` for several.
pub fn condition_text(column: &str, answers: &[String]) -> String {
    match answers {
        [one] => format!("{} = {}", quoted(column), quoted(one)),
        _ => format!(
            "{} in ({})",
            quoted(column),
            answers
                .iter()
                .map(|a| quoted(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `current` (a filter as typed, perhaps empty) with `condition` joined by `and` / `or`;
/// what was there is put in parentheses when it joins conditions itself, so that the
/// new one applies to the whole of it.
pub fn join_condition(current: &str, condition: &str, or: bool) -> String {
    let current = current.trim();
    if current.is_empty() {
        return condition.to_string();
    }
    let joins = Filter::parse(current).is_ok_and(|f| f.comparisons().len() > 1);
    let current = if joins {
        format!("({current})")
    } else {
        current.to_string()
    };
    format!("{current} {} {condition}", if or { "or" } else { "and" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_writes_what_the_parser_reads() {
        let answers = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let one = condition_text("性別", &answers(&["女性"]));
        assert_eq!(one, "性別 = 女性");
        let odd = condition_text(
            "居住 地区",
            &answers(&["東(旧)町", "say \"no\"", "or", "20～29歳"]),
        );
        assert_eq!(
            odd,
            r#""居住 地区" in ("東(旧)町", "say ""no""", "or", 20～29歳)"#
        );
        let f = Filter::parse(&odd).unwrap();
        let c = &f.comparisons()[0];
        assert_eq!(c.column, "居住 地区");
        assert_eq!(
            c.values,
            &answers(&["東(旧)町", "say \"no\"", "or", "20～29歳"])[..]
        );
        // Joined: the earlier conditions are kept together.
        let both = join_condition(&one, &odd, false);
        assert_eq!(both, format!("{one} and {odd}"));
        let three = join_condition(&both, "年代 = 80歳以上", true);
        assert_eq!(three, format!("({both}) or 年代 = 80歳以上"));
        assert_eq!(Filter::parse(&three).unwrap().comparisons().len(), 3);
        assert_eq!(join_condition("  ", &one, true), one);
    }

    #[test]
    fn parses_and_or_in_and_quotes() {
        let f = Filter::parse("\"居住 地区\" = 南部 and (q1 in (4, 5) or age >= 65)").unwrap();
        match &f.expr {
            Expr::And(parts) => {
                assert_eq!(parts.len(), 2);
                match &parts[0] {
                    Expr::Cond(c) => {
                        assert_eq!(c.column, "居住 地区");
                        assert_eq!(c.values, vec!["南部"]);
                    }
                    other => panic!("{other:?}"),
                }
                assert!(matches!(&parts[1], Expr::Or(v) if v.len() == 2));
            }
            other => panic!("{other:?}"),
        }
        assert!(Filter::parse("sex != 1 または age < 30").is_ok());
        assert!(Filter::parse("a = \"\"").is_ok());
    }

    #[test]
    fn comparisons_are_listed_in_order() {
        let f = Filter::parse("性別 = 女性 and (年齢 >= 65 or 地区 in (北, \"南 部\"))").unwrap();
        let c = f.comparisons();
        let cols: Vec<&str> = c.iter().map(|c| c.column).collect();
        assert_eq!(cols, ["性別", "年齢", "地区"]);
        assert!(!c[0].numeric && c[1].numeric);
        assert_eq!(c[2].values, ["北", "南 部"]);
    }

    #[test]
    fn errors_name_the_character() {
        let e = Filter::parse("sex 1").unwrap_err();
        assert_eq!(e.position, 5);
        assert!(e.ja.starts_with("5文字目"), "{}", e.ja);
        let e = Filter::parse("sex = 1 and").unwrap_err();
        assert_eq!(e.position, 12);
        let e = Filter::parse("q in 1, 2").unwrap_err();
        assert_eq!(e.position, 6);
        let e = Filter::parse("(a = 1").unwrap_err();
        assert!(e.ja.contains("「)」"), "{}", e.ja);
        let e = Filter::parse("\"abc = 1").unwrap_err();
        assert_eq!(e.position, 1);
        assert!(Filter::parse("").is_err());
        assert!(Filter::parse("a = 1 b = 2")
            .unwrap_err()
            .ja
            .contains("and / or"));
    }
}
