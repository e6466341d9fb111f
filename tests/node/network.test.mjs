// Network hardening (issue 11): redirects never followed, answers capped, the timeout whatever
// the injected fetch does, nothing sent after an abort, a misbehaving fetch is a ConfigError.
// Real fetch over 127.0.0.1 against the provider simulator.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import * as ocr from "../../npm/src/node.js";
import { CARD_JPEG, CARD_PNG, CREDS, apihzOptions, assertNoSecrets, faulty, rejection as rejectionOf, startSim, startSink } from "./helpers.mjs";

const { recognize } = ocr;
let sim;
/** A second host (an attacker's): records every request it gets. */
let elsewhere;
before(async () => {
  sim = await startSim();
  elsewhere = await startSink();
});
after(async () => {
  await sim.close();
  await elsewhere.close();
});
beforeEach(() => {
  sim.reset();
  elsewhere.hits.length = 0;
});

const rejection = (promise, cls) => rejectionOf(promise, cls, (e) => assertNoSecrets(assert, e, "error"));
const withEndpoints = (endpoints, extra = {}) => ({ document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints }, ...extra });
/** The global fetch, counting its calls and keeping each RequestInit. */
function countingFetch() {
  const f = (url, init) => {
    f.inits.push(init);
    return fetch(url, init);
  };
  f.inits = [];
  return f;
}

describe("provider redirects are never followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`a ${status} is a ProviderError; the Location host gets nothing`, async () => {
      const to = `${elsewhere.url}/steal`;
      const endpoint = `${faulty(sim, `redirect-${status}`)}?to=${encodeURIComponent(to)}`;
      const f = countingFetch();
      await rejection(recognize(CARD_JPEG, withEndpoints([endpoint], { fetch: f })), ocr.ProviderError);
      assert.deepEqual(elsewhere.hits, [], "the redirect target saw no request");
      assert.deepEqual(f.inits.map((i) => i.redirect), ["manual"]);
      assert.equal(sim.calls().length, 1);
    });
  }

  test("a browser's opaque redirect (type opaqueredirect, status 0) is a ProviderError too", async () => {
    const opaque = async () => ({ type: "opaqueredirect", status: 0, body: null, arrayBuffer: async () => new ArrayBuffer(0) });
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: opaque })), ocr.ProviderError);
  });
});

describe("the answer is capped (maxAnswerBytes, decoded bytes)", () => {
  test("a small gzip answer expanding to 200 MB is cut off: ProviderError, quickly and without the memory", async () => {
    const before = process.memoryUsage().rss;
    const err = await rejection(recognize(CARD_JPEG, withEndpoints([faulty(sim, "gzip-bomb")])), ocr.ProviderError);
    assert.match(err.message, /maxAnswerBytes = 4194304/);
    assert.equal(err.provider, "apihz");
    assert.ok(process.memoryUsage().rss - before < 150 * 1024 * 1024, "memory did not grow by the bomb's size");
  });

  test("the cap is an option; a normal answer fits the default", async () => {
    const err = await rejection(recognize(CARD_JPEG, apihzOptions(sim, "vehicleLicenseFront", { maxAnswerBytes: 64 })), ocr.ProviderError);
    assert.match(err.message, /larger than maxAnswerBytes = 64 bytes/);
    const r = await recognize(CARD_JPEG, apihzOptions(sim));
    assert.equal(r.document, "vehicleLicenseFront");
  });

  test("a Response without a body stream (arrayBuffer only) is checked against the cap too", async () => {
    const big = async () => ({ status: 200, body: null, arrayBuffer: async () => new ArrayBuffer(1000) });
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: big, maxAnswerBytes: 999 })), ocr.ProviderError);
  });
});

