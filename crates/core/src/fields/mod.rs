//! Field-level parsing, normalization and validation (issue #6).
//!
//! Contract used by `model` (the per-document normalizers) and the provider modules:
//! - every function takes the provider's raw text (`None` when the provider gave none) and
//!   returns the normalized value, or `None` for an empty marker (`""`, `"--"`, a bare unit);
//! - nothing is changed silently: any repair or failed check pushes a [`FieldIssue`];
//!   pure transliterations are not repairs and push nothing (full-width → ASCII digits and
//!   letters, spaces and the `·` after a plate's issuing letter, ASCII upper-casing, and the
//!   slashed zero `Ø` printed on the licence read as the digit `0` in a VIN: `O` is never a VIN
//!   character, so `Ø` has no other meaning);
//! - no function panics on any input, and issue messages never contain the value itself
//!   (values are personal data; the user has them in the result already).
//!
//! Issue codes are listed in [`codes`] with their severities.
//!
//! Submodules: `date` (dates, inspection month, date order), `quantity` (the one number+unit
//! reader: persons, masses, lengths, counts, dimensions, displacement, power, track, `a/b` pairs), `plate`, `vin`, `idnum` (owner composite, resident ID and
//! unified social credit code), `cross` (agreement across documents).

use serde::Serialize;

mod cross;
mod date;
mod idnum;
mod plate;
mod quantity;
mod vin;

pub use cross::{cross_check, cross_check_json};
pub use date::{check_date_order, date, inspection_valid_until};
pub use idnum::{check_id_number, owner};
pub use plate::plate;
pub use quantity::{
    check_masses, count, dimensions_mm, displacement_ml, length_mm, mass_kg, persons, power_kw,
    split_pair, track_mm,
};
pub use vin::{vin, vin_is_valid};

/// Stable issue codes (the `code` of a [`FieldIssue`]), with their severity.
pub mod codes {
    /// error: non-empty text that is no date format we know.
    pub const DATE_UNREADABLE: &str = "DATE_UNREADABLE";
    /// error: a date that does not exist (2019-02-30, month 13) or a year outside 1900–2199.
    pub const DATE_INVALID: &str = "DATE_INVALID";
    /// error: a date after `Context::today` (the value is kept).
    pub const DATE_IN_FUTURE: &str = "DATE_IN_FUTURE";
    /// error: a date before one that must come first (issued before registered).
    pub const DATE_ORDER: &str = "DATE_ORDER";
    /// warning: the inspection record mentions a validity date that could not be read.
    pub const INSPECTION_UNREADABLE: &str = "INSPECTION_UNREADABLE";
    /// warning: a quantity that is not a number with an expected unit (value dropped).
    pub const QUANTITY_UNREADABLE: &str = "QUANTITY_UNREADABLE";
    /// warning: a quantity outside the physically plausible range (value kept).
    pub const QUANTITY_IMPLAUSIBLE: &str = "QUANTITY_IMPLAUSIBLE";
    /// warning: the total mass is below the curb weight.
    pub const MASS_BELOW_CURB_WEIGHT: &str = "MASS_BELOW_CURB_WEIGHT";
    /// warning: the plate number matches no known plate format (value kept).
    pub const PLATE_FORMAT: &str = "PLATE_FORMAT";
    /// error: a VIN without exactly 17 characters.
    pub const VIN_LENGTH: &str = "VIN_LENGTH";
    /// error: a VIN with a character other than digits and capital letters except I, O, Q.
    pub const VIN_CHARSET: &str = "VIN_CHARSET";
    /// error: a VIN whose check digit (9th character) does not match.
    pub const VIN_CHECK_DIGIT: &str = "VIN_CHECK_DIGIT";
    /// warning: the VIN fails its check (charset or check digit) but exactly one swap of an
    /// OCR-confusable character makes it pass; the repair is offered as `vinSuggestion`.
    pub const VIN_SUGGESTION: &str = "VIN_SUGGESTION";
    /// error: a resident ID number with the wrong length or characters.
    pub const ID_FORMAT: &str = "ID_FORMAT";
    /// error: a resident ID number whose GB 11643 check digit does not match.
    pub const ID_CHECK_DIGIT: &str = "ID_CHECK_DIGIT";
    /// error: a resident ID number whose birth date does not exist.
    pub const ID_BIRTHDATE: &str = "ID_BIRTHDATE";
    /// error: a unified social credit code with the wrong length or characters.
    pub const USCC_FORMAT: &str = "USCC_FORMAT";
    /// error: a unified social credit code whose GB 32100 check character does not match.
    pub const USCC_CHECK_DIGIT: &str = "USCC_CHECK_DIGIT";
    /// error: plate, VIN or engine number differ between the documents.
    pub const CROSS_MISMATCH: &str = "CROSS_MISMATCH";
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldIssue {
    /// The camelCase result field the issue is about (`"vin"`, `"owner.idNumber"`).
    pub field: String,
    /// A stable machine code (`"VIN_CHECK_DIGIT"`, `"DATE_INVALID"`, ...).
    pub code: String,
    pub severity: Severity,
    /// Plain English, without the value.
    pub message: String,
}

/// Collects issues while a document is normalized.
#[derive(Debug, Default, Clone)]
pub struct Issues(pub Vec<FieldIssue>);

impl Issues {
    pub fn push(
        &mut self,
        field: &str,
        code: &str,
        severity: Severity,
        message: impl Into<String>,
    ) {
        self.0.push(FieldIssue {
            field: field.to_owned(),
            code: code.to_owned(),
            severity,
            message: message.into(),
        });
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|i| i.severity == Severity::Error)
    }
    pub fn into_vec(self) -> Vec<FieldIssue> {
        self.0
    }
    /// Whether an issue with this field and code was already pushed.
    pub fn contains(&self, field: &str, code: &str) -> bool {
        self.0.iter().any(|i| i.field == field && i.code == code)
    }
    fn error(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.push(field, code, Severity::Error, message);
    }
    fn warning(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.push(field, code, Severity::Warning, message);
    }
}

