//! The glue itself, in Node (wasm-bindgen-test): timeout vs abort, the timer cleared when the
//! call ends, error conversion, no key in any error, an injected `fetch` that never settles.
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test -p vehicle-doc-ocr --target wasm32-unknown-unknown` (scripts/test.sh).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

use js_sys::{Function, Object, Reflect};
use vehicle_doc_ocr::recognize::{check_options, recognize_prepared};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const KEY: &str = "gLuE+Sec/ret=KEY-5e1f";
const JPEG: &[u8] = include_bytes!("../../../tests/node/fixtures/card-640x400.jpg");

/// A JS function from source (test code only: Node allows `new Function`).
fn js(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

fn options(extra: &str) -> JsValue {
    js(
        "key, extra",
        "return Object.assign({ document: 'vehicleLicenseFront', \
         apihz: { id: '10000001', key, endpoints: ['https://apihz.example/x'] } }, JSON.parse(extra))",
    )
    .call2(&JsValue::NULL, &KEY.into(), &extra.into())
    .unwrap()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

/// Run one call with `fetch` and `signal`; returns the error object (the call must fail).
async fn fail(extra: &str, fetch: &JsValue, signal: &JsValue) -> JsValue {
    let checked = check_options(options(extra))
        .map_err(|e| get(&e, "message"))
        .unwrap();
    let image = js_sys::Uint8Array::from(JPEG);
    let err = recognize_prepared(
        image.into(),
        None,
        checked,
        signal.clone(),
        fetch.clone(),
        JsValue::UNDEFINED,
    )
    .await
    .expect_err("the call must fail");
    assert_plain_error(&err);
    err
}

/// The plain error object the JS wrapper turns into a class: marked, typed, and without the key.
fn assert_plain_error(err: &JsValue) {
    assert_eq!(get(err, "__vehicleDocOcr"), JsValue::TRUE);
    assert!(get(err, "code").as_string().is_some());
    assert!(get(err, "name").as_string().unwrap().ends_with("Error"));
    assert!(get(err, "retryable").as_bool().is_some());
    let text = js_sys::JSON::stringify(err).unwrap().as_string().unwrap();
    assert!(
        !text.contains(KEY) && !text.contains("gLuE"),
        "an error shows the key: {text}"
    );
}

fn code(err: &JsValue) -> String {
    get(err, "code").as_string().unwrap()
}

fn never_settles() -> JsValue {
    js("", "return new Promise(() => {})").into()
}

#[wasm_bindgen_test]
async fn a_fetch_that_never_settles_times_out() {
    let err = fail(
        r#"{"timeoutMs": 30}"#,
        &never_settles(),
        &JsValue::UNDEFINED,
    )
    .await;
    assert_eq!(code(&err), "TIMEOUT");
    assert_eq!(get(&err, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn a_caller_abort_is_aborted_not_timeout() {
    let ac = web_sys::AbortController::new().unwrap();
    let abort_soon = js("ac", "setTimeout(() => ac.abort(), 20)");
    abort_soon.call1(&JsValue::NULL, &ac).unwrap();
    let err = fail(
        r#"{"timeoutMs": 5000}"#,
        &never_settles(),
        &ac.signal().into(),
    )
    .await;
    assert_eq!(code(&err), "ABORTED");
    assert_eq!(get(&err, "retryable"), JsValue::FALSE);
}

#[wasm_bindgen_test]
async fn an_already_aborted_signal_calls_no_fetch() {
    let ac = web_sys::AbortController::new().unwrap();
    ac.abort();
    let calls = Object::new();
    let fetch = js(
        "calls",
        "return () => { calls.n = 1; return new Promise(() => {}); }",
    )
    .call1(&JsValue::NULL, &calls)
    .unwrap();
    let err = fail("{}", &fetch, &ac.signal().into()).await;
    assert_eq!(code(&err), "ABORTED");
    assert!(get(&calls, "n").is_undefined(), "fetch was called");
}

#[wasm_bindgen_test]
async fn the_timer_is_cleared_when_the_call_ends() {
    // Wrap the global timers for this test: the call's timer is the one with its timeoutMs.
    let spy = js(
        "",
        "const st = globalThis.setTimeout, ct = globalThis.clearTimeout; \
         const s = { ids: [], cleared: [], restore() { globalThis.setTimeout = st; globalThis.clearTimeout = ct; } }; \
         globalThis.setTimeout = (f, ms, ...a) => { const id = st(f, ms, ...a); if (ms === 4321) s.ids.push(id); return id; }; \
         globalThis.clearTimeout = (id) => { s.cleared.push(id); return ct(id); }; \
         return s;",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let answer = js(
        "",
        "return async () => new Response(JSON.stringify({ code: 400, msg: '通讯秘钥错误。' }))",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let err = fail(r#"{"timeoutMs": 4321}"#, &answer, &JsValue::UNDEFINED).await;
    let ids: js_sys::Array = get(&spy, "ids").unchecked_into();
    let cleared: js_sys::Array = get(&spy, "cleared").unchecked_into();
    js("s", "s.restore()").call1(&JsValue::NULL, &spy).unwrap();
    assert_eq!(code(&err), "AUTH");
    assert_eq!(ids.length(), 1, "one timer per call");
    assert!(cleared.includes(&ids.get(0), 0), "the timer is cleared");
}

#[wasm_bindgen_test]
async fn the_request_never_follows_redirects() {
    let seen = Object::new();
    let fetch = js(
        "seen",
        "return async (url, init) => { seen.redirect = init.redirect; return new Response(null, { status: 307 }); }",
    )
    .call1(&JsValue::NULL, &seen)
    .unwrap();
    let err = fail("{}", &fetch, &JsValue::UNDEFINED).await;
    assert_eq!(code(&err), "PROVIDER_ERROR");
    assert_eq!(get(&seen, "redirect"), "manual");
}

#[wasm_bindgen_test]
async fn a_fetch_returning_a_non_response_is_a_config_error() {
    for body in [
        "return async () => ({})",
        "return async () => 'ok'",
        "return () => { throw new Error('x') }",
    ] {
        let fetch = js("", body).call0(&JsValue::NULL).unwrap();
        let err = fail("{}", &fetch, &JsValue::UNDEFINED).await;
        assert_eq!(code(&err), "CONFIG", "{body}");
        assert_eq!(get(&err, "retryable"), JsValue::FALSE);
    }
}

#[wasm_bindgen_test]
async fn an_answer_over_max_answer_bytes_is_cut_off() {
    let fetch = js("", "return async () => new Response('x'.repeat(5000))")
        .call0(&JsValue::NULL)
        .unwrap();
    let err = fail(r#"{"maxAnswerBytes": 1000}"#, &fetch, &JsValue::UNDEFINED).await;
    assert_eq!(code(&err), "PROVIDER_ERROR");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("maxAnswerBytes = 1000"));
}

#[wasm_bindgen_test]
fn option_errors_are_plain_typed_objects_without_the_key() {
    for extra in [
        r#"{"timeoutMs": 2147483648}"#,
        r#"{"proxyUrl": "https://shim.example"}"#,
        r#"{"bogus": 1}"#,
    ] {
        let err = check_options(options(extra)).err().expect("refused");
        assert_plain_error(&err);
        assert_eq!(code(&err), "CONFIG", "{extra}");
        assert_eq!(get(&err, "name"), "ConfigError");
        assert_eq!(get(&err, "retryable"), JsValue::FALSE);
    }
}

#[wasm_bindgen_test]
fn option_values_must_be_json_data() {
    let with = |body: &str| {
        js("o", &format!("{body}; return o"))
            .call1(&JsValue::NULL, &options("{}"))
            .unwrap()
    };
    for bad in [
        "o.timeoutMs = new Set([1])",
        "o.timeoutMs = new ArrayBuffer(4)",
        "o.timeoutMs = Symbol('x')",
        "o.timeoutMs = [1, () => 1]",
        "o.apihz.endpoints = new Map([[1, 'x']])",
        // An object that holds itself: refused, not recursed into until the wasm stack traps.
        "o.apihz.self = o.apihz",
        "o.apihz.endpoints = []; o.apihz.endpoints.push(o.apihz.endpoints)",
    ] {
        let err = check_options(with(bad)).err().expect(bad);
        assert_eq!(code(&err), "CONFIG", "{bad}");
        let message = get(&err, "message").as_string().unwrap();
        assert!(
            message.contains("must be plain JSON data"),
            "{bad}: {message}"
        );
    }
    // A BigInt integer is that integer; a Map with string keys is an object.
    for good in [
        "o.timeoutMs = 30000n",
        "o.apihz = new Map(Object.entries(o.apihz))",
    ] {
        assert!(check_options(with(good)).is_ok(), "{good}");
    }
    // The module still works after the refusals.
    assert!(check_options(options("{}")).is_ok());
}

/// A paid call with `local`: the provider answers `answer`, `reading` is what the local module
/// handed over. Returns the result (the call must succeed).
async fn paid_with_reading(reading: JsValue) -> JsValue {
    let answer = include_str!("../../../fixtures/providers/sim-apihz-front.json");
    let fetch = js(
        "answer",
        "return async () => new Response(answer, { headers: { 'Content-Type': 'application/json' } })",
    )
    .call1(&JsValue::NULL, &answer.into())
    .unwrap();
    let checked = check_options(options("{}")).unwrap();
    let image = js_sys::Uint8Array::from(JPEG);
    recognize_prepared(
        image.into(),
        None,
        checked,
        JsValue::UNDEFINED,
        fetch,
        reading,
    )
    .await
    .map_err(|e| get(&e, "message"))
    .expect("a paid result is returned")
}

#[wasm_bindgen_test]
async fn a_merge_that_fails_keeps_the_paid_result_with_a_warning() {
    let local_result = "{ document: 'vehicleLicenseFront', provider: 'local', requestId: null, \
         vin: 'LSVCY6C49MN027789', valid: true, issues: [], sources: {}, raw: { lines: [] } }";
    for reading in [
        // No `fields` list: the merge refuses it.
        format!("return {{ result: {local_result}, settled: false }}"),
        // Not JSON data: it cannot be converted.
        format!("return {{ result: {local_result}, settled: false, fields: [() => 1] }}"),
        // Converted and merged, but a number out of JS's safe range cannot go back to JS.
        format!("return {{ result: {local_result}, settled: false, fields: [{{ field: 'vin', acceptance: 'accepted', minConfidence: 2n ** 60n }}] }}"),
    ] {
        let r = paid_with_reading(js("", &reading).call0(&JsValue::NULL).unwrap()).await;
        assert_eq!(get(&r, "provider"), "apihz", "{reading}");
        assert_eq!(get(&r, "vin"), "LSVCY6C49MN027789");
        assert_eq!(get(&r, "plateNumber").as_string().unwrap().chars().count(), 7);
        let issues: js_sys::Array = get(&r, "issues").unchecked_into();
        let warned: Vec<JsValue> = issues
            .iter()
            .filter(|i| get(i, "code") == "LOCAL_NOT_MERGED")
            .collect();
        assert_eq!(warned.len(), 1, "{reading}");
        assert_eq!(get(&warned[0], "field"), "local");
        assert_eq!(get(&warned[0], "severity"), "warning");
        let local = get(&r, "local");
        assert_eq!(get(&local, "settled"), JsValue::FALSE);
        assert_eq!(get(&get(&local, "sources"), "vin"), "provider");
        assert_eq!(get(&get(&local, "sources"), "plateNumber"), "provider");
    }
}

#[wasm_bindgen_test]
async fn a_reading_that_merges_is_merged() {
    // The same provider answer with a reading that agrees on the VIN: merged, no warning.
    let reading = js(
        "",
        "return { result: { document: 'vehicleLicenseFront', provider: 'local', requestId: null, \
         vin: 'LSVCY6C49MN027789', valid: true, issues: [], sources: {}, raw: { lines: [] } }, \
         settled: false, fields: [{ field: 'vin', acceptance: 'accepted', minConfidence: 0.99 }] }",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let r = paid_with_reading(reading).await;
    let issues: js_sys::Array = get(&r, "issues").unchecked_into();
    assert!(!issues.iter().any(|i| get(&i, "code")
        .as_string()
        .is_some_and(|c| c.starts_with("LOCAL_"))));
    assert_eq!(
        get(&get(&r, "local"), "fields")
            .unchecked_into::<js_sys::Array>()
            .length(),
        1
    );
    assert_eq!(get(&get(&get(&r, "local"), "sources"), "vin"), "provider");
}
