// Dev helper: generate the bench sources (bench/cases.mjs) once into a cache folder (for A/B
// experiments). Usage: node bench/gen-cache.mjs DIR [ids...]
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CASES } from "./cases.mjs";
import { documentPhoto, encode, withExifOrientation } from "./docgen.mjs";

const [dir, ...ids] = process.argv.slice(2);
for (const c of CASES.filter((x) => x.format !== "png" && (ids.length === 0 || ids.includes(x.id)))) {
  const p = join(dir, `${c.id}.jpg`);
  if (existsSync(p)) continue;
  let bytes = await encode(documentPhoto(c.w, c.h, c.gen), c.w, c.h, { progressive: c.progressive });
  if (c.orientation) bytes = withExifOrientation(bytes, c.orientation);
  writeFileSync(p, bytes);
  console.error("wrote", p, bytes.length);
}
