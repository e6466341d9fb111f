//! The synthetic fixture photos (bench/ocr/fixtures.py) the integration tests read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::path::Path;
use vehicle_doc_ocr_core::DocumentKind;
use vehicle_doc_ocr_local::truth;

/// One fixture: its file name, document, bytes and manifest entry (values, key fields).
pub struct Fixture {
    pub file: String,
    pub doc: DocumentKind,
    pub bytes: Vec<u8>,
    pub photo: serde_json::Value,
}

/// Every photo of `tests/fixtures/fixtures.json`.
pub fn fixtures() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("fixtures.json")).unwrap()).unwrap();
    manifest["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|photo| {
            let file = photo["file"].as_str().unwrap().to_owned();
            Fixture {
                doc: truth::document(photo["document"].as_str().unwrap()).unwrap(),
                bytes: std::fs::read(dir.join(&file)).unwrap(),
                file,
                photo: photo.clone(),
            }
        })
        .collect()
}
