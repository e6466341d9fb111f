//! The Worker shim's module (feature `shim`, built as `vehicle_doc_ocr_shim_bg.wasm`, loaded
//! only by the Worker through `vehicle-doc-ocr/worker`): one class, `Shim`, constructed once per
//! isolate from the Worker's `env`. Each method converts plain JS values and calls
//! `vehicle_doc_ocr_shim`; every decision is made (and tested) there.
//!
//! `env` is the Worker's `env`; only the string variables in `config::ENV_VARS` are read, once,
//! by the constructor (bindings such as `RATE_LIMITER` are never touched). `req` is
//! `{ method, url, origin, authorization, contentType, contentLength, clientIp }` (strings or
//! null). Answers are `{ status, headers: [[name, value], ...], body, drainBytes }` with `body` a
//! JSON value or null.

use crate::convert::{error_to_js, get, js_to_json, to_js};
use vehicle_doc_ocr_core::providers::shim_client::reason_codes;
use vehicle_doc_ocr_core::{ErrorCode, OcrError, Provider};
use vehicle_doc_ocr_shim::{config::ENV_VARS, Rejection, RequestFacts, Shim};
use wasm_bindgen::prelude::*;

/// The shim configured from one `env` (`new Shim(env)`; keep it for the isolate's life).
#[wasm_bindgen(js_name = Shim)]
pub struct ShimHandle {
    shim: Shim,
}

#[wasm_bindgen(js_class = Shim)]
impl ShimHandle {
    /// Reads the configuration from `env` once. A bad configuration does not throw: every
    /// request is then refused (`500 CONFIG`) and `configProblems()` says why.
    #[wasm_bindgen(constructor)]
    pub fn new(env: JsValue) -> Result<ShimHandle, JsValue> {
        let vars: Vec<(&str, Option<String>)> = ENV_VARS
            .iter()
            .map(|name| (*name, get(&env, name).as_string()))
            .collect();
        let shim = Shim::from_env(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.clone())
        });
        Ok(ShimHandle { shim })
    }

    /// The configuration problems by variable name (never values), or `null` when valid. For
    /// the Worker's deploy log.
    #[wasm_bindgen(js_name = configProblems)]
    pub fn config_problems(&self) -> Result<JsValue, JsValue> {
        Ok(match self.shim.config() {
            Ok(_) => JsValue::NULL,
            Err(p) => JsValue::from_str(&p.to_string()),
        })
    }

    /// `{ action: "respond", status, headers, body, drainBytes }` or
    /// `{ action: "forward", document, capBytes, prepareInWorker, rateLimitKey, headers, options }`.
    pub fn decide(&self, req: JsValue) -> Result<JsValue, JsValue> {
        out(&self.shim.decide(&facts(&req)))
    }

    /// `null` if the body may be sent, else the answer. `body`: the whole body, as read under
    /// the cap (its structure is checked before anything is paid for).
    #[wasm_bindgen(js_name = checkBody)]
    pub fn check_body(&self, req: JsValue, body: &[u8]) -> Result<JsValue, JsValue> {
        match self.shim.check_body(&facts(&req), body) {
            None => Ok(JsValue::NULL),
            Some(r) => out(&r),
        }
    }

    /// The answer for a rejection the Worker detected: `"rateLimited"` or `"tooLarge"`.
    pub fn reject(&self, req: JsValue, reason: &str) -> Result<JsValue, JsValue> {
        let why = Rejection::parse(reason).unwrap_or(Rejection::TooLarge);
        out(&self.shim.reject(&facts(&req), why))
    }

    /// The answer for an error `recognize()` rejected with (a `VehicleDocOcrError` or anything
    /// else: unknown errors become a generic `PROVIDER_ERROR`, their text is never copied).
    #[wasm_bindgen(js_name = errorResponse)]
    pub fn error_response(&self, req: JsValue, error: JsValue) -> Result<JsValue, JsValue> {
        out(&self
            .shim
            .error_response(&facts(&req), &error_from_js(&error)))
    }
}

fn facts(req: &JsValue) -> RequestFacts {
    let s = |key: &str| get(req, key).as_string();
    RequestFacts {
        method: s("method").unwrap_or_default(),
        url: s("url").unwrap_or_default(),
        origin: s("origin"),
        authorization: s("authorization"),
        content_type: s("contentType"),
        content_length: s("contentLength"),
        client_ip: s("clientIp"),
    }
}

fn out<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value).map_err(|e| error_to_js(&e))
}

fn error_from_js(error: &JsValue) -> OcrError {
    let code = get(error, "code")
        .as_string()
        .and_then(|c| ErrorCode::parse(&c));
    let Some(code) = code else {
        return OcrError::new(ErrorCode::ProviderError, "internal error in the OCR shim")
            .with_retryable(false);
    };
    let mut e = OcrError::new(code, get(error, "message").as_string().unwrap_or_default());
    if let Some(r) = get(error, "retryable").as_bool() {
        e = e.with_retryable(r);
    }
    e.provider = match get(error, "provider").as_string().as_deref() {
        Some("apihz") => Some(Provider::Apihz),
        Some("juhe") => Some(Provider::Juhe),
        _ => None,
    };
    e.provider_code = get(error, "providerCode").as_string();
    if code == ErrorCode::PoorImage {
        e.reasons = reason_codes(js_to_json(&get(error, "reasons")).as_ref());
    }
    e
}
