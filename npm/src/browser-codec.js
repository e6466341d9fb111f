// The browser image codec: the browser's own decoders (EXIF orientation, JPEG decode-to-scale)
// and a canvas JPEG encoder, driven to land just under the base64 budget with few encodes.
// Same policy as the pure-Rust codec (crates/imaging, docs/IMAGE_POLICY.md): the policy values
// come from the main module's `prepareSettings`, the header facts from its `probeImage`.
//
// This file runs in Node and workerd too (it is imported by api.js everywhere): every DOM global
// is feature-detected through `globalThis` and only touched when present.
import { ImageTooLargeError, InvalidImageError, UnsupportedFormatError } from "./errors.js";

/** iOS Safari renders canvases above this many pixels blank; no canvas here ever exceeds it. */
export const MAX_CANVAS_PIXELS = 16_777_216;
/**
 * The highest integer quality predicted under AIM of the budget is encoded; a result under
 * LOW_WATER is re-encoded higher when it can be. Canvas qualities are integers (one step is
 * 3–7% of bytes) and the sampled prediction is within ~1–2%, hence an aim this close to 1.
 */
const AIM = 0.98;
const LOW_WATER = 0.92;
/** Never shrink below this long side to fit a budget (same as the Rust codec). */
const MIN_LONG_SIDE = 256;
/** A DCT-scaled JPEG decode within this fraction under the long-side cap is kept as is. */
const DCT_SNAP = 0.9;
/** Full-size encodes allowed before giving up on landing in [LOW_WATER, 1] (the best fit is kept). */
const MAX_ENCODES = 6;
/** Sampled bands for the size probe: rows per band (MCU height for 4:2:0) and area fraction. */
const BAND_ROWS = 16;
const SAMPLE_FRACTION = 1 / 8;

const HEIC_MESSAGE =
  "HEIC/HEIF photos (the iPhone default) cannot be decoded by this browser. On the iPhone choose " +
  'Settings > Camera > Formats > "Most Compatible" and take the photo again, or send a JPEG or PNG (a screenshot works).';

const g = globalThis;

/** Exact padded base64 length of `n` bytes. */
export const base64Len = (n) => Math.ceil(n / 3) * 4;

// ---------------------------------------------------------------------------------------------
// Feature detection

let offscreen2d;
/** OffscreenCanvas with a 2D context and `convertToBlob` (Safari before 16.4 had no 2D context). */
function hasOffscreenJpeg() {
  if (offscreen2d === undefined) {
    offscreen2d = false;
    if (typeof g.OffscreenCanvas === "function" && typeof g.OffscreenCanvas.prototype?.convertToBlob === "function") {
      try {
        offscreen2d = !!new g.OffscreenCanvas(1, 1).getContext("2d");
      } catch {
        offscreen2d = false;
      }
    }
  }
  return offscreen2d;
}
function hasDocumentCanvas() {
  return typeof g.document?.createElement === "function" && typeof g.HTMLCanvasElement === "function" &&
    typeof g.HTMLCanvasElement.prototype?.toBlob === "function";
}

/** True where the browser codec can run: `createImageBitmap` plus a canvas that can encode. */
export function browserCodecAvailable() {
  return typeof g.createImageBitmap === "function" && (hasOffscreenJpeg() || hasDocumentCanvas());
}

function newCanvas(width, height) {
  if (width * height > MAX_CANVAS_PIXELS) {
    // Unreachable with the size rules below; kept as the last guard against a blank iOS canvas.
    throw new ImageTooLargeError("the picture is too large for a browser canvas");
  }
  if (hasOffscreenJpeg()) return new g.OffscreenCanvas(width, height);
  const c = g.document.createElement("canvas");
  c.width = width;
  c.height = height;
  return c;
}

function context2d(canvas) {
  const ctx = canvas.getContext("2d", { alpha: false });
  if (!ctx) throw new UnsupportedFormatError("this browser gives no 2D canvas (use codec \"wasm\")");
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  return ctx;
}

/** A white canvas of the given size with `source` drawn scaled onto it (alpha flattened on white). */
function drawFlattened(source, width, height, smoothing = "high", opaque = false) {
  const canvas = newCanvas(width, height);
  const ctx = context2d(canvas);
  if (smoothing === "none") ctx.imageSmoothingEnabled = false;
  else ctx.imageSmoothingQuality = smoothing;
  if (!opaque) {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
  }
  ctx.drawImage(source, 0, 0, width, height);
  return canvas;
}

/** JPEG-encode a canvas; resolves to a Blob, or null when the canvas cannot write JPEG. */
async function encodeJpegBlob(canvas, quality) {
  let blob;
  try {
    if (typeof canvas.convertToBlob === "function") {
      blob = await canvas.convertToBlob({ type: "image/jpeg", quality: quality / 100 });
    } else {
      blob = await new Promise((ok) => canvas.toBlob(ok, "image/jpeg", quality / 100));
    }
  } catch (e) {
    if (e?.name === "SecurityError") {
      throw new InvalidImageError("the picture comes from another origin without CORS, so the page may not read its pixels");
    }
    throw new InvalidImageError("the browser could not encode the picture", { cause: e });
  }
  if (!blob || blob.type !== "image/jpeg") return null;
  return blob;
}

/** JPEG bytes of a canvas, or null when it cannot write JPEG. */
async function encodeJpeg(canvas, quality) {
  const blob = await encodeJpegBlob(canvas, quality);
  return blob && new Uint8Array(await blob.arrayBuffer());
}

// ---------------------------------------------------------------------------------------------
// Integrity checks (browsers silently render truncated files with a grey or missing bottom;
// a half-decoded photo must never reach a paid API). crates/imaging does the same checks
// internally but does not export them, hence this port.

const truncatedJpeg = () =>
  new InvalidImageError("the JPEG data is truncated (the file was cut off; send the complete photo)");

/**
 * `{ units, blocks }`: the MCUs (interleaved scan) or blocks (single-component scan) a scan codes
 * and the blocks in each unit, from the SOF and SOS payloads; null when the headers do not say.
 * (Port of crates/imaging `scan_units`.)
 */
