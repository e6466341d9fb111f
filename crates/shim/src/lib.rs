//! `vehicle-doc-ocr-shim`: the decisions of the Cloudflare Worker shim (issue #4): routing,
//! CORS, the bearer token, body limits, and the mapping of [`OcrError`]s to HTTP answers. The
//! Worker (`worker/src/index.js`, through the package subpath `vehicle-doc-ocr/worker` and its
//! own wasm module) only moves bytes: it asks [`Shim::decide`] what to do with a request, streams the body under
//! the cap the decision gives, asks [`Shim::check_body`] about the first bytes, calls
//! `recognize()` with the options the decision built, and turns a failure into an answer with
//! [`Shim::error_response`].
//!
//! Order of checks for `POST /v1/recognize` (cheapest and least revealing first; nothing here
//! reaches a provider, and a refused request never costs money):
//! 1. configuration valid, else 500 `CONFIG` (the body never says which variable);
//! 2. path (404) — 3. `Origin` (403) — 4. method (405) — 5. bearer token (401);
//! 6. `document` (400) and a provider configured for it (500);
//! 7. declared `Content-Type` (415) and `Content-Length` over the cap (413);
//! 8. then the Worker: rate limit (429, [`Shim::reject`]), streamed body cap (413), magic
//!    bytes (415, [`Shim::check_body`]), `recognize()`, error mapping ([`Shim::error_response`]).
//!
//! Requests without an `Origin` header (servers, native apps, curl) are allowed: `Origin` is
//! only a browser's statement, anyone else can send any value, so refusing its absence would
//! break server-to-server callers without stopping an attacker. What protects the paid keys
//! against non-browser callers is the rate limit, the body cap and, for apps that can keep
//! one, `SHIM_TOKEN`. A request *with* an `Origin` that is not listed is refused (403), so other
//! web pages cannot spend the keys through their visitors' browsers.
//!
//! Architecture invariant: like `vehicle-doc-ocr-core`, this crate is pure Rust (no wasm, JS or
//! network dependency); the glue (`crates/wasm`, feature `shim`) converts JS values and calls it.
//! It is never linked into the browser's wasm module.
//!
//! Invariant: no answer built here contains a key, an id, the token, a configured endpoint or
//! any configuration value; error bodies carry a code, a message, `retryable`, and at most the
//! provider's name and public code.

pub mod config;

pub use config::{ConfigProblems, ShimConfig};

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use vehicle_doc_ocr_core::error::redact;
use vehicle_doc_ocr_core::{DocumentKind, ErrorCode, OcrError, Provider};

/// The recognition path: one constant for the Worker and its client (`proxyUrl` mode in core).
pub use vehicle_doc_ocr_core::providers::shim_client::RECOGNIZE_PATH;
/// The health path.
pub const HEALTH_PATH: &str = "/v1/health";
/// Preflight cache (Chromium caps it at 7200 s).
pub const PREFLIGHT_MAX_AGE_SECONDS: u32 = 7200;
/// Retry-After sent with a provider's own rate-limit answer (its limits are per minute).
pub const PROVIDER_RETRY_AFTER_SECONDS: u32 = 60;

/// What the Worker knows about an incoming request (header values as received).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFacts {
    pub method: String,
    /// The full request URL.
    pub url: String,
    pub origin: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub content_length: Option<String>,
    /// `CF-Connecting-IP` (set by Cloudflare; the rate-limit key).
    pub client_ip: Option<String>,
}

/// A complete HTTP answer. `body` is the JSON value to send (`None`: no body, for 204); the
/// Worker serializes it (`JSON.stringify`), which keeps serde_json's writer out of the wasm file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShimResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Read and discard up to this many bytes of an unread request body before answering
    /// (0: don't). An HTTP/1.1 client still uploading when the server answers and closes
    /// sees a reset instead of the answer; draining a body that is within the cap avoids that
    /// for early refusals (401, 403, 415, 429, ...). Never for 413: that body is over the cap.
    pub drain_bytes: usize,
}

