//! The SVG charts of `tsunagari::chart`, on real engine output (the coded fixture with its
//! codebook, and the bundled sample): every document parses as XML, carries its text
//! alternative, has no `style=`, keeps its text inside the viewBox, and its geometry
//! matches the numbers (segment widths ∝ row %, n per bar, legend order, 無回答 hatched,
//! multiple answers sorted, one national bar per category × edition). The SVGs are
//! written to target/chart-samples/ and, when chromium is installed, one of each kind is
//! rendered to PNG beside them for a visual check.

use std::path::PathBuf;

use roxmltree::{Document, Node};
use tsunagari::analysis::crosstab::CrosstabTable;
use tsunagari::analysis::national::{available, compare};
use tsunagari::analysis::{crosstab, tabulate, CrosstabSpec, Tabulation};
use tsunagari::chart::{bars_svg, histogram_svg, national_svg, stacked_svg, units, Svg};
use tsunagari::lang::Lang;
use tsunagari::model::question::Kind;
use tsunagari::model::Survey;

mod common;
use common::{coded_survey, sample_survey};

const NASTY: &str = "A&B <script> \"引用\" 'x' ＆";

fn f(n: Node, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("{attr} missing on {:?}", n.tag_name()))
        .parse()
        .unwrap()
}

fn class<'a>(doc: &'a Document, c: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(c))
        .collect()
}

fn text(n: Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// Checks common to every chart; returns the parsed document.
fn check(svg: &Svg) -> Document<'_> {
    let doc = Document::parse(&svg.svg).unwrap_or_else(|e| panic!("not XML: {e}\n{}", svg.svg));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(!root.attribute("aria-label").unwrap().is_empty());
    let (w, h) = (svg.width, svg.height);
    assert_eq!(f(root, "width"), w);
    assert_eq!(f(root, "height"), h);
    assert_eq!(root.attribute("viewBox").unwrap(), format!("0 0 {w} {h}"));
    let kids: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .take(2)
        .collect();
    assert_eq!(kids, ["title", "desc"]);
    let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(text(desc), svg.description);
    let mut ids = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(!["style", "script", "foreignObject"].contains(&n.tag_name().name()));
        for a in n.attributes() {
            assert_ne!(a.name(), "style", "style= attribute on {:?}", n.tag_name());
            assert!(!a.name().starts_with("on"), "event handler {}", a.name());
        }
        if let Some(id) = n.attribute("id") {
            assert!(!ids.contains(&id), "duplicate id {id}");
            ids.push(id);
        }
        // Every reference points at a defined pattern.
        if let Some(fill) = n.attribute("fill").and_then(|v| v.strip_prefix("url(#")) {
            let id = fill.trim_end_matches(')');
            assert!(doc
                .descendants()
                .any(|d| d.has_tag_name("pattern") && d.attribute("id") == Some(id)));
        }
        match n.tag_name().name() {
            "text" => {
                let (x, y, size) = (f(n, "x"), f(n, "y"), f(n, "font-size"));
                assert!(
                    (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
                    "text {:?} at ({x}, {y}) outside {w}×{h}",
                    text(n)
                );
                // Its estimated extent (full-width = 2 units of 0.55 em) too.
                let width = text(n).chars().map(units).sum::<usize>() as f64 * size * 0.55;
                let (left, right) = match n.attribute("text-anchor") {
                    Some("end") => (x - width, x),
                    Some("middle") => (x - width / 2.0, x + width / 2.0),
                    _ => (x, x + width),
                };
                assert!(
                    left >= -0.5 && right <= w + 0.5,
                    "text {:?} spans {left}..{right} of {w}",
                    text(n)
                );
                assert!(
                    y - size / 2.0 >= 0.0 && y + size / 2.0 <= h,
                    "text {:?} at y {y} of {h}",
                    text(n)
                );
            }
            "rect" if n.parent().is_some_and(|p| !p.has_tag_name("pattern")) => {
                let (x, y) = (f(n, "x"), f(n, "y"));
                let (rw, rh) = (f(n, "width"), f(n, "height"));
                assert!(
                    x >= 0.0 && y >= 0.0 && x + rw <= w + 0.01 && y + rh <= h + 0.01,
                    "rect outside"
                );
            }
            _ => {}
        }
    }
    doc
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/chart-samples");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn save(name: &str, svg: &Svg) {
    std::fs::write(out_dir().join(format!("{name}.svg")), &svg.svg).unwrap();
}

