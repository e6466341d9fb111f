//! Exports for the Cloudflare Worker shim (`worker/src/index.js`, through
//! `npm/src/shim-internal.js`). Each one converts plain JS values and calls
//! `vehicle_doc_ocr_core::shim`; every decision is made (and tested) there.
//!
//! `env` is the Worker's `env`; only the string variables in `shim::config::ENV_VARS` are read
//! (bindings such as `RATE_LIMITER` are never touched). `req` is
//! `{ method, url, origin, authorization, contentType, contentLength, clientIp }` (strings or
//! null). Answers are `{ status, headers: [[name, value], ...], body: string | null }`.

use crate::convert::{get, to_js};
use vehicle_doc_ocr_core::shim::{self, config::ENV_VARS, RequestFacts, Shim};
use vehicle_doc_ocr_core::{ErrorCode, OcrError, Provider};
use wasm_bindgen::prelude::*;

fn shim_from_env(env: &JsValue) -> Shim {
    let vars: Vec<(&str, Option<String>)> = ENV_VARS
        .iter()
        .map(|name| (*name, get(env, name).as_string()))
        .collect();
    Shim::from_env(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.clone())
    })
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
    to_js(value).map_err(|e| crate::convert::error_to_js(&e))
}

/// The configuration problems by variable name (never values), or `null` when valid. For the
/// Worker's deploy log.
#[wasm_bindgen(js_name = shimConfigProblems)]
pub fn shim_config_problems(env: JsValue) -> JsValue {
    match shim_from_env(&env).config() {
        Ok(_) => JsValue::NULL,
        Err(p) => JsValue::from_str(&p.to_string()),
    }
}

/// `{ action: "respond", status, headers, body }` or
/// `{ action: "forward", document, capBytes, prepareInWorker, rateLimitKey, headers, options }`.
#[wasm_bindgen(js_name = shimDecide)]
pub fn shim_decide(env: JsValue, req: JsValue) -> Result<JsValue, JsValue> {
    out(&shim_from_env(&env).decide(&facts(&req)))
}

/// `null` if the body may be sent, else the answer. `head`: the body's first bytes (>= 12 or all).
#[wasm_bindgen(js_name = shimCheckBody)]
pub fn shim_check_body(
    env: JsValue,
    req: JsValue,
    len: f64,
    head: &[u8],
) -> Result<JsValue, JsValue> {
    // f64 -> usize saturates; a body length is never negative or fractional.
    let len = len.max(0.0) as usize;
    match shim_from_env(&env).check_body(&facts(&req), len, head) {
        None => Ok(JsValue::NULL),
        Some(r) => out(&r),
    }
}

/// The answer for a rejection the Worker detected: `"rateLimited"` or `"tooLarge"`.
#[wasm_bindgen(js_name = shimReject)]
pub fn shim_reject(env: JsValue, req: JsValue, reason: &str) -> Result<JsValue, JsValue> {
    let why = shim::Rejection::parse(reason).unwrap_or(shim::Rejection::TooLarge);
    out(&shim_from_env(&env).reject(&facts(&req), why))
}

/// The answer for an error `recognize()` rejected with (a `VehicleDocOcrError` or anything else:
/// unknown errors become a generic `PROVIDER_ERROR`, their text is never copied).
#[wasm_bindgen(js_name = shimErrorResponse)]
pub fn shim_error_response(env: JsValue, req: JsValue, error: JsValue) -> Result<JsValue, JsValue> {
    let e = error_from_js(&error);
    out(&shim_from_env(&env).error_response(&facts(&req), &e))
}

fn error_from_js(error: &JsValue) -> OcrError {
    let code = get(error, "code")
        .as_string()
        .and_then(|c| shim::parse_code(&c));
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
    e
}
