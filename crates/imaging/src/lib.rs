//! Pure-Rust image preparation for vehicle-doc-ocr: probe, decode (JPEG with DCT-domain
//! downscaling, PNG, WebP, GIF, BMP), EXIF orientation, Catmull-Rom downscaling and JPEG encoding
//! (4:2:0, optimized Huffman tables) under an exact base64 budget.
//!
//! No threads, no clock, no filesystem: builds for `wasm32-unknown-unknown` and runs in workerd.
//! The policy values and the measurements behind them are in `docs/IMAGE_POLICY.md`.

mod budget;
mod decode;
mod encode;
mod error;
mod integrity;
mod jpeg;
#[cfg(feature = "png")]
mod png;
pub mod preflight;
mod probe;
pub mod quality;
mod raster;
mod scanpad;

pub use budget::{BudgetSearch, Step as BudgetStep, AIM, LOW_WATER, MAX_ROUNDS_PER_SIZE};
pub use encode::noise_level;
pub use error::{ImageError, ImageErrorKind, HEIC_MESSAGE};
pub use integrity::{Integrity, Verdict};
pub use preflight::{verify_structure, HARD_MAX_SOURCE_PIXELS};
pub use probe::{is_heif, probe, sniff, ImageInfo, SourceFormat};

use raster::Raster;

/// Knobs for [`prepare`]. `Default` is the documented OCR policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareOptions {
    /// Hard cap on the padded standard base64 length of the output (the providers refuse more
    /// than 1,000,000 characters).
    pub max_base64_chars: usize,
    /// Long side cap of the output in pixels (never upscaled).
    pub max_long_side_px: u32,
    /// Sources whose header announces more pixels are refused before decoding.
    pub max_source_pixels: u64,
    /// Lowest JPEG quality used before the picture is made smaller instead.
    pub min_quality: u8,
    /// Highest JPEG quality used (beyond it bytes grow fast with no gain for OCR).
    pub max_quality: u8,
    /// Apply the EXIF orientation. `false` when the caller's pixels are already upright.
    pub apply_orientation: bool,
    /// Progressive JPEGs whose whole-image coefficient buffer would need more bytes are refused
    /// with `TooLarge` (see [`MAX_PROGRESSIVE_COEFF_BYTES`], the default).
    pub max_progressive_coeff_bytes: u64,
    /// How many of the budget's bytes to spend (see [`SizeTarget`]).
    pub target: SizeTarget,
    /// "legible": the height in pixels of the document's printed values, as the quality report
    /// measures it (`quality::Report::text_height_px`) at [`PrepareOptions::text_measure_long_side`];
    /// the picture is then sent just large enough for [`LEGIBLE_TEXT_HEIGHT_PX`] (see
    /// [`PrepareOptions::long_side_cap`]). `None`: no estimate (the [`LEGIBLE_LONG_SIDE_PX`] cap).
    pub text_height_px: Option<u32>,
}

/// How many bytes the output spends (option `target`; docs/IMAGE_POLICY.md, "Size target").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeTarget {
    /// The fewest bytes that keep the text legible: the long side at most
    /// [`LEGIBLE_LONG_SIDE_PX`] (the short side kept at [`LEGIBLE_MIN_SHORT_SIDE_PX`] or more) and
    /// the quality at most [`LEGIBLE_QUALITY`]; lowered further only when the budget forces it.
    Legible,
    /// Spend up to the budget: the largest size and highest quality that fit.
    Budget,
}

impl SizeTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            SizeTarget::Legible => "legible",
            SizeTarget::Budget => "budget",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        [SizeTarget::Legible, SizeTarget::Budget]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// The default size target (see docs/IMAGE_POLICY.md for the evidence).
