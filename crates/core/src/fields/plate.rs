//! Plate numbers (号牌号码).

use super::{codes, compact_upper, text, Issues};

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// Last characters that may replace the fifth serial character of an ordinary plate:
/// trailer, driving school, police, Hong Kong, Macau, consulate.
const ORDINARY_SUFFIXES: &str = "挂学警港澳领";

/// Separators printed between the issuing letter and the serial.
fn is_separator(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | '.' | '-' | '‧' | '∙' | '⋅' | '_')
}

/// Issuing letter: A–Z without I and O.
fn is_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}

/// Serial character: [A-HJ-NP-Z0-9].
fn is_serial(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c)
}

/// Spaces removed everywhere, one run of separators right after the issuing letter removed,
/// full-width forms folded, ASCII upper-cased. Nothing else changes.
pub(crate) fn normalize(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut in_run = true;
    for (i, c) in compact_upper(t).chars().enumerate() {
        if i >= 2 && in_run && is_separator(c) {
            continue;
        }
        if i >= 2 {
            in_run = false;
        }
        out.push(c);
    }
    out
}

/// Whether a normalized plate matches a known format:
/// - ordinary: province + letter + 5 serial characters, the last may be 挂 学 警 港 澳 领;
/// - new energy: province + letter + 6 serial characters with D or F first or last;
/// - emergency: province + letter + 4 serial characters + 应急;
/// - embassy: 使 + 6 digits.
pub(crate) fn is_valid(p: &str) -> bool {
    let c: Vec<char> = p.chars().collect();
    if let [first, rest @ ..] = c.as_slice() {
        if *first == '使' {
            return rest.len() == 6 && rest.iter().all(|c| c.is_ascii_digit());
        }
    }
    let [province, letter, serial @ ..] = c.as_slice() else {
        return false;
    };
    if !PROVINCES.contains(*province) || !is_letter(*letter) {
        return false;
    }
    match serial {
        [a, b, c, d, '应', '急'] => [a, b, c, d].iter().all(|c| is_serial(**c)),
        [head @ .., last] if serial.len() == 5 => {
            head.iter().all(|c| is_serial(*c))
                && (is_serial(*last) || ORDINARY_SUFFIXES.contains(*last))
        }
        [first, .., last] if serial.len() == 6 => {
            serial.iter().all(|c| is_serial(*c))
                && (matches!(first, 'D' | 'F') || matches!(last, 'D' | 'F'))
        }
        _ => false,
    }
}

/// Plate number without spaces or the `·` after the issuing letter (normalization, no issue).
/// A value matching no known format is kept with warning `PLATE_FORMAT` (never an error:
/// special plates exist that the rules here do not know).
pub fn plate(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<String> {
    let p = normalize(&text(raw)?);
    if !is_valid(&p) {
        issues.warning(
            field,
            codes::PLATE_FORMAT,
            "The plate number does not match a known Chinese plate format.",
        );
    }
    Some(p)
}
