//! Known Japanese answer scales (順序尺度), as data: frequency, contact frequency,
//! agreement, satisfaction, good/bad and degree. A question whose answers all fall on one
//! scale (a part of it will do) is listed in the scale's order, and its answers are
//! ordered (累積% makes sense). Answers are compared by `text::key` (NFKC, no spaces or
//! punctuation: ・ and ／ variants agree), after a leading option number ("1 " / "1." /
//! "(1)") is taken off.
//!
//! Each scale runs from the top of the questionnaire down, as Japanese questionnaires
//! print them (とても → まったく, いつも → 決してない), except the national survey's own
//! loneliness wording (決してない … しばしばある・常にある), which keeps the national order.
//! A recognised national item takes the national codes' order in any wording
//! (`national::put_in_order`, from `SurveyModel::infer`).

use std::sync::LazyLock;

use super::text::{key, keys, Keys};

/// One step of a scale: its wordings. A wording ending in `*` matches every answer that
/// starts with it (「とても*」: とても感じる, とても大切 …); any other must be the whole
/// answer.
type Step = &'static [&'static str];

/// The scales, tried in this order (the first that takes every answer wins: 「やや満足」
/// is satisfaction before it is degree).
const SCALES: [&[Step]; 7] = [
    // The national survey's wording of how often one feels lonely (直接質問, UCLA): in its
    // own order, 決してない first, as its codes (1 決してない … 5 しばしばある・常にある), so
    // a question worded as the national one reads the same whether or not its text was
    // recognised. Other frequency wordings (いつも, よくある) take the next scale.
    &[
        &["決してない"],
        &["ほとんどない"],
        &["たまにある"],
        &["時々ある", "ときどきある", "時どきある"],
        &[
            "しばしばある・常にある",
            "常にある・しばしばある",
            "しばしば・常に",
            "常にある",
            "しばしばある",
        ],
    ],
    // Agreement.
    &[
        &[
            "そう思う",
            "とてもそう思う",
            "非常にそう思う",
            "強くそう思う",
        ],
        &[
            "ややそう思う",
            "まあそう思う",
            "どちらかといえばそう思う",
            "どちらかと言えばそう思う",
            "少しそう思う",
        ],
        &["どちらともいえない", "どちらとも言えない"],
        &[
            "あまりそう思わない",
            "どちらかといえばそう思わない",
            "どちらかと言えばそう思わない",
        ],
        &[
            "そう思わない",
            "まったくそう思わない",
            "全くそう思わない",
            "全然そう思わない",
        ],
    ],
    // Satisfaction.
    &[
        &[
            "満足",
            "満足している",
            "とても満足",
            "非常に満足",
            "大変満足",
        ],
        &[
            "やや満足",
            "まあ満足",
            "まあまあ満足",
            "どちらかといえば満足",
            "どちらかと言えば満足",
            "やや満足している",
            "まあ満足している",
        ],
        &["どちらともいえない", "どちらとも言えない", "普通", "ふつう"],
        &[
            "やや不満",
            "どちらかといえば不満",
            "どちらかと言えば不満",
            "あまり満足していない",
            "やや不満である",
        ],
        &[
            "不満",
            "不満である",
            "とても不満",
            "非常に不満",
            "大変不満",
            "満足していない",
        ],
    ],
    // Good / bad (健康状態, 暮らし向き).
    &[
        &[
            "良い",
            "よい",
            "とても良い",
            "とてもよい",
            "非常に良い",
            "ゆとりがある",
        ],
        &[
            "まあ良い",
            "まあよい",
            "やや良い",
            "ややよい",
            "まあまあ良い",
            "まあまあよい",
            "ややゆとりがある",
        ],
        &["普通", "ふつう", "どちらともいえない"],
        &[
            "あまり良くない",
            "あまりよくない",
            "やや悪い",
            "やや苦しい",
            "あまりゆとりはない",
        ],
        &[
            "良くない",
            "よくない",
            "悪い",
            "とても悪い",
            "非常に悪い",
            "苦しい",
            "大変苦しい",
        ],
    ],
    // Frequency.
    &[
        &[
            "いつも",
            "いつもある",
            "常に",
            "常にある",
            "しばしばある・常にある",
            "しばしば・常に",
            "常にある・しばしばある",
        ],
        &["しばしば", "しばしばある", "よくある"],
        &["時々", "時々ある", "ときどき", "ときどきある", "時どきある"],
        &["たまに", "たまにある"],
        &["ほとんどない", "めったにない", "あまりない"],
        &[
            "決してない",
            "全くない",
            "まったくない",
            "一度もない",
            "ない",
        ],
    ],
    // Contact frequency (会って話す・電話・SNS).
    &[
        &["ほぼ毎日", "毎日"],
        &["週4～5回以上", "週4～5回", "週4回以上"],
        &["週2～3回程度", "週2～3回"],
        &["週1回程度", "週1回"],
        &["2週間に1回程度", "2週間に1回"],
        &["月1回程度", "月に1回程度", "月1回"],
        &["月1回未満", "月に1回未満"],
        &["全くない", "まったくない", "ない"],
    ],
    // Degree (とても感じる … まったく感じない, 大切 …).
    &[
        &["とても*", "非常に*", "大変*", "かなり*", "強く*"],
        &[
            "やや*",
            "ある程度*",
            "まあ*",
            "少し*",
            "多少*",
            "どちらかといえば*",
        ],
        &["どちらともいえない", "どちらとも言えない"],
        &["あまり*"],
        &["まったく*", "全く*", "全然*", "ほとんど*"],
    ],
];