fn tabulations(survey: &Survey) -> Vec<Tabulation> {
    survey
        .model
        .questions
        .iter()
        .filter(|q| matches!(q.kind, Kind::Single | Kind::Multiple | Kind::Grid))
        .flat_map(|q| tabulate(survey, &q.id, None, None).unwrap_or_default())
        .collect()
}

fn check_bars(tab: &Tabulation) -> Svg {
    let svg = bars_svg(tab, Lang::Ja);
    let doc = check(&svg);
    let bars = class(&doc, "bar");
    assert_eq!(bars.len(), tab.categories.len());
    let widths: Vec<f64> = bars.iter().map(|b| f(*b, "width")).collect();
    let pcts: Vec<f64> = bars.iter().map(|b| f(*b, "data-percent")).collect();
    for (k, b) in bars.iter().enumerate() {
        let na = b.attribute("data-no-answer") == Some("true");
        assert_eq!(
            na,
            b.attribute("fill").unwrap().starts_with("url(#"),
            "無回答 and only it is hatched"
        );
        // Proportional (bars of 0 < w < 1 px are widened to 1 px to stay visible).
        if widths[k] > 1.0 {
            let k0 = (0..bars.len()).find(|&j| widths[j] > 1.0).unwrap();
            assert!((widths[k] / widths[k0] - pcts[k] / pcts[k0]).abs() < 0.01);
        }
    }
    if tab.multiple {
        let answered: Vec<f64> = bars
            .iter()
            .filter(|b| b.attribute("data-no-answer") == Some("false"))
            .map(|b| f(*b, "data-percent"))
            .collect();
        assert!(
            answered.windows(2).all(|w| w[0] >= w[1] - 0.01),
            "MR not sorted: {answered:?}"
        );
        assert!(class(&doc, "note")
            .iter()
            .any(|n| text(*n).contains("100%を超えます")));
    } else {
        let order: Vec<String> = tab
            .categories
            .iter()
            .map(|c| tsunagari::format::format_percent(c.percent.unwrap_or(0.0)))
            .collect();
        let shown: Vec<String> = class(&doc, "value")
            .iter()
            .map(|n| text(*n).split('%').next().unwrap().to_string())
            .collect();
        assert_eq!(order, shown);
    }
    svg
}

