//! Table-driven tests of the field rules with the provider docs' example values
//! (fixtures/providers/*.doc.json) and the CONTRACT.md §3 samples.

use vehicle_doc_ocr_core::fields::{
    self, codes, Context, CrossCheckDoc, CrossCheckInput, Dimensions, Issues, Severity,
};

fn cx() -> Context {
    Context {
        today: Some("2024-06-01".to_owned()),
    }
}

/// The (code, severity) pairs pushed, in order.
fn codes_of(is: &Issues) -> Vec<(&str, Severity)> {
    is.0.iter().map(|i| (i.code.as_str(), i.severity)).collect()
}

/// The expected (code, severity) pairs of one case.
type Codes = &'static [(&'static str, Severity)];
/// VIN as read, value, suggestion, issues.
type VinCase = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Codes,
);

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

#[test]
fn text_empty_markers_and_trimming() {
    let cases: &[(Option<&str>, Option<&str>)] = &[
        (None, None),
        (Some(""), None),
        (Some("--"), None),
        (Some("-"), None),
        (Some("—"), None),
        (Some("/"), None),
        (Some("无"), None),
        (Some("kg"), None),
        (Some("KG"), None),
        (Some("mm"), None),
        (Some("人"), None),
        (Some("k"), None),
        (Some("ml"), None),
        (Some("kw"), None),
        (Some("km/h"), None),
        (Some(" -- kg "), None),
        (Some("\u{3000}\u{3000}"), None),
        (Some("ｋｇ"), None),
        (Some("汽油"), Some("汽油")),
        (Some("\u{3000}非营运 "), Some("非营运")),
        (Some("方向盘"), Some("方向盘")),
        (Some("国产"), Some("国产")),
        (Some("2"), Some("2")),
        (Some("高m"), Some("高m")),
        (Some("8B12345"), Some("8B12345")),
        (
            Some("东风雪铁龙牌DC7183LYAA"),
            Some("东风雪铁龙牌DC7183LYAA"),
        ),
    ];
    for (raw, want) in cases {
        assert_eq!(fields::text(*raw).as_deref(), *want, "{raw:?}");
    }
}

#[test]
fn dates_all_formats_to_iso() {
    let cases = [
        "2015-04-11",
        "20150411",
        "2015.04.11",
        "2015/04/11",
        "2015年04月11日",
        "2015年4月11日",
        "2015年4月11",
        "２０１５－０４－１１",
        "２０１５年４月１１日",
        " 2015 年 4 月 11 日 ",
        "2015-4-11",
        "2015-04-11 00:00:00",
    ];
    for raw in cases {
        let mut is = Issues::default();
        assert_eq!(
            fields::date("issueDate", Some(raw), &cx(), &mut is).as_deref(),
            Some("2015-04-11"),
            "{raw}"
        );
        assert!(is.0.is_empty(), "{raw}: {:?}", is.0);
    }
}

#[test]
fn dates_empty_invalid_unreadable_future() {
    let cases: &[(Option<&str>, Option<&str>, Codes)] = &[
        (None, None, &[]),
        (Some(""), None, &[]),
        (Some("--"), None, &[]),
        (Some("2019-02-30"), None, &[(codes::DATE_INVALID, E)]),
        (Some("2019-13-01"), None, &[(codes::DATE_INVALID, E)]),
        (Some("20190230"), None, &[(codes::DATE_INVALID, E)]),
        (Some("2019年2月29日"), None, &[(codes::DATE_INVALID, E)]),
        (Some("2020年2月29日"), Some("2020-02-29"), &[]),
        (Some("0215-04-11"), None, &[(codes::DATE_INVALID, E)]),
        // juhe's doc prints "2" for 登记日期.
        (Some("2"), None, &[(codes::DATE_UNREADABLE, E)]),
        (Some("2015-04"), None, &[(codes::DATE_UNREADABLE, E)]),
        (Some("2015-04-11x"), None, &[(codes::DATE_UNREADABLE, E)]),
        (Some("四月"), None, &[(codes::DATE_UNREADABLE, E)]),
        (
            Some("2030-01-01"),
            Some("2030-01-01"),
            &[(codes::DATE_IN_FUTURE, E)],
        ),
        (Some("2024-06-01"), Some("2024-06-01"), &[]),
    ];
    for (raw, want, issues) in cases {
        let mut is = Issues::default();
        assert_eq!(
            fields::date("registerDate", *raw, &cx(), &mut is).as_deref(),
            *want,
            "{raw:?}"
        );
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
        assert!(is.0.iter().all(|i| i.field == "registerDate"));
    }
    // Without today, no future check.
    let mut is = Issues::default();
    assert_eq!(
        fields::date("d", Some("2030-01-01"), &Context::default(), &mut is).as_deref(),
        Some("2030-01-01")
    );
    assert!(is.0.is_empty());
}

