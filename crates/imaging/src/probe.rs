//! Header-only inspection: format, dimensions and EXIF orientation without decoding pixels.

use crate::error::ImageError;
use crate::jpeg::{is_sof, truncated_jpeg, Item, Segments};

/// The container/codec of the input bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
    Heif,
}

impl SourceFormat {
    /// Lower-case name as the JS API reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "jpeg",
            SourceFormat::Png => "png",
            SourceFormat::Webp => "webp",
            SourceFormat::Gif => "gif",
            SourceFormat::Bmp => "bmp",
            SourceFormat::Heif => "heif",
        }
    }

    /// The MIME type (`image/heic` for every HEIF brand, AVIF included).
    pub fn mime(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "image/jpeg",
            SourceFormat::Png => "image/png",
            SourceFormat::Webp => "image/webp",
            SourceFormat::Gif => "image/gif",
            SourceFormat::Bmp => "image/bmp",
            SourceFormat::Heif => "image/heic",
        }
    }
}

/// What the header says. `width`/`height` are the stored (not yet rotated) dimensions; for HEIF
/// they are the largest `ispe` box found (0 when none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: SourceFormat,
    pub width: u32,
    pub height: u32,
    /// EXIF orientation 1..=8 (1 when absent or unreadable).
    pub orientation: u8,
}

/// The `N` bytes at `at`, or `None` past the end.
fn bytes_at<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..)?.first_chunk().copied()
}
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    bytes_at(b, at).map(u16::from_be_bytes)
}
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    bytes_at(b, at).map(u32::from_be_bytes)
}
pub(crate) fn le16(b: &[u8], at: usize) -> Option<u16> {
    bytes_at(b, at).map(u16::from_le_bytes)
}
pub(crate) fn le32(b: &[u8], at: usize) -> Option<u32> {
    bytes_at(b, at).map(u32::from_le_bytes)
}

/// The format from magic bytes: the one sniffer of the project (`crates/core` uses it too).
/// HEIF covers every ISO-BMFF image brand, AVIF included. A BMP needs its 26-byte header.
pub fn sniff(bytes: &[u8]) -> Option<SourceFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(SourceFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(SourceFormat::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(SourceFormat::Gif)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some(SourceFormat::Webp)
    } else if bytes.starts_with(b"BM") && bytes.len() >= 26 {
        Some(SourceFormat::Bmp)
    } else if is_heif(bytes) {
        Some(SourceFormat::Heif)
    } else {
        None
    }
}

const HEIF_BRANDS: [&[u8; 4]; 12] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    b"avif", b"avis",
];

/// HEIC/HEIF/AVIF: an ISO-BMFF `ftyp` box with an image brand (major or compatible).
pub fn is_heif(bytes: &[u8]) -> bool {
    if bytes.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let size = be32(bytes, 0).unwrap_or(0) as usize;
    let end = size.clamp(16, 256).min(bytes.len());
    // Major brand at 8..12, minor version 12..16, compatible brands from 16.
    let mut brands = vec![bytes.get(8..12)];
    let mut at = 16;
    while at + 4 <= end {
        brands.push(bytes.get(at..at + 4));
        at += 4;
    }
    brands
        .into_iter()
        .flatten()
        .any(|b| HEIF_BRANDS.iter().any(|h| &h[..] == b))
}

/// Reads format, dimensions and orientation from the header. Never decodes pixel data.
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::invalid("the image is empty (0 bytes)"));
    }
    let format = sniff(bytes).ok_or_else(|| {
        ImageError::invalid(
            "the data is not a supported image (expected JPEG, PNG, WebP, GIF, BMP or HEIC)",
        )
    })?;
    let (width, height, orientation) = match format {
        SourceFormat::Jpeg => probe_jpeg(bytes)?,
        SourceFormat::Png => probe_png(bytes)?,
        SourceFormat::Webp => probe_webp(bytes)?,
        SourceFormat::Gif => {
            let w = le16(bytes, 6).unwrap_or(0) as u32;
            let h = le16(bytes, 8).unwrap_or(0) as u32;
            (w, h, 1)
        }
        SourceFormat::Bmp => probe_bmp(bytes)?,
        SourceFormat::Heif => {
            let (w, h) = heif_ispe(bytes);
            (w, h, 1)
        }
    };
    if format != SourceFormat::Heif && (width == 0 || height == 0) {
        return Err(ImageError::invalid(format!(
            "the {} header gives a zero width or height",
            display_name(format)
        )));
    }
    Ok(ImageInfo {
        format,
        width,
        height,
        orientation,
    })
}

