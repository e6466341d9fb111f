//! Pixel decoders. Every function returns a gray or RGB [`Raster`]; alpha is flattened on white.

#[cfg(any(feature = "webp", feature = "gif"))]
use std::io::Cursor;

use crate::error::ImageError;
use crate::jpeg::truncated_jpeg;
use crate::probe::{le16, le32, SourceFormat};
#[cfg(feature = "webp")]
use crate::raster::rgba_to_rgb_white;
use crate::raster::{is_gray_rgb, over_white, rgb_to_gray_exact, Raster};
use crate::scanpad::PaddedScans;

fn jpeg_err(e: jpeg_decoder::Error, in_padding: bool) -> ImageError {
    match e {
        jpeg_decoder::Error::Unsupported(_) => ImageError::unsupported(
            "this JPEG uses a feature that is not supported (e.g. arithmetic coding or 12-bit lossless); \
             send a standard JPEG or PNG",
        ),
        jpeg_decoder::Error::Io(_) => truncated_jpeg(),
        // The decoder needed more entropy-coded data than the scan holds: it went on into the
        // padding (scanpad.rs) and found no valid code there.
        jpeg_decoder::Error::Format(_) if in_padding => truncated_jpeg(),
        _ => ImageError::invalid("the JPEG data is corrupt and cannot be decoded"),
    }
}

/// Decodes a JPEG at idct size `idct` (8 = full, 4 = 1/2, 2 = 1/4, 1 = 1/8). `scan_ends` comes
/// from the structure check (`integrity.rs`): a scan whose data ends before its last block is refused as
/// truncated instead of being filled with grey.
pub(crate) fn decode_jpeg(
    b: &[u8],
    scan_ends: &[usize],
    idct: u32,
    max_bytes: usize,
) -> Result<Raster, ImageError> {
    let in_padding = std::cell::Cell::new(false);
    let decoded: Result<_, jpeg_decoder::Error> = (|| {
        let reader = PaddedScans::new(b, scan_ends, &in_padding);
        let mut dec = jpeg_decoder::Decoder::new(reader);
        dec.set_max_decoding_buffer_size(max_bytes);
        dec.read_info()?;
        if let Some(info) = dec.info().filter(|_| idct < 8) {
            let w = ((info.width as u32 * idct).div_ceil(8)).max(1) as u16;
            let h = ((info.height as u32 * idct).div_ceil(8)).max(1) as u16;
            dec.scale(w, h)?;
        }
        let px = dec.decode()?;
        Ok((px, dec.info()))
    })();
    let (px, info) = decoded.map_err(|e| jpeg_err(e, in_padding.get()))?;
    let info = info.ok_or_else(truncated_jpeg)?;
    let (w, h) = (info.width as u32, info.height as u32);
    let n = w as usize * h as usize;
    let bad_len = || ImageError::invalid("the JPEG data is corrupt and cannot be decoded");
    use jpeg_decoder::PixelFormat as F;
    let (channels, data) = match info.pixel_format {
        F::L8 => (1, px),
        F::L16 => (1, px.chunks_exact(2).map(|p| p[0]).collect()),
        F::RGB24 => (3, px),
        F::CMYK32 => {
            // jpeg-decoder returns real ink amounts (0 = no ink) for both Adobe CMYK and YCCK.
            let mut out = Vec::with_capacity(n * 3);
            for p in px.chunks_exact(4) {
                let k = 255 - p[3] as u32;
                for &c in &p[..3] {
                    out.push((((255 - c as u32) * k + 127) / 255) as u8);
                }
            }
            (3, out)
        }
    };
    if data.len() != n * channels as usize {
        return Err(bad_len());
    }
    Ok(Raster {
        width: w,
        height: h,
        channels,
        data,
    })
}

