//! The client side of the shim (`proxyUrl` mode): the request a [`crate::Plan`] sends to the
//! Worker, and how the Worker's answer becomes the same typed result or the same [`OcrError`]
//! as in direct mode.
//!
//! A successful answer is not trusted as a typed object: the result is normalized again from the
//! provider's untouched payload (`raw`) with this library's own code, so a client always gets
//! the shape and the validation of its own version, whatever version the Worker runs.
//!
//! No key exists on this side: the request carries only the image and `document`. One POST,
//! never retried; every answer is final.
//!
//! `requestId`: the id the Worker's answer carries (the provider's, or the one the Worker made
//! for the call), else this client's own id.

use super::{provider_for, AnswerContext, Call, Reader};
use crate::plan::ImagePayload;
use crate::{DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions, Recognized};
use serde_json::Value;

/// The Worker's recognize path (the Worker answers it: `vehicle-doc-ocr-shim`, which re-exports this).
pub const RECOGNIZE_PATH: &str = "/v1/recognize";

/// `POST {proxyUrl}/v1/recognize?document=...` with the image bytes, no key.
pub(crate) fn prepare(
    proxy_url: &str,
    opts: &RecognizeOptions,
    payload: ImagePayload,
) -> Result<Call, OcrError> {
    let (bytes, mime, _) = super::image_within_budget(
        payload,
        opts.max_base64_chars,
        Provider::Shim,
        "proxyUrl mode",
    )?;
    Ok(Call {
        provider: Provider::Shim,
        urls: vec![endpoint(proxy_url, opts.document)],
        failover: false,
        content_type: mime.to_owned(),
        body: bytes,
        secrets: Vec::new(),
        reader: Reader::Shim,
    })
}

/// The Worker's URL for `document`. `proxy_url` is the Worker's base URL (a URL that already
/// ends with `/v1/recognize` is used as is).
pub fn endpoint(proxy_url: &str, document: DocumentKind) -> String {
    let base = proxy_url.split('#').next().unwrap_or(proxy_url);
    let base = base.trim_end_matches('/');
    let endpoint = if base
        .split('?')
        .next()
        .unwrap_or(base)
        .ends_with(RECOGNIZE_PATH)
    {
        base.to_owned()
    } else {
        format!("{base}{RECOGNIZE_PATH}")
    };
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}document={}", document.as_str())
}

/// The Worker's answer (any status; `json` the body when it is a JSON object) as the typed
/// result or an error.
pub(crate) fn answer(
    status: u16,
    json: Option<Value>,
    cx: &AnswerContext,
) -> Result<Recognized, OcrError> {
    let document = cx.document;
    let Some(mut json) = json else {
        return Err(non_json(status));
    };
    if status != 200 {
        return Err(error_from_json(status, &json));
    }
    let expected = provider_for(document);
    let provider_ok = json.get("provider").and_then(Value::as_str) == Some(expected.as_str());
    let document_ok = json.get("document").and_then(Value::as_str) == Some(document.as_str());
    let raw_ok = json.get("raw").is_some_and(Value::is_object);
    let (true, true, true) = (provider_ok, document_ok, raw_ok) else {
        return Err(OcrError::new(
            ErrorCode::ProviderError,
            format!(
                "the OCR shim answered 200 without a {} result from {} (is proxyUrl the vehicle-doc-ocr shim?)",
                document.as_str(),
                expected.as_str()
            ),
        )
        .with_retryable(false)
        .with_provider(Provider::Shim));
    };
    let id = json
        .get("requestId")
        .and_then(super::usable_id)
        .or_else(|| cx.client_request_id.map(str::to_owned));
    let raw = json.get_mut("raw").map(Value::take).unwrap_or_default();
    super::read_answer(expected, raw, &[], cx, id)
}

/// `{ "error": { code, message, retryable, provider?, providerCode? } }` back into the error the
/// caller would have had in direct mode (refusals by the Worker itself: `provider: shim`).
pub fn error_from_json(status: u16, json: &Value) -> OcrError {
    let Some(e) = json.get("error").filter(|e| e.is_object()) else {
        return status_error(status, "without the shim's error object");
    };
    let Some(code) = e
        .get("code")
        .and_then(Value::as_str)
        .and_then(ErrorCode::parse)
    else {
        return status_error(status, "with an unknown error code");
    };
    let message = e
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("the OCR shim answered HTTP {status} ({code})"));
    let mut out = OcrError::new(code, message);
    if let Some(r) = e.get("retryable").and_then(Value::as_bool) {
        out = out.with_retryable(r);
    }
    out.provider = Some(match e.get("provider").and_then(Value::as_str) {
        Some("apihz") => Provider::Apihz,
        Some("juhe") => Provider::Juhe,
        _ => Provider::Shim,
    });
    out.provider_code = e
        .get("providerCode")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if code == ErrorCode::PoorImage {
        out.reasons = reason_codes(e.get("reasons"));
    }
    out
}

/// The reason codes of a `POOR_IMAGE` answer: short ASCII words only, at most 16 of them
/// (anything else in the list is not a reason code and is dropped).
pub fn reason_codes(list: Option<&Value>) -> Vec<String> {
    let words = list
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    words
        .iter()
        .filter_map(Value::as_str)
        .filter(|w| !w.is_empty() && w.len() <= 32 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .take(16)
        .map(str::to_owned)
        .collect()
}

fn status_error(status: u16, what: &str) -> OcrError {
    let (code, retryable) = match status {
        404 | 405 => (ErrorCode::Config, false),
        413 => (ErrorCode::ImageTooLarge, false),
        429 => (ErrorCode::RateLimited, true),
        500..=599 => (ErrorCode::ProviderError, true),
        _ => (ErrorCode::ProviderError, false),
    };
    let hint = if code == ErrorCode::Config {
        " (check proxyUrl)"
    } else {
        ""
    };
    OcrError::new(
        code,
        format!("the OCR shim answered HTTP {status} {what}{hint}"),
    )
    .with_retryable(retryable)
    .with_provider(Provider::Shim)
}

fn non_json(status: u16) -> OcrError {
    status_error(status, "without a JSON answer")
}
