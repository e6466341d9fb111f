//! JPEG encoding under an exact base64 budget with few full-size encodes.
//!
//! Strategy (see docs/IMAGE_POLICY.md):
//! 1. Probe: encode a sample of the picture (horizontal bands of 16 rows, ~1/8 of the area, MCU
//!    aligned so 4:2:0 blocks are identical to the full encode) at two qualities and extrapolate
//!    the full-size byte count by area. This costs about a quarter of one full encode.
//! 2. Solve for the highest quality whose predicted size lands at ~96% of the budget; if even
//!    `min_quality` does not fit, shrink the picture (bytes grow ~ area^0.85) and re-probe.
//! 3. Full encode; measure the exact base64 length; correct the model with the measured ratio and
//!    re-encode only when over the budget or under 92% of it with quality headroom left.

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

use crate::base64_len;
use crate::error::ImageError;
use crate::raster::{resize, Raster};

/// Output of the fitter.
pub(crate) struct Fitted {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub quality: Q10,
    pub encodes: u32,
}

/// Smallest long side the fitter will shrink to before giving up with `TooLarge`.
pub(crate) const MIN_LONG_SIDE: u32 = 256;
/// Aim point for the predicted size, as a fraction of the budget.
const AIM: f64 = 0.96;
/// Re-encode upwards when below this fraction of the budget (and quality can still rise).
const LOW_WATER: f64 = 0.92;
/// Full-size encodes at one size before settling (probe encodes are not counted; they are ~1/8
/// of the area each).
const MAX_ROUNDS_PER_SIZE: u32 = 3;

/// ITU-T T.81 Annex K tables (natural order), scaled below like libjpeg's `jpeg_quality_scaling`
/// but with a fractional quality so the budget can be hit in steps finer than one quality point.
const LUMA: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
    47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/// Quality in tenths (700 = libjpeg quality 70).
pub(crate) type Q10 = u16;

/// libjpeg's quality scaling (percent applied to the Annex K tables) at a fractional quality.
fn quant_scale(q10: Q10) -> f64 {
    let q = (q10.clamp(10, 1000) as f64) / 10.0;
    if q < 50.0 {
        5000.0 / q
    } else {
        200.0 - 2.0 * q
    }
}

fn scaled_table(base: &[u16; 64], q10: Q10) -> Box<[u16; 64]> {
    let scale = quant_scale(q10);
    let mut t = [1u16; 64];
    for (o, &b) in t.iter_mut().zip(base) {
        *o = ((b as f64 * scale + 50.0) / 100.0)
            .floor()
            .clamp(1.0, 255.0) as u16;
    }
    Box::new(t)
}

pub(crate) fn encode_jpeg(r: &Raster, q10: Q10) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::with_capacity(r.data.len() / 8 + 1024);
    let mut enc = Encoder::new(&mut out, 90);
    enc.set_quantization_tables(
        jpeg_encoder::QuantizationTableType::Custom(scaled_table(&LUMA, q10)),
        jpeg_encoder::QuantizationTableType::Custom(scaled_table(&CHROMA, q10)),
    );
    enc.set_sampling_factor(SamplingFactor::F_2_2);
    enc.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    enc.set_optimized_huffman_tables(true);
    let color = if r.channels == 1 {
        ColorType::Luma
    } else {
        ColorType::Rgb
    };
    let (w, h) = (
        u16::try_from(r.width).map_err(|_| too_wide())?,
        u16::try_from(r.height).map_err(|_| too_wide())?,
    );
    enc.encode(&r.data, w, h, color)
        .map_err(|_| ImageError::invalid("the picture could not be encoded as JPEG"))?;
    Ok(out)
}

fn too_wide() -> ImageError {
    ImageError::too_large("the picture is wider or taller than 65535 pixels")
}

