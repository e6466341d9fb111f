//! WebAssembly glue of `vehicle-doc-ocr`: converts JS values, drives the core's sans-IO
//! `Plan` with the platform's `fetch`, timers and `AbortSignal`, and hands typed results and
//! errors back. No decisions live here: they are in `vehicle-doc-ocr-core` and
//! `vehicle-doc-ocr-imaging`, tested natively.
//!
//! The crate builds six wasm modules (see `scripts/build.sh`):
//! - feature `main` (default) → `vehicle_doc_ocr_bg.wasm`: `recognize`, options, header probing;
//! - feature `codec` → `vehicle_doc_ocr_image_bg.wasm`: the pure-Rust image codec, loaded only
//!   when an image must be re-encoded without the browser's canvas (Node, Workers, old browsers);
//! - feature `shim` → `vehicle_doc_ocr_shim_bg.wasm`: the Worker shim's decisions
//!   (`vehicle-doc-ocr-shim`), loaded only by the Worker (`vehicle-doc-ocr/worker`), never by a
//!   browser;
//! - feature `quality` → `vehicle_doc_ocr_quality_bg.wasm`: the photo quality report
//!   (`assessImage`) on RGBA pixels the browser's canvas decoded, loaded only by its callers and
//!   the capture element; feature `quality-decode` → `vehicle_doc_ocr_quality_decode_bg.wasm`:
//!   the same plus `assessBytes` (decoders linked), for Node and Workers;
//! - feature `local` → `vehicle_doc_ocr_local_bg.wasm`: on-device reading (`LocalEngine`), loaded
//!   only by callers of `recognize(image, { local })`; `local-profile` adds its measurement-only
//!   exports for bench/local-profile.mjs (never shipped).
//!
//! Every export returns `Result<_, JsValue>`; the `Err` is a plain object
//! `{ code, message, retryable, provider, providerCode, providerMessage }` that `npm/src/api.js`
//! turns into the exported `Error` subclass.

// Helpers shared by the modules; each build uses a subset.
#[cfg_attr(not(all(feature = "main", feature = "codec")), allow(dead_code))]
mod convert;
// Public for the glue's own tests (crates/wasm/tests/, wasm-bindgen-test in Node).
#[cfg(feature = "main")]
pub mod fetch;
#[cfg(any(feature = "main", feature = "codec", feature = "quality-decode"))]
// The quality module uses only `image_error` from here.
#[cfg_attr(
    not(any(feature = "main", feature = "codec")),
    allow(unused_imports, dead_code)
)]
mod image;
#[cfg(feature = "local")]
mod local;
#[cfg(feature = "quality")]
mod quality;
#[cfg(feature = "main")]
pub mod recognize;
#[cfg(feature = "shim")]
mod shim;
