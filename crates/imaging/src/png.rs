//! A small PNG decoder (all bit depths and colour types, tRNS, Adam7) on top of miniz_oxide's
//! inflate. Written here because the `png` crate costs ~48 KB gzipped in wasm; this costs ~10 KB.
//! Output is gray or RGB with any transparency flattened on white.

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use crate::error::ImageError;
use crate::probe::{be16, be32};
use crate::raster::{over_white, Raster, RowResampler};

fn corrupt() -> ImageError {
    ImageError::invalid("the PNG data is corrupt and cannot be decoded")
}
fn too_large() -> ImageError {
    ImageError::too_large("the PNG image is too large to decode here")
}
fn truncated() -> ImageError {
    ImageError::invalid("the PNG data is truncated (the file is incomplete)")
}

struct Header {
    width: u32,
    height: u32,
    depth: u8,
    color: u8,
    interlaced: bool,
}

impl Header {
    fn samples(&self) -> usize {
        match self.color {
            0 | 3 => 1,
            4 => 2,
            2 => 3,
            _ => 4, // 6
        }
    }
    fn bits_per_pixel(&self) -> usize {
        self.samples() * self.depth as usize
    }
    /// Bytes of one row of `w` pixels; `None` when it does not fit in memory arithmetic.
    fn row_bytes(&self, w: usize) -> Option<usize> {
        let bits = (w as u64).checked_mul(self.bits_per_pixel() as u64)?;
        usize::try_from(bits.div_ceil(8)).ok()
    }
}

const ADAM7: [(usize, usize, usize, usize); 7] = [
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
];

