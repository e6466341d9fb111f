// The Worker shim in the real workerd (miniflare from wrangler 4.86.0) against the provider
// simulator over 127.0.0.1. The bundle is the one `wrangler deploy` would upload.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { sampleJpeg } from "../../sim/images.mjs";
import {
  APP, CARD_JPEG, CARD_PNG, KEYS, SECRET_FORMS, imageHeaders, leaks, runtimeOutput, seen, useStack, withComment,
} from "../support/harness.mjs";

const stack = useStack({ ALLOWED_ORIGINS: `${APP} http://localhost:5173` });
const worker = stack.worker;

const RECOGNIZE_FRONT = "/v1/recognize?document=vehicleLicenseFront";
let main;
before(async () => {
  main = await worker();
});

function post(w, path, body, headers = imageHeaders(), what = path) {
  return w.call(path, { method: "POST", headers, body }, what);
}

function assertError(res, status, code) {
  assert.equal(res.status, status, `${res.what}: ${res.body}`);
  const { error } = res.json();
  assert.equal(error.code, code, res.body);
  assert.equal(typeof error.message, "string");
  assert.equal(typeof error.retryable, "boolean");
  assert.match(res.headers["content-type"], /^application\/json/);
  return error;
}

const vary = (res) => (res.headers.vary ?? "").split(",").map((s) => s.trim().toLowerCase());

describe("forwarding with the Worker's keys", () => {
  test("the simulator sees the Worker's keys; the client sent none and its overrides are ignored", async () => {
    const evil = "&key=client-key&id=1&apihz.key=client-key&endpoints=http%3A%2F%2F127.0.0.1%3A1%2Fevil&baseUrl=http%3A%2F%2F127.0.0.1%3A1";
    const res = await post(main, RECOGNIZE_FRONT + evil, CARD_JPEG);
    assert.equal(res.status, 200, res.body);
    const r = res.json();
    assert.equal(r.document, "vehicleLicenseFront");
    assert.equal(r.provider, "apihz");
    assert.match(r.vin, /^[A-HJ-NPR-Z0-9]{17}$/);
    // The simulator accepts only KEYS (a wrong key is an AUTH answer): one paid call, with them.
    const calls = stack.sim.calls();
    assert.equal(calls.length, 1);
    assert.equal(calls[0].provider, "apihz");
    assert.equal(calls[0].outcome, "ok");
    assert.equal(calls[0].billable, true);
    // No Origin header: allowed, and no CORS headers.
    assert.equal(res.headers["access-control-allow-origin"], undefined);
    assert.ok(vary(res).includes("origin"));
  });

  test("back page and PNG bodies", async () => {
    const res = await post(main, "/v1/recognize?document=vehicleLicenseBack", CARD_PNG, imageHeaders({}, "image/png"));
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json().document, "vehicleLicenseBack");
    assert.equal(typeof res.json().approvedPassengers, "number");
  });

  test("registration certificate through juhe with the Worker's juhe key", async () => {
    const res = await post(main, "/v1/recognize?document=registrationCertificate&key=client-key", CARD_JPEG);
    assert.equal(res.status, 200, res.body);
    const r = res.json();
    assert.equal(r.provider, "juhe");
    assert.match(r.requestId, /^JH\d+$/);
    assert.deepEqual(stack.sim.calls().map((c) => [c.provider, c.outcome]), [["juhe", "ok"]]);
  });
});

