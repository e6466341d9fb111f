//! Image preparation exports: the pure-Rust codec (`crates/imaging`) behind `prepareImage()`
//! (module `codec`), and for the browser's canvas codec the image crate's decisions (module
//! `main`): header probe and plan, the chunk-fed structure check, the budget search. Option rules
//! live in `core::prepare`, the size/quality policy in `crates/imaging`. Convert and delegate.

#[cfg(feature = "main")]
use crate::convert::options_to_json;
use crate::convert::{error_to_js, set};
#[cfg(feature = "main")]
use vehicle_doc_ocr_core::prepare::{self, PrepareSettings};
use vehicle_doc_ocr_core::{ErrorCode, OcrError};
use vehicle_doc_ocr_imaging as imaging;
use wasm_bindgen::prelude::*;

pub(crate) fn image_error(e: imaging::ImageError) -> OcrError {
    let code = match e.kind {
        imaging::ImageErrorKind::Unsupported => ErrorCode::UnsupportedFormat,
        imaging::ImageErrorKind::TooLarge => ErrorCode::ImageTooLarge,
        _ => ErrorCode::InvalidImage,
    };
    OcrError::new(code, e.message).with_retryable(false)
}

/// The image crate's options from the caller's settings (unset values keep the policy defaults).
#[cfg(feature = "main")]
fn imaging_options(s: &PrepareSettings) -> imaging::PrepareOptions {
    let d = imaging::PrepareOptions::default();
    let max_quality = s.max_quality.unwrap_or(d.max_quality);
    imaging::PrepareOptions {
        max_base64_chars: s.max_base64_chars,
        max_long_side_px: s.max_long_side_px.unwrap_or(d.max_long_side_px),
        max_source_pixels: s.max_source_pixels.unwrap_or(d.max_source_pixels),
        min_quality: s.min_quality.unwrap_or(d.min_quality).min(max_quality),
        max_quality,
        apply_orientation: true,
        max_progressive_coeff_bytes: s
            .max_decode_memory_bytes
            .unwrap_or(d.max_progressive_coeff_bytes),
        target: s.target.unwrap_or(d.target),
        text_height_px: None,
    }
}

/// Check `prepareImage()` options; returns the effective settings (see [`settings_to_js`]).
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = prepareSettings)]
pub fn prepare_settings(options: JsValue) -> Result<JsValue, JsValue> {
    options_to_json(&options)
        .and_then(|value| prepare::parse(&value, "", None))
        .map(|s| settings_to_js(&s))
        .map_err(|e| error_to_js(&e))
}

/// The effective settings `{ codec, target, maxBase64Chars, maxLongSidePx, maxSourcePixels,
/// minQuality, maxQuality, maxDecodeMemoryBytes }`: what the browser codec and `prepareWasm` take.
#[cfg(feature = "main")]
pub fn settings_to_js(settings: &PrepareSettings) -> JsValue {
    let opts = imaging_options(settings);
    let o = js_sys::Object::new();
    set(&o, "codec", &JsValue::from_str(settings.codec.as_str()));
    set(&o, "target", &JsValue::from_str(opts.target.as_str()));
    set(
        &o,
        "maxBase64Chars",
        &JsValue::from(opts.max_base64_chars as f64),
    );
    set(&o, "maxLongSidePx", &JsValue::from(opts.max_long_side_px));
    set(
        &o,
        "maxSourcePixels",
        &JsValue::from(opts.max_source_pixels as f64),
    );
    set(&o, "minQuality", &JsValue::from(opts.min_quality));
    set(&o, "maxQuality", &JsValue::from(opts.max_quality));
    set(
        &o,
        "maxDecodeMemoryBytes",
        &JsValue::from(opts.max_progressive_coeff_bytes as f64),
    );
    o.into()
}

/// Prepare image bytes with the pure-Rust codec. `settings` is what `prepareSettings` returned.
/// Returns `{ bytes, base64, width, height, quality, sourceWidth, sourceHeight, sourceFormat,
/// orientationApplied, encodes, passthrough }`.
#[cfg(feature = "codec")]
#[wasm_bindgen(js_name = prepareWasm)]
pub fn prepare_wasm(bytes: &[u8], settings: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = crate::convert::prepare_options(&settings)?;
        let p = imaging::prepare(bytes, &opts).map_err(image_error)?;
        Ok(prepared_to_js(&p))
    };
    run().map_err(|e| error_to_js(&e))
}

/// Encode already-decoded, upright RGBA pixels (from a browser canvas) under the budget with the
/// pure-Rust encoder: used when the canvas cannot encode JPEG itself.
#[cfg(feature = "codec")]
#[wasm_bindgen(js_name = prepareRgbaWasm)]
pub fn prepare_rgba_wasm(
    rgba: &[u8],
    width: u32,
    height: u32,
    settings: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = crate::convert::prepare_options(&settings)?;
        let p = imaging::prepare_rgba(rgba, width, height, &opts).map_err(image_error)?;
        Ok(prepared_to_js(&p))
    };
    run().map_err(|e| error_to_js(&e))
}