/// Today's date as ISO `YYYY-MM-DD`, supplied by the caller (the core has no clock: on
/// wasm32-unknown-unknown `SystemTime::now()` panics). `None` skips "not in the future" checks.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub today: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dimensions {
    pub length: u32,
    pub width: u32,
    pub height: u32,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub name: Option<String>,
    /// As printed, e.g. `"居民身份证"`, `"统一社会信用代码"`.
    pub id_type: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VinResult {
    pub value: Option<String>,
    /// A single-character OCR repair that makes the check digit pass (never applied silently).
    pub suggestion: Option<String>,
}

/// Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space to ASCII.
pub(crate) fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Full-width forms folded, white space removed, ASCII upper-cased: the comparable form of a
/// code printed with letters and digits (engine number, ID number, plate).
pub(crate) fn compact_upper(t: &str) -> String {
    t.chars()
        .map(fold)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Characters trimmed around every value (Unicode white space, BOM, zero-width space).
fn is_trim(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'
}

/// Units printed alone when a field is empty (`"kg"`, `"mm"`, `"人"`), compared lower-cased.
const BARE_UNITS: &[&str] = &[
    "kg", "k", "g", "t", "mm", "cm", "m", "km/h", "ml", "l", "cc", "kw", "w", "人", "座", "吨",
    "千克", "公斤", "毫米", "米", "毫升", "升", "千瓦", "个", "根", "片", "轴", "条",
];

/// Characters that alone (possibly before a bare unit) mean "empty": `"--"`, `"—"`, `"/"`, `"×mm"`.
fn is_dash_like(c: char) -> bool {
    matches!(
        c,
        '-' | '—' | '–' | '―' | '/' | '\\' | '×' | '*' | '_' | '.' | '·'
    )
}

/// Whether the (trimmed) text is an empty marker.
fn is_empty_marker(t: &str) -> bool {
    let folded: String = t
        .chars()
        .map(fold)
        .filter(|c| !is_trim(*c))
        .collect::<String>()
        .to_lowercase();
    if folded.is_empty() || folded == "无" {
        return true;
    }
    let mut body = folded.as_str();
    if let Some(unit) = BARE_UNITS.iter().find(|u| body.ends_with(*u)) {
        body = &body[..body.len() - unit.len()];
    }
    body.chars().all(is_dash_like)
}

/// Trimmed text, or `None` for empty markers (`""`, `"--"`, `"-"`, `"—"`, `"/"`, `"无"`, a bare
/// unit such as `"kg"`, `"mm"`, `"人"`, `"km/h"`, or dashes before a unit such as `"--kg"`).
pub fn text(raw: Option<&str>) -> Option<String> {
    let t = raw?.trim_matches(is_trim);
    if is_empty_marker(t) {
        None
    } else {
        Some(t.to_owned())
    }
}

/// What `cross_check` compares, per document the user has.
#[derive(Debug, Clone, Default)]
pub struct CrossCheckInput {
    pub front: Option<CrossCheckDoc>,
    pub back: Option<CrossCheckDoc>,
    pub certificate: Option<CrossCheckDoc>,
}

#[derive(Debug, Clone, Default)]
pub struct CrossCheckDoc {
    pub plate_number: Option<String>,
    pub vin: Option<String>,
    pub engine_number: Option<String>,
}
