// prepareImage() in headless Chromium (Debian's chromium via playwright-core): the browser codec
// over every format, orientation and bad input, the budget invariant on every output, codec
// selection, the Rust codec in the browser, and the drawable inputs (ImageBitmap, canvas,
// OffscreenCanvas, <img>, <video>). No timing assertions.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import sharp from "sharp";
import { documentPhoto } from "../../bench/docgen.mjs";
import * as nodeOcr from "../../npm/src/node.js";
import { HEIC_HEAD, bmp, documentPixel, png, pngHeaderOnly, truncated, withExifOrientation } from "../node/images.mjs";
import { openPage } from "./harness.mjs";

let h;
before(async () => {
  h = await openPage();
  await h.page.evaluate(async () => {
    globalThis.T = await import("/tests/browser/page.js");
  });
});
after(async () => {
  await h?.close();
});

const b64 = (u8) => Buffer.from(u8).toString("base64");
const fixture = (name) => new Uint8Array(readFileSync(new URL(`../../crates/imaging/tests/fixtures/${name}`, import.meta.url)));

/** prepareImage on bytes made in Node; returns the page's summary. */
function prepareBytes(bytes, options = {}) {
  return h.page.evaluate(([data, opts]) => T.run(T.b64ToBytes(data), opts), [b64(bytes), options]);
}

/** prepareImage on a Blob (a picked file) made in the page from bytes made in Node; twice, to show the Blob is still intact. */
function prepareBlob(bytes, options = {}) {
  return h.page.evaluate(async ([data, opts]) => {
    const blob = new Blob([T.b64ToBytes(data)], { type: "image/jpeg" });
    const first = await T.run(blob, opts);
    const again = await T.run(blob, opts);
    return { ...first, sameAgain: JSON.stringify([first.base64Length, first.error]) === JSON.stringify([again.base64Length, again.error]) };
  }, [b64(bytes), options]);
}

/** The invariant every prepared image must satisfy. */
function checkPrepared(p, budget = 1_000_000, codec = "browser") {
  assert.ok(!p.error, `unexpected error: ${JSON.stringify(p.error)}`);
  assert.equal(p.mimeType, "image/jpeg");
  assert.ok(p.base64Length <= budget, `over budget: ${p.base64Length} > ${budget}`);
  assert.equal(p.base64Length, Math.ceil(p.byteLength / 3) * 4, "base64Length is the exact padded length");
  assert.ok(p.base64Matches, "base64 is the bytes");
  assert.ok(p.soi && p.bytesIsUint8Array);
  assert.deepEqual([p.decodedWidth, p.decodedHeight], [p.width, p.height], "reported size is the JPEG's size");
  assert.ok(p.width * p.height <= p.sourceWidth * p.sourceHeight, "upscaled");
  assert.equal(p.codec, codec);
  assert.equal(typeof p.elapsedMs, "number");
}

function checkError(p, cls, re) {
  assert.ok(p.error, `expected ${cls.name}, got a result`);
  assert.equal(p.error.name, cls.name, p.error.message);
  assert.equal(p.error.code, cls.code);
  assert.ok(p.error.isOcrError);
  if (re) assert.match(p.error.message, re);
}

const quad = (x, y, w, h) => (y < h / 2 ? (x < w / 2 ? [255, 0, 0] : [0, 255, 0]) : x < w / 2 ? [0, 0, 255] : [255, 255, 0]);

/** A copy of a JPEG with `n` 65,000-byte APP15 segments right after SOI (metadata-heavy cameras). */
function withAppSegments(jpeg, n) {
  const seg = Buffer.alloc(65_002);
  seg[0] = 0xff;
  seg[1] = 0xef;
  seg.writeUInt16BE(65_000, 2);
  return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), ...Array(n).fill(seg), Buffer.from(jpeg.subarray(2))]));
}

/** 640×400 quadrant JPEG (baseline, 4:2:0) made by sharp. */
async function quadrantJpeg(opts = {}) {
  const raw = Buffer.alloc(640 * 400 * 3);
  for (let y = 0; y < 400; y++) for (let x = 0; x < 640; x++) raw.set(quad(x, y, 640, 400), (y * 640 + x) * 3);
  return new Uint8Array(await sharp(raw, { raw: { width: 640, height: 400, channels: 3 } }).jpeg({ quality: 90, ...opts }).toBuffer());
}

test("codec auto picks the browser codec; a small upright JPEG is passed through untouched", async () => {
  const jpeg = await quadrantJpeg();
  const p = await prepareBytes(jpeg, {});
  checkPrepared(p);
  assert.equal(p.passthrough, true);
  assert.equal(p.encodes, 0);
  assert.equal(p.quality, null);
  assert.equal(p.sourceFormat, "jpeg");
  const same = await h.page.evaluate((d) => {
    const bytes = T.b64ToBytes(d);
    return T.sameBytes(bytes, {}, bytes);
  }, b64(jpeg));
  assert.equal(same, true, "passthrough must be byte for byte");
});

test("EXIF orientations 1–8 come out upright, applied once (browser and wasm codecs)", async () => {
  // Display corners [TL, TR, BL, BR] in terms of the stored quadrants for each orientation.
  const stored = { TL: "red", TR: "green", BL: "blue", BR: "yellow" };
  const expected = {
    1: ["TL", "TR", "BL", "BR"], 2: ["TR", "TL", "BR", "BL"], 3: ["BR", "BL", "TR", "TL"], 4: ["BL", "BR", "TL", "TR"],
    5: ["TL", "BL", "TR", "BR"], 6: ["BL", "TL", "BR", "TR"], 7: ["BR", "TR", "BL", "TL"], 8: ["TR", "BR", "TL", "BL"],
  };
  const jpeg = await quadrantJpeg();
  for (const codec of ["browser", "wasm"]) {
    for (let o = 1; o <= 8; o++) {
      const p = await prepareBytes(withExifOrientation(jpeg, o), { codec });
      checkPrepared(p, 1_000_000, codec);
      assert.deepEqual([p.width, p.height], o >= 5 ? [400, 640] : [640, 400], `${codec} orientation ${o}`);
      assert.deepEqual(p.corners, expected[o].map((k) => stored[k]), `${codec} orientation ${o}`);
      assert.equal(p.orientationApplied, o);
      assert.equal(p.passthrough, o === 1);
    }
  }
  // A resized rotated photo: orientation and downscale together (header dims are stored, not upright).
  const big = new Uint8Array(await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#00f" } })
    .composite([{ input: { create: { width: 1500, height: 1000, channels: 3, background: "#f00" } }, left: 0, top: 0 }])
    .jpeg().toBuffer());
  for (const codec of ["browser", "wasm"]) {
    const p = await prepareBytes(withExifOrientation(big, 6), { codec });
    checkPrepared(p, 1_000_000, codec);
    assert.deepEqual([p.width, p.height], [1365, 2048], codec);
    assert.deepEqual(p.corners, ["blue", "red", "blue", "blue"], codec);
  }
});

