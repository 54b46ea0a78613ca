//! The national figures (人々のつながりに関する基礎調査, R3–R6) as data, each with its
//! source, and the comparison of a municipality's result with them: local % (weighted or
//! not, Wilson interval, effective n), national % per edition, the two-proportion z test
//! with the national n, and a plain-words verdict.
//!
//! Each figure cites the edition's official report (title, publisher, date) and lists the
//! independent published sources it was found in (the project's domain notes collect
//! them). A figure is `verified` (「確認済み」) only when two of them give the same value;
//! figures read off a chart, found in one source only, or in none carry `verified: false`
//! and a note, and the verdict says so, so that nobody presents them as official.
//!
//! The national percentages keep 無回答 inside the base, so the local % here does too,
//! even for the multiple answer whose simple tabulation leaves it out (a note says so).

use serde::{Deserialize, Serialize};

use super::filter::Filter;
use super::variable::{row_weight, weights, Var};
use super::Note;
use crate::model::national::{ucla_bins, Item, UCLA_GROUPS};
use crate::model::order::NO_ANSWER;
use crate::model::survey::Refusal;
use crate::model::text::key;
use crate::model::{Question, Survey, SurveyModel};
use crate::stats::{two_proportion_z_test, wilson_interval, Interval, TwoProportionTest};

/// What can be compared with a national figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 直接質問: each answer and 「孤独感がある」計.
    Direct,
    /// UCLA-3 score 10–12 点.
    UclaHigh,
    /// Face-to-face contact with family/friends living apart: 全くない.
    ContactNone,
    /// Participation in social activities: 特に参加はしていない.
    NoParticipation,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Direct,
        Measure::UclaHigh,
        Measure::ContactNone,
        Measure::NoParticipation,
    ];

    pub fn ja(self) -> &'static str {
        match self {
            Measure::Direct => "孤独感（直接質問）",
            Measure::UclaHigh => "UCLA孤独感スコア 10～12点",
            Measure::ContactNone => "同居していない家族や友人と直接会って話すことが「全くない」",
            Measure::NoParticipation => "社会活動に「特に参加はしていない」",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Measure::Direct => "loneliness (direct question)",
            Measure::UclaHigh => "UCLA-3 score 10-12",
            Measure::ContactNone => "never meets family/friends living apart face to face",
            Measure::NoParticipation => "takes part in no social activity",
        }
    }

    /// The question (its column) this measure is read from in `model`, when its national
    /// items were recognised: the matched column of the direct question, of contact or of
    /// participation; the UCLA-3 groups once all three UCLA items are. The one rule for
    /// which comparisons a survey offers.
    pub fn question(self, model: &SurveyModel) -> Option<&str> {
        let column = |item: Item| {
            model
                .national
                .iter()
                .find(|m| m.item == item)
                .map(|m| m.column.as_str())
        };
        match self {
            Measure::Direct => column(Item::Direct),
            Measure::ContactNone => column(Item::ContactFace),
            Measure::NoParticipation => column(Item::Participation),
            Measure::UclaHigh => [Item::Ucla1, Item::Ucla2, Item::Ucla3]
                .into_iter()
                .all(|i| column(i).is_some())
                .then_some(UCLA_GROUPS),
        }
    }

    /// The measure a recognised national item feeds, if any.
    pub fn of_item(item: Item) -> Option<Measure> {
        match item {
            Item::Direct => Some(Measure::Direct),
            Item::ContactFace => Some(Measure::ContactNone),
            Item::Participation => Some(Measure::NoParticipation),
            _ => None,
        }
    }
}

/// Valid responses of each edition: the n of the national percentages.
pub const EDITIONS: [(&str, u64); 4] = [
    ("R3", 11_867),
    ("R4", 11_218),
    ("R5", 11_141),
    ("R6", 10_876),
];

/// 「孤独感がある」計 (しばしば・常に + 時々 + たまに).
pub const LONELY_SUM: &str = "「孤独感がある」計";

