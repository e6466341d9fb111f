//! JPEG encoding (custom Annex K tables at fractional qualities) and the Rust encoder's driver
//! of the budget search (`budget.rs`).

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

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
