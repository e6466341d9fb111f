//! The decisions taken before any pixel is decoded, sans IO, for both codecs (the pure-Rust one
//! here and the browser's canvas codec in `npm/src/browser-codec.js`, through the main wasm
//! module): the pixel cap and shape limits, the output size and DCT scale, the passthrough rule,
//! the HEIC/AVIF refusal, and [`verify_structure`] (the whole-file structure check without
//! decoding, for the Worker shim). The structure check itself is `integrity.rs`, the budget search
//! `budget.rs`.

use crate::error::{ImageError, HEIC_MESSAGE};
use crate::integrity::{self, Verdict};
use crate::probe::{probe, ImageInfo, SourceFormat};
use crate::{base64_len, PrepareOptions};

/// A JPEG decoded at 1/2, 1/4 or 1/8 in the DCT domain is kept as is when its long side is within
/// this fraction under the cap (4000 → 2000, 4032 → 2016, 8000 → 2000): no resampling pass.
pub const DCT_SNAP: f64 = 0.9;
/// Never shrink below this long side to fit a budget.
pub const MIN_LONG_SIDE: u32 = 256;
/// Hard ceiling on pixels whatever `max_source_pixels` says: keeps every pixel-buffer size
/// (up to 4 bytes per pixel) inside wasm32's 4 GiB address arithmetic.
pub const HARD_MAX_SOURCE_PIXELS: u64 = 1 << 28;
/// No side may be longer (JPEG's own limit): a 1 × 100,000,000 PNG is under the pixel cap but
/// costs a decoder per-row work for seconds, and no camera or screen makes such a side.
pub const MAX_SIDE_PX: u32 = 65_535;
/// Decompression bombs: a decoder may expand a file to at most this many times its size in raw
/// pixel data (plus [`EXPANSION_FLOOR`]). A real photo or screenshot PNG is 2–50:1, a blank page
/// a few hundred:1 but under the floor; a 4 KB WebP of 10000×10000 (400 MB) or a 16-bit RGBA PNG
/// near the pixel cap is refused before decoding, so no input under 1 MB takes more than about
/// 0.3 s or 256 MB here.
pub const MAX_EXPANSION: u64 = 256;
/// Raw pixel data any file may decode to, whatever its size.
pub const EXPANSION_FLOOR: u64 = 64 << 20;

/// iOS Safari renders canvases above this many pixels blank: the browser codec's output (and
/// every canvas it draws) stays within it.
pub const BROWSER_MAX_CANVAS_PIXELS: u64 = 16_777_216;
/// Browser route, off the DCT snap: the n/8 decode is at least 1/this times the target, so the
/// high-quality resize after it works at ≤ 0.75 (larger final steps lost 1.3–4.8 dB PSNR against
/// a Lanczos-3 resize; ≤ 0.75 matched `createImageBitmap`'s own resize within ±0.5 dB).
const MAX_RESIZE_AFTER_DCT: f64 = 0.75;
/// Off-snap n/8 scales used by the browser route: 2/8 to 6/8 were measured; 7/8 saves little.
const MAX_OFF_SNAP_NUMERATOR: u32 = 6;

/// Refuses a picture over the pixel cap (`max`, itself capped by [`HARD_MAX_SOURCE_PIXELS`]) or of
/// a side over [`MAX_SIDE_PX`], before anything is decoded.
pub fn check_pixels(w: u32, h: u32, max: u64) -> Result<(), ImageError> {
    let px = w as u64 * h as u64;
    let max = max.min(HARD_MAX_SOURCE_PIXELS);
    // Integer megapixels, rounded (no float formatting code in the wasm).
    let mp = |v: u64| (v + 500_000) / 1_000_000;
    if px > max {
        return Err(ImageError::too_large(format!(
            "the image is {} megapixels, more than the {} megapixel limit (maxSourcePixels)",
            mp(px),
            mp(max)
        )));
    }
    if w.max(h) > MAX_SIDE_PX {
        return Err(ImageError::too_large(
            "the image has a side over 65535 pixels, which no photo has",
        ));
    }
    Ok(())
}

