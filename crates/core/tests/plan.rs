//! The request plan: request shape, size budget, apihz failover, no paid retries, redaction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

use proptest::prelude::*;
use serde_json::{json, Value};
use vehicle_doc_ocr_core::{
    options, DocumentKind, ErrorCode, HttpRequest, ImagePayload, OcrError, Plan, Provider,
    Recognized, Step,
};

const KEY: &str = "Kq7+zz/KEY=unique";
const ID: &str = "88776655";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0xFB, 0xEF, 0xBE, 0x00, 0x10];
const FRONT_OK: &str = include_str!("../../../fixtures/providers/apihz-front.doc.json");
const JUHE_OK: &str = include_str!("../../../fixtures/providers/juhe-query.doc.json");

fn apihz_opts(doc: &str, endpoints: &[&str]) -> options::RecognizeOptions {
    options::parse(
        &json!({"document": doc, "apihz": {"id": ID, "key": KEY, "endpoints": endpoints}}),
    )
    .unwrap()
}

fn juhe_opts(upload: &str) -> options::RecognizeOptions {
    options::parse(&json!({"document": "registrationCertificate",
        "juhe": {"key": KEY, "baseUrl": "https://juhe.example/", "upload": upload}}))
    .unwrap()
}

fn image() -> ImagePayload {
    ImagePayload::Image {
        bytes: JPEG.to_vec(),
        mime: "image/jpeg",
        base64: None,
    }
}

fn send(step: Step) -> HttpRequest {
    match step {
        Step::Send(r) => r,
        Step::Done(r) => panic!("expected a request, got {r:?}"),
    }
}

fn done(step: Step) -> Result<Recognized, OcrError> {
    match step {
        Step::Done(r) => r,
        Step::Send(r) => panic!("expected the end, got a request to {}", r.url),
    }
}

/// A plan for `opts` that has produced its first request.
fn sent(opts: &options::RecognizeOptions) -> Plan {
    let mut plan = Plan::new(opts, image(), None, None).unwrap();
    send(plan.start());
    plan
}

/// A finished plan sends nothing again, whatever the glue feeds it next.
fn assert_finished(plan: &mut Plan) {
    assert!(matches!(plan.on_network_error(), Step::Done(Err(_))));
    assert!(matches!(
        plan.on_response(200, FRONT_OK.as_bytes()),
        Step::Done(Err(_))
    ));
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).unwrap();
    text.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            // A '+' must never appear raw (the server would read a space).
            assert!(
                !v.contains('+') && !v.contains('/') && !v.contains('='),
                "unescaped in {k}"
            );
            (k.to_owned(), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn header<'a>(r: &'a HttpRequest, name: &str) -> &'a str {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap()
}

#[test]
fn apihz_request_shape() {
    for (doc, class) in [("vehicleLicenseFront", "1"), ("vehicleLicenseBack", "2")] {
        let mut plan = Plan::new(
            &apihz_opts(doc, &["https://a.example/x.php"]),
            image(),
            None,
            None,
        )
        .unwrap();
        let r = send(plan.start());
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://a.example/x.php");
        assert_eq!(
            header(&r, "content-type"),
            "application/x-www-form-urlencoded; charset=UTF-8"
        );
        let f = form(&r.body);
        let names: Vec<&str> = f.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["id", "key", "class", "type", "img"]);
        assert_eq!(f[0].1, ID);
        assert_eq!(f[1].1, KEY);
        assert_eq!(f[2].1, class);
        assert_eq!(f[3].1, "2");
        assert_eq!(f[4].1, "/9j/4PvvvgAQ", "standard base64, no data: head");
        let mut secrets = plan.secrets();
        secrets.sort();
        assert_eq!(
            secrets,
            vec![
                ID.to_owned(),
                "Kq7%2Bzz%2FKEY%3Dunique".to_owned(),
                KEY.to_owned()
            ]
        );
    }
    let mut plan = Plan::new(
        &apihz_opts("vehicleLicenseFront", &["https://a.example/x.php"]),
        ImagePayload::RemoteUrl("https://img.example/a b.jpg?x=1&y=2".into()),
        None,
        None,
    );
    assert!(plan.is_err(), "a URL with a space is refused");
    plan = Plan::new(
        &apihz_opts("vehicleLicenseFront", &["https://a.example/x.php"]),
        ImagePayload::RemoteUrl("https://img.example/a.jpg?x=1&y=2".into()),
        None,
        None,
    );
    let r = send(plan.unwrap().start());
    let f = form(&r.body);
    assert_eq!(f[3].1, "1");
    assert_eq!(f[4].1, "https://img.example/a.jpg?x=1&y=2");
}