test("each JPEG decode route (DCT 1/2, DCT 1/4 via <img>, free resize) keeps orientation and size", async () => {
  // 2000×1200 stored, orientation 6 → upright 1200×2000; caps chosen to hit each route.
  const raw = Buffer.alloc(2000 * 1200 * 3);
  for (let y = 0; y < 1200; y++) for (let x = 0; x < 2000; x++) raw.set(quad(x, y, 2000, 1200), (y * 2000 + x) * 3);
  const jpeg = withExifOrientation(new Uint8Array(await sharp(raw, { raw: { width: 2000, height: 1200, channels: 3 } }).jpeg().toBuffer()), 6);
  const routes = [[1000, [600, 1000]], [500, [300, 500]], [800, [480, 800]], [250, [150, 250]]];
  for (const [cap, dims] of routes) {
    for (const codec of ["browser", "wasm"]) {
      const p = await prepareBytes(jpeg, { codec, maxLongSidePx: cap });
      checkPrepared(p, 1_000_000, codec);
      assert.deepEqual([p.width, p.height], dims, `${codec} cap ${cap}`);
      assert.deepEqual(p.corners, ["blue", "red", "yellow", "green"], `${codec} cap ${cap}`);
      assert.equal(p.orientationApplied, 6);
    }
  }
});

/** How many WebCodecs ImageDecoders the page has made (counted by a subclass installed on first use). */
function imageDecodersMade() {
  return h.page.evaluate(() => {
    if (!globalThis.__decoders) {
      globalThis.__decoders = { n: 0 };
      const Base = globalThis.ImageDecoder;
      globalThis.ImageDecoder = class extends Base {
        constructor(init) {
          super(init);
          globalThis.__decoders.n++;
        }
      };
    }
    return globalThis.__decoders.n;
  });
}

/** Run `fn` with WebCodecs' ImageDecoder hidden in the page (the routes browsers without it take). */
async function withoutImageDecoder(fn) {
  await h.page.evaluate(() => {
    globalThis.__ImageDecoder = globalThis.ImageDecoder;
    globalThis.ImageDecoder = undefined;
  });
  try {
    return await fn();
  } finally {
    await h.page.evaluate(() => {
      globalThis.ImageDecoder = globalThis.__ImageDecoder;
    });
  }
}