fn check_stacked(t: &CrosstabTable, row_title: &str, col_title: &str) -> Svg {
    let svg = stacked_svg(t, row_title, col_title, Lang::Ja);
    let doc = check(&svg);
    // Legend: one swatch per column, in column order, labels reading the columns' labels.
    let swatches = class(&doc, "legend-swatch");
    let order: Vec<usize> = swatches
        .iter()
        .map(|s| s.attribute("data-col").unwrap().parse().unwrap())
        .collect();
    assert_eq!(order, (0..t.cols.len()).collect::<Vec<_>>());
    let legend: String = class(&doc, "legend-label")
        .iter()
        .map(|n| text(*n))
        .collect();
    let expected: String = t.cols.iter().map(|c| c.label.replace(' ', "")).collect();
    assert_eq!(legend.replace(' ', ""), expected);
    for (j, c) in t.cols.iter().enumerate() {
        assert_eq!(
            c.no_answer,
            swatches[j].attribute("fill").unwrap().starts_with("url(#")
        );
    }
    // n on each bar.
    let ns: Vec<String> = class(&doc, "n").iter().map(|n| text(*n)).collect();
    let want: Vec<String> = t.row_base_counts.iter().map(|n| format!("n={n}")).collect();
    assert_eq!(ns, want);
    let segs = class(&doc, "seg");
    let totals: Vec<f64> = t
        .row_percent
        .iter()
        .map(|r| r.iter().flatten().sum())
        .collect();
    let over = totals.iter().any(|&s| s > 100.5);
    let mut full = None;
    for (i, row) in t.row_percent.iter().enumerate() {
        let mine: Vec<Node> = segs
            .iter()
            .copied()
            .filter(|s| s.attribute("data-row") == Some(&i.to_string()))
            .collect();
        assert_eq!(mine.len(), row.iter().flatten().count());
        if mine.is_empty() {
            continue;
        }
        let width: f64 = mine.iter().map(|s| f(*s, "width")).sum();
        // Segments abut, left to right in column order.
        for w in mine.windows(2) {
            assert!((f(w[0], "x") + f(w[0], "width") - f(w[1], "x")).abs() < 0.02);
            assert!(f(w[0], "data-col") < f(w[1], "data-col"));
        }
        if !over {
            // 100 %: every bar has the same full width, segments ∝ row %.
            let full = *full.get_or_insert(width);
            assert!((width - full).abs() < 0.05, "row {i}: {width} vs {full}");
            for s in &mine {
                let j: usize = s.attribute("data-col").unwrap().parse().unwrap();
                let p = row[j].unwrap();
                assert!(
                    (f(*s, "width") - p / 100.0 * full).abs() < 0.02,
                    "row {i} col {j}"
                );
                assert!((f(*s, "data-percent") - p).abs() < 0.01);
                assert_eq!(
                    t.cols[j].no_answer,
                    s.attribute("fill").unwrap().starts_with("url(#")
                );
            }
        }
        let labelled = row.iter().flatten().filter(|&&p| p >= 5.0).count();
        let y = f(mine[0], "y") + f(mine[0], "height") / 2.0;
        let labels = class(&doc, "seg-label")
            .into_iter()
            .filter(|n| (f(*n, "y") - y).abs() < 0.01)
            .count();
        assert_eq!(labels, labelled, "row {i}");
    }
    assert_eq!(
        over,
        class(&doc, "note")
            .iter()
            .any(|n| text(*n).contains("100%を超えます"))
    );
    svg
}

#[test]
fn bars_on_the_coded_fixture_and_the_sample() {
    let coded = coded_survey();
    let sample = sample_survey();
    let mut saw_mr = false;
    let mut saw_na = false;
    for (name, survey) in [("coded", &coded), ("sample", &sample)] {
        for (k, tab) in tabulations(survey).iter().enumerate() {
            let svg = check_bars(tab);
            saw_mr |= tab.multiple;
            saw_na |= tab.categories.iter().any(|c| c.no_answer && c.count > 0);
            save(&format!("bars-{name}-{k:02}"), &svg);
        }
    }
    assert!(saw_mr && saw_na);
    // The MR question of the fixture: 6 options, largest first.
    let q4 = &tabulate(&coded, "q4", None, None).unwrap()[0];
    assert!(q4.multiple);
    let svg = bars_svg(q4, Lang::Ja);
    assert!(svg.svg.find("特に参加はしていない").is_some());
}

#[test]
fn stacked_bars_of_real_crosstabs() {
    let coded = coded_survey();
    let cases = [
        ("q1", "sex"),
        ("sex", "q1"),
        ("q4", "sex"),
        ("sex", "q4"),
        ("q3", "sex"),
    ];
    for (r, c) in cases {
        let x = crosstab(&coded, &CrosstabSpec::new(r, c)).unwrap();
        for (k, t) in x.tables.iter().enumerate() {
            let svg = check_stacked(t, &x.row.title, &x.col.title);
            save(&format!("stacked-coded-{r}-{c}-{k}"), &svg);
        }
    }
    // q1 × sex: sex has no blank, q1's 無回答 is a row; sex × q1: q1's 無回答 is a column.
    let x = crosstab(&coded, &CrosstabSpec::new("sex", "q1")).unwrap();
    assert!(x.tables[0].cols.last().unwrap().no_answer);
    // A layer gives one chart per sub-table, its label in the title.
    let layered = crosstab(
        &coded,
        &CrosstabSpec {
            layer: Some("sex".into()),
            ..CrosstabSpec::new("q1", "q3")
        },
    )
    .unwrap();
    for t in &layered.tables {
        let svg = check_stacked(t, &layered.row.title, &layered.col.title);
        assert!(svg.description.contains(&t.layer.as_ref().unwrap().label));
    }

    let sample = sample_survey();
    let x = crosstab(
        &sample,
        &CrosstabSpec::new("年代", tsunagari::sample::Q_DIRECT),
    )
    .unwrap();
    let svg = check_stacked(&x.tables[0], &x.row.title, &x.col.title);
    save("stacked-sample-age-direct", &svg);
    let x = crosstab(
        &sample,
        &CrosstabSpec::new("性別", tsunagari::sample::Q_DIRECT),
    )
    .unwrap();
    save(
        "stacked-sample-sex-direct",
        &check_stacked(&x.tables[0], &x.row.title, &x.col.title),
    );
}

