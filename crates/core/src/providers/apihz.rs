//! apihz 行驶证识别 (vehicle licence front/back): request body, answer checks, error mapping,
//! and its field names (the flat fields of a successful answer → result fields).
//!
//! Request: `POST` form-encoded `id, key, class (1 front / 2 back), type (1 url / 2 base64),
//! img` to each configured endpoint in turn (failover, see [`crate::plan`]).
//! Success is `{"code":200, ...fields}` (fields flat beside `code`). Failure is
//! `{"code":400,"msg":"通讯秘钥错误。"}`: free text only, no sub-code. The message is classified by
//! a keyword rule table; the table is a GUESS (the doc lists no messages), so callers can put
//! their own rules first with the `apihz.messageRules` option.

use super::{with_encoded, Call, Reader};
use crate::model::ProviderFields;
use crate::options::MessageRule;
use crate::plan::ImagePayload;
use crate::{wire, DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions};
use serde_json::Value;

/// The requests of a vehicle licence call: the same form body to every endpoint, in order.
pub(crate) fn prepare(opts: &RecognizeOptions, payload: ImagePayload) -> Result<Call, OcrError> {
    let a = opts.apihz.as_ref().ok_or_else(|| {
        OcrError::config("option `apihz` ({ id, key }) is required for the vehicle licence")
            .with_provider(Provider::Apihz)
    })?;
    let secrets = with_encoded(&[&a.key, &a.id]);
    let body = match payload {
        ImagePayload::RemoteUrl(url) => {
            if !crate::options::is_http_url(&url) {
                return Err(OcrError::new(
                    ErrorCode::InvalidImage,
                    "the image URL is not an absolute http(s) URL",
                )
                .with_retryable(false)
                .with_provider(Provider::Apihz));
            }
            form_body(&a.id, &a.key, opts.document, ImgType::Url, &url)
        }
        image => {
            let (bytes, _, given) =
                super::image_within_budget(image, opts.max_base64_chars, Provider::Apihz, "apihz")?;
            let b64 = super::base64_of(&bytes, given);
            form_body(&a.id, &a.key, opts.document, ImgType::Base64, &b64)
        }
    };
    Ok(Call {
        provider: Provider::Apihz,
        urls: a.endpoints.clone(),
        failover: true,
        content_type: wire::FORM_CONTENT_TYPE.to_owned(),
        body: body.into_bytes(),
        secrets,
        reader: Reader::Apihz {
            rules: a.message_rules.clone(),
        },
    })
}

/// What `img` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImgType {
    /// `type=1`: a remote image URL that apihz downloads itself.
    Url,
    /// `type=2`: base64 of the image.
    Base64,
}

/// The form body: `id, key, class (1 front / 2 back), type (1 url / 2 base64), img`.
pub fn form_body(id: &str, key: &str, doc: DocumentKind, img_type: ImgType, img: &str) -> String {
    let class = match doc {
        DocumentKind::VehicleLicenseBack => "2",
        _ => "1",
    };
    let ty = match img_type {
        ImgType::Url => "1",
        ImgType::Base64 => "2",
    };
    wire::form_urlencoded(&[
        ("id", id),
        ("key", key),
        ("class", class),
        ("type", ty),
        ("img", img),
    ])
}

/// The built-in classification of `code:400` messages, checked in order (first match wins).
/// A guess from the wording of apihz's pages; see the module docs.
pub const DEFAULT_RULES: &[(&str, ErrorCode)] = &[
    // Balance / allowance (before the key words: "用户余额不足" is a quota problem).
    ("余额", ErrorCode::Quota),
    ("盟点", ErrorCode::Quota),
    ("点数", ErrorCode::Quota),
    ("积分不足", ErrorCode::Quota),
    ("充值", ErrorCode::Quota),
    ("次数用完", ErrorCode::Quota),
    ("欠费", ErrorCode::Quota),
    // Specific rate-limit words.
    ("频繁", ErrorCode::RateLimited),
    ("频次", ErrorCode::RateLimited),
    ("频率", ErrorCode::RateLimited),
    ("并发", ErrorCode::RateLimited),
    // Key / id / account problems.
    ("秘钥", ErrorCode::Auth),
    ("密钥", ErrorCode::Auth),
    ("KEY", ErrorCode::Auth),
    ("key", ErrorCode::Auth),
    ("Key", ErrorCode::Auth),
    ("ID错误", ErrorCode::Auth),
    ("id错误", ErrorCode::Auth),
    ("权限", ErrorCode::Auth),
    ("封禁", ErrorCode::Auth),
    // Recognition.
    ("识别失败", ErrorCode::RecognitionFailed),
    ("未识别", ErrorCode::RecognitionFailed),
    ("无法识别", ErrorCode::RecognitionFailed),
    ("未检测", ErrorCode::RecognitionFailed),
    // Broad words last.
    ("用户", ErrorCode::Auth),
    ("稍后", ErrorCode::RateLimited),
];

const IMAGE_WORDS: &[&str] = &["图片", "图像", "BASE64", "base64", "Base64", "img", "IMG"];
const SIZE_WORDS: &[&str] = &["大小", "超过", "过大", "太大", "1M", "1m"];