test("DCT-scaled decodes (ImageDecoder, and the routes without it): EXIF 1–8 upright once, exact size, baseline and progressive", async () => {
  // 1280×800 stored quadrants; cap 640 lands on the 1/2 DCT scale, cap 320 on 1/4, cap 160 on 1/8;
  // caps 600 and 400 are off the snap: decoded at 5/8 and 4/8, then resized by 0.75 and 0.625.
  const raw = Buffer.alloc(1280 * 800 * 3);
  for (let y = 0; y < 800; y++) for (let x = 0; x < 1280; x++) raw.set(quad(x, y, 1280, 800), (y * 1280 + x) * 3);
  const stored = { TL: "red", TR: "green", BL: "blue", BR: "yellow" };
  const expected = {
    1: ["TL", "TR", "BL", "BR"], 2: ["TR", "TL", "BR", "BL"], 3: ["BR", "BL", "TR", "TL"], 4: ["BL", "BR", "TL", "TR"],
    5: ["TL", "BL", "TR", "BR"], 6: ["BL", "TL", "BR", "TR"], 7: ["BR", "TR", "BL", "TL"], 8: ["TR", "BR", "TL", "BL"],
  };
  const check = async (label) => {
    for (const progressive of [false, true]) {
      const jpeg = new Uint8Array(await sharp(raw, { raw: { width: 1280, height: 800, channels: 3 } }).jpeg({ quality: 90, progressive }).toBuffer());
      for (const [cap, long] of [[640, 640], [320, 320], [160, 160], [600, 600], [400, 400]]) {
        for (let o = 1; o <= 8; o++) {
          const name = `${label} ${progressive ? "progressive" : "baseline"} cap ${cap} orientation ${o}`;
          // Bytes (copied by the decoder) and, for a few, a Blob (read into a copy handed over to it).
          const viaBlob = o === 1 || o === 6 || o === 7;
          const p = await (viaBlob ? prepareBlob : prepareBytes)(withExifOrientation(jpeg, o), { codec: "browser", maxLongSidePx: cap });
          checkPrepared(p);
          if (viaBlob) assert.ok(p.sameAgain, `${name}: the same Blob prepared twice gives the same result`);
          const short = Math.round((long * 5) / 8);
          assert.deepEqual([p.width, p.height], o >= 5 ? [short, long] : [long, short], name);
          assert.deepEqual(p.corners, expected[o].map((k) => stored[k]), name);
          assert.equal(p.orientationApplied, o, name);
          assert.equal(p.passthrough, false, name);
        }
      }
    }
  };
  assert.equal(await h.page.evaluate(() => typeof ImageDecoder), "function", "this Chromium has WebCodecs ImageDecoder");
  const before = await imageDecodersMade();
  await check("ImageDecoder");
  assert.equal((await imageDecodersMade()) - before, 2 * 5 * 11, "every case took the ImageDecoder route");
  await withoutImageDecoder(() => check("no ImageDecoder"));
  // Odd sizes: the DCT scales round up (libjpeg's output size), the reported size is the JPEG's.
  const odd = Buffer.alloc(1283 * 803 * 3);
  for (let y = 0; y < 803; y++) for (let x = 0; x < 1283; x++) odd.set(quad(x, y, 1283, 803), (y * 1283 + x) * 3);
  const oddJpeg = new Uint8Array(await sharp(odd, { raw: { width: 1283, height: 803, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
  for (const [cap, dims] of [[642, [642, 402]], [321, [321, 201]], [161, [161, 101]]]) {
    for (const [o, upright] of [[1, dims], [6, [dims[1], dims[0]]]]) {
      const p = await prepareBlob(withExifOrientation(oddJpeg, o), { codec: "browser", maxLongSidePx: cap });
      checkPrepared(p);
      assert.deepEqual([p.width, p.height], upright, `odd size cap ${cap} orientation ${o}`);
      assert.deepEqual(p.corners, o === 1 ? ["red", "green", "blue", "yellow"] : ["blue", "red", "yellow", "green"], `odd size cap ${cap} orientation ${o}`);
    }
  }
});

test("JPEG variants (CMYK, grayscale, 4:4:4, progressive, restart markers, mozjpeg) on the DCT-scaled routes (on and off the snap) agree with the Rust codec", async () => {
  const names = ["cmyk_adobe.jpg", "cmyk_progressive.jpg", "sharp_gray_progressive.jpg", "sharp_progressive_444.jpg", "sharp_mozjpeg.jpg",
    "sharp_baseline.jpg", "restart_rows.jpg", "restart_progressive.jpg", "chromium_canvas.jpg", "progressive_exif8.jpg"];
  for (const name of names) {
    const bytes = fixture(name);
    const whole = await prepareBytes(bytes, { codec: "wasm" });
    checkPrepared(whole, 1_000_000, "wasm");
    const long = Math.max(whole.width, whole.height);
    for (const div of [2, 3, 4]) {
      const cap = Math.ceil(long / div);
      if (cap < 8) continue;
      const label = `${name} cap ${cap}`;
      const b = await prepareBytes(bytes, { codec: "browser", maxLongSidePx: cap });
      const r = await prepareBytes(bytes, { codec: "wasm", maxLongSidePx: cap });
      checkPrepared(b);
      checkPrepared(r, 1_000_000, "wasm");
      assert.deepEqual([b.width, b.height], [r.width, r.height], `${label}: same size`);
      assert.equal(b.orientationApplied, r.orientationApplied, label);
      // Flat-coloured fixtures: the corners say colour (CMYK inversion) and orientation are right;
      // the others are speckled, where resampling differences flip a corner's colour name.
      if (/cmyk|exif/.test(name)) assert.deepEqual(b.corners, r.corners, `${label}: same corner colours`);
    }
  }
});

test("no canvas over 16.7 MP (iOS draws those blank), on the resize and the DCT-scaled routes", async () => {
  const flat = async (w, hgt, format = "jpeg") => new Uint8Array(await sharp({ create: { width: w, height: hgt, channels: 3, background: "#00f" } })
    .composite([{ input: { create: { width: w / 2, height: hgt / 2, channels: 3, background: "#f00" } }, left: 0, top: 0 }])
    [format]().toBuffer());
  const opts = { codec: "browser", maxBase64Chars: 20_000_000, maxLongSidePx: 9000 };
  // 6000×4000 (24 MP) under a 9000 px cap: shrunk to the canvas limit, not kept at 24 MP (an
  // upright JPEG this small would be passed through untouched: rotated, and as PNG).
  for (const [bytes, o] of [[await flat(6000, 4000, "png"), 1], [withExifOrientation(await flat(6000, 4000), 6), 6]]) {
    const p = await prepareBytes(bytes, opts);
    checkPrepared(p, opts.maxBase64Chars);
    assert.ok(p.width * p.height <= 16_777_216, `${p.width}×${p.height}`);
    assert.ok(p.width * p.height > 16_000_000, `${p.width}×${p.height}: as large as the limit allows`);
    assert.deepEqual(p.corners, o === 1 ? ["red", "blue", "blue", "blue"] : ["blue", "red", "blue", "blue"]);
  }
  // 8000×6000 (48 MP) under a 4000 px cap lands on the 1/2 DCT scale: 4000×3000 (12 MP).
  const huge = await flat(8000, 6000);
  const p = await prepareBytes(withExifOrientation(huge, 3), { ...opts, maxLongSidePx: 4000 });
  checkPrepared(p, opts.maxBase64Chars);
  assert.deepEqual([p.width, p.height], [4000, 3000]);
  assert.deepEqual(p.corners, ["blue", "blue", "blue", "red"]);
});

test("where a bitmaprenderer canvas would lose the pixels, the decoded bitmap is drawn instead", async () => {
  // A fresh page whose ImageBitmapRenderingContext drops what it is given (an engine bug the codec
  // checks for once, before relying on it): the photo must still come out whole, not blank.
  const page = await h.browser.newPage();
  try {
    await page.goto(`${h.server.url}/__blank.html`);
    const raw = Buffer.alloc(1280 * 800 * 3);
    for (let y = 0; y < 800; y++) for (let x = 0; x < 1280; x++) raw.set(quad(x, y, 1280, 800), (y * 1280 + x) * 3);
    const jpeg = await sharp(raw, { raw: { width: 1280, height: 800, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
    const p = await page.evaluate(async (data) => {
      const T = await import("/tests/browser/page.js");
      ImageBitmapRenderingContext.prototype.transferFromImageBitmap = function () {};
      return T.run(T.b64ToBytes(data), { codec: "browser", maxLongSidePx: 640 });
    }, b64(jpeg));
    checkPrepared(p);
    assert.deepEqual([p.width, p.height], [640, 400]);
    assert.deepEqual(p.corners, ["red", "green", "blue", "yellow"]);
  } finally {
    await page.close();
  }
});

test("a JPEG cut short and re-closed is refused on the DCT-scaled routes too", async () => {
  const { InvalidImageError } = nodeOcr;
  const jpeg = await h.page.evaluate(async () => Array.from(await T.noisyJpeg(2400, 1600, { seed: 5 })));
  const cut = new Uint8Array([...truncated(new Uint8Array(jpeg), 0.8), 0xff, 0xd9]);
  const run = async () => {
    for (const cap of [1200, 600, 1000, 2048]) {
      checkError(await prepareBytes(cut, { codec: "browser", maxLongSidePx: cap }), InvalidImageError, /truncated/);
      checkError(await prepareBlob(cut, { codec: "browser", maxLongSidePx: cap }), InvalidImageError, /truncated/);
      checkError(await prepareBlob(cut.subarray(0, cut.length - 2000), { codec: "browser", maxLongSidePx: cap }), InvalidImageError, /truncated/);
      const ok = await prepareBytes(new Uint8Array(jpeg), { codec: "browser", maxLongSidePx: cap, maxBase64Chars: 300_000 });
      checkPrepared(ok, 300_000);
      assert.ok(ok.base64Length >= 0.92 * 300_000 || ok.quality >= 95, `budget use ${ok.base64Length} at q${ok.quality}`);
    }
  };
  // The integrity walk's shortcut (file ends in EOI) and its full walk (anything after EOI) agree:
  // a cut just before the end is refused, bytes after a complete picture (a vendor trailer, an
  // appended second JPEG as in MPF files) are not.
  const whole = new Uint8Array(jpeg);
  const quadrant = await quadrantJpeg();
  const endings = [
    ["cut 10 bytes before the end", whole.subarray(0, whole.length - 10), true],
    ["cut 2 bytes before the end (no EOI)", whole.subarray(0, whole.length - 2), true],
    ["trailer after EOI", new Uint8Array([...whole, ...new TextEncoder().encode("VENDOR-TRAILER\0\0\0")]), false],
    ["second JPEG appended", new Uint8Array([...whole, ...quadrant]), false],
  ];
  for (const [name, bytes, refused] of endings) {
    for (const input of [prepareBytes, prepareBlob]) {
      const p = await input(bytes, { codec: "browser", maxLongSidePx: 1200 });
      if (refused) checkError(p, InvalidImageError, /truncated/);
      else {
        checkPrepared(p);
        assert.deepEqual([p.width, p.height], [1200, 800], name);
      }
    }
  }
  const before = await imageDecodersMade();
  await run();
  // Per DCT cap (1/2, 1/4, and 5/8 then a resize for 1000; 2048 is a free resize of a full
  // decode): the re-closed file as bytes (1) and as a Blob (prepared twice: 2), the intact one
  // (1); the Blob cut without EOI is refused by the scan before any decode.
  assert.equal((await imageDecodersMade()) - before, 3 * 4, "the DCT-scaled cases took the ImageDecoder route");
  await withoutImageDecoder(run);
});

test("every format becomes an upright JPEG within budget", async () => {
  const pix = documentPixel(3);
  const gray = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#777" } }).toColourspace("b-w").jpeg().toBuffer();
  const progressive = await quadrantJpeg({ progressive: true });
  const gif = await sharp(Buffer.from(png(160, 100, (x, y) => quad(x, y, 160, 100)))).gif().toBuffer();
  const webpLossless = await sharp(Buffer.from(png(160, 100, (x, y) => quad(x, y, 160, 100)))).webp({ lossless: true }).toBuffer();
  const cases = {
    "progressive jpeg (passthrough)": [progressive, "jpeg", 640, 400, true],
    "progressive jpeg rotated": [withExifOrientation(progressive, 3), "jpeg", 640, 400, false],
    "grayscale jpeg": [gray, "jpeg", 300, 200, true],
    "jpeg with 600 KB of metadata before the frame header": [withAppSegments(withExifOrientation(progressive, 6), 9), "jpeg", 400, 640, false],
    "cmyk jpeg": [fixture("cmyk_adobe.jpg"), "jpeg", null, null, false],
    "progressive exif 8 fixture": [fixture("progressive_exif8.jpg"), "jpeg", null, null, false],
    png: [png(320, 200, pix), "png", 320, 200, false],
    bmp: [bmp(300, 200, pix), "bmp", 300, 200, false],
    gif: [gif, "gif", 160, 100, false],
    "webp lossy": [fixture("lossy.webp"), "webp", null, null, false],
    "webp lossy alpha": [fixture("lossy_alpha.webp"), "webp", null, null, false],
    "webp lossless": [webpLossless, "webp", 160, 100, false],
    "webp exif 6": [fixture("exif6.webp"), "webp", null, null, false],
  };
  for (const [name, [bytes, format, w, hgt, passthrough]] of Object.entries(cases)) {
    const p = await prepareBytes(bytes, {});
    checkPrepared(p);
    assert.equal(p.sourceFormat, format, name);
    assert.equal(p.passthrough, passthrough, name);
    if (w) assert.deepEqual([p.width, p.height], [w, hgt], name);
    if (name === "gif" || name === "webp lossless") assert.deepEqual(p.corners, ["red", "green", "blue", "yellow"], name);
    // The same input through the Rust codec agrees on the upright size.
    const r = await prepareBytes(bytes, { codec: "wasm" });
    checkPrepared(r, 1_000_000, "wasm");
    assert.deepEqual([r.width, r.height], [p.width, p.height], `${name}: wasm and browser agree on the size`);
  }
});

/** Progressive DC refinement scans (Ss = Se = 0, Ah > 0) of a JPEG: [first data byte, end]. */
function dcRefinementScans(b) {
  const out = [];
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff && b[i + 1] !== 0xd9) {
    const len = (b[i + 2] << 8) | b[i + 3];
    const header = b.subarray(i + 4, i + 2 + len);
    const marker = b[i + 1];
    i += 2 + len;
    if (marker !== 0xda) continue;
    const start = i;
    while (!(b[i] === 0xff && b[i + 1] !== 0 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7))) i++;
    const ss = 1 + header[0] * 2;
    if (header[ss] === 0 && header[ss + 1] === 0 && header[ss + 2] >> 4 !== 0) out.push([start, i]);
  }
  return out;
}

test("a progressive JPEG cut inside a DC refinement scan and re-closed is refused (as by the Rust codec)", async () => {
  const { InvalidImageError } = nodeOcr;
  // libjpeg's default progressive script (DC first at Al 1, then a DC refinement scan).
  let cuts = 0;
  for (const name of ["cmyk_progressive.jpg", "restart_progressive.jpg"]) {
    const jpeg = fixture(name);
    const refinements = dcRefinementScans(jpeg);
    assert.ok(refinements.length > 0, `${name} has a DC refinement scan`);
    checkPrepared(await prepareBytes(jpeg, { codec: "browser", maxLongSidePx: 64 }));
    for (const [start, end] of refinements) {
      const at = start + Math.floor((end - start) / 2);
      const cut = new Uint8Array([...jpeg.subarray(0, at), 0xff, 0xd9]);
      for (const codec of ["browser", "wasm"]) {
        checkError(await prepareBytes(cut, { codec, maxLongSidePx: 64 }), InvalidImageError, /truncated/);
      }
      cuts++;
    }
  }
  assert.ok(cuts >= 2);
});

test("transparent PNG pixels are flattened on white", async () => {
  const p = await prepareBytes(png(200, 100, (x) => (x < 100 ? [0, 0, 0, 0] : [0, 0, 255, 255]), { alpha: true }), {});
  checkPrepared(p);
  assert.deepEqual(p.corners, ["white", "blue", "white", "blue"]);
});

test('the default target "legible": a 12 MP photo goes out at 1600 px and q ≤ 85, far under what "budget" sends', async () => {
  const [legible, budget] = await h.page.evaluate(async () => {
    const photo = await T.noisyJpeg(4000, 3000, { seed: 6, amplitude: 12 });
    return [await T.run(photo, { target: undefined }), await T.run(photo, { target: "budget" })];
  });
  checkPrepared(legible);
  assert.equal(legible.codec, "browser");
  assert.deepEqual([legible.width, legible.height], [1600, 1200]);
  assert.ok(legible.quality <= 85, `q${legible.quality}`);
  assert.ok(legible.base64Length < 0.7 * budget.base64Length, `legible ${legible.base64Length} vs budget ${budget.base64Length}`);
});

test('"legible" sizes by the text as the Rust codec does: a 行驶证 filling the frame goes out at the providers\' floor from both codecs; a small file too', async () => {
  // A document filling 84 % of a 12 MP frame (bench/docgen.mjs): the quality report finds its outline.
  const [W, H] = [4000, 3000];
  const raw = sharp(documentPhoto(W, H, { glyphFrac: 1 / 66, noise: 4, seed: 5 }), { raw: { width: W, height: H, channels: 3 } });
  const photo = new Uint8Array(await raw.clone().jpeg({ quality: 90 }).toBuffer());
  const licence = { target: "legible", document: "vehicleLicenseFront" };
  const browser = await prepareBytes(photo, licence);
  const wasm = await prepareBytes(photo, { ...licence, codec: "wasm" });
  const node = await nodeOcr.prepareImage(photo, { ...licence, codec: "wasm" });
  checkPrepared(browser);
  checkPrepared(wasm, 1_000_000, "wasm");
  // A picked file (Blob): its bytes are handed over to the decoder (a 5/8 decode), the size is planned again from the header.
  const file = await prepareBlob(photo, licence);
  checkPrepared(file);
  for (const p of [browser, wasm, node, file]) assert.deepEqual([p.width, p.height], [1067, 800]);
  const bad = await prepareBytes(photo, { target: "legible", document: "passport" });
  assert.deepEqual([bad.error?.name, /document/.test(bad.error?.message)], ["ConfigError", true]);
  // No document: nothing measured, 1600 px from both codecs; a 登记证书 page (smaller text relative to
  // it) larger than the licence, within 1600, about what the Rust codec decides (each measures on
  // its own decode).
  const unknown = await prepareBytes(photo, { target: "legible" });
  const nodeUnknown = await nodeOcr.prepareImage(photo, { codec: "wasm" });
  checkPrepared(unknown);
  for (const p of [unknown, nodeUnknown]) assert.deepEqual([p.width, p.height], [1600, 1200]);
  const page = await prepareBytes(photo, { target: "legible", document: "registrationCertificate" });
  const nodePage = await nodeOcr.prepareImage(photo, { codec: "wasm", document: "registrationCertificate" });
  checkPrepared(page);
  assert.ok(page.width > 1067 && page.width <= 1600 && Math.abs(page.width - nodePage.width) <= 0.05 * nodePage.width, `${page.width} vs ${nodePage.width}`);
  // "budget" ignores the text.
  assert.equal((await prepareBytes(photo, { target: "budget", document: "vehicleLicenseFront" })).width, 2000);
  // A small file "budget" would send as it is is still sized by its text under "legible".
  const small = new Uint8Array(await raw.clone().resize(1600, 1200).jpeg({ quality: 85 }).toBuffer());
  const kept = await prepareBytes(small, { target: "budget" });
  assert.equal(kept.passthrough, true);
  const sized = await prepareBytes(small, licence);
  checkPrepared(sized);
  assert.deepEqual([sized.passthrough, sized.width, sized.height], [false, 1067, 800]);
  assert.ok(sized.base64Length < kept.base64Length);
});

test('"legible" follows the Rust noise rule: a noisy photo goes out at q 70, a quiet one and a pinned quality at 85', async () => {
  const [noisy, pinned, quiet] = await h.page.evaluate(async () => {
    const photo = await T.noisyJpeg(4000, 3000, { seed: 7, amplitude: 32 });
    const calm = await T.noisyJpeg(4000, 3000, { seed: 7, amplitude: 2 });
    const legible = { target: "legible" };
    return [await T.run(photo, legible), await T.run(photo, { ...legible, minQuality: 85 }), await T.run(calm, legible)];
  });
  for (const p of [noisy, pinned, quiet]) checkPrepared(p);
  assert.deepEqual([noisy.codec, noisy.width, noisy.height], ["browser", 1600, 1200]);
  assert.equal(noisy.quality, 70);
  assert.equal(pinned.quality, 85);
  assert.equal(quiet.quality, 85);
  assert.ok(noisy.base64Length < 0.8 * pinned.base64Length, `noisy ${noisy.base64Length} vs pinned ${pinned.base64Length}`);
});

test("a 12 MP detailed photo: downscaled to the cap, budget spent well, few encodes, at every budget", async () => {
  for (const budget of [1_000_000, 300_000, 50_000]) {
    const p = await h.page.evaluate(async (b) => T.run(await T.noisyJpeg(4000, 3000), { maxBase64Chars: b }), budget);
    checkPrepared(p, budget);
    assert.ok(Math.max(p.width, p.height) <= 2048);
    assert.ok(p.base64Length >= 0.92 * budget || p.quality >= 95, `budget use ${(p.base64Length / budget).toFixed(3)} at q${p.quality}`);
    assert.ok(p.quality >= 70 && p.quality <= 95, `quality ${p.quality} outside the policy window`);
    assert.ok(p.encodes >= 1 && p.encodes <= 4, `encodes ${p.encodes}`);
    assert.equal(p.passthrough, false);
  }
  // 4000 px decodes at 1/2 in the DCT domain: no resampling to 2048.
  const p = await h.page.evaluate(async () => T.run(await T.noisyJpeg(4000, 3000), {}));
  assert.deepEqual([p.width, p.height], [2000, 1500]);
});

test("the budget invariant holds across budgets, sources and both codecs in the page", async () => {
  const results = await h.page.evaluate(async () => {
    const sources = {
      noisy: await T.noisyJpeg(2400, 1800, { seed: 11 }),
      smooth: new Uint8Array(await (await T.quadrantCanvas(2400, 1800).convertToBlob({ type: "image/png" })).arrayBuffer()),
    };
    const out = [];
    for (const [name, bytes] of Object.entries(sources)) {
      for (const budget of [30_000, 75_001, 150_002, 333_333, 640_000, 999_999]) {
        for (const codec of ["browser", "wasm"]) {
          const p = await T.run(bytes, { codec, maxBase64Chars: budget });
          out.push({ name, budget, codec, p });
        }
      }
    }
    return out;
  });
  for (const { name, budget, codec, p } of results) {
    checkPrepared(p, budget, codec);
    const label = `${name} ${codec} budget ${budget}: use ${(p.base64Length / budget).toFixed(3)} q${p.quality} ${p.width}×${p.height}`;
    assert.ok(p.base64Length >= 0.92 * budget || p.quality >= 95, label);
    assert.ok(p.quality >= 70, label);
  }
});

test("a tiny budget shrinks the picture instead of going under minQuality", async () => {
  const p = await h.page.evaluate(async () => T.run(await T.noisyJpeg(2000, 1500, { seed: 4 }), { maxBase64Chars: 40_000 }));
  checkPrepared(p, 40_000);
  assert.ok(p.quality >= 70, `quality ${p.quality}`);
  assert.ok(p.width < 2000);
  const low = await h.page.evaluate(async () => T.run(await T.noisyJpeg(2000, 1500, { seed: 4 }), { maxBase64Chars: 200 }));
  checkError(low, nodeOcr.ImageTooLargeError);
});

test("small images are never upscaled", async () => {
  const p = await prepareBytes(png(64, 40, documentPixel(2)), {});
  checkPrepared(p);
  assert.deepEqual([p.width, p.height], [64, 40]);
});

/** A copy of a JPEG with its frame marker replaced (e.g. 0xC3, lossless: no browser decodes it). */
function withSofMarker(jpeg, marker) {
  const b = new Uint8Array(jpeg);
  for (let i = 2; i + 1 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] >= 0xc0 && b[i + 1] <= 0xc2) {
      b[i + 1] = marker;
      return b;
    }
  }
  throw new Error("no SOF");
}

/** A JPEG whose SOF announces `w`×`h` (the scan is the original's): a decompression bomb's head. */
function jpegWithDims(jpeg, w, hgt) {
  const b = new Uint8Array(jpeg);
  for (let i = 2; i + 9 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] >= 0xc0 && b[i + 1] <= 0xc2) {
      b[i + 5] = hgt >> 8; b[i + 6] = hgt & 255; b[i + 7] = w >> 8; b[i + 8] = w & 255;
      return b;
    }
  }
  throw new Error("no SOF");
}

test("bad input gets a clear typed error, and the codec keeps working after each", async () => {
  const jpeg = await quadrantJpeg();
  const pngBytes = png(320, 200, documentPixel(1));
  const gif = await sharp(Buffer.from(pngBytes)).gif().toBuffer();
  const { InvalidImageError, UnsupportedFormatError, ImageTooLargeError } = nodeOcr;
  // A JPEG with restart markers (made by Pillow, restart every 4 MCUs) cut after its 6th RST and
  // closed with EOI: every segment is intact, only the marker count shows the missing rows.
  const restart = new Uint8Array(readFileSync(new URL("./fixtures/restart.jpg", import.meta.url)));
  let rst = 0;
  let cut = 0;
  for (let i = 0; i + 1 < restart.length && !cut; i++) if (restart[i] === 0xff && restart[i + 1] >= 0xd0 && restart[i + 1] <= 0xd7 && ++rst === 6) cut = i;
  const reclosed = new Uint8Array([...restart.subarray(0, cut), 0xff, 0xd9]);
  const intact = await prepareBytes(restart, {});
  checkPrepared(intact);
  assert.equal(intact.passthrough, true);
  const cases = [
    ["jpeg cut short and re-closed (restart markers)", reclosed, InvalidImageError, /truncated/],
    ["jpeg cut at 80% and re-closed (no restart markers)", new Uint8Array([...truncated(jpeg, 0.8), 0xff, 0xd9]), InvalidImageError, /truncated/],
    ["empty", new Uint8Array(0), InvalidImageError],
    ["html", new TextEncoder().encode("<html>not an image</html>"), InvalidImageError],
    ["jpeg cut at 60%", truncated(jpeg, 0.6), InvalidImageError, /truncated/],
    ["jpeg cut at 97%", truncated(jpeg, 0.97), InvalidImageError, /truncated/],
    ["jpeg without EOI", jpeg.slice(0, jpeg.length - 2), InvalidImageError, /truncated/],
    ["jpeg header only", jpeg.slice(0, 600), InvalidImageError],
    ["png cut", truncated(pngBytes, 0.7), InvalidImageError, /truncated/],
    ["gif cut", truncated(new Uint8Array(gif), 0.5), InvalidImageError, /truncated/],
    ["webp cut", truncated(fixture("lossy.webp"), 0.5), InvalidImageError, /truncated/],
    ["bmp cut", truncated(bmp(100, 100, documentPixel(1)), 0.5), InvalidImageError, /truncated/],
    ["heic", HEIC_HEAD, UnsupportedFormatError, /HEIC/],
    ["lossless JPEG frame (SOF3)", withSofMarker(jpeg, 0xc3), UnsupportedFormatError, /JPEG variant/],
    ["png bomb header", pngHeaderOnly(20000, 10000), ImageTooLargeError, /megapixel/],
    ["jpeg bomb header", jpegWithDims(jpeg, 60000, 60000), ImageTooLargeError, /megapixel/],
  ];
  for (const [name, bytes, cls, re] of cases) {
    for (const codec of ["browser", "auto"]) {
      checkError(await prepareBytes(bytes, { codec }), cls, re);
    }
    const ok = await prepareBytes(pngBytes, {});
    checkPrepared(ok);
    assert.ok(name);
  }
  const small = await prepareBytes(pngBytes, { maxSourcePixels: 10_000 });
  checkError(small, ImageTooLargeError);
});

test("codec wasm works in the browser too, and codec browser is refused where it cannot run (Node)", async () => {
  const p = await h.page.evaluate(async () => T.run(await T.noisyJpeg(3000, 2000, { seed: 7 }), { codec: "wasm" }));
  checkPrepared(p, 1_000_000, "wasm");
  assert.ok(p.base64Length >= 920_000 || p.quality >= 95);
  // What a trap in the codec triggers (npm/src/api.js): re-instantiating the module synchronously
  // on the page's main thread gives fresh memory, and the codec keeps working.
  const restarted = await h.page.evaluate(async () => {
    const codec = await import("/npm/wasm/vehicle_doc_ocr_image.js");
    const before = codec.initSync({}).memory.buffer.byteLength;
    codec.__wbg_reset_state();
    const after = codec.initSync({}).memory.buffer.byteLength;
    return { before, after, again: await T.run(await T.noisyJpeg(3000, 2000, { seed: 7 }), { codec: "wasm" }) };
  });
  assert.ok(restarted.after < restarted.before, JSON.stringify([restarted.before, restarted.after]));
  checkPrepared(restarted.again, 1_000_000, "wasm");
  assert.equal(restarted.again.base64Length, p.base64Length, "same output after the restart");
  const forced = await h.page.evaluate(async () => T.run(await T.noisyJpeg(3000, 2000, { seed: 7 }), { codec: "browser" }));
  checkPrepared(forced, 1_000_000, "browser");
  // In Node there is no canvas: auto means wasm, browser is a clear error.
  const jpeg = await quadrantJpeg();
  const auto = await nodeOcr.prepareImage(withExifOrientation(jpeg, 6), {});
  assert.equal(auto.codec, "wasm");
  const err = await nodeOcr.prepareImage(jpeg, { codec: "browser" }).catch((e) => e);
  assert.ok(err instanceof nodeOcr.UnsupportedFormatError, String(err));
  assert.match(err.message, /browser/);
});

test("where the canvas cannot write JPEG, its pixels go through the Rust encoder", async () => {
  const p = await h.page.evaluate(async () => {
    const original = OffscreenCanvas.prototype.convertToBlob;
    OffscreenCanvas.prototype.convertToBlob = function () {
      return original.call(this, { type: "image/png" }); // what a canvas without a JPEG encoder returns
    };
    try {
      return await T.run(await (async () => {
        const c = T.quadrantCanvas(3000, 2000);
        return new Uint8Array(await (await original.call(c, { type: "image/png" })).arrayBuffer());
      })(), {});
    } finally {
      OffscreenCanvas.prototype.convertToBlob = original;
    }
  });
  checkPrepared(p, 1_000_000, "wasm");
  assert.equal(p.sourceFormat, "png");
  assert.deepEqual([p.width, p.height], [2048, 1365]);
  assert.deepEqual(p.corners, ["red", "green", "blue", "yellow"]);
});

test("drawable inputs: ImageBitmap, canvas, OffscreenCanvas, <img>, <video> (current frame)", async () => {
  const results = await h.page.evaluate(async () => {
    const out = {};
    out.offscreen = await T.run(T.quadrantCanvas(640, 400), {});
    out.canvas = await T.run(T.quadrantCanvas(640, 400, "element"), {});
    out.canvasWasm = await T.run(T.quadrantCanvas(640, 400, "element"), { codec: "wasm" });
    out.bigCanvas = await T.run(T.quadrantCanvas(4000, 3000), {});
    const bitmap = await createImageBitmap(T.quadrantCanvas(640, 400));
    out.bitmap = await T.run(bitmap, {});
    bitmap.close();
    out.closedBitmap = await T.run(bitmap, {});
    // <img> from a rotated JPEG: the element shows it upright, so that is what is sent.
    const jpegBlob = await T.quadrantCanvas(640, 400).convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const img = new Image();
    img.src = URL.createObjectURL(jpegBlob);
    await img.decode();
    out.img = await T.run(img, {});
    out.unloadedImg = await T.run(new Image(), {});
    // A cross-origin <img> without CORS taints the canvas: a clear error, not a SecurityError.
    const foreign = new Image();
    foreign.src = location.href.replace("127.0.0.1", "localhost").replace(/[^/]*$/, "crates/imaging/tests/fixtures/progressive_exif8.jpg");
    out.foreignLoaded = await foreign.decode().then(() => true, () => false);
    out.foreign = await T.run(foreign, {});
    // <video> playing a canvas stream: the current frame.
    const source = T.quadrantCanvas(320, 240, "element");
    document.body.append(source);
    const stream = source.captureStream(30);
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    out.videoBeforePlay = await T.run(video, {});
    await video.play();
    const g = source.getContext("2d");
    for (let i = 0; i < 100 && video.readyState < 2; i++) {
      g.fillStyle = "#f00";
      g.fillRect(0, 0, 1, 1); // keep the stream producing frames
      await new Promise((r) => setTimeout(r, 20));
    }
    out.videoReady = video.readyState;
    out.video = await T.run(video, {});
    video.pause();
    stream.getTracks().forEach((t) => t.stop());
    // recognize() with pixels and codec "none" is a configuration error, before any request.
    const err = await T.ocr.recognize(T.quadrantCanvas(64, 64), {
      document: "vehicleLicenseFront", apihz: { id: "1", key: "k", endpoints: ["http://127.0.0.1:9/x"] }, prepare: { codec: "none" },
    }).then(() => null, (e) => e.name);
    out.recognizeNone = err;
    return out;
  });
  for (const name of ["offscreen", "canvas", "bitmap", "img"]) {
    const p = results[name];
    checkPrepared(p);
    assert.equal(p.sourceFormat, "pixels", name);
    assert.deepEqual([p.width, p.height], [640, 400], name);
    assert.deepEqual(p.corners, ["red", "green", "blue", "yellow"], name);
    assert.equal(p.passthrough, false);
  }
  checkPrepared(results.canvasWasm, 1_000_000, "wasm");
  assert.deepEqual(results.canvasWasm.corners, ["red", "green", "blue", "yellow"]);
  checkPrepared(results.bigCanvas);
  assert.deepEqual([results.bigCanvas.width, results.bigCanvas.height], [2048, 1536]);
  checkError(results.closedBitmap, nodeOcr.InvalidImageError);
  checkError(results.unloadedImg, nodeOcr.InvalidImageError, /img/);
  assert.ok(results.foreignLoaded, "the cross-origin image did not load");
  checkError(results.foreign, nodeOcr.InvalidImageError, /origin/);
  checkError(results.videoBeforePlay, nodeOcr.InvalidImageError, /video/);
  assert.ok(results.videoReady >= 2, `video never got a frame (readyState ${results.videoReady})`);
  checkPrepared(results.video);
  assert.deepEqual([results.video.width, results.video.height], [320, 240]);
  assert.deepEqual(results.video.corners, ["red", "green", "blue", "yellow"]);
  assert.equal(results.recognizeNone, "ConfigError");
});

test("inside a Web Worker (no DOM, OffscreenCanvas only) the browser codec runs too", async () => {
  const jpeg = withExifOrientation(await quadrantJpeg(), 6);
  const upright = await quadrantJpeg();
  const r = await h.page.evaluate(async ([data, uprightData]) => {
    const src = `
      import * as ocr from "${location.origin}/npm/src/browser.js";
      self.onmessage = async (e) => {
        const out = [];
        for (const opts of [{}, { maxLongSidePx: 160 }, { codec: "wasm" }]) {
          try {
            const p = await ocr.prepareImage(e.data.bytes, opts);
            out.push({ codec: p.codec, width: p.width, height: p.height, base64Length: p.base64Length, orientationApplied: p.orientationApplied });
          } catch (err) {
            out.push({ error: err.name + ": " + err.message });
          }
        }
        // A picked file handed to the worker, at the 1/2 DCT scale (ImageDecoder, bytes handed over).
        let fromBlob;
        try {
          const p = await ocr.prepareImage(new Blob([e.data.upright], { type: "image/jpeg" }), { maxLongSidePx: 320 });
          const bm = await createImageBitmap(new Blob([p.bytes], { type: "image/jpeg" }));
          const c = new OffscreenCanvas(bm.width, bm.height);
          const g = c.getContext("2d");
          g.drawImage(bm, 0, 0);
          const px = (x, y) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
          fromBlob = { codec: p.codec, width: p.width, height: p.height, corners: [px(10, 10), px(bm.width - 11, 10), px(10, bm.height - 11), px(bm.width - 11, bm.height - 11)] };
        } catch (err) {
          fromBlob = { error: err.name + ": " + err.message };
        }
        self.postMessage({ out, fromBlob, hasDocument: typeof document !== "undefined" });
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([src], { type: "text/javascript" })), { type: "module" });
    const reply = new Promise((ok, fail) => {
      worker.onmessage = (e) => ok(e.data);
      worker.onerror = (e) => fail(new Error(e.message));
    });
    worker.postMessage({ bytes: T.b64ToBytes(data), upright: T.b64ToBytes(uprightData) });
    const res = await reply;
    worker.terminate();
    res.fromBlob.corners = res.fromBlob.corners?.map((c) => T.colorName(c));
    return res;
  }, [b64(jpeg), b64(upright)]);
  assert.equal(r.hasDocument, false);
  assert.deepEqual(r.out, [
    { codec: "browser", width: 400, height: 640, base64Length: r.out[0].base64Length, orientationApplied: 6 },
    { codec: "browser", width: 100, height: 160, base64Length: r.out[1].base64Length, orientationApplied: 6 },
    { codec: "wasm", width: 400, height: 640, base64Length: r.out[2].base64Length, orientationApplied: 6 },
  ]);
  for (const o of r.out) assert.ok(o.base64Length > 0 && o.base64Length <= 1_000_000);
  assert.deepEqual(r.fromBlob, { codec: "browser", width: 320, height: 200, corners: ["red", "green", "blue", "yellow"] });
});

test("recognize() in the page prepares a canvas and an oversized photo and never sends over budget", async (t) => {
  const { startSim, apihzOptions } = await import("../node/helpers.mjs");
  const sim = await startSim();
  t.after(() => sim.close());
  // The simulator sends no CORS headers: the page talks to it through a Playwright route that adds them.
  const route = async (r) => {
    const req = r.request();
    const res = await fetch(req.url(), { method: req.method(), headers: req.headers(), body: req.postDataBuffer() ?? undefined });
    await r.fulfill({
      status: res.status,
      headers: { "content-type": res.headers.get("content-type") ?? "application/json", "access-control-allow-origin": "*" },
      body: Buffer.from(await res.arrayBuffer()),
    });
  };
  await h.page.route(`${sim.url}/**`, route);
  t.after(() => h.page.unroute(`${sim.url}/**`, route));
  const opts = apihzOptions(sim, "vehicleLicenseFront", { maxBase64Chars: 400_000, prepare: { target: "budget" } });
  const r = await h.page.evaluate(async (o) => {
    const out = {};
    for (const [name, image] of [["canvas", T.quadrantCanvas(3000, 2000)], ["jpeg", new Blob([await T.noisyJpeg(4000, 3000, { seed: 3 })])]]) {
      const stages = [];
      const res = await T.ocr.recognize(image, { ...o, onProgress: (e) => stages.push({ stage: e.stage, codec: e.image?.codec, base64Length: e.image?.base64Length }) });
      out[name] = { document: res.document, stages };
    }
    return out;
  }, opts);
  const calls = sim.calls();
  assert.equal(calls.length, 2);
  for (const [i, name] of ["canvas", "jpeg"].entries()) {
    assert.equal(r[name].document, "vehicleLicenseFront", name);
    assert.deepEqual(r[name].stages.map((s) => s.stage), ["preparing", "recognizing"], name);
    assert.equal(r[name].stages[1].codec, "browser", name);
    assert.equal(r[name].stages[1].base64Length, calls[i].base64Length, name);
    assert.ok(calls[i].base64Length <= 400_000, `${name}: sent ${calls[i].base64Length}`);
  }
  assert.ok(calls[1].base64Length >= 0.92 * 400_000, `the noisy photo should use the budget: ${calls[1].base64Length}`);
});

test("two EXIF orientation segments: the first decides, in both codecs (as browsers and libexif)", async () => {
  const jpeg = await quadrantJpeg();
  const two = withExifOrientation(withExifOrientation(jpeg, 3), 6); // 6 first, then 3
  for (const codec of ["browser", "wasm"]) {
    const p = await prepareBytes(two, { codec });
    checkPrepared(p, 1_000_000, codec);
    assert.equal(p.orientationApplied, 6, codec);
    assert.deepEqual([p.width, p.height], [400, 640], codec);
    assert.deepEqual(p.corners, ["blue", "red", "yellow", "green"], `${codec}: rotated once, by the first segment`);
  }
});

test("a passthrough JPEG with bytes after its EOI is sent up to EOI only; codec none hands checked bytes back", async () => {
  const jpeg = await quadrantJpeg();
  const trailing = new Uint8Array([...jpeg, ...Buffer.from("appended: another image or a maker note"), 0xff, 0xd9]);
  const pngBytes = png(120, 80, (x) => [x, 40, 200]);
  const r = await h.page.evaluate(async ([t, p]) => {
    const out = {};
    for (const codec of ["browser", "wasm", "none"]) {
      const got = await T.ocr.prepareImage(T.b64ToBytes(t), { codec });
      out[codec] = { length: got.bytes.length, passthrough: got.passthrough, end: [...got.bytes.subarray(-2)] };
    }
    const asIs = await T.ocr.prepareImage(T.b64ToBytes(p), { codec: "none" });
    out.png = { length: asIs.bytes.length, mimeType: asIs.mimeType, codec: asIs.codec, passthrough: asIs.passthrough };
    const refused = (input, o) => T.ocr.prepareImage(input, o).then(() => null, (e) => e.name);
    out.canvasNone = await refused(T.quadrantCanvas(64, 64), { codec: "none" });
    out.overBudget = await refused(T.b64ToBytes(p), { codec: "none", maxBase64Chars: 100 });
    return out;
  }, [b64(trailing), b64(pngBytes)]);
  for (const codec of ["browser", "wasm", "none"]) {
    assert.deepEqual(r[codec], { length: jpeg.length, passthrough: true, end: [0xff, 0xd9] }, codec);
  }
  assert.deepEqual(r.png, { length: pngBytes.length, mimeType: "image/png", codec: "none", passthrough: true });
  assert.equal(r.canvasNone, "ConfigError");
  assert.equal(r.overBudget, "ImageTooLargeError");
});

test("decompression bombs under the pixel cap are refused before decoding, in both codecs", async () => {
  // 1 × 100,000,000 px and a 10000 × 10000 lossless WebP of a few KB: typed errors, no decode.
  const tall = pngHeaderOnly(1, 100_000_000);
  const vp8l = Buffer.alloc(4006);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(9_999 | (9_999 << 14), 1);
  const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8L"), Buffer.alloc(4), vp8l]);
  webp.writeUInt32LE(webp.length - 8, 4);
  webp.writeUInt32LE(vp8l.length, 16);
  for (const codec of ["browser", "wasm"]) {
    checkError(await prepareBytes(tall, { codec }), nodeOcr.ImageTooLargeError, /65535/);
  }
  checkError(await prepareBytes(new Uint8Array(webp), { codec: "wasm" }), nodeOcr.ImageTooLargeError, /decompression bomb/);
});

test("assessImage and the quality gate explain bytes the browser cannot decode with prepare's typed errors", async () => {
  // The canvas cannot decode these; the browser's quality module has no decoders, so the main
  // module's structure check names the problem (and a gated recognize() sends nothing).
  const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: "#888" } }).jpeg().toBuffer();
  const inputs = { text: Buffer.from("not an image at all"), cut: truncated(new Uint8Array(jpeg)), heic: HEIC_HEAD };
  const r = await h.page.evaluate(async (given) => {
    const out = {};
    const name = (e) => ({ name: e?.name, message: e?.message });
    for (const [k, data] of Object.entries(given)) {
      out[k] = await T.ocr.assessImage(T.b64ToBytes(data)).then(() => null, name);
      let fetched = 0;
      const fetch = async () => (fetched++, new Response("{}"));
      const gated = await T.ocr
        .recognize(T.b64ToBytes(data), { document: "vehicleLicenseFront", apihz: { id: "1", key: "k" }, qualityGate: "block", fetch })
        .then(() => null, name);
      out[k + "Gate"] = { ...gated, fetched };
    }
    return out;
  }, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, b64(v)])));
  assert.equal(r.text.name, "InvalidImageError", r.text.message);
  assert.equal(r.cut.name, "InvalidImageError", r.cut.message);
  assert.match(r.cut.message, /cut short|truncated|incomplete/i);
  assert.equal(r.heic.name, "UnsupportedFormatError", r.heic.message);
  assert.match(r.heic.message, /HEIC/);
  for (const k of ["text", "cut", "heic"]) assert.deepEqual(r[k + "Gate"], { ...r[k], fetched: 0 }, k);
});

test("no uncaught page errors", () => {
  assert.deepEqual(h.errors.map(String), []);
});
