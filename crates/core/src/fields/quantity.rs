//! Quantities: persons, masses, lengths, counts, dimensions.

use super::{codes, fold, text, Dimensions, Issues};

/// Units accepted per quantity kind (lower-cased) and the factor to the base unit.
const PERSON_UNITS: &[(&str, u64)] = &[("", 1), ("人", 1), ("座", 1)];
const MASS_UNITS: &[(&str, u64)] = &[
    ("", 1),
    ("kg", 1),
    ("千克", 1),
    ("公斤", 1),
    ("t", 1000),
    ("吨", 1000),
];
const LENGTH_UNITS: &[(&str, u64)] = &[
    ("", 1),
    ("mm", 1),
    ("毫米", 1),
    ("cm", 10),
    ("m", 1000),
    ("米", 1000),
];
const COUNT_UNITS: &[(&str, u64)] = &[
    ("", 1),
    ("个", 1),
    ("根", 1),
    ("片", 1),
    ("轴", 1),
    ("条", 1),
    ("只", 1),
    ("组", 1),
];

/// Plausible ranges (outside → warning `QUANTITY_IMPLAUSIBLE`, value kept). Persons go up to
/// 200 because articulated city buses are approved for 150+ including standing passengers.
const MAX_PERSONS: u32 = 200;
const MAX_MASS_KG: u32 = 100_000;
const MAX_LENGTH_MM: u32 = 30_000;
const MAX_COUNT: u32 = 1_000;

enum Parsed {
    /// Nothing left once spaces and brackets are removed.
    Empty,
    Value(u32),
    Unreadable,
}

/// Folded, lower-cased, without white space and brackets: `"２０８５ (KG)"` → `"2085kg"`.
fn squeeze(t: &str) -> String {
    t.chars()
        .map(fold)
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）'))
        .collect::<String>()
        .to_lowercase()
}

