//! `proxyUrl` mode, natively: the request to the Worker shim, and its answers back into the same
//! typed result and the same errors as direct mode (`cargo test -p vehicle-doc-ocr-core shim`).
//! The round trip through the Worker's own error answers is in `crates/shim/tests/round_trip.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

#[path = "support/proxy_plan.rs"]
mod support;

mod shim_proxy {
    use super::support::{done, image, plan, JPEG, TODAY};
    use serde_json::{json, Value};
    use vehicle_doc_ocr_core::providers::{self as model, shim_client as proxy};
    use vehicle_doc_ocr_core::{options, DocumentKind, ErrorCode, ImagePayload, Plan, Provider};

    const FRONT_OK: &str = include_str!("../../../fixtures/providers/apihz-front.doc.json");
    const BACK_OK: &str = include_str!("../../../fixtures/providers/apihz-back.doc.json");
    const JUHE_OK: &str = include_str!("../../../fixtures/providers/juhe-query.doc.json");
    /// What the Worker would answer for a successful call: the typed result as JSON.
    fn shim_success(doc: DocumentKind, provider: Provider, raw: &str) -> Vec<u8> {
        let raw: Value = serde_json::from_str(raw).unwrap();
        let id = raw
            .pointer("/result/orderid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let r = model::normalize(doc, provider, id, raw, None);
        serde_json::to_vec(&r).unwrap()
    }

    #[test]
    fn the_request_carries_the_image_and_document_only() {
        let (p, req) = plan("registrationCertificate", "https://ocr.example.workers.dev");
        assert_eq!(req.method, "POST");
        assert_eq!(
            req.url,
            "https://ocr.example.workers.dev/v1/recognize?document=registrationCertificate"
        );
        assert_eq!(req.body, JPEG);
        let ct = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .unwrap();
        assert_eq!(ct.1, "image/jpeg");
        assert!(p.secrets().is_empty());
        assert_eq!(p.provider(), Provider::Shim);
        for (base, url) in [
            (
                "https://x.dev/",
                "https://x.dev/v1/recognize?document=vehicleLicenseBack",
            ),
            (
                "https://x.dev/v1/recognize",
                "https://x.dev/v1/recognize?document=vehicleLicenseBack",
            ),
            (
                "https://x.dev/ocr/v1/recognize?t=1",
                "https://x.dev/ocr/v1/recognize?t=1&document=vehicleLicenseBack",
            ),
            (
                "http://127.0.0.1:8787#frag",
                "http://127.0.0.1:8787/v1/recognize?document=vehicleLicenseBack",
            ),
        ] {
            assert_eq!(plan("vehicleLicenseBack", base).1.url, url, "{base}");
        }
    }

    #[test]
    fn keys_given_with_proxy_url_are_refused_before_anything_is_sent() {
        // Issue 11 item 12: the conflict is refused (options.rs), so a key never reaches a plan.
        let e = options::parse(&json!({"document": "vehicleLicenseFront",
            "apihz": {"id": "12345678", "key": "never-sent-key"}, "proxyUrl": "https://x.dev"}))
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Config);
        assert!(!e.message.contains("never-sent-key") && !e.message.contains("12345678"));
    }