pub(crate) fn display_name(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Jpeg => "JPEG",
        SourceFormat::Png => "PNG",
        SourceFormat::Webp => "WebP",
        SourceFormat::Gif => "GIF",
        SourceFormat::Bmp => "BMP",
        SourceFormat::Heif => "HEIC/HEIF",
    }
}

/// Walks JPEG marker segments up to the first SOF, collecting the EXIF orientation.
fn probe_jpeg(b: &[u8]) -> Result<(u32, u32, u8), ImageError> {
    // The first Exif segment decides, as browsers and libexif do (a second one is ignored).
    let mut orientation = None;
    for item in Segments::new(b) {
        let (marker, payload) = match item? {
            Item::Segment { marker, payload } => (marker, payload),
            Item::Eoi => break,
        };
        if marker == 0xDA {
            break;
        }
        let seg = payload?;
        if marker == 0xE1 && seg.starts_with(b"Exif\0\0") {
            if orientation.is_none() {
                orientation = Some(seg.get(6..).and_then(exif_orientation).unwrap_or(1));
            }
        } else if is_sof(marker) {
            let h = be16(seg, 1).ok_or_else(truncated_jpeg)? as u32;
            let w = be16(seg, 3).ok_or_else(truncated_jpeg)? as u32;
            if h == 0 {
                return Err(ImageError::unsupported(
                    "this JPEG stores its height after the image data (DNL), which is not supported",
                ));
            }
            return Ok((w, h, orientation.unwrap_or(1)));
        }
    }
    Err(ImageError::invalid(
        "the JPEG data has no frame header (corrupt file)",
    ))
}

/// An 8-bit Huffman JPEG (baseline, extended or progressive), from the first frame header.
pub(crate) fn jpeg_is_common(b: &[u8]) -> bool {
    for item in Segments::new(b) {
        match item {
            Ok(Item::Segment {
                marker,
                payload: Ok(p),
            }) if is_sof(marker) => return marker <= 0xC2 && p.first() == Some(&8),
            Ok(Item::Segment { payload: Ok(_), .. }) => {}
            _ => return false,
        }
    }
    false
}