#[test]
fn date_order() {
    let mut is = Issues::default();
    fields::check_date_order(
        ("registerDate", Some("2015-04-11")),
        ("issueDate", Some("2015-04-11")),
        &cx(),
        &mut is,
    );
    fields::check_date_order(
        ("registerDate", Some("2015-04-11")),
        ("issueDate", Some("2016-01-01")),
        &cx(),
        &mut is,
    );
    fields::check_date_order(
        ("registerDate", None),
        ("issueDate", Some("2016-01-01")),
        &cx(),
        &mut is,
    );
    fields::check_date_order(
        ("registerDate", Some("2016-01-01")),
        ("issueDate", None),
        &cx(),
        &mut is,
    );
    assert!(is.0.is_empty(), "{:?}", is.0);

    fields::check_date_order(
        ("registerDate", Some("2016-01-02")),
        ("issueDate", Some("2016-01-01")),
        &cx(),
        &mut is,
    );
    assert_eq!(codes_of(&is), [(codes::DATE_ORDER, E)]);
    assert_eq!(is.0[0].field, "issueDate");

    // A future date already reported by `date` is not reported twice.
    let mut is = Issues::default();
    let d = fields::date("issueDate", Some("2030-01-01"), &cx(), &mut is);
    fields::check_date_order(
        ("registerDate", Some("2015-04-11")),
        ("issueDate", d.as_deref()),
        &cx(),
        &mut is,
    );
    assert_eq!(codes_of(&is), [(codes::DATE_IN_FUTURE, E)]);
}

#[test]
fn inspection_month() {
    let cases: &[(Option<&str>, Option<&str>, Codes)] = &[
        (
            Some("检验有效期至2019年11月粤E(01)汽油"),
            Some("2019-11"),
            &[],
        ),
        (Some("检验有效期至2019-11粤E"), Some("2019-11"), &[]),
        (Some("检验有效期至2019.11"), Some("2019-11"), &[]),
        (Some("检验有效期至2019年1月"), Some("2019-01"), &[]),
        (Some("检验有效期至２０１９年１１月"), Some("2019-11"), &[]),
        (Some("检验有效期至 2019 年 11 月"), Some("2019-11"), &[]),
        (
            Some("检验有效期至2019年11月粤E 检验有效期至2021年11月粤E"),
            Some("2021-11"),
            &[],
        ),
        (Some("--"), None, &[]),
        (None, None, &[]),
        (Some("正常"), None, &[]),
        (
            Some("检验有效期至"),
            None,
            &[(codes::INSPECTION_UNREADABLE, W)],
        ),
        (
            Some("检验有效期至2019年13月"),
            None,
            &[(codes::INSPECTION_UNREADABLE, W)],
        ),
    ];
    for (raw, want, issues) in cases {
        let mut is = Issues::default();
        assert_eq!(
            fields::inspection_valid_until("inspectionValidUntil", *raw, &mut is).as_deref(),
            *want,
            "{raw:?}"
        );
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
    }
}

