//! Options of the image preparation (`prepareImage(image, opts)` and `recognize`'s `prepare`
//! sub-object). Parsed here so the rules are tested natively; the glue maps them onto the image
//! crate's `PrepareOptions`, whose defaults (the size/quality policy) stay in `crates/imaging`.

use crate::options::{check_keys, positive_int, present};
use crate::OcrError;
use serde_json::Value;
pub use vehicle_doc_ocr_imaging::SizeTarget;

/// Which codec prepares the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// The browser's decoder and canvas where they exist, else the pure-Rust codec.
    Auto,
    /// Only the browser's decoder and canvas (`UNSUPPORTED_FORMAT` where they are missing).
    Browser,
    /// Only the pure-Rust codec.
    Wasm,
    /// Send the bytes as they are (they must already be a JPEG/PNG/WebP under the budget). The
    /// Worker shim uses this to stay within the Free plan's CPU limit.
    None,
}

impl Codec {
    pub fn as_str(self) -> &'static str {
        match self {
            Codec::Auto => "auto",
            Codec::Browser => "browser",
            Codec::Wasm => "wasm",
            Codec::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareSettings {
    pub codec: Codec,
    /// `None`: the image crate's default target.
    pub target: Option<SizeTarget>,
    pub max_base64_chars: usize,
    /// `None`: the image crate's policy default.
    pub max_long_side_px: Option<u32>,
    pub max_source_pixels: Option<u64>,
    pub min_quality: Option<u8>,
    pub max_quality: Option<u8>,
    /// The pure-Rust codec's memory limit for a progressive JPEG's coefficients.
    pub max_decode_memory_bytes: Option<u64>,
}

/// The keys `prepareImage`'s options may hold; `maxBase64Chars` last.
const KEYS_WITH_BUDGET: &[&str] = &[
    "codec",
    "target",
    "maxLongSidePx",
    "maxSourcePixels",
    "minQuality",
    "maxQuality",
    "maxDecodeMemoryBytes",
    "maxBase64Chars",
];
/// The keys of `recognize`'s `prepare` sub-object: the same without `maxBase64Chars` (the budget
/// is a top-level option there).
const KEYS: &[&str] = match KEYS_WITH_BUDGET.split_last() {
    Some((_, rest)) => rest,
    None => &[],
};

/// Parse the settings. `budget` is `Some` when the budget comes from elsewhere (`recognize`'s
/// top-level `maxBase64Chars`), `None` when `v` may carry it (`prepareImage`'s options).
/// `prefix` is the option path shown in errors (`"prepare."` or `""`).
pub fn parse(v: &Value, prefix: &str, budget: Option<usize>) -> Result<PrepareSettings, OcrError> {
    let empty = serde_json::Map::new();
    let obj = match v {
        Value::Null => &empty,
        Value::Object(o) => o,
        _ => {
            let name = prefix.trim_end_matches('.');
            let name = if name.is_empty() { "options" } else { name };
            return Err(OcrError::config(format!(
                "option `{name}` must be an object"
            )));
        }
    };
    check_keys(
        obj,
        if budget.is_some() {
            KEYS
        } else {
            KEYS_WITH_BUDGET
        },
        prefix,
    )?;
    let codec = match present(obj, "codec") {
        None => Codec::Auto,
        Some(Value::String(s)) => match s.as_str() {
            "auto" => Codec::Auto,
            "browser" => Codec::Browser,
            "wasm" => Codec::Wasm,
            "none" => Codec::None,
            _ => {
                return Err(bad(
                    prefix,
                    "codec",
                    "one of \"auto\", \"browser\", \"wasm\", \"none\"",
                ))
            }
        },
        Some(_) => {
            return Err(bad(
                prefix,
                "codec",
                "one of \"auto\", \"browser\", \"wasm\", \"none\"",
            ))
        }
    };
    let target = match present(obj, "target") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .and_then(SizeTarget::from_name)
                .ok_or_else(|| bad(prefix, "target", "\"legible\" or \"budget\""))?,
        ),
    };
    let int = |key: &str, max: u64, what: &str| -> Result<Option<u64>, OcrError> {
        match present(obj, key) {
            None => Ok(None),
            Some(x) => positive_int(x, max)
                .map(Some)
                .ok_or_else(|| bad(prefix, key, what)),
        }
    };
    let max_base64_chars = match budget {
        Some(b) => b,
        None => int(
            "maxBase64Chars",
            crate::options::MAX_MAX_BASE64_CHARS as u64,
            "a whole number from 1 to 20000000",
        )?
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(crate::options::DEFAULT_MAX_BASE64_CHARS),
    };
    let max_long_side_px = int(
        "maxLongSidePx",
        65_535,
        "a whole number of pixels from 1 to 65535",
    )?
    .and_then(|n| u32::try_from(n).ok());
    let max_source_pixels = int(
        "maxSourcePixels",
        1 << 34,
        "a positive whole number of pixels",
    )?;
    // wasm32 addresses 4 GiB at most.
    let max_decode_memory_bytes = int(
        "maxDecodeMemoryBytes",
        1 << 32,
        "a whole number of bytes from 1 to 4294967296",
    )?;
    let quality = |key: &str| -> Result<Option<u8>, OcrError> {
        Ok(int(key, 100, "a whole number from 1 to 100")?.and_then(|n| u8::try_from(n).ok()))
    };
    let min_quality = quality("minQuality")?;
    let max_quality = quality("maxQuality")?;
    if let (Some(lo), Some(hi)) = (min_quality, max_quality) {
        if lo > hi {
            return Err(OcrError::config(format!(
                "option `{prefix}minQuality` must not be above `{prefix}maxQuality`"
            )));
        }
    }
    Ok(PrepareSettings {
        codec,
        target,
        max_base64_chars,
        max_long_side_px,
        max_source_pixels,
        min_quality,
        max_quality,
        max_decode_memory_bytes,
    })
}

