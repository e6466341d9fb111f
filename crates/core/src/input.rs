//! Text image inputs (base64, data URL, http(s) URL) and image byte sniffing.
//!
//! Error messages never contain the input (it is image data or a possibly key-bearing URL).

use crate::{ErrorCode, OcrError};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use vehicle_doc_ocr_imaging as imaging;

/// What a string image input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextImage {
    /// `http://` / `https://`: passed to apihz as `type=1` without downloading.
    RemoteUrl(String),
    /// The decoded bytes of a base64 string or `data:` URL.
    Bytes(Vec<u8>),
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn invalid(msg: &str) -> OcrError {
    OcrError::new(ErrorCode::InvalidImage, msg).with_retryable(false)
}

/// Classify a string image input.
///
/// - `http://…` / `https://…` (any case) → [`TextImage::RemoteUrl`];
/// - `data:<mime>;base64,<data>` → the head is stripped and the data decoded;
/// - anything else is decoded as base64 leniently: whitespace ignored, the url-safe alphabet
///   (`-`, `_`) accepted, padding optional.
///
/// Empty or undecodable text is `INVALID_IMAGE`.
pub fn classify_text(s: &str) -> Result<TextImage, OcrError> {
    let t = s.trim();
    let lower_head: String = t.chars().take(8).collect::<String>().to_ascii_lowercase();
    if lower_head.starts_with("http://") || lower_head.starts_with("https://") {
        if crate::options::is_http_url(t) {
            // The scheme in lower case (`HTTP://` is refused by apihz's prefix check, billed).
            let colon = t.find(':').unwrap_or(0);
            let (scheme, rest) = t.split_at(colon);
            return Ok(TextImage::RemoteUrl(format!(
                "{}{rest}",
                scheme.to_ascii_lowercase()
            )));
        }
        return Err(invalid("the image URL is not a valid absolute http(s) URL"));
    }
    let data = if lower_head.starts_with("data:") {
        let Some(comma) = t.find(',') else {
            return Err(invalid("the data URL has no `,` before its data"));
        };
        let head = t.get(..comma).unwrap_or("").to_ascii_lowercase();
        if !head.ends_with(";base64") {
            return Err(invalid(
                "only base64 data URLs (`data:image/...;base64,...`) are supported",
            ));
        }
        t.get(comma + 1..).unwrap_or("")
    } else {
        t
    };
    let bytes = decode_base64_lenient(data).ok_or_else(|| {
        invalid("the image string is neither an http(s) URL nor valid base64 / data URL")
    })?;
    if bytes.is_empty() {
        return Err(invalid("the image is empty"));
    }
    Ok(TextImage::Bytes(bytes))
}

/// Lenient base64: whitespace ignored, url-safe alphabet accepted, padding optional.
pub fn decode_base64_lenient(s: &str) -> Option<Vec<u8>> {
    let cleaned: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    LENIENT.decode(&cleaned).ok()
}

/// The MIME type of JPEG, PNG, WebP, GIF or BMP bytes, from their magic numbers (the image
/// crate's sniffer: one for the whole project).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    imaging::sniff(bytes)
        .filter(|f| *f != imaging::SourceFormat::Heif)
        .map(imaging::SourceFormat::mime)
}

/// HEIC/HEIF/AVIF (ISO-BMFF `ftyp` box with an image brand), e.g. an iPhone photo.
pub fn is_heif(bytes: &[u8]) -> bool {
    imaging::is_heif(bytes)
}

/// Whether the bytes can be sent as they are; returns their MIME type.
///
/// Empty or unknown bytes are `INVALID_IMAGE`; HEIC/HEIF/AVIF is `UNSUPPORTED_FORMAT` (the
/// providers do not read it).
pub fn check_sendable(bytes: &[u8]) -> Result<&'static str, OcrError> {
    if bytes.is_empty() {
        return Err(invalid("the image is empty (0 bytes)"));
    }
    if let Some(mime) = sniff(bytes) {
        return Ok(mime);
    }
    if is_heif(bytes) {
        return Err(
            OcrError::new(ErrorCode::UnsupportedFormat, imaging::HEIC_MESSAGE)
                .with_retryable(false),
        );
    }
    Err(invalid(
        "the bytes are not a JPEG, PNG, WebP, GIF or BMP image (unknown or corrupt file)",
    ))
}