/// One published national percentage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: Measure,
    /// The national category ("しばしばある・常にある", "無回答", "「孤独感がある」計" …).
    pub category: String,
    pub edition: String,
    pub percent: f64,
    /// The edition's valid responses (the base, 無回答 included).
    pub n: u64,
    /// True only when two independent sources give the same figure ([`confirmed_by`]):
    /// shown as 「確認済み」.
    ///
    /// [`confirmed_by`]: Figure::confirmed_by
    pub verified: bool,
    /// The official report of the edition, as a municipal report cites it.
    pub source: String,
    /// The independent published sources in which this very figure was found.
    #[serde(default)]
    pub confirmed_by: Vec<String>,
    pub note: String,
}

/// The official report of each edition (title, publisher, publication date), which a
/// municipal report names as the source. The figures were not read from these reports by
/// this project: each carries the sources it was read in ([`Figure::confirmed_by`]).
pub fn official_report(edition: &str) -> &'static str {
    match edition {
        "R3" => "内閣官房 孤独・孤立対策担当室「孤独・孤立の実態把握に関する全国調査（令和3年実施）」2022年4月8日公表",
        "R4" => "内閣官房 孤独・孤立対策担当室「孤独・孤立の実態把握に関する全国調査（令和4年人々のつながりに関する基礎調査）」2023年3月31日公表",
        "R5" => "内閣官房 孤独・孤立対策担当室「孤独・孤立の実態把握に関する全国調査（令和5年人々のつながりに関する基礎調査）」2024年3月29日公表",
        "R6" => "内閣府 孤独・孤立対策推進室「孤独・孤立の実態把握に関する全国調査（令和6年実施）（令和6年人々のつながりに関する基礎調査）」2025年4月25日公表",
        _ => "孤独・孤立の実態把握に関する全国調査",
    }
}

// The published sources the figures were found in, as a reader can look them up.
const WIC: &str = "wic-net.com（全国調査の結果表の転載）";
const HEALTHY_LIFE_R4: &str = "healthy-life21.com 2023年4月12日の記事";
const KYODO_R4: &str = "共同通信の報道（2023年3月31日）";
const PRESS_R3: &str = "共同通信・時事通信の報道（2022年4月）";
const SEMINAR_R5: &str = "大学のゼミによる調査結果の要約（令和5年）";
const GIFU_R6: &str = "岐阜新聞の報道（令和6年）";
const JIJI_R6: &str = "時事通信の報道（令和6年、mixiニュース掲載）";
const NETWORK_R6: &str = "支援団体による調査結果の要約（令和6年）";

