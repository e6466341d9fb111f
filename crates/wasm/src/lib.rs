//! WebAssembly glue of `vehicle-doc-ocr`: converts JS values, drives the core's sans-IO
//! `Plan` with the platform's `fetch`, timers and `AbortSignal`, and hands typed results and
//! errors back. No decisions live here: they are in `vehicle-doc-ocr-core` and
//! `vehicle-doc-ocr-imaging`, tested natively.
//!
//! The crate builds two wasm modules (see `scripts/build.sh`):
//! - feature `main` (default) → `vehicle_doc_ocr_bg.wasm`: `recognize`, options, header probing,
//!   the Worker shim's decisions;
//! - feature `codec` → `vehicle_doc_ocr_image_bg.wasm`: the pure-Rust image codec, loaded only
//!   when an image must be re-encoded without the browser's canvas (Node, Workers, old browsers).
//!
//! Every export returns `Result<_, JsValue>`; the `Err` is a plain object
//! `{ code, message, retryable, provider, providerCode, providerMessage }` that `npm/src/api.js`
//! turns into the exported `Error` subclass.

// Helpers shared by both modules; each build uses a subset.
#[cfg_attr(not(all(feature = "main", feature = "codec")), allow(dead_code))]
mod convert;
#[cfg(feature = "main")]
mod fetch;
// The quality module uses only `image_error` from here.
#[cfg_attr(not(any(feature = "main", feature = "codec")), allow(unused_imports))]
mod image;
#[cfg(feature = "quality")]
mod quality;
#[cfg(feature = "main")]
mod recognize;
#[cfg(feature = "main")]
mod shim;