#[cfg(feature = "png")]
pub(crate) fn decode_png(
    b: &[u8],
    max_bytes: usize,
    target_width: Option<u32>,
) -> Result<Raster, ImageError> {
    let r = crate::png::decode_png(b, max_bytes, target_width)?;
    finish(r.width, r.height, r.channels, r.data, "PNG")
}

fn finish(w: u32, h: u32, channels: u8, data: Vec<u8>, what: &str) -> Result<Raster, ImageError> {
    if data.len() != w as usize * h as usize * channels as usize {
        return Err(ImageError::invalid(format!(
            "the {what} data is corrupt and cannot be decoded"
        )));
    }
    // Gray pictures in colour containers encode smaller and just as well as grayscale JPEGs.
    if channels == 3 && is_gray_rgb(&data) {
        return Ok(Raster {
            width: w,
            height: h,
            channels: 1,
            data: rgb_to_gray_exact(&data),
        });
    }
    Ok(Raster {
        width: w,
        height: h,
        channels,
        data,
    })
}

#[cfg(feature = "webp")]
pub(crate) fn decode_webp(b: &[u8], max_bytes: usize) -> Result<Raster, ImageError> {
    let bad = |_| ImageError::invalid("the WebP data is truncated or corrupt");
    let mut dec = image_webp::WebPDecoder::new(Cursor::new(b)).map_err(bad)?;
    dec.set_memory_limit(max_bytes);
    let (w, h) = dec.dimensions();
    let size = dec
        .output_buffer_size()
        .ok_or_else(|| ImageError::too_large("the WebP image is too large to decode here"))?;
    if size > max_bytes {
        return Err(ImageError::too_large(
            "the WebP image is too large to decode here",
        ));
    }
    // image-webp holds the whole RGBA picture (and a lossless file its transforms too).
    crate::preflight::check_expansion(size as u64, b.len(), "WebP")?;
    let alpha = dec.has_alpha();
    let mut buf = vec![0u8; size];
    // Animated files: read_image returns the first frame.
    dec.read_image(&mut buf).map_err(bad)?;
    let data = if alpha { rgba_to_rgb_white(&buf) } else { buf };
    finish(w, h, 3, data, "WebP")
}

#[cfg(feature = "gif")]
pub(crate) fn decode_gif(b: &[u8], max_bytes: usize) -> Result<Raster, ImageError> {
    let bad = |_| ImageError::invalid("the GIF data is truncated or corrupt");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    opts.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(max_bytes as u64).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    let mut dec = opts.read_info(Cursor::new(b)).map_err(bad)?;
    let (sw, sh) = (dec.width() as usize, dec.height() as usize);
    if sw == 0 || sh == 0 {
        return Err(ImageError::invalid(
            "the GIF header gives a zero width or height",
        ));
    }
    if (sw as u64) * (sh as u64) * 4 > max_bytes as u64 {
        return Err(ImageError::too_large(
            "the GIF image is too large to decode here",
        ));
    }
    crate::preflight::check_expansion((sw as u64) * (sh as u64) * 4, b.len(), "GIF")?;
    let frame = dec
        .read_next_frame()
        .map_err(bad)?
        .ok_or_else(|| ImageError::invalid("the GIF contains no image"))?;
    // Compose the first frame onto a white logical screen.
    let mut rgb = vec![255u8; sw * sh * 3];
    let (fl, ft) = (frame.left as usize, frame.top as usize);
    let fw = frame.width as usize;
    if fw > 0 {
        for (y, row) in frame
            .buffer
            .chunks_exact(fw * 4)
            .take(frame.height as usize)
            .enumerate()
        {
            let dy = ft + y;
            if dy >= sh {
                break;
            }
            for (x, p) in row.chunks_exact(4).enumerate() {
                let dx = fl + x;
                if dx >= sw {
                    break;
                }
                let d = (dy * sw + dx) * 3;
                rgb[d] = over_white(p[0], p[3]);
                rgb[d + 1] = over_white(p[1], p[3]);
                rgb[d + 2] = over_white(p[2], p[3]);
            }
        }
    }
    finish(sw as u32, sh as u32, 3, rgb, "GIF")
}