/// Refuses a decode of `raw` bytes of pixel data from a `file_len`-byte file beyond
/// [`MAX_EXPANSION`] (see there).
#[cfg(any(feature = "png", feature = "webp", feature = "gif"))]
pub(crate) fn check_expansion(raw: u64, file_len: usize, what: &str) -> Result<(), ImageError> {
    let allowed = (file_len as u64)
        .saturating_mul(MAX_EXPANSION)
        .max(EXPANSION_FLOOR);
    if raw > allowed {
        return Err(ImageError::too_large(format!(
            "the {what} image is too large to decode here: far more pixel data than its file size \
             allows (a decompression bomb?)"
        )));
    }
    Ok(())
}

/// Dimensions with the long side set to `long` (never larger than the input), aspect kept, and
/// the area within `max_px`.
pub fn scaled_dims(w: u32, h: u32, long: u32, max_px: u64) -> (u32, u32) {
    let cur = w.max(h).max(1);
    let mut f = (long as f64 / cur as f64).min(1.0);
    let area = w as f64 * h as f64;
    if area * f * f > max_px as f64 {
        f = (max_px as f64 / area).sqrt() * 0.999;
    }
    if f >= 1.0 {
        return (w, h);
    }
    let sw = ((w as f64 * f).round() as u32).max(1);
    let sh = ((h as f64 * f).round() as u32).max(1);
    (sw, sh)
}

/// The output size of a picture and the DCT scale it lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub width: u32,
    pub height: u32,
    /// 1: no resize; 2, 4, 8: a JPEG's DCT-domain 1/2, 1/4, 1/8 decode is the output (the snap);
    /// 0: resized freely.
    pub dct: u8,
}

/// The output size for a (upright) `w`×`h` source under the long-side `cap`, never upscaled, the
/// area within `max_px`. For a JPEG the DCT scales 1/2, 1/4, 1/8 are preferred when they land
/// within 10% under the cap ([`DCT_SNAP`]).
pub fn target_size(w: u32, h: u32, cap: u32, jpeg: bool, max_px: u64) -> Target {
    target_size_within(w, h, cap, 0, jpeg, max_px)
}

/// [`target_size`] whose DCT snap never lands under the long side `floor` (the "legible" target's
/// providers' floor, [`PrepareOptions::long_side_floor`]): below it the picture is resized to the
/// cap instead.
pub fn target_size_within(w: u32, h: u32, cap: u32, floor: u32, jpeg: bool, max_px: u64) -> Target {
    let long = w.max(h);
    let cap = cap.max(1);
    if long <= cap {
        let (width, height) = scaled_dims(w, h, long, max_px);
        return Target {
            width,
            height,
            dct: 1,
        };
    }
    if jpeg {
        let min = ((cap as f64 * DCT_SNAP).ceil() as u32).max(floor);
        for s in [2u32, 4, 8] {
            let l = long.div_ceil(s);
            let (dw, dh) = (w.div_ceil(s), h.div_ceil(s));
            if l <= cap && l >= min && (dw as u64 * dh as u64) <= max_px {
                return Target {
                    width: dw,
                    height: dh,
                    dct: s as u8,
                };
            }
        }
    }
    let (width, height) = scaled_dims(w, h, cap, max_px);
    Target {
        width,
        height,
        dct: 0,
    }
}

/// The pure-Rust decoder's DCT scale (idct size: 8 = full, 4 = 1/2, 2 = 1/4, 1 = 1/8): the
/// largest reduction that still leaves the long side at or above `min_long`.
pub(crate) fn jpeg_idct_size(w: u32, h: u32, min_long: u32) -> u32 {
    let long = w.max(h);
    for s in [1u32, 2, 4] {
        if (long * s).div_ceil(8) >= min_long {
            return s;
        }
    }
    8
}

/// The browser decoders' n/8 scale for a JPEG of upright size `uw`×`uh` going to `t`: exactly
/// the snap's scale on it, else the smallest n whose decode is at least 1/0.75 times the target
/// (a high-quality resize makes the last step); 8 when no scale helps.
pub fn browser_jpeg_numerator(uw: u32, uh: u32, t: &Target) -> u8 {
    if t.dct >= 2 {
        return 8 / t.dct;
    }
    let long = uw.max(uh) as f64;
    let target = t.width.max(t.height) as f64;
    if target >= long {
        return 8;
    }
    let n = ((8.0 * target) / (MAX_RESIZE_AFTER_DCT * long))
        .ceil()
        .max(1.0) as u32;
    if n <= MAX_OFF_SNAP_NUMERATOR {
        n as u8
    } else {
        8
    }
}

