import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSimulator, APIHZ_MSG, FIXTURES } from "../server.mjs";
import { sampleJpeg, samplePng, jpegBase64OfLength } from "../images.mjs";
import { APIHZ, form, postJson, postForm } from "../testutil.mjs";

let sim;
before(async () => {
  sim = await startSimulator({ port: 0, apihz: APIHZ });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const jpegB64 = sampleJpeg().toString("base64");
const call = (params) => postJson(sim.apihzUrl, form({ ...APIHZ, type: "2", img: jpegB64, class: "1", ...params }));

test("POST front and back answer with the flat sim fixtures and JSON content type", async () => {
  const front = await call({ class: "1" });
  assert.equal(front.status, 200);
  assert.equal(front.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(front.json, FIXTURES.apihzFront);
  assert.equal(front.json.code, 200);
  assert.equal(front.json.Vin, "LSVCY6C49MN027789");
  const back = await call({ class: "2" });
  assert.deepEqual(back.json, FIXTURES.apihzBack);
  assert.equal(back.json.AllowNum, "5人");
  assert.deepEqual(sim.calls(), [
    { route: "apihz", provider: "apihz", billable: true, outcome: "ok", base64Length: jpegB64.length },
    { route: "apihz", provider: "apihz", billable: true, outcome: "ok", base64Length: jpegB64.length },
  ]);
});

test("GET with query parameters works, PNG accepted", async () => {
  const q = form({ ...APIHZ, class: "2", type: "2", img: samplePng().toString("base64") });
  const res = await fetch(`${sim.apihzUrl}?${q}`);
  assert.deepEqual(await res.json(), FIXTURES.apihzBack);
});

test("type=1 accepts an http(s) URL without downloading it, rejects a non-URL", async () => {
  const ok = await call({ type: "1", img: "https://example.invalid/licence.jpg" });
  assert.deepEqual(ok.json, FIXTURES.apihzFront);
  const bad = await call({ type: "1", img: "ftp://example.invalid/x.jpg" });
  assert.equal(bad.json.code, 400);
  assert.equal(bad.json.msg, APIHZ_MSG.urlInvalid);
});

test("a raw '+' in the form body becomes a space and breaks the image; %2B works", async () => {
  // bytes chosen so the base64 text contains '+' and '/'
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xef, 0xbe]), sampleJpeg().subarray(3)]);
  const b64 = bytes.toString("base64");
  assert.ok(b64.includes("+"));
  const rest = `id=${APIHZ.id}&key=${APIHZ.key}&class=1&type=2`;
  const raw = await postJson(sim.apihzUrl, `${rest}&img=${b64}`);
  assert.deepEqual(raw.json, { code: 400, msg: APIHZ_MSG.imageParse });
  const encoded = await postJson(sim.apihzUrl, `${rest}&img=${encodeURIComponent(b64)}`);
  assert.deepEqual(encoded.json, FIXTURES.apihzFront);
});

test("base64 of exactly 1,000,000 chars is accepted, 1,000,001 refused", async () => {
  const ok = await call({ img: jpegBase64OfLength(1_000_000) });
  assert.equal(ok.json.code, 200);
  const big = await call({ img: jpegBase64OfLength(1_000_000) + "A" });
  assert.equal(big.json.code, 400);
  assert.match(big.json.msg, /BASE64编码大小不能超过1M/);
  assert.deepEqual(
    sim.calls().map((c) => [c.outcome, c.base64Length]),
    [
      ["ok", 1_000_000],
      ["too-large", 1_000_001],
    ],
  );
});

test("the budget is configurable", async () => {
  const small = await startSimulator({ port: 0, maxBase64Chars: 100 });
  try {
    const r = await postJson(small.apihzUrl, form({ ...APIHZ, class: "1", type: "2", img: jpegB64 }));
    assert.equal(r.json.msg, APIHZ_MSG.tooLarge);
  } finally {
    await small.close();
  }
});

test("wrong key, wrong id and missing credentials give the doc's auth error, not billable", async () => {
  for (const p of [{ key: "nope" }, { id: "10000001" }, { key: "" }]) {
    const r = await call(p);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { code: 400, msg: "通讯秘钥错误。" });
  }
  assert.ok(sim.calls().every((c) => c.billable === false && c.outcome === "auth"));
});

test("missing img, bad class, bad type", async () => {
  assert.deepEqual((await call({ img: "" })).json, { code: 400, msg: APIHZ_MSG.imgMissing });
  assert.deepEqual((await call({ class: "3" })).json, { code: 400, msg: APIHZ_MSG.classInvalid });
  assert.deepEqual((await call({ type: "5" })).json, { code: 400, msg: APIHZ_MSG.typeInvalid });
  const noImg = await postJson(sim.apihzUrl, form({ ...APIHZ, class: "1", type: "2" }));
  assert.equal(noImg.json.msg, APIHZ_MSG.imgMissing);
});

test("data: head, non-image bytes and non-base64 give the image-parse error", async () => {
  for (const img of [`data:image/jpeg;base64,${jpegB64}`, Buffer.from("hello world!").toString("base64"), "@@@@", jpegB64.slice(1)]) {
    const r = await call({ img });
    assert.deepEqual(r.json, { code: 400, msg: APIHZ_MSG.imageParse });
  }
});

test("special keys and markers", async () => {
  assert.deepEqual((await call({ key: "sim-quota" })).json, { code: 400, msg: APIHZ_MSG.quota });
  assert.deepEqual((await call({ key: "sim-rate" })).json, { code: 400, msg: APIHZ_MSG.rate });
  const unreadable = await call({ img: sampleJpeg({ marker: "SIM:UNREADABLE" }).toString("base64") });
  assert.deepEqual(unreadable.json, { code: 400, msg: APIHZ_MSG.unreadable });
  const docImg = sampleJpeg({ marker: "SIM:DOC-EXAMPLE" }).toString("base64");
  const docFront = await call({ img: docImg, class: "1" });
  assert.equal(docFront.text, readFileSync(new URL("../../fixtures/providers/apihz-front.doc.json", import.meta.url), "utf8").trimEnd());
  const docBack = await call({ img: docImg, class: "2" });
  assert.equal(docBack.text, readFileSync(new URL("../../fixtures/providers/apihz-back.doc.json", import.meta.url), "utf8").trimEnd());
  assert.deepEqual(
    sim.calls().map((c) => [c.outcome, c.billable]),
    [
      ["quota", false],
      ["rate", false],
      ["unreadable", true],
      ["ok-doc", true],
      ["ok-doc", true],
    ],
  );
});

test("other methods are refused and no CORS headers are sent", async () => {
  const put = await fetch(sim.apihzUrl, { method: "PUT", body: "x" });
  assert.equal(put.status, 405);
  const ok = await call({});
  assert.equal(ok.headers.get("access-control-allow-origin"), null);
  const opt = await fetch(sim.apihzUrl, { method: "OPTIONS" });
  assert.equal(opt.headers.get("access-control-allow-origin"), null);
});

test("a form body sent with another content type is not read (PHP fills $_POST only for forms)", async () => {
  const res = await fetch(sim.apihzUrl, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: form({ ...APIHZ, class: "1", type: "2", img: jpegB64 }),
  });
  assert.deepEqual(await res.json(), { code: 400, msg: APIHZ_MSG.auth });
});

test("unknown paths are 404 and not recorded", async () => {
  const r = await postForm(`${sim.url}/api/ai/other.php`, "a=b");
  assert.equal(r.status, 404);
  assert.deepEqual(sim.calls(), []);
});
