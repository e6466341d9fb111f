//! The one error type of the crate. Every failure a caller can see is an [`OcrError`] with a
//! stable [`ErrorCode`]; the JS glue turns it into an `Error` subclass with the same fields.
//!
//! Invariant: no message built here contains a key, an id, a key-bearing URL, image data or a
//! recognized field: `message` is the library's own words (and numbers, option names), so it
//! is never redacted — redacting it would eat words when a key happens to be one (a key
//! `wrong` turned "rejected the id/key (wrong, expired…)" into "[redacted]"). The provider's
//! texts are copied only into `provider_message` / `provider_code` and results, and only after
//! [`redact`] has replaced the caller's secrets in them.

use serde::Serialize;
use std::fmt;

/// Stable, documented error codes (the strings are part of the public API).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// A missing, unknown or malformed option. The message names the option, never its value.
    Config,
    /// The bytes are not a decodable image (empty, truncated, corrupt, bad base64).
    InvalidImage,
    /// A real image in a format this build cannot decode (e.g. HEIC outside Safari).
    UnsupportedFormat,
    /// The image cannot be brought under the size budget, or its header announces too many pixels.
    ImageTooLarge,
    /// The photo's quality report says no OCR engine would read it (`qualityGate: "block"`);
    /// nothing was sent. Retake the photo.
    PoorImage,
    /// Wrong, expired or banned key / id; no permission for this API.
    Auth,
    /// The account's balance or call allowance is exhausted.
    Quota,
    /// Too many requests right now (per IP, per minute); retry later.
    RateLimited,
    /// The provider answered but could not read the document in the photo.
    RecognitionFailed,
    /// Any other provider-side failure (5xx, HTML, malformed JSON, maintenance, unknown code).
    ProviderError,
    /// The request never got an answer (DNS, connection refused/reset, CORS, offline).
    Network,
    /// `timeoutMs` elapsed.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::Config,
        ErrorCode::InvalidImage,
        ErrorCode::UnsupportedFormat,
        ErrorCode::ImageTooLarge,
        ErrorCode::PoorImage,
        ErrorCode::Auth,
        ErrorCode::Quota,
        ErrorCode::RateLimited,
        ErrorCode::RecognitionFailed,
        ErrorCode::ProviderError,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
    ];

    /// The code named by its stable string (`"TIMEOUT"`), the inverse of [`Self::as_str`].
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Config => "CONFIG",
            ErrorCode::InvalidImage => "INVALID_IMAGE",
            ErrorCode::UnsupportedFormat => "UNSUPPORTED_FORMAT",
            ErrorCode::ImageTooLarge => "IMAGE_TOO_LARGE",
            ErrorCode::PoorImage => "POOR_IMAGE",
            ErrorCode::Auth => "AUTH",
            ErrorCode::Quota => "QUOTA",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::RecognitionFailed => "RECOGNITION_FAILED",
            ErrorCode::ProviderError => "PROVIDER_ERROR",
            ErrorCode::Network => "NETWORK",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Aborted => "ABORTED",
        }
    }

    /// The JS class name (`name` property) for this code.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorCode::Config => "ConfigError",
            ErrorCode::InvalidImage => "InvalidImageError",
            ErrorCode::UnsupportedFormat => "UnsupportedFormatError",
            ErrorCode::ImageTooLarge => "ImageTooLargeError",
            ErrorCode::PoorImage => "PoorImageError",
            ErrorCode::Auth => "AuthError",
            ErrorCode::Quota => "QuotaError",
            ErrorCode::RateLimited => "RateLimitedError",
            ErrorCode::RecognitionFailed => "RecognitionFailedError",
            ErrorCode::ProviderError => "ProviderError",
            ErrorCode::Network => "NetworkError",
            ErrorCode::Timeout => "TimeoutError",
            ErrorCode::Aborted => "AbortedError",
        }
    }

    /// Whether the same call may succeed if repeated later *by the caller*. The library itself
    /// never repeats a request the provider may have processed (see `plan`).
    pub fn default_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited
                | ErrorCode::Network
                | ErrorCode::Timeout
                | ErrorCode::ProviderError
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which service produced an answer (or was being called when the error happened).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Apihz,
    Juhe,
    /// The Cloudflare Worker shim (`proxyUrl` mode).
    Shim,
    /// Read on the device (`local`: PP-OCRv4 in `crates/ocr`), no provider called.
    Local,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Apihz => "apihz",
            Provider::Juhe => "juhe",
            Provider::Shim => "shim",
            Provider::Local => "local",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OcrError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    pub provider: Option<Provider>,
    /// The provider's own code as a string (`"10012"`, `"400"`), when it gave one.
    pub provider_code: Option<String>,
    /// The provider's own words (redacted of secrets), when it gave any.
    pub provider_message: Option<String>,
    /// `POOR_IMAGE` only: the quality report's reason codes (`"blurry"`, `"tooFar"`, …), as the
    /// Worker's quality gate sends them back to a `proxyUrl` client.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl OcrError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        OcrError {
            code,
            message: message.into(),
            retryable: code.default_retryable(),
            provider: None,
            provider_code: None,
            provider_message: None,
            reasons: Vec::new(),
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Config, message)
    }

    pub fn with_provider(mut self, provider: Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    pub fn with_provider_code(mut self, code: impl Into<String>) -> Self {
        self.provider_code = Some(code.into());
        self
    }

    pub fn with_provider_message(mut self, msg: impl Into<String>) -> Self {
        self.provider_message = Some(msg.into());
        self
    }

    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Replace every occurrence of each secret in the provider's texts (`provider_message`,
    /// `provider_code`) with `[redacted]` (the rule of [`redact`]). `message`, the library's
    /// own words, is left as is (see the module docs). Call with the caller's key(s) and id,
    /// and their percent-encoded forms, before handing an error out.
    pub fn redacted(mut self, secrets: &[&str]) -> Self {
        self.provider_message = self.provider_message.map(|m| redact(&m, secrets));
        self.provider_code = self.provider_code.map(|m| redact(&m, secrets));
        self
    }
}

