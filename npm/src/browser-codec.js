// The browser image codec: the browser's own decoders (EXIF orientation, JPEG decode-to-scale)
// and a canvas JPEG encoder. Only what needs the browser lives here: every decision (header
// probe, pixel cap, output size and DCT scale, passthrough, the structure check fed in chunks,
// the budget search) is the image crate's, through the main module (`imagePlan`,
// `checkStructure`, `budgetStep`, `prepareAsIs`; docs/IMAGE_POLICY.md).
//
// This file runs in Node and workerd too (it is imported by api.js everywhere): every DOM global
// is feature-detected through `globalThis` and only touched when present.
import { ConfigError, InvalidImageError, UnsupportedFormatError } from "./errors.js";

/** Sampled bands for the size probe: rows per band (MCU height for 4:2:0) and area fraction. */
const BAND_ROWS = 16;
const SAMPLE_FRACTION = 1 / 8;

const g = globalThis;

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

/** A canvas; sizes come from the image crate's plan, within iOS's 16.7 MP canvas limit. */
function newCanvas(width, height) {
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
 * Encode `canvas` as JPEG under the budget, driven by the Rust budget search (`w.budgetStep`:
 * probe encodes of a sample, full encodes, shrinks). Returns `{ bytes, quality, width, height,
 * encodes }`, or null when the canvas cannot encode JPEG.
 */
async function fitBudget(w, canvas, settings) {
  const { width, height } = canvas;
  const history = []; // what was done, replayed by the stateless step: [kind, bytes, factor]…
  let sample = canvas.height >= 8 * BAND_ROWS ? sampleCanvas(canvas) : null;
  // The picture's sensor noise, measured on the probe sample (the Rust rule lowers the "legible"
  // quality ceiling of a noisy picture: bytes spent on noise do not make text more legible).
  let noise = 0;
  if (sample) {
    const { width: sw, height: sh } = sample.sample;
    const { data } = context2d(sample.sample).getImageData(0, 0, sw, sh);
    noise = w.noiseLevel(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), sw, sh, BAND_ROWS);
  }
  let best = null;
  let pending = null; // the last full encode, until the next step says whether it is the best fit
  for (;;) {
    const step = w.budgetStep(width, height, settings, history, noise);
    if (pending && step.keep) best = pending;
    pending = null;
    if (step.kind === "sample") {
      // Too small to sample: the probe encodes the picture itself.
      sample ??= canvas.height >= 8 * BAND_ROWS ? sampleCanvas(canvas) : { sample: canvas, ratio: 1 };
      const blob = await encodeJpegBlob(sample.sample, step.quality); // only its size is needed
      if (!blob) return null;
      history.push(0, blob.size, sample.ratio);
    } else if (step.kind === "encode") {
      const bytes = await encodeJpeg(canvas, step.quality);
      if (!bytes) return null;
      history.push(1, bytes.length, 0);
      pending = { bytes, quality: step.quality, width: canvas.width, height: canvas.height };
    } else if (step.kind === "shrink") {
      canvas = drawFlattened(canvas, step.width, step.height);
      sample = null;
      history.push(2, 0, 0);
    } else {
      return { ...best, encodes: step.encodes };
    }
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
  const fit = await fitBudget(w, canvas, settings);
  if (fit) {
    return result(w, fit.bytes, { width: fit.width, height: fit.height, quality: fit.quality, encodes: fit.encodes, codec: "browser" });
  }
  const p = await encodeWithWasm(loadCodec, canvas, settings);
  return result(w, p.bytes, { width: p.width, height: p.height, quality: p.quality, encodes: p.encodes, codec: "wasm" });
}

const truncatedJpeg = () => new InvalidImageError("the JPEG data is truncated (the file was cut off; send the complete photo)");

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

/** Header bytes handed to wasm: its memory never shrinks, so a 20 MB photo is never copied in whole. */
const CHUNK = 512 * 1024;

/**
 * The image crate's plan from the first CHUNK bytes (headers come first; WebP keeps EXIF at the
 * end, and a prefix that is not enough is retried whole for the authoritative answer).
 */
function plan(w, bytes, settings, heifDecoder = true) {
  if (bytes.length > CHUNK) {
    try {
      const p = w.imagePlan(bytes.subarray(0, CHUNK), bytes.length, settings, heifDecoder, 0, 0);
      if (p.format !== "webp") return p;
    } catch {
      // fall through
    }
  }
  return w.imagePlan(bytes, bytes.length, settings, heifDecoder, 0, 0);
}

/** The plan of pixels already decoded: the pixel cap, then the output size. */
const pixelsPlan = (w, width, height, settings) => w.imagePlan(new Uint8Array(0), 0, settings, false, width, height);

/**
 * The image crate's structure check, fed the slices it asks for (a sequential JPEG: its headers
 * and last two bytes; PNG/WebP: chunk headers). `{ forwardable, end }`, or throws the typed error.
 * `quick: false` walks a JPEG's data to EOI (passthrough: what is sent ends there).
 */
function checkStructure(w, bytes, format, quick) {
  return w.checkStructure(format, bytes.length, quick, (at, n) => bytes.subarray(at, at + n));
}

/**
 * Prepare image bytes with the browser codec.
 * @param {object} w the main wasm module
 * @param {() => Promise<object>} loadCodec the Rust codec module (fallback encoder)
 * @param {Uint8Array} bytes
 * @param {object} settings effective settings from `prepareSettings` (also what the Rust codec takes)
 * @param {((picture: { source: object, width: number, height: number }) => Promise<number|null>) | null} measure
 *   under "legible": the quality report's text height on the decoded, upright picture (at the size
 *   sent without an estimate); the image crate then plans the size again with it (`textHeightPx`)
 */
export async function prepareBytesBrowser(w, loadCodec, bytes, settings, measure = null) {
  let p = plan(w, bytes, settings); // typed errors: not an image, pixel cap, HEIC without a decoder…
  if (p.format === "heif") return prepareHeif(w, loadCodec, bytes, settings);
  const jpeg = p.format === "jpeg";
  if (p.mayPassThrough && measure) {
    // Small enough to be sent as it is: measured first (a cheap decode), since with its text
    // height it may be over the legible size (the Rust codec decides the same way).
    const height = await measureFile(measure, blobFor(bytes, MIME[p.format]));
    measure = null;
    if (height > 0) {
      settings = { ...settings, textHeightPx: height };
      p = plan(w, bytes, settings);
    }
  }
  const common = { sourceWidth: p.width, sourceHeight: p.height, sourceFormat: p.format };
  if (p.mayPassThrough) {
    const v = checkStructure(w, bytes, p.format, false);
    if (v.forwardable) {
      const out = v.end < bytes.length ? bytes.subarray(0, v.end) : bytes; // nothing after EOI is sent
      await checkDecodesWhole(blobFor(out, "image/jpeg"));
      return { ...result(w, out, { width: p.width, height: p.height, quality: null, encodes: 0, codec: "browser" }), ...common, orientationApplied: 1, passthrough: true };
    }
  }
  let [tw, th] = [p.targetWidth, p.targetHeight];
  // An `<img>` that fails to decode at draw time draws nothing, silently: only common JPEGs
  // (read from the frame header) take that route; `createImageBitmap` rejects what it cannot
  // decode.
  const decodable = !jpeg || p.commonJpeg;
  // The bytes input.js read from a Blob are ours: checked first, then handed to ImageDecoder
  // without a copy (measured in Chromium 156: the 13–20 MB copy on the main thread plus a scan in
  // parallel with the decode cost 8–13 ms more than the scan alone before it). Otherwise the
  // decoder copies them and decodes on its own thread while the check runs here. Either way a file
  // that fails the check is refused whatever the decoder made of it.
  const handOver = p.numerator < 8 && hasImageDecoder() && ownedCopy(bytes);
  // The plan again once the text is measured: from the header (the bytes may be handed over).
  const [head, len] = [measure && handOver ? bytes.slice(0, CHUNK) : bytes, bytes.length];
  const replan = (s) => (head === bytes ? plan(w, bytes, s) : w.imagePlan(head, len, s, true, 0, 0));
  if (handOver) checkStructure(w, bytes, p.format, true);
  const blob = blobFor(bytes, MIME[p.format]);
  const jpegRoute = p.numerator < 8 ? { bytes, info: p, num: p.numerator, orientation: p.orientation, transfer: handOver } : null;
  let decoding = startDecode(blob, tw, th, decodable ? p.dct : 0, jpegRoute);
  if (!handOver) {
    try {
      checkStructure(w, bytes, p.format, true);
    } catch (e) {
      abandon(decoding);
      throw e;
    }
  }
  let canvas;
  try {
    if (measure && p.orientation === 1) {
      // Measured on the decode itself (upright), then drawn once to the size planned with the
      // text height: one resample, as without it (a second draw would also smooth the noise the
      // quality rule measures). Rotated sources are measured on the canvas below.
      const decoded = await decoding;
      const { source } = decoded;
      const height = await measure({ source, width: source.naturalWidth || source.width, height: source.naturalHeight || source.height });
      measure = null;
      if (height > 0) {
        settings = { ...settings, textHeightPx: height };
        const sized = replan(settings);
        [tw, th] = [sized.targetWidth, sized.targetHeight];
      }
      decoding = Promise.resolve(decoded);
    }
    canvas = await finishDecode(decoding, tw, th, jpeg, p.orientation === 1);
  } catch (e) {
    if (e instanceof InvalidImageError || e instanceof UnsupportedFormatError || e?.code === "CONFIG") throw e;
    if (!decodable) {
      throw new UnsupportedFormatError("this JPEG variant (lossless, hierarchical, arithmetic-coded or 12-bit) cannot be decoded here; send a standard JPEG or PNG");
    }
    throw new InvalidImageError(`the browser could not decode this ${p.format.toUpperCase()} image (corrupt or unsupported variant)`);
  }
  if (jpeg && greyFilledBottom(canvas, canvas.width, canvas.height)) throw truncatedJpeg();
  const height = measure && (await measure({ source: canvas, width: canvas.width, height: canvas.height }));
  if (height > 0) {
    settings = { ...settings, textHeightPx: height };
    const sized = replan(settings);
    if (sized.targetWidth < canvas.width) canvas = drawFlattened(canvas, sized.targetWidth, sized.targetHeight, "high", true);
  }
  const enc = await encodeCanvas(w, loadCodec, canvas, settings);
  return { ...enc, ...common, orientationApplied: p.orientation, passthrough: false };
}

/** `measure` on the decoded file (upright); null when the browser cannot decode it (the prepare says why). */
async function measureFile(measure, blob) {
  let bitmap;
  try {
    bitmap = await g.createImageBitmap(blob, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
  try {
    return await measure({ source: bitmap, width: bitmap.width, height: bitmap.height });
  } finally {
    bitmap.close();
  }
}

/** HEIC/HEIF/AVIF: the browser's own decoder where it has one (Safari), else the one refusal. */
async function prepareHeif(w, loadCodec, bytes, settings) {
  let bitmap;
  try {
    bitmap = await g.createImageBitmap(blobFor(bytes, "image/heic"), { imageOrientation: "from-image" });
  } catch {
    plan(w, bytes, settings, false); // throws the HEIC message
  }
  try {
    const t = pixelsPlan(w, bitmap.width, bitmap.height, settings);
    const canvas = drawFlattened(bitmap, t.targetWidth, t.targetHeight);
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
  if (settings.codec === "none") {
    throw new ConfigError(`codec "none" hands image bytes back as they are, but this image is pixels (a ${d.kind}): use "auto"`);
  }
  if (!(d.width > 0 && d.height > 0)) throw new InvalidImageError(`the ${d.kind} has no pixels (closed or empty)`);
  const t = pixelsPlan(w, d.width, d.height, settings);
  const canvas = drawFlattened(d.source, t.targetWidth, t.targetHeight);
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

