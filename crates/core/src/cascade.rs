//! The cascade's merge (issue 14): the final result of `recognize(image, { local, <provider> })`
//! built field by field from the reading on the device and, when one was paid for, the
//! provider's result, with `local.sources` saying where each value came from.
//!
//! Sans-IO and JSON in, JSON out: the local reading is made by another wasm module
//! (`crates/ocr`, which the main module must not link), so it arrives as the JSON that module
//! returns: `{ result, settled, fields: [{ field, acceptance, minConfidence }] }`. Which fields
//! are accepted on the device is decided there (`vehicle_doc_ocr_local::extract::verdict`);
//! this module only merges.
//!
//! # The rule ("a field the cascade accepts without a provider must never be wrong; when in
//! doubt, pay")
//!
//! - No provider result (every key field accepted, or no provider configured): the local
//!   result as it is; every value's source is `"local"`.
//! - With the provider's result, per value field of the result:
//!   - not accepted on the device → the provider's value (source `"provider"`);
//!   - accepted on the device and the provider's is empty, or carries an issue (error or
//!     warning) on that field → the device's value, its `sources` entry, no issue of the
//!     provider's on it (source `"local"`); a VIN taken from the device takes its (empty)
//!     `vinSuggestion` too;
//!   - accepted and equal → the provider's value (source `"provider"`);
//!   - accepted and different → the provider's value (source `"provider"`) and a warning
//!     [`LOCAL_DISAGREES`] on that field: one of the two readings is wrong, the caller should
//!     look (the paid reading is kept: it comes from a larger model, and an accepted local
//!     value has never been measured wrong, so neither is silently preferred over the other
//!     without a word).
//! - `valid` is recomputed (no error issue left); `provider` stays the provider's (it was paid).
//!
//! A merge that fails after the provider was paid (a reading the merge cannot read, or that
//! cannot be converted) must not lose what was paid for: [`unmerged`] is the provider's result as
//! it is, with `local: { settled, fields, sources }` (every source `"provider"`) and a
//! [`LOCAL_NOT_MERGED`] warning.

use crate::{DocumentKind, ErrorCode, OcrError};
use serde_json::{json, Map, Value};

/// warning: the value read on the device (accepted by the cascade's rule) differs from the
/// provider's; the provider's is kept.
pub const LOCAL_DISAGREES: &str = "LOCAL_DISAGREES";

/// warning (on the field `local`): the reading on the device could not be merged into the
/// provider's result (an internal conversion failure); the provider's result is returned as it
/// is, every value the provider's.
pub const LOCAL_NOT_MERGED: &str = "LOCAL_NOT_MERGED";

/// Keys of a result that are not values read from the document.
const NOT_VALUES: &[&str] = &[
    "document",
    "provider",
    "requestId",
    "valid",
    "issues",
    "sources",
    "raw",
    "local",
    "quality",
];

/// Values derived from another field's text: they follow that field's source.
const DERIVED: &[(&str, &str)] = &[
    ("vinSuggestion", "vin"),
    ("inspectionValidUntil", "inspectionRecord"),
];

fn internal(what: &str) -> OcrError {
    OcrError::new(
        ErrorCode::ProviderError,
        format!("internal: the local reading handed to the cascade {what}"),
    )
    .with_retryable(false)
}

