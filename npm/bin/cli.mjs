#!/usr/bin/env node
// npx vehicle-doc-ocr <image-file|http(s)-url> --document <kind> [--timeout-ms N] [--upload base64|multipart]
// Prints the typed result as JSON. Uses the providers when APIHZ_ID/APIHZ_KEY (行驶证) or JUHE_KEY
// (登记证书) are set. Without keys it uses the local provider simulator, but only when this file runs
// from a checkout of the repository (npm/bin/ next to sim/ under the workspace's package.json): an
// installed package never loads code from outside itself.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { recognize } from "../src/node.js";

const USAGE = `usage: vehicle-doc-ocr <image-file|http(s)-url> --document vehicleLicenseFront|vehicleLicenseBack|registrationCertificate
       [--timeout-ms 20000] [--upload base64|multipart] [--max-base64-chars 1000000]
       vehicle-doc-ocr --version | --help
env:   APIHZ_ID, APIHZ_KEY (vehicle licence, apihz), JUHE_KEY (registration certificate, juhe),
       APIHZ_ENDPOINTS (comma-separated URLs), JUHE_BASE_URL. Each call to the real providers is billed.
       Without keys, only in a checkout of the repository: the local provider simulator.`;

const pkgDir = dirname(dirname(realpathSync(fileURLToPath(import.meta.url))));

/** A usage problem: plain text on stderr, exit 2. */
function usageError(problem) {
  process.stderr.write(`vehicle-doc-ocr: ${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

/** A typed error as JSON on stderr. */
function fail(code, message, exit = 2) {
  process.stderr.write(JSON.stringify({ error: { code, message } }, null, 2) + "\n");
  process.exit(exit);
}

/** The repository's simulator, only when this package is the `npm/` folder of a checkout (never an install). */
function checkoutSimulator() {
  const root = dirname(pkgDir);
  if (basename(pkgDir) !== "npm" || pkgDir.split(sep).includes("node_modules")) return null;
  try {
    if (JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name !== "vehicle-doc-ocr-workspace") return null;
  } catch {
    return null;
  }
  const server = join(root, "sim", "server.mjs");
  return existsSync(server) ? pathToFileURL(server) : null;
}

const isLocal = (url) => {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      document: { type: "string" },
      "timeout-ms": { type: "string" },
      upload: { type: "string" },
      "max-base64-chars": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
} catch (e) {
  usageError(e.message);
}
if (args.values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
if (args.values.version) {
  process.stdout.write(JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version + "\n");
  process.exit(0);
}
const [imageArg] = args.positionals;
if (!imageArg) usageError("missing the image (a file path or an http(s) URL)");
if (!args.values.document) usageError("missing --document");

const env = process.env;
const haveApihz = Boolean(env.APIHZ_ID && env.APIHZ_KEY);
const haveJuhe = Boolean(env.JUHE_KEY);
const options = { document: args.values.document };
if (args.values["timeout-ms"]) options.timeoutMs = Number(args.values["timeout-ms"]);
if (args.values["max-base64-chars"]) options.maxBase64Chars = Number(args.values["max-base64-chars"]);

let sim = null;
if (haveApihz || haveJuhe) {
  const endpoints = [];
  if (haveApihz) {
    options.apihz = { id: env.APIHZ_ID, key: env.APIHZ_KEY };
    if (env.APIHZ_ENDPOINTS) options.apihz.endpoints = env.APIHZ_ENDPOINTS.split(",").map((s) => s.trim());
    endpoints.push(...(options.apihz.endpoints ?? ["https://cn.apihz.cn"]));
  }
  if (haveJuhe) {
    options.juhe = { key: env.JUHE_KEY };
    if (env.JUHE_BASE_URL) options.juhe.baseUrl = env.JUHE_BASE_URL;
    endpoints.push(options.juhe.baseUrl ?? "https://apis.juhe.cn");
  }
  const names = [haveApihz && "apihz", haveJuhe && "juhe"].filter(Boolean).join(", ");
  process.stderr.write(
    endpoints.every(isLocal)
      ? `[vehicle-doc-ocr] using local endpoints for ${names} (${endpoints.join(", ")})\n`
      : `[vehicle-doc-ocr] using the REAL providers (${names}): each call is billed\n`,
  );
} else {
  const server = checkoutSimulator();
  if (!server) {
    fail(
      "CONFIG",
      "no provider keys: set APIHZ_ID and APIHZ_KEY (vehicle licence) and/or JUHE_KEY (registration certificate); " +
        "each call is billed. (The keyless simulator is only in a checkout of the repository, not in the npm package.)",
    );
  }
  const { startSimulator } = await import(server.href);
  const credentials = { apihz: { id: "10000000", key: "sim-apihz-key" }, juhe: { key: "sim-juhe-key" } };
  sim = await startSimulator({ port: 0, quiet: true, ...credentials });
  options.apihz = { ...credentials.apihz, endpoints: [sim.apihzUrl] };
  options.juhe = { ...credentials.juhe, baseUrl: sim.juheBaseUrl };
  process.stderr.write(`[vehicle-doc-ocr] no provider keys set: using the local provider SIMULATOR at ${sim.url} (not real recognition)\n`);
}
if (args.values.upload && options.juhe) options.juhe.upload = args.values.upload;

let image;
if (/^https?:\/\//i.test(imageArg)) image = imageArg;
else {
  try {
    image = await readFile(imageArg);
  } catch (e) {
    await sim?.close();
    fail("INVALID_IMAGE", `cannot read the image file ${JSON.stringify(imageArg)} (${e.code ?? "error"})`);
  }
}

try {
  const result = await recognize(image, options);
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
} catch (e) {
  const { code, message, retryable, provider, providerCode, providerMessage } = e;
  process.stderr.write(JSON.stringify({ error: { code, name: e.name, message, retryable, provider, providerCode, providerMessage } }, null, 2) + "\n");
  process.exitCode = 1;
} finally {
  await sim?.close();
}
