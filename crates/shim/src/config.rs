//! The Worker's configuration, read from its environment (plain vars and secrets).
//!
//! Every problem is reported by the variable's *name*, never its value, and a configuration
//! with any problem refuses every request (fail closed: a typo in `ALLOWED_ORIGINS` must not
//! open the shim to every page).

use std::fmt;
use vehicle_doc_ocr_core::options;

/// Default base64 budget: the library's own default, the providers' documented 1M limit.
pub use vehicle_doc_ocr_core::options::DEFAULT_MAX_BASE64_CHARS;
/// Upper bound for `MAX_BASE64_CHARS` (far above anything a provider accepts).
pub use vehicle_doc_ocr_core::options::MAX_MAX_BASE64_CHARS;
/// Body cap when `PREPARE_IN_WORKER=1`: the Worker re-encodes oversize uploads itself.
pub const PREPARE_UPLOAD_CAP_BYTES: usize = 10 * 1024 * 1024;
/// Retry-After for the shim's own rate limit when `RATE_LIMIT_PERIOD` is not set: the longest
/// period the Workers rate-limit binding supports.
pub const DEFAULT_RATE_LIMIT_PERIOD_SECONDS: u32 = 60;

/// Every variable the shim reads. Nothing else in the environment is looked at.
pub const ENV_VARS: [&str; 13] = [
    "APIHZ_ID",
    "APIHZ_KEY",
    "APIHZ_ENDPOINTS",
    "JUHE_KEY",
    "JUHE_BASE_URL",
    "ALLOWED_ORIGINS",
    "SHIM_TOKEN",
    "PREPARE_IN_WORKER",
    "MAX_BASE64_CHARS",
    "TIMEOUT_MS",
    "RATE_LIMIT_PERIOD",
    "JUHE_UPLOAD",
    "QUALITY_GATE",
];

#[derive(Clone, PartialEq, Eq)]
pub struct ApihzSecrets {
    pub id: String,
    pub key: String,
    /// `None`: the library's default endpoint list.
    pub endpoints: Option<Vec<String>>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct JuheSecrets {
    pub key: String,
    pub base_url: Option<String>,
    /// `"base64"` or `"multipart"`; `None`: the library's default.
    pub upload: Option<String>,
}

/// A parsed, valid configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct ShimConfig {
    pub apihz: Option<ApihzSecrets>,
    pub juhe: Option<JuheSecrets>,
    /// Serialized origins (`scheme://host[:port]`), lowercase, exact match.
    pub allowed_origins: Vec<String>,
    pub token: Option<String>,
    pub prepare_in_worker: bool,
    pub max_base64_chars: usize,
    pub timeout_ms: Option<u32>,
    pub rate_limit_period_seconds: u32,
    /// `QUALITY_GATE`: the `qualityGate` of every call (`"warn"` or `"block"`); `None`: off, the
    /// Workers default (the report decodes the photo: paid plans only).
    pub quality_gate: Option<&'static str>,
}

/// Keys never reach `{:?}` output.
impl fmt::Debug for ShimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShimConfig")
            .field("apihz", &self.apihz.as_ref().map(|_| "[configured]"))
            .field("juhe", &self.juhe.as_ref().map(|_| "[configured]"))
            .field("allowed_origins", &self.allowed_origins)
            .field("token", &self.token.as_ref().map(|_| "[configured]"))
            .field("prepare_in_worker", &self.prepare_in_worker)
            .field("max_base64_chars", &self.max_base64_chars)
            .field("timeout_ms", &self.timeout_ms)
            .field("rate_limit_period_seconds", &self.rate_limit_period_seconds)
            .field("quality_gate", &self.quality_gate)
            .finish()
    }
}

/// What is wrong with the environment: variable names and reasons only, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblems(pub Vec<String>);

impl fmt::Display for ConfigProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

impl ShimConfig {
    /// Read the configuration through `var` (the Worker's `env`, one string variable at a time;
    /// missing, non-string and all-whitespace values are `None`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<ShimConfig, ConfigProblems> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut problems = Vec::new();

