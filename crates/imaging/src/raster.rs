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

/// Rounds a fixed-point sum to a byte. Written without `clamp` (an out-of-line call at the
/// size-first opt-level the wasm build uses).
#[inline(always)]
fn clamp_u8(v: i32) -> u8 {
    let v = (v + (1 << (PREC - 1))) >> PREC;
    if v < 0 {
        0
    } else if v > 255 {
        255
    } else {
        v as u8
    }
}

// The loops below are index loops on purpose: the wasm build optimizes for size (opt-level "z"),
// where LLVM inlines almost nothing, so iterator adapters (`chunks_exact`, `zip`) cost one or two
// calls per pixel (the resize took ~170 ms of a 12 MP photo's ~490 ms that way). Plain indexing
// inlines; every window is checked once before its loop.

/// Downscales (or copies) to `dw`×`dh` with a separable Catmull-Rom filter. Horizontal pass first,
/// row by row into a ring of a few rows that the vertical pass reads (see [`resize_rows`]).
pub(crate) fn resize(src: &Raster, dw: u32, dh: u32) -> Raster {
    let (dw, dh) = (dw.max(1), dh.max(1));
    if src.width == 0 || src.height == 0 {
        return src.clone();
    }
    resize_rows(src, dw, dh)
}

/// [`resize`] of a raster the caller gives up (a same-size copy costs nothing).
pub(crate) fn resize_owned(src: Raster, dw: u32, dh: u32) -> Raster {
    let (dw, dh) = (dw.max(1), dh.max(1));
    if src.width == 0 || src.height == 0 || (dw == src.width && dh == src.height) {
        return src;
    }
    resize_rows(&src, dw, dh)
}

/// Both passes fused: each output row needs `n` consecutive source rows shrunk horizontally,
/// and consecutive output rows' windows overlap, so the horizontal results live in a ring of `n`
/// rows and each source row is shrunk once (the same arithmetic, so the same bytes, as a whole
/// horizontal pass followed by a whole vertical pass, without the `dw`×`src.height`
/// intermediate).
fn resize_rows(src: &Raster, dw: u32, dh: u32) -> Raster {
    let ch = src.channels as usize;
    let (sw, sh) = (src.width as usize, src.height as usize);
    let stride = dw as usize * ch;
    let sstride = sw * ch;
    let hr = RowResampler::new(src.width, dw, src.channels);
    let same_width = dw as usize == sw;
    let row_of = |y: usize| src.data.get(y * sstride..(y + 1) * sstride).unwrap_or(&[]);
    let mut out = vec![0u8; stride * dh as usize];
    if dh as usize == sh {
        for y in 0..sh {
            let (s, d) = (row_of(y), out.get_mut(y * stride..(y + 1) * stride));
            if let Some(d) = d {
                if same_width {
                    if let Some(s) = s.get(..d.len()) {
                        d.copy_from_slice(s);
                    }
                } else {
                    hr.row(s, d);
                }
            }
        }
        return Raster {
            width: dw,
            height: dh,
            channels: src.channels,
            data: out,
        };
    }
    let t = taps(src.height, dh);
    let n = t.n;
    // ring[(y % n) * stride..]: source row y shrunk horizontally; `have` rows 0..have done.
    let mut ring = vec![0u8; n * stride];
    let mut have = 0usize;
    let mut acc = vec![0i32; stride];
    let mut y = 0usize;
    while y < dh as usize {
        let (Some(&first), Some(cs)) = (t.start.get(y), t.coeffs.get(y * n..y * n + n)) else {
            break;
        };
        while have < first + n && have < sh {
            if let Some(slot) = ring.get_mut((have % n) * stride..(have % n + 1) * stride) {
                if same_width {
                    if let Some(s) = row_of(have).get(..stride) {
                        slot.copy_from_slice(s);
                    }
                } else {
                    hr.row(row_of(have), slot);
                }
            }
            have += 1;
        }
        let Some(drow) = out.get_mut(y * stride..(y + 1) * stride) else {
            break;
        };
        vertical_row(&ring, stride, first, cs, &mut acc, drow);
        y += 1;
    }
    Raster {
        width: dw,
        height: dh,
        channels: src.channels,
        data: out,
    }
}

