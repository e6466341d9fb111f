// prepareImage() with the pure-Rust codec in Node, over generated images: every format, EXIF
// orientation, bad input, and the budget invariant checked on every output.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import * as ocr from "../../npm/src/node.js";
import { documentPhoto } from "../../bench/docgen.mjs";
import { CARD_JPEG, CARD_PNG } from "./helpers.mjs";
import { HEIC_HEAD, bmp, documentPixel, png, pngHeaderOnly, truncated, withExifOrientation } from "./images.mjs";

const { prepareImage } = ocr;
const imagingFixture = (name) => new Uint8Array(readFileSync(new URL(`../../crates/imaging/tests/fixtures/${name}`, import.meta.url)));

/** The invariant every prepared image must satisfy, whatever the input. */
function checkPrepared(p, budget) {
  assert.equal(p.mimeType, "image/jpeg");
  assert.equal(p.base64Length, p.base64.length);
  assert.ok(p.base64Length <= budget, `over budget: ${p.base64Length} > ${budget}`);
  assert.deepEqual(new Uint8Array(Buffer.from(p.base64, "base64")), p.bytes);
  assert.equal(p.byteLength, p.bytes.length);
  assert.deepEqual([...p.bytes.subarray(0, 2)], [0xff, 0xd8]);
  assert.ok(p.width >= 1 && p.height >= 1);
  assert.ok(p.width <= p.sourceWidth || p.width <= p.sourceHeight, "upscaled");
  assert.equal(p.codec, "wasm");
  assert.equal(typeof p.elapsedMs, "number");
}

test("a JPEG already under budget and upright is sent untouched", async () => {
  const p = await prepareImage(CARD_JPEG, { codec: "wasm" });
  checkPrepared(p, 1_000_000);
  assert.equal(p.passthrough, true);
  assert.equal(p.encodes, 0);
  assert.equal(p.quality, null);
  assert.deepEqual(p.bytes, CARD_JPEG);
  assert.equal(p.sourceFormat, "jpeg");
});

test("every format becomes an upright JPEG within budget", async () => {
  const pix = documentPixel(3);
  const inputs = {
    png: [CARD_PNG, "png", 640, 400],
    "png with alpha": [png(120, 80, (x, y) => [10, 20, 30, x < 60 ? 0 : 255], { alpha: true }), "png", 120, 80],
    bmp: [bmp(300, 200, pix), "bmp", 300, 200],
    webp: [imagingFixture("lossy.webp"), "webp", null, null],
    "progressive jpeg": [imagingFixture("progressive_exif8.jpg"), "jpeg", null, null],
    "cmyk jpeg": [imagingFixture("cmyk_adobe.jpg"), "jpeg", null, null],
  };
  for (const [name, [bytes, format, w, h]] of Object.entries(inputs)) {
    const p = await prepareImage(bytes, { codec: "wasm" });
    checkPrepared(p, 1_000_000);
    assert.equal(p.sourceFormat, format, name);
    if (w) assert.deepEqual([p.width, p.height], [w, h], name);
  }
});

test("transparent PNG pixels are flattened on white", async () => {
  const transparent = await prepareImage(png(64, 64, () => [0, 0, 0, 0], { alpha: true }), { codec: "wasm" });
  const white = await prepareImage(png(64, 64, () => [255, 255, 255]), { codec: "wasm" });
  checkPrepared(transparent, 1_000_000);
  assert.deepEqual(transparent.bytes, white.bytes, "a transparent pixel must encode exactly like a white one");
});

test("EXIF orientation is applied once: rotated photos come out upright", async () => {
  for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const p = await prepareImage(withExifOrientation(CARD_JPEG, o), { codec: "wasm" });
    checkPrepared(p, 1_000_000);
    const swapped = o >= 5;
    assert.deepEqual([p.width, p.height], swapped ? [400, 640] : [640, 400], `orientation ${o}`);
    assert.equal(p.orientationApplied, o);
    if (o === 1) assert.equal(p.passthrough, true);
  }
});

test("a large detailed photo is downscaled to the long-side cap and spends the budget well", async () => {
  const big = png(3000, 2000, documentPixel(9));
  for (const budget of [1_000_000, 300_000, 50_000]) {
    const p = await prepareImage(big, { codec: "wasm", target: "budget", maxBase64Chars: budget });
    checkPrepared(p, budget);
    assert.ok(Math.max(p.width, p.height) <= 2048);
    assert.ok(p.base64Length >= 0.92 * budget || p.quality >= 95, `budget use ${(p.base64Length / budget).toFixed(3)} at q${p.quality}`);
    assert.ok(p.encodes >= 1 && p.encodes <= 6, `encodes ${p.encodes}`);
    assert.equal(p.passthrough, false);
  }
});