        let apihz = match (get("APIHZ_ID"), get("APIHZ_KEY")) {
            (Some(id), Some(key)) => {
                let endpoints = get("APIHZ_ENDPOINTS").and_then(|raw| match parse_url_list(&raw) {
                    Ok(list) => Some(list),
                    Err(why) => {
                        problems.push(format!("APIHZ_ENDPOINTS {why}"));
                        None
                    }
                });
                Some(ApihzSecrets { id, key, endpoints })
            }
            (None, None) => None,
            (Some(_), None) => {
                problems.push("APIHZ_ID is set but APIHZ_KEY is not".to_owned());
                None
            }
            (None, Some(_)) => {
                problems.push("APIHZ_KEY is set but APIHZ_ID is not".to_owned());
                None
            }
        };
        if apihz.is_none() && get("APIHZ_ENDPOINTS").is_some() && problems.is_empty() {
            problems.push("APIHZ_ENDPOINTS is set but APIHZ_ID/APIHZ_KEY are not".to_owned());
        }

        let juhe = match get("JUHE_KEY") {
            Some(key) => {
                let base_url = get("JUHE_BASE_URL").and_then(|raw| match check_base_url(&raw) {
                    Ok(()) => Some(raw.trim_end_matches('/').to_owned()),
                    Err(why) => {
                        problems.push(format!("JUHE_BASE_URL {why}"));
                        None
                    }
                });
                let upload = get("JUHE_UPLOAD").and_then(|raw| match raw.as_str() {
                    "base64" | "multipart" => Some(raw),
                    _ => {
                        problems.push("JUHE_UPLOAD must be `base64` or `multipart`".to_owned());
                        None
                    }
                });
                Some(JuheSecrets {
                    key,
                    base_url,
                    upload,
                })
            }
            None => {
                if get("JUHE_BASE_URL").is_some() || get("JUHE_UPLOAD").is_some() {
                    problems
                        .push("JUHE_BASE_URL/JUHE_UPLOAD are set but JUHE_KEY is not".to_owned());
                }
                None
            }
        };

        let allowed_origins = match get("ALLOWED_ORIGINS") {
            Some(raw) => match parse_origins(&raw) {
                Ok(list) => list,
                Err(why) => {
                    problems.push(format!("ALLOWED_ORIGINS {why}"));
                    Vec::new()
                }
            },
            None => Vec::new(),
        };

        let token = get("SHIM_TOKEN");
        if token.as_ref().is_some_and(|t| t.len() < 16) {
            problems
                .push("SHIM_TOKEN must be at least 16 characters (use a random value)".to_owned());
        } else if token.as_deref().is_some_and(|t| !is_bearer_token(t)) {
            // A value no client can send (`Authorization` is a byte string; RFC 6750's b64token)
            // would refuse every request while /v1/health says ok.
            problems.push(
                "SHIM_TOKEN must use only the bearer-token characters A-Z a-z 0-9 - . _ ~ + / (and = at the end)"
                    .to_owned(),
            );
        }

        let prepare_in_worker = match get("PREPARE_IN_WORKER").as_deref() {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(_) => {
                problems.push("PREPARE_IN_WORKER must be 0 or 1".to_owned());
                false
            }
        };

        let max_base64_chars = match get("MAX_BASE64_CHARS") {
            None => DEFAULT_MAX_BASE64_CHARS,
            Some(raw) => match raw.parse::<usize>() {
                Ok(n) if (4..=MAX_MAX_BASE64_CHARS).contains(&n) => n,
                _ => {
                    problems.push(format!(
                        "MAX_BASE64_CHARS must be an integer from 4 to {MAX_MAX_BASE64_CHARS}"
                    ));
                    DEFAULT_MAX_BASE64_CHARS
                }
            },
        };