impl ShimResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Go ahead: read the body (at most `cap_bytes`), then call `recognize(bytes, options)` and
/// answer 200 with the result as JSON and `headers`.
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forward {
    pub document: DocumentKind,
    pub cap_bytes: usize,
    /// Whether the Worker may run the wasm image codec (only with `PREPARE_IN_WORKER=1`).
    pub prepare_in_worker: bool,
    /// Key for `env.RATE_LIMITER.limit({ key })`.
    pub rate_limit_key: String,
    /// Headers of the success answer (CORS included).
    pub headers: Vec<(String, String)>,
    /// The `recognize()` options, keys included: never log this.
    pub options: Value,
}

impl fmt::Debug for Forward {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Forward")
            .field("document", &self.document)
            .field("cap_bytes", &self.cap_bytes)
            .field("prepare_in_worker", &self.prepare_in_worker)
            .field("headers", &self.headers)
            .field("options", &"[redacted]")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum Decision {
    /// Answer this and stop.
    Respond(ShimResponse),
    /// Carry on with the body.
    Forward(Forward),
}

/// Where a request goes, by method and path only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `POST /v1/recognize`; `None` when the `document` parameter is missing or unknown.
    Recognize {
        document: Option<DocumentKind>,
    },
    /// `GET /v1/health`
    Health,
    /// `OPTIONS` on a known path; `allow` lists the path's methods.
    Preflight {
        allow: &'static str,
    },
    NotFound,
    MethodNotAllowed {
        allow: &'static str,
    },
}

const RECOGNIZE_METHODS: &str = "POST, OPTIONS";
const HEALTH_METHODS: &str = "GET, OPTIONS";

/// Route a request. Only the `document` query parameter is read: anything else a client sends
/// (`key`, `id`, `endpoints`, `baseUrl`, ...) is ignored, so it can never override the shim's
/// configuration.
pub fn route(method: &str, url: &str) -> Route {
    let (path, query) = split_url(url);
    let (allow, is_main) = match path {
        RECOGNIZE_PATH => (RECOGNIZE_METHODS, "POST"),
        HEALTH_PATH => (HEALTH_METHODS, "GET"),
        _ => return Route::NotFound,
    };
    if method == "OPTIONS" {
        return Route::Preflight { allow };
    }
    if method != is_main {
        return Route::MethodNotAllowed { allow };
    }
    if path == HEALTH_PATH {
        return Route::Health;
    }
    let document = query_param(query, "document").and_then(|d| DocumentKind::parse(&d));
    Route::Recognize { document }
}

/// Path and query of an absolute (`https://host/p?q`) or origin-form (`/p?q`) URL.
pub fn split_url(url: &str) -> (&str, &str) {
    let url = url.split('#').next().unwrap_or("");
    let after_scheme = match url.find("://") {
        Some(i) => {
            let rest = url.get(i + 3..).unwrap_or("");
            match rest.find(['/', '?']) {
                Some(j) => rest.get(j..).unwrap_or(""),
                None => "",
            }
        }
        None => url,
    };
    let (path, query) = after_scheme.split_once('?').unwrap_or((after_scheme, ""));
    (if path.is_empty() { "/" } else { path }, query)
}

/// First value of `name` in a query string, percent-decoded (`+` is a space).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k)? == name)
            .then(|| percent_decode(v))
            .flatten()
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// How the request's `Origin` relates to the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginVerdict {
    /// No `Origin` header: not a cross-origin browser request; allowed, no CORS headers.
    Absent,
    /// Listed: echo it.
    Allowed(String),
    /// Present and not listed: 403. That includes every value that is not one serialized origin:
    /// empty or blank, `null`, several origins (repeated headers arrive joined by `, `).
    Denied,
}

