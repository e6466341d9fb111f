// Running the Worker shim locally, shared by the test harness (worker/support/harness.mjs) and the
// demo stack (www/demo-server.mjs, `npm run demo`): the bundle `wrangler deploy` would upload
// (dry run, offline) and the miniflare options that run it in the real workerd.
// No node:test and no miniflare import here: the demo loads this outside any test.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WRANGLER_TOML = join(ROOT, "worker/wrangler.toml");

/**
 * `wrangler deploy --dry-run --outdir`: the exact bundle a deploy uploads (wasm as a module), in a
 * new temporary folder named `prefix`…; the caller removes it. `config`: another wrangler.toml
 * (bench/peers-worker's), by default the shim's.
 */
export function bundleWorker(prefix, config = WRANGLER_TOML) {
  if (!existsSync(join(ROOT, "npm/wasm/vehicle_doc_ocr_bg.wasm"))) {
    throw new Error("npm/wasm/ is missing: run `bash scripts/build.sh` (npm run build) first");
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", dir, "-c", config], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_UPDATE_NOTIFIER: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const detail = String(e.stderr ?? "").trim().split("\n").slice(-8).join("\n");
    throw new Error(`bundling the Worker (wrangler deploy --dry-run) failed:\n${detail}`);
  }
  return dir;
}

function compatibilityDate() {
  const m = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(WRANGLER_TOML, "utf8"));
  return m ? m[1] : "2025-09-01";
}

/**
 * Miniflare options running the bundle in `bundleDir` with `bindings` as its environment (secrets
 * and vars alike). `rateLimit`: the RATE_LIMITER binding's limit per 60 s (null: no binding).
 */
export function workerOptions(bundleDir, { bindings, rateLimit, host, port, handleRuntimeStdio }) {
  const script = readdirSync(bundleDir).find((f) => f.endsWith(".js"));
  return {
    scriptPath: join(bundleDir, script),
    modulesRoot: bundleDir,
    modules: true,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: compatibilityDate(),
    bindings,
    ...(rateLimit === null ? {} : { ratelimits: { RATE_LIMITER: { simple: { limit: rateLimit, period: 60 } } } }),
    host,
    port,
    handleRuntimeStdio,
  };
}

/** The pids of the workerd processes this Node process started (Miniflare's children). */
export function workerdPids() {
  const pids = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm.startsWith("workerd") && ppid === process.pid) pids.push(d);
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
