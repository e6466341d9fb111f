// Dev helper: generate the bench sources once into a cache folder (for A/B experiments).
// Usage: node bench/gen-cache.mjs DIR [ids...]
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { documentPhoto, encode, withExifOrientation } from "./docgen.mjs";
export const CASES = {
  card12: { w: 4000, h: 3000, gen: { glyphFrac: 1 / 66, noise: 10, seed: 1 } },
  page12: { w: 4000, h: 3000, gen: { glyphFrac: 1 / 140, noise: 14, seed: 2 } },
  iphone12: { w: 4032, h: 3024, gen: { glyphFrac: 1 / 80, noise: 6, seed: 3 } },
  exif12: { w: 4000, h: 3000, gen: { glyphFrac: 1 / 66, noise: 10, seed: 4 }, orientation: 6 },
  prog12: { w: 4000, h: 3000, gen: { glyphFrac: 1 / 66, noise: 10, seed: 5 }, progressive: true },
  android16: { w: 4624, h: 3472, gen: { glyphFrac: 1 / 80, noise: 8, seed: 9 } },
  card48: { w: 8000, h: 6000, gen: { glyphFrac: 1 / 66, noise: 8, seed: 7 } },
  page48: { w: 8000, h: 6000, gen: { glyphFrac: 1 / 140, noise: 14, seed: 8 } },
};
const [dir, ...ids] = process.argv.slice(2);
for (const id of ids.length ? ids : Object.keys(CASES)) {
  const c = CASES[id];
  const p = join(dir, `${id}.jpg`);
  if (existsSync(p)) continue;
  let bytes = await encode(documentPhoto(c.w, c.h, c.gen), c.w, c.h, { progressive: c.progressive });
  if (c.orientation) bytes = withExifOrientation(bytes, c.orientation);
  writeFileSync(p, bytes);
  console.error("wrote", p, bytes.length);
}
