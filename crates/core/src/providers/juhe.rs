//! juhe 车辆登记证识别 (registration certificate): requests, answer checks, error mapping, and
//! its labels (the `desc` of each `result.res` entry → result fields).
//!
//! `/verify_cardjz_certificate/query`: form-encoded `key`, `file` (base64).
//! `/verify_cardjz_certificate/verify`: multipart `key`, `file` (the image file).
//! Success: `{"error_code":0,"reason":"操作成功","result":{"orderid":"JH…","res":[{desc,content,…}]}}`.
//! Every documented `error_code` is mapped in [`map_error_code`].

use super::{with_encoded, Call, Reader};
use crate::fields::split_pair;
use crate::model::ProviderFields;
use crate::options::JuheUpload;
use crate::plan::ImagePayload;
use crate::{wire, DocumentKind, ErrorCode, OcrError, Provider, RecognizeOptions};
use serde_json::Value;

pub const QUERY_PATH: &str = "/verify_cardjz_certificate/query";
pub const VERIFY_PATH: &str = "/verify_cardjz_certificate/verify";

/// The one request of a certificate call (juhe has one endpoint: no failover).
pub(crate) fn prepare(opts: &RecognizeOptions, payload: ImagePayload) -> Result<Call, OcrError> {
    let j = opts.juhe.as_ref().ok_or_else(|| {
        OcrError::config("option `juhe` ({ key }) is required for registrationCertificate")
            .with_provider(Provider::Juhe)
    })?;
    let (bytes, mime, given) = super::image_within_budget(
        payload,
        opts.max_base64_chars,
        Provider::Juhe,
        "juhe (registrationCertificate)",
    )?;
    let (path, content_type, body) = match j.upload {
        JuheUpload::Base64 => {
            let b64 = super::base64_of(&bytes, given);
            let body = wire::form_urlencoded(&[("key", &j.key), ("file", &b64)]);
            (
                QUERY_PATH,
                wire::FORM_CONTENT_TYPE.to_owned(),
                body.into_bytes(),
            )
        }
        JuheUpload::Multipart => {
            let m = wire::multipart(
                &[("key", &j.key)],
                wire::FilePart {
                    name: "file",
                    filename: wire::filename_for(mime),
                    mime,
                    data: &bytes,
                },
            );
            (VERIFY_PATH, m.content_type, m.body)
        }
    };
    Ok(Call {
        provider: Provider::Juhe,
        urls: vec![format!("{}{}", j.base_url, path)],
        failover: false,
        content_type,
        body,
        secrets: with_encoded(&[&j.key]),
        reader: Reader::Juhe,
    })
}

/// `(code, retryable, message)` for a documented juhe `error_code`; `None` for unknown codes.
///
/// Decisions:
/// - 10012 "请求超过次数限制" is `QUOTA`, not `RATE_LIMITED`: juhe sells call packages, and the
///   per-IP rate limit has its own code (10011); 10013 is the same limit for test keys. Waiting
///   does not help until the allowance is topped up, so it is not retryable.
/// - 10014 "系统内部异常" is `PROVIDER_ERROR` and NOT retryable: the doc warns the call may have
///   been processed (and billed); check before repeating it.
/// - 270901 is juhe's own network failure behind the API: `PROVIDER_ERROR`, retryable.
pub fn map_error_code(code: i64) -> Option<(ErrorCode, bool, &'static str)> {
    use ErrorCode::*;
    Some(match code {
        10001 => (Auth, false, "juhe rejected the key (错误的请求KEY)"),
        10002 => (Auth, false, "the juhe key has no permission for this API (该KEY无请求权限)"),
        10003 => (Auth, false, "the juhe key has expired (KEY过期)"),
        10004 => (Auth, false, "juhe rejected the OPENID (错误的OPENID)"),
        10005 => (Auth, false, "the juhe application is not reviewed yet (应用未审核超时)"),
        10007 => (Auth, false, "juhe refused the request source (未知的请求源)"),
        10008 => (Auth, false, "juhe has banned the IP address of the server making the call (被禁止的IP)"),
        10009 => (Auth, false, "juhe has banned the key (被禁止的KEY)"),
        10011 => (RateLimited, true, "juhe: too many requests from this IP; retry later (当前IP请求超过限制)"),
        10012 => (Quota, false, "the juhe call allowance is used up (请求超过次数限制)"),
        10013 => (Quota, false, "the juhe test key is over its limit (测试类KEY超出请求限制)"),
        10014 => (
            ProviderError,
            false,
            "juhe internal error (系统内部异常); the call may have been processed: check before repeating it",
        ),
        10020 => (ProviderError, true, "juhe is under maintenance (接口维护); retry later"),
        10021 => (ProviderError, false, "juhe has discontinued this API (接口停用)"),
        270901 => (ProviderError, true, "juhe reported a network error on its side (网络错误); retry later"),
        270902 => (InvalidImage, false, "juhe received an empty `file` (图片为空)"),
        270903 => (RecognitionFailed, false, "juhe could not read a registration certificate in the image (识别失败)"),
        _ => return None,
    })
}

