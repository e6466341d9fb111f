// The pure-Rust codec against what a Node or Worker user would pick instead (issue 13):
// @cf-wasm/photon, @jsquash/jpeg + @jsquash/resize (both wasm), and sharp (libvips, native; Node
// only). Same source photo, same output size (our output's width × height, each peer's JPEG
// quality searched untimed until its bytes are within a few per cent of ours), decode + resize +
// encode timed; peak memory as the child process's RSS high-water mark above its baseline after
// the modules were loaded, and for ours also the codec's wasm linear memory (its peak: wasm memory
// never shrinks). One fresh Node process per contestant and case; then the wasm
// contestants again in workerd (bench/peers-worker/, one fresh Miniflare each).
//
//   node bench/peers.mjs            writes the "## Codec peers" section of BENCHMARKS.md
//   BENCH_RUNS=N (default 5)        measured runs per contestant and case (after one warm-up)
//   BENCH_QUICK=1                   skips the 48 MP case
// Not a test: nothing here decides pass or fail.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { replaceSection } from "./sections.mjs";

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, "../..");
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));

// ------------------------------------------------------------------ the child: one contestant
const codecMemories = [];
const CONTESTANTS = {
  /** This package's wasm codec through its public API (decode at DCT scale, resize, fit the budget). */
  async ours() {
    // The codec module's linear memory (it never shrinks, so its size after the runs is their
    // peak): every instance that exports `prepareWasm`, a restarted one included.
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = class extends Instance {
      constructor(module, imports) {
        super(module, imports);
        if (typeof this.exports.prepareWasm === "function" && this.exports.memory) codecMemories.push(this.exports.memory);
      }
    };
    const { prepareImage } = await import("../npm/src/node.js");
    await prepareImage(new Uint8Array(readFileSync(join(ROOT, "tests/node/fixtures/card-640x400.jpg"))), { codec: "wasm" });
    return async (bytes) => {
      const p = await prepareImage(bytes, { codec: "wasm" });
      return { bytes: p.bytes, width: p.width, height: p.height, quality: p.quality };
    };
  },
  /** @cf-wasm/photon: decode, CatmullRom resize, encode. */
  async photon() {
    const { PhotonImage, SamplingFilter, resize } = await import("@cf-wasm/photon/node");
    return (bytes, { width, height, quality }) => {
      const img = PhotonImage.new_from_byteslice(bytes);
      const small = resize(img, width, height, SamplingFilter.CatmullRom);
      img.free();
      const out = small.get_bytes_jpeg(quality);
      small.free();
      return { bytes: out, width, height, quality };
    };
  },
  /** @jsquash/jpeg (mozjpeg) + @jsquash/resize (catrom). */
  async jsquash() {
    globalThis.ImageData ??= class ImageData {
      constructor(data, width, height) {
        Object.assign(this, { data, width, height });
      }
    };
    const nm = (p) => readFileSync(join(ROOT, "node_modules", p));
    const { default: decode, init: initDecode } = await import("@jsquash/jpeg/decode.js");
    const { default: encode, init: initEncode } = await import("@jsquash/jpeg/encode.js");
    const { default: resize, initResize } = await import("@jsquash/resize");
    await initDecode(await WebAssembly.compile(nm("@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm")));
    await initEncode(await WebAssembly.compile(nm("@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm")));
    await initResize(await WebAssembly.compile(nm("@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm")));
    return async (bytes, { width, height, quality }) => {
      const full = await decode(bytes);
      const small = await resize(full, { width, height, method: "catrom", fitMethod: "stretch" });
      const out = new Uint8Array(await encode(small, { quality }));
      return { bytes: out, width, height, quality };
    };
  },
  /** sharp (libvips, native): what a Node server would use; not available in Workers. */
  async sharp() {
    const { default: sharp } = await import("sharp");
    sharp.concurrency(1);
    return async (bytes, { width, height, quality }) => {
      const out = await sharp(bytes).resize(width, height, { kernel: "cubic", fit: "fill" }).jpeg({ quality }).toBuffer();
      return { bytes: new Uint8Array(out), width, height, quality };
    };
  },
};

async function child([name, file, runs, targetJson]) {
  const run = await CONTESTANTS[name]();
  const baseline = process.memoryUsage.rss();
  const bytes = new Uint8Array(readFileSync(file));
  const target = targetJson ? JSON.parse(targetJson) : {};
  if (target.bytes && name !== "ours") {
    // Untimed: the quality whose output is the largest not over ours by more than 3 %.
    let best = 30;
    for (let lo = 30, hi = 98; lo <= hi; ) {
      const q = (lo + hi) >> 1;
      const n = (await run(bytes, { ...target, quality: q })).bytes.length;
      if (n <= target.bytes * 1.03) {
        best = q;
        lo = q + 1;
      } else hi = q - 1;
    }
    target.quality = best;
  }
  await run(bytes, target); // warm-up
  const ms = [];
  let last;
  for (let i = 0; i < Number(runs); i++) {
    const t = performance.now();
    last = await run(bytes, target);
    ms.push(performance.now() - t);
  }
  const peak = process.resourceUsage().maxRSS * 1024 - baseline;
  const wasmBytes = codecMemories.length ? Math.max(...codecMemories.map((m) => m.buffer.byteLength)) : undefined;
  process.stdout.write(JSON.stringify({ ms, peakBytes: Math.max(0, peak), wasmBytes, outBytes: last.bytes.length, width: last.width, height: last.height, quality: last.quality }));
}

