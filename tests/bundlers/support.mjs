// Shared by the bundler suites: the package packed with `npm pack` and installed from the tarball
// into a fresh copy of the fixture app (what a user does), a tiny static server on 127.0.0.1 that
// also answers like the Worker shim, and headless Chromium (Debian's) driven by playwright-core.
import { execFileSync } from "node:child_process";
import { cpSync, createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const APP = join(REPO, "tests/bundlers/app");
export const WASM_FILES = ["vehicle_doc_ocr_bg.wasm", "vehicle_doc_ocr_image_bg.wasm", "vehicle_doc_ocr_quality_bg.wasm"];
export const MAIN_WASM = WASM_FILES[0];
export const CODEC_WASM = WASM_FILES[1];

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--no-first-run",
];

/**
 * `npm pack` the package folder and install the tarball (offline, the package has no
 * dependencies) into a fresh copy of the fixture app in a temporary directory. Returns
 * `{ app, remove }` (the app's directory; `remove()` deletes the temporary directory).
 */
export function freshApp() {
  const dir = mkdtempSync(join(tmpdir(), "vdo-bundlers-"));
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: join(REPO, "npm"), encoding: "utf8",
  }).trim().split("\n").pop();
  const app = join(dir, "app");
  cpSync(APP, app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "fixture-app", private: true, type: "module" }));
  execFileSync("npm", [
    "install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", join(dir, packed),
  ], { cwd: app, stdio: ["ignore", "ignore", "inherit"] });
  return { app, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The .wasm files (name → bytes) anywhere under `dir`. */
export function wasmFilesUnder(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".wasm")) out.set(p.slice(dir.length + 1), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export const packageWasm = (name) => readFileSync(join(REPO, "npm/wasm", name));

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css",
};

/** The shim's 200 answer for the licence front page (docs/SHIM.md): the typed result with `raw`. */
function shimAnswer(document) {
  const raw = JSON.parse(readFileSync(join(REPO, "fixtures/providers/sim-apihz-front.json"), "utf8"));
  return { document, provider: "apihz", raw };
}

/**
 * Serve `root` on 127.0.0.1 (random port). `POST /shim/v1/recognize?document=vehicleLicenseFront`
 * answers like the Worker shim and records what it received. Resolves to `{ url, shimCalls, close }`.
 */
export function serve(root) {
  const shimCalls = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/shim/v1/recognize" && req.method === "OPTIONS") {
      // CORS, for the Vite dev server whose page is on another origin.
      res.writeHead(204, {
        "access-control-allow-origin": "*", "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type",
      }).end();
      return;
    }
    if (url.pathname === "/shim/v1/recognize" && req.method === "POST") {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const document = url.searchParams.get("document");
        shimCalls.push({ document, contentType: req.headers["content-type"], body });
        res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
        res.end(JSON.stringify(shimAnswer(document)));
      });
      return;
    }
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    let st;
    try {
      st = file.startsWith(root) ? statSync(file) : null;
    } catch {
      st = null;
    }
    if (!st?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      ok({
        url: `http://127.0.0.1:${server.address().port}`,
        shimCalls,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** A URL on 127.0.0.1 where nothing listens (a port just opened and closed). */
export async function deadUrl() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const { port } = s.address();
  await new Promise((ok) => s.close(ok));
  return `http://127.0.0.1:${port}`;
}

/** Headless Chromium with the page at `url`, recording every .wasm request. */
export async function openApp(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  const wasmRequests = [];
  const errors = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.endsWith(".wasm")) wasmRequests.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body?.dataset.ready === "1", null, { timeout: 20_000 });
  return { browser, page, wasmRequests, errors, close: () => browser.close() };
}

/**
 * Which package module each .wasm under `dir` is, by content (bundlers rename and hash files):
 * `{ main, codec, quality, shim, qualityDecode, local, other }`, each a list of relative paths
 * (`shim`, `qualityDecode` and `local` are the Worker's and Node's modules: a page never fetches them).
 */
export function wasmOutputs(dir) {
  const main = packageWasm(MAIN_WASM);
  const codec = packageWasm(CODEC_WASM);
  const quality = packageWasm(WASM_FILES[2]);
  const shim = packageWasm("vehicle_doc_ocr_shim_bg.wasm");
  const qualityDecode = packageWasm("vehicle_doc_ocr_quality_decode_bg.wasm");
  const local = packageWasm("vehicle_doc_ocr_local_bg.wasm");
  const out = { main: [], codec: [], quality: [], shim: [], qualityDecode: [], local: [], other: [] };
  for (const [path, bytes] of wasmFilesUnder(dir)) {
    if (bytes.equals(main)) out.main.push(path);
    else if (bytes.equals(codec)) out.codec.push(path);
    else if (bytes.equals(quality)) out.quality.push(path);
    else if (bytes.equals(shim)) out.shim.push(path);
    else if (bytes.equals(qualityDecode)) out.qualityDecode.push(path);
    else if (bytes.equals(local)) out.local.push(path);
    else out.other.push(path);
  }
  return out;
}

/** How many of the recorded request URLs end with one of `paths` (file names as emitted). */
export const fetched = (requests, paths) =>
  requests.filter((u) => paths.some((p) => new URL(u).pathname.endsWith("/" + p.split("/").pop()))).length;
