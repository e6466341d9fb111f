//! Options parsing, text image inputs, byte sniffing and wire encodings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

use serde_json::{json, Value};
use vehicle_doc_ocr_core::input::{self, TextImage};
use vehicle_doc_ocr_core::options::{self, JuheUpload};
use vehicle_doc_ocr_core::{wire, DocumentKind, ErrorCode};

const SECRET: &str = "S3cr3t-K3y-zq9";

fn config_err(v: Value) -> String {
    let e = options::parse(&v).unwrap_err();
    assert_eq!(e.code, ErrorCode::Config, "{}", e.message);
    assert!(
        !e.message.contains(SECRET),
        "the message echoes a value: {}",
        e.message
    );
    e.message
}

#[test]
fn defaults() {
    let o = options::parse(
        &json!({"document": "vehicleLicenseFront", "apihz": {"id": "10000000", "key": SECRET}}),
    )
    .unwrap();
    assert_eq!(o.document, DocumentKind::VehicleLicenseFront);
    assert_eq!(o.timeout_ms, 20000);
    assert_eq!(o.max_base64_chars, 1_000_000);
    let a = o.apihz.unwrap();
    assert_eq!(
        a.endpoints,
        vec!["https://cn.apihz.cn/api/ai/xingshizheng.php".to_owned()]
    );
    assert_eq!(a.key, SECRET);
    assert!(o.juhe.is_none());
    assert_eq!(o.prepare, Value::Null);

    let o = options::parse(&json!({
        "document": "registrationCertificate",
        "juhe": {"key": SECRET, "baseUrl": "http://apis.juhe.cn/", "upload": "multipart"},
        "timeoutMs": 5000, "maxBase64Chars": 500000, "prepare": {"maxLongSidePx": 1600}
    }))
    .unwrap();
    let j = o.juhe.unwrap();
    assert_eq!(
        j.base_url, "http://apis.juhe.cn",
        "trailing slash tolerated"
    );
    assert_eq!(j.upload, JuheUpload::Multipart);
    assert_eq!((o.timeout_ms, o.max_base64_chars), (5000, 500000));
    assert_eq!(o.prepare, json!({"maxLongSidePx": 1600}));
    let j =
        options::parse(&json!({"document": "registrationCertificate", "juhe": {"key": SECRET}}))
            .unwrap()
            .juhe
            .unwrap();
    assert_eq!(
        (j.base_url.as_str(), j.upload),
        ("https://apis.juhe.cn", JuheUpload::Base64)
    );
}

#[test]
fn config_errors_name_the_option_and_never_the_value() {
    let front = |apihz: Value| json!({"document": "vehicleLicenseFront", "apihz": apihz});
    let cases: Vec<(Value, &str)> = vec![
        (json!(null), "document"),
        (json!(SECRET), "document"),
        (json!({}), "`document`"),
        (json!({"document": SECRET}), "`document`"),
        (json!({"document": 3}), "`document`"),
        (json!({"document": "vehicleLicenseFront"}), "`apihz`"),
        (
            json!({"document": "vehicleLicenseBack", "juhe": {"key": SECRET}}),
            "`apihz`",
        ),
        (
            json!({"document": "registrationCertificate", "apihz": {"id": "1", "key": SECRET}}),
            "`juhe`",
        ),
        (
            front(json!({"id": "10000000", "key": SECRET, "endpont": ["x"]})),
            "`apihz.endpont`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "timeoutMS": 1}),
            "`timeoutMS`",
        ),
        (front(json!({"id": "10000000"})), "`apihz.key`"),
        (front(json!({"id": "10000000", "key": ""})), "`apihz.key`"),
        (
            front(json!({"id": "10000000", "key": 12345})),
            "`apihz.key`",
        ),
        (front(json!({"key": SECRET})), "`apihz.id`"),
        (
            front(json!({"id": "1", "key": SECRET, "endpoints": []})),
            "`apihz.endpoints`",
        ),
        (
            front(json!({"id": "1", "key": SECRET, "endpoints": "https://a.example"})),
            "`apihz.endpoints`",
        ),
        (
            front(
                json!({"id": "1", "key": SECRET, "endpoints": ["https://a.example/x", format!("ftp://{SECRET}")]}),
            ),
            "`apihz.endpoints[1]`",
        ),
        (
            front(
                json!({"id": "1", "key": SECRET, "endpoints": [format!("cn.apihz.cn/?key={SECRET}")]}),
            ),
            "`apihz.endpoints[0]`",
        ),
        (
            front(
                json!({"id": "1", "key": SECRET, "messageRules": [{"contains": "x", "code": SECRET}]}),
            ),
            "`apihz.messageRules[0].code`",
        ),
        (
            front(
                json!({"id": "1", "key": SECRET, "messageRules": [{"contains": "x", "code": "AUTH", "x": 1}]}),
            ),
            "`apihz.messageRules[0].x`",
        ),
        (
            json!({"document": "registrationCertificate", "juhe": {"key": SECRET, "baseUrl": format!("apis.juhe.cn/{SECRET}")}}),
            "`juhe.baseUrl`",
        ),
        (
            json!({"document": "registrationCertificate", "juhe": {"key": SECRET, "upload": SECRET}}),
            "`juhe.upload`",
        ),
        (
            json!({"document": "registrationCertificate", "juhe": SECRET}),
            "`juhe`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "timeoutMs": 0}),
            "`timeoutMs`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "timeoutMs": -5}),
            "`timeoutMs`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "timeoutMs": 1.5}),
            "`timeoutMs`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "maxBase64Chars": 0}),
            "`maxBase64Chars`",
        ),
        // Above the cap, and past 2^32 (which a 32-bit wasm usize would have truncated).
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "maxBase64Chars": 20_000_001}),
            "`maxBase64Chars`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "maxBase64Chars": 4_294_967_301u64}),
            "`maxBase64Chars`",
        ),
        (
            json!({"document": "vehicleLicenseFront", "apihz": {"id": "1", "key": SECRET}, "proxyUrl": SECRET}),
            "`proxyUrl`",
        ),
    ];
    for (v, name) in cases {
        let msg = config_err(v.clone());
        assert!(
            msg.contains(name),
            "{v}: message {msg:?} does not name {name}"
        );
    }
}

