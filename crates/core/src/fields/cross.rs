//! Agreement of plate, VIN and engine number across the documents the user has.

use super::{codes, compact_upper, plate, text, vin, CrossCheckInput, FieldIssue, Issues};

/// "the front page", "the front page and the certificate", "the front page, the back page and
/// the certificate".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

fn compare(field: &str, what: &str, values: &[(&str, String)], issues: &mut Issues) {
    let Some((_, first)) = values.first() else {
        return;
    };
    if values.iter().all(|(_, v)| v == first) {
        return;
    }
    // Group the documents by value to say which ones disagree (never the values).
    let mut groups: Vec<(&String, Vec<&str>)> = Vec::new();
    for (doc, v) in values {
        match groups.iter_mut().find(|(g, _)| *g == v) {
            Some((_, docs)) => docs.push(doc),
            None => groups.push((v, vec![doc])),
        }
    }
    let message = match groups.as_slice() {
        // The guard is tried for each alternative: the odd document may come first or second.
        [(_, agree), (_, odd)] | [(_, odd), (_, agree)] if agree.len() > 1 && odd.len() == 1 => {
            format!(
                "The {what} on {} does not match the one on {}.",
                list(odd),
                list(agree)
            )
        }
        _ => {
            let all: Vec<&str> = values.iter().map(|(d, _)| *d).collect();
            format!("The {what} differs between {}.", list(&all))
        }
    };
    issues.error(field, codes::CROSS_MISMATCH, message);
}

/// Plate, VIN and engine number must agree across the documents the user has (compared after
/// normalization: spaces, `·`, full-width forms and case do not count). Each disagreement is
/// one error `CROSS_MISMATCH` on `"plateNumber"`, `"vin"` or `"engineNumber"`, whose message
/// names the documents that disagree. Documents without the value are skipped.
pub fn cross_check(input: &CrossCheckInput) -> Vec<FieldIssue> {
    let docs = [
        ("the front page", input.front.as_ref()),
        ("the back page", input.back.as_ref()),
        ("the certificate", input.certificate.as_ref()),
    ];
    let collect =
        |get: &dyn Fn(&super::CrossCheckDoc) -> Option<String>| -> Vec<(&'static str, String)> {
            docs.iter()
                .filter_map(|(name, d)| d.and_then(get).map(|v| (*name, v)))
                .collect()
        };
    let mut issues = Issues::default();
    let plates = collect(&|d| text(d.plate_number.as_deref()).map(|p| plate::normalize(&p)));
    compare("plateNumber", "plate number", &plates, &mut issues);
    let vins = collect(&|d| text(d.vin.as_deref()).map(|v| vin::normalize(&v)));
    compare("vin", "VIN", &vins, &mut issues);
    let engines = collect(&|d| text(d.engine_number.as_deref()).map(|e| compact_upper(&e)));
    compare("engineNumber", "engine number", &engines, &mut issues);
    issues.into_vec()
}

/// `crossCheck({ front?, back?, certificate? })` from JS: each slot is a result of `recognize()`
/// (a JSON object with `document`, `plateNumber`, `vin`, `engineNumber`). A slot holding another
/// document kind, or a non-object, is a CONFIG error naming the slot.
pub fn cross_check_json(v: &serde_json::Value) -> Result<Vec<FieldIssue>, crate::OcrError> {
    use crate::OcrError;
    let Some(obj) = v.as_object() else {
        return Err(OcrError::config(
            "crossCheck takes an object { front?, back?, certificate? } of recognize() results",
        ));
    };
    if let Some(k) = obj
        .keys()
        .find(|k| !["front", "back", "certificate"].contains(&k.as_str()))
    {
        let shown: String = k.chars().take(40).collect();
        return Err(OcrError::config(format!(
            "unknown crossCheck slot `{shown}` (expected front, back, certificate)"
        )));
    }
    let slot = |name: &str, kind: &str| -> Result<Option<super::CrossCheckDoc>, OcrError> {
        let doc = match obj.get(name) {
            None | Some(serde_json::Value::Null) => return Ok(None),
            Some(serde_json::Value::Object(d)) => d,
            Some(_) => {
                return Err(OcrError::config(format!(
                    "crossCheck `{name}` must be a recognize() result"
                )))
            }
        };
        if doc.get("document").and_then(|d| d.as_str()) != Some(kind) {
            return Err(OcrError::config(format!(
                "crossCheck `{name}` must be a `{kind}` result"
            )));
        }
        let text = |k: &str| doc.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        Ok(Some(super::CrossCheckDoc {
            plate_number: text("plateNumber"),
            vin: text("vin"),
            engine_number: text("engineNumber"),
        }))
    };
    Ok(cross_check(&CrossCheckInput {
        front: slot("front", "vehicleLicenseFront")?,
        back: slot("back", "vehicleLicenseBack")?,
        certificate: slot("certificate", "registrationCertificate")?,
    }))
}
