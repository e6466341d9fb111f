// recognize() end to end in Node: the npm package's node entry, the real wasm module, real fetch
// over 127.0.0.1 against the provider simulator.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import * as ocr from "../../npm/src/node.js";
import {
  CARD_JPEG, CARD_PNG, CREDS, apihzOptions, assertNoSecrets, billable, faulty, juheOptions, rejection as rejectionOf, startSim,
  withComment,
} from "./helpers.mjs";

const { recognize } = ocr;
let sim;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => sim.reset());

/** Await a rejection of class `cls` (the common checks, no secret in the error). */
const rejection = (promise, cls) => rejectionOf(promise, cls, (err) => assertNoSecrets(assert, err, cls.name));

describe("vehicle licence through apihz", () => {
  test("front page: typed, normalized fields from a JPEG Uint8Array", async () => {
    const r = await recognize(CARD_JPEG, apihzOptions(sim));
    assert.equal(r.document, "vehicleLicenseFront");
    assert.equal(r.provider, "apihz");
    // apihz sends no id: the call's own (crypto.randomUUID()).
    assert.match(r.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(r.sources.plateNumber.text, r.raw.PlateNo);
    assert.equal(r.raw.code, 200);
    assert.equal(r.plateNumber, r.raw.PlateNo.replace(/[\s·]/g, ""));
    assert.match(r.vin, /^[A-HJ-NPR-Z0-9]{17}$/);
    assert.match(r.registerDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(r.issueDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(typeof r.owner, "string");
    assert.equal(r.valid, true, JSON.stringify(r.issues));
    assert.equal(billable(sim), 1);
  });

  test("back page: quantities as numbers, empty markers as null", async () => {
    const r = await recognize(CARD_JPEG, apihzOptions(sim, "vehicleLicenseBack"));
    assert.equal(r.document, "vehicleLicenseBack");
    assert.equal(typeof r.approvedPassengers, "number");
    assert.equal(typeof r.totalMassKg, "number");
    assert.equal(typeof r.curbWeightKg, "number");
    assert.deepEqual(Object.keys(r.dimensionsMm).sort(), ["height", "length", "width"]);
    for (const [k, v] of Object.entries(r)) {
      if (typeof v === "string") assert.ok(!["", "--", "kg", "mm", "人"].includes(v), `${k} is an empty marker`);
    }
  });

  test("the provider's own documented example becomes the documented values", async () => {
    const r = await recognize(withComment(CARD_JPEG, "SIM:DOC-EXAMPLE"), apihzOptions(sim, "vehicleLicenseBack"));
    assert.equal(r.plateNumber, "粤B2177C");
    assert.equal(r.approvedPassengers, 5);
    assert.equal(r.totalMassKg, 2085);
    assert.equal(r.curbWeightKg, 1610);
    assert.equal(r.approvedLoadKg, null);
    assert.deepEqual(r.dimensionsMm, { length: 4667, width: 1839, height: 1694 });
    assert.equal(r.remarks, null);
  });

  test("every accepted input form reaches the provider", async () => {
    const b64 = Buffer.from(CARD_JPEG).toString("base64");
    assert.ok(b64.includes("+") && b64.includes("/"), "the test image must exercise + and / encoding");
    const inputs = {
      Uint8Array: CARD_JPEG,
      ArrayBuffer: CARD_JPEG.slice().buffer,
      DataView: new DataView(CARD_JPEG.slice().buffer),
      Blob: new Blob([CARD_JPEG], { type: "image/jpeg" }),
      base64: b64,
      "data URL": `data:image/jpeg;base64,${b64}`,
      "http URL (apihz type=1)": "https://example.com/licence.jpg",
      PNG: CARD_PNG,
    };
    for (const [name, input] of Object.entries(inputs)) {
      const r = await recognize(input, apihzOptions(sim));
      assert.equal(r.document, "vehicleLicenseFront", name);
    }
    assert.equal(billable(sim), Object.keys(inputs).length);
  });

  test("the wire format: form-encoded POST, + / = percent-encoded, no key in the URL", async () => {
    const seen = [];
    const spy = async (url, init) => {
      seen.push({ url: String(url), init, body: new TextDecoder().decode(init.body) });
      return fetch(url, init);
    };
    await recognize(CARD_JPEG, { ...apihzOptions(sim), fetch: spy });
    assert.equal(seen.length, 1);
    const [{ url, init, body }] = seen;
    assert.equal(init.method, "POST");
    assert.match(Object.entries(init.headers).find(([k]) => k.toLowerCase() === "content-type")[1], /application\/x-www-form-urlencoded/);
    assert.ok(!url.includes(CREDS.apihz.key) && !url.includes(encodeURIComponent(CREDS.apihz.key)) && !url.includes("img="));
    assert.ok(!/[+/=]/.test(body.replace(/^[^=]*=|&[^=]*=/g, "&")), "raw + / = in a form value");
    const form = new URLSearchParams(body);
    assert.equal(form.get("key"), CREDS.apihz.key);
    assert.equal(form.get("class"), "1");
    assert.equal(form.get("type"), "2");
    assert.equal(form.get("img"), Buffer.from(CARD_JPEG).toString("base64"));
  });
});

describe("registration certificate through juhe", () => {
  for (const upload of ["base64", "multipart"]) {
    test(`${upload} upload: composite fields split, orderid as requestId`, async () => {
      const r = await recognize(CARD_JPEG, juheOptions(sim, {}, { upload }));
      assert.equal(r.document, "registrationCertificate");
      assert.equal(r.provider, "juhe");
      assert.match(r.requestId, /^JH\d+$/);
      assert.equal(r.requestId, r.raw.result.orderid);
      assert.equal(typeof r.owner.name, "string");
      assert.equal(typeof r.owner.idType, "string");
      assert.match(r.owner.idNumber, /^[0-9A-Z]{15,18}$/);
      assert.match(r.vin, /^[A-HJ-NPR-Z0-9]{17}$/);
      assert.match(r.registrationDate, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(typeof r.plateNumber, "string");
    });
  }

  test("the documented example: bare units and desc:null entries give nulls", async () => {
    const r = await recognize(withComment(CARD_JPEG, "SIM:DOC-EXAMPLE"), juheOptions(sim));
    assert.equal(r.requestId, "JH709122051114105062820878");
    for (const k of ["wheelbaseMm", "totalMassKg", "approvedLoadKg", "approvedPassengers", "dimensionsMm"]) {
      assert.equal(r[k], null, k);
    }
    assert.equal(r.fuelType, "汽油");
  });

  test("a remote URL is refused for juhe before anything is sent", async () => {
    const err = await rejection(recognize("https://example.com/a.jpg", juheOptions(sim)), ocr.ConfigError);
    assert.match(err.message, /juhe/i);
    assert.equal(sim.calls().length, 0);
  });
});

describe("failover and the no-paid-retry policy", () => {
  test("connection failure, 5xx, HTML and malformed JSON move on to the next endpoint", async () => {
    const endpoints = [faulty(sim, "hangup"), faulty(sim, "500"), faulty(sim, "html"), faulty(sim, "malformed"), sim.apihzUrl];
    const r = await recognize(CARD_JPEG, { document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints } });
    assert.equal(r.document, "vehicleLicenseFront");
    // Each endpoint was asked exactly once, in order, and the healthy one answered.
    assert.deepEqual(sim.calls().map((c) => c.fault ?? "ok"), ["hangup", "500", "html", "malformed", "ok"]);
  });

  test("a JSON answer is final: no second endpoint after a provider error", async () => {
    const endpoints = [sim.apihzUrl, sim.apihzUrl];
    await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", apihz: { id: CREDS.apihz.id, key: "wrong-key-123", endpoints } }), ocr.AuthError);
    assert.equal(sim.calls().length, 1);
  });

  test("all endpoints failing gives one clear error", async () => {
    const endpoints = [faulty(sim, "502"), faulty(sim, "html")];
    const err = await rejection(recognize(CARD_JPEG, { document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints } }), ocr.ProviderError);
    assert.match(err.message, /2/);
  });

  test("connection refused everywhere is a NetworkError", async () => {
    const err = await rejection(
      recognize(CARD_JPEG, { document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints: ["http://127.0.0.1:9/api/ai/xingshizheng.php"] } }),
      ocr.NetworkError,
    );
    assert.equal(err.retryable, true);
  });
});

describe("timeouts and cancellation", () => {
  test("timeoutMs cancels the request: TimeoutError, and the next endpoint is not tried", async () => {
    const endpoints = [faulty(sim, "slow-3000"), sim.apihzUrl];
    const opts = { document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints }, timeoutMs: 150 };
    const err = await rejection(recognize(CARD_JPEG, opts), ocr.TimeoutError);
    assert.equal(err.retryable, true);
    assert.deepEqual(sim.calls().map((c) => c.fault ?? "ok"), ["slow-3000"]);
  });

  test("the caller's AbortSignal cancels an in-flight call: AbortedError", async () => {
    const ac = new AbortController();
    const endpoints = [faulty(sim, "slow-3000")];
    setTimeout(() => ac.abort(), 100);
    const err = await rejection(
      recognize(CARD_JPEG, { document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints }, signal: ac.signal, timeoutMs: 5000 }),
      ocr.AbortedError,
    );
    assert.equal(err.retryable, false);
  });

  test("an already-aborted signal sends nothing", async () => {
    await rejection(recognize(CARD_JPEG, { ...apihzOptions(sim), signal: AbortSignal.abort() }), ocr.AbortedError);
    assert.equal(sim.calls().length, 0);
  });
});