#[test]
fn apihz_endpoints_and_rules_are_kept_in_order() {
    let o = options::parse(&json!({"document": "vehicleLicenseBack", "apihz": {
        "id": 10000000, "key": SECRET,
        "endpoints": ["https://a.example/x.php", "http://10.0.0.1:8080/api/ai/xingshizheng.php"],
        "messageRules": [{"contains": "维护", "code": "PROVIDER_ERROR"}]
    }}))
    .unwrap();
    let a = o.apihz.unwrap();
    assert_eq!(a.id, "10000000", "a numeric id is accepted");
    assert_eq!(a.endpoints.len(), 2);
    assert_eq!(
        a.endpoints[1],
        "http://10.0.0.1:8080/api/ai/xingshizheng.php"
    );
    assert_eq!(a.message_rules[0].code, ErrorCode::ProviderError);
}

#[test]
fn classify_text_inputs() {
    assert_eq!(
        input::classify_text(" https://example.com/a.jpg ").unwrap(),
        TextImage::RemoteUrl("https://example.com/a.jpg".into())
    );
    assert_eq!(
        input::classify_text("HTTP://example.com/A.jpg").unwrap(),
        TextImage::RemoteUrl("http://example.com/A.jpg".into()),
        "the scheme is sent in lower case (apihz refuses `HTTP://`), the rest untouched"
    );
    assert_eq!(
        input::classify_text(" HttpS://Example.com/a.jpg?X=1").unwrap(),
        TextImage::RemoteUrl("https://Example.com/a.jpg?X=1".into())
    );
    let jpeg = [0xFFu8, 0xD8, 0xFF, 0xE0, 0xFB, 0xEF];
    let std = wire::base64_standard(&jpeg); // "/9j/4Pvv"
    let with_plus = wire::base64_standard(&[0xFB, 0xEF, 0xBE]); // "++++"
    assert_eq!(with_plus, "++++");
    for text in [
        std.clone(),
        format!("data:image/jpeg;base64,{std}"),
        format!("DATA:image/png;BASE64,{std}"),
        "/9j/\n4Pvv\r\n".to_owned(),
        "_9j_4Pvv".to_owned(),
    ] {
        assert_eq!(
            input::classify_text(&text).unwrap(),
            TextImage::Bytes(jpeg.to_vec()),
            "{text:?}"
        );
    }
    // Padding optional.
    assert_eq!(
        input::classify_text("/9j/4A").unwrap(),
        TextImage::Bytes(vec![0xFF, 0xD8, 0xFF, 0xE0])
    );
    assert_eq!(
        input::classify_text("/9j/4A==").unwrap(),
        TextImage::Bytes(vec![0xFF, 0xD8, 0xFF, 0xE0])
    );
    for bad in [
        "",
        "   ",
        "not base64!",
        "data:image/png,abc",
        "data:image/png;base64,",
        "ftp://x/y.jpg",
        "https://",
    ] {
        let e = input::classify_text(bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidImage, "{bad:?}");
        if bad.len() > 3 {
            assert!(!e.message.contains(bad.trim()), "echoed {bad:?}");
        }
    }
}

