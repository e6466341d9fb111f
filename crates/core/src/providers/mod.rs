//! One module per provider: everything that knows a provider's wire format.
//!
//! - [`apihz`]: 行驶证识别 (vehicle licence, front and back pages);
//! - [`juhe`]: 车辆登记证识别 (registration certificate);
//! - [`shim_client`]: the Cloudflare Worker shim, the provider of `proxyUrl` mode.
//!
//! Each module holds its request building, its answer checks and error codes, and its raw→typed
//! mapping: a provider's field names and labels appear in its own module and nowhere else. The
//! result types ([`crate::model`]) know no wire name: a provider hands the normalizer a
//! [`ProviderFields`] keyed by result field name, and each entry says which field or label of
//! the answer it was read from (the result's `sources`). The [`Plan`](crate::Plan) knows no
//! provider: it asks [`prepare`] for the requests of a call and [`Reader::read`] what an answer
//! means (plain enum dispatch, no trait objects).
//!
//! # Adding a provider
//! 1. One file here, `<name>.rs`, with `prepare(opts, payload) -> Result<Call, OcrError>`
//!    (requests, secrets, whether its endpoints fail over), `check_answer(&Value)` (its error
//!    codes), `request_id(&Value)` and `fields(document, &Value) -> ProviderFields` (its field
//!    names → result fields).
//! 2. Here: a [`Reader`] variant and one arm in [`prepare`], [`provider_for`], [`read_answer`]
//!    and [`fields`]; a [`Provider`] variant (`error.rs`) and its options (`options.rs`).
//! 3. Its tests: the provider's own examples in `fixtures/providers/`, parsed in
//!    `tests/providers.rs`; its request shape and error codes in `tests/plan.rs`.

pub mod apihz;
pub mod juhe;
pub mod shim_client;

use crate::model::{self, ProviderFields};
use crate::options::MessageRule;
use crate::plan::ImagePayload;
use crate::{wire, DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions, Recognized};
use serde_json::Value;

/// The requests of one call, as a provider module builds them.
pub(crate) struct Call {
    pub provider: Provider,
    /// In failover order (several only for apihz).
    pub urls: Vec<String>,
    /// Whether the next URL is tried when one certainly did not answer as the provider.
    pub failover: bool,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Strings that must never appear in any output (see [`with_encoded`]).
    pub secrets: Vec<String>,
    pub reader: Reader,
}

/// How the answers of a call are read, per provider.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reader {
    Apihz { rules: Vec<MessageRule> },
    Juhe,
    Shim,
}

/// What the plan knows of the call when an answer arrives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnswerContext<'a> {
    pub document: DocumentKind,
    /// `YYYY-MM-DD`, for the "not in the future" date checks.
    pub today: Option<&'a str>,
    /// The glue's id for this call, the `requestId` when the provider sends none.
    pub client_request_id: Option<&'a str>,
}

/// What an answer means.
#[derive(Debug)]
pub(crate) enum Reading {
    /// Final: the typed result or the error of the call.
    Final(Result<Recognized, OcrError>),
    /// Not the provider's answer (HTML, an empty or broken body): another endpoint may be tried.
    NotTheProvider,
}

/// The requests of one call: to the Worker shim in `proxyUrl` mode, else to the provider that
/// reads `opts.document`. Fails before any request (missing options, image over the budget).
pub(crate) fn prepare(opts: &RecognizeOptions, payload: ImagePayload) -> Result<Call, OcrError> {
    if let Some(proxy_url) = &opts.proxy_url {
        return shim_client::prepare(proxy_url, opts, payload);
    }
    match provider_for(opts.document) {
        Provider::Juhe => juhe::prepare(opts, payload),
        _ => apihz::prepare(opts, payload),
    }
}

/// The provider that reads `document` (directly, or behind the Worker shim).
pub fn provider_for(document: DocumentKind) -> Provider {
    match document {
        DocumentKind::RegistrationCertificate => Provider::Juhe,
        DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack => Provider::Apihz,
    }
}

