//! What applying a setup did — a codebook sheet, a saved model or a share link — for the
//! user to check: what matched, what the file lacks, and what the setup changed (kinds,
//! new variables) or was not allowed to change (see [`super::widening`]).

use serde::{Deserialize, Serialize};

use super::question::Kind;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApplyReport {
    /// Codebook questions matched to the file.
    pub matched: Vec<String>,
    /// Codebook questions with no column in the file.
    pub not_in_file: Vec<String>,
    /// Values found in the file that the codebook does not list: (question, values).
    pub unknown_codes: Vec<(String, Vec<String>)>,
    /// The sheet's columns read, as (what they were read as, the sheet's header).
    #[serde(default)]
    pub columns_used: Vec<(String, String)>,
    /// The sheet's columns not read, by header.
    #[serde(default)]
    pub columns_ignored: Vec<String>,
    /// Questions whose kind the setup changed.
    #[serde(default)]
    pub kinds_changed: Vec<KindChange>,
    /// Derived variables the setup brought (or replaced), with the columns they read.
    #[serde(default)]
    pub new_derived: Vec<NewDerived>,
    /// What the setup asked for and did not get, because it would have widened what this
    /// file's tables use.
    #[serde(default)]
    pub not_widened: Vec<NotWidened>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindChange {
    pub question: String,
    pub from: Kind,
    pub to: Kind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDerived {
    pub name: String,
    pub sources: Vec<String>,
    /// Made (also through other derived variables) from an identifier or free text:
    /// personal itself, and off.
    #[serde(default)]
    pub personal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotWidened {
    pub question: String,
    /// The kind the question keeps here.
    pub kind: Kind,
    /// The kind the setup asked for; `None` when it asked to turn the question on.
    pub wanted: Option<Kind>,
}

impl ApplyReport {
    pub fn lines_ja(&self) -> Vec<String> {
        let mut out = vec![format!(
            "符号表をファイルの{}設問に当てはめました: {}",
            self.matched.len(),
            self.matched.join("、")
        )];
        out.extend(self.column_lines_ja());
        if !self.not_in_file.is_empty() {
            out.push(format!(
                "ファイルにない設問: {}",
                self.not_in_file.join("、")
            ));
        }
        for (q, codes) in &self.unknown_codes {
            out.push(format!(
                "「{q}」に符号表にない値があります: {}",
                codes.join("、")
            ));
        }
        out.extend(self.change_lines_ja());
        out
    }

    pub fn lines_en(&self) -> Vec<String> {
        let mut out = vec![format!(
            "Applied the codebook to {} question(s) of the file: {}",
            self.matched.len(),
            self.matched.join(", ")
        )];
        out.extend(self.column_lines_en());
        if !self.not_in_file.is_empty() {
            out.push(format!(
                "Questions not in the file: {}",
                self.not_in_file.join(", ")
            ));
        }
        for (q, codes) in &self.unknown_codes {
            out.push(format!(
                "\"{q}\" has values the codebook does not list: {}",
                codes.join(", ")
            ));
        }
        out.extend(self.change_lines_en());
        out
    }

    /// Which of the sheet's columns were read as what, and which were not (so a text
    /// column under an unexpected header is seen to be unread).
    fn column_lines_ja(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.columns_used.is_empty() {
            let read: Vec<String> = self
                .columns_used
                .iter()
                .map(|(role, head)| format!("「{head}」を{role}"))
                .collect();
            out.push(format!("符号表の列: {}として読みました。", read.join("、")));
        }
        if !self.columns_ignored.is_empty() {
            out.push(format!(
                "使わなかった列: {}（設問文なら見出しを「設問文」に、欠損の印なら「欠損」にしてください）",
                self.columns_ignored.join("、")
            ));
        }
        out
    }

    fn column_lines_en(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.columns_used.is_empty() {
            let read: Vec<String> = self
                .columns_used
                .iter()
                .map(|(role, head)| format!("\"{head}\" as {}", role_en(role)))
                .collect();
            out.push(format!("Codebook columns read: {}.", read.join(", ")));
        }
        if !self.columns_ignored.is_empty() {
            out.push(format!(
                "Columns not used: {} (name a question-text column 設問文, a missing-code column 欠損).",
                self.columns_ignored.join(", ")
            ));
        }
        out
    }

    /// What the setup changed and what it was refused (the banner of a share link shows
    /// these under its own first lines).
    pub fn change_lines_ja(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.kinds_changed {
            out.push(format!(
                "「{}」の種類を「{}」から「{}」に変えました。",
                c.question,
                c.from.ja(),
                c.to.ja()
            ));
        }
        for d in &self.new_derived {
            let mut line = format!(
                "新しい変数「{}」を作りました（元の列: {}）。",
                d.name,
                d.sources.join("、")
            );
            if d.personal {
                line.push_str("元の列に個人を特定する情報か自由記述があるため、この変数も集計から除いています。");
            }
            out.push(line);
        }
        for n in &self.not_widened {
            out.push(match n.wanted {
                Some(wanted) => format!(
                    "「{}」はこのファイルでは「{}」のため、設定にある「{}」には変えず、集計から除いたままにしました（名前や自由記述が表に出ないように）。使う場合は、設問の一覧でご自分で「集計に含める」をオンにしてください。",
                    n.question,
                    n.kind.ja(),
                    wanted.ja()
                ),
                None => format!(
                    "「{}」はこの画面で集計から除いているため、設定に合わせてオンにはしていません。使う場合は、設問の一覧で「集計に含める」をオンにしてください。",
                    n.question
                ),
            });
        }
        out
    }

    pub fn change_lines_en(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.kinds_changed {
            out.push(format!(
                "\"{}\" changed from {} to {}.",
                c.question,
                c.from.en(),
                c.to.en()
            ));
        }
        for d in &self.new_derived {
            let mut line = format!(
                "New variable \"{}\" (from: {}).",
                d.name,
                d.sources.join(", ")
            );
            if d.personal {
                line.push_str(
                    " It is made from an identifier or free text, so it is left out too.",
                );
            }
            out.push(line);
        }
        for n in &self.not_widened {
            out.push(match n.wanted {
                Some(wanted) => format!(
                    "\"{}\" is {} in this file: it stays left out and was not made {} as the setup asks (so no name or free text reaches a table). To use it, turn on \"include\" yourself in the question list.",
                    n.question,
                    n.kind.en(),
                    wanted.en()
                ),
                None => format!(
                    "\"{}\" is left out on this page, so the setup did not turn it on. Turn on \"include\" in the question list to use it.",
                    n.question
                ),
            });
        }
        out
    }
}

/// A codebook column's role in English.
fn role_en(role: &str) -> &str {
    match role {
        "変数名" => "variable name (変数名)",
        "表示名" => "short label (表示名)",
        "設問文" => "question text (設問文)",
        "種類" => "kind (種類)",
        "コード" => "code (コード)",
        "ラベル" => "label (ラベル)",
        "欠損" => "missing (欠損)",
        other => other,
    }
}
