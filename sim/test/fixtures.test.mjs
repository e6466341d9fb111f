import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURES } from "../server.mjs";

const front = FIXTURES.apihzFront;
const back = FIXTURES.apihzBack;
const cert = FIXTURES.juheCertificate;
const certField = (desc) => cert.result.res.find((e) => e.desc === desc)?.content;

function vinCheckDigit(vin) {
  const tr = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 };
  const w = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (/\d/.test(vin[i]) ? Number(vin[i]) : tr[vin[i]]) * w[i];
  const r = sum % 11;
  return r === 10 ? "X" : String(r);
}

function idCheckDigit(id17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id17[i]) * w[i];
  return "10X98765432"[sum % 11];
}

const normPlate = (p) => p.replace(/[\s·]/g, "");

test("VIN passes the check digit and is the same on front and certificate", () => {
  assert.equal(front.Vin, "LSVCY6C49MN027789");
  assert.equal(vinCheckDigit(front.Vin), front.Vin[8]);
  assert.equal(certField("车辆识别代号V车架号"), front.Vin);
});

test("plate is the same across front (·), back (space) and certificate (plain)", () => {
  assert.match(front.PlateNo, /·/);
  assert.match(back.PlateNo, / /);
  assert.equal(normPlate(front.PlateNo), normPlate(back.PlateNo));
  assert.equal(certField("机动车登记编号"), normPlate(front.PlateNo));
});

test("engine number, dimensions, masses, passengers and dates agree", () => {
  assert.equal(certField("发动机号"), front.EngineNo);
  assert.equal(certField("外廓尺寸"), back.ExternalSize);
  assert.equal(certField("总质量"), back.TotalMass);
  assert.equal(certField("核定载客"), back.AllowNum);
  assert.equal(certField("登记日期"), front.RegisterDate);
  for (const d of [front.RegisterDate, front.IssueDate, certField("车辆出厂日期"), certField("发证日期")]) assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
});

test("certificate owner composite carries a valid GB 11643 ID number", () => {
  const [name, idType, idNumber] = certField("机动车所有人V身份证名称V号码").split("V");
  assert.equal(name, front.Owner);
  assert.equal(idType, "居民身份证");
  assert.match(idNumber, /^\d{17}[\dX]$/);
  assert.equal(idCheckDigit(idNumber), idNumber[17]);
});

test("certificate has all ~35 doc labels plus two null entries, like the doc's /verify example", () => {
  const docLabels = JSON.parse(FIXTURES.juheQueryDoc).result.res.map((e) => e.desc);
  const labels = cert.result.res.map((e) => e.desc);
  assert.deepEqual(labels.filter((l) => l !== null), docLabels);
  assert.equal(labels.filter((l) => l === null).length, 2);
  for (const e of cert.result.res) assert.deepEqual(Object.keys(e).sort(), ["content", "desc", "index", "nID"]);
});
