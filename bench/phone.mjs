// `npm run bench`, phone profile: what a phone user waits for, preparation AND upload. Headless
// Chromium with its CPU throttled 4× through the DevTools protocol (a mid-range phone), then the
// upload of the exact form body a provider call sends, timed at 1.5 Mbit/s (a weak 4G/3G uplink)
// as bytes ÷ rate (cross-checked once per case and contestant by POSTing that body to a 127.0.0.1
// sink under CDP network emulation). Writes the "## Phone profile" section of BENCHMARKS.md (just
// before "## Worker shim") and docs/bench-phone.svg.
// Not a test: nothing here fails on a number.
//   BENCH_RUNS=N   measured runs per case and contestant (default 5, minimum 3 here)
//   BENCH_QUICK=1  skip the 48 MP cases
import { createServer } from "node:http";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { replaceSection } from "./sections.mjs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "../tests/browser/server.mjs";
import { CASES, REAL_CASES, openBenchPage } from "./cases.mjs";
import { documentPhoto, encode, withExifOrientation } from "./docgen.mjs";

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const QUICK = process.env.BENCH_QUICK === "1";
const CPU_SLOWDOWN = 4;
const UPLINK_BITS_PER_S = 1.5e6;
const log = (...a) => console.error("[bench phone]", ...a);

/**
 * The contestants, in plot order. `run`: ["ours", prepareImage options] or a bench/page.js contestant.
 * Another option set of ours is one more line here.
 */
export const CONTESTANTS = [
  // `document`: the case's own (an app knows what it asked the user to photograph; recognize() always does).
  { id: "legible", label: 'prepareImage, "legible", the `document` given (browser codec)', run: ["ours", { target: "legible" }], document: true },
  // No `document`: no text height is measured, the 1600 px cap.
  { id: "legibleAny", label: 'prepareImage, "legible", no `document`', run: ["ours", { target: "legible" }] },
  { id: "budget", label: 'prepareImage, "budget" (browser codec)', run: ["ours", { target: "budget" }] },
  { id: "bic", label: "browser-image-compression", run: ["bic"] },
  { id: "native", label: "native single pass (q 0.9)", run: ["native"] },
];
const PHONE_CASES = ["card12", "page12", "iphone12", "card48", "page48"];
const OCR_PYTHON = process.env.OCR_PYTHON ?? (existsSync(join(ROOT, ".venv-ocr/bin/python")) ? join(ROOT, ".venv-ocr/bin/python") : "python3");

/**
 * The realistic photos (cases.mjs REAL_CASES), rendered once by bench/ocr/corpus.py into
 * bench/ocr/out/phone-<size>/ and reused. Returns the cases whose photo exists.
 */
function realCases() {
  const out = [];
  const bySize = new Map();
  for (const c of REAL_CASES.filter((c) => !QUICK || !c.big)) bySize.set(c.corpus.size, [...(bySize.get(c.corpus.size) ?? []), c]);
  for (const [size, list] of bySize) {
    const dir = join(ROOT, "bench/ocr/out", `phone-${size}`);
    const path = (c) => join(dir, `${String(c.corpus.index).padStart(4, "0")}.jpg`);
    const missing = list.filter((c) => !existsSync(path(c)));
    if (missing.length) {
      log(`rendering ${missing.length} realistic ${size} photo(s) with ${OCR_PYTHON} bench/ocr/corpus.py`);
      const r = spawnSync(OCR_PYTHON, [join(ROOT, "bench/ocr/corpus.py"), dir, "1"], {
        env: { ...process.env, CORPUS_SIZE: size, CORPUS_KIND: "legible", CORPUS_INDICES: missing.map((c) => c.corpus.index).join(",") },
        stdio: ["ignore", "inherit", "inherit"],
      });
      if (r.status !== 0) log(`realistic photos SKIPPED: corpus.py failed (needs bench/ocr/requirements.txt; set OCR_PYTHON)`);
    }
    for (const c of list) if (existsSync(path(c))) out.push({ ...c, file: path(c) });
  }
  return out;
}
const cases = [...CASES.filter((c) => PHONE_CASES.includes(c.id) && (!QUICK || !c.big)).map((c) => ({ ...c })), ...realCases()];