/// One output row of the vertical pass: source rows `first..first + cs.len()` (held in `ring`,
/// row r at `(r % n) * stride`) weighted by `cs`.
fn vertical_row(
    ring: &[u8],
    stride: usize,
    first: usize,
    cs: &[i32],
    acc: &mut [i32],
    drow: &mut [u8],
) {
    let n = cs.len();
    if acc.len() < stride || drow.len() < stride || ring.len() < n * stride {
        return;
    }
    let mut k = 0;
    while k < n {
        let c = cs[k];
        let base = ((first + k) % n) * stride;
        let row = &ring[base..base + stride];
        let mut x = 0;
        if k == 0 {
            while x < stride {
                acc[x] = row[x] as i32 * c;
                x += 1;
            }
        } else {
            while x < stride {
                acc[x] += row[x] as i32 * c;
                x += 1;
            }
        }
        k += 1;
    }
    let mut x = 0;
    while x < stride {
        drow[x] = clamp_u8(acc[x]);
        x += 1;
    }
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
        let n = t.n;
        let dw = (drow.len() / ch.max(1)).min(t.start.len());
        if t.coeffs.len() < dw * n {
            return;
        }
        let mut x = 0;
        while x < dw {
            let s0 = t.start[x] * ch;
            let cb = x * n;
            // One check per pixel; the loops below index inside it.
            let Some(w) = srow.get(s0..s0 + n * ch) else {
                return;
            };
            let cs = &t.coeffs[cb..cb + n];
            if ch == 3 {
                // The usual tap counts (6 at 1.25:1, 7 up to 1.5:1) unrolled by slice patterns
                // (one length check each); any other count loops.
                let (r, g, b) = match (w, cs) {
                    (
                        &[r0, g0, b0, r1, g1, b1, r2, g2, b2, r3, g3, b3, r4, g4, b4, r5, g5, b5],
                        &[c0, c1, c2, c3, c4, c5],
                    ) => (
                        r0 as i32 * c0
                            + r1 as i32 * c1
                            + r2 as i32 * c2
                            + r3 as i32 * c3
                            + r4 as i32 * c4
                            + r5 as i32 * c5,
                        g0 as i32 * c0
                            + g1 as i32 * c1
                            + g2 as i32 * c2
                            + g3 as i32 * c3
                            + g4 as i32 * c4
                            + g5 as i32 * c5,
                        b0 as i32 * c0
                            + b1 as i32 * c1
                            + b2 as i32 * c2
                            + b3 as i32 * c3
                            + b4 as i32 * c4
                            + b5 as i32 * c5,
                    ),
                    (
                        &[r0, g0, b0, r1, g1, b1, r2, g2, b2, r3, g3, b3, r4, g4, b4, r5, g5, b5, r6, g6, b6],
                        &[c0, c1, c2, c3, c4, c5, c6],
                    ) => (
                        r0 as i32 * c0
                            + r1 as i32 * c1
                            + r2 as i32 * c2
                            + r3 as i32 * c3
                            + r4 as i32 * c4
                            + r5 as i32 * c5
                            + r6 as i32 * c6,
                        g0 as i32 * c0
                            + g1 as i32 * c1
                            + g2 as i32 * c2
                            + g3 as i32 * c3
                            + g4 as i32 * c4
                            + g5 as i32 * c5
                            + g6 as i32 * c6,
                        b0 as i32 * c0
                            + b1 as i32 * c1
                            + b2 as i32 * c2
                            + b3 as i32 * c3
                            + b4 as i32 * c4
                            + b5 as i32 * c5
                            + b6 as i32 * c6,
                    ),
                    _ => {
                        let (mut r, mut g, mut b) = (0i32, 0i32, 0i32);
                        let (mut k, mut s) = (0, 0);
                        while k < n && s + 2 < w.len() {
                            let c = cs[k];
                            r += w[s] as i32 * c;
                            g += w[s + 1] as i32 * c;
                            b += w[s + 2] as i32 * c;
                            k += 1;
                            s += 3;
                        }
                        (r, g, b)
                    }
                };
                let d = x * 3;
                if d + 2 < drow.len() {
                    drow[d] = clamp_u8(r);
                    drow[d + 1] = clamp_u8(g);
                    drow[d + 2] = clamp_u8(b);
                }
            } else {
                let mut v = 0i32;
                let mut k = 0;
                while k < n && k < w.len() {
                    v += w[k] as i32 * cs[k];
                    k += 1;
                }
                if x < drow.len() {
                    drow[x] = clamp_u8(v);
                }
            }
            x += 1;
        }
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

    /// The resize as it was before the passes were fused and the loops rewritten (a whole
    /// horizontal pass, then a whole vertical pass, with iterators): the new one must give the
    /// same bytes.
    fn reference_resize(src: &Raster, dw: u32, dh: u32) -> Raster {
        let ch = src.channels as usize;
        let tmp = if dw == src.width {
            src.data.clone()
        } else {
            let t = taps(src.width, dw);
            let mut out = vec![0u8; dw as usize * ch * src.height as usize];
            for (srow, drow) in src
                .data
                .chunks_exact(src.stride())
                .zip(out.chunks_exact_mut(dw as usize * ch))
            {
                for (x, dpx) in drow.chunks_exact_mut(ch).enumerate() {
                    let cs = &t.coeffs[x * t.n..x * t.n + t.n];
                    let w = &srow[t.start[x] * ch..(t.start[x] + t.n) * ch];
                    for c in 0..ch {
                        let v: i32 = w
                            .chunks_exact(ch)
                            .zip(cs)
                            .map(|(p, &k)| p[c] as i32 * k)
                            .sum();
                        dpx[c] = ((v + (1 << (PREC - 1))) >> PREC).clamp(0, 255) as u8;
                    }
                }
            }
            out
        };
        if dh == src.height {
            return Raster {
                width: dw,
                height: dh,
                channels: src.channels,
                data: tmp,
            };
        }
        let t = taps(src.height, dh);
        let stride = dw as usize * ch;
        let mut out = vec![0u8; stride * dh as usize];
        for (y, drow) in out.chunks_exact_mut(stride).enumerate() {
            for (x, d) in drow.iter_mut().enumerate() {
                let v: i32 = (0..t.n)
                    .map(|k| tmp[(t.start[y] + k) * stride + x] as i32 * t.coeffs[y * t.n + k])
                    .sum();
                *d = ((v + (1 << (PREC - 1))) >> PREC).clamp(0, 255) as u8;
            }
        }
        Raster {
            width: dw,
            height: dh,
            channels: src.channels,
            data: out,
        }
    }

    #[test]
    fn fused_resize_gives_the_reference_bytes() {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        for (sw, sh, dw, dh, ch) in [
            (2000u32, 1500u32, 1600u32, 1200u32, 3u8),
            (2016, 1512, 1600, 1200, 3),
            (2000, 1500, 1600, 1200, 1),
            (101, 77, 40, 31, 3),
            (64, 48, 64, 20, 3),
            (64, 48, 20, 48, 1),
            (9, 9, 1, 1, 3),
            (5, 300, 5, 7, 1),
        ] {
            let data: Vec<u8> = (0..sw as usize * sh as usize * ch as usize)
                .map(|i| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    // Noise over a gradient, with hard edges that overshoot (clamping).
                    if (i / 7) % 5 == 0 {
                        (s >> 56) as u8
                    } else {
                        (i % 251) as u8
                    }
                })
                .collect();
            let r = Raster {
                width: sw,
                height: sh,
                channels: ch,
                data,
            };
            let want = reference_resize(&r, dw, dh);
            assert_eq!(resize(&r, dw, dh), want, "{sw}x{sh}x{ch} -> {dw}x{dh}");
            assert_eq!(
                resize_owned(r, dw, dh),
                want,
                "owned {sw}x{sh}x{ch} -> {dw}x{dh}"
            );
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
