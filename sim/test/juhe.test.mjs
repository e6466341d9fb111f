import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSimulator, JUHE_CODES, FIXTURES, parseMultipart } from "../server.mjs";
import { sampleJpeg, jpegBase64OfLength } from "../images.mjs";
import { JUHE, form, postJson, multipart, rawRequest } from "../testutil.mjs";

let sim;
let queryUrl;
let verifyUrl;
before(async () => {
  sim = await startSimulator({ port: 0, juhe: JUHE });
  queryUrl = `${sim.juheBaseUrl}/verify_cardjz_certificate/query`;
  verifyUrl = `${sim.juheBaseUrl}/verify_cardjz_certificate/verify`;
});
after(() => sim.close());
beforeEach(() => sim.reset());

const jpeg = sampleJpeg();
const query = (params) => postJson(queryUrl, form({ key: JUHE.key, file: jpeg.toString("base64"), ...params }));
async function verify(parts) {
  const m = multipart(parts);
  const r = await rawRequest(verifyUrl, { headers: { "content-type": m.contentType }, body: m.body });
  return { ...r, json: JSON.parse(r.text) };
}
const docText = (name) => readFileSync(new URL(`../../fixtures/providers/${name}`, import.meta.url), "utf8").trimEnd();

test("/query answers with the certificate fixture and a fresh orderid each call", async () => {
  const a = await query({});
  const b = await query({});
  assert.equal(a.status, 200);
  assert.equal(a.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(a.json.error_code, 0);
  assert.equal(a.json.reason, "操作成功");
  assert.deepEqual(a.json.result.res, FIXTURES.juheCertificate.result.res);
  assert.match(a.json.result.orderid, /^JH\d{24}$/);
  assert.notEqual(a.json.result.orderid, b.json.result.orderid);
  assert.deepEqual(sim.calls(), [
    { route: "juhe-query", provider: "juhe", billable: true, outcome: "ok", base64Length: jpeg.toString("base64").length },
    { route: "juhe-query", provider: "juhe", billable: true, outcome: "ok", base64Length: jpeg.toString("base64").length },
  ]);
});

test("/query has the same '+' to space quirk", async () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xef, 0xbe]), jpeg.subarray(3)]);
  const b64 = bytes.toString("base64");
  assert.ok(b64.includes("+"));
  const raw = await postJson(queryUrl, `key=${JUHE.key}&file=${b64}`);
  assert.equal(raw.json.error_code, 270903);
  const ok = await postJson(queryUrl, `key=${JUHE.key}&file=${encodeURIComponent(b64)}`);
  assert.equal(ok.json.error_code, 0);
});

test("/query: wrong key 10001, missing and empty file 270902, non-image 270903, over budget 270903", async () => {
  const wrong = await query({ key: "bad" });
  assert.equal(wrong.status, 200);
  assert.deepEqual(wrong.json, { reason: "错误的请求KEY", result: null, error_code: 10001 });
  const missing = await postJson(queryUrl, form({ key: JUHE.key }));
  assert.deepEqual(missing.json, { reason: "file参数不可为空", result: null, error_code: 270902 });
  assert.equal((await query({ file: "" })).json.error_code, 270902);
  assert.deepEqual((await query({ file: Buffer.from("not an image").toString("base64") })).json, {
    reason: "识别失败",
    result: null,
    error_code: 270903,
  });
  assert.equal((await query({ file: jpegBase64OfLength(1_000_000) })).json.error_code, 0);
  assert.equal((await query({ file: jpegBase64OfLength(1_000_000) + "A" })).json.error_code, 270903);
  assert.deepEqual(
    sim.calls().map((c) => [c.outcome, c.billable]),
    [
      ["code-10001", false],
      ["code-270902", true],
      ["code-270902", true],
      ["code-270903", true],
      ["ok", true],
      ["too-large", true],
    ],
  );
});

