//! Lines → fields: printed labels matched fuzzily (OCR misreads them: "所有人" as "所得人"),
//! values found in the label's own line after the label or in the nearest line to its right on
//! the same row (measured along the label's own direction, so a tilted photo works), then the
//! core's normalization and validation exactly as for a provider's answer (`provider: "local"`),
//! then the one acceptance rule of the cascade ([`verdict`]).
//!
//! The rule the cascade relies on: a field is accepted without a provider only if it is present,
//! the core raised no issue about it, its value has the shape its kind must have, and every one
//! of its characters was read with a probability of at least the kind's bar. When in doubt, the
//! field is uncertain and the cascade pays a provider.

use crate::engine::Line;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use vehicle_doc_ocr_core::fields::Severity;
use vehicle_doc_ocr_core::model::{self, ProviderFields};
use vehicle_doc_ocr_core::{DocumentKind, Provider, Recognized};

/// What a field's value must look like before it can be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Checked by the core (plate format).
    Plate,
    /// Checked by the core (17 characters, check digit).
    Vin,
    /// Checked by the core (a real date, not in the future, in order).
    Date,
    /// Letters and digits in a structured code (model code, engine model).
    Code,
    /// Letters and digits in no order the reader can lean on (engine number): as [`Kind::Code`],
    /// and never accepted holding a `0`, nor an `O` whose glyph is not clearly wider than the
    /// digits ([`wide_as_an_oh`]; [`Acceptance::Ambiguous`] otherwise).
    Serial,
    /// A person's or company's name: Chinese characters only.
    Name,
    /// One of the printed vehicle types (ends with 车).
    VehicleType,
    /// One of the printed use characters.
    Use,
    /// A brand and model, `…牌` then letters and digits.
    BrandModel,
    /// A brand, `…牌`.
    Brand,
    /// The certificate's owner composite `name/ID kind/number`.
    Owner,
    /// A number with its unit (persons, kg, mm): checked by the core (unit, plausible range).
    Quantity,
    /// Free text (address, authority...): never accepted on its own.
    Text,
}

/// One printed label: the result field, the label as printed, the certificate's row number.
struct Label {
    field: &'static str,
    label: &'static str,
    row: u32,
    kind: Kind,
}

const fn l(field: &'static str, label: &'static str, row: u32, kind: Kind) -> Label {
    Label {
        field,
        label,
        row,
        kind,
    }
}

const FRONT: &[Label] = &[
    l("plateNumber", "号牌号码", 0, Kind::Plate),
    l("vehicleType", "车辆类型", 0, Kind::VehicleType),
    l("owner", "所有人", 0, Kind::Name),
    l("address", "住址", 0, Kind::Text),
    l("useCharacter", "使用性质", 0, Kind::Use),
    l("model", "品牌型号", 0, Kind::BrandModel),
    l("vin", "车辆识别代号", 0, Kind::Vin),
    l("engineNumber", "发动机号码", 0, Kind::Serial),
    l("registerDate", "注册日期", 0, Kind::Date),
    l("issueDate", "发证日期", 0, Kind::Date),
];

/// The licence's back page (副页): label and value on one line, like the front.
const BACK: &[Label] = &[
    l("plateNumber", "号牌号码", 0, Kind::Plate),
    l("fileNumber", "档案编号", 0, Kind::Code),
    l("approvedPassengers", "核定载人数", 0, Kind::Quantity),
    l("totalMassKg", "总质量", 0, Kind::Quantity),
    l("curbWeightKg", "整备质量", 0, Kind::Quantity),
    l("approvedLoadKg", "核定载质量", 0, Kind::Quantity),
    l("dimensionsMm", "外廓尺寸", 0, Kind::Quantity),
    l("tractionMassKg", "准牵引总质量", 0, Kind::Quantity),
    l("remarks", "备注", 0, Kind::Text),
    l("inspectionRecord", "检验记录", 0, Kind::Text),
];

const CERTIFICATE: &[Label] = &[
    l("owner", "机动车所有人/身份证明名称/号码", 1, Kind::Owner),
    l("registrationAuthority", "登记机关", 2, Kind::Text),
    l("registrationDate", "登记日期", 3, Kind::Date),
    l("plateNumber", "机动车登记编号", 4, Kind::Plate),
    l("vehicleType", "车辆类型", 5, Kind::VehicleType),
    l("brand", "车辆品牌", 6, Kind::Brand),
    l("model", "车辆型号", 7, Kind::Code),
    l("bodyColor", "车身颜色", 8, Kind::Text),
    l("vin", "车辆识别代号/车架号", 9, Kind::Vin),
    l("origin", "国产/进口", 10, Kind::Text),
    l("engineNumber", "发动机号", 11, Kind::Serial),
    l("engineModel", "发动机型号", 12, Kind::Code),
    l("fuelType", "燃料种类", 13, Kind::Text),
    l("manufacturer", "制造厂名称", 15, Kind::Text),
    l("useCharacter", "使用性质", 16, Kind::Use),
    l("issueDate", "发证日期", 17, Kind::Date),
];

/// Use characters printed on the documents (GA 802).
const USES: &[&str] = &[
    "非营运",
    "营运",
    "预约出租客运",
    "出租客运",
    "公路客运",
    "公交客运",
    "旅游客运",
    "货运",
    "危化品运输",
    "租赁",
    "警用",
    "消防",
    "救护",
    "工程救险",
    "营转非",
    "出租转非",
    "教练",
    "幼儿校车",
    "小学生校车",
    "中小学生校车",
    "初中生校车",
    "专用校车",
    "其他校车",
];

/// The lowest per-character probability a field of this kind may have to be accepted. Kinds the
/// core checks with a check digit or a strict format can afford a lower bar than free text.
fn bar(kind: Kind) -> f32 {
    match kind {
        Kind::Vin => 0.80,
        Kind::Date | Kind::Plate => 0.90,
        Kind::Use | Kind::VehicleType => 0.90,
        Kind::Code | Kind::Serial | Kind::Name | Kind::BrandModel | Kind::Brand | Kind::Owner => {
            0.95
        }
        Kind::Quantity => 0.95,
        Kind::Text => f32::INFINITY,
    }
}

/// Letters and digits the recognizer confuses with one another (seen on the corpus: a model code's
/// final `G` read as `C` with probability 0.97, `0` as `O`). In a value without a check digit
/// (codes, model, plate) each of them must be read with at least [`CONFUSABLE_BAR`].
const CONFUSABLE: &str = "CGO0DQB8S5Z2I1LUV";
const CONFUSABLE_BAR: f32 = 0.99;
/// The confusables' bar when the second reading (another crop) read the same value and gave that
/// character at least this probability too: two samplings both sure of it.
const AGREED_CONFUSABLE_BAR: f32 = 0.98;

/// An engine number's `O`: its glyph's width over its digits' ([`glyph_ratio`]) in this range
/// (wider than a digit, not two glyphs that touch). Measured on the corpora's engine numbers
/// (`examples/isolate.rs`): every `0` 0.89–1.08, every `O` 1.27–1.57.
const OH_RATIO: (f32, f32) = (1.25, 1.65);
/// The widest of the reference digits at most this times the narrowest.
const REFERENCE_SPREAD: f32 = 1.4;

/// Whether a field is settled without a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Read, valid, confident: the cascade keeps it.
    Accepted,
    /// No label or no value found.
    Missing,
    /// The core raised an issue about it (format, check digit, date).
    Invalid,
    /// The value does not have the shape its kind must have.
    Shape,
    /// A character was read below the kind's confidence bar.
    LowConfidence,
    /// Read again from its own crop, the value came out different.
    Disagreement,
    /// A kind never accepted without a provider (free text).
    NotCheckable,
    /// The value's line reaches the picture's edge: the document may be cut off there and the
    /// value go on beyond the frame (seen: a model code's last letter outside the photo).
    CutOff,
    /// The value holds a character the recognizer cannot tell from another on its own: an
    /// engine number's `0` or `O`. Measured on the corpus (docs/LOCAL_OCR.md): the glyph read
    /// alone is either at random, and in its line the recognizer takes the one its neighbours
    /// suggest (an `O` after digits read `0` at 0.999; a `0` between letters read `O` at 0.994
    /// in both readings), so no bar on its probability makes it safe where both can occur.
    Ambiguous,
}

