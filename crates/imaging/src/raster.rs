//! 8-bit gray or RGB pixel buffers, a separable Catmull-Rom downscaler and the 8 EXIF transforms.

/// Interleaved 8-bit pixels, `channels` is 1 (gray) or 3 (RGB). Never RGBA: alpha is flattened on
/// white at decode time so a large image costs 3 bytes per pixel at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raster {
    pub width: u32,
    pub height: u32,
    pub channels: u8,
    pub data: Vec<u8>,
}

impl Raster {
    pub fn stride(&self) -> usize {
        self.width as usize * self.channels as usize
    }
}

/// Blend `value` with alpha `a` over white.
#[inline]
pub(crate) fn over_white(value: u8, a: u8) -> u8 {
    let v = value as u32 * a as u32 + 255 * (255 - a as u32);
    ((v + 127) / 255) as u8
}

/// RGBA8 → RGB8 on white.
pub(crate) fn rgba_to_rgb_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = p[3];
        if a == 255 {
            out.extend_from_slice(&p[..3]);
        } else {
            out.extend_from_slice(&[
                over_white(p[0], a),
                over_white(p[1], a),
                over_white(p[2], a),
            ]);
        }
    }
    out
}

/// True when every pixel has R == G == B (a colour container holding a gray picture).
pub(crate) fn is_gray_rgb(rgb: &[u8]) -> bool {
    rgb.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2])
}

pub(crate) fn rgb_to_gray_exact(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3).map(|p| p[0]).collect()
}

// ---------------------------------------------------------------------------------------------
// Resampling

const PREC: i32 = 14;

/// Catmull-Rom cubic (B=0, C=0.5): sharp, little ringing, support 2.
fn catmull_rom(x: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        1.5 * x * x * x - 2.5 * x * x + 1.0
    } else if x < 2.0 {
        -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0
    } else {
        0.0
    }
}

/// Fixed-point filter taps for one axis: for output i, taps `coeffs[i*n..i*n+n]` apply to source
/// samples `start[i]..start[i]+n` (clamped so the window is inside the source).
struct Taps {
    n: usize,
    start: Vec<usize>,
    coeffs: Vec<i32>,
}

fn taps(src: u32, dst: u32) -> Taps {
    let ratio = src as f32 / dst as f32;
    let scale = ratio.max(1.0);
    let support = 2.0 * scale;
    let n = ((support * 2.0).ceil() as usize + 1)
        .min(src as usize)
        .max(1);
    let mut start = Vec::with_capacity(dst as usize);
    let mut coeffs = Vec::with_capacity(dst as usize * n);
    let mut w = vec![0f32; n];
    for i in 0..dst {
        let center = (i as f32 + 0.5) * ratio;
        let first = (center - support).floor().max(0.0) as usize;
        let first = first.min(src as usize - n);
        let mut sum = 0.0;
        for (k, wk) in w.iter_mut().enumerate() {
            let x = (first + k) as f32 + 0.5 - center;
            *wk = catmull_rom(x / scale);
            sum += *wk;
        }
        if sum == 0.0 {
            sum = 1.0;
        }
        let mut isum = 0;
        let base = coeffs.len();
        for wk in &w {
            let c = (wk / sum * (1 << PREC) as f32).round() as i32;
            isum += c;
            coeffs.push(c);
        }
        // Put the rounding remainder on the largest tap so every row sums to exactly 1.0.
        if let Some((idx, _)) = coeffs[base..].iter().enumerate().max_by_key(|(_, c)| **c) {
            coeffs[base + idx] += (1 << PREC) - isum;
        }
        start.push(first);
    }
    Taps { n, start, coeffs }
}

#[inline]
fn clamp_u8(v: i32) -> u8 {
    ((v + (1 << (PREC - 1))) >> PREC).clamp(0, 255) as u8
}

/// Downscales (or copies) to `dw`×`dh` with a separable Catmull-Rom filter. Horizontal pass first
/// so the intermediate buffer is `dw`×`src.height`.
pub(crate) fn resize(src: &Raster, dw: u32, dh: u32) -> Raster {
    let (dw, dh) = (dw.max(1), dh.max(1));
    if src.width == 0 || src.height == 0 {
        return src.clone();
    }
    let tmp = if dw == src.width {
        src.data.clone()
    } else {
        horizontal(src, dw)
    };
    vertical(tmp, dw, src.height, dh, src.channels)
}

/// [`resize`] that frees the source as soon as the horizontal pass is done (lower peak memory).
pub(crate) fn resize_owned(src: Raster, dw: u32, dh: u32) -> Raster {
    let (dw, dh) = (dw.max(1), dh.max(1));
    if src.width == 0 || src.height == 0 {
        return src;
    }
    let (sh, ch) = (src.height, src.channels);
    let tmp = if dw == src.width {
        src.data
    } else {
        horizontal(&src, dw)
    };
    vertical(tmp, dw, sh, dh, ch)
}