#[test]
fn juhe_request_shapes() {
    let mut plan = Plan::new(&juhe_opts("base64"), image(), None, None).unwrap();
    let r = send(plan.start());
    assert_eq!(
        r.url,
        "https://juhe.example/verify_cardjz_certificate/query"
    );
    assert_eq!(r.method, "POST");
    let f = form(&r.body);
    assert_eq!(
        f,
        vec![
            ("key".to_owned(), KEY.to_owned()),
            ("file".to_owned(), "/9j/4PvvvgAQ".to_owned())
        ]
    );
    assert_eq!(
        plan.secrets(),
        vec![KEY.to_owned(), "Kq7%2Bzz%2FKEY%3Dunique".to_owned()]
    );

    let mut plan = Plan::new(&juhe_opts("multipart"), image(), None, None).unwrap();
    let r = send(plan.start());
    assert_eq!(
        r.url,
        "https://juhe.example/verify_cardjz_certificate/verify"
    );
    let ct = header(&r, "content-type");
    assert!(ct.starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(&r.body);
    assert!(body.contains("name=\"key\"\r\n\r\nKq7+zz/KEY=unique\r\n"));
    assert!(body.contains("name=\"file\"; filename=\"image.jpg\"\r\nContent-Type: image/jpeg"));
    assert!(r.body.windows(JPEG.len()).any(|w| w == JPEG));

    // juhe needs bytes.
    let e = Plan::new(
        &juhe_opts("base64"),
        ImagePayload::RemoteUrl("https://x.example/a.jpg".into()),
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Config);
    assert!(e.message.contains("juhe"));
}

#[test]
fn juhe_success_and_single_attempt() {
    let mut plan = Plan::new(
        &juhe_opts("base64"),
        image(),
        Some("2026-01-01".into()),
        None,
    )
    .unwrap();
    send(plan.start());
    match done(plan.on_response(200, JUHE_OK.as_bytes())).unwrap() {
        Recognized::RegistrationCertificate(c) => {
            assert_eq!(c.request_id.as_deref(), Some("JH709122051114105062820878"));
            assert_eq!(c.provider, Provider::Juhe);
        }
        other => panic!("{other:?}"),
    }
    for (status, body, code) in [
        (0u16, None, ErrorCode::Network),
        (
            502,
            Some(&b"<html>bad gateway</html>"[..]),
            ErrorCode::ProviderError,
        ),
        (
            200,
            Some(&b"{\"error_code\":10012,\"reason\":\"x\"}"[..]),
            ErrorCode::Quota,
        ),
    ] {
        let mut plan = sent(&juhe_opts("base64"));
        let step = match body {
            None => plan.on_network_error(),
            Some(b) => plan.on_response(status, b),
        };
        let e = done(step).unwrap_err();
        assert_eq!(e.code, code);
        assert_eq!(e.provider, Some(Provider::Juhe));
    }
}

#[test]
fn image_budget_is_checked_before_any_request() {
    let mut opts = apihz_opts("vehicleLicenseFront", &["https://a.example/x.php"]);
    opts.max_base64_chars = 12; // JPEG (9 bytes) is exactly 12 base64 chars
    assert!(Plan::new(&opts, image(), None, None).is_ok());
    opts.max_base64_chars = 11;
    let e = Plan::new(&opts, image(), None, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::ImageTooLarge);
    assert!(!e.retryable);
    let mut j = juhe_opts("multipart");
    j.max_base64_chars = 11;
    assert_eq!(
        Plan::new(&j, image(), None, None).unwrap_err().code,
        ErrorCode::ImageTooLarge
    );
}

#[test]
fn proxy_url_sends_the_image_to_the_shim_without_keys() {
    // proxyUrl mode (issue 4); its answers are tested in tests/shim_proxy.rs.
    let o = options::parse(
        &json!({"document": "vehicleLicenseFront", "proxyUrl": "https://shim.example/ocr"}),
    )
    .unwrap();
    let mut plan = Plan::new(&o, image(), None, None).unwrap();
    let req = send(plan.start());
    assert_eq!(
        req.url,
        "https://shim.example/ocr/v1/recognize?document=vehicleLicenseFront"
    );
    assert_eq!(req.body, JPEG);
    assert!(plan.secrets().is_empty());
}

const EPS: [&str; 3] = [
    "https://e1.example/a.php",
    "https://e2.example/a.php",
    "https://e3.example/a.php",
];

#[test]
fn failover_moves_on_after_network_5xx_and_non_json_then_stops_at_json() {
    let mut plan = Plan::new(
        &apihz_opts("vehicleLicenseFront", &EPS),
        image(),
        None,
        None,
    )
    .unwrap();
    let first = send(plan.start());
    assert_eq!(first.url, EPS[0]);
    let second = send(plan.on_network_error());
    assert_eq!(second.url, EPS[1]);
    let third = send(plan.on_response(503, b"Service Unavailable"));
    assert_eq!(third.url, EPS[2]);
    assert!(!first.body.is_empty());
    assert_eq!(
        second.body, first.body,
        "every endpoint gets the same request"
    );
    assert_eq!(
        third.body, first.body,
        "every endpoint gets the same request"
    );
    let r = done(plan.on_response(200, FRONT_OK.as_bytes())).unwrap();
    assert_eq!(r.document(), DocumentKind::VehicleLicenseFront);

    // HTML with 200 moves on; a JSON 400 answer is final even with endpoints left.
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    assert_eq!(
        send(plan.on_response(200, b"<html><body>nginx</body></html>")).url,
        EPS[1]
    );
    let e = done(plan.on_response(400, "{\"code\":400,\"msg\":\"通讯秘钥错误。\"}".as_bytes()))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Auth);
    assert_eq!(e.provider_code.as_deref(), Some("400"));
    // Never a second request after a JSON answer: the plan is finished.
    assert_finished(&mut plan);

    // A JSON answer with a 5xx status is still the provider's answer: final.
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    let e = done(plan.on_response(
        500,
        b"{\"code\":400,\"msg\":\"\xe4\xbd\x99\xe9\xa2\x9d\xe4\xb8\x8d\xe8\xb6\xb3\"}",
    ))
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Quota);

    // Malformed JSON moves on.
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    assert_eq!(send(plan.on_response(200, b"{\"code\":200,")).url, EPS[1]);
}

