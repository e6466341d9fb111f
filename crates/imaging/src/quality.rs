//! The photo quality report (issue 12): can an OCR engine read this photo, judged on the
//! device before anything is sent or paid for.
//!
//! Everything runs on a small luma copy (≤ [`MAX_ANALYSIS_SIDE`] px long side) and costs a few
//! milliseconds, so a camera preview can run it several times a second:
//!
//! - **document**: a line-based search for the document's quadrilateral. Strong straight edges
//!   are found with a gradient-oriented Hough transform; pairs of roughly parallel lines make
//!   quads, scored by how much of each side is an edge, by how little the side continues past its
//!   corners (a document's edge stops at its corner; the lines of a patterned table do not), and
//!   by priors on area and aspect (the 行驶证 page is 88 × 60 mm, the certificate A4). The frame's
//!   own borders stand in for a side that is outside the photo (the document is then `cutOff`).
//! - **sharpness**: the blur measure of Crété-Roffet et al. (2007) — how much of the neighbour
//!   variation survives a 9-pixel averaging — on the document region resampled to a fixed size,
//!   so it does not depend on the photo's resolution or contrast. 1 = sharp, 0 = flat.
//! - **print density** and **stroke balance**: thin dark strokes on the same copy, seen across
//!   rows and across columns. No print: a blank card or the table. Strokes one way only: motion.
//! - **print at the frame's edge**: print the frame cuts through (`cutOff` even when the outline
//!   found is a smaller, whole-looking quad inside the document).
//! - **brightness**: the document region's mean luma (0–1).
//! - **glare**: connected blobs of saturated pixels inside the document (a reflection on the
//!   plastic sleeve), as a fraction of the document's area; scattered white pixels are not glare.
//! - **textHeightPx**: the height of the document's printed values in the image that will be
//!   sent, from the document's size and its standard layout.
//!
//! The thresholds are calibrated against a real OCR engine on generated photos
//! (`bench/ocr/`, BENCHMARKS.md) and every one is tunable.

/// Long side of the luma copy the analysis expects (larger inputs are reduced first).
pub const MAX_ANALYSIS_SIDE: usize = 640;
/// Long side of the copy the document search runs on.
const DETECT_SIDE: usize = 320;
/// The document region is resampled to (at most) this height before the blur measure.
const SHARPNESS_HEIGHT: usize = 256;
/// A document whose visible part lacks more than this share of its expected size is cut off.
const CUT_OFF_MISSING: f32 = 0.12;
/// An outline side with paper beyond it (relative luma difference 10 % out vs 10 % in below this)
/// is a line inside the document, which then continues past it: cut off.
const PAPER_BEYOND: f32 = 0.02;
/// With no outline found, a print density at least this over the middle of the frame means the
/// document fills the frame.
const FILLS_FRAME_PRINT: f32 = 0.02;
/// A pixel at or above this luma is saturated (glare).
const SATURATED: u8 = 254;

/// Which document is expected; it sets the layout priors (aspect, printed text size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 行驶证 page, 88 × 60 mm; printed values ≈ 3 mm high.
    Licence,
    /// 机动车登记证书, A4; printed values ≈ 3.5 mm high.
    Certificate,
}

impl Layout {
    /// Long side / short side of the document.
    fn aspect(self) -> f32 {
        match self {
            Layout::Licence => 88.0 / 60.0,
            Layout::Certificate => 297.0 / 210.0,
        }
    }
    /// Strokes across columns / across rows (the weaker over the stronger) on a sharp photo:
    /// the licence prints as many vertical strokes as horizontal ones; the certificate's table
    /// rules and small print are mostly horizontal.
    fn stroke_balance(self) -> f32 {
        match self {
            Layout::Licence => 1.0,
            Layout::Certificate => 0.22,
        }
    }
    /// Added to `minSharpness`: the blur is measured on a copy 256 px high, where the
    /// certificate's values (3.5 mm of 297 mm) are 4× smaller than the licence's (3 mm of 60 mm
    /// across 88), so the same blur costs it more.
    fn sharpness_margin(self) -> f32 {
        match self {
            Layout::Licence => 0.0,
            Layout::Certificate => 0.2,
        }
    }
    /// Printed value height / the document's short side.
    fn text_ratio(self) -> f32 {
        match self {
            Layout::Licence => 3.0 / 60.0,
            Layout::Certificate => 3.5 / 210.0,
        }
    }
}

/// Why a photo should be retaken (stable codes: the `reasons` of the JS report).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Blurry,
    Dark,
    Overexposed,
    Glare,
    NoDocument,
    TooFar,
    CutOff,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Blurry => "blurry",
            Reason::Dark => "dark",
            Reason::Overexposed => "overexposed",
            Reason::Glare => "glare",
            Reason::NoDocument => "noDocument",
            Reason::TooFar => "tooFar",
            Reason::CutOff => "cutOff",
        }
    }
    /// The guidance shown to the person holding the phone, in Chinese.
    pub fn message_zh(self) -> &'static str {
        match self {
            Reason::Blurry => "照片模糊，请对焦并保持稳定",
            Reason::Dark => "光线太暗，请到明亮处拍摄",
            Reason::Overexposed => "曝光过度，请避开强光",
            Reason::Glare => "有反光，请调整角度避开反光",
            Reason::NoDocument => "未检测到证件，请将证件放入画面",
            Reason::TooFar => "证件太小，请靠近一点",
            Reason::CutOff => "证件不完整，请将整个证件放入画面",
        }
    }
    /// The same guidance in English.
    pub fn message_en(self) -> &'static str {
        match self {
            Reason::Blurry => "The photo is blurry: focus and hold the phone still",
            Reason::Dark => "Too dark: move to better light",
            Reason::Overexposed => "Overexposed: avoid direct light",
            Reason::Glare => "Glare on the document: tilt it away from the light",
            Reason::NoDocument => "No document found: put the document in the frame",
            Reason::TooFar => "The document is too small: move closer",
            Reason::CutOff => "The document is cut off: fit all of it in the frame",
        }
    }
}

