//! VIN (车辆识别代号): normalization, check digit, single-character OCR repair.

use super::{codes, compact_upper, text, Issues, VinResult};

/// Weights of the 17 positions (position 9, the check digit itself, weighs 0).
const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Characters OCR confuses; a repair swaps one character for another of its group.
const CONFUSIONS: &[&[char]] = &[
    &['0', 'O', 'D', 'Q'],
    &['1', 'I', 'L'],
    &['8', 'B'],
    &['5', 'S'],
    &['2', 'Z'],
];

/// The value of a VIN character, `None` for a character a VIN never has (I, O, Q, non-ASCII...).
fn value(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c.to_digit(10)?,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None,
    })
}

/// Upper-case ASCII, no white space, full-width forms folded, the slashed zero (`Ø`, `ø`, `∅`)
/// printed on the licence read as `0`.
pub(crate) fn normalize(t: &str) -> String {
    compact_upper(t).replace(['Ø', 'ø', '∅'], "0")
}

fn charset_ok(v: &[char]) -> bool {
    v.iter().all(|c| value(*c).is_some())
}

fn check_ok(v: &[char]) -> bool {
    if v.len() != 17 {
        return false;
    }
    let mut sum = 0;
    for (c, w) in v.iter().zip(WEIGHTS) {
        match value(*c) {
            Some(x) => sum += x * w,
            None => return false,
        }
    }
    let expected = match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10).unwrap_or('?'),
    };
    v.get(8) == Some(&expected)
}

/// Whether `vin` (already normalized) is 17 valid characters with a matching check digit.
pub fn vin_is_valid(vin: &str) -> bool {
    let v: Vec<char> = vin.chars().collect();
    charset_ok(&v) && check_ok(&v)
}

/// Every VIN one confusable-character swap away from `v` that passes (I, O, Q never produced).
fn candidates(v: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in v.iter().enumerate() {
        let Some(group) = CONFUSIONS.iter().find(|g| g.contains(c)) else {
            continue;
        };
        for alt in group.iter().filter(|a| *a != c && value(**a).is_some()) {
            let mut cand = v.to_vec();
            if let Some(slot) = cand.get_mut(i) {
                *slot = *alt;
            }
            if check_ok(&cand) {
                out.push(cand.iter().collect());
            }
        }
    }
    out
}

/// VIN, normalized (upper-cased, spaces removed, `Ø` → `0`; no issue for that) and checked:
/// - not 17 characters → error `VIN_LENGTH`;
/// - a character other than digits and capital letters except I, O, Q → error `VIN_CHARSET`;
/// - check digit (position 9) wrong → error `VIN_CHECK_DIGIT`;
/// - in the two last cases, when exactly one swap of one OCR-confusable character (0/O/D/Q,
///   1/I/L, 8/B, 5/S, 2/Z) makes the VIN valid, that VIN is the `suggestion` and the issue is
///   warning `VIN_SUGGESTION` instead; the value stays as read. Two or more candidates → no
///   suggestion, the error stays.
pub fn vin(field: &str, raw: Option<&str>, issues: &mut Issues) -> VinResult {
    let Some(t) = text(raw) else {
        return VinResult::default();
    };
    let value = normalize(&t);
    let v: Vec<char> = value.chars().collect();
    let mut suggestion = None;
    if v.len() != 17 {
        issues.error(
            field,
            codes::VIN_LENGTH,
            format!("A VIN has 17 characters; this one has {}.", v.len()),
        );
    } else if !charset_ok(&v) || !check_ok(&v) {
        let mut found = candidates(&v);
        if found.len() == 1 {
            suggestion = found.pop();
            issues.warning(
                field,
                codes::VIN_SUGGESTION,
                "The VIN fails its check; changing one commonly misread character makes it pass (see the suggestion).",
            );
        } else if !charset_ok(&v) {
            issues.error(
                field,
                codes::VIN_CHARSET,
                "The VIN contains a character a VIN never has (only digits and capital letters except I, O and Q).",
            );
        } else {
            issues.error(
                field,
                codes::VIN_CHECK_DIGIT,
                "The VIN's check digit (9th character) does not match the other characters.",
            );
        }
    }
    VinResult {
        value: Some(value),
        suggestion,
    }
}
