// `npm run bench`: prepareImage (browser and wasm codecs) against browser-image-compression and a
// single native canvas pass, in Debian's headless Chromium, on document photos generated here;
// plus the wasm codec in Node with its peak memory. Writes BENCHMARKS.md. Not a test: nothing
// here fails on a number. Environment: BENCH_RUNS (default 5), BENCH_QUICK=1 (12 MP cases only).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { replaceSection } from "./sections.mjs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../tests/browser/server.mjs";
import { documentPhoto, encode, withExifOrientation } from "./docgen.mjs";
import { CASES as ALL_CASES, openBenchPage } from "./cases.mjs";

const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const QUICK = process.env.BENCH_QUICK === "1";
const BUDGET = 1_000_000;
const log = (...a) => console.error("[bench]", ...a);

// ------------------------------------------------------------------ sources
const CASES = ALL_CASES.map((c) => ({ ...c })).filter((c) => !QUICK || !c.big);

const dir = mkdtempSync(join(tmpdir(), "vdo-bench-"));
const files = new Map();
for (const c of CASES) {
  const t = Date.now();
  const raw = documentPhoto(c.w, c.h, c.gen);
  let bytes = await encode(raw, c.w, c.h, { format: c.format ?? "jpeg", progressive: c.progressive });
  if (c.orientation) bytes = withExifOrientation(bytes, c.orientation);
  c.mime = c.format === "png" ? "image/png" : "image/jpeg";
  c.bytes = bytes.length;
  c.upright = c.orientation >= 5 ? [c.h, c.w] : [c.w, c.h];
  c.path = join(dir, `${c.id}.${c.format ?? "jpg"}`);
  writeFileSync(c.path, bytes);
  files.set(c.id, bytes);
  log(`generated ${c.label}: ${(bytes.length / 1e6).toFixed(1)} MB in ${Date.now() - t} ms`);
}

// ------------------------------------------------------------------ Chromium
const { browser, server, page, chromiumVersion } = await openBenchPage(files, "/bench/page.js", "B", log);

const NAMES = ["browser", "wasm", "bic", "native"];
const results = {}; // case id -> contestant -> { ms: [], out }
for (const c of CASES) {
  results[c.id] = {};
  await page.evaluate(([id, mime]) => B.load(id, mime), [c.id, c.mime]);
  // Warm-up (module loads, first-use JIT), then interleaved measured runs.
  for (const n of NAMES) {
    await page.evaluate(([id, mime, name, upright]) => B.load(id, mime).then((f) => B.runOnce(name, f, upright)), [c.id, c.mime, n, c.upright]);
    results[c.id][n] = { ms: [], out: null };
  }
  for (let r = 0; r < RUNS; r++) {
    for (const n of NAMES) {
      // A full GC before each measured run (not timed): one contestant's garbage is not the next one's pause.
      const out = await page.evaluate(
        ([id, mime, name, upright]) => B.load(id, mime).then((f) => (globalThis.gc?.(), B.runOnce(name, f, upright))),
        [c.id, c.mime, n, c.upright],
      );
      results[c.id][n].ms.push(out.ms);
      results[c.id][n].out = out;
    }
  }
  log(`${c.label}: ${NAMES.map((n) => `${n} ${median(results[c.id][n].ms).toFixed(0)} ms`).join(", ")}`);
}
await browser.close();
await server.close();

// ------------------------------------------------------------------ wasm in Node
const nodeCases = CASES.filter((c) => ["card12", "page12", "card48", "page48"].includes(c.id));
const nodeResults = {};
for (const c of nodeCases) {
  const out = JSON.parse(execFileSync(process.execPath, [join(ROOT, "bench/wasm-node.mjs"), c.path, String(RUNS)], { encoding: "utf8" }));
  nodeResults[c.id] = out;
  log(`node wasm ${c.label}: ${median(out.ms).toFixed(0)} ms, peak ${(out.peakBytes / 2 ** 20).toFixed(1)} MiB`);
}
rmSync(dir, { recursive: true, force: true });

// ------------------------------------------------------------------ wasm sizes
const sizes = ["vehicle_doc_ocr_bg.wasm", "vehicle_doc_ocr_image_bg.wasm"].map((f) => {
  const b = readFileSync(join(ROOT, "npm/wasm", f));
  return { file: f, raw: b.length, gz: gzipSync(b, { level: 9 }).length };
});

