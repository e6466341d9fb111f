//! Quantities: persons, masses, lengths, counts, dimensions, displacement, power, track. The
//! one number+unit reader of the crate ([`parse`]); one message per issue code.

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
const DISPLACEMENT_UNITS: &[(&str, u64)] = &[
    ("", 1),
    ("ml", 1),
    ("cc", 1),
    ("毫升", 1),
    ("l", 1000),
    ("升", 1000),
];
const POWER_UNITS: &[(&str, u64)] = &[("", 1), ("kw", 1), ("千瓦", 1)];
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

/// A number read with its unit: `int.frac` (`frac_len` decimals) times `factor` base units.
#[derive(Debug, Clone, Copy)]
struct Number {
    int: u64,
    frac: u64,
    frac_len: u32,
    factor: u64,
}

impl Number {
    /// The value in base units when it is a whole number that fits.
    fn exact(self) -> Option<u32> {
        let scale = 10u64.pow(self.frac_len);
        let frac_base = self.frac * self.factor;
        if !frac_base.is_multiple_of(scale) {
            return None;
        }
        u32::try_from(self.int * self.factor + frac_base / scale).ok()
    }
    /// The value in base units, rounded half up to a whole number (`1.5987 L` → 1599 ml).
    fn rounded(self) -> Option<u32> {
        let scale = 10u64.pow(self.frac_len);
        let frac_base = self.frac * self.factor;
        u32::try_from(self.int * self.factor + (frac_base + scale / 2) / scale).ok()
    }
    /// The value in base units as a decimal (`85.5 kW` → 85.5).
    fn decimal(self) -> f64 {
        let scale = 10u64.pow(self.frac_len) as f64;
        (self.int as f64 + self.frac as f64 / scale) * self.factor as f64
    }
}

enum Parsed {
    /// Nothing left once spaces and brackets are removed.
    Empty,
    Value(Number),
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

/// The one number+unit reader: `"2085kg"`, `"2085 KG"`, `"2.085t"`, `"２０８５"`, `"2085(kg)"`
/// with the given units (at most 9 integer and 6 decimal digits).
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
    Parsed::Value(Number {
        int,
        frac: frac_v,
        frac_len: frac.len() as u32,
        factor,
    })
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
    let v = read(field, raw, units, Number::exact, issues)?;
    if !ok(v) {
        implausible(field, issues);
    }
    Some(v)
}

/// The text of `raw` read with `units` and turned into a value by `value`; empty markers are
/// `None`, anything unreadable is `None` + warning `QUANTITY_UNREADABLE`.
fn read<T>(
    field: &str,
    raw: Option<&str>,
    units: &[(&str, u64)],
    value: impl Fn(Number) -> Option<T>,
    issues: &mut Issues,
) -> Option<T> {
    let t = text(raw)?;
    match parse(&t, units) {
        Parsed::Empty => None,
        Parsed::Value(n) => match value(n) {
            Some(v) => Some(v),
            None => {
                unreadable(field, issues);
                None
            }
        },
        Parsed::Unreadable => {
            unreadable(field, issues);
            None
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
        let side = match parse(p, &[("", 1)]) {
            Parsed::Value(n) => n.exact(),
            _ => None,
        };
        match side {
            Some(v) => sides.push(v),
            None => {
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

/// Displacement: `"1598ml"`, `"1598"`, `"1598cc"`, `"1.6L"` → ml. Litres are rounded to the
/// nearest ml (`"1.5987L"` → 1599); millilitres must be whole. Anything else → `None` + warning
/// `QUANTITY_UNREADABLE`.
pub fn displacement_ml(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<u32> {
    read(
        field,
        raw,
        DISPLACEMENT_UNITS,
        |n| {
            if n.factor == 1 {
                n.exact()
            } else {
                n.rounded()
            }
        },
        issues,
    )
}

/// Power: `"85kw"`, `"85"`, `"85.5kW"`, `"85千瓦"` → kW (decimals kept).
pub fn power_kw(field: &str, raw: Option<&str>, issues: &mut Issues) -> Option<f64> {
    read(field, raw, POWER_UNITS, |n| Some(n.decimal()), issues)
}

/// Track (轮距) as printed, front/rear, without the `mm` unit and with full-width forms folded:
/// `"1560/1570mm"` → `"1560/1570"`. Text without any digit (a bare unit) → `None`.
pub fn track_mm(raw: Option<&str>) -> Option<String> {
    let t: String = text(raw)?.chars().map(fold).collect();
    let t = t.trim_end_matches(['m', 'M']).trim().to_owned();
    (!t.is_empty() && t.chars().any(|c| c.is_ascii_digit())).then_some(t)
}

/// A composite value printed as `a/b` (full-width `／` too): its two halves, trimmed; one value
/// only → `(value, None)`; empty halves are `None`.
pub fn split_pair(raw: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(t) = raw else { return (None, None) };
    let mut parts = t.splitn(2, ['/', '／']);
    let mut half = || {
        parts
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let a = half();
    let b = half();
    (a, b)
}
