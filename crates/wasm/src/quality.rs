//! `assessRgba` / `assessBytes`: the photo quality report of `crates/imaging/src/quality.rs`,
//! built into its own lazily loaded module (feature `quality`). Converts and delegates only.

use crate::convert::{error_to_js, get, prepare_options, set};
#[cfg(feature = "quality-decode")]
use crate::image::image_error;
use vehicle_doc_ocr_core::{DocumentKind, OcrError};
use vehicle_doc_ocr_imaging::quality::{self, Layout, Report, Thresholds, MAX_ANALYSIS_SIDE};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `{ document?, thresholds? }` → the layout and thresholds (CONFIG errors name the option).
fn parse(options: &JsValue) -> Result<(Layout, Thresholds), OcrError> {
    let mut t = Thresholds::default();
    if options.is_undefined() || options.is_null() {
        return Ok((Layout::Licence, t));
    }
    if !options.is_object() {
        return Err(OcrError::config(
            "assessImage options must be an object { document?, thresholds? }",
        ));
    }
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        if !["document", "thresholds", "signal"].contains(&name.as_str()) {
            return Err(OcrError::config(format!(
                "unknown assessImage option `{name}` (known: document, thresholds)"
            )));
        }
    }
    let document = get(options, "document");
    let layout = if document.is_undefined() || document.is_null() {
        Layout::Licence
    } else {
        match document.as_string().as_deref().and_then(DocumentKind::parse) {
            Some(DocumentKind::RegistrationCertificate) => Layout::Certificate,
            Some(_) => Layout::Licence,
            None => return Err(OcrError::config("option `document` must be \"vehicleLicenseFront\", \"vehicleLicenseBack\" or \"registrationCertificate\"")),
        }
    };
    let given = get(options, "thresholds");
    if !given.is_undefined() && !given.is_null() {
        if !given.is_object() {
            return Err(OcrError::config("option `thresholds` must be an object"));
        }
        for key in js_sys::Object::keys(given.unchecked_ref::<js_sys::Object>()).iter() {
            let name = key.as_string().unwrap_or_default();
            let value = get(&given, &name);
            if value.is_undefined() {
                continue;
            }
            let v = value
                .as_f64()
                .ok_or_else(|| OcrError::config(format!("thresholds.{name} must be a number")))?;
            t.set(&name, v).map_err(OcrError::config)?;
        }
    }
    Ok((layout, t))
}

fn report_to_js(r: &Report) -> JsValue {
    let o = js_sys::Object::new();
    let list = |f: fn(quality::Reason) -> &'static str| {
        r.reasons
            .iter()
            .map(|&x| JsValue::from_str(f(x)))
            .collect::<js_sys::Array>()
    };
    set(
        &o,
        "verdict",
        &JsValue::from_str(if r.ok() { "ok" } else { "retake" }),
    );
    set(&o, "reasons", &list(quality::Reason::code));
    let messages = js_sys::Object::new();
    set(&messages, "zh-CN", &list(quality::Reason::message_zh));
    set(&messages, "en", &list(quality::Reason::message_en));
    set(&o, "messages", &messages);
    let round = |v: f32| JsValue::from_f64((f64::from(v) * 1000.0).round() / 1000.0);
    set(&o, "sharpness", &round(r.sharpness));
    set(&o, "brightness", &round(r.brightness));
    set(&o, "glareRatio", &round(r.glare_ratio));
    set(&o, "printDensity", &round(r.print_density));
    set(&o, "strokeBalance", &round(r.stroke_balance));
    set(&o, "printAtEdge", &round(r.print_at_edge));
    let document = match &r.document {
        None => JsValue::NULL,
        Some(d) => {
            let doc = js_sys::Object::new();
            set(&doc, "found", &JsValue::TRUE);
            let quad: js_sys::Array = d
                .quad
                .iter()
                .map(|[x, y]| -> JsValue {
                    [round(*x), round(*y)]
                        .iter()
                        .collect::<js_sys::Array>()
                        .into()
                })
                .collect();
            set(&doc, "quad", &quad);
            set(&doc, "fill", &round(d.fill));
            set(&doc, "cutOff", &JsValue::from_bool(d.cut_off));
            doc.into()
        }
    };
    set(&o, "document", &document);
    set(
        &o,
        "textHeightPx",
        &r.text_height_px
            .map_or(JsValue::NULL, |v| JsValue::from_f64(f64::from(v).round())),
    );
    o.into()
}

/// Assess RGBA pixels (a canvas's `ImageData`, upright) of a `sourceWidth`×`sourceHeight`
/// picture that will be prepared with `settings` (what `prepareSettings` returned: the text
/// height is reported at the size that will be sent).
/// Not in the `quality-decode` build: Node and Workers have no canvas, so they only hand bytes.
#[cfg(not(feature = "quality-decode"))]
#[wasm_bindgen(js_name = assessRgba)]
pub fn assess_rgba(
    rgba: &[u8],
    width: u32,
    height: u32,
    source_width: u32,
    source_height: u32,
    settings: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let (layout, t) = parse(&options)?;
        let luma =
            quality::Luma::from_rgba(width as usize, height as usize, rgba, MAX_ANALYSIS_SIDE)
                .ok_or_else(|| {
                    OcrError::config("internal: the pixel buffer does not match its size")
                })?;
        let sent = prepare_options(&settings)?.text_measure_long_side(source_width, source_height);
        Ok(report_to_js(&quality::assess(luma, sent, layout, &t)))
    };
    run().map_err(|e| error_to_js(&e))
}

/// Assess image bytes (decoded here: Node, Workers) that will be prepared with `settings`.
/// Only in the `quality-decode` build: browsers decode with the canvas and call `assessRgba`.
#[cfg(feature = "quality-decode")]
#[wasm_bindgen(js_name = assessBytes)]
pub fn assess_bytes(bytes: &[u8], settings: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let (layout, t) = parse(&options)?;
        let (luma, sent) = quality::decode_luma(
            bytes,
            MAX_ANALYSIS_SIDE as u32,
            &prepare_options(&settings)?,
        )
        .map_err(image_error)?;
        Ok(report_to_js(&quality::assess(luma, sent, layout, &t)))
    };
    run().map_err(|e| error_to_js(&e))
}
