//! Typed results, one struct per document. STUB: issue #2 fills in the fields and normalizers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocumentKind {
    VehicleLicenseFront,
    VehicleLicenseBack,
    RegistrationCertificate,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::VehicleLicenseFront => "vehicleLicenseFront",
            DocumentKind::VehicleLicenseBack => "vehicleLicenseBack",
            DocumentKind::RegistrationCertificate => "registrationCertificate",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vehicleLicenseFront" => Some(DocumentKind::VehicleLicenseFront),
            "vehicleLicenseBack" => Some(DocumentKind::VehicleLicenseBack),
            "registrationCertificate" => Some(DocumentKind::RegistrationCertificate),
            _ => None,
        }
    }
}

/// One recognized document (serialized untagged: the `document` field inside tells which).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Recognized {
    Placeholder(serde_json::Value),
}
