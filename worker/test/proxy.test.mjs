// recognize({ proxyUrl }) in Node (the package's node entry, real wasm, real fetch) against the
// Worker shim running in workerd, which forwards to the provider simulator: same typed results
// and same error classes as direct mode, and no key on the client side.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import sharp from "sharp";
import { documentPhoto } from "../../bench/docgen.mjs";
import * as ocr from "../../npm/src/node.js";
import { rejection as rejectionOf } from "../../tests/node/helpers.mjs";
import { CARD_JPEG, KEYS, leaks, useStack, withComment } from "../support/harness.mjs";

const { recognize } = ocr;
const stack = useStack();
const worker = stack.worker;
let shim;
before(async () => {
  shim = await worker();
});

/** Await a rejection of class `cls` (the common checks, no key in the error). */
const rejection = (promise, cls) =>
  rejectionOf(promise, cls, (err) => {
    assert.deepEqual(leaks(`${err.message} ${err.providerMessage} ${JSON.stringify(err)}`), []);
  });

describe("recognize({ proxyUrl })", () => {
  test("the same typed result as direct mode, the keys only on the Worker", async () => {
    const viaShim = await recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: shim.url });
    const direct = await recognize(CARD_JPEG, {
      document: "vehicleLicenseFront",
      apihz: { id: KEYS.APIHZ_ID, key: KEYS.APIHZ_KEY, endpoints: [stack.sim.apihzUrl] },
    });
    // Each call has its own requestId (apihz sends none; the one the Worker made comes back) and
    // its own quality report timing (the report itself is the same photo's).
    const { requestId: viaShimId, quality: viaShimQuality, ...viaShimRest } = viaShim;
    const { requestId: directId, quality: directQuality, ...directRest } = direct;
    assert.deepEqual(viaShimRest, directRest);
    assert.deepEqual({ ...viaShimQuality, elapsedMs: 0 }, { ...directQuality, elapsedMs: 0 });
    assert.match(viaShimId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(viaShimId, directId);
    assert.deepEqual(leaks(JSON.stringify(viaShim)), []);
    assert.equal(viaShim.provider, "apihz");
    assert.match(viaShim.vin, /^[A-HJ-NPR-Z0-9]{17}$/);
    assert.deepEqual(
      stack.sim.calls().map((c) => [c.provider, c.outcome]),
      [["apihz", "ok"], ["apihz", "ok"]],
    );
  });

  test("registration certificate through the Worker's juhe key; a trailing slash in proxyUrl is fine", async () => {
    const r = await recognize(new Blob([CARD_JPEG], { type: "image/jpeg" }), {
      document: "registrationCertificate",
      proxyUrl: `${shim.url}/`,
    });
    assert.equal(r.document, "registrationCertificate");
    assert.equal(r.provider, "juhe");
    assert.match(r.requestId, /^JH\d+$/);
    assert.equal(typeof r.owner.name, "string");
  });

  test("provider errors come back as the same classes, with the provider's name", async () => {
    const unreadable = withComment(CARD_JPEG, "SIM:UNREADABLE");
    const e = await rejection(
      recognize(unreadable, { document: "registrationCertificate", proxyUrl: shim.url }),
      ocr.RecognitionFailedError,
    );
    assert.equal(e.provider, "juhe");
    assert.equal(e.providerCode, "270903");
    const wrongKey = await worker({ APIHZ_KEY: "wrong+Key/Configured=1" });
    const auth = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: wrongKey.url }), ocr.AuthError);
    assert.equal(auth.provider, "apihz");
    assert.equal(auth.retryable, false);
    const slow = await worker({ APIHZ_ENDPOINTS: `${stack.sim.url}/__fault/slow-3000/api/ai/xingshizheng.php`, TIMEOUT_MS: "300" });
    await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: slow.url }), ocr.TimeoutError);
    const down = await worker({ APIHZ_ENDPOINTS: `${stack.sim.url}/__fault/503/api/ai/xingshizheng.php` });
    const pe = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: down.url }), ocr.ProviderError);
    assert.equal(pe.retryable, true);
  });

  test("refusals by the Worker are errors with provider \"shim\"; a bearer token can be added through `fetch`", async () => {
    const guarded = await worker({ SHIM_TOKEN: KEYS.SHIM_TOKEN });
    const e = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: guarded.url }), ocr.AuthError);
    assert.equal(e.provider, "shim");
    assert.deepEqual(stack.sim.calls(), []);
    const withToken = (url, init) =>
      fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${KEYS.SHIM_TOKEN}` } });
    const r = await recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: guarded.url, fetch: withToken });
    assert.equal(r.document, "vehicleLicenseFront");
    const limited = await worker({}, { rateLimit: 1 });
    await recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: limited.url });
    const rl = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: limited.url }), ocr.RateLimitedError);
    assert.equal(rl.provider, "shim");
    assert.equal(rl.retryable, true);
  });

  test("checked on the client before anything is sent: too large, a URL image", async () => {
    await rejection(
      recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: shim.url, maxBase64Chars: 1000 }),
      ocr.ImageTooLargeError,
    );
    await rejection(recognize("https://example.com/a.jpg", { document: "vehicleLicenseFront", proxyUrl: shim.url }), ocr.ConfigError);
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("an unreachable shim is a NetworkError from the shim, tried once", async () => {
    const gone = await worker();
    const url = gone.url;
    await stack.close(gone);
    const e = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", proxyUrl: url }), ocr.NetworkError);
    assert.equal(e.provider, "shim");
    assert.deepEqual(stack.sim.calls(), []);
  });
});

describe("the Worker's quality gate (QUALITY_GATE)", () => {
  const W = 1600;
  const H = 1200;
  const raw = documentPhoto(W, H, { glyphFrac: 1 / 66, noise: 6, seed: 3 });
  const photo = (f) => f(sharp(raw, { raw: { width: W, height: H, channels: 3 } })).jpeg({ quality: 80 }).toBuffer().then((b) => new Uint8Array(b));
  // The client's own gate is off: the Worker decides.
  const call = (image, w) => recognize(image, { document: "vehicleLicenseFront", proxyUrl: w.url, qualityGate: "off" });

  test('"block": a photo to retake is a PoorImageError with its reasons, and the provider is never paid', async () => {
    const gated = await worker({ QUALITY_GATE: "block" });
    const dark = await photo((i) => i.linear(0.08, 0));
    const e = await rejection(call(dark, gated), ocr.PoorImageError);
    assert.equal(e.code, "POOR_IMAGE");
    assert.equal(e.retryable, false);
    assert.ok(e.reasons.includes("dark"), JSON.stringify(e.reasons));
    assert.deepEqual(stack.sim.calls(), []);
    // A sharp, well-lit photo of the same document goes through and is billed once.
    const result = await call(await photo((i) => i), gated);
    assert.equal(result.document, "vehicleLicenseFront");
    assert.equal(stack.sim.calls().length, 1);
  });

  test("off by default: the same dark photo is sent", async () => {
    const dark = await photo((i) => i.linear(0.08, 0));
    await call(dark, shim);
    assert.equal(stack.sim.calls().length, 1);
  });
});
