// README.md "Node ≥ 20.19 / server side", verbatim between the markers (tests/node/readme.test.mjs
// checks they agree): it must compile under strict TypeScript with @types/node.
// --- README: node quick start
import { readFile } from "node:fs/promises";
import { recognize } from "vehicle-doc-ocr";

const { APIHZ_ID, APIHZ_KEY } = process.env; // string | undefined
if (!APIHZ_ID || !APIHZ_KEY) throw new Error("set APIHZ_ID and APIHZ_KEY");
const front = await recognize(await readFile("licence.jpg"), {
  document: "vehicleLicenseFront", // | "vehicleLicenseBack" | "registrationCertificate"
  apihz: { id: APIHZ_ID, key: APIHZ_KEY },
  // juhe: { key: JUHE_KEY },     // for "registrationCertificate"
  timeoutMs: 20000,
});
console.log(front.plateNumber, front.vin, front.registerDate); // "2015-04-11"
// --- end