// ------------------------------------------------------------------ report
function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (n) => n.toLocaleString("en-US");
const ratio = (a, b) => (a / b).toFixed(2) + "×";
const LABEL = {
  browser: "prepareImage, browser codec",
  wasm: "prepareImage, wasm codec (in page)",
  bic: "browser-image-compression",
  native: "native single pass (q 0.9)",
};

const rows = [];
const ours = [];
const targets = [];
for (const c of CASES) {
  const r = results[c.id];
  const med = Object.fromEntries(NAMES.map((n) => [n, median(r[n].ms)]));
  for (const n of NAMES) {
    const o = r[n].out;
    const use = o.base64Length / BUDGET;
    if (n === "browser" || n === "wasm") ours.push({ case: c.id, codec: n, use, within: o.base64Length <= BUDGET });
    rows.push(
      `| ${c.label} | ${LABEL[n]} | ${med[n].toFixed(0)} | ${n === "native" ? "1.00×" : ratio(med[n], med.native)} | ` +
        `${n === "bic" ? "1.00×" : ratio(med[n], med.bic)} | ${n === "browser" ? "1.00×" : ratio(med[n], med.browser)} | ` +
        `${fmt(o.base64Length)} ${o.base64Length <= BUDGET ? "" : "**over**"} | ${(use * 100).toFixed(1)}% | ${o.encodes ?? "?"} | ` +
        `${o.quality ?? "–"} | ${o.width}×${o.height} |`,
    );
  }
  if (c.format !== "png" && !c.big && !c.noTarget) {
    targets.push({ what: `${c.label}: browser ≤ 1.0× native`, value: med.browser / med.native, limit: 1.0 });
    targets.push({ what: `${c.label}: browser ≤ 0.4× browser-image-compression`, value: med.browser / med.bic, limit: 0.4 });
  }
  if (c.big) targets.push({ what: `${c.label}: browser ≤ 0.6× native`, value: med.browser / med.native, limit: 0.6 });
}
const uses = ours.map((o) => o.use).sort((a, b) => a - b);
const medianUse = median(uses);
const within = ours.filter((o) => o.within).length;

let cpu = "unknown";
try {
  cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
} catch {}