impl fmt::Display for OcrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for OcrError {}

/// The shortest secret that is redacted: shorter ones (a 1-char id) would shred ordinary text.
pub const MIN_REDACTED_CHARS: usize = 4;

/// Replace each occurrence of each secret of at least [`MIN_REDACTED_CHARS`] characters in
/// `text` with `[redacted]` (exact, case-sensitive matches). Applied to texts that come from a
/// provider (its messages, every string of its answers), never to the library's own words.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        if s.chars().count() >= MIN_REDACTED_CHARS && out.contains(s) {
            out = out.replace(s, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_strings() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            [
                "CONFIG",
                "INVALID_IMAGE",
                "UNSUPPORTED_FORMAT",
                "IMAGE_TOO_LARGE",
                "POOR_IMAGE",
                "AUTH",
                "QUOTA",
                "RATE_LIMITED",
                "RECOGNITION_FAILED",
                "PROVIDER_ERROR",
                "NETWORK",
                "TIMEOUT",
                "ABORTED"
            ]
        );
        for c in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::Value::from(c.as_str())
            );
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
        }
        assert_eq!(ErrorCode::parse("timeout"), None);
    }

    #[test]
    fn redaction_removes_secrets_from_the_providers_texts() {
        let e = OcrError::new(ErrorCode::Auth, "apihz rejected the id/key")
            .with_provider_message("key=abcd1234 rejected")
            .with_provider_code("abcd1234")
            .redacted(&["abcd1234", "1"]);
        assert_eq!(
            e.provider_message.as_deref(),
            Some("key=[redacted] rejected")
        );
        assert_eq!(e.provider_code.as_deref(), Some("[redacted]"));
        assert_eq!(
            e.message, "apihz rejected the id/key",
            "a 1-char secret is not redacted"
        );
    }

    #[test]
    fn redaction_never_eats_the_librarys_own_words() {
        let e = OcrError::new(
            ErrorCode::Auth,
            "apihz rejected the id/key (wrong, expired or not allowed for this API)",
        )
        .with_provider_message("key wrong")
        .redacted(&["wrong", "expired"]);
        assert_eq!(
            e.message,
            "apihz rejected the id/key (wrong, expired or not allowed for this API)"
        );
        assert_eq!(e.provider_message.as_deref(), Some("key [redacted]"));
    }
}
