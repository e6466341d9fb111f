//! `crossCheck()` as JS calls it: recognize() results in, issues out.

use serde_json::json;
use vehicle_doc_ocr_core::fields::cross_check_json;
use vehicle_doc_ocr_core::ErrorCode;

fn front(plate: &str, vin: &str, engine: &str) -> serde_json::Value {
    json!({"document": "vehicleLicenseFront", "plateNumber": plate, "vin": vin, "engineNumber": engine})
}

#[test]
fn agreeing_documents_have_no_issues() {
    let v = json!({
        "front": front("粤B2177C", "LSVCY6C49MN027789", "DKV218633"),
        "back": {"document": "vehicleLicenseBack", "plateNumber": "粤B 2177C"},
        "certificate": {"document": "registrationCertificate", "plateNumber": "粤B2177C",
                        "vin": "LSVCY6C49MN027789", "engineNumber": "DKV218633"},
    });
    assert_eq!(cross_check_json(&v).unwrap(), vec![]);
}

#[test]
fn disagreeing_vin_and_engine_are_errors_without_values() {
    let v = json!({
        "front": front("粤B2177C", "LSVCY6C49MN027789", "DKV218633"),
        "certificate": {"document": "registrationCertificate", "plateNumber": "粤B2177C",
                        "vin": "LBEHDAEB58Y038860", "engineNumber": "XXX000111"},
    });
    let issues = cross_check_json(&v).unwrap();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["vin", "engineNumber"]);
    for i in &issues {
        assert_eq!(i.code, "CROSS_MISMATCH");
        assert!(!i.message.contains("LBEH") && !i.message.contains("XXX0"));
    }
}

#[test]
fn wrong_slots_are_config_errors() {
    for v in [
        json!({"front": {"document": "vehicleLicenseBack"}}),
        json!({"passport": {}}),
        json!({"front": "LSVCY6C49MN027789"}),
        json!([1, 2]),
    ] {
        let e = cross_check_json(&v).unwrap_err();
        assert_eq!(e.code, ErrorCode::Config);
        assert!(!e.message.contains("LSVCY6C49"));
    }
}
