//! Text detection and recognition with the PP-OCRv4 models (rten): photo → text lines.
//!
//! Detection (DB): the picture's long side resized to [`Options::det_long_side`] (a multiple of
//! 32), PP-OCR's ImageNet normalization, the probability map binarized at 0.3, 8-connected
//! components, their minimum-area rectangles, a box score (mean probability) ≥ 0.6, grown by the
//! DB unclip (area × 1.6 / perimeter). Recognition (CRNN/SVTR + CTC): each rectangle sampled from
//! the full-resolution picture (rotation undone) at height 48 and its own width, normalized to
//! [-1, 1], greedy CTC decoding with the model's dictionary (index 0 blank, the last a space).

use crate::geom::{self, RotatedRect};
use crate::LocalError;
use rten::{Model, ModelOptions};
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;
use vehicle_doc_ocr_imaging::quality::Luma;

/// How many runners-up [`Line::alternatives`] keeps per character.
pub const ALTERNATIVES: usize = 3;

/// One recognized line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text as read (personal data: never log it).
    pub text: String,
    /// Each character of `text` with its probability: the highest the character has over the
    /// CTC steps that emit it (its surest step).
    pub chars: Vec<(char, f32)>,
    /// Where each character of `text` was emitted, as a fraction of the line's width (0 = left).
    pub positions: Vec<f32>,
    /// Per character of `text`, the next most probable classes at its surest step, most
    /// probable first (up to [`ALTERNATIVES`]; `'\0'` is the CTC blank: no character). Lets a
    /// field whose character set is known (plates, VINs) take the best allowed reading.
    pub alternatives: Vec<Vec<(char, f32)>>,
    /// Per character of `text`, the width of its glyph's ink ([`ink_widths`]), in pixels of the
    /// recognizer's 48-pixel-high input (0: not measured). Tells a `0` from an `O` where the
    /// recognizer cannot (acceptance rule 6).
    pub widths: Vec<f32>,
    /// Mean of the characters' probabilities (0 when no character was read).
    pub confidence: f32,
    /// Where the line is in the picture (pixels of the picture given to [`Engine::read`]).
    pub rect: RotatedRect,
    /// The line's box reaches the picture's edge (within a quarter of its height): its text
    /// may go on beyond the frame (a document cut off), so a value read from it is never taken
    /// as whole.
    pub at_edge: bool,
}

/// Knobs of [`Engine::read`]; `Default` is what the benchmark measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Long side of the detection input in pixels (rounded to a multiple of 32).
    pub det_long_side: u32,
    /// Probability above which a pixel of the detection map is text.
    pub binarize: f32,
    /// Minimum mean probability of a detected region.
    pub box_score: f32,
    /// DB unclip ratio.
    pub unclip: f32,
    /// Longest recognition input, in pixels at height 48 (longer lines are squeezed).
    pub max_rec_width: u32,
    /// The second reading of a value printed after its label reads the value's part of the
    /// line only (less model work), not the whole line.
    pub reread_value_only: bool,
    /// Around the document's outline, the margin detection also looks at, as a fraction of the
    /// picture's long side (an outline found a little inside the document loses no text);
    /// `None`: the whole picture always.
    pub document_margin: Option<f32>,
    /// With a document found, the height its printed values are given in the detection input
    /// at most (pixels; large print is detected at a smaller scale, never finer than
    /// `det_long_side`); `None`: always at `det_long_side`.
    pub det_text_px: Option<f32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            det_long_side: 1280,
            binarize: 0.3,
            box_score: 0.6,
            unclip: 1.6,
            max_rec_width: 1600,
            reread_value_only: true,
            document_margin: Some(0.04),
            det_text_px: Some(16.0),
        }
    }
}

const REC_HEIGHT: usize = 48;
/// Whether [`Engine::new`] prepacks the weights: no (natively about 6 % faster, in wasm a few
/// % slower and 1 MB more; bench/local-profile.mjs, crates/ocr/examples/profile.rs).
const PREPACK: bool = false;
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// The detection model's output: text probability per pixel, row-major, `width` × `height`,
/// covering the picture's region from `origin` (picture pixels), each map pixel `scale` picture
/// pixels wide and high.
pub struct DetectionMap {
    pub prob: Vec<f32>,
    pub width: usize,
    pub height: usize,
    pub origin: [f32; 2],
    pub scale: [f32; 2],
}

impl DetectionMap {
    /// The part of the picture the map covers: `[x0, y0, x1, y1]`, picture pixels.
    pub fn window(&self) -> [f32; 4] {
        let [x0, y0] = self.origin;
        [
            x0,
            y0,
            x0 + self.width as f32 * self.scale[0],
            y0 + self.height as f32 * self.scale[1],
        ]
    }
}

/// Whether `r` comes within a quarter of its height (its width, if smaller) of one of `edges`
/// of the box `[x0, y0, x1, y1]` (`edges`: left, top, right, bottom): text there may go on
/// beyond that edge.
fn reaches(r: &RotatedRect, [x0, y0, x1, y1]: [f32; 4], edges: [bool; 4]) -> bool {
    let m = 0.25 * r.height.min(r.width);
    r.corners().iter().any(|p| {
        (edges[0] && p[0] < x0 + m)
            || (edges[1] && p[1] < y0 + m)
            || (edges[2] && p[0] > x1 - m)
            || (edges[3] && p[1] > y1 - m)
    })
}

