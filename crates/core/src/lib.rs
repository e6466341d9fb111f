//! `vehicle-doc-ocr-core`: everything about the job that is not IO.
//!
//! - [`options`]: parse and check the caller's options (names the bad option, never echoes values).
//! - [`input`]: classify a text input (base64, data URL, http(s) URL) and sniff image bytes.
//! - [`wire`]: form/multipart encoding exactly as the providers expect it.
//! - [`plan`]: the sans-IO request state machine (endpoint failover, no paid retries).
//! - [`providers`]: one module per provider (apihz, juhe, the Worker shim's client): request
//!   building, answer checks, error codes, and its field names → result fields.
//! - [`model`]: the typed results (one struct per document), without any wire name.
//! - [`fields`]: parsing/normalization/validation of individual field values.
//! - [`cascade`]: the merge of a local reading with a provider's result (issue 14).
//! - [`error`]: the single error type with stable codes.
//!
//! Architecture invariant: this crate has no wasm, JS or network dependency; the glue crate
//! (`crates/wasm`) performs the IO the [`plan::Plan`] asks for and feeds the answers back.

pub mod cascade;
pub mod error;
pub mod fields;
pub mod input;
pub mod model;
pub mod options;
pub mod plan;
pub mod prepare;
pub mod providers;
pub mod wire;

pub use error::{ErrorCode, OcrError, Provider};
pub use model::{DocumentKind, Recognized};
pub use options::RecognizeOptions;
pub use plan::{HttpRequest, ImagePayload, Plan, Step};