impl Acceptance {
    pub fn as_str(self) -> &'static str {
        match self {
            Acceptance::Accepted => "accepted",
            Acceptance::Missing => "missing",
            Acceptance::Invalid => "invalid",
            Acceptance::Shape => "shape",
            Acceptance::LowConfidence => "lowConfidence",
            Acceptance::Disagreement => "disagreement",
            Acceptance::NotCheckable => "notCheckable",
            Acceptance::CutOff => "cutOff",
            Acceptance::Ambiguous => "ambiguous",
        }
    }
}

/// The decision about one result field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldVerdict {
    /// The result field (camelCase).
    pub field: &'static str,
    pub acceptance: Acceptance,
    /// The lowest probability of the value's characters (0 when missing).
    pub min_confidence: f32,
    /// Per character of the value as read: what the verdict weighed (for measurements: the
    /// read example's `--dump-chars`; never serialized).
    pub evidence: Vec<CharEvidence>,
}

/// One character of a value and what the verdict knew of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CharEvidence {
    pub ch: char,
    /// Its probability in the first reading (after [`constrain`]).
    pub first: f32,
    /// Its probability in the second reading, when that reading agreed.
    pub second: Option<f32>,
    /// The first reading's most probable other class at that step, if known.
    pub runner_up: Option<(char, f32)>,
}

/// A document read on the device: the typed result (`provider: "local"`) and, per field the
/// document has, whether the cascade may keep it without a provider.
#[derive(Debug, Clone)]
pub struct LocalReading {
    pub result: Recognized,
    pub fields: Vec<FieldVerdict>,
}

impl LocalReading {
    /// Whether `field` is accepted.
    pub fn accepted(&self, field: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.field == field && f.acceptance == Acceptance::Accepted)
    }
    /// Whether every one of `fields` is accepted (no provider needed for them).
    pub fn settled(&self, fields: &[&str]) -> bool {
        fields.iter().all(|f| self.accepted(f))
    }
}

/// Levenshtein distance over characters.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Edit distances a label may be misread by: none for two characters, one up to seven (the
/// certificate's title "机动车登记证书" is two edits from "机动车登记编号"), then two.
fn tolerance(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    }
}

/// What may stand between a label and its value (separators, and specks read as punctuation).
fn is_filler(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ':' | '：'
                | '.'
                | '．'
                | '、'
                | ','
                | '，'
                | '^'
                | '`'
                | '\''
                | '"'
                | '|'
                | '_'
                | '~'
                | '·'
                | '/'
        )
}

/// A label found at the start of a line: which label, and where its value starts (char index).
struct Found {
    label: usize,
    value_start: usize,
    distance: usize,
}

/// The label the line starts with, if any. A leading row number (`"9."`) is skipped and, on
/// the certificate, breaks ties.
fn find_label(chars: &[char], labels: &[Label]) -> Option<Found> {
    let mut i = 0;
    let mut number = 0u32;
    while i < chars.len() && chars[i].is_ascii_digit() && i < 2 {
        number = number * 10 + chars[i].to_digit(10).unwrap_or(0);
        i += 1;
    }
    if i == 0 {
        number = 0;
    }
    while i < chars.len() && is_filler(chars[i]) {
        i += 1;
    }
    let rest = &chars[i..];
    let mut best: Option<(usize, bool, usize, Found)> = None;
    for (li, lab) in labels.iter().enumerate() {
        let lc: Vec<char> = lab.label.chars().collect();
        let tol = tolerance(lc.len());
        for k in lc.len().saturating_sub(tol)..=(lc.len() + tol).min(rest.len()) {
            if k == 0 {
                continue;
            }
            let d = distance(&lc, &rest[..k]);
            if d > tol {
                continue;
            }
            let numbered = number != 0 && number == lab.row;
            // Fewer edits first, then the row number agreeing, then the longer label.
            let better = match &best {
                None => true,
                Some((bd, bn, blen, _)) => {
                    (d, !numbered, usize::MAX - lc.len()) < (*bd, !*bn, usize::MAX - *blen)
                }
            };
            if better {
                best = Some((
                    d,
                    numbered,
                    lc.len(),
                    Found {
                        label: li,
                        value_start: i + k,
                        distance: d,
                    },
                ));
            }
        }
    }
    best.map(|(_, _, _, f)| f)
}

/// A value: its text, its characters' probabilities and their runners-up.
#[derive(Clone)]
struct ReadValue {
    text: String,
    chars: Vec<(char, f32)>,
    alternatives: Vec<Vec<(char, f32)>>,
    /// The glyphs' ink widths ([`Line::widths`]), aligned with `chars` (0: not measured).
    widths: Vec<f32>,
    /// The probabilities of characters removed by [`constrain`] (as blanks): they count in the
    /// value's lowest probability.
    dropped: Vec<f32>,
}

impl ReadValue {
    /// The lowest probability of the characters that make the field: for the certificate's
    /// owner composite, those of the name (before the first `/`).
    fn min_confidence_for(&self, kind: Kind) -> f32 {
        let chars: &[(char, f32)] = if kind == Kind::Owner {
            let end = self
                .chars
                .iter()
                .position(|c| c.0 == '/')
                .unwrap_or(self.chars.len());
            &self.chars[..end]
        } else {
            &self.chars
        };
        chars
            .iter()
            .map(|c| c.1)
            .chain(self.dropped.iter().copied())
            .fold(f32::INFINITY, f32::min)
    }
}

/// The value in `chars` (fillers trimmed at both ends); `alternatives` and `widths` aligned with
/// `chars` (empty when unknown).
fn value_of_with(
    chars: &[(char, f32)],
    alternatives: &[Vec<(char, f32)>],
    widths: &[f32],
) -> Option<ReadValue> {
    let start = chars.iter().position(|c| !is_filler(c.0))?;
    let end = chars.iter().rposition(|c| !is_filler(c.0))? + 1;
    if start >= end {
        return None;
    }
    let v = &chars[start..end];
    Some(ReadValue {
        text: v.iter().map(|c| c.0).collect(),
        chars: v.to_vec(),
        alternatives: alternatives
            .get(start..end)
            .map_or_else(Vec::new, <[_]>::to_vec),
        widths: widths.get(start..end).map_or_else(Vec::new, <[_]>::to_vec),
        dropped: Vec::new(),
    })
}

/// The value of `line` from character `start` on.
fn value_of_line(line: &Line, start: usize) -> Option<ReadValue> {
    let start = start.min(line.chars.len());
    let alts = line.alternatives.get(start..).unwrap_or(&[]);
    let widths = line.widths.get(start..).unwrap_or(&[]);
    value_of_with(&line.chars[start..], alts, widths)
}

/// Whether `c` (an [`outcome`]) may stand in a value of `kind` as far as its character set is
/// known for certain: plates never contain the letters I and O (GA 36: not used in issuing
/// letters and serials), VINs are capital letters and digits without I, O and Q (ISO 3779),
/// codes and engine numbers capital letters and digits (their shape, [`shape_ok`]: a `×` or a
/// `-` read there cannot be the value's). `'\0'` (the CTC blank: no character) is allowed.
fn allowed(kind: Kind, c: char) -> bool {
    match kind {
        Kind::Plate => !matches!(c, 'I' | 'O'),
        Kind::Vin => c.is_ascii_alphanumeric() && !matches!(c, 'I' | 'O' | 'Q'),
        Kind::Code | Kind::Serial => c.is_ascii_alphanumeric(),
        _ => true,
    }
}

/// Kinds printed in capitals only (a plate's province character aside): their lower-case
/// classes are the same characters as the capitals.
fn capitals(kind: Kind) -> bool {
    matches!(kind, Kind::Plate | Kind::Vin | Kind::Code | Kind::Serial)
}

