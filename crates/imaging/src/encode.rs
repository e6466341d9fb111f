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
    pub quality: u8,
    pub encodes: u32,
}

/// Smallest long side the fitter will shrink to before giving up with `TooLarge`.
pub(crate) const MIN_LONG_SIDE: u32 = 256;
/// Aim point for the predicted size, as a fraction of the budget.
const AIM: f64 = 0.96;
/// Re-encode upwards when below this fraction of the budget (and quality can still rise).
const LOW_WATER: f64 = 0.92;
/// Full-size encode cap (probe encodes are not counted; they are ~1/8 of the area).
const MAX_FULL_ENCODES: u32 = 5;

pub(crate) fn encode_jpeg(r: &Raster, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::with_capacity(r.data.len() / 8 + 1024);
    let mut enc = Encoder::new(&mut out, quality.clamp(1, 100));
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
    for i in 0..want {
        let b = (i * total_bands) / want + (total_bands / want) / 2;
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

/// Predicts full-size JPEG bytes from probe encodes.
struct Model {
    /// (quality, predicted full bytes), sorted by quality.
    points: Vec<(u8, f64)>,
    /// Multiplier learned from full encodes (measured / predicted).
    correction: f64,
}

/// Fixed bytes of headers/tables that do not scale with area.
const HEADER_BYTES: f64 = 620.0;

impl Model {
    fn predict(&self, q: u8) -> f64 {
        let p = &self.points;
        let raw = match p.len() {
            0 => f64::MAX,
            1 => p[0].1,
            _ => {
                // Log-linear interpolation/extrapolation between the two nearest points.
                let (a, b) = if q <= p[0].0 {
                    (p[0], p[1])
                } else if q >= p[p.len() - 1].0 {
                    (p[p.len() - 2], p[p.len() - 1])
                } else {
                    let i = p.iter().position(|&(pq, _)| pq >= q).unwrap_or(1).max(1);
                    (p[i - 1], p[i])
                };
                if a.0 == b.0 {
                    a.1
                } else {
                    let t = (q as f64 - a.0 as f64) / (b.0 as f64 - a.0 as f64);
                    (a.1.ln() + t * (b.1.ln() - a.1.ln())).exp()
                }
            }
        };
        raw * self.correction
    }

    /// Highest quality in `lo..=hi` predicted to fit `target` bytes, or None.
    fn solve(&self, lo: u8, hi: u8, target: f64) -> Option<u8> {
        (lo..=hi).rev().find(|&q| self.predict(q) <= target)
    }
}

fn probe_model(img: &Raster, qs: &[u8]) -> Result<Model, ImageError> {
    let mut points = Vec::with_capacity(qs.len());
    match probe_sample(img) {
        Some((sample, factor)) => {
            for &q in qs {
                let n = encode_jpeg(&sample, q)?.len() as f64;
                points.push((q, (n - HEADER_BYTES).max(1.0) * factor + HEADER_BYTES));
            }
        }
        None => {
            for &q in qs {
                points.push((q, encode_jpeg(img, q)?.len() as f64));
            }
        }
    }
    points.sort_by_key(|p| p.0);
    points.dedup_by_key(|p| p.0);
    Ok(Model {
        points,
        correction: 1.0,
    })
}

/// Max JPEG bytes whose padded base64 length fits `max_chars`.
pub(crate) fn max_bytes_for(max_chars: usize) -> usize {
    max_chars / 4 * 3
}

/// Fits `src` (already upright, already at most the wanted size) under the budget.
/// `shrink_from` is the best-quality source to resize from when the picture must get smaller.
pub(crate) fn fit(
    src: &Raster,
    max_chars: usize,
    min_q: u8,
    max_q: u8,
) -> Result<Fitted, ImageError> {
    let budget = max_bytes_for(max_chars) as f64;
    let mut encodes = 0u32;
    let mut best: Option<Fitted> = None;
    let mut current: Option<Raster> = None; // None = src itself
    loop {
        let img = current.as_ref().unwrap_or(src);
        let mut model = probe_model(img, &[max_q, min_q.max(max_q.saturating_sub(20))])?;
        let target = budget * AIM;
        let q = match model.solve(min_q, max_q, target) {
            Some(q) => q,
            None => {
                // Even min_q is predicted too big: shrink. bytes ~ area^0.85 → side ~ (r)^(1/1.7).
                let ratio = (target / model.predict(min_q)).clamp(0.01, 0.98);
                let f = ratio.powf(1.0 / 1.7).min(0.95);
                let long = img.width.max(img.height);
                if long <= MIN_LONG_SIDE {
                    return best.ok_or_else(budget_too_small);
                }
                let new_long = ((long as f64 * f) as u32).max(MIN_LONG_SIDE);
                let (w, h) = scaled_dims(src.width, src.height, new_long);
                current = Some(resize(src, w, h));
                continue;
            }
        };
        // Full encodes with model correction.
        let mut q = q;
        let mut tried: Vec<(u8, usize)> = Vec::new();
        loop {
            let jpeg = encode_jpeg(img, q)?;
            encodes += 1;
            let n = jpeg.len();
            tried.push((q, n));
            let fits = base64_len(n) <= max_chars;
            if fits {
                let better = best.as_ref().is_none_or(|b| {
                    (b.width as u64 * b.height as u64) < (img.width as u64 * img.height as u64)
                        || (b.width == img.width && b.quality < q)
                });
                if better {
                    best = Some(Fitted {
                        jpeg,
                        width: img.width,
                        height: img.height,
                        quality: q,
                        encodes,
                    });
                }
            }
            model.correction *= n as f64 / model.predict(q).max(1.0);
            let done_high = fits && (n as f64 >= budget * LOW_WATER || q >= max_q);
            if done_high || encodes >= MAX_FULL_ENCODES {
                break;
            }
            let next = if fits {
                // Under-used: go up, but never to a quality already seen to overflow.
                let ceiling = tried
                    .iter()
                    .filter(|&&(_, s)| base64_len(s) > max_chars)
                    .map(|&(tq, _)| tq.saturating_sub(1))
                    .min()
                    .unwrap_or(max_q);
                model.solve(q + 1, ceiling.min(max_q), budget * AIM)
            } else {
                let floor_ok = tried
                    .iter()
                    .filter(|&&(_, s)| base64_len(s) <= max_chars)
                    .map(|&(tq, _)| tq)
                    .max();
                let top = q.saturating_sub(1);
                if top < min_q {
                    None
                } else {
                    let lo = floor_ok.map_or(min_q, |f| f + 1).max(min_q);
                    model
                        .solve(lo.min(top), top, budget * AIM)
                        .or(Some(lo.min(top)))
                }
            };
            match next {
                Some(nq) if !tried.iter().any(|&(tq, _)| tq == nq) => q = nq,
                _ => break,
            }
        }
        if let Some(b) = best.as_mut() {
            b.encodes = encodes;
            if b.width == img.width {
                return best.ok_or_else(budget_too_small);
            }
        }
        if encodes >= MAX_FULL_ENCODES + 2 {
            return best.ok_or_else(budget_too_small);
        }
        // Nothing fit at this size (prediction was too optimistic): shrink by the overshoot.
        let long = img.width.max(img.height);
        if long <= MIN_LONG_SIDE {
            return best.ok_or_else(budget_too_small);
        }
        let smallest = tried.iter().map(|&(_, s)| s).min().unwrap_or(usize::MAX) as f64;
        let f = (budget * AIM / smallest)
            .clamp(0.01, 0.98)
            .powf(1.0 / 1.7)
            .min(0.95);
        let new_long = ((long as f64 * f) as u32).max(MIN_LONG_SIDE);
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