/// Whether an issue object is about `field` (`"owner"` covers `"owner.idNumber"`).
fn issue_on(issue: &Value, field: &str) -> bool {
    issue["field"].as_str().is_some_and(|f| {
        f == field
            || f.strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The fields that must all be accepted on the device for a call on `doc` to need no provider
/// (unless the call's `local.keyFields` names fewer of them). The key fields are those an
/// integrator checks a vehicle by (plate, VIN, engine number, owner, model, type, dates); free
/// text (address, authority, colour) is never a reason to pay, and never accepted either.
pub fn key_fields(doc: DocumentKind) -> &'static [&'static str] {
    match doc {
        DocumentKind::VehicleLicenseFront => &[
            "plateNumber",
            "vehicleType",
            "owner",
            "model",
            "vin",
            "engineNumber",
            "registerDate",
            "issueDate",
        ],
        DocumentKind::RegistrationCertificate => &[
            "plateNumber",
            "vehicleType",
            "owner",
            "vin",
            "engineNumber",
            "registrationDate",
            "issueDate",
        ],
        // What ties the page to a vehicle and its record: the plate (cross-checked with the
        // front's) and the file number. The masses, persons and dimensions are returned as
        // read (the core checks their units and ranges, nothing checks a digit), like the
        // front's use character; the inspection record is free text (never accepted).
        DocumentKind::VehicleLicenseBack => &["plateNumber", "fileNumber"],
    }
}

/// Whether the device's `reading` (`{ fields: [{ field, acceptance }] }`) settles a call whose
/// key fields are `keys`: every one of them accepted. A reading without verdicts settles
/// nothing.
pub fn settles(reading: &Value, keys: &[&str]) -> bool {
    accepted(reading).is_ok_and(|acc| keys.iter().all(|k| acc.contains(k)))
}

/// The fields the device accepted, from the reading's `fields` verdicts.
fn accepted(reading: &Value) -> Result<Vec<&str>, OcrError> {
    let verdicts = reading["fields"]
        .as_array()
        .ok_or_else(|| internal("has no `fields` list"))?;
    Ok(verdicts
        .iter()
        .filter(|v| v["acceptance"].as_str() == Some("accepted"))
        .filter_map(|v| v["field"].as_str())
        .collect())
}

/// The final result of a call with `local`: `reading` is what the local module returned
/// (`{ result, settled, fields }`), `provider` the provider's result when one was called.
/// Returns the result with `local: { settled, fields, sources }` (see the module's rule).
pub fn merge(provider: Option<Value>, reading: &Value) -> Result<Value, OcrError> {
    let local = reading["result"]
        .as_object()
        .ok_or_else(|| internal("has no `result` object"))?;
    let accepted = accepted(reading)?;
    let mut sources = Map::new();
    let mut out = match provider {
        None => {
            for (k, v) in local {
                if !NOT_VALUES.contains(&k.as_str()) && !v.is_null() {
                    sources.insert(k.clone(), json!("local"));
                }
            }
            local.clone()
        }
        Some(Value::Object(mut p)) => {
            let mut taken: Vec<&str> = Vec::new();
            let mut disagreements: Vec<&str> = Vec::new();
            for field in accepted.iter().copied() {
                let Some(mine) = local.get(field).filter(|v| !v.is_null()) else {
                    continue;
                };
                if NOT_VALUES.contains(&field) {
                    continue;
                }
                let theirs = p.get(field).unwrap_or(&Value::Null);
                let flagged = p["issues"]
                    .as_array()
                    .is_some_and(|is| is.iter().any(|i| issue_on(i, field)));
                if theirs.is_null() || flagged {
                    taken.push(field);
                    p.insert(field.to_owned(), mine.clone());
                } else if theirs != mine {
                    disagreements.push(field);
                }
            }
            // Values derived from a taken field come with it.
            for (derived, from) in DERIVED {
                if taken.contains(from) && local.contains_key(*derived) {
                    p.insert((*derived).to_owned(), local[*derived].clone());
                    taken.push(derived);
                }
            }
            let mut issues: Vec<Value> = match p.remove("issues") {
                Some(Value::Array(is)) => is,
                _ => Vec::new(),
            };
            issues.retain(|i| !taken.iter().any(|f| issue_on(i, f)));
            for field in &disagreements {
                issues.push(json!({
                    "field": field,
                    "code": LOCAL_DISAGREES,
                    "severity": "warning",
                    "message": "The value read on the device differs from the provider's (kept); check this field.",
                }));
            }
            let valid = !issues.iter().any(|i| i["severity"] == "error");
            p.insert("issues".to_owned(), Value::Array(issues));
            p.insert("valid".to_owned(), Value::Bool(valid));
            let mut field_sources = match p.remove("sources") {
                Some(Value::Object(s)) => s,
                _ => Map::new(),
            };
            for field in &taken {
                match local["sources"].get(*field) {
                    Some(s) => field_sources.insert((*field).to_owned(), s.clone()),
                    None => field_sources.remove(*field),
                };
            }
            p.insert("sources".to_owned(), Value::Object(field_sources));
            for (k, v) in &p {
                if !NOT_VALUES.contains(&k.as_str()) && !v.is_null() {
                    let from = if taken.contains(&k.as_str()) {
                        "local"
                    } else {
                        "provider"
                    };
                    sources.insert(k.clone(), json!(from));
                }
            }
            p
        }
        Some(_) => {
            return Err(internal(
                "came with a provider result that is not an object",
            ))
        }
    };
    out.insert(
        "local".to_owned(),
        json!({
            "settled": reading["settled"].as_bool().unwrap_or(false),
            "fields": reading["fields"].clone(),
            "sources": Value::Object(sources),
        }),
    );
    Ok(Value::Object(out))
}

/// The result of a paid call when [`merge`] failed: the provider's result unchanged, plus
/// `local: { settled, fields, sources }` (`settled` and `fields` from `reading` where it has
/// them, else `false` and `[]`; every value's source `"provider"`) and a [`LOCAL_NOT_MERGED`]
/// warning on `local`. `valid` is unchanged (a warning). Never fails: a provider result that is
/// not an object is returned as it is.
pub fn unmerged(provider: Value, reading: Option<&Value>) -> Value {
    let Value::Object(mut p) = provider else {
        return provider;
    };
    let mut sources = Map::new();
    for (k, v) in &p {
        if !NOT_VALUES.contains(&k.as_str()) && !v.is_null() {
            sources.insert(k.clone(), json!("provider"));
        }
    }
    let warning = json!({
        "field": "local",
        "code": LOCAL_NOT_MERGED,
        "severity": "warning",
        "message": "The reading on the device could not be merged (internal error); every value is the provider's.",
    });
    match p.get_mut("issues") {
        Some(Value::Array(issues)) => issues.push(warning),
        _ => {
            p.insert("issues".to_owned(), Value::Array(vec![warning]));
        }
    }
    let reading = reading.unwrap_or(&Value::Null);
    let fields = match &reading["fields"] {
        Value::Array(f) => Value::Array(f.clone()),
        _ => Value::Array(Vec::new()),
    };
    p.insert(
        "local".to_owned(),
        json!({
            "settled": reading["settled"].as_bool().unwrap_or(false),
            "fields": fields,
            "sources": Value::Object(sources),
        }),
    );
    Value::Object(p)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure
mod tests {
    use super::*;

    const VIN: &str = "LSVAM4187C2184850";

    fn reading(settled: bool) -> Value {
        json!({
            "result": {
                "document": "vehicleLicenseFront", "provider": "local", "requestId": null,
                "plateNumber": "京A12345", "vin": VIN, "vinSuggestion": null,
                "engineNumber": "ABC123", "owner": "张三", "address": "北京市某路1号",
                "registerDate": "2020-01-02", "issueDate": null,
                "valid": true, "issues": [],
                "sources": { "plateNumber": { "name": "号牌号码", "text": "号牌号码京A12345" },
                             "vin": { "name": "车辆识别代号", "text": VIN } },
                "raw": { "lines": [] }
            },
            "settled": settled,
            "fields": [
                { "field": "plateNumber", "acceptance": "accepted", "minConfidence": 0.99 },
                { "field": "vin", "acceptance": "accepted", "minConfidence": 0.98 },
                { "field": "engineNumber", "acceptance": "accepted", "minConfidence": 0.97 },
                { "field": "owner", "acceptance": "lowConfidence", "minConfidence": 0.5 },
                { "field": "address", "acceptance": "notCheckable", "minConfidence": 0.9 },
                { "field": "registerDate", "acceptance": "accepted", "minConfidence": 0.99 },
                { "field": "issueDate", "acceptance": "missing", "minConfidence": 0.0 }
            ]
        })
    }

    fn provider() -> Value {
        json!({
            "document": "vehicleLicenseFront", "provider": "apihz", "requestId": "r1",
            "plateNumber": "京A12345",            // equal
            "vin": "LSVAM4187C2184851",           // fails its check digit
            "vinSuggestion": "LSVAM4187C2184850",
            "engineNumber": "ABC128",             // differs
            "owner": "李四", "address": "北京市某路1号",
            "registerDate": null,                 // left empty
            "issueDate": "2020-01-03",
            "valid": false,
            "issues": [
                { "field": "vin", "code": "VIN_CHECK_DIGIT", "severity": "error", "message": "m" },
                { "field": "vin", "code": "VIN_SUGGESTION", "severity": "warning", "message": "m" }
            ],
            "sources": { "vin": { "name": "vin", "text": "LSVAM4187C2184851" },
                         "engineNumber": { "name": "engine", "text": "ABC128" } },
            "raw": { "code": 200 }
        })
    }

    #[test]
    fn without_a_provider_every_value_is_local() {
        let r = merge(None, &reading(true)).unwrap();
        assert_eq!(r["provider"], "local");
        assert_eq!(r["local"]["settled"], true);
        let s = r["local"]["sources"].as_object().unwrap();
        for k in [
            "plateNumber",
            "vin",
            "engineNumber",
            "owner",
            "address",
            "registerDate",
        ] {
            assert_eq!(s[k], "local", "{k}");
        }
        // Empty values and the result's own keys have no source.
        for k in ["issueDate", "vinSuggestion", "document", "issues", "raw"] {
            assert!(!s.contains_key(k), "{k}");
        }
        assert_eq!(r["local"]["fields"], reading(true)["fields"]);
    }

    #[test]
    fn an_empty_or_flagged_provider_field_takes_the_accepted_local_value() {
        let r = merge(Some(provider()), &reading(false)).unwrap();
        let s = &r["local"]["sources"];
        assert_eq!(r["provider"], "apihz");
        assert_eq!(r["requestId"], "r1");
        // Left empty by the provider, accepted on the device.
        assert_eq!(r["registerDate"], "2020-01-02");
        assert_eq!(s["registerDate"], "local");
        // Invalid at the provider (check digit), accepted on the device: the device's VIN, the
        // provider's issues on it and its suggestion gone, the local source entry.
        assert_eq!(r["vin"], VIN);
        assert_eq!(s["vin"], "local");
        assert!(r["vinSuggestion"].is_null());
        assert_eq!(r["sources"]["vin"]["name"], "车辆识别代号");
        assert!(!r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["field"] == "vin"));
        // Equal: the provider's.
        assert_eq!(s["plateNumber"], "provider");
        // Not accepted on the device: the provider's, whatever the device read.
        assert_eq!(r["owner"], "李四");
        assert_eq!(s["owner"], "provider");
        assert_eq!(s["address"], "provider");
        assert_eq!(s["issueDate"], "provider");
        // No error left.
        assert_eq!(r["valid"], true);
    }

    #[test]
    fn a_disagreement_keeps_the_provider_value_with_a_warning() {
        let r = merge(Some(provider()), &reading(false)).unwrap();
        assert_eq!(r["engineNumber"], "ABC128");
        assert_eq!(r["local"]["sources"]["engineNumber"], "provider");
        assert_eq!(r["sources"]["engineNumber"]["name"], "engine");
        let w: Vec<&Value> = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"] == LOCAL_DISAGREES)
            .collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0]["field"], "engineNumber");
        assert_eq!(w[0]["severity"], "warning");
        // The message names no value.
        let m = w[0]["message"].as_str().unwrap();
        assert!(!m.contains("ABC"), "{m}");
    }

    #[test]
    fn every_present_field_has_a_source() {
        let r = merge(Some(provider()), &reading(false)).unwrap();
        let s = r["local"]["sources"].as_object().unwrap();
        for (k, v) in r.as_object().unwrap() {
            if NOT_VALUES.contains(&k.as_str()) {
                continue;
            }
            assert_eq!(s.contains_key(k), !v.is_null(), "{k}");
        }
        assert!(
            !s.contains_key("vinSuggestion"),
            "the VIN came from the device, without suggestion"
        );
    }

    #[test]
    fn an_issue_on_a_sub_field_counts_for_the_field() {
        assert!(issue_on(&json!({"field": "owner.idNumber"}), "owner"));
        assert!(issue_on(&json!({"field": "owner"}), "owner"));
        assert!(!issue_on(&json!({"field": "ownerX"}), "owner"));
    }

    #[test]
    fn unmerged_keeps_the_provider_result_with_a_warning() {
        // A reading the merge refuses (no `fields` list): the fallback keeps everything paid for.
        let bad = json!({ "result": reading(false)["result"].clone(), "settled": false });
        assert!(merge(Some(provider()), &bad).is_err());
        let r = unmerged(provider(), Some(&bad));
        let expected = provider();
        for (k, v) in expected.as_object().unwrap() {
            if k != "issues" {
                assert_eq!(&r[k], v, "{k}");
            }
        }
        let issues = r["issues"].as_array().unwrap();
        assert_eq!(
            &issues[..2],
            expected["issues"].as_array().unwrap().as_slice()
        );
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[2]["code"], LOCAL_NOT_MERGED);
        assert_eq!(issues[2]["field"], "local");
        assert_eq!(issues[2]["severity"], "warning");
        assert_eq!(r["local"]["settled"], false);
        assert_eq!(r["local"]["fields"], json!([]));
        // Every value the result has is the provider's.
        let s = r["local"]["sources"].as_object().unwrap();
        for (k, v) in expected.as_object().unwrap() {
            if !NOT_VALUES.contains(&k.as_str()) {
                assert_eq!(
                    s.get(k),
                    (!v.is_null()).then_some(&json!("provider")),
                    "{k}"
                );
            }
        }
        // The reading's verdicts are kept where it has them; no reading at all is no verdict.
        let r = unmerged(provider(), Some(&reading(true)));
        assert_eq!(r["local"]["fields"], reading(true)["fields"]);
        assert_eq!(r["local"]["settled"], true);
        let r = unmerged(json!({ "issues": null }), None);
        assert_eq!(r["issues"][0]["code"], LOCAL_NOT_MERGED);
        assert_eq!(r["local"]["fields"], json!([]));
        assert_eq!(unmerged(json!([1]), None), json!([1]));
    }

    #[test]
    fn a_call_is_settled_when_each_of_its_key_fields_is_accepted() {
        let r = reading(false);
        assert!(settles(&r, &["plateNumber", "vin", "registerDate"]));
        // `owner` is lowConfidence, `issueDate` missing.
        assert!(!settles(&r, &["plateNumber", "owner"]));
        assert!(!settles(&r, &["issueDate"]));
        assert!(!settles(&r, key_fields(DocumentKind::VehicleLicenseFront)));
        assert!(!settles(&json!({}), &["vin"]));
    }

    #[test]
    fn a_malformed_reading_is_an_internal_error() {
        assert!(merge(None, &json!({})).is_err());
        assert!(merge(None, &json!({"result": {}})).is_err());
        assert!(merge(Some(json!([])), &reading(false)).is_err());
    }
}