/// What a recognized class means in a value of `kind`: `None` for no character (the CTC blank
/// `'\0'`, white space, and the fillers a value is trimmed of), else the character as the core
/// compares it (full-width forms folded; plates, VINs, codes and engine numbers upper-cased).
fn outcome(kind: Kind, c: char) -> Option<char> {
    if c == '\0' || c.is_whitespace() || is_filler(c) {
        return None;
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    Some(if capitals(kind) {
        c.to_ascii_uppercase()
    } else {
        c
    })
}

/// A letter or digit the field's character set excludes (a plate's `O`, a VIN's `Q`...) is
/// replaced by the recognizer's most probable allowed outcome at that step (classes with the
/// same outcome, e.g. `0` and `０`, or the blank and a filler, summed; no character removes it),
/// with the probability of that outcome among the allowed ones, bounded from below:
/// `p / (1 - the excluded classes' known probabilities)`. The value's bars then apply to that
/// probability as to any other. Without runners-up, or when it is no letter or digit at all, the
/// character is left as read (and the value refused by the core or for its shape). An allowed
/// character keeps its place, with its probability among the allowed outcomes on the same
/// terms: `(p + its same outcome's runners-up) / (1 - the excluded ones)` (a VIN's `0` at 0.54
/// against `O` at 0.46 is a `0` at 0.998; an engine number's `1` at 0.989 against `１` at 0.005
/// is a `1` at 0.994; an engine number's `X` at 0.836 against `×` at 0.142 is an `X` at 0.974).
/// Plates, VINs, codes and engine numbers exclude characters ([`allowed`]); in those, printed
/// in capitals, a lower-case class is its capital's and the value holds the capital.
fn constrain(kind: Kind, v: &mut ReadValue) {
    if v.alternatives.len() != v.chars.len() {
        return;
    }
    let mut chars = Vec::with_capacity(v.chars.len());
    let mut alternatives = Vec::with_capacity(v.chars.len());
    let mut widths = Vec::with_capacity(v.chars.len());
    for (i, (c, alts)) in v.chars.iter().zip(&v.alternatives).enumerate() {
        let width = v.widths.get(i).copied().unwrap_or(0.0);
        match constrained(kind, *c, alts) {
            Constrained::Kept(c) => {
                chars.push(c);
                alternatives.push(alts.clone());
                widths.push(width);
            }
            Constrained::Replaced(c) => {
                chars.push(c);
                alternatives.push(Vec::new());
                // The glyph is the excluded character's: its width says nothing of the other.
                widths.push(0.0);
            }
            Constrained::Dropped(p) => v.dropped.push(p),
        }
    }
    v.chars = chars;
    v.alternatives = alternatives;
    v.widths = widths;
    v.text = v.chars.iter().map(|c| c.0).collect();
}

/// What [`constrain`] makes of one character.
enum Constrained {
    /// It stays (its probability among the allowed outcomes; a capital for a lower-case class).
    Kept((char, f32)),
    /// An excluded letter or digit: the most probable allowed outcome among its runners-up.
    Replaced((char, f32)),
    /// That outcome is no character: removed, its probability kept for the value's lowest.
    Dropped(f32),
}

/// One character `c` with its runners-up `alts`, as [`constrain`] says.
fn constrained(kind: Kind, c: (char, f32), alts: &[(char, f32)]) -> Constrained {
    let ok = |o: Option<char>| o.is_none_or(|c| allowed(kind, c));
    let read = outcome(kind, c.0);
    if ok(read) {
        // An allowed character: its probability among the allowed outcomes, its own and the
        // same outcome's classes (`0` and `０`) over what the excluded ones leave.
        let (mut same, mut excluded) = (c.1, 0.0f32);
        for a in alts {
            let o = outcome(kind, a.0);
            if !ok(o) {
                excluded += a.1;
            } else if o == read {
                same += a.1;
            }
        }
        let p = if excluded < 1.0 {
            (same / (1.0 - excluded)).min(1.0)
        } else {
            c.1
        };
        // Where the kind is printed in capitals, the value holds the capital (`x` is `X`).
        let shown = read.filter(|_| capitals(kind)).unwrap_or(c.0);
        return Constrained::Kept((shown, p.max(c.1)));
    }
    if !read.is_some_and(|r| r.is_ascii_alphanumeric()) {
        // Not a letter or digit at all (a stroke of the label, a `×`): nothing it could be a
        // look-alike of. Kept, and the value refused for its shape or by the core.
        return Constrained::Kept(c);
    }
    let mut excluded = c.1;
    let mut mass: Vec<(Option<char>, f32)> = Vec::new();
    for a in alts {
        let o = outcome(kind, a.0);
        if !ok(o) {
            excluded += a.1;
        } else if let Some(m) = mass.iter_mut().find(|m| m.0 == o) {
            m.1 += a.1;
        } else {
            mass.push((o, a.1));
        }
    }
    let Some(&(best, p)) = mass.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        // No allowed runner-up known: leave it (the core refuses the value).
        return Constrained::Kept(c);
    };
    let p = if excluded < 1.0 {
        (p / (1.0 - excluded)).min(1.0)
    } else {
        0.0
    };
    match best {
        None => Constrained::Dropped(p),
        Some(b) => Constrained::Replaced((b, p)),
    }
}

/// The second reading with its specks removed: a character whose runners-up that mean no
/// character (the blank, fillers) together outweigh it. Used only to compare the second reading
/// with the first (a speck in the gap between label and value read as `A` at 0.26 against the
/// blank and `^` at 0.27); the value and its probabilities stay the first reading's.
fn without_specks(line: &Line) -> Line {
    let mut out = line.clone();
    if line.alternatives.len() != line.chars.len() {
        return out;
    }
    let keep: Vec<bool> = line
        .chars
        .iter()
        .zip(&line.alternatives)
        .map(|(c, alts)| {
            let nothing: f32 = alts
                .iter()
                .filter(|a| outcome(Kind::Text, a.0).is_none())
                .map(|a| a.1)
                .sum();
            outcome(Kind::Text, c.0).is_none() || nothing <= c.1
        })
        .collect();
    fn kept<T: Clone>(v: &[T], keep: &[bool]) -> Vec<T> {
        v.iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(true))
            .map(|(_, x)| x.clone())
            .collect()
    }
    out.chars = kept(&line.chars, &keep);
    out.alternatives = kept(&line.alternatives, &keep);
    out.positions = kept(&line.positions, &keep);
    out.widths = kept(&line.widths, &keep);
    out.text = out.chars.iter().map(|c| c.0).collect();
    out
}