// ------------------------------------------------------------------ sources
const files = new Map();
for (const c of cases) {
  const t = Date.now();
  let bytes = c.file
    ? new Uint8Array(readFileSync(c.file))
    : await encode(documentPhoto(c.w, c.h, c.gen), c.w, c.h, { format: c.format ?? "jpeg", progressive: c.progressive });
  if (c.orientation) bytes = withExifOrientation(bytes, c.orientation);
  c.mime = c.format === "png" ? "image/png" : "image/jpeg";
  c.upright = c.orientation >= 5 ? [c.h, c.w] : [c.w, c.h];
  files.set(c.id, bytes);
  log(`generated ${c.label}: ${(bytes.length / 1e6).toFixed(1)} MB in ${Date.now() - t} ms`);
}

// ------------------------------------------------------------------ Chromium, CPU throttled
// The upload sink: counts the body, answers its length (CORS-readable from the bench page).
const sink = createServer((req, res) => {
  let n = 0;
  req.on("data", (d) => (n += d.length));
  req.on("end", () => {
    res.setHeader("access-control-allow-origin", "*");
    res.end(String(n));
  });
});
await new Promise((r) => sink.listen(0, "127.0.0.1", r));
const sinkUrl = `http://127.0.0.1:${sink.address().port}/upload`;
const { browser, server, page, chromiumVersion } = await openBenchPage(files, "/bench/phone-page.js", "P", log);
const cdp = await page.context().newCDPSession(page);
await cdp.send("Network.enable");
await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
const load0 = loadavg()[0];

const results = {}; // case id -> contestant id -> { ms: [], out }
/** What contestant `k` runs on case `c`: its options, with the case's `document` where it asks for it. */
const runOf = (k, c) => (k.document ? [k.run[0], { ...k.run[1], document: c.document }] : k.run);
const once = (c, k, gc) =>
  page.evaluate(
    ([id, mime, run, upright, gc]) => P.load(id, mime).then((f) => (gc && globalThis.gc?.(), P.runOnce(run[0], run[1] ?? {}, f, upright))),
    [c.id, c.mime, runOf(k, c), c.upright, gc],
  );
for (const c of cases) {
  results[c.id] = {};
  for (const k of CONTESTANTS) {
    await once(c, k, false); // warm-up (module loads, first-use JIT), throttled like the rest
    results[c.id][k.id] = { ms: [], out: null };
  }
  for (let r = 0; r < RUNS; r++) {
    for (const k of CONTESTANTS) {
      // A full GC before each measured run (not timed), interleaved contestants, as in bench/run.mjs.
      const out = await once(c, k, true);
      results[c.id][k.id].ms.push(out.ms);
      results[c.id][k.id].out = out;
    }
  }
  // Cross-check of the computed upload: the last run's real form body POSTed once per contestant to
  // the 127.0.0.1 sink with the uplink emulated (CDP Network.emulateNetworkConditions).
  for (const k of CONTESTANTS) {
    await page.evaluate(([id, mime, run, upright]) => P.load(id, mime).then((f) => P.runOnce(run[0], run[1] ?? {}, f, upright)), [c.id, c.mime, runOf(k, c), c.upright]);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: UPLINK_BITS_PER_S / 8 });
    const up = await page.evaluate((u) => P.uploadLast(u), sinkUrl);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    if (up.got !== up.sent) log(`sink got ${up.got} bytes of ${up.sent}`);
    results[c.id][k.id].emulatedUploadMs = up.ms;
  }
  log(`${c.label}: ${CONTESTANTS.map((k) => `${k.id} ${median(results[c.id][k.id].ms).toFixed(0)} ms`).join(", ")}`);
}
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
await browser.close();
await server.close();
sink.close();
const load1 = loadavg()[0];

