//! The sans-IO request state machine.
//!
//! The glue drives it:
//! ```text
//! let mut step = plan.start();
//! loop {
//!     match step {
//!         Step::Send(req) => match fetch(req) {               // glue: real fetch, timeout, abort
//!             Ok((status, body)) => step = plan.on_response(status, &body),
//!             Err(connection_failure) => step = plan.on_network_error(),
//!         },
//!         Step::Done(result) => return result,
//!     }
//! }
//! ```
//!
//! # Retry policy: no paid retries
//!
//! Every provider call costs money (apihz: 200 points a call), so a request the provider may have
//! processed is never sent again:
//!
//! - apihz, ordered `endpoints`: the next endpoint is tried only when the current one certainly
//!   did not answer as the provider — a network error (connection refused/reset, DNS, the fetch
//!   promise rejected), an HTTP 5xx whose body is not a JSON object, or any body that is not a
//!   JSON object (an HTML error page, a truncated or malformed body). A JSON object is the
//!   provider's answer and is final, whatever the HTTP status: a `code:400` is reported, never
//!   retried. When every endpoint failed, the call ends with `NETWORK` (the last failure was a
//!   network error) or `PROVIDER_ERROR`, naming how many endpoints were tried (never their URLs).
//! - juhe: one endpoint, no retry at all.
//! - A timeout or a caller abort ends the call in the glue: never retried (the request may have
//!   reached the provider).
//!
//! Keys and ids travel only in request bodies, never in a URL; every error leaving the plan is
//! redacted of them and carries its provider.

use crate::options::{JuheUpload, MessageRule};
use crate::{
    apihz, juhe, model, wire, DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions,
    Recognized,
};
use serde_json::Value;

/// `Debug` shows the body's length only: it holds the key and the image.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    /// Never carries a key, id or image.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// What is sent: an image already under the budget, or a remote URL (apihz `type=1`).
/// `base64`: the standard base64 of `bytes` when the caller already has it (the prepared image
/// carries it), so it is not computed a second time; ignored unless its length matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImagePayload {
    Image {
        bytes: Vec<u8>,
        mime: &'static str,
        base64: Option<String>,
    },
    RemoteUrl(String),
}