/// The field values found in `lines` for the labels of `labels`: per label, the line and the
/// index of the value's first character in it.
fn locate(lines: &[Line], labels: &[Label]) -> BTreeMap<usize, (usize, usize)> {
    let found: Vec<Option<Found>> = lines
        .iter()
        .map(|line| {
            let chars: Vec<char> = line.chars.iter().map(|c| c.0).collect();
            find_label(&chars, labels)
        })
        .collect();
    let mut out: BTreeMap<usize, (usize, (usize, usize))> = BTreeMap::new();
    let mut used = vec![false; lines.len()];
    // Values in the label's own line first.
    for (i, f) in found.iter().enumerate() {
        let Some(f) = f else { continue };
        let start = f.value_start.min(lines[i].chars.len());
        if value_of_line(&lines[i], start).is_some() {
            if out.get(&f.label).is_none_or(|(d, _)| f.distance < *d) {
                out.insert(f.label, (f.distance, (i, start)));
            }
            used[i] = true;
        }
    }
    // Then the nearest unlabelled line to the right on the same row.
    for (i, f) in found.iter().enumerate() {
        let Some(f) = f else { continue };
        if out.contains_key(&f.label) {
            continue;
        }
        let lr = &lines[i].rect;
        let v = lr.v();
        let mut best: Option<(f32, usize)> = None;
        for (j, cand) in lines.iter().enumerate() {
            if j == i || used[j] || found[j].is_some() {
                continue;
            }
            let d = [
                cand.rect.center[0] - lr.center[0],
                cand.rect.center[1] - lr.center[1],
            ];
            let du = d[0] * lr.u[0] + d[1] * lr.u[1];
            let dv = d[0] * v[0] + d[1] * v[1];
            // Left edge of the candidate beyond the label's middle, centre within the row.
            let left = du - cand.rect.width / 2.0;
            if left < 0.0 || dv.abs() > 0.5 * lr.height.max(cand.rect.height) {
                continue;
            }
            if best.is_none_or(|(b, _)| left < b) {
                best = Some((left, j));
            }
        }
        if let Some((left, j)) = best {
            // Characters whose middle lies inside the label's box are the label's (its last
            // character cut by the value's box: "号牌号码" beside "马鄂T48204").
            let cand = &lines[j];
            let start = cand
                .positions
                .iter()
                .take_while(|&&p| left + p * cand.rect.width < lr.width / 2.0)
                .count();
            if value_of_line(cand, start).is_some() {
                used[j] = true;
                out.insert(f.label, (f.distance, (j, start)));
            }
        }
    }
    out.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// The value has the shape its kind must have (the core checks plates, VINs and dates itself).
fn shape_ok(kind: Kind, text: &str) -> bool {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let n = text.chars().count();
    match kind {
        Kind::Plate | Kind::Vin | Kind::Date => true,
        Kind::Code | Kind::Serial => {
            (4..=24).contains(&n) && text.chars().all(|c| c.is_ascii_alphanumeric())
        }
        Kind::Name => (2..=30).contains(&n) && text.chars().all(cjk),
        Kind::VehicleType => (3..=12).contains(&n) && text.ends_with('车') && text.chars().all(cjk),
        Kind::Use => USES.contains(&text),
        Kind::BrandModel => match text.split_once('牌') {
            Some((brand, code)) => {
                !brand.is_empty()
                    && brand.chars().all(cjk)
                    && code.len() >= 3
                    && code.chars().all(|c| c.is_ascii_alphanumeric())
            }
            None => false,
        },
        Kind::Brand => n >= 2 && text.ends_with('牌') && text.chars().all(cjk),
        Kind::Owner => text
            .split('/')
            .next()
            .is_some_and(|name| (2..=30).contains(&name.chars().count()) && name.chars().all(cjk)),
        // Digits with their unit as printed: `5人`, `1500kg`, `4800×1800×1500mm`.
        Kind::Quantity => {
            text.chars().any(|c| c.is_ascii_digit())
                && text
                    .chars()
                    .all(|c| c.is_ascii_digit() || "kgKGmM人×xX*".contains(c))
        }
        Kind::Text => false,
    }
}

/// The width of the glyph of character `i` of a value (`chars`, `widths` aligned) over the
/// median width of the value's digits `2`–`9` (their glyphs are alike in width in any font, a
/// `1` is not): `None` unless at least two of those were measured and the widest is at most
/// [`REFERENCE_SPREAD`] times the narrowest (glyphs that touch share a run and measure wide).
pub fn glyph_ratio(chars: &[char], widths: &[f32], i: usize) -> Option<f32> {
    let w = *widths.get(i).filter(|w| **w > 0.0)?;
    let mut refs: Vec<f32> = chars
        .iter()
        .zip(widths)
        .enumerate()
        .filter(|&(j, (c, w))| j != i && ('2'..='9').contains(c) && *w > 0.0)
        .map(|(_, (_, w))| *w)
        .collect();
    if refs.len() < 2 {
        return None;
    }
    refs.sort_by(f32::total_cmp);
    let (lo, hi) = (refs[0], refs[refs.len() - 1]);
    if hi > REFERENCE_SPREAD * lo {
        return None;
    }
    let n = refs.len();
    let median = if n % 2 == 1 {
        refs[n / 2]
    } else {
        (refs[n / 2 - 1] + refs[n / 2]) / 2.0
    };
    Some(w / median)
}

/// Whether the glyph of an engine number's `O` at `i` is wide enough to be one: its width over
/// the digits' ([`glyph_ratio`]) in [`OH_RATIO`], where no `0` measured on the corpora was (rule
/// 6 of docs/LOCAL_OCR.md). A `0` is never decided this way: in a monospaced print an `O` is as
/// narrow as a `0` (DejaVu Sans Mono, Liberation Mono, Noto Sans Mono CJK:
/// `bench/ocr/glyph_widths.py`), and so it is in the Chinese Song and Kai faces, whose other
/// letters measure as wide as the corpus's proportional print: neither the documents' print nor
/// a photo's own letters tell which kind it is.
fn wide_as_an_oh(chars: &[char], widths: &[f32], i: usize) -> bool {
    glyph_ratio(chars, widths, i).is_some_and(|r| (OH_RATIO.0..=OH_RATIO.1).contains(&r))
}

/// The acceptance rule (the only one): see the module's documentation. `second`: when the second
/// reading agreed, its probabilities of the value's characters (aligned with `value`'s).
fn verdict(
    kind: Kind,
    value: Option<&ReadValue>,
    agreed: Option<bool>,
    second: Option<&[f32]>,
    field_has_issue: bool,
    at_edge: bool,
) -> Acceptance {
    let Some(v) = value else {
        return Acceptance::Missing;
    };
    if kind == Kind::Text {
        return Acceptance::NotCheckable;
    }
    if at_edge {
        return Acceptance::CutOff;
    }
    if field_has_issue {
        return Acceptance::Invalid;
    }
    if !shape_ok(kind, &v.text) {
        return Acceptance::Shape;
    }
    if kind == Kind::Serial && v.text.contains(['0', 'O']) {
        let chars: Vec<char> = v.chars.iter().map(|c| c.0).collect();
        if !chars
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, '0' | 'O'))
            .all(|(i, c)| *c == 'O' && wide_as_an_oh(&chars, &v.widths, i))
        {
            return Acceptance::Ambiguous;
        }
    }
    // NaN never passes.
    // A confusable character: 0.99, or 0.98 in both readings.
    let sure = |i: usize, p: f32| {
        p >= CONFUSABLE_BAR
            || (p >= AGREED_CONFUSABLE_BAR
                && second
                    .and_then(|s| s.get(i))
                    .is_some_and(|&q| q >= AGREED_CONFUSABLE_BAR))
    };
    let confident = v.min_confidence_for(kind) >= bar(kind)
        && (!matches!(
            kind,
            Kind::Code | Kind::Serial | Kind::BrandModel | Kind::Plate
        ) || v
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| CONFUSABLE.contains(c.0))
            .all(|(i, c)| sure(i, c.1)));
    if !confident {
        return Acceptance::LowConfidence;
    }
    if agreed == Some(false) {
        return Acceptance::Disagreement;
    }
    Acceptance::Accepted
}

/// Reads the fields of `doc` from `lines`, normalizes and validates them with the core
/// (`today`, `YYYY-MM-DD`, enables the "not in the future" checks), and decides per field.
/// Without a second reading of each value ([`extract_with_reread`]) agreement is not checked.
pub fn extract(doc: DocumentKind, lines: &[Line], today: Option<String>) -> LocalReading {
    extract_with_reread(doc, lines, today, |_, _| None)
}