#[test]
fn all_endpoints_failed() {
    let mut plan = sent(&apihz_opts("vehicleLicenseBack", &EPS));
    send(plan.on_response(502, b""));
    send(plan.on_response(200, b"<html>"));
    let e = done(plan.on_network_error()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Network);
    assert!(e.message.contains('3'), "{}", e.message);
    assert_eq!(e.provider, Some(Provider::Apihz));
    for ep in EPS {
        assert!(!e.message.contains(ep));
    }

    let mut plan = sent(&apihz_opts("vehicleLicenseBack", &EPS[..2]));
    send(plan.on_network_error());
    let e = done(plan.on_response(504, b"gateway timeout")).unwrap_err();
    assert_eq!(e.code, ErrorCode::ProviderError);
    assert!(e.message.contains("504") && e.message.contains('2'));
}

/// A distinctive key and id never show up in a URL or in any error text, on many paths.
#[test]
fn secrets_never_leak() {
    let key_ep = format!("https://e.example/a.php?key={KEY}");
    let msgs = [
        format!("秘钥{KEY}错误"),
        format!("用户{ID}余额不足"),
        format!("图片{KEY}"),
        ID.to_owned(),
        "x".to_owned(),
    ];
    let mut errors: Vec<OcrError> = Vec::new();
    let mut juhe_errors = 0;
    for m in &msgs {
        for status in [200u16, 400, 500] {
            let mut plan = Plan::new(
                &apihz_opts("vehicleLicenseFront", &EPS),
                image(),
                None,
                None,
            )
            .unwrap();
            let r = send(plan.start());
            assert!(!r.url.contains(KEY) && !r.url.contains(ID));
            let body = json!({"code": 400, "msg": m}).to_string();
            errors.push(done(plan.on_response(status, body.as_bytes())).unwrap_err());
        }
        for code in [10001, 10014, 99999, 270903] {
            let mut plan = Plan::new(&juhe_opts("base64"), image(), None, None).unwrap();
            let r = send(plan.start());
            assert!(!r.url.contains(KEY));
            let body = json!({"error_code": code, "reason": m}).to_string();
            let e = done(plan.on_response(200, body.as_bytes())).unwrap_err();
            // The juhe call only knows the juhe key (the apihz id is not part of it).
            let all = format!(
                "{} {:?} {:?} {}",
                e.message, e.provider_code, e.provider_message, e
            );
            assert!(!all.contains(KEY), "key leaked: {all}");
            juhe_errors += 1;
        }
    }
    // Failover exhaustion with an endpoint that (unwisely) carries the key.
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &[&key_ep]));
    errors.push(done(plan.on_network_error()).unwrap_err());
    let mut opts = apihz_opts("vehicleLicenseFront", &[&key_ep]);
    opts.max_base64_chars = 1;
    errors.push(Plan::new(&opts, image(), None, None).unwrap_err());
    // Odd answers.
    for body in [
        format!("{{\"code\":\"{KEY}\"}}"),
        format!("{{\"msg\":\"{KEY}\"}}"),
    ] {
        let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
        errors.push(done(plan.on_response(200, body.as_bytes())).unwrap_err());
    }
    assert_eq!((errors.len(), juhe_errors), (19, 20));
    for e in errors {
        let all = format!(
            "{} {:?} {:?} {}",
            e.message, e.provider_code, e.provider_message, e
        );
        assert!(!all.contains(KEY), "key leaked: {all}");
        assert!(!all.contains(ID), "id leaked: {all}");
        assert!(e.provider.is_some());
    }
}