fn prepared_to_js(p: &imaging::Prepared) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "bytes", &js_sys::Uint8Array::from(p.jpeg.as_slice()));
    set(
        &o,
        "base64",
        &JsValue::from_str(&vehicle_doc_ocr_core::wire::base64_standard(&p.jpeg)),
    );
    set(&o, "width", &JsValue::from(p.width));
    set(&o, "height", &JsValue::from(p.height));
    set(
        &o,
        "quality",
        &p.quality.map(JsValue::from).unwrap_or(JsValue::NULL),
    );
    set(&o, "sourceWidth", &JsValue::from(p.source_width));
    set(&o, "sourceHeight", &JsValue::from(p.source_height));
    set(
        &o,
        "sourceFormat",
        &JsValue::from_str(p.source_format.as_str()),
    );
    set(
        &o,
        "orientationApplied",
        &JsValue::from(p.orientation_applied),
    );
    set(&o, "encodes", &JsValue::from(p.encodes));
    set(&o, "passthrough", &JsValue::from_bool(p.passthrough));
    // Only bytes passed through keep their own type; everything encoded here is a JPEG.
    let mime = if p.passthrough {
        p.source_format.mime()
    } else {
        "image/jpeg"
    };
    set(&o, "mimeType", &JsValue::from_str(mime));
    o.into()
}

/// Base64 of bytes (standard alphabet, padded), for results prepared by the browser codec.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = base64Encode)]
pub fn base64_encode(bytes: &[u8]) -> String {
    vehicle_doc_ocr_core::wire::base64_standard(bytes)
}

// ---------------------------------------------------------------------------------------------
// The browser codec's decisions (main module: the canvas codec must not load the codec module
// just to decide).

/// `codec: "none"` in the browser: the bytes back untouched after the structure check (see
/// `imaging::pass_as_is`).
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = prepareAsIs)]
pub fn prepare_as_is(bytes: &[u8], settings: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = crate::convert::prepare_options(&settings)?;
        Ok(prepared_to_js(
            &imaging::pass_as_is(bytes, &opts).map_err(image_error)?,
        ))
    };
    run().map_err(|e| error_to_js(&e))
}

/// Throws the typed error of bytes a browser could not decode (not an image, cut short, HEIC's
/// message: `imaging::verify_structure`, no budget, nothing copied back); the quality report's
/// explanation when the canvas cannot decode a file.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = checkImage)]
pub fn check_image(bytes: &[u8]) -> Result<(), JsValue> {
    imaging::verify_structure(bytes)
        .map(|_| ())
        .map_err(|e| error_to_js(&image_error(e)))
}

/// The plan for a file of `byteLength` bytes from its first bytes `head` (see
/// `imaging::preflight::plan`; the output within the browser's canvas limit): `{ format, width,
/// height, orientation, targetWidth, targetHeight, dct, numerator, mayPassThrough, commonJpeg }`.
/// HEIC/AVIF is planned (for a browser that may decode it) only with `heifDecoder`; without it,
/// it throws the one HEIC message. With an empty `head`: the plan of `width`×`height` pixels
/// already decoded (a drawable, a HEIF bitmap): the pixel cap, then `{ targetWidth,
/// targetHeight }` (one export for both keeps the main module small).
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = imagePlan)]
pub fn image_plan(
    head: &[u8],
    byte_length: f64,
    settings: JsValue,
    heif_decoder: bool,
    width: u32,
    height: u32,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = crate::convert::prepare_options(&settings)?;
        let max = imaging::preflight::BROWSER_MAX_CANVAS_PIXELS;
        let o = js_sys::Object::new();
        if head.is_empty() {
            let t =
                imaging::preflight::pixels_plan(width, height, &opts, max).map_err(image_error)?;
            set(&o, "targetWidth", &JsValue::from(t.width));
            set(&o, "targetHeight", &JsValue::from(t.height));
            return Ok(o.into());
        }
        let p = imaging::preflight::plan(head, byte_length as u64, &opts, max, heif_decoder)
            .map_err(image_error)?;
        set(&o, "format", &JsValue::from_str(p.info.format.as_str()));
        set(&o, "width", &JsValue::from(p.info.width));
        set(&o, "height", &JsValue::from(p.info.height));
        set(&o, "orientation", &JsValue::from(p.orientation));
        set(&o, "targetWidth", &JsValue::from(p.target.width));
        set(&o, "targetHeight", &JsValue::from(p.target.height));
        set(&o, "dct", &JsValue::from(p.target.dct));
        let upright = if (5..=8).contains(&p.orientation) {
            (p.info.height, p.info.width)
        } else {
            (p.info.width, p.info.height)
        };
        let common_jpeg =
            p.info.format == imaging::SourceFormat::Jpeg && imaging::preflight::common_jpeg(head);
        let num = if common_jpeg {
            imaging::preflight::browser_jpeg_numerator(upright.0, upright.1, &p.target)
        } else {
            8
        };
        set(&o, "numerator", &JsValue::from(num));
        set(
            &o,
            "mayPassThrough",
            &JsValue::from_bool(p.may_pass_through),
        );
        set(&o, "commonJpeg", &JsValue::from_bool(common_jpeg));
        Ok(o.into())
    };
    run().map_err(|e| error_to_js(&e))
}