pub const DEFAULT_TARGET: SizeTarget = SizeTarget::Legible;
/// "legible": the long-side cap without a text-height estimate. The densest document, a 登记证书 A4 page (3.5 mm body text)
/// upright in a 4:3 frame, keeps its text at ≥ 13 px, over the quality report's 12 px minimum
/// (`minTextHeightPx`); a 行驶证 filling a third of the frame keeps ≥ 25 px.
pub const LEGIBLE_LONG_SIDE_PX: u32 = 1600;
/// "legible": the short side is never made smaller than this (Tencent asks for ≥ 500 × 800).
pub const LEGIBLE_MIN_SHORT_SIDE_PX: u32 = 800;
/// "legible" with a text-height estimate: the printed values' height, in pixels as the quality
/// report measures it, that the picture is scaled to (never above the [`LEGIBLE_LONG_SIDE_PX`]
/// cap, never below the [`LEGIBLE_MIN_SHORT_SIDE_PX`] floor). PP-OCRv4 read within 1 point of
/// the camera photo from 13 px up and lost 12 points at 10 px; 16 leaves room for an estimate
/// that is off (docs/IMAGE_POLICY.md, "Text height").
pub const LEGIBLE_TEXT_HEIGHT_PX: u32 = 16;
/// "legible": the quality ceiling (thin strokes keep their edges; see docs/IMAGE_POLICY.md).
pub const LEGIBLE_QUALITY: u8 = 85;
/// "legible": the quality ceiling of a noisy picture (see [`legible_quality_for_noise`]).
pub const LEGIBLE_NOISY_QUALITY: u8 = 70;
/// "legible": noise ([`noise_level`], luma levels at the size sent) up to which the ceiling stays
/// [`LEGIBLE_QUALITY`].
pub const LEGIBLE_QUIET_NOISE: f64 = 1.0;
/// "legible": noise from which the ceiling is [`LEGIBLE_NOISY_QUALITY`].
pub const LEGIBLE_LOUD_NOISE: f64 = 2.0;

/// "legible": the quality ceiling (tenths) for a picture whose noise at the size sent is `noise`
/// ([`noise_level`]): [`LEGIBLE_QUALITY`] up to [`LEGIBLE_QUIET_NOISE`], falling linearly to
/// [`LEGIBLE_NOISY_QUALITY`] at [`LEGIBLE_LOUD_NOISE`] and beyond. Bytes spent coding sensor
/// noise do not make text more legible: on a noisy picture the quantizer's rounding is already
/// below the noise the strokes carry (docs/IMAGE_POLICY.md, "Noise").
pub fn legible_quality_for_noise(noise: f64) -> u16 {
    let (hi, lo) = (
        LEGIBLE_QUALITY as f64 * 10.0,
        LEGIBLE_NOISY_QUALITY as f64 * 10.0,
    );
    let t = ((noise - LEGIBLE_QUIET_NOISE) / (LEGIBLE_LOUD_NOISE - LEGIBLE_QUIET_NOISE))
        .clamp(0.0, 1.0);
    // NaN (no estimate) keeps the full ceiling.
    let t = if t.is_nan() { 0.0 } else { t };
    (hi - t * (hi - lo)).round() as u16
}

impl PrepareOptions {
    /// The long-side cap for an `w`×`h` picture: `max_long_side_px`, and under
    /// [`SizeTarget::Legible`] at most [`LEGIBLE_LONG_SIDE_PX`], raised for a long thin picture so
    /// its short side stays at [`LEGIBLE_MIN_SHORT_SIDE_PX`]. With a text-height estimate
    /// ([`PrepareOptions::text_height_px`]) "legible" goes lower: just large enough for the text
    /// to be [`LEGIBLE_TEXT_HEIGHT_PX`] tall, never below [`PrepareOptions::long_side_floor`].
    pub fn long_side_cap(&self, w: u32, h: u32) -> u32 {
        let (cap, floor) = self.legible_bounds(w, h);
        match self.text_height_px.filter(|&t| t > 0) {
            Some(text) if self.target == SizeTarget::Legible => {
                // Measured at the long side sent without the estimate: scaled so the text is
                // LEGIBLE_TEXT_HEIGHT_PX tall.
                let at = u64::from(w.max(h).min(cap));
                let want = (at * u64::from(LEGIBLE_TEXT_HEIGHT_PX)).div_ceil(u64::from(text));
                u32::try_from(want).map_or(cap, |v| v.max(floor).min(cap))
            }
            _ => cap,
        }
    }

    /// The smallest long side "legible" sends a `w`×`h` picture at on purpose: its short side at
    /// [`LEGIBLE_MIN_SHORT_SIDE_PX`] (the providers' floor), within the caps and the picture's own
    /// size; 0 under "budget" (only the budget shrinks it). Neither codec's DCT-scaled decode
    /// lands under it.
    pub fn long_side_floor(&self, w: u32, h: u32) -> u32 {
        self.legible_bounds(w, h).1
    }

