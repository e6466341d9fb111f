// Dev tool (not part of `npm run bench`): interleaved A/B of in-page variants on cached sources.
//   node bench/gen-cache.mjs /tmp/perf          # once
//   node bench/ab.mjs /tmp/perf RUNS case1,case2 variantA,variantB,...
// Variants are the entries of `variants` in bench/ab-page.js (each (file, case) => { ms, ...info });
// a variant returning `marks` ("name@ms ...") also gets per-phase medians. `/__base/npm/...`
// serves npm/ as of git HEAD (env AB_BASE=<rev>), so the committed codec can be one contestant.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/browser/harness.mjs";
import { ROOT, startStaticServer } from "../tests/browser/server.mjs";

const [dir, runsArg = "7", casesArg = "card12", variantsArg = "base,cur,bic,native"] = process.argv.slice(2);
const RUNS = Number(runsArg);
const cases = casesArg.split(",");
const variants = variantsArg.split(",");
const BASE = process.env.AB_BASE ?? "HEAD";
const files = new Map(cases.map((c) => [c, readFileSync(join(dir, `${c}.jpg`))]));

const server = await startStaticServer((p) => {
  if (p === "/__ab.html") return { type: "text/html", body: "<!doctype html><meta charset=utf-8><body>" };
  const m = /^\/__src\/(\w+)$/.exec(p);
  if (m && files.has(m[1])) return { type: "application/octet-stream", body: files.get(m[1]) };
  const b = /^\/__base\/(npm\/src\/[\w.-]+\.js)$/.exec(p);
  if (b) return { type: "text/javascript", body: execFileSync("git", ["-C", ROOT, "show", `${BASE}:${b[1]}`]) };
  const w = /^\/__base\/(npm\/wasm\/.+)$/.exec(p);
  if (w) return { type: w[1].endsWith(".wasm") ? "application/wasm" : "text/javascript", body: readFileSync(join(ROOT, w[1])) };
  return null;
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--js-flags=--expose-gc"] });
const page = await browser.newPage();
page.on("pageerror", (e) => console.error("page error:", e.message));
page.on("console", (m) => console.error("console:", m.text()));
await page.goto(`${server.url}/__ab.html`);
await page.evaluate(async () => {
  globalThis.V = await import("/bench/ab-page.js");
});
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
for (const c of cases) {
  const res = Object.fromEntries(variants.map((v) => [v, []]));
  const info = {};
  const phases = {}; // variant -> mark -> [ms since the previous mark]
  for (let r = -1; r < RUNS; r++) {
    for (const v of variants) {
      const out = await page.evaluate(([c, v]) => V.run(c, v), [c, v]);
      if (r >= 0) res[v].push(out.ms);
      if (r >= 0 && typeof out.marks === "string") {
        let last = 0;
        for (const m of out.marks.split(" ")) {
          const [name, at] = m.split("@");
          ((phases[v] ??= {})[name] ??= []).push(Number(at) - last);
          last = Number(at);
        }
      }
      info[v] = out;
    }
  }
  const ref = median(res[variants[0]]);
  console.log(`== ${c} (load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`);
  for (const v of variants) {
    const { ms, ...rest } = info[v];
    if (phases[v]) console.log(`${v} phase medians (ms since the previous mark): ${Object.entries(phases[v]).map(([n, a]) => `${n} ${median(a).toFixed(1)}`).join(", ")}`);
    console.log(`${v.padEnd(14)} ${median(res[v]).toFixed(1).padStart(7)} ms  ×${(median(res[v]) / ref).toFixed(2)}  [${res[v].map((x) => x.toFixed(0)).join(" ")}]  ${JSON.stringify(rest)}`);
  }
}
await browser.close();
await server.close();