/// The agreement check of a value (`first`, from character `start` of its line) with the second
/// reading of its line: `None` when there is no second reading, `Some(None)` when it disagrees,
/// `Some(Some(probabilities))` when it agrees (the second reading's probabilities of the value's
/// characters, aligned with `first`'s).
fn second_reading(
    kind: Kind,
    first: &ReadValue,
    second: Option<Line>,
    start: usize,
) -> Option<Option<Vec<f32>>> {
    let second = second.and_then(|l| {
        let mut v = value_of_line(&without_specks(&l), 0)?;
        constrain(kind, &mut v);
        Some(v)
    })?;
    // A value after its label: the second reading of the whole line must end with the same
    // value, not preceded by another letter or digit, unless the value's format has a fixed
    // length that no character before it can belong to (a date's four-digit year, a VIN's 17
    // characters, a plate's province first; the core refuses the value if the first reading
    // lost one): a stroke of the label's last character read as `1` before a date says nothing.
    let fixed = matches!(kind, Kind::Date | Kind::Vin | Kind::Plate);
    let agreed = if start == 0 {
        second.text == first.text
    } else {
        second
            .text
            .strip_suffix(first.text.as_str())
            .is_some_and(|head| {
                fixed
                    || head
                        .chars()
                        .last()
                        .is_none_or(|c| !c.is_ascii_alphanumeric())
            })
    };
    // The second reading ends with the value: its last characters are the value's.
    let skip = second.chars.len().saturating_sub(first.chars.len());
    Some(agreed.then(|| second.chars[skip..].iter().map(|c| c.1).collect()))
}

/// [`extract`], with each value read a second time from its own crop by `reread(line, start)`
/// (see [`crate::engine::reread_rect`]): a field is accepted only if both readings agree. The value
/// and its confidence are the first reading's (the second, from a tighter or looser crop, read
/// worse on the corpus). The two phases of [`FirstPass`] in one call.
pub fn extract_with_reread(
    doc: DocumentKind,
    lines: &[Line],
    today: Option<String>,
    mut reread: impl FnMut(&Line, usize) -> Option<Line>,
) -> LocalReading {
    let first = FirstPass::new(doc, lines, today);
    let seconds: Vec<Option<Line>> = first
        .rereads()
        .iter()
        .map(|&(li, start)| reread(&lines[li], start))
        .collect();
    first.finish(seconds)
}

/// Phase one of [`extract_with_reread`]: the fields read from the lines, their checks, and which
/// values need a second reading ([`FirstPass::rereads`]); [`FirstPass::finish`] gives the
/// verdicts once those second readings are in (sans-IO: the caller recognizes the crops).
#[derive(Clone)]
pub struct FirstPass {
    labels: &'static [Label],
    values: BTreeMap<usize, (ReadValue, usize, usize)>,
    result: Recognized,
    /// Per label: whether the core raised an issue about its field.
    has_issue: Vec<bool>,
    /// Per label: whether its value's line reaches the picture's edge.
    at_edge: Vec<bool>,
    /// Per label: the index in `rereads` of its second reading, if it needs one.
    asks: Vec<Option<usize>>,
    rereads: Vec<(usize, usize)>,
}

impl FirstPass {
    /// The fields of `doc` read from `lines` (the first reading), normalized and validated by the
    /// core (`today` as in [`extract`]).
    pub fn new(doc: DocumentKind, lines: &[Line], today: Option<String>) -> FirstPass {
        let labels: &[Label] = match doc {
            DocumentKind::VehicleLicenseFront => FRONT,
            DocumentKind::RegistrationCertificate => CERTIFICATE,
            DocumentKind::VehicleLicenseBack => BACK,
        };
        let located = locate(lines, labels);
        let mut values: BTreeMap<usize, (ReadValue, usize, usize)> = BTreeMap::new();
        for (&label, &(li, start)) in &located {
            let Some(mut first) = value_of_line(&lines[li], start) else {
                continue;
            };
            constrain(labels[label].kind, &mut first);
            values.insert(label, (first, li, start));
        }
        let mut pf = ProviderFields::default();
        for (i, lab) in labels.iter().enumerate() {
            if let Some((v, _, _)) = values.get(&i) {
                pf.add(lab.field, lab.label, Some(&v.text));
            }
        }
        let raw = json!({
            "lines": lines.iter().map(|l| json!({
                "text": l.text,
                "confidence": l.confidence,
                "box": l.rect.corners().iter().map(|p| json!([p[0].round(), p[1].round()])).collect::<Vec<Value>>(),
            })).collect::<Vec<Value>>(),
        });
        let result = model::normalize(doc, Provider::Local, None, &pf, raw, today);
        let issues = result.issues();
        let mut has_issue = Vec::with_capacity(labels.len());
        let mut at_edges = Vec::with_capacity(labels.len());
        let mut asks = Vec::with_capacity(labels.len());
        let mut rereads = Vec::new();
        for (i, lab) in labels.iter().enumerate() {
            let v = values.get(&i);
            // The owner composite: the name is judged on `owner` issues, the ID number on its own.
            let issue = issues.iter().any(|is| {
                is.field == lab.field
                    && (is.severity == Severity::Error || is.severity == Severity::Warning)
            });
            let at_edge = v.is_some_and(|v| lines[v.1].at_edge);
            // The second reading is asked only where it can decide: if even a second reading
            // that agrees with every character at probability 1 would not make the field
            // accepted, the verdict is the same without it (free text, a field with an issue, a
            // character under its bar), and the model pass is saved.
            let best_second = v.map(|v| vec![1.0f32; v.0.chars.len()]);
            let ask = match v {
                Some((first, li, start))
                    if verdict(
                        lab.kind,
                        Some(first),
                        Some(true),
                        best_second.as_deref(),
                        issue,
                        at_edge,
                    ) == Acceptance::Accepted =>
                {
                    rereads.push((*li, *start));
                    Some(rereads.len() - 1)
                }
                _ => None,
            };
            has_issue.push(issue);
            at_edges.push(at_edge);
            asks.push(ask);
        }
        FirstPass {
            labels,
            values,
            result,
            has_issue,
            at_edge: at_edges,
            asks,
            rereads,
        }
    }

    /// The second readings the verdicts need, in order: `(line index, start)`, the value that
    /// starts at character `start` of `lines[line index]` read again from its own crop
    /// ([`crate::engine::reread_rect`]).
    pub fn rereads(&self) -> &[(usize, usize)] {
        &self.rereads
    }

