//! Component tests of the Yew app in headless Chromium (wasm-bindgen-test). They drive the
//! real components through DOM events: a file dropped on the drop zone, the sample button,
//! a column click.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{DataTransfer, DragEvent, DragEventInit, Element, File, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh app and returns its root.
fn mount() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<tsunagari::ui::App>::with_root(root.clone()).render();
    root
}

async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(e) = root.query_selector(selector).unwrap() {
            return e;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    panic!("{selector} never appeared; page: {}", root.inner_html());
}

fn table_rows(root: &Element) -> Vec<Vec<String>> {
    let rows = root.query_selector_all("#tab-table tbody tr").unwrap();
    (0..rows.length())
        .map(|i| {
            let tr: Element = rows.item(i).unwrap().dyn_into().unwrap();
            let cells = tr.query_selector_all("th,td").unwrap();
            // Answer, count, % (the valid-% column is left out here).
            (0..cells.length().min(3))
                .map(|j| cells.item(j).unwrap().text_content().unwrap())
                .collect()
        })
        .collect()
}

fn file(bytes: &[u8], name: &str) -> File {
    let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    File::new_with_u8_array_sequence(&array, name).unwrap()
}

#[wasm_bindgen_test]
async fn dropping_a_cp932_file_shows_its_tabulation() {
    let root = mount();
    let zone = wait_for(&root, ".drop-zone").await;
    // 性別 with ～ and 髙 in other columns; CP932 bytes as Excel writes them.
    let (bytes, _, _) = encoding_rs::SHIFT_JIS
        .encode("ID,性別,年代\r\n1,女性,20～29歳\r\n2,男性,髙齢\r\n3,女性,\r\n4,,20～29歳\r\n");
    let transfer = DataTransfer::new().unwrap();
    transfer
        .items()
        .add_with_file(&file(&bytes, "test.csv"))
        .unwrap();
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    let drop = DragEvent::new_with_event_init_dict("drop", &init).unwrap();
    zone.dispatch_event(&drop).unwrap();

    wait_for(&root, "#tab-table").await;
    assert!(root
        .query_selector("#encoding")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
        .contains("CP932"));
    assert_eq!(
        table_rows(&root),
        vec![
            // 性別 is the national item: 男性 first, whatever the file's order.
            vec!["男性".to_string(), "1".into(), "25.0".into()],
            vec!["女性".into(), "2".into(), "50.0".into()],
            vec!["無回答".into(), "1".into(), "25.0".into()],
        ]
    );
    // The ID column is listed apart, left out of tables as personal.
    assert!(root
        .query_selector("#excluded-questions button[data-id='ID']")
        .unwrap()
        .is_some());
    // Choosing another question shows its tabulation, ～ intact.
    let age: HtmlElement = root
        .query_selector("#questions button[data-id='年代']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    age.click();
    wait_for(&root, "#tab-table[data-column='年代']").await;
    let rows = table_rows(&root);
    assert_eq!(
        rows[0],
        vec!["20～29歳".to_string(), "2".into(), "50.0".into()]
    );
    assert_eq!(rows[1][0], "髙齢");
}

#[wasm_bindgen_test]
async fn the_sample_button_loads_the_fictitious_survey() {
    let root = mount();
    let button: HtmlElement = wait_for(&root, "#sample-button").await.dyn_into().unwrap();
    button.click();
    wait_for(&root, "#fictitious-badge").await;
    // The tabulation arrives from the engine after the summary.
    wait_for(&root, "#tab-table tbody tr").await;
    assert_eq!(
        root.query_selector("#row-count")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "1,000"
    );
    let total: u64 = table_rows(&root)
        .iter()
        .map(|r| r[1].replace(',', "").parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 1000, "the tabulation covers every respondent");
    assert!(root.query_selector("#bar-chart rect").unwrap().is_some());
}

/// The preview of the first rows is drawn when the user opens it, not with the results: for
/// a wide survey its cells were over half the page's elements, built before the first
/// table could be shown. Opened, it shows every column and the rows it announces.
#[wasm_bindgen_test]
async fn the_preview_table_is_drawn_when_opened() {
    let root = mount();
    let button: HtmlElement = wait_for(&root, "#sample-button").await.dyn_into().unwrap();
    button.click();
    wait_for(&root, "#tab-table tbody tr").await;
    let details = root.query_selector("details.preview").unwrap().unwrap();
    assert!(
        !details.has_attribute("open"),
        "a file read without doubt: closed"
    );
    assert!(
        root.query_selector("#preview-table").unwrap().is_none(),
        "closed, the preview holds no table"
    );
    let summary: HtmlElement = details
        .query_selector("summary")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let announced: usize = summary
        .text_content()
        .unwrap()
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("the summary says how many rows");
    summary.click();
    let table = wait_for(&root, "#preview-table").await;
    let bytes = tsunagari::sample::csv_bytes();
    let text = String::from_utf8_lossy(&bytes);
    let header: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .split(',')
        .collect();
    let names = table.query_selector_all("thead th").unwrap();
    assert_eq!(names.length() as usize, header.len());
    assert_eq!(
        names.item(0).unwrap().text_content().unwrap(),
        header[0].trim_matches('"')
    );
    assert_eq!(
        table.query_selector_all("tbody tr").unwrap().length() as usize,
        announced
    );
    assert!(announced > 0);
}

#[wasm_bindgen_test]
async fn a_binary_file_gives_an_error_and_no_table() {
    let root = mount();
    // The drop path again, with a PNG renamed .csv.
    let zone = wait_for(&root, ".drop-zone").await;
    let transfer = DataTransfer::new().unwrap();
    transfer
        .items()
        .add_with_file(&file(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.csv"))
        .unwrap();
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_data_transfer(Some(&transfer));
    zone.dispatch_event(&DragEvent::new_with_event_init_dict("drop", &init).unwrap())
        .unwrap();
    let error = wait_for(&root, "#read-error").await;
    assert!(error.text_content().unwrap().contains("PNG"));
    assert!(root.query_selector("#tab-table").unwrap().is_none());
}

fn drop_file(zone: &Element, bytes: &[u8], name: &str) {
    let transfer = DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file(bytes, name)).unwrap();
    let init = DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    zone.dispatch_event(&DragEvent::new_with_event_init_dict("drop", &init).unwrap())
        .unwrap();
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap())
        .unwrap_or_default()
}

/// Issue 14: a stray quote in row 11 of 300 (CP932, CRLF). The load summary shows an
/// error-level notice with the row, line and column and the repair button; the button
/// reads the file again with the quote as a character: 300 respondents, the repair said
/// among the notes, the error gone.
#[wasm_bindgen_test]
async fn a_runaway_quote_is_an_error_notice_and_its_button_reads_every_row() {
    let root = mount();
    let zone = wait_for(&root, ".drop-zone").await;
    let mut text = String::from("ID,性別,ご意見\r\n");
    for i in 1..=300 {
        let opinion = if i == 11 { "\"駅が遠い" } else { "なし" };
        text.push_str(&format!("{i},{},{opinion}\r\n", ["女性", "男性"][i % 2]));
    }
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    drop_file(&zone, &bytes, "stray.csv");
    let severe = wait_for(&root, "#severe-warnings").await;
    assert_eq!(text_of(&root, "#row-count"), "11");
    let said = severe.text_content().unwrap();
    assert!(
        said.contains("データの 11 行目（ファイルの 12 行目）、3 列目「ご意見」"),
        "{said}"
    );
    assert!(root.query_selector(".bad-count").unwrap().is_some());
    let button: HtmlElement = wait_for(&root, "#literal-quote-button")
        .await
        .dyn_into()
        .unwrap();
    button.click();
    for _ in 0..200 {
        if text_of(&root, "#row-count") == "300" {
            break;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(text_of(&root, "#row-count"), "300");
    assert!(root.query_selector("#severe-warnings").unwrap().is_none());
    assert!(root.query_selector(".bad-count").unwrap().is_none());
    let notes = text_of(&root, ".warnings");
    assert!(notes.contains("ふつうの文字として読みました"), "{notes}");
    // The encoding was detected the same way the second time.
    assert!(text_of(&root, "#encoding").contains("CP932"));
}

/// The same stray quote where the rest of the file is larger than a cell may be (1 MB):
/// reading stops with the cell's place, and the button on the error reads every row.
#[wasm_bindgen_test]
async fn a_cell_too_large_offers_the_same_repair() {
    let root = mount();
    let zone = wait_for(&root, ".drop-zone").await;
    let mut text = String::from("ID,性別,ご意見\r\n");
    for i in 1..=60_000 {
        let opinion = if i == 3 { "\"駅が遠い" } else { "なし" };
        text.push_str(&format!("{i},{},{opinion}\r\n", ["女性", "男性"][i % 2]));
    }
    assert!(text.len() > 1_000_000);
    drop_file(&zone, text.as_bytes(), "large.csv");
    let error = wait_for(&root, "#read-error").await;
    assert!(
        error
            .text_content()
            .unwrap()
            .contains("--literal-quote 3:3"),
        "{}",
        error.text_content().unwrap()
    );
    let button: HtmlElement = wait_for(&root, "#literal-quote-button")
        .await
        .dyn_into()
        .unwrap();
    button.click();
    for _ in 0..500 {
        if text_of(&root, "#row-count") == "60,000" {
            break;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(text_of(&root, "#row-count"), "60,000");
    assert!(root.query_selector("#read-error").unwrap().is_none());
}

/// A numeric question shows n, mean and quartiles and a histogram, its value-by-value
/// table folded under 「度数表を表示」.
#[wasm_bindgen_test]
async fn a_numeric_question_shows_its_summary_and_histogram() {
    let root = mount();
    let zone = wait_for(&root, ".drop-zone").await;
    // Ten ages, mean 48.7; numpy.quantile(..., .5) = 46.0.
    let csv = "性別,年齢\n女性,18\n男性,25\n女性,31\n男性,40\n女性,40\n男性,52\n女性,60\n男性,67\n女性,73\n男性,81\n";
    drop_file(&zone, csv.as_bytes(), "ages.csv");
    wait_for(&root, "#tab-table").await;
    let age: HtmlElement = root
        .query_selector("#questions button[data-id='年齢']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    age.click();
    wait_for(&root, "#numeric-summary[data-column='年齢']").await;
    let summary = text_of(&root, "#numeric-summary");
    assert!(
        summary.contains("48.70") && summary.contains("46"),
        "{summary}"
    );
    let bars = root
        .query_selector_all("#histogram-chart rect.bar")
        .unwrap();
    let total: u64 = (0..bars.length())
        .map(|i| {
            let bar: Element = bars.item(i).unwrap().dyn_into().unwrap();
            bar.get_attribute("data-count")
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, 10, "the histogram's bars hold every respondent");
    // The table of values is there, folded.
    assert!(root
        .query_selector("#frequency-table #tab-table")
        .unwrap()
        .is_some());
    assert!(root.query_selector("#bar-chart").unwrap().is_none());
}
