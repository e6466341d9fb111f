//! The cascade's rule on this side: a reading is settled when every key field of its document
//! (the list is the core's, `vehicle_doc_ocr_core::cascade::key_fields`) is accepted. A call
//! with `local.keyFields` is decided by the main module on those (`core::cascade::settles`).

use crate::LocalReading;
pub use vehicle_doc_ocr_core::cascade::key_fields;
use vehicle_doc_ocr_core::DocumentKind;

/// Whether `reading` of `doc` needs no provider: every key field accepted.
pub fn settled(doc: DocumentKind, reading: &LocalReading) -> bool {
    reading.settled(key_fields(doc))
}