/// Decodes to gray or RGB. With `target_width` smaller than the image (and no interlacing) each
/// row is shrunk horizontally as soon as it is decoded, so only `target_width`×height is held.
pub(crate) fn decode_png(
    b: &[u8],
    max_bytes: usize,
    target_width: Option<u32>,
) -> Result<Raster, ImageError> {
    if !b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(corrupt());
    }
    let mut pos = 8usize;
    let mut header: Option<Header> = None;
    let mut palette: &[u8] = &[];
    let mut trns: &[u8] = &[];
    let mut idat: Vec<&[u8]> = Vec::new();
    let mut ended = false;
    while let Some(len) = be32(b, pos) {
        let len = len as usize;
        let kind = b.get(pos + 4..pos + 8).ok_or_else(truncated)?;
        let data = b
            .get(pos + 8..pos.saturating_add(8).saturating_add(len))
            .ok_or_else(truncated)?;
        match kind {
            b"IHDR" => {
                if data.len() != 13 {
                    return Err(corrupt());
                }
                let h = Header {
                    width: be32(data, 0).ok_or_else(corrupt)?,
                    height: be32(data, 4).ok_or_else(corrupt)?,
                    depth: data[8],
                    color: data[9],
                    interlaced: data[12] == 1,
                };
                let ok = matches!(
                    (h.color, h.depth),
                    (0, 1 | 2 | 4 | 8 | 16) | (3, 1 | 2 | 4 | 8) | (2 | 4 | 6, 8 | 16)
                ) && data[10] == 0
                    && data[11] == 0
                    && data[12] <= 1
                    && h.width > 0
                    && h.height > 0;
                if !ok {
                    return Err(corrupt());
                }
                header = Some(h);
            }
            b"PLTE" => palette = data,
            b"tRNS" => trns = data,
            b"IDAT" => {
                if header.is_none() {
                    return Err(corrupt());
                }
                idat.push(data);
            }
            b"IEND" => {
                ended = true;
                break;
            }
            _ => {}
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    let h = header.ok_or_else(corrupt)?;
    if idat.is_empty() || !ended {
        return Err(truncated());
    }
    let (w, ht) = (h.width as usize, h.height as usize);
    let passes: &[(usize, usize, usize, usize)] = if h.interlaced {
        &ADAM7
    } else {
        &[(0, 0, 1, 1)]
    };
    let gray = h.color == 0 || h.color == 4;
    let channels = if gray { 1 } else { 3 };
    // Rows are inflated one at a time: only the RGB/gray output is image-sized. Every pass row
    // is at most `w` pixels, so its byte count fits whenever the widest one does.
    let widest_row = h.row_bytes(w).ok_or_else(too_large)? as u64;
    let need = (w as u64) * (ht as u64) * (channels as u64) + 2 * widest_row;
    if need > max_bytes as u64 {
        return Err(too_large());
    }
    // Inflated data (filter byte + row) of every pass: the work the decoder does.
    let inflated = (ht as u64).saturating_mul(widest_row + 1);
    crate::preflight::check_expansion(inflated, b.len(), "PNG")?;
    let mut stream = IdatStream {
        chunks: idat,
        ci: 0,
        off: 0,
        state: InflateState::new_boxed(DataFormat::Zlib),
        ended: false,
    };
    if h.color == 3 && palette.len() < 3 {
        return Err(corrupt());
    }

    let shrink = match target_width {
        Some(tw) if !h.interlaced && (tw as usize) < w && tw > 0 => Some(tw as usize),
        _ => None,
    };
    let out_w = shrink.unwrap_or(w);
    let resampler = shrink.map(|tw| RowResampler::new(h.width, tw as u32, channels as u8));
    let mut full_row = vec![255u8; if shrink.is_some() { w * channels } else { 0 }];
    let mut out = vec![255u8; out_w * ht * channels];
    let bpp = h.bits_per_pixel().div_ceil(8).max(1);
    for &(x0, y0, dx, dy) in passes {
        let pw = (w.saturating_sub(x0)).div_ceil(dx);
        let ph = (ht.saturating_sub(y0)).div_ceil(dy);
        if pw == 0 || ph == 0 {
            continue;
        }
        let rb = h.row_bytes(pw).ok_or_else(too_large)?;
        let mut prev = vec![0u8; rb];
        let mut cur = vec![0u8; rb];
        let mut filter = [0u8; 1];
        for py in 0..ph {
            stream.fill(&mut filter)?;
            stream.fill(&mut cur)?;
            unfilter(filter[0], &mut cur, &prev, bpp)?;
            let y = y0 + py * dy;
            if let Some(rs) = &resampler {
                // Not interlaced: pw == w, one pass.
                for (px, dst) in full_row.chunks_exact_mut(channels).enumerate() {
                    write_pixel(&h, &cur, px, palette, trns, dst);
                }
                rs.row(
                    &full_row,
                    &mut out[y * out_w * channels..(y + 1) * out_w * channels],
                );
            } else {
                for px in 0..pw {
                    let x = x0 + px * dx;
                    let o = (y * w + x) * channels;
                    write_pixel(&h, &cur, px, palette, trns, &mut out[o..o + channels]);
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
    }
    Ok(Raster {
        width: out_w as u32,
        height: h.height,
        channels: channels as u8,
        data: out,
    })
}

/// The zlib stream spread over the IDAT chunks, inflated on demand.
struct IdatStream<'a> {
    chunks: Vec<&'a [u8]>,
    ci: usize,
    off: usize,
    state: Box<InflateState>,
    ended: bool,
}

impl IdatStream<'_> {
    /// Fills `out` completely or fails (truncated or corrupt data).
    fn fill(&mut self, out: &mut [u8]) -> Result<(), ImageError> {
        let mut filled = 0;
        let mut stalls = 0;
        while filled < out.len() {
            if self.ended {
                return Err(truncated());
            }
            let input = self
                .chunks
                .get(self.ci)
                .and_then(|c| c.get(self.off..))
                .unwrap_or(&[]);
            let last = self.ci + 1 >= self.chunks.len();
            let r = inflate(&mut self.state, input, &mut out[filled..], MZFlush::None);
            self.off += r.bytes_consumed;
            filled += r.bytes_written;
            let chunk_len = self.chunks.get(self.ci).map_or(0, |c| c.len());
            if self.off >= chunk_len && !last {
                self.ci += 1;
                self.off = 0;
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => self.ended = true,
                Ok(_) | Err(MZError::Buf) => {}
                Err(_) => return Err(corrupt()),
            }
            if r.bytes_consumed == 0 && r.bytes_written == 0 {
                stalls += 1;
                if stalls > 2 || last {
                    return Err(truncated());
                }
            } else {
                stalls = 0;
            }
        }
        Ok(())
    }
}

fn unfilter(filter: u8, cur: &mut [u8], prev: &[u8], bpp: usize) -> Result<(), ImageError> {
    match filter {
        0 => {}
        1 => {
            for i in bpp..cur.len() {
                cur[i] = cur[i].wrapping_add(cur[i - bpp]);
            }
        }
        2 => {
            for (c, &p) in cur.iter_mut().zip(prev) {
                *c = c.wrapping_add(p);
            }
        }
        3 => {
            for i in 0..cur.len() {
                let left = if i >= bpp { cur[i - bpp] as u16 } else { 0 };
                cur[i] = cur[i].wrapping_add(((left + prev[i] as u16) / 2) as u8);
            }
        }
        4 => {
            for i in 0..cur.len() {
                let a = if i >= bpp { cur[i - bpp] as i16 } else { 0 };
                let c = if i >= bpp { prev[i - bpp] as i16 } else { 0 };
                let b = prev[i] as i16;
                let p = a + b - c;
                let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                let pred = if pa <= pb && pa <= pc {
                    a
                } else if pb <= pc {
                    b
                } else {
                    c
                };
                cur[i] = cur[i].wrapping_add(pred as u8);
            }
        }
        _ => return Err(corrupt()),
    }
    Ok(())
}

/// Sample `i` (0-based across the row) at depth < 8, as the raw value.
fn small_sample(row: &[u8], i: usize, depth: u8) -> u8 {
    let bit = i * depth as usize;
    let byte = row.get(bit / 8).copied().unwrap_or(0);
    let shift = 8 - depth as usize - bit % 8;
    (byte >> shift) & ((1u16 << depth) - 1) as u8
}

fn write_pixel(h: &Header, row: &[u8], x: usize, palette: &[u8], trns: &[u8], out: &mut [u8]) {
    let d = h.depth;
    // Samples as 16-bit values (for tRNS comparison) and their 8-bit rendering.
    let s16 = |k: usize| -> u16 {
        let i = x * h.samples() + k;
        match d {
            16 => u16::from_be_bytes([row[i * 2], row[i * 2 + 1]]),
            8 => row[i] as u16,
            _ => small_sample(row, i, d) as u16,
        }
    };
    let to8 = |v: u16| -> u8 {
        match d {
            16 => (v >> 8) as u8,
            8 => v as u8,
            _ => ((v as u32 * 255) / ((1u32 << d) - 1)) as u8,
        }
    };
    let key = |k: usize| be16(trns, k * 2);
    match h.color {
        0 => {
            let v = s16(0);
            out[0] = if key(0) == Some(v) { 255 } else { to8(v) };
        }
        4 => {
            let a = to8(s16(1));
            out[0] = over_white(to8(s16(0)), a);
        }
        2 => {
            let (r, g, b) = (s16(0), s16(1), s16(2));
            if trns.len() >= 6 && key(0) == Some(r) && key(1) == Some(g) && key(2) == Some(b) {
                out.copy_from_slice(&[255, 255, 255]);
            } else {
                out.copy_from_slice(&[to8(r), to8(g), to8(b)]);
            }
        }
        6 => {
            let a = to8(s16(3));
            out.copy_from_slice(&[
                over_white(to8(s16(0)), a),
                over_white(to8(s16(1)), a),
                over_white(to8(s16(2)), a),
            ]);
        }
        _ => {
            // Palette: out-of-range indices render black (as libpng does).
            let idx = s16(0) as usize;
            let rgb = palette.get(idx * 3..idx * 3 + 3).unwrap_or(&[0, 0, 0]);
            let a = trns.get(idx).copied().unwrap_or(255);
            out.copy_from_slice(&[
                over_white(rgb[0], a),
                over_white(rgb[1], a),
                over_white(rgb[2], a),
            ]);
        }
    }
}