fn probe_png(b: &[u8]) -> Result<(u32, u32, u8), ImageError> {
    if b.get(12..16) != Some(b"IHDR") {
        return Err(ImageError::invalid(
            "the PNG data has no header (corrupt file)",
        ));
    }
    let w = be32(b, 16).ok_or_else(|| ImageError::invalid("the PNG data is truncated"))?;
    let h = be32(b, 20).ok_or_else(|| ImageError::invalid("the PNG data is truncated"))?;
    // eXIf must precede IDAT; walk the chunk list (lengths only) to find it.
    let mut orientation = 1;
    let mut pos = 8usize;
    while let (Some(len), Some(kind)) = (be32(b, pos), b.get(pos + 4..pos + 8)) {
        let len = len as usize;
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        if kind == b"eXIf" {
            if let Some(data) = b.get(pos + 8..(pos + 8).saturating_add(len)) {
                orientation = exif_orientation(data).unwrap_or(1);
            }
            break;
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    Ok((w, h, orientation))
}

fn probe_webp(b: &[u8]) -> Result<(u32, u32, u8), ImageError> {
    let bad = || ImageError::invalid("the WebP data is truncated or corrupt");
    let kind = b.get(12..16).ok_or_else(bad)?;
    let (w, h, has_exif) = match kind {
        b"VP8 " => {
            if b.get(23..26) != Some(&[0x9d, 0x01, 0x2a]) {
                return Err(bad());
            }
            let w = (le16(b, 26).ok_or_else(bad)? & 0x3fff) as u32;
            let h = (le16(b, 28).ok_or_else(bad)? & 0x3fff) as u32;
            (w, h, false)
        }
        b"VP8L" => {
            if b.get(20) != Some(&0x2f) {
                return Err(bad());
            }
            let v = le32(b, 21).ok_or_else(bad)?;
            ((v & 0x3fff) + 1, ((v >> 14) & 0x3fff) + 1, false)
        }
        b"VP8X" => {
            let flags = *b.get(20).ok_or_else(bad)?;
            let w24 = |at: usize| -> Option<u32> {
                let [x, y, z] = bytes_at(b, at)?;
                Some(u32::from_le_bytes([x, y, z, 0]) + 1)
            };
            (
                w24(24).ok_or_else(bad)?,
                w24(27).ok_or_else(bad)?,
                flags & 0x08 != 0,
            )
        }
        _ => return Err(bad()),
    };
    let mut orientation = 1;
    if has_exif {
        let mut pos = 12usize;
        while let (Some(kind), Some(len)) = (b.get(pos..pos + 4), le32(b, pos + 4)) {
            let len = len as usize;
            if kind == b"EXIF" {
                if let Some(data) = b.get(pos + 8..(pos + 8).saturating_add(len)) {
                    let data = data.strip_prefix(b"Exif\0\0").unwrap_or(data);
                    orientation = exif_orientation(data).unwrap_or(1);
                }
                break;
            }
            pos = pos
                .saturating_add(8)
                .saturating_add(len)
                .saturating_add(len & 1);
        }
    }
    Ok((w, h, orientation))
}

fn probe_bmp(b: &[u8]) -> Result<(u32, u32, u8), ImageError> {
    let bad = || ImageError::invalid("the BMP data is truncated or corrupt");
    let dib = le32(b, 14).ok_or_else(bad)?;
    if dib == 12 {
        let w = le16(b, 18).ok_or_else(bad)? as u32;
        let h = le16(b, 20).ok_or_else(bad)? as u32;
        return Ok((w, h, 1));
    }
    let w = le32(b, 18).ok_or_else(bad)? as i32;
    let h = le32(b, 22).ok_or_else(bad)? as i32;
    if w <= 0 || h == 0 || h == i32::MIN {
        return Err(bad());
    }
    Ok((w as u32, h.unsigned_abs(), 1))
}

/// Largest `ispe` (image spatial extents) property in the first 256 KiB of a HEIF file.
fn heif_ispe(b: &[u8]) -> (u32, u32) {
    let hay = &b[..b.len().min(256 * 1024)];
    let mut best = (0u32, 0u32);
    let mut i = 0;
    while let Some(off) = hay
        .get(i..)
        .and_then(|s| s.windows(4).position(|w| w == b"ispe"))
    {
        let at = i + off;
        // box: size(4) 'ispe' version/flags(4) width(4) height(4)
        if let (Some(w), Some(h)) = (be32(hay, at + 8), be32(hay, at + 12)) {
            if (w as u64) * (h as u64) > (best.0 as u64) * (best.1 as u64) {
                best = (w, h);
            }
        }
        i = at + 4;
    }
    best
}

/// Reads tag 0x0112 (Orientation) from IFD0 of a TIFF-structured EXIF block (without the
/// `Exif\0\0` prefix). Returns `None` when absent or out of range.
pub(crate) fn exif_orientation(t: &[u8]) -> Option<u8> {
    let le = match t.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let r16 = |at: usize| if le { le16(t, at) } else { be16(t, at) };
    let r32 = |at: usize| if le { le32(t, at) } else { be32(t, at) };
    if r16(2)? != 42 {
        return None;
    }
    let ifd = r32(4)? as usize;
    let count = r16(ifd)? as usize;
    for i in 0..count.min(512) {
        let e = ifd.checked_add(2 + i * 12)?;
        if r16(e)? == 0x0112 {
            let typ = r16(e + 2)?;
            let v = match typ {
                3 => r16(e + 8)? as u32,
                4 => r32(e + 8)?,
                _ => return None,
            };
            return if (1..=8).contains(&v) {
                Some(v as u8)
            } else {
                None
            };
        }
    }
    None
}