/// Uncompressed BMP: 1/4/8-bit palette, 16-bit (555 or bitfields), 24-bit, 32-bit (BI_RGB or
/// bitfields, alpha on white when a mask says so). RLE and embedded JPEG/PNG are refused.
pub(crate) fn decode_bmp(b: &[u8], max_bytes: usize) -> Result<Raster, ImageError> {
    let bad = || ImageError::invalid("the BMP data is truncated or corrupt");
    let data_off = le32(b, 10).ok_or_else(bad)? as usize;
    let dib = le32(b, 14).ok_or_else(bad)? as usize;
    let (w, h, top_down, bpp, compression) = if dib == 12 {
        let w = le16(b, 18).ok_or_else(bad)? as i64;
        let h = le16(b, 20).ok_or_else(bad)? as i64;
        (w, h, false, le16(b, 24).ok_or_else(bad)?, 0u32)
    } else if dib >= 40 {
        let w = le32(b, 18).ok_or_else(bad)? as i32 as i64;
        let h = le32(b, 22).ok_or_else(bad)? as i32 as i64;
        (
            w,
            h.abs(),
            h < 0,
            le16(b, 28).ok_or_else(bad)?,
            le32(b, 30).ok_or_else(bad)?,
        )
    } else {
        return Err(ImageError::unsupported(
            "this BMP variant is not supported; send a JPEG or PNG",
        ));
    };
    if w <= 0 || h <= 0 || w > 1 << 20 || h > 1 << 20 {
        return Err(bad());
    }
    let (w, h) = (w as usize, h as usize);
    if (w as u64) * (h as u64) * 3 > max_bytes as u64 {
        return Err(ImageError::too_large(
            "the BMP image is too large to decode here",
        ));
    }
    // Channel masks (BI_BITFIELDS = 3, BI_ALPHABITFIELDS = 6, or V4/V5 headers).
    let default_masks: [u32; 4] = match bpp {
        16 => [0x7c00, 0x03e0, 0x001f, 0],
        32 => [0x00ff_0000, 0x0000_ff00, 0x0000_00ff, 0],
        _ => [0; 4],
    };
    let masks = match compression {
        0 => default_masks,
        3 | 6 => {
            let at = 14usize.saturating_add(dib.max(40));
            let from_header = dib >= 52;
            let m = |i: usize| {
                if from_header {
                    le32(b, 54 + i * 4)
                } else {
                    le32(b, at.saturating_add(i * 4))
                }
            };
            [
                m(0).ok_or_else(bad)?,
                m(1).ok_or_else(bad)?,
                m(2).ok_or_else(bad)?,
                if compression == 6 || dib >= 56 {
                    m(3).unwrap_or(0)
                } else {
                    0
                },
            ]
        }
        _ => {
            return Err(ImageError::unsupported(
                "compressed BMP files are not supported; send a JPEG or PNG",
            ))
        }
    };
    let palette: Vec<[u8; 3]> = if bpp <= 8 {
        let entry = if dib == 12 { 3 } else { 4 };
        let count = 1usize << bpp;
        let start = 14usize.saturating_add(dib);
        (0..count)
            .map(|i| {
                let at = start.saturating_add(i * entry);
                b.get(at..at.saturating_add(3))
                    .map(|p| [p[2], p[1], p[0]])
                    .unwrap_or([0, 0, 0])
            })
            .collect()
    } else {
        Vec::new()
    };
    if !matches!(bpp, 1 | 4 | 8 | 16 | 24 | 32) {
        return Err(ImageError::unsupported(
            "this BMP bit depth is not supported; send a JPEG or PNG",
        ));
    }
    let row_bytes = (w * bpp as usize).div_ceil(32) * 4;
    let need = data_off
        .checked_add(row_bytes.checked_mul(h).ok_or_else(bad)?)
        .ok_or_else(bad)?;
    if need > b.len() {
        return Err(ImageError::invalid("the BMP data is truncated"));
    }
    let field = |v: u32, mask: u32| -> u8 {
        if mask == 0 {
            return 255;
        }
        let shift = mask.trailing_zeros();
        let bits = (mask >> shift).count_ones();
        let x = (v & mask) >> shift;
        let max = (1u64 << bits) - 1;
        ((x as u64 * 255 + max / 2) / max) as u8
    };
    let mut out = vec![0u8; w * h * 3];
    for y in 0..h {
        let src_y = if top_down { y } else { h - 1 - y };
        let row = &b[data_off + src_y * row_bytes..data_off + (src_y + 1) * row_bytes];
        let drow = &mut out[y * w * 3..(y + 1) * w * 3];
        for x in 0..w {
            let px: [u8; 3] = match bpp {
                1 | 4 | 8 => {
                    let bit = x * bpp as usize;
                    let byte = row[bit / 8];
                    let idx = (byte >> (8 - bpp as usize - bit % 8)) & ((1u16 << bpp) - 1) as u8;
                    palette.get(idx as usize).copied().unwrap_or([0, 0, 0])
                }
                24 => [row[x * 3 + 2], row[x * 3 + 1], row[x * 3]],
                16 | 32 => {
                    let v = if bpp == 16 {
                        u16::from_le_bytes([row[x * 2], row[x * 2 + 1]]) as u32
                    } else {
                        u32::from_le_bytes([
                            row[x * 4],
                            row[x * 4 + 1],
                            row[x * 4 + 2],
                            row[x * 4 + 3],
                        ])
                    };
                    let a = field(v, masks[3]);
                    [
                        over_white(field(v, masks[0]), a),
                        over_white(field(v, masks[1]), a),
                        over_white(field(v, masks[2]), a),
                    ]
                }
                _ => [0, 0, 0],
            };
            drow[x * 3..x * 3 + 3].copy_from_slice(&px);
        }
    }
    finish(w as u32, h as u32, 3, out, "BMP")
}

