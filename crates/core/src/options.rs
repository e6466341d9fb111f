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
pub const DEFAULT_MAX_BASE64_CHARS: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct RecognizeOptions {
    pub document: DocumentKind,
    /// For the whole call, all endpoints included. Default 20000, > 0.
    pub timeout_ms: u32,
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
}

/// `qualityGate`: check the photo on the device before paying for a call (issue 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualityGate {
    /// Refuse with `POOR_IMAGE` before anything is sent (the default; docs/QUALITY.md says why).
    Block,
    /// Send anyway and add the report to the result.
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
    "prepare",
    "qualityGate",
    "qualityThresholds",
    // Taken out by the glue; tolerated if a caller of the core passes them through.
    "signal",
    "fetch",
];
const APIHZ_KEYS: &[&str] = &["id", "key", "endpoints", "messageRules"];
const JUHE_KEYS: &[&str] = &["key", "baseUrl", "upload"];
const RULE_KEYS: &[&str] = &["contains", "code"];

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

    let timeout_ms = match present(obj, "timeoutMs") {
        None => DEFAULT_TIMEOUT_MS,
        Some(x) => positive_int(x, u64::from(u32::MAX))
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                OcrError::config(
                    "option `timeoutMs` must be a positive whole number of milliseconds",
                )
            })?,
    };
    let max_base64_chars = match present(obj, "maxBase64Chars") {
        None => DEFAULT_MAX_BASE64_CHARS,
        Some(x) => positive_int(x, 1 << 40)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                OcrError::config("option `maxBase64Chars` must be a positive whole number")
            })?,
    };

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
        None => QualityGate::Block,
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

    if proxy_url.is_none() {
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
        max_base64_chars,
        apihz,
        juhe,
        proxy_url,
        prepare,
        quality_gate,
        quality_thresholds,
    })
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