/// Answers that are not on a scale and go after it, in the order they came: その他,
/// わからない, no-answer codes.
const AFTER: [&str; 14] = [
    "その他",
    "わからない",
    "分からない",
    "答えたくない",
    "回答したくない",
    "わからない・答えたくない",
    "その他・答えたくない",
    "無回答",
    "不明",
    "無記入",
    "未回答",
    "非該当",
    "該当しない",
    "該当なし",
];

/// The answer as scales compare it: without a leading option number ("1 ", "1.", "(1)",
/// "①"), then `key`.
fn comparable(answer: &str) -> String {
    let t = answer.trim();
    let t = t
        .strip_prefix(['(', '（'])
        .map(|rest| {
            rest.trim_start_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
        })
        .and_then(|rest| rest.strip_prefix([')', '）']))
        .unwrap_or(t);
    let digits = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || ('０'..='９').contains(c)))
        .map_or(t.len(), |(i, _)| i);
    let t = if digits > 0 {
        let rest = &t[digits..];
        match rest.chars().next() {
            Some(c) if c.is_whitespace() || ".．:：)）".contains(c) => &rest[c.len_utf8()..],
            _ => t,
        }
    } else {
        t.trim_start_matches(|c: char| ('①'..='⑳').contains(&c))
    };
    key(t)
}

/// An answer that goes after the scale (その他, わからない, 無回答 …).
pub fn is_after(answer: &str) -> bool {
    goes_after(&comparable(answer))
}

/// `AFTER` and `SCALES` as `key` makes them, worked out once: every question's answers
/// are compared with all of them (a key per wording per answer was 12 % of the
/// instructions of reading and inferring a 10k-row file natively).
static AFTER_KEYS: Keys = keys!(AFTER);

/// A wording's key, and whether it is a prefix (`*`).
type Wording = (String, bool);