    /// (the long-side cap without a text-height estimate, [`PrepareOptions::long_side_floor`]).
    fn legible_bounds(&self, w: u32, h: u32) -> (u32, u32) {
        let cap = self.max_long_side_px.max(1);
        if self.target != SizeTarget::Legible {
            return (cap, 0);
        }
        let (long, short) = (u64::from(w.max(h)), u64::from(w.min(h).max(1)));
        let keep_short =
            u32::try_from((u64::from(LEGIBLE_MIN_SHORT_SIDE_PX) * long).div_ceil(short))
                .unwrap_or(u32::MAX);
        let cap = cap.min(keep_short.max(LEGIBLE_LONG_SIDE_PX));
        (cap, keep_short.min(cap).min(w.max(h)))
    }

    /// The long side of what is sent for a `w`×`h` source: its own, capped by
    /// [`PrepareOptions::long_side_cap`] (never upscaled).
    pub fn sent_long_side(&self, w: u32, h: u32) -> u32 {
        w.max(h).min(self.long_side_cap(w, h))
    }

    /// The long side the quality report measures text height at ([`PrepareOptions::text_height_px`]
    /// refers to it): what is sent without a text-height estimate (≤ [`LEGIBLE_LONG_SIDE_PX`]
    /// under "legible"), so a report never depends on the estimate made from it.
    pub fn text_measure_long_side(&self, w: u32, h: u32) -> u32 {
        w.max(h).min(self.legible_bounds(w, h).0)
    }

    /// The quality window in tenths for the budget search: `min_quality..=max_quality`, the
    /// ceiling at most [`LEGIBLE_QUALITY`] under [`SizeTarget::Legible`].
    pub fn quality_window(&self) -> (u16, u16) {
        let mut hi = self.max_quality.clamp(1, 100);
        if self.target == SizeTarget::Legible {
            hi = hi.min(LEGIBLE_QUALITY);
        }
        let lo = self.min_quality.clamp(1, hi);
        (lo as u16 * 10, hi as u16 * 10)
    }

    /// [`PrepareOptions::quality_window`] for a picture whose noise at the size sent is `noise`
    /// ([`noise_level`]): under [`SizeTarget::Legible`] the ceiling is also at most
    /// [`legible_quality_for_noise`], never under the window's floor (`min_quality`).
    pub fn quality_window_for_noise(&self, noise: f64) -> (u16, u16) {
        let (lo, hi) = self.quality_window();
        if self.target != SizeTarget::Legible {
            return (lo, hi);
        }
        (lo, hi.min(legible_quality_for_noise(noise)).max(lo))
    }
}

/// Output long-side cap (see docs/IMAGE_POLICY.md).
pub const DEFAULT_MAX_LONG_SIDE_PX: u32 = 2048;
/// Quality floor before downscaling further.
pub const DEFAULT_MIN_QUALITY: u8 = 70;
/// Quality ceiling.
pub const DEFAULT_MAX_QUALITY: u8 = 95;

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            max_base64_chars: 1_000_000,
            max_long_side_px: DEFAULT_MAX_LONG_SIDE_PX,
            max_source_pixels: 120_000_000,
            min_quality: DEFAULT_MIN_QUALITY,
            max_quality: DEFAULT_MAX_QUALITY,
            apply_orientation: true,
            max_progressive_coeff_bytes: MAX_PROGRESSIVE_COEFF_BYTES,
            target: DEFAULT_TARGET,
            text_height_px: None,
        }
    }
}

/// A JPEG ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// Baseline JPEG bytes (or the untouched input when `passthrough`).
    pub jpeg: Vec<u8>,
    /// Output size in pixels (upright).
    pub width: u32,
    pub height: u32,
    /// JPEG quality used (libjpeg scale, rounded: the encoder works in 0.1 steps); `None` when
    /// the input was passed through untouched.
    pub quality: Option<u8>,
    /// Source size as stored (before orientation).
    pub source_width: u32,
    pub source_height: u32,
    pub source_format: SourceFormat,
    /// EXIF orientation applied to the pixels (1 = none).
    pub orientation_applied: u8,
    /// Number of full-size JPEG encodes (the small probe encodes are not counted).
    pub encodes: u32,
    /// True when `jpeg` is the input, byte for byte.
    pub passthrough: bool,
}