/// `origin` is the header's value as received. Optional whitespace around a field value is not
/// part of it (RFC 9110 §5.5; workerd keeps trailing whitespace), so it is trimmed; what remains
/// must equal a listed origin exactly. The list holds only valid origins (see
/// [`config`]), so an empty, `null` or comma-joined value can never match.
pub fn check_origin(allowed: &[String], origin: Option<&str>) -> OriginVerdict {
    let Some(raw) = origin else {
        return OriginVerdict::Absent;
    };
    let o = trim_ows(raw);
    if !o.is_empty() && allowed.iter().any(|a| a == o) {
        OriginVerdict::Allowed(o.to_owned())
    } else {
        OriginVerdict::Denied
    }
}

/// A header value without the optional whitespace (space, tab) around it.
fn trim_ows(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

/// `Authorization: Bearer <token>` against the configured token, in time independent of where
/// the first difference is. As RFC 9110 §11.4 writes it: the scheme (any case), one or more
/// spaces, the token; whitespace around the value is ignored. Anything else (a tab as the
/// separator, a second token, two headers joined by `, `) does not match.
pub fn token_matches(expected: &str, authorization: Option<&str>) -> bool {
    let Some(header) = authorization else {
        return false;
    };
    let Some((scheme, given)) = trim_ows(header).split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && constant_time_eq(
            expected.as_bytes(),
            given.trim_start_matches(' ').as_bytes(),
        )
}

/// Compares every byte of `given` whatever the content; only the lengths' equality leaks.
pub fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    let mut diff = u8::from(expected.len() != given.len());
    for (i, g) in given.iter().enumerate() {
        let e = expected
            .get(i % expected.len().max(1))
            .copied()
            .unwrap_or(0);
        diff |= e ^ g;
    }
    std::hint::black_box(diff) == 0
}

/// The image types the shim forwards (what both providers read).
const ACCEPTED_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// The image type named by the first bytes, if it is one the providers accept.
pub fn sniff_image(head: &[u8]) -> Option<&'static str> {
    vehicle_doc_ocr_core::input::sniff(head).filter(|m| ACCEPTED_TYPES.contains(m))
}

/// The declared `Content-Type` is one of the three accepted image types (parameters ignored).
pub fn content_type_ok(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    ACCEPTED_TYPES.contains(&essence.as_str())
}

/// HTTP status for an error code coming out of `recognize()`.
///
/// - `CONFIG` 500: the shim itself is misconfigured (the client sent only bytes and a valid
///   `document`); the message never says which variable.
/// - `AUTH` and `QUOTA` 502: the *shim's* provider account is refused or exhausted. That is a
///   bad answer from upstream, not the client's fault: 401/403 would tell the client its own
///   token or origin is wrong, and 429 would invite it to retry into an empty account.
/// - `RATE_LIMITED` 429 with `Retry-After`; `RECOGNITION_FAILED` 400 (the photo could not be
///   read: the client should take another one); `PROVIDER_ERROR`, `NETWORK`, `ABORTED` 502;
///   `TIMEOUT` 504.
pub fn status_for(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::Config => 500,
        ErrorCode::InvalidImage | ErrorCode::RecognitionFailed | ErrorCode::PoorImage => 400,
        ErrorCode::UnsupportedFormat => 415,
        ErrorCode::ImageTooLarge => 413,
        ErrorCode::RateLimited => 429,
        ErrorCode::Timeout => 504,
        ErrorCode::Auth
        | ErrorCode::Quota
        | ErrorCode::ProviderError
        | ErrorCode::Network
        | ErrorCode::Aborted => 502,
        #[allow(unreachable_patterns)] // ErrorCode is #[non_exhaustive] for other crates only
        _ => 502,
    }
}

/// Rejections the Worker detects itself while handling a forwarded request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The rate-limit binding said no.
    RateLimited,
    /// The streamed body passed the cap.
    TooLarge,
}

impl Rejection {
    pub fn parse(s: &str) -> Option<Rejection> {
        match s {
            "rateLimited" => Some(Rejection::RateLimited),
            "tooLarge" => Some(Rejection::TooLarge),
            _ => None,
        }
    }
}