// ------------------------------------------------------------------ numbers
function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const uploadS = (bytes) => (bytes * 8) / UPLINK_BITS_PER_S;
const rows = []; // { c, k, prepS, uploadS, totalS, out }
for (const c of cases) {
  for (const k of CONTESTANTS) {
    const r = results[c.id][k.id];
    const prepS = median(r.ms) / 1000;
    const up = uploadS(r.out.bodyBytes);
    rows.push({ c, k, prepS, uploadS: up, emulatedS: r.emulatedUploadMs / 1000, totalS: prepS + up, out: r.out });
  }
}
const totalOf = (cid, kid) => rows.find((x) => x.c.id === cid && x.k.id === kid).totalS;
const ours = CONTESTANTS.filter((k) => k.run[0] === "ours");
const devs = rows.map((r) => Math.abs(r.emulatedS / r.uploadS - 1));
const agreement = `${(Math.max(...devs) * 100).toFixed(1)}% (largest deviation)`;
const uploadShare = ours.length ? rows.filter((r) => r.k.id === ours[0].id).map((r) => r.uploadS / r.totalS) : [];
const ratioOver = (k, list) => median(list.map((c) => totalOf(c.id, k.id) / totalOf(c.id, "bic")));
const ratios = Object.fromEntries(ours.map((k) => [k.id, ratioOver(k, cases)]));
const synthetic = cases.filter((c) => !c.corpus);
const realistic = cases.filter((c) => c.corpus);

