//! `LocalEngine`: on-device reading (`crates/ocr`, PP-OCRv4 through rten) in its own module
//! (feature `local`). Converts and delegates: the reading, the fields and the acceptance rule are
//! in `vehicle-doc-ocr-local`. With the feature `local-profile` too, the measurement-only
//! `withPrepack` and `profileDocument` (bench/local-profile.mjs builds that module itself).

use crate::convert::{error_to_js, set, to_js};
use vehicle_doc_ocr_core::{DocumentKind, ErrorCode, OcrError};
use vehicle_doc_ocr_local::{Engine, LocalError};
use wasm_bindgen::prelude::*;

fn local_error(e: &LocalError) -> JsValue {
    let code = match e.code() {
        "INVALID_IMAGE" => ErrorCode::InvalidImage,
        "LOCAL_MODEL" => ErrorCode::Config,
        _ => ErrorCode::ProviderError,
    };
    error_to_js(&OcrError::new(code, e.to_string()).with_retryable(false))
}

/// The engine, built once from the model bytes (the detection and recognition ONNX files and the
/// recognizer's dictionary).
#[wasm_bindgen]
pub struct LocalEngine(Engine);

#[wasm_bindgen]
impl LocalEngine {
    #[wasm_bindgen(constructor)]
    pub fn new(det: Vec<u8>, rec: Vec<u8>, dict: &str) -> Result<LocalEngine, JsValue> {
        Engine::new(det, rec, dict)
            .map(LocalEngine)
            .map_err(|e| local_error(&e))
    }

    /// Reads `document` in the image bytes: `{ result, settled, fields: [{ field, acceptance,
    /// minConfidence }] }` (`result` is the typed result with `provider: "local"`; `settled`:
    /// every key field accepted, so no provider is needed: `vehicle_doc_ocr_local::cascade`).
    #[wasm_bindgen(js_name = readDocument)]
    pub fn read_document(&self, image: &[u8], document: &str) -> Result<JsValue, JsValue> {
        let doc = DocumentKind::parse(document).ok_or_else(|| {
            error_to_js(&OcrError::config(
                "option `document` must be \"vehicleLicenseFront\", \"vehicleLicenseBack\" or \"registrationCertificate\"",
            ))
        })?;
        let (_, reading) = self
            .0
            .read_document(image, doc, Some(crate::convert::today()))
            .map_err(|e| local_error(&e))?;
        let o = js_sys::Object::new();
        set(
            &o,
            "result",
            &to_js(&reading.result).map_err(|e| error_to_js(&e))?,
        );
        let fields: js_sys::Array = reading
            .fields
            .iter()
            .map(|f| -> JsValue {
                let v = js_sys::Object::new();
                set(&v, "field", &JsValue::from_str(f.field));
                set(&v, "acceptance", &JsValue::from_str(f.acceptance.as_str()));
                set(
                    &v,
                    "minConfidence",
                    &JsValue::from_f64(f64::from(f.min_confidence)),
                );
                v.into()
            })
            .collect();
        set(&o, "fields", &fields);
        set(
            &o,
            "settled",
            &JsValue::from_bool(vehicle_doc_ocr_local::cascade::settled(doc, &reading)),
        );
        Ok(o.into())
    }
}

/// Measurement only (bench/local-profile.mjs), in a module of its own: built with the feature
/// `local-profile` (`scripts/build.sh --local-profile <dir>`), never in the shipped local module.
#[cfg(feature = "local-profile")]
#[wasm_bindgen]
impl LocalEngine {
    /// [`LocalEngine::new`] with rten's weight prepacking chosen (measurement: bench/local-profile.mjs).
    #[wasm_bindgen(js_name = withPrepack)]
    pub fn with_prepack(
        det: Vec<u8>,
        rec: Vec<u8>,
        dict: &str,
        prepack: bool,
    ) -> Result<LocalEngine, JsValue> {
        Engine::with_prepack(det, rec, dict, prepack)
            .map(LocalEngine)
            .map_err(|e| local_error(&e))
    }

    /// Measurement only (bench/local-profile.mjs): the reading of [`LocalEngine::read_document`]
    /// stage by stage, `[{ stage, ms, memoryBytes }]` (the wasm memory's size as the stage ends;
    /// no recognized value is returned).
    #[wasm_bindgen(js_name = profileDocument)]
    pub fn profile_document(&self, image: &[u8], document: &str) -> Result<JsValue, JsValue> {
        let doc = DocumentKind::parse(document)
            .ok_or_else(|| error_to_js(&OcrError::config("option `document` is not a document")))?;
        use wasm_bindgen::JsCast;
        let memory = || -> f64 {
            wasm_bindgen::memory()
                .dyn_into::<js_sys::WebAssembly::Memory>()
                .map(|m| {
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length() as f64
                })
                .unwrap_or(0.0)
        };
        let stages = js_sys::Array::new();
        let mut t = js_sys::Date::now();
        self.0
            .read_document_staged(image, doc, Some(crate::convert::today()), |stage| {
                let now = js_sys::Date::now();
                let v = js_sys::Object::new();
                set(&v, "stage", &JsValue::from_str(stage));
                set(&v, "ms", &JsValue::from_f64(now - t));
                set(&v, "memoryBytes", &JsValue::from_f64(memory()));
                stages.push(&v);
                t = now;
            })
            .map_err(|e| local_error(&e))?;
        Ok(stages.into())
    }
}
