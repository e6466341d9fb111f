//! Dates (`YYYY-MM-DD` and the other printed forms), the inspection month, date order.

use super::{codes, fold, text, Context, Issues};

/// Years accepted as plausible on a vehicle document; outside this a date is `DATE_INVALID`.
const MIN_YEAR: u32 = 1900;
const MAX_YEAR: u32 = 2199;

pub(crate) fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A real calendar date in the plausible year range.
pub(crate) fn is_real_date(y: u32, m: u32, d: u32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days_in_month(y, m)
}

/// Reads a run of ASCII digits at `*i` (at most `max` of them).
fn digits(s: &[char], i: &mut usize, max: usize) -> Option<(u32, usize)> {
    let start = *i;
    let mut v: u32 = 0;
    while let Some(c) = s.get(*i) {
        let Some(d) = c.to_digit(10) else { break };
        if !c.is_ascii_digit() || *i - start >= max {
            break;
        }
        v = v * 10 + d;
        *i += 1;
    }
    (*i > start).then_some((v, *i - start))
}

/// Strips a trailing time of day (`" 00:00:00"`, `"T08:30"`), if any.
fn strip_time(t: &str) -> &str {
    if let Some(pos) = t.find(|c: char| c.is_whitespace() || c == 'T') {
        let (d, rest) = t.split_at(pos);
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == 'T');
        let is_time = !rest.is_empty()
            && rest.contains(':')
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        if is_time {
            return d;
        }
    }
    t
}

/// Year, month, day as written (not yet checked), or `None` when no known format matches.
fn parse_ymd(t: &str) -> Option<(u32, u32, u32)> {
    let folded: String = t.chars().map(fold).collect();
    let s: Vec<char> = strip_time(folded.trim())
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.len() == 8 && s.iter().all(|c| c.is_ascii_digit()) {
        let mut i = 0;
        let (y, _) = digits(&s, &mut i, 4)?;
        let (m, _) = digits(&s, &mut i, 2)?;
        let (d, _) = digits(&s, &mut i, 2)?;
        return Some((y, m, d));
    }
    let mut i = 0;
    let (y, n) = digits(&s, &mut i, 4)?;
    if n != 4 {
        return None;
    }
    let sep1 = *s.get(i)?;
    i += 1;
    let cjk = match sep1 {
        '年' => true,
        '-' | '.' | '/' => false,
        _ => return None,
    };
    let (m, _) = digits(&s, &mut i, 2)?;
    let sep2 = *s.get(i)?;
    i += 1;
    let sep2_ok = if cjk {
        sep2 == '月'
    } else {
        matches!(sep2, '-' | '.' | '/')
    };
    if !sep2_ok {
        return None;
    }
    let (d, _) = digits(&s, &mut i, 2)?;
    if cjk && s.get(i) == Some(&'日') {
        i += 1;
    }
    (i == s.len()).then_some((y, m, d))
}

/// `Some((y, m, d))` for a strict ISO `YYYY-MM-DD` real date.
pub(crate) fn parse_iso(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    is_real_date(y, m, d).then_some((y, m, d))
}

fn push_future(field: &str, iso: &str, cx: &Context, issues: &mut Issues) {
    let Some(today) = cx.today.as_deref().filter(|t| parse_iso(t).is_some()) else {
        return;
    };
    if iso > today && !issues.contains(field, codes::DATE_IN_FUTURE) {
        issues.error(field, codes::DATE_IN_FUTURE, "The date is after today.");
    }
}