#[test]
fn national_comparison_bars() {
    let sample = sample_survey();
    let measures = available(&sample.model);
    assert!(measures.len() >= 3);
    for m in measures {
        let c = compare(&sample, m, None).unwrap();
        let svg = national_svg(&c, Lang::Ja);
        let doc = check(&svg);
        let bars = class(&doc, "bar");
        assert_eq!(
            bars.len(),
            c.rows.iter().map(|r| 1 + r.national.len()).sum::<usize>()
        );
        let values = class(&doc, "value");
        assert_eq!(values.len(), bars.len());
        let mut k = 0;
        for (ri, r) in c.rows.iter().enumerate() {
            let series: Vec<&str> = std::iter::once("本調査")
                .chain(r.national.iter().map(|e| e.edition.as_str()))
                .collect();
            let wanted: Vec<(f64, bool)> = std::iter::once((r.local_percent, true))
                .chain(r.national.iter().map(|e| (e.national_percent, e.verified)))
                .collect();
            for (s, (v, verified)) in series.iter().zip(wanted) {
                let b = bars[k];
                assert_eq!(b.attribute("data-category"), Some(ri.to_string().as_str()));
                assert_eq!(b.attribute("data-series"), Some(*s));
                assert!((f(b, "data-value") - v).abs() < 0.01, "{} {s}", r.category);
                let shown = text(values[k]);
                assert_eq!(
                    shown,
                    format!(
                        "{}{}",
                        tsunagari::format::format_percent(v),
                        if verified { "" } else { "*" }
                    )
                );
                k += 1;
            }
        }
        // Bar lengths share one scale.
        let per: Vec<f64> = bars
            .iter()
            .filter(|b| f(**b, "data-value") > 1.0)
            .map(|b| f(*b, "width") / f(*b, "data-value"))
            .collect();
        assert!(per.windows(2).all(|w| (w[0] - w[1]).abs() < 0.01));
        let unverified = c
            .rows
            .iter()
            .any(|r| r.national.iter().any(|e| !e.verified));
        assert_eq!(
            unverified,
            class(&doc, "note")
                .iter()
                .any(|n| text(*n).starts_with("* 全国値は未確認"))
        );
        save(&format!("national-sample-{m:?}"), &svg);
    }
    // The direct question: R6 only has three categories, unverified.
    let c = compare(
        &sample,
        tsunagari::analysis::national::Measure::Direct,
        None,
    )
    .unwrap();
    let svg = national_svg(&c, Lang::Ja);
    // R6's 4.3 is in two independent reports (checked), its 15.4 in one (marked).
    assert!(svg.svg.contains(r#"data-series="R6""#) && svg.svg.contains(">4.3<"));
    assert!(svg.svg.contains(">15.4*<"));
}

#[test]
fn labels_are_escaped_and_long_ones_wrap() {
    let coded = coded_survey();
    let long = "スポーツ・趣味・娯楽・教養・自己啓発などの活動に参加している人の中でも特に地域の行事に毎月参加している人（いわゆる常連）";
    let mut tab = tabulate(&coded, "q1", None, None).unwrap().remove(0);
    tab.title = format!("{NASTY} {long}");
    tab.categories[0].label = NASTY.into();
    tab.categories[1].label = long.into();
    let svg = check_bars(&tab);
    assert!(svg
        .svg
        .contains("A&amp;B &lt;script&gt; &quot;引用&quot; &apos;x&apos; ＆"));
    assert!(!svg.svg.contains("<script"));
    let doc = Document::parse(&svg.svg).unwrap();
    let labels: Vec<String> = class(&doc, "label").iter().map(|n| text(*n)).collect();
    assert!(labels.contains(&NASTY.to_string()));
    // The long label takes several lines, nothing lost, and its row is taller.
    let pieces: Vec<&String> = labels
        .iter()
        .filter(|l| long.contains(l.as_str()))
        .collect();
    assert!(pieces.len() >= 3);
    assert_eq!(pieces.iter().map(|s| s.as_str()).collect::<String>(), long);
    let bars = class(&doc, "bar");
    let gap = |k: usize| f(bars[k + 1], "y") - f(bars[k], "y");
    assert!(gap(1) > gap(2) + 20.0);
    save("bars-escaped", &svg);

    let x = crosstab(&coded, &CrosstabSpec::new("q1", "sex")).unwrap();
    let mut t = x.tables[0].clone();
    t.rows[0].label = NASTY.into();
    t.rows[1].label = long.into();
    t.cols[0].label = format!("{NASTY}{long}");
    let svg = check_stacked(&t, NASTY, long);
    assert!(svg.svg.contains("A&amp;B &lt;script&gt;"));
    save("stacked-escaped", &svg);

    let mut c = compare(
        &sample_survey(),
        tsunagari::analysis::national::Measure::Direct,
        None,
    )
    .unwrap();
    c.title = NASTY.into();
    c.rows[0].category = long.into();
    let svg = national_svg(&c, Lang::Ja);
    check(&svg);
    save("national-escaped", &svg);
}

/// Renders one chart of each kind to PNG with headless chromium when it is installed
/// (skipped quietly otherwise, or when it fails or takes over 20 s).
/// Towns' aggregates (a template run on the coded fixture and on the sample, then
/// disclosure control) side by side: one bar per town and one national bar, segment
/// widths ∝ %, the hidden 「x」 share as its own hatched segment with its legend entry.
#[test]
fn municipal_bars_from_real_aggregates() {
    use tsunagari::analysis::aggregate::{aggregate, Aggregate};
    use tsunagari::analysis::municipal::{compare, questions, TownShare};
    use tsunagari::chart::municipal_svg;
    use tsunagari::model::national::Item;
    let agg = |survey: &Survey, q: &str| {
        let t = tsunagari::analysis::AnalysisTemplate::from_json(&format!(
            r#"{{"format":"tsunagari-analysis","version":1,"tables":[{{"type":"tabulation","question":{}}}]}}"#,
            serde_json::to_string(q).unwrap()
        ))
        .unwrap();
        aggregate(survey, &t, Default::default())
    };
    let towns: Vec<(&str, Aggregate)> = vec![
        (NASTY, agg(&coded_survey(), "q1")),
        ("丙村", agg(&sample_survey(), tsunagari::sample::Q_DIRECT)),
    ];
    let files: Vec<(&str, &Aggregate)> = towns.iter().map(|(n, a)| (*n, a)).collect();
    let key = questions(&files)
        .into_iter()
        .find(|q| q.national == Some(Item::Direct))
        .unwrap()
        .key;
    let c = compare(&files, &key).unwrap();
    let svg = municipal_svg(&c, Lang::Ja);
    save("municipal", &svg);
    let doc = check(&svg);
    // One bar per town, then the national one.
    let labels: Vec<String> = class(&doc, "label").into_iter().map(text).collect();
    // R5's ほとんどない / 決してない are found in one source only: the row says so.
    assert_eq!(labels.last().map(String::as_str), Some("全国 R5（未確認）"));
    let ns: Vec<String> = class(&doc, "n").into_iter().map(text).collect();
    assert_eq!(ns, ["n=60", "n=1000", "n=11141"]);
    assert!(svg.description.contains(NASTY));
    // Widths ∝ %: one px per point everywhere, the hidden share included.
    let segs: Vec<_> = class(&doc, "seg")
        .into_iter()
        .chain(class(&doc, "seg-hidden"))
        .collect();
    let per_point = f(segs[0], "width") / f(segs[0], "data-percent");
    for s in &segs {
        assert!((f(*s, "width") - per_point * f(*s, "data-percent")).abs() < 0.02);
    }
    for (i, row) in c.rows.iter().enumerate() {
        let shown = row
            .cells
            .iter()
            .filter(|x| matches!(x, TownShare::Percent { .. }))
            .count();
        let drawn = class(&doc, "seg")
            .into_iter()
            .filter(|s| s.attribute("data-row") == Some(&i.to_string()))
            .count();
        assert_eq!(drawn, shown, "row {i}");
        let hidden: Vec<_> = class(&doc, "seg-hidden")
            .into_iter()
            .filter(|s| s.attribute("data-row") == Some(&i.to_string()))
            .collect();
        match row.hidden_percent {
            Some(p) => {
                assert_eq!(hidden.len(), 1);
                assert!((f(hidden[0], "data-percent") - p).abs() < 0.01);
                assert!(hidden[0].attribute("fill").unwrap().ends_with("-x)"));
            }
            None => assert!(hidden.is_empty()),
        }
        // A full bar: shown shares plus the hidden one make 100 %.
        let total: f64 = row
            .cells
            .iter()
            .filter_map(|x| match x {
                TownShare::Percent { percent, .. } => Some(*percent),
                _ => None,
            })
            .sum::<f64>()
            + row.hidden_percent.unwrap_or(0.0);
        assert!((total - 100.0).abs() < 1e-6, "row {i}: {total}");
    }
    assert!(
        c.rows[0].hidden_percent.is_some(),
        "the coded file hides two answers"
    );
    assert!(class(&doc, "legend-swatch")
        .iter()
        .any(|s| s.attribute("data-rest") == Some("hidden")));
}

#[test]
fn render_samples_to_png_when_chromium_is_there() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new("which")
                .arg(c)
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("no chromium: PNG rendering skipped");
        return;
    };
    let coded = coded_survey();
    let sample = sample_survey();
    let x = crosstab(
        &sample,
        &CrosstabSpec::new("年代", tsunagari::sample::Q_DIRECT),
    )
    .unwrap();
    let q4 = tabulate(&coded, "q4", None, None).unwrap().remove(0);
    let charts = [
        ("png-bars-mr", bars_svg(&q4, Lang::Ja)),
        (
            "png-stacked",
            stacked_svg(&x.tables[0], &x.row.title, &x.col.title, Lang::Ja),
        ),
        (
            "png-national",
            national_svg(
                &compare(
                    &sample,
                    tsunagari::analysis::national::Measure::Direct,
                    None,
                )
                .unwrap(),
                Lang::Ja,
            ),
        ),
    ];
    for (name, svg) in charts {
        save(name, &svg);
        let svg_path = out_dir().join(format!("{name}.svg"));
        let png = out_dir().join(format!("{name}.png"));
        let status = std::process::Command::new("timeout")
            .arg("20")
            .arg(chromium)
            .args([
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--hide-scrollbars",
            ])
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!(
                "--window-size={},{}",
                svg.width.ceil(),
                svg.height.ceil()
            ))
            .arg(format!("file://{}", svg_path.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => assert!(std::fs::metadata(&png).unwrap().len() > 1000),
            other => {
                eprintln!("chromium did not render {name}: {other:?}; skipped");
                return;
            }
        }
    }
}