test('target "legible" sends far fewer characters than "budget" for the same photo, both within the budget', async () => {
  const photo = png(3000, 2000, documentPixel(9));
  const budget = await prepareImage(photo, { codec: "wasm", target: "budget" });
  const legible = await prepareImage(photo, { codec: "wasm", target: "legible" });
  checkPrepared(budget, 1_000_000);
  checkPrepared(legible, 1_000_000);
  assert.deepEqual([legible.width, legible.height], [1600, 1067]);
  assert.ok(legible.quality <= 85, `q${legible.quality}`);
  assert.ok(legible.base64Length < 0.7 * budget.base64Length, `legible ${legible.base64Length} vs budget ${budget.base64Length}`);
  // recognize()'s prepare sub-object takes the same option.
  const err = await ocr.recognize(photo, { document: "vehicleLicenseFront", apihz: { id: "1", key: "k", endpoints: ["http://127.0.0.1:9/"] }, prepare: { target: "tiny" } }).catch((e) => e);
  assert.ok(err instanceof ocr.ConfigError);
  assert.match(err.message, /prepare\.target/);
});

test('"legible" sizes the photo by its text: a 行驶证 filling the frame goes out at the providers\' floor, a page larger, no document at 1600', async () => {
  // A document filling 84 % of a 2400 × 1800 frame (bench/docgen.mjs): the quality report finds its outline.
  const [W, H] = [2400, 1800];
  const raw = documentPhoto(W, H, { glyphFrac: 1 / 66, noise: 4, seed: 5 });
  const photo = new Uint8Array(await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
  const licence = await prepareImage(photo, { codec: "wasm", document: "vehicleLicenseFront" });
  checkPrepared(licence, 1_000_000);
  // The licence's text is large: just large enough for it is under the floor, so the floor (short side 800).
  assert.deepEqual([licence.width, licence.height], [1067, 800]);
  // Unknown document: nothing measured, the 1600 px cap. A 登记证书 page (text 3× smaller relative
  // to it): larger than the licence, never over 1600.
  const unknown = await prepareImage(photo, { codec: "wasm" });
  checkPrepared(unknown, 1_000_000);
  assert.deepEqual([unknown.width, unknown.height], [1600, 1200]);
  const page = await prepareImage(photo, { codec: "wasm", document: "registrationCertificate" });
  assert.ok(page.width > licence.width && page.width <= 1600, `${page.width}`);
  assert.ok(licence.base64Length < 0.7 * unknown.base64Length, `licence ${licence.base64Length} vs unknown ${unknown.base64Length}`);
  // No document found (the table alone): today's 1600 px cap.
  const table = new Uint8Array(await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).extract({ left: 0, top: 0, width: 90, height: 90 }).resize(W, H).jpeg({ quality: 90 }).toBuffer());
  const none = await prepareImage(table, { codec: "wasm", document: "vehicleLicenseFront" });
  assert.deepEqual([none.width, none.height], [1600, 1200]);
  // "budget" ignores the text; a small budget is never exceeded.
  const budget = await prepareImage(photo, { codec: "wasm", target: "budget", document: "vehicleLicenseFront" });
  assert.deepEqual([budget.width, budget.height], [2048, 1536]);
  const tight = await prepareImage(photo, { codec: "wasm", document: "vehicleLicenseFront", maxBase64Chars: 40_000 });
  checkPrepared(tight, 40_000);
  // A bad document is a ConfigError that names the option.
  const err = await prepareImage(photo, { codec: "wasm", document: "passport" }).catch((e) => e);
  assert.ok(err instanceof ocr.ConfigError, String(err));
  assert.match(err.message, /document/);
});

test("small images are never upscaled", async () => {
  const p = await prepareImage(png(64, 40, documentPixel(2)), { codec: "wasm" });
  checkPrepared(p, 1_000_000);
  assert.deepEqual([p.width, p.height], [64, 40]);
});