/// The two models and the dictionary, loaded once.
pub struct Engine {
    det: Model,
    rec: Recognizer,
    pub options: Options,
}

/// The recognition model and its dictionary alone: reads given rectangles of a picture (a
/// second worker recognizing part of a reading's lines needs no detection model).
pub struct Recognizer {
    rec: Model,
    /// Character of class `i + 1` (class 0 is the CTC blank; one past the list is a space).
    dict: Vec<char>,
}

impl Recognizer {
    /// Loads the recognition model (ONNX or `.rten` bytes) and the dictionary
    /// (`ppocr_keys_v1.txt`: one character per line).
    pub fn new(rec: Vec<u8>, dict: &str) -> Result<Recognizer, LocalError> {
        let mut opts = ModelOptions::with_all_ops();
        opts.prepack_weights(PREPACK);
        Recognizer::load(&opts, rec, dict)
    }

    fn load(opts: &ModelOptions, rec: Vec<u8>, dict: &str) -> Result<Recognizer, LocalError> {
        let rec = opts
            .load(rec)
            .map_err(|_| LocalError::Model("the recognition model"))?;
        let dict: Vec<char> = dict
            .lines()
            .map(|l| l.trim_end_matches('\r').chars().next().unwrap_or(' '))
            .collect();
        if dict.len() < 100 {
            return Err(LocalError::Model("the dictionary"));
        }
        Ok(Recognizer { rec, dict })
    }
}

impl Engine {
    /// Loads the detection and recognition models (ONNX or `.rten` bytes) and the dictionary
    /// (`ppocr_keys_v1.txt`: one character per line).
    pub fn new(det: Vec<u8>, rec: Vec<u8>, dict: &str) -> Result<Engine, LocalError> {
        Engine::with_prepack(det, rec, dict, PREPACK)
    }

    /// [`Engine::new`] with rten's weight prepacking chosen (`prepack`: copies of the weights in
    /// the matrix kernels' layout, made once at load instead of at every call).
    pub fn with_prepack(
        det: Vec<u8>,
        rec: Vec<u8>,
        dict: &str,
        prepack: bool,
    ) -> Result<Engine, LocalError> {
        let mut opts = ModelOptions::with_all_ops();
        opts.prepack_weights(prepack);
        let det = opts
            .load(det)
            .map_err(|_| LocalError::Model("the detection model"))?;
        let rec = Recognizer::load(&opts, rec, dict)?;
        Ok(Engine {
            det,
            rec,
            options: Options::default(),
        })
    }

    /// Decodes image bytes with the project's own decoders (JPEG, PNG, WebP, GIF, BMP; EXIF
    /// orientation applied) to luma, long side at most 2048, then [`Engine::read`].
    pub fn read_bytes(&self, image: &[u8]) -> Result<(Luma, Vec<Line>), LocalError> {
        let luma = decode(image)?;
        let lines = self.read(&luma)?;
        Ok((luma, lines))
    }

    /// Reads document `doc` in image bytes: lines, fields, every value read a second time from
    /// its own crop, the core's checks, the acceptance rule ([`crate::extract_with_reread`]).
    pub fn read_document(
        &self,
        image: &[u8],
        doc: vehicle_doc_ocr_core::DocumentKind,
        today: Option<String>,
    ) -> Result<(Vec<Line>, crate::LocalReading), LocalError> {
        self.read_document_staged(image, doc, today, |_| {})
    }

