// Test images generated at run time (no binary fixtures beyond a few small files): PNG and BMP
// writers, EXIF orientation insertion for JPEGs, truncation, and a HEIC-looking header.
import { crc32, deflateSync } from "node:zlib";

/** A document-like picture: light paper, dark text strokes, noise. `rgb(x, y) -> [r, g, b]`. */
export function documentPixel(seed = 1) {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return (x, y) => {
    const line = Math.floor(y / 28) % 2 === 0 && (y % 28) > 6 && (Math.floor(x / 13) * 7919 + Math.floor(y / 28) * 104729) % 5 !== 0;
    const base = line ? 40 : 232;
    const n = Math.floor((rand() - 0.5) * 40);
    const v = Math.max(0, Math.min(255, base + n));
    return [v, Math.max(0, v - 6), Math.max(0, v - 14)];
  };
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** PNG (RGB or RGBA 8-bit). `pixel(x, y) -> [r, g, b(, a)]`. */
export function png(width, height, pixel, { alpha = false } = {}) {
  const ch = alpha ? 4 : 3;
  const raw = Buffer.alloc((width * ch + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0;
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      for (let c = 0; c < ch; c++) raw[o++] = p[c] ?? 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = alpha ? 6 : 2;
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 1 })),
    chunk("IEND", Buffer.alloc(0)),
  ]));
}

/** A PNG header that announces `width`×`height` with no pixel data (a decompression bomb's head). */
export function pngHeaderOnly(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(64))),
    chunk("IEND", Buffer.alloc(0)),
  ]));
}

/** 24-bit bottom-up BMP. */
export function bmp(width, height, pixel) {
  const row = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + row * height;
  const b = Buffer.alloc(size);
  b.write("BM", 0, "latin1");
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) {
    const o = 54 + (height - 1 - y) * row;
    for (let x = 0; x < width; x++) {
      const [r, g, bl] = pixel(x, y);
      b[o + x * 3] = bl;
      b[o + x * 3 + 1] = g;
      b[o + x * 3 + 2] = r;
    }
  }
  return new Uint8Array(b);
}

/** A copy of a JPEG with an EXIF APP1 segment carrying `orientation` (1..8) right after SOI. */
export function withExifOrientation(jpeg, orientation) {
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation SHORT
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const seg = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), seg, Buffer.from(jpeg.subarray(2))]));
}

/** The first `fraction` of the bytes: a photo cut off mid-upload. */
export function truncated(bytes, fraction = 0.6) {
  return bytes.slice(0, Math.floor(bytes.length * fraction));
}

/** The start of an iPhone HEIC file (ftyp box with the heic brand). */
export const HEIC_HEAD = new Uint8Array([
  0, 0, 0, 24, ...Buffer.from("ftypheic", "latin1"), 0, 0, 0, 0, ...Buffer.from("mif1heic", "latin1"),
]);