    #[test]
    fn refused_before_sending() {
        let o = options::parse(
            &json!({"document": "vehicleLicenseFront", "proxyUrl": "https://x.dev"}),
        )
        .unwrap();
        let url = ImagePayload::RemoteUrl("https://example.com/a.jpg".into());
        let e = Plan::new(&o, url, None, None).unwrap_err();
        assert_eq!(
            (e.code, e.provider),
            (ErrorCode::Config, Some(Provider::Shim))
        );
        let o = options::parse(&json!({"document": "vehicleLicenseFront", "proxyUrl": "https://x.dev", "maxBase64Chars": 8})).unwrap();
        let e = Plan::new(&o, image(), None, None).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImageTooLarge);
    }

    #[test]
    fn a_success_is_the_same_typed_result_as_direct_mode() {
        for (doc, provider, raw) in [
            ("vehicleLicenseFront", Provider::Apihz, FRONT_OK),
            ("vehicleLicenseBack", Provider::Apihz, BACK_OK),
            ("registrationCertificate", Provider::Juhe, JUHE_OK),
        ] {
            let kind = DocumentKind::parse(doc).unwrap();
            let (mut p, _) = plan(doc, "https://x.dev");
            let got = done(p.on_response(200, &shim_success(kind, provider, raw))).unwrap();
            // Direct mode on the same provider payload, same day.
            let raw_v: Value = serde_json::from_str(raw).unwrap();
            let id = raw_v
                .pointer("/result/orderid")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let direct = model::normalize(kind, provider, id, raw_v, Some(TODAY.into()));
            assert_eq!(got, direct, "{doc}");
            assert_eq!(got.document(), kind);
        }
    }

    #[test]
    fn a_200_that_is_not_the_expected_result_is_a_provider_error() {
        let front = shim_success(DocumentKind::VehicleLicenseFront, Provider::Apihz, FRONT_OK);
        for (doc, body) in [
            ("vehicleLicenseBack", front.clone()),      // another document
            ("registrationCertificate", front.clone()), // another provider
            ("vehicleLicenseFront", br#"{"ok":true}"#.to_vec()),
            ("vehicleLicenseFront", b"<html>hello</html>".to_vec()),
        ] {
            let (mut p, _) = plan(doc, "https://x.dev");
            let e = done(p.on_response(200, &body)).unwrap_err();
            assert_eq!(
                (e.code, e.provider),
                (ErrorCode::ProviderError, Some(Provider::Shim)),
                "{doc}"
            );
        }
    }

    #[test]
    fn answers_that_are_not_the_shims_json() {
        for (status, body, code, retryable) in [
            (
                502,
                &b"<html>Bad gateway</html>"[..],
                ErrorCode::ProviderError,
                true,
            ),
            (522, b"", ErrorCode::ProviderError, true),
            (404, b"Not found", ErrorCode::Config, false),
            (413, b"Payload Too Large", ErrorCode::ImageTooLarge, false),
            (429, b"slow down", ErrorCode::RateLimited, true),
            (400, br#"{"error":"bad"}"#, ErrorCode::ProviderError, false),
            (
                500,
                br#"{"error":{"code":"NOT_A_CODE","message":"x"}}"#,
                ErrorCode::ProviderError,
                true,
            ),
        ] {
            let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
            let e = done(p.on_response(status, body)).unwrap_err();
            assert_eq!(
                (e.code, e.retryable, e.provider),
                (code, retryable, Some(Provider::Shim)),
                "{status}"
            );
        }
    }

    #[test]
    fn an_unreachable_shim_is_a_network_error_and_never_retried() {
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        let e = done(p.on_network_error()).unwrap_err();
        assert_eq!(
            (e.code, e.provider),
            (ErrorCode::Network, Some(Provider::Shim))
        );
    }

    #[test]
    fn error_json_parsing() {
        let e = proxy::error_from_json(
            504,
            &json!({"error": {"code": "TIMEOUT", "message": "slow", "retryable": true, "provider": "juhe", "providerCode": "x"}}),
        );
        assert_eq!(
            (e.code, e.retryable, e.provider, e.provider_code.as_deref()),
            (ErrorCode::Timeout, true, Some(Provider::Juhe), Some("x"))
        );
        // Missing fields fall back to the code's defaults and the shim as provider.
        let e = proxy::error_from_json(502, &json!({"error": {"code": "NETWORK"}}));
        assert_eq!((e.retryable, e.provider), (true, Some(Provider::Shim)));
        assert!(e.message.contains("502"));
    }

    /// Issue 11.21: the Worker's answer carries the id it used; without one (an older Worker),
    /// the client's own id for the call.
    #[test]
    fn request_id_is_the_workers_else_the_clients() {
        let with_id = |id: Value| {
            let mut body: Value = serde_json::from_slice(&shim_success(
                DocumentKind::VehicleLicenseFront,
                Provider::Apihz,
                FRONT_OK,
            ))
            .unwrap();
            body["requestId"] = id;
            body.to_string()
        };
        let o = options::parse(
            &json!({"document": "vehicleLicenseFront", "proxyUrl": "https://x.dev"}),
        )
        .unwrap();
        for (id, expected) in [
            (json!("worker-id-1"), Some("worker-id-1")),
            (Value::Null, Some("client-id")),
            (json!({"x": 1}), Some("client-id")),
            (json!("x".repeat(500)), Some("client-id")),
            (json!("a\nb"), Some("client-id")),
        ] {
            let mut p = Plan::new(&o, image(), None, Some("client-id".into())).unwrap();
            let _ = p.start();
            let r = done(p.on_response(200, with_id(id.clone()).as_bytes())).unwrap();
            let out = serde_json::to_value(r).unwrap();
            assert_eq!(out["requestId"].as_str(), expected, "{id}");
        }
        // juhe's own id wins, through the Worker too.
        let (mut p, _) = plan("registrationCertificate", "https://x.dev");
        let body = shim_success(
            DocumentKind::RegistrationCertificate,
            Provider::Juhe,
            JUHE_OK,
        );
        let out = serde_json::to_value(done(p.on_response(200, &body)).unwrap()).unwrap();
        assert_eq!(out["requestId"], "JH709122051114105062820878");
    }

    /// The per-field sources come back in proxy mode too (rebuilt from `raw` by this client).
    #[test]
    fn sources_come_back_through_the_worker() {
        let (mut p, _) = plan("vehicleLicenseBack", "https://x.dev");
        let body = shim_success(DocumentKind::VehicleLicenseBack, Provider::Apihz, BACK_OK);
        let out = serde_json::to_value(done(p.on_response(200, &body)).unwrap()).unwrap();
        assert_eq!(out["sources"]["plateNumber"]["text"], "粤B 2177C");
    }
}