#[test]
fn debug_output_shows_no_secret() {
    for opts in [
        apihz_opts("vehicleLicenseFront", &EPS),
        juhe_opts("multipart"),
        juhe_opts("base64"),
    ] {
        let mut plan = Plan::new(&opts, image(), None, None).unwrap();
        let step = plan.start();
        let all = format!("{opts:?} {plan:?} {step:?}");
        assert!(!all.contains(KEY) && !all.contains(ID), "{all}");
        assert!(!all.contains("Kq7%2Bzz"), "{all}");
    }
}

/// A provider that echoes the key percent-encoded is redacted too.
#[test]
fn encoded_secret_echo_is_redacted() {
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    let body = json!({"code": 400, "msg": "key=Kq7%2Bzz%2FKEY%3Dunique 错误"}).to_string();
    let e = done(plan.on_response(200, body.as_bytes())).unwrap_err();
    assert!(!e
        .provider_message
        .unwrap()
        .contains("Kq7%2Bzz%2FKEY%3Dunique"));
}

#[test]
fn success_results_carry_the_payload_and_today() {
    let mut plan = Plan::new(
        &apihz_opts("vehicleLicenseFront", &EPS),
        image(),
        Some("2026-11-23".into()),
        None,
    )
    .unwrap();
    send(plan.start());
    match done(plan.on_response(200, FRONT_OK.as_bytes())).unwrap() {
        Recognized::VehicleLicenseFront(f) => {
            assert_eq!(f.plate_number.as_deref(), Some("粤BB4321"));
            assert_eq!(f.raw, serde_json::from_str::<Value>(FRONT_OK).unwrap());
            assert_eq!(f.request_id, None);
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn on_response_never_panics(status in any::<u16>(), body in proptest::collection::vec(any::<u8>(), 0..300),
                                json_code in any::<i64>(), msg in ".{0,20}", doc in 0usize..3, fail_first in any::<bool>()) {
        let mut plan = match doc {
            0 => Plan::new(&apihz_opts("vehicleLicenseFront", &EPS), image(), None, None).unwrap(),
            1 => Plan::new(&apihz_opts("vehicleLicenseBack", &EPS[..1]), image(), None, None).unwrap(),
            _ => Plan::new(&juhe_opts("base64"), image(), Some("2026-01-01".into()), None).unwrap(),
        };
        let _ = plan.start();
        if fail_first { let _ = plan.on_network_error(); }
        let _ = plan.on_response(status, &body);
        let _ = plan.on_response(status, &body);
        for b in [
            json!({"code": json_code, "msg": msg}).to_string(),
            json!({"error_code": json_code, "reason": msg, "result": {"res": [{"desc": msg, "content": msg}]}}).to_string(),
            json!({"code": 200, "PlateNo": msg, "Vin": msg, "RegisterDate": msg, "IssueDate": msg, "ExternalSize": msg, "Record": msg}).to_string(),
        ] {
            let mut p = Plan::new(&juhe_opts("multipart"), image(), None, None).unwrap();
            let _ = p.start();
            let _ = p.on_response(status, b.as_bytes());
            let mut p = Plan::new(&apihz_opts("vehicleLicenseBack", &EPS), image(), None, None).unwrap();
            let _ = p.start();
            let _ = p.on_response(status, b.as_bytes());
        }
    }
}

/// Issue 11.1: a 3xx is never followed: final `PROVIDER_ERROR`, no failover, nothing re-sent,
/// whatever the body (even the provider's JSON), for every provider.
#[test]
fn a_redirect_is_final_and_never_followed() {
    let statuses = [
        300u16,
        301,
        302,
        303,
        307,
        308,
        Plan::OPAQUE_REDIRECT_STATUS,
    ];
    let proxy = options::parse(
        &json!({"document": "vehicleLicenseFront", "proxyUrl": "https://shim.example"}),
    )
    .unwrap();
    for status in statuses {
        for body in [&b""[..], FRONT_OK.as_bytes(), b"<html>moved</html>"] {
            for opts in [
                apihz_opts("vehicleLicenseFront", &EPS),
                juhe_opts("base64"),
                proxy.clone(),
            ] {
                let mut plan = sent(&opts);
                let e = done(plan.on_response(status, body)).unwrap_err();
                assert_eq!(e.code, ErrorCode::ProviderError, "{status}");
                assert!(!e.retryable, "{status}");
                assert!(e.message.contains("redirect"), "{}", e.message);
                assert!(e.message.contains("never followed"), "{}", e.message);
                assert_eq!(e.provider, Some(plan.provider()));
                // Finished: nothing is sent again, whatever the glue feeds next.
                assert_finished(&mut plan);
            }
        }
    }
    // The edges of the range are not redirects.
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    assert!(done(plan.on_response(299, FRONT_OK.as_bytes())).is_ok());
    let mut plan = sent(&apihz_opts("vehicleLicenseFront", &EPS));
    assert_eq!(send(plan.on_response(400, b"<html>")).url, EPS[1]);
}

/// Every string of a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|i| strings(i, out)),
        Value::Object(m) => m.iter().for_each(|(k, i)| {
            out.push(k.clone());
            strings(i, out)
        }),
        Value::Number(n) => out.push(n.to_string()),
        _ => {}
    }
}