/// The shim, configured from the Worker's environment once per request (or cached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shim {
    config: Result<ShimConfig, ConfigProblems>,
}

impl Shim {
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Shim {
        Shim {
            config: ShimConfig::from_env(var),
        }
    }

    pub fn new(config: ShimConfig) -> Shim {
        Shim { config: Ok(config) }
    }

    pub fn config(&self) -> Result<&ShimConfig, &ConfigProblems> {
        self.config.as_ref()
    }

    /// What to do with a request before its body is read.
    pub fn decide(&self, req: &RequestFacts) -> Decision {
        match self.decide_inner(req) {
            Decision::Respond(mut r) if r.status != 413 => {
                r.drain_bytes = self.drain_cap();
                Decision::Respond(r)
            }
            d => d,
        }
    }

    /// How much of an unread body the Worker may drain before an early answer.
    fn drain_cap(&self) -> usize {
        match &self.config {
            Ok(cfg) => cfg.body_cap_bytes(),
            Err(_) => config::budget_bytes(config::DEFAULT_MAX_BASE64_CHARS),
        }
    }

    fn decide_inner(&self, req: &RequestFacts) -> Decision {
        let route = route(&req.method, &req.url);
        let cfg = match &self.config {
            Ok(cfg) => cfg,
            Err(_) => {
                return Decision::Respond(match route {
                    Route::Health => json_response(503, base_headers(None), health_body(None)),
                    _ => error(500, None, ErrorCode::Config, MISCONFIGURED, false, None),
                })
            }
        };
        let verdict = check_origin(&cfg.allowed_origins, req.origin.as_deref());
        if route == Route::NotFound {
            // Unknown paths answer 404 whatever the origin (CORS headers only for listed ones).
            let echo = match verdict {
                OriginVerdict::Allowed(o) => Some(o),
                _ => None,
            };
            let msg = "unknown path: use POST /v1/recognize?document=... or GET /v1/health";
            return Decision::Respond(shim_error(
                404,
                echo.as_deref(),
                ErrorCode::Config,
                msg,
                false,
            ));
        }
        let echo = match verdict {
            OriginVerdict::Denied => {
                let msg = "this origin is not allowed to use this OCR shim";
                return Decision::Respond(shim_error(403, None, ErrorCode::Auth, msg, false));
            }
            OriginVerdict::Allowed(o) => Some(o),
            OriginVerdict::Absent => None,
        };
        let echo = echo.as_deref();
        let document = match route {
            Route::NotFound => None, // handled above
            Route::Preflight { allow } => return Decision::Respond(preflight(echo, allow)),
            Route::MethodNotAllowed { allow } => {
                let mut r = shim_error(405, echo, ErrorCode::Config, "method not allowed", false);
                r.headers.push(("allow".into(), allow.into()));
                return Decision::Respond(r);
            }
            Route::Health => {
                let body = health_body(Some(cfg));
                let status = if health_ok(cfg) { 200 } else { 503 };
                return Decision::Respond(json_response(status, base_headers(echo), body));
            }
            Route::Recognize { document } => document,
        };
        if let Some(token) = &cfg.token {
            if !token_matches(token, req.authorization.as_deref()) {
                let mut r = shim_error(
                    401,
                    echo,
                    ErrorCode::Auth,
                    "missing or wrong bearer token",
                    false,
                );
                r.headers.push(("www-authenticate".into(), "Bearer".into()));
                return Decision::Respond(r);
            }
        }
        let Some(document) = document else {
            let msg = "query parameter `document` must be vehicleLicenseFront, vehicleLicenseBack or registrationCertificate";
            return Decision::Respond(shim_error(400, echo, ErrorCode::Config, msg, false));
        };
        let Some(options) = recognize_options(cfg, document) else {
            let msg = format!("this shim is not configured for {}", document.as_str());
            return Decision::Respond(shim_error(500, echo, ErrorCode::Config, &msg, false));
        };
        if !content_type_ok(req.content_type.as_deref()) {
            let msg = "Content-Type must be image/jpeg, image/png or image/webp";
            return Decision::Respond(shim_error(
                415,
                echo,
                ErrorCode::UnsupportedFormat,
                msg,
                false,
            ));
        }
        let cap = cfg.body_cap_bytes();
        // An unparsable length is left to the streamed cap (workerd rejects most of them itself).
        if let Some(len) = req
            .content_length
            .as_deref()
            .and_then(|l| l.trim().parse::<u64>().ok())
        {
            if len > cap as u64 {
                return Decision::Respond(too_large(echo, cap));
            }
        }
        Decision::Forward(Forward {
            document,
            cap_bytes: cap,
            prepare_in_worker: cfg.prepare_in_worker,
            rate_limit_key: req
                .client_ip
                .as_deref()
                .map(trim_ows)
                .filter(|ip| !ip.is_empty())
                .unwrap_or("unknown")
                .to_owned(),
            headers: base_headers(echo),
            options,
        })
    }

