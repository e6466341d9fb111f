//! Caller options. STUB: issue #2 implements `parse`.

use crate::{DocumentKind, OcrError};

#[derive(Debug, Clone, PartialEq)]
pub struct RecognizeOptions {
    pub document: DocumentKind,
    pub timeout_ms: u32,
    pub max_base64_chars: usize,
}

/// Parse the JSON-compatible part of the JS options object (`signal` and `fetch` are removed
/// by the glue first).
pub fn parse(_v: &serde_json::Value) -> Result<RecognizeOptions, OcrError> {
    Err(OcrError::config("not implemented yet"))
}
