//! On the synthetic fixture photos (bench/ocr/fixtures.py), the key values are read, and every
//! field the acceptance rule keeps equals the ground truth.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use vehicle_doc_ocr_local::{engine_from_dir, truth, CHECKOUT_MODELS_DIR};

#[test]
fn fixtures_are_read_and_accepted_fields_are_right() {
    let engine = engine_from_dir(Path::new(CHECKOUT_MODELS_DIR)).unwrap_or_else(|e| panic!("{e}"));
    for common::Fixture {
        file,
        doc,
        bytes,
        photo,
    } in common::fixtures()
    {
        let (_, reading) = engine
            .read_document(&bytes, doc, Some("2026-01-01".into()))
            .unwrap();
        let mut read_right = 0;
        let keys = photo["keyFields"].as_array().unwrap();
        for key in keys {
            let key = key.as_str().unwrap();
            let field = truth::result_field(doc, key).unwrap();
            let want = photo["values"][key].as_str().unwrap();
            let got = truth::value(&reading.result, field);
            if got.as_deref() == Some(want) {
                read_right += 1;
            }
            if reading.accepted(field) {
                assert_eq!(
                    got.as_deref(),
                    Some(want),
                    "{file}: {field} accepted but wrong"
                );
            }
        }
        // The VIN (check digit) and the dates are read on every fixture.
        for key in ["vin", "registerDate", "issueDate"] {
            let field = truth::result_field(doc, key).unwrap();
            assert_eq!(
                truth::value(&reading.result, field).as_deref(),
                photo["values"][key].as_str(),
                "{file}: {field}"
            );
        }
        assert!(
            read_right + 1 >= keys.len(),
            "{file}: {read_right} of {} key fields read",
            keys.len()
        );
    }
}
