//! JPEG encoding (custom Annex K tables at fractional qualities) and the Rust encoder's driver
//! of the budget search (`budget.rs`).

use jpeg_encoder::{Encoder, ImageBuffer, JpegColorType, SamplingFactor};

use crate::budget::{BudgetSearch, Step};
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

pub(crate) use crate::budget::Q10;

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
    let (w, h) = (
        u16::try_from(r.width).map_err(|_| too_wide())?,
        u16::try_from(r.height).map_err(|_| too_wide())?,
    );
    let gray = r.channels == 1;
    let not_encoded = || ImageError::invalid("the picture could not be encoded as JPEG");
    // What `Encoder::encode` checks before it encodes.
    if r.data.len() < usize::from(w) * usize::from(h) * if gray { 1 } else { 3 } {
        return Err(not_encoded());
    }
    let pixels = Pixels {
        data: &r.data,
        width: w,
        height: h,
        gray,
    };
    enc.encode_image(pixels).map_err(|_| not_encoded())?;
    Ok(out)
}

/// The raster as the encoder's input, gray or RGB. `Encoder::encode` would take any of its nine
/// byte layouts and so link its block encoder nine times into the codec module.
struct Pixels<'a> {
    data: &'a [u8],
    width: u16,
    height: u16,
    gray: bool,
}

impl ImageBuffer for Pixels<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        if self.gray {
            JpegColorType::Luma
        } else {
            JpegColorType::Ycbcr
        }
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    /// Row `y` as Y (gray) or Y, Cb, Cr (RGB) samples, as the encoder's own gray and RGB buffers do.
    /// Index loops, not `push` per sample: at the wasm build's opt-level "z" each `push` stays a
    /// call.
    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let w = usize::from(self.width);
        let len = w * if self.gray { 1 } else { 3 };
        let start = usize::from(y) * len;
        let line = self.data.get(start..start + len).unwrap_or_default();
        let [b0, b1, b2, _] = buffers;
        if self.gray {
            b0.extend_from_slice(line);
            return;
        }
        let n = line.len() / 3;
        let (o0, o1, o2) = (b0.len(), b1.len(), b2.len());
        b0.resize(o0 + n, 0);
        b1.resize(o1 + n, 0);
        b2.resize(o2 + n, 0);
        let (Some(ys), Some(cbs), Some(crs)) = (
            b0.get_mut(o0..o0 + n),
            b1.get_mut(o1..o1 + n),
            b2.get_mut(o2..o2 + n),
        ) else {
            return;
        };
        let mut x = 0;
        while x < n && x < ys.len() && x < cbs.len() && x < crs.len() && 3 * x + 2 < line.len() {
            let (y, cb, cr) = rgb_to_ycbcr(line[3 * x], line[3 * x + 1], line[3 * x + 2]);
            ys[x] = y;
            cbs[x] = cb;
            crs[x] = cr;
            x += 1;
        }
    }
}

/// `jpeg_encoder::rgb_to_ycbcr`'s arithmetic (2^16 fixed point), inlined here: at opt-level
/// "z" the encoder's own copy is a call per pixel. The test
/// `pixels_encode_like_the_encoders_own_layouts` holds the two to the same bytes.
#[inline(always)]
fn rgb_to_ycbcr(r: u8, g: u8, b: u8) -> (u8, u8, u8) {
    let (r, g, b) = (r as i32, g as i32, b as i32);
    let y = 19595 * r + 38470 * g + 7471 * b;
    let cb = -11059 * r - 21709 * g + 32768 * b + (128 << 16);
    let cr = 32768 * r - 27439 * g - 5329 * b + (128 << 16);
    (
        ((y + 0x7FFF) >> 16) as u8,
        ((cb + 0x7FFF) >> 16) as u8,
        ((cr + 0x7FFF) >> 16) as u8,
    )
}

fn too_wide() -> ImageError {
    ImageError::too_large("the picture is wider or taller than 65535 pixels")
}