    /// [`Engine::read_document`], calling `stage(name)` as each stage ends: `"decode"`,
    /// `"detection"` (the model), `"regions"` (its post-processing), `"recognition"` (every
    /// line), `"reread"` (the second readings and the fields). For measurements: the crate has
    /// no clock, the caller times the calls.
    pub fn read_document_staged(
        &self,
        image: &[u8],
        doc: vehicle_doc_ocr_core::DocumentKind,
        today: Option<String>,
        mut stage: impl FnMut(&'static str),
    ) -> Result<(Vec<Line>, crate::LocalReading), LocalError> {
        let mut reading = crate::Reading::start_staged(self, image, doc, today, &mut stage)?;
        let mut first = true;
        while !reading.is_done() {
            let results = reading
                .jobs()
                .iter()
                .map(|r| self.recognize(reading.picture(), *r))
                .collect::<Result<Vec<_>, _>>()?;
            reading.feed(results)?;
            if first {
                stage("recognition");
                first = false;
            }
        }
        stage("reread");
        reading
            .finish()
            .ok_or(LocalError::Inference("the reading's steps"))
    }

    /// Every text line of the picture, top to bottom then left to right.
    pub fn read(&self, luma: &Luma) -> Result<Vec<Line>, LocalError> {
        let rects = self.detect(luma)?;
        self.recognize_all(luma, rects)
    }

    fn recognize_all(&self, luma: &Luma, rects: Vec<RotatedRect>) -> Result<Vec<Line>, LocalError> {
        let mut lines = Vec::with_capacity(rects.len());
        for r in rects {
            if let Some(line) = self.recognize(luma, r)? {
                lines.push(line);
            }
        }
        Ok(lines)
    }

    /// The text regions of document `doc` in `luma`: detected around its outline
    /// ([`Engine::detection_map`]), or in the whole picture when a region reaches an edge of
    /// that window that is not the picture's (the outline was wrong and the window cut a line:
    /// seen, a model code's line cut after `TV7`, the rest never detected and the value
    /// accepted short). `stage` as in [`Engine::read_document_staged`] (`"detection"` after
    /// the first map; a second one, when needed, counts in `"regions"`).
    pub fn document_regions(
        &self,
        luma: &Luma,
        doc: vehicle_doc_ocr_core::DocumentKind,
        mut stage: impl FnMut(&'static str),
    ) -> Result<Vec<RotatedRect>, LocalError> {
        let map = self.detection_map(luma, Some(doc))?;
        stage("detection");
        let rects = self.regions(&map);
        let window = map.window();
        drop(map);
        let (w, h) = (luma.width as f32, luma.height as f32);
        // An edge of the window inside the picture (half a pixel: the window is whole pixels).
        let inner = [
            window[0] > 0.5,
            window[1] > 0.5,
            window[2] < w - 0.5,
            window[3] < h - 0.5,
        ];
        let cut = inner.contains(&true) && rects.iter().any(|r| reaches(r, window, inner));
        let rects = if cut { self.detect(luma)? } else { rects };
        stage("regions");
        Ok(rects)
    }

    /// The text regions, in picture coordinates, in reading order.
    pub fn detect(&self, luma: &Luma) -> Result<Vec<RotatedRect>, LocalError> {
        let map = self.detection_map(luma, None)?;
        Ok(self.regions(&map))
    }

    /// The detection model's output for `luma`: the text probability of each pixel of the
    /// picture resized so its long side is [`Options::det_long_side`] (the first half of
    /// [`Engine::detect`]). With `doc`, only the part of the picture around that document's
    /// outline (the quality report's document search, [`document_region`]) goes through the
    /// model, at the same scale: text outside the document is not read, and the model's work
    /// shrinks with the table around it. Without an outline, the whole picture.
    pub fn detection_map(
        &self,
        luma: &Luma,
        doc: Option<vehicle_doc_ocr_core::DocumentKind>,
    ) -> Result<DetectionMap, LocalError> {
        let (w, h) = (luma.width, luma.height);
        if w < 8 || h < 8 || luma.pixels.len() != w * h {
            return Err(LocalError::Input("the picture is too small to read"));
        }
        let long = self.options.det_long_side.clamp(64, 4096) as f32;
        let mut s = long / w.max(h) as f32;
        let found = doc.and_then(|d| document_region(luma, d, self.options.document_margin));
        let (x0, y0, x1, y1) = found.map_or((0, 0, w, h), |f| f.region);
        // Large print needs fewer pixels: no finer than puts the document's values at
        // `det_text_px` in the model's input.
        if let (Some(target), Some(text)) = (self.options.det_text_px, found.map(|f| f.text_px)) {
            if text > 0.0 {
                s = s.min(target.max(4.0) / text);
            }
        }
        let round32 = |v: f32| (((v / 32.0).round() as usize).max(1)) * 32;
        // A region is widened (within the picture) to whole multiples of 32 input pixels at the
        // scale `s`, so it is not stretched to fit the model's grid.
        let fit = |a: usize, b: usize, max: usize| -> (usize, usize) {
            if (a, b) == (0, max) {
                return (a, b);
            }
            let want = (((b - a) as f32 * s / 32.0).ceil() * 32.0 / s).round() as usize;
            let b2 = (a + want).min(max);
            (b2.saturating_sub(want).min(a), b2)
        };
        let ((x0, x1), (y0, y1)) = (fit(x0, x1, w), fit(y0, y1, h));
        let (cw, ch) = (x1 - x0, y1 - y0);
        let (dw, dh) = (round32(cw as f32 * s), round32(ch as f32 * s));
        let region = if (cw, ch) == (w, h) {
            resample(luma, dw, dh)
        } else {
            let mut pixels = Vec::with_capacity(cw * ch);
            for row in luma.pixels.chunks_exact(w).skip(y0).take(ch) {
                pixels.extend_from_slice(&row[x0..x1]);
            }
            resample(
                &Luma {
                    width: cw,
                    height: ch,
                    pixels,
                },
                dw,
                dh,
            )
        };
        let input = to_tensor(&region, dw, dh, MEAN, STD);
        drop(region);
        // Handed over (not a view): rten frees the 15 MB input once the first layer used it.
        let out = self
            .det
            .run_one(input.into(), None)
            .map_err(|_| LocalError::Inference("detection"))?;
        let prob: NdTensor<f32, 4> = out
            .try_into()
            .map_err(|_| LocalError::Inference("detection output"))?;
        let shape = prob.shape();
        if shape[2] != dh || shape[3] != dw {
            return Err(LocalError::Inference("detection output shape"));
        }
        Ok(DetectionMap {
            prob: prob.into_data(),
            width: dw,
            height: dh,
            origin: [x0 as f32, y0 as f32],
            scale: [cw as f32 / dw as f32, ch as f32 / dh as f32],
        })
    }

    /// The text regions of a detection map, in the picture's coordinates, in reading order (the
    /// second half of [`Engine::detect`]).
    pub fn regions(&self, map: &DetectionMap) -> Vec<RotatedRect> {
        let (dw, dh, prob) = (map.width, map.height, &map.prob);
        let mask: Vec<bool> = prob.iter().map(|&p| p > self.options.binarize).collect();
        let [sx, sy] = map.scale;
        let mut rects = Vec::new();
        for c in geom::components(&mask, dw, dh) {
            if c.pixels.len() < 10 {
                continue;
            }
            let score =
                c.pixels.iter().map(|&i| prob[i as usize]).sum::<f32>() / c.pixels.len() as f32;
            if score < self.options.box_score {
                continue;
            }
            let Some(r) = geom::min_area_rect(&c) else {
                continue;
            };
            if r.height < 3.0 {
                continue;
            }
            let d = r.width * r.height * self.options.unclip / (2.0 * (r.width + r.height));
            let r = r.grown(d);
            if r.height < 5.0 {
                continue;
            }
            let mut r = r.scaled(sx, sy);
            r.center = [r.center[0] + map.origin[0], r.center[1] + map.origin[1]];
            rects.push(r);
        }
        // Reading order: rows (centres within half a line height) top to bottom, then x.
        rects.sort_by(|a, b| a.center[1].total_cmp(&b.center[1]));
        let mut ordered: Vec<Vec<RotatedRect>> = Vec::new();
        for r in rects {
            match ordered.last_mut() {
                Some(row)
                    if row
                        .first()
                        .is_some_and(|f| (r.center[1] - f.center[1]).abs() < f.height * 0.5) =>
                {
                    row.push(r)
                }
                _ => ordered.push(vec![r]),
            }
        }
        ordered
            .into_iter()
            .flat_map(|mut row| {
                row.sort_by(|a, b| a.center[0].total_cmp(&b.center[0]));
                row
            })
            .collect()
    }

    /// Reads the text in `r` (picture coordinates); `None` when nothing was read.
    pub fn recognize(&self, luma: &Luma, r: RotatedRect) -> Result<Option<Line>, LocalError> {
        self.rec.recognize(luma, r, self.options.max_rec_width)
    }

    /// The recognition model alone.
    pub fn recognizer(&self) -> &Recognizer {
        &self.rec
    }
}

/// The second reading's crop (a different sampling of the same pixels, for the agreement check
/// of the value that starts at character `start` of `line`): `line`'s rectangle, from halfway
/// between the label's last character and the value's first when `value_only` and `start > 0`,
/// widened by a tenth of its height at each end not cut.
pub fn reread_rect(line: &Line, start: usize, value_only: bool) -> RotatedRect {
    let r = line.rect;
    let grow = r.height * 0.1;
    let from = match (start.checked_sub(1), value_only) {
        (Some(last), true) => match (line.positions.get(last), line.positions.get(start)) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            _ => 0.0,
        },
        _ => 0.0,
    };
    // Along the line: from `from` of its width (minus the margin when 0) to its end plus the
    // margin.
    let left = -r.width / 2.0 + from * r.width - if from > 0.0 { 0.0 } else { grow };
    let right = r.width / 2.0 + grow;
    let shift = (left + right) / 2.0;
    RotatedRect {
        center: [r.center[0] + shift * r.u[0], r.center[1] + shift * r.u[1]],
        width: right - left,
        ..r
    }
}

/// The width `r` is given at the recognizer's input (height 48), `max_rec_width` at most.
pub fn rec_width(r: &RotatedRect, max_rec_width: u32) -> usize {
    ((r.width / r.height * REC_HEIGHT as f32).round() as usize)
        .clamp(16, max_rec_width.max(16) as usize)
}

impl Recognizer {
    /// Reads the text in `r` (picture coordinates), at most `max_rec_width` pixels wide at the
    /// model's input ([`Options::max_rec_width`]); `None` when nothing was read.
    pub fn recognize(
        &self,
        luma: &Luma,
        r: RotatedRect,
        max_rec_width: u32,
    ) -> Result<Option<Line>, LocalError> {
        if !(r.width.is_finite() && r.height.is_finite()) || r.height < 2.0 || r.width < 2.0 {
            return Ok(None);
        }
        let ow = rec_width(&r, max_rec_width);
        let crop = crop_rotated(luma, &r, ow, REC_HEIGHT);
        // p / 127.5 - 1: [-1, 1].
        let input = to_tensor(&crop, ow, REC_HEIGHT, [0.5; 3], [0.5; 3]);
        let out = self
            .rec
            .run_one(input.view().into(), None)
            .map_err(|_| LocalError::Inference("recognition"))?;
        let probs: NdTensor<f32, 3> = out
            .try_into()
            .map_err(|_| LocalError::Inference("recognition output"))?;
        let [_, steps, classes] = probs.shape();
        let class_char = |k: usize| {
            if k == 0 {
                '\0'
            } else {
                self.dict.get(k - 1).copied().unwrap_or(' ')
            }
        };
        let (chars, positions, alternatives) =
            ctc_greedy(steps, classes, |t, k| probs[[0, t, k]], class_char);
        if chars.is_empty() {
            return Ok(None);
        }
        let confidence = chars.iter().map(|c| c.1).sum::<f32>() / chars.len() as f32;
        let widths = ink_widths(&crop, ow, REC_HEIGHT, &positions);
        let (w, h) = (luma.width as f32, luma.height as f32);
        let at_edge = reaches(&r, [0.0, 0.0, w, h], [true; 4]);
        Ok(Some(Line {
            text: chars.iter().map(|c| c.0).collect(),
            chars,
            positions,
            alternatives,
            widths,
            confidence,
            rect: r,
            at_edge,
        }))
    }
}

/// Per character emitted at `positions` (fractions of the width) of the `w` × `h` crop `grey`,
/// the width in pixels of the run of inked columns its position lies in. Ink is darker than
/// Otsu's threshold of the crop; only the rows of the print's band count (the rows around the
/// inkiest one that hold at least a fifth of its ink: a mark below or above the print stays
/// out), and a column is inked with at least two ink pixels there. 0 (not measured) where the position is more than two pixels from ink, where the
/// crop has no contrast, where two characters fall in one run (glyphs that touch, or print joined
/// by a mark behind it: the width is neither's), or where a run no character is in lies beside
/// the character's closer than its run is wide (a glyph whose thin strokes fell under the
/// threshold, split in two).
pub fn ink_widths(grey: &[f32], w: usize, h: usize, positions: &[f32]) -> Vec<f32> {
    let mut out = vec![0.0; positions.len()];
    if w == 0 || h == 0 || grey.len() != w * h {
        return out;
    }
    let Some(t) = otsu(grey) else {
        return out;
    };
    let ink = |x: usize, y: usize| grey[y * w + x] < t;
    let rows: Vec<usize> = (0..h)
        .map(|y| (0..w).filter(|&x| ink(x, y)).count())
        .collect();
    let Some((peak, &most)) = rows.iter().enumerate().max_by_key(|(_, n)| **n) else {
        return out;
    };
    let in_band = |y: &usize| rows[*y] * 5 >= most;
    let top = (0..=peak).rev().take_while(in_band).last().unwrap_or(peak);
    let bottom = (peak..h).take_while(in_band).last().unwrap_or(peak);
    let inked: Vec<bool> = (0..w)
        .map(|x| (top..=bottom).filter(|&y| ink(x, y)).count() >= 2)
        .collect();
    // The runs `(start, end)` of inked columns, left to right.
    let mut all: Vec<(usize, usize)> = Vec::new();
    for (x, &i) in inked.iter().enumerate() {
        match all.last_mut() {
            Some(r) if i && r.1 == x => r.1 = x + 1,
            _ if i => all.push((x, x + 1)),
            _ => {}
        }
    }
    // Per character, the index of the run its position lies in (or within two pixels of).
    let owner: Vec<Option<usize>> = positions
        .iter()
        .map(|&p| {
            let x = p * w as f32;
            all.iter()
                .position(|&(a, b)| x >= a as f32 - 2.0 && x < b as f32 + 2.0)
        })
        .collect();
    // Per run, how many characters' positions lie in it.
    let mut claims = vec![0usize; all.len()];
    for k in owner.iter().flatten() {
        if let Some(n) = claims.get_mut(*k) {
            *n += 1;
        }
    }
    let claimed = |k: usize| claims.get(k).copied().unwrap_or(0);
    for (o, k) in out.iter_mut().zip(&owner) {
        let Some(k) = *k else { continue };
        let (a, b) = all[k];
        // A run nobody's position is in, closer than the run is wide: the rest of a glyph whose
        // thin strokes fell under the threshold (a `0` seen as `(` and `)`).
        let split = [k.checked_sub(1), Some(k + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| all.get(j).map(|r| (j, *r)))
            .any(|(j, (c, d))| claimed(j) == 0 && c.max(a) - d.min(b) <= b - a);
        if claimed(k) == 1 && !split {
            *o = (b - a) as f32;
        }
    }
    out
}

/// Otsu's threshold of grey values 0–255 (`None` when they are all alike).
fn otsu(grey: &[f32]) -> Option<f32> {
    let mut hist = [0u32; 256];
    for &g in grey {
        hist[g.clamp(0.0, 255.0) as usize] += 1;
    }
    let total = grey.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut s0, mut best) = (0.0f64, 0.0f64, None::<(f64, usize)>);
    for (i, &n) in hist.iter().enumerate() {
        w0 += n as f64;
        s0 += i as f64 * n as f64;
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (s0 / w0, (sum - s0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if best.is_none_or(|(b, _)| between > b) {
            best = Some((between, i));
        }
    }
    best.map(|(_, i)| i as f32 + 0.5)
}

/// The characters of a line, with where they were emitted and their runners-up.
type Decoded = (Vec<(char, f32)>, Vec<f32>, Vec<Vec<(char, f32)>>);

/// Greedy CTC decoding of `steps` × `classes` probabilities (`prob(t, k)`; class 0 the blank):
/// each run of steps whose best class is the same character emits it once, with the
/// probability of its surest step (a step where a character begins or ends shares its mass with
/// the blank) and the runners-up of that step. Spaces at the ends are dropped.
fn ctc_greedy(
    steps: usize,
    classes: usize,
    prob: impl Fn(usize, usize) -> f32,
    class_char: impl Fn(usize) -> char,
) -> Decoded {
    let mut chars: Vec<(char, f32)> = Vec::new();
    let mut positions = Vec::new();
    let mut alternatives: Vec<Vec<(char, f32)>> = Vec::new();
    let mut prev = 0usize;
    for t in 0..steps {
        // The best class and its runners-up, most probable first.
        let mut top = [(0usize, f32::MIN); ALTERNATIVES + 1];
        for k in 0..classes {
            let p = prob(t, k);
            if p > top[ALTERNATIVES].1 {
                let mut i = ALTERNATIVES;
                while i > 0 && p > top[i - 1].1 {
                    top[i] = top[i - 1];
                    i -= 1;
                }
                top[i] = (k, p);
            }
        }
        let best = top[0];
        let alts = || -> Vec<(char, f32)> {
            top[1..]
                .iter()
                .filter(|a| a.1 > f32::MIN)
                .map(|a| (class_char(a.0), a.1))
                .collect()
        };
        if best.0 != 0 && best.0 == prev {
            if let (Some(c), Some(a)) = (chars.last_mut(), alternatives.last_mut()) {
                if best.1 > c.1 {
                    c.1 = best.1;
                    *a = alts();
                }
            }
        } else if best.0 != 0 {
            chars.push((class_char(best.0), best.1));
            positions.push((t as f32 + 0.5) / steps as f32);
            alternatives.push(alts());
        }
        prev = best.0;
    }
    // Spaces the model read at the ends carry nothing.
    while chars.first().is_some_and(|c| c.0 == ' ') {
        chars.remove(0);
        positions.remove(0);
        alternatives.remove(0);
    }
    while chars.last().is_some_and(|c| c.0 == ' ') {
        chars.pop();
        positions.pop();
        alternatives.pop();
    }
    (chars, positions, alternatives)
}

/// The project's own decoders, EXIF orientation applied, to gray with long side at most 2048:
/// each pixel's brightest channel, so that a red seal stamped over the values (the 行驶证's
/// lower left corner) fades into the paper instead of being read as letters.
pub(crate) fn decode(image: &[u8]) -> Result<Luma, LocalError> {
    vehicle_doc_ocr_imaging::quality::decode_gray(
        image,
        2048,
        &vehicle_doc_ocr_imaging::PrepareOptions::default(),
        |r, g, b| r.max(g).max(b),
    )
    .map(|(gray, _)| gray)
    .map_err(LocalError::Image)
}

/// Where the document is, for detection ([`document_region`]).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Found {
    /// `(x0, y0, x1, y1)`, picture pixels.
    region: (usize, usize, usize, usize),
    /// The height of its printed values, picture pixels (its layout's share of its short side).
    text_px: f32,
}

/// The part of `luma` detection looks at for document `doc`: the bounding box of the document's
/// outline as the quality report finds it (its own document search, on a copy 640 px long),
/// grown by `margin` × the long side on every side. `None` (the whole picture) without a margin,
/// when no outline is found, when the frame cuts the document, or when the box is most of the
/// picture anyway.
fn document_region(
    luma: &Luma,
    doc: vehicle_doc_ocr_core::DocumentKind,
    margin: Option<f32>,
) -> Option<Found> {
    use vehicle_doc_ocr_core::DocumentKind;
    use vehicle_doc_ocr_imaging::quality::{self, Layout, Thresholds};
    let margin = margin?;
    let layout = match doc {
        DocumentKind::RegistrationCertificate => Layout::Certificate,
        DocumentKind::VehicleLicenseFront | DocumentKind::VehicleLicenseBack => Layout::Licence,
    };
    let small = luma.clone().reduced(quality::MAX_ANALYSIS_SIDE);
    let long_side = luma.width.max(luma.height) as u32;
    let report = quality::assess(small, long_side, layout, &Thresholds::default());
    let (d, text_px) = (report.document?, report.text_height_px?);
    if d.cut_off {
        return None;
    }
    let (w, h) = (luma.width as f32, luma.height as f32);
    let m = margin.max(0.0) * w.max(h);
    let xs = d.quad.map(|p| p[0] * w);
    let ys = d.quad.map(|p| p[1] * h);
    let lo = |v: [f32; 4], m: f32| (v.iter().copied().fold(f32::INFINITY, f32::min) - m).max(0.0);
    let hi = |v: [f32; 4], m: f32, max: f32| (v.iter().copied().fold(0.0, f32::max) + m).min(max);
    let (x0, y0) = (lo(xs, m), lo(ys, m));
    let (x1, y1) = (hi(xs, m, w), hi(ys, m, h));
    if !(x1 - x0 >= 32.0 && y1 - y0 >= 32.0) || (x1 - x0) * (y1 - y0) > 0.9 * w * h {
        return None;
    }
    Some(Found {
        region: (x0 as usize, y0 as usize, x1 as usize, y1 as usize),
        text_px,
    })
}

/// A rectangle's exact bits (equal keys: the same crop).
pub(crate) fn rect_key(r: &RotatedRect) -> [u32; 6] {
    [
        r.center[0].to_bits(),
        r.center[1].to_bits(),
        r.u[0].to_bits(),
        r.u[1].to_bits(),
        r.width.to_bits(),
        r.height.to_bits(),
    ]
}

/// A grey `w` × `h` picture (0–255) as the models' input `[1, 3, h, w]`: the same plane in the
/// three colour channels, channel `c` normalized as `(p / 255 - mean[c]) / std[c]`.
fn to_tensor(grey: &[f32], w: usize, h: usize, mean: [f32; 3], std: [f32; 3]) -> NdTensor<f32, 4> {
    let data: Vec<f32> = (0..3)
        .flat_map(|c| grey.iter().map(move |&p| (p / 255.0 - mean[c]) / std[c]))
        .collect();
    NdTensor::from_data([1, 3, h, w], data)
}

/// Area-averaged resampling of a luma picture to `dw` × `dh` (floats, 0–255).
fn resample(l: &Luma, dw: usize, dh: usize) -> Vec<f32> {
    let (w, h) = (l.width, l.height);
    let mut out = vec![0f32; dw * dh];
    let (fx, fy) = (w as f32 / dw as f32, h as f32 / dh as f32);
    for y in 0..dh {
        let y0 = ((y as f32 * fy) as usize).min(h - 1);
        let y1 = (((y + 1) as f32 * fy).ceil() as usize).clamp(y0 + 1, h);
        for x in 0..dw {
            let x0 = ((x as f32 * fx) as usize).min(w - 1);
            let x1 = (((x + 1) as f32 * fx).ceil() as usize).clamp(x0 + 1, w);
            let mut sum = 0u32;
            for yy in y0..y1 {
                for &p in &l.pixels[yy * w + x0..yy * w + x1] {
                    sum += p as u32;
                }
            }
            out[y * dw + x] = sum as f32 / ((y1 - y0) * (x1 - x0)) as f32;
        }
    }
    out
}

/// Samples the rotated rectangle `r` of `l` into an upright `ow` × `oh` picture (bilinear,
/// supersampled when shrinking; outside the picture is white).
fn crop_rotated(l: &Luma, r: &RotatedRect, ow: usize, oh: usize) -> Vec<f32> {
    let (w, h) = (l.width as isize, l.height as isize);
    let px = |x: isize, y: isize| -> f32 {
        if x < 0 || y < 0 || x >= w || y >= h {
            255.0
        } else {
            l.pixels[(y * w + x) as usize] as f32
        }
    };
    let bilinear = |x: f32, y: f32| -> f32 {
        let (x0, y0) = (x.floor(), y.floor());
        let (ax, ay) = (x - x0, y - y0);
        let (xi, yi) = (x0 as isize, y0 as isize);
        let top = px(xi, yi) * (1.0 - ax) + px(xi + 1, yi) * ax;
        let bot = px(xi, yi + 1) * (1.0 - ax) + px(xi + 1, yi + 1) * ax;
        top * (1.0 - ay) + bot * ay
    };
    let (su, sv) = (r.width / ow as f32, r.height / oh as f32);
    let k = (su.max(sv).ceil() as usize).clamp(1, 4);
    let [ux, uy] = r.u;
    let [vx, vy] = r.v();
    let (x0, y0) = (
        r.center[0] - r.width / 2.0 * ux - r.height / 2.0 * vx,
        r.center[1] - r.width / 2.0 * uy - r.height / 2.0 * vy,
    );
    let mut out = vec![255f32; ow * oh];
    for oy in 0..oh {
        for ox in 0..ow {
            let mut sum = 0.0;
            for j in 0..k {
                for i in 0..k {
                    let a = (ox as f32 + (i as f32 + 0.5) / k as f32) * su;
                    let b = (oy as f32 + (j as f32 + 0.5) / k as f32) * sv;
                    sum += bilinear(x0 + a * ux + b * vx - 0.5, y0 + a * uy + b * vy - 0.5);
                }
            }
            out[oy * ow + ox] = sum / (k * k) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vehicle_doc_ocr_core::DocumentKind;

    fn fixture(name: &str) -> Luma {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn ink_widths_measure_each_glyph_where_it_was_emitted() {
        // 100 x 48, white; dark glyphs 24 px high: 10 px, 14 px, two 8 px ones touching (one
        // run), two 4 px ones joined by a grey mark behind them, and a 10 px one whose middle
        // columns have one ink pixel only (its thin strokes lost: two runs).
        let (w, h) = (100usize, 48usize);
        let mut grey = vec![230.0f32; w * h];
        let mut dark = |x0: usize, x1: usize, y0: usize, y1: usize, v: f32| {
            for y in y0..y1 {
                for x in x0..x1 {
                    grey[y * w + x] = v;
                }
            }
        };
        for (x0, x1) in [(5, 15), (25, 39), (50, 58), (58, 66), (68, 72), (74, 78)] {
            dark(x0, x1, 12, 36, 20.0);
        }
        dark(66, 80, 30, 33, 20.0);
        dark(82, 84, 12, 36, 20.0);
        dark(90, 92, 12, 36, 20.0);
        dark(84, 90, 12, 13, 20.0);
        // A mark below the print (a seal's edge) is out of the print's band.
        dark(0, 40, 40, 48, 20.0);
        let at = |x: f32| x / w as f32;
        let widths = ink_widths(
            &grey,
            w,
            h,
            &[10.0, 32.0, 54.0, 62.0, 70.0, 76.0, 87.0].map(at),
        );
        assert_eq!(widths, vec![10.0, 14.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        // Within two pixels of ink: measured; farther: not.
        let moved = [16.5, 32.0, 54.0, 62.0, 70.0, 76.0, 87.0].map(at);
        assert_eq!(ink_widths(&grey, w, h, &moved)[0], 10.0);
        assert_eq!(ink_widths(&grey, w, h, &[at(18.5)]), vec![0.0]);
        // Half of the split glyph, with its other half beside it unclaimed: not measured; both
        // halves claimed (two characters): each its own.
        assert_eq!(ink_widths(&grey, w, h, &[at(83.0)]), vec![0.0]);
        let both = [10.0, 32.0, 54.0, 62.0, 70.0, 76.0, 83.0, 91.0].map(at);
        assert_eq!(ink_widths(&grey, w, h, &both)[6..], [2.0, 2.0]);
        // No contrast: nothing measured.
        assert_eq!(ink_widths(&vec![200.0; w * h], w, h, &[0.5]), vec![0.0]);
    }

    #[test]
    fn a_character_over_several_steps_has_the_probability_of_its_surest_step() {
        // Classes: 0 blank, 1 'A', 2 'B'. 'A' begins at a step it shares with the blank (0.6
        // against 0.35), then is sure of itself (0.97); a blank; 'B' once; 'A' again.
        let steps = [
            [0.35, 0.60, 0.05],
            [0.02, 0.97, 0.01],
            [0.90, 0.05, 0.05],
            [0.10, 0.05, 0.85],
            [0.20, 0.70, 0.10],
        ];
        let names = ['\0', 'A', 'B'];
        let (chars, positions, alternatives) =
            ctc_greedy(steps.len(), 3, |t, k| steps[t][k], |k| names[k]);
        assert_eq!(chars, vec![('A', 0.97), ('B', 0.85), ('A', 0.70)]);
        // Emitted where the run begins; the runners-up of the surest step.
        assert_eq!(positions, vec![0.1, 0.7, 0.9]);
        assert_eq!(alternatives[0], vec![('\0', 0.02), ('B', 0.01)]);
    }

    #[test]
    fn a_red_seal_over_the_print_fades_in_the_reading_gray() {
        // Paper, black print, and a red seal stamped over both (as on a 行驶证's lower left).
        let (w, h) = (256u32, 128u32);
        let mut rgba = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let print = (32..48).contains(&y) || (80..96).contains(&y);
                let seal = (128..224).contains(&x);
                rgba.extend_from_slice(match (print, seal) {
                    (true, _) => &[20, 20, 20, 255],
                    (false, true) => &[214, 98, 100, 255],
                    (false, false) => &[240, 236, 226, 255],
                });
            }
        }
        let jpeg = vehicle_doc_ocr_imaging::prepare_rgba(
            &rgba,
            w,
            h,
            &vehicle_doc_ocr_imaging::PrepareOptions::default(),
        )
        .unwrap()
        .jpeg;
        let gray = decode(&jpeg).unwrap();
        let at = |x: usize, y: usize| gray.pixels[y * gray.width + x];
        // The seal: near the paper (luma would put it at about 138, a mark as dark as ink).
        assert!(at(176, 64) > 200, "{}", at(176, 64));
        // The print under it stays black.
        assert!(at(176, 40) < 60, "{}", at(176, 40));
    }

    #[test]
    fn detection_looks_at_the_document_and_its_margin_only() {
        // A licence on a table (bench/ocr/fixtures.py), the document outline in its manifest.
        let luma = fixture("licence-0010.jpg");
        let (w, h) = (luma.width, luma.height);
        let Some(Found {
            region: (x0, y0, x1, y1),
            text_px,
        }) = document_region(&luma, DocumentKind::VehicleLicenseFront, Some(0.04))
        else {
            panic!("the licence's outline was not found");
        };
        assert!(x0 < x1 && x1 <= w && y0 < y1 && y1 <= h);
        assert!(
            (x1 - x0) * (y1 - y0) < w * h * 9 / 10,
            "the table around the card is left out"
        );
        // A smaller margin, a region inside it; no margin, the whole picture.
        assert!(text_px > 10.0 && text_px < 100.0, "{text_px}");
        let narrow = document_region(&luma, DocumentKind::VehicleLicenseFront, Some(0.01));
        assert!(narrow.is_some_and(|f| {
            let (a, b, c, d) = f.region;
            a > x0 && b > y0 && c < x1 && d < y1
        }));
        assert_eq!(
            document_region(&luma, DocumentKind::VehicleLicenseFront, None),
            None
        );
        // No document: the whole picture.
        let Some(blank) = Luma::new(w, h, vec![128; w * h]) else {
            panic!("a blank picture")
        };
        assert_eq!(
            document_region(&blank, DocumentKind::VehicleLicenseFront, Some(0.04)),
            None
        );
    }
}