// ------------------------------------------------------------------ the plot (hand-written SVG)
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
function svgPlot() {
  const COLORS = { prep: "#4e79a7", up: "#f28e2b" };
  const labelW = 300, plotW = 520, right = 70, barH = 16, gap = 5, groupGap = 14, top = 64, axisH = 34;
  const maxS = Math.max(...rows.map((r) => r.totalS));
  const step = maxS > 8 ? 2 : maxS > 4 ? 1 : 0.5;
  const axisMax = Math.ceil(maxS / step) * step;
  const x = (s) => labelW + (s / axisMax) * plotW;
  const out = [];
  let y = top;
  for (const c of cases) {
    out.push(`<text x="8" y="${y + 11}" font-weight="bold">${esc(c.label)}</text>`);
    y += barH + gap;
    for (const k of CONTESTANTS) {
      const r = rows.find((q) => q.c.id === c.id && q.k.id === k.id);
      out.push(`<text x="${labelW - 8}" y="${y + 12}" text-anchor="end">${esc(k.label)}</text>`);
      out.push(`<rect x="${x(0)}" y="${y}" width="${(x(r.prepS) - x(0)).toFixed(1)}" height="${barH}" fill="${COLORS.prep}"><title>preparation ${r.prepS.toFixed(2)} s</title></rect>`);
      out.push(`<rect x="${x(r.prepS).toFixed(1)}" y="${y}" width="${(x(r.totalS) - x(r.prepS)).toFixed(1)}" height="${barH}" fill="${COLORS.up}"><title>upload ${r.uploadS.toFixed(2)} s</title></rect>`);
      out.push(`<text x="${(x(r.totalS) + 4).toFixed(1)}" y="${y + 12}">${r.totalS.toFixed(2)} s</text>`);
      y += barH + gap;
    }
    y += groupGap;
  }
  const axisY = y;
  const ticks = [];
  for (let s = 0; s <= axisMax + 1e-9; s += step) {
    ticks.push(`<line x1="${x(s).toFixed(1)}" y1="${top - 6}" x2="${x(s).toFixed(1)}" y2="${axisY}" stroke="#ddd"/>`);
    ticks.push(`<text x="${x(s).toFixed(1)}" y="${axisY + 14}" text-anchor="middle">${s % 1 ? s.toFixed(1) : s}</text>`);
  }
  const W = labelW + plotW + right, H = axisY + axisH;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">Phone profile: seconds until the photo is at the provider (CPU ${CPU_SLOWDOWN}× slower, uplink 1.5 Mbit/s)</text>`,
    `<rect x="8" y="32" width="12" height="12" fill="${COLORS.prep}"/><text x="25" y="42">preparation (median, throttled Chromium)</text>`,
    `<rect x="300" y="32" width="12" height="12" fill="${COLORS.up}"/><text x="317" y="42">upload of the form body at 1.5 Mbit/s (bytes ÷ rate)</text>`,
    ...ticks,
    ...out,
    `<text x="${x(axisMax / 2).toFixed(1)}" y="${axisY + 29}" text-anchor="middle">seconds</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
mkdirSync(join(ROOT, "docs"), { recursive: true });
writeFileSync(join(ROOT, "docs/bench-phone.svg"), svgPlot());
log("wrote docs/bench-phone.svg");

// ------------------------------------------------------------------ BENCHMARKS.md section
const fmt = (n) => n.toLocaleString("en-US");
let cpu = "unknown";
try {
  cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
} catch {}
const md = [];
md.push("## Phone profile", "");
md.push("What a phone user waits for: preparing the photo and uploading it. Generated by `npm run bench` (`bench/phone.mjs`, `bench/phone-page.js`; `BENCH_PHONE_ONLY=1 npm run bench` runs only this section).", "");
md.push(`- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
md.push(`- Machine: ${cpu}, ${cpus().length} cores, shared with other jobs (1-minute load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end): expect ±20–40% run to run`);
md.push(`- Browser: Debian Chromium ${chromiumVersion}, headless, \`--disable-gpu\`, driven by playwright-core`);
md.push(`- Cases: ${synthetic.length} synthetic (\`bench/docgen.mjs\`, shared with "Image preparation": a card or page filling 84% of the frame on a dark table, rows of stroke glyphs, uniform per-pixel noise of ±6 to ±14 at full resolution, JPEG q 92) and ${realistic.length} realistic${realistic.length ? "" : " (skipped: no OCR Python to render them)"} (\`REAL_CASES\` in \`bench/cases.mjs\`: photos of the OCR check's corpus, \`bench/ocr/corpus.py\` \`CORPUS_KIND=legible\` seed 12, rendered at 12 or 48 MP: a real 行驶证 or 登记证书 with Chinese text in perspective on a table, the document filling 35–95% of the frame, a little camera blur and σ 2 noise, what a phone's denoiser leaves; JPEG q 88). Every contestant prepares the same files.`);
md.push(`- Runs: ${RUNS} measured per case and contestant after one warm-up, interleaved, a forced GC (untimed) before each; the median is reported${QUICK ? "; `BENCH_QUICK=1`: no 48 MP cases" : ""}`);
md.push("");
md.push("Method:");
md.push(`- **Preparation**: the bench's own contestants (same sources, same options as in \"Image preparation\" above) timed in the page with Chromium's CPU throttled ${CPU_SLOWDOWN}× through the DevTools protocol (\`Emulation.setCPUThrottlingRate\`, what DevTools' \"4× slowdown\" does: it throttles the page's renderer main thread; work Chromium does off that thread, such as parts of image decoding, is not slowed, so this is a lower bound for a real mid-range phone).`);
md.push("- **Upload**: computed, not emulated: the bytes of the exact form body a direct apihz call sends (`id=…&key=…&class=1&type=2&img=<base64>`, built like `crates/core` `apihz::form_body`: every byte outside `[A-Za-z0-9-_.~]` percent-encoded, so base64's `+`, `/` and `=` take 3 bytes each, about +6% over the base64 length; id/key placeholders of typical length) ÷ 1.5 Mbit/s. HTTP headers, TLS, the TCP slow start and the round trips are left out (a few hundred bytes and a few RTTs, the same for every contestant). For browser-image-compression and the native pass the base64 is made from their output blob (not timed). Cross-check, not used in the totals: once per case and contestant the real form body is POSTed from the page to a sink on 127.0.0.1 with Chromium's network emulation at the same uplink (CDP \`Network.emulateNetworkConditions\`, \`uploadThroughput\` = 1.5e6 / 8 bytes/s, no added latency), timed until the answer (column \"emulated\"); it agrees with bytes ÷ rate within " + agreement + ".");
md.push("- **Contestants**: `prepareImage` with the browser codec and each size target (`\"legible\"`: the fewest bytes that keep the text readable, docs/IMAGE_POLICY.md; `\"budget\"`: spend up to `maxBase64Chars` = 1,000,000), browser-image-compression 2.0.2 with the same output constraints as above (`maxSizeMB` = 750,000 / 1024², `maxWidthOrHeight: 2048`, JPEG, main thread), the native single canvas pass (2048 long side, q 0.9). `\"legible\"` sizes the picture by its text height (the quality report's, measured in the call on the layout of `document`): the first row is given each case's `document` (the synthetic cards and the 行驶证 photos `\"vehicleLicenseFront\"`, the synthetic pages and the 登记证书 photo `\"registrationCertificate\"`, as an app that asked for that document would; `recognize()` always has it), the second none (then nothing is measured: the 1600 px cap). Another option set of ours is one line in `CONTESTANTS` in `bench/phone.mjs`; it then appears in the table, the plot and the ratio.");
md.push("");
md.push(`![Phone profile: preparation and upload time per case and contestant](docs/bench-phone.svg)`);
md.push("");
md.push(`| case | contestant | prepare ms (CPU ${CPU_SLOWDOWN}×) | output px | q | base64 chars | form body bytes | upload s (1.5 Mbit/s) | upload s, emulated (1 run) | total s | total × b-i-c |`);
md.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  md.push(
    `| ${r.c.label} | ${r.k.label} | ${(r.prepS * 1000).toFixed(0)} | ${r.out.width}×${r.out.height} | ${r.out.quality ?? "–"} | ${fmt(r.out.base64Length)} | ${fmt(r.out.bodyBytes)} | ` +
      `${r.uploadS.toFixed(2)} | ${r.emulatedS.toFixed(2)} | ${r.totalS.toFixed(2)} | ${(r.totalS / totalOf(r.c.id, "bic")).toFixed(2)}× |`,
  );
}
md.push("");
const split = (k) =>
  realistic.length && synthetic.length
    ? ` (synthetic ${ratioOver(k, synthetic).toFixed(2)}×, realistic ${ratioOver(k, realistic).toFixed(2)}×)`
    : "";