    /// The verdicts, given the second reading of each of [`FirstPass::rereads`] (aligned with
    /// it; `None`: nothing read; missing entries count as `None`).
    pub fn finish(self, seconds: Vec<Option<Line>>) -> LocalReading {
        let mut seconds: Vec<Option<Line>> = seconds;
        let mut fields = Vec::new();
        for (i, lab) in self.labels.iter().enumerate() {
            let v = self.values.get(&i);
            let has_issue = self.has_issue.get(i).copied().unwrap_or(false);
            let at_edge = self.at_edge.get(i).copied().unwrap_or(false);
            let judge = |agreed, second| {
                verdict(
                    lab.kind,
                    v.map(|v| &v.0),
                    agreed,
                    second,
                    has_issue,
                    at_edge,
                )
            };
            let mut agreed_probs: Option<Vec<f32>> = None;
            let acceptance = match (v, self.asks.get(i).copied().flatten()) {
                (Some((first, _, start)), Some(k)) => {
                    let second = seconds.get_mut(k).and_then(Option::take);
                    match second_reading(lab.kind, first, second, *start) {
                        Some(Some(probs)) => {
                            let a = judge(Some(true), Some(&probs));
                            agreed_probs = Some(probs);
                            a
                        }
                        Some(None) => judge(Some(false), None),
                        None => judge(None, None),
                    }
                }
                _ => judge(None, None),
            };
            let evidence = v.map_or_else(Vec::new, |(first, _, _)| {
                first
                    .chars
                    .iter()
                    .enumerate()
                    .map(|(j, c)| CharEvidence {
                        ch: c.0,
                        first: c.1,
                        second: agreed_probs.as_ref().and_then(|p| p.get(j).copied()),
                        runner_up: first
                            .alternatives
                            .get(j)
                            .and_then(|a| a.iter().copied().max_by(|x, y| x.1.total_cmp(&y.1))),
                    })
                    .collect()
            });
            fields.push(FieldVerdict {
                field: lab.field,
                acceptance,
                min_confidence: v.map_or(0.0, |v| v.0.min_confidence_for(lab.kind)),
                evidence,
            });
        }
        LocalReading {
            result: self.result,
            fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::RotatedRect;

    fn line(text: &str, x: f32, y: f32, p: f32) -> Line {
        Line {
            text: text.to_owned(),
            chars: text.chars().map(|c| (c, p)).collect(),
            positions: (0..text.chars().count())
                .map(|i| (i as f32 + 0.5) / text.chars().count() as f32)
                .collect(),
            alternatives: Vec::new(),
            widths: Vec::new(),
            confidence: p,
            rect: RotatedRect {
                center: [x, y],
                u: [1.0, 0.0],
                width: 20.0 * text.chars().count() as f32,
                height: 40.0,
            },
            at_edge: false,
        }
    }

    fn front_lines(vin: &str) -> Vec<Line> {
        vec![
            line("中华人民共和国机动车行驶证", 900.0, 100.0, 0.99),
            line("号牌号码京A12345", 300.0, 200.0, 0.99),
            line("车辆类型", 900.0, 200.0, 0.99),
            line("小型轿车", 1100.0, 205.0, 0.99),
            line("所得人 张三", 300.0, 260.0, 0.99),
            line("车辆识别代号", 300.0, 320.0, 0.99),
            line(vin, 700.0, 322.0, 0.99),
            line("注册日期2019-08-13", 300.0, 380.0, 0.99),
            line("发证日期2019-08-13", 900.0, 380.0, 0.99),
        ]
    }

    #[test]
    fn labels_are_matched_fuzzily_and_values_found_beside_them() {
        let r = extract(
            DocumentKind::VehicleLicenseFront,
            &front_lines("LL1WNUJE8JPARFXLA"),
            Some("2026-01-01".into()),
        );
        let Recognized::VehicleLicenseFront(d) = &r.result else {
            panic!("front expected")
        };
        assert_eq!(d.provider, Provider::Local);
        assert_eq!(d.plate_number.as_deref(), Some("京A12345"));
        assert_eq!(d.owner.as_deref(), Some("张三"));
        assert_eq!(d.vehicle_type.as_deref(), Some("小型轿车"));
        assert_eq!(d.vin.as_deref(), Some("LL1WNUJE8JPARFXLA"));
        assert_eq!(d.register_date.as_deref(), Some("2019-08-13"));
        assert_eq!(
            d.sources.get("owner").map(|s| s.name.as_str()),
            Some("所有人")
        );
        assert!(r.settled(&[
            "plateNumber",
            "owner",
            "vin",
            "registerDate",
            "issueDate",
            "vehicleType"
        ]));
        assert!(!r.accepted("address"));
    }

    #[test]
    fn a_vin_with_one_character_changed_is_not_accepted() {
        let r = extract(
            DocumentKind::VehicleLicenseFront,
            &front_lines("LL1WNUJE8JPARFXLB"),
            None,
        );
        assert!(!r.accepted("vin"));
        assert!(r.accepted("plateNumber"));
    }

    #[test]
    fn a_low_confidence_character_is_not_accepted() {
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines[4].chars[4].1 = 0.6;
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("owner"));
        assert_eq!(
            r.fields
                .iter()
                .find(|f| f.field == "owner")
                .map(|f| f.acceptance),
            Some(Acceptance::LowConfidence)
        );
    }

    #[test]
    fn a_second_reading_that_disagrees_is_not_accepted() {
        let lines = front_lines("LL1WNUJE8JPARFXLA");
        // The second reading of the whole line reads the owner's name differently.
        let r = extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, |l, _| {
            let mut l = l.clone();
            if let Some(i) = l.chars.iter().position(|c| c.0 == '张') {
                l.chars[i + 1].0 = '王';
            }
            Some(l)
        });
        assert!(!r.accepted("owner"));
        assert!(r.accepted("vin"));
        assert_eq!(
            r.fields
                .iter()
                .find(|f| f.field == "owner")
                .map(|f| f.acceptance),
            Some(Acceptance::Disagreement)
        );
    }

