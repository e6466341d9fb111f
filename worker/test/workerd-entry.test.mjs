// The package's workerd entry as a user's own Worker calls it (README "Cloudflare Workers": the raw
// request body straight into recognize(), direct apihz mode), in the real workerd through miniflare
// against the provider simulator. The default fits the Free plan (10 ms CPU): an image the
// providers accept as it is goes out untouched; one that would need re-encoding is refused before
// any provider call with an error that says what to do; `prepare: { codec: "wasm" }` opts in.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, beforeEach, describe, test } from "node:test";
import { Miniflare } from "miniflare";
import sharp from "sharp";
import { startSimulator } from "../../sim/server.mjs";
import { CARD_JPEG, CARD_PNG, KEYS } from "../support/harness.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// The user's Worker (the README's example, plus a `codec` query to opt in), resolved from the repository root.
const USER_WORKER = `
import { recognize } from "./npm/src/workerd.js";
export default {
  async fetch(request, env) {
    const codec = new URL(request.url).searchParams.get("codec");
    try {
      const r = await recognize(await request.arrayBuffer(), {
        document: "vehicleLicenseBack",
        apihz: { id: env.APIHZ_ID, key: env.APIHZ_KEY, endpoints: [env.APIHZ_URL] },
        ...(codec ? { prepare: { codec } } : {}),
      });
      return Response.json(r);
    } catch (e) {
      return Response.json({ error: { name: e.name, code: e.code, message: e.message } }, { status: 400 });
    }
  },
};`;

let sim;
let mf;
let url;
before(async () => {
  sim = await startSimulator({ port: 0, quiet: true, apihz: { id: KEYS.APIHZ_ID, key: KEYS.APIHZ_KEY } });
  mf = new Miniflare({
    script: USER_WORKER,
    scriptPath: join(ROOT, "user-worker.js"),
    modules: true,
    modulesRoot: ROOT,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    bindings: { APIHZ_ID: KEYS.APIHZ_ID, APIHZ_KEY: KEYS.APIHZ_KEY, APIHZ_URL: sim.apihzUrl },
    host: "127.0.0.1",
    port: 0,
  });
  url = String(await mf.ready);
});
after(async () => {
  await mf?.dispose();
  await sim?.close();
});
beforeEach(() => sim.reset());

const post = async (body, query = "") => {
  const res = await fetch(new URL(query, url), { method: "POST", body });
  return { status: res.status, json: await res.json() };
};
const base64Length = (bytes) => Math.ceil(bytes.length / 3) * 4;

/** A camera-like JPEG (4.3 MP of noise), well over the 1M base64 budget as it is. */
const bigPhoto = () =>
  sharp({ create: { width: 2400, height: 1800, channels: 3, noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 92 })
    .toBuffer();

describe("recognize() in workerd, the Free-plan default", { timeout: 120_000 }, () => {
  let photo;
  before(async () => {
    photo = await bigPhoto();
    assert.ok(base64Length(photo) > 1_000_000);
  });

  // First, while workerd holds no pooled connection: the re-encode takes seconds, longer than the
  // simulator's keep-alive (Node's 5 s), and workerd would reuse a connection the simulator closed.
  test("prepare: { codec: \"wasm\" } opts in: the photo is re-encoded in the Worker and sent under the budget", async () => {
    const opted = await post(photo, "?codec=wasm");
    assert.equal(opted.status, 200, JSON.stringify(opted.json));
    const [call] = sim.calls();
    assert.ok(call.base64Length <= 1_000_000 && call.base64Length < base64Length(photo));
  });

  test("a raw camera photo over the budget is refused before any provider call, saying to prepare on the device or opt in", async () => {
    const { status, json } = await post(photo);
    assert.equal(status, 400);
    assert.equal(json.error.name, "ImageTooLargeError");
    assert.equal(json.error.code, "IMAGE_TOO_LARGE");
    assert.match(json.error.message, /Free plan allows 10 ms/);
    assert.match(json.error.message, /prepareImage\(\) in the browser/);
    assert.match(json.error.message, /prepare: \{ codec: "wasm" \}/);
    assert.deepEqual(sim.calls(), [], "nothing sent");
  });

  test("a JPEG or PNG the providers accept is sent as it is (no re-encoding)", async () => {
    for (const image of [CARD_JPEG, CARD_PNG]) {
      sim.reset();
      const { status, json } = await post(image);
      assert.equal(status, 200, JSON.stringify(json));
      assert.equal(json.document, "vehicleLicenseBack");
      const calls = sim.calls();
      assert.equal(calls.length, 1);
      assert.equal(calls[0].base64Length, base64Length(image), "the bytes as they came, not a re-encoded copy");
    }
  });
});
