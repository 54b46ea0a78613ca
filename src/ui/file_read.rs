//! Turning a browser `File` into engine input, in slices, so that a large file is never
//! one giant string and the page can show progress between slices. The bytes go from the
//! File into wasm memory and nowhere else.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::ingest::{CsvReader, Loaded, ReadError, ReadOptions};

/// Bytes read per slice of the File.
const SLICE: f64 = 4.0 * 1024.0 * 1024.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub bytes: f64,
    pub total: f64,
    pub rows: u64,
    pub elapsed_ms: f64,
}

/// Reads `file` slice by slice into the engine. `cancel` is checked between slices.
pub async fn read_file(
    file: web_sys::File,
    opts: ReadOptions,
    cancel: Rc<Cell<bool>>,
    on_progress: impl Fn(Progress),
) -> Result<Loaded, ReadError> {
    let total = file.size();
    let start = now();
    let mut reader = CsvReader::new(opts);
    let mut offset = 0.0;
    while offset < total {
        if cancel.get() {
            return Err(ReadError::Cancelled);
        }
        let end = (offset + SLICE).min(total);
        let bytes = slice_bytes(&file, offset, end).await?;
        reader.push(&bytes)?;
        offset = end;
        on_progress(Progress {
            bytes: offset,
            total,
            rows: reader.rows_read(),
            elapsed_ms: now() - start,
        });
    }
    reader.finish()
}

async fn slice_bytes(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, ReadError> {
    let fail = |what: &str| ReadError::Workbook {
        detail: format!("ブラウザがファイルを読めませんでした: {what}"),
    };
    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| fail("slice"))?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| fail("arrayBuffer"))?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().map_err(|_| fail("ArrayBuffer"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