test("every documented juhe code can be triggered with key sim-error-<code>", async () => {
  for (const [code, reason] of Object.entries(JUHE_CODES)) {
    const r = await query({ key: `sim-error-${code}` });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { reason, result: null, error_code: Number(code) });
    const v = await verify([
      { name: "key", data: `sim-error-${code}` },
      { name: "file", filename: "a.jpg", contentType: "image/jpeg", data: jpeg },
    ]);
    assert.equal(v.json.error_code, Number(code));
  }
  assert.equal(Object.keys(JUHE_CODES).length, 17);
  // system-level refusals are not billable, service-level answers are
  assert.ok(sim.calls().every((c) => c.billable === c.outcome.startsWith("code-2709")));
});

test("/verify multipart: binary bytes with CRLF and boundary-like sequences survive", async () => {
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  const boundaryish = Buffer.from("\r\n--\r\n------simBoundary\r\n\r\n--", "latin1");
  const image = Buffer.concat([jpeg, all, boundaryish, all, Buffer.from("\r\n")]);
  const m = multipart([
    { name: "key", data: JUHE.key },
    { name: "file", filename: "登记证.jpg", contentType: "image/jpeg", data: image },
  ]);
  const parts = parseMultipart(m.body, m.contentType);
  assert.equal(parts.length, 2);
  assert.equal(parts[1].filename, "登记证.jpg");
  assert.ok(parts[1].data.equals(image));
  assert.equal(parts[0].data.toString(), JUHE.key);
  const r = await rawRequest(verifyUrl, { headers: { "content-type": m.contentType }, body: m.body });
  const json = JSON.parse(r.text);
  assert.equal(json.error_code, 0);
  assert.deepEqual(json.result.res, FIXTURES.juheCertificate.result.res);
});

test("/verify works with fetch's own FormData encoding", async () => {
  const fd = new FormData();
  fd.set("key", JUHE.key);
  fd.set("file", new Blob([jpeg], { type: "image/jpeg" }), "a.jpg");
  const res = await fetch(verifyUrl, { method: "POST", body: fd });
  const json = await res.json();
  assert.equal(json.error_code, 0);
  assert.match(json.result.orderid, /^JH\d{24}$/);
});

test("/verify errors: wrong key, missing file, empty file, non-image, not multipart", async () => {
  const wrong = await verify([
    { name: "key", data: "bad" },
    { name: "file", filename: "a.jpg", data: jpeg },
  ]);
  assert.equal(wrong.json.error_code, 10001);
  assert.equal((await verify([{ name: "key", data: JUHE.key }])).json.error_code, 270902);
  const empty = await verify([
    { name: "key", data: JUHE.key },
    { name: "file", filename: "a.jpg", data: Buffer.alloc(0) },
  ]);
  assert.equal(empty.json.error_code, 270902);
  const text = await verify([
    { name: "key", data: JUHE.key },
    { name: "file", filename: "a.txt", data: "hello" },
  ]);
  assert.equal(text.json.error_code, 270903);
  const notMultipart = await postJson(verifyUrl, form({ key: JUHE.key, file: jpeg.toString("base64") }));
  assert.equal(notMultipart.json.error_code, 270902);
});

test("markers: SIM:UNREADABLE gives 270903, SIM:DOC-EXAMPLE the doc examples verbatim", async () => {
  const unreadable = sampleJpeg({ marker: "SIM:UNREADABLE" });
  assert.equal((await query({ file: unreadable.toString("base64") })).json.error_code, 270903);
  const v = await verify([
    { name: "key", data: JUHE.key },
    { name: "file", filename: "a.jpg", data: unreadable },
  ]);
  assert.equal(v.json.error_code, 270903);
  const doc = sampleJpeg({ marker: "SIM:DOC-EXAMPLE" });
  assert.equal((await query({ file: doc.toString("base64") })).text, docText("juhe-query.doc.json"));
  const vd = await verify([
    { name: "key", data: JUHE.key },
    { name: "file", filename: "a.jpg", data: doc },
  ]);
  assert.equal(vd.text, docText("juhe-verify.doc.json"));
});

test("GET is not served on juhe routes", async () => {
  const r = await fetch(`${queryUrl}?key=${JUHE.key}`);
  assert.equal(r.status, 405);
});