fn bad(prefix: &str, key: &str, what: &str) -> OcrError {
    OcrError::config(format!("option `{prefix}{key}` must be {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    #[test]
    fn defaults_when_absent() {
        let s = parse(&Value::Null, "prepare.", Some(5000)).unwrap();
        assert_eq!(s.codec, Codec::Auto);
        assert_eq!(s.max_base64_chars, 5000);
        assert_eq!(s.max_long_side_px, None);
        assert_eq!(s.target, None);
        let s = parse(&json!({}), "", None).unwrap();
        assert_eq!(s.max_base64_chars, 1_000_000);
    }

    #[test]
    fn reads_every_setting() {
        let v = json!({"codec": "wasm", "target": "legible", "maxLongSidePx": 1600, "maxSourcePixels": 50_000_000,
                       "minQuality": 60, "maxQuality": 90, "maxBase64Chars": 300_000,
                       "maxDecodeMemoryBytes": 300_000_000});
        let s = parse(&v, "", None).unwrap();
        assert_eq!(
            s,
            PrepareSettings {
                codec: Codec::Wasm,
                target: Some(SizeTarget::Legible),
                max_base64_chars: 300_000,
                max_long_side_px: Some(1600),
                max_source_pixels: Some(50_000_000),
                min_quality: Some(60),
                max_quality: Some(90),
                max_decode_memory_bytes: Some(300_000_000),
            }
        );
    }

    #[test]
    fn errors_name_the_option_and_not_the_value() {
        let cases = [
            (json!({"codec": "gpu-secret-xyz"}), "prepare.codec"),
            (json!({"target": "tiny-secret-xyz"}), "prepare.target"),
            (json!({"target": 1}), "prepare.target"),
            (json!({"maxLongSidePx": -3}), "prepare.maxLongSidePx"),
            (json!({"minQuality": 101}), "prepare.minQuality"),
            (
                json!({"minQuality": 90, "maxQuality": 80}),
                "prepare.minQuality",
            ),
            (json!({"maxBase64Chars": 10}), "prepare.maxBase64Chars"),
            (
                json!({"maxDecodeMemoryBytes": 5_000_000_000u64}),
                "prepare.maxDecodeMemoryBytes",
            ),
            (json!({"sharpen-secret-xyz": true}), "prepare.sharpen"),
            (json!("fast"), "prepare"),
        ];
        for (v, name) in cases {
            let e = parse(&v, "prepare.", Some(1000)).unwrap_err();
            assert_eq!(e.code, ErrorCode::Config);
            assert!(e.message.contains(name), "{}", e.message);
            assert!(!e.message.contains("gpu-secret"), "{}", e.message);
        }
    }
}
