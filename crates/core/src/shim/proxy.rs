//! The client side of the shim (`proxyUrl` mode): the request a [`crate::Plan`] sends to the
//! Worker, and how the Worker's answer becomes the same typed result or the same [`OcrError`]
//! as in direct mode.
//!
//! A successful answer is not trusted as a typed object: the result is normalized again from the
//! provider's untouched payload (`raw`) with this library's own code, so a client always gets
//! the shape and the validation of its own version, whatever version the Worker runs.
//!
//! No key exists on this side: the request carries only the image and `document`.

use super::RECOGNIZE_PATH;
use crate::plan::{self, ImagePayload};
use crate::{wire, DocumentKind, ErrorCode, OcrError, Provider, Recognized};
use serde_json::Value;

/// What the plan sends to the Worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyRequest {
    pub url: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// `POST {proxyUrl}/v1/recognize?document=...` with the image bytes. `proxy_url` is the
/// Worker's base URL (a URL that already ends with `/v1/recognize` is used as is).
pub fn request(
    proxy_url: &str,
    document: DocumentKind,
    payload: ImagePayload,
    max_base64_chars: usize,
) -> Result<ProxyRequest, OcrError> {
    let ImagePayload::Image { bytes, mime, .. } = payload else {
        return Err(OcrError::config(
            "proxyUrl mode sends the image itself: pass a Blob, bytes or base64, not an http(s) URL",
        )
        .with_provider(Provider::Shim));
    };
    let len = wire::base64_len(bytes.len());
    if len > max_base64_chars {
        return Err(plan::too_large(len, max_base64_chars, Provider::Shim));
    }
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
    Ok(ProxyRequest {
        url: format!("{endpoint}{sep}document={}", document.as_str()),
        content_type: mime.to_owned(),
        body: bytes,
    })
}

/// The provider the Worker uses for `document`.
fn provider_for(document: DocumentKind) -> Provider {
    match document {
        DocumentKind::RegistrationCertificate => Provider::Juhe,
        DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack => Provider::Apihz,
    }
}

/// The Worker's answer (any status, the whole body) as the typed result or an error.
pub fn answer(
    document: DocumentKind,
    status: u16,
    body: &[u8],
    today: Option<String>,
) -> Result<Recognized, OcrError> {
    let json = serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object);
    let Some(json) = json else {
        return Err(non_json(status));
    };
    if status != 200 {
        return Err(error_from_json(status, &json));
    }
    let expected = provider_for(document);
    let provider_ok = json.get("provider").and_then(Value::as_str) == Some(expected.as_str());
    let document_ok = json.get("document").and_then(Value::as_str) == Some(document.as_str());
    let raw = json.get("raw").filter(|r| r.is_object());
    let (true, true, Some(raw)) = (provider_ok, document_ok, raw) else {
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
    plan::read_answer(expected, document, raw.clone(), &[], today)
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
    out
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