test("bad input gets a clear typed error, and the module keeps working after each", async () => {
  const cases = [
    [new Uint8Array(0), ocr.InvalidImageError],
    [new TextEncoder().encode("<html>not an image</html>"), ocr.InvalidImageError],
    [truncated(CARD_JPEG), ocr.InvalidImageError],
    [truncated(CARD_PNG), ocr.InvalidImageError],
    [HEIC_HEAD, ocr.UnsupportedFormatError],
    [pngHeaderOnly(20000, 10000), ocr.ImageTooLargeError],
  ];
  for (const [bytes, cls] of cases) {
    const err = await prepareImage(bytes, { codec: "wasm" }).then(() => null, (e) => e);
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.name}: ${err?.message}`);
    assert.ok(err.message.length > 10);
    const ok = await prepareImage(CARD_PNG, { codec: "wasm" });
    checkPrepared(ok, 1_000_000);
  }
  const heic = await prepareImage(HEIC_HEAD).catch((e) => e);
  assert.match(heic.message, /HEIC/);
});

test("maxSourcePixels refuses big headers before decoding", async () => {
  const err = await prepareImage(png(300, 200, documentPixel(1)), { codec: "wasm", maxSourcePixels: 10_000 }).catch((e) => e);
  assert.ok(err instanceof ocr.ImageTooLargeError);
});

test("maxDecodeMemoryBytes bounds what a progressive JPEG may take, and raising it lets one through", async () => {
  const progressive = imagingFixture("progressive_exif8.jpg");
  const baseline = imagingFixture("sharp_baseline.jpg");
  const tight = { codec: "wasm", maxLongSidePx: 64, maxDecodeMemoryBytes: 4096 };
  const err = await prepareImage(progressive, tight).catch((e) => e);
  assert.ok(err instanceof ocr.ImageTooLargeError, String(err));
  assert.match(err.message, /progressive/);
  // Baseline JPEGs decode row by row: the limit does not concern them.
  checkPrepared(await prepareImage(baseline, tight), 1_000_000);
  checkPrepared(await prepareImage(progressive, { ...tight, maxDecodeMemoryBytes: 64 << 20 }), 1_000_000);
  const bad = await prepareImage(progressive, { maxDecodeMemoryBytes: 2 ** 33 }).catch((e) => e);
  assert.ok(bad instanceof ocr.ConfigError);
  assert.match(bad.message, /maxDecodeMemoryBytes/);
});

test("when the codec runs out of memory (a WebAssembly trap) it is restarted: a typed error, then fresh memory and working calls", async () => {
  // A runtime whose wasm memory cannot grow past 37.5 MB (V8's page limit), like a phone tab
  // under pressure, and a photo that needs more (progressive 4:4:4, ~45 MB of coefficients).
  const dir = mkdtempSync(join(tmpdir(), "vdo-trap-"));
  try {
    const big = await sharp({ create: { width: 3000, height: 2500, channels: 3, noise: { type: "gaussian", mean: 128, sigma: 40 } } })
      .jpeg({ quality: 95, progressive: true, chromaSubsampling: "4:4:4" })
      .toBuffer();
    writeFileSync(join(dir, "big.jpg"), big);
    const child = `
      import { readFileSync } from "node:fs";
      import * as ocr from ${JSON.stringify(new URL("../../npm/src/node.js", import.meta.url).href)};
      import * as codec from ${JSON.stringify(new URL("../../npm/wasm/vehicle_doc_ocr_image.js", import.meta.url).href)};
      const opts = { codec: "wasm", maxLongSidePx: 1000, maxBase64Chars: 100000, maxDecodeMemoryBytes: 2 ** 30 };
      const out = {};
      const err = await ocr.prepareImage(readFileSync(${JSON.stringify(join(dir, "big.jpg"))}), opts).catch((e) => e);
      out.error = { name: err?.name, code: err?.code, message: err?.message };
      out.memoryAfter = codec.initSync({}).memory.buffer.byteLength; // the live instance's memory
      out.small = [];
      for (let i = 0; i < 3; i++) {
        const p = await ocr.prepareImage(readFileSync(${JSON.stringify(new URL("./fixtures/card-640x400.png", import.meta.url).pathname)}), { codec: "wasm" });
        out.small.push([p.width, p.height, p.base64Length > 0]);
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ["--wasm-max-mem-pages=600", "--input-type=module", "-e", child], { encoding: "utf8" }));
    assert.equal(out.error.name, "ImageTooLargeError", JSON.stringify(out.error));
    assert.match(out.error.message, /out of memory/);
    assert.ok(out.memoryAfter < 16 << 20, `the instance after the trap still has ${out.memoryAfter} bytes: not restarted`);
    assert.deepEqual(out.small, [[640, 400, true], [640, 400, true], [640, 400, true]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("prepareImage options are checked and named", async () => {
  for (const [opts, name] of [[{ codec: "gpu" }, "codec"], [{ target: "small" }, "target"], [{ target: 1 }, "target"], [{ maxLongSidePx: 0 }, "maxLongSidePx"], [{ quality: 5 }, "quality"]]) {
    const err = await prepareImage(CARD_JPEG, opts).catch((e) => e);
    assert.ok(err instanceof ocr.ConfigError, name);
    assert.match(err.message, new RegExp(name));
  }
});

test("recognize() prepares oversized photos before sending and never sends over budget", async (t) => {
  const { startSim, apihzOptions } = await import("./helpers.mjs");
  const sim = await startSim();
  t.after(() => sim.close());
  const big = png(2600, 1700, documentPixel(5));
  const stages = [];
  // "budget": spend what the budget allows ("legible" may send less: a noisy picture goes out at q 70).
  const r = await ocr.recognize(big, { ...apihzOptions(sim), prepare: { target: "budget" }, maxBase64Chars: 400_000, onProgress: (e) => stages.push(e) });
  assert.equal(r.document, "vehicleLicenseFront");
  const sent = sim.calls()[0];
  assert.ok(sent.base64Length <= 400_000 && sent.base64Length > 0.9 * 400_000, `sent ${sent.base64Length}`);
  assert.deepEqual(stages.map((s) => s.stage), ["preparing", "recognizing"]);
  assert.equal(stages[1].image.base64Length, sent.base64Length);
});

test("an exception thrown by the caller's onProgress reaches the caller unchanged, and nothing is sent", async (t) => {
  const { startSim, apihzOptions } = await import("./helpers.mjs");
  const sim = await startSim();
  t.after(() => sim.close());
  const mine = new RangeError("my own progress bar broke");
  const err = await ocr.recognize(CARD_JPEG, { ...apihzOptions(sim), onProgress: () => { throw mine; } }).catch((e) => e);
  assert.equal(err, mine);
  assert.equal(sim.calls().length, 0);
});

test("detached buffers and objects that throw are InvalidImageError, not internal errors", async () => {
  const detachedBuffer = () => {
    const b = new ArrayBuffer(CARD_JPEG.length);
    new Uint8Array(b).set(CARD_JPEG);
    structuredClone(b, { transfer: [b] });
    return b;
  };
  const throwing = new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });
  const cases = {
    "detached ArrayBuffer": detachedBuffer(),
    "view of a detached buffer": (() => { const u = Uint8Array.from(CARD_JPEG); structuredClone(u.buffer, { transfer: [u.buffer] }); return u; })(),
    "DataView of a detached buffer": (() => { const b = new ArrayBuffer(4); const v = new DataView(b); structuredClone(b, { transfer: [b] }); return v; })(),
    "throwing Proxy": throwing,
    "Blob-like whose arrayBuffer resolves to a detached buffer": { arrayBuffer: async () => detachedBuffer() },
  };
  for (const [name, input] of Object.entries(cases)) {
    for (const call of [() => prepareImage(input, { codec: "wasm" }), () => ocr.recognize(input, { document: "vehicleLicenseFront", apihz: { id: "1", key: "k", endpoints: ["http://127.0.0.1:9/never-reached"] } })]) {
      const err = await call().then(() => null, (e) => e);
      assert.ok(err instanceof ocr.InvalidImageError, `${name}: ${err?.name}: ${err?.message}`);
      assert.equal(err.code, "INVALID_IMAGE", name);
    }
  }
});

test("codec \"none\" hands the checked bytes back untouched (a JPEG up to its EOI), or refuses", async () => {
  const asIs = await prepareImage(CARD_PNG, { codec: "none" });
  assert.deepEqual(asIs.bytes, CARD_PNG);
  assert.deepEqual(new Uint8Array(Buffer.from(asIs.base64, "base64")), CARD_PNG);
  assert.equal(asIs.mimeType, "image/png");
  assert.equal(asIs.sourceFormat, "png");
  assert.equal(asIs.passthrough, true);
  assert.equal(asIs.encodes, 0);
  assert.equal(asIs.codec, "none");
  // Trailing bytes after EOI are never handed on (nor sent): the wasm codec's passthrough too.
  const trailing = new Uint8Array([...CARD_JPEG, ...new TextEncoder().encode("appended data"), 0xff, 0xd9]);
  for (const codec of ["none", "wasm"]) {
    const p = await prepareImage(trailing, { codec });
    assert.deepEqual(p.bytes, CARD_JPEG, codec);
    assert.equal(p.passthrough, true, codec);
  }
  const garbage = new Uint8Array([...CARD_PNG.subarray(0, 40), ...new Uint8Array(300).fill(7)]);
  const refusals = [
    [garbage, {}, ocr.InvalidImageError],
    [CARD_PNG, { maxBase64Chars: 1000 }, ocr.ImageTooLargeError],
    [HEIC_HEAD, {}, ocr.UnsupportedFormatError],
  ];
  for (const [bytes, opts, cls] of refusals) {
    const err = await prepareImage(bytes, { codec: "none", ...opts }).then(() => null, (e) => e);
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.name}: ${err?.message}`);
  }
});