#[derive(Debug)]
pub enum Step {
    Send(HttpRequest),
    Done(Result<Recognized, OcrError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Network,
    Status(u16),
    NotJson(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NotStarted,
    /// Waiting for the answer of `urls[i]`.
    Sent(usize),
    Finished,
}

/// `Debug` shows no secret and no body.
pub struct Plan {
    provider: Provider,
    document: DocumentKind,
    urls: Vec<String>,
    content_type: String,
    body: Vec<u8>,
    secrets: Vec<String>,
    rules: Vec<MessageRule>,
    today: Option<String>,
    state: State,
    last_failure: Option<Failure>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("provider", &self.provider)
            .field("document", &self.document)
            .field("endpoints", &self.urls.len())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// Build the requests for one call. Fails before any request with `CONFIG` (missing provider
    /// options, a URL for juhe or in `proxyUrl` mode) or `IMAGE_TOO_LARGE` (the base64
    /// of the image exceeds `max_base64_chars`; multipart uses the same budget).
    pub fn new(
        opts: &RecognizeOptions,
        payload: ImagePayload,
        today: Option<String>,
    ) -> Result<Plan, OcrError> {
        if let Some(proxy_url) = &opts.proxy_url {
            // proxyUrl mode (issue 4): one POST of the image to the Worker shim, no key, no
            // retry; its answer is read by `shim::proxy::answer` (see `on_response`).
            let req = crate::shim::proxy::request(
                proxy_url,
                opts.document,
                payload,
                opts.max_base64_chars,
            )?;
            return Ok(Plan {
                provider: Provider::Shim,
                document: opts.document,
                urls: vec![req.url],
                content_type: req.content_type,
                body: req.body,
                secrets: Vec::new(),
                rules: Vec::new(),
                today,
                state: State::NotStarted,
                last_failure: None,
            });
        }
        let too_large =
            |len: usize, provider: Provider| too_large(len, opts.max_base64_chars, provider);
        match opts.document {
            DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack => {
                let a = opts.apihz.as_ref().ok_or_else(|| {
                    OcrError::config(
                        "option `apihz` ({ id, key }) is required for the vehicle licence",
                    )
                    .with_provider(Provider::Apihz)
                })?;
                let secrets = with_encoded(&[&a.key, &a.id]);
                let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
                let body = match &payload {
                    ImagePayload::Image { bytes, base64, .. } => {
                        let len = wire::base64_len(bytes.len());
                        if len > opts.max_base64_chars {
                            return Err(too_large(len, Provider::Apihz));
                        }
                        let b64 = reuse_base64(bytes, base64.as_deref());
                        apihz::form_body(&a.id, &a.key, opts.document, apihz::ImgType::Base64, &b64)
                    }
                    ImagePayload::RemoteUrl(url) => {
                        if !crate::options::is_http_url(url) {
                            return Err(OcrError::new(
                                ErrorCode::InvalidImage,
                                "the image URL is not an absolute http(s) URL",
                            )
                            .with_retryable(false)
                            .with_provider(Provider::Apihz)
                            .redacted(&refs));
                        }
                        apihz::form_body(&a.id, &a.key, opts.document, apihz::ImgType::Url, url)
                    }
                };
                Ok(Plan {
                    provider: Provider::Apihz,
                    document: opts.document,
                    urls: a.endpoints.clone(),
                    content_type: wire::FORM_CONTENT_TYPE.to_owned(),
                    body: body.into_bytes(),
                    secrets,
                    rules: a.message_rules.clone(),
                    today,
                    state: State::NotStarted,
                    last_failure: None,
                })
            }
            DocumentKind::RegistrationCertificate => {
                let j = opts.juhe.as_ref().ok_or_else(|| {
                    OcrError::config(
                        "option `juhe` ({ key }) is required for registrationCertificate",
                    )
                    .with_provider(Provider::Juhe)
                })?;
                let ImagePayload::Image {
                    bytes,
                    mime,
                    base64,
                } = &payload
                else {
                    return Err(OcrError::config(
                        "juhe (registrationCertificate) needs the image itself: pass a Blob, bytes or base64, not an http(s) URL",
                    )
                    .with_provider(Provider::Juhe));
                };
                let len = wire::base64_len(bytes.len());
                if len > opts.max_base64_chars {
                    return Err(too_large(len, Provider::Juhe));
                }
                let (path, content_type, body) = match j.upload {
                    JuheUpload::Base64 => {
                        let b64 = reuse_base64(bytes, base64.as_deref());
                        let body = wire::form_urlencoded(&[("key", &j.key), ("file", &b64)]);
                        (
                            juhe::QUERY_PATH,
                            wire::FORM_CONTENT_TYPE.to_owned(),
                            body.into_bytes(),
                        )
                    }
                    JuheUpload::Multipart => {
                        let m = wire::multipart(
                            &[("key", &j.key)],
                            wire::FilePart {
                                name: "file",
                                filename: wire::filename_for(mime),
                                mime,
                                data: bytes,
                            },
                        );
                        (juhe::VERIFY_PATH, m.content_type, m.body)
                    }
                };
                Ok(Plan {
                    provider: Provider::Juhe,
                    document: opts.document,
                    urls: vec![format!("{}{}", j.base_url, path)],
                    content_type,
                    body,
                    secrets: with_encoded(&[&j.key]),
                    rules: Vec::new(),
                    today,
                    state: State::NotStarted,
                    last_failure: None,
                })
            }
        }
    }

    /// The first request.
    pub fn start(&mut self) -> Step {
        match self.state {
            State::NotStarted => self.send(0),
            _ => self.finish(Err(OcrError::new(
                ErrorCode::ProviderError,
                "internal: the request plan was already started",
            ))),
        }
    }

    /// The answer of the last request (any HTTP status, the whole body).
    pub fn on_response(&mut self, status: u16, body: &[u8]) -> Step {
        let State::Sent(i) = self.state else {
            return self.not_waiting();
        };
        if self.provider == Provider::Shim {
            let result =
                crate::shim::proxy::answer(self.document, status, body, self.today.clone());
            return self.finish(result);
        }
        let answer = serde_json::from_slice::<Value>(body)
            .ok()
            .filter(Value::is_object);
        let Some(answer) = answer else {
            let failure = if status >= 500 {
                Failure::Status(status)
            } else {
                Failure::NotJson(status)
            };
            return self.failed(i, failure);
        };
        // A JSON object is the provider's answer: final, whatever the status.
        let result = read_answer(
            self.provider,
            self.document,
            answer,
            &self.rules,
            self.today.clone(),
        );
        self.finish(result)
    }

    /// The last request got no answer (connection failure, DNS, the fetch promise rejected).
    pub fn on_network_error(&mut self) -> Step {
        let State::Sent(i) = self.state else {
            return self.not_waiting();
        };
        self.failed(i, Failure::Network)
    }

    /// Strings that must never appear in any output (keys, ids, and their percent-encoded
    /// forms when they differ), for redaction by the glue.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets.clone()
    }

    /// The provider this plan calls.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    fn send(&mut self, i: usize) -> Step {
        let Some(url) = self.urls.get(i) else {
            return self.finish(Err(OcrError::config("no endpoint configured")));
        };
        self.state = State::Sent(i);
        // The last endpoint takes the body (up to the whole base64 budget); earlier ones copy
        // it for the next try.
        let body = if i + 1 >= self.urls.len() {
            std::mem::take(&mut self.body)
        } else {
            self.body.clone()
        };
        Step::Send(HttpRequest {
            method: "POST",
            url: url.clone(),
            headers: vec![
                ("Content-Type".to_owned(), self.content_type.clone()),
                ("Accept".to_owned(), "application/json".to_owned()),
            ],
            body,
        })
    }