describe("CORS", () => {
  test("a listed origin is echoed, with Vary: Origin", async () => {
    const res = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ origin: APP }));
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers["access-control-allow-origin"], APP);
    assert.ok(vary(res).includes("origin"));
    assert.match(res.headers["access-control-expose-headers"], /Retry-After/i);
    assert.equal(res.headers["access-control-allow-credentials"], undefined);
  });

  test("any other origin is refused with 403 before a provider is called", async () => {
    for (const origin of ["https://evil.example", "null", `${APP}.evil.example`, "http://app.example.com", `${APP}:8443`]) {
      const res = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ origin }), `POST from ${origin}`);
      const e = assertError(res, 403, "AUTH");
      assert.equal(e.provider, "shim");
      assert.equal(res.headers["access-control-allow-origin"], undefined);
    }
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("an Origin that is not one listed origin (null, two joined, a path, control bytes) is refused; whitespace around a listed one is not part of it", async () => {
    for (const origin of ["null", `${APP}, ${APP}`, `${APP},https://evil.example`, `${APP}/`, `HTTPS://app.example.com`, `${APP}\u0001`]) {
      const res = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ origin }), `POST from ${JSON.stringify(origin)}`);
      assertError(res, 403, "AUTH");
      assert.equal(res.headers["access-control-allow-origin"], undefined);
    }
    assert.deepEqual(stack.sim.calls(), []);
    // workerd keeps trailing whitespace in a field value; RFC 9110 says it is not part of it.
    const res = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ origin: `${APP}  \t` }));
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers["access-control-allow-origin"], APP);
  });

  test("an empty Origin: workerd drops empty fields before the Worker runs, so it is answered as a request without Origin (the shim refuses an empty one it is given: crates/shim tests)", async () => {
    for (const origin of ["", "   "]) {
      const res = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ origin }), `POST with Origin ${JSON.stringify(origin)}`);
      const none = await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders(), "POST without Origin");
      assert.equal(res.status, none.status, res.body);
      assert.equal(res.headers["access-control-allow-origin"], undefined);
    }
  });

  test("preflight: allowed origin gets methods, headers and max-age; others 403; no Origin gets Allow", async () => {
    const pre = (origin) =>
      main.call("/v1/recognize?document=vehicleLicenseFront", {
        method: "OPTIONS",
        headers: {
          ...(origin ? { origin } : {}),
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, authorization",
        },
      }, `preflight ${origin}`);
    const ok = await pre(APP);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers["access-control-allow-origin"], APP);
    assert.match(ok.headers["access-control-allow-methods"], /\bPOST\b/);
    assert.match(ok.headers["access-control-allow-headers"].toLowerCase(), /content-type/);
    assert.match(ok.headers["access-control-allow-headers"].toLowerCase(), /authorization/);
    assert.ok(Number(ok.headers["access-control-max-age"]) > 0);
    assert.ok(vary(ok).includes("origin"));
    const denied = await pre("https://evil.example");
    assert.equal(denied.status, 403);
    assert.equal(denied.headers["access-control-allow-origin"], undefined);
    const plain = await pre(null);
    assert.equal(plain.status, 204);
    assert.equal(plain.headers.allow, "POST, OPTIONS");
    assert.equal(plain.headers["access-control-allow-origin"], undefined);
    assert.deepEqual(stack.sim.calls(), []);
  });
});

describe("routing", () => {
  test("wrong method 405 with Allow, unknown path 404, missing document 400; nothing forwarded", async () => {
    const get = await main.call(RECOGNIZE_FRONT, { headers: { origin: APP } });
    assertError(get, 405, "CONFIG");
    assert.equal(get.headers.allow, "POST, OPTIONS");
    assert.equal(get.headers["access-control-allow-origin"], APP);
    assertError(await main.call(RECOGNIZE_FRONT, { method: "PUT", body: CARD_JPEG }), 405, "CONFIG");
    assertError(await post(main, "/v1/ocr?document=vehicleLicenseFront", CARD_JPEG), 404, "CONFIG");
    assertError(await post(main, "/", CARD_JPEG), 404, "CONFIG");
    assertError(await post(main, "/v1/recognize", CARD_JPEG), 400, "CONFIG");
    assertError(await post(main, "/v1/recognize?document=passport", CARD_JPEG), 400, "CONFIG");
    assert.deepEqual(stack.sim.calls(), []);
  });
});

/** POST a chunked body (no Content-Length); `chunks` is an (async) iterable of byte chunks. */
function postChunked(w, path, chunks) {
  return w.call(path, { method: "POST", headers: imageHeaders(), body: chunks }, `chunked ${path}`);
}

/**
 * Announce `bytes` with their Content-Length but send only the first KB, then wait forever: the
 * answer must come from the headers alone. (A server that answers and closes while a client is
 * still uploading makes the client's TCP stack reset the connection, losing the answer.)
 */
function announceOnly(w, path, bytes, headers = imageHeaders()) {
  async function* firstKbOnly() {
    yield bytes.subarray(0, 1024);
    await new Promise(() => {});
  }
  return w.call(path, { method: "POST", headers, body: { declaredLength: bytes.length, chunks: firstKbOnly() } }, `announced ${path}`);
}