/// Every national figure the product knows, in edition order.
pub fn figures() -> Vec<Figure> {
    let direct = [
        "しばしばある・常にある",
        "時々ある",
        "たまにある",
        "ほとんどない",
        "決してない",
        NO_ANSWER,
    ];
    let table: [(&str, &[f64]); 4] = [
        ("R3", &[4.5, 14.5, 17.4, 38.9, 23.7, 0.9]),
        ("R4", &[4.9, 15.8, 19.6, 40.6, 18.4, 0.6]),
        ("R5", &[4.8, 14.8, 19.7, 41.4, 17.9, 1.5]),
        ("R6", &[4.3, 15.4, 19.6]),
    ];
    // Which sources give which figure of the direct question (by category index; 6 is
    // 「孤独感がある」計 where a source prints it).
    let found_in = |edition: &str, i: usize| -> Vec<&'static str> {
        let mut s = Vec::new();
        match edition {
            "R3" => {
                s.push(WIC);
                if i == 0 {
                    s.push(PRESS_R3);
                }
            }
            "R4" => {
                s.push(WIC);
                if matches!(i, 0 | 1 | 2 | 6) {
                    s.push(HEALTHY_LIFE_R4);
                }
                if i == 4 {
                    s.push(KYODO_R4);
                }
            }
            "R5" => {
                s.push(WIC);
                if i <= 2 {
                    s.push(SEMINAR_R5);
                }
            }
            "R6" => {
                s.push(GIFU_R6);
                if i == 0 {
                    s.push(JIJI_R6);
                }
            }
            _ => {}
        }
        s
    };
    let n_of = |e: &str| EDITIONS.iter().find(|x| x.0 == e).map_or(0, |x| x.1);
    let mut out = Vec::new();
    let mut fig =
        |measure, category: &str, edition: &str, percent, sources: &[&str], note: &str| {
            let confirmed_by: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
            let verified = confirmed_by.len() >= 2;
            let check = "公式の報告書で確かめてから使ってください。";
            let note = match confirmed_by.as_slice() {
                _ if verified || !note.is_empty() => note.to_string(),
                [] => format!("掲載された資料を特定できていない参考値です。{check}"),
                [one] => format!("1つの資料（{one}）でしか確認できていない数値です。{check}"),
                _ => unreachable!("two sources make a figure verified"),
            };
            out.push(Figure {
                measure,
                category: category.into(),
                edition: edition.into(),
                percent,
                n: n_of(edition),
                verified,
                source: official_report(edition).into(),
                confirmed_by,
                note,
            })
        };
    for (edition, values) in table {
        for (i, (label, &p)) in direct.iter().zip(values).enumerate() {
            fig(
                Measure::Direct,
                label,
                edition,
                p,
                &found_in(edition, i),
                "",
            );
        }
        let sum = ((values[0] + values[1] + values[2]) * 10.0).round() / 10.0;
        // A source printing the sum confirms it; else it is as sure as its three parts.
        let mut sources = found_in(edition, 6);
        let parts_sure = (0..3).all(|i| found_in(edition, i).len() >= 2);
        if sources.len() < 2 && parts_sure {
            sources = found_in(edition, 0);
        }
        fig(
            Measure::Direct,
            LONELY_SUM,
            edition,
            sum,
            &sources,
            "公表値（小数第1位）3区分の和。",
        );
    }
    fig(
        Measure::UclaHigh,
        UCLA_HIGH,
        "R4",
        7.1,
        &[],
        "グラフから読み取った概数（男性7.8、女性6.4）。公式の数値ではありません。",
    );
    fig(Measure::UclaHigh, UCLA_HIGH, "R6", 6.5, &[NETWORK_R6], "");
    for (edition, p, sources) in [
        ("R3", 11.2, &[][..]),
        ("R5", 9.2, &[][..]),
        ("R6", 9.3, &[NETWORK_R6][..]),
    ] {
        fig(Measure::ContactNone, "全くない", edition, p, sources, "");
    }
    for (edition, p, sources) in [
        ("R3", 53.2, &[][..]),
        ("R5", 51.8, &[][..]),
        ("R6", 50.6, &[NETWORK_R6][..]),
    ] {
        fig(
            Measure::NoParticipation,
            "特に参加はしていない",
            edition,
            p,
            sources,
            "",
        );
    }
    out
}

const UCLA_HIGH: &str = "10～12点（常にある）";

/// The local result against one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionComparison {
    pub edition: String,
    pub national_percent: f64,
    pub national_n: u64,
    pub verified: bool,
    pub source: String,
    #[serde(default)]
    pub confirmed_by: Vec<String>,
    pub note: String,
    /// Local % − national %, in points.
    pub difference: f64,
    /// Pooled two-proportion z test (local n = effective n under a weight).
    pub test: Option<TwoProportionTest>,
    /// 「全国より有意に高い」/「有意な差はない」/「全国より有意に低い」 (95 %).
    pub verdict_ja: String,
    pub verdict_en: String,
}