    fn failed(&mut self, i: usize, failure: Failure) -> Step {
        self.last_failure = Some(failure);
        let n = self.urls.len();
        if self.provider == Provider::Apihz && i + 1 < n {
            return self.send(i + 1);
        }
        let what = match failure {
            Failure::Network => "could not be reached (network error)".to_owned(),
            Failure::Status(s) => format!("answered HTTP {s} without a JSON answer"),
            Failure::NotJson(s) => {
                format!("answered HTTP {s} with a body that is not the provider's JSON")
            }
        };
        let message = match self.provider {
            Provider::Apihz if n > 1 => format!(
                "all {n} apihz endpoints were tried and failed; the last (endpoint {n} of {n}) {what}"
            ),
            Provider::Apihz => format!("the apihz endpoint (1 endpoint tried) {what}"),
            _ => format!("{} {what}", self.provider.as_str()),
        };
        let code = match failure {
            Failure::Network => ErrorCode::Network,
            _ => ErrorCode::ProviderError,
        };
        self.finish(Err(OcrError::new(code, message)))
    }

    fn not_waiting(&mut self) -> Step {
        self.finish(Err(OcrError::new(
            ErrorCode::ProviderError,
            "internal: an answer arrived while no request was pending",
        )))
    }

    fn finish(&mut self, result: Result<Recognized, OcrError>) -> Step {
        self.state = State::Finished;
        let refs: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        Step::Done(result.map_err(|e| {
            let e = if e.provider.is_none() {
                e.with_provider(self.provider)
            } else {
                e
            };
            e.redacted(&refs)
        }))
    }
}

/// The base64 the caller passed along with `bytes` when it has the right length (the caller is
/// the package's own prepare step), else computed here.
fn reuse_base64<'a>(bytes: &[u8], given: Option<&'a str>) -> std::borrow::Cow<'a, str> {
    match given {
        Some(b64) if b64.len() == wire::base64_len(bytes.len()) => std::borrow::Cow::Borrowed(b64),
        _ => std::borrow::Cow::Owned(wire::base64_standard(bytes)),
    }
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

/// A provider's JSON answer (juhe, else apihz) as the typed result or the mapped error: the
/// answer of a direct call, or the `raw` payload relayed by the Worker shim.
pub(crate) fn read_answer(
    provider: Provider,
    document: DocumentKind,
    answer: Value,
    rules: &[MessageRule],
    today: Option<String>,
) -> Result<Recognized, OcrError> {
    let (provider, request_id) = match provider {
        Provider::Juhe => {
            juhe::check_answer(&answer)?;
            (Provider::Juhe, juhe::order_id(&answer))
        }
        _ => {
            apihz::check_answer(&answer, rules)?;
            (Provider::Apihz, None)
        }
    };
    Ok(model::normalize(
        document, provider, request_id, answer, today,
    ))
}

/// The secrets and, where different, their percent-encoded forms (as they travel in a body).
fn with_encoded(secrets: &[&str]) -> Vec<String> {
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
