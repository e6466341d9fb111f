//! juhe 车辆登记证识别 (registration certificate): requests, answer parsing, error mapping.
//!
//! `/verify_cardjz_certificate/query`: form-encoded `key`, `file` (base64).
//! `/verify_cardjz_certificate/verify`: multipart `key`, `file` (the image file).
//! Success: `{"error_code":0,"reason":"操作成功","result":{"orderid":"JH…","res":[{desc,content,…}]}}`.
//! Every documented `error_code` is mapped in [`map_error_code`].

use crate::{wire, ErrorCode, OcrError, Provider};
use serde_json::Value;

pub const QUERY_PATH: &str = "/verify_cardjz_certificate/query";
pub const VERIFY_PATH: &str = "/verify_cardjz_certificate/verify";

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

/// `result.orderid`.
pub fn order_id(answer: &Value) -> Option<String> {
    let id = wire::scalar_text(answer.get("result")?.get("orderid")?)?;
    (!id.is_empty()).then(|| id.into_owned())
}

/// The `(label, content)` pairs of `result.res`, labels with all whitespace removed; entries
/// whose `desc` is null (or not text) are skipped; a null `content` is `None`.
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
            let label: String = item
                .get("desc")?
                .as_str()?
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
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
