#!/usr/bin/env node
// npx vehicle-doc-ocr <image-file|http(s)-url> --document <kind> [--timeout-ms N] [--upload base64|multipart]
// Prints the typed result as JSON. Uses the real providers when APIHZ_ID/APIHZ_KEY (行驶证) or
// JUHE_KEY (登记证书) are set, otherwise the local provider simulator (only in a checkout of the
// repository: the simulator is not part of the published package).
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { recognize } from "../src/node.js";

const USAGE = `usage: vehicle-doc-ocr <image-file|http(s)-url> --document vehicleLicenseFront|vehicleLicenseBack|registrationCertificate
       [--timeout-ms 20000] [--upload base64|multipart] [--max-base64-chars 1000000]
env:   APIHZ_ID, APIHZ_KEY (vehicle licence), JUHE_KEY (registration certificate), APIHZ_ENDPOINTS (comma-separated),
       JUHE_BASE_URL. Without keys the local provider simulator is used (repository checkout only).`;

function fail(code, message, exit = 2) {
  process.stderr.write(JSON.stringify({ error: { code, message } }, null, 2) + "\n");
  process.exit(exit);
}

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
    },
  });
} catch (e) {
  fail("CONFIG", `${e.message}\n${USAGE}`);
}
if (args.values.help) {
  process.stdout.write(USAGE + "\n");
  process.exit(0);
}
const [imageArg] = args.positionals;
if (!imageArg || !args.values.document) fail("CONFIG", USAGE);

const env = process.env;
const haveApihz = Boolean(env.APIHZ_ID && env.APIHZ_KEY);
const haveJuhe = Boolean(env.JUHE_KEY);
const options = { document: args.values.document };
if (args.values["timeout-ms"]) options.timeoutMs = Number(args.values["timeout-ms"]);
if (args.values["max-base64-chars"]) options.maxBase64Chars = Number(args.values["max-base64-chars"]);

let sim = null;
if (haveApihz || haveJuhe) {
  if (haveApihz) {
    options.apihz = { id: env.APIHZ_ID, key: env.APIHZ_KEY };
    if (env.APIHZ_ENDPOINTS) options.apihz.endpoints = env.APIHZ_ENDPOINTS.split(",").map((s) => s.trim());
  }
  if (haveJuhe) {
    options.juhe = { key: env.JUHE_KEY };
    if (env.JUHE_BASE_URL) options.juhe.baseUrl = env.JUHE_BASE_URL;
  }
  process.stderr.write(
    `[vehicle-doc-ocr] using the REAL providers (${[haveApihz && "apihz", haveJuhe && "juhe"].filter(Boolean).join(", ")}): each call is billed\n`,
  );
} else {
  let startSimulator;
  try {
    ({ startSimulator } = await import(new URL("../../sim/server.mjs", import.meta.url)));
  } catch {
    fail("CONFIG", "no APIHZ_ID/APIHZ_KEY or JUHE_KEY set, and the provider simulator is only available in a checkout of the repository");
  }
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
    fail("INVALID_IMAGE", `cannot read the image file (${e.code ?? "error"})`);
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
