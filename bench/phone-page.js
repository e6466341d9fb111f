// In-page side of the phone profile (bench/phone.mjs): our prepareImage with any options (so a new
// target is one line in phone.mjs's CONTESTANTS), and bench/page.js's browser-image-compression and
// native single pass. Each run returns { ms, base64Length, bodyBytes, width, height } (and quality for ours).
import * as ocr from "/npm/src/browser.js";
import { BUDGET, contestants, load } from "/bench/page.js";
import * as shared from "/bench/page.js";

export { load };

const now = () => performance.now();

/** Standard padded base64 of `bytes` (what a provider call carries). */
function toBase64(bytes) {
  if (typeof bytes.toBase64 === "function") return bytes.toBase64();
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Bytes of the apihz form body carrying this base64 image, as crates/core (apihz::form_body, wire::form_urlencoded)
 * builds it: `id=…&key=…&class=1&type=2&img=…`, every byte outside [A-Za-z0-9-_.~] percent-encoded, so base64's
 * `+`, `/` and `=` take 3 bytes each. id and key: placeholders of typical length (6 digits, 32 hex characters).
 */
const FORM_HEAD = "id=100000&key=" + "0".repeat(32) + "&class=1&type=2&img=";
function formBodyBytes(b64) {
  let escaped = 0;
  for (let i = 0; i < b64.length; i++) {
    const c = b64.charCodeAt(i);
    if (c === 43 || c === 47 || c === 61) escaped++; // + / =
  }
  return FORM_HEAD.length + b64.length + 2 * escaped;
}

let lastBase64 = "";

/**
 * POST the last run's form body (the real bytes) to the bench's 127.0.0.1 sink and time it until the
 * answer; phone.mjs has set CDP network emulation (upload throughput) on this page first.
 */
export async function uploadLast(url) {
  const body = FORM_HEAD + lastBase64.replace(/[+/=]/g, (c) => ({ "+": "%2B", "/": "%2F", "=": "%3D" })[c]);
  const t = now();
  const r = await fetch(url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" } });
  const got = Number(await r.text());
  return { ms: now() - t, sent: body.length, got };
}

/** One measured run: `kind` "ours" (prepareImage, browser codec, `opts` added) or a bench/page.js contestant. */
export async function runOnce(kind, opts, file, upright) {
  let ms, bytes, width, height;
  if (kind === "ours") {
    const t = now();
    const p = await ocr.prepareImage(file, { codec: "browser", maxBase64Chars: BUDGET, ...opts });
    ms = now() - t;
    lastBase64 = p.base64;
    return { ms, base64Length: p.base64Length, bodyBytes: formBodyBytes(p.base64), width: p.width, height: p.height, quality: p.quality };
  }
  const out = await contestants[kind](file, upright);
  ({ ms, width, height } = out);
  // Not timed: the output as base64, as the caller would still have to make it.
  const o = shared.lastOutput;
  bytes = o instanceof Uint8Array ? o : new Uint8Array(await o.arrayBuffer());
  const b64 = toBase64(bytes);
  lastBase64 = b64;
  return { ms, base64Length: b64.length, bodyBytes: formBodyBytes(b64), width, height };
}