fn horizontal(src: &Raster, dw: u32) -> Vec<u8> {
    let ch = src.channels as usize;
    let h = RowResampler::new(src.width, dw, src.channels);
    let mut out = vec![0u8; dw as usize * ch * src.height as usize];
    for (srow, drow) in src
        .data
        .chunks_exact(src.stride())
        .zip(out.chunks_exact_mut(dw as usize * ch))
    {
        h.row(srow, drow);
    }
    out
}

/// Horizontal Catmull-Rom pass for one row at a time (lets row-by-row decoders shrink as they go).
pub(crate) struct RowResampler {
    taps: Taps,
    channels: usize,
}

impl RowResampler {
    pub fn new(src_width: u32, dst_width: u32, channels: u8) -> Self {
        RowResampler {
            taps: taps(src_width.max(1), dst_width.max(1)),
            channels: channels as usize,
        }
    }

    /// `srow` holds the source row, `drow` receives `dst_width` pixels.
    pub fn row(&self, srow: &[u8], drow: &mut [u8]) {
        let (t, ch) = (&self.taps, self.channels);
        for (x, dpx) in drow.chunks_exact_mut(ch).enumerate() {
            let (Some(&start), Some(cs)) = (t.start.get(x), t.coeffs.get(x * t.n..x * t.n + t.n))
            else {
                return;
            };
            let Some(window) = srow.get(start * ch..(start + t.n) * ch) else {
                return;
            };
            if ch == 3 {
                let (mut r, mut g, mut b) = (0i32, 0i32, 0i32);
                for (p, &c) in window.chunks_exact(3).zip(cs) {
                    r += p[0] as i32 * c;
                    g += p[1] as i32 * c;
                    b += p[2] as i32 * c;
                }
                dpx[0] = clamp_u8(r);
                dpx[1] = clamp_u8(g);
                dpx[2] = clamp_u8(b);
            } else {
                let mut v = 0i32;
                for (&p, &c) in window.iter().zip(cs) {
                    v += p as i32 * c;
                }
                dpx[0] = clamp_u8(v);
            }
        }
    }
}

/// Vertical pass over `tmp` (`width`×`sh`) to height `dh`.
fn vertical(tmp: Vec<u8>, width: u32, sh: u32, dh: u32, channels: u8) -> Raster {
    if dh == sh {
        return Raster {
            width,
            height: dh,
            channels,
            data: tmp,
        };
    }
    let t = taps(sh, dh);
    let stride = width as usize * channels as usize;
    let mut out = vec![0u8; stride * dh as usize];
    let mut acc = vec![0i32; stride];
    for (y, drow) in out.chunks_exact_mut(stride).enumerate() {
        acc.iter_mut().for_each(|a| *a = 0);
        let cs = &t.coeffs[y * t.n..y * t.n + t.n];
        for (k, &c) in cs.iter().enumerate() {
            let sy = t.start[y] + k;
            let row = &tmp[sy * stride..sy * stride + stride];
            for (a, &p) in acc.iter_mut().zip(row) {
                *a += p as i32 * c;
            }
        }
        for (d, &a) in drow.iter_mut().zip(&acc) {
            *d = clamp_u8(a);
        }
    }
    Raster {
        width,
        height: dh,
        channels,
        data: out,
    }
}

// ---------------------------------------------------------------------------------------------
// Orientation

/// Applies EXIF orientation `o` (stored → upright). Values outside 2..=8 return the input as is.
pub(crate) fn orient(src: Raster, o: u8) -> Raster {
    if !(2..=8).contains(&o) {
        return src;
    }
    let (w, h) = (src.width as usize, src.height as usize);
    let ch = src.channels as usize;
    let (dw, dh) = if o >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; src.data.len()];
    for dy in 0..dh {
        for dx in 0..dw {
            let (sx, sy) = match o {
                2 => (w - 1 - dx, dy),
                3 => (w - 1 - dx, h - 1 - dy),
                4 => (dx, h - 1 - dy),
                5 => (dy, dx),
                6 => (dy, h - 1 - dx),
                7 => (w - 1 - dy, h - 1 - dx),
                _ => (w - 1 - dy, dx), // 8
            };
            let s = (sy * w + sx) * ch;
            let d = (dy * dw + dx) * ch;
            out[d..d + ch].copy_from_slice(&src.data[s..s + ch]);
        }
    }
    Raster {
        width: dw as u32,
        height: dh as u32,
        channels: src.channels,
        data: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taps_sum_to_one_and_stay_inside() {
        for (s, d) in [(4000u32, 2048u32), (10, 3), (3, 3), (7, 1), (2, 1), (1, 1)] {
            let t = taps(s, d);
            for i in 0..d as usize {
                let sum: i32 = t.coeffs[i * t.n..i * t.n + t.n].iter().sum();
                assert_eq!(sum, 1 << PREC);
                assert!(t.start[i] + t.n <= s as usize);
            }
        }
    }

    #[test]
    fn flat_image_stays_flat() {
        let r = Raster {
            width: 100,
            height: 80,
            channels: 3,
            data: vec![77; 100 * 80 * 3],
        };
        let o = resize(&r, 33, 21);
        assert!(o.data.iter().all(|&v| v == 77));
    }
}
