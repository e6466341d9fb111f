//! The corpus's ground-truth field names (bench/ocr/corpus.py's `values`) → result fields, for
//! the fixture test and the benchmark (`examples/read.rs`). Not used by the reading itself.

use vehicle_doc_ocr_core::{DocumentKind, Recognized};

/// The document kind of a corpus `document` name (`back`: `CORPUS_KIND=back`).
pub fn document(name: &str) -> Option<DocumentKind> {
    match name {
        "licence" => Some(DocumentKind::VehicleLicenseFront),
        "certificate" => Some(DocumentKind::RegistrationCertificate),
        "back" => Some(DocumentKind::VehicleLicenseBack),
        _ => None,
    }
}

/// The result field a corpus key field is, for `doc`.
pub fn result_field(doc: DocumentKind, key: &str) -> Option<&'static str> {
    Some(match (doc, key) {
        (_, "plate") => "plateNumber",
        (_, "type") => "vehicleType",
        (_, "owner") => "owner",
        (_, "model") => "model",
        (_, "vin") => "vin",
        (_, "engine") => "engineNumber",
        (DocumentKind::RegistrationCertificate, "registerDate") => "registrationDate",
        (_, "registerDate") => "registerDate",
        (_, "issueDate") => "issueDate",
        (DocumentKind::VehicleLicenseBack, "fileNumber") => "fileNumber",
        (DocumentKind::VehicleLicenseBack, "approvedPassengers") => "approvedPassengers",
        (DocumentKind::VehicleLicenseBack, "totalMassKg") => "totalMassKg",
        (DocumentKind::VehicleLicenseBack, "curbWeightKg") => "curbWeightKg",
        (DocumentKind::VehicleLicenseBack, "dimensionsMm") => "dimensionsMm",
        _ => return None,
    })
}

/// The value of result field `field` in `r` as text (the certificate's owner: the name).
pub fn value(r: &Recognized, field: &str) -> Option<String> {
    match r {
        Recognized::VehicleLicenseFront(d) => match field {
            "plateNumber" => d.plate_number.clone(),
            "vehicleType" => d.vehicle_type.clone(),
            "owner" => d.owner.clone(),
            "model" => d.model.clone(),
            "vin" => d.vin.clone(),
            "engineNumber" => d.engine_number.clone(),
            "registerDate" => d.register_date.clone(),
            "issueDate" => d.issue_date.clone(),
            "address" => d.address.clone(),
            "useCharacter" => d.use_character.clone(),
            _ => None,
        },
        Recognized::RegistrationCertificate(d) => match field {
            "plateNumber" => d.plate_number.clone(),
            "vehicleType" => d.vehicle_type.clone(),
            "owner" => d.owner.as_ref().and_then(|o| o.name.clone()),
            "model" => d.model.clone(),
            "vin" => d.vin.clone(),
            "engineNumber" => d.engine_number.clone(),
            "registrationDate" => d.registration_date.clone(),
            "issueDate" => d.issue_date.clone(),
            "useCharacter" => d.use_character.clone(),
            _ => None,
        },
        // The quantities as the corpus prints them: `5人`, `1550kg`, `4793×1880×1410mm`.
        Recognized::VehicleLicenseBack(d) => match field {
            "plateNumber" => d.plate_number.clone(),
            "fileNumber" => d.file_number.clone(),
            "approvedPassengers" => d.approved_passengers.map(|n| format!("{n}人")),
            "totalMassKg" => d.total_mass_kg.map(|n| format!("{n}kg")),
            "curbWeightKg" => d.curb_weight_kg.map(|n| format!("{n}kg")),
            "dimensionsMm" => d
                .dimensions_mm
                .as_ref()
                .map(|m| format!("{}×{}×{}mm", m.length, m.width, m.height)),
            _ => None,
        },
    }
}
