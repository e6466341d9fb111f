//! Synthetic test pictures and tiny encoders for every format (no checked-in photos needed).
#![allow(dead_code)]
// Test-only helpers: a failing fixture generator should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// Deterministic xorshift PRNG.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A document-like photo: textured off-white paper with a brightness gradient, rows of dark
/// glyph strokes at `text_px` character height, a red stamp, and sensor noise of +-`noise`.
pub fn document_rgb(w: u32, h: u32, text_px: u32, noise: u8, seed: u64) -> Vec<u8> {
    let (w, h) = (w as usize, h as usize);
    let mut rng = Rng(seed | 1);
    let mut img = vec![0u8; w * h * 3];
    // Paper: gradient + low-frequency texture.
    for y in 0..h {
        for x in 0..w {
            let g = 200.0 + 40.0 * (x as f32 / w as f32) - 25.0 * (y as f32 / h as f32);
            let t = 6.0 * ((x as f32 * 0.021).sin() * (y as f32 * 0.017).cos());
            let v = (g + t).clamp(0.0, 255.0);
            let i = (y * w + x) * 3;
            img[i] = v as u8;
            img[i + 1] = (v * 0.97) as u8;
            img[i + 2] = (v * 0.9) as u8;
        }
    }
    // Text: rows of glyphs, each a few random horizontal/vertical strokes in a text_px box.
    let tp = text_px.max(4) as usize;
    let stroke = (tp / 8).max(1);
    let mut y0 = tp;
    while y0 + tp < h.saturating_sub(tp) {
        let mut x0 = tp;
        while x0 + tp < w.saturating_sub(tp) {
            if rng.below(10) < 8 {
                for _ in 0..(2 + rng.below(4)) {
                    let vertical = rng.below(2) == 0;
                    let a = rng.below(tp as u64) as usize;
                    let b0 = rng.below(tp as u64 / 2) as usize;
                    let len = tp / 2 + rng.below(tp as u64 / 2) as usize;
                    for s in 0..stroke {
                        for l in 0..len.min(tp - b0) {
                            let (x, y) = if vertical {
                                (x0 + a.min(tp - stroke) + s, y0 + b0 + l)
                            } else {
                                (x0 + b0 + l, y0 + a.min(tp - stroke) + s)
                            };
                            let i = (y * w + x) * 3;
                            img[i] = 25;
                            img[i + 1] = 25;
                            img[i + 2] = 35;
                        }
                    }
                }
            }
            x0 += tp + tp / 4;
        }
        y0 += tp * 2;
    }
    // Red stamp ring.
    let (cx, cy, r) = (w as f32 * 0.75, h as f32 * 0.7, (w.min(h) as f32) * 0.12);
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if (d - r).abs() < r * 0.06 {
                let i = (y * w + x) * 3;
                img[i] = 200;
                img[i + 1] = 40;
                img[i + 2] = 40;
            }
        }
    }
    if noise > 0 {
        let n = noise as i32;
        for v in img.iter_mut() {
            let d = (rng.below(2 * n as u64 + 1) as i32) - n;
            *v = (*v as i32 + d).clamp(0, 255) as u8;
        }
    }
    img
}

/// RGB → RGBA with every pixel at alpha `a`.
pub fn rgba_from_rgb(rgb: &[u8], a: u8) -> Vec<u8> {
    rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], a]).collect()
}

/// A `w`×`h` picture of 4-byte pixels: `left` where x < w / 2, `right` elsewhere.
pub fn halves(w: u32, h: u32, left: [u8; 4], right: [u8; 4]) -> Vec<u8> {
    (0..w * h)
        .flat_map(|i| if i % w < w / 2 { left } else { right })
        .collect()
}

pub fn encode_jpeg(rgb: &[u8], w: u32, h: u32, q: u8, color: ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out, q);
    e.set_sampling_factor(SamplingFactor::F_2_2);
    e.encode(rgb, w as u16, h as u16, color).unwrap();
    out
}

pub fn encode_jpeg_progressive(rgb: &[u8], w: u32, h: u32, q: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out, q);
    e.set_progressive(true);
    e.encode(rgb, w as u16, h as u16, ColorType::Rgb).unwrap();
    out
}