/// Every check's limit. `Default` is the calibrated policy (BENCHMARKS.md, "Quality gate").
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Below this sharpness the photo is `blurry`.
    pub min_sharpness: f32,
    /// Below this mean luma (0–1) of the document it is `dark`.
    pub min_brightness: f32,
    /// Above this mean luma it is `overexposed`.
    pub max_brightness: f32,
    /// Above this fraction of the document covered by saturated blobs it has `glare`.
    pub max_glare_ratio: f32,
    /// Below this printed-text height (px, in the image that is sent) it is `tooFar`.
    pub min_text_height_px: f32,
    /// A quad scoring below this is not a document (`noDocument`).
    pub min_document_score: f32,
    /// Below this print density (thin dark strokes per pixel) an outline holds no print: a
    /// blank card or the table (`noDocument`), or print blurred away (`blurry`).
    pub min_print_density: f32,
    /// Below this stroke balance the print is smeared in one direction (`blurry`: motion).
    pub min_stroke_balance: f32,
    /// Above this print density along the frame's edge the frame cuts the print (`cutOff`).
    pub max_print_at_edge: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_sharpness: 0.55,
            min_brightness: 0.09,
            max_brightness: 0.995,
            max_glare_ratio: 0.27,
            min_text_height_px: 11.0,
            min_document_score: 0.35,
            min_print_density: 0.002,
            min_stroke_balance: 0.45,
            max_print_at_edge: 0.038,
        }
    }
}

impl Thresholds {
    /// The names the JS option `thresholds` takes, in order.
    pub const NAMES: [&'static str; 9] = [
        "minSharpness",
        "minBrightness",
        "maxBrightness",
        "maxGlareRatio",
        "minTextHeightPx",
        "minDocumentScore",
        "minPrintDensity",
        "minStrokeBalance",
        "maxPrintAtEdge",
    ];

    /// Set one threshold by its JS name; `Err` names what is wrong (never the value).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        let unit = (0.0..=1.0).contains(&value);
        let v = value as f32;
        match name {
            "minSharpness" if unit => self.min_sharpness = v,
            "minBrightness" if unit => self.min_brightness = v,
            "maxBrightness" if unit => self.max_brightness = v,
            "maxGlareRatio" if unit => self.max_glare_ratio = v,
            "minDocumentScore" if unit => self.min_document_score = v,
            "minPrintDensity" if unit => self.min_print_density = v,
            "minStrokeBalance" if unit => self.min_stroke_balance = v,
            "maxPrintAtEdge" if unit => self.max_print_at_edge = v,
            "minTextHeightPx" if value.is_finite() && value >= 0.0 => self.min_text_height_px = v,
            "minTextHeightPx" => {
                return Err(format!("thresholds.{name} must be a number of pixels ≥ 0"))
            }
            _ if Self::NAMES.contains(&name) => {
                return Err(format!("thresholds.{name} must be a number from 0 to 1"))
            }
            _ => {
                return Err(format!(
                    "unknown threshold `{name}` (known: {})",
                    Self::NAMES.join(", ")
                ))
            }
        }
        Ok(())
    }
}

/// The document's outline: corners clockwise from top-left, in 0–1 fractions of the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub quad: [[f32; 2]; 4],
    /// Document area / frame area (the part inside the frame).
    pub fill: f32,
    /// A side is outside the frame.
    pub cut_off: bool,
    /// The search's confidence (0–1).
    pub score: f32,
}

/// The quality report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The layout the photo was judged for.
    pub layout: Layout,
    pub reasons: Vec<Reason>,
    pub sharpness: f32,
    pub brightness: f32,
    pub glare_ratio: f32,
    pub document: Option<Document>,
    pub text_height_px: Option<f32>,
    /// The share of the document's pixels (on its copy 256 px high) that are thin dark strokes:
    /// print. A blank card or a table's checks have none; blur removes them.
    pub print_density: f32,
    /// The weaker of the strokes seen across rows and across columns over the stronger, over the
    /// layout's own balance (0–1): motion smears the strokes across its direction only.
    pub stroke_balance: f32,
    /// Print the frame's edge cuts through (stroke density in a strip along the edge, the
    /// largest of the four; 0 without a document).
    pub print_at_edge: f32,
}

impl Report {
    /// `true` when no check failed.
    pub fn ok(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// A grayscale picture (row-major, `width * height` bytes).
#[derive(Debug, Clone)]
pub struct Luma {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Luma {
    /// `None` when the dimensions do not match the pixel count or are zero.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Option<Luma> {
        (width > 0 && height > 0 && width.checked_mul(height) == Some(pixels.len())).then_some(
            Luma {
                width,
                height,
                pixels,
            },
        )
    }

    /// Luma of RGBA pixels (Rec. 601 weights, integer), reduced by whole-pixel box averaging so
    /// that the long side is at most `max_side`.
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8], max_side: usize) -> Option<Luma> {
        if width == 0 || height == 0 || width.checked_mul(height)?.checked_mul(4)? != rgba.len() {
            return None;
        }
        let full: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| luma_of(p[0], p[1], p[2]))
            .collect();
        Some(
            Luma {
                width,
                height,
                pixels: full,
            }
            .reduced(max_side),
        )
    }

    /// A copy whose long side is at most `max_side` (box averaging; never enlarged).
    pub fn reduced(self, max_side: usize) -> Luma {
        let long = self.width.max(self.height);
        if long <= max_side || max_side == 0 {
            return self;
        }
        let dw = (self.width * max_side).div_ceil(long).max(1);
        let dh = (self.height * max_side).div_ceil(long).max(1);
        self.resampled(dw, dh)
    }

    /// Area-average resampling to `dw` × `dh` (dw ≤ width, dh ≤ height).
    fn resampled(&self, dw: usize, dh: usize) -> Luma {
        let (w, h) = (self.width, self.height);
        let mut out = vec![0u8; dw * dh];
        // Column ranges once.
        let cols: Vec<(usize, usize)> = (0..dw)
            .map(|x| (x * w / dw, ((x + 1) * w / dw).max(x * w / dw + 1).min(w)))
            .collect();
        let mut acc = vec![0u32; dw];
        for (y, orow) in out.chunks_exact_mut(dw).enumerate() {
            let y0 = y * h / dh;
            let y1 = ((y + 1) * h / dh).max(y0 + 1).min(h);
            acc.iter_mut().for_each(|a| *a = 0);
            for row in self.pixels.chunks_exact(w).skip(y0).take(y1 - y0) {
                for (a, &(x0, x1)) in acc.iter_mut().zip(&cols) {
                    *a += row
                        .get(x0..x1)
                        .map_or(0, |s| s.iter().map(|&v| u32::from(v)).sum::<u32>());
                }
            }
            for ((o, a), &(x0, x1)) in orow.iter_mut().zip(&acc).zip(&cols) {
                let n = ((x1 - x0) * (y1 - y0)).max(1) as u32;
                *o = ((a + n / 2) / n) as u8;
            }
        }
        Luma {
            width: dw,
            height: dh,
            pixels: out,
        }
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels.get(y * self.width + x).copied().unwrap_or(0)
    }
}

/// Rec. 601 luma, integer weights.
fn luma_of(r: u8, g: u8, b: u8) -> u8 {
    ((77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b) + 128) >> 8) as u8
}

