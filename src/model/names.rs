//! A name the user typed for a question or a column (the command line's `tab q1`,
//! `--by 性別`, `means 14 --by 13`), resolved one way: a question's id or label first —
//! the rule the tables apply (`analysis::variable`) — then a column's name, then a
//! column's number as `inspect` lists the file's columns (1 = the first).
//!
//! Only a lookup: whether the question or column may be used is the gate's to say
//! (`Survey::usable`, `usable_column`), when it is used.

use super::{Question, Survey};

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Named<'a> {
    /// A question (of the file or a derived variable), by id or label.
    Question(&'a Question),
    /// A column, by name or number, and the question it belongs to (for a grid's item,
    /// the grid; for a 0/1 column, its multiple answer).
    Column {
        name: &'a str,
        question: Option<&'a Question>,
    },
}

impl<'a> Named<'a> {
    /// The question named, or the one the column belongs to.
    pub fn question(&self) -> Option<&'a Question> {
        match *self {
            Named::Question(q) => Some(q),
            Named::Column { question, .. } => question,
        }
    }
}

/// The question with this id or label (file's first, then derived ones).
pub fn question<'a>(survey: &'a Survey, name: &str) -> Option<&'a Question> {
    survey.questions().find(|q| q.id == name || q.label == name)
}

/// The file's column with this number, 1-based, as `inspect` numbers them (derived
/// variables have no number).
pub fn numbered_column<'a>(survey: &'a Survey, name: &str) -> Option<&'a str> {
    name.parse::<usize>()
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| survey.file_columns().get(i))
        .map(|c| c.name.as_str())
}

/// A column by name (a derived variable's too), else by number.
pub fn column<'a>(survey: &'a Survey, name: &str) -> Option<&'a str> {
    survey
        .table
        .column(name)
        .map(|c| c.name.as_str())
        .or_else(|| numbered_column(survey, name))
}

/// The question the column belongs to.
pub fn question_of_column<'a>(survey: &'a Survey, column: &str) -> Option<&'a Question> {
    survey
        .questions()
        .find(|q| q.columns.iter().any(|c| c == column))
}

/// A name as typed: a question (id or label), else a column (name, else number).
pub fn find<'a>(survey: &'a Survey, name: &str) -> Option<Named<'a>> {
    if let Some(q) = question(survey, name) {
        return Some(Named::Question(q));
    }
    let column = column(survey, name)?;
    Some(Named::Column {
        name: column,
        question: question_of_column(survey, column),
    })
}

/// The name to give the tables (`crosstab`, `means`, `frequencies`, a weight): as typed,
/// unless it names no question or column and is a column's number, which becomes that
/// column's name. A name found nowhere is passed on as typed, for the table's own error.
pub fn for_tables(survey: &Survey, name: &str) -> String {
    if question(survey, name).is_some() || survey.table.column(name).is_some() {
        return name.to_string();
    }
    numbered_column(survey, name)
        .map(str::to_string)
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::model::{Kind, SurveyModel};

    /// id, a single answer, a grid of two items, a column called "2", and ages binned
    /// into 年代 (a derived variable, appended after the file's columns).
    fn survey() -> Survey {
        let csv = "id,sex,q2_1,q2_2,2,age\n\
                   1,1,1,2,a,20\n2,2,2,3,b,35\n3,1,3,1,c,47\n4,2,4,4,d,52\n5,1,1,2,e,68\n6,2,2,3,f,71\n";
        let table = read_bytes(csv.as_bytes(), ReadOptions::default())
            .unwrap()
            .table;
        let mut model = SurveyModel::infer(&table);
        let sex = model.question_mut("sex").unwrap();
        sex.label = "性別".into();
        let q2 = model
            .questions
            .iter_mut()
            .find(|q| q.columns.contains(&"q2_1".to_string()))
            .unwrap();
        q2.id = "q2".into();
        q2.label = "q2".into();
        q2.kind = Kind::Grid;
        q2.columns = vec!["q2_1".into(), "q2_2".into()];
        model
            .questions
            .retain(|q| q.id == "q2" || !q.columns.iter().any(|c| c == "q2_2"));
        model.derived.push(crate::model::Derived {
            name: "年代".into(),
            recipe: crate::model::Recipe::Bin {
                source: "age".into(),
                bins: crate::model::derive::custom_bins(&[40.0]),
            },
            national: false,
        });
        Survey::with_model(table, model)
    }

    #[test]
    fn questions_by_id_or_label_then_columns_by_name_or_number() {
        let s = survey();
        assert_eq!(question(&s, "sex").unwrap().id, "sex");
        assert_eq!(question(&s, "性別").unwrap().id, "sex");
        assert_eq!(question(&s, "年代").unwrap().id, "年代", "derived too");
        assert!(question(&s, "q2_1").is_none(), "a column is not a question");

        match find(&s, "q2_2").unwrap() {
            Named::Column { name, question } => {
                assert_eq!(name, "q2_2");
                assert_eq!(question.unwrap().id, "q2");
            }
            other => panic!("{other:?}"),
        }
        // Column 4 is q2_2; "2" is the question of the column named 2, not column 2.
        assert_eq!(column(&s, "4"), Some("q2_2"));
        assert_eq!(column(&s, "2"), Some("2"));
        assert_eq!(find(&s, "2").unwrap().question().unwrap().id, "2");
        assert_eq!(find(&s, "4").unwrap().question().unwrap().id, "q2");
        assert_eq!(
            find(&s, "年代").unwrap(),
            Named::Question(question(&s, "年代").unwrap())
        );
        assert!(find(&s, "nothing").is_none());
        assert!(find(&s, "0").is_none());
    }

    #[test]
    fn numbers_are_the_files_columns_only() {
        let s = survey();
        assert_eq!(s.file_columns().len(), 6);
        assert_eq!(numbered_column(&s, "1"), Some("id"));
        assert_eq!(numbered_column(&s, "6"), Some("age"));
        // Column 7 of the table is the derived 年代: it has a name, not a number.
        assert!(s.table.columns.len() > 6);
        assert_eq!(numbered_column(&s, "7"), None);
        assert_eq!(numbered_column(&s, "0"), None);
        assert_eq!(numbered_column(&s, "-1"), None);
        assert_eq!(numbered_column(&s, "x"), None);
    }

    #[test]
    fn names_for_the_tables() {
        let s = survey();
        // A column named "2" is itself, not column number 2.
        assert_eq!(for_tables(&s, "2"), "2");
        assert_eq!(for_tables(&s, "3"), "q2_1");
        assert_eq!(for_tables(&s, "性別"), "性別");
        assert_eq!(for_tables(&s, "q2_2"), "q2_2");
        assert_eq!(for_tables(&s, "年代"), "年代");
        assert_eq!(
            for_tables(&s, "99"),
            "99",
            "passed on for the table's error"
        );
        assert_eq!(for_tables(&s, "nothing"), "nothing");
    }
}