/// A TIFF block (no `Exif\0\0` prefix) holding only Orientation, big- or little-endian.
pub fn tiff_orientation(o: u16, little: bool) -> Vec<u8> {
    let mut t = Vec::new();
    let p16 = |t: &mut Vec<u8>, v: u16| {
        t.extend_from_slice(&if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        })
    };
    let p32 = |t: &mut Vec<u8>, v: u32| {
        t.extend_from_slice(&if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        })
    };
    t.extend_from_slice(if little { b"II" } else { b"MM" });
    p16(&mut t, 42);
    p32(&mut t, 8);
    p16(&mut t, 1); // one entry
    p16(&mut t, 0x0112);
    p16(&mut t, 3);
    p32(&mut t, 1);
    p16(&mut t, o);
    p16(&mut t, 0);
    p32(&mut t, 0); // next IFD
    t
}

/// Inserts an APP1 Exif segment with `orientation` right after SOI.
pub fn with_exif(jpeg: &[u8], orientation: u16, little: bool) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff_orientation(orientation, little));
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

pub fn encode_png(
    data: &[u8],
    w: u32,
    h: u32,
    color: png::ColorType,
    depth: png::BitDepth,
) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(color);
        e.set_depth(depth);
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(data).unwrap();
    }
    out
}

pub fn encode_png_palette(idx: &[u8], w: u32, h: u32, palette: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Indexed);
        e.set_depth(png::BitDepth::Eight);
        e.set_palette(palette.to_vec());
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(idx).unwrap();
    }
    out
}

pub fn encode_webp_lossless(data: &[u8], w: u32, h: u32, color: image_webp::ColorType) -> Vec<u8> {
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(data, w, h, color)
        .unwrap();
    out
}

pub fn encode_gif(idx: &[u8], w: u16, h: u16, palette: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = gif::Encoder::new(&mut out, w, h, palette).unwrap();
        let f = gif::Frame::from_indexed_pixels(w, h, idx.to_vec(), None);
        e.write_frame(&f).unwrap();
    }
    out
}

/// 24-bit bottom-up BMP.
pub fn encode_bmp24(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let row = (w as usize * 3).div_ceil(4) * 4;
    let size = 54 + row * h as usize;
    let mut b = Vec::with_capacity(size);
    b.extend_from_slice(b"BM");
    b.extend_from_slice(&(size as u32).to_le_bytes());
    b.extend_from_slice(&[0; 4]);
    b.extend_from_slice(&54u32.to_le_bytes());
    b.extend_from_slice(&40u32.to_le_bytes());
    b.extend_from_slice(&(w as i32).to_le_bytes());
    b.extend_from_slice(&(h as i32).to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    b.extend_from_slice(&[0; 24]);
    for y in (0..h as usize).rev() {
        let start = b.len();
        for x in 0..w as usize {
            let i = (y * w as usize + x) * 3;
            b.extend_from_slice(&[rgb[i + 2], rgb[i + 1], rgb[i]]);
        }
        b.resize(start + row, 0);
    }
    b
}

/// Decodes a JPEG to (w, h, RGB or gray pixels, channels).
pub fn decode(jpeg: &[u8]) -> (u32, u32, Vec<u8>, usize) {
    let mut d = jpeg_decoder::Decoder::new(jpeg);
    let px = d.decode().unwrap();
    let info = d.info().unwrap();
    let ch = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        f => panic!("unexpected output pixel format {f:?}"),
    };
    (info.width as u32, info.height as u32, px, ch)
}

/// Pixel (x, y) as RGB from a decoded buffer.
pub fn pixel(px: &[u8], w: u32, ch: usize, x: u32, y: u32) -> [u8; 3] {
    let i = (y as usize * w as usize + x as usize) * ch;
    if ch == 1 {
        [px[i]; 3]
    } else {
        [px[i], px[i + 1], px[i + 2]]
    }
}

pub fn close(a: [u8; 3], b: [u8; 3], tol: i32) -> bool {
    a.iter()
        .zip(b.iter())
        .all(|(&x, &y)| (x as i32 - y as i32).abs() <= tol)
}