/// Assess a photo. `luma`: the photo (upright), ideally ≤ [`MAX_ANALYSIS_SIDE`] px (larger is
/// reduced first). `sent_long_side`: the long side, in pixels, of the image that will be sent
/// (text height is reported at that scale).
pub fn assess(luma: Luma, sent_long_side: u32, layout: Layout, t: &Thresholds) -> Report {
    let luma = luma.reduced(MAX_ANALYSIS_SIDE);
    let mut document = find_document(&luma, layout, t.min_document_score);
    // A line inside the document (a row of print, the printed frame) with paper beyond it: the
    // real document continues past the outline and the frame cuts it.
    if let Some(d) = document.as_mut() {
        if paper_beyond(&luma, &d.quad) < PAPER_BEYOND {
            d.cut_off = true;
        }
    }
    // The region the other measures look at: the document's bounding box (shrunk by 8 % so the
    // table does not count), or the middle of the frame when no document was found.
    let region = match &document {
        Some(d) => bbox(&d.quad, luma.width, luma.height, 0.08),
        None => (
            luma.width / 5,
            luma.height / 5,
            luma.width * 4 / 5,
            luma.height * 4 / 5,
        ),
    };
    let brightness = brightness(&luma, region);
    let c = sharpness_copy(&luma, region);
    let sharpness = sharpness(&c);
    // Print: thin dark strokes, 20 levels darker than both neighbours 2 px away (less on very
    // dark paper: 30 % of its brightness).
    let contrast = (brightness * 76.5).clamp(6.0, 20.0) as u8;
    let [across_rows, across_cols] = stroke_densities(&c, 2, contrast);
    let print_density = across_rows.max(across_cols);
    let stroke_balance = (across_rows.min(across_cols)
        / across_cols.max(across_rows).max(1e-6)
        / layout.stroke_balance())
    .min(1.0);
    let glare_ratio = match &document {
        Some(_) => glare_ratio(&luma, region),
        None => 0.0,
    };
    let print_at_edge = match &document {
        Some(_) if luma.width > 16 && luma.height > 16 => print_at_edge(&luma),
        _ => 0.0,
    };
    let scale = sent_long_side as f32 / luma.width.max(luma.height) as f32;
    let text_height_px = document.as_ref().map(|d| {
        let short = short_side_px(&d.quad, luma.width, luma.height) * scale;
        short * layout.text_ratio()
    });
    let mut report = Report {
        layout,
        reasons: Vec::new(),
        sharpness,
        brightness,
        glare_ratio,
        print_density,
        stroke_balance,
        print_at_edge,
        document,
        text_height_px,
    };
    report.reasons = report.judge(t);
    report
}

impl Report {
    /// The reasons to retake with thresholds `t` (everything but `minDocumentScore`, which the
    /// document search uses): a rule is written once, here.
    pub fn judge(&self, t: &Thresholds) -> Vec<Reason> {
        let mut reasons = Vec::new();
        let blurry = self.sharpness < t.min_sharpness + self.layout.sharpness_margin();
        match &self.document {
            // No outline, but the middle of the frame is full of print: the document fills the
            // frame (a scan, or its edges washed out by light).
            None if self.print_density >= FILLS_FRAME_PRINT && self.stroke_balance >= 0.5 => {}
            None => reasons.push(Reason::NoDocument),
            Some(d) => {
                // An outline with no print inside: a blank card or a patch of table, unless the
                // print is blurred away.
                if self.print_density < t.min_print_density && !blurry {
                    reasons.push(Reason::NoDocument);
                }
                if d.cut_off || self.print_at_edge > t.max_print_at_edge {
                    reasons.push(Reason::CutOff);
                }
                if self
                    .text_height_px
                    .is_some_and(|h| h < t.min_text_height_px)
                {
                    reasons.push(Reason::TooFar);
                }
            }
        }
        // With no document found, dim light is the likely reason: say so under twice the limit.
        let no_doc = reasons.contains(&Reason::NoDocument);
        if self.brightness < t.min_brightness * if no_doc { 2.0 } else { 1.0 } {
            reasons.push(Reason::Dark);
        } else if self.brightness > t.max_brightness {
            reasons.push(Reason::Overexposed);
        } else if self.glare_ratio > t.max_glare_ratio {
            reasons.push(Reason::Glare);
        }
        // A dark or washed-out photo has little contrast left to judge focus by. Motion smears
        // the strokes across its direction only: the balance of the two falls.
        let smeared = self.document.is_some()
            && self.print_density >= t.min_print_density
            && self.stroke_balance < t.min_stroke_balance;
        if (blurry || smeared) && !reasons.contains(&Reason::Overexposed) {
            reasons.push(Reason::Blurry);
        }
        reasons
    }
}

// ---- measures -------------------------------------------------------------------------------

type Region = (usize, usize, usize, usize); // x0, y0, x1, y1 (exclusive)

fn crop(l: &Luma, (x0, y0, x1, y1): Region) -> Luma {
    // Clamped to the picture: at least one pixel.
    let (x0, y0) = (x0.min(l.width - 1), y0.min(l.height - 1));
    let (w, h) = (
        x1.min(l.width).saturating_sub(x0).max(1),
        y1.min(l.height).saturating_sub(y0).max(1),
    );
    let mut px = Vec::with_capacity(w * h);
    for row in l.pixels.chunks_exact(l.width).skip(y0).take(h) {
        px.extend_from_slice(&row[x0..x0 + w]);
    }
    Luma {
        width: w,
        height: h,
        pixels: px,
    }
}

/// The region resampled to (at most) [`SHARPNESS_HEIGHT`] px high, for the blur and print
/// measures (a fixed scale: the same document at 2 or 48 MP measures the same).
fn sharpness_copy(l: &Luma, region: Region) -> Luma {
    let c = crop(l, region);
    let h = c.height.min(SHARPNESS_HEIGHT);
    let w = (c.width * h / c.height.max(1)).clamp(1, c.width);
    if h < c.height {
        c.resampled(w, h)
    } else {
        c
    }
}

/// Crété-Roffet blur measure along rows and columns, taking the worse; 1 − blur, so 1 is sharp.
fn sharpness(c: &Luma) -> f32 {
    if c.width < 12 || c.height < 12 {
        return 0.0;
    }
    1.0 - blur_effect(c, true).max(blur_effect(c, false))
}

