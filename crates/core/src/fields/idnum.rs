//! The certificate's owner composite and identity numbers (GB 11643 resident ID, GB 32100
//! unified social credit code).

use super::date::is_real_date;
use super::{codes, compact_upper, fold, text, Issues, Owner};

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const USCC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 17 digits and a digit or `X`.
fn looks_like_resident_id(n: &[char]) -> bool {
    n.len() == 18
        && n.iter().take(17).all(|c| c.is_ascii_digit())
        && n.get(17).is_some_and(|c| c.is_ascii_digit() || *c == 'X')
}

fn num(n: &[char], from: usize, len: usize) -> u32 {
    n.iter()
        .skip(from)
        .take(len)
        .fold(0, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0))
}

fn resident_check_ok(n: &[char]) -> bool {
    let sum: u32 = n
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    ID_CHECK.get((sum % 11) as usize) == n.get(17)
}

fn uscc_check_ok(n: &[char]) -> bool {
    let vals: Vec<Option<usize>> = n.iter().map(|c| USCC_CHARSET.find(*c)).collect();
    if n.len() != 18 || vals.iter().any(Option::is_none) {
        return false;
    }
    let sum: u32 = vals
        .iter()
        .zip(USCC_WEIGHTS)
        .map(|(v, w)| v.map_or(0, |v| v as u32) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    vals.get(17).copied().flatten() == Some(check as usize)
}

fn uscc_shape_ok(n: &[char]) -> bool {
    n.len() == 18 && n.iter().all(|c| USCC_CHARSET.contains(*c))
}

fn check_resident(field: &str, n: &[char], issues: &mut Issues) {
    if n.len() == 15 && n.iter().all(|c| c.is_ascii_digit()) {
        // First-generation ID: 6-digit area, YYMMDD birth date (19YY), 3-digit sequence.
        if !is_real_date(1900 + num(n, 6, 2), num(n, 8, 2), num(n, 10, 2)) {
            issues.error(
                field,
                codes::ID_BIRTHDATE,
                "The birth date inside the ID number does not exist.",
            );
        }
        return;
    }
    if !looks_like_resident_id(n) {
        issues.error(
            field,
            codes::ID_FORMAT,
            "A resident ID number has 18 characters: 17 digits and a digit or X (or 15 digits).",
        );
        return;
    }
    if !is_real_date(num(n, 6, 4), num(n, 10, 2), num(n, 12, 2)) {
        issues.error(
            field,
            codes::ID_BIRTHDATE,
            "The birth date inside the ID number does not exist.",
        );
    }
    if !resident_check_ok(n) {
        issues.error(
            field,
            codes::ID_CHECK_DIGIT,
            "The ID number's check digit (18th character) does not match the other characters.",
        );
    }
}

fn check_uscc(field: &str, n: &[char], issues: &mut Issues) {
    if !uscc_shape_ok(n) {
        issues.error(
            field,
            codes::USCC_FORMAT,
            "A unified social credit code has 18 characters of 0-9 and A-Y without I, O, S, V and Z.",
        );
    } else if !uscc_check_ok(n) {
        issues.error(
            field,
            codes::USCC_CHECK_DIGIT,
            "The credit code's check character (18th) does not match the other characters.",
        );
    }
}

/// Which check an ID type calls for.
enum Kind {
    Resident,
    Uscc,
    Other,
}

fn kind_of(id_type: &str) -> Kind {
    if id_type.contains("信用代码") {
        Kind::Uscc
    } else if id_type.contains("身份证") || id_type.contains("居住证") {
        Kind::Resident
    } else {
        Kind::Other
    }
}

/// Validate an identity number by its type:
/// - resident ID (type containing 身份证 or 居住证, or no type and 17 digits + digit/X that is
///   not a valid credit code): 18 characters with a real birth date (error `ID_BIRTHDATE`) and a
///   GB 11643 check digit (error `ID_CHECK_DIGIT`); a 15-digit first-generation number gets the
///   birth date check only; any other shape → error `ID_FORMAT`;
/// - unified social credit code (type containing 信用代码, or no type and an 18-character number
///   of the code's alphabet): GB 32100 check character (error `USCC_CHECK_DIGIT`; wrong shape
///   with the type given → error `USCC_FORMAT`);
/// - other types (passport, ...) and unrecognizable numbers without a type: unchecked.
///
/// The number is compared folded, without spaces, upper-cased.
pub fn check_id_number(field: &str, id_type: Option<&str>, number: &str, issues: &mut Issues) {
    let n: Vec<char> = compact_upper(number).chars().collect();
    if n.is_empty() {
        return;
    }
    match id_type.map(kind_of) {
        Some(Kind::Resident) => check_resident(field, &n, issues),
        Some(Kind::Uscc) => check_uscc(field, &n, issues),
        Some(Kind::Other) => {}
        None => {
            if looks_like_resident_id(&n) {
                if !uscc_check_ok(&n) {
                    check_resident(field, &n, issues);
                }
            } else if uscc_shape_ok(&n) {
                check_uscc(field, &n, issues);
            }
        }
    }
}

/// Whether a `V` at `i` separates parts: never at either end, and only when a neighbour (spaces
/// skipped) is not ASCII, so Latin names (`DAVID`, `VIVO`) stay whole.
fn is_v_separator(chars: &[char], i: usize) -> bool {
    let prev = chars
        .get(..i)
        .and_then(|p| p.iter().rev().find(|c| !c.is_whitespace()));
    let next = chars
        .get(i + 1..)
        .and_then(|p| p.iter().find(|c| !c.is_whitespace()));
    match (prev, next) {
        (Some(p), Some(n)) => !p.is_ascii() || !n.is_ascii(),
        _ => false,
    }
}

fn looks_like_number(s: &str) -> bool {
    let n = compact_upper(s);
    n.len() >= 6
        && n.chars().all(|c| c.is_ascii_alphanumeric())
        && n.chars().filter(char::is_ascii_digit).count() >= 4
}

fn looks_like_type(s: &str) -> bool {
    [
        "身份证",
        "代码",
        "护照",
        "执照",
        "通行证",
        "居住证",
        "证明",
        "军官证",
        "士兵证",
    ]
    .iter()
    .any(|k| s.contains(k))
}

/// The certificate's composite owner field, split on `V` or `/`:
/// `"张三V居民身份证V11010519491231002X"` → name, id type, id number (id number checked with
/// [`check_id_number`], issues on `"<field>.idNumber"`).
///
/// Separators: `/` (also full-width), and `V`/`v` next to a non-ASCII character (a Chinese name,
/// type or the Latin letters of a foreign name stay whole). With more than three parts the
/// extra ones stay in the name. Two parts: the last is the number if it looks like one (six or
/// more letters/digits, at least four digits), else the type if it names a document. One part:
/// a number or a name. The id number is folded, spaces removed, upper-cased; no issue for that.
pub fn owner(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<Owner> {
    let t = text(raw)?;
    let chars: Vec<char> = t.chars().collect();
    let seps: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            matches!(fold(**c), '/')
                || (matches!(fold(**c), 'V' | 'v') && is_v_separator(&chars, *i))
        })
        .map(|(i, _)| i)
        .collect();
    let slice = |from: usize, to: usize| -> Option<String> {
        text(Some(
            &chars
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .collect::<String>(),
        ))
    };
    let (name, id_type, id_number) = match seps.as_slice() {
        [] => {
            if looks_like_number(&t) {
                (None, None, Some(t))
            } else {
                (Some(t), None, None)
            }
        }
        [s] => {
            let (a, b) = (slice(0, *s), slice(s + 1, chars.len()));
            match b {
                Some(b) if looks_like_number(&b) => {
                    if a.as_deref().is_some_and(looks_like_type) {
                        (None, a, Some(b))
                    } else {
                        (a, None, Some(b))
                    }
                }
                Some(b) if looks_like_type(&b) => (a, Some(b), None),
                b => (a, None, b),
            }
        }
        [.., s1, s2] => (
            slice(0, *s1),
            slice(s1 + 1, *s2),
            slice(s2 + 1, chars.len()),
        ),
    };
    let id_number = id_number.map(|n| compact_upper(&n));
    if let Some(n) = id_number.as_deref() {
        check_id_number(&format!("{field}.idNumber"), id_type.as_deref(), n, issues);
    }
    if name.is_none() && id_type.is_none() && id_number.is_none() {
        return None;
    }
    Some(Owner {
        name,
        id_type,
        id_number,
    })
}
