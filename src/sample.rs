//! The bundled sample survey: **fictitious** responses in the shape of the national
//! questionnaire (人々のつながりに関する基礎調査), generated here with a fixed seed so that
//! a newcomer sees every view work before finding a file of their own. No real person's
//! answers are in it; the marginal shares only loosely follow the national R4 figures.

/// File name shown in the app; it says the data is fictitious.
pub const FILE_NAME: &str = "サンプル（架空の調査データ）.csv";
/// Respondents in the sample.
pub const ROWS: usize = 1000;
// Grouped as the date it is (2024-12-01).
#[allow(clippy::inconsistent_digit_grouping)]
const SEED: u64 = 2024_12_01;

pub const Q_DIRECT: &str = "問1 あなたはどの程度、孤独であると感じることがありますか。";
pub const DIRECT_OPTIONS: [&str; 5] = [
    "決してない",
    "ほとんどない",
    "たまにある",
    "時々ある",
    "しばしばある・常にある",
];
pub const Q_UCLA: [&str; 3] = [
    "問2_1 あなたは、自分には人とのつきあいがないと感じることがありますか",
    "問2_2 あなたは、自分は取り残されていると感じることがありますか",
    "問2_3 あなたは、自分は他の人たちから孤立していると感じることがありますか",
];
pub const UCLA_OPTIONS: [&str; 4] = ["決してない", "ほとんどない", "時々ある", "常にある"];
const CONTACT: [&str; 7] = [
    "週4～5回以上",
    "週2～3回程度",
    "週1回程度",
    "2週間に1回程度",
    "月1回程度",
    "月1回未満",
    "全くない",
];
const ACTIVITIES: [&str; 6] = [
    "問4_1 スポーツ・趣味・娯楽・教養・自己啓発などの活動",
    "問4_2 ボランティア活動",
    "問4_3 自治会・町内会などの地域活動",
    "問4_4 子育て・教育関連の活動",
    "問4_5 その他",
    "問4_6 特に参加はしていない",
];
const AGES: [(&str, f64); 8] = [
    ("16～19歳", 4.0),
    ("20～29歳", 10.0),
    ("30～39歳", 12.0),
    ("40～49歳", 15.0),
    ("50～59歳", 16.0),
    ("60～69歳", 16.0),
    ("70～79歳", 17.0),
    ("80歳以上", 10.0),
];
const FREE_TEXT: [&str; 6] = [
    "近所に気軽に集まれる場所がほしい。",
    "相談窓口があることを、もっと知らせてほしいです。",
    "仕事が忙しく、地域の活動には参加できていません。",
    "子どもが独立してから、話し相手が減りました。\n電話で話せる場があると助かります。",
    "「居場所」と言われても、どこに行けばいいか分かりません。",
    "特になし、ありがとうございました",
];

/// Four rows as Excel saves CSV on a Japanese Windows PC (CP932, CRLF, with ～ and the
/// IBM-extension 髙; a paper survey's integer codes with 9 for no answer, an age): the
/// reading worker reads them in its warm-up so that the decoding and inference of such
/// files are compiled before the first one comes (`ui::worker`).
pub const CP932_ROWS: &[u8] = b"\x89\xf1\x93\x9a\x8e\xd2ID,\x90\xab\x95\xca,\x94N\x91\xe3,\x8b\x8f\x8fZ\x92n\x8b\xe6,\x96\xe21 \x8c\xc7\x93\xc6\x8a\xb4,\x96\xe22,\x94N\x97\xee\x0d\x0a1,\x92j\x90\xab,20\x81`29\x8d\xce,\xee\xe0\x93\x87\x92\xac,\x82\xb5\x82\xce\x82\xb5\x82\xce\x82\xa0\x82\xe9,1,24\x0d\x0a2,\x8f\x97\x90\xab,30\x81`39\x8d\xce,\x92\x86\x89\x9b,\x82\xc8\x82\xa2,2,35\x0d\x0a3,\x8f\x97\x90\xab,70\x8d\xce\x88\xc8\x8f\xe3,\xee\xe0\x93\x87\x92\xac,\x8e\x9e\x81X\x82\xa0\x82\xe9,9,71\x0d\x0a4,\x92j\x90\xab,40\x81`49\x8d\xce,\x92\x86\x89\x9b,\x82\xc8\x82\xa2,1,43\x0d\x0a";

/// The sample survey as a UTF-8 CSV with a BOM and CRLF, as Excel would save it.
pub fn csv_bytes() -> Vec<u8> {
    csv_rows(ROWS)
}

/// The sample's first `rows` respondents, as `csv_bytes` writes them.
pub fn csv_rows(rows: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut header = vec![
            "回答者ID",
            "性別",
            "年代",
            "配偶者の有無",
            "世帯構成",
            "居住地区",
            "居住年数",
            Q_DIRECT,
        ];
        header.extend(Q_UCLA);
        header.push("問3 家族や友人と直接会って話すことはどのくらいありますか");
        header.extend(ACTIVITIES);
        header.push("問5 困ったときに相談できる人はいますか");
        header.push("問6 孤独・孤立について、ご意見があればご自由にお書きください");
        w.write_record(&header)
            .expect("writing to a Vec cannot fail");
        for i in 0..rows {
            let record = respondent(&mut rng, i);
            w.write_record(&record)
                .expect("writing to a Vec cannot fail");
        }
        w.flush().expect("writing to a Vec cannot fail");
    }
    out
}

