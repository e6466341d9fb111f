//! `recognize()` exports: options, text inputs, and the fetch-driven request plan.

use crate::convert::{self, error_to_js, to_js};
use vehicle_doc_ocr_core::{cascade, input, options, prepare, ImagePayload, OcrError, Plan};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The call's options, parsed and checked once by `checkOptions` and consumed by
/// `recognizePrepared` (one crossing of the options per call).
#[wasm_bindgen]
pub struct CheckedOptions {
    options: options::RecognizeOptions,
    settings: prepare::PrepareSettings,
}

#[wasm_bindgen]
impl CheckedOptions {
    /// The effective image settings of `prepare` under the call's `maxBase64Chars` (the object
    /// `prepareSettings` returns), plus `qualityGate` (its thresholds are checked by the
    /// quality module).
    #[wasm_bindgen(getter)]
    pub fn settings(&self) -> JsValue {
        let settings = crate::image::settings_to_js(&self.settings);
        convert::set(
            settings.unchecked_ref(),
            "qualityGate",
            &JsValue::from_str(self.options.quality_gate.as_str()),
        );
        settings
    }

    /// Whether a provider (`apihz`, `juhe` or `proxyUrl`) is configured.
    #[wasm_bindgen(getter, js_name = hasProvider)]
    pub fn has_provider(&self) -> bool {
        self.options.has_provider()
    }

    /// Whether the device's `reading` (`{ result, settled, fields }`, from the local module)
    /// settles this call: every key field (`local.keyFields`, else the document's) accepted.
    /// Sets `reading.settled` to that answer, which the merge then reports, and returns it.
    pub fn settle(&self, reading: &JsValue) -> bool {
        let doc = self.options.document;
        let keys = self
            .options
            .local
            .as_ref()
            .map_or_else(|| cascade::key_fields(doc).to_vec(), |l| l.key_fields(doc));
        let fields = js_sys::Reflect::get(reading, &"fields".into()).unwrap_or(JsValue::UNDEFINED);
        let settled = convert::js_to_json(&fields)
            .is_some_and(|f| cascade::settles(&serde_json::json!({ "fields": f }), &keys));
        if reading.is_object() {
            convert::set(
                reading.unchecked_ref(),
                "settled",
                &JsValue::from_bool(settled),
            );
        }
        settled
    }

    /// The checked `local` option (`{ models? }`), `undefined` when not set.
    #[wasm_bindgen(getter)]
    pub fn local(&self) -> JsValue {
        let Some(local) = &self.options.local else {
            return JsValue::UNDEFINED;
        };
        let o = js_sys::Object::new();
        if let Some(models) = &local.models {
            convert::set(&o, "models", &JsValue::from_str(models));
        }
        o.into()
    }
}

