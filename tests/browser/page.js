// In-page helpers for the browser suites (served from the repository root and imported by the
// page). Everything here runs in Chromium; results go back to Node as plain JSON.
import * as ocr from "/npm/src/browser.js";

export { ocr };

export function b64ToBytes(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Quadrant picture: top-left red, top-right green, bottom-left blue, bottom-right yellow. */
export function quadrantCanvas(w = 640, h = 400, Canvas = OffscreenCanvas) {
  const c = Canvas === "element" ? Object.assign(document.createElement("canvas"), { width: w, height: h }) : new Canvas(w, h);
  const g = c.getContext("2d");
  const q = [["#f00", 0, 0], ["#0f0", w / 2, 0], ["#00f", 0, h / 2], ["#ff0", w / 2, h / 2]];
  for (const [color, x, y] of q) {
    g.fillStyle = color;
    g.fillRect(x, y, w / 2, h / 2);
  }
  return c;
}

/** Name of the dominant colour of an RGB triple (for corner checks that survive JPEG). */
export function colorName([r, g, b]) {
  const on = (v) => v > 128;
  const key = `${on(r) ? 1 : 0}${on(g) ? 1 : 0}${on(b) ? 1 : 0}`;
  return { "100": "red", "010": "green", "001": "blue", "110": "yellow", "111": "white", "000": "black" }[key] ?? key;
}

/** A noisy document-like JPEG made by the canvas (texture that JPEG cannot compress away). */
export async function noisyJpeg(w, h, { quality = 0.92, seed = 1, amplitude = 32 } = {}) {
  const c = new OffscreenCanvas(w, h);
  const g = c.getContext("2d");
  const rows = 256;
  const id = g.createImageData(w, rows);
  const d = id.data;
  let s = seed >>> 0;
  for (let y0 = 0; y0 < h; y0 += rows) {
    for (let y = 0; y < rows; y++) {
      const Y = y0 + y;
      const band = Math.floor(Y / 40);
      for (let x = 0; x < w; x++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        const n = ((s >>> 24) / 255 - 0.5) * amplitude;
        const ink = band % 2 === 0 && Y % 40 > 8 && (Math.floor(x / 19) * 7919 + band * 104729) % 5 !== 0;
        const v = (ink ? 45 : 226) + n;
        const i = (y * w + x) * 4;
        d[i] = v;
        d[i + 1] = v - 6;
        d[i + 2] = v - 14;
        d[i + 3] = 255;
      }
    }
    g.putImageData(id, 0, y0);
  }
  return new Uint8Array(await (await c.convertToBlob({ type: "image/jpeg", quality })).arrayBuffer());
}

/** Decode a prepared result back and read its four corner colours (10 px in). */
async function corners(p) {
  const bm = await createImageBitmap(new Blob([p.bytes], { type: "image/jpeg" }));
  const c = new OffscreenCanvas(bm.width, bm.height);
  const g = c.getContext("2d");
  g.drawImage(bm, 0, 0);
  const at = (x, y) => colorName([...g.getImageData(x, y, 1, 1).data.slice(0, 3)]);
  const m = Math.min(10, Math.floor(bm.width / 4), Math.floor(bm.height / 4));
  const out = {
    decodedWidth: bm.width,
    decodedHeight: bm.height,
    corners: [at(m, m), at(bm.width - 1 - m, m), at(m, bm.height - 1 - m), at(bm.width - 1 - m, bm.height - 1 - m)],
  };
  bm.close();
  return out;
}

/** Same base64 as the bytes? (padded standard alphabet) */
function base64Matches(p) {
  const back = b64ToBytes(p.base64);
  if (back.length !== p.bytes.length) return false;
  for (let i = 0; i < back.length; i++) if (back[i] !== p.bytes[i]) return false;
  return true;
}

/**
 * prepareImage(input, options) summarised as JSON: the result's scalar fields plus what the page
 * verified (base64 ⇔ bytes, SOI, decoded size, corner colours), or `{ error }`.
 */
export async function run(input, options) {
  try {
    // This suite checks the budget search, the sizes and the decode routes: under the "budget"
    // target unless a test names one (the default target has its own test).
    const p = await ocr.prepareImage(input, { target: "budget", ...options });
    const { bytes, base64, ...fields } = p;
    return {
      ...fields,
      base64Matches: base64Matches(p),
      soi: bytes[0] === 0xff && bytes[1] === 0xd8,
      bytesIsUint8Array: bytes instanceof Uint8Array,
      ...(await corners(p)),
    };
  } catch (e) {
    return { error: { name: e?.name, code: e?.code, message: String(e?.message), isOcrError: e instanceof ocr.VehicleDocOcrError } };
  }
}

/** The untouched-passthrough check needs the bytes themselves. */
export async function sameBytes(input, options, original) {
  const p = await ocr.prepareImage(input, { target: "budget", ...options });
  if (p.bytes.length !== original.length) return false;
  for (let i = 0; i < original.length; i++) if (p.bytes[i] !== original[i]) return false;
  return true;
}