/// Check a JSON answer: `Ok(())` for `error_code: 0`, else the mapped error.
pub fn check_answer(answer: &Value) -> Result<(), OcrError> {
    let reason = answer
        .get("reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let with_reason = |e: OcrError| match &reason {
        Some(r) => e.with_provider_message(r.clone()),
        None => e,
    };
    match wire::int_field(answer, "error_code") {
        Some(0) => Ok(()),
        Some(code) => {
            let e = match map_error_code(code) {
                Some((ec, retryable, msg)) => OcrError::new(ec, msg).with_retryable(retryable),
                None => OcrError::new(
                    ErrorCode::ProviderError,
                    format!("juhe reported error_code {code}; see providerMessage"),
                ),
            };
            Err(with_reason(
                e.with_provider(Provider::Juhe)
                    .with_provider_code(code.to_string()),
            ))
        }
        None => Err(with_reason(
            OcrError::new(
                ErrorCode::ProviderError,
                "juhe answered without a usable `error_code` field",
            )
            .with_provider(Provider::Juhe),
        )),
    }
}

/// juhe's id for the call: `result.orderid`.
pub fn request_id(answer: &Value) -> Option<String> {
    super::usable_id(answer.get("result")?.get("orderid")?)
}

/// The `(label, content)` pairs of `result.res`, labels as sent (trimmed); entries whose `desc`
/// is null, empty or not text are skipped; a null `content` is `None`.
pub fn entries(answer: &Value) -> Vec<(String, Option<String>)> {
    let Some(items) = answer
        .get("result")
        .and_then(|r| r.get("res"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let label = item.get("desc")?.as_str()?.trim().to_owned();
            if label.is_empty() {
                return None;
            }
            let content = item
                .get("content")
                .and_then(wire::scalar_text)
                .map(|c| c.into_owned());
            Some((label, content))
        })
        .collect()
}

/// What a label holds: one result field, or a composite printed `a/b` (juhe writes `V` for the
/// card's `/` in the label) whose halves are two result fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    One(&'static str),
    Pair(&'static str, &'static str),
}

/// The certificate's labels, compared without white space and with `/` read as `V`.
fn holds(label: &str) -> Option<Holds> {
    let l: String = label
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '/' || c == '／' { 'V' } else { c })
        .collect();
    use Holds::{One, Pair};
    Some(match l.as_str() {
        "登记编号" => One("registrationNumber"),
        "登记机关" => One("registrationAuthority"),
        "登记日期" => One("registrationDate"),
        "机动车登记编号" | "号牌号码" => One("plateNumber"),
        "车辆类型" => One("vehicleType"),
        "车辆品牌" => One("brand"),
        "车辆型号" => One("model"),
        "车身颜色" => One("bodyColor"),
        "国产V进口" => One("origin"),
        "发动机号" | "发动机号码" => One("engineNumber"),
        "发动机型号" => One("engineModel"),
        "燃料种类" => One("fuelType"),
        "排量V功率" => Pair("displacementMl", "powerKw"),
        "制造厂名称" | "制造名称" => One("manufacturer"),
        "转向形式" => One("steering"),
        "轮距" => One("trackMm"),
        "轮胎数" => One("tireCount"),
        "轮胎规格" => One("tireSpec"),
        "钢板弹簧片数" => One("leafSprings"),
        "轴距" => One("wheelbaseMm"),
        "轴数" => One("axleCount"),
        "外廓尺寸" => One("dimensionsMm"),
        "货厢内部尺寸" => One("cargoBoxInnerDimensionsMm"),
        "总质量" => One("totalMassKg"),
        "核定载质量" => One("approvedLoadKg"),
        "核定载客" => One("approvedPassengers"),
        "准牵引总质量" => One("tractionMassKg"),
        "驾驶室载客" => One("cabPassengers"),
        "使用性质" => One("useCharacter"),
        "车辆获得方式" => One("acquisitionMethod"),
        "车辆出厂日期" => One("manufactureDate"),
        "发证机关章" | "发证机关" => One("issuingAuthority"),
        "发证日期" => One("issueDate"),
        // 机动车所有人/身份证明名称/号码: the whole composite, split by the owner rule.
        s if s.starts_with("机动车所有人") => One("owner"),
        // 车辆识别代号/车架号: the VIN, and the frame number when printed separately.
        s if s.starts_with("车辆识别代号") => Pair("vin", "frameNumber"),
        _ => return None,
    })
}

/// The certificate's fields of a successful answer; the first occurrence of a label wins,
/// unknown labels are ignored.
pub fn fields(document: DocumentKind, answer: &Value) -> ProviderFields {
    let mut out = ProviderFields::default();
    if document != DocumentKind::RegistrationCertificate {
        return out;
    }
    for (label, content) in entries(answer) {
        match holds(&label) {
            Some(Holds::One(field)) => out.add(field, &label, content.as_deref()),
            Some(Holds::Pair(a, b)) => {
                let (first, second) = split_pair(content.as_deref());
                out.add_part(a, &label, content.as_deref(), first);
                out.add_part(b, &label, content.as_deref(), second);
            }
            None => {}
        }
    }
    out
}
