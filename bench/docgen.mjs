// Synthetic document photos for the bench (deterministic): a card or page lying on a darker
// table, textured off-white paper under a lighting gradient, rows of CJK-like glyphs (strokes),
// a red stamp ring, and uniform sensor noise. Encoded by sharp (libjpeg-turbo) like a phone
// camera: JPEG q 92, 4:2:0; variants progressive, EXIF-rotated (stored landscape + orientation 6)
// and PNG.
import sharp from "sharp";

/**
 * Raw RGB pixels of a document photo.
 * @param {number} width
 * @param {number} height
 * @param {{ glyphFrac?: number, noise?: number, seed?: number }} opts glyph height as a fraction
 *   of the image width (card-like 1/66, page-like 1/140), noise amplitude (±)
 */
export function documentPhoto(width, height, { glyphFrac = 1 / 66, noise = 10, seed = 1 } = {}) {
  const buf = Buffer.alloc(width * height * 3);
  let s = seed >>> 0;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const glyph = Math.max(8, Math.round(width * glyphFrac));
  const stroke = Math.max(2, Math.round(glyph / 9));
  // The document: 84% of the frame, centred.
  const dx0 = Math.round(width * 0.08);
  const dx1 = width - dx0;
  const dy0 = Math.round(height * 0.08);
  const dy1 = height - dy0;
  const stampX = dx1 - glyph * 5;
  const stampY = dy1 - glyph * 5;
  const stampR = glyph * 3.2;
  const cellHash = (cx, cy) => {
    let h = (cx * 374761393 + cy * 668265263) >>> 0;
    h = ((h ^ (h >>> 13)) * 1274126177) >>> 0;
    return h ^ (h >>> 16);
  };
  for (let y = 0; y < height; y++) {
    const inY = y >= dy0 && y < dy1;
    const rowIdx = Math.floor((y - dy0) / (glyph * 1.6));
    const inRow = inY && (y - dy0) % Math.round(glyph * 1.6) < glyph && rowIdx % 7 !== 6;
    const gy = ((y - dy0) % Math.round(glyph * 1.6));
    const light = 0.86 + 0.14 * (1 - y / height);
    for (let x = 0; x < width; x++) {
      let r;
      let g;
      let b;
      if (inY && x >= dx0 && x < dx1) {
        // Paper with low-frequency texture and a horizontal lighting gradient.
        const tex = 4 * Math.sin(x * 0.013 + y * 0.007) + 3 * Math.sin(x * 0.051 - y * 0.033);
        const l = light * (0.9 + 0.1 * (x / width));
        r = (238 + tex) * l;
        g = (233 + tex) * l;
        b = (221 + tex) * l;
        if (inRow) {
          const cx = Math.floor((x - dx0) / (glyph * 1.1));
          const gx = (x - dx0) % Math.round(glyph * 1.1);
          const h = cellHash(cx, rowIdx);
          if (gx < glyph && (h & 7) !== 0) {
            // A glyph: 2 vertical and 3 horizontal strokes at hashed positions.
            const v1 = (h >>> 3) % (glyph - stroke);
            const v2 = (h >>> 9) % (glyph - stroke);
            const h1 = (h >>> 15) % (glyph - stroke);
            const h2 = (h >>> 20) % (glyph - stroke);
            const h3 = (h >>> 25) % (glyph - stroke);
            const ink =
              (gx >= v1 && gx < v1 + stroke) || (gx >= v2 && gx < v2 + stroke && gy > glyph / 3) ||
              (gy >= h1 && gy < h1 + stroke) || (gy >= h2 && gy < h2 + stroke && gx < glyph * 0.7) ||
              (gy >= h3 && gy < h3 + stroke && gx > glyph * 0.3);
            if (ink) {
              r = 38 * l;
              g = 36 * l;
              b = 44 * l;
            }
          }
        }
        const d = Math.hypot(x - stampX, y - stampY);
        if (d > stampR - stroke * 1.5 && d < stampR + stroke * 1.5) {
          r = r * 0.35 + 200 * 0.65;
          g = g * 0.35 + 30 * 0.65;
          b = b * 0.35 + 40 * 0.65;
        }
      } else {
        // The table: dark wood-ish with grain.
        const grain = 10 * Math.sin(y * 0.02 + Math.sin(x * 0.003) * 3);
        r = 96 + grain;
        g = 72 + grain;
        b = 52 + grain;
      }
      const o = (y * width + x) * 3;
      const n = (rand() - 0.5) * 2 * noise;
      buf[o] = r + n;
      buf[o + 1] = g + n;
      buf[o + 2] = b + n;
    }
  }
  return buf;
}

/** Encode raw RGB as a camera would: JPEG q 92, 4:2:0 (optionally progressive) or PNG. */
export async function encode(raw, width, height, { format = "jpeg", progressive = false } = {}) {
  const img = sharp(raw, { raw: { width, height, channels: 3 }, limitInputPixels: false });
  if (format === "png") return new Uint8Array(await img.png({ compressionLevel: 6 }).toBuffer());
  return new Uint8Array(await img.jpeg({ quality: 92, chromaSubsampling: "4:2:0", progressive }).toBuffer());
}

/** A copy of a JPEG with an EXIF APP1 segment carrying `orientation` right after SOI. */
export function withExifOrientation(jpeg, orientation) {
  const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const payload = [...Buffer.from("Exif\0\0", "latin1"), ...tiff];
  const seg = [0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, 2));
  out.set(seg, 2);
  out.set(jpeg.subarray(2), 2 + seg.length);
  return out;
}