/// `"2085kg"`, `"2085 KG"`, `"2.085t"`, `"２０８５"`, `"2085(kg)"` → 2085 with the given units.
/// A decimal is accepted only when the value in the base unit is a whole number.
fn parse(t: &str, units: &[(&str, u64)]) -> Parsed {
    let s = squeeze(t);
    if s.is_empty() {
        return Parsed::Empty;
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        // Dashes and bare units were already taken as empty by `text`.
        return Parsed::Unreadable;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    let Some(&(_, factor)) = units.iter().find(|(u, _)| *u == unit) else {
        return Parsed::Unreadable;
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() || int.len() > 9 || frac.len() > 6 || frac.contains('.') {
        return Parsed::Unreadable;
    }
    let Ok(int) = int.parse::<u64>() else {
        return Parsed::Unreadable;
    };
    let frac_v = match frac {
        "" => 0,
        f => match f.parse::<u64>() {
            Ok(v) => v,
            Err(_) => return Parsed::Unreadable,
        },
    };
    let scale = 10u64.pow(frac.len() as u32);
    let frac_base = frac_v * factor;
    if frac_base % scale != 0 {
        return Parsed::Unreadable;
    }
    match u32::try_from(int * factor + frac_base / scale) {
        Ok(v) => Parsed::Value(v),
        Err(_) => Parsed::Unreadable,
    }
}

fn unreadable(field: &str, issues: &mut Issues) {
    issues.warning(
        field,
        codes::QUANTITY_UNREADABLE,
        "The value could not be read as a number with an expected unit.",
    );
}

fn implausible(field: &str, issues: &mut Issues) {
    if !issues.contains(field, codes::QUANTITY_IMPLAUSIBLE) {
        issues.warning(
            field,
            codes::QUANTITY_IMPLAUSIBLE,
            "The value is outside the physically plausible range; it was probably misread.",
        );
    }
}

fn quantity(
    field: &str,
    raw: Option<&str>,
    units: &[(&str, u64)],
    ok: impl Fn(u32) -> bool,
    issues: &mut Issues,
) -> Option<u32> {
    let t = text(raw)?;
    match parse(&t, units) {
        Parsed::Empty => None,
        Parsed::Unreadable => {
            unreadable(field, issues);
            None
        }
        Parsed::Value(v) => {
            if !ok(v) {
                implausible(field, issues);
            }
            Some(v)
        }
    }
}

/// `"5人"`, `"5"`, `"５人"` → 5. 0 or more than 200 → warning `QUANTITY_IMPLAUSIBLE` (kept);
/// anything else → `None` + warning `QUANTITY_UNREADABLE`.
pub fn persons(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<u32> {
    quantity(
        field,
        raw,
        PERSON_UNITS,
        |v| (1..=MAX_PERSONS).contains(&v),
        issues,
    )
}

/// `"2085kg"`, `"2085 KG"`, `"2085"`, `"2.085t"` → 2085. Above 100 000 kg → warning
/// `QUANTITY_IMPLAUSIBLE` (0 is allowed: an approved load or towing mass may be 0).
pub fn mass_kg(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<u32> {
    quantity(field, raw, MASS_UNITS, |v| v <= MAX_MASS_KG, issues)
}

/// `"2650mm"`, `"2650"`, `"2.65m"` → 2650. 0 or above 30 000 mm → warning `QUANTITY_IMPLAUSIBLE`.
pub fn length_mm(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<u32> {
    quantity(
        field,
        raw,
        LENGTH_UNITS,
        |v| (1..=MAX_LENGTH_MM).contains(&v),
        issues,
    )
}

/// A plain count (`"4"` tyres, `"2"` axles, `"4个"`). Above 1000 → warning `QUANTITY_IMPLAUSIBLE`.
pub fn count(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<u32> {
    quantity(field, raw, COUNT_UNITS, |v| v <= MAX_COUNT, issues)
}

/// `"4667×1839×1694mm"` → `{ length: 4667, width: 1839, height: 1694 }`. Separators `×`, `x`,
/// `X`, `*`, `✕` (full-width too); the unit `mm` may follow the last or every number. `"××mm"`
/// is empty; any other shape → `None` + warning `QUANTITY_UNREADABLE`; a side of 0 or above
/// 30 000 mm → warning `QUANTITY_IMPLAUSIBLE` (kept).
pub fn dimensions_mm(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<Dimensions> {
    let s = squeeze(&text(raw)?);
    let s = s
        .strip_suffix("mm")
        .or_else(|| s.strip_suffix("毫米"))
        .unwrap_or(&s);
    let parts: Vec<&str> = s.split(['×', 'x', '*', '✕', '╳']).collect();
    if parts
        .iter()
        .all(|p| p.is_empty() || *p == "mm" || p.chars().all(|c| "-—/".contains(c)))
    {
        return None;
    }
    let mut sides = Vec::with_capacity(3);
    for p in &parts {
        let p = p.strip_suffix("mm").unwrap_or(p);
        match parse(p, &[("", 1)]) {
            Parsed::Value(v) => sides.push(v),
            _ => {
                unreadable(field, issues);
                return None;
            }
        }
    }
    let [length, width, height] = sides.as_slice() else {
        unreadable(field, issues);
        return None;
    };
    if sides.iter().any(|v| !(1..=MAX_LENGTH_MM).contains(v)) {
        implausible(field, issues);
    }
    Some(Dimensions {
        length: *length,
        width: *width,
        height: *height,
    })
}

/// Warning `MASS_BELOW_CURB_WEIGHT` (on the total's field) when the total mass is below the curb
/// weight, which is physically impossible: one of the two was misread. Nothing when either is
/// `None` or the warning is already there.
pub fn check_masses(total: (&str, Option<u32>), curb: (&str, Option<u32>), issues: &mut Issues) {
    if let (Some(t), Some(c)) = (total.1, curb.1) {
        if t < c && !issues.contains(total.0, codes::MASS_BELOW_CURB_WEIGHT) {
            issues.warning(
                total.0,
                codes::MASS_BELOW_CURB_WEIGHT,
                format!(
                    "The total mass is below {}; one of the two was probably misread.",
                    curb.0
                ),
            );
        }
    }
}