describe("the timeout holds whatever the injected fetch does", () => {
  test("a fetch that never settles: TimeoutError", async () => {
    const never = () => new Promise(() => {});
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: never, timeoutMs: 100 })), ocr.TimeoutError);
  });

  test("a fetch that ignores the signal and answers late: TimeoutError, not its answer", async () => {
    let answered;
    const late = (url, init) =>
      (answered = new Promise((resolve) => setTimeout(() => resolve(fetch(url, { ...init, signal: undefined })), 600)));
    await rejection(recognize(CARD_JPEG, apihzOptions(sim, "vehicleLicenseFront", { fetch: late, timeoutMs: 100 })), ocr.TimeoutError);
    assert.equal((await answered).status, 200, "the late answer came, after the call had settled");
  });

  test("an answer whose body never ends: TimeoutError (the timeout covers the whole read)", async () => {
    const stalled = async () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("{")) }));
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: stalled, timeoutMs: 100 })), ocr.TimeoutError);
  });

  test("a TimeoutError is a NetworkError (the error tree)", async () => {
    const never = () => new Promise(() => {});
    const err = await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: never, timeoutMs: 50 })), ocr.TimeoutError);
    assert.ok(err instanceof ocr.NetworkError);
    assert.equal(err.code, "TIMEOUT");
  });

  for (const timeoutMs of [2 ** 31, 2 ** 31 - 1, 300001, 1e10, 0, -1, 1.5]) {
    test(`timeoutMs ${timeoutMs}: ConfigError before anything is sent`, async () => {
      const err = await rejection(recognize(CARD_JPEG, apihzOptions(sim, "vehicleLicenseFront", { timeoutMs })), ocr.ConfigError);
      assert.match(err.message, /`timeoutMs`/);
      assert.equal(sim.calls().length, 0);
    });
  }
});

describe("an abort before sending sends nothing", () => {
  for (const stage of ["preparing", "recognizing"]) {
    test(`aborted during onProgress({ stage: "${stage}" }): AbortedError, zero requests`, async () => {
      const ac = new AbortController();
      const onProgress = (e) => e.stage === stage && ac.abort();
      await rejection(recognize(CARD_PNG, apihzOptions(sim, "vehicleLicenseFront", { signal: ac.signal, onProgress })), ocr.AbortedError);
      assert.equal(sim.calls().length, 0);
    });
  }

  test("aborted while the image is being prepared (the codec running): zero requests", async () => {
    const ac = new AbortController();
    const p = recognize(CARD_PNG, apihzOptions(sim, "vehicleLicenseFront", { signal: ac.signal }));
    ac.abort(); // the call is past its first check and busy loading/preparing
    await rejection(p, ocr.AbortedError);
    assert.equal(sim.calls().length, 0);
  });

  test("aborted after a failed endpoint: the next endpoint is not sent", async () => {
    const ac = new AbortController();
    let calls = 0;
    const f = async (url, init) => {
      calls += 1;
      try {
        return await fetch(url, init);
      } finally {
        ac.abort();
      }
    };
    const opts = withEndpoints([faulty(sim, "hangup"), sim.apihzUrl], { fetch: f, signal: ac.signal });
    await rejection(recognize(CARD_JPEG, opts), ocr.AbortedError);
    assert.equal(calls, 1, "fetch was not called for the second endpoint");
    assert.deepEqual(sim.calls().map((c) => c.outcome), ["fault-hangup"]);
  });
});

describe("a misbehaving fetch option", () => {
  for (const [what, value] of [["{}", {}], ["a string", "ok"], ["null", null], ["{ status }", { status: 200 }]]) {
    test(`resolving to ${what}: ConfigError, not a billed NetworkError`, async () => {
      const err = await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: async () => value })), ocr.ConfigError);
      assert.match(err.message, /not a Response/);
    });
  }

  test("throwing synchronously: ConfigError", async () => {
    const f = () => {
      throw new TypeError("boom");
    };
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: f })), ocr.ConfigError);
  });

  test("a Response whose arrayBuffer() throws: NetworkError (the answer broke), never internal", async () => {
    const f = async () => ({ status: 200, body: null, arrayBuffer: () => { throw new Error("x"); } });
    await rejection(recognize(CARD_JPEG, withEndpoints(["https://apihz.example/x"], { fetch: f })), ocr.NetworkError);
  });
});

describe("conflicting options are refused", () => {
  test("proxyUrl together with apihz or juhe: ConfigError naming both, nothing sent", async () => {
    const f = countingFetch();
    for (const opts of [
      { document: "vehicleLicenseFront", proxyUrl: sim.url, apihz: CREDS.apihz, fetch: f },
      { document: "registrationCertificate", proxyUrl: sim.url, juhe: CREDS.juhe, fetch: f },
    ]) {
      const err = await rejection(recognize(CARD_JPEG, opts), ocr.ConfigError);
      assert.match(err.message, /`proxyUrl`/);
      assert.match(err.message, /`apihz`|`juhe`/);
    }
    assert.equal(f.inits.length, 0);
  });
});