    /// After the body was read: `None` if it may be sent, else the answer. The whole body is
    /// checked before anything is paid for: its magic bytes, then its structure (a complete,
    /// well-formed JPEG/PNG/WebP up to its end, without decoding pixels: issue 11 item 6).
    pub fn check_body(&self, req: &RequestFacts, body: &[u8]) -> Option<ShimResponse> {
        let echo = self.echo(req);
        let echo = echo.as_deref();
        let invalid = |msg: &str| shim_error(400, echo, ErrorCode::InvalidImage, msg, false);
        if body.is_empty() {
            return Some(invalid("the body is empty: send the image bytes"));
        }
        if let Ok(cfg) = &self.config {
            if body.len() > cfg.body_cap_bytes() {
                return Some(too_large(echo, cfg.body_cap_bytes()));
            }
        }
        if sniff_image(body).is_none() {
            let msg = "the body is not a JPEG, PNG or WebP image";
            return Some(shim_error(
                415,
                echo,
                ErrorCode::UnsupportedFormat,
                msg,
                false,
            ));
        }
        if vehicle_doc_ocr_imaging::verify_structure(body).is_err() {
            return Some(invalid(
                "the body is not a complete, well-formed image (truncated or corrupt): send the whole photo",
            ));
        }
        None
    }

    /// The answer to a rejection the Worker detected itself.
    pub fn reject(&self, req: &RequestFacts, why: Rejection) -> ShimResponse {
        let echo = self.echo(req);
        let echo = echo.as_deref();
        match why {
            Rejection::RateLimited => {
                let secs = self
                    .config
                    .as_ref()
                    .map(|c| c.rate_limit_period_seconds)
                    .unwrap_or(config::DEFAULT_RATE_LIMIT_PERIOD_SECONDS);
                let msg = format!("too many requests from this address: retry after {secs} s");
                let mut r = shim_error(429, echo, ErrorCode::RateLimited, &msg, true);
                r.headers.push(("retry-after".into(), secs.to_string()));
                r.drain_bytes = self.drain_cap(); // answered before the body was read
                r
            }
            Rejection::TooLarge => {
                let cap = self
                    .config
                    .as_ref()
                    .map(|c| c.body_cap_bytes())
                    .unwrap_or(0);
                too_large(echo, cap)
            }
        }
    }