function scanShape(b, sof, sos) {
  if (sof < 0 || sof + 6 > b.length || sos + 2 > b.length) return null;
  const h = (b[sof + 1] << 8) | b[sof + 2];
  const w = (b[sof + 3] << 8) | b[sof + 4];
  const n = b[sof + 5];
  const comps = [];
  for (let i = 0; i < n; i++) {
    const at = sof + 6 + i * 3;
    if (at + 3 > b.length) return null;
    comps.push([b[at], Math.max(1, b[at + 1] >> 4), Math.max(1, b[at + 1] & 15)]);
  }
  if (!comps.length) return null;
  const hmax = Math.max(...comps.map((c) => c[1]));
  const vmax = Math.max(...comps.map((c) => c[2]));
  const up = (a, d) => Math.ceil(a / d);
  const ns = b[sos];
  if (ns === 1) {
    const c = comps.find((x) => x[0] === b[sos + 1]);
    if (!c) return null;
    return { units: up(up(w * c[1], hmax), 8) * up(up(h * c[2], vmax), 8), blocks: 1 };
  }
  let blocks = 0;
  for (let i = 0; i < ns; i++) {
    const c = comps.find((x) => x[0] === b[sos + 1 + i * 2]);
    if (!c) return null;
    blocks += c[1] * c[2];
  }
  return { units: up(w, 8 * hmax) * up(h, 8 * vmax), blocks };
}

/**
 * Whether a scan's entropy data (`bytes` data bytes, a stuffed FF 00 counting one, `restarts`
 * RST markers) is shorter than its headers say, where that can be told without decoding: with
 * restart markers it holds one per interval but the last; a progressive DC refinement scan
 * (Ss = Se = 0, Ah > 0) holds exactly one bit per block, each restart interval padded to a whole
 * byte. (Port of crates/imaging `scan_too_short`.)
 */
function scanTooShort(b, sof, sos, progressive, restartInterval, bytes, restarts) {
  const shape = scanShape(b, sof, sos);
  if (!shape) return false;
  const { units, blocks } = shape;
  if (restartInterval > 0 && restarts < Math.max(0, Math.ceil(units / restartInterval) - 1)) return true;
  const ss = sos + 1 + b[sos] * 2;
  if (!progressive || ss + 2 >= b.length || b[ss] !== 0 || b[ss + 1] !== 0 || b[ss + 2] >> 4 === 0) return false;
  const bytesFor = (u) => Math.ceil((u * blocks) / 8);
  const min = restartInterval === 0
    ? bytesFor(units)
    : Math.floor(units / restartInterval) * bytesFor(restartInterval) + bytesFor(units % restartInterval);
  return bytes < min;
}

/**
 * Walk a JPEG's segments to EOI, skipping entropy-coded data; where the headers tell a scan's
 * length (restart markers, progressive DC refinement scans), also check each scan holds it (a
 * scan cut short and re-closed by a marker is what decoders silently fill with grey). Returns `{ forwardable }` (baseline/extended/progressive
 * Huffman with 1 or 3 components: safe to send as it is). A port of crates/imaging's
 * `check_jpeg`, which the wasm modules do not export.
 *
 * Shortcut (same verdict, without reading the 4–20 MB of entropy-coded data): a sequential frame
 * (SOF0/SOF1) whose first scan interleaves all its components is that frame's only scan, so EOI
 * follows it; when the file's last two bytes are EOI and no restart interval is defined, the walk
 * could only end there. A file cut off in transit never ends in FF D9 (entropy-coded data cannot
 * contain it; headers are walked), so only a deliberately re-closed file gets here, which the full
 * walk accepts too (the grey-bottom check after decoding is what catches those). Anything else,
 * including trailing bytes after EOI, takes the full walk.
 * @param {Uint8Array} b
 */
export function checkJpeg(b) {
  const n = b.length;
  let pos = 2;
  let scans = 0;
  let sawFrame = false;
  let forwardable = false;
  let frame = -1; // offset of the SOF payload
  let frameMarker = 0;
  let restartInterval = 0;
  for (;;) {
    while (pos < n && b[pos] !== 0xff) pos++;
    while (pos < n && b[pos] === 0xff) pos++;
    if (pos >= n) throw truncatedJpeg();
    const marker = b[pos++];
    if (marker === 0xd9) {
      if (scans === 0 || !sawFrame) throw new InvalidImageError("the JPEG data contains no image scan (corrupt file)");
      return { forwardable };
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (pos + 2 > n) throw truncatedJpeg();
    const len = (b[pos] << 8) | b[pos + 1];
    if (len < 2) throw new InvalidImageError("the JPEG data is corrupt (bad segment length)");
    const end = pos + len;
    if (end > n) throw truncatedJpeg();
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      sawFrame = true;
      frame = pos + 2;
      frameMarker = marker;
      const comps = pos + 7 < n ? b[pos + 7] : 0;
      forwardable = marker <= 0xc2 && (comps === 1 || comps === 3);
    }
    if (marker === 0xdd && pos + 4 <= n) restartInterval = (b[pos + 2] << 8) | b[pos + 3];
    const header = pos + 2;
    pos = end;
    if (marker === 0xda && scans === 0 && restartInterval === 0 && (frameMarker === 0xc0 || frameMarker === 0xc1) &&
        frame + 5 < n && b[header] === b[frame + 5] && end <= n - 2 && b[n - 2] === 0xff && b[n - 1] === 0xd9) {
      return { forwardable };
    }
    if (marker === 0xda) {
      scans++;
      let restarts = 0;
      let bytes = 0;
      // Entropy-coded data runs to a marker other than a stuffed 0xFF00, an RSTn or fill bytes.
      for (;;) {
        const off = b.indexOf(0xff, pos);
        if (off < 0 || off + 1 >= n) throw truncatedJpeg();
        bytes += off - pos;
        const next = b[off + 1];
        if (next === 0x00) {
          bytes++;
          pos = off + 2;
        } else if (next >= 0xd0 && next <= 0xd7) {
          restarts++;
          pos = off + 2;
        } else if (next === 0xff) pos = off + 1;
        else {
          pos = off;
          break;
        }
      }
      const progressive = frameMarker === 0xc2 || frameMarker === 0xc6 || frameMarker === 0xca || frameMarker === 0xce;
      if (scanTooShort(b, frame, header, progressive, restartInterval, bytes, restarts)) throw truncatedJpeg();
    }
  }
}

/**
 * An 8-bit Huffman JPEG (baseline, extended or progressive: what every browser decodes), read from
 * the frame header only; not lossless, hierarchical, arithmetic-coded or 12-bit.
 */
