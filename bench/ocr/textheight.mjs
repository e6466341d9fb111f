// Issue 13's text-height measurement (driven by textheight.py): every corpus photo prepared so
// that its printed values are H px tall, for each H asked. The text height is the quality
// report's (`assessImage` with the photo's own document: the document's short side in the image
// sent × the layout's value height), converted to the corpus's printed value height (the
// licence prints values at 3.1 mm where the report assumes 3 mm; the corpus certificate at
// 4.8 mm where a real one, and the report, has 3.5 mm). No `document` is passed, so "legible"'s
// own text-height rule (measured as on a 登记证书 page) only lowers `maxLongSidePx` when that
// measure exceeds 16 px at it, which no photo of the corpus reaches for H ≤ 20 (the measurements
// in docs/IMAGE_POLICY.md were taken before the rule). Development tooling only.
//   node bench/ocr/textheight.mjs <corpus dir> <out dir> <H>...
// Writes <out dir>/h<H>/<photo>.jpg and <out dir>/h<H>/prepared.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assessImage, prepareImage } from "../../npm/src/node.js";

export const PRINTED_OVER_REPORTED = { licence: 3.1 / 3.0, certificate: 4.8 / 3.5 };

const [corpus, out, ...hs] = process.argv.slice(2);
const { photos } = JSON.parse(readFileSync(join(corpus, "manifest.json"), "utf8"));
const reports = {};
for (const photo of photos) {
  const bytes = readFileSync(join(corpus, photo.file));
  const document = photo.document === "certificate" ? "registrationCertificate" : "vehicleLicenseFront";
  // Measured at the size "legible" sends without an estimate: the long side capped at 1600.
  const r = await assessImage(bytes, { document });
  reports[photo.file] = { reported: r.textHeightPx, printed: r.textHeightPx * PRINTED_OVER_REPORTED[photo.document] };
}
for (const h of hs.map(Number)) {
  const dir = join(out, `h${h}`);
  mkdirSync(dir, { recursive: true });
  const made = {};
  for (const photo of photos) {
    const { printed } = reports[photo.file];
    const maxLongSidePx = Math.max(64, Math.round((1600 * h) / printed));
    const p = await prepareImage(readFileSync(join(corpus, photo.file)), { target: "legible", maxLongSidePx });
    writeFileSync(join(dir, photo.file), p.bytes);
    made[photo.file] = { ...reports[photo.file], maxLongSidePx, base64Length: p.base64Length, width: p.width, height: p.height, quality: p.quality };
  }
  writeFileSync(join(dir, "prepared.json"), JSON.stringify({ h, photos: made }, null, 1));
  console.error(`[textheight] h${h}: ${photos.length} photos`);
}
