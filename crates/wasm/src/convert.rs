//! JS <-> Rust value conversions. Errors from here never echo the value they failed on.

use serde::Serialize;
use vehicle_doc_ocr_core::{ErrorCode, OcrError};
use wasm_bindgen::prelude::*;

pub fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail; ignore the impossible error.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Serialize a result as plain JSON-compatible JS (objects, not `Map`s).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, OcrError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| {
            OcrError::new(
                ErrorCode::ProviderError,
                "internal: could not convert the result to JS",
            )
        })
}

/// The error object the JS wrapper turns into an `Error` subclass.
pub fn error_to_js(e: &OcrError) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "__vehicleDocOcr", &JsValue::TRUE);
    set(&o, "code", &JsValue::from_str(e.code.as_str()));
    set(&o, "name", &JsValue::from_str(e.code.class_name()));
    set(&o, "message", &JsValue::from_str(&e.message));
    set(&o, "retryable", &JsValue::from_bool(e.retryable));
    let opt = |v: Option<&str>| v.map(JsValue::from_str).unwrap_or(JsValue::NULL);
    set(&o, "provider", &opt(e.provider.map(|p| p.as_str())));
    set(&o, "providerCode", &opt(e.provider_code.as_deref()));
    set(&o, "providerMessage", &opt(e.provider_message.as_deref()));
    // Only `recognize` (main) can meet a POOR_IMAGE with reasons (the Worker's gate answer).
    #[cfg(feature = "main")]
    if !e.reasons.is_empty() {
        let reasons: js_sys::Array = e.reasons.iter().map(|r| JsValue::from_str(r)).collect();
        set(&o, "reasons", &reasons);
    }
    o.into()
}

/// The JSON-compatible part of the options object, key by key, so a bad value is named by
/// its option and never echoed.
pub fn options_to_json(options: &JsValue) -> Result<serde_json::Value, OcrError> {
    if options.is_undefined() || options.is_null() {
        return Ok(serde_json::Value::Null);
    }
    if !options.is_object() || options.is_function() || js_sys::Array::is_array(options) {
        return Err(OcrError::config("options must be an object"));
    }
    let mut map = serde_json::Map::new();
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let value = get(options, &name);
        if value.is_undefined() {
            continue;
        }
        let not_json = || {
            OcrError::config(format!("option `{name}` must be plain JSON data (strings, finite numbers, booleans, arrays, objects; no cycles)"))
        };
        // JSON has no NaN/Infinity: the conversion would turn them into `null`, i.e. "unset".
        if has_non_finite(&value, 8) {
            return Err(not_json());
        }
        let json = js_to_json(&value).ok_or_else(not_json)?;
        map.insert(name, json);
    }
    Ok(serde_json::Value::Object(map))
}

/// A JS value as JSON data, or `None` when it is not JSON-like: what
/// `serde_wasm_bindgen::from_value::<serde_json::Value>` accepts, written out because that
/// deserializer's error messages (which we never show) linked the whole `f64` formatter into the
/// main module. `null`/`undefined` -> null; safe integers and in-range BigInts -> integers; other
/// numbers as floats (non-finite -> null); arrays (holes -> null); a `Map` with string keys or a
/// non-iterable object -> object; anything else (functions, symbols, bytes, Sets...) -> `None`.
pub fn js_to_json(value: &JsValue) -> Option<serde_json::Value> {
    to_json(value, MAX_JSON_DEPTH)
}

/// Nesting deeper than this is not JSON-compatible (`None`): options are a few levels deep, and
/// an object that holds itself would otherwise recurse until the wasm stack traps (which poisons
/// the module for the whole page).
const MAX_JSON_DEPTH: u8 = 32;

fn to_json(value: &JsValue, depth: u8) -> Option<serde_json::Value> {
    use serde_json::Value;
    if value.loose_eq(&JsValue::NULL) {
        return Some(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Some(Value::Bool(b));
    }
    if value.is_bigint() {
        return match i64::try_from(value.clone()) {
            Ok(n) => Some(Value::from(n)),
            Err(v) => u64::try_from(v).ok().map(Value::from),
        };
    }
    if let Some(n) = value.as_f64() {
        return Some(if js_sys::Number::is_safe_integer(value) {
            Value::from(n as i64)
        } else {
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
        });
    }
    if let Some(s) = value.as_string() {
        return Some(Value::String(s));
    }
    let depth = depth.checked_sub(1)?;
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        return array
            .iter()
            .map(|v| to_json(&v, depth))
            .collect::<Option<_>>()
            .map(Value::Array);
    }
    if !value.is_object() || value.is_instance_of::<js_sys::ArrayBuffer>() {
        return None;
    }
    let mut map = serde_json::Map::new();
    let mut entry = |pair: JsValue| -> Option<()> {
        let pair = pair.unchecked_into::<js_sys::Array>();
        map.insert(pair.get(0).as_string()?, to_json(&pair.get(1), depth)?);
        Some(())
    };
    match js_sys::try_iter(value) {
        Ok(None) => {
            for pair in js_sys::Object::entries(value.unchecked_ref()).iter() {
                entry(pair)?;
            }
        }
        Ok(Some(iter)) if value.is_instance_of::<js_sys::Map>() => {
            for pair in iter {
                entry(pair.ok()?)?;
            }
        }
        _ => return None,
    }
    Some(Value::Object(map))
}

/// Whether `value` is, or holds within `depth` levels, a NaN or an infinite number.
fn has_non_finite(value: &JsValue, depth: u8) -> bool {
    if let Some(n) = value.as_f64() {
        return !n.is_finite();
    }
    depth > 0
        && value.is_object()
        && js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .any(|k| has_non_finite(&get(value, &k), depth - 1))
}

/// Today's local date as `YYYY-MM-DD` (the core has no clock).
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// The effective settings object made by `prepareSettings` (numbers and the target), plus the
/// `textHeightPx` api.js adds from the quality report: read without a JSON parser, which keeps
/// the codec module small.
pub fn prepare_options(
    settings: &JsValue,
) -> Result<vehicle_doc_ocr_imaging::PrepareOptions, OcrError> {
    let num = |k: &str| {
        get(settings, k)
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 1.0)
            .ok_or_else(|| OcrError::config("internal: a prepare setting is missing"))
    };
    Ok(vehicle_doc_ocr_imaging::PrepareOptions {
        max_base64_chars: num("maxBase64Chars")? as usize,
        max_long_side_px: num("maxLongSidePx")? as u32,
        max_source_pixels: num("maxSourcePixels")? as u64,
        min_quality: num("minQuality")?.min(100.0) as u8,
        max_quality: num("maxQuality")?.min(100.0) as u8,
        apply_orientation: true,
        max_progressive_coeff_bytes: num("maxDecodeMemoryBytes")? as u64,
        target: get(settings, "target")
            .as_string()
            .and_then(|t| vehicle_doc_ocr_imaging::SizeTarget::from_name(&t))
            .ok_or_else(|| OcrError::config("internal: a prepare setting is missing"))?,
        // The quality report's estimate, added by api.js under "legible" (absent: none; the
        // cast saturates, and 0 is no estimate).
        text_height_px: get(settings, "textHeightPx").as_f64().map(|n| n as u32),
    })
}
