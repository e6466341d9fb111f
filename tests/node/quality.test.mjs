// The photo quality report (assessImage) and recognize()'s quality gate in Node: the quality
// module decodes the bytes itself; real fetch against the provider simulator.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import sharp from "sharp";
import { documentPhoto } from "../../bench/docgen.mjs";
import * as ocr from "../../npm/src/node.js";
import { apihzOptions, assertNoSecrets, billable, rejection as rejectionOf, startSim } from "./helpers.mjs";

const { assessImage, recognize, PoorImageError, ConfigError } = ocr;
/** Await a rejection of class `cls`, with the common checks and `more(err)`. */
const rejection = (promise, cls, more = () => {}) =>
  rejectionOf(promise, cls, (err) => {
    assertNoSecrets(assert, err, cls.name);
    more(err);
  });
const W = 1600;
const H = 1200;
const raw = documentPhoto(W, H, { glyphFrac: 1 / 66, noise: 6, seed: 3 });
const jpeg = (img) => img.jpeg({ quality: 90 }).toBuffer().then((b) => new Uint8Array(b));
const photo = (f = (i) => i) => jpeg(f(sharp(raw, { raw: { width: W, height: H, channels: 3 } })));

let sharpPhoto;
let blurryPhoto;
let darkPhoto;
let tablePhoto;
let sim;
before(async () => {
  sim = await startSim();
  sharpPhoto = await photo();
  blurryPhoto = await photo((i) => i.blur(14));
  darkPhoto = await photo((i) => i.linear(0.08, 0));
  // The table alone: no document in the frame.
  tablePhoto = await jpeg(sharp(raw, { raw: { width: W, height: H, channels: 3 } }).extract({ left: 0, top: 0, width: 90, height: 90 }).resize(W, H));
});
after(() => sim.close());
beforeEach(() => sim.reset());

describe("assessImage", () => {
  test("a sharp, well-lit document on a table: ok, with its outline", async () => {
    const q = await assessImage(sharpPhoto);
    assert.equal(q.verdict, "ok", JSON.stringify(q));
    assert.deepEqual(q.reasons, []);
    assert.equal(q.document.found, true);
    assert.equal(q.document.cutOff, false);
    // docgen puts the document at 8–92 % of each side.
    const xs = q.document.quad.map((c) => c[0]);
    assert.ok(Math.min(...xs) > 0.03 && Math.min(...xs) < 0.13 && Math.max(...xs) > 0.87 && Math.max(...xs) < 0.97, JSON.stringify(q.document.quad));
    assert.ok(q.textHeightPx > 12);
    assert.equal(typeof q.elapsedMs, "number");
  });

  test("the same document out of focus is blurry; in the dark it is dark; each with guidance in both languages", async () => {
    const blurry = await assessImage(blurryPhoto);
    assert.equal(blurry.verdict, "retake");
    assert.ok(blurry.reasons.includes("blurry"), JSON.stringify(blurry));
    assert.ok(blurry.sharpness < (await assessImage(sharpPhoto)).sharpness);
    const dark = await assessImage(darkPhoto);
    assert.ok(dark.reasons.includes("dark"), JSON.stringify(dark));
    assert.equal(dark.messages["zh-CN"].length, dark.reasons.length);
    assert.match(dark.messages["zh-CN"].join(), /光线太暗/);
    assert.match(dark.messages.en.join(), /dark/i);
  });

  test("no document in the frame", async () => {
    const q = await assessImage(tablePhoto);
    assert.ok(q.reasons.includes("noDocument"), JSON.stringify(q));
    assert.equal(q.document, null);
  });

  test("thresholds are tunable, and bad options are ConfigErrors that name them", async () => {
    const lenient = await assessImage(blurryPhoto, { thresholds: { minSharpness: 0 } });
    assert.ok(!lenient.reasons.includes("blurry"));
    await rejection(assessImage(sharpPhoto, { thresholds: { minSharpness: 3 } }), ConfigError, (e) => assert.match(e.message, /minSharpness/));
    await rejection(assessImage(sharpPhoto, { thresholds: { sharpest: 1 } }), ConfigError, (e) => assert.match(e.message, /sharpest/));
    await rejection(assessImage(sharpPhoto, { colour: true }), ConfigError, (e) => assert.match(e.message, /colour/));
  });
});

describe("recognize() quality gate", () => {
  test('"block": a photo to retake is a PoorImageError and nothing is sent', async () => {
    const err = await rejection(recognize(blurryPhoto, { ...apihzOptions(sim), qualityGate: "block" }), PoorImageError);
    assert.equal(err.code, "POOR_IMAGE");
    assert.equal(err.retryable, false);
    assert.ok(err.reasons.includes("blurry"));
    assert.equal(sim.calls().length, 0);
  });

  test('"block" lets a good photo through (and reports it); "warn" (the default) sends and reports', async () => {
    const ok = await recognize(sharpPhoto, { ...apihzOptions(sim), qualityGate: "block" });
    assert.equal(ok.quality.verdict, "ok");
    const warned = await recognize(blurryPhoto, apihzOptions(sim));
    assert.equal(warned.quality.verdict, "retake");
    assert.equal(billable(sim), 2);
  });

  test('the gate\'s report sizes "legible": a 行驶证\'s large text goes out at the providers\' floor; "off" (no report) at 1600 px', async () => {
    const sent = async (extra) => {
      let image;
      await recognize(sharpPhoto, { ...apihzOptions(sim), ...extra, onProgress: (e) => e.stage === "recognizing" && (image = e.image) });
      return image;
    };
    const gated = await sent({});
    assert.deepEqual([gated.width, gated.height, gated.passthrough], [1067, 800, false]);
    const off = await sent({ qualityGate: "off" });
    assert.deepEqual([off.width, off.height], [1600, 1200]);
    const budget = await sent({ prepare: { target: "budget" } });
    assert.deepEqual([budget.width, budget.height], [1600, 1200]);
  });

  test('"off": no report', async () => {
    const r = await recognize(blurryPhoto, { ...apihzOptions(sim), qualityGate: "off" });
    assert.equal(r.quality, undefined);
    await rejection(recognize(sharpPhoto, { ...apihzOptions(sim), qualityGate: "strict" }), ConfigError, (e) => assert.match(e.message, /qualityGate/));
  });
});