describe("body limits", () => {
  // Default budget: 1,000,000 base64 characters = 750,000 raw bytes.
  const CAP = 750_000;
  const jpegOf = (n) => {
    const b = new Uint8Array(n);
    b.set(CARD_JPEG.subarray(0, Math.min(n, CARD_JPEG.length)));
    return b;
  };

  test("Content-Length over the cap: 413 up front, before the body is read", { timeout: 60_000 }, async () => {
    // Only the first KB of the announced body is ever sent: the answer must not wait for it.
    const res = await announceOnly(main, RECOGNIZE_FRONT, jpegOf(CAP + 1), imageHeaders({ origin: APP }));
    assertError(res, 413, "IMAGE_TOO_LARGE");
    assert.equal(res.headers["access-control-allow-origin"], APP);
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("a chunked body without Content-Length over the cap: 413", async () => {
    const big = jpegOf(CAP + 10);
    const chunks = [];
    for (let i = 0; i < big.length; i += 64 * 1024) chunks.push(big.subarray(i, i + 64 * 1024));
    const res = await postChunked(main, RECOGNIZE_FRONT, chunks);
    assertError(res, 413, "IMAGE_TOO_LARGE");
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("the answer comes as soon as the cap is passed, while the body is still open", { timeout: 60_000 }, async () => {
    // The client sends cap + 1 bytes and then neither sends more nor ends the body: a Worker
    // that read to the end before judging would never answer (the test would time out).
    async function* neverEnding() {
      const big = jpegOf(CAP + 1);
      for (let i = 0; i < big.length; i += 64 * 1024) yield big.subarray(i, i + 64 * 1024);
      await new Promise(() => {}); // never ends the body
    }
    const res = await postChunked(main, RECOGNIZE_FRONT, neverEnding());
    assertError(res, 413, "IMAGE_TOO_LARGE");
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("a chunked body under the cap is forwarded", async () => {
    const chunks = [];
    for (let i = 0; i < CARD_JPEG.length; i += 10_000) chunks.push(CARD_JPEG.subarray(i, i + 10_000));
    const res = await postChunked(main, RECOGNIZE_FRONT, chunks);
    assert.equal(res.status, 200, res.body);
  });

  test("non-image bodies and types: 415; an empty body: 400; nothing forwarded", async () => {
    const html = new TextEncoder().encode("<html><body>not an image</body></html>");
    assertError(await post(main, RECOGNIZE_FRONT, html), 415, "UNSUPPORTED_FORMAT");
    const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    assertError(await post(main, RECOGNIZE_FRONT, gif, imageHeaders({}, "image/gif")), 415, "UNSUPPORTED_FORMAT");
    assertError(await post(main, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({}, "text/plain")), 415, "UNSUPPORTED_FORMAT");
    assertError(await post(main, RECOGNIZE_FRONT, CARD_JPEG, {}), 415, "UNSUPPORTED_FORMAT");
    assertError(await post(main, RECOGNIZE_FRONT, new Uint8Array(0)), 400, "INVALID_IMAGE");
    assert.deepEqual(stack.sim.calls(), []);
  });

  test("PREPARE_IN_WORKER=1: an oversize upload is re-encoded in the Worker instead of refused", { timeout: 60_000 }, async () => {
    const oversize = sampleJpeg({ totalBytes: 1_000_000 }); // a real JPEG padded past the 750,000-byte cap
    // By default: refused on its Content-Length.
    const refused = await announceOnly(main, RECOGNIZE_FRONT, oversize);
    assertError(refused, 413, "IMAGE_TOO_LARGE");
    assert.deepEqual(stack.sim.calls(), []);
    const preparing = await worker({ PREPARE_IN_WORKER: "1" });
    const res = await post(preparing, RECOGNIZE_FRONT, oversize);
    assert.equal(res.status, 200, res.body);
    const calls = stack.sim.calls();
    assert.equal(calls.length, 1);
    assert.ok(calls[0].base64Length < 1_000_000, `sent ${calls[0].base64Length} base64 characters`);
  });

  test("MAX_BASE64_CHARS sets the cap", { timeout: 60_000 }, async () => {
    const small = await worker({ MAX_BASE64_CHARS: "40000" }); // 30,000 raw bytes
    assertError(await announceOnly(small, RECOGNIZE_FRONT, CARD_JPEG), 413, "IMAGE_TOO_LARGE");
    assert.deepEqual(stack.sim.calls(), []);
  });
});

describe("abuse protection", () => {
  test("the rate-limit binding: 429 with Retry-After once an address is over its limit", async () => {
    const limited = await worker({}, { rateLimit: 2 });
    const from = (ip) => imageHeaders({ "cf-connecting-ip": ip, origin: APP });
    assert.equal((await post(limited, RECOGNIZE_FRONT, CARD_JPEG, from("198.51.100.7"))).status, 200);
    assert.equal((await post(limited, RECOGNIZE_FRONT, CARD_JPEG, from("198.51.100.7"))).status, 200);
    const res = await post(limited, RECOGNIZE_FRONT, CARD_JPEG, from("198.51.100.7"));
    const e = assertError(res, 429, "RATE_LIMITED");
    assert.equal(e.retryable, true);
    assert.equal(e.provider, "shim");
    assert.equal(res.headers["retry-after"], "60");
    assert.equal(res.headers["access-control-allow-origin"], APP);
    // Another address has its own budget.
    assert.equal((await post(limited, RECOGNIZE_FRONT, CARD_JPEG, from("198.51.100.8"))).status, 200);
    assert.equal(stack.sim.calls().filter((c) => c.billable).length, 3);
  });

  test("SHIM_TOKEN: missing or wrong bearer token 401, right one forwarded", async () => {
    const guarded = await worker({ SHIM_TOKEN: KEYS.SHIM_TOKEN });
    for (const auth of [undefined, "Bearer wrong-token-000000000", `Basic ${btoa(`x:${KEYS.SHIM_TOKEN}`)}`, KEYS.SHIM_TOKEN]) {
      const res = await post(guarded, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders(auth ? { authorization: auth } : {}), "token check");
      const e = assertError(res, 401, "AUTH");
      assert.equal(e.provider, "shim");
      assert.equal(res.headers["www-authenticate"], "Bearer");
    }
    assert.deepEqual(stack.sim.calls(), []);
    const ok = await post(guarded, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ authorization: `Bearer ${KEYS.SHIM_TOKEN}` }));
    assert.equal(ok.status, 200, ok.body);
    // Odd spacing: `scheme 1*SP token` (any case), whitespace around the value ignored; a tab
    // separator, two joined headers or a second word are refused.
    for (const auth of [`bearer   ${KEYS.SHIM_TOKEN}`, `BEARER ${KEYS.SHIM_TOKEN}  \t`]) {
      const res = await post(guarded, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ authorization: auth }), "token spacing");
      assert.equal(res.status, 200, `${JSON.stringify(auth)}: ${res.body}`);
    }
    for (const auth of [`Bearer\t${KEYS.SHIM_TOKEN}`, `Bearer ${KEYS.SHIM_TOKEN}, Bearer ${KEYS.SHIM_TOKEN}`, `Bearer ${KEYS.SHIM_TOKEN} x`]) {
      assertError(await post(guarded, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders({ authorization: auth }), "token spacing"), 401, "AUTH");
    }
  });
});

describe("provider errors mapped to HTTP", () => {
  test("a wrong apihz key configured in the Worker: 502 AUTH, no details", async () => {
    const w = await worker({ APIHZ_KEY: "wrong+Key/Configured=1" });
    const e = assertError(await post(w, RECOGNIZE_FRONT, CARD_JPEG), 502, "AUTH");
    assert.equal(e.retryable, false);
    assert.equal(e.provider, "apihz");
    assert.equal(e.providerCode, undefined);
    assert.equal(stack.sim.calls().filter((c) => c.billable).length, 0);
  });

  test("a wrong juhe key configured in the Worker: 502 AUTH", async () => {
    const w = await worker({ JUHE_KEY: "wrong+Juhe/Configured=1" });
    const e = assertError(await post(w, "/v1/recognize?document=registrationCertificate", CARD_JPEG), 502, "AUTH");
    assert.equal(e.provider, "juhe");
  });

  test("the shim's provider account exhausted: 502 QUOTA; provider rate limit: 429 + Retry-After", async () => {
    const quota = await worker({ APIHZ_KEY: "sim-quota" });
    const e = assertError(await post(quota, RECOGNIZE_FRONT, CARD_JPEG), 502, "QUOTA");
    assert.equal(e.retryable, false);
    assert.equal(e.providerCode, undefined);
    const rate = await worker({ APIHZ_KEY: "sim-rate" });
    const res = await post(rate, RECOGNIZE_FRONT, CARD_JPEG);
    assertError(res, 429, "RATE_LIMITED");
    assert.equal(res.headers["retry-after"], "60");
  });

  test("an unreadable photo: 400 RECOGNITION_FAILED with the provider's public code", async () => {
    const photo = withComment(CARD_JPEG, "SIM:UNREADABLE");
    const a = assertError(await post(main, RECOGNIZE_FRONT, photo), 400, "RECOGNITION_FAILED");
    assert.equal(a.provider, "apihz");
    const j = assertError(await post(main, "/v1/recognize?document=registrationCertificate", photo), 400, "RECOGNITION_FAILED");
    assert.equal(j.provider, "juhe");
    assert.equal(j.providerCode, "270903");
  });

  test("juhe's internal error (10014): 502 PROVIDER_ERROR", async () => {
    const w = await worker({ JUHE_KEY: "sim-error-10014" });
    const e = assertError(await post(w, "/v1/recognize?document=registrationCertificate", CARD_JPEG), 502, "PROVIDER_ERROR");
    assert.equal(e.providerCode, "10014");
  });

  test("simulator faults (5xx, HTML, malformed JSON, hang-up): 502, retryable", async () => {
    for (const fault of ["500", "html", "malformed", "hangup"]) {
      const w = await worker({ APIHZ_ENDPOINTS: `${stack.sim.url}/__fault/${fault}/api/ai/xingshizheng.php` });
      const res = await post(w, RECOGNIZE_FRONT, CARD_JPEG, imageHeaders(), `fault ${fault}`);
      assert.equal(res.status, 502, `${fault}: ${res.body}`);
      assert.ok(["PROVIDER_ERROR", "NETWORK"].includes(res.json().error.code), res.body);
      assert.equal(res.json().error.retryable, true);
      await stack.close(w);
    }
  });

  test("a slow provider past TIMEOUT_MS: 504 TIMEOUT", async () => {
    const w = await worker({ APIHZ_ENDPOINTS: `${stack.sim.url}/__fault/slow-3000/api/ai/xingshizheng.php`, TIMEOUT_MS: "300" });
    assertError(await post(w, RECOGNIZE_FRONT, CARD_JPEG), 504, "TIMEOUT");
  });

  test("a misconfigured Worker refuses with 500 CONFIG without naming the setting", async () => {
    const w = await worker({ ALLOWED_ORIGINS: "*" });
    const res = await post(w, RECOGNIZE_FRONT, CARD_JPEG);
    const e = assertError(res, 500, "CONFIG");
    assert.ok(!/ALLOWED_ORIGINS|APIHZ|JUHE/.test(res.body));
    assert.equal(e.retryable, false);
    const health = await w.call("/v1/health");
    assert.equal(health.status, 503);
    assert.equal(health.json().ok, false);
    assert.deepEqual(stack.sim.calls(), []);
    // The operator finds the variable's name (never a value) in the Worker's log.
    assert.ok(runtimeOutput.join("").includes("ALLOWED_ORIGINS"));
  });

  test("a document whose provider is not configured: 500 CONFIG", async () => {
    const w = await worker({ JUHE_KEY: undefined, JUHE_BASE_URL: undefined });
    assertError(await post(w, "/v1/recognize?document=registrationCertificate", CARD_JPEG), 500, "CONFIG");
    assert.equal((await w.call("/v1/health")).json().providers.juhe, false);
  });
});

describe("health", () => {
  test("reports which providers are configured, never a key", async () => {
    const res = await main.call("/v1/health", { headers: { origin: APP } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { ok: true, providers: { apihz: true, juhe: true } });
    assert.equal(res.headers["access-control-allow-origin"], APP);
    assert.deepEqual(leaks(res.body + JSON.stringify(res.headers)), []);
    assertError(await main.call("/v1/health", { headers: { origin: "https://evil.example" } }), 403, "AUTH");
  });
});

describe("no key anywhere", () => {
  test("not in any answer's body or headers in this suite, nor in the Worker's output", () => {
    assert.ok(seen.length >= 40, `only ${seen.length} answers recorded`);
    for (const a of seen) {
      assert.deepEqual(leaks(a.body + JSON.stringify(a.headers)), [], `${a.what} (${a.status}) leaks a key`);
    }
    assert.deepEqual(leaks(runtimeOutput.join("")), [], "the Worker's output leaks a key");
    assert.ok(SECRET_FORMS.length >= 8);
  });
});