/// Exact length of the padded standard base64 encoding of `byte_len` bytes.
pub fn base64_len(byte_len: usize) -> usize {
    byte_len.div_ceil(3).saturating_mul(4)
}

/// Progressive JPEGs keep every DCT coefficient of the full-resolution image in memory (2 bytes
/// each, whatever the output scale): 36 MB at 12 MP 4:2:0, 72 MB at 12 MP 4:4:4 (96 MB wasm peak
/// measured), 144 MB at 48 MP 4:2:0. Beyond 80 MiB (about 27 MP at 4:2:0, 14 MP at 4:4:4) the
/// file is refused with `TooLarge` rather than exhausting a Worker's 128 MB (the default of
/// [`PrepareOptions::max_progressive_coeff_bytes`]; Node callers may raise it). Cameras write
/// baseline JPEGs, which have no such cost.
pub const MAX_PROGRESSIVE_COEFF_BYTES: u64 = 80 * 1024 * 1024;

struct Limits {
    min_q: encode::Q10,
    max_q: encode::Q10,
    decode_bytes: usize,
}

fn limits(opts: &PrepareOptions) -> Limits {
    let (min_q, max_q) = opts.quality_window();
    Limits {
        min_q,
        max_q,
        decode_bytes: usize::try_from(
            opts.max_source_pixels
                .min(HARD_MAX_SOURCE_PIXELS)
                .saturating_mul(4),
        )
        .unwrap_or(usize::MAX)
        .max(1 << 20),
    }
}

/// Decodes, orients, downscales and JPEG-encodes `bytes` so that the base64 of the result fits
/// `opts.max_base64_chars`. A JPEG that already fits, is within the long-side cap and needs no
/// rotation is returned untouched.
pub fn prepare(bytes: &[u8], opts: &PrepareOptions) -> Result<Prepared, ImageError> {
    let plan = preflight::plan(bytes, bytes.len() as u64, opts, u64::MAX, false)?;
    let info = plan.info;
    let lim = limits(opts);
    let orientation = plan.orientation;
    let long = info.width.max(info.height);
    let target_long = long.min(opts.long_side_cap(info.width, info.height));
    let (raster, final_dims) = if info.format == SourceFormat::Jpeg {
        let layout = preflight::check_whole(info.format, bytes)?;
        if layout.progressive_coeff_bytes > opts.max_progressive_coeff_bytes {
            return Err(ImageError::too_large(
                "this progressive JPEG is too large to decode here (progressive files need the \
                 whole image in memory); send the original camera photo or a smaller image",
            ));
        }
        if plan.may_pass_through && layout.forwardable {
            // Structure alone cannot tell a scan cut short and closed again with EOI (no restart
            // markers): a 1/8-scale decode through the scan padding can, before the file is sent.
            decode::decode_jpeg(bytes, &layout.scan_ends, 1, lim.decode_bytes)?;
            // What is sent ends at EOI: bytes after it are never forwarded.
            let end = usize::try_from(layout.end).unwrap_or(bytes.len());
            return Ok(untouched(bytes.get(..end).unwrap_or(bytes), &info));
        }
        let idct = match plan.target.dct {
            d @ (2 | 4 | 8) => 8 / d as u32,
            _ => {
                // Never a DCT scale under the "legible" floor (the plan's snap has the same rule).
                let min_long = ((target_long as f64 * preflight::DCT_SNAP).ceil() as u32)
                    .max(opts.long_side_floor(info.width, info.height));
                preflight::jpeg_idct_size(info.width, info.height, min_long)
            }
        };
        // The DCT-scaled size is only known after decoding: `finish` works it out.
        let raster = decode::decode_jpeg(bytes, &layout.scan_ends, idct, lim.decode_bytes)?;
        (raster, None)
    } else {
        preflight::check_whole(info.format, bytes)?;
        // Final size is known from the header; row-by-row decoders (PNG) shrink rows to it.
        let fin = preflight::scaled_dims(info.width, info.height, target_long, u64::MAX);
        let raster = decode::decode_full(info.format, bytes, lim.decode_bytes, Some(fin.0))?;
        (raster, Some(fin))
    };
    finish(
        raster,
        final_dims,
        target_long,
        orientation,
        opts,
        &lim,
        info.width,
        info.height,
        info.format,
    )
}