describe("every error class", () => {
  const apihzWith = (key) => ({ document: "vehicleLicenseFront", apihz: { id: CREDS.apihz.id, key, endpoints: [sim.apihzUrl] } });

  test("apihz's documented error sample: AuthError with the provider's own words", async () => {
    const err = await rejection(recognize(CARD_JPEG, apihzWith("not-the-key")), ocr.AuthError);
    assert.equal(err.provider, "apihz");
    assert.equal(err.providerCode, "400");
    assert.equal(err.providerMessage, "通讯秘钥错误。");
    assert.equal(err.retryable, false);
  });

  test("apihz quota, rate limit and unreadable photo are classified", async () => {
    await rejection(recognize(CARD_JPEG, apihzWith("sim-quota")), ocr.QuotaError);
    const rl = await rejection(recognize(CARD_JPEG, apihzWith("sim-rate")), ocr.RateLimitedError);
    assert.equal(rl.retryable, true);
    await rejection(recognize(withComment(CARD_JPEG, "SIM:UNREADABLE"), apihzOptions(sim)), ocr.RecognitionFailedError);
  });

  test("messageRules override the guessed apihz classification", async () => {
    const opts = apihzWith("sim-quota");
    opts.apihz.messageRules = [{ contains: "余额", code: "RATE_LIMITED" }];
    await rejection(recognize(CARD_JPEG, opts), ocr.RateLimitedError);
  });

  const juheCodes = {
    10001: ocr.AuthError, 10002: ocr.AuthError, 10003: ocr.AuthError, 10004: ocr.AuthError, 10005: ocr.AuthError,
    10007: ocr.AuthError, 10008: ocr.AuthError, 10009: ocr.AuthError, 10011: ocr.RateLimitedError,
    10013: ocr.QuotaError, 10014: ocr.ProviderError, 10020: ocr.ProviderError, 10021: ocr.ProviderError,
    270901: ocr.ProviderError, 270902: ocr.InvalidImageError, 270903: ocr.RecognitionFailedError,
  };
  test("every documented juhe error code maps to its class, with the provider's code and words", async () => {
    for (const [code, cls] of Object.entries(juheCodes)) {
      const opts = { document: "registrationCertificate", juhe: { key: `sim-error-${code}`, baseUrl: sim.juheBaseUrl } };
      const err = await rejection(recognize(CARD_JPEG, opts), cls);
      assert.equal(err.providerCode, code);
      assert.equal(err.provider, "juhe");
      assert.ok(err.providerMessage.length > 0);
    }
    // 10012 "请求超过次数限制": the allowance is used up, not a momentary burst.
    await rejection(
      recognize(CARD_JPEG, { document: "registrationCertificate", juhe: { key: "sim-error-10012", baseUrl: sim.juheBaseUrl } }),
      ocr.QuotaError,
    );
  });

  test("bad images are refused before anything is sent", async () => {
    await rejection(recognize(new Uint8Array(0), apihzOptions(sim)), ocr.InvalidImageError);
    await rejection(recognize(new TextEncoder().encode("hello, not an image"), apihzOptions(sim)), ocr.InvalidImageError);
    await rejection(recognize("not base64 at all!!", apihzOptions(sim)), ocr.InvalidImageError);
    await rejection(recognize(42, apihzOptions(sim)), ocr.InvalidImageError);
    const heic = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode("ftypheic"), 0, 0, 0, 0, ...new TextEncoder().encode("mif1heic")]);
    const err = await rejection(recognize(heic, apihzOptions(sim)), ocr.UnsupportedFormatError);
    assert.match(err.message, /HEIC/);
    assert.equal(sim.calls().length, 0);
  });

  test("an image that cannot fit the budget is refused, never sent", async () => {
    await rejection(recognize(CARD_JPEG, { ...apihzOptions(sim), maxBase64Chars: 2000 }), ocr.ImageTooLargeError);
    assert.equal(sim.calls().length, 0);
  });

  test("configuration errors name the option and never echo its value", async () => {
    const cases = [
      [undefined, /document/],
      [{ apihz: CREDS.apihz }, /document/],
      [{ document: "passport", apihz: CREDS.apihz }, /document/],
      [{ document: "vehicleLicenseFront" }, /apihz/],
      [{ document: "registrationCertificate", apihz: CREDS.apihz }, /juhe/],
      [{ document: "vehicleLicenseFront", apihz: { id: CREDS.apihz.id } }, /apihz\.key/],
      [{ document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpont: "x" } }, /apihz\.endpont/],
      [{ document: "vehicleLicenseFront", apihz: { ...CREDS.apihz, endpoints: ["ftp://" + CREDS.apihz.key] } }, /apihz\.endpoints/],
      [{ document: "vehicleLicenseFront", apihz: CREDS.apihz, timeoutMs: -5 }, /timeoutMs/],
      [{ document: "vehicleLicenseFront", apihz: CREDS.apihz, colour: "red" }, /colour/],
      [{ document: "vehicleLicenseFront", apihz: CREDS.apihz, fetch: "nope" }, /fetch/],
      [{ document: "registrationCertificate", juhe: { ...CREDS.juhe, upload: "carrier-pigeon" } }, /juhe\.upload/],
    ];
    for (const [opts, re] of cases) {
      const err = await rejection(recognize(CARD_JPEG, opts), ocr.ConfigError);
      assert.match(err.message, re);
    }
    assert.equal(sim.calls().length, 0);
  });
});