fn blur_effect(c: &Luma, horizontal: bool) -> f32 {
    const K: usize = 9;
    let (len, lines) = if horizontal {
        (c.width, c.height)
    } else {
        (c.height, c.width)
    };
    let mut s_f = 0.0f64;
    let mut s_v = 0.0f64;
    let mut line = vec![0.0f32; len];
    let mut blurred = vec![0.0f32; len];
    for j in 0..lines {
        for (i, v) in line.iter_mut().enumerate() {
            *v = f32::from(if horizontal { c.at(i, j) } else { c.at(j, i) });
        }
        // 1 × 9 moving average (clamped at the ends), as a running sum.
        let mut sum: f32 = line.iter().take(K / 2).sum();
        for (i, b) in blurred.iter_mut().enumerate() {
            if let Some(v) = line.get(i + K / 2) {
                sum += v;
            }
            if i > K / 2 {
                sum -= line.get(i - K / 2 - 1).copied().unwrap_or(0.0);
            }
            let lo = i.saturating_sub(K / 2);
            let hi = (i + K / 2 + 1).min(len);
            *b = sum / (hi - lo) as f32;
        }
        for i in 1..len {
            let d_f = (line[i] - line[i - 1]).abs();
            let d_b = (blurred[i] - blurred[i - 1]).abs();
            s_f += f64::from(d_f);
            s_v += f64::from((d_f - d_b).max(0.0));
        }
    }
    if s_f <= 0.0 {
        return 1.0;
    }
    ((s_f - s_v) / s_f) as f32
}

/// The shares of pixels that are thin dark strokes: darker by `contrast` than both neighbours
/// `r` pixels away along the row (a stroke across the row), and along the column. The edge of a
/// dark area (a table's checks) is not a stroke; a blank card has none.
fn stroke_densities(c: &Luma, r: usize, contrast: u8) -> [f32; 2] {
    let (w, h) = (c.width, c.height);
    if w <= 2 * r || h <= 2 * r {
        return [0.0; 2];
    }
    let (mut rows, mut cols) = (0u32, 0u32);
    for y in r..h - r {
        for x in r..w - r {
            let v = c.at(x, y).saturating_add(contrast);
            rows += u32::from(c.at(x - r, y) > v && c.at(x + r, y) > v);
            cols += u32::from(c.at(x, y - r) > v && c.at(x, y + r) > v);
        }
    }
    let n = ((w - 2 * r) * (h - 2 * r)) as f32;
    [rows as f32 / n, cols as f32 / n]
}

/// Print the frame cuts through: the density of strokes seen both across rows and across columns
/// in a strip (3 % of the long side) along each edge of the frame, the largest of the four. The
/// contrast a stroke needs grows with the photo's noise (4 × the median difference between
/// neighbours), so sensor noise is not print.
fn print_at_edge(l: &Luma) -> f32 {
    let (w, h) = (l.width, l.height);
    let mut hist = [0u32; 256];
    for y in h / 4..h * 3 / 4 {
        for x in w / 4..(w * 3 / 4).min(w - 1) {
            hist[usize::from(l.at(x, y).abs_diff(l.at(x + 1, y)))] += 1;
        }
    }
    let half = hist.iter().sum::<u32>() / 2;
    let mut seen = 0;
    let mad = hist
        .iter()
        .position(|&n| {
            seen += n;
            seen > half
        })
        .unwrap_or(0) as u32;
    let contrast = (mad * 4).clamp(20, 120) as u8;
    let m = (w.max(h) * 3 / 100).clamp(6, w.min(h));
    [
        (0, 0, m, h),
        (w - m, 0, w, h),
        (0, 0, w, m),
        (0, h - m, w, h),
    ]
    .iter()
    .map(|&r| {
        let [a, b] = stroke_densities(&crop(l, r), 2, contrast);
        a.min(b)
    })
    .fold(0.0f32, f32::max)
}

/// How much the picture just outside the quad's sides looks like its inside: for each side not
/// on the frame's border, the median over points along it of |luma 10 % outside − luma 10 %
/// inside| / luma inside; the smallest over the sides. A document's edge has the table outside
/// (a large difference); a line inside the document (a row of print, the printed frame) has
/// paper on both sides (≈ 0): the real document continues there.
fn paper_beyond(l: &Luma, q: &[[f32; 2]; 4]) -> f32 {
    let p = q.map(|[x, y]| [x * l.width as f32, y * l.height as f32]);
    let c = [
        p.iter().map(|v| v[0]).sum::<f32>() / 4.0,
        p.iter().map(|v| v[1]).sum::<f32>() / 4.0,
    ];
    let size = (polygon_area(&p)).sqrt();
    let near_border = |v: [f32; 2]| {
        let m = 0.02 * l.width.max(l.height) as f32;
        v[0] < m || v[1] < m || v[0] > l.width as f32 - m || v[1] > l.height as f32 - m
    };
    let sample = |v: [f32; 2]| -> Option<f32> {
        let (x, y) = (v[0].round(), v[1].round());
        if x < 1.0 || y < 1.0 || x >= l.width as f32 - 1.0 || y >= l.height as f32 - 1.0 {
            return None;
        }
        let (x, y) = (x as usize, y as usize);
        let mut s = 0u32;
        for yy in y - 1..=y + 1 {
            for xx in x - 1..=x + 1 {
                s += u32::from(l.at(xx, yy));
            }
        }
        Some(s as f32 / 9.0)
    };
    let mut best = f32::INFINITY;
    for i in 0..4 {
        let (a, b) = (p[i], p[(i + 1) % 4]);
        if near_border(a) && near_border(b) {
            continue; // a side on the frame's border
        }
        let len = dist(a, b).max(1.0);
        let mut n = [(b[1] - a[1]) / len, (a[0] - b[0]) / len];
        let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
        if (mid[0] - c[0]) * n[0] + (mid[1] - c[1]) * n[1] < 0.0 {
            n = [-n[0], -n[1]];
        }
        let step = 0.1 * size;
        let mut diffs = Vec::new();
        for t in 1..10 {
            let f = t as f32 / 10.0;
            let on = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
            let out = sample([on[0] + n[0] * step, on[1] + n[1] * step]);
            let inn = sample([on[0] - n[0] * step, on[1] - n[1] * step]);
            if let (Some(o), Some(v)) = (out, inn) {
                diffs.push((o - v).abs() / v.max(1.0));
            }
        }
        if diffs.len() >= 5 {
            let k = diffs.len() / 2;
            let m = *diffs.select_nth_unstable_by(k, f32::total_cmp).1;
            best = best.min(m);
        }
    }
    if best.is_finite() {
        best
    } else {
        1.0
    }
}

/// Mean luma (0–1) of the region.
fn brightness(l: &Luma, (x0, y0, x1, y1): Region) -> f32 {
    let mut sum = 0u64;
    let mut n = 0u64;
    for y in y0..y1.min(l.height) {
        for x in x0..x1.min(l.width) {
            sum += u64::from(l.at(x, y));
            n += 1;
        }
    }
    if n == 0 {
        return 0.0;
    }
    sum as f32 / n as f32 / 255.0
}

