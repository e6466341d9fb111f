//! The Worker's answers read back by its client (`proxyUrl` mode in core): every error keeps its
//! code, class and provider across the round trip (`cargo test -p vehicle-doc-ocr-shim`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

#[path = "../../core/tests/support/proxy_plan.rs"]
mod support;

mod shim_round_trip {
    use super::support::{done, plan};
    use vehicle_doc_ocr_core::{ErrorCode, OcrError, Provider};
    use vehicle_doc_ocr_shim::{Decision, Rejection, RequestFacts, Shim};

    /// A Worker configured with an apihz key and `extra` variables.
    fn apihz_shim(extra: &[(&str, &str)]) -> Shim {
        let extra: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Shim::from_env(move |name| match name {
            "APIHZ_ID" => Some("12345678".into()),
            "APIHZ_KEY" => Some("shim-side-key-0001".into()),
            _ => extra
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
        })
    }

    fn facts() -> RequestFacts {
        RequestFacts {
            method: "POST".into(),
            url: "https://x.dev/v1/recognize?document=vehicleLicenseFront".into(),
            content_type: Some("image/jpeg".into()),
            ..Default::default()
        }
    }

    /// The Worker's error answer for `e`, read back by the client.
    fn round_trip(shim: &Shim, e: &OcrError) -> OcrError {
        let r = shim.error_response(&facts(), e);
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        done(p.on_response(r.status, r.body.unwrap().to_string().as_bytes())).unwrap_err()
    }

    #[test]
    fn every_error_comes_back_with_its_code_class_and_provider() {
        let shim = apihz_shim(&[]);
        for code in ErrorCode::ALL {
            let e = OcrError::new(code, format!("{code} happened"))
                .with_provider(Provider::Apihz)
                .with_provider_code("400");
            let back = round_trip(&shim, &e);
            assert_eq!(back.code, code);
            // A misconfiguration is the Worker's own problem, whatever provider was involved.
            let provider = if code == ErrorCode::Config {
                Provider::Shim
            } else {
                Provider::Apihz
            };
            assert_eq!(back.provider, Some(provider), "{code}");
            match code {
                // The Worker hides its own account's details.
                ErrorCode::Auth | ErrorCode::Quota | ErrorCode::Config => {
                    assert!(!back.retryable);
                    assert_eq!(back.provider_code, None);
                }
                _ => {
                    assert_eq!(back.retryable, e.retryable, "{code}");
                    assert_eq!(back.provider_code.as_deref(), Some("400"));
                    assert_eq!(back.message, e.message);
                }
            }
            // No provider words travel, so none come back.
            assert_eq!(back.provider_message, None);
        }
    }

    #[test]
    fn refusals_by_the_worker_come_back_as_shim_errors() {
        let shim = apihz_shim(&[("SHIM_TOKEN", "0123456789abcdef-token")]);
        let Decision::Respond(r) = shim.decide(&facts()) else {
            panic!("expected a refusal")
        };
        assert_eq!(r.status, 401);
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        let e = done(p.on_response(r.status, r.body.unwrap().to_string().as_bytes())).unwrap_err();
        assert_eq!(
            (e.code, e.provider, e.retryable),
            (ErrorCode::Auth, Some(Provider::Shim), false)
        );
        let mut f = facts();
        f.origin = Some("https://evil.example".into());
        let Decision::Respond(r) = shim.decide(&f) else {
            panic!("expected a refusal")
        };
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        let e = done(p.on_response(r.status, r.body.unwrap().to_string().as_bytes())).unwrap_err();
        assert_eq!(
            (e.code, e.provider),
            (ErrorCode::Auth, Some(Provider::Shim))
        );
        let r = shim.reject(&facts(), Rejection::RateLimited);
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        let e = done(p.on_response(r.status, r.body.unwrap().to_string().as_bytes())).unwrap_err();
        assert_eq!((e.code, e.retryable), (ErrorCode::RateLimited, true));
    }

    /// The Worker's quality gate (`QUALITY_GATE`): the reasons of a POOR_IMAGE come back to the
    /// client as reason codes, nothing else does.
    #[test]
    fn a_poor_image_comes_back_with_its_reasons() {
        let shim = apihz_shim(&[("QUALITY_GATE", "block")]);
        let Decision::Forward(f) = shim.decide(&facts()) else {
            panic!("expected the call to go ahead")
        };
        assert_eq!(f.options["qualityGate"], "block");
        let mut e = OcrError::new(ErrorCode::PoorImage, "the photo should be retaken");
        e.reasons = vec!["blurry".into(), "tooFar".into()];
        let r = shim.error_response(&facts(), &e);
        assert_eq!(r.status, 400);
        let back = round_trip(&shim, &e);
        assert_eq!((back.code, back.retryable), (ErrorCode::PoorImage, false));
        assert_eq!(back.reasons, ["blurry", "tooFar"]);
        // Anything that is not a reason code is dropped on the client's side.
        let (mut p, _) = plan("vehicleLicenseFront", "https://x.dev");
        let body = r#"{"error":{"code":"POOR_IMAGE","message":"retake","retryable":false,"reasons":["dark","<script>",7,"a b"]}}"#;
        let back = done(p.on_response(400, body.as_bytes())).unwrap_err();
        assert_eq!(back.reasons, ["dark"]);
    }

    #[test]
    fn quality_gate_values_are_checked() {
        for (value, gate) in [
            ("off", None),
            ("warn", Some("warn")),
            ("block", Some("block")),
        ] {
            let shim = apihz_shim(&[("QUALITY_GATE", value)]);
            let Decision::Forward(f) = shim.decide(&facts()) else {
                panic!("expected the call to go ahead")
            };
            assert_eq!(f.options.get("qualityGate").and_then(|v| v.as_str()), gate);
        }
        let shim = apihz_shim(&[("QUALITY_GATE", "strict")]);
        let problems = shim.config().unwrap_err().to_string();
        assert!(
            problems.contains("QUALITY_GATE must be off, warn or block"),
            "{problems}"
        );
        assert!(!problems.contains("strict"));
    }
}