if (process.argv[2] === "--child") {
  await child(process.argv.slice(3));
  process.exit(0);
}

// ------------------------------------------------------------------ the parent
const { CASES } = await import("./cases.mjs");
const { documentPhoto, encode } = await import("./docgen.mjs");
const log = (...a) => console.error("[peers]", ...a);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spawn = (args) => JSON.parse(execFileSync(process.execPath, ["--max-old-space-size=4096", SELF, "--child", ...args], { cwd: ROOT, maxBuffer: 1 << 20 }).toString());

// workerd: the bundle of bench/peers-worker/ (wrangler deploy --dry-run), one fresh Miniflare per
// contestant and case; time measured from outside; peak = the workerd process's VmHWM above its
// VmRSS once ready.
let bundleDir = null;
const procKb = (pid, key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) * 1024;
async function inWorker(name, bytes, { w, h, q }) {
  const { bundleWorker, workerdPids } = await import("../worker/support/workerd.mjs");
  bundleDir ??= bundleWorker("peers-bundle-", join(ROOT, "bench/peers-worker/wrangler.toml"));
  const { Miniflare } = await import("miniflare");
  const script = readdirSync(bundleDir).find((f) => f.endsWith(".js"));
  const mf = new Miniflare({
    scriptPath: join(bundleDir, script),
    modulesRoot: bundleDir,
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    host: "127.0.0.1",
    port: 0,
  });
  try {
    const url = `${await mf.ready}?c=${name}&w=${w}&h=${h}&q=${q ?? 0}`;
    const [pid] = workerdPids();
    const baseline = pid ? procKb(pid, "VmRSS") : NaN;
    const call = async () => {
      const res = await fetch(url, { method: "POST", body: bytes });
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return res.json();
    };
    let last = await call(); // warm-up
    const ms = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      last = await call();
      ms.push(performance.now() - t);
    }
    return { ms, peakBytes: pid ? procKb(pid, "VmHWM") - baseline : NaN, outBytes: last.bytes, width: last.width, height: last.height, quality: last.quality };
  } finally {
    await mf.dispose();
  }
}

