// The photo quality report (assessImage): every measure and decision is in Rust
// (crates/imaging/src/quality.rs, its own lazily loaded wasm module). This file only gets the
// pixels: in a browser, the picture drawn on a small canvas (≤ 640 px, the browser decodes and
// orients it); elsewhere, the bytes, decoded by the quality module itself.
import { InvalidImageError, UnsupportedFormatError } from "./errors.js";

const ANALYSIS_SIDE = 640; // crates/imaging quality::MAX_ANALYSIS_SIDE

const g = globalThis;
const hasCanvas = () => typeof g.OffscreenCanvas === "function" || typeof g.document?.createElement === "function";

function canvas2d(width, height) {
  const c = typeof g.OffscreenCanvas === "function" ? new g.OffscreenCanvas(width, height) : Object.assign(g.document.createElement("canvas"), { width, height });
  const ctx = c.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new UnsupportedFormatError("no 2D canvas here to analyse the picture; pass the image bytes instead");
  return ctx;
}

/** RGBA pixels of `source` (a drawable, `width` × `height`) reduced to ≤ ANALYSIS_SIDE. */
function pixels(source, width, height) {
  const k = Math.min(1, ANALYSIS_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * k));
  const h = Math.max(1, Math.round(height * k));
  const ctx = canvas2d(w, h);
  ctx.drawImage(source, 0, 0, w, h);
  try {
    return { rgba: ctx.getImageData(0, 0, w, h).data, width: w, height: h };
  } catch (e) {
    if (e?.name === "SecurityError") throw new InvalidImageError("the picture comes from another origin without CORS, so the page may not read its pixels");
    throw e;
  }
}

/**
 * The report for `input` (bytes or `{ drawable }`, from toBytesOrUrl). `quality`: the loaded
 * quality module; `settings`: the call's prepare settings (`prepareSettings`/`checkOptions`: the
 * report measures text height at the size that will be sent; Rust decides that size);
 * `explain(bytes)` throws the typed error of bytes the browser could not decode (the main
 * module's `checkImage`).
 */
export async function assessInput(quality, input, options, settings, explain) {
  if (input.drawable) {
    const d = input.drawable;
    if (!hasCanvas()) throw new UnsupportedFormatError(`a ${d.kind} input needs a canvas; pass the image bytes instead`);
    if (!(d.width > 0 && d.height > 0)) throw new InvalidImageError(`the ${d.kind} has no pixels (closed or empty)`);
    const p = pixels(d.source, d.width, d.height);
    return quality.assessRgba(p.rgba, p.width, p.height, d.width, d.height, settings, options);
  }
  if (hasCanvas() && typeof g.createImageBitmap === "function" && typeof quality.assessRgba === "function") {
    // The browser decodes (and orients) the file; a format it cannot decode falls back to Rust.
    let bitmap = null;
    try {
      bitmap = await g.createImageBitmap(new Blob([input]));
    } catch {
      bitmap = null;
    }
    if (bitmap) {
      try {
        const p = pixels(bitmap, bitmap.width, bitmap.height);
        return quality.assessRgba(p.rgba, p.width, p.height, bitmap.width, bitmap.height, settings, options);
      } finally {
        bitmap.close();
      }
    }
  }
  // The browser build of the module has no decoders (the canvas decodes); Node and Workers' has.
  if (typeof quality.assessBytes !== "function") {
    explain(input); // not an image, cut short, HEIC…: the same typed error prepare would give
    throw new UnsupportedFormatError("this browser cannot decode the image to check its quality (send a JPEG or PNG)");
  }
  return quality.assessBytes(input, settings, options);
}
