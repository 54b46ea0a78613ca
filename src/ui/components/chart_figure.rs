use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::i18n::{tr, use_lang};

use super::codebook_bar::download;
use crate::chart::Svg;

#[derive(Properties, PartialEq)]
pub struct ChartFigureProps {
    pub svg: Svg,
    /// File name without extension for the downloads.
    pub name: String,
    pub id: String,
}

/// A chart drawn by the engine (`chart::*_svg`), shown inline, and saved as SVG or PNG.
/// The SVG uses presentation attributes only, so the page's CSP needs no inline style;
/// the PNG is drawn from it on a canvas here, in the browser.
#[function_component]
pub fn ChartFigure(props: &ChartFigureProps) -> Html {
    let lang = use_lang();
    let svg = props.svg.clone();
    let file = safe_name(&props.name);
    let on_svg = {
        let (svg, file) = (svg.svg.clone(), file.clone());
        Callback::from(move |_: MouseEvent| {
            download(&format!("{file}.svg"), svg.as_bytes(), "image/svg+xml")
        })
    };
    let on_png = {
        let (svg, file) = (svg.clone(), file.clone());
        Callback::from(move |_: MouseEvent| save_png(&svg, &format!("{file}.png")))
    };
    html! {
        <figure class="chart" id={props.id.clone()}>
            { Html::from_html_unchecked(AttrValue::from(svg.svg.clone())) }
            <figcaption class="chart-actions">
                <button type="button" class="button small" onclick={on_svg} data-save="svg">{ tr(lang, "図を保存（SVG）", "Save chart (SVG)") }</button>
                <button type="button" class="button small" onclick={on_png} data-save="png">{ tr(lang, "図を保存（PNG）", "Save chart (PNG)") }</button>
            </figcaption>
        </figure>
    }
}

/// A file name without characters Windows refuses.
fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if "\\/:*?\"<>|\n\r\t".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    if s.trim().is_empty() {
        "chart".into()
    } else {
        s
    }
}

/// Draws the SVG on a canvas at twice its size (sharp in print) and saves it as PNG.
fn save_png(svg: &Svg, name: &str) {
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg.svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let (w, h, name) = (svg.width * 2.0, svg.height * 2.0, name.to_string());
    let img = image.clone();
    let url_for_load = url.clone();
    let onload = Closure::once(move || {
        let _ = web_sys::Url::revoke_object_url(&url_for_load);
        let document = gloo::utils::document();
        let Some(canvas) = document
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, w, h);
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w, h);
        let save = Closure::once(move |blob: JsValue| {
            if let Ok(blob) = blob.dyn_into::<web_sys::Blob>() {
                if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
                    if let Ok(a) = gloo::utils::document().create_element("a") {
                        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
                            a.set_href(&url);
                            a.set_download(&name);
                            a.click();
                        }
                    }
                    gloo::timers::callback::Timeout::new(30_000, move || {
                        let _ = web_sys::Url::revoke_object_url(&url);
                    })
                    .forget();
                }
            }
        });
        let _ = canvas.to_blob(save.as_ref().unchecked_ref());
        save.forget();
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&url);
}
