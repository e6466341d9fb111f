//! The providers' own example responses, parsed to typed values; error mapping of both providers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a panic is a failure

use serde_json::{json, Value};
use vehicle_doc_ocr_core::model::{
    RegistrationCertificate, VehicleLicenseBack, VehicleLicenseFront,
};
use vehicle_doc_ocr_core::options::MessageRule;
use vehicle_doc_ocr_core::providers::{self as model, apihz, juhe};
use vehicle_doc_ocr_core::{DocumentKind, ErrorCode, Provider, Recognized};

const APIHZ_FRONT: &str = include_str!("../../../fixtures/providers/apihz-front.doc.json");
const APIHZ_BACK: &str = include_str!("../../../fixtures/providers/apihz-back.doc.json");
const APIHZ_ERROR: &str = include_str!("../../../fixtures/providers/apihz-error.doc.json");
const JUHE_QUERY: &str = include_str!("../../../fixtures/providers/juhe-query.doc.json");
const JUHE_VERIFY: &str = include_str!("../../../fixtures/providers/juhe-verify.doc.json");

fn v(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn front(raw: Value) -> VehicleLicenseFront {
    match model::normalize(
        DocumentKind::VehicleLicenseFront,
        Provider::Apihz,
        None,
        raw,
        None,
    ) {
        Recognized::VehicleLicenseFront(f) => *f,
        other => panic!("wrong variant {other:?}"),
    }
}

fn back(raw: Value) -> VehicleLicenseBack {
    match model::normalize(
        DocumentKind::VehicleLicenseBack,
        Provider::Apihz,
        None,
        raw,
        None,
    ) {
        Recognized::VehicleLicenseBack(b) => *b,
        other => panic!("wrong variant {other:?}"),
    }
}

fn cert(raw: Value) -> RegistrationCertificate {
    let id = juhe::request_id(&raw);
    match model::normalize(
        DocumentKind::RegistrationCertificate,
        Provider::Juhe,
        id,
        raw,
        None,
    ) {
        Recognized::RegistrationCertificate(c) => *c,
        other => panic!("wrong variant {other:?}"),
    }
}

#[test]
fn apihz_front_doc_sample() {
    let raw = v(APIHZ_FRONT);
    assert!(apihz::check_answer(&raw, &[]).is_ok());
    let f = front(raw.clone());
    assert_eq!(f.document, DocumentKind::VehicleLicenseFront);
    assert_eq!(f.provider, Provider::Apihz);
    assert_eq!(f.request_id, None);
    assert_eq!(f.plate_number.as_deref(), Some("粤BB4321"));
    assert_eq!(f.vehicle_type.as_deref(), Some("小型轿车"));
    assert_eq!(f.owner.as_deref(), Some("艾米"));
    assert_eq!(
        f.address.as_deref(),
        Some("深圳市南山区高新科技园科技中一路腾云大厦")
    );
    assert_eq!(f.use_character.as_deref(), Some("非营运"));
    assert_eq!(f.model.as_deref(), Some("东风雪铁龙牌DC7183LYAA"));
    assert_eq!(f.vin.as_deref(), Some("123456789ABCDEFGH"));
    assert_eq!(f.engine_number.as_deref(), Some("8B12345"));
    assert_eq!(f.register_date.as_deref(), Some("2015-04-11"));
    assert_eq!(f.issue_date.as_deref(), Some("2015-04-11"));
    assert_eq!(
        f.issuing_authority.as_deref(),
        Some("广东省深圳市公安局交通警察支队")
    );
    assert_eq!(f.raw, raw, "raw is the payload untouched");
    assert_eq!(
        f.valid,
        !f.issues
            .iter()
            .any(|i| i.severity == vehicle_doc_ocr_core::fields::Severity::Error)
    );
}

#[test]
fn apihz_back_doc_sample() {
    let b = back(v(APIHZ_BACK));
    assert_eq!(b.plate_number.as_deref(), Some("粤B2177C"));
    assert_eq!(b.file_number.as_deref(), Some("440681681182"));
    assert_eq!(b.approved_passengers, Some(5));
    assert_eq!(b.total_mass_kg, Some(2085));
    assert_eq!(b.curb_weight_kg, Some(1610));
    assert_eq!(b.approved_load_kg, None, "\"--\" is empty");
    let d = b.dimensions_mm.unwrap();
    assert_eq!((d.length, d.width, d.height), (4667, 1839, 1694));
    assert_eq!(b.traction_mass_kg, None);
    assert_eq!(b.remarks, None, "\"\" is empty");
    assert_eq!(
        b.inspection_record.as_deref(),
        Some("检验有效期至2019年11月粤E(01)汽油")
    );
    assert_eq!(b.barcode_number.as_deref(), Some("4460040587965"));
    assert_eq!(b.fuel_type.as_deref(), Some("汽油"));
    assert!(b.valid);
}

#[test]
fn back_inspection_valid_until_uses_the_fields_rule() {
    // Asserted against the fields module's own answer, so it holds for the stub and the real rule.
    let b = back(v(APIHZ_BACK));
    let mut is = vehicle_doc_ocr_core::fields::Issues::default();
    let expected = vehicle_doc_ocr_core::fields::inspection_valid_until(
        "inspectionValidUntil",
        Some("检验有效期至2019年11月粤E(01)汽油"),
        &mut is,
    );
    assert_eq!(b.inspection_valid_until, expected);
}

#[test]
fn back_total_mass_below_curb_weight_is_a_warning() {
    let mut raw = v(APIHZ_BACK);
    raw["TotalMass"] = json!("1500kg");
    let b = back(raw);
    assert!(b.issues.iter().any(|i| i.field == "totalMassKg"
        && i.severity == vehicle_doc_ocr_core::fields::Severity::Warning));
}

#[test]
fn results_serialize_every_key_as_camel_case_with_nulls() {
    let b = back(v(APIHZ_BACK));
    let out = serde_json::to_value(Recognized::VehicleLicenseBack(Box::new(b))).unwrap();
    assert_eq!(out["document"], "vehicleLicenseBack");
    assert_eq!(out["provider"], "apihz");
    assert_eq!(out["requestId"], Value::Null);
    assert_eq!(out["approvedLoadKg"], Value::Null);
    assert_eq!(out["approvedPassengers"], 5);
    assert_eq!(
        out["dimensionsMm"],
        json!({"length": 4667, "width": 1839, "height": 1694})
    );
    assert!(out.get("inspectionValidUntil").is_some());
    assert!(out["issues"].is_array());
    assert_eq!(out["raw"]["PlateNo"], "粤B 2177C");
}

#[test]
fn apihz_error_sample_is_auth() {
    let e = apihz::check_answer(&v(APIHZ_ERROR), &[]).unwrap_err();
    assert_eq!(e.code, ErrorCode::Auth);
    assert_eq!(e.provider, Some(Provider::Apihz));
    assert_eq!(e.provider_code.as_deref(), Some("400"));
    assert_eq!(e.provider_message.as_deref(), Some("通讯秘钥错误。"));
    assert!(!e.retryable);
}

#[test]
fn apihz_message_classification_table() {
    let cases = [
        ("通讯秘钥错误。", ErrorCode::Auth),
        ("KEY不存在", ErrorCode::Auth),
        ("用户ID错误", ErrorCode::Auth),
        ("账户余额不足，请充值", ErrorCode::Quota),
        ("盟点不足", ErrorCode::Quota),
        ("请求过于频繁，请稍后再试", ErrorCode::RateLimited),
        ("识别失败", ErrorCode::RecognitionFailed),
        ("图片无法识别", ErrorCode::RecognitionFailed),
        ("图片格式错误", ErrorCode::InvalidImage),
        ("BASE64数据不能超过1M", ErrorCode::ImageTooLarge),
        ("图片大小超过限制", ErrorCode::ImageTooLarge),
        ("服务器开小差了", ErrorCode::ProviderError),
        ("", ErrorCode::ProviderError),
    ];
    for (msg, code) in cases {
        assert_eq!(apihz::classify_message(msg, &[]), code, "{msg}");
        let e = apihz::check_answer(&json!({"code": 400, "msg": msg}), &[]).unwrap_err();
        assert_eq!(e.code, code, "{msg}");
        assert_eq!(e.provider_message.as_deref(), Some(msg));
    }
}

#[test]
fn apihz_message_rules_come_first() {
    let rules = [MessageRule {
        contains: "秘钥".into(),
        code: ErrorCode::Quota,
    }];
    let e = apihz::check_answer(&v(APIHZ_ERROR), &rules).unwrap_err();
    assert_eq!(e.code, ErrorCode::Quota);
}

#[test]
fn apihz_odd_answers_never_panic_and_are_provider_errors() {
    for raw in [
        json!({}),
        json!({"code": "abc"}),
        json!({"code": null, "msg": 5}),
        json!([1]),
        json!({"code": 500}),
    ] {
        let e = apihz::check_answer(&raw, &[]).unwrap_err();
        assert_eq!(e.code, ErrorCode::ProviderError, "{raw}");
    }
    assert!(apihz::check_answer(&json!({"code": "200"}), &[]).is_ok());
    // A success with odd field types still normalizes.
    let f = front(json!({"code": 200, "PlateNo": 5, "Vin": null, "RegisterDate": ["x"]}));
    assert_eq!(f.plate_number.as_deref(), Some("5"));
    assert_eq!(f.vin, None);
    assert_eq!(f.register_date, None);
}

fn check_juhe_certificate(raw_text: &str) {
    let raw = v(raw_text);
    assert!(juhe::check_answer(&raw).is_ok());
    let c = cert(raw.clone());
    assert_eq!(c.request_id.as_deref(), Some("JH709122051114105062820878"));
    assert_eq!(c.provider, Provider::Juhe);
    assert_eq!(c.document, DocumentKind::RegistrationCertificate);
    assert_eq!(c.registration_number.as_deref(), Some("2"));
    assert_eq!(c.owner, None, "empty owner content");
    assert_eq!(c.origin.as_deref(), Some("国产"));
    assert_eq!(c.fuel_type.as_deref(), Some("汽油"));
    assert_eq!(c.steering.as_deref(), Some("方向盘"));
    assert_eq!(c.use_character.as_deref(), Some("非营运"));
    // Bare units are empty markers.
    assert_eq!(c.track_mm, None);
    assert_eq!(c.wheelbase_mm, None);
    assert_eq!(c.dimensions_mm, None);
    assert_eq!(c.cargo_box_inner_dimensions_mm, None);
    assert_eq!(c.total_mass_kg, None);
    assert_eq!(c.approved_load_kg, None);
    assert_eq!(c.approved_passengers, None);
    assert_eq!(c.traction_mass_kg, None);
    assert_eq!(c.cab_passengers, None);
    assert_eq!(c.tire_spec, None);
    assert_eq!(c.displacement_ml, None);
    assert_eq!(c.power_kw, None);
    assert_eq!(c.plate_number, None);
    assert_eq!(c.frame_number, None);
    // "2" is not a date: whatever the fields rule says, it is never passed through as one.
    assert_ne!(c.registration_date.as_deref(), Some("2"));
    assert_eq!(c.raw, raw);
}

#[test]
fn juhe_query_doc_sample() {
    check_juhe_certificate(JUHE_QUERY);
}

#[test]
fn juhe_verify_doc_sample_skips_desc_null_and_reads_zhizao_mingcheng() {
    check_juhe_certificate(JUHE_VERIFY);
    let entries = juhe::entries(&v(JUHE_VERIFY));
    let total = v(JUHE_VERIFY)["result"]["res"].as_array().unwrap().len();
    assert_eq!(
        entries.len(),
        total - 2,
        "the two desc:null entries are skipped"
    );
    let mut raw = v(JUHE_VERIFY);
    for item in raw["result"]["res"].as_array_mut().unwrap() {
        if item["desc"] == "制造名称" {
            item["content"] = json!("上海大众汽车有限公司");
        }
    }
    assert_eq!(
        cert(raw).manufacturer.as_deref(),
        Some("上海大众汽车有限公司")
    );
}

fn cert_with(entries: &[(&str, &str)]) -> RegistrationCertificate {
    let res: Vec<Value> = entries
        .iter()
        .map(|(d, c)| json!({"nID": null, "index": null, "desc": d, "content": c}))
        .collect();
    cert(json!({"reason": "操作成功", "error_code": 0, "result": {"orderid": "JH1", "res": res}}))
}

#[test]
fn certificate_composites_are_split() {
    let c = cert_with(&[
        ("车辆识别代号V车架号", "LSVCY6C49MN027789/LSVCY6C49MN027789"),
        ("排量V功率", "1598ml/85kw"),
        ("轮距", "1560/1570mm"),
        (" 总 质 量 ", "1950kg"),
        ("外廓尺寸", "4667×1839×1694mm"),
        ("核定载客", "5人"),
        ("机动车登记编号", "粤B 2177C"),
        ("未知标签", "whatever"),
    ]);
    assert_eq!(c.vin.as_deref(), Some("LSVCY6C49MN027789"));
    assert_eq!(c.frame_number.as_deref(), Some("LSVCY6C49MN027789"));
    assert_eq!(c.displacement_ml, Some(1598));
    assert_eq!(c.power_kw, Some(85.0));
    assert_eq!(c.track_mm.as_deref(), Some("1560/1570"));
    assert_eq!(
        c.total_mass_kg,
        Some(1950),
        "labels are matched without whitespace"
    );
    assert_eq!(c.approved_passengers, Some(5));
    assert_eq!(c.plate_number.as_deref(), Some("粤B2177C"));
    let d = c.dimensions_mm.unwrap();
    assert_eq!((d.length, d.width, d.height), (4667, 1839, 1694));

    let c = cert_with(&[
        ("车辆识别代号V车架号", "LSVCY6C49MN027789"),
        ("排量V功率", "1598/85"),
    ]);
    assert_eq!(
        c.vin.as_deref(),
        Some("LSVCY6C49MN027789"),
        "one value is the VIN"
    );
    assert_eq!(c.frame_number, None);
    assert_eq!((c.displacement_ml, c.power_kw), (Some(1598), Some(85.0)));

    // Full-width digits and units are transliterations, read like ASCII.
    let c = cert_with(&[
        ("排量V功率", "１．６Ｌ/８５ｋＷ"),
        ("轮距", "１５６０/１５７０ｍｍ"),
    ]);
    assert_eq!((c.displacement_ml, c.power_kw), (Some(1600), Some(85.0)));
    assert_eq!(c.track_mm.as_deref(), Some("1560/1570"));
    assert!(c.issues.is_empty(), "{:?}", c.issues);
}

#[test]
fn certificate_owner_goes_through_the_fields_rule() {
    let c = cert_with(&[(
        "机动车所有人V身份证名称V号码",
        "张三V居民身份证V110101199003074578",
    )]);
    let mut is = vehicle_doc_ocr_core::fields::Issues::default();
    let expected = vehicle_doc_ocr_core::fields::owner(
        "owner",
        Some("张三V居民身份证V110101199003074578"),
        &mut is,
    );
    assert_eq!(c.owner, expected);
    assert_eq!(c.owner.unwrap().name.as_deref(), Some("张三"));
}

/// Every documented juhe error_code, table-driven.
#[test]
fn juhe_error_codes() {
    use ErrorCode::*;
    let table: [(i64, ErrorCode, bool); 17] = [
        (10001, Auth, false),
        (10002, Auth, false),
        (10003, Auth, false),
        (10004, Auth, false),
        (10005, Auth, false),
        (10007, Auth, false),
        (10008, Auth, false),
        (10009, Auth, false),
        (10011, RateLimited, true),
        (10012, Quota, false),
        (10013, Quota, false),
        (10014, ProviderError, false),
        (10020, ProviderError, true),
        (10021, ProviderError, false),
        (270901, ProviderError, true),
        (270902, InvalidImage, false),
        (270903, RecognitionFailed, false),
    ];
    for (code, expected, retryable) in table {
        let reason = format!("原因{code}");
        for raw in [
            json!({"error_code": code, "reason": reason, "result": null}),
            json!({"error_code": code.to_string(), "reason": reason}),
        ] {
            let e = juhe::check_answer(&raw).unwrap_err();
            assert_eq!(e.code, expected, "{code}");
            assert_eq!(e.retryable, retryable, "{code}");
            assert_eq!(e.provider, Some(Provider::Juhe));
            assert_eq!(e.provider_code.as_deref(), Some(code.to_string().as_str()));
            assert_eq!(e.provider_message.as_deref(), Some(reason.as_str()));
        }
    }
    let e = juhe::check_answer(&json!({"error_code": 10008, "reason": "被禁止的IP"})).unwrap_err();
    assert!(e.message.contains("IP"), "{}", e.message);
    let e = juhe::check_answer(&json!({"error_code": 10014})).unwrap_err();
    assert!(e.message.contains("may have been processed"));
}

#[test]
fn juhe_unknown_and_odd_answers() {
    let e = juhe::check_answer(&json!({"error_code": 123456, "reason": "新错误"})).unwrap_err();
    assert_eq!(e.code, ErrorCode::ProviderError);
    assert_eq!(e.provider_code.as_deref(), Some("123456"));
    assert_eq!(e.provider_message.as_deref(), Some("新错误"));
    for raw in [
        json!({}),
        json!({"error_code": "x"}),
        json!([]),
        json!({"error_code": [0]}),
    ] {
        let e = juhe::check_answer(&raw).unwrap_err();
        assert_eq!(e.code, ErrorCode::ProviderError);
    }
    // Success with a missing or odd result: empty certificate, no panic.
    let c = cert(json!({"error_code": 0, "result": {"res": "nope"}}));
    assert_eq!(c.request_id, None);
    assert_eq!(c.vin, None);
}

/// With the real field rules (issue 6): the doc samples' known defects are reported, not hidden.
#[test]
fn doc_samples_carry_the_field_issues() {
    use vehicle_doc_ocr_core::fields::Severity;
    let f = front(v(APIHZ_FRONT));
    // The doc's sample VIN "123456789ABCDEFGH" fails the check digit.
    assert!(
        f.issues
            .iter()
            .any(|i| i.field == "vin" && i.severity == Severity::Error),
        "{:?}",
        f.issues
    );
    assert!(!f.valid);
    for i in &f.issues {
        assert!(
            !i.message.contains("123456789ABCDEFGH"),
            "issue echoes the value"
        );
    }
    let b = back(v(APIHZ_BACK));
    assert_eq!(b.inspection_valid_until.as_deref(), Some("2019-11"));
    let c = cert(v(JUHE_QUERY));
    assert_eq!(c.registration_date, None, "\"2\" is not a date");
    assert!(
        c.issues.iter().any(|i| i.field == "registrationDate"),
        "{:?}",
        c.issues
    );
    assert!(c.issues.iter().any(|i| i.field == "vin"), "{:?}", c.issues);
    assert!(!c.valid);
}

#[test]
fn front_date_order_and_future_checks() {
    let mut raw = v(APIHZ_FRONT);
    raw["RegisterDate"] = json!("2016年05月01日");
    raw["Vin"] = json!("LSVCY6C49MN027789");
    let f = match model::normalize(
        DocumentKind::VehicleLicenseFront,
        Provider::Apihz,
        None,
        raw,
        Some("2026-11-23".into()),
    ) {
        Recognized::VehicleLicenseFront(f) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(f.register_date.as_deref(), Some("2016-05-01"));
    assert!(
        f.issues.iter().any(|i| i.code == "DATE_ORDER"),
        "{:?}",
        f.issues
    );
    assert!(!f.valid);
}

/// Issue 10: each result says per field where it was read (the provider's own field name or
/// label, and its text as sent), so nothing outside the provider module re-encodes the mapping.
#[test]
fn results_name_the_source_of_every_field() {
    let src = |out: &Value, field: &str| {
        (
            out["sources"][field]["name"].as_str().map(str::to_owned),
            out["sources"][field]["text"].as_str().map(str::to_owned),
        )
    };
    let s = |a: &str, b: &str| (Some(a.to_owned()), Some(b.to_owned()));

    let out = serde_json::to_value(Recognized::VehicleLicenseFront(Box::new(front(v(
        APIHZ_FRONT,
    )))))
    .unwrap();
    assert_eq!(src(&out, "plateNumber"), s("PlateNo", "粤BB4321"));
    assert_eq!(
        src(&out, "issuingAuthority"),
        s("Seal", "广东省深圳市公安局交通警察支队")
    );
    assert_eq!(src(&out, "vinSuggestion"), s("Vin", "123456789ABCDEFGH"));

    let out = serde_json::to_value(Recognized::VehicleLicenseBack(Box::new(back(v(
        APIHZ_BACK,
    )))))
    .unwrap();
    assert_eq!(src(&out, "plateNumber"), s("PlateNo", "粤B 2177C"));
    assert_eq!(src(&out, "approvedLoadKg"), s("LoadQuality", "--"));
    assert_eq!(
        src(&out, "inspectionValidUntil"),
        s("Record", "检验有效期至2019年11月粤E(01)汽油")
    );

    let c = cert_with(&[
        ("车辆识别代号V车架号", "LSVCY6C49MN027789/LSVCY6C49MN027788"),
        ("排量V功率", "1598ml/85kw"),
        (
            "机动车所有人V身份证名称V号码",
            "张三V居民身份证V110101199003074578",
        ),
        (" 总 质 量 ", "1950kg"),
        ("总质量", "9999kg"),
    ]);
    let out = serde_json::to_value(Recognized::RegistrationCertificate(Box::new(c))).unwrap();
    assert_eq!(
        src(&out, "frameNumber"),
        s("车辆识别代号V车架号", "LSVCY6C49MN027789/LSVCY6C49MN027788")
    );
    assert_eq!(src(&out, "powerKw"), s("排量V功率", "1598ml/85kw"));
    assert_eq!(src(&out, "displacementMl"), s("排量V功率", "1598ml/85kw"));
    assert_eq!(
        src(&out, "owner").1.as_deref(),
        Some("张三V居民身份证V110101199003074578")
    );
    assert_eq!(
        src(&out, "totalMassKg"),
        s("总 质 量", "1950kg"),
        "the first occurrence of a label wins, named as sent"
    );
    assert_eq!(out["totalMassKg"], 1950);
    // Fields the provider did not send have no source.
    assert!(out["sources"].get("brand").is_none());

    // A field sent as null is listed without text.
    let f = front(json!({"code": 200, "PlateNo": null}));
    assert_eq!(f.sources["plateNumber"].name, "PlateNo");
    assert_eq!(f.sources["plateNumber"].text, None);
}

/// Every source names a field of its result: a typo in a provider's table cannot hide.
#[test]
fn every_source_is_a_result_field() {
    let all_juhe: Vec<(&str, &str)> = [
        "登记编号",
        "机动车所有人V身份证名称V号码",
        "登记机关",
        "登记日期",
        "机动车登记编号",
        "车辆类型",
        "车辆品牌",
        "车辆型号",
        "车身颜色",
        "车辆识别代号V车架号",
        "国产V进口",
        "发动机号",
        "发动机型号",
        "燃料种类",
        "排量V功率",
        "制造厂名称",
        "转向形式",
        "轮距",
        "轮胎数",
        "轮胎规格",
        "钢板弹簧片数",
        "轴距",
        "轴数",
        "外廓尺寸",
        "货厢内部尺寸",
        "总质量",
        "核定载质量",
        "核定载客",
        "准牵引总质量",
        "驾驶室载客",
        "使用性质",
        "车辆获得方式",
        "车辆出厂日期",
        "发证机关章",
        "发证日期",
    ]
    .iter()
    .map(|l| (*l, "1/2"))
    .collect();
    let mut front_all = json!({"code": 200});
    for (name, _) in apihz::FRONT_FIELDS {
        front_all[*name] = json!("x");
    }
    let mut back_all = json!({"code": 200});
    for (name, _) in apihz::BACK_FIELDS {
        back_all[*name] = json!("x");
    }
    for (out, expected) in [
        (
            serde_json::to_value(Recognized::VehicleLicenseFront(Box::new(front(front_all))))
                .unwrap(),
            apihz::FRONT_FIELDS.len() + 1, // + vinSuggestion
        ),
        (
            serde_json::to_value(Recognized::VehicleLicenseBack(Box::new(back(back_all)))).unwrap(),
            apihz::BACK_FIELDS.len() + 1, // + inspectionValidUntil
        ),
        (
            serde_json::to_value(Recognized::RegistrationCertificate(Box::new(cert_with(
                &all_juhe,
            ))))
            .unwrap(),
            all_juhe.len() + 3, // + frameNumber, powerKw, vinSuggestion
        ),
    ] {
        let sources = out["sources"].as_object().unwrap();
        assert_eq!(sources.len(), expected, "{:?}", sources.keys());
        for field in sources.keys() {
            assert!(
                out.get(field).is_some() && field != "sources" && field != "raw",
                "{field} is not a result field"
            );
        }
    }
}
