//! Shared by `crates/core/tests/shim_proxy.rs` and `crates/shim/tests/round_trip.rs` (included
//! with `#[path]`): a `proxyUrl` plan that has sent its request to the Worker, and its end.

use serde_json::json;
use vehicle_doc_ocr_core::{options, HttpRequest, ImagePayload, OcrError, Plan, Recognized, Step};

/// The smallest JPEG head the sniffer accepts.
pub const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
];
pub const TODAY: &str = "2026-11-23";

pub fn image() -> ImagePayload {
    ImagePayload::Image {
        bytes: JPEG.to_vec(),
        mime: "image/jpeg",
        base64: None,
    }
}

/// A `proxyUrl` plan for `doc` that has produced its request to the Worker.
pub fn plan(doc: &str, proxy_url: &str) -> (Plan, HttpRequest) {
    let o = options::parse(&json!({"document": doc, "proxyUrl": proxy_url})).unwrap();
    let mut p = Plan::new(&o, image(), Some(TODAY.into()), None).unwrap();
    match p.start() {
        Step::Send(r) => (p, r),
        Step::Done(r) => panic!("expected a request, got {r:?}"),
    }
}

/// The plan's last step: its result.
pub fn done(step: Step) -> Result<Recognized, OcrError> {
    match step {
        Step::Done(r) => r,
        Step::Send(r) => panic!("expected the end, got another request to {}", r.url),
    }
}