    /// The answer for an error `recognize()` rejected with.
    pub fn error_response(&self, req: &RequestFacts, e: &OcrError) -> ShimResponse {
        let echo = self.echo(req);
        let echo = echo.as_deref();
        let status = status_for(e.code);
        let redactions = self.config.as_ref().map(redactions).unwrap_or_default();
        let provider = e.provider.filter(|p| *p != Provider::Shim);
        let mut r = match e.code {
            ErrorCode::Config => error(status, echo, e.code, MISCONFIGURED, false, None),
            ErrorCode::Auth => {
                let msg = "the OCR provider refused this shim's credentials (contact the site's operator)";
                error(status, echo, e.code, msg, false, provider)
            }
            ErrorCode::Quota => {
                let msg = "this shim's OCR provider account has no calls left (contact the site's operator)";
                error(status, echo, e.code, msg, false, provider)
            }
            _ => {
                let message = redact(&e.message, &redactions);
                let provider_code = e.provider_code.as_deref().map(|c| redact(c, &redactions));
                let mut body = error_body(
                    e.code,
                    &message,
                    e.retryable,
                    provider,
                    provider_code.as_deref(),
                );
                // The quality gate's reason codes (no personal data: words like "blurry").
                if let (Some(Value::Object(m)), false) =
                    (body.get_mut("error"), e.reasons.is_empty())
                {
                    let words = e.reasons.iter().map(|r| Value::from(r.as_str())).collect();
                    m.insert("reasons".into(), Value::Array(words));
                }
                json_response(status, base_headers(echo), body)
            }
        };
        if e.code == ErrorCode::RateLimited {
            r.headers.push((
                "retry-after".into(),
                PROVIDER_RETRY_AFTER_SECONDS.to_string(),
            ));
        }
        r
    }

    fn echo(&self, req: &RequestFacts) -> Option<String> {
        match &self.config {
            Ok(cfg) => match check_origin(&cfg.allowed_origins, req.origin.as_deref()) {
                OriginVerdict::Allowed(o) => Some(o),
                _ => None,
            },
            Err(_) => None,
        }
    }
}

const MISCONFIGURED: &str =
    "the OCR shim is misconfigured (its operator can see which setting in the deploy logs)";

/// The `recognize()` options for `document`, or `None` if its provider is not configured.
/// Only the provider the document needs is passed; without `PREPARE_IN_WORKER` the options
/// turn image preparation off (`prepare: { codec: "none" }`).
pub fn recognize_options(cfg: &ShimConfig, document: DocumentKind) -> Option<Value> {
    let mut o = Map::new();
    o.insert("document".into(), document.as_str().into());
    o.insert("maxBase64Chars".into(), cfg.max_base64_chars.into());
    match document {
        DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack => {
            let a = cfg.apihz.as_ref()?;
            let mut apihz = Map::new();
            apihz.insert("id".into(), a.id.as_str().into());
            apihz.insert("key".into(), a.key.as_str().into());
            if let Some(list) = &a.endpoints {
                apihz.insert(
                    "endpoints".into(),
                    list.iter().map(|u| Value::from(u.as_str())).collect(),
                );
            }
            o.insert("apihz".into(), Value::Object(apihz));
        }
        DocumentKind::RegistrationCertificate => {
            let j = cfg.juhe.as_ref()?;
            let mut juhe = Map::new();
            juhe.insert("key".into(), j.key.as_str().into());
            if let Some(base) = &j.base_url {
                juhe.insert("baseUrl".into(), base.as_str().into());
            }
            if let Some(upload) = &j.upload {
                juhe.insert("upload".into(), upload.as_str().into());
            }
            o.insert("juhe".into(), Value::Object(juhe));
        }
    }
    if let Some(t) = cfg.timeout_ms {
        o.insert("timeoutMs".into(), t.into());
    }
    if let Some(gate) = cfg.quality_gate {
        o.insert("qualityGate".into(), gate.into());
    }
    if !cfg.prepare_in_worker {
        // Free plan: 10 ms CPU. Never re-encode in the Worker; the body cap already keeps the
        // image under the budget.
        o.insert("prepare".into(), obj([("codec", "none".into())]));
    }
    Some(Value::Object(o))
}

/// A JSON object from pairs. (Values are built by hand rather than with `json!`, which would
/// link serde_json's value serializer and its error formatting into the wasm file.)
fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn health_ok(cfg: &ShimConfig) -> bool {
    cfg.apihz.is_some() || cfg.juhe.is_some()
}