        let timeout_ms = match get("TIMEOUT_MS") {
            None => None,
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if options::timeout_in_range(u64::from(n)) => Some(n),
                _ => {
                    problems.push(format!(
                        "TIMEOUT_MS must be an integer from 1 to {}",
                        options::MAX_TIMEOUT_MS
                    ));
                    None
                }
            },
        };

        let rate_limit_period_seconds = match get("RATE_LIMIT_PERIOD").as_deref() {
            None => DEFAULT_RATE_LIMIT_PERIOD_SECONDS,
            Some("10") => 10,
            Some("60") => 60,
            Some(_) => {
                problems
                    .push("RATE_LIMIT_PERIOD must be 10 or 60 (the binding's period)".to_owned());
                DEFAULT_RATE_LIMIT_PERIOD_SECONDS
            }
        };

        let quality_gate = match get("QUALITY_GATE").as_deref() {
            None | Some("off") => None,
            Some("warn") => Some("warn"),
            Some("block") => Some("block"),
            Some(_) => {
                problems.push("QUALITY_GATE must be off, warn or block".to_owned());
                None
            }
        };

        if !problems.is_empty() {
            return Err(ConfigProblems(problems));
        }
        Ok(ShimConfig {
            apihz,
            juhe,
            allowed_origins,
            token,
            prepare_in_worker,
            max_base64_chars,
            timeout_ms,
            rate_limit_period_seconds,
            quality_gate,
        })
    }

    /// The body cap in raw bytes. Without `PREPARE_IN_WORKER` an upload must already be under
    /// the base64 budget (base64 of `n` bytes is `4 * ceil(n / 3)` characters, so the largest
    /// image that fits `c` characters has `c / 4 * 3` bytes).
    pub fn body_cap_bytes(&self) -> usize {
        if self.prepare_in_worker {
            PREPARE_UPLOAD_CAP_BYTES.max(budget_bytes(self.max_base64_chars))
        } else {
            budget_bytes(self.max_base64_chars)
        }
    }

    /// Strings that must never leave the Worker (for defensive redaction).
    pub fn secrets(&self) -> Vec<&str> {
        let mut out = Vec::new();
        if let Some(a) = &self.apihz {
            out.push(a.key.as_str());
            out.push(a.id.as_str());
        }
        if let Some(j) = &self.juhe {
            out.push(j.key.as_str());
        }
        if let Some(t) = &self.token {
            out.push(t.as_str());
        }
        out
    }
}

/// RFC 6750's `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_bearer_token(t: &str) -> bool {
    let body = t.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// Largest raw image (bytes) whose base64 fits in `max_base64_chars`.
pub fn budget_bytes(max_base64_chars: usize) -> usize {
    max_base64_chars / 4 * 3
}

fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
}

/// `https://a.example/x.php, https://b.example/x.php` (comma/space/newline separated) or a
/// JSON array of strings.
fn parse_url_list(raw: &str) -> Result<Vec<String>, &'static str> {
    let items: Vec<String> = if raw.starts_with('[') {
        // Parsed as a `Value` (the parser the provider answers already use: no second copy of
        // serde_json's deserializer in the wasm file).
        const BAD: &str = "must be a JSON array of URL strings or a comma-separated list";
        let v = serde_json::from_slice::<serde_json::Value>(raw.as_bytes()).map_err(|_| BAD)?;
        let list = v.as_array().ok_or(BAD)?;
        list.iter()
            .map(|x| x.as_str().map(str::to_owned).ok_or(BAD))
            .collect::<Result<_, _>>()?
    } else {
        split_list(raw).map(str::to_owned).collect()
    };
    if items.is_empty() {
        return Err("lists no endpoint");
    }
    for item in &items {
        check_url(item)?;
    }
    Ok(items)
}

/// The rule `recognize()`'s options apply to the same URL: a value accepted here must not turn
/// into a `CONFIG` error on every request while `/v1/health` says ok.
fn check_url(url: &str) -> Result<(), &'static str> {
    if vehicle_doc_ocr_core::options::is_http_url(url) {
        Ok(())
    } else {
        Err("must hold http(s):// URLs with a host")
    }
}

/// Like `juhe.baseUrl`: an http(s) URL without query or fragment.
fn check_base_url(url: &str) -> Result<(), &'static str> {
    check_url(url)?;
    if url.contains(['?', '#']) {
        return Err("must be a base URL without query or fragment");
    }
    Ok(())
}

