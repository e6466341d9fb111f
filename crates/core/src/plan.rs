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
//! - A redirect (HTTP 3xx) is never followed and ends the call (see [`Plan::on_response`]).
//!
//! The plan knows no provider: [`crate::providers`] builds the requests and reads the answers.
//! Keys and ids travel only in request bodies, never in a URL; every result and error leaving
//! the plan is redacted of them (the glue does nothing) and carries its provider.

use crate::error::redact;
use crate::providers::{self, AnswerContext, Reader, Reading};
use crate::{DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions, Recognized};
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
    failover: bool,
    content_type: String,
    body: Vec<u8>,
    secrets: Vec<String>,
    reader: Reader,
    today: Option<String>,
    request_id: Option<String>,
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
    ///
    /// The glue passes what the core cannot make itself (it has no clock and no randomness):
    /// `today` (`YYYY-MM-DD`, for the "not in the future" date checks) and `request_id`, a
    /// fresh random id for this call (a UUID), the result's `requestId` when the provider sends
    /// none of its own.
    pub fn new(
        opts: &RecognizeOptions,
        payload: ImagePayload,
        today: Option<String>,
        request_id: Option<String>,
    ) -> Result<Plan, OcrError> {
        let call = providers::prepare(opts, payload)?;
        Ok(Plan {
            provider: call.provider,
            document: opts.document,
            urls: call.urls,
            failover: call.failover,
            content_type: call.content_type,
            body: call.body,
            secrets: call.secrets,
            reader: call.reader,
            today,
            request_id,
            state: State::NotStarted,
            last_failure: None,
        })
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

    /// The answer of the last request: its HTTP status and whole body.
    ///
    /// Redirects are never followed (the glue sends with `redirect: "manual"`): any status
    /// 300–399 ends the call with `PROVIDER_ERROR` ("answered with a redirect, which is never
    /// followed"), not retryable, never failed over and nothing re-sent — a redirect would carry
    /// the key and the image to another host. A browser's opaque redirect (status 0, `type ==
    /// "opaqueredirect"`) has no status to give: the glue feeds it as
    /// [`Plan::OPAQUE_REDIRECT_STATUS`] (399).
    ///
    /// Every string of an answer (and so every text of the result: `raw`, `sources`, the typed
    /// values, `providerMessage`) is redacted of the call's secrets before it is read.
    pub fn on_response(&mut self, status: u16, body: &[u8]) -> Step {
        let State::Sent(i) = self.state else {
            return self.not_waiting();
        };
        if (300..=399).contains(&status) {
            let who = match self.provider {
                Provider::Shim => "the OCR shim (proxyUrl)".to_owned(),
                p if self.urls.len() > 1 => {
                    let n = self.urls.len();
                    format!("the {} endpoint {} of {n}", p.as_str(), i + 1)
                }
                p => format!("the {} endpoint", p.as_str()),
            };
            let shown = if status == Self::OPAQUE_REDIRECT_STATUS {
                "a redirect".to_owned()
            } else {
                format!("a redirect (HTTP {status})")
            };
            return self.finish(Err(OcrError::new(
                ErrorCode::ProviderError,
                format!(
                    "{who} answered with {shown}, which is never followed; check the endpoint URL"
                ),
            )
            .with_retryable(false)));
        }
        let mut answer = serde_json::from_slice::<Value>(body)
            .ok()
            .filter(Value::is_object);
        if let Some(a) = answer.as_mut() {
            redact_json(a, &self.secret_refs());
        }
        let cx = AnswerContext {
            document: self.document,
            today: self.today.as_deref(),
            client_request_id: self.request_id.as_deref(),
        };
        match self.reader.read(status, answer, &cx) {
            Reading::Final(result) => self.finish(result),
            Reading::NotTheProvider => {
                let failure = if status >= 500 {
                    Failure::Status(status)
                } else {
                    Failure::NotJson(status)
                };
                self.failed(i, failure)
            }
        }
    }

    /// The last request got no answer (connection failure, DNS, the fetch promise rejected).
    pub fn on_network_error(&mut self) -> Step {
        let State::Sent(i) = self.state else {
            return self.not_waiting();
        };
        self.failed(i, Failure::Network)
    }

    /// The status the glue feeds for a browser's opaque redirect (see [`Plan::on_response`]).
    pub const OPAQUE_REDIRECT_STATUS: u16 = 399;

    /// Strings that must never appear in any output (keys, ids, and their percent-encoded
    /// forms when they differ). Every result and error the plan returns is already redacted
    /// of them (see [`crate::error::redact`] for the rule).
    pub fn secrets(&self) -> Vec<String> {
        self.secrets.clone()
    }

    fn secret_refs(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
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
        if self.failover && i + 1 < n {
            return self.send(i + 1);
        }
        let what = match failure {
            Failure::Network => "could not be reached (network error)".to_owned(),
            Failure::Status(s) => format!("answered HTTP {s} without a JSON answer"),
            Failure::NotJson(s) => {
                format!("answered HTTP {s} with a body that is not the provider's JSON")
            }
        };
        let name = self.provider.as_str();
        let message = if !self.failover {
            format!("{name} {what}")
        } else if n > 1 {
            format!("all {n} {name} endpoints were tried and failed; the last (endpoint {n} of {n}) {what}")
        } else {
            format!("the {name} endpoint (1 endpoint tried) {what}")
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
        let refs = self.secret_refs();
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

/// Every string of `v` (object keys included, and numbers whose text holds a secret) with the
/// secrets replaced by `[redacted]` (the rule of [`redact`]).
fn redact_json(v: &mut Value, secrets: &[&str]) {
    match v {
        Value::String(s) => {
            let r = redact(s, secrets);
            if r != *s {
                *s = r;
            }
        }
        Value::Number(n) => {
            let text = n.to_string();
            let r = redact(&text, secrets);
            if r != text {
                *v = Value::String(r);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_json(i, secrets)),
        Value::Object(map) => {
            let redacted_keys = map.keys().any(|k| redact(k, secrets) != *k);
            if redacted_keys {
                let old = std::mem::take(map);
                for (k, mut item) in old {
                    redact_json(&mut item, secrets);
                    map.insert(redact(&k, secrets), item);
                }
            } else {
                map.values_mut().for_each(|i| redact_json(i, secrets));
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}