/// Issue 15: a question crossed with a multiple answer as its columns is drawn as grouped
/// bars (one bar per option, its length the share of the group), never stacked: the
/// shares of a group total over 100 %.
#[test]
fn a_multiple_answer_as_columns_gives_grouped_bars() {
    let coded = coded_survey();
    let x = crosstab(&coded, &CrosstabSpec::new("sex", "q4")).unwrap();
    assert!(x.col.multiple);
    let t = &x.tables[0];
    let svg = tsunagari::chart::crosstab_svg(t, &x, Lang::Ja);
    save("grouped-coded-sex-q4", &svg);
    let doc = check(&svg);
    assert!(class(&doc, "seg").is_empty(), "no stacked segment");
    let bars = class(&doc, "bar");
    let drawn: usize = t.row_percent.iter().map(|r| r.len()).sum();
    assert_eq!(bars.len(), drawn, "one bar per group and option");
    let groups: Vec<String> = class(&doc, "group").into_iter().map(text).collect();
    let want: Vec<String> = t
        .rows
        .iter()
        .zip(&t.row_base_counts)
        .map(|(r, n)| format!("{}（n={n}）", r.label))
        .collect();
    assert_eq!(groups, want);
    // Bar lengths are proportional to the shares, on one scale for all groups.
    let mut per_unit = None;
    for b in &bars {
        let i: usize = b.attribute("data-group").unwrap().parse().unwrap();
        let j: usize = b.attribute("data-option").unwrap().parse().unwrap();
        let p = t.row_percent[i][j].unwrap_or(0.0);
        assert!((f(*b, "data-percent") - p).abs() < 0.01, "{p}");
        if p > 10.0 {
            // Lengths are written to 0.01 px: one scale for every group, to that precision.
            let u0 = *per_unit.get_or_insert(f(*b, "width") / p);
            assert!((f(*b, "width") - p * u0).abs() < 0.1, "one scale");
        }
    }
    let totals: Vec<f64> = t
        .row_percent
        .iter()
        .map(|r| r.iter().flatten().sum())
        .collect();
    assert!(
        totals.iter().any(|&s| s > 100.5),
        "the shares of a group total over 100"
    );
    assert!(svg.description.contains("複数回答"));
    // The other way round (options as rows, each the base of its row) stays stacked.
    let x = crosstab(&coded, &CrosstabSpec::new("q4", "sex")).unwrap();
    let svg = tsunagari::chart::crosstab_svg(&x.tables[0], &x, Lang::Ja);
    assert!(!class(&check(&svg), "seg").is_empty());
}

