// Shared helpers of the Node suites: the simulator, options, test images, secret scanning.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import { VehicleDocOcrError } from "../../npm/src/node.js";
import { startSimulator } from "../../sim/server.mjs";
export { withComment } from "../../sim/images.mjs";

export const CREDS = Object.freeze({
  apihz: { id: "10000001", key: "k3y+Sec/ret=APIHZ-7f3a" },
  juhe: { key: "juhe+Sec/ret=KEY-19c4" },
});
/** Every string that must never show up in an error, a log or a request URL. */
export const SECRETS = [CREDS.apihz.key, CREDS.juhe.key, encodeURIComponent(CREDS.apihz.key), encodeURIComponent(CREDS.juhe.key)];

export const CARD_JPEG = new Uint8Array(readFileSync(new URL("./fixtures/card-640x400.jpg", import.meta.url)));
export const CARD_PNG = new Uint8Array(readFileSync(new URL("./fixtures/card-640x400.png", import.meta.url)));

export async function startSim() {
  return startSimulator({ port: 0, quiet: true, ...CREDS });
}

/**
 * A second host (an attacker's) on 127.0.0.1: records the method of every request it gets and
 * answers like a provider would. `{ url, hits, close() }`; empty `hits` with `hits.length = 0`.
 */
export async function startSink() {
  const hits = [];
  const server = http.createServer((req, res) => {
    hits.push(req.method);
    req.resume();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end('{"code":200,"msg":"not the provider"}');
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, hits, close: () => new Promise((resolve) => server.close(resolve)) };
}

export function apihzOptions(sim, document = "vehicleLicenseFront", extra = {}) {
  return { document, apihz: { ...CREDS.apihz, endpoints: [sim.apihzUrl] }, ...extra };
}

export function juheOptions(sim, extra = {}, juhe = {}) {
  return { document: "registrationCertificate", juhe: { ...CREDS.juhe, baseUrl: sim.juheBaseUrl, ...juhe }, ...extra };
}

/** The apihz endpoint behind a simulated fault (`500`, `html`, `hangup`, `slow-2000`, ...). */
export function faulty(sim, kind) {
  return `${sim.url}/__fault/${kind}/api/ai/xingshizheng.php`;
}


export function billable(sim) {
  return sim.calls().filter((c) => c.billable).length;
}

/** Assert no secret occurs anywhere in a value (error, result, log text). */
export function assertNoSecrets(assert, value, what = "value") {
  const text = typeof value === "string" ? value : JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}));
  const all = typeof value === "object" && value ? text + String(value.stack ?? "") + String(value.message ?? "") : text;
  for (const s of SECRETS) assert.ok(!all.includes(s), `${what} leaks a secret`);
}

/**
 * Await a rejection and return the error after the checks every error must pass (also used by
 * worker/test): `cls`, the package's base class, name, code, `retryable`, and `assertClean(err)`
 * (the suite's own scan for secrets).
 */
export async function rejection(promise, cls, assertClean) {
  const err = await promise.then(
    (v) => assert.fail(`expected ${cls.name}, got a result for ${v?.document}`),
    (e) => e,
  );
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.name}: ${err?.message}`);
  assert.ok(err instanceof VehicleDocOcrError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, cls.name);
  assert.equal(err.code, cls.code);
  assert.equal(typeof err.retryable, "boolean");
  assertClean(err);
  return err;
}