/// Any date format seen from the providers to ISO `YYYY-MM-DD`: `YYYY-MM-DD`, `YYYYMMDD`,
/// `YYYY.MM.DD`, `YYYY/MM/DD`, `YYYY年M月D日` (one- or two-digit month and day), full-width
/// digits, spaces anywhere, an optional trailing time of day.
///
/// - empty marker → `None`, no issue;
/// - unreadable → `None` + error `DATE_UNREADABLE`;
/// - not a real date (or a year outside 1900–2199) → `None` + error `DATE_INVALID`;
/// - after `cx.today` → the date + error `DATE_IN_FUTURE`.
///
/// The value returned always matches `^\d{4}-\d{2}-\d{2}$` and is a real date.
pub fn date(field: &str, raw: Option<&str>, cx: &Context, issues: &mut Issues) -> Option<String> {
    let t = text(raw)?;
    let Some((y, m, d)) = parse_ymd(&t) else {
        issues.error(
            field,
            codes::DATE_UNREADABLE,
            "The date could not be read in any known date format.",
        );
        return None;
    };
    if !is_real_date(y, m, d) {
        issues.error(
            field,
            codes::DATE_INVALID,
            "The date does not exist (month or day out of range, or an implausible year).",
        );
        return None;
    }
    let iso = format!("{y:04}-{m:02}-{d:02}");
    push_future(field, &iso, cx, issues);
    Some(iso)
}

/// Year and month after one occurrence of the keyword, at `s[i..]`.
fn month_at(s: &[char], mut i: usize) -> Option<(u32, u32)> {
    while matches!(s.get(i), Some('至' | ':' | '为')) {
        i += 1;
    }
    let (y, n) = digits(s, &mut i, 6)?;
    let (y, m) = if n == 6 {
        // Compact `YYYYMM` followed by a non-digit.
        (y / 100, y % 100)
    } else if n == 4 {
        let sep = *s.get(i)?;
        if !matches!(sep, '年' | '-' | '.' | '/') {
            return None;
        }
        i += 1;
        let (m, _) = digits(s, &mut i, 2)?;
        (y, m)
    } else {
        return None;
    };
    if s.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    ((MIN_YEAR..=MAX_YEAR).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The back page's inspection record (`检验有效期至2019年11月粤E(01)汽油`) to `"2019-11"`.
///
/// Also `2019-11`, `2019.11`, `2019/11`, `201911`, full-width digits, spaces. With several
/// records on the page the latest month wins. No `有效期` in the text → `None`, no issue (the
/// record may hold other remarks); `有效期`/`检验` present but no readable month → `None` + warning
/// `INSPECTION_UNREADABLE`. The value always matches `^\d{4}-\d{2}$` with a month 01–12.
pub fn inspection_valid_until(
    field: &str,
    raw: Option<&str>,
    issues: &mut Issues,
) -> Option<String> {
    let t = text(raw)?;
    let s: Vec<char> = t.chars().map(fold).filter(|c| !c.is_whitespace()).collect();
    let key = ['有', '效', '期'];
    let mut best: Option<(u32, u32)> = None;
    for start in 0..s.len() {
        if s.get(start..start + key.len()) == Some(&key[..]) {
            if let Some(ym) = month_at(&s, start + key.len()) {
                best = best.max(Some(ym));
            }
        }
    }
    match best {
        Some((y, m)) => Some(format!("{y:04}-{m:02}")),
        None => {
            if t.contains("有效期") || t.contains("检验") {
                issues.warning(
                    field,
                    codes::INSPECTION_UNREADABLE,
                    "The inspection record mentions a validity date that could not be read.",
                );
            }
            None
        }
    }
}

/// Push error `DATE_ORDER` (on the later field) if `earlier` is after `later` (both ISO dates);
/// also error `DATE_IN_FUTURE` on either if it is after `cx.today`, unless [`date`] already
/// reported it for that field. Nothing when either date is `None` or not ISO.
pub fn check_date_order(
    earlier: (&str, Option<&str>),
    later: (&str, Option<&str>),
    cx: &Context,
    issues: &mut Issues,
) {
    for (field, value) in [earlier, later] {
        if let Some(v) = value.filter(|v| parse_iso(v).is_some()) {
            push_future(field, v, cx, issues);
        }
    }
    let (Some(e), Some(l)) = (earlier.1, later.1) else {
        return;
    };
    if parse_iso(e).is_none() || parse_iso(l).is_none() {
        return;
    }
    if e > l && !issues.contains(later.0, codes::DATE_ORDER) {
        issues.error(
            later.0,
            codes::DATE_ORDER,
            format!("The date is before {}, which must not be later.", earlier.0),
        );
    }
}