/// A numeric question's histogram: one bar per bin, in order, its data-count the bin's
/// count (all of them summing to n), heights proportional to the counts, the figures
/// (n, mean, SD, median, quartiles) in the text alternative. Not drawn for answers.
fn check_histogram(tab: &Tabulation) -> Svg {
    let s = tab.numeric.as_ref().expect("a numeric question");
    let svg = histogram_svg(tab, Lang::Ja).expect("a numeric question has a histogram");
    let doc = check(&svg);
    let bars = class(&doc, "bar");
    assert_eq!(bars.len(), s.histogram.len());
    let counts: Vec<u64> = bars.iter().map(|b| f(*b, "data-count") as u64).collect();
    let want: Vec<u64> = s.histogram.iter().map(|b| b.count).collect();
    assert_eq!(counts, want);
    assert_eq!(counts.iter().sum::<u64>(), s.n);
    let heights: Vec<f64> = bars.iter().map(|b| f(*b, "height")).collect();
    let top = counts.iter().copied().max().unwrap() as f64;
    let tallest = heights.iter().copied().fold(0.0, f64::max);
    for (h, c) in heights.iter().zip(&counts) {
        assert!((h / tallest - *c as f64 / top).abs() < 0.01, "{h} vs {c}");
    }
    // Bars left to right in bin order.
    let xs: Vec<f64> = bars.iter().map(|b| f(*b, "x")).collect();
    assert!(xs.windows(2).all(|w| w[0] < w[1]));
    assert!(
        svg.description.contains(&format!("n={}", s.n)),
        "{}",
        svg.description
    );
    assert!(svg.description.contains("平均") && svg.description.contains("中央値"));
    svg
}

#[test]
fn histograms_of_numeric_questions() {
    let sample = sample_survey();
    let score = tsunagari::model::national::UCLA_SCORE;
    let tab = &tabulate(&sample, score, None, None).unwrap()[0];
    let svg = check_histogram(tab);
    // Scores 3–12: one bar per score.
    assert_eq!(class(&Document::parse(&svg.svg).unwrap(), "bar").len(), 10);
    save("histogram-ucla", &svg);
    let forms = common::survey("tests/fixtures/google_forms.csv");
    let tab = &tabulate(&forms, "年齢", None, None).unwrap()[0];
    save("histogram-age", &check_histogram(tab));
    // A question of answers gets bars, not a histogram.
    let sex = &tabulate(&forms, "性別", None, None).unwrap()[0];
    assert!(histogram_svg(sex, Lang::Ja).is_none());
}
