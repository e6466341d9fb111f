// The page side of bench/local.mjs: recognize(…, { local }) in the package's Web Worker, timed
// per call, and the worker's peak wasm memory (npm/src/local-browser.js keeps it).
import * as ocr from "/npm/src/browser.js";
import { localStats } from "/npm/src/local-browser.js";

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** `{ ms, provider, settled, memoryBytes }` of one reading. */
export async function read(b64, document) {
  const input = bytes(b64);
  const t = performance.now();
  const r = await ocr.recognize(input, { document, local: {} });
  const ms = performance.now() - t;
  return { ms, provider: r.provider, settled: r.local.settled, memoryBytes: localStats.memoryBytes, helperMemoryBytes: localStats.helperMemoryBytes, workers: localStats.workersStarted };
}