/// Parse and check options without doing anything else (CONFIG errors before any heavy work).
/// `options` must not contain `signal`/`fetch` (the JS wrapper takes those out).
#[wasm_bindgen(js_name = checkOptions)]
pub fn check_options(options: JsValue) -> Result<CheckedOptions, JsValue> {
    let run = || -> Result<CheckedOptions, OcrError> {
        let options = options::parse(&convert::options_to_json(&options)?)?;
        let settings =
            prepare::parse(&options.prepare, "prepare.", Some(options.max_base64_chars))?;
        Ok(CheckedOptions { options, settings })
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
/// return the typed result. `image` is a `Uint8Array` or the URL string; `base64` the image's
/// base64 when the caller has it (the prepared image), so it is not computed again. `local`: the
/// reading on the device (`{ result, settled, fields }` from the local module) when the call has
/// `local`, else `undefined`; the result is then merged field by field (`core::cascade`), and a
/// merge that fails still returns the provider's result (with a `LOCAL_NOT_MERGED` warning).
#[wasm_bindgen(js_name = recognizePrepared)]
pub async fn recognize_prepared(
    image: JsValue,
    base64: Option<String>,
    options: CheckedOptions,
    signal: JsValue,
    fetch: JsValue,
    local: JsValue,
) -> Result<JsValue, JsValue> {
    let opts = options.options;
    let run = async {
        let payload = image_payload(&image, base64)?;
        // The plan returns results and errors already redacted of the call's secrets.
        let plan = Plan::new(&opts, payload, Some(convert::today()), Some(call_id()))?;
        let fetch = crate::fetch::resolve_fetch(&fetch)?;
        let limits = crate::fetch::Limits {
            timeout_ms: opts.timeout_ms,
            max_answer_bytes: opts.max_answer_bytes,
        };
        crate::fetch::drive(plan, &fetch, &signal, limits).await
    };
    let recognized = run.await.map_err(|e| error_to_js(&e))?;
    let result = to_js(&recognized).map_err(|e| error_to_js(&e))?;
    if local.is_undefined() || local.is_null() {
        return Ok(result);
    }
    Ok(with_reading(result, &local))
}

/// The paid `result` merged with the device's `reading` (`core::cascade::merge`). The call was
/// paid for, so a merge that fails (a reading that cannot be converted or merged) never loses the
/// result: it is then `core::cascade::unmerged` (the provider's result, `local` attached, a
/// `LOCAL_NOT_MERGED` warning), or at worst the provider's result as it came.
fn with_reading(result: JsValue, reading: &JsValue) -> JsValue {
    // Through JS and back (code the module links anyway; serde_json's own value serializer
    // would add kilobytes to the main module).
    let Some(provider) = convert::js_to_json(&result) else {
        return result;
    };
    let reading = convert::js_to_json(reading);
    let merged = match &reading {
        Some(r) => cascade::merge(Some(provider.clone()), r),
        None => Err(not_convertible()),
    };
    merged
        .and_then(|m| to_js(&m))
        .or_else(|_| to_js(&cascade::unmerged(provider.clone(), reading.as_ref())))
        // The reading's own `fields` may be what cannot be converted back.
        .or_else(|_| to_js(&cascade::unmerged(provider, None)))
        .unwrap_or(result)
}

/// The result of a call with `local` that pays no provider (every key field accepted, or no
/// provider configured): the local reading's result with `local: { settled, fields, sources }`.
#[wasm_bindgen(js_name = localResult)]
pub fn local_result(reading: JsValue) -> Result<JsValue, JsValue> {
    reading_json(&reading)
        .and_then(|reading| cascade::merge(None, &reading))
        .and_then(|merged| to_js(&merged))
        .map_err(|e| error_to_js(&e))
}

fn not_convertible() -> OcrError {
    OcrError::new(
        vehicle_doc_ocr_core::ErrorCode::ProviderError,
        "internal: the local reading could not be converted",
    )
    .with_retryable(false)
}

fn reading_json(reading: &JsValue) -> Result<serde_json::Value, OcrError> {
    convert::js_to_json(reading).ok_or_else(not_convertible)
}

/// A fresh id for the call (the result's `requestId` when the provider sends none):
/// `crypto.randomUUID()`, else a random 128-bit hex text from `Math.random`.
fn call_id() -> String {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into());
    let uuid = crypto.ok().and_then(|c| {
        let f = js_sys::Reflect::get(&c, &"randomUUID".into()).ok()?;
        f.dyn_ref::<js_sys::Function>()?.call0(&c).ok()?.as_string()
    });
    uuid.unwrap_or_else(|| {
        (0..4)
            .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
            .collect()
    })
}

fn image_payload(image: &JsValue, base64: Option<String>) -> Result<ImagePayload, OcrError> {
    if let Some(bytes) = image.dyn_ref::<js_sys::Uint8Array>() {
        let bytes = bytes.to_vec();
        let mime = input::check_sendable(&bytes)?;
        return Ok(ImagePayload::Image {
            bytes,
            mime,
            base64,
        });
    }
    match image.as_string() {
        Some(url) => Ok(ImagePayload::RemoteUrl(url)),
        None => Err(OcrError::new(
            vehicle_doc_ocr_core::ErrorCode::InvalidImage,
            "internal: the prepared image must be a Uint8Array or a URL string",
        )),
    }
}

/// `crossCheck({ front?, back?, certificate? })`: the plate, VIN and engine number must agree
/// across the documents the user has. Returns the same `issues` shape as a result.
#[wasm_bindgen(js_name = crossCheck)]
pub fn cross_check(documents: JsValue) -> Result<JsValue, JsValue> {
    let value = convert::js_to_json(&documents).ok_or_else(|| {
        error_to_js(&OcrError::config(
            "crossCheck takes an object { front?, back?, certificate? } of recognize() results",
        ))
    })?;
    let issues =
        vehicle_doc_ocr_core::fields::cross_check_json(&value).map_err(|e| error_to_js(&e))?;
    to_js(&issues).map_err(|e| error_to_js(&e))
}