fn respondent(rng: &mut fastrand::Rng, i: usize) -> Vec<String> {
    let sex = pick(
        rng,
        &[
            ("男性", 47.0),
            ("女性", 51.0),
            ("その他・答えたくない", 1.5),
            ("", 0.5),
        ],
    );
    let age_i = pick_index(rng, &AGES.map(|a| a.1));
    let young = age_i <= 2;
    let marital = if age_i == 0 {
        "未婚"
    } else {
        let widowed = if age_i >= 6 { 18.0 } else { 2.0 };
        let never = if young { 55.0 } else { 15.0 };
        pick(
            rng,
            &[
                ("配偶者あり", 60.0),
                ("未婚", never),
                ("離別", 6.0),
                ("死別", widowed),
                ("", 0.8),
            ],
        )
    };
    let household = pick(
        rng,
        &[
            (
                "一人暮らし",
                if marital == "配偶者あり" {
                    2.0
                } else {
                    30.0
                },
            ),
            ("夫婦のみ", 25.0),
            ("二世代", 35.0),
            ("三世代", 7.0),
            ("その他", 4.0),
        ],
    );
    let area = pick(
        rng,
        &[("北部地区", 30.0), ("中部地区", 45.0), ("南部地区", 25.0)],
    );
    let years = if rng.f64() < 0.02 {
        String::new()
    } else {
        (1 + rng.usize(..(10 + age_i * 9))).to_string()
    };

    // Loneliness leans higher for younger, unpartnered and single-person households.
    let mut risk = 0.0;
    if young {
        risk += 0.6;
    }
    if marital != "配偶者あり" {
        risk += 0.5;
    }
    if household == "一人暮らし" {
        risk += 0.4;
    }
    if age_i >= 6 {
        risk -= 0.3;
    }
    let lift = f64::exp(risk);
    let direct_weights = [18.4 / lift, 40.6, 19.6 * lift, 15.8 * lift, 4.9 * lift];
    let direct = if rng.f64() < 0.008 {
        None
    } else {
        Some(pick_index(rng, &direct_weights))
    };

    let ucla = |rng: &mut fastrand::Rng| -> String {
        if rng.f64() < 0.012 {
            return String::new();
        }
        let level = direct.unwrap_or(1) as f64;
        let code = (1.0 + level * 0.6 + (rng.f64() - 0.5) * 1.8)
            .round()
            .clamp(1.0, 4.0) as usize;
        UCLA_OPTIONS[code - 1].to_string()
    };
    let u: Vec<String> = (0..3).map(|_| ucla(rng)).collect();

    let contact_w = [10.0, 12.0, 18.0, 15.0, 17.0, 17.0, 9.0 * lift];
    let contact = if rng.f64() < 0.01 {
        ""
    } else {
        CONTACT[pick_index(rng, &contact_w)]
    };

    let mut acts: Vec<&str> = [28.0, 9.0, 14.0, 6.0, 4.0]
        .iter()
        .map(|&p| {
            if rng.f64() * 100.0 < p / lift {
                "1"
            } else {
                "0"
            }
        })
        .collect();
    let none = acts.iter().all(|&a| a == "0");
    acts.push(if none { "1" } else { "0" });

    let consult = pick(
        rng,
        &[("いる", 88.0 / lift), ("いない", 10.0 * lift), ("", 1.0)],
    );
    let text = if rng.f64() < 0.12 {
        FREE_TEXT[rng.usize(..FREE_TEXT.len())]
    } else {
        ""
    };

    let mut row = vec![
        format!("S{:04}", i + 1),
        sex.to_string(),
        AGES[age_i].0.to_string(),
        marital.to_string(),
        household.to_string(),
        area.to_string(),
        years,
        direct
            .map(|d| DIRECT_OPTIONS[d].to_string())
            .unwrap_or_default(),
    ];
    row.extend(u);
    row.push(contact.to_string());
    row.extend(acts.iter().map(|a| a.to_string()));
    row.push(consult.to_string());
    row.push(text.to_string());
    row
}

fn pick_index(rng: &mut fastrand::Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.f64() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

fn pick<'a>(rng: &mut fastrand::Rng, options: &[(&'a str, f64)]) -> &'a str {
    let weights: Vec<f64> = options.iter().map(|o| o.1).collect();
    options[pick_index(rng, &weights)].0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_bytes, ReadOptions};

    #[test]
    fn the_sample_is_the_same_every_time_and_reads_cleanly() {
        let a = csv_bytes();
        assert_eq!(
            a,
            csv_bytes(),
            "fixed seed: the sample never changes between builds"
        );
        let loaded = read_bytes(&a, ReadOptions::default()).unwrap();
        assert_eq!(loaded.table.rows, ROWS);
        assert_eq!(loaded.table.columns.len(), 20);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let direct = loaded.table.column(Q_DIRECT).unwrap();
        // Every option of the direct question is used.
        for option in DIRECT_OPTIONS {
            assert!(direct.values.iter().any(|v| &**v == option), "{option}");
        }
    }

    #[test]
    fn the_cp932_rows_read_as_cp932() {
        let loaded = read_bytes(CP932_ROWS, ReadOptions::default()).unwrap();
        assert_eq!(loaded.info.encoding_label, "Shift_JIS");
        assert_eq!(loaded.table.rows, 4);
        let place = loaded.table.column("居住地区").unwrap();
        assert!(place.values.iter().any(|v| &**v == "髙島町"));
        let age = loaded.table.column("年代").unwrap();
        assert!(age.values.iter().any(|v| &**v == "20～29歳"));
        // The integer codes' 9 is guessed as no answer (the path the warm-up is for).
        let survey = crate::model::Survey::infer(loaded.table);
        let q2 = survey.question("問2").expect("問2 is a question");
        assert!(q2.values.iter().any(|v| v.code == "9" && v.guessed));
    }
}
