//! Field-level parsing, normalization and validation (issue #6 owns the full rules).
//!
//! Contract used by `model` (the per-document normalizers):
//! - every function takes the provider's raw text (`None` when the provider gave none) and
//!   returns the normalized value, or `None` for an empty marker (`""`, `"--"`, a bare unit);
//! - nothing is changed silently: any repair or failed check pushes a [`FieldIssue`];
//! - no function panics on any input, and issue messages never contain the value itself
//!   (values are personal data; the user has them in the result already).
//!
//! STUB: the bodies below are minimal placeholders so the rest of the crate compiles; issue #6
//! replaces them with the full rules (the signatures are the contract and stay).

use serde::Serialize;

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
    pub fn push(&mut self, field: &str, code: &str, severity: Severity, message: impl Into<String>) {
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

/// Trimmed text, or `None` for empty markers (`""`, `"--"`, `"-"`, `"无"`, a bare unit).
pub fn text(raw: Option<&str>) -> Option<String> {
    let t = raw?.trim();
    match t {
        "" | "-" | "--" | "—" | "/" | "无" | "kg" | "KG" | "mm" | "人" | "k" => None,
        _ => Some(t.to_owned()),
    }
}

/// Any date format seen from the providers to ISO `YYYY-MM-DD`.
pub fn date(_field: &str, raw: Option<&str>, _cx: &Context, _issues: &mut Issues) -> Option<String> {
    let t = text(raw)?;
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 8 {
        return None;
    }
    let (y, rest) = digits.split_at(4);
    let (m, d) = rest.split_at(2);
    Some(format!("{y}-{m}-{d}"))
}

/// The back page's inspection record (`检验有效期至2019年11月...`) to `"2019-11"`.
pub fn inspection_valid_until(_field: &str, _raw: Option<&str>, _issues: &mut Issues) -> Option<String> {
    None
}

fn leading_number(t: &str) -> Option<u32> {
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// `"5人"` → 5.
pub fn persons(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<u32> {
    leading_number(&text(raw)?)
}

/// `"2085kg"` → 2085.
pub fn mass_kg(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<u32> {
    leading_number(&text(raw)?)
}

/// `"2650mm"` → 2650.
pub fn length_mm(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<u32> {
    leading_number(&text(raw)?)
}

/// A plain count (`"4"` tyres, `"2"` axles).
pub fn count(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<u32> {
    leading_number(&text(raw)?)
}

/// `"4667×1839×1694mm"` → `{ length: 4667, width: 1839, height: 1694 }`.
pub fn dimensions_mm(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<Dimensions> {
    let t = text(raw)?;
    let parts: Vec<u32> = t
        .split(|c| c == '×' || c == 'x' || c == 'X' || c == '*')
        .filter_map(leading_number)
        .collect();
    match parts.as_slice() {
        [length, width, height] => Some(Dimensions { length: *length, width: *width, height: *height }),
        _ => None,
    }
}

/// Plate number without spaces or `·`.
pub fn plate(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<String> {
    let t = text(raw)?;
    Some(t.chars().filter(|c| !c.is_whitespace() && *c != '·').collect())
}

/// VIN, upper-cased, spaces removed, checked.
pub fn vin(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> VinResult {
    VinResult {
        value: text(raw).map(|t| t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()),
        suggestion: None,
    }
}

/// The certificate's composite owner field, split on `V` or `/`:
/// `"张三V居民身份证V110101199003074578"` → name, id type, id number (id number checked).
pub fn owner(_field: &str, raw: Option<&str>, _issues: &mut Issues) -> Option<Owner> {
    let t = text(raw)?;
    let mut parts = t.splitn(3, ['V', '/']).map(|p| text(Some(p)));
    Some(Owner {
        name: parts.next().flatten(),
        id_type: parts.next().flatten(),
        id_number: parts.next().flatten(),
    })
}

/// Push an error if `earlier` is after `later` (both ISO dates), or if `later` is after today.
pub fn check_date_order(
    _earlier: (&str, Option<&str>),
    _later: (&str, Option<&str>),
    _cx: &Context,
    _issues: &mut Issues,
) {
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

/// Plate, VIN and engine number must agree across the documents the user has.
pub fn cross_check(_input: &CrossCheckInput) -> Vec<FieldIssue> {
    Vec::new()
}