function isCommonJpeg(b) {
  let pos = 2;
  while (pos + 4 < b.length) {
    while (pos < b.length && b[pos] !== 0xff) pos++;
    while (pos < b.length && b[pos] === 0xff) pos++;
    const marker = b[pos++];
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xda || marker === 0xd9 || pos + 2 >= b.length) return false;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return marker <= 0xc2 && b[pos + 2] === 8;
    }
    pos += (b[pos] << 8) | b[pos + 1];
  }
  return false;
}

const truncated = (what) => new InvalidImageError(`the ${what} data is truncated (the file was cut off; send the complete image)`);

/** PNG: the chunk chain must be intact up to IEND. */
function checkPng(b) {
  let pos = 8;
  let sawData = false;
  while (pos + 8 <= b.length) {
    const len = ((b[pos] << 24) >>> 0) + (b[pos + 1] << 16) + (b[pos + 2] << 8) + b[pos + 3];
    const type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
    const end = pos + 12 + len;
    if (end > b.length) throw truncated("PNG");
    if (type === "IDAT") sawData = true;
    if (type === "IEND") {
      if (!sawData) throw new InvalidImageError("the PNG contains no image data (corrupt file)");
      return;
    }
    pos = end;
  }
  throw truncated("PNG");
}

/** GIF: the block chain must be intact through the first frame's image data. */
function checkGif(b) {
  const n = b.length;
  let pos = 13;
  if (n < 13) throw truncated("GIF");
  if (b[10] & 0x80) pos += 3 * (1 << ((b[10] & 7) + 1));
  const skipSubBlocks = () => {
    for (;;) {
      if (pos >= n) throw truncated("GIF");
      const size = b[pos++];
      if (size === 0) return;
      pos += size;
    }
  };
  for (;;) {
    if (pos >= n) throw truncated("GIF");
    const kind = b[pos++];
    if (kind === 0x21) {
      pos++; // label
      skipSubBlocks();
    } else if (kind === 0x2c) {
      if (pos + 9 > n) throw truncated("GIF");
      const flags = b[pos + 8];
      pos += 9;
      if (flags & 0x80) pos += 3 * (1 << ((flags & 7) + 1));
      pos++; // LZW minimum code size
      skipSubBlocks();
      return;
    } else {
      throw new InvalidImageError("the GIF contains no image (corrupt file)");
    }
  }
}

/** WebP: the RIFF container must be complete. */
function checkWebp(b) {
  const size = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
  if (size + 8 > b.length) throw truncated("WebP");
}

/** BMP: the pixel array announced by the header must be present (uncompressed BMPs). */
function checkBmp(b, info) {
  const offset = (b[10] | (b[11] << 8) | (b[12] << 16) | (b[13] << 24)) >>> 0;
  const bpp = b[28] | (b[29] << 8);
  const compression = b.length >= 34 ? (b[30] | (b[31] << 8) | (b[32] << 16) | (b[33] << 24)) >>> 0 : 0;
  if (compression !== 0 && compression !== 3) return; // RLE etc.: the decoder judges
  const row = Math.ceil((info.width * bpp) / 32) * 4;
  if (offset + row * info.height > b.length) throw truncated("BMP");
}

function checkIntegrity(bytes, info) {
  switch (info.format) {
    case "jpeg":
      return checkJpeg(bytes);
    case "png":
      return checkPng(bytes);
    case "gif":
      return checkGif(bytes);
    case "webp":
      return checkWebp(bytes);
    case "bmp":
      return checkBmp(bytes, info);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Sizes

function refuseOverPixels(width, height, max) {
  const px = width * height;
  if (px > max) {
    throw new ImageTooLargeError(
      `the image is ${Math.round(px / 1e6)} megapixels, more than the ${Math.round(max / 1e6)} megapixel limit (maxSourcePixels)`,
    );
  }
}

/** Fit (w, h) into a long side of `long`, never upscaling; also keeps the area within a canvas. */
function scaledDims(w, h, long) {
  let s = Math.min(1, long / Math.max(w, h));
  if (w * h * s * s > MAX_CANVAS_PIXELS) s = Math.sqrt(MAX_CANVAS_PIXELS / (w * h)) * 0.999;
  return [Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))];
}

/**
 * Output size for a source of upright size (w, h), and the DCT scale it lands on (1 = none).
 * For JPEG the DCT-domain scales 1/2, 1/4, 1/8 are preferred when they land within 10% under
 * the cap (4000 → 2000, 4032 → 2016, 8000 → 2000): no resampling filter, a faster decode, and
 * the same output size as the Rust codec.
 * @returns {[number, number, number]}
 */
function targetDims(w, h, cap, jpeg) {
  const long = Math.max(w, h);
  if (long <= cap) return [...scaledDims(w, h, long), 1];
  if (jpeg) {
    for (const s of [2, 4, 8]) {
      const l = Math.ceil(long / s);
      if (l <= cap && l >= Math.ceil(cap * DCT_SNAP)) {
        const dims = [Math.ceil(w / s), Math.ceil(h / s)];
        if (dims[0] * dims[1] <= MAX_CANVAS_PIXELS) return [...dims, s];
      }
    }
  }
  return [...scaledDims(w, h, cap), 0];
}

// ---------------------------------------------------------------------------------------------
// Decoding