#[test]
fn quantities() {
    type F = fn(&str, Option<&str>, &mut Issues) -> Option<u32>;
    let cases: &[(F, Option<&str>, Option<u32>, Codes)] = &[
        (fields::persons, Some("5人"), Some(5), &[]),
        (fields::persons, Some("5"), Some(5), &[]),
        (fields::persons, Some("５人"), Some(5), &[]),
        (fields::persons, Some("人"), None, &[]),
        (fields::persons, Some("--"), None, &[]),
        (
            fields::persons,
            Some("0人"),
            Some(0),
            &[(codes::QUANTITY_IMPLAUSIBLE, W)],
        ),
        (
            fields::persons,
            Some("500人"),
            Some(500),
            &[(codes::QUANTITY_IMPLAUSIBLE, W)],
        ),
        (
            fields::persons,
            Some("五人"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (
            fields::persons,
            Some("5.5人"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (fields::mass_kg, Some("2085kg"), Some(2085), &[]),
        (fields::mass_kg, Some("2085 KG"), Some(2085), &[]),
        (fields::mass_kg, Some("2085"), Some(2085), &[]),
        (fields::mass_kg, Some("1610kg"), Some(1610), &[]),
        (fields::mass_kg, Some("２０８５ｋｇ"), Some(2085), &[]),
        (fields::mass_kg, Some("2.085t"), Some(2085), &[]),
        (fields::mass_kg, Some("2085(kg)"), Some(2085), &[]),
        (fields::mass_kg, Some("kg"), None, &[]),
        (
            fields::mass_kg,
            Some("NA"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (fields::mass_kg, Some("()"), None, &[]),
        (fields::mass_kg, Some("--"), None, &[]),
        (fields::mass_kg, Some("0kg"), Some(0), &[]),
        (
            fields::mass_kg,
            Some("2085.5kg"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (
            fields::mass_kg,
            Some("2085mm"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (
            fields::mass_kg,
            Some("200000kg"),
            Some(200_000),
            &[(codes::QUANTITY_IMPLAUSIBLE, W)],
        ),
        (
            fields::mass_kg,
            Some("99999999999kg"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (fields::length_mm, Some("2650mm"), Some(2650), &[]),
        (fields::length_mm, Some("2650"), Some(2650), &[]),
        (fields::length_mm, Some("2.65m"), Some(2650), &[]),
        (fields::length_mm, Some("mm"), None, &[]),
        (
            fields::length_mm,
            Some("40000mm"),
            Some(40_000),
            &[(codes::QUANTITY_IMPLAUSIBLE, W)],
        ),
        (
            fields::length_mm,
            Some("1560/1570mm"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (fields::count, Some("4"), Some(4), &[]),
        (fields::count, Some("2轴"), Some(2), &[]),
        (fields::count, Some(""), None, &[]),
        (
            fields::count,
            Some("四"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
    ];
    for (f, raw, want, issues) in cases {
        let mut is = Issues::default();
        assert_eq!(f("q", *raw, &mut is), *want, "{raw:?}");
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
    }
}

#[test]
fn dimensions() {
    let d = |l, w, h| {
        Some(Dimensions {
            length: l,
            width: w,
            height: h,
        })
    };
    let cases: &[(Option<&str>, Option<Dimensions>, Codes)] = &[
        (Some("4667×1839×1694mm"), d(4667, 1839, 1694), &[]),
        (Some("4667x1839x1694mm"), d(4667, 1839, 1694), &[]),
        (Some("4667X1839X1694"), d(4667, 1839, 1694), &[]),
        (Some("4667*1839*1694"), d(4667, 1839, 1694), &[]),
        (
            Some("４６６７×１８３９×１６９４ｍｍ"),
            d(4667, 1839, 1694),
            &[],
        ),
        (Some("4667 × 1839 × 1694 mm"), d(4667, 1839, 1694), &[]),
        (Some("4667mm×1839mm×1694mm"), d(4667, 1839, 1694), &[]),
        (Some("mm"), None, &[]),
        (Some("××mm"), None, &[]),
        (Some("--"), None, &[]),
        (Some(""), None, &[]),
        (
            Some("4667×1839mm"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (
            Some("4667××1694mm"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
        (Some("高m"), None, &[(codes::QUANTITY_UNREADABLE, W)]),
        (
            Some("46670×1839×1694mm"),
            d(46670, 1839, 1694),
            &[(codes::QUANTITY_IMPLAUSIBLE, W)],
        ),
    ];
    for (raw, want, issues) in cases {
        let mut is = Issues::default();
        assert_eq!(
            fields::dimensions_mm("dimensionsMm", *raw, &mut is),
            *want,
            "{raw:?}"
        );
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
    }
}

#[test]
fn masses_order() {
    let mut is = Issues::default();
    fields::check_masses(
        ("totalMassKg", Some(2085)),
        ("curbWeightKg", Some(1610)),
        &mut is,
    );
    fields::check_masses(("totalMassKg", None), ("curbWeightKg", Some(1610)), &mut is);
    assert!(is.0.is_empty());
    fields::check_masses(
        ("totalMassKg", Some(1085)),
        ("curbWeightKg", Some(1610)),
        &mut is,
    );
    fields::check_masses(
        ("totalMassKg", Some(1085)),
        ("curbWeightKg", Some(1610)),
        &mut is,
    );
    assert_eq!(codes_of(&is), [(codes::MASS_BELOW_CURB_WEIGHT, W)]);
    assert_eq!(is.0[0].field, "totalMassKg");
}

#[test]
fn plates() {
    let cases: &[(Option<&str>, Option<&str>, bool)] = &[
        (Some("粤B 2177C"), Some("粤B2177C"), true),
        (Some("粤BB4321"), Some("粤BB4321"), true),
        (Some("粤B·2177C"), Some("粤B2177C"), true),
        (Some("粤B•2177C"), Some("粤B2177C"), true),
        (Some("粤B.2177C"), Some("粤B2177C"), true),
        (Some("粤B-2177C"), Some("粤B2177C"), true),
        (Some("粤b\u{3000}2177c"), Some("粤B2177C"), true),
        (Some("粤Ｂ２１７７Ｃ"), Some("粤B2177C"), true),
        (Some("京AD12345"), Some("京AD12345"), true),
        (Some("京A12345D"), Some("京A12345D"), true),
        (Some("沪AF12345"), Some("沪AF12345"), true),
        (Some("粤A1234挂"), Some("粤A1234挂"), true),
        (Some("粤A1234学"), Some("粤A1234学"), true),
        (Some("粤A1234警"), Some("粤A1234警"), true),
        (Some("粤Z1234港"), Some("粤Z1234港"), true),
        (Some("粤Z1234澳"), Some("粤Z1234澳"), true),
        (Some("粤A1234领"), Some("粤A1234领"), true),
        (Some("京A1234应急"), Some("京A1234应急"), true),
        (Some("使123456"), Some("使123456"), true),
        (Some(""), None, true),
        (Some("--"), None, true),
        (None, None, true),
        // Unknown or misread formats: kept, warning only.
        (Some("粤B2177"), Some("粤B2177"), false),
        (Some("粤I2177C"), Some("粤I2177C"), false),
        (Some("粤B21O7C"), Some("粤B21O7C"), false),
        (Some("京A123456"), Some("京A123456"), false),
        (Some("XB2177C"), Some("XB2177C"), false),
        (Some("粤B21·77C"), Some("粤B21·77C"), false),
        (Some("123456789ABCDEFGH"), Some("123456789ABCDEFGH"), false),
    ];
    for (raw, want, valid) in cases {
        let mut is = Issues::default();
        assert_eq!(
            fields::plate("plateNumber", *raw, &mut is).as_deref(),
            *want,
            "{raw:?}"
        );
        let expect: &[(&str, Severity)] = if *valid {
            &[]
        } else {
            &[(codes::PLATE_FORMAT, W)]
        };
        assert_eq!(codes_of(&is), expect, "{raw:?}");
    }
}

#[test]
fn vins() {
    let cases: &[VinCase] = &[
        (
            Some("LBEHDAEB58Y038860"),
            Some("LBEHDAEB58Y038860"),
            None,
            &[],
        ),
        (
            Some("LSVCY6C49MN027789"),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        (
            Some("LZZ1ELSEXLW644557"),
            Some("LZZ1ELSEXLW644557"),
            None,
            &[],
        ),
        (
            Some("LFWSRXNH6AAD38754"),
            Some("LFWSRXNH6AAD38754"),
            None,
            &[],
        ),
        (
            Some("lsvcy6c49mn027789"),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        (
            Some(" LSVC Y6C4 9MN0 27789 "),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        (
            Some("ＬＳＶＣＹ６Ｃ４９ＭＮ０２７７８９"),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        // The licence prints a slashed zero.
        (
            Some("LSVCY6C49MNØ27789"),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        (
            Some("LSVCY6C49MNø27789"),
            Some("LSVCY6C49MN027789"),
            None,
            &[],
        ),
        (None, None, None, &[]),
        (Some("--"), None, None, &[]),
        (
            Some("ABCDEFGH123456789"),
            Some("ABCDEFGH123456789"),
            None,
            &[(codes::VIN_CHECK_DIGIT, E)],
        ),
        (
            Some("123456789ABCDEFGH"),
            Some("123456789ABCDEFGH"),
            None,
            &[(codes::VIN_CHECK_DIGIT, E)],
        ),
        (Some("高m"), Some("高M"), None, &[(codes::VIN_LENGTH, E)]),
        (
            Some("LSVCY6C49MN02778"),
            Some("LSVCY6C49MN02778"),
            None,
            &[(codes::VIN_LENGTH, E)],
        ),
        // One misread character with exactly one repair: suggestion + warning, value as read.
        (
            Some("LSVCY6C49MN0Z7789"),
            Some("LSVCY6C49MN0Z7789"),
            Some("LSVCY6C49MN027789"),
            &[(codes::VIN_SUGGESTION, W)],
        ),
        (
            Some("LSVCY6C49MNO27789"),
            Some("LSVCY6C49MNO27789"),
            Some("LSVCY6C49MN027789"),
            &[(codes::VIN_SUGGESTION, W)],
        ),
        (
            Some("LBEHDAEBS8Y038860"),
            Some("LBEHDAEBS8Y038860"),
            Some("LBEHDAEB58Y038860"),
            &[(codes::VIN_SUGGESTION, W)],
        ),
        (
            Some("IZZ1ELSEXLW644557"),
            Some("IZZ1ELSEXLW644557"),
            Some("LZZ1ELSEXLW644557"),
            &[(codes::VIN_SUGGESTION, W)],
        ),
        // Two or more repairs pass: no suggestion, the error stays.
        (
            Some("LBEHDAE858Y038860"),
            Some("LBEHDAE858Y038860"),
            None,
            &[(codes::VIN_CHECK_DIGIT, E)],
        ),
        (
            Some("1BEHDAEB58Y038860"),
            Some("1BEHDAEB58Y038860"),
            None,
            &[(codes::VIN_CHECK_DIGIT, E)],
        ),
        // Two characters a VIN never has: no single repair.
        (
            Some("LSVCY6C49MNO2778O"),
            Some("LSVCY6C49MNO2778O"),
            None,
            &[(codes::VIN_CHARSET, E)],
        ),
        (
            Some("LSVCY6C49MN02778中"),
            Some("LSVCY6C49MN02778中"),
            None,
            &[(codes::VIN_CHARSET, E)],
        ),
    ];
    for (raw, value, suggestion, issues) in cases {
        let mut is = Issues::default();
        let r = fields::vin("vin", *raw, &mut is);
        assert_eq!(r.value.as_deref(), *value, "{raw:?}");
        assert_eq!(r.suggestion.as_deref(), *suggestion, "{raw:?}");
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
    }
    assert!(fields::vin_is_valid("LZZ1ELSEXLW644557"));
    assert!(!fields::vin_is_valid("123456789ABCDEFGH"));
}

#[test]
fn id_numbers() {
    let cases: &[(Option<&str>, &str, Codes)] = &[
        (Some("居民身份证"), "11010519491231002X", &[]),
        (Some("居民身份证"), "11010519491231002x", &[]),
        (Some("居民身份证"), "110101199003074573", &[]),
        (
            Some("居民身份证"),
            "110101199003074578",
            &[(codes::ID_CHECK_DIGIT, E)],
        ),
        (
            Some("居民身份证"),
            "110101199002304578",
            &[(codes::ID_BIRTHDATE, E), (codes::ID_CHECK_DIGIT, E)],
        ),
        (
            Some("居民身份证"),
            "11010119900307457",
            &[(codes::ID_FORMAT, E)],
        ),
        (Some("身份证"), "110105491231002", &[]),
        (
            Some("身份证"),
            "110105491331002",
            &[(codes::ID_BIRTHDATE, E)],
        ),
        (None, "11010519491231002X", &[]),
        (None, "110101199003074578", &[(codes::ID_CHECK_DIGIT, E)]),
        (Some("统一社会信用代码"), "91350100M000100Y43", &[]),
        (Some("统一社会信用代码"), "91440300708461136T", &[]),
        (
            Some("统一社会信用代码"),
            "91440300708461136A",
            &[(codes::USCC_CHECK_DIGIT, E)],
        ),
        (
            Some("统一社会信用代码"),
            "9144030070846113",
            &[(codes::USCC_FORMAT, E)],
        ),
        (None, "91350100M000100Y43", &[]),
        (None, "91350100M000100Y44", &[(codes::USCC_CHECK_DIGIT, E)]),
        (Some("护照"), "E12345678", &[]),
        (None, "E12345678", &[]),
    ];
    for (ty, number, issues) in cases {
        let mut is = Issues::default();
        fields::check_id_number("owner.idNumber", *ty, number, &mut is);
        assert_eq!(codes_of(&is), *issues, "{ty:?} {number}");
    }
}

#[test]
fn owners() {
    let o = |n: Option<&str>, t: Option<&str>, i: Option<&str>| {
        Some(fields::Owner {
            name: n.map(str::to_owned),
            id_type: t.map(str::to_owned),
            id_number: i.map(str::to_owned),
        })
    };
    let cases: &[(Option<&str>, Option<fields::Owner>, Codes)] = &[
        (Some(""), None, &[]),
        (None, None, &[]),
        (Some("艾米"), o(Some("艾米"), None, None), &[]),
        (
            Some("张三V居民身份证V11010519491231002X"),
            o(Some("张三"), Some("居民身份证"), Some("11010519491231002X")),
            &[],
        ),
        (
            Some("张三/居民身份证/11010519491231002x"),
            o(Some("张三"), Some("居民身份证"), Some("11010519491231002X")),
            &[],
        ),
        (
            Some("张三 V 居民身份证 V 110101199003074578"),
            o(Some("张三"), Some("居民身份证"), Some("110101199003074578")),
            &[(codes::ID_CHECK_DIGIT, E)],
        ),
        (
            Some("VIVO移动通信有限公司V统一社会信用代码V91350100M000100Y43"),
            o(
                Some("VIVO移动通信有限公司"),
                Some("统一社会信用代码"),
                Some("91350100M000100Y43"),
            ),
            &[],
        ),
        (
            Some("DAVID SMITHV护照VE12345678"),
            o(Some("DAVID SMITH"), Some("护照"), Some("E12345678")),
            &[],
        ),
        (
            Some("张三V11010519491231002X"),
            o(Some("张三"), None, Some("11010519491231002X")),
            &[],
        ),
        (
            Some("张三V居民身份证"),
            o(Some("张三"), Some("居民身份证"), None),
            &[],
        ),
        (
            Some("11010519491231002X"),
            o(None, None, Some("11010519491231002X")),
            &[],
        ),
    ];
    for (raw, want, issues) in cases {
        let mut is = Issues::default();
        assert_eq!(fields::owner("owner", *raw, &mut is), *want, "{raw:?}");
        assert_eq!(codes_of(&is), *issues, "{raw:?}");
        assert!(is.0.iter().all(|i| i.field == "owner.idNumber"));
    }
}

fn doc(plate: Option<&str>, vin: Option<&str>, engine: Option<&str>) -> Option<CrossCheckDoc> {
    Some(CrossCheckDoc {
        plate_number: plate.map(str::to_owned),
        vin: vin.map(str::to_owned),
        engine_number: engine.map(str::to_owned),
    })
}

#[test]
fn cross_checks() {
    // Agreement after normalization; documents without a value are skipped.
    let agree = CrossCheckInput {
        front: doc(
            Some("粤B 2177C"),
            Some("LSVCY6C49MN027789"),
            Some("8B12345"),
        ),
        back: doc(Some("粤B·2177C"), None, None),
        certificate: doc(
            Some("粤B2177C"),
            Some("lsvcy6c49mn Ø27789"),
            Some("8b12345"),
        ),
    };
    assert!(fields::cross_check(&agree).is_empty());
    assert!(fields::cross_check(&CrossCheckInput::default()).is_empty());

    let disagree = CrossCheckInput {
        front: doc(Some("粤B2177C"), Some("LSVCY6C49MN027789"), Some("8B12345")),
        back: doc(Some("粤B2177C"), None, None),
        certificate: doc(Some("粤B2178C"), Some("LBEHDAEB58Y038860"), Some("8B12345")),
    };
    let issues = fields::cross_check(&disagree);
    let got: Vec<(&str, &str, Severity)> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.code.as_str(), i.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("plateNumber", codes::CROSS_MISMATCH, E),
            ("vin", codes::CROSS_MISMATCH, E)
        ]
    );
    assert_eq!(issues[0].message, "The plate number on the certificate does not match the one on the front page and the back page.");
    assert_eq!(
        issues[1].message,
        "The VIN differs between the front page and the certificate."
    );

    // The odd document first.
    let odd_first = CrossCheckInput {
        front: doc(Some("粤B2178C"), None, None),
        back: doc(Some("粤B2177C"), None, None),
        certificate: doc(Some("粤B2177C"), None, None),
    };
    let issues = fields::cross_check(&odd_first);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].message, "The plate number on the front page does not match the one on the back page and the certificate.");
}

#[test]
fn messages_never_contain_the_value() {
    let values = [
        "粤B21·77C",
        "LSVCY6C49MN0Z7789",
        "LBEHDAE858Y038860",
        "张三V居民身份证V110101199003074578",
        "2019-02-30",
        "2030-01-01",
        "五人",
        "4667×1839mm",
        "检验有效期至2019年13月",
    ];
    for v in values {
        let mut is = Issues::default();
        fields::plate("p", Some(v), &mut is);
        fields::vin("v", Some(v), &mut is);
        fields::owner("o", Some(v), &mut is);
        fields::date("d", Some(v), &cx(), &mut is);
        fields::persons("n", Some(v), &mut is);
        fields::dimensions_mm("m", Some(v), &mut is);
        fields::inspection_valid_until("i", Some(v), &mut is);
        assert!(!is.0.is_empty());
        for i in &is.0 {
            assert!(!i.message.contains(v), "{}", i.message);
            for part in [
                "张三",
                "110101199003074578",
                "LSVCY6C49MN0",
                "2177",
                "2019",
                "2030",
                "4667",
            ] {
                assert!(!i.message.contains(part), "{}", i.message);
            }
        }
    }
}

/// Displacement and power, read by the one number+unit reader (issue 10: no second parser).
#[test]
fn displacement_and_power() {
    let ml: &[(Option<&str>, Option<u32>, Codes)] = &[
        (Some("1598ml"), Some(1598), &[]),
        (Some("1598"), Some(1598), &[]),
        (Some("1598 CC"), Some(1598), &[]),
        (Some("1598毫升"), Some(1598), &[]),
        (Some("1.6L"), Some(1600), &[]),
        (Some("１．６Ｌ"), Some(1600), &[]),
        (Some("1.6升"), Some(1600), &[]),
        // Litres are rounded to the nearest ml (kept from the certificate's former parser).
        (Some("1.5987L"), Some(1599), &[]),
        (Some("1.0004l"), Some(1000), &[]),
        (Some("ml"), None, &[]),
        (Some("--"), None, &[]),
        (None, None, &[]),
        (Some("1598.5ml"), None, &[(codes::QUANTITY_UNREADABLE, W)]),
        (Some("1598kg"), None, &[(codes::QUANTITY_UNREADABLE, W)]),
        (Some("一点六升"), None, &[(codes::QUANTITY_UNREADABLE, W)]),
        (
            Some("99999999999ml"),
            None,
            &[(codes::QUANTITY_UNREADABLE, W)],
        ),
    ];
    for (raw, value, want) in ml {
        let mut is = Issues::default();
        assert_eq!(
            fields::displacement_ml("d", *raw, &mut is),
            *value,
            "{raw:?}"
        );
        assert_eq!(codes_of(&is), *want, "{raw:?}");
    }
    let kw: &[(Option<&str>, Option<f64>, Codes)] = &[
        (Some("85kw"), Some(85.0), &[]),
        (Some("85"), Some(85.0), &[]),
        (Some("85.5kW"), Some(85.5), &[]),
        (Some("８５ｋＷ"), Some(85.0), &[]),
        (Some("85千瓦"), Some(85.0), &[]),
        (Some("kw"), None, &[]),
        (Some("85hp"), None, &[(codes::QUANTITY_UNREADABLE, W)]),
    ];
    for (raw, value, want) in kw {
        let mut is = Issues::default();
        assert_eq!(fields::power_kw("p", *raw, &mut is), *value, "{raw:?}");
        assert_eq!(codes_of(&is), *want, "{raw:?}");
    }
}

#[test]
fn track_and_pairs() {
    assert_eq!(
        fields::track_mm(Some("1560/1570mm")).as_deref(),
        Some("1560/1570")
    );
    assert_eq!(
        fields::track_mm(Some("１５６０/１５７０ｍｍ")).as_deref(),
        Some("1560/1570")
    );
    assert_eq!(fields::track_mm(Some("mm")), None);
    assert_eq!(fields::track_mm(None), None);
    let pair = |s: Option<&str>| fields::split_pair(s);
    assert_eq!(
        pair(Some("1598ml/85kw")),
        (Some("1598ml".into()), Some("85kw".into()))
    );
    assert_eq!(pair(Some(" a ／ b ")), (Some("a".into()), Some("b".into())));
    assert_eq!(pair(Some("a")), (Some("a".into()), None));
    assert_eq!(pair(Some("/b")), (None, Some("b".into())));
    assert_eq!(pair(None), (None, None));
}

/// One message per issue code, whichever rule pushed it (issue 10: the certificate's former
/// displacement/power parser had its own wording for `QUANTITY_UNREADABLE`).
#[test]
fn one_message_per_issue_code() {
    let mut is = Issues::default();
    for v in ["五人", "x kg", "1598kg", "85hp", "4667×1839mm"] {
        fields::persons("a", Some(v), &mut is);
        fields::mass_kg("b", Some(v), &mut is);
        fields::length_mm("c", Some(v), &mut is);
        fields::count("d", Some(v), &mut is);
        fields::dimensions_mm("e", Some(v), &mut is);
        fields::displacement_ml("f", Some(v), &mut is);
        fields::power_kw("g", Some(v), &mut is);
    }
    let mut by_code: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for i in &is.0 {
        by_code.entry(&i.code).or_default().insert(&i.message);
    }
    assert!(by_code.contains_key(codes::QUANTITY_UNREADABLE));
    for (code, messages) in by_code {
        assert_eq!(messages.len(), 1, "{code}: {messages:?}");
    }
}