/// The picture's sensor noise: the standard deviation (in 8-bit luma levels) of pixel noise, as
/// a robust estimate that text and edges do not inflate (docs/IMAGE_POLICY.md, "Noise").
///
/// Every interior pixel's response to the 3×3 second-difference mask
/// `[1 −2 1; −2 4 −2; 1 −2 1]` (Immerkær 1996) cancels smooth shading and paper texture; on
/// white noise of deviation σ it has deviation 6σ. Its median absolute value × 1.4826 / 6
/// estimates σ; a median, unlike Immerkær's mean, ignores the minority of pixels on strokes and
/// edges. `pixels`: rows of `channels` bytes per pixel (1 gray, 3 RGB, 4 RGBA; luma from the first
/// three). `band_rows`: the picture is a stack of unrelated bands this many rows tall (the canvas
/// codec's probe sample, 16), and no mask straddles two; 0 = one picture. 0 for pictures under
/// 3×3 or a buffer too short.
pub fn noise_level(pixels: &[u8], width: u32, height: u32, channels: u8, band_rows: u32) -> f64 {
    let (w, h, c) = (width as usize, height as usize, channels.max(1) as usize);
    if w < 3 || h < 3 || pixels.len() / c / w < h {
        return 0.0;
    }
    // Index loops and three reused row buffers (at the wasm build's opt-level "z" an iterator
    // chain per row stays a call per pixel).
    let luma = |row: usize, out: &mut [i32]| {
        let line = pixels
            .get(row * w * c..(row + 1) * w * c)
            .unwrap_or_default();
        let mut x = 0;
        while x < out.len() {
            let i = x * c;
            out[x] = if i + c > line.len() {
                0
            } else if c >= 3 {
                (77 * line[i] as i32 + 150 * line[i + 1] as i32 + 29 * line[i + 2] as i32 + 128)
                    >> 8
            } else {
                line[i] as i32
            };
            x += 1;
        }
    };
    // |response| histogram, saturated at its last bin: the median is far below it.
    let mut hist = [0u32; 512];
    let mut count = 0u64;
    let (mut a, mut b, mut n) = (vec![0i32; w], vec![0i32; w], vec![0i32; w]);
    luma(0, &mut a);
    luma(1, &mut b);
    let band = band_rows as usize;
    for y in 2..h {
        luma(y, &mut n);
        // The rows y − 2 and y in different bands: no mask centred on y − 1.
        let straddles = band >= 3 && (y - 2) / band != y / band;
        if !straddles {
            let (p, q, r) = (&a[..w], &b[..w], &n[..w]);
            let mut x = 1;
            while x + 1 < w {
                let corners = p[x - 1] + p[x + 1] + r[x - 1] + r[x + 1];
                let sides = p[x] + r[x] + q[x - 1] + q[x + 1];
                let v = (corners - 2 * sides + 4 * q[x]).unsigned_abs() as usize;
                hist[v.min(511)] += 1;
                x += 1;
            }
            count += (w - 2) as u64;
        }
        // a, b, n ← b, n, a (the oldest buffer is refilled next).
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut b, &mut n);
    }
    let half = count.div_ceil(2);
    let mut seen = 0u64;
    for (v, &n) in hist.iter().enumerate() {
        if seen + n as u64 >= half {
            // Within the bin, as if its values spread evenly over [v − ½, v + ½).
            let at = v as f64 - 0.5 + (half - seen) as f64 / n.max(1) as f64;
            return 1.4826 * at.max(0.0) / 6.0;
        }
        seen += n as u64;
    }
    0.0
}

