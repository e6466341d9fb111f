//! `recognize()` exports: options, text inputs, and the fetch-driven request plan.

use crate::convert::{self, error_to_js, to_js};
use vehicle_doc_ocr_core::{input, options, prepare, ImagePayload, OcrError, Plan};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Parse and check options without doing anything else (CONFIG errors before any heavy work);
/// returns the effective image settings of `prepare` under the call's `maxBase64Chars` (the
/// object `prepareSettings` returns, plus `qualityGate`). `options` must not contain `signal`/`fetch` (the JS
/// wrapper takes those out).
#[wasm_bindgen(js_name = checkOptions)]
pub fn check_options(options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, OcrError> {
        let o = options::parse(&convert::options_to_json(&options)?)?;
        let s = prepare::parse(&o.prepare, "prepare.", Some(o.max_base64_chars))?;
        let settings = crate::image::settings_to_js(&s);
        // The quality gate rides along (its thresholds are checked by the quality module).
        let obj: &js_sys::Object = settings.unchecked_ref();
        convert::set(
            obj,
            "qualityGate",
            &JsValue::from_str(o.quality_gate.as_str()),
        );
        Ok(settings)
    };
    run().map_err(|e| error_to_js(&e))
}

/// Decode a text image input: returns `{ url }` for an http(s) URL, else the decoded bytes
/// (`Uint8Array`) of a base64 string or data URL.
#[wasm_bindgen(js_name = decodeTextImage)]
pub fn decode_text_image(text: &str) -> Result<JsValue, JsValue> {
    match input::classify_text(text) {
        Ok(input::TextImage::RemoteUrl(url)) => {
            let o = js_sys::Object::new();
            convert::set(&o, "url", &JsValue::from_str(&url));
            Ok(o.into())
        }
        Ok(input::TextImage::Bytes(bytes)) => Ok(js_sys::Uint8Array::from(bytes.as_slice()).into()),
        Err(e) => Err(error_to_js(&e)),
    }
}

/// Send an image that is ready to go (already prepared and under budget) or a remote URL, and
/// return the typed result. `image` is a `Uint8Array` or `{ url }`.
#[wasm_bindgen(js_name = recognizePrepared)]
pub async fn recognize_prepared(
    image: JsValue,
    options: JsValue,
    signal: JsValue,
    fetch: JsValue,
) -> Result<JsValue, JsValue> {
    let run = async {
        let value = convert::options_to_json(&options)?;
        let opts = options::parse(&value)?;
        let payload = image_payload(&image)?;
        let plan = Plan::new(&opts, payload, Some(convert::today()))?;
        let secrets = plan.secrets();
        let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let fetch = crate::fetch::resolve_fetch(&fetch)?;
        crate::fetch::drive(plan, &fetch, &signal, opts.timeout_ms)
            .await
            .map_err(|e| e.redacted(&secret_refs))
    };
    match run.await {
        Ok(recognized) => to_js(&recognized).map_err(|e| error_to_js(&e)),
        Err(e) => Err(error_to_js(&e)),
    }
}

fn image_payload(image: &JsValue) -> Result<ImagePayload, OcrError> {
    if let Some(bytes) = image.dyn_ref::<js_sys::Uint8Array>() {
        let bytes = bytes.to_vec();
        let mime = input::check_sendable(&bytes)?;
        return Ok(ImagePayload::Image { bytes, mime });
    }
    match convert::get(image, "url").as_string() {
        Some(url) => Ok(ImagePayload::RemoteUrl(url)),
        None => Err(OcrError::new(
            vehicle_doc_ocr_core::ErrorCode::InvalidImage,
            "internal: the prepared image must be a Uint8Array or { url }",
        )),
    }
}

/// `crossCheck({ front?, back?, certificate? })`: the plate, VIN and engine number must agree
/// across the documents the user has. Returns the same `issues` shape as a result.
#[wasm_bindgen(js_name = crossCheck)]
pub fn cross_check(documents: JsValue) -> Result<JsValue, JsValue> {
    let value: serde_json::Value = serde_wasm_bindgen::from_value(documents).map_err(|_| {
        error_to_js(&OcrError::config(
            "crossCheck takes an object { front?, back?, certificate? } of recognize() results",
        ))
    })?;
    let issues =
        vehicle_doc_ocr_core::fields::cross_check_json(&value).map_err(|e| error_to_js(&e))?;
    to_js(&issues).map_err(|e| error_to_js(&e))
}