#[cfg(feature = "main")]
fn format_from_str(s: &str) -> Option<imaging::SourceFormat> {
    use imaging::SourceFormat as F;
    [F::Jpeg, F::Png, F::Webp, F::Gif, F::Bmp, F::Heif]
        .into_iter()
        .find(|f| f.as_str() == s)
}

/// The structure check (`imaging::Integrity`) of a `byteLength`-byte file: `read(at, n)` returns
/// the file's bytes from `at` (at most `n`, fewer at the end) for each chunk the check asks for,
/// so the file is never copied into wasm memory whole. `{ forwardable, end }` or the typed error.
/// `quick`: see `Integrity::new`.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = checkStructure)]
pub fn check_structure(
    format: &str,
    byte_length: f64,
    quick: bool,
    read: &js_sys::Function,
) -> Result<JsValue, JsValue> {
    const CHUNK: u32 = 512 * 1024;
    let f = format_from_str(format)
        .ok_or_else(|| error_to_js(&OcrError::config("internal: unknown image format")))?;
    let mut check = imaging::Integrity::new(f, byte_length as u64, quick);
    let mut buf = Vec::new();
    while let Some(at) = check.wants() {
        let chunk: js_sys::Uint8Array = read
            .call2(
                &JsValue::NULL,
                &JsValue::from(at as f64),
                &JsValue::from(CHUNK),
            )?
            .dyn_into()?;
        buf.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buf);
        check.push(&buf);
    }
    let v = check.finish().map_err(|e| error_to_js(&image_error(e)))?;
    let o = js_sys::Object::new();
    set(&o, "forwardable", &JsValue::from_bool(v.forwardable));
    set(&o, "end", &JsValue::from(v.end as f64));
    Ok(o.into())
}

/// The sensor noise of RGBA pixels (`imaging::noise_level`, luma levels): the canvas codec
/// measures its probe sample (stacked windows of `band_rows` rows) with it and hands the number
/// to `budgetStep`.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = noiseLevel)]
pub fn noise_level(rgba: &[u8], width: u32, height: u32, band_rows: u32) -> f64 {
    imaging::noise_level(rgba, width, height, 4, band_rows)
}

/// One step of the budget search (`imaging::BudgetSearch`) for a canvas encoder (integer
/// qualities), without state on this side: `history` holds what the encoder did so far, three
/// numbers per step (`0, bytes, factor`: a sample encode; `1, bytes, 0`: a full encode; `2, 0, 0`:
/// a shrink made), and the search is replayed over it. Returns the next step `{ kind: "sample" |
/// "encode" | "shrink" | "done", quality, width, height, encodes }` and `keep`: the last full
/// encode is the best fit so far (the caller keeps its bytes). `noise`: `noiseLevel` of the
/// picture (a sample of it), which lowers the "legible" quality ceiling of a noisy picture.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = budgetStep)]
pub fn budget_step(
    width: u32,
    height: u32,
    settings: JsValue,
    history: &[f64],
    noise: f64,
) -> Result<JsValue, JsValue> {
    use imaging::BudgetStep as S;
    let opts = crate::convert::prepare_options(&settings).map_err(|e| error_to_js(&e))?;
    let (min_q, max_q) = opts.quality_window_for_noise(noise);
    let mut search =
        imaging::BudgetSearch::new(width, height, opts.max_base64_chars, min_q, max_q, 10);
    let mut done = history.chunks_exact(3);
    let mut keep = false;
    let o = js_sys::Object::new();
    let step = loop {
        let step = search.step().map_err(|e| error_to_js(&image_error(e)))?;
        let Some(&[kind, bytes, factor]) = done.next() else {
            break step;
        };
        match (step, kind as u8) {
            (S::Sample(_), 0) => search.sampled(bytes as usize, factor),
            (S::Encode(_), 1) => keep = search.encoded(bytes as usize),
            (S::Shrink { .. }, 2) => keep = false,
            _ => {
                return Err(error_to_js(&OcrError::config(
                    "internal: the budget search history does not match",
                )))
            }
        }
    };
    let (kind, q) = match step {
        S::Sample(q) => ("sample", q),
        S::Encode(q) => ("encode", q),
        S::Shrink { width, height } => {
            set(&o, "width", &JsValue::from(width));
            set(&o, "height", &JsValue::from(height));
            ("shrink", 0)
        }
        S::Done { quality, encodes } => {
            set(&o, "encodes", &JsValue::from(encodes));
            ("done", quality)
        }
    };
    set(&o, "kind", &JsValue::from_str(kind));
    set(&o, "quality", &JsValue::from(q / 10));
    set(&o, "keep", &JsValue::from_bool(keep));
    Ok(o.into())
}
