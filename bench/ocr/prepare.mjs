// What the package sends for each corpus photo, per size target: `prepareImage` of the built npm
// package (Node: the pure-Rust codec, the same policy the browser codec follows through
// `budgetStep`). Used by legible.py; development tooling only.
//   node bench/ocr/prepare.mjs <corpus dir> <out dir> <name>=<prepareImage options JSON>...
//   (`"document": "photo"` stands for each photo's own document)
// Writes <out dir>/<name>/<photo>.jpg and <out dir>/<name>/prepared.json (size, quality, base64 length).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prepareImage } from "../../npm/src/node.js";

const [corpus, out, ...variants] = process.argv.slice(2);
if (!corpus || !out || variants.length === 0) {
  console.error("usage: node bench/ocr/prepare.mjs <corpus dir> <out dir> <name>=<options JSON>...");
  process.exit(2);
}
const { photos } = JSON.parse(readFileSync(join(corpus, "manifest.json"), "utf8"));
for (const v of variants) {
  const eq = v.indexOf("=");
  const name = v.slice(0, eq);
  const options = JSON.parse(v.slice(eq + 1));
  const dir = join(out, name);
  const index = join(dir, "prepared.json");
  mkdirSync(dir, { recursive: true });
  const made = {};
  for (const photo of photos) {
    // `document: "photo"`: each photo's own document, as recognize() (which always has one) uses it.
    const own = photo.document === "certificate" ? "registrationCertificate" : "vehicleLicenseFront";
    const p = await prepareImage(readFileSync(join(corpus, photo.file)), options.document === "photo" ? { ...options, document: own } : options);
    writeFileSync(join(dir, photo.file), p.bytes);
    made[photo.file] = { base64Length: p.base64Length, width: p.width, height: p.height, quality: p.quality };
  }
  writeFileSync(index, JSON.stringify({ options, photos: made }, null, 1));
  console.error(`[prepare] ${name}: ${photos.length} photos`);
}