const md = [];
md.push("## Image preparation", "");
md.push(`- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
md.push(`- Machine: ${cpu}, ${cpus().length} cores (shared with other jobs: expect ±20–40% run to run)`);
md.push(`- Browser: Debian Chromium ${chromiumVersion}, headless, \`--disable-gpu\` (software canvas), driven by playwright-core`);
md.push(`- Node ${process.version}; runs per contestant and case: ${RUNS} measured after one warm-up, interleaved, a forced GC (untimed) before each; the median is reported`);
md.push(`- Budget: ${fmt(BUDGET)} base64 chars (= 750,000 bytes); long side cap 2048 (policy default, also given to browser-image-compression)`);
md.push("");
md.push("Sources are generated by `bench/docgen.mjs`: a document on a darker table, textured paper under a lighting gradient, rows of CJK-like glyph strokes (card: glyphs 1/66 of the width; page: 1/140), a red stamp ring, uniform sensor noise; encoded by sharp (libjpeg-turbo) at q 92 4:2:0 like a camera.");
md.push("");
md.push("Contestants, all in the same page:");
md.push("- **prepareImage, browser codec** — this package, `codec: \"browser\"` (what `auto` picks in a browser), `target: \"budget\"` (this section measures the budget search; the default `\"legible\"` is in the phone profile): header probe, JS integrity check (the entropy-coded data is skipped when one interleaved sequential scan is followed by EOI at the end of the file), JPEG decoded by WebCodecs `ImageDecoder` with `desiredWidth`/`desiredHeight` at the DCT scale the output lands on (1/2, 1/4, 1/8), or for other sizes over the cap at the smallest n/8 scale (n ≤ 6) that leaves a high-quality resize of at most 0.75 (the bytes read from a `File` handed over without a copy; the EXIF orientation from the frame's rotation/flip; an upright frame's bitmap taken over by a `bitmaprenderer` canvas where a once-per-page check shows such a canvas keeps its pixels, a rotated one copied without smoothing); without `ImageDecoder` (or for other formats): 1/4 and 1/8 an `<img>` drawn at the target size, 1/2 `createImageBitmap` and one 2:1 box draw; anything else `createImageBitmap` with resize. Size predicted from two encodes of a 1/8-area sample (a window from every 16-row band), then one full encode (counted), more only when outside 92–100% of the budget. Includes the base64 string.");
md.push("- **prepareImage, wasm codec** — this package, `codec: \"wasm\"`, the pure-Rust codec in the page.");
md.push("- **browser-image-compression** 2.0.2 — `maxSizeMB` = 750,000 / 1024² (its MB), `maxWidthOrHeight: 2048`, `fileType: \"image/jpeg\"`, **`useWebWorker: false`** (main thread, like the others; with `true` it would fetch its script from a CDN). Its iteration count is not exposed (`?`). Its time excludes making the base64 string.");
md.push("- **native single pass** — `createImageBitmap(file, { imageOrientation: \"from-image\", resizeWidth, resizeHeight, resizeQuality: \"high\" })` to the 2048 long side, drawn on an `OffscreenCanvas`, one `convertToBlob` JPEG at q 0.9. No budget logic: its size is whatever q 0.9 gives.");
md.push("");
md.push("| case | contestant | median ms | × native | × b-i-c | × browser codec | base64 chars | budget use | encodes | q | output px |");
md.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
md.push(...rows);
md.push("");
md.push("### wasm codec in Node", "");
md.push("Fresh process per case (`bench/wasm-node.mjs`); peak = `memory.buffer.byteLength` after the runs (wasm memory never shrinks; includes the input bytes copied in).");
md.push("");
md.push("| case | input | median ms | base64 chars | encodes | q | output px | peak wasm memory |");
md.push("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const c of nodeCases) {
  const o = nodeResults[c.id];
  md.push(`| ${c.label} | ${(c.bytes / 1e6).toFixed(1)} MB | ${median(o.ms).toFixed(0)} | ${fmt(o.base64Length)} | ${o.encodes} | ${o.quality ?? "–"} | ${o.width}×${o.height} | ${(o.peakBytes / 2 ** 20).toFixed(1)} MiB |`);
  ours.push({ use: o.base64Length / BUDGET, within: o.base64Length <= BUDGET });
}
md.push("");
md.push("### wasm size", "");
md.push("| module | bytes | gzipped (-9) |");
md.push("|---|---:|---:|");
for (const s of sizes) md.push(`| npm/wasm/${s.file} | ${fmt(s.raw)} | ${fmt(s.gz)} (${(s.gz / 1024).toFixed(1)} KB) |`);
md.push("");
md.push("### Targets (issue 3)", "");
md.push("| target | measured | met |");
md.push("|---|---:|---|");
for (const t of targets) md.push(`| ${t.what} | ${t.value.toFixed(2)}× | ${t.value <= t.limit ? "yes" : "**no**"} |`);
const allUses = ours.map((o) => o.use);
md.push(`| 100% of prepareImage outputs within budget (browser + wasm codecs, page and Node) | ${ours.filter((o) => o.within).length}/${ours.length} | ${ours.every((o) => o.within) ? "yes" : "**no**"} |`);
md.push(`| median budget use ≥ 92% (same outputs) | ${(median(allUses) * 100).toFixed(1)}% (min ${(Math.min(...allUses) * 100).toFixed(1)}%) | ${median(allUses) >= 0.92 ? "yes" : "**no**"} |`);
for (const s of sizes) md.push(`| ${s.file} ≤ 150 KB gzipped | ${(s.gz / 1024).toFixed(1)} KB | ${s.gz <= 153600 ? "yes" : "**no**"} |`);
md.push("");
md.push("### Where the time goes (browser codec)", "");
md.push("Measured separately in the same Chromium (`bench/ab.mjs` with temporary phase marks in the codec, medians of 9, 2026-11-23, load 0.6–0.8), on three of the photos above:");
md.push("");
md.push("| phase | 12 MP card (4000×3000 → 2000×1500) | 12 MP progressive (same) | 48 MP page ±14 (8000×6000 → 2000×1500) |");
md.push("|---|---:|---:|---:|");
md.push("| read the File (`arrayBuffer`, in input.js) | 4.4 ms | 4.4 ms | 12.2 ms |");
md.push("| header probe + integrity check (full walk only for the progressive file) | 0.2 ms | 1.9 ms | 0.1 ms |");
md.push("| decode: `ImageDecoder` at the DCT scale (1/2, 1/2, 1/4) | 39 ms | 154 ms | 156 ms |");
md.push("| frame → bitmap → canvas, grey-bottom check | 0.6 ms | 2.4 ms | 2.8 ms |");
md.push("| size probe (sample draw + 2 sample encodes) | 8.2 ms | 9.4 ms | 9.6 ms |");
md.push("| the one full encode (+ reading the blob) | 28 ms | 27 ms | 26 ms |");
md.push("| **total `prepareImage`** (browser-image-compression / native pass in the same run) | **80 ms** (256 / 135) | **202 ms** (397 / 273) | **212 ms** (597 / 370) |");
md.push("");
md.push("The browser's own JPEG decode is the floor. The baseline 12 MP photos land at 0.29–0.33× browser-image-compression. The 48 MP page photo is the closest to its target: 0.56–0.61× the native pass across runs on this shared machine, its 20 MB entropy decode alone (156 ms, even at 1/4) being 0.42×; the rest is the read (12 ms), the probe (10 ms) and the one encode (26 ms). The progressive 12 MP photo cannot reach 0.4×: its decode alone (154 ms: libjpeg-turbo entropy-decodes every scan whatever the output scale, 153–167 ms at 1/2, 1/4 and 1/8 alike) is 0.39× browser-image-compression's whole run, and the one full encode (27 ms) the budget needs puts any route at ≥ 0.45×.");
md.push("");
md.push("Tried and kept: WebCodecs `ImageDecoder` with the desired size (Chromium 156 decodes a JPEG at the largest n/8 scale whose area fits: 4000×3000 → 2000×1500 in 39–48 ms against 67–88 ms for `createImageBitmap`'s full decode + 15–19 ms for the 2:1 draw; 8000×6000 → 2000×1500 in 117–156 ms against 145 ms for the `<img>` route; orientation 1–8 exact via the frame's rotation/flip), handing a `File`'s bytes over (`transfer`) after the integrity check instead of the decoder copying them while the check runs (−8 to −13 ms at 48 MP), a `bitmaprenderer` canvas instead of drawing the decoded bitmap (−5 ms per 3 MP), drawing a rotated bitmap of the target size without smoothing (Chromium's \"high\" sampler ran over every pixel: −12 ms on the EXIF 6 photo, same bytes), the integrity walk's EOI shortcut (20 MB: 11 ms → 0), sizes off the snap through `ImageDecoder` at the smallest n/8 scale that leaves a resize of at most 0.75, then one high-quality draw, instead of `createImageBitmap` with resize (4624×3472: 0.76×, 5712×4284: 0.61×, 9248×6936: 0.70× the former time, same quality: PSNR against a Lanczos-3 resize of the full decode within ±0.5 dB of the former route).");
md.push("");
md.push("Tried and dropped: off the snap, the smallest n/8 scale not under the target (4624 → 2312 → 2048, 5712 → 2142 → 2048: another 20–35% faster, but a final resize of 0.89–0.96 lost 1.3–4.8 dB PSNR), drawing the `VideoFrame` itself (7–16 ms against 0.1–5 ms via `createImageBitmap(frame)`), `frame.copyTo` + `putImageData` (16 ms), `ImageDecoder` fed `file.stream()` (+23 ms at 48 MP: chunked appends) or a stream of 1–4 MB `File` slices so the decode could overlap the read (+1–10 ms: Chromium does not decode while the data arrives), handing the bytes over and re-reading the `File` for a parallel check (no gain: the re-read and check slow the decode thread on 2 cores), the `<img>` route at 1/2 without `decode()` (100 ms against 48 ms), `createImageBitmap` resizing at 1/2 (80–110 ms: no DCT scaling), a 1/12 or 1/16 probe sample (−2 to −4 ms but +1–3% prediction bias), skipping the second sample encode when the first lands within 1–2 qualities of the answer (−2 to −4 ms, within run-to-run noise), parallel encodes (Chromium serializes them; the encode also runs on the main thread, so nothing overlaps it), starting the `<img>` load before reading the bytes (no overlap).");
md.push("");
void medianUse;
void within;

// Only this section: the other benches fill their own (bench/sections.mjs).
const out = join(ROOT, "BENCHMARKS.md");
if (!existsSync(out)) writeFileSync(out, "# Benchmarks\n\nGenerated by `npm run bench` (`scripts/bench.sh`): each section by its own script, numbers from one run on the machine it names.\n");
replaceSection(out, "## Image preparation", md.join("\n") + "\n");
log(`wrote ${out}`);
