//! Image preparation exports: the pure-Rust codec (`crates/imaging`) behind `prepareImage()`,
//! and header probing for the browser codec. Option rules live in `core::prepare`, the
//! size/quality policy in `crates/imaging`.

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

/// The effective settings `{ codec, maxBase64Chars, maxLongSidePx, maxSourcePixels, minQuality,
/// maxQuality, maxDecodeMemoryBytes }`: what the browser codec and `prepareWasm` take.
#[cfg(feature = "main")]
pub fn settings_to_js(settings: &PrepareSettings) -> JsValue {
    let opts = imaging_options(settings);
    let o = js_sys::Object::new();
    set(&o, "codec", &JsValue::from_str(settings.codec.as_str()));
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

/// The effective settings object made by `prepareSettings` (numbers only): the codec module
/// reads it without a JSON parser, which keeps that module small.
#[cfg(feature = "codec")]
fn settings_from_js(settings: &JsValue) -> Result<imaging::PrepareOptions, OcrError> {
    let num = |k: &str| {
        crate::convert::get(settings, k)
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 1.0)
            .ok_or_else(|| OcrError::config(format!("internal: prepare setting `{k}` missing")))
    };
    Ok(imaging::PrepareOptions {
        max_base64_chars: num("maxBase64Chars")? as usize,
        max_long_side_px: num("maxLongSidePx")? as u32,
        max_source_pixels: num("maxSourcePixels")? as u64,
        min_quality: num("minQuality")?.min(100.0) as u8,
        max_quality: num("maxQuality")?.min(100.0) as u8,
        apply_orientation: true,
        max_progressive_coeff_bytes: num("maxDecodeMemoryBytes")? as u64,
    })
}

/// Prepare image bytes with the pure-Rust codec. `settings` is what `prepareSettings` returned.
/// Returns `{ bytes, base64, width, height, quality, sourceWidth, sourceHeight, sourceFormat,
/// orientationApplied, encodes, passthrough }`.
#[cfg(feature = "codec")]
#[wasm_bindgen(js_name = prepareWasm)]
pub fn prepare_wasm(bytes: &[u8], settings: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = settings_from_js(&settings)?;
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
        let opts = settings_from_js(&settings)?;
        let p = imaging::prepare_rgba(rgba, width, height, &opts).map_err(image_error)?;
        Ok(prepared_to_js(&p))
    };
    run().map_err(|e| error_to_js(&e))
}

#[cfg(feature = "codec")]
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
    o.into()
}

/// Read an image's header: `{ format, width, height, orientation }` (no decoding).
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = probeImage)]
pub fn probe_image(bytes: &[u8]) -> Result<JsValue, JsValue> {
    let info = imaging::probe(bytes).map_err(|e| error_to_js(&image_error(e)))?;
    let o = js_sys::Object::new();
    set(&o, "format", &JsValue::from_str(info.format.as_str()));
    set(&o, "width", &JsValue::from(info.width));
    set(&o, "height", &JsValue::from(info.height));
    set(&o, "orientation", &JsValue::from(info.orientation));
    Ok(o.into())
}

/// Base64 of bytes (standard alphabet, padded), for results prepared by the browser codec.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = base64Encode)]
pub fn base64_encode(bytes: &[u8]) -> String {
    vehicle_doc_ocr_core::wire::base64_standard(bytes)
}
