//! The sans-IO request state machine. STUB: issue #2 implements it.
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
//! A timeout or an abort ends the call in the glue: never retried (the provider may have it).

use crate::{OcrError, Recognized, RecognizeOptions};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    /// Never carries a key, id or image.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What is sent: an image already under the budget, or a remote URL (apihz `type=1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImagePayload {
    Image { bytes: Vec<u8>, mime: &'static str },
    RemoteUrl(String),
}

#[derive(Debug)]
pub enum Step {
    Send(HttpRequest),
    Done(Result<Recognized, OcrError>),
}

#[derive(Debug)]
pub struct Plan {
    _private: (),
}

impl Plan {
    pub fn new(_opts: &RecognizeOptions, _payload: ImagePayload, _today: Option<String>) -> Result<Plan, OcrError> {
        Err(OcrError::config("not implemented yet"))
    }
    pub fn start(&mut self) -> Step {
        Step::Done(Err(OcrError::config("not implemented yet")))
    }
    pub fn on_response(&mut self, _status: u16, _body: &[u8]) -> Step {
        Step::Done(Err(OcrError::config("not implemented yet")))
    }
    pub fn on_network_error(&mut self) -> Step {
        Step::Done(Err(OcrError::config("not implemented yet")))
    }
    /// Strings that must never appear in any output (keys, ids), for redaction by the glue.
    pub fn secrets(&self) -> Vec<String> {
        Vec::new()
    }
}