/// `{ ok, providers: { apihz, juhe } }`: booleans only.
fn health_body(cfg: Option<&ShimConfig>) -> Value {
    let (ok, apihz, juhe) = match cfg {
        Some(c) => (health_ok(c), c.apihz.is_some(), c.juhe.is_some()),
        None => (false, false, false),
    };
    let providers = obj([("apihz", apihz.into()), ("juhe", juhe.into())]);
    match cfg {
        Some(_) => obj([("ok", ok.into()), ("providers", providers)]),
        None => obj([
            ("ok", ok.into()),
            ("providers", providers),
            ("error", "misconfigured".into()),
        ]),
    }
}

/// Everything that must never appear in an answer: keys, id, token, configured endpoints.
fn redactions(cfg: &ShimConfig) -> Vec<&str> {
    let mut out = cfg.secrets();
    if let Some(a) = &cfg.apihz {
        out.extend(a.endpoints.iter().flatten().map(String::as_str));
    }
    if let Some(base) = cfg.juhe.as_ref().and_then(|j| j.base_url.as_deref()) {
        out.push(base);
    }
    out
}

fn base_headers(echo: Option<&str>) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "content-type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        ),
        ("cache-control".to_owned(), "no-store".to_owned()),
        ("vary".to_owned(), "Origin".to_owned()),
        ("x-content-type-options".to_owned(), "nosniff".to_owned()),
    ];
    if let Some(origin) = echo {
        h.push(("access-control-allow-origin".to_owned(), origin.to_owned()));
        h.push((
            "access-control-expose-headers".to_owned(),
            "Retry-After".to_owned(),
        ));
    }
    h
}

fn preflight(echo: Option<&str>, allow: &'static str) -> ShimResponse {
    let mut headers = vec![("vary".to_owned(), "Origin".to_owned())];
    match echo {
        Some(origin) => {
            headers.push(("access-control-allow-origin".to_owned(), origin.to_owned()));
            headers.push(("access-control-allow-methods".to_owned(), allow.to_owned()));
            headers.push((
                "access-control-allow-headers".to_owned(),
                "Authorization, Content-Type".to_owned(),
            ));
            headers.push((
                "access-control-max-age".to_owned(),
                PREFLIGHT_MAX_AGE_SECONDS.to_string(),
            ));
        }
        None => headers.push(("allow".to_owned(), allow.to_owned())),
    }
    ShimResponse {
        status: 204,
        headers,
        body: None,
        drain_bytes: 0,
    }
}

fn too_large(echo: Option<&str>, cap: usize) -> ShimResponse {
    let msg = format!("the image is over this shim's limit of {cap} bytes: prepare it (resize, re-encode) before sending");
    shim_error(413, echo, ErrorCode::ImageTooLarge, &msg, false)
}

fn error_body(
    code: ErrorCode,
    message: &str,
    retryable: bool,
    provider: Option<Provider>,
    provider_code: Option<&str>,
) -> Value {
    let mut e = Map::new();
    e.insert("code".into(), code.as_str().into());
    e.insert("message".into(), message.into());
    e.insert("retryable".into(), retryable.into());
    if let Some(p) = provider {
        e.insert("provider".into(), p.as_str().into());
    }
    if let Some(c) = provider_code {
        e.insert("providerCode".into(), c.into());
    }
    obj([("error", Value::Object(e))])
}

fn error(
    status: u16,
    echo: Option<&str>,
    code: ErrorCode,
    msg: &str,
    retryable: bool,
    provider: Option<Provider>,
) -> ShimResponse {
    json_response(
        status,
        base_headers(echo),
        error_body(code, msg, retryable, provider, None),
    )
}

/// A refusal by the shim itself (`provider: "shim"`).
fn shim_error(
    status: u16,
    echo: Option<&str>,
    code: ErrorCode,
    msg: &str,
    retryable: bool,
) -> ShimResponse {
    error(status, echo, code, msg, retryable, Some(Provider::Shim))
}

fn json_response(status: u16, headers: Vec<(String, String)>, body: Value) -> ShimResponse {
    ShimResponse {
        status,
        headers,
        body: Some(body),
        drain_bytes: 0,
    }
}