/// Dispatch on format (HEIF never reaches here).
/// `target_width` is a hint for decoders that can shrink rows while decoding (PNG).
pub(crate) fn decode_full(
    format: SourceFormat,
    b: &[u8],
    max_bytes: usize,
    #[allow(unused_variables)] target_width: Option<u32>,
) -> Result<Raster, ImageError> {
    match format {
        SourceFormat::Jpeg => {
            let layout = crate::preflight::check_whole(format, b)?;
            decode_jpeg(b, &layout.scan_ends, 8, max_bytes)
        }
        #[cfg(feature = "png")]
        SourceFormat::Png => decode_png(b, max_bytes, target_width),
        #[cfg(feature = "webp")]
        SourceFormat::Webp => decode_webp(b, max_bytes),
        #[cfg(feature = "gif")]
        SourceFormat::Gif => decode_gif(b, max_bytes),
        SourceFormat::Bmp => decode_bmp(b, max_bytes),
        SourceFormat::Heif => Err(ImageError::unsupported(crate::error::HEIC_MESSAGE)),
        #[allow(unreachable_patterns)]
        other => Err(ImageError::unsupported(format!(
            "{} images are not supported by this build; send a JPEG",
            crate::probe::display_name(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::preflight::check_whole;

    /// Every JPEG variant the tests know: encoders of other projects (committed fixtures) and
    /// jpeg-encoder output in every mode it has.
    fn corpus() -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = [
            (
                "chromium_canvas",
                &include_bytes!("../tests/fixtures/chromium_canvas.jpg")[..],
            ),
            (
                "sharp_mozjpeg",
                include_bytes!("../tests/fixtures/sharp_mozjpeg.jpg"),
            ),
            (
                "sharp_baseline",
                include_bytes!("../tests/fixtures/sharp_baseline.jpg"),
            ),
            (
                "sharp_progressive_444",
                include_bytes!("../tests/fixtures/sharp_progressive_444.jpg"),
            ),
            (
                "sharp_gray_progressive",
                include_bytes!("../tests/fixtures/sharp_gray_progressive.jpg"),
            ),
            (
                "restart_rows",
                include_bytes!("../tests/fixtures/restart_rows.jpg"),
            ),
            (
                "restart_progressive",
                include_bytes!("../tests/fixtures/restart_progressive.jpg"),
            ),
            (
                "cmyk_progressive",
                include_bytes!("../tests/fixtures/cmyk_progressive.jpg"),
            ),
            (
                "cmyk_adobe",
                include_bytes!("../tests/fixtures/cmyk_adobe.jpg"),
            ),
            (
                "progressive_exif8",
                include_bytes!("../tests/fixtures/progressive_exif8.jpg"),
            ),
        ]
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
        let (w, h) = (203u32, 117u32);
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let rgb: Vec<u8> = (0..w * h * 3)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let (x, y) = ((i / 3) % w, (i / 3) / w);
                let base = if (x / 9 + y / 13) % 3 == 0 { 40 } else { 210 };
                (base + (s % 30) as u32 - 15) as u8
            })
            .collect();
        let gray: Vec<u8> = rgb.iter().step_by(3).copied().collect();
        use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
        for (progressive, restart, sampling, gray_input, q) in [
            (false, 0u16, SamplingFactor::F_2_2, false, 90u8),
            (false, 0, SamplingFactor::F_1_1, false, 60),
            (false, 0, SamplingFactor::F_2_1, true, 95),
            (false, 5, SamplingFactor::F_2_2, false, 80),
            (true, 0, SamplingFactor::F_2_2, false, 85),
            (true, 0, SamplingFactor::F_1_1, true, 75),
            (true, 3, SamplingFactor::F_1_2, false, 92),
        ] {
            let mut out = Vec::new();
            let mut e = Encoder::new(&mut out, q);
            e.set_progressive(progressive);
            e.set_restart_interval(restart);
            e.set_sampling_factor(sampling);
            e.set_optimized_huffman_tables(q < 90);
            if gray_input {
                e.encode(&gray, w as u16, h as u16, ColorType::Luma)
                    .unwrap();
            } else {
                e.encode(&rgb, w as u16, h as u16, ColorType::Rgb).unwrap();
            }
            v.push((format!("jpeg-encoder p{progressive} r{restart} q{q}"), out));
        }
        v
    }

    /// jpeg-decoder's raw output at `scale`/8 through any reader.
    fn raw_decode<R: std::io::Read>(r: R, scale: u16) -> Result<Vec<u8>, jpeg_decoder::Error> {
        let mut d = jpeg_decoder::Decoder::new(r);
        d.read_info()?;
        let i = d.info().unwrap();
        if scale < 8 {
            let (w, h) = (i.width * scale, i.height * scale);
            d.scale(w.div_ceil(8).max(1), h.div_ceil(8).max(1))?;
        }
        d.decode()
    }

    #[test]
    fn padding_leaves_every_complete_file_decoding_byte_identically() {
        for (name, b) in corpus() {
            let layout = check_whole(SourceFormat::Jpeg, &b).expect(&name);
            assert!(!layout.scan_ends.is_empty(), "{name}");
            for scale in [1u16, 2, 4, 8] {
                let plain = raw_decode(&b[..], scale).unwrap();
                let flag = std::cell::Cell::new(false);
                let padded = raw_decode(PaddedScans::new(&b, &layout.scan_ends, &flag), scale)
                    .unwrap_or_else(|e| panic!("{name} 1/{scale}: {e}"));
                assert!(plain == padded, "{name} at scale {scale}/8 differs");
                decode_jpeg(&b, &layout.scan_ends, scale as u32, 1 << 30).expect(&name);
            }
        }
    }
}