test("the package keeps working after every kind of error", async () => {
  await recognize(new Uint8Array(3), apihzOptions(sim)).catch(() => {});
  await recognize(CARD_JPEG, { document: "x" }).catch(() => {});
  const r = await recognize(CARD_JPEG, apihzOptions(sim));
  assert.equal(r.document, "vehicleLicenseFront");
});

describe("validation and cross-checks on real results", () => {
  test("the documented front-page sample's VIN fails its check digit: an error issue, valid false", async () => {
    const r = await recognize(withComment(CARD_JPEG, "SIM:DOC-EXAMPLE"), apihzOptions(sim));
    assert.equal(r.vin, "123456789ABCDEFGH");
    assert.equal(r.valid, false);
    const vinIssues = r.issues.filter((i) => i.field === "vin");
    assert.ok(vinIssues.some((i) => i.severity === "error"), JSON.stringify(vinIssues));
    for (const i of r.issues) assert.ok(!i.message.includes("123456789ABCDEFGH"), "an issue message echoes the value");
  });

  test("the back page's inspection record becomes inspectionValidUntil", async () => {
    const r = await recognize(withComment(CARD_JPEG, "SIM:DOC-EXAMPLE"), apihzOptions(sim, "vehicleLicenseBack"));
    assert.equal(r.inspectionValidUntil, "2019-11");
    assert.equal(r.inspectionRecord, "检验有效期至2019年11月粤E(01)汽油");
  });

  test("crossCheck: the three documents of one vehicle agree; a different VIN is flagged", async () => {
    const front = await recognize(CARD_JPEG, apihzOptions(sim));
    const back = await recognize(CARD_JPEG, apihzOptions(sim, "vehicleLicenseBack"));
    const certificate = await recognize(CARD_JPEG, juheOptions(sim));
    assert.deepEqual(await ocr.crossCheck({ front, back, certificate }), []);
    const other = { ...certificate, vin: "LBEHDAEB58Y038860" };
    const issues = await ocr.crossCheck({ front, certificate: other });
    assert.deepEqual(issues.map((i) => [i.field, i.code, i.severity]), [["vin", "CROSS_MISMATCH", "error"]]);
    const err = await ocr.crossCheck({ front: back }).catch((e) => e);
    assert.ok(err instanceof ocr.ConfigError);
  });
});