/// A sample of the raster: `bands` horizontal strips of 16 rows spread evenly over the height.
fn probe_sample(r: &Raster) -> Option<(Raster, f64)> {
    let h = r.height as usize;
    let band = 16usize;
    let total_bands = h / band;
    let want = (total_bands / 8).max(1);
    if total_bands < 16 {
        return None; // small picture: probe the whole thing
    }
    let stride = r.stride();
    let mut data = Vec::with_capacity(want * band * stride);
    let span = (total_bands / want).max(1);
    for i in 0..want {
        // Jittered positions so periodic content (text lines) does not alias with the sampling.
        let jitter = (i.wrapping_mul(2_654_435_761) >> 7) % span;
        let b = (i * total_bands) / want + jitter;
        let y0 = b.min(total_bands - 1) * band;
        data.extend_from_slice(&r.data[y0 * stride..(y0 + band) * stride]);
    }
    let sample = Raster {
        width: r.width,
        height: (want * band) as u32,
        channels: r.channels,
        data,
    };
    let factor = r.height as f64 / sample.height as f64;
    Some((sample, factor))
}

/// Predicts full-size JPEG bytes for a quality. ln(bytes) is close to linear in ln(quantizer
/// scale) (libjpeg scaling: 200 - 2q above 50), which is what the interpolation uses.
struct Model {
    /// (quality, full bytes extrapolated from the probe sample), sorted by quality.
    points: Vec<(Q10, f64)>,
    /// (quality, bytes) of real full encodes.
    measured: Vec<(Q10, f64)>,
}

/// Fixed bytes of headers/tables that do not scale with area.
const HEADER_BYTES: f64 = 620.0;

fn log_scale(q: Q10) -> f64 {
    quant_scale(q).max(1.0).ln()
}

/// Log-log interpolation (extrapolation at the ends) over points sorted by quality.
fn interp(p: &[(Q10, f64)], q: Q10) -> f64 {
    match p.len() {
        0 => f64::MAX,
        1 => p[0].1,
        n => {
            let i = p
                .iter()
                .position(|&(pq, _)| pq >= q)
                .unwrap_or(n)
                .clamp(1, n - 1);
            let (a, b) = (p[i - 1], p[i]);
            let (xa, xb) = (log_scale(a.0), log_scale(b.0));
            if (xa - xb).abs() < 1e-9 {
                return a.1;
            }
            let t = (log_scale(q) - xa) / (xb - xa);
            (a.1.max(1.0).ln() + t * (b.1.max(1.0).ln() - a.1.max(1.0).ln())).exp()
        }
    }
}

impl Model {
    fn predict(&self, q: Q10) -> f64 {
        match self.measured.len() {
            0 => interp(&self.points, q),
            1 => {
                let (mq, mn) = self.measured[0];
                interp(&self.points, q) * mn / interp(&self.points, mq).max(1.0)
            }
            _ => interp(&self.measured, q),
        }
    }

    fn measure(&mut self, q: Q10, bytes: usize) {
        self.measured.retain(|&(mq, _)| mq != q);
        self.measured.push((q, bytes as f64));
        self.measured.sort_by_key(|p| p.0);
    }

    /// Highest quality in `lo..=hi` predicted to fit `target` bytes, or None.
    fn solve(&self, lo: Q10, hi: Q10, target: f64) -> Option<Q10> {
        (lo..=hi).rev().find(|&q| self.predict(q) <= target)
    }
}

impl Model {
    /// Adds a probe point, keeping `points` sorted by quality (a quality already probed is kept).
    fn add_point(&mut self, (q, bytes): (Q10, f64)) {
        if let Err(i) = self.points.binary_search_by_key(&q, |p| p.0) {
            self.points.insert(i, (q, bytes));
        }
    }
}

/// Full-size bytes at quality `q` predicted from an encode of `sample` (see [`probe_sample`]), or
/// measured on `img` itself when it is too small to sample.
fn probe_point(
    img: &Raster,
    sample: Option<&(Raster, f64)>,
    q: Q10,
) -> Result<(Q10, f64), ImageError> {
    Ok(match sample {
        Some((sample, factor)) => {
            let n = encode_jpeg(sample, q)?.len() as f64;
            (q, (n - HEADER_BYTES).max(1.0) * factor + HEADER_BYTES)
        }
        None => (q, encode_jpeg(img, q)?.len() as f64),
    })
}

/// Max JPEG bytes whose padded base64 length fits `max_chars`.
pub(crate) fn max_bytes_for(max_chars: usize) -> usize {
    max_chars / 4 * 3
}

