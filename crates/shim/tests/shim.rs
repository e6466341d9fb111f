//! The Worker shim's decisions, natively (`cargo test -p vehicle-doc-ocr-shim`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

// One module so that `cargo test shim` selects these tests (as before the move out of core).
mod shim {
    use serde_json::{json, Value};
    use vehicle_doc_ocr_core::{DocumentKind, ErrorCode, OcrError, Provider};
    use vehicle_doc_ocr_shim::{
        check_origin, constant_time_eq, content_type_ok, query_param, route, sniff_image,
        split_url, status_for, token_matches, Decision, Forward, OriginVerdict, Rejection,
        RequestFacts, Route, Shim, ShimResponse,
    };

    const APIHZ_ID: &str = "87654321";
    const APIHZ_KEY: &str = "apihz-secret-key-0001";
    const JUHE_KEY: &str = "juhe-secret-key-0002";
    const TOKEN: &str = "shim-token-0123456789";
    const APP: &str = "https://app.example.com";

    fn env_shim(pairs: &[(&str, &str)]) -> Shim {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Shim::from_env(move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    fn shim() -> Shim {
        env_shim(&[
            ("APIHZ_ID", APIHZ_ID),
            ("APIHZ_KEY", APIHZ_KEY),
            ("JUHE_KEY", JUHE_KEY),
            (
                "ALLOWED_ORIGINS",
                "https://app.example.com, http://localhost:5173",
            ),
        ])
    }

    fn post(query: &str) -> RequestFacts {
        RequestFacts {
            method: "POST".into(),
            url: format!("https://ocr.example.workers.dev/v1/recognize{query}"),
            content_type: Some("image/jpeg".into()),
            content_length: Some("1000".into()),
            client_ip: Some("203.0.113.9".into()),
            ..Default::default()
        }
    }

    fn with_origin(mut r: RequestFacts, origin: &str) -> RequestFacts {
        r.origin = Some(origin.into());
        r
    }

    fn respond(d: Decision) -> ShimResponse {
        match d {
            Decision::Respond(r) => r,
            Decision::Forward(f) => panic!("expected an answer, got {f:?}"),
        }
    }

    fn forward(d: Decision) -> Forward {
        match d {
            Decision::Forward(f) => f,
            Decision::Respond(r) => panic!("expected forward, got {r:?}"),
        }
    }

    fn body(r: &ShimResponse) -> Value {
        r.body.clone().unwrap()
    }

    /// The body as the Worker sends it (JSON text).
    fn text(r: &ShimResponse) -> String {
        r.body.as_ref().map(Value::to_string).unwrap_or_default()
    }

    fn error_code(r: &ShimResponse) -> String {
        body(r)["error"]["code"].as_str().unwrap().to_owned()
    }

    fn assert_no_secret(r: &ShimResponse) {
        let text = format!("{:?} {}", r.headers, text(r));
        for s in [APIHZ_ID, APIHZ_KEY, JUHE_KEY, TOKEN] {
            assert!(!text.contains(s), "secret leaked in {text}");
        }
    }

    #[test]
    fn routes_by_method_and_path() {
        let r = |m: &str, u: &str| route(m, u);
        assert_eq!(
            r(
                "POST",
                "https://x.dev/v1/recognize?document=vehicleLicenseBack"
            ),
            Route::Recognize {
                document: Some(DocumentKind::VehicleLicenseBack)
            }
        );
        assert_eq!(
            r("POST", "/v1/recognize?document=passport"),
            Route::Recognize { document: None }
        );
        assert_eq!(
            r("POST", "/v1/recognize"),
            Route::Recognize { document: None }
        );
        assert_eq!(r("GET", "https://x.dev/v1/health"), Route::Health);
        assert_eq!(
            r("OPTIONS", "https://x.dev/v1/recognize"),
            Route::Preflight {
                allow: "POST, OPTIONS"
            }
        );
        assert_eq!(
            r("OPTIONS", "https://x.dev/v1/health"),
            Route::Preflight {
                allow: "GET, OPTIONS"
            }
        );
        assert_eq!(
            r("GET", "https://x.dev/v1/recognize"),
            Route::MethodNotAllowed {
                allow: "POST, OPTIONS"
            }
        );
        assert_eq!(
            r("PUT", "https://x.dev/v1/recognize"),
            Route::MethodNotAllowed {
                allow: "POST, OPTIONS"
            }
        );
        assert_eq!(
            r("POST", "https://x.dev/v1/health"),
            Route::MethodNotAllowed {
                allow: "GET, OPTIONS"
            }
        );
        for unknown in [
            "https://x.dev/",
            "https://x.dev",
            "https://x.dev/v1/recognize/",
            "https://x.dev/v2/recognize",
            "/V1/health",
        ] {
            assert_eq!(r("POST", unknown), Route::NotFound, "{unknown}");
        }
    }

    #[test]
    fn url_and_query_parsing() {
        assert_eq!(
            split_url("https://h:8787/v1/recognize?a=1#frag"),
            ("/v1/recognize", "a=1")
        );
        assert_eq!(split_url("https://h?x=1"), ("/", "x=1"));
        assert_eq!(split_url("/p"), ("/p", ""));
        assert_eq!(
            query_param("a=1&document=vehicleLicenseFront&document=x", "document").as_deref(),
            Some("vehicleLicenseFront")
        );
        assert_eq!(
            query_param("docu%6Dent=registration%43ertificate", "document").as_deref(),
            Some("registrationCertificate")
        );
        assert_eq!(query_param("document=%zz", "document"), None);
        assert_eq!(query_param("", "document"), None);
    }

    #[test]
    fn client_parameters_never_override_the_configuration() {
        let q = "?document=vehicleLicenseFront&key=evil&id=1&apihz.key=evil&endpoints=http://evil.example&baseUrl=http://evil.example&maxBase64Chars=99999999&timeoutMs=1";
        let f = forward(shim().decide(&post(q)));
        assert_eq!(f.document, DocumentKind::VehicleLicenseFront);
        assert_eq!(
            f.options,
            json!({ "document": "vehicleLicenseFront", "maxBase64Chars": 1_000_000, "apihz": { "id": APIHZ_ID, "key": APIHZ_KEY }, "prepare": { "codec": "none" } })
        );
        let text = f.options.to_string();
        assert!(!text.contains("evil") && !text.contains("99999999"));
        // The certificate goes to juhe only, with the configured base URL.
        let s = env_shim(&[
            ("JUHE_KEY", JUHE_KEY),
            ("JUHE_BASE_URL", "http://127.0.0.1:1234/"),
            ("TIMEOUT_MS", "300"),
        ]);
        let f = forward(s.decide(&post(
            "?document=registrationCertificate&baseUrl=http://evil.example",
        )));
        assert_eq!(
            f.options,
            json!({ "document": "registrationCertificate", "maxBase64Chars": 1_000_000, "juhe": { "key": JUHE_KEY, "baseUrl": "http://127.0.0.1:1234" }, "timeoutMs": 300, "prepare": { "codec": "none" } })
        );
        assert_eq!(f.rate_limit_key, "203.0.113.9");
        // A blank address is no address (one shared bucket, like an absent one).
        let mut req = post("?document=registrationCertificate");
        for (ip, key) in [
            (Some(" "), "unknown"),
            (None, "unknown"),
            (Some(" 198.51.100.7 "), "198.51.100.7"),
        ] {
            req.client_ip = ip.map(str::to_owned);
            assert_eq!(forward(s.decide(&req)).rate_limit_key, key, "{ip:?}");
        }
        // Debug output of a decision never shows the keys.
        assert!(!format!("{f:?}").contains(JUHE_KEY));
    }

    #[test]
    fn allowed_origin_is_echoed_with_vary() {
        let f = forward(shim().decide(&with_origin(post("?document=vehicleLicenseFront"), APP)));
        let h: Vec<(&str, &str)> = f
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert!(h.contains(&("access-control-allow-origin", APP)));
        assert!(h.contains(&("vary", "Origin")));
        assert!(h.contains(&("access-control-expose-headers", "Retry-After")));
        assert!(!h
            .iter()
            .any(|(k, _)| *k == "access-control-allow-credentials"));
    }

    #[test]
    fn other_origins_are_refused_before_anything_else() {
        for origin in [
            "https://evil.example",
            "null",
            "https://app.example.com.evil.example",
            "https://APP.example.com",
            "http://app.example.com",
            "https://app.example.com:443",
        ] {
            // Even with a bad token, a bad document and a huge body: the origin answer comes first.
            let mut req = with_origin(post("?document=nope"), origin);
            req.content_length = Some("999999999".into());
            let r = respond(shim().decide(&req));
            assert_eq!(r.status, 403, "{origin}");
            assert_eq!(error_code(&r), "AUTH");
            assert_eq!(body(&r)["error"]["provider"], "shim");
            assert_eq!(r.header("access-control-allow-origin"), None);
            assert_eq!(r.header("vary"), Some("Origin"));
            // The unread body may be drained up to the cap so HTTP/1.1 clients get the answer.
            assert_eq!(r.drain_bytes, 750_000);
            // Preflight and health too.
            let mut pre = req.clone();
            pre.method = "OPTIONS".into();
            assert_eq!(respond(shim().decide(&pre)).status, 403);
            let mut health = req.clone();
            health.method = "GET".into();
            health.url = "https://x.dev/v1/health".into();
            assert_eq!(respond(shim().decide(&health)).status, 403);
        }
        // No allow-list at all: every browser origin is refused.
        let s = env_shim(&[("APIHZ_ID", APIHZ_ID), ("APIHZ_KEY", APIHZ_KEY)]);
        assert_eq!(
            respond(s.decide(&with_origin(post("?document=vehicleLicenseFront"), APP))).status,
            403
        );
    }

    /// Issue 11 item 12: an `Origin` that is present is judged, whatever its value: an empty or
    /// blank one is not "no Origin" (that would skip the allow-list), it is not an origin at all.
    #[test]
    fn malformed_origins_are_refused_like_unlisted_ones() {
        for origin in [
            "",
            " ",
            "\t",
            "null",
            "https://app.example.com, https://app.example.com", // two Origin headers, joined
            "https://app.example.com,https://evil.example",
            "https://app.example.com/",
            "https://app.example.com\u{0}",
            "https://app.example.com\r\n",
            "HTTPS://app.example.com",
        ] {
            let r =
                respond(shim().decide(&with_origin(post("?document=vehicleLicenseFront"), origin)));
            assert_eq!(r.status, 403, "{origin:?}");
            assert_eq!(error_code(&r), "AUTH");
            assert_eq!(r.header("access-control-allow-origin"), None, "{origin:?}");
            assert_eq!(
                check_origin(&[APP.to_owned()], Some(origin)),
                OriginVerdict::Denied
            );
        }
        // Whitespace around the value is not part of it (workerd keeps trailing whitespace):
        // allowed, and the echo is the origin itself.
        for origin in [
            " https://app.example.com",
            "https://app.example.com  ",
            "https://app.example.com\t",
        ] {
            let f =
                forward(shim().decide(&with_origin(post("?document=vehicleLicenseFront"), origin)));
            assert!(
                f.headers
                    .contains(&("access-control-allow-origin".to_owned(), APP.to_owned())),
                "{origin:?}"
            );
        }
    }

    #[test]
    fn requests_without_origin_are_allowed_without_cors_headers() {
        let f = forward(shim().decide(&post("?document=vehicleLicenseFront")));
        assert!(f
            .headers
            .iter()
            .all(|(k, _)| !k.starts_with("access-control-")));
        assert!(f.headers.iter().any(|(k, v)| k == "vary" && v == "Origin"));
    }

    #[test]
    fn preflight_answers() {
        let mut req = with_origin(post(""), APP);
        req.method = "OPTIONS".into();
        let r = respond(shim().decide(&req));
        assert_eq!(r.status, 204);
        assert_eq!(r.body, None);
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        assert_eq!(
            r.header("access-control-allow-methods"),
            Some("POST, OPTIONS")
        );
        assert_eq!(
            r.header("access-control-allow-headers"),
            Some("Authorization, Content-Type")
        );
        assert_eq!(r.header("access-control-max-age"), Some("7200"));
        assert_eq!(r.header("vary"), Some("Origin"));
        // A token is never required for a preflight (browsers do not send it there).
        let s = env_shim(&[
            ("ALLOWED_ORIGINS", APP),
            ("SHIM_TOKEN", TOKEN),
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
        ]);
        assert_eq!(respond(s.decide(&req)).status, 204);
        // Plain OPTIONS without Origin: just the Allow header.
        req.origin = None;
        let r = respond(shim().decide(&req));
        assert_eq!(r.status, 204);
        assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
        assert_eq!(r.header("access-control-allow-origin"), None);
    }

    #[test]
    fn wrong_method_and_unknown_path() {
        let mut req = with_origin(post("?document=vehicleLicenseFront"), APP);
        req.method = "GET".into();
        let r = respond(shim().decide(&req));
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some("POST, OPTIONS"));
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        req.method = "POST".into();
        req.url = "https://x.dev/recognize".into();
        let r = respond(shim().decide(&req));
        assert_eq!(r.status, 404);
        assert_eq!(error_code(&r), "CONFIG");
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        // 404 does not reveal whether an unlisted origin would be allowed.
        let r = respond(shim().decide(&with_origin(req, "https://evil.example")));
        assert_eq!(r.status, 404);
        assert_eq!(r.header("access-control-allow-origin"), None);
    }

    #[test]
    fn bearer_token() {
        let s = env_shim(&[
            ("APIHZ_ID", APIHZ_ID),
            ("APIHZ_KEY", APIHZ_KEY),
            ("SHIM_TOKEN", TOKEN),
        ]);
        let base = post("?document=vehicleLicenseFront");
        let with = |auth: Option<&str>| {
            let mut r = base.clone();
            r.authorization = auth.map(str::to_owned);
            s.decide(&r)
        };
        for bad in [
            None,
            Some("Bearer wrong-token-0123456"),
            Some(TOKEN),
            Some("Basic c2hpbQ=="),
            Some("Bearer "),
            Some("Bearer shim-token-012345678"),
        ] {
            let r = respond(with(bad));
            assert_eq!(r.status, 401, "{bad:?}");
            assert_eq!(r.header("www-authenticate"), Some("Bearer"));
            assert_eq!(error_code(&r), "AUTH");
            assert_no_secret(&r);
        }
        forward(with(Some(&format!("Bearer {TOKEN}"))));
        forward(with(Some(&format!("bearer  {TOKEN} "))));
        // Odd spacing: RFC 9110's `scheme 1*SP token`, whitespace around the value ignored.
        forward(with(Some(&format!(" \tBEARER   {TOKEN}\t"))));
        for bad in [
            format!("Bearer\t{TOKEN}"),                // a tab is not the separator
            format!("Bearer {TOKEN}, Bearer {TOKEN}"), // two headers, joined
            format!("Bearer {TOKEN} {TOKEN}"),
            format!("Bearer {TOKEN}x"),
            format!("Bearer{TOKEN}"),
            format!("Bearer {TOKEN}\u{0}"),
            format!("Token {TOKEN}"),
            String::new(),
        ] {
            assert_eq!(respond(with(Some(&bad))).status, 401, "{bad:?}");
        }
        // Token checked before the document, so an unauthenticated caller learns nothing else.
        let mut r = post("?document=passport");
        r.authorization = None;
        assert_eq!(respond(s.decide(&r)).status, 401);
        // Health stays open (booleans only).
        let mut h = base.clone();
        h.method = "GET".into();
        h.url = "https://x.dev/v1/health".into();
        assert_eq!(respond(s.decide(&h)).status, 200);
    }

    #[test]
    fn token_comparison() {
        assert!(token_matches("abc", Some("Bearer abc")));
        assert!(!token_matches("abc", Some("Bearer abcd")));
        assert!(!token_matches("abcd", Some("Bearer abc")));
        assert!(!token_matches("abc", Some("Bearerabc")));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"", b"a"));
        assert!(!constant_time_eq(b"a", b""));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcabc"));
    }

    #[test]
    fn document_parameter_is_required() {
        for q in [
            "",
            "?document=",
            "?document=passport",
            "?doc=vehicleLicenseFront",
        ] {
            let r = respond(shim().decide(&post(q)));
            assert_eq!(r.status, 400, "{q}");
            assert_eq!(error_code(&r), "CONFIG");
        }
    }

    #[test]
    fn provider_not_configured_for_the_document() {
        let s = env_shim(&[("APIHZ_ID", APIHZ_ID), ("APIHZ_KEY", APIHZ_KEY)]);
        let r = respond(s.decide(&post("?document=registrationCertificate")));
        assert_eq!(r.status, 500);
        assert_eq!(error_code(&r), "CONFIG");
        assert!(!text(&r).contains("JUHE"));
    }

    #[test]
    fn misconfiguration_refuses_everything_without_naming_the_variable() {
        let s = env_shim(&[
            ("APIHZ_ID", APIHZ_ID),
            ("APIHZ_KEY", APIHZ_KEY),
            ("ALLOWED_ORIGINS", "*"),
        ]);
        assert!(s.config().is_err());
        for req in [
            post("?document=vehicleLicenseFront"),
            with_origin(post("?document=vehicleLicenseFront"), APP),
        ] {
            let r = respond(s.decide(&req));
            assert_eq!(r.status, 500);
            assert_eq!(error_code(&r), "CONFIG");
            assert_eq!(body(&r)["error"]["retryable"], false);
            let text = text(&r);
            assert!(!text.contains("ALLOWED_ORIGINS") && !text.contains("APIHZ"));
            assert_eq!(r.header("access-control-allow-origin"), None);
            assert_no_secret(&r);
        }
        let mut h = post("");
        h.method = "GET".into();
        h.url = "https://x.dev/v1/health".into();
        let r = respond(s.decide(&h));
        assert_eq!(r.status, 503);
        assert_eq!(body(&r)["ok"], false);
    }

    #[test]
    fn health_reports_providers_never_keys() {
        let mut h = with_origin(post(""), APP);
        h.method = "GET".into();
        h.url = "https://x.dev/v1/health?key=1".into();
        let r = respond(shim().decide(&h));
        assert_eq!(r.status, 200);
        assert_eq!(
            body(&r),
            json!({ "ok": true, "providers": { "apihz": true, "juhe": true } })
        );
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        assert_no_secret(&r);
        let r = respond(env_shim(&[("JUHE_KEY", JUHE_KEY)]).decide(&h.clone()));
        assert_eq!(r.status, 403); // no allow-list: the page's origin is not allowed
        h.origin = None;
        let r = respond(env_shim(&[("JUHE_KEY", JUHE_KEY)]).decide(&h));
        assert_eq!(
            body(&r),
            json!({ "ok": true, "providers": { "apihz": false, "juhe": true } })
        );
        let r = respond(env_shim(&[]).decide(&h));
        assert_eq!(r.status, 503);
        assert_eq!(
            body(&r),
            json!({ "ok": false, "providers": { "apihz": false, "juhe": false } })
        );
    }

    #[test]
    fn declared_content_type_must_be_an_image() {
        for ct in [
            None,
            Some("application/octet-stream"),
            Some("text/plain"),
            Some("image/gif"),
            Some("image/heic"),
            Some("multipart/form-data; boundary=x"),
            Some("image/jpeg, text/html"), // two Content-Type headers, joined
            Some(""),
        ] {
            let mut req = post("?document=vehicleLicenseFront");
            req.content_type = ct.map(str::to_owned);
            let r = respond(shim().decide(&req));
            assert_eq!(r.status, 415, "{ct:?}");
            assert_eq!(error_code(&r), "UNSUPPORTED_FORMAT");
        }
        for ct in ["image/jpeg", "IMAGE/PNG", "image/webp; q=1", " image/jpeg "] {
            assert!(content_type_ok(Some(ct)), "{ct}");
        }
    }

    #[test]
    fn content_length_over_the_budget_is_refused_up_front() {
        let mut req = post("?document=vehicleLicenseFront");
        req.content_length = Some("750001".into());
        let r = respond(shim().decide(&req));
        assert_eq!(r.status, 413);
        assert_eq!(error_code(&r), "IMAGE_TOO_LARGE");
        assert_eq!(r.drain_bytes, 0, "an over-cap body is never drained");
        req.content_length = Some("750000".into());
        assert_eq!(forward(shim().decide(&req)).cap_bytes, 750_000);
        // Absent or unparsable: left to the streamed cap.
        req.content_length = None;
        assert_eq!(forward(shim().decide(&req)).cap_bytes, 750_000);
        // The budget follows MAX_BASE64_CHARS.
        let s = env_shim(&[
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
            ("MAX_BASE64_CHARS", "4000"),
        ]);
        req.content_length = Some("3001".into());
        assert_eq!(respond(s.decide(&req)).status, 413);
        // PREPARE_IN_WORKER raises the cap: the Worker re-encodes oversize images.
        let s = env_shim(&[
            ("APIHZ_ID", "1"),
            ("APIHZ_KEY", "k"),
            ("PREPARE_IN_WORKER", "1"),
        ]);
        req.content_length = Some("5000000".into());
        let f = forward(s.decide(&req));
        assert!(f.prepare_in_worker);
        assert!(f.options.get("prepare").is_none());
        assert_eq!(f.cap_bytes, 10 * 1024 * 1024);
    }

    #[test]
    fn body_checks() {
        let s = shim();
        let req = with_origin(post("?document=vehicleLicenseFront"), APP);
        let jpeg = include_bytes!("../../../tests/node/fixtures/card-640x400.jpg");
        let png = include_bytes!("../../../tests/node/fixtures/card-640x400.png");
        let webp = include_bytes!("../../imaging/tests/fixtures/lossy.webp");
        assert_eq!(s.check_body(&req, jpeg), None);
        assert_eq!(s.check_body(&req, png), None);
        assert_eq!(s.check_body(&req, webp), None);
        let r = s.check_body(&req, &[]).unwrap();
        assert_eq!((r.status, error_code(&r).as_str()), (400, "INVALID_IMAGE"));
        for bad in [
            &b"GIF89a......"[..],
            b"%PDF-1.7 ....",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"<html>",
            &[0xFF, 0xD8],
        ] {
            let r = s.check_body(&req, bad).unwrap();
            assert_eq!(
                (r.status, error_code(&r).as_str()),
                (415, "UNSUPPORTED_FORMAT")
            );
            assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        }
        // Issue 11 item 6: the right magic bytes followed by garbage, or a photo cut short, are
        // refused before any provider call (each would be billed).
        let mut garbage = jpeg[..20].to_vec();
        garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let mut png_garbage = png[..33].to_vec();
        png_garbage.extend(std::iter::repeat_n(0x5a, 4000));
        for bad in [
            &garbage[..],
            &png_garbage,
            &jpeg[..jpeg.len() / 2],
            &webp[..webp.len() - 10],
        ] {
            let r = s.check_body(&req, bad).unwrap();
            assert_eq!((r.status, error_code(&r).as_str()), (400, "INVALID_IMAGE"));
        }
        let mut big = jpeg.to_vec();
        big.resize(750_001, 0);
        let r = s.check_body(&req, &big).unwrap();
        assert_eq!(r.status, 413);
        assert_eq!(sniff_image(jpeg), Some("image/jpeg"));
        assert_eq!(sniff_image(webp), Some("image/webp"));
    }

    #[test]
    fn rejections_detected_by_the_worker() {
        let req = with_origin(post("?document=vehicleLicenseFront"), APP);
        let r = shim().reject(&req, Rejection::RateLimited);
        assert_eq!(r.status, 429);
        assert_eq!(r.drain_bytes, 750_000);
        assert_eq!(shim().reject(&req, Rejection::TooLarge).drain_bytes, 0);
        assert_eq!(r.header("retry-after"), Some("60"));
        assert_eq!(body(&r)["error"]["retryable"], true);
        assert_eq!(body(&r)["error"]["provider"], "shim");
        assert_eq!(
            r.header("access-control-expose-headers"),
            Some("Retry-After")
        );
        let s = env_shim(&[("RATE_LIMIT_PERIOD", "10")]);
        assert_eq!(
            s.reject(&req, Rejection::RateLimited).header("retry-after"),
            Some("10")
        );
        let r = shim().reject(&req, Rejection::TooLarge);
        assert_eq!(
            (r.status, error_code(&r).as_str()),
            (413, "IMAGE_TOO_LARGE")
        );
        assert_eq!(
            Rejection::parse("rateLimited"),
            Some(Rejection::RateLimited)
        );
        assert_eq!(Rejection::parse("other"), None);
    }

    #[test]
    fn every_error_code_has_a_status_from_the_issue_list_or_500_for_config() {
        let allowed = [400, 401, 403, 413, 415, 429, 502, 504];
        for code in ErrorCode::ALL {
            let s = status_for(code);
            assert!(
                allowed.contains(&s) || (code == ErrorCode::Config && s == 500),
                "{code}: {s}"
            );
        }
        assert_eq!(status_for(ErrorCode::Timeout), 504);
        assert_eq!(status_for(ErrorCode::Network), 502);
        assert_eq!(status_for(ErrorCode::ProviderError), 502);
        assert_eq!(status_for(ErrorCode::Auth), 502);
        assert_eq!(status_for(ErrorCode::Quota), 502);
        assert_eq!(status_for(ErrorCode::RecognitionFailed), 400);
        assert_eq!(status_for(ErrorCode::ImageTooLarge), 413);
    }

    #[test]
    fn provider_errors_are_mapped_and_scrubbed() {
        let s = env_shim(&[
            ("APIHZ_ID", APIHZ_ID),
            ("APIHZ_KEY", APIHZ_KEY),
            (
                "APIHZ_ENDPOINTS",
                "https://dedicated-endpoint.example/api/x.php",
            ),
            ("JUHE_KEY", JUHE_KEY),
            ("ALLOWED_ORIGINS", APP),
        ]);
        let req = with_origin(post("?document=vehicleLicenseFront"), APP);
        // Auth: 502, generic message, no provider code or words.
        let e = OcrError::new(ErrorCode::Auth, format!("key {APIHZ_KEY} refused"))
            .with_provider(Provider::Juhe)
            .with_provider_code("10001")
            .with_provider_message("错误的请求KEY");
        let r = s.error_response(&req, &e);
        assert_eq!(r.status, 502);
        let b = body(&r);
        assert_eq!(b["error"]["code"], "AUTH");
        assert_eq!(b["error"]["retryable"], false);
        assert_eq!(b["error"]["provider"], "juhe");
        assert!(b["error"].get("providerCode").is_none());
        assert_no_secret(&r);
        assert!(!text(&r).contains("错误"));
        // Quota: 502, no detail.
        let r = s.error_response(
            &req,
            &OcrError::new(ErrorCode::Quota, "balance").with_provider_code("10012"),
        );
        assert_eq!((r.status, error_code(&r).as_str()), (502, "QUOTA"));
        assert!(body(&r)["error"].get("providerCode").is_none());
        // Config from inside recognize(): 500, generic.
        let r = s.error_response(
            &req,
            &OcrError::config("option `apihz.key` must be a string"),
        );
        assert_eq!(r.status, 500);
        assert!(!text(&r).contains("apihz.key"));
        // Provider rate limit: 429 + Retry-After.
        let r = s.error_response(
            &req,
            &OcrError::new(ErrorCode::RateLimited, "per-minute limit")
                .with_provider(Provider::Apihz),
        );
        assert_eq!((r.status, r.header("retry-after")), (429, Some("60")));
        // Others keep their (redacted) message, retryable flag and provider code; never the provider's words.
        let e = OcrError::new(
            ErrorCode::ProviderError,
            format!("https://dedicated-endpoint.example/api/x.php answered 503 for {APIHZ_ID}"),
        )
        .with_provider(Provider::Apihz)
        .with_provider_code("503")
        .with_provider_message("Service Unavailable");
        let r = s.error_response(&req, &e);
        assert_eq!(r.status, 502);
        let b = body(&r);
        assert_eq!(b["error"]["providerCode"], "503");
        assert_eq!(b["error"]["retryable"], true);
        assert!(
            !b.to_string().contains("dedicated-endpoint")
                && !b.to_string().contains("Service Unavailable")
        );
        assert_no_secret(&r);
        let r = s.error_response(
            &req,
            &OcrError::new(ErrorCode::Timeout, "no answer within timeoutMs = 300 ms"),
        );
        assert_eq!(
            (r.status, body(&r)["error"]["retryable"].clone()),
            (504, json!(true))
        );
        let r = s.error_response(
            &req,
            &OcrError::new(ErrorCode::RecognitionFailed, "unreadable")
                .with_provider(Provider::Juhe)
                .with_provider_code("270903"),
        );
        assert_eq!(
            (r.status, body(&r)["error"]["providerCode"].clone()),
            (400, json!("270903"))
        );
        assert_eq!(r.header("access-control-allow-origin"), Some(APP));
        // The answer's shape is exactly { error: { code, message, retryable, provider?, providerCode? } }.
        let keys: Vec<String> = body(&r)["error"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys,
            ["code", "message", "retryable", "provider", "providerCode"]
        );
    }

    #[test]
    fn origin_verdicts() {
        let list = vec![APP.to_owned()];
        assert_eq!(check_origin(&list, None), OriginVerdict::Absent);
        assert_eq!(
            check_origin(&list, Some(APP)),
            OriginVerdict::Allowed(APP.into())
        );
        assert_eq!(
            check_origin(&list, Some("https://app.example.com/")),
            OriginVerdict::Denied
        );
        assert_eq!(check_origin(&[], Some(APP)), OriginVerdict::Denied);
    }

    #[test]
    fn forwarded_options_are_accepted_by_the_library() {
        let s = env_shim(&[
            ("APIHZ_ID", APIHZ_ID),
            ("APIHZ_KEY", APIHZ_KEY),
            (
                "APIHZ_ENDPOINTS",
                "http://127.0.0.1:1/a.php http://127.0.0.1:2/b.php",
            ),
            ("JUHE_KEY", JUHE_KEY),
            ("JUHE_UPLOAD", "multipart"),
            ("MAX_BASE64_CHARS", "4000"),
            ("TIMEOUT_MS", "1500"),
        ]);
        for doc in [
            "vehicleLicenseFront",
            "vehicleLicenseBack",
            "registrationCertificate",
        ] {
            let f = forward(s.decide(&post(&format!("?document={doc}"))));
            let o = vehicle_doc_ocr_core::options::parse(&f.options).unwrap();
            assert_eq!(o.document.as_str(), doc);
            assert_eq!(
                (o.max_base64_chars, o.timeout_ms, o.proxy_url.clone()),
                (4000, 1500, None)
            );
            if doc == "registrationCertificate" {
                let j = o.juhe.unwrap();
                assert_eq!(
                    (j.key.as_str(), j.upload),
                    (
                        JUHE_KEY,
                        vehicle_doc_ocr_core::options::JuheUpload::Multipart
                    )
                );
                assert!(o.apihz.is_none());
            } else {
                let a = o.apihz.unwrap();
                assert_eq!((a.id.as_str(), a.key.as_str()), (APIHZ_ID, APIHZ_KEY));
                assert_eq!(
                    a.endpoints,
                    ["http://127.0.0.1:1/a.php", "http://127.0.0.1:2/b.php"]
                );
                assert!(o.juhe.is_none());
            }
        }
    }
}
