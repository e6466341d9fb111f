//! Property tests: no provider string panics a field function or yields a non-ISO date, and a
//! VIN suggestion is always a valid VIN one character away from the value read.

use proptest::prelude::*;
use vehicle_doc_ocr_core::fields::{self, codes, Context, CrossCheckDoc, CrossCheckInput, Issues};

const VALID_VINS: [&str; 4] = [
    "LBEHDAEB58Y038860",
    "LSVCY6C49MN027789",
    "LZZ1ELSEXLW644557",
    "LFWSRXNH6AAD38754",
];

/// Strings made of the characters providers send: digits (ASCII and full-width), Latin
/// letters, CJK from dates/plates/units, separators, odd white space.
fn provider_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "0",
        "1",
        "2",
        "5",
        "8",
        "9",
        "１",
        "２",
        "０",
        "A",
        "B",
        "D",
        "I",
        "L",
        "O",
        "Q",
        "S",
        "V",
        "X",
        "Z",
        "x",
        "k",
        "g",
        "m",
        "t",
        "年",
        "月",
        "日",
        "至",
        "检验有效期",
        "有效期",
        "人",
        "粤",
        "京",
        "挂",
        "应急",
        "使",
        "-",
        "--",
        ".",
        "/",
        "·",
        "×",
        "*",
        " ",
        "\u{3000}",
        "Ø",
        "ø",
        "kg",
        "mm",
        "居民身份证",
        "统一社会信用代码",
        "(",
        ")",
        "2019",
        "11",
        "30",
        "\u{200B}",
        "\u{FEFF}",
        "é",
        "😀",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![provider_like(), any::<String>(), "\\PC{0,40}"]
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    if !s
        .chars()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return false;
    }
    let (y, m, d): (u32, u32, u32) = (
        s[0..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..10].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= dim[(m - 1) as usize]
}

fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_function_panics(s in any_text(), t in any_text()) {
        let cx = Context { today: Some("2024-06-01".to_owned()) };
        let odd_cx = Context { today: Some(t.clone()) };
        let mut is = Issues::default();
        let _ = fields::text(Some(&s));
        let d = fields::date("d", Some(&s), &cx, &mut is);
        let _ = fields::date("d", Some(&s), &odd_cx, &mut is);
        fields::check_date_order(("a", Some(&s)), ("b", Some(&t)), &odd_cx, &mut is);
        fields::check_date_order(("a", d.as_deref()), ("b", Some("2000-01-01")), &cx, &mut is);
        let _ = fields::inspection_valid_until("i", Some(&s), &mut is);
        let _ = fields::persons("p", Some(&s), &mut is);
        let _ = fields::mass_kg("m", Some(&s), &mut is);
        let _ = fields::length_mm("l", Some(&s), &mut is);
        let _ = fields::count("c", Some(&s), &mut is);
        let _ = fields::dimensions_mm("x", Some(&s), &mut is);
        let _ = fields::displacement_ml("dm", Some(&s), &mut is);
        let _ = fields::power_kw("pk", Some(&s), &mut is);
        let _ = fields::track_mm(Some(&s));
        let _ = fields::split_pair(Some(&s));
        let _ = fields::plate("pl", Some(&s), &mut is);
        let _ = fields::vin("v", Some(&s), &mut is);
        let _ = fields::owner("o", Some(&s), &mut is);
        fields::check_id_number("n", Some(&t), &s, &mut is);
        fields::check_id_number("n", None, &s, &mut is);
        let d = CrossCheckDoc { plate_number: Some(s.clone()), vin: Some(s.clone()), engine_number: Some(t.clone()) };
        let e = CrossCheckDoc { plate_number: Some(t.clone()), vin: Some(t.clone()), engine_number: Some(s.clone()) };
        let _ = fields::cross_check(&CrossCheckInput { front: Some(d), back: None, certificate: Some(e) });
        // Every message is non-empty plain text and never carries the (non-trivial) value.
        for i in &is.0 {
            prop_assert!(!i.message.is_empty());
            if s.chars().count() >= 4 && s.trim() == s {
                prop_assert!(!i.message.contains(&s), "{}", i.message);
            }
        }
    }

    #[test]
    fn date_is_always_a_real_iso_date(s in any_text()) {
        let mut is = Issues::default();
        if let Some(d) = fields::date("d", Some(&s), &Context::default(), &mut is) {
            prop_assert!(is_iso_date(&d), "{d}");
        } else if fields::text(Some(&s)).is_some() {
            // Non-empty and no date: always an error.
            prop_assert!(is.has_errors());
        }
    }

    #[test]
    fn generated_dates_round_trip(y in 1900u32..2200, m in 1u32..13, d in 1u32..32, form in 0usize..5) {
        let raw = match form {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}{m:02}{d:02}"),
            2 => format!("{y}.{m:02}.{d:02}"),
            3 => format!("{y}/{m:02}/{d:02}"),
            _ => format!("{y}年{m}月{d}日"),
        };
        let iso = format!("{y}-{m:02}-{d:02}");
        let mut is = Issues::default();
        let got = fields::date("d", Some(&raw), &Context::default(), &mut is);
        if is_iso_date(&iso) {
            prop_assert_eq!(got, Some(iso));
            prop_assert!(is.0.is_empty());
        } else {
            prop_assert_eq!(got, None);
            prop_assert_eq!(is.0[0].code.as_str(), codes::DATE_INVALID);
        }
    }

    #[test]
    fn inspection_is_always_year_month(s in any_text()) {
        let mut is = Issues::default();
        if let Some(ym) = fields::inspection_valid_until("i", Some(&s), &mut is) {
            prop_assert!(is_year_month(&ym), "{ym}");
        }
        prop_assert!(!is.has_errors());
    }

    #[test]
    fn vin_suggestion_is_valid_and_one_character_away(
        s in prop_oneof![
            "[0-9A-Z]{17}",
            "[0-9ABDILOQSZ85]{17}",
            (0usize..4, 0usize..17, prop::sample::select(vec!['0', 'O', 'D', 'Q', '1', 'I', 'L', '8', 'B', '5', 'S', '2', 'Z']))
                .prop_map(|(v, i, c)| {
                    let mut chars: Vec<char> = VALID_VINS[v].chars().collect();
                    chars[i] = c;
                    chars.into_iter().collect::<String>()
                }),
            any_text(),
        ]
    ) {
        let mut is = Issues::default();
        let r = fields::vin("vin", Some(&s), &mut is);
        if let Some(sugg) = &r.suggestion {
            let value = r.value.as_deref().unwrap();
            prop_assert!(fields::vin_is_valid(sugg));
            prop_assert!(!sugg.contains(['I', 'O', 'Q']));
            prop_assert_eq!(sugg.chars().count(), 17);
            let diffs = sugg.chars().zip(value.chars()).filter(|(a, b)| a != b).count();
            prop_assert_eq!(diffs, 1);
            prop_assert_eq!(&is.0.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), &[codes::VIN_SUGGESTION]);
            prop_assert!(!is.has_errors());
        }
        // Nothing is silently changed: a valid value has no issue, any other has exactly one.
        match r.value.as_deref() {
            Some(v) if fields::vin_is_valid(v) => prop_assert!(is.0.is_empty()),
            Some(_) => prop_assert_eq!(is.0.len(), 1),
            None => prop_assert!(is.0.is_empty()),
        }
    }

    #[test]
    fn quantities_round_trip(n in 0u32..1_000_000, unit in prop::sample::select(vec!["", "kg", "KG", " kg", "ｋｇ"])) {
        let mut is = Issues::default();
        prop_assert_eq!(fields::mass_kg("m", Some(&format!("{n}{unit}")), &mut is), Some(n));
        prop_assert!(!is.has_errors());
    }

    #[test]
    fn displacement_litres_round_to_the_nearest_ml(ml in 0u32..100_000_000, unit in prop::sample::select(vec!["L", "l", "升", " L"])) {
        // `ml` thousandths of a litre, written with three decimals, read back exactly.
        let mut is = Issues::default();
        let text = format!("{}.{:03}{unit}", ml / 1000, ml % 1000);
        prop_assert_eq!(fields::displacement_ml("d", Some(&text), &mut is), Some(ml));
        prop_assert!(is.0.is_empty());
    }

    #[test]
    fn dimensions_round_trip(l in 1u32..30_001, w in 1u32..30_001, h in 1u32..30_001,
                             sep in prop::sample::select(vec!["×", "x", "X", "*", " × "])) {
        let mut is = Issues::default();
        let d = fields::dimensions_mm("d", Some(&format!("{l}{sep}{w}{sep}{h}mm")), &mut is).unwrap();
        prop_assert_eq!((d.length, d.width, d.height), (l, w, h));
        prop_assert!(is.0.is_empty());
    }

    #[test]
    fn plate_never_errors(s in any_text()) {
        let mut is = Issues::default();
        let _ = fields::plate("p", Some(&s), &mut is);
        prop_assert!(!is.has_errors());
        prop_assert!(is.0.len() <= 1);
    }
}

/// Every single OCR misread of every sample VIN: a suggestion, when given, is the original.
#[test]
fn vin_single_misread_repairs_to_the_original_or_nothing() {
    let groups: [&str; 5] = ["0ODQ", "1IL", "8B", "5S", "2Z"];
    let mut suggested = 0;
    for original in VALID_VINS {
        for (i, from) in original.chars().enumerate() {
            for g in groups.iter().filter(|g| g.contains(from)) {
                for c in g.chars().filter(|c| *c != from) {
                    let mut chars: Vec<char> = original.chars().collect();
                    chars[i] = c;
                    let misread: String = chars.into_iter().collect();
                    let mut is = Issues::default();
                    let r = fields::vin("vin", Some(&misread), &mut is);
                    assert_eq!(r.value.as_deref(), Some(misread.as_str()));
                    if fields::vin_is_valid(&misread) {
                        continue;
                    }
                    match r.suggestion.as_deref() {
                        Some(s) => {
                            assert_eq!(s, original, "{misread}");
                            suggested += 1;
                        }
                        None => assert!(is.has_errors(), "{misread}"),
                    }
                }
            }
        }
    }
    // Most single misreads of the samples have exactly one repair.
    assert!(suggested >= 30, "{suggested}");
}