const ids = ["card12", "page12", "iphone12", ...(process.env.BENCH_QUICK === "1" ? [] : ["card48"])];
const dir = mkdtempSync(join(tmpdir(), "peers-"));
const load0 = loadavg()[0];
const rows = [];
try {
  for (const id of ids) {
    const c = CASES.find((x) => x.id === id);
    const file = join(dir, `${id}.jpg`);
    writeFileSync(file, await encode(documentPhoto(c.w, c.h, c.gen), c.w, c.h, { progressive: c.progressive }));
    log(c.label);
    const ours = spawn(["ours", file, String(RUNS)]);
    const target = JSON.stringify({ bytes: ours.outBytes, width: ours.width, height: ours.height });
    const results = { ours };
    for (const name of ["photon", "jsquash", "sharp"]) {
      try {
        results[name] = spawn([name, file, String(RUNS), target]);
      } catch (e) {
        results[name] = { error: String(e.message ?? e).split("\n")[0] };
      }
      log(" ", name, results[name].error ?? `${median(results[name].ms).toFixed(0)} ms`);
    }
    // The same in workerd (no sharp there), each peer at the JPEG quality found in Node.
    const inWorkerd = {};
    for (const name of ["ours", "photon", "jsquash"]) {
      const q = results[name].quality;
      if (results[name].error) continue;
      try {
        inWorkerd[name] = await inWorker(name, readFileSync(file), { w: ours.width, h: ours.height, q });
      } catch (e) {
        inWorkerd[name] = { error: String(e.message ?? e).split("\n")[0] };
      }
      log(" ", name, "in workerd", inWorkerd[name].error ?? `${median(inWorkerd[name].ms).toFixed(0)} ms`);
    }
    rows.push({ c, results, inWorkerd });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ BENCHMARKS.md section
const mb = (b) => (b / 2 ** 20).toFixed(0);
const LABELS = { ours: "**vehicle-doc-ocr** (wasm)", photon: "@cf-wasm/photon 0.4 (wasm)", jsquash: "@jsquash/jpeg 1.6 + resize 2.1 (wasm)", sharp: "sharp 0.34 (native libvips)" };
const md = [];
md.push("## Codec peers (Node)");
md.push("");
md.push(`\`node bench/peers.mjs\` (part of \`npm run bench\`), ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${RUNS} runs after a warm-up, median; one fresh process per contestant and case. Each peer decodes the same source, resizes to our output's size and encodes at the JPEG quality whose output is closest to ours without passing it by more than 3 % (searched untimed). Peak: the process's RSS high-water mark above its baseline after the modules loaded (JS garbage included: the input copy, the output and its base64 string). Ours also: the codec module's wasm linear memory after the runs (\`memory.buffer.byteLength\` of the instance exporting \`prepareWasm\`, caught by wrapping \`WebAssembly.Instance\` in the child; wasm memory never shrinks, so this is its peak, the input copied in included; issue 13's target for 48 MP: ≤ 64 MB). This machine has 2 shared cores (1-minute load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end): compare within a row. Ours runs with the default options (\`target: "legible"\`: 1600 px, off the DCT snap: jpeg-decoder decodes at 1/2 in the DCT domain, 2000 px for 12 MP, then a resize to 1600).`);
md.push("");
md.push("| source | contestant | output | JPEG q | bytes | time | vs ours | peak memory (RSS) | wasm linear memory |");
md.push("|---|---|---|---:|---:|---:|---:|---:|---:|");
for (const { c, results } of rows) {
  const base = median(results.ours.ms);
  for (const [name, r] of Object.entries(results)) {
    const label = LABELS[name];
    if (r.error) {
      md.push(`| ${c.label} | ${label} | failed: ${r.error.replace(/\|/g, "/")} | | | | | | |`);
      continue;
    }
    const t = median(r.ms);
    const wasm = r.wasmBytes ? `${(r.wasmBytes / 2 ** 20).toFixed(1)} MB` : "—";
    md.push(`| ${c.label} | ${label} | ${r.width}×${r.height} | ${r.quality ?? "—"} | ${r.outBytes.toLocaleString("en")} | ${t.toFixed(0)} ms | ${(t / base).toFixed(2)}× | ${mb(r.peakBytes)} MB | ${wasm} |`);
  }
}
md.push("");
md.push("In workerd (`miniflare`, the local Workers runtime; the same bundle a deploy would upload, built from `bench/peers-worker/`), each peer at the JPEG quality it got in Node; time from outside (request with the photo as its body, loopback); peak: the workerd process's resident high-water mark above its size once started. workerd enforces no memory limit locally: a deployed Worker has 128 MB.");
md.push("");
md.push("| source | contestant | bytes | time | vs ours | peak memory |");
md.push("|---|---|---:|---:|---:|---:|");
for (const { c, inWorkerd } of rows) {
  const base = inWorkerd.ours && !inWorkerd.ours.error ? median(inWorkerd.ours.ms) : NaN;
  for (const [name, r] of Object.entries(inWorkerd)) {
    if (r.error) {
      md.push(`| ${c.label} | ${LABELS[name]} | failed: ${r.error.replace(/\|/g, "/")} | | | |`);
      continue;
    }
    const t = median(r.ms);
    md.push(`| ${c.label} | ${LABELS[name]} | ${r.outBytes.toLocaleString("en")} | ${t.toFixed(0)} ms | ${(t / base).toFixed(2)}× | ${mb(r.peakBytes)} MB |`);
  }
}
md.push("");
const wasmPeers = rows.map(({ results }) => {
  const ours = median(results.ours.ms);
  const peers = ["photon", "jsquash"].filter((n) => !results[n].error).map((n) => median(results[n].ms));
  return peers.length ? ours / Math.min(...peers) : NaN;
});
const workerdPeers = rows.map(({ inWorkerd }) => {
  const ok = (n) => inWorkerd[n] && !inWorkerd[n].error;
  const all = ["ours", "photon", "jsquash"].every(ok);
  return all ? median(inWorkerd.ours.ms) / Math.min(median(inWorkerd.photon.ms), median(inWorkerd.jsquash.ms)) : NaN;
});
md.push("A `fetch failed` row: the workerd process dropped the connection while that contestant ran (seen with photon and jsquash on 12 and 48 MP photos in runs on a loaded machine); nothing was retried.");
md.push("");
md.push(`Ours against the fastest wasm peer, per source: ${wasmPeers.map((x) => `${x.toFixed(2)}×`).join(", ")} in Node, ${workerdPeers.map((x) => (Number.isNaN(x) ? "—" : `${x.toFixed(2)}×`)).join(", ")} in workerd (— where a contestant failed there) (issue 13's target: ≤ 0.5×). Where ours spends its time, stage by stage: docs/IMAGE_POLICY.md, "Speed and memory".`);
const big = rows.filter(({ c }) => c.w * c.h >= 40e6).map(({ c, results }) => [c, results.ours.wasmBytes]);
if (big.length) {
  md.push("");
  md.push(`Our codec's wasm linear memory at 48 MP: ${big.map(([c, b]) => `${(b / 2 ** 20).toFixed(1)} MB (${c.label})`).join(", ")} (issue 13's target: ≤ 64 MB: ${big.every(([, b]) => b <= 64 * 2 ** 20) ? "met" : "**not met**"}).`);
}
md.push("");
replaceSection(join(ROOT, "BENCHMARKS.md"), "## Codec peers", md.join("\n") + "\n");
log("wrote BENCHMARKS.md");
