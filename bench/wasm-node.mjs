// One wasm-codec case in a fresh Node process (so the peak memory is this case's alone):
//   node bench/wasm-node.mjs <file> <runs>
// Prints JSON { ms: [...], peakBytes, base64Length, width, height, encodes, quality }.
import { readFileSync } from "node:fs";
import * as main from "../npm/wasm/vehicle_doc_ocr.js";
import * as codec from "../npm/wasm/vehicle_doc_ocr_image.js";

const [file, runsArg = "5"] = process.argv.slice(2);
const wasmFile = (name) => readFileSync(new URL(`../npm/wasm/${name}`, import.meta.url));
main.initSync({ module: wasmFile("vehicle_doc_ocr_bg.wasm") });
const exports = codec.initSync({ module: wasmFile("vehicle_doc_ocr_image_bg.wasm") });
const bytes = new Uint8Array(readFileSync(file));
const settings = main.prepareSettings({ target: "budget", maxBase64Chars: 1_000_000 }, undefined);
const ms = [];
let last;
let peakBytes = 0;
for (let i = 0; i < Number(runsArg); i++) {
  const t = performance.now();
  last = codec.prepareWasm(bytes, settings);
  ms.push(performance.now() - t);
  peakBytes = Math.max(peakBytes, exports.memory.buffer.byteLength);
}
process.stdout.write(JSON.stringify({
  ms, peakBytes, base64Length: last.base64.length, width: last.width, height: last.height, encodes: last.encodes, quality: last.quality,
}));
