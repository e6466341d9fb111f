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

fn image_error(e: imaging::ImageError) -> OcrError {
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

/// The effective settings object made by `prepareSettings` (numbers only): read without a JSON
/// parser, which keeps the codec module small.
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

// ---------------------------------------------------------------------------------------------
// The browser codec's decisions (main module: the canvas codec must not load the codec module
// just to decide).

/// `codec: "none"` in the browser: the bytes back untouched after the structure check (see
/// `imaging::pass_as_is`).
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = prepareAsIs)]
pub fn prepare_as_is(bytes: &[u8], settings: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = settings_from_js(&settings)?;
        Ok(prepared_to_js(
            &imaging::pass_as_is(bytes, &opts).map_err(image_error)?,
        ))
    };
    run().map_err(|e| error_to_js(&e))
}

/// The plan for a file of `byteLength` bytes from its first bytes `head` (see
/// `imaging::preflight::plan`; the output within the browser's canvas limit): `{ format, width,
/// height, orientation, targetWidth, targetHeight, dct, numerator, mayPassThrough, commonJpeg }`.
/// HEIC/AVIF is planned (for a browser that may decode it) only with `heifDecoder`; without it,
/// it throws the one HEIC message.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = imagePlan)]
pub fn image_plan(
    head: &[u8],
    byte_length: f64,
    settings: JsValue,
    heif_decoder: bool,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = settings_from_js(&settings)?;
        let max = imaging::preflight::BROWSER_MAX_CANVAS_PIXELS;
        let p = imaging::preflight::plan(head, byte_length as u64, &opts, max, heif_decoder)
            .map_err(image_error)?;
        let o = js_sys::Object::new();
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
        let num = if p.common_jpeg {
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
        set(&o, "commonJpeg", &JsValue::from_bool(p.common_jpeg));
        Ok(o.into())
    };
    run().map_err(|e| error_to_js(&e))
}

/// Pixels already decoded (a drawable, a HEIF bitmap): the pixel cap, then the output size
/// `{ width, height }` within the browser's canvas limit.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = pixelsPlan)]
pub fn pixels_plan(width: u32, height: u32, settings: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let opts = settings_from_js(&settings)?;
        let max = imaging::preflight::BROWSER_MAX_CANVAS_PIXELS;
        let t = imaging::preflight::pixels_plan(width, height, &opts, max).map_err(image_error)?;
        let o = js_sys::Object::new();
        set(&o, "width", &JsValue::from(t.width));
        set(&o, "height", &JsValue::from(t.height));
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

/// The structure check of a file fed in chunks (`imaging::Integrity`): the JS side
/// pushes the bytes `wants()` asks for (`-1` once the verdict is known) and calls `finish()`:
/// `{ forwardable, end }` or the typed error.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = ImageCheck)]
pub struct ImageCheck(imaging::Integrity);

#[cfg(feature = "main")]
#[wasm_bindgen(js_class = ImageCheck)]
impl ImageCheck {
    #[wasm_bindgen(constructor)]
    pub fn new(format: &str, byte_length: f64, quick: bool) -> Result<ImageCheck, JsValue> {
        let f = format_from_str(format)
            .ok_or_else(|| error_to_js(&OcrError::config("internal: unknown image format")))?;
        Ok(ImageCheck(imaging::Integrity::new(
            f,
            byte_length as u64,
            quick,
        )))
    }

    pub fn wants(&self) -> f64 {
        self.0.wants().map_or(-1.0, |at| at as f64)
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.0.push(chunk);
    }

    pub fn finish(self) -> Result<JsValue, JsValue> {
        let v = self.0.finish().map_err(|e| error_to_js(&image_error(e)))?;
        let o = js_sys::Object::new();
        set(&o, "forwardable", &JsValue::from_bool(v.forwardable));
        set(&o, "end", &JsValue::from(v.end as f64));
        Ok(o.into())
    }
}

/// The budget search (`imaging::BudgetSearch`) for a canvas encoder: integer qualities. `step()`
/// returns `{ kind: "sample" | "encode" | "shrink" | "done", quality, width, height, encodes }`.
#[cfg(feature = "main")]
#[wasm_bindgen(js_name = BudgetSearch)]
pub struct BudgetSearch(imaging::BudgetSearch);

#[cfg(feature = "main")]
#[wasm_bindgen(js_class = BudgetSearch)]
impl BudgetSearch {
    #[wasm_bindgen(constructor)]
    pub fn new(width: u32, height: u32, settings: JsValue) -> Result<BudgetSearch, JsValue> {
        let opts = settings_from_js(&settings).map_err(|e| error_to_js(&e))?;
        Ok(BudgetSearch(imaging::BudgetSearch::new(
            width,
            height,
            opts.max_base64_chars,
            opts.min_quality as u16 * 10,
            opts.max_quality as u16 * 10,
            10,
        )))
    }

    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let step = self.0.step().map_err(|e| error_to_js(&image_error(e)))?;
        let o = js_sys::Object::new();
        let (kind, q) = match step {
            imaging::BudgetStep::Sample(q) => ("sample", q),
            imaging::BudgetStep::Encode(q) => ("encode", q),
            imaging::BudgetStep::Shrink { width, height } => {
                set(&o, "width", &JsValue::from(width));
                set(&o, "height", &JsValue::from(height));
                ("shrink", 0)
            }
            imaging::BudgetStep::Done { quality, encodes } => {
                set(&o, "encodes", &JsValue::from(encodes));
                ("done", quality)
            }
        };
        set(&o, "kind", &JsValue::from_str(kind));
        set(&o, "quality", &JsValue::from(q / 10));
        Ok(o.into())
    }

    pub fn sampled(&mut self, bytes: u32, factor: f64) {
        self.0.sampled(bytes as usize, factor);
    }

    pub fn encoded(&mut self, bytes: u32) -> bool {
        self.0.encoded(bytes as usize)
    }
}