function loadImageElement(blob) {
  return new Promise((ok, fail) => {
    const url = URL.createObjectURL(blob);
    const img = new g.Image();
    img.decoding = "async";
    img.onload = () => {
      URL.revokeObjectURL(url);
      ok(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      fail(new Error("decode"));
    };
    img.src = url;
  });
}

const hasImageElement = () => typeof g.Image === "function" && typeof g.document !== "undefined";

const hasImageDecoder = () => typeof g.ImageDecoder === "function" && typeof g.VideoFrame === "function";

/** [rotation, flip] of a VideoFrame decoded from a JPEG with EXIF orientation 1–8 (WebCodecs). */
const FRAME_TRANSFORM = { 1: [0, false], 2: [0, true], 3: [180, false], 4: [180, true], 5: [90, true], 6: [90, false], 7: [270, true], 8: [270, false] };

/**
 * Off the snap, the decode is at least this much larger than the target, so the high-quality
 * resize that follows works at ≤ 0.75: measured against a Lanczos-3 resize of the full decode,
 * final steps of 0.89–0.96 lost 1.3–4.8 dB PSNR (4624 → 2312 → 2048: 30.9 dB; 5712 → 2142 → 2048:
 * 28.0 dB) while ≤ 0.75 matched `createImageBitmap`'s own high-quality resize within ±0.5 dB
 * (4624 → 2890 → 2048: 32.7 against 32.2 dB; 5712 → 2856: 32.7 / 32.8; 9248 → 3468: 34.2 / 34.3).
 */
const MAX_RESIZE_AFTER_DCT = 0.75;
/** Off-snap n/8 scales used: 2/8 to 6/8 were measured; 7/8 would save little over a full decode. */
const MAX_OFF_SNAP_NUMERATOR = 6;

/**
 * The n of the n/8 scale a JPEG is decoded at for an upright target of `tw`×`th` from `uw`×`uh`:
 * exactly 8/`dct` on the 1/2, 1/4, 1/8 snap (the decode is the output), else the smallest n
 * whose decode is at least 1/MAX_RESIZE_AFTER_DCT times the target (a high-quality resize makes
 * the last step; e.g. 4624 → 2890 → 2048, 5712 → 2856 → 2048, 9248 → 3468 → 2048); 8 when no
 * scale helps.
 */
function dctNumerator(uw, uh, tw, th, dct) {
  if (dct >= 2) return 8 / dct;
  const long = Math.max(uw, uh);
  const target = Math.max(tw, th);
  if (target >= long) return 8;
  const n = Math.max(1, Math.ceil((8 * target) / (MAX_RESIZE_AFTER_DCT * long)));
  return n <= MAX_OFF_SNAP_NUMERATOR ? n : 8;
}

/**
 * WebCodecs `ImageDecoder` asked for a desired size: Chromium decodes a JPEG at the largest n/8
 * DCT scale whose area fits it (libjpeg-turbo's scaled IDCT, off the main thread), so a 12 MP
 * photo costs a 1/2-scale decode (~45 ms against ~70 ms for `createImageBitmap`'s full decode
 * plus ~18 ms for a 2:1 draw), a 48 MP one a 1/4-scale decode without the `<img>` route's
 * image-cache overhead, and a 16 MP one (4624 px) a 5/8-scale decode and a resize (~100 ms
 * against ~150 ms for `createImageBitmap` with resize). The size asked for is the n/8 size plus
 * one pixel each way: Chromium picks n as floor(8·sqrt(area ratio)) in float arithmetic, which
 * an exact ratio could round just under. The frame carries the EXIF orientation as
 * rotation/flip, which `createImageBitmap(frame)` applies. Resolves to `{ source, smoothing }`,
 * or null (the caller takes another route) when the frame's transform is not the one the EXIF
 * orientation asks for (an engine that ignores it: nothing is ever rotated twice or not at all).
 */
async function decodeWithImageDecoder(bytes, info, num, orientation, transfer) {
  const decoder = new g.ImageDecoder({
    data: bytes,
    // Our own copy is handed over (detached here) instead of copied again by the decoder.
    ...(transfer ? { transfer: [bytes.buffer] } : {}),
    type: "image/jpeg",
    desiredWidth: Math.ceil((info.width * num) / 8) + 1,
    desiredHeight: Math.ceil((info.height * num) / 8) + 1,
    preferAnimation: false,
  });
  let frame;
  try {
    ({ image: frame } = await decoder.decode({ frameIndex: 0, completeFramesOnly: true }));
  } finally {
    decoder.close();
  }
  try {
    const [rotation, flip] = FRAME_TRANSFORM[orientation] ?? FRAME_TRANSFORM[1];
    if ((frame.rotation ?? 0) !== rotation || !!frame.flip !== flip) return null;
    // Drawing the frame itself costs ~3× more than drawing a bitmap made from it (Chromium 156).
    const bitmap = await g.createImageBitmap(frame);
    if (bitmap.width === frame.displayWidth && bitmap.height === frame.displayHeight) return { source: bitmap, smoothing: "high" };
    bitmap.close();
    return null;
  } finally {
    frame.close();
  }
}

/**
 * Start decoding a picture for an upright canvas of `width`×`height`, by the fastest route
 * measured in Chromium (BENCHMARKS.md) for the DCT scale `dct` the size lands on:
 * - a JPEG that an n/8 scale helps (`jpeg.num` < 8: the 1/2, 1/4, 1/8 snap, e.g. 12 MP → 2000 px
 *   and 48 MP → 2000 px, and any other size over the cap): WebCodecs `ImageDecoder` at that
 *   scale (see `decodeWithImageDecoder`); where it is missing or declines:
 * - 4 or 8: an `<img>` drawn at the target size; Chromium's image decode cache
 *   then decodes the JPEG at 1/4 or 1/8 in the DCT domain instead of all 48 MP (2.4× faster than
 *   `createImageBitmap` with resize). Main thread only (workers have no `Image`).
 * - 2: `createImageBitmap` decodes off the main thread, then one bilinear draw
 *   at exactly 2:1, which is a 2×2 box filter (the image decode cache's fixed cost makes the
 *   `<img>` route slower at this size).
 * - anything else: `createImageBitmap` with `resizeQuality: "high"`.
 * All apply EXIF orientation once (`imageOrientation: "from-image"`, the default of
 * `image-orientation` for `<img>`, the frame's rotation/flip); nothing here rotates again.
 * `jpeg` (only for common JPEGs): `{ bytes, info, num, orientation, transfer }` for the
 * `ImageDecoder` route; with `transfer` the bytes' buffer is handed to the decoder (detached here).
 */
function startDecode(blob, width, height, dct, jpeg = null) {
  if (jpeg && jpeg.num < 8 && hasImageDecoder()) {
    let started;
    try {
      started = decodeWithImageDecoder(jpeg.bytes, jpeg.info, jpeg.num, jpeg.orientation, jpeg.transfer);
    } catch {
      started = Promise.resolve(null);
    }
    // Declined or failed: the other routes decode again and give the verdict on a bad file.
    return started.then(
      (decoded) => decoded ?? startDecode(blob, width, height, dct),
      () => startDecode(blob, width, height, dct),
    );
  }
  const bitmap = (opts) => g.createImageBitmap(blob, opts);
  if ((dct === 4 || dct === 8) && hasImageElement()) {
    return loadImageElement(blob).then(
      (source) => ({ source, smoothing: "high" }),
      () => startDecode(blob, width, height, 0), // let createImageBitmap give the verdict
    );
  }
  if (dct === 2) return bitmap({ imageOrientation: "from-image" }).then((source) => ({ source, smoothing: "low" }));
  return bitmap({ imageOrientation: "from-image", resizeWidth: width, resizeHeight: height, resizeQuality: "high" }).then(
    (source) => ({ source, smoothing: "high" }),
    (e) => {
      if (e?.name !== "TypeError") throw e;
      // An engine without the resize options: decode, then scale while drawing.
      return bitmap().then((source) => ({ source, smoothing: "high" }));
    },
  );
}

function release(source) {
  if (typeof source.close === "function") source.close();
  else source.src = "";
}

/**
 * A canvas showing `bitmap` without drawing it: a "bitmaprenderer" context takes the bitmap over
 * (no copy; the bitmap is detached) and the canvas encodes it like any other (saves the ~5 ms
 * 3 MP draw). Null where the context is missing (the bitmap is then untouched).
 */
function bitmapCanvas(bitmap) {
  const canvas = newCanvas(bitmap.width, bitmap.height);
  let ctx = null;
  try {
    ctx = canvas.getContext("bitmaprenderer");
  } catch {
    ctx = null;
  }
  if (!ctx || typeof ctx.transferFromImageBitmap !== "function") return null;
  ctx.transferFromImageBitmap(bitmap);
  return canvas;
}

let bitmapRendererChecked = null;
/**
 * Resolves to true where a bitmaprenderer canvas (see `bitmapCanvas`) both encodes and draws the
 * pixels it took over: checked once per realm on a 16×16 red picture (measured in Chromium only;
 * an engine that got this wrong would otherwise send a blank photo). Cheap and started before the
 * decode, so it runs while the decode does.
 */
function bitmapRendererWorks() {
  bitmapRendererChecked ??= (async () => {
    try {
      const src = newCanvas(16, 16);
      const ctx = context2d(src);
      ctx.fillStyle = "#f00";
      ctx.fillRect(0, 0, 16, 16);
      const canvas = bitmapCanvas(await g.createImageBitmap(src));
      if (!canvas) return false;
      const red = (source) => {
        const probe = context2d(newCanvas(1, 1));
        probe.drawImage(source, 8, 8, 1, 1, 0, 0, 1, 1);
        const [r, gr, b] = probe.getImageData(0, 0, 1, 1).data;
        return r > 200 && gr < 60 && b < 60;
      };
      const blob = await encodeJpegBlob(canvas, 90);
      if (!blob || !red(canvas)) return false;
      const back = await g.createImageBitmap(blob);
      try {
        return red(back);
      } finally {
        back.close();
      }
    } catch {
      return false;
    }
  })();
  return bitmapRendererChecked;
}

/**
 * The started decode as a canvas of the target size: an opaque (JPEG) bitmap already at that size
 * and without EXIF transform (`unrotated`) is taken over by a bitmaprenderer canvas, anything else
 * is drawn (scaled, flattened on white). Chromium keeps a bitmap's EXIF orientation as metadata
 * that `drawImage` applies and a bitmaprenderer canvas ignores, hence rotated/flipped ones are
 * drawn. The result is a valid `drawImage` source and encoder, not necessarily a 2D canvas.
 */
async function finishDecode(decoding, width, height, opaque, unrotated) {
  const takeOver = opaque && unrotated ? bitmapRendererWorks() : null;
  const { source, smoothing } = await decoding;
  const isBitmap = typeof g.ImageBitmap === "function" && source instanceof g.ImageBitmap;
  if (takeOver && isBitmap && source.width === width && source.height === height && (await takeOver)) {
    const canvas = bitmapCanvas(source);
    if (canvas) return canvas;
  }
  try {
    // Same size (a rotated or flipped bitmap): a plain copy. "high" would run Chromium's
    // high-quality sampler over every pixel (measured: 16 ms against 3 ms for a rotated 3 MP).
    const sameSize = isBitmap && source.width === width && source.height === height;
    return drawFlattened(source, width, height, sameSize ? "none" : smoothing, opaque);
  } finally {
    release(source);
  }
}

/** A decode that is not wanted any more: free what it yields, swallow its error. */
function abandon(decoding) {
  decoding.then(({ source }) => release(source), () => {});
}

/** The caller's own Blob/File for bytes read from it (no copy into a new Blob). */
const sourceBlobs = new WeakMap();
export function rememberSourceBlob(bytes, blob) {
  sourceBlobs.set(bytes, blob);
}
/**
 * True when `bytes` is the private copy input.js read from the caller's Blob (a whole ArrayBuffer
 * nobody else holds, the Blob remembered for any later read): it may be handed to a decoder.
 */
function ownedCopy(bytes) {
  const original = sourceBlobs.get(bytes);
  return !!original && original.size === bytes.length && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
function blobFor(bytes, mime) {
  const original = sourceBlobs.get(bytes);
  if (original && original.size === bytes.length) {
    return original.type === mime ? original : original.slice(0, original.size, mime);
  }
  return new g.Blob([bytes], { type: mime });
}

const MIME = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif", bmp: "image/bmp", heif: "image/heic" };

// ---------------------------------------------------------------------------------------------
// Encoding under the budget

/**
 * Size model: ln(bytes) as a piecewise-linear function of the quality through measured points
 * (extrapolated with the end segments' slopes, or +0.05 per quality step with one point). Canvas
 * JPEG encoders take integer qualities (libjpeg scale), so the answer is an integer.
 * @param {Array<[number, number]>} points [quality, bytes]
 */
function curve(points) {
  const pts = [...points].sort((a, b) => a[0] - b[0]).map(([q, n]) => [q, Math.log(n)]);
  return (q) => {
    if (pts.length === 1) return Math.exp(pts[0][1] + DEFAULT_SLOPE * (q - pts[0][0]));
    let i = 0;
    while (i < pts.length - 2 && q > pts[i + 1][0]) i++;
    const [q0, l0] = pts[i];
    const [q1, l1] = pts[i + 1];
    const slope = q1 === q0 ? DEFAULT_SLOPE : Math.max(0.005, (l1 - l0) / (q1 - q0));
    return Math.exp(l0 + slope * (q - q0));
  };
}
const DEFAULT_SLOPE = 0.05;

/** The highest integer quality in [lo, hi] whose predicted size is <= target, or lo - 1 when none. */
function solveQuality(predict, target, lo, hi) {
  for (let q = hi; q >= lo; q--) if (predict(q) <= target) return q;
  return lo - 1;
}

/**
 * A sample of the picture for the size probe: every 16-row band (one MCU row at 4:2:0)
 * contributes one window of 1/8 of the width at a wrapping horizontal offset spread by the
 * golden-ratio sequence.
 * Every row of the picture is represented (text lines are horizontal: sampling whole bands
 * aliases with the line pitch, measured 7–10% off) and every column equally often. Its JPEG
 * size scaled by area predicts the full encode's.
 */
function sampleCanvas(canvas) {
  const { width, height } = canvas;
  const bands = Math.floor(height / BAND_ROWS);
  const segW = Math.min(width, Math.max(64, Math.ceil((width * SAMPLE_FRACTION) / 16) * 16));
  const sample = newCanvas(segW, bands * BAND_ROWS);
  const ctx = context2d(sample);
  ctx.imageSmoothingEnabled = false; // exact 1:1 copies
  for (let i = 0; i < bands; i++) {
    const x = Math.floor(((i * 0.6180339887498949) % 1) * width); // low-discrepancy offsets
    const y = i * BAND_ROWS;
    const first = Math.min(segW, width - x);
    ctx.drawImage(canvas, x, y, first, BAND_ROWS, 0, y, first, BAND_ROWS);
    if (first < segW) ctx.drawImage(canvas, 0, y, segW - first, BAND_ROWS, first, y, segW - first, BAND_ROWS);
  }
  return { sample, ratio: (width * height) / (segW * bands * BAND_ROWS) };
}

/**
 * Predict full-size bytes per quality from two encodes of the sample: one at a middle-high
 * quality, one where that first point says the answer is. Not counted in `encodes`.
 * Returns null when the canvas cannot encode JPEG.
 */
async function probeModel(canvas, aimBytes, minQ, maxQ) {
  const { sample, ratio } = sampleCanvas(canvas);
  const points = [];
  const measure = async (q) => {
    const blob = await encodeJpegBlob(sample, q); // only its size is needed
    if (!blob) return false;
    points.push([q, blob.size * ratio]);
    return true;
  };
  const qa = Math.min(maxQ, Math.max(minQ, Math.round((minQ + maxQ) / 2 + 5)));
  if (!(await measure(qa))) return null;
  const qb = Math.min(maxQ, Math.max(minQ, solveQuality(curve(points), aimBytes, 1, 100)));
  if (qb !== qa && !(await measure(qb))) return null;
  return points;
}

/**
 * Encode `canvas` as JPEG under `budget` base64 chars, aiming at 98% and accepting >= 92%, the
 * quality kept in [minQ, maxQ]; when even minQ is predicted over, the picture is shrunk
 * (bytes ∝ area^0.85) instead. Returns `{ bytes, quality, width, height, encodes }`, or null
 * when the canvas cannot encode JPEG.
 */
async function fitBudget(canvas, budget, minQ, maxQ) {
  const aimBytes = Math.floor((budget * AIM * 3) / 4);
  let encodes = 0;
  for (;;) {
    const { width, height } = canvas;
    let sampled = null;
    if (height >= 8 * BAND_ROWS) {
      sampled = await probeModel(canvas, aimBytes, minQ, maxQ);
      if (!sampled) return null;
    }
    const full = []; // measured full encodes at this size: [q, bytes]
    let best = null; // the largest fitting result at this size
    const predict = () => {
      if (full.length >= 2) return curve(full);
      if (!sampled) return full.length ? curve(full) : null;
      const model = curve(sampled);
      if (!full.length) return model;
      const k = full[0][1] / model(full[0][0]); // the sample's bias, measured
      return (q) => model(q) * k;
    };
    let q = sampled ? solveQuality(predict(), aimBytes, minQ, maxQ) : maxQ;
    while (q >= minQ && encodes < MAX_ENCODES) {
      const bytes = await encodeJpeg(canvas, q);
      if (!bytes) return null;
      encodes++;
      const len = base64Len(bytes.length);
      full.push([q, bytes.length]);
      const fits = len <= budget;
      if (fits && (!best || bytes.length > best.bytes.length)) best = { bytes, quality: q, width, height };
      if (fits && (len >= LOW_WATER * budget || q >= maxQ)) break;
      let next = solveQuality(predict(), aimBytes, minQ, maxQ);
      if (fits) {
        // Under the low-water mark: go higher, never to a quality already measured over budget.
        const over = full.filter(([, n]) => base64Len(n) > budget).map(([fq]) => fq);
        next = Math.min(Math.max(next, q + 1), over.length ? Math.min(...over) - 1 : maxQ);
        if (next <= q) break;
      } else {
        next = Math.min(next, q - 1);
        if (best && next <= best.quality) break; // the best fit is the step under a too-large one
      }
      if (full.some(([fq]) => fq === next)) break;
      q = next;
    }
    if (best) return { ...best, encodes };
    if (encodes >= MAX_ENCODES && full.length === 0) {
      throw new ImageTooLargeError("the picture cannot be fitted under maxBase64Chars");
    }
    // Even minQ is (predicted or measured) over: shrink by the excess at minQ and start over.
    const atMin = full.length || sampled ? predict()(minQ) : aimBytes * 2;
    const shrinkBy = Math.min(0.95, Math.sqrt((aimBytes / atMin) ** (1 / 0.85)));
    const [w2, h2] = scaledDims(width, height, Math.floor(Math.max(width, height) * shrinkBy));
    if (Math.max(w2, h2) < MIN_LONG_SIDE || (w2 === width && h2 === height) || encodes >= MAX_ENCODES * 2) {
      throw new ImageTooLargeError("the picture cannot fit maxBase64Chars even at 256 px; raise maxBase64Chars");
    }
    canvas = drawFlattened(canvas, w2, h2);
  }
}

// ---------------------------------------------------------------------------------------------
// Public entry points (called by api.js)

/** The exact, finished PreparedImage minus `elapsedMs`/`codec` bookkeeping done by the caller. */
function result(w, bytes, fields) {
  // Native Uint8Array.prototype.toBase64 (standard alphabet, padded) where the engine has it.
  const base64 = typeof bytes.toBase64 === "function" ? bytes.toBase64() : w.base64Encode(bytes);
  return { bytes, base64, byteLength: bytes.length, base64Length: base64.length, ...fields };
}

/** Pixels of a canvas as the Rust codec's fallback input (when the canvas cannot write JPEG). */
// `settings`: the effective settings from the main module's prepareSettings (numbers only).
async function encodeWithWasm(loadCodec, canvas, settings) {
  // A bitmaprenderer canvas has no pixels to read: draw it onto a 2D one first.
  const ctx = canvas.getContext("2d") ?? drawFlattened(canvas, canvas.width, canvas.height, "high", true).getContext("2d");
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const codec = await loadCodec();
  return codec.prepareRgbaWasm(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), canvas.width, canvas.height, settings);
}

/**
 * Encode an upright canvas under the budget with the canvas encoder, or the Rust encoder where the
 * canvas cannot write JPEG. Returns the PreparedImage fields that depend on the encode.
 */
async function encodeCanvas(w, loadCodec, canvas, settings) {
  const fit = await fitBudget(canvas, settings.maxBase64Chars, settings.minQuality, settings.maxQuality);
  if (fit) {
    return result(w, fit.bytes, { width: fit.width, height: fit.height, quality: fit.quality, encodes: fit.encodes, codec: "browser" });
  }
  const p = await encodeWithWasm(loadCodec, canvas, settings);
  return result(w, p.bytes, { width: p.width, height: p.height, quality: p.quality, encodes: p.encodes, codec: "wasm" });
}

/**
 * A JPEG cut inside its entropy data and closed again with EOI passes every structural check
 * when it has no restart markers, and browsers decode it without an error: libjpeg fills the
 * missing blocks with zero coefficients, i.e. flat mid-grey (128, 128, 128) from the cut to the
 * bottom. A last row that is exactly that grey across the whole width, under a first row that is
 * not, is taken as such a file. (A camera photo has sensor noise in its last row; a screenshot
 * would need a footer of exactly #808080.)
 */
function greyFilledBottom(source, width, height) {
  if (height < 2) return false;
  const rows = newCanvas(width, 2);
  const ctx = context2d(rows);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(source, 0, 0, width, 1, 0, 0, width, 1);
  ctx.drawImage(source, 0, height - 1, width, 1, 0, 1, width, 1);
  const { data } = ctx.getImageData(0, 0, width, 2);
  const allGrey = (from) => {
    for (let i = from; i < from + width * 4; i += 4) {
      if (data[i] !== 128 || data[i + 1] !== 128 || data[i + 2] !== 128) return false;
    }
    return true;
  };
  return allGrey(width * 4) && !allGrey(0);
}

/**
 * Before a JPEG is passed through untouched: the browser decodes it without a grey-filled
 * bottom (see `greyFilledBottom`). Small files only reach here (they fit the budget).
 */
async function checkDecodesWhole(blob) {
  let bitmap;
  try {
    bitmap = await g.createImageBitmap(blob, { imageOrientation: "from-image" });
  } catch {
    throw new InvalidImageError("the browser could not decode this JPEG image (corrupt or unsupported variant)");
  }
  try {
    if (greyFilledBottom(bitmap, bitmap.width, bitmap.height)) throw truncatedJpeg();
  } finally {
    bitmap.close();
  }
}

/** Header bytes handed to the probe: wasm memory never shrinks, so a 20 MB photo is not copied in. */
const PROBE_PREFIX = 512 * 1024;

/**
 * `probeImage` on a prefix of the file (JPEG/PNG/GIF/BMP headers come first; WebP keeps EXIF at
 * the end, so it gets the whole file), and on the whole file when the prefix is not enough.
 */
function probe(w, bytes) {
  const webp = bytes.length > 12 && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
  if (bytes.length > PROBE_PREFIX && !webp) {
    try {
      return w.probeImage(bytes.subarray(0, PROBE_PREFIX));
    } catch {
      // fall through: the whole file gives the authoritative answer
    }
  }
  return w.probeImage(bytes);
}

/**
 * Prepare image bytes with the browser codec.
 * @param {object} w the main wasm module (probeImage, base64Encode)
 * @param {() => Promise<object>} loadCodec the Rust codec module (fallback encoder)
 * @param {Uint8Array} bytes
 * @param {object} settings effective settings from `prepareSettings` (also what the Rust codec takes)
 */
export async function prepareBytesBrowser(w, loadCodec, bytes, settings) {
  const info = probe(w, bytes); // INVALID_IMAGE for empty / non-image bytes
  const cap = settings.maxLongSidePx;
  if (info.format === "heif") return prepareHeif(w, loadCodec, bytes, info, settings);
  refuseOverPixels(info.width, info.height, settings.maxSourcePixels);
  const orientation = info.format === "jpeg" || info.format === "webp" || info.format === "png" ? info.orientation : 1;
  const long = Math.max(info.width, info.height);
  const common = {
    sourceWidth: info.width, sourceHeight: info.height, sourceFormat: info.format,
  };
  const fits = info.format === "jpeg" && base64Len(bytes.length) <= settings.maxBase64Chars && long <= cap && orientation === 1;
  if (fits && checkJpeg(bytes).forwardable) {
    await checkDecodesWhole(blobFor(bytes, "image/jpeg"));
    return { ...result(w, bytes, { width: info.width, height: info.height, quality: null, encodes: 0, codec: "browser" }), ...common, orientationApplied: 1, passthrough: true };
  }
  const swapped = orientation >= 5 && orientation <= 8;
  const [uw, uh] = swapped ? [info.height, info.width] : [info.width, info.height];
  const [tw, th, dct] = targetDims(uw, uh, cap, info.format === "jpeg");
  // An `<img>` that fails to decode at draw time draws nothing, silently: only common JPEGs
  // (read from the frame header) take that route; `createImageBitmap` rejects what it cannot
  // decode.
  const decodable = info.format !== "jpeg" || isCommonJpeg(bytes);
  // The bytes input.js read from a Blob are ours: scanned first, then handed to ImageDecoder
  // without a copy (measured in Chromium 156: the 13–20 MB copy on the main thread plus a scan in
  // parallel with the decode cost 8–13 ms more than the scan alone before it). Otherwise the
  // decoder copies them and decodes on its own thread while the scan runs here. Either way a file
  // that fails the scan is refused whatever the decoder made of it.
  const num = info.format === "jpeg" && decodable ? dctNumerator(uw, uh, tw, th, dct) : 8;
  const handOver = num < 8 && hasImageDecoder() && ownedCopy(bytes);
  if (handOver) checkIntegrity(bytes, info);
  const blob = blobFor(bytes, MIME[info.format]);
  const jpegRoute = num < 8 ? { bytes, info, num, orientation, transfer: handOver } : null;
  const decoding = startDecode(blob, tw, th, decodable ? dct : 0, jpegRoute);
  if (!handOver) {
    try {
      checkIntegrity(bytes, info);
    } catch (e) {
      abandon(decoding);
      throw e;
    }
  }
  let canvas;
  try {
    canvas = await finishDecode(decoding, tw, th, info.format === "jpeg", orientation === 1);
  } catch (e) {
    if (e instanceof InvalidImageError || e instanceof ImageTooLargeError || e instanceof UnsupportedFormatError) throw e;
    if (!decodable) {
      throw new UnsupportedFormatError("this JPEG variant (lossless, hierarchical, arithmetic-coded or 12-bit) cannot be decoded here; send a standard JPEG or PNG");
    }
    throw new InvalidImageError(`the browser could not decode this ${info.format.toUpperCase()} image (corrupt or unsupported variant)`);
  }
  if (info.format === "jpeg" && greyFilledBottom(canvas, canvas.width, canvas.height)) throw truncatedJpeg();
  const enc = await encodeCanvas(w, loadCodec, canvas, settings);
  return { ...enc, ...common, orientationApplied: orientation >= 2 && orientation <= 8 ? orientation : 1, passthrough: false };
}

/** HEIC/HEIF: the browser's own decoder where it has one (Safari), else a clear refusal. */
async function prepareHeif(w, loadCodec, bytes, info, settings) {
  if (info.width && info.height) refuseOverPixels(info.width, info.height, settings.maxSourcePixels);
  let bitmap;
  try {
    bitmap = await g.createImageBitmap(blobFor(bytes, "image/heic"), { imageOrientation: "from-image" });
  } catch {
    throw new UnsupportedFormatError(HEIC_MESSAGE);
  }
  try {
    refuseOverPixels(bitmap.width, bitmap.height, settings.maxSourcePixels);
    const [tw, th] = targetDims(bitmap.width, bitmap.height, settings.maxLongSidePx, false);
    const canvas = drawFlattened(bitmap, tw, th);
    const enc = await encodeCanvas(w, loadCodec, canvas, settings);
    // HEIF orientation lives in `irot`/`imir` boxes the browser applies; the header probe does not read them.
    return { ...enc, sourceWidth: bitmap.width, sourceHeight: bitmap.height, sourceFormat: "heif", orientationApplied: 1, passthrough: false };
  } finally {
    bitmap.close();
  }
}

/**
 * The size of a drawable input (ImageBitmap, canvas, OffscreenCanvas, <img>, <video>, VideoFrame),
 * or null when `image` is none of those. Never touches a DOM global that does not exist.
 * @returns {{ source: object, width: number, height: number, kind: string } | null}
 */
export function drawableSource(image) {
  if (!image || typeof image !== "object") return null;
  const is = (name) => typeof g[name] === "function" && image instanceof g[name];
  if (is("ImageBitmap")) return { source: image, width: image.width, height: image.height, kind: "ImageBitmap" };
  if (is("OffscreenCanvas")) return { source: image, width: image.width, height: image.height, kind: "OffscreenCanvas" };
  if (is("HTMLCanvasElement")) return { source: image, width: image.width, height: image.height, kind: "canvas" };
  if (is("HTMLImageElement")) {
    if (!image.complete || !image.naturalWidth) {
      throw new InvalidImageError("the <img> has not loaded (or failed to load): wait for its load event, or pass the file itself");
    }
    return { source: image, width: image.naturalWidth, height: image.naturalHeight, kind: "img" };
  }
  if (is("HTMLVideoElement")) {
    if (image.readyState < 2 || !image.videoWidth) {
      throw new InvalidImageError("the <video> has no frame yet: wait until it plays (readyState >= 2) before taking the picture");
    }
    return { source: image, width: image.videoWidth, height: image.videoHeight, kind: "video" };
  }
  if (is("VideoFrame")) return { source: image, width: image.displayWidth, height: image.displayHeight, kind: "VideoFrame" };
  return null;
}

/** True where a drawable can be turned into pixels here (a 2D canvas exists). */
export function canvasAvailable() {
  return hasOffscreenJpeg() || hasDocumentCanvas();
}

/**
 * Prepare a drawable (already upright, already decoded) with the canvas encoder (`useWasm`
 * false) or the Rust encoder fed with the canvas pixels (`useWasm` true).
 */
export async function prepareDrawable(w, loadCodec, d, settings, useWasm) {
  if (!canvasAvailable()) {
    throw new UnsupportedFormatError(`a ${d.kind} input needs a 2D canvas, which this runtime does not have; pass the image bytes instead`);
  }
  if (!(d.width > 0 && d.height > 0)) throw new InvalidImageError(`the ${d.kind} has no pixels (closed or empty)`);
  refuseOverPixels(d.width, d.height, settings.maxSourcePixels);
  const [tw, th] = targetDims(d.width, d.height, settings.maxLongSidePx, false);
  const canvas = drawFlattened(d.source, tw, th);
  const common = { sourceWidth: d.width, sourceHeight: d.height, sourceFormat: "pixels", orientationApplied: 1, passthrough: false };
  if (useWasm) {
    let p;
    try {
      p = await encodeWithWasm(loadCodec, canvas, settings);
    } catch (e) {
      if (e?.name === "SecurityError") {
        throw new InvalidImageError("the picture comes from another origin without CORS, so the page may not read its pixels");
      }
      throw e;
    }
    return { ...result(w, p.bytes, { width: p.width, height: p.height, quality: p.quality, encodes: p.encodes, codec: "wasm" }), ...common };
  }
  const enc = await encodeCanvas(w, loadCodec, canvas, settings);
  return { ...enc, ...common };
}

