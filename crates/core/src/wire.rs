//! Wire encodings exactly as the providers expect them.
//!
//! - Form bodies: every byte outside `[A-Za-z0-9-_.~]` is percent-encoded, so base64's `+`, `/`
//!   and `=` travel as `%2B`, `%2F`, `%3D` (apihz documents that a literal `+` is decoded to a
//!   space, which breaks the image), and UTF-8 text byte by byte.
//! - Base64: the standard alphabet, padded, without any `data:` head.
//! - Multipart: a boundary that is checked not to occur in any part (derived from a hash of the
//!   data and a counter: the core has no random number generator).
//! - Answers: the providers send codes and text fields as JSON numbers or strings alike.

use base64::Engine;
use serde_json::Value;
use std::borrow::Cow;

/// Percent-encode every byte outside the RFC 3986 unreserved set.
pub fn percent_encode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Bytes, not chars: this runs over ~1 MB of base64 per call (hot in the Worker's CPU budget).
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4 + 8);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0F)]]);
        }
    }
    // Only ASCII was pushed, so this cannot fail; fall back to lossy rather than panic.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `application/x-www-form-urlencoded` body: `k=v&k=v`, names and values fully percent-encoded.
pub fn form_urlencoded(fields: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&percent_encode(k.as_bytes()));
        out.push('=');
        out.push_str(&percent_encode(v.as_bytes()));
    }
    out
}

pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=UTF-8";

/// Standard, padded base64 (no `data:` head).
pub fn base64_standard(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Length of the padded base64 text of `n` bytes, without encoding them.
pub fn base64_len(n: usize) -> usize {
    n.div_ceil(3).saturating_mul(4)
}

/// A file part of a multipart body.
#[derive(Debug, Clone, Copy)]
pub struct FilePart<'a> {
    pub name: &'a str,
    pub filename: &'a str,
    pub mime: &'a str,
    pub data: &'a [u8],
}

/// A built `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart {
    pub boundary: String,
    /// `multipart/form-data; boundary=...`
    pub content_type: String,
    pub body: Vec<u8>,
}

fn fnv1a(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for p in parts {
        // Sample long data (the image) instead of hashing every byte; uniqueness is checked anyway.
        let step = (p.len() / 4096).max(1);
        for b in p.iter().step_by(step) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
        h ^= p.len() as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Build a `multipart/form-data` body with text `fields` followed by one file part. The
/// boundary is derived from the content and re-derived until it occurs in no part.
pub fn multipart(fields: &[(&str, &str)], file: FilePart<'_>) -> Multipart {
    let mut all: Vec<&[u8]> = fields
        .iter()
        .flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()])
        .collect();
    all.extend([
        file.name.as_bytes(),
        file.filename.as_bytes(),
        file.mime.as_bytes(),
        file.data,
    ]);
    let mut boundary = String::new();
    for counter in 0u64.. {
        let a = fnv1a(counter, &all);
        let b = fnv1a(a ^ 0x9E37_79B9_7F4A_7C15, &all);
        boundary = format!("----vehicle-doc-ocr-{a:016x}{b:016x}");
        if !all.iter().any(|p| contains(p, boundary.as_bytes())) || counter > 1000 {
            break;
        }
    }
    let mut body = Vec::with_capacity(file.data.len() + 512);
    for (k, v) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                quote(k)
            )
            .as_bytes(),
        );
        body.extend_from_slice(v.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            quote(file.name),
            quote(file.filename),
            file.mime
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Multipart {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        boundary,
        body,
    }
}

/// Quote a header parameter value (names are ours; this only guards against `"` and newlines).
fn quote(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => "%22".to_owned(),
            '\r' => "%0D".to_owned(),
            '\n' => "%0A".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// The file name to announce for a MIME type.
pub fn filename_for(mime: &str) -> &'static str {
    match mime {
        "image/png" => "image.png",
        "image/webp" => "image.webp",
        "image/gif" => "image.gif",
        "image/bmp" => "image.bmp",
        _ => "image.jpg",
    }
}

/// An integer code of a provider's JSON answer, a number or a numeric string
/// (`"code": 200`, `"code": "10012"`).
pub(crate) fn int_field(answer: &Value, key: &str) -> Option<i64> {
    match answer.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A provider's text field: a string as it is, a number as text; anything else is `None`.
pub(crate) fn scalar_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}