    #[test]
    fn only_values_a_second_reading_can_decide_are_read_again() {
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines.push(line("住址北京市海淀区一号", 300.0, 440.0, 0.99));
        // The plate's last digit under the plates' bar: not accepted whatever a second reading says.
        if let Some(c) = lines[1].chars.last_mut() {
            c.1 = 0.5;
        }
        let mut asked = Vec::new();
        let r = extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, |l, _| {
            asked.push(l.text.clone());
            Some(l.clone())
        });
        // Free text (the address) and a value under its bar (the plate) are not read again; the
        // verdicts are what they would be with a second reading.
        assert!(!asked
            .iter()
            .any(|t| t.starts_with("住址") || t.starts_with("号牌")));
        assert!(asked.iter().any(|t| t == "LL1WNUJE8JPARFXLA"));
        let verdict_of = |f: &str| r.fields.iter().find(|v| v.field == f).map(|v| v.acceptance);
        assert_eq!(verdict_of("address"), Some(Acceptance::NotCheckable));
        assert_eq!(verdict_of("plateNumber"), Some(Acceptance::LowConfidence));
        assert_eq!(verdict_of("vin"), Some(Acceptance::Accepted));
    }

    #[test]
    fn an_engine_number_holding_0_is_ambiguous_and_its_o_only_where_the_glyph_is_wide() {
        // `widths`: the engine number's glyphs' ink widths (none: not measured).
        let verdict_of = |engine: &str, widths: Option<&[f32]>| {
            let mut lines = front_lines("LL1WNUJE8JPARFXLA");
            let mut l = line(&format!("发动机号码{engine}"), 300.0, 440.0, 0.9999);
            if let Some(w) = widths {
                l.widths = [20.0; 5].iter().chain(w).copied().collect();
            }
            lines.push(l);
            let sure = |l: &Line, _: usize| Some(l.clone());
            extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, sure)
                .fields
                .into_iter()
                .find(|f| f.field == "engineNumber")
                .map(|f| f.acceptance)
        };
        assert_eq!(verdict_of("4G15S7A123", None), Some(Acceptance::Accepted));
        // Read at 0.9999 in both readings, the glyph not measured: paid for.
        assert_eq!(verdict_of("4G15S7A1230", None), Some(Acceptance::Ambiguous));
        assert_eq!(verdict_of("OM6512", None), Some(Acceptance::Ambiguous));
        //            4     G     1    5     S     7     A     1    2     3     0|O
        let narrow = [
            10.0, 11.0, 5.0, 10.0, 10.0, 10.0, 12.0, 5.0, 10.0, 10.0, 10.0,
        ];
        let with_last = |o: f32| {
            let mut w = narrow;
            w[10] = o;
            w
        };
        let wide = with_last(14.0);
        // An O clearly wider than the digits: accepted.
        assert_eq!(
            verdict_of("4G15S7A123O", Some(&wide)),
            Some(Acceptance::Accepted)
        );
        let mut uneven = wide;
        uneven[9] = 15.0;
        // Paid for: a 0 is never decided by its width (in a monospaced print an O is as
        // narrow), nor an O as narrow as the digits, or a little wider, or two glyphs that touch;
        // nor one with fewer than two digits 2-9 to compare with, or digits unlike one another.
        let ambiguous: [(&str, &[f32]); 8] = [
            ("4G15S7A1230", &narrow),
            ("4G15S7A1230", &wide),
            ("4G15S7A123O", &narrow),
            ("4G15S7A123O", &with_last(12.0)),
            ("4G15S7A123O", &with_last(17.0)),
            ("4G15S7A123O", &with_last(21.0)),
            ("OM1E1", &[14.0, 15.0, 5.0, 10.0, 5.0]),
            ("4G15S7A123O", &uneven),
        ];
        for (engine, widths) in ambiguous {
            assert_eq!(
                verdict_of(engine, Some(widths)),
                Some(Acceptance::Ambiguous),
                "{engine} {widths:?}"
            );
        }
        // A model code's 0 is read among digits as the code's structure has it: not ambiguous.
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines.push(line("品牌型号比亚迪牌BYD7005BEV", 900.0, 440.0, 0.9999));
        let sure = |l: &Line, _: usize| Some(l.clone());
        assert!(
            extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, sure)
                .accepted("model")
        );
    }

    #[test]
    fn a_confusable_character_needs_a_higher_bar() {
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines.push(line("品牌型号大众汽车牌FV7162FBDBG", 900.0, 440.0, 0.999));
        assert!(extract(DocumentKind::VehicleLicenseFront, &lines, None).accepted("model"));
        // The final G read with 0.97: above the codes' bar (0.95), below the confusables' (0.99).
        let last = lines.len() - 1;
        if let Some(c) = lines[last].chars.last_mut() {
            c.1 = 0.97;
        }
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("model"));
        // Read again from another crop with 0.985 for it too: both readings sure enough.
        let again = |p: f32| {
            move |l: &Line, _: usize| {
                let mut l = l.clone();
                if let Some(c) = l.chars.last_mut() {
                    c.1 = p;
                }
                Some(l)
            }
        };
        let r = extract_with_reread(
            DocumentKind::VehicleLicenseFront,
            &lines,
            None,
            again(0.985),
        );
        assert!(
            !r.accepted("model"),
            "0.97 in the first reading stays below 0.98"
        );
        if let Some(c) = lines[last].chars.last_mut() {
            c.1 = 0.985;
        }
        let r = extract_with_reread(
            DocumentKind::VehicleLicenseFront,
            &lines,
            None,
            again(0.985),
        );
        assert!(r.accepted("model"));
        let r = extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, again(0.97));
        assert!(
            !r.accepted("model"),
            "the second reading less sure: not accepted"
        );
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(
            !r.accepted("model"),
            "without a second reading, 0.99 is the bar"
        );
    }

    #[test]
    fn an_allowed_character_counts_what_the_field_excludes_and_its_same_outcome_against_nothing() {
        // Sets the probability and runners-up of character `i` of line `li`.
        let set = |lines: &mut [Line], li: usize, i: usize, p: f32, alts: Vec<(char, f32)>| {
            let l = &mut lines[li];
            l.alternatives = vec![Vec::new(); l.chars.len()];
            l.chars[i].1 = p;
            l.alternatives[i] = alts;
        };
        // A VIN's `0` at 0.54 against `O` at 0.46: a VIN has no `O`, so it is a `0` at 0.998.
        let mut lines = front_lines("LSVAG2186E2100273");
        set(&mut lines, 6, 11, 0.54, vec![('O', 0.455), ('\0', 0.001)]);
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(r.accepted("vin"));
        // Against `D` (a VIN may hold one) it stays at 0.54, under the VIN's bar.
        set(&mut lines, 6, 11, 0.54, vec![('D', 0.455), ('\0', 0.001)]);
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("vin"));
        // A plate's `1` at 0.985 with the full-width `１` at 0.008: the same character, 0.993,
        // over the confusables' bar; against `I` (never on a plate) the same.
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines[1] = line("号牌号码京A12345", 300.0, 200.0, 0.999);
        set(&mut lines, 1, 6, 0.985, vec![('１', 0.008), ('7', 0.001)]);
        assert!(extract(DocumentKind::VehicleLicenseFront, &lines, None).accepted("plateNumber"));
        set(&mut lines, 1, 6, 0.985, vec![('I', 0.008), ('7', 0.001)]);
        assert!(extract(DocumentKind::VehicleLicenseFront, &lines, None).accepted("plateNumber"));
        // Against `7` (a plate may hold one) it stays at 0.985, under the bar.
        set(&mut lines, 1, 6, 0.985, vec![('7', 0.008), ('I', 0.001)]);
        assert!(!extract(DocumentKind::VehicleLicenseFront, &lines, None).accepted("plateNumber"));
    }

    #[test]
    fn an_engine_number_is_capitals_and_digits_so_other_classes_count_against_nothing() {
        // "发动机号码T2XQ4687X" (held-out photo 97): its last `X` at 0.836 against `×` at 0.142.
        // The engine number with its last character read `c` at `p`, runners-up `alts`.
        let read = |c: char, p: f32, alts: Vec<(char, f32)>| {
            let mut lines = front_lines("LL1WNUJE8JPARFXLA");
            let mut l = line("发动机号码T2XQ4687X", 300.0, 440.0, 0.9999);
            l.alternatives = vec![Vec::new(); l.chars.len()];
            if let (Some(last), Some(a)) = (l.chars.last_mut(), l.alternatives.last_mut()) {
                *last = (c, p);
                *a = alts;
            }
            lines.push(l);
            let r = extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, |l, _| {
                Some(l.clone())
            });
            let engine = match &r.result {
                Recognized::VehicleLicenseFront(d) => d.engine_number.clone(),
                _ => None,
            };
            (engine, r.accepted("engineNumber"))
        };
        let x = |p: f32, alts: Vec<(char, f32)>| read('X', p, alts);
        // No engine number holds a `×`: an `X` at 0.836 / (1 - 0.142) = 0.974, over the bar.
        assert_eq!(
            x(0.836, vec![('×', 0.142), ('K', 0.002)]),
            (Some("T2XQ4687X".into()), true)
        );
        // Nor a lower case letter: `x` is the same character as `X`.
        assert_eq!(
            x(0.836, vec![('x', 0.142), ('K', 0.002)]),
            (Some("T2XQ4687X".into()), true)
        );
        // Against `K` (an engine number may hold one) it stays at 0.836, under the bar.
        assert_eq!(
            x(0.836, vec![('K', 0.142), ('×', 0.002)]),
            (Some("T2XQ4687X".into()), false)
        );
        // Read `x`: printed in capitals, it is given as `X`.
        assert_eq!(
            read('x', 0.99, vec![('X', 0.009)]),
            (Some("T2XQ4687X".into()), true)
        );
        // Read as no letter or digit at all (a `×`, a stroke read `丨`): kept, and refused for
        // its shape even with a letter among its runners-up.
        for c in ['×', '丨'] {
            let (engine, accepted) = read(c, 0.6, vec![('X', 0.39)]);
            assert!(!accepted, "{c}");
            assert_eq!(engine, Some(format!("T2XQ4687{c}")));
        }
    }

    #[test]
    fn the_label_s_last_character_cut_into_the_value_s_box_is_left_to_the_label() {
        // "号牌号码" (260–340) and, beside it, a box that begins inside it: its first character
        // (centre at 330) is what the value's box cut off the label's `码`, read `马`.
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines[1] = line("号牌号码", 300.0, 200.0, 0.999);
        lines.push(line("马京A12345", 400.0, 202.0, 0.999));
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        let plate = match &r.result {
            Recognized::VehicleLicenseFront(d) => d.plate_number.clone(),
            _ => None,
        };
        assert_eq!(plate.as_deref(), Some("京A12345"));
        assert!(r.accepted("plateNumber"));
        // A box that begins after the label keeps all its characters (the core refuses `马`).
        let n = lines.len();
        lines[n - 1] = line("马京A12345", 440.0, 202.0, 0.999);
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("plateNumber"));
    }

    #[test]
    fn a_letter_or_digit_before_a_fixed_length_value_in_its_second_reading_is_not_a_disagreement() {
        // The second reading of "注册日期2019-08-13"'s value took the label's last stroke as `1`.
        let lines = front_lines("LL1WNUJE8JPARFXLA");
        let date_again = |text: &'static str| {
            move |l: &Line, _: usize| -> Option<Line> {
                l.text
                    .starts_with("注册日期")
                    .then(|| line(text, 300.0, 380.0, 0.999))
                    .or_else(|| Some(l.clone()))
            }
        };
        let r = extract_with_reread(
            DocumentKind::VehicleLicenseFront,
            &lines,
            None,
            date_again("12019-08-13"),
        );
        assert!(r.accepted("registerDate"));
        // A different date is still a disagreement.
        let r = extract_with_reread(
            DocumentKind::VehicleLicenseFront,
            &lines,
            None,
            date_again("2019-08-18"),
        );
        assert!(!r.accepted("registerDate"));
    }

    #[test]
    fn a_value_on_a_line_that_reaches_the_frame_is_never_accepted() {
        // The document cut off by the frame: the VIN's line runs to the picture's edge (its
        // last characters may be beyond it).
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        assert!(extract(DocumentKind::VehicleLicenseFront, &lines, None).accepted("vin"));
        lines[6].at_edge = true;
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        let vin = r.fields.iter().find(|f| f.field == "vin").unwrap();
        assert_eq!(vin.acceptance, Acceptance::CutOff);
        assert_eq!(vin.acceptance.as_str(), "cutOff");
        assert!(
            r.accepted("plateNumber"),
            "the other lines are judged as before"
        );
    }

    #[test]
    fn a_plate_letter_o_becomes_the_best_allowed_reading_held_to_the_bars() {
        // "号牌号码川D97G2O": the last character read `O` (never on a plate).
        let with_last = |alts: Vec<(char, f32)>, p: f32| {
            let mut lines = front_lines("LL1WNUJE8JPARFXLA");
            lines[1] = line("号牌号码川D97G2O", 300.0, 200.0, 0.999);
            lines[1].alternatives = vec![Vec::new(); lines[1].chars.len()];
            let plate = &mut lines[1];
            if let (Some(c), Some(a)) = (plate.chars.last_mut(), plate.alternatives.last_mut()) {
                c.1 = p;
                *a = alts;
            }
            extract(DocumentKind::VehicleLicenseFront, &lines, None)
        };
        let plate = |r: &LocalReading| match &r.result {
            Recognized::VehicleLicenseFront(d) => d.plate_number.clone(),
            _ => None,
        };
        // `0` holds nearly all the rest: 0.0995 / (1 - 0.9) > 0.99, accepted as `0`.
        let r = with_last(vec![('0', 0.0995), ('\0', 0.0004)], 0.9);
        assert_eq!(plate(&r).as_deref(), Some("川D97G20"));
        assert!(r.accepted("plateNumber"));
        // `0` and `D` share it: `0` is read but below the confusables' bar.
        let r = with_last(vec![('0', 0.06), ('D', 0.04)], 0.9);
        assert_eq!(plate(&r).as_deref(), Some("川D97G20"));
        assert!(!r.accepted("plateNumber"));
        // Without runners-up the value stays as read and the core refuses it.
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines[1] = line("号牌号码川D97G2O", 300.0, 200.0, 0.999);
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("plateNumber"));
    }

    #[test]
    fn a_speck_read_as_i_before_a_plate_is_dropped_when_blank_is_next() {
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines[1] = line("号牌号码I川D97G2C", 300.0, 200.0, 0.999);
        lines[1].alternatives = vec![Vec::new(); lines[1].chars.len()];
        lines[1].chars[4].1 = 0.3;
        lines[1].alternatives[4] = vec![('\0', 0.69), ('1', 0.005)];
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        let Recognized::VehicleLicenseFront(d) = &r.result else {
            panic!("front expected")
        };
        assert_eq!(d.plate_number.as_deref(), Some("川D97G2C"));
        assert!(r.accepted("plateNumber"));
        // A blank less sure than that: 0.6 / 0.7 < 0.90, not accepted.
        lines[1].alternatives[4] = vec![('\0', 0.6), ('1', 0.1)];
        let r = extract(DocumentKind::VehicleLicenseFront, &lines, None);
        assert!(!r.accepted("plateNumber"));
    }

    #[test]
    fn the_back_page_is_read_by_its_labels() {
        let lines = vec![
            line("号牌号码川D97G2C", 300.0, 100.0, 0.999),
            line("档案编号510100123456", 900.0, 100.0, 0.999),
            line("核定载人数5人", 300.0, 160.0, 0.999),
            line("总质量2085kg", 900.0, 160.0, 0.999),
            line("整备质量1600kg", 300.0, 220.0, 0.999),
            line("核定载质量", 900.0, 220.0, 0.999),
            line("外廓尺寸4800×1800×1500mm", 300.0, 280.0, 0.999),
            line("准牵引总质量", 900.0, 280.0, 0.999),
            line("检验记录检验有效期至2027年08月川D", 300.0, 340.0, 0.999),
        ];
        let r = extract(DocumentKind::VehicleLicenseBack, &lines, None);
        let Recognized::VehicleLicenseBack(d) = &r.result else {
            panic!("back page expected")
        };
        assert_eq!(d.plate_number.as_deref(), Some("川D97G2C"));
        assert_eq!(d.file_number.as_deref(), Some("510100123456"));
        assert_eq!(d.approved_passengers, Some(5));
        assert_eq!(d.total_mass_kg, Some(2085));
        assert_eq!(d.curb_weight_kg, Some(1600));
        assert_eq!(d.inspection_valid_until.as_deref(), Some("2027-08"));
        assert!(crate::cascade::settled(
            DocumentKind::VehicleLicenseBack,
            &r
        ));
        assert!(r.accepted("approvedPassengers"));
        assert!(!r.accepted("inspectionRecord"), "free text: never accepted");
        assert!(
            !r.accepted("approvedLoadKg"),
            "a label without a value: missing"
        );
        // `准牵引总质量` is not taken for `总质量`.
        assert_eq!(d.traction_mass_kg, None);
        // A file number with a doubtful character: the page is not settled.
        let mut lines = lines;
        lines[1].chars[6].1 = 0.9;
        let r = extract(DocumentKind::VehicleLicenseBack, &lines, None);
        assert!(!crate::cascade::settled(
            DocumentKind::VehicleLicenseBack,
            &r
        ));
    }

    #[test]
    fn a_speck_in_the_second_reading_that_is_more_likely_nothing_is_not_a_letter() {
        let mut lines = front_lines("LL1WNUJE8JPARFXLA");
        lines.push(line("发动机号码DBA8WZK14D", 300.0, 440.0, 0.999));
        let reread = |nothing: f32| {
            move |l: &Line, _: usize| {
                // The second reading sees a speck before the engine number as `A` at 0.26.
                if !l.text.starts_with("发动机号码") {
                    return Some(l.clone());
                }
                let mut l = l.clone();
                l.alternatives = vec![Vec::new(); l.chars.len()];
                l.chars.insert(5, ('A', 0.26));
                l.positions.insert(5, 0.4);
                l.alternatives
                    .insert(5, vec![('\0', nothing), ('^', 0.13), ('∧', 0.1)]);
                l.text = l.chars.iter().map(|c| c.0).collect();
                Some(l)
            }
        };
        let r = extract_with_reread(
            DocumentKind::VehicleLicenseFront,
            &lines,
            None,
            reread(0.14),
        );
        assert!(r.accepted("engineNumber"));
        let r = extract_with_reread(DocumentKind::VehicleLicenseFront, &lines, None, reread(0.1));
        assert!(
            !r.accepted("engineNumber"),
            "the letter outweighs: the readings disagree"
        );
    }

    #[test]
    fn certificate_rows_with_numbers() {
        let lines = vec![
            line("3.登记日期", 300.0, 200.0, 0.99),
            line("2009-12-21", 900.0, 195.0, 0.99),
            line("11.发动机号", 300.0, 300.0, 0.99),
            line("865129X9U4", 900.0, 296.0, 0.99),
            line("12.发动机型号", 300.0, 400.0, 0.99),
            line("EA321", 900.0, 396.0, 0.99),
        ];
        let r = extract(DocumentKind::RegistrationCertificate, &lines, None);
        let Recognized::RegistrationCertificate(d) = &r.result else {
            panic!("certificate expected")
        };
        assert_eq!(d.registration_date.as_deref(), Some("2009-12-21"));
        assert_eq!(d.engine_number.as_deref(), Some("865129X9U4"));
        assert_eq!(d.engine_model.as_deref(), Some("EA321"));
    }

    #[test]
    fn distance_counts_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&c("所有人"), &c("所得人")), 1);
        assert_eq!(distance(&c("发动机号"), &c("发动机型号")), 1);
        assert_eq!(distance(&c(""), &c("ab")), 2);
    }
}