/// [`noise_level`] of a picture about to be encoded, measured on its probe sample (an eighth of
/// its rows in bands of 16, as the canvas codec measures its own probe sample), or on the whole
/// picture when it is small: a few milliseconds instead of ~40 ms for 1600×1200 in wasm.
pub(crate) fn picture_noise(r: &Raster) -> f64 {
    match probe_sample(r) {
        Some((s, _)) => noise_level(&s.data, s.width, s.height, s.channels, 16),
        None => noise_level(&r.data, r.width, r.height, r.channels, 0),
    }
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

/// Fits `src` (already upright, already at most the wanted size) under the budget, driving the
/// budget search with this encoder.
pub(crate) fn fit(
    src: &Raster,
    max_chars: usize,
    min_q: Q10,
    max_q: Q10,
) -> Result<Fitted, ImageError> {
    let mut search = BudgetSearch::new(src.width, src.height, max_chars, min_q, max_q, 1);
    let mut current: Option<Raster> = None; // None = src itself
    let mut sample: Option<Option<(Raster, f64)>> = None; // probe sample of the current picture
    let mut kept: Option<Vec<u8>> = None;
    loop {
        let img = current.as_ref().unwrap_or(src);
        match search.step()? {
            Step::Sample(q) => {
                let sample = sample.get_or_insert_with(|| probe_sample(img));
                let (n, factor) = match sample {
                    Some((s, factor)) => (encode_jpeg(s, q)?.len(), *factor),
                    None => (encode_jpeg(img, q)?.len(), 1.0),
                };
                search.sampled(n, factor);
            }
            Step::Encode(q) => {
                let jpeg = encode_jpeg(img, q)?;
                if search.encoded(jpeg.len()) {
                    kept = Some(jpeg);
                }
            }
            Step::Shrink { width, height } => {
                current = Some(resize(src, width, height));
                sample = None;
                kept = None;
            }
            Step::Done { quality, encodes } => {
                let jpeg = kept.ok_or_else(|| {
                    ImageError::invalid("the picture could not be encoded as JPEG")
                })?;
                return Ok(Fitted {
                    jpeg,
                    width: img.width,
                    height: img.height,
                    quality,
                    encodes,
                });
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Gray paper with a gradient, with `ink`: 2-px vertical strokes every 16 px in every other
    /// 12-row line (a mask touches a stroke on about one pixel in eight), and uniform noise of
    /// ±`amp`.
    fn page(w: usize, h: usize, ink: bool, amp: i32, seed: u64) -> Vec<u8> {
        let mut s = seed | 1;
        let mut rnd = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let stroke = ink && (y / 12) % 2 == 0 && (x / 2) % 8 == 0;
                let base = if stroke {
                    40
                } else {
                    200 + (x * 20 / w) as i32
                };
                let n = if amp > 0 {
                    (rnd() % (2 * amp as u64 + 1)) as i32 - amp
                } else {
                    0
                };
                out.push((base + n).clamp(0, 255) as u8);
            }
        }
        out
    }

    /// The estimate finds uniform noise of ±a on plain paper and on paper covered
    /// with strokes, and finds next to none on a clean page full of edges.
    #[test]
    fn noise_level_measures_noise_not_strokes() {
        for amp in [3, 6, 12] {
            // Integers uniform on −a..=a: variance a(a + 1)/3.
            let sigma = (amp as f64 * (amp as f64 + 1.0) / 3.0).sqrt();
            for ink in [false, true] {
                let got = noise_level(&page(320, 240, ink, amp, 7), 320, 240, 1, 0);
                assert!(
                    (got - sigma).abs() < 0.25 * sigma,
                    "±{amp} ink {ink}: {got:.2} vs {sigma:.2}"
                );
            }
        }
        assert!(noise_level(&page(320, 240, true, 0, 7), 320, 240, 1, 0) < 0.3);
        // RGB and RGBA give the luma's answer.
        let gray = page(160, 120, true, 9, 3);
        let rgb: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v]).collect();
        let rgba: Vec<u8> = gray.iter().flat_map(|&v| [v, v, v, 255]).collect();
        let g = noise_level(&gray, 160, 120, 1, 0);
        assert!((noise_level(&rgb, 160, 120, 3, 0) - g).abs() < 0.1);
        assert!((noise_level(&rgba, 160, 120, 4, 16) - g).abs() < 0.3);
        // Too small or too short a buffer: no estimate.
        assert_eq!(noise_level(&gray, 2, 2, 1, 0), 0.0);
        assert_eq!(noise_level(&gray[..100], 160, 120, 1, 0), 0.0);
    }

    /// `noise_level` as it was before its loops were rewritten: the same number, bit for bit.
    fn reference_noise_level(
        pixels: &[u8],
        width: u32,
        height: u32,
        channels: u8,
        band_rows: u32,
    ) -> f64 {
        let (w, h, c) = (width as usize, height as usize, channels.max(1) as usize);
        if w < 3 || h < 3 || pixels.len() / c / w < h {
            return 0.0;
        }
        let luma = |row: usize| -> Vec<i32> {
            let line = pixels
                .get(row * w * c..(row + 1) * w * c)
                .unwrap_or_default();
            line.chunks_exact(c)
                .map(|p| match *p {
                    [r, g, b, ..] => (77 * r as i32 + 150 * g as i32 + 29 * b as i32 + 128) >> 8,
                    [v, ..] => v as i32,
                    [] => 0,
                })
                .collect()
        };
        // |response| histogram, saturated at its last bin: the median is far below it.
        let mut hist = [0u32; 512];
        let mut count = 0u64;
        let (mut a, mut b) = (luma(0), luma(1));
        let band = band_rows as usize;
        for y in 2..h {
            let n = luma(y);
            // The rows y − 2 and y in different bands: no mask centred on y − 1.
            let straddles = band >= 3 && (y - 2) / band != y / band;
            for x in 1..w - 1 {
                if straddles {
                    break;
                }
                let (p, q, r) = (&a, &b, &n);
                let corners = p[x - 1] + p[x + 1] + r[x - 1] + r[x + 1];
                let sides = p[x] + r[x] + q[x - 1] + q[x + 1];
                let v = (corners - 2 * sides + 4 * q[x]).unsigned_abs() as usize;
                if let Some(bin) = hist.get_mut(v.min(511)) {
                    *bin += 1;
                }
                count += 1;
            }
            a = std::mem::replace(&mut b, n);
        }
        let half = count.div_ceil(2);
        let mut seen = 0u64;
        for (v, &n) in hist.iter().enumerate() {
            if seen + n as u64 >= half {
                // Within the bin, as if its values spread evenly over [v − ½, v + ½).
                let at = v as f64 - 0.5 + (half - seen) as f64 / n.max(1) as f64;
                return 1.4826 * at.max(0.0) / 6.0;
            }
            seen += n as u64;
        }
        0.0
    }

    #[test]
    fn noise_level_is_the_reference_one() {
        for (w, h, amp, ink) in [(320, 240, 6, true), (161, 97, 12, false), (3, 3, 4, true)] {
            let gray = page(w, h, ink, amp, 5);
            let rgb: Vec<u8> = gray
                .iter()
                .enumerate()
                .flat_map(|(i, &v)| [v, v.wrapping_add(i as u8 % 7), v / 2])
                .collect();
            let rgba: Vec<u8> = gray.iter().flat_map(|&v| [v, 255 - v, v, 9]).collect();
            for (px, c) in [(&gray, 1u8), (&rgb, 3), (&rgba, 4)] {
                for band in [0, 16] {
                    let (w, h) = (w as u32, h as u32);
                    assert_eq!(
                        noise_level(px, w, h, c, band).to_bits(),
                        reference_noise_level(px, w, h, c, band).to_bits(),
                        "{w}x{h} c{c} band {band}"
                    );
                }
            }
        }
    }

    /// The probe sample (an eighth of the rows) reads the noise the whole picture has, on a
    /// picture big enough to be sampled (so the cheap measure makes the same quality choice).
    #[test]
    fn picture_noise_on_the_sample_matches_the_whole_picture() {
        for amp in [0, 4, 9] {
            for ink in [false, true] {
                let (w, h) = (400u32, 640u32); // 40 bands of 16 rows: sampled
                let r = Raster {
                    width: w,
                    height: h,
                    channels: 1,
                    data: page(w as usize, h as usize, ink, amp, 11),
                };
                let whole = noise_level(&r.data, w, h, 1, 0);
                let sampled = picture_noise(&r);
                assert!(
                    (sampled - whole).abs() < 0.1 + 0.1 * whole,
                    "±{amp} ink {ink}: sample {sampled:.2} vs whole {whole:.2}"
                );
            }
        }
    }

    /// The inlined colour conversion is jpeg-encoder's, on every RGB triple.
    #[test]
    fn ycbcr_is_the_encoders() {
        for r in 0..=255u8 {
            for g in 0..=255u8 {
                for b in 0..=255u8 {
                    assert_eq!(rgb_to_ycbcr(r, g, b), jpeg_encoder::rgb_to_ycbcr(r, g, b));
                }
            }
        }
    }

    /// The same bytes as jpeg-encoder's own gray and RGB inputs (`Encoder::encode`), odd sizes
    /// included (a row that is not a multiple of its 16-pixel chunks).
    #[test]
    fn pixels_encode_like_the_encoders_own_layouts() {
        for (channels, color) in [
            (1u8, jpeg_encoder::ColorType::Luma),
            (3, jpeg_encoder::ColorType::Rgb),
        ] {
            let (width, height) = (37u32, 23u32);
            let data: Vec<u8> = (0..width * height * u32::from(channels))
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            let r = Raster {
                width,
                height,
                channels,
                data,
            };
            let ours = encode_jpeg(&r, 750).unwrap();
            let mut theirs = Vec::new();
            let mut enc = Encoder::new(&mut theirs, 90);
            enc.set_quantization_tables(
                jpeg_encoder::QuantizationTableType::Custom(scaled_table(&LUMA, 750)),
                jpeg_encoder::QuantizationTableType::Custom(scaled_table(&CHROMA, 750)),
            );
            enc.set_sampling_factor(SamplingFactor::F_2_2);
            enc.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
            enc.set_optimized_huffman_tables(true);
            enc.encode(&r.data, 37, 23, color).unwrap();
            assert_eq!(ours, theirs, "{channels} channel(s)");
        }
    }
}