/// The share of the region covered by connected saturated blobs of at least 0.3 % of it.
fn glare_ratio(l: &Luma, region: Region) -> f32 {
    let c = crop(l, region).reduced(384);
    let (w, h) = (c.width, c.height);
    let mut seen = vec![false; w * h];
    let min_blob = (w * h * 3 / 1000).max(4);
    let mut covered = 0usize;
    let mut stack = Vec::new();
    for start in 0..w * h {
        if seen[start] || c.pixels[start] < SATURATED {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut area = 0usize;
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        while let Some(i) = stack.pop() {
            area += 1;
            let (x, y) = (i % w, i / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            let mut visit = |j: usize| {
                if !seen[j] && c.pixels[j] >= SATURATED {
                    seen[j] = true;
                    stack.push(j);
                }
            };
            if x > 0 {
                visit(i - 1);
            }
            if x + 1 < w {
                visit(i + 1);
            }
            if y > 0 {
                visit(i - w);
            }
            if y + 1 < h {
                visit(i + w);
            }
        }
        // Glare washes the print out: a blob with print still inside it is bright paper (an
        // over-exposed but readable document), not a reflection.
        let (qx, qy) = ((x1 - x0) / 4, (y1 - y0) / 4);
        if area >= min_blob && !has_print(&c, (x0 + qx, y0 + qy, x1 + 1 - qx, y1 + 1 - qy)) {
            covered += area;
        }
    }
    covered as f32 / (w * h) as f32
}

/// Whether at least 2 % of the region's pixels are print (clearly darker than paper).
fn has_print(c: &Luma, (x0, y0, x1, y1): Region) -> bool {
    let mut dark = 0usize;
    for y in y0..y1 {
        for x in x0..x1 {
            dark += usize::from(c.at(x, y) < 200);
        }
    }
    dark * 50 > (x1 - x0) * (y1 - y0)
}

// ---- document search ------------------------------------------------------------------------

/// A line `x cos θ + y sin θ = rho` in detection-image pixels; `border`: one of the frame's edges.
#[derive(Debug, Clone, Copy)]
struct Line {
    theta: f32,
    rho: f32,
    border: bool,
    /// cos θ and sin θ, once (the quad search intersects every pair of lines many times).
    cos: f32,
    sin: f32,
}

impl Line {
    /// The line of Hough angle bin `t` (θ = t × π / [`THETA_BINS`]) at distance `rho`.
    fn new(t: usize, rho: f32, border: bool) -> Line {
        let (cos, sin) = bin_trig(t);
        Line {
            theta: t as f32 * std::f32::consts::PI / THETA_BINS as f32,
            rho,
            border,
            cos,
            sin,
        }
    }
}

fn intersect(a: Line, b: Line) -> Option<[f32; 2]> {
    let (ca, sa, cb, sb) = (a.cos, a.sin, b.cos, b.sin);
    let det = ca * sb - sa * cb;
    if det.abs() < 1e-3 {
        return None;
    }
    Some([
        (a.rho * sb - b.rho * sa) / det,
        (ca * b.rho - cb * a.rho) / det,
    ])
}

struct Edges {
    w: usize,
    h: usize,
    /// Squared gradient magnitudes.
    mag: Vec<f32>,
    gx: Vec<f32>,
    gy: Vec<f32>,
    /// The squared magnitude of a strong edge.
    strong: f32,
    /// Summed-area table of strong-edge pixels, (w + 1) × (h + 1).
    sat: Vec<u32>,
}

impl Edges {
    fn new(l: &Luma) -> Edges {
        let (w, h) = (l.width, l.height);
        // 3 × 3 box sums (separable, edges clamped; integers), then Sobel on them / 9.
        let mut r = vec![0u16; w * h];
        for (row, out) in l.pixels.chunks_exact(w).zip(r.chunks_exact_mut(w)) {
            for (x, o) in out.iter_mut().enumerate() {
                let a = row[x.saturating_sub(1)];
                let c = row[(x + 1).min(w - 1)];
                *o = u16::from(a) + u16::from(row[x]) + u16::from(c);
            }
        }
        let mut s = vec![0i32; w * h];
        for y in 0..h {
            let (up, mid, down) = (
                &r[y.saturating_sub(1) * w..][..w],
                &r[y * w..][..w],
                &r[(y + 1).min(h - 1) * w..][..w],
            );
            for (x, o) in s[y * w..][..w].iter_mut().enumerate() {
                *o = i32::from(up[x]) + i32::from(mid[x]) + i32::from(down[x]);
            }
        }
        // Squared gradient magnitudes (no square roots: every use compares them).
        let mut mag = vec![0.0f32; w * h];
        let mut gx = vec![0.0f32; w * h];
        let mut gy = vec![0.0f32; w * h];
        for y in 1..h.saturating_sub(1) {
            let (up, mid, down) = (
                &s[(y - 1) * w..][..w],
                &s[y * w..][..w],
                &s[(y + 1) * w..][..w],
            );
            for x in 1..w - 1 {
                let sx = up[x + 1] + 2 * mid[x + 1] + down[x + 1]
                    - up[x - 1]
                    - 2 * mid[x - 1]
                    - down[x - 1];
                let sy =
                    down[x - 1] + 2 * down[x] + down[x + 1] - up[x - 1] - 2 * up[x] - up[x + 1];
                let (fx, fy) = (sx as f32 / 9.0, sy as f32 / 9.0);
                let i = y * w + x;
                gx[i] = fx;
                gy[i] = fy;
                mag[i] = fx * fx + fy * fy;
            }
        }
        // "Strong": above the 85th percentile and an absolute floor (40, squared).
        let mut nonzero: Vec<f32> = mag.iter().copied().filter(|&m| m > 0.0).collect();
        let k = nonzero.len() * 85 / 100;
        let p85 = if k < nonzero.len() {
            *nonzero.select_nth_unstable_by(k, f32::total_cmp).1
        } else {
            0.0
        };
        let strong = p85.max(1600.0);
        let mut sat = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u32;
            for x in 0..w {
                row += u32::from(mag[y * w + x] >= strong);
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        Edges {
            w,
            h,
            mag,
            gx,
            gy,
            strong,
            sat,
        }
    }

    /// Strong-edge pixels in [x0, x1) × [y0, y1).
    fn strong_in(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> u32 {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        if x1 <= x0 || y1 <= y0 {
            return 0;
        }
        let s = |x: usize, y: usize| self.sat[y * (self.w + 1) + x];
        (s(x1, y1) + s(x0, y0)).saturating_sub(s(x0, y1) + s(x1, y0))
    }

    /// Whether (x, y) (or a neighbour) is a strong edge whose gradient is across `normal`.
    fn supports(&self, x: f32, y: f32, normal: [f32; 2]) -> bool {
        // (v + 0.5).floor(): one wasm instruction, where round() is a libm call.
        let (xi, yi) = ((x + 0.5).floor() as isize, (y + 0.5).floor() as isize);
        for dy in -1..=1isize {
            for dx in -1..=1isize {
                let (xx, yy) = (xi + dx, yi + dy);
                if xx < 0 || yy < 0 || xx as usize >= self.w || yy as usize >= self.h {
                    continue;
                }
                let i = yy as usize * self.w + xx as usize;
                let m = self.mag[i];
                if m >= self.strong {
                    // |cos| of the gradient and the normal > 0.9, in squares.
                    let dot = self.gx[i] * normal[0] + self.gy[i] * normal[1];
                    if dot * dot > 0.81 * m {
                        return true;
                    }
                }
            }
        }
        false
    }
}

const THETA_BINS: usize = 180;

/// cos θ and sin θ of Hough bin `t` (θ = t°), by repeated rotation in f64 from the exact step
/// (its error stays under 1e-13): no libm trigonometry, whose large-argument reduction alone
/// would cost the quality modules 4 KB.
fn bin_trig(t: usize) -> (f32, f32) {
    const _: () = assert!(THETA_BINS == 180, "the step below is 1 degree");
    const COS_STEP: f64 = 0.999_847_695_156_391_2;
    const SIN_STEP: f64 = 0.017_452_406_437_283_51;
    let (mut c, mut s) = (1.0f64, 0.0f64);
    for _ in 0..t % THETA_BINS {
        (c, s) = (c * COS_STEP - s * SIN_STEP, s * COS_STEP + c * SIN_STEP);
    }
    (c as f32, s as f32)
}

/// The strongest straight edges (gradient-oriented Hough transform with non-maximum suppression).
fn hough_lines(e: &Edges, max_lines: usize) -> Vec<Line> {
    let diag = ((e.w * e.w + e.h * e.h) as f32).sqrt().ceil() as usize;
    let rho_bins = 2 * diag + 1;
    let mut acc = vec![0.0f32; THETA_BINS * rho_bins];
    let trig: Vec<(f32, f32)> = (0..THETA_BINS).map(bin_trig).collect();
    for y in 0..e.h {
        for x in 0..e.w {
            let i = y * e.w + x;
            let m = e.mag[i];
            if m < e.strong {
                continue;
            }
            // The line's normal is the gradient direction; vote within ±6°.
            let mut th = e.gy[i].atan2(e.gx[i]);
            if th < 0.0 {
                th += std::f32::consts::PI;
            }
            let center = (th / std::f32::consts::PI * THETA_BINS as f32 + 0.5).floor() as isize;
            for dt in -6..=6isize {
                let t = (center + dt).rem_euclid(THETA_BINS as isize) as usize;
                let (c, s) = trig[t];
                let rho = x as f32 * c + y as f32 * s;
                let r = (rho + diag as f32 + 0.5).floor() as usize;
                if let Some(cell) = acc.get_mut(t * rho_bins + r) {
                    *cell += 1.0;
                }
            }
        }
    }
    // Peaks, strongest first, each at least ±8° and ±4 % of the diagonal away from a stronger
    // one (ρ changes sign where θ wraps around 180°).
    let min_votes = (e.w.min(e.h) as f32 * 0.12).max(8.0);
    let mut cells: Vec<(f32, usize)> = acc
        .iter()
        .enumerate()
        .filter(|(_, &v)| v >= min_votes)
        .map(|(i, &v)| (v, i))
        .collect();
    cells.sort_by(|a, b| b.0.total_cmp(&a.0));
    let dr = (diag as f32 * 0.04).max(3.0);
    let dth = 8.0 * std::f32::consts::PI / THETA_BINS as f32;
    let mut lines: Vec<Line> = Vec::new();
    for (_, i) in cells {
        if lines.len() >= max_lines {
            break;
        }
        let t = i / rho_bins;
        let theta = t as f32 * std::f32::consts::PI / THETA_BINS as f32;
        let rho = (i % rho_bins) as f32 - diag as f32;
        let near = lines.iter().any(|l| {
            let d = (l.theta - theta).abs();
            if d < dth {
                (l.rho - rho).abs() < dr
            } else if std::f32::consts::PI - d < dth {
                (l.rho + rho).abs() < dr
            } else {
                false
            }
        });
        if !near {
            lines.push(Line::new(t, rho, false));
        }
    }
    lines
}

/// A line's edge support, sampled every pixel along it: prefix sums of the samples that are inside
/// the frame and of those that are a strong edge across the line.
struct Profile {
    origin: [f32; 2],
    dir: [f32; 2],
    offset: f32,
    inside: Vec<u32>,
    hits: Vec<u32>,
}

impl Profile {
    fn new(e: &Edges, l: Line) -> Profile {
        let (c, s) = (l.cos, l.sin);
        let origin = [l.rho * c, l.rho * s];
        let dir = [-s, c];
        let diag = ((e.w * e.w + e.h * e.h) as f32).sqrt().ceil();
        let n = (2.0 * diag) as usize + 1;
        let (mut inside, mut hits) = (vec![0u32; n + 1], vec![0u32; n + 1]);
        for k in 0..n {
            let t = k as f32 - diag;
            let (x, y) = (origin[0] + dir[0] * t, origin[1] + dir[1] * t);
            let within = x >= 1.0 && y >= 1.0 && x <= e.w as f32 - 2.0 && y <= e.h as f32 - 2.0;
            inside[k + 1] = inside[k] + u32::from(within);
            hits[k + 1] = hits[k] + u32::from(within && !l.border && e.supports(x, y, [c, s]));
        }
        Profile {
            origin,
            dir,
            offset: diag,
            inside,
            hits,
        }
    }

    /// Position of a point (on the line) along it, as a sample index.
    fn at(&self, p: [f32; 2]) -> f32 {
        (p[0] - self.origin[0]) * self.dir[0] + (p[1] - self.origin[1]) * self.dir[1] + self.offset
    }

    /// (supported samples, samples inside the frame) between positions `a` and `b`.
    fn count(&self, a: f32, b: f32) -> (u32, u32) {
        let n = self.hits.len() - 1;
        let (lo, hi) = (
            a.min(b).max(0.0) as usize,
            (a.max(b).max(0.0) as usize).min(n),
        );
        if hi <= lo {
            return (0, 0);
        }
        (
            self.hits[hi] - self.hits[lo],
            self.inside[hi] - self.inside[lo],
        )
    }

    /// The share of the side between corners `a` and `b` that is an edge (6 % trimmed at each end:
    /// corners are rounded and shadowed), and the share of its continuation past both corners
    /// (4–20 % of its length) that is one too.
    fn side(&self, a: [f32; 2], b: [f32; 2]) -> (f32, f32) {
        let (ta, tb) = (self.at(a), self.at(b));
        let (lo, hi) = (ta.min(tb), ta.max(tb));
        let len = (hi - lo).max(1.0);
        let (hit, n) = self.count(lo + 0.06 * len, hi - 0.06 * len);
        let (h1, n1) = self.count(lo - 0.2 * len, lo - 0.04 * len);
        let (h2, n2) = self.count(hi + 0.04 * len, hi + 0.2 * len);
        let support = if n == 0 { 0.0 } else { hit as f32 / n as f32 };
        let over = if n1 + n2 == 0 {
            0.0
        } else {
            (h1 + h2) as f32 / (n1 + n2) as f32
        };
        (support, over)
    }
}

fn find_document(l: &Luma, layout: Layout, min_score: f32) -> Option<Document> {
    let small = l.clone().reduced(DETECT_SIDE);
    let e = Edges::new(&small);
    let (w, h) = (small.width as f32, small.height as f32);
    let mut lines = hough_lines(&e, 24);
    // The frame's borders, for a side that is outside the photo.
    lines.push(Line::new(0, 0.0, true));
    lines.push(Line::new(0, w - 1.0, true));
    lines.push(Line::new(THETA_BINS / 2, 0.0, true));
    lines.push(Line::new(THETA_BINS / 2, h - 1.0, true));
    let profiles: Vec<Profile> = lines.iter().map(|&l| Profile::new(&e, l)).collect();

    // Pairs of roughly parallel lines, far enough apart.
    let min_gap = 0.12 * w.min(h);
    let mut pairs = Vec::new();
    for (i, a) in lines.iter().enumerate() {
        for (j, b) in lines.iter().enumerate().skip(i + 1) {
            if (a.border && b.border) || angle_diff(a.theta, b.theta) > 0.2 {
                continue;
            }
            // Distance between (nearly) parallel lines, with ρ's sign flipped across θ = 0/π.
            let gap = if (a.theta - b.theta).abs() > std::f32::consts::FRAC_PI_2 {
                (a.rho + b.rho).abs()
            } else {
                (a.rho - b.rho).abs()
            };
            if gap >= min_gap {
                pairs.push((i, j));
            }
        }
    }
    let frame_area = w * h;
    let margin = 0.02 * w.max(h);
    let mut best: Option<(f32, [[f32; 2]; 4], bool, f32)> = None;
    for (k, &(p0, p1)) in pairs.iter().enumerate() {
        for &(q0, q1) in pairs.iter().skip(k + 1) {
            if angle_diff(lines[p0].theta, lines[q0].theta) < 1.1 {
                continue; // not roughly perpendicular (within ±27°)
            }
            let borders = [p0, p1, q0, q1]
                .iter()
                .filter(|&&i| lines[i].border)
                .count();
            if borders > 1 {
                continue;
            }
            // Corners in order around the quad; side i runs from corner i to corner i + 1.
            let corners = [
                intersect(lines[p0], lines[q0]),
                intersect(lines[p0], lines[q1]),
                intersect(lines[p1], lines[q1]),
                intersect(lines[p1], lines[q0]),
            ];
            let [Some(c0), Some(c1), Some(c2), Some(c3)] = corners else {
                continue;
            };
            let quad = [c0, c1, c2, c3];
            // Corners may leave the frame only along a border side.
            if quad
                .iter()
                .any(|c| c[0] < -margin || c[1] < -margin || c[0] > w + margin || c[1] > h + margin)
            {
                continue;
            }
            let fill = polygon_area(&quad) / frame_area;
            if !(0.02..=0.97).contains(&fill) {
                continue;
            }
            let side_lines = [p0, q1, p1, q0];
            let lens = [dist(c0, c1), dist(c1, c2), dist(c2, c3), dist(c3, c0)];
            let (a, b) = ((lens[0] + lens[2]) / 2.0, (lens[1] + lens[3]) / 2.0);
            let aspect = a.max(b) / a.min(b).max(1.0);
            // With a frame border for a side, the sides that meet it are cut short: how much of
            // the document is missing follows from the layout's aspect and the complete side.
            let missing = if borders == 1 {
                let border_on_p = lines[p0].border || lines[p1].border;
                // Sides 0 and 2 lie on the p lines (length a), sides 1 and 3 on the q lines (b).
                let (whole, cut_short) = if border_on_p { (a, b) } else { (b, a) };
                let full = if cut_short < whole {
                    whole / layout.aspect()
                } else {
                    whole * layout.aspect()
                };
                (1.0 - cut_short / full.max(1.0)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            // A few per cent is the document's blank margin at the frame's edge: not cut off.
            let cut = missing > CUT_OFF_MISSING;
            // Aspect prior: exact for a whole document, lenient for a cut-off one.
            let aspect_fit = if borders == 1 {
                1.0
            } else {
                (-((aspect / layout.aspect()).ln() / 0.18).powi(2)).exp()
            };
            // A document has print inside: a blank sheet or an empty patch of table is not one.
            let ink_fit = (ink_density(&e, &quad) / 0.03).min(1.0);
            let border_factor = if borders == 1 {
                0.85 * (1.0 - missing).max(0.3)
            } else {
                1.0
            };
            let prior = aspect_fit * ink_fit * (0.6 + 0.4 * fill.sqrt()) * border_factor;
            if prior < 0.05 || best.as_ref().is_some_and(|b| prior <= b.0) {
                continue; // even full edge support would not beat the best quad so far
            }
            let (mut support, mut overshoot, mut counted) = (0.0, 0.0, 0.0);
            for (i, &li) in side_lines.iter().enumerate() {
                if lines[li].border {
                    continue;
                }
                let (s, o) = profiles[li].side(quad[i], quad[(i + 1) % 4]);
                support += s;
                overshoot += o;
                counted += 1.0;
            }
            let score = support / counted * (1.0 - overshoot / counted).max(0.0) * prior;
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, quad, cut, fill));
            }
        }
    }
    let (score, quad, cut, fill) = best?;
    if score < min_score {
        return None;
    }
    let norm =
        order_clockwise(quad).map(|[x, y]| [(x / w).clamp(0.0, 1.0), (y / h).clamp(0.0, 1.0)]);
    Some(Document {
        quad: norm,
        fill: fill.min(1.0),
        cut_off: cut,
        score: score.min(1.0),
    })
}

/// The angle between two lines (θ in [0, π)): 0 for parallel, π/2 for perpendicular.
fn angle_diff(a: f32, b: f32) -> f32 {
    let d = (a - b).abs() % std::f32::consts::PI;
    d.min(std::f32::consts::PI - d)
}

fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The share of strong-edge pixels inside the quad's middle (its bounding box shrunk by 15 %).
fn ink_density(e: &Edges, q: &[[f32; 2]; 4]) -> f32 {
    let norm = q.map(|[x, y]| [x / e.w as f32, y / e.h as f32]);
    let (x0, y0, x1, y1) = bbox(&norm, e.w, e.h, 0.15);
    let area = (x1.saturating_sub(x0) * y1.saturating_sub(y0)).max(1);
    e.strong_in(x0, y0, x1, y1) as f32 / area as f32
}

fn order_clockwise(c: [[f32; 2]; 4]) -> [[f32; 2]; 4] {
    let cx = c.iter().map(|p| p[0]).sum::<f32>() / 4.0;
    let cy = c.iter().map(|p| p[1]).sum::<f32>() / 4.0;
    let mut v = c;
    v.sort_by(|a, b| {
        (a[1] - cy)
            .atan2(a[0] - cx)
            .total_cmp(&(b[1] - cy).atan2(b[0] - cx))
    });
    // Start at the corner closest to the top-left.
    let start = (0..4)
        .min_by(|&i, &j| (v[i][0] + v[i][1]).total_cmp(&(v[j][0] + v[j][1])))
        .unwrap_or(0);
    [
        v[start],
        v[(start + 1) % 4],
        v[(start + 2) % 4],
        v[(start + 3) % 4],
    ]
}

fn polygon_area(q: &[[f32; 2]; 4]) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s.abs() / 2.0
}

fn bbox(q: &[[f32; 2]; 4], w: usize, h: usize, shrink: f32) -> Region {
    let xs = q.iter().map(|p| p[0]);
    let ys = q.iter().map(|p| p[1]);
    let (x0, x1) = (xs.clone().fold(1.0f32, f32::min), xs.fold(0.0f32, f32::max));
    let (y0, y1) = (ys.clone().fold(1.0f32, f32::min), ys.fold(0.0f32, f32::max));
    let (dx, dy) = ((x1 - x0) * shrink, (y1 - y0) * shrink);
    let px = |v: f32, n: usize| ((v.clamp(0.0, 1.0)) * n as f32) as usize;
    let r = (
        px(x0 + dx, w),
        px(y0 + dy, h),
        px(x1 - dx, w),
        px(y1 - dy, h),
    );
    if r.2 <= r.0 + 4 || r.3 <= r.1 + 4 {
        (0, 0, w, h)
    } else {
        r
    }
}

/// The document's short side in pixels of the analysed image.
fn short_side_px(q: &[[f32; 2]; 4], w: usize, h: usize) -> f32 {
    let p: Vec<[f32; 2]> = q
        .iter()
        .map(|c| [c[0] * w as f32, c[1] * h as f32])
        .collect();
    let a = (dist(p[0], p[1]) + dist(p[2], p[3])) / 2.0;
    let b = (dist(p[1], p[2]) + dist(p[3], p[0])) / 2.0;
    a.min(b)
}

/// Decode image bytes to an upright luma copy for [`assess`] (long side ≤ `max_side`), for
/// runtimes without a browser decoder. Returns it with the long side text height is measured at
/// (`PrepareOptions::text_measure_long_side`: what is sent without a text-height estimate).
pub fn decode_luma(
    bytes: &[u8],
    max_side: u32,
    sending: &crate::PrepareOptions,
) -> Result<(Luma, u32), crate::ImageError> {
    decode_gray(bytes, max_side, sending, luma_of)
}

/// [`decode_luma`] with another gray: `gray(r, g, b)` per pixel (gray pictures are kept as they
/// are). The local reader takes each pixel's brightest channel, in which a red or blue seal
/// printed over the values fades into the paper while black print stays black. A function
/// pointer, not a generic: a second copy of the decoding path does not fit the quality module's
/// size budget.
pub fn decode_gray(
    bytes: &[u8],
    max_side: u32,
    sending: &crate::PrepareOptions,
    gray: fn(u8, u8, u8) -> u8,
) -> Result<(Luma, u32), crate::ImageError> {
    use crate::{decode, preflight};
    let opts = crate::PrepareOptions::default();
    // The same refusals as prepare (HEIC, pixel cap, side limit), then the structure check.
    let plan = preflight::plan(bytes, bytes.len() as u64, &opts, u64::MAX, false)?;
    let info = plan.info;
    let layout = preflight::check_whole(info.format, bytes)?;
    let decode_bytes = crate::limits(&opts).decode_bytes;
    let raster = if info.format == crate::SourceFormat::Jpeg {
        if layout.progressive_coeff_bytes > opts.max_progressive_coeff_bytes {
            return Err(crate::ImageError::too_large(
                "this progressive JPEG is too large to analyse",
            ));
        }
        let idct = preflight::jpeg_idct_size(info.width, info.height, max_side);
        decode::decode_jpeg(bytes, &layout.scan_ends, idct, decode_bytes)?
    } else {
        let fin = preflight::scaled_dims(info.width, info.height, max_side, u64::MAX);
        decode::decode_full(info.format, bytes, decode_bytes, Some(fin.0))?
    };
    let (w, h) = preflight::scaled_dims(raster.width, raster.height, max_side, u64::MAX);
    let raster = if (w, h) != (raster.width, raster.height) {
        crate::raster::resize_owned(raster, w, h)
    } else {
        raster
    };
    let raster = crate::raster::orient(raster, plan.orientation);
    let mut pixels = raster.data;
    if raster.channels != 1 {
        // In place: pixel i's gray goes where its red was read from or before.
        let n = pixels.len() / 3;
        for i in 0..n {
            pixels[i] = gray(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]);
        }
        pixels.truncate(n);
        // Give back the colour planes' memory (a wasm memory never shrinks: its peak counts).
        pixels.shrink_to_fit();
    }
    let luma = Luma::new(raster.width as usize, raster.height as usize, pixels)
        .ok_or_else(|| crate::ImageError::invalid("the picture has no pixels"))?;
    Ok((
        luma,
        sending.text_measure_long_side(info.width, info.height),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hough_bins_trigonometry_is_the_angles_own() {
        for t in 0..THETA_BINS {
            let th = (t as f64).to_radians();
            let (c, s) = bin_trig(t);
            assert!((f64::from(c) - th.cos()).abs() < 1e-7, "cos of bin {t}");
            assert!((f64::from(s) - th.sin()).abs() < 1e-7, "sin of bin {t}");
        }
        // The frame's vertical and horizontal borders.
        assert_eq!(bin_trig(0), (1.0, 0.0));
        let (c, s) = bin_trig(THETA_BINS / 2);
        assert!(c.abs() < 1e-7 && s == 1.0);
    }
}
