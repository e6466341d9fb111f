// In-page contestants for the bench (served from the repository root, run in headless Chromium).
// Each takes the source bytes and returns { ms, base64Length, width, height, encodes }.
import * as ocr from "/npm/src/browser.js";
import imageCompression from "/node_modules/browser-image-compression/dist/browser-image-compression.mjs";

export const BUDGET = 1_000_000;
/** The last contestant's output bytes (a Blob or Uint8Array), for bench/phone-page.js's payload size (not timed). */
export let lastOutput = null;
/** browser-image-compression counts MB as 1024 * 1024 bytes: the same budget in decoded bytes. */
const BIC_MAX_SIZE_MB = (BUDGET / 4) * 3 / (1024 * 1024);
const now = () => performance.now();
const b64len = (n) => Math.ceil(n / 3) * 4;

/** Fetch a generated source once; kept as a Blob/File like a picked file. */
const sources = new Map();
export async function load(name, mime) {
  if (!sources.has(name)) {
    const buf = await (await fetch(`/__bench/${name}`)).arrayBuffer();
    sources.set(name, new File([buf], name, { type: mime }));
  }
  return sources.get(name);
}

async function dimsOf(blob) {
  const bm = await createImageBitmap(blob);
  const d = [bm.width, bm.height];
  bm.close();
  return d;
}

/** Long side 2048 without upscaling (the naive resize everyone writes). */
function fit(w, h, cap = 2048) {
  const s = Math.min(1, cap / Math.max(w, h));
  return [Math.round(w * s), Math.round(h * s)];
}

export const contestants = {
  /** prepareImage with the browser codec (what codec "auto" picks in a browser). */
  async browser(file) {
    const t = now();
    const p = await ocr.prepareImage(file, { codec: "browser", target: "budget", maxBase64Chars: BUDGET });
    return { ms: now() - t, base64Length: p.base64Length, width: p.width, height: p.height, encodes: p.encodes, quality: p.quality };
  },
  /** prepareImage with the pure-Rust codec, in the page (module already loaded by the warm-up). */
  async wasm(file) {
    const t = now();
    const p = await ocr.prepareImage(file, { codec: "wasm", target: "budget", maxBase64Chars: BUDGET });
    return { ms: now() - t, base64Length: p.base64Length, width: p.width, height: p.height, encodes: p.encodes, quality: p.quality };
  },
  /** browser-image-compression 2.0.2, main thread (useWebWorker: false), same budget and long side. */
  async bic(file) {
    const t = now();
    const out = await imageCompression(file, {
      maxSizeMB: BIC_MAX_SIZE_MB, maxWidthOrHeight: 2048, useWebWorker: false, fileType: "image/jpeg",
    });
    const ms = now() - t;
    lastOutput = out;
    const [w, h] = await dimsOf(out);
    // Its encodes are not exposed; the base64 still has to be made by the caller (not timed).
    return { ms, base64Length: b64len(out.size), width: w, height: h, encodes: null, quality: null };
  },
  /** One native pass: createImageBitmap with resize, canvas, one JPEG encode at q 0.9. No budget logic. */
  async native(file, upright) {
    const t = now();
    const [w, h] = fit(upright[0], upright[1]);
    const bm = await createImageBitmap(file, { imageOrientation: "from-image", resizeWidth: w, resizeHeight: h, resizeQuality: "high" });
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext("2d", { alpha: false });
    g.fillStyle = "#fff";
    g.fillRect(0, 0, w, h);
    g.drawImage(bm, 0, 0);
    bm.close();
    const blob = await c.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const ms = now() - t;
    lastOutput = blob;
    return { ms, base64Length: b64len(blob.size), width: w, height: h, encodes: 1, quality: 90 };
  },
};

/** One measured run of a contestant. */
export function runOnce(name, file, upright) {
  return contestants[name](file, upright);
}