impl Reader {
    /// An answer (any status; `answer` is the body when it is a JSON object, already redacted
    /// of the call's secrets). A provider's JSON object is its answer and final, whatever the
    /// status; anything else is not (the plan may fail over). The shim's answers are all final.
    pub(crate) fn read(&self, status: u16, answer: Option<Value>, cx: &AnswerContext) -> Reading {
        let (provider, rules): (Provider, &[MessageRule]) = match self {
            Reader::Shim => return Reading::Final(shim_client::answer(status, answer, cx)),
            Reader::Apihz { rules } => (Provider::Apihz, rules),
            Reader::Juhe => (Provider::Juhe, &[]),
        };
        match answer {
            Some(a) => Reading::Final(read_answer(
                provider,
                a,
                rules,
                cx,
                cx.client_request_id.map(str::to_owned),
            )),
            None => Reading::NotTheProvider,
        }
    }
}

/// A provider's JSON answer (of a direct call, or the `raw` payload relayed by the Worker shim)
/// as the typed result or the provider's error. `requestId` is the provider's own id for the
/// call when it sends one, else `fallback_id`.
pub(crate) fn read_answer(
    provider: Provider,
    answer: Value,
    rules: &[MessageRule],
    cx: &AnswerContext,
    fallback_id: Option<String>,
) -> Result<Recognized, OcrError> {
    let id = match provider {
        Provider::Juhe => {
            juhe::check_answer(&answer)?;
            juhe::request_id(&answer)
        }
        _ => {
            apihz::check_answer(&answer, rules)?;
            apihz::request_id(&answer)
        }
    };
    Ok(normalize(
        cx.document,
        provider,
        id.or(fallback_id),
        answer,
        cx.today.map(str::to_owned),
    ))
}

/// What `provider` says about `document`'s fields in its successful answer `raw`.
pub fn fields(provider: Provider, document: DocumentKind, raw: &Value) -> ProviderFields {
    match provider {
        Provider::Juhe => juhe::fields(document, raw),
        _ => apihz::fields(document, raw),
    }
}

/// Build the typed result for `document` from `provider`'s successful answer `raw` (kept
/// untouched in the result). `today` (`YYYY-MM-DD`) enables the "not in the future" date
/// checks. Never panics.
pub fn normalize(
    document: DocumentKind,
    provider: Provider,
    request_id: Option<String>,
    raw: Value,
    today: Option<String>,
) -> Recognized {
    let f = fields(provider, document, &raw);
    model::normalize(document, provider, request_id, &f, raw, today)
}

/// An id a provider or the Worker sent, when it is usable as `requestId`: non-empty text of at
/// most 128 printable characters (numbers as text).
pub(crate) fn usable_id(v: &Value) -> Option<String> {
    let id = wire::scalar_text(v)?;
    let id = id.trim();
    let ok = !id.is_empty() && id.chars().count() <= 128 && !id.chars().any(char::is_control);
    ok.then(|| id.to_owned())
}

/// `IMAGE_TOO_LARGE` for an image whose base64 (`len` characters) is over the budget.
pub(crate) fn too_large(len: usize, max_base64_chars: usize, provider: Provider) -> OcrError {
    OcrError::new(
        ErrorCode::ImageTooLarge,
        format!(
            "the image is {len} base64 characters, over the budget of maxBase64Chars = {max_base64_chars}; prepare (shrink) it first"
        ),
    )
    .with_retryable(false)
    .with_provider(provider)
}

/// The image bytes, MIME type and base64 (when the caller gave it) of a payload under the
/// budget, checked without encoding; `what` says in the error which call needs the image itself.
pub(crate) fn image_within_budget(
    payload: ImagePayload,
    max_base64_chars: usize,
    provider: Provider,
    what: &str,
) -> Result<(Vec<u8>, &'static str, Option<String>), OcrError> {
    let ImagePayload::Image {
        bytes,
        mime,
        base64,
    } = payload
    else {
        return Err(OcrError::config(format!(
            "{what} needs the image itself: pass a Blob, bytes or base64, not an http(s) URL"
        ))
        .with_provider(provider));
    };
    let len = wire::base64_len(bytes.len());
    if len > max_base64_chars {
        return Err(too_large(len, max_base64_chars, provider));
    }
    Ok((bytes, mime, base64))
}

/// The base64 the caller passed along with `bytes` when it has the right length (the package's
/// own prepare step computed it already), else computed here.
pub(crate) fn base64_of(bytes: &[u8], given: Option<String>) -> String {
    match given {
        Some(b64) if b64.len() == wire::base64_len(bytes.len()) => b64,
        _ => wire::base64_standard(bytes),
    }
}

/// The secrets and, where different, their percent-encoded forms (as they travel in a body).
pub(crate) fn with_encoded(secrets: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in secrets {
        for form in [s.to_string(), wire::percent_encode(s.as_bytes())] {
            if !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}