static SCALE_KEYS: LazyLock<Vec<Vec<Vec<Wording>>>> = LazyLock::new(|| {
    SCALES
        .iter()
        .map(|scale| {
            scale
                .iter()
                .map(|step| {
                    step.iter()
                        .map(|w| match w.strip_suffix('*') {
                            Some(prefix) => (key(prefix), true),
                            None => (key(w), false),
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
});

/// Whether an answer's `comparable` key goes after the scale.
fn goes_after(k: &str) -> bool {
    k.is_empty() || AFTER_KEYS.has(k)
}

fn step_of(scale: &[Vec<Wording>], k: &str) -> Option<usize> {
    scale.iter().position(|step| {
        step.iter().any(|(w, prefix)| {
            if *prefix {
                k.starts_with(w.as_str())
            } else {
                w == k
            }
        })
    })
}

/// For answers that all fall on one known scale (those that [`is_after`] aside, at least
/// two of them on different steps): each answer's step, `None` for the ones that go after.
/// `None` when no scale takes them all.
pub fn ranks(answers: &[&str]) -> Option<Vec<Option<usize>>> {
    let keys: Vec<Option<String>> = answers
        .iter()
        .map(|a| {
            let k = comparable(a);
            (!goes_after(&k)).then_some(k)
        })
        .collect();
    SCALE_KEYS.iter().find_map(|scale| {
        let ranks: Vec<Option<usize>> = keys
            .iter()
            .map(|k| match k {
                Some(k) => step_of(scale, k).map(Some),
                None => Some(None),
            })
            .collect::<Option<_>>()?;
        let mut steps: Vec<usize> = ranks.iter().flatten().copied().collect();
        steps.sort_unstable();
        steps.dedup();
        (steps.len() >= 2).then_some(ranks)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(answers: &[&str]) -> Option<Vec<String>> {
        let r = ranks(answers)?;
        let mut v: Vec<(usize, &str)> = answers
            .iter()
            .zip(&r)
            .map(|(a, r)| (r.unwrap_or(usize::MAX), *a))
            .collect();
        v.sort_by_key(|x| x.0);
        Some(v.into_iter().map(|x| x.1.to_string()).collect())
    }

    #[test]
    fn agreement_satisfaction_and_frequency_in_scale_order() {
        assert_eq!(
            ordered(&[
                "そう思わない",
                "どちらともいえない",
                "ややそう思う",
                "そう思う",
                "わからない",
                "あまりそう思わない"
            ])
            .unwrap(),
            [
                "そう思う",
                "ややそう思う",
                "どちらともいえない",
                "あまりそう思わない",
                "そう思わない",
                "わからない"
            ]
        );
        assert_eq!(
            ordered(&["不満", "満足", "やや満足"]).unwrap(),
            ["満足", "やや満足", "不満"]
        );
        // Full-width digits, a half-width tilde, ・ written as ／, option numbers.
        assert_eq!(
            ordered(&["全くない", "週１回程度", "週4~5回以上", "月1回未満"]).unwrap(),
            ["週4~5回以上", "週１回程度", "月1回未満", "全くない"]
        );
        // The national wording keeps the national order; another wording runs from いつも.
        assert_eq!(
            ordered(&[
                "時々ある",
                "しばしばある／常にある",
                "決してない",
                "たまにある"
            ])
            .unwrap(),
            [
                "決してない",
                "たまにある",
                "時々ある",
                "しばしばある／常にある"
            ]
        );
        assert_eq!(
            ordered(&["3 時々", "1 いつも", "5 全くない", "よくある"]).unwrap(),
            ["1 いつも", "よくある", "3 時々", "5 全くない"]
        );
        assert_eq!(
            ordered(&[
                "あまり感じない",
                "とても感じる",
                "まったく感じない",
                "やや感じる"
            ])
            .unwrap(),
            [
                "とても感じる",
                "やや感じる",
                "あまり感じない",
                "まったく感じない"
            ]
        );
    }

    #[test]
    fn other_answers_are_no_scale() {
        assert_eq!(ranks(&["男性", "女性", "答えたくない"]), None);
        assert_eq!(ranks(&["北地区", "南地区", "中央地区"]), None);
        assert_eq!(ranks(&["はい", "いいえ"]), None);
        // One step only is no order.
        assert_eq!(ranks(&["そう思う", "わからない"]), None);
    }
}
