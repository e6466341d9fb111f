//! The cascade's rule: which fields must be accepted on the device for a call to need no
//! provider. The key fields are those an integrator checks a vehicle by (plate, VIN, engine
//! number, owner, model, type, dates); free text (address, authority, colour) is never a reason
//! to pay, and never accepted as settled either (see `Acceptance::NotCheckable`).

use crate::LocalReading;
use vehicle_doc_ocr_core::DocumentKind;

/// The fields that must all be accepted for `doc` to be settled without a provider.
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

/// Whether `reading` of `doc` needs no provider: every key field accepted.
pub fn settled(doc: DocumentKind, reading: &LocalReading) -> bool {
    reading.settled(key_fields(doc))
}