/// `codec: "none"`: the bytes handed back untouched (a JPEG up to its EOI) once their whole
/// structure is checked, or refused: over the budget is `TooLarge` (nothing re-encodes them).
pub fn pass_as_is(bytes: &[u8], opts: &PrepareOptions) -> Result<Prepared, ImageError> {
    let (info, verdict) = preflight::structure(bytes)?;
    let end = usize::try_from(verdict.end).unwrap_or(bytes.len());
    let out = bytes.get(..end).unwrap_or(bytes);
    if base64_len(out.len()) > opts.max_base64_chars {
        return Err(ImageError::too_large(
            "the image is over maxBase64Chars and codec \"none\" sends it as it is: prepare it \
             with codec \"auto\" or send a smaller file",
        ));
    }
    Ok(untouched(out, &info))
}

/// The result for bytes sent as they are (`passthrough`): the file's own size and format.
fn untouched(bytes: &[u8], info: &ImageInfo) -> Prepared {
    Prepared {
        jpeg: bytes.to_vec(),
        width: info.width,
        height: info.height,
        quality: None,
        source_width: info.width,
        source_height: info.height,
        source_format: info.format,
        orientation_applied: 1,
        encodes: 0,
        passthrough: true,
    }
}

/// Like [`prepare`] for pixels the caller already decoded (e.g. a browser canvas): RGBA8,
/// upright, `width * height * 4` bytes. Alpha is flattened on white. `source_format` of the
/// result is reported as `Png` (lossless pixels); callers that know the real source override it.
pub fn prepare_rgba(
    rgba: &[u8],
    width: u32,
    height: u32,
    opts: &PrepareOptions,
) -> Result<Prepared, ImageError> {
    preflight::pixels_plan(width, height, opts, u64::MAX)?;
    let expected = (width as u64) * (height as u64) * 4;
    if rgba.len() as u64 != expected {
        return Err(ImageError::invalid(
            "the pixel buffer does not match the given width and height",
        ));
    }
    let lim = limits(opts);
    let rgb = raster::rgba_to_rgb_white(rgba);
    let raster = if raster::is_gray_rgb(&rgb) {
        Raster {
            width,
            height,
            channels: 1,
            data: raster::rgb_to_gray_exact(&rgb),
        }
    } else {
        Raster {
            width,
            height,
            channels: 3,
            data: rgb,
        }
    };
    let target_long = width.max(height).min(opts.long_side_cap(width, height));
    finish(
        raster,
        None,
        target_long,
        1,
        opts,
        &lim,
        width,
        height,
        SourceFormat::Png,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    raster: Raster,
    final_dims: Option<(u32, u32)>,
    target_long: u32,
    orientation: u8,
    opts: &PrepareOptions,
    lim: &Limits,
    source_width: u32,
    source_height: u32,
    source_format: SourceFormat,
) -> Result<Prepared, ImageError> {
    let (w, h) = final_dims.unwrap_or_else(|| {
        preflight::scaled_dims(raster.width, raster.height, target_long, u64::MAX)
    });
    let raster = if (w, h) != (raster.width, raster.height) {
        raster::resize_owned(raster, w, h)
    } else {
        raster
    };
    let raster = raster::orient(raster, orientation);
    let (min_q, max_q) = if opts.target == SizeTarget::Legible {
        opts.quality_window_for_noise(encode::picture_noise(&raster))
    } else {
        (lim.min_q, lim.max_q)
    };
    let fitted = encode::fit(&raster, opts.max_base64_chars, min_q, max_q)?;
    Ok(Prepared {
        jpeg: fitted.jpeg,
        width: fitted.width,
        height: fitted.height,
        quality: Some(((fitted.quality + 5) / 10).min(100) as u8),
        source_width,
        source_height,
        source_format,
        orientation_applied: if (2..=8).contains(&orientation) {
            orientation
        } else {
            1
        },
        encodes: fitted.encodes,
        passthrough: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "legible" lowers its quality ceiling on noisy pictures only, never under `min_quality`;
    /// "budget" ignores noise.
    #[test]
    fn legible_ceiling_follows_the_noise() {
        assert_eq!(legible_quality_for_noise(0.0), 850);
        assert_eq!(legible_quality_for_noise(LEGIBLE_QUIET_NOISE), 850);
        assert_eq!(legible_quality_for_noise(LEGIBLE_LOUD_NOISE), 700);
        assert_eq!(legible_quality_for_noise(9.0), 700);
        assert_eq!(legible_quality_for_noise(f64::NAN), 850);
        let mid = legible_quality_for_noise((LEGIBLE_QUIET_NOISE + LEGIBLE_LOUD_NOISE) / 2.0);
        assert!(700 < mid && mid < 850, "{mid}");
        let legible = PrepareOptions::default();
        assert_eq!(legible.quality_window_for_noise(0.3), (700, 850));
        assert_eq!(legible.quality_window_for_noise(5.0), (700, 700));
        let floor = PrepareOptions {
            min_quality: 80,
            ..PrepareOptions::default()
        };
        assert_eq!(floor.quality_window_for_noise(5.0), (800, 800));
        let budget = PrepareOptions {
            target: SizeTarget::Budget,
            ..PrepareOptions::default()
        };
        assert_eq!(budget.quality_window_for_noise(5.0), (700, 950));
    }

    /// "legible" with a text-height estimate: just large enough for the text, within the 1600 px
    /// cap and never under the providers' floor (short side 800, within `max_long_side_px`);
    /// "budget" and a missing estimate keep today's caps; the report's measuring size never moves.
    #[test]
    fn legible_size_follows_the_text_height() {
        let with = |t: Option<u32>| PrepareOptions {
            text_height_px: t,
            ..PrepareOptions::default()
        };
        let h = LEGIBLE_TEXT_HEIGHT_PX;
        // 4:3, 12 MP: measured at 1600.
        assert_eq!(with(None).long_side_cap(4000, 3000), 1600);
        assert_eq!(with(Some(h)).long_side_cap(4000, 3000), 1600);
        assert_eq!(with(Some(h / 2)).long_side_cap(4000, 3000), 1600);
        assert_eq!(with(Some(h * 5 / 4)).long_side_cap(4000, 3000), 1280);
        // Large text: the floor (short side 800), never lower.
        assert_eq!(with(Some(h * 10)).long_side_cap(4000, 3000), 1067);
        assert_eq!(with(Some(h * 10)).long_side_floor(4000, 3000), 1067);
        assert_eq!(with(Some(h * 10)).sent_long_side(4000, 3000), 1067);
        // The report measures at the size sent without an estimate, whatever the estimate.
        assert_eq!(with(Some(h * 10)).text_measure_long_side(4000, 3000), 1600);
        // A smaller source is measured at its own size and never upscaled.
        assert_eq!(with(Some(h * 3 / 2)).long_side_cap(1200, 900), 1067);
        assert_eq!(with(Some(h / 2)).sent_long_side(1200, 900), 1200);
        // A long thin picture keeps its short side at 800 (3:1 → 2400, within the 2048 cap).
        assert_eq!(with(Some(h * 10)).long_side_cap(3000, 1000), 2048);
        // The caller's cap below the floor wins.
        let small_cap = PrepareOptions {
            max_long_side_px: 1000,
            ..with(Some(h * 10))
        };
        assert_eq!(small_cap.long_side_cap(4000, 3000), 1000);
        assert_eq!(small_cap.long_side_floor(4000, 3000), 1000);
        // "budget" ignores the estimate; a zero estimate is none.
        let budget = PrepareOptions {
            target: SizeTarget::Budget,
            ..with(Some(h * 10))
        };
        assert_eq!(budget.long_side_cap(4000, 3000), DEFAULT_MAX_LONG_SIDE_PX);
        assert_eq!(budget.long_side_floor(4000, 3000), 0);
        assert_eq!(with(Some(0)).long_side_cap(4000, 3000), 1600);
        assert_eq!(with(Some(u32::MAX)).long_side_cap(4000, 3000), 1067);
    }

    #[test]
    fn base64_len_is_exact() {
        assert_eq!(base64_len(0), 0);
        assert_eq!(base64_len(1), 4);
        assert_eq!(base64_len(2), 4);
        assert_eq!(base64_len(3), 4);
        assert_eq!(base64_len(4), 8);
        assert_eq!(base64_len(750_000), 1_000_000);
        assert_eq!(base64_len(750_001), 1_000_004);
    }
}