/// What is decided from the header before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub info: ImageInfo,
    /// EXIF orientation to apply (1 = none; only JPEG, PNG and WebP carry one).
    pub orientation: u8,
    /// The upright output size and DCT scale.
    pub target: Target,
    /// JPEG only: the file may be sent untouched if its structure check says it is
    /// `forwardable` (it fits the budget, is within the cap and needs no rotation).
    pub may_pass_through: bool,
}

/// An 8-bit Huffman JPEG (baseline, extended or progressive: what every browser decodes), read
/// from the frame header in `head`; false for lossless, hierarchical, arithmetic-coded, 12-bit.
pub fn common_jpeg(head: &[u8]) -> bool {
    crate::probe::jpeg_is_common(head)
}

/// The plan for a file of `len` bytes whose first bytes are `head` (enough for the header; a
/// WebP keeps its EXIF at the end). `max_out_pixels` bounds the output's area (the browser's
/// canvas limit; `u64::MAX` for the Rust codec). HEIC/HEIF/AVIF is refused with the one message
/// unless `heif_decoder` (a browser that may decode it: the target is then the header's size).
pub fn plan(
    head: &[u8],
    len: u64,
    opts: &PrepareOptions,
    max_out_pixels: u64,
    heif_decoder: bool,
) -> Result<Plan, ImageError> {
    let info = probe(head)?;
    let cap = opts.long_side_cap(info.width, info.height);
    if info.format == SourceFormat::Heif {
        if !heif_decoder {
            return Err(ImageError::unsupported(HEIC_MESSAGE));
        }
        if info.width > 0 && info.height > 0 {
            check_pixels(info.width, info.height, opts.max_source_pixels)?;
        }
    } else {
        check_pixels(info.width, info.height, opts.max_source_pixels)?;
    }
    let jpeg = info.format == SourceFormat::Jpeg;
    let orientation = match info.format {
        SourceFormat::Jpeg | SourceFormat::Png | SourceFormat::Webp if opts.apply_orientation => {
            info.orientation
        }
        _ => 1,
    };
    let (uw, uh) = if (5..=8).contains(&orientation) {
        (info.height, info.width)
    } else {
        (info.width, info.height)
    };
    let floor = opts.long_side_floor(info.width, info.height);
    let target = target_size_within(uw, uh, cap, floor, jpeg, max_out_pixels);
    Ok(Plan {
        info,
        orientation,
        target,
        may_pass_through: jpeg
            && usize::try_from(len).is_ok_and(|n| base64_len(n) <= opts.max_base64_chars)
            && info.width.max(info.height) <= cap
            && orientation == 1,
    })
}

/// The checks a picture that is already pixels (a canvas, a decoded HEIF bitmap) goes through:
/// the pixel cap and shape, then its output size (no DCT scale).
pub fn pixels_plan(
    w: u32,
    h: u32,
    opts: &PrepareOptions,
    max_out_pixels: u64,
) -> Result<Target, ImageError> {
    if w == 0 || h == 0 {
        return Err(ImageError::invalid("the picture has no pixels"));
    }
    check_pixels(w, h, opts.max_source_pixels)?;
    Ok(target_size(
        w,
        h,
        opts.long_side_cap(w, h),
        false,
        max_out_pixels,
    ))
}

/// The whole file's structure, without decoding pixels: a complete, valid header and
/// well-formed segments/chunks/blocks up to the end (see `integrity.rs`), plus the header probe.
/// Refuses "magic bytes + garbage". Linear in the file's size and allocation-free beyond the
/// headers (a few milliseconds for a 1 MB JPEG in wasm; PNG and WebP chunk payloads are skipped).
pub fn verify_structure(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    structure(bytes).map(|(info, _)| info)
}

/// [`verify_structure`] with the integrity verdict (where the image ends).
pub(crate) fn structure(bytes: &[u8]) -> Result<(ImageInfo, Verdict), ImageError> {
    let info = probe(bytes)?;
    if info.format == SourceFormat::Heif {
        return Err(ImageError::unsupported(HEIC_MESSAGE));
    }
    let verdict = integrity::check(info.format, bytes, false)?;
    Ok((info, verdict))
}

/// The structure check of a file in memory (the Rust codec's path).
pub(crate) fn check_whole(format: SourceFormat, bytes: &[u8]) -> Result<Verdict, ImageError> {
    integrity::check(format, bytes, false)
}