impl EditionComparison {
    /// How sure the national figure is, for the table's 「全国値の確認」 column and the
    /// page's list of sources: 「確認済み（…と…で同じ値）」 or 「未確認: …」.
    pub fn confirmation(&self) -> Note {
        let list = self.confirmed_by.join("、");
        if self.verified {
            Note {
                ja: format!("確認済み（{list}で同じ値）"),
                en: format!("checked (same value in {list})"),
            }
        } else {
            Note {
                ja: format!("未確認: {}", self.note),
                en: if self.confirmed_by.is_empty() {
                    "unverified: no published source located".to_string()
                } else {
                    format!("unverified: found in one source only ({list})")
                },
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub category: String,
    pub local_count: u64,
    pub local_weighted: Option<f64>,
    pub local_percent: f64,
    /// 95 % Wilson interval (0–1) with the effective n.
    pub ci: Option<Interval>,
    pub national: Vec<EditionComparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalComparison {
    pub measure: Measure,
    pub title: String,
    /// The local question (id or column) compared.
    pub question: String,
    pub weight: Option<String>,
    pub filter: Option<String>,
    pub filtered_out: u64,
    /// Respondents in the local base (無回答 included, 非該当 not).
    pub base_count: u64,
    /// The base weighted (equals `base_count` without a weight).
    pub base: f64,
    /// Kish effective n (the base itself without a weight): the local n of the tests.
    pub effective_n: Option<f64>,
    pub no_answer: u64,
    pub not_applicable: u64,
    pub invalid_weight: u64,
    pub rows: Vec<ComparisonRow>,
    pub notes: Vec<Note>,
}

/// How a local category maps to the national ones.
enum Slot {
    Cat(usize),
    NoAnswer,
    /// A national option not compared here (e.g. 週1回程度 when comparing 全くない).
    Known,
    /// In the base but in no national category (an answer the mapping lacks).
    Other,
}

/// Compares the survey with the national figures for `measure`; `weight` names a weight
/// column.
pub fn compare(
    survey: &Survey,
    measure: Measure,
    weight: Option<&str>,
) -> Result<NationalComparison, Refusal> {
    compare_filtered(survey, measure, weight, None)
}

/// [`compare`] on the respondents a filter keeps (an area, an age group).
pub fn compare_filtered(
    survey: &Survey,
    measure: Measure,
    weight: Option<&str>,
    filter: Option<&Filter>,
) -> Result<NationalComparison, Refusal> {
    let not_found = |what: &str| {
        Refusal {
        ja: format!(
            "全国調査の「{}」にあたる設問が見つかりません（{what}）。設問の対応づけ（全国調査の設問）を確かめてください。",
            measure.ja()
        ),
        en: format!(
            "No question matches the national \"{}\" ({what}). Check the national item mapping.",
            measure.en()
        ),
    }
    };
    let by_item = |item: Item| survey.model.national.iter().find(|m| m.item == item);
    let national = figures();
    let figs: Vec<&Figure> = national.iter().filter(|f| f.measure == measure).collect();
    // Categories in the national table's order.
    let mut categories: Vec<String> = Vec::new();
    for f in &figs {
        if !categories.contains(&f.category) {
            categories.push(f.category.clone());
        }
    }
    let cat = |name: &str| categories.iter().position(|c| c == name);
    let (question, var) = match measure {
        Measure::Direct | Measure::ContactNone => {
            let item = if measure == Measure::Direct {
                Item::Direct
            } else {
                Item::ContactFace
            };
            let m = by_item(item).ok_or_else(|| not_found(item.ja()))?;
            (m.column.clone(), Var::resolve(survey, &m.column, true)?)
        }
        Measure::UclaHigh => {
            if survey.table.column(UCLA_GROUPS).is_none() {
                return Err(not_found("UCLA孤独感尺度の3項目"));
            }
            (
                UCLA_GROUPS.to_string(),
                Var::resolve(survey, UCLA_GROUPS, true)?,
            )
        }
        Measure::NoParticipation => {
            let m =
                by_item(Item::Participation).ok_or_else(|| not_found(Item::Participation.ja()))?;
            (m.column.clone(), Var::resolve(survey, &m.column, true)?)
        }
    };
    // Each local label's national slot.
    let slots: Vec<Slot> = var
        .labels
        .iter()
        .map(|l| {
            if l.no_answer {
                return Slot::NoAnswer;
            }
            let national = match measure {
                Measure::Direct | Measure::ContactNone => {
                    let item = if measure == Measure::Direct {
                        Item::Direct
                    } else {
                        Item::ContactFace
                    };
                    by_item(item)
                        .and_then(|m| m.mapping.iter().find(|c| c.value == l.code))
                        .and_then(|c| item.national_labels().get(c.national as usize - 1).copied())
                }
                Measure::UclaHigh if l.code == ucla_bins()[0].label => Some(UCLA_HIGH),
                Measure::UclaHigh => Some(l.code.as_str()),
                Measure::NoParticipation => {
                    let k = key(&l.label);
                    Some(
                        if k.contains(&key("特に参加")) || k.contains(&key("参加していない"))
                        {
                            "特に参加はしていない"
                        } else {
                            l.code.as_str()
                        },
                    )
                }
            };
            match national {
                Some(n) => cat(n).map_or(Slot::Known, Slot::Cat),
                None => Slot::Other,
            }
        })
        .collect();
    if measure == Measure::NoParticipation && !slots.iter().any(|s| matches!(s, Slot::Cat(_))) {
        return Err(not_found("選択肢「特に参加はしていない」"));
    }
    let no_answer_cat = cat(NO_ANSWER);
    let sum_cat = cat(LONELY_SUM);
    let weight_col = weight.map(|w| weights(survey, w)).transpose()?;
    let mask = filter.map(|f| f.mask(survey)).transpose()?;
    let mut filtered_out = 0u64;
    let k = categories.len();
    let (mut counts, mut sums) = (vec![0u64; k], vec![0f64; k]);
    let (mut base_count, mut base, mut base2) = (0u64, 0f64, 0f64);
    let (mut no_answer, mut not_applicable, mut other, mut invalid_weight) =
        (0u64, 0u64, 0u64, 0u64);
    let mut cats = Vec::new();
    let multiple = var.is_multiple();
    for i in 0..survey.table.rows {
        if mask.as_ref().is_some_and(|m| !m[i]) {
            filtered_out += 1;
            continue;
        }
        var.categories(i, &mut cats);
        // A multiple answer with nothing chosen is 無回答 (in the national base); a single
        // answer in no category is 非該当 (outside).
        if cats.is_empty() && !multiple {
            not_applicable += 1;
            continue;
        }
        let Some(w) = row_weight(weight_col.as_ref(), i) else {
            invalid_weight += 1;
            continue;
        };
        base_count += 1;
        base += w;
        base2 += w * w;
        let mut add = |c: usize| {
            counts[c] += 1;
            sums[c] += w;
        };
        if cats.is_empty()
            || cats
                .iter()
                .all(|&c| matches!(slots[c as usize], Slot::NoAnswer))
        {
            no_answer += 1;
            if let Some(c) = no_answer_cat {
                add(c);
            }
            continue;
        }
        let mut matched = false;
        for &c in &cats {
            if let Slot::Known = slots[c as usize] {
                matched = true;
            }
            if let Slot::Cat(j) = slots[c as usize] {
                add(j);
                matched = true;
                if measure == Measure::Direct
                    && ["しばしばある・常にある", "時々ある", "たまにある"]
                        .contains(&categories[j].as_str())
                {
                    if let Some(s) = sum_cat {
                        add(s);
                    }
                }
            }
        }
        if !matched && !multiple {
            other += 1;
        }
    }
    let n_eff = if weight_col.is_some() {
        (base2 > 0.0).then(|| base * base / base2)
    } else {
        (base_count > 0).then_some(base_count as f64)
    };
    let rows = (0..k)
        .map(|c| {
            let p = if base > 0.0 { sums[c] / base } else { 0.0 };
            let national = figs
                .iter()
                .filter(|f| f.category == categories[c])
                .map(|f| edition(f, p, n_eff))
                .collect();
            ComparisonRow {
                category: categories[c].clone(),
                local_count: counts[c],
                local_weighted: weight_col.as_ref().map(|_| sums[c]),
                local_percent: p * 100.0,
                ci: n_eff.and_then(|n| wilson_interval(p, n, 0.95)),
                national,
            }
        })
        .collect();
    let mut notes = vec![Note::new(
        "全国調査の%は無回答を分母に含みます。地域の%も同じく無回答を含めて計算しています。",
        "The national % keep no answer (無回答) inside the base; the local % here do too.",
    )];
    notes.extend(filter.map_or_else(Vec::new, |f| f.unmatched(survey)));
    if multiple {
        notes.push(Note::new(
            "複数回答の単純集計は無回答（何も選ばなかった人）を分母から除くため、この表の地域の%とは異なります。",
            "The simple tabulation of a multiple answer leaves out those who chose nothing, so its % differ from the local % here.",
        ));
    }
    if not_applicable > 0 {
        notes.push(Note::new(
            format!("地域の非該当 {not_applicable} 人は分母に含めていません（全国の分母とは異なります）。"),
            format!("{not_applicable} local respondents marked not applicable are outside the base (unlike the national base)."),
        ));
    }
    if other > 0 {
        notes.push(Note::new(
            format!("全国の選択肢に対応しない回答 {other} 件は、分母に含めましたがどの区分にも数えていません。"),
            format!("{other} answers match no national option: they are in the base but in no category."),
        ));
    }
    notes.push(Note::new(
        "差の検定は2つの比率の z 検定（95%）で、全国の n は有効回答数です。全国調査の抽出設計による誤差の増加は考慮していないため、有意になりやすい方向の近似です。年齢構成が全国と違うと単純な比較は誤解を招くため、ウェイトでの調整を検討してください。",
        "The test is a pooled two-proportion z test (95%) with the national n = valid responses; the national design effect is ignored, so it errs towards significance. If the age mix differs from the nation's, consider weighting before comparing.",
    ));
    if weight.is_some() {
        notes.push(Note::new(
            "地域の%はウェイト付きで、信頼区間と検定には有効標本数（キッシュの方法）を使っています。",
            "Local % are weighted; intervals and tests use the Kish effective n.",
        ));
    }
    if figs.iter().any(|f| !f.verified) {
        notes.push(Note::new(
            "「未確認」の全国値は、2つの独立した資料で同じ値を確認できていない数値（1つの報道・グラフの読み取りなど）です。公式の報告書で確かめるまで、公式の数値として示さないでください。",
            "National figures marked unverified were not found with the same value in two independent sources (one press report, a value read off a chart); do not present them as official until checked against the official report.",
        ));
    }
    Ok(NationalComparison {
        measure,
        title: measure.ja().to_string(),
        question,
        weight: weight.map(String::from),
        filter: filter.map(|f| f.source().to_string()),
        filtered_out,
        base_count,
        base,
        effective_n: n_eff,
        no_answer,
        not_applicable,
        invalid_weight,
        rows,
        notes,
    })
}

fn edition(f: &Figure, p: f64, n_eff: Option<f64>) -> EditionComparison {
    let national = f.percent / 100.0;
    let test = n_eff.and_then(|n| two_proportion_z_test(p, n, national, f.n as f64));
    let (mut ja, mut en) = match &test {
        Some(t) if t.p_value < 0.05 && p > national => (
            "全国より有意に高い".to_string(),
            "significantly higher than the nation".to_string(),
        ),
        Some(t) if t.p_value < 0.05 => (
            "全国より有意に低い".to_string(),
            "significantly lower than the nation".to_string(),
        ),
        Some(_) => (
            "有意な差はない".to_string(),
            "no significant difference".to_string(),
        ),
        None => ("検定できない".to_string(), "cannot be tested".to_string()),
    };
    if !f.verified {
        ja.push_str("（全国値は未確認）");
        en.push_str(" (national figure unverified)");
    }
    EditionComparison {
        edition: f.edition.clone(),
        national_percent: f.percent,
        national_n: f.n,
        verified: f.verified,
        source: f.source.clone(),
        confirmed_by: f.confirmed_by.clone(),
        note: f.note.clone(),
        difference: p * 100.0 - f.percent,
        test,
        verdict_ja: ja,
        verdict_en: en,
    }
}

/// The measures a survey can be compared on: those whose national items were recognised
/// ([`Measure::question`]). The page's national view offers these.
pub fn available(model: &SurveyModel) -> Vec<Measure> {
    Measure::ALL
        .into_iter()
        .filter(|m| m.question(model).is_some())
        .collect()
}

/// The measure read from question `q` (its id or one of its columns), if any: what the
/// CLI's `tab` prints beside the question's tabulation.
pub fn measure_of(model: &SurveyModel, q: &Question) -> Option<Measure> {
    available(model).into_iter().find(|m| {
        m.question(model)
            .is_some_and(|c| c == q.id || q.columns.iter().any(|x| x == c))
    })
}