/// Issue 11.8: a key or id echoed inside a successful answer never reaches the caller: not in
/// `raw`, not in `sources`, not in a typed value.
#[test]
fn secrets_echoed_in_a_success_are_redacted_everywhere() {
    let enc = "Kq7%2Bzz%2FKEY%3Dunique";
    let mut front: Value = serde_json::from_str(FRONT_OK).unwrap();
    front["Owner"] = json!(format!("owner {KEY}"));
    front["Address"] = json!(enc);
    front["Model"] = json!(ID);
    front["FileNo"] = json!(88776655); // a number equal to the id
    front[KEY] = json!("a key as a field name");
    front["Seal"] = json!([KEY, {"x": ID}]);
    let mut plan = Plan::new(
        &apihz_opts("vehicleLicenseFront", &EPS),
        image(),
        Some("2026-11-23".into()),
        Some("call-1".into()),
    )
    .unwrap();
    send(plan.start());
    let r = done(plan.on_response(200, front.to_string().as_bytes())).unwrap();
    let out = serde_json::to_value(&r).unwrap();
    let mut all = Vec::new();
    strings(&out, &mut all);
    for s in &all {
        assert!(
            !s.contains(KEY) && !s.contains(ID) && !s.contains(enc),
            "leaked: {s}"
        );
    }
    assert_eq!(out["owner"], "owner [redacted]");
    assert_eq!(out["sources"]["owner"]["text"], "owner [redacted]");
    assert_eq!(out["raw"]["Owner"], "owner [redacted]");
    assert_eq!(out["raw"]["FileNo"], "[redacted]");
    assert_eq!(out["plateNumber"], "粤BB4321", "other values are untouched");

    // juhe: the key echoed in a certificate's contents.
    let mut cert: Value = serde_json::from_str(JUHE_OK).unwrap();
    cert["result"]["res"][0]["content"] = json!(KEY);
    cert["reason"] = json!(format!("ok {KEY}"));
    let mut plan = sent(&juhe_opts("base64"));
    let r = done(plan.on_response(200, cert.to_string().as_bytes())).unwrap();
    let out = serde_json::to_value(&r).unwrap();
    let mut all = Vec::new();
    strings(&out, &mut all);
    assert!(all.iter().all(|s| !s.contains(KEY)), "{all:?}");
}