/// Fits `src` (already upright, already at most the wanted size) under the budget.
pub(crate) fn fit(
    src: &Raster,
    max_chars: usize,
    min_q: Q10,
    max_q: Q10,
) -> Result<Fitted, ImageError> {
    let budget = max_bytes_for(max_chars) as f64;
    let target = budget * AIM;
    let mut encodes = 0u32;
    let mut current: Option<Raster> = None; // None = src itself
    loop {
        let img = current.as_ref().unwrap_or(src);
        let long = img.width.max(img.height);
        let mut model = Model {
            points: Vec::with_capacity(3),
            measured: Vec::new(),
        };
        let mut q = {
            let sample = probe_sample(img);
            for probe_q in [max_q, min_q.max(max_q.saturating_sub(200))] {
                model.add_point(probe_point(img, sample.as_ref(), probe_q)?);
            }
            let mut q = model.solve(min_q, max_q, target);
            // Far below the probed range the log-linear extrapolation is poor: probe there too.
            if let Some(first) = q {
                if first + 50 < model.points.first().map_or(0, |p| p.0) {
                    model.add_point(probe_point(img, sample.as_ref(), first)?);
                    q = model.solve(min_q, max_q, target);
                }
            }
            q
        };
        // (quality, bytes) of full encodes at this size.
        let mut best_fit: Option<(Q10, Vec<u8>)> = None;
        let mut lowest_over: Option<(Q10, usize)> = None;
        let mut round = 0;
        while let Some(cur_q) = q {
            round += 1;
            let jpeg = encode_jpeg(img, cur_q)?;
            encodes += 1;
            let n = jpeg.len();
            model.measure(cur_q, n);
            if base64_len(n) <= max_chars {
                let full = n as f64 >= budget * LOW_WATER || cur_q >= max_q;
                if best_fit.as_ref().is_none_or(|(bq, _)| *bq < cur_q) {
                    best_fit = Some((cur_q, jpeg));
                }
                if full {
                    break;
                }
            } else if lowest_over.is_none_or(|(oq, _)| cur_q < oq) {
                lowest_over = Some((cur_q, n));
            }
            // Next quality strictly between the best fit and the lowest overflow.
            let lo = best_fit.as_ref().map_or(min_q, |(bq, _)| bq + 2);
            let hi = lowest_over.map_or(max_q, |(oq, _)| oq.saturating_sub(2));
            if lo > hi || round >= MAX_ROUNDS_PER_SIZE {
                // Out of room or rounds. If nothing fits yet, min_q itself is the last word.
                q = (best_fit.is_none()
                    && lowest_over.is_some_and(|(oq, _)| oq > min_q)
                    && round < MAX_ROUNDS_PER_SIZE + 1)
                    .then_some(min_q);
                continue;
            }
            let guess = model.solve(lo, hi, target).unwrap_or(lo);
            q = Some(guess.clamp(lo, hi));
        }
        if let Some((quality, jpeg)) = best_fit {
            return Ok(Fitted {
                jpeg,
                width: img.width,
                height: img.height,
                quality,
                encodes,
            });
        }
        // Nothing fits at this size: shrink by the measured (or predicted) overshoot at min_q.
        if long <= MIN_LONG_SIDE {
            return Err(budget_too_small());
        }
        let at_min = match lowest_over {
            Some((oq, n)) if oq == min_q => n as f64,
            _ => model.predict(min_q),
        };
        let f = (target / at_min.max(1.0))
            .clamp(0.0001, 0.98)
            .powf(1.0 / 1.7)
            .min(0.95);
        let new_long = ((long as f64 * f) as u32).max(MIN_LONG_SIDE.min(long - 1));
        let (w, h) = scaled_dims(src.width, src.height, new_long);
        current = Some(resize(src, w, h));
    }
}

fn budget_too_small() -> ImageError {
    ImageError::too_large(
        "the image cannot be made small enough for the size limit (try a closer, simpler photo)",
    )
}

/// Dimensions with the long side set to `long` (never larger than the input), aspect kept.
pub(crate) fn scaled_dims(w: u32, h: u32, long: u32) -> (u32, u32) {
    let cur = w.max(h);
    if long >= cur {
        return (w, h);
    }
    let f = long as f64 / cur as f64;
    let sw = ((w as f64 * f).round() as u32).max(1);
    let sh = ((h as f64 * f).round() as u32).max(1);
    (sw, sh)
}
