//! The Worker shim as seen from the library: the client side of `proxyUrl` mode ([`proxy`]).
//! The Worker's own decisions (routing, CORS, token, limits, error mapping) are in the crate
//! `vehicle-doc-ocr-shim` (`crates/shim`), which is never linked into the browser's module.

pub mod proxy;

/// The path the shim answers recognitions on (shared by the Worker and its client).
pub const RECOGNIZE_PATH: &str = "/v1/recognize";