/// Classify an apihz error message: the caller's rules first, then [`DEFAULT_RULES`], then the
/// image rules (`IMAGE_TOO_LARGE` when the message also speaks of size), else `PROVIDER_ERROR`.
pub fn classify_message(msg: &str, user_rules: &[MessageRule]) -> ErrorCode {
    if let Some(r) = user_rules
        .iter()
        .find(|r| msg.contains(r.contains.as_str()))
    {
        return r.code;
    }
    if let Some((_, code)) = DEFAULT_RULES.iter().find(|(w, _)| msg.contains(w)) {
        return *code;
    }
    if IMAGE_WORDS.iter().any(|w| msg.contains(w)) {
        if SIZE_WORDS.iter().any(|w| msg.contains(w)) {
            return ErrorCode::ImageTooLarge;
        }
        return ErrorCode::InvalidImage;
    }
    ErrorCode::ProviderError
}

/// The provider's code as text, for `providerCode`.
fn code_text(v: &Value) -> Option<String> {
    match v.get("code")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.chars().take(32).collect()),
        _ => None,
    }
}

/// Check a JSON answer: `Ok(())` for `code:200`, else the mapped error (provider, code and
/// message set; the caller redacts secrets).
pub fn check_answer(answer: &Value, user_rules: &[MessageRule]) -> Result<(), OcrError> {
    if !answer.is_object() {
        return Err(OcrError::new(
            ErrorCode::ProviderError,
            "apihz answered with JSON that is not an object",
        )
        .with_provider(Provider::Apihz));
    }
    let msg = answer.get("msg").and_then(Value::as_str).map(str::to_owned);
    match wire::int_field(answer, "code") {
        Some(200) => Ok(()),
        Some(code) => {
            let text = msg.clone().unwrap_or_default();
            let ec = classify_message(&text, user_rules);
            let message = match ec {
                ErrorCode::Auth => {
                    "apihz rejected the id/key (wrong, expired or not allowed for this API)"
                }
                ErrorCode::Quota => "the apihz account balance or call allowance is used up",
                ErrorCode::RateLimited => "apihz reports too many requests; retry later",
                ErrorCode::RecognitionFailed => {
                    "apihz could not read a vehicle licence in the image"
                }
                ErrorCode::ImageTooLarge => "apihz refused the image as too large",
                ErrorCode::InvalidImage => "apihz refused the image",
                _ => "apihz reported an error",
            };
            let mut e = OcrError::new(ec, format!("{message} (code {code}); see providerMessage"))
                .with_provider(Provider::Apihz)
                .with_provider_code(code_text(answer).unwrap_or_else(|| code.to_string()));
            if matches!(
                ec,
                ErrorCode::InvalidImage
                    | ErrorCode::ImageTooLarge
                    | ErrorCode::Auth
                    | ErrorCode::Quota
            ) {
                e = e.with_retryable(false);
            }
            if let Some(m) = msg {
                e = e.with_provider_message(m);
            }
            Err(e)
        }
        None => {
            let mut e = OcrError::new(
                ErrorCode::ProviderError,
                "apihz answered without a usable `code` field",
            )
            .with_provider(Provider::Apihz);
            if let Some(m) = msg {
                e = e.with_provider_message(m);
            }
            Err(e)
        }
    }
}

/// apihz sends no id for a call (its documents show none): `None`, so the result carries the
/// client's id.
pub fn request_id(_answer: &Value) -> Option<String> {
    None
}

/// The front page's fields: apihz name → result field.
pub const FRONT_FIELDS: &[(&str, &str)] = &[
    ("PlateNo", "plateNumber"),
    ("VehicleType", "vehicleType"),
    ("Owner", "owner"),
    ("Address", "address"),
    ("UseCharacter", "useCharacter"),
    ("Model", "model"),
    ("Vin", "vin"),
    ("EngineNo", "engineNumber"),
    ("RegisterDate", "registerDate"),
    ("IssueDate", "issueDate"),
    ("Seal", "issuingAuthority"),
];

/// The back page's fields: apihz name → result field.
pub const BACK_FIELDS: &[(&str, &str)] = &[
    ("PlateNo", "plateNumber"),
    ("FileNo", "fileNumber"),
    ("AllowNum", "approvedPassengers"),
    ("TotalMass", "totalMassKg"),
    ("CurbWeight", "curbWeightKg"),
    ("LoadQuality", "approvedLoadKg"),
    ("ExternalSize", "dimensionsMm"),
    ("TotalQuasiMass", "tractionMassKg"),
    ("Marks", "remarks"),
    ("Record", "inspectionRecord"),
    ("SubPageCode", "barcodeNumber"),
    ("FuelType", "fuelType"),
];

/// The fields of a successful answer (flat beside `code`): strings as they are, numbers as
/// text; a field that is absent is not listed, one that is not text (null, an array) is listed
/// without text.
pub fn fields(document: DocumentKind, answer: &Value) -> ProviderFields {
    let table = match document {
        DocumentKind::VehicleLicenseFront => FRONT_FIELDS,
        DocumentKind::VehicleLicenseBack => BACK_FIELDS,
        DocumentKind::RegistrationCertificate => &[],
    };
    let mut out = ProviderFields::default();
    for (name, field) in table {
        if let Some(v) = answer.get(*name) {
            out.add(field, name, wire::scalar_text(v).as_deref());
        }
    }
    out
}