#[test]
fn sniff_and_check_sendable() {
    let mut webp = b"RIFF\0\0\0\0WEBPVP8 ".to_vec();
    webp.extend([0; 8]);
    let cases: [(&[u8], Option<&str>); 7] = [
        (&[0xFF, 0xD8, 0xFF, 0xDB, 0], Some("image/jpeg")),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some("image/png")),
        (&webp, Some("image/webp")),
        (b"GIF89a\x01\0\x01\0", Some("image/gif")),
        (
            b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0",
            Some("image/bmp"),
        ),
        // A BMP too short for its header is not sniffed as one (same rule as the codec's).
        (b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0", None),
        (b"hello world, no image", None),
    ];
    for (bytes, mime) in cases {
        assert_eq!(input::sniff(bytes), mime);
        match mime {
            Some(m) => assert_eq!(input::check_sendable(bytes).unwrap(), m),
            None => assert_eq!(
                input::check_sendable(bytes).unwrap_err().code,
                ErrorCode::InvalidImage
            ),
        }
    }
    assert_eq!(
        input::check_sendable(&[]).unwrap_err().code,
        ErrorCode::InvalidImage
    );
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert!(input::is_heif(heic));
    assert!(input::is_heif(b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic"));
    assert!(!input::is_heif(b"\0\0\0\x18ftypisom\0\0\0\0isommp41"));
    let e = input::check_sendable(heic).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedFormat);
    assert!(
        e.message.contains("HEIC")
            && e.message.contains("JPEG")
            && e.message.contains("Most Compatible")
    );
    assert!(!input::is_heif(b"ftyp"));
    // AVIF is refused the same way as HEIC by both the sender and the codec (one sniffer).
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
    assert_eq!(
        input::check_sendable(avif).unwrap_err().code,
        ErrorCode::UnsupportedFormat
    );
    assert_eq!(
        vehicle_doc_ocr_imaging::probe(avif).map(|i| i.format),
        Ok(vehicle_doc_ocr_imaging::SourceFormat::Heif)
    );
}

#[test]
fn form_encoding_escapes_everything_outside_unreserved() {
    assert_eq!(wire::percent_encode(b"a+b/c=d"), "a%2Bb%2Fc%3Dd");
    assert_eq!(
        wire::percent_encode("行驶证".as_bytes()),
        "%E8%A1%8C%E9%A9%B6%E8%AF%81"
    );
    assert_eq!(
        wire::percent_encode(b"AZaz09-_.~ &%"),
        "AZaz09-_.~%20%26%25"
    );
    assert_eq!(
        wire::form_urlencoded(&[("key", "k+/="), ("img", "++//==")]),
        "key=k%2B%2F%3D&img=%2B%2B%2F%2F%3D%3D"
    );
    assert_eq!(wire::base64_len(0), 0);
    for n in 0..20 {
        assert_eq!(
            wire::base64_len(n),
            wire::base64_standard(&vec![7u8; n]).len()
        );
    }
}

#[test]
fn multipart_body_and_boundary() {
    let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let m = wire::multipart(
        &[("key", "abc")],
        wire::FilePart {
            name: "file",
            filename: "image.jpg",
            mime: "image/jpeg",
            data: &data,
        },
    );
    assert_eq!(
        m.content_type,
        format!("multipart/form-data; boundary={}", m.boundary)
    );
    let body = m.body.clone();
    let text = String::from_utf8_lossy(&body);
    assert!(text.starts_with(&format!(
        "--{}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nabc\r\n",
        m.boundary
    )));
    assert!(text.contains("Content-Disposition: form-data; name=\"file\"; filename=\"image.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"));
    assert!(body.ends_with(format!("\r\n--{}--\r\n", m.boundary).as_bytes()));
    assert!(
        body.windows(data.len()).any(|w| w == data.as_slice()),
        "file bytes verbatim"
    );

    // Data that contains the boundary that would be derived: the builder must pick another one.
    let first = m.boundary.clone();
    let mut tricky = data.clone();
    tricky.extend_from_slice(first.as_bytes());
    let m2 = wire::multipart(
        &[("key", "abc")],
        wire::FilePart {
            name: "file",
            filename: "image.jpg",
            mime: "image/jpeg",
            data: &tricky,
        },
    );
    assert!(!tricky
        .windows(m2.boundary.len())
        .any(|w| w == m2.boundary.as_bytes()));
    // Boundary occurs exactly as delimiters: 2 part openers + 1 closer.
    let count = m2
        .body
        .windows(m2.boundary.len())
        .filter(|w| *w == m2.boundary.as_bytes())
        .count();
    assert_eq!(count, 3);
}