/// Exact origins (`scheme://host[:port]`), separated by commas and/or whitespace. A trailing
/// `/` is forgiven; anything with a path, a wildcard or the opaque origin `null` is refused
/// (fail closed rather than guess what was meant).
fn parse_origins(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    for item in split_list(raw) {
        let item = item.strip_suffix('/').unwrap_or(item).to_ascii_lowercase();
        if item == "*" || item.contains('*') {
            return Err("lists a wildcard: only exact origins are supported");
        }
        if item == "null" {
            return Err(
                "lists `null` (sandboxed and file:// pages): refused, any page can claim it",
            );
        }
        let rest = item
            .strip_prefix("https://")
            .or_else(|| item.strip_prefix("http://"))
            .ok_or("lists an entry that is not an origin (scheme://host[:port])")?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
            return Err("lists an entry that is not an origin (scheme://host[:port], no path)");
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn empty_env_is_valid_but_configures_nothing() {
        let c = ShimConfig::from_env(env(&[])).unwrap();
        assert!(c.apihz.is_none() && c.juhe.is_none() && c.token.is_none());
        assert!(c.allowed_origins.is_empty());
        assert_eq!(c.max_base64_chars, 1_000_000);
        assert_eq!(c.body_cap_bytes(), 750_000);
    }

    #[test]
    fn full_env() {
        let c = ShimConfig::from_env(env(&[
            ("APIHZ_ID", " 10000000 "),
            ("APIHZ_KEY", "k-apihz"),
            (
                "APIHZ_ENDPOINTS",
                "https://a.example/x.php,\n https://b.example/x.php",
            ),
            ("JUHE_KEY", "k-juhe"),
            ("JUHE_BASE_URL", "http://127.0.0.1:9/"),
            (
                "ALLOWED_ORIGINS",
                "https://App.example.com/ http://localhost:5173",
            ),
            ("SHIM_TOKEN", "0123456789abcdef0123"),
            ("PREPARE_IN_WORKER", "1"),
            ("MAX_BASE64_CHARS", "4000"),
            ("TIMEOUT_MS", "2500"),
            ("RATE_LIMIT_PERIOD", "10"),
        ]))
        .unwrap();
        let a = c.apihz.clone().unwrap();
        assert_eq!(a.id, "10000000");
        assert_eq!(
            a.endpoints.unwrap(),
            ["https://a.example/x.php", "https://b.example/x.php"]
        );
        assert_eq!(
            c.juhe.clone().unwrap().base_url.unwrap(),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            c.allowed_origins,
            ["https://app.example.com", "http://localhost:5173"]
        );
        assert!(c.prepare_in_worker);
        assert_eq!(c.body_cap_bytes(), PREPARE_UPLOAD_CAP_BYTES);
        assert_eq!(c.timeout_ms, Some(2500));
        assert_eq!(c.rate_limit_period_seconds, 10);
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("k-apihz")
                && !dbg.contains("k-juhe")
                && !dbg.contains("0123456789abcdef")
        );
    }

    #[test]
    fn endpoints_as_json_array() {
        let c = ShimConfig::from_env(env(&[
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
            ("APIHZ_ENDPOINTS", r#"["https://a.example/x.php"]"#),
        ]))
        .unwrap();
        assert_eq!(
            c.apihz.unwrap().endpoints.unwrap(),
            ["https://a.example/x.php"]
        );
    }

    #[test]
    fn problems_name_the_variable_never_the_value() {
        let secret = "super-secret-key-value";
        let err = ShimConfig::from_env(env(&[
            ("APIHZ_KEY", secret),
            ("JUHE_KEY", secret),
            ("JUHE_BASE_URL", "ftp://x"),
            ("ALLOWED_ORIGINS", "*"),
            ("MAX_BASE64_CHARS", "lots"),
            ("PREPARE_IN_WORKER", "yes"),
            ("SHIM_TOKEN", "short"),
            ("TIMEOUT_MS", "0"),
            ("RATE_LIMIT_PERIOD", "30"),
        ]))
        .unwrap_err();
        let text = err.to_string();
        for name in [
            "APIHZ_ID",
            "JUHE_BASE_URL",
            "ALLOWED_ORIGINS",
            "MAX_BASE64_CHARS",
            "PREPARE_IN_WORKER",
            "SHIM_TOKEN",
            "TIMEOUT_MS",
            "RATE_LIMIT_PERIOD",
        ] {
            assert!(text.contains(name), "{name} missing from {text}");
        }
        assert!(
            !text.contains(secret)
                && !text.contains("ftp://x")
                && !text.contains("lots")
                && !text.contains("short")
        );
    }

    /// What `recognize()`'s options would refuse on every request is refused here, up front.
    #[test]
    fn urls_follow_the_options_rules() {
        let with = |name: &str, value: &str| {
            ShimConfig::from_env(env(&[
                ("APIHZ_ID", "1"),
                ("APIHZ_KEY", "k"),
                ("JUHE_KEY", "k"),
                (name, value),
            ]))
        };
        for bad in [
            "https://user@/x.php",
            "https://:443/x.php",
            "https:///x.php",
        ] {
            assert!(with("APIHZ_ENDPOINTS", bad).is_err(), "{bad}");
        }
        for bad in ["https://apis.example/?x=1", "https://apis.example/#f"] {
            assert!(with("JUHE_BASE_URL", bad).is_err(), "{bad}");
        }
        let c = with("JUHE_BASE_URL", "https://apis.example/").unwrap();
        let o = vehicle_doc_ocr_core::options::parse(
            &crate::recognize_options(
                &c,
                vehicle_doc_ocr_core::DocumentKind::RegistrationCertificate,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(o.juhe.unwrap().base_url, "https://apis.example");
    }

    #[test]
    fn origins_must_be_exact_origins() {
        for bad in [
            "null",
            "https://a.example/path",
            "*.example.com",
            "a.example.com",
            "https://",
            "https://u@a.example",
        ] {
            assert!(
                ShimConfig::from_env(env(&[("ALLOWED_ORIGINS", bad)])).is_err(),
                "{bad} accepted"
            );
        }
        let c = ShimConfig::from_env(env(&[(
            "ALLOWED_ORIGINS",
            "https://a.example,https://a.example",
        )]))
        .unwrap();
        assert_eq!(c.allowed_origins, ["https://a.example"]);
    }

    /// A token no client can send would refuse every request while /v1/health says ok.
    #[test]
    fn the_token_must_be_sendable_as_a_bearer_token() {
        for bad in [
            "0123456789 abcdef",
            "0123456789abcdef\u{e9}",
            "0123456789abcdef\u{7}",
            "0123456789abc,def",
            "================",
            "0123456789=abcdef",
        ] {
            let err = ShimConfig::from_env(env(&[("SHIM_TOKEN", bad)])).unwrap_err();
            assert!(err.to_string().contains("SHIM_TOKEN"), "{bad:?}");
            assert!(!err.to_string().contains(bad));
        }
        for good in [
            "0123456789abcdef",
            "Ab0-._~+/Ab0-._~+/==",
            "tok-0123456789abcdef-shim",
        ] {
            let c = ShimConfig::from_env(env(&[("SHIM_TOKEN", good)])).unwrap();
            assert_eq!(c.token.as_deref(), Some(good));
        }
    }

    #[test]
    fn half_configured_providers_are_errors() {
        assert!(ShimConfig::from_env(env(&[("APIHZ_ID", "1")])).is_err());
        assert!(ShimConfig::from_env(env(&[("APIHZ_ENDPOINTS", "https://a.example/x")])).is_err());
        assert!(ShimConfig::from_env(env(&[("JUHE_BASE_URL", "https://a.example")])).is_err());
        assert!(ShimConfig::from_env(env(&[
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
            ("APIHZ_ENDPOINTS", "x")
        ]))
        .is_err());
        assert!(ShimConfig::from_env(env(&[
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
            ("APIHZ_ENDPOINTS", "[1]")
        ]))
        .is_err());
    }

    #[test]
    fn budget_conversion() {
        assert_eq!(budget_bytes(1_000_000), 750_000);
        assert_eq!(budget_bytes(7), 3);
        // The largest allowed image encodes to at most the budget.
        for c in [4usize, 5, 8, 999_999, 1_000_000] {
            let n = budget_bytes(c);
            assert!(n.div_ceil(3) * 4 <= c);
            assert!((n + 1).div_ceil(3) * 4 > c);
        }
    }
}