for (const k of ours) {
  const target = k.id === "legible" ? `; issue 13's target: ≤ 0.4×: ${ratios[k.id] <= 0.4 ? "met" : "**not met**"}` : "";
  md.push(`**${k.label}: ${ratios[k.id].toFixed(2)}× browser-image-compression's prepare + upload, median over the ${cases.length} cases**${split(k)}${target}.`, "");
}
if (ours.some((k) => k.id === "legible") && ours.some((k) => k.id === "budget")) {
  const share = (list) => median(list.map((c) => results[c.id].legible.out.base64Length / results[c.id].budget.out.base64Length));
  md.push(
    `\`"legible"\` sends ${(share(synthetic) * 100).toFixed(0)}% of \`"budget"\`'s characters on the synthetic photos (median), whose uniform per-pixel noise JPEG pays for at any size${realistic.length ? `, and ${(share(realistic) * 100).toFixed(0)}% on the realistic ones` : ""}.`,
    "",
  );
}
if (uploadShare.length) {
  md.push("");
  md.push(`The upload is ${(Math.min(...uploadShare) * 100).toFixed(0)}–${(Math.max(...uploadShare) * 100).toFixed(0)}% of ${ours[0].label}'s total: on a phone the bytes sent, not the CPU, decide the wait.`);
}
md.push("");
const section = md.join("\n") + "\n";

const outPath = join(ROOT, "BENCHMARKS.md");
replaceSection(outPath, "## Phone profile", section);
log(`wrote ${outPath}`);