/// Issue 11.8: redaction replaces exact secret values in the provider's texts only; the
/// library's own words survive a key that happens to be one of them.
#[test]
fn redaction_never_eats_the_librarys_words() {
    for key in [
        "wrong",
        "expired",
        "error",
        "Warning",
        "vehicleLicenseFront",
        "apihz",
    ] {
        let opts = options::parse(&json!({"document": "vehicleLicenseFront",
            "apihz": {"id": "1", "key": key, "endpoints": EPS}}))
        .unwrap();
        let mut plan = sent(&opts);
        let body = json!({"code": 400, "msg": format!("通讯秘钥错误 {key}")}).to_string();
        let e = done(plan.on_response(200, body.as_bytes())).unwrap_err();
        assert_eq!(e.code, ErrorCode::Auth);
        assert_eq!(
            e.message,
            "apihz rejected the id/key (wrong, expired or not allowed for this API) (code 400); see providerMessage",
            "{key}"
        );
        assert_eq!(
            e.provider_message.as_deref(),
            Some("通讯秘钥错误 [redacted]")
        );

        // A success: the library's fixed texts (document, provider, issue codes and messages)
        // are intact; only the provider's texts are redacted.
        let mut plan = sent(&opts);
        let r = done(plan.on_response(200, FRONT_OK.as_bytes())).unwrap();
        let f = match r {
            Recognized::VehicleLicenseFront(f) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(f.document, DocumentKind::VehicleLicenseFront);
        assert_eq!(f.provider, Provider::Apihz);
        let vin = f.issues.iter().find(|i| i.field == "vin").unwrap();
        assert!(!vin.message.contains("[redacted]"), "{}", vin.message);
        assert!(!vin.code.contains("[redacted]"));
        assert_eq!(f.raw, serde_json::from_str::<Value>(FRONT_OK).unwrap());
    }
    // Secrets shorter than 4 characters are never redacted (they would shred any text).
    let opts = options::parse(&json!({"document": "vehicleLicenseFront",
        "apihz": {"id": "粤", "key": "B", "endpoints": EPS}}))
    .unwrap();
    let mut plan = sent(&opts);
    let r = done(plan.on_response(200, FRONT_OK.as_bytes())).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap()["plateNumber"], "粤BB4321");
}

/// Issue 11.21: `requestId` is the provider's id when it sends one (juhe), else the id the
/// glue made for the call (apihz sends none); in proxy mode, the Worker's.
#[test]
fn request_id_is_the_providers_or_the_calls() {
    let id_of = |r: Recognized| serde_json::to_value(r).unwrap()["requestId"].clone();
    let mut plan = Plan::new(
        &apihz_opts("vehicleLicenseBack", &EPS),
        image(),
        None,
        Some("3b241101-e2bb-4255-8caf-4136c566a962".into()),
    )
    .unwrap();
    send(plan.start());
    let back = include_str!("../../../fixtures/providers/apihz-back.doc.json");
    let r = done(plan.on_response(200, back.as_bytes())).unwrap();
    assert_eq!(id_of(r), "3b241101-e2bb-4255-8caf-4136c566a962");

    let mut plan = Plan::new(&juhe_opts("multipart"), image(), None, Some("mine".into())).unwrap();
    send(plan.start());
    let r = done(plan.on_response(200, JUHE_OK.as_bytes())).unwrap();
    assert_eq!(id_of(r), "JH709122051114105062820878");
    // A juhe answer without a usable orderid falls back to the call's id.
    let mut cert: Value = serde_json::from_str(JUHE_OK).unwrap();
    cert["result"]["orderid"] = json!("");
    let mut plan = Plan::new(&juhe_opts("multipart"), image(), None, Some("mine".into())).unwrap();
    send(plan.start());
    let r = done(plan.on_response(200, cert.to_string().as_bytes())).unwrap();
    assert_eq!(id_of(r), "mine");
}

#[test]
fn a_base64_passed_with_the_image_is_reused_when_its_length_fits() {
    // The prepared image already carries its base64: the plan must not compute it again.
    let fake = "Z".repeat(12); // 9 bytes -> 12 base64 characters
    let payload = |b64: &str| ImagePayload::Image {
        bytes: JPEG.to_vec(),
        mime: "image/jpeg",
        base64: Some(b64.to_owned()),
    };
    for opts in [
        apihz_opts("vehicleLicenseFront", &["https://a.example/x"]),
        juhe_opts("base64"),
    ] {
        let body = |p| {
            String::from_utf8(send(Plan::new(&opts, p, None, None).unwrap().start()).body).unwrap()
        };
        assert!(
            body(payload(&fake)).contains(&fake),
            "the given base64 is sent"
        );
        assert!(
            !body(payload("ZZZZZ")).contains("ZZZZZ"),
            "a wrong length is ignored"
        );
    }
}
